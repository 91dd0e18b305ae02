//! The fetch plan: steps with dependencies, run concurrently under the
//! client's limiter, each ending ok (with any single items it had to leave
//! out named), skipped (a missing scope, or unavailable to the account:
//! Zoom's message) or failed; and
//! beside it, [`convert`]: what the steps fetched, turned into the graph's
//! entities (secrets redacted there, once).
//!
//! CONTRACT (used by store, TUI, CLI, alerts):
//! [`SyncOptions`], [`SyncEvent`] (progress over a channel), [`StepRecord`],
//! [`StepOutcome`] ([`SkipKind`], [`ItemSkips`]), [`SyncResult`], [`Parts`], and
//! `pub async fn run(client, options, events) -> Result<SyncResult, SyncError>`.

mod account;
mod activity;
mod assemble;
pub mod convert;
mod earlier;
mod group_settings;
mod listings;
mod members;
mod parts;
mod plan;
mod run;
mod shape;
mod step;
pub(crate) mod user_settings;

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
    /// The account entity's raw JSON from the profile's latest snapshot
    /// (`Store::raw_json` of `zoom_account:<id>`: `{"owner", "summary",
    /// "settings", "security_settings", "lock_settings",
    /// "managed_domains"}`). An account part whose step is skipped or fails
    /// is built from its earlier body here, so its properties are kept.
    pub previous_account: Option<serde_json::Value>,
    /// Role id → that role's raw JSON from the profile's latest snapshot.
    /// A listed role whose detail is not read this time keeps the
    /// privileges stored there.
    pub previous_roles: std::collections::HashMap<String, serde_json::Value>,
    /// Reads entities' stored raw JSON (the profile's latest snapshot) by
    /// `_key`, for the few items a sync could not read this time (one
    /// user's settings): they keep what was stored. `None`: nothing kept.
    pub earlier_raw: Option<EarlierRaw>,
    /// Reads the members stored for groups and roles (the profile's latest
    /// snapshot), for the few whose member listing could not be read this
    /// time: they keep their earlier memberships. `None`: nothing kept.
    pub earlier_members: Option<EarlierMembers>,
    /// The last day of each log the store holds completely
    /// (`Store::activity_fetched_to`); the logs are fetched from there.
    pub activity_cursor: ActivityCursor,
}

/// The last day fetched completely, per log (`None`: never fetched).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityCursor {
    pub operation: Option<chrono::NaiveDate>,
    pub sign_in: Option<chrono::NaiveDate>,
}

/// One log as a sync fetched it completely: its events (oldest window
/// first) and the last day covered, for the store's cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPart {
    pub source: crate::activity::Source,
    pub events: Vec<crate::activity::Event>,
    pub fetched_to: chrono::NaiveDate,
}

/// Stored memberships by group or role id (see
/// [`SyncOptions::earlier_members`]). Called on a blocking thread with the
/// relationship type (`zoom_group_has_user` or `zoom_user_assigned_role`)
/// and the group or role ids wanted; returns id → member user ids, leaving
/// out ids with nothing stored.
#[derive(Clone)]
pub struct EarlierMembers(pub std::sync::Arc<ReadMembers>);

/// Relationship type and container ids in, id → member user ids out.
pub type ReadMembers = dyn Fn(crate::graph::RelType, &[String]) -> std::collections::HashMap<String, Vec<String>>
    + Send
    + Sync;

impl EarlierMembers {
    pub fn read(
        &self,
        rel: crate::graph::RelType,
        ids: &[String],
    ) -> std::collections::HashMap<String, Vec<String>> {
        (self.0)(rel, ids)
    }
}

impl std::fmt::Debug for EarlierMembers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EarlierMembers(..)")
    }
}

/// Stored raw JSON by entity `_key` (see [`SyncOptions::earlier_raw`]).
/// Called on a blocking thread, once per sync, with the keys wanted; keys
/// with nothing stored are left out of the answer.
#[derive(Clone)]
pub struct EarlierRaw(pub std::sync::Arc<ReadRaw>);

/// Keys in, `_key` → stored raw JSON out.
pub type ReadRaw = dyn Fn(&[String]) -> std::collections::HashMap<String, String> + Send + Sync;

impl EarlierRaw {
    pub fn read(&self, keys: &[String]) -> std::collections::HashMap<String, String> {
        (self.0)(keys)
    }
}

impl std::fmt::Debug for EarlierRaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EarlierRaw(..)")
    }
}

/// How one step ended. Stored with the snapshot and shown in the account pane.
///
/// Fields added since the first stored snapshots default when read, so
/// older snapshots' step lists still load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StepOutcome {
    Ok {
        count: usize,
        /// Items of this step left out on their own (a malformed user, one
        /// user's settings or one role's detail that could not be read),
        /// while the rest of the step completed.
        #[serde(default, skip_serializing_if = "ItemSkips::is_empty")]
        skipped: ItemSkips,
    },
    /// The part was not fetched, and its earlier data is kept.
    Skipped {
        #[serde(default)]
        kind: SkipKind,
        /// Why, for people: Zoom's message for an unavailable part, the
        /// missing scopes for the other kind.
        #[serde(default)]
        reason: String,
        /// The scopes that would allow it ([`SkipKind::MissingScope`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        scopes: Vec<String>,
    },
    Failed {
        reason: String,
    },
}

impl StepOutcome {
    /// A step that completed with `count` items and none left out.
    pub fn ok(count: usize) -> Self {
        StepOutcome::Ok {
            count,
            skipped: ItemSkips::default(),
        }
    }

    /// Skipped because the credentials lack one of `scopes`.
    pub fn missing_scope(scopes: Vec<String>) -> Self {
        let reason = if scopes.is_empty() {
            "the credentials lack a scope this part needs".to_string()
        } else {
            format!("missing scope: needs {}", scopes.join(" or "))
        };
        StepOutcome::Skipped {
            kind: SkipKind::MissingScope,
            reason,
            scopes,
        }
    }

    /// Skipped because Zoom says the part is unavailable (plan, permission,
    /// API disabled); `message` is Zoom's.
    pub fn unavailable(message: impl Into<String>) -> Self {
        StepOutcome::Skipped {
            kind: SkipKind::Unavailable,
            reason: message.into(),
            scopes: Vec::new(),
        }
    }
}

/// Why a part was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipKind {
    /// The credentials lack a scope (Zoom's 4711/4700/104 answers, or the
    /// client's check of the granted scopes before asking).
    #[default]
    MissingScope,
    /// Zoom answered that the part is not available to this account or
    /// app: 400 code 200 ("No permission.", "Only available for Paid
    /// account.") or 403 (see <https://developers.zoom.us/docs/api/rest/error-definitions/>).
    Unavailable,
}

/// Items a step left out while the rest of it completed: how many, and the
/// first few named with why (the full list could be thousands long).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemSkips {
    pub count: usize,
    /// "what: why" for the first [`ItemSkips::SAMPLE`] items.
    #[serde(default)]
    pub sample: Vec<String>,
}

impl ItemSkips {
    /// Items named in full; the rest are only counted.
    pub const SAMPLE: usize = 5;

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Counts one more item left out, naming it while the sample has room.
    pub fn add(&mut self, item: impl std::fmt::Display, why: impl std::fmt::Display) {
        self.count += 1;
        if self.sample.len() < Self::SAMPLE {
            self.sample.push(format!("{item}: {why}"));
        }
    }

    /// "2 items skipped: user u1: …; role 2: …" (with "…and N more").
    pub fn describe(&self) -> String {
        let noun = if self.count == 1 { "item" } else { "items" };
        let mut s = format!("{} {noun} skipped: {}", self.count, self.sample.join("; "));
        let more = self.count.saturating_sub(self.sample.len());
        if more > 0 {
            s.push_str(&format!("; and {more} more"));
        }
        s
    }
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
    /// The logs fetched completely this time (append-only in the store,
    /// beside the snapshot; a log whose step failed or was skipped is absent).
    pub activity: Vec<ActivityPart>,
}

/// Why a sync produced nothing at all. Everything else (a missing scope, a
/// failed listing) becomes a [`StepOutcome`] and the sync goes on.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The credentials were refused; no part can be fetched.
    #[error("{0}")]
    Auth(crate::zoom::ZoomError),
}
