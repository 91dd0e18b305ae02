//! Hands what the steps fetched to the converter.

use super::SyncOptions;
use super::convert::{AccountInput, Converter};
use super::plan::Fetched;
use crate::graph::Built;

/// Builds the graph from every part that was fetched (complete or not; the
/// store decides from [`super::Parts`] which parts replace the stored ones).
pub(crate) fn build(f: Fetched, opts: &SyncOptions) -> Built {
    // The users are in already (inserted while the listing ran).
    let mut b = match f.users {
        Ok(listed) => listed.converter,
        Err(_) => Converter::new(opts.account_name.as_deref()),
    };
    b.known_role_names(opts.known_role_names.clone());
    let a = f.account;
    b.account(AccountInput {
        account_id: opts.account_id.clone(),
        owner: a.owner.ok().flatten(),
        summary: a.summary.ok(),
        settings: a.settings.ok(),
        security_settings: a.security_settings.ok(),
        lock_settings: a.lock_settings.ok(),
        managed_domains: a.managed_domains.ok(),
    });
    if let Ok(groups) = f.groups {
        b.groups(groups);
    }
    if let Ok(roles) = f.roles {
        b.roles(roles, f.role_details.unwrap_or_default());
    }
    for (gid, members) in f.group_members.unwrap_or_default() {
        b.group_members(&gid, members);
    }
    for (rid, members) in f.role_members.unwrap_or_default() {
        b.role_members(&rid, members);
    }
    if let Some(Ok(settings)) = f.user_settings {
        for (id, bodies) in settings {
            b.user_settings(&format!("zoom_user:{id}"), &bodies);
        }
    }
    b.finish()
}
