//! Discord ids in settings: numbers or strings, one or a list, from TOML
//! or from the environment; channels and roles also by name.

use serde::Deserialize;

/// A channel or role as configured: its id, or its name as people see it
/// in Discord. Names are found in the guild when the bot connects
/// (`names::resolve`), so nobody has to switch on Developer Mode to copy
/// ids one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ref {
    Id(u64),
    /// `#help`, without the `#`.
    Channel(String),
    /// `@Support`, without the `@`.
    Role(String),
}

/// One id, as a number or a string (Discord ids are often quoted, being
/// too large for JavaScript); an empty string is 0, "not set".
pub(super) fn id_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match one(ref_list(d)?)? {
        None => Ok(0),
        Some(Ref::Id(id)) => Ok(id),
        Some(Ref::Channel(name) | Ref::Role(name)) => Err(serde::de::Error::custom(format!(
            "{name:?} must be given by its id here"
        ))),
    }
}

/// One id or name; `None` when empty.
pub(super) fn ref_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Ref>, D::Error> {
    one(ref_list(d)?)
}

fn one<E: serde::de::Error>(refs: Vec<Ref>) -> Result<Option<Ref>, E> {
    let mut refs = refs.into_iter();
    match (refs.next(), refs.next()) {
        (one, None) => Ok(one),
        _ => Err(E::custom("expected one id or name, not a list")),
    }
}

/// A list of ids or names from TOML (`[1, "#help"]`) or from the
/// environment (`"1,#help"`, a single `1`, or empty).
pub(super) fn ref_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Ref>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Number(u64),
        Text(String),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Many(Vec<Item>),
        One(Item),
    }
    let items = match Raw::deserialize(d)? {
        Raw::Many(items) => items,
        Raw::One(item) => vec![item],
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Number(n) => out.push(Ref::Id(n)),
            Item::Text(text) => {
                for part in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    out.push(parse(part).map_err(serde::de::Error::custom)?);
                }
            }
        }
    }
    Ok(out)
}

/// One item: `123`, `#name`, `@name`, or a mention pasted from Discord
/// (`<#123>`, `<@&123>`).
fn parse(text: &str) -> Result<Ref, String> {
    if let Ok(id) = text.parse() {
        return Ok(Ref::Id(id));
    }
    let mention = text
        .strip_prefix("<#")
        .or_else(|| text.strip_prefix("<@&"))
        .and_then(|t| t.strip_suffix('>'));
    if let Some(id) = mention.and_then(|m| m.parse().ok()) {
        return Ok(Ref::Id(id));
    }
    let named = |name: &str| {
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    };
    if let Some(name) = text.strip_prefix('#').and_then(named) {
        return Ok(Ref::Channel(name));
    }
    if let Some(name) = text.strip_prefix('@').and_then(named) {
        return Ok(Ref::Role(name));
    }
    Err(format!(
        "{text:?} is neither an id nor a name: write a channel as \"#help\" and a role as \"@Support\""
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_and_pasted_mentions() {
        let table = [
            ("123", Ok(Ref::Id(123))),
            ("<#123>", Ok(Ref::Id(123))),
            ("<@&77>", Ok(Ref::Id(77))),
            ("#help", Ok(Ref::Channel("help".into()))),
            ("# icloud-photos", Ok(Ref::Channel("icloud-photos".into()))),
            ("@Support Team", Ok(Ref::Role("Support Team".into()))),
        ];
        for (text, expected) in table {
            assert_eq!(parse(text), expected, "{text}");
        }
        for bad in ["help", "#", "@ ", "<#abc>", "-5"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
