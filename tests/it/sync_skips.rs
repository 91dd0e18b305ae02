//! Skipped, unavailable and unreadable parts (issue 12, items 3–5): the real
//! binary syncing a real sandbox over HTTP into a real SQLite file, some
//! runs through a small proxy that answers chosen paths as a real Zoom
//! account does (400 code 200 "No permission.", a bare 403, one role's or
//! one user's error, a garbled body) and forwards everything else.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::support::cli::{self as cli_support, Home};
use crate::support::proxy::{Fault, proxy};
use serde_json::{Value, json};
use zoomscope::sandbox::endpoints::GRANULAR_READ_SCOPES;
use zoomscope::sandbox::{Faults, RunningSandbox, Sandbox, SandboxConfig};

const USERS: usize = 150;

async fn sandbox(scopes: Option<Vec<String>>, faults: Faults) -> RunningSandbox {
    let mut cfg = SandboxConfig {
        users: USERS,
        faults,
        ..SandboxConfig::default()
    };
    if let Some(s) = scopes {
        cfg.scopes = s;
    }
    Sandbox::start(cfg).await.unwrap()
}

/// `zoomscope sync --json [extra]` against `api` (and the sandbox's token endpoint).
async fn sync(home: &Home, sb: &RunningSandbox, api: &str, extra: &[&str]) -> cli_support::Run {
    let mut args = vec!["sync"];
    args.extend_from_slice(extra);
    home.run(
        &args,
        &[("ZOOM_API_URL", api), ("ZOOM_OAUTH_URL", &sb.oauth_url())],
    )
    .await
}

async fn export(home: &Home) -> Value {
    let e = home.run(&["export"], &[]).await;
    e.assert_code(0);
    e.json()
}

/// `_key` → entity, of one `_type`.
fn entities<'a>(export: &'a Value, t: &str) -> BTreeMap<String, &'a Value> {
    export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["_type"] == t)
        .map(|e| (e["_key"].as_str().unwrap().to_string(), e))
        .collect()
}

fn account(export: &Value) -> &Value {
    let all = entities(export, "zoom_account");
    assert_eq!(all.len(), 1);
    all.into_values().next().unwrap()
}

/// Properties of `e` whose name starts with `prefix`, without the
/// snapshot-bound ones.
fn props_with<'a>(e: &'a Value, prefix: &str) -> BTreeMap<&'a str, &'a Value> {
    e.as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

/// The export without anything that differs between two syncs of the same org.
fn stable(export: &Value) -> Value {
    let mut e = export.clone();
    for key in ["entities", "relationships"] {
        if let Some(items) = e[key].as_array_mut() {
            for item in items.iter_mut() {
                if let Some(o) = item.as_object_mut() {
                    o.retain(|k, _| !k.starts_with("_snapshot") && k != "_createdOn");
                }
            }
            items.sort_by_key(|i| i["_key"].as_str().unwrap_or_default().to_string());
        }
    }
    json!({"entities": e["entities"], "relationships": e["relationships"]})
}

/// Asserts two exports hold the same data, naming the first entity or
/// relationship that differs (not dumping megabytes of export).
#[track_caller]
fn assert_same(after: &Value, before: &Value, what: &str) {
    let (a, b) = (stable(after), stable(before));
    for key in ["entities", "relationships"] {
        let index = |v: &Value| -> BTreeMap<String, Value> {
            v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| (i["_key"].as_str().unwrap().to_string(), i.clone()))
                .collect()
        };
        let (a, b) = (index(&a), index(&b));
        for (k, was) in &b {
            match a.get(k) {
                None => panic!("{what}: {k} is gone"),
                Some(now) if now != was => {
                    let (now, was) = (now.as_object().unwrap(), was.as_object().unwrap());
                    let changed: Vec<&String> = was
                        .keys()
                        .chain(now.keys())
                        .filter(|p| now.get(*p) != was.get(*p))
                        .collect();
                    panic!("{what}: {k} changed in {changed:?}");
                }
                Some(_) => {}
            }
        }
        if let Some(k) = a.keys().find(|k| !b.contains_key(*k)) {
            panic!("{what}: {k} is new");
        }
    }
}

fn step<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {s:#}"))
}

fn skipped<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["step"] == name)
        .unwrap_or_else(|| panic!("{name} not listed as skipped in {s:#}"))
}

/// A first full sync (with user settings) of the org; its export.
async fn first_sync(home: &Home) -> (RunningSandbox, Value) {
    let sb = sandbox(None, Faults::default()).await;
    home.write_profile(&sb);
    sync(home, &sb, &sb.api_url(), &["--user-settings", "--json"])
        .await
        .assert_code(0);
    let before = export(home).await;
    (sb, before)
}

// ------------------------------------------------------------ item 3

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_zoom_says_is_unavailable_is_skipped_with_its_message_and_kept() {
    let home = Home::new();
    let (sb, before) = first_sync(&home).await;
    let acct = account(&before);
    assert!(acct.get("managedDomains").is_some(), "{acct:#}");
    assert!(!props_with(acct, "lockSettings").is_empty(), "{acct:#}");

    // As a Pro account without the permission answers: 400 code 200 on
    // managed domains, a bare 403 on lock settings.
    let api = proxy(
        &sb,
        Arc::new(|path: &str| match path {
            "/v2/accounts/me/managed_domains" => Some(Fault::Answer(
                400,
                json!({"code": 200, "message": "No permission."}),
            )),
            "/v2/accounts/me/lock_settings" => Some(Fault::Answer(
                403,
                json!({"message": "Access to the Zoom REST API has been denied for this account."}),
            )),
            _ => None,
        }),
    )
    .await;
    let run = sync(&home, &sb, &api, &["--json"]).await;
    run.assert_code(0);
    let s = run.json();
    assert_eq!(s["complete"], true, "{s:#}");
    assert!(s["failed"].as_array().unwrap().is_empty(), "{s:#}");
    let domains = skipped(&s, "fetch-managed-domains");
    assert_eq!(domains["reason"], "No permission.", "{s:#}");
    assert_eq!(domains["kind"], "unavailable");
    assert!(domains.get("scopes").is_none(), "no scope to name: {s:#}");
    let lock = skipped(&s, "fetch-account-lock-settings");
    assert_eq!(
        lock["reason"],
        "Access to the Zoom REST API has been denied for this account."
    );
    assert_eq!(lock["kind"], "unavailable");

    // Earlier data kept: the account is as before.
    let after = export(&home).await;
    assert_eq!(account(&after)["managedDomains"], acct["managedDomains"]);
    assert_eq!(
        props_with(account(&after), "lockSettings"),
        props_with(acct, "lockSettings")
    );
    assert_same(&after, &before, "the stored data");

    // The text report says why.
    let text = sync(&home, &sb, &api, &[]).await;
    text.assert_code(0);
    assert!(
        text.stdout
            .contains("fetch-managed-domains: unavailable to this account or app: No permission."),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("Skipped (earlier data kept)"),
        "{}",
        text.stdout
    );
}

// ------------------------------------------------------------ item 4

/// Syncs the org first with every scope, then with every granular scope
/// but `without`: `steps` are skipped for that scope, the sync exits 0,
/// and the export is exactly the first one (the skipped part kept).
async fn a_part_skipped_for_a_scope_keeps_its_data(without: &str, steps: &[&str]) -> Value {
    let (before, after) = skip_for_scope(without, steps, None).await;
    assert_same(
        &after,
        &before,
        &format!("skipping {steps:?} changed the stored data"),
    );
    before
}

/// A path whose forwarded answer the proxy rewrites, and how.
type Rewrite = (&'static str, fn(&mut Value));

/// The first export, and the export after a sync with every granular
/// scope but `without` (through a proxy applying `rewrite` when given),
/// checking that `steps` were skipped naming that scope, exit 0.
async fn skip_for_scope(without: &str, steps: &[&str], rewrite: Option<Rewrite>) -> (Value, Value) {
    let home = Home::new();
    let (_full, before) = first_sync(&home).await;
    let scopes: Vec<String> = GRANULAR_READ_SCOPES
        .iter()
        .filter(|s| **s != without)
        .map(|s| s.to_string())
        .collect();
    let narrow = sandbox(Some(scopes), Faults::default()).await;
    let api = match rewrite {
        None => narrow.api_url(),
        Some((path, f)) => {
            proxy(
                &narrow,
                Arc::new(move |p: &str| (p == path).then_some(Fault::Rewrite(f))),
            )
            .await
        }
    };
    let run = sync(&home, &narrow, &api, &["--user-settings", "--json"]).await;
    run.assert_code(0);
    let s = run.json();
    for name in steps {
        let listed = skipped(&s, name);
        assert_eq!(listed["kind"], "missing_scope", "{s:#}");
        assert!(
            listed["scopes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == without),
            "{name} names {without}: {s:#}"
        );
    }
    (before, export(&home).await)
}

/// Every item of a listing claims one member more than the users list
/// shows, so sync pages each one's member endpoint.
fn one_member_more(list_key: &str, v: &mut Value) {
    for item in v[list_key].as_array_mut().unwrap() {
        let n = item["total_members"].as_u64().unwrap_or(0);
        item["total_members"] = json!(n + 1);
    }
}

#[track_caller]
fn assert_same_relationships(after: &Value, before: &Value) {
    let only = |e: &Value| json!({"entities": [], "relationships": e["relationships"]});
    assert_same(&only(after), &only(before), "relationships");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_settings_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "account:read:settings:admin",
        &["fetch-account-settings"],
    )
    .await;
    // ~100 settings properties, not a handful
    let n = account(&before).as_object().unwrap().len();
    assert!(n > 60, "account has {n} properties");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_settings_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "account:read:lock_settings:master",
        &["fetch-account-lock-settings"],
    )
    .await;
    assert!(!props_with(account(&before), "lockSettings").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managed_domains_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "account:read:managed_domains:master",
        &["fetch-managed-domains"],
    )
    .await;
    assert!(account(&before).get("managedDomains").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "user:read:list_users:admin",
        &["fetch-users", "fetch-user-settings", "fetch-group-members"],
    )
    .await;
    assert_eq!(entities(&before, "zoom_user").len(), USERS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "group:read:list_groups:admin",
        &["fetch-groups", "fetch-group-members"],
    )
    .await;
    assert!(!entities(&before, "zoom_group").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_members_are_kept_when_skipped() {
    let (before, after) = skip_for_scope(
        "group:read:list_members:admin",
        &["fetch-group-members"],
        Some(("/v2/groups", |v| one_member_more("groups", v))),
    )
    .await;
    assert_same_relationships(&after, &before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "role:read:list_roles:admin",
        &["fetch-roles", "fetch-role-details", "fetch-role-members"],
    )
    .await;
    assert!(!entities(&before, "zoom_role").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_privileges_are_kept_when_skipped() {
    let before =
        a_part_skipped_for_a_scope_keeps_its_data("role:read:role:admin", &["fetch-role-details"])
            .await;
    assert!(
        entities(&before, "zoom_role")
            .values()
            .any(|r| r["privileges"].as_array().is_some_and(|p| !p.is_empty()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_members_are_kept_when_skipped() {
    let (before, after) = skip_for_scope(
        "role:read:list_members:admin",
        &["fetch-role-members"],
        Some(("/v2/roles", |v| one_member_more("roles", v))),
    )
    .await;
    assert_same_relationships(&after, &before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_settings_are_kept_when_skipped() {
    let before = a_part_skipped_for_a_scope_keeps_its_data(
        "user:read:settings:admin",
        &["fetch-user-settings"],
    )
    .await;
    assert!(
        entities(&before, "zoom_user")
            .values()
            .any(|u| u.get("inMeetingE2eEncryption").is_some()
                || u.get("meetingSecurityWaitingRoom").is_some())
    );
}

// ------------------------------------------------------------ item 5

fn garble_role(v: &mut Value) {
    // What the sandbox's `--malformed-rate` "wrong types" body does.
    v["id"] = json!(12345);
    v["name"] = json!(12345);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_roles_detail_or_one_users_settings_costs_that_item_only() {
    let home = Home::new();
    let (sb, before) = first_sync(&home).await;
    let org = sb.org();
    let victim = org
        .users
        .iter()
        .find(|u| u.id.is_some() && u.role_id != "0")
        .unwrap();
    let victim_id = victim.id.clone().unwrap();
    let victim_key = victim.key();
    let settings_path = format!("/v2/users/{victim_id}/settings");
    let api = proxy(
        &sb,
        Arc::new(move |path: &str| match path {
            "/v2/roles/2" => Some(Fault::Answer(
                400,
                json!({"code": 300, "message": "Something went wrong."}),
            )),
            "/v2/roles/1" => Some(Fault::Rewrite(garble_role)),
            p if p == settings_path => Some(Fault::Answer(
                400,
                json!({"code": 300, "message": "Something went wrong."}),
            )),
            _ => None,
        }),
    )
    .await;
    let run = sync(&home, &sb, &api, &["--user-settings", "--json"]).await;
    run.assert_code(0);
    let s = run.json();
    let details = step(&s, "fetch-role-details");
    assert_eq!(details["outcome"], "ok", "{s:#}");
    assert_eq!(details["skipped"]["count"], 2, "{s:#}");
    let sample = details["skipped"]["sample"].to_string();
    assert!(
        sample.contains("role 2") && sample.contains("role 1"),
        "{s:#}"
    );
    let settings = step(&s, "fetch-user-settings");
    assert_eq!(settings["outcome"], "ok", "{s:#}");
    assert_eq!(settings["skipped"]["count"], 1, "{s:#}");
    assert!(
        settings["skipped"]["sample"][0]
            .as_str()
            .unwrap()
            .contains(&victim_id),
        "{s:#}"
    );
    // every other user's settings were read
    let with_id = org.users.iter().filter(|u| u.id.is_some()).count();
    assert_eq!(settings["count"], with_id - 1, "{s:#}");

    // No phantom role, no erased privileges, the victim's settings kept:
    // the stored data is exactly the first sync's.
    let after = export(&home).await;
    assert!(!entities(&after, "zoom_role").contains_key("zoom_role:12345"));
    assert_eq!(
        entities(&after, "zoom_role")["zoom_role:2"]["privileges"],
        entities(&before, "zoom_role")["zoom_role:2"]["privileges"]
    );
    assert_eq!(
        entities(&after, "zoom_user")[&victim_key],
        entities(&before, "zoom_user")[&victim_key]
    );
    assert_same(&after, &before, "the stored data");

    // The text report counts what each step skipped.
    let text = sync(&home, &sb, &api, &["--user-settings"]).await;
    text.assert_code(0);
    assert!(
        text.stdout.contains("2 items skipped: role "),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("1 item skipped: user "),
        "{}",
        text.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_bodies_never_become_entities() {
    let home = Home::new();
    let (sb, before) = first_sync(&home).await;
    let org = sb.org();
    // The same org answering 5 % of requests with a garbled body.
    let garbling = sandbox(
        None,
        Faults {
            malformed_rate: 0.05,
            ..Faults::default()
        },
    )
    .await;
    for _ in 0..3 {
        let run = sync(&home, &garbling, &garbling.api_url(), &["--json"]).await;
        // a failed part is allowed (exit 4); a phantom entity is not
        assert!(run.code == 0 || run.code == 4, "{}", run.stderr);
        let after = export(&home).await;
        let roles: Vec<String> = entities(&after, "zoom_role").into_keys().collect();
        let mut expected: Vec<String> = org
            .roles
            .iter()
            .map(|r| format!("zoom_role:{}", r.id))
            .collect();
        expected.sort();
        assert_eq!(roles, expected, "{}", run.stdout);
        for r in &org.roles {
            let key = format!("zoom_role:{}", r.id);
            assert_eq!(
                entities(&after, "zoom_role")[&key]["privileges"],
                entities(&before, "zoom_role")[&key]["privileges"],
                "{key}"
            );
        }
        let groups: Vec<String> = entities(&after, "zoom_group").into_keys().collect();
        let expected: Vec<String> = entities(&before, "zoom_group").into_keys().collect();
        assert_eq!(groups, expected);
        let users = entities(&after, "zoom_user");
        assert!(
            users
                .keys()
                .all(|k| entities(&before, "zoom_user").contains_key(k)),
            "no phantom user"
        );
    }
}

/// The first user with an id on a page gets an e-mail that is a number.
fn garble_first_user(v: &mut Value) {
    if let Some(u) = v["users"]
        .as_array_mut()
        .and_then(|users| users.iter_mut().find(|u| u.get("id").is_some()))
    {
        u["email"] = json!(42);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_user_is_skipped_and_named_and_the_listing_goes_on() {
    let home = Home::new();
    let (sb, before) = first_sync(&home).await;
    let api = proxy(
        &sb,
        Arc::new(|path: &str| (path == "/v2/users").then_some(Fault::Rewrite(garble_first_user))),
    )
    .await;
    let run = sync(&home, &sb, &api, &["--user-settings", "--json"]).await;
    run.assert_code(0);
    let s = run.json();
    let users = step(&s, "fetch-users");
    assert_eq!(users["outcome"], "ok", "{s:#}");
    // one on the active page, one on the inactive page (pending users have no id)
    assert_eq!(users["skipped"]["count"], 2, "{s:#}");
    for item in users["skipped"]["sample"].as_array().unwrap() {
        let item = item.as_str().unwrap();
        assert!(item.starts_with("user "), "{item}");
        assert!(item.contains("`email` as a number"), "{item}");
    }
    assert_eq!(users["count"], USERS - 2, "the rest of the listing: {s:#}");
    // the unreadable users are kept as stored, settings included
    let after = export(&home).await;
    assert_same(&after, &before, "the stored data");
    let text = sync(&home, &sb, &api, &[]).await;
    text.assert_code(0);
    assert!(
        text.stdout.contains("2 items skipped: user "),
        "{}",
        text.stdout
    );
}

// ------------------------------------------- item 5: member listings

/// `(from, to)` of every relationship of one `_type` in an export.
fn rels(export: &Value, t: &str) -> std::collections::BTreeSet<(String, String)> {
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

/// A one-page `GET /groups/{id}/members` body naming `ids`.
fn members_body(ids: &[String]) -> Value {
    let members: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "email": format!("{id}@x.example"), "type": 2}))
        .collect();
    json!({"next_page_token": "", "page_count": 1, "page_number": 1, "page_size": 2000,
           "total_records": ids.len(), "members": members})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_groups_member_listing_failing_costs_that_group_only_and_keeps_its_members() {
    let home = Home::new();
    let sb = sandbox(None, Faults::default()).await;
    home.write_profile(&sb);
    let org = sb.org();
    let with_id: Vec<&zoomscope::sandbox::model::User> =
        org.users.iter().filter(|u| u.id.is_some()).collect();
    let members_of = |gid: &str| -> Vec<String> {
        with_id
            .iter()
            .filter(|u| u.group_ids.iter().any(|g| g == gid))
            .map(|u| u.id.clone().unwrap())
            .collect()
    };
    let outsider_of = |gid: &str| -> String {
        with_id
            .iter()
            .find(|u| !u.group_ids.iter().any(|g| g == gid))
            .and_then(|u| u.id.clone())
            .unwrap()
    };
    let (victim, garbled, fresh) = (
        org.groups[0].id.clone(),
        org.groups[1].id.clone(),
        org.groups[2].id.clone(),
    );
    // First sync: the victim's member listing names one user whose
    // group_ids do not (only the listing says so).
    let x = outsider_of(&victim);
    let mut first = members_of(&victim);
    first.push(x.clone());
    let first_body = members_body(&first);
    let victim_path = format!("/v2/groups/{victim}/members");
    let api = proxy(
        &sb,
        Arc::new(move |p: &str| match p {
            "/v2/groups" => Some(Fault::Rewrite(|v| one_member_more("groups", v))),
            p if p == victim_path => Some(Fault::Answer(200, first_body.clone())),
            _ => None,
        }),
    )
    .await;
    sync(&home, &sb, &api, &["--json"]).await.assert_code(0);
    let before = export(&home).await;
    let victim_key = format!("zoom_group:{victim}");
    let x_key = format!("zoom_user:{x}");
    assert!(rels(&before, "zoom_group_has_user").contains(&(victim_key.clone(), x_key.clone())));

    // Second sync: the victim's listing fails after the client's retries
    // (502), another group's body is garbled, and a third names a new
    // member only its listing knows.
    let y = outsider_of(&fresh);
    let mut fresh_members = members_of(&fresh);
    fresh_members.push(y.clone());
    let fresh_body = members_body(&fresh_members);
    let (victim_path, garbled_path, fresh_path) = (
        format!("/v2/groups/{victim}/members"),
        format!("/v2/groups/{garbled}/members"),
        format!("/v2/groups/{fresh}/members"),
    );
    let api = proxy(
        &sb,
        Arc::new(move |p: &str| match p {
            "/v2/groups" => Some(Fault::Rewrite(|v| one_member_more("groups", v))),
            p if p == victim_path => Some(Fault::Answer(502, json!({}))),
            p if p == garbled_path => Some(Fault::Answer(200, json!({"members": 5}))),
            p if p == fresh_path => Some(Fault::Answer(200, fresh_body.clone())),
            _ => None,
        }),
    )
    .await;
    let run = sync(&home, &sb, &api, &["--json"]).await;
    run.assert_code(0);
    let s = run.json();
    let step = step(&s, "fetch-group-members");
    assert_eq!(step["outcome"], "ok", "{s:#}");
    assert_eq!(step["skipped"]["count"], 2, "{s:#}");
    let sample = step["skipped"]["sample"].to_string();
    assert!(
        sample.contains(&format!("group {victim}")) && sample.contains(&format!("group {garbled}")),
        "the outcome names both groups: {s:#}"
    );
    let after = export(&home).await;
    let memberships = rels(&after, "zoom_group_has_user");
    // The other groups' memberships were stored…
    assert!(
        memberships.contains(&(format!("zoom_group:{fresh}"), format!("zoom_user:{y}"))),
        "a membership only this sync's listing names is stored"
    );
    // …and the failed group kept the ones stored for it.
    assert!(
        memberships.contains(&(victim_key, x_key)),
        "the failed group's earlier membership is kept"
    );
}

// ------------------------------------------- new parts: skipped means kept

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_admins_are_kept_when_skipped() {
    let (before, after) = skip_for_scope(
        "group:read:administrator:admin",
        &["fetch-group-admins"],
        None,
    )
    .await;
    assert!(!rels(&before, "zoom_user_manages_group").is_empty());
    assert_eq!(
        rels(&after, "zoom_user_manages_group"),
        rels(&before, "zoom_user_manages_group")
    );
    assert_same(&after, &before, "the stored data");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_domains_are_kept_when_skipped() {
    let (before, after) = skip_for_scope(
        "account:read:trusted_domains:master",
        &["fetch-trusted-domains"],
        None,
    )
    .await;
    let domains = &account(&before)["trustedDomains"];
    assert!(!domains.as_array().unwrap().is_empty(), "{domains}");
    assert_eq!(&account(&after)["trustedDomains"], domains);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_types_are_kept_when_skipped() {
    let (before, after) =
        skip_for_scope("user:read:user:admin", &["fetch-user-login-types"], None).await;
    let (b, a) = (
        entities(&before, "zoom_user"),
        entities(&after, "zoom_user"),
    );
    let with_types = b.values().filter(|u| u["loginTypes"].is_array()).count();
    assert!(with_types > 0);
    for (k, u) in &b {
        assert_eq!(a[k]["loginTypes"], u["loginTypes"], "{k}");
    }
}

// ------------------------------------------- item 3: the Free plan, end to end

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_free_plan_sync_keeps_what_the_free_plan_cannot_fetch() {
    let home = Home::new();
    let (sb, before) = first_sync(&home).await;
    let free = Sandbox::start(SandboxConfig {
        users: USERS,
        plan: "free".into(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    assert_eq!(
        free.org().users,
        sb.org().users,
        "the same org, on the Free plan"
    );
    let text = sync(&home, &free, &free.api_url(), &[]).await;
    text.assert_code(0);
    // Each paid-only part is said to be skipped, with Zoom's message.
    for (part, message) in [
        ("fetch-groups", "Only available for Paid account."),
        (
            "fetch-account-settings",
            "Only available for paid accounts.",
        ),
        ("fetch-managed-domains", "No permission."),
        ("fetch-trusted-domains", "No permission."),
    ] {
        let line = text
            .stdout
            .lines()
            .chain(text.stderr.lines())
            .find(|l| l.contains(&format!("{part}:")))
            .unwrap_or_else(|| panic!("{part} not mentioned:\n{}\n{}", text.stdout, text.stderr));
        assert!(line.contains(message), "{part}: {line}");
    }
    let after = export(&home).await;
    // What the Free plan cannot fetch is the Business-plan sync's.
    assert_eq!(
        entities(&after, "zoom_group"),
        entities(&before, "zoom_group")
    );
    assert_eq!(
        rels(&after, "zoom_group_has_user"),
        rels(&before, "zoom_group_has_user")
    );
    assert_eq!(
        rels(&after, "zoom_user_manages_group"),
        rels(&before, "zoom_user_manages_group")
    );
    for prefix in [
        "inMeeting",
        "lockSettings",
        "managedDomains",
        "trustedDomains",
    ] {
        let was = props_with(account(&before), prefix);
        assert!(!was.is_empty(), "{prefix}");
        assert_eq!(props_with(account(&after), prefix), was, "{prefix}");
    }
}
