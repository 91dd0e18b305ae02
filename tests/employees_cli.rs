//! The `employees` command functions against a real roster file and SQLite
//! file: exact `--json` shapes, exit codes, and the text report's order.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod employees_support;

use std::process::ExitCode;

use employees_support::{db, graph, now, user};
use serde_json::Value;
use zoomscope::cli::employees::{
    DecisionArgs, ImportArgs, ReportArgs, decision_cmd, import_cmd, report_cmd,
};
use zoomscope::employees::{Category, DecisionKind, EmployeesConfig};

const ROSTER: &str = "\u{feff}Employee ID,Name,Work Email,Status,End Date\r\n\
E1,Jane Doe,jane@corp.com,active,\r\n\
E2,Tom Gone,TOM@corp.com,terminated,2026-06-30\r\n\
E3,Max Never,max@corp.com,active,\r\n\
E4,,,active,\r\n\
E5,Pat One,shared@corp.com,,\r\n\
E6,Sam Two,shared@corp.com,,\r\n\
E5,Dup Id,dup@corp.com,,\r\n";

fn write_roster(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn run_import(conn: &rusqlite::Connection, args: &ImportArgs) -> (ExitCode, String) {
    let mut out = Vec::new();
    let code = import_cmd(
        conn,
        "default",
        &EmployeesConfig::default(),
        args,
        now(),
        &mut out,
    )
    .unwrap();
    (code, String::from_utf8(out).unwrap())
}

fn zoom() -> zoomscope::graph::Graph {
    graph(&[
        user("zoom_user:1", "jane@corp.com", "active"),
        user("zoom_user:2", "tom@corp.com", "active"),
        user("zoom_user:3", "contractor@agency.com", "active"),
        user("zoom_user:4", "shared@corp.com", "active"),
    ])
}

#[test]
fn import_json_shape_and_exit_codes() {
    let (dir, conn) = db();
    let file = write_roster(&dir, ROSTER);
    let args = ImportArgs {
        file: file.clone(),
        json: true,
        strict: false,
        columns: vec![],
        alias_domains: vec![],
    };
    let (code, out) = run_import(&conn, &args);
    assert_eq!(code, ExitCode::SUCCESS);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "imported": 5,
            "errors": [
                {"line": 5, "reason": "no email"},
                {"line": 8, "reason": "duplicate employee_id E5 (first on line 6)"},
            ],
            // E5 and E6 share an address: both kept, and said so.
            "warnings": [
                {"line": 7, "reason": "email shared@corp.com is also on line 6 (compared ignoring case); matching will report these rows as ambiguous"},
            ]
        })
    );
    // --strict: nothing imported, exit 2, same error list
    let (code, out) = run_import(
        &conn,
        &ImportArgs {
            strict: true,
            ..args.clone()
        },
    );
    assert_eq!(code, ExitCode::from(2));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["imported"], 0);
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
    // text output lists the bad rows with their lines
    let (_, text) = run_import(
        &conn,
        &ImportArgs {
            json: false,
            ..args
        },
    );
    assert!(
        text.starts_with("Imported 5 employees from roster.csv"),
        "{text}"
    );
    assert!(text.contains("  line 5: no email\n"), "{text}");
}

#[test]
fn import_with_a_column_override() {
    let (dir, conn) = db();
    let file = write_roster(&dir, "Mail Address,Who\nx@corp.com,X\n");
    let args = ImportArgs {
        file,
        json: true,
        strict: false,
        columns: vec!["email=mail address".into(), "name=WHO".into()],
        alias_domains: vec![],
    };
    let (code, out) = run_import(&conn, &args);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["imported"], 1);
    // without it the file has no e-mail column: an error, not a row list
    let mut out = Vec::new();
    let err = import_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        &ImportArgs {
            columns: vec![],
            alias_domains: vec![],
            ..args
        },
        now(),
        &mut out,
    )
    .unwrap_err();
    assert!(err.to_string().contains("no e-mail column"), "{err}");
}

#[test]
fn report_json_shape() {
    let (dir, conn) = db();
    let file = write_roster(&dir, ROSTER);
    run_import(
        &conn,
        &ImportArgs {
            file,
            json: true,
            strict: false,
            columns: vec![],
            alias_domains: vec![],
        },
    );
    let g = zoom();
    let mut out = Vec::new();
    report_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        Some(&g),
        &ReportArgs {
            json: true,
            category: None,
        },
        now(),
        &mut out,
    )
    .unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), vec!["categories"]);
    let cats = v["categories"].as_object().unwrap();
    let mut names: Vec<&str> = cats.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "ambiguous",
            "employee_without_zoom",
            "matched",
            "not_an_employee",
            "terminated_but_active"
        ]
    );
    for (cat, rows) in cats {
        for row in rows.as_array().unwrap() {
            for k in ["user_key", "user_email", "employee_id", "employee_email"] {
                assert!(row.get(k).is_some(), "{cat} row lacks {k}: {row}");
            }
        }
    }
    let row = |c: &str, i: usize| {
        let r = &cats[c][i];
        (
            r["user_key"].clone(),
            r["user_email"].clone(),
            r["employee_id"].clone(),
            r["employee_email"].clone(),
        )
    };
    let s = |x: &str| Value::from(x);
    assert_eq!(
        row("terminated_but_active", 0),
        (
            s("zoom_user:2"),
            s("tom@corp.com"),
            s("E2"),
            s("tom@corp.com")
        )
    );
    assert_eq!(
        row("matched", 0),
        (
            s("zoom_user:1"),
            s("jane@corp.com"),
            s("E1"),
            s("jane@corp.com")
        )
    );
    assert_eq!(
        row("not_an_employee", 0),
        (
            s("zoom_user:3"),
            s("contractor@agency.com"),
            Value::Null,
            Value::Null
        )
    );
    assert_eq!(
        row("employee_without_zoom", 0),
        (Value::Null, Value::Null, s("E3"), s("max@corp.com"))
    );
    assert_eq!(cats["ambiguous"].as_array().unwrap().len(), 2);
    assert_eq!(
        cats["terminated_but_active"][0]["termination_date"],
        "2026-06-30"
    );
    assert_eq!(cats["terminated_but_active"][0]["matched_by"], "email");

    // --category keeps only that category
    let mut out = Vec::new();
    report_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        Some(&g),
        &ReportArgs {
            json: true,
            category: Some(Category::NotAnEmployee),
        },
        now(),
        &mut out,
    )
    .unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["categories"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        vec!["not_an_employee"]
    );
}

#[test]
fn text_report_puts_the_offboarding_gap_first() {
    let (dir, conn) = db();
    let file = write_roster(&dir, ROSTER);
    run_import(
        &conn,
        &ImportArgs {
            file,
            json: false,
            strict: false,
            columns: vec![],
            alias_domains: vec![],
        },
    );
    let g = zoom();
    let mut out = Vec::new();
    report_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        Some(&g),
        &ReportArgs {
            json: false,
            category: None,
        },
        now(),
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let pos = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing in\n{text}"))
    };
    assert!(pos("  terminated_but_active        1") < pos("  not_an_employee              1"));
    assert!(pos("\nterminated_but_active (1)") < pos("\nnot_an_employee (1)"));
    assert!(pos("\nnot_an_employee (1)") < pos("\nemployee_without_zoom (1)"));
    assert!(text.contains("zoom_user:2"));
    assert!(text.contains("(matched rows: --category matched)"));

    // link/unlink through the command functions
    let mut out = Vec::new();
    decision_cmd(
        &conn,
        "default",
        Some(&g),
        DecisionKind::Link,
        &DecisionArgs {
            user: "contractor@agency.com".into(),
            employee: "E3".into(),
        },
        now(),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "Linked contractor@agency.com and employee:E3 (stored; wins over automatic matching).\n"
    );
    let mut out = Vec::new();
    report_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        Some(&g),
        &ReportArgs {
            json: true,
            category: None,
        },
        now(),
        &mut out,
    )
    .unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["categories"]["not_an_employee"], serde_json::json!([]));
    assert_eq!(
        v["categories"]["employee_without_zoom"],
        serde_json::json!([])
    );
}

#[test]
fn report_without_a_snapshot_or_roster_is_an_error() {
    let (_dir, conn) = db();
    let args = ReportArgs {
        json: true,
        category: None,
    };
    let mut out = Vec::new();
    let e = report_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        None,
        &args,
        now(),
        &mut out,
    )
    .unwrap_err();
    assert!(e.to_string().contains("zoomscope sync"), "{e}");
    let g = zoom();
    let e = report_cmd(
        &conn,
        "default",
        &EmployeesConfig::default(),
        Some(&g),
        &args,
        now(),
        &mut out,
    )
    .unwrap_err();
    assert!(e.to_string().contains("employees import"), "{e}");
}

#[test]
fn category_names_parse_for_the_flag() {
    use clap::Parser;
    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        r: ReportArgs,
    }
    let t = T::try_parse_from(["t", "--category", "terminated-but-active"]).unwrap();
    assert_eq!(t.r.category, Some(Category::TerminatedButActive));
    assert!(T::try_parse_from(["t", "--category", "nope"]).is_err());
}
