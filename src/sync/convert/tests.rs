//! The converter end to end: Zoom objects in, entities, relationships, raw
//! JSON and warnings out.

use serde_json::{Value, json};

use super::*;
use crate::graph::{Graph, RelClass, RelType, is_user_setting_prop};
use crate::zoom::models::{ManagedDomain, Settings, UserStatus, UserType, UsersSummary};
use crate::zoom::redact::MASK;

fn user(id: Option<&str>, email: &str, status: &str, groups: &[&str], role: &str) -> User {
    let mut raw = json!({"email": email, "status": status, "group_ids": groups, "role_id": role,
        "host_key": "HK-993311",
        "personal_meeting_url": "https://zoom.us/j/1?pwd=PWD-SECRET-77"});
    if let Some(id) = id {
        raw["id"] = json!(id);
    }
    User {
        id: id.map(str::to_string),
        email: email.to_string(),
        first_name: Some("Jill".into()),
        last_name: Some("Chill".into()),
        display_name: Some("Jill C.".into()),
        user_type: Some(UserType::Licensed),
        status: Some(UserStatus::parse(status)),
        role_id: Some(role.to_string()),
        role_name: None,
        dept: Some("Eng".into()),
        group_ids: groups.iter().map(|g| g.to_string()).collect(),
        im_group_ids: vec![],
        pmi: Some(4440405982),
        timezone: Some("Europe/Paris".into()),
        verified: Some(1),
        created_at: Some("2021-10-27T00:00:49Z".into()),
        user_created_at: Some("2021-10-26T00:00:49Z".into()),
        last_login_time: Some("2023-02-09T16:15:45Z".into()),
        last_client_version: Some("5.13.0".into()),
        pic_url: None,
        language: Some("en-US".into()),
        phone_number: Some(String::new()),
        employee_unique_id: Some("E42".into()),
        plan_united_type: Some("1".into()),
        login_types: vec![100],
        account_id: None,
        account_number: None,
        job_title: None,
        location: None,
        manager: None,
        cluster: None,
        custom_attributes: vec![crate::zoom::models::CustomAttribute {
            key: Some("cbf_cost_center".into()),
            name: "Cost center".into(),
            value: Some("CC-1".into()),
        }],
        raw: raw.into(),
    }
}

fn group(id: &str, total: u64) -> Group {
    Group {
        id: id.into(),
        name: Some(format!("Group {id}")),
        total_members: Some(total),
        in_directory: Some(false),
        directory_privacy: Some(2),
        raw: json!({"id": id, "total_members": total}),
    }
}

fn role(id: &str, name: &str, total: u64) -> Role {
    Role {
        id: id.into(),
        name: Some(name.into()),
        description: Some(format!("{name} role")),
        role_type: Some("common".into()),
        total_members: Some(total),
        raw: json!({"id": id, "name": name}),
    }
}

fn member(id: &str) -> GroupMember {
    GroupMember {
        id: id.into(),
        email: None,
        first_name: None,
        last_name: None,
        user_type: None,
        primary_group: None,
        raw: json!({"id": id}),
    }
}

fn targets(g: &Graph, key: &str, rtype: RelType) -> Vec<String> {
    let id = g.id_of(key).unwrap();
    let mut v: Vec<String> = g
        .targets(id, rtype)
        .map(|t| g.entity(t).key.clone())
        .collect();
    v.sort();
    v
}

fn sources(g: &Graph, key: &str, rtype: RelType) -> Vec<String> {
    let id = g.id_of(key).unwrap();
    let mut v: Vec<String> = g
        .sources(id, rtype)
        .map(|t| g.entity(t).key.clone())
        .collect();
    v.sort();
    v
}

/// Entities (JSON), relationship keys, raw JSON (sorted) and warnings.
type Fingerprint = (Vec<String>, Vec<String>, Vec<(String, String)>, Vec<String>);

/// Every entity's key, type and properties, relationships and raw JSON,
/// in graph order.
fn fingerprint(b: Built) -> Fingerprint {
    let g = &b.graph;
    let ents = g.entities().map(|(_, e)| e.to_json().to_string()).collect();
    let rels = g
        .relationships()
        .map(|(id, _)| g.relationship_key(id))
        .collect();
    let mut raw: Vec<(String, String)> = b.raw.into_iter().collect();
    raw.sort();
    (ents, rels, raw, b.warnings)
}

#[test]
fn early_role_names_change_nothing() {
    let mut own = user(Some("u3"), "own@example.com", "active", &["g1"], "9");
    own.role_name = Some("Own Name".into());
    let mut own2 = user(Some("u4"), "own2@example.com", "active", &[], "2");
    own2.role_name = Some("Stale".into());
    let users = || {
        vec![
            user(Some("u1"), "a@example.com", "active", &["g1", "g2"], "2"),
            user(Some("u2"), "b@example.com", "inactive", &["g1"], "1"),
            user(Some("u1"), "a@example.com", "inactive", &["g1"], "2"),
            user(None, "p@example.com", "pending", &[], "2"),
            own.clone(),
            own2.clone(),
        ]
    };
    let roles = vec![role("1", "Owner", 1), role("2", "Member", 2)];
    let mut unnamed = role("9", "x", 1);
    unnamed.name = None;
    let build = |hint: Option<(Vec<Role>, Vec<RoleDetail>)>| {
        let mut b = Converter::new(Some("Acme"));
        b.account(AccountInput {
            account_id: "A1".into(),
            ..Default::default()
        });
        if let Some((r, d)) = &hint {
            b.role_names(r, d);
        }
        b.prepared_users(users().into_iter().map(prepare_user).collect());
        b.groups(vec![group("g1", 3), group("g2", 1)]);
        let mut all = roles.clone();
        all.push(unnamed.clone());
        b.roles(all, vec![]);
        fingerprint(b.finish())
    };
    let plain = {
        let mut b = Converter::new(Some("Acme"));
        b.account(AccountInput {
            account_id: "A1".into(),
            ..Default::default()
        });
        b.users(users());
        b.groups(vec![group("g1", 3), group("g2", 1)]);
        let mut all = roles.clone();
        all.push(unnamed.clone());
        b.roles(all, vec![]);
        fingerprint(b.finish())
    };
    assert_eq!(build(None), plain);
    assert_eq!(build(Some((roles.clone(), vec![]))), plain);
    // Early names that `roles` later contradicts (role 9 named early but
    // not in the end; role 2 renamed) are corrected in `finish`.
    let mut wrong = vec![role("1", "Owner", 1), role("2", "Old", 2)];
    wrong.push(role("9", "Early", 1));
    assert_eq!(build(Some((wrong, vec![]))), plain);
}

#[test]
fn users_of_all_statuses_with_jupiterone_keys_and_properties() {
    let mut b = Converter::new(Some("Acme"));
    b.account(AccountInput {
        account_id: "A1".into(),
        ..Default::default()
    });
    b.users(vec![
        user(Some("u1"), "Jill@Example.com", "active", &["g1"], "2"),
        user(Some("u2"), "bob@example.com", "inactive", &[], "1"),
        user(None, " Pending.Person@Example.com ", "pending", &[], "2"),
    ]);
    // a duplicate from a later page is kept once
    b.users(vec![user(
        Some("u1"),
        "jill@example.com",
        "active",
        &["g1"],
        "2",
    )]);
    b.groups(vec![group("g1", 1)]);
    b.roles(vec![role("1", "Admin", 1), role("2", "Member", 2)], vec![]);
    let built = b.finish();
    let g = &built.graph;
    assert_eq!(g.of_type(EntityType::User).len(), 3);
    let pending = g
        .get("zoom_user:pending:pending.person@example.com")
        .unwrap();
    assert_eq!(pending.props.json("active"), Some(json!(false)));
    assert_eq!(pending.props.json("status"), Some(json!("pending")));
    assert!(pending.props.get("id").is_none());
    let u1 = g.get("zoom_user:u1").unwrap();
    let j = u1.to_json();
    assert_eq!(j["_type"], "zoom_user");
    assert_eq!(j["_class"], "User");
    for (k, v) in [
        ("username", json!("Jill@Example.com")),
        ("email", json!("Jill@Example.com")),
        ("name", json!("Jill Chill")),
        ("displayName", json!("Jill C.")),
        ("firstName", json!("Jill")),
        ("lastName", json!("Chill")),
        ("type", json!(2)),
        ("pmi", json!(4440405982_i64)),
        ("timezone", json!("Europe/Paris")),
        ("verified", json!(1)),
        ("createdAt", json!("2021-10-27T00:00:49Z")),
        ("userCreatedAt", json!("2021-10-26T00:00:49Z")),
        ("lastLoginTime", json!("2023-02-09T16:15:45Z")),
        ("lastClientVersion", json!("5.13.0")),
        ("language", json!("en-US")),
        ("phoneNumber", json!("")),
        ("status", json!("active")),
        ("active", json!(true)),
        ("roleId", json!("2")),
        ("roleName", json!("Member")),
        ("dept", json!("Eng")),
        ("groupIds", json!(["g1"])),
        ("employeeUniqueId", json!("E42")),
        ("customAttribute.costCenter", json!("CC-1")),
        ("planUnitedType", json!("1")),
        ("id", json!("u1")),
        ("tag.AccountName", json!("Acme")),
    ] {
        assert_eq!(j[k], v, "{k}");
    }
    assert_eq!(
        g.get("zoom_user:u2").unwrap().props.json("active"),
        Some(json!(false))
    );
    assert_eq!(
        g.get("zoom_user:u2").unwrap().props.json("roleName"),
        Some(json!("Admin"))
    );
    // every entity carries the tag; every user prop is a base prop
    for (_, e) in g.entities() {
        assert_eq!(
            e.props.json("tag.AccountName"),
            Some(json!("Acme")),
            "{}",
            e.key
        );
        if e.etype == EntityType::User {
            for (k, _) in e.props.iter() {
                assert!(!is_user_setting_prop(k), "{k} not in USER_BASE_PROPS");
            }
        }
    }
    let role = g.get("zoom_role:1").unwrap().to_json();
    assert_eq!(role["_class"], "AccessRole");
    assert_eq!(role["admin"], true);
    assert_eq!(role["roleType"], "common");
    assert_eq!(
        g.get("zoom_role:2").unwrap().props.json("admin"),
        Some(json!(false))
    );
    let grp = g.get("zoom_group:g1").unwrap().to_json();
    assert_eq!(grp["inDirectory"], false);
    assert_eq!(grp["directoryPrivacy"], 2);
    assert_eq!(grp["totalMembers"], 1);
    assert_eq!(grp["displayName"], "Group g1");
    assert!(built.warnings.iter().any(|w| w.contains("1 duplicate")));
    // by email, case-insensitively
    assert_eq!(g.by_email("JILL@example.com").len(), 1);
    // raw JSON is redacted
    let raw = &built.raw["zoom_user:u1"];
    assert!(
        !raw.contains("HK-993311") && !raw.contains("PWD-SECRET-77"),
        "{raw}"
    );
    assert!(raw.contains("[REDACTED]"));
    assert_eq!(built.raw.len(), g.entity_count());
}

#[test]
fn relationships_from_users_and_authoritative_member_lists() {
    let users = vec![
        user(Some("u1"), "a@x.io", "active", &["g1"], "2"),
        user(Some("u2"), "b@x.io", "active", &["g1", "g1"], "2"),
        // in g2 by the member list only
        user(Some("u3"), "c@x.io", "inactive", &[], "0"),
    ];
    let groups = vec![group("g1", 2), group("g2", 2), group("g3", 0)];
    let roles = vec![role("0", "Owner", 1), role("2", "Member", 3)];
    let mut b = Converter::new(None);
    b.account(AccountInput {
        account_id: "A1".into(),
        ..Default::default()
    });
    b.users(users);
    b.groups(groups);
    b.roles(roles, vec![]);
    b.group_members("g2", vec![member("u3"), member("ghost-1")]);
    b.role_members(
        "2",
        vec![RoleMember {
            id: "u3".into(),
            email: None,
            first_name: None,
            last_name: None,
            user_type: None,
            department: None,
            raw: json!({}),
        }],
    );
    b.group_members("g-unknown", vec![member("u1")]);
    let built = b.finish();
    let g = &built.graph;
    assert_eq!(
        targets(g, "zoom_group:g1", RelType::GroupHasUser),
        vec!["zoom_user:u1", "zoom_user:u2"]
    );
    assert_eq!(
        targets(g, "zoom_group:g2", RelType::GroupHasUser),
        vec!["zoom_user:u3"]
    );
    // union: u3 keeps its own role (0) and gets role 2 from the list
    assert_eq!(
        targets(g, "zoom_user:u3", RelType::UserAssignedRole),
        vec!["zoom_role:0", "zoom_role:2"]
    );
    assert_eq!(
        sources(g, "zoom_role:2", RelType::UserAssignedRole),
        vec!["zoom_user:u1", "zoom_user:u2", "zoom_user:u3"]
    );
    assert_eq!(
        targets(g, "zoom_account:A1", RelType::AccountHasUser).len(),
        3
    );
    assert_eq!(
        targets(g, "zoom_account:A1", RelType::AccountHasGroup).len(),
        3
    );
    assert_eq!(
        targets(g, "zoom_account:A1", RelType::AccountHasRole).len(),
        2
    );
    // JupiterOne-shaped relationship JSON
    let rid = g
        .relationships()
        .find(|(_, r)| r.rtype == RelType::UserAssignedRole)
        .map(|(id, _)| id)
        .unwrap();
    let j = g.relationship_json(rid);
    assert_eq!(j["_class"], RelClass::Assigned.as_str());
    assert!(j["_key"].as_str().unwrap().contains("|assigned|zoom_role:"));
    // members not in the users list are reported, not silently dropped
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.contains("group g2") && w.contains("ghost-1")),
        "{:?}",
        built.warnings
    );
    assert!(built.warnings.iter().any(|w| w.contains("g-unknown")));
}

#[test]
fn account_entity_has_real_account_data() {
    let mut owner = user(Some("owner1"), "owner@x.io", "active", &[], "0");
    owner.account_number = Some(7011249145);
    let mut b = Converter::new(None);
    b.account(AccountInput {
        account_id: "N0oCh".into(),
        owner: Some(owner),
        summary: Some(UsersSummary {
            licensed_users_count: Some(5),
            basic_users_count: Some(2),
            on_prem_users_count: None,
            room_users_count: None,
            pending_users_count: Some(1),
            join_only_users_count: None,
            total_users_count: Some(8),
            raw: json!({"licensed_users_count": 5, "basic_users_count": 2,
                "pending_users_count": 1, "total_users_count": 8}),
        }),
        settings: Some(Settings {
            raw: json!({"security": {"sign_in_with_two_factor_auth": "all",
                    "password_requirement": {"minimum_password_length": 10}},
                "schedule_meeting": {"default_password_for_scheduled_meetings": "DEF-5511"},
                "in_meeting": {"e2e_encryption": true}}),
        }),
        security_settings: Some(Settings {
            raw: json!({"meeting_security": {"waiting_room": true, "password_for_pmi": "P-8181"}}),
        }),
        lock_settings: Some(Settings {
            raw: json!({"schedule_meeting": {"join_before_host": true}}),
        }),
        managed_domains: Some(vec![ManagedDomain {
            domain: "x.io".into(),
            status: Some("verified".into()),
            raw: json!({"domain": "x.io"}),
        }]),
        trusted_domains: Some(vec!["x.io".into(), "partner.example".into()]),
    });
    let built = b.finish();
    let a = built.graph.get("zoom_account:N0oCh").unwrap().to_json();
    assert_eq!(a["_class"], "Account");
    assert_eq!(a["id"], "N0oCh");
    assert_eq!(a["accountId"], "N0oCh");
    assert_eq!(a["accountNumber"], 7011249145_i64);
    assert_eq!(a["name"], "7011249145");
    assert_eq!(a["ownerId"], "owner1");
    assert_eq!(a["ownerEmail"], "owner@x.io");
    assert_eq!(a["licensedUsersCount"], 5);
    assert_eq!(a["totalUsersCount"], 8);
    assert_eq!(a["securitySignInWithTwoFactorAuth"], "all");
    assert_eq!(a["securityPasswordRequirementMinimumPasswordLength"], 10);
    assert_eq!(a["inMeetingE2eEncryption"], true);
    assert_eq!(
        a["scheduleMeetingDefaultPasswordForScheduledMeetings"],
        MASK
    );
    assert_eq!(a["meetingSecurityWaitingRoom"], true);
    assert_eq!(a["meetingSecurityPasswordForPmi"], MASK);
    assert_eq!(a["lockSettingsScheduleMeetingJoinBeforeHost"], true);
    assert_eq!(a["managedDomains"], json!(["x.io"]));
    assert_eq!(a["trustedDomains"], json!(["x.io", "partner.example"]));
    assert_eq!(a["managedDomainsStatus"], json!(["verified"]));
    let raw = &built.raw["zoom_account:N0oCh"];
    assert!(!raw.contains("DEF-5511") && !raw.contains("P-8181"));
    assert!(raw.contains("\"lock_settings\""));
    // an unwrapped security body gets the `security` prefix
    let mut b = Converter::new(Some("Acme Corp"));
    b.account(AccountInput {
        account_id: "A2".into(),
        security_settings: Some(Settings {
            raw: json!({"sign_in_with_two_factor_auth": "none", "hide_billing_info": true}),
        }),
        ..Default::default()
    });
    let built = b.finish();
    let a = built.graph.get("zoom_account:A2").unwrap();
    assert_eq!(
        a.props.json("securitySignInWithTwoFactorAuth"),
        Some(json!("none"))
    );
    assert_eq!(a.props.json("name"), Some(json!("Acme Corp")));
}

#[test]
fn settings_land_on_the_user_and_in_raw() {
    let mut b = Converter::new(None);
    b.users(vec![user(Some("u1"), "a@x.io", "active", &[], "2")]);
    let bundle = UserSettingsBundle {
        main: Some(Settings {
            raw: json!({"in_meeting": {"e2e_encryption": true},
                "schedule_meeting": {"pmi_password": "PMI-4242"}}),
        }),
        meeting_security: Some(Settings {
            raw: json!({"meeting_security": {"require_password_for_scheduled_meeting": true}}),
        }),
        ..Default::default()
    };
    b.user_settings("zoom_user:u1", &bundle);
    b.user_settings("zoom_user:nobody", &bundle);
    let built = b.finish();
    let u = built.graph.get("zoom_user:u1").unwrap();
    assert_eq!(u.props.json("inMeetingE2eEncryption"), Some(json!(true)));
    assert_eq!(
        u.props
            .json("meetingSecurityRequirePasswordForScheduledMeeting"),
        Some(json!(true))
    );
    assert_eq!(
        u.props.json("scheduleMeetingPmiPassword"),
        Some(json!(MASK))
    );
    assert!(is_user_setting_prop("inMeetingE2eEncryption"));
    // base properties are not overwritten by a settings key
    assert_eq!(u.props.json("email"), Some(json!("a@x.io")));
    let raw: Value = serde_json::from_str(&built.raw["zoom_user:u1"]).unwrap();
    assert_eq!(
        raw["_settings"]["settings"]["in_meeting"]["e2e_encryption"],
        true
    );
    assert!(!built.raw["zoom_user:u1"].contains("PMI-4242"));
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.contains("zoom_user:nobody"))
    );
    // no account: relationships skipped with a warning, not a panic
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.contains("no account entity"))
    );
}

#[test]
fn odd_data_becomes_warnings() {
    let mut b = Converter::new(Some("  "));
    b.account(AccountInput::default());
    b.users(vec![
        user(None, "   ", "weird", &["g-missing"], ""),
        user(Some("u1"), "", "active", &["g-missing"], "r-missing"),
    ]);
    b.groups(vec![group("", 1)]);
    b.roles(vec![role("", "X", 0)], vec![]);
    b.role_members("nope", vec![]);
    let built = b.finish();
    let g = &built.graph;
    assert_eq!(g.of_type(EntityType::User).len(), 1);
    let u = g.get("zoom_user:u1").unwrap();
    assert!(u.props.get("tag.AccountName").is_none());
    assert!(u.props.get("roleName").is_none());
    assert_eq!(u.props.json("status"), Some(json!("active")));
    let w = built.warnings.join("\n");
    for needle in [
        "empty account id",
        "without id or email",
        "group without id",
        "role without id",
        "g-missing",
        "r-missing",
        "role nope",
    ] {
        assert!(w.contains(needle), "{needle} not in {w}");
    }
}

#[test]
fn role_details_give_privileges() {
    let mut b = Converter::new(None);
    b.roles(
        vec![role("1", "Admin", 0)],
        vec![
            RoleDetail {
                id: "1".into(),
                name: Some("Admin".into()),
                description: None,
                role_type: None,
                total_members: None,
                privileges: vec!["User:Read".into(), "User:Edit".into()],
                raw: json!({"id": "1", "privileges": ["User:Read", "User:Edit"]}),
            },
            RoleDetail {
                id: "9".into(),
                name: Some("Custom".into()),
                description: None,
                role_type: Some("custom".into()),
                total_members: Some(4),
                privileges: vec![],
                raw: json!({"id": "9"}),
            },
        ],
    );
    let built = b.finish();
    let g = &built.graph;
    assert_eq!(
        g.get("zoom_role:1").unwrap().props.json("privileges"),
        Some(json!(["User:Read", "User:Edit"]))
    );
    let custom = g.get("zoom_role:9").unwrap();
    assert_eq!(custom.props.json("roleType"), Some(json!("custom")));
    assert_eq!(custom.props.json("totalMembers"), Some(json!(4)));
    assert!(built.raw["zoom_role:1"].contains("User:Edit"));
}

#[test]
fn known_role_names_fill_in_only_without_a_roles_list() {
    let mut own = user(Some("u2"), "b@x.io", "active", &[], "2");
    own.role_name = Some("Own".into());
    let users = || {
        vec![
            user(Some("u1"), "a@x.io", "active", &[], "2"),
            own.clone(),
            user(Some("u3"), "c@x.io", "active", &[], "unknown"),
        ]
    };
    let known: HashMap<String, String> = [("2".to_string(), "Member".to_string())].into();
    let role_name = |b: &Built, key: &str| {
        b.graph
            .get(key)
            .and_then(|e| e.props.str("roleName"))
            .map(str::to_string)
    };
    // no roles list: the known names, but never over the user's own
    let mut c = Converter::new(None);
    c.known_role_names(known.clone());
    c.users(users());
    let b = c.finish();
    assert_eq!(role_name(&b, "zoom_user:u1").as_deref(), Some("Member"));
    assert_eq!(role_name(&b, "zoom_user:u2").as_deref(), Some("Own"));
    assert_eq!(role_name(&b, "zoom_user:u3"), None);
    // a roles list decides alone
    let mut c = Converter::new(None);
    c.known_role_names(known);
    c.users(users());
    c.roles(vec![role("2", "Renamed", 2)], vec![]);
    let b = c.finish();
    assert_eq!(role_name(&b, "zoom_user:u1").as_deref(), Some("Renamed"));
    assert_eq!(role_name(&b, "zoom_user:u2").as_deref(), Some("Renamed"));
}
