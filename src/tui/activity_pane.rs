//! The Activity pane: the stored operation log and sign-in activity, newest
//! first (time, operator, action, category, the entity the event is about,
//! the detail; a sign-in's address and client), filtered with the grammar
//! of every list (`/olga`, `operator:olga*`, `action:update`). Enter opens
//! the entity the event is about; the operator key (`b`) opens who did it,
//! their Zoom user, whose detail links their employee record when the
//! roster maps them.
//!
//! The events are read from the store and resolved to entity keys behind
//! the I/O edge (`source::DataSource::activity`, on the blocking pool), once
//! for every snapshot shown; the pane only turns them into rows.

use std::any::Any;
use std::sync::Arc;

use crate::activity::{Event as LogEvent, Source, Subject};
use crate::graph::{EntityId, Graph};
use crate::store::{Store, StoreError};

use super::action::{Action, ToastLevel};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::component::{Component, Ctx, DrawCtx, Notice, Outcome};
use super::detail;
use super::model;
use super::pane::PaneKind;
use super::provided::{ProvidedRow, ProvidedTable, ProvidedView};
use super::stack::{View, ViewStack};

/// One stored event, what it is about (its detail parsed once, off the UI
/// thread) and the `_key` of that entity, resolved in the graph on screen
/// when it was read (`None`: not in that graph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityItem {
    pub event: LogEvent,
    pub subject: Option<Subject>,
    pub key: Option<String>,
}

impl ActivityItem {
    /// `event`, its subject parsed and resolved in `graph`.
    pub fn new(event: LogEvent, graph: &Graph) -> ActivityItem {
        let subject = event.subject();
        let key = subject
            .as_ref()
            .and_then(|s| crate::activity::subject_key(graph, s));
        ActivityItem {
            event,
            subject,
            key,
        }
    }
}

/// The events the pane lists, newest first, shared with the I/O edge.
pub type ActivityLog = Arc<Vec<ActivityItem>>;

/// Every stored event of `profile`, newest first, each resolved against
/// `graph`. Blocking: the data source runs it on the blocking pool.
pub fn load(store: &Store, profile: &str, graph: &Graph) -> Result<Vec<ActivityItem>, StoreError> {
    Ok(store
        .activity(profile, None, None)?
        .into_iter()
        .map(|event| ActivityItem::new(event, graph))
        .collect())
}

const COLUMNS: [&str; 6] = [
    "Time (UTC)",
    "Operator",
    "Action",
    "Category",
    "Subject",
    "Detail",
];

/// The rows: one an event, enterable when its entity is in `g`.
pub fn table(log: &[ActivityItem], g: &Graph) -> ProvidedTable {
    let columns = COLUMNS.map(String::from).to_vec();
    let clean = |s: &str| model::clean(s).into_owned();
    let mut rows: Vec<ProvidedRow> = log
        .iter()
        .map(|item| {
            let e = &item.event;
            let entity = item.key.as_deref().and_then(|k| g.id_of(k));
            let subject = match (entity, &item.subject) {
                (Some(id), _) => model::label(g, id),
                (None, Some(Subject::User(s) | Subject::Group(s) | Subject::Role(s))) => s.clone(),
                (None, Some(Subject::Setting(s))) => format!("{s} settings"),
                (None, None) => String::new(),
            };
            let what = match e.source {
                Source::Operation => e.text.clone(),
                Source::SignIn => sign_in_text(e),
            };
            ProvidedRow {
                entity,
                cells: vec![
                    e.time.format("%Y-%m-%d %H:%M:%S").to_string(),
                    clean(&e.actor),
                    clean(&e.action),
                    clean(&e.category),
                    clean(&subject),
                    clean(&what),
                ],
            }
        })
        .collect();
    if rows.is_empty() {
        let mut cells = vec![String::new(); COLUMNS.len()];
        cells[5] = "no activity stored: a sync fetches the operation log and sign-ins \
                    (Pro plan or higher, scope report:read:admin)"
            .into();
        rows.push(ProvidedRow {
            entity: None,
            cells,
        });
    }
    ProvidedTable { columns, rows }
}

/// Where and with what a user signed in: `from 203.0.113.9 · Mac 6.2.10`.
fn sign_in_text(e: &LogEvent) -> String {
    let mut out = String::new();
    if let Some(ip) = e.ip_address.as_deref() {
        out.push_str("from ");
        out.push_str(ip);
    }
    let client = [e.client_type.as_deref(), e.version.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty() && *s != "-")
        .collect::<Vec<_>>()
        .join(" ");
    if !client.is_empty() {
        if !out.is_empty() {
            out.push_str(" · ");
        }
        out.push_str(&client);
    }
    out
}

/// The Activity pane.
#[derive(Debug)]
pub struct ActivityPane {
    stack: ViewStack,
    log: ActivityLog,
}

impl ActivityPane {
    pub fn new(log: ActivityLog, ctx: &Ctx) -> ActivityPane {
        let view = ProvidedView::new(table(&log, &ctx.data().graph));
        ActivityPane {
            stack: ViewStack::new(View::Provided(view)),
            log,
        }
    }

    /// The event under the cursor of the list (at the pane's root).
    fn selected(&self) -> Option<&ActivityItem> {
        if self.stack.depth() > 0 {
            return None;
        }
        let View::Provided(p) = self.stack.top() else {
            return None;
        };
        self.log.get(p.selected()?)
    }

    /// New rows for the data on screen, keeping the filter and the cursor.
    fn rebuild(&mut self, ctx: &Ctx) {
        let t = table(&self.log, &ctx.data().graph);
        if let View::Provided(p) = self.stack.root_mut() {
            p.set_table(t);
        }
    }

    /// The operator key: who did it, as their Zoom user.
    fn open_operator(&mut self, ctx: &mut Ctx) {
        let Some(actor) = self.selected().map(|i| i.event.actor.clone()) else {
            return;
        };
        open_operator(&mut self.stack, &actor, ctx);
    }
}

/// Opens the Zoom user `operator` names in `stack` (the user's detail links
/// their employee record), or says why not.
pub fn open_operator(stack: &mut ViewStack, operator: &str, ctx: &mut Ctx) {
    let g = &ctx.data().graph;
    match detail::operator_user(g, operator) {
        Some(id) => stack.open_entity(id, ctx),
        None => ctx.toast(
            format!(
                "{} is not a Zoom user in this snapshot",
                model::clean(operator)
            ),
            ToastLevel::Info,
        ),
    }
}

impl Component for ActivityPane {
    fn kind(&self) -> PaneKind {
        PaneKind::Activity
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        if self.stack.depth() == 0 {
            match action {
                Action::Operator => {
                    self.open_operator(ctx);
                    return Outcome::Consumed;
                }
                Action::Open => {
                    let entity: Option<EntityId> = match self.stack.top() {
                        View::Provided(p) => p.selected_entity(),
                        _ => None,
                    };
                    if entity.is_none() && self.selected().is_some() {
                        ctx.toast(
                            "this event names nothing in the snapshot on screen (b: who did it)",
                            ToastLevel::Info,
                        );
                        return Outcome::Consumed;
                    }
                }
                _ => {}
            }
        }
        self.stack.handle_action(action, PaneKind::Activity, ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        match notice {
            Notice::Activity(log) => {
                self.log = log.clone();
                self.rebuild(ctx);
                Outcome::Consumed
            }
            // The rows' entity ids are the old graph's; the views above
            // rebind by key.
            Notice::Graph { .. } => {
                self.rebuild(ctx);
                self.stack.notify(&notice, ctx)
            }
            other => self.stack.notify(&other, ctx),
        }
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    fn draw(&self, f: &mut Frame, area: Rect, dc: &DrawCtx) {
        match self.stack.top() {
            View::Provided(p) if self.stack.depth() == 0 => {
                super::ui::activity::draw(p, f, area, dc)
            }
            v => super::ui::draw_view(v, PaneKind::Activity, f, area, dc),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(source: Source, actor: &str, action: &str, text: &str) -> LogEvent {
        LogEvent {
            source,
            time: chrono::Utc
                .with_ymd_and_hms(2026, 12, 7, 14, 30, 0)
                .unwrap(),
            actor: actor.into(),
            category: "User".into(),
            action: action.into(),
            text: text.into(),
            ip_address: Some("203.0.113.9".into()),
            client_type: Some("Mac".into()),
            version: Some("6.2.10".into()),
        }
    }

    #[test]
    fn hostile_strings_are_cleaned_and_sign_ins_say_where_from() {
        let g = Graph::new();
        let log = vec![
            ActivityItem::new(
                event(
                    Source::Operation,
                    "olga\u{1b}[2J@example.com",
                    "Update",
                    "Update User bart@example.com\u{202e}  - User Role: from Member to Admin",
                ),
                &g,
            ),
            ActivityItem::new(event(Source::SignIn, "bart@example.com", "Sign in", ""), &g),
        ];
        let t = table(&log, &g);
        let all: String = t
            .rows
            .iter()
            .flat_map(|r| r.cells.concat().chars().collect::<Vec<_>>())
            .collect();
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{202e}'),
            "{all:?}"
        );
        assert_eq!(
            t.rows[0].cells[4], "bart@example.com",
            "the subject, unresolved"
        );
        assert_eq!(t.rows[1].cells[5], "from 203.0.113.9 · Mac 6.2.10");
        assert_eq!(t.rows[1].cells[4], "bart@example.com", "who signed in");
    }

    #[test]
    fn an_empty_log_says_what_fills_it() {
        let t = table(&[], &Graph::new());
        assert_eq!(t.rows.len(), 1);
        assert!(t.rows[0].cells[5].contains("a sync fetches"));
    }
}
