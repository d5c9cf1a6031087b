//! syncmedic: diagnose iCloud Photos sync problems from what people type.
//!
//! A pure core (`kb`, `matcher`, `dialog`: the crate `syncmedic-core`,
//! re-exported here) with thin adapters around it: the terminal
//! (`console`), Discord and the store. The core never sees I/O types, so
//! every behaviour is testable with plain data and both adapters render
//! the very same conversation.

pub mod console;
pub mod discord;
pub mod escalation;
pub mod eval;
pub mod learn;
pub mod logs;
pub mod malloc;
pub mod metrics;
pub mod policy;
pub mod review;
pub mod settings;
pub mod shipped;
pub mod stats;
pub mod store;

pub use syncmedic_core::{Engine, dialog, engine, kb, matcher, text};
