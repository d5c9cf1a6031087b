//! Counters and a latency histogram for `/metrics`, in the Prometheus text
//! format. Plain atomics: recording costs a few nanoseconds on the hot path
//! and needs no metrics crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds: Discord answers in tens
/// of milliseconds, so the interesting range is 1 ms to 10 s.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// What the bot did with what it saw, since start.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Messages from people (not bots) in places the bot reads, each once.
    pub messages_seen: AtomicU64,
    /// Answers by intent id.
    answered: Mutex<BTreeMap<String, u64>>,
    /// Gateway message events handled, whatever became of them: a test
    /// waits on this instead of sleeping.
    pub message_events: AtomicU64,
    /// Messages the bot chose not to answer (chatter, not its business).
    pub silent: AtomicU64,
    /// "Did you mean…" questions.
    pub clarified: AtomicU64,
    /// Near-misses put in the review queue (or counted on their item).
    pub review_queued: AtomicU64,
    /// Review items labelled on Discord.
    pub review_labelled: AtomicU64,
    /// Cases handed to a person.
    pub escalations: AtomicU64,
    /// Button presses, select menus and form submissions.
    pub interactions: AtomicU64,
    /// Slash commands and the message menu, run.
    pub commands: AtomicU64,
    /// Replies held back by the per-user limits (cooldown, replies per minute).
    pub user_limited: AtomicU64,
    /// Replies dropped by the global limit.
    pub shed: AtomicU64,
    /// Knowledge-base reloads, by outcome.
    pub reloads_ok: AtomicU64,
    pub reloads_failed: AtomicU64,
    /// Discord refused the Message Content intent (4014): the bot runs
    /// without it, and /healthz and /help say so.
    pub message_content_refused: std::sync::atomic::AtomicBool,
    /// Requests waiting for their turn to Discord now (a gauge).
    pub send_waiting: AtomicU64,
    /// Questions kept in the store's backlog because many waited already.
    pub backlog_kept: AtomicU64,
    /// Outbox posts Discord refused for good, set aside.
    pub outbox_dead: AtomicU64,
    /// Times the outbox worker died and was started again.
    pub outbox_restarts: AtomicU64,
    /// Read-backs of the channels finished (one per READY after the
    /// first, and one at start when an earlier run handled anything).
    pub read_backs: AtomicU64,
    /// When the outbox worker last went round its loop (unix ms; 0 before
    /// it starts), for /healthz.
    pub outbox_alive_ms: std::sync::atomic::AtomicI64,
    /// From a message's arrival to its reply taken by Discord.
    pub reply_latency: Histogram,
}

impl Metrics {
    pub fn answered(&self, intent: &str) {
        let mut answered = self
            .answered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *answered.entry(intent.to_string()).or_default() += 1;
    }

    /// Bumps a counter; a shorthand that keeps call sites to one line.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: &AtomicU64| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        };
        counter(
            &mut out,
            "syncmedic_messages_seen_total",
            "Messages from people in places the bot reads.",
            &self.messages_seen,
        );
        let _ = writeln!(
            out,
            "# HELP syncmedic_answered_total Answers given, by intent.\n# TYPE syncmedic_answered_total counter"
        );
        {
            let answered = self
                .answered
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for (intent, n) in answered.iter() {
                let _ = writeln!(
                    out,
                    "syncmedic_answered_total{{intent=\"{}\"}} {n}",
                    escape_label(intent)
                );
            }
        }
        counter(
            &mut out,
            "syncmedic_silent_total",
            "Messages left unanswered as not the bot's business.",
            &self.silent,
        );
        counter(
            &mut out,
            "syncmedic_clarified_total",
            "Did-you-mean questions asked.",
            &self.clarified,
        );
        counter(
            &mut out,
            "syncmedic_review_queued_total",
            "Near-misses put in the review queue.",
            &self.review_queued,
        );
        counter(
            &mut out,
            "syncmedic_review_labelled_total",
            "Review items labelled by staff on Discord.",
            &self.review_labelled,
        );
        counter(
            &mut out,
            "syncmedic_escalations_total",
            "Cases handed to a person.",
            &self.escalations,
        );
        counter(
            &mut out,
            "syncmedic_interactions_total",
            "Button presses, select menus and form submissions.",
            &self.interactions,
        );
        counter(
            &mut out,
            "syncmedic_commands_total",
            "Slash commands and message-menu commands run.",
            &self.commands,
        );
        counter(
            &mut out,
            "syncmedic_user_limited_total",
            "Replies held back by a per-user limit.",
            &self.user_limited,
        );
        counter(
            &mut out,
            "syncmedic_shed_total",
            "Replies dropped by the global reply limit.",
            &self.shed,
        );
        let _ = writeln!(
            out,
            "# HELP syncmedic_send_waiting Requests waiting for their turn to Discord.\n# TYPE syncmedic_send_waiting gauge\nsyncmedic_send_waiting {}",
            self.send_waiting.load(Ordering::Relaxed)
        );
        counter(
            &mut out,
            "syncmedic_backlog_kept_total",
            "Questions that waited in the store's backlog instead of in memory.",
            &self.backlog_kept,
        );
        counter(
            &mut out,
            "syncmedic_outbox_dead_total",
            "Staff posts Discord refused for good, set aside with the reason.",
            &self.outbox_dead,
        );
        counter(
            &mut out,
            "syncmedic_outbox_restarts_total",
            "Times the outbox worker stopped unexpectedly and was restarted.",
            &self.outbox_restarts,
        );
        counter(
            &mut out,
            "syncmedic_read_backs_total",
            "Read-backs of the support channels and recent conversations run to the end.",
            &self.read_backs,
        );
        counter(
            &mut out,
            "syncmedic_kb_reloads_total",
            "Knowledge-base reloads swapped in.",
            &self.reloads_ok,
        );
        counter(
            &mut out,
            "syncmedic_kb_reload_failures_total",
            "Knowledge-base reloads refused as invalid.",
            &self.reloads_failed,
        );
        self.reply_latency.render(
            &mut out,
            "syncmedic_reply_seconds",
            "Time from a message's arrival to the bot's reply posted.",
        );
        out
    }
}

/// A fixed-bucket histogram, cumulative as Prometheus expects on output.
#[derive(Debug, Default)]
pub struct Histogram {
    /// Per bucket (not cumulative), plus one for +Inf.
    counts: [AtomicU64; BUCKETS.len() + 1],
    /// The sum in microseconds, so it fits an atomic integer.
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|&le| secs <= le)
            .unwrap_or(BUCKETS.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, le) in BUCKETS.iter().enumerate() {
            cumulative += self.counts[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        cumulative += self.counts[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {cumulative}");
    }
}

/// Intent ids are plain, but a label value must never break the format.
fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_labels_and_a_cumulative_histogram() {
        let m = Metrics::default();
        Metrics::bump(&m.messages_seen);
        Metrics::bump(&m.messages_seen);
        m.answered("upload-paused");
        m.answered("upload-paused");
        m.answered("odd\"id");
        m.reply_latency.observe(Duration::from_micros(800));
        m.reply_latency.observe(Duration::from_millis(30));
        m.reply_latency.observe(Duration::from_secs(60));
        let text = m.render();
        assert!(text.contains("syncmedic_messages_seen_total 2\n"), "{text}");
        assert!(text.contains("syncmedic_answered_total{intent=\"upload-paused\"} 2\n"));
        assert!(text.contains("syncmedic_answered_total{intent=\"odd\\\"id\"} 1\n"));
        assert!(text.contains("syncmedic_reply_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("syncmedic_reply_seconds_bucket{le=\"0.05\"} 2\n"));
        assert!(text.contains("syncmedic_reply_seconds_bucket{le=\"10\"} 2\n"));
        assert!(text.contains("syncmedic_reply_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("syncmedic_reply_seconds_count 3\n"));
        assert!(
            text.contains("syncmedic_reply_seconds_sum 60.0308\n"),
            "{text}"
        );
        // Every sample line is `name{labels} value` or `name value`.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (_, value) = line.rsplit_once(' ').expect("name and value");
            value.parse::<f64>().expect("a number");
        }
    }
}
