//! Log set-up: human lines or JSON on standard error, with every registered
//! secret cut out of every line, error and panic message on the way. In the
//! library so that the redaction is tested with the rest.

use crate::settings::LogFormat;
use std::io::Write;
use std::sync::RwLock;

/// Values that must never be written out (the bot token).
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

const REDACTED: &str = "[redacted]";

/// Logs go to standard error so they never mix with answers or JSON output.
pub fn init(format: LogFormat, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| Redacting::new(std::io::stderr()));
    let _ = match format {
        LogFormat::Human => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let none = SECRETS
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_empty();
        if none {
            default_hook(info);
        } else {
            eprintln!("{}", redacted(&info.to_string()));
        }
    }));
}

/// Registers a secret: from now on it is replaced wherever it would appear.
pub fn redact(secret: &str) {
    let secret = secret.trim();
    // A short value would blank out ordinary words; tokens are long.
    if secret.len() < 8 {
        return;
    }
    SECRETS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(secret.to_string());
}

/// `text` with every registered secret replaced.
pub fn redacted(text: &str) -> String {
    // A poisoned lock still holds the secrets: redact rather than fail open.
    let secrets = SECRETS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    secrets.iter().fold(text.to_string(), |text, secret| {
        text.replace(secret, REDACTED)
    })
}

/// Collects one event's output and writes it, redacted, when dropped: the
/// formatter writes an event in pieces, and a secret could straddle two.
struct Redacting<W: Write> {
    event: Vec<u8>,
    out: W,
}

impl<W: Write> Redacting<W> {
    fn new(out: W) -> Redacting<W> {
        Redacting {
            event: Vec::new(),
            out,
        }
    }
}

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.event.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for Redacting<W> {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.event);
        let _ = self.out.write_all(redacted(&text).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "MTIzNDU2Nzg5.Gx1234.unit-test-secret-part-xyz";

    #[test]
    fn a_registered_secret_is_cut_from_text_and_from_split_writes() {
        redact(TOKEN);
        redact("short");
        let err = anyhow::anyhow!("Authorization: Bot {TOKEN}").context("sending a message");
        let shown = redacted(&format!("{err:#}"));
        assert_eq!(shown, "sending a message: Authorization: Bot [redacted]");
        assert_eq!(
            redacted("a short word"),
            "a short word",
            "short values are not secrets"
        );

        // The formatter may write one event in pieces that split the token.
        let mut out = Vec::new();
        {
            let mut writer = Redacting::new(&mut out);
            let (head, tail) = TOKEN.split_at(10);
            write!(writer, "token={head}").expect("write");
            write!(writer, "{tail} end").expect("write");
        }
        assert_eq!(String::from_utf8_lossy(&out), "token=[redacted] end");
    }
}
