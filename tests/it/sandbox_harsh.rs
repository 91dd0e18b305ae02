//! The sandbox as harsh as Zoom, over real HTTP (reqwest as a plain
//! client): plan-only endpoints, missing-scope answer styles, paging by
//! `page_number`, paging fields ahead of the list, `privilege_scopes`,
//! repeated query keys, other apps' share of the limits, and a standalone
//! `zoomscope sandbox` that stops promptly on SIGTERM.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use zoomscope::sandbox::{
    Faults, RateLimitConfig, RunningSandbox, Sandbox, SandboxConfig, ScopeErrorStyle,
};

use crate::support::sandbox::{http, token};

/// A sandbox without rate limits unless `cfg` sets them (most tests here
/// send quick sequences of requests).
async fn start(cfg: SandboxConfig) -> RunningSandbox {
    Sandbox::start(cfg).await.expect("sandbox starts")
}

fn unlimited() -> RateLimitConfig {
    RateLimitConfig {
        enabled: false,
        ..RateLimitConfig::default()
    }
}

/// (status, headers, body text)
async fn get(
    sb: &RunningSandbox,
    t: &str,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let r = http()
        .get(format!("{}{}", sb.api_url(), path))
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[tokio::test]
async fn the_free_plan_answers_code_200_on_paid_only_endpoints() {
    let sb = start(SandboxConfig {
        users: 30,
        plan: "free".into(),
        rate_limits: unlimited(),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    for (path, message) in [
        ("/groups", "Only available for Paid account."),
        ("/accounts/me/settings", "Only available for paid accounts."),
        (
            "/accounts/me/lock_settings",
            "Only available for paid accounts.",
        ),
        ("/accounts/me/managed_domains", "No permission."),
    ] {
        let (status, headers, body) = get(&sb, &t, path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(
            json(&body),
            serde_json::json!({"code": 200, "message": message})
        );
        assert!(headers.contains_key("x-zm-trackingid"), "{path}");
    }
    for path in ["/users", "/roles", "/users/summary"] {
        assert_eq!(get(&sb, &t, path).await.0, StatusCode::OK, "{path}");
    }
    assert_eq!(sb.stats().plan_unavailable, 4);
    // Pro has them.
    let pro = start(SandboxConfig {
        users: 30,
        plan: "pro".into(),
        rate_limits: unlimited(),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&pro).await;
    assert_eq!(
        get(&pro, &t, "/accounts/me/managed_domains").await.0,
        StatusCode::OK
    );
    sb.shutdown().await;
    pro.shutdown().await;
}

#[tokio::test]
async fn missing_scopes_are_answered_in_the_style_asked_for() {
    for (style, status, code) in [
        (ScopeErrorStyle::Zoom, 400, 4711),
        (ScopeErrorStyle::Code4711, 400, 4711),
        (ScopeErrorStyle::Code4700, 400, 4700),
        (ScopeErrorStyle::Code104, 400, 104),
        (ScopeErrorStyle::Forbidden, 403, 4711),
    ] {
        let sb = start(SandboxConfig {
            users: 20,
            scopes: vec!["user:read:admin".into()],
            faults: Faults {
                scope_error: style,
                ..Faults::default()
            },
            rate_limits: unlimited(),
            ..SandboxConfig::default()
        })
        .await;
        let t = token(&sb).await;
        let (s, _, body) = get(&sb, &t, "/groups").await;
        assert_eq!(s.as_u16(), status, "{style:?}: {body}");
        let v = json(&body);
        assert_eq!(v["code"], code, "{style:?}: {body}");
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid access token, does not contain"),
            "{body}"
        );
        sb.shutdown().await;
    }
}

#[tokio::test]
async fn paging_fields_come_before_the_list_and_page_number_is_honoured() {
    let sb = start(SandboxConfig {
        users: 700,
        rate_limits: unlimited(),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    for (path, list) in [
        ("/users?page_size=300", "\"users\""),
        ("/groups?page_size=300", "\"groups\""),
        ("/roles/2/members?page_size=300", "\"members\""),
        ("/roles", "\"roles\""),
        ("/accounts/me/managed_domains", "\"domains\""),
    ] {
        let (s, _, body) = get(&sb, &t, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let at_list = body.find(list).unwrap();
        let at_total = body.find("\"total_records\"").unwrap();
        assert!(at_total < at_list, "{path}: {body:.200}");
    }
    // page_number without a token picks the page.
    let (_, _, first) = get(&sb, &t, "/users?page_size=100").await;
    let (_, _, third) = get(&sb, &t, "/users?page_size=100&page_number=3").await;
    let (first, third) = (json(&first), json(&third));
    assert_eq!(third["page_number"], 3);
    assert_ne!(first["users"][0]["id"], third["users"][0]["id"]);
    // Walking by page_number sees every user once.
    let total = first["total_records"].as_u64().unwrap();
    let pages = first["page_count"].as_u64().unwrap();
    let mut ids = std::collections::HashSet::new();
    for n in 1..=pages {
        let (_, _, b) = get(&sb, &t, &format!("/users?page_size=100&page_number={n}")).await;
        for u in json(&b)["users"].as_array().unwrap() {
            assert!(ids.insert(u["id"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(ids.len() as u64, total);
    sb.shutdown().await;
}

#[tokio::test]
async fn role_detail_has_privilege_scopes_and_repeated_query_keys_are_kept() {
    let sb = start(SandboxConfig {
        users: 50,
        rate_limits: unlimited(),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    let (_, _, role) = get(&sb, &t, "/roles/1").await;
    assert!(json(&role)["privilege_scopes"].is_array(), "{role}");
    // Both values of a repeated key count (the last one used to win alone).
    let (s, _, body) = get(&sb, &t, "/users?page_size=5&status=active&status=nonsense").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (s, _, _) = get(&sb, &t, "/users?page_size=5&status=nonsense&status=active").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn per_second_429s_carry_no_retry_after_and_other_apps_take_their_share() {
    let sb = start(SandboxConfig {
        users: 20,
        plan: "pro".into(),
        rate_limits: RateLimitConfig {
            other_apps_share: 0.5,
            ..RateLimitConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    // Pro Medium 20/s, half taken: 10/s left, a burst of two. Three at
    // once: one is refused, without Retry-After (Zoom documents none).
    let (a, b, c) = tokio::join!(
        get(&sb, &t, "/users/summary"),
        get(&sb, &t, "/users/summary"),
        get(&sb, &t, "/users/summary")
    );
    let refused = [a, b, c]
        .into_iter()
        .find(|r| r.0 == StatusCode::TOO_MANY_REQUESTS)
        .expect("one of three simultaneous requests refused");
    assert!(refused.1.get("retry-after").is_none());
    assert_eq!(refused.1["x-ratelimit-type"], "QPS");
    // Evenly at 9/s for 2 s: nothing refused.
    let before = sb.stats().rate_limited_qps;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let start_at = Instant::now();
    for i in 0..18u32 {
        let due = start_at + Duration::from_secs_f64(f64::from(i) / 9.0);
        tokio::time::sleep_until(due.into()).await;
        let (s, _, _) = get(&sb, &t, "/users/summary").await;
        assert_eq!(s, StatusCode::OK, "request {i}");
    }
    assert_eq!(sb.stats().rate_limited_qps, before);
    sb.shutdown().await;
}

#[cfg(unix)]
#[test]
fn the_standalone_sandbox_stops_promptly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_zoomscope"))
        .args(["sandbox", "--port", "0", "--json", "--users", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        info["plan"], "pro",
        "the standalone sandbox defaults to Pro"
    );
    // A keep-alive connection open, as a client would leave it.
    let api = info["api_url"].as_str().unwrap().to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = http();
    rt.block_on(async { client.get(format!("{api}/users")).send().await.unwrap() });
    let sent = Instant::now();
    assert!(
        Command::new("kill")
            .arg(child.id().to_string())
            .status()
            .unwrap()
            .success()
    );
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(3),
            "still running 3 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
