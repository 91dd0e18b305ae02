//! The Query pane: a J1QL input line with history, the saved questions, and
//! the results of the last query as an enterable table. Queries run off the
//! UI thread ([`QueryJob`] → [`QueryDone`]); each carries a request id and
//! only the newest one's result is shown, so a slow query finishing after a
//! newer one cannot overwrite it.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use crate::graph::Graph;
use crate::query::{self, QueryError, QueryResult};

use super::action::Action;
use super::app::{App, ProvidedRow, ProvidedTable, ProvidedView, View};
use super::model;

/// How many past queries Up/Down can recall.
const HISTORY_MAX: usize = 100;

/// What the pane's table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryShows {
    /// The saved questions (Enter runs one).
    #[default]
    Saved,
    /// The rows of the last query (Enter opens the row's entity).
    Results,
}

/// The pane's own state (the table itself lives in the pane's `ProvidedView`).
#[derive(Debug, Default)]
pub struct QueryState {
    /// The text of the input line (kept while the line is closed).
    pub input: String,
    /// Queries run, oldest first, without repeats in a row.
    pub history: Vec<String>,
    /// Position while browsing history with Up/Down (None: editing new text).
    pub history_pos: Option<usize>,
    /// The request id of the query whose result is awaited.
    pub pending: Option<u64>,
    /// The last query's error (a parse error includes line, column and caret).
    pub error: Option<String>,
    pub shows: QueryShows,
    /// The query whose rows are shown, for the title.
    pub shown_query: Option<String>,
}

impl QueryState {
    /// Records `text` in the history and marks `req` as the awaited result.
    pub fn start(&mut self, text: &str, req: u64) {
        let text = text.trim().to_string();
        if self.history.last() != Some(&text) {
            self.history.push(text.clone());
            if self.history.len() > HISTORY_MAX {
                self.history.remove(0);
            }
        }
        self.history_pos = None;
        self.input = text;
        self.pending = Some(req);
    }

    /// Up (`older = true`) / Down through the history; returns the text to show.
    pub fn recall(&mut self, older: bool) -> Option<String> {
        if self.history.is_empty() {
            return None;
        }
        let last = self.history.len() - 1;
        let pos = match (self.history_pos, older) {
            (None, true) => Some(last),
            (None, false) => return None,
            (Some(p), true) => Some(p.saturating_sub(1)),
            (Some(p), false) if p >= last => None,
            (Some(p), false) => Some(p + 1),
        };
        self.history_pos = pos;
        Some(match pos {
            Some(p) => self.history.get(p).cloned().unwrap_or_default(),
            None => String::new(),
        })
    }
}

/// A query to run in the background.
pub struct QueryJob {
    pub req: u64,
    pub graph: Arc<Graph>,
    pub text: String,
}

impl std::fmt::Debug for QueryJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QueryJob(req {}, {:?})", self.req, self.text)
    }
}

/// A finished query: its rows as a table, or the error's text.
#[derive(Debug, Clone)]
pub struct QueryDone {
    pub req: u64,
    pub result: Result<ProvidedTable, String>,
}

/// Runs a job (on whatever thread calls it).
pub fn run_job(job: &QueryJob) -> QueryDone {
    let result = query::run(&job.graph, &job.text)
        .map(|r| results_table(&r))
        .map_err(|e| error_text(&e));
    QueryDone {
        req: job.req,
        result,
    }
}

fn error_text(e: &QueryError) -> String {
    e.to_string()
}

/// A query result as pane rows (a row's entity makes it enterable).
pub fn results_table(r: &QueryResult) -> ProvidedTable {
    ProvidedTable {
        columns: r.columns.clone(),
        rows: r
            .rows
            .iter()
            .map(|row| ProvidedRow {
                entity: row.entity,
                cells: row.values.iter().map(cell).collect(),
            })
            .collect(),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The saved questions as pane rows (row i is `questions()[i]`).
pub fn saved_table() -> ProvidedTable {
    ProvidedTable {
        columns: vec!["name".into(), "question".into(), "J1QL".into()],
        rows: query::saved::questions()
            .iter()
            .map(|q| ProvidedRow {
                entity: None,
                cells: vec![
                    q.name.clone(),
                    if q.description.is_empty() {
                        q.title.clone()
                    } else {
                        format!("{} — {}", q.title, q.description)
                    },
                    q.query.split_whitespace().collect::<Vec<_>>().join(" "),
                ],
            })
            .collect(),
    }
}

/// The query of saved question `i`.
pub fn saved_query(i: usize) -> Option<String> {
    query::saved::questions().get(i).map(|q| q.query.clone())
}

/// Draws the input line, the error (if any) and the table.
pub fn draw(app: &App, f: &mut Frame, area: Rect, p: &ProvidedView) {
    let th = &app.theme;
    let st = &app.query;
    let err_lines: Vec<String> = st
        .error
        .as_deref()
        .map(|e| e.lines().map(|l| model::clean(l).into_owned()).collect())
        .unwrap_or_default();
    let err_h = (err_lines.len() as u16).min(area.height / 3);
    let [input_area, err_area, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(err_h),
        Constraint::Min(1),
    ])
    .areas(area);
    let editing = app
        .prompt
        .as_ref()
        .is_some_and(|pr| pr.kind == super::app::PromptKind::Query);
    let text = match &app.prompt {
        Some(pr) if editing => pr.text.clone(),
        _ => st.input.clone(),
    };
    let mut spans = vec![
        Span::styled("J1QL› ", th.title),
        Span::raw(model::clean(&text).into_owned()),
    ];
    if editing {
        spans.push(Span::styled("▏", th.title));
    } else if text.is_empty() {
        let k = app
            .keymap
            .first_key(super::keymap::Mode::Normal, super::action::Action::Search);
        spans.push(Span::styled(
            format!("{k}: type J1QL (↑↓ history) · Enter on a saved question runs it · Esc: back to them"),
            th.dim,
        ));
    }
    if st.pending.is_some() {
        spans.push(Span::styled("  running…", th.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), input_area);
    if err_h > 0 {
        let lines: Vec<Line> = err_lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, th.error)))
            .collect();
        f.render_widget(Paragraph::new(lines), err_area);
    }
    super::ui::draw_provided(app, f, table_area, p);
}

impl App {
    /// True when the Query pane's root (the input and its table) is on screen.
    fn at_query_root(&self) -> bool {
        self.root()
            .is_some_and(|r| r.kind == super::pane::PaneKind::Query && r.stack.is_empty())
    }

    /// Opens the J1QL input line with the current query text.
    pub fn edit_query(&mut self) {
        self.prompt = Some(super::app::Prompt {
            kind: super::app::PromptKind::Query,
            text: self.query.input.clone(),
        });
    }

    /// Runs `text` as the Query pane's query (in the background).
    pub fn run_query(&mut self, text: &str) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        let req = self.next_req();
        self.query.start(text, req);
        self.effects
            .push(super::app::Effect::Query(Box::new(QueryJob {
                req,
                graph: data.graph.clone(),
                text: text.trim().to_string(),
            })));
    }

    /// Re-runs the shown query on a new graph: the old rows' entity ids
    /// belong to the old graph.
    pub(super) fn rerun_query(&mut self) {
        if self.query.shows == QueryShows::Results
            && let Some(q) = self.query.shown_query.clone()
        {
            self.run_query(&q);
        }
    }

    /// Keys while the J1QL input is open; false to fall through to the
    /// common prompt editing (typing, Backspace, Ctrl-u, Ctrl-c).
    pub(super) fn update_query_prompt(&mut self, action: Action, text: &str) -> bool {
        match action {
            Action::Accept => {
                self.prompt = None;
                self.query.input = text.to_string();
                self.run_query(text);
                true
            }
            Action::Cancel => {
                self.prompt = None;
                self.query.input = text.to_string();
                self.query.history_pos = None;
                true
            }
            Action::MoveUp | Action::MoveDown => {
                if let Some(t) = self.query.recall(action == Action::MoveUp)
                    && let Some(p) = &mut self.prompt
                {
                    p.text = t;
                }
                true
            }
            Action::Complete => true,
            _ => false,
        }
    }

    /// Query-pane meanings of normal keys; false when not handled here.
    pub(super) fn update_query_view(&mut self, action: Action) -> bool {
        if !self.at_query_root() {
            return false;
        }
        match action {
            // `/` edits the query rather than filtering its rows.
            Action::Search => {
                self.edit_query();
                true
            }
            Action::Open if self.query.shows == QueryShows::Saved => {
                let i = match self.view() {
                    Some(View::Provided(p)) => p.cursor,
                    _ => return true,
                };
                if let Some(q) = saved_query(i) {
                    self.query.input = q.clone();
                    self.run_query(&q);
                }
                true
            }
            // Esc on results goes back to the saved questions.
            Action::ClearOrBack if self.query.shows == QueryShows::Results => {
                self.show_saved();
                true
            }
            _ => false,
        }
    }

    fn show_saved(&mut self) {
        self.query.shows = QueryShows::Saved;
        self.query.error = None;
        self.query.shown_query = None;
        self.set_query_table(saved_table());
    }

    fn set_query_table(&mut self, table: ProvidedTable) {
        if let Some(r) = self
            .roots
            .iter_mut()
            .find(|r| r.kind == super::pane::PaneKind::Query)
        {
            r.view = View::Provided(ProvidedView {
                table,
                ..ProvidedView::default()
            });
        }
    }

    /// A background query finished; results of superseded requests are dropped.
    pub(super) fn query_done(&mut self, done: QueryDone) {
        if self.query.pending != Some(done.req) {
            return;
        }
        self.query.pending = None;
        match done.result {
            Ok(table) => {
                self.query.error = None;
                self.query.shows = QueryShows::Results;
                self.query.shown_query = Some(self.query.input.clone());
                let n = table.rows.len();
                self.set_query_table(table);
                self.toast(format!("{n} row(s)"), super::action::ToastLevel::Info);
            }
            Err(e) => self.query.error = Some(e),
        }
    }
}
