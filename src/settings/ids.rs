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
    match ref_value(d)? {
        None => Ok(0),
        Some(Ref::Id(id)) => Ok(id),
        Some(Ref::Channel(name) | Ref::Role(name)) => Err(serde::de::Error::custom(format!(
            "{name:?} must be given by its id here"
        ))),
    }
}

/// One id or name, whole; `None` when empty. Not split at commas: a role
/// may well be called "Support, EU".
pub(super) fn ref_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Ref>, D::Error> {
    let refs: Result<Vec<Option<Ref>>, String> = match Raw::deserialize(d)? {
        Raw::One(item) => whole(item).map(|r| vec![r]),
        Raw::Many(items) => items.into_iter().map(whole).collect(),
    };
    let mut refs = refs
        .map_err(serde::de::Error::custom)?
        .into_iter()
        .flatten();
    match (refs.next(), refs.next()) {
        (one, None) => Ok(one),
        _ => Err(serde::de::Error::custom(
            "expected one id or name, not a list",
        )),
    }
}

/// A list of ids or names from TOML (`[1, "#help"]`, each item whole) or
/// from the environment, where a list can only be one string: `"1,#help"`,
/// a single `1`, or empty.
pub(super) fn ref_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Ref>, D::Error> {
    let refs: Result<Vec<Option<Ref>>, String> = match Raw::deserialize(d)? {
        Raw::Many(items) => items.into_iter().map(whole).collect(),
        Raw::One(Item::Number(n)) => Ok(vec![Some(Ref::Id(n))]),
        Raw::One(Item::Text(text)) => text
            .split(',')
            .map(|part| whole(Item::Text(part.to_string())))
            .collect(),
    };
    Ok(refs
        .map_err(serde::de::Error::custom)?
        .into_iter()
        .flatten()
        .collect())
}

/// An id or a name as TOML or the environment gives it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Item {
    Number(u64),
    Text(String),
}

/// One item, or a TOML array of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Raw {
    Many(Vec<Item>),
    One(Item),
}

/// An item as one reference (`None` when blank).
fn whole(item: Item) -> Result<Option<Ref>, String> {
    match item {
        Item::Number(n) => Ok(Some(Ref::Id(n))),
        Item::Text(text) if text.trim().is_empty() => Ok(None),
        Item::Text(text) => parse(text.trim()).map(Some),
    }
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

    #[derive(Debug, Deserialize)]
    struct One {
        #[serde(deserialize_with = "ref_value")]
        value: Option<Ref>,
    }

    #[derive(Debug, Deserialize)]
    struct Many {
        #[serde(deserialize_with = "ref_list")]
        value: Vec<Ref>,
    }

    fn role(name: &str) -> Ref {
        Ref::Role(name.into())
    }

    /// A comma splits only the environment's one-string lists: a role
    /// named with a comma is given whole, alone or in a TOML array.
    #[test]
    fn names_with_commas_are_kept_whole() {
        let one = |value: &str| toml::from_str::<One>(&format!("value = {value}")).map(|o| o.value);
        assert_eq!(
            one(r#""@Support, EU""#).ok(),
            Some(Some(role("Support, EU")))
        );
        assert_eq!(
            one(r#"["@Support, EU"]"#).ok(),
            Some(Some(role("Support, EU")))
        );
        assert_eq!(one(r#""""#).ok(), Some(None));
        assert_eq!(one("7").ok(), Some(Some(Ref::Id(7))));
        assert!(one(r#"["@A", "@B"]"#).is_err(), "one value, not two");

        let many =
            |value: &str| toml::from_str::<Many>(&format!("value = {value}")).map(|m| m.value);
        assert_eq!(
            many(r#"["@Support, EU", 5, ""]"#).ok(),
            Some(vec![role("Support, EU"), Ref::Id(5)])
        );
        // The environment's form: one string, split at commas.
        assert_eq!(
            many(r##""#help, 6,,@Staff""##).ok(),
            Some(vec![Ref::Channel("help".into()), Ref::Id(6), role("Staff")])
        );
        assert!(many(r#""5,x""#).is_err());
    }
}
