//! The compact "changed in the last sync" set the TUI uses to mark rows.

use std::collections::HashMap;

use super::GraphDiff;

/// How an entity changed in a diff. `Added` wins over `Changed` wins over
/// `Related` when several apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Only its relationships changed (joined or left a group, role, …).
    Related,
    /// One or more properties changed.
    Changed,
    /// New in the newer snapshot.
    Added,
}

/// Entity `_key` → how it changed. Removed entities are not in it: they have
/// no row to mark in the newer graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedSet {
    keys: HashMap<String, ChangeKind>,
}

impl ChangedSet {
    pub fn from_diff(d: &GraphDiff) -> Self {
        let mut keys: HashMap<String, ChangeKind> = HashMap::new();
        let mut mark = |k: &str, kind: ChangeKind| {
            let e = keys.entry(k.to_string()).or_insert(kind);
            if kind > *e {
                *e = kind;
            }
        };
        for e in &d.entities_added {
            mark(&e.key, ChangeKind::Added);
        }
        for c in &d.entities_changed {
            mark(&c.key, ChangeKind::Changed);
        }
        for r in d.relationships_added.iter().chain(&d.relationships_removed) {
            mark(&r.from_key, ChangeKind::Related);
            mark(&r.to_key, ChangeKind::Related);
        }
        // An endpoint of a removed relationship may itself be removed.
        for e in &d.entities_removed {
            keys.remove(&e.key);
        }
        ChangedSet { keys }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    pub fn kind(&self, key: &str) -> Option<ChangeKind> {
        self.keys.get(key).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
