//! syncmedic's core: the knowledge base (`kb`), the matcher and the dialog.
//!
//! They take data and return data. Kept in a crate of their own, the rule
//! is the compiler's to keep: nothing here can reach Discord, the terminal
//! or the database, because none of those crates is a dependency. The bot's
//! build script also trains the shipped model with this crate (see
//! `matcher::Learned`).

pub mod dialog;
pub mod engine;
pub mod kb;
pub mod matcher;
pub mod text;

pub use engine::Engine;
