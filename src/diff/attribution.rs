//! Who made a diff's changes: each added, removed and changed entity joined
//! to the operation-log entries about the same object (a user by e-mail, a
//! group or role by name, the account for settings) logged between the two
//! snapshots. A change no entry explains is *unexplained*, which is worth
//! knowing in itself (a change made outside the admin console, or a log
//! that could not be read).

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::GraphDiff;
use crate::activity::{Event, Source};
use crate::graph::Graph;

/// One log entry that explains a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct By {
    pub time: DateTime<Utc>,
    pub operator: String,
    pub action: String,
    pub detail: String,
}

impl By {
    pub fn to_json(&self) -> Value {
        json!({
            "time": self.time.to_rfc3339_opts(SecondsFormat::Secs, true),
            "operator": self.operator,
            "action": self.action,
            "detail": self.detail,
        })
    }
}

/// Entity `_key` → the entries that explain its change, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    by_key: HashMap<String, Vec<By>>,
    /// Whether the operation log was joined at all: only then is a change
    /// without entries *unexplained* (a diff made without the log says
    /// nothing about who made it).
    joined: bool,
}

impl Attribution {
    /// Joins `events` (operation-log entries between the snapshots; others
    /// are ignored) to the entities of `diff`. Subjects are resolved in the
    /// newer graph, then the older one (a removed user is only there).
    pub fn of(diff: &GraphDiff, old: &Graph, new: &Graph, events: &[Event]) -> Self {
        let changed: std::collections::HashSet<&str> = diff
            .entities_added
            .iter()
            .map(|e| e.key.as_str())
            .chain(diff.entities_removed.iter().map(|e| e.key.as_str()))
            .chain(diff.entities_changed.iter().map(|c| c.key.as_str()))
            .collect();
        let mut by_key: HashMap<String, Vec<By>> = HashMap::new();
        for e in events.iter().filter(|e| e.source == Source::Operation) {
            let Some(subject) = e.subject() else { continue };
            let key = crate::activity::subject_key(new, &subject)
                .or_else(|| crate::activity::subject_key(old, &subject));
            let Some(key) = key.filter(|k| changed.contains(k.as_str())) else {
                continue;
            };
            by_key.entry(key).or_default().push(By {
                time: e.time,
                operator: e.actor.clone(),
                action: e.action.clone(),
                detail: e.text.clone(),
            });
        }
        for list in by_key.values_mut() {
            list.sort_by_key(|b| b.time);
        }
        Attribution {
            by_key,
            joined: true,
        }
    }

    /// An attribution from known entries (for tests of what shows it).
    #[cfg(test)]
    pub(crate) fn from_entries(entries: Vec<(String, By)>) -> Self {
        let mut by_key: HashMap<String, Vec<By>> = HashMap::new();
        for (k, b) in entries {
            by_key.entry(k).or_default().push(b);
        }
        Attribution {
            by_key,
            joined: true,
        }
    }

    /// Whether the operation log was joined (see [`Attribution::by`]).
    pub fn joined(&self) -> bool {
        self.joined
    }

    /// The entries that explain the change of `key` (empty: unexplained,
    /// when [`Attribution::joined`]).
    pub fn by(&self, key: &str) -> &[By] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Adds `"by"` and `"explained"` to every entity of a diff's JSON
    /// (`GraphDiff::to_json`).
    pub fn annotate(&self, diff_json: &mut Value) {
        let Some(entities) = diff_json.get_mut("entities") else {
            return;
        };
        for list in ["added", "removed", "changed"] {
            let Some(Value::Array(items)) = entities.get_mut(list) else {
                continue;
            };
            for item in items {
                let key = item
                    .get("_key")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let by = self.by(&key);
                if let Value::Object(m) = item {
                    m.insert(
                        "by".into(),
                        Value::Array(by.iter().map(By::to_json).collect()),
                    );
                    m.insert("explained".into(), Value::Bool(!by.is_empty()));
                }
            }
        }
    }
}
