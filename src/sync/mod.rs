//! The fetch plan: steps with dependencies, run concurrently under the
//! client's limiter, each ending ok / skipped (missing scope) / failed.
//!
//! SKELETON. CONTRACT (used by store, TUI, CLI, alerts):
//! [`SyncOptions`], [`SyncEvent`] (progress over a channel), [`StepRecord`],
//! [`StepOutcome`], [`SyncResult`], and `pub async fn run(client, options, events) -> Result<SyncResult, SyncError>`.

use serde::{Deserialize, Serialize};

use crate::graph::Graph;

#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Fetch the four user-settings bodies for every user (`sync --user-settings`).
    pub user_settings: bool,
    /// `tag.AccountName` for every entity, when the profile sets it.
    pub account_name: Option<String>,
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
}
