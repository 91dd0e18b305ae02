//! The sandbox against Zoom's contract (`docs/zoom-contract.md`), over real HTTP with
//! reqwest as a plain client (deliberately not `zoomscope::zoom`).

use std::collections::HashSet;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zoomscope::sandbox::{
    Category, Change, ChangeKind, Endpoint, PagingQuirks, RateLimitConfig, RetryAfterStyle,
    RunningSandbox, SandboxConfig, UserStatus,
};

use crate::support::sandbox::{http, start, token, token_response};

async fn small() -> RunningSandbox {
    start(SandboxConfig {
        users: 300,
        ..SandboxConfig::default()
    })
    .await
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

/// One GET, waiting out per-second 429s as a client keeping to the limit
/// would: the sandbox's bucket has a small burst (as Zoom's), and these
/// tests are about bodies, not rates. [`get_once`] sees the 429s.
async fn get(sb: &RunningSandbox, token: &str, path_and_query: &str) -> Answer {
    for _ in 0..100 {
        let a = get_once(sb, token, path_and_query).await;
        let qps = a
            .headers
            .get("x-ratelimit-type")
            .is_some_and(|v| v == "QPS");
        if a.status != StatusCode::TOO_MANY_REQUESTS || !qps {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path_and_query}: still rate limited after 10 s");
}

async fn get_once(sb: &RunningSandbox, token: &str, path_and_query: &str) -> Answer {
    let r = http()
        .get(format!("{}{}", sb.api_url(), path_and_query))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        body,
    }
}

fn code(a: &Answer) -> i64 {
    a.body["code"].as_i64().unwrap_or(-1)
}

/// Follows `next_page_token` to the end; returns every item and the pages.
async fn list_all(
    sb: &RunningSandbox,
    token: &str,
    path: &str,
    key: &str,
    page_size: usize,
) -> (Vec<Value>, Vec<Value>) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut pages = Vec::new();
    let mut next = String::new();
    loop {
        let url = if next.is_empty() {
            format!("{path}{sep}page_size={page_size}")
        } else {
            format!("{path}{sep}page_size={page_size}&next_page_token={next}")
        };
        let a = get(sb, token, &url).await;
        assert_eq!(a.status, StatusCode::OK, "{url}: {}", a.body);
        items.extend(a.body[key].as_array().unwrap().iter().cloned());
        next = a.body["next_page_token"].as_str().unwrap_or("").to_string();
        pages.push(a.body);
        if next.is_empty() {
            return (items, pages);
        }
        assert!(pages.len() < 10_000, "runaway paging");
    }
}

#[tokio::test]
async fn oauth_success_body() {
    let sb = small().await;
    let (status, body) = token_response(&sb).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["api_url"], sb.oauth_url());
    assert!(body.get("refresh_token").is_none());
    let scope = body["scope"].as_str().unwrap();
    assert!(scope.split(' ').any(|s| s == "user:read:admin"));
    assert!(scope.split(' ').any(|s| s == "user:read:list_users:admin"));
    // Several tokens stay live at once.
    let a = token(&sb).await;
    let b = token(&sb).await;
    assert_ne!(a, b);
    assert_eq!(get(&sb, &a, "/users/me").await.status, StatusCode::OK);
    assert_eq!(get(&sb, &b, "/users/me").await.status, StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn oauth_error_bodies() {
    let sb = small().await;
    let url = format!("{}/oauth/token", sb.oauth_url());
    let good_form = [
        ("grant_type", "account_credentials"),
        ("account_id", sb.account_id()),
    ];

    let wrong_secret = http()
        .post(&url)
        .basic_auth(sb.client_id(), Some("wrong"))
        .form(&good_form)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_secret.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong_secret.json::<Value>().await.unwrap(),
        json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
    );

    let no_auth = http().post(&url).form(&good_form).send().await.unwrap();
    assert_eq!(no_auth.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        no_auth.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );

    let wrong_grant = http()
        .post(&url)
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("account_id", sb.account_id()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_grant.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong_grant.json::<Value>().await.unwrap(),
        json!({"reason": "unsupported grant type", "error": "unsupported_grant_type"})
    );

    let wrong_account = http()
        .post(&url)
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .form(&[
            ("grant_type", "account_credentials"),
            ("account_id", "nope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_account.status(), StatusCode::BAD_REQUEST);
    let body: Value = wrong_account.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(body["reason"].is_string());

    // The older query-string form is accepted too.
    let query_form = http()
        .post(format!(
            "{url}?grant_type=account_credentials&account_id={}",
            sb.account_id()
        ))
        .basic_auth(sb.client_id(), Some(sb.client_secret()))
        .send()
        .await
        .unwrap();
    assert_eq!(query_form.status(), StatusCode::OK);
    assert_eq!(sb.stats().token_errors, 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_and_expired_tokens_get_124() {
    let sb = start(SandboxConfig {
        users: 50,
        token_ttl: Duration::from_millis(700),
        ..SandboxConfig::default()
    })
    .await;
    let none = http()
        .get(format!("{}/users", sb.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.json::<Value>().await.unwrap()["code"], 124);

    let bogus = get(&sb, "not-a-token", "/users").await;
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        bogus.body,
        json!({"code": 124, "message": "Invalid access token."})
    );

    let (_, body) = token_response(&sb).await;
    assert_eq!(body["expires_in"], 0, "700 ms rounds down to 0 s");
    let t = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(get(&sb, &t, "/users").await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let expired = get(&sb, &t, "/users").await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        expired.body,
        json!({"code": 124, "message": "Access token is expired."})
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn missing_scopes_answer_4711_naming_granular_scopes() {
    let sb = start(SandboxConfig {
        users: 50,
        scopes: vec![
            "user:read:list_users:admin".into(),
            "user:read:user:admin".into(),
        ],
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    assert_eq!(get(&sb, &t, "/users").await.status, StatusCode::OK);
    let groups = get(&sb, &t, "/groups").await;
    assert_eq!(groups.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        groups.body,
        json!({"code": 4711, "message": "Invalid access token, does not contain scopes:[group:read:list_groups:admin]."})
    );
    let settings = get(&sb, &t, "/users/me/settings").await;
    assert_eq!(code(&settings), 4711);
    assert!(
        settings.body["message"]
            .as_str()
            .unwrap()
            .contains("user:read:settings:admin")
    );
    let roles = get(&sb, &t, "/roles").await;
    assert_eq!(roles.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&roles), 4700);
    assert_eq!(sb.stats().missing_scope, 3);

    // A classic-scope app passes the same check.
    let classic = start(SandboxConfig {
        users: 50,
        scopes: vec!["group:read:admin".into()],
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&classic).await;
    assert_eq!(get(&classic, &t, "/groups").await.status, StatusCode::OK);
    assert_eq!(code(&get(&classic, &t, "/users").await), 4711);
    sb.shutdown().await;
    classic.shutdown().await;
}

#[tokio::test]
async fn users_listing_by_status_matches_ground_truth() {
    let sb = start(SandboxConfig {
        users: 5_000,
        ..SandboxConfig::default()
    })
    .await;
    let org = sb.org();
    let t = token(&sb).await;
    for status in UserStatus::ALL {
        let (items, pages) = list_all(
            &sb,
            &t,
            &format!("/users?status={}", status.as_str()),
            "users",
            2_000,
        )
        .await;
        let expected: Vec<&str> = org
            .users_with_status(status)
            .map(|u| u.email.as_str())
            .collect();
        let got: Vec<&str> = items.iter().map(|u| u["email"].as_str().unwrap()).collect();
        assert_eq!(got, expected, "{status:?}");
        assert_eq!(pages[0]["total_records"], expected.len());
        assert_eq!(pages[0]["page_size"], 2_000);
        assert_eq!(pages[0]["page_count"], expected.len().div_ceil(2_000));
        assert_eq!(pages.last().unwrap()["next_page_token"], "");
        for (k, p) in pages.iter().enumerate() {
            assert_eq!(p["page_number"], k + 1);
        }
        for u in &items {
            assert_eq!(u["status"], status.as_str());
            assert_eq!(u.get("id").is_some(), status != UserStatus::Pending);
            assert!(u.get("host_key").is_none());
            assert!(u.get("custom_attributes").is_none());
        }
    }
    // Default status is active; default page size 30; the maximum is 2000.
    let first = get(&sb, &t, "/users").await;
    assert_eq!(first.body["page_size"], 30);
    assert_eq!(first.body["users"].as_array().unwrap().len(), 30);
    assert_eq!(first.body["total_records"], org.count(UserStatus::Active));
    let clamped = get(&sb, &t, "/users?page_size=5000").await;
    assert_eq!(clamped.body["page_size"], 2_000);
    assert_eq!(clamped.body["users"].as_array().unwrap().len(), 2_000);
    assert_eq!(first.headers["x-ratelimit-category"], "Medium");
    sb.shutdown().await;
}

#[tokio::test]
async fn users_filters_and_include_fields() {
    let sb = small().await;
    let org = sb.org();
    let t = token(&sb).await;
    let admins = get(&sb, &t, "/users?role_id=1&page_size=300").await;
    let expected = org
        .users_with_status(UserStatus::Active)
        .filter(|u| u.role_id == "1")
        .count();
    assert!(expected > 0);
    assert_eq!(admins.body["total_records"], expected);
    assert!(
        admins.body["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["role_id"] == "1")
    );
    let with = get(&sb, &t, "/users?include_fields=host_key,custom_attributes").await;
    let u = &with.body["users"][0];
    assert!(u["host_key"].is_string());
    assert!(u["custom_attributes"][0]["key"].is_string());
    let bad = get(&sb, &t, "/users?status=deleted").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&bad), 300);
    sb.shutdown().await;
}

#[tokio::test]
async fn user_detail_me_email_and_pending() {
    let sb = small().await;
    let org = sb.org();
    let t = token(&sb).await;
    let me = get(&sb, &t, "/users/me").await;
    assert_eq!(me.status, StatusCode::OK);
    let owner = org.owner().unwrap();
    assert_eq!(me.body["id"], owner.id.clone().unwrap());
    assert_eq!(me.body["role_name"], "Owner");
    assert_eq!(me.body["account_id"], sb.account_id());
    assert!(me.body["account_number"].is_u64());
    assert!(me.body["login_types"].is_array());
    assert!(me.body["cluster"].is_string());
    assert_eq!(me.headers["x-ratelimit-category"], "Light");

    let by_email = get(&sb, &t, &format!("/users/{}", owner.email.to_uppercase())).await;
    assert_eq!(by_email.body["id"], me.body["id"]);

    let pending = org
        .users_with_status(UserStatus::Pending)
        .next()
        .expect("a pending user");
    let p = get(&sb, &t, &format!("/users/{}", pending.email)).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.get("id").is_none());
    assert_eq!(p.body["status"], "pending");
    sb.shutdown().await;
}

#[tokio::test]
async fn not_found_codes() {
    let sb = small().await;
    let t = token(&sb).await;
    let user = get(&sb, &t, "/users/nobody@nowhere.example").await;
    assert_eq!((user.status, code(&user)), (StatusCode::NOT_FOUND, 1001));
    let user_settings = get(&sb, &t, "/users/AAAAAAAAAAAAAAAAAAAAAA/settings").await;
    assert_eq!(
        (user_settings.status, code(&user_settings)),
        (StatusCode::NOT_FOUND, 1001)
    );
    let group = get(&sb, &t, "/groups/nope").await;
    assert_eq!((group.status, code(&group)), (StatusCode::NOT_FOUND, 4130));
    let members = get(&sb, &t, "/groups/nope/members").await;
    assert_eq!(
        (members.status, code(&members)),
        (StatusCode::NOT_FOUND, 4130)
    );
    let role = get(&sb, &t, "/roles/nope").await;
    assert_eq!((role.status, code(&role)), (StatusCode::BAD_REQUEST, 1034));
    let role_members = get(&sb, &t, "/roles/nope/members").await;
    assert_eq!(
        (role_members.status, code(&role_members)),
        (StatusCode::BAD_REQUEST, 1034)
    );
    let account = get(&sb, &t, "/accounts/someone-else/settings").await;
    assert_eq!(
        (account.status, code(&account)),
        (StatusCode::NOT_FOUND, 2001)
    );
    let own = get(&sb, &t, &format!("/accounts/{}/settings", sb.account_id())).await;
    assert_eq!(own.status, StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn groups_and_members_paging_maxima() {
    let sb = start(SandboxConfig {
        users: 16_000,
        ..SandboxConfig::default()
    })
    .await;
    let org = sb.org();
    assert!(org.groups.len() > 300);
    let t = token(&sb).await;

    let clamped = get(&sb, &t, "/groups?page_size=1000").await;
    assert_eq!(clamped.body["groups"].as_array().unwrap().len(), 300);
    let keys: HashSet<&str> = clamped
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["groups", "total_records", "next_page_token"])
    );
    let (groups, _) = list_all(&sb, &t, "/groups", "groups", 300).await;
    assert_eq!(groups.len(), org.groups.len());

    // The big group pages at 2000; members match ground truth.
    let big = &org.groups[0];
    let expected = org.group_members(&big.id);
    assert!(expected.len() > 2_000);
    assert_eq!(groups[0]["total_members"], expected.len());
    let clamped = get(
        &sb,
        &t,
        &format!("/groups/{}/members?page_size=9000", big.id),
    )
    .await;
    assert_eq!(clamped.body["page_size"], 2_000);
    let (members, pages) = list_all(
        &sb,
        &t,
        &format!("/groups/{}/members", big.id),
        "members",
        2_000,
    )
    .await;
    assert!(pages.len() > 1);
    let got: Vec<&str> = members.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let want: Vec<&str> = expected.iter().map(|u| u.id.as_deref().unwrap()).collect();
    assert_eq!(got, want);

    // An empty group.
    let empty = org.groups.last().unwrap();
    let e = get(&sb, &t, &format!("/groups/{}/members", empty.id)).await;
    assert_eq!(e.body["total_records"], 0);
    assert_eq!(e.body["page_count"], 0);
    assert_eq!(e.body["next_page_token"], "");

    // Role members page at 300.
    let members_role = "2";
    let clamped = get(
        &sb,
        &t,
        &format!("/roles/{members_role}/members?page_size=2000"),
    )
    .await;
    assert_eq!(clamped.body["page_size"], 300);
    let (rm, _) = list_all(
        &sb,
        &t,
        &format!("/roles/{members_role}/members"),
        "members",
        300,
    )
    .await;
    assert_eq!(rm.len(), org.role_members(members_role).len());
    let roles = get(&sb, &t, "/roles").await;
    let member_role = roles.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == members_role)
        .unwrap();
    assert_eq!(member_role["total_members"], rm.len());
    sb.shutdown().await;
}

#[tokio::test]
async fn roles_and_role_detail() {
    let sb = small().await;
    let org = sb.org();
    let t = token(&sb).await;
    let roles = get(&sb, &t, "/roles").await;
    assert_eq!(roles.body["total_records"], org.roles.len());
    assert!(roles.body.get("next_page_token").is_none());
    let ids: Vec<&str> = roles.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(&ids[..3], ["0", "1", "2"]);
    let custom = org.roles.iter().find(|r| r.name == "Auditor").unwrap();
    let detail = get(&sb, &t, &format!("/roles/{}", custom.id)).await;
    assert_eq!(detail.body["privileges"], json!(custom.privileges));
    assert_eq!(detail.body["type"], "common");
    assert_eq!(detail.headers["x-ratelimit-category"], "Light");
    sb.shutdown().await;
}

#[tokio::test]
async fn page_tokens_expire_with_code_300() {
    let sb = start(SandboxConfig {
        users: 200,
        page_token_ttl: Duration::from_millis(300),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    let first = get(&sb, &t, "/users?page_size=50").await;
    let next = first.body["next_page_token"].as_str().unwrap().to_string();
    assert!(!next.is_empty());
    let fresh = get(
        &sb,
        &t,
        &format!("/users?page_size=50&next_page_token={next}"),
    )
    .await;
    assert_eq!(fresh.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let stale = get(
        &sb,
        &t,
        &format!("/users?page_size=50&next_page_token={next}"),
    )
    .await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        stale.body,
        json!({"code": 300, "message": "The next page token is invalid or expired."})
    );
    // A token from another listing is refused too.
    let groups = get(&sb, &t, &format!("/groups?next_page_token={next}")).await;
    assert_eq!(code(&groups), 300);
    let garbage = get(&sb, &t, "/users?next_page_token=garbage").await;
    assert_eq!(code(&garbage), 300);
    sb.shutdown().await;
}

#[tokio::test]
async fn settings_options_and_custom_query_fields() {
    let sb = small().await;
    let org = sb.org();
    let t = token(&sb).await;
    let owner = org.owner().unwrap();
    let id = owner.id.clone().unwrap();
    let plain = get(&sb, &t, &format!("/users/{id}/settings")).await;
    assert_eq!(plain.status, StatusCode::OK);
    for section in [
        "schedule_meeting",
        "in_meeting",
        "recording",
        "feature",
        "telephony",
    ] {
        assert!(plain.body[section].is_object(), "{section}");
    }
    assert_eq!(
        plain.body["schedule_meeting"]["pmi_password"],
        owner.settings.pmi_password
    );
    assert!(plain.body["schedule_meeting"]["default_password_for_scheduled_meetings"].is_string());
    assert_eq!(
        plain.body["in_meeting"]["waiting_room"],
        owner.settings.waiting_room
    );
    let ma = get(
        &sb,
        &t,
        &format!("/users/{id}/settings?option=meeting_authentication"),
    )
    .await;
    assert!(ma.body["meeting_authentication"].is_boolean());
    assert!(ma.body["authentication_options"].is_array());
    let ra = get(
        &sb,
        &t,
        &format!("/users/{id}/settings?option=recording_authentication"),
    )
    .await;
    assert!(ra.body["recording_authentication"].is_boolean());
    let ms = get(
        &sb,
        &t,
        &format!("/users/{id}/settings?option=meeting_security"),
    )
    .await;
    assert_eq!(
        ms.body["meeting_security"]["password_for_pmi"],
        owner.settings.pmi_password
    );
    let filtered = get(
        &sb,
        &t,
        &format!("/users/{id}/settings?custom_query_fields=host_video,waiting_room"),
    )
    .await;
    assert_eq!(
        filtered.body,
        json!({"schedule_meeting": {"host_video": false}, "in_meeting": {"waiting_room": owner.settings.waiting_room}})
    );
    let bad = get(&sb, &t, &format!("/users/{id}/settings?option=nonsense")).await;
    assert_eq!(code(&bad), 300);

    let account = get(&sb, &t, "/accounts/me/settings").await;
    assert!(account.body["security"].is_object());
    assert!(account.body["in_meeting"].is_object());
    let security = get(&sb, &t, "/accounts/me/settings?option=security").await;
    let s = &security.body["security"];
    assert_ne!(s["sign_in_with_two_factor_auth"], "all");
    assert!(s["signin_with_sso"]["enable"].is_boolean());
    assert!(s["password_requirement"]["minimum_password_length"].is_u64());
    let lock = get(&sb, &t, "/accounts/me/lock_settings").await;
    assert!(lock.body["in_meeting"]["waiting_room"].is_boolean());
    let domains = get(&sb, &t, "/accounts/me/managed_domains").await;
    assert_eq!(
        domains.body["total_records"],
        domains.body["domains"].as_array().unwrap().len()
    );
    let summary = get(&sb, &t, "/users/summary").await;
    assert_eq!(summary.body["total_users_count"], org.users.len());
    assert_eq!(
        summary.body["pending_users_count"],
        org.count(UserStatus::Pending)
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn qps_limit_sends_zoom_429() {
    for (style, check) in [
        (RetryAfterStyle::Seconds, "seconds"),
        (RetryAfterStyle::IsoDate, "iso"),
        (RetryAfterStyle::HttpDate, "http"),
        (RetryAfterStyle::Absent, "absent"),
    ] {
        let sb = start(SandboxConfig {
            users: 50,
            rate_limits: RateLimitConfig {
                per_second: Some([2, 2, 2]),
                qps_retry_after: style,
                ..RateLimitConfig::default()
            },
            ..SandboxConfig::default()
        })
        .await;
        let t = token(&sb).await;
        let mut limited = None;
        for _ in 0..10 {
            let a = get_once(&sb, &t, "/users").await;
            if a.status == StatusCode::TOO_MANY_REQUESTS {
                limited = Some(a);
                break;
            }
        }
        let a = limited.expect("a 429 within 10 quick requests at 2/s");
        assert_eq!(
            a.body,
            json!({"code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later."})
        );
        assert_eq!(a.headers["x-ratelimit-category"], "Medium");
        assert_eq!(a.headers["x-ratelimit-type"], "QPS");
        assert_eq!(a.headers["x-ratelimit-limit"], "2");
        assert_eq!(a.headers["x-ratelimit-remaining"], "0");
        let retry = a
            .headers
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        match check {
            "seconds" => assert_eq!(retry.as_deref(), Some("1")),
            "iso" => {
                chrono::DateTime::parse_from_rfc3339(retry.as_deref().unwrap()).unwrap();
            }
            "http" => {
                httpdate::parse_http_date(retry.as_deref().unwrap()).unwrap();
            }
            _ => assert!(retry.is_none()),
        }
        // Light has its own budget.
        assert_eq!(get(&sb, &t, "/users/me").await.status, StatusCode::OK);
        assert!(sb.stats().rate_limited_qps >= 1);
        // Waiting as told gets through.
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        assert_eq!(get(&sb, &t, "/groups").await.status, StatusCode::OK);
        sb.shutdown().await;
    }
}

#[tokio::test]
async fn daily_limit_sends_reset_time() {
    let sb = start(SandboxConfig {
        users: 50,
        rate_limits: RateLimitConfig {
            daily: [Some(3), None, None],
            ..RateLimitConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    for _ in 0..3 {
        assert_eq!(get(&sb, &t, "/users/me").await.status, StatusCode::OK);
    }
    let a = get(&sb, &t, "/roles/0").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.body["code"], 429);
    assert!(
        a.body["message"]
            .as_str()
            .unwrap()
            .contains("daily rate limit")
    );
    assert_eq!(a.headers["x-ratelimit-type"], "Daily-limit");
    assert_eq!(a.headers["x-ratelimit-category"], "Light");
    assert_eq!(a.headers["x-ratelimit-limit"], "3");
    let reset = chrono::DateTime::parse_from_rfc3339(a.headers["retry-after"].to_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    assert_eq!(reset, tomorrow);
    // Medium is unaffected.
    assert_eq!(get(&sb, &t, "/users").await.status, StatusCode::OK);
    assert_eq!(sb.stats().rate_limited_daily, 1);
    assert_eq!(sb.request_count(Category::Light), 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn admin_change_endpoint_makes_an_admin() {
    let sb = small().await;
    let org = sb.org();
    let t = token(&sb).await;
    let member = org
        .users_with_status(UserStatus::Active)
        .find(|u| u.role_id == "2")
        .unwrap();
    let before = get(&sb, &t, "/roles").await;
    let admins_before = before.body["roles"][1]["total_members"].as_u64().unwrap();

    let r = http()
        .post(format!("{}/_sandbox/change", sb.oauth_url()))
        .json(&json!({"change": "make_admin", "user": member.email}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let applied: Value = r.json().await.unwrap();
    assert_eq!(applied["change"], "make_admin");
    assert_eq!(applied["email"], member.email);
    assert_eq!(applied["before"], "2");
    assert_eq!(applied["after"], "1");

    let detail = get(&sb, &t, &format!("/users/{}", member.email)).await;
    assert_eq!(detail.body["role_id"], "1");
    assert_eq!(detail.body["role_name"], "Admin");
    let after = get(&sb, &t, "/roles").await;
    assert_eq!(
        after.body["roles"][1]["total_members"].as_u64().unwrap(),
        admins_before + 1
    );
    assert_eq!(sb.org().user_by_email(&member.email).unwrap().role_id, "1");

    let unknown = http()
        .post(format!("{}/_sandbox/change", sb.oauth_url()))
        .json(&json!({"change": "make_admin", "user": "nobody@x.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad = http()
        .post(format!("{}/_sandbox/change", sb.oauth_url()))
        .json(&json!({"change": "explode"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // Every kind applies through the Rust API as well.
    for kind in ChangeKind::ALL {
        let a = sb.apply_change(Change::new(kind)).unwrap();
        assert_eq!(a.change, kind);
    }
    let hired = sb.apply_change(Change::new(ChangeKind::Hire)).unwrap();
    let h = get(&sb, &t, &format!("/users/{}", hired.email)).await;
    assert_eq!(h.status, StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn same_seed_same_org_and_bodies() {
    let a = start(SandboxConfig {
        users: 400,
        seed: 42,
        ..SandboxConfig::default()
    })
    .await;
    let b = start(SandboxConfig {
        users: 400,
        seed: 42,
        ..SandboxConfig::default()
    })
    .await;
    let c = start(SandboxConfig {
        users: 400,
        seed: 43,
        ..SandboxConfig::default()
    })
    .await;
    assert_eq!(a.org(), b.org());
    assert_ne!(a.org().users, c.org().users);
    assert_eq!(a.roster_csv(), b.roster_csv());
    let (ta, tb) = (token(&a).await, token(&b).await);
    let pa = get(&a, &ta, "/users?page_size=100&status=inactive").await;
    let pb = get(&b, &tb, "/users?page_size=100&status=inactive").await;
    assert_eq!(pa.body, pb.body, "page tokens are deterministic too");
    let sa = get(&a, &ta, "/users/me/settings").await;
    let sb_ = get(&b, &tb, "/users/me/settings").await;
    assert_eq!(sa.body, sb_.body);
    for s in [a, b, c] {
        s.shutdown().await;
    }
}

#[tokio::test]
async fn endpoint_counters() {
    let sb = small().await;
    let t = token(&sb).await;
    get(&sb, &t, "/users").await;
    get(&sb, &t, "/users").await;
    get(&sb, &t, "/groups").await;
    get(&sb, &t, "/users/me").await;
    assert_eq!(sb.endpoint_count(Endpoint::ListUsers), 2);
    assert_eq!(sb.request_count(Category::Medium), 3);
    assert_eq!(sb.request_count(Category::Light), 1);
    assert_eq!(sb.stats().ok, 4);
    assert_eq!(sb.live_tokens(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn paging_quirk_legacy_shape_honours_page_number() {
    let sb = start(SandboxConfig {
        users: 300,
        faults: zoomscope::sandbox::Faults {
            paging: PagingQuirks {
                legacy_paging: true,
                ..PagingQuirks::default()
            },
            ..Default::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let org = sb.org();
    let t = token(&sb).await;
    let mut emails = Vec::new();
    let mut number = 1;
    loop {
        let a = get(
            &sb,
            &t,
            &format!("/users?page_size=100&page_number={number}"),
        )
        .await;
        assert!(a.body.get("next_page_token").is_none());
        assert_eq!(a.body["page_number"], number);
        emails.extend(
            a.body["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["email"].as_str().unwrap().to_string()),
        );
        if number >= a.body["page_count"].as_u64().unwrap() {
            break;
        }
        number += 1;
    }
    let expected: Vec<String> = org
        .users_with_status(UserStatus::Active)
        .map(|u| u.email.clone())
        .collect();
    assert_eq!(emails, expected);
    let groups = get(&sb, &t, "/groups").await;
    assert_eq!(
        groups.body["groups"].as_array().unwrap().len(),
        org.groups.len()
    );
    assert!(groups.body.get("next_page_token").is_none());
    sb.shutdown().await;
}
