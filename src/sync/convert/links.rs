//! The relationships: the account to every entity, each user to the groups
//! and role it names, and the member lists sync paged for the groups and
//! roles whose counts disagreed (added to what the users say: a union).
//!
//! A member whose id is not in the users list cannot be linked (there is no
//! entity to link to; a stub would falsify the user list), so it is
//! reported as a warning naming the group or role, the count and the first
//! few ids — never dropped silently.

use std::collections::HashMap;

use crate::graph::{EntityId, EntityType, FastMap, GraphBuilder, RelType, group_key, role_key};

/// How many ids a warning lists before "…".
const WARN_SAMPLE: usize = 5;

/// One inserted user and what it names: its group ids and role id.
#[derive(Debug, Clone)]
pub(super) struct UserLinks {
    pub id: EntityId,
    pub group_ids: Vec<String>,
    pub role_id: Option<String>,
}

/// `zoom_account_has_{user,group,role}` for every entity of those types.
pub(super) fn link_account(b: &mut GraphBuilder, account_key: Option<&str>) {
    let Some(acct) = account_key else {
        b.warn("no account entity: zoom_account_has_* relationships not built");
        return;
    };
    let Some(acct_id) = b.graph().id_of(acct) else {
        return;
    };
    for (rtype, etype) in [
        (RelType::AccountHasUser, EntityType::User),
        (RelType::AccountHasGroup, EntityType::Group),
        (RelType::AccountHasRole, EntityType::Role),
    ] {
        let targets: Vec<EntityId> = b.graph().of_type(etype).to_vec();
        for t in targets {
            b.relate(rtype, acct_id, t);
        }
    }
}

/// `zoom_group_has_user` and `zoom_user_assigned_role` from each user's
/// `group_ids` and `role_id`. `groups_given` / `roles_given`: whether the
/// lists were fetched at all (without one, every id would be "missing": one
/// line says so instead of thousands).
pub(super) fn link_users(
    b: &mut GraphBuilder,
    links: &[UserLinks],
    groups_given: bool,
    roles_given: bool,
) {
    let mut missing_groups: HashMap<String, usize> = HashMap::new();
    let mut missing_roles: HashMap<String, usize> = HashMap::new();
    // Same answers as `id_of(&group_key(g))`, without formatting a key
    // for each of ~300,000 memberships.
    let groups = ids_by_suffix(b, EntityType::Group);
    let roles = ids_by_suffix(b, EntityType::Role);
    for u in links {
        for g in &u.group_ids {
            match groups.get(g.as_str()).copied() {
                Some(gid) => b.relate(RelType::GroupHasUser, gid, u.id),
                None => *missing_groups.entry(g.clone()).or_default() += 1,
            }
        }
        if let Some(r) = &u.role_id {
            match roles.get(r.as_str()).copied() {
                Some(rid) => b.relate(RelType::UserAssignedRole, u.id, rid),
                None => *missing_roles.entry(r.clone()).or_default() += 1,
            }
        }
    }
    for (given, missing, what) in [
        (groups_given, missing_groups, "group"),
        (roles_given, missing_roles, "role"),
    ] {
        if missing.is_empty() {
            continue;
        }
        if !given {
            b.warn(format!(
                "no {what}s list: user-{what} relationships not built"
            ));
            continue;
        }
        let mut ids: Vec<String> = missing
            .into_iter()
            .map(|(id, n)| format!("{id} ({n} users)"))
            .collect();
        ids.sort();
        b.warn(sample_warning(
            &format!("users name {what} ids that are not in the {what}s list"),
            &ids,
        ));
    }
}

/// Entities of one type by their `_key` without the type's prefix
/// (`zoom_group:<id>` → `<id>`).
fn ids_by_suffix(b: &GraphBuilder, etype: EntityType) -> FastMap<String, EntityId> {
    let g = b.graph();
    let ids = g.of_type(etype);
    let mut m = FastMap::with_capacity_and_hasher(ids.len(), Default::default());
    for &id in ids {
        if let Some(rest) = g.entity(id).key.strip_prefix(etype.key_prefix()) {
            m.insert(rest.to_string(), id);
        }
    }
    m
}

/// The member lists: (group or role id, member user ids).
pub(super) fn link_members(
    b: &mut GraphBuilder,
    groups: &[(String, Vec<String>)],
    roles: &[(String, Vec<String>)],
) {
    for (gid, members) in groups {
        link_member_list(
            b,
            RelType::GroupHasUser,
            &group_key(gid),
            members,
            "group",
            gid,
        );
    }
    for (rid, members) in roles {
        link_member_list(
            b,
            RelType::UserAssignedRole,
            &role_key(rid),
            members,
            "role",
            rid,
        );
    }
}

fn link_member_list(
    b: &mut GraphBuilder,
    rtype: RelType,
    container: &str,
    member_ids: &[String],
    what: &str,
    id: &str,
) {
    let Some(cid) = b.graph().id_of(container) else {
        b.warn(format!(
            "members of {what} {id} given, but {what} {id} is not in the {what}s list"
        ));
        return;
    };
    let mut missing = Vec::new();
    for m in member_ids {
        let Some(uid) = b.graph().id_of(&format!("zoom_user:{m}")) else {
            missing.push(m.clone());
            continue;
        };
        let (from, to) = match rtype {
            RelType::UserAssignedRole => (uid, cid),
            _ => (cid, uid),
        };
        b.relate(rtype, from, to);
    }
    if !missing.is_empty() {
        b.warn(sample_warning(
            &format!("{what} {id} lists members who are not in the users list (not linked)"),
            &missing,
        ));
    }
}

/// `zoom_user_manages_group`: each group's admins, matched to users by
/// lower-cased e-mail (the admins endpoint names no user id), or by user id
/// for admins kept from the previous snapshot (an entry without `@`: Zoom's
/// ids never hold one). An admin who is not in the users list cannot be
/// linked and is named in a warning.
pub(super) fn link_group_admins(b: &mut GraphBuilder, admins: &[(String, Vec<String>)]) {
    if admins.is_empty() {
        return;
    }
    let mut by_email: FastMap<String, EntityId> = FastMap::default();
    for &id in b.graph().of_type(EntityType::User) {
        if let Some(e) = b
            .graph()
            .entity(id)
            .props
            .get("email")
            .and_then(|v| v.as_str())
        {
            by_email.insert(e.to_lowercase(), id);
        }
    }
    let mut missing = Vec::new();
    for (gid, emails) in admins {
        let Some(g) = b.graph().id_of(&group_key(gid)) else {
            b.warn(format!(
                "admins of group {gid} given, but group {gid} is not in the groups list"
            ));
            continue;
        };
        for e in emails {
            let user = if e.contains('@') {
                by_email.get(&e.to_lowercase()).copied()
            } else {
                b.graph().id_of(&format!("zoom_user:{e}"))
            };
            match user.as_ref() {
                Some(u) => b.relate(RelType::UserManagesGroup, *u, g),
                None => missing.push(format!("{e} (group {gid})")),
            }
        }
    }
    if !missing.is_empty() {
        b.warn(sample_warning(
            "group admins who are not in the users list (not linked)",
            &missing,
        ));
    }
}

/// `"<what>: <count>: a, b, c, …"`.
pub(super) fn sample_warning(what: &str, items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(WARN_SAMPLE).map(String::as_str).collect();
    let more = if items.len() > WARN_SAMPLE {
        ", …"
    } else {
        ""
    };
    format!("{what}: {}: {}{more}", items.len(), shown.join(", "))
}
