//! The endpoints zoomscope calls, with what Zoom's OpenAPI documents say
//! about each: rate-limit category (`docs/zoom-contract.md#rate-limits`),
//! accepted scopes (`#scopes`) and the largest `page_size` the endpoint
//! accepts (`#pagination`).
//!
//! One table, so the scope pre-check, the limiter and the pager cannot
//! disagree about an endpoint.

use std::collections::HashSet;

use super::client::RateCategory;

/// An API operation (not a concrete URL: `/users/{userId}` is one endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    ListUsers,
    GetUser,
    UserSettings,
    UsersSummary,
    ListGroups,
    ListGroupMembers,
    ListRoles,
    GetRole,
    ListRoleMembers,
    AccountSettings,
    AccountLockSettings,
    ManagedDomains,
    /// `GET /groups/{groupId}/admins`.
    ListGroupAdmins,
    /// `GET /accounts/{accountId}/trusted_domains`.
    TrustedDomains,
    /// `GET /users/{userId}/permissions`.
    UserPermissions,
    /// `GET /report/operationlogs` (the admin change log).
    OperationLogs,
    /// `GET /report/activities` (sign-in and sign-out activity).
    SignInActivities,
    /// `GET /groups/{groupId}/settings`.
    GroupSettings,
    /// `GET /groups/{groupId}/lock_settings`.
    GroupLockSettings,
}

impl Endpoint {
    #[cfg(test)]
    pub(crate) const ALL: [Endpoint; 19] = [
        Endpoint::ListUsers,
        Endpoint::GetUser,
        Endpoint::UserSettings,
        Endpoint::UsersSummary,
        Endpoint::ListGroups,
        Endpoint::ListGroupMembers,
        Endpoint::ListRoles,
        Endpoint::GetRole,
        Endpoint::ListRoleMembers,
        Endpoint::AccountSettings,
        Endpoint::AccountLockSettings,
        Endpoint::ManagedDomains,
        Endpoint::ListGroupAdmins,
        Endpoint::TrustedDomains,
        Endpoint::UserPermissions,
        Endpoint::OperationLogs,
        Endpoint::SignInActivities,
        Endpoint::GroupSettings,
        Endpoint::GroupLockSettings,
    ];

    /// "Rate Limit Label" from the API reference (`docs/zoom-contract.md#rate-limits`).
    pub fn category(self) -> RateCategory {
        match self {
            Endpoint::GetUser
            | Endpoint::GetRole
            | Endpoint::ManagedDomains
            | Endpoint::TrustedDomains
            | Endpoint::UserPermissions => RateCategory::Light,
            Endpoint::ListUsers
            | Endpoint::UserSettings
            | Endpoint::UsersSummary
            | Endpoint::ListGroups
            | Endpoint::ListGroupMembers
            | Endpoint::ListRoles
            | Endpoint::ListRoleMembers
            | Endpoint::ListGroupAdmins
            | Endpoint::GroupSettings
            | Endpoint::GroupLockSettings
            | Endpoint::AccountSettings
            | Endpoint::AccountLockSettings => RateCategory::Medium,
            Endpoint::OperationLogs | Endpoint::SignInActivities => RateCategory::Heavy,
        }
    }

    /// Largest `page_size` the spec's parameter schema allows, for paged
    /// endpoints. (`/roles` is not paged.)
    pub fn max_page_size(self) -> Option<u32> {
        match self {
            Endpoint::ListUsers | Endpoint::ListGroupMembers => Some(2000),
            Endpoint::ListGroups | Endpoint::ListRoleMembers => Some(300),
            // The spec gives no maximum; 300 is what its sibling listings take.
            Endpoint::ListGroupAdmins => Some(300),
            Endpoint::OperationLogs | Endpoint::SignInActivities => Some(300),
            _ => None,
        }
    }

    /// Classic ("macro") scopes that authorise the call (`x-macro-scopes`).
    pub fn classic_scopes(self) -> &'static [&'static str] {
        const USER: &[&str] = &[
            "user:read:admin",
            "user:write:admin",
            "user:read",
            "user:write",
        ];
        const GROUP: &[&str] = &["group:read:admin", "group:write:admin"];
        const ROLE: &[&str] = &["role:read:admin", "role:write:admin"];
        const ACCOUNT: &[&str] = &["account:read:admin"];
        match self {
            Endpoint::ListUsers | Endpoint::UserSettings | Endpoint::UsersSummary => USER,
            Endpoint::UserPermissions => &[
                "user:read:admin",
                "user:write:admin",
                "user:read",
                "user:write",
                "user_profile",
            ],
            Endpoint::GetUser => &[
                "user:read:admin",
                "user:write:admin",
                "user:read",
                "user:write",
                "user_profile",
                // The spec accepts it only for `me`; the server decides the rest.
                "user_info:read",
            ],
            Endpoint::ListGroups
            | Endpoint::ListGroupMembers
            | Endpoint::ListGroupAdmins
            | Endpoint::GroupSettings
            | Endpoint::GroupLockSettings => GROUP,
            Endpoint::ListRoles | Endpoint::GetRole | Endpoint::ListRoleMembers => ROLE,
            Endpoint::AccountSettings
            | Endpoint::AccountLockSettings
            | Endpoint::ManagedDomains
            | Endpoint::TrustedDomains => ACCOUNT,
            Endpoint::OperationLogs | Endpoint::SignInActivities => &["report:read:admin"],
        }
    }

    /// Granular scopes that authorise the call (`x-granular-scopes`), the
    /// account-wide `:admin` form first (what an S2S app normally holds).
    ///
    /// For lock settings and managed domains the spec lists only `:master`
    /// names; the `:admin` variant is added because integrations document
    /// it (Steampipe) and refusing a call the server would accept is worse
    /// than letting the server answer 4711.
    pub fn granular_scopes(self) -> &'static [&'static str] {
        match self {
            Endpoint::ListUsers => &["user:read:list_users:admin"],
            Endpoint::GetUser => &["user:read:user:admin", "user:read:user"],
            Endpoint::UserSettings => &["user:read:settings:admin", "user:read:settings"],
            Endpoint::UsersSummary => &["user:read:summary:admin"],
            Endpoint::ListGroups => &["group:read:list_groups:admin"],
            Endpoint::ListGroupMembers => &["group:read:list_members:admin"],
            Endpoint::ListRoles => &["role:read:list_roles:admin", "role:read:list_roles"],
            Endpoint::GetRole => &["role:read:role:admin", "role:read:role"],
            Endpoint::ListRoleMembers => {
                &["role:read:list_members:admin", "role:read:list_members"]
            }
            Endpoint::AccountSettings => &[
                "account:read:settings:admin",
                "account:read:settings:master",
            ],
            Endpoint::AccountLockSettings => &[
                "account:read:lock_settings:admin",
                "account:read:lock_settings:master",
            ],
            Endpoint::ManagedDomains => &[
                "account:read:managed_domains:admin",
                "account:read:managed_domains:master",
            ],
            Endpoint::ListGroupAdmins => &["group:read:administrator:admin"],
            Endpoint::UserPermissions => &[
                "user:read:list_permissions:admin",
                "user:read:list_permissions",
            ],
            // As for managed domains: the spec lists only `:master`.
            Endpoint::TrustedDomains => &[
                "account:read:trusted_domains:admin",
                "account:read:trusted_domains:master",
            ],
            Endpoint::OperationLogs => &["report:read:operation_logs:admin"],
            Endpoint::SignInActivities => &["report:read:user_activities:admin"],
            Endpoint::GroupSettings => &["group:read:settings:admin"],
            Endpoint::GroupLockSettings => &["group:read:lock_settings:admin"],
        }
    }

    /// Every scope that authorises the call: granular first (the names a
    /// current app can pick), then classic.
    pub fn accepted_scopes(self) -> Vec<String> {
        self.granular_scopes()
            .iter()
            .chain(self.classic_scopes())
            .map(|s| (*s).to_string())
            .collect()
    }

    /// `Some(accepted scopes)` when `granted` authorises none of them.
    /// Any one accepted scope suffices (an app is either classic or granular).
    pub fn missing_scopes(self, granted: &GrantedScopes) -> Option<Vec<String>> {
        let ok = self
            .granular_scopes()
            .iter()
            .chain(self.classic_scopes())
            .any(|s| granted.contains(s));
        if ok {
            None
        } else {
            Some(self.accepted_scopes())
        }
    }
}

/// The scopes of an access token, parsed from the token response's `scope`
/// string (space-separated; Zoom has been seen with commas too, so both split).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantedScopes {
    /// In the order the token listed them, without duplicates.
    list: Vec<String>,
    set: HashSet<String>,
}

impl GrantedScopes {
    pub fn parse(scope: &str) -> Self {
        let mut out = GrantedScopes::default();
        for s in scope
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
        {
            if out.set.insert(s.to_string()) {
                out.list.push(s.to_string());
            }
        }
        out
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.set.contains(scope)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn as_list(&self) -> &[String] {
        &self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_token_authorises_every_endpoint() {
        let g = GrantedScopes::parse(
            "user:read:admin account:read:admin group:read:admin role:read:admin report:read:admin",
        );
        for e in Endpoint::ALL {
            assert_eq!(e.missing_scopes(&g), None, "{e:?}");
        }
    }

    #[test]
    fn granular_token_authorises_only_its_endpoints() {
        let g = GrantedScopes::parse("user:read:list_users:admin user:read:user:admin");
        assert_eq!(Endpoint::ListUsers.missing_scopes(&g), None);
        assert_eq!(Endpoint::GetUser.missing_scopes(&g), None);
        let missing = Endpoint::ListGroups.missing_scopes(&g).unwrap();
        assert!(missing.contains(&"group:read:list_groups:admin".to_string()));
        assert!(missing.contains(&"group:read:admin".to_string()));
        assert_eq!(missing[0], "group:read:list_groups:admin");
        assert!(Endpoint::UserSettings.missing_scopes(&g).is_some());
        assert!(Endpoint::AccountSettings.missing_scopes(&g).is_some());
    }

    #[test]
    fn user_level_scopes_from_the_spec_are_accepted() {
        let g = GrantedScopes::parse("user:read:settings role:read:list_roles");
        assert_eq!(Endpoint::UserSettings.missing_scopes(&g), None);
        assert_eq!(Endpoint::ListRoles.missing_scopes(&g), None);
        assert!(Endpoint::ListUsers.missing_scopes(&g).is_some());
    }

    #[test]
    fn write_scopes_imply_read_where_the_spec_lists_them() {
        let g = GrantedScopes::parse("group:write:admin");
        assert_eq!(Endpoint::ListGroupMembers.missing_scopes(&g), None);
        assert!(Endpoint::ListRoles.missing_scopes(&g).is_some());
    }

    #[test]
    fn scope_string_parsing_tolerates_extra_separators() {
        let g = GrantedScopes::parse("  a:b  c:d,e:f a:b ");
        assert_eq!(g.as_list(), ["a:b", "c:d", "e:f"]);
        assert!(GrantedScopes::parse("").is_empty());
    }

    #[test]
    fn categories_and_page_sizes_follow_the_spec() {
        assert_eq!(Endpoint::GetUser.category(), RateCategory::Light);
        assert_eq!(Endpoint::ManagedDomains.category(), RateCategory::Light);
        assert_eq!(Endpoint::ListUsers.category(), RateCategory::Medium);
        assert_eq!(Endpoint::UserSettings.category(), RateCategory::Medium);
        assert_eq!(Endpoint::ListUsers.max_page_size(), Some(2000));
        assert_eq!(Endpoint::ListGroupMembers.max_page_size(), Some(2000));
        assert_eq!(Endpoint::ListGroups.max_page_size(), Some(300));
        assert_eq!(Endpoint::ListRoleMembers.max_page_size(), Some(300));
        assert_eq!(Endpoint::ListRoles.max_page_size(), None);
        assert_eq!(Endpoint::GroupSettings.category(), RateCategory::Medium);
        assert_eq!(Endpoint::GroupLockSettings.category(), RateCategory::Medium);
        assert_eq!(Endpoint::GroupSettings.max_page_size(), None);
    }
}
