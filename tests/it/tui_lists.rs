//! #14 "Tables and views", the last items, through the headless app on
//! real parts (a real SQLite store, the real diff and rules, the real
//! query engine): the provided tables (Changes, Alerts, Query, saved
//! questions) fitted to their content with `…` and a wide mode; a sync that
//! stored nothing marked in the Changes timeline (from the store, and at
//! once in the session that saw it fail); Space, copy and export of the
//! selection in every list; footer hints by pane; a header that degrades
//! instead of running the tabs into the status. Golden screens at 80×24
//! and 200×50.

use chrono::{TimeZone, Utc};
use zoomscope::graph::Graph;
use zoomscope::store::Store;
use zoomscope::tui::action::Event;
use zoomscope::tui::app::View;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::monitor;
use zoomscope::tui::source::SyncFailure;

use crate::support;
use crate::support::alerts::save_at_minute;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn snap(h: &Harness, name: &str) {
    for (w, hh) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), h.render(w, hh));
    }
}

struct World {
    dir: tempfile::TempDir,
    h: Harness,
}

impl World {
    fn store(&self) -> Store {
        Store::open(&self.dir.path().join("zoomscope.db")).unwrap()
    }
}

/// Two snapshots of the test org (08:00 and 08:15), a failed sync between
/// them (08:10, bad credentials) and one after (08:20, the server down),
/// the monitor data computed as the TUI's data source computes it.
fn world() -> World {
    world_exporting(None)
}

/// As [`world`], saving CSV files in its temp dir's `exports` when asked.
fn world_exporting(exports: Option<&str>) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zoomscope.db")).unwrap();
    let g = support::tui::org(60);
    save_at_minute(&store, &g, 0);
    let at = |m| Utc.with_ymd_and_hms(2026, 11, 30, 8, m, 0).unwrap();
    store
        .record_sync_failure("default", at(10), "authentication failed: invalid client")
        .unwrap();
    let mut later = g.clone();
    let id = later.id_of("zoom_user:u3").unwrap();
    later.update_props(id, |p| {
        p.insert(std::sync::Arc::from("dept"), serde_json::json!("Security"));
    });
    save_at_minute(&store, &later, 15);
    store
        .record_sync_failure(
            "default",
            at(20),
            "the sync fetched nothing (api.zoom.us: 503 Service Unavailable on every request)",
        )
        .unwrap();
    let m = monitor::compute(&store, "default", &later, Some(&g), Ok(Vec::new())).unwrap();
    let mut opts = zoomscope::tui::app::AppOptions::default();
    if let Some(sub) = exports {
        opts.export_dir = dir.path().join(sub);
    }
    let mut h = Harness::new(opts);
    h.load(later, SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(m)));
    World { dir, h }
}

fn cells(h: &Harness) -> Vec<Vec<String>> {
    match h.app.view() {
        Some(View::Provided(p)) => p.table().rows.iter().map(|r| r.cells.clone()).collect(),
        other => panic!("not a provided table: {other:?}"),
    }
}

/// The screen's line that holds `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{screen}"))
}

/// Where (in characters) `needle` starts on `line`.
fn col(line: &str, needle: &str) -> usize {
    let b = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    line[..b].chars().count()
}

#[test]
fn a_failed_sync_is_a_row_of_the_changes_timeline_in_time_order() {
    let mut w = world();
    let h = &mut w.h;
    h.key("6");
    let rows = cells(h);
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("—", "2026-11-30 08:20:00"),
            ("#2", "2026-11-30 08:15:00"),
            ("—", "2026-11-30 08:10:00"),
            ("#1", "2026-11-30 08:00:00"),
        ]
    );
    assert_eq!(
        rows[2][6],
        "✗ sync failed at 08:10: authentication failed: invalid client"
    );
    let screen = h.render(200, 50);
    assert!(
        screen.contains("✗ sync failed at 08:20: the sync fetched nothing"),
        "{screen}"
    );
    // Enter on a failure says why in full and opens nothing; on a sync,
    // its changes (the rows' indices still name the right sync).
    h.key("enter");
    assert_eq!(h.app.depth(), 0);
    assert!(
        h.render(200, 50)
            .contains("503 Service Unavailable on every request")
    );
    h.key("j");
    h.key("enter");
    assert_eq!(h.app.depth(), 1);
    assert!(
        h.render(120, 30)
            .contains("Changes › #2 2026-11-30 08:15:00"),
        "{}",
        h.render(120, 30)
    );
    h.key("esc");
    snap(h, "changes_with_failed_syncs");
}

#[test]
fn a_sync_failing_in_the_session_joins_the_timeline_at_once() {
    let mut w = world();
    let h = &mut w.h;
    h.key("6");
    assert_eq!(cells(h).len(), 4);
    h.event(Event::SyncFinished(Err(SyncFailure::Auth(
        "invalid client_id or client_secret".into(),
    ))));
    let rows = cells(h);
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[0][0], "—");
    assert!(
        rows[0][6].ends_with(": invalid client_id or client_secret"),
        "{rows:?}"
    );
    // what the store holds agrees: the session's failure is not recorded
    // twice (the data source records it; this one read the store before)
    assert_eq!(w.store().sync_failures("default").unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_refused_by_zoom_is_recorded_for_the_timeline() {
    use zoomscope::sandbox::{Sandbox, SandboxConfig};
    let sb = Sandbox::start(SandboxConfig {
        users: 20,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let home = support::cli::Home::new();
    home.write_profile(&sb);
    home.run(&["sync"], &[]).await.assert_code(0);
    let wrong = "not-the-secret-5e1f";
    home.run(&["sync"], &[("ZOOM_CLIENT_SECRET", wrong)])
        .await
        .assert_code(3);
    let store = Store::open(&home.data.join("zoomscope.db")).unwrap();
    let failures = store.sync_failures("default").unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].reason.to_lowercase().contains("auth"),
        "{failures:?}"
    );
    assert!(!failures[0].reason.contains(wrong));
    // `info --json` names it too
    let info = home.run(&["info", "--json"], &[]).await.json();
    let profile = info["profiles"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "default"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        profile["last_failed_sync"]["reason"].as_str(),
        Some(failures[0].reason.as_str()),
        "{info}"
    );
    let latest = store.latest("default").unwrap().unwrap().graph;
    let m = monitor::compute(&store, "default", &latest, None, Ok(Vec::new())).unwrap();
    let mut h = Harness::new(Default::default());
    h.load(latest, SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(m)));
    h.key("6");
    let rows = cells(&h);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0][6].starts_with("✗ sync failed at "), "{rows:?}");
    assert_eq!(rows[1][0], "#1");
}

#[test]
fn provided_columns_fit_their_content_and_cut_with_an_ellipsis() {
    let mut w = world();
    let h = &mut w.h;
    h.key("8");
    // The saved questions on a wide screen: the name column is as wide as
    // the widest name on screen (one space before the next), not a third
    // of the screen.
    let screen = h.render(200, 50);
    let names: Vec<String> = cells(h).iter().map(|r| r[0].clone()).collect();
    let body_rows = 50 - 1 /* header */ - 1 /* input */ - 1 /* footer */ - 3 /* borders, column titles */;
    let widest = names
        .iter()
        .take(body_rows)
        .map(|n| n.chars().count())
        .max()
        .unwrap();
    let head = line_with(&screen, "│name");
    assert_eq!(
        col(head, "question") - col(head, "name"),
        widest + 1,
        "{screen}"
    );
    let screen = h.render(80, 24);
    // the long J1QL is cut with … at the screen's edge
    let first = line_with(&screen, &names[0]);
    assert!(first.ends_with("…│"), "{first}");
    snap(h, "query_saved_questions");

    // Wide: every column whole, scrolled sideways with l.
    h.key("w");
    let screen = h.render(80, 24);
    assert!(line_with(&screen, "Query [").contains("wide →"), "{screen}");
    h.key("l");
    h.key("l");
    let screen = h.render(80, 24);
    assert!(line_with(&screen, "Query [").contains("wide ←"), "{screen}");
    let head = screen.lines().nth(3).unwrap_or_default();
    assert!(head.starts_with("│J1QL"), "{screen}");
    h.key("w");
    let screen = h.render(80, 24);
    assert!(!line_with(&screen, "Query [").contains("wide"), "{screen}");
}

#[test]
fn query_results_fit_and_say_their_row() {
    let mut w = world();
    let h = &mut w.h;
    h.key("8");
    h.key("/");
    h.key("ctrl-u");
    h.type_text("FIND zoom_user WITH dept = 'Security'");
    h.key("enter");
    let rows = cells(h);
    assert!(!rows.is_empty());
    let screen = h.render(80, 24);
    assert!(screen.contains("row 1/"), "{screen}");
    snap(h, "query_results");
}

#[test]
fn space_marks_rows_of_changes_for_copy_and_export() {
    let mut w = world_exporting(Some("exports"));
    let export_dir = w.dir.path().join("exports");
    let h = &mut w.h;
    h.key("6");
    h.key("space");
    h.key("space");
    let screen = h.render(120, 30);
    assert!(
        line_with(&screen, "Changes [").contains("2 marked"),
        "{screen}"
    );
    assert!(line_with(&screen, "08:20:00").contains('●'), "{screen}");
    // y copies the marked rows, whole, one a line, tab-separated
    h.key("y");
    let copied = h.copies.last().cloned().unwrap_or_default();
    let lines: Vec<&str> = copied.lines().collect();
    assert_eq!(lines.len(), 2, "{copied}");
    assert!(lines[0].starts_with("—\t2026-11-30 08:20:00\t"), "{copied}");
    assert!(
        lines[1].starts_with("#2\t2026-11-30 08:15:00\t"),
        "{copied}"
    );
    // Ctrl-s saves those rows with the table's header
    h.key("ctrl-s");
    let path = h.exports.last().cloned().expect("a CSV file");
    assert!(path.starts_with(&export_dir));
    let csv = std::fs::read_to_string(&path).unwrap();
    let csv_lines: Vec<&str> = csv.lines().collect();
    assert_eq!(csv_lines.len(), 3, "{csv}");
    assert!(
        csv_lines[0].starts_with("Snapshot,Finished (UTC),"),
        "{csv}"
    );
    assert!(csv_lines[2].starts_with("#2,2026-11-30 08:15:00,"), "{csv}");
    // Esc clears the marks first; then Y copies the row under the cursor
    h.key("esc");
    let screen = h.render(120, 30);
    assert!(
        !line_with(&screen, "Changes [").contains("marked"),
        "{screen}"
    );
    h.key("g");
    h.key("Y");
    let one = h.copies.last().cloned().unwrap_or_default();
    assert_eq!(one.lines().count(), 1);
    assert!(one.contains("✗ sync failed at 08:20"), "{one}");
    // without marks, Ctrl-s saves every row the filter keeps
    h.key("/");
    h.type_text("failed");
    h.key("tab");
    h.key("ctrl-s");
    let csv = std::fs::read_to_string(h.exports.last().unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 3, "header and the two failures: {csv}");
}

#[test]
fn query_results_mark_copy_and_export_whole_rows_with_hostile_cells_made_safe() {
    let dir = tempfile::tempdir().unwrap();
    let mut g: Graph = support::tui::org(20);
    // a user whose name would be a spreadsheet formula
    let id = g.id_of("zoom_user:u4").unwrap();
    g.update_props(id, |p| {
        p.insert(
            std::sync::Arc::from("name"),
            serde_json::json!("=HYPERLINK(\"http://evil\")"),
        );
    });
    let mut h = Harness::new(zoomscope::tui::app::AppOptions {
        export_dir: dir.path().to_path_buf(),
        ..Default::default()
    });
    h.load(g, SnapshotMeta::default());
    h.key("8");
    h.key("/");
    h.type_text("FIND zoom_user WITH status = 'active'");
    h.key("enter");
    let n = cells(&h).len();
    assert!(n > 3);
    for _ in 0..5 {
        h.key("space");
    }
    h.key("ctrl-s");
    let csv = std::fs::read_to_string(h.exports.last().expect("a CSV")).unwrap();
    assert_eq!(csv.lines().count(), 6, "header and 5 marked rows:\n{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    h.key("c");
    let copied = h.copies.last().cloned().unwrap_or_default();
    assert_eq!(copied.lines().count(), 5);
    assert!(
        copied.lines().all(|l| l.contains('\t')),
        "whole rows: {copied}"
    );
}

#[test]
fn the_users_table_copies_a_whole_row_with_y() {
    let mut h = Harness::with_graph(support::tui::org(20));
    h.key("2");
    h.key("Y");
    let row = h.copies.last().cloned().unwrap_or_default();
    assert!(row.matches('\t').count() >= 3, "{row}");
    assert!(row.contains('@'), "the e-mail is among the cells: {row}");
}

/// The footer at `w`×`h`: its last line.
fn footer(h: &Harness, w: u16, hh: u16) -> String {
    h.render(w, hh)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn footer_hints_change_with_the_pane_and_never_run_into_each_other() {
    let mut w = world();
    let h = &mut w.h;
    h.key("2");
    let users = footer(h, 200, 50);
    for hint in [
        "/ search",
        "Space mark",
        "C columns",
        "w wide",
        "< move col",
        ": cmd",
        "? help",
        "q quit",
    ] {
        assert!(users.contains(hint), "{hint:?} in {users}");
    }
    h.key("enter");
    let detail = footer(h, 200, 50);
    assert!(detail.contains("Tab next link"), "{detail}");
    assert!(detail.contains("q back"), "{detail}");
    h.key("q");
    h.key("6");
    let changes = footer(h, 200, 50);
    for hint in [
        "Enter what changed",
        "Space mark",
        "Y copy row",
        "Ctrl-s csv",
        "w wide",
    ] {
        assert!(changes.contains(hint), "{hint:?} in {changes}");
    }
    h.key("8");
    assert!(footer(h, 200, 50).contains("Esc saved questions"));
    // At 80 and 60 columns: whole hints only, help and quit kept at the end.
    for (w, hh) in [(80, 24), (60, 20)] {
        for pane in ["2", "5", "6", "7", "8"] {
            h.key(pane);
            let f = footer(h, w, hh);
            assert!(f.ends_with("? help q quit"), "{w}: {f}");
            assert!(f.chars().count() <= usize::from(w), "{f}");
        }
    }
}

#[test]
fn the_header_degrades_instead_of_running_tabs_into_the_status() {
    let mut w = world();
    let h = &mut w.h;
    // the last sync failed: the longest status there is
    h.event(Event::SyncFinished(Err(SyncFailure::Other(
        "connection refused".into(),
    ))));
    h.key("6");
    for (w, hh) in [(80, 24), (60, 20), (200, 50)] {
        let screen = h.render(w, hh);
        let head = screen.lines().next().unwrap_or_default();
        // every pane's tab key, the active tab's name and the status's sign
        for k in ["1", "2", "3", "4", "6", "7", "8"] {
            assert!(head.contains(&format!(" {k} ")), "{k} at {w}: {head}");
        }
        assert!(head.contains(" 6 Changes "), "{w}: {head}");
        assert!(head.contains("✗"), "{w}: {head}");
        // the status starts after the tabs with a gap
        assert!(col(head, "✗") > col(head, " 8 ") + 2, "{w}: {head}");
    }
    let wide = h.render(200, 50);
    assert!(wide.lines().next().unwrap().contains(" zoomscope "));
    assert!(wide.lines().next().unwrap().contains(" 2 Users "));
    // the top and bottom lines only: the failure's row below says when (now)
    for (w, hh) in [(80, 24), (60, 20)] {
        let screen = h.render(w, hh);
        let lines: Vec<&str> = screen.lines().collect();
        let frame = format!("{}\n{}", lines[0], lines[lines.len() - 1]);
        insta::assert_snapshot!(format!("header_{w}x{hh}"), frame);
    }
}
