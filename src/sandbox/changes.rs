//! Change over time: named mutations of the org (hire, deactivate, role
//! change, group move, setting flip, make admin), applied on demand through
//! `RunningSandbox::apply_change` / `POST /_sandbox/change`, or every N
//! seconds with `mutate_every`. Deterministic: the choices come from a
//! seeded stream, so the same sequence of changes gives the same org.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::generate::ORG_DOMAIN;
use super::model::{OrgSnapshot, User, UserSecurity, UserStatus};
use super::names;
use super::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    MakeAdmin,
    Deactivate,
    Hire,
    RoleChange,
    GroupMove,
    SettingFlip,
    /// An admin signs in from their usual address (the org is unchanged;
    /// only the sign-in activity grows).
    AdminSignIn,
    /// An admin signs in from an address never used by them before.
    AdminNewIp,
    /// A group sets one of its settings against the account's (see
    /// `group_settings.rs`); `group` names it.
    GroupOverride,
}

impl ChangeKind {
    /// The kinds that change the org (the sign-in kinds only log).
    pub const ALL: [ChangeKind; 7] = [
        Self::MakeAdmin,
        Self::Deactivate,
        Self::Hire,
        Self::RoleChange,
        Self::GroupMove,
        Self::SettingFlip,
        Self::GroupOverride,
    ];

    /// The kinds `mutate_every` cycles through.
    pub const PERIODIC: [ChangeKind; 5] = [
        Self::Hire,
        Self::Deactivate,
        Self::RoleChange,
        Self::GroupMove,
        Self::SettingFlip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MakeAdmin => "make_admin",
            Self::Deactivate => "deactivate",
            Self::Hire => "hire",
            Self::RoleChange => "role_change",
            Self::GroupMove => "group_move",
            Self::SettingFlip => "setting_flip",
            Self::AdminSignIn => "admin_sign_in",
            Self::AdminNewIp => "admin_new_ip",
            Self::GroupOverride => "group_override",
        }
    }
}

/// One change to apply. `user` (an email or id) picks the target; without
/// it the sandbox picks one deterministically. `hire` ignores `user` unless
/// it is an email, which then becomes the new user's email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    #[serde(rename = "change")]
    pub kind: ChangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `group_override`'s group (an id or a name); without it the sandbox
    /// picks one deterministically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Change {
    pub fn new(kind: ChangeKind) -> Self {
        Self {
            kind,
            user: None,
            group: None,
        }
    }

    pub fn for_user(kind: ChangeKind, user: impl Into<String>) -> Self {
        Self {
            kind,
            user: Some(user.into()),
            group: None,
        }
    }

    /// `group_override` of the group with this id or name.
    pub fn group_override(group: impl Into<String>) -> Self {
        Self {
            kind: ChangeKind::GroupOverride,
            user: None,
            group: Some(group.into()),
        }
    }

    #[cfg(test)]
    pub(crate) fn make_admin(user: impl Into<String>) -> Self {
        Self::for_user(ChangeKind::MakeAdmin, user)
    }
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeApplied {
    pub change: ChangeKind,
    /// Graph key of the user (`zoom_user:<id>` or `zoom_user:pending:<email>`),
    /// or of the group for `group_override` (`zoom_group:<id>`; `email` is
    /// then empty and `id` the group's).
    pub user_key: String,
    pub email: String,
    pub id: Option<String>,
    /// What changed, e.g. `role_id`, `status`, `group_ids`,
    /// `settings.in_meeting.waiting_room`, or `user` for a hire.
    pub field: String,
    pub before: Value,
    pub after: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("no user matches {0:?}")]
    NoSuchUser(String),
    #[error("no user is eligible for {0}")]
    NoEligibleUser(&'static str),
    #[error("{0}")]
    NotApplicable(String),
}

fn find(org: &OrgSnapshot, key: &str) -> Option<usize> {
    org.users
        .iter()
        .position(|u| u.id.as_deref() == Some(key) || u.email.eq_ignore_ascii_case(key))
}

/// The target: the named user, or a deterministic pick among the eligible.
fn target(
    org: &OrgSnapshot,
    rng: &mut Rng,
    user: Option<&str>,
    kind: ChangeKind,
    eligible: impl Fn(&User) -> bool,
) -> Result<usize, ChangeError> {
    if let Some(key) = user {
        let i = find(org, key).ok_or_else(|| ChangeError::NoSuchUser(key.to_string()))?;
        return if org.users.get(i).is_some_and(&eligible) {
            Ok(i)
        } else {
            Err(ChangeError::NotApplicable(format!(
                "{} does not apply to {key}",
                kind.as_str()
            )))
        };
    }
    let candidates: Vec<usize> = org
        .users
        .iter()
        .enumerate()
        .filter(|(_, u)| eligible(u))
        .map(|(i, _)| i)
        .collect();
    rng.pick(&candidates)
        .copied()
        .ok_or(ChangeError::NoEligibleUser(kind.as_str()))
}

fn applied(u: &User, kind: ChangeKind, field: &str, before: Value, after: Value) -> ChangeApplied {
    ChangeApplied {
        change: kind,
        user_key: u.key(),
        email: u.email.clone(),
        id: u.id.clone(),
        field: field.to_string(),
        before,
        after,
    }
}

fn not_owner_with_id(u: &User) -> bool {
    u.id.is_some() && u.role_id != "0"
}

/// Applies one change to `org`. `now` stamps hires.
pub fn apply(
    org: &mut OrgSnapshot,
    rng: &mut Rng,
    change: &Change,
    now: DateTime<Utc>,
) -> Result<ChangeApplied, ChangeError> {
    let kind = change.kind;
    let user = change.user.as_deref();
    match kind {
        ChangeKind::MakeAdmin => {
            let i = target(org, rng, user, kind, |u| {
                not_owner_with_id(u) && u.role_id != "1"
            })?;
            let u = &mut org.users[i];
            let before = std::mem::replace(&mut u.role_id, "1".to_string());
            Ok(applied(u, kind, "role_id", json!(before), json!("1")))
        }
        ChangeKind::Deactivate => {
            let i = target(org, rng, user, kind, |u| {
                not_owner_with_id(u) && u.status == UserStatus::Active
            })?;
            let u = &mut org.users[i];
            u.status = UserStatus::Inactive;
            Ok(applied(
                u,
                kind,
                "status",
                json!("active"),
                json!("inactive"),
            ))
        }
        ChangeKind::RoleChange => {
            let i = target(org, rng, user, kind, not_owner_with_id)?;
            let choices: Vec<String> = org
                .roles
                .iter()
                .filter(|r| r.id != "0" && Some(&r.id) != org.users.get(i).map(|u| &u.role_id))
                .map(|r| r.id.clone())
                .collect();
            let new_role = rng
                .pick(&choices)
                .cloned()
                .ok_or(ChangeError::NoEligibleUser("role_change"))?;
            let u = &mut org.users[i];
            let before = std::mem::replace(&mut u.role_id, new_role.clone());
            Ok(applied(u, kind, "role_id", json!(before), json!(new_role)))
        }
        ChangeKind::GroupMove => {
            // "Ordinary" groups: not All Staff (first) and not the two empty ones (last).
            let ordinary: Vec<String> = org
                .groups
                .iter()
                .skip(1)
                .take(org.groups.len().saturating_sub(3))
                .map(|g| g.id.clone())
                .collect();
            if ordinary.len() < 2 {
                return Err(ChangeError::NotApplicable("too few groups".into()));
            }
            let i = target(org, rng, user, kind, |u| u.id.is_some())?;
            let u = &mut org.users[i];
            let before = u.group_ids.clone();
            let current: Vec<usize> = u
                .group_ids
                .iter()
                .enumerate()
                .filter(|(_, g)| ordinary.contains(g))
                .map(|(k, _)| k)
                .collect();
            if let Some(k) = rng.pick(&current).copied() {
                u.group_ids.remove(k);
            }
            let options: Vec<&String> = ordinary.iter().filter(|g| !before.contains(g)).collect();
            if let Some(g) = rng.pick(&options) {
                u.group_ids.push((*g).clone());
            }
            let after = u.group_ids.clone();
            Ok(applied(u, kind, "group_ids", json!(before), json!(after)))
        }
        ChangeKind::SettingFlip => {
            let i = target(org, rng, user, kind, |u| u.id.is_some())?;
            let which = rng.below(5);
            let u = &mut org.users[i];
            let s = &mut u.settings;
            let (field, slot): (&str, &mut bool) = match which {
                0 => ("settings.in_meeting.waiting_room", &mut s.waiting_room),
                1 => ("settings.in_meeting.e2e_encryption", &mut s.e2e_encryption),
                2 => (
                    "settings.schedule_meeting.join_before_host",
                    &mut s.join_before_host,
                ),
                3 => (
                    "settings.meeting_authentication",
                    &mut s.meeting_authentication,
                ),
                _ => ("settings.recording.cloud_recording", &mut s.cloud_recording),
            };
            let before = *slot;
            *slot = !before;
            Ok(applied(u, kind, field, json!(before), json!(!before)))
        }
        ChangeKind::AdminSignIn | ChangeKind::AdminNewIp => {
            // Nothing in the org changes: the audit trail logs the sign-in.
            let i = target(org, rng, user, kind, |u| {
                u.id.is_some()
                    && u.status == UserStatus::Active
                    && (u.role_id == "0" || u.role_id == "1")
            })?;
            let u = &org.users[i];
            Ok(applied(u, kind, "sign_in", Value::Null, Value::Null))
        }
        ChangeKind::GroupOverride => group_override(org, rng, change.group.as_deref()),
        ChangeKind::Hire => {
            let new_user = hire(org, rng, user, now);
            let out = applied(&new_user, kind, "user", Value::Null, json!(new_user.email));
            org.users.push(new_user);
            Ok(out)
        }
    }
}

/// Turns one more of the named (or a picked) group's settings against the
/// account's.
fn group_override(
    org: &mut OrgSnapshot,
    rng: &mut Rng,
    group: Option<&str>,
) -> Result<ChangeApplied, ChangeError> {
    let k = match group {
        Some(name) => org
            .groups
            .iter()
            .position(|g| g.id == name || g.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| ChangeError::NotApplicable(format!("no group matches {name:?}")))?,
        None => {
            // Ordinary groups (not All Staff, not the two empty ones).
            let ordinary: Vec<usize> = (1..org.groups.len().saturating_sub(2)).collect();
            *rng.pick(&ordinary)
                .ok_or(ChangeError::NoEligibleUser("group_override"))?
        }
    };
    let account = org.account.clone();
    let g = org
        .groups
        .get_mut(k)
        .ok_or(ChangeError::NoEligibleUser("group_override"))?;
    let (path, before, after) = super::group_settings::override_next(&account, &mut g.settings)
        .ok_or_else(|| {
            ChangeError::NotApplicable(format!("group {} already departs on every setting", g.name))
        })?;
    Ok(ChangeApplied {
        change: ChangeKind::GroupOverride,
        user_key: format!("zoom_group:{}", g.id),
        email: String::new(),
        id: Some(g.id.clone()),
        field: format!("settings.{path}"),
        before,
        after,
    })
}

fn hire(org: &OrgSnapshot, rng: &mut Rng, email: Option<&str>, now: DateTime<Utc>) -> User {
    let first = rng.pick(names::FIRST_NAMES).copied().unwrap_or("Alex");
    let last = rng.pick(names::LAST_NAMES).copied().unwrap_or("Smith");
    let email = match email.filter(|e| e.contains('@')) {
        Some(e) => e.to_string(),
        None => {
            let base = format!("{}.{}", names::email_part(first), names::email_part(last));
            let base = if base.len() < 3 {
                "new.hire".to_string()
            } else {
                base
            };
            let mut n = org.users.len();
            loop {
                let candidate = format!("{base}.{n}@{ORG_DOMAIN}");
                if org.user_by_email(&candidate).is_none() {
                    break candidate;
                }
                n += 1;
            }
        }
    };
    let mut groups = Vec::new();
    if let Some(g) = org.groups.first() {
        groups.push(g.id.clone());
    }
    User {
        id: Some(rng.zoom_id()),
        email,
        first_name: first.to_string(),
        last_name: last.to_string(),
        display_name: format!("{first} {last}"),
        user_type: 2,
        status: UserStatus::Active,
        role_id: "2".into(),
        group_ids: groups,
        dept: rng
            .pick(names::DEPARTMENTS)
            .copied()
            .unwrap_or("")
            .to_string(),
        job_title: rng.pick(names::TITLES).copied().unwrap_or("").to_string(),
        location: rng
            .pick(names::LOCATIONS)
            .copied()
            .unwrap_or("")
            .to_string(),
        timezone: rng
            .pick(names::TIMEZONES)
            .copied()
            .unwrap_or("")
            .to_string(),
        language: "en-US".into(),
        pmi: 1_000_000_000 + rng.below(8_999_999_999),
        verified: 1,
        user_created_at: now,
        created_at: now,
        last_login_time: None,
        last_client_version: None,
        login_types: vec![101],
        employee_unique_id: None,
        host_key: rng.digits(6),
        manager: org.owner().map(|o| o.email.clone()),
        phone_number: String::new(),
        plan_united_type: Some("1".into()),
        cost_center: "CC-100".into(),
        settings: UserSecurity {
            waiting_room: true,
            e2e_encryption: false,
            join_before_host: false,
            require_password_for_scheduling_new_meetings: true,
            require_password_for_instant_meetings: true,
            require_password_for_pmi_meetings: "all",
            embed_password_in_join_link: true,
            passcode_min_length: 6,
            passcode_only_numeric: false,
            passcode_have_special_character: false,
            cloud_recording: true,
            local_recording: true,
            auto_recording: "none",
            file_transfer: false,
            remote_control: false,
            allow_live_streaming: false,
            who_can_share_screen: "host",
            meeting_authentication: false,
            recording_authentication: false,
            only_authenticated_can_join_from_webclient: false,
            pmi_password: rng.digits(6),
            default_password: rng.alnum(8),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::generate::generate;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap()
    }

    #[test]
    fn each_change_changes_what_it_says() {
        let mut org = generate(200, 1, at());
        let mut rng = Rng::new(1);
        for kind in ChangeKind::ALL {
            let before = org.clone();
            let a = apply(&mut org, &mut rng, &Change::new(kind), at()).unwrap();
            assert_ne!(before, org, "{kind:?}");
            assert_ne!(a.before, a.after, "{kind:?}");
        }
    }

    #[test]
    fn named_user_and_errors() {
        let mut org = generate(100, 2, at());
        let mut rng = Rng::new(2);
        let member = org
            .users
            .iter()
            .find(|u| u.role_id == "2" && u.id.is_some())
            .unwrap()
            .email
            .clone();
        let a = apply(&mut org, &mut rng, &Change::make_admin(&member), at()).unwrap();
        assert_eq!(a.email, member);
        assert_eq!(org.user_by_email(&member).unwrap().role_id, "1");
        assert!(matches!(
            apply(&mut org, &mut rng, &Change::make_admin("nobody@x"), at()),
            Err(ChangeError::NoSuchUser(_))
        ));
        let owner = org.owner().unwrap().email.clone();
        assert!(
            apply(
                &mut org,
                &mut rng,
                &Change::for_user(ChangeKind::Deactivate, owner),
                at()
            )
            .is_err()
        );
    }
}
