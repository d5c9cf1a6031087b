//! Talk to a person: the form, tickets, staff buttons, reminders, retries, statistics.

use super::*;

/// Talk to a person posts the case and pings the staff role exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn talk_to_a_person_pings_staff_once() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
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
    bot.settled(&fd).await;
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

/// "It's working now" told the bot after the hand-over goes on the
/// ticket, with no ping, and once however often it is said.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn working_again_after_the_hand_over_is_put_on_the_ticket_once() {
    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    let in_staff = |r: &crate::support::discord::Recorded, needle: &str| {
        r.path == format!("/channels/{staff}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains(needle))
    };
    fd.wait_for(WAIT, |r| in_staff(r, "**Ticket #")).await;

    // Quiet in the thread unless asked, once a person has the case: the
    // asker tells the bot.
    fd.user_message(
        question,
        &ids.asker,
        &format!(
            "<@{}> nvm, restarted it and it's working now @everyone",
            ids.bot.id
        ),
    )
    .await;
    let note = fd
        .wait_for(WAIT, |r| in_staff(r, "says it's working now"))
        .await;
    let content = note.body["content"].as_str().unwrap_or_default();
    assert!(content.starts_with("**Ticket #"), "{content}");
    assert!(!content.contains("@everyone"), "{content}");
    assert_no_mentions(&note.body);
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{question}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("told the support team"))
    })
    .await;

    fd.user_message(
        question,
        &ids.asker,
        &format!("<@{}> yep, fixed it", ids.bot.id),
    )
    .await;
    bot.settled(&fd).await;
    let told = fd
        .requests()
        .iter()
        .filter(|r| in_staff(r, "says it's working now"))
        .count();
    assert_eq!(told, 1, "{}", fd.describe_requests());
    bot.stop().await;
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
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
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
    let staff = fd.add_text_channel("staff").await;
    let bot = bot::start(
        &fd,
        &[("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string())],
    )
    .await;
    fd.fail_next(
        "POST",
        &format!("/channels/{staff}/messages"),
        vec![
            Fault::Status(500),
            Fault::RateLimited {
                retry_after_secs: 0.2,
                global: false,
            },
        ],
    );
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{staff}/messages") && r.status == 200
    })
    .await;
    let tries: Vec<u16> = ticket_posts(&fd, staff).iter().map(|r| r.status).collect();
    assert_eq!(tries, vec![500, 429, 200]);
    assert_eq!(fd.messages_in(staff).len(), 1);
    bot.stop().await;
}

/// `/kb stats` answers staff with a table and a PNG chart; others are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kb_stats_for_staff_only() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
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
        content.contains("status-paused") && content.contains("1 solved by the bot"),
        "{content}"
    );
    let png = answer
        .raw
        .windows(4)
        .position(|w| w == b"\x89PNG")
        .map(|at| &answer.raw[at..]);
    let png = png.unwrap_or_else(|| panic!("no PNG attached to the reply"));
    // Bytes after the image (the multipart boundary) are not read.
    let mut chart = png::Decoder::new(png).read_info().expect("a PNG header");
    let mut pixels = vec![0; chart.output_buffer_size()];
    let frame = chart.next_frame(&mut pixels).expect("the chart decodes");
    assert_eq!(frame.width, syncmedic::stats::layout::WIDTH);
    bot.stop().await;
}

/// `/escalate` outside a conversation opens the hand-over form where an
/// escalation channel is set; submitting it writes a ticket there and
/// pings the staff once. Without one, it says where to ask instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalate_command_opens_the_form_and_files_a_ticket() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let nowhere = fd
        .slash(ids.text_channel, &ids.asker, "escalate", json!({}))
        .await;
    let told = callback(&fd, nowhere).await;
    assert_eq!(told.body["data"]["flags"], EPHEMERAL, "{}", told.body);
    assert!(
        told.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("no staff channel")),
        "{}",
        told.body
    );
    bot.stop().await;

    let (fd, bot, staff) = setup_with_staff_channel(&[]).await;
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
            r.path == format!("/channels/{staff}/messages")
                && r.body["content"]
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
