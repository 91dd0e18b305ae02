//! The Changes and Alerts panes' data over a real SQLite store: the
//! snapshot timeline with diffs on demand, and rules with their state.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use serde_json::{Value, json};
use zoomscope::diff;
use zoomscope::graph::{Entity, EntityType, Graph, Props, RelType};
use zoomscope::store::{Parts, SnapshotWrite, Store};

fn ent(t: EntityType, key: &str, props: &[(&str, Value)]) -> Entity {
    let mut e = Entity::new(t, key.to_string());
    for (k, v) in props {
        e.props.insert(Arc::from(*k), v.clone());
    }
    e
}

fn org(admin: &[&str], users: &[&str]) -> Graph {
    let mut g = Graph::new();
    g.add_entity(ent(
        EntityType::Account,
        "zoom_account:A",
        &[("name", json!("Acme"))],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::Role,
        "zoom_role:1",
        &[("name", json!("Admin")), ("admin", json!(true))],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::Role,
        "zoom_role:2",
        &[("name", json!("Member")), ("admin", json!(false))],
    ))
    .unwrap();
    for u in users {
        let key = format!("zoom_user:{u}");
        let role = if admin.contains(u) { "1" } else { "2" };
        g.add_entity(ent(
            EntityType::User,
            &key,
            &[
                ("email", json!(format!("{u}@acme.io"))),
                ("roleId", json!(role)),
                ("active", json!(true)),
            ],
        ))
        .unwrap();
        g.add_relationship(
            RelType::AccountHasUser,
            "zoom_account:A",
            &key,
            Props::new(),
        )
        .unwrap();
        g.add_relationship(
            RelType::UserAssignedRole,
            &key,
            &format!("zoom_role:{role}"),
            Props::new(),
        )
        .unwrap();
    }
    g
}

fn save(store: &Store, g: &Graph) -> i64 {
    let raw = HashMap::new();
    let now = Utc::now();
    store
        .save_snapshot(&SnapshotWrite {
            profile: "default",
            account_id: "A",
            started_at: now,
            finished_at: now,
            graph: g,
            raw: &raw,
            steps: &[],
            refreshed: &Parts::all(),
        })
        .unwrap()
        .id
        .0
}

#[test]
fn timeline_lists_syncs_newest_first_and_diffs_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zoomscope.db")).unwrap();
    assert!(diff::last_sync(&store, "default").unwrap().is_empty());
    let s1 = save(&store, &org(&[], &["a", "b"]));
    let s2 = save(&store, &org(&["b"], &["a", "b"]));
    let s3 = save(&store, &org(&["b"], &["a", "b", "c"]));

    let tl = diff::timeline(&store, "default").unwrap();
    let ids: Vec<(i64, Option<i64>)> = tl
        .iter()
        .map(|e| (e.snapshot.id.0, e.previous.map(|p| p.0)))
        .collect();
    assert_eq!(ids, [(s3, Some(s2)), (s2, Some(s1)), (s1, None)]);

    let d2 = tl[1].diff(&store).unwrap();
    assert_eq!(d2.entities_changed.len(), 1);
    assert_eq!(
        d2.changed("zoom_user:b")
            .unwrap()
            .change("roleId")
            .unwrap()
            .new,
        Some(json!("1"))
    );
    assert!(tl[2].diff(&store).unwrap().is_empty());

    let last = diff::last_sync(&store, "default").unwrap();
    assert_eq!(last.entities_added.len(), 1);
    assert_eq!(last.entities_added[0].key, "zoom_user:c");
    assert_eq!(
        last.changed_set().kind("zoom_user:c"),
        Some(diff::ChangeKind::Added)
    );
    assert_eq!(
        diff::diff_snapshots(
            &store,
            "default",
            zoomscope::store::SnapshotId(s1),
            zoomscope::store::SnapshotId(s3)
        )
        .unwrap()
        .summary()
        .total(),
        1 + 1 + 2 + 2 // c added; b changed; c's 2 edges added; b's edge swapped
    );
}
