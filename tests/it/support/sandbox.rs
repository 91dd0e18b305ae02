//! The in-process sandbox from a test's or a bench's side: starting it, a
//! plain HTTP client, an OAuth token fetched by hand (the
//! `account_credentials` grant, as Zoom documents it at
//! <https://developers.zoom.us/docs/internal-apps/s2s-oauth/>), and a
//! `ZoomClient` pointed at it. One copy, so every caller asks for a token
//! the same way.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zoomscope::sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use zoomscope::zoom::{ClientConfig, Secret, ZoomClient};

/// Starts a sandbox; a test cannot go on without one.
pub async fn start(cfg: SandboxConfig) -> RunningSandbox {
    Sandbox::start(cfg).await.expect("sandbox starts")
}

/// A plain HTTP client (deliberately not `zoomscope::zoom`) with a timeout,
/// so a sandbox that stops answering fails the test instead of hanging it.
/// Callers that need more (no connection pool) start from this builder.
pub fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().timeout(Duration::from_secs(30))
}

/// [`http_builder`], built.
pub fn http() -> reqwest::Client {
    http_builder().build().expect("HTTP client builds")
}

/// The raw answer of `POST /oauth/token` with the sandbox's credentials.
pub async fn token_response(sb: &RunningSandbox) -> (StatusCode, Value) {
    let r = http()
        .post(format!("{}/oauth/token", sb.oauth_url()))
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[
            ("grant_type", "account_credentials"),
            ("account_id", sb.account_id()),
        ])
        .send()
        .await
        .expect("token request");
    let status = r.status();
    (status, r.json().await.expect("token body is JSON"))
}

/// An access token for the sandbox's account.
pub async fn token(sb: &RunningSandbox) -> String {
    let (status, body) = token_response(sb).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"]
        .as_str()
        .expect("access_token in the token body")
        .to_string()
}

/// A client configuration for the sandbox's account and URLs.
pub fn client_config(sb: &RunningSandbox) -> ClientConfig {
    let mut c = ClientConfig::new(
        sb.account_id(),
        sb.client_id(),
        Secret::new(sb.client_secret()),
    );
    c.api_url = sb.api_url();
    c.oauth_url = sb.oauth_url();
    c
}

/// A `ZoomClient` for the sandbox, after `f` adjusts its configuration.
pub fn client_with(sb: &RunningSandbox, f: impl FnOnce(&mut ClientConfig)) -> ZoomClient {
    let mut c = client_config(sb);
    f(&mut c);
    ZoomClient::new(c).expect("client config")
}

/// A `ZoomClient` for the sandbox with the default configuration.
pub fn client_for(sb: &RunningSandbox) -> ZoomClient {
    client_with(sb, |_| {})
}

/// The e-mail of a plain member with a Zoom id (role 2), the user a test
/// promotes or changes.
pub fn a_member(sb: &RunningSandbox) -> String {
    sb.org()
        .users
        .iter()
        .find(|u| u.role_id == "2" && u.id.is_some())
        .expect("the org has a member")
        .email
        .clone()
}

/// `POST /_sandbox/change` as an operator's script would send it; the
/// applied change's JSON (`user_key`, `before`, `after`, …).
pub async fn post_change(sb: &RunningSandbox, kind: &str, user: &str) -> Value {
    let r = http()
        .post(format!("{}/_sandbox/change", sb.oauth_url()))
        .json(&json!({"change": kind, "user": user}))
        .send()
        .await
        .expect("the sandbox answers");
    assert!(r.status().is_success(), "{kind} {user}: {}", r.status());
    r.json().await.expect("the applied change as JSON")
}
