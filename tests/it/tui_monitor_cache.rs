//! The TUI's monitor rounds against a real SQLite store: diffs kept from an
//! earlier round are the diffs a fresh round computes, a round after a new
//! snapshot diffs only that one, and the previous snapshot it loads for that
//! diff is the one the alert rules compare with.

use serde_json::json;
use zoomscope::graph::Graph;
use zoomscope::store::{SnapshotId, Store};
use zoomscope::tui::monitor::{self, DiffCache};

use crate::support;
use crate::support::alerts::save_at_minute;

/// The fixture with one user's department changed to `dept`.
fn with_dept(dept: &str) -> Graph {
    let mut g = support::tui::org(40);
    let id = g.of_type(zoomscope::graph::EntityType::User)[0];
    g.update_props(id, |p| p.insert(std::sync::Arc::from("dept"), json!(dept)));
    g
}

fn diffs(syncs: &[monitor::SyncChanges]) -> Vec<(i64, Option<zoomscope::diff::GraphDiff>)> {
    syncs.iter().map(|s| (s.snapshot, s.diff.clone())).collect()
}

#[test]
fn cached_rounds_equal_fresh_ones_and_diff_only_the_new_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("z.db")).unwrap();
    save_at_minute(&store, &with_dept("Sales"), 0);
    save_at_minute(&store, &with_dept("Security"), 15);
    let ids: Vec<SnapshotId> = store
        .snapshots("default")
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();

    let mut cache = DiffCache::default();
    let first = monitor::sync_changes_cached(&store, "default", &mut cache).unwrap();
    assert_eq!(
        diffs(&first.syncs),
        diffs(&monitor::sync_changes(&store, "default").unwrap())
    );
    assert!(
        first.syncs[0]
            .diff
            .as_ref()
            .is_some_and(|d| *d != Default::default()),
        "the department change is in the newest diff"
    );
    let (prev_id, prev) = first.latest_previous.expect("loaded for the newest diff");
    assert_eq!(prev_id, ids[0]);
    assert_eq!(
        prev.entity_count(),
        store.load("default", ids[0]).unwrap().graph.entity_count()
    );
    assert_eq!(cache.len(), 1, "one diffed pair: {:?}", cache.keys());

    // Nothing new: every diff comes from the cache, no snapshot is loaded.
    let again = monitor::sync_changes_cached(&store, "default", &mut cache).unwrap();
    assert_eq!(diffs(&again.syncs), diffs(&first.syncs));
    assert!(again.latest_previous.is_none());

    // A new snapshot: only its diff is computed, against the one before it.
    save_at_minute(&store, &with_dept("Legal"), 30);
    let third = monitor::sync_changes_cached(&store, "default", &mut cache).unwrap();
    assert_eq!(
        diffs(&third.syncs),
        diffs(&monitor::sync_changes(&store, "default").unwrap())
    );
    assert_eq!(third.latest_previous.map(|(id, _)| id), Some(ids[1]));
    assert_eq!(cache.len(), 2);
}
