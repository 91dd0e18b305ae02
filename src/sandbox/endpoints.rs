//! The endpoints the sandbox serves, with their rate-limit category and the
//! scopes that authorise them, transcribed from Zoom's OpenAPI documents
//! (`x-macro-scopes` ∪ `x-granular-scopes`, "Rate Limit Label";
//! `docs/zoom-contract.md#scopes` and `#rate-limits`).

use serde::Serialize;

/// Zoom's rate-limit categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Category {
    Light,
    Medium,
    Heavy,
}

impl Category {
    pub const ALL: [Category; 3] = [Self::Light, Self::Medium, Self::Heavy];

    /// The `X-RateLimit-Category` header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "Light",
            Self::Medium => "Medium",
            Self::Heavy => "Heavy",
        }
    }

    pub(crate) fn slot(self) -> usize {
        match self {
            Self::Light => 0,
            Self::Medium => 1,
            Self::Heavy => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    ListUsers,
    GetUser,
    UserSettings,
    UsersSummary,
    ListGroups,
    GetGroup,
    GroupMembers,
    ListRoles,
    GetRole,
    RoleMembers,
    AccountSettings,
    AccountLockSettings,
    ManagedDomains,
    GroupAdmins,
    TrustedDomains,
    UserPermissions,
    OperationLogs,
    SignInActivities,
    /// `GET /groups/{groupId}/settings`.
    GroupSettings,
    /// `GET /groups/{groupId}/lock_settings`.
    GroupLockSettings,
}

impl Endpoint {
    pub fn category(self) -> Category {
        match self {
            Self::GetUser
            | Self::GetGroup
            | Self::GetRole
            | Self::ManagedDomains
            | Self::TrustedDomains
            | Self::UserPermissions => Category::Light,
            Self::ListUsers
            | Self::UserSettings
            | Self::UsersSummary
            | Self::ListGroups
            | Self::GroupMembers
            | Self::ListRoles
            | Self::RoleMembers
            | Self::GroupAdmins
            | Self::GroupSettings
            | Self::GroupLockSettings
            | Self::AccountSettings
            | Self::AccountLockSettings => Category::Medium,
            Self::OperationLogs | Self::SignInActivities => Category::Heavy,
        }
    }

    /// Classic ("macro") scopes that authorise the endpoint.
    pub fn macro_scopes(self) -> &'static [&'static str] {
        const USER: &[&str] = &[
            "user:read",
            "user:write",
            "user:read:admin",
            "user:write:admin",
        ];
        const GROUP: &[&str] = &["group:read:admin", "group:write:admin"];
        const ROLE: &[&str] = &["role:read:admin", "role:write:admin"];
        const ACCOUNT: &[&str] = &["account:read:admin"];
        match self {
            Self::ListUsers | Self::UserSettings | Self::UsersSummary => USER,
            Self::UserPermissions => &[
                "user:read",
                "user:write",
                "user:read:admin",
                "user:write:admin",
                "user_profile",
            ],
            Self::GetUser => &[
                "user:read",
                "user:write",
                "user:read:admin",
                "user:write:admin",
                "user_profile",
                "user_info:read",
            ],
            Self::ListGroups
            | Self::GetGroup
            | Self::GroupMembers
            | Self::GroupAdmins
            | Self::GroupSettings
            | Self::GroupLockSettings => GROUP,
            Self::ListRoles | Self::GetRole | Self::RoleMembers => ROLE,
            Self::AccountSettings
            | Self::AccountLockSettings
            | Self::ManagedDomains
            | Self::TrustedDomains => ACCOUNT,
            Self::OperationLogs | Self::SignInActivities => &["report:read:admin"],
        }
    }

    /// Granular scopes that authorise the endpoint.
    pub fn granular_scopes(self) -> &'static [&'static str] {
        match self {
            Self::ListUsers => &["user:read:list_users:admin"],
            Self::GetUser => &["user:read:user", "user:read:user:admin"],
            Self::UserSettings => &["user:read:settings", "user:read:settings:admin"],
            Self::UsersSummary => &["user:read:summary:admin"],
            Self::ListGroups => &["group:read:list_groups:admin"],
            Self::GetGroup => &["group:read:group:admin"],
            Self::GroupMembers => &["group:read:list_members:admin"],
            Self::ListRoles => &["role:read:list_roles", "role:read:list_roles:admin"],
            Self::GetRole => &["role:read:role", "role:read:role:admin"],
            Self::RoleMembers => &["role:read:list_members", "role:read:list_members:admin"],
            Self::AccountSettings => &[
                "account:read:settings:admin",
                "account:read:settings:master",
            ],
            Self::AccountLockSettings => &["account:read:lock_settings:master"],
            Self::ManagedDomains => &["account:read:managed_domains:master"],
            Self::GroupAdmins => &["group:read:administrator:admin"],
            Self::TrustedDomains => &["account:read:trusted_domains:master"],
            Self::UserPermissions => &[
                "user:read:list_permissions",
                "user:read:list_permissions:admin",
            ],
            Self::OperationLogs => &["report:read:operation_logs:admin"],
            Self::SignInActivities => &["report:read:user_activities:admin"],
            Self::GroupSettings => &["group:read:settings:admin"],
            Self::GroupLockSettings => &["group:read:lock_settings:admin"],
        }
    }

    /// True when one of `granted` authorises this endpoint.
    pub fn allowed_by<S: AsRef<str>>(self, granted: &[S]) -> bool {
        granted.iter().any(|g| {
            let g = g.as_ref();
            self.macro_scopes().contains(&g) || self.granular_scopes().contains(&g)
        })
    }

    /// `GET /roles` answers a missing scope with the older 4700 wording.
    pub fn missing_scope_error(self) -> (u32, String) {
        match self {
            Self::ListRoles => (4700, Self::scope_4700_message("role:read:admin")),
            _ => (4711, self.scope_4711_message()),
        }
    }

    fn scope_4711_message(self) -> String {
        format!(
            "Invalid access token, does not contain scopes:[{}].",
            self.granular_scopes().join(", ")
        )
    }

    fn scope_4700_message(scope: &str) -> String {
        format!("Invalid access token, does not contain {scope} scope.")
    }

    /// How a missing scope is answered under `style`: (HTTP status, code,
    /// message). Zoom answers 400 code 4711 today, 4700 in the older
    /// wording, 104 on some APIs, and sometimes 403.
    pub fn missing_scope_answer(self, style: ScopeErrorStyle) -> (u16, u32, String) {
        let first_classic = self.macro_scopes().first().copied().unwrap_or("admin");
        match style {
            ScopeErrorStyle::Zoom => {
                let (code, message) = self.missing_scope_error();
                (400, code, message)
            }
            ScopeErrorStyle::Code4711 => (400, 4711, self.scope_4711_message()),
            ScopeErrorStyle::Code4700 => (400, 4700, Self::scope_4700_message(first_classic)),
            ScopeErrorStyle::Code104 => (400, 104, self.scope_4711_message()),
            ScopeErrorStyle::Forbidden => (403, 4711, self.scope_4711_message()),
        }
    }

    /// `Some(message)` for endpoints a Free account cannot use: Zoom
    /// answers 400 code 200 (groups: "Pro or higher account"; account
    /// settings: "The account must be a paid account"; managed domains
    /// answered "No permission." on a real account).
    pub fn paid_only(self) -> Option<&'static str> {
        match self {
            Self::ListGroups
            | Self::GetGroup
            | Self::GroupMembers
            | Self::GroupAdmins
            | Self::GroupSettings
            | Self::GroupLockSettings => Some("Only available for Paid account."),
            Self::AccountSettings | Self::AccountLockSettings => {
                Some("Only available for paid accounts.")
            }
            Self::ManagedDomains | Self::TrustedDomains => Some("No permission."),
            // Reports need Pro or higher (`docs/zoom-contract.md#operation-logs-and-sign-in-activity`).
            Self::OperationLogs | Self::SignInActivities => {
                Some("Only available for Paid account.")
            }
            _ => None,
        }
    }
}

/// How the sandbox answers a request whose token lacks the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScopeErrorStyle {
    /// As Zoom does per endpoint: 400 code 4711, `GET /roles` code 4700.
    #[default]
    Zoom,
    /// 400 code 4711 everywhere.
    Code4711,
    /// 400 code 4700 ("does not contain <scope> scope.") everywhere.
    Code4700,
    /// 400 code 104 everywhere.
    Code104,
    /// 403 everywhere.
    Forbidden,
}

/// Classic read scopes (all endpoints).
pub const CLASSIC_READ_SCOPES: &[&str] = &[
    "user:read:admin",
    "group:read:admin",
    "role:read:admin",
    "account:read:admin",
    "report:read:admin",
];

/// Granular read scopes an S2S app would pick for these endpoints.
pub const GRANULAR_READ_SCOPES: &[&str] = &[
    "user:read:list_users:admin",
    "user:read:user:admin",
    "user:read:settings:admin",
    "user:read:summary:admin",
    "group:read:list_groups:admin",
    "group:read:group:admin",
    "group:read:list_members:admin",
    "role:read:list_roles:admin",
    "role:read:role:admin",
    "role:read:list_members:admin",
    "account:read:settings:admin",
    "account:read:lock_settings:master",
    "account:read:managed_domains:master",
    "group:read:administrator:admin",
    "account:read:trusted_domains:master",
    "user:read:list_permissions:admin",
    "report:read:operation_logs:admin",
    "report:read:user_activities:admin",
    "group:read:settings:admin",
    "group:read:lock_settings:admin",
];

/// The default grant: every read scope, classic and granular.
pub fn all_read_scopes() -> Vec<String> {
    CLASSIC_READ_SCOPES
        .iter()
        .chain(GRANULAR_READ_SCOPES)
        .map(|s| (*s).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granular_alone_authorises_each_endpoint() {
        let all = [
            Endpoint::ListUsers,
            Endpoint::GetUser,
            Endpoint::UserSettings,
            Endpoint::UsersSummary,
            Endpoint::ListGroups,
            Endpoint::GetGroup,
            Endpoint::GroupMembers,
            Endpoint::ListRoles,
            Endpoint::GetRole,
            Endpoint::RoleMembers,
            Endpoint::AccountSettings,
            Endpoint::AccountLockSettings,
            Endpoint::ManagedDomains,
            Endpoint::GroupAdmins,
            Endpoint::TrustedDomains,
            Endpoint::UserPermissions,
            Endpoint::OperationLogs,
            Endpoint::SignInActivities,
            Endpoint::GroupSettings,
            Endpoint::GroupLockSettings,
        ];
        for e in all {
            assert!(e.allowed_by(GRANULAR_READ_SCOPES), "{e:?}");
            assert!(e.allowed_by(CLASSIC_READ_SCOPES), "{e:?}");
            assert!(!e.allowed_by(&["meeting:read:admin"]), "{e:?}");
        }
    }
}
