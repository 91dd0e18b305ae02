//! A generated org shaped like a synced Zoom account with user settings:
//! ~10 roles, groups, users of all three statuses, JupiterOne property
//! names, settings on most users (the rest never fetched, so undefined).
//! Deterministic (a fixed xorshift), so tests and benches see the same org.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use zoomscope::graph::{Entity, EntityType, Graph, Interner, Props, RelType};

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// true with probability pct/100
    pub fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

pub const ROLES: [(&str, &str, bool); 10] = [
    ("0", "Owner", true),
    ("1", "Admin", true),
    ("2", "Member", false),
    ("r3", "Help Desk", false),
    ("r4", "Auditor", false),
    ("r5", "Billing", false),
    ("r6", "Room Admin", false),
    ("r7", "Webinar Host", false),
    ("r8", "Recording Manager", false),
    ("r9", "Security Officer", false),
];

fn time(now: DateTime<Utc>, days_ago: i64, secs: i64) -> Value {
    Value::String(
        (now - Duration::days(days_ago) - Duration::seconds(secs))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    )
}

/// `users` users in `groups` groups; settings on ~85% of users.
pub fn org(users: usize, groups: usize, now: DateTime<Utc>) -> Graph {
    let mut rng = Rng::new(7);
    let mut names = Interner::default();
    let mut g = Graph::new();
    let acct = "zoom_account:ACCT1";
    let mut a = Entity::new(EntityType::Account, acct.into());
    for (k, v) in [
        ("accountId", json!("ACCT1")),
        ("name", json!("7011249145")),
        ("displayName", json!("7011249145")),
        ("tag.AccountName", json!("Acme")),
    ] {
        a.props.insert(names.intern(k), v);
    }
    g.add_entity(a).unwrap();

    for (i, (id, name, admin)) in ROLES.iter().enumerate() {
        let mut e = Entity::new(EntityType::Role, format!("zoom_role:{id}"));
        let privs: Vec<&str> = match i {
            0 | 1 => vec![
                "AccountSetting:Edit",
                "User:Edit",
                "Group:Edit",
                "Role:Edit",
            ],
            3 => vec!["User:Read", "User:Edit"],
            4 => vec!["AccountSetting:Read", "Report:Read"],
            9 => vec!["AccountSetting:Edit", "Security:Edit"],
            _ => vec!["Meeting:Read"],
        };
        for (k, v) in [
            ("id", json!(id)),
            ("name", json!(name)),
            ("displayName", json!(name)),
            ("description", json!(format!("{name} role"))),
            ("admin", json!(admin)),
            ("privileges", json!(privs)),
            ("tag.AccountName", json!("Acme")),
        ] {
            e.props.insert(names.intern(k), v);
        }
        g.add_entity(e).unwrap();
        g.add_relationship(
            RelType::AccountHasRole,
            acct,
            &format!("zoom_role:{id}"),
            Props::new(),
        )
        .unwrap();
    }
    for gi in 0..groups {
        let key = format!("zoom_group:grp{gi}");
        let mut e = Entity::new(EntityType::Group, key.clone());
        let name = if gi == 0 {
            "Sales".to_string()
        } else {
            format!("Group {gi}")
        };
        for (k, v) in [
            ("id", json!(format!("grp{gi}"))),
            ("name", json!(name)),
            ("displayName", json!(name)),
            ("totalMembers", json!(0)),
            ("directoryPrivacy", json!(2)),
            ("inDirectory", json!(true)),
            ("tag.AccountName", json!("Acme")),
        ] {
            e.props.insert(names.intern(k), v);
        }
        g.add_entity(e).unwrap();
        g.add_relationship(RelType::AccountHasGroup, acct, &key, Props::new())
            .unwrap();
    }
    let depts = [
        "Sales",
        "Engineering",
        "Support",
        "Finance",
        "Legal",
        "Marketing",
    ];
    let mut members = vec![0u64; groups];
    for i in 0..users {
        let status = match rng.below(100) {
            0..90 => "active",
            90..96 => "inactive",
            _ => "pending",
        };
        let email = format!("user{i}@example.com");
        let key = if status == "pending" {
            format!("zoom_user:pending:{email}")
        } else {
            format!("zoom_user:u{i}")
        };
        let role = if i == 0 {
            0
        } else {
            match rng.below(1000) {
                0..10 => 1,
                10..50 => 3 + rng.below(7) as usize,
                _ => 2,
            }
        };
        let (role_id, role_name, _) = ROLES[role];
        let n_groups = if groups == 0 {
            0
        } else {
            [0, 1, 1, 1, 2, 2, 3][rng.below(7) as usize]
        };
        let mut gids: Vec<String> = Vec::new();
        for _ in 0..n_groups {
            let gi = rng.below(groups as u64) as usize;
            let gid = format!("grp{gi}");
            if !gids.contains(&gid) {
                members[gi] += 1;
                gids.push(gid);
            }
        }
        let first = format!("First{i}");
        let last = format!("Last{}", i % 997);
        let mut p: Vec<(&str, Value)> = vec![
            ("email", json!(email)),
            ("username", json!(email)),
            ("firstName", json!(first)),
            ("lastName", json!(last)),
            ("name", json!(format!("{first} {last}"))),
            ("displayName", json!(format!("{first} {last}"))),
            ("status", json!(status)),
            ("active", json!(status == "active")),
            ("type", json!(if rng.pct(70) { 2 } else { 1 })),
            ("roleId", json!(role_id)),
            ("roleName", json!(role_name)),
            ("groupIds", json!(gids)),
            (
                "createdAt",
                time(now, rng.below(2000) as i64, rng.below(86_400) as i64),
            ),
            ("timezone", json!("America/New_York")),
            ("language", json!("en-US")),
            ("dept", json!(depts[rng.below(6) as usize])),
            ("verified", json!(rng.below(2))),
            ("pmi", json!(1_000_000_000u64 + i as u64)),
            ("planUnitedType", json!("1")),
            ("tag.AccountName", json!("Acme")),
        ];
        if status != "pending" {
            p.push(("id", json!(format!("u{i}"))));
            p.push(("userCreatedAt", time(now, rng.below(2000) as i64, 0)));
            p.push((
                "loginTypes",
                if rng.pct(60) {
                    json!([101])
                } else {
                    json!([100])
                },
            ));
            p.push(("lastClientVersion", json!("6.0.2.33403(mac)")));
            if rng.pct(92) {
                // Most people used Zoom this month; a tail has gone stale.
                let days = match rng.below(100) {
                    0..80 => rng.below(30),
                    80..92 => 30 + rng.below(150),
                    _ => 180 + rng.below(520),
                };
                p.push((
                    "lastLoginTime",
                    time(now, days as i64, rng.below(86_400) as i64),
                ));
            }
        }
        // Settings: fetched for ~85% of users, as after a partial
        // `sync --user-settings`.
        if status != "pending" && rng.pct(85) {
            p.push(("inMeetingE2eEncryption", json!(rng.pct(30))));
            p.push((
                "meetingSecurityRequirePasswordForScheduledMeeting",
                json!(rng.pct(70)),
            ));
            p.push(("meetingSecurityWaitingRoom", json!(rng.pct(60))));
            p.push(("inMeetingWaitingRoom", json!(rng.pct(50))));
            p.push(("scheduleMeetingJoinBeforeHost", json!(rng.pct(25))));
            p.push((
                "scheduleMeetingUsePmiForScheduledMeetings",
                json!(rng.pct(20)),
            ));
            p.push((
                "scheduleMeetingUsePmiForInstantMeetings",
                json!(rng.pct(20)),
            ));
            p.push((
                "scheduleMeetingRequirePasswordForSchedulingNewMeetings",
                json!(rng.pct(70)),
            ));
            p.push(("recordingCloudRecording", json!(rng.pct(50))));
            p.push((
                "recordingRequirePasswordForSharedCloudRecordings",
                json!(rng.pct(50)),
            ));
            p.push(("inMeetingChat", json!(true)));
            p.push(("inMeetingCoHost", json!(true)));
            p.push(("inMeetingAllowParticipantsChatWith", json!(1)));
            p.push(("inMeetingDataCenterRegions", json!(["US", "EU"])));
            p.push((
                "meetingSecurityEncryptionType",
                json!("enhanced_encryption"),
            ));
            p.push(("meetingAuthentication", json!(rng.pct(40))));
            p.push(("recordingAutoRecording", json!("none")));
            p.push(("featureMeetingCapacity", json!(100)));
        }
        let mut e = Entity::new(EntityType::User, key.clone());
        for (k, v) in p {
            e.props.insert(names.intern(k), v);
        }
        g.add_entity(e).unwrap();
        g.add_relationship(RelType::AccountHasUser, acct, &key, Props::new())
            .unwrap();
        g.add_relationship(
            RelType::UserAssignedRole,
            &key,
            &format!("zoom_role:{role_id}"),
            Props::new(),
        )
        .unwrap();
        for gid in gids {
            g.add_relationship(
                RelType::GroupHasUser,
                &format!("zoom_group:{gid}"),
                &key,
                Props::new(),
            )
            .unwrap();
        }
    }
    for (gi, n) in members.iter().enumerate() {
        if let Some(id) = g.id_of(&format!("zoom_group:grp{gi}")) {
            g.update_props(id, |p| p.insert(Arc::from("totalMembers"), json!(n)));
        }
    }
    g
}
