//! The payloads it builds, and the interaction answers it records.

use super::parse;

use serde_json::json;
use serenity::all::{
    ChannelId, Command, CreateActionRow, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, Interaction, Message, Ready,
};

use crate::support::discord::FakeDiscord;
use crate::support::discord::payloads::{self, InteractionCtx};

/// The REST-only builders, against the serenity types they stand for.
#[test]
fn builders_deserialise_into_serenity_models() {
    use serenity::all::{
        CurrentApplicationInfo, GuildChannel, Member, PartialChannel, PartialGuild, PartialMember,
        PrivateChannel, Role, User,
    };
    use serenity::model::event::GuildCreateEvent;
    use serenity::model::gateway::BotGateway;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let fd = rt.block_on(FakeDiscord::start());
    let ids = fd.ids();
    let asker = &ids.asker;
    parse::<User>(&payloads::user(asker));
    parse::<Member>(&payloads::member(&ids.staff_member));
    parse::<Member>(&payloads::interaction_member(
        &ids.staff_member,
        ids.staff_role,
    ));
    parse::<PartialMember>(&payloads::partial_member(asker));
    parse::<Vec<Role>>(&payloads::roles(ids));
    let text = payloads::text_channel(ids.text_channel, ids.guild, "help", 0);
    let forum =
        payloads::forum_channel(ids.forum_channel, ids.guild, "support", 1, &[(7, "solved")]);
    let thread = payloads::thread(9, ids.guild, ids.forum_channel, asker.id, "Photos");
    for channel in [&text, &forum, &thread] {
        parse::<GuildChannel>(channel);
        parse::<PartialChannel>(&payloads::partial_channel(channel));
    }
    parse::<PrivateChannel>(&payloads::dm_channel(5, asker));
    parse::<PartialGuild>(&payloads::partial_guild(ids));
    let guild = payloads::guild_create(
        ids,
        vec![text.clone(), forum],
        vec![thread],
        vec![payloads::member(asker)],
    );
    let guild = parse::<GuildCreateEvent>(&guild).guild;
    assert_eq!(
        (guild.channels.len(), guild.threads.len(), guild.roles.len()),
        (2, 1, 2)
    );
    parse::<CurrentApplicationInfo>(&payloads::application(ids, &ids.staff_member));
    parse::<Ready>(&payloads::ready(ids, &ids.bot, "s", "ws://127.0.0.1:1"));
    parse::<BotGateway>(&payloads::gateway_bot("ws://127.0.0.1:1"));
    parse::<Message>(&payloads::message(3, ids.text_channel, asker, "hi"));
    parse::<Command>(&payloads::command(
        4,
        ids.application,
        Some(ids.guild),
        &json!({"name": "ask"}),
    ));
    let ctx = InteractionCtx {
        id: 6,
        token: "t",
        channel: &text,
        user: asker,
        message: None,
    };
    let command = payloads::interaction(ids, 2, ctx, json!({"id": "4", "name": "ask", "type": 1}));
    assert!(matches!(
        parse::<Interaction>(&command),
        Interaction::Command(_)
    ));
}

/// Deferred answers behave as on Discord: the first followup after
/// "thinking" takes the loading message's place with the visibility the
/// acknowledgement chose, later ones are new messages, and a form opened
/// from a button comes back with that button's message.
#[tokio::test]
async fn deferred_answers_and_forms_follow_discords_rules() {
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let http = fd.serenity_http();
    let text = ids.text_channel;
    let card = ChannelId::new(text)
        .send_message(&http, CreateMessage::new().content("card"))
        .await
        .expect("a card");
    let ran = fd.click(card.id.get(), text, &ids.asker, "think").await;
    let token = fd.interaction_token(ran);
    let thinking =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    http.create_interaction_response(ran.into(), &token, &thinking, Vec::new())
        .await
        .expect("acknowledged");
    let before = fd.messages_in(text).len();
    let first = serenity::all::CreateInteractionResponseFollowup::new().content("done");
    let first = http
        .create_followup_message(&token, &first, Vec::new())
        .await
        .expect("first followup");
    assert_eq!(
        fd.messages_in(text).len(),
        before,
        "it replaced the loading message"
    );
    assert_eq!(first.content, "done");
    assert_eq!(
        first.flags.map(|f| f.bits()),
        Some(64),
        "as private as the acknowledgement"
    );
    let second = serenity::all::CreateInteractionResponseFollowup::new().content("more");
    http.create_followup_message(&token, &second, Vec::new())
        .await
        .expect("second followup");
    assert_eq!(
        fd.messages_in(text).len(),
        before + 1,
        "a message of its own"
    );

    let pressed = fd.click(card.id.get(), text, &ids.asker, "open").await;
    let form = serenity::all::CreateModal::new("the-form", "Tell me").components(vec![
        CreateActionRow::InputText(serenity::all::CreateInputText::new(
            serenity::all::InputTextStyle::Short,
            "Field",
            "field",
        )),
    ]);
    let pressed_token = fd.interaction_token(pressed);
    http.create_interaction_response(
        pressed.into(),
        &pressed_token,
        &CreateInteractionResponse::Modal(form),
        Vec::new(),
    )
    .await
    .expect("a form");
    let submitted = fd
        .submit_modal(text, &ids.asker, "the-form", &[("field", "x")])
        .await;
    assert_eq!(fd.interaction_message(submitted), Some(card.id.get()));
    let forged = fd
        .submit_modal(text, &ids.other, "the-form", &[("field", "x")])
        .await;
    assert_eq!(
        fd.interaction_message(forged),
        None,
        "never shown that form"
    );
}
