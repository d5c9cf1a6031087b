//! The knowledge-base loader: whatever an author saves, loading never
//! panics, every problem points into a file, and loading is repeatable.

use crate::fuzz_bodies::{base_files, check_load, kb_files_from};
use crate::support::repo;
use proptest::prelude::*;
use proptest::sample::Index;
use syncmedic::kb::{Kb, KbError, KbFiles, LINKS_FILE, Problem, SourceFile, TAXONOMY};

/// One edit an author (or a broken editor) might make to a file.
#[derive(Debug, Clone)]
enum Edit {
    /// Cut the file at a byte, maybe inside a character or a string.
    Truncate(Index),
    /// Add a line: a fragment of the formats, or anything at all.
    InsertLine(Index, String),
    DeleteLine(Index),
    DuplicateLine(Index),
    /// Overwrite a few bytes with arbitrary ones.
    Overwrite(Index, Vec<u8>),
}

/// Lines that mean something to one of the two parsers.
const FRAGMENTS: &[&str] = &[
    "## Steps",
    "## Mac",
    "## iPhone/iPad",
    "## Windows",
    "## Ask a person",
    "## Nokia",
    "#",
    "# Title",
    "1.",
    "1. step",
    "3. skipped",
    "99999999999999999999. huge",
    "   continued",
    "id = \"status-paused\"",
    "id = \"none\"",
    "id = \"Bad Id\"",
    "title = \"\"",
    "examples = [",
    "examples = []",
    "]",
    "\"",
    "[table]",
    "[[array]]",
    "devices = [\"nokia\"]",
    "devices = [\"mac\", \"mac\"]",
    "related = [\"none\"]",
    "related = [\"upload-stuck\"]",
    "statuses = [\"!!!\"]",
    "statuses = [\"😀\"]",
    "keywords = [\"\u{301}\"]",
    "domain = [\"x\"]",
    "response = \"status-paused\"",
    "response = \"../../etc\"",
    "title = 5",
    "examples = [\"\\u0000\"]",
    "x = \"\"\"",
    "\u{feff}",
    "\r",
];

fn edit() -> impl Strategy<Value = Edit> {
    let line = prop_oneof![
        3 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    prop_oneof![
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), line).prop_map(|(at, text)| Edit::InsertLine(at, text)),
        any::<Index>().prop_map(Edit::DeleteLine),
        any::<Index>().prop_map(Edit::DuplicateLine),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..12))
            .prop_map(|(at, bytes)| Edit::Overwrite(at, bytes)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        match edit {
            Edit::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
            Edit::InsertLine(at, line) => {
                lines.insert(at.index(lines.len() + 1), line.as_bytes().to_vec());
                bytes = lines.join(&b'\n');
            }
            Edit::DeleteLine(at) => {
                lines.remove(at.index(lines.len()));
                bytes = lines.join(&b'\n');
            }
            Edit::DuplicateLine(at) => {
                let i = at.index(lines.len());
                lines.insert(i, lines[i].clone());
                bytes = lines.join(&b'\n');
            }
            Edit::Overwrite(at, new) => {
                let start = at.index(bytes.len() + 1);
                let end = (start + new.len()).min(bytes.len());
                bytes.splice(start..end, new.iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The real files of one taxonomy id, edited, in the small base with the
/// real links allow-list.
fn edited_files(id: &str, response: bool, edits: &[Edit]) -> KbFiles {
    let path = if response {
        format!("responses/{id}.md")
    } else {
        format!("intents/{id}.toml")
    };
    let real = read(&format!("intents/{id}.toml"));
    let mut files = base_files();
    // Real responses link to pages, which only the real allow-list admits.
    files.files.push(SourceFile {
        path: LINKS_FILE.into(),
        text: read(LINKS_FILE),
    });
    for file in &mut files.files {
        let name = file.path.to_string_lossy();
        if name == format!("intents/{id}.toml") {
            file.text = real.clone();
        } else if name == format!("responses/{id}.md") {
            file.text = read(&name);
        }
        if file.path.to_string_lossy() == path {
            file.text = apply(&file.text, edits);
        }
    }
    files
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What a load gave, in a form two loads can be compared by.
fn outcome(files: &KbFiles) -> Result<String, Vec<Problem>> {
    match Kb::from_files(files) {
        Ok(kb) => Ok(format!("{:?} {:?}", kb.intents(), kb.offtopic())),
        Err(KbError::Invalid(problems)) => Err(problems),
        Err(other) => panic!("loading from memory cannot fail with {other}"),
    }
}

proptest! {
    #![proptest_config(super::config(256))]

    /// Real files, edited: loading never panics, a valid result builds a
    /// matcher that classifies, and every problem names a file and a line
    /// within it. Loading the same files again gives the same result.
    #[test]
    fn edited_real_files_load_or_say_where(
        id in prop::sample::select(TAXONOMY),
        response: bool,
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let files = edited_files(id, response, &edits);
        check_load(&files);
        prop_assert_eq!(outcome(&files), outcome(&files));
    }

    /// Arbitrary bytes as an intent file and a response file, split as the
    /// fuzz target splits them.
    #[test]
    fn arbitrary_bytes_load_or_say_where(data in prop::collection::vec(any::<u8>(), 0..600)) {
        check_load(&kb_files_from(&data));
    }
}

/// The base the edits start from is valid, else every edit would merely
/// repeat the base's own problems.
#[test]
fn the_base_and_the_real_files_in_it_load() {
    check_load(&base_files());
    assert!(
        outcome(&base_files()).is_ok(),
        "{:?}",
        outcome(&base_files()).err()
    );
    for id in TAXONOMY {
        let files = edited_files(id, false, &[]);
        assert!(outcome(&files).is_ok(), "{id}: {:?}", outcome(&files).err());
    }
}

/// The repository's knowledge base loads to the same result every time,
/// from the folder and from the copy built into the binary.
#[test]
fn the_real_knowledge_base_loads_the_same_every_time() {
    let folder = KbFiles::read_dir(repo()).expect("readable");
    let first = outcome(&folder).expect("the repository's knowledge base is valid");
    assert_eq!(outcome(&folder), Ok(first.clone()));
    assert_eq!(outcome(&syncmedic::shipped::files()), Ok(first));
}
