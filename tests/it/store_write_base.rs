//! A snapshot write compared against what was read from the store while the
//! sync was still fetching (`Store::read_write_base`): the same rows as a
//! write that reads at the end, and a base that another snapshot made stale
//! is read again rather than trusted.

use chrono::{TimeZone, Utc};
use serde_json::json;
use zoomscope::store::{Parts, SnapshotWrite, Store, WriteBase};

use crate::support::store::*;

fn write<'a>(built: &'a zoomscope::graph::Built, parts: &'a Parts) -> SnapshotWrite<'a> {
    SnapshotWrite {
        profile: "p",
        account_id: ACCOUNT_ID,
        started_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        finished_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 5).unwrap(),
        graph: &built.graph,
        raw: &built.raw,
        steps: &[],
        refreshed: parts,
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn base(store: &Store) -> WriteBase {
    store.read_write_base("p").unwrap()
}

#[test]
fn a_base_read_ahead_writes_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let parts = Parts::all();
    let mut o = org(400);
    // First sync: nothing stored yet, the base is empty.
    let b1 = build(&o, None);
    let s1 = store
        .save_snapshot_with(&write(&b1, &parts), base(&store))
        .unwrap();
    assert_eq!(s1.counts["zoom_user"], 400);
    let versions = count(&store, "SELECT count(*) FROM entity_versions");
    let rels = count(&store, "SELECT count(*) FROM rel_versions");
    // Unchanged re-sync: no new row.
    store
        .save_snapshot_with(&write(&b1, &parts), base(&store))
        .unwrap();
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions
    );
    assert_eq!(count(&store, "SELECT count(*) FROM rel_versions"), rels);
    // One user changes: one version closed, one added; its raw JSON follows.
    o.users[3].role_id = Some("1".into());
    let mut raw = o.users[3].raw.to_value();
    raw["role_id"] = json!("1");
    o.users[3].raw = raw.into();
    let b2 = build(&o, None);
    store
        .save_snapshot_with(&write(&b2, &parts), base(&store))
        .unwrap();
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions + 1
    );
    let key = zoomscope::sync::convert::user_key(&o.users[3]);
    let stored: serde_json::Value =
        serde_json::from_str(&store.raw_json("p", &key).unwrap().unwrap()).unwrap();
    assert_eq!(stored["role_id"], "1");
}

#[test]
fn a_base_made_stale_by_another_snapshot_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let parts = Parts::all();
    let o = org(300);
    let built = build(&o, None);
    // Read before the first snapshot exists, used after it was written: if
    // it were trusted, every entity would be inserted a second time.
    let stale = base(&store);
    store.save_snapshot(&write(&built, &parts)).unwrap();
    let versions = count(&store, "SELECT count(*) FROM entity_versions");
    let rels = count(&store, "SELECT count(*) FROM rel_versions");
    let entities = count(&store, "SELECT count(*) FROM entities");
    let info = store
        .save_snapshot_with(&write(&built, &parts), stale)
        .unwrap();
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions
    );
    assert_eq!(count(&store, "SELECT count(*) FROM rel_versions"), rels);
    assert_eq!(count(&store, "SELECT count(*) FROM entities"), entities);
    assert_eq!(info.counts["zoom_user"], 300);
    assert_eq!(
        store.latest("p").unwrap().unwrap().graph.entity_count(),
        built.graph.entity_count()
    );
}
