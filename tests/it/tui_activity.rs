//! Who changed it, in the explorer, against real parts: a sandbox over real
//! HTTP, a change made through `POST /_sandbox/change`, two syncs into a
//! real SQLite store, the events and the Changes pane's data read from it as
//! the TUI's data source reads them, then driven through the headless app.
//! The Activity pane lists and filters the events and drills to the user
//! and to the operator; the Changes pane's drill-down links the operator
//! (or says the change is unexplained); a user's detail lists their
//! permissions from the lazy fetch.

use std::sync::Arc;

use zoomscope::app::{Context, Options};
use zoomscope::graph::Graph;
use zoomscope::sandbox::{RunningSandbox, SandboxConfig};
use zoomscope::tui::action::{Action, Event};
use zoomscope::tui::activity_pane;
use zoomscope::tui::app::View;
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::monitor;
use zoomscope::tui::pane::PaneKind;

use crate::support::cli::Home;
use crate::support::sandbox::{a_member, post_change, start};

struct World {
    sb: RunningSandbox,
    ctx: Context,
    _home: Home,
    h: Harness,
    graph: Arc<Graph>,
    /// The member made an admin, and the key of their user.
    member: String,
    user_key: String,
    /// Who the sandbox logged as making the change.
    operator: String,
}

async fn sync(ctx: &Context) {
    let (events, _progress) = tokio::sync::mpsc::unbounded_channel();
    ctx.sync_and_store(zoomscope::sync::SyncOptions::default(), events)
        .await
        .unwrap();
}

/// A sync, `make_admin` for a member over HTTP, a second sync; the app
/// shows the latest snapshot with its monitor data and its events.
async fn world() -> World {
    let sb = start(SandboxConfig {
        users: 120,
        seed: 21,
        ..SandboxConfig::default()
    })
    .await;
    let home = Home::new();
    home.write_profile(&sb);
    let ctx = Context::new(Options {
        config_file: Some(home.config.clone()),
        data_dir: Some(home.data.clone()),
        ..Options::default()
    })
    .await
    .unwrap();
    sync(&ctx).await;
    let member = a_member(&sb);
    let applied = post_change(&sb, "make_admin", &member).await;
    let user_key = applied["user_key"].as_str().unwrap().to_string();
    sync(&ctx).await;

    let graph = Arc::new(ctx.latest_graph().await.unwrap().unwrap().graph);
    let g = graph.clone();
    let log = ctx
        .with_store(move |store, profile| Ok(activity_pane::load(store, profile, &g)?))
        .await
        .unwrap();
    let g = graph.clone();
    let m = ctx
        .with_store(move |store, profile| {
            Ok(monitor::compute(store, profile, &g, None, Ok(Vec::new())))
        })
        .await
        .unwrap()
        .unwrap();
    let operator = log
        .iter()
        .find(|i| i.event.action == "Update" && i.event.text.contains(&member))
        .unwrap_or_else(|| panic!("the change is logged: {log:#?}"))
        .event
        .actor
        .clone();
    let mut h = Harness::new(Default::default());
    h.load((*graph).clone(), SnapshotMeta::default());
    h.event(Event::Monitor(Box::new(m)));
    h.event(Event::Activity(Ok(Arc::new(log))));
    h.event(Event::DismissToasts);
    World {
        sb,
        ctx,
        _home: home,
        h,
        graph,
        member,
        user_key,
        operator,
    }
}

fn provided_shown(h: &Harness) -> Vec<Vec<String>> {
    match h.app.view() {
        Some(View::Provided(p)) => p.shown().map(|r| r.cells.clone()).collect(),
        other => panic!("not a provided table: {other:?}"),
    }
}

fn detail_key(h: &Harness) -> String {
    match h.app.view() {
        Some(View::Detail(d)) => d.key.clone(),
        other => panic!("not a detail view: {other:?}"),
    }
}

fn user_key_of(g: &Graph, email: &str) -> String {
    g.by_email(email)
        .iter()
        .map(|id| g.entity(*id))
        .find(|e| e.key.starts_with("zoom_user:"))
        .unwrap_or_else(|| panic!("{email} is a user"))
        .key
        .clone()
}

/// Filters the list on screen with `/text`, keeping the filter (Tab).
fn filter(h: &mut Harness, text: &str) {
    h.key("/");
    h.key("ctrl-u");
    h.type_text(text);
    h.key("tab");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_activity_view_lists_filters_and_drills_to_the_user_and_the_operator() {
    let mut w = world().await;
    let h = &mut w.h;
    h.key("9");
    assert_eq!(h.app.active_kind(), Some(PaneKind::Activity));
    let rows = provided_shown(h);
    assert!(rows.len() > 2, "{rows:?}");
    // newest first
    assert!(rows.windows(2).all(|p| p[0][0] >= p[1][0]), "{rows:?}");
    let label = {
        let id = w.graph.id_of(&w.user_key).unwrap();
        zoomscope::tui::model::label(&w.graph, id)
    };
    let change = rows
        .iter()
        .find(|r| r[2] == "Update" && r[5].contains(&w.member))
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(change[1], w.operator);
    assert_eq!(change[3], "User");
    assert_eq!(change[4], label, "the subject resolved to the user");
    assert!(
        change[5].ends_with("User Role: from Member to Admin"),
        "{change:?}"
    );
    // sign-ins say where from and with what
    let sign_in = rows
        .iter()
        .find(|r| r[2] == "Sign in")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert!(sign_in[5].starts_with("from "), "{sign_in:?}");

    // The grammar of every list: field terms by column, `*` widens.
    filter(h, "action:update");
    let updates = provided_shown(h);
    assert!(!updates.is_empty() && updates.len() < rows.len());
    assert!(updates.iter().all(|r| r[2] == "Update"), "{updates:?}");
    let local = w.operator.split('@').next().unwrap().to_string();
    filter(h, &format!("operator:{local}*"));
    let by_op = provided_shown(h);
    assert!(!by_op.is_empty());
    assert!(by_op.iter().all(|r| r[1] == w.operator), "{by_op:?}");
    let screen = h.render(120, 40);
    assert!(
        screen.contains(&format!("</operator:{local}*>")),
        "{screen}"
    );

    // Enter on the change: the user it is about.
    filter(h, &format!("action:update {}", w.member));
    let shown = provided_shown(h);
    assert!(shown[0][5].contains(&w.member), "{shown:?}");
    h.key("enter");
    assert_eq!(detail_key(h), w.user_key);
    let screen = h.render(120, 40);
    assert!(
        screen.contains(&format!("Activity › {label}")),
        "the breadcrumbs: {screen}"
    );
    assert!(screen.contains("Profile"), "{screen}");

    // Back on the list, `b` opens who did it.
    h.key("q");
    assert_eq!(h.app.depth(), 0);
    h.key("b");
    assert_eq!(detail_key(h), user_key_of(&w.graph, &w.operator));
    let screen = h.render(120, 40);
    assert!(screen.contains(&w.operator), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_changes_drill_down_links_the_operator_and_says_unexplained() {
    let mut w = world().await;
    let h = &mut w.h;
    h.action(Action::Pane(PaneKind::Changes));
    h.key("enter");
    let rows = provided_shown(h);
    let label = {
        let id = w.graph.id_of(&w.user_key).unwrap();
        zoomscope::tui::model::label(&w.graph, id)
    };
    let local = w.operator.split('@').next().unwrap();
    let i = rows
        .iter()
        .position(|r| r[2] == label)
        .unwrap_or_else(|| panic!("{label} changed: {rows:?}"));
    assert!(
        rows[i][0].starts_with(&format!("changed by {local}@… at ")),
        "{:?}",
        rows[i]
    );
    // Entities the log does not name say so (the roles' member counts).
    assert!(
        rows.iter().any(|r| r[0].ends_with(", unexplained")),
        "{rows:?}"
    );

    // Enter: the user under what changed and who did it; Tab reaches the
    // operator's link, Enter follows it.
    h.action(Action::Top);
    for _ in 0..i {
        h.key("j");
    }
    h.key("enter");
    assert_eq!(detail_key(h), w.user_key);
    let screen = h.render(160, 50);
    assert!(screen.contains("Changed in sync #2"), "{screen}");
    assert!(screen.contains(&format!("by {}", w.operator)), "{screen}");
    assert!(
        screen.contains("User Role: from Member to Admin"),
        "{screen}"
    );
    h.key("tab");
    let link = match h.app.view() {
        Some(View::Detail(d)) => d.selected_link(),
        _ => None,
    };
    let operator_key = user_key_of(&w.graph, &w.operator);
    assert_eq!(link.as_deref(), Some(operator_key.as_str()));
    h.key("enter");
    assert_eq!(detail_key(h), operator_key);
    assert_eq!(h.app.depth(), 3);

    // `b` on the change row opens the operator too.
    h.key("q");
    h.key("q");
    assert_eq!(h.app.depth(), 1);
    h.key("b");
    assert_eq!(detail_key(h), operator_key);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_detail_lists_their_permissions_from_the_lazy_fetch() {
    let mut w = world().await;
    // The new admin's permissions, as the detail view fetches them.
    let fetched = w
        .ctx
        .fetch_user_settings(&w.user_key)
        .await
        .unwrap()
        .unwrap();
    let permissions: Vec<String> = fetched
        .props
        .iter()
        .find(|(k, _)| k == "permissions")
        .and_then(|(_, v)| v.as_array().cloned())
        .expect("the sandbox grants permissions")
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    assert!(!permissions.is_empty());
    let h = &mut w.h;
    h.key("2");
    filter(h, &format!("email:{}", w.member));
    h.key("enter");
    assert_eq!(detail_key(h), w.user_key);
    h.event(Event::Settings {
        key: w.user_key.clone(),
        result: Ok(fetched.props.clone()),
    });
    let lines = |h: &Harness| match h.app.view() {
        Some(View::Detail(d)) => d
            .visible()
            .iter()
            .map(|l| l.text_content())
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let all = lines(h);
    let at = all
        .iter()
        .position(|l| l == &format!("Permissions ({})", permissions.len()))
        .unwrap_or_else(|| panic!("{all:#?}"));
    let mut listed: Vec<String> = all[at + 1..at + 1 + permissions.len()]
        .iter()
        .map(|l| l.trim().to_string())
        .collect();
    let mut want = permissions.clone();
    listed.sort();
    want.sort();
    assert_eq!(listed, want, "one a line under the heading");
    assert!(
        !all.iter()
            .any(|l| l.trim_start().starts_with("permissions ")),
        "not repeated among the settings: {all:#?}"
    );
    // A permission's line is found by `/` like any other detail line.
    let one = permissions[0].clone();
    filter(h, &format!("\"{one}\""));
    let kept = lines(h);
    assert!(kept.iter().any(|l| l.trim() == one), "{kept:#?}");
    assert!(kept.len() < all.len());
    drop(w.sb);
}

// ------------------------------------------------------------ golden screens

/// The Activity pane on the fixture org: an admin's change, a setting
/// changed, a sign-in, and an event about nobody the graph knows, with a
/// hostile string in the detail; fixed times, so the screens are stable.
#[test]
fn snapshots_of_the_activity_pane() {
    use chrono::TimeZone;
    use zoomscope::activity::{Event as LogEvent, Source};
    let g = crate::support::tui::org(60);
    let emails: Vec<String> = g
        .entities()
        .filter(|(_, e)| e.key.starts_with("zoom_user:"))
        .filter_map(|(_, e)| e.props.str("email").map(str::to_string))
        .take(3)
        .collect();
    let at = |h, m| chrono::Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap();
    let op = |t, category: &str, action: &str, text: String| LogEvent {
        source: Source::Operation,
        time: t,
        actor: emails[0].clone(),
        category: category.into(),
        action: action.into(),
        text,
        ip_address: None,
        client_type: None,
        version: None,
    };
    let events = vec![
        op(
            at(14, 30),
            "User",
            "Update",
            format!(
                "Update User {}  - User Role: from Member to Admin",
                emails[1]
            ),
        ),
        LogEvent {
            source: Source::SignIn,
            time: at(14, 2),
            actor: emails[0].clone(),
            category: "Sign-in".into(),
            action: "Sign in".into(),
            text: String::new(),
            ip_address: Some("203.0.113.9".into()),
            client_type: Some("Mac".into()),
            version: Some("6.2.10".into()),
        },
        op(
            at(9, 15),
            "Account",
            "Update",
            "Security  - Sign in with Two-Factor Authentication: from On to Off".into(),
        ),
        op(
            at(8, 0),
            "User",
            "Delete",
            "Delete User gone@example.com\u{1b}[2J\u{202e}".into(),
        ),
    ];
    let log: Vec<activity_pane::ActivityItem> = events
        .into_iter()
        .map(|event| activity_pane::ActivityItem::new(event, &g))
        .collect();
    assert!(log[0].key.is_some() && log[2].key.is_some() && log[3].key.is_none());
    let mut h = Harness::with_graph(g);
    h.event(Event::Activity(Ok(Arc::new(log))));
    h.key("9");
    assert_eq!(h.app.active_kind(), Some(PaneKind::Activity));
    for (w, hh) in [(80, 24), (200, 50)] {
        let screen = h.render(w, hh);
        assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
        insta::assert_snapshot!(format!("activity_{w}x{hh}"), screen);
    }
    filter(&mut h, "action:update");
    for (w, hh) in [(80, 24), (200, 50)] {
        insta::assert_snapshot!(format!("activity_filtered_{w}x{hh}"), h.render(w, hh));
    }
}

// ------------------------------------------------------- in a real terminal

/// `--demo` in a pseudo-terminal: `9` opens the Activity view with the
/// sandbox's history; `b` on a setting change opens its operator's Zoom
/// user, `o` their employee record (the demo imports a roster).
#[test]
fn the_activity_view_and_its_operator_link_in_a_terminal() {
    use crate::support::demo_term::DemoTerm;
    let mut t = DemoTerm::demo(60);
    t.send("9");
    let s = t.wait_for("the Activity pane", |s| s.contains("Activity ["), 30);
    assert!(s.contains("Sign in"), "{s}");
    t.send("/category:account\t");
    t.wait_for("the filter", |s| s.contains("</category:account>"), 10);
    t.send("b");
    let s = t.wait_for(
        "the operator's user",
        |s| s.contains("Activity › ") && s.contains("Profile"),
        10,
    );
    assert!(s.contains("Role"), "{s}");
    t.send("o");
    t.wait_for(
        "the operator's employee record",
        |s| s.contains("(details)") || s.contains("no employee record"),
        10,
    );
    t.quit();
}
