//! What reaches staff, and no way to spam them: one ticket and one ping
//! per hand-over however it is asked for, one reminder, posts as typed,
//! ticket buttons that act only on their own ticket, and a forum as the
//! escalation channel.

use super::authority::{form_id, role_pings, settled_with, staff_post};
use super::*;
use crate::support::discord::Recorded;

/// Five submits of the form in a row: one ticket, one ping; a later
/// `/escalate` points to the open ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_form_submits_open_one_ticket_and_ping_once() {
    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let form = form_id(&fd, thread, &ids.asker, &reply.body).await;
    let mut submits = Vec::new();
    for n in 0..5 {
        let tried = format!("restarted, try {n}");
        submits.push(
            fd.submit_modal(thread, &ids.asker, &form, &[("tried", tried.as_str())])
                .await,
        );
    }
    for submit in submits {
        callback(&fd, submit).await;
    }
    staff_post(&fd, staff).await;
    let escalate = fd
        .slash(ids.text_channel, &ids.asker, "escalate", json!({}))
        .await;
    let why = refused(&fd, escalate).await;
    assert!(why.contains("already have ticket #"), "{why}");
    settled_with(&fd, &bot, staff, 1, 1).await;
    bot.stop().await;
}

/// An unclaimed ticket reminds the staff once, not every interval forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_reminder_per_ticket_by_default() {
    let (fd, bot, staff) =
        setup_with_staff_channel(&[("SYNCMEDIC__ESCALATION__REMINDER_MINUTES", "0.01".into())])
            .await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, thread, &ids.asker, &reply.body).await;
    let is_reminder = |r: &Recorded| {
        r.path == format!("/channels/{staff}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("still waiting"))
    };
    fd.wait_for(WAIT, is_reminder).await;
    // Three more intervals of the old behaviour's pace.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let reminders = fd.requests().iter().filter(|r| is_reminder(r)).count();
    assert_eq!(reminders, 1, "{}", fd.describe_requests());
    assert_eq!(role_pings(&fd), 2, "the ticket and its one reminder");
    bot.stop().await;
}

/// Markdown in the form reaches staff as typed, never as structure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markdown_in_the_form_cannot_forge_the_staff_post() {
    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let form = form_id(&fd, thread, &ids.asker, &reply.body).await;
    let submit = fd
        .submit_modal(
            thread,
            &ids.asker,
            &form,
            &[
                ("device_model", "[click here](https://evil.example/login)"),
                ("os_version", "**Claimed by** <@1> {ticket}"),
                ("library_size", &"*".repeat(200)),
                ("status_text", "# Resolved\r\n> by staff\u{2028}- done"),
                ("tried", "```\neverything"),
            ],
        )
        .await;
    callback(&fd, submit).await;
    let post = staff_post(&fd, staff).await;
    let text = post.body["content"].as_str().unwrap_or_default();
    assert!(text.starts_with("**Ticket #"), "{text}");
    assert!(!text.contains("](https"), "a live masked link: {text}");
    assert!(text.contains("\\[click here\\]"), "{text}");
    assert!(!text.contains("```"), "an open fence: {text}");
    assert!(!text.contains("**Claimed by**"), "a forged claim: {text}");
    assert!(
        text.contains("{ticket}"),
        "user text is not expanded: {text}"
    );
    assert!(!text.contains("<@1>"), "{text}");
    // Every line of the case is the bot's own line, whole: a label, a
    // quote, a step, or the closing "…".
    for line in text.lines().skip(2) {
        let own = line.starts_with("**") || line.starts_with("> ") || line.starts_with("- ");
        assert!(
            own || line == "…",
            "a line out of place: {line:?} in {text}"
        );
    }
    bot.stop().await;
}

/// Claim and Resolve act only on the post their ticket's buttons are on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_buttons_work_only_on_their_own_post() {
    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, thread, &ids.asker, &reply.body).await;
    let post = staff_post(&fd, staff).await;
    let claim = custom_id(&post.body, "sm1:claim");
    // The same id, pressed on another message of the bot's.
    let elsewhere = fd
        .click(newest_id(&fd, thread), thread, &ids.staff_member, &claim)
        .await;
    let why = refused(&fd, elsewhere).await;
    assert!(why.contains("doesn't belong"), "{why}");
    let staff_post = newest_id(&fd, staff);
    let right = fd.click(staff_post, staff, &ids.staff_member, &claim).await;
    assert_eq!(callback(&fd, right).await.body["type"], 7);
    bot.stop().await;
}

/// Two conversations of one asker asking for a person at once: one ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_asker_two_cases_at_once_get_one_ticket() {
    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
    let ids = fd.ids().clone();
    let (first, first_reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    let (second, second_reply) = ask(&fd, &ids.asker, "Low Battery on my ipad").await;
    let first_form = form_id(&fd, first, &ids.asker, &first_reply.body).await;
    let second_form = form_id(&fd, second, &ids.asker, &second_reply.body).await;
    let a = fd
        .submit_modal(first, &ids.asker, &first_form, &[("tried", "restart")])
        .await;
    let b = fd
        .submit_modal(second, &ids.asker, &second_form, &[("tried", "restart")])
        .await;
    callback(&fd, a).await;
    callback(&fd, b).await;
    staff_post(&fd, staff).await;
    settled_with(&fd, &bot, staff, 1, 1).await;
    bot.stop().await;
}

/// Once staff resolve a ticket, the asker may ask for a person again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_staff_resolve_the_asker_may_ask_again() {
    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
    let ids = fd.ids().clone();
    let (thread, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, thread, &ids.asker, &reply.body).await;
    let post = staff_post(&fd, staff).await;
    let resolve = fd
        .click(
            newest_id(&fd, staff),
            staff,
            &ids.staff_member,
            &custom_id(&post.body, "sm1:resolve"),
        )
        .await;
    assert_eq!(callback(&fd, resolve).await.body["type"], 7);
    let again = fd.slash(thread, &ids.asker, "escalate", json!({})).await;
    let form = callback(&fd, again).await;
    assert_eq!(form.body["type"], 9, "a new form: {}", form.body);
    bot.stop().await;
}

/// A forum as the escalation channel: one post per ticket (Discord takes
/// no plain message there), the ping in its first message, its state tag
/// following claim and resolve.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_escalation_channel_gets_a_post_per_ticket() {
    let fd = FakeDiscord::start().await;
    let ids = fd.ids().clone();
    let (forum, tags) = fd
        .add_forum("tickets", &["Open", "Claimed", "Resolved", "iPhone"])
        .await;
    let (open, claimed, resolved) = (tags[0], tags[1], tags[2]);
    let bot = bot::start(
        &fd,
        &[("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", forum.to_string())],
    )
    .await;
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    let made = fd
        .wait_for(WAIT, |r| {
            r.path == format!("/channels/{forum}/threads") && r.status == 200
        })
        .await;
    assert_eq!(made.body["name"], "Ticket #1", "{}", made.body);
    assert_eq!(made.body["applied_tags"], json!([open.to_string()]));
    let first = &made.body["message"];
    assert!(
        first["content"]
            .as_str()
            .is_some_and(|c| c.starts_with("**Ticket #1**")
                && c.contains(&format!("<@&{}>", ids.staff_role))),
        "{first}"
    );
    assert_eq!(
        first["allowed_mentions"]["roles"],
        json!([ids.staff_role.to_string()])
    );
    assert!(
        !fd.requests()
            .iter()
            .any(|r| r.path == format!("/channels/{forum}/messages")),
        "no plain message tried in the forum"
    );
    let (post, starter) = fd
        .bot_messages()
        .into_iter()
        .find(|(_, m)| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.starts_with("**Ticket #1**"))
        })
        .expect("the forum post's first message");
    assert_eq!(
        id_of(&starter["id"]),
        post,
        "the first message has the post's id"
    );
    let tags_of = |fd: &FakeDiscord| fd.channel(post).map(|c| c["applied_tags"].clone());

    let claim = fd
        .click(
            post,
            post,
            &ids.staff_member,
            &custom_id(first, "sm1:claim"),
        )
        .await;
    assert_eq!(callback(&fd, claim).await.body["type"], 7);
    fd.wait_for(WAIT, |r| {
        r.method == "PATCH" && r.path == format!("/channels/{post}")
    })
    .await;
    assert_eq!(tags_of(&fd), Some(json!([claimed.to_string()])));

    let resolve = fd
        .click(
            post,
            post,
            &ids.staff_member,
            &custom_id(first, "sm1:resolve"),
        )
        .await;
    assert_eq!(callback(&fd, resolve).await.body["type"], 7);
    let patches = |fd: &FakeDiscord| {
        fd.requests()
            .iter()
            .filter(|r| r.method == "PATCH" && r.path == format!("/channels/{post}"))
            .count()
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    while patches(&fd) < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(tags_of(&fd), Some(json!([resolved.to_string()])));
    bot.stop().await;
}
