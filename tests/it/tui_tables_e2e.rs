//! The column chooser in the terminal: the real binary in a
//! pseudo-terminal (`--demo`, a temporary data directory and config file).
//! Hide a column, quit, start again: the choice is still there, and the
//! config file kept its other lines.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 140;

struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Term {
    /// `zoomscope --demo` on `dir`, with `dir/config.toml`, synced and on screen.
    fn demo(dir: &Path) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zoomscope"));
        cmd.args(["--demo", "--demo-users", "60", "--data-dir"]);
        cmd.arg(dir);
        cmd.env("ZOOMSCOPE_CONFIG", dir.join("config.toml"));
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(dir);
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

    /// Quits with `:q` and waits for the process to end.
    fn quit(&mut self) {
        self.send(":q\r");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "zoomscope did not quit");
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

    let mut t = Term::demo(dir.path());
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

    let mut t = Term::demo(dir.path());
    t.send("2");
    let s = t.wait_for("the users table", |s| s.contains("Users ["), 10);
    let header = users_header(&s);
    assert!(header.contains("Name"), "{s}");
    assert!(!header.contains("Email"), "remembered:\n{s}");
    t.quit();
}
