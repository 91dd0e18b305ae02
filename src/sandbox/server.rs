//! The HTTP side: routes, the per-request pipeline (latency, dropped
//! connections, bearer auth, scope check, rate limits, injected errors,
//! malformed bodies) and the endpoint handlers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::{any, post};
use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};

use super::SandboxConfig;
use super::auth::{self, TokenCheck, TokenRequest, TokenStore};
use super::changes::{self, Change};
use super::endpoints::{Category, Endpoint};
use super::faults::{self, Decision};
use super::group_settings;
use super::index::IndexedOrg;
use super::listener::ConnMeta;
use super::model::UserStatus;
use super::oplog::{self, AuditTrail};
use super::paging::{self, PageTokens, TokenError};
use super::ratelimit::{Limited, RateLimiter, RetryAfterStyle};
use super::render::{self, IncludeFields};
use super::rng::Rng;
use super::roster::RosterRow;
use super::security;
use super::settings::{self, SettingsOption};

/// Counters for tests and the CLI.
#[derive(Debug, Default)]
pub struct Counters {
    pub api_requests: AtomicU64,
    pub per_category: [AtomicU64; 3],
    pub per_endpoint: [AtomicU64; ENDPOINTS.len()],
    pub token_requests: AtomicU64,
    pub tokens_issued: AtomicU64,
    pub token_errors: AtomicU64,
    pub unauthorized: AtomicU64,
    pub missing_scope: AtomicU64,
    pub rate_limited_qps: AtomicU64,
    pub rate_limited_daily: AtomicU64,
    /// Per-second 429s per category (limiter and injected).
    pub rate_limited_per_category: [AtomicU64; 3],
    /// 400 code 200 answers: endpoints the account's plan does not have.
    pub plan_unavailable: AtomicU64,
    pub injected_429: AtomicU64,
    pub injected_5xx: AtomicU64,
    pub dropped: AtomicU64,
    pub malformed: AtomicU64,
    pub early_expiries: AtomicU64,
    pub page_token_errors: AtomicU64,
    pub not_found: AtomicU64,
    pub ok: AtomicU64,
    pub changes: AtomicU64,
}

pub const ENDPOINTS: [Endpoint; 20] = [
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

pub fn endpoint_slot(e: Endpoint) -> usize {
    ENDPOINTS.iter().position(|x| *x == e).unwrap_or(0)
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// Everything the handlers share.
pub struct Shared {
    pub cfg: SandboxConfig,
    /// `http://127.0.0.1:PORT` (no `/v2`).
    pub base_url: String,
    pub org: RwLock<IndexedOrg>,
    pub roster: Vec<RosterRow>,
    pub tokens: TokenStore,
    pub pages: PageTokens,
    pub limiter: RateLimiter,
    pub counters: Counters,
    pub request_no: AtomicU64,
    pub change_rng: Mutex<Rng>,
    /// The operation log and sign-in activity (`oplog.rs`).
    pub audit: RwLock<AuditTrail>,
}

impl Shared {
    /// Applies a change and rebuilds the indexes.
    pub fn apply_change(
        &self,
        change: &Change,
    ) -> Result<changes::ChangeApplied, changes::ChangeError> {
        let mut org = self
            .org
            .write()
            .map_err(|_| changes::ChangeError::NotApplicable("org lock poisoned".into()))?;
        let mut rng = self
            .change_rng
            .lock()
            .map_err(|_| changes::ChangeError::NotApplicable("rng lock poisoned".into()))?;
        let now = Utc::now();
        let applied = changes::apply(&mut org.org, &mut rng, change, now)?;
        org.reindex();
        // A group's settings change is not logged: no wording of Zoom's
        // operation log for it is known (see `docs/zoom-contract.md`).
        if applied.change != changes::ChangeKind::GroupOverride
            && let Ok(mut audit) = self.audit.write()
        {
            audit.record(&org.org, &applied, now);
        }
        bump(&self.counters.changes);
        tracing::info!(change = applied.change.as_str(), user = %applied.user_key, field = %applied.field, "sandbox change applied");
        Ok(applied)
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/oauth/token", post(token))
        .route("/_sandbox/change", post(admin_change))
        .route("/_sandbox/stats", any(admin_stats))
        .route("/v2/{*rest}", any(api))
        .fallback(any(not_recognised))
        .with_state(shared)
}

// ---------------------------------------------------------------- responses

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    r
}

fn value_response(status: StatusCode, v: &Value) -> Response {
    json_response(status, serde_json::to_vec(v).unwrap_or_default())
}

/// Zoom's REST error body `{code, message}`.
fn zoom_error(status: StatusCode, code: u32, message: &str) -> Response {
    value_response(status, &json!({"code": code, "message": message}))
}

async fn not_recognised() -> Response {
    zoom_error(
        StatusCode::NOT_FOUND,
        2300,
        "This API endpoint is not recognized.",
    )
}

fn set_header(r: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
}

fn iso(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Zoom's 429 body and headers (`docs/zoom-contract.md#rate-limits`).
fn too_many(limited: &Limited, qps_style: RetryAfterStyle, remaining: Option<u64>) -> Response {
    match limited {
        Limited::Qps {
            category,
            limit,
            retry_after,
        } => {
            let mut r = zoom_error(
                StatusCode::TOO_MANY_REQUESTS,
                429,
                "You have reached the maximum per-second rate limit for this API. Try again later.",
            );
            set_header(&mut r, "X-RateLimit-Category", category.as_str());
            set_header(&mut r, "X-RateLimit-Type", "QPS");
            set_header(&mut r, "X-RateLimit-Limit", &limit.to_string());
            set_header(&mut r, "X-RateLimit-Remaining", "0");
            let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
            match qps_style {
                RetryAfterStyle::Seconds => set_header(&mut r, "Retry-After", &secs.to_string()),
                RetryAfterStyle::IsoDate => {
                    let at = Utc::now() + chrono::Duration::seconds(secs as i64);
                    set_header(&mut r, "Retry-After", &iso(at));
                }
                RetryAfterStyle::HttpDate => {
                    let at = std::time::SystemTime::now() + Duration::from_secs(secs);
                    set_header(&mut r, "Retry-After", &httpdate::fmt_http_date(at));
                }
                RetryAfterStyle::Absent => {}
            }
            r
        }
        Limited::Daily {
            category,
            limit,
            reset,
        } => {
            let mut r = zoom_error(
                StatusCode::TOO_MANY_REQUESTS,
                429,
                "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.",
            );
            set_header(&mut r, "X-RateLimit-Category", category.as_str());
            set_header(&mut r, "X-RateLimit-Type", "Daily-limit");
            set_header(&mut r, "X-RateLimit-Limit", &limit.to_string());
            set_header(
                &mut r,
                "X-RateLimit-Remaining",
                &remaining.unwrap_or(0).to_string(),
            );
            set_header(&mut r, "Retry-After", &iso(*reset));
            r
        }
    }
}

fn server_error(status: u16) -> Response {
    match status {
        502 => {
            let mut r = Response::new(Body::from(
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            ));
            *r.status_mut() = StatusCode::BAD_GATEWAY;
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        503 => zoom_error(StatusCode::SERVICE_UNAVAILABLE, 503, "Service Unavailable"),
        _ => zoom_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            500,
            "Internal Server Error",
        ),
    }
}

// ---------------------------------------------------------------- OAuth

async fn token(
    State(s): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    bump(&s.counters.token_requests);
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let req = TokenRequest::parse(authorization, &body, uri.query());
    if let Err(e) = auth::validate(
        &req,
        &s.cfg.client_id,
        &s.cfg.client_secret,
        &s.cfg.account_id,
    ) {
        bump(&s.counters.token_errors);
        return value_response(StatusCode::BAD_REQUEST, &e);
    }
    let access_token = s.tokens.issue();
    bump(&s.counters.tokens_issued);
    value_response(
        StatusCode::OK,
        &json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": s.tokens.ttl().as_secs(),
            "scope": s.cfg.scopes.join(" "),
            "api_url": s.base_url,
        }),
    )
}

// ---------------------------------------------------------------- admin

async fn admin_change(
    State(s): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
    body: Bytes,
) -> Response {
    if !conn.remote.ip().is_loopback() {
        return value_response(
            StatusCode::FORBIDDEN,
            &json!({"error": "the admin endpoint answers loopback clients only"}),
        );
    }
    let change: Change = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return value_response(
                StatusCode::BAD_REQUEST,
                &json!({"error": format!("expected {{\"change\": \"make_admin|deactivate|hire|role_change|group_move|setting_flip|admin_sign_in|admin_new_ip|group_override\", \"user\": \"<email>\", \"group\": \"<id or name>\"}}: {e}")}),
            );
        }
    };
    match s.apply_change(&change) {
        Ok(applied) => value_response(StatusCode::OK, &json!(applied)),
        Err(e @ changes::ChangeError::NoSuchUser(_)) => {
            value_response(StatusCode::NOT_FOUND, &json!({"error": e.to_string()}))
        }
        Err(e) => value_response(StatusCode::CONFLICT, &json!({"error": e.to_string()})),
    }
}

async fn admin_stats(
    State(s): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
) -> Response {
    if !conn.remote.ip().is_loopback() {
        return value_response(StatusCode::FORBIDDEN, &json!({"error": "loopback only"}));
    }
    value_response(StatusCode::OK, &json!(super::SandboxStats::from_shared(&s)))
}

// ---------------------------------------------------------------- /v2

#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    ListUsers,
    UsersSummary,
    GetUser(String),
    UserSettings(String),
    ListGroups,
    GetGroup(String),
    GroupMembers(String),
    ListRoles,
    GetRole(String),
    RoleMembers(String),
    AccountSettings(String),
    AccountLockSettings(String),
    ManagedDomains(String),
    /// Security review data: see `security.rs`.
    GroupAdmins(String),
    TrustedDomains(String),
    UserPermissions(String),
    OperationLogs,
    SignInActivities,
    /// A group's settings and lock settings: see `group_settings.rs`.
    GroupSettings(String),
    GroupLockSettings(String),
}

impl Route {
    fn endpoint(&self) -> Endpoint {
        match self {
            Self::ListUsers => Endpoint::ListUsers,
            Self::UsersSummary => Endpoint::UsersSummary,
            Self::GetUser(_) => Endpoint::GetUser,
            Self::UserSettings(_) => Endpoint::UserSettings,
            Self::ListGroups => Endpoint::ListGroups,
            Self::GetGroup(_) => Endpoint::GetGroup,
            Self::GroupMembers(_) => Endpoint::GroupMembers,
            Self::ListRoles => Endpoint::ListRoles,
            Self::GetRole(_) => Endpoint::GetRole,
            Self::RoleMembers(_) => Endpoint::RoleMembers,
            Self::AccountSettings(_) => Endpoint::AccountSettings,
            Self::AccountLockSettings(_) => Endpoint::AccountLockSettings,
            Self::ManagedDomains(_) => Endpoint::ManagedDomains,
            Self::GroupAdmins(_) => Endpoint::GroupAdmins,
            Self::TrustedDomains(_) => Endpoint::TrustedDomains,
            Self::UserPermissions(_) => Endpoint::UserPermissions,
            Self::OperationLogs => Endpoint::OperationLogs,
            Self::SignInActivities => Endpoint::SignInActivities,
            Self::GroupSettings(_) => Endpoint::GroupSettings,
            Self::GroupLockSettings(_) => Endpoint::GroupLockSettings,
        }
    }

    fn parse(path: &str) -> Option<Self> {
        let rest = path.strip_prefix("/v2/")?;
        let segs: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            .map(percent_decode)
            .collect();
        let s: Vec<&str> = segs.iter().map(String::as_str).collect();
        Some(match s.as_slice() {
            ["users"] => Self::ListUsers,
            ["users", "summary"] => Self::UsersSummary,
            ["users", id] => Self::GetUser((*id).to_string()),
            ["users", id, "settings"] => Self::UserSettings((*id).to_string()),
            ["users", id, "permissions"] => Self::UserPermissions((*id).to_string()),
            ["groups"] => Self::ListGroups,
            ["groups", id] => Self::GetGroup((*id).to_string()),
            ["groups", id, "members"] => Self::GroupMembers((*id).to_string()),
            ["groups", id, "admins"] => Self::GroupAdmins((*id).to_string()),
            ["groups", id, "settings"] => Self::GroupSettings((*id).to_string()),
            ["groups", id, "lock_settings"] => Self::GroupLockSettings((*id).to_string()),
            ["roles"] => Self::ListRoles,
            ["roles", id] => Self::GetRole((*id).to_string()),
            ["roles", id, "members"] => Self::RoleMembers((*id).to_string()),
            ["accounts", a, "settings"] => Self::AccountSettings((*a).to_string()),
            ["accounts", a, "lock_settings"] => Self::AccountLockSettings((*a).to_string()),
            ["accounts", a, "managed_domains"] => Self::ManagedDomains((*a).to_string()),
            ["accounts", a, "trusted_domains"] => Self::TrustedDomains((*a).to_string()),
            ["report", "operationlogs"] => Self::OperationLogs,
            ["report", "activities"] => Self::SignInActivities,
            _ => return None,
        })
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(h), Some(l)) => {
                let hex = |c: u8| (c as char).to_digit(16);
                if let (Some(h), Some(l)) = (hex(*h), hex(*l)) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
                i += 1;
            }
            (Some(b), _, _) => {
                out.push(*b);
                i += 1;
            }
            _ => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Every `/v2` answer carries Zoom's `x-zm-trackingid`, errors included
/// (Zoom support asks for it).
async fn api(
    State(s): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let n = s.request_no.fetch_add(1, Ordering::Relaxed);
    let mut r = answer(&s, n, conn, method, uri, headers).await;
    set_header(
        &mut r,
        "x-zm-trackingid",
        &format!("v=2.0;clid=us06;rid=SBX_{n}"),
    );
    r
}

async fn answer(
    s: &Arc<Shared>,
    n: u64,
    conn: ConnMeta,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    bump(&s.counters.api_requests);
    let d: Decision = s.cfg.faults.decide(s.cfg.seed, n);
    if !s.cfg.faults.latency.is_zero() {
        tokio::time::sleep(s.cfg.faults.latency).await;
    }
    if d.drop {
        bump(&s.counters.dropped);
        conn.kill();
        // Never written: the killed connection fails the write.
        return Response::new(Body::empty());
    }

    // Authentication first, as Zoom does.
    let Some(token) = bearer(&headers) else {
        bump(&s.counters.unauthorized);
        return zoom_error(StatusCode::UNAUTHORIZED, 124, "Invalid access token.");
    };
    match s.tokens.check(token) {
        TokenCheck::Valid => {}
        TokenCheck::Unknown => {
            bump(&s.counters.unauthorized);
            return zoom_error(StatusCode::UNAUTHORIZED, 124, "Invalid access token.");
        }
        TokenCheck::Expired => {
            bump(&s.counters.unauthorized);
            return zoom_error(StatusCode::UNAUTHORIZED, 124, "Access token is expired.");
        }
    }
    if d.expire_token {
        s.tokens.expire(token);
        bump(&s.counters.early_expiries);
        bump(&s.counters.unauthorized);
        return zoom_error(StatusCode::UNAUTHORIZED, 124, "Access token is expired.");
    }

    let Some(route) = Route::parse(uri.path()).filter(|_| method == Method::GET) else {
        bump(&s.counters.not_found);
        return zoom_error(
            StatusCode::NOT_FOUND,
            2300,
            "This API endpoint is not recognized.",
        );
    };
    let endpoint = route.endpoint();
    let category = endpoint.category();
    if let Some(c) = s.counters.per_category.get(category.slot()) {
        bump(c);
    }
    if let Some(c) = s.counters.per_endpoint.get(endpoint_slot(endpoint)) {
        bump(c);
    }

    if !endpoint.allowed_by(&s.cfg.scopes) {
        bump(&s.counters.missing_scope);
        let (status, code, message) = endpoint.missing_scope_answer(s.cfg.faults.scope_error);
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        return zoom_error(status, code, &message);
    }

    let qps_429_in_category = || {
        if let Some(c) = s.counters.rate_limited_per_category.get(category.slot()) {
            bump(c);
        }
    };
    if let Err(limited) = s.limiter.admit(category, Instant::now(), Utc::now()) {
        match limited {
            Limited::Qps { .. } => {
                bump(&s.counters.rate_limited_qps);
                qps_429_in_category();
            }
            Limited::Daily { .. } => bump(&s.counters.rate_limited_daily),
        }
        return too_many(
            &limited,
            s.cfg.rate_limits.qps_retry_after,
            s.limiter.daily_remaining(category),
        );
    }
    if d.burst_429 {
        bump(&s.counters.injected_429);
        qps_429_in_category();
        return too_many(
            &Limited::Qps {
                category,
                limit: s.limiter.per_second(category),
                retry_after: Duration::from_secs(1),
            },
            s.cfg.rate_limits.qps_retry_after,
            None,
        );
    }
    if let Some(status) = d.server_error {
        bump(&s.counters.injected_5xx);
        return server_error(status);
    }
    if s.cfg.plan == "free"
        && let Some(message) = endpoint.paid_only()
    {
        bump(&s.counters.plan_unavailable);
        return zoom_error(StatusCode::BAD_REQUEST, 200, message);
    }

    let query: HashMap<String, String> = paging::parse_query(uri.query().unwrap_or(""));
    let (status, body) = handle(s, &route, &query);
    if status == StatusCode::OK {
        bump(&s.counters.ok);
    } else if status == StatusCode::NOT_FOUND {
        bump(&s.counters.not_found);
    }
    let body = match d.malformed {
        Some(how) if status == StatusCode::OK => {
            bump(&s.counters.malformed);
            faults::malform(body, how)
        }
        _ => body,
    };
    let mut r = json_response(status, body);
    set_header(&mut r, "X-RateLimit-Category", category.as_str());
    r
}

fn err(status: StatusCode, code: u32, message: &str) -> (StatusCode, Vec<u8>) {
    (
        status,
        serde_json::to_vec(&json!({"code": code, "message": message})).unwrap_or_default(),
    )
}

fn ok_value(v: &Value) -> (StatusCode, Vec<u8>) {
    (StatusCode::OK, serde_json::to_vec(v).unwrap_or_default())
}

fn page_error(s: &Shared, e: TokenError) -> (StatusCode, Vec<u8>) {
    match e {
        TokenError::InvalidOrExpired => {
            bump(&s.counters.page_token_errors);
            err(
                StatusCode::BAD_REQUEST,
                300,
                "The next page token is invalid or expired.",
            )
        }
    }
}

fn account_ok(org: &IndexedOrg, account: &str) -> bool {
    account == "me" || account == org.org.account.account_id
}

/// The endpoint handlers proper. Holds the org read lock while rendering
/// (no await inside), so a change never shows half-applied.
fn handle(s: &Shared, route: &Route, q: &HashMap<String, String>) -> (StatusCode, Vec<u8>) {
    let Ok(org) = s.org.read() else {
        return err(
            StatusCode::INTERNAL_SERVER_ERROR,
            500,
            "Internal Server Error",
        );
    };
    let quirks = &s.cfg.faults.paging;
    let get = |k: &str| q.get(k).map(String::as_str);
    match route {
        Route::ListUsers => {
            let status = match get("status").filter(|v| !v.is_empty()) {
                None => UserStatus::Active,
                Some(v) => match UserStatus::parse(v) {
                    Some(st) => st,
                    None => return err(StatusCode::BAD_REQUEST, 300, "Invalid field."),
                },
            };
            let role = get("role_id").filter(|v| !v.is_empty());
            let filtered: Vec<u32>;
            let positions: &[u32] = match role {
                None => org.status_list(status),
                Some(rid) => {
                    filtered = org
                        .status_list(status)
                        .iter()
                        .copied()
                        .filter(|p| {
                            org.org
                                .users
                                .get(*p as usize)
                                .is_some_and(|u| u.role_id == rid)
                        })
                        .collect();
                    &filtered
                }
            };
            let listing = format!("users|{}|{}", status.as_str(), role.unwrap_or(""));
            match paging::resolve_page(&s.pages, quirks, &listing, q, positions.len(), 2_000) {
                Ok(page) => (
                    StatusCode::OK,
                    render::users_page(
                        &org,
                        positions,
                        &page,
                        IncludeFields::parse(get("include_fields")),
                    ),
                ),
                Err(e) => page_error(s, e),
            }
        }
        Route::UsersSummary => ok_value(&render::users_summary(&org)),
        Route::GetUser(key) => match org.find_user(key) {
            Some(p) => match org.org.users.get(p as usize) {
                Some(u) => ok_value(&render::user_detail(&org, u, Utc::now())),
                None => user_not_found(key),
            },
            None => user_not_found(key),
        },
        Route::UserSettings(key) => {
            let Some(u) = org
                .find_user(key)
                .and_then(|p| org.org.users.get(p as usize))
            else {
                return user_not_found(key);
            };
            let Some(option) = SettingsOption::parse(get("option"), false) else {
                return err(StatusCode::BAD_REQUEST, 300, "Invalid field.");
            };
            let mut body = settings::user_settings(u, &org.org.account, option);
            if let Some(fields) = get("custom_query_fields") {
                body = settings::filter_fields(body, fields);
            }
            ok_value(&body)
        }
        Route::ListGroups => {
            let total = org.org.groups.len();
            let page = if quirks.legacy_paging {
                // The recorded older shape: every group, no paging fields.
                Ok(paging::Page {
                    start: 0,
                    end: total,
                    page_size: total,
                    page_number: 1,
                    page_count: 1,
                    total_records: total,
                    next_page_token: None,
                })
            } else {
                paging::resolve_page(&s.pages, quirks, "groups", q, total, 300)
            };
            match page {
                Ok(page) => (StatusCode::OK, render::groups_page(&org, &page)),
                Err(e) => page_error(s, e),
            }
        }
        Route::GetGroup(gid) => match org.group_by_id.get(gid) {
            Some(k) => match org.org.groups.get(*k) {
                Some(g) => ok_value(&render::group_detail(
                    g,
                    org.group_members.get(*k).map_or(0, Vec::len),
                )),
                None => group_not_found(gid),
            },
            None => group_not_found(gid),
        },
        Route::GroupMembers(gid) => {
            let Some(k) = org.group_by_id.get(gid).copied() else {
                return group_not_found(gid);
            };
            let (Some(group), Some(members)) = (org.org.groups.get(k), org.group_members.get(k))
            else {
                return group_not_found(gid);
            };
            let listing = format!("group_members|{gid}");
            match paging::resolve_page(&s.pages, quirks, &listing, q, members.len(), 2_000) {
                Ok(page) => (
                    StatusCode::OK,
                    render::group_members_page(&org, group, members, &page),
                ),
                Err(e) => page_error(s, e),
            }
        }
        Route::ListRoles => {
            if get("type") == Some("iq") {
                return (StatusCode::OK, security::iq_roles_list(&org, &s.cfg));
            }
            (StatusCode::OK, render::roles_list(&org))
        }
        Route::GetRole(rid) => match org.org.roles.iter().find(|r| &r.id == rid) {
            Some(r) => ok_value(&render::role_detail(&org, r)),
            None => match security::iq_role_detail(&org, &s.cfg, rid) {
                Some(v) => ok_value(&v),
                None => role_not_found(),
            },
        },
        Route::RoleMembers(rid) => {
            let Some(members) = org.role_members.get(rid) else {
                return role_not_found();
            };
            let listing = format!("role_members|{rid}");
            match paging::resolve_page(&s.pages, quirks, &listing, q, members.len(), 300) {
                Ok(page) => (
                    StatusCode::OK,
                    render::role_members_page(&org, members, &page),
                ),
                Err(e) => page_error(s, e),
            }
        }
        Route::AccountSettings(a) => {
            if !account_ok(&org, a) {
                return account_not_found(a);
            }
            let Some(option) = SettingsOption::parse(get("option"), true) else {
                return err(StatusCode::BAD_REQUEST, 300, "Invalid field.");
            };
            let mut body = settings::account_settings(&org.org.account, option);
            if let Some(fields) = get("custom_query_fields") {
                body = settings::filter_fields(body, fields);
            }
            ok_value(&body)
        }
        Route::AccountLockSettings(a) => {
            if !account_ok(&org, a) {
                return account_not_found(a);
            }
            let option = match get("option").unwrap_or("") {
                "" => SettingsOption::Plain,
                "meeting_security" => SettingsOption::MeetingSecurity,
                _ => return err(StatusCode::BAD_REQUEST, 300, "Invalid field."),
            };
            ok_value(&settings::lock_settings(&org.org.account, option))
        }
        Route::ManagedDomains(a) => {
            if !account_ok(&org, a) {
                return account_not_found(a);
            }
            (StatusCode::OK, render::managed_domains(&org.org.account))
        }
        Route::TrustedDomains(a) => {
            if !account_ok(&org, a) {
                return account_not_found(a);
            }
            ok_value(&security::trusted_domains(&org, &s.cfg))
        }
        Route::GroupAdmins(gid) => {
            let Some(k) = org.group_by_id.get(gid).copied() else {
                return group_not_found(gid);
            };
            let admins = security::group_admins(&org, &s.cfg, k);
            let listing = format!("group_admins|{gid}");
            match paging::resolve_page(&s.pages, quirks, &listing, q, admins.len(), 300) {
                Ok(page) => (StatusCode::OK, security::group_admins_page(&admins, &page)),
                Err(e) => page_error(s, e),
            }
        }
        Route::GroupSettings(gid) => {
            let Some(g) = org
                .group_by_id
                .get(gid)
                .and_then(|k| org.org.groups.get(*k))
            else {
                return group_not_found(gid);
            };
            let Some(option) = SettingsOption::parse(get("option"), false) else {
                return err(StatusCode::BAD_REQUEST, 300, "Invalid field.");
            };
            let mut body = group_settings::group_settings(&org.org.account, g, option);
            if let Some(fields) = get("custom_query_fields") {
                body = settings::filter_fields(body, fields);
            }
            ok_value(&body)
        }
        Route::GroupLockSettings(gid) => {
            let Some(g) = org
                .group_by_id
                .get(gid)
                .and_then(|k| org.org.groups.get(*k))
            else {
                return group_not_found(gid);
            };
            let option = match get("option").unwrap_or("") {
                "" => SettingsOption::Plain,
                "meeting_security" => SettingsOption::MeetingSecurity,
                _ => return err(StatusCode::BAD_REQUEST, 300, "Invalid field."),
            };
            ok_value(&group_settings::group_lock_settings(
                &org.org.account,
                g,
                option,
            ))
        }
        Route::UserPermissions(key) => match org
            .find_user(key)
            .and_then(|p| org.org.users.get(p as usize))
        {
            Some(u) => ok_value(&security::user_permissions(&org, u)),
            None => user_not_found(key),
        },
        Route::OperationLogs | Route::SignInActivities => {
            drop(org);
            report(s, route, q)
        }
    }
}

/// `GET /report/operationlogs` and `GET /report/activities`: the days
/// `from`..=`to` (one month at most), newest first, paged.
fn report(s: &Shared, route: &Route, q: &HashMap<String, String>) -> (StatusCode, Vec<u8>) {
    let get = |k: &str| q.get(k).map(String::as_str);
    let range = match oplog::date_range(get("from"), get("to"), Utc::now().date_naive()) {
        Ok(r) => r,
        Err(e) => return err(StatusCode::BAD_REQUEST, 300, e.message()),
    };
    let Ok(audit) = s.audit.read() else {
        return err(
            StatusCode::INTERNAL_SERVER_ERROR,
            500,
            "Internal Server Error",
        );
    };
    let (from, to) = (range.0.to_string(), range.1.to_string());
    let (key, listing, items): (&str, String, Vec<Value>) = match route {
        Route::OperationLogs => {
            let at = oplog::newest_first_in(&audit.operations, |e| e.time, range);
            let items = at
                .iter()
                .filter_map(|i| audit.operations.get(*i))
                .map(|e| serde_json::to_value(e).unwrap_or_default())
                .collect();
            (
                "operation_logs",
                format!("operationlogs|{from}|{to}"),
                items,
            )
        }
        _ => {
            let at = oplog::newest_first_in(&audit.sign_ins, |e| e.time, range);
            let items = at
                .iter()
                .filter_map(|i| audit.sign_ins.get(*i))
                .map(|e| serde_json::to_value(e).unwrap_or_default())
                .collect();
            ("activity_logs", format!("activities|{from}|{to}"), items)
        }
    };
    drop(audit);
    match paging::resolve_page(
        &s.pages,
        &s.cfg.faults.paging,
        &listing,
        q,
        items.len(),
        300,
    ) {
        Ok(page) => {
            let slice: Vec<Value> = items
                .get(page.start..page.end)
                .map(<[Value]>::to_vec)
                .unwrap_or_default();
            let mut body = serde_json::Map::new();
            body.insert("from".into(), json!(from));
            body.insert("to".into(), json!(to));
            body.insert("page_size".into(), json!(page.page_size));
            body.insert(
                "next_page_token".into(),
                json!(page.next_page_token.unwrap_or_default()),
            );
            body.insert(key.into(), Value::Array(slice));
            ok_value(&Value::Object(body))
        }
        Err(e) => page_error(s, e),
    }
}

fn user_not_found(key: &str) -> (StatusCode, Vec<u8>) {
    err(
        StatusCode::NOT_FOUND,
        1001,
        &format!("User does not exist: {key}."),
    )
}

fn group_not_found(gid: &str) -> (StatusCode, Vec<u8>) {
    err(
        StatusCode::NOT_FOUND,
        4130,
        &format!("A group with this {gid} does not exist."),
    )
}

fn role_not_found() -> (StatusCode, Vec<u8>) {
    err(
        StatusCode::BAD_REQUEST,
        1034,
        "Provided role_id does not exist.",
    )
}

fn account_not_found(a: &str) -> (StatusCode, Vec<u8>) {
    err(
        StatusCode::NOT_FOUND,
        2001,
        &format!("Account does not exist: {a}."),
    )
}

/// Category counters as a map, for stats.
pub fn category_counts(c: &Counters) -> Vec<(Category, u64)> {
    Category::ALL
        .iter()
        .map(|cat| {
            (
                *cat,
                c.per_category
                    .get(cat.slot())
                    .map_or(0, |a| a.load(Ordering::Relaxed)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse() {
        assert_eq!(Route::parse("/v2/users"), Some(Route::ListUsers));
        assert_eq!(Route::parse("/v2/users/summary"), Some(Route::UsersSummary));
        assert_eq!(
            Route::parse("/v2/users/a%40b.example/settings"),
            Some(Route::UserSettings("a@b.example".into()))
        );
        assert_eq!(
            Route::parse("/v2/accounts/me/lock_settings"),
            Some(Route::AccountLockSettings("me".into()))
        );
        assert_eq!(Route::parse("/v2/meetings"), None);
    }
}
