//! The Query pane driven headless through keys: type J1QL, run it, see the
//! rows, open one; parse errors with their caret; history; saved questions;
//! stale results dropped.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tui_common;

use zoomscope::query;
use zoomscope::tui::action::{Action, Event};
use zoomscope::tui::app::{Effect, View};
use zoomscope::tui::detail::DetailKind;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::pane::PaneKind;
use zoomscope::tui::query_pane::{QueryPane, QueryShows, run_job};

fn query_pane(h: &Harness) -> &QueryPane {
    h.app.pane::<QueryPane>().expect("a Query pane")
}

fn harness(n: usize) -> Harness {
    Harness::with_graph(tui_common::org(n))
}

fn provided_cells(h: &Harness) -> Vec<Vec<String>> {
    match h.app.view() {
        Some(View::Provided(p)) => p.table.rows.iter().map(|r| r.cells.clone()).collect(),
        _ => panic!("not a provided table"),
    }
}

fn columns(h: &Harness) -> Vec<String> {
    match h.app.view() {
        Some(View::Provided(p)) => p.table.columns.clone(),
        _ => panic!("not a provided table"),
    }
}

const ADMINS: &str = "FIND zoom_user WITH roleName = 'Admin' AS u RETURN u.email, u.displayName";

#[test]
fn run_a_query_see_rows_and_open_one() {
    let mut h = harness(60);
    h.key(":");
    h.type_text("query");
    h.key("enter");
    assert_eq!(h.app.active_kind().unwrap(), PaneKind::Query);
    h.key("/");
    h.type_text(ADMINS);
    h.key("enter");

    // The same rows as the query module gives on the same graph.
    let g = h.app.data().unwrap().graph.clone();
    let expected = query::run(&g, ADMINS).unwrap();
    assert!(!expected.rows.is_empty(), "fixture has admins");
    assert_eq!(query_pane(&h).shows(), QueryShows::Results);
    assert_eq!(columns(&h), expected.columns);
    let cells = provided_cells(&h);
    assert_eq!(cells.len(), expected.rows.len());
    assert_eq!(
        cells[0][0],
        expected.rows[0].values[0].as_str().unwrap().to_string()
    );
    let screen = h.render(120, 40);
    assert!(screen.contains(&cells[0][0]), "{screen}");

    // Enter opens the row's user exactly like the Users pane does.
    let id = expected.rows[0].entity.unwrap();
    h.key("enter");
    match h.app.view() {
        Some(View::Detail(d)) => {
            assert_eq!(d.kind, DetailKind::User);
            assert_eq!(d.key, g.entity(id).key);
        }
        _ => panic!("Enter did not open the user"),
    }
    h.key("esc");
    assert!(matches!(h.app.view(), Some(View::Provided(_))));
    // Esc on results goes back to the saved questions.
    h.key("esc");
    assert_eq!(query_pane(&h).shows(), QueryShows::Saved);
}

#[test]
fn parse_error_shows_line_column_and_caret() {
    let mut h = harness(20);
    h.key("8");
    assert_eq!(h.app.active_kind().unwrap(), PaneKind::Query);
    h.key("/");
    h.type_text("FIND zoom_user WITH active = = true");
    h.key("enter");
    let err = query_pane(&h)
        .error()
        .map(str::to_string)
        .expect("an error");
    let want = query::parse("FIND zoom_user WITH active = = true")
        .unwrap_err()
        .to_string();
    assert_eq!(err, want);
    assert!(err.contains('^'), "{err}");
    let screen = h.render(120, 40);
    let caret_line = want.lines().find(|l| l.contains('^')).unwrap().trim_end();
    assert!(screen.contains(caret_line.trim()), "{screen}");
    // a good query clears the error
    h.key("/");
    h.key("ctrl-u");
    h.type_text("FIND zoom_group");
    h.key("enter");
    assert!(query_pane(&h).error().is_none());
    assert_eq!(provided_cells(&h).len(), 8);
}

#[test]
fn history_recalls_earlier_queries_with_up_and_down() {
    let mut h = harness(20);
    h.key("8");
    for q in ["FIND zoom_group", "FIND zoom_role"] {
        h.key("/");
        h.key("ctrl-u");
        h.type_text(q);
        h.key("enter");
    }
    h.key("/");
    h.key("ctrl-u");
    h.key("up");
    assert_eq!(h.app.prompt().unwrap().text, "FIND zoom_role");
    h.key("up");
    assert_eq!(h.app.prompt().unwrap().text, "FIND zoom_group");
    h.key("down");
    assert_eq!(h.app.prompt().unwrap().text, "FIND zoom_role");
    h.key("down");
    assert_eq!(h.app.prompt().unwrap().text, "");
}

#[test]
fn saved_question_fills_the_input_and_runs() {
    let mut h = harness(60);
    h.key("8");
    let saved = query::saved::questions();
    assert_eq!(provided_cells(&h).len(), saved.len());
    assert_eq!(provided_cells(&h)[0][0], saved[0].name);
    h.key("enter");
    assert_eq!(query_pane(&h).input(), saved[0].query.trim());
    assert_eq!(query_pane(&h).shows(), QueryShows::Results);
    let g = h.app.data().unwrap().graph.clone();
    let expected = query::run(&g, &saved[0].query).unwrap();
    assert_eq!(columns(&h), expected.columns);
    assert_eq!(provided_cells(&h).len(), expected.rows.len());
}

#[test]
fn stale_query_results_are_dropped() {
    let mut h = harness(20);
    h.key("8");
    // Two queries started back to back; the first answer arrives last.
    let g = h.app.data().unwrap().graph.clone();
    let mut jobs = Vec::new();
    for q in ["FIND zoom_group", "FIND zoom_role"] {
        // `:query …` typed into the app, its effects kept rather than run
        jobs.extend(h.app.update(Action::Command));
        for c in format!("query {q}").chars() {
            jobs.extend(h.app.handle(Event::Input(c)));
        }
        jobs.extend(h.app.update(Action::Accept));
    }
    let jobs: Vec<_> = jobs
        .into_iter()
        .filter_map(|e| match e {
            Effect::Query(j) => Some(j),
            _ => None,
        })
        .collect();
    assert_eq!(jobs.len(), 2);
    let newer = run_job(&jobs[1]);
    let older = run_job(&jobs[0]);
    h.event(Event::Query(newer));
    h.event(Event::Query(older));
    let roles = query::run(&g, "FIND zoom_role").unwrap().rows.len();
    assert_eq!(provided_cells(&h).len(), roles);
}

#[test]
fn new_data_reruns_the_shown_query() {
    let mut h = harness(20);
    h.key("8");
    h.key("/");
    h.type_text("FIND zoom_user AS u RETURN u.email");
    h.key("enter");
    assert_eq!(provided_cells(&h).len(), 20);
    // A sync brings a bigger account: the rows (and their entity ids) follow.
    h.load(
        tui_common::org(35),
        zoomscope::tui::model::SnapshotMeta::default(),
    );
    assert_eq!(h.app.active_kind().unwrap(), PaneKind::Query);
    assert_eq!(provided_cells(&h).len(), 35);
    let g = h.app.data().unwrap().graph.clone();
    match h.app.view() {
        Some(View::Provided(p)) => {
            for r in &p.table.rows {
                let id = r.entity.unwrap();
                assert_eq!(g.entity(id).props.str("email"), Some(r.cells[0].as_str()));
            }
        }
        _ => panic!("not the results"),
    }
}

#[test]
fn command_line_query_runs_with_its_case_kept() {
    let mut h = harness(60);
    h.key(":");
    h.type_text(&format!("Query {ADMINS}"));
    h.key("enter");
    assert_eq!(h.app.active_kind().unwrap(), PaneKind::Query);
    // 'Admin' and roleName are case-sensitive: lower-casing them would
    // find nothing, so the same rows as query::run mean the case was kept.
    let g = h.app.data().unwrap().graph.clone();
    let expected = query::run(&g, ADMINS).unwrap();
    assert!(!expected.rows.is_empty());
    assert_eq!(query_pane(&h).shows(), QueryShows::Results);
    assert_eq!(provided_cells(&h).len(), expected.rows.len());
}
