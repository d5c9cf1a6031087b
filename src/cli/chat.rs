//! `syncmedic chat`: the conversation in the terminal, kept in the same
//! store as the bot's; an escalation writes a ticket there.

use super::out::Out;
use anyhow::Context as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use syncmedic::console::{self, Style};
use syncmedic::dialog::{Conversation, Reply, ReplyKind, Stage};
use syncmedic::escalation;
use syncmedic::review::{Noticed, Source};
use syncmedic::settings::Settings;
use syncmedic::store::{ConversationRecord, Opened, SqliteStore, Store};

pub fn run(kb: Option<&Path>, settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = super::kb_source::engine(kb, settings)?.for_answering();
    syncmedic::malloc::release_free();
    let store = SqliteStore::open(&settings.database_url)
        .with_context(|| format!("opening the database {}", settings.database_url))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the async runtime")?;
    // A terminal conversation has no Discord id: the start time in
    // milliseconds stands in, far below any Discord snowflake; each `new`
    // case takes the next number.
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64);
    let mut turn = 0;
    let mut save = |case: u64,
                    conversation: &Conversation,
                    reply: Option<&Reply>,
                    noticed: Option<Noticed>| {
        let id = started.saturating_add(case);
        turn += 1;
        if let Some(noticed) = noticed
            && let Err(err) = runtime.block_on(store.review_add(noticed, Source::conversation(id)))
        {
            tracing::error!(error = %err, "could not add to the review queue");
        }
        // The terminal's user is this conversation: one open ticket each.
        let record = ConversationRecord {
            id,
            asker: id,
            thread: None,
            forum: false,
            turn,
            // Every turn writes the record: a case handed over stays
            // counted as handed over, whatever is typed after.
            escalated: matches!(conversation.stage, Stage::Escalated { .. }),
            conversation: conversation.clone(),
            applied: Default::default(),
        };
        let case = reply
            .filter(|r| r.kind == ReplyKind::Escalation)
            .and_then(|r| r.case.as_ref());
        let Some(case) = case else {
            if let Err(err) = runtime.block_on(store.save(record)) {
                tracing::error!(error = %err, "could not store the conversation");
            }
            // What Discord's staff would read on the ticket: the terminal's
            // staff read it here and in the store, which has the case.
            if let Some(update) = reply.and_then(|r| r.update.as_ref()) {
                match runtime.block_on(store.unresolved_ticket(id)) {
                    Ok(Some(ticket)) => {
                        let _ = writeln!(Out, "{}", update.staff_line(ticket.id).replace("**", ""));
                    }
                    Ok(None) => {}
                    Err(err) => tracing::error!(error = %err, "could not look the ticket up"),
                }
            }
            return;
        };
        // The same hand-over as on Discord, in one write; staff read the
        // store, so there is no post to queue.
        let asker = escalation::Asker {
            conversation: id,
            user: id,
            thread: None,
        };
        let (ticket, post) = escalation::ticket(asker, case, None);
        match runtime.block_on(store.escalate(record, ticket, post)) {
            Ok(Opened::New(ticket) | Opened::Existing(ticket)) => {
                // A closed output ends the conversation at the console's
                // next write, which reports it.
                let _ = writeln!(
                    Out,
                    "Ticket #{} written to {}.",
                    ticket.id, settings.database_url
                );
            }
            Err(err) => tracing::error!(error = %err, "could not write the ticket"),
        }
    };
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    console::chat(
        &engine,
        stdin.lock(),
        Out,
        Style::for_stdout(),
        interactive,
        &mut save,
    )?;
    Ok(ExitCode::SUCCESS)
}
