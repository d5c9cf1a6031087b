//! A case handed to a person, as the store keeps it: the ticket and, where
//! staff read Discord, its staff post. One builder for every front end, so
//! the terminal's tickets and Discord's say the same things the same way.

use crate::dialog::CaseSummary;
use crate::dialog::render::clip_lines;
use crate::store::{NewTicket, PostDraft, PostKind};

/// How much of the case fits in the staff post beside the header.
const CASE_IN_POST: usize = 1_700;

/// Where staff hear of a ticket on Discord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffPost {
    /// The escalation channel, or the case's own thread.
    pub channel: u64,
    /// Pinged once, in this post.
    pub role: Option<u64>,
    /// The channel the conversation runs in, linked from the post.
    pub conversation_in: u64,
}

/// Who asked and where the case lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asker {
    pub conversation: u64,
    pub user: u64,
    /// The case's own thread or forum post, which hears of the ticket.
    pub thread: Option<u64>,
}

/// The ticket for `case`, and its staff post when there is one to make
/// (none from the terminal, where staff read the store).
pub fn ticket(
    asker: Asker,
    case: &CaseSummary,
    post: Option<StaffPost>,
) -> (NewTicket, Option<PostDraft>) {
    let summary = case.render();
    let ticket = NewTicket {
        conversation: asker.conversation,
        asker: asker.user,
        thread: asker.thread,
        intent: case.intent.as_ref().map(|i| i.to_string()),
        summary: summary.clone(),
        staff_channel: post.map_or(0, |p| p.channel),
    };
    let draft = post.map(|post| {
        // The bot's own words, with `{ticket}`, come first; the case (user
        // text, escaped by its renderer) is appended after the number is in.
        let mut content = String::from("**Ticket #{ticket}**");
        if let Some(role) = post.role {
            content.push_str(&format!(" · <@&{role}>"));
        }
        content.push_str(&format!(
            " a case needs a person: <#{}>\n\n",
            post.conversation_in
        ));
        PostDraft {
            kind: PostKind::Ticket,
            channel: post.channel,
            content,
            body: clip_lines(&summary, CASE_IN_POST),
            ping_role: post.role,
        }
    });
    (ticket, draft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialog::{CaseForm, Reason};

    fn case() -> CaseSummary {
        CaseSummary {
            reason: Reason::Asked,
            intent: None,
            title: None,
            device: None,
            status_text: None,
            said: vec!["**Claimed by** me {ticket}".into()],
            steps: Vec::new(),
            form: Some(CaseForm {
                tried: "x".repeat(5_000),
                ..CaseForm::default()
            }),
        }
    }

    const ASKER: Asker = Asker {
        conversation: 7,
        user: 42,
        thread: Some(7),
    };

    #[test]
    fn the_terminal_gets_a_ticket_without_a_post() {
        let (ticket, post) = ticket(ASKER, &case(), None);
        assert_eq!(post, None);
        assert_eq!(ticket.staff_channel, 0);
        assert_eq!((ticket.asker, ticket.thread), (42, Some(7)));
    }

    #[test]
    fn the_post_pings_once_and_keeps_user_text_out_of_the_header() {
        let staff = StaffPost {
            channel: 900,
            role: Some(5),
            conversation_in: 7,
        };
        let (ticket, post) = ticket(ASKER, &case(), Some(staff));
        let post = post.expect("a post");
        assert_eq!(ticket.staff_channel, 900);
        assert_eq!(post.ping_role, Some(5));
        assert_eq!(
            post.content,
            "**Ticket #{ticket}** · <@&5> a case needs a person: <#7>\n\n"
        );
        assert!(
            post.body.contains("\\*\\*Claimed by\\*\\*"),
            "{}",
            post.body
        );
        assert!(post.body.chars().count() <= CASE_IN_POST);
    }
}
