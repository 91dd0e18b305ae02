//! A pane's drill-down stack and what every level of it does alike: moving
//! the cursor, filtering, opening an entity, details, raw JSON, copy and
//! CSV export, and taking in background results. Panes own one and add
//! their own meanings on top.

use crate::graph::{EntityId, EntityType, Graph, RelType};

use super::action::{Action, ToastLevel};
use super::app::Effect;
use super::chooser::{self, ColumnChooser};
use super::columns::TableKind;
use super::component::{Ctx, Notice, Outcome};
use super::detail::{DetailKind, DetailView, SettingsState};
use super::export::{ExportJob, ExportRows};
use super::model::{self, Data};
use super::pane::PaneKind;
use super::provided::{self, ProvidedView};
use super::raw::RawView;
use super::source::Request;
use super::table::{RowSource, TableView};

/// What a level of the drill-down shows.
#[derive(Debug)]
pub enum View {
    Table(TableView),
    Detail(DetailView),
    Raw(RawView),
    Provided(ProvidedView),
    /// The column chooser, over the table it was opened from.
    Columns(ColumnChooser),
}

impl View {
    /// The root view of an entity list.
    pub fn entity_table(kind: TableKind, ctx: &mut Ctx) -> View {
        let id = ctx.next_table_id();
        View::Table(TableView::new(
            id,
            kind,
            RowSource::All(kind.entity_type()),
            ctx.data(),
        ))
    }

    fn pending(&self) -> bool {
        match self {
            View::Table(t) => t.pending.is_some(),
            View::Detail(d) => d.settings == SettingsState::Loading,
            View::Raw(r) => r.lines.is_none(),
            View::Provided(_) | View::Columns(_) => false,
        }
    }

    /// Rows shown at the last draw, for paging.
    fn page(&self) -> usize {
        match self {
            View::Table(t) => t.scroll.page(),
            View::Detail(d) => d.scroll.page(),
            View::Raw(r) => r.scroll.page(),
            View::Provided(p) => p.scroll.page(),
            View::Columns(c) => c.scroll.page(),
        }
    }

    fn move_by(&mut self, delta: isize) {
        match self {
            View::Table(t) => t.scroll.move_by(delta, t.rows.len()),
            View::Detail(d) => {
                let n = d.visible_len();
                d.scroll.move_by(delta, n)
            }
            View::Raw(r) => {
                let n = r.len();
                r.scroll.pan_by(delta, n)
            }
            View::Provided(p) => {
                let n = p.shown_len();
                p.scroll.move_by(delta, n)
            }
            View::Columns(c) => c.scroll.move_by(delta, c.layout.len()),
        }
    }

    fn move_to(&mut self, pos: usize) {
        match self {
            View::Table(t) => t.scroll.move_to(pos, t.rows.len()),
            View::Detail(d) => {
                let n = d.visible_len();
                d.scroll.move_to(pos, n)
            }
            View::Raw(r) => {
                let n = r.len();
                r.scroll.pan_to(pos, n)
            }
            View::Provided(p) => {
                let n = p.shown_len();
                p.scroll.move_to(pos, n)
            }
            View::Columns(c) => c.scroll.move_to(pos, c.layout.len()),
        }
    }

    fn filter(&self) -> String {
        match self {
            View::Table(t) => t.filter_text.clone(),
            View::Detail(d) => d.filter.clone(),
            View::Raw(r) => r.search.clone(),
            View::Provided(p) => p.filter().to_string(),
            View::Columns(_) => String::new(),
        }
    }
}

/// A root view and the levels opened from it.
#[derive(Debug)]
pub struct ViewStack {
    root: View,
    levels: Vec<View>,
}

impl ViewStack {
    pub fn new(root: View) -> ViewStack {
        ViewStack {
            root,
            levels: Vec::new(),
        }
    }

    /// The view on screen.
    pub fn top(&self) -> &View {
        self.levels.last().unwrap_or(&self.root)
    }

    pub fn top_mut(&mut self) -> &mut View {
        self.levels.last_mut().unwrap_or(&mut self.root)
    }

    pub fn root(&self) -> &View {
        &self.root
    }

    pub fn root_mut(&mut self) -> &mut View {
        &mut self.root
    }

    pub fn replace_root(&mut self, v: View) {
        self.root = v;
    }

    /// Drill-down levels above the root.
    pub fn depth(&self) -> usize {
        self.levels.len()
    }

    pub fn levels_mut(&mut self) -> impl Iterator<Item = &mut View> {
        self.levels.iter_mut()
    }

    pub fn push(&mut self, v: View) {
        self.levels.push(v);
    }

    /// Pops one level; false at the root.
    pub fn pop(&mut self) -> bool {
        self.levels.pop().is_some()
    }

    /// Back to the root view.
    pub fn clear_levels(&mut self) {
        self.levels.clear();
    }

    fn views_mut(&mut self) -> impl Iterator<Item = &mut View> {
        std::iter::once(&mut self.root).chain(self.levels.iter_mut())
    }

    /// Some view waits for a background result.
    pub fn pending(&self) -> bool {
        std::iter::once(&self.root)
            .chain(self.levels.iter())
            .any(View::pending)
    }

    /// Titles of the drill-down path, for breadcrumbs.
    pub fn breadcrumbs(&self, kind: PaneKind, data: Option<&Data>) -> Vec<String> {
        let mut out = vec![kind.title().to_string()];
        out.extend(self.levels.iter().map(|v| view_title(v, data)));
        out
    }

    pub fn filter(&self) -> String {
        self.top().filter()
    }

    /// Applies search text to the view on screen (live, on every keystroke).
    pub fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        let req = ctx.next_req();
        match self.top_mut() {
            View::Table(t) => {
                if t.filter_text == text {
                    return;
                }
                t.set_filter(text);
                t.scroll.move_to(0, t.rows.len());
                let job = t.job(req, ctx.data());
                ctx.search(job);
            }
            View::Detail(d) => {
                d.filter = text.to_string();
                d.scroll.move_to(0, 0);
            }
            View::Raw(r) => r.set_search(text),
            View::Provided(p) => p.set_filter(text),
            View::Columns(_) => {}
        }
    }

    /// The entity under the cursor (row, link or the viewed entity).
    pub fn selected_entity(&self, g: &Graph) -> Option<EntityId> {
        match self.top() {
            View::Table(t) => t.selected(),
            View::Detail(d) => match d.selected_link() {
                Some(k) => g.id_of(&k),
                None if d.kind == DetailKind::Account => model::account(g),
                None => g.id_of(&d.key),
            },
            View::Raw(r) => g.id_of(&r.key),
            View::Provided(p) => p.selected_entity(),
            View::Columns(_) => None,
        }
    }

    /// What every level does with an action; `Ignored` for the app's own
    /// (prompts, panes, help, sync, quit) and for going back at the root.
    pub fn handle_action(&mut self, action: Action, kind: PaneKind, ctx: &mut Ctx) -> Outcome {
        if let View::Columns(_) = self.top() {
            return self.chooser_action(action, ctx);
        }
        let page = self.top().page().max(1) as isize;
        match action {
            Action::MoveDown => self.top_mut().move_by(1),
            Action::MoveUp => self.top_mut().move_by(-1),
            Action::PageDown => self.top_mut().move_by(page),
            Action::PageUp => self.top_mut().move_by(-page),
            Action::HalfPageDown => self.top_mut().move_by((page / 2).max(1)),
            Action::HalfPageUp => self.top_mut().move_by(-(page / 2).max(1)),
            Action::Top => self.top_mut().move_to(0),
            Action::Bottom => self.top_mut().move_to(usize::MAX),
            Action::ColumnLeft | Action::ColumnRight => {
                let prefs = ctx.columns().clone();
                if let View::Provided(p) = self.top_mut() {
                    p.move_column(action == Action::ColumnRight);
                } else if let View::Table(t) = self.top_mut() {
                    // Among the columns on show: all of them when wide.
                    let order: Vec<usize> = if t.wide {
                        prefs.layout(t.kind).into_iter().map(|(i, _)| i).collect()
                    } else {
                        prefs.shown(t.kind)
                    };
                    let n = order.len().max(1);
                    t.column = match order.iter().position(|i| *i == t.column) {
                        Some(p) if action == Action::ColumnLeft => order[(p + n - 1) % n],
                        Some(p) => order[(p + 1) % n],
                        None => order.first().copied().unwrap_or(0),
                    };
                }
            }
            Action::ColumnEarlier | Action::ColumnLater => {
                if let View::Table(t) = self.top() {
                    let delta = if action == Action::ColumnEarlier {
                        -1
                    } else {
                        1
                    };
                    let (kind, column) = (t.kind, t.column);
                    if let Some(l) = chooser::shift_column(ctx.columns(), kind, column, delta) {
                        ctx.set_columns(kind, &l);
                    }
                }
            }
            Action::Columns => {
                if let View::Table(t) = self.top() {
                    let c = ColumnChooser::new(t.kind, ctx.columns(), t.column);
                    self.push(View::Columns(c));
                } else {
                    ctx.toast("C chooses the columns of a table", ToastLevel::Info);
                }
            }
            Action::Wide => match self.top_mut() {
                View::Table(t) => t.wide = !t.wide,
                View::Provided(p) => p.wide = !p.wide,
                _ => ctx.toast("w widens tables; open a table first", ToastLevel::Info),
            },
            Action::Mark => {
                let g = &ctx.data().graph;
                match self.top_mut() {
                    View::Table(t) => {
                        t.toggle_mark(g);
                        t.scroll.move_by(1, t.rows.len());
                    }
                    View::Provided(p) => {
                        p.toggle_mark();
                        let n = p.shown_len();
                        p.scroll.move_by(1, n);
                    }
                    _ => ctx.toast("Space marks the rows of a list", ToastLevel::Info),
                }
            }
            Action::NextLink | Action::PrevLink => {
                if let View::Detail(d) = self.top_mut() {
                    d.jump_link(action == Action::NextLink);
                }
            }
            // With rows marked, `y` yanks them as `c` does.
            Action::Raw if self.has_marks() => self.copy(ctx),
            Action::Sort => self.sort(ctx),
            Action::Open => self.open(ctx),
            Action::Details => self.details(ctx),
            Action::Raw => self.raw(ctx),
            Action::Copy => self.copy(ctx),
            Action::CopyRow => self.copy_rows(ctx),
            Action::ExportCsv => self.export(kind, ctx),
            Action::OtherSide if matches!(self.top(), View::Detail(_)) => self.other_side(ctx),
            Action::NextMatch | Action::PrevMatch => {
                if let View::Raw(r) = self.top_mut() {
                    r.step_match(action == Action::NextMatch);
                }
            }
            Action::ClearOrBack => {
                if let View::Table(t) = self.top_mut()
                    && !t.marks.is_empty()
                {
                    t.marks.clear();
                } else if let View::Provided(p) = self.top_mut()
                    && p.has_marks()
                {
                    p.clear_marks();
                } else if !self.filter().is_empty() {
                    self.set_filter("", ctx);
                } else if !self.pop() {
                    return Outcome::Ignored;
                }
            }
            Action::BackOrQuit => {
                if !self.pop() {
                    return Outcome::Ignored;
                }
            }
            Action::Quit
            | Action::Search
            | Action::Command
            | Action::Help
            | Action::SyncNow
            | Action::NextPane
            | Action::PrevPane
            | Action::Pane(_)
            | Action::Accept
            | Action::Cancel
            | Action::Complete
            | Action::DeleteChar
            | Action::ClearLine
            | Action::OtherSide
            | Action::Link
            | Action::Unlink => return Outcome::Ignored,
            // The panes that know who did what (Activity, Changes) take it first.
            Action::Operator => ctx.toast(
                "b opens who did it: on an event in Activity, or on a change in Changes",
                ToastLevel::Info,
            ),
        }
        Outcome::Consumed
    }

    /// Background results for the views of this stack.
    pub fn notify(&mut self, notice: &Notice, ctx: &mut Ctx) -> Outcome {
        let data = ctx.data();
        match notice {
            Notice::Search(done) => {
                for v in self.views_mut() {
                    if let View::Table(t) = v
                        && t.id == done.target
                    {
                        t.apply((*done).clone(), &data.graph);
                        return Outcome::Consumed;
                    }
                }
            }
            Notice::Settings { key, state } => {
                for v in self.views_mut() {
                    if let View::Detail(d) = v
                        && d.kind == DetailKind::User
                        && d.key == *key
                    {
                        d.settings = (*state).clone();
                        d.rebuild(data);
                    }
                }
            }
            Notice::Raw { key, text } => {
                for v in self.views_mut() {
                    if let View::Raw(r) = v
                        && r.key == *key
                        && r.lines.is_none()
                    {
                        r.set_json(text);
                    }
                }
            }
            // Rebind every view to the new graph and recompute every table.
            Notice::Graph { old } => {
                let mut jobs = Vec::new();
                for v in self.views_mut() {
                    match v {
                        View::Table(t) => {
                            if old.is_some() {
                                t.rebind(*old, data);
                            }
                            jobs.push(t);
                        }
                        View::Detail(d) => d.rebuild(data),
                        View::Raw(_) | View::Provided(_) | View::Columns(_) => {}
                    }
                }
                for t in jobs {
                    let req = ctx.next_req();
                    let job = t.job(req, data);
                    ctx.search(job);
                }
            }
            Notice::Monitor
            | Notice::Activity(_)
            | Notice::Query(_)
            | Notice::EmployeesReport(_)
            | Notice::SyncDiff { .. } => {}
        }
        Outcome::Ignored
    }

    /// Whether the view on screen is a table with marked rows (Esc then
    /// clears them rather than going back).
    pub fn has_marks(&self) -> bool {
        match self.top() {
            View::Table(t) => !t.marks.is_empty(),
            View::Provided(p) => p.has_marks(),
            _ => false,
        }
    }

    /// Keys of the column chooser. Every change is applied (and saved) at
    /// once, so leaving it any way keeps what was chosen.
    fn chooser_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        let View::Columns(c) = self.top_mut() else {
            return Outcome::Ignored;
        };
        let n = c.layout.len();
        let changed = match action {
            Action::MoveDown => {
                c.scroll.move_by(1, n);
                false
            }
            Action::MoveUp => {
                c.scroll.move_by(-1, n);
                false
            }
            Action::Top => {
                c.scroll.move_to(0, n);
                false
            }
            Action::Bottom => {
                c.scroll.move_to(usize::MAX, n);
                false
            }
            Action::Mark => {
                let hid_last = !c.toggle();
                if hid_last {
                    ctx.toast("one column at least stays shown", ToastLevel::Info);
                }
                !hid_last
            }
            Action::ColumnEarlier => c.move_by(-1),
            Action::ColumnLater => c.move_by(1),
            Action::ClearOrBack | Action::BackOrQuit | Action::Open | Action::Columns => {
                self.pop();
                return Outcome::Consumed;
            }
            // The app's own keys (quit, help, panes, sync) still work.
            Action::Quit
            | Action::Help
            | Action::SyncNow
            | Action::NextPane
            | Action::PrevPane
            | Action::Pane(_)
            | Action::Command => return Outcome::Ignored,
            _ => false,
        };
        if changed {
            let (kind, layout) = (c.kind, c.layout.clone());
            ctx.set_columns(kind, &layout);
        }
        Outcome::Consumed
    }

    fn sort(&mut self, ctx: &mut Ctx) {
        let data = ctx.data();
        let req = ctx.next_req();
        if let View::Table(t) = self.top_mut() {
            t.toggle_sort(&data.graph);
            let job = t.job(req, data);
            ctx.search(job);
        }
    }

    fn open(&mut self, ctx: &mut Ctx) {
        let g = &ctx.data().graph;
        let id = match self.top() {
            View::Detail(d) => d.selected_link().and_then(|k| g.id_of(&k)),
            View::Raw(_) => None,
            _ => self.selected_entity(g),
        };
        if let Some(id) = id {
            self.open_entity(id, ctx);
        }
    }

    /// Drill into an entity: a user's profile, a group's or role's members.
    pub fn open_entity(&mut self, id: EntityId, ctx: &mut Ctx) {
        let data = ctx.data();
        let e = data.graph.entity(id);
        let key = e.key.clone();
        let view = match e.etype {
            EntityType::User => {
                let settings = ctx.settings_for(&key);
                View::Detail(DetailView::new(DetailKind::User, key, data, settings))
            }
            EntityType::Group => View::Table(member_table(RowSource::GroupMembers(key), ctx)),
            EntityType::Role => View::Table(member_table(RowSource::RoleMembers(key), ctx)),
            EntityType::Account | EntityType::Employee => View::Detail(DetailView::new(
                DetailKind::Entity,
                key,
                data,
                SettingsState::NotApplicable,
            )),
        };
        self.push(view);
    }

    /// `o` on a detail view: a user's employee record, an employee's Zoom
    /// user; a toast says why when there is no other side.
    fn other_side(&mut self, ctx: &mut Ctx) {
        let g = &ctx.data().graph;
        let View::Detail(d) = self.top() else {
            return;
        };
        let Some(id) = g.id_of(&d.key) else {
            return;
        };
        let other = match g.entity(id).etype {
            EntityType::User => model::employee_of(g, id).ok_or(
                "no employee record for this user (import a roster: `zoomscope employees import`)",
            ),
            EntityType::Employee => g
                .sources(id, RelType::UserIsEmployee)
                .next()
                .ok_or("no Zoom user for this employee"),
            _ => Err("`o` opens the other side of a user or an employee"),
        };
        match other {
            Ok(other) => self.open_entity(other, ctx),
            Err(why) => ctx.toast(why, ToastLevel::Info),
        }
    }

    fn details(&mut self, ctx: &mut Ctx) {
        let data = ctx.data();
        if let Some(id) = self.selected_entity(&data.graph) {
            let key = data.graph.entity(id).key.clone();
            self.push(View::Detail(DetailView::new(
                DetailKind::Entity,
                key,
                data,
                SettingsState::NotApplicable,
            )));
        }
    }

    fn raw(&mut self, ctx: &mut Ctx) {
        let data = ctx.data();
        if matches!(self.top(), View::Raw(_)) {
            return;
        }
        if let Some(id) = self.selected_entity(&data.graph) {
            let key = data.graph.entity(id).key.clone();
            self.push(View::Raw(RawView::loading(
                key.clone(),
                model::label(&data.graph, id),
            )));
            ctx.request(Request::RawJson(key));
        }
    }

    fn copy(&mut self, ctx: &mut Ctx) {
        let g = &ctx.data().graph;
        let text = match self.top() {
            View::Raw(r) => Some(r.text.clone()),
            // Marked rows of a provided table: whole rows, one a line.
            View::Provided(p) if p.has_marks() => Some(
                p.marked_rows()
                    .into_iter()
                    .map(|r| provided::row_text(&r.cells))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            // A row that names no entity (a sync, a rule, a category): the row.
            View::Provided(p) if p.selected_entity().is_none() => {
                p.selected_row().map(|r| provided::row_text(&r.cells))
            }
            // Marked rows: one e-mail (or key) a line.
            View::Table(t) if !t.marks.is_empty() => Some(
                t.marked_rows(g)
                    .into_iter()
                    .map(|id| copy_text(g, id))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            _ => self.selected_entity(g).map(|id| {
                let e = g.entity(id);
                e.props
                    .str("email")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .unwrap_or_else(|| e.label().to_string())
            }),
        };
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            let shown = if self.has_marks() {
                format!("{} marked rows", t.lines().count())
            } else if t.lines().count() > 1 {
                format!("{} lines of JSON", t.lines().count())
            } else {
                t.chars().take(60).collect()
            };
            ctx.toast(format!("copied {shown}"), ToastLevel::Info);
            ctx.effect(Effect::Copy(t));
        }
    }

    /// `Y`: the whole row under the cursor, or every marked row, as
    /// tab-separated cells of the columns on show (a provided table's every
    /// column), one row a line.
    fn copy_rows(&mut self, ctx: &mut Ctx) {
        let g = &ctx.data().graph;
        let lines: Vec<String> = match self.top() {
            View::Provided(p) if p.has_marks() => p
                .marked_rows()
                .into_iter()
                .map(|r| provided::row_text(&r.cells))
                .collect(),
            View::Provided(p) => p
                .selected_row()
                .map(|r| provided::row_text(&r.cells))
                .into_iter()
                .collect(),
            View::Table(t) => {
                let ids = if t.marks.is_empty() {
                    t.selected().into_iter().collect()
                } else {
                    t.marked_rows(g)
                };
                let cols = t.kind.columns();
                let order = ctx.columns().shown(t.kind);
                ids.into_iter()
                    .map(|id| {
                        let cells: Vec<String> = order
                            .iter()
                            .filter_map(|i| cols.get(*i))
                            .map(|c| super::columns::cell(g, id, c.field))
                            .collect();
                        provided::row_text(&cells)
                    })
                    .collect()
            }
            _ => {
                ctx.toast("Y copies rows of a list", ToastLevel::Info);
                return;
            }
        };
        if lines.is_empty() {
            return;
        }
        let shown = match lines.as_slice() {
            [one] => one.replace('\t', " · ").chars().take(60).collect(),
            many => format!("{} rows", many.len()),
        };
        ctx.toast(format!("copied {shown}"), ToastLevel::Info);
        ctx.effect(Effect::Copy(lines.join("\n")));
    }

    fn export(&mut self, kind: PaneKind, ctx: &mut Ctx) {
        let pane = kind.command();
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        match self.top() {
            View::Table(t) => {
                let name = match t.source.owner_key() {
                    Some(_) => format!("zoomscope-{pane}-members-{stamp}.csv"),
                    None => format!("zoomscope-{pane}-{stamp}.csv"),
                };
                // Marked rows when there are any, else the whole filtered table.
                let rows = if t.marks.is_empty() {
                    t.rows.clone()
                } else {
                    std::sync::Arc::new(t.marked_rows(&ctx.data().graph))
                };
                let job = ExportJob {
                    path: ctx.export_dir().join(name),
                    rows: ExportRows::Entities {
                        graph: ctx.data().graph.clone(),
                        kind: t.kind,
                        rows,
                    },
                };
                ctx.effect(Effect::Export(Box::new(job)));
            }
            // Marked rows when there are any, else the rows the filter keeps.
            View::Provided(p) => {
                let name = if self.levels.is_empty() {
                    format!("zoomscope-{pane}-{stamp}.csv")
                } else {
                    format!("zoomscope-{pane}-detail-{stamp}.csv")
                };
                let job = ExportJob {
                    path: ctx.export_dir().join(name),
                    rows: ExportRows::Cells {
                        columns: p.table().columns.clone(),
                        rows: p
                            .chosen_rows()
                            .into_iter()
                            .map(|r| r.cells.clone())
                            .collect(),
                    },
                };
                ctx.effect(Effect::Export(Box::new(job)));
            }
            _ => ctx.toast("Ctrl-s saves tables; open a table first", ToastLevel::Info),
        }
    }
}

/// What copying a row gives: its e-mail, else its `_key` (a key names the
/// entity for `zoomscope` commands and J1QL where a label may not).
fn copy_text(g: &Graph, id: EntityId) -> String {
    let e = g.entity(id);
    e.props
        .str("email")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| e.key.clone())
}

fn member_table(source: RowSource, ctx: &mut Ctx) -> TableView {
    let id = ctx.next_table_id();
    let mut t = TableView::new(id, TableKind::Users, source, ctx.data());
    let req = ctx.next_req();
    let job = t.job(req, ctx.data());
    ctx.search(job);
    t
}

/// A drill-down level's breadcrumb.
pub fn view_title(v: &View, data: Option<&Data>) -> String {
    let g = data.map(|d| d.graph.as_ref());
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
        View::Provided(p) => p.title.clone().unwrap_or_else(|| "results".into()),
        View::Columns(_) => "Columns".into(),
    }
}
