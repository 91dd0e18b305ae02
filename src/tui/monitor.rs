//! What the Changes and Alerts panes show: the sync timeline with its diffs,
//! the "changed in the last sync" set that marks table rows, and the alert
//! rules' latest results. Computed behind the I/O edge (never on the UI
//! thread) after each load or sync and delivered as one
//! [`Event::Monitor`](super::action::Event::Monitor).

use chrono::Utc;

use crate::alerts::{self, AlertState, EvalOptions, Rule, RuleResult, RuleStatus};
use crate::diff::{self, ChangedSet, GraphDiff};
use crate::graph::Graph;
use crate::store::{Store, SyncFailureRecord};

/// How many of the newest syncs are diffed up front. Each diff loads two
/// snapshots, so older ones are listed without counts.
pub const DIFFED_SYNCS: usize = 5;

/// One sync in the Changes pane, newest first.
#[derive(Debug, Clone)]
pub struct SyncChanges {
    pub snapshot: i64,
    /// When the sync finished (UTC, for display).
    pub finished_at: String,
    /// `None`: older than [`DIFFED_SYNCS`], not diffed. The first snapshot
    /// has an empty diff.
    pub diff: Option<GraphDiff>,
    pub first: bool,
    /// The steps of this sync that failed (their parts kept the earlier
    /// data): a partial sync is marked as such in the timeline.
    pub failed_steps: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Monitor {
    pub syncs: Vec<SyncChanges>,
    /// Entities the newest sync added or changed (rows to mark).
    pub changed: ChangedSet,
    /// Every enabled rule's result of the latest evaluation.
    pub alerts: Vec<RuleResult>,
    /// Why the rules could not be evaluated, when they could not.
    pub alerts_error: Option<String>,
    /// Syncs that wrote no snapshot, newest first: the Changes timeline
    /// shows them among the snapshots.
    pub failures: Vec<SyncFailureRecord>,
}

impl Monitor {
    /// Builds the view from already computed parts (used by tests and by
    /// [`compute`]).
    /// The alerts are kept worst severity first, then by rule name: the
    /// order the Alerts pane lists them in (its rows index this list).
    pub fn new(syncs: Vec<SyncChanges>, mut alerts: Vec<RuleResult>) -> Monitor {
        sort_by_severity(&mut alerts);
        let changed = syncs
            .first()
            .and_then(|s| s.diff.as_ref())
            .map(ChangedSet::from_diff)
            .unwrap_or_default();
        Monitor {
            syncs,
            changed,
            alerts,
            alerts_error: None,
            failures: Vec::new(),
        }
    }

    /// A sync that just failed (the store has it too; the next monitor
    /// data read from it replaces this one), newest first.
    pub fn push_failure(&mut self, failure: SyncFailureRecord) {
        self.failures.insert(0, failure);
    }

    /// Rules that fired now and had not fired (or matched less) at the last
    /// recorded evaluation (`check`, `watch`).
    pub fn newly_fired(&self) -> impl Iterator<Item = &RuleResult> {
        self.alerts.iter().filter(|r| r.newly_fired)
    }

    /// How the newest sync changed an entity, as a row marker (+ ~ •).
    pub fn marker(&self, key: &str) -> Option<&'static str> {
        use crate::diff::ChangeKind;
        Some(match self.changed.kind(key)? {
            ChangeKind::Added => "+",
            ChangeKind::Changed => "~",
            ChangeKind::Related => "•",
        })
    }

    /// Keeps an older sync's diff, once computed on demand; false when the
    /// snapshot is not in the timeline.
    pub fn set_diff(&mut self, snapshot: i64, diff: crate::diff::GraphDiff) -> bool {
        match self.syncs.iter_mut().find(|s| s.snapshot == snapshot) {
            Some(s) => {
                s.diff = Some(diff);
                true
            }
            None => false,
        }
    }

    /// The newly fired rules not already announced by `shown`, the monitor
    /// the app showed before this one. The TUI does not record evaluations
    /// (so a refresh finds the same alerts new until `check` or `watch`
    /// reports them); this keeps it from announcing one alert per refresh:
    /// a rule that fired in `shown` with every one of today's new matches
    /// already among its matches is old news.
    pub fn newly_fired_since<'a>(
        &'a self,
        shown: Option<&'a Monitor>,
    ) -> impl Iterator<Item = &'a RuleResult> {
        self.newly_fired().filter(move |r| {
            let before = shown.and_then(|m| m.alerts.iter().find(|b| b.rule == r.rule));
            !before.is_some_and(|b| {
                b.fired()
                    && r.new_matches
                        .iter()
                        .all(|k| b.matches.binary_search(k).is_ok())
            })
        })
    }
}

/// Worst severity first (critical, high, medium, low, info), then by name.
pub fn sort_by_severity(alerts: &mut [RuleResult]) {
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

/// The state word of a rule's result.
pub fn state_word(r: &RuleResult) -> &'static str {
    match r.status {
        RuleStatus::Fired => "fired",
        RuleStatus::Quiet => "quiet",
        RuleStatus::Skipped { .. } => "skipped",
        RuleStatus::Error { .. } => "error",
    }
}

/// Reads the profile's timeline from the store (diffing the newest
/// [`DIFFED_SYNCS`]; `diff::timeline`'s entries diffed pairwise) and
/// evaluates `rules` on `graph` (the latest snapshot as shown) against the
/// alert state as `check` and `watch` left it. The TUI reads that state and
/// never advances it: a match it shows stays new for the next `check` or
/// `watch`, which report it (webhook included).
pub fn compute(
    store: &Store,
    profile: &str,
    graph: &Graph,
    previous: Option<&Graph>,
    rules: Result<Vec<Rule>, String>,
) -> Result<Monitor, String> {
    let syncs = sync_changes(store, profile)?;
    let mut m = with_alerts(store, profile, syncs, graph, previous, rules);
    m.failures = store.sync_failures(profile).map_err(|e| e.to_string())?;
    Ok(m)
}

/// The timeline half of [`compute`]: the newest [`DIFFED_SYNCS`] syncs
/// diffed. Holds at most two snapshots at a time and none when it returns,
/// so a caller can load the alert rules' graphs after it rather than beside it.
pub fn sync_changes(store: &Store, profile: &str) -> Result<Vec<SyncChanges>, String> {
    let mut no_cache = DiffCache::default();
    let mut changes = sync_changes_cached(store, profile, &mut no_cache)?;
    changes.latest_previous = None;
    Ok(changes.syncs)
}

/// Diffs already computed, by (snapshot, the snapshot it is compared
/// with). A stored snapshot never changes, so neither does its diff: after
/// a sync only the newest one is new.
pub type DiffCache = std::collections::HashMap<(i64, i64), GraphDiff>;

/// The timeline, and the graph the alert rules compare with when it was
/// loaded anyway.
pub struct Changes {
    pub syncs: Vec<SyncChanges>,
    /// The snapshot the latest is compared with, and its graph as stored
    /// (no overlay), when that diff had to be computed.
    pub latest_previous: Option<(crate::store::SnapshotId, Graph)>,
}

/// As [`sync_changes`], taking diffs from `cache` and leaving in it those of
/// this timeline.
pub fn sync_changes_cached(
    store: &Store,
    profile: &str,
    cache: &mut DiffCache,
) -> Result<Changes, String> {
    let timeline = diff::timeline(store, profile).map_err(|e| e.to_string())?;
    let load = |id| {
        store
            .load(profile, id)
            .map(|s| s.graph)
            .map_err(|e| e.to_string())
    };
    let mut syncs = Vec::with_capacity(timeline.len());
    let mut kept = DiffCache::default();
    // Newest first: the older side of one diff is the newer side of the
    // next, so each snapshot is loaded once.
    let mut newer: Option<Graph> = None;
    let mut latest_previous: Option<(crate::store::SnapshotId, Graph)> = None;
    for (i, entry) in timeline.iter().enumerate() {
        let diff = match entry.previous {
            None => Some(GraphDiff::default()),
            Some(prev) if i < DIFFED_SYNCS => {
                let pair = (entry.snapshot.id.0, prev.0);
                let d = match cache.remove(&pair) {
                    Some(d) => {
                        newer = None;
                        d
                    }
                    None => {
                        let owned;
                        let new: &Graph = match (newer.take(), latest_previous.as_ref()) {
                            (Some(g), _) => {
                                owned = g;
                                &owned
                            }
                            // The latest's previous is this entry's snapshot.
                            (None, Some((id, g))) if i == 1 && *id == entry.snapshot.id => g,
                            _ => {
                                owned = load(entry.snapshot.id)?;
                                &owned
                            }
                        };
                        let old = load(prev)?;
                        let mut d = diff::diff(&old, new);
                        // Who made the changes, as every diff of the
                        // timeline says (`TimelineEntry::diff`).
                        let start = timeline
                            .get(i + 1)
                            .filter(|p| p.snapshot.id == prev)
                            .map(|p| p.snapshot.started_at);
                        d.attribution = diff::attribution(
                            store,
                            profile,
                            (start, Some(entry.snapshot.finished_at)),
                            (&d, &old, new),
                        )
                        .map_err(|e| e.to_string())?;
                        if i == 0 {
                            latest_previous = Some((prev, old));
                        } else {
                            newer = Some(old);
                        }
                        d
                    }
                };
                kept.insert(pair, d.clone());
                Some(d)
            }
            Some(_) => None,
        };
        syncs.push(SyncChanges {
            snapshot: entry.snapshot.id.0,
            finished_at: entry
                .snapshot
                .finished_at
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            diff,
            first: entry.previous.is_none(),
            failed_steps: entry
                .snapshot
                .steps
                .iter()
                .filter(|s| matches!(s.outcome, crate::sync::StepOutcome::Failed { .. }))
                .map(|s| s.step.clone())
                .collect(),
        });
    }
    *cache = kept;
    Ok(Changes {
        syncs,
        latest_previous,
    })
}

/// The alerts half of [`compute`]: `rules` evaluated on `graph` (and
/// `previous`, for `changed` triggers), beside the timeline `syncs`.
pub fn with_alerts(
    store: &Store,
    profile: &str,
    syncs: Vec<SyncChanges>,
    graph: &Graph,
    previous: Option<&Graph>,
    rules: Result<Vec<Rule>, String>,
) -> Monitor {
    let (results, error) = match rules {
        Ok(rules) => match evaluate(store, profile, graph, previous, &rules) {
            Ok(r) => (r, None),
            Err(e) => (Vec::new(), Some(e)),
        },
        Err(e) => (Vec::new(), Some(e)),
    };
    let mut m = Monitor::new(syncs, results);
    m.alerts_error = error;
    m
}

fn evaluate(
    store: &Store,
    profile: &str,
    graph: &Graph,
    previous: Option<&Graph>,
    rules: &[Rule],
) -> Result<Vec<RuleResult>, String> {
    let state = AlertState::open(store.conn(), profile).map_err(|e| e.to_string())?;
    alerts::evaluate_read_only(
        graph,
        rules,
        &state,
        EvalOptions {
            now: Utc::now(),
            previous,
        },
    )
    .map_err(|e| e.to_string())
}
