use crate::support::repo;
use syncmedic::Engine;
use syncmedic::kb::{Device, KbFiles};
use syncmedic::matcher::{Decision, Thresholds};

fn engine() -> Engine {
    let files = KbFiles::read_dir(repo()).expect("readable");
    Engine::from_files(&files, Thresholds::default()).expect("valid")
}

#[test]
fn matcher_table() {
    let engine = engine();
    let table =
        std::fs::read_to_string(repo().join("tests/fixtures/matcher.tsv")).expect("fixture");
    let mut failures = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (text, expected) = line.rsplit_once('\t').expect("text<TAB>expectation");
        let c = engine.matcher.classify(text);
        let (kind, arg) = expected.split_once(' ').unwrap_or((expected, ""));
        let ok = match kind {
            "answer" => matches!(&c.decision, Decision::Answer(id) if id.as_str() == arg),
            "top3" => c.ranked.iter().take(3).any(|s| s.intent.as_str() == arg),
            "status" => c.status.as_ref().is_some_and(|s| s.intent.as_str() == arg),
            "device" => c.device == Device::from_slug(arg),
            "none" => c.decision == Decision::None,
            // "clarify" alone: any two or more; with ids: exactly those.
            "clarify" => matches!(&c.decision, Decision::Clarify(ids)
            if ids.len() >= 2 && (arg.is_empty() || {
                let mut offered: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
                let mut wanted: Vec<&str> = arg.split(' ').collect();
                offered.sort_unstable();
                wanted.sort_unstable();
                offered == wanted
            })),
            other => panic!("line {}: unknown expectation {other:?}", n + 1),
        };
        if !ok {
            failures.push(format!(
                "line {}: {text:?} expected {expected}, got {:?} / status {:?} / device {:?} / top {:?}",
                n + 1,
                c.decision,
                c.status,
                c.device,
                c.ranked.iter().take(3).map(|s| (s.intent.as_str(), s.score)).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_input_is_bounded_and_stable() {
    let engine = engine();
    let zalgo = "ẅ̷̡̛a̶i̴t̵i̸n̷g̵ t̸o̴ u̵p̷l̶o̴a̶d̸ ".repeat(200);
    for text in [
        zalgo.as_str(),
        &"a".repeat(4_000),
        &"@everyone ".repeat(400),
        "```\nfn main() { panic!() }\n```",
        "\u{202e}daolpu ot gnitiaw",
        "\0\u{7}\u{1b}[31m",
    ] {
        let first = engine.matcher.classify(text);
        assert_eq!(first, engine.matcher.classify(text), "same answer twice");
        assert!(first.ranked.iter().all(|s| (0.0..=1.0).contains(&s.score)));
    }
}
