//! zoomscope: a terminal explorer and monitor for Zoom accounts.
//!
//! Data flows one way: `zoom` (API client) → `sync` (fetch plan) → `graph`
//! (entities, relationships, indexes) → `store` (SQLite snapshots) → the
//! readers: `query` (J1QL), `alerts`, `diff`, `employees`.
//! `app` sits on all of them (context, shared services, one sync outcome);
//! the two front ends, `cli` and `tui`, sit on `app` and never on each
//! other (`cli::run` is the entry point and dispatches to both).
//! `sandbox` is a local Zoom-compatible API for `--demo`, tests and benches.

pub mod activity;
pub mod alerts;
pub mod app;
pub mod cli;
pub mod config;
pub mod diff;
pub mod employees;
pub mod graph;
pub mod query;
pub mod sandbox;
pub mod store;
pub mod sync;
pub mod tui;
pub mod util;
pub mod zoom;
