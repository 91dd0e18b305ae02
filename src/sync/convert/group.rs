//! Zoom groups → `zoom_group` entities.

use serde_json::Value;

use crate::zoom::models::Group;

/// A group's properties: `id`, `name`, `displayName` (the name, else the
/// id), `totalMembers`, `directoryPrivacy`, `inDirectory`.
pub(super) fn group_props(g: &Group) -> Vec<(&'static str, Value)> {
    let mut p: Vec<(&str, Value)> = vec![("id", g.id.as_str().into())];
    if let Some(n) = &g.name {
        p.push(("name", n.as_str().into()));
        p.push(("displayName", n.as_str().into()));
    } else {
        p.push(("displayName", g.id.as_str().into()));
    }
    if let Some(t) = g.total_members {
        p.push(("totalMembers", t.into()));
    }
    if let Some(d) = g.directory_privacy {
        p.push(("directoryPrivacy", d.into()));
    }
    if let Some(d) = g.in_directory {
        p.push(("inDirectory", d.into()));
    }
    p
}
