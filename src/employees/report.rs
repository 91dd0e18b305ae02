//! The employee-mapping report: every Zoom user and every roster row sorted
//! into categories, with both sides' keys so a UI can jump to either.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use crate::graph::{EntityId, Graph};

use super::matching::{MatchOptions, MatchedBy, Matching, Suggestion, ZoomUser, match_users};
use super::roster::{Employee, EmployeeStatus};
use super::storage::Decision;

/// A report category. [`Category::ORDER`] is the display order: the
/// offboarding gap first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A terminated employee whose Zoom user is still active, or still
    /// invited (a pending invite a leaver could accept).
    TerminatedButActive,
    /// A Zoom user with no employee (contractor, shared or unknown account).
    NotAnEmployee,
    /// An active employee (or on leave) with no Zoom user.
    EmployeeWithoutZoom,
    /// Several candidates; a human has to `link` or `unlink`.
    Ambiguous,
    /// A Zoom user matched to an employee (and not a gap).
    Matched,
}

impl Category {
    pub const ORDER: [Category; 5] = [
        Category::TerminatedButActive,
        Category::NotAnEmployee,
        Category::EmployeeWithoutZoom,
        Category::Ambiguous,
        Category::Matched,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::TerminatedButActive => "terminated_but_active",
            Category::NotAnEmployee => "not_an_employee",
            Category::EmployeeWithoutZoom => "employee_without_zoom",
            Category::Ambiguous => "ambiguous",
            Category::Matched => "matched",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        let k = s.trim().to_ascii_lowercase().replace('-', "_");
        Category::ORDER.into_iter().find(|c| c.as_str() == k)
    }

    /// One line saying what the category means.
    pub fn description(self) -> &'static str {
        match self {
            Category::TerminatedButActive => {
                "terminated employees whose Zoom user is still active or invited (offboarding gap)"
            }
            Category::NotAnEmployee => "Zoom users without an employee (contractors, unknown)",
            Category::EmployeeWithoutZoom => "active employees without a Zoom user",
            Category::Ambiguous => "several candidates: decide with `employees link`/`unlink`",
            Category::Matched => "Zoom users matched to an employee",
        }
    }
}

/// The Zoom side of a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserSide {
    /// The user's entity in the graph the report was made from.
    #[serde(skip)]
    pub entity: EntityId,
    pub key: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
}

/// The roster side of a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmployeeSide {
    /// Index into the roster the report was made from.
    #[serde(skip)]
    pub index: usize,
    /// `employee:…`, the Person entity's `_key` once overlaid.
    pub key: String,
    pub employee_id: Option<String>,
    pub email: String,
    pub name: Option<String>,
    /// Status on the report's date (a past termination date counts).
    pub status: EmployeeStatus,
    pub termination_date: Option<NaiveDate>,
    pub department: Option<String>,
    pub title: Option<String>,
    /// Line of the roster file.
    pub line: u64,
}

/// A hint that a row might belong with another (never a match).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowSuggestion {
    /// A `zoom_user:…` or `employee:…` key.
    pub key: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub reason: &'static str,
}

/// One row of a category. `matched` and `terminated_but_active` rows have
/// both sides; `not_an_employee` only the user; `employee_without_zoom` only
/// the employee; `ambiguous` one row per candidate pair, with both.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub user: Option<UserSide>,
    pub employee: Option<EmployeeSide>,
    pub matched_by: Option<MatchedBy>,
    /// Rows of the same ambiguous component share a group number.
    pub ambiguity_group: Option<usize>,
    pub suggestions: Vec<RowSuggestion>,
}

impl ReportRow {
    /// The `--json` shape: `user_key`, `user_email`, `employee_id`,
    /// `employee_email` always present (null where that side is absent),
    /// plus details.
    pub fn to_json(&self) -> Value {
        let u = self.user.as_ref();
        let e = self.employee.as_ref();
        let mut v = json!({
            "user_key": u.map(|u| &u.key),
            "user_email": u.and_then(|u| u.email.as_ref()),
            "employee_id": e.and_then(|e| e.employee_id.as_ref()),
            "employee_email": e.map(|e| &e.email),
            "user_name": u.and_then(|u| u.name.as_ref()),
            "user_status": u.and_then(|u| u.status.as_ref()),
            "employee_key": e.map(|e| &e.key),
            "employee_name": e.and_then(|e| e.name.as_ref()),
            "employee_status": e.map(|e| e.status.as_str()),
            "termination_date": e.and_then(|e| e.termination_date.map(|d| d.to_string())),
            "matched_by": self.matched_by.map(MatchedBy::as_str),
        });
        if let Some(g) = self.ambiguity_group
            && let Value::Object(m) = &mut v
        {
            m.insert("ambiguity_group".into(), json!(g));
        }
        if !self.suggestions.is_empty()
            && let Value::Object(m) = &mut v
        {
            m.insert("suggestions".into(), json!(self.suggestions));
        }
        v
    }
}

/// Every category's rows. Build with [`report`].
#[derive(Debug, Clone, Default)]
pub struct Report {
    rows: BTreeMap<Category, Vec<ReportRow>>,
    /// The date statuses were evaluated on.
    pub today: Option<NaiveDate>,
}

impl Report {
    /// Rows of one category, in a stable order (by e-mail, then key).
    pub fn rows(&self, c: Category) -> &[ReportRow] {
        self.rows.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn count(&self, c: Category) -> usize {
        self.rows(c).len()
    }

    /// (category, count) in display order.
    pub fn counts(&self) -> Vec<(Category, usize)> {
        Category::ORDER
            .into_iter()
            .map(|c| (c, self.count(c)))
            .collect()
    }

    /// `{"categories": {"matched": [...], "terminated_but_active": [...], …}}`;
    /// with `only`, just that category.
    pub fn to_json(&self, only: Option<Category>) -> Value {
        let mut cats = serde_json::Map::new();
        for c in Category::ORDER {
            if only.is_some_and(|o| o != c) {
                continue;
            }
            cats.insert(
                c.as_str().to_string(),
                Value::Array(self.rows(c).iter().map(ReportRow::to_json).collect()),
            );
        }
        json!({ "categories": cats })
    }

    /// The user's row in matched/terminated_but_active, if any (for the
    /// user detail view: "linked employee").
    pub fn employee_of(&self, user_key: &str) -> Option<&ReportRow> {
        [Category::TerminatedButActive, Category::Matched]
            .into_iter()
            .flat_map(|c| self.rows(c))
            .find(|r| r.user.as_ref().is_some_and(|u| u.key == user_key))
    }
}

/// Matches the graph's Zoom users against a roster and sorts the result
/// into categories. The graph may already carry the employee overlay; only
/// its `zoom_user` entities are read.
pub fn report(
    graph: &Graph,
    employees: &[Employee],
    decisions: &[Decision],
    opts: &MatchOptions,
) -> Report {
    let users = ZoomUser::from_graph(graph);
    let matching = match_users(&users, employees, decisions, opts);
    build(&users, employees, &matching, opts.today)
}

/// Sorts a finished [`Matching`] into categories.
pub fn build(users: &[ZoomUser], employees: &[Employee], m: &Matching, today: NaiveDate) -> Report {
    let user_side = |u: usize| {
        let z = &users[u];
        UserSide {
            entity: z.entity,
            key: z.key.to_string(),
            email: (!z.email.is_empty()).then(|| z.email.to_string()),
            name: z.name.map(str::to_string).or_else(|| {
                let parts: Vec<&str> = [z.first_name, z.last_name].into_iter().flatten().collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            }),
            status: z.status.map(str::to_string),
        }
    };
    let emp_side = |e: usize| {
        let x = &employees[e];
        EmployeeSide {
            index: e,
            key: x.key(),
            employee_id: x.employee_id.clone(),
            email: x.email.clone(),
            name: x.display_name(),
            status: x.status_on(today),
            termination_date: x.termination_date,
            department: x.department.clone(),
            title: x.title.clone(),
            line: x.line,
        }
    };
    let mut rows: BTreeMap<Category, Vec<ReportRow>> = BTreeMap::new();
    for p in &m.pairs {
        let terminated = employees[p.employee].status_on(today) == EmployeeStatus::Terminated;
        // A leaver's open invite is a way back in, not a match.
        let user = &users[p.user];
        let cat = if terminated && (user.is_active() || user.is_pending()) {
            Category::TerminatedButActive
        } else {
            Category::Matched
        };
        rows.entry(cat).or_default().push(ReportRow {
            user: Some(user_side(p.user)),
            employee: Some(emp_side(p.employee)),
            matched_by: Some(p.by),
            ambiguity_group: None,
            suggestions: Vec::new(),
        });
    }
    for (g, a) in m.ambiguous.iter().enumerate() {
        for &(u, e) in &a.pairs {
            rows.entry(Category::Ambiguous)
                .or_default()
                .push(ReportRow {
                    user: Some(user_side(u)),
                    employee: Some(emp_side(e)),
                    matched_by: Some(a.by),
                    ambiguity_group: Some(g + 1),
                    suggestions: Vec::new(),
                });
        }
    }
    let to_user_suggestion = |s: &Suggestion| {
        let z = &users[s.index];
        RowSuggestion {
            key: z.key.to_string(),
            email: (!z.email.is_empty()).then(|| z.email.to_string()),
            name: user_side(s.index).name,
            reason: s.reason,
        }
    };
    let to_emp_suggestion = |s: &Suggestion| {
        let x = &employees[s.index];
        RowSuggestion {
            key: x.key(),
            email: Some(x.email.clone()),
            name: x.display_name(),
            reason: s.reason,
        }
    };
    for &u in &m.unmatched_users {
        rows.entry(Category::NotAnEmployee)
            .or_default()
            .push(ReportRow {
                user: Some(user_side(u)),
                employee: None,
                matched_by: None,
                ambiguity_group: None,
                suggestions: m
                    .user_suggestions
                    .get(&u)
                    .map(|s| s.iter().map(to_emp_suggestion).collect())
                    .unwrap_or_default(),
            });
    }
    for &e in &m.unmatched_employees {
        // A leaver with no Zoom user is the desired state, not a gap; a
        // future hire is not expected to have one yet.
        if matches!(
            employees[e].status_on(today),
            EmployeeStatus::Terminated | EmployeeStatus::Pending
        ) {
            continue;
        }
        rows.entry(Category::EmployeeWithoutZoom)
            .or_default()
            .push(ReportRow {
                user: None,
                employee: Some(emp_side(e)),
                matched_by: None,
                ambiguity_group: None,
                suggestions: m
                    .employee_suggestions
                    .get(&e)
                    .map(|s| s.iter().map(to_user_suggestion).collect())
                    .unwrap_or_default(),
            });
    }
    for (cat, list) in rows.iter_mut() {
        if *cat == Category::Ambiguous {
            continue; // keep each component's rows together
        }
        list.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    }
    Report {
        rows,
        today: Some(today),
    }
}

fn sort_key(r: &ReportRow) -> (&str, &str) {
    let email = r
        .user
        .as_ref()
        .and_then(|u| u.email.as_deref())
        .or(r.employee.as_ref().map(|e| e.email.as_str()))
        .unwrap_or("");
    let key = r
        .user
        .as_ref()
        .map(|u| u.key.as_str())
        .or(r.employee.as_ref().map(|e| e.key.as_str()))
        .unwrap_or("");
    (email, key)
}
