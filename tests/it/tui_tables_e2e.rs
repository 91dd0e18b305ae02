//! The column chooser in the terminal: the real binary in a
//! pseudo-terminal (`--demo`, a temporary data directory and config file).
//! Hide a column, quit, start again: the choice is still there, and the
//! config file kept its other lines.

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
