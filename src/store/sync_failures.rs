//! Syncs that failed completely and wrote no snapshot (table of migration
//! 5 in `schema.rs`), kept so the Changes timeline can show them in time
//! order among the snapshots. Only the newest [`KEPT`] per profile stay.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::params;

use super::{Store, StoreError};

/// How many failures a profile keeps: enough for any timeline on screen,
/// few enough that a `watch` failing every minute for a month stays small.
pub const KEPT: usize = 200;

/// One failed sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailureRecord {
    pub failed_at: DateTime<Utc>,
    /// Why, as the sync reported it (no secret reaches it: it is the text
    /// the CLI prints).
    pub reason: String,
}

impl Store {
    /// Records a sync of `profile` that wrote no snapshot, dropping the
    /// oldest beyond [`KEPT`].
    pub fn record_sync_failure(
        &self,
        profile: &str,
        failed_at: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO sync_failures (profile, failed_at, reason) VALUES (?1, ?2, ?3)",
            params![
                profile,
                failed_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                reason
            ],
        )?;
        tx.execute(
            "DELETE FROM sync_failures WHERE profile = ?1 AND id NOT IN \
             (SELECT id FROM sync_failures WHERE profile = ?1 ORDER BY failed_at DESC, id DESC LIMIT ?2)",
            params![profile, KEPT as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The profile's failed syncs, newest first.
    pub fn sync_failures(&self, profile: &str) -> Result<Vec<SyncFailureRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT failed_at, reason FROM sync_failures WHERE profile = ?1 \
             ORDER BY failed_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([profile], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, reason) = row?;
            let failed_at = DateTime::parse_from_rfc3339(&at)
                .map_err(|e| StoreError::Corrupt(format!("sync_failures.failed_at `{at}`: {e}")))?
                .with_timezone(&Utc);
            out.push(SyncFailureRecord { failed_at, reason });
        }
        Ok(out)
    }
}
