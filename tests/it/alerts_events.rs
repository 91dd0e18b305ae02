//! Event rules end to end, over real HTTP: changes posted to the sandbox's
//! `/_sandbox/change`, `zoomscope sync` fetching its operation log and
//! sign-ins, `zoomscope check --offline --json` and `watch` firing the
//! built-in event pack once per event (to the webhook too), and a rule file
//! with a bad event field refused with its file and line.

use std::time::Duration;

use serde_json::{Value, json};
use zoomscope::sandbox::{SandboxConfig, UserStatus};

use crate::support::cli::Home;
use crate::support::sandbox::{post_change, start};

/// The fired rule `name` of a `check --json` answer, if it fired.
fn fired<'a>(check: &'a Value, name: &str) -> Option<&'a Value> {
    check["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == name)
}

async fn check_offline(home: &Home) -> Value {
    let r = home.run(&["check", "--offline", "--json"], &[]).await;
    assert!(
        r.code == 0 || r.code == 1,
        "check: {}\n{}",
        r.code,
        r.stderr
    );
    r.json()
}

async fn sync(home: &Home) {
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
}

fn active_with_role(sb: &zoomscope::sandbox::RunningSandbox, role: &str) -> Vec<String> {
    sb.org()
        .users
        .iter()
        .filter(|u| u.status == UserStatus::Active && u.role_id == role && u.id.is_some())
        .map(|u| u.email.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_granted_admin_fires_once_naming_user_and_operator_and_reaches_the_webhook() {
    let sb = start(SandboxConfig {
        users: 150,
        seed: 41,
        ..SandboxConfig::default()
    })
    .await;
    let home = Home::new();
    home.write_profile(&sb);
    // One round per `watch`.
    let profile = std::fs::read_to_string(&home.config).unwrap();
    home.write_config(
        &format!("{profile}polling_interval = \"DISABLED\"\n"),
        0o600,
    );
    sync(&home).await;
    // The first evaluation reads the whole stored history; what it finds
    // there is reported now, not after the change below.
    check_offline(&home).await;

    let members = active_with_role(&sb, "2");
    let member = members[0].clone();
    post_change(&sb, "make_admin", &member).await;
    sync(&home).await;
    let check = check_offline(&home).await;
    let rule = fired(&check, "user-granted-admin")
        .unwrap_or_else(|| panic!("user-granted-admin did not fire: {check:#}"));
    assert_eq!(rule["severity"], "medium");
    assert_eq!(rule["count"], 1, "{rule:#}");
    let event = &rule["events"][0];
    assert_eq!(event["subject"], json!({"kind": "user", "name": member}));
    assert_eq!(
        event["detail"],
        format!("Update User {member}  - User Role: from Member to Admin")
    );
    let operator = event["operator"].as_str().unwrap().to_string();
    assert_ne!(operator, member);
    assert!(
        active_with_role(&sb, "0")
            .iter()
            .chain(&active_with_role(&sb, "1"))
            .any(|a| *a == operator),
        "the operator {operator} is an owner or admin"
    );
    let summary = event["summary"].as_str().unwrap();
    assert!(
        summary.contains(&member) && summary.contains(&operator),
        "{summary}"
    );
    // The snapshot the same sync took shows the new role.
    assert_eq!(event["evidence"], "confirmed by snapshot");
    assert_eq!(rule["entities"].as_array().unwrap().len(), 1);
    // The operator signed in at the change, from their usual address, and
    // the snapshot rule sees the same admin.
    assert!(fired(&check, "new-admin").is_some(), "{check:#}");

    // Reported once: the next check has nothing new (the overlap the next
    // sync fetches again is not new either).
    assert!(fired(&check_offline(&home).await, "user-granted-admin").is_none());
    sync(&home).await;
    assert!(fired(&check_offline(&home).await, "user-granted-admin").is_none());

    // `watch` goes the same way, to the webhook: once.
    let (hook, url) = crate::support::hook::start().await;
    let second = members[1].clone();
    post_change(&sb, "make_admin", &second).await;
    for _ in 0..2 {
        home.run(&["watch", "--webhook", &url], &[])
            .await
            .assert_code(0);
    }
    let got = hook.accepted.lock().unwrap().clone();
    let granted: Vec<&String> = got
        .iter()
        .filter(|m| m.starts_with("[MEDIUM] user-granted-admin"))
        .collect();
    assert_eq!(granted.len(), 1, "{got:#?}");
    assert!(granted[0].contains(&second), "{}", granted[0]);
    assert!(
        granted[0].contains("confirmed by snapshot"),
        "{}",
        granted[0]
    );
    let op = zoomscope::store::Store::open(&home.data.join("zoomscope.db"))
        .unwrap()
        .activity("default", None, None)
        .unwrap()
        .into_iter()
        .find(|e| e.text.contains(&second))
        .unwrap()
        .actor;
    assert!(
        granted[0].contains(&op),
        "names the operator: {}",
        granted[0]
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_from_a_new_address_fires_once_and_a_known_address_never() {
    let sb = start(SandboxConfig {
        users: 150,
        seed: 43,
        ..SandboxConfig::default()
    })
    .await;
    let home = Home::new();
    home.write_profile(&sb);
    sync(&home).await;
    check_offline(&home).await;
    let admin = active_with_role(&sb, "1")
        .into_iter()
        .next()
        .expect("the sandbox has an admin");

    // The admin signs in twice from the usual address: the second time it
    // is known (the first is, at the latest), so the rule stays quiet.
    post_change(&sb, "admin_sign_in", &admin).await;
    sync(&home).await;
    check_offline(&home).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    post_change(&sb, "admin_sign_in", &admin).await;
    sync(&home).await;
    let known = check_offline(&home).await;
    assert!(
        fired(&known, "admin-sign-in-from-new-ip").is_none(),
        "a known address: {known:#}"
    );

    // From an address never used by them: fires, once.
    post_change(&sb, "admin_new_ip", &admin).await;
    sync(&home).await;
    let new = check_offline(&home).await;
    let rule =
        fired(&new, "admin-sign-in-from-new-ip").unwrap_or_else(|| panic!("did not fire: {new:#}"));
    assert_eq!(rule["count"], 1, "{rule:#}");
    let event = &rule["events"][0];
    assert_eq!(event["operator"], admin.as_str());
    assert_eq!(event["source"], "sign_in");
    let ip = event["ip_address"].as_str().unwrap();
    assert!(ip.starts_with("192.0.2."), "{ip}");
    assert!(event["summary"].as_str().unwrap().contains(ip));
    sync(&home).await;
    assert!(fired(&check_offline(&home).await, "admin-sign-in-from-new-ip").is_none());
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_event_field_is_refused_with_file_and_line() {
    let home = Home::new();
    std::fs::create_dir_all(home.dir.path()).unwrap();
    let rules = home.dir.path().join("my-rules.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nname = \"admin-changes\"\nseverity = \"high\"\n\n[rule.events]\nsource = \"operation\"\ncategory = \"User\"\ndetial = \"User Role\"\n",
    )
    .unwrap();
    home.write_config("[alerts]\nfiles = [\"my-rules.toml\"]\n", 0o600);
    let r = home.run(&["check", "--offline", "--json"], &[]).await;
    r.assert_code(2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains("my-rules.toml:8") && r.stderr.contains("unknown field `detial`"),
        "{}",
        r.stderr
    );
}

/// The TUI's read-only evaluation shows an event alert as often as it is
/// asked and leaves it for `check` or `watch`, which report it once; the
/// same event appended again (a fetch's overlap) fires nothing, a new one
/// fires alone. A real SQLite store, the built-in pack.
#[test]
fn viewers_never_consume_event_alerts_and_the_overlap_never_refires() {
    use chrono::{TimeZone, Utc};
    use zoomscope::activity::{Event, Source};
    use zoomscope::alerts::{self, AlertState, AlertsConfig, EvalOptions};

    let dir = tempfile::tempdir().unwrap();
    let store = zoomscope::store::Store::open(&dir.path().join("z.db")).unwrap();
    let rules = alerts::load_rules(&AlertsConfig::default()).unwrap();
    let graph = zoomscope::graph::Graph::new();
    let granted = |who: &str, minute: u32| Event {
        source: Source::Operation,
        time: Utc.with_ymd_and_hms(2026, 12, 7, 14, minute, 0).unwrap(),
        actor: "olga@example.io".into(),
        category: "User".into(),
        action: "Update".into(),
        text: format!("Update User {who}  - User Role: from Member to Admin"),
        ip_address: None,
        client_type: None,
        version: None,
    };
    let append = |e: &Event| {
        store
            .append_activity("default", Source::Operation, std::slice::from_ref(e), None)
            .unwrap()
    };
    let opts = EvalOptions {
        now: Utc::now(),
        previous: None,
    };
    let state = AlertState::open(store.conn(), "default").unwrap();
    let granted_admin = |results: &[alerts::RuleResult]| {
        results
            .iter()
            .find(|r| r.rule == "user-granted-admin")
            .unwrap()
            .clone()
    };

    assert_eq!(append(&granted("bart@example.io", 30)), 1);
    for _ in 0..2 {
        let r = granted_admin(&alerts::evaluate_read_only(&graph, &rules, &state, opts).unwrap());
        assert!(r.fired() && r.newly_fired, "{r:?}");
        assert_eq!(r.events.len(), 1);
        // Not in this (empty) graph yet: the evidence says so.
        assert_eq!(
            r.to_json()["events"][0]["evidence"],
            "not yet seen in a snapshot"
        );
    }
    let r = granted_admin(&alerts::evaluate(&graph, &rules, Some(&state), opts).unwrap());
    assert!(r.fired() && r.newly_fired);
    let r = granted_admin(&alerts::evaluate_read_only(&graph, &rules, &state, opts).unwrap());
    assert!(!r.fired(), "reported by check: {r:?}");

    // The overlap of the next fetch: ignored by the store, quiet here.
    assert_eq!(append(&granted("bart@example.io", 30)), 0);
    let r = granted_admin(&alerts::evaluate(&graph, &rules, Some(&state), opts).unwrap());
    assert!(!r.fired(), "{r:?}");
    // A new grant fires with that event alone.
    append(&granted("lisa@example.io", 45));
    let r = granted_admin(&alerts::evaluate(&graph, &rules, Some(&state), opts).unwrap());
    assert_eq!(r.events.len(), 1);
    assert!(r.events[0].summary.contains("lisa@example.io"), "{r:?}");
    assert!(r.events[0].summary.contains("olga@example.io"), "{r:?}");
}
