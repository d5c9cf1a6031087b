//! Embeds `intents/` and `responses/` (with its links allow-list,
//! `responses/links.toml`) so the binary answers from any folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not baked in when it is compiled: a
    // script compiled for another checkout must not embed that one's files.
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut out = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for (folder, extension) in [("intents", "toml"), ("responses", "md")] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        // A binary without its knowledge base would fail at every start;
        // better to fail the build, saying where it looked.
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let links = folder == "responses" && name == "links.toml";
            if path.extension().and_then(|e| e.to_str()) != Some(extension) && !links {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let _ = writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("{folder}/{name}"),
                path.display().to_string()
            );
        }
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_kb.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
