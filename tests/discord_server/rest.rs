//! Its REST answers and the rules Discord enforces, met by serenity's HTTP client.

use super::{WAIT, parse};
use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::{
    ButtonStyle, ChannelId, ChannelType, Command, CreateActionRow, CreateButton, CreateCommand,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, CreateThread,
    EditMessage, EditThread, GuildId, Message, MessageId, RoleId, UserId,
};

use crate::support::discord::{FakeDiscord, Fault, Options};

#[tokio::test]
async fn serenity_http_calls_are_answered_and_recorded() {
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let http = fd.serenity_http();
    let text = ChannelId::new(ids.text_channel);

    let me = http.get_current_user().await.expect("GET /users/@me");
    assert_eq!(me.id.get(), ids.bot.id);
    assert!(me.bot);
    let app = http
        .get_current_application_info()
        .await
        .expect("GET /oauth2/applications/@me");
    assert_eq!(app.id.get(), ids.application);
    assert_eq!(
        app.owner.expect("application owner").id.get(),
        ids.staff_member.id
    );
    let gateway = http.get_bot_gateway().await.expect("GET /gateway/bot");
    assert_eq!(gateway.url, fd.gateway_url());

    let button = CreateButton::new("solved")
        .label("Solved")
        .style(ButtonStyle::Success);
    let hello = CreateMessage::new()
        .content("hello")
        .components(vec![CreateActionRow::Buttons(vec![button])]);
    let sent = text.send_message(&http, hello).await.expect("POST message");
    assert_eq!((sent.channel_id, sent.content.as_str()), (text, "hello"));
    assert_eq!(sent.components.len(), 1, "components stored and echoed");
    let reply = CreateMessage::new()
        .content("reply")
        .reference_message((text, sent.id));
    let reply = text.send_message(&http, reply).await.expect("POST reply");
    assert_eq!(
        reply.referenced_message.expect("referenced message").id,
        sent.id
    );

    let thread = text
        .create_thread_from_message(&http, sent.id, CreateThread::new("help: photos"))
        .await
        .expect("POST thread from message");
    assert_eq!(
        (thread.kind, thread.parent_id, thread.name.as_str()),
        (ChannelType::PublicThread, Some(text), "help: photos")
    );
    // As on Discord: one thread per message, and it takes the message's id.
    assert_eq!(thread.id.get(), sent.id.get());
    let again = text
        .create_thread_from_message(&http, sent.id, CreateThread::new("again"))
        .await
        .expect_err("a second thread on the same message is refused");
    match again {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(r)) => {
            assert_eq!((r.status_code.as_u16(), r.error.code), (400, 160004));
        }
        other => panic!("not a Discord error: {other:?}"),
    }
    let edited = text
        .edit_message(&http, sent.id, EditMessage::new().content("edited"))
        .await
        .expect("PATCH message");
    assert_eq!(edited.content, "edited");
    assert!(edited.edited_timestamp.is_some());
    let archived = thread
        .id
        .edit_thread(
            &http,
            EditThread::new().name("solved: photos").archived(true),
        )
        .await
        .expect("PATCH thread");
    assert_eq!(archived.name, "solved: photos");
    assert!(archived.thread_metadata.expect("thread metadata").archived);

    let dm = UserId::new(ids.asker.id)
        .create_dm_channel(&http)
        .await
        .expect("POST DM channel");
    assert_eq!(dm.recipient.id.get(), ids.asker.id);
    let channel = text
        .to_channel(&http)
        .await
        .expect("GET channel")
        .guild()
        .expect("a guild channel");
    assert_eq!(channel.id, text);
    let guild = GuildId::new(ids.guild);
    assert_eq!(http.get_guild(guild).await.expect("GET guild").id, guild);
    let forum = &guild.channels(&http).await.expect("GET guild channels")
        [&ChannelId::new(ids.forum_channel)];
    assert_eq!(
        (forum.kind, forum.available_tags.len()),
        (ChannelType::Forum, 2)
    );
    assert!(
        guild
            .roles(&http)
            .await
            .expect("GET roles")
            .contains_key(&ids.staff_role.into())
    );
    let staff = guild
        .member(&http, UserId::new(ids.staff_member.id))
        .await
        .expect("GET member");
    assert_eq!(staff.roles, [RoleId::new(ids.staff_role)]);

    let recorded: Vec<(String, String)> = fd
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    let m = |method: &str, path: String| (method.to_string(), path);
    for call in [
        m("GET", "/users/@me".into()),
        m("POST", format!("/channels/{text}/messages")),
        m(
            "POST",
            format!("/channels/{text}/messages/{}/threads", sent.id),
        ),
        m("PATCH", format!("/channels/{text}/messages/{}", sent.id)),
        m("PATCH", format!("/channels/{}", thread.id)),
    ] {
        assert!(
            recorded.contains(&call),
            "{call:?} not recorded in {recorded:?}"
        );
    }
    let post = fd
        .wait_for(WAIT, |r| r.method == "POST" && r.path.ends_with("/threads"))
        .await;
    assert_eq!(post.body["name"], "help: photos");
    let edit = fd
        .wait_for(WAIT, |r| {
            r.method == "PATCH" && r.path.contains("/messages/")
        })
        .await;
    assert_eq!(edit.body["content"], "edited");
    let mine: Vec<Value> = fd.messages_in(ids.text_channel);
    assert_eq!(
        mine.iter()
            .map(|m| m["content"].clone())
            .collect::<Vec<_>>(),
        [json!("edited"), json!("reply")]
    );
    for m in &mine {
        parse::<Message>(m);
    }
}

/// Rules Discord enforces and the test server copies, so that a bot that
/// passes here does not fail there: no plain message in a forum (a post
/// instead), a global limit when asked for, and the 3 s interaction window.
#[tokio::test]
async fn the_server_is_as_strict_as_discord() {
    let fd = FakeDiscord::start_with(Options {
        global_limit: Some(5),
        ..Options::default()
    })
    .await;
    let ids = fd.ids().clone();
    let http = fd.serenity_http();
    let forum = ChannelId::new(ids.forum_channel);
    let refused = forum
        .send_message(&http, CreateMessage::new().content("ticket"))
        .await
        .expect_err("a forum takes no plain message");
    assert!(
        refused.to_string().contains("non-text channel"),
        "{refused}"
    );
    let post = forum
        .create_forum_post(
            &http,
            serenity::all::CreateForumPost::new(
                "Ticket #1",
                CreateMessage::new().content("first message"),
            ),
        )
        .await
        .expect("a forum post");
    assert_eq!(post.parent_id, Some(forum));
    assert_eq!(fd.messages_in(post.id.get()).len(), 1, "its first message");

    // Five requests in the second so far (two above, three here); the
    // sixth meets a global 429 (the test runs well within a second: if
    // not, the window moved on and fewer count).
    for _ in 0..3 {
        http.get_current_user().await.expect("within the limit");
    }
    http.get_current_user().await.expect_err("over the limit");
    assert_eq!(fd.requests().last().map(|r| r.status), Some(429));

    // An interaction answered after 3 s is gone.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let message = ChannelId::new(ids.text_channel)
        .send_message(&http, CreateMessage::new().content("press me"))
        .await
        .expect("a message to press on");
    let interaction = fd
        .click(message.id.get(), ids.text_channel, &ids.asker, "x")
        .await;
    let token = fd.interaction_token(interaction);
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    let late = http
        .create_interaction_response(
            interaction.into(),
            &token,
            &CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new().content("late"),
            ),
            Vec::new(),
        )
        .await
        .expect_err("too late");
    assert!(late.to_string().contains("Unknown interaction"), "{late}");
}

/// As Discord: a nonce sent with `enforce_nonce` is the author's for a few
/// minutes, in every channel: a second post with it returns the first
/// message; without `enforce_nonce` it is only echoed.
#[tokio::test]
async fn an_enforced_nonce_is_the_authors_across_channels() {
    use serenity::all::Nonce;
    let fd = FakeDiscord::start().await;
    let http = fd.serenity_http();
    let text = ChannelId::new(fd.ids().text_channel);
    let other = ChannelId::new(fd.add_text_channel("other").await);
    let post = |content: &str, enforce: bool| {
        CreateMessage::new()
            .content(content)
            .nonce(Nonce::String("abc.1".into()))
            .enforce_nonce(enforce)
    };
    let first = text
        .send_message(&http, post("first", true))
        .await
        .expect("posts");
    let again = other
        .send_message(&http, post("again", true))
        .await
        .expect("answers");
    assert_eq!((again.id, again.channel_id), (first.id, text));
    assert!(fd.messages_in(other.get()).is_empty());
    let unenforced = other
        .send_message(&http, post("unenforced", false))
        .await
        .expect("posts");
    assert_ne!(unenforced.id, first.id);
    assert_eq!(fd.messages_in(other.get()).len(), 1);
}

#[tokio::test]
async fn commands_are_stored_auth_is_checked_and_faults_fire() {
    let fd = FakeDiscord::start().await;
    let http = fd.serenity_http();
    let guild = GuildId::new(fd.ids().guild);
    let diagnose = CreateCommand::new("diagnose").description("Diagnose a sync problem");
    let global = Command::set_global_commands(&http, vec![diagnose.clone()])
        .await
        .expect("PUT global commands");
    let again = Command::set_global_commands(&http, vec![diagnose])
        .await
        .expect("PUT them again");
    assert_eq!(global[0].id, again[0].id, "ids kept for unchanged names");
    let solved = CreateCommand::new("solved").description("Mark solved");
    let guild_cmd = guild
        .create_command(&http, solved)
        .await
        .expect("POST guild command");
    assert_eq!(guild_cmd.guild_id, Some(guild));
    assert_eq!(
        guild
            .get_commands(&http)
            .await
            .expect("GET guild commands")
            .len(),
        1
    );

    let stranger = serenity::http::HttpBuilder::new("wrong")
        .proxy(fd.api_url())
        .ratelimiter_disabled(true)
        .build();
    assert!(
        stranger.get_current_user().await.is_err(),
        "a wrong token is refused"
    );
    assert_eq!(fd.requests().last().expect("recorded").status, 401);

    let text = ChannelId::new(fd.ids().text_channel);
    let path = format!("/channels/{text}/messages");
    fd.fail_next(
        "POST",
        &path,
        vec![
            Fault::Status(502),
            Fault::RateLimited {
                retry_after_secs: 0.5,
                global: false,
            },
            Fault::Delay(Duration::from_millis(200)),
        ],
    );
    let say = || text.send_message(&http, CreateMessage::new().content("x"));
    assert!(say().await.is_err(), "502 surfaces as an error");
    assert!(
        say().await.is_err(),
        "429 surfaces as an error with the rate limiter off"
    );
    let started = std::time::Instant::now();
    say().await.expect("a delayed request still succeeds");
    assert!(started.elapsed() >= Duration::from_millis(200));
    let statuses: Vec<u16> = (fd.requests().iter())
        .filter(|r| r.path == path)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [502, 429, 200]);
    let unknown = fd
        .serenity_http()
        .get_message(ChannelId::new(1), MessageId::new(2))
        .await;
    assert!(unknown.is_err());
}
