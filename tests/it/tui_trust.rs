//! #14 through the headless app (real App, keymap, search and drawing):
//! help jumps and filters like every list.

use crate::support::tui as tui_common;

use zoomscope::tui::harness::Harness;

fn harness() -> Harness {
    Harness::with_graph(tui_common::org(50))
}

/// #14 bug 10: `G` in help jumps to its end, `g` back to the top.
#[test]
fn g_and_shift_g_jump_to_the_ends_of_help() {
    let mut h = harness();
    h.key("?");
    let top = h.render(100, 20);
    assert!(top.contains("Tables and details"), "{top}");
    assert!(!top.contains("remappable"), "help fits in 20 rows?\n{top}");
    h.key("G");
    let end = h.render(100, 20);
    assert!(h.app.help().is_some(), "G closed help");
    assert!(
        end.contains("remappable"),
        "G did not reach the end:\n{end}"
    );
    assert!(!end.contains("Tables and details"), "{end}");
    // k moves up from the end at once (the position is the end, not past it)
    h.key("k");
    let up = h.render(100, 20);
    assert_ne!(up, end, "k after G did not move");
    h.key("g");
    assert_eq!(h.render(100, 20), top);
}

/// #14 bug 4: `/` in help narrows it, shows the filter in the title, and
/// Esc clears the filter before it closes help.
#[test]
fn slash_filters_help_and_esc_clears_it_first() {
    let mut h = harness();
    h.key("?");
    h.key("/");
    h.type_text("csv");
    h.key("tab");
    let filtered = h.render(100, 40);
    assert!(filtered.contains("</csv>"), "{filtered}");
    assert!(filtered.contains("CSV"), "{filtered}");
    assert!(!filtered.contains("remappable"), "{filtered}");
    h.key("esc");
    let cleared = h.render(100, 40);
    assert!(h.app.help().is_some(), "Esc closed help before clearing");
    assert!(!cleared.contains("</csv>"), "{cleared}");
    h.key("esc");
    assert!(h.app.help().is_none());
    assert!(!h.quit);
}

/// #14 bug 10: `o` in a user's detail opens the employee record (and back
/// from the employee to the user), and says why when there is none.
#[test]
fn o_in_a_user_detail_opens_the_other_side_or_says_why_not() {
    use zoomscope::graph::{Entity, EntityType, Props, RelType};
    use zoomscope::tui::app::View;

    let mut g = tui_common::org(50);
    let users: Vec<_> = g
        .entities()
        .filter(|(_, e)| e.etype == EntityType::User)
        .map(|(id, e)| (id, e.props.str("email").unwrap_or_default().to_string()))
        .collect();
    let (user, email) = users[0].clone();
    let mut emp = Entity::new(EntityType::Employee, "employee:E-1".into());
    let mut props = Props::new();
    props.insert("name".into(), serde_json::json!("Roster Person E-1"));
    props.insert("email".into(), serde_json::json!(email));
    emp.props = props;
    let emp = g.add_entity(emp).unwrap();
    g.add_relationship_ids(RelType::UserIsEmployee, user, emp, Props::new())
        .unwrap();
    let mut h = Harness::with_graph(g);
    h.key("2");
    h.key("/");
    h.type_text(&email);
    h.key("enter");
    assert!(matches!(h.app.view(), Some(View::Detail(_))));
    h.key("o");
    let screen = h.render(120, 40);
    assert!(screen.contains("Roster Person E-1"), "{screen}");
    assert_eq!(h.app.depth(), 2, "the employee record opened over the user");
    // and from the employee back to the Zoom user
    h.key("o");
    assert_eq!(h.app.depth(), 3);
    let screen = h.render(120, 40);
    assert!(screen.contains(&email), "{screen}");

    // A user without an employee record: a toast says why.
    let mut h = harness();
    h.key("2");
    h.key("enter");
    h.key("o");
    let screen = h.render(120, 40);
    assert!(screen.contains("no employee record"), "{screen}");
    assert_eq!(h.app.depth(), 1);
}

/// #14 bug 9: the rows of an ambiguous match tell the candidates apart
/// (employee id and name, Zoom user id), and `d` shows both sides of every
/// candidate pair of the group, the selected one marked.
#[test]
fn ambiguous_rows_are_distinguishable_and_d_shows_every_candidate() {
    use zoomscope::employees::{self, AliasDomains, ColumnOverrides, MatchOptions};
    use zoomscope::graph::EntityType;
    use zoomscope::tui::action::Event;

    let g = tui_common::org(60);
    let email = g
        .of_type(EntityType::User)
        .iter()
        .filter_map(|id| g.entity(*id).props.str("email").map(str::to_string))
        .next()
        .unwrap();
    let roster = format!(
        "employee_id,first_name,last_name,email,status\n\
         E1,Pat,Twin,{email},active\n\
         E2,Sam,Twin,{},active\n",
        email.to_uppercase()
    );
    let parsed = employees::roster::parse(&roster, &ColumnOverrides::new()).unwrap();
    let report = employees::report(
        &g,
        &parsed.employees,
        &[],
        &MatchOptions {
            alias_domains: AliasDomains::new(Vec::<Vec<&str>>::new()),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        },
    );
    assert_eq!(report.count(employees::Category::Ambiguous), 2);
    let mut g = g;
    employees::overlay_report(&mut g, &parsed.employees, &report).unwrap();
    let mut h = Harness::with_graph(g);
    h.key("5");
    h.event(Event::EmployeesReport(Ok(Some(report))));
    h.key("/");
    h.type_text("ambiguous");
    h.key("enter");
    let rows = h.render(160, 30);
    assert!(rows.contains("E1 · Pat Twin"), "{rows}");
    assert!(rows.contains("E2 · Sam Twin"), "{rows}");
    assert!(rows.contains("#1"), "{rows}");
    h.key("j");
    h.key("d");
    let both = h.render(160, 40);
    assert!(both.contains("pair 1"), "{both}");
    assert!(both.contains("pair 2 (selected)"), "{both}");
    assert!(
        both.contains("E1 · Pat Twin") && both.contains("E2 · Sam Twin"),
        "{both}"
    );
    assert_eq!(both.matches(&email).count(), 4, "{both}");

    // Filtering the category's rows and clearing the filter with Esc keeps
    // the category open: `d` still compares the row under the cursor.
    h.key("esc");
    h.key("/");
    h.type_text("Sam");
    h.key("tab");
    assert!(h.render(160, 30).contains("</Sam>"));
    h.key("esc");
    let rows = h.render(160, 30);
    assert!(
        rows.contains("Employees › ambiguous") && !rows.contains("</Sam>"),
        "{rows}"
    );
    h.key("d");
    assert!(h.render(160, 40).contains("pair 1 (selected)"));
}

/// #14 bug 3: the command line does not offer to complete `:q` into
/// `:query`, Tab leaves it alone, and Enter quits; a prefix still completes.
#[test]
fn colon_q_is_not_completed_into_query() {
    let mut h = harness();
    h.key(":");
    h.type_text("q");
    let footer = h.render(100, 20);
    let last = footer.lines().last().unwrap_or_default().to_string();
    assert!(!last.contains("uery"), "{last}");
    h.key("tab");
    assert!(!h.render(100, 20).contains(":query"));
    h.key("enter");
    assert!(h.quit, "`:q` did not quit");

    let mut h = harness();
    h.key(":");
    h.type_text("gro");
    h.key("tab");
    h.key("enter");
    assert!(h.render(100, 20).contains("Groups ["));
    assert!(!h.quit);
}

/// #14 bug 4 in the Query pane: text on the J1QL line that is not a query
/// filters the saved questions (and results) like `/` elsewhere, shown in
/// the title; Enter runs the best match; `FIND …` still runs as J1QL.
#[test]
fn the_query_line_filters_saved_questions_and_results() {
    use zoomscope::tui::query_pane::{QueryPane, QueryShows};

    let mut h = harness();
    h.key("8");
    h.key("/");
    h.type_text("access-list");
    let screen = h.render(140, 30);
    assert!(screen.contains("</access-list>"), "{screen}");
    // ranked best first, fewer rows than all the questions
    let first_row = screen.lines().nth(4).unwrap_or_default();
    assert!(first_row.contains("zoom-access-list"), "{screen}");
    let all = zoomscope::query::saved::questions().len();
    assert!(!screen.contains(&format!("[{all}/{all}]")), "{screen}");
    assert!(screen.contains(&format!("/{all}]")), "{screen}");
    h.key("enter");
    let pane = h.app.pane::<QueryPane>().unwrap();
    assert_eq!(pane.shows(), QueryShows::Results);
    let access_list = zoomscope::query::saved::questions()
        .iter()
        .find(|q| q.name == "zoom-access-list")
        .unwrap()
        .query
        .clone();
    assert_eq!(pane.input(), access_list, "the best match ran");

    // Results filter the same way; Esc on the line clears the filter.
    h.key("/");
    h.key("ctrl-u");
    h.type_text("zzzz-no-such-row");
    let screen = h.render(140, 30);
    assert!(screen.contains("</zzzz-no-such-row>"), "{screen}");
    h.key("esc");
    assert!(!h.render(140, 30).contains("</zzzz"));
    assert_eq!(
        h.app.pane::<QueryPane>().unwrap().shows(),
        QueryShows::Results
    );

    // J1QL runs as before.
    h.key("/");
    h.key("ctrl-u");
    h.type_text("FIND zoom_group");
    h.key("enter");
    assert_eq!(
        h.app.pane::<QueryPane>().unwrap().input(),
        "FIND zoom_group"
    );
}
