//! `zoomscope sync` and `zoomscope export`, the real binary against a real
//! sandbox started in this process, with a temp config and data dir.

use std::collections::BTreeSet;

use serde_json::Value;
use zoomscope::sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use zoomscope::store::Store;

use crate::support::cli::{Home, contains};

async fn sandbox(users: usize, scopes: Option<Vec<String>>) -> RunningSandbox {
    let mut cfg = SandboxConfig {
        users,
        ..SandboxConfig::default()
    };
    if let Some(s) = scopes {
        cfg.scopes = s;
    }
    Sandbox::start(cfg).await.unwrap()
}

/// Keys of one `_type` in an export.
fn keys_of(export: &Value, t: &str) -> BTreeSet<String> {
    export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["_type"] == t)
        .map(|e| e["_key"].as_str().unwrap().to_string())
        .collect()
}

/// (from, to) of one relationship `_type` in an export.
fn edges_of(export: &Value, t: &str) -> BTreeSet<(String, String)> {
    export["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["_type"] == t)
        .map(|r| {
            (
                r["_fromEntityKey"].as_str().unwrap().to_string(),
                r["_toEntityKey"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn step<'a>(sync: &'a Value, name: &str) -> &'a Value {
    sync["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {sync:#}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_then_export_gives_exactly_the_sandbox_org() {
    // 3,000 users: the sandbox's "All Staff" group then has > 2,000 members.
    let sb = sandbox(3_000, None).await;
    let home = Home::new();
    home.write_profile(&sb);

    let sync = home.run(&["sync", "--json"], &[]).await;
    sync.assert_code(0);
    let s = sync.json();
    assert_eq!(s["complete"], true, "{s:#}");
    assert!(s["failed"].as_array().unwrap().is_empty());
    assert!(s["skipped"].as_array().unwrap().is_empty(), "{s:#}");

    let out = home.dir.path().join("export.json");
    home.run(&["export", "--out", out.to_str().unwrap()], &[])
        .await
        .assert_code(0);
    let export_text = std::fs::read_to_string(&out).unwrap();
    let export: Value = serde_json::from_str(&export_text).unwrap();

    let org = sb.org();
    let users: BTreeSet<String> = org.users.iter().map(|u| u.key()).collect();
    assert_eq!(
        keys_of(&export, "zoom_user"),
        users,
        "users of all statuses"
    );
    for status in ["active", "inactive", "pending"] {
        assert!(
            export["entities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["_type"] == "zoom_user" && e["status"] == status),
            "a {status} user"
        );
    }
    let groups: BTreeSet<String> = org
        .groups
        .iter()
        .map(|g| format!("zoom_group:{}", g.id))
        .collect();
    assert_eq!(keys_of(&export, "zoom_group"), groups);
    let roles: BTreeSet<String> = org
        .roles
        .iter()
        .map(|r| format!("zoom_role:{}", r.id))
        .collect();
    assert_eq!(keys_of(&export, "zoom_role"), roles);
    assert_eq!(
        keys_of(&export, "zoom_account"),
        BTreeSet::from([format!("zoom_account:{}", sb.account_id())])
    );

    let memberships: BTreeSet<(String, String)> = org
        .users
        .iter()
        .flat_map(|u| {
            u.group_ids
                .iter()
                .map(move |g| (format!("zoom_group:{g}"), u.key()))
        })
        .collect();
    let exported = edges_of(&export, "zoom_group_has_user");
    assert_eq!(exported, memberships, "group memberships");
    let biggest = org
        .groups
        .iter()
        .map(|g| {
            exported
                .iter()
                .filter(|(f, _)| *f == format!("zoom_group:{}", g.id))
                .count()
        })
        .max()
        .unwrap();
    assert!(
        biggest > 2_000,
        "largest exported group has {biggest} members"
    );

    let assigned: BTreeSet<(String, String)> = org
        .users
        .iter()
        .filter(|u| !u.role_id.is_empty())
        .map(|u| (u.key(), format!("zoom_role:{}", u.role_id)))
        .collect();
    assert_eq!(
        edges_of(&export, "zoom_user_assigned_role"),
        assigned,
        "role assignments"
    );
    assert_eq!(
        edges_of(&export, "zoom_account_has_user").len(),
        users.len()
    );
    assert_eq!(
        edges_of(&export, "zoom_account_has_group").len(),
        groups.len()
    );
    assert_eq!(
        edges_of(&export, "zoom_account_has_role").len(),
        roles.len()
    );

    // counts in the sync report are the stored snapshot's
    assert_eq!(s["counts"]["zoom_user"], users.len());
    assert_eq!(s["counts"]["zoom_group_has_user"], memberships.len());

    // CSV of one type: a header and one row per user
    let csv = home
        .run(&["export", "--format", "csv", "--type", "zoom_user"], &[])
        .await;
    csv.assert_code(0);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    assert_eq!(reader.records().count(), users.len());

    // The client secret is nowhere: not in output, the export, the store or the log.
    let secret = sb.client_secret();
    for (what, text) in [
        ("sync stdout", &sync.stdout),
        ("sync stderr", &sync.stderr),
        ("export", &export_text),
        ("csv", &csv.stdout),
    ] {
        assert!(!text.contains(secret), "secret in {what}");
    }
    for (path, bytes) in home.data_bytes() {
        assert!(!contains(&bytes, secret), "secret in {}", path.display());
    }
    // Owner and account data made it onto the account entity.
    let account = export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["_type"] == "zoom_account")
        .unwrap();
    let owner = org.owner().unwrap();
    assert_eq!(
        account["ownerEmail"].as_str(),
        Some(owner.email.as_str()),
        "{account:#}"
    );
    assert_eq!(account["tag.AccountName"], "Sandbox Org");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_settings_are_flattened_and_passcodes_never_stored() {
    let sb = sandbox(60, None).await;
    let home = Home::new();
    home.write_profile(&sb);
    let sync = home.run(&["sync", "--user-settings", "--json"], &[]).await;
    sync.assert_code(0);
    let s = sync.json();
    let with_id = sb.org().users.iter().filter(|u| u.id.is_some()).count();
    assert_eq!(step(&s, "fetch-user-settings")["count"], with_id, "{s:#}");

    let export = home.run(&["export"], &[]).await;
    export.assert_code(0);
    let e = export.json();
    let users: Vec<&Value> = e["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["_type"] == "zoom_user" && x.get("id").is_some())
        .collect();
    // JupiterOne's flattened names are on the users
    assert!(
        users
            .iter()
            .all(|u| u.get("inMeetingE2eEncryption").is_some()
                || u.get("meetingSecurityWaitingRoom").is_some()),
        "settings flattened onto users"
    );

    let org = sb.org();
    let mut passcodes: Vec<String> = Vec::new();
    for u in org.users.iter().filter(|u| u.id.is_some()) {
        passcodes.push(format!("\"{}\"", u.settings.pmi_password));
        passcodes.push(format!("\"{}\"", u.host_key));
        if !u.settings.default_password.is_empty() {
            passcodes.push(format!("\"{}\"", u.settings.default_password));
        }
    }
    let data = home.data_bytes();
    for p in &passcodes {
        assert!(
            !export.stdout.contains(p.as_str()),
            "passcode {p} in the export"
        );
        for (path, bytes) in &data {
            assert!(!contains(bytes, p), "passcode {p} in {}", path.display());
        }
    }
    assert!(
        export.stdout.contains("[REDACTED]"),
        "redacted values are marked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_scopes_skip_groups_and_roles_and_keep_earlier_data() {
    let full = sandbox(300, None).await;
    let home = Home::new();
    home.write_profile(&full);
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
    let before = home.run(&["export"], &[]).await.json();
    let stored = snapshot_ids(&home);
    assert_eq!(stored.len(), 1);
    let groups_before = keys_of(&before, "zoom_group");
    let roles_before = keys_of(&before, "zoom_role");
    let members_before = edges_of(&before, "zoom_group_has_user");
    assert!(!groups_before.is_empty() && !roles_before.is_empty());

    // The same org (same seed and credentials) with scopes for users only.
    let users_only = sandbox(300, Some(vec!["user:read:admin".to_string()])).await;
    let sync = home.run_against(&users_only, &["sync", "--json"]).await;
    sync.assert_code(0);
    let s = sync.json();
    let skipped: Vec<&str> = s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["step"].as_str().unwrap())
        .collect();
    for name in ["fetch-groups", "fetch-roles"] {
        assert!(skipped.contains(&name), "{name} skipped: {s:#}");
        let listed = s["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["step"] == name)
            .unwrap();
        assert_eq!(listed["kind"], "missing_scope", "{s:#}");
        assert!(!listed["scopes"].as_array().unwrap().is_empty(), "{s:#}");
        assert!(
            listed["reason"].as_str().unwrap().contains("scope"),
            "{s:#}"
        );
        let scopes = step(&s, name)["scopes"].as_array().unwrap();
        assert!(!scopes.is_empty(), "{name} names its missing scopes");
    }
    assert!(
        step(&s, "fetch-groups")["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x.as_str().unwrap().starts_with("group:")),
        "{s:#}"
    );
    assert_eq!(step(&s, "fetch-users")["outcome"], "ok");

    // The text report lists the skipped parts too.
    let text = home.run_against(&users_only, &["sync"]).await;
    text.assert_code(0);
    assert!(text.stdout.contains("skipped"), "{}", text.stdout);
    assert!(text.stdout.contains("fetch-groups"), "{}", text.stdout);

    let after = home.run(&["export"], &[]).await.json();
    assert_eq!(keys_of(&after, "zoom_group"), groups_before, "groups kept");
    assert_eq!(keys_of(&after, "zoom_role"), roles_before, "roles kept");
    assert_eq!(
        edges_of(&after, "zoom_group_has_user"),
        members_before,
        "memberships kept"
    );
    assert_eq!(
        keys_of(&after, "zoom_user").len(),
        users_only.org().users.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_exits_3_without_echoing_it() {
    let sb = sandbox(20, None).await;
    let home = Home::new();
    home.write_profile(&sb);
    let wrong = "not-the-secret-9f8e7d";
    let r = home.run(&["sync"], &[("ZOOM_CLIENT_SECRET", wrong)]).await;
    r.assert_code(3);
    assert!(r.stderr.to_lowercase().contains("auth"), "{}", r.stderr);
    assert!(!r.stderr.contains(wrong) && !r.stdout.contains(wrong));
    for (path, bytes) in home.data_bytes() {
        assert!(!contains(&bytes, wrong), "secret in {}", path.display());
    }
    let j = home
        .run(&["sync", "--json"], &[("ZOOM_CLIENT_SECRET", wrong)])
        .await;
    j.assert_code(3);
    assert_eq!(j.json()["error"], "authentication");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_part_exits_4_and_keeps_earlier_data() {
    let good = sandbox(120, None).await;
    let home = Home::new();
    home.write_profile(&good);
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
    let before = home.run(&["export"], &[]).await.json();
    let stored = snapshot_ids(&home);
    assert_eq!(stored.len(), 1);

    // The same org answering every API request with a 5xx.
    let broken = Sandbox::start(SandboxConfig {
        users: 120,
        faults: zoomscope::sandbox::Faults {
            error_rate: 1.0,
            ..Default::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let sync = home.run_against(&broken, &["sync", "--json"]).await;
    sync.assert_code(4);
    let s = sync.json();
    assert_eq!(s["complete"], false);
    let failed: Vec<&str> = s["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(failed.contains(&"fetch-users"), "{s:#}");
    assert!(
        step(&s, "fetch-users")["reason"]
            .as_str()
            .unwrap()
            .contains("500")
            || step(&s, "fetch-users")["reason"]
                .as_str()
                .unwrap()
                .contains("server"),
        "{s:#}"
    );
    // nothing was fetched, so nothing was stored
    assert!(s["snapshot_id"].is_null(), "{s:#}");
    assert_eq!(snapshot_ids(&home), stored);
    // nothing fetched replaced anything: the export is as before
    let after = home.run(&["export"], &[]).await.json();
    for t in ["zoom_user", "zoom_group", "zoom_role", "zoom_account"] {
        assert_eq!(keys_of(&after, t), keys_of(&before, t), "{t}");
    }
    assert_eq!(
        edges_of(&after, "zoom_group_has_user"),
        edges_of(&before, "zoom_group_has_user")
    );
}

/// The ids of the snapshots stored for profile `default`, read from the
/// store file the binary wrote.
fn snapshot_ids(home: &Home) -> Vec<i64> {
    let store = Store::open(&home.data.join("zoomscope.db")).unwrap();
    store
        .snapshots("default")
        .unwrap()
        .iter()
        .map(|s| s.id.0)
        .collect()
}

/// A URL on a local port nothing listens on (bound, then released).
fn closed_port_url() -> String {
    let port = crate::support::local::closed_port();
    format!("http://127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_token_endpoint_exits_4_and_stores_no_snapshot() {
    let sb = sandbox(20, None).await;
    let home = Home::new();
    home.write_profile(&sb);
    let down = closed_port_url();
    let env = [("ZOOM_OAUTH_URL", down.as_str())];

    // Each run retries the token with backoff for a while; they store
    // nothing, so they can run side by side.
    let (text, json, check) = tokio::join!(
        home.run(&["sync"], &env),
        home.run(&["sync", "--json"], &env),
        home.run(&["check"], &env)
    );
    text.assert_code(4);
    assert!(
        text.stderr.contains("fetched nothing") && text.stderr.contains("no snapshot was stored"),
        "{}",
        text.stderr
    );
    assert!(text.stdout.contains("FAILED"), "{}", text.stdout);
    // the store is empty: nothing can have been kept from a previous snapshot
    assert!(
        !text.stdout.contains("kept from the previous snapshot"),
        "{}",
        text.stdout
    );
    assert!(snapshot_ids(&home).is_empty());

    json.assert_code(4);
    let j = json.json();
    assert_eq!(j["error"], "nothing fetched");
    assert_eq!(j["complete"], false);
    assert!(j["snapshot_id"].is_null(), "{j:#}");
    assert!(!j["failed"].as_array().unwrap().is_empty(), "{j:#}");

    // `check` reads the same outcome: exit 4, nothing evaluated or stored
    check.assert_code(4);
    assert!(
        check
            .stderr
            .contains("sync failed: the sync fetched nothing"),
        "{}",
        check.stderr
    );
    assert!(snapshot_ids(&home).is_empty());
    // and there is nothing to export
    home.run(&["export"], &[]).await.assert_code(2);
}
