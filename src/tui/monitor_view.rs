//! The app's side of the Changes and Alerts panes: taking in new monitor
//! data, building their root tables, and Enter on a sync or a rule.

use std::sync::Arc;

use super::action::ToastLevel;
use super::alerts_pane;
use super::app::{App, Effect, ProvidedRow, ProvidedTable, ProvidedView, Root, View};
use super::changes_pane;
use super::model::Data;
use super::monitor::{Monitor, SyncChanges};
use super::pane::PaneKind;
use super::source::Request;
use crate::diff::GraphDiff;

impl App {
    /// New monitor data: (re)build the two panes and toast new alerts.
    pub(super) fn set_monitor(&mut self, m: Monitor) {
        let fired: Vec<String> = m
            .newly_fired_since(self.monitor.as_deref())
            .map(|r| {
                // the count the Alerts list shows for the rule
                let n = r.alert_count().unwrap_or_default();
                format!(
                    "alert: {} ({}, {} match{})",
                    r.rule,
                    r.severity.as_str(),
                    n,
                    if n == 1 { "" } else { "es" }
                )
            })
            .collect();
        self.monitor = Some(Arc::new(m));
        if self.data.is_some() {
            for kind in [PaneKind::Changes, PaneKind::Alerts] {
                let table = self.monitor_table(kind);
                match self.roots.iter_mut().find(|r| r.kind == kind) {
                    Some(r) => {
                        if let View::Provided(p) = &mut r.view {
                            p.cursor = p.cursor.min(table.rows.len().saturating_sub(1));
                            p.table = table;
                        }
                        // Drill-downs were built from the old data.
                        r.stack.clear();
                    }
                    None => {
                        let active = self.root().map(|r| r.kind);
                        self.roots.push(Root {
                            kind,
                            view: View::Provided(ProvidedView {
                                table,
                                ..ProvidedView::default()
                            }),
                            stack: Vec::new(),
                        });
                        self.roots.sort_by_key(|r| r.kind);
                        if let Some(k) = active
                            && let Some(i) = self.roots.iter().position(|r| r.kind == k)
                        {
                            self.active = i;
                        }
                    }
                }
            }
        }
        for text in fired {
            self.toast(text, ToastLevel::Warn);
        }
    }

    /// The root table of the Changes or Alerts pane.
    pub(super) fn monitor_table(&self, kind: PaneKind) -> ProvidedTable {
        match (&self.monitor, kind) {
            (Some(m), PaneKind::Changes) => changes_pane::timeline_table(m),
            (Some(m), PaneKind::Alerts) => alerts_pane::rules_table(m),
            _ => ProvidedTable::default(),
        }
    }

    /// A new graph invalidates the entity ids of the panes' drill-downs.
    pub(super) fn reset_monitor_stacks(&mut self) {
        for r in &mut self.roots {
            if matches!(r.kind, PaneKind::Changes | PaneKind::Alerts) {
                r.stack.clear();
            }
        }
    }

    /// Enter on a sync (its changes) or a rule (its matches); false when the
    /// cursor is on neither.
    pub(super) fn open_monitor_row(&mut self, data: &Data) -> bool {
        let Some(m) = self.monitor.clone() else {
            return false;
        };
        let Some(root) = self.root() else {
            return false;
        };
        if !root.stack.is_empty() {
            return false;
        }
        let View::Provided(p) = &root.view else {
            return false;
        };
        let cursor = p.cursor;
        let (table, title) = match root.kind {
            PaneKind::Changes => match m.syncs.get(cursor) {
                Some(s) => match &s.diff {
                    Some(d) => (changes_pane::sync_table(d, &data.graph), sync_title(s)),
                    // Older syncs are diffed when opened, behind the edge.
                    None => {
                        self.push_effect(Effect::Request(Request::SyncDiff(s.snapshot)));
                        (loading_table(), sync_title(s))
                    }
                },
                None => return false,
            },
            PaneKind::Alerts => match m.alerts.get(cursor) {
                Some(r) => (alerts_pane::matches_table(r, &data.graph), r.rule.clone()),
                None => return false,
            },
            _ => return false,
        };
        self.push(View::Provided(ProvidedView {
            table,
            title: Some(title),
            ..ProvidedView::default()
        }));
        true
    }

    /// An older sync's diff arrived: keep it (the timeline shows its counts
    /// from now on) and fill the drill-down that waits for it.
    pub(super) fn set_sync_diff(&mut self, snapshot: i64, result: Result<Box<GraphDiff>, String>) {
        let d = match result {
            Ok(d) => *d,
            Err(e) => {
                self.toast(
                    format!("cannot diff snapshot #{snapshot}: {e}"),
                    ToastLevel::Error,
                );
                return;
            }
        };
        let Some(m) = &mut self.monitor else { return };
        let m = Arc::make_mut(m);
        let Some(s) = m.syncs.iter_mut().find(|s| s.snapshot == snapshot) else {
            return;
        };
        s.diff = Some(d);
        let title = sync_title(s);
        let table = self.monitor_table(PaneKind::Changes);
        let detail = match (&self.monitor, &self.data) {
            (Some(m), Some(data)) => m
                .syncs
                .iter()
                .find(|s| s.snapshot == snapshot)
                .and_then(|s| s.diff.as_ref())
                .map(|d| changes_pane::sync_table(d, &data.graph)),
            _ => None,
        };
        if let Some(r) = self.roots.iter_mut().find(|r| r.kind == PaneKind::Changes) {
            if let View::Provided(p) = &mut r.view {
                p.table = table;
            }
            for v in &mut r.stack {
                if let (View::Provided(p), Some(t)) = (v, &detail)
                    && p.title.as_deref() == Some(title.as_str())
                {
                    p.table = t.clone();
                }
            }
        }
    }

    /// How the last sync changed an entity, for row markers.
    pub fn change_marker(&self, key: &str) -> Option<&'static str> {
        use crate::diff::ChangeKind;
        let kind = self.monitor.as_ref()?.changed.kind(key)?;
        Some(match kind {
            ChangeKind::Added => "+",
            ChangeKind::Changed => "~",
            ChangeKind::Related => "•",
        })
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
