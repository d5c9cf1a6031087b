//! The review queue in the terminal: a message the bot did not know is
//! queued by `chat`, labelled with `review label`, and answered by `ask`.

use crate::support::{kb_copy, run_with_input, stdout, syncmedic};
use serde_json::Value;
use std::fs;
use std::path::Path;

const UNKNOWN: &str = "the cloud doohickey on my pics is sulking since tuesday";
const VARIANT: &str = "the cloud doohickey on my pictures has been sulking since monday";

/// `syncmedic` on the database `url`, from `dir`, with `kb` if given.
fn bot(dir: &Path, url: &str, kb: Option<&Path>) -> std::process::Command {
    let mut cmd = syncmedic(dir);
    cmd.env("SYNCMEDIC__DATABASE__URL", url);
    if let Some(kb) = kb {
        cmd.arg("--kb").arg(kb);
    }
    cmd
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}{}",
        stdout(out),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout(out).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// What `ask --json` decided: the intent answered, or the decision's kind.
fn answer(dir: &Path, url: &str, kb: Option<&Path>, text: &str) -> String {
    let out = bot(dir, url, kb)
        .args(["ask", "--json", text])
        .output()
        .expect("runs");
    let value = json(&out);
    match value["decision"]["kind"].as_str() {
        Some("answer") => value["decision"]["intents"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        other => other.unwrap_or("?").to_string(),
    }
}

/// Chats `lines` (one conversation each) so the queue hears of them.
fn chat(dir: &Path, url: &str, kb: Option<&Path>, lines: &[&str]) {
    for line in lines {
        let mut cmd = bot(dir, url, kb);
        cmd.arg("chat");
        let out = run_with_input(&mut cmd, &format!("{line}\nquit\n"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The open items as (id, reason, text).
fn queue(dir: &Path, url: &str) -> Vec<(i64, String, String)> {
    let out = bot(dir, url, None)
        .args(["review", "--json"])
        .output()
        .expect("runs");
    json(&out)["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["id"].as_i64().expect("id"),
                i["reason"].as_str().expect("reason").to_string(),
                i["text"].as_str().expect("text").to_string(),
            )
        })
        .collect()
}

fn label(dir: &Path, url: &str, kb: Option<&Path>, id: i64, intent: &str) -> String {
    let out = bot(dir, url, kb)
        .args(["review", "label", &id.to_string(), intent])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

#[test]
fn ask_answers_after_review_label_writes_the_example() {
    let (_kb_dir, kb) = kb_copy();
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    assert_ne!(answer(dir.path(), &url, Some(&kb), UNKNOWN), "upload-stuck");
    assert_ne!(answer(dir.path(), &url, Some(&kb), VARIANT), "upload-stuck");

    chat(dir.path(), &url, Some(&kb), &[UNKNOWN, UNKNOWN]);
    let items = queue(dir.path(), &url);
    assert_eq!(items.len(), 1, "one item, counted twice: {items:?}");
    let (id, reason, text) = &items[0];
    assert_eq!(
        (reason.as_str(), text.as_str()),
        ("silent_in_domain", UNKNOWN)
    );

    let said = label(dir.path(), &url, Some(&kb), *id, "upload-stuck");
    assert!(
        said.contains("added to intents/upload-stuck.toml"),
        "{said}"
    );
    let file = fs::read_to_string(kb.join("intents/upload-stuck.toml")).expect("read");
    assert!(
        file.contains(&format!(
            "silent_in_domain, item {id}, seen 2 times\n  \"{UNKNOWN}\",\n]"
        )),
        "{file}"
    );
    assert!(queue(dir.path(), &url).is_empty());
    assert_eq!(answer(dir.path(), &url, Some(&kb), UNKNOWN), "upload-stuck");
    assert_eq!(answer(dir.path(), &url, Some(&kb), VARIANT), "upload-stuck");
    let check = bot(dir.path(), &url, Some(&kb))
        .arg("check")
        .output()
        .expect("runs");
    assert!(check.status.success(), "{}", stdout(&check));

    // The labelled item is now the team's own test set.
    let out = bot(dir.path(), &url, Some(&kb))
        .args(["eval", "--reviews", "--json"])
        .output()
        .expect("runs");
    let report = json(&out);
    assert_eq!(
        (report["n"].as_u64(), report["accuracy"].as_f64()),
        (Some(1), Some(1.0))
    );

    // A second label on the same item is refused, and nothing changes.
    let out = bot(dir.path(), &url, Some(&kb))
        .args(["review", "label", &id.to_string(), "none"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(kb.join("intents/upload-stuck.toml")).expect("read"),
        file
    );
}

#[test]
fn a_mistyped_intent_is_refused_with_the_closest_ids() {
    let (_kb_dir, kb) = kb_copy();
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    chat(dir.path(), &url, Some(&kb), &[UNKNOWN]);
    let out = bot(dir.path(), &url, Some(&kb))
        .args(["review", "label", "1", "upload-stuk"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Did you mean upload-stuck"), "{err}");
    assert_eq!(queue(dir.path(), &url).len(), 1, "the item is still open");
}

#[test]
fn with_the_built_in_knowledge_base_labels_live_in_the_store_and_export_as_files() {
    // No intents/ here: the built-in copy, which cannot be written.
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    chat(dir.path(), &url, None, &[UNKNOWN]);
    let (id, _, _) = queue(dir.path(), &url)[0].clone();
    let said = label(dir.path(), &url, None, id, "upload-stuck");
    assert!(said.contains("kept in the store"), "{said}");
    assert_eq!(answer(dir.path(), &url, None, UNKNOWN), "upload-stuck");

    let out_dir = dir.path().join("export");
    let out = bot(dir.path(), &url, None)
        .args(["review", "export"])
        .arg(&out_dir)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let patch = fs::read_to_string(out_dir.join("review.patch")).expect("patch");
    assert!(
        patch.starts_with("--- a/intents/upload-stuck.toml\n+++ b/intents/upload-stuck.toml\n@@ "),
        "{patch}"
    );
    assert!(patch.contains(&format!("+  \"{UNKNOWN}\",\n")), "{patch}");
    // The exported file, put into a copy of the knowledge base, is valid
    // and answers without the store.
    let (_kb_dir, kb) = kb_copy();
    fs::copy(
        out_dir.join("intents/upload-stuck.toml"),
        kb.join("intents/upload-stuck.toml"),
    )
    .expect("copy");
    assert_eq!(
        answer(dir.path(), "sqlite::memory:", Some(&kb), UNKNOWN),
        "upload-stuck"
    );
}

#[test]
fn two_labels_at_once_both_land() {
    let (_kb_dir, kb) = kb_copy();
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let texts = [
        "my pics doohickey sulks every single evening",
        "the photos whatsit is sulking again, total doohickey",
        "pictures doohickey keeps sulking on the tablet thingy",
        "the sync doohickey on my pics went on strike",
    ];
    chat(dir.path(), &url, Some(&kb), &texts);
    let items = queue(dir.path(), &url);
    assert_eq!(items.len(), texts.len(), "{items:?}");
    let mut running: Vec<_> = items
        .iter()
        .map(|(id, _, _)| {
            bot(dir.path(), &url, Some(&kb))
                .args(["review", "label", &id.to_string(), "upload-stuck"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("starts")
        })
        .collect();
    for child in running.drain(..) {
        let out = child.wait_with_output().expect("finishes");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let file = fs::read_to_string(kb.join("intents/upload-stuck.toml")).expect("read");
    for text in texts {
        assert_eq!(
            file.matches(&format!("\"{text}\"")).count(),
            1,
            "{text} in\n{file}"
        );
    }
    let leftovers: Vec<_> = fs::read_dir(kb.join("intents"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let check = bot(dir.path(), &url, Some(&kb))
        .arg("check")
        .output()
        .expect("runs");
    assert!(check.status.success(), "{}", stdout(&check));
}
