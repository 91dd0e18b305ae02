//! The fetch plan: steps with dependencies, run concurrently under the
//! client's limiter, each ending ok / skipped (missing scope) / failed; and
//! beside it, [`convert`]: what the steps fetched, turned into the graph's
//! entities (secrets redacted there, once).
//!
//! CONTRACT (used by store, TUI, CLI, alerts):
//! [`SyncOptions`], [`SyncEvent`] (progress over a channel), [`StepRecord`],
//! [`StepOutcome`], [`SyncResult`], [`Parts`], and
//! `pub async fn run(client, options, events) -> Result<SyncResult, SyncError>`.

mod account;
mod assemble;
pub mod convert;
mod listings;
mod members;
mod parts;
mod plan;
mod run;
mod step;
mod user_settings;

use serde::{Deserialize, Serialize};

/// Which entity and relationship types a sync fetched completely (the
/// store's type: the rest is carried over from the previous snapshot).
pub use crate::store::Parts;
pub use run::{FetchedUserSettings, fetch_user_settings, run};

use crate::graph::Graph;

#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// The account being synced (the `zoom_account:<account_id>` key).
    pub account_id: String,
    /// Fetch the four user-settings bodies for every user (`sync --user-settings`).
    pub user_settings: bool,
    /// `tag.AccountName` for every entity, when the profile sets it.
    pub account_name: Option<String>,
    /// Users whose settings are fetched at once with `user_settings`
    /// (0: [`DEFAULT_SETTINGS_CONCURRENCY`]).
    pub settings_concurrency: usize,
    /// Role id → role name from the profile's latest snapshot
    /// (`Store::role_names`). Used only when this sync gets no roles list
    /// (the roles step skipped or failed): users' `roleName` then comes
    /// from these, as the store carries the roles themselves over.
    pub known_role_names: std::collections::HashMap<String, String>,
}

/// How one step ended. Stored with the snapshot and shown in the account pane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StepOutcome {
    Ok {
        count: usize,
    },
    /// The credentials lack a scope; `scopes` are the ones that would allow it.
    Skipped {
        scopes: Vec<String>,
    },
    Failed {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Step name, e.g. `fetch-users`, `fetch-groups`, `fetch-group-members`.
    pub step: String,
    pub outcome: StepOutcome,
    pub duration_ms: u64,
}

/// Progress events, sent as the sync runs.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncEvent {
    StepStarted {
        step: String,
    },
    /// Items fetched so far in a step, and the total when known.
    StepProgress {
        step: String,
        done: usize,
        total: Option<u64>,
    },
    StepFinished(StepRecord),
    /// A transient condition worth a toast (rate limited, retrying).
    Notice(String),
}

/// What a sync produced.
#[derive(Debug, Clone, Default)]
pub struct SyncResult {
    pub graph: Graph,
    /// `_key` → raw JSON of that entity as the API sent it (secrets redacted).
    pub raw: std::collections::HashMap<String, String>,
    pub steps: Vec<StepRecord>,
    /// The parts of `graph` that are complete. The store carries every
    /// other part over from the previous snapshot, so a step that was
    /// skipped or failed never replaces the last good data of that part.
    pub refreshed: Parts,
}

/// Why a sync produced nothing at all. Everything else (a missing scope, a
/// failed listing) becomes a [`StepOutcome`] and the sync goes on.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The credentials were refused; no part can be fetched.
    #[error("{0}")]
    Auth(crate::zoom::ZoomError),
}
