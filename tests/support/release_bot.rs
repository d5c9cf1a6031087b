//! The release binary as a child process for the load bench: started
//! against the loopback Discord with the settings a load run needs, its
//! memory sampled from /proc while it works, and stopped when dropped.

use crate::discord::FakeDiscord;
use crate::env_or;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The bot's process, stopped when dropped.
pub struct BotProcess {
    pub child: Child,
    _dir: tempfile::TempDir,
    pub log: std::path::PathBuf,
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the release binary against `fd` and waits for it to register its
/// commands.
pub async fn spawn_bot(fd: &FakeDiscord, channels: &[u64], limited: bool) -> BotProcess {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = fd.ids();
    let list: Vec<String> = channels.iter().map(u64::to_string).collect();
    let log = dir.path().join("bot.log");
    let stderr = std::fs::File::create(&log).expect("bot log file");
    // LOAD_WRAPPER runs the bot under a profiler ("heaptrack -o FILE");
    // the figures are then the profiler's, not the bot's.
    let wrapper = std::env::var("LOAD_WRAPPER").unwrap_or_default();
    let mut words = wrapper.split_whitespace();
    let mut command = match words.next() {
        Some(program) => {
            let mut command = Command::new(program);
            command.args(words).arg(env!("CARGO_BIN_EXE_syncmedic"));
            command
        }
        None => Command::new(env!("CARGO_BIN_EXE_syncmedic")),
    };
    let child = command
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DISCORD_TOKEN", fd.token())
        .env("SYNCMEDIC__DISCORD__API_URL", fd.api_url())
        .env("SYNCMEDIC__DISCORD__GUILD_ID", ids.guild.to_string())
        .env("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", list.join(","))
        .env("SYNCMEDIC__DISCORD__STAFF_ROLE", ids.staff_role.to_string())
        .env(
            "SYNCMEDIC__DATABASE__URL",
            format!("sqlite://{}", dir.path().join("load.db").display()),
        )
        // Without LOAD_DISCORD_LIMIT the server enforces no limit and this
        // measures the bot's own work, unpaced; with it, the bot keeps its
        // default pace (45 requests a second). LOAD_PACE overrides both.
        .env(
            "SYNCMEDIC__LIMITS__REQUESTS_PER_SECOND",
            env_or("LOAD_PACE", if limited { 45.0 } else { 0.0_f64 }).to_string(),
        )
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the release binary starts");
    let commands = format!(
        "/applications/{}/guilds/{}/commands",
        ids.application, ids.guild
    );
    fd.wait_for(Duration::from_secs(30), |r| {
        r.method == "PUT" && r.path == commands
    })
    .await;
    BotProcess {
        child,
        _dir: dir,
        log,
    }
}

/// VmRSS of a process every second, until stopped.
pub struct Memory {
    samples: Arc<Mutex<Vec<u64>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Memory {
    pub fn sample(pid: u32) -> Memory {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let into = Arc::clone(&samples);
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_secs(1));
            loop {
                ticker.tick().await;
                if let Some(kib) = status_kib(pid, "VmRSS") {
                    into.lock().expect("memory samples lock").push(kib);
                }
            }
        });
        Memory { samples, task }
    }

    pub fn stop(self) -> Vec<u64> {
        self.task.abort();
        self.samples.lock().expect("memory samples lock").clone()
    }
}

/// A `kB` line of /proc/PID/status.
pub fn status_kib(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn kib(k: Option<u64>) -> String {
    k.map_or("unknown".into(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    })
}
