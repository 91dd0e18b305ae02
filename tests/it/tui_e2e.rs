//! End to end: the real binary in a pseudo-terminal, `--demo` with a
//! temporary data directory. Start, `/`, type part of an e-mail, Enter, see
//! that user's role and groups, Esc, `q`, and the terminal is restored
//! (alternate screen left, cursor shown, nothing left in raw mode).

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
}

impl Term {
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
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }
}

#[test]
fn demo_find_user_by_email_part_then_back_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_zoomscope"));
    cmd.args(["--demo", "--demo-users", "300", "--data-dir"]);
    cmd.arg(dir.path());
    cmd.env("ZOOMSCOPE_CONFIG", dir.path().join("config.toml"));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd.cwd(dir.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(ROWS).unwrap(),
        std::num::NonZeroU16::new(COLS).unwrap(),
        0,
    )));
    let raw = Arc::new(Mutex::new(Vec::new()));
    let mut reader = pair.master.try_clone_reader().unwrap();
    {
        let parser = parser.clone();
        let raw = raw.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
                raw.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
    }
    let mut t = Term {
        parser,
        raw,
        writer: pair.master.take_writer().unwrap(),
    };

    // The account is on screen, then the background sync finishes.
    // The header shortens tab names when they do not all fit beside the
    // status (`2 Usr` once the Activity tab joins them at 120 columns).
    t.wait_for(
        "the panes",
        |s| s.contains("2 Us") && s.contains("Account"),
        30,
    );
    t.wait_for("the sync to finish", |s| s.contains("synced"), 60);
    t.send("2");
    let screen = t.wait_for(
        "the users table",
        |s| s.contains("Users [") && s.contains('@'),
        30,
    );
    // pick a user from the screen: the first e-mail in the table
    let email = screen
        .split_whitespace()
        .find(|w| w.contains('@') && w.contains('.'))
        .expect("an e-mail on screen")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let local = email.split('@').next().unwrap();
    let fragment: String = local.chars().take(local.len().min(8)).collect();

    t.send("/");
    for c in fragment.chars() {
        t.send(&c.to_string());
    }
    t.wait_for(
        "the filter in the title",
        |s| s.contains(&format!("</{fragment}>")),
        30,
    );
    t.send("\r");
    let detail = t.wait_for(
        "the user's detail",
        |s| s.contains("Profile") && s.contains("Groups ("),
        30,
    );
    assert!(detail.contains("Role"), "{detail}");
    assert!(
        detail.contains(&fragment),
        "the best match for {fragment}:\n{detail}"
    );
    assert!(detail.contains("Users › "), "breadcrumbs: {detail}");

    t.send("\x1b");
    t.wait_for(
        "the filtered table again",
        |s| s.contains(&format!("</{fragment}>")) && !s.contains("Profile"),
        30,
    );

    // The Employees pane: the report comes from the stored demo roster
    // through the data source, counts in place of the "…" placeholders.
    t.send("5");
    let employees = t.wait_for(
        "the employee categories with counts",
        |s| {
            s.lines().any(|l| {
                let mut w = l
                    .split_whitespace()
                    .skip_while(|w| !w.contains("terminated_but_active"));
                w.next().is_some()
                    && w.next()
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
            })
        },
        30,
    );
    assert!(employees.contains("employee_without_zoom"), "{employees}");

    // The Query pane: type J1QL, Enter, see the groups.
    t.send("8");
    t.wait_for(
        "the saved questions",
        |s| s.contains("zoom-access-list"),
        30,
    );
    t.send("/");
    for c in "FIND zoom_group AS g RETURN g.name".chars() {
        t.send(&c.to_string());
    }
    t.send("\r");
    t.wait_for(
        "the query's rows",
        |s| s.contains("g.name") && s.contains("row(s)"),
        30,
    );
    t.send("q");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "zoomscope did not quit on q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let raw = t.raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&raw);
    let enter = text
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    let leave = text
        .rfind("\x1b[?1049l")
        .expect("left the alternate screen");
    assert!(leave > enter);
    let show = text.rfind("\x1b[?25h").expect("cursor shown again");
    assert!(show > enter);
    let parser = t.parser.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(!parser.screen().hide_cursor(), "cursor visible");
}
