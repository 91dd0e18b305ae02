//! #14 bug 9 (employees): a leaver whose Zoom invite is still pending is
//! an offboarding finding, not a match.

use crate::support::employees as employees_support;

use employees_support::{graph, today, user};
use zoomscope::employees::{self, AliasDomains, Category, ColumnOverrides, MatchOptions};

const ROSTER: &str = "\
employee_id,first_name,last_name,email,status,termination_date
E1,Tom,Gone,tom@corp.com,terminated,2026-06-30
E2,Jane,Here,jane@corp.com,active,
E3,Ivy,Invited,ivy@corp.com,active,
E4,Old,Leaver,old@corp.com,terminated,2026-01-01
";

#[test]
fn a_leavers_pending_invite_is_terminated_but_active_not_matched() {
    let g = graph(&[
        user("zoom_user:pending:tom@corp.com", "tom@corp.com", "pending"),
        user("zoom_user:2", "jane@corp.com", "active"),
        user("zoom_user:pending:ivy@corp.com", "ivy@corp.com", "pending"),
        user("zoom_user:4", "old@corp.com", "inactive"),
    ]);
    let parsed = employees::roster::parse(ROSTER, &ColumnOverrides::new()).unwrap();
    let report = employees::report(
        &g,
        &parsed.employees,
        &[],
        &MatchOptions {
            alias_domains: AliasDomains::new(Vec::<Vec<&str>>::new()),
            today: today(),
        },
    );
    let keys = |c| {
        report
            .rows(c)
            .iter()
            .filter_map(|r| r.user.as_ref().map(|u| u.key.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(Category::TerminatedButActive),
        ["zoom_user:pending:tom@corp.com"],
        "the leaver's open invite"
    );
    // an active employee's invite and a deactivated leaver are matches
    assert_eq!(
        keys(Category::Matched),
        [
            "zoom_user:pending:ivy@corp.com",
            "zoom_user:2",
            "zoom_user:4"
        ]
    );
}

/// #14 bug 9: a standalone sandbox's roster, imported with the command the
/// sandbox prints, lands in the same categories as `--demo` with the same
/// seed (which stores the org's alias domain with its roster). Real HTTP
/// sync, real SQLite files, the `employees import` command function.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_roster_import_matches_as_demo_does() {
    use zoomscope::employees::{EmployeesConfig, Report};
    use zoomscope::sandbox::{Sandbox, SandboxConfig};
    use zoomscope::sync::SyncOptions;
    use zoomscope::zoom::{ClientConfig, Secret, ZoomClient};

    let sb = Sandbox::start(SandboxConfig {
        users: 300,
        seed: 7,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
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
    let graph = zoomscope::sync::run(&client, &opts, tx)
        .await
        .unwrap()
        .graph;
    let org = sb.org();
    let match_opts = MatchOptions::new(org.reference_time.date_naive());
    let report = |conn: &rusqlite::Connection, profile: &str| -> Report {
        employees::report_from_store(&graph, conn, profile, &match_opts)
            .unwrap()
            .unwrap()
    };

    // --demo
    let (_d1, demo) = employees_support::db();
    employees::import_demo_roster(
        &demo,
        "demo",
        &sb.roster_csv(),
        &[vec![
            org.account.domain.clone(),
            org.account.alias_domain.clone(),
        ]],
        chrono::Utc::now(),
    )
    .unwrap();
    let demo_counts = report(&demo, "demo").counts();

    // standalone: `zoomscope sandbox --roster FILE`, then the printed import
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, sb.roster_csv()).unwrap();
    let printed = zoomscope::cli::sandbox::startup_json(&sb, Some(&file));
    let command = printed["roster_import"]
        .as_str()
        .expect("the startup JSON names the roster import command");
    let text = zoomscope::cli::sandbox::startup_text(&sb, Some(&file));
    assert!(text.contains(command), "{text}");
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[..3], ["zoomscope", "employees", "import"]);
    let alias_domains: Vec<String> = words
        .windows(2)
        .filter(|w| w[0] == "--alias-domain")
        .map(|w| w[1].to_string())
        .collect();
    assert_eq!(alias_domains.len(), 1, "{command}");
    let (_d2, standalone) = employees_support::db();
    let mut out = Vec::new();
    zoomscope::cli::employees::import_cmd(
        &standalone,
        "default",
        &EmployeesConfig::default(),
        &zoomscope::cli::employees::ImportArgs {
            file: file.clone(),
            json: true,
            strict: false,
            columns: vec![],
            alias_domains,
        },
        chrono::Utc::now(),
        &mut out,
    )
    .unwrap();
    assert_eq!(report(&standalone, "default").counts(), demo_counts);
    // …which the alias domain is needed for: without it the counts differ.
    let (_d3, plain) = employees_support::db();
    let args = zoomscope::cli::employees::ImportArgs {
        file,
        json: true,
        strict: false,
        columns: vec![],
        alias_domains: vec![],
    };
    zoomscope::cli::employees::import_cmd(
        &plain,
        "default",
        &EmployeesConfig::default(),
        &args,
        chrono::Utc::now(),
        &mut Vec::new(),
    )
    .unwrap();
    assert_ne!(report(&plain, "default").counts(), demo_counts);
    sb.shutdown().await;
}
