//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary in a clean environment, run from `dir`.
pub fn syncmedic(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_syncmedic"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        // Tests never write a database into the repository.
        .env("SYNCMEDIC__DATABASE__URL", "sqlite::memory:")
        .stdin(Stdio::null());
    cmd
}

/// Runs with `stdin` fed in and returns the output.
pub fn run_with_input(cmd: &mut Command, stdin: &str) -> Output {
    use std::io::Write as _;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("syncmedic starts");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("syncmedic finishes")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A copy of the repository's knowledge base in a temporary folder, to
/// break on purpose.
pub fn kb_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["intents", "responses"] {
        let to = dir.path().join(folder);
        std::fs::create_dir_all(&to).expect("folder");
        for entry in std::fs::read_dir(repo().join(folder)).expect("kb folder") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}
pub mod bot;
pub mod discord;
pub mod load;
pub mod questions;
pub mod served;
