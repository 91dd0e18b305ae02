//! The client over real HTTP against a scripted peer, for protocol answers
//! the sandbox does not produce (HTML 429 bodies, HTTP-date Retry-After,
//! 403 without a body, a server echoing the secret, the exact token
//! request). Each test scripts the answers and asserts what the client sent
//! and what it returned. Everything else is proven against the sandbox in
//! client_sandbox.rs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use serde_json::json;
use zoomscope::zoom::{ClientConfig, Secret, UserStatus, ZoomClient, ZoomError, no_progress};

const SECRET: &str = "cs-7f3a9b1e2d4c-very-secret";
const TOKEN: &str = "eyJ-access-token-abc123";

/// One request as the peer saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: String,
}

type Script = dyn Fn(&Seen, usize) -> Response<Body> + Send + Sync;

struct Peer {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Peer {
    /// A peer answering `/oauth/token` with `token` (None: use `script`) and
    /// everything else with `script(request, n)`, n counting API requests.
    async fn start(token: Option<serde_json::Value>, script: Arc<Script>) -> Peer {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let api_count = Arc::new(AtomicUsize::new(0));
        let seen2 = seen.clone();
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let seen = seen2.clone();
            let script = script.clone();
            let token = token.clone();
            let api_count = api_count.clone();
            async move {
                let (parts, body) = req.into_parts();
                let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
                let s = Seen {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_string(),
                    query: parts.uri.query().unwrap_or("").to_string(),
                    headers: parts.headers.clone(),
                    body: String::from_utf8_lossy(&body).to_string(),
                };
                seen.lock().unwrap().push(s.clone());
                if s.path == "/oauth/token"
                    && let Some(t) = &token
                {
                    return json_response(200, t.clone());
                }
                let n = if s.path == "/oauth/token" {
                    0
                } else {
                    api_count.fetch_add(1, Ordering::SeqCst)
                };
                script(&s, n)
            }
        });
        Peer {
            base: crate::support::local::serve(app).await,
            seen,
        }
    }

    fn client(&self) -> ZoomClient {
        self.client_with(|_| {})
    }

    fn client_with(&self, f: impl FnOnce(&mut ClientConfig)) -> ZoomClient {
        let mut c = ClientConfig::new("acc-1", "client-1", Secret::new(SECRET));
        c.api_url = format!("{}/v2", self.base);
        c.oauth_url = self.base.clone();
        c.max_retries = 2;
        f(&mut c);
        ZoomClient::new(c).unwrap()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn api_requests(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

fn token_body(scope: &str) -> serde_json::Value {
    json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3599, "scope": scope})
}

fn all_scopes() -> serde_json::Value {
    token_body("user:read:admin account:read:admin group:read:admin role:read:admin")
}

fn json_response(status: u16, v: serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(v.to_string()))
        .unwrap()
}

fn raw_response(status: u16, headers: &[(&str, &str)], body: &str) -> Response<Body> {
    let mut r = Response::builder().status(status);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(Body::from(body.to_string())).unwrap()
}

fn user(i: usize) -> serde_json::Value {
    json!({"id": format!("u{i}"), "email": format!("user{i}@example.com"), "type": 1, "status": "active"})
}

fn assert_no_secrets(text: &str) {
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
}

#[tokio::test]
async fn token_request_is_basic_auth_with_a_form_body_and_the_api_gets_the_bearer() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| json_response(200, user(1))),
    )
    .await;
    let c = peer.client();
    let u = c.get_user("me").await.unwrap();
    assert_eq!(u.id.as_deref(), Some("u1"));
    let seen = peer.seen();
    let tok = &seen[0];
    assert_eq!(
        (tok.method.as_str(), tok.path.as_str()),
        ("POST", "/oauth/token")
    );
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("client-1:{SECRET}"));
    assert_eq!(
        tok.headers["authorization"],
        format!("Basic {basic}").as_str()
    );
    assert_eq!(
        tok.headers["content-type"],
        HeaderValue::from_static("application/x-www-form-urlencoded")
    );
    assert_eq!(tok.body, "grant_type=account_credentials&account_id=acc-1");
    assert_eq!(tok.query, "", "credentials go in the body, not the query");
    let api = &seen[1];
    assert_eq!(api.path, "/v2/users/me");
    assert_eq!(
        api.headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    assert_eq!(c.granted_scopes().await.unwrap().len(), 4);
}

#[tokio::test]
async fn concurrent_first_calls_share_one_token_request() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| json_response(200, user(1))),
    )
    .await;
    let c = peer.client();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move { c.get_user("me").await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(peer.api_requests("/oauth/token"), 1);
    assert_eq!(peer.api_requests("/v2/users/me"), 16);
}

#[tokio::test]
async fn an_html_429_without_headers_is_waited_out_and_retried() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, n| {
            if n < 2 {
                raw_response(
                    429,
                    &[("content-type", "text/html")],
                    "<html><body>Too Many Requests</body></html>",
                )
            } else {
                json_response(200, json!({"roles": [{"id": "0", "name": "Owner"}]}))
            }
        }),
    )
    .await;
    let c = peer.client();
    let roles = c.list_roles().await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(peer.api_requests("/v2/roles"), 3);
    assert_eq!(c.stats().rate_limited, 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, n| {
            if n == 0 {
                // Two seconds ahead, at whole-second resolution: at least 1 s away.
                let at = std::time::SystemTime::now() + Duration::from_secs(2);
                let date = httpdate::fmt_http_date(at);
                raw_response(
                    429,
                    &[("retry-after", date.as_str()), ("x-ratelimit-type", "QPS")],
                    "",
                )
            } else {
                json_response(200, json!({"roles": []}))
            }
        }),
    )
    .await;
    let c = peer.client();
    let start = Instant::now();
    c.list_roles().await.unwrap();
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(1000),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
}

#[tokio::test]
async fn a_daily_limit_stops_the_category_with_the_reset_time() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| {
            raw_response(
                429,
                &[
                    ("retry-after", "2099-01-02T00:00:00Z"),
                    ("x-ratelimit-type", "Daily-limit"),
                    ("x-ratelimit-category", "Medium"),
                    ("content-type", "application/json"),
                ],
                r#"{"code":429,"message":"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."}"#,
            )
        }),
    )
    .await;
    let c = peer.client();
    let e = c.list_roles().await.unwrap_err();
    let ZoomError::DailyLimit {
        reset, category, ..
    } = &e
    else {
        panic!("expected DailyLimit, got {e:?}");
    };
    assert_eq!(reset.unwrap().to_rfc3339(), "2099-01-02T00:00:00+00:00");
    assert_eq!(category, "Medium");
    assert!(e.to_string().contains("2099-01-02T00:00:00"), "{e}");
    // The category stays closed: the next Medium call fails without a request.
    let e = c.users_summary().await.unwrap_err();
    assert!(matches!(e, ZoomError::DailyLimit { .. }), "{e:?}");
    assert_eq!(peer.api_requests("/v2/users/summary"), 0);
}

#[tokio::test]
async fn a_refused_token_is_renewed_then_reported_as_rejected_not_as_credentials() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|s, n| {
            if s.path == "/v2/users/me" && n == 0 {
                json_response(
                    401,
                    json!({"code": 124, "message": "Access token is expired."}),
                )
            } else if s.path == "/v2/users/me" {
                json_response(200, user(1))
            } else {
                json_response(
                    401,
                    json!({"code": 124, "message": "Invalid access token."}),
                )
            }
        }),
    )
    .await;
    let c = peer.client();
    c.get_user("me").await.unwrap();
    assert_eq!(peer.api_requests("/oauth/token"), 2);
    let e = c.users_summary().await.unwrap_err();
    // The token endpoint took the credentials: not an authentication
    // failure ("check the client secret" would send the user astray).
    assert!(!e.is_auth(), "{e:?}");
    assert!(
        matches!(e, ZoomError::TokenRejected { attempts, .. } if attempts == 11),
        "{e:?}"
    );
    // One renewal for the token the API had taken (expired), then
    // MAX_FRESH_TOKEN_REFUSALS fresh tokens refused in a row.
    assert_eq!(
        peer.api_requests("/v2/users/summary"),
        1 + zoomscope::zoom::MAX_FRESH_TOKEN_REFUSALS as usize,
    );
    assert_no_secrets(&format!("{e} {e:?}"));
}

#[tokio::test]
async fn bad_credentials_are_an_auth_error_without_the_secret() {
    let peer = Peer::start(
        None,
        Arc::new(|s, _| {
            // A hostile peer that echoes the Authorization header back.
            let echoed = s.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
            json_response(
                400,
                json!({"reason": format!("Invalid client_id or client_secret {SECRET} {echoed}"), "error": "invalid_client"}),
            )
        }),
    )
    .await;
    let c = peer.client();
    let e = c
        .list_users(UserStatus::Active, &no_progress)
        .await
        .unwrap_err();
    let ZoomError::Auth { error, reason } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(error, "invalid_client");
    assert!(reason.starts_with("Invalid client_id or client_secret"));
    let shown = format!("{e} {e:?} {c:?}");
    assert_no_secrets(&shown);
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("client-1:{SECRET}"));
    assert!(!shown.contains(&basic), "{shown}");
}

#[tokio::test]
async fn missing_scopes_are_typed_whether_known_in_advance_or_answered() {
    // The token lists only the users scope: groups are refused before any request.
    let peer = Peer::start(
        Some(token_body("user:read:list_users:admin")),
        Arc::new(|s, _| match s.path.as_str() {
            "/v2/roles" => json_response(
                400,
                json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[role:read:list_roles, role:read:list_roles:admin]."}),
            ),
            _ => raw_response(403, &[], ""),
        }),
    )
    .await;
    let c = peer.client();
    let e = c.list_groups(&no_progress).await.unwrap_err();
    let ZoomError::MissingScope { scopes, endpoint } = &e else {
        panic!("{e:?}");
    };
    assert!(scopes.contains(&"group:read:list_groups:admin".to_string()));
    assert!(scopes.contains(&"group:read:admin".to_string()));
    assert_eq!(endpoint, "GET /groups");
    assert_eq!(peer.api_requests("/v2/groups"), 0);

    // A token without a scope list: the server's answers decide.
    let peer = Peer::start(
        Some(json!({"access_token": TOKEN, "expires_in": 3599})),
        Arc::new(|s, _| match s.path.as_str() {
            "/v2/roles" => json_response(
                400,
                json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[role:read:list_roles, role:read:list_roles:admin]."}),
            ),
            _ => raw_response(403, &[], ""),
        }),
    )
    .await;
    let c = peer.client();
    let e = c.list_roles().await.unwrap_err();
    match &e {
        ZoomError::MissingScope { scopes, .. } => {
            assert_eq!(
                scopes,
                &["role:read:list_roles", "role:read:list_roles:admin"]
            )
        }
        other => panic!("{other:?}"),
    }
    // A bare 403 (no scope code) is a plan or permission answer: the part
    // is unavailable, not a scope the token could be given.
    let e = c.account_lock_settings().await.unwrap_err();
    assert!(!e.is_missing_scope(), "{e:?}");
    assert!(e.is_unavailable(), "{e:?}");
    assert_eq!(e.unavailable_message().as_deref(), Some("Forbidden"));
}

#[tokio::test]
async fn the_older_paging_shape_pages_by_number_and_drops_duplicates() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|s, _| {
            let q: HashMap<String, String> = url::form_urlencoded::parse(s.query.as_bytes()).into_owned().collect();
            let page: usize = q.get("page_number").map(|p| p.parse().unwrap()).unwrap_or(1);
            assert_eq!(q.get("page_size").map(String::as_str), Some("2000"));
            assert_eq!(q.get("status").map(String::as_str), Some("inactive"));
            // Three pages of 3 users; each page repeats the previous page's last user.
            let start = (page - 1) * 3;
            let mut users: Vec<_> = (start..start + 3).map(user).collect();
            if page > 1 {
                users.insert(0, user(start - 1));
            }
            json_response(200, json!({"page_count": 3, "page_number": page, "page_size": 3, "total_records": 9, "users": users}))
        }),
    )
    .await;
    let c = peer.client();
    let progress = Mutex::new(Vec::new());
    let on_page =
        |p: zoomscope::zoom::PageInfo| progress.lock().unwrap().push((p.fetched, p.total));
    let users = c.list_users(UserStatus::Inactive, &on_page).await.unwrap();
    assert_eq!(users.len(), 9);
    let ids: std::collections::HashSet<_> = users.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids.len(), 9);
    assert_eq!(peer.api_requests("/v2/users"), 3);
    assert_eq!(
        *progress.lock().unwrap(),
        vec![(3, Some(9)), (6, Some(9)), (9, Some(9))]
    );
}

#[tokio::test]
async fn a_server_that_ignores_page_number_ends_with_a_paging_error() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| {
            json_response(
                200,
                json!({"page_count": 5, "page_number": 1, "members": [{"id": "m1"}]}),
            )
        }),
    )
    .await;
    let e = peer
        .client()
        .list_group_members("g1", &no_progress)
        .await
        .unwrap_err();
    assert!(matches!(e, ZoomError::Paging { .. }), "{e:?}");
    assert_eq!(peer.api_requests("/v2/groups/g1/members"), 2);
}

#[tokio::test]
async fn persistent_5xx_ends_with_a_server_error_after_bounded_retries() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| raw_response(503, &[("content-type", "text/html")], "<h1>down</h1>")),
    )
    .await;
    let c = peer.client();
    let start = Instant::now();
    let e = c.get_role("0").await.unwrap_err();
    assert!(
        matches!(
            e,
            ZoomError::Server {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(peer.api_requests("/v2/roles/0"), 3);
    // max_retries 2: backoff ceilings 200 ms + 400 ms.
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_200_that_is_not_json_is_malformed_and_names_the_endpoint() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|s, _| match s.path.as_str() {
            "/v2/users/summary" => raw_response(
                200,
                &[("content-type", "text/html")],
                "<html>maintenance</html>",
            ),
            "/v2/accounts/me/managed_domains" => {
                json_response(200, json!({"domains": "example.com"}))
            }
            _ => json_response(200, json!([1, 2, 3])),
        }),
    )
    .await;
    let c = peer.client();
    let e = c.users_summary().await.unwrap_err();
    match &e {
        ZoomError::Malformed { endpoint, detail } => {
            assert_eq!(endpoint, "GET /users/summary");
            assert!(detail.contains("not valid JSON"), "{detail}");
            assert!(!detail.contains("maintenance"), "the body is not quoted");
        }
        other => panic!("{other:?}"),
    }
    let e = c.managed_domains().await.unwrap_err();
    assert!(e.to_string().contains("`domains` is a string"), "{e}");
    let e = c
        .user_settings("u1", zoomscope::zoom::UserSettingsOption::MeetingSecurity)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "malformed response from GET /users/u1/settings?option=meeting_security: settings is an array, not an object"
    );
}

#[tokio::test]
async fn other_4xx_carry_zoom_code_and_message() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| {
            json_response(
                404,
                json!({"code": 1001, "message": "User does not exist: nobody@example.com."}),
            )
        }),
    )
    .await;
    let e = peer
        .client()
        .get_user("nobody@example.com")
        .await
        .unwrap_err();
    match &e {
        ZoomError::Api {
            status,
            code,
            message,
            endpoint,
            tracking_id,
        } => {
            assert_eq!((*status, *code), (404, Some(1001)));
            // This peer sends no x-zm-trackingid.
            assert_eq!(tracking_id, &None);
            assert_eq!(message, "User does not exist: nobody@example.com.");
            assert_eq!(endpoint, "GET /users/nobody@example.com");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        peer.seen()
            .iter()
            .any(|s| s.path == "/v2/users/nobody@example.com")
    );
}

#[tokio::test]
async fn ids_are_path_encoded() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| json_response(200, json!({"id": "r/1"}))),
    )
    .await;
    peer.client().get_role("r/1?x=y").await.unwrap();
    assert!(
        peer.seen()
            .iter()
            .any(|s| s.path == "/v2/roles/r%2F1%3Fx=y"),
        "{:?}",
        peer.seen()
            .iter()
            .map(|s| s.path.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    let mk = |api: &str| {
        let mut c = ClientConfig::new("a", "b", Secret::new(SECRET));
        c.api_url = api.into();
        ZoomClient::new(c)
    };
    assert!(matches!(
        mk("http://api.zoom.us/v2"),
        Err(ZoomError::Config(_))
    ));
    assert!(mk("http://127.0.0.1:9/v2").is_ok());
    assert!(mk("http://localhost:9/v2").is_ok());
    assert!(mk("http://[::1]:9/v2").is_ok());
    let mut c = ClientConfig::new("a", "b", Secret::new(SECRET));
    c.oauth_url = "http://zoom.us".into();
    assert!(matches!(ZoomClient::new(c), Err(ZoomError::Config(_))));
    let c = ClientConfig::new("a", "b", Secret::new(""));
    assert!(matches!(ZoomClient::new(c), Err(ZoomError::Config(_))));
    let c = ClientConfig::new("a", "b", Secret::new(SECRET));
    let shown = format!("{c:?} {:?}", ZoomClient::new(c.clone()).unwrap());
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("https://api.zoom.us/v2"));
}

#[tokio::test]
async fn a_closed_token_port_is_final_at_once_naming_the_url() {
    let port = crate::support::local::closed_port();
    let mut c = ClientConfig::new("a", "b", Secret::new(SECRET));
    c.api_url = format!("http://127.0.0.1:{port}/v2");
    c.oauth_url = format!("http://127.0.0.1:{port}");
    c.max_retries = 1;
    let client = ZoomClient::new(c).unwrap();
    let started = std::time::Instant::now();
    let e = client.get_user("me").await.unwrap_err();
    // A refused connection to the token endpoint is final at once (no
    // retries), names the URL, and every later call fails the same way
    // without trying again.
    match &e {
        ZoomError::Unreachable { url, .. } => {
            assert_eq!(url, &format!("http://127.0.0.1:{port}/oauth/token"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains(&format!("127.0.0.1:{port}/oauth/token")),
        "{e}"
    );
    let again = client.users_summary().await.unwrap_err();
    assert!(again.is_unreachable(), "{again:?}");
    assert_eq!(client.stats().token_requests, 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_no_secrets(&format!("{e} {e:?}"));
}

#[tokio::test]
async fn redirects_are_not_followed_with_the_token() {
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| raw_response(302, &[("location", "http://127.0.0.1:1/steal")], "")),
    )
    .await;
    let e = peer.client().get_user("me").await.unwrap_err();
    assert!(matches!(e, ZoomError::Api { status: 302, .. }), "{e:?}");
}

#[tokio::test]
async fn response_status_is_checked_not_assumed() {
    // A 204 with no body on a JSON endpoint is malformed, not a panic.
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|_, _| {
            Response::builder()
                .status(StatusCode::NO_CONTENT)
                .body(Body::empty())
                .unwrap()
        }),
    )
    .await;
    let e = peer.client().get_user("me").await.unwrap_err();
    assert!(matches!(e, ZoomError::Malformed { .. }), "{e:?}");
}

/// Captures everything logged (all levels, all crates) into a buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_show_the_secret_or_the_token() {
    let capture = Capture::default();
    let sink = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A run that exercises every logging path: renewal, 429, 5xx, errors.
    let peer = Peer::start(
        Some(all_scopes()),
        Arc::new(|s, n| match (s.path.as_str(), n) {
            (_, 0) => json_response(
                401,
                json!({"code": 124, "message": "Access token is expired."}),
            ),
            (_, 1) => raw_response(
                429,
                &[("retry-after", "0"), ("x-ratelimit-type", "QPS")],
                "",
            ),
            (_, 2) => raw_response(502, &[], "bad gateway"),
            ("/v2/users", _) => {
                json_response(200, json!({"users": [user(1)], "next_page_token": ""}))
            }
            _ => json_response(
                404,
                json!({"code": 1001, "message": format!("User does not exist: {TOKEN}")}),
            ),
        }),
    )
    .await;
    let c = peer.client();
    c.list_users(UserStatus::Active, &no_progress)
        .await
        .unwrap();
    let e = c.get_user("x").await.unwrap_err();
    assert_no_secrets(&format!("{e} {e:?}"));
    let logged = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("access token refused; renewing"),
        "the run was logged: {logged}"
    );
    assert!(logged.contains("rate limited"), "{logged}");
    assert_no_secrets(&logged);
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("client-1:{SECRET}"));
    assert!(!logged.contains(&basic));
}
