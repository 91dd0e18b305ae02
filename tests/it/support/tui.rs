//! A deterministic Zoom-shaped graph for TUI tests and the search benchmark,
//! built through the graph's public API with JupiterOne property names.

use std::sync::Arc;

use serde_json::{Value, json};
use zoomscope::graph::{Entity, EntityType, Graph, Props, RelType};

/// The terminal sizes every golden screen is taken at (width, height): a
/// roomy terminal and the classic 80×24.
pub const SCREEN_SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

const FIRST: &[&str] = &[
    "Jill", "Omar", "Priya", "Chen", "Sofia", "Liam", "Aisha", "Mateo", "Yuki", "Noah", "Emma",
    "Ravi", "Lena", "Kwame", "Ines", "Tomas", "Hana", "Diego", "Freya", "Arjun",
];
const LAST: &[&str] = &[
    "Smith", "Haddad", "Nair", "Wang", "Rossi", "Murphy", "Bello", "Garcia", "Tanaka", "Cohen",
    "Dubois", "Patel", "Novak", "Mensah", "Silva", "Berg", "Kim", "Lopez", "Jensen", "Iyer",
];
const DEPTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "Support",
    "Legal",
    "People",
];
const GROUPS: &[&str] = &[
    "Engineering",
    "Sales EMEA",
    "Sales NA",
    "Marketing",
    "Finance",
    "Support",
    "Contractors",
    "Alumni",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

fn entity(t: EntityType, key: String, props: Vec<(&str, Value)>) -> Entity {
    let mut e = Entity::new(t, key);
    let mut p = Props::new();
    for (k, v) in props {
        p.insert(Arc::from(k), v);
    }
    e.props = p;
    e
}

/// An org of `n` users (plus account, 8 groups, 3 roles). User 0 is Jill
/// Smith, an admin; user 1 has an escape sequence in its display name.
pub fn org(n: usize) -> Graph {
    let mut g = Graph::new();
    let mut rng = Lcg(7);
    g.add_entity(entity(
        EntityType::Account,
        "zoom_account:acct-1".into(),
        vec![
            ("id", json!("acct-1")),
            ("accountId", json!("acct-1")),
            ("name", json!("Example Corp")),
            ("displayName", json!("Example Corp")),
            ("accountNumber", json!(123456789)),
            ("ownerEmail", json!("jill.smith@example.com")),
            ("signInWithTwoFactorAuth", json!(false)),
            ("waitingRoom", json!(true)),
            ("requirePasswordForScheduledMeetings", json!(true)),
            ("endToEndEncryptedMeetings", json!(false)),
        ],
    ))
    .unwrap();
    let roles = [
        (
            "0",
            "Owner",
            true,
            vec![
                "AccountProfile:Edit",
                "User:Edit",
                "Role:Edit",
                "Billing:Read",
            ],
        ),
        (
            "1",
            "Admin",
            true,
            vec!["User:Edit", "User:Read", "Group:Edit"],
        ),
        ("2", "Member", false, vec![]),
    ];
    for (id, name, admin, privs) in &roles {
        g.add_entity(entity(
            EntityType::Role,
            format!("zoom_role:{id}"),
            vec![
                ("id", json!(id)),
                ("name", json!(name)),
                ("displayName", json!(name)),
                ("admin", json!(admin)),
                ("description", json!(format!("{name} role"))),
                ("privileges", json!(privs)),
                ("roleType", json!("common")),
            ],
        ))
        .unwrap();
        g.add_relationship(
            RelType::AccountHasRole,
            "zoom_account:acct-1",
            &format!("zoom_role:{id}"),
            Props::new(),
        )
        .unwrap();
    }
    for (i, name) in GROUPS.iter().enumerate() {
        g.add_entity(entity(
            EntityType::Group,
            format!("zoom_group:g{i}"),
            vec![
                ("id", json!(format!("g{i}"))),
                ("name", json!(name)),
                ("displayName", json!(name)),
                (
                    "directoryPrivacy",
                    json!(if i % 2 == 0 { "everyone" } else { "members" }),
                ),
                ("inDirectory", json!(i != 7)),
            ],
        ))
        .unwrap();
        g.add_relationship(
            RelType::AccountHasGroup,
            "zoom_account:acct-1",
            &format!("zoom_group:g{i}"),
            Props::new(),
        )
        .unwrap();
    }
    for i in 0..n {
        let (first, last) = if i == 0 {
            ("Jill", "Smith")
        } else {
            (rng.pick(FIRST), rng.pick(LAST))
        };
        let email = if i == 0 {
            "jill.smith@example.com".to_string()
        } else {
            format!(
                "{}.{}{}@example.com",
                first.to_lowercase(),
                last.to_lowercase(),
                i
            )
        };
        let display = if i == 1 {
            format!("{first}\u{1b}[2J\u{1b}]0;pwned\u{7} {last}")
        } else {
            format!("{first} {last}")
        };
        let status = match rng.next() % 10 {
            0 => "inactive",
            1 => "pending",
            _ => "active",
        };
        let typ = if rng.next().is_multiple_of(3) { 1 } else { 2 };
        let dept = rng.pick(DEPTS);
        let role = if i == 0 {
            0
        } else if i % 50 == 1 {
            1
        } else {
            2
        };
        let key = format!("zoom_user:u{i}");
        g.add_entity(entity(
            EntityType::User,
            key.clone(),
            vec![
                ("id", json!(format!("u{i}"))),
                ("email", json!(email)),
                ("firstName", json!(first)),
                ("lastName", json!(last)),
                ("displayName", json!(display)),
                ("name", json!(display)),
                ("status", json!(status)),
                ("active", json!(status == "active")),
                ("type", json!(typ)),
                ("dept", json!(dept)),
                ("roleId", json!(role.to_string())),
                ("roleName", json!(roles[role].1)),
                ("timezone", json!("Europe/London")),
                (
                    "lastLoginTime",
                    json!(format!("2026-11-{:02}T09:{:02}:00Z", 1 + i % 28, i % 60)),
                ),
                ("userCreatedAt", json!("2024-01-15T10:00:00Z")),
            ],
        ))
        .unwrap();
        g.add_relationship(
            RelType::AccountHasUser,
            "zoom_account:acct-1",
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
        // Alumni (g7) stays empty; everyone else is in one or two groups.
        let g1 = (rng.next() as usize) % 7;
        g.add_relationship(
            RelType::GroupHasUser,
            &format!("zoom_group:g{g1}"),
            &key,
            Props::new(),
        )
        .unwrap();
        if rng.next().is_multiple_of(4) {
            let g2 = (g1 + 1) % 7;
            g.add_relationship(
                RelType::GroupHasUser,
                &format!("zoom_group:g{g2}"),
                &key,
                Props::new(),
            )
            .unwrap();
        }
    }
    g
}
