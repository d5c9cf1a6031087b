//! What the guild does: people post, click, run commands. Each call stores the state and sends
//! the gateway event Discord would send.

use serde_json::{Value, json};

use super::payloads::{self, InteractionCtx, snowflake};
use super::state::InteractionRec;
use super::{FakeDiscord, TestUser};

/// Parses `<@id>`/`<@!id>` (users) and `<@&id>` (roles) out of message content.
fn mentions(content: &str) -> (Vec<u64>, Vec<u64>) {
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    for piece in content.split("<@").skip(1) {
        let Some((inner, _)) = piece.split_once('>') else {
            continue;
        };
        if let Some(role) = inner.strip_prefix('&') {
            roles.extend(role.parse::<u64>().ok());
        } else {
            users.extend(inner.trim_start_matches('!').parse::<u64>().ok());
        }
    }
    (users, roles)
}

impl FakeDiscord {
    /// A new text channel in the guild: stored (so GUILD_CREATE carries it
    /// to a client that identifies later) and announced with CHANNEL_CREATE.
    pub async fn add_text_channel(&self, name: &str) -> u64 {
        let channel = {
            let mut state = self.inner.state();
            let id = state.next_id();
            let position = u16::try_from(state.channels.len()).unwrap_or(u16::MAX);
            let channel = payloads::text_channel(id, self.inner.ids.guild, name, position);
            state.channels.insert(id, channel.clone());
            channel
        };
        let id = snowflake(&channel["id"]).expect("channel built with an id");
        self.inner.gateway.dispatch("CHANNEL_CREATE", channel);
        id
    }

    /// Denies `permissions` (bits) to @everyone in `channel`, as a channel
    /// overwrite does, and announces it with CHANNEL_UPDATE.
    pub async fn deny_everyone_in(&self, channel: u64, permissions: u64) {
        let updated = {
            let mut state = self.inner.state();
            let guild = self.inner.ids.guild;
            let Some(stored) = state.channels.get_mut(&channel) else {
                panic!("no channel {channel}");
            };
            stored["permission_overwrites"] = serde_json::json!([{
                "id": guild.to_string(), "type": 0, "allow": "0", "deny": permissions.to_string(),
            }]);
            stored.clone()
        };
        self.inner.gateway.dispatch("CHANNEL_UPDATE", updated);
    }

    /// A public thread `owner` opened in `parent` (not on a message, and
    /// not the bot's): THREAD_CREATE.
    pub async fn add_thread(&self, parent: u64, owner: &TestUser, name: &str) -> u64 {
        let thread = {
            let mut state = self.inner.state();
            state.register(owner);
            let guild = state
                .guild_of(parent)
                .expect("add_thread: parent in the guild");
            let id = state.next_id();
            let thread = payloads::thread(id, guild, parent, owner.id, name);
            state.channels.insert(id, thread.clone());
            thread
        };
        let id = snowflake(&thread["id"]).expect("thread built with an id");
        let mut created = thread;
        created["newly_created"] = true.into();
        self.inner.gateway.dispatch("THREAD_CREATE", created);
        id
    }

    /// A forum channel in the guild with tags of these names: stored and
    /// announced with CHANNEL_CREATE. Returns the forum and its tag ids.
    pub async fn add_forum(&self, name: &str, tags: &[&str]) -> (u64, Vec<u64>) {
        let (forum, tag_ids) = {
            let mut state = self.inner.state();
            let id = state.next_id();
            let tag_ids: Vec<u64> = tags.iter().map(|_| state.next_id()).collect();
            let named: Vec<(u64, &str)> =
                tag_ids.iter().copied().zip(tags.iter().copied()).collect();
            let position = u16::try_from(state.channels.len()).unwrap_or(u16::MAX);
            let forum = payloads::forum_channel(id, self.inner.ids.guild, name, position, &named);
            state.channels.insert(id, forum.clone());
            (forum, tag_ids)
        };
        let id = snowflake(&forum["id"]).expect("forum built with an id");
        self.inner.gateway.dispatch("CHANNEL_CREATE", forum);
        (id, tag_ids)
    }

    /// A text channel in another guild, one the bot was not set up for
    /// (stored for messages and interactions, never announced to the bot).
    pub fn add_foreign_channel(&self, name: &str) -> u64 {
        let mut state = self.inner.state();
        let id = state.next_id();
        let guild = state.next_id();
        state
            .channels
            .insert(id, payloads::text_channel(id, guild, name, 0));
        id
    }

    /// A user who shares some other server with the bot, not its home
    /// guild: they can DM it, but are no member of the home guild.
    pub fn outsider(&self, id: u64, name: &str) -> TestUser {
        let user = TestUser::new(id, name);
        let mut state = self.inner.state();
        state.register(&user);
        state.outsiders.insert(id);
        user
    }

    /// `author` posts `content` in `channel` (guild channel, thread or DM): MESSAGE_CREATE.
    pub async fn user_message(&self, channel: u64, author: &TestUser, content: &str) -> u64 {
        let msg = {
            let mut state = self.inner.state();
            state.register(author);
            let guild = state.guild_of(channel);
            let id = state.next_id();
            let mut msg = payloads::message(id, channel, author, content);
            let (users, roles) = mentions(content);
            let mentioned: Vec<Value> = (users.iter())
                .map(|u| {
                    state
                        .users
                        .get(u)
                        .cloned()
                        .unwrap_or_else(|| TestUser::new(*u, &format!("user{u}")))
                })
                .map(|u| {
                    let mut j = payloads::user(&u);
                    if guild.is_some() {
                        j["member"] = payloads::partial_member(&u);
                    }
                    j
                })
                .collect();
            msg["mentions"] = mentioned.into();
            msg["mention_roles"] = payloads::ids_json(&roles);
            if let Some(g) = guild {
                msg["guild_id"] = g.to_string().into();
                msg["member"] = payloads::partial_member(author);
            }
            state.store_message(channel, author.id, msg.clone());
            msg
        };
        self.inner.gateway.dispatch("MESSAGE_CREATE", msg.clone());
        snowflake(&msg["id"]).expect("message built with an id")
    }

    /// `author` DMs the bot (the DM channel is created on first use).
    pub async fn dm_message(&self, author: &TestUser, content: &str) -> u64 {
        let channel = self.dm_channel_of(author);
        self.user_message(channel, author, content).await
    }

    /// The DM channel between the bot and `user`, created on first use.
    pub fn dm_channel_of(&self, user: &TestUser) -> u64 {
        let mut state = self.inner.state();
        state.register(user);
        state.dm_channel(user)
    }

    /// `author` opens a post in `forum`: THREAD_CREATE, then MESSAGE_CREATE of the starter
    /// message, whose id is the thread's (as on Discord). Returns `(thread, message)`.
    pub async fn forum_post(
        &self,
        forum: u64,
        author: &TestUser,
        title: &str,
        content: &str,
    ) -> (u64, u64) {
        let thread = {
            let mut state = self.inner.state();
            let guild = state
                .guild_of(forum)
                .expect("forum_post: the forum channel is in the guild");
            let id = state.next_id();
            let mut thread = payloads::thread(id, guild, forum, author.id, title);
            thread["message_count"] = 1.into();
            thread["total_message_sent"] = 1.into();
            thread["last_message_id"] = id.to_string().into();
            state.channels.insert(id, thread.clone());
            thread["newly_created"] = true.into();
            thread
        };
        let id = snowflake(&thread["id"]).expect("thread built with an id");
        self.inner.gateway.dispatch("THREAD_CREATE", thread);
        // The starter message takes the thread's id: allocate it by hand instead of next_id.
        let mut msg = payloads::message(id, id, author, content);
        msg["guild_id"] = self.inner.ids.guild.to_string().into();
        msg["member"] = payloads::partial_member(author);
        msg["position"] = 0.into();
        self.inner.state().register(author);
        self.inner.state().store_message(id, author.id, msg.clone());
        self.inner.gateway.dispatch("MESSAGE_CREATE", msg);
        (id, id)
    }

    /// Sends INTERACTION_CREATE of `kind` with `data`; returns the interaction id.
    fn interact(
        &self,
        kind: u8,
        channel: u64,
        user: &TestUser,
        message: Option<u64>,
        data: Value,
    ) -> u64 {
        let payload = {
            let mut state = self.inner.state();
            state.register(user);
            let id = state.next_id();
            let token = format!("fake-interaction-token-{id}");
            let chan = (state.channel(channel).cloned())
                .unwrap_or_else(|| panic!("interaction in unknown channel {channel}"));
            let msg = message.map(|m| {
                let stored = state.messages.get(&m);
                stored
                    .unwrap_or_else(|| panic!("interaction on unknown message {m}"))
                    .json
                    .clone()
            });
            let rec = InteractionRec {
                token: token.clone(),
                user: user.id,
                channel,
                message,
                acknowledged: false,
                original: None,
                created: std::time::Instant::now(),
            };
            state.interactions.insert(id, rec);
            let ctx = InteractionCtx {
                id,
                token: &token,
                channel: &chan,
                user,
                message: msg,
            };
            payloads::interaction(&self.inner.ids, kind, ctx, data)
        };
        let id = snowflake(&payload["id"]).expect("interaction built with an id");
        self.inner.gateway.dispatch("INTERACTION_CREATE", payload);
        id
    }

    /// `user` clicks the button `custom_id` on `message_id` in `channel`.
    pub async fn click(
        &self,
        message_id: u64,
        channel: u64,
        user: &TestUser,
        custom_id: &str,
    ) -> u64 {
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.interact(3, channel, user, Some(message_id), data)
    }

    /// `user` picks `values` in the string select `custom_id` on `message_id`.
    pub async fn select(
        &self,
        message_id: u64,
        channel: u64,
        user: &TestUser,
        custom_id: &str,
        values: &[&str],
    ) -> u64 {
        let data = json!({"custom_id": custom_id, "component_type": 3, "values": values});
        self.interact(3, channel, user, Some(message_id), data)
    }

    /// The data of a command interaction for the registered command `name`.
    fn command_data(&self, name: &str, kind: u8) -> Value {
        let state = self.inner.state();
        let Some(cmd) = state.command_named(name) else {
            let names: Vec<&Value> = state.commands.iter().map(|c| &c["name"]).collect();
            panic!("no registered command {name:?}; registered: {names:?}");
        };
        let mut data = json!({"id": cmd["id"], "name": name, "type": kind});
        if let Some(g) = cmd.get("guild_id") {
            data["guild_id"] = g.clone();
        }
        data
    }

    /// `user` runs the slash command `name`. `options` is Discord's option array verbatim, or
    /// an object `{"name": value}` whose types are inferred (string, integer, boolean, number).
    pub async fn slash(&self, channel: u64, user: &TestUser, name: &str, options: Value) -> u64 {
        let mut data = self.command_data(name, 1);
        data["options"] = options_json(options, false);
        self.interact(2, channel, user, None, data)
    }

    /// `user` is typing an option of `name`: APPLICATION_COMMAND_AUTOCOMPLETE. The option
    /// marked `"focused": true` is the one typed; with none marked, the last one is.
    pub async fn autocomplete(
        &self,
        channel: u64,
        user: &TestUser,
        name: &str,
        options: Value,
    ) -> u64 {
        let mut data = self.command_data(name, 1);
        data["options"] = options_json(options, true);
        self.interact(4, channel, user, None, data)
    }

    /// `user` runs the message context-menu command `name` on `target_message`.
    pub async fn message_command(
        &self,
        channel: u64,
        user: &TestUser,
        name: &str,
        target_message: u64,
    ) -> u64 {
        let mut data = self.command_data(name, 3);
        let msg = (self.inner.state().messages.get(&target_message))
            .unwrap_or_else(|| panic!("message_command on unknown message {target_message}"))
            .json
            .clone();
        data["target_id"] = target_message.to_string().into();
        data["resolved"] = json!({"messages": {target_message.to_string(): msg}});
        self.interact(2, channel, user, None, data)
    }

    /// `user` submits the modal `custom_id` with text inputs `fields` as `(custom_id, value)`.
    pub async fn submit_modal(
        &self,
        channel: u64,
        user: &TestUser,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> u64 {
        let rows: Vec<Value> = (fields.iter())
            .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
            .collect();
        // As Discord: a form opened from a message's button is submitted
        // with that message.
        let opened_on = (self.inner.state().modals)
            .get(&(user.id, custom_id.to_string()))
            .copied()
            .flatten();
        self.interact(
            5,
            channel,
            user,
            opened_on,
            json!({"custom_id": custom_id, "components": rows}),
        )
    }
}

/// Discord's option array from either an array (kept) or a `{"name": value}` object.
fn options_json(options: Value, focus_last: bool) -> Value {
    let mut list: Vec<Value> = match options {
        Value::Array(list) => list,
        Value::Object(map) => (map.into_iter())
            .map(|(name, value)| {
                let kind = match &value {
                    Value::Bool(_) => 5,
                    Value::Number(n) if n.is_i64() || n.is_u64() => 4,
                    Value::Number(_) => 10,
                    _ => 3,
                };
                json!({"name": name, "type": kind, "value": value})
            })
            .collect(),
        Value::Null => Vec::new(),
        other => panic!("slash options must be an array or an object, not {other}"),
    };
    if focus_last
        && !list.iter().any(|o| o["focused"] == true)
        && let Some(last) = list.last_mut()
    {
        last["focused"] = true.into();
    }
    list.into()
}
