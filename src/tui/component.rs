//! The one interface every pane implements (after gitui's `Component` and
//! the ratatui component template).
//!
//! A pane owns its state privately: its drill-down stack of views and
//! whatever it alone knows (the Query pane's history, the Employees pane's
//! report and pending question). The [`App`](super::app::App) keeps only
//! what is global and hands the active pane each action, and every pane
//! each background result, with a [`Ctx`]: read access to the data on
//! screen and the way to ask for work (effects), toasts, request ids and
//! the prompt. Drawing takes `&self` and a [`DrawCtx`].

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use serde_json::Value;

use crate::diff::GraphDiff;
use crate::employees::Report;
use crate::graph::Graph;

use super::action::{Action, ToastLevel};
use super::app::Effect;
use super::columns::{ColumnPrefs, TableKind};
use super::config::ColumnsSave;
use super::detail::SettingsState;
use super::history::CommandHistory;
use super::keymap::Keymap;
use super::model::{self, Data};
use super::monitor::Monitor;
use super::pane::PaneKind;
use super::query_pane::QueryDone;
use super::search::{SearchDone, SearchJob};
use super::source::Request;
use super::stack::ViewStack;
use super::theme::Theme;

/// Whether a pane acted on an action or notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Consumed,
    /// Not the pane's business: the app handles it (or the next pane hears it).
    Ignored,
}

/// What a pane hears besides actions: background results and changes of
/// the data every pane shares.
#[derive(Debug)]
pub enum Notice<'a> {
    /// A new graph is in the context; `old` is the one the views were built on.
    Graph { old: Option<&'a Graph> },
    /// The context's monitor data (Changes, Alerts, row markers) changed.
    Monitor,
    /// A search worker result, for the table it names.
    Search(&'a SearchDone),
    /// A user's settings arrived (or failed).
    Settings {
        key: &'a str,
        state: &'a SettingsState,
    },
    /// Raw JSON for an entity arrived.
    Raw { key: &'a str, text: &'a str },
    /// A query finished (the Query pane's).
    Query(QueryDone),
    /// The employee report (the Employees pane's; `None`: no roster).
    EmployeesReport(Result<Option<Report>, String>),
    /// The stored operation log and sign-in activity (the Activity pane's).
    Activity(&'a super::activity_pane::ActivityLog),
    /// An older sync's changes (the Changes pane's).
    SyncDiff {
        snapshot: i64,
        result: Result<Box<GraphDiff>, String>,
    },
}

/// A top-level pane.
pub trait Component: Any + Send {
    fn kind(&self) -> PaneKind;

    /// The views on screen, for drawing, breadcrumbs and tests.
    fn stack(&self) -> &ViewStack;

    /// An action for this pane while it is active.
    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome;

    /// A background result or a change of shared data.
    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome;

    /// An action while this pane's own prompt (the J1QL line) is open.
    fn handle_prompt(&mut self, _action: Action, _text: &str, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }

    /// The text of the current view's filter (what `/` starts from).
    fn filter(&self) -> String {
        self.stack().filter()
    }

    /// The `/` line changed: filter the current view.
    fn set_filter(&mut self, text: &str, ctx: &mut Ctx);

    /// The rest of a `:` command that opened this pane (`:users /jill`):
    /// by default a filter.
    fn command(&mut self, args: &str, ctx: &mut Ctx) {
        let filter = args.trim_start_matches('/');
        if !filter.is_empty() {
            self.set_filter(filter, ctx);
        }
    }

    /// A y/n question the pane waits for; every key answers it.
    fn question(&self) -> Option<&str> {
        None
    }

    /// The answer to [`Component::question`].
    fn answer(&mut self, _yes: bool, _ctx: &mut Ctx) {}

    fn draw(&self, f: &mut Frame, area: Rect, dc: &DrawCtx) {
        super::ui::draw_view(self.stack().top(), self.kind(), f, area, dc);
    }

    /// For tests and the harness reading a concrete pane.
    fn as_any(&self) -> &dyn Any;
}

/// User settings fetched so far, by user key.
pub type SettingsCache = HashMap<String, Result<Vec<(String, Value)>, String>>;

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

const TOAST_TIME: Duration = Duration::from_secs(5);
const TOASTS_MAX: usize = 4;

/// The flash messages on screen, newest last.
#[derive(Debug, Default)]
pub struct Toasts(Vec<Toast>);

impl Toasts {
    /// Shows `text` for a few seconds (sanitised; a repeat replaces the old one).
    pub fn push(&mut self, text: impl Into<String>, level: ToastLevel) {
        let text = model::clean(&text.into()).into_owned();
        self.0.retain(|t| t.text != text);
        self.0.push(Toast {
            text,
            level,
            until: Instant::now() + TOAST_TIME,
        });
        if self.0.len() > TOASTS_MAX {
            self.0.remove(0);
        }
    }

    pub fn expire(&mut self, now: Instant) {
        self.0.retain(|t| t.until > now);
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[Toast] {
        &self.0
    }
}

/// The app's state that panes may read or ask to change, lent to them in a
/// [`Ctx`]. Owned by the app.
#[derive(Debug)]
pub struct Shared {
    monitor: Option<Arc<Monitor>>,
    settings: SettingsCache,
    export_dir: PathBuf,
    effects: Vec<Effect>,
    prompt: Option<Prompt>,
    next_req: u64,
    next_table: u64,
    /// The column chooser's choices, and the config file they are saved to
    /// (`None`: not saved, as in tests without a config).
    columns: ColumnPrefs,
    config_file: Option<PathBuf>,
    /// Commands run at the `:` line, for Up/Down.
    pub(super) history: CommandHistory,
}

impl Shared {
    pub fn new(export_dir: PathBuf) -> Shared {
        Shared {
            monitor: None,
            settings: HashMap::new(),
            export_dir,
            effects: Vec::new(),
            prompt: None,
            next_req: 1,
            next_table: 1,
            columns: ColumnPrefs::default(),
            config_file: None,
            history: CommandHistory::default(),
        }
    }

    /// The columns read from the config file, and where to save new choices.
    pub fn set_columns(&mut self, columns: ColumnPrefs, config_file: Option<PathBuf>) {
        self.columns = columns;
        self.config_file = config_file;
    }

    pub fn columns(&self) -> &ColumnPrefs {
        &self.columns
    }

    pub fn monitor(&self) -> Option<&Arc<Monitor>> {
        self.monitor.as_ref()
    }

    /// The monitor data to change in place (copied first if a draw shares it).
    pub fn monitor_mut(&mut self) -> Option<&mut Monitor> {
        self.monitor.as_mut().map(Arc::make_mut)
    }

    pub fn set_monitor(&mut self, m: Monitor) {
        self.monitor = Some(Arc::new(m));
    }

    pub fn remember_settings(&mut self, key: String, r: Result<Vec<(String, Value)>, String>) {
        self.settings.insert(key, r);
    }

    pub fn effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }

    pub fn set_prompt(&mut self, p: Option<Prompt>) {
        self.prompt = p;
    }

    pub fn prompt_mut(&mut self) -> Option<&mut Prompt> {
        self.prompt.as_mut()
    }

    pub fn next_req(&mut self) -> u64 {
        self.next_req += 1;
        self.next_req
    }
}

/// What a pane gets while it handles an action or notice.
pub struct Ctx<'a> {
    data: &'a Data,
    shared: &'a mut Shared,
    toasts: &'a mut Toasts,
}

impl<'a> Ctx<'a> {
    pub fn new(data: &'a Data, shared: &'a mut Shared, toasts: &'a mut Toasts) -> Ctx<'a> {
        Ctx {
            data,
            shared,
            toasts,
        }
    }

    /// The graph on screen and its snapshot.
    pub fn data(&self) -> &'a Data {
        self.data
    }

    pub fn monitor(&self) -> Option<&Arc<Monitor>> {
        self.shared.monitor.as_ref()
    }

    /// The monitor data to change in place (copied first if a draw shares it).
    pub fn monitor_mut(&mut self) -> Option<&mut Monitor> {
        self.shared.monitor.as_mut().map(Arc::make_mut)
    }

    pub fn export_dir(&self) -> &Path {
        &self.shared.export_dir
    }

    pub fn effect(&mut self, e: Effect) {
        self.shared.effect(e);
    }

    pub fn search(&mut self, job: SearchJob) {
        self.shared.effect(Effect::Search(Box::new(job)));
    }

    pub fn request(&mut self, r: Request) {
        self.shared.effect(Effect::Request(r));
    }

    pub fn toast(&mut self, text: impl Into<String>, level: ToastLevel) {
        self.toasts.push(text, level);
    }

    /// A new id for a background request; only the newest answer is shown.
    pub fn next_req(&mut self) -> u64 {
        self.shared.next_req()
    }

    /// A new id naming a table to the search worker.
    pub fn next_table_id(&mut self) -> u64 {
        self.shared.next_table += 1;
        self.shared.next_table
    }

    /// Which columns tables show, in what order.
    pub fn columns(&self) -> &ColumnPrefs {
        &self.shared.columns
    }

    /// Takes a column layout for every table of `kind` and saves it to the
    /// config file (in the background; a toast tells how it went).
    pub fn set_columns(&mut self, kind: TableKind, layout: &[(usize, bool)]) {
        self.shared.columns.set_layout(kind, layout);
        if let Some(path) = &self.shared.config_file {
            let job = ColumnsSave {
                path: path.clone(),
                columns: self.shared.columns.to_names(),
            };
            self.shared.effect(Effect::SaveColumns(Box::new(job)));
        }
    }

    /// A user's settings as far as known; asks the data source when unknown.
    pub fn settings_for(&mut self, key: &str) -> SettingsState {
        match self.shared.settings.get(key) {
            Some(Ok(list)) => SettingsState::Loaded(list.clone()),
            Some(Err(e)) => SettingsState::Failed(e.clone()),
            None => {
                self.request(Request::UserSettings(key.to_string()));
                SettingsState::Loading
            }
        }
    }

    pub fn open_prompt(&mut self, kind: PromptKind, text: String) {
        self.shared.prompt = Some(Prompt { kind, text });
    }

    pub fn set_prompt_text(&mut self, text: String) {
        if let Some(p) = &mut self.shared.prompt {
            p.text = text;
        }
    }

    pub fn close_prompt(&mut self) {
        self.shared.prompt = None;
    }
}

/// What a pane's `draw` may read.
pub struct DrawCtx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub data: &'a Data,
    pub monitor: Option<&'a Monitor>,
    pub prompt: Option<&'a Prompt>,
    pub columns: &'a ColumnPrefs,
    /// This frame's spinner symbol.
    pub spinner: &'static str,
}

impl DrawCtx<'_> {
    /// How the last sync changed an entity, for row markers.
    pub fn change_marker(&self, key: &str) -> Option<&'static str> {
        self.monitor.and_then(|m| m.marker(key))
    }
}
