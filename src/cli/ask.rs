//! `syncmedic ask "TEXT" [--json]`: one answer, as a user would get it.

use super::out::Out;
use serde_json::json;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use syncmedic::console;
use syncmedic::dialog::{self, Conversation, Event};
use syncmedic::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The message, as a user would write it.
    text: String,
    /// Print the ranked intents, scores, decision and reply as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(kb: Option<&Path>, settings: &Settings, args: &Args) -> anyhow::Result<ExitCode> {
    let engine = super::kb_source::engine(kb, settings)?;
    let classification = engine.matcher.classify(&args.text);
    let event = Event::Message {
        text: args.text.clone(),
        addressed: true,
    };
    let (_, reply) = dialog::handle(&engine, Conversation::default(), event);
    if args.json {
        let out = json!({
            "tokens": engine.matcher.tokens(&args.text),
            "decision": classification.decision,
            "ranked": classification.ranked,
            "offtopic": classification.offtopic,
            "device": classification.device,
            "status": classification.status,
            "reply": reply,
        });
        writeln!(Out, "{}", serde_json::to_string_pretty(&out)?)?;
    } else if let Some(reply) = reply {
        let style = console::Style::for_stdout();
        write!(Out, "{}", console::render_reply(&reply, style))?;
    }
    Ok(ExitCode::SUCCESS)
}
