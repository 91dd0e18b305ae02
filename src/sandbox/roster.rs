//! The HR roster generated alongside the org (for employee mapping), and the
//! ground truth of which category every roster row and Zoom user lands in.
//!
//! Roster ↔ Zoom relationships it contains on purpose:
//! - employees matched by exact email, by email in another case, by the
//!   alias domain (`x@northwind-corp.example` = `x@northwind.example`), with
//!   surrounding spaces, and only by `employee_unique_id` (roster row with a
//!   personal email, Zoom user carrying the employee id);
//! - terminated employees whose Zoom user is still active (the offboarding
//!   gap), and terminated employees whose Zoom user was deactivated;
//! - contractors (`@contractors.example`) and service accounts (`svc-…`)
//!   that exist in Zoom only; some inactive Zoom users without a row;
//! - active employees without a Zoom user;
//! - ambiguous cases: two roster rows (different employee ids) with the
//!   same address as one Zoom user, one of them in other case (ambiguous
//!   whether matching goes rule by rule or all at once).
//!
//! Matching rules of the ground truth (the order of issue 5): a row whose
//! `employee_id` equals a user's `employee_unique_id` matches that user;
//! otherwise rows match users by normalised email (trimmed, lower-cased,
//! alias domain → primary domain). A row or user with several counterparts
//! is ambiguous. A matched terminated employee whose user is active or
//! still invited (pending) is `terminated_but_active`; other matches are `matched`. Unmatched active
//! rows are `employee_without_zoom`; unmatched users `not_an_employee`.
//! (Unmatched terminated rows belong to no category; none are generated.)

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration as ChronoDuration, NaiveDate};
use serde::Serialize;

use super::generate::{
    ALIAS_DOMAIN, CONTRACTOR_DOMAIN, ORG_DOMAIN, SERVICE_PREFIX, employee_id_for,
};
use super::model::{OrgSnapshot, UserStatus};
use super::names;
use super::rng::Rng;

pub const CSV_HEADER: &str =
    "employee_id,first_name,last_name,email,department,title,manager_email,status,termination_date";

/// Personal-email domain used for rows matched only by employee id.
pub const PERSONAL_DOMAIN: &str = "mail.example";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterRow {
    pub employee_id: String,
    pub first_name: String,
    pub last_name: String,
    /// As HR wrote it (case, alias domain and spaces vary).
    pub email: String,
    pub department: String,
    pub title: String,
    pub manager_email: String,
    /// `active` or `terminated`.
    pub status: String,
    pub termination_date: Option<NaiveDate>,
}

impl RosterRow {
    pub(crate) fn terminated(&self) -> bool {
        self.status == "terminated"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeCategory {
    Matched,
    TerminatedButActive,
    NotAnEmployee,
    EmployeeWithoutZoom,
    Ambiguous,
}

impl EmployeeCategory {
    #[cfg(test)]
    pub(crate) const ALL: [EmployeeCategory; 5] = [
        Self::Matched,
        Self::TerminatedButActive,
        Self::NotAnEmployee,
        Self::EmployeeWithoutZoom,
        Self::Ambiguous,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::TerminatedButActive => "terminated_but_active",
            Self::NotAnEmployee => "not_an_employee",
            Self::EmployeeWithoutZoom => "employee_without_zoom",
            Self::Ambiguous => "ambiguous",
        }
    }
}

/// Ground truth for the employee-mapping report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExpectedCategories {
    /// Per roster row, by `employee_id`.
    pub roster: BTreeMap<String, EmployeeCategory>,
    /// Per Zoom user, by graph key (`zoom_user:<id>` / `zoom_user:pending:<email>`).
    pub users: BTreeMap<String, EmployeeCategory>,
    /// Unambiguous pairs (employee_id, user key): matched and terminated_but_active.
    pub pairs: Vec<(String, String)>,
}

impl ExpectedCategories {
    /// Rows + users per category (a pair counts once per side).
    pub fn roster_count(&self, c: EmployeeCategory) -> usize {
        self.roster.values().filter(|x| **x == c).count()
    }

    pub fn user_count(&self, c: EmployeeCategory) -> usize {
        self.users.values().filter(|x| **x == c).count()
    }
}

/// Trimmed, lower-cased, alias domain folded into the primary domain.
pub fn normalise_email(email: &str) -> String {
    let e = email.trim().to_lowercase();
    match e.rsplit_once('@') {
        Some((local, domain)) if domain == ALIAS_DOMAIN => format!("{local}@{ORG_DOMAIN}"),
        _ => e,
    }
}

fn is_hr_person(email: &str) -> bool {
    let lower = email.to_lowercase();
    !(lower.starts_with(SERVICE_PREFIX) || lower.ends_with(&format!("@{CONTRACTOR_DOMAIN}")))
}

/// Mixed case: `Jane.Doe@Northwind.EXAMPLE`.
fn shout(email: &str) -> String {
    let mut out = String::with_capacity(email.len());
    let mut up = true;
    for c in email.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        up = matches!(c, '.' | '@');
    }
    out
}

/// Generates the roster for `org`.
pub fn generate_roster(org: &OrgSnapshot) -> Vec<RosterRow> {
    let mut r = Rng::stream(org.seed, "roster");
    let today = org.reference_time.date_naive();
    let owner_email = org.owner().map(|u| u.email.clone()).unwrap_or_default();
    let mut rows = Vec::with_capacity(org.users.len());
    // Users that get a second, conflicting row (ambiguous): the first
    // eligible active members after index 20.
    let mut ambiguous_left = if org.users.len() >= 50 { 2 } else { 1 };
    let mut extra_rows = Vec::new();

    for (i, u) in org.users.iter().enumerate() {
        if !is_hr_person(&u.email) {
            continue;
        }
        let is_owner = u.role_id == "0";
        let x = r.unit();
        let terminated = !is_owner
            && match u.status {
                UserStatus::Active => x < 0.03,
                UserStatus::Inactive => x < 0.6,
                UserStatus::Pending => false,
            };
        if u.status == UserStatus::Inactive && (0.9..1.0).contains(&x) {
            // Left long ago and purged from HR: a Zoom-only account.
            continue;
        }
        let employee_id = employee_id_for(i);
        let y = r.unit();
        // A user that gets a second roster row (another employee id) with the
        // same address in other case: ambiguous under any matching order.
        let twin = ambiguous_left > 0
            && i > 20.min(org.users.len() / 2)
            && !terminated
            && u.status == UserStatus::Active
            && u.employee_unique_id.is_none()
            && u.email.ends_with(&format!("@{ORG_DOMAIN}"))
            && u.role_id == "2";
        let email = if is_owner || twin {
            u.email.clone()
        } else if u.employee_unique_id.is_some() && y < 0.3 {
            let local = format!(
                "{}{}",
                names::email_part(&u.first_name)
                    .chars()
                    .take(12)
                    .collect::<String>(),
                i
            );
            format!("{local}@{PERSONAL_DOMAIN}")
        } else if y < 0.38 {
            shout(&u.email)
        } else if y < 0.45 {
            u.email
                .replace(&format!("@{ORG_DOMAIN}"), &format!("@{ALIAS_DOMAIN}"))
        } else if y < 0.47 {
            format!(" {} ", u.email)
        } else {
            u.email.clone()
        };
        let termination_date =
            terminated.then(|| today - ChronoDuration::days(r.range(5, 400) as i64));
        let row = RosterRow {
            employee_id,
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email,
            department: u.dept.clone(),
            title: u.job_title.clone(),
            manager_email: if is_owner {
                String::new()
            } else {
                owner_email.clone()
            },
            status: if terminated { "terminated" } else { "active" }.into(),
            termination_date,
        };
        if twin {
            ambiguous_left -= 1;
            let mut second = row.clone();
            second.employee_id = format!("E{:06}", 800_000 + i);
            second.email = shout(&u.email);
            extra_rows.push(second);
        }
        rows.push(row);
    }
    rows.extend(extra_rows);

    // Employees without a Zoom user.
    let taken: HashSet<String> = org
        .users
        .iter()
        .map(|u| normalise_email(&u.email))
        .collect();
    let missing = (org.users.len() / 50).max(3);
    for k in 0..missing {
        let first = r.pick(names::FIRST_NAMES).copied().unwrap_or("Alex");
        let last = r.pick(names::LAST_NAMES).copied().unwrap_or("Smith");
        let (fp, lp) = (names::email_part(first), names::email_part(last));
        let local = if fp.is_empty() || lp.is_empty() {
            format!("employee.hr{k}")
        } else {
            format!("{fp}.{lp}.hr{k}")
        };
        let domain = if k % 4 == 3 { ALIAS_DOMAIN } else { ORG_DOMAIN };
        let email = format!("{local}@{domain}");
        if taken.contains(&normalise_email(&email)) {
            continue;
        }
        rows.push(RosterRow {
            employee_id: format!("E{:06}", 900_000 + k),
            first_name: first.to_string(),
            last_name: last.to_string(),
            email,
            department: r
                .pick(names::DEPARTMENTS)
                .copied()
                .unwrap_or("")
                .to_string(),
            title: r.pick(names::TITLES).copied().unwrap_or("").to_string(),
            manager_email: owner_email.clone(),
            status: "active".into(),
            termination_date: None,
        });
    }
    rows
}

/// The roster as CSV (RFC 4180 quoting, LF line ends).
pub fn to_csv(rows: &[RosterRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(rows.len() * 120));
    let header: Vec<&str> = CSV_HEADER.split(',').collect();
    let _ = w.write_record(&header);
    for row in rows {
        let date = row
            .termination_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let _ = w.write_record([
            row.employee_id.as_str(),
            &row.first_name,
            &row.last_name,
            &row.email,
            &row.department,
            &row.title,
            &row.manager_email,
            &row.status,
            &date,
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Computes the ground-truth categories of `rows` against the org as it is
/// now (so they stay right after changes such as a deactivation).
pub(crate) fn expected_categories(org: &OrgSnapshot, rows: &[RosterRow]) -> ExpectedCategories {
    let mut by_unique: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, u) in org.users.iter().enumerate() {
        if let Some(e) = &u.employee_unique_id {
            by_unique.entry(e.as_str()).or_default().push(i);
        }
        by_email
            .entry(normalise_email(&u.email))
            .or_default()
            .push(i);
    }
    // Candidates of each row, and the rows claiming each user.
    let candidates: Vec<Vec<usize>> = rows
        .iter()
        .map(|row| match by_unique.get(row.employee_id.as_str()) {
            Some(users) => users.clone(),
            None => by_email
                .get(&normalise_email(&row.email))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let mut claims: HashMap<usize, Vec<usize>> = HashMap::new();
    for (ri, cands) in candidates.iter().enumerate() {
        for ui in cands {
            claims.entry(*ui).or_default().push(ri);
        }
    }

    let mut out = ExpectedCategories::default();
    for (ri, row) in rows.iter().enumerate() {
        let cands = &candidates[ri];
        let category = match cands.as_slice() {
            [] if row.terminated() => None,
            [] => Some(EmployeeCategory::EmployeeWithoutZoom),
            [ui] if claims.get(ui).map_or(0, Vec::len) == 1 => {
                let user = &org.users[*ui];
                out.pairs.push((row.employee_id.clone(), user.key()));
                if row.terminated() && user.status != UserStatus::Inactive {
                    Some(EmployeeCategory::TerminatedButActive)
                } else {
                    Some(EmployeeCategory::Matched)
                }
            }
            _ => Some(EmployeeCategory::Ambiguous),
        };
        if let Some(c) = category {
            out.roster.insert(row.employee_id.clone(), c);
        }
    }
    for (ui, user) in org.users.iter().enumerate() {
        let category = match claims.get(&ui).map(Vec::as_slice) {
            None | Some([]) => EmployeeCategory::NotAnEmployee,
            Some([ri]) if candidates[*ri].len() == 1 => {
                if rows[*ri].terminated() && user.status != UserStatus::Inactive {
                    EmployeeCategory::TerminatedButActive
                } else {
                    EmployeeCategory::Matched
                }
            }
            Some(_) => EmployeeCategory::Ambiguous,
        };
        out.users.insert(user.key(), category);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::generate::generate;
    use chrono::{TimeZone, Utc};

    #[test]
    fn every_category_is_present_and_consistent() {
        let org = generate(
            2_000,
            1,
            Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap(),
        );
        let rows = generate_roster(&org);
        let truth = expected_categories(&org, &rows);
        for c in EmployeeCategory::ALL {
            let n = truth.roster_count(c) + truth.user_count(c);
            assert!(n > 0, "{c:?} is empty");
        }
        assert_eq!(truth.roster_count(EmployeeCategory::NotAnEmployee), 0);
        assert_eq!(truth.user_count(EmployeeCategory::EmployeeWithoutZoom), 0);
        assert_eq!(truth.roster.len(), rows.len());
        assert_eq!(truth.users.len(), org.users.len());
        // Each unambiguous pair is counted on both sides.
        assert_eq!(
            truth.roster_count(EmployeeCategory::Matched),
            truth.user_count(EmployeeCategory::Matched)
        );
        // Some rows match only by employee id, some only via the alias domain or case.
        assert!(rows.iter().any(|r| r.email.ends_with(PERSONAL_DOMAIN)));
        assert!(rows.iter().any(|r| r.email.ends_with(ALIAS_DOMAIN)));
        assert!(
            rows.iter()
                .any(|r| r.email.chars().any(|c| c.is_ascii_uppercase()))
        );
        let csv = to_csv(&rows);
        assert!(csv.starts_with(CSV_HEADER));
        assert_eq!(
            csv::Reader::from_reader(csv.as_bytes()).records().count(),
            rows.len()
        );
    }
}
