//! A small hand-built graph whose answers are computed by hand in the
//! tests: 1 account, 3 roles, 3 groups, 6 users (2 pending), 2 employees.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use zoomscope::graph::{Entity, EntityType, Graph, Props, RelType};

/// The fixed "now" every test runs at.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn ago(days: i64) -> String {
    (now() - Duration::days(days))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn entity(t: EntityType, key: &str, props: Value) -> Entity {
    let mut e = Entity::new(t, key.to_string());
    if let Value::Object(m) = props {
        for (k, v) in m {
            e.props.insert(Arc::from(k.as_str()), v);
        }
    }
    e
}

pub fn graph() -> Graph {
    let mut g = Graph::new();
    let acct = "zoom_account:A";
    g.add_entity(entity(
        EntityType::Account,
        acct,
        json!({"accountId": "A", "name": "7011249145", "displayName": "7011249145"}),
    ))
    .unwrap();
    let roles = [
        (
            "0",
            "Owner",
            true,
            json!(["AccountSetting:Edit", "User:Edit"]),
        ),
        ("1", "Admin", true, json!(["AccountSetting:Edit"])),
        ("2", "Member", false, json!([])),
    ];
    for (id, name, admin, privs) in roles {
        let key = format!("zoom_role:{id}");
        g.add_entity(entity(
            EntityType::Role,
            &key,
            json!({"id": id, "name": name, "displayName": name, "admin": admin, "privileges": privs}),
        ))
        .unwrap();
        g.add_relationship(RelType::AccountHasRole, acct, &key, Props::new())
            .unwrap();
    }
    for (id, name, total) in [("g1", "Sales", 2), ("g2", "Eng", 2), ("g3", "Empty", 0)] {
        let key = format!("zoom_group:{id}");
        g.add_entity(entity(
            EntityType::Group,
            &key,
            json!({"id": id, "name": name, "displayName": name, "totalMembers": total}),
        ))
        .unwrap();
        g.add_relationship(RelType::AccountHasGroup, acct, &key, Props::new())
            .unwrap();
    }
    let users = [
        (
            "zoom_user:u1",
            json!({"id": "u1", "email": "alice@example.com", "username": "alice@example.com",
                "displayName": "Alice Owner", "name": "Alice Owner", "status": "active", "active": true,
                "type": 2, "roleId": "0", "groupIds": ["g1"], "lastLoginTime": ago(10),
                "createdAt": "2020-01-01T00:00:00Z", "inMeetingE2eEncryption": true,
                "meetingSecurityRequirePasswordForScheduledMeeting": true,
                "meetingSecurityWaitingRoom": true, "loginTypes": ["work_email", "sso"],
                "tag.AccountName": "Acme"}),
        ),
        (
            "zoom_user:u2",
            json!({"id": "u2", "email": "bob@example.com", "username": "bob@example.com",
                "displayName": "Bob Admin", "name": "Bob Admin", "status": "active", "active": true,
                "type": 2, "roleId": "1", "groupIds": ["g1", "g2"], "lastLoginTime": ago(200),
                "createdAt": "2021-06-01T00:00:00Z", "inMeetingE2eEncryption": false,
                "meetingSecurityRequirePasswordForScheduledMeeting": false,
                "meetingSecurityWaitingRoom": false, "loginTypes": ["work_email"],
                "tag.AccountName": "Acme"}),
        ),
        (
            "zoom_user:u3",
            json!({"id": "u3", "email": "carol@contractor.io", "username": "carol@contractor.io",
                "displayName": "Carol", "status": "active", "active": true, "type": 1,
                "roleId": "2", "groupIds": [], "createdAt": "2023-03-01T00:00:00Z"}),
        ),
        (
            "zoom_user:u4",
            json!({"id": "u4", "email": "dan@example.com", "username": "dan@example.com",
                "displayName": "Dan", "status": "inactive", "active": false, "type": 2,
                "roleId": "2", "groupIds": ["g2"], "lastLoginTime": ago(400),
                "createdAt": "2019-05-05T00:00:00Z"}),
        ),
        (
            "zoom_user:pending:erin@example.com",
            json!({"email": "erin@example.com", "status": "pending", "active": false, "type": 1,
                "roleId": "2", "createdAt": ago(45)}),
        ),
        (
            "zoom_user:pending:frank@example.com",
            json!({"email": "frank@example.com", "status": "pending", "active": false, "type": 1,
                "roleId": "2", "createdAt": ago(5)}),
        ),
    ];
    for (key, props) in users {
        let role = props["roleId"].as_str().unwrap().to_string();
        let groups: Vec<String> = props
            .get("groupIds")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        g.add_entity(entity(EntityType::User, key, props)).unwrap();
        g.add_relationship(RelType::AccountHasUser, acct, key, Props::new())
            .unwrap();
        g.add_relationship(
            RelType::UserAssignedRole,
            key,
            &format!("zoom_role:{role}"),
            Props::new(),
        )
        .unwrap();
        for gid in groups {
            g.add_relationship(
                RelType::GroupHasUser,
                &format!("zoom_group:{gid}"),
                key,
                Props::new(),
            )
            .unwrap();
        }
    }
    for (key, email, name) in [
        (
            "employee:alice@example.com",
            "alice@example.com",
            "Alice Owner",
        ),
        ("employee:gina@example.com", "gina@example.com", "Gina"),
    ] {
        g.add_entity(entity(
            EntityType::Employee,
            key,
            json!({"email": email, "name": name}),
        ))
        .unwrap();
    }
    g.add_relationship(
        RelType::UserIsEmployee,
        "zoom_user:u1",
        "employee:alice@example.com",
        Props::new(),
    )
    .unwrap();
    g
}
