//! Settings in layers (built-in defaults, `--config FILE`, then
//! `SYNCMEDIC__SECTION__KEY` variables), read into a raw form and validated
//! once into `Settings`.

mod ids;
mod names;
mod raw;
mod secret;
mod url;

pub use ids::Ref;
pub use names::{GuildNames, Slot, Unresolved};
pub use secret::Secret;
pub use url::redact_url;

use crate::matcher::Thresholds;
use crate::policy::ReminderPolicy;
use raw::Raw;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::api_origin;

/// The documented defaults, built into the binary so it runs anywhere.
pub const DEFAULTS: &str = include_str!("../../config/default.toml");

/// Prefix of the environment variables that override settings.
const ENV_PREFIX: &str = "SYNCMEDIC";

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Its cause is the config crate's own message, told once.
    #[error(transparent)]
    Load(#[from] config::ConfigError),
    #[error("{key}: {problem}")]
    Invalid { key: &'static str, problem: String },
    #[error("cannot read the token file {path}: {source}")]
    TokenFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines, for a terminal or `journalctl`.
    Human,
    /// One JSON object per line, for a log collector.
    Json,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub discord: DiscordSettings,
    pub thresholds: Thresholds,
    /// Zero when off.
    pub user_cooldown: Duration,
    /// `sqlite://PATH` or `sqlite::memory:`.
    pub database_url: String,
    /// How long finished records are kept; `None`: for ever.
    pub keep: Option<Duration>,
    /// When staff hear of an unclaimed ticket again.
    pub reminders: ReminderPolicy,
    pub rates: ReplyRates,
    /// How fast the bot talks to Discord.
    pub pace: Pace,
    /// How often to look at the knowledge-base files; `None` when not
    /// watching.
    pub kb_watch: Option<Duration>,
    /// Where /healthz and /metrics are served; `None` when off.
    pub health_bind: Option<String>,
    pub log_format: LogFormat,
}

/// The bot's own pace towards Discord's REST API.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Requests per second at most (`None`: unpaced); under Discord's
    /// global 50 per second, so that a burst waits instead of meeting 429s.
    pub requests_per_second: Option<f64>,
    /// Requests waiting for their turn above which a warning is logged.
    pub queue_warn: usize,
}

/// Reply rate limits, each `None` when off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplyRates {
    pub user_per_minute: Option<f64>,
    pub global_per_second: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct DiscordSettings {
    pub token_file: Option<PathBuf>,
    /// The origin standing in for https://discord.com, without a trailing
    /// slash; `None` for Discord itself.
    pub api_url: Option<String>,
    pub guild_id: Option<u64>,
    pub support_channels: Vec<u64>,
    pub forum_channels: Vec<u64>,
    pub staff_role: Option<u64>,
    pub escalation_channel: Option<u64>,
    pub solved_tag: Option<u64>,
    pub message_content: bool,
    /// Channels and roles given by name, not yet found in the guild; their
    /// ids join the fields above when the bot connects
    /// (`DiscordSettings::resolve`), and `serve` starts only once this is
    /// empty.
    pub unresolved: Vec<Unresolved>,
}

impl Settings {
    /// Reads the layers: built-in defaults, then `file`, then the process
    /// environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        Settings::load_with_env(file, std::env::vars())
    }

    /// As `load`, with the environment given (tests pass their own).
    pub fn load_with_env(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(file) = file {
            builder = builder.add_source(
                config::File::from(file)
                    .format(config::FileFormat::Toml)
                    .required(true),
            );
        }
        let ours: config::Map<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(&format!("{ENV_PREFIX}__")))
            .collect();
        // Lists of ids arrive as "111,222" (or one number, or nothing) and
        // are split by `id_list`: config's own list parsing would read a
        // single id as a number, not a list.
        let environment = config::Environment::with_prefix(ENV_PREFIX)
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .source(Some(ours));
        let raw: Raw = builder.add_source(environment).build()?.try_deserialize()?;
        Settings::validate(raw)
    }

    fn validate(raw: Raw) -> Result<Settings, SettingsError> {
        let t = raw.matcher;
        for (key, v) in [
            ("matcher.answer", t.answer),
            ("matcher.clarify", t.clarify),
            ("matcher.margin", t.margin),
        ] {
            if let Some(v) = v
                && !(0.0..=1.0).contains(&v)
            {
                return Err(SettingsError::Invalid {
                    key,
                    problem: format!("{v} is outside 0..=1"),
                });
            }
        }
        if let (Some(clarify), Some(answer)) = (t.clarify, t.answer)
            && clarify > answer
        {
            return Err(SettingsError::Invalid {
                key: "matcher.clarify",
                problem: format!("{clarify} is above matcher.answer ({answer})"),
            });
        }
        let cooldown = raw.limits.user_cooldown_seconds;
        if !(0.0..=86_400.0).contains(&cooldown) {
            return Err(SettingsError::Invalid {
                key: "limits.user_cooldown_seconds",
                problem: format!("{cooldown} is not between 0 and 86400"),
            });
        }
        let reminder = raw.escalation.reminder_minutes;
        if !(0.0..=10_080.0).contains(&reminder) {
            return Err(SettingsError::Invalid {
                key: "escalation.reminder_minutes",
                problem: format!("{reminder} is not between 0 and 10080 (a week)"),
            });
        }
        let reminder_max = raw.escalation.reminder_max;
        if !(1..=20).contains(&reminder_max) {
            return Err(SettingsError::Invalid {
                key: "escalation.reminder_max",
                problem: format!("{reminder_max} is not between 1 and 20"),
            });
        }
        let rate = |key: &'static str, v: f64, max: f64| {
            if (0.0..=max).contains(&v) {
                Ok((v > 0.0).then_some(v))
            } else {
                Err(SettingsError::Invalid {
                    key,
                    problem: format!("{v} is not between 0 and {max}"),
                })
            }
        };
        let rates = ReplyRates {
            user_per_minute: rate(
                "limits.user_replies_per_minute",
                raw.limits.user_replies_per_minute,
                6_000.0,
            )?,
            global_per_second: rate(
                "limits.global_replies_per_second",
                raw.limits.global_replies_per_second,
                100_000.0,
            )?,
        };
        let pace = Pace {
            requests_per_second: rate(
                "limits.requests_per_second",
                raw.limits.requests_per_second,
                100_000.0,
            )?,
            queue_warn: usize::try_from(raw.limits.queue_warn).unwrap_or(usize::MAX),
        };
        let interval = raw.kb.watch_interval_seconds;
        if !(0.05..=3_600.0).contains(&interval) {
            return Err(SettingsError::Invalid {
                key: "kb.watch_interval_seconds",
                problem: format!("{interval} is not between 0.05 and 3600"),
            });
        }
        let health_bind = match raw.health.bind.trim() {
            "" => None,
            bind if bind.parse::<std::net::SocketAddr>().is_ok() => Some(bind.to_string()),
            other => {
                return Err(SettingsError::Invalid {
                    key: "health.bind",
                    problem: format!("{other:?} is not an address and port such as 127.0.0.1:9090"),
                });
            }
        };
        let d = raw.discord;
        let api_url = match d.api_url.trim().trim_end_matches('/') {
            "" => None,
            url => Some(api_origin(url)?),
        };
        let mut unresolved = Vec::new();
        let mut ids = |slot: Slot, refs: Vec<Ref>| -> Result<Vec<u64>, SettingsError> {
            let mut out = Vec::new();
            for item in refs {
                match (item, slot) {
                    (Ref::Id(0), Slot::SupportChannel | Slot::ForumChannel) => {
                        return Err(SettingsError::Invalid {
                            key: slot.key(),
                            problem: "0 is not a channel id; leave it out of the list".to_string(),
                        });
                    }
                    // 0 (or empty) is "not set" for a single id.
                    (Ref::Id(0), _) => {}
                    (Ref::Id(id), _) => out.push(id),
                    (Ref::Channel(name), Slot::StaffRole) => {
                        return Err(SettingsError::Invalid {
                            key: slot.key(),
                            problem: format!(
                                "\"#{name}\" is a channel; a role is written \"@{name}\""
                            ),
                        });
                    }
                    (
                        Ref::Role(name),
                        Slot::SupportChannel | Slot::ForumChannel | Slot::EscalationChannel,
                    ) => {
                        return Err(SettingsError::Invalid {
                            key: slot.key(),
                            problem: format!(
                                "\"@{name}\" is a role; a channel is written \"#{name}\""
                            ),
                        });
                    }
                    (Ref::Channel(name) | Ref::Role(name), _) => {
                        unresolved.push(Unresolved { slot, name });
                    }
                }
            }
            Ok(out)
        };
        let support_channels = ids(Slot::SupportChannel, d.support_channels)?;
        let forum_channels = ids(Slot::ForumChannel, d.forum_channels)?;
        let staff_role = ids(Slot::StaffRole, d.staff_role.into_iter().collect())?;
        let escalation_channel = ids(
            Slot::EscalationChannel,
            d.escalation_channel.into_iter().collect(),
        )?;
        let nonzero = |v: u64| (v != 0).then_some(v);
        Ok(Settings {
            discord: DiscordSettings {
                token_file: (!d.token_file.trim().is_empty())
                    .then(|| PathBuf::from(d.token_file.trim())),
                api_url,
                guild_id: nonzero(d.guild_id),
                support_channels,
                forum_channels,
                staff_role: staff_role.first().copied(),
                escalation_channel: escalation_channel.first().copied(),
                solved_tag: nonzero(d.solved_tag),
                message_content: d.message_content,
                unresolved,
            },
            thresholds: t,
            user_cooldown: Duration::from_secs_f64(cooldown),
            database_url: raw.database.url.trim().to_string(),
            keep: (raw.database.keep_days > 0)
                .then(|| Duration::from_secs(u64::from(raw.database.keep_days) * 86_400)),
            reminders: ReminderPolicy {
                after: Duration::from_secs_f64(reminder * 60.0),
                repeat: raw.escalation.reminder_repeat,
                max: reminder_max,
            },
            rates,
            pace,
            kb_watch: raw.kb.watch.then(|| Duration::from_secs_f64(interval)),
            health_bind,
            log_format: raw.log.format,
        })
    }
}

impl DiscordSettings {
    /// The token from `DISCORD_TOKEN`, else from `token_file`; `Ok(None)`
    /// when neither is set.
    pub fn token(&self, env_token: Option<String>) -> Result<Option<Secret>, SettingsError> {
        if let Some(token) = env_token
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
        {
            return Ok(Some(Secret(token)));
        }
        let Some(path) = &self.token_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::TokenFile {
            path: path.clone(),
            source,
        })?;
        let token = text.trim();
        Ok((!token.is_empty()).then(|| Secret(token.to_string())))
    }
}

#[cfg(test)]
mod tests;
