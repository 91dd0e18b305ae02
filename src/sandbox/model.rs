//! The sandbox's own model of a Zoom account: the ground truth that tests
//! compare the client's results against. Deliberately independent of
//! `crate::zoom` (see the module docs of `sandbox`).

use chrono::{DateTime, Utc};
use serde::Serialize;

/// `active`, `inactive` or `pending` (pending users have no id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    Active,
    Inactive,
    Pending,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [Self::Active, Self::Inactive, Self::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
            Self::Pending => "pending",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "inactive" => Some(Self::Inactive),
            "pending" => Some(Self::Pending),
            _ => None,
        }
    }

    pub(crate) fn slot(self) -> usize {
        match self {
            Self::Active => 0,
            Self::Inactive => 1,
            Self::Pending => 2,
        }
    }
}

/// The security-relevant part of a user's settings. The full settings body
/// is rendered from this on request (see `settings.rs`), which keeps 200,000
/// users cheap in memory and lets `setting_flip` change one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSecurity {
    pub waiting_room: bool,
    pub e2e_encryption: bool,
    pub join_before_host: bool,
    pub require_password_for_scheduling_new_meetings: bool,
    pub require_password_for_instant_meetings: bool,
    /// `all`, `jbh_only` or `none`.
    pub require_password_for_pmi_meetings: &'static str,
    pub embed_password_in_join_link: bool,
    pub passcode_min_length: u8,
    pub passcode_only_numeric: bool,
    pub passcode_have_special_character: bool,
    pub cloud_recording: bool,
    pub local_recording: bool,
    /// `local`, `cloud` or `none`.
    pub auto_recording: &'static str,
    pub file_transfer: bool,
    pub remote_control: bool,
    pub allow_live_streaming: bool,
    /// `host` or `all`.
    pub who_can_share_screen: &'static str,
    pub meeting_authentication: bool,
    pub recording_authentication: bool,
    pub only_authenticated_can_join_from_webclient: bool,
    /// Secret: the PMI passcode (appears as `pmi_password` and
    /// `password_for_pmi`), so that redaction is testable.
    pub pmi_password: String,
    /// Secret: `default_password_for_scheduled_meetings`.
    pub default_password: String,
}

/// A Zoom user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// None for pending users (Zoom sends no id for them).
    pub id: Option<String>,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    /// 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None.
    pub user_type: u8,
    pub status: UserStatus,
    pub role_id: String,
    pub group_ids: Vec<String>,
    pub dept: String,
    pub job_title: String,
    pub location: String,
    pub timezone: String,
    pub language: String,
    pub pmi: u64,
    pub verified: u8,
    pub user_created_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub last_login_time: Option<DateTime<Utc>>,
    pub last_client_version: Option<String>,
    /// 100 Zoom work email, 101 SSO, 1 Google, 27 Microsoft, …
    pub login_types: Vec<u16>,
    /// Set on some SSO users; equals the HR roster's `employee_id`.
    pub employee_unique_id: Option<String>,
    pub host_key: String,
    pub manager: Option<String>,
    pub phone_number: String,
    pub plan_united_type: Option<String>,
    pub cost_center: String,
    pub settings: UserSecurity,
}

impl User {
    /// The graph's key for this user: `zoom_user:<id>`, or
    /// `zoom_user:pending:<lower-cased email>` for pending users.
    pub fn key(&self) -> String {
        match &self.id {
            Some(id) => format!("zoom_user:{id}"),
            None => format!("zoom_user:pending:{}", self.email.to_lowercase()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// 1–3.
    pub directory_privacy: u8,
    pub in_directory: bool,
    /// Where the group's settings differ from the account's (most groups:
    /// nowhere). `GET /groups/{id}/settings` and `/lock_settings` render the
    /// account's and apply these (see `settings.rs`).
    pub settings: GroupSettings,
}

/// A group's departures from the account's settings, by Zoom's JSON path
/// (`in_meeting.waiting_room`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupSettings {
    /// Path → the group's value.
    pub values: std::collections::BTreeMap<String, serde_json::Value>,
    /// Path → the group's lock (true: locked for the group's members).
    pub locks: std::collections::BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: String,
    /// `common` for all generated roles.
    pub role_type: String,
    pub privileges: Vec<String>,
}

/// Account-level security values (rendered into `/accounts/me/settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSecurity {
    /// `all`, `group`, `role` or `none` (generated: never `all`).
    pub sign_in_with_two_factor_auth: &'static str,
    pub sign_in_with_two_factor_auth_groups: Vec<String>,
    pub sign_in_with_two_factor_auth_roles: Vec<String>,
    pub sso_enabled: bool,
    pub require_sso_for_domains: bool,
    pub sso_domains: Vec<String>,
    pub sso_bypass_users: Vec<String>,
    pub minimum_password_length: u8,
    pub password_have_special_character: bool,
    pub waiting_room: bool,
    pub e2e_encryption: bool,
    pub require_password_for_scheduling_new_meetings: bool,
    pub cloud_recording: bool,
    pub allow_live_streaming: bool,
    pub admin_change_name_pic: bool,
    pub hide_billing_info: bool,
    pub sign_again_period_for_inactivity_on_client: u32,
}

/// Which account settings are locked (true = locked at account level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockSettings {
    pub waiting_room: bool,
    pub e2e_encryption: bool,
    pub require_password_for_scheduled_meetings: bool,
    pub cloud_recording: bool,
    pub local_recording: bool,
    pub auto_recording: bool,
    pub file_transfer: bool,
    pub screen_sharing: bool,
    pub chat: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagedDomain {
    pub domain: String,
    /// `verified` or `pending`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub account_id: String,
    pub account_number: u64,
    pub account_name: String,
    /// The org's primary email domain.
    pub domain: String,
    /// An alias of `domain`: the HR roster writes some emails with it
    /// (`x@alias_domain` is the same person as `x@domain`).
    pub alias_domain: String,
    /// Domain of contractors' Zoom accounts (never in the HR roster).
    pub contractor_domain: String,
    pub cluster: String,
    pub plan: String,
    pub created_at: DateTime<Utc>,
    pub security: AccountSecurity,
    pub lock_settings: LockSettings,
    pub managed_domains: Vec<ManagedDomain>,
}

/// The whole generated org: ground truth for tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgSnapshot {
    pub seed: u64,
    /// The instant generation treated as "now" (UTC midnight of the day by
    /// default), so last-login ages are stable for a day.
    pub reference_time: DateTime<Utc>,
    pub account: Account,
    /// Owner first, then generation order (the order `GET /users` lists).
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
}

impl OrgSnapshot {
    pub fn owner(&self) -> Option<&User> {
        self.users.iter().find(|u| u.role_id == "0")
    }

    pub fn users_with_status(&self, status: UserStatus) -> impl Iterator<Item = &User> {
        self.users.iter().filter(move |u| u.status == status)
    }

    pub fn count(&self, status: UserStatus) -> usize {
        self.users_with_status(status).count()
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id.as_deref() == Some(id))
    }

    /// Users listed by `GET /groups/{id}/members` (members that have an id).
    pub fn group_members(&self, group_id: &str) -> Vec<&User> {
        self.users
            .iter()
            .filter(|u| u.id.is_some() && u.group_ids.iter().any(|g| g == group_id))
            .collect()
    }

    /// Users listed by `GET /roles/{id}/members` (members that have an id).
    pub fn role_members(&self, role_id: &str) -> Vec<&User> {
        self.users
            .iter()
            .filter(|u| u.id.is_some() && u.role_id == role_id)
            .collect()
    }
}
