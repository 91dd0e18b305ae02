//! The headless app driven through keys, actions and events: search,
//! drill-down, back, sort, resize, data replacement, export, copy, remapping.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier};
use zoomscope::tui::action::{Action, Event};
use zoomscope::tui::app::{App, AppOptions, Effect, View};
use zoomscope::tui::harness::Harness;
use zoomscope::tui::keymap::Keymap;
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::pane::PaneKind;
use zoomscope::tui::search::SearchEngine;
use zoomscope::tui::source::{Loaded, Request};
use zoomscope::tui::theme::{Theme, ThemeName};

use crate::support;

fn harness(n: usize) -> Harness {
    Harness::with_graph(support::tui::org(n))
}

fn active_kind(h: &Harness) -> PaneKind {
    h.app.active_kind().unwrap()
}

fn table_rows(h: &Harness) -> Vec<String> {
    let g = h.app.data().unwrap().graph.clone();
    match h.app.view() {
        Some(View::Table(t)) => t.rows.iter().map(|id| g.entity(*id).key.clone()).collect(),
        _ => panic!("not a table"),
    }
}

#[test]
fn find_a_user_by_part_of_an_email_and_read_role_and_groups() {
    let mut h = harness(300);
    h.key("2");
    assert_eq!(active_kind(&h), PaneKind::Users);
    h.key("/");
    h.type_text("jill.smith@");
    let screen = h.render(120, 40);
    assert!(screen.contains("Users [1/300]"), "{screen}");
    assert!(
        screen.contains("/jill.smith@"),
        "prompt shows the typed text:\n{screen}"
    );
    h.key("enter"); // opens the best match
    assert!(h.app.prompt().is_none());
    let screen = h.render(120, 40);
    assert!(screen.contains("Users › Jill Smith"), "{screen}");
    assert!(screen.contains("Role"), "{screen}");
    assert!(screen.contains("Owner"), "{screen}");
    assert!(
        screen.contains("AccountProfile:Edit"),
        "privileges of the role:\n{screen}"
    );
    assert!(
        screen.contains("Groups (1)") || screen.contains("Groups (2)"),
        "{screen}"
    );
    // settings are requested lazily, once
    assert_eq!(
        h.requests,
        vec![Request::UserSettings("zoom_user:u0".into())]
    );
    assert!(screen.contains("Settings  (loading…)"), "{screen}");
    h.event(Event::Settings {
        key: "zoom_user:u0".into(),
        result: Ok(vec![("waitingRoom".into(), serde_json::json!(true))]),
    });
    assert!(h.render(120, 40).contains("waitingRoom"));
    // Esc goes back with the filter and selection restored
    h.key("esc");
    let screen = h.render(120, 40);
    assert!(screen.contains("Users [1/300] </jill.smith@>"), "{screen}");
    // Esc clears the filter before it goes back
    h.key("esc");
    assert!(h.render(120, 40).contains("Users [300/300]"));
    assert!(!h.quit);
    h.key("q");
    assert!(h.quit, "q at the root quits");
}

#[test]
fn field_terms_and_negation() {
    let mut h = harness(3000);
    h.key("2");
    h.key("/");
    h.type_text("status:inactive");
    let g = h.app.data().unwrap().graph.clone();
    let rows = table_rows(&h);
    assert!(!rows.is_empty());
    for k in &rows {
        assert_eq!(g.get(k).unwrap().props.str("status"), Some("inactive"));
    }
    h.key("ctrl-u");
    h.type_text("!status:active !type:basic role:admin");
    let rows = table_rows(&h);
    assert!(!rows.is_empty());
    // Every such user is listed: `status:active` must not swallow "inactive".
    let expected = g
        .of_type(zoomscope::graph::EntityType::User)
        .iter()
        .map(|id| g.entity(*id))
        .filter(|e| {
            e.props.str("status") != Some("active")
                && e.props.json("type") == Some(serde_json::json!(2))
                && e.props.str("roleName") == Some("Admin")
        })
        .count();
    assert_eq!(rows.len(), expected);
    assert!(
        rows.iter()
            .any(|k| g.get(k).unwrap().props.str("status") == Some("inactive")),
        "inactive admins are in the result"
    );
    for k in &rows {
        let e = g.get(k).unwrap();
        assert_ne!(e.props.str("status"), Some("active"));
        assert_eq!(e.props.json("type"), Some(serde_json::json!(2)));
        assert_eq!(e.props.str("roleName"), Some("Admin"));
    }
    h.key("ctrl-u");
    // a field term is the whole value; `*` widens it
    h.type_text("dept:eng* !haddad");
    let rows = table_rows(&h);
    assert!(!rows.is_empty());
    for k in rows {
        let e = g.get(k.as_str()).unwrap();
        assert_eq!(e.props.str("dept"), Some("Engineering"));
        assert!(!e.props.str("email").unwrap().contains("haddad"));
    }
}

#[test]
fn fuzzy_matches_are_ranked_and_highlighted() {
    let mut h = harness(300);
    h.key("2");
    h.key("/");
    h.type_text("jlsmth");
    let rows = table_rows(&h);
    assert_eq!(
        rows.first().map(String::as_str),
        Some("zoom_user:u0"),
        "best match first"
    );
    // matched characters carry the match style (bold survives the selection colours)
    let buf = h.buffer(120, 40);
    let mut highlighted = String::new();
    for x in 0..120 {
        let c = &buf[(x, 3)];
        if c.modifier.contains(Modifier::BOLD) {
            highlighted.push_str(c.symbol());
        }
    }
    assert!(
        highlighted.to_lowercase().starts_with("jlsmth"),
        "highlighted: {highlighted}"
    );
}

#[test]
fn sort_by_any_column_with_indicator_and_reverse() {
    let mut h = harness(200);
    h.key("2");
    assert!(h.render(120, 40).contains("Name ▲"));
    h.key("l"); // Email
    h.key("s");
    let asc = table_rows(&h);
    assert!(h.render(120, 40).contains("Email ▲"));
    h.key("s");
    let desc = table_rows(&h);
    assert!(h.render(120, 40).contains("Email ▼"));
    let mut rev = asc.clone();
    rev.reverse();
    assert_eq!(desc, rev);
    let g = h.app.data().unwrap().graph.clone();
    let emails: Vec<&str> = asc
        .iter()
        .map(|k| g.get(k).unwrap().props.str("email").unwrap())
        .collect();
    let mut sorted = emails.clone();
    sorted.sort_by_key(|e| e.to_lowercase());
    assert_eq!(emails, sorted);
}

#[test]
fn stale_search_results_are_dropped() {
    let mut app = App::new(AppOptions::default());
    let mut engine = SearchEngine::default();
    let mut jobs = Vec::new();
    let collect = |fx: Vec<Effect>, jobs: &mut Vec<_>| {
        for e in fx {
            if let Effect::Search(j) = e {
                jobs.push(*j);
            }
        }
    };
    let fx = app.handle(Event::Loaded(Box::new(Loaded {
        graph: support::tui::org(300),
        meta: SnapshotMeta::default(),
    })));
    collect(fx, &mut jobs);
    for j in jobs.drain(..) {
        let d = engine.run(&j);
        app.handle(Event::Search(d));
    }
    app.update(Action::Pane(PaneKind::Users));
    app.update(Action::Search);
    for c in "jill".chars() {
        let fx = app.handle(Event::Input(c));
        collect(fx, &mut jobs);
    }
    assert_eq!(jobs.len(), 4);
    let newest = engine.run(jobs.last().unwrap());
    let oldest = engine.run(jobs.first().unwrap()); // "j": many more rows
    app.handle(Event::Search(newest.clone()));
    app.handle(Event::Search(oldest));
    match app.view() {
        Some(View::Table(t)) => assert_eq!(
            t.rows.len(),
            newest.rows.len(),
            "the stale result was ignored"
        ),
        _ => panic!(),
    }
}

#[test]
fn group_and_role_drill_down_with_breadcrumbs_and_back() {
    let mut h = harness(200);
    h.key("3");
    assert_eq!(active_kind(&h), PaneKind::Groups);
    h.key("/");
    h.type_text("contractors");
    h.key("enter");
    let screen = h.render(120, 40);
    assert!(screen.contains("Groups › Contractors"), "{screen}");
    assert!(screen.contains("Members ["), "{screen}");
    let members = table_rows(&h);
    let g = h.app.data().unwrap().graph.clone();
    let gid = g.id_of("zoom_group:g6").unwrap();
    assert_eq!(
        members.len(),
        g.targets(gid, zoomscope::graph::RelType::GroupHasUser)
            .count()
    );
    // every related item is enterable: member → user → role
    h.key("enter");
    assert!(matches!(h.app.view(), Some(View::Detail(_))));
    // move to the role link and enter it
    let link_line = match h.app.view() {
        Some(View::Detail(d)) => d
            .visible()
            .iter()
            .position(|l| {
                l.link
                    .as_deref()
                    .is_some_and(|k| k.starts_with("zoom_role:"))
            })
            .unwrap(),
        _ => unreachable!(),
    };
    for _ in 0..link_line {
        h.key("j");
    }
    h.key("enter");
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Privileges [") || screen.contains("Role Member"),
        "{screen}"
    );
    assert_eq!(h.app.breadcrumbs().len(), 4, "{:?}", h.app.breadcrumbs());
    h.key("q");
    h.key("q");
    h.key("q");
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Groups [1/8] </contractors>"),
        "filter restored at the root:\n{screen}"
    );
    assert!(!h.quit);
}

#[test]
fn new_data_keeps_cursor_filter_and_path() {
    let mut h = harness(300);
    h.key("2");
    h.key("/");
    h.type_text("smith");
    h.key("tab");
    h.key("j");
    h.key("j");
    let before = table_rows(&h)[2].clone();
    h.key("enter");
    let crumbs = h.app.breadcrumbs();
    // a sync result arrives: same org plus more users
    h.load(support::tui::org(400), SnapshotMeta::default());
    assert_eq!(h.app.breadcrumbs(), crumbs, "drill-down path kept");
    h.key("esc");
    match h.app.view() {
        Some(View::Table(t)) => {
            assert_eq!(t.filter_text, "smith");
            let g = h.app.data().unwrap().graph.clone();
            assert_eq!(
                g.entity(t.selected().unwrap()).key,
                before,
                "cursor kept on the same user"
            );
            assert_eq!(t.base.len(), 400);
        }
        _ => panic!(),
    }
}

#[test]
fn export_copy_raw_and_command_mode() {
    let dir = tempfile::tempdir().unwrap();
    let opts = AppOptions {
        export_dir: dir.path().to_path_buf(),
        ..AppOptions::default()
    };
    let mut h = Harness::new(opts);
    h.load(support::tui::org(100), SnapshotMeta::default());
    h.key(":");
    h.type_text("us");
    assert!(h.render(80, 24).contains(":us▏ers"), "inline completion");
    h.key("tab");
    h.key("enter");
    assert_eq!(active_kind(&h), PaneKind::Users);
    h.key("/");
    h.type_text("status:inactive");
    h.key("tab");
    h.key("ctrl-s");
    assert_eq!(h.exports.len(), 1);
    let csv = std::fs::read_to_string(&h.exports[0]).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("_key,Name,Email,Type,Status"));
    assert_eq!(lines.len() - 1, table_rows(&h).len());
    assert!(lines[1..].iter().all(|l| l.contains(",inactive,")));
    assert!(!csv.contains('\u{1b}'));
    assert!(
        h.render(120, 40).contains("saved to"),
        "a toast names the file"
    );
    h.key("c");
    assert!(h.copies.last().unwrap().ends_with("@example.com"));
    h.key("y");
    assert!(matches!(h.requests.last(), Some(Request::RawJson(k)) if k.starts_with("zoom_user:")));
    let key = match h.requests.last() {
        Some(Request::RawJson(k)) => k.clone(),
        _ => unreachable!(),
    };
    h.event(Event::Raw {
        key,
        json: Ok(Some(
            r#"{"id":"u1","email":"x@example.com","pmi":"[REDACTED]"}"#.into(),
        )),
    });
    let screen = h.render(80, 24);
    assert!(screen.contains("\"email\": \"x@example.com\""), "{screen}");
    h.key("/");
    h.type_text("pmi");
    h.key("enter");
    assert!(h.render(80, 24).contains("</pmi> 1/1"));
    h.key("c");
    assert!(h.copies.last().unwrap().contains("\"pmi\""));
    h.key("q");
    assert!(matches!(h.app.view(), Some(View::Table(_))));
    h.key("ctrl-r");
    assert_eq!(h.requests.last(), Some(&Request::SyncNow));
}

#[test]
fn remapped_keys_dispatch_and_show_in_help() {
    let mut o = BTreeMap::new();
    o.insert("export_csv".to_string(), vec!["ctrl-e".to_string()]);
    o.insert(
        "move_down".to_string(),
        vec!["n".to_string(), "down".to_string()],
    );
    let (keymap, problems) = Keymap::new(&o);
    assert!(problems.is_empty());
    let mut h = Harness::new(AppOptions {
        keymap,
        export_dir: tempfile::tempdir().unwrap().keep(),
        ..AppOptions::default()
    });
    h.load(support::tui::org(50), SnapshotMeta::default());
    h.key("2");
    h.key("n");
    match h.app.view() {
        Some(View::Table(t)) => assert_eq!(t.scroll.cursor(), 1),
        _ => panic!(),
    }
    h.key("ctrl-e");
    assert_eq!(h.exports.len(), 1);
    h.key("?");
    let help = h.render(120, 60);
    assert!(
        help.contains("Ctrl-e") && help.contains("save the filtered, sorted view as CSV"),
        "{help}"
    );
    assert!(!help.contains("Ctrl-s "), "{help}");
    h.key("esc");
    assert!(h.app.help().is_none());
}

#[test]
fn zoom_strings_never_reach_the_terminal_raw() {
    let mut h = harness(100);
    for pane in ["1", "2", "3", "4"] {
        h.key(pane);
        let buf = h.buffer(120, 40);
        for c in buf.content() {
            assert!(
                !c.symbol().chars().any(|ch| ch.is_control()),
                "control char in pane {pane}"
            );
        }
    }
    h.key("2");
    h.key("/");
    h.type_text("pwned");
    h.key("enter");
    let screen = h.render(120, 40);
    assert!(
        screen.contains("[2J]0;pwned"),
        "the payload is shown inert:\n{screen}"
    );
}

#[test]
fn no_color_keeps_the_selection_visible() {
    let mut h = Harness::new(AppOptions {
        theme: Theme::new(ThemeName::Dark, false),
        ..AppOptions::default()
    });
    h.load(support::tui::org(50), SnapshotMeta::default());
    h.key("2");
    let buf = h.buffer(100, 20);
    for c in buf.content() {
        assert_eq!(c.fg, Color::Reset);
        assert_eq!(c.bg, Color::Reset);
    }
    let reversed = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .count();
    assert!(
        reversed >= 50,
        "selected row drawn in reverse video ({reversed} cells)"
    );
}

#[test]
fn tiny_and_resized_terminals_never_panic() {
    let mut h = harness(100);
    let sizes = [
        (20, 5),
        (1, 1),
        (2, 2),
        (5, 20),
        (19, 4),
        (80, 3),
        (200, 60),
        (20, 5),
    ];
    for pane in ["1", "2", "3", "4"] {
        h.key(pane);
        for (w, hh) in sizes {
            h.event(Event::Resize(w, hh));
            let _ = h.render(w, hh);
        }
        h.key("enter");
        for (w, hh) in sizes {
            let _ = h.render(w, hh);
        }
        h.key("?");
        let _ = h.render(20, 5);
        h.key("esc");
        h.key("q");
    }
    h.key(":");
    let _ = h.render(20, 5);
    let screen = h.render(20, 5);
    assert_eq!(screen.lines().count(), 5);
}

#[test]
fn nothing_configured_screen_mentions_demo() {
    let mut h = Harness::new(AppOptions::default());
    h.event(Event::NoData(zoomscope::tui::source::nothing_configured(
        "default",
        "/home/me/.config/zoomscope/config.toml",
        "no credentials",
    )));
    let screen = h.render(120, 30);
    assert!(screen.contains("account_id"), "{screen}");
    assert!(screen.contains("ZOOM_CLIENT_SECRET"), "{screen}");
    assert!(screen.contains("zoomscope --demo"), "{screen}");
}

#[test]
fn auth_failure_is_a_modal_other_failures_are_toasts() {
    let mut h = harness(20);
    h.event(Event::Sync(zoomscope::sync::SyncEvent::Notice(
        "rate limited, retrying in 2 s".into(),
    )));
    assert!(h.render(120, 30).contains("rate limited, retrying in 2 s"));
    assert!(h.app.modal().is_none());
    h.event(Event::SyncFinished(Err(
        zoomscope::tui::source::SyncFailure::Auth("invalid_client".into()),
    )));
    let screen = h.render(120, 30);
    assert!(screen.contains("Authentication failed"), "{screen}");
    h.key("j"); // swallowed by the modal
    h.key("enter");
    assert!(h.app.modal().is_none());
}

#[test]
fn a_search_result_reaches_its_table_after_the_user_moved_to_another_pane() {
    let mut app = App::new(AppOptions::default());
    let mut engine = SearchEngine::default();
    let searches = |fx: Vec<Effect>| -> Vec<_> {
        fx.into_iter()
            .filter_map(|e| match e {
                Effect::Search(j) => Some(*j),
                _ => None,
            })
            .collect()
    };
    let fx = app.handle(Event::Loaded(Box::new(Loaded {
        graph: support::tui::org(300),
        meta: SnapshotMeta::default(),
    })));
    for j in searches(fx) {
        app.handle(Event::Search(engine.run(&j)));
    }
    // filter Users, then leave for Groups before the worker answers
    app.update(Action::Pane(PaneKind::Users));
    let all = match app.view() {
        Some(View::Table(t)) => t.rows.len(),
        _ => panic!("the Users table"),
    };
    app.update(Action::Search);
    let mut jobs = Vec::new();
    for c in "jill".chars() {
        jobs.extend(searches(app.handle(Event::Input(c))));
    }
    app.update(Action::Complete);
    app.update(Action::Pane(PaneKind::Groups));
    let newest = engine.run(jobs.last().expect("a search per key"));
    assert!(newest.rows.len() < all, "the filter narrows the rows");
    app.handle(Event::Search(newest.clone()));
    // the Groups table is untouched; the Users table took the result
    assert_eq!(app.active_kind(), Some(PaneKind::Groups));
    app.update(Action::Pane(PaneKind::Users));
    match app.view() {
        Some(View::Table(t)) => {
            assert_eq!(t.rows.len(), newest.rows.len());
            assert_eq!(t.filter_text, "jill");
            assert!(t.pending.is_none());
        }
        _ => panic!("the Users table"),
    }
}
