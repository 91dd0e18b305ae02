//! The built-in question pack: every question parses and runs, and the
//! "what users ask" questions give the hand-computed rows on the small
//! graph of query_support.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod query_support;

use std::collections::HashSet;

use query_support::{graph, now};
use serde_json::{Value, json};
use zoomscope::query::{self, saved};

fn run(name: &str) -> Vec<Vec<Value>> {
    let g = graph();
    let q = saved::find(name).unwrap_or_else(|| panic!("no saved question {name}"));
    let parsed = query::parse(&q.query).unwrap_or_else(|e| panic!("{name}: {e}"));
    query::execute(&g, &parsed, now())
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.values)
        .collect()
}

/// First column of each row.
fn firsts(name: &str) -> Vec<Value> {
    run(name).into_iter().map(|mut r| r.remove(0)).collect()
}

#[test]
fn pack_is_valid() {
    let qs = saved::questions();
    assert!(qs.len() >= 40, "{}", qs.len());
    let mut names = HashSet::new();
    let g = graph();
    for q in qs {
        assert!(names.insert(q.name.as_str()), "duplicate {}", q.name);
        assert!(
            q.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            q.name
        );
        assert!(!q.title.is_empty() && !q.source.is_empty(), "{}", q.name);
        let parsed = query::parse(&q.query).unwrap_or_else(|e| panic!("{}: {e}", q.name));
        query::execute(&g, &parsed, now()).unwrap_or_else(|e| panic!("{}: {e}", q.name));
    }
}

#[test]
fn admins_owners_and_roles() {
    assert_eq!(
        run("admins-and-owners"),
        [
            [
                json!("bob@example.com"),
                json!("Bob Admin"),
                json!("Admin"),
                json!("active")
            ],
            [
                json!("alice@example.com"),
                json!("Alice Owner"),
                json!("Owner"),
                json!("active")
            ]
        ]
    );
    assert_eq!(run("admin-count"), [[json!(2)]]);
    assert_eq!(firsts("owners"), [json!("alice@example.com")]);
    assert_eq!(
        run("users-per-role"),
        [
            [json!("Member"), json!(4)],
            [json!("Owner"), json!(1)],
            [json!("Admin"), json!(1)]
        ]
    );
    assert_eq!(
        firsts("roles-that-edit-account-settings"),
        [json!("0"), json!("1")]
    );
}

#[test]
fn hygiene_questions() {
    assert_eq!(firsts("inactive-users"), [json!("dan@example.com")]);
    assert_eq!(firsts("inactive-but-licensed"), [json!("dan@example.com")]);
    assert_eq!(
        firsts("licensed-not-logged-in-90-days"),
        [json!("bob@example.com")]
    );
    assert_eq!(firsts("not-logged-in-90-days"), [json!("bob@example.com")]);
    assert_eq!(firsts("never-logged-in"), [json!("carol@contractor.io")]);
    assert_eq!(
        firsts("pending-invites"),
        [json!("erin@example.com"), json!("frank@example.com")]
    );
    assert_eq!(
        firsts("pending-invites-older-than-30-days"),
        [json!("erin@example.com")]
    );
    assert_eq!(
        firsts("users-in-no-group"),
        [
            json!("carol@contractor.io"),
            json!("erin@example.com"),
            json!("frank@example.com")
        ]
    );
    assert_eq!(firsts("empty-groups"), [json!("Empty")]);
    assert_eq!(firsts("groups-without-members"), [json!("Empty")]);
    assert_eq!(
        firsts("recently-created-users"),
        [json!("frank@example.com")]
    );
}

#[test]
fn security_and_employee_questions() {
    assert_eq!(firsts("non-sso-users"), [json!("bob@example.com")]);
    assert_eq!(
        firsts("users-without-waiting-room"),
        [json!("bob@example.com"), json!("carol@contractor.io")]
    );
    assert_eq!(
        firsts("users-without-passcode"),
        [json!("bob@example.com"), json!("carol@contractor.io")]
    );
    assert_eq!(
        firsts("users-not-employees"),
        [json!("bob@example.com"), json!("carol@contractor.io")]
    );
    assert_eq!(
        firsts("employees-without-zoom"),
        [json!("gina@example.com")]
    );
    assert_eq!(
        run("sales-group-members"),
        [
            [
                json!("u1"),
                json!("alice@example.com"),
                Value::Null,
                Value::Null
            ],
            [
                json!("u2"),
                json!("bob@example.com"),
                Value::Null,
                Value::Null
            ]
        ]
    );
    assert_eq!(
        run("users-by-license-type"),
        [[json!(2), json!(3)], [json!(1), json!(3)]]
    );
}
