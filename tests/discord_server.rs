//! The fake Discord server in `support::discord`, proven with serenity itself: its REST
//! answers, its gateway, and every payload it builds.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use serenity::all::{
    ButtonStyle, ChannelId, ChannelType, ClientBuilder, Command, CommandOptionType, Context,
    CreateActionRow, CreateButton, CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, CreateThread, EditMessage, EditThread,
    EventHandler, GatewayIntents, GuildId, Interaction, Message, MessageId, Ready, ResumedEvent,
    RoleId, UserId,
};
use serenity::model::event::{Event, GatewayEvent};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::discord::payloads::{self, InteractionCtx};
use crate::support::discord::{FakeDiscord, Fault, Options};

const WAIT: Duration = Duration::from_secs(10);

/// Deserialises `value` as `T`, explaining the failure with the JSON.
fn parse<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{} rejected: {e}\n{value:#}", std::any::type_name::<T>()))
}

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

/// What the event handler saw, forwarded to the test.
#[derive(Debug)]
enum Seen {
    Ready(Box<Ready>),
    Message(Box<Message>),
    Interaction(Box<Interaction>),
    Resumed,
}

struct Forward(mpsc::UnboundedSender<Seen>);

#[serenity::async_trait]
impl EventHandler for Forward {
    async fn ready(&self, _: Context, ready: Ready) {
        let _ = self.0.send(Seen::Ready(Box::new(ready)));
    }
    async fn message(&self, _: Context, message: Message) {
        let _ = self.0.send(Seen::Message(Box::new(message)));
    }
    async fn interaction_create(&self, _: Context, interaction: Interaction) {
        let _ = self.0.send(Seen::Interaction(Box::new(interaction)));
    }
    async fn resume(&self, _: Context, _: ResumedEvent) {
        let _ = self.0.send(Seen::Resumed);
    }
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    let seen = tokio::time::timeout(WAIT, rx.recv()).await;
    seen.expect("an event within the timeout")
        .expect("the client is still running")
}

#[tokio::test]
async fn a_serenity_client_receives_events_and_resumes_after_a_drop() {
    let fd = FakeDiscord::start_with(Options {
        heartbeat_interval: Duration::from_millis(500),
        ..Options::default()
    })
    .await;
    let ids = fd.ids().clone();
    let http = Arc::new(fd.serenity_http());
    let option = CreateCommandOption::new(CommandOptionType::String, "problem", "What is wrong");
    let diagnose = CreateCommand::new("diagnose")
        .description("Diagnose")
        .add_option(option);
    Command::set_global_commands(&http, vec![diagnose])
        .await
        .expect("register /diagnose");
    let intents = GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
        | GatewayIntents::GUILDS;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut client = ClientBuilder::new_with_http(fd.serenity_http(), intents)
        .event_handler(Forward(tx))
        .await
        .expect("client builds");
    let shards = Arc::clone(&client.shard_manager);
    tokio::spawn(async move { client.start().await });

    fd.wait_identified(WAIT).await;
    let Seen::Ready(ready) = next(&mut rx).await else {
        panic!("READY comes first")
    };
    assert_eq!(
        (ready.user.id.get(), ready.application.id.get()),
        (ids.bot.id, ids.application)
    );

    let text = ids.text_channel;
    let asked = fd
        .user_message(text, &ids.asker, &format!("<@{}> photos stuck", ids.bot.id))
        .await;
    let Seen::Message(msg) = next(&mut rx).await else {
        panic!("expected MESSAGE_CREATE")
    };
    assert_eq!((msg.id.get(), msg.author.id.get()), (asked, ids.asker.id));
    assert_eq!(msg.mentions[0].id.get(), ids.bot.id);
    assert_eq!(msg.guild_id, Some(GuildId::new(ids.guild)));

    let button = CreateButton::new("solved").label("Solved");
    let card = CreateMessage::new()
        .content("try this")
        .components(vec![CreateActionRow::Buttons(vec![button])]);
    let card = ChannelId::new(text)
        .send_message(&http, card)
        .await
        .expect("post card");
    let clicked = fd.click(card.id.get(), text, &ids.asker, "solved").await;
    let Seen::Interaction(i) = next(&mut rx).await else {
        panic!("expected a click")
    };
    let click = i.message_component().expect("a component interaction");
    assert_eq!(
        (click.id.get(), click.data.custom_id.as_str()),
        (clicked, "solved")
    );
    assert_eq!(
        (click.message.id, click.user.id.get()),
        (card.id, ids.asker.id)
    );
    let update = CreateInteractionResponseMessage::new()
        .content("glad it worked")
        .components(vec![]);
    click
        .create_response(&http, CreateInteractionResponse::UpdateMessage(update))
        .await
        .expect("callback");
    assert_eq!(fd.interaction_responses(clicked)[0].body["type"], 7);
    let card_now = fd
        .messages_in(text)
        .into_iter()
        .find(|m| m["id"] == card.id.to_string());
    assert_eq!(
        card_now.expect("card still there")["content"],
        "glad it worked"
    );

    let ran = fd
        .slash(
            text,
            &ids.staff_member,
            "diagnose",
            json!({"problem": "stuck at 0%"}),
        )
        .await;
    let Seen::Interaction(i) = next(&mut rx).await else {
        panic!("expected a command")
    };
    let cmd = i.command().expect("a command interaction");
    assert_eq!((cmd.id.get(), cmd.data.name.as_str()), (ran, "diagnose"));
    assert_eq!(cmd.data.options[0].value.as_str(), Some("stuck at 0%"));
    assert!(
        cmd.member
            .as_ref()
            .expect("member")
            .roles
            .contains(&ids.staff_role.into())
    );
    let answer = CreateInteractionResponseMessage::new().content("Checking…");
    cmd.create_response(&http, CreateInteractionResponse::Message(answer))
        .await
        .expect("answer");
    let original = cmd.get_response(&http).await.expect("GET @original");
    assert_eq!(original.content, "Checking…");

    // The connection drops; what happens meanwhile arrives after serenity resumes.
    fd.drop_gateway().await;
    let missed = fd
        .user_message(text, &ids.other, "sent while offline")
        .await;
    fd.wait_resumed(1, WAIT).await;
    let after = fd.user_message(text, &ids.other, "sent after").await;
    let mut got = Vec::new();
    while got.len() < 2 {
        match next(&mut rx).await {
            Seen::Message(m) => got.push(m.id.get()),
            Seen::Resumed => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        got,
        [missed, after],
        "nothing lost, nothing repeated, in order"
    );
    let status = fd.gateway_status();
    assert_eq!(
        (status.identifies, status.resumes),
        (1, 1),
        "resumed, not re-identified"
    );

    // Op 7 RECONNECT: serenity opens a new connection and resumes again.
    fd.send_reconnect().await;
    fd.wait_resumed(2, WAIT).await;
    let later = fd.user_message(text, &ids.asker, "after op 7").await;
    loop {
        match next(&mut rx).await {
            Seen::Message(m) => break assert_eq!(m.id.get(), later),
            Seen::Resumed => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(fd.gateway_status().identifies, 1);
    tokio::time::timeout(WAIT, shards.shutdown_all())
        .await
        .expect("client shuts down");
}

/// Every gateway frame the scripting helpers send, read by a raw WebSocket client and parsed
/// with serenity's own `GatewayEvent`.
#[tokio::test]
async fn every_scripted_event_parses_as_serenity_events() {
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let http = fd.serenity_http();
    let text = ids.text_channel;
    let menu = CreateCommand::new("Diagnose this").kind(serenity::all::CommandType::Message);
    let ask = CreateCommand::new("ask").description("Ask").add_option(
        CreateCommandOption::new(CommandOptionType::String, "topic", "Topic")
            .set_autocomplete(true),
    );
    GuildId::new(ids.guild)
        .set_commands(&http, vec![menu, ask])
        .await
        .expect("register");
    let card = ChannelId::new(text)
        .send_message(&http, CreateMessage::new().content("card"))
        .await
        .expect("card");

    // serenity parses with `url::Url`, which adds the `/`; a raw `http::Uri` needs it written.
    let url = format!("{}/?v=10&encoding=json", fd.gateway_url());
    let (mut ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("gateway answers in time")
        .expect("gateway accepts a WebSocket");
    let mut frames = Vec::new();
    let mut read = async |n: usize, ws: &mut _| -> Vec<GatewayEvent> {
        let _: &mut tokio_tungstenite::WebSocketStream<_> = ws;
        let mut out = Vec::new();
        while out.len() < n {
            let frame = tokio::time::timeout(WAIT, ws.next())
                .await
                .expect("a frame in time");
            let WsMessage::Text(text) = frame.expect("stream open").expect("a good frame") else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).expect("frames are JSON");
            out.push(
                serde_json::from_value::<GatewayEvent>(value.clone())
                    .unwrap_or_else(|e| panic!("serenity rejected {value:#}: {e}")),
            );
            frames.push(value);
        }
        out
    };
    let [GatewayEvent::Hello(interval)] = read(1, &mut ws).await[..] else {
        panic!("HELLO first")
    };
    assert_eq!(interval, 41_250);
    let identify = json!({"op": 2, "d": {"token": fd.token(), "intents": 0, "properties": {}}});
    ws.send(WsMessage::Text(identify.to_string()))
        .await
        .expect("send IDENTIFY");
    ws.send(WsMessage::Text(json!({"op": 1, "d": null}).to_string()))
        .await
        .expect("send HEARTBEAT");
    let mut events = read(3, &mut ws).await;

    fd.user_message(text, &ids.asker, "hi <@&1> <@!2>").await;
    fd.dm_message(&ids.asker, "hi in private").await;
    let (thread, _) = fd
        .forum_post(ids.forum_channel, &ids.asker, "Photos stuck", "Help")
        .await;
    fd.click(card.id.get(), text, &ids.other, "solved").await;
    fd.select(card.id.get(), thread, &ids.asker, "device", &["iphone"])
        .await;
    fd.autocomplete(text, &ids.asker, "ask", json!({"topic": "pho"}))
        .await;
    fd.message_command(text, &ids.staff_member, "Diagnose this", card.id.get())
        .await;
    let dm = fd.dm_channel_of(&ids.asker);
    fd.submit_modal(
        dm,
        &ids.asker,
        "details",
        &[("what", "stuck"), ("device", "mac")],
    )
    .await;
    fd.dispatch("TYPING_START", json!({"channel_id": text.to_string(), "user_id": ids.asker.id.to_string(), "timestamp": 0})).await;

    events.extend(read(10, &mut ws).await);
    let names: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            GatewayEvent::Dispatch(_, ev) => Some(match ev {
                Event::Ready(_) => "READY",
                Event::GuildCreate(_) => "GUILD_CREATE",
                Event::MessageCreate(_) => "MESSAGE_CREATE",
                Event::ThreadCreate(_) => "THREAD_CREATE",
                Event::InteractionCreate(_) => "INTERACTION_CREATE",
                Event::TypingStart(_) => "TYPING_START",
                _ => "other",
            }),
            GatewayEvent::HeartbeatAck => Some("ACK"),
            _ => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            "READY",
            "GUILD_CREATE",
            "ACK",
            "MESSAGE_CREATE",
            "MESSAGE_CREATE",
            "THREAD_CREATE",
            "MESSAGE_CREATE",
            "INTERACTION_CREATE",
            "INTERACTION_CREATE",
            "INTERACTION_CREATE",
            "INTERACTION_CREATE",
            "INTERACTION_CREATE",
            "TYPING_START",
        ]
    );
    let kinds: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            GatewayEvent::Dispatch(_, Event::InteractionCreate(i)) => Some(match &i.interaction {
                Interaction::Component(c) if c.data.custom_id == "device" => "select",
                Interaction::Component(_) => "button",
                Interaction::Autocomplete(_) => "autocomplete",
                Interaction::Command(c) if c.data.target_id.is_some() => "message command",
                Interaction::Modal(m) if m.guild_id.is_none() => "modal in DM",
                _ => "other",
            }),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "button",
            "select",
            "autocomplete",
            "message command",
            "modal in DM"
        ]
    );
    let seqs: Vec<u64> = frames.iter().filter_map(|f| f["s"].as_u64()).collect();
    assert_eq!(
        seqs,
        (1..=12).collect::<Vec<u64>>(),
        "one sequence, no gaps"
    );
}

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
