//! A small knowledge base for unit tests: every taxonomy id, with a few
//! intents shaped to exercise each path (shared steps, steps per device,
//! two statuses, two near-twins for "Did you mean…").

use super::{Kb, KbFiles, SourceFile, TAXONOMY};

pub fn files() -> KbFiles {
    let mut files = Vec::new();
    let mut add = |path: String, text: String| {
        files.push(SourceFile {
            path: path.into(),
            text,
        })
    };
    for id in TAXONOMY {
        let (intent, response) = match *id {
            "status-paused" => (
                r#"title = "Photos says Paused"
statuses = ["paused", "syncing paused"]
examples = ["photos says paused", "library is paused"]"#
                    .to_string(),
                "Paused means waiting.\n\n## Steps\n1. Charge it\n2. Turn off Low Power Mode\n3. Tap Sync Now\n\n## Ask a person\nIf it stays paused.\n"
                    .to_string(),
            ),
            "status-waiting-to-upload" => (
                r#"title = "Photos says Waiting to Upload"
statuses = ["waiting to upload"]
examples = ["photos says waiting to upload", "items waiting in the queue"]"#
                    .to_string(),
                "Waiting means queued.\n\n## Steps\n1. Join Wi-Fi\n2. Leave Photos open\n"
                    .to_string(),
            ),
            "upload-stuck" => (
                r#"title = "The counter is stuck"
examples = ["upload counter stuck", "progress bar frozen on photos"]"#
                    .to_string(),
                "Stuck counters need a nudge.\n\n## Steps\n1. Wait an hour\n\n## iPhone/iPad\n1. Open Photos\n2. Plug in\n\n## Mac\n1. Keep Photos open\n"
                    .to_string(),
            ),
            "shared-albums" => (
                r#"title = "Zeta album photos broken"
examples = ["zeta album photos broken"]"#
                    .to_string(),
                "Shared.\n\n## Steps\n1. Open Shared\n".to_string(),
            ),
            "hidden-or-deleted" => (
                r#"title = "Zeta album photos gone"
examples = ["zeta album photos gone"]"#
                    .to_string(),
                "Hidden.\n\n## Steps\n1. Open Hidden\n".to_string(),
            ),
            other => (
                format!("title = \"About {other}\"\nexamples = [\"{}\"]", other.replace('-', " ")),
                format!("About {other}.\n\n## Steps\n1. Do the first thing\n2. Do the second thing\n"),
            ),
        };
        add(
            format!("intents/{id}.toml"),
            format!("id = \"{id}\"\n{intent}\n"),
        );
        add(format!("responses/{id}.md"), response);
    }
    add(
        "intents/none.toml".to_string(),
        r#"id = "none"
title = "Not ours"
domain = ["photos", "album", "upload", "paused", "sync", "human", "person"]
keywords = ["lunch", "dropbox"]
tools = ["lightroom"]
examples = ["anyone for lunch", "good morning all", "dropbox is down"]
"#
        .to_string(),
    );
    add(
        "responses/links.toml".to_string(),
        "hosts = [\"www.apple.com\", \"getsupport.apple.com\"]\n".to_string(),
    );
    KbFiles {
        origin: "fixture".to_string(),
        files,
    }
}

pub fn kb() -> Kb {
    match Kb::from_files(&files()) {
        Ok(kb) => kb,
        Err(err) => panic!("fixture knowledge base is invalid: {err}"),
    }
}

/// The engine over the fixture, with fixed lines: it has too few examples
/// for cross-validation to choose them, and the tests that use it are about
/// conversations, not lines.
pub fn engine() -> crate::engine::Engine {
    let lines = crate::matcher::Thresholds {
        answer: Some(0.3),
        clarify: Some(0.1),
        margin: Some(0.1),
    };
    crate::engine::Engine::new(kb(), lines)
}
