//! The Alerts pane: every enabled rule with severity, state and count; on
//! Enter, the entities it matched (enterable).

use crate::alerts::RuleResult;
use crate::graph::Graph;

use super::app::{ProvidedRow, ProvidedTable};
use super::model;
use super::monitor::{Monitor, state_word};

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
                r.alert_count().map(|n| n.to_string()).unwrap_or_default(),
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

/// The entities a rule matched, each enterable when it is in the graph.
pub fn matches_table(r: &RuleResult, g: &Graph) -> ProvidedTable {
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
