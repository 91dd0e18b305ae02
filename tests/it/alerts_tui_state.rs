//! The TUI reads alert state and never advances it (issue #14, bug 2), and
//! a rule's count is the same wherever it is shown (bug 6): `check`'s text
//! and JSON, the TUI's Alerts list and its toast.
//!
//! Real parts: snapshots in a real SQLite store, the built-in rule pack,
//! the TUI's monitor computed as its data source computes it, and the real
//! `zoomscope check --offline` binary on the same file.

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use serde_json::{Value, json};
use zoomscope::alerts::{self, AlertState, AlertsConfig, EvalOptions, Rule, RuleStatus, Severity};
use zoomscope::graph::{Graph, RelType};
use zoomscope::store::Store;
use zoomscope::tui::action::{Action, Event};
use zoomscope::tui::app::View;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::monitor;
use zoomscope::tui::pane::PaneKind;

use crate::support;
use crate::support::alerts::{first_active_member, save_at_minute};

const PROFILE: &str = "default";

fn builtin_rules() -> Vec<Rule> {
    alerts::load_rules(&AlertsConfig::default()).unwrap()
}

/// The fixture with `key` promoted to Admin.
fn promoted(key: &str) -> Graph {
    let mut g = support::tui::org(60);
    let id = g.id_of(key).unwrap();
    g.update_props(id, |p| {
        p.insert(std::sync::Arc::from("roleName"), json!("Admin"));
    });
    g.add_relationship(
        RelType::UserAssignedRole,
        key,
        "zoom_role:1",
        Default::default(),
    )
    .unwrap();
    g
}

/// `zoomscope check --offline --json` on the store in `data`.
fn check(data: &Path) -> (Output, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_zoomscope"))
        .args(["check", "--offline", "--json"])
        .env("ZOOMSCOPE_DATA_DIR", data)
        .env("ZOOMSCOPE_CONFIG", data.join("absent.toml"))
        .env_remove("ZOOMSCOPE_PROFILE")
        .env_remove("ZOOMSCOPE_WEBHOOK")
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, v)
}

fn fired<'a>(v: &'a Value, rule: &str) -> Option<&'a Value> {
    v["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
}

/// Every row of the alert state tables, as text.
fn alert_rows(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT profile || '|' || rule || '|' || query || '|' || evaluated_at || '|' || count \
         || '|' || fired FROM alerts_rule_state ORDER BY profile, rule",
        "SELECT profile || '|' || rule || '|' || entity_key FROM alerts_rule_match \
         ORDER BY profile, rule, entity_key",
    ] {
        let mut stmt = store.conn().prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out.extend(rows);
    }
    out
}

#[test]
fn a_new_admin_the_tui_showed_still_fires_in_the_next_check() {
    let dir = tempfile::tempdir().unwrap();
    let before = support::tui::org(60);
    let key = first_active_member(&before);
    let after = promoted(&key);
    {
        let store = Store::open(&dir.path().join("zoomscope.db")).unwrap();
        save_at_minute(&store, &before, 0);
    }
    // `check` after the first sync records the baseline.
    let (_, v) = check(dir.path());
    assert!(fired(&v, "new-admin").is_none(), "{v}");

    // The second sync promotes a member; the TUI shows it (twice: the
    // start-up load and a refresh).
    {
        let store = Store::open(&dir.path().join("zoomscope.db")).unwrap();
        save_at_minute(&store, &after, 15);
        let recorded = alert_rows(&store);
        for _ in 0..2 {
            let m = monitor::compute(&store, PROFILE, &after, Some(&before), Ok(builtin_rules()))
                .unwrap();
            let admin = m.alerts.iter().find(|r| r.rule == "new-admin").unwrap();
            assert_eq!(admin.status, RuleStatus::Fired);
            assert_eq!(admin.new_matches, std::slice::from_ref(&key));
        }
        assert_eq!(
            alert_rows(&store),
            recorded,
            "the TUI left the alert state as check recorded it"
        );
    }

    // So `check` (and `watch`'s webhook) still reports the new admin.
    let (out, v) = check(dir.path());
    assert_eq!(out.status.code(), Some(1), "{v}");
    let admin = fired(&v, "new-admin").unwrap_or_else(|| panic!("{v}"));
    assert_eq!(admin["entities"], json!([key]));
    assert_eq!(admin["count"], 1);
    // and having reported it, it is no longer new
    let (_, v) = check(dir.path());
    assert!(fired(&v, "new-admin").is_none(), "{v}");
}

#[test]
fn a_rule_shows_one_count_in_check_the_alerts_list_and_the_toast() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("zoomscope.db")).unwrap();
    let before = support::tui::org(60);
    let key = first_active_member(&before);
    let after = promoted(&key);
    save_at_minute(&store, &before, 0);
    save_at_minute(&store, &after, 15);
    let rules = builtin_rules();

    // The TUI's view of the second sync.
    let m = monitor::compute(&store, PROFILE, &after, Some(&before), Ok(rules.clone())).unwrap();
    let admin = m.alerts.iter().find(|r| r.rule == "new-admin").unwrap();
    assert!(
        admin.matches.len() >= 2,
        "the query matches the owner too: {admin:?}"
    );
    let quiet: Vec<String> = m
        .alerts
        .iter()
        .filter(|r| r.status == RuleStatus::Quiet)
        .map(|r| r.rule.clone())
        .collect();
    assert!(!quiet.is_empty());

    // Several rules fire: one summary toast, by severity, worst first
    // (#14), counting what fired anew.
    let newly: Vec<Severity> = m.newly_fired().map(|r| r.severity).collect();
    assert!(newly.len() >= 2, "{newly:?}");
    let expected: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| (s, newly.iter().filter(|n| *n == s).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let mut h = Harness::new(Default::default());
    h.load(after.clone(), SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(m)));
    let toasts: Vec<String> = h.app.toasts().iter().map(|t| t.text.clone()).collect();
    assert_eq!(
        toasts,
        vec![format!("{} firing — 7: Alerts", expected.join(", "))]
    );
    h.action(Action::Pane(PaneKind::Alerts));
    let rows: Vec<Vec<String>> = match h.app.view() {
        Some(View::Provided(p)) => p.table().rows.iter().map(|r| r.cells.clone()).collect(),
        other => panic!("not a provided table: {other:?}"),
    };
    let cells = |rule: &str| rows.iter().find(|r| r[0] == rule).unwrap().clone();
    // what the toast says, the list says
    assert_eq!(&cells("new-admin")[2..4], &["fired", "1"]);
    // a quiet rule shows no match count
    for rule in &quiet {
        let c = cells(rule);
        assert_eq!(&c[2..4], &["quiet", ""], "{c:?}");
    }

    // `check` says the same: 1 in its text and its JSON.
    let state = AlertState::open(store.conn(), PROFILE).unwrap();
    let results = alerts::evaluate(
        &after,
        &rules,
        Some(&state),
        EvalOptions {
            now: Utc::now(),
            previous: Some(&before),
        },
    )
    .unwrap();
    let r = results.iter().find(|r| r.rule == "new-admin").unwrap();
    assert_eq!(r.to_json()["count"], 1);
    let text = alerts::report::check_text(&results, &after, alerts::Severity::Info);
    let line = text
        .lines()
        .find(|l| l.contains("new-admin"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.ends_with("(1 match)"), "{line}");
}
