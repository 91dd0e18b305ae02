//! Fault injection and paging quirks, over real HTTP (reqwest as a plain
//! client): what each fault looks like on the wire, and that decisions are
//! reproducible under the seed.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use zoomscope::sandbox::{
    Faults, PagingQuirks, RateLimitConfig, RunningSandbox, Sandbox, SandboxConfig, UserStatus,
};

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        // A fresh connection per request, so a dropped one cannot leak into the next.
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

async fn start(users: usize, faults: Faults) -> RunningSandbox {
    Sandbox::start(SandboxConfig {
        users,
        faults,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

async fn token(sb: &RunningSandbox) -> String {
    let body: Value = http()
        .post(format!("{}/oauth/token", sb.oauth_url()))
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[
            ("grant_type", "account_credentials"),
            ("account_id", sb.account_id()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

async fn get(sb: &RunningSandbox, t: &str, path: &str) -> reqwest::Result<(StatusCode, String)> {
    let r = http()
        .get(format!("{}{}", sb.api_url(), path))
        .bearer_auth(t)
        .send()
        .await?;
    let status = r.status();
    Ok((status, r.text().await?))
}

#[tokio::test]
async fn dropped_connections_send_no_response() {
    let sb = start(
        50,
        Faults {
            drop_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let t = token(&sb).await;
    let err = get(&sb, &t, "/users").await.expect_err("no response");
    assert!(!err.is_status(), "{err:?}");
    assert!(!err.is_timeout(), "closed promptly, not timed out: {err:?}");
    assert_eq!(sb.stats().dropped, 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn server_errors_are_reproducible_under_the_seed() {
    let faults = Faults {
        error_rate: 0.2,
        ..Faults::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        // Rate limits off: 100 quick Light requests would exceed 80/s.
        let sb = Sandbox::start(SandboxConfig {
            users: 50,
            faults: faults.clone(),
            rate_limits: RateLimitConfig {
                enabled: false,
                ..RateLimitConfig::default()
            },
            ..SandboxConfig::default()
        })
        .await
        .unwrap();
        let t = token(&sb).await;
        let mut statuses = Vec::new();
        for _ in 0..100 {
            statuses.push(get(&sb, &t, "/users/me").await.unwrap().0.as_u16());
        }
        let errors = statuses.iter().filter(|s| **s >= 500).count() as u64;
        assert_eq!(errors, sb.stats().injected_5xx);
        assert!((8..=35).contains(&errors), "{errors} of 100 at 20%");
        assert!(statuses.iter().all(|s| matches!(s, 200 | 500 | 502 | 503)));
        runs.push(statuses);
        sb.shutdown().await;
    }
    assert_eq!(runs[0], runs[1]);
}

#[tokio::test]
async fn injected_429_bursts_look_like_qps_limits() {
    let sb = start(
        50,
        Faults {
            burst_429_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let t = token(&sb).await;
    let r = http()
        .get(format!("{}/groups", sb.api_url()))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["x-ratelimit-type"], "QPS");
    assert_eq!(r.headers()["x-ratelimit-category"], "Medium");
    assert_eq!(r.headers()["retry-after"], "1");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 429);
    assert_eq!(sb.stats().injected_429, 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_are_broken_json_or_wrong_types() {
    let sb = start(
        300,
        Faults {
            malformed_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let t = token(&sb).await;
    let (mut truncated, mut wrong) = (0, 0);
    for _ in 0..20 {
        let (status, text) = get(&sb, &t, "/users?page_size=100").await.unwrap();
        assert_eq!(status, StatusCode::OK);
        match serde_json::from_str::<Value>(&text) {
            Err(_) => truncated += 1,
            Ok(v) => {
                assert!(v["total_records"].is_string(), "{v}");
                assert!(!v["users"][0]["type"].is_number());
                wrong += 1;
            }
        }
    }
    assert!(
        truncated > 0 && wrong > 0,
        "{truncated} truncated, {wrong} wrong types"
    );
    assert_eq!(sb.stats().malformed, 20);
    sb.shutdown().await;
}

#[tokio::test]
async fn early_expiry_and_token_use_limit() {
    let sb = start(
        50,
        Faults {
            early_expiry_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let t = token(&sb).await;
    let (status, body) = get(&sb, &t, "/users").await.unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body.contains("\"code\":124") && body.contains("expired"),
        "{body}"
    );
    assert_eq!(sb.stats().early_expiries, 1);
    sb.shutdown().await;

    // Token expiry in the middle of a listing: the page token survives renewal.
    let sb = start(
        400,
        Faults {
            token_max_uses: Some(2),
            ..Faults::default()
        },
    )
    .await;
    let t1 = token(&sb).await;
    let (_, p1) = get(&sb, &t1, "/users?page_size=100").await.unwrap();
    let next = serde_json::from_str::<Value>(&p1).unwrap()["next_page_token"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/users?page_size=100&next_page_token={next}");
    assert_eq!(get(&sb, &t1, &path).await.unwrap().0, StatusCode::OK);
    let (status, body) = get(&sb, &t1, &path).await.unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let t2 = token(&sb).await;
    assert_eq!(get(&sb, &t2, &path).await.unwrap().0, StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn latency_is_added() {
    let sb = start(
        50,
        Faults {
            latency: Duration::from_millis(150),
            ..Faults::default()
        },
    )
    .await;
    let t = token(&sb).await;
    let started = Instant::now();
    assert_eq!(get(&sb, &t, "/users/me").await.unwrap().0, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
    sb.shutdown().await;
}

async fn walk(
    sb: &RunningSandbox,
    t: &str,
    limit: usize,
) -> (Vec<Value>, Vec<String>, Option<Value>) {
    let mut users = Vec::new();
    let mut tokens = Vec::new();
    let mut next = String::new();
    for _ in 0..limit {
        let path = if next.is_empty() {
            "/users?page_size=100".to_string()
        } else {
            format!("/users?page_size=100&next_page_token={next}")
        };
        let (status, text) = get(sb, t, &path).await.unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        if status != StatusCode::OK {
            return (users, tokens, Some(v));
        }
        users.extend(v["users"].as_array().unwrap().iter().cloned());
        next = v["next_page_token"].as_str().unwrap().to_string();
        if next.is_empty() {
            break;
        }
        tokens.push(next.clone());
    }
    (users, tokens, None)
}

#[tokio::test]
async fn quirk_repeated_page_token() {
    let sb = start(
        1_000,
        Faults {
            paging: PagingQuirks {
                repeat_token: true,
                ..PagingQuirks::default()
            },
            ..Faults::default()
        },
    )
    .await;
    let t = token(&sb).await;
    let (_, tokens, _) = walk(&sb, &t, 4).await;
    assert_eq!(tokens.len(), 4);
    assert_eq!(tokens[1], tokens[0], "the second page repeats the token");
    sb.shutdown().await;
}

#[tokio::test]
async fn quirk_page_token_expires_once() {
    let sb = start(
        1_000,
        Faults {
            paging: PagingQuirks {
                expire_token_once: true,
                ..PagingQuirks::default()
            },
            ..Faults::default()
        },
    )
    .await;
    let org = sb.org();
    let t = token(&sb).await;
    let (_, _, error) = walk(&sb, &t, 100).await;
    assert_eq!(error.unwrap()["code"], 300);
    // Restarting the listing works to the end.
    let (users, _, error) = walk(&sb, &t, 100).await;
    assert!(error.is_none());
    assert_eq!(users.len(), org.count(UserStatus::Active));
    assert_eq!(sb.stats().page_token_errors, 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn quirk_duplicate_ids_across_pages() {
    let sb = start(
        1_000,
        Faults {
            paging: PagingQuirks {
                duplicate_ids: true,
                ..PagingQuirks::default()
            },
            ..Faults::default()
        },
    )
    .await;
    let org = sb.org();
    let t = token(&sb).await;
    let (users, _, error) = walk(&sb, &t, 100).await;
    assert!(error.is_none());
    let ids: Vec<&str> = users.iter().map(|u| u["id"].as_str().unwrap()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert!(ids.len() > unique.len(), "some ids repeat");
    assert_eq!(unique.len(), org.count(UserStatus::Active));
    sb.shutdown().await;
}

#[tokio::test]
async fn mutate_every_changes_the_org() {
    let sb = Sandbox::start(SandboxConfig {
        users: 200,
        mutate_every: Some(Duration::from_millis(100)),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let before = sb.org();
    tokio::time::sleep(Duration::from_millis(650)).await;
    assert!(sb.stats().changes >= 3, "{:?}", sb.stats());
    assert_ne!(sb.org(), before);
    sb.shutdown().await;
}
