//! Buttons, selects and follow-ups in a conversation.

use super::*;

/// Next step edits the message in place with step 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_step_updates_the_message_in_place() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
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
    assert_shows_step(&answer, 2);
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
    let (question, reply) = ask(&fd, &ids.asker, "Waiting to Upload 3 Items…").await;
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
    let (question, reply) = ask(&fd, &ids.asker, super::VAGUE).await;
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

/// Only the asker or staff may close or escalate; others get a private note.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_press_gets_an_ephemeral_note() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
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

/// "That fixed it" after "Show all steps" asks which step did it, and the
/// answer typed in the thread, without a mention, is credited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_after_show_all_asks_which_step_and_hears_the_answer() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let all = fd
        .click(
            newest_id(&fd, question),
            question,
            &ids.asker,
            &custom_id(&reply.body, "sm1:all"),
        )
        .await;
    let shown = callback(&fd, all).await;
    let fixed = custom_id(&shown.body["data"], "sm1:fixed");
    let press = fd
        .click(newest_id(&fd, question), question, &ids.asker, &fixed)
        .await;
    let asked = callback(&fd, press).await;
    assert!(
        asked.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Which step did it?")),
        "{}",
        asked.body
    );
    fd.user_message(question, &ids.asker, "2").await;
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{question}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("step 2 did it"))
    })
    .await;
    bot.stop().await;
}
