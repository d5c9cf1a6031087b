//! The review queue on Discord: what the bot did not know, labelled by
//! staff with `/kb review`, answered from then on.
//!
//! The phrasings are made of invented words around one of the bot's own
//! ("pics"), so that they are unknown to any knowledge base the project
//! ships, now or after the matcher learns more: the test is about the
//! loop, not about what the shipped examples happen to cover.

use super::{EPHEMERAL, ask};
use crate::support::bot::{self, WAIT, callback, custom_id, newest_id};
use crate::support::discord::{FakeDiscord, Recorded, TestUser};
use crate::support::kb_copy;
use serde_json::{Value, json};
use std::path::Path;

/// Twenty intents the phrasings are labelled as.
const INTENTS: [&str; 20] = [
    "upload-stuck",
    "photo-missing-other-device",
    "storage-full",
    "network-problems",
    "windows-problems",
    "edits-not-syncing",
    "blurry-thumbnails",
    "shared-albums",
    "large-files",
    "repair-library",
    "deleted-to-force-sync",
    "apple-outage",
    "third-party-cleaner",
    "apple-id-mismatch",
    "enable-iphone",
    "reset-sync",
    "hidden-or-deleted",
    "mac-large-library",
    "contact-apple",
    "security-privacy",
];

const SYLLABLES: [&str; 20] = [
    "blor", "quix", "zan", "vum", "trel", "gosh", "pliv", "krum", "fex", "dwal", "snor", "yib",
    "thax", "mord", "quel", "brix", "zoop", "flin", "grob", "vesk",
];

/// Two invented words for phrasing `n`, unlike any other phrasing's.
fn words(n: usize) -> (String, String) {
    let word = |a: usize, b: usize, c: usize| {
        format!(
            "{}{}{}",
            SYLLABLES[a % 20],
            SYLLABLES[b % 20],
            SYLLABLES[c % 20]
        )
    };
    (word(n, n + 3, n + 7), word(n + 11, n, n + 5))
}

/// The phrasing a user first writes, and two close variants.
fn phrasings(n: usize) -> [String; 3] {
    let (a, b) = words(n);
    [
        format!("my pics keep {a}ing the {b} since yesterday"),
        format!("My pics keep {a}ing the {b} since this morning!!"),
        format!("pics keep {a}ing my {b}"),
    ]
}

/// A bot on a copy of the knowledge base, escalating to a staff channel.
async fn start(kb: &Path) -> (FakeDiscord, bot::Bot, u64) {
    let fd = FakeDiscord::start().await;
    let staff = fd.add_text_channel("staff").await;
    let env = [("SYNCMEDIC__DISCORD__ESCALATION_CHANNEL", staff.to_string())];
    let bot = bot::start_with_kb(&fd, &env, kb).await;
    (fd, bot, staff)
}

/// The review item a private answer shows: its number and quoted text.
fn shown_item(body: &Value) -> Option<(u32, String)> {
    let content = body["content"].as_str()?;
    let number = content
        .split("**Review item #")
        .nth(1)?
        .split("**")
        .next()?;
    let quoted = content
        .lines()
        .find_map(|l| l.strip_prefix("> "))?
        .to_string();
    Some((number.parse().ok()?, quoted))
}

/// The options a review select offers.
fn options(body: &Value) -> Vec<String> {
    body["components"][0]["components"][0]["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["value"].as_str().map(str::to_string))
        .collect()
}

/// Labels the item shown in `body` (on the private message `message`) as
/// `intent`: picked from the select when it is offered, else named in the
/// "Another intent…" form. Returns what the user sees next.
async fn label(
    fd: &FakeDiscord,
    staff: &TestUser,
    channel: u64,
    message: u64,
    body: &Value,
    intent: &str,
) -> Value {
    let select = custom_id(body, "sm1:review:");
    if options(body).iter().any(|o| o == intent) {
        let pick = fd.select(message, channel, staff, &select, &[intent]).await;
        let answer = callback(fd, pick).await;
        assert_eq!(
            answer.body["type"], 7,
            "the item is replaced: {}",
            answer.body
        );
        return answer.body["data"].clone();
    }
    let other = fd
        .select(message, channel, staff, &select, &["~other"])
        .await;
    let form = callback(fd, other).await;
    assert_eq!(form.body["type"], 9, "a form: {}", form.body);
    let form_id = form.body["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let submit = fd
        .submit_modal(channel, staff, &form_id, &[("intent", intent)])
        .await;
    let answer = callback(fd, submit).await;
    answer.body["data"].clone()
}

/// Twenty phrasings the bot stays silent on are queued; staff label them
/// one by one through `/kb review`, each written to its intent's file and
/// learnt at once; the phrasings and close variants are then answered with
/// the labelled intent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_teach_the_bot_twenty_phrasings_through_kb_review() {
    let (_kb_dir, kb) = kb_copy();
    let (fd, bot, _staff) = start(&kb).await;
    let ids = fd.ids().clone();
    let channel = ids.text_channel;
    let before = fd.messages_in(channel).len();
    for n in 0..INTENTS.len() {
        fd.user_message(channel, &ids.asker, &phrasings(n)[0]).await;
    }
    bot.settled(&fd).await;
    bot.review_queued(INTENTS.len() as u64).await;
    assert_eq!(
        fd.messages_in(channel).len(),
        before,
        "the bot stayed silent"
    );

    let start = fd
        .slash(
            channel,
            &ids.staff_member,
            "kb",
            json!([{"type": 1, "name": "review", "options": []}]),
        )
        .await;
    let first = callback(&fd, start).await;
    assert_eq!(first.body["data"]["flags"], EPHEMERAL, "{}", first.body);
    let message = fd
        .interaction_original(start)
        .expect("the private answer is a message");
    let mut shown = first.body["data"].clone();
    let mut labelled = Vec::new();
    for _ in 0..INTENTS.len() {
        let (number, text) = shown_item(&shown).unwrap_or_else(|| panic!("no item in {shown}"));
        let n = (0..INTENTS.len())
            .find(|&n| phrasings(n)[0] == text)
            .unwrap_or_else(|| panic!("an item that was never sent: {text}"));
        let intent = INTENTS[n];
        shown = label(&fd, &ids.staff_member, channel, message, &shown, intent).await;
        let said = shown["content"].as_str().unwrap_or_default();
        assert!(
            said.starts_with(&format!(
                "Labelled #{number} as `{intent}`: added to `intents/{intent}.toml`, and I've learnt it."
            )),
            "{said}"
        );
        labelled.push(n);
    }
    labelled.sort_unstable();
    assert_eq!(labelled, (0..INTENTS.len()).collect::<Vec<_>>());
    assert!(
        shown["content"]
            .as_str()
            .is_some_and(|c| c.ends_with("The review queue is empty.")),
        "{shown}"
    );
    for (n, intent) in INTENTS.iter().enumerate() {
        let file =
            std::fs::read_to_string(kb.join(format!("intents/{intent}.toml"))).expect("read");
        assert!(
            file.contains(&format!("  \"{}\",\n", phrasings(n)[0])),
            "{intent}:\n{file}"
        );
    }

    let engine = bot::engine();
    for (n, intent) in INTENTS.iter().enumerate() {
        let title = &engine.kb.find(intent).expect("intent").title;
        for text in phrasings(n) {
            let (_, reply) = ask(&fd, &ids.other, &text).await;
            let content = reply.body["content"].as_str().unwrap_or_default();
            assert!(
                content.contains(title.as_str()),
                "{text:?} should get {intent}: {content}"
            );
        }
    }
    bot.stop().await;
}

/// Chatter that got a "Did you mean" is sent on with "Something else";
/// staff open its case from the ticket with "Relabel" and call it not
/// ours; the same kind of chatter then gets silence. Only staff may
/// review.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_none_label_silences_a_kind_of_chatter() {
    let (_kb_dir, kb) = kb_copy();
    let (fd, bot, staff) = start(&kb).await;
    let ids = fd.ids().clone();
    let chatter = "lol the blorpfexquel party photos are up, look at the pics";
    let (question, reply) = ask(&fd, &ids.asker, chatter).await;
    let pick = custom_id(&reply.body, "sm1:pick");
    let chose = fd
        .select(
            newest_id(&fd, question),
            question,
            &ids.asker,
            &pick,
            &["something-else"],
        )
        .await;
    let form = callback(&fd, chose).await;
    assert_eq!(form.body["type"], 9, "{}", form.body);
    let form_id = form.body["data"]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(form_id.starts_with("sm1:formelse:"), "{form_id}");
    let submit = fd.submit_modal(question, &ids.asker, &form_id, &[]).await;
    callback(&fd, submit).await;
    let ticket = ticket_post(&fd, staff).await;
    assert!(
        serde_json::to_string(&ticket.body)
            .unwrap_or_default()
            .contains("none of the bot's readings fit"),
        "the ticket says why: {}",
        ticket.body
    );
    let post = newest_id(&fd, staff);
    // Staff resolve it first, as happens when only the person who helped
    // learns what the problem really was: Relabel stays on the post.
    let resolve = custom_id(&ticket.body, "sm1:resolve:");
    let resolved = fd.click(post, staff, &ids.staff_member, &resolve).await;
    let resolved = callback(&fd, resolved).await;
    assert_eq!(resolved.body["type"], 7, "{}", resolved.body);
    let relabel = custom_id(&resolved.body["data"], "sm1:relabel:");
    assert!(
        !serde_json::to_string(&resolved.body["data"]["components"])
            .unwrap_or_default()
            .contains("sm1:resolve"),
        "no second Resolve: {}",
        resolved.body
    );

    // Not for members.
    let refused = fd.click(post, staff, &ids.other, &relabel).await;
    assert_private_refusal(&callback(&fd, refused).await);
    let refused = fd
        .slash(
            ids.text_channel,
            &ids.other,
            "kb",
            json!([{"type": 1, "name": "review", "options": []}]),
        )
        .await;
    assert_private_refusal(&callback(&fd, refused).await);

    let press = fd.click(post, staff, &ids.staff_member, &relabel).await;
    let shown = callback(&fd, press).await;
    let ack = fd
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with(&format!("/interactions/{press}/")))
        .expect("acknowledged");
    assert_eq!(
        (
            ack.body["type"].as_u64(),
            ack.body["data"]["flags"].as_u64()
        ),
        (Some(5), Some(EPHEMERAL)),
        "only the presser sees the item: {}",
        ack.body
    );
    let content = shown.body["data"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("staff put the case under another problem"),
        "{content}"
    );
    assert_eq!(
        shown_item(&shown.body["data"]).map(|(_, t)| t),
        Some(chatter.to_string())
    );
    let message = fd.interaction_original(press).expect("a private message");
    let select = custom_id(&shown.body["data"], "sm1:review:");
    let forged = fd
        .select(message, staff, &ids.other, &select, &["none"])
        .await;
    assert_private_refusal(&callback(&fd, forged).await);
    let item = select.rsplit(':').next().unwrap_or_default();
    let forged = fd
        .submit_modal(
            staff,
            &ids.other,
            &format!("sm1:reviewform:{item}"),
            &[("intent", "none")],
        )
        .await;
    assert_private_refusal(&callback(&fd, forged).await);
    let done = label(
        &fd,
        &ids.staff_member,
        staff,
        message,
        &shown.body["data"],
        "none",
    )
    .await;
    assert!(
        done["content"]
            .as_str()
            .is_some_and(|c| c.contains("as `none`: added to `intents/none.toml`")),
        "{done}"
    );

    let cursor = fd.request_count();
    for text in [
        chatter,
        "the blorpfexquel party photos are up lol, look at the pics",
        "blorpfexquel party pics are up, go look",
    ] {
        fd.user_message(ids.text_channel, &ids.other, text).await;
    }
    bot.settled(&fd).await;
    let replies: Vec<Recorded> = fd
        .requests_from(cursor)
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/channels/"))
        .collect();
    assert!(replies.is_empty(), "chatter got replies: {replies:?}");
    bot.stop().await;
}

async fn ticket_post(fd: &FakeDiscord, staff: u64) -> Recorded {
    fd.wait_for(WAIT, |r| {
        r.path == format!("/channels/{staff}/messages")
            && r.body["content"]
                .as_str()
                .is_some_and(|c| c.starts_with("**Ticket #"))
    })
    .await
}

fn assert_private_refusal(answer: &Recorded) {
    assert_eq!(answer.body["data"]["flags"], EPHEMERAL, "{}", answer.body);
    assert!(
        answer.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Only the support team")),
        "{}",
        answer.body
    );
}
