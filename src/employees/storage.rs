//! The employee tables in the store's SQLite file: roster snapshots (every
//! import is kept; the newest is current) and manual link/unlink decisions.
//!
//! Works on a plain `rusqlite::Connection` (the store's, `store.conn()`):
//! it reads and writes rows only. The `employees_*` tables are created and
//! migrated with every other table of the file by the store's versioned
//! migrations (`src/store/schema.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::roster::{Employee, EmployeeStatus};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("employee tables: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("employee tables hold an unreadable row: {0}")]
    Corrupt(String),
}

/// One stored import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterInfo {
    pub id: i64,
    pub profile: String,
    pub imported_at: DateTime<Utc>,
    /// The file name (or `demo`) it came from.
    pub source: String,
    pub employee_count: usize,
    pub error_count: usize,
    /// Groups of equivalent e-mail domains given with this import (merged
    /// with the config's when matching).
    pub alias_domains: Vec<Vec<String>>,
}

/// A manual decision about one (Zoom user, employee) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// The user IS this employee, whatever automatic matching says.
    Link,
    /// The user is NOT this employee: never match the pair automatically.
    Unlink,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Link => "link",
            DecisionKind::Unlink => "unlink",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// A Zoom user `_key` (`zoom_user:…`) or a normalised e-mail.
    pub user_ref: String,
    /// `employee:<employee_id or email>`.
    pub employee_key: String,
    pub kind: DecisionKind,
    pub decided_at: DateTime<Utc>,
}

/// Stores a roster as a new snapshot (the previous ones stay as history) in
/// one transaction, and returns its info.
#[allow(clippy::too_many_arguments)]
pub fn save_roster(
    conn: &Connection,
    profile: &str,
    source: &str,
    employees: &[Employee],
    error_count: usize,
    alias_domains: &[Vec<String>],
    imported_at: DateTime<Utc>,
) -> Result<RosterInfo, StorageError> {
    let aliases = serde_json::to_string(alias_domains)
        .map_err(|err| StorageError::Corrupt(err.to_string()))?;
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO employees_rosters
           (profile, imported_at, source, employee_count, error_count, alias_domains)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            profile,
            imported_at.to_rfc3339(),
            source,
            employees.len() as i64,
            error_count as i64,
            aliases
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO employees_rows (roster_id, key, line, employee_id, employee_unique_id,
               email, other_emails, name, first_name, last_name, department, title,
               manager_email, status, termination_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        for e in employees {
            let other = serde_json::to_string(&e.other_emails)
                .map_err(|err| StorageError::Corrupt(err.to_string()))?;
            stmt.execute(params![
                id,
                e.key(),
                e.line as i64,
                e.employee_id,
                e.employee_unique_id,
                e.email,
                other,
                e.name,
                e.first_name,
                e.last_name,
                e.department,
                e.title,
                e.manager_email,
                e.status.as_str(),
                e.termination_date.map(|d| d.to_string()),
            ])?;
        }
    }
    tx.commit()?;
    Ok(RosterInfo {
        id,
        profile: profile.to_string(),
        imported_at,
        source: source.to_string(),
        employee_count: employees.len(),
        error_count,
        alias_domains: alias_domains.to_vec(),
    })
}

type InfoRow = (i64, String, String, String, i64, i64, String);

const INFO_COLUMNS: &str =
    "id, profile, imported_at, source, employee_count, error_count, alias_domains";

fn roster_info(row: &rusqlite::Row<'_>) -> rusqlite::Result<InfoRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn to_info(
    (id, profile, at, source, n, errs, aliases): InfoRow,
) -> Result<RosterInfo, StorageError> {
    let imported_at = DateTime::parse_from_rfc3339(&at)
        .map_err(|e| StorageError::Corrupt(format!("imported_at {at:?}: {e}")))?
        .with_timezone(&Utc);
    Ok(RosterInfo {
        id,
        profile,
        imported_at,
        source,
        employee_count: usize::try_from(n).unwrap_or(0),
        error_count: usize::try_from(errs).unwrap_or(0),
        alias_domains: serde_json::from_str(&aliases)
            .map_err(|e| StorageError::Corrupt(format!("alias_domains {aliases:?}: {e}")))?,
    })
}

/// Every import for a profile, oldest first.
pub fn rosters(conn: &Connection, profile: &str) -> Result<Vec<RosterInfo>, StorageError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {INFO_COLUMNS} FROM employees_rosters WHERE profile = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([profile], roster_info)?;
    rows.map(|r| to_info(r?)).collect()
}

/// The newest import for a profile, with its rows (in file order).
pub fn current_roster(
    conn: &Connection,
    profile: &str,
) -> Result<Option<(RosterInfo, Vec<Employee>)>, StorageError> {
    let info = conn
        .query_row(
            &format!(
                "SELECT {INFO_COLUMNS} FROM employees_rosters
                 WHERE profile = ?1 ORDER BY id DESC LIMIT 1"
            ),
            [profile],
            roster_info,
        )
        .optional()?;
    let Some(info) = info else { return Ok(None) };
    let info = to_info(info)?;
    let employees = roster_rows(conn, info.id)?;
    Ok(Some((info, employees)))
}

/// The rows of one stored roster, in file order.
pub fn roster_rows(conn: &Connection, roster_id: i64) -> Result<Vec<Employee>, StorageError> {
    let mut stmt = conn.prepare(
        "SELECT line, employee_id, employee_unique_id, email, other_emails, name, first_name,
                last_name, department, title, manager_email, status, termination_date
         FROM employees_rows WHERE roster_id = ?1 ORDER BY line",
    )?;
    let mut rows = stmt.query([roster_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let other: String = r.get(4)?;
        let status: String = r.get(11)?;
        let term: Option<String> = r.get(12)?;
        out.push(Employee {
            line: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
            employee_id: r.get(1)?,
            employee_unique_id: r.get(2)?,
            email: r.get(3)?,
            other_emails: serde_json::from_str(&other)
                .map_err(|e| StorageError::Corrupt(format!("other_emails {other:?}: {e}")))?,
            name: r.get(5)?,
            first_name: r.get(6)?,
            last_name: r.get(7)?,
            department: r.get(8)?,
            title: r.get(9)?,
            manager_email: r.get(10)?,
            status: EmployeeStatus::parse_stored(&status)
                .ok_or_else(|| StorageError::Corrupt(format!("status {status:?}")))?,
            termination_date: match term {
                None => None,
                Some(t) => {
                    Some(NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| {
                        StorageError::Corrupt(format!("termination_date {t:?}: {e}"))
                    })?)
                }
            },
        });
    }
    Ok(out)
}

/// Records a decision. A new decision for the same pair replaces the old one;
/// a `link` also removes the user's links to other employees (a Zoom user IS
/// at most one person; one person may have several Zoom users).
pub fn save_decision(
    conn: &Connection,
    profile: &str,
    decision: &Decision,
) -> Result<(), StorageError> {
    let tx = conn.unchecked_transaction()?;
    if decision.kind == DecisionKind::Link {
        tx.execute(
            "DELETE FROM employees_decisions
             WHERE profile = ?1 AND user_ref = ?2 AND decision = 'link' AND employee_key <> ?3",
            params![profile, decision.user_ref, decision.employee_key],
        )?;
    }
    // Delete + insert (not upsert) so the rowid orders decisions by when
    // they were made, even within one clock tick.
    tx.execute(
        "DELETE FROM employees_decisions
         WHERE profile = ?1 AND user_ref = ?2 AND employee_key = ?3",
        params![profile, decision.user_ref, decision.employee_key],
    )?;
    tx.execute(
        "INSERT INTO employees_decisions (profile, user_ref, employee_key, decision, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            profile,
            decision.user_ref,
            decision.employee_key,
            decision.kind.as_str(),
            decision.decided_at.to_rfc3339()
        ],
    )?;
    tx.commit()?;
    Ok(())
}

/// All decisions of a profile, in the order they were made (a later one
/// overrides an earlier one about the same user).
pub fn decisions(conn: &Connection, profile: &str) -> Result<Vec<Decision>, StorageError> {
    let mut stmt = conn.prepare(
        "SELECT user_ref, employee_key, decision, decided_at FROM employees_decisions
         WHERE profile = ?1 ORDER BY rowid",
    )?;
    let mut rows = stmt.query([profile])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let at: String = r.get(3)?;
        out.push(Decision {
            user_ref: r.get(0)?,
            employee_key: r.get(1)?,
            kind: match kind.as_str() {
                "link" => DecisionKind::Link,
                "unlink" => DecisionKind::Unlink,
                other => return Err(StorageError::Corrupt(format!("decision {other:?}"))),
            },
            decided_at: DateTime::parse_from_rfc3339(&at)
                .map_err(|e| StorageError::Corrupt(format!("decided_at {at:?}: {e}")))?
                .with_timezone(&Utc),
        });
    }
    Ok(out)
}
