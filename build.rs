//! Builds the knowledge base into the binary: `intents/` and `responses/`
//! (with its links allow-list, `responses/links.toml`), so the binary
//! answers from any folder, and the matcher's models trained on them, so
//! it starts without training (see `syncmedic_core::matcher::Learned`).

use std::fmt::Write as _;
use std::path::Path;
use syncmedic_core::kb::{Kb, KbFiles};
use syncmedic_core::matcher::Learned;

fn main() {
    // Read when the script runs, not baked in when it is compiled: a
    // script compiled for another checkout must not embed that one's files.
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    for folder in ["intents", "responses"] {
        println!("cargo:rerun-if-changed={}", root.join(folder).display());
    }
    // A binary without its knowledge base would fail at every start;
    // better to fail the build, saying where it looked.
    let files = KbFiles::read_dir(root).unwrap_or_else(|err| panic!("{err}"));
    let mut embedded = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for file in &files.files {
        let full = root.join(&file.path);
        println!("cargo:rerun-if-changed={}", full.display());
        let _ = writeln!(
            embedded,
            "    ({:?}, include_str!({:?})),",
            file.path.display().to_string(),
            full.display().to_string()
        );
    }
    embedded.push_str("];\n");
    std::fs::write(out.join("embedded_kb.rs"), embedded).expect("OUT_DIR is writable");

    // A knowledge base with problems builds no model: the binary then
    // reports them, file and line, when it loads, as for any folder.
    let model = match Kb::from_files(&files) {
        Ok(kb) => Learned::train(&kb, files.fingerprint()).to_bytes(),
        Err(err) => {
            let first = err
                .to_string()
                .lines()
                .take(3)
                .collect::<Vec<_>>()
                .join("; ");
            println!("cargo:warning=no built-in models: the knowledge base has problems ({first})");
            Vec::new()
        }
    };
    std::fs::write(out.join("model.bin"), model).expect("OUT_DIR is writable");
}
