//! One schema owner: the store's versioned migrations create and migrate
//! every table of the SQLite file, the employee and alert tables included.
//! A file written by the version before (schema 1, with those tables made
//! ad hoc by their modules; `tests/fixtures/store-v1.sql`, dumped from a
//! real `--demo` data dir) migrates keeping every row, and the app reads it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;
use zoomscope::alerts::{self, AlertState, AlertsConfig, EvalOptions, RuleStatus};
use zoomscope::employees::{self, DecisionKind};
use zoomscope::store::{SCHEMA_VERSION, Store};

/// The file as the previous version left it.
const V1: &str = include_str!("../fixtures/store-v1.sql");
/// Its profile (the `--demo` one).
const PROFILE: &str = "demo";

/// Writes the v1 fixture to `dir/zoomscope.db` with plain SQLite (no
/// zoomscope code), as the previous version left it on disk.
fn v1_file(dir: &Path) -> PathBuf {
    let path = dir.join("zoomscope.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(V1).unwrap();
    path
}

fn user_version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// Every table of the file (SQLite's own aside) with its row count.
fn row_counts(conn: &Connection) -> BTreeMap<String, i64> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// Every table of `before` keeps its rows; tables a later migration added
/// (the activity log of version 4) start empty.
#[track_caller]
fn assert_kept(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) {
    for (table, n) in after {
        assert_eq!(
            before.get(table).copied().unwrap_or(0),
            *n,
            "{table}: every table keeps its rows"
        );
    }
    for table in before.keys() {
        assert!(after.contains_key(table), "{table} kept");
    }
}

/// Every table with its columns (name, type, not null, default, key), and
/// every index: what the schema is, whichever way it was reached.
fn schema_shape(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )
        .unwrap();
    let objects: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for (kind, name, table) in objects {
        let shape = if kind == "table" {
            let mut cols = conn
                .prepare(&format!(
                    "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{name}')"
                ))
                .unwrap();
            cols.query_map([], |r| {
                Ok(format!(
                    "{} {} notnull={} default={:?} pk={}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        } else {
            vec![format!("{kind} on {table}")]
        };
        out.insert(name, shape);
    }
    out
}

#[test]
fn a_store_written_by_the_previous_version_migrates_keeping_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_file(dir.path());
    let before = {
        let conn = Connection::open(&path).unwrap();
        assert_eq!(user_version(&conn), 1);
        row_counts(&conn)
    };
    // The fixture really holds what it must: employee and alert rows.
    for table in [
        "employees_rosters",
        "employees_rows",
        "employees_decisions",
        "alerts_rule_state",
        "alerts_rule_match",
        "entity_versions",
    ] {
        assert!(
            before[table] > 0,
            "fixture without {table} rows: {before:?}"
        );
    }

    let store = Store::open(&path).unwrap();
    assert_eq!(user_version(store.conn()), SCHEMA_VERSION);
    assert_kept(&before, &row_counts(store.conn()));

    // The latest snapshot and the history.
    let snaps = store.snapshots(PROFILE).unwrap();
    assert_eq!(snaps.len(), 2);
    let latest = store.latest(PROFILE).unwrap().unwrap();
    assert_eq!(latest.info.id, snaps[1].id);
    assert_eq!(latest.graph.entity_count(), 44);

    // The roster, its alias domains and the manual decision.
    let roster = employees::load(store.conn(), PROFILE).unwrap().unwrap();
    assert_eq!(roster.employees.len(), 31);
    assert_eq!(roster.info.employee_count, 31);
    assert_eq!(
        roster.info.alias_domains,
        [["northwind.example", "northwind-corp.example"]]
    );
    assert_eq!(roster.decisions.len(), 1);
    assert_eq!(roster.decisions[0].kind, DecisionKind::Unlink);
    assert_eq!(
        roster.decisions[0].user_ref,
        "zoom_user:8dbUa6gGgzCDfCwDtid9CA"
    );
    assert_eq!(roster.decisions[0].employee_key, "employee:E100014");

    // The alert state: stored as `check --offline` left it, and read as
    // the baseline of the next evaluation (the same graph: nothing new).
    let state = AlertState::open(store.conn(), PROFILE).unwrap();
    let stored = state.get("inactive-user-licensed").unwrap().unwrap();
    assert!(stored.fired);
    assert_eq!(stored.count, 1);
    assert!(stored.keys.contains("zoom_user:-1lWl5ZNAOg2S69n1W1ZNA"));
    let rules: Vec<_> = alerts::load_rules(&AlertsConfig::default())
        .unwrap()
        .into_iter()
        .filter(|r| r.name == "inactive-user-licensed")
        .collect();
    let r = alerts::evaluate(
        &latest.graph,
        &rules,
        Some(&state),
        EvalOptions {
            now: stored.evaluated_at,
            previous: None,
        },
    )
    .unwrap();
    assert_eq!(r[0].status, RuleStatus::Fired);
    assert!(
        !r[0].newly_fired,
        "the stored state is the baseline: a standing alert, not a new one"
    );
}

#[test]
fn rosters_from_before_alias_domains_gain_the_column_and_keep_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_file(dir.path());
    let before = {
        let conn = Connection::open(&path).unwrap();
        // As the version before alias domains created the table.
        conn.execute_batch("ALTER TABLE employees_rosters DROP COLUMN alias_domains")
            .unwrap();
        row_counts(&conn)
    };
    let store = Store::open(&path).unwrap();
    assert_kept(&before, &row_counts(store.conn()));
    let all = employees::storage::rosters(store.conn(), PROFILE).unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].alias_domains.is_empty());
    assert_eq!(
        employees::load(store.conn(), PROFILE)
            .unwrap()
            .unwrap()
            .employees
            .len(),
        31
    );
}

#[test]
fn a_migrated_file_and_a_new_one_have_the_same_schema() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = Store::open(&v1_file(dir.path())).unwrap();
    let fresh = Store::open(&dir.path().join("new.db")).unwrap();
    let shape = schema_shape(fresh.conn());
    // The new file has the employee and alert tables from the migrations
    // alone: nothing else creates them any more.
    for table in [
        "employees_rosters",
        "employees_rows",
        "employees_decisions",
        "alerts_rule_state",
        "alerts_rule_match",
        "alerts_outbox",
    ] {
        assert!(shape.contains_key(table), "{table} missing: {shape:?}");
    }
    assert_eq!(schema_shape(migrated.conn()), shape);
}

#[test]
fn alert_state_on_an_unmigrated_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("plain.db")).unwrap();
    let err = match AlertState::open(&conn, PROFILE) {
        Ok(_) => panic!("opened alert state in a file without its tables"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("schema 0"), "{err}");
    assert!(err.contains("Store::open"), "{err}");
}

#[test]
fn the_binary_reads_a_migrated_file() {
    let dir = tempfile::tempdir().unwrap();
    v1_file(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_zoomscope"))
        .args(["--demo", "--demo-users", "30", "--data-dir"])
        .arg(dir.path())
        .args(["check", "--offline", "--json"])
        .env("ZOOMSCOPE_CONFIG", dir.path().join("none.toml"))
        .env_remove("ZOOMSCOPE_PROFILE")
        .env_remove("ZOOMSCOPE_DATA_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // exit 1: rules fired
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fired = v["fired"].as_array().unwrap();
    // The offboarding rule needs the stored roster (with its alias domains
    // and decision) overlaid on the stored snapshot.
    let leavers = fired
        .iter()
        .find(|f| f["rule"] == "terminated-but-active")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(leavers["count"], 2, "{v}");
    let conn = Connection::open(dir.path().join("zoomscope.db")).unwrap();
    assert_eq!(user_version(&conn), SCHEMA_VERSION);
}
