//! Tickets in the SQLite store: one per asker, written with their staff
//! post, sent once and reminded on time.

use super::*;

#[test]
fn a_ticket_and_its_post_are_written_together_and_sent_once() {
    use crate::store::{PostKind, TicketState};
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let new = NewTicket {
            conversation: 7,
            asker: 42,
            thread: Some(7),
            intent: Some("status-paused".into()),
            summary: "case".into(),
            staff_channel: 900,
        };
        let post = PostDraft {
            kind: PostKind::Ticket,
            channel: 900,
            content: "Ticket #{ticket}".into(),
            body: String::new(),
            ping_role: Some(5),
        };
        let opened = store.escalate(record(7), new, Some(post)).await;
        let Ok(Opened::New(ticket)) = opened else {
            panic!("{opened:?}")
        };
        assert_eq!(ticket.state, TicketState::Open);
        let due = store.due_posts(i64::MAX, 10).await.expect("due");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].content, format!("Ticket #{}", ticket.id));
        assert!(due[0].nonce.len() <= 25);
        store
            .post_failed(due[0].id, i64::MAX - 1, "500".into())
            .await
            .expect("failed");
        assert!(
            store
                .due_posts(crate::store::now_ms(), 10)
                .await
                .expect("due")
                .is_empty(),
            "backing off"
        );
        store.post_sent(due[0].id, 1234).await.expect("sent");
        assert!(store.due_posts(i64::MAX, 10).await.expect("due").is_empty());
        let ticket = store.ticket(ticket.id).await.expect("get").expect("exists");
        assert_eq!(ticket.staff_message, Some(1234));

        let claimed = store
            .move_ticket(ticket.id, TicketState::Claimed, 77)
            .await
            .expect("move");
        assert!(matches!(claimed, Some(Ok(ref t)) if t.claimed_by == Some(77)));
        let again = store
            .move_ticket(ticket.id, TicketState::Claimed, 78)
            .await
            .expect("move");
        assert!(
            matches!(again, Some(Err(ref t)) if t.claimed_by == Some(77)),
            "first claim stands"
        );
        assert!(
            store
                .move_ticket(999, TicketState::Resolved, 1)
                .await
                .expect("move")
                .is_none()
        );
    });
}

pub(super) fn draft(body: &str) -> PostDraft {
    PostDraft {
        kind: PostKind::Ticket,
        channel: 900,
        content: "**Ticket #{ticket}** ".into(),
        body: body.into(),
        ping_role: Some(5),
    }
}

/// A conversation of `asker`'s (its id is theirs too) at its hand-over.
pub(super) fn escalated(asker: u64) -> ConversationRecord {
    ConversationRecord {
        asker,
        ..record(asker)
    }
}

pub(super) fn new_ticket(asker: u64) -> NewTicket {
    NewTicket {
        conversation: asker,
        asker,
        thread: Some(asker),
        intent: None,
        summary: "case".into(),
        staff_channel: 900,
    }
}

#[test]
fn one_unresolved_ticket_per_asker() {
    // (The conversation is written with each hand-over: see below.)
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let first = match store
            .escalate(escalated(42), new_ticket(42), Some(draft("")))
            .await
        {
            Ok(Opened::New(t)) => t,
            other => panic!("{other:?}"),
        };
        for _ in 0..3 {
            let again = store
                .escalate(escalated(42), new_ticket(42), Some(draft("")))
                .await;
            assert!(
                matches!(again, Ok(Opened::Existing(ref t)) if t.id == first.id),
                "{again:?}"
            );
        }
        assert!(matches!(
            store
                .escalate(escalated(43), new_ticket(43), Some(draft("")))
                .await,
            Ok(Opened::New(_))
        ));
        assert_eq!(store.due_posts(i64::MAX, 10).await.expect("due").len(), 2);
        store
            .move_ticket(first.id, TicketState::Claimed, 7)
            .await
            .expect("claims");
        assert!(
            matches!(
                store
                    .escalate(escalated(42), new_ticket(42), Some(draft("")))
                    .await,
                Ok(Opened::Existing(_))
            ),
            "claimed is still unresolved"
        );
        store
            .move_ticket(first.id, TicketState::Resolved, 7)
            .await
            .expect("resolves");
        assert!(
            matches!(
                store.escalate(escalated(42), new_ticket(42), Some(draft(""))).await,
                Ok(Opened::New(ref t)) if t.id != first.id
            ),
            "a new ticket once the last is resolved"
        );
    });
}

#[test]
fn a_hand_over_is_one_write_and_marks_the_conversation() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let mut waiting = escalated(9);
        waiting.conversation.stage = Stage::Escalated {
            intent: None,
            asker_fixed: false,
        };
        store.save(waiting.clone()).await.expect("saves");
        let found = store.unticketed_escalations().await.expect("reads");
        assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), [9]);
        let opened = store
            .escalate(waiting, new_ticket(9), Some(draft("")))
            .await
            .expect("writes");
        assert!(matches!(opened, Opened::New(_)), "{opened:?}");
        let kept = store.get(9).await.expect("reads").expect("kept");
        assert!(kept.escalated, "marked with its ticket");
        assert!(
            store
                .unticketed_escalations()
                .await
                .expect("reads")
                .is_empty()
        );
        assert_eq!(store.due_posts(i64::MAX, 10).await.expect("due").len(), 1);
    });
}

#[test]
fn user_text_is_never_expanded() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let opened = store
            .escalate(escalated(1), new_ticket(1), Some(draft("my {ticket} text")))
            .await
            .expect("opens");
        let Opened::New(ticket) = opened else {
            panic!("{opened:?}")
        };
        let due = store.due_posts(i64::MAX, 10).await.expect("due");
        assert_eq!(
            due[0].content,
            format!("**Ticket #{}** my {{ticket}} text", ticket.id)
        );
    });
}

#[test]
fn reminders_are_counted_and_the_terminals_tickets_never_reminded() {
    let store = SqliteStore::open("sqlite::memory:").expect("opens");
    block_on(async {
        let terminal = NewTicket {
            staff_channel: 0,
            ..new_ticket(0)
        };
        store
            .escalate(escalated(0), terminal, None)
            .await
            .expect("opens");
        let opened = store
            .escalate(escalated(5), new_ticket(5), Some(draft("")))
            .await;
        let Ok(Opened::New(ticket)) = opened else {
            panic!("{opened:?}")
        };
        assert!(
            store.to_remind(2).await.expect("reads").is_empty(),
            "no reminder before the ticket's own post is up"
        );
        let post = store.due_posts(i64::MAX, 1).await.expect("due");
        store.post_sent(post[0].id, 77).await.expect("sent");
        let due = store.to_remind(2).await.expect("reads");
        assert_eq!(due.iter().map(|t| t.id).collect::<Vec<_>>(), [ticket.id]);
        for n in 1..=2 {
            store
                .remind(ticket.id, draft("reminder"))
                .await
                .expect("reminds");
            let t = store.ticket(ticket.id).await.expect("reads").expect("is");
            assert_eq!(t.reminders, n);
            assert!(t.reminded_at.is_some());
        }
        assert!(store.to_remind(2).await.expect("reads").is_empty());
    });
}
