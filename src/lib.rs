//! syncmedic: diagnose iCloud Photos sync problems from what people type.
//!
//! The crate is a pure core (`kb`, `matcher`, `dialog`) with thin adapters
//! around it (`console` here; Discord and the store follow). The core never
//! sees I/O types, so every behaviour is testable with plain data and both
//! adapters render the very same conversation.

pub mod console;
pub mod dialog;
pub mod discord;
pub mod engine;
pub mod escalation;
pub mod eval;
pub mod kb;
pub mod learn;
pub mod logs;
pub mod malloc;
pub mod matcher;
pub mod metrics;
pub mod policy;
pub mod review;
pub mod settings;
pub mod stats;
pub mod store;
pub mod text;

pub use engine::Engine;
