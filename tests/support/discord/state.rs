//! What the fake Discord remembers: channels, messages, commands, interactions, requests, faults.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde_json::Value;

use super::payloads::{self, snowflake};
use super::{Fault, Ids, Recorded, TestUser};

/// The first snowflake handed out; later ones count up from here.
pub const FIRST_SNOWFLAKE: u64 = 1_100_000_000_000_000_000;

/// A message as stored: where it is, who wrote it, and its current JSON.
#[derive(Clone, Debug)]
pub struct StoredMessage {
    pub channel: u64,
    pub author: u64,
    pub json: Value,
}

/// An interaction the server sent, and what the bot has done with it.
#[derive(Clone, Debug)]
pub struct InteractionRec {
    pub token: String,
    /// Who acted.
    pub user: u64,
    pub channel: u64,
    /// The message a component was on.
    pub message: Option<u64>,
    pub acknowledged: bool,
    /// The message `@original` refers to, once there is one.
    pub original: Option<u64>,
    /// When it was sent: the first answer must come within 3 s.
    pub created: std::time::Instant,
}

/// Faults queued for requests whose method and path match.
pub struct FaultRule {
    pub method: String,
    pub path_prefix: String,
    /// `""` for any ending.
    pub path_suffix: String,
    pub queue: VecDeque<Fault>,
}

pub struct State {
    next_id: u64,
    pub users: BTreeMap<u64, TestUser>,
    /// Users who share another server with the bot, not its home guild:
    /// they can DM it, and GET member answers "Unknown Member".
    pub outsiders: std::collections::HashSet<u64>,
    /// Every channel: guild channels, threads, DMs.
    pub channels: BTreeMap<u64, Value>,
    /// User id to DM channel id.
    pub dm_channels: HashMap<u64, u64>,
    /// By id; ids grow, so iteration is in creation order.
    pub messages: BTreeMap<u64, StoredMessage>,
    /// Registered commands, global and guild (those have `guild_id`).
    pub commands: Vec<Value>,
    pub interactions: HashMap<u64, InteractionRec>,
    /// Forms shown, by (user, form id): the message whose button opened
    /// each, which Discord sends back with the submission.
    pub modals: HashMap<(u64, String), Option<u64>>,
    pub requests: Vec<Recorded>,
    pub faults: Vec<FaultRule>,
    /// The bot's messages by nonce (as JSON text; Discord scopes nonces
    /// to their author, and the bot is the only one posting): the lookup
    /// behind `enforce_nonce`, kept so long runs do not scan every message.
    /// A nonce's first message, and when: Discord holds nonces for a few
    /// minutes, not for ever.
    pub bot_nonces: HashMap<String, (u64, std::time::Instant)>,
}

impl State {
    pub fn new() -> State {
        State {
            next_id: FIRST_SNOWFLAKE,
            users: BTreeMap::new(),
            outsiders: Default::default(),
            channels: BTreeMap::new(),
            dm_channels: HashMap::new(),
            messages: BTreeMap::new(),
            commands: Vec::new(),
            interactions: HashMap::new(),
            modals: HashMap::new(),
            requests: Vec::new(),
            faults: Vec::new(),
            bot_nonces: HashMap::new(),
        }
    }

    /// Ids grow with time, as Discord's do (milliseconds since 2015 in the
    /// top bits): the bot tells messages of its own run by them.
    pub fn next_id(&mut self) -> u64 {
        const DISCORD_EPOCH_MS: u128 = 1_420_070_400_000;
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let now = u64::try_from(ms.saturating_sub(DISCORD_EPOCH_MS)).unwrap_or(0) << 22;
        self.next_id = (self.next_id + 1).max(now);
        self.next_id
    }

    /// The guild fixture: channels and users.
    pub fn seed(&mut self, ids: &Ids) {
        let g = ids.guild;
        let text = payloads::text_channel(ids.text_channel, g, "help", 0);
        let tags = [
            (ids.forum_tags[0], "solved"),
            (ids.forum_tags[1], "icloud-photos"),
        ];
        let forum = payloads::forum_channel(ids.forum_channel, g, "support", 1, &tags);
        self.channels.insert(ids.text_channel, text);
        self.channels.insert(ids.forum_channel, forum);
        for u in [&ids.bot, &ids.asker, &ids.other, &ids.staff_member] {
            self.users.insert(u.id, u.clone());
        }
    }

    /// Remembers a user a test acts as, so GET member and GUILD_CREATE know them.
    pub fn register(&mut self, u: &TestUser) {
        self.users.insert(u.id, u.clone());
    }

    pub fn channel(&self, id: u64) -> Option<&Value> {
        self.channels.get(&id)
    }

    /// The guild a channel belongs to, `None` for a DM.
    pub fn guild_of(&self, channel: u64) -> Option<u64> {
        self.channel(channel)
            .and_then(|c| c.get("guild_id"))
            .and_then(snowflake)
    }

    /// The DM channel with `user`, created on first use.
    pub fn dm_channel(&mut self, user: &TestUser) -> u64 {
        if let Some(id) = self.dm_channels.get(&user.id) {
            return *id;
        }
        let id = self.next_id();
        self.channels.insert(id, payloads::dm_channel(id, user));
        self.dm_channels.insert(user.id, id);
        id
    }

    pub fn store_message(&mut self, channel: u64, author: u64, json: Value) {
        let id = snowflake(&json["id"]).expect("stored messages carry their id");
        self.messages.insert(
            id,
            StoredMessage {
                channel,
                author,
                json,
            },
        );
    }

    /// Applies a create/edit body from the bot to a message: content, embeds, components, flags,
    /// attachments, and `message_reference` (which also fills `referenced_message`).
    pub fn apply_body(&self, msg: &mut Value, body: &Value) {
        for key in [
            "content",
            "embeds",
            "components",
            "flags",
            "attachments",
            "tts",
        ] {
            if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
                msg[key] = v.clone();
            }
        }
        if let Some(reference) = body.get("message_reference").filter(|v| !v.is_null()) {
            let target = reference.get("message_id").and_then(snowflake);
            msg["message_reference"] = reference.clone();
            msg["type"] = 19.into();
            if let Some(stored) = target.and_then(|t| self.messages.get(&t)) {
                msg["referenced_message"] = stored.json.clone();
                msg["message_reference"]["channel_id"] = stored.channel.to_string().into();
            }
        }
    }

    /// Takes the next fault queued for this request, if any.
    pub fn take_fault(&mut self, method: &str, path: &str) -> Option<Fault> {
        self.faults
            .iter_mut()
            .find(|r| {
                r.method.eq_ignore_ascii_case(method)
                    && path.starts_with(&r.path_prefix)
                    && path.ends_with(&r.path_suffix)
                    && !r.queue.is_empty()
            })
            .and_then(|r| r.queue.pop_front())
    }

    /// The stored command called `name`, guild commands first.
    pub fn command_named(&self, name: &str) -> Option<&Value> {
        let mut named: Vec<&Value> = self.commands.iter().filter(|c| c["name"] == name).collect();
        named.sort_by_key(|c| c.get("guild_id").is_none());
        named.first().copied()
    }

    /// Stores registered commands: `replace` (PUT) swaps the whole set for that scope, keeping
    /// ids of commands whose name is unchanged; otherwise (POST) upserts by name.
    pub fn store_commands(
        &mut self,
        app: u64,
        guild: Option<u64>,
        bodies: &[Value],
        replace: bool,
    ) -> Vec<Value> {
        let scope = guild.map(|g| Value::from(g.to_string()));
        let in_scope = |c: &Value| c.get("guild_id").cloned() == scope;
        let old: Vec<Value> = self
            .commands
            .iter()
            .filter(|c| in_scope(c))
            .cloned()
            .collect();
        let mut out = Vec::new();
        for body in bodies {
            let existing = old.iter().find(|c| c["name"] == body["name"]);
            let id = existing
                .and_then(|c| snowflake(&c["id"]))
                .unwrap_or_else(|| self.next_id());
            out.push(payloads::command(id, app, guild, body));
        }
        let names: Vec<Value> = out.iter().map(|c| c["name"].clone()).collect();
        self.commands
            .retain(|c| !in_scope(c) || (!replace && !names.contains(&c["name"])));
        self.commands.extend(out.iter().cloned());
        out
    }
}
