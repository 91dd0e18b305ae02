//! Group settings and lock settings where they differ from the account's
//! (issue 16, item 5): the sandbox's two endpoints against Zoom's contract,
//! and the real binary syncing them over HTTP into a real SQLite file, the
//! `group-overrides-locked-setting` rule firing on what it stored.

use std::sync::Arc;

use crate::support::cli::Home;
use crate::support::proxy::{Fault, proxy};
use crate::support::sandbox::{http, start, token};
use serde_json::{Value, json};
use zoomscope::sandbox::endpoints::GRANULAR_READ_SCOPES;
use zoomscope::sandbox::{Change, Endpoint, RateLimitConfig, RunningSandbox, SandboxConfig};

async fn sandbox() -> RunningSandbox {
    start(SandboxConfig {
        users: 120,
        seed: 1,
        ..SandboxConfig::default()
    })
    .await
}

/// `GET {api}{path}` with a bearer token: status, rate-limit category, body.
async fn get(sb: &RunningSandbox, token: &str, path: &str) -> (u16, String, Value) {
    let r = http()
        .get(format!("{}{path}", sb.api_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let category = r
        .headers()
        .get("x-ratelimit-category")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, category, r.json().await.unwrap())
}

/// A sandbox for reading its answers one by one: its per-second limits
/// (tested elsewhere) off, so a quick run of requests gets no 429.
async fn unlimited(cfg: SandboxConfig) -> RunningSandbox {
    start(SandboxConfig {
        rate_limits: RateLimitConfig {
            enabled: false,
            ..RateLimitConfig::default()
        },
        ..cfg
    })
    .await
}

fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |cur, seg| &cur[seg])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_serves_group_settings_and_locks_as_zoom_documents_them() {
    let sb = unlimited(SandboxConfig {
        users: 120,
        seed: 1,
        ..SandboxConfig::default()
    })
    .await;
    let org = sb.org();
    let t = token(&sb).await;
    let (plain, overriding) = (&org.groups[4], &org.groups[1]);
    // The account's, for comparison.
    let (_, _, account) = get(&sb, &t, "/accounts/me/settings").await;
    let (_, _, account_locks) = get(&sb, &t, "/accounts/me/lock_settings").await;

    let (status, category, body) = get(&sb, &t, &format!("/groups/{}/settings", plain.id)).await;
    assert_eq!((status, category.as_str()), (200, "Medium"), "{body}");
    // The group endpoint's sections (getGroupSettings), not the account's.
    for section in [
        "in_meeting",
        "schedule_meeting",
        "recording",
        "email_notification",
    ] {
        assert!(body[section].is_object(), "{section}: {body}");
    }
    for section in ["security", "feature", "tsp", "integration"] {
        assert!(
            body.get(section).is_none(),
            "{section} is account-only: {body}"
        );
    }
    // A group that sets nothing of its own has the account's values.
    for path in [
        "in_meeting.waiting_room",
        "schedule_meeting.require_password_for_scheduling_new_meetings",
        "recording.auto_recording",
    ] {
        assert_eq!(at(&body, path), at(&account, path), "{path}");
    }
    let (_, _, body) = get(&sb, &t, &format!("/groups/{}/settings", overriding.id)).await;
    assert_eq!(at(&body, "in_meeting.waiting_room"), &json!(false));
    assert_eq!(at(&account, "in_meeting.waiting_room"), &json!(true));

    let (status, category, locks) =
        get(&sb, &t, &format!("/groups/{}/lock_settings", plain.id)).await;
    assert_eq!((status, category.as_str()), (200, "Medium"), "{locks}");
    for (section, keys) in locks.as_object().unwrap() {
        for (k, v) in keys.as_object().unwrap() {
            assert!(v.is_boolean(), "{section}.{k} = {v}");
        }
    }
    assert_eq!(
        at(&locks, "in_meeting.waiting_room"),
        at(&account_locks, "in_meeting.waiting_room")
    );
    let (_, _, locks) = get(
        &sb,
        &t,
        &format!("/groups/{}/lock_settings", org.groups[2].id),
    )
    .await;
    assert_ne!(
        at(&locks, "in_meeting.waiting_room"),
        at(&account_locks, "in_meeting.waiting_room"),
        "the second group's lock differs from the account's"
    );

    // Zoom's errors: an unknown group, an unknown option.
    let (status, _, e) = get(&sb, &t, "/groups/nope/settings").await;
    assert_eq!((status, e["code"].as_u64()), (404, Some(4130)), "{e}");
    let (status, _, e) = get(&sb, &t, "/groups/nope/lock_settings").await;
    assert_eq!((status, e["code"].as_u64()), (404, Some(4130)), "{e}");
    let (status, _, e) = get(
        &sb,
        &t,
        &format!("/groups/{}/settings?option=bogus", plain.id),
    )
    .await;
    assert_eq!((status, e["code"].as_u64()), (400, Some(300)), "{e}");
    sb.shutdown().await;

    // Scopes: the granular scope of each, or the classic group scope.
    let only = |scopes: &[&str]| SandboxConfig {
        users: 20,
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..SandboxConfig::default()
    };
    let sb = unlimited(only(&["group:read:settings:admin"])).await;
    let t = token(&sb).await;
    let g = sb.org().groups[1].id.clone();
    let (status, _, _) = get(&sb, &t, &format!("/groups/{g}/settings")).await;
    assert_eq!(status, 200);
    let (status, _, e) = get(&sb, &t, &format!("/groups/{g}/lock_settings")).await;
    assert_eq!((status, e["code"].as_u64()), (400, Some(4711)), "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("group:read:lock_settings:admin"),
        "{e}"
    );
    sb.shutdown().await;
    let sb = unlimited(only(&["group:read:admin"])).await;
    let t = token(&sb).await;
    let g = sb.org().groups[1].id.clone();
    for path in ["settings", "lock_settings"] {
        let (status, _, _) = get(&sb, &t, &format!("/groups/{g}/{path}")).await;
        assert_eq!(status, 200, "{path}");
    }
    sb.shutdown().await;

    // Groups need a paid plan: a Free account gets Zoom's error.
    let sb = unlimited(SandboxConfig {
        users: 20,
        plan: "free".into(),
        ..SandboxConfig::default()
    })
    .await;
    let t = token(&sb).await;
    let g = sb.org().groups[1].id.clone();
    for path in ["settings", "lock_settings"] {
        let (status, _, e) = get(&sb, &t, &format!("/groups/{g}/{path}")).await;
        assert_eq!((status, e["code"].as_u64()), (400, Some(200)), "{e}");
        assert_eq!(e["message"], "Only available for Paid account.");
    }
    sb.shutdown().await;
}

async fn export(home: &Home) -> Value {
    let e = home.run(&["export"], &[]).await;
    e.assert_code(0);
    e.json()
}

fn entity<'a>(export: &'a Value, key: &str) -> &'a Value {
    export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["_key"] == key)
        .unwrap_or_else(|| panic!("no {key}"))
}

/// The properties the overrides add (see `convert/group_settings.rs`).
fn override_props(group: &Value) -> Vec<String> {
    group
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| {
            k.starts_with("inMeeting")
                || k.starts_with("scheduleMeeting")
                || k.starts_with("recording")
                || k.starts_with("lockSettings")
                || k.ends_with("Overrides")
                || k.contains("LockedSetting")
        })
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_settings_sync_keeps_only_the_overrides_and_the_rule_names_group_and_setting() {
    let home = Home::new();
    let sb = sandbox().await;
    home.write_profile(&sb);
    home.run(&["sync", "--user-settings", "--json"], &[])
        .await
        .assert_code(0);
    let org = sb.org();
    let e = export(&home).await;
    let key = |k: usize| format!("zoom_group:{}", org.groups[k].id);

    // Turns off two settings the account has on and locks.
    let first = entity(&e, &key(1));
    assert_eq!(first["inMeetingWaitingRoom"], false);
    assert_eq!(
        first["scheduleMeetingRequirePasswordForSchedulingNewMeetings"],
        false
    );
    assert_eq!(
        first["settingsOverrides"],
        json!([
            "inMeetingWaitingRoom",
            "scheduleMeetingRequirePasswordForSchedulingNewMeetings"
        ])
    );
    assert_eq!(first["overridesLockedAccountSetting"], true);
    let locked = first["overriddenLockedSettings"].as_array().unwrap();
    assert!(
        locked.contains(&json!(
            "scheduleMeetingRequirePasswordForSchedulingNewMeetings"
        )),
        "{first:#}"
    );
    // The waiting room counts only where the account locks it.
    assert_eq!(
        locked.contains(&json!("inMeetingWaitingRoom")),
        org.account.lock_settings.waiting_room,
        "{first:#}"
    );

    // Locks the waiting room against the account, and records to the cloud
    // (a setting the account does not lock).
    let second = entity(&e, &key(2));
    assert_eq!(
        second["lockSettingsInMeetingWaitingRoom"],
        !org.account.lock_settings.waiting_room
    );
    assert_eq!(
        second["lockSettingsOverrides"],
        json!(["lockSettingsInMeetingWaitingRoom"])
    );
    assert_eq!(second["recordingAutoRecording"], "cloud");
    assert_eq!(second["overridesLockedAccountSetting"], false);
    assert!(second.get("overriddenLockedSettings").is_none());

    // Groups equal to the account: nothing (the group endpoint's keys the
    // account body lacks are not differences either).
    for k in [0, 3, 4] {
        let g = entity(&e, &key(k));
        assert_eq!(override_props(g), Vec::<String>::new(), "{g:#}");
    }

    // The rule fires on the first group only, naming it and the setting.
    let c = home.run(&["check", "--offline", "--json"], &[]).await;
    c.assert_code(1);
    let j = c.json();
    let fired = j["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "group-overrides-locked-setting")
        .unwrap_or_else(|| panic!("the rule did not fire: {j:#}"));
    assert_eq!(fired["severity"], "high");
    assert_eq!(fired["entities"], json!([key(1)]));
    let shown = &fired["shown"][0];
    assert_eq!(shown["key"], key(1));
    assert_eq!(shown["name"], org.groups[1].name);
    assert!(
        shown["overriddenLockedSettings"]
            .as_array()
            .unwrap()
            .contains(&json!(
                "scheduleMeetingRequirePasswordForSchedulingNewMeetings"
            )),
        "{fired:#}"
    );
    // And in text, beside the group.
    let c = home.run(&["check", "--offline"], &[]).await;
    let line = c
        .stdout
        .lines()
        .find(|l| l.contains(&key(1)))
        .unwrap_or_else(|| panic!("{}", c.stdout));
    assert!(
        line.contains(&org.groups[1].name)
            && line.contains("scheduleMeetingRequirePasswordForSchedulingNewMeetings"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_sync_sends_no_group_settings_request_and_keeps_the_overrides() {
    let home = Home::new();
    let sb = sandbox().await;
    home.write_profile(&sb);
    home.run(&["sync", "--user-settings", "--json"], &[])
        .await
        .assert_code(0);
    let org = sb.org();
    let groups = org.groups.len() as u64;
    let counts = || {
        (
            sb.endpoint_count(Endpoint::GroupSettings),
            sb.endpoint_count(Endpoint::GroupLockSettings),
        )
    };
    assert_eq!(counts(), (groups, groups), "one of each per group");
    let before = export(&home).await;
    // The sandbox changes a group meanwhile; a plain sync does not look.
    let third = org.groups[3].id.clone();
    let applied = sb.apply_change(Change::group_override(&third)).unwrap();
    assert_eq!(applied.user_key, format!("zoom_group:{third}"));
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
    assert_eq!(
        counts(),
        (groups, groups),
        "a plain sync reads no group settings"
    );
    let after = export(&home).await;
    for g in &org.groups {
        let key = format!("zoom_group:{}", g.id);
        assert_eq!(
            override_props(entity(&after, &key)),
            override_props(entity(&before, &key)),
            "{key}"
        );
        for p in override_props(entity(&before, &key)) {
            assert_eq!(
                entity(&after, &key)[&p],
                entity(&before, &key)[&p],
                "{key} {p}"
            );
        }
    }
    // The next --user-settings sync sees the change.
    home.run(&["sync", "--user-settings", "--json"], &[])
        .await
        .assert_code(0);
    let e = export(&home).await;
    let changed = entity(&e, &format!("zoom_group:{third}"));
    assert_eq!(
        changed["settingsOverrides"],
        json!(["scheduleMeetingRequirePasswordForSchedulingNewMeetings"]),
        "{changed:#}"
    );
    assert_eq!(changed["overridesLockedAccountSetting"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_whose_settings_request_fails_keeps_its_earlier_overrides() {
    let home = Home::new();
    let sb = sandbox().await;
    home.write_profile(&sb);
    home.run(&["sync", "--user-settings", "--json"], &[])
        .await
        .assert_code(0);
    let org = sb.org();
    let (victim, other) = (org.groups[1].id.clone(), org.groups[3].id.clone());
    let before = export(&home).await;
    // Both groups change; the victim's settings cannot be read next time.
    sb.apply_change(Change::group_override(&victim)).unwrap();
    sb.apply_change(Change::group_override(&other)).unwrap();
    let path = format!("/v2/groups/{victim}/settings");
    let api = proxy(
        &sb,
        Arc::new(move |p: &str| (p == path).then(|| Fault::Answer(502, json!({})))),
    )
    .await;
    let run = home
        .run(
            &["sync", "--user-settings", "--json"],
            &[("ZOOM_API_URL", &api), ("ZOOM_OAUTH_URL", &sb.oauth_url())],
        )
        .await;
    run.assert_code(0);
    let s = run.json();
    let step = s["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["step"] == "fetch-group-settings")
        .unwrap_or_else(|| panic!("{s:#}"));
    assert_eq!(step["outcome"], "ok", "{s:#}");
    assert_eq!(step["skipped"]["count"], 1, "{s:#}");
    assert!(
        step["skipped"]["sample"].to_string().contains(&victim),
        "{s:#}"
    );
    let after = export(&home).await;
    let key = format!("zoom_group:{victim}");
    let (b, a) = (entity(&before, &key), entity(&after, &key));
    // Its settings are what was stored; its locks were read.
    for p in [
        "inMeetingWaitingRoom",
        "settingsOverrides",
        "overriddenLockedSettings",
    ] {
        assert_eq!(a[p], b[p], "{p}");
    }
    assert!(a.get("recordingCloudRecording").is_none(), "{a:#}");
    // The other group's change was read.
    let o = entity(&after, &format!("zoom_group:{other}"));
    assert_eq!(o["overridesLockedAccountSetting"], true, "{o:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_scope_or_the_free_plan_skips_the_steps_and_keeps_what_was_stored() {
    let home = Home::new();
    let sb = sandbox().await;
    home.write_profile(&sb);
    home.run(&["sync", "--user-settings", "--json"], &[])
        .await
        .assert_code(0);
    let before = export(&home).await;
    let org = sb.org();
    let keys: Vec<String> = org
        .groups
        .iter()
        .map(|g| format!("zoom_group:{}", g.id))
        .collect();
    let step = |s: &Value, name: &str| -> Value {
        s["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["step"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {s:#}"))
    };
    let same_overrides = |after: &Value| {
        for k in &keys {
            let (b, a) = (entity(&before, k), entity(after, k));
            assert_eq!(override_props(a), override_props(b), "{k}");
            for p in override_props(b) {
                assert_eq!(a[&p], b[&p], "{k} {p}");
            }
        }
    };
    // The same account through an app without the lock-settings scope.
    let scopes: Vec<String> = GRANULAR_READ_SCOPES
        .iter()
        .filter(|s| **s != "group:read:lock_settings:admin")
        .map(|s| s.to_string())
        .collect();
    let narrow = start(SandboxConfig {
        users: 120,
        seed: 1,
        scopes,
        ..SandboxConfig::default()
    })
    .await;
    let run = home
        .run_against(&narrow, &["sync", "--user-settings", "--json"])
        .await;
    run.assert_code(0);
    let s = run.json();
    let locks = step(&s, "fetch-group-lock-settings");
    assert_eq!(locks["outcome"], "skipped", "{s:#}");
    assert!(
        locks["reason"]
            .as_str()
            .unwrap()
            .contains("group:read:lock_settings:admin"),
        "{locks}"
    );
    assert_eq!(step(&s, "fetch-group-settings")["outcome"], "ok");
    assert_eq!(narrow.endpoint_count(Endpoint::GroupLockSettings), 0);
    same_overrides(&export(&home).await);
    narrow.shutdown().await;

    // On the Free plan neither step can run (groups need a paid plan).
    let free = start(SandboxConfig {
        users: 120,
        seed: 1,
        plan: "free".into(),
        ..SandboxConfig::default()
    })
    .await;
    let run = home
        .run_against(&free, &["sync", "--user-settings", "--json"])
        .await;
    let s = run.json();
    for name in ["fetch-group-settings", "fetch-group-lock-settings"] {
        let st = step(&s, name);
        assert_eq!(st["outcome"], "skipped", "{s:#}");
        assert!(
            st["reason"].as_str().unwrap().contains("Paid account"),
            "{st}"
        );
    }
    same_overrides(&export(&home).await);
}
