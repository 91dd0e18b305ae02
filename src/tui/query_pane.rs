//! The Query pane: a J1QL input line with history, the saved questions, and
//! the results of the last query as an enterable table. Queries run off the
//! UI thread ([`QueryJob`] → [`QueryDone`]); each carries a request id and
//! only the newest one's result is shown, so a slow query finishing after a
//! newer one cannot overwrite it.

use std::any::Any;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use crate::graph::Graph;
use crate::query::{self, QueryError, QueryResult};
use crate::util::human;

use super::action::{Action, ToastLevel};
use super::app::Effect;
use super::component::{Component, Ctx, DrawCtx, Notice, Outcome, PromptKind};
use super::keymap::Mode;
use super::model;
use super::pane::PaneKind;
use super::provided::{ProvidedRow, ProvidedTable, ProvidedView};
use super::stack::{View, ViewStack};

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

/// The input line, its history and the awaited request.
#[derive(Debug, Default)]
struct QueryState {
    /// The text of the input line (kept while the line is closed).
    input: String,
    /// Queries run, oldest first, without repeats in a row.
    history: Vec<String>,
    /// Position while browsing history with Up/Down (None: editing new text).
    history_pos: Option<usize>,
    /// The request id of the query whose result is awaited.
    pending: Option<u64>,
    /// The last query's error (a parse error includes line, column and caret).
    error: Option<String>,
    /// The shown result's warnings (unknown type or property, "did you
    /// mean …"): a typo matches nothing, and must not look like an empty answer.
    warnings: Vec<String>,
    shows: QueryShows,
    /// The query whose rows are shown, for the title.
    shown_query: Option<String>,
}

impl QueryState {
    /// Records `text` in the history and marks `req` as the awaited result.
    fn start(&mut self, text: &str, req: u64) {
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
    fn recall(&mut self, older: bool) -> Option<String> {
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
    /// [`QueryResult::warnings`]: unknown types or properties, with the
    /// nearest known word.
    pub warnings: Vec<String>,
}

/// Runs a job (on whatever thread calls it).
pub fn run_job(job: &QueryJob) -> QueryDone {
    let (result, warnings) = match query::run(&job.graph, &job.text) {
        Ok(r) => (Ok(results_table(&r, &job.graph)), r.warnings),
        Err(e) => (Err(error_text(&e)), Vec::new()),
    };
    QueryDone {
        req: job.req,
        result,
        warnings,
    }
}

fn error_text(e: &QueryError) -> String {
    e.to_string()
}

/// A query result as pane rows (a row's entity makes it enterable): entity
/// rows in their type's useful columns, values as a person reads them.
pub fn results_table(r: &QueryResult, graph: &Graph) -> ProvidedTable {
    let shown = query::display::display(r, graph);
    let cells = |values: &[Value]| -> Vec<String> {
        shown
            .columns
            .iter()
            .zip(values)
            .map(|(c, v)| cell(c, v))
            .collect()
    };
    ProvidedTable {
        rows: r
            .rows
            .iter()
            .zip(&shown.rows)
            .map(|(row, values)| ProvidedRow {
                entity: row.entity,
                cells: cells(values),
            })
            .collect(),
        columns: shown.columns,
    }
}

/// A cell under `column`: a RETURN label's property (`u.verified`) or a
/// display column (`members`) named as a person reads it.
fn cell(column: &str, v: &Value) -> String {
    let prop = column.rsplit('.').next().unwrap_or(column);
    let prop = if prop == "members" {
        "totalMembers"
    } else {
        prop
    };
    human::prop(prop, v)
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

/// What of the J1QL line filters the pane's rows: text that is not a
/// query (its first word is not `FIND`), so typing a saved question's name
/// narrows the list and `FIND …` is left to run.
pub fn row_filter(text: &str) -> &str {
    let t = text.trim();
    let first = t.split_whitespace().next().unwrap_or("");
    if t.is_empty() || first.eq_ignore_ascii_case("find") {
        ""
    } else {
        t
    }
}

/// The Query pane: its table (saved questions or results) and the input line.
#[derive(Debug)]
pub struct QueryPane {
    stack: ViewStack,
    state: QueryState,
}

impl QueryPane {
    pub fn new() -> QueryPane {
        QueryPane {
            stack: ViewStack::new(View::Provided(ProvidedView::new(saved_table()))),
            state: QueryState::default(),
        }
    }

    /// The text of the input line.
    pub fn input(&self) -> &str {
        &self.state.input
    }

    /// The last query's error.
    pub fn error(&self) -> Option<&str> {
        self.state.error.as_deref()
    }

    /// The shown result's warnings.
    pub fn warnings(&self) -> &[String] {
        &self.state.warnings
    }

    pub fn shows(&self) -> QueryShows {
        self.state.shows
    }

    /// Runs `text` as the pane's query (in the background).
    fn run_query(&mut self, text: &str, ctx: &mut Ctx) {
        if text.trim().is_empty() {
            return;
        }
        let req = ctx.next_req();
        self.state.start(text, req);
        ctx.effect(Effect::Query(Box::new(QueryJob {
            req,
            graph: ctx.data().graph.clone(),
            text: text.trim().to_string(),
        })));
    }

    fn show_saved(&mut self) {
        self.state.shows = QueryShows::Saved;
        self.state.error = None;
        self.state.warnings.clear();
        self.state.shown_query = None;
        self.set_table(saved_table());
    }

    fn set_table(&mut self, table: ProvidedTable) {
        self.stack
            .replace_root(View::Provided(ProvidedView::new(table)));
    }

    /// A background query finished; results of superseded requests are dropped.
    fn query_done(&mut self, done: QueryDone, ctx: &mut Ctx) {
        if self.state.pending != Some(done.req) {
            return;
        }
        self.state.pending = None;
        match done.result {
            Ok(table) => {
                self.state.error = None;
                self.state.warnings = done.warnings;
                self.state.shows = QueryShows::Results;
                self.state.shown_query = Some(self.state.input.clone());
                let n = table.rows.len();
                self.set_table(table);
                ctx.toast(format!("{n} row(s)"), ToastLevel::Info);
            }
            Err(e) => {
                self.state.error = Some(e);
                self.state.warnings.clear();
            }
        }
    }

    /// The index (into the root table) of the row under the cursor.
    fn selected_row(&self) -> Option<usize> {
        match self.stack.root() {
            View::Provided(p) => p.selected(),
            _ => None,
        }
    }

    /// Enter on row `i` of the root table (chosen before a filter was
    /// cleared): a saved question runs, a result opens its entity.
    fn open_row(&mut self, i: Option<usize>, ctx: &mut Ctx) {
        let Some(i) = i else { return };
        match self.state.shows {
            QueryShows::Saved => {
                if let Some(q) = saved_query(i) {
                    self.state.input = q.clone();
                    self.run_query(&q, ctx);
                }
            }
            QueryShows::Results => {
                let entity = match self.stack.root() {
                    View::Provided(p) => p.table().rows.get(i).and_then(|r| r.entity),
                    _ => None,
                };
                if let Some(id) = entity {
                    self.stack.open_entity(id, ctx);
                }
            }
        }
    }

    /// Query-pane meanings of keys at its root; `Ignored` when not handled here.
    fn root_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match action {
            // `/` edits the query rather than filtering its rows.
            Action::Search => {
                ctx.open_prompt(PromptKind::Query, self.state.input.clone());
                Outcome::Consumed
            }
            Action::Open if self.state.shows == QueryShows::Saved => {
                let Some(i) = (match self.stack.top() {
                    View::Provided(p) => p.selected(),
                    _ => None,
                }) else {
                    return Outcome::Consumed;
                };
                if let Some(q) = saved_query(i) {
                    self.state.input = q.clone();
                    self.run_query(&q, ctx);
                }
                Outcome::Consumed
            }
            // Esc on results goes back to the saved questions.
            Action::ClearOrBack if self.state.shows == QueryShows::Results => {
                self.show_saved();
                Outcome::Consumed
            }
            _ => Outcome::Ignored,
        }
    }
}

impl Default for QueryPane {
    fn default() -> Self {
        QueryPane::new()
    }
}

impl Component for QueryPane {
    fn kind(&self) -> PaneKind {
        PaneKind::Query
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        if self.stack.depth() == 0 && self.root_action(action, ctx) == Outcome::Consumed {
            return Outcome::Consumed;
        }
        self.stack.handle_action(action, PaneKind::Query, ctx)
    }

    /// Keys while the J1QL input is open; `Ignored` falls through to the
    /// common prompt editing (typing, Backspace, Ctrl-u, Ctrl-c).
    fn handle_prompt(&mut self, action: Action, text: &str, ctx: &mut Ctx) -> Outcome {
        match action {
            // Text that filtered the rows opens the best match, as Enter
            // does on `/` elsewhere: a saved question runs, a result opens.
            Action::Accept if !row_filter(text).is_empty() && self.selected_row().is_some() => {
                let i = self.selected_row();
                ctx.close_prompt();
                self.stack.set_filter("", ctx);
                self.open_row(i, ctx);
            }
            Action::Accept => {
                ctx.close_prompt();
                self.stack.set_filter("", ctx);
                self.state.input = text.to_string();
                self.run_query(text, ctx);
            }
            Action::Cancel => {
                ctx.close_prompt();
                self.stack.set_filter("", ctx);
                self.state.input = text.to_string();
                self.state.history_pos = None;
            }
            Action::MoveUp | Action::MoveDown => {
                if let Some(t) = self.state.recall(action == Action::MoveUp) {
                    ctx.set_prompt_text(t);
                }
            }
            Action::Complete => {}
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        match notice {
            Notice::Query(done) => {
                self.query_done(done, ctx);
                Outcome::Consumed
            }
            Notice::Graph { .. } => {
                self.stack.notify(&notice, ctx);
                // The shown rows' entity ids belong to the old graph.
                if self.state.shows == QueryShows::Results
                    && let Some(q) = self.state.shown_query.clone()
                {
                    self.run_query(&q, ctx);
                }
                Outcome::Ignored
            }
            other => self.stack.notify(&other, ctx),
        }
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    /// `:query FIND …` runs the query.
    fn command(&mut self, args: &str, ctx: &mut Ctx) {
        self.run_query(args, ctx);
    }

    fn draw(&self, f: &mut Frame, area: Rect, dc: &DrawCtx) {
        match self.stack.top() {
            View::Provided(p) if self.stack.depth() == 0 => self.draw_root(f, area, dc, p),
            v => super::ui::draw_view(v, PaneKind::Query, f, area, dc),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl QueryPane {
    /// Draws the input line, the error (if any) and the table.
    fn draw_root(&self, f: &mut Frame, area: Rect, dc: &DrawCtx, p: &ProvidedView) {
        let th = dc.theme;
        let st = &self.state;
        // The error, else the warnings ("warning: unknown type …"): both
        // in the error style, above the rows they explain.
        let err_lines: Vec<String> = match st.error.as_deref() {
            Some(e) => e.lines().map(|l| model::clean(l).into_owned()).collect(),
            // Wrapped: the suggestion at the end is the point of a warning.
            None => st
                .warnings
                .iter()
                .flat_map(|w| wrap(&format!("warning: {}", model::clean(w)), area.width))
                .collect(),
        };
        let err_h = (err_lines.len() as u16).min(area.height / 3);
        let [input_area, err_area, table_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(err_h),
            Constraint::Min(1),
        ])
        .areas(area);
        let editing = dc.prompt.filter(|pr| pr.kind == PromptKind::Query);
        let text = match editing {
            Some(pr) => pr.text.clone(),
            None => st.input.clone(),
        };
        let mut spans = vec![
            Span::styled("J1QL› ", th.title),
            Span::raw(model::clean(&text).into_owned()),
        ];
        if editing.is_some() {
            spans.push(Span::styled("▏", th.title));
        } else if text.is_empty() {
            let k = dc.keymap.first_key(Mode::Normal, Action::Search);
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
            let tone = if st.error.is_some() {
                th.error
            } else {
                th.warn
            };
            let lines: Vec<Line> = err_lines
                .into_iter()
                .map(|l| Line::from(Span::styled(l, tone)))
                .collect();
            f.render_widget(Paragraph::new(lines), err_area);
        }
        super::ui::provided::draw(p, PaneKind::Query, f, table_area, dc);
    }
}

/// `s` cut into lines of at most `width` columns, between words where it
/// can be (a parse error's caret line is never wrapped; this is for
/// warnings).
fn wrap(s: &str, width: u16) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let width = usize::from(width.max(1));
    let mut lines: Vec<String> = vec![String::new()];
    for word in s.split(' ') {
        let Some(line) = lines.last_mut() else { break };
        let need = word.width() + usize::from(!line.is_empty());
        if line.width() + need <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        // A new line; a word wider than the line is cut by columns.
        let mut cur = String::new();
        for c in word.chars() {
            if cur.width() + c.width().unwrap_or(0) > width {
                lines.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        lines.push(cur);
    }
    lines.retain(|l| !l.is_empty());
    lines
}
