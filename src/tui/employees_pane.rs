//! The Employees pane: the roster-to-Zoom report's categories with their
//! counts (the offboarding gap first), each category's rows, and link /
//! unlink decisions. The report needs the stored roster and decisions, so it
//! is fetched through the data source (`Request::EmployeesReport`), and
//! decisions are written there too (`Request::EmployeeDecision`); the UI
//! thread never touches the store. Rows are shown by key, resolved in the
//! graph on screen, so a report made from the same snapshot lines up.

use std::any::Any;
use std::sync::Arc;

use crate::employees::{Category, EmployeeStatus, Report, ReportRow};
use crate::graph::{EntityId, Graph};

use super::action::{Action, ToastLevel};
use super::component::{Component, Ctx, Notice, Outcome};
use super::model;
use super::pane::PaneKind;
use super::provided::{ProvidedRow, ProvidedTable, ProvidedView};
use super::source::Request;
use super::stack::{View, ViewStack};

/// A link or unlink waiting for y/n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub link: bool,
    pub user_key: String,
    pub employee_key: String,
    /// The question shown.
    pub text: String,
}

/// One side of a row, remembered for a link across categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// True for a Zoom user, false for a roster row.
    pub is_user: bool,
    pub key: String,
    pub label: String,
}

/// The Employees pane: categories, a category's rows, link decisions.
#[derive(Debug)]
pub struct EmployeesPane {
    stack: ViewStack,
    report: Option<Arc<Report>>,
    /// The category whose rows are open (the pane's drill-down level).
    category: Option<Category>,
    confirm: Option<Confirm>,
    /// A one-sided row marked with `L`, waiting for its other half: `L` on
    /// a row of the opposite side (any category) then asks to link the two.
    mark: Option<Mark>,
    /// Why the report is unavailable, if it is.
    error: Option<String>,
}

/// The categories table: category, count, what it means.
pub fn categories_table(report: Option<&Report>) -> ProvidedTable {
    ProvidedTable {
        columns: vec!["category".into(), "count".into(), "meaning".into()],
        rows: Category::ORDER
            .iter()
            .map(|c| ProvidedRow {
                entity: None,
                cells: vec![
                    c.as_str().to_string(),
                    report
                        .map(|r| model::thousands(r.count(*c)))
                        .unwrap_or_else(|| "…".into()),
                    c.description().to_string(),
                ],
            })
            .collect(),
    }
}

/// One category's rows; a row's entity is its Zoom user, else its roster row.
/// Ambiguous rows share e-mails by nature, so they show what tells the
/// candidates apart instead: the group, the Zoom user's id and the
/// employee id and name.
///
/// A list that holds a leaver (the offboarding gap, `terminated_but_active`,
/// always) also shows the termination date and the Zoom user's last login:
/// what an admin needs to judge the gap.
pub fn rows_table(report: &Report, c: Category, g: &Graph) -> ProvidedTable {
    if c == Category::Ambiguous {
        return ambiguous_table(report, g);
    }
    let leavers = c == Category::TerminatedButActive || report.rows(c).iter().any(is_leaver);
    let mut columns: Vec<String> = vec![
        "zoom user".into(),
        "zoom status".into(),
        "employee".into(),
        "employee status".into(),
        "matched by".into(),
    ];
    if leavers {
        columns.extend(["terminated".into(), "last login".into()]);
    }
    ProvidedTable {
        columns,
        rows: report
            .rows(c)
            .iter()
            .map(|r| ProvidedRow {
                entity: main_entity(r, g),
                cells: [
                    user_email(r),
                    r.user
                        .as_ref()
                        .and_then(|u| u.status.clone())
                        .unwrap_or_default(),
                    r.employee
                        .as_ref()
                        .map(|e| e.email.clone())
                        .unwrap_or_default(),
                    r.employee
                        .as_ref()
                        .map(|e| e.status.as_str().to_string())
                        .unwrap_or_default(),
                    matched_by(r),
                ]
                .into_iter()
                .chain(
                    leavers
                        .then(|| [termination(r), last_login(r, g)])
                        .into_iter()
                        .flatten(),
                )
                .collect(),
            })
            .collect(),
    }
}

/// A row whose roster person has left.
fn is_leaver(r: &ReportRow) -> bool {
    r.employee
        .as_ref()
        .is_some_and(|e| e.status == EmployeeStatus::Terminated)
}

/// The roster's termination date, empty when there is none.
fn termination(r: &ReportRow) -> String {
    r.employee
        .as_ref()
        .and_then(|e| e.termination_date)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The Zoom user's last login as a date (`never` when Zoom has none; empty
/// without a Zoom user).
fn last_login(r: &ReportRow, g: &Graph) -> String {
    let Some(id) = user_entity(r, g) else {
        return String::new();
    };
    let login = g.entity(id).props.get("lastLoginTime");
    match (login, login.and_then(|v| v.as_str())) {
        (_, Some(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.date_naive().to_string())
            .unwrap_or_else(|_| model::clean(s).into_owned()),
        (Some(v), None) if !v.is_null() => model::prop_value_text(v),
        _ => "never".into(),
    }
}

fn ambiguous_table(report: &Report, g: &Graph) -> ProvidedTable {
    ProvidedTable {
        columns: vec![
            "group".into(),
            "zoom user".into(),
            "zoom user id".into(),
            "employee".into(),
            "employee id · name".into(),
            "matched by".into(),
            "terminated".into(),
            "last login".into(),
        ],
        rows: report
            .rows(Category::Ambiguous)
            .iter()
            .map(|r| ProvidedRow {
                entity: main_entity(r, g),
                cells: vec![
                    r.ambiguity_group
                        .map(|n| format!("#{n}"))
                        .unwrap_or_default(),
                    user_email(r),
                    user_id(r),
                    r.employee
                        .as_ref()
                        .map(|e| e.email.clone())
                        .unwrap_or_default(),
                    employee_label(r),
                    matched_by(r),
                    termination(r),
                    last_login(r, g),
                ],
            })
            .collect(),
    }
}

fn user_email(r: &ReportRow) -> String {
    r.user
        .as_ref()
        .map(|u| u.email.clone().unwrap_or_else(|| u.key.clone()))
        .unwrap_or_default()
}

/// The Zoom user's id (its key without the type prefix).
fn user_id(r: &ReportRow) -> String {
    r.user
        .as_ref()
        .map(|u| {
            u.key
                .strip_prefix("zoom_user:")
                .unwrap_or(&u.key)
                .to_string()
        })
        .unwrap_or_default()
}

/// `E5 · Pat One`, or the roster line when the row has no employee id.
fn employee_label(r: &ReportRow) -> String {
    let Some(e) = r.employee.as_ref() else {
        return String::new();
    };
    let id = e
        .employee_id
        .clone()
        .unwrap_or_else(|| format!("line {}", e.line));
    match &e.name {
        Some(n) => format!("{id} · {n}"),
        None => id,
    }
}

fn matched_by(r: &ReportRow) -> String {
    r.matched_by
        .map(|m| m.as_str().to_string())
        .unwrap_or_default()
}

/// `d` on a row: both sides next to each other, and for an ambiguous row
/// every candidate pair of its group (the selected one marked), so the
/// pairs can be told apart before a link or unlink. Rows naming a user or
/// an employee open it with Enter.
pub fn comparison_table(report: &Report, row: &ReportRow, g: &Graph) -> ProvidedTable {
    let pairs: Vec<&ReportRow> = match row.ambiguity_group {
        Some(n) => report
            .rows(Category::Ambiguous)
            .iter()
            .filter(|r| r.ambiguity_group == Some(n))
            .collect(),
        None => vec![row],
    };
    let several = pairs.len() > 1;
    let mut rows = Vec::new();
    for (i, r) in pairs.iter().enumerate() {
        let u = r.user.as_ref();
        let e = r.employee.as_ref();
        let label = |name: &str| {
            if several && name == "e-mail" {
                let mark = if *r == row { " (selected)" } else { "" };
                format!("pair {}{mark}", i + 1)
            } else {
                name.to_string()
            }
        };
        let line =
            |name: &str, user: String, employee: String, entity: Option<EntityId>| ProvidedRow {
                entity,
                cells: vec![label(name), user, employee],
            };
        rows.push(line(
            "e-mail",
            user_email(r),
            e.map(|e| e.email.clone()).unwrap_or_default(),
            None,
        ));
        rows.push(line(
            "zoom user",
            u.map(|u| u.key.clone()).unwrap_or_default(),
            String::new(),
            user_entity(r, g),
        ));
        rows.push(line(
            "employee",
            String::new(),
            employee_label(r),
            employee_entity(r, g),
        ));
        rows.push(line(
            "name",
            u.and_then(|u| u.name.clone()).unwrap_or_default(),
            e.and_then(|e| e.name.clone()).unwrap_or_default(),
            None,
        ));
        rows.push(line(
            "status",
            u.and_then(|u| u.status.clone()).unwrap_or_default(),
            e.map(|e| {
                let mut s = e.status.as_str().to_string();
                if let Some(d) = e.termination_date {
                    s.push_str(&format!(" (ends {d})"));
                }
                s
            })
            .unwrap_or_default(),
            None,
        ));
        rows.push(line(
            "department",
            String::new(),
            e.and_then(|e| e.department.clone()).unwrap_or_default(),
            None,
        ));
        rows.push(line("matched by", matched_by(r), String::new(), None));
        if several && i + 1 < pairs.len() {
            rows.push(line("", String::new(), String::new(), None));
        }
    }
    ProvidedTable {
        columns: vec!["".into(), "zoom user".into(), "employee (roster)".into()],
        rows,
    }
}

fn user_entity(r: &ReportRow, g: &Graph) -> Option<EntityId> {
    r.user.as_ref().and_then(|u| g.id_of(&u.key))
}

fn employee_entity(r: &ReportRow, g: &Graph) -> Option<EntityId> {
    r.employee.as_ref().and_then(|e| g.id_of(&e.key))
}

fn main_entity(r: &ReportRow, g: &Graph) -> Option<EntityId> {
    user_entity(r, g).or_else(|| employee_entity(r, g))
}

impl EmployeesPane {
    /// The pane before its report arrives (counts show "…").
    pub fn new() -> EmployeesPane {
        EmployeesPane {
            stack: ViewStack::new(View::Provided(ProvidedView::new(categories_table(None)))),
            report: None,
            category: None,
            confirm: None,
            mark: None,
            error: None,
        }
    }

    /// The link or unlink waiting for y/n.
    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// The one-sided row marked for a link.
    pub fn mark(&self) -> Option<&Mark> {
        self.mark.as_ref()
    }

    /// The report row under the cursor in a category's rows.
    fn row(&self) -> Option<ReportRow> {
        if self.stack.depth() != 1 {
            return None;
        }
        let c = self.category?;
        let report = self.report.as_ref()?;
        match self.stack.top() {
            View::Provided(p) => report.rows(c).get(p.selected()?).cloned(),
            _ => None,
        }
    }

    /// Employees-pane meanings of keys; `Ignored` when not handled here.
    fn own_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match (self.stack.depth(), action) {
            (0, Action::Open) => {
                let Some(cursor) = (match self.stack.top() {
                    View::Provided(p) => p.selected(),
                    _ => None,
                }) else {
                    return Outcome::Consumed;
                };
                let (Some(c), Some(report)) =
                    (Category::ORDER.get(cursor).copied(), self.report.clone())
                else {
                    return Outcome::Consumed;
                };
                self.category = Some(c);
                self.stack.push(View::Provided(ProvidedView::titled(
                    rows_table(&report, c, &ctx.data().graph),
                    c.as_str().to_string(),
                )));
                Outcome::Consumed
            }
            (1, Action::OtherSide) => {
                let Some(row) = self.row() else {
                    return Outcome::Consumed;
                };
                let g = &ctx.data().graph;
                match (user_entity(&row, g), employee_entity(&row, g)) {
                    (Some(_), Some(e)) => self.stack.open_entity(e, ctx),
                    _ => ctx.toast("this row has only one side", ToastLevel::Info),
                }
                Outcome::Consumed
            }
            (1, Action::Details) => {
                let (Some(row), Some(report)) = (self.row(), self.report.clone()) else {
                    return Outcome::Consumed;
                };
                let title = match row.ambiguity_group {
                    Some(n) => format!("ambiguous #{n}"),
                    None => user_email(&row),
                };
                let table = comparison_table(&report, &row, &ctx.data().graph);
                self.stack
                    .push(View::Provided(ProvidedView::titled(table, title)));
                Outcome::Consumed
            }
            (1, Action::Link | Action::Unlink) => {
                if let Some(row) = self.row() {
                    self.link_or_unlink(action == Action::Link, &row, ctx);
                }
                Outcome::Consumed
            }
            // Esc with marks or a filter only clears them: the category stays open.
            (1, Action::ClearOrBack)
                if self.stack.has_marks() || !self.stack.filter().is_empty() =>
            {
                Outcome::Ignored
            }
            (1, Action::ClearOrBack | Action::BackOrQuit) => {
                self.category = None;
                Outcome::Ignored
            }
            _ => Outcome::Ignored,
        }
    }

    /// A report arrived: refresh the categories and any open category.
    fn take_report(&mut self, result: Result<Option<Report>, String>, ctx: &mut Ctx) {
        let report = match result {
            Ok(Some(r)) => Arc::new(r),
            Ok(None) => {
                self.report = None;
                self.error = Some("no roster imported".into());
                return;
            }
            Err(e) => {
                self.error = Some(e.clone());
                ctx.toast(format!("employee report: {e}"), ToastLevel::Warn);
                return;
            }
        };
        self.error = None;
        self.report = Some(report.clone());
        if let View::Provided(p) = self.stack.root_mut() {
            p.set_table(categories_table(Some(&report)));
        }
        if let (Some(c), Some(View::Provided(p))) = (self.category, self.stack.levels_mut().next())
        {
            p.set_table(rows_table(&report, c, &ctx.data().graph));
        }
    }

    /// `L`/`U` on a row: a row with both sides asks at once; `L` on a
    /// one-sided row marks it, and `L` on a row with the opposite side
    /// then asks to link the marked side with it.
    fn link_or_unlink(&mut self, link: bool, row: &ReportRow, ctx: &mut Ctx) {
        let user = row.user.as_ref().map(|u| {
            (
                u.key.clone(),
                u.email.clone().unwrap_or_else(|| u.key.clone()),
            )
        });
        let employee = row
            .employee
            .as_ref()
            .map(|e| (e.key.clone(), e.email.clone()));
        let pair = match (link, self.mark.clone(), user, employee) {
            (true, Some(m), u, e) => {
                let other = if m.is_user { e } else { u };
                match other {
                    Some(o) => {
                        self.mark = None;
                        let m = (m.key, m.label);
                        if m_is_user(&m.0) { (m, o) } else { (o, m) }
                    }
                    None => {
                        ctx.toast(marked_text(&m.label, m.is_user), ToastLevel::Info);
                        return;
                    }
                }
            }
            (_, _, Some(u), Some(e)) => (u, e),
            (true, None, u, e) => {
                let (is_user, (key, label)) = match (u, e) {
                    (Some(u), _) => (true, u),
                    (_, Some(e)) => (false, e),
                    _ => return,
                };
                ctx.toast(marked_text(&label, is_user), ToastLevel::Info);
                self.mark = Some(Mark {
                    is_user,
                    key,
                    label,
                });
                return;
            }
            (false, _, _, _) => {
                ctx.toast(
                    "unlink needs a row with a Zoom user and an employee",
                    ToastLevel::Info,
                );
                return;
            }
        };
        let ((user_key, user_label), (employee_key, employee_label)) = pair;
        let text = format!(
            "{} Zoom user {} {} employee {}? (y/n)",
            if link { "Link" } else { "Unlink" },
            model::clean(&user_label),
            if link { "to" } else { "from" },
            model::clean(&employee_label)
        );
        self.confirm = Some(Confirm {
            link,
            user_key,
            employee_key,
            text,
        });
    }
}

impl Default for EmployeesPane {
    fn default() -> Self {
        EmployeesPane::new()
    }
}

impl Component for EmployeesPane {
    fn kind(&self) -> PaneKind {
        PaneKind::Employees
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        if self.own_action(action, ctx) == Outcome::Consumed {
            return Outcome::Consumed;
        }
        self.stack.handle_action(action, PaneKind::Employees, ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        match notice {
            Notice::EmployeesReport(r) => {
                self.take_report(r, ctx);
                Outcome::Consumed
            }
            // Every new graph gets a new report (the data source reads the
            // stored roster and decisions).
            Notice::Graph { .. } => {
                self.stack.notify(&notice, ctx);
                ctx.request(Request::EmployeesReport);
                Outcome::Ignored
            }
            other => self.stack.notify(&other, ctx),
        }
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    fn question(&self) -> Option<&str> {
        self.confirm.as_ref().map(|c| c.text.as_str())
    }

    /// y confirms the pending link/unlink; any other key cancels it.
    fn answer(&mut self, yes: bool, ctx: &mut Ctx) {
        let Some(c) = self.confirm.take() else {
            return;
        };
        if !yes {
            ctx.toast("cancelled", ToastLevel::Info);
            return;
        }
        let employee = c
            .employee_key
            .strip_prefix("employee:")
            .unwrap_or(&c.employee_key)
            .to_string();
        ctx.request(Request::EmployeeDecision {
            link: c.link,
            user: c.user_key,
            employee,
        });
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn marked_text(label: &str, is_user: bool) -> String {
    format!(
        "marked {}: press L on a row with {} to link",
        model::clean(label),
        if is_user {
            "an employee"
        } else {
            "a Zoom user"
        }
    )
}

fn m_is_user(key: &str) -> bool {
    key.starts_with("zoom_user:")
}
