//! Support code for the integration tests in this binary and for the
//! benches, which include this module with
//! `#[path = "../tests/it/support/mod.rs"] mod support;`.
//!
//! Each child module needs only `zoomscope` and the dev-dependencies, never
//! a sibling, so any caller can take the whole tree.

// A bench uses a part of the tree, and not every test binary uses all of it.
#![allow(dead_code)]

/// Alert and monitor fixtures on the TUI's generated org.
pub mod alerts;
/// Running the real `zoomscope` binary against a temporary home.
pub mod cli;
/// A global allocator counting live heap bytes and their peak (benches, examples).
pub mod counting_alloc;
/// `zoomscope --demo` in a pseudo-terminal, typed into at a person's pace.
pub mod demo_term;
/// A graph built the way the graph builder shapes users, and a real SQLite file.
pub mod employees;
/// A webhook receiver that keeps what it accepts (and can fail on demand).
pub mod hook;
/// Local HTTP peers on ephemeral ports.
pub mod local;
/// A proxy before the sandbox that answers chosen paths itself.
pub mod proxy;
/// A program in a real pseudo-terminal, its screens timestamped as they arrive.
pub mod pty;
/// The small hand-built graph whose query answers are worked out by hand.
pub mod query;
/// A generated org with user settings, for the JupiterOne queries and the query bench.
pub mod query_org;
/// The sandbox: start, HTTP client, OAuth token, `ZoomClient`.
pub mod sandbox;
/// A generated org built from API models, with planted secrets, for the store.
pub mod store;
/// A deterministic Zoom-shaped graph for the TUI tests and the search bench.
pub mod tui;
