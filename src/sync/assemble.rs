//! Hands what the steps fetched to the converter.

use super::SyncOptions;
use super::convert::UserSettingsBundle;
use super::convert::prepare_user;
use super::convert::{AccountInput, Converter};
use super::earlier::EarlierAccount;
use super::plan::Fetched;
use crate::graph::Built;
use crate::zoom::{FromJson, RoleDetail, Settings, User};

use std::collections::HashSet;

/// Builds the graph from every part that was fetched (complete or not; the
/// store decides from [`super::Parts`] which parts replace the stored ones).
pub(crate) fn build(f: Fetched, opts: &SyncOptions) -> Built {
    // The users are in already (inserted while the listing ran).
    let (mut b, unreadable) = match f.users {
        Ok(listed) => (listed.converter, listed.unreadable),
        Err(_) => (Converter::new(opts.account_name.as_deref()), Vec::new()),
    };
    // A user record the listing could not read keeps the user as stored
    // (its settings too, when this sync replaces every user's settings).
    let earlier_users: Vec<(String, String)> = match &opts.earlier_raw {
        Some(earlier) if !unreadable.is_empty() => {
            let keys: Vec<String> = unreadable
                .iter()
                .map(|id| format!("zoom_user:{id}"))
                .collect();
            earlier.read(&keys).into_iter().collect()
        }
        _ => Vec::new(),
    };
    b.prepared_users(
        earlier_users
            .iter()
            .filter_map(|(_, raw)| serde_json::from_str(raw).ok())
            .filter_map(|v| User::from_json(v).ok())
            .map(prepare_user)
            .collect(),
    );
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
    let settings = earlier.or_earlier(a.settings, "settings");
    let lock_settings = earlier.or_earlier(a.lock_settings, "lock_settings");
    // What the groups' settings are compared with (see `group_settings.rs`).
    let account_bodies = (
        settings.as_ref().map(|s| s.raw.clone()),
        lock_settings.as_ref().map(|s| s.raw.clone()),
    );
    b.account(AccountInput {
        account_id: opts.account_id.clone(),
        owner,
        summary: earlier.or_earlier(a.summary, "summary"),
        settings,
        security_settings: earlier.or_earlier(a.security_settings, "security_settings"),
        lock_settings,
        managed_domains: earlier.domains_or_earlier(a.managed_domains),
        trusted_domains: earlier.strings_or_earlier(a.trusted_domains, "trusted_domains"),
    });
    if let Ok(groups) = f.groups {
        let against = super::group_settings::AccountBodies {
            settings: account_bodies.0.as_ref(),
            locks: account_bodies.1.as_ref(),
        };
        let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
        b.groups(groups);
        super::group_settings::apply(
            &mut b,
            &ids,
            f.group_settings,
            f.group_lock_settings,
            &against,
            opts.earlier_raw.as_ref(),
        );
    }
    if let Ok(roles) = f.roles {
        // A listed role without a fresh detail (its detail could not be
        // read, or the step was skipped) keeps its earlier privileges.
        let mut details = f.role_details.unwrap_or_default();
        let fresh: HashSet<String> = details.iter().map(|d| d.id.clone()).collect();
        details.extend(
            roles
                .iter()
                .filter(|r| !fresh.contains(&r.id))
                .filter_map(|r| earlier_role_detail(opts, &r.id)),
        );
        b.roles(roles, details);
    }
    for (gid, members) in f.group_members.unwrap_or_default() {
        b.group_members(&gid, members);
    }
    for (rid, members) in f.role_members.unwrap_or_default() {
        b.role_members(&rid, members);
    }
    for (gid, admins) in f.group_admins.and_then(Result::ok).unwrap_or_default() {
        b.group_admins(&gid, admins);
    }
    if let Some(Ok(settings)) = &f.user_settings {
        login_types(&mut b, f.login_types, settings, &unreadable, opts);
    }
    if let Some(Ok(settings)) = f.user_settings {
        for (id, bodies) in settings.bodies {
            b.user_settings(&format!("zoom_user:{id}"), &bodies);
        }
        // Users whose settings could not be read this time keep the ones
        // stored with them (this sync replaces every user's settings).
        let keys: Vec<String> = settings
            .unread
            .iter()
            .map(|id| format!("zoom_user:{id}"))
            .collect();
        if let Some(earlier) = &opts.earlier_raw
            && !keys.is_empty()
        {
            for (key, raw) in earlier.read(&keys) {
                if let Some(bodies) = stored_settings(&raw) {
                    b.user_settings(&key, &bodies);
                }
            }
        }
        for (key, raw) in &earlier_users {
            if let Some(bodies) = stored_settings(raw) {
                b.user_settings(key, &bodies);
            }
        }
    }
    b.finish()
}

/// Users' login types, part of the user-settings part (the store replaces
/// or carries them over with the settings): the fresh ones, and for every
/// user not read this time (the step skipped or failed, or that user's
/// request failed) the ones stored under `_settings.login_types`.
fn login_types(
    b: &mut Converter,
    fetched: Option<super::step::StepResult<super::user_settings::FetchedLoginTypes>>,
    settings: &super::user_settings::FetchedSettings,
    unreadable: &[String],
    opts: &SyncOptions,
) {
    let (fresh, mut unread) = match fetched {
        Some(Ok(l)) => (l.users, l.unread),
        // Not read at all: every user with settings keeps what was stored.
        _ => (
            Vec::new(),
            settings.bodies.iter().map(|(id, _)| id.clone()).collect(),
        ),
    };
    unread.extend(unreadable.iter().cloned());
    unread.extend(settings.unread.iter().cloned());
    for (id, codes) in fresh {
        b.user_login_types(&format!("zoom_user:{id}"), codes);
    }
    let keys: Vec<String> = unread.iter().map(|id| format!("zoom_user:{id}")).collect();
    if let Some(earlier) = &opts.earlier_raw
        && !keys.is_empty()
    {
        for (key, raw) in earlier.read(&keys) {
            if let Some(codes) = super::convert::login_types::stored_login_types(&raw) {
                b.user_login_types(&key, codes);
            }
        }
    }
}

/// The role's detail as last stored, when it had privileges (a role stored
/// from the list alone has none to keep).
fn earlier_role_detail(opts: &SyncOptions, id: &str) -> Option<RoleDetail> {
    let raw = opts.previous_roles.get(id)?;
    raw.get("privileges")?.as_array()?;
    RoleDetail::from_json(raw.clone())
        .ok()
        .filter(|d| d.id == id)
}

/// The settings bodies a stored user's raw JSON holds under `_settings`
/// (`settings` or, from a lazy fetch, `main`, and the three options).
fn stored_settings(raw: &str) -> Option<UserSettingsBundle> {
    let v: serde_json::Value = serde_json::from_str(raw).ok()?;
    let s = v.get("_settings")?;
    let body = |k: &str| {
        s.get(k)
            .filter(|b| b.is_object())
            .and_then(|b| Settings::from_json(b.clone()).ok())
    };
    let bundle = UserSettingsBundle {
        main: body("settings").or_else(|| body("main")),
        meeting_authentication: body("meeting_authentication"),
        recording_authentication: body("recording_authentication"),
        meeting_security: body("meeting_security"),
    };
    let any = bundle.main.is_some()
        || bundle.meeting_authentication.is_some()
        || bundle.recording_authentication.is_some()
        || bundle.meeting_security.is_some();
    any.then_some(bundle)
}
