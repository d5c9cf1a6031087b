//! The SQLite store on temporary and in-memory databases.
use super::*;
use crate::dialog::{Conversation, Stage, StepOutcome, StepRecord};
use crate::kb::IntentId;
use crate::store::sqlite_conversations::now;
use crate::store::{Applied, Before, PostKind};

fn record(id: u64) -> ConversationRecord {
    let intent = IntentId::parse("status-paused").expect("id");
    let mut conversation = Conversation {
        stage: Stage::Guiding {
            intent: intent.clone(),
            step: 1,
        },
        ..Conversation::default()
    };
    conversation.steps.push(StepRecord {
        intent: intent.clone(),
        step: 1,
        of: 3,
        text: "Charge it".into(),
        outcome: StepOutcome::DidntHelp,
    });
    conversation.steps.push(StepRecord {
        intent,
        step: 2,
        of: 3,
        text: "Low Power Mode off".into(),
        outcome: StepOutcome::Shown,
    });
    ConversationRecord {
        id,
        asker: 42,
        thread: Some(id),
        forum: false,
        turn: 2,
        escalated: false,
        conversation,
        applied: Default::default(),
    }
}

fn block_on<T>(f: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

use std::future::Future;

#[test]
fn migrates_an_empty_file_and_creates_its_folder() {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("data/nested/syncmedic.db");
    let url = format!("sqlite://{}", path.display());
    drop(SqliteStore::open(&url).expect("opens"));
    assert!(path.exists());
    // Opening again applies nothing twice.
    let store = SqliteStore::open(&url).expect("reopens");
    block_on(store.save(record(1))).expect("saves");
}

#[test]
fn the_messages_a_conversation_took_in_round_trip() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    let mut took = record(8);
    took.applied.took(
        900,
        Before {
            turn: 1,
            conversation: Conversation::default(),
        },
    );
    block_on(async {
        store.save(took.clone()).await.expect("save");
        store.link(Link::Channel(8), 8).await.expect("link");
        let found = store.find(Link::Channel(8)).await.expect("find");
        assert_eq!(found, Some(took.clone()));
        // Nothing taken in is written as nothing, and reads back so.
        store.save(record(8)).await.expect("save");
        let found = store.find(Link::Channel(8)).await.expect("find");
        assert_eq!(found.map(|r| r.applied), Some(Applied::default()));
    });
}

#[test]
fn messages_that_do_not_read_back_cost_only_themselves() {
    let dir = tempfile::tempdir().expect("temp");
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let store = SqliteStore::open(&url).expect("opens");
    block_on(async {
        store.save(record(5)).await.expect("save");
        store.link(Link::Channel(5), 5).await.expect("link");
    });
    rusqlite::Connection::open(dir.path().join("s.db"))
        .and_then(|c| {
            c.execute(
                "UPDATE conversations SET applied = '{oops' WHERE id = 5",
                [],
            )
        })
        .expect("damages");
    let found = block_on(store.find(Link::Channel(5))).expect("reads");
    assert_eq!(found, Some(record(5)));
}

#[test]
fn live_channels_are_the_channels_of_recent_conversations() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        for id in [7, 8] {
            store.save(record(id)).await.expect("save");
            store.link(Link::Channel(id), id).await.expect("link");
        }
        // A reply keyed by its message has no channel of its own.
        store.save(record(9)).await.expect("save");
        store.link(Link::Message(900), 9).await.expect("link");
        let live = |since, limit| store.live_channels(since, limit);
        assert_eq!(live(0, 10).await.expect("reads"), [8, 7]);
        assert_eq!(live(0, 1).await.expect("reads"), [8]);
        assert!(live(now() + 60, 10).await.expect("reads").is_empty());
    });
}

#[test]
fn conversations_round_trip_and_are_found_by_link() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        store.save(record(7)).await.expect("save");
        store.link(Link::Message(100), 7).await.expect("link");
        store.link(Link::Channel(7), 7).await.expect("link");
        assert_eq!(
            store.find(Link::Message(100)).await.expect("find"),
            Some(record(7))
        );
        assert_eq!(
            store.find(Link::Channel(7)).await.expect("find"),
            Some(record(7))
        );
        assert_eq!(store.find(Link::Message(101)).await.expect("find"), None);
        let mut later = record(7);
        later.turn = 3;
        store.save(later.clone()).await.expect("update");
        assert_eq!(store.get(7).await.expect("get"), Some(later));
    });
}

/// Conversation 7's one verdict on step 1 of `status-paused`.
fn step_one_of_seven(fixed: bool) -> Vec<Feedback> {
    vec![Feedback {
        conversation: 7,
        intent: "status-paused".into(),
        step: 1,
        fixed,
    }]
}

#[test]
fn feedback_is_recorded_once_per_verdict() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        store.save(record(7)).await.expect("save");
        store.save(record(7)).await.expect("save again");
        let all = store.feedback(None).await.expect("feedback");
        assert_eq!(all, step_one_of_seven(false));
        assert!(
            store
                .feedback(Some("upload-stuck".into()))
                .await
                .expect("none")
                .is_empty()
        );
    });
}

/// A verdict taken back ("step 1 fixed it" after it was marked unhelpful)
/// replaces the earlier one; a hand-over stays counted whatever is written
/// after it.
#[test]
fn the_latest_verdict_counts_and_a_hand_over_stays_counted() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let mut escalated = record(7);
        escalated.escalated = true;
        store.save(escalated).await.expect("save");
        let mut later = record(7);
        later.conversation.steps[0].outcome = StepOutcome::Fixed;
        store.save(later).await.expect("save again");
        let all = store.feedback(None).await.expect("feedback");
        assert_eq!(all, step_one_of_seven(true));
        let stats = store.stats(0).await.expect("stats");
        assert_eq!(stats.first().map(|s| s.escalated), Some(1), "{stats:?}");
    });
}

#[test]
fn stats_count_conversations_outcomes_and_winning_steps() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        store.save(record(1)).await.expect("save");
        let mut fixed = record(2);
        fixed.conversation.steps[1].outcome = StepOutcome::Fixed;
        fixed.conversation.stage = Stage::Resolved {
            intent: IntentId::parse("status-paused").expect("id"),
        };
        store.save(fixed).await.expect("save");
        let mut escalated = record(3);
        escalated.escalated = true;
        store.save(escalated).await.expect("save");
        let stats = store.stats(0).await.expect("stats");
        assert_eq!(
            stats,
            vec![crate::store::IntentStats {
                intent: "status-paused".into(),
                conversations: 3,
                resolved: 1,
                escalated: 1,
                open: 1,
                fixed_by_step: vec![(2, 1)],
            }]
        );
        assert!(
            store.stats(i64::MAX).await.expect("stats").is_empty(),
            "nothing that recent"
        );
    });
}

#[test]
fn a_message_is_answered_once() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        assert!(!store.answered(5).await.expect("reads"));
        assert_eq!(store.last_answered_at().await.expect("reads"), None);
        store.mark_answered(5).await.expect("marks");
        store
            .mark_answered(5)
            .await
            .expect("marks again, harmlessly");
        assert!(store.answered(5).await.expect("reads"));
        assert!(store.last_answered_at().await.expect("reads").is_some());
    });
}

#[test]
fn bad_urls_are_refused() {
    assert!(matches!(
        SqliteStore::open("postgres://db/x"),
        Err(StoreError::Url(_))
    ));
    assert!(matches!(SqliteStore::open(""), Err(StoreError::Url(_))));
}

#[test]
fn pruning_keeps_what_is_still_in_use() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        store.mark_answered(1).await.expect("marks");
        store.save(record(7)).await.expect("saves");
        store.link(Link::Channel(7), 7).await.expect("links");
        let waiting = escalated(8);
        store
            .escalate(waiting, new_ticket(8), Some(draft("")))
            .await
            .expect("opens");
        // Everything is older than a time in the future.
        let later = now() + 10;
        let deleted = store.prune(later).await.expect("prunes");
        assert!(deleted >= 3, "{deleted}");
        assert!(!store.answered(1).await.expect("reads"));
        assert!(store.get(7).await.expect("reads").is_none());
        assert!(store.find(Link::Channel(7)).await.expect("reads").is_none());
        assert!(
            store.get(8).await.expect("reads").is_some(),
            "a case with an open ticket stays"
        );
        assert_eq!(
            store.due_posts(i64::MAX, 10).await.expect("due").len(),
            1,
            "an unsent post stays"
        );
    });
}

#[test]
fn the_backlog_hands_questions_out_oldest_first_and_keeps_each_once() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    let row = |message: u64, payload: &str| BacklogRow {
        message,
        author: 7,
        payload: payload.to_string(),
    };
    block_on(async {
        for (id, text) in [(30, "c"), (10, "a"), (20, "b")] {
            store.backlog_push(row(id, text)).await.expect("push");
        }
        // A read-back of one already waiting changes nothing.
        store.backlog_push(row(10, "again")).await.expect("push");
        // Oldest question first (a snowflake is its time), as first kept.
        let oldest = store.backlog_oldest(2).await.expect("read");
        assert_eq!(oldest, [row(10, "a"), row(20, "b")]);
        store.backlog_remove(10).await.expect("remove");
        let rest: Vec<u64> = (store.backlog_oldest(10).await.expect("read"))
            .into_iter()
            .map(|r| r.message)
            .collect();
        assert_eq!(rest, [20, 30]);
    });
}

#[path = "sqlite_ticket_tests.rs"]
mod tickets;

use tickets::{draft, escalated, new_ticket};
