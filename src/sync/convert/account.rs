//! The account's own data → the `zoom_account` entity.

use std::collections::HashSet;

use serde_json::Value;

use super::settings::flatten_sections;
use super::user::person_name;
use crate::graph::account_key;
use crate::zoom::models::{ManagedDomain, Settings, User, UsersSummary};

/// Everything sync knows about the account itself.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub account_id: String,
    /// `GET /users/{owner}` (or `/users/me`) detail: account number, owner.
    pub owner: Option<User>,
    pub summary: Option<UsersSummary>,
    /// `GET /accounts/me/settings`.
    pub settings: Option<Settings>,
    /// `GET /accounts/me/settings?option=…` (security or meeting_security).
    pub security_settings: Option<Settings>,
    /// `GET /accounts/me/lock_settings`.
    pub lock_settings: Option<Settings>,
    pub managed_domains: Option<Vec<ManagedDomain>>,
    /// `GET /accounts/me/trusted_domains`.
    pub trusted_domains: Option<Vec<String>>,
}

/// The account entity's parts, before the converter inserts it.
pub(super) struct AccountEntity {
    pub key: String,
    /// Properties; settings keys that would overwrite a base property are
    /// left out (and named in `collisions`).
    pub props: Vec<(String, Value)>,
    /// `{"owner", "summary", "settings", "security_settings",
    /// "lock_settings", "managed_domains"}`, not yet redacted.
    pub raw: Value,
    pub collisions: Vec<String>,
}

/// The account entity: `id`/`accountId` (the account id — not a user id,
/// unlike JupiterOne), `accountNumber`, `name`/`displayName` (the
/// profile's account name, else the account number, else the id),
/// `ownerId`, `ownerEmail`, `ownerName`, users-summary counts
/// (`licensedUsersCount`, …), account settings flattened by section
/// (`inMeetingE2eEncryption`, `securitySignInWithTwoFactorAuth`, …),
/// security settings likewise (an unwrapped body gets the `security`
/// prefix), lock settings with the `lockSettings` prefix
/// (`lockSettingsScheduleMeetingJoinBeforeHost`), and `managedDomains`
/// (domain names) with `managedDomainsStatus` (parallel statuses), and
/// `trustedDomains`.
/// `None` when the account id is blank.
pub(super) fn account_entity(
    a: &AccountInput,
    account_name: Option<&str>,
) -> Option<AccountEntity> {
    let id = a.account_id.trim().to_string();
    if id.is_empty() {
        return None;
    }
    let mut flat: Vec<(String, Value)> = Vec::new();
    let mut raw = serde_json::Map::new();
    if let Some(s) = &a.settings {
        flat.extend(flatten_sections(&s.raw, ""));
        raw.insert("settings".into(), s.raw.clone());
    }
    if let Some(s) = &a.security_settings {
        let sectioned = s
            .raw
            .as_object()
            .is_some_and(|m| !m.is_empty() && m.values().all(Value::is_object));
        flat.extend(flatten_sections(
            &s.raw,
            if sectioned { "" } else { "security" },
        ));
        raw.insert("security_settings".into(), s.raw.clone());
    }
    if let Some(s) = &a.lock_settings {
        flat.extend(flatten_sections(&s.raw, "lockSettings"));
        raw.insert("lock_settings".into(), s.raw.clone());
    }
    if let Some(s) = &a.summary {
        flat.extend(flatten_sections(&s.raw, ""));
        raw.insert("summary".into(), s.raw.clone());
    }
    if let Some(d) = &a.managed_domains {
        flat.push((
            "managedDomains".into(),
            Value::Array(d.iter().map(|d| Value::from(d.domain.as_str())).collect()),
        ));
        flat.push((
            "managedDomainsStatus".into(),
            Value::Array(
                d.iter()
                    .map(|d| d.status.as_deref().map(Value::from).unwrap_or(Value::Null))
                    .collect(),
            ),
        ));
        raw.insert(
            "managed_domains".into(),
            Value::Array(d.iter().map(|d| d.raw.clone()).collect()),
        );
    }
    if let Some(d) = &a.trusted_domains {
        let list = Value::Array(d.iter().map(|d| Value::from(d.as_str())).collect());
        flat.push(("trustedDomains".into(), list.clone()));
        raw.insert("trusted_domains".into(), list);
    }
    let mut base: Vec<(&str, Value)> =
        vec![("id", id.clone().into()), ("accountId", id.clone().into())];
    let number = a.owner.as_ref().and_then(|o| o.account_number);
    if let Some(n) = number {
        base.push(("accountNumber", n.into()));
    }
    let name = account_name
        .map(str::to_string)
        .or_else(|| number.map(|n| n.to_string()))
        .unwrap_or_else(|| id.clone());
    base.push(("name", name.clone().into()));
    base.push(("displayName", name.into()));
    if let Some(o) = &a.owner {
        if let Some(oid) = &o.id {
            base.push(("ownerId", oid.as_str().into()));
        }
        base.push(("ownerEmail", o.email.as_str().into()));
        if let Some(n) = person_name(o) {
            base.push(("ownerName", n.into()));
        }
        raw.insert("owner".into(), o.raw.to_value());
    }
    let base_names: HashSet<&str> = base.iter().map(|(k, _)| *k).collect();
    let mut props = Vec::with_capacity(flat.len() + base.len());
    let mut collisions = Vec::new();
    for (k, v) in flat {
        if base_names.contains(k.as_str()) {
            collisions.push(k);
        } else {
            props.push((k, v));
        }
    }
    props.extend(base.into_iter().map(|(k, v)| (k.to_string(), v)));
    Some(AccountEntity {
        key: account_key(&id),
        props,
        raw: Value::Object(raw),
        collisions,
    })
}
