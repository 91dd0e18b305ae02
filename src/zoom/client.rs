//! The HTTP client. SKELETON: signatures are the contract; bodies to be written.

use std::sync::Arc;
use std::time::Duration;

use super::Secret;
use super::error::ZoomError;
use super::models::*;

/// Zoom plan, which sets the per-category rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Pro,
    #[default]
    Business,
}

/// Rate-limit category ("Rate Limit Label") of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateCategory {
    Light,
    Medium,
    Heavy,
}

/// Everything the client needs. `api_url` defaults to `https://api.zoom.us/v2`,
/// `oauth_url` to `https://zoom.us`; plain http only to loopback addresses.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub account_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub api_url: String,
    pub oauth_url: String,
    pub plan: Plan,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries for 5xx, timeouts and dropped connections.
    pub max_retries: u32,
}

impl ClientConfig {
    pub const DEFAULT_API_URL: &'static str = "https://api.zoom.us/v2";
    pub const DEFAULT_OAUTH_URL: &'static str = "https://zoom.us";

    pub fn new(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> Self {
        ClientConfig {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret,
            api_url: Self::DEFAULT_API_URL.into(),
            oauth_url: Self::DEFAULT_OAUTH_URL.into(),
            plan: Plan::Business,
            timeout: Duration::from_secs(30),
            max_retries: 5,
        }
    }
}

/// Progress of one listing, reported after each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// Items received so far (after de-duplication).
    pub fetched: usize,
    /// `total_records` as the API reported it, when it did.
    pub total: Option<u64>,
}

/// Page callback used by listings to report progress.
pub type OnPage<'a> = &'a (dyn Fn(PageInfo) + Send + Sync);

/// A cheap-to-clone handle; clones share the token and the limiters.
#[derive(Clone)]
pub struct ZoomClient {
    #[allow(dead_code)]
    inner: Arc<()>,
}

fn todo<T>() -> Result<T, ZoomError> {
    Err(ZoomError::Config("not implemented yet".into()))
}

impl ZoomClient {
    pub fn new(_config: ClientConfig) -> Result<Self, ZoomError> {
        todo()
    }

    /// The scopes granted to the current token (fetching a token if needed).
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ZoomError> {
        todo()
    }

    /// `GET /users?status=…`, all pages.
    pub async fn list_users(
        &self,
        _status: UserStatus,
        _on_page: OnPage<'_>,
    ) -> Result<Vec<User>, ZoomError> {
        todo()
    }

    /// `GET /users/{userId}` (an id, an e-mail, or `me`).
    pub async fn get_user(&self, _user_id: &str) -> Result<User, ZoomError> {
        todo()
    }

    /// `GET /users/{userId}/settings[?option=…]`.
    pub async fn user_settings(
        &self,
        _user_id: &str,
        _option: UserSettingsOption,
    ) -> Result<Settings, ZoomError> {
        todo()
    }

    /// `GET /users/summary`.
    pub async fn users_summary(&self) -> Result<UsersSummary, ZoomError> {
        todo()
    }

    /// `GET /groups`, all pages.
    pub async fn list_groups(&self, _on_page: OnPage<'_>) -> Result<Vec<Group>, ZoomError> {
        todo()
    }

    /// `GET /groups/{groupId}/members`, all pages.
    pub async fn list_group_members(
        &self,
        _group_id: &str,
        _on_page: OnPage<'_>,
    ) -> Result<Vec<GroupMember>, ZoomError> {
        todo()
    }

    /// `GET /roles` (type `common`; the endpoint is not paged).
    pub async fn list_roles(&self) -> Result<Vec<Role>, ZoomError> {
        todo()
    }

    /// `GET /roles/{roleId}`, with privileges.
    pub async fn get_role(&self, _role_id: &str) -> Result<RoleDetail, ZoomError> {
        todo()
    }

    /// `GET /roles/{roleId}/members`, all pages.
    pub async fn list_role_members(
        &self,
        _role_id: &str,
        _on_page: OnPage<'_>,
    ) -> Result<Vec<RoleMember>, ZoomError> {
        todo()
    }

    /// `GET /accounts/me/settings[?option=security]`. `option` is `None` or `Some("security")`
    /// (or another value the API accepts).
    pub async fn account_settings(&self, _option: Option<&str>) -> Result<Settings, ZoomError> {
        todo()
    }

    /// `GET /accounts/me/lock_settings`.
    pub async fn account_lock_settings(&self) -> Result<Settings, ZoomError> {
        todo()
    }

    /// `GET /accounts/me/managed_domains`.
    pub async fn managed_domains(&self) -> Result<Vec<ManagedDomain>, ZoomError> {
        todo()
    }
}
