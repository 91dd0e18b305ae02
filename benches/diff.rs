//! Diff of two 100,000-user snapshots (target: within 1 s).
//!
//! Builds two graphs of 100,000 users with ~30 properties each, 200 groups,
//! 3 roles and their relationships; the newer one has 1% of users changed,
//! 0.5% removed, 0.5% added and some group moves, as a busy day would.
//! `cargo bench --bench diff`

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zoomscope::graph::{Entity, EntityType, Graph, Interner, Props, RelType};

const USERS: usize = 100_000;
const GROUPS: usize = 200;
const TARGET: Duration = Duration::from_secs(1);

fn user(i: usize, names: &mut Interner, changed: bool) -> Entity {
    let mut e = Entity::new(EntityType::User, format!("zoom_user:u{i:07}"));
    let mut set = |k: &str, v: Value| e.props.insert(names.intern(k), v);
    set("id", json!(format!("u{i:07}")));
    set("email", json!(format!("user{i}@example.com")));
    set("username", json!(format!("user{i}@example.com")));
    set("firstName", json!(format!("First{i}")));
    set("lastName", json!(format!("Last{i}")));
    set("name", json!(format!("First{i} Last{i}")));
    set("displayName", json!(format!("First{i} Last{i}")));
    set("type", json!(if i.is_multiple_of(3) { 1 } else { 2 }));
    set("pmi", json!(1_000_000_000u64 + i as u64));
    set("timezone", json!("Europe/London"));
    set("verified", json!(1));
    set("createdAt", json!("2024-01-02T03:04:05Z"));
    set("userCreatedAt", json!("2024-01-02T03:04:05Z"));
    set(
        "lastLoginTime",
        json!(if changed {
            "2026-11-30T08:00:00Z"
        } else {
            "2026-11-01T08:00:00Z"
        }),
    );
    set("lastClientVersion", json!("6.2.0.12345(mac)"));
    set("language", json!("en-US"));
    set("phoneNumber", json!(""));
    set("status", json!("active"));
    set("active", json!(true));
    set(
        "roleId",
        json!(if i.is_multiple_of(500) { "1" } else { "2" }),
    );
    set(
        "roleName",
        json!(if i.is_multiple_of(500) {
            "Admin"
        } else {
            "Member"
        }),
    );
    set("dept", json!(format!("Dept{}", i % 40)));
    set("groupIds", json!([format!("g{}", i % GROUPS)]));
    set("employeeUniqueId", json!(format!("E{i}")));
    set("loginTypes", json!([100]));
    set("planUnitedType", json!("1"));
    set("picUrl", json!(format!("https://example.com/p/{i}.png")));
    set("tag.AccountName", json!("Acme"));
    set("clusterName", json!("us05"));
    set("jobTitle", json!("Engineer"));
    e
}

/// `shift` selects which users exist and which changed: the older graph has
/// users 0..USERS, the newer drops 0.5%, adds 0.5% and changes 1%.
fn build(newer: bool) -> Graph {
    let mut names = Interner::default();
    let mut g = Graph::new();
    let _ = g.add_entity(Entity::new(EntityType::Account, "zoom_account:A".into()));
    for r in 0..3 {
        let _ = g.add_entity(Entity::new(EntityType::Role, format!("zoom_role:{r}")));
        let _ = g.add_relationship(
            RelType::AccountHasRole,
            "zoom_account:A",
            &format!("zoom_role:{r}"),
            Props::new(),
        );
    }
    for gi in 0..GROUPS {
        let mut e = Entity::new(EntityType::Group, format!("zoom_group:g{gi}"));
        e.props
            .insert(names.intern("name"), json!(format!("Group {gi}")));
        let _ = g.add_entity(e);
        let _ = g.add_relationship(
            RelType::AccountHasGroup,
            "zoom_account:A",
            &format!("zoom_group:g{gi}"),
            Props::new(),
        );
    }
    let range = if newer {
        USERS / 200..USERS + USERS / 200
    } else {
        0..USERS
    };
    for i in range {
        let changed = newer && i % 100 == 7;
        let u = user(i, &mut names, changed);
        let key = u.key.clone();
        let _ = g.add_entity(u);
        let _ = g.add_relationship(
            RelType::AccountHasUser,
            "zoom_account:A",
            &key,
            Props::new(),
        );
        let role = if i.is_multiple_of(500) { 1 } else { 2 };
        let _ = g.add_relationship(
            RelType::UserAssignedRole,
            &key,
            &format!("zoom_role:{role}"),
            Props::new(),
        );
        // group moves for 0.2% of users in the newer graph
        let grp = if newer && i % 500 == 3 {
            (i + 1) % GROUPS
        } else {
            i % GROUPS
        };
        let _ = g.add_relationship(
            RelType::GroupHasUser,
            &format!("zoom_group:g{grp}"),
            &key,
            Props::new(),
        );
    }
    g
}

fn main() {
    let old = build(false);
    let new = build(true);
    println!(
        "graphs: {} / {} entities, {} / {} relationships",
        old.entity_count(),
        new.entity_count(),
        old.relationship_count(),
        new.relationship_count()
    );
    let mut best = Duration::MAX;
    let mut summary = None;
    for _ in 0..3 {
        let t = Instant::now();
        let d = zoomscope::diff::diff(&old, &new);
        let el = t.elapsed();
        best = best.min(el);
        summary = Some(d.summary());
    }
    if let Some(s) = summary {
        println!(
            "changes: {} added, {} removed, {} changed entities; {} / {} relationships added / removed",
            s.entities_added,
            s.entities_removed,
            s.entities_changed,
            s.relationships_added,
            s.relationships_removed
        );
    }
    let t = Instant::now();
    let j = zoomscope::diff::diff(&old, &new).to_json(1, 2);
    let with_json = t.elapsed();
    let bytes = serde_json::to_string(&j).map(|s| s.len()).unwrap_or(0);
    println!(
        "diff of two {USERS}-user snapshots: {:.3} s, {:.2}× the target (target ≤ 1.00 s); with to_json: {:.3} s ({bytes} bytes)",
        best.as_secs_f64(),
        best.as_secs_f64() / TARGET.as_secs_f64(),
        with_json.as_secs_f64()
    );
    bench_rules(&old, &new);
}

/// The built-in rule pack over the newer 100,000-user graph, with state in
/// a real SQLite file: the first evaluation (writes every match set) and a
/// second one (reads them back, writes only differences).
fn bench_rules(old: &Graph, new: &Graph) {
    use zoomscope::alerts::{self, AlertState, AlertsConfig, EvalOptions};
    let Ok(rules) = alerts::load_rules(&AlertsConfig::default()) else {
        println!("rules: the built-in pack did not load");
        return;
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    let Ok(conn) = rusqlite::Connection::open(dir.path().join("bench.db")) else {
        return;
    };
    if zoomscope::store::migrate(&conn).is_err() {
        return;
    }
    let Ok(state) = AlertState::open(&conn, "bench") else {
        return;
    };
    let opts = EvalOptions {
        now: chrono::Utc::now(),
        previous: Some(old),
    };
    // The slowest rules on their own (queries only, no state).
    let mut per_rule: Vec<(f64, String)> = rules
        .iter()
        .map(|r| {
            let t = Instant::now();
            let _ = alerts::evaluate(
                new,
                std::slice::from_ref(r),
                None,
                EvalOptions {
                    now: opts.now,
                    previous: None,
                },
            );
            (t.elapsed().as_secs_f64(), r.name.clone())
        })
        .collect();
    per_rule.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = per_rule.iter().map(|(t, _)| t).sum();
    println!("rule queries alone: {total:.3} s in all; slowest:");
    for (t, name) in per_rule.iter().take(6) {
        println!("  {name}: {t:.3} s");
    }
    for label in ["first evaluation", "next evaluation"] {
        let t = Instant::now();
        let r = alerts::evaluate(new, &rules, Some(&state), opts);
        let el = t.elapsed();
        let fired = r
            .map(|r| r.iter().filter(|x| x.fired()).count())
            .unwrap_or(0);
        println!(
            "rules ({label}, {} rules, {fired} fired) over {USERS} users with SQLite state: {:.3} s",
            rules.len(),
            el.as_secs_f64()
        );
    }
}
