//! `zoomscope --demo` in a real pseudo-terminal ([`super::pty::PtyTerm`]),
//! typed into at a person's pace, for the end-to-end tests of the explorer.

use std::path::Path;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, ExitStatus};

use super::pty::PtyTerm;

const ROWS: u16 = 40;
const COLS: u16 = 140;

/// The demo explorer on a data directory, synced and showing its panes.
pub struct DemoTerm {
    term: PtyTerm,
    // A directory of its own, removed when the terminal goes (see `demo`).
    _dir: Option<tempfile::TempDir>,
}

impl DemoTerm {
    /// `zoomscope --demo` with `users` users on a temporary data directory.
    pub fn demo(users: u32) -> DemoTerm {
        let dir = tempfile::tempdir().unwrap();
        let mut t = DemoTerm::on(dir.path(), users);
        t._dir = Some(dir);
        t
    }

    /// `zoomscope --demo` with `users` users on `dir`, its config file
    /// `dir/config.toml`, synced and on screen.
    pub fn on(dir: &Path, users: u32) -> DemoTerm {
        let t = DemoTerm::sized(dir, users, COLS, ROWS);
        // `2 Us`: the header may shorten tab names (`2 Usr`) to fit the status.
        t.wait_for("the panes", |s| s.contains("2 Us"), 30);
        t
    }

    /// As [`DemoTerm::on`] in a `cols`×`rows` terminal, once synced (a
    /// narrow header abbreviates the tabs, so only the sync is awaited).
    pub fn sized(dir: &Path, users: u32, cols: u16, rows: u16) -> DemoTerm {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zoomscope"));
        cmd.args(["--demo", "--demo-users", &users.to_string(), "--data-dir"]);
        cmd.arg(dir);
        cmd.env("ZOOMSCOPE_CONFIG", dir.join("config.toml"));
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(dir);
        let t = DemoTerm {
            term: PtyTerm::spawn(cmd, cols, rows).unwrap(),
            _dir: None,
        };
        t.wait_for("the sync to finish", |s| s.contains("synced"), 60);
        t
    }

    pub fn screen(&self) -> String {
        self.term.screen()
    }

    /// The screen once `pred` holds, polled; panics with the screen after `secs`.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool, secs: u64) -> String {
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

    /// Types `s` a key at a time, as a person does (the app sees each key).
    pub fn send(&mut self, s: &str) {
        for c in s.chars() {
            self.term.send(c.to_string().as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The exit status once the process ends within `secs`, else `None`.
    pub fn exited(&mut self, secs: u64) -> Option<ExitStatus> {
        self.term.exit_status(Duration::from_secs(secs))
    }

    /// Quits with `:q` and waits for the process to end.
    pub fn quit(&mut self) {
        self.send(":q\r");
        assert!(self.exited(10).is_some(), "zoomscope did not quit");
    }
}
