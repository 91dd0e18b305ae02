//! The sandbox's operation log and sign-in activity over real HTTP, as
//! Zoom serves them (`docs/zoom-contract.md#operation-logs-and-sign-in-activity`):
//! `from`/`to` days at most a month apart, newest first, paged with
//! `next_page_token`, Heavy, paid plans only, and a change applied to the
//! sandbox logged with an admin as operator.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use zoomscope::sandbox::{Change, ChangeKind, RunningSandbox, SandboxConfig};

use crate::support::sandbox::{a_member, http, start, token};

async fn get(
    sb: &RunningSandbox,
    token: &str,
    path_and_query: &str,
) -> (StatusCode, Value, String) {
    // A per-second 429 is waited out and asked again, as a client must.
    let mut tries = 0;
    let r = loop {
        let r = http()
            .get(format!("{}{path_and_query}", sb.api_url()))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        tries += 1;
        if r.status() != StatusCode::TOO_MANY_REQUESTS || tries > 10 {
            break r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    };
    let status = r.status();
    let category = r
        .headers()
        .get("X-RateLimit-Category")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, r.json().await.unwrap(), category)
}

fn days_ago(n: i64) -> String {
    (Utc::now() - Duration::days(n)).date_naive().to_string()
}

#[tokio::test]
async fn sign_ins_page_newest_first_over_a_month() {
    let sb = start(SandboxConfig {
        users: 200,
        seed: 11,
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    let mut query = format!(
        "/report/activities?from={}&to={}&page_size=50",
        days_ago(30),
        days_ago(0)
    );
    let mut all: Vec<Value> = Vec::new();
    let mut pages = 0;
    loop {
        let (status, body, category) = get(&sb, &t, &query).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(category, "Heavy");
        assert_eq!(body["page_size"], 50);
        let items = body["activity_logs"].as_array().unwrap();
        assert!(items.len() <= 50);
        all.extend(items.iter().cloned());
        pages += 1;
        let next = body["next_page_token"].as_str().unwrap();
        if next.is_empty() {
            break;
        }
        query = format!(
            "/report/activities?from={}&to={}&page_size=50&next_page_token={next}",
            days_ago(30),
            days_ago(0)
        );
    }
    assert!(pages > 1, "several pages: {}", all.len());
    let times: Vec<&str> = all.iter().map(|e| e["time"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    for e in &all {
        for k in [
            "email",
            "time",
            "type",
            "ip_address",
            "client_type",
            "version",
        ] {
            assert!(e.get(k).is_some(), "{k} in {e}");
        }
    }
}

#[tokio::test]
async fn dates_plan_and_scope_are_refused_as_zoom_does() {
    let sb = start(SandboxConfig {
        users: 50,
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    let (status, body, _) = get(
        &sb,
        &t,
        &format!(
            "/report/operationlogs?from={}&to={}",
            days_ago(45),
            days_ago(0)
        ),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(300)),
        "{body}"
    );
    let (status, body, _) = get(&sb, &t, "/report/operationlogs?from=12%2F01%2F2026").await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(300)),
        "{body}"
    );

    let free = start(SandboxConfig {
        users: 50,
        plan: "free".into(),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&free).await;
    let (status, body, _) = get(&free, &t, "/report/operationlogs").await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(200)),
        "{body}"
    );

    let no_reports = start(SandboxConfig {
        users: 50,
        scopes: vec!["user:read:admin".into()],
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&no_reports).await;
    let (status, body, _) = get(&no_reports, &t, "/report/activities").await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (StatusCode::BAD_REQUEST, Some(4711)),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("report:read:user_activities:admin")
    );
}

#[tokio::test]
async fn a_change_is_logged_with_an_admin_as_operator() {
    let sb = start(SandboxConfig {
        users: 100,
        seed: 5,
        ..SandboxConfig::default()
    })
    .await;
    let member = a_member(&sb);
    sb.apply_change(Change::for_user(ChangeKind::MakeAdmin, member.clone()))
        .unwrap();
    let t = token(&sb).await;
    let (status, body, _) = get(&sb, &t, "/report/operationlogs").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let newest = &body["operation_logs"][0];
    assert_eq!(
        newest["operation_detail"],
        format!("Update User {member}  - User Role: from Member to Admin")
    );
    assert_eq!(newest["category_type"], "User");
    assert_eq!(newest["action"], "Update");
    let operator = newest["operator"].as_str().unwrap();
    let org = sb.org();
    let op = org.user_by_email(operator).unwrap();
    assert!(
        op.role_id == "0" || op.role_id == "1",
        "{operator} is an admin"
    );
}
