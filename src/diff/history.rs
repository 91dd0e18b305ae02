//! Diffs over a profile's stored history: the timeline of snapshots the
//! TUI's Changes pane lists, each diffed against the one before it on demand
//! (loading two 100,000-user snapshots takes a moment, so nothing is diffed
//! until asked).

use chrono::{DateTime, Utc};

use crate::graph::Graph;
use crate::store::{SnapshotId, SnapshotInfo, Store, StoreError};

use super::{Attribution, GraphDiff, diff};

/// One sync in the timeline, newest first in [`timeline`].
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub snapshot: SnapshotInfo,
    /// The snapshot before it (what its diff compares with); `None` for the first.
    pub previous: Option<SnapshotId>,
}

impl TimelineEntry {
    /// What this sync changed (empty for the first snapshot), with the
    /// operation-log entries logged from the previous snapshot's start to
    /// this one's end joined to its entities ([`GraphDiff::attribution`]).
    pub fn diff(&self, store: &Store) -> Result<GraphDiff, StoreError> {
        let Some(prev) = self.previous else {
            return Ok(GraphDiff::default());
        };
        let profile = &self.snapshot.profile;
        let old = store.load(profile, prev)?.graph;
        let new = store.load(profile, self.snapshot.id)?.graph;
        let mut d = diff(&old, &new);
        let start = store
            .snapshots(profile)?
            .into_iter()
            .find(|s| s.id == prev)
            .map(|s| s.started_at);
        d.attribution = attribution(
            store,
            profile,
            (start, Some(self.snapshot.finished_at)),
            (&d, &old, &new),
        )?;
        Ok(d)
    }
}

/// Who made the changes of `diff` (`d` from `old` to `new`): the stored
/// operation-log entries logged in `span`, from the older snapshot's start
/// (a change made while it was fetched may not be in it) to the newer one's
/// end, joined to its entities.
pub fn attribution(
    store: &Store,
    profile: &str,
    span: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    diff: (&GraphDiff, &Graph, &Graph),
) -> Result<Attribution, StoreError> {
    let events = store.activity(profile, span.0, span.1)?;
    let (d, old, new) = diff;
    Ok(Attribution::of(d, old, new, &events))
}

/// The profile's snapshots, newest first, each with the id of the one before it.
pub fn timeline(store: &Store, profile: &str) -> Result<Vec<TimelineEntry>, StoreError> {
    let snaps = store.snapshots(profile)?;
    let mut out: Vec<TimelineEntry> = Vec::with_capacity(snaps.len());
    let mut previous = None;
    for s in snaps {
        let id = s.id;
        out.push(TimelineEntry {
            snapshot: s,
            previous,
        });
        previous = Some(id);
    }
    out.reverse();
    Ok(out)
}

/// Diffs two stored snapshots of a profile.
pub fn diff_snapshots(
    store: &Store,
    profile: &str,
    from: SnapshotId,
    to: SnapshotId,
) -> Result<GraphDiff, StoreError> {
    let old = store.load(profile, from)?.graph;
    let new = store.load(profile, to)?.graph;
    Ok(diff(&old, &new))
}

/// What the latest sync changed: the diff of the last two snapshots (empty
/// with fewer than two). The TUI marks rows from its [`GraphDiff::changed_set`].
pub fn last_sync(store: &Store, profile: &str) -> Result<GraphDiff, StoreError> {
    match timeline(store, profile)?.first() {
        Some(e) => e.diff(store),
        None => Ok(GraphDiff::default()),
    }
}
