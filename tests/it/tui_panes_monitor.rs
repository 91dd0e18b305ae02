//! The Changes and Alerts panes against real parts: two snapshots in a real
//! SQLite store with a known change, the real diff, real rules evaluated
//! with the real alert state; the monitor data computed as the TUI's data
//! source computes it, then driven through the headless app.

use serde_json::json;
use zoomscope::alerts::{AlertsConfig, Rule, load_from_files, rule::RuleFile};
use zoomscope::graph::{Graph, RelType};
use zoomscope::store::Store;
use zoomscope::tui::action::{Action, Event};
use zoomscope::tui::app::View;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::monitor::{self, Monitor};
use zoomscope::tui::pane::PaneKind;

use crate::support;
use crate::support::alerts::{first_active_member, save_at_minute};

const RULES: &str = r#"
[[rule]]
name = "new-admin"
description = "A user became an admin."
severity = "high"
query = "FIND zoom_user WITH active = true THAT ASSIGNED zoom_role WITH admin = true"
trigger = "new"

[[rule]]
name = "group-named-nope"
description = "Never matches."
severity = "low"
query = "FIND zoom_group WITH name = 'Nope'"
trigger = "any"
"#;

fn rules() -> Vec<Rule> {
    let f = RuleFile::parse("test.toml", RULES).unwrap();
    load_from_files(&[f], &AlertsConfig::default())
        .unwrap()
        .enabled
}

/// The fixture after a sync in which `key` moved to Security and became an Admin.
fn changed(key: &str) -> Graph {
    let mut g = support::tui::org(60);
    let id = g.id_of(key).unwrap();
    g.update_props(id, |p| {
        let dept = g_name("dept");
        p.insert(dept, json!("Security"));
        p.insert(g_name("roleName"), json!("Admin"));
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

fn g_name(s: &str) -> std::sync::Arc<str> {
    std::sync::Arc::from(s)
}

struct World {
    _dir: tempfile::TempDir,
    key: String,
    h: Harness,
}

/// Snapshot 1, evaluated (the rules' baseline); snapshot 2 with the change,
/// evaluated again; the app shows snapshot 2 and the second monitor.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("z.db")).unwrap();
    let before = support::tui::org(60);
    let key = first_active_member(&before);
    let after = changed(&key);
    save_at_minute(&store, &before, 0);
    let m1 = monitor::compute(&store, "default", &before, None, Ok(rules())).unwrap();
    assert!(
        m1.newly_fired().next().is_none(),
        "baseline fires nothing new"
    );
    save_at_minute(&store, &after, 15);
    let m2 = monitor::compute(&store, "default", &after, Some(&before), Ok(rules())).unwrap();
    let mut h = Harness::new(Default::default());
    h.load(after, SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(m2)));
    World { _dir: dir, key, h }
}

fn provided_cells(h: &Harness) -> Vec<Vec<String>> {
    match h.app.view() {
        Some(View::Provided(p)) => p.table().rows.iter().map(|r| r.cells.clone()).collect(),
        other => panic!("not a provided table: {other:?}"),
    }
}

#[test]
fn changes_pane_lists_the_sync_with_old_and_new_values() {
    let mut w = world();
    let h = &mut w.h;
    h.action(Action::Pane(PaneKind::Changes));
    assert_eq!(h.app.active_kind().unwrap(), PaneKind::Changes);
    let rows = provided_cells(h);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "#2");
    assert_eq!(rows[0][1], "2026-11-30 08:15:00");
    // 0 added, 0 removed, 1 changed, one relationship added; every step ok
    assert_eq!(&rows[0][2..], &["0", "0", "1", "+1 −0", "complete"]);
    assert_eq!(rows[1][2], "first snapshot");

    h.key("enter");
    let rows = provided_cells(h);
    let dept = rows
        .iter()
        .find(|r| r[3] == "dept")
        .unwrap_or_else(|| panic!("{rows:?}"));
    // No operation-log entry is stored for this change: it says so.
    assert_eq!(dept[0], "changed, unexplained");
    assert!(dept[4].ends_with("→ Security"), "{dept:?}");
    assert!(
        rows.iter()
            .any(|r| r[3] == "roleName" && r[4] == "Member → Admin"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "linked" && r[1] == "ASSIGNED" && r[4] == "→ Admin"),
        "{rows:?}"
    );
    let screen = h.render(120, 40);
    assert!(screen.contains("Member → Admin"), "{screen}");

    // the changed entity is enterable: its profile opens
    let i = rows.iter().position(|r| r[3] == "dept").unwrap();
    h.action(Action::Top);
    for _ in 0..i {
        h.key("j");
    }
    h.key("enter");
    let screen = h.render(120, 40);
    let label = {
        let g = h.app.data().unwrap().graph.clone();
        zoomscope::tui::model::label(&g, g.id_of(&w.key).unwrap())
    };
    assert!(
        screen.contains(&format!("Changes › #2 2026-11-30 08:15:00 › {label}")),
        "{screen}"
    );
}

#[test]
fn rows_changed_in_the_last_sync_are_marked_in_users() {
    let mut w = world();
    let h = &mut w.h;
    h.key("2");
    let g = h.app.data().unwrap().graph.clone();
    let email = g
        .get(&w.key)
        .unwrap()
        .props
        .str("email")
        .unwrap()
        .to_string();
    h.key("/");
    h.type_text(&email);
    h.key("tab");
    let screen = h.render(160, 40);
    let line = screen
        .lines()
        .find(|l| l.contains(&email) && !l.contains("Users ["))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(line.contains("│~ "), "marker on the changed row: {line}");
    // an unchanged user has no marker
    h.key("esc");
    let screen = h.render(160, 40);
    assert!(
        screen.lines().filter(|l| l.contains("│~ ")).count() == 1,
        "only the changed user is marked:\n{screen}"
    );
    assert_eq!(
        h.app.change_marker(&w.key),
        Some("~"),
        "the changed user is marked as changed"
    );
    assert_eq!(h.app.change_marker("zoom_user:u0"), None);
}

#[test]
fn alerts_pane_shows_state_and_count_and_lists_matches() {
    let mut w = world();
    let h = &mut w.h;
    h.action(Action::Pane(PaneKind::Alerts));
    let rows = provided_cells(h);
    let admin = rows.iter().find(|r| r[0] == "new-admin").unwrap();
    assert_eq!(admin[1], "high");
    assert_eq!(admin[2], "fired");
    // a quiet rule shows no count; a `new` rule counts what is new (the
    // toast's "1 match"), not every match of its query
    let quiet = rows.iter().find(|r| r[0] == "group-named-nope").unwrap();
    assert_eq!(&quiet[2..4], &["quiet", ""]);
    assert_eq!(admin[3], "1");

    let i = rows.iter().position(|r| r[0] == "new-admin").unwrap();
    h.action(Action::Top);
    for _ in 0..i {
        h.key("j");
    }
    h.key("enter");
    let rows = provided_cells(h);
    assert!(
        rows.len() >= 2,
        "every match is listed, Jill (Owner) and the promoted user at least: {rows:?}"
    );
    assert!(rows.iter().any(|r| r[2] == w.key), "{rows:?}");
    // only the promoted user is new since the previous evaluation
    let new: Vec<&str> = rows
        .iter()
        .filter(|r| r[3] == "new")
        .map(|r| r[2].as_str())
        .collect();
    assert_eq!(new, vec![w.key.as_str()]);
    // matches are enterable
    let j = rows.iter().position(|r| r[2] == w.key).unwrap();
    h.action(Action::Top);
    for _ in 0..j {
        h.key("j");
    }
    h.key("enter");
    assert!(matches!(h.app.view(), Some(View::Detail(_))));
}

/// #14: the Alerts list marks rules with Space; `c` on a rule (it names no
/// entity) copies the whole row, and with marks every marked row; in a
/// rule's matches `c` still copies the matched user's e-mail.
#[test]
fn alerts_rows_are_marked_and_copied_whole() {
    let mut w = world();
    let h = &mut w.h;
    h.action(Action::Pane(PaneKind::Alerts));
    let rows = provided_cells(h);
    h.key("c");
    assert_eq!(h.copies.last(), Some(&rows[0].join("\t")));
    h.key("space");
    h.key("space");
    h.key("c");
    let copied = h.copies.last().cloned().unwrap_or_default();
    assert_eq!(
        copied.lines().collect::<Vec<_>>(),
        [rows[0].join("\t"), rows[1].join("\t")]
    );
    h.key("esc");
    let new_admin = rows.iter().position(|r| r[0] == "new-admin").unwrap();
    h.action(Action::Top);
    for _ in 0..new_admin {
        h.key("j");
    }
    h.key("enter");
    let matches = provided_cells(h);
    let j = matches.iter().position(|r| r[2] == w.key).unwrap();
    for _ in 0..j {
        h.key("j");
    }
    h.key("c");
    let email = {
        let g = h.app.data().unwrap().graph.clone();
        g.get(&w.key)
            .unwrap()
            .props
            .str("email")
            .unwrap()
            .to_string()
    };
    assert_eq!(h.copies.last(), Some(&email));
}

#[test]
fn a_newly_fired_alert_raises_a_toast_once() {
    let w = world();
    let toasts: Vec<&str> = w.h.app.toasts().iter().map(|t| t.text.as_str()).collect();
    assert!(
        toasts
            .iter()
            .any(|t| t.starts_with("alert: new-admin (high, 1 match)")),
        "{toasts:?}"
    );
    assert!(
        !toasts.iter().any(|t| t.contains("group-named-nope")),
        "{toasts:?}"
    );
}

#[test]
fn an_alert_already_reported_does_not_toast_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("z.db")).unwrap();
    let before = support::tui::org(60);
    let key = first_active_member(&before);
    let after = changed(&key);
    save_at_minute(&store, &before, 0);
    monitor::compute(&store, "default", &before, None, Ok(rules())).unwrap();
    save_at_minute(&store, &after, 15);
    let first = monitor::compute(&store, "default", &after, Some(&before), Ok(rules())).unwrap();
    assert_eq!(first.newly_fired().count(), 1);
    // a refresh with nothing new: the TUI does not record evaluations, so
    // the alert is still new to `check`; the app announced it already
    let again: Monitor =
        monitor::compute(&store, "default", &after, Some(&before), Ok(rules())).unwrap();
    assert_eq!(again.newly_fired().count(), 1);
    let mut h = Harness::new(Default::default());
    h.load(after.clone(), SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(first)));
    assert_eq!(h.app.toasts().len(), 1, "{:?}", h.app.toasts());
    h.event(Event::DismissToasts);
    h.event(Event::Monitor(Box::new(again)));
    assert!(h.app.toasts().is_empty(), "{:?}", h.app.toasts());

    // something newer is announced: a second member promoted
    let second = (2..60)
        .map(|i| format!("zoom_user:u{i}"))
        .find(|k| {
            *k != key
                && after.get(k).unwrap().prop("active") == Some(json!(true))
                && after.get(k).unwrap().prop("roleName") == Some(json!("Member"))
        })
        .unwrap();
    let mut later = after.clone();
    later
        .add_relationship(
            RelType::UserAssignedRole,
            &second,
            "zoom_role:1",
            Default::default(),
        )
        .unwrap();
    save_at_minute(&store, &later, 30);
    let newer = monitor::compute(&store, "default", &later, Some(&after), Ok(rules())).unwrap();
    h.event(Event::Monitor(Box::new(newer)));
    // (no check ran: new against the previous snapshot, so only the second)
    let toasts: Vec<&str> = h.app.toasts().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(toasts.len(), 1, "{toasts:?}");
    assert!(
        toasts[0].starts_with("alert: new-admin (high, 1 match)"),
        "{toasts:?}"
    );
}

#[test]
fn snapshots_of_the_new_panes() {
    let mut w = world();
    let h = &mut w.h;
    h.event(Event::DismissToasts);
    h.action(Action::Pane(PaneKind::Changes));
    snap(h, "changes");
    h.key("enter");
    snap(h, "changes_sync");
    h.action(Action::Pane(PaneKind::Alerts));
    snap(h, "alerts");
    h.key("enter");
    snap(h, "alerts_matches");
    h.key("2");
    snap(h, "users_marked");
}

fn snap(h: &Harness, name: &str) {
    for (w, hh) in support::tui::SCREEN_SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), h.render(w, hh));
    }
}

// ---------------------------------------------------------------- the edge

mod edge {
    use std::cell::RefCell;
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use serde_json::Value;
    use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
    use zoomscope::alerts::{EvalOptions, evaluate};
    use zoomscope::sync::SyncEvent;
    use zoomscope::tui::action::Event;
    use zoomscope::tui::harness::Harness;
    use zoomscope::tui::model::SnapshotMeta;
    use zoomscope::tui::monitor::Monitor;
    use zoomscope::tui::source::{DataSource, Loaded, SyncFailure, serve};

    /// A source whose syncs return the fixture and whose monitor evaluates
    /// an `any` rule on it (always newly fired: no stored state).
    struct Counting {
        poll: Option<Duration>,
        syncs: AtomicUsize,
        monitors: AtomicUsize,
    }

    impl DataSource for Counting {
        fn profile(&self) -> String {
            "default".into()
        }
        async fn latest(&self) -> Result<Option<Loaded>, String> {
            Ok(Some(Loaded {
                graph: crate::support::tui::org(10),
                meta: SnapshotMeta::default(),
            }))
        }
        fn sync_ready(&self) -> Result<(), String> {
            Ok(())
        }
        async fn sync(&self, _events: UnboundedSender<SyncEvent>) -> Result<Loaded, SyncFailure> {
            self.syncs.fetch_add(1, Ordering::SeqCst);
            Ok(Loaded {
                graph: crate::support::tui::org(10),
                meta: SnapshotMeta::default(),
            })
        }
        async fn user_settings(&self, _k: &str) -> Result<Vec<(String, Value)>, String> {
            Err("none".into())
        }
        async fn raw_json(&self, _k: &str) -> Result<Option<String>, String> {
            Ok(None)
        }
        fn export_dir(&self) -> PathBuf {
            std::env::temp_dir()
        }
        async fn monitor(&self) -> Result<Option<Monitor>, String> {
            self.monitors.fetch_add(1, Ordering::SeqCst);
            let g = crate::support::tui::org(10);
            let r = evaluate(
                &g,
                &any_admin_rule(),
                None,
                EvalOptions {
                    now: chrono::Utc::now(),
                    previous: None,
                },
            )
            .map_err(|e| e.to_string())?;
            Ok(Some(Monitor::new(Vec::new(), r)))
        }
        fn poll_interval(&self) -> Option<Duration> {
            self.poll
        }
    }

    fn any_admin_rule() -> Vec<zoomscope::alerts::Rule> {
        let text = r#"
[[rule]]
name = "any-admin"
description = "Admins exist."
severity = "medium"
query = "FIND zoom_user THAT ASSIGNED zoom_role WITH admin = true"
trigger = "any"
"#;
        let f = zoomscope::alerts::rule::RuleFile::parse("t.toml", text).unwrap();
        zoomscope::alerts::load_from_files(&[f], &Default::default())
            .unwrap()
            .enabled
    }

    /// Serves for `for_ms` and returns the events delivered.
    async fn run(src: &Arc<Counting>, for_ms: u64) -> Vec<Event> {
        let (tx, rx) = unbounded_channel();
        let events = RefCell::new(Vec::new());
        let deliver = |ev| events.borrow_mut().push(ev);
        let serving = serve(src.clone(), rx, deliver);
        let _ = tokio::time::timeout(Duration::from_millis(for_ms), serving).await;
        drop(tx);
        events.into_inner()
    }

    #[tokio::test]
    async fn background_refresh_follows_the_polling_interval() {
        let src = Arc::new(Counting {
            poll: Some(Duration::from_millis(100)),
            syncs: AtomicUsize::new(0),
            monitors: AtomicUsize::new(0),
        });
        let events = run(&src, 550).await;
        let syncs = src.syncs.load(Ordering::SeqCst);
        // the start-up sync plus one per 100 ms (at least one on a busy machine)
        assert!((2..=7).contains(&syncs), "{syncs} syncs");
        // evaluated after the first load and after every sync
        assert_eq!(src.monitors.load(Ordering::SeqCst), syncs + 1);
        let monitors = events
            .iter()
            .filter(|e| matches!(e, Event::Monitor(_)))
            .count();
        assert_eq!(monitors, syncs + 1);

        // the events drive the app: the Alerts pane exists and the fired
        // rule raised a toast
        let mut h = Harness::new(Default::default());
        for ev in events {
            h.event(ev);
        }
        assert!(
            h.app
                .pane_kinds()
                .contains(&zoomscope::tui::pane::PaneKind::Alerts)
        );
        assert!(
            h.app
                .toasts()
                .iter()
                .any(|t| t.text.starts_with("alert: any-admin (medium")),
            "{:?}",
            h.app.toasts()
        );
    }

    #[tokio::test]
    async fn disabled_polling_syncs_once() {
        let src = Arc::new(Counting {
            poll: None,
            syncs: AtomicUsize::new(0),
            monitors: AtomicUsize::new(0),
        });
        run(&src, 400).await;
        assert_eq!(
            src.syncs.load(Ordering::SeqCst),
            1,
            "only the start-up sync"
        );
        assert_eq!(src.monitors.load(Ordering::SeqCst), 2);
    }
}

#[test]
fn older_syncs_are_diffed_when_opened() {
    use zoomscope::tui::source::Request;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("z.db")).unwrap();
    let base = support::tui::org(60);
    // seven syncs; each moves user u3 to another department
    let mut last = base.clone();
    for i in 0..7u32 {
        let mut g = support::tui::org(60);
        let id = g.id_of("zoom_user:u3").unwrap();
        g.update_props(id, |p| p.insert(g_name("dept"), json!(format!("Dept {i}"))));
        save_at_minute(&store, &g, i);
        last = g;
    }
    let m = monitor::compute(&store, "default", &last, None, Ok(Vec::new())).unwrap();
    assert_eq!(m.syncs.len(), 7);
    // the diffs loaded pairwise agree with the store's own per-entry diff
    let timeline = zoomscope::diff::timeline(&store, "default").unwrap();
    for (s, e) in m.syncs.iter().zip(&timeline).take(monitor::DIFFED_SYNCS) {
        assert_eq!(s.diff.as_ref().unwrap(), &e.diff(&store).unwrap());
    }
    assert!(m.syncs[5].diff.is_none(), "older than DIFFED_SYNCS");

    let mut h = Harness::new(Default::default());
    h.load(last, SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(m)));
    h.action(Action::Pane(PaneKind::Changes));
    let rows = provided_cells(&h);
    assert_eq!(&rows[5][2..5], &["…", "…", "…"]);
    assert_eq!(rows[6][2], "first snapshot");
    for _ in 0..5 {
        h.key("j");
    }
    h.key("enter");
    let snapshot = timeline[5].snapshot.id.0;
    assert_eq!(h.requests.last(), Some(&Request::SyncDiff(snapshot)));
    assert_eq!(provided_cells(&h), vec![vec!["diffing…".to_string()]]);
    // the edge answers as ContextSource does: entry.diff(&store)
    let d = timeline[5].diff(&store).unwrap();
    h.event(Event::SyncDiff {
        snapshot,
        result: Ok(Box::new(d)),
    });
    let rows = provided_cells(&h);
    assert!(
        rows.iter()
            .any(|r| r[3] == "dept" && r[4] == "Dept 0 → Dept 1"),
        "{rows:?}"
    );
    h.key("q");
    assert_eq!(&provided_cells(&h)[5][2..5], &["0", "0", "1"]);
}

/// A timeline of `n` syncs, snapshots #100 onwards, none diffed.
fn timeline(n: i64) -> Monitor {
    let syncs = (0..n)
        .map(|i| monitor::SyncChanges {
            snapshot: 100 + i,
            finished_at: "2026-01-01 00:00".into(),
            diff: None,
            first: false,
            failed_steps: Vec::new(),
        })
        .collect();
    Monitor::new(syncs, Vec::new())
}

#[test]
fn a_timeline_that_shrinks_while_scrolled_down_shows_every_row_that_fits() {
    let mut h = Harness::new(Default::default());
    h.load(support::tui::org(20), SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(timeline(40))));
    h.action(Action::Pane(PaneKind::Changes));
    h.action(Action::Bottom);
    let before = h.render(80, 24);
    assert!(before.contains("#139"), "{before}");
    assert!(!before.contains("#100"), "{before}");
    // fewer syncs (a pruned store): the cursor stays on the last row and
    // the window starts early enough to fill the pane
    h.event(Event::Monitor(Box::new(timeline(12))));
    let after = h.render(80, 24);
    for s in 100..112 {
        assert!(after.contains(&format!("#{s} ")), "#{s} missing:\n{after}");
    }
}
