//! `syncmedic check` refuses each kind of unsafe answer the review of
//! issue 13 found: small responses in `tests/fixtures/kb_safety/`, each
//! named after the shipped response it stands in for and written the way
//! that response was before the fix (with its markers), are dropped into
//! a copy of the knowledge base, and `check` must name every problem at
//! its file and line, and nothing else.

use crate::support::{kb_copy, repo, stdout, syncmedic};
use std::fs;
use syncmedic::kb::{Kb, KbFiles};

/// Each fixture and the problems `check` must report for it.
const CASES: &[(&str, &[&str])] = &[
    (
        "apple-outage.md",
        &[
            "5: link \"https://outages.example/apple\" goes to \"outages.example\", which is not on the allow-list in responses/links.toml",
        ],
    ),
    (
        "contact-apple.md",
        &[
            "5: link \"http://getsupport.apple.com\" is not https",
            "5: names \"Get Support\" without linking it: write [Get Support](https://getsupport.apple.com)",
        ],
    ),
    (
        "date-time.md",
        &["4: unknown risk \"clock\": use deletes, signs-out, turns-off-sync or permanent"],
    ),
    (
        "edits-not-syncing.md",
        &["8: a quick step after the wait at line 5: quick steps go before waits"],
    ),
    (
        "escalate-human.md",
        &[
            "8: asking for a person hands over at once, so this `## Ask a person` text is never shown: remove the section",
        ],
    ),
    (
        "reset-sync.md",
        &[
            "10: a risky step (turns-off-sync) needs its gate before it: mark an earlier step {gate: turns-off-sync} that checks iCloud.com has the items (on Windows: local copies saved first)",
        ],
    ),
    (
        "sign-out-question.md",
        &[
            "8: a risky step (signs-out) needs its gate before it: mark an earlier step {gate: signs-out} that checks Photos shows nothing waiting or uploading",
        ],
    ),
    (
        "status-cant-upload.md",
        &[
            "8: a risky step (deletes) needs its gate before it: mark an earlier step {gate: deletes} that checks a copy of the items is saved and opens",
        ],
    ),
    (
        "status-paused.md",
        &[
            "8: the hand-over text reads “If …: If …”; write it as one sentence (the last step shows it as it is)",
        ],
    ),
    (
        "status-poor-network.md",
        &[
            "5: names \"System Status\" without linking it: write [System Status](https://www.apple.com/support/systemstatus/)",
        ],
    ),
    (
        "storage-full.md",
        &[
            "5: a risky step (permanent) needs its gate before it: mark an earlier step {gate: permanent} that checks the part that can't be undone is named",
        ],
    ),
    (
        "third-party-cleaner.md",
        &[
            "4: step 1 is risky (turns-off-sync): start with a quick, safe step",
            "5: a quick step after the risky step at line 4: risky steps go last",
        ],
    ),
    (
        "upload-stuck.md",
        &["8: a quick step after the wait at line 5: quick steps go before waits"],
    ),
    (
        "windows-problems.md",
        &[
            "5: a risky step (turns-off-sync) needs its gate before it: mark an earlier step {gate: turns-off-sync} that checks iCloud.com has the items (on Windows: local copies saved first)",
            "6: a quick step after the risky step at line 5: risky steps go last",
        ],
    ),
];

#[test]
fn check_refuses_each_unsafe_answer_at_its_line() {
    let (_dir, root) = kb_copy();
    let fixtures = repo().join("tests/fixtures/kb_safety");
    let mut expected = Vec::new();
    for (name, problems) in CASES {
        let text = fs::read_to_string(fixtures.join(name)).expect("fixture");
        fs::write(root.join("responses").join(name), text).expect("write");
        for problem in *problems {
            expected.push(format!("responses/{name}:{problem}"));
        }
    }
    let listed = fs::read_dir(&fixtures).expect("fixtures").count();
    assert_eq!(listed, CASES.len(), "every fixture has its case");

    let out = syncmedic(repo())
        .arg("--kb")
        .arg(&root)
        .arg("check")
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let reported: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("responses/"))
        .collect();
    assert_eq!(reported, expected, "\n{text}");
    assert!(
        text.ends_with(&format!(
            "{} problem(s) in {}\n",
            expected.len(),
            root.display()
        )),
        "{text}"
    );
}

/// The example in the README's "Writing a response" is a response `check`
/// accepts, so an author who copies it starts from something valid.
#[test]
fn the_readme_example_response_passes_check() {
    let readme = fs::read_to_string(repo().join("README.md")).expect("README");
    let example = readme
        .split_once("## Writing a response")
        .and_then(|(_, rest)| rest.split_once("```markdown\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the example");
    let mut files = KbFiles::read_dir(repo()).expect("readable");
    let path = std::path::Path::new("responses/status-paused.md");
    let file = files
        .files
        .iter_mut()
        .find(|f| f.path == path)
        .expect("status-paused.md");
    file.text = example.to_string();
    if let Err(err) = Kb::from_files(&files) {
        panic!("{err}");
    }
    assert!(example.contains("{risk: "), "the example shows a marker");
}
