//! The terminal explorer.
//!
//! Architecture (after television, gitui and the ratatui component template):
//! - [`action::Action`] is everything a key can ask for; [`keymap::Keymap`]
//!   maps mode → key → action, loaded from defaults plus the config's
//!   `[keys]` table, and the help overlay is generated from it;
//! - each pane is a [`component::Component`] that owns its state (its
//!   drill-down [`stack::ViewStack`] and what only it knows);
//!   [`app::App`] holds what is global (panes, prompt, toasts, help, modal,
//!   sync status) and changes only in `update` (actions, handed to the
//!   active pane) and `handle` (background events, handed to the panes),
//!   with `on_key` turning a key into one of them or the answer to an open
//!   modal; it returns [`app::Effect`]s instead of doing I/O;
//! - [`ui::draw`] renders from `&App` (the body is the active pane's
//!   `draw`), building only the rows on screen;
//! - background work reports over channels with request ids: the search
//!   worker ([`search`]), and the I/O edge ([`source`]: store, sync, lazy
//!   settings, raw JSON) behind the [`source::DataSource`] trait, one task
//!   per request, over the app layer's shared `Arc<crate::app::Context>`;
//! - [`runner`] owns the terminal and the loop; [`harness`] runs the same app
//!   headless for tests and benchmarks.

pub mod action;
pub mod activity_pane;
pub(crate) mod alerts_pane;
pub mod app;
pub(crate) mod changes_pane;
pub(crate) mod chooser;
pub(crate) mod clipboard;
pub(crate) mod columns;
pub(crate) mod component;
pub mod config;
pub(crate) mod context_source;
pub mod detail;
pub mod employees_pane;
pub(crate) mod entity_pane;
pub(crate) mod export;
pub(crate) mod filter;
pub mod harness;
pub mod help;
pub(crate) mod history;
pub mod keymap;
pub mod model;
pub mod monitor;
pub mod pane;
pub(crate) mod provided;
pub mod query_pane;
pub(crate) mod raw;
pub(crate) mod runner;
pub(crate) mod scroll;
pub mod search;
pub mod source;
pub(crate) mod stack;
pub(crate) mod sync_status;
pub(crate) mod table;
pub(crate) mod terminal;
pub mod theme;
pub mod ui;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use crate::app::Context;

use action::{Event, ToastLevel};
use app::{App, AppOptions};
use context_source::ContextSource;
use keymap::Keymap;
use source::DataSource;
use theme::Theme;

/// What the explorer takes from the command line besides the context.
#[derive(Debug, Clone, Copy, Default)]
pub struct UiOptions {
    /// Disable colours (the NO_COLOR environment variable does too).
    pub no_color: bool,
}

/// Opens the explorer for the context's profile (`zoomscope` with no command).
pub async fn run(ctx: Arc<Context>, ui: UiOptions) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal; for scripts use `zoomscope export`, `query` or `sync`"
        );
    }
    let config_file = ctx.paths().config_file.clone();
    let (cfg, mut problems) = config::load(&config_file);
    let (keymap, key_problems) = Keymap::new(&cfg.keys);
    problems.extend(key_problems);
    let src = Arc::new(ContextSource::new(ctx));
    let mut app = App::new(AppOptions {
        keymap,
        theme: Theme::new(cfg.theme, theme::color_enabled(ui.no_color)),
        profile: src.profile(),
        export_dir: src.export_dir(),
        providers: Vec::new(),
        columns: cfg.columns.clone(),
        config_file: Some(config_file),
    });
    for p in problems {
        app.handle(Event::Toast(p, ToastLevel::Warn));
    }
    runner::run(src, app, cfg.mouse).await?;
    Ok(ExitCode::SUCCESS)
}
