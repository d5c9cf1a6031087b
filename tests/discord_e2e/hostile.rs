//! Odd and hostile messages, one of each kind: the bot never crashes, never
//! pings anyone, never posts more than Discord takes, and keeps answering.
//! Run with `--nocapture` to see what it did with each (README's table).

use super::*;

/// Each kind of input, as a person (or a prankster) might send it.
/// Whether each is answered is part of the contract (README's table).
fn inputs(staff_role: u64) -> Vec<(&'static str, String, bool)> {
    let zalgo: String = "photos says paused"
        .chars()
        .flat_map(|c| std::iter::once(c).chain("\u{0336}\u{0335}\u{0334}\u{0337}\u{0338}".chars()))
        .collect();
    vec![
        ("empty", String::new(), false),
        ("whitespace only", " \n\t \u{00a0} ".to_string(), false),
        (
            "4,000 characters",
            "my photos are stuck on waiting to upload and ".repeat(90)[..4_000].to_string(),
            true,
        ),
        ("4,000 characters of one letter", "a".repeat(4_000), false),
        ("zalgo", zalgo.repeat(20), true),
        (
            "right-to-left",
            "\u{202e}dessuap syas sotohp \u{200f}الصور لا تتم مزامنتها".to_string(),
            false,
        ),
        ("emoji only", "📸😭☁️❌🔄".to_string(), false),
        (
            "code block",
            "```\nWaiting to Upload 57 Items\n```".to_string(),
            true,
        ),
        (
            "@everyone and a role mention",
            format!("@everyone @here <@&{staff_role}> icloud photos says Paused"),
            true,
        ),
        (
            "control characters",
            "\u{0}\u{7}photos \u{1b}[31msyncing paused\u{1b}[0m".to_string(),
            true,
        ),
        (
            "markdown and links",
            "[click me](https://example.invalid) ||photos|| **Unable to Upload 3 Items**"
                .to_string(),
            true,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_messages_are_handled_safely() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let mut sent = Vec::new();
    for (kind, text, answered) in inputs(ids.staff_role) {
        let id = fd.user_message(ids.text_channel, &ids.asker, &text).await;
        sent.push((kind, id, answered));
    }
    // Still answering after all of them.
    let (_, sentinel) = ask(&fd, &ids.other, "Photos says Waiting to Upload 57 Items").await;
    assert_no_mentions(&sentinel.body);
    bot.settled(&fd).await;

    let bot_posts: Vec<_> = fd
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .collect();
    for post in &bot_posts {
        assert_no_mentions(&post.body);
        let content = post.body["content"].as_str().unwrap_or_default();
        assert!(
            content.chars().count() <= 2_000,
            "{} characters",
            content.len()
        );
        assert!(
            !content.contains("@everyone") || post.body["allowed_mentions"]["parse"] == json!([])
        );
    }
    println!("| input | what the bot does |\n|---|---|");
    for &(_, id, answered) in &sent {
        if answered {
            posted_in(&fd, id).await;
        }
    }
    for (kind, id, answered) in sent {
        let thread = fd
            .channel(id)
            .and_then(|c| c["name"].as_str().map(str::to_string));
        let answers = fd.messages_in(id).len();
        let beside = bot_posts
            .iter()
            .any(|p| p.body["message_reference"]["message_id"].as_str() == Some(&id.to_string()));
        let did = match (thread, answers, beside) {
            (Some(name), n, _) if n > 0 => format!("answers in a thread named \"{name}\""),
            (_, _, true) => "replies beside the message".to_string(),
            _ => "stays silent".to_string(),
        };
        assert!(answers <= 1, "{kind}: answered {answers} times");
        assert_eq!(answers == 1, answered, "{kind}: {did}");
        assert!(!beside, "{kind}: a reply beside the message");
        println!("| {kind} | {did} |");
    }
    bot.stop().await;
}

/// A press on a message the bot never posted, in a channel it was never
/// told about, gets an ephemeral note and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactions_in_unknown_channels_get_a_note() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let unknown_channel = fd.add_text_channel("off-topic").await;
    let not_ours = fd
        .user_message(unknown_channel, &ids.other, "lunch at noon?")
        .await;
    let press = fd
        .click(not_ours, unknown_channel, &ids.asker, "sm1:next:1")
        .await;
    let answer = callback(&fd, press).await;
    assert_eq!(answer.body["data"]["flags"], EPHEMERAL, "{}", answer.body);
    assert_no_mentions(&answer.body["data"]);
    let (_, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    assert!(reply.body["content"].is_string());
    bot.stop().await;
}
