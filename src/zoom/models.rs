//! Zoom API models. Each is built from a JSON object by a tolerant reader:
//! missing fields and nulls become `None`/empty, unknown enum values are kept
//! as `Unknown`, extra fields are ignored, and the raw object is kept in `raw`.
//! Only a body that is not a JSON object at all (or lacks a field Zoom marks
//! required and we need, such as a user's `email`) is an error.
//!
//! CONTRACT: field names below are used by the graph builder and sync.

use serde_json::Value;

/// User status. The API defaults `status` to `active`; zoomscope asks for all three.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserStatus {
    Active,
    Inactive,
    Pending,
    Unknown(String),
}

impl UserStatus {
    pub const LISTED: [UserStatus; 3] = [
        UserStatus::Active,
        UserStatus::Inactive,
        UserStatus::Pending,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Inactive => "inactive",
            UserStatus::Pending => "pending",
            UserStatus::Unknown(s) => s,
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "active" => UserStatus::Active,
            "inactive" => UserStatus::Inactive,
            "pending" => UserStatus::Pending,
            other => UserStatus::Unknown(other.to_string()),
        }
    }
}

/// User type: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserType {
    Basic,
    Licensed,
    OnPrem,
    UnassignedWithoutMeetingsBasic,
    None,
    Unknown(i64),
}

impl UserType {
    pub fn from_code(c: i64) -> Self {
        match c {
            1 => UserType::Basic,
            2 => UserType::Licensed,
            3 => UserType::OnPrem,
            4 => UserType::UnassignedWithoutMeetingsBasic,
            99 => UserType::None,
            other => UserType::Unknown(other),
        }
    }
    pub fn code(self) -> i64 {
        match self {
            UserType::Basic => 1,
            UserType::Licensed => 2,
            UserType::OnPrem => 3,
            UserType::UnassignedWithoutMeetingsBasic => 4,
            UserType::None => 99,
            UserType::Unknown(c) => c,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            UserType::Basic => "Basic",
            UserType::Licensed => "Licensed",
            UserType::OnPrem => "On-prem",
            UserType::UnassignedWithoutMeetingsBasic => "Unassigned",
            UserType::None => "None",
            UserType::Unknown(_) => "Unknown",
        }
    }
}

/// A user from `GET /users` (list item) or `GET /users/{id}` (detail; more fields set).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Absent for pending users.
    pub id: Option<String>,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub user_type: Option<UserType>,
    pub status: Option<UserStatus>,
    pub role_id: Option<String>,
    pub role_name: Option<String>,
    pub dept: Option<String>,
    pub group_ids: Vec<String>,
    pub im_group_ids: Vec<String>,
    pub pmi: Option<i64>,
    pub timezone: Option<String>,
    pub verified: Option<i64>,
    pub created_at: Option<String>,
    pub user_created_at: Option<String>,
    pub last_login_time: Option<String>,
    pub last_client_version: Option<String>,
    pub pic_url: Option<String>,
    pub language: Option<String>,
    pub phone_number: Option<String>,
    pub employee_unique_id: Option<String>,
    pub plan_united_type: Option<String>,
    pub login_types: Vec<i64>,
    pub account_id: Option<String>,
    pub account_number: Option<i64>,
    pub job_title: Option<String>,
    pub location: Option<String>,
    pub manager: Option<String>,
    pub cluster: Option<String>,
    /// The whole JSON object as received.
    pub raw: Value,
}

/// A group from `GET /groups`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: Option<String>,
    pub total_members: Option<u64>,
    pub in_directory: Option<bool>,
    pub directory_privacy: Option<i64>,
    pub raw: Value,
}

/// A member from `GET /groups/{id}/members`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMember {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub user_type: Option<UserType>,
    pub primary_group: Option<bool>,
    pub raw: Value,
}

/// A role from `GET /roles`.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role_type: Option<String>,
    pub total_members: Option<u64>,
    pub raw: Value,
}

/// A role from `GET /roles/{id}`, with its privileges.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleDetail {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role_type: Option<String>,
    pub total_members: Option<u64>,
    pub privileges: Vec<String>,
    pub raw: Value,
}

/// A member from `GET /roles/{id}/members`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMember {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub user_type: Option<UserType>,
    pub department: Option<String>,
    pub raw: Value,
}

/// `GET /users/summary`.
#[derive(Debug, Clone, PartialEq)]
pub struct UsersSummary {
    pub licensed_users_count: Option<u64>,
    pub basic_users_count: Option<u64>,
    pub on_prem_users_count: Option<u64>,
    pub room_users_count: Option<u64>,
    pub pending_users_count: Option<u64>,
    pub join_only_users_count: Option<u64>,
    pub total_users_count: Option<u64>,
    pub raw: Value,
}

/// One item of `GET /accounts/me/managed_domains`.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedDomain {
    pub domain: String,
    pub status: Option<String>,
    pub raw: Value,
}

/// The `option` query of `GET /users/{id}/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserSettingsOption {
    /// No `option`: the main settings object.
    Main,
    MeetingAuthentication,
    RecordingAuthentication,
    MeetingSecurity,
}

impl UserSettingsOption {
    pub const ALL: [UserSettingsOption; 4] = [
        UserSettingsOption::Main,
        UserSettingsOption::MeetingAuthentication,
        UserSettingsOption::RecordingAuthentication,
        UserSettingsOption::MeetingSecurity,
    ];
    pub fn query_value(self) -> Option<&'static str> {
        match self {
            UserSettingsOption::Main => None,
            UserSettingsOption::MeetingAuthentication => Some("meeting_authentication"),
            UserSettingsOption::RecordingAuthentication => Some("recording_authentication"),
            UserSettingsOption::MeetingSecurity => Some("meeting_security"),
        }
    }
}

/// Settings bodies (user, account, lock) are kept as JSON: their keys come
/// and go between accounts and over time. The graph layer flattens and
/// redacts them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub raw: Value,
}
