//! A persistent outbox for webhook messages (table `alerts_outbox` in the
//! store's SQLite file). A message is written here *before* it is sent and
//! deleted only once the webhook accepted it, so an alert survives a failing
//! webhook, a crash or a restart, and is retried at the next round.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::state::{StateError, migrate};

/// One undelivered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub text: String,
    pub attempts: u32,
    pub last_error: Option<String>,
}

/// The outbox of one profile.
pub struct Outbox<'c> {
    conn: &'c Connection,
    profile: String,
}

impl<'c> Outbox<'c> {
    pub fn open(conn: &'c Connection, profile: &str) -> Result<Self, StateError> {
        migrate(conn)?;
        Ok(Outbox {
            conn,
            profile: profile.to_string(),
        })
    }

    /// Queues a message; returns its id.
    pub fn push(&self, text: &str, now: DateTime<Utc>) -> Result<i64, StateError> {
        self.conn.execute(
            "INSERT INTO alerts_outbox (profile, created_at, text) VALUES (?1, ?2, ?3)",
            params![self.profile, now.to_rfc3339(), text],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Undelivered messages, oldest first.
    pub fn pending(&self) -> Result<Vec<OutboxItem>, StateError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, created_at, text, attempts, last_error FROM alerts_outbox
             WHERE profile = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map(params![self.profile], |r| {
                Ok(OutboxItem {
                    id: r.get(0)?,
                    created_at: DateTime::parse_from_rfc3339(&r.get::<_, String>(1)?)
                        .map(|t| t.with_timezone(&Utc))
                        .unwrap_or_default(),
                    text: r.get(2)?,
                    attempts: r.get(3)?,
                    last_error: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn delivered(&self, id: i64) -> Result<(), StateError> {
        self.conn
            .execute("DELETE FROM alerts_outbox WHERE id = ?1", params![id])?;
        Ok(())
    }

    pub fn failed(&self, id: i64, attempts: u32, error: &str) -> Result<(), StateError> {
        self.conn.execute(
            "UPDATE alerts_outbox SET attempts = attempts + ?2, last_error = ?3 WHERE id = ?1",
            params![id, attempts, error],
        )?;
        Ok(())
    }

    pub fn len(&self) -> Result<usize, StateError> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM alerts_outbox WHERE profile = ?1",
            params![self.profile],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    pub fn is_empty(&self) -> Result<bool, StateError> {
        Ok(self.len()? == 0)
    }
}
