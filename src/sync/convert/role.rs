//! Zoom roles and role details → `zoom_role` entities, and the role names
//! users are given.

use std::collections::HashMap;

use serde_json::Value;

use crate::zoom::models::{Role, RoleDetail};

/// Each role with its detail (when fetched). A detail whose role is not in
/// the list still makes a role (after the listed ones, by id); for an id
/// given twice the last detail wins.
pub(super) fn with_details(
    roles: Vec<Role>,
    details: Vec<RoleDetail>,
) -> Vec<(Role, Option<RoleDetail>)> {
    let mut details: HashMap<String, RoleDetail> =
        details.into_iter().map(|d| (d.id.clone(), d)).collect();
    let mut all: Vec<(Role, Option<RoleDetail>)> = roles
        .into_iter()
        .map(|r| {
            let d = details.remove(&r.id);
            (r, d)
        })
        .collect();
    let mut orphans: Vec<RoleDetail> = details.into_values().collect();
    orphans.sort_by(|a, b| a.id.cmp(&b.id));
    for d in orphans {
        let r = Role {
            id: d.id.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            role_type: d.role_type.clone(),
            total_members: d.total_members,
            raw: Value::Null,
        };
        all.push((r, Some(d)));
    }
    all
}

/// The names [`with_details`] and [`role_props`] give each role id, without
/// taking the lists: the list's name, else the detail's; blank ids and
/// unnamed roles left out, later entries winning.
pub(super) fn role_names<'a>(
    roles: &'a [Role],
    details: &'a [RoleDetail],
) -> Vec<(&'a str, &'a str)> {
    let mut by_id: HashMap<&str, &RoleDetail> =
        details.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut named: Vec<(&str, Option<&str>)> = Vec::with_capacity(roles.len());
    for r in roles {
        let d = by_id.remove(r.id.as_str());
        named.push((
            r.id.as_str(),
            r.name.as_deref().or(d.and_then(|d| d.name.as_deref())),
        ));
    }
    let mut orphans: Vec<&RoleDetail> = by_id.into_values().collect();
    orphans.sort_by(|a, b| a.id.cmp(&b.id));
    named.extend(orphans.iter().map(|d| (d.id.as_str(), d.name.as_deref())));
    named
        .into_iter()
        .filter(|(id, _)| !id.trim().is_empty())
        .filter_map(|(id, name)| name.map(|n| (id, n)))
        .collect()
}

/// A role entity's parts, before the converter inserts it.
pub(super) struct RoleEntity {
    pub props: Vec<(&'static str, Value)>,
    pub name: Option<String>,
    /// The detail when fetched (it has everything the list item has, and
    /// more), else the list item; not yet redacted.
    pub raw: Value,
}

/// A role's properties: `id`, `name`, `displayName`, `description`,
/// `totalMembers`, `admin` (name is Owner or Admin, as JupiterOne),
/// `roleType` (`type`), `privileges` (from the role's detail, when
/// fetched). The list's values first, the detail's where the list has none.
pub(super) fn role_entity(r: Role, d: Option<RoleDetail>) -> RoleEntity {
    let name = r
        .name
        .clone()
        .or_else(|| d.as_ref().and_then(|d| d.name.clone()));
    let mut p: Vec<(&str, Value)> = vec![("id", r.id.as_str().into())];
    if let Some(n) = &name {
        p.push(("name", n.as_str().into()));
        p.push(("displayName", n.as_str().into()));
    } else {
        p.push(("displayName", r.id.as_str().into()));
    }
    let admin = matches!(name.as_deref(), Some("Owner" | "Admin"));
    p.push(("admin", admin.into()));
    let description = r
        .description
        .clone()
        .or_else(|| d.as_ref().and_then(|d| d.description.clone()));
    if let Some(s) = description {
        p.push(("description", s.into()));
    }
    let role_type = r
        .role_type
        .clone()
        .or_else(|| d.as_ref().and_then(|d| d.role_type.clone()));
    if let Some(s) = role_type {
        p.push(("roleType", s.into()));
    }
    let total = r.total_members.or(d.as_ref().and_then(|d| d.total_members));
    if let Some(t) = total {
        p.push(("totalMembers", t.into()));
    }
    if let Some(d) = &d {
        p.push((
            "privileges",
            Value::Array(
                d.privileges
                    .iter()
                    .map(|s| Value::from(s.as_str()))
                    .collect(),
            ),
        ));
    }
    let raw = match d {
        Some(d) if !d.raw.is_null() => d.raw,
        _ => r.raw,
    };
    RoleEntity {
        props: p,
        name,
        raw,
    }
}
