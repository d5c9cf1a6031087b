//! Who may do what to a case and where messages go (what reaches staff is
//! `staff.rs`): each finding of the authority review, through the loopback
//! Discord.

use super::*;
use crate::support::discord::{Recorded, TestUser};

pub(super) fn role_pings(fd: &FakeDiscord) -> usize {
    fd.requests()
        .iter()
        .filter(|r| {
            r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("<@&"))
                && r.body["allowed_mentions"]["roles"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty())
        })
        .count()
}

/// Once the bot has handled every message: `tickets` ticket posts in
/// `channel`, and `pings` role pings in all.
pub(super) async fn settled_with(
    fd: &FakeDiscord,
    bot: &bot::Bot,
    channel: u64,
    tickets: usize,
    pings: usize,
) {
    bot.settled(fd).await;
    let seen = fd.describe_requests();
    assert_eq!(ticket_posts(fd, channel).len(), tickets, "{seen}");
    assert_eq!(role_pings(fd), pings, "{seen}");
}

/// The first post in the staff channel.
pub(super) async fn staff_post(fd: &FakeDiscord, staff: u64) -> Recorded {
    fd.wait_for(WAIT, |r| r.path == format!("/channels/{staff}/messages"))
        .await
}

/// The form's custom id, from pressing Talk to a person as `user`.
pub(super) async fn form_id(
    fd: &FakeDiscord,
    thread: u64,
    user: &TestUser,
    reply: &serde_json::Value,
) -> String {
    open_form(fd, thread, user, reply).await["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A stranger in someone's thread can neither press, escalate, submit the
/// form, nor type the case closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_cannot_move_someone_elses_case() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let message = newest_id(&fd, thread);
    for prefix in ["sm1:next", "sm1:all", "sm1:fixed", "sm1:person"] {
        let press = fd
            .click(message, thread, &ids.other, &custom_id(&reply.body, prefix))
            .await;
        let why = refused(&fd, press).await;
        assert!(why.contains("someone else's case"), "{prefix}: {why}");
    }
    let escalate = fd.slash(thread, &ids.other, "escalate", json!({})).await;
    let why = refused(&fd, escalate).await;
    assert!(why.contains("someone else's case"), "{why}");
    let forged = fd
        .submit_modal(thread, &ids.other, "sm1:form:1", &[("tried", "everything")])
        .await;
    let why = refused(&fd, forged).await;
    assert!(why.contains("someone else's case"), "{why}");

    fd.user_message(thread, &ids.other, "fixed it, thanks!")
        .await;
    fd.user_message(thread, &ids.other, "talk to a human").await;
    bot.settled(&fd).await;
    assert_eq!(bot_posts_in(&fd, thread), 1, "{}", fd.describe_requests());
    assert!(ticket_posts(&fd, thread).is_empty());
    // The case is where the asker left it: their Next step still works.
    let next = fd
        .click(
            message,
            thread,
            &ids.asker,
            &custom_id(&reply.body, "sm1:next"),
        )
        .await;
    let moved = callback(&fd, next).await;
    assert_eq!(moved.body["type"], 7, "{}", moved.body);
    bot.stop().await;
}

/// "Something else" in someone's "Did you mean" is theirs to pick.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn something_else_is_the_askers_to_pick() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, super::VAGUE).await;
    let select = custom_id(&reply.body, "sm1:pick");
    let press = fd
        .select(
            newest_id(&fd, thread),
            thread,
            &ids.other,
            &select,
            &["something-else"],
        )
        .await;
    let why = refused(&fd, press).await;
    assert!(why.contains("someone else's case"), "{why}");
    bot.stop().await;
}

/// A mention inside a member's own thread (where no thread can be opened)
/// is answered as a reply to it; the chatter after it is not the bot's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_in_a_thread_answers_that_message_only() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let thread = fd
        .add_thread(ids.text_channel, &ids.asker, "weekend plans")
        .await;
    let question = fd
        .user_message(
            thread,
            &ids.asker,
            &format!("<@{}> my iphone photos say Syncing Paused", ids.bot.id),
        )
        .await;
    let reply = posted_in(&fd, thread).await;
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        question.to_string(),
        "{}",
        reply.body
    );
    fd.user_message(thread, &ids.asker, "ok cool. anyway, pizza tonight?")
        .await;
    fd.user_message(thread, &ids.other, "yes! and what about the film")
        .await;
    fd.user_message(thread, &ids.asker, "no idea lol").await;
    bot.settled(&fd).await;
    assert_eq!(bot_posts_in(&fd, thread), 1, "{}", fd.describe_requests());
    // The answer's own buttons still lead to the case.
    let next = fd
        .click(
            newest_id(&fd, thread),
            thread,
            &ids.asker,
            &custom_id(&reply.body, "sm1:next"),
        )
        .await;
    assert_eq!(callback(&fd, next).await.body["type"], 7);
    bot.stop().await;
}

/// Once a person has the case, the asker's and the staff's talk in the
/// thread is theirs; a mention still reaches the bot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_escalation_the_bot_speaks_only_when_mentioned() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, thread, &ids.asker, &reply.body).await;
    // The ticket post in the thread (no escalation channel configured).
    nth_post_in(&fd, thread, 2).await;
    let before = bot_posts_in(&fd, thread);
    fd.user_message(thread, &ids.staff_member, "hi, I'm on it. did you restart?")
        .await;
    fd.user_message(thread, &ids.asker, "not yet, doing it now")
        .await;
    fd.user_message(thread, &ids.staff_member, "great, is it fixed?")
        .await;
    bot.settled(&fd).await;
    assert_eq!(
        bot_posts_in(&fd, thread),
        before,
        "{}",
        fd.describe_requests()
    );
    fd.user_message(
        thread,
        &ids.asker,
        &format!("<@{}> it says Waiting to Upload 3 Items now", ids.bot.id),
    )
    .await;
    nth_post_in(&fd, thread, before + 1).await;
    bot.stop().await;
}

/// With no escalation channel, a DM cannot hand over: the post would land
/// in the user's own DM, where no staff look.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_hands_over_only_with_an_escalation_channel() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    fd.dm_message(&ids.asker, "Syncing Paused on my iphone")
        .await;
    let dm = fd.dm_channel_of(&ids.asker);
    let reply = posted_in(&fd, dm).await;
    let press = fd
        .click(
            newest_id(&fd, dm),
            dm,
            &ids.asker,
            &custom_id(&reply.body, "sm1:person"),
        )
        .await;
    let why = refused(&fd, press).await;
    assert!(why.contains("support channel"), "{why}");
    bot.stop().await;
}

/// Commands, presses and form submits spend the same per-user allowance
/// as messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_presses_and_submits_are_rate_limited_too() {
    // One a minute after the burst of five: nothing refills during the test.
    let limit = [("SYNCMEDIC__LIMITS__USER_REPLIES_PER_MINUTE", "1".into())];
    let (fd, bot, _staff) = setup_with_staff_channel(&limit).await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let mut forms = 0;
    for _ in 0..5 {
        let run = fd
            .slash(ids.text_channel, &ids.other, "escalate", json!({}))
            .await;
        forms += usize::from(callback(&fd, run).await.body["type"] == 9);
    }
    assert_eq!(forms, 5, "the burst of five");
    let command = fd
        .slash(ids.text_channel, &ids.other, "escalate", json!({}))
        .await;
    let press = fd
        .click(
            newest_id(&fd, thread),
            thread,
            &ids.other,
            &custom_id(&reply.body, "sm1:next"),
        )
        .await;
    let submit = fd
        .submit_modal(
            ids.text_channel,
            &ids.other,
            "sm1:form:0",
            &[("tried", "all")],
        )
        .await;
    for (what, interaction) in [("command", command), ("press", press), ("submit", submit)] {
        let why = refused(&fd, interaction).await;
        assert!(why.contains("faster than I can keep up"), "{what}: {why}");
    }
    bot.stop().await;
}

/// Typed requests for a person go through the same rules as the button:
/// from a DM with no staff channel, and for someone else's message through
/// the message menu, nothing reaches staff.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_and_menu_requests_for_a_person_follow_the_rules() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    fd.dm_message(&ids.asker, "I need to talk to a human please")
        .await;
    let dm = fd.dm_channel_of(&ids.asker);
    let note = posted_in(&fd, dm).await;
    let text = note.body["content"].as_str().unwrap_or_default();
    assert!(text.contains("can't hand this over"), "{text}");

    // A member's plea, answered for them through someone else's menu.
    let plea = fd
        .user_message(ids.text_channel, &ids.other, "talk to a human")
        .await;
    // Its own hand-over: the reply, then the ticket in its thread.
    nth_post_in(&fd, plea, 2).await;
    let before = role_pings(&fd);
    let menu = fd
        .message_command(
            ids.text_channel,
            &ids.asker,
            "Diagnose with syncmedic",
            plea,
        )
        .await;
    let why = refused(&fd, menu).await;
    assert!(
        why.contains("someone else's case") || why.contains("already have ticket"),
        "{why}"
    );
    bot.settled(&fd).await;
    assert_eq!(role_pings(&fd), before, "{}", fd.describe_requests());
    bot.stop().await;
}

/// A stranger's mention in the asker's thread gets its own reply-only
/// case: it cannot put a ticket into the asker's thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_hand_over_never_lands_in_the_askers_thread() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (thread, _) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let plea = fd
        .user_message(
            thread,
            &ids.other,
            &format!("<@{}> talk to a human", ids.bot.id),
        )
        .await;
    let note = fd
        .wait_for(WAIT, |r| {
            r.path == format!("/channels/{thread}/messages")
                && r.body["message_reference"]["message_id"].as_str()
                    == Some(plea.to_string().as_str())
        })
        .await;
    let text = note.body["content"].as_str().unwrap_or_default();
    assert!(text.contains("can't hand this over"), "{text}");
    settled_with(&fd, &bot, thread, 0, 0).await;
    bot.stop().await;
}
