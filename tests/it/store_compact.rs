//! The store's compactness against real SQLite files: JSON stored as zstd
//! frames (a dictionary trained on the profile's own data) reads back
//! whole, an unchanged re-sync writes no row, and a file of the previous
//! schema keeps reading and is not rewritten by its first re-sync.

use crate::support::store as support;

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use rusqlite::Connection;
use support::*;
use zoomscope::graph::{Built, Graph};
use zoomscope::store::{Parts, SnapshotWrite, Store};

fn save(store: &Store, profile: &str, graph: &Graph, raw: &HashMap<String, String>) {
    store
        .save_snapshot(&SnapshotWrite {
            profile,
            account_id: ACCOUNT_ID,
            started_at: Utc::now(),
            finished_at: Utc::now(),
            graph,
            raw,
            steps: &[],
            refreshed: &Parts::all(),
        })
        .unwrap();
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn entity_set(g: &Graph) -> BTreeSet<String> {
    g.entities().map(|(_, e)| e.to_json().to_string()).collect()
}

fn rel_set(g: &Graph) -> BTreeSet<String> {
    g.relationships()
        .map(|(id, _)| g.relationship_json(id).to_string())
        .collect()
}

/// Every table's rows, each as text, in order: what the file holds.
fn table_rows(store: &Store, table: &str) -> Vec<String> {
    let mut stmt = store
        .conn()
        .prepare(&format!(
            "SELECT quote(t.rowid), * FROM \"{table}\" t ORDER BY 1"
        ))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            row.push(format!("{:?}", r.get_ref(i)?));
        }
        Ok(row.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn built(n: usize) -> Built {
    build(&org(n), Some("Acme"))
}

#[test]
fn a_large_snapshot_is_compressed_and_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let b = built(2_000);
    save(&store, "p", &b.graph, &b.raw);

    let dict: Option<Vec<u8>> = store
        .conn()
        .query_row("SELECT zdict FROM profiles WHERE name = 'p'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        dict.is_some_and(|d| !d.is_empty()),
        "a dictionary was trained"
    );
    // Every value is a zstd frame, not JSON text.
    let magic = "X'28B52FFD'";
    let plain = count(
        &store,
        &format!(
            "SELECT count(*) FROM entity_versions WHERE typeof(props) != 'blob' OR substr(props, 1, 4) != {magic}"
        ),
    );
    assert_eq!(plain, 0);
    let plain_raw = count(
        &store,
        &format!("SELECT count(*) FROM raw_json WHERE substr(json, 1, 4) != {magic}"),
    );
    assert_eq!(plain_raw, 0);
    let stored = count(&store, "SELECT sum(length(props)) FROM entity_versions")
        + count(&store, "SELECT sum(length(json)) FROM raw_json");
    let json: usize = b.raw.values().map(String::len).sum::<usize>()
        + b.graph
            .entities()
            .map(|(_, e)| {
                let m: serde_json::Map<String, serde_json::Value> = e
                    .props
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect();
                serde_json::Value::Object(m).to_string().len()
            })
            .sum::<usize>();
    assert!(
        (stored as usize) * 3 < json,
        "stored {stored} bytes for {json} bytes of JSON"
    );

    // It reads back whole: graph, raw JSON, role names; and after reopening.
    drop(store);
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let latest = store.latest("p").unwrap().unwrap();
    assert_eq!(entity_set(&latest.graph), entity_set(&b.graph));
    assert_eq!(rel_set(&latest.graph), rel_set(&b.graph));
    for (key, raw) in b.raw.iter().step_by(97) {
        assert_eq!(
            store.raw_json("p", key).unwrap().as_deref(),
            Some(raw.as_str())
        );
    }
    assert!(!store.role_names("p").unwrap().is_empty());

    // A second profile trains its own dictionary and reads back too.
    let small = built(50);
    save(&store, "q", &small.graph, &small.raw);
    let q = store.latest("q").unwrap().unwrap();
    assert_eq!(entity_set(&q.graph), entity_set(&small.graph));
    let p = store.latest("p").unwrap().unwrap();
    assert_eq!(entity_set(&p.graph), entity_set(&b.graph));
}

#[test]
fn an_unchanged_resync_writes_no_row_and_a_change_writes_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let b = built(1_000);
    save(&store, "p", &b.graph, &b.raw);
    let tables = [
        "entities",
        "entity_versions",
        "rel_versions",
        "raw_json",
        "profiles",
    ];
    let before: Vec<Vec<String>> = tables.iter().map(|t| table_rows(&store, t)).collect();

    // The same account again (rebuilt, as a re-sync converts it anew).
    let again = built(1_000);
    save(&store, "p", &again.graph, &again.raw);
    let after: Vec<Vec<String>> = tables.iter().map(|t| table_rows(&store, t)).collect();
    for ((t, b), a) in tables.iter().zip(&before).zip(&after) {
        assert!(b == a, "{t} changed on an unchanged re-sync");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM snapshots"), 2);

    // One user changed: one closed version, one new one, one raw row.
    let mut o = org(1_000);
    let mut raw = o.users[3].raw.to_value();
    raw["last_login_time"] = serde_json::json!("2026-11-30T08:00:00Z");
    o.users[3].last_login_time = Some("2026-11-30T08:00:00Z".into());
    o.users[3].raw = raw.into();
    let changed = build(&o, Some("Acme"));
    let versions = count(&store, "SELECT count(*) FROM entity_versions");
    save(&store, "p", &changed.graph, &changed.raw);
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions + 1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM entity_versions WHERE valid_to IS NOT NULL"
        ),
        1
    );
    let latest = store.latest("p").unwrap().unwrap();
    assert_eq!(entity_set(&latest.graph), entity_set(&changed.graph));
}

/// The v1 fixture (`tests/fixtures/store-v1.sql`) written to a file with
/// plain SQLite.
fn v1_store(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("zoomscope.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch(include_str!("../fixtures/store-v1.sql"))
        .unwrap();
    path
}

#[test]
fn a_previous_schema_file_reads_back_and_its_resync_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_store(dir.path());
    let store = Store::open(&path).unwrap();
    let latest = store.latest("demo").unwrap().unwrap();
    assert_eq!(latest.graph.entity_count(), 44);
    // Every entity's raw JSON (plain text from before) reads back.
    let mut raw = HashMap::new();
    for (_, e) in latest.graph.entities() {
        if let Some(json) = store.raw_json("demo", &e.key).unwrap() {
            serde_json::from_str::<serde_json::Value>(&json).unwrap();
            raw.insert(e.key.clone(), json);
        }
    }
    assert!(raw.len() >= 30, "{} raw bodies", raw.len());
    let first = store.snapshots("demo").unwrap()[0].id;
    assert!(store.load("demo", first).unwrap().graph.entity_count() > 0);

    // The same account synced again: the recomputed hashes match, so no
    // version is written and no raw row rewritten.
    let tables = ["entity_versions", "rel_versions", "raw_json"];
    let before: Vec<Vec<String>> = tables.iter().map(|t| table_rows(&store, t)).collect();
    save(&store, "demo", &latest.graph, &raw);
    let after: Vec<Vec<String>> = tables.iter().map(|t| table_rows(&store, t)).collect();
    for ((t, b), a) in tables.iter().zip(&before).zip(&after) {
        assert!(b == a, "{t} rewritten by the first re-sync after migrating");
    }
    let again = store.latest("demo").unwrap().unwrap();
    assert_eq!(entity_set(&again.graph), entity_set(&latest.graph));
}
