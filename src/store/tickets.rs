//! Tickets (cases handed to a person) and the outbox of Discord posts that
//! must happen for them.

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    Open,
    Claimed,
    Resolved,
}

impl TicketState {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Claimed => "claimed",
            TicketState::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<TicketState> {
        [
            TicketState::Open,
            TicketState::Claimed,
            TicketState::Resolved,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// Claim from open; resolve from open or claimed; nothing from resolved.
    pub fn can_become(self, next: TicketState) -> bool {
        matches!(
            (self, next),
            (TicketState::Open, TicketState::Claimed)
                | (
                    TicketState::Open | TicketState::Claimed,
                    TicketState::Resolved
                )
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub conversation: u64,
    pub asker: u64,
    pub thread: Option<u64>,
    pub intent: Option<String>,
    pub summary: String,
    pub staff_channel: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub conversation: u64,
    pub asker: u64,
    pub thread: Option<u64>,
    pub intent: Option<String>,
    pub summary: String,
    pub state: TicketState,
    pub claimed_by: Option<u64>,
    pub staff_channel: u64,
    pub staff_message: Option<u64>,
    pub created_at: i64,
    /// Reminders staff have had of it so far, the last at `reminded_at`
    /// (unix seconds).
    pub reminders: u32,
    pub reminded_at: Option<i64>,
}

/// What a hand-over (`Store::escalate`) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    New(Ticket),
    /// The asker's ticket that is still open; nothing new was written.
    Existing(Ticket),
}

/// What a post is for: the staff post of a ticket gets Claim and Resolve
/// buttons, and its message id is kept on the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Ticket,
    Reminder,
    Note,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Ticket => "ticket",
            PostKind::Reminder => "reminder",
            PostKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<PostKind> {
        [PostKind::Ticket, PostKind::Reminder, PostKind::Note]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A post to make: `content` is the bot's own text, in which `{ticket}`
/// becomes the ticket's number; `body` (user text, already escaped) is
/// appended after that expansion, so nothing a user typed is expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub kind: PostKind,
    pub channel: u64,
    pub content: String,
    pub body: String,
    pub ping_role: Option<u64>,
}

/// A post waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: i64,
    pub kind: PostKind,
    pub ticket: Option<i64>,
    pub channel: u64,
    pub content: String,
    pub ping_role: Option<u64>,
    /// Sent with every try, so Discord keeps one copy whatever happens.
    pub nonce: String,
    pub attempts: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_transitions() {
        use TicketState::*;
        assert!(Open.can_become(Claimed));
        assert!(Open.can_become(Resolved));
        assert!(Claimed.can_become(Resolved));
        assert!(!Claimed.can_become(Claimed));
        assert!(!Resolved.can_become(Open));
        assert!(!Resolved.can_become(Resolved));
        for s in [Open, Claimed, Resolved] {
            assert_eq!(TicketState::parse(s.as_str()), Some(s));
        }
    }
}
