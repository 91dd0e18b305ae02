//! A small HTTP proxy in front of the sandbox that answers chosen paths as
//! a real Zoom account sometimes does (an error, a garbled body) and
//! forwards everything else, for tests of what one unreadable item costs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use zoomscope::sandbox::RunningSandbox;

/// What the proxy does with one request: `None` forwards it untouched.
pub enum Fault {
    /// Answer with this status and JSON body instead of forwarding.
    Answer(u16, Value),
    /// Forward, then rewrite the JSON body of the answer.
    Rewrite(fn(&mut Value)),
}

pub type Rule = Arc<dyn Fn(&str) -> Option<Fault> + Send + Sync>;

struct ProxyState {
    upstream: String,
    http: reqwest::Client,
    rule: Rule,
}

/// A local server in front of the sandbox's API (`/v2/...`): each request
/// whose path `rule` picks gets its fault, every other one is forwarded.
/// Returns the API URL to give zoomscope.
pub async fn proxy(sb: &RunningSandbox, rule: Rule) -> String {
    let state = Arc::new(ProxyState {
        upstream: sb.oauth_url(),
        http: reqwest::Client::new(),
        rule,
    });
    let app = axum::Router::new().fallback(forward).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/v2")
}

async fn forward(State(s): State<Arc<ProxyState>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    let fault = (s.rule)(&path);
    if let Some(Fault::Answer(status, body)) = &fault {
        return (
            StatusCode::from_u16(*status).unwrap(),
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    let target = format!(
        "{}{}",
        s.upstream,
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    );
    let mut req = s.http.get(target);
    if let Some(a) = headers.get("authorization") {
        req = req.header("authorization", a.as_bytes());
    }
    let answer = req.send().await.unwrap();
    let status = answer.status().as_u16();
    let mut body: Bytes = answer.bytes().await.unwrap();
    if let Some(Fault::Rewrite(f)) = fault
        && status == 200
    {
        let mut v: Value = serde_json::from_slice(&body).unwrap();
        f(&mut v);
        body = Bytes::from(v.to_string());
    }
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        body,
    )
        .into_response()
}
