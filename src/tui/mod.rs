//! The terminal explorer.
//!
//! Architecture (after television, gitui and the ratatui component template):
//! - [`action::Action`] is everything a key can ask for; [`keymap::Keymap`]
//!   maps mode → key → action, loaded from defaults plus the config's
//!   `[keys]` table, and the help overlay is generated from it;
//! - [`app::App`] holds the state and changes only in `update` (actions) and
//!   `handle` (background events); it returns [`app::Effect`]s instead of
//!   doing I/O;
//! - [`ui::draw`] renders from `&App`, building only the rows on screen;
//! - background work reports over channels with request ids: the search
//!   worker ([`search`]), and the I/O edge ([`source`]: store, sync, lazy
//!   settings, raw JSON) behind the [`source::DataSource`] trait;
//! - [`runner`] owns the terminal and the loop; [`harness`] runs the same app
//!   headless for tests and benchmarks.

pub mod action;
pub mod app;
pub mod clipboard;
pub mod columns;
pub mod config;
pub mod detail;
pub mod export;
pub mod filter;
pub mod harness;
pub mod keymap;
pub mod model;
pub mod pane;
pub mod raw;
pub mod runner;
pub mod search;
pub mod source;
pub mod table;
pub mod terminal;
pub mod theme;
pub mod ui;

use std::process::ExitCode;

use crate::cli::Context;

pub async fn run(_ctx: &mut Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the TUI is not wired to the store yet")
}
