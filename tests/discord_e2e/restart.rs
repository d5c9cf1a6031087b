//! A restart mid-conversation and mid-escalation loses and doubles nothing.

use super::*;
use crate::support::bot::OnDisk;

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
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
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
    assert_shows_step(&answer, 2);
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
    redeliver(&fd, ids.text_channel, question).await;
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

/// Stopped while the staff post keeps failing, started again: the ticket
/// is posted exactly once, by the restarted bot, from the stored outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_survives_a_restart_and_posts_once() {
    use crate::support::discord::Fault;
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let staff = fd.add_text_channel("staff").await;
    let env = [("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string())];
    let first = bot::start_with_db(&fd, &env, &disk.url).await;
    fd.fail_next(
        "POST",
        &format!("/channels/{staff}/messages"),
        // More than the first bot can try, shutdown flush included: it
        // cannot deliver, so only the second one can.
        vec![Fault::Status(502); 100],
    );
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    fd.wait_for(WAIT, |r| r.path == format!("/channels/{staff}/messages"))
        .await;
    first.stop().await;
    fd.clear_faults();

    // From here on, only what the second bot sends counts.
    let cursor = fd.request_count();
    let _second = bot::start_with_db(&fd, &env, &disk.url).await;
    fd.wait_for_after(cursor, WAIT, |r| {
        r.path == format!("/channels/{staff}/messages") && r.status == 200
    })
    .await;
    let posts = ticket_posts(&fd, staff);
    let nonces: std::collections::HashSet<String> =
        posts.iter().map(|r| r.body["nonce"].to_string()).collect();
    assert_eq!(nonces.len(), 1, "every try carries the same nonce");
    assert_eq!(fd.messages_in(staff).len(), 1, "posted exactly once");
}

/// Discord took the staff post but the reply never came back in time: the
/// retry carries the same nonce, and Discord (here, the test server) keeps
/// one message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_whose_reply_is_lost_is_not_doubled() {
    use crate::support::discord::Fault;
    let (fd, bot) = setup_with(&[("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", String::new())]).await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    // The ticket is posted in the conversation's thread: delay that reply
    // past the bot's 10 s send timeout.
    fd.fail_next(
        "POST",
        &format!("/channels/{question}/messages"),
        vec![Fault::DelayAfter(Duration::from_secs(11))],
    );
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    let long = Duration::from_secs(30);
    let posts_of = |fd: &FakeDiscord| {
        fd.requests()
            .into_iter()
            .filter(|r| {
                r.path == format!("/channels/{question}/messages")
                    && r.body["content"]
                        .as_str()
                        .is_some_and(|c| c.starts_with("**Ticket #"))
            })
            .count()
    };
    let deadline = tokio::time::Instant::now() + long;
    while posts_of(&fd) < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(posts_of(&fd), 2, "tried twice:\n{}", fd.describe_requests());
    let tickets = fd
        .messages_in(question)
        .into_iter()
        .filter(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.starts_with("**Ticket #"))
        })
        .count();
    assert_eq!(tickets, 1, "one message for both tries");
    bot.stop().await;
}

/// A hand-over a crash cut short (the conversation written as escalated,
/// its ticket not) is finished at the next start: one ticket, posted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_hand_over_is_finished_at_start() {
    use syncmedic::dialog::{Conversation, Stage};
    use syncmedic::kb::IntentId;
    use syncmedic::store::{ConversationRecord, SqliteStore, Store};
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let staff = fd.add_text_channel("staff").await;
    {
        let store = SqliteStore::open(&disk.url).expect("opens");
        let conversation = Conversation {
            stage: Stage::Escalated {
                intent: IntentId::parse("status-paused"),
                asker_fixed: false,
            },
            said: vec!["Syncing Paused on my iphone".into()],
            ..Conversation::default()
        };
        let record = ConversationRecord {
            id: 4242,
            asker: ids.asker.id,
            thread: Some(4242),
            forum: false,
            turn: 2,
            escalated: false,
            conversation,
            applied: Default::default(),
        };
        store.save(record).await.expect("saves");
        store.close().await.expect("closes");
    }
    let env = [("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string())];
    let bot = bot::start_with_db(&fd, &env, &disk.url).await;
    let post = fd
        .wait_for(WAIT, |r| {
            r.path == format!("/channels/{staff}/messages") && r.status == 200
        })
        .await;
    let text = post.body["content"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("**Ticket #1**") && text.contains("Syncing Paused"),
        "{text}"
    );
    bot.stop().await;
    // Finished once: a second start posts nothing more.
    let cursor = fd.request_count();
    let again = bot::start_with_db(&fd, &env, &disk.url).await;
    again.stop().await;
    assert!(
        !fd.requests_from(cursor)
            .iter()
            .any(|r| r.path == format!("/channels/{staff}/messages")),
        "{}",
        fd.describe_requests()
    );
}

/// The terminal and the bot on one database: the terminal's ticket (no
/// staff post) and a poisoned post from an older version (channel 0) do
/// not stop the outbox; the bot's ticket is posted, and reminded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_tickets_do_not_stop_the_outbox() {
    use syncmedic::store::{PostDraft, PostKind, SqliteStore, Store};
    let disk = OnDisk::new();
    // A terminal hand-over, written by `syncmedic chat` itself.
    let chat = crate::support::syncmedic(disk.folder())
        .arg("chat")
        .env("SYNCMEDIC__DATABASE__URL", &disk.url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("chat starts");
    {
        use std::io::Write as _;
        let mut chat = chat;
        chat.stdin
            .take()
            .expect("stdin")
            .write_all(b"I need to talk to a human\nquit\n")
            .expect("writes");
        let out = chat.wait_with_output().expect("chat ends");
        let out = String::from_utf8_lossy(&out.stdout);
        assert!(out.contains("Ticket #1 written"), "{out}");
    }
    {
        let store = SqliteStore::open(&disk.url).expect("opens");
        let poison = PostDraft {
            kind: PostKind::Note,
            channel: 0,
            content: "from an older version".into(),
            body: String::new(),
            ping_role: None,
        };
        store.enqueue(None, poison).await.expect("queues");
        store.close().await.expect("closes");
    }
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let staff = fd.add_text_channel("staff").await;
    let env = [
        ("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string()),
        (
            "SYNCMEDIC__ESCALATION__REMINDER_MINUTES",
            "0.01".to_string(),
        ),
    ];
    let bot = bot::start_with_db(&fd, &env, &disk.url).await;
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    let post = fd
        .wait_for(WAIT, |r| {
            r.path == format!("/channels/{staff}/messages") && r.status == 200
        })
        .await;
    assert!(
        post.body["content"]
            .as_str()
            .is_some_and(|c| c.starts_with("**Ticket #2**")),
        "{}",
        post.body
    );
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{staff}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("#2** is still waiting"))
    })
    .await;
    bot.stop().await;
}

/// A question asked while the bot was stopped is answered once at the next
/// start; one answered before is not answered again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_asked_while_stopped_is_answered_at_start() {
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let (before, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    first.stop().await;

    let missed = fd
        .user_message(
            ids.text_channel,
            &ids.other,
            "photos says Low Battery on my ipad",
        )
        .await;
    let _second = bot::start_with_db(&fd, &[], &disk.url).await;
    let reply = posted_in(&fd, missed).await;
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "{}",
        reply.body
    );
    // Settled: the missed one once, the old one not again.
    let marker = fd
        .user_message(ids.text_channel, &ids.other, "Low Battery")
        .await;
    posted_in(&fd, marker).await;
    let threads_on = |message: u64| {
        fd.requests()
            .iter()
            .filter(|r| r.path.ends_with(&format!("/messages/{message}/threads")))
            .count()
    };
    assert_eq!(threads_on(missed), 1, "{}", fd.describe_requests());
    assert_eq!(threads_on(before), 1, "{}", fd.describe_requests());
}

/// Follow-ups written while the bot was stopped, in a case's thread and in
/// a DM, are answered at start, each once and as the next step: the start
/// reads back the channels of recent conversations, not only the support
/// channels.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_ups_written_while_stopped_are_answered_at_start() {
    let disk = OnDisk::new();
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let first = bot::start_with_db(&fd, &[], &disk.url).await;
    let (thread, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    fd.dm_message(&ids.other, "Syncing Paused on my iphone")
        .await;
    let dm = fd.dm_channel_of(&ids.other);
    posted_in(&fd, dm).await;
    first.stop().await;

    fd.user_message(thread, &ids.asker, "still stuck").await;
    fd.dm_message(&ids.other, "didn't help").await;
    let _second = bot::start_with_db(&fd, &[], &disk.url).await;
    for channel in [thread, dm] {
        let next = nth_post_in(&fd, channel, 2).await;
        assert!(
            next.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("Step 2 of")),
            "{}",
            next.body
        );
    }
    // Settled: a marker answered after them, and nothing answered twice.
    let marker = fd
        .user_message(ids.text_channel, &ids.other, "Low Battery")
        .await;
    posted_in(&fd, marker).await;
    assert_eq!(
        fd.messages_in(thread).len(),
        2,
        "{}",
        fd.describe_requests()
    );
    assert_eq!(fd.messages_in(dm).len(), 2, "{}", fd.describe_requests());
}
