//! The Alerts pane: every enabled rule with severity, state and count,
//! worst severity first then by name (the order [`Monitor`] keeps; the
//! severity is coloured by the theme); on Enter, the entities it matched
//! (enterable).

use std::any::Any;

use crate::alerts::{RuleResult, Severity};
use crate::graph::Graph;
use crate::util::human;

use super::action::{Action, ToastLevel};
use super::component::{Component, Ctx, Notice, Outcome};
use super::model;
use super::monitor::{Monitor, state_word};
use super::pane::PaneKind;
use super::provided::{ProvidedRow, ProvidedTable, ProvidedView};
use super::stack::{View, ViewStack};

/// The Alerts pane.
#[derive(Debug)]
pub struct AlertsPane {
    stack: ViewStack,
}

impl AlertsPane {
    pub fn new(ctx: &Ctx) -> AlertsPane {
        let table = ctx.monitor().map(|m| rules_table(m)).unwrap_or_default();
        AlertsPane {
            stack: ViewStack::new(View::Provided(ProvidedView::new(table))),
        }
    }

    /// Enter on a rule: its matches; `Ignored` when the cursor is on none.
    fn open_rule(&mut self, ctx: &mut Ctx) -> Outcome {
        let View::Provided(p) = self.stack.top() else {
            return Outcome::Ignored;
        };
        let Some(r) = ctx.monitor().and_then(|m| m.alerts.get(p.selected()?)) else {
            return Outcome::Ignored;
        };
        let view = ProvidedView::titled(matches_table(r, &ctx.data().graph), r.rule.clone());
        self.stack.push(View::Provided(view));
        Outcome::Consumed
    }
}

impl Component for AlertsPane {
    fn kind(&self) -> PaneKind {
        PaneKind::Alerts
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        if action == Action::Open
            && self.stack.depth() == 0
            && self.open_rule(ctx) == Outcome::Consumed
        {
            return Outcome::Consumed;
        }
        self.stack.handle_action(action, PaneKind::Alerts, ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        match notice {
            // New rule results; drill-downs were built from the old ones.
            Notice::Monitor => {
                let table = ctx.monitor().map(|m| rules_table(m)).unwrap_or_default();
                if let View::Provided(p) = self.stack.root_mut() {
                    p.set_table(table);
                }
                self.stack.clear_levels();
                Outcome::Ignored
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

/// One toast for the rules that fired since the last evaluation and were
/// not already announced by `shown` (the monitor shown before this one):
/// one rule by name with the count the Alerts list shows for it, several as
/// counts per severity, worst first ("2 critical, 1 high firing"), with the
/// key that opens the Alerts pane (`alerts_key`, empty when unbound). A
/// pile of toasts at start would cover the table; one line says enough.
/// Error level when a critical rule is among them.
pub fn fired_summary(
    m: &Monitor,
    shown: Option<&Monitor>,
    alerts_key: &str,
) -> Option<(String, ToastLevel)> {
    let fired: Vec<&RuleResult> = m.newly_fired_since(shown).collect();
    let text = match fired.as_slice() {
        [] => return None,
        [r] => {
            let n = r.alert_count().unwrap_or_default();
            format!(
                "alert: {} ({}, {} match{})",
                r.rule,
                r.severity.as_str(),
                n,
                if n == 1 { "" } else { "es" }
            )
        }
        many => {
            let counts: Vec<String> = Severity::ALL
                .iter()
                .rev()
                .filter_map(|s| {
                    let n = many.iter().filter(|r| r.severity == *s).count();
                    (n > 0).then(|| format!("{n} {s}"))
                })
                .collect();
            format!("{} firing", counts.join(", "))
        }
    };
    let text = if alerts_key.is_empty() {
        text
    } else {
        format!("{text} — {alerts_key}: Alerts")
    };
    let level = if fired.iter().any(|r| r.severity == Severity::Critical) {
        ToastLevel::Error
    } else {
        ToastLevel::Warn
    };
    Some((text, level))
}

pub fn rules_table(m: &Monitor) -> ProvidedTable {
    let columns = ["Rule", "Severity", "State", "Count", "Description"]
        .map(String::from)
        .to_vec();
    let mut rows: Vec<ProvidedRow> = m
        .alerts
        .iter()
        .map(|r| ProvidedRow {
            entity: None,
            cells: vec![
                r.rule.clone(),
                r.severity.as_str().into(),
                state_word(r).into(),
                // blank when quiet: the count of a rule that did not fire
                // would read as matches
                r.alert_count().map(human::thousands).unwrap_or_default(),
                r.description.clone(),
            ],
        })
        .collect();
    if let Some(e) = &m.alerts_error {
        rows.push(ProvidedRow {
            entity: None,
            cells: vec![
                "(rules not evaluated)".into(),
                String::new(),
                "error".into(),
                String::new(),
                e.clone(),
            ],
        });
    }
    ProvidedTable { columns, rows }
}

/// The entities a rule matched, each enterable when it is in the graph; for
/// an event rule, the events it matched (each enterable on its subject).
pub fn matches_table(r: &RuleResult, g: &Graph) -> ProvidedTable {
    if !r.events.is_empty() {
        return events_table(r, g);
    }
    let columns = ["Entity", "Type", "Key", "New"].map(String::from).to_vec();
    let mut rows: Vec<ProvidedRow> = r
        .matches
        .iter()
        .map(|k| {
            let id = g.id_of(k);
            ProvidedRow {
                entity: id,
                cells: vec![
                    id.map(|id| model::label(g, id))
                        .unwrap_or_else(|| k.clone()),
                    id.map(|id| g.entity(id).etype.class().to_string())
                        .unwrap_or_default(),
                    k.clone(),
                    // new since the rule's previous evaluation
                    if r.new_matches.binary_search(k).is_ok() {
                        "new".into()
                    } else {
                        String::new()
                    },
                ],
            }
        })
        .collect();
    if rows.is_empty() {
        let why = match &r.status {
            crate::alerts::RuleStatus::Skipped { reason } => format!("skipped: {reason}"),
            crate::alerts::RuleStatus::Error { message } => format!("error: {message}"),
            _ => "(no matching entities)".into(),
        };
        rows.push(ProvidedRow {
            entity: None,
            cells: vec![why, String::new(), String::new(), String::new()],
        });
    }
    ProvidedTable { columns, rows }
}

/// An event rule's matches: time, operator, what happened, evidence.
fn events_table(r: &RuleResult, g: &Graph) -> ProvidedTable {
    let columns = ["Time", "Operator", "Event", "Evidence"]
        .map(String::from)
        .to_vec();
    let rows = r
        .events
        .iter()
        .map(|e| ProvidedRow {
            entity: e.entity.as_deref().and_then(|k| g.id_of(k)),
            cells: vec![
                e.time.format("%Y-%m-%d %H:%M").to_string(),
                model::clean(&e.operator).into_owned(),
                model::clean(&e.summary).into_owned(),
                e.evidence
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ],
        })
        .collect();
    ProvidedTable { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::{RuleStatus, Trigger};

    fn fired(rule: &str, severity: Severity, count: u64) -> RuleResult {
        RuleResult {
            rule: rule.into(),
            description: String::new(),
            severity,
            trigger: Trigger::Any,
            status: RuleStatus::Fired,
            count,
            matches: Vec::new(),
            new_matches: Vec::new(),
            newly_fired: true,
            events: Vec::new(),
        }
    }

    #[test]
    fn rules_are_listed_worst_first_then_by_name() {
        let m = Monitor::new(
            Vec::new(),
            vec![
                fired("b-low", Severity::Low, 1),
                fired("z-crit", Severity::Critical, 1),
                fired("a-info", Severity::Info, 1),
                fired("a-crit", Severity::Critical, 1),
                fired("m-high", Severity::High, 1234),
            ],
        );
        let t = rules_table(&m);
        let order: Vec<(&str, &str)> = t
            .rows
            .iter()
            .map(|r| (r.cells[0].as_str(), r.cells[1].as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("a-crit", "critical"),
                ("z-crit", "critical"),
                ("m-high", "high"),
                ("b-low", "low"),
                ("a-info", "info"),
            ]
        );
        assert_eq!(t.rows[2].cells[3], "1,234");
    }

    #[test]
    fn one_summary_toast_worst_first() {
        let m = Monitor::new(
            Vec::new(),
            vec![
                fired("x", Severity::High, 1),
                fired("y", Severity::Critical, 1),
                fired("z", Severity::Critical, 3),
            ],
        );
        assert_eq!(
            fired_summary(&m, None, "a"),
            Some((
                "2 critical, 1 high firing — a: Alerts".to_string(),
                ToastLevel::Error
            ))
        );
        // already announced: nothing new to say
        assert_eq!(fired_summary(&m, Some(&m), "a"), None);
        let one = Monitor::new(Vec::new(), vec![fired("x", Severity::High, 2)]);
        assert_eq!(
            fired_summary(&one, None, ""),
            Some(("alert: x (high, 2 matches)".to_string(), ToastLevel::Warn))
        );
    }

    #[test]
    fn an_event_rules_matches_are_its_events_sanitised() {
        use crate::activity::{Source, Subject};
        use crate::alerts::events::{EventMatch, Evidence};
        use chrono::TimeZone;
        let mut r = fired("user-granted-admin", Severity::Medium, 1);
        r.events = vec![EventMatch {
            source: Source::Operation,
            time: chrono::Utc.with_ymd_and_hms(2026, 12, 7, 14, 30, 2).unwrap(),
            operator: "olga@x.io\u{1b}[31m".into(),
            category: "User".into(),
            action: "Update".into(),
            detail: "Update User bart@x.io  - User Role: from Member to Admin".into(),
            subject: Some(Subject::User("bart@x.io".into())),
            entity: None,
            ip_address: None,
            evidence: Some(Evidence::Confirmed),
            summary: "bart@x.io given role Admin (was Member) by olga@x.io\u{202e} at 2026-12-07T14:30:02Z".into(),
        }];
        let t = matches_table(&r, &Graph::new());
        assert_eq!(t.columns, ["Time", "Operator", "Event", "Evidence"]);
        assert_eq!(t.rows.len(), 1);
        let c = &t.rows[0].cells;
        assert_eq!(c[0], "2026-12-07 14:30");
        assert!(
            !c[1].contains('\u{1b}') && c[1].starts_with("olga@x.io"),
            "{c:?}"
        );
        assert!(
            !c[2].contains('\u{202e}') && c[2].contains("bart@x.io"),
            "{c:?}"
        );
        assert_eq!(c[3], "confirmed by snapshot");
    }
}
