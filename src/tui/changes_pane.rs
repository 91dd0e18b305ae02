//! The Changes pane: the timeline of syncs (newest first) and, on Enter,
//! what one sync changed. Entity rows are enterable like any other.

use serde_json::Value;

use crate::diff::GraphDiff;
use crate::graph::Graph;

use super::app::{ProvidedRow, ProvidedTable};
use super::model;
use super::monitor::Monitor;

/// One row per sync: snapshot, time, counts.
pub fn timeline_table(m: &Monitor) -> ProvidedTable {
    let columns = [
        "Snapshot",
        "Finished (UTC)",
        "Added",
        "Removed",
        "Changed",
        "Relationships ±",
    ]
    .map(String::from)
    .to_vec();
    let rows = m
        .syncs
        .iter()
        .map(|s| {
            let counts = match (&s.diff, s.first) {
                (_, true) => [
                    "first snapshot".to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
                (Some(d), false) => {
                    let n = d.summary();
                    [
                        n.entities_added.to_string(),
                        n.entities_removed.to_string(),
                        n.entities_changed.to_string(),
                        format!("+{} −{}", n.relationships_added, n.relationships_removed),
                    ]
                }
                (None, false) => ["…".into(), "…".into(), "…".into(), "…".into()],
            };
            let mut cells = vec![format!("#{}", s.snapshot), s.finished_at.clone()];
            cells.extend(counts);
            ProvidedRow {
                entity: None,
                cells,
            }
        })
        .collect();
    ProvidedTable { columns, rows }
}

fn value(v: &Option<Value>) -> String {
    match v {
        None => "∅".into(),
        Some(v) => model::value_text(v),
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
                "added".into(),
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
                "removed".into(),
                e.etype.class().into(),
                e.label().to_string(),
                String::new(),
                String::new(),
            ],
        });
    }
    for c in &d.entities_changed {
        for p in &c.changes {
            rows.push(ProvidedRow {
                entity: g.id_of(&c.key),
                cells: vec![
                    "changed".into(),
                    c.etype.class().into(),
                    c.label.clone(),
                    p.name.clone(),
                    format!("{} → {}", value(&p.old), value(&p.new)),
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
