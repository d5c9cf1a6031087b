//! Who may do what to a case, where a message goes, and when staff hear of
//! a ticket again: the rules every Discord handler asks, written once as
//! pure functions over plain facts so that they can be read and tested as
//! tables. A rule spelled out in three handlers drifts apart in one of them;
//! here there is one copy.

mod authority;
mod home;
mod reminders;
mod routing;

pub use authority::{
    Action, Actor, Authority, Case, CaseState, Denial, authorize, who_may_do_what,
};
pub use home::{HomeCheck, Membership, home_after, home_check};
pub use reminders::ReminderPolicy;
pub use routing::{Arrival, Linked, Place, Route, route};
