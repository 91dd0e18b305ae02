//! What alerts remember between evaluations, in their own tables of the
//! store's SQLite file (`store.conn()`): per rule, when it was last
//! evaluated, with which query, whether it fired, and the entities it
//! matched (so `new` triggers and `watch` can tell what is new).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, thiserror::Error)]
#[error("alert state: {0}")]
pub struct StateError(#[from] rusqlite::Error);

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

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS alerts_rule_state (
    profile TEXT NOT NULL,
    rule TEXT NOT NULL,
    query TEXT NOT NULL,
    evaluated_at TEXT NOT NULL,
    count INTEGER NOT NULL,
    fired INTEGER NOT NULL,
    PRIMARY KEY (profile, rule)
);
CREATE TABLE IF NOT EXISTS alerts_rule_match (
    profile TEXT NOT NULL,
    rule TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    PRIMARY KEY (profile, rule, entity_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alerts_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
";

/// Creates the alerts tables when missing.
pub fn migrate(conn: &Connection) -> Result<(), StateError> {
    conn.execute_batch(SCHEMA)?;
    Ok(())
}

impl<'c> AlertState<'c> {
    /// Opens (creating the tables if needed) the state of `profile`.
    pub fn open(conn: &'c Connection, profile: &str) -> Result<Self, StateError> {
        migrate(conn)?;
        Ok(AlertState {
            conn,
            profile: profile.to_string(),
        })
    }

    pub fn profile(&self) -> &str {
        &self.profile
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
        }
        Ok(())
    }
}
