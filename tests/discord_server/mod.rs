//! The fake Discord server in `support::discord`, proven with serenity itself: its REST
//! answers (`rest`), its gateway (`gateway`), and every payload it builds (`payloads`).

mod gateway;
mod payloads;
mod rest;

use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// Deserialises `value` as `T`, explaining the failure with the JSON.
fn parse<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{} rejected: {e}\n{value:#}", std::any::type_name::<T>()))
}
