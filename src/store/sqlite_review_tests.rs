//! The review queue on an in-memory database.

use super::MAX_OPEN;
use crate::kb::IntentId;
use crate::review::{Change, Counts, Kept, Label, Noticed, Reading, Reason, Source, State};
use crate::store::{SqliteStore, Store};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn noticed(reason: Reason, text: &str) -> Noticed {
    Noticed {
        reason,
        text: text.to_string(),
        readings: vec![Reading {
            intent: IntentId::parse("status-paused").expect("id"),
            score: 0.25,
        }],
    }
}

/// Adds a sighting of `text` to the queue; the item's id.
async fn add(store: &SqliteStore, reason: Reason, text: &str, conversation: Option<u64>) -> i64 {
    let source = Source {
        conversation,
        message: None,
    };
    seen(store, reason, text, source).await
}

/// Adds a sighting of `text` from `source`; the item's id.
async fn seen(store: &SqliteStore, reason: Reason, text: &str, source: Source) -> i64 {
    store
        .review_add(noticed(reason, text), source)
        .await
        .expect("add")
}

/// How often the item `id` was seen.
async fn count(store: &SqliteStore, id: i64) -> u64 {
    let item = store.review_item(id).await.expect("read");
    item.expect("item").count
}

fn paused() -> Label {
    Label::Intent(IntentId::parse("status-paused").expect("id"))
}

#[test]
fn near_identical_texts_are_one_item_with_a_count() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let a = add(
            &store,
            Reason::SilentInDomain,
            "Waiting to upload 57 items??",
            Some(1),
        )
        .await;
        let b = add(
            &store,
            Reason::SilentInDomain,
            "waiting to upload 58 items",
            Some(2),
        )
        .await;
        // The same conversation again is not another sighting.
        let c = add(
            &store,
            Reason::Escalated,
            "waiting to upload 58 items",
            Some(2),
        )
        .await;
        assert_eq!((a, a), (b, c));
        let item = store.review_item(a).await.expect("read").expect("item");
        assert_eq!(item.count, 2);
        assert_eq!(
            item.text, "Waiting to upload 57 items??",
            "the first wording is kept"
        );
        assert_eq!(item.reason, Reason::SilentInDomain);
        assert_eq!(item.conversation, Some(1));
        assert_eq!(item.readings.len(), 1);
        // Staff relabelling a case is the stronger reason.
        add(
            &store,
            Reason::StaffRelabelled,
            "waiting to upload 1 items",
            Some(1),
        )
        .await;
        let item = store.review_item(a).await.expect("read").expect("item");
        assert_eq!((item.reason, item.count), (Reason::StaffRelabelled, 2));
        assert_eq!(
            store
                .review_for_conversation(1)
                .await
                .expect("read")
                .map(|i| i.id),
            Some(a)
        );
        let d = add(
            &store,
            Reason::SilentInDomain,
            "waiting to upload 58 items again",
            Some(3),
        )
        .await;
        assert_eq!(d, a, "a wording one word longer is the same item");
        assert_eq!(
            store.review_item(a).await.expect("read").map(|i| i.count),
            Some(3)
        );
    });
}

/// A silent message's note is written before the message is marked
/// answered; a crash in between hands it to the next start again, and it
/// must not count twice. Another message with the same words does.
#[test]
fn a_message_handled_again_after_a_crash_is_one_sighting() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    let message = |id| Source {
        conversation: None,
        message: Some(id),
    };
    block_on(async {
        let text = "photos not showing up on my mac";
        let first = seen(&store, Reason::SilentInDomain, text, message(10)).await;
        let again = seen(&store, Reason::SilentInDomain, text, message(10)).await;
        assert_eq!(first, again);
        assert_eq!(count(&store, first).await, 1, "the same message again");
        seen(&store, Reason::SilentInDomain, text, message(11)).await;
        assert_eq!(count(&store, first).await, 2, "another message");
        seen(&store, Reason::SilentInDomain, text, Source::default()).await;
        assert_eq!(count(&store, first).await, 3, "a sighting of no message");
    });
}

#[test]
fn the_queue_is_most_seen_first_and_labels_and_skips_move_items_out() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let once = add(&store, Reason::NotHelped, "photos never finish", None).await;
        let twice = add(&store, Reason::SomethingElse, "my album is empty", None).await;
        add(&store, Reason::SomethingElse, "my album is empty!", None).await;
        let open: Vec<i64> = store
            .review_open(10)
            .await
            .expect("open")
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(open, vec![twice, once]);

        let labelled = store
            .review_label(twice, paused(), 77, Kept::File)
            .await
            .expect("label")
            .expect("exists");
        let Change::Made(labelled) = labelled else {
            panic!("was open: {labelled:?}");
        };
        assert!(matches!(
            labelled.state,
            State::Labelled { ref label, by: 77, kept: Kept::File, .. } if *label == paused()
        ));
        let again = store
            .review_label(twice, Label::NotOurs, 78, Kept::Store)
            .await
            .expect("label");
        assert!(
            matches!(again, Some(Change::Refused(ref item)) if matches!(item.state, State::Labelled { by: 77, .. })),
            "a label is not overwritten"
        );
        assert!(
            store
                .review_label(999, paused(), 1, Kept::File)
                .await
                .expect("label")
                .is_none()
        );

        assert!(matches!(
            store.review_skip(once).await.expect("skip"),
            Some(Change::Made(_))
        ));
        assert!(matches!(
            store.review_skip(once).await.expect("skip"),
            Some(Change::Refused(_))
        ));
        assert!(store.review_open(10).await.expect("open").is_empty());
        assert_eq!(
            store.review_counts().await.expect("counts"),
            Counts {
                open: 0,
                labelled: 1,
                skipped: 1
            }
        );
        // A skipped text seen again is open again: "decide later" comes back.
        add(&store, Reason::NotHelped, "photos never finish!", Some(9)).await;
        let open: Vec<i64> = store
            .review_open(10)
            .await
            .expect("open")
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(open, vec![once]);
        store.review_skip(once).await.expect("skip");
        // A labelled text seen again stays labelled and is counted.
        add(&store, Reason::SilentInDomain, "My album is empty.", None).await;
        let item = store.review_item(twice).await.expect("read").expect("item");
        assert_eq!(item.count, 3);
        assert!(matches!(item.state, State::Labelled { .. }));
        assert_eq!(store.review_labelled().await.expect("labelled").len(), 1);
    });
}

#[test]
fn pruning_keeps_labels_and_the_open_queue_is_bounded() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let kept = add(&store, Reason::SomethingElse, "labelled long ago", None).await;
        store
            .review_label(kept, Label::NotOurs, 1, Kept::Store)
            .await
            .expect("label");
        add(&store, Reason::SomethingElse, "open and old", None).await;
        let far_future = crate::store::now_ms() / 1000 + 86_400;
        assert!(store.prune(far_future).await.expect("prune") >= 1);
        assert_eq!(
            store.review_counts().await.expect("counts"),
            Counts {
                open: 0,
                labelled: 1,
                skipped: 0
            }
        );

        let seen_twice = add(&store, Reason::SilentInDomain, "photos item zero", None).await;
        add(&store, Reason::SilentInDomain, "photos item zero", Some(5)).await;
        for i in 0..MAX_OPEN {
            add(
                &store,
                Reason::SilentInDomain,
                &format!("photos item {}", words(i)),
                None,
            )
            .await;
        }
        let counts = store.review_counts().await.expect("counts");
        assert_eq!(counts.open, MAX_OPEN as u64);
        assert!(
            store.review_item(seen_twice).await.expect("read").is_some(),
            "the most seen item stays"
        );
    });
}

/// A number as words: digits would all group under one key.
fn words(mut n: i64) -> String {
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 10) as usize]);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    format!("x{}", out.join("x"))
}

#[test]
fn a_database_from_the_version_before_gains_the_queue_and_keeps_its_rows() {
    use crate::store::sqlite_migrate::MIGRATIONS;
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
        )
        .expect("table");
        for (name, sql) in MIGRATIONS
            .iter()
            .take_while(|(name, _)| *name != "0006_review")
        {
            conn.execute_batch(sql).expect("old migration");
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, 0)",
                [name],
            )
            .expect("recorded");
        }
        conn.execute("INSERT INTO answered (message, at) VALUES (42, 0)", [])
            .expect("an old row");
    }
    let store = SqliteStore::open(&format!("sqlite://{}", path.display())).expect("migrates");
    block_on(async {
        assert!(store.answered(42).await.expect("read"), "old rows stay");
        let id = store
            .review_add(
                noticed(Reason::SilentInDomain, "photos stuck"),
                Source::default(),
            )
            .await
            .expect("the new table works");
        assert!(store.review_item(id).await.expect("read").is_some());
    });
}
