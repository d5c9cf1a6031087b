use crate::support::{kb_copy, repo, run_with_input, stdout, syncmedic};
use std::fs;

#[test]
fn check_passes_on_the_repository_knowledge_base() {
    let out = syncmedic(repo()).arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("ok: 42 intents"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_names_file_and_line_of_every_problem_and_exits_1() {
    let (_dir, root) = kb_copy();
    let paused = root.join("intents/status-paused.toml");
    let text = fs::read_to_string(&paused).expect("read");
    fs::write(
        &paused,
        text.replacen("examples = [", "examples = [\n  \"\",", 1),
    )
    .expect("write");
    fs::remove_file(root.join("responses/apple-outage.md")).expect("remove");
    fs::write(
        root.join("responses/date-time.md"),
        "Why.\n\n## Steps\n1. One\n2.\n",
    )
    .expect("write");
    fs::write(
        root.join("intents/broken.toml"),
        "id = \"broken\"\ntitle = \n",
    )
    .expect("write");

    let out = syncmedic(repo())
        .arg("--kb")
        .arg(&root)
        .arg("check")
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let empty_line = fs::read_to_string(&paused)
        .expect("read")
        .lines()
        .position(|l| l.trim() == "\"\",")
        .expect("the empty example")
        + 1;
    for expected in [
        format!("intents/status-paused.toml:{empty_line}: empty example"),
        "intents/apple-outage.toml:1: no response: expected responses/apple-outage.md".to_string(),
        "responses/date-time.md:5: empty step".to_string(),
        "intents/broken.toml:2: ".to_string(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn a_broken_knowledge_base_stops_every_command_with_its_problems() {
    let (_dir, root) = kb_copy();
    fs::write(root.join("intents/status-paused.toml"), "id = [\n").expect("write");
    let out = syncmedic(repo())
        .arg("--kb")
        .arg(&root)
        .args(["ask", "paused"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("intents/status-paused.toml:"), "{err}");
}

#[test]
fn ask_json_gives_ranked_intents_scores_and_decision() {
    let out = syncmedic(repo())
        .args(["ask", "it says Waiting to Upload 1,204 Items…", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["decision"]["kind"], "answer");
    assert_eq!(v["decision"]["intents"], "status-waiting-to-upload");
    let ranked = v["ranked"].as_array().expect("ranked");
    assert!(ranked.len() >= 3);
    assert!(
        ranked[0]["score"].as_f64().expect("score") > ranked[1]["score"].as_f64().expect("score")
    );
    assert_eq!(v["status"]["intent"], "status-waiting-to-upload");
    assert_eq!(v["reply"]["kind"], "ask_device");
}

#[test]
fn ask_works_from_any_folder_with_the_built_in_knowledge_base() {
    let dir = tempfile::tempdir().expect("temp");
    let out = syncmedic(dir.path())
        .args(["ask", "is icloud down right now?"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(stdout(&out).contains("Step 1 of"), "{}", stdout(&out));
}

#[test]
fn eval_json_puts_one_object_on_the_last_line() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("set.tsv");
    fs::write(
        &file,
        "text\tlabel\nSyncing Paused\tstatus-paused\nanyone for lunch?\tnone\n",
    )
    .expect("write");
    let out = syncmedic(repo())
        .arg("eval")
        .arg(&file)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let last = stdout(&out).lines().last().expect("a line").to_string();
    let v: serde_json::Value = serde_json::from_str(&last).expect("json");
    for key in [
        "n",
        "accuracy",
        "top1",
        "top3",
        "wrong_answer",
        "offtopic_answered",
        "per_message_us",
        "per_label",
        "confusions",
    ] {
        assert!(v.get(key).is_some(), "no {key} in {last}");
    }
    assert_eq!(v["n"], 2);
    assert_eq!(v["accuracy"], 1.0);
}

#[test]
fn eval_rejects_a_bad_file_with_its_line() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("set.tsv");
    fs::write(
        &file,
        "text\tlabel\npaused\tstatus-paused\nhello\tno-such-intent\n",
    )
    .expect("write");
    let out = syncmedic(repo())
        .arg("eval")
        .arg(&file)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3: unknown label"));
}

#[test]
fn serve_without_a_token_fails_with_one_line_pointing_to_chat() {
    let out = syncmedic(repo()).arg("serve").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("DISCORD_TOKEN") && err.contains("syncmedic chat"),
        "{err}"
    );
}

/// Each bad setting is named, on one line, with its cause told once.
#[test]
fn settings_errors_name_the_key_and_say_the_cause_once() {
    let dir = tempfile::tempdir().expect("temp");
    let token_file = dir.path().join("token-settings.toml");
    fs::write(
        &token_file,
        "[discord]\ntoken_file = \"/nonexistent/token\"\n",
    )
    .expect("write");
    let token_file = token_file.display().to_string();
    /// A command, the environment it runs with, and what its error names.
    struct Case<'a> {
        args: &'a [&'a str],
        env: &'a [(&'a str, &'a str)],
        names: &'a str,
    }
    let answer = |value| [("SYNCMEDIC__MATCHER__ANSWER", value)];
    let cases = [
        Case {
            args: &["ask", "paused"],
            env: &answer("7"),
            names: "matcher.answer",
        },
        Case {
            args: &["ask", "paused"],
            env: &answer("abc"),
            names: "matcher.answer",
        },
        Case {
            args: &["--config", "missing.toml", "ask", "paused"],
            env: &[],
            names: "missing.toml",
        },
        Case {
            args: &["--config", &token_file, "serve"],
            env: &[],
            names: "/nonexistent/token",
        },
    ];
    for Case { args, env, names } in cases {
        let mut cmd = syncmedic(dir.path());
        cmd.args(args).envs(env.iter().copied());
        let out = cmd.output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(names), "{args:?}: {err}");
        // The cause is told once: no clause of the message repeats.
        let clauses: Vec<&str> = err.trim().split(": ").collect();
        for (i, clause) in clauses.iter().enumerate() {
            assert!(
                !clauses[i + 1..].contains(clause),
                "{args:?}: {clause:?} repeats in {err}"
            );
        }
    }
}

#[test]
fn stats_counts_what_chat_stored() {
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let mut chat = syncmedic(dir.path());
    chat.arg("chat").env("SYNCMEDIC__DATABASE__URL", &url);
    // Syncing Paused on a Mac: next step, then "That fixed it".
    let out = run_with_input(&mut chat, "Syncing Paused on my mac\n1\n2\n");
    assert!(out.status.success());
    let out = syncmedic(dir.path())
        .args(["stats", "--days", "1"])
        .env("SYNCMEDIC__DATABASE__URL", &url)
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("status-paused"))
        .unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        &cells[2..6],
        ["1", "1", "0", "0"],
        "1 conversation, solved by the bot, not handed over, not open: {line}"
    );
    assert!(line.ends_with("2×1"), "step 2 fixed it: {line}");
    assert!(
        text.contains("By week (weeks start Monday, UTC):"),
        "{text}"
    );
}

/// One conversation stored by `chat`, in a temp dir: (dir, database URL).
fn one_solved_conversation() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let mut chat = syncmedic(dir.path());
    chat.arg("chat").env("SYNCMEDIC__DATABASE__URL", &url);
    let out = run_with_input(&mut chat, "Syncing Paused on my mac\n1\n2\n");
    assert!(out.status.success());
    (dir, url)
}

#[test]
fn stats_json_is_one_object_with_intents_and_weeks() {
    let (dir, url) = one_solved_conversation();
    let out = syncmedic(dir.path())
        .args(["stats", "--days", "14", "--json"])
        .env("SYNCMEDIC__DATABASE__URL", &url)
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    let json: serde_json::Value = serde_json::from_str(text.trim()).expect("JSON");
    assert_eq!(json["days"], 14);
    let intent = &json["intents"][0];
    assert_eq!(intent["intent"], "status-paused");
    assert_eq!(
        (&intent["resolved"], &intent["escalated"], &intent["open"]),
        (&1.into(), &0.into(), &0.into())
    );
    let weeks = json["weeks"].as_array().expect("weeks");
    // 14 days touch two or three Monday-to-Sunday weeks.
    assert!((2..=3).contains(&weeks.len()), "{text}");
    let newest = weeks.last().expect("a week");
    assert_eq!(
        (&newest["conversations"], &newest["resolved"]),
        (&1.into(), &1.into())
    );
    assert_eq!(
        newest["week_start"]
            .as_i64()
            .map(|t| (t - 4 * 86_400) % (7 * 86_400)),
        Some(0),
        "a Monday"
    );
}

#[test]
fn stats_png_writes_the_chart_and_still_prints_the_table() {
    let (dir, url) = one_solved_conversation();
    let chart = dir.path().join("chart.png");
    let out = syncmedic(dir.path())
        .args(["stats", "--days", "7", "--png"])
        .arg(&chart)
        .env("SYNCMEDIC__DATABASE__URL", &url)
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("status-paused"), "the table as well: {text}");
    let bytes = fs::read(&chart).expect("the chart file");
    let mut reader = png::Decoder::new(bytes.as_slice())
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("decodes");
    assert_eq!(
        (info.width, info.height),
        (
            syncmedic::stats::layout::WIDTH,
            syncmedic::stats::layout::Layout::new(1).height
        )
    );
}

/// A reader that stops early (`syncmedic eval FILE | head`) ends the
/// command quietly: no panic, no error, exit code 0, as for other tools.
#[test]
fn a_closed_output_ends_a_command_quietly() {
    let commands: [&[&str]; 4] = [
        &["eval", "eval/dev.tsv"],
        &["eval", "eval/dev.tsv", "--json"],
        &["ask", "it says waiting to upload 57 items"],
        &["tune"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        // Closed before the command starts: its first write finds no reader.
        drop(reader);
        let out = syncmedic(repo())
            .args(args)
            .stdout(writer)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}
