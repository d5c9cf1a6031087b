//! What the statistics count as solved, handed over and open, and which
//! week a conversation falls in, on rows written straight into SQLite.

use super::*;
use crate::dialog::{Conversation, Stage};
use crate::kb::IntentId;
use crate::stats::weeks::{WEEK, week_start};
use crate::store::{ConversationRecord, SqliteStore, Store};
use rusqlite::params;

/// Monday 2026-11-30 00:00:00 UTC.
const MONDAY: i64 = 1_795_996_800;

fn schema() -> Connection {
    let conn = Connection::open_in_memory().expect("opens");
    conn.execute_batch(include_str!("../../migrations/0001_conversations.sql"))
        .expect("schema");
    conn
}

fn insert(conn: &Connection, id: i64, intent: Option<&str>, stage: &str, escalated: bool, at: i64) {
    conn.execute(
        "INSERT INTO conversations (id, asker, turn, escalated, intent, stage, state, created_at, updated_at)
         VALUES (?1, 1, 1, ?2, ?3, ?4, '{}', ?5, ?5)",
        params![id, escalated, intent, stage, at],
    )
    .expect("insert");
}

#[test]
fn each_conversation_is_solved_handed_over_or_open() {
    let conn = schema();
    let at = MONDAY + 3_600;
    // (stage, escalated): what it counts as.
    insert(&conn, 1, Some("status-paused"), "resolved", false, at); // solved
    insert(&conn, 2, Some("status-paused"), "resolved", true, at); // person (staff resolved it)
    insert(&conn, 3, Some("status-paused"), "escalated", true, at); // person
    insert(&conn, 4, Some("status-paused"), "guiding", false, at); // open
    insert(&conn, 5, Some("status-paused"), "idle", false, at); // open
    insert(&conn, 6, None, "resolved", false, at); // no intent: not counted
    insert(
        &conn,
        7,
        Some("status-paused"),
        "resolved",
        false,
        MONDAY - WEEK - 1,
    ); // too old
    let stats = intents(&conn, MONDAY - WEEK).expect("stats");
    assert_eq!(
        stats,
        vec![IntentStats {
            intent: "status-paused".into(),
            conversations: 5,
            resolved: 1,
            escalated: 2,
            open: 2,
            fixed_by_step: vec![],
        }]
    );
    let weekly = weeks(&conn, MONDAY - WEEK).expect("weeks");
    assert_eq!(
        weekly,
        vec![WeekStats {
            week_start: MONDAY,
            conversations: 5,
            resolved: 1,
            escalated: 2,
        }],
        "the weeks count what the intents count"
    );
}

#[test]
fn a_week_starts_on_monday_at_midnight_utc() {
    let conn = schema();
    insert(&conn, 1, Some("a"), "resolved", false, MONDAY - 1); // Sunday 23:59:59
    insert(&conn, 2, Some("a"), "resolved", false, MONDAY); // Monday 00:00:00
    insert(&conn, 3, Some("a"), "guiding", true, MONDAY + WEEK - 1); // next Sunday
    insert(&conn, 4, Some("a"), "guiding", false, MONDAY + WEEK); // next Monday
    let weekly = weeks(&conn, 0).expect("weeks");
    let starts: Vec<i64> = weekly.iter().map(|w| w.week_start).collect();
    assert_eq!(starts, [MONDAY - WEEK, MONDAY, MONDAY + WEEK]);
    assert_eq!(
        weekly.iter().map(|w| w.conversations).collect::<Vec<_>>(),
        [1, 2, 1]
    );
    assert_eq!(weekly[1].escalated, 1);
    for at in [MONDAY - 1, MONDAY, MONDAY + WEEK - 1, MONDAY + WEEK, 12_345] {
        let conn = schema();
        insert(&conn, 1, Some("a"), "idle", false, at);
        let sql = weeks(&conn, 0).expect("weeks")[0].week_start;
        assert_eq!(sql, week_start(at), "SQL and Rust agree at {at}");
    }
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The regression the `escalated = 0` guards: a case staff resolved after a
/// hand-over used to count as resolved by the bot.
#[test]
fn escalated_then_resolved_counts_as_handed_to_a_person() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    let intent = IntentId::parse("status-paused").expect("id");
    let mut record = ConversationRecord {
        id: 9,
        asker: 42,
        thread: Some(9),
        forum: false,
        turn: 1,
        escalated: true,
        conversation: Conversation {
            stage: Stage::Guiding {
                intent: intent.clone(),
                step: 1,
            },
            ..Conversation::default()
        },
        applied: Default::default(),
    };
    block_on(async {
        store.save(record.clone()).await.expect("saves");
        record.conversation.stage = Stage::Resolved { intent };
        store.save(record).await.expect("saves resolved");
        let stats = store.stats(0).await.expect("stats");
        assert_eq!(
            (stats[0].resolved, stats[0].escalated, stats[0].open),
            (0, 1, 0)
        );
        let weekly = store.weekly_stats(0).await.expect("weeks");
        assert_eq!((weekly[0].resolved, weekly[0].escalated), (0, 1));
    });
}
