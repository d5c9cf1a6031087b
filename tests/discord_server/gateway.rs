//! Its gateway: a serenity client's events, resumes, and every scripted frame.

use super::WAIT;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use serenity::all::{
    ChannelId, ClientBuilder, Command, CommandOptionType, Context, CreateActionRow, CreateButton,
    CreateCommand, CreateCommandOption, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EventHandler, GatewayIntents, GuildId,
    Interaction, Message, Ready, ResumedEvent,
};
use serenity::model::event::{Event, GatewayEvent};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::discord::{FakeDiscord, Options};

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
