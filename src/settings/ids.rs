//! Discord ids in settings: numbers or strings, one or a list, from TOML
//! or from the environment.

use serde::Deserialize;

/// One id, as a number or a string (Discord ids are often quoted, being
/// too large for JavaScript); an empty string is 0, "not set".
pub(super) fn id_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let ids = id_list(d)?;
    match ids.as_slice() {
        [] => Ok(0),
        [one] => Ok(*one),
        _ => Err(serde::de::Error::custom("expected one id, not a list")),
    }
}

/// A list of ids from TOML (`[1, 2]`, strings allowed) or from the
/// environment (`"1,2"`, a single `1`, or empty).
pub(super) fn id_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
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
    let parse = |text: &str| -> Result<Vec<u64>, D::Error> {
        text.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse()
                    .map_err(|_| serde::de::Error::custom(format!("{t:?} is not an id")))
            })
            .collect()
    };
    let items = match Raw::deserialize(d)? {
        Raw::Many(items) => items,
        Raw::One(item) => vec![item],
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Number(n) => out.push(n),
            Item::Text(text) => out.extend(parse(&text)?),
        }
    }
    Ok(out)
}
