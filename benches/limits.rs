//! Rate limits shared with other apps (`cargo bench --bench limits`).
//!
//! `sync --user-settings` of 2,000 users against `zoomscope sandbox` run as
//! its own process on the Pro plan, with other apps taking 30 % of every
//! category's per-second limit, and no plan configured in the client (it
//! does not know what is left; its limiter has to find out). Prints the
//! share of requests answered 429 and the achieved Medium rate as a ratio
//! of what the other apps left (20/s × 0.7 = 14/s).
//!
//! Targets: fewer than 2 % of requests answered 429, at least 85 % of the
//! remaining Medium capacity used. Exits 1 when a target is missed.
//! `LIMITS_BENCH_USERS` changes the org size.

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use serde_json::Value;
use zoomscope::sync::{StepOutcome, SyncOptions};
use zoomscope::zoom::{ClientConfig, Secret, ZoomClient};

/// Pro's Medium limit (requests/s) and the other apps' share of it.
const PRO_MEDIUM: f64 = 20.0;
const OTHER_APPS_SHARE: f64 = 0.3;

/// The sandbox process; stopped with SIGTERM (then killed) when dropped.
struct SandboxProcess(Child);

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

fn main() -> ExitCode {
    let users: usize = std::env::var("LIMITS_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let child = Command::new(env!("CARGO_BIN_EXE_zoomscope"))
        .args([
            "sandbox",
            "--port",
            "0",
            "--json",
            "--plan",
            "pro",
            "--other-apps-share",
            &OTHER_APPS_SHARE.to_string(),
            "--users",
            &users.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => SandboxProcess(c),
        Err(e) => {
            eprintln!("limits: cannot start the sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(stdout) = child.0.stdout.take() else {
        eprintln!("limits: the sandbox has no stdout");
        return ExitCode::FAILURE;
    };
    let mut line = String::new();
    if BufReader::new(stdout).read_line(&mut line).is_err() {
        eprintln!("limits: the sandbox printed nothing");
        return ExitCode::FAILURE;
    }
    let info: Value = match serde_json::from_str(&line) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("limits: unreadable sandbox startup line ({e}): {line}");
            return ExitCode::FAILURE;
        }
    };
    let field = |k: &str| info[k].as_str().unwrap_or_default().to_string();

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("limits: no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let mut cfg = ClientConfig::new(
            field("account_id"),
            field("client_id"),
            Secret::new(field("client_secret")),
        );
        cfg.api_url = field("api_url");
        cfg.oauth_url = field("oauth_url");
        // No plan configured: the client's default (Pro) is only a ceiling.
        let client = match ZoomClient::new(cfg) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("limits: client: {e}");
                return ExitCode::FAILURE;
            }
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
        let opts = SyncOptions {
            account_id: field("account_id"),
            user_settings: true,
            ..SyncOptions::default()
        };
        let started = Instant::now();
        let result = zoomscope::sync::run(&client, &opts, tx).await;
        let elapsed = started.elapsed().as_secs_f64();
        let _ = drain.await;
        let result = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("limits: the sync failed: {e}");
                return ExitCode::FAILURE;
            }
        };
        let failed: Vec<_> = result
            .steps
            .iter()
            .filter(|s| !matches!(s.outcome, StepOutcome::Ok { .. }))
            .collect();

        let stats: Value = match reqwest::get(format!("{}/_sandbox/stats", field("oauth_url")))
            .await
        {
            Ok(r) => r.json().await.unwrap_or(Value::Null),
            Err(e) => {
                eprintln!("limits: no sandbox stats: {e}");
                return ExitCode::FAILURE;
            }
        };
        let n = |v: &Value| v.as_u64().unwrap_or(0);
        let requests = n(&stats["api_requests"]);
        let answered_429 = n(&stats["rate_limited_qps"])
            + n(&stats["rate_limited_daily"])
            + n(&stats["injected_429"]);
        let medium = n(&stats["per_category"]["Medium"]);
        let medium_429 = n(&stats["rate_limited_per_category"]["Medium"]);
        let share_429 = answered_429 as f64 / requests.max(1) as f64;
        let left = PRO_MEDIUM * (1.0 - OTHER_APPS_SHARE);
        let achieved = (medium - medium_429) as f64 / elapsed;
        let used = achieved / left;

        println!("limits: sync --user-settings, {users} users, Pro plan, other apps 30 %, no plan configured");
        println!("  duration            {elapsed:.1} s");
        println!(
            "  requests            {requests} ({medium} Medium, {medium_429} of them answered 429)"
        );
        println!(
            "  answered 429        {answered_429} = {:.2} %   (target < 2 %)",
            share_429 * 100.0
        );
        println!(
            "  Medium rate         {achieved:.2}/s of {left:.1}/s left = {:.1} %   (target >= 85 %)",
            used * 100.0
        );
        for s in &failed {
            println!("  step not ok         {}: {:?}", s.step, s.outcome);
        }
        let ok = share_429 < 0.02 && used >= 0.85 && failed.is_empty();
        println!("  {}", if ok { "targets met" } else { "TARGET MISSED" });
        if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    })
}
