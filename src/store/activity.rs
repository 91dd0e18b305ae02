//! The operation log and sign-in activity, append-only (tables of
//! migration 4 in `schema.rs`). Snapshots never touch these rows: Zoom
//! keeps its logs for a limited time, and this copy is meant to outlive it.
//! Overlapping fetches are de-duplicated by the table's UNIQUE constraint.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Store, StoreError};
use crate::activity::{Event, Source};

fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// Appends the events not already stored and, when `fetched_to` is
    /// given (the fetch of `source` completed up to that day), moves the
    /// cursor there; one transaction. Returns how many events were new.
    pub fn append_activity(
        &self,
        profile: &str,
        source: Source,
        events: &[Event],
        fetched_to: Option<NaiveDate>,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let now = text(Utc::now());
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO activity_events (profile, source, time, actor, category, \
                 action, detail, ip_address, client_type, version, fetched_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for e in events.iter().filter(|e| e.source == source) {
                added += insert.execute(params![
                    profile,
                    e.source.as_str(),
                    text(e.time),
                    e.actor,
                    e.category,
                    e.action,
                    e.text,
                    e.ip_address.as_deref().unwrap_or(""),
                    e.client_type.as_deref().unwrap_or(""),
                    e.version.as_deref().unwrap_or(""),
                    now,
                ])?;
            }
        }
        if let Some(day) = fetched_to {
            tx.execute(
                "INSERT INTO activity_cursor (profile, source, fetched_to) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (profile, source) DO UPDATE SET fetched_to = excluded.fetched_to \
                 WHERE excluded.fetched_to > activity_cursor.fetched_to",
                params![profile, source.as_str(), day.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// The last day `source` was fetched completely, if ever.
    pub fn activity_fetched_to(
        &self,
        profile: &str,
        source: Source,
    ) -> Result<Option<NaiveDate>, StoreError> {
        let day: Option<String> = self
            .conn
            .query_row(
                "SELECT fetched_to FROM activity_cursor WHERE profile = ?1 AND source = ?2",
                params![profile, source.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        day.map(|d| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(format!("activity cursor {d:?}: {e}")))
        })
        .transpose()
    }

    /// Stored events with `from <= time <= to` (either bound optional),
    /// newest first.
    pub fn activity(
        &self,
        profile: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Event>, StoreError> {
        let from = from.map_or_else(String::new, text);
        let to = to.map_or_else(|| "9999".to_string(), text);
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, time, actor, category, action, detail, ip_address, client_type, version \
             FROM activity_events WHERE profile = ?1 AND time >= ?2 AND time <= ?3 \
             ORDER BY time DESC, id DESC",
        )?;
        let rows = stmt.query_map(params![profile, from, to], raw_event)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(event_of(row?)?);
        }
        Ok(out)
    }
}

/// The columns of an event row, from `source` on, as stored.
type RawEvent = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn raw_event(r: &Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn event_of(row: RawEvent) -> Result<Event, StoreError> {
    let (source, time, actor, category, action, detail, ip, client, version) = row;
    let opt = |s: String| (!s.is_empty()).then_some(s);
    let source = Source::parse(&source)
        .ok_or_else(|| StoreError::Corrupt(format!("activity source {source:?}")))?;
    let time = DateTime::parse_from_rfc3339(&time)
        .map_err(|e| StoreError::Corrupt(format!("activity time {time:?}: {e}")))?
        .with_timezone(&Utc);
    Ok(Event {
        source,
        time,
        actor,
        category,
        action,
        text: detail,
        ip_address: opt(ip),
        client_type: opt(client),
        version: opt(version),
    })
}

/// The events appended after row `after`, oldest row first, each with its
/// row id: what an event alert rule has not yet evaluated (its cursor is
/// the last id it saw). On a plain connection to the store's file, as the
/// alert state reads it.
pub fn activity_appended_after(
    conn: &Connection,
    profile: &str,
    after: i64,
) -> Result<Vec<(i64, Event)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT source, time, actor, category, action, detail, ip_address, client_type, version, id \
         FROM activity_events WHERE profile = ?1 AND id > ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![profile, after], |r| {
        Ok((raw_event(r)?, r.get::<_, i64>(9)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, id) = row?;
        out.push((id, event_of(raw)?));
    }
    Ok(out)
}

/// Every stored sign-in of `user` (case-insensitive) as (time, IP address),
/// oldest first: the history that tells whether an address is new for them.
pub fn sign_in_addresses(
    conn: &Connection,
    profile: &str,
    user: &str,
) -> Result<Vec<(DateTime<Utc>, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT time, ip_address FROM activity_events \
         WHERE profile = ?1 AND source = 'sign_in' AND actor = ?2 COLLATE NOCASE \
         AND action = 'Sign in' ORDER BY time",
    )?;
    let rows = stmt.query_map(params![profile, user], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (time, ip) = row?;
        let time = DateTime::parse_from_rfc3339(&time)
            .map_err(|e| StoreError::Corrupt(format!("activity time {time:?}: {e}")))?
            .with_timezone(&Utc);
        out.push((time, ip));
    }
    Ok(out)
}
