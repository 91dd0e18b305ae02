//! The services every front end shares, written once: the graph as the
//! rules and views see it (a snapshot with the employee roster overlaid),
//! the alert rules, the employee match options.
//!
//! The free functions work on an open [`Store`] (call them inside
//! [`Context::with_store`] or with [`Context::open_store`]); the `Context`
//! methods read the config and run the store part on the blocking pool.

use chrono::Utc;

use super::{AppError, Context, SyncReport};
use crate::alerts::{self, AlertsConfig, Rule};
use crate::employees::{EmployeesConfig, MatchOptions};
use crate::graph::{EntityType, Graph, RelType};
use crate::store::{Snapshot, SnapshotId, Store};
use crate::sync::SyncResult;

/// Adds the profile's employee roster to `graph` (`employee` entities and
/// IS relationships), so every reader sees the same graph. No roster: no
/// change.
pub fn overlay(
    store: &Store,
    profile: &str,
    graph: &mut Graph,
    opts: &MatchOptions,
) -> Result<(), AppError> {
    crate::employees::overlay(graph, store.conn(), profile, opts).map_err(AppError::Overlay)?;
    Ok(())
}

/// The latest snapshot of `profile`, overlaid.
pub(crate) fn latest(
    store: &Store,
    profile: &str,
    opts: &MatchOptions,
) -> Result<Option<Snapshot>, AppError> {
    let Some(mut snapshot) = store.latest(profile)? else {
        return Ok(None);
    };
    overlay(store, profile, &mut snapshot.graph, opts)?;
    Ok(Some(snapshot))
}

/// The snapshot a sync just stored, overlaid, as [`latest`] would load it,
/// without loading it when it can be helped: when the sync refreshed every
/// part the store holds and no settings were carried over, the store holds exactly
/// the sync's graph, so that graph is handed on (its raw JSON dropped
/// first) instead of a second copy being read back while the first is still
/// in memory. Otherwise (a part carried over, settings kept) it is read back.
pub(crate) fn stored_by_sync(
    store: &Store,
    profile: &str,
    report: SyncReport,
    opts: &MatchOptions,
) -> Result<Option<Snapshot>, AppError> {
    let SyncReport { result, snapshot } = report;
    let SyncResult {
        mut graph,
        raw,
        refreshed,
        ..
    } = result;
    drop(raw);
    let Some(stored) = store.latest_info(profile)? else {
        drop(graph);
        return latest(store, profile, opts);
    };
    // A part this sync did not refresh was carried over by the store: the
    // sync's graph lacks it unless the store has none of it either (group
    // admins, say, are fetched only with `--user-settings`).
    let stored_none = |t: &str| stored.counts.get(t).is_none_or(|n| *n == 0);
    let every_part = [
        EntityType::Account,
        EntityType::User,
        EntityType::Group,
        EntityType::Role,
    ]
    .into_iter()
    .all(|t| refreshed.has_entity(t))
        && RelType::ALL
            .into_iter()
            .filter(|t| *t != RelType::UserIsEmployee)
            .all(|t| refreshed.has_relationship(t) || stored_none(t.as_str()));
    let as_stored = every_part
        && (refreshed.user_settings || !store.latest_has_user_settings(profile)?)
        && stored.id == snapshot.id;
    if !as_stored {
        drop(graph);
        return latest(store, profile, opts);
    }
    graph.shrink_to_fit();
    overlay(store, profile, &mut graph, opts)?;
    Ok(Some(Snapshot {
        info: snapshot,
        graph,
    }))
}

/// Snapshot `id` of `profile`, overlaid.
pub fn graph_at(
    store: &Store,
    profile: &str,
    id: SnapshotId,
    opts: &MatchOptions,
) -> Result<Graph, AppError> {
    let mut graph = store.load(profile, id)?.graph;
    overlay(store, profile, &mut graph, opts)?;
    Ok(graph)
}

/// What alert rules are evaluated on: the latest snapshot and the one
/// before it (for `changed` triggers), both overlaid.
pub struct RuleInputs {
    pub graph: Graph,
    pub previous: Option<Graph>,
}

/// The rule inputs of `profile`; `None` before its first snapshot.
pub fn rule_inputs(
    store: &Store,
    profile: &str,
    opts: &MatchOptions,
) -> Result<Option<RuleInputs>, AppError> {
    let mut snaps = store.snapshots(profile)?;
    let Some(latest) = snaps.pop() else {
        return Ok(None);
    };
    let graph = graph_at(store, profile, latest.id, opts)?;
    let previous = match snaps.last() {
        Some(p) => Some(graph_at(store, profile, p.id, opts)?),
        None => None,
    };
    Ok(Some(RuleInputs { graph, previous }))
}

impl Context {
    /// The `[employees]` table of the config file (defaults when absent).
    pub fn employees_config(&self) -> Result<EmployeesConfig, AppError> {
        Ok(self.config().section_as("employees")?.unwrap_or_default())
    }

    /// How rosters are matched to users today (alias domains from the config).
    pub fn match_options(&self) -> Result<MatchOptions, AppError> {
        Ok(self
            .employees_config()?
            .match_options(Utc::now().date_naive()))
    }

    /// The `[alerts]` settings of the config file; rule files are relative
    /// to the config file.
    pub fn alerts_config(&self) -> Result<AlertsConfig, AppError> {
        let mut c = match self.config().section("alerts") {
            Some(v) => AlertsConfig::from_value(v.clone())?,
            None => AlertsConfig::default(),
        };
        if let Some(dir) = self.paths().config_file.parent() {
            for f in &mut c.files {
                if f.is_relative() {
                    *f = dir.join(&*f);
                }
            }
        }
        Ok(c)
    }

    /// The enabled rules (built-in pack, the config's files, minus `disabled`).
    pub fn load_rules(&self) -> Result<Vec<Rule>, AppError> {
        Ok(alerts::load_rules(&self.alerts_config()?)?)
    }

    /// The latest snapshot of the profile, overlaid (off the executor).
    pub async fn latest_graph(&self) -> Result<Option<Snapshot>, AppError> {
        let opts = self.match_options()?;
        self.with_store(move |store, profile| latest(store, profile, &opts))
            .await
    }

    /// Snapshot `id` of the profile, overlaid (off the executor).
    pub async fn graph_at(&self, id: SnapshotId) -> Result<Graph, AppError> {
        let opts = self.match_options()?;
        self.with_store(move |store, profile| graph_at(store, profile, id, &opts))
            .await
    }
}
