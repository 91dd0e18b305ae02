//! The app layer: what both front ends (`cli` and `tui`) stand on.
//!
//! A [`Context`] is built from plain [`Options`] (no clap types) and holds
//! the resolved paths, the config file, the chosen profile, the Zoom client,
//! logging and, with `--demo`, the in-process sandbox. On top of it sit the
//! shared services, each written once:
//!
//! - the latest graph and the graph of a given snapshot, with the employee
//!   overlay applied ([`Context::latest_graph`], [`Context::graph_at`]);
//! - the alert rules and the `[alerts]` config ([`Context::load_rules`]);
//! - the employee match options ([`Context::match_options`]);
//! - one sync ([`Context::sync_and_store`]) returning one [`SyncOutcome`]
//!   that every caller reads the same way, with one mapping to an exit code.
//!
//! The context is `Send + Sync` and meant to be shared as `Arc<Context>`.
//! It keeps no open store connection: each store access opens its own
//! (SQLite in WAL mode serves several at once) and runs on tokio's blocking
//! pool ([`Context::with_store`]), so a slow read never holds up the tasks
//! that report sync progress.

mod context;
mod demo;
mod error;
pub mod exit;
mod logging;
mod options;
mod outcome;
pub mod services;
mod sync;

pub use context::Context;
pub(crate) use demo::DEMO_PROFILE;
pub use error::AppError;
pub use options::{Options, Paths};
pub use outcome::{SyncOutcome, SyncReport};
