//! The Changes pane: the timeline of syncs (newest first) and, on Enter,
//! what one sync changed, each change with who made it ("changed by olga@…
//! at 14:30", or "unexplained" when no operation-log entry names it). Enter
//! on a changed entity opens it under what changed and who did it, the
//! operator a link to their Zoom user and employee record; the operator key
//! (`b`) opens that user from the list. Older syncs are diffed when opened,
//! behind the I/O edge (`Request::SyncDiff`).

use std::any::Any;

use serde_json::Value;

use crate::diff::GraphDiff;
use crate::graph::{EntityType, Graph};
use crate::store::SyncFailureRecord;
use crate::util::human;

use super::action::{Action, ToastLevel};
use super::component::{Component, Ctx, Notice, Outcome};
use super::detail::{self, DetailKind, DetailView, SettingsState};
use super::model;
use super::monitor::{Monitor, SyncChanges};
use super::pane::PaneKind;
use super::provided::{ProvidedRow, ProvidedTable, ProvidedView};
use super::source::Request;
use super::stack::{View, ViewStack};

/// The Changes pane.
#[derive(Debug)]
pub struct ChangesPane {
    stack: ViewStack,
    /// The snapshot whose changes the first drill-down level lists.
    opened: Option<i64>,
}

impl ChangesPane {
    pub fn new(ctx: &Ctx) -> ChangesPane {
        let table = ctx.monitor().map(|m| timeline_table(m)).unwrap_or_default();
        ChangesPane {
            stack: ViewStack::new(View::Provided(ProvidedView::new(table))),
            opened: None,
        }
    }

    /// The diff the first level lists and the key of the entity under its
    /// cursor (a row of an entity in the graph on screen).
    fn selected_change<'m>(&self, ctx: &'m Ctx) -> Option<(&'m SyncChanges, String)> {
        if self.stack.depth() != 1 {
            return None;
        }
        let View::Provided(p) = self.stack.top() else {
            return None;
        };
        let id = p.selected_entity()?;
        let s = ctx
            .monitor()?
            .syncs
            .iter()
            .find(|s| Some(s.snapshot) == self.opened)?;
        Some((s, ctx.data().graph.entity(id).key.clone()))
    }

    /// Enter on a changed entity: its detail under what changed and who made
    /// the change; `Ignored` when the cursor is on no entity.
    fn open_change(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some((s, key)) = self.selected_change(ctx) else {
            return Outcome::Ignored;
        };
        let Some(d) = s.diff.as_ref() else {
            return Outcome::Ignored;
        };
        let g = &ctx.data().graph;
        let props: Vec<(String, String)> = d
            .entities_changed
            .iter()
            .filter(|c| c.key == key)
            .flat_map(|c| &c.changes)
            .map(|p| {
                (
                    p.name.clone(),
                    format!(
                        "{} → {}",
                        value(g, &p.name, &p.old),
                        value(g, &p.name, &p.new)
                    ),
                )
            })
            .collect();
        let word = if d.entities_added.iter().any(|e| e.key == key) {
            "Added"
        } else {
            "Changed"
        };
        let heading = format!("{word} in sync {}", sync_title(s));
        let preamble = detail::change_lines(
            g,
            heading,
            &props,
            d.attribution.by(&key),
            d.attribution.joined(),
        );
        let Some(id) = g.id_of(&key) else {
            return Outcome::Ignored;
        };
        let (kind, settings) = if g.entity(id).etype == EntityType::User {
            (DetailKind::User, ctx.settings_for(&key))
        } else {
            (DetailKind::Entity, SettingsState::NotApplicable)
        };
        let view = DetailView::with_preamble(kind, key, ctx.data(), settings, preamble);
        self.stack.push(View::Detail(view));
        Outcome::Consumed
    }

    /// The operator key on a change: who made it (the latest entry's operator).
    fn open_operator(&mut self, ctx: &mut Ctx) {
        let Some((s, key)) = self.selected_change(ctx) else {
            ctx.toast(
                "b on a change opens who made it; open a sync first",
                ToastLevel::Info,
            );
            return;
        };
        let operator = s
            .diff
            .as_ref()
            .and_then(|d| d.attribution.by(&key).last())
            .map(|b| b.operator.clone());
        match operator {
            Some(op) => super::activity_pane::open_operator(&mut self.stack, &op, ctx),
            None => ctx.toast(
                "unexplained: no operation-log entry names this change",
                ToastLevel::Info,
            ),
        }
    }

    /// Enter on a sync: its changes; `Ignored` when the cursor is on none.
    fn open_sync(&mut self, ctx: &mut Ctx) -> Outcome {
        let View::Provided(p) = self.stack.top() else {
            return Outcome::Ignored;
        };
        let Some(entry) = ctx
            .monitor()
            .and_then(|m| timeline(m).into_iter().nth(p.selected()?))
        else {
            return Outcome::Ignored;
        };
        let s = match entry {
            Entry::Sync(s) => s,
            // A failed sync changed nothing; its whole reason, which the row may cut.
            Entry::Failed(f) => {
                let text = format!("sync failed: {}", f.reason);
                ctx.toast(text, ToastLevel::Warn);
                return Outcome::Consumed;
            }
        };
        self.opened = Some(s.snapshot);
        let title = sync_title(s);
        let table = match &s.diff {
            Some(d) => sync_table(d, &ctx.data().graph),
            None => {
                let snapshot = s.snapshot;
                ctx.request(Request::SyncDiff(snapshot));
                loading_table()
            }
        };
        self.stack
            .push(View::Provided(ProvidedView::titled(table, title)));
        Outcome::Consumed
    }

    /// New monitor data: a new timeline; drill-downs were built from the old one.
    fn refresh(&mut self, ctx: &Ctx) {
        let table = ctx.monitor().map(|m| timeline_table(m)).unwrap_or_default();
        if let View::Provided(p) = self.stack.root_mut() {
            p.set_table(table);
        }
        self.stack.clear_levels();
    }

    /// An older sync's diff arrived: keep it (the timeline shows its counts
    /// from now on) and fill the drill-down that waits for it.
    fn take_diff(&mut self, snapshot: i64, result: Result<Box<GraphDiff>, String>, ctx: &mut Ctx) {
        let d = match result {
            Ok(d) => *d,
            Err(e) => {
                ctx.toast(
                    format!("cannot diff snapshot #{snapshot}: {e}"),
                    ToastLevel::Error,
                );
                return;
            }
        };
        let Some(m) = ctx.monitor_mut() else { return };
        if !m.set_diff(snapshot, d) {
            return;
        }
        let Some(m) = ctx.monitor() else { return };
        let Some(s) = m.syncs.iter().find(|s| s.snapshot == snapshot) else {
            return;
        };
        let title = sync_title(s);
        let detail = s.diff.as_ref().map(|d| sync_table(d, &ctx.data().graph));
        let timeline = timeline_table(m);
        if let View::Provided(p) = self.stack.root_mut() {
            p.set_table(timeline);
        }
        for v in self.stack.levels_mut() {
            if let (View::Provided(p), Some(t)) = (v, &detail)
                && p.title.as_deref() == Some(title.as_str())
            {
                p.set_table(t.clone());
            }
        }
    }
}

impl Component for ChangesPane {
    fn kind(&self) -> PaneKind {
        PaneKind::Changes
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        let opened = match (action, self.stack.depth()) {
            (Action::Open, 0) => self.open_sync(ctx),
            (Action::Open, 1) => self.open_change(ctx),
            (Action::Operator, _) => {
                self.open_operator(ctx);
                Outcome::Consumed
            }
            _ => Outcome::Ignored,
        };
        if opened == Outcome::Consumed {
            return Outcome::Consumed;
        }
        self.stack.handle_action(action, PaneKind::Changes, ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        match notice {
            Notice::Monitor => {
                self.refresh(ctx);
                Outcome::Ignored
            }
            Notice::SyncDiff { snapshot, result } => {
                self.take_diff(snapshot, result, ctx);
                Outcome::Consumed
            }
            // A new graph invalidates the drill-downs' entity ids.
            Notice::Graph { .. } => {
                self.stack.clear_levels();
                self.stack.notify(&notice, ctx)
            }
            other => self.stack.notify(&other, ctx),
        }
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn sync_title(s: &SyncChanges) -> String {
    format!("#{} {}", s.snapshot, s.finished_at)
}

fn loading_table() -> ProvidedTable {
    ProvidedTable {
        columns: vec!["Change".into()],
        rows: vec![ProvidedRow {
            entity: None,
            cells: vec!["diffing…".into()],
        }],
    }
}

/// A row of the timeline: a stored sync, or one that failed and stored nothing.
enum Entry<'a> {
    Sync(&'a SyncChanges),
    Failed(&'a SyncFailureRecord),
}

/// The timeline's rows, newest first: the stored syncs and the failed ones
/// merged by time (row i of [`timeline_table`] is entry i).
fn timeline(m: &Monitor) -> Vec<Entry<'_>> {
    let mut out = Vec::with_capacity(m.syncs.len() + m.failures.len());
    let mut syncs = m.syncs.iter().peekable();
    let mut failures = m.failures.iter().peekable();
    loop {
        // Both lists are newest first, their times written alike. A tie
        // (the same second) puts the failure first, newest: the status
        // line, which says the last sync failed, and the timeline agree.
        let failure_first = match (syncs.peek(), failures.peek()) {
            (Some(s), Some(f)) => failed_at(f) >= s.finished_at,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        match if failure_first {
            failures.next().map(Entry::Failed)
        } else {
            syncs.next().map(Entry::Sync)
        } {
            Some(e) => out.push(e),
            None => break,
        }
    }
    out
}

/// When a sync failed, written as a stored sync's finish.
fn failed_at(f: &SyncFailureRecord) -> String {
    f.failed_at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// One row per sync: snapshot, time, counts; a sync that failed and stored
/// nothing is a row of its own ("sync failed at 14:30: why").
pub fn timeline_table(m: &Monitor) -> ProvidedTable {
    let columns = [
        "Snapshot",
        "Finished (UTC)",
        "Added",
        "Removed",
        "Changed",
        "Relationships ±",
        "Sync",
    ]
    .map(String::from)
    .to_vec();
    let rows = timeline(m)
        .into_iter()
        .map(|entry| {
            let s = match entry {
                Entry::Sync(s) => s,
                Entry::Failed(f) => {
                    let mut cells = vec!["—".to_string(), failed_at(f)];
                    cells.extend(std::iter::repeat_n(String::new(), 4));
                    cells.push(format!(
                        "✗ sync failed at {}: {}",
                        f.failed_at.format("%H:%M"),
                        model::clean(&f.reason)
                    ));
                    return ProvidedRow {
                        entity: None,
                        cells,
                    };
                }
            };
            let counts = match (&s.diff, s.first) {
                (_, true) => [
                    "first snapshot".to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
                (Some(d), false) => {
                    let n = d.summary();
                    let k = |n: usize| human::thousands(n as u64);
                    [
                        k(n.entities_added),
                        k(n.entities_removed),
                        k(n.entities_changed),
                        format!(
                            "+{} −{}",
                            k(n.relationships_added),
                            k(n.relationships_removed)
                        ),
                    ]
                }
                (None, false) => ["…".into(), "…".into(), "…".into(), "…".into()],
            };
            let mut cells = vec![format!("#{}", s.snapshot), s.finished_at.clone()];
            cells.extend(counts);
            // A partial sync's counts compare carried-over parts: say so.
            cells.push(match s.failed_steps.as_slice() {
                [] => "complete".into(),
                failed => format!("✗ partial: {} failed", failed.join(", ")),
            });
            ProvidedRow {
                entity: None,
                cells,
            }
        })
        .collect();
    ProvidedTable { columns, rows }
}

/// A changed property's value as a person reads it: ids of groups and
/// roles by their names in `g` (the id itself when the graph no longer has
/// it), flags and Zoom's enum numbers as words (`util::human`).
fn value(g: &Graph, prop: &str, v: &Option<Value>) -> String {
    let Some(v) = v else { return "∅".into() };
    let id_type = match prop {
        "groupIds" | "groupId" | "imGroupIds" => Some(EntityType::Group),
        "roleId" => Some(EntityType::Role),
        _ => None,
    };
    let text = match (id_type, v) {
        (Some(t), Value::Array(ids)) => ids
            .iter()
            .map(|id| name_of(g, t, id))
            .collect::<Vec<_>>()
            .join(", "),
        (Some(t), id) => name_of(g, t, id),
        (None, v) => human::prop(prop, v),
    };
    model::clean(&text).into_owned()
}

/// The name of the entity of type `t` whose id is `id`, else the id.
fn name_of(g: &Graph, t: EntityType, id: &Value) -> String {
    let id = human::value(id);
    let key = match t {
        EntityType::Role => crate::graph::keys::role_key(&id),
        _ => crate::graph::keys::group_key(&id),
    };
    match g.id_of(&key) {
        Some(e) => model::label(g, e),
        None => id,
    }
}

/// `word` (`changed`, `added`, `removed`) with who did it: `changed by
/// olga@… at 14:30` when the operation log names who made the change (the
/// latest entry about the entity), `changed, unexplained` when the log was
/// joined and no entry names it.
fn attributed(word: &str, d: &GraphDiff, key: &str) -> String {
    match d.attribution.by(key).last() {
        None if d.attribution.joined() => format!("{word}, unexplained"),
        None => word.into(),
        Some(b) => {
            let who = b
                .operator
                .split_once('@')
                .map_or(b.operator.as_str(), |(local, _)| local);
            format!(
                "{word} by {}@… at {}",
                crate::util::sanitize::for_terminal(who),
                b.time.format("%H:%M")
            )
        }
    }
}

/// What one sync changed: entities added, removed, changed (one row per
/// property, old → new) and relationships added or removed.
pub fn sync_table(d: &GraphDiff, g: &Graph) -> ProvidedTable {
    let columns = ["Change", "Type", "Entity", "Property", "Old → New"]
        .map(String::from)
        .to_vec();
    let mut rows = Vec::new();
    for e in &d.entities_added {
        rows.push(ProvidedRow {
            entity: g.id_of(&e.key),
            cells: vec![
                attributed("added", d, &e.key),
                e.etype.class().into(),
                e.label().to_string(),
                String::new(),
                String::new(),
            ],
        });
    }
    for e in &d.entities_removed {
        rows.push(ProvidedRow {
            entity: g.id_of(&e.key),
            cells: vec![
                attributed("removed", d, &e.key),
                e.etype.class().into(),
                e.label().to_string(),
                String::new(),
                String::new(),
            ],
        });
    }
    for c in &d.entities_changed {
        let change = attributed("changed", d, &c.key);
        for p in &c.changes {
            rows.push(ProvidedRow {
                entity: g.id_of(&c.key),
                cells: vec![
                    change.clone(),
                    c.etype.class().into(),
                    c.label.clone(),
                    p.name.clone(),
                    format!(
                        "{} → {}",
                        value(g, &p.name, &p.old),
                        value(g, &p.name, &p.new)
                    ),
                ],
            });
        }
    }
    let label = |k: &str| match g.id_of(k) {
        Some(id) => model::label(g, id),
        None => k.to_string(),
    };
    for (word, list) in [
        ("linked", &d.relationships_added),
        ("unlinked", &d.relationships_removed),
    ] {
        for r in list {
            rows.push(ProvidedRow {
                entity: g.id_of(&r.from_key),
                cells: vec![
                    word.into(),
                    r.rtype.class().as_str().into(),
                    label(&r.from_key),
                    String::new(),
                    format!("→ {}", label(&r.to_key)),
                ],
            });
        }
    }
    if rows.is_empty() {
        rows.push(ProvidedRow {
            entity: None,
            cells: vec![
                "(no changes)".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
        });
    }
    ProvidedTable { columns, rows }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::diff::{Attribution, By};
    use crate::diff::{EntityChange, PropChange};
    use crate::graph::Entity;
    use chrono::TimeZone;

    #[test]
    fn ids_read_as_names_and_flags_as_words() {
        let mut g = Graph::new();
        for (t, key, name) in [
            (EntityType::Group, "zoom_group:g1", "Sales"),
            (EntityType::Group, "zoom_group:g2", "Legal"),
            (EntityType::Role, "zoom_role:1", "Admin"),
            (EntityType::Role, "zoom_role:2", "Member"),
        ] {
            let mut e = Entity::new(t, key.into());
            e.props.insert(Arc::from("name"), json!(name));
            e.props.insert(Arc::from("displayName"), json!(name));
            g.add_entity(e).unwrap();
        }
        let change = |name: &str, old: Value, new: Value| PropChange {
            name: name.into(),
            old: Some(old),
            new: Some(new),
        };
        let d = GraphDiff {
            entities_changed: vec![EntityChange {
                key: "zoom_user:u1".into(),
                etype: EntityType::User,
                label: "Jill".into(),
                changes: vec![
                    change("groupIds", json!(["g1"]), json!(["g1", "g2", "gone"])),
                    change("roleId", json!("2"), json!("1")),
                    change("verified", json!(0), json!(1)),
                    change("type", json!(1), json!(2)),
                    change("active", json!(true), json!(false)),
                ],
            }],
            ..GraphDiff::default()
        };
        let t = sync_table(&d, &g);
        let shown: Vec<(&str, &str)> = t
            .rows
            .iter()
            .map(|r| (r.cells[3].as_str(), r.cells[4].as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("groupIds", "Sales → Sales, Legal, gone"),
                ("roleId", "Member → Admin"),
                ("verified", "no → yes"),
                ("type", "Basic → Licensed"),
                ("active", "yes → no"),
            ]
        );
    }

    #[test]
    fn a_change_names_its_operator_and_time_and_an_unexplained_one_says_so() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 12, 7, 14, 30, 5)
            .unwrap();
        let d = GraphDiff {
            attribution: Attribution::from_entries(vec![(
                "zoom_user:u1".into(),
                By {
                    time: at,
                    operator: "olga\u{202e}@northwind.example".into(),
                    action: "Update".into(),
                    detail: "Update User bart@northwind.example  - User Role: from Member to Admin"
                        .into(),
                },
            )]),
            ..GraphDiff::default()
        };
        assert_eq!(
            attributed("changed", &d, "zoom_user:u1"),
            "changed by olga@… at 14:30"
        );
        assert_eq!(
            attributed("changed", &d, "zoom_user:u2"),
            "changed, unexplained"
        );
        // A diff made without the log says nothing about who made it.
        let plain = GraphDiff::default();
        assert_eq!(attributed("added", &plain, "zoom_user:u2"), "added");
    }
}
