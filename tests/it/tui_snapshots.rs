//! Golden screens (insta) of every pane and view at 120×40 and 80×24, plus
//! the 20×5 minimum. The fixture has fixed times and no secrets.

use zoomscope::graph::Graph;
use zoomscope::sync::{StepOutcome, StepRecord};
use zoomscope::tui::action::Event;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;

use crate::support;

fn meta() -> SnapshotMeta {
    let step = |s: &str, outcome| StepRecord {
        step: s.into(),
        outcome,
        duration_ms: 10,
    };
    SnapshotMeta {
        steps: vec![
            step("fetch-users", StepOutcome::ok(60)),
            step("fetch-groups", StepOutcome::ok(8)),
            step("fetch-roles", StepOutcome::ok(3)),
            step(
                "fetch-managed-domains",
                StepOutcome::missing_scope(vec!["account:read:admin".into()]),
            ),
        ],
        finished_at: Some("2026-11-30T08:00:00Z".into()),
    }
}

fn app(g: Graph) -> Harness {
    let mut h = Harness::new(Default::default());
    h.load(g, meta());
    h
}

fn snap(h: &Harness, name: &str) {
    for (w, hh) in support::tui::SCREEN_SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), h.render(w, hh));
    }
    // never panics at the smallest supported size
    let small = h.render(20, 5);
    assert_eq!(small.lines().count(), 5);
}

#[test]
fn panes() {
    let mut h = app(support::tui::org(60));
    snap(&h, "account");
    h.key("2");
    snap(&h, "users");
    h.key("3");
    snap(&h, "groups");
    h.key("4");
    snap(&h, "roles");
}

#[test]
fn views() {
    let mut h = app(support::tui::org(60));
    h.key("2");
    h.key("/");
    h.type_text("jill.smith@");
    snap(&h, "users_search_typing");
    h.key("enter");
    h.event(Event::Settings {
        key: "zoom_user:u0".into(),
        result: Ok(vec![
            ("waitingRoom".into(), serde_json::json!(true)),
            (
                "meetingSecurityRequirePasswordForScheduledMeeting".into(),
                serde_json::json!(false),
            ),
        ]),
    });
    snap(&h, "user_detail");
    h.key("y");
    h.event(Event::Raw {
        key: "zoom_user:u0".into(),
        json: Ok(None),
    });
    snap(&h, "user_raw_json");
    h.key("q");
    h.key("q");
    h.key("esc");
    h.key("3");
    h.key("j"); // Contractors (Alumni, first by name, is empty)
    h.key("enter");
    snap(&h, "group_members");
    h.key("4");
    h.key("enter");
    snap(&h, "role_members");
    h.key("q");
    h.key("d");
    snap(&h, "role_details");
    h.key("?");
    snap(&h, "help");
    h.key("esc");
    h.key(":");
    h.type_text("gr");
    snap(&h, "command_completion");
}

#[test]
fn empty_states() {
    let mut h = Harness::new(Default::default());
    snap(&h, "loading");
    h.event(Event::NoData(zoomscope::tui::source::nothing_configured(
        "default",
        "~/.config/zoomscope/config.toml",
        "no credentials are configured.",
    )));
    snap(&h, "nothing_configured");
}

#[test]
fn query_pane() {
    let mut h = app(support::tui::org(60));
    h.key("8");
    snap(&h, "query_saved");
    h.key("/");
    h.type_text(
        "FIND zoom_user WITH roleName = 'Admin' AS u RETURN u.email, u.displayName, u.dept",
    );
    h.key("enter");
    snap(&h, "query_results");
    h.key("/");
    h.key("ctrl-u");
    h.type_text("FIND zoom_user WITH active = = true");
    h.key("enter");
    snap(&h, "query_parse_error");
}
