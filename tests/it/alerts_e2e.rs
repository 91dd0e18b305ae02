//! End to end with the real binary against the in-process sandbox: a change
//! applied to the sandbox shows in `zoomscope diff --json` and fires
//! `zoomscope check`; `watch` reports each change once and survives the
//! sandbox being stopped and restarted on the same port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use zoomscope::sandbox::{Change, ChangeKind, RunningSandbox, Sandbox, SandboxConfig, UserStatus};

fn sandbox_config(users: usize, port: u16) -> SandboxConfig {
    SandboxConfig {
        users,
        port,
        seed: 7,
        ..SandboxConfig::default()
    }
}

/// The binary, pointed at the sandbox, with its own config path (absent)
/// and data directory.
fn zoomscope(sb_api: &str, sb_oauth: &str, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zoomscope"));
    c.env("ZOOM_API_URL", sb_api)
        .env("ZOOM_OAUTH_URL", sb_oauth)
        .env("ZOOM_ACCOUNT_ID", zoomscope::sandbox::DEMO_ACCOUNT_ID)
        .env("ZOOM_CLIENT_ID", zoomscope::sandbox::DEMO_CLIENT_ID)
        .env("ZOOM_CLIENT_SECRET", zoomscope::sandbox::DEMO_CLIENT_SECRET)
        .env("ZOOMSCOPE_CONFIG", dir.join("config.toml"))
        .env("ZOOMSCOPE_DATA_DIR", dir.join("data"))
        .env_remove("ZOOMSCOPE_PROFILE")
        .env_remove("ZOOMSCOPE_WEBHOOK");
    c
}

fn run(sb: &RunningSandbox, dir: &Path, args: &[&str]) -> Output {
    let out = zoomscope(&sb.api_url(), &sb.oauth_url(), dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains(zoomscope::sandbox::DEMO_CLIENT_SECRET),
        "secret on stderr"
    );
    out
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// An active member (role 2) with an id, by email.
fn pick_member(sb: &RunningSandbox, skip: usize) -> String {
    sb.org()
        .users
        .iter()
        .filter(|u| u.status == UserStatus::Active && u.role_id == "2" && u.id.is_some())
        .nth(skip)
        .map(|u| u.email.clone())
        .unwrap()
}

fn changed_keys(diff: &Value, prefix: &str) -> Vec<String> {
    diff["entities"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["_key"].as_str())
        .filter(|k| k.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

fn change_of<'a>(diff: &'a Value, key: &str, prop: &str) -> &'a Value {
    diff["entities"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["_key"] == key)
        .map(|c| &c["changes"][prop])
        .unwrap_or(&Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_admin_shows_in_diff_and_fires_check_naming_the_user() {
    let sb = Sandbox::start(sandbox_config(200, 0)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    // Baseline: a sync and a first evaluation.
    let out = run(
        &sb,
        dir.path(),
        &["check", "--json", "--min-severity", "critical"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = json_of(&out);
    assert!(first["evaluated"].as_u64().unwrap() >= 30, "{first}");

    let email = pick_member(&sb, 0);
    let applied = sb
        .apply_change(Change::for_user(ChangeKind::MakeAdmin, email.clone()))
        .unwrap();
    let key = applied.user_key.clone();

    let out = run(
        &sb,
        dir.path(),
        &["check", "--json", "--min-severity", "high"],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json_of(&out);
    let new_admin = j["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "new-admin")
        .unwrap_or_else(|| panic!("new-admin did not fire: {j}"));
    assert_eq!(new_admin["entities"], serde_json::json!([key]));
    assert_eq!(new_admin["severity"], "high");

    // The text output names the user too.
    let out = run(
        &sb,
        dir.path(),
        &["check", "--offline", "--min-severity", "high"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    // `new` already reported; the admin count rule still names everyone.
    assert!(text.contains(&email), "{text}");

    let out = run(&sb, dir.path(), &["diff", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = json_of(&out);
    assert_eq!(changed_keys(&d, "zoom_user:"), std::slice::from_ref(&key));
    assert_eq!(
        change_of(&d, &key, "roleId"),
        &serde_json::json!({"old": "2", "new": "1"})
    );
    let added: Vec<&str> = d["relationships"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["_key"].as_str().unwrap())
        .collect();
    assert_eq!(added, [format!("{key}|assigned|zoom_role:1")]);
    assert_eq!(d["from"].as_i64().unwrap() + 1, d["to"].as_i64().unwrap());
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivate_and_setting_flip_show_exactly_those_changes() {
    // Few users: every sync fetches every user's settings.
    let sb = Sandbox::start(sandbox_config(30, 0)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = run(&sb, dir.path(), &["check", "--user-settings", "--json"]);
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let leaver = pick_member(&sb, 0);
    let flipper = pick_member(&sb, 1);
    let gone = sb
        .apply_change(Change::for_user(ChangeKind::Deactivate, leaver.clone()))
        .unwrap();
    let flip = sb
        .apply_change(Change::for_user(ChangeKind::SettingFlip, flipper.clone()))
        .unwrap();

    let out = run(
        &sb,
        dir.path(),
        &[
            "check",
            "--user-settings",
            "--json",
            "--min-severity",
            "info",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json_of(&out);
    let deactivated = j["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "user-deactivated")
        .unwrap_or_else(|| panic!("user-deactivated did not fire: {j}"));
    assert_eq!(deactivated["entities"], serde_json::json!([gone.user_key]));

    let d = json_of(&run(&sb, dir.path(), &["diff", "--json"]));
    let mut users = changed_keys(&d, "zoom_user:");
    users.sort();
    let mut expected = vec![gone.user_key.clone(), flip.user_key.clone()];
    expected.sort();
    assert_eq!(users, expected, "{d}");
    assert_eq!(
        change_of(&d, &gone.user_key, "status"),
        &serde_json::json!({"old": "active", "new": "inactive"})
    );
    // settings.in_meeting.waiting_room → inMeetingWaitingRoom, …
    let path = flip.field.trim_start_matches("settings.");
    let prop = zoomscope::sync::convert::settings::camel_lower(&path.replace('.', "_"));
    assert_eq!(
        change_of(&d, &flip.user_key, &prop),
        &serde_json::json!({"old": flip.before, "new": flip.after}),
        "{prop}: {d}"
    );
    assert!(d["entities"]["added"].as_array().unwrap().is_empty());
    assert!(d["entities"]["removed"].as_array().unwrap().is_empty());
    sb.shutdown().await;
}

/// Reads the watch's stdout lines on a thread.
fn line_reader(stdout: std::process::ChildStdout) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let v: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("watch printed a non-JSON line ({e}): {line}"));
            if tx.send(v).is_err() {
                break;
            }
        }
    });
    rx
}

/// Collects lines until one with `event` arrives (returned last).
fn until(rx: &mpsc::Receiver<Value>, event: &str, timeout: Duration) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    let mut got = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(v) => {
                let done = v["event"] == event;
                got.push(v);
                if done {
                    return got;
                }
            }
            Err(_) => panic!("no {event} line within {timeout:?}; got {got:?}"),
        }
    }
}

fn events(lines: &[Value], event: &str) -> Vec<Value> {
    lines
        .iter()
        .filter(|v| v["event"] == event)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_reports_each_change_once_and_survives_a_sandbox_restart() {
    let sb = Sandbox::start(sandbox_config(150, 0)).await.unwrap();
    let port = sb.addr().port();
    let (api, oauth) = (sb.api_url(), sb.oauth_url());
    let dir = tempfile::tempdir().unwrap();
    let out = run(&sb, dir.path(), &["check", "--json"]);
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = zoomscope(&api, &oauth, dir.path())
        .args(["watch", "--interval", "10s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = line_reader(child.stdout.take().unwrap());
    let round = Duration::from_secs(40);

    // Round 1: nothing changed since the check's snapshot.
    let l = until(&rx, "synced", round);
    assert!(events(&l, "changes").is_empty(), "{l:?}");

    // The sandbox changes every few seconds.
    let a = pick_member(&sb, 0);
    let b = pick_member(&sb, 1);
    let c = pick_member(&sb, 2);
    let changes_1 = [
        Change::for_user(ChangeKind::Deactivate, a.clone()),
        Change::for_user(ChangeKind::MakeAdmin, b.clone()),
    ];
    let mut keys = Vec::new();
    for ch in changes_1.iter().cloned() {
        keys.push(sb.apply_change(ch).unwrap().user_key);
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    // Round 2: both changes, in one changes line, each once; the new admin alerts.
    let l = until(&rx, "synced", round);
    let l2 = until(&rx, "synced", round); // the round after reports nothing new
    let all: Vec<Value> = l.into_iter().chain(l2.clone()).collect();
    let changes = events(&all, "changes");
    let mut changed: Vec<String> = changes
        .iter()
        .flat_map(|d| changed_keys(d, "zoom_user:"))
        .collect();
    changed.sort();
    let mut want = keys.clone();
    want.sort();
    assert_eq!(changed, want, "each change exactly once: {changes:?}");
    let alerts = events(&all, "alert");
    let new_admin: Vec<&Value> = alerts.iter().filter(|a| a["rule"] == "new-admin").collect();
    assert_eq!(new_admin.len(), 1, "{alerts:?}");
    assert_eq!(new_admin[0]["entities"], serde_json::json!([keys[1]]));
    assert!(
        events(&l2, "changes").is_empty() && events(&l2, "alert").is_empty(),
        "{l2:?}"
    );

    // Stop the sandbox: the next round reports the failure and goes on.
    sb.shutdown().await;
    let l = until(&rx, "sync_failed", round);
    assert!(events(&l, "changes").is_empty(), "{l:?}");
    assert!(child.try_wait().unwrap().is_none(), "watch exited");

    // Restart on the same port with the same org (same seed, same changes).
    let sb = Sandbox::start(sandbox_config(150, port)).await.unwrap();
    for ch in changes_1.iter().cloned() {
        sb.apply_change(ch).unwrap();
    }
    let third = sb
        .apply_change(Change::for_user(ChangeKind::Deactivate, c.clone()))
        .unwrap();
    let l = until(&rx, "synced", round);
    let changes = events(&l, "changes");
    assert_eq!(changes.len(), 1, "{l:?}");
    assert_eq!(
        changed_keys(&changes[0], "zoom_user:"),
        std::slice::from_ref(&third.user_key)
    );
    assert_eq!(
        change_of(&changes[0], &third.user_key, "status"),
        &serde_json::json!({"old": "active", "new": "inactive"})
    );

    // Ctrl-c: stops cleanly between rounds.
    let pid = child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(Instant::now() < deadline, "watch did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(code, Some(0));
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_keeps_alerts_for_a_failing_webhook_across_runs() {
    use std::sync::atomic::Ordering;

    let sb = Sandbox::start(sandbox_config(120, 0)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // polling_interval DISABLED: each `watch` is one round.
    std::fs::write(
        dir.path().join("config.toml"),
        "[profile.default]\npolling_interval = \"DISABLED\"\n",
    )
    .unwrap();
    let out = run(&sb, dir.path(), &["check", "--json"]);
    assert!(
        out.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (hook, url) = crate::support::hook::start().await;
    hook.failing.store(true, Ordering::SeqCst);
    let admin = pick_member(&sb, 0);
    sb.apply_change(Change::for_user(ChangeKind::MakeAdmin, admin.clone()))
        .unwrap();

    // Run 1: the webhook answers 500 to every try; the alerts stay in the outbox.
    let out = run(&sb, dir.path(), &["watch", "--webhook", &url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let failed = events(&lines, "webhook_failed");
    assert_eq!(failed.len(), 1, "{stdout}");
    assert!(failed[0]["pending"].as_u64().unwrap() >= 2, "{stdout}");
    assert!(!stdout.contains(&url), "the webhook URL is not printed");
    assert!(*hook.refused.lock().unwrap() >= 2, "retried");
    assert!(hook.accepted.lock().unwrap().is_empty());

    // Run 2: the webhook works again; everything kept is delivered, the
    // old messages first, then this round's.
    hook.failing.store(false, Ordering::SeqCst);
    let leaver = pick_member(&sb, 1);
    sb.apply_change(Change::for_user(ChangeKind::Deactivate, leaver.clone()))
        .unwrap();
    let out = run(&sb, dir.path(), &["watch", "--webhook", &url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("webhook_failed"), "{stdout}");
    let got = hook.accepted.lock().unwrap().clone();
    let admin_at = got
        .iter()
        .position(|m| m.starts_with("[HIGH] new-admin") && m.contains(&admin))
        .unwrap_or_else(|| panic!("new-admin alert lost: {got:#?}"));
    let leaver_at = got
        .iter()
        .position(|m| m.starts_with("[INFO] user-deactivated") && m.contains(&leaver))
        .unwrap_or_else(|| panic!("deactivation alert missing: {got:#?}"));
    assert!(admin_at < leaver_at, "kept messages go first: {got:#?}");
    assert_eq!(
        got.iter()
            .filter(|m| m.starts_with("[HIGH] new-admin"))
            .count(),
        1,
        "delivered once: {got:#?}"
    );
    sb.shutdown().await;
}
