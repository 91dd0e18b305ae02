//! The data a Zoom security review needs (issue 16, item 5) and the rest of
//! what an audit reads from the same calls (issue 12, item 8): the real
//! binary syncing a real sandbox over HTTP into a real SQLite file, checked
//! against what the sandbox itself answers through the client.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::cli::Home;
use serde_json::Value;
use zoomscope::sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use zoomscope::zoom::{ClientConfig, Secret, ZoomClient};

async fn start(seed: u64) -> RunningSandbox {
    Sandbox::start(SandboxConfig {
        users: 120,
        seed,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn client(sb: &RunningSandbox) -> ZoomClient {
    let mut c = ClientConfig::new(
        sb.account_id(),
        sb.client_id(),
        Secret::new(sb.client_secret()),
    );
    c.api_url = sb.api_url();
    c.oauth_url = sb.oauth_url();
    ZoomClient::new(c).unwrap()
}

async fn export(home: &Home) -> Value {
    let e = home.run(&["export"], &[]).await;
    e.assert_code(0);
    e.json()
}

fn entities<'a>(export: &'a Value, t: &str) -> BTreeMap<String, &'a Value> {
    export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["_type"] == t)
        .map(|e| (e["_key"].as_str().unwrap().to_string(), e))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_admins_are_the_users_that_manage_groups_in_j1ql() {
    let home = Home::new();
    let sb = start(1).await;
    home.write_profile(&sb);
    // A plain sync leaves the per-item details alone: no group admins yet.
    let s = home.run(&["sync", "--json"], &[]).await;
    s.assert_code(0);
    let none = home
        .run(
            &["query", "FIND zoom_user THAT MANAGES zoom_group", "--json"],
            &[],
        )
        .await;
    none.assert_code(0);
    assert_eq!(
        none.json().as_array().map_or(usize::MAX, Vec::len),
        0,
        "group admins are fetched only with --user-settings"
    );
    let s = home.run(&["sync", "--user-settings", "--json"], &[]).await;
    s.assert_code(0);
    // What Zoom (the sandbox) says, over HTTP through the client.
    let org = sb.org();
    let c = client(&sb);
    let mut expected = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for g in &org.groups {
        for a in c.list_group_admins(&g.id).await.unwrap() {
            let u = org
                .users
                .iter()
                .find(|u| u.email.eq_ignore_ascii_case(&a.email))
                .unwrap();
            expected.insert(u.key());
            edges.insert((u.key(), format!("zoom_group:{}", g.id)));
        }
    }
    assert!(!expected.is_empty(), "the sandbox has group admins");
    let q = home
        .run(
            &["query", "FIND zoom_user THAT MANAGES zoom_group", "--json"],
            &[],
        )
        .await;
    q.assert_code(0);
    let got: BTreeSet<String> = q
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["_key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    // Each admin → group edge, with JupiterOne's type and class.
    let e = export(&home).await;
    let stored: BTreeSet<(String, String)> = e["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["_type"] == "zoom_user_manages_group")
        .map(|r| {
            assert_eq!(r["_class"], "MANAGES");
            (
                r["_fromEntityKey"].as_str().unwrap().to_string(),
                r["_toEntityKey"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(stored, edges);
}

/// The names of Zoom's sign-in method codes (the contract: Zoom's
/// `GET /users/{userId}` docs).
fn login_type_name(code: u16) -> String {
    match code {
        0 => "facebook".into(),
        1 => "google".into(),
        24 => "apple".into(),
        27 => "microsoft".into(),
        97 => "mobile".into(),
        98 => "ringcentral".into(),
        99 => "api".into(),
        100 => "work_email".into(),
        101 => "sso".into(),
        other => format!("code_{other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_types_come_with_user_settings_as_names_and_stay_without_them() {
    let home = Home::new();
    let sb = start(1).await;
    home.write_profile(&sb);
    let s = home.run(&["sync", "--user-settings", "--json"], &[]).await;
    s.assert_code(0);
    let steps = s.json()["steps"].clone();
    let step = steps
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["step"] == "fetch-user-login-types")
        .unwrap_or_else(|| panic!("no login-types step: {steps:#}"))
        .clone();
    assert_eq!(step["outcome"], "ok", "{step}");
    let org = sb.org();
    let check = |e: &Value| {
        let users = entities(e, "zoom_user");
        let mut n = 0;
        for u in org.users.iter().filter(|u| u.id.is_some()) {
            let want: Vec<String> = {
                let mut v: Vec<String> = Vec::new();
                for name in u.login_types.iter().map(|c| login_type_name(*c)) {
                    if !v.contains(&name) {
                        v.push(name);
                    }
                }
                v
            };
            assert_eq!(
                users[&u.key()]["loginTypes"],
                serde_json::json!(want),
                "{}",
                u.key()
            );
            n += 1;
        }
        assert!(n > 0);
    };
    let first = export(&home).await;
    check(&first);
    // The raw JSON keeps Zoom's codes; no secret rode along.
    let text = first.to_string();
    assert!(!text.contains(&sb.client_secret().to_string()));
    // A sync without --user-settings neither fetches nor drops them.
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
    check(&export(&home).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_domains_iq_roles_and_custom_attributes_are_synced() {
    let home = Home::new();
    // An even seed: the sandbox's account has Zoom IQ roles.
    let sb = start(2).await;
    home.write_profile(&sb);
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
    let e = export(&home).await;
    let c = client(&sb);

    let account = entities(&e, "zoom_account")
        .into_values()
        .next()
        .unwrap()
        .clone();
    let trusted = c.trusted_domains().await.unwrap();
    assert!(!trusted.is_empty());
    assert_eq!(account["trustedDomains"], serde_json::json!(trusted));

    let iq = c.list_roles_of_type(Some("iq")).await.unwrap();
    assert!(!iq.is_empty(), "seed 2 has Zoom IQ roles");
    let roles = entities(&e, "zoom_role");
    for r in &iq {
        let stored = &roles[&format!("zoom_role:{}", r.id)];
        assert_eq!(stored["roleType"], "iq");
        assert!(stored["privileges"].is_array(), "its detail was read");
    }
    assert!(roles.values().any(|r| r["roleType"] == "common"));

    let org = sb.org();
    let users = entities(&e, "zoom_user");
    let mut n = 0;
    for u in org
        .users
        .iter()
        .filter(|u| u.id.is_some() && !u.cost_center.is_empty())
    {
        assert_eq!(
            users[&u.key()]["customAttribute.costCenter"],
            u.cost_center.as_str(),
            "{}",
            u.key()
        );
        n += 1;
    }
    assert!(n > 0, "users with a cost center");
    // Usable in J1QL like any property.
    let someone = org
        .users
        .iter()
        .find(|u| u.id.is_some() && !u.cost_center.is_empty())
        .unwrap();
    let q = home
        .run(
            &[
                "query",
                &format!(
                    "FIND zoom_user WITH customAttribute.costCenter = '{}'",
                    someone.cost_center
                ),
                "--json",
            ],
            &[],
        )
        .await;
    q.assert_code(0);
    assert!(
        q.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["_key"] == someone.key().as_str())
    );
}

/// The explorer's lazy fetch for the user it shows brings the user's
/// sign-in methods and permissions too: into the cache beside history,
/// never into a snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_detail_views_login_types_and_permissions_are_a_cache_not_history() {
    use zoomscope::app::{Context, Options};
    let dir = tempfile::tempdir().unwrap();
    let ctx = Context::new(Options {
        demo: true,
        demo_users: 40,
        config_file: Some(dir.path().join("config.toml")),
        data_dir: Some(dir.path().join("data")),
        ..Options::default()
    })
    .await
    .unwrap();
    let (events, _progress) = tokio::sync::mpsc::unbounded_channel();
    ctx.sync_and_store(zoomscope::sync::SyncOptions::default(), events)
        .await
        .unwrap();
    // The owner, and the privileges its role's detail gave (read by the sync).
    let synced = ctx.latest_graph().await.unwrap().unwrap();
    let (_, owner) = synced
        .graph
        .entities()
        .find(|(_, e)| {
            e.key.starts_with("zoom_user:")
                && e.props.json("roleId") == Some(serde_json::json!("0"))
        })
        .unwrap();
    let key = owner.key.clone();
    let privileges = synced
        .graph
        .get("zoom_role:0")
        .and_then(|r| r.props.json("privileges"))
        .unwrap();
    let fetched = ctx.fetch_user_settings(&key).await.unwrap().unwrap();
    let prop = |name: &str| {
        fetched
            .props
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} in the lazy fetch"))
    };
    let known: Vec<String> = [0, 1, 24, 27, 97, 98, 99, 100, 101]
        .into_iter()
        .map(login_type_name)
        .collect();
    let types = prop("loginTypes");
    let types = types.as_array().unwrap();
    assert!(!types.is_empty());
    assert!(
        types.iter().all(|t| known.iter().any(|k| t == k.as_str())),
        "{types:?}"
    );
    assert_eq!(prop("permissions"), privileges);
    // Cached for the detail view…
    let k = key.clone();
    let cached = ctx
        .with_store(move |store, profile| Ok(store.cached_user_settings(profile, &k)?))
        .await
        .unwrap()
        .unwrap();
    assert!(cached.props.iter().any(|(k, _)| k == "permissions"));
    // …and not in the snapshot.
    let latest = ctx.latest_graph().await.unwrap().unwrap();
    let e = latest.graph.get(&key).unwrap();
    assert!(e.props.get("permissions").is_none());
    assert!(e.props.get("loginTypes").is_none());
}
