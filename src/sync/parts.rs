//! Which parts of the graph a sync may replace. A part is refreshed when
//! its listing completed and no step that adds to it failed; a supplementary
//! step skipped for a missing scope (lock settings, managed domains, role
//! privileges) leaves that detail out rather than freezing the whole part,
//! because such scopes are often absent for good.

use super::Parts;
use super::plan::{Fetched, completed, not_failed};
use crate::graph::{EntityType, RelType};

pub(crate) fn refreshed(f: &Fetched) -> Parts {
    let a = &f.account;
    let account = not_failed(&a.owner)
        && not_failed(&a.summary)
        && not_failed(&a.settings)
        && not_failed(&a.security_settings)
        && not_failed(&a.lock_settings)
        && not_failed(&a.managed_domains);
    let users = completed(&f.users);
    let groups = completed(&f.groups);
    let roles = completed(&f.roles);
    let mut p = Parts::default();
    let mut entity = |t, ok: bool| {
        if ok {
            p.entities.insert(t);
        }
    };
    entity(EntityType::Account, account);
    entity(EntityType::User, users);
    entity(EntityType::Group, groups);
    entity(EntityType::Role, roles && not_failed(&f.role_details));
    let mut rel = |t, ok: bool| {
        if ok {
            p.relationships.insert(t);
        }
    };
    rel(RelType::AccountHasUser, users);
    rel(RelType::AccountHasGroup, groups);
    rel(RelType::AccountHasRole, roles);
    rel(
        RelType::GroupHasUser,
        users && groups && completed(&f.group_members),
    );
    rel(
        RelType::UserAssignedRole,
        users && roles && completed(&f.role_members),
    );
    p.user_settings = matches!(f.user_settings, Some(Ok(_)));
    p
}
