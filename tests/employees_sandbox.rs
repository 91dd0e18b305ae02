//! Ground truth: a generated org is synced from the sandbox over real HTTP,
//! its generated HR roster imported into a real SQLite file exactly as
//! `--demo` does, and every Zoom user and roster row must land in the
//! category the sandbox says (`expected_employee_categories`).

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod employees_support;

use std::collections::{BTreeMap, BTreeSet};

use employees_support::db;
use zoomscope::employees::{self, Category, MatchOptions};
use zoomscope::graph::{EntityType, RelType};
use zoomscope::sandbox::{
    Change, ChangeKind, ExpectedCategories, RunningSandbox, Sandbox, SandboxConfig,
};
use zoomscope::sync::SyncOptions;
use zoomscope::zoom::{ClientConfig, Secret, ZoomClient};

async fn synced_graph(sb: &RunningSandbox) -> zoomscope::graph::Graph {
    let mut c = ClientConfig::new(
        sb.account_id(),
        sb.client_id(),
        Secret::new(sb.client_secret()),
    );
    c.api_url = sb.api_url();
    c.oauth_url = sb.oauth_url();
    let client = ZoomClient::new(c).unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let opts = SyncOptions {
        account_id: sb.account_id().to_string(),
        ..SyncOptions::default()
    };
    zoomscope::sync::run(&client, &opts, tx)
        .await
        .unwrap()
        .graph
}

fn category_name(c: Category) -> &'static str {
    c.as_str()
}

async fn agrees_with_ground_truth(users: usize, seed: u64) {
    let sb = Sandbox::start(SandboxConfig {
        users,
        seed,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let mut graph = synced_graph(&sb).await;
    let org = sb.org();
    let (_dir, conn) = db();
    let imported = employees::import_demo_roster(
        &conn,
        "demo",
        &sb.roster_csv(),
        &[vec![
            org.account.domain.clone(),
            org.account.alias_domain.clone(),
        ]],
        chrono::Utc::now(),
    )
    .unwrap()
    .expect("a fresh store has no demo roster yet");
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.imported, sb.roster().len());

    let today = org.reference_time.date_naive();
    let report = employees::overlay(&mut graph, &conn, "demo", &MatchOptions::new(today))
        .unwrap()
        .unwrap();
    check(&report, &sb.expected_employee_categories());

    // Every category has rows in the demo org.
    for c in Category::ORDER {
        assert!(report.count(c) > 0, "{} is empty", c.as_str());
    }
    // The overlay made the pairs visible to queries.
    assert_eq!(graph.of_type(EntityType::Employee).len(), sb.roster().len());
    let is_rels = graph
        .relationships()
        .filter(|(_, r)| r.rtype == RelType::UserIsEmployee)
        .count();
    assert_eq!(is_rels, sb.expected_employee_categories().pairs.len());

    // Queries see the overlay: the offboarding gap as J1QL.
    let gap = zoomscope::query::run(
        &graph,
        "FIND zoom_user WITH status = 'active' THAT IS Person WITH status = 'terminated'",
    )
    .unwrap();
    let mut got: Vec<String> = gap
        .rows
        .iter()
        .filter_map(|r| r.entity)
        .map(|id| graph.entity(id).key.clone())
        .collect();
    got.sort();
    let mut want: Vec<String> = report
        .rows(Category::TerminatedButActive)
        .iter()
        .map(|r| r.user.as_ref().unwrap().key.clone())
        .collect();
    want.sort();
    assert_eq!(got, want);
    let not_employees = zoomscope::query::run(&graph, "FIND zoom_user THAT !IS Person").unwrap();
    assert_eq!(
        not_employees.rows.len(),
        report.count(Category::NotAnEmployee)
            + report
                .rows(Category::Ambiguous)
                .iter()
                .filter_map(|r| r.user.as_ref().map(|u| u.key.as_str()))
                .collect::<BTreeSet<_>>()
                .len()
    );

    // Closing the offboarding gap in Zoom moves the leaver to `matched`,
    // and the report follows the ground truth after a re-sync.
    let leaver = report.rows(Category::TerminatedButActive)[0]
        .user
        .clone()
        .unwrap();
    sb.apply_change(Change::for_user(
        ChangeKind::Deactivate,
        leaver.email.clone().unwrap(),
    ))
    .unwrap();
    let graph = synced_graph(&sb).await;
    let after = employees::report_from_store(&graph, &conn, "demo", &MatchOptions::new(today))
        .unwrap()
        .unwrap();
    check(&after, &sb.expected_employee_categories());
    assert_eq!(
        after.count(Category::TerminatedButActive),
        report.count(Category::TerminatedButActive) - 1
    );
    assert!(
        after
            .rows(Category::Matched)
            .iter()
            .any(|r| r.user.as_ref().is_some_and(|u| u.key == leaver.key))
    );
    sb.shutdown().await;
}

/// Every user and roster row is in the ground truth's category, and the
/// matched pairs are the ground truth's pairs.
fn check(report: &employees::Report, truth: &ExpectedCategories) {
    let mut users: BTreeMap<String, &str> = BTreeMap::new();
    let mut roster: BTreeMap<String, &str> = BTreeMap::new();
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for c in Category::ORDER {
        for row in report.rows(c) {
            if let Some(u) = &row.user {
                let prev = users.insert(u.key.clone(), category_name(c));
                assert!(
                    prev.is_none() || prev == Some(category_name(c)),
                    "{} twice",
                    u.key
                );
            }
            if let Some(e) = &row.employee {
                let id = e.employee_id.clone().unwrap();
                let prev = roster.insert(id.clone(), category_name(c));
                assert!(
                    prev.is_none() || prev == Some(category_name(c)),
                    "{id} twice"
                );
                if let Some(u) = &row.user
                    && matches!(c, Category::Matched | Category::TerminatedButActive)
                {
                    pairs.insert((id, u.key.clone()));
                }
            }
        }
    }
    let want_users: BTreeMap<String, &str> = truth
        .users
        .iter()
        .map(|(k, c)| (k.clone(), c.as_str()))
        .collect();
    let want_roster: BTreeMap<String, &str> = truth
        .roster
        .iter()
        .map(|(k, c)| (k.clone(), c.as_str()))
        .collect();
    let diff = |got: &BTreeMap<String, &str>, want: &BTreeMap<String, &str>| {
        want.iter()
            .filter(|(k, v)| got.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k}: want {v}, got {:?}", got.get(k)))
            .chain(
                got.keys()
                    .filter(|k| !want.contains_key(*k))
                    .map(|k| format!("{k}: not in the ground truth")),
            )
            .take(10)
            .collect::<Vec<_>>()
    };
    assert!(
        diff(&users, &want_users).is_empty(),
        "users: {:?}",
        diff(&users, &want_users)
    );
    // Terminated rows with no Zoom user belong to no category, in both.
    assert!(
        diff(&roster, &want_roster).is_empty(),
        "roster: {:?}",
        diff(&roster, &want_roster)
    );
    let want_pairs: BTreeSet<(String, String)> = truth.pairs.iter().cloned().collect();
    assert_eq!(pairs, want_pairs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_agrees_with_the_sandbox_ground_truth_default_org() {
    agrees_with_ground_truth(2_000, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_agrees_with_the_sandbox_ground_truth_other_seed() {
    agrees_with_ground_truth(600, 7).await;
}
