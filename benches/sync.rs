//! Sync benchmarks against the in-process sandbox (`cargo bench --bench sync`).
//!
//! 1. A full sync of 100,000 users with 50 ms injected latency, as a ratio
//!    to the longest single page chain (the most pages any one listing
//!    needs, times the latency): target ≤ 1.30×.
//! 2. `sync --user-settings` on a pro-plan org: Medium requests per second
//!    divided by the Medium limit (20/s), target ≥ 90 %, with zero 429s.
//!
//! `SYNC_BENCH_USERS` and `SYNC_BENCH_SETTINGS_USERS` change the org sizes.

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The integration tests' support code; a bench uses only a part of it.
#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use zoomscope::sandbox::{Faults, Sandbox, SandboxConfig};
use zoomscope::sync::{StepOutcome, SyncOptions};
use zoomscope::zoom::{Plan, ZoomClient};

/// `GET /users` page size the client asks for (the spec maximum).
const USERS_PAGE: usize = 2_000;
/// `GET /groups` page size maximum.
const GROUPS_PAGE: usize = 300;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client_for(sb: &zoomscope::sandbox::RunningSandbox, plan: Plan) -> ZoomClient {
    support::sandbox::client_with(sb, |c| c.plan = plan)
}

async fn full_sync(users: usize) {
    let latency = Duration::from_millis(50);
    let sb = Sandbox::start(SandboxConfig {
        users,
        faults: Faults {
            latency,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let org = sb.org();
    let mut chains: Vec<(String, usize)> = ["active", "inactive", "pending"]
        .iter()
        .map(|s| {
            let n = org.users.iter().filter(|u| u.status.as_str() == *s).count();
            (format!("users/{s}"), n.div_ceil(USERS_PAGE).max(1))
        })
        .collect();
    chains.push((
        "groups".into(),
        org.groups.len().div_ceil(GROUPS_PAGE).max(1),
    ));
    let (longest_name, longest_pages) = chains
        .iter()
        .max_by_key(|(_, p)| *p)
        .cloned()
        .unwrap_or_default();
    let chain = latency * longest_pages as u32;
    drop(org);

    let client = client_for(&sb, Plan::Business);
    let opts = SyncOptions {
        account_id: sb.account_id().to_string(),
        ..SyncOptions::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let t = Instant::now();
    let result = zoomscope::sync::run(&client, &opts, tx)
        .await
        .expect("sync");
    let elapsed = t.elapsed();
    let _ = drain.await;
    let failed: Vec<&str> = result
        .steps
        .iter()
        .filter(|s| !matches!(s.outcome, StepOutcome::Ok { .. }))
        .map(|s| s.step.as_str())
        .collect();
    let stats = client.stats();
    let fetch_ms: u64 = result
        .steps
        .iter()
        .filter(|s| s.step.starts_with("fetch-"))
        .map(|s| s.duration_ms)
        .max()
        .unwrap_or(0);
    let ratio = elapsed.as_secs_f64() / chain.as_secs_f64();
    println!(
        "sync {users} users: {:.2} s, {ratio:.2}× the longest page chain ({longest_name}: {longest_pages} pages × {} ms = {:.2} s) (target ≤ 1.30×) [{}]",
        elapsed.as_secs_f64(),
        latency.as_millis(),
        chain.as_secs_f64(),
        if ratio <= 1.30 { "met" } else { "MISSED" }
    );
    println!(
        "  longest fetch step {fetch_ms} ms; {} entities, {} relationships, {} requests, {} 429s; steps not ok: {:?}",
        result.graph.entity_count(),
        result.graph.relationship_count(),
        stats.requests,
        stats.rate_limited,
        failed
    );
    for s in &result.steps {
        println!("  {:<34} {:>7} ms  {:?}", s.step, s.duration_ms, s.outcome);
    }
    sb.shutdown().await;
}

async fn settings_utilisation(users: usize) {
    let plan = Plan::Pro;
    let limit = 20.0; // Medium requests per second on Pro (zoom-api.md §3.1)
    let sb = Sandbox::start(SandboxConfig {
        users,
        plan: "pro".into(),
        faults: Faults {
            latency: Duration::from_millis(50),
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let client = client_for(&sb, plan);
    let opts = SyncOptions {
        account_id: sb.account_id().to_string(),
        user_settings: true,
        ..SyncOptions::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let result = zoomscope::sync::run(&client, &opts, tx)
        .await
        .expect("sync");
    let _ = drain.await;
    let step = result
        .steps
        .iter()
        .find(|s| s.step == "fetch-user-settings")
        .expect("settings step");
    let StepOutcome::Ok { count, .. } = step.outcome else {
        panic!("settings step did not complete: {:?}", step.outcome);
    };
    let requests = count * 4;
    let secs = step.duration_ms as f64 / 1000.0;
    let rate = requests as f64 / secs;
    let utilisation = rate / limit;
    let stats = client.stats();
    println!(
        "sync --user-settings ({count} users, pro plan): {requests} Medium requests in {secs:.2} s = {rate:.1}/s, {:.1}% of the Medium limit ({limit}/s) (target ≥ 90%), {} 429s (target 0) [{}]",
        utilisation * 100.0,
        stats.rate_limited,
        if utilisation >= 0.90 && stats.rate_limited == 0 {
            "met"
        } else {
            "MISSED"
        }
    );
    sb.shutdown().await;
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too, so
    // only run the (slow) measurements when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        println!("sync bench: run with `cargo bench --bench sync`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        full_sync(env_usize("SYNC_BENCH_USERS", 100_000)).await;
        let settings_users = env_usize("SYNC_BENCH_SETTINGS_USERS", 150);
        if settings_users > 0 {
            settings_utilisation(settings_users).await;
        }
    });
}
