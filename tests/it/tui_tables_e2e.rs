//! The column chooser in the terminal: the real binary in a
//! pseudo-terminal (`--demo`, a temporary data directory and config file).
//! Hide a column, quit, start again: the choice is still there, and the
//! config file kept its other lines. And an 80-column terminal: the
//! header's tabs and status and the footer's hints fit without running
//! into each other (#14).

use crate::support::demo_term::DemoTerm;

/// The Users table's header line.
fn users_header(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let title = lines
        .iter()
        .position(|l| l.contains("Users ["))
        .unwrap_or_else(|| panic!("no Users table:\n{screen}"));
    lines.get(title + 1).unwrap_or(&"").to_string()
}

#[test]
fn a_hidden_column_stays_hidden_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "# kept as written\n[tui]\nmouse = false\n").unwrap();

    let mut t = DemoTerm::on(dir.path(), 60);
    t.send("2");
    let s = t.wait_for("the users table", |s| s.contains("Users ["), 10);
    assert!(users_header(&s).contains("Email"), "{s}");
    t.send("C");
    t.wait_for("the chooser", |s| s.contains("Columns of Users"), 10);
    t.send("j "); // Email is the second column
    t.wait_for("Email hidden", |s| s.contains("[ ] Email"), 10);
    t.send("\x1b");
    t.wait_for("the save", |s| s.contains("columns saved"), 10);
    let s = t.wait_for("the users table", |s| s.contains("Users ["), 10);
    assert!(!users_header(&s).contains("Email"), "{s}");
    t.quit();
    drop(t);

    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(
        saved.starts_with("# kept as written\n[tui]\nmouse = false\n"),
        "{saved}"
    );
    assert!(saved.contains("[tui.columns]"), "{saved}");

    let mut t = DemoTerm::on(dir.path(), 60);
    t.send("2");
    let s = t.wait_for("the users table", |s| s.contains("Users ["), 10);
    let header = users_header(&s);
    assert!(header.contains("Name"), "{s}");
    assert!(!header.contains("Email"), "remembered:\n{s}");
    t.quit();
}

#[test]
fn tabs_status_and_hints_fit_an_80_column_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = DemoTerm::sized(dir.path(), 60, 80, 24);
    t.send("6");
    let s = t.wait_for("the Changes pane", |s| s.contains("Changes ["), 30);
    let lines: Vec<&str> = s.lines().collect();
    let head = lines.first().copied().unwrap_or_default();
    // every tab (Employees, Changes and Alerts too), the active one named,
    // then the status after a gap
    for k in ["1", "2", "3", "4", "5", "7", "8"] {
        assert!(head.contains(&format!(" {k} ")), "tab {k}:\n{s}");
    }
    assert!(head.contains(" 6 Changes "), "{s}");
    let sync = head.find("synced").unwrap_or_else(|| panic!("{s}"));
    let last_tab = head.find(" 8 ").unwrap_or_default();
    assert!(sync > last_tab + 4, "{s}");
    let foot = lines.last().copied().unwrap_or_default();
    assert!(foot.trim_end().ends_with("? help q quit"), "{s}");
    assert!(foot.contains("Space mark"), "{s}");
    t.quit();
}
