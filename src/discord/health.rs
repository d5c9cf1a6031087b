//! `/healthz` and `/metrics` on `health.bind`, for an orchestrator's probes
//! and a Prometheus scraper. Two fixed GET routes need no web framework: a
//! small HTTP/1.1 responder keeps the dependency tree lean.

use crate::metrics::Metrics;
use crate::store::Store;
use anyhow::Context as _;
use serenity::all::ShardManager;
use serenity::gateway::ConnectionStage;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// A probe that has not sent its request by then is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Requests are two words and a few headers; anything longer is not a probe.
const MAX_REQUEST: usize = 8 * 1024;
/// Probes answered at once; more wait for a slot, so a flood of requests
/// cannot pile work onto the database. A slot is taken only once a request
/// has arrived: connections that send nothing cannot keep the real probe
/// out.
const MAX_PROBES: usize = 16;
/// Open connections at most (each waits `READ_TIMEOUT` at worst); beyond
/// that a new one is closed at once, so a flood cannot run out of file
/// handles.
const MAX_CONNECTIONS: usize = 512;
/// How long the database may take to answer a health check.
const STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// The shard manager of the client running now: the client is built again
/// when Discord refuses an intent.
pub type Shards = Arc<std::sync::Mutex<Option<Arc<ShardManager>>>>;

/// What the probes look at.
pub struct Health {
    pub shards: Shards,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    /// Set once a shutdown starts: the bot is alive but no longer ready.
    pub stopping: Arc<AtomicBool>,
}

/// Binds now (so a taken port fails the start, not the first probe) and
/// serves in the background.
pub async fn spawn(bind: &str, health: Health) -> anyhow::Result<()> {
    let listener = TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding health.bind {bind}"))?;
    tracing::info!(bind, "serving /healthz and /metrics");
    let health = Arc::new(health);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_PROBES));
    let connections = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let Ok(open) = Arc::clone(&connections).try_acquire_owned() else {
                        tracing::debug!("too many health connections: closing a new one");
                        continue;
                    };
                    let (health, slots) = (Arc::clone(&health), Arc::clone(&slots));
                    tokio::spawn(async move {
                        if let Err(err) = respond(stream, &health, &slots).await {
                            tracing::debug!(error = %err, "health probe connection failed");
                        }
                        drop(open);
                    });
                }
                Err(err) => {
                    tracing::warn!(error = %err, "health listener could not accept");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    });
    Ok(())
}

async fn respond(
    mut stream: TcpStream,
    health: &Health,
    slots: &tokio::sync::Semaphore,
) -> std::io::Result<()> {
    let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
        Ok(head) => head?,
        Err(_) => return Ok(()),
    };
    let Ok(_slot) = slots.acquire().await else {
        return Ok(());
    };
    let mut words = head.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    let (status, content_type, body) = match (method, path) {
        ("GET", "/healthz") => healthz(health).await,
        ("GET", "/metrics") => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            health.metrics.render(),
        ),
        (_, "/healthz" | "/metrics") => {
            ("405 Method Not Allowed", "text/plain", "GET only\n".into())
        }
        _ => ("404 Not Found", "text/plain", "not found\n".into()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// Reads up to the blank line that ends the request head.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(512);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < MAX_REQUEST {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The outbox worker goes round at least every second and marks each post
/// it tries (a try gives up after 10 s): a minute without a sign of it
/// means it is stuck, and tickets would wait unseen.
const OUTBOX_STALLED_MS: i64 = 60_000;

fn outbox_state(alive_ms: i64, now_ms: i64) -> &'static str {
    match alive_ms {
        0 => "starting",
        at if now_ms - at > OUTBOX_STALLED_MS => "stalled",
        _ => "ok",
    }
}

/// 200 when every shard is connected, the database answers and the outbox
/// worker is alive, else 503 saying which part is down.
async fn healthz(health: &Health) -> (&'static str, &'static str, String) {
    let manager = health
        .shards
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    let gateway = match manager {
        None => "connecting".to_string(),
        Some(manager) => {
            let runners = manager.runners.lock().await;
            if runners.is_empty() {
                "connecting".to_string()
            } else if runners
                .values()
                .all(|r| r.stage == ConnectionStage::Connected)
            {
                "connected".to_string()
            } else {
                runners
                    .values()
                    .find(|r| r.stage != ConnectionStage::Connected)
                    .map(|r| r.stage.to_string().to_lowercase())
                    .unwrap_or_default()
            }
        }
    };
    let store = match tokio::time::timeout(STORE_TIMEOUT, health.store.ping()).await {
        Ok(Ok(())) => "ok".to_string(),
        Ok(Err(err)) => format!("error: {err}"),
        Err(_) => "timed out".to_string(),
    };
    let stopping = health.stopping.load(Ordering::SeqCst);
    let outbox = outbox_state(
        health.metrics.outbox_alive_ms.load(Ordering::Relaxed),
        crate::store::now_ms(),
    );
    let healthy = gateway == "connected" && store == "ok" && outbox != "stalled" && !stopping;
    let body = serde_json::json!({
        "status": if healthy { "ok" } else { "unavailable" },
        "gateway": gateway,
        "store": store,
        "outbox": outbox,
        "message_content": if health.metrics.message_content_refused.load(Ordering::Relaxed) {
            "refused by Discord (4014): turn on Bot > Privileged Gateway Intents > Message Content in the Developer Portal"
        } else {
            "as configured"
        },
        "shutting_down": stopping,
    })
    .to_string()
        + "\n";
    let status = if healthy {
        "200 OK"
    } else {
        "503 Service Unavailable"
    };
    (status, "application/json", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_is_stalled_after_a_minute_without_a_sign() {
        let table = [
            (0, 1_000_000, "starting"),
            (1_000_000, 1_000_500, "ok"),
            (1_000_000, 1_060_000, "ok"),
            (1_000_000, 1_060_001, "stalled"),
        ];
        for (alive, now, state) in table {
            assert_eq!(outbox_state(alive, now), state, "{alive} {now}");
        }
    }
}
