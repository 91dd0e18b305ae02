//! The Employees pane driven headless against a real roster in a real
//! SQLite file: categories and counts equal `employees::report` on the same
//! data, rows open either side, and unlink (after y) moves the pair.

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use zoomscope::employees::{self, Category, ColumnOverrides, ImportOptions, MatchOptions};
use zoomscope::graph::{EntityType, Graph};
use zoomscope::tui::action::Event;
use zoomscope::tui::app::View;
use zoomscope::tui::detail::DetailKind;
use zoomscope::tui::employees_pane::EmployeesPane;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::pane::PaneKind;
use zoomscope::tui::source::Request;

use crate::support;

const PROFILE: &str = "default";

fn employees_pane(h: &Harness) -> &EmployeesPane {
    h.app.pane::<EmployeesPane>().expect("an Employees pane")
}

fn opts() -> MatchOptions {
    MatchOptions::new(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
}

/// A roster made from the fixture's active users: most match, one is
/// terminated, plus an employee without a Zoom user.
fn roster(g: &Graph) -> String {
    let mut csv = String::from("employee_id,first_name,last_name,email,status,termination_date\n");
    let mut active: Vec<String> = g
        .of_type(EntityType::User)
        .iter()
        .map(|id| g.entity(*id))
        .filter(|e| e.props.str("status") == Some("active"))
        .filter_map(|e| e.props.str("email").map(str::to_string))
        .collect();
    active.sort();
    for (i, email) in active.iter().take(8).enumerate() {
        let (status, term) = if i == 0 {
            ("terminated", "2026-01-01")
        } else {
            ("active", "")
        };
        csv.push_str(&format!("E{i:03},F{i},L{i},{email},{status},{term}\n"));
    }
    csv.push_str("E900,New,Hire,new.hire@example.com,active,\n");
    csv
}

struct Setup {
    _dir: tempfile::TempDir,
    conn: Connection,
    base: Graph,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("zoomscope.db")).unwrap();
    zoomscope::store::migrate(&conn).unwrap();
    let base = support::tui::org(60);
    let out = employees::import_text(
        &conn,
        PROFILE,
        &roster(&base),
        &ImportOptions {
            strict: true,
            columns: ColumnOverrides::new(),
            alias_domains: vec![],
            source: "roster.csv".into(),
            now: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        },
    )
    .unwrap();
    assert_eq!(out.imported, 9, "{:?}", out.errors);
    Setup {
        _dir: dir,
        conn,
        base,
    }
}

/// The latest graph with the overlay, as `Context::latest_graph` makes it.
fn overlaid(s: &Setup) -> Graph {
    let mut g = s.base.clone();
    employees::overlay(&mut g, &s.conn, PROFILE, &opts()).unwrap();
    g
}

/// Carries out the app's employee requests against the real store, as the
/// data source does.
fn serve(h: &mut Harness, s: &Setup) {
    while !h.requests.is_empty() {
        let reqs = std::mem::take(&mut h.requests);
        for r in reqs {
            match r {
                Request::EmployeesReport => {
                    let r = employees::report_from_store(&s.base, &s.conn, PROFILE, &opts())
                        .map_err(|e| e.to_string());
                    h.event(Event::EmployeesReport(r));
                }
                Request::EmployeeDecision {
                    link,
                    user,
                    employee,
                } => {
                    let f = if link {
                        employees::link
                    } else {
                        employees::unlink
                    };
                    f(
                        &s.conn,
                        PROFILE,
                        Some(&s.base),
                        &user,
                        &employee,
                        Utc::now(),
                    )
                    .unwrap();
                    h.load(overlaid(s), SnapshotMeta::default());
                }
                _ => {}
            }
        }
    }
}

fn cells(h: &Harness) -> Vec<Vec<String>> {
    match h.app.view() {
        Some(View::Provided(p)) => p.table().rows.iter().map(|r| r.cells.clone()).collect(),
        _ => panic!("not a provided table"),
    }
}

fn counts_on_screen(h: &Harness) -> Vec<(String, String)> {
    cells(h)
        .into_iter()
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

fn expected_counts(s: &Setup) -> Vec<(String, String)> {
    employees::report_from_store(&s.base, &s.conn, PROFILE, &opts())
        .unwrap()
        .unwrap()
        .counts()
        .into_iter()
        .map(|(c, n)| (c.as_str().to_string(), n.to_string()))
        .collect()
}

fn harness(s: &Setup) -> Harness {
    let mut h = Harness::with_graph(overlaid(s));
    serve(&mut h, s);
    h
}

#[test]
fn categories_and_counts_match_the_report() {
    let s = setup();
    let mut h = harness(&s);
    h.key("5");
    assert_eq!(h.app.active_kind().unwrap(), PaneKind::Employees);
    let on_screen = counts_on_screen(&h);
    assert_eq!(on_screen, expected_counts(&s));
    assert_eq!(on_screen[0].0, "terminated_but_active");
    assert_eq!(on_screen[0].1, "1");
    let screen = h.render(120, 40);
    assert!(screen.contains("terminated_but_active"), "{screen}");
}

#[test]
fn rows_open_the_user_and_the_other_side() {
    let s = setup();
    let mut h = harness(&s);
    h.key("5");
    h.key("enter"); // terminated_but_active
    let report = employees::report_from_store(&s.base, &s.conn, PROFILE, &opts())
        .unwrap()
        .unwrap();
    let row = &report.rows(Category::TerminatedButActive)[0];
    let user = row.user.as_ref().unwrap();
    assert_eq!(cells(&h)[0][0], user.email.clone().unwrap());
    h.key("enter");
    match h.app.view() {
        Some(View::Detail(d)) => {
            assert_eq!(d.kind, DetailKind::User);
            assert_eq!(d.key, user.key);
        }
        _ => panic!("Enter did not open the user"),
    }
    // The user detail shows the linked employee record.
    let screen = h.render(120, 40);
    assert!(screen.contains("Employee record"), "{screen}");
    h.key("esc");
    h.key("o");
    match h.app.view() {
        Some(View::Detail(d)) => {
            assert_eq!(d.kind, DetailKind::Entity);
            assert_eq!(d.key, row.employee.as_ref().unwrap().key);
        }
        _ => panic!("o did not open the roster row"),
    }
    h.key("esc");
    h.key("esc");
    // employee_without_zoom rows open the roster row
    h.key("j");
    h.key("j");
    h.key("enter");
    assert_eq!(cells(&h)[0][2], "new.hire@example.com");
    h.key("enter");
    match h.app.view() {
        Some(View::Detail(d)) => assert_eq!(d.key, "employee:E900"),
        _ => panic!("Enter did not open the roster row"),
    }
}

#[test]
fn unlink_with_confirmation_changes_the_category() {
    let s = setup();
    let mut h = harness(&s);
    h.key("5");
    let before = counts_on_screen(&h);
    let matched = |c: &Vec<(String, String)>, name: &str| -> usize {
        c.iter()
            .find(|(k, _)| k == name)
            .unwrap()
            .1
            .parse()
            .unwrap()
    };
    // open "matched" (last category)
    h.key("G");
    h.key("enter");
    let email = cells(&h)[0][0].clone();
    h.key("U");
    assert!(employees_pane(&h).confirm().is_some());
    assert!(h.render(120, 40).contains("(y/n)"));
    // n cancels: nothing is asked of the store
    h.key("n");
    assert!(employees_pane(&h).confirm().is_none());
    assert!(h.requests.is_empty());
    h.key("U");
    h.key("y");
    serve(&mut h, &s);
    h.key("esc");
    let after = counts_on_screen(&h);
    assert_eq!(after, expected_counts(&s));
    assert_eq!(matched(&after, "matched"), matched(&before, "matched") - 1);
    assert_eq!(
        matched(&after, "not_an_employee"),
        matched(&before, "not_an_employee") + 1
    );
    // the user is now among the not_an_employee rows
    h.key("g");
    h.key("j");
    h.key("enter");
    assert!(cells(&h).iter().any(|c| c[0] == email), "{email}");
}

#[test]
fn employees_pane_snapshots() {
    let s = setup();
    let mut h = harness(&s);
    h.key("5");
    for (w, hh) in support::tui::SCREEN_SIZES {
        insta::assert_snapshot!(format!("employees_categories_{w}x{hh}"), h.render(w, hh));
    }
    h.key("G");
    h.key("enter");
    for (w, hh) in support::tui::SCREEN_SIZES {
        insta::assert_snapshot!(format!("employees_matched_{w}x{hh}"), h.render(w, hh));
    }
    h.key("U");
    for (w, hh) in support::tui::SCREEN_SIZES {
        insta::assert_snapshot!(
            format!("employees_unlink_confirm_{w}x{hh}"),
            h.render(w, hh)
        );
    }
}

/// #14: the offboarding list shows when the person left and when the Zoom
/// user last logged in.
#[test]
fn offboarding_list_shows_termination_date_and_last_login() {
    let s = setup();
    let mut h = harness(&s);
    h.key("5");
    h.key("enter"); // terminated_but_active
    let cols = match h.app.view() {
        Some(View::Provided(p)) => p.table().columns.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(&cols[5..], ["terminated", "last login"]);
    let report = employees::report_from_store(&s.base, &s.conn, PROFILE, &opts())
        .unwrap()
        .unwrap();
    let row = &report.rows(Category::TerminatedButActive)[0];
    let user = s.base.get(&row.user.as_ref().unwrap().key).unwrap();
    let login = match user.props.str("lastLoginTime") {
        Some(t) => t.get(..10).unwrap().to_string(),
        None => "never".to_string(),
    };
    let c = &cells(&h)[0];
    assert_eq!(&c[5..], [String::from("2026-01-01"), login]);
    for (w, hh) in [(80, 24), (200, 50)] {
        insta::assert_snapshot!(format!("employees_offboarding_{w}x{hh}"), h.render(w, hh));
    }
}

#[test]
fn link_across_categories_with_mark_and_confirmation() {
    let s = setup();
    let mut h = harness(&s);
    h.key("5");
    let before = counts_on_screen(&h);
    let count = |c: &Vec<(String, String)>, name: &str| -> usize {
        c.iter()
            .find(|(k, _)| k == name)
            .unwrap()
            .1
            .parse()
            .unwrap()
    };
    // mark the employee without Zoom (third category)
    h.key("j");
    h.key("j");
    h.key("enter");
    assert_eq!(cells(&h)[0][2], "new.hire@example.com");
    h.key("L");
    assert!(employees_pane(&h).mark().is_some());
    assert!(employees_pane(&h).confirm().is_none());
    h.key("esc");
    // then a Zoom user without an employee
    h.key("k");
    h.key("enter");
    let user_email = cells(&h)[0][0].clone();
    h.key("L");
    let c = employees_pane(&h)
        .confirm()
        .cloned()
        .expect("asks before linking");
    assert!(c.link);
    assert_eq!(c.employee_key, "employee:E900");
    h.key("y");
    assert!(matches!(
        h.requests.first(),
        Some(Request::EmployeeDecision { link: true, .. })
    ));
    serve(&mut h, &s);
    h.key("esc");
    let after = counts_on_screen(&h);
    assert_eq!(after, expected_counts(&s));
    assert_eq!(count(&after, "matched"), count(&before, "matched") + 1);
    assert_eq!(
        count(&after, "employee_without_zoom"),
        count(&before, "employee_without_zoom") - 1
    );
    assert_eq!(
        count(&after, "not_an_employee"),
        count(&before, "not_an_employee") - 1
    );
    h.key("G");
    h.key("enter");
    assert!(
        cells(&h)
            .iter()
            .any(|c| c[0] == user_email && c[2] == "new.hire@example.com")
    );
}

/// #14: Space marks rows of a category, `y` copies them whole, Ctrl-s
/// saves them with the table's header, and Esc clears the marks while the
/// category stays open (its keys still act on its rows).
#[test]
fn rows_of_a_category_are_marked_copied_and_exported() {
    let s = setup();
    let exports = tempfile::tempdir().unwrap();
    let mut h = Harness::new(zoomscope::tui::app::AppOptions {
        export_dir: exports.path().to_path_buf(),
        ..Default::default()
    });
    h.load(overlaid(&s), SnapshotMeta::default());
    serve(&mut h, &s);
    h.key("5");
    let matched = Category::ORDER
        .iter()
        .position(|c| *c == Category::Matched)
        .unwrap();
    for _ in 0..matched {
        h.key("j");
    }
    h.key("enter");
    let rows = cells(&h);
    assert!(rows.len() >= 3, "{rows:?}");
    h.key("space");
    h.key("space");
    assert!(h.render(120, 40).contains("2 marked"));
    h.key("y");
    let copied = h.copies.last().cloned().unwrap_or_default();
    let lines: Vec<&str> = copied.lines().collect();
    assert_eq!(lines, [rows[0].join("\t"), rows[1].join("\t")]);
    h.key("ctrl-s");
    let csv = std::fs::read_to_string(h.exports.last().expect("a CSV")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().starts_with(&rows[0][0]),
        "{csv}"
    );
    h.key("esc");
    let screen = h.render(120, 40);
    let title = screen
        .lines()
        .find(|l| l.contains("Employees ["))
        .unwrap_or_default();
    assert!(!title.contains("marked"), "{screen}");
    assert_eq!(h.app.depth(), 1, "the category stays open");
    h.key("d");
    assert_eq!(h.app.depth(), 2, "d compares the row's sides");
}
