//! `syncmedic chat`: the conversation in the terminal, kept in the same
//! store as the bot's; an escalation writes a ticket there.

use anyhow::Context as _;
use std::io::IsTerminal as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use syncmedic::console::{self, Style};
use syncmedic::dialog::{Conversation, Reason, Stage};
use syncmedic::settings::Settings;
use syncmedic::store::{ConversationRecord, NewTicket, SqliteStore, Store};

pub fn run(kb: Option<&Path>, settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = super::kb_source::engine(kb, settings.thresholds)?;
    let store = SqliteStore::open(&settings.database_url)
        .with_context(|| format!("opening the database {}", settings.database_url))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the async runtime")?;
    // A terminal conversation has no Discord id: the start time in
    // milliseconds stands in, far below any Discord snowflake.
    let id = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64);
    let mut turn = 0;
    let mut ticketed = false;
    let mut save = |conversation: &Conversation| {
        turn += 1;
        let escalated = matches!(conversation.stage, Stage::Escalated { .. });
        let record = ConversationRecord {
            id,
            asker: 0,
            thread: None,
            forum: false,
            turn,
            escalated,
            conversation: conversation.clone(),
        };
        if let Err(err) = runtime.block_on(store.save(record)) {
            tracing::error!(error = %err, "could not store the conversation");
        }
        if escalated && !ticketed {
            ticketed = true;
            let ticket = NewTicket {
                conversation: id,
                asker: 0,
                thread: None,
                intent: conversation.stage.intent().map(|i| i.to_string()),
                summary: conversation.case(Reason::Asked).render(),
                staff_channel: 0,
            };
            match runtime.block_on(store.open_ticket(ticket, None)) {
                Ok(ticket) => println!(
                    "Ticket #{} written to {}.",
                    ticket.id, settings.database_url
                ),
                Err(err) => tracing::error!(error = %err, "could not write the ticket"),
            }
        }
    };
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let stdout = std::io::stdout();
    console::chat(
        &engine,
        stdin.lock(),
        stdout.lock(),
        Style::for_stdout(),
        interactive,
        &mut save,
    )?;
    Ok(ExitCode::SUCCESS)
}
