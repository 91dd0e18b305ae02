//! What changed between two snapshots of one profile: entities and
//! relationships added, removed and changed, with every changed property as
//! old → new.
//!
//! Why it looks like this:
//! - Entities are matched by `_key` through the graphs' own key indexes and
//!   relationships by (type, from `_key`, to `_key`) through an id
//!   translation table, so a diff is linear in the size of the two graphs
//!   (two 100,000-user snapshots diff well within a second; see
//!   `benches/diff.rs`).
//! - A [`GraphDiff`] owns its data (it clones only what changed), so the TUI
//!   can keep a timeline of diffs without keeping every snapshot's graph.

pub mod attribution;
mod changed;
pub(crate) mod history;
mod render;
pub mod select;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::graph::{Entity, EntityId, EntityType, Graph, RelType, relationship_key};

pub use attribution::{Attribution, By};
pub use changed::{ChangeKind, ChangedSet};
pub use history::{TimelineEntry, attribution, diff_snapshots, last_sync, timeline};
pub use render::render_text;

/// One property that differs: `None` means the property is absent on that side.
#[derive(Debug, Clone, PartialEq)]
pub struct PropChange {
    pub name: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// An entity present in both graphs whose properties differ.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityChange {
    pub key: String,
    pub etype: EntityType,
    /// The entity's label in the newer graph (display name, name, email or key).
    pub label: String,
    /// Sorted by property name.
    pub changes: Vec<PropChange>,
}

impl EntityChange {
    /// The change of one property, if it changed.
    pub fn change(&self, name: &str) -> Option<&PropChange> {
        self.changes.iter().find(|c| c.name == name)
    }
}

/// A relationship added or removed, named by its endpoints' keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelRef {
    pub rtype: RelType,
    pub from_key: String,
    pub to_key: String,
}

impl RelRef {
    /// `<from>|<verb>|<to>`, as JupiterOne forms relationship keys.
    pub fn key(&self) -> String {
        relationship_key(&self.from_key, self.rtype.class(), &self.to_key)
    }

    /// JupiterOne-shaped JSON: `_key`, `_type`, `_class`, `_fromEntityKey`, `_toEntityKey`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("_key".into(), Value::String(self.key()));
        m.insert("_type".into(), Value::String(self.rtype.as_str().into()));
        m.insert(
            "_class".into(),
            Value::String(self.rtype.class().as_str().into()),
        );
        m.insert(
            "_fromEntityKey".into(),
            Value::String(self.from_key.clone()),
        );
        m.insert("_toEntityKey".into(), Value::String(self.to_key.clone()));
        Value::Object(m)
    }
}

/// Counts of a diff, for timelines and one-line summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffSummary {
    pub entities_added: usize,
    pub entities_removed: usize,
    pub entities_changed: usize,
    pub relationships_added: usize,
    pub relationships_removed: usize,
}

impl DiffSummary {
    pub fn total(&self) -> usize {
        self.entities_added
            + self.entities_removed
            + self.entities_changed
            + self.relationships_added
            + self.relationships_removed
    }
}

/// The difference between an older graph (`from`) and a newer one (`to`).
/// Every list is sorted by key, so output is stable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphDiff {
    /// Entities only in the newer graph (as they are there).
    pub entities_added: Vec<Entity>,
    /// Entities only in the older graph (as they were).
    pub entities_removed: Vec<Entity>,
    pub entities_changed: Vec<EntityChange>,
    pub relationships_added: Vec<RelRef>,
    pub relationships_removed: Vec<RelRef>,
    /// Who made the entities' changes, when the operation log was joined
    /// ([`history::TimelineEntry::diff`]); empty otherwise.
    pub attribution: Attribution,
}

impl GraphDiff {
    pub fn is_empty(&self) -> bool {
        self.summary().total() == 0
    }

    pub fn summary(&self) -> DiffSummary {
        DiffSummary {
            entities_added: self.entities_added.len(),
            entities_removed: self.entities_removed.len(),
            entities_changed: self.entities_changed.len(),
            relationships_added: self.relationships_added.len(),
            relationships_removed: self.relationships_removed.len(),
        }
    }

    /// The change record of one entity, if it changed.
    pub fn changed(&self, key: &str) -> Option<&EntityChange> {
        self.entities_changed
            .binary_search_by(|c| c.key.as_str().cmp(key))
            .ok()
            .and_then(|i| self.entities_changed.get(i))
    }

    /// The keys of entities that were added or changed, or that gained or
    /// lost a relationship: what the TUI marks as "changed in the last sync".
    pub fn changed_set(&self) -> ChangedSet {
        ChangedSet::from_diff(self)
    }

    /// The `--json` shape:
    /// `{"from": A, "to": B, "entities": {"added", "removed", "changed"},
    /// "relationships": {"added", "removed"}}`. Added and removed entities are
    /// the full entity objects; a changed property absent on one side is `null`.
    pub fn to_json(&self, from_id: impl Into<Value>, to_id: impl Into<Value>) -> Value {
        let changed: Vec<Value> = self
            .entities_changed
            .iter()
            .map(|c| {
                let changes: Map<String, Value> = c
                    .changes
                    .iter()
                    .map(|p| {
                        let mut m = Map::new();
                        m.insert("old".into(), p.old.clone().unwrap_or(Value::Null));
                        m.insert("new".into(), p.new.clone().unwrap_or(Value::Null));
                        (p.name.clone(), Value::Object(m))
                    })
                    .collect();
                let mut m = Map::new();
                m.insert("_key".into(), Value::String(c.key.clone()));
                m.insert("_type".into(), Value::String(c.etype.as_str().into()));
                m.insert("changes".into(), Value::Object(changes));
                Value::Object(m)
            })
            .collect();
        serde_json::json!({
            "from": from_id.into(),
            "to": to_id.into(),
            "entities": {
                "added": self.entities_added.iter().map(Entity::to_json).collect::<Vec<_>>(),
                "removed": self.entities_removed.iter().map(Entity::to_json).collect::<Vec<_>>(),
                "changed": changed,
            },
            "relationships": {
                "added": self.relationships_added.iter().map(RelRef::to_json).collect::<Vec<_>>(),
                "removed": self.relationships_removed.iter().map(RelRef::to_json).collect::<Vec<_>>(),
            },
        })
    }
}

/// Diffs `old` → `new`. Linear in the sizes of both graphs.
pub fn diff(old: &Graph, new: &Graph) -> GraphDiff {
    let mut out = GraphDiff::default();

    // new id → old id, to compare relationships by endpoint identity.
    let mut new_to_old: Vec<Option<EntityId>> = Vec::with_capacity(new.entity_count());
    for (_, e) in new.entities() {
        match old.id_of(&e.key) {
            None => {
                new_to_old.push(None);
                out.entities_added.push(e.clone());
            }
            Some(oid) => {
                new_to_old.push(Some(oid));
                let o = old.entity(oid);
                if o.etype != e.etype || o.props != e.props {
                    out.entities_changed.push(EntityChange {
                        key: e.key.clone(),
                        etype: e.etype,
                        label: e.label().to_string(),
                        changes: prop_changes(o, e),
                    });
                }
            }
        }
    }
    for (_, o) in old.entities() {
        if new.id_of(&o.key).is_none() {
            out.entities_removed.push(o.clone());
        }
    }

    // Relationships as (type, old from id, old to id): one hash set of the
    // old graph's edges, looked up with each new edge translated to old ids.
    let old_edges: HashSet<(RelType, u32, u32)> = old
        .relationships()
        .map(|(_, r)| (r.rtype, r.from.0, r.to.0))
        .collect();
    let mut kept = 0usize;
    for (_, r) in new.relationships() {
        let translated = match (
            new_to_old.get(r.from.0 as usize).copied().flatten(),
            new_to_old.get(r.to.0 as usize).copied().flatten(),
        ) {
            (Some(f), Some(t)) => Some((r.rtype, f.0, t.0)),
            _ => None,
        };
        match translated {
            Some(edge) if old_edges.contains(&edge) => kept += 1,
            _ => out.relationships_added.push(RelRef {
                rtype: r.rtype,
                from_key: new.entity(r.from).key.clone(),
                to_key: new.entity(r.to).key.clone(),
            }),
        }
    }
    // Every old edge not kept was removed. Only walk them when some were.
    if kept < old.relationship_count() {
        let new_edges: HashSet<(RelType, u32, u32)> = new
            .relationships()
            .filter_map(|(_, r)| {
                let f = new_to_old.get(r.from.0 as usize).copied().flatten()?;
                let t = new_to_old.get(r.to.0 as usize).copied().flatten()?;
                Some((r.rtype, f.0, t.0))
            })
            .collect();
        for (_, r) in old.relationships() {
            if !new_edges.contains(&(r.rtype, r.from.0, r.to.0)) {
                out.relationships_removed.push(RelRef {
                    rtype: r.rtype,
                    from_key: old.entity(r.from).key.clone(),
                    to_key: old.entity(r.to).key.clone(),
                });
            }
        }
    }

    out.entities_added.sort_by(|a, b| a.key.cmp(&b.key));
    out.entities_removed.sort_by(|a, b| a.key.cmp(&b.key));
    out.entities_changed.sort_by(|a, b| a.key.cmp(&b.key));
    out.relationships_added.sort_by_cached_key(RelRef::key);
    out.relationships_removed.sort_by_cached_key(RelRef::key);
    out
}

/// Merge walk over two sorted property lists.
fn prop_changes(old: &Entity, new: &Entity) -> Vec<PropChange> {
    let mut changes = Vec::new();
    if old.etype != new.etype {
        changes.push(PropChange {
            name: "_type".into(),
            old: Some(Value::String(old.etype.as_str().into())),
            new: Some(Value::String(new.etype.as_str().into())),
        });
    }
    let mut a = old.props.iter().peekable();
    let mut b = new.props.iter().peekable();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((ka, va)), Some((kb, vb))) if ka == kb => {
                if va != vb {
                    changes.push(PropChange {
                        name: ka.to_string(),
                        old: Some(va.to_json()),
                        new: Some(vb.to_json()),
                    });
                }
                a.next();
                b.next();
            }
            (Some((ka, va)), Some((kb, _))) if ka < kb => {
                changes.push(PropChange {
                    name: ka.to_string(),
                    old: Some(va.to_json()),
                    new: None,
                });
                a.next();
            }
            (Some((ka, va)), None) => {
                changes.push(PropChange {
                    name: ka.to_string(),
                    old: Some(va.to_json()),
                    new: None,
                });
                a.next();
            }
            (_, Some((kb, vb))) => {
                changes.push(PropChange {
                    name: kb.to_string(),
                    old: None,
                    new: Some(vb.to_json()),
                });
                b.next();
            }
        }
    }
    changes.sort_by(|x, y| x.name.cmp(&y.name));
    changes
}
