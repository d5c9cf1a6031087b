//! The raw files of a knowledge base, from a folder or built into the binary.

use super::error::KbError;
use super::links::LINKS_FILE;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// One file's path (relative, as `intents/x.toml`) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// All files of one knowledge base. Keeping the reading apart from the
/// parsing lets tests, the embedded copy and a folder on disk share one
/// loader.
#[derive(Debug, Clone, Default)]
pub struct KbFiles {
    /// Where the files came from, for messages.
    pub origin: String,
    pub files: Vec<SourceFile>,
}

impl KbFiles {
    /// Files given as (relative path, text) pairs: the copy built into the
    /// binary (`syncmedic::shipped`).
    pub fn from_pairs(origin: &str, pairs: &[(&str, &str)]) -> KbFiles {
        KbFiles {
            origin: origin.to_string(),
            files: pairs
                .iter()
                .map(|(path, text)| SourceFile {
                    path: PathBuf::from(path),
                    text: (*text).to_string(),
                })
                .collect(),
        }
    }

    /// Reads `root/intents/*.toml`, `root/responses/*.md` and the links
    /// allow-list, `root/responses/links.toml`. File paths in
    /// problems are given relative to `root`, as an author thinks of them.
    pub fn read_dir(root: &Path) -> Result<KbFiles, KbError> {
        let mut files = Vec::new();
        for (folder, extension) in [("intents", "toml"), ("responses", "md")] {
            let dir = root.join(folder);
            if !dir.is_dir() {
                return Err(KbError::NotFound(root.to_path_buf()));
            }
            let entries = std::fs::read_dir(&dir).map_err(|source| KbError::Io {
                path: dir.clone(),
                source,
            })?;
            for entry in entries {
                let entry = entry.map_err(|source| KbError::Io {
                    path: dir.clone(),
                    source,
                })?;
                let path = entry.path();
                let name = path.file_name().map(PathBuf::from).unwrap_or_default();
                let links = Path::new(folder).join(&name) == Path::new(LINKS_FILE);
                if path.extension().and_then(|e| e.to_str()) != Some(extension) && !links {
                    continue;
                }
                let text = std::fs::read_to_string(&path).map_err(|source| KbError::Io {
                    path: path.clone(),
                    source,
                })?;
                files.push(SourceFile {
                    path: Path::new(folder).join(name),
                    text,
                });
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(KbFiles {
            origin: root.display().to_string(),
            files,
        })
    }

    /// A hash of every file's path and text: two knowledge bases with the
    /// same fingerprint are the same files, and train the same models.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        for file in &self.files {
            file.path.hash(&mut hasher);
            file.text.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// True when `root` holds both knowledge-base folders.
    pub fn exists_at(root: &Path) -> bool {
        root.join("intents").is_dir() && root.join("responses").is_dir()
    }
}
