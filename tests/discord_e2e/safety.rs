//! Mentions, cooldown and replays: nobody pinged, nothing answered twice.

use super::*;

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
    // Escalating quotes the text back, made inert: still no one pinged
    // but the staff role, and no mention even drawn.
    let answer = talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    let quoted = answer.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        quoted.contains("@\u{200b}everyone") && !quoted.contains("@everyone"),
        "{quoted}"
    );
    assert!(
        quoted.contains(&format!("\\<@\u{200b}&{}\\>", ids.staff_role)),
        "{quoted}"
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

/// A user typing faster than people do in their own thread gets a burst of
/// replies, one note, then silence; someone else is answered meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_per_minute_hold_a_flood_in_a_thread() {
    let (fd, bot) = setup_with(&[("SYNCMEDIC__LIMITS__USER_REPLIES_PER_MINUTE", "1".into())]).await;
    let ids = fd.ids().clone();
    let (thread, _) = ask(&fd, &ids.asker, "photos says Syncing Paused").await;
    for n in 0..8 {
        fd.user_message(
            thread,
            &ids.asker,
            &format!("it still says paused, try {n}"),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let (_, other) = ask(&fd, &ids.other, "Photos says Unable to Upload 3 Items").await;
    assert_no_mentions(&other.body);
    bot.settled(&fd).await;
    let posts = fd.messages_in(thread);
    let notes = posts
        .iter()
        .filter(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("faster than I can answer"))
        })
        .count();
    // A burst of five replies (the question's answer among them), one note.
    assert_eq!((posts.len(), notes), (6, 1), "{posts:#?}");
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
    redeliver(&fd, ids.text_channel, question).await;
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
