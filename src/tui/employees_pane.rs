//! The Employees pane: the roster-to-Zoom report's categories with their
//! counts (the offboarding gap first), each category's rows, and link /
//! unlink decisions. The report needs the stored roster and decisions, so it
//! is fetched through the data source (`Request::EmployeesReport`), and
//! decisions are written there too (`Request::EmployeeDecision`); the UI
//! thread never touches the store. Rows are shown by key, resolved in the
//! graph on screen, so a report made from the same snapshot lines up.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::employees::{Category, Report, ReportRow};
use crate::graph::{EntityId, Graph};

use super::action::{Action, ToastLevel};
use super::app::{App, ProvidedRow, ProvidedTable, ProvidedView, View};
use super::model;
use super::pane::PaneKind;
use super::source::Request;

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

#[derive(Debug, Default)]
pub struct EmployeesState {
    pub report: Option<Arc<Report>>,
    /// The category whose rows are open (the pane's drill-down level).
    pub category: Option<Category>,
    pub confirm: Option<Confirm>,
    /// A one-sided row marked with `L`, waiting for its other half: `L` on
    /// a row of the opposite side (any category) then asks to link the two.
    pub mark: Option<Mark>,
    /// Why the report is unavailable, if it is.
    pub error: Option<String>,
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
pub fn rows_table(report: &Report, c: Category, g: &Graph) -> ProvidedTable {
    ProvidedTable {
        columns: vec![
            "zoom user".into(),
            "zoom status".into(),
            "employee".into(),
            "employee status".into(),
            "matched by".into(),
        ],
        rows: report
            .rows(c)
            .iter()
            .map(|r| ProvidedRow {
                entity: main_entity(r, g),
                cells: vec![
                    r.user
                        .as_ref()
                        .map(|u| u.email.clone().unwrap_or_else(|| u.key.clone()))
                        .unwrap_or_default(),
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
                    r.matched_by
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default(),
                ],
            })
            .collect(),
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

impl App {
    fn employees_depth(&self) -> Option<usize> {
        self.root()
            .filter(|r| r.kind == PaneKind::Employees)
            .map(|r| r.stack.len())
    }

    /// The report row under the cursor in a category's rows.
    fn employee_row(&self) -> Option<ReportRow> {
        if self.employees_depth() != Some(1) {
            return None;
        }
        let c = self.employees.category?;
        let report = self.employees.report.as_ref()?;
        match self.view() {
            Some(View::Provided(p)) => report.rows(c).get(p.cursor).cloned(),
            _ => None,
        }
    }

    /// Employees-pane meanings of keys; false when not handled here.
    pub(super) fn update_employees_view(&mut self, action: Action) -> bool {
        let Some(depth) = self.employees_depth() else {
            return false;
        };
        match (depth, action) {
            (0, Action::Open) => {
                let cursor = match self.view() {
                    Some(View::Provided(p)) => p.cursor,
                    _ => return true,
                };
                let (Some(c), Some(report), Some(data)) = (
                    Category::ORDER.get(cursor).copied(),
                    self.employees.report.clone(),
                    self.data.clone(),
                ) else {
                    return true;
                };
                self.employees.category = Some(c);
                self.push(View::Provided(ProvidedView {
                    table: rows_table(&report, c, &data.graph),
                    ..ProvidedView::default()
                }));
                true
            }
            (1, Action::OtherSide) => {
                let (Some(row), Some(data)) = (self.employee_row(), self.data.clone()) else {
                    return true;
                };
                match (
                    user_entity(&row, &data.graph),
                    employee_entity(&row, &data.graph),
                ) {
                    (Some(_), Some(e)) => self.open_entity(e, &data),
                    _ => self.toast("this row has only one side", ToastLevel::Info),
                }
                true
            }
            (1, Action::Link | Action::Unlink) => {
                let Some(row) = self.employee_row() else {
                    return true;
                };
                self.link_or_unlink(action == Action::Link, &row);
                true
            }
            (1, Action::ClearOrBack | Action::BackOrQuit) => {
                self.employees.category = None;
                false
            }
            _ => false,
        }
    }

    /// y confirms the pending link/unlink; any other key cancels it.
    pub(super) fn answer_confirm(&mut self, yes: bool) {
        let Some(c) = self.employees.confirm.take() else {
            return;
        };
        if !yes {
            self.toast("cancelled", ToastLevel::Info);
            return;
        }
        let employee = c
            .employee_key
            .strip_prefix("employee:")
            .unwrap_or(&c.employee_key)
            .to_string();
        self.effects
            .push(super::app::Effect::Request(Request::EmployeeDecision {
                link: c.link,
                user: c.user_key,
                employee,
            }));
    }

    /// Asks the data source for the report (after every new graph).
    pub(super) fn request_employees_report(&mut self) {
        if self.roots.iter().any(|r| r.kind == PaneKind::Employees) {
            self.effects
                .push(super::app::Effect::Request(Request::EmployeesReport));
        }
    }

    /// A report arrived: refresh the categories and any open category.
    pub(super) fn employees_report(&mut self, result: Result<Option<Report>, String>) {
        let report = match result {
            Ok(Some(r)) => Arc::new(r),
            Ok(None) => {
                self.employees.report = None;
                self.employees.error = Some("no roster imported".into());
                return;
            }
            Err(e) => {
                self.employees.error = Some(e.clone());
                self.toast(format!("employee report: {e}"), ToastLevel::Warn);
                return;
            }
        };
        self.employees.error = None;
        self.employees.report = Some(report.clone());
        let Some(data) = self.data.clone() else {
            return;
        };
        let category = self.employees.category;
        if let Some(r) = self
            .roots
            .iter_mut()
            .find(|r| r.kind == PaneKind::Employees)
        {
            if let View::Provided(p) = &mut r.view {
                p.table = categories_table(Some(&report));
            }
            if let (Some(c), Some(View::Provided(p))) = (category, r.stack.first_mut()) {
                p.table = rows_table(&report, c, &data.graph);
                p.cursor = p.cursor.min(p.table.rows.len().saturating_sub(1));
            }
        }
    }
}

/// The y/n question over the screen.
pub fn draw_confirm(th: &super::theme::Theme, f: &mut Frame, r: Rect, text: &str) {
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.warn)
        .title(Span::styled(
            " Confirm — y: yes, any other key: no ",
            th.warn,
        ))
        .style(th.base);
    f.render_widget(
        Paragraph::new(model::clean(text).into_owned())
            .block(block)
            .wrap(Wrap { trim: false }),
        r,
    );
}

impl App {
    /// Breadcrumb for a provided (non-entity) table level.
    pub(super) fn provided_title(&self) -> String {
        match (self.root().map(|r| r.kind), self.employees.category) {
            (Some(PaneKind::Employees), Some(c)) => c.as_str().to_string(),
            _ => "results".into(),
        }
    }
}

impl App {
    /// `L`/`U` on a row: a row with both sides asks at once; `L` on a
    /// one-sided row marks it, and `L` on a row with the opposite side
    /// then asks to link the marked side with it.
    fn link_or_unlink(&mut self, link: bool, row: &ReportRow) {
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
        let pair = match (link, self.employees.mark.clone(), user, employee) {
            (true, Some(m), u, e) => {
                let other = if m.is_user { e } else { u };
                match other {
                    Some(o) => {
                        self.employees.mark = None;
                        let m = (m.key, m.label);
                        if m_is_user(&m.0) { (m, o) } else { (o, m) }
                    }
                    None => {
                        self.toast(
                            format!(
                                "marked {}: press L on a row with {} to link",
                                model::clean(&m.label),
                                if m.is_user {
                                    "an employee"
                                } else {
                                    "a Zoom user"
                                }
                            ),
                            ToastLevel::Info,
                        );
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
                self.toast(
                    format!(
                        "marked {}: press L on a row with {} to link",
                        model::clean(&label),
                        if is_user {
                            "an employee"
                        } else {
                            "a Zoom user"
                        }
                    ),
                    ToastLevel::Info,
                );
                self.employees.mark = Some(Mark {
                    is_user,
                    key,
                    label,
                });
                return;
            }
            (false, _, _, _) => {
                self.toast(
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
        self.employees.confirm = Some(Confirm {
            link,
            user_key,
            employee_key,
            text,
        });
    }
}

fn m_is_user(key: &str) -> bool {
    key.starts_with("zoom_user:")
}
