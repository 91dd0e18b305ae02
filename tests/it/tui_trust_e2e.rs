//! #14 in the terminal: the real binary in a pseudo-terminal (`--demo`, a
//! temporary data directory), for the bugs whose path is the terminal.

use crate::support::demo_term::DemoTerm;

/// #14 bug 3: `:q` quits (as the README says), from any pane, and so does
/// `:quit`; `:q` is not completed to `:query`.
#[test]
fn colon_q_and_colon_quit_quit() {
    for command in [":q\r", ":quit\r"] {
        let mut t = DemoTerm::demo(60);
        t.send("3");
        t.wait_for("the groups pane", |s| s.contains("Groups ["), 10);
        t.send(command);
        let status = t.exited(10);
        assert!(
            status.is_some(),
            "{command:?} did not quit; screen:\n{}",
            t.screen()
        );
        assert!(status.unwrap().success());
    }
}

/// #14 bug 4: `/` filters the Employees, Changes and Alerts lists and
/// their drill-downs visibly (the filter in the title, as in Users), and
/// Esc clears the filter before it goes back.
#[test]
fn slash_filters_every_list_visibly_and_esc_clears_it_first() {
    let mut t = DemoTerm::demo(60);
    // (pane key, title, text to filter by, a row it keeps)
    for (key, title, text) in [
        ("5", "Employees [", "termin"),
        ("6", "Changes [", "#1"),
        ("7", "Alerts [", "admin"),
    ] {
        t.send(key);
        t.wait_for(title, |s| s.contains(title), 20);
        t.send("/");
        t.send(text);
        t.send("\t");
        let filtered = t.wait_for(
            &format!("the filter {text} in the {title} title"),
            |s| s.contains(&format!("</{text}>")),
            10,
        );
        assert!(filtered.contains(title), "{filtered}");
        // Esc clears the filter and stays in the pane.
        t.send("\x1b");
        let cleared = t.wait_for(
            "the filter cleared",
            |s| !s.contains(&format!("</{text}>")),
            10,
        );
        assert!(cleared.contains(title), "Esc left the pane:\n{cleared}");
    }
    // A drill-down: an employee category's rows, filtered, then Esc, Esc.
    t.send("5");
    t.wait_for("employees", |s| s.contains("Employees ["), 10);
    t.send("/");
    t.send("matched");
    t.send("\r");
    let rows = t.wait_for(
        "the matched rows",
        |s| s.contains("Employees › matched"),
        10,
    );
    let email = rows
        .split_whitespace()
        .find(|w| w.contains('@') && w.contains('.'))
        .expect("an e-mail among the matched rows")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let part: String = email.chars().take(6).collect();
    t.send("/");
    t.send(&part);
    t.send("\t");
    let narrowed = t.wait_for(
        "the rows filtered",
        |s| s.contains(&format!("</{part}>")),
        10,
    );
    assert!(narrowed.contains(&email), "{narrowed}");
    t.send("\x1b");
    let back = t.wait_for(
        "the filter cleared in the drill-down",
        |s| !s.contains(&format!("</{part}>")),
        10,
    );
    assert!(
        back.contains("Employees › matched"),
        "Esc went back:\n{back}"
    );
    t.send("\x1b");
    t.wait_for("the categories", |s| !s.contains("Employees › matched"), 10);
    t.send("\x1b");
    t.wait_for(
        "the filter cleared at the root",
        |s| !s.contains("</matched>"),
        10,
    );
    assert!(t.exited(1).is_none(), "Esc quit the app");
    t.send("q");
    assert!(t.exited(10).is_some_and(|s| s.success()));
}
