//! Links in responses: every one https and on the knowledge base's own
//! allow-list (`responses/links.toml`), and every page the list names
//! linked wherever a response names it, so a user is never sent to a page
//! they cannot find, nor to one nobody checked.

use super::error::{Problems, line_of};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// Where the allow-list lives, beside the responses it governs.
pub const LINKS_FILE: &str = "responses/links.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLinks {
    #[serde(default)]
    hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pages: Vec<RawPage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    name: Spanned<String>,
    url: Spanned<String>,
}

/// A page responses refer to by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// As it appears in a response: "System Status".
    pub name: String,
    pub url: String,
}

/// The allow-list, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub hosts: Vec<String>,
    pub pages: Vec<Page>,
}

/// Why a link may not be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("link {0:?} is not a web address")]
    NotAnAddress(String),
    #[error("link {0:?} is not https")]
    NotHttps(String),
    #[error("link {target:?} goes to {host:?}, which is not on the allow-list in {LINKS_FILE}")]
    HostNotAllowed { target: String, host: String },
    #[error("names {name:?} without linking it: write [{name}]({url})")]
    PageNotLinked { name: String, url: String },
}

impl Links {
    /// Whether a response may link to `target`.
    pub fn check(&self, target: &str) -> Result<(), LinkError> {
        let url =
            url::Url::parse(target).map_err(|_| LinkError::NotAnAddress(target.to_string()))?;
        if url.scheme() != "https" {
            return Err(LinkError::NotHttps(target.to_string()));
        }
        let host = url.host_str().unwrap_or_default();
        // A user name in an address ("https://apple.com@evil.example") is
        // a way to make one host look like another.
        let plain = url.username().is_empty() && url.password().is_none() && url.port().is_none();
        if !plain || !self.hosts.iter().any(|h| h == host) {
            return Err(LinkError::HostNotAllowed {
                target: target.to_string(),
                host: host.to_string(),
            });
        }
        Ok(())
    }

    /// Every link on one line of a response, and every page it names
    /// without linking.
    pub(crate) fn check_line(&self, line: &str) -> Vec<LinkError> {
        let targets = targets(line);
        let mut errors: Vec<LinkError> =
            targets.iter().filter_map(|t| self.check(t).err()).collect();
        for page in &self.pages {
            if line.contains(&page.name) && !targets.contains(&page.url.as_str()) {
                errors.push(LinkError::PageNotLinked {
                    name: page.name.clone(),
                    url: page.url.clone(),
                });
            }
        }
        errors
    }
}

/// Reads `responses/links.toml`; problems point into it.
pub(crate) fn parse(path: &Path, text: &str, problems: &mut Problems) -> Links {
    let raw: RawLinks = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let line = err.span().map_or(1, |s| line_of(text, s.start));
            problems.push(path, line, err.message().to_string());
            return Links::default();
        }
    };
    let at = |span: std::ops::Range<usize>| line_of(text, span.start);
    let mut links = Links::default();
    for host in &raw.hosts {
        let name = host.get_ref().trim();
        let bare = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
        if bare {
            links.hosts.push(name.to_string());
        } else {
            problems.push(
                path,
                at(host.span()),
                format!("{name:?} is not a host name: write it as www.apple.com, lower case, no https://"),
            );
        }
    }
    for page in &raw.pages {
        let (name, url) = (page.name.get_ref().trim(), page.url.get_ref().trim());
        if name.is_empty() {
            problems.push(path, at(page.name.span()), "a page needs a name");
            continue;
        }
        if let Err(err) = links.check(url) {
            problems.push(path, at(page.url.span()), err.to_string());
            continue;
        }
        links.pages.push(Page {
            name: name.to_string(),
            url: url.to_string(),
        });
    }
    links
}

/// Every link `response` holds, each problem at its line.
pub(crate) fn check_response(path: &Path, response: &str, links: &Links, problems: &mut Problems) {
    for (index, line) in response.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        for error in links.check_line(line) {
            problems.push(path, index + 1, error.to_string());
        }
    }
}

/// The addresses a piece of Markdown links to: masked links' targets
/// (with or without the `<…>` that stops Discord's preview) and bare
/// addresses, which Discord links by itself.
pub fn targets(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut covered = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("](") {
        let start = from + at + 2;
        let Some(len) = text[start..].find(')') else {
            break;
        };
        let target = text[start..start + len].trim();
        let target = target
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(target);
        found.push(target);
        covered.push(start..start + len);
        from = start + len;
    }
    let lower = text.to_ascii_lowercase();
    for scheme in ["http://", "https://"] {
        for (at, _) in lower.match_indices(scheme) {
            if covered.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let rest = &text[at..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "()<>[]\"'`".contains(c))
                .unwrap_or(rest.len());
            found.push(rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links {
            hosts: vec!["www.apple.com".into(), "getsupport.apple.com".into()],
            pages: vec![Page {
                name: "System Status".into(),
                url: "https://www.apple.com/support/systemstatus/".into(),
            }],
        }
    }

    #[test]
    fn finds_masked_and_bare_links() {
        let table: &[(&str, &[&str])] = &[
            ("no links here", &[]),
            (
                "[A](https://a.example/x) and [B](<https://b.example>)",
                &["https://a.example/x", "https://b.example"],
            ),
            ("see https://c.example/page.", &["https://c.example/page"]),
            ("HTTP://D.example", &["HTTP://D.example"]),
            ("[E](www.apple.com)", &["www.apple.com"]),
        ];
        for (text, expected) in table {
            assert_eq!(&targets(text), expected, "{text}");
        }
    }

    #[test]
    fn each_line_is_checked_against_the_allow_list() {
        let status = "https://www.apple.com/support/systemstatus/";
        let table: Vec<(String, Vec<LinkError>)> = vec![
            (format!("Open [System Status]({status}) first."), vec![]),
            (format!("Open [System Status](<{status}>) first."), vec![]),
            (
                "Open Apple's System Status page.".into(),
                vec![LinkError::PageNotLinked {
                    name: "System Status".into(),
                    url: status.into(),
                }],
            ),
            (
                "[Get Support](http://getsupport.apple.com)".into(),
                vec![LinkError::NotHttps("http://getsupport.apple.com".into())],
            ),
            (
                "[help](https://evil.example/apple)".into(),
                vec![LinkError::HostNotAllowed {
                    target: "https://evil.example/apple".into(),
                    host: "evil.example".into(),
                }],
            ),
            (
                "[help](https://www.apple.com@evil.example/)".into(),
                vec![LinkError::HostNotAllowed {
                    target: "https://www.apple.com@evil.example/".into(),
                    host: "evil.example".into(),
                }],
            ),
            (
                "[help](www.apple.com)".into(),
                vec![LinkError::NotAnAddress("www.apple.com".into())],
            ),
        ];
        for (line, expected) in table {
            assert_eq!(links().check_line(&line), expected, "{line}");
        }
    }

    #[test]
    fn the_allow_list_file_is_checked_too() {
        let text = "hosts = [\"www.apple.com\", \"https://evil.example\"]\n\n[[pages]]\nname = \"Status\"\nurl = \"http://www.apple.com/x\"\n";
        let mut problems = Problems::default();
        let links = parse(Path::new(LINKS_FILE), text, &mut problems);
        let got: Vec<String> = problems.0.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            got,
            vec![
                "responses/links.toml:1: \"https://evil.example\" is not a host name: write it as www.apple.com, lower case, no https://",
                "responses/links.toml:5: link \"http://www.apple.com/x\" is not https",
            ]
        );
        assert_eq!(links.hosts, vec!["www.apple.com"]);
    }
}
