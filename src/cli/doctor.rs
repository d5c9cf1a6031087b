//! `syncmedic doctor`: checks the set-up (knowledge base, database, and on
//! Discord: token, application, intents, guilds, channels, role) and prints
//! what the bot sees. Exit code 0 only when `serve` would work fully.

use super::kb_source;
use super::out::Out;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use syncmedic::discord::doctor::{self, Finding, Verdict};
use syncmedic::kb::Kb;
use syncmedic::settings::Settings;

pub fn run(kb: Option<&Path>, settings: &Settings) -> anyhow::Result<ExitCode> {
    let mut findings = vec![knowledge_base(kb), database(&settings.database_url)];
    let token = settings
        .discord
        .token(std::env::var("DISCORD_TOKEN").ok())?;
    let Some(token) = token else {
        print(&findings)?;
        writeln!(
            Out,
            "\nNo Discord token. In the Developer Portal (https://discord.com/developers/applications) \
             create an application, add a Bot, press Reset Token and put the token in DISCORD_TOKEN \
             (or in a file named by discord.token_file); then run `syncmedic doctor` again. \
             `syncmedic chat` works without one."
        )?;
        return Ok(ExitCode::from(2));
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    findings.extend(runtime.block_on(doctor::examine(settings, &token)));
    print(&findings)?;
    let works = !findings.iter().any(|f| f.verdict == Verdict::Fail);
    writeln!(
        Out,
        "\n{}",
        if works {
            "`syncmedic serve` would work with these settings."
        } else {
            "`syncmedic serve` would not work fully: fix the lines marked FAIL."
        }
    )?;
    Ok(if works {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn knowledge_base(kb: Option<&Path>) -> Finding {
    let origin = kb_source::folder(kb).map_or_else(
        || "built into the binary".to_string(),
        |dir| dir.display().to_string(),
    );
    let loaded = kb_source::files(kb).and_then(|files| Ok(Kb::from_files(&files)?));
    match loaded {
        Ok(kb) => Finding {
            what: "knowledge base".into(),
            verdict: Verdict::Ok,
            detail: format!(
                "{origin}: {} intents, {} example phrasings",
                kb.intents().len(),
                kb.example_count()
            ),
        },
        Err(err) => Finding {
            what: "knowledge base".into(),
            verdict: Verdict::Fail,
            detail: format!("{origin}: {err:#}"),
        },
    }
}

/// Where the database is, without creating or migrating it: the doctor
/// changes nothing.
fn database(url: &str) -> Finding {
    let what = "database".to_string();
    if url == "sqlite::memory:" {
        return Finding {
            what,
            verdict: Verdict::Warn,
            detail: "in memory: conversations and tickets are lost at every restart".into(),
        };
    }
    let path = PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url));
    let (verdict, detail) = if path.is_file() {
        (Verdict::Ok, format!("{} (exists)", path.display()))
    } else if path.exists() {
        (
            Verdict::Fail,
            format!("{} exists and is not a file", path.display()),
        )
    } else {
        (
            Verdict::Ok,
            format!("{} (created at the first start)", path.display()),
        )
    };
    Finding {
        what,
        verdict,
        detail,
    }
}

/// The findings, one line each, their names aligned.
fn print(findings: &[Finding]) -> std::io::Result<()> {
    let width = findings
        .iter()
        .map(|f| f.what.chars().count())
        .max()
        .unwrap_or(0);
    for f in findings {
        let mark = match f.verdict {
            Verdict::Ok => "ok  ",
            Verdict::Warn => "WARN",
            Verdict::Fail => "FAIL",
        };
        writeln!(Out, "{mark}  {:<width$}  {}", f.what, f.detail)?;
    }
    Ok(())
}
