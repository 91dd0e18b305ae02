//! What alerts remember between evaluations, in their own tables of the
//! store's SQLite file (`store.conn()`): per rule, when it was last
//! evaluated, with which query, whether it fired, and the entities it
//! matched (so `new` triggers and `watch` can tell what is new), and for an
//! event rule the last activity event it evaluated (its cursor).
//!
//! Reads and writes rows only: the `alerts_*` tables are created and
//! migrated by the store's versioned migrations (`src/store/schema.rs`).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{SCHEMA_VERSION, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("alert state: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("alert state: {0}")]
    Store(#[from] StoreError),
    #[error(
        "alert state: the file has schema {found}, not {expected}: open it with the store (Store::open) first"
    )]
    Schema { found: i64, expected: i64 },
}

/// A rule's stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    pub query: String,
    pub evaluated_at: DateTime<Utc>,
    pub count: u64,
    pub fired: bool,
    /// Matching entity keys at that evaluation.
    pub keys: HashSet<String>,
}

/// One evaluation of a rule, as [`AlertState::put`] records it.
#[derive(Debug, Clone, Copy)]
pub struct Evaluation<'a> {
    pub query: &'a str,
    pub at: DateTime<Utc>,
    pub count: u64,
    pub fired: bool,
    pub keys: &'a HashSet<String>,
}

/// Alert state of one profile.
pub struct AlertState<'c> {
    conn: &'c Connection,
    profile: String,
}

/// Brings a connection's file to the store's schema, which holds the
/// alerts tables, through the store's versioned migrations (the one schema
/// owner). `Store::open` has already done it for the store's connection;
/// this is for code handed a plain connection (the outbox).
pub fn migrate(conn: &Connection) -> Result<(), StateError> {
    crate::store::migrate(conn)?;
    Ok(())
}

/// Fails unless the file has the store's current schema, so a connection
/// that never went through `Store::open` gets a clear error rather than
/// "no such table".
fn ensure_current_schema(conn: &Connection) -> Result<(), StateError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(StateError::Schema {
            found,
            expected: SCHEMA_VERSION,
        })
    }
}

impl<'c> AlertState<'c> {
    /// The state of `profile` in a file opened by the store (`Store::open`,
    /// which creates and migrates the tables).
    pub fn open(conn: &'c Connection, profile: &str) -> Result<Self, StateError> {
        ensure_current_schema(conn)?;
        Ok(AlertState {
            conn,
            profile: profile.to_string(),
        })
    }

    /// The rule's state at its last evaluation, if it was ever evaluated.
    pub fn get(&self, rule: &str) -> Result<Option<StoredRule>, StateError> {
        let row = self
            .conn
            .query_row(
                "SELECT query, evaluated_at, count, fired FROM alerts_rule_state
                 WHERE profile = ?1 AND rule = ?2",
                params![self.profile, rule],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, bool>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((query, at, count, fired)) = row else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity_key FROM alerts_rule_match WHERE profile = ?1 AND rule = ?2",
        )?;
        let keys = stmt
            .query_map(params![self.profile, rule], |r| r.get::<_, String>(0))?
            .collect::<Result<HashSet<_>, _>>()?;
        Ok(Some(StoredRule {
            query,
            evaluated_at: DateTime::parse_from_rfc3339(&at)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            count: u64::try_from(count).unwrap_or(0),
            fired,
            keys,
        }))
    }

    /// Records an evaluation. Only the difference from the stored match set
    /// is written, so a rule matching 50,000 users costs little per round.
    /// `previous`: the match set as stored (from [`AlertState::get`]), or
    /// `None` to replace whatever is stored.
    pub fn put(
        &self,
        rule: &str,
        e: &Evaluation<'_>,
        previous: Option<&HashSet<String>>,
    ) -> Result<(), StateError> {
        let Evaluation {
            query,
            at,
            count,
            fired,
            keys,
        } = *e;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO alerts_rule_state (profile, rule, query, evaluated_at, count, fired)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (profile, rule) DO UPDATE SET query = ?3, evaluated_at = ?4, count = ?5, fired = ?6",
            params![
                self.profile,
                rule,
                query,
                at.to_rfc3339(),
                i64::try_from(count).unwrap_or(i64::MAX),
                fired
            ],
        )?;
        let empty = HashSet::new();
        let prev = match previous {
            Some(p) => p,
            None => {
                tx.execute(
                    "DELETE FROM alerts_rule_match WHERE profile = ?1 AND rule = ?2",
                    params![self.profile, rule],
                )?;
                &empty
            }
        };
        {
            let mut del = tx.prepare_cached(
                "DELETE FROM alerts_rule_match WHERE profile = ?1 AND rule = ?2 AND entity_key = ?3",
            )?;
            for k in prev.difference(keys) {
                del.execute(params![self.profile, rule, k])?;
            }
            let mut ins = tx.prepare_cached(
                "INSERT OR IGNORE INTO alerts_rule_match (profile, rule, entity_key) VALUES (?1, ?2, ?3)",
            )?;
            for k in keys.difference(prev) {
                ins.execute(params![self.profile, rule, k])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The row id of the last activity event an event rule evaluated, if
    /// it was ever evaluated by `check` or `watch`.
    pub fn event_cursor(&self, rule: &str) -> Result<Option<i64>, StateError> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_event_id FROM alerts_event_cursor WHERE profile = ?1 AND rule = ?2",
                params![self.profile, rule],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Moves an event rule's cursor to `last_event_id` (never back).
    pub fn set_event_cursor(&self, rule: &str, last_event_id: i64) -> Result<(), StateError> {
        self.conn.execute(
            "INSERT INTO alerts_event_cursor (profile, rule, last_event_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (profile, rule) DO UPDATE SET last_event_id = excluded.last_event_id
             WHERE excluded.last_event_id > alerts_event_cursor.last_event_id",
            params![self.profile, rule, last_event_id],
        )?;
        Ok(())
    }

    /// The activity events appended after row `after`, with their row ids.
    pub fn events_after(
        &self,
        after: i64,
    ) -> Result<Vec<(i64, crate::activity::Event)>, StateError> {
        Ok(crate::store::activity_appended_after(
            self.conn,
            &self.profile,
            after,
        )?)
    }

    /// Sign-in history for event rules' `new_ip`, read on demand.
    pub fn sign_in_history(&self) -> super::events::StoredHistory<'_> {
        super::events::StoredHistory::new(self.conn, &self.profile)
    }

    /// Forgets rules that are no longer loaded (renamed or removed).
    pub fn retain(&self, rules: &[&str]) -> Result<(), StateError> {
        let keep: HashSet<&str> = rules.iter().copied().collect();
        let mut stmt = self
            .conn
            .prepare("SELECT rule FROM alerts_rule_state WHERE profile = ?1")?;
        let stored = stmt
            .query_map(params![self.profile], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        for r in stored.iter().filter(|r| !keep.contains(r.as_str())) {
            self.conn.execute(
                "DELETE FROM alerts_rule_state WHERE profile = ?1 AND rule = ?2",
                params![self.profile, r],
            )?;
            self.conn.execute(
                "DELETE FROM alerts_rule_match WHERE profile = ?1 AND rule = ?2",
                params![self.profile, r],
            )?;
            self.conn.execute(
                "DELETE FROM alerts_event_cursor WHERE profile = ?1 AND rule = ?2",
                params![self.profile, r],
            )?;
        }
        Ok(())
    }
}
