//! What tests observe and steer: recorded requests, stored messages, interaction
//! responses, injected REST faults, and gateway faults.

use std::time::Duration;

use serde_json::Value;

use super::state::FaultRule;
use super::{FakeDiscord, Fault, GatewayStatus, Recorded};

impl FakeDiscord {
    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.state().requests.clone()
    }

    /// The first request (already seen or still to come) that `pred` accepts; panics with the
    /// list of requests seen if none arrives within `timeout`.
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&Recorded) -> bool) -> Recorded {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.inner.recorded.subscribe();
        loop {
            if let Some(r) = self.inner.state().requests.iter().find(|r| pred(r)) {
                return r.clone();
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                panic!(
                    "no matching request within {timeout:?}; seen:\n{}",
                    self.describe_requests()
                );
            }
        }
    }

    /// REST requests being answered right now (a delayed one counts until
    /// its response is written).
    pub fn in_flight(&self) -> usize {
        self.inner
            .in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many requests have arrived so far: a cursor for `wait_for_after`.
    pub fn request_count(&self) -> usize {
        self.inner.state().requests.len()
    }

    /// As `wait_for`, looking only at requests from index `after` on: the
    /// cheap way to wait in a long run with many requests behind it.
    pub async fn wait_for_after(
        &self,
        after: usize,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Recorded {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.inner.recorded.subscribe();
        loop {
            if let Some(r) = self
                .inner
                .state()
                .requests
                .iter()
                .skip(after)
                .find(|r| pred(r))
            {
                return r.clone();
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                panic!("no matching request within {timeout:?} after #{after}");
            }
        }
    }

    /// Every request from index `from` on, oldest first.
    pub fn requests_from(&self, from: usize) -> Vec<Recorded> {
        self.inner
            .state()
            .requests
            .iter()
            .skip(from)
            .cloned()
            .collect()
    }

    /// One line per request: method, path, status, body.
    pub fn describe_requests(&self) -> String {
        let seen: Vec<String> = (self.requests().iter())
            .map(|r| format!("  {} {} -> {} {}", r.method, r.path, r.status, r.body))
            .collect();
        seen.join("\n")
    }

    /// Messages the bot posted (or edited) in `channel`, current state, oldest first.
    pub fn messages_in(&self, channel: u64) -> Vec<Value> {
        let bot = self.inner.ids.bot.id;
        (self.inner.state().messages.values())
            .filter(|m| m.channel == channel && m.author == bot)
            .map(|m| m.json.clone())
            .collect()
    }

    /// Every message the bot posted, as `(channel, message)`, oldest first:
    /// one pass over the store for checks over thousands of messages.
    pub fn bot_messages(&self) -> Vec<(u64, Value)> {
        let bot = self.inner.ids.bot.id;
        (self.inner.state().messages.values())
            .filter(|m| m.author == bot)
            .map(|m| (m.channel, m.json.clone()))
            .collect()
    }

    /// Every message in `channel`, the guild's and the bot's, oldest first.
    pub fn all_messages_in(&self, channel: u64) -> Vec<Value> {
        (self.inner.state().messages.values())
            .filter(|m| m.channel == channel)
            .map(|m| m.json.clone())
            .collect()
    }

    /// A channel's current JSON (threads included), if it exists.
    pub fn channel(&self, id: u64) -> Option<Value> {
        self.inner.state().channel(id).cloned()
    }

    /// Requests that answered `interaction`: its callback and its webhook (original, followups).
    pub fn interaction_responses(&self, interaction: u64) -> Vec<Recorded> {
        let state = self.inner.state();
        let Some(rec) = state.interactions.get(&interaction) else {
            return Vec::new();
        };
        let callback = format!("/interactions/{interaction}/");
        let webhook = format!("/webhooks/{}/{}", self.inner.ids.application, rec.token);
        (state.requests.iter())
            .filter(|r| r.path.starts_with(&callback) || r.path.starts_with(&webhook))
            .cloned()
            .collect()
    }

    /// The next `responses.len()` requests whose method matches and whose path (without
    /// `/api/v10`) starts with `path_prefix` get these faults, in order.
    pub fn fail_next(&self, method: &str, path_prefix: &str, responses: Vec<Fault>) {
        self.fail_next_ending(method, path_prefix, "", responses);
    }

    /// As `fail_next`, for paths that also end with `path_suffix`: a path
    /// with an id in the middle (`/channels/`…`/messages` for every post of
    /// a message, `/threads` for every thread opened on one).
    pub fn fail_next_ending(
        &self,
        method: &str,
        path_prefix: &str,
        path_suffix: &str,
        responses: Vec<Fault>,
    ) {
        self.inner.state().faults.push(FaultRule {
            method: method.to_string(),
            path_prefix: path_prefix.to_string(),
            path_suffix: path_suffix.to_string(),
            queue: responses.into(),
        });
    }

    /// MESSAGE_CREATE events the gateway has sent to the bot so far.
    pub fn messages_dispatched(&self) -> u64 {
        self.inner.gateway.messages_dispatched()
    }

    /// The message an interaction the server sent was on, if any.
    pub fn interaction_message(&self, interaction: u64) -> Option<u64> {
        (self.inner.state().interactions.get(&interaction)).and_then(|r| r.message)
    }

    /// The message an interaction's first answer made or updated
    /// (`@original`), once it has one: where a private reply with a select
    /// is pressed next.
    pub fn interaction_original(&self, interaction: u64) -> Option<u64> {
        (self.inner.state().interactions.get(&interaction)).and_then(|r| r.original)
    }

    /// The token of an interaction the server sent.
    pub fn interaction_token(&self, interaction: u64) -> String {
        (self.inner.state().interactions.get(&interaction))
            .map(|r| r.token.clone())
            .unwrap_or_else(|| panic!("no interaction {interaction}"))
    }

    /// Drops every fault not yet used: Discord is well again.
    pub fn clear_faults(&self) {
        self.inner.state().faults.clear();
    }

    /// Faults queued and not yet used, over all rules.
    pub fn faults_pending(&self) -> usize {
        self.inner
            .state()
            .faults
            .iter()
            .map(|r| r.queue.len())
            .sum()
    }

    /// Where the gateway connection stands (connections, identifies, resumes, live).
    pub fn gateway_status(&self) -> GatewayStatus {
        self.inner.gateway.status()
    }

    /// Waits until a client has identified and received READY; panics after `timeout`.
    pub async fn wait_identified(&self, timeout: Duration) {
        self.wait_gateway(timeout, "an IDENTIFY", |s| s.identifies > 0 && s.live)
            .await;
    }

    /// Waits until the gateway is live again after `resumes` resumes in total.
    pub async fn wait_resumed(&self, resumes: u32, timeout: Duration) {
        self.wait_gateway(timeout, "a RESUME", |s| s.resumes >= resumes && s.live)
            .await;
    }

    /// Waits until `pred` holds for the gateway status; panics (saying `what`) after `timeout`.
    pub async fn wait_gateway(
        &self,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&GatewayStatus) -> bool,
    ) {
        let mut rx = self.inner.gateway.subscribe();
        let waited = tokio::time::timeout(timeout, rx.wait_for(|s| pred(s))).await;
        if !matches!(waited, Ok(Ok(_))) {
            panic!(
                "gateway: no {what} within {timeout:?}; status {:?}",
                self.gateway_status()
            );
        }
    }

    /// Closes the gateway connection abruptly (no close frame), as a network drop would.
    pub async fn drop_gateway(&self) {
        self.inner.gateway.drop_connection().await;
    }

    /// Sends op 7 RECONNECT.
    pub async fn send_reconnect(&self) {
        self.inner.gateway.send_op(7, Value::Null);
    }

    /// Sends op 9 INVALID SESSION; when not resumable the session is
    /// forgotten, and events until the next READY are lost, as on Discord.
    pub async fn invalidate_session(&self, resumable: bool) {
        self.inner.gateway.invalidate(resumable);
    }

    /// While `stop`, heartbeats get no op 11 ACK (serenity then reconnects).
    pub fn stop_heartbeat_acks(&self, stop: bool) {
        self.inner.gateway.stop_acks(stop);
    }

    /// Sends a raw dispatch (op 0) with the next sequence number.
    pub async fn dispatch(&self, event: &str, data: Value) {
        self.inner.gateway.dispatch(event, data);
    }
}
