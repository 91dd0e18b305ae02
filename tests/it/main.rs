//! The integration tests, as one binary: one module per area, and the
//! support code they share with the benches in `support/`.
//!
//! One binary links tokio, axum, reqwest and rusqlite once instead of once
//! per test file. The modules share one process, so a test must not depend
//! on process-global state: no `std::env::set_var`, no `set_current_dir`,
//! no global tracing subscriber (a scoped `set_default` only), and a local
//! port is bound as `127.0.0.1:0`, never fixed.

// Tests unwrap: a failed unwrap is a failed test with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod activity_cli;
mod activity_sandbox;
mod alerts_delivery;
mod alerts_diff;
mod alerts_e2e;
mod alerts_events;
mod alerts_history;
mod alerts_rules;
mod alerts_tui_state;
mod alerts_watch;
mod cli_config;
mod cli_hostile;
mod cli_sync;
mod cli_views;
mod client_http;
mod client_limits;
mod client_models;
mod client_sandbox;
mod diff_text_cli;
mod employees_cli;
mod employees_e2e;
mod employees_hostile;
mod employees_import;
mod employees_matching;
mod employees_sandbox;
mod employees_trust;
mod hostile_parsers;
mod parsers_proptest;
mod query_cli;
mod query_hostile;
mod query_jupiterone;
mod query_parse;
mod query_sandbox;
mod query_saved;
mod query_semantics;
mod sandbox_contract;
mod sandbox_faults;
mod sandbox_harsh;
mod sandbox_schema;
mod store_compact;
mod store_crash;
mod store_migrate;
mod store_snapshots;
mod store_write_base;
mod sync_group_settings;
mod sync_security;
mod sync_skips;
mod trust_history;
mod tui_activity;
mod tui_app;
mod tui_e2e;
mod tui_lists;
mod tui_monitor_cache;
mod tui_panes_employees;
mod tui_panes_monitor;
mod tui_panes_query;
mod tui_search_rank;
mod tui_snapshots;
mod tui_tables;
mod tui_tables_e2e;
mod tui_trust;
mod tui_trust_e2e;
mod tui_views;
