//! End to end with the real binary against the in-process sandbox:
//! `sync`, `employees import FILE --json`, `employees report --json`,
//! `employees link`/`unlink`. (J1QL over the overlay is checked in
//! employees_sandbox.rs through `query::run`; the `query` command is not
//! wired to the store on main yet.)

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use zoomscope::sandbox::{EmployeeCategory, RunningSandbox, Sandbox, SandboxConfig};

fn run(sb: &RunningSandbox, dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_zoomscope"))
        .env("ZOOM_API_URL", sb.api_url())
        .env("ZOOM_OAUTH_URL", sb.oauth_url())
        .env("ZOOM_ACCOUNT_ID", sb.account_id())
        .env("ZOOM_CLIENT_ID", sb.client_id())
        .env("ZOOM_CLIENT_SECRET", sb.client_secret())
        .env("ZOOMSCOPE_CONFIG", dir.join("config.toml"))
        .env("ZOOMSCOPE_DATA_DIR", dir.join("data"))
        .env_remove("ZOOMSCOPE_PROFILE")
        .args(args)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(sb.client_secret())
            && !String::from_utf8_lossy(&out.stderr).contains(sb.client_secret()),
        "secret in output"
    );
    out
}

fn ok_json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_report_link_unlink_through_the_binary() {
    let sb = Sandbox::start(SandboxConfig {
        users: 300,
        seed: 3,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let org = sb.org();
    // The alias domain comes from the config file here (not the flag).
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[employees]\nalias_domains = [[\"{}\", \"{}\"]]\n",
            org.account.domain, org.account.alias_domain
        ),
    )
    .unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, sb.roster_csv()).unwrap();

    let out = run(&sb, dir.path(), &["sync"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let imported = ok_json(&run(
        &sb,
        dir.path(),
        &["employees", "import", roster.to_str().unwrap(), "--json"],
    ));
    assert_eq!(imported["imported"], sb.roster().len());
    assert_eq!(imported["errors"], serde_json::json!([]));

    let report = ok_json(&run(&sb, dir.path(), &["employees", "report", "--json"]));
    let truth = sb.expected_employee_categories();
    let cats = report["categories"].as_object().unwrap();
    assert_eq!(cats.len(), 5);
    let rows = |c: &str| cats[c].as_array().unwrap().clone();
    // Pair categories: one row per pair; single-sided ones: one per side.
    for (c, want) in [
        ("matched", truth.user_count(EmployeeCategory::Matched)),
        (
            "terminated_but_active",
            truth.user_count(EmployeeCategory::TerminatedButActive),
        ),
        (
            "not_an_employee",
            truth.user_count(EmployeeCategory::NotAnEmployee),
        ),
        (
            "employee_without_zoom",
            truth.roster_count(EmployeeCategory::EmployeeWithoutZoom),
        ),
    ] {
        assert_eq!(rows(c).len(), want, "{c}");
    }
    assert!(!rows("ambiguous").is_empty());

    // Link a contractor to a staff member without Zoom, by e-mail and id.
    let contractor = rows("not_an_employee")[0]["user_email"]
        .as_str()
        .unwrap()
        .to_string();
    let hire = rows("employee_without_zoom")[0]["employee_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = run(&sb, dir.path(), &["employees", "link", &contractor, &hire]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let only = ok_json(&run(
        &sb,
        dir.path(),
        &["employees", "report", "--json", "--category", "matched"],
    ));
    let linked: Vec<&Value> = only["categories"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["user_email"] == contractor.as_str())
        .collect();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0]["employee_id"], hire.as_str());
    assert_eq!(linked[0]["matched_by"], "manual");

    // Unlink it again: back to not_an_employee.
    let out = run(
        &sb,
        dir.path(),
        &["employees", "unlink", &contractor, &hire],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = ok_json(&run(
        &sb,
        dir.path(),
        &[
            "employees",
            "report",
            "--json",
            "--category",
            "not_an_employee",
        ],
    ));
    assert!(
        again["categories"]["not_an_employee"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["user_email"] == contractor.as_str())
    );

    // Unknown user: a clear error, non-zero exit.
    let out = run(
        &sb,
        dir.path(),
        &["employees", "link", "nobody@nowhere.example", &hire],
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Zoom user nobody@nowhere.example"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sb.shutdown().await;
}
