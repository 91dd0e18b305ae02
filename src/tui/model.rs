//! Read-only helpers over the graph that every pane needs (a user's role,
//! groups, type label…). Kept here so drawing code never walks edges itself.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::graph::{EntityId, EntityType, Graph, PropValue, RelType};
use crate::sync::StepRecord;
use crate::util::sanitize::for_terminal;

/// What the TUI shows: one graph plus what is known about the sync that made it.
#[derive(Debug, Clone)]
pub struct Data {
    pub graph: Arc<Graph>,
    pub meta: SnapshotMeta,
    /// Bumped for every new graph, so caches keyed on it are never stale.
    pub generation: u64,
}

/// What the TUI needs to know about a snapshot besides its graph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SnapshotMeta {
    pub steps: Vec<StepRecord>,
    /// When the snapshot's sync finished, as shown in the status line.
    pub finished_at: Option<String>,
}

/// What the store says about the latest snapshot before its graph is
/// loaded: a few hundred bytes read in a millisecond, so the account's size
/// is on screen at once while the whole graph (a second at 100,000 users)
/// loads behind it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SnapshotSummary {
    /// Entities and relationships per `_type`, as stored with the snapshot.
    pub counts: std::collections::BTreeMap<String, usize>,
    /// When the snapshot's sync finished, as shown in the status line.
    pub finished_at: Option<String>,
}

impl SnapshotSummary {
    /// `100,000 users · 120 groups · 6 roles`: the counts the loading screen shows.
    pub fn counts_text(&self) -> String {
        let n = |t: EntityType| self.counts.get(t.as_str()).copied().unwrap_or(0);
        format!(
            "{} users · {} groups · {} roles",
            thousands(n(EntityType::User)),
            thousands(n(EntityType::Group)),
            thousands(n(EntityType::Role))
        )
    }
}

/// Sanitised text for the terminal (every Zoom string goes through here).
pub fn clean(s: &str) -> Cow<'_, str> {
    for_terminal(s)
}

/// A JSON value as display text (strings unquoted, arrays joined).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => clean(s).into_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => clean(&v.to_string()).into_owned(),
    }
}

/// A string property, sanitised; empty when absent.
pub fn prop_text(g: &Graph, id: EntityId, name: &str) -> String {
    g.entity(id)
        .props
        .get(name)
        .map(prop_value_text)
        .unwrap_or_default()
}

/// A property value as [`value_text`] reads its JSON, sanitised.
pub fn prop_value_text(v: &PropValue) -> String {
    match v {
        PropValue::Null => String::new(),
        PropValue::Bool(b) => b.to_string(),
        PropValue::List(a) => a.iter().map(prop_value_text).collect::<Vec<_>>().join(", "),
        PropValue::Short(_) | PropValue::Long(_) => {
            clean(v.as_str().unwrap_or_default()).into_owned()
        }
        other => value_text(&other.to_json()),
    }
}

/// A user's display name: `displayName`, else first + last, else `name`.
pub fn user_name(g: &Graph, id: EntityId) -> String {
    let p = &g.entity(id).props;
    if let Some(s) = p.str("displayName").filter(|s| !s.trim().is_empty()) {
        return clean(s).into_owned();
    }
    let first = p.str("firstName").unwrap_or("");
    let last = p.str("lastName").unwrap_or("");
    let full = format!("{first} {last}");
    if !full.trim().is_empty() {
        return clean(full.trim()).into_owned();
    }
    p.str("name")
        .map(|s| clean(s).into_owned())
        .unwrap_or_default()
}

/// Any entity's label, sanitised.
pub fn label(g: &Graph, id: EntityId) -> String {
    let e = g.entity(id);
    if e.etype == EntityType::User {
        let n = user_name(g, id);
        if !n.is_empty() {
            return n;
        }
    }
    clean(e.label()).into_owned()
}

/// Zoom's user type code as a word (`licensed`, `basic`, …).
pub fn type_label(v: Option<&Value>) -> Cow<'static, str> {
    match v {
        Some(Value::Number(n)) => match n.as_i64() {
            Some(1) => "basic".into(),
            Some(2) => "licensed".into(),
            Some(3) => "on-prem".into(),
            Some(4) => "unassigned".into(),
            Some(99) => "none".into(),
            Some(c) => c.to_string().into(),
            None => n.to_string().into(),
        },
        Some(Value::String(s)) => clean(&s.to_lowercase()).into_owned().into(),
        _ => "".into(),
    }
}

pub fn user_type(g: &Graph, id: EntityId) -> Cow<'static, str> {
    type_label(g.entity(id).props.json("type").as_ref())
}

/// The role entity a user is assigned, when the graph has it.
pub fn role_of(g: &Graph, user: EntityId) -> Option<EntityId> {
    g.targets(user, RelType::UserAssignedRole).next()
}

/// A user's role name: the role entity's name, else the `roleName` property.
pub fn role_name(g: &Graph, user: EntityId) -> String {
    match role_of(g, user) {
        Some(r) => label(g, r),
        None => prop_text(g, user, "roleName"),
    }
}

/// Groups a user belongs to.
pub fn groups_of(g: &Graph, user: EntityId) -> Vec<EntityId> {
    g.sources(user, RelType::GroupHasUser).collect()
}

pub fn group_names(g: &Graph, user: EntityId) -> String {
    let mut names: Vec<String> = groups_of(g, user)
        .into_iter()
        .map(|x| label(g, x))
        .collect();
    names.sort();
    names.join(", ")
}

/// Members of a group.
pub fn group_members(g: &Graph, group: EntityId) -> Vec<EntityId> {
    g.targets(group, RelType::GroupHasUser).collect()
}

/// Users holding a role.
pub fn role_members(g: &Graph, role: EntityId) -> Vec<EntityId> {
    g.sources(role, RelType::UserAssignedRole).collect()
}

/// The roster person a user is mapped to, if employees were imported.
pub fn employee_of(g: &Graph, user: EntityId) -> Option<EntityId> {
    g.targets(user, RelType::UserIsEmployee).next()
}

/// A role's privileges (strings), sorted.
pub fn privileges(g: &Graph, role: EntityId) -> Vec<String> {
    let privileges = g.entity(role).props.get("privileges");
    let mut out: Vec<String> = match (privileges, privileges.and_then(PropValue::as_str)) {
        (Some(PropValue::List(a)), _) => a.iter().map(prop_value_text).collect(),
        (_, Some(s)) => s.split(',').map(|x| clean(x.trim()).into_owned()).collect(),
        _ => Vec::new(),
    };
    out.sort();
    out
}

/// True when the role grants administration (owner or admin roles).
pub fn role_is_admin(g: &Graph, role: EntityId) -> bool {
    let p = &g.entity(role).props;
    if let Some(b) = p.get("admin").and_then(PropValue::as_bool) {
        return b;
    }
    let name = p.str("name").unwrap_or("").to_lowercase();
    name.contains("admin") || name.contains("owner")
}

/// The single account entity, when present.
pub fn account(g: &Graph) -> Option<EntityId> {
    g.of_type(EntityType::Account).first().copied()
}

/// `12345` → `12,345`.
pub fn thousands(n: usize) -> String {
    crate::util::human::thousands(n as u64)
}

/// As [`clean`], keeping line breaks (for our own multi-line messages that
/// embed Zoom text).
pub fn clean_multiline(s: &str) -> String {
    s.lines()
        .map(|l| clean(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12345), "12,345");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn summary_counts_read_as_the_panes_do() {
        let s = SnapshotSummary {
            counts: [
                ("zoom_user", 100_000),
                ("zoom_group", 12),
                ("zoom_user_assigned_role", 7),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            finished_at: None,
        };
        assert_eq!(s.counts_text(), "100,000 users · 12 groups · 0 roles");
    }

    #[test]
    fn type_labels() {
        assert_eq!(type_label(Some(&Value::from(2))), "licensed");
        assert_eq!(type_label(Some(&Value::from("Basic"))), "basic");
        assert_eq!(type_label(None), "");
    }
}
