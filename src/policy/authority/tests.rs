//! The policy as tables: every actor, every action.

use super::*;
use Action::*;
use Actor::*;

const Y: Authority = Authority::Allowed;
const N: Denial = Denial::NotYourCase;
const S: Denial = Denial::StaffOnly;
const G: Denial = Denial::OtherGuild;

fn d(denial: Denial) -> Authority {
    Authority::Denied(denial)
}

/// Every action against an open case with no ticket, for every actor,
/// in the order of `Actor::ALL`: asker, staff, member, other guild, DM.
#[test]
fn the_table_for_an_open_case() {
    let table: [(Action, [Authority; 5]); 16] = [
        (Ask, [Y, Y, Y, d(G), Y]),
        (NextStep, [Y, Y, d(N), d(G), Y]),
        (FixedIt, [Y, Y, d(N), d(G), Y]),
        (ShowAll, [Y, Y, d(N), d(G), Y]),
        (ChooseDevice, [Y, Y, d(N), d(G), Y]),
        (PickReading, [Y, Y, d(N), d(G), Y]),
        (SomethingElse, [Y, Y, d(N), d(G), Y]),
        (OpenForm, [Y, Y, d(N), d(G), Y]),
        (SubmitForm, [Y, Y, d(N), d(G), Y]),
        (Escalate, [Y, Y, d(N), d(G), Y]),
        (Claim, [d(S), Y, d(S), d(G), d(S)]),
        (Resolve, [d(S), Y, d(S), d(G), d(S)]),
        (KbStats, [d(S), Y, d(S), d(G), d(S)]),
        (KbReload, [d(S), Y, d(S), d(G), d(S)]),
        (KbReview, [d(S), Y, d(S), d(G), d(S)]),
        (TypedFollowUp, [Y, d(N), d(N), d(G), Y]),
    ];
    for (action, row) in table {
        for (actor, expected) in Actor::ALL.into_iter().zip(row) {
            assert_eq!(
                authorize(actor, action, &Case::OPEN),
                expected,
                "{actor:?} {action:?}"
            );
        }
    }
}

#[test]
fn a_second_hand_over_points_to_the_open_ticket() {
    let case = Case {
        open_ticket: Some(7),
        ..Case::OPEN
    };
    for action in [SomethingElse, OpenForm, SubmitForm, Escalate] {
        for actor in [Asker, Staff, Dm] {
            assert_eq!(
                authorize(actor, action, &case),
                d(Denial::TicketOpen(7)),
                "{actor:?} {action:?}"
            );
        }
    }
    assert_eq!(authorize(Asker, NextStep, &case), Y, "steps go on");
}

#[test]
fn a_dm_hand_over_needs_an_escalation_channel() {
    let case = Case {
        staff_reachable: false,
        ..Case::OPEN
    };
    assert_eq!(authorize(Dm, OpenForm, &case), d(Denial::NoStaffHere));
    assert_eq!(authorize(Dm, NextStep, &case), Y);
}

#[test]
fn outside_a_case_anyone_may_escalate_for_themselves_but_not_steer() {
    for actor in [Asker, Staff, Member, Dm] {
        assert_eq!(authorize(actor, Escalate, &Case::NONE), Y, "{actor:?}");
        assert_eq!(authorize(actor, SubmitForm, &Case::NONE), Y, "{actor:?}");
        assert_eq!(
            authorize(actor, NextStep, &Case::NONE),
            d(Denial::NoCase),
            "{actor:?}"
        );
    }
    assert_eq!(authorize(OtherGuild, Escalate, &Case::NONE), d(G));
}

#[test]
fn every_actor_and_action_has_an_answer_with_words() {
    for state in [
        CaseState::None,
        CaseState::Open,
        CaseState::Escalated,
        CaseState::Resolved,
    ] {
        for actor in Actor::ALL {
            for action in Action::ALL {
                let case = Case {
                    state,
                    ..Case::OPEN
                };
                if let Authority::Denied(why) = authorize(actor, action, &case) {
                    assert!(why.message().len() > 20, "{why:?}");
                }
            }
        }
    }
}

#[test]
fn actors_from_facts() {
    let (user, other) = (1, 2);
    assert_eq!(Actor::of(user, Some(user), false, true, false), Asker);
    assert_eq!(Actor::of(user, Some(other), false, true, false), Member);
    assert_eq!(Actor::of(user, None, false, true, false), Member);
    assert_eq!(Actor::of(user, Some(other), false, true, true), Staff);
    assert_eq!(Actor::of(user, Some(user), false, true, true), Asker);
    assert_eq!(Actor::of(user, None, false, true, true), Staff);
    assert_eq!(Actor::of(user, Some(user), false, false, true), OtherGuild);
    assert_eq!(Actor::of(user, Some(user), true, true, false), Dm);
    assert_eq!(Actor::of(user, None, true, true, false), Dm);
    assert_eq!(Actor::of(user, Some(other), true, true, false), Member);
}

#[test]
fn readme_shows_this_table() {
    let readme = include_str!("../../../README.md");
    let shown = readme
        .split("<!-- who-may-do-what -->\n")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /who-may-do-what -->").next());
    assert_eq!(
        shown,
        Some(who_may_do_what().as_str()),
        "README is out of date"
    );
}

#[test]
fn the_readme_table_has_a_row_per_action() {
    let table = who_may_do_what();
    assert_eq!(table.lines().count(), Action::ALL.len() + 2);
    assert!(
        table.contains("| /kb reload | no | yes | no | no | no |"),
        "{table}"
    );
}

/// A solved case is settled, unless the bot asked which step did it and
/// waits for the answer, which the user types without a mention.
#[test]
fn a_case_waiting_for_an_answer_is_open() {
    use crate::dialog::{Conversation, Stage};
    let intent = crate::kb::IntentId::parse("status-paused").expect("id");
    let resolved = Conversation {
        stage: Stage::Resolved { intent },
        ..Conversation::default()
    };
    assert_eq!(CaseState::of(&resolved), CaseState::Resolved);
    let waiting = Conversation {
        all_shown: true,
        ..resolved
    };
    assert_eq!(CaseState::of(&waiting), CaseState::Open);
    assert_eq!(CaseState::of(&Conversation::default()), CaseState::Open);
}
