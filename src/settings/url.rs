//! `discord.api_url`: checked before any token is sent there, and shown
//! in logs and errors without the secrets a URL can carry.

use super::SettingsError;

/// Checks `discord.api_url`: the token travels to this origin, so plain
/// `http://` is accepted only for loopback (a local test server). Parsed as
/// a URL, not by hand, so that `http://evil.example#@127.0.0.1` is the
/// host it really names; the error never repeats the URL's credentials.
pub(super) fn api_origin(raw: &str) -> Result<String, SettingsError> {
    let invalid = |problem: String| SettingsError::Invalid {
        key: "discord.api_url",
        problem,
    };
    let url = reqwest::Url::parse(raw)
        .map_err(|err| invalid(format!("{:?} is not a URL: {err}", redact_url(raw))))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "{:?} has a query or fragment; give the origin only (https://host:port)",
            redact_url(raw)
        )));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(raw.to_string()),
        "http" if loopback => Ok(raw.to_string()),
        "http" => Err(invalid(format!(
            "{:?} is plain http: the bot token would travel in clear; use https:// (http:// is \
             accepted only for 127.0.0.1, ::1 or localhost)",
            redact_url(raw)
        ))),
        _ => Err(invalid(format!(
            "{:?} is not an http(s):// origin",
            redact_url(raw)
        ))),
    }
}

/// The URL for logs and errors: without `user:password@`, query or
/// fragment, where credentials and keys hide.
pub fn redact_url(raw: &str) -> String {
    let Ok(mut url) = reqwest::Url::parse(raw) else {
        return "(not a URL)".to_string();
    };
    let had_credentials = !url.username().is_empty() || url.password().is_some();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    let shown = url.to_string();
    match (had_credentials, shown.split_once("://")) {
        (true, Some((scheme, rest))) => format!("{scheme}://***@{rest}"),
        _ => shown,
    }
}
