//! Roster import against a real SQLite file: messy real-world files import
//! with the right counts and line-numbered messages; --strict, history,
//! column overrides and JSON rosters.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod employees_support;

use employees_support::{db, now, today};
use zoomscope::employees::{
    self, ColumnOverrides, EmployeeStatus, EmployeesConfig, ImportOptions, RosterError,
    roster::parse,
};

fn opts(strict: bool) -> ImportOptions {
    ImportOptions {
        strict,
        columns: ColumnOverrides::new(),
        alias_domains: vec![],
        source: "roster.csv".into(),
        now: now(),
    }
}

/// BOM, CRLF, quoted commas and a quoted newline, upper-case and padded
/// e-mails, an extra column, blank lines, a row of empty cells, and rows
/// with no e-mail, a duplicate id, a bad date, an invalid e-mail and an
/// unknown status.
const MESSY: &str = "\u{feff}Employee ID,First Name,Last Name,Work Email,Department,Title,Manager Email,Status,Termination Date,Personal Email,Favourite Colour\r\n\
E001,Jane,Doe, JANE.DOE@CORP.COM ,Engineering,\"Engineer, Senior\",Boss@Corp.com,Active,,jane@gmail.com,blue\r\n\
\r\n\
E002,\"Multi\r\nLine\",Smith,smith@corp.com,Sales,Rep,,,,,\r\n\
E003,No,Email,,Ops,,,,,,\r\n\
E002,Dup,Id,dup@corp.com,,,,,,,\r\n\
E004,Bad,Date,bad.date@corp.com,,,,Active,31/31/2024,,\r\n\
E005,Old,Leaver,LEAVER@corp.com,,,,Active,2020-01-31,,\r\n\
E006,Bad,Mail,not-an-email,,,,,,,\r\n\
,,,,,,,,,,\r\n\
E007,On,Leave,leave@corp.com,,,,On Leave,,,\r\n\
E008,Odd,Status,odd@corp.com,,,,Contractor,,,\r\n\
\r\n";

#[test]
fn messy_csv_imports_good_rows_and_reports_bad_ones_by_line() {
    let (_dir, conn) = db();
    let out = employees::import_text(&conn, "default", MESSY, &opts(false)).unwrap();
    assert_eq!(out.imported, 4, "E001, E002, E005, E007");
    let errors: Vec<(u64, &str)> = out
        .errors
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    assert_eq!(
        errors,
        vec![
            (6, "no email"),
            (7, "duplicate employee_id E002 (first on line 4)"),
            (
                8,
                "unparseable termination_date \"31/31/2024\" (expected YYYY-MM-DD)"
            ),
            (10, "invalid email \"not-an-email\""),
            (
                13,
                "unrecognised status \"Contractor\" (expected active, leave, pending or terminated)"
            ),
        ]
    );
    // What was stored is what the file said, normalised.
    let data = employees::load(&conn, "default").unwrap().unwrap();
    assert_eq!(data.info.employee_count, 4);
    assert_eq!(data.info.error_count, 5);
    let e = &data.employees;
    assert_eq!(
        e.iter()
            .map(|e| (e.line, e.employee_id.as_deref().unwrap()))
            .collect::<Vec<_>>(),
        vec![(2, "E001"), (4, "E002"), (9, "E005"), (12, "E007")]
    );
    assert_eq!(e[0].email, "jane.doe@corp.com");
    assert_eq!(e[0].title.as_deref(), Some("Engineer, Senior"));
    assert_eq!(e[0].manager_email.as_deref(), Some("boss@corp.com"));
    assert_eq!(e[0].other_emails, vec!["jane@gmail.com".to_string()]);
    assert_eq!(e[1].first_name.as_deref(), Some("Multi\r\nLine"));
    assert_eq!(e[2].email, "leaver@corp.com");
    assert_eq!(e[2].status_on(today()), EmployeeStatus::Terminated);
    assert_eq!(e[3].status, EmployeeStatus::Leave);
}

#[test]
fn lf_and_crlf_files_give_the_same_result() {
    let lf = MESSY.replace("\r\n", "\n");
    let a = parse(MESSY, &ColumnOverrides::new()).unwrap();
    let b = parse(&lf, &ColumnOverrides::new()).unwrap();
    assert_eq!(a.errors, b.errors);
    assert_eq!(a.employees.len(), b.employees.len());
    assert_eq!(b.employees[1].first_name.as_deref(), Some("Multi\nLine"));
}

#[test]
fn strict_imports_nothing_and_keeps_the_previous_roster() {
    let (_dir, conn) = db();
    let good = "email,employee_id\na@corp.com,1\nb@corp.com,2\n";
    let first = employees::import_text(&conn, "default", good, &opts(true)).unwrap();
    assert_eq!(first.imported, 2);
    let out = employees::import_text(&conn, "default", MESSY, &opts(true)).unwrap();
    assert_eq!(out.imported, 0);
    assert!(out.roster.is_none());
    assert_eq!(out.errors.len(), 5);
    let data = employees::load(&conn, "default").unwrap().unwrap();
    assert_eq!(data.info.id, first.roster.unwrap().id);
    assert_eq!(data.employees.len(), 2);
    assert_eq!(
        employees::storage::rosters(&conn, "default").unwrap().len(),
        1
    );
}

#[test]
fn each_import_is_a_new_snapshot_and_history_is_kept() {
    let (_dir, conn) = db();
    employees::import_text(&conn, "default", "email\na@corp.com\n", &opts(false)).unwrap();
    employees::import_text(
        &conn,
        "default",
        "email\nb@corp.com\nc@corp.com\n",
        &opts(false),
    )
    .unwrap();
    employees::import_text(&conn, "other", "email\nz@corp.com\n", &opts(false)).unwrap();
    let hist = employees::storage::rosters(&conn, "default").unwrap();
    assert_eq!(
        hist.iter().map(|r| r.employee_count).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let current = employees::load(&conn, "default").unwrap().unwrap();
    let emails: Vec<&str> = current.employees.iter().map(|e| e.email.as_str()).collect();
    assert_eq!(emails, vec!["b@corp.com", "c@corp.com"]);
    // the first snapshot is still readable
    let old = employees::storage::roster_rows(&conn, hist[0].id).unwrap();
    assert_eq!(old[0].email, "a@corp.com");
    // profiles do not see each other's rosters
    let other = employees::load(&conn, "other").unwrap().unwrap();
    assert_eq!(other.employees.len(), 1);
}

#[test]
fn a_file_of_only_bad_rows_does_not_replace_the_roster() {
    let (_dir, conn) = db();
    employees::import_text(&conn, "default", "email\na@corp.com\n", &opts(false)).unwrap();
    let out = employees::import_text(&conn, "default", "email\n\nnope\n", &opts(false)).unwrap();
    assert_eq!(out.imported, 0);
    assert_eq!(out.errors[0].line, 3);
    assert_eq!(
        employees::load(&conn, "default")
            .unwrap()
            .unwrap()
            .employees[0]
            .email,
        "a@corp.com"
    );
}

#[test]
fn columns_are_found_by_header_or_override() {
    let csv = "Personnel No,Primary Mail,Full Name,Aliases,Secondary Emails\n\
               P1,p1@corp.com,Ann Lee,\"a.lee@corp.io; ann@home.net\",ann.lee@corp.org\n";
    // Without help, there is no e-mail column.
    assert!(matches!(
        parse(csv, &ColumnOverrides::new()),
        Err(RosterError::NoEmailColumn)
    ));
    // Config table plus a --column override (which wins).
    let mut cfg = EmployeesConfig::default();
    cfg.columns.insert("email".into(), "Full Name".into());
    cfg.columns
        .insert("employee_id".into(), "personnel no".into());
    let o = cfg
        .column_overrides(&["email=PRIMARY MAIL".to_string()])
        .unwrap();
    let r = parse(csv, &o).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let e = &r.employees[0];
    assert_eq!(e.email, "p1@corp.com");
    assert_eq!(e.employee_id.as_deref(), Some("P1"));
    assert_eq!(e.name.as_deref(), Some("Ann Lee"));
    // every secondary-email column contributes
    assert_eq!(
        e.other_emails,
        vec!["a.lee@corp.io", "ann@home.net", "ann.lee@corp.org"]
    );
    // An override naming a missing header, or an unknown field, is an error.
    let mut bad = ColumnOverrides::new();
    bad.add_spec("email=Nope").unwrap();
    assert!(matches!(
        parse(csv, &bad),
        Err(RosterError::ColumnNotFound { .. })
    ));
    assert!(matches!(
        ColumnOverrides::new().add_spec("shoe_size=Shoe"),
        Err(RosterError::UnknownField(_))
    ));
}

#[test]
fn json_rosters_report_the_line_each_object_starts_on() {
    let json = "\u{feff}[\n  {\"Work Email\": \"A@Corp.com\", \"employee_id\": 17, \"status\": \"terminated\",\n   \"end_date\": \"2026-01-02\", \"aliases\": [\"a@corp.io\"]},\n  {\"employee_id\": \"18\"},\n  {\"work_email\": \"b@corp.com\", \"termination_date\": \"someday\"},\n  {\"work_email\": \"c@corp.com\", \"name\": \"C \\\"Cee\\\" Day\"}\n]\n";
    let (_dir, conn) = db();
    let out = employees::import_text(&conn, "default", json, &opts(false)).unwrap();
    assert_eq!(out.imported, 2, "{:?}", out.errors);
    assert_eq!(
        out.errors
            .iter()
            .map(|e| (e.line, e.reason.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (4, "element [1]: no email"),
            (
                5,
                "element [2]: unparseable termination_date \"someday\" (expected YYYY-MM-DD)"
            )
        ]
    );
    let data = employees::load(&conn, "default").unwrap().unwrap();
    let a = &data.employees[0];
    assert_eq!(a.line, 2);
    assert_eq!(a.employee_id.as_deref(), Some("17"));
    assert_eq!(a.email, "a@corp.com");
    assert_eq!(a.other_emails, vec!["a@corp.io"]);
    assert_eq!(a.status, EmployeeStatus::Terminated);
    assert_eq!(data.employees[1].name.as_deref(), Some("C \"Cee\" Day"));
}

#[test]
fn file_level_problems_are_errors_not_rows() {
    assert!(matches!(
        parse("", &ColumnOverrides::new()),
        Err(RosterError::Empty)
    ));
    assert!(matches!(
        parse("\r\n\r\n", &ColumnOverrides::new()),
        Err(RosterError::Empty)
    ));
    assert!(matches!(
        parse("[{\"email\": \"a@b.co\"", &ColumnOverrides::new()),
        Err(RosterError::Json { line: 1, .. })
    ));
    assert!(matches!(
        parse("{\"email\": \"a@b.co\"}", &ColumnOverrides::new()),
        Err(RosterError::JsonNotArray(_))
    ));
}

#[test]
fn a_header_after_leading_blank_lines_and_ragged_rows() {
    // Rows shorter than the header are read as far as they go; blank
    // trailing cells beyond it are fine; data beyond it is refused (no
    // column names it).
    let csv = "\n\nemail,name,status\nx@corp.com\nz@corp.com,Z,active,,\ny@corp.com,Y,active,extra,cells\n";
    let r = parse(csv, &ColumnOverrides::new()).unwrap();
    assert_eq!(
        r.employees.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![4, 5]
    );
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].line, 6);
    assert!(
        r.errors[0]
            .reason
            .starts_with("5 cells but the header has 3: cell 4 (\"extra\")"),
        "{:?}",
        r.errors
    );
}
