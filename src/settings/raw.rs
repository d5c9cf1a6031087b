//! The settings as the layers give them, before `Settings::validate`
//! checks them: every key the files and the environment may set, and no
//! other (`deny_unknown_fields`).

use super::LogFormat;
use super::Ref;
use super::ids::{id_value, ref_list, ref_value};
use crate::matcher::Thresholds;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    pub(super) discord: RawDiscord,
    /// Every line may be left to cross-validation, so the section may be
    /// empty or absent.
    #[serde(default)]
    pub(super) matcher: Thresholds,
    pub(super) limits: RawLimits,
    pub(super) database: RawDatabase,
    pub(super) escalation: RawEscalation,
    pub(super) kb: RawKb,
    pub(super) health: RawHealth,
    pub(super) log: RawLog,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKb {
    pub(super) watch: bool,
    pub(super) watch_interval_seconds: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHealth {
    pub(super) bind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLog {
    pub(super) format: LogFormat,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEscalation {
    pub(super) reminder_minutes: f64,
    pub(super) reminder_repeat: bool,
    pub(super) reminder_max: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDatabase {
    pub(super) url: String,
    pub(super) keep_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscord {
    pub(super) token_file: String,
    pub(super) api_url: String,
    #[serde(deserialize_with = "id_value")]
    pub(super) guild_id: u64,
    #[serde(deserialize_with = "ref_list")]
    pub(super) support_channels: Vec<Ref>,
    #[serde(deserialize_with = "ref_list")]
    pub(super) forum_channels: Vec<Ref>,
    #[serde(deserialize_with = "ref_value")]
    pub(super) staff_role: Option<Ref>,
    #[serde(deserialize_with = "ref_value")]
    pub(super) escalation_channel: Option<Ref>,
    #[serde(deserialize_with = "id_value")]
    pub(super) solved_tag: u64,
    pub(super) message_content: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLimits {
    pub(super) user_cooldown_seconds: f64,
    pub(super) user_replies_per_minute: f64,
    pub(super) global_replies_per_second: f64,
    pub(super) requests_per_second: f64,
    pub(super) queue_warn: u64,
}
