//! Schema and migrations, versioned with SQLite's `user_version`.
//!
//! Each entry of [`MIGRATIONS`] moves the schema up one version and runs in
//! its own transaction together with the `user_version` bump, so a killed
//! migration leaves the previous version intact. Never edit a released
//! migration: append a new one.

use rusqlite::Connection;

use super::StoreError;

/// Migrations, in order; entry i moves version i to i + 1.
const MIGRATIONS: &[&str] = &[
    // 1: profiles, snapshots, versioned entities and relationships, raw
    // JSON of the current state, lazily fetched user settings.
    r#"
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
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`]. The version is read again
/// inside each write transaction, so two processes opening a new store at
/// once do not both run a migration.
pub(super) fn migrate(conn: &Connection) -> Result<(), StoreError> {
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
        if let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version + 1)?;
        }
        tx.commit()?;
    }
}
