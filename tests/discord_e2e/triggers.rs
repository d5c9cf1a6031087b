//! Every way a question reaches the bot, and what stays unanswered.

use super::*;

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
            // Whole path segments: 8888 can sit inside a snowflake.
            !fd.requests()
                .iter()
                .any(|r| r.path.split('/').any(|seg| seg == ignored.to_string())),
            "answered {ignored}:\n{}",
            fd.describe_requests()
        );
    }
    bot.stop().await;
}

/// Message Content not switched on for the application: Discord closes the
/// gateway with 4014. The bot comes back without it within seconds,
/// answers a mention, and tells staff in /help which switch to turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_content_intent_degrades_instead_of_stopping() {
    use crate::support::discord::Options;
    let fd = FakeDiscord::start_with(Options {
        message_content_allowed: false,
        ..Options::default()
    })
    .await;
    let ids = fd.ids().clone();
    let bot = bot::start(&fd, &[]).await;
    // Without the intent, a support-channel question arrives empty.
    let unread = fd
        .user_message(ids.text_channel, &ids.other, "Syncing Paused on my ipad")
        .await;
    let question = fd
        .user_message(
            ids.text_channel,
            &ids.asker,
            &format!("<@{}> my iphone photos say Syncing Paused", ids.bot.id),
        )
        .await;
    let reply = posted_in(&fd, question).await;
    assert!(
        !fd.requests()
            .iter()
            .any(|r| r.path.contains(&format!("/messages/{unread}/threads"))),
        "{}",
        fd.describe_requests()
    );
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Paused")),
        "{}",
        reply.body
    );
    let help = fd
        .slash(ids.text_channel, &ids.staff_member, "help", json!({}))
        .await;
    let text = callback(&fd, help).await.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        text.contains("Privileged Gateway Intents › Message Content"),
        "{text}"
    );
    let member_help = fd
        .slash(ids.text_channel, &ids.other, "help", json!({}))
        .await;
    let text = callback(&fd, member_help).await.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!text.contains("For the support team"), "{text}");
    bot.stop().await;
}
