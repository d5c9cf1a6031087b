//! Cross-file checks: ids against the taxonomy, responses against intents,
//! examples claimed twice, links against the allow-list, and Discord's
//! length limits.

use super::claims;
use super::error::Problems;
use super::files::KbFiles;
use super::id::{ESCALATE, IntentId, NONE_LABEL, TAXONOMY};
use super::intent_file::{self, IntentFile, Located};
use super::links::{self, LINKS_FILE, Links};
use super::response_file::{self, Response};
use super::{Intent, Kb, OffTopic};
use crate::dialog::render;
use crate::text;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(super) fn build(files: &KbFiles, problems: &mut Problems) -> Kb {
    let mut intent_files: Vec<(PathBuf, IntentFile)> = Vec::new();
    let mut responses: BTreeMap<String, (PathBuf, Option<Response>)> = BTreeMap::new();
    let mut links = Links::default();
    for file in &files.files {
        let folder = file
            .path
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str());
        let stem = file
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        match folder {
            Some("intents") => {
                if let Some(parsed) = intent_file::parse(&file.path, &file.text, problems) {
                    intent_files.push((file.path.clone(), parsed));
                }
            }
            Some("responses") if file.path == Path::new(LINKS_FILE) => {
                links = links::parse(&file.path, &file.text, problems);
            }
            Some("responses") => {
                let parsed = response_file::parse(&file.path, &file.text, problems);
                responses.insert(stem.to_string(), (file.path.clone(), parsed));
            }
            _ => problems.push(&file.path, 0, "not part of a knowledge base"),
        }
    }

    // Every example as the matcher reads it, worked out once: the check for
    // examples claimed twice compares these, and the matcher trains on them.
    let example_texts: Vec<&str> = intent_files
        .iter()
        .flat_map(|(_, file)| file.examples.iter().map(|e| e.text.as_str()))
        .collect();
    let mut each = text::tokens_of_each(&example_texts).into_iter();
    let (mut tokens, fingerprints): (Vec<Vec<Vec<String>>>, Vec<Vec<u64>>) = intent_files
        .iter()
        .map(|(_, file)| each.by_ref().take(file.examples.len()).unzip())
        .unzip();
    claims::check(&intent_files, &tokens, &fingerprints, problems);
    for file in &files.files {
        if file.path.starts_with("responses") && file.path != Path::new(LINKS_FILE) {
            links::check_response(&file.path, &file.text, &links, problems);
        }
    }
    if let Some((path, Some(response))) = responses.get(ESCALATE)
        && !response.escalate.is_empty()
    {
        problems.push(
            path,
            response.escalate_line,
            "asking for a person hands over at once, so this `## Ask a person` text is never shown: remove the section",
        );
    }
    let mut offtopic = OffTopic::default();
    let mut intents = Vec::new();
    let mut used_responses = Vec::new();
    // The examples' texts move into the knowledge base rather than being
    // copied: thousands of strings.
    let mut example_texts: Vec<Vec<String>> = intent_files
        .iter_mut()
        .map(|(_, file)| {
            std::mem::take(&mut file.examples)
                .into_iter()
                .map(|e| e.text)
                .collect()
        })
        .collect();
    for (((path, file), example_tokens), examples) in
        intent_files.iter().zip(&mut tokens).zip(&mut example_texts)
    {
        let example_tokens = std::mem::take(example_tokens);
        let examples = std::mem::take(examples);
        if file.id.as_str() == NONE_LABEL {
            if !file.devices.is_empty() {
                problems.push(path, file.id_line, "the none class takes no devices");
            }
            for extra in file
                .statuses
                .iter()
                .chain(&file.related)
                .chain(&file.over_when)
            {
                problems.push(
                    path,
                    extra.line,
                    "the none class takes only keywords and examples",
                );
            }
            offtopic.keywords = texts(&file.keywords);
            offtopic.domain = texts(&file.domain);
            offtopic.tools = texts(&file.tools);
            offtopic.examples = examples;
            offtopic.example_tokens = example_tokens;
            continue;
        }
        if let Some(word) = file.domain.first() {
            problems.push(path, word.line, "only the none file lists domain words");
        }
        if let Some(tool) = file.tools.first() {
            problems.push(path, tool.line, "only the none file lists tools");
        }
        let mut intent_ids = |listed: &[Located], what: &str| -> Vec<IntentId> {
            listed
                .iter()
                .filter_map(|r| {
                    let id = IntentId::parse(&r.text);
                    let known = intent_files.iter().any(|(_, f)| Some(&f.id) == id.as_ref());
                    if !known || r.text == NONE_LABEL {
                        problems.push(
                            path,
                            r.line,
                            format!("{what} {:?} is not an intent", r.text),
                        );
                    }
                    id
                })
                .collect()
        };
        let related = intent_ids(&file.related, "related id");
        let over_when = intent_ids(&file.over_when, "over_when id");
        let response = match responses.get(&file.response.text) {
            Some((_, Some(response))) => response.clone(),
            Some((_, None)) => continue, // its own problems are reported already
            None => {
                problems.push(
                    path,
                    file.response.line,
                    format!("no response: expected responses/{}.md", file.response.text),
                );
                continue;
            }
        };
        used_responses.push(file.response.text.clone());
        intents.push(Intent {
            id: file.id.clone(),
            title: file.title.text.clone(),
            statuses: texts(&file.statuses),
            keywords: texts(&file.keywords),
            related,
            over_when,
            devices: file.devices.clone(),
            examples,
            example_tokens,
            response,
        });
    }
    intents.sort_by(|a, b| a.id.cmp(&b.id));

    check_ids(&intent_files, problems);
    for (stem, (path, _)) in &responses {
        if !used_responses.contains(stem)
            && !intent_files.iter().any(|(_, f)| f.response.text == *stem)
        {
            problems.push(
                path,
                0,
                format!("no intent uses this response (expected intents/{stem}.toml)"),
            );
        }
    }
    let kb = Kb {
        intents,
        offtopic,
        links,
    };
    check_lengths(&kb, &responses, problems);
    kb
}

fn texts(items: &[intent_file::Located]) -> Vec<String> {
    items.iter().map(|l| l.text.clone()).collect()
}

fn check_ids(intent_files: &[(PathBuf, IntentFile)], problems: &mut Problems) {
    let mut first: FxHashMap<&str, &Path> = FxHashMap::default();
    for (path, file) in intent_files {
        if let Some(other) = first.insert(file.id.as_str(), path) {
            problems.push(
                path,
                file.id_line,
                format!("id also defined in {}", other.display()),
            );
        }
    }
    for id in TAXONOMY {
        if !first.contains_key(id) {
            // Relative, as every other problem's path: the origin is said
            // once, above the list (and the built-in copy has no folder).
            let missing = Path::new("intents").join(format!("{id}.toml"));
            problems.push(
                &missing,
                0,
                format!("taxonomy id {id:?} has no intent file"),
            );
        }
    }
}

/// Every message the bot can send for an intent must fit Discord's limit.
fn check_lengths(
    kb: &Kb,
    responses: &BTreeMap<String, (PathBuf, Option<Response>)>,
    problems: &mut Problems,
) {
    for intent in kb.intents() {
        let path = responses
            .get(intent.id.as_str())
            .map(|(p, _)| p.clone())
            .unwrap_or_else(|| PathBuf::from(format!("responses/{}.md", intent.id)));
        for (what, length) in render::longest_messages(intent) {
            if length > render::DISCORD_LIMIT {
                problems.push(
                    &path,
                    0,
                    format!(
                        "{what} is {length} characters; Discord allows {}",
                        render::DISCORD_LIMIT
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{KbFiles, SourceFile};
    use super::*;

    fn files(list: &[(&str, &str)]) -> KbFiles {
        KbFiles {
            origin: "kb".into(),
            files: list
                .iter()
                .map(|(p, t)| SourceFile {
                    path: p.into(),
                    text: t.to_string(),
                })
                .collect(),
        }
    }

    fn problems_of(list: &[(&str, &str)]) -> Vec<String> {
        match Kb::from_files(&files(list)) {
            Ok(_) => Vec::new(),
            Err(super::super::KbError::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
            Err(other) => vec![other.to_string()],
        }
    }

    const RESPONSE: &str = "Why.\n\n## Steps\n1. Do it\n";

    #[test]
    fn reports_missing_taxonomy_ids_and_cross_file_problems() {
        let got = problems_of(&[
            (
                "intents/status-paused.toml",
                "id = \"status-paused\"\ntitle = \"P\"\nrelated = [\"nope\"]\nexamples = [\"it is paused\"]\ntools = [\"lightroom\"]\nover_when = [\"none\"]\n",
            ),
            (
                "intents/upload-stuck.toml",
                "id = \"upload-stuck\"\ntitle = \"U\"\nexamples = [\n\"It is  PAUSED\",\n\"upload stuck\",\n\"Upload, stuck!\",\n\"!!!\"]\n",
            ),
            ("responses/status-paused.md", RESPONSE),
            ("responses/orphan.md", RESPONSE),
        ]);
        assert!(
            got.contains(
                &"intents/status-paused.toml:3: related id \"nope\" is not an intent".to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(
                &"intents/status-paused.toml:5: only the none file lists tools".to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(
                &"intents/status-paused.toml:6: over_when id \"none\" is not an intent".to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(
                &"intents/upload-stuck.toml:1: no response: expected responses/upload-stuck.md"
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(got.iter().any(|p| p.starts_with("intents/upload-stuck.toml:4: example \"It is  PAUSED\" also claimed by status-paused")), "{got:?}");
        assert!(
            got.contains(
                &"intents/upload-stuck.toml:6: example \"Upload, stuck!\" repeats line 5"
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(&"intents/upload-stuck.toml:7: example has no words".to_string()),
            "{got:?}"
        );
        assert!(
            !got.iter().any(|p| p.contains(":5: example")),
            "the first of two is not the repeat: {got:?}"
        );
        assert!(
            got.contains(
                &"responses/orphan.md: no intent uses this response (expected intents/orphan.toml)"
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(got.contains(&"intents/sync-not-working.toml: taxonomy id \"sync-not-working\" has no intent file".to_string()), "{got:?}");
    }

    #[test]
    fn links_and_the_hand_over_text_are_checked_across_files() {
        let intent = |id: &str| {
            (
                format!("intents/{id}.toml"),
                format!("id = \"{id}\"\ntitle = \"T\"\nexamples = [\"{id} words\"]\n"),
            )
        };
        let (paused, escalate) = (intent("status-paused"), intent("escalate-human"));
        let got = problems_of(&[
            (&paused.0, &paused.1),
            (&escalate.0, &escalate.1),
            ("responses/links.toml", "hosts = [\"www.apple.com\"]\n"),
            (
                "responses/status-paused.md",
                "Why.\n\n## Steps\n1. Open [this](https://www.apple.com/x).\n2. Or [that](https://evil.example/).\n",
            ),
            (
                "responses/escalate-human.md",
                "Handing over.\n\n## Steps\n1. Your model\n\n## Ask a person\nPress the button.\n",
            ),
        ]);
        for expected in [
            "responses/status-paused.md:5: link \"https://evil.example/\" goes to \"evil.example\", which is not on the allow-list in responses/links.toml",
            "responses/escalate-human.md:7: asking for a person hands over at once, so this `## Ask a person` text is never shown: remove the section",
        ] {
            assert!(got.contains(&expected.to_string()), "{got:#?}");
        }
        assert!(
            !got.iter().any(|p| p.contains("status-paused.md:4")),
            "{got:#?}"
        );
    }

    #[test]
    fn over_long_response_is_reported() {
        let long = format!("Why.\n\n## Steps\n1. {}\n", "word ".repeat(500));
        let got = problems_of(&[
            (
                "intents/status-paused.toml",
                "id = \"status-paused\"\ntitle = \"P\"\nexamples = [\"paused\"]\n",
            ),
            ("responses/status-paused.md", &long),
        ]);
        assert!(
            got.iter()
                .any(|p| p.starts_with("responses/status-paused.md: ")
                    && p.contains("Discord allows 2000")),
            "{got:?}"
        );
    }
}
