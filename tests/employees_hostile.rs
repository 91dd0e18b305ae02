//! Hostile and broken rosters: every structural problem is refused with a
//! message naming what and where (line, column, element index, field), and
//! nothing is read beyond the size cap.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod employees_support;

use std::process::ExitCode;

use employees_support::{db, now};
use zoomscope::cli::employees::{ImportArgs, import_cmd};
use zoomscope::employees::roster::{self, parse, read_text};
use zoomscope::employees::{ColumnOverrides, EmployeesConfig, RosterError};

fn no_overrides() -> ColumnOverrides {
    ColumnOverrides::new()
}

fn reasons(r: &[zoomscope::employees::RowError]) -> Vec<(u64, String)> {
    r.iter().map(|e| (e.line, e.reason.clone())).collect()
}

#[test]
fn rows_with_more_cells_than_the_header_are_refused_by_line() {
    let csv = "email,name\na@corp.com,A\nb@corp.com,B,Sales\nc@corp.com,C\n";
    let r = parse(csv, &no_overrides()).unwrap();
    assert_eq!(r.employees.len(), 2);
    assert_eq!(
        reasons(&r.errors),
        vec![(
            3,
            "3 cells but the header has 2: cell 3 (\"Sales\") belongs to no column".to_string()
        )]
    );
}

#[test]
fn a_column_named_twice_is_an_error_naming_both() {
    for csv in [
        "email,name,email\na@corp.com,A,b@corp.com\n",
        "Email,name,E-Mail\na@corp.com,A,b@corp.com\n",
    ] {
        let e = parse(csv, &no_overrides()).unwrap_err();
        assert!(matches!(e, RosterError::DuplicateColumn { .. }), "{e}");
        let m = e.to_string();
        assert!(m.contains("column 1") && m.contains("column 3"), "{m}");
        assert!(m.starts_with("the email column appears twice"), "{m}");
    }
    // Different spellings of one field still pick by the alias order, as documented.
    let r = parse("work_email,email\na@corp.com,b@corp.com\n", &no_overrides()).unwrap();
    assert_eq!(r.employees[0].email, "b@corp.com");
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let mut csv = String::from("email,name\na@corp.com,A\nb@corp.com,\"Bee\nc@corp.com,C\n");
    for i in 0..100 {
        csv.push_str(&format!("u{i}@corp.com,U\n"));
    }
    let e = parse(&csv, &no_overrides()).unwrap_err();
    assert!(
        matches!(
            e,
            RosterError::UnclosedQuote {
                line: 3,
                column: 12
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("line 3, column 12: a quote opens"),
        "{e}"
    );
    // Quotes that do close (escaped, spanning lines) are fine.
    let ok = "email,name\na@corp.com,\"A \"\"Ace\"\"\nTwo\"\nb@corp.com,x\"y\n";
    let r = parse(ok, &no_overrides()).unwrap();
    assert_eq!(r.employees.len(), 2, "{:?}", r.errors);
    assert_eq!(r.employees[1].line, 4);
}

#[test]
fn json_errors_name_the_element_and_field() {
    // Minified: every element is on line 1, so the index is what tells them apart.
    let json = r#"[{"email":"a@corp.com","first_name":"A"},{"email":["b@corp.com"]},{"email":"c@corp.com","first_name":5},{"name":"no mail"},{"email":"d@corp.com","employee_id":7,"other_emails":["x@corp.io",3]},{"email":"e@corp.com","Email":"f@corp.com"},"text"]"#;
    let r = parse(json, &no_overrides()).unwrap();
    assert_eq!(
        r.employees
            .iter()
            .map(|e| e.email.as_str())
            .collect::<Vec<_>>(),
        ["a@corp.com"]
    );
    let got = reasons(&r.errors);
    let want = [
        "element [1]: field email (key \"email\"): expected a string, found an array",
        "element [2]: field first_name (key \"first_name\"): expected a string, found a number",
        "element [3]: no email",
        "element [4]: field other_emails (key \"other_emails\"): expected an array of strings, found item [1] is a number",
        "element [5]: keys \"email\" and \"Email\" name the same column",
        "element [6]: expected an object, found a string",
    ];
    assert_eq!(
        got.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>(),
        want
    );
    assert!(got.iter().all(|(l, _)| *l == 1));
    // Exact duplicate keys are seen too (a JSON map would keep the last).
    let r = parse(
        r#"[{"email":"a@corp.com","email":"b@corp.com"}]"#,
        &no_overrides(),
    )
    .unwrap();
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert!(r.employees.is_empty());
}

#[test]
fn a_json_array_without_objects_is_not_a_roster() {
    for (json, found) in [
        ("[1,2,3]", "element [0] is a number"),
        ("[\"a@corp.com\"]", "element [0] is a string"),
        ("{\"email\":\"a@corp.com\"}", "found an object"),
    ] {
        let e = parse(json, &no_overrides()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("the JSON roster must be an array of objects ({found})"),
            "{json}"
        );
    }
}

#[test]
fn one_email_in_two_cases_is_a_warning_naming_both_lines() {
    let csv = "employee_id,email\nE1,same@corp.com\nE2,SAME@corp.com\nE3,other@corp.com\n";
    let r = parse(csv, &no_overrides()).unwrap();
    assert_eq!(r.employees.len(), 3);
    assert_eq!(
        reasons(&r.warnings),
        vec![(
            3,
            "email same@corp.com is also on line 2 (compared ignoring case); matching will report these rows as ambiguous"
                .to_string()
        )]
    );
    // Without employee ids the second row is the same employee: refused.
    let r = parse("email\nsame@corp.com\nSAME@corp.com\n", &no_overrides()).unwrap();
    assert_eq!(r.employees.len(), 1);
    assert_eq!(r.errors[0].line, 3);
}

#[test]
fn other_encodings_are_refused_with_a_line_and_column() {
    // Latin-1 "é" on line 3.
    let mut latin1 = b"email,name\na@corp.com,A\nb@corp.com,Ren".to_vec();
    latin1.extend_from_slice(&[0xE9, b'\n']);
    let e = read_text(&latin1[..], 256).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column 15: byte 0xE9 is not UTF-8 (Latin-1 or Windows-1252?); save the roster as UTF-8"
    );
    // UTF-16 with and without a byte-order mark.
    let utf16: Vec<u8> = "email\na@corp.com\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let e = read_text(&utf16[..], 256).unwrap_err();
    assert!(
        e.to_string().starts_with("line 1, column 2: a NUL byte"),
        "{e}"
    );
    let mut bom = vec![0xFF, 0xFE];
    bom.extend_from_slice(&utf16);
    let e = read_text(&bom[..], 256).unwrap_err();
    assert!(e.to_string().contains("UTF-16 byte-order mark"), "{e}");
    // Multi-byte characters count as one column.
    let mut t = "email\nZoë,".as_bytes().to_vec();
    t.push(0xFF);
    let e = read_text(&t[..], 256).unwrap_err();
    assert!(e.to_string().starts_with("line 2, column 5:"), "{e}");
}

#[test]
fn reading_stops_at_the_size_cap() {
    // An endless stream of valid text stops just past 1 MiB.
    let e = read_text(std::io::repeat(b'a'), 1).unwrap_err();
    assert!(
        matches!(
            e,
            RosterError::TooLarge {
                limit: 1_048_576,
                mib: 1
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("max_roster_mib"), "{e}");
    // Up to the cap is fine.
    let exact = vec![b'a'; 1024 * 1024];
    assert_eq!(read_text(&exact[..], 1).unwrap().len(), 1024 * 1024);
    assert_eq!(
        roster::DEFAULT_MAX_ROSTER_MIB,
        EmployeesConfig::default().max_roster_mib()
    );
}

fn import(path: &std::path::Path, cfg: &EmployeesConfig) -> anyhow::Result<ExitCode> {
    let (_dir, conn) = db();
    import_cmd(
        &conn,
        "default",
        cfg,
        &ImportArgs {
            file: path.to_path_buf(),
            json: true,
            strict: false,
            columns: vec![],
            alias_domains: vec![],
        },
        now(),
        &mut Vec::new(),
    )
}

#[test]
fn import_refuses_dev_zero_and_files_over_the_configured_cap() {
    let started = std::time::Instant::now();
    let e = import(
        std::path::Path::new("/dev/zero"),
        &EmployeesConfig::default(),
    )
    .unwrap_err();
    let m = format!("{e:#}");
    assert!(
        m.starts_with("/dev/zero: line 1, column 1: a NUL byte"),
        "{m}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));

    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.csv");
    let mut text = String::from("email\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("someone.with.a.long.name@corp.example\n");
    }
    std::fs::write(&big, &text).unwrap();
    let cfg: EmployeesConfig = toml::from_str("max_roster_mib = 1").unwrap();
    let m = format!("{:#}", import(&big, &cfg).unwrap_err());
    assert!(m.contains("big.csv"), "{m}");
    assert!(
        m.contains("larger than 1048576 bytes (1 MiB, the [employees] max_roster_mib setting)"),
        "{m}"
    );
    // With the default cap the same file imports.
    assert_eq!(
        import(&big, &EmployeesConfig::default()).unwrap(),
        ExitCode::SUCCESS
    );
}
