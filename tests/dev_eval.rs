use crate::support::repo;
use syncmedic::Engine;
use syncmedic::eval;
use syncmedic::kb::KbFiles;
use syncmedic::matcher::Thresholds;

/// The bars from the issue, on the development set, with the default
/// thresholds: a change to the matcher or the knowledge base that drops
/// below them fails CI.
#[test]
fn dev_set_meets_the_accuracy_bars() {
    let files = KbFiles::read_dir(repo()).expect("readable");
    let engine = Engine::from_files(&files, Thresholds::default()).expect("valid");
    let tsv = std::fs::read_to_string(repo().join("eval/dev.tsv")).expect("eval/dev.tsv");
    let rows = eval::parse(&tsv, &engine).expect("parses");
    let r = eval::run(&engine, &rows);
    let summary = format!(
        "accuracy {:.3} top3 {:.3} wrong {:.3} offtopic {:.3}; misses: {:#?}",
        r.accuracy, r.top3, r.wrong_answer, r.offtopic_answered, r.misses
    );
    assert!(r.accuracy >= 0.95, "{summary}");
    assert!(r.top3 >= 0.99, "{summary}");
    assert!(r.wrong_answer <= 0.02, "{summary}");
    assert!(r.offtopic_answered <= 0.05, "{summary}");
}
