//! Diff semantics on hand-built graphs.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use serde_json::{Value, json};
use zoomscope::diff::{ChangeKind, diff};
use zoomscope::graph::{Entity, EntityType, Graph, Props, RelType};

fn ent(t: EntityType, key: &str, props: &[(&str, Value)]) -> Entity {
    let mut e = Entity::new(t, key.to_string());
    for (k, v) in props {
        e.props.insert(Arc::from(*k), v.clone());
    }
    e
}

/// Account A, users 1 (Member) and 2 (Admin), group G with user 1.
fn base() -> Graph {
    let mut g = Graph::new();
    g.add_entity(ent(
        EntityType::Account,
        "zoom_account:A",
        &[("name", json!("Acme"))],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::User,
        "zoom_user:1",
        &[
            ("email", json!("jill@x.io")),
            ("roleId", json!("2")),
            ("status", json!("active")),
            ("active", json!(true)),
            ("dept", json!("Sales")),
        ],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::User,
        "zoom_user:2",
        &[
            ("email", json!("bob@x.io")),
            ("roleId", json!("1")),
            ("status", json!("active")),
        ],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::Role,
        "zoom_role:1",
        &[("name", json!("Admin"))],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::Role,
        "zoom_role:2",
        &[("name", json!("Member"))],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::Group,
        "zoom_group:G",
        &[("name", json!("Sales"))],
    ))
    .unwrap();
    for u in ["zoom_user:1", "zoom_user:2"] {
        g.add_relationship(RelType::AccountHasUser, "zoom_account:A", u, Props::new())
            .unwrap();
    }
    g.add_relationship(
        RelType::UserAssignedRole,
        "zoom_user:1",
        "zoom_role:2",
        Props::new(),
    )
    .unwrap();
    g.add_relationship(
        RelType::UserAssignedRole,
        "zoom_user:2",
        "zoom_role:1",
        Props::new(),
    )
    .unwrap();
    g.add_relationship(
        RelType::GroupHasUser,
        "zoom_group:G",
        "zoom_user:1",
        Props::new(),
    )
    .unwrap();
    g
}

#[test]
fn identical_graphs_have_an_empty_diff() {
    let d = diff(&base(), &base());
    assert!(d.is_empty(), "{d:?}");
    assert!(d.changed_set().is_empty());
}

#[test]
fn role_change_is_a_property_change_and_an_edge_swap() {
    let old = base();
    // The same org, built in a different order, with user 1 made an Admin,
    // a property removed (dept) and one added (lastLoginTime).
    let mut new = Graph::new();
    new.add_entity(ent(
        EntityType::Role,
        "zoom_role:2",
        &[("name", json!("Member"))],
    ))
    .unwrap();
    new.add_entity(ent(
        EntityType::Role,
        "zoom_role:1",
        &[("name", json!("Admin"))],
    ))
    .unwrap();
    new.add_entity(ent(
        EntityType::User,
        "zoom_user:2",
        &[
            ("email", json!("bob@x.io")),
            ("roleId", json!("1")),
            ("status", json!("active")),
        ],
    ))
    .unwrap();
    new.add_entity(ent(
        EntityType::User,
        "zoom_user:1",
        &[
            ("email", json!("jill@x.io")),
            ("roleId", json!("1")),
            ("status", json!("active")),
            ("active", json!(true)),
            ("lastLoginTime", json!("2026-11-29T10:00:00Z")),
        ],
    ))
    .unwrap();
    new.add_entity(ent(
        EntityType::Account,
        "zoom_account:A",
        &[("name", json!("Acme"))],
    ))
    .unwrap();
    new.add_entity(ent(
        EntityType::Group,
        "zoom_group:G",
        &[("name", json!("Sales"))],
    ))
    .unwrap();
    for u in ["zoom_user:2", "zoom_user:1"] {
        new.add_relationship(RelType::AccountHasUser, "zoom_account:A", u, Props::new())
            .unwrap();
    }
    new.add_relationship(
        RelType::UserAssignedRole,
        "zoom_user:1",
        "zoom_role:1",
        Props::new(),
    )
    .unwrap();
    new.add_relationship(
        RelType::UserAssignedRole,
        "zoom_user:2",
        "zoom_role:1",
        Props::new(),
    )
    .unwrap();
    new.add_relationship(
        RelType::GroupHasUser,
        "zoom_group:G",
        "zoom_user:1",
        Props::new(),
    )
    .unwrap();

    let d = diff(&old, &new);
    assert!(d.entities_added.is_empty());
    assert!(d.entities_removed.is_empty());
    assert_eq!(d.entities_changed.len(), 1);
    let c = d.changed("zoom_user:1").unwrap();
    assert_eq!(c.etype, EntityType::User);
    let names: Vec<&str> = c.changes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["dept", "lastLoginTime", "roleId"]);
    assert_eq!(c.change("roleId").unwrap().old, Some(json!("2")));
    assert_eq!(c.change("roleId").unwrap().new, Some(json!("1")));
    assert_eq!(c.change("dept").unwrap().new, None);
    assert_eq!(c.change("lastLoginTime").unwrap().old, None);

    let added: Vec<String> = d.relationships_added.iter().map(|r| r.key()).collect();
    let removed: Vec<String> = d.relationships_removed.iter().map(|r| r.key()).collect();
    assert_eq!(added, ["zoom_user:1|assigned|zoom_role:1"]);
    assert_eq!(removed, ["zoom_user:1|assigned|zoom_role:2"]);

    let set = d.changed_set();
    assert_eq!(set.kind("zoom_user:1"), Some(ChangeKind::Changed));
    assert_eq!(set.kind("zoom_role:2"), Some(ChangeKind::Related));
    assert_eq!(set.kind("zoom_role:1"), Some(ChangeKind::Related));
    assert!(!set.contains("zoom_user:2"));

    let j = d.to_json(3, 4);
    assert_eq!(j["from"], 3);
    assert_eq!(j["to"], 4);
    assert_eq!(
        j["entities"]["changed"][0],
        json!({"_key": "zoom_user:1", "_type": "zoom_user", "changes": {
            "dept": {"old": "Sales", "new": null},
            "lastLoginTime": {"old": null, "new": "2026-11-29T10:00:00Z"},
            "roleId": {"old": "2", "new": "1"},
        }})
    );
    assert_eq!(j["entities"]["added"], json!([]));
    assert_eq!(
        j["relationships"]["added"][0],
        json!({"_key": "zoom_user:1|assigned|zoom_role:1", "_type": "zoom_user_assigned_role",
               "_class": "ASSIGNED", "_fromEntityKey": "zoom_user:1", "_toEntityKey": "zoom_role:1"})
    );
    assert_eq!(
        j["relationships"]["removed"][0]["_key"],
        "zoom_user:1|assigned|zoom_role:2"
    );
}

#[test]
fn added_and_removed_entities_take_their_relationships_along() {
    let old = base();
    let mut new = base();
    new.add_entity(ent(
        EntityType::User,
        "zoom_user:3",
        &[("email", json!("new@x.io"))],
    ))
    .unwrap();
    new.add_relationship(
        RelType::AccountHasUser,
        "zoom_account:A",
        "zoom_user:3",
        Props::new(),
    )
    .unwrap();
    new.add_relationship(
        RelType::GroupHasUser,
        "zoom_group:G",
        "zoom_user:3",
        Props::new(),
    )
    .unwrap();

    let d = diff(&old, &new);
    assert_eq!(d.entities_added.len(), 1);
    assert_eq!(d.entities_added[0].key, "zoom_user:3");
    assert_eq!(d.relationships_added.len(), 2);
    assert!(d.relationships_removed.is_empty());
    let j = d.to_json("a", "b");
    assert_eq!(j["entities"]["added"][0]["_key"], "zoom_user:3");
    assert_eq!(j["entities"]["added"][0]["_type"], "zoom_user");
    assert_eq!(j["entities"]["added"][0]["email"], "new@x.io");
    let set = d.changed_set();
    assert_eq!(set.kind("zoom_user:3"), Some(ChangeKind::Added));
    assert_eq!(set.kind("zoom_group:G"), Some(ChangeKind::Related));

    // And backwards: the user and both edges are removed; removed entities
    // are not in the changed set (no row to mark).
    let back = diff(&new, &old);
    assert_eq!(back.entities_removed.len(), 1);
    assert_eq!(back.entities_removed[0].key, "zoom_user:3");
    assert_eq!(back.relationships_removed.len(), 2);
    assert!(back.relationships_added.is_empty());
    assert!(!back.changed_set().contains("zoom_user:3"));
    assert_eq!(
        back.to_json(1, 2)["entities"]["removed"][0]["_type"],
        "zoom_user"
    );
}

#[test]
fn text_rendering_sanitises_zoom_strings() {
    let old = base();
    let mut new = base();
    let id = new.id_of("zoom_user:2").unwrap();
    new.update_props(id, |p| p.insert(Arc::from("name"), json!("Bob\u{1b}[2J")));
    let d = diff(&old, &new);
    let text = zoomscope::diff::render_text(&d, "1", "2");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("~ zoom_user zoom_user:2"), "{text}");
    assert!(text.contains("name: (none) → \"Bob[2J\""), "{text}");
}

mod selection {
    use chrono::{DateTime, Duration, Utc};
    use zoomscope::diff::select::{SelectError, Selection, select};

    fn t(days_ago: i64) -> DateTime<Utc> {
        now() - Duration::days(days_ago)
    }
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn picks_the_pair_to_compare() {
        let snaps = [(3, t(20)), (5, t(10)), (8, t(6)), (9, t(1)), (12, t(0))];
        let sel = Selection::default();
        assert_eq!(select(&snaps, sel, now()), Ok((9, 12)));
        let since = |d| Selection {
            since: Some(Duration::days(d)),
            ..Selection::default()
        };
        // The state as of 7 days ago is snapshot 5 (10 days old).
        assert_eq!(select(&snaps, since(7), now()), Ok((5, 12)));
        // Longer than the history: from the oldest.
        assert_eq!(select(&snaps, since(365), now()), Ok((3, 12)));
        let ft = |f, t| Selection {
            from: f,
            to: t,
            ..Selection::default()
        };
        assert_eq!(select(&snaps, ft(Some(3), Some(8)), now()), Ok((3, 8)));
        assert_eq!(select(&snaps, ft(Some(5), None), now()), Ok((5, 12)));
        assert_eq!(select(&snaps, ft(None, Some(8)), now()), Ok((5, 8)));
        assert_eq!(
            select(&snaps, ft(None, Some(3)), now()),
            Err(SelectError::NothingBefore(3))
        );
        assert_eq!(
            select(&snaps, ft(Some(4), None), now()),
            Err(SelectError::Unknown(4))
        );
        assert_eq!(
            select(&snaps, ft(Some(12), Some(3)), now()),
            Err(SelectError::Order { from: 12, to: 3 })
        );
        assert_eq!(
            select(&snaps[..1], Selection::default(), now()),
            Err(SelectError::TooFew)
        );
        assert_eq!(select(&[], since(1), now()), Err(SelectError::TooFew));
    }
}
