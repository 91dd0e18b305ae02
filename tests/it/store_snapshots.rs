//! The snapshot store against a real SQLite file: round trips, compact
//! history, partial refresh, lazy settings, permissions, migrations, and
//! that no planted secret reaches the file.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use zoomscope::graph::{EntityType, Graph, RelType};
use zoomscope::store::{Parts, SnapshotId, SnapshotWrite, Store, StoreError};
use zoomscope::sync::convert::{Converter, user_key};
use zoomscope::sync::{StepOutcome, StepRecord};

use crate::support::store::*;

fn entity_set(g: &Graph) -> BTreeSet<String> {
    g.entities().map(|(_, e)| e.to_json().to_string()).collect()
}

fn rel_set(g: &Graph) -> BTreeSet<String> {
    g.relationships()
        .map(|(id, _)| g.relationship_json(id).to_string())
        .collect()
}

fn save(
    store: &Store,
    profile: &str,
    built: &zoomscope::graph::Built,
    parts: &Parts,
    steps: &[StepRecord],
) -> zoomscope::store::SnapshotInfo {
    store
        .save_snapshot(&SnapshotWrite {
            profile,
            account_id: ACCOUNT_ID,
            started_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
            finished_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 5).unwrap(),
            graph: &built.graph,
            raw: &built.raw,
            steps,
            refreshed: parts,
        })
        .unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn file_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        all.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    all
}

#[test]
fn snapshot_round_trips_and_lists() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    assert!(store.latest("prod").unwrap().is_none());
    let org = org(300);
    let built = build(&org, Some("Acme"));
    let steps = vec![
        StepRecord {
            step: "fetch-users".into(),
            outcome: StepOutcome::ok(300),
            duration_ms: 812,
        },
        StepRecord {
            step: "fetch-roles".into(),
            outcome: StepOutcome::missing_scope(vec!["role:read:admin".into()]),
            duration_ms: 3,
        },
    ];
    let info = save(&store, "prod", &built, &Parts::all(), &steps);
    assert_eq!(info.counts["zoom_user"], 300);
    assert_eq!(info.counts["zoom_group"], 300 / 40 + 1);
    assert_eq!(info.counts["zoom_role"], 4);
    assert_eq!(info.counts["zoom_account"], 1);
    assert_eq!(info.counts["zoom_account_has_user"], 300);
    assert_eq!(info.counts["zoom_group_has_user"], 300);
    assert_eq!(info.counts["zoom_user_assigned_role"], 300);

    let snap = store.latest("prod").unwrap().unwrap();
    assert_eq!(snap.info, info);
    assert_eq!(snap.info.steps, steps);
    assert_eq!(entity_set(&snap.graph), entity_set(&built.graph));
    assert_eq!(rel_set(&snap.graph), rel_set(&built.graph));
    // indexes work on the loaded graph
    let owner = snap.graph.by_email(&org.users[0].email.to_uppercase());
    assert_eq!(owner.len(), 1);
    // first-seen order is kept: users in API order
    let users: Vec<&str> = snap
        .graph
        .of_type(EntityType::User)
        .iter()
        .map(|id| snap.graph.entity(*id).key.as_str())
        .collect();
    assert_eq!(
        users.first().copied(),
        Some(user_key(&org.users[0]).as_str())
    );
    assert_eq!(store.snapshots("prod").unwrap(), vec![info.clone()]);
    assert_eq!(store.load("prod", info.id).unwrap().info, info);
    assert!(matches!(
        store.load("prod", SnapshotId(info.id.0 + 100)),
        Err(StoreError::UnknownSnapshot { .. })
    ));
    // another profile is separate
    assert!(store.latest("staging").unwrap().is_none());
    assert_eq!(store.profiles().unwrap(), vec!["prod".to_string()]);
    // raw JSON is there, redacted
    let raw = store
        .raw_json("prod", &user_key(&org.users[1]))
        .unwrap()
        .unwrap();
    let raw: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(raw["email"], org.users[1].email.as_str());
    assert_eq!(raw["host_key"], "[REDACTED]");
    assert!(store.raw_json("prod", "zoom_user:nope").unwrap().is_none());
}

#[test]
fn second_snapshot_writes_only_changes_and_old_snapshots_stay_loadable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let mut org1 = org(200);
    let b1 = build(&org1, None);
    let s1 = save(&store, "p", &b1, &Parts::all(), &[]);
    let versions_1 = count(&store, "SELECT count(*) FROM entity_versions");
    let rels_1 = count(&store, "SELECT count(*) FROM rel_versions");
    assert_eq!(versions_1 as usize, b1.graph.entity_count());

    // Unchanged sync: nothing new written.
    let s2 = save(&store, "p", &b1, &Parts::all(), &[]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions_1
    );
    assert_eq!(count(&store, "SELECT count(*) FROM rel_versions"), rels_1);

    // One user changes role (member → admin), one is removed, one is added.
    org1.users[10].role_id = Some("1".into());
    let mut raw = org1.users[10].raw.to_value();
    raw["role_id"] = json!("1");
    org1.users[10].raw = raw.into();
    let removed = org1.users.remove(20);
    org1.users.push(user(5000, 6));
    let b3 = build(&org1, None);
    let s3 = save(&store, "p", &b3, &Parts::all(), &[]);
    // new versions: changed user, added user
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions_1 + 2
    );
    // closed: the changed user's old version and the removed user
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM entity_versions WHERE valid_to IS NOT NULL"
        ),
        2
    );
    let latest = store.latest("p").unwrap().unwrap();
    assert_eq!(latest.info.id, s3.id);
    assert_eq!(entity_set(&latest.graph), entity_set(&b3.graph));
    assert_eq!(rel_set(&latest.graph), rel_set(&b3.graph));
    let old = store.load("p", s1.id).unwrap();
    assert_eq!(entity_set(&old.graph), entity_set(&b1.graph));
    assert_eq!(rel_set(&old.graph), rel_set(&b1.graph));
    assert!(old.graph.get(&user_key(&removed)).is_some());
    assert!(latest.graph.get(&user_key(&removed)).is_none());
    assert_eq!(
        store.load("p", s2.id).unwrap().graph.entity_count(),
        b1.graph.entity_count()
    );
    // The removed user's raw JSON is gone; the changed one's is current.
    assert!(store.raw_json("p", &user_key(&removed)).unwrap().is_none());
    let raw: Value = serde_json::from_str(
        &store
            .raw_json("p", &user_key(&org1.users[10]))
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(raw["role_id"], "1");
    let changed = latest.graph.get(&user_key(&org1.users[10])).unwrap();
    assert_eq!(changed.props.json("roleName"), Some(json!("Admin")));
    let infos = store.snapshots("p").unwrap();
    assert_eq!(
        infos.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![s1.id, s2.id, s3.id]
    );
}

#[test]
fn skipped_parts_are_carried_over_and_dangling_relationships_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let mut o = org(120);
    let full = build(&o, None);
    save(&store, "p", &full, &Parts::all(), &[]);

    // Next sync: users only (groups and roles skipped for missing scopes),
    // and one user is gone.
    let gone = o.users.remove(5);
    // As sync does: without a roles list, users' roles are named from the
    // roles of the latest snapshot (the store only stores).
    let known = store.role_names("p").unwrap();
    assert_eq!(known.get("0").map(String::as_str), Some("Owner"));
    assert_eq!(known.len(), 4);
    let mut b = Converter::new(None);
    b.known_role_names(known);
    b.account(o.account.clone());
    b.users(o.users.clone());
    let users_only = b.finish();
    assert!(users_only.graph.of_type(EntityType::Group).is_empty());
    let parts = Parts::all()
        .without_entity(EntityType::Group)
        .without_entity(EntityType::Role)
        .without_relationship(RelType::AccountHasGroup)
        .without_relationship(RelType::AccountHasRole)
        .without_relationship(RelType::GroupHasUser)
        .without_relationship(RelType::UserAssignedRole);
    let versions_before = count(&store, "SELECT count(*) FROM entity_versions");
    let info = save(&store, "p", &users_only, &parts, &[]);
    let latest = store.latest("p").unwrap().unwrap();
    // Unchanged users wrote nothing: `roleName` came from the known names.
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        versions_before
    );
    assert_eq!(
        latest
            .graph
            .get(&user_key(&o.users[0]))
            .unwrap()
            .props
            .json("roleName"),
        Some(json!("Owner"))
    );
    // groups and roles kept from the last good sync
    assert_eq!(
        latest.graph.of_type(EntityType::Group).len(),
        full.graph.of_type(EntityType::Group).len()
    );
    assert_eq!(latest.graph.of_type(EntityType::Role).len(), 4);
    assert_eq!(info.counts["zoom_group"], o.groups.len());
    // memberships kept, except the removed user's
    let gone_key = user_key(&gone);
    assert!(latest.graph.get(&gone_key).is_none());
    assert_eq!(
        latest
            .graph
            .relationships()
            .filter(|(_, r)| r.rtype == RelType::GroupHasUser)
            .count(),
        119
    );
    assert_eq!(info.counts["zoom_user_assigned_role"], 119);
    assert_eq!(info.counts["zoom_account_has_group"], o.groups.len());
    let r = latest.graph.get(&user_key(&o.users[0])).unwrap();
    let rid = latest.graph.id_of(&r.key).unwrap();
    assert_eq!(
        latest
            .graph
            .targets(rid, RelType::UserAssignedRole)
            .map(|t| latest.graph.entity(t).key.clone())
            .collect::<Vec<_>>(),
        vec!["zoom_role:0".to_string()]
    );

    // Nothing refreshed at all: the snapshot equals the previous one.
    let empty = Converter::new(None).finish();
    save(&store, "p", &empty, &Parts::none(), &[]);
    let again = store.latest("p").unwrap().unwrap();
    assert_eq!(entity_set(&again.graph), entity_set(&latest.graph));
    assert_eq!(rel_set(&again.graph), rel_set(&latest.graph));
}

#[test]
fn lazy_settings_are_a_cache_beside_history_never_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let o = org(30);
    let built = build(&o, None);
    let s1 = save(&store, "p", &built, &Parts::all(), &[]);
    let key = user_key(&o.users[3]);
    let bundle = settings_bundle(3);
    let flat = zoomscope::sync::convert::settings::flatten_user_settings(&bundle);
    let raw = zoomscope::sync::convert::settings::bundle_raw(&bundle).to_string();
    let before_fetch = chrono::Utc::now();
    store
        .save_user_settings("p", &key, &flat, Some(&raw))
        .unwrap();
    assert!(matches!(
        store.save_user_settings("p", "zoom_user:nobody", &flat, None),
        Err(StoreError::UnknownEntity { .. })
    ));

    // The cache holds them (redacted, with the fetch time) and the raw
    // view shows them; no loaded snapshot does.
    let check = |store: &Store| {
        let cached = store.cached_user_settings("p", &key).unwrap().unwrap();
        assert!(cached.fetched_at >= before_fetch - chrono::Duration::seconds(1));
        let prop = |name: &str| cached.props.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        assert_eq!(prop("inMeetingE2eEncryption"), Some(&json!(true)));
        assert_eq!(prop("inMeetingFeedbacl"), Some(&json!(true)));
        assert_eq!(
            prop("meetingSecurityPasswordForPmi"),
            Some(&json!("[REDACTED]"))
        );
        let raw: Value =
            serde_json::from_str(&store.raw_json("p", &key).unwrap().unwrap()).unwrap();
        assert_eq!(
            raw["_settings"]["meeting_security"]["meeting_security"]["pmi_password"],
            true
        );
        assert_eq!(raw["email"], o.users[3].email.as_str());
        for s in store.snapshots("p").unwrap() {
            let g = store.load("p", s.id).unwrap().graph;
            assert!(
                g.get(&key)
                    .unwrap()
                    .props
                    .get("inMeetingE2eEncryption")
                    .is_none(),
                "snapshot {} holds lazily fetched settings",
                s.id.0
            );
        }
        let latest = store.latest("p").unwrap().unwrap().graph;
        assert!(
            latest
                .get(&key)
                .unwrap()
                .props
                .get("inMeetingE2eEncryption")
                .is_none()
        );
    };
    check(&store);
    assert!(
        store
            .cached_user_settings("p", &user_key(&o.users[4]))
            .unwrap()
            .is_none()
    );
    // survives reopening
    drop(store);
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    check(&store);

    // A plain sync writes no version for that user (nothing changed) and
    // keeps the cache; the diff between the two snapshots is empty.
    let before = count(&store, "SELECT count(*) FROM entity_versions");
    let s2 = save(&store, "p", &built, &Parts::all(), &[]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        before,
        "a lazy fetch became history"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM user_settings"), 1);
    check(&store);
    let d = zoomscope::diff::diff(
        &store.load("p", s1.id).unwrap().graph,
        &store.load("p", s2.id).unwrap().graph,
    );
    assert!(d.is_empty(), "{:?}", d.summary());

    // A sync that fetched settings for all users versions them and
    // supersedes the cache.
    let mut b = Converter::new(None);
    b.account(o.account.clone());
    b.users(o.users.clone());
    b.groups(o.groups.clone());
    b.roles(o.roles.clone(), o.details.clone());
    for (i, u) in o.users.iter().enumerate() {
        b.user_settings(&user_key(u), &settings_bundle(i + 1));
    }
    let with = b.finish();
    save(&store, "p", &with, &Parts::all().with_user_settings(), &[]);
    assert_eq!(count(&store, "SELECT count(*) FROM user_settings"), 0);
    let g = store.latest("p").unwrap().unwrap().graph;
    // settings_bundle(4): e2e = 4 % 3 == 0 → false
    assert_eq!(
        g.get(&key).unwrap().props.json("inMeetingE2eEncryption"),
        Some(json!(false))
    );
    assert_eq!(entity_set(&g), entity_set(&with.graph));
    // …and the next plain sync carries them (no new version).
    let before = count(&store, "SELECT count(*) FROM entity_versions");
    save(&store, "p", &built, &Parts::all(), &[]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM entity_versions"),
        before
    );
    let g = store.latest("p").unwrap().unwrap().graph;
    assert_eq!(
        g.get(&key).unwrap().props.json("inMeetingE2eEncryption"),
        Some(json!(false))
    );
}

#[test]
fn store_file_is_private_and_holds_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("zs.db");
    let store = Store::open(&path).unwrap();
    let o = org(60);
    let mut b = Converter::new(Some("Acme"));
    b.account(o.account.clone());
    b.users(o.users.clone());
    b.groups(o.groups.clone());
    b.roles(o.roles.clone(), o.details.clone());
    for (i, u) in o.users.iter().enumerate().take(10) {
        b.user_settings(&user_key(u), &settings_bundle(i));
    }
    let built = b.finish();
    // the builder's output is already clean
    let all_raw: String = built.raw.values().cloned().collect();
    for s in SECRETS {
        assert!(!all_raw.contains(s), "{s} in raw");
        for (_, e) in built.graph.entities() {
            assert!(!e.to_json().to_string().contains(s), "{s} in {}", e.key);
        }
    }
    save(&store, "p", &built, &Parts::all().with_user_settings(), &[]);
    // lazy settings path too: bodies holding secrets, converted as sync's
    // on-demand fetch converts them, then stored as given
    let (props, raw) = zoomscope::sync::convert::settings::lazy_user_settings(&settings_bundle(11));
    for s in SECRETS {
        assert!(!raw.contains(s), "{s} in lazy raw");
        assert!(!json!(props).to_string().contains(s), "{s} in lazy props");
    }
    store
        .save_user_settings("p", &user_key(&o.users[11]), &props, Some(&raw))
        .unwrap();

    let bytes = file_bytes(path.parent().unwrap());
    assert!(bytes.windows(7).any(|w| w == b"example"), "scan sees data");
    for s in SECRETS {
        assert!(
            !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
            "secret {s} found in the store files"
        );
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for e in std::fs::read_dir(path.parent().unwrap()).unwrap() {
            let p = e.unwrap().path();
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} has mode {mode:o}", p.display());
        }
        let dmode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dmode, 0o700);
    }
}

#[test]
fn schema_is_versioned_and_newer_stores_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zs.db");
    {
        let store = Store::open(&path).unwrap();
        let v: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, zoomscope::store::SCHEMA_VERSION);
        // the employee and alert tables are the store's too
        let tables: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
                 AND name IN ('employees_rosters', 'alerts_rule_state')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 2);
    }
    // reopening an up-to-date store is fine
    Store::open(&path).unwrap();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NewerSchema { found: 99, .. })
    ));
}

#[test]
fn new_keys_in_a_carried_part_are_added_not_dropped() {
    // First ever sync with groups failed: the graph's partial groups are
    // kept (nothing older to prefer).
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zs.db")).unwrap();
    let o = org(50);
    let built = build(&o, None);
    let parts = Parts::all().without_entity(EntityType::Group);
    let info = save(&store, "p", &built, &parts, &[]);
    assert_eq!(info.counts["zoom_group"], o.groups.len());
    let raw: HashMap<String, String> = HashMap::new();
    // and a later empty graph with only accounts refreshed keeps everything else
    let mut b = Converter::new(None);
    b.account(o.account.clone());
    let acct = b.finish();
    let info2 = store
        .save_snapshot(&SnapshotWrite {
            profile: "p",
            account_id: ACCOUNT_ID,
            started_at: Utc::now(),
            finished_at: Utc::now(),
            graph: &acct.graph,
            raw: &raw,
            steps: &[],
            refreshed: &Parts {
                entities: [EntityType::Account].into_iter().collect(),
                relationships: BTreeSet::new(),
                user_settings: false,
            },
        })
        .unwrap();
    assert_eq!(info2.counts, info.counts);
}

/// A real sync of a sandbox org (with user settings), saved to a store
/// file; `known_role_names` as a caller reads them from the store.
async fn sync_sandbox_into(
    store: &Store,
    scopes: Vec<String>,
) -> (zoomscope::sandbox::model::OrgSnapshot, String) {
    use zoomscope::sandbox::{Sandbox, SandboxConfig};
    use zoomscope::sync::SyncOptions;

    let sb = Sandbox::start(SandboxConfig {
        users: 120,
        seed: 11,
        scopes,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let client = crate::support::sandbox::client_for(&sb);
    let opts = SyncOptions {
        account_id: sb.account_id().to_string(),
        user_settings: true,
        known_role_names: store.role_names("p").unwrap(),
        ..SyncOptions::default()
    };
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let r = zoomscope::sync::run(&client, &opts, tx)
        .await
        .expect("sync");
    store
        .save_snapshot(&SnapshotWrite {
            profile: "p",
            account_id: sb.account_id(),
            started_at: Utc::now(),
            finished_at: Utc::now(),
            graph: &r.graph,
            raw: &r.raw,
            steps: &r.steps,
            refreshed: &r.refreshed,
        })
        .unwrap();
    (sb.org(), sb.client_secret().to_string())
}

/// Every user of the latest snapshot that has a role has that role's name.
fn assert_every_role_named(store: &Store, org: &zoomscope::sandbox::model::OrgSnapshot) {
    let g = store.latest("p").unwrap().unwrap().graph;
    let users = g.of_type(EntityType::User);
    assert_eq!(users.len(), org.users.len());
    let name_of: HashMap<&str, &str> = org
        .roles
        .iter()
        .map(|r| (r.id.as_str(), r.name.as_str()))
        .collect();
    for id in users {
        let u = g.entity(*id);
        let role = u.props.str("roleId").unwrap_or_else(|| panic!("{}", u.key));
        assert_eq!(
            u.props.str("roleName"),
            Some(name_of[role]),
            "{} (role {role})",
            u.key
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_snapshot_read_back_names_every_role_and_holds_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zs.db");
    let store = Store::open(&path).unwrap();
    let all = zoomscope::sandbox::endpoints::all_read_scopes();
    let (org, client_secret) = sync_sandbox_into(&store, all.clone()).await;
    assert_every_role_named(&store, &org);

    // No secret in any stored property or raw JSON: the PMI passcodes the
    // settings bodies carry, the host keys, the client secret.
    let mut secrets: Vec<String> = vec![client_secret];
    for u in &org.users {
        secrets.push(format!("\"{}\"", u.settings.pmi_password));
        secrets.push(format!("\"{}\"", u.host_key));
    }
    let g = store.latest("p").unwrap().unwrap().graph;
    let mut masked = 0;
    for (_, e) in g.entities() {
        let props = e.to_json().to_string();
        let raw = store.raw_json("p", &e.key).unwrap().unwrap_or_default();
        for s in &secrets {
            assert!(!props.contains(s.as_str()), "{s} in {}'s properties", e.key);
            assert!(!raw.contains(s.as_str()), "{s} in {}'s raw JSON", e.key);
        }
        masked += usize::from(raw.contains("[REDACTED]"));
    }
    // the passcodes were there to mask: every user with an id had settings
    let with_id = org.users.iter().filter(|u| u.id.is_some()).count();
    assert!(
        masked >= with_id,
        "{masked} masked raw objects of {with_id}"
    );

    // A sync whose credentials cannot list roles: the roles are carried
    // over by the store, and the users' role names come from them through
    // the sync (the store patches nothing).
    let no_roles: Vec<String> = all
        .into_iter()
        .filter(|s| !s.starts_with("role:"))
        .collect();
    let (org2, _) = sync_sandbox_into(&store, no_roles).await;
    let info = store.snapshots("p").unwrap().pop().unwrap();
    assert!(!info.refreshed.has_entity(EntityType::Role));
    assert!(info.refreshed.has_entity(EntityType::User));
    assert_every_role_named(&store, &org2);
}
