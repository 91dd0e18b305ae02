//! Sandbox throughput: generating a 200,000-user org, and serving all of it
//! (the three statuses listed concurrently at the maximum page size) over
//! HTTP with reqwest as a plain client.
//!
//! Run: `cargo bench --bench sandbox` (release). Targets: generation ≤ 2 s;
//! serving the whole org ≤ 5 s on the shared 2-core machine.

use std::time::{Duration, Instant};

use serde_json::Value;
use zoomscope::sandbox::{RateLimitConfig, Sandbox, SandboxConfig, UserStatus};

const USERS: usize = 200_000;
const GENERATE_TARGET: Duration = Duration::from_secs(2);
const LIST_TARGET: Duration = Duration::from_secs(5);

async fn list_status(
    client: &reqwest::Client,
    api: &str,
    token: &str,
    status: &str,
) -> (usize, usize) {
    let (mut users, mut pages) = (0, 0);
    let mut next = String::new();
    loop {
        let url = format!("{api}/users?status={status}&page_size=2000&next_page_token={next}");
        let v: Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        users += v["users"].as_array().map_or(0, Vec::len);
        pages += 1;
        next = v["next_page_token"].as_str().unwrap_or("").to_string();
        if next.is_empty() {
            return (users, pages);
        }
    }
}

fn ratio(d: Duration, target: Duration) -> f64 {
    d.as_secs_f64() / target.as_secs_f64()
}

fn main() {
    let started = Instant::now();
    let org = Sandbox::generate_org(USERS, 1);
    let generate = started.elapsed();
    println!(
        "generate {USERS} users: {:.2} s, {:.2}× the target (≤ {} s)",
        generate.as_secs_f64(),
        ratio(generate, GENERATE_TARGET),
        GENERATE_TARGET.as_secs()
    );
    let expected: Vec<usize> = UserStatus::ALL.iter().map(|s| org.count(*s)).collect();
    drop(org);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let started = Instant::now();
        let sb = Sandbox::start(SandboxConfig {
            users: USERS,
            rate_limits: RateLimitConfig {
                enabled: false,
                ..RateLimitConfig::default()
            },
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox");
        println!("start sandbox with {USERS} users: {:.2} s", started.elapsed().as_secs_f64());
        let client = reqwest::Client::new();
        let token: Value = client
            .post(format!("{}/oauth/token", sb.oauth_url()))
            .basic_auth(sb.client_id(), Some(sb.client_secret()))
            .form(&[
                ("grant_type", "account_credentials"),
                ("account_id", sb.account_id()),
            ])
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token json");
        let token = token["access_token"].as_str().unwrap_or("").to_string();
        let api = sb.api_url();

        let started = Instant::now();
        let results = futures::future::join_all(
            UserStatus::ALL
                .iter()
                .map(|s| list_status(&client, &api, &token, s.as_str())),
        )
        .await;
        let list = started.elapsed();
        let got: Vec<usize> = results.iter().map(|r| r.0).collect();
        let pages: usize = results.iter().map(|r| r.1).sum();
        assert_eq!(got, expected, "exact counts per status");
        println!(
            "list {USERS} users ({pages} pages of ≤ 2000, 3 statuses concurrently): {:.2} s, {:.0} users/s, {:.2}× the target (≤ {} s)",
            list.as_secs_f64(),
            USERS as f64 / list.as_secs_f64(),
            ratio(list, LIST_TARGET),
            LIST_TARGET.as_secs()
        );
        sb.shutdown().await;
    });
}
