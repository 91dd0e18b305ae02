//! The whole path as the user meets it (issue 13): the project's sandbox as
//! its own process, `zoomscope sync` as a process, and the real TUI in a
//! pseudo-terminal, all against one generated org.
//!
//! It measures what the outside 100,000-user scale check measures, the same
//! way, so both say the same: the sandbox with `--seed 11
//! --latency-ms 50`, the same credentials and an isolated environment
//! (`ZOOM_*`, `ZOOMSCOPE_DATA_DIR`, `ZOOMSCOPE_CONFIG` naming no file, the
//! `XDG_*` directories in a scratch directory); a 150×45 terminal.
//! - the bare page chain: `GET /v2/users?status=active&page_size=2000`
//!   following `next_page_token` with a plain HTTP client, best of 2, timed
//!   in the same run: the yardstick of the syncs;
//! - `zoomscope sync`, first and unchanged re-sync: wall time from spawn to
//!   exit, peak RSS (`ru_maxrss` from `wait4`, as `/usr/bin/time` reads it),
//!   then the data directory's size on disk (`du -sk`);
//! - `zoomscope` (the TUI): from launch to the org's user count (`100,000`)
//!   on screen; from launch until its background sync is stored (a new
//!   snapshot id in `zoomscope info --json`); its peak RSS by then
//!   (`VmHWM`); then `2`, `/` and `andre` typed key by key: per key, the
//!   time to the first screen showing the typed text (`</andr>`) and the
//!   time to the last change of the `[N/100,000] </andr>` title within
//!   300 ms, waiting longer when by then no title's count differs from the
//!   total (the count came late: the last change would be the echo).
//!
//! Screens are timestamped when their bytes are read from the terminal,
//! not when polled (`support::pty`), so the key figures are finer than the
//! check's tmux polling, which can only see a change up to a poll later.
//!
//! Every figure is printed with its target and ratio, then one PASS or FAIL
//! line each. A missed target still exits 0 (a bench reports); a run that
//! cannot be made (the sandbox does not start, a sync fails) is an error.
//!
//! `ZOOMSCOPE_E2E_USERS` picks the org size (default 100000); a
//! comma-separated list runs each size in turn, and with both 100000 and
//! 200000 it prints how each figure grew (linear cost ≈ 2.0). Memory and
//! store targets scale with the org above 100,000 (×2 at 200,000); times
//! and ratios do not.
//!
//! Run: `cargo bench --bench e2e` (about a minute and a half at 100,000
//! users, most of it the TUI's sync and fixed pauses).

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::fs::File;
use std::io::Read as _;
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use portable_pty::CommandBuilder;
use support::pty::{Frame, PtyTerm};

const BIN: &str = env!("CARGO_BIN_EXE_zoomscope");
/// The check's org, latency, page size and terminal.
const SEED: u64 = 11;
const LATENCY_MS: u64 = 50;
const PAGE_SIZE: u32 = 2000;
const COLS: u16 = 150;
const ROWS: u16 = 45;
/// The check's credentials: the sandbox accepts exactly these.
const ACCOUNT_ID: &str = "acct-check-1";
const CLIENT_ID: &str = "cid-check";
const CLIENT_SECRET: &str = "sec-check-XYZ987";
/// The word the check types in the Users pane, one key at a time.
const WORD: &str = "andre";
/// How long after a key its results may still change.
const KEY_WINDOW: Duration = Duration::from_millis(300);

/// How long a key may take to show at all before it counts as never.
const LATE_KEY_TIMEOUT: Duration = Duration::from_secs(10);

const SYNC_TIMEOUT: Duration = Duration::from_secs(300);
const TUI_SHOW_TIMEOUT: Duration = Duration::from_secs(60);
const TUI_STORE_TIMEOUT: Duration = Duration::from_secs(180);

/// Variables of the caller's environment that would point a child at
/// another account, profile, config or data directory.
const INHERITED: &[&str] = &[
    "ZOOM_ACCOUNT_ID",
    "ZOOM_CLIENT_ID",
    "ZOOM_CLIENT_SECRET",
    "ZOOM_API_URL",
    "ZOOM_OAUTH_URL",
    "ZOOMSCOPE_PROFILE",
    "ZOOMSCOPE_CONFIG",
    "ZOOMSCOPE_DATA_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
];

fn main() -> anyhow::Result<()> {
    let sizes = org_sizes()?;
    let mut runs = Vec::new();
    for users in sizes {
        let figures =
            run(users).with_context(|| format!("the e2e run at {} users", thousands(users)))?;
        figures.print();
        runs.push(figures);
    }
    let small = runs.iter().find(|r| r.users == 100_000);
    let large = runs.iter().find(|r| r.users == 200_000);
    if let (Some(a), Some(b)) = (small, large) {
        print_growth(a, b);
    }
    println!();
    for r in &runs {
        for c in r.checks() {
            println!(
                "{} {}: {} (target {})",
                if c.passes() { "PASS" } else { "FAIL" },
                c.label,
                c.shown,
                c.target_text
            );
        }
    }
    Ok(())
}

/// `ZOOMSCOPE_E2E_USERS`: one size or a comma-separated list.
fn org_sizes() -> anyhow::Result<Vec<usize>> {
    let Ok(text) = std::env::var("ZOOMSCOPE_E2E_USERS") else {
        return Ok(vec![100_000]);
    };
    let sizes = text
        .split(',')
        .map(|s| {
            let s = s.trim().replace('_', "");
            s.parse::<usize>()
                .ok()
                .filter(|n| (10..=200_000).contains(n))
                .ok_or_else(|| {
                    anyhow!("ZOOMSCOPE_E2E_USERS: {s:?} is not a number of users from 10 to 200000")
                })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if sizes.is_empty() {
        bail!("ZOOMSCOPE_E2E_USERS is empty");
    }
    Ok(sizes)
}

/// One org size, measured end to end.
fn run(users: usize) -> anyhow::Result<Figures> {
    println!(
        "\n== e2e: {} users (sandbox --seed {SEED} --latency-ms {LATENCY_MS}, page_size {PAGE_SIZE}, TUI {COLS}×{ROWS})",
        thousands(users)
    );
    let scratch = tempfile::Builder::new()
        .prefix("zoomscope-e2e.")
        .tempdir()
        .context("a scratch directory")?;
    let sandbox = Sandbox::start(users, scratch.path())?;
    let env = IsolatedEnv::new(scratch.path(), sandbox.port)?;

    let chain = bare_chain(sandbox.port)?;
    println!("  bare page chain (active, best of 2): {chain:.3} s");

    let sync1 = sync_process(&env, 1)?;
    println!(
        "  sync, first:              {:.2} s, peak RSS {}",
        sync1.wall,
        mb(sync1.maxrss_kb)
    );
    let sync2 = sync_process(&env, 2)?;
    println!(
        "  sync, unchanged re-sync:  {:.2} s, peak RSS {}",
        sync2.wall,
        mb(sync2.maxrss_kb)
    );
    let store_kb = du_kb(&env.data)?;
    println!("  store after two syncs:    {}", mb(store_kb));

    let tui = tui(&env, users)?;
    drop(sandbox);
    Ok(Figures {
        users,
        chain,
        sync1,
        sync2,
        store_kb,
        tui,
    })
}

/// `zoomscope sandbox` as its own process, stopped when dropped.
struct Sandbox {
    child: Child,
    port: u16,
}

impl Sandbox {
    fn start(users: usize, scratch: &Path) -> anyhow::Result<Sandbox> {
        let port = free_port()?;
        let out_path = scratch.join("sandbox.out");
        let out = File::create(&out_path).context("the sandbox's output file")?;
        let err = out.try_clone().context("the sandbox's output file")?;
        let child = Command::new(BIN)
            .args(["sandbox", "--port", &port.to_string()])
            .args(["--users", &users.to_string(), "--seed", &SEED.to_string()])
            .args(["--account-id", ACCOUNT_ID, "--client-id", CLIENT_ID])
            .args(["--client-secret", CLIENT_SECRET])
            .args(["--latency-ms", &LATENCY_MS.to_string()])
            .env_remove("ZOOMSCOPE_CONFIG")
            .env_remove("ZOOMSCOPE_DATA_DIR")
            .env("ZOOMSCOPE_CONFIG", scratch.join("none.toml"))
            .env("ZOOMSCOPE_DATA_DIR", scratch.join("sandbox-data"))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("starting {BIN} sandbox"))?;
        let mut sb = Sandbox { child, port };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(sb);
            }
            if let Ok(Some(status)) = sb.child.try_wait() {
                bail!(
                    "zoomscope sandbox exited ({status}) before listening on --port {port}: {}",
                    tail(&out_path, 2)
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "zoomscope sandbox did not listen on --port {port} within 120 s: {}",
                    tail(&out_path, 2)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port the kernel picks: bound, then released for the sandbox.
fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").context("binding a local port")?;
    Ok(l.local_addr().context("a bound port's address")?.port())
}

/// The environment every zoomscope child runs in: the sandbox's account by
/// `ZOOM_*`, and config, data and XDG directories of this run only.
struct IsolatedEnv {
    vars: Vec<(&'static str, String)>,
    data: PathBuf,
}

impl IsolatedEnv {
    fn new(scratch: &Path, port: u16) -> anyhow::Result<IsolatedEnv> {
        let p = |name: &str| scratch.join(name).display().to_string();
        let data = scratch.join("data");
        std::fs::create_dir_all(&data).context("the data directory")?;
        let vars = vec![
            ("ZOOM_ACCOUNT_ID", ACCOUNT_ID.to_string()),
            ("ZOOM_CLIENT_ID", CLIENT_ID.to_string()),
            ("ZOOM_CLIENT_SECRET", CLIENT_SECRET.to_string()),
            ("ZOOM_API_URL", format!("http://127.0.0.1:{port}/v2")),
            ("ZOOM_OAUTH_URL", format!("http://127.0.0.1:{port}")),
            ("ZOOMSCOPE_DATA_DIR", data.display().to_string()),
            ("ZOOMSCOPE_CONFIG", p("none.toml")),
            ("XDG_CONFIG_HOME", p("xdg-config")),
            ("XDG_DATA_HOME", p("xdg-data")),
            ("XDG_STATE_HOME", p("xdg-state")),
            ("XDG_CACHE_HOME", p("xdg-cache")),
        ];
        Ok(IsolatedEnv { vars, data })
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args);
        for k in INHERITED {
            cmd.env_remove(k);
        }
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    fn pty_command(&self) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(BIN);
        for k in INHERITED {
            cmd.env_remove(k);
        }
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.cwd(&self.data);
        cmd
    }

    /// The highest snapshot id `zoomscope info --json` reports (0: none).
    fn latest_snapshot(&self) -> anyhow::Result<i64> {
        let out = self
            .command(&["info", "--json"])
            .output()
            .context("running zoomscope info --json")?;
        if !out.status.success() {
            bail!(
                "zoomscope info --json exited {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).context("zoomscope info --json is not JSON")?;
        Ok(v["profiles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["last_sync"]["snapshot_id"].as_i64())
            .max()
            .unwrap_or(0))
    }
}

/// The active listing's page chain with a plain HTTP client (not
/// `zoomscope::zoom`), best of 2: what fetching costs with nothing else.
fn bare_chain(port: u16) -> anyhow::Result<f64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("a tokio runtime")?;
    rt.block_on(async {
        let http = support::sandbox::http();
        let base = format!("http://127.0.0.1:{port}");
        let r = http
            .post(format!("{base}/oauth/token"))
            .query(&[
                ("grant_type", "account_credentials"),
                ("account_id", ACCOUNT_ID),
            ])
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .send()
            .await
            .context("POST /oauth/token")?;
        let status = r.status();
        let body: serde_json::Value = r.json().await.context("the token body")?;
        let token = body["access_token"]
            .as_str()
            .ok_or_else(|| anyhow!("POST /oauth/token answered {status} without access_token"))?
            .to_string();
        let mut best = f64::INFINITY;
        for _ in 0..2 {
            let t0 = Instant::now();
            let mut next = String::new();
            loop {
                let r = http
                    .get(format!("{base}/v2/users"))
                    .query(&[
                        ("status", "active"),
                        ("page_size", &PAGE_SIZE.to_string()),
                        ("next_page_token", &next),
                    ])
                    .bearer_auth(&token)
                    .send()
                    .await
                    .context("GET /v2/users")?;
                if !r.status().is_success() {
                    bail!("GET /v2/users answered {}", r.status());
                }
                let page: serde_json::Value = r.json().await.context("a page of users")?;
                next = page["next_page_token"].as_str().unwrap_or("").to_string();
                if next.is_empty() {
                    break;
                }
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        Ok(best)
    })
}

/// A process's wall time and peak resident set.
struct Measured {
    wall: f64,
    maxrss_kb: u64,
}

/// `zoomscope sync` as a process, reaped with `wait4` for its rusage.
fn sync_process(env: &IsolatedEnv, n: u32) -> anyhow::Result<Measured> {
    let out_path = env.data.with_file_name(format!("sync.{n}.out"));
    let out = File::create(&out_path).context("the sync's output file")?;
    let err = out.try_clone().context("the sync's output file")?;
    let mut cmd = env.command(&["sync"]);
    cmd.stdout(out).stderr(err);
    let t0 = Instant::now();
    let child = cmd.spawn().context("starting zoomscope sync")?;
    let (status, rusage) = wait4_with_timeout(child, SYNC_TIMEOUT)?;
    let wall = t0.elapsed().as_secs_f64();
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let how = if libc::WIFEXITED(status) {
            format!("exited {}", libc::WEXITSTATUS(status))
        } else {
            format!("was killed by signal {}", libc::WTERMSIG(status))
        };
        bail!("zoomscope sync {n} {how}: {}", tail(&out_path, 2));
    }
    Ok(Measured {
        wall,
        maxrss_kb: u64::try_from(rusage.ru_maxrss).unwrap_or(0),
    })
}

/// Reaps `child` with `wait4` (its own rusage, not the sum of all
/// children), killing it after `timeout`.
fn wait4_with_timeout(child: Child, timeout: Duration) -> anyhow::Result<(i32, libc::rusage)> {
    let pid = libc::pid_t::try_from(child.id()).context("a child's pid")?;
    let (done, watch) = channel::<()>();
    let dog = std::thread::spawn(move || {
        if watch.recv_timeout(timeout) == Err(RecvTimeoutError::Timeout) {
            // SAFETY: kill(2) on our own unreaped child: the pid is still ours.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = loop {
        // SAFETY: wait4(2) with valid pointers to locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut rusage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let _ = done.send(());
    let _ = dog.join();
    // Reaped by hand: `Child` must not wait again (dropping it does not).
    drop(child);
    if r != pid {
        bail!("wait4: {}", std::io::Error::last_os_error());
    }
    Ok((status, rusage))
}

/// What the TUI run measured; `None` where the screen never got there.
struct TuiFigures {
    shown: Option<f64>,
    stored: Option<f64>,
    hwm_kb: u64,
    keys: Vec<KeyFigure>,
}

struct KeyFigure {
    first: Option<f64>,
    settled: Option<f64>,
    title: Option<String>,
}

/// The real TUI in a 150×45 pseudo-terminal, as the check drives it in tmux.
fn tui(env: &IsolatedEnv, users: usize) -> anyhow::Result<TuiFigures> {
    let before = env.latest_snapshot()?;
    let total = thousands(users);
    let launched = Instant::now();
    let mut term = PtyTerm::spawn(env.pty_command(), COLS, ROWS)?;
    let pid = term
        .pid()
        .ok_or_else(|| anyhow!("the TUI has no process id"))?;
    let shown = term
        .wait_for(|s| s.contains(&total), TUI_SHOW_TIMEOUT)
        .map(|f| f.at.duration_since(launched).as_secs_f64());
    if !term.running() {
        bail!(
            "the TUI exited before its sync was stored; screen:\n{}",
            term.screen()
        );
    }
    match shown {
        Some(s) => println!("  TUI: {total} on screen after {s:.2} s"),
        None => println!("  TUI: {total} not on screen within {TUI_SHOW_TIMEOUT:?}"),
    }
    let mut stored = None;
    let mut hwm_kb = vm_hwm_kb(pid).unwrap_or(0);
    if shown.is_some() {
        let deadline = launched + TUI_STORE_TIMEOUT;
        while Instant::now() < deadline {
            hwm_kb = hwm_kb.max(vm_hwm_kb(pid).unwrap_or(0));
            if env.latest_snapshot()? > before {
                stored = Some(launched.elapsed().as_secs_f64());
                break;
            }
            if !term.running() {
                bail!(
                    "the TUI exited before its sync was stored; screen:\n{}",
                    term.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        hwm_kb = hwm_kb.max(vm_hwm_kb(pid).unwrap_or(0));
    }
    match stored {
        Some(s) => println!(
            "  TUI: background sync stored after {s:.2} s, peak RSS by then {}",
            mb(hwm_kb)
        ),
        None => println!("  TUI: background sync not stored within {TUI_STORE_TIMEOUT:?}"),
    }
    let mut keys = Vec::new();
    if stored.is_some() {
        // The check's pauses: the screen settles, the Users pane, search.
        std::thread::sleep(Duration::from_secs(5));
        term.send(b"2")?;
        std::thread::sleep(Duration::from_secs(1));
        term.send(b"/")?;
        std::thread::sleep(Duration::from_millis(300));
        let mut typed = String::new();
        for k in WORD.chars() {
            typed.push(k);
            term.record();
            // Stamped before the write: the key exists from then on.
            let sent = Instant::now();
            term.send(k.to_string().as_bytes())?;
            std::thread::sleep(KEY_WINDOW);
            // A key not even echoed within the window still gets its real
            // figure: wait for its text, then a window more for results.
            let shows = format!("</{typed}>");
            let late = Instant::now() + LATE_KEY_TIMEOUT;
            while !term.recorded().iter().any(|f| f.text.contains(&shows)) && Instant::now() < late
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            if sent.elapsed() > KEY_WINDOW * 2 {
                std::thread::sleep(KEY_WINDOW);
            }
            // Under load the filtered count may come after the window: until
            // a title's count differs from the total, the last change is
            // only the echo of the typed text, not the key's results. Wait
            // for the count (a window more once it shows, for later changes).
            let counted = |frames: &[Frame]| {
                frames.iter().filter(|f| f.at >= sent).any(|f| {
                    results_title(&f.text, &typed, &total)
                        .is_some_and(|t| !t.starts_with(&format!("[{total}/")))
                })
            };
            if !counted(&term.recorded()) {
                let late = Instant::now() + LATE_KEY_TIMEOUT;
                while !counted(&term.recorded()) && Instant::now() < late {
                    std::thread::sleep(Duration::from_millis(5));
                }
                std::thread::sleep(KEY_WINDOW);
            }
            let frames = term.stop_recording();
            let key = key_figure(&frames, sent, &typed, &total);
            println!(
                "  search {:<8} first change {:>9}, settled {:>9}  {}",
                format!("</{typed}>"),
                opt_ms(key.first),
                opt_ms(key.settled),
                key.title.as_deref().unwrap_or("(no results title)")
            );
            if key.first.is_none() {
                // Say what the terminal showed instead, once.
                if keys.iter().all(|k: &KeyFigure| k.first.is_some()) {
                    println!("  the screen after {typed:?}:\n{}", term.screen());
                }
            }
            keys.push(key);
        }
    }
    let _ = term.send(b"\x03");
    if !term.wait_exit(Duration::from_secs(10)) {
        term.kill();
    }
    Ok(TuiFigures {
        shown,
        stored,
        hwm_kb,
        keys,
    })
}

/// One key's figures from the screens recorded after it was sent: the
/// first screen showing the typed text, and the last change of the results
/// title (`[N/TOTAL] </typed>`), as the check reads them.
fn key_figure(frames: &[Frame], sent: Instant, typed: &str, total: &str) -> KeyFigure {
    let after: Vec<&Frame> = frames.iter().filter(|f| f.at >= sent).collect();
    let since = |f: &Frame| f.at.duration_since(sent).as_secs_f64();
    let shows = format!("</{typed}>");
    let first = after
        .iter()
        .find(|f| f.text.contains(&shows))
        .map(|f| since(f));
    let mut title: Option<String> = None;
    let mut settled = None;
    for f in &after {
        if let Some(t) = results_title(&f.text, typed, total)
            && title.as_deref() != Some(t.as_str())
        {
            title = Some(t);
            settled = Some(since(f));
        }
    }
    KeyFigure {
        first,
        settled,
        title,
    }
}

/// `[N/TOTAL] </typed>` from the screen, if a pane's title shows it.
fn results_title(screen: &str, typed: &str, total: &str) -> Option<String> {
    let tail = format!("/{total}] </{typed}>");
    screen.lines().find_map(|line| {
        let end = line.find(&tail)?;
        let start = line[..end].rfind('[')?;
        let count = &line[start + 1..end];
        (!count.is_empty() && count.chars().all(|c| c.is_ascii_digit() || c == ','))
            .then(|| line[start..end + tail.len()].to_string())
    })
}

/// The peak resident set of a running process, from `/proc/PID/status`.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let mut s = String::new();
    File::open(format!("/proc/{pid}/status"))
        .ok()?
        .read_to_string(&mut s)
        .ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Disk usage of a directory tree in KiB, as `du -sk` counts it (blocks
/// allocated, the directory itself included).
fn du_kb(dir: &Path) -> anyhow::Result<u64> {
    fn walk(p: &Path, sum: &mut u64) -> std::io::Result<()> {
        let m = std::fs::symlink_metadata(p)?;
        *sum += m.blocks() * 512;
        if m.is_dir() {
            for e in std::fs::read_dir(p)? {
                walk(&e?.path(), sum)?;
            }
        }
        Ok(())
    }
    let mut bytes = 0;
    walk(dir, &mut bytes).with_context(|| format!("the size of {}", dir.display()))?;
    Ok(bytes / 1024)
}

/// The last `n` lines of a child's output file, on one line.
fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" ")
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

fn opt_ms(s: Option<f64>) -> String {
    s.map_or("—".to_string(), |s| format!("{:.1} ms", s * 1000.0))
}

/// Everything one run measured.
struct Figures {
    users: usize,
    chain: f64,
    sync1: Measured,
    sync2: Measured,
    store_kb: u64,
    tui: TuiFigures,
}

/// One figure against its target (at most the target passes).
struct Check {
    label: String,
    /// The figure in the unit of its target; `None`: never reached.
    value: Option<f64>,
    target: f64,
    shown: String,
    target_text: String,
}

impl Check {
    fn passes(&self) -> bool {
        self.value.is_some_and(|v| v <= self.target)
    }
}

impl Figures {
    /// Memory and store targets grow with the org; times and ratios do not.
    fn scale(&self) -> f64 {
        (self.users as f64 / 100_000.0).max(1.0)
    }

    fn sync_rss_kb(&self) -> u64 {
        self.sync1.maxrss_kb.max(self.sync2.maxrss_kb)
    }

    fn worst_settle(&self) -> Option<f64> {
        worst(self.tui.keys.iter().map(|k| k.settled))
    }

    fn worst_first(&self) -> Option<f64> {
        worst(self.tui.keys.iter().map(|k| k.first))
    }

    fn checks(&self) -> Vec<Check> {
        let k = thousands(self.users);
        let n = self.scale();
        let mbf = |kb: u64| kb as f64 / 1024.0;
        let ratio = |v: f64, t: f64| format!("{:.2}× target", v / t);
        let mut out = Vec::new();
        for (what, m) in [
            ("first sync", &self.sync1),
            ("unchanged re-sync", &self.sync2),
        ] {
            let r = m.wall / self.chain;
            out.push(Check {
                label: format!("{k}: {what} (process)"),
                value: Some(r),
                target: 1.3,
                shown: format!(
                    "{:.2} s = {r:.2}× the page chain ({:.2} s), {}",
                    m.wall,
                    self.chain,
                    ratio(r, 1.3)
                ),
                target_text: "≤ 1.30× the chain".into(),
            });
        }
        let rss = mbf(self.sync_rss_kb());
        out.push(Check {
            label: format!("{k}: sync peak RSS"),
            value: Some(rss),
            target: 300.0 * n,
            shown: format!("{rss:.0} MB, {}", ratio(rss, 300.0 * n)),
            target_text: format!("≤ {:.0} MB", 300.0 * n),
        });
        let store = mbf(self.store_kb);
        out.push(Check {
            label: format!("{k}: store after two syncs"),
            value: Some(store),
            target: 80.0 * n,
            shown: format!("{store:.0} MB, {}", ratio(store, 80.0 * n)),
            target_text: format!("≤ {:.0} MB", 80.0 * n),
        });
        out.push(Check {
            label: format!("{k}: TUI shows {k} users after launch"),
            value: self.tui.shown,
            target: 0.5,
            shown: self
                .tui
                .shown
                .map_or("never".into(), |s| format!("{s:.2} s, {}", ratio(s, 0.5))),
            target_text: "≤ 0.50 s".into(),
        });
        let stored = self.tui.stored.map(|s| s / self.sync2.wall);
        out.push(Check {
            label: format!("{k}: TUI background sync stored after launch"),
            value: stored,
            target: 1.5,
            shown: self.tui.stored.map_or("never".into(), |s| {
                let r = s / self.sync2.wall;
                format!(
                    "{s:.2} s = {r:.2}× the headless re-sync ({:.2} s), {}",
                    self.sync2.wall,
                    ratio(r, 1.5)
                )
            }),
            target_text: "≤ 1.50× the headless re-sync".into(),
        });
        let tui_rss = mbf(self.tui.hwm_kb);
        out.push(Check {
            label: format!("{k}: TUI peak RSS until its sync is stored"),
            value: Some(tui_rss),
            target: 500.0 * n,
            shown: format!("{tui_rss:.0} MB, {}", ratio(tui_rss, 500.0 * n)),
            target_text: format!("≤ {:.0} MB", 500.0 * n),
        });
        let keys = self.tui.keys.len();
        for (what, v, target) in [
            ("results settle", self.worst_settle(), 0.060),
            ("first screen change", self.worst_first(), 0.016),
        ] {
            out.push(Check {
                label: format!("{k}: typed search, worst of {keys} keys, key → {what}"),
                value: v,
                target,
                shown: v.map_or("never".into(), |v| {
                    format!("{:.1} ms, {}", v * 1000.0, ratio(v, target))
                }),
                target_text: format!("≤ {:.0} ms", target * 1000.0),
            });
        }
        out
    }

    fn print(&self) {
        println!("  -- figures at {} users", thousands(self.users));
        for c in self.checks() {
            println!("  {:<68} {}  (target {})", c.label, c.shown, c.target_text);
        }
        // One line to set beside scale-100k.sh's summary line.
        let s2 = self.sync2.wall;
        println!(
            "  {}k: search {} ms, sync {:.2}x/{:.2}x chain, RSS {:.0} MB, store {:.0} MB, TUI data {} s, TUI sync {} s ({}x), TUI RSS {:.0} MB",
            self.users / 1000,
            self.worst_settle()
                .map_or("—".into(), |v| format!("{:.0}", v * 1000.0)),
            self.sync1.wall / self.chain,
            s2 / self.chain,
            self.sync_rss_kb() as f64 / 1024.0,
            self.store_kb as f64 / 1024.0,
            self.tui.shown.map_or("—".into(), |v| format!("{v:.2}")),
            self.tui.stored.map_or("—".into(), |v| format!("{v:.1}")),
            self.tui
                .stored
                .map_or("—".into(), |v| format!("{:.1}", v / s2)),
            self.tui.hwm_kb as f64 / 1024.0,
        );
    }
}

fn worst(xs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut w: Option<f64> = None;
    for x in xs {
        w = Some(w.unwrap_or(0.0).max(x?));
    }
    w
}

/// How each figure grew from 100,000 to 200,000 users (linear: ≈ 2.0).
fn print_growth(a: &Figures, b: &Figures) {
    println!("\n== growth from 100,000 to 200,000 users (200k figure / 100k figure; linear ≈ 2.0)");
    let row = |what: &str, x: Option<f64>, y: Option<f64>, unit: &str| match (x, y) {
        (Some(x), Some(y)) if x > 0.0 => {
            println!(
                "  {what:<40} {x:>9.2} {unit} → {y:>9.2} {unit}  = {:.2}×",
                y / x
            )
        }
        _ => println!("  {what:<40} not measured in both runs"),
    };
    let kb = |k: u64| Some(k as f64 / 1024.0);
    row("bare page chain", Some(a.chain), Some(b.chain), "s");
    row("first sync", Some(a.sync1.wall), Some(b.sync1.wall), "s");
    row(
        "unchanged re-sync",
        Some(a.sync2.wall),
        Some(b.sync2.wall),
        "s",
    );
    row(
        "sync peak RSS",
        kb(a.sync_rss_kb()),
        kb(b.sync_rss_kb()),
        "MB",
    );
    row(
        "store after two syncs",
        kb(a.store_kb),
        kb(b.store_kb),
        "MB",
    );
    row("TUI: users on screen", a.tui.shown, b.tui.shown, "s");
    row(
        "TUI: background sync stored",
        a.tui.stored,
        b.tui.stored,
        "s",
    );
    row("TUI peak RSS", kb(a.tui.hwm_kb), kb(b.tui.hwm_kb), "MB");
    let ms = |v: Option<f64>| v.map(|v| v * 1000.0);
    row(
        "search: worst key → settled",
        ms(a.worst_settle()),
        ms(b.worst_settle()),
        "ms",
    );
    row(
        "search: worst key → first change",
        ms(a.worst_first()),
        ms(b.worst_first()),
        "ms",
    );
}
