use crate::support::repo;
use syncmedic::Engine;
use syncmedic::eval::{self, Report};
use syncmedic::kb::{Kb, KbFiles};
use syncmedic::matcher::{Matcher, Thresholds};
use syncmedic::settings::Settings;

/// The engine as `serve` and `eval` build it: the repository's knowledge
/// base with the shipped lines, and the models built into the binary.
fn shipped() -> Engine {
    let files = KbFiles::read_dir(repo()).expect("readable");
    let settings = Settings::load_with_env(None, Vec::new()).expect("the shipped settings");
    syncmedic::shipped::engine(&files, settings.thresholds).expect("valid")
}

/// The same, its models trained at load.
fn trained() -> Engine {
    let files = KbFiles::read_dir(repo()).expect("readable");
    let settings = Settings::load_with_env(None, Vec::new()).expect("the shipped settings");
    Engine::from_files(&files, settings.thresholds).expect("valid")
}

/// The models built into the binary are the ones a load would train: on
/// every row of both sets, the same classification, scores included.
#[test]
fn built_in_models_answer_as_trained_ones() {
    // The repository's files are the built-in ones: the models are used.
    let files = KbFiles::read_dir(repo()).expect("readable");
    let learned = syncmedic::shipped::learned().map(|l| l.fingerprint());
    assert_eq!(learned, Some(files.fingerprint()));
    let (shipped, trained) = (shipped(), trained());
    for file in ["eval/dev.tsv", "eval/real.tsv"] {
        let tsv = std::fs::read_to_string(repo().join(file)).expect(file);
        for row in tsv.lines().skip(1) {
            let text = row.rsplit_once('\t').map_or(row, |(text, _)| text);
            assert_eq!(
                shipped.matcher.classify(text),
                trained.matcher.classify(text),
                "{file}: {text}"
            );
        }
    }
}

fn score(engine: &Engine, file: &str) -> Report {
    let tsv = std::fs::read_to_string(repo().join(file)).expect(file);
    let rows = eval::parse(&tsv, engine).expect("parses");
    eval::run(engine, &rows)
}

fn summary(r: &Report) -> String {
    format!(
        "accuracy {:.3} helped {:.3} top3 {:.3} wrong {:.3} offtopic {:.3}; misses: {:#?}",
        r.accuracy, r.helped, r.top3, r.wrong_answer, r.offtopic_answered, r.misses
    )
}

/// The bars from the issue, on the development set: a change to the matcher
/// or the knowledge base that drops below them fails CI.
#[test]
fn dev_set_meets_the_accuracy_bars() {
    let r = score(&shipped(), "eval/dev.tsv");
    assert!(r.accuracy >= 0.95, "{}", summary(&r));
    assert!(r.top3 >= 0.99, "{}", summary(&r));
    assert!(r.wrong_answer <= 0.02, "{}", summary(&r));
    assert!(r.offtopic_answered <= 0.05, "{}", summary(&r));
}

/// Messages real people wrote: today's figures are the floor, so a change
/// that makes the bot worse where it matters fails CI. (They are below the
/// issue's goals; see README. The training shuffle alone moves them by a
/// few rows, so the floor sits a little below.)
#[test]
fn real_messages_do_not_get_worse() {
    let r = score(&shipped(), "eval/real.tsv");
    assert!(r.accuracy >= 0.43, "{}", summary(&r));
    assert!(r.helped >= 0.52, "{}", summary(&r));
    assert!(r.wrong_answer <= 0.12, "{}", summary(&r));
    assert!(r.offtopic_answered <= 0.19, "{}", summary(&r));
}

/// The shipped lines are what cross-validation chooses for the shipped
/// knowledge base: an edit to the examples that moves them fails here, and
/// `syncmedic tune` prints the new ones for `config/default.toml`.
#[test]
fn shipped_lines_are_the_cross_validated_ones() {
    let files = KbFiles::read_dir(repo()).expect("readable");
    let kb = Kb::from_files(&files).expect("valid");
    let chosen = Matcher::new(&kb, Thresholds::default()).cut();
    let settings = Settings::load_with_env(None, Vec::new()).expect("the shipped settings");
    let shipped = settings.thresholds.complete().expect("all three lines set");
    let close = |a: f32, b: f32| (a - b).abs() < 1e-4;
    assert!(
        close(chosen.answer, shipped.answer)
            && close(chosen.clarify, shipped.clarify)
            && close(chosen.margin, shipped.margin),
        "cross-validation chooses {chosen:?}, config/default.toml has {shipped:?}: run `syncmedic tune`"
    );
}
