//! Schema and migrations of the whole SQLite file, versioned with
//! SQLite's `user_version`. This is the only place a table of the file is
//! created or altered: the snapshot tables, and the `employees_*` and
//! `alerts_*` tables whose rows those modules read and write.
//!
//! Each entry of [`MIGRATIONS`] moves the schema up one version and runs in
//! its own transaction together with the `user_version` bump, so a killed
//! migration leaves the previous version intact. Never edit a released
//! migration: append a new one.

use rusqlite::{Connection, Transaction};

use super::StoreError;
use super::codec::{bytes_hash, decode_props, etype_from_code, props_hash};
use crate::graph::Interner;

/// One step of the schema.
enum Migration {
    /// Plain SQL.
    Sql(&'static str),
    /// Steps SQL cannot express alone (e.g. adding a column only where it is
    /// missing).
    Code(fn(&Transaction<'_>) -> rusqlite::Result<()>),
}

/// Migrations, in order; entry i moves version i to i + 1.
const MIGRATIONS: &[Migration] = &[
    // 1: profiles, snapshots, versioned entities and relationships, raw
    // JSON of the current state, lazily fetched user settings.
    Migration::Sql(V1),
    // 2: the employee and alert tables, until then created on first use by
    // their modules.
    Migration::Code(adopt_employees_and_alerts),
    // 3: compressed JSON (a per-profile zstd dictionary) and content hashes
    // computed without encoding.
    Migration::Code(compress_and_rehash),
    // 4: the operation log and sign-in activity, append-only beside the
    // snapshots (never rewritten by them), and how far each was fetched.
    Migration::Sql(V4_ACTIVITY),
    // 5: how far each event alert rule has read the activity events (the
    // row id of the last event it evaluated), so no event fires twice.
    Migration::Sql(V5_EVENT_CURSOR),
    // 6: syncs that failed completely (no snapshot written), so the Changes
    // timeline shows them among the snapshots.
    Migration::Sql(V6_SYNC_FAILURES),
];

/// One row per event rule: the `activity_events.id` of the last event it
/// evaluated. Row ids only grow, and an event re-fetched on the overlap of
/// two fetches is ignored by that table's UNIQUE constraint, so it never
/// gets a new id.
const V5_EVENT_CURSOR: &str = "
    CREATE TABLE alerts_event_cursor (
        profile       TEXT NOT NULL,
        rule          TEXT NOT NULL,
        last_event_id INTEGER NOT NULL,
        PRIMARY KEY (profile, rule)
    );
";

/// A sync that wrote no snapshot (bad credentials, the server down,
/// nothing fetched): when, and why in words already fit to print.
const V6_SYNC_FAILURES: &str = "
    CREATE TABLE sync_failures (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        profile   TEXT NOT NULL,
        failed_at TEXT NOT NULL,  -- RFC 3339, UTC, seconds
        reason    TEXT NOT NULL
    );
    CREATE INDEX sync_failures_by_time ON sync_failures(profile, failed_at);
";

/// Activity events keep every field Zoom sent; the UNIQUE constraint is
/// the de-duplication of overlapping fetches (absent values are stored as
/// '' so that they compare equal).
const V4_ACTIVITY: &str = "
    CREATE TABLE activity_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        profile     TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('operation', 'sign_in')),
        time        TEXT NOT NULL,  -- RFC 3339, UTC, seconds
        actor       TEXT NOT NULL,
        category    TEXT NOT NULL,
        action      TEXT NOT NULL,
        detail      TEXT NOT NULL,
        ip_address  TEXT NOT NULL,
        client_type TEXT NOT NULL,
        version     TEXT NOT NULL,
        fetched_at  TEXT NOT NULL,
        UNIQUE (profile, source, time, actor, category, action, detail, ip_address, client_type, version)
    );
    CREATE INDEX activity_events_by_time ON activity_events(profile, time);
    CREATE TABLE activity_cursor (
        profile    TEXT NOT NULL,
        source     TEXT NOT NULL,
        fetched_to TEXT NOT NULL,  -- the last day (yyyy-mm-dd) fetched completely
        PRIMARY KEY (profile, source)
    );
";

const V1: &str = r#"
    CREATE TABLE profiles (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE snapshots (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        profile_id  INTEGER NOT NULL REFERENCES profiles(id),
        account_id  TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        refreshed   TEXT NOT NULL,  -- JSON Parts
        steps       TEXT NOT NULL,  -- JSON [StepRecord]
        counts      TEXT NOT NULL   -- JSON {type: count}
    );
    CREATE INDEX snapshots_by_profile ON snapshots(profile_id, id);

    -- One row per entity key ever seen in a profile; versions refer to it
    -- by eid, so relationships are three integers.
    CREATE TABLE entities (
        eid        INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        key        TEXT NOT NULL,
        etype      INTEGER NOT NULL,
        UNIQUE (profile_id, key)
    );
    -- A version is valid in snapshots [valid_from, valid_to) of its profile;
    -- valid_to NULL means "still valid" (part of the latest snapshot).
    CREATE TABLE entity_versions (
        eid        INTEGER NOT NULL REFERENCES entities(eid),
        profile_id INTEGER NOT NULL,
        valid_from INTEGER NOT NULL,
        valid_to   INTEGER,
        hash       INTEGER NOT NULL,
        flags      INTEGER NOT NULL DEFAULT 0,  -- bit 0: user with settings
        props      BLOB NOT NULL                -- JSON object, sorted names
    );
    CREATE INDEX entity_versions_open ON entity_versions(profile_id) WHERE valid_to IS NULL;
    CREATE INDEX entity_versions_span ON entity_versions(profile_id, valid_from);

    CREATE TABLE rel_versions (
        profile_id INTEGER NOT NULL,
        rtype      INTEGER NOT NULL,
        from_eid   INTEGER NOT NULL,
        to_eid     INTEGER NOT NULL,
        valid_from INTEGER NOT NULL,
        valid_to   INTEGER,
        props      BLOB            -- NULL when the relationship has none
    );
    CREATE INDEX rel_versions_open ON rel_versions(profile_id) WHERE valid_to IS NULL;
    CREATE INDEX rel_versions_span ON rel_versions(profile_id, valid_from);

    -- Raw API JSON (redacted) of the current state only.
    CREATE TABLE raw_json (
        eid  INTEGER PRIMARY KEY REFERENCES entities(eid),
        hash INTEGER NOT NULL,
        json TEXT NOT NULL
    );

    -- Settings fetched lazily for one user since the latest snapshot.
    CREATE TABLE user_settings (
        eid         INTEGER PRIMARY KEY REFERENCES entities(eid),
        snapshot_id INTEGER NOT NULL,  -- the latest snapshot when fetched
        fetched_at  TEXT NOT NULL,
        props       BLOB NOT NULL,     -- JSON object
        raw         TEXT               -- JSON of the settings bodies
    );
    "#;

/// The employee tables (roster imports, each kept; manual link/unlink
/// decisions) and the alert tables (each rule's last evaluation and
/// matches; the webhook outbox). Files written before version 2 may already
/// hold them, created ad hoc by `employees/storage.rs` and `alerts/state.rs`
/// with exactly these columns, except that rosters imported before alias
/// domains were stored lack `alias_domains`: hence `IF NOT EXISTS` here
/// (this migration adopts them, rows included) and the column patch below.
const V2_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS employees_rosters (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        profile        TEXT NOT NULL,
        imported_at    TEXT NOT NULL,
        source         TEXT NOT NULL,
        employee_count INTEGER NOT NULL,
        error_count    INTEGER NOT NULL,
        alias_domains  TEXT NOT NULL DEFAULT '[]'  -- JSON [[domain]]
    );
    CREATE INDEX IF NOT EXISTS employees_rosters_profile ON employees_rosters(profile, id);
    CREATE TABLE IF NOT EXISTS employees_rows (
        roster_id          INTEGER NOT NULL REFERENCES employees_rosters(id) ON DELETE CASCADE,
        key                TEXT NOT NULL,
        line               INTEGER NOT NULL,
        employee_id        TEXT,
        employee_unique_id TEXT,
        email              TEXT NOT NULL,
        other_emails       TEXT NOT NULL,  -- JSON [email]
        name               TEXT,
        first_name         TEXT,
        last_name          TEXT,
        department         TEXT,
        title              TEXT,
        manager_email      TEXT,
        status             TEXT NOT NULL,
        termination_date   TEXT,
        PRIMARY KEY (roster_id, key)
    );
    CREATE TABLE IF NOT EXISTS employees_decisions (
        profile      TEXT NOT NULL,
        user_ref     TEXT NOT NULL,
        employee_key TEXT NOT NULL,
        decision     TEXT NOT NULL CHECK (decision IN ('link', 'unlink')),
        decided_at   TEXT NOT NULL,
        PRIMARY KEY (profile, user_ref, employee_key)
    );

    CREATE TABLE IF NOT EXISTS alerts_rule_state (
        profile      TEXT NOT NULL,
        rule         TEXT NOT NULL,
        query        TEXT NOT NULL,
        evaluated_at TEXT NOT NULL,
        count        INTEGER NOT NULL,
        fired        INTEGER NOT NULL,
        PRIMARY KEY (profile, rule)
    );
    CREATE TABLE IF NOT EXISTS alerts_rule_match (
        profile    TEXT NOT NULL,
        rule       TEXT NOT NULL,
        entity_key TEXT NOT NULL,
        PRIMARY KEY (profile, rule, entity_key)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS alerts_outbox (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        profile    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        text       TEXT NOT NULL,
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
";

fn adopt_employees_and_alerts(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(V2_TABLES)?;
    let has_aliases = tx
        .prepare(
            "SELECT 1 FROM pragma_table_info('employees_rosters') WHERE name = 'alias_domains'",
        )?
        .exists([])?;
    if !has_aliases {
        tx.execute_batch(
            "ALTER TABLE employees_rosters ADD COLUMN alias_domains TEXT NOT NULL DEFAULT '[]'",
        )?;
    }
    Ok(())
}

/// Version 3: each profile may hold a zstd dictionary (`profiles.zdict`,
/// see `compress.rs`); properties and raw JSON written from now on are zstd
/// frames, while rows written before stay plain JSON and read as they are.
/// Content hashes change definition (`codec::props_hash` walks the
/// properties instead of hashing their encoding), so the hashes of the
/// current versions and raw rows are recomputed here: otherwise the first
/// sync after the upgrade would see every entity as changed and write a
/// needless version of each.
fn compress_and_rehash(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch("ALTER TABLE profiles ADD COLUMN zdict BLOB")?;
    let corrupt = |e: StoreError| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    };
    let mut names = Interner::default();
    let mut scratch = Vec::new();
    let mut hashes: Vec<(i64, i64)> = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT v.rowid, e.etype, v.props FROM entity_versions v \
             JOIN entities e ON e.eid = v.eid WHERE v.valid_to IS NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let etype = etype_from_code(r.get(1)?).map_err(corrupt)?;
            let props = decode_props(r.get_ref(2)?.as_bytes()?, &mut names, &mut scratch)
                .map_err(corrupt)?;
            hashes.push((r.get(0)?, props_hash(etype, &props)));
        }
    }
    let mut update = tx.prepare("UPDATE entity_versions SET hash = ?2 WHERE rowid = ?1")?;
    for (row, hash) in hashes.drain(..) {
        update.execute([row, hash])?;
    }
    {
        let mut stmt = tx.prepare("SELECT eid, json FROM raw_json")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            hashes.push((r.get(0)?, bytes_hash(r.get_ref(1)?.as_bytes()?)));
        }
    }
    let mut update = tx.prepare("UPDATE raw_json SET hash = ?2 WHERE eid = ?1")?;
    for (eid, hash) in hashes {
        update.execute([eid, hash])?;
    }
    Ok(())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`]. The version is read again
/// inside each write transaction, so two processes opening a new store at
/// once do not both run a migration.
pub fn migrate(conn: &Connection) -> Result<(), StoreError> {
    loop {
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found < 0 {
            return Err(StoreError::Corrupt(format!(
                "negative user_version {found}"
            )));
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if let Some(migration) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        {
            match migration {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Code(step) => step(&tx)?,
            }
            tx.pragma_update(None, "user_version", version + 1)?;
        }
        tx.commit()?;
    }
}
