//! `/healthz`, `/metrics` and `syncmedic healthcheck` against a running bot.

use super::{ask, sample, wait_sample};
use crate::support::discord::FakeDiscord;
use crate::support::served::{self, get};
use crate::support::syncmedic;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_metrics_and_healthcheck() {
    let fd = FakeDiscord::start().await;
    let served = served::serve(&fd, &[], &[]).await;

    let (status, body) = get(served.health, "/healthz").await;
    assert_eq!(status, 200, "{body}");
    let health: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(health["gateway"], "connected", "{body}");
    assert_eq!(health["store"], "ok", "{body}");

    // Connections that never send a request hold no probe slot: the real
    // probe is answered at once, not after their 5 s read timeout.
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(
            tokio::net::TcpStream::connect(served.health)
                .await
                .expect("connects"),
        );
    }
    let probe = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        get(served.health, "/healthz"),
    )
    .await
    .expect("/healthz answers beside 20 idle connections");
    assert_eq!(probe.0, 200, "{}", probe.1);
    drop(idle);

    // One question answered, one bit of chatter left alone.
    let ids = fd.ids().clone();
    ask(
        &fd,
        "Photos says Waiting to Upload 57 Items and nothing moves",
    )
    .await;
    fd.user_message(ids.text_channel, &ids.other, "anyone up for lunch at noon?")
        .await;
    wait_sample(&served, "syncmedic_silent_total", 1.0).await;
    // The latency is taken once Discord has confirmed the reply, a moment
    // after the test server has seen it.
    let metrics = wait_sample(&served, "syncmedic_reply_seconds_count", 1.0).await;
    assert_eq!(sample(&metrics, "syncmedic_messages_seen_total"), Some(2.0));
    let answered: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("syncmedic_answered_total{intent=\""))
        .collect();
    assert_eq!(answered.len(), 1, "one intent answered once: {answered:?}");
    assert!(answered[0].ends_with(" 1"), "{answered:?}");
    assert_eq!(sample(&metrics, "syncmedic_escalations_total"), Some(0.0));
    assert!(metrics.contains("# TYPE syncmedic_reply_seconds histogram"));

    assert_eq!(get(served.health, "/nothing").await.0, 404);

    // The command a container's HEALTHCHECK runs: by address, and from the
    // same settings `serve` reads.
    let check = syncmedic(served.dir.path())
        .args(["healthcheck", "--addr", &served.health.to_string()])
        .output()
        .expect("healthcheck runs");
    assert!(check.status.success(), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).contains("\"connected\""));
    let from_settings = syncmedic(served.dir.path())
        .arg("healthcheck")
        .env("SYNCMEDIC__HEALTH__BIND", served.health.to_string())
        .output()
        .expect("healthcheck runs");
    assert!(from_settings.status.success(), "{from_settings:?}");

    drop(served);
    let after = syncmedic(std::path::Path::new("."))
        .args(["healthcheck", "--addr", &served::free_port().to_string()])
        .output()
        .expect("healthcheck runs");
    assert_eq!(
        after.status.code(),
        Some(1),
        "nothing listening is unhealthy"
    );
    let unset = syncmedic(std::path::Path::new("."))
        .arg("healthcheck")
        .output()
        .expect("healthcheck runs");
    assert_eq!(unset.status.code(), Some(2), "{unset:?}");
    assert!(String::from_utf8_lossy(&unset.stderr).contains("health.bind"));
}
