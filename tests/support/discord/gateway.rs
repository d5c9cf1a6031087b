//! The gateway WebSocket: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with
//! replay of missed dispatches, and the faults tests inject (drop, op 7, op 9, no ACKs).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

use super::{Inner, payloads};

/// Where the gateway connection stands, for tests to wait on.
#[derive(Clone, Debug, Default)]
pub struct GatewayStatus {
    /// WebSocket connections accepted so far.
    pub connections: u32,
    pub identifies: u32,
    pub resumes: u32,
    /// A connection is open and identified or resumed: dispatches reach the client now.
    pub live: bool,
    /// The id of the open connection, if any.
    pub connection: Option<u64>,
}

enum Out {
    Text(String),
    Close(u16),
    /// Close the TCP connection without a close frame.
    Drop,
}

struct Conn {
    id: u64,
    tx: mpsc::UnboundedSender<Out>,
    live: bool,
}

struct Session {
    id: String,
    seq: u64,
    /// Every dispatch of the session with its sequence number, for RESUME.
    sent: Vec<(u64, String)>,
}

#[derive(Default)]
struct GwState {
    session: Option<Session>,
    conn: Option<Conn>,
    /// Dispatched before the first session existed; sent after its READY.
    pending: Vec<(String, Value)>,
    /// A session has existed: from then on, as on Discord, what is
    /// dispatched while there is none is never delivered (a new session
    /// replays nothing).
    had_session: bool,
    /// The intents of the current session's IDENTIFY.
    intents: u64,
    /// The bot's user id, whose mentions and own messages keep their content.
    bot: u64,
    /// MESSAGE_CREATE events sent on a live connection.
    messages_sent: u64,
}

/// The privileged Message Content intent's bit.
const MESSAGE_CONTENT: u64 = 1 << 15;

/// As Discord does for an app without Message Content: a guild message that
/// does not mention the app, and is not its own, arrives with its content,
/// embeds, attachments and components empty.
/// https://discord.com/developers/docs/events/gateway#message-content-intent
fn withhold_content(data: &mut Value, bot: u64) {
    let in_guild = data.get("guild_id").is_some_and(|g| !g.is_null());
    let bot_id = bot.to_string();
    let mentioned = data["mentions"]
        .as_array()
        .is_some_and(|m| m.iter().any(|u| u["id"] == bot_id.as_str()));
    let own = data["author"]["id"] == bot_id.as_str();
    if in_guild && !mentioned && !own {
        data["content"] = "".into();
        for key in ["embeds", "attachments", "components"] {
            data[key] = json!([]);
        }
    }
}

impl GwState {
    fn send(&self, out: Out) {
        if let Some(conn) = &self.conn {
            let _ = conn.tx.send(out);
        }
    }

    fn dispatch(&mut self, event: &str, mut data: Value) {
        let Some(session) = &mut self.session else {
            if !self.had_session {
                self.pending.push((event.to_string(), data));
            }
            return;
        };
        if event == "MESSAGE_CREATE" && self.intents & MESSAGE_CONTENT == 0 {
            withhold_content(&mut data, self.bot);
        }
        session.seq += 1;
        let frame = json!({"op": 0, "s": session.seq, "t": event, "d": data}).to_string();
        session.sent.push((session.seq, frame.clone()));
        if self.conn.as_ref().is_some_and(|c| c.live) {
            self.send(Out::Text(frame));
            if event == "MESSAGE_CREATE" {
                self.messages_sent += 1;
            }
        }
    }
}

pub struct Gateway {
    state: Mutex<GwState>,
    status: watch::Sender<GatewayStatus>,
    stop_acks: AtomicBool,
    next_conn: AtomicU64,
}

impl Gateway {
    pub fn new() -> Gateway {
        Gateway {
            state: Mutex::new(GwState::default()),
            status: watch::channel(GatewayStatus::default()).0,
            stop_acks: AtomicBool::new(false),
            next_conn: AtomicU64::new(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, GwState> {
        self.state
            .lock()
            .expect("gateway state lock poisoned by a panicking test thread")
    }

    /// MESSAGE_CREATE events sent to a live client so far.
    pub fn messages_dispatched(&self) -> u64 {
        self.lock().messages_sent
    }

    pub fn status(&self) -> GatewayStatus {
        self.status.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<GatewayStatus> {
        self.status.subscribe()
    }

    pub fn dispatch(&self, event: &str, data: Value) {
        self.lock().dispatch(event, data);
    }

    pub fn send_op(&self, op: u8, d: Value) {
        self.lock()
            .send(Out::Text(json!({"op": op, "d": d}).to_string()));
    }

    pub fn invalidate(&self, resumable: bool) {
        let mut gw = self.lock();
        gw.send(Out::Text(json!({"op": 9, "d": resumable}).to_string()));
        if !resumable {
            gw.session = None;
        }
    }

    pub fn stop_acks(&self, stop: bool) {
        self.stop_acks.store(stop, Ordering::SeqCst);
    }

    /// Drops the open connection and waits (up to 5 s) until it is gone.
    pub async fn drop_connection(&self) {
        let Some(id) = self.status().connection else {
            return;
        };
        self.lock().send(Out::Drop);
        let mut rx = self.subscribe();
        let gone = tokio::time::timeout(
            Duration::from_secs(5),
            rx.wait_for(|s| s.connection != Some(id)),
        );
        assert!(
            matches!(gone.await, Ok(Ok(_))),
            "gateway connection {id} did not close within 5 s"
        );
    }

    fn open(&self, tx: mpsc::UnboundedSender<Out>) -> u64 {
        let id = self.next_conn.fetch_add(1, Ordering::SeqCst);
        // Replacing the old connection drops its sender, which ends its task.
        self.lock().conn = Some(Conn {
            id,
            tx,
            live: false,
        });
        self.status.send_modify(|s| {
            s.connections += 1;
            s.connection = Some(id);
            s.live = false;
        });
        id
    }

    fn closed(&self, id: u64) {
        let mut gw = self.lock();
        if gw.conn.as_ref().is_some_and(|c| c.id == id) {
            gw.conn = None;
            self.status.send_modify(|s| {
                s.connection = None;
                s.live = false;
            });
        }
    }

    /// Handles one payload from the client on connection `id`.
    fn on_client(&self, inner: &Inner, id: u64, text: &str) {
        let Ok(payload) = serde_json::from_str::<Value>(text) else {
            return;
        };
        let d = &payload["d"];
        match payload["op"].as_u64() {
            Some(1) if !self.stop_acks.load(Ordering::SeqCst) => {
                self.to_conn(id, json!({"op": 11}))
            }
            Some(2) => self.identify(inner, id, d),
            Some(6) => self.resume(inner, id, d),
            _ => {}
        }
    }

    fn to_conn(&self, id: u64, payload: Value) {
        let gw = self.lock();
        if gw.conn.as_ref().is_some_and(|c| c.id == id) {
            gw.send(Out::Text(payload.to_string()));
        }
    }

    fn token_ok(inner: &Inner, d: &Value) -> bool {
        let token = d["token"].as_str().unwrap_or_default();
        token.strip_prefix("Bot ").unwrap_or(token) == inner.token
    }

    fn identify(&self, inner: &Inner, id: u64, d: &Value) {
        // Built before taking the gateway lock: the state lock is never held inside it.
        let guild = super::channels::guild_create(inner);
        let mut gw = self.lock();
        if gw.conn.as_ref().is_none_or(|c| c.id != id) {
            return;
        }
        if !Self::token_ok(inner, d) {
            gw.send(Out::Close(4004));
            return;
        }
        let intents = d["intents"].as_u64().unwrap_or(0);
        if intents & MESSAGE_CONTENT != 0 && !inner.options.message_content_allowed {
            gw.send(Out::Close(4014));
            return;
        }
        gw.intents = intents;
        gw.bot = inner.ids.bot.id;
        let n = self.status().identifies + 1;
        let session_id = format!("fake-session-{n}-{}", inner.ids.guild);
        gw.session = Some(Session {
            id: session_id.clone(),
            seq: 0,
            sent: Vec::new(),
        });
        gw.had_session = true;
        if let Some(conn) = &mut gw.conn {
            conn.live = true;
        }
        let ready = payloads::ready(
            &inner.ids,
            &inner.ids.bot,
            &session_id,
            &inner.gateway_url(),
        );
        gw.dispatch("READY", ready);
        gw.dispatch("GUILD_CREATE", guild);
        for (event, data) in std::mem::take(&mut gw.pending) {
            gw.dispatch(&event, data);
        }
        self.status.send_modify(|s| {
            s.identifies += 1;
            s.live = true;
        });
    }

    fn resume(&self, inner: &Inner, id: u64, d: &Value) {
        let mut gw = self.lock();
        if gw.conn.as_ref().is_none_or(|c| c.id != id) {
            return;
        }
        let wanted = d["session_id"].as_str().unwrap_or_default();
        let seq = d["seq"].as_u64().unwrap_or(0);
        let Some(session) = gw
            .session
            .as_ref()
            .filter(|s| s.id == wanted && Self::token_ok(inner, d))
        else {
            gw.send(Out::Text(json!({"op": 9, "d": false}).to_string()));
            return;
        };
        let missed: Vec<String> = (session.sent.iter())
            .filter(|(s, _)| *s > seq)
            .map(|(_, frame)| frame.clone())
            .collect();
        for frame in missed {
            gw.send(Out::Text(frame));
        }
        if let Some(conn) = &mut gw.conn {
            conn.live = true;
        }
        gw.dispatch("RESUMED", json!({}));
        self.status.send_modify(|s| {
            s.resumes += 1;
            s.live = true;
        });
    }
}

/// Accepts gateway connections for as long as the runtime lives.
pub fn serve(listener: TcpListener, inner: Arc<Inner>) {
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(connection(Arc::clone(&inner), stream));
        }
    });
}

async fn connection(inner: Arc<Inner>, stream: TcpStream) {
    let handshake = tokio::time::timeout(
        Duration::from_secs(5),
        tokio_tungstenite::accept_async(stream),
    );
    let Ok(Ok(ws)) = handshake.await else { return };
    let (mut sink, mut source) = ws.split();
    let interval = inner.options.heartbeat_interval.as_millis() as u64;
    let hello = json!({"op": 10, "d": {"heartbeat_interval": interval}});
    if sink.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = inner.gateway.open(tx);
    loop {
        tokio::select! {
            incoming = source.next() => match incoming {
                Some(Ok(Message::Text(text))) => inner.gateway.on_client(&inner, id, &text),
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            out = rx.recv() => match out {
                Some(Out::Text(text)) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code)) => {
                    let frame = CloseFrame { code: code.into(), reason: "".into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
                Some(Out::Drop) | None => break,
            },
        }
    }
    inner.gateway.closed(id);
}
