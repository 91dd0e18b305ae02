//! #14 "Tables and views" through the headless app: columns fitted to their
//! content with `…`, the column chooser (remembered in the config file),
//! wide mode, `row N/M`, a truthful sort indicator, empty values last, marks
//! with copy and export, one filter grammar in every list, the `:` history
//! and Tab between a detail view's links. Golden screens at 80×24 and 200×50.

use std::sync::Arc;

use serde_json::{Value, json};
use zoomscope::graph::{Entity, EntityType, Graph, Props};
use zoomscope::tui::action::Event;
use zoomscope::tui::app::{AppOptions, View};
use zoomscope::tui::harness::Harness;
use zoomscope::tui::model::SnapshotMeta;

use crate::support;

/// The sizes of this module's golden screens: the classic terminal and a wide one.
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn user(key: &str, name: &str, email: &str, dept: Option<&str>) -> Entity {
    let mut e = Entity::new(EntityType::User, format!("zoom_user:{key}"));
    let mut p = Props::new();
    let mut set = |k: &str, v: Value| p.insert(Arc::from(k), v);
    set("id", json!(key));
    set("name", json!(name));
    set("displayName", json!(name));
    set("email", json!(email));
    set("status", json!("active"));
    set("type", json!(1));
    if let Some(d) = dept {
        set("dept", json!(d));
    }
    e.props = p;
    e
}

/// The test org plus three users without a department (one of them with
/// an empty one) and one with a very long e-mail address.
fn org() -> Graph {
    let mut g = support::tui::org(60);
    g.add_entity(user("x1", "Zed Nodept", "zed@example.com", None))
        .unwrap();
    g.add_entity(user("x2", "Abe Nodept", "abe@example.com", Some("")))
        .unwrap();
    g.add_entity(user("x3", "Moe Nodept", "moe@example.com", None))
        .unwrap();
    g.add_entity(user(
        "x4",
        "Lou Longmail",
        "lou.longmail.with.a.very.long.address.for.testing.truncation@subsidiary.example.com",
        Some("Legal"),
    ))
    .unwrap();
    g
}

fn harness() -> Harness {
    let mut h = Harness::new(AppOptions::default());
    h.load(org(), SnapshotMeta::default());
    h
}

/// A harness that reads and saves its columns in the config file `path`.
fn harness_with_config(path: &std::path::Path) -> Harness {
    let (cfg, problems) = zoomscope::tui::config::load(path);
    assert!(problems.is_empty(), "{problems:?}");
    let mut h = Harness::new(AppOptions {
        columns: cfg.columns,
        config_file: Some(path.to_path_buf()),
        ..AppOptions::default()
    });
    h.load(org(), SnapshotMeta::default());
    h
}

fn keys(h: &mut Harness, ks: &[&str]) {
    for k in ks {
        h.key(k);
    }
}

/// The table's rows as `_key`s.
fn rows(h: &Harness) -> Vec<String> {
    let g = h.app.data().unwrap().graph.clone();
    match h.app.view() {
        Some(View::Table(t)) => t.rows.iter().map(|id| g.entity(*id).key.clone()).collect(),
        _ => panic!("not a table"),
    }
}

fn header(screen: &str) -> &str {
    screen.lines().nth(2).unwrap_or("")
}

fn snap(h: &Harness, name: &str) {
    for (w, hh) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{hh}"), h.render(w, hh));
    }
    assert_eq!(h.render(20, 5).lines().count(), 5);
}

#[test]
fn columns_fit_their_content_and_cut_text_with_an_ellipsis() {
    let mut h = harness();
    h.key("2");
    h.key("/");
    h.type_text("longmail");
    h.key("tab");
    let narrow = h.render(80, 24);
    let row = narrow
        .lines()
        .find(|l| l.contains("Lou Longmail"))
        .unwrap_or_else(|| panic!("{narrow}"));
    assert!(
        row.contains('…'),
        "the long e-mail is cut with …:\n{narrow}"
    );
    // the Name column is as wide as its widest name on screen, not wider
    assert!(row.contains("│Lou Longmail "), "{row}");
    assert!(!row.contains("Lou Longmail   "), "{row}");
    let wide = h.render(200, 50);
    assert!(
        wide.contains("lou.longmail.with.a.very.long.address"),
        "more room shows more of it:\n{wide}"
    );
    // no column's text runs into the next: every visible row is cut or fits
    for l in h.render(80, 24).lines() {
        assert!(l.chars().count() <= 80, "{l}");
    }
}

#[test]
fn the_title_shows_the_row_and_the_sort_tells_the_truth() {
    let mut h = harness();
    h.key("2");
    let s = h.render(120, 40);
    assert!(s.contains("row 1/64"), "{s}");
    assert!(header(&s).contains("Name ▲"), "{s}");
    keys(&mut h, &["j", "j"]);
    assert!(h.render(120, 40).contains("row 3/64"));
    // free text ranks by match: the title says so and no column claims the order
    h.key("/");
    h.type_text("jill");
    h.key("tab");
    let s = h.render(120, 40);
    assert!(s.contains("sorted by match"), "{s}");
    assert!(!s.contains('▲') && !s.contains('▼'), "{s}");
    // sorting by a column while searching: the column is the order again
    h.key("s");
    let s = h.render(120, 40);
    assert!(!s.contains("sorted by match"), "{s}");
    assert!(header(&s).contains('▼') || header(&s).contains('▲'), "{s}");
}

#[test]
fn empty_values_sort_last_in_both_directions() {
    let mut h = harness();
    h.key("2");
    // Department is the sixth column
    keys(&mut h, &["l", "l", "l", "l", "l", "s"]);
    let asc = rows(&h);
    let empty = ["zoom_user:x1", "zoom_user:x2", "zoom_user:x3"];
    let tail: Vec<&str> = asc[asc.len() - 3..].iter().map(String::as_str).collect();
    assert!(empty.iter().all(|k| tail.contains(k)), "{tail:?}");
    h.key("s");
    let desc = rows(&h);
    let tail: Vec<&str> = desc[desc.len() - 3..].iter().map(String::as_str).collect();
    assert!(
        empty.iter().all(|k| tail.contains(k)),
        "descending: {tail:?}"
    );
    assert_ne!(asc[0], desc[0], "the order did reverse");
}

#[test]
fn the_column_chooser_hides_and_reorders_and_saves_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "# mine\n[tui]\ntheme = 'dark'\n").unwrap();
    let mut h = harness_with_config(&path);
    h.key("2");
    h.key("C");
    let s = h.render(80, 24);
    assert!(s.contains("Columns of Users"), "{s}");
    assert!(s.contains("[x] Email"), "{s}");
    // hide Email, move Status above Type
    keys(&mut h, &["j", "space", "j", "j", "<"]);
    let s = h.render(80, 24);
    assert!(s.contains("[ ] Email"), "{s}");
    h.key("esc");
    let s = h.render(120, 40);
    let head = header(&s);
    assert!(!head.contains("Email"), "{s}");
    assert!(head.find("Status") < head.find("Type"), "{head}");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.starts_with("# mine\n[tui]\ntheme = 'dark'\n"),
        "{saved}"
    );
    assert!(saved.contains("[tui.columns]"), "{saved}");
    // a new session reads the choice back
    let mut again = harness_with_config(&path);
    again.key("2");
    let s = again.render(120, 40);
    assert!(!header(&s).contains("Email"), "{s}");
    // member tables of a group are user tables: same columns
    again.key("3");
    again.key("j");
    again.key("enter");
    assert!(!header(&again.render(120, 40)).contains("Email"));
}

#[test]
fn the_last_column_cannot_be_hidden_and_a_column_moves_in_the_table() {
    let mut h = harness();
    h.key("4");
    h.key("C");
    for _ in 0..6 {
        keys(&mut h, &["space", "j"]);
    }
    let s = h.render(80, 24);
    assert!(s.contains("1/6 shown"), "{s}");
    h.key("esc");
    let s = h.render(80, 24);
    assert!(
        header(&s).contains("Description"),
        "the last one stays: {s}"
    );
    // `>` in a table moves the selected column right
    let mut h = harness();
    h.key("3");
    h.key(">");
    let s = h.render(120, 40);
    let head = header(&s);
    assert!(head.find("Members") < head.find("Name"), "{head}");
}

#[test]
fn wide_shows_every_column_and_scrolls_sideways() {
    let mut h = harness();
    h.key("2");
    let narrow = h.render(80, 24);
    assert!(!header(&narrow).contains("Last login"), "{narrow}");
    h.key("w");
    let s = h.render(80, 24);
    assert!(s.contains("wide →"), "{s}");
    // move the selection to the last column: the view follows it
    for _ in 0..7 {
        h.key("l");
    }
    let s = h.render(80, 24);
    assert!(header(&s).contains("Last login"), "{s}");
    assert!(!header(&s).contains("Name"), "scrolled: {s}");
    assert!(s.contains("wide ←"), "{s}");
    h.key("w");
    // the title says it no more (the footer's `w wide` hint stays)
    let s = h.render(80, 24);
    assert!(
        !s.lines().nth(1).unwrap_or_default().contains("wide"),
        "{s}"
    );
}

#[test]
fn space_marks_rows_for_copy_and_export_and_esc_clears_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::new(AppOptions {
        export_dir: dir.path().to_path_buf(),
        ..AppOptions::default()
    });
    h.load(org(), SnapshotMeta::default());
    h.key("2");
    keys(&mut h, &["space", "space"]); // marks rows 1 and 2
    h.key("k");
    h.key("space"); // a second Space unmarks row 2
    let s = h.render(120, 40);
    assert!(s.contains("1 marked"), "{s}");
    assert!(s.contains('●'), "the mark column: {s}");
    keys(&mut h, &["j", "j", "space"]);
    let marked = rows(&h);
    let want: Vec<String> = [0, 4]
        .iter()
        .map(|i| {
            let g = h.app.data().unwrap().graph.clone();
            let id = g.id_of(&marked[*i]).unwrap();
            g.entity(id).props.str("email").unwrap().to_string()
        })
        .collect();
    h.key("y");
    assert_eq!(h.copies.last().unwrap(), &want.join("\n"));
    h.key("ctrl-s");
    let csv = std::fs::read_to_string(h.exports.last().unwrap()).unwrap();
    assert_eq!(
        csv.lines().count(),
        3,
        "header and the two marked rows:\n{csv}"
    );
    assert!(csv.contains(&want[0]) && csv.contains(&want[1]));
    // Esc clears the marks first, then the export is the whole table again
    h.key("esc");
    h.event(Event::DismissToasts); // the copy's toast names the marked rows too
    assert!(!h.render(120, 40).contains("marked"));
    h.key("ctrl-s");
    let csv = std::fs::read_to_string(h.exports.last().unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 65);
    // `y` without marks is raw JSON again
    h.key("y");
    assert!(matches!(h.app.view(), Some(View::Raw(_))));
}

#[test]
fn one_filter_grammar_in_help_and_detail_views() {
    let mut h = harness();
    // help: field terms and exact words work as in the lists
    h.key("?");
    h.key("/");
    h.type_text("key:space");
    let s = h.render(120, 40);
    assert!(s.contains("</key:space>"), "{s}");
    assert!(s.contains("mark / unmark"), "{s}");
    assert!(!s.contains("move down"), "{s}");
    h.key("esc");
    h.key("esc");
    h.key("esc");
    // a user's detail: `status:active` keeps the labelled line
    h.key("2");
    h.key("enter");
    h.key("/");
    h.type_text("status:active");
    h.key("tab");
    let s = h.render(120, 40);
    assert!(s.contains("</status:active>"), "{s}");
    assert!(s.contains("Status") && !s.contains("Email"), "{s}");
    h.key("esc");
    assert!(h.render(120, 40).contains("Email"), "Esc clears the filter");
}

#[test]
fn tab_walks_the_links_of_a_detail_view() {
    let mut h = harness();
    h.key("2");
    h.key("/");
    h.type_text("jill.smith@");
    h.key("enter");
    let s = h.render(120, 40);
    assert!(s.contains(" links "), "{s}");
    h.key("tab");
    let s = h.render(120, 40);
    assert!(s.contains("link 1/"), "{s}");
    h.key("tab");
    assert!(h.render(120, 40).contains("link 2/"));
    h.key("shift-tab");
    h.key("shift-tab");
    let s = h.render(120, 40);
    // around the start to the last link
    let total = s
        .split("link ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let (at, n) = total.split_once('/').unwrap();
    assert_eq!(at, n, "{s}");
    // Enter follows the selected link; the pane did not change
    assert_eq!(
        h.app.active_kind(),
        Some(zoomscope::tui::pane::PaneKind::Users)
    );
    h.key("enter");
    assert!(h.app.depth() >= 2);
}

#[test]
fn the_command_line_keeps_a_history() {
    let mut h = harness();
    h.key(":");
    h.type_text("groups");
    h.key("enter");
    h.key(":");
    h.type_text("roles");
    h.key("enter");
    h.key(":");
    h.type_text("us");
    h.key("up");
    assert_eq!(h.app.prompt().unwrap().text, "roles");
    h.key("up");
    assert_eq!(h.app.prompt().unwrap().text, "groups");
    h.key("down");
    h.key("down");
    assert_eq!(h.app.prompt().unwrap().text, "us", "back to what was typed");
    h.key("esc");
    h.key(":");
    h.key("up");
    h.key("enter");
    assert_eq!(
        h.app.active_kind(),
        Some(zoomscope::tui::pane::PaneKind::Roles)
    );
    h.key(":");
    h.type_text("quit");
    h.key("enter");
    assert!(h.quit);
}

#[test]
fn golden_screens() {
    let mut h = harness();
    h.key("2");
    snap(&h, "tables_users");
    h.key("/");
    h.type_text("dept:legal");
    h.key("tab");
    snap(&h, "tables_users_filtered");
    h.key("esc");
    h.key("C");
    h.key("j");
    h.key("space");
    snap(&h, "tables_column_chooser");
    h.key("esc");
    h.key("/");
    h.type_text("jill.smith@");
    h.key("enter");
    h.key("tab");
    snap(&h, "tables_user_detail");
}
