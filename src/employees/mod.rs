//! Employee mapping: import an HR roster, match it to Zoom users, report the
//! gaps (leavers still active in Zoom, accounts that belong to nobody, staff
//! without an account), and lay the result over the graph as JupiterOne does:
//! roster rows become `employee` (`Person`) entities and matches
//! `zoom_user_is_employee` (`IS`) relationships.
//!
//! Layout: [`roster`] parses files, [`storage`] keeps roster snapshots and
//! manual decisions in the store's SQLite file, [`matching`] pairs users and
//! employees, [`report`] sorts the result into categories, [`overlay`] adds
//! it to a graph. This file holds the operations the CLI, `--demo` and the
//! TUI call.
//!
//! Public API for other modules:
//! - [`import_text`] / [`import_demo_roster`]: parse + store a roster snapshot;
//! - [`load`] → [`RosterData`]; [`report`](report::report) /
//!   [`report_from_store`] → [`Report`];
//! - [`overlay`] (from the store) and [`overlay_report`] (from a report);
//! - [`link`] / [`unlink`] for manual decisions;
//! - [`EmployeesConfig`], the `[employees]` config table.

pub mod matching;
pub(crate) mod overlay;
pub mod report;
pub mod roster;
pub mod storage;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::graph::{EntityType, Graph, GraphError, normalize_email};

pub use matching::{AliasDomains, MatchOptions, MatchedBy};
pub use overlay::{OverlayStats, overlay_report};
pub use report::{Category, EmployeeSide, Report, ReportRow, RowSuggestion, UserSide, report};
pub use roster::{ColumnOverrides, Employee, EmployeeStatus, Field, RosterError, RowError};
pub use storage::{Decision, DecisionKind, RosterInfo, StorageError};

/// The `[employees]` table of the config file.
///
/// ```toml
/// [employees]
/// alias_domains = [["corp.com", "corp.io"]]   # or ["corp.com = corp.io"]
/// max_roster_mib = 256                        # larger roster files are refused
/// [employees.columns]
/// email = "Primary Mail"
/// employee_id = "Personnel No"
/// ```
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct EmployeesConfig {
    /// Roster field → header name overrides (`--column` wins over these).
    pub columns: BTreeMap<String, String>,
    /// Groups of equivalent e-mail domains.
    pub alias_domains: Vec<AliasDomainGroup>,
    /// The largest roster file `employees import` reads, in MiB (default
    /// [`roster::DEFAULT_MAX_ROSTER_MIB`]).
    pub max_roster_mib: Option<u64>,
}

/// One group of equivalent domains: a list, or a string `"a.com = a.io"`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum AliasDomainGroup {
    List(Vec<String>),
    Text(String),
}

impl AliasDomainGroup {
    fn domains(&self) -> Vec<String> {
        match self {
            AliasDomainGroup::List(v) => v.clone(),
            AliasDomainGroup::Text(s) => s.split(['=', ',']).map(str::to_string).collect(),
        }
    }
}

impl EmployeesConfig {
    /// Reads the `[employees]` table (`Config::section("employees")`);
    /// absent means defaults.
    #[cfg(test)]
    pub(crate) fn from_section(section: Option<&toml::Value>) -> Result<Self, toml::de::Error> {
        match section {
            None => Ok(Self::default()),
            Some(v) => v.clone().try_into(),
        }
    }

    /// The roster size cap in MiB.
    pub fn max_roster_mib(&self) -> u64 {
        self.max_roster_mib
            .unwrap_or(roster::DEFAULT_MAX_ROSTER_MIB)
    }

    pub fn alias_domains(&self) -> AliasDomains {
        AliasDomains::new(self.alias_domains.iter().map(AliasDomainGroup::domains))
    }

    /// Matching options for `today`.
    pub fn match_options(&self, today: NaiveDate) -> MatchOptions {
        MatchOptions {
            alias_domains: self.alias_domains(),
            today,
        }
    }

    /// The config's column overrides plus `--column field=HEADER` specs
    /// (which win).
    /// Parses `--alias-domain` values (`corp.com=corp.io`, several `=` or
    /// `,` allowed) into domain groups.
    pub fn parse_alias_specs(specs: &[String]) -> Vec<Vec<String>> {
        specs
            .iter()
            .map(|s| AliasDomainGroup::Text(s.clone()).domains())
            .map(|g| {
                g.into_iter()
                    .map(|d| d.trim().to_lowercase())
                    .filter(|d| !d.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() >= 2)
            .collect()
    }

    pub fn column_overrides(&self, specs: &[String]) -> Result<ColumnOverrides, RosterError> {
        let mut o = ColumnOverrides::from_table(&self.columns)?;
        for s in specs {
            o.add_spec(s)?;
        }
        Ok(o)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmployeesError {
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error("no roster imported yet (run `zoomscope employees import FILE`)")]
    NoRoster,
    #[error("no Zoom user {0} in the latest snapshot")]
    UnknownUser(String),
    #[error("{0} names several Zoom users ({1}); give the user's key")]
    AmbiguousUser(String, String),
    #[error("no employee {0} in the current roster")]
    UnknownEmployee(String),
    #[error("{0} names several employees ({1}); give the employee id")]
    AmbiguousEmployee(String, String),
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Import nothing when any row is bad.
    pub strict: bool,
    pub columns: ColumnOverrides,
    /// Where the roster came from (file name), kept with the snapshot.
    pub source: String,
    /// Groups of equivalent e-mail domains, kept with the snapshot and
    /// merged with the config's when matching (`--alias-domain a.com=a.io`;
    /// `--demo` passes the sandbox's).
    pub alias_domains: Vec<Vec<String>>,
    pub now: DateTime<Utc>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Rows stored (0 when nothing was stored).
    pub imported: usize,
    /// Every bad row, in file order.
    pub errors: Vec<RowError>,
    /// Rows imported that deserve a look (a shared e-mail), in file order.
    pub warnings: Vec<RowError>,
    /// The new roster snapshot; `None` when nothing was stored (`--strict`
    /// with errors, or no valid row at all).
    pub roster: Option<RosterInfo>,
    /// Field → header(s) it was read from.
    pub columns: BTreeMap<String, Vec<String>>,
}

impl ImportOutcome {
    /// `{"imported": N, "errors": [{"line": L, "reason": "..."}], "warnings": [...]}`.
    pub fn to_json(&self) -> Value {
        let rows = |v: &[RowError]| -> Vec<Value> {
            v.iter()
                .map(|e| json!({"line": e.line, "reason": e.reason}))
                .collect()
        };
        json!({
            "imported": self.imported,
            "errors": rows(&self.errors),
            "warnings": rows(&self.warnings),
        })
    }
}

/// Parses a roster (CSV or JSON) and, unless rejected, stores it as the
/// profile's new roster snapshot. Row problems are in the outcome; file-level
/// problems (no e-mail column, unreadable JSON) are errors.
pub fn import_text(
    conn: &Connection,
    profile: &str,
    text: &str,
    opts: &ImportOptions,
) -> Result<ImportOutcome, EmployeesError> {
    let parsed = roster::parse(text, &opts.columns)?;
    let rejected = parsed.employees.is_empty() || (opts.strict && !parsed.errors.is_empty());
    if rejected {
        tracing::info!(
            errors = parsed.errors.len(),
            strict = opts.strict,
            "roster not stored"
        );
        return Ok(ImportOutcome {
            imported: 0,
            errors: parsed.errors,
            warnings: parsed.warnings,
            roster: None,
            columns: parsed.columns,
        });
    }
    let info = storage::save_roster(
        conn,
        profile,
        &opts.source,
        &parsed.employees,
        parsed.errors.len(),
        &opts.alias_domains,
        opts.now,
    )?;
    tracing::info!(
        roster = info.id,
        employees = info.employee_count,
        errors = info.error_count,
        "roster imported"
    );
    Ok(ImportOutcome {
        imported: parsed.employees.len(),
        errors: parsed.errors,
        warnings: parsed.warnings,
        roster: Some(info),
        columns: parsed.columns,
    })
}

/// `--demo` setup: imports the sandbox's generated roster CSV
/// (`RunningSandbox::roster_csv()`) for `profile`, keeping good rows, with
/// the org's alias domain (`[org.account.domain, org.account.alias_domain]`)
/// stored alongside so matching folds it without any config.
///
/// Every `--demo` run calls this; the roster's digest is part of its source
/// name, so an unchanged roster is not stored again (roster history would
/// otherwise grow by one snapshot per command). Returns `None` then.
pub fn import_demo_roster(
    conn: &Connection,
    profile: &str,
    csv: &str,
    alias_domains: &[Vec<String>],
    now: DateTime<Utc>,
) -> Result<Option<ImportOutcome>, EmployeesError> {
    let source = format!("demo roster {:016x}", fnv1a64(csv.as_bytes()));
    if let Some(current) = load(conn, profile)?
        && current.info.source == source
    {
        return Ok(None);
    }
    import_text(
        conn,
        profile,
        csv,
        &ImportOptions {
            strict: false,
            columns: ColumnOverrides::new(),
            source,
            alias_domains: alias_domains.to_vec(),
            now,
        },
    )
    .map(Some)
}

/// The current roster and the manual decisions of a profile.
#[derive(Debug, Clone)]
pub struct RosterData {
    pub info: RosterInfo,
    pub employees: Vec<Employee>,
    pub decisions: Vec<Decision>,
}

impl RosterData {
    /// Matches `graph` against this roster. The roster's stored alias
    /// domains are added to `opts`' (the config's).
    pub fn report(&self, graph: &Graph, opts: &MatchOptions) -> Report {
        if self.info.alias_domains.is_empty() {
            return report::report(graph, &self.employees, &self.decisions, opts);
        }
        let mut opts = opts.clone();
        opts.alias_domains.extend(self.info.alias_domains.iter());
        report::report(graph, &self.employees, &self.decisions, &opts)
    }
}

/// Loads the current roster and decisions; `None` before the first import.
pub fn load(conn: &Connection, profile: &str) -> Result<Option<RosterData>, EmployeesError> {
    let Some((info, employees)) = storage::current_roster(conn, profile)? else {
        return Ok(None);
    };
    let decisions = storage::decisions(conn, profile)?;
    Ok(Some(RosterData {
        info,
        employees,
        decisions,
    }))
}

/// [`load`] + [`report`]: the report for `graph`, `None` before the first import.
pub fn report_from_store(
    graph: &Graph,
    conn: &Connection,
    profile: &str,
    opts: &MatchOptions,
) -> Result<Option<Report>, EmployeesError> {
    Ok(load(conn, profile)?.map(|d| d.report(graph, opts)))
}

/// Adds the profile's current roster (Person entities) and matches (IS
/// relationships) to `graph`. Returns the report it matched with, or `None`
/// (graph untouched) when no roster was imported.
pub fn overlay(
    graph: &mut Graph,
    conn: &Connection,
    profile: &str,
    opts: &MatchOptions,
) -> Result<Option<Report>, EmployeesError> {
    let Some(data) = load(conn, profile)? else {
        return Ok(None);
    };
    let report = data.report(graph, opts);
    overlay_report(graph, &data.employees, &report)?;
    Ok(Some(report))
}

/// `zoomscope employees link USER EMPLOYEE`: the user IS the employee,
/// whatever automatic matching says.
pub fn link(
    conn: &Connection,
    profile: &str,
    graph: Option<&Graph>,
    user: &str,
    employee: &str,
    now: DateTime<Utc>,
) -> Result<Decision, EmployeesError> {
    decide(
        conn,
        profile,
        graph,
        user,
        employee,
        DecisionKind::Link,
        now,
    )
}

/// `zoomscope employees unlink USER EMPLOYEE`: never match this pair.
pub fn unlink(
    conn: &Connection,
    profile: &str,
    graph: Option<&Graph>,
    user: &str,
    employee: &str,
    now: DateTime<Utc>,
) -> Result<Decision, EmployeesError> {
    decide(
        conn,
        profile,
        graph,
        user,
        employee,
        DecisionKind::Unlink,
        now,
    )
}

fn decide(
    conn: &Connection,
    profile: &str,
    graph: Option<&Graph>,
    user: &str,
    employee: &str,
    kind: DecisionKind,
    now: DateTime<Utc>,
) -> Result<Decision, EmployeesError> {
    let (_, employees) = storage::current_roster(conn, profile)?.ok_or(EmployeesError::NoRoster)?;
    let employee_key = resolve_employee(&employees, employee)?.key();
    let user_ref = resolve_user(graph, user)?;
    let d = Decision {
        user_ref,
        employee_key,
        kind,
        decided_at: now,
    };
    storage::save_decision(conn, profile, &d)?;
    Ok(d)
}

/// USER: a `zoom_user:…` key (kept as is) or an e-mail (normalised). With a
/// graph, the user must exist in it.
pub fn resolve_user(graph: Option<&Graph>, user: &str) -> Result<String, EmployeesError> {
    let user = user.trim();
    if user.starts_with(EntityType::User.key_prefix()) {
        if let Some(g) = graph
            && g.get(user).is_none_or(|e| e.etype != EntityType::User)
        {
            return Err(EmployeesError::UnknownUser(user.to_string()));
        }
        return Ok(user.to_string());
    }
    let email = normalize_email(user);
    if let Some(g) = graph {
        let found: Vec<&str> = g
            .by_email(&email)
            .iter()
            .map(|&id| g.entity(id))
            .filter(|e| e.etype == EntityType::User)
            .map(|e| e.key.as_str())
            .collect();
        match found.len() {
            0 => return Err(EmployeesError::UnknownUser(user.to_string())),
            1 => {}
            _ => {
                return Err(EmployeesError::AmbiguousUser(
                    user.to_string(),
                    found.join(", "),
                ));
            }
        }
    }
    Ok(email)
}

/// EMPLOYEE: an `employee:…` key, an employee id, or an e-mail (primary,
/// else secondary) of the current roster.
pub fn resolve_employee<'a>(
    employees: &'a [Employee],
    employee: &str,
) -> Result<&'a Employee, EmployeesError> {
    let wanted = employee.trim();
    let one = |found: Vec<&'a Employee>| -> Result<Option<&'a Employee>, EmployeesError> {
        match found.as_slice() {
            [] => Ok(None),
            [e] => Ok(Some(*e)),
            many => Err(EmployeesError::AmbiguousEmployee(
                wanted.to_string(),
                many.iter().map(|e| e.key()).collect::<Vec<_>>().join(", "),
            )),
        }
    };
    if let Some(e) = employees.iter().find(|e| e.key() == wanted) {
        return Ok(e);
    }
    let by_id = employees
        .iter()
        .filter(|e| e.employee_id.as_deref() == Some(wanted))
        .collect();
    if let Some(e) = one(by_id)? {
        return Ok(e);
    }
    let email = normalize_email(wanted);
    let by_email = employees.iter().filter(|e| e.email == email).collect();
    if let Some(e) = one(by_email)? {
        return Ok(e);
    }
    let by_other = employees
        .iter()
        .filter(|e| e.other_emails.contains(&email))
        .collect();
    one(by_other)?.ok_or_else(|| EmployeesError::UnknownEmployee(wanted.to_string()))
}

/// FNV-1a, 64 bit: a stable digest (std's hasher is randomly seeded per process).
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_section_reads_columns_and_both_alias_forms() {
        let v: toml::Value = toml::from_str(
            r#"
            alias_domains = [["corp.com", "corp.io"], "acme.com = acme.co.uk"]
            [columns]
            email = "Primary Mail"
            "#,
        )
        .unwrap();
        let c = EmployeesConfig::from_section(Some(&v)).unwrap();
        assert_eq!(
            c.columns.get("email").map(String::as_str),
            Some("Primary Mail")
        );
        let a = c.alias_domains();
        assert_eq!(a.fold("x@corp.io"), "x@corp.com");
        assert_eq!(a.fold("x@acme.co.uk"), "x@acme.com");
        assert_eq!(
            EmployeesConfig::from_section(None).unwrap(),
            EmployeesConfig::default()
        );
        let bad: toml::Value = toml::from_str("colums = {}").unwrap();
        assert!(EmployeesConfig::from_section(Some(&bad)).is_err());
    }
}
