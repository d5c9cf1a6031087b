//! `syncmedic serve` as a separate process against a `FakeDiscord`, for what
//! only a process shows: signals, exit codes, and everything it writes.

use super::bot::WAIT;
use super::discord::FakeDiscord;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Served {
    child: Child,
    /// Standard error so far, line by line.
    stderr: Arc<Mutex<Vec<String>>>,
    /// Where /healthz and /metrics answer.
    pub health: SocketAddr,
    /// Holds the database.
    pub dir: tempfile::TempDir,
}

/// A free loopback port: bound, read and released. Another process could
/// take it in between, which on a test machine does not happen in practice.
pub fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("an address")
}

/// Starts `syncmedic serve` (plus `args`) with the fake server's token and
/// ids, a database in a temporary folder and a health endpoint, and waits
/// until it has registered its commands.
pub async fn serve(fd: &FakeDiscord, args: &[&str], env: &[(&str, &str)]) -> Served {
    let ids = fd.ids();
    let dir = tempfile::tempdir().expect("temp dir");
    let health = free_port();
    let db = format!("sqlite://{}", dir.path().join("bot.db").display());
    let cursor = fd.request_count();
    let mut cmd = super::syncmedic(dir.path());
    cmd.args(args)
        .arg("serve")
        .env("DISCORD_TOKEN", fd.token())
        .env("SYNCMEDIC__DISCORD__API_URL", fd.api_url())
        .env("SYNCMEDIC__DISCORD__GUILD_ID", ids.guild.to_string())
        .env(
            "SYNCMEDIC__DISCORD__SUPPORT_CHANNELS",
            ids.text_channel.to_string(),
        )
        .env("SYNCMEDIC__DISCORD__STAFF_ROLE", ids.staff_role.to_string())
        .env("SYNCMEDIC__LIMITS__USER_COOLDOWN_SECONDS", "0")
        .env("SYNCMEDIC__DATABASE__URL", &db)
        .env("SYNCMEDIC__HEALTH__BIND", health.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("syncmedic serve starts");
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let pipe = child.stderr.take().expect("piped stderr");
    let lines = Arc::clone(&stderr);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            lines.lock().expect("stderr lines").push(line);
        }
    });
    let commands = format!(
        "/applications/{}/guilds/{}/commands",
        ids.application, ids.guild
    );
    fd.wait_for_after(cursor, WAIT, |r| r.method == "PUT" && r.path == commands)
        .await;
    Served {
        child,
        stderr,
        health,
        dir,
    }
}

impl Served {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a signal by name ("TERM", "INT") with the system's `kill`.
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits up to `limit` for the process to exit; `None` if it did not.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<(ExitStatus, Duration)> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader thread take the last lines.
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Some((status, start.elapsed()));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// Everything written to standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr lines").join("\n")
    }

    /// Waits until a line of standard error contains `needle`.
    pub async fn wait_log(&self, needle: &str, limit: Duration) {
        let start = Instant::now();
        while !self.stderr().contains(needle) {
            assert!(
                start.elapsed() < limit,
                "no log line with {needle:?} within {limit:?}:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("bot.db")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET `path` on `addr`: the status code and body.
pub async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("health endpoint accepts");
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("request written");
    let mut response = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut response))
        .await
        .expect("an answer in time")
        .expect("answer read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Whether `path` exists and is a non-empty file.
pub fn non_empty(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}
