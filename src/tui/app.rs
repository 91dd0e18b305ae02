//! The app state and its one mutator, [`App::update`] (plus [`App::handle`]
//! for background events). Nothing here does I/O: work that leaves the
//! state machine is returned as [`Effect`]s for the runner (or a test
//! harness) to carry out, and its results come back as events.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde_json::Value;

use crate::graph::{EntityId, EntityType, Graph};
use crate::sync::{StepOutcome, SyncEvent};

use super::action::{Action, Event, ToastLevel};
use super::columns::TableKind;
use super::detail::{DetailKind, DetailView, SettingsState};
use super::export::ExportJob;
use super::keymap::{Key, Keymap, Mode};
use super::model::{self, Data};
use super::pane::PaneKind;
use super::raw::RawView;
use super::search::SearchJob;
use super::source::{Request, SyncFailure};
use super::table::{RowSource, TableView};
use super::theme::Theme;

/// Work for the runner.
#[derive(Debug)]
pub enum Effect {
    Search(Box<SearchJob>),
    Request(Request),
    Copy(String),
    Export(Box<ExportJob>),
    /// Run a J1QL query in the background (answered by `Event::Query`).
    Query(Box<super::query_pane::QueryJob>),
    Quit,
}

impl std::fmt::Debug for SearchJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchJob(target {}, req {})", self.target, self.req)
    }
}

/// Rows for a pane this module does not compute itself (Changes, Alerts,
/// Query): a provider turns the current graph into a table. Rows that name
/// an entity are enterable.
pub trait PaneProvider: Send {
    fn kind(&self) -> PaneKind;
    fn build(&self, graph: &Graph) -> ProvidedTable;
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvidedTable {
    pub columns: Vec<String>,
    pub rows: Vec<ProvidedRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProvidedRow {
    pub entity: Option<EntityId>,
    pub cells: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ProvidedView {
    pub table: ProvidedTable,
    /// The breadcrumb of a drill-down level (`None`: "results").
    pub title: Option<String>,
    pub cursor: usize,
    pub offset: std::cell::Cell<usize>,
    pub height: std::cell::Cell<usize>,
}

/// What a level of the drill-down shows.
#[derive(Debug)]
pub enum View {
    Table(TableView),
    Detail(DetailView),
    Raw(RawView),
    Provided(ProvidedView),
}

/// A top-level pane and its own drill-down stack.
#[derive(Debug)]
pub struct Root {
    pub kind: PaneKind,
    pub view: View,
    pub stack: Vec<View>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Command,
    /// The Query pane's J1QL input line.
    Query,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Toast {
    pub text: String,
    pub level: ToastLevel,
    pub until: Instant,
}

#[derive(Debug, Clone, Default)]
pub struct SyncStatus {
    pub running: bool,
    pub step: Option<String>,
    pub done: usize,
    pub total: Option<u64>,
    pub steps_finished: usize,
    pub failed_steps: usize,
    /// How the last sync ended, for the status line.
    pub last: Option<String>,
}

/// Start-up options.
pub struct AppOptions {
    pub keymap: Keymap,
    pub theme: Theme,
    pub profile: String,
    pub export_dir: PathBuf,
    pub providers: Vec<Box<dyn PaneProvider>>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            keymap: Keymap::default(),
            theme: Theme::new(super::theme::ThemeName::Dark, true),
            profile: "default".into(),
            export_dir: std::env::temp_dir(),
            providers: Vec::new(),
        }
    }
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TOAST_TIME: Duration = Duration::from_secs(5);

pub struct App {
    pub keymap: Keymap,
    pub theme: Theme,
    pub profile: String,
    pub export_dir: PathBuf,
    providers: Vec<Box<dyn PaneProvider>>,
    pub data: Option<Data>,
    /// Shown instead of panes when there is nothing to show.
    pub no_data: Option<String>,
    pub roots: Vec<Root>,
    pub active: usize,
    pub prompt: Option<Prompt>,
    pub help: Option<usize>,
    pub modal: Option<String>,
    pub toasts: Vec<Toast>,
    pub sync: SyncStatus,
    pub spinner: usize,
    pub settings_cache: HashMap<String, Result<Vec<(String, Value)>, String>>,
    /// The Changes and Alerts panes' data (and the changed-row markers).
    pub monitor: Option<Arc<super::monitor::Monitor>>,
    pub should_quit: bool,
    /// The Query pane's input, history and pending request.
    pub query: super::query_pane::QueryState,
    /// The Employees pane's report and pending confirmation.
    pub employees: super::employees_pane::EmployeesState,
    next_id: u64,
    next_req: u64,
    pub(super) effects: Vec<Effect>,
}

impl App {
    pub fn new(opts: AppOptions) -> App {
        App {
            keymap: opts.keymap,
            theme: opts.theme,
            profile: opts.profile,
            export_dir: opts.export_dir,
            providers: opts.providers,
            data: None,
            no_data: None,
            roots: Vec::new(),
            active: 0,
            prompt: None,
            help: None,
            modal: None,
            toasts: Vec::new(),
            sync: SyncStatus::default(),
            spinner: 0,
            settings_cache: HashMap::new(),
            monitor: None,
            should_quit: false,
            query: Default::default(),
            employees: Default::default(),
            next_id: 1,
            next_req: 1,
            effects: Vec::new(),
        }
    }

    // ---------- queries used by drawing and tests ----------

    pub fn root(&self) -> Option<&Root> {
        self.roots.get(self.active)
    }

    /// The view on screen: the top of the active pane's stack.
    pub fn view(&self) -> Option<&View> {
        self.root().map(|r| r.stack.last().unwrap_or(&r.view))
    }

    pub(super) fn view_mut(&mut self) -> Option<&mut View> {
        self.roots
            .get_mut(self.active)
            .map(|r| r.stack.last_mut().unwrap_or(&mut r.view))
    }

    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            Mode::Help
        } else if self.prompt.is_some() {
            Mode::Prompt
        } else if matches!(self.view(), Some(View::Raw(_))) {
            Mode::Raw
        } else {
            Mode::Normal
        }
    }

    /// Titles of the drill-down path, for breadcrumbs.
    pub fn breadcrumbs(&self) -> Vec<String> {
        let Some(r) = self.root() else {
            return Vec::new();
        };
        let mut out = vec![r.kind.title().to_string()];
        for v in &r.stack {
            out.push(match v {
                View::Provided(ProvidedView { title: Some(t), .. }) => t.clone(),
                _ => self.view_title(v),
            });
        }
        out
    }

    pub fn view_title(&self, v: &View) -> String {
        let g = self.data.as_ref().map(|d| d.graph.as_ref());
        match v {
            View::Table(t) => match (t.source.owner_key(), g) {
                (Some(k), Some(g)) => g
                    .id_of(k)
                    .map(|id| model::label(g, id))
                    .unwrap_or_else(|| model::clean(k).into_owned()),
                _ => t.kind.entity_type().class().to_string(),
            },
            View::Detail(d) => match d.kind {
                DetailKind::Entity => format!("{} (details)", d.title),
                _ => d.title.clone(),
            },
            View::Raw(r) => format!("{} (JSON)", r.title),
            View::Provided(_) => self.provided_title(),
        }
    }

    pub fn busy(&self) -> bool {
        self.sync.running || self.any_pending()
    }

    fn any_pending(&self) -> bool {
        self.roots.iter().any(|r| {
            std::iter::once(&r.view)
                .chain(r.stack.iter())
                .any(|v| match v {
                    View::Table(t) => t.pending.is_some(),
                    View::Detail(d) => d.settings == SettingsState::Loading,
                    View::Raw(r) => r.lines.is_none(),
                    View::Provided(_) => false,
                })
        })
    }

    /// Pane kinds present, in Tab order.
    pub fn pane_kinds(&self) -> Vec<PaneKind> {
        self.roots.iter().map(|r| r.kind).collect()
    }

    // ---------- input ----------

    /// A key press from the terminal.
    pub fn on_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        if ev.kind != KeyEventKind::Press {
            return Vec::new();
        }
        if self.modal.is_some() {
            if matches!(ev.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) {
                self.modal = None;
            } else if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL)
            {
                self.should_quit = true;
                self.effects.push(Effect::Quit);
            }
            return self.take_effects();
        }
        if self.employees.confirm.is_some() {
            self.answer_confirm(matches!(ev.code, KeyCode::Char('y' | 'Y')));
            return self.take_effects();
        }
        let mode = self.mode();
        let key = Key::from_event(&ev);
        if let Some(a) = self.keymap.action(mode, key) {
            return self.update(a);
        }
        if mode == Mode::Prompt
            && let KeyCode::Char(c) = ev.code
            && !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return self.handle(Event::Input(c));
        }
        Vec::new()
    }

    pub(super) fn push_effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub(super) fn toast(&mut self, text: impl Into<String>, level: ToastLevel) {
        let text = model::clean(&text.into()).into_owned();
        self.toasts.retain(|t| t.text != text);
        self.toasts.push(Toast {
            text,
            level,
            until: Instant::now() + TOAST_TIME,
        });
        if self.toasts.len() > 4 {
            self.toasts.remove(0);
        }
    }

    // ---------- actions ----------

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match self.mode() {
            Mode::Help => self.update_help(action),
            Mode::Prompt => self.update_prompt(action),
            Mode::Raw | Mode::Normal => self.update_view(action),
        }
        self.take_effects()
    }

    fn update_help(&mut self, action: Action) {
        let scroll = self.help.unwrap_or(0);
        self.help = match action {
            Action::MoveDown => Some(scroll + 1),
            Action::MoveUp => Some(scroll.saturating_sub(1)),
            Action::PageDown => Some(scroll + 10),
            Action::PageUp => Some(scroll.saturating_sub(10)),
            Action::Quit => {
                self.quit();
                None
            }
            _ => None,
        };
    }

    fn quit(&mut self) {
        self.should_quit = true;
        self.effects.push(Effect::Quit);
    }

    fn update_prompt(&mut self, action: Action) {
        let Some(p) = self.prompt.clone() else { return };
        if p.kind == PromptKind::Query && self.update_query_prompt(action, &p.text) {
            return;
        }
        match action {
            Action::Accept => {
                self.prompt = None;
                match p.kind {
                    PromptKind::Command => self.run_command(&p.text),
                    PromptKind::Query => {}
                    // Enter opens the best match (the selected row), as in
                    // fuzzy finders; Tab keeps the filter and stays on the list.
                    PromptKind::Search => {
                        if matches!(self.view(), Some(View::Table(t)) if t.selected().is_some()) {
                            self.open();
                        }
                    }
                }
            }
            Action::Cancel => {
                self.prompt = None;
                if p.kind == PromptKind::Search {
                    self.apply_search("");
                }
            }
            Action::Complete if p.kind == PromptKind::Search => self.prompt = None,
            Action::Complete => {
                if p.kind == PromptKind::Command
                    && let Some(c) = self.completion(&p.text)
                    && let Some(pr) = &mut self.prompt
                {
                    pr.text = c;
                }
            }
            Action::DeleteChar => {
                let mut text = p.text.clone();
                text.pop();
                self.set_prompt_text(text);
            }
            Action::ClearLine => self.set_prompt_text(String::new()),
            Action::Quit => self.quit(),
            // Arrows move the selection while the search line is open.
            Action::MoveDown | Action::MoveUp if p.kind == PromptKind::Search => {
                self.update_view(action)
            }
            _ => {}
        }
    }

    fn set_prompt_text(&mut self, text: String) {
        let Some(p) = &mut self.prompt else { return };
        p.text = text.clone();
        if p.kind == PromptKind::Search {
            self.apply_search(&text);
        }
    }

    /// Commands `:` knows, for completion.
    pub fn commands(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .roots
            .iter()
            .map(|r| r.kind.command().to_string())
            .collect();
        v.extend(["sync", "export", "help", "quit"].map(String::from));
        v
    }

    /// The command `text` would complete to (inline suggestion and Tab).
    pub fn completion(&self, text: &str) -> Option<String> {
        let t = text.trim().to_lowercase();
        if t.is_empty() {
            return None;
        }
        self.commands()
            .into_iter()
            .find(|c| c.starts_with(&t) && *c != t)
    }

    fn run_command(&mut self, text: &str) {
        let cmd = text.trim();
        if cmd.is_empty() {
            return;
        }
        // Only the command word is case-insensitive: the rest may be a J1QL
        // query (`:query FIND zoom_user WITH name='Jill'`), whose strings
        // and property names are case-sensitive.
        let first = cmd.split_whitespace().next().unwrap_or("");
        let rest = cmd.get(first.len()..).unwrap_or("").trim().to_string();
        let word = first.to_lowercase();
        let word = word.as_str();
        if let Some(kind) = PaneKind::from_command(word).or_else(|| {
            self.completion(word)
                .and_then(|c| PaneKind::from_command(&c))
        }) {
            if self.goto_pane(kind) {
                if kind == PaneKind::Query {
                    // `:query FIND …` runs the query
                    self.run_query(&rest);
                } else {
                    // `:users /jill` or `:users jill` also filters
                    let filter = rest.trim_start_matches('/').to_string();
                    if !filter.is_empty() {
                        self.apply_search(&filter);
                    }
                }
            } else {
                self.toast(
                    format!("the {} pane has no data yet", kind.title()),
                    ToastLevel::Warn,
                );
            }
            return;
        }
        match word {
            "q" | "quit" | "exit" => self.quit(),
            "sync" => self.update_view(Action::SyncNow),
            "export" | "save" => self.update_view(Action::ExportCsv),
            "help" | "h" => self.help = Some(0),
            _ => self.toast(
                format!("unknown command `{word}` (Tab completes)"),
                ToastLevel::Warn,
            ),
        }
    }

    pub(super) fn goto_pane(&mut self, kind: PaneKind) -> bool {
        match self.roots.iter().position(|r| r.kind == kind) {
            Some(i) => {
                self.active = i;
                true
            }
            None => false,
        }
    }

    fn page(&self) -> isize {
        let h = match self.view() {
            Some(View::Table(t)) => t.height.get(),
            Some(View::Detail(d)) => d.height.get(),
            Some(View::Raw(r)) => r.height.get(),
            Some(View::Provided(p)) => p.height.get(),
            None => 10,
        };
        h.max(1) as isize
    }

    fn update_view(&mut self, action: Action) {
        if self.update_query_view(action) || self.update_employees_view(action) {
            return;
        }
        let page = self.page();
        match action {
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::HalfPageDown => self.move_by((page / 2).max(1)),
            Action::HalfPageUp => self.move_by(-(page / 2).max(1)),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(usize::MAX),
            Action::ColumnLeft | Action::ColumnRight => {
                if let Some(View::Table(t)) = self.view_mut() {
                    let n = t.kind.columns().len();
                    t.column = if action == Action::ColumnLeft {
                        (t.column + n - 1) % n
                    } else {
                        (t.column + 1) % n
                    };
                }
            }
            Action::Sort => self.sort(),
            Action::Open => self.open(),
            Action::Details => self.details(),
            Action::Raw => self.raw(),
            Action::Copy => self.copy(),
            Action::ExportCsv => self.export(),
            Action::SyncNow => {
                self.effects.push(Effect::Request(Request::SyncNow));
            }
            Action::ClearOrBack => {
                if !self.clear_filter() {
                    self.back();
                }
            }
            Action::BackOrQuit => {
                if !self.back() {
                    self.quit();
                }
            }
            Action::Quit => self.quit(),
            Action::Search => {
                let text = self.current_filter();
                self.prompt = Some(Prompt {
                    kind: PromptKind::Search,
                    text,
                });
            }
            Action::Command => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Command,
                    text: String::new(),
                })
            }
            Action::Help => self.help = Some(0),
            Action::NextPane | Action::PrevPane => {
                let n = self.roots.len();
                if n > 0 {
                    self.active = if action == Action::NextPane {
                        (self.active + 1) % n
                    } else {
                        (self.active + n - 1) % n
                    };
                }
            }
            Action::Pane(k) => {
                if !self.goto_pane(k) && self.data.is_some() {
                    self.toast(
                        format!("the {} pane has no data yet", k.title()),
                        ToastLevel::Info,
                    );
                }
            }
            Action::NextMatch | Action::PrevMatch => {
                if let Some(View::Raw(r)) = self.view_mut() {
                    r.step_match(action == Action::NextMatch);
                }
            }
            Action::Accept
            | Action::Cancel
            | Action::Complete
            | Action::DeleteChar
            | Action::ClearLine
            | Action::OtherSide
            | Action::Link
            | Action::Unlink => {}
        }
    }

    fn move_by(&mut self, delta: isize) {
        match self.view_mut() {
            Some(View::Table(t)) => t.move_by(delta),
            Some(View::Detail(d)) => d.move_by(delta),
            Some(View::Raw(r)) => r.scroll_by(delta),
            Some(View::Provided(p)) => {
                let last = p.table.rows.len().saturating_sub(1);
                p.cursor = p.cursor.saturating_add_signed(delta).min(last);
            }
            None => {}
        }
    }

    fn move_to(&mut self, pos: usize) {
        match self.view_mut() {
            Some(View::Table(t)) => t.move_to(pos),
            Some(View::Detail(d)) => d.move_to(pos),
            Some(View::Raw(r)) => r.scroll_to(pos),
            Some(View::Provided(p)) => p.cursor = pos.min(p.table.rows.len().saturating_sub(1)),
            None => {}
        }
    }

    fn sort(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let req = self.next_req();
        if let Some(View::Table(t)) = self.view_mut() {
            t.toggle_sort(&data.graph);
            let job = t.job(req, &data);
            self.effects.push(Effect::Search(Box::new(job)));
        }
    }

    pub(super) fn next_req(&mut self) -> u64 {
        self.next_req += 1;
        self.next_req
    }

    fn current_filter(&self) -> String {
        match self.view() {
            Some(View::Table(t)) => t.filter_text.clone(),
            Some(View::Detail(d)) => d.filter.clone(),
            Some(View::Raw(r)) => r.search.clone(),
            _ => String::new(),
        }
    }

    /// Applies search text to the current view (live, on every keystroke).
    fn apply_search(&mut self, text: &str) {
        let data = self.data.clone();
        let req = self.next_req();
        match self.view_mut() {
            Some(View::Table(t)) => {
                if t.filter_text == text {
                    return;
                }
                t.set_filter(text);
                t.cursor = 0;
                if let Some(d) = &data {
                    let job = t.job(req, d);
                    self.effects.push(Effect::Search(Box::new(job)));
                }
            }
            Some(View::Detail(d)) => {
                d.filter = text.to_string();
                d.cursor = 0;
            }
            Some(View::Raw(r)) => r.set_search(text),
            _ => {}
        }
    }

    /// Clears the current view's filter; false when there was none.
    fn clear_filter(&mut self) -> bool {
        if self.current_filter().is_empty() {
            return false;
        }
        self.apply_search("");
        true
    }

    /// Pops one drill-down level; false at the root.
    pub(super) fn back(&mut self) -> bool {
        match self.roots.get_mut(self.active) {
            Some(r) if !r.stack.is_empty() => {
                r.stack.pop();
                true
            }
            _ => false,
        }
    }

    /// The entity under the cursor (row, link or the viewed entity).
    pub fn selected_entity(&self) -> Option<EntityId> {
        let g = &self.data.as_ref()?.graph;
        match self.view()? {
            View::Table(t) => t.selected(),
            View::Detail(d) => match d.selected_link() {
                Some(k) => g.id_of(&k),
                None if d.kind == DetailKind::Account => model::account(g),
                None => g.id_of(&d.key),
            },
            View::Raw(r) => g.id_of(&r.key),
            View::Provided(p) => p.table.rows.get(p.cursor).and_then(|r| r.entity),
        }
    }

    pub(super) fn push(&mut self, v: View) {
        if let Some(r) = self.roots.get_mut(self.active) {
            r.stack.push(v);
        }
    }

    pub(super) fn open(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if self.open_monitor_row(&data) {
            return;
        }
        let id = match self.view() {
            Some(View::Detail(d)) => d.selected_link().and_then(|k| data.graph.id_of(&k)),
            Some(View::Raw(_)) => None,
            _ => self.selected_entity(),
        };
        if let Some(id) = id {
            self.open_entity(id, &data);
        }
    }

    /// Drill into an entity: a user's profile, a group's or role's members.
    pub fn open_entity(&mut self, id: EntityId, data: &Data) {
        let e = data.graph.entity(id);
        let key = e.key.clone();
        let view = match e.etype {
            EntityType::User => {
                let settings = self.settings_for(&key);
                View::Detail(DetailView::new(DetailKind::User, key, data, settings))
            }
            EntityType::Group => View::Table(self.member_table(RowSource::GroupMembers(key), data)),
            EntityType::Role => View::Table(self.member_table(RowSource::RoleMembers(key), data)),
            EntityType::Account | EntityType::Employee => View::Detail(DetailView::new(
                DetailKind::Entity,
                key,
                data,
                SettingsState::NotApplicable,
            )),
        };
        self.push(view);
    }

    fn member_table(&mut self, source: RowSource, data: &Data) -> TableView {
        let id = self.next_table_id();
        let mut t = TableView::new(id, TableKind::Users, source, data);
        let req = self.next_req();
        let job = t.job(req, data);
        self.effects.push(Effect::Search(Box::new(job)));
        t
    }

    fn next_table_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn settings_for(&mut self, key: &str) -> SettingsState {
        match self.settings_cache.get(key) {
            Some(Ok(list)) => SettingsState::Loaded(list.clone()),
            Some(Err(e)) => SettingsState::Failed(e.clone()),
            None => {
                self.effects
                    .push(Effect::Request(Request::UserSettings(key.to_string())));
                SettingsState::Loading
            }
        }
    }

    fn details(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if let Some(id) = self.selected_entity() {
            let key = data.graph.entity(id).key.clone();
            self.push(View::Detail(DetailView::new(
                DetailKind::Entity,
                key,
                &data,
                SettingsState::NotApplicable,
            )));
        }
    }

    fn raw(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if matches!(self.view(), Some(View::Raw(_))) {
            return;
        }
        if let Some(id) = self.selected_entity() {
            let key = data.graph.entity(id).key.clone();
            self.push(View::Raw(RawView::loading(
                key.clone(),
                model::label(&data.graph, id),
            )));
            self.effects.push(Effect::Request(Request::RawJson(key)));
        }
    }

    fn copy(&mut self) {
        let text = match (self.view(), &self.data) {
            (Some(View::Raw(r)), _) => Some(r.text.clone()),
            (_, Some(d)) => self.selected_entity().map(|id| {
                let g = &d.graph;
                let e = g.entity(id);
                e.props
                    .str("email")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .unwrap_or_else(|| e.label().to_string())
            }),
            _ => None,
        };
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            let shown: String = t.chars().take(60).collect();
            let shown = if t.lines().count() > 1 {
                format!("{} lines of JSON", t.lines().count())
            } else {
                shown
            };
            self.toast(format!("copied {shown}"), ToastLevel::Info);
            self.effects.push(Effect::Copy(t));
        }
    }

    fn export(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let pane = self.root().map(|r| r.kind.command()).unwrap_or("view");
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        match self.view() {
            Some(View::Table(t)) => {
                let name = match t.source.owner_key() {
                    Some(_) => format!("zoomscope-{pane}-members-{stamp}.csv"),
                    None => format!("zoomscope-{pane}-{stamp}.csv"),
                };
                let job = ExportJob {
                    path: self.export_dir.join(name),
                    graph: data.graph.clone(),
                    kind: t.kind,
                    rows: t.rows.clone(),
                };
                self.effects.push(Effect::Export(Box::new(job)));
            }
            _ => self.toast("Ctrl-s saves tables; open a table first", ToastLevel::Info),
        }
    }

    // ---------- events ----------

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Input(c) => {
                if let Some(p) = &self.prompt {
                    let mut text = p.text.clone();
                    text.push(c);
                    self.set_prompt_text(text);
                }
            }
            Event::Resize(_, _) => {}
            Event::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                let now = Instant::now();
                self.toasts.retain(|t| t.until > now);
            }
            Event::Search(done) => {
                let g = self.data.as_ref().map(|d| d.graph.clone());
                if let Some(g) = g {
                    for r in &mut self.roots {
                        for v in std::iter::once(&mut r.view).chain(r.stack.iter_mut()) {
                            if let View::Table(t) = v
                                && t.id == done.target
                            {
                                t.apply(done, &g);
                                return self.take_effects();
                            }
                        }
                    }
                }
            }
            Event::Query(done) => self.query_done(done),
            Event::EmployeesReport(r) => self.employees_report(r),
            Event::Loaded(loaded) => self.load(loaded.graph, loaded.meta),
            Event::NoData(why) => {
                if self.data.is_none() {
                    self.no_data = Some(why);
                }
            }
            Event::Sync(ev) => self.on_sync(ev),
            Event::SyncFinished(result) => {
                self.sync.running = false;
                self.sync.step = None;
                match result {
                    Ok(()) => {
                        self.sync.last = Some(if self.sync.failed_steps > 0 {
                            format!("synced, {} step(s) failed", self.sync.failed_steps)
                        } else {
                            "synced".into()
                        });
                    }
                    Err(SyncFailure::Auth(msg)) => {
                        self.sync.last = Some("authentication failed".into());
                        self.modal = Some(format!(
                            "Authentication failed\n\n{}\n\nCheck account_id, client_id and the client secret of profile `{}`.",
                            model::clean(&msg),
                            self.profile
                        ));
                    }
                    Err(SyncFailure::Other(msg)) => {
                        self.sync.last = Some("sync failed".into());
                        self.toast(format!("sync failed: {msg}"), ToastLevel::Error);
                    }
                }
            }
            Event::Settings { key, result } => {
                self.settings_cache.insert(key.clone(), result.clone());
                let state = match result {
                    Ok(list) => SettingsState::Loaded(list),
                    Err(e) => SettingsState::Failed(e),
                };
                if let Some(data) = self.data.clone() {
                    self.for_each_view(|v| {
                        if let View::Detail(d) = v
                            && d.kind == DetailKind::User
                            && d.key == key
                        {
                            d.settings = state.clone();
                            d.rebuild(&data);
                        }
                    });
                }
            }
            Event::Raw { key, json } => {
                let fallback = self
                    .data
                    .as_ref()
                    .and_then(|d| d.graph.get(&key).map(|e| e.to_json().to_string()))
                    .unwrap_or_else(|| "{}".into());
                let text = match json {
                    Ok(Some(s)) => s,
                    Ok(None) => fallback,
                    Err(e) => {
                        self.toast(
                            format!("raw JSON unavailable ({e}); showing the entity"),
                            ToastLevel::Warn,
                        );
                        fallback
                    }
                };
                self.for_each_view(|v| {
                    if let View::Raw(r) = v
                        && r.key == key
                        && r.lines.is_none()
                    {
                        r.set_json(&text);
                    }
                });
            }
            Event::Toast(text, level) => self.toast(text, level),
            Event::Monitor(m) => self.set_monitor(*m),
            Event::SyncDiff { snapshot, result } => self.set_sync_diff(snapshot, result),
        }
        self.take_effects()
    }

    fn for_each_view(&mut self, mut f: impl FnMut(&mut View)) {
        for r in &mut self.roots {
            f(&mut r.view);
            for v in &mut r.stack {
                f(v);
            }
        }
    }

    fn on_sync(&mut self, ev: SyncEvent) {
        match ev {
            SyncEvent::StepStarted { step } => {
                if !self.sync.running {
                    self.sync = SyncStatus {
                        running: true,
                        ..SyncStatus::default()
                    };
                }
                self.sync.step = Some(step);
                self.sync.done = 0;
                self.sync.total = None;
            }
            SyncEvent::StepProgress { step, done, total } => {
                self.sync.running = true;
                self.sync.step = Some(step);
                self.sync.done = done;
                self.sync.total = total;
            }
            SyncEvent::StepFinished(rec) => {
                self.sync.steps_finished += 1;
                if let StepOutcome::Failed { reason } = &rec.outcome {
                    self.sync.failed_steps += 1;
                    self.toast(format!("{} failed: {reason}", rec.step), ToastLevel::Warn);
                }
            }
            SyncEvent::Notice(msg) => self.toast(msg, ToastLevel::Warn),
        }
    }

    /// Shows a new graph, keeping every pane's cursor, filter and drill-down path.
    fn load(&mut self, graph: Graph, meta: super::model::SnapshotMeta) {
        let generation = self.data.as_ref().map(|d| d.generation + 1).unwrap_or(1);
        let old = self.data.take();
        let data = Data {
            graph: Arc::new(graph),
            meta,
            generation,
        };
        self.no_data = None;
        self.data = Some(data.clone());
        let old_graph = old.as_ref().map(|d| d.graph.clone());

        // Panes that should exist for this graph.
        let mut wanted: Vec<PaneKind> = vec![
            PaneKind::Account,
            PaneKind::Users,
            PaneKind::Groups,
            PaneKind::Roles,
        ];
        if !data.graph.of_type(EntityType::Employee).is_empty() {
            wanted.push(PaneKind::Employees);
        }
        // Queries work on any graph.
        wanted.push(PaneKind::Query);
        for p in &self.providers {
            if !wanted.contains(&p.kind()) {
                wanted.push(p.kind());
            }
        }
        if self.monitor.is_some() {
            wanted.extend([PaneKind::Changes, PaneKind::Alerts]);
        }
        wanted.sort();
        wanted.dedup();
        let active_kind = self.root().map(|r| r.kind);
        let mut roots = std::mem::take(&mut self.roots);
        let mut new_roots = Vec::new();
        for kind in wanted {
            let root = match roots.iter().position(|r| r.kind == kind) {
                Some(i) => roots.remove(i),
                None => Root {
                    kind,
                    view: self.root_view(kind, &data),
                    stack: Vec::new(),
                },
            };
            new_roots.push(root);
        }
        self.roots = new_roots;
        self.reset_monitor_stacks();
        if let Some(k) = active_kind {
            self.goto_pane(k);
        }
        // Rebind every view to the new graph and recompute every table.
        let mut jobs = Vec::new();
        let mut reqs = Vec::new();
        let n_views: usize = self.roots.iter().map(|r| 1 + r.stack.len()).sum();
        for _ in 0..n_views {
            reqs.push(self.next_req());
        }
        let mut reqs = reqs.into_iter();
        let provided: Vec<(PaneKind, ProvidedTable)> = self
            .providers
            .iter()
            .map(|p| (p.kind(), p.build(&data.graph)))
            .collect();
        for r in &mut self.roots {
            let kind = r.kind;
            for v in std::iter::once(&mut r.view).chain(r.stack.iter_mut()) {
                let req = reqs.next().unwrap_or(0);
                match v {
                    View::Table(t) => {
                        if old_graph.is_some() {
                            t.rebind(old_graph.as_deref(), &data);
                        }
                        jobs.push(t.job(req, &data));
                    }
                    View::Detail(d) => d.rebuild(&data),
                    View::Raw(_) => {}
                    View::Provided(p) => {
                        if let Some((_, t)) = provided.iter().find(|(k, _)| *k == kind) {
                            p.table = t.clone();
                            p.cursor = p.cursor.min(p.table.rows.len().saturating_sub(1));
                        }
                    }
                }
            }
        }
        self.effects
            .extend(jobs.into_iter().map(|j| Effect::Search(Box::new(j))));
        if self.active >= self.roots.len() {
            self.active = 0;
        }
        self.rerun_query();
        self.request_employees_report();
    }

    fn root_view(&mut self, kind: PaneKind, data: &Data) -> View {
        let table = |this: &mut App, k: TableKind| {
            let id = this.next_table_id();
            View::Table(TableView::new(id, k, RowSource::All(k.entity_type()), data))
        };
        match kind {
            PaneKind::Changes | PaneKind::Alerts if self.monitor.is_some() => {
                View::Provided(ProvidedView {
                    table: self.monitor_table(kind),
                    ..ProvidedView::default()
                })
            }
            PaneKind::Account => View::Detail(DetailView::new(
                DetailKind::Account,
                String::new(),
                data,
                SettingsState::NotApplicable,
            )),
            PaneKind::Users => table(self, TableKind::Users),
            PaneKind::Groups => table(self, TableKind::Groups),
            PaneKind::Roles => table(self, TableKind::Roles),
            PaneKind::Employees => View::Provided(ProvidedView {
                table: super::employees_pane::categories_table(None),
                ..ProvidedView::default()
            }),
            PaneKind::Changes | PaneKind::Alerts | PaneKind::Query => {
                let t = self
                    .providers
                    .iter()
                    .find(|p| p.kind() == kind)
                    .map(|p| p.build(&data.graph))
                    .unwrap_or_else(|| {
                        if kind == PaneKind::Query {
                            super::query_pane::saved_table()
                        } else {
                            ProvidedTable::default()
                        }
                    });
                View::Provided(ProvidedView {
                    table: t,
                    ..ProvidedView::default()
                })
            }
        }
    }
}
