//! #14 in the terminal: the real binary in a pseudo-terminal (`--demo`, a
//! temporary data directory), for the bugs whose path is the terminal.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 140;

struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _dir: tempfile::TempDir,
}

impl Term {
    /// `zoomscope --demo` with `users` users, synced and showing its panes.
    fn demo(users: u32) -> Term {
        let dir = tempfile::tempdir().unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zoomscope"));
        cmd.args(["--demo", "--demo-users", &users.to_string(), "--data-dir"]);
        cmd.arg(dir.path());
        cmd.env("ZOOMSCOPE_CONFIG", dir.path().join("config.toml"));
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(dir.path());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        {
            let parser = parser.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                }
            });
        }
        let t = Term {
            parser,
            writer: pair.master.take_writer().unwrap(),
            child,
            _dir: dir,
        };
        t.wait_for("the panes", |s| s.contains("2 Users"), 30);
        t.wait_for("the sync to finish", |s| s.contains("synced"), 60);
        t
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool, secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, s: &str) {
        for c in s.chars() {
            self.writer.write_all(c.to_string().as_bytes()).unwrap();
            self.writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The exit status once the process ends within `secs`, else `None`.
    fn exited(&mut self, secs: u64) -> Option<ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return Some(st);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

/// #14 bug 3: `:q` quits (as the README says), from any pane, and so does
/// `:quit`; `:q` is not completed to `:query`.
#[test]
fn colon_q_and_colon_quit_quit() {
    for command in [":q\r", ":quit\r"] {
        let mut t = Term::demo(60);
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
    let mut t = Term::demo(60);
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
