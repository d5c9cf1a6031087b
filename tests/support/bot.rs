//! The real bot, in-process, pointed at a `FakeDiscord`.

use super::discord::{FakeDiscord, Recorded};
use super::repo;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use syncmedic::Engine;
use syncmedic::kb::KbFiles;
use syncmedic::settings::{Secret, Settings};
use syncmedic::store::SqliteStore;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const WAIT: Duration = Duration::from_secs(10);

pub struct Bot {
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<anyhow::Result<()>>,
    metrics: std::sync::Arc<syncmedic::metrics::Metrics>,
}

/// Starts `syncmedic::discord::serve` with settings read the way `serve`
/// reads them (defaults, then `SYNCMEDIC__…` variables) and an in-memory
/// database, and waits until it has registered its commands.
pub async fn start(fd: &FakeDiscord, extra_env: &[(&str, String)]) -> Bot {
    start_with_db(fd, extra_env, "sqlite::memory:").await
}

/// A database file in a folder of its own, removed when this is dropped:
/// what a test of restarts starts each bot on.
pub struct OnDisk {
    dir: tempfile::TempDir,
    pub path: PathBuf,
    pub url: String,
}

impl OnDisk {
    pub fn new() -> OnDisk {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("syncmedic.db");
        let url = format!("sqlite://{}", path.display());
        OnDisk { dir, path, url }
    }

    /// The folder the database is in.
    pub fn folder(&self) -> &Path {
        self.dir.path()
    }

    /// What a crash between a reply and its mark leaves behind: `message`
    /// no longer marked answered.
    pub fn unmark(&self, message: u64) {
        let removed = rusqlite::Connection::open(&self.path)
            .and_then(|c| c.execute("DELETE FROM answered WHERE message = ?1", [message as i64]))
            .expect("the store opens");
        assert_eq!(removed, 1, "the first run marked message {message}");
    }
}

/// As `start`, keeping its data in the database at `url` (a test of
/// restarts passes the same file twice).
pub async fn start_with_db(fd: &FakeDiscord, extra_env: &[(&str, String)], url: &str) -> Bot {
    start_full(fd, extra_env, url, None).await
}

/// As `start`, running on the knowledge base in `kb` (a copy a test may
/// change: review labels are written into it) instead of the repository's.
pub async fn start_with_kb(fd: &FakeDiscord, extra_env: &[(&str, String)], kb: &Path) -> Bot {
    start_full(fd, extra_env, "sqlite::memory:", Some(kb.to_path_buf())).await
}

async fn start_full(
    fd: &FakeDiscord,
    extra_env: &[(&str, String)],
    url: &str,
    kb: Option<PathBuf>,
) -> Bot {
    let ids = fd.ids();
    // A restarted bot registers again: wait for its own registration.
    let cursor = fd.request_count();
    let mut env = vec![
        ("SYNCMEDIC__DISCORD__API_URL".to_string(), fd.api_url()),
        (
            "SYNCMEDIC__DISCORD__GUILD_ID".to_string(),
            ids.guild.to_string(),
        ),
        (
            "SYNCMEDIC__DISCORD__SUPPORT_CHANNELS".to_string(),
            ids.text_channel.to_string(),
        ),
        (
            "SYNCMEDIC__DISCORD__FORUM_CHANNELS".to_string(),
            ids.forum_channel.to_string(),
        ),
        (
            "SYNCMEDIC__DISCORD__STAFF_ROLE".to_string(),
            ids.staff_role.to_string(),
        ),
        (
            "SYNCMEDIC__DISCORD__SOLVED_TAG".to_string(),
            ids.forum_tags[0].to_string(),
        ),
        (
            "SYNCMEDIC__LIMITS__USER_COOLDOWN_SECONDS".to_string(),
            "0".to_string(),
        ),
        // Scripted users ask far faster than people; the limits have tests
        // of their own.
        (
            "SYNCMEDIC__LIMITS__USER_REPLIES_PER_MINUTE".to_string(),
            "0".to_string(),
        ),
        // The test server enforces no rate limit unless a test asks it to,
        // and those tests turn the bot's pace back on.
        (
            "SYNCMEDIC__LIMITS__REQUESTS_PER_SECOND".to_string(),
            "0".to_string(),
        ),
        ("SYNCMEDIC__DATABASE__URL".to_string(), url.to_string()),
    ];
    env.extend(extra_env.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let settings = Settings::load_with_env(None, env).expect("test settings are valid");
    let files = KbFiles::read_dir(kb.as_deref().unwrap_or(repo())).expect("knowledge base");
    let engine =
        syncmedic::shipped::engine(&files, settings.thresholds).expect("valid knowledge base");
    let store =
        std::sync::Arc::new(SqliteStore::open(&settings.database_url).expect("test database"));
    let (stop, stopped) = oneshot::channel::<()>();
    let token = Secret::new(fd.token());
    let metrics = std::sync::Arc::new(syncmedic::metrics::Metrics::default());
    let task = tokio::spawn(syncmedic::discord::serve(
        settings,
        engine,
        kb,
        store,
        token,
        std::sync::Arc::clone(&metrics),
        async move {
            let _ = stopped.await;
        },
    ));
    let guild_commands = format!(
        "/applications/{}/guilds/{}/commands",
        ids.application, ids.guild
    );
    fd.wait_for_after(cursor, WAIT, |r| {
        r.method == "PUT" && r.path == guild_commands
    })
    .await;
    Bot {
        stop: Some(stop),
        task,
        metrics,
    }
}

/// The engine the bot runs, from the repository's knowledge base with the
/// default thresholds: the oracle of what the bot answers.
pub fn engine() -> Engine {
    let settings = Settings::load_with_env(None, Vec::<(String, String)>::new())
        .expect("default settings are valid");
    let files = KbFiles::read_dir(repo()).expect("knowledge base");
    Engine::from_files(&files, settings.thresholds).expect("valid knowledge base")
}

impl Bot {
    /// Waits until the bot has put `n` near-misses in its review queue
    /// (the writes run beside the answers).
    pub async fn review_queued(&self, n: u64) {
        self.counted(n, "near-misses queued", |m| &m.review_queued)
            .await;
    }

    /// Waits until the bot has read its channels back `n` times.
    pub async fn read_back(&self, n: u64) {
        self.counted(n, "read-backs", |m| &m.read_backs).await;
    }

    /// Waits until the counter `counter` picks reaches `n`.
    async fn counted(
        &self,
        n: u64,
        what: &str,
        counter: impl Fn(&syncmedic::metrics::Metrics) -> &std::sync::atomic::AtomicU64,
    ) {
        use std::sync::atomic::Ordering;
        let deadline = tokio::time::Instant::now() + WAIT;
        while counter(&self.metrics).load(Ordering::SeqCst) < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {n} {what} within {WAIT:?}",
                counter(&self.metrics).load(Ordering::SeqCst)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Questions the bot kept in its store's backlog so far.
    pub fn backlog_kept(&self) -> u64 {
        self.metrics
            .backlog_kept
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until the bot has handled every message the server has
    /// dispatched to it so far (answered it, or decided not to): what a
    /// "nothing else happened" check waits on, instead of a sleep that a
    /// busy machine can outrun.
    pub async fn settled(&self, fd: &FakeDiscord) {
        use std::sync::atomic::Ordering;
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let sent = fd.messages_dispatched();
            if self.metrics.message_events.load(Ordering::SeqCst) >= sent {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the bot handled {} of {sent} messages within {WAIT:?}",
                self.metrics.message_events.load(Ordering::SeqCst)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops the bot and waits for it to finish cleanly.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match tokio::time::timeout(WAIT, &mut self.task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(err))) => panic!("the bot failed: {err:#}"),
            Ok(Err(join)) => panic!("the bot panicked: {join}"),
            Err(_) => panic!("the bot did not stop within {WAIT:?}"),
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The bot's next message posted in `channel`.
pub async fn posted_in(fd: &FakeDiscord, channel: u64) -> Recorded {
    let path = format!("/channels/{channel}/messages");
    fd.wait_for(WAIT, |r| r.method == "POST" && r.path == path)
        .await
}

/// The bot's `n`th message (1-based) posted in `channel`.
pub async fn nth_post_in(fd: &FakeDiscord, channel: u64, n: usize) -> Recorded {
    let path = format!("/channels/{channel}/messages");
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let posts: Vec<Recorded> = fd
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .collect();
        if let Some(post) = posts.get(n - 1) {
            return post.clone();
        }
        if tokio::time::Instant::now() > deadline {
            panic!(
                "no post #{n} in {channel} within {WAIT:?}:\n{}",
                fd.describe_requests()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The id of the bot's newest message in `channel`.
pub fn newest_id(fd: &FakeDiscord, channel: u64) -> u64 {
    let messages = fd.messages_in(channel);
    let last = messages
        .last()
        .unwrap_or_else(|| panic!("no bot message in {channel}"));
    id_of(&last["id"])
}

pub fn id_of(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
        .unwrap_or_else(|| panic!("not a snowflake: {v}"))
}

/// Every component custom id in a message body, in order.
pub fn custom_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// The custom id starting with `prefix` ("sm1:next").
pub fn custom_id(body: &Value, prefix: &str) -> String {
    custom_ids(body)
        .into_iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} component in {body}"))
}

/// The bot's answer to an interaction as the user sees it, in the shape
/// of a first answer: an update of the pressed message (`type` 7), a new or
/// private message (4), or a form (9). The bot acknowledges presses and
/// forms before it looks anything up (6, or 5 for a command's form) and
/// answers through the interaction's webhook; that pair is read here as the
/// one answer it makes. The `data` is what the user is shown.
pub async fn callback(fd: &FakeDiscord, interaction: u64) -> Recorded {
    let prefix = format!("/interactions/{interaction}/");
    let first = fd.wait_for(WAIT, |r| r.path.starts_with(&prefix)).await;
    let deferred = first.body["type"].as_u64();
    if !matches!(deferred, Some(5 | 6)) {
        return first;
    }
    let webhook = format!(
        "/webhooks/{}/{}",
        fd.ids().application,
        fd.interaction_token(interaction)
    );
    let original = format!("{webhook}/messages/@original");
    let then = fd
        .wait_for(WAIT, |r| {
            (r.method == "PATCH" && r.path == original) || (r.method == "POST" && r.path == webhook)
        })
        .await;
    let shown = if then.method == "PATCH" && deferred == Some(6) {
        7
    } else {
        4
    };
    Recorded {
        body: serde_json::json!({ "type": shown, "data": then.body }),
        ..then
    }
}

/// No one can be pinged by this message.
pub fn assert_no_mentions(body: &Value) {
    let allowed = &body["allowed_mentions"];
    assert!(allowed.is_object(), "allowed_mentions missing in {body}");
    assert_eq!(allowed["parse"], serde_json::json!([]), "{body}");
    for key in ["users", "roles"] {
        assert!(
            allowed[key].as_array().is_none_or(|a| a.is_empty()),
            "{key} may be pinged in {body}"
        );
    }
}
