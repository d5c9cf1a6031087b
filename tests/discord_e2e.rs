use crate::support::bot::{
    self, WAIT, assert_no_mentions, callback, custom_id, id_of, newest_id, nth_post_in, posted_in,
};
use crate::support::discord::FakeDiscord;
use serde_json::json;
use std::time::Duration;

/// Presses "Talk to a person", checks the hand-over form it opens, fills it
/// in and returns the response to the submission.
async fn talk_to_a_person(
    fd: &FakeDiscord,
    thread: u64,
    user: &crate::support::discord::TestUser,
    reply: &serde_json::Value,
) -> crate::support::discord::Recorded {
    let press = fd
        .click(
            newest_id(fd, thread),
            thread,
            user,
            &custom_id(reply, "sm1:person"),
        )
        .await;
    let modal = callback(fd, press).await;
    assert_eq!(modal.body["type"], 9, "a modal: {}", modal.body);
    let form_id = modal.body["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(form_id.starts_with("sm1:form:"), "{}", modal.body);
    let fields: Vec<String> = modal.body["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| {
            row["components"][0]["custom_id"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(
        fields,
        [
            "device_model",
            "os_version",
            "library_size",
            "status_text",
            "tried"
        ]
    );
    let submit = fd
        .submit_modal(
            thread,
            user,
            &form_id,
            &[
                ("device_model", "iPhone 15"),
                ("os_version", "iOS 18.1"),
                ("library_size", "23,000 photos"),
            ],
        )
        .await;
    callback(fd, submit).await
}

/// Ephemeral flag on an interaction response.
const EPHEMERAL: u64 = 64;

async fn setup() -> (FakeDiscord, bot::Bot) {
    setup_with(&[]).await
}

/// A server and a bot with extra settings (`SYNCMEDIC__…` variables).
async fn setup_with(env: &[(&str, String)]) -> (FakeDiscord, bot::Bot) {
    let fd = FakeDiscord::start().await;
    let bot = bot::start(&fd, env).await;
    (fd, bot)
}

/// A question in a support channel opens a thread named after the problem
/// and answers there with step 1 and the buttons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_question_gets_a_thread_and_the_first_step() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            "photos on my mac says Waiting to Upload 57 Items for two days",
        )
        .await;
    let thread = fd
        .wait_for(WAIT, |r| {
            r.method == "POST"
                && r.path == format!("/channels/{}/messages/{question}/threads", ids.text_channel)
        })
        .await;
    assert!(
        thread.body["name"]
            .as_str()
            .is_some_and(|n| n.contains("Waiting to Upload")),
        "{}",
        thread.body
    );
    let reply = posted_in(&fd, question).await; // a thread takes its message's id
    let content = reply.body["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("Step 1 of") && content.contains("Mac"),
        "{content}"
    );
    assert_no_mentions(&reply.body);
    for prefix in [
        "sm1:next:1",
        "sm1:fixed:1",
        "sm1:all:1",
        "sm1:person:1",
        "sm1:device:1",
    ] {
        custom_id(&reply.body, prefix);
    }
    bot.stop().await;
}

/// Next step edits the message in place with step 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_step_updates_the_message_in_place() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    let message = newest_id(&fd, question);
    let press = fd
        .click(
            message,
            question,
            &ids.asker,
            &custom_id(&reply.body, "sm1:next"),
        )
        .await;
    let answer = callback(&fd, press).await;
    assert_eq!(answer.body["type"], 7, "UPDATE_MESSAGE: {}", answer.body);
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 2 of")),
        "{}",
        answer.body
    );
    custom_id(&answer.body["data"], "sm1:next:2");

    // The old button, pressed again, is recognised as outdated.
    let again = fd
        .click(
            message,
            question,
            &ids.asker,
            &custom_id(&reply.body, "sm1:next"),
        )
        .await;
    let stale = callback(&fd, again).await;
    assert_eq!(stale.body["type"], 4);
    assert_eq!(stale.body["data"]["flags"], EPHEMERAL);
    bot.stop().await;
}

/// Without a device in the words, a select asks for it; choosing one shows
/// that device's steps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_select_picks_the_devices_steps() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Waiting to Upload 3 Items…")
        .await;
    let reply = posted_in(&fd, question).await;
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Which one")),
        "{}",
        reply.body
    );
    let select = custom_id(&reply.body, "sm1:device");
    let press = fd
        .select(
            newest_id(&fd, question),
            question,
            &ids.asker,
            &select,
            &["mac"],
        )
        .await;
    let answer = callback(&fd, press).await;
    let content = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("Step 1 of") && content.contains("· Mac"),
        "{content}"
    );
    bot.stop().await;
}

/// A vague question gets "Did you mean…"; a pick starts those steps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_you_mean_offers_readings_and_something_else() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            "my pics arent showing on my ipad",
        )
        .await;
    let reply = posted_in(&fd, question).await;
    let select = custom_id(&reply.body, "sm1:pick");
    let options: Vec<String> = reply.body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .flat_map(|c| c["options"].as_array().into_iter().flatten())
        .filter_map(|o| o["value"].as_str().map(str::to_string))
        .collect();
    assert!(
        options.len() >= 3 && options.last().map(String::as_str) == Some("something-else"),
        "{options:?}"
    );
    let press = fd
        .select(
            newest_id(&fd, question),
            question,
            &ids.asker,
            &select,
            &[&options[0]],
        )
        .await;
    let answer = callback(&fd, press).await;
    assert_eq!(answer.body["type"], 7);
    bot.stop().await;
}

/// Chatter in a support channel gets nothing at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_topic_chatter_gets_no_reply() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let chatter = fd
        .user_message(ids.text_channel, &ids.asker, "anyone up for lunch at noon?")
        .await;
    let airpods = fd
        .user_message(
            ids.text_channel,
            &ids.other,
            "my airpods won't connect to my mac",
        )
        .await;
    // A real question after them: once it is answered, the chatter was read too.
    let question = fd
        .user_message(
            ids.text_channel,
            &ids.staff_member,
            "is icloud down right now?",
        )
        .await;
    posted_in(&fd, question).await;
    for quiet in [chatter, airpods] {
        assert!(
            !fd.requests()
                .iter()
                .any(|r| r.path.contains(&quiet.to_string())),
            "the bot answered chatter:\n{}",
            fd.describe_requests()
        );
    }
    bot.stop().await;
}

/// A new forum post is answered in the post itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forum_post_is_answered_in_the_post() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (thread, _) = fd
        .forum_post(
            ids.forum_channel,
            &ids.asker,
            "photos stuck",
            "my iphone says Unable to Upload 12 Items",
        )
        .await;
    let reply = posted_in(&fd, thread).await;
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Unable to Upload")),
        "{}",
        reply.body
    );
    assert!(
        !fd.requests().iter().any(|r| r.path.ends_with("/threads")),
        "no new thread in a forum"
    );

    // That fixed it: the post is renamed and tagged solved.
    let press = fd
        .click(
            newest_id(&fd, thread),
            thread,
            &ids.asker,
            &custom_id(&reply.body, "sm1:fixed"),
        )
        .await;
    callback(&fd, press).await;
    let edit = fd
        .wait_for(WAIT, |r| {
            r.method == "PATCH" && r.path == format!("/channels/{thread}")
        })
        .await;
    assert!(
        edit.body["name"]
            .as_str()
            .is_some_and(|n| n.starts_with('✅')),
        "{}",
        edit.body
    );
    assert_eq!(
        edit.body["applied_tags"],
        json!([ids.forum_tags[0].to_string()])
    );
    bot.stop().await;
}

/// A DM is answered inline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dm_is_answered_inline() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    fd.dm_message(&ids.asker, "how do i turn on icloud photos on my iphone")
        .await;
    let dm = fd.dm_channel_of(&ids.asker);
    let reply = posted_in(&fd, dm).await;
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 1 of")),
        "{}",
        reply.body
    );
    // Off-topic in a DM is addressed to the bot: a short note, not silence.
    fd.dm_message(&ids.other, "what's the weather like").await;
    let other = posted_in(&fd, fd.dm_channel_of(&ids.other)).await;
    assert!(
        other.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("only help with iCloud Photos")),
        "{}",
        other.body
    );
    bot.stop().await;
}

/// A mention in an unconfigured channel is answered; the mention is not
/// part of the question.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_anywhere_is_a_question() {
    let (fd, bot) = setup_with(&[("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", String::new())]).await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            &format!("<@{}> Optimizing System Performance on my ipad", ids.bot.id),
        )
        .await;
    let reply = posted_in(&fd, question).await;
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Optimiz")),
        "{}",
        reply.body
    );
    bot.stop().await;
}

/// `/fix` autocompletes known problems and answers with buttons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_command_with_autocomplete() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let typing = fd
        .autocomplete(
            ids.text_channel,
            &ids.asker,
            "fix",
            json!({"question": "blurry"}),
        )
        .await;
    let choices = callback(&fd, typing).await;
    assert_eq!(choices.body["type"], 8, "{}", choices.body);
    let first = choices.body["data"]["choices"][0]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(first, "blurry-thumbnails");
    let run = fd
        .slash(
            ids.text_channel,
            &ids.asker,
            "fix",
            json!({"question": first}),
        )
        .await;
    let answer = callback(&fd, run).await;
    assert_eq!(answer.body["type"], 4);
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("blurry")),
        "{}",
        answer.body
    );
    custom_id(&answer.body["data"], "sm1:device:1");
    assert_no_mentions(&answer.body["data"]);
    bot.stop().await;
}

/// `/status` reads a pasted status; `/help` answers privately.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_help_commands() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let run = fd
        .slash(
            ids.text_channel,
            &ids.asker,
            "status",
            json!({"text": "Saving Battery Power on my iPad"}),
        )
        .await;
    let answer = callback(&fd, run).await;
    let content = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("Paused") && content.contains("Step 1 of"),
        "{content}"
    );
    let help = fd
        .slash(ids.text_channel, &ids.asker, "help", json!({}))
        .await;
    let answer = callback(&fd, help).await;
    assert_eq!(answer.body["data"]["flags"], EPHEMERAL);
    bot.stop().await;
}

/// The message menu answers someone else's message, for its author.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_context_menu_answers_another_message() {
    let (fd, bot) = setup_with(&[("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", String::new())]).await;
    let ids = fd.ids().clone();
    let target = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            "my photos say Poor Network Connection",
        )
        .await;
    let run = fd
        .message_command(
            ids.text_channel,
            &ids.staff_member,
            "Diagnose with syncmedic",
            target,
        )
        .await;
    let answer = callback(&fd, run).await;
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Poor Network")),
        "{}",
        answer.body
    );
    bot.stop().await;
}

/// Only the asker or staff may close or escalate; others get a private note.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_press_gets_an_ephemeral_note() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    let message = newest_id(&fd, question);
    for prefix in ["sm1:fixed", "sm1:person"] {
        let press = fd
            .click(
                message,
                question,
                &ids.other,
                &custom_id(&reply.body, prefix),
            )
            .await;
        let answer = callback(&fd, press).await;
        assert_eq!(answer.body["type"], 4, "{}", answer.body);
        assert_eq!(answer.body["data"]["flags"], EPHEMERAL);
    }
    // Staff may.
    let press = fd
        .click(
            message,
            question,
            &ids.staff_member,
            &custom_id(&reply.body, "sm1:fixed"),
        )
        .await;
    assert_eq!(callback(&fd, press).await.body["type"], 7);
    bot.stop().await;
}

/// Forged, foreign and stale ids get an ephemeral error, never a crash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_ids_get_an_ephemeral_error() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    posted_in(&fd, question).await;
    let message = newest_id(&fd, question);
    for forged in [
        "sm1:delete:1",
        "sm9:next:1",
        "../../admin",
        &"x".repeat(100),
        "sm1:next:99999999999",
    ] {
        let press = fd.click(message, question, &ids.asker, forged).await;
        let answer = callback(&fd, press).await;
        assert_eq!(
            answer.body["data"]["flags"], EPHEMERAL,
            "{forged}: {}",
            answer.body
        );
    }
    let press = fd
        .select(message, question, &ids.asker, "sm1:device:1", &["android"])
        .await;
    assert_eq!(callback(&fd, press).await.body["data"]["flags"], EPHEMERAL);
    // The bot still works.
    let next = fd
        .user_message(ids.text_channel, &ids.other, "Low Battery")
        .await;
    posted_in(&fd, next).await;
    bot.stop().await;
}

/// `@everyone` and role mentions in a question are never pinged back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_injection_pings_no_one() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let text = format!(
        "@everyone <@&{}> <@{}> photos says Syncing Paused",
        ids.staff_role, ids.other.id
    );
    let question = fd.user_message(ids.text_channel, &ids.asker, &text).await;
    let reply = posted_in(&fd, question).await;
    assert_no_mentions(&reply.body);
    // Escalating quotes the text back: still no one pinged but the staff role.
    let answer = talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("@everyone")),
        "{}",
        answer.body
    );
    assert_no_mentions(&answer.body["data"]);
    let ping = nth_post_in(&fd, question, 2).await;
    assert_eq!(
        ping.body["allowed_mentions"]["roles"],
        json!([ids.staff_role.to_string()])
    );
    assert_eq!(ping.body["allowed_mentions"]["parse"], json!([]));
    bot.stop().await;
}

/// A user asking too fast is told once, then left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cooldown_tells_once_quietly() {
    let (fd, bot) = setup_with(&[("SYNCMEDIC__LIMITS__USER_COOLDOWN_SECONDS", "60".into())]).await;
    let ids = fd.ids().clone();
    let first = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused")
        .await;
    posted_in(&fd, first).await;
    let second = fd
        .user_message(ids.text_channel, &ids.asker, "Low Battery")
        .await;
    let told = posted_in(&fd, ids.text_channel).await;
    assert!(
        told.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("faster than I can keep up")),
        "{}",
        told.body
    );
    assert_eq!(
        told.body["message_reference"]["message_id"],
        second.to_string()
    );
    assert_no_mentions(&told.body);
    fd.user_message(ids.text_channel, &ids.asker, "Device Needs to Cool Down")
        .await;
    let other = fd
        .user_message(ids.text_channel, &ids.other, "Updating 3 Items")
        .await;
    posted_in(&fd, other).await; // others are not held up
    let to_channel = fd
        .requests()
        .iter()
        .filter(|r| {
            r.method == "POST" && r.path == format!("/channels/{}/messages", ids.text_channel)
        })
        .count();
    assert_eq!(to_channel, 1, "told once only:\n{}", fd.describe_requests());
    bot.stop().await;
}

/// A replayed MESSAGE_CREATE (as after a resume) is not answered again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_message_is_answered_once() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Waiting to Sync on my mac")
        .await;
    posted_in(&fd, question).await;
    let original = fd
        .all_messages_in(ids.text_channel)
        .into_iter()
        .find(|m| id_of(&m["id"]) == question)
        .expect("the question is stored");
    fd.dispatch("MESSAGE_CREATE", original).await;
    fd.drop_gateway().await;
    fd.wait_resumed(1, WAIT).await;
    let marker = fd
        .user_message(ids.text_channel, &ids.other, "Low Battery")
        .await;
    posted_in(&fd, marker).await;
    let threads = fd
        .requests()
        .iter()
        .filter(|r| r.path.ends_with(&format!("/messages/{question}/threads")))
        .count();
    assert_eq!(threads, 1, "{}", fd.describe_requests());
    assert_eq!(fd.messages_in(question).len(), 1);
    bot.stop().await;
}

/// Talk to a person posts the case and pings the staff role exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn talk_to_a_person_pings_staff_once() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    let answer = talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    let case = answer.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        case.contains("Problem:") && case.contains("Device:") && case.contains("Syncing Paused"),
        "{case}"
    );
    let ping = nth_post_in(&fd, question, 2).await;
    assert!(
        ping.body["content"]
            .as_str()
            .is_some_and(|c| c.contains(&format!("<@&{}>", ids.staff_role)))
    );
    // Asking again in the thread does not ping again.
    fd.user_message(question, &ids.asker, "can i talk to a human please")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pings = fd
        .requests()
        .iter()
        .filter(|r| {
            r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("<@&"))
        })
        .count();
    assert_eq!(pings, 1, "{}", fd.describe_requests());
    bot.stop().await;
}

/// Later messages in the thread are read in context.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thread_follow_ups_use_the_context() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Waiting to Upload 9 Items")
        .await;
    posted_in(&fd, question).await;
    fd.user_message(question, &ids.asker, "I'm on my mac").await;
    let steps = nth_post_in(&fd, question, 2).await;
    assert!(
        steps.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 1 of") && c.contains("Mac")),
        "{}",
        steps.body
    );
    fd.user_message(question, &ids.asker, "still stuck").await;
    let next = fd
        .wait_for(WAIT, |r| {
            r.path == format!("/channels/{question}/messages")
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("Step 2 of"))
        })
        .await;
    assert_no_mentions(&next.body);
    bot.stop().await;
}

/// Other bots, webhooks and the bot itself are never answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bots_and_webhooks_are_ignored() {
    use crate::support::discord::{TestUser, payloads};
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let other_bot = TestUser {
        bot: true,
        ..TestUser::new(7_777, "otherbot")
    };
    let from_bot = fd
        .user_message(ids.text_channel, &other_bot, "Syncing Paused")
        .await;
    let from_self = fd
        .user_message(ids.text_channel, &ids.bot, "Syncing Paused")
        .await;
    let mut hook = payloads::message(8_888, ids.text_channel, &ids.other, "Syncing Paused");
    hook["webhook_id"] = "5555".into();
    hook["guild_id"] = ids.guild.to_string().into();
    fd.dispatch("MESSAGE_CREATE", hook).await;
    let marker = fd
        .user_message(ids.text_channel, &ids.asker, "Low Battery")
        .await;
    posted_in(&fd, marker).await;
    for ignored in [from_bot, from_self, 8_888] {
        assert!(
            !fd.requests()
                .iter()
                .any(|r| r.path.contains(&ignored.to_string())),
            "answered {ignored}:\n{}",
            fd.describe_requests()
        );
    }
    bot.stop().await;
}

/// Stopped and started again mid-conversation: the buttons on the old
/// message still work, and the old question is not answered twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}",
        dir.path().join("data/syncmedic.db").display()
    );
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &url).await;
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    let message = newest_id(&fd, question);
    first.stop().await;

    let _second = bot::start_with_db(&fd, &[], &url).await;
    let press = fd
        .click(
            message,
            question,
            &ids.asker,
            &custom_id(&reply.body, "sm1:next"),
        )
        .await;
    let answer = callback(&fd, press).await;
    assert_eq!(answer.body["type"], 7, "{}", answer.body);
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 2 of")),
        "{}",
        answer.body
    );
    // The thread still reads in context after the restart.
    fd.user_message(question, &ids.asker, "that worked!").await;
    let done = nth_post_in(&fd, question, 2).await;
    assert!(
        done.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Glad")),
        "{}",
        done.body
    );
    // A replay of the original question is recognised from the database.
    let original = fd
        .all_messages_in(ids.text_channel)
        .into_iter()
        .find(|m| id_of(&m["id"]) == question)
        .expect("stored");
    fd.dispatch("MESSAGE_CREATE", original).await;
    let marker = fd
        .user_message(ids.text_channel, &ids.other, "Low Battery")
        .await;
    posted_in(&fd, marker).await;
    let threads = fd
        .requests()
        .iter()
        .filter(|r| r.path.ends_with(&format!("/messages/{question}/threads")))
        .count();
    assert_eq!(threads, 1);
}

fn ticket_posts(fd: &FakeDiscord, channel: u64) -> Vec<crate::support::discord::Recorded> {
    fd.requests()
        .into_iter()
        .filter(|r| {
            r.method == "POST"
                && r.path == format!("/channels/{channel}/messages")
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("**Ticket #"))
        })
        .collect()
}

/// Escalate, the staff post with one ping, a reminder, claim (staff only),
/// resolve: the whole life of a ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_life_cycle() {
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let staff_channel = ids.text_channel;
    let bot = bot::start(
        &fd,
        &[
            (
                "SYNCMEDIC__DISCORD__ESCALATION_CHANNEL",
                staff_channel.to_string(),
            ),
            ("SYNCMEDIC__ESCALATION__REMINDER_MINUTES", "0.01".into()),
        ],
    )
    .await;
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    assert_eq!(
        talk_to_a_person(&fd, question, &ids.asker, &reply.body)
            .await
            .body["type"],
        4
    );

    let post = fd
        .wait_for(WAIT, |r| {
            r.path == format!("/channels/{staff_channel}/messages")
                && r.body["content"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("**Ticket #"))
        })
        .await;
    let content = post.body["content"].as_str().unwrap_or_default();
    assert!(
        content.contains(&format!("<@&{}>", ids.staff_role))
            && content.contains(&format!("<#{question}>")),
        "{content}"
    );
    assert!(
        content.contains("Syncing Paused"),
        "the case is in the post: {content}"
    );
    assert!(
        content.contains("**OS version:** iOS 18.1"),
        "the form is in the post: {content}"
    );
    assert_eq!(
        post.body["allowed_mentions"]["roles"],
        json!([ids.staff_role.to_string()])
    );
    assert_eq!(post.body["enforce_nonce"], true);
    let claim = custom_id(&post.body, "sm1:claim");
    let resolve = custom_id(&post.body, "sm1:resolve");

    // Unclaimed: announced again.
    fd.wait_for(WAIT, |r| {
        r.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("still waiting"))
    })
    .await;

    let staff_post = fd
        .messages_in(staff_channel)
        .into_iter()
        .find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.starts_with("**Ticket #"))
        })
        .map(|m| id_of(&m["id"]))
        .expect("the ticket post is stored");
    let refused = fd
        .click(staff_post, staff_channel, &ids.other, &claim)
        .await;
    assert_eq!(
        callback(&fd, refused).await.body["data"]["flags"],
        EPHEMERAL
    );
    let claimed = fd
        .click(staff_post, staff_channel, &ids.staff_member, &claim)
        .await;
    let answer = callback(&fd, claimed).await;
    assert_eq!(answer.body["type"], 7);
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("**Claimed** by")),
        "{}",
        answer.body
    );
    assert_no_mentions(&answer.body["data"]);
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{question}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("picked this up"))
    })
    .await;
    let twice = fd
        .click(staff_post, staff_channel, &ids.staff_member, &claim)
        .await;
    assert_eq!(
        callback(&fd, twice).await.body["data"]["flags"],
        EPHEMERAL,
        "claimed once"
    );

    let resolved = fd
        .click(staff_post, staff_channel, &ids.staff_member, &resolve)
        .await;
    assert_eq!(callback(&fd, resolved).await.body["type"], 7);
    let archive = fd
        .wait_for(WAIT, |r| {
            r.method == "PATCH" && r.path == format!("/channels/{question}")
        })
        .await;
    assert_eq!(archive.body["archived"], true);
    assert_eq!(
        ticket_posts(&fd, staff_channel).len(),
        1,
        "one ticket post:\n{}",
        fd.describe_requests()
    );
    bot.stop().await;
}

/// The staff post failing with 500 and 429, then succeeding: one post.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_post_retries_through_errors_and_posts_once() {
    use crate::support::discord::Fault;
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let bot = bot::start(
        &fd,
        &[(
            "SYNCMEDIC__DISCORD__ESCALATION_CHANNEL",
            ids.forum_channel.to_string(),
        )],
    )
    .await;
    fd.fail_next(
        "POST",
        &format!("/channels/{}/messages", ids.forum_channel),
        vec![
            Fault::Status(500),
            Fault::RateLimited {
                retry_after_secs: 0.2,
                global: false,
            },
        ],
    );
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{}/messages", ids.forum_channel) && r.status == 200
    })
    .await;
    let tries: Vec<u16> = ticket_posts(&fd, ids.forum_channel)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(tries, vec![500, 429, 200]);
    assert_eq!(fd.messages_in(ids.forum_channel).len(), 1);
    bot.stop().await;
}

/// Stopped while the staff post keeps failing, started again: the ticket
/// is posted exactly once, from the stored outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_survives_a_restart_and_posts_once() {
    use crate::support::discord::Fault;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("syncmedic.db").display());
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let env = [(
        "SYNCMEDIC__DISCORD__ESCALATION_CHANNEL",
        ids.forum_channel.to_string(),
    )];
    let first = bot::start_with_db(&fd, &env, &url).await;
    fd.fail_next(
        "POST",
        &format!("/channels/{}/messages", ids.forum_channel),
        vec![Fault::Status(502); 2],
    );
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{}/messages", ids.forum_channel)
    })
    .await;
    first.stop().await;

    let _second = bot::start_with_db(&fd, &env, &url).await;
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{}/messages", ids.forum_channel) && r.status == 200
    })
    .await;
    let posts = ticket_posts(&fd, ids.forum_channel);
    let nonces: std::collections::HashSet<String> =
        posts.iter().map(|r| r.body["nonce"].to_string()).collect();
    assert_eq!(nonces.len(), 1, "every try carries the same nonce");
    assert_eq!(
        fd.messages_in(ids.forum_channel).len(),
        1,
        "posted exactly once"
    );
}

/// `/kb stats` answers staff with a table and a PNG chart; others are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kb_stats_for_staff_only() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let question = fd
        .user_message(ids.text_channel, &ids.asker, "Syncing Paused on my iphone")
        .await;
    let reply = posted_in(&fd, question).await;
    let press = fd
        .click(
            newest_id(&fd, question),
            question,
            &ids.asker,
            &custom_id(&reply.body, "sm1:fixed"),
        )
        .await;
    callback(&fd, press).await;

    let refused = fd
        .slash(
            ids.text_channel,
            &ids.other,
            "kb",
            json!([{"type": 1, "name": "stats", "options": []}]),
        )
        .await;
    let answer = callback(&fd, refused).await;
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Only the support team")),
        "{}",
        answer.body
    );

    let run = fd
        .slash(ids.text_channel, &ids.staff_member, "kb", json!([{"type": 1, "name": "stats", "options": [{"type": 4, "name": "days", "value": 7}]}]))
        .await;
    let answer = callback(&fd, run).await;
    let content = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("status-paused") && content.contains("1 resolved by the bot"),
        "{content}"
    );
    assert!(
        answer.raw.windows(4).any(|w| w == b"\x89PNG"),
        "a PNG is attached to the reply"
    );
    bot.stop().await;
}

/// `/escalate` opens the hand-over form anywhere; submitting it writes a
/// ticket and pings the staff once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalate_command_opens_the_form_and_files_a_ticket() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let run = fd
        .slash(ids.text_channel, &ids.asker, "escalate", json!({}))
        .await;
    let modal = callback(&fd, run).await;
    assert_eq!(modal.body["type"], 9, "{}", modal.body);
    let form_id = modal.body["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let submit = fd
        .submit_modal(
            ids.text_channel,
            &ids.asker,
            &form_id,
            &[("tried", "restarted everything twice")],
        )
        .await;
    let answer = callback(&fd, submit).await;
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("restarted everything twice")),
        "{}",
        answer.body
    );
    let post = fd
        .wait_for(WAIT, |r| {
            r.body["content"]
                .as_str()
                .is_some_and(|c| c.starts_with("**Ticket #"))
        })
        .await;
    assert_eq!(
        post.body["allowed_mentions"]["roles"],
        json!([ids.staff_role.to_string()])
    );
    bot.stop().await;
}
