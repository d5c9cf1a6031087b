//! Integration tests, one binary: each module covers one area.

/// The terminal conversation, scripted.
mod chat;
/// Replies inside a case, one table row each, through the terminal.
mod chat_replies;
/// The `syncmedic` binary run as a user runs it: check, ask, eval, stats.
mod cli;
/// The dev set scored with the release matcher: the accuracy bars hold.
mod dev_eval;
/// The bot on the loopback Discord: every trigger and path end to end.
mod discord_e2e;
/// The fake Discord server the end-to-end tests run serenity against, proven with serenity.
mod discord_server;
/// The fuzz targets' bodies, shared with `fuzz/` so that the corpora replay
/// on stable through the very code the fuzzer runs.
#[path = "../fuzz/src/lib.rs"]
mod fuzz_bodies;
/// The committed fuzz corpora, replayed through the fuzz targets' bodies.
mod fuzz_corpus;
/// The real knowledge base: complete, valid, and not a copy of the eval set.
mod kb_data;
/// Every message the real knowledge base can send, walked on every device:
/// within Discord's limit, links on the allow-list, risky steps gated.
mod kb_render;
/// `syncmedic check` on small fixtures, one per kind of unsafe answer.
mod kb_safety;
/// Table-driven matcher cases: statuses, devices, typos, silence.
mod matcher_table;
/// `syncmedic serve` as an operator runs it: health, metrics, signals, logs, reloads.
mod operations;
/// Properties over hostile input: normalising, matching, button ids, loading.
mod properties;
/// The review queue in the terminal: chat queues, `review label` teaches, `ask` knows.
mod review;
/// Shared helpers.
mod support;
