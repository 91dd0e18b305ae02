//! Hands what the steps fetched to the converter.

use super::SyncOptions;
use super::convert::{AccountInput, Converter};
use super::earlier::EarlierAccount;
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
    // An account part whose step was skipped or failed keeps its earlier
    // body (see `earlier.rs`): the account is one entity, so the store's
    // per-type carry-over cannot keep its settings on its own.
    let a = f.account;
    let earlier = EarlierAccount(opts.previous_account.as_ref());
    let owner = match a.owner {
        Ok(o) => o,
        Err(e) => earlier.or_earlier(Err(e), "owner"),
    };
    b.account(AccountInput {
        account_id: opts.account_id.clone(),
        owner,
        summary: earlier.or_earlier(a.summary, "summary"),
        settings: earlier.or_earlier(a.settings, "settings"),
        security_settings: earlier.or_earlier(a.security_settings, "security_settings"),
        lock_settings: earlier.or_earlier(a.lock_settings, "lock_settings"),
        managed_domains: earlier.domains_or_earlier(a.managed_domains),
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
