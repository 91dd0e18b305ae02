//! The app: what is global to the explorer (the panes and which one is
//! active, the prompt, toasts, help, the error modal, sync status, quit)
//! and the one path by which anything changes.
//!
//! Keys enter through [`App::on_key`], which answers an open modal or
//! question, or turns the key into an action ([`App::update`]) or typed
//! input ([`App::handle`]); background results arrive through
//! [`App::handle`]. Both hand the active pane its actions and every pane
//! its results (see [`Component`]); nothing else changes state. Nothing
//! here does I/O: work that leaves the state machine is returned as
//! [`Effect`]s for the runner (or a test harness) to carry out, and its
//! results come back as events.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::graph::{EntityType, Graph};
use crate::sync::SyncEvent;

use super::action::{Action, Event, ToastLevel};
use super::activity_pane::{ActivityLog, ActivityPane};
use super::alerts_pane::{self, AlertsPane};
use super::changes_pane::ChangesPane;
use super::columns::{ColumnPrefs, TableKind};
use super::component::{Component, Ctx, DrawCtx, Notice, Outcome, Shared, Toasts};
use super::detail::SettingsState;
use super::employees_pane::EmployeesPane;
use super::entity_pane::{AccountPane, EntityPane, ProviderPane};
use super::export::ExportJob;
use super::help::{self, Help, HelpLine};
use super::keymap::{Key, Keymap, Mode};
use super::model::{self, Data};
use super::monitor::Monitor;
use super::pane::PaneKind;
use super::query_pane::{self, QueryPane};
use super::search::SearchJob;
use super::source::{Request, SyncFailure};
use super::sync_status::SyncEnd;
use super::theme::Theme;

pub use super::component::{Prompt, PromptKind, Toast};
pub use super::provided::{PaneProvider, ProvidedRow, ProvidedTable, ProvidedView};
pub use super::stack::View;
pub use super::sync_status::SyncStatus;

/// Work for the runner.
#[derive(Debug)]
pub enum Effect {
    Search(Box<SearchJob>),
    Request(Request),
    Copy(String),
    Export(Box<ExportJob>),
    /// Run a J1QL query in the background (answered by `Event::Query`).
    Query(Box<super::query_pane::QueryJob>),
    /// Save the column chooser's choice to the config file.
    SaveColumns(Box<super::config::ColumnsSave>),
    Quit,
}

impl std::fmt::Debug for SearchJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchJob(target {}, req {})", self.target, self.req)
    }
}

/// Start-up options.
pub struct AppOptions {
    pub keymap: Keymap,
    pub theme: Theme,
    pub profile: String,
    pub export_dir: PathBuf,
    pub providers: Vec<Box<dyn PaneProvider>>,
    /// The columns tables show (the config's `[tui.columns]`).
    pub columns: ColumnPrefs,
    /// Where a new column choice is saved (`None`: kept for the session only).
    pub config_file: Option<PathBuf>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            keymap: Keymap::default(),
            theme: Theme::new(super::theme::ThemeName::Dark, true),
            profile: "default".into(),
            export_dir: std::env::temp_dir(),
            providers: Vec::new(),
            columns: ColumnPrefs::default(),
            config_file: None,
        }
    }
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub struct App {
    keymap: Keymap,
    theme: Theme,
    profile: String,
    /// Providers not yet turned into panes (a provider moves into its pane).
    providers: Vec<Box<dyn PaneProvider>>,
    provider_kinds: Vec<PaneKind>,
    data: Option<Data>,
    /// Shown instead of panes when there is nothing to show.
    no_data: Option<String>,
    /// The stored counts of the snapshot being loaded (the loading screen).
    summary: Option<super::model::SnapshotSummary>,
    panes: Vec<Box<dyn Component>>,
    active: usize,
    /// The stored operation log and sign-ins, once the data source has
    /// read them (the Activity pane exists from then on).
    activity: Option<ActivityLog>,
    /// The help overlay while it is open.
    help: Option<Help>,
    modal: Option<String>,
    /// Read by the runner (`runner.rs`).
    pub(super) should_quit: bool,
    sync: SyncStatus,
    spinner: usize,
    shared: Shared,
    /// Read by the runner (`runner.rs`).
    pub(super) toasts: Toasts,
}

impl App {
    pub fn new(opts: AppOptions) -> App {
        let mut shared = Shared::new(opts.export_dir);
        shared.set_columns(opts.columns, opts.config_file);
        App {
            keymap: opts.keymap,
            theme: opts.theme,
            profile: opts.profile,
            provider_kinds: opts.providers.iter().map(|p| p.kind()).collect(),
            providers: opts.providers,
            data: None,
            no_data: None,
            summary: None,
            panes: Vec::new(),
            active: 0,
            activity: None,
            help: None,
            modal: None,
            should_quit: false,
            sync: SyncStatus::default(),
            spinner: 0,
            shared,
            toasts: Toasts::default(),
        }
    }

    // ---------- what drawing, the runner and tests read ----------

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The graph on screen and its snapshot.
    pub fn data(&self) -> Option<&Data> {
        self.data.as_ref()
    }

    /// Why nothing is shown, when nothing is.
    pub fn no_data(&self) -> Option<&str> {
        self.no_data.as_deref()
    }

    /// The stored counts of the snapshot being loaded, once read.
    pub fn summary(&self) -> Option<&super::model::SnapshotSummary> {
        self.summary.as_ref()
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.shared.prompt()
    }

    pub fn toasts(&self) -> &[Toast] {
        self.toasts.as_slice()
    }

    /// The help overlay, when it is open.
    pub fn help(&self) -> Option<&Help> {
        self.help.as_ref()
    }

    /// The help overlay's lines as its filter leaves them.
    pub fn help_lines(&self) -> Vec<HelpLine> {
        let filter = self.help.as_ref().map(Help::filter).unwrap_or_default();
        help::lines(&self.keymap, &self.pane_kinds(), filter)
    }

    /// The error modal's text, when it is open.
    pub fn modal(&self) -> Option<&str> {
        self.modal.as_deref()
    }

    pub fn sync_status(&self) -> &SyncStatus {
        &self.sync
    }

    pub fn monitor(&self) -> Option<&Monitor> {
        self.shared.monitor().map(Arc::as_ref)
    }

    /// This frame's spinner symbol.
    pub fn spinner(&self) -> &'static str {
        SPINNER
            .get(self.spinner % SPINNER.len())
            .copied()
            .unwrap_or("*")
    }

    /// The panes, in Tab order, and the position of the active one.
    pub fn panes(&self) -> (impl Iterator<Item = &dyn Component>, usize) {
        (self.panes.iter().map(|p| p.as_ref()), self.active)
    }

    /// The active pane.
    pub fn active_pane(&self) -> Option<&dyn Component> {
        self.panes.get(self.active).map(|p| p.as_ref())
    }

    /// The pane of type `T` (for tests reading a pane's own state).
    pub fn pane<T: Component>(&self) -> Option<&T> {
        self.panes
            .iter()
            .find_map(|p| p.as_any().downcast_ref::<T>())
    }

    /// The view on screen: the top of the active pane's stack.
    pub fn view(&self) -> Option<&View> {
        self.active_pane().map(|p| p.stack().top())
    }

    /// Kind of the active pane.
    pub fn active_kind(&self) -> Option<PaneKind> {
        self.active_pane().map(|p| p.kind())
    }

    /// Drill-down levels above the active pane's root.
    pub fn depth(&self) -> usize {
        self.active_pane().map(|p| p.stack().depth()).unwrap_or(0)
    }

    /// A pane's y/n question, when one waits for an answer.
    pub fn question(&self) -> Option<&str> {
        self.panes.iter().find_map(|p| p.question())
    }

    pub fn mode(&self) -> Mode {
        // The `/` line opened from help edits help's filter.
        if self.shared.prompt().is_some() {
            Mode::Prompt
        } else if self.help.is_some() {
            Mode::Help
        } else if matches!(self.view(), Some(View::Raw(_))) {
            Mode::Raw
        } else if self.depth() > 0 && matches!(self.view(), Some(View::Detail(_))) {
            // A detail opened from a list: Tab walks its links (at a pane's
            // root, as in Account, Tab still changes panes).
            Mode::Detail
        } else {
            Mode::Normal
        }
    }

    /// Titles of the drill-down path, for breadcrumbs.
    pub fn breadcrumbs(&self) -> Vec<String> {
        self.active_pane()
            .map(|p| p.stack().breadcrumbs(p.kind(), self.data.as_ref()))
            .unwrap_or_default()
    }

    pub fn busy(&self) -> bool {
        self.sync.running || self.panes.iter().any(|p| p.stack().pending())
    }

    /// Pane kinds present, in Tab order.
    pub fn pane_kinds(&self) -> Vec<PaneKind> {
        self.panes.iter().map(|p| p.kind()).collect()
    }

    /// How the last sync changed an entity, for row markers.
    pub fn change_marker(&self, key: &str) -> Option<&'static str> {
        self.monitor()?.marker(key)
    }

    /// What a pane's `draw` reads (None before the first graph).
    pub fn draw_ctx(&self) -> Option<DrawCtx<'_>> {
        Some(DrawCtx {
            theme: &self.theme,
            keymap: &self.keymap,
            data: self.data.as_ref()?,
            monitor: self.monitor(),
            prompt: self.shared.prompt(),
            columns: self.shared.columns(),
            spinner: self.spinner(),
        })
    }

    /// Commands `:` knows, for completion.
    pub fn commands(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .panes
            .iter()
            .map(|p| p.kind().command().to_string())
            .collect();
        v.extend(["sync", "export", "help", "quit"].map(String::from));
        v
    }

    /// The command `text` would complete to (inline suggestion and Tab).
    /// An exact command or alias never completes to another one: `:q` is
    /// quit, not `:query`.
    pub fn completion(&self, text: &str) -> Option<String> {
        let t = text.trim().to_lowercase();
        if t.is_empty() || is_exact_command(&t) {
            return None;
        }
        self.commands()
            .into_iter()
            .find(|c| c.starts_with(&t) && *c != t)
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
                self.quit();
            }
            return self.take_effects();
        }
        if let Some(i) = self.panes.iter().position(|p| p.question().is_some()) {
            let yes = matches!(ev.code, KeyCode::Char('y' | 'Y'));
            self.with_pane(i, |p, ctx| p.answer(yes, ctx));
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

    fn take_effects(&mut self) -> Vec<Effect> {
        self.shared.take_effects()
    }

    /// Runs `f` on pane `i` with a context; None without data or pane.
    fn with_pane<R>(
        &mut self,
        i: usize,
        f: impl FnOnce(&mut dyn Component, &mut Ctx) -> R,
    ) -> Option<R> {
        let data = self.data.as_ref()?;
        let pane = self.panes.get_mut(i)?;
        let mut ctx = Ctx::new(data, &mut self.shared, &mut self.toasts);
        Some(f(pane.as_mut(), &mut ctx))
    }

    fn with_active<R>(&mut self, f: impl FnOnce(&mut dyn Component, &mut Ctx) -> R) -> Option<R> {
        self.with_pane(self.active, f)
    }

    /// Tells every pane, in Tab order, until one consumes the notice.
    fn broadcast<'n>(&mut self, mut notice: impl FnMut() -> Notice<'n>) {
        for i in 0..self.panes.len() {
            if self.with_pane(i, |p, ctx| p.notify(notice(), ctx)) == Some(Outcome::Consumed) {
                return;
            }
        }
    }

    fn position(&self, kind: PaneKind) -> Option<usize> {
        self.panes.iter().position(|p| p.kind() == kind)
    }

    // ---------- actions ----------

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match self.mode() {
            Mode::Help => self.update_help(action),
            Mode::Prompt => self.update_prompt(action),
            Mode::Raw | Mode::Normal | Mode::Detail => self.update_view(action),
        }
        self.take_effects()
    }

    fn update_help(&mut self, action: Action) {
        let len = self.help_lines().len();
        let Some(help) = self.help.as_mut() else {
            return;
        };
        let page = help.scroll.page() as isize;
        match action {
            Action::MoveDown => help.scroll.pan_by(1, len),
            Action::MoveUp => help.scroll.pan_by(-1, len),
            Action::PageDown => help.scroll.pan_by(page, len),
            Action::PageUp => help.scroll.pan_by(-page, len),
            Action::HalfPageDown => help.scroll.pan_by((page / 2).max(1), len),
            Action::HalfPageUp => help.scroll.pan_by(-(page / 2).max(1), len),
            Action::Top => help.scroll.pan_to(0, len),
            Action::Bottom => help.scroll.pan_to(usize::MAX, len),
            Action::Search => {
                let text = help.filter().to_string();
                self.shared.set_prompt(Some(Prompt {
                    kind: PromptKind::Search,
                    text,
                }));
            }
            // Esc clears the filter first, as in the lists.
            Action::ClearOrBack if !help.filter().is_empty() => help.set_filter(""),
            Action::Quit => {
                self.help = None;
                self.quit();
            }
            _ => self.help = None,
        }
    }

    fn quit(&mut self) {
        self.should_quit = true;
        self.shared.effect(Effect::Quit);
    }

    fn update_prompt(&mut self, action: Action) {
        let Some(p) = self.shared.prompt().cloned() else {
            return;
        };
        if p.kind == PromptKind::Query
            && let Some(i) = self.position(PaneKind::Query)
            && self.with_pane(i, |pane, ctx| pane.handle_prompt(action, &p.text, ctx))
                == Some(Outcome::Consumed)
        {
            return;
        }
        match action {
            Action::Accept => {
                self.shared.set_prompt(None);
                match p.kind {
                    PromptKind::Command => {
                        self.shared.history.push(&p.text);
                        self.run_command(&p.text)
                    }
                    PromptKind::Query => {}
                    // Enter opens the best match (the selected row), as in
                    // fuzzy finders; Tab keeps the filter and stays on the list.
                    PromptKind::Search => {
                        let on_a_row = self.help.is_none()
                            && match self.view() {
                                Some(View::Table(t)) => t.selected().is_some(),
                                Some(View::Provided(p)) => p.selected().is_some(),
                                _ => false,
                            };
                        if on_a_row {
                            self.with_active(|pane, ctx| pane.handle_action(Action::Open, ctx));
                        }
                    }
                }
            }
            Action::Cancel => {
                self.shared.set_prompt(None);
                if p.kind == PromptKind::Search {
                    self.apply_search("");
                }
            }
            Action::Complete if p.kind == PromptKind::Search => self.shared.set_prompt(None),
            Action::Complete => {
                if p.kind == PromptKind::Command
                    && let Some(c) = self.completion(&p.text)
                    && let Some(pr) = self.shared.prompt_mut()
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
            // Up and Down browse the commands run before.
            Action::MoveUp if p.kind == PromptKind::Command => {
                if let Some(t) = self.shared.history.older(&p.text) {
                    self.set_prompt_text(t);
                }
            }
            Action::MoveDown if p.kind == PromptKind::Command => {
                if let Some(t) = self.shared.history.newer() {
                    self.set_prompt_text(t);
                }
            }
            // Arrows move the selection while the search line is open.
            Action::MoveDown | Action::MoveUp if p.kind == PromptKind::Search => {
                self.update_view(action)
            }
            _ => {}
        }
    }

    fn set_prompt_text(&mut self, text: String) {
        let Some(p) = self.shared.prompt_mut() else {
            return;
        };
        p.text = text.clone();
        match p.kind {
            PromptKind::Search => self.apply_search(&text),
            // Text that is not J1QL narrows the Query pane's rows as `/`
            // narrows every other list.
            PromptKind::Query => {
                if let Some(i) = self.position(PaneKind::Query) {
                    let filter = query_pane::row_filter(&text);
                    self.with_pane(i, |pane, ctx| pane.set_filter(filter, ctx));
                }
            }
            PromptKind::Command => {}
        }
    }

    /// Applies search text to the help overlay when it is open, else to
    /// the active pane (live, on every keystroke).
    fn apply_search(&mut self, text: &str) {
        if let Some(help) = self.help.as_mut() {
            help.set_filter(text);
            return;
        }
        self.with_active(|pane, ctx| pane.set_filter(text, ctx));
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
        if let Some(app_command) = APP_COMMANDS.iter().find(|c| c.contains(&word)) {
            match app_command[0] {
                "quit" => self.quit(),
                "sync" => self.update_view(Action::SyncNow),
                "export" => self.update_view(Action::ExportCsv),
                _ => self.help = Some(Help::default()),
            }
            return;
        }
        if let Some(kind) = PaneKind::from_command(word).or_else(|| {
            self.completion(word)
                .and_then(|c| PaneKind::from_command(&c))
        }) {
            if self.goto_pane(kind) {
                self.with_active(|pane, ctx| pane.command(&rest, ctx));
            } else {
                self.toasts.push(
                    format!("the {} pane has no data yet", kind.title()),
                    ToastLevel::Warn,
                );
            }
            return;
        }
        // A prefix of an app command (`:sy`, `:he`) runs it.
        if let Some(c) = self.completion(word)
            && APP_COMMANDS.iter().any(|names| names[0] == c)
        {
            return self.run_command(&c);
        }
        self.toasts.push(
            format!("unknown command `{word}` (Tab completes)"),
            ToastLevel::Warn,
        );
    }

    fn goto_pane(&mut self, kind: PaneKind) -> bool {
        match self.position(kind) {
            Some(i) => {
                self.active = i;
                true
            }
            None => false,
        }
    }

    /// A pane's key: go there, or say why not.
    fn open_pane(&mut self, kind: PaneKind) {
        if !self.goto_pane(kind) && self.data.is_some() {
            self.toasts.push(
                format!("the {} pane has no data yet", kind.title()),
                ToastLevel::Info,
            );
        }
    }

    /// The active pane first; what it ignores is the app's.
    fn update_view(&mut self, action: Action) {
        if self.with_active(|pane, ctx| pane.handle_action(action, ctx)) == Some(Outcome::Consumed)
        {
            return;
        }
        match action {
            Action::SyncNow => self.shared.effect(Effect::Request(Request::SyncNow)),
            Action::BackOrQuit | Action::Quit => self.quit(),
            Action::Search => {
                let text = self.active_pane().map(|p| p.filter()).unwrap_or_default();
                self.shared.set_prompt(Some(Prompt {
                    kind: PromptKind::Search,
                    text,
                }));
            }
            Action::Command => {
                self.shared.history.reset();
                self.shared.set_prompt(Some(Prompt {
                    kind: PromptKind::Command,
                    text: String::new(),
                }))
            }
            Action::Help => self.help = Some(Help::default()),
            Action::NextPane | Action::PrevPane => {
                let n = self.panes.len();
                if n > 0 {
                    self.active = if action == Action::NextPane {
                        (self.active + 1) % n
                    } else {
                        (self.active + n - 1) % n
                    };
                }
            }
            Action::Pane(k) => self.open_pane(k),
            _ => {}
        }
    }

    // ---------- events ----------

    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Input(c) => {
                if let Some(p) = self.shared.prompt() {
                    let mut text = p.text.clone();
                    text.push(c);
                    self.set_prompt_text(text);
                }
            }
            Event::Resize(_, _) => {}
            Event::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                self.toasts.expire(Instant::now());
            }
            Event::DismissToasts => self.toasts.clear(),
            Event::Search(done) => self.broadcast(|| Notice::Search(&done)),
            Event::Query(done) => self.tell(PaneKind::Query, Notice::Query(done)),
            Event::EmployeesReport(r) => self.tell(PaneKind::Employees, Notice::EmployeesReport(r)),
            Event::Summary(s) => self.summary = Some(s),
            Event::Loaded(loaded) => self.load(Arc::new(loaded.graph), loaded.meta),
            Event::Shown { graph, meta } => self.load(graph, meta),
            Event::NoData(why) => {
                if self.data.is_none() {
                    self.no_data = Some(why);
                }
            }
            Event::Sync(ev) => self.on_sync(ev),
            Event::SyncFinished(result) => self.sync_finished(result),
            Event::Settings { key, result } => {
                self.shared.remember_settings(key.clone(), result.clone());
                let state = match result {
                    Ok(list) => SettingsState::Loaded(list),
                    Err(e) => SettingsState::Failed(e),
                };
                self.broadcast(|| Notice::Settings {
                    key: &key,
                    state: &state,
                });
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
                        self.toasts.push(
                            format!("raw JSON unavailable ({e}); showing the entity"),
                            ToastLevel::Warn,
                        );
                        fallback
                    }
                };
                self.broadcast(|| Notice::Raw {
                    key: &key,
                    text: &text,
                });
            }
            Event::Toast(text, level) => self.toasts.push(text, level),
            Event::Monitor(m) => self.set_monitor(*m),
            Event::SyncDiff { snapshot, result } => {
                self.tell(PaneKind::Changes, Notice::SyncDiff { snapshot, result })
            }
            Event::Activity(Ok(log)) => self.set_activity(log),
            Event::Activity(Err(e)) => self
                .toasts
                .push(format!("activity unavailable: {e}"), ToastLevel::Warn),
        }
        self.take_effects()
    }

    /// Hands a notice to the pane of `kind`, if there is one.
    fn tell(&mut self, kind: PaneKind, notice: Notice) {
        if let Some(i) = self.position(kind) {
            self.with_pane(i, |p, ctx| p.notify(notice, ctx));
        }
    }

    fn on_sync(&mut self, ev: SyncEvent) {
        if let Some(warning) = self.sync.on_event(ev) {
            self.toasts.push(warning, ToastLevel::Warn);
        }
    }

    fn sync_finished(&mut self, result: Result<(), SyncFailure>) {
        if let Err(SyncFailure::Auth(why) | SyncFailure::Other(why)) = &result {
            self.timeline_failure(why);
        }
        match self.sync.finished(result) {
            SyncEnd::Done => {}
            SyncEnd::AuthFailed(msg) => {
                self.modal = Some(format!(
                    "Authentication failed\n\n{}\n\nCheck account_id, client_id and the client secret of profile `{}`.",
                    model::clean(&msg),
                    self.profile
                ));
            }
            SyncEnd::Failed(msg) => self
                .toasts
                .push(format!("sync failed: {msg}"), ToastLevel::Error),
        }
    }

    /// A sync that stored nothing joins the Changes timeline at once, so it
    /// agrees with the status line (the store recorded it for later reads).
    fn timeline_failure(&mut self, why: &str) {
        let failure = crate::store::SyncFailureRecord {
            failed_at: chrono::Utc::now(),
            reason: why.to_string(),
        };
        if let Some(m) = self.shared.monitor_mut() {
            m.push_failure(failure);
            self.tell(PaneKind::Changes, Notice::Monitor);
        }
    }

    /// New monitor data: the Changes and Alerts panes (made if missing)
    /// rebuild, and new alerts raise toasts.
    fn set_monitor(&mut self, m: Monitor) {
        let alerts_key = self
            .keymap
            .first_key(Mode::Normal, Action::Pane(PaneKind::Alerts));
        let fired = alerts_pane::fired_summary(&m, self.monitor(), &alerts_key);
        self.shared.set_monitor(m);
        if self.data.is_some() {
            for kind in [PaneKind::Changes, PaneKind::Alerts] {
                if self.position(kind).is_none() {
                    self.add_pane(kind);
                }
            }
            for kind in [PaneKind::Changes, PaneKind::Alerts] {
                self.tell(kind, Notice::Monitor);
            }
        }
        if let Some((text, level)) = fired {
            self.toasts.push(text, level);
        }
    }

    /// The stored events arrived: the Activity pane (made if missing) lists them.
    fn set_activity(&mut self, log: ActivityLog) {
        self.activity = Some(log.clone());
        if self.data.is_some() {
            if self.position(PaneKind::Activity).is_none() {
                self.add_pane(PaneKind::Activity);
            } else {
                self.tell(PaneKind::Activity, Notice::Activity(&log));
            }
        }
    }

    /// Adds a new pane of `kind` in Tab order, keeping the active one.
    fn add_pane(&mut self, kind: PaneKind) {
        let active = self.active_kind();
        if let Some(p) = self.new_pane(kind) {
            self.panes.push(p);
            self.panes.sort_by_key(|p| p.kind());
        }
        if let Some(k) = active {
            self.goto_pane(k);
        }
    }

    /// A fresh pane of `kind` for the data on screen.
    fn new_pane(&mut self, kind: PaneKind) -> Option<Box<dyn Component>> {
        self.data.as_ref()?;
        let provider = self
            .providers
            .iter()
            .position(|p| p.kind() == kind)
            .map(|i| self.providers.remove(i));
        let data = self.data.as_ref()?;
        let mut ctx = Ctx::new(data, &mut self.shared, &mut self.toasts);
        let ctx = &mut ctx;
        Some(match (kind, provider) {
            (PaneKind::Account, _) => Box::new(AccountPane::new(ctx)),
            (PaneKind::Users, _) => Box::new(EntityPane::new(kind, TableKind::Users, ctx)),
            (PaneKind::Groups, _) => Box::new(EntityPane::new(kind, TableKind::Groups, ctx)),
            (PaneKind::Roles, _) => Box::new(EntityPane::new(kind, TableKind::Roles, ctx)),
            (PaneKind::Employees, _) => Box::new(EmployeesPane::new()),
            (PaneKind::Query, _) => Box::new(QueryPane::new()),
            (PaneKind::Activity, _) => Box::new(ActivityPane::new(
                self.activity.clone().unwrap_or_default(),
                ctx,
            )),
            (_, Some(p)) => Box::new(ProviderPane::new(p, ctx)),
            (PaneKind::Changes, None) => Box::new(ChangesPane::new(ctx)),
            (PaneKind::Alerts, None) => Box::new(AlertsPane::new(ctx)),
        })
    }

    /// Shows a new graph, keeping every pane's cursor, filter and drill-down path.
    fn load(&mut self, graph: Arc<Graph>, meta: super::model::SnapshotMeta) {
        let generation = self.data.as_ref().map(|d| d.generation + 1).unwrap_or(1);
        let old = self.data.take().map(|d| d.graph);
        self.data = Some(Data {
            graph,
            meta,
            generation,
        });
        self.no_data = None;

        // Panes that should exist for this graph.
        let mut wanted: Vec<PaneKind> = vec![
            PaneKind::Account,
            PaneKind::Users,
            PaneKind::Groups,
            PaneKind::Roles,
        ];
        if self
            .data
            .as_ref()
            .is_some_and(|d| !d.graph.of_type(EntityType::Employee).is_empty())
        {
            wanted.push(PaneKind::Employees);
        }
        // Queries work on any graph.
        wanted.push(PaneKind::Query);
        wanted.extend(self.provider_kinds.iter().copied());
        if self.shared.monitor().is_some() {
            wanted.extend([PaneKind::Changes, PaneKind::Alerts]);
        }
        if self.activity.is_some() {
            wanted.push(PaneKind::Activity);
        }
        wanted.sort();
        wanted.dedup();
        let active_kind = self.active_kind();
        let mut kept = std::mem::take(&mut self.panes);
        let mut panes: Vec<Box<dyn Component>> = Vec::new();
        let mut fresh = Vec::new();
        for kind in wanted {
            match kept.iter().position(|p| p.kind() == kind) {
                Some(i) => panes.push(kept.remove(i)),
                None => {
                    fresh.push(kind);
                    if let Some(p) = self.new_pane(kind) {
                        panes.push(p);
                    }
                }
            }
        }
        self.panes = panes;
        if let Some(k) = active_kind {
            self.goto_pane(k);
        }
        if self.active >= self.panes.len() {
            self.active = 0;
        }
        // Every pane rebinds its views to the new graph.
        for i in 0..self.panes.len() {
            let fresh_pane = self.panes.get(i).is_some_and(|p| fresh.contains(&p.kind()));
            let old = if fresh_pane { None } else { old.as_deref() };
            self.with_pane(i, |p, ctx| p.notify(Notice::Graph { old }, ctx));
        }
    }
}

/// The app's own `:` commands, each its name then its aliases. Checked
/// before pane names and completion, so an alias is never taken for the
/// prefix of a longer command.
const APP_COMMANDS: &[&[&str]] = &[
    &["quit", "q", "exit"],
    &["sync"],
    &["export", "save"],
    &["help", "h"],
];

/// Whether `word` (lower case) is a whole command or alias as typed.
fn is_exact_command(word: &str) -> bool {
    APP_COMMANDS.iter().any(|c| c.contains(&word)) || PaneKind::from_command(word).is_some()
}
