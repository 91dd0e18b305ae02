//! The public client: configuration, construction and one method per endpoint.
//! The machinery lives in `http` (requests, retries), `paging`, `token`,
//! `ratelimit` and `endpoint` (the per-endpoint table).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::Secret;
use super::base_url;
use super::endpoint::Endpoint;
use super::error::ZoomError;
use super::http::{ClientStats, Inner, Stats};
use super::lenient;
use super::models::*;
pub use super::paging::PageItems;
use super::paging::{BadItems, Listing, list_all, list_each, list_each_isolated};
use super::ratelimit::Limiter;
use super::redact::Redactor;
use super::token::TokenCache;

/// Zoom plan, which sets the ceilings of the per-category rate limits.
/// The default is Pro, the smallest paid plan: a client that assumed
/// Business+ (three times Pro's Medium limit) on a Pro account spends most
/// of its requests on 429s. `business` raises the ceilings; the adaptive
/// limiter finds what other apps on the account leave below them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    #[default]
    Pro,
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
            plan: Plan::default(),
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

/// A cheap-to-clone handle; clones share the token, the limiters and the
/// connection pool.
#[derive(Clone)]
pub struct ZoomClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ZoomClient {
    // Hand-written so no secret or token can ever be printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoomClient")
            .field("api_url", &self.inner.api_url.as_str())
            .field("token_url", &self.inner.token_url.as_str())
            .field("account_id", &self.inner.account_id)
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &self.inner.client_secret)
            .field("plan", &self.inner.plan)
            .finish_non_exhaustive()
    }
}

/// A no-op page callback, for callers that do not show progress.
pub fn no_progress(_: PageInfo) {}

fn key_of_user(u: &User) -> String {
    u.dedup_key()
}
fn key_of_group(g: &Group) -> String {
    g.id.clone()
}
fn key_of_group_member(m: &GroupMember) -> String {
    m.id.clone()
}
fn key_of_role_member(m: &RoleMember) -> String {
    m.id.clone()
}
/// Log items have no id: the whole item is its identity (a page boundary
/// that moves as new entries arrive repeats items; these drop them).
fn key_of_operation_log(e: &OperationLog) -> String {
    e.raw.to_string()
}
fn key_of_sign_in(e: &SignInActivity) -> String {
    e.raw.to_string()
}
fn key_of_group_admin(a: &GroupAdmin) -> String {
    a.email.to_lowercase()
}

/// A body's list of strings under `key` (`{"trusted_domains": [...]}`,
/// `{"permissions": [...]}`): a body of another shape is `Malformed`, a
/// non-string item is left out.
fn string_list(endpoint: &str, v: &Value, key: &str) -> Result<Vec<String>, ZoomError> {
    let malformed = |detail: String| ZoomError::Malformed {
        endpoint: endpoint.to_string(),
        detail,
    };
    let Value::Object(o) = v else {
        return Err(malformed(format!(
            "the body is {}, not an object",
            lenient::kind(v)
        )));
    };
    match o.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect()),
        Some(other) => Err(malformed(format!(
            "`{key}` is {}, not a list",
            lenient::kind(other)
        ))),
    }
}

/// One JSON body as a model, or `Malformed` naming the endpoint.
fn model<T: FromJson>(endpoint: &str, v: Value) -> Result<T, ZoomError> {
    T::from_json(v).map_err(|detail| ZoomError::Malformed {
        endpoint: endpoint.to_string(),
        detail,
    })
}

/// An unpaged list body (`{roles: [...]}`, `{domains: [...]}`) as models.
fn model_list<T: FromJson>(endpoint: &str, v: Value, key: &str) -> Result<Vec<T>, ZoomError> {
    let malformed = |detail: String| ZoomError::Malformed {
        endpoint: endpoint.to_string(),
        detail,
    };
    let Value::Object(mut o) = v else {
        return Err(malformed(format!(
            "the body is {}, not an object",
            lenient::kind(&v)
        )));
    };
    let items = match o.remove(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(malformed(format!(
                "`{key}` is {}, not an array",
                lenient::kind(&other)
            )));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| T::from_json(v).map_err(|e| malformed(format!("item {}: {e}", i + 1))))
        .collect()
}

/// Path segment and value checks: ids come from Zoom or the user and go
/// into URLs; an empty one would silently address a different resource.
fn non_empty<'a>(what: &str, v: &'a str) -> Result<&'a str, ZoomError> {
    let t = v.trim();
    if t.is_empty() {
        Err(ZoomError::Config(format!("{what} is empty")))
    } else {
        Ok(t)
    }
}

impl ZoomClient {
    pub fn new(config: ClientConfig) -> Result<Self, ZoomError> {
        let api_url = base_url::validate("api_url", &config.api_url)?;
        let oauth_url = base_url::validate("oauth_url", &config.oauth_url)?;
        let mut token_url = oauth_url.clone();
        if let Ok(mut p) = token_url.path_segments_mut() {
            p.pop_if_empty().extend(["oauth", "token"]);
        }
        let account_id = non_empty("account_id", &config.account_id)?.to_string();
        let client_id = non_empty("client_id", &config.client_id)?.to_string();
        if config.client_secret.expose().trim().is_empty() {
            return Err(ZoomError::Config("client_secret is empty".into()));
        }
        let timeout = if config.timeout.is_zero() {
            Duration::from_secs(30)
        } else {
            config.timeout
        };
        let http = reqwest::Client::builder()
            .timeout(timeout)
            // Short: an unreachable token endpoint must end a sync within
            // seconds (see `ZoomError::Unreachable`).
            .connect_timeout(timeout.min(Duration::from_secs(4)))
            .user_agent(concat!("zoomscope/", env!("CARGO_PKG_VERSION")))
            // Zoom's API never redirects; following one could send the bearer
            // token somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(50))
            .build()
            .map_err(|e| ZoomError::Config(format!("HTTP client: {e}")))?;
        let basic = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .encode(format!("{client_id}:{}", config.client_secret.expose()))
        };
        let redactor = Redactor::new(vec![config.client_secret.expose().to_string(), basic]);
        Ok(ZoomClient {
            inner: Arc::new(Inner {
                http,
                api_url,
                token_url,
                account_id,
                client_id,
                client_secret: config.client_secret,
                plan: config.plan,
                max_retries: config.max_retries,
                scope_precheck: true,
                limiter: Limiter::new(config.plan),
                tokens: TokenCache::default(),
                redactor,
                stats: Stats::default(),
                unreachable: std::sync::Mutex::new(None),
            }),
        })
    }

    /// The API base URL in use (no trailing slash).
    pub fn api_url(&self) -> &str {
        self.inner.api_url.as_str()
    }

    /// The configured account id.
    pub fn account_id(&self) -> &str {
        &self.inner.account_id
    }

    /// The plan whose rate limits the client keeps to.
    pub fn plan(&self) -> Plan {
        self.inner.plan
    }

    /// Categories a daily-limit 429 closed, with when they reopen.
    pub fn daily_limits_reached(&self) -> Vec<(RateCategory, chrono::DateTime<chrono::Utc>)> {
        self.inner.limiter.closed(chrono::Utc::now())
    }

    /// Counters of requests, retries and waits so far (all clones together).
    pub fn stats(&self) -> ClientStats {
        self.inner.stats()
    }

    /// The scopes granted to the current token (fetching a token if needed).
    /// Empty when the token response did not list its scopes.
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ZoomError> {
        Ok(self
            .inner
            .granted()
            .await?
            .map(|g| g.as_list().to_vec())
            .unwrap_or_default())
    }

    /// `GET /users?status=…`, all pages. Safe to run for the three statuses
    /// at once: the calls share only the token and the Medium limiter.
    pub async fn list_users(
        &self,
        status: UserStatus,
        on_page: OnPage<'_>,
    ) -> Result<Vec<User>, ZoomError> {
        let status = non_empty("status", status.as_str())?.to_string();
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListUsers,
                segments: &["users"],
                query: &[("status", status.as_str())],
                list_key: "users",
                key_of: key_of_user,
            },
            on_page,
        )
        .await
    }

    /// As [`Self::list_users`], but hands each page's users to `on_items`
    /// as soon as the page is read (in order, de-duplicated across pages)
    /// instead of collecting them: the caller can convert a page while the
    /// next ones are in flight. Returns how many users were handed over.
    pub async fn list_users_each(
        &self,
        status: UserStatus,
        on_page: OnPage<'_>,
        on_items: PageItems<'_, User>,
    ) -> Result<usize, ZoomError> {
        let status = non_empty("status", status.as_str())?.to_string();
        list_each(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListUsers,
                segments: &["users"],
                query: &[("status", status.as_str())],
                list_key: "users",
                key_of: key_of_user,
            },
            on_page,
            on_items,
        )
        .await
    }

    /// As [`Self::list_users_each`], but a user record that cannot be read
    /// is handed to `on_bad` and the listing goes on (sync names it and
    /// keeps that user's earlier data) instead of failing the listing.
    pub async fn list_users_each_isolated(
        &self,
        status: UserStatus,
        on_page: OnPage<'_>,
        on_items: PageItems<'_, User>,
        on_bad: BadItems<'_>,
    ) -> Result<usize, ZoomError> {
        let status = non_empty("status", status.as_str())?.to_string();
        list_each_isolated(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListUsers,
                segments: &["users"],
                // Custom attributes ride along at no extra cost (they help
                // match users to employees).
                query: &[
                    ("status", status.as_str()),
                    ("include_fields", "custom_attributes"),
                ],
                list_key: "users",
                key_of: key_of_user,
            },
            on_page,
            on_items,
            on_bad,
        )
        .await
    }

    /// `GET /users/{userId}` (an id, an e-mail, or `me`).
    pub async fn get_user(&self, user_id: &str) -> Result<User, ZoomError> {
        let id = non_empty("user id", user_id)?;
        let segments = ["users", id];
        let v = self
            .inner
            .get_json(Endpoint::GetUser, &segments, &[])
            .await?;
        model(&super::http::label(&segments, &[]), v)
    }

    /// `GET /users/{userId}/settings[?option=…]`.
    pub async fn user_settings(
        &self,
        user_id: &str,
        option: UserSettingsOption,
    ) -> Result<Settings, ZoomError> {
        let id = non_empty("user id", user_id)?;
        let segments = ["users", id, "settings"];
        let query: Vec<(&str, &str)> = option
            .query_value()
            .map(|o| ("option", o))
            .into_iter()
            .collect();
        let v = self
            .inner
            .get_json(Endpoint::UserSettings, &segments, &query)
            .await?;
        model(&super::http::label(&segments, &query), v)
    }

    /// `GET /users/summary`.
    pub async fn users_summary(&self) -> Result<UsersSummary, ZoomError> {
        let segments = ["users", "summary"];
        let v = self
            .inner
            .get_json(Endpoint::UsersSummary, &segments, &[])
            .await?;
        model(&super::http::label(&segments, &[]), v)
    }

    /// `GET /groups`, all pages.
    pub async fn list_groups(&self, on_page: OnPage<'_>) -> Result<Vec<Group>, ZoomError> {
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListGroups,
                segments: &["groups"],
                query: &[],
                list_key: "groups",
                key_of: key_of_group,
            },
            on_page,
        )
        .await
    }

    /// `GET /groups/{groupId}/members`, all pages.
    pub async fn list_group_members(
        &self,
        group_id: &str,
        on_page: OnPage<'_>,
    ) -> Result<Vec<GroupMember>, ZoomError> {
        let id = non_empty("group id", group_id)?;
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListGroupMembers,
                segments: &["groups", id, "members"],
                query: &[],
                list_key: "members",
                key_of: key_of_group_member,
            },
            on_page,
        )
        .await
    }

    /// `GET /roles` (type `common`; the endpoint is not paged).
    pub async fn list_roles(&self) -> Result<Vec<Role>, ZoomError> {
        self.list_roles_of_type(None).await
    }

    /// `GET /roles?type=…` (`common` when `None`, or `iq`: Zoom IQ Sales
    /// roles); not paged.
    pub async fn list_roles_of_type(
        &self,
        role_type: Option<&str>,
    ) -> Result<Vec<Role>, ZoomError> {
        let segments = ["roles"];
        let query: Vec<(&str, &str)> = role_type.map(|t| ("type", t)).into_iter().collect();
        let v = self
            .inner
            .get_json(Endpoint::ListRoles, &segments, &query)
            .await?;
        let mut roles: Vec<Role> = model_list(&super::http::label(&segments, &query), v, "roles")?;
        let mut seen = std::collections::HashSet::new();
        roles.retain(|r| seen.insert(r.id.clone()));
        Ok(roles)
    }

    /// `GET /roles/{roleId}`, with privileges.
    pub async fn get_role(&self, role_id: &str) -> Result<RoleDetail, ZoomError> {
        let id = non_empty("role id", role_id)?;
        let segments = ["roles", id];
        let v = self
            .inner
            .get_json(Endpoint::GetRole, &segments, &[])
            .await?;
        model(&super::http::label(&segments, &[]), v)
    }

    /// `GET /roles/{roleId}/members`, all pages.
    pub async fn list_role_members(
        &self,
        role_id: &str,
        on_page: OnPage<'_>,
    ) -> Result<Vec<RoleMember>, ZoomError> {
        let id = non_empty("role id", role_id)?;
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListRoleMembers,
                segments: &["roles", id, "members"],
                query: &[],
                list_key: "members",
                key_of: key_of_role_member,
            },
            on_page,
        )
        .await
    }

    /// `GET /accounts/me/settings[?option=security]`. `option` is `None` or `Some("security")`
    /// (or another value the API accepts).
    pub async fn account_settings(&self, option: Option<&str>) -> Result<Settings, ZoomError> {
        let segments = ["accounts", "me", "settings"];
        let query: Vec<(&str, &str)> = option
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| ("option", o))
            .into_iter()
            .collect();
        let v = self
            .inner
            .get_json(Endpoint::AccountSettings, &segments, &query)
            .await?;
        model(&super::http::label(&segments, &query), v)
    }

    /// `GET /accounts/me/lock_settings`.
    pub async fn account_lock_settings(&self) -> Result<Settings, ZoomError> {
        let segments = ["accounts", "me", "lock_settings"];
        let v = self
            .inner
            .get_json(Endpoint::AccountLockSettings, &segments, &[])
            .await?;
        model(&super::http::label(&segments, &[]), v)
    }

    /// `GET /groups/{groupId}/settings`: the group's settings, the account's
    /// where the group sets nothing of its own.
    pub async fn group_settings(&self, group_id: &str) -> Result<Settings, ZoomError> {
        let id = non_empty("group id", group_id)?;
        let segments = ["groups", id, "settings"];
        let v = self
            .inner
            .get_json(Endpoint::GroupSettings, &segments, &[])
            .await?;
        model(&super::http::label(&segments, &[]), v)
    }

    /// `GET /groups/{groupId}/lock_settings`: true where the setting is
    /// locked for the group's members.
    pub async fn group_lock_settings(&self, group_id: &str) -> Result<Settings, ZoomError> {
        let id = non_empty("group id", group_id)?;
        let segments = ["groups", id, "lock_settings"];
        let v = self
            .inner
            .get_json(Endpoint::GroupLockSettings, &segments, &[])
            .await?;
        model(&super::http::label(&segments, &[]), v)
    }

    /// `GET /accounts/me/managed_domains`.
    pub async fn managed_domains(&self) -> Result<Vec<ManagedDomain>, ZoomError> {
        let segments = ["accounts", "me", "managed_domains"];
        let v = self
            .inner
            .get_json(Endpoint::ManagedDomains, &segments, &[])
            .await?;
        model_list(&super::http::label(&segments, &[]), v, "domains")
    }

    /// `GET /groups/{groupId}/admins`, all pages.
    pub async fn list_group_admins(&self, group_id: &str) -> Result<Vec<GroupAdmin>, ZoomError> {
        let id = non_empty("group id", group_id)?;
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::ListGroupAdmins,
                segments: &["groups", id, "admins"],
                query: &[],
                list_key: "admins",
                key_of: key_of_group_admin,
            },
            &no_progress,
        )
        .await
    }

    /// `GET /accounts/me/trusted_domains`: `{"trusted_domains": [...]}`.
    pub async fn trusted_domains(&self) -> Result<Vec<String>, ZoomError> {
        let segments = ["accounts", "me", "trusted_domains"];
        let v = self
            .inner
            .get_json(Endpoint::TrustedDomains, &segments, &[])
            .await?;
        string_list(&super::http::label(&segments, &[]), &v, "trusted_domains")
    }

    /// `GET /users/{userId}/permissions`: the privileges the user's role
    /// grants (`{"permissions": ["User:Read", …]}`).
    pub async fn user_permissions(&self, user_id: &str) -> Result<Vec<String>, ZoomError> {
        let id = non_empty("user id", user_id)?;
        let segments = ["users", id, "permissions"];
        let v = self
            .inner
            .get_json(Endpoint::UserPermissions, &segments, &[])
            .await?;
        string_list(&super::http::label(&segments, &[]), &v, "permissions")
    }

    /// `GET /report/operationlogs?from&to`, all pages. `from`/`to` are
    /// `yyyy-mm-dd`, at most one month apart (Zoom refuses longer ranges).
    pub async fn list_operation_logs(
        &self,
        from: &str,
        to: &str,
        on_page: OnPage<'_>,
    ) -> Result<Vec<OperationLog>, ZoomError> {
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::OperationLogs,
                segments: &["report", "operationlogs"],
                query: &[("from", from), ("to", to)],
                list_key: "operation_logs",
                key_of: key_of_operation_log,
            },
            on_page,
        )
        .await
    }

    /// `GET /report/activities?from&to` (sign-in and sign-out), all pages.
    pub async fn list_sign_in_activities(
        &self,
        from: &str,
        to: &str,
        on_page: OnPage<'_>,
    ) -> Result<Vec<SignInActivity>, ZoomError> {
        list_all(
            &self.inner,
            Listing {
                endpoint: Endpoint::SignInActivities,
                segments: &["report", "activities"],
                query: &[("from", from), ("to", to)],
                list_key: "activity_logs",
                key_of: key_of_sign_in,
            },
            on_page,
        )
        .await
    }
}
