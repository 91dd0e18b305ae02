//! #14's views in the headless app: Query results in each type's columns
//! with the query's warnings on screen, the status bar's sync age and a
//! failed or partial sync, and snapshots of them at 80×24 and 200×50.

use zoomscope::sync::{StepOutcome, StepRecord};
use zoomscope::tui::app::View;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::query_pane::QueryPane;

use crate::support;

/// The sizes #14 asks snapshots of.
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn run_query(h: &mut Harness, q: &str) {
    h.key(":");
    h.type_text("query");
    h.key("enter");
    h.key("/");
    h.key("ctrl-u");
    h.type_text(q);
    h.key("enter");
}

fn table(h: &Harness) -> (Vec<String>, Vec<Vec<String>>) {
    match h.app.view() {
        Some(View::Provided(p)) => (
            p.table().columns.clone(),
            p.table().rows.iter().map(|r| r.cells.clone()).collect(),
        ),
        other => panic!("not a provided table: {other:?}"),
    }
}

#[test]
fn query_results_show_each_types_useful_columns() {
    let mut h = Harness::with_graph(support::tui::org(60));
    run_query(&mut h, "FIND zoom_user WITH roleName = 'Admin'");
    let (cols, rows) = table(&h);
    assert_eq!(cols, ["name", "email", "status", "role"]);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[3] == "Admin"), "{rows:?}");
    assert!(rows.iter().all(|r| r[1].contains('@')), "{rows:?}");
    for (w, hh) in SIZES {
        insta::assert_snapshot!(format!("query_users_{w}x{hh}"), h.render(w, hh));
    }
    run_query(&mut h, "FIND zoom_group");
    let (cols, rows) = table(&h);
    assert_eq!(cols, ["name", "members"]);
    assert!(rows.iter().all(|r| !r[1].is_empty()), "{rows:?}");
    run_query(&mut h, "FIND zoom_role");
    assert_eq!(table(&h).0, ["name", "members"]);
}

#[test]
fn query_warnings_are_on_screen() {
    let mut h = Harness::with_graph(support::tui::org(60));
    run_query(&mut h, "FIND zoom_usr");
    let pane = h.app.pane::<QueryPane>().unwrap();
    assert!(
        pane.warnings().iter().any(|w| w.contains("zoom_user")),
        "{:?}",
        pane.warnings()
    );
    for (w, hh) in SIZES {
        let screen = h.render(w, hh);
        assert!(screen.contains("warning:"), "{screen}");
        assert!(screen.contains("mean `zoom_user`?"), "{screen}");
        assert!(screen.contains("zoom_user"), "{screen}");
        insta::assert_snapshot!(format!("query_warning_{w}x{hh}"), screen);
    }
    // a good query clears them
    run_query(&mut h, "FIND zoom_user");
    assert!(h.app.pane::<QueryPane>().unwrap().warnings().is_empty());
    assert!(!h.render(80, 24).contains("warning:"));
}

fn loaded_at(minutes_ago: i64, failed: bool) -> Harness {
    let mut h = Harness::new(Default::default());
    let at = chrono::Utc::now() - chrono::Duration::seconds(minutes_ago * 60 + 20);
    let mut steps = vec![StepRecord {
        step: "fetch-users-active".into(),
        outcome: StepOutcome::Ok {
            count: 60,
            skipped: Default::default(),
        },
        duration_ms: 5,
    }];
    if failed {
        steps.push(StepRecord {
            step: "fetch-groups".into(),
            outcome: StepOutcome::Failed {
                reason: "HTTP 500".into(),
            },
            duration_ms: 5,
        });
    }
    h.load(
        support::tui::org(60),
        SnapshotMeta {
            steps,
            finished_at: Some(at.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
        },
    );
    h
}

#[test]
fn the_status_bar_says_how_old_the_data_is_and_whether_its_sync_failed() {
    let h = loaded_at(4, false);
    let top = h.render(80, 24).lines().next().unwrap().to_string();
    assert!(top.contains("synced 4 min ago"), "{top}");
    for (w, hh) in SIZES {
        // the status bar only: the Account pane below shows the (moving) time
        let top = h.render(w, hh).lines().next().unwrap().to_string();
        insta::assert_snapshot!(format!("status_synced_{w}x{hh}"), top);
    }
    let h = loaded_at(90, true);
    let top = h.render(80, 24).lines().next().unwrap().to_string();
    assert!(top.contains("partial sync 1 h ago"), "{top}");
    for (w, hh) in SIZES {
        // the status bar only: the Account pane below shows the (moving) time
        let top = h.render(w, hh).lines().next().unwrap().to_string();
        insta::assert_snapshot!(format!("status_partial_{w}x{hh}"), top);
    }
}
