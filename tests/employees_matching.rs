//! Matching order, categories, manual link/unlink precedence (stored in a
//! real SQLite file) and the graph overlay.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod employees_support;

use employees_support::{db, graph, now, today, user};
use zoomscope::employees::{
    self, AliasDomains, Category, ColumnOverrides, EmployeesError, ImportOptions, MatchOptions,
    MatchedBy, Report,
};
use zoomscope::graph::{EntityType, RelType};

const ROSTER: &str = "\
employee_id,first_name,last_name,email,status,termination_date,other_emails,department
E001,Jane,Doe,jane@corp.com,active,,,Eng
E002,Bob,Roe,bob@corp.com,active,,,Eng
E003,Ann,Lee,ann@corp.com,active,,ann.lee@gmail.com,Ops
E004,Tom,Gone,tom@corp.com,terminated,2026-06-30,,Sales
E005,Sue,Left,sue@corp.com,active,2026-01-15,,Sales
E006,Max,Never,max@corp.com,active,,,Eng
E007,Pat,Twin,shared@corp.com,active,,,Ops
E008,Sam,Twin,shared@corp.com,active,,,Ops
E009,Kim,Uid,kim.hr@corp.com,active,,,HR
E010,Leo,Later,leo@corp.com,terminated,2026-01-01,,HR
E011,Ivy,Rehire,ivy@corp.com,pending,,,HR
E012,Zed,Zoomless,zed@corp.com,terminated,2025-05-05,,HR
E013,Una,Uid,una@corp.com,active,,,HR
";

fn options() -> MatchOptions {
    MatchOptions {
        alias_domains: AliasDomains::new([vec!["corp.com", "corp.io"]]),
        today: today(),
    }
}

fn setup() -> (
    tempfile::TempDir,
    rusqlite::Connection,
    zoomscope::graph::Graph,
) {
    let (dir, conn) = db();
    let out = employees::import_text(
        &conn,
        "default",
        ROSTER,
        &ImportOptions {
            strict: true,
            columns: ColumnOverrides::new(),
            alias_domains: vec![],
            source: "roster.csv".into(),
            now: now(),
        },
    )
    .unwrap();
    assert_eq!(out.imported, 13, "{:?}", out.errors);
    let g = graph(&[
        // uid beats e-mail: bob@ is E002's address, but the unique id says E013
        user("zoom_user:u1", "Bob@Corp.com", "active").uid("E013"),
        // alias domain
        user("zoom_user:u2", " JANE@corp.io ", "active"),
        // a secondary e-mail from the roster
        user("zoom_user:u3", "ann.lee@GMAIL.com", "active"),
        // terminated, Zoom still active: the offboarding gap
        user("zoom_user:u4", "tom@corp.com", "active"),
        // past termination date means terminated; Zoom inactive: fine
        user("zoom_user:u5", "sue@corp.com", "inactive"),
        // two roster rows share this address
        user("zoom_user:u6", "shared@corp.com", "active"),
        // contractor with the same name as an unmatched employee
        user("zoom_user:u7", "max.never@agency.com", "active").named("Max", "Never"),
        // uid match where the e-mails differ entirely
        user("zoom_user:u8", "kim@personal.net", "active").uid("E009"),
        // pending Zoom invite of a terminated employee: not "active"
        user("zoom_user:pending:leo@corp.com", "leo@corp.com", "pending"),
    ]);
    (dir, conn, g)
}

fn pairs(r: &Report, c: Category) -> Vec<(String, String)> {
    r.rows(c)
        .iter()
        .map(|row| {
            (
                row.user.as_ref().map(|u| u.key.clone()).unwrap_or_default(),
                row.employee
                    .as_ref()
                    .and_then(|e| e.employee_id.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn p(u: &str, e: &str) -> (String, String) {
    (u.to_string(), e.to_string())
}

#[test]
fn matching_order_and_categories() {
    let (_dir, conn, g) = setup();
    let r = employees::report_from_store(&g, &conn, "default", &options())
        .unwrap()
        .unwrap();
    let by = |u: &str| {
        [Category::Matched, Category::TerminatedButActive]
            .into_iter()
            .flat_map(|c| r.rows(c))
            .find(|row| row.user.as_ref().unwrap().key == u)
            .and_then(|row| row.matched_by)
    };
    assert_eq!(by("zoom_user:u1"), Some(MatchedBy::EmployeeUniqueId));
    assert_eq!(by("zoom_user:u2"), Some(MatchedBy::AliasDomain));
    assert_eq!(by("zoom_user:u3"), Some(MatchedBy::OtherEmail));
    assert_eq!(by("zoom_user:u4"), Some(MatchedBy::Email));
    assert_eq!(by("zoom_user:u8"), Some(MatchedBy::EmployeeUniqueId));

    assert_eq!(
        pairs(&r, Category::TerminatedButActive),
        vec![p("zoom_user:u4", "E004")]
    );
    assert_eq!(
        pairs(&r, Category::Matched),
        vec![
            p("zoom_user:u3", "E003"),
            p("zoom_user:u1", "E013"),
            p("zoom_user:u2", "E001"),
            p("zoom_user:u8", "E009"),
            p("zoom_user:pending:leo@corp.com", "E010"),
            p("zoom_user:u5", "E005"),
        ]
    );
    assert_eq!(
        pairs(&r, Category::Ambiguous),
        vec![p("zoom_user:u6", "E007"), p("zoom_user:u6", "E008")]
    );
    assert!(
        r.rows(Category::Ambiguous)
            .iter()
            .all(|row| row.ambiguity_group == Some(1))
    );
    assert_eq!(
        pairs(&r, Category::NotAnEmployee),
        vec![p("zoom_user:u7", "")]
    );
    // E011 (not started) and E012 (left, no Zoom user) are not gaps.
    assert_eq!(
        pairs(&r, Category::EmployeeWithoutZoom),
        vec![p("", "E002"), p("", "E006")]
    );
    // Name similarity only suggests, in both directions.
    let contractor = &r.rows(Category::NotAnEmployee)[0];
    assert_eq!(contractor.suggestions.len(), 1);
    assert_eq!(contractor.suggestions[0].key, "employee:E006");
    assert_eq!(contractor.suggestions[0].reason, "same name");
    let max = &r.rows(Category::EmployeeWithoutZoom)[1];
    assert_eq!(max.suggestions[0].key, "zoom_user:u7");
    assert!(
        r.rows(Category::EmployeeWithoutZoom)[0]
            .suggestions
            .is_empty()
    );
    assert_eq!(
        r.counts(),
        vec![
            (Category::TerminatedButActive, 1),
            (Category::NotAnEmployee, 1),
            (Category::EmployeeWithoutZoom, 2),
            (Category::Ambiguous, 2),
            (Category::Matched, 6),
        ]
    );
}

#[test]
fn without_alias_domains_the_alias_address_is_not_matched() {
    let (_dir, conn, g) = setup();
    let r = employees::report_from_store(&g, &conn, "default", &MatchOptions::new(today()))
        .unwrap()
        .unwrap();
    assert!(
        pairs(&r, Category::NotAnEmployee).contains(&p("zoom_user:u2", "")),
        "{:?}",
        pairs(&r, Category::NotAnEmployee)
    );
    assert!(pairs(&r, Category::EmployeeWithoutZoom).contains(&p("", "E001")));
}

#[test]
fn manual_link_and_unlink_win_and_are_stored() {
    let (_dir, conn, g) = setup();
    // link the contractor to E006; resolve the user by e-mail, the employee by id
    employees::link(
        &conn,
        "default",
        Some(&g),
        "MAX.never@agency.com",
        "E006",
        now(),
    )
    .unwrap();
    // resolve one of the ambiguous pair by hand: u6 is E008
    employees::link(
        &conn,
        "default",
        Some(&g),
        "zoom_user:u6",
        "sam.twin-does-not-exist",
        now(),
    )
    .map(|_| ())
    .unwrap_err();
    employees::link(&conn, "default", Some(&g), "zoom_user:u6", "E008", now()).unwrap();
    // a manual link beats a unique-id match
    employees::link(&conn, "default", Some(&g), "zoom_user:u8", "E002", now()).unwrap();
    // an unlink beats an e-mail match: u4 is not E004 after all
    employees::unlink(
        &conn,
        "default",
        Some(&g),
        "zoom_user:u4",
        "tom@corp.com",
        now(),
    )
    .unwrap();

    let r = employees::report_from_store(&g, &conn, "default", &options())
        .unwrap()
        .unwrap();
    let find = |u: &str| {
        [Category::Matched, Category::TerminatedButActive]
            .into_iter()
            .flat_map(|c| r.rows(c))
            .find(|row| row.user.as_ref().unwrap().key == u)
            .map(|row| {
                (
                    row.employee.as_ref().unwrap().employee_id.clone().unwrap(),
                    row.matched_by.unwrap(),
                )
            })
    };
    assert_eq!(
        find("zoom_user:u7"),
        Some(("E006".into(), MatchedBy::Manual))
    );
    assert_eq!(
        find("zoom_user:u6"),
        Some(("E008".into(), MatchedBy::Manual))
    );
    assert_eq!(
        find("zoom_user:u8"),
        Some(("E002".into(), MatchedBy::Manual))
    );
    assert_eq!(find("zoom_user:u4"), None);
    assert!(r.rows(Category::TerminatedButActive).is_empty());
    assert!(r.rows(Category::Ambiguous).is_empty());
    let not_emp = pairs(&r, Category::NotAnEmployee);
    assert_eq!(not_emp, vec![p("zoom_user:u4", "")]);
    // E007 lost its only candidate to the manual link; E004 is a leaver with
    // no Zoom user now (not a gap); E009 lost u8 to the manual link.
    assert_eq!(
        pairs(&r, Category::EmployeeWithoutZoom),
        // by e-mail: kim.hr@ before shared@
        vec![p("", "E009"), p("", "E007")]
    );

    // A later decision on the same pair replaces the earlier one.
    employees::link(&conn, "default", Some(&g), "tom@corp.com", "E004", now()).unwrap();
    let r = employees::report_from_store(&g, &conn, "default", &options())
        .unwrap()
        .unwrap();
    assert_eq!(
        pairs(&r, Category::TerminatedButActive),
        vec![p("zoom_user:u4", "E004")]
    );
    assert_eq!(
        r.rows(Category::TerminatedButActive)[0].matched_by,
        Some(MatchedBy::Manual)
    );
    // Relinking a user moves it: u8 now E009 again, E002 free.
    employees::link(&conn, "default", Some(&g), "zoom_user:u8", "E009", now()).unwrap();
    let d = employees::storage::decisions(&conn, "default").unwrap();
    assert_eq!(
        d.iter()
            .filter(|d| d.user_ref == "zoom_user:u8")
            .map(|d| d.employee_key.as_str())
            .collect::<Vec<_>>(),
        vec!["employee:E009"]
    );
}

#[test]
fn decisions_survive_a_new_roster_import() {
    let (_dir, conn, g) = setup();
    employees::unlink(&conn, "default", Some(&g), "zoom_user:u4", "E004", now()).unwrap();
    employees::import_text(
        &conn,
        "default",
        ROSTER,
        &ImportOptions {
            strict: true,
            columns: ColumnOverrides::new(),
            alias_domains: vec![],
            source: "roster-2.csv".into(),
            now: now(),
        },
    )
    .unwrap();
    let r = employees::report_from_store(&g, &conn, "default", &options())
        .unwrap()
        .unwrap();
    assert!(r.rows(Category::TerminatedButActive).is_empty());
}

#[test]
fn bad_link_arguments_are_clear_errors() {
    let (_dir, conn, g) = setup();
    assert!(matches!(
        employees::link(&conn, "default", Some(&g), "nobody@corp.com", "E001", now()),
        Err(EmployeesError::UnknownUser(_))
    ));
    assert!(matches!(
        employees::link(&conn, "default", Some(&g), "zoom_user:nope", "E001", now()),
        Err(EmployeesError::UnknownUser(_))
    ));
    assert!(matches!(
        employees::link(&conn, "default", Some(&g), "zoom_user:u1", "E999", now()),
        Err(EmployeesError::UnknownEmployee(_))
    ));
    assert!(matches!(
        employees::link(
            &conn,
            "default",
            Some(&g),
            "zoom_user:u1",
            "shared@corp.com",
            now()
        ),
        Err(EmployeesError::AmbiguousEmployee(..))
    ));
    let (_d2, empty) = db();
    assert!(matches!(
        employees::link(&empty, "default", Some(&g), "zoom_user:u1", "E001", now()),
        Err(EmployeesError::NoRoster)
    ));
}

#[test]
fn overlay_adds_person_entities_and_is_relationships() {
    let (_dir, conn, mut g) = setup();
    let users_before = g.of_type(EntityType::User).len();
    let report = employees::overlay(&mut g, &conn, "default", &options())
        .unwrap()
        .unwrap();
    assert_eq!(g.of_type(EntityType::Employee).len(), 13);
    assert_eq!(g.of_type(EntityType::User).len(), users_before);
    let tom = g.get("employee:E004").unwrap();
    assert_eq!(tom.etype.class(), "Person");
    let j = tom.to_json();
    assert_eq!(j["_type"], "employee");
    assert_eq!(j["_class"], "Person");
    assert_eq!(j["employeeId"], "E004");
    assert_eq!(j["email"], "tom@corp.com");
    assert_eq!(j["name"], "Tom Gone");
    assert_eq!(j["firstName"], "Tom");
    assert_eq!(j["lastName"], "Gone");
    assert_eq!(j["department"], "Sales");
    assert_eq!(j["status"], "terminated");
    assert_eq!(j["terminationDate"], "2026-06-30");
    assert_eq!(j["active"], false);
    // a past termination date makes the Person terminated even when the
    // status column says active
    assert_eq!(
        g.get("employee:E005").unwrap().to_json()["status"],
        "terminated"
    );
    assert_eq!(
        g.get("employee:E003").unwrap().to_json()["otherEmails"][0],
        "ann.lee@gmail.com"
    );

    let u4 = g.id_of("zoom_user:u4").unwrap();
    let targets: Vec<_> = g.targets(u4, RelType::UserIsEmployee).collect();
    assert_eq!(targets, vec![g.id_of("employee:E004").unwrap()]);
    let rel = g.outgoing(u4)[0];
    let rj = g.relationship_json(rel);
    assert_eq!(rj["_key"], "zoom_user:u4|is|employee:E004");
    assert_eq!(rj["_class"], "IS");
    assert_eq!(rj["_type"], "zoom_user_is_employee");
    assert_eq!(rj["matchedBy"], "email");
    // matched + terminated_but_active rows, one IS each; none for ambiguous
    let is_count = g
        .relationships()
        .filter(|(_, r)| r.rtype == RelType::UserIsEmployee)
        .count();
    assert_eq!(
        is_count,
        report.count(Category::Matched) + report.count(Category::TerminatedButActive)
    );
    assert!(
        g.targets(g.id_of("zoom_user:u6").unwrap(), RelType::UserIsEmployee)
            .next()
            .is_none()
    );

    // Overlaying again adds nothing, and a report on the overlaid graph is
    // the same as before.
    let n = (g.entity_count(), g.relationship_count());
    let again = employees::overlay(&mut g, &conn, "default", &options())
        .unwrap()
        .unwrap();
    assert_eq!((g.entity_count(), g.relationship_count()), n);
    assert_eq!(again.counts(), report.counts());
    assert_eq!(
        report
            .employee_of("zoom_user:u4")
            .unwrap()
            .employee
            .as_ref()
            .unwrap()
            .key,
        "employee:E004"
    );
}

#[test]
fn no_roster_means_no_overlay() {
    let (_dir, conn) = db();
    let mut g = graph(&[user("zoom_user:1", "a@corp.com", "active")]);
    assert!(
        employees::overlay(&mut g, &conn, "default", &options())
            .unwrap()
            .is_none()
    );
    assert_eq!(g.entity_count(), 1);
}

#[test]
fn alias_domains_stored_with_the_roster_apply_without_config() {
    let (_dir, conn, g) = setup();
    employees::import_demo_roster(
        &conn,
        "default",
        ROSTER,
        &[vec!["corp.com".to_string(), "corp.io".to_string()]],
        now(),
    )
    .unwrap();
    let data = employees::load(&conn, "default").unwrap().unwrap();
    assert_eq!(data.info.alias_domains, vec![vec!["corp.com", "corp.io"]]);
    assert!(
        data.info.source.starts_with("demo roster "),
        "{}",
        data.info.source
    );
    // The same roster again is not stored twice.
    let again = employees::import_demo_roster(
        &conn,
        "default",
        ROSTER,
        &[vec!["corp.com".to_string(), "corp.io".to_string()]],
        now(),
    )
    .unwrap();
    assert!(again.is_none());
    assert_eq!(
        employees::load(&conn, "default").unwrap().unwrap().info.id,
        data.info.id
    );
    let r = data.report(&g, &MatchOptions::new(today()));
    let u2 = r.employee_of("zoom_user:u2").unwrap();
    assert_eq!(u2.matched_by, Some(MatchedBy::AliasDomain));
}
