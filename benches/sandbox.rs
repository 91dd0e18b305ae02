//! Sandbox throughput: generating a 200,000-user org, and serving all of it
//! (the three statuses listed concurrently at the maximum page size) over
//! HTTP with reqwest as a plain client.
//!
//! Run: `cargo bench --bench sandbox` (release). Targets: generation ≤ 2 s;
//! serving the whole org ≤ 5 s on the shared 2-core machine.

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The integration tests' support code; a bench uses only a part of it.
#[path = "../tests/it/support/mod.rs"]
mod support;

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

/// CPU time of this process (user + system), from /proc on Linux: the
/// machine is shared, so wall time alone overstates the cost.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

fn cpu_since(start: Option<Duration>) -> String {
    match (start, cpu_time()) {
        (Some(a), Some(b)) => format!("{:.2} s CPU", (b.saturating_sub(a)).as_secs_f64()),
        _ => "CPU n/a".to_string(),
    }
}

fn ratio(d: Duration, target: Duration) -> f64 {
    d.as_secs_f64() / target.as_secs_f64()
}

fn main() {
    let cpu = cpu_time();
    let started = Instant::now();
    let org = Sandbox::generate_org(USERS, 1);
    let generate = started.elapsed();
    println!(
        "generate {USERS} users: {:.2} s wall ({}), {:.2}× the target (≤ {} s)",
        generate.as_secs_f64(),
        cpu_since(cpu),
        ratio(generate, GENERATE_TARGET),
        GENERATE_TARGET.as_secs()
    );
    let expected: Vec<usize> = UserStatus::ALL.iter().map(|s| org.count(*s)).collect();
    let cpu = cpu_time();
    let started = Instant::now();
    let roster = Sandbox::generate_roster(&org);
    println!(
        "roster for {USERS} users ({} rows): {:.2} s wall ({})",
        roster.len(),
        started.elapsed().as_secs_f64(),
        cpu_since(cpu)
    );
    drop(org);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let cpu = cpu_time();
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
        println!(
            "start sandbox with {USERS} users (generate + roster + indexes): {:.2} s wall ({})",
            started.elapsed().as_secs_f64(),
            cpu_since(cpu)
        );
        let client = support::sandbox::http();
        let token = support::sandbox::token(&sb).await;
        let api = sb.api_url();

        let cpu = cpu_time();
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
            "list {USERS} users ({pages} pages of ≤ 2000, 3 statuses concurrently): {:.2} s wall ({}, server and client), {:.0} users/s, {:.2}× the target (≤ {} s)",
            list.as_secs_f64(),
            cpu_since(cpu),
            USERS as f64 / list.as_secs_f64(),
            ratio(list, LIST_TARGET),
            LIST_TARGET.as_secs()
        );
        sb.shutdown().await;
    });
}
