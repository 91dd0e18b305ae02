//! SQLite snapshot store.
//!
//! Each sync is a *snapshot* of one profile's account. History is kept
//! compact by versioning: an entity (or relationship) has version rows, each
//! valid from one snapshot id up to (not including) another, with a content
//! hash; a snapshot writes a row only for what changed since the previous
//! one. Loading snapshot S selects the rows valid at S; loading the latest is
//! an indexed query over the open rows (`valid_to IS NULL`).
//!
//! Every write is one SQLite transaction (WAL mode), so a process killed in
//! the middle of a sync leaves the previous snapshot whole.
//!
//! Partial refresh: [`Parts`] says which entity and relationship types the
//! new graph holds completely. Other types are carried over from the
//! previous snapshot (a failed or skipped part never replaces the last good
//! data of that part); carried relationships whose endpoints no longer exist
//! are dropped. User settings are carried the same way unless
//! [`Parts::user_settings`] is set (see `write.rs`).
//!
//! Settings the explorer fetches for one user are a cache beside the
//! history ([`Store::save_user_settings`], [`Store::cached_user_settings`]),
//! never part of a snapshot: otherwise the next snapshot would record
//! them as changed from nothing and settings rules would fire on them.
//!
//! Raw API JSON is kept for the current state only (one row per entity,
//! rewritten when it changes), not per version: it is for the detail view,
//! while history lives in the versioned properties.
//!
//! Both are stored as zstd frames compressed with a dictionary trained on
//! the profile's own data (`compress.rs`): a 100,000-user snapshot takes
//! ~60 MB instead of ~150 MB. Whether an entity changed is decided by a
//! hash of its properties as they are (`codec::props_hash`), so an
//! unchanged entity of a re-sync is neither encoded nor compressed.
//!
//! Secrets: the store stores what it is given. Sync's converter
//! (`src/sync/convert/`) redacts every property and raw body before
//! anything gets here, lazily fetched settings included.

mod activity;
mod codec;
mod compress;
mod read;
mod schema;
mod sync_failures;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::graph::{EntityType, Graph, RelType};
use crate::sync::StepRecord;

pub use activity::{activity_appended_after, sign_in_addresses};
pub use schema::{SCHEMA_VERSION, migrate};
pub use sync_failures::SyncFailureRecord;
pub use write::WriteBase;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("store holds unreadable data: {0}")]
    Corrupt(String),
    #[error(
        "the store was written by a newer zoomscope (schema {found}, this build knows {supported})"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("profile {profile} has no snapshot {id}")]
    UnknownSnapshot { profile: String, id: i64 },
    #[error("profile {profile} has no entity {key}")]
    UnknownEntity { profile: String, key: String },
}

/// A snapshot's id (global across profiles, increasing with time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SnapshotId(pub i64);

/// Which parts of a graph are complete: those replace the previous
/// snapshot's data; the rest is carried over from it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parts {
    pub entities: BTreeSet<EntityType>,
    pub relationships: BTreeSet<RelType>,
    /// The `zoom_user` entities carry freshly fetched settings
    /// (`sync --user-settings`). When false, each user keeps the settings
    /// it had (from the previous snapshot or a lazy fetch).
    pub user_settings: bool,
}

impl Parts {
    /// Every entity and relationship type complete; settings not fetched.
    pub fn all() -> Self {
        Parts {
            entities: EntityType::ALL.into_iter().collect(),
            relationships: RelType::ALL.into_iter().collect(),
            user_settings: false,
        }
    }

    /// Nothing complete: everything is carried over.
    pub fn none() -> Self {
        Parts::default()
    }

    /// The same, with settings marked fresh.
    pub fn with_user_settings(mut self) -> Self {
        self.user_settings = true;
        self
    }

    /// The same without one entity type (e.g. groups skipped).
    pub fn without_entity(mut self, t: EntityType) -> Self {
        self.entities.remove(&t);
        self
    }

    /// The same without one relationship type.
    pub fn without_relationship(mut self, t: RelType) -> Self {
        self.relationships.remove(&t);
        self
    }

    pub fn has_entity(&self, t: EntityType) -> bool {
        self.entities.contains(&t)
    }

    pub fn has_relationship(&self, t: RelType) -> bool {
        self.relationships.contains(&t)
    }
}

/// What [`Store::save_snapshot`] writes.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotWrite<'a> {
    pub profile: &'a str,
    pub account_id: &'a str,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub graph: &'a Graph,
    /// `_key` → redacted raw JSON (the builder's `Built::raw`).
    pub raw: &'a std::collections::HashMap<String, String>,
    pub steps: &'a [StepRecord],
    pub refreshed: &'a Parts,
}

/// A stored snapshot's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub id: SnapshotId,
    pub profile: String,
    pub account_id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub steps: Vec<StepRecord>,
    /// Entities per `_type` and relationships per `_type` in the snapshot
    /// (after carry-over).
    pub counts: BTreeMap<String, usize>,
    /// Which parts this sync refreshed (the rest was carried over).
    pub refreshed: Parts,
}

/// One user's settings as the explorer last fetched them.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedSettings {
    pub fetched_at: DateTime<Utc>,
    /// Flattened, redacted settings properties.
    pub props: Vec<(String, Value)>,
}

/// A loaded snapshot.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub info: SnapshotInfo,
    pub graph: Graph,
}

/// The store: one SQLite file (mode 0600), WAL journal.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) and migrates the store at `path`. The file
    /// is created readable by its owner only; an existing file is tightened
    /// to 0600.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        create_private_file(path)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // With WAL, NORMAL loses no committed transaction on a process crash
        // (only possibly on power loss), and makes commits much cheaper.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Loading a 100,000-user snapshot reads ~100 MB of pages; mapping
        // them saves a read() and a copy per page.
        conn.pragma_update(None, "mmap_size", 512i64 * 1024 * 1024)?;
        schema::migrate(&conn)?;
        Ok(Store { conn })
    }

    /// The connection, for modules that read and write rows of their own
    /// tables (`employees_*`, `alerts_*`). Those tables are created and
    /// migrated here (`schema.rs`) like every other: a new table or column
    /// is a new migration there, never a `CREATE` in the module.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Saves a snapshot in one transaction; writes only what changed.
    pub fn save_snapshot(&self, w: &SnapshotWrite<'_>) -> Result<SnapshotInfo, StoreError> {
        write::save_snapshot(&self.conn, w, None)
    }

    /// Reads what the next snapshot write of `profile` compares against
    /// (open versions, hashes, relationships, dictionary), so a sync can
    /// read it while it is still fetching and pass it to
    /// [`Store::save_snapshot_with`].
    pub fn read_write_base(&self, profile: &str) -> Result<WriteBase, StoreError> {
        write::read_base(&self.conn, profile)
    }

    /// As [`Store::save_snapshot`], comparing against `base` read earlier
    /// (read again when a snapshot of the profile was written since).
    pub fn save_snapshot_with(
        &self,
        w: &SnapshotWrite<'_>,
        base: WriteBase,
    ) -> Result<SnapshotInfo, StoreError> {
        write::save_snapshot(&self.conn, w, Some(base))
    }

    /// The latest snapshot of a profile, or None when it has none.
    pub fn latest(&self, profile: &str) -> Result<Option<Snapshot>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(None);
        };
        let Some(id) = self.latest_id(pid)? else {
            return Ok(None);
        };
        read::load(&self.conn, pid, profile, id, true).map(Some)
    }

    /// The latest snapshot's description (its counts, steps, times) without
    /// its graph: one row, read in a millisecond at any size, so a front end
    /// can show the account's size while the graph loads.
    pub fn latest_info(&self, profile: &str) -> Result<Option<SnapshotInfo>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(None);
        };
        let Some(id) = self.latest_id(pid)? else {
            return Ok(None);
        };
        read::snapshot_info(&self.conn, pid, profile, id)
    }

    /// Whether a user of the latest snapshot has settings properties (from
    /// `sync --user-settings`, carried by later syncs that do not fetch them).
    pub fn latest_has_user_settings(&self, profile: &str) -> Result<bool, StoreError> {
        match self.profile_id(profile)? {
            Some(pid) => read::latest_has_user_settings(&self.conn, pid),
            None => Ok(false),
        }
    }

    /// A given snapshot of a profile.
    pub fn load(&self, profile: &str, id: SnapshotId) -> Result<Snapshot, StoreError> {
        let unknown = || StoreError::UnknownSnapshot {
            profile: profile.to_string(),
            id: id.0,
        };
        let pid = self.profile_id(profile)?.ok_or_else(unknown)?;
        let latest = self.latest_id(pid)?.ok_or_else(unknown)?;
        read::load(&self.conn, pid, profile, id, id == latest)
    }

    /// The snapshots of a profile, oldest first.
    pub fn snapshots(&self, profile: &str) -> Result<Vec<SnapshotInfo>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(Vec::new());
        };
        read::snapshot_infos(&self.conn, pid, profile)
    }

    /// Profiles that have at least one snapshot, by name.
    pub fn profiles(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT p.name FROM profiles p WHERE EXISTS \
             (SELECT 1 FROM snapshots s WHERE s.profile_id = p.id) ORDER BY p.name",
        )?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(names)
    }

    /// The raw API JSON (redacted) of an entity in the profile's current
    /// state; a user's lazily fetched settings bodies appear under
    /// `_settings`.
    pub fn raw_json(&self, profile: &str, entity_key: &str) -> Result<Option<String>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(None);
        };
        read::raw_json(&self.conn, pid, entity_key)
    }

    /// [`Store::raw_json`] of many keys at once (keys without stored JSON
    /// are absent from the map).
    pub fn raw_json_many(
        &self,
        profile: &str,
        keys: &[String],
    ) -> Result<HashMap<String, String>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(HashMap::new());
        };
        read::raw_json_many(&self.conn, pid, keys)
    }

    /// Role id → name of the roles in the profile's latest snapshot (empty
    /// when it has none). A sync that gets no roles list names users'
    /// roles from these (`SyncOptions::known_role_names`).
    pub fn role_names(&self, profile: &str) -> Result<HashMap<String, String>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(HashMap::new());
        };
        read::role_names(&self.conn, pid)
    }

    /// Saves one user's lazily fetched settings (flattened properties and
    /// the bodies as JSON, both redacted by the caller: stored as given) in the settings cache, with the fetch
    /// time. The cache is not history: loaded snapshots, diffs and alert
    /// rules never see it (read it with [`Store::cached_user_settings`]);
    /// only a sync with [`Parts::user_settings`] versions settings.
    pub fn save_user_settings(
        &self,
        profile: &str,
        user_key: &str,
        props: &[(String, Value)],
        raw: Option<&str>,
    ) -> Result<(), StoreError> {
        let unknown = || StoreError::UnknownEntity {
            profile: profile.to_string(),
            key: user_key.to_string(),
        };
        let pid = self.profile_id(profile)?.ok_or_else(unknown)?;
        write::save_user_settings(&self.conn, pid, user_key, props, raw)?.ok_or_else(unknown)
    }

    /// One user's lazily fetched settings, if any were cached.
    pub fn cached_user_settings(
        &self,
        profile: &str,
        user_key: &str,
    ) -> Result<Option<CachedSettings>, StoreError> {
        let Some(pid) = self.profile_id(profile)? else {
            return Ok(None);
        };
        read::cached_user_settings(&self.conn, pid, user_key)
    }

    fn profile_id(&self, profile: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM profiles WHERE name = ?1",
                params![profile],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn latest_id(&self, pid: i64) -> Result<Option<SnapshotId>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT max(id) FROM snapshots WHERE profile_id = ?1",
                params![pid],
                |r| r.get::<_, Option<i64>>(0),
            )?
            .map(SnapshotId))
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    use std::fs::{OpenOptions, Permissions};
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    std::fs::set_permissions(path, Permissions::from_mode(0o600))?;
    Ok(())
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir)?;
    Ok(())
}
