//! The schema: one numbered file per change in `migrations/`, applied in
//! order at start-up, each once, each in a transaction of its own.

use super::StoreError;
use super::sqlite_conversations::now;
use rusqlite::{Connection, OptionalExtension, params};

/// Schema changes, applied in order, each once.
pub(super) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_conversations",
        include_str!("../../migrations/0001_conversations.sql"),
    ),
    (
        "0002_tickets",
        include_str!("../../migrations/0002_tickets.sql"),
    ),
    (
        "0003_ticket_reminders",
        include_str!("../../migrations/0003_ticket_reminders.sql"),
    ),
    (
        "0004_outbox_dead_letters",
        include_str!("../../migrations/0004_outbox_dead_letters.sql"),
    ),
    (
        "0005_backlog",
        include_str!("../../migrations/0005_backlog.sql"),
    ),
    (
        "0006_review",
        include_str!("../../migrations/0006_review.sql"),
    ),
    (
        "0007_applied_messages",
        include_str!("../../migrations/0007_applied_messages.sql"),
    ),
    (
        "0008_review_last_message",
        include_str!("../../migrations/0008_review_last_message.sql"),
    ),
];

pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )?;
    for (name, sql) in MIGRATIONS {
        let done: Option<String> = conn
            .query_row(
                "SELECT name FROM schema_migrations WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_some() {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|source| StoreError::Migration { name, source })?;
        tx.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)",
            params![name, now()],
        )?;
        tx.commit()?;
        tracing::info!(migration = name, "applied");
    }
    Ok(())
}
