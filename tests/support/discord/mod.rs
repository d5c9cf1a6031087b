//! A Discord-compatible server on 127.0.0.1 (REST under /api/v10 plus a gateway WebSocket) that
//! the real serenity client talks to in end-to-end tests.
//!
//! Start one with [`FakeDiscord::start`], point serenity at it with
//! `HttpBuilder::new(fd.token()).proxy(fd.api_url()).ratelimiter_disabled(true)`, then script the
//! guild (`user_message`, `click`, `slash`, ...) and observe the bot (`wait_for`, `messages_in`).
// Test-support API: each test uses only the helpers it needs.
#![allow(dead_code)]

mod channels;
mod gateway;
mod http;
mod observe;
pub mod payloads;
mod rest;
mod script;
mod state;
mod webhooks;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use gateway::GatewayStatus;
use state::State;

/// A member of the test guild (or anyone DMing the bot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestUser {
    pub id: u64,
    pub name: String,
    pub roles: Vec<u64>,
    pub bot: bool,
}

impl TestUser {
    pub fn new(id: u64, name: &str) -> TestUser {
        TestUser {
            id,
            name: name.to_string(),
            roles: Vec::new(),
            bot: false,
        }
    }

    pub fn with_roles(mut self, roles: &[u64]) -> TestUser {
        self.roles = roles.to_vec();
        self
    }
}

/// The ids of the default guild fixture.
#[derive(Clone, Debug)]
pub struct Ids {
    pub guild: u64,
    pub text_channel: u64,
    pub forum_channel: u64,
    /// The forum's available tags: `solved`, `icloud-photos`.
    pub forum_tags: [u64; 2],
    pub staff_role: u64,
    pub application: u64,
    /// The bot's own user (same id as the application, as on Discord).
    pub bot: TestUser,
    pub asker: TestUser,
    pub other: TestUser,
    /// Has the staff role; also owns the guild and the application.
    pub staff_member: TestUser,
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Without the `/api/v10` prefix, e.g. `/channels/1/messages`.
    pub path: String,
    /// The raw query string, `""` if none.
    pub query: String,
    /// The JSON body; for multipart, the `payload_json` part; `Value::Null` if neither.
    pub body: Value,
    /// The body exactly as received (multipart included).
    pub raw: Vec<u8>,
    /// The status the server answered with.
    pub status: u16,
    /// When it arrived.
    pub at: Instant,
}

/// A way for the next matching request to fail.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status (e.g. 500, 502) and a Discord error body.
    Status(u16),
    /// Answer 429 with Discord's rate-limit body and headers.
    RateLimited { retry_after_secs: f64, global: bool },
    /// Wait, then answer normally.
    Delay(Duration),
    /// Do the work, then wait before answering: a reply the client may give
    /// up on although the request took effect.
    DelayAfter(Duration),
}

/// How the server behaves; `Options::default()` is what [`FakeDiscord::start`] uses.
#[derive(Clone, Debug)]
pub struct Options {
    /// Sent in HELLO. Discord uses 41.25 s; tests of heartbeating want it short.
    pub heartbeat_interval: Duration,
    /// Discord's global rate limit for a bot token, requests per second
    /// (50), answered 429 with `global: true` past it; interaction
    /// callbacks and webhooks are exempt. `None`: no limit.
    /// https://discord.com/developers/docs/topics/rate-limits#global-rate-limit
    pub global_limit: Option<u32>,
    /// Whether the application may use the privileged Message Content
    /// intent; when not, an IDENTIFY asking for it is closed with 4014, as
    /// Discord does. https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
    pub message_content_allowed: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            heartbeat_interval: Duration::from_millis(41_250),
            global_limit: None,
            message_content_allowed: true,
        }
    }
}

pub(crate) struct Inner {
    token: String,
    ids: Ids,
    api: SocketAddr,
    gateway_addr: SocketAddr,
    options: Options,
    state: Mutex<State>,
    /// Bumped after every recorded request, to wake `wait_for`.
    recorded: watch::Sender<u64>,
    /// REST requests received and not yet answered.
    in_flight: std::sync::atomic::AtomicUsize,
    /// When the counted requests of the last second arrived (global limit).
    window: Mutex<std::collections::VecDeque<Instant>>,
    gateway: gateway::Gateway,
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .expect("fake Discord state lock poisoned by a panicking test thread")
    }

    fn gateway_url(&self) -> String {
        format!("ws://{}", self.gateway_addr)
    }
}

/// The fake Discord; cheap to clone.
#[derive(Clone)]
pub struct FakeDiscord {
    inner: Arc<Inner>,
}

impl FakeDiscord {
    /// Starts REST and gateway on two ephemeral 127.0.0.1 ports with the default fixture.
    pub async fn start() -> FakeDiscord {
        FakeDiscord::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> FakeDiscord {
        let mut state = State::new();
        let mut next = || state.next_id();
        let (guild, text_channel, forum_channel) = (next(), next(), next());
        let forum_tags = [next(), next()];
        let (staff_role, application) = (next(), next());
        let bot = TestUser {
            bot: true,
            ..TestUser::new(application, "syncmedic")
        };
        let asker = TestUser::new(next(), "asker");
        let other = TestUser::new(next(), "other");
        let staff_member = TestUser::new(next(), "staffer").with_roles(&[staff_role]);
        let ids = Ids {
            guild,
            text_channel,
            forum_channel,
            forum_tags,
            staff_role,
            application,
            bot,
            asker,
            other,
            staff_member,
        };
        state.seed(&ids);
        let api_listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind REST on 127.0.0.1:0");
        let gw_listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway on 127.0.0.1:0");
        let inner = Arc::new(Inner {
            token: "MTEwMDAwMDAwMDAwMDAwMDAwNg.FakeDc.syncmedic-test-token-not-a-secret"
                .to_string(),
            ids,
            api: api_listener
                .local_addr()
                .expect("REST listener has an address"),
            gateway_addr: gw_listener
                .local_addr()
                .expect("gateway listener has an address"),
            options,
            window: Mutex::new(std::collections::VecDeque::new()),
            state: Mutex::new(state),
            recorded: watch::channel(0).0,
            in_flight: std::sync::atomic::AtomicUsize::new(0),
            gateway: gateway::Gateway::new(),
        });
        let for_http = Arc::clone(&inner);
        http::serve(api_listener, move |req| {
            rest::handle(Arc::clone(&for_http), req)
        });
        gateway::serve(gw_listener, Arc::clone(&inner));
        FakeDiscord { inner }
    }

    /// `http://127.0.0.1:PORT`, for `HttpBuilder::proxy`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.inner.api)
    }

    /// `ws://127.0.0.1:PORT`, as GET /gateway advertises it.
    pub fn gateway_url(&self) -> String {
        self.inner.gateway_url()
    }

    /// The bot token the server accepts (REST wants `Bot <token>`).
    pub fn token(&self) -> &str {
        &self.inner.token
    }

    pub fn ids(&self) -> &Ids {
        &self.inner.ids
    }

    /// serenity's real `Http`, pointed at this server with the rate limiter off and the
    /// application id set (otherwise serenity only learns it from READY).
    pub fn serenity_http(&self) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(self.token())
            .proxy(self.api_url())
            .application_id(self.inner.ids.application.into())
            .ratelimiter_disabled(true)
            .build()
    }
}
