//! Which parts of the graph a sync may replace. A part is refreshed when
//! its listing completed and no step that adds to it failed; a supplementary
//! step skipped for a missing scope (lock settings, managed domains, role
//! privileges) leaves that detail out rather than freezing the whole part,
//! because such scopes are often absent for good.
//!
//! The account is the exception: each of its parts that was not fetched is
//! built from its earlier body (`earlier.rs`), so the entity is refreshed
//! as soon as any account step completed, and a failed part costs nothing.

use super::Parts;
use super::plan::{Fetched, completed, not_failed};
use crate::graph::{EntityType, RelType};

pub(crate) fn refreshed(f: &Fetched) -> Parts {
    let a = &f.account;
    let none_failed = not_failed(&a.owner)
        && not_failed(&a.summary)
        && not_failed(&a.settings)
        && not_failed(&a.security_settings)
        && not_failed(&a.lock_settings)
        && not_failed(&a.managed_domains)
        && not_failed(&a.trusted_domains);
    let any_completed = completed(&a.owner)
        || completed(&a.summary)
        || completed(&a.settings)
        || completed(&a.security_settings)
        || completed(&a.lock_settings)
        || completed(&a.managed_domains)
        || completed(&a.trusted_domains);
    let account = none_failed || any_completed;
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
    // Roles without a fresh detail keep their earlier privileges, so the
    // list alone decides.
    entity(EntityType::Role, roles);
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
    rel(
        RelType::UserManagesGroup,
        users && groups && f.group_admins.as_ref().is_some_and(completed),
    );
    p.user_settings = matches!(f.user_settings, Some(Ok(_)));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::StepOutcome;
    use crate::sync::account::AccountData;

    fn skipped<T>() -> Result<T, StepOutcome> {
        Err(StepOutcome::missing_scope(vec!["group:read:admin".into()]))
    }

    fn failed<T>() -> Result<T, StepOutcome> {
        Err(StepOutcome::Failed {
            reason: "HTTP 500".into(),
        })
    }

    fn fetched() -> Fetched {
        Fetched {
            account: AccountData {
                owner: Ok(None),
                summary: skipped(),
                settings: skipped(),
                security_settings: skipped(),
                lock_settings: skipped(),
                managed_domains: skipped(),
                trusted_domains: skipped(),
            },
            users: Ok(Default::default()),
            groups: skipped(),
            roles: skipped(),
            role_details: skipped(),
            group_members: skipped(),
            role_members: skipped(),
            user_settings: None,
            group_admins: Some(skipped()),
            login_types: None,
            group_settings: None,
            group_lock_settings: None,
            activity: Vec::new(),
        }
    }

    #[test]
    fn skipped_listings_are_not_refreshed() {
        let p = refreshed(&fetched());
        assert!(p.has_entity(EntityType::User));
        assert!(p.has_relationship(RelType::AccountHasUser));
        for t in [EntityType::Group, EntityType::Role] {
            assert!(!p.has_entity(t), "{t}");
        }
        for t in [
            RelType::AccountHasGroup,
            RelType::AccountHasRole,
            RelType::GroupHasUser,
            RelType::UserAssignedRole,
        ] {
            assert!(!p.has_relationship(t), "{t}");
        }
        // account sections the scopes do not cover leave the account refreshable
        assert!(p.has_entity(EntityType::Account));
        assert!(!p.user_settings);
    }

    #[test]
    fn a_failed_member_listing_keeps_that_relationship() {
        let mut f = fetched();
        f.groups = Ok(vec![]);
        f.group_members = failed();
        f.roles = Ok(vec![]);
        f.role_details = failed();
        f.role_members = Ok(vec![]);
        f.account.lock_settings = failed();
        f.user_settings = Some(Ok(Default::default()));
        let p = refreshed(&f);
        assert!(p.has_entity(EntityType::Group));
        assert!(p.has_relationship(RelType::AccountHasGroup));
        assert!(!p.has_relationship(RelType::GroupHasUser));
        assert!(p.has_relationship(RelType::UserAssignedRole));
        assert!(
            p.has_entity(EntityType::Role),
            "earlier privileges are kept"
        );
        // the owner step completed: the account is rebuilt, its failed lock
        // settings from the earlier body
        assert!(p.has_entity(EntityType::Account), "lock settings failed");
        f.account.owner = failed();
        assert!(
            !refreshed(&f).has_entity(EntityType::Account),
            "nothing fetched"
        );
        assert!(p.user_settings);
    }
}
