//! Webhook delivery against real local HTTP servers: a webhook that
//! redirects (302, 307) or hangs never loses an alert, never sends one to
//! the redirect target, and never delays the watch loop's rounds; invalid
//! webhook URLs stop `watch` at start with exit 2.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::any;
use chrono::Utc;
use rusqlite::Connection;
use serde_json::{Value, json};
use zoomscope::alerts::outbox::Outbox;
use zoomscope::alerts::watch::{Source, Synced, Watcher};
use zoomscope::alerts::webhook::Webhook;
use zoomscope::graph::{Entity, EntityType, Graph};

/// Requests a server received: (method, body).
type Log = Arc<Mutex<Vec<(String, String)>>>;

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// A server that accepts anything with 200 and logs it.
async fn sink() -> (Log, String) {
    let log: Log = Log::default();
    let l = log.clone();
    let app = Router::new().fallback(any(move |method: axum::http::Method, body: String| {
        let l = l.clone();
        async move {
            l.lock().unwrap().push((method.to_string(), body));
            StatusCode::OK
        }
    }));
    (log, serve(app).await)
}

/// A webhook that answers every request with `status` and a Location to `to`.
async fn redirector(status: StatusCode, to: String) -> String {
    let app = Router::new().fallback(any(move || {
        let to = to.clone();
        async move {
            let mut h = HeaderMap::new();
            h.insert(header::LOCATION, to.parse().unwrap());
            (status, h)
        }
    }));
    format!("{}/hook", serve(app).await)
}

/// A webhook that accepts connections and reads requests but never answers.
async fn hanging() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{addr}/hook")
}

fn fast(url: &str) -> Webhook {
    let mut w = Webhook::new(url).unwrap();
    w.backoff = Duration::from_millis(5);
    w
}

fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    (dir, conn)
}

#[tokio::test]
async fn redirects_are_failures_that_keep_the_message_and_send_nothing_elsewhere() {
    for status in [
        StatusCode::FOUND,
        StatusCode::SEE_OTHER,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let (target, target_url) = sink().await;
        let url = redirector(status, format!("{target_url}/sink?token=s3cret")).await;
        let (_dir, conn) = db();
        let outbox = Outbox::open(&conn, "default").unwrap();
        outbox.push("first alert", Utc::now()).unwrap();
        outbox.push("second alert", Utc::now()).unwrap();

        let r = fast(&url).flush(&outbox).await.unwrap();
        assert_eq!(r.delivered, 0, "{status}");
        assert_eq!(r.pending, 2, "{status}");
        let error = r.last_error.unwrap();
        assert!(error.contains(&status.as_u16().to_string()), "{error}");
        // The Location is named (its origin; never a path or query).
        let origin = target_url.trim_start_matches("http://");
        assert!(error.contains(origin), "{error}");
        assert!(!error.contains("s3cret"), "{error}");
        assert!(target.lock().unwrap().is_empty(), "{status} was followed");
        // Not retried within the round: a redirect will not go away by itself.
        let pending = outbox.pending().unwrap();
        assert_eq!(pending[0].attempts, 1);
        assert_eq!(pending[1].text, "second alert");
    }
}

/// One user whose `n` property is `i`, so each snapshot differs from the last.
fn graph(i: i64) -> Graph {
    let mut g = Graph::new();
    let mut e = Entity::new(EntityType::User, "zoom_user:a".to_string());
    e.props.insert(Arc::from("n"), json!(i));
    e.props.insert(Arc::from("email"), json!("a@acme.io"));
    g.add_entity(e).unwrap();
    g
}

/// A new snapshot every round; remembers when each sync started.
struct Changing {
    next: i64,
    started: Arc<Mutex<Vec<Instant>>>,
}

impl Source for Changing {
    async fn sync(&mut self) -> Result<Synced, String> {
        self.started.lock().unwrap().push(Instant::now());
        self.next += 1;
        Ok(Synced {
            snapshot_id: self.next,
            graph: graph(self.next),
            failed_steps: Vec::new(),
        })
    }
}

/// Runs watch with `webhook` every `interval` for `rounds` rounds; returns
/// the round start times and the printed lines.
async fn watch_rounds(
    conn: &Connection,
    webhook: Webhook,
    interval: Duration,
    rounds: usize,
) -> (Vec<Instant>, Vec<Value>) {
    let started = Arc::new(Mutex::new(Vec::new()));
    let mut src = Changing {
        next: 1,
        started: started.clone(),
    };
    let previous = Synced {
        snapshot_id: 1,
        graph: graph(1),
        failed_steps: Vec::new(),
    };
    let mut w = Watcher::new(conn, "default", Vec::new(), Some(webhook), Some(previous));
    let (tx, rx) = tokio::sync::watch::channel(false);
    let watched = started.clone();
    let stopper = tokio::spawn(async move {
        while watched.lock().unwrap().len() < rounds {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // Stop while the loop waits after the last round.
        tokio::time::sleep(interval / 2).await;
        let _ = tx.send(true);
        tx
    });
    let mut out = Vec::new();
    tokio::time::timeout(
        Duration::from_secs(20),
        w.run(&mut src, &mut out, Some(interval), rx),
    )
    .await
    .expect("watch kept its rounds and stopped")
    .unwrap();
    let _tx = stopper.await.unwrap();
    let lines = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let started = started.lock().unwrap().clone();
    (started, lines)
}

fn assert_rounds_keep_their_interval(started: &[Instant], interval: Duration) {
    for pair in started.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= interval && gap < interval + Duration::from_millis(700),
            "rounds {gap:?} apart with a {interval:?} interval"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_webhook_neither_delays_rounds_nor_loses_alerts() {
    let (_dir, conn) = db();
    let interval = Duration::from_millis(400);
    // Requests may take 15 s each, 4 tries: the round's budget must cut them.
    let (started, lines) = watch_rounds(&conn, fast(&hanging().await), interval, 4).await;
    assert_eq!(started.len(), 4);
    assert_rounds_keep_their_interval(&started, interval);
    let failed: Vec<&Value> = lines
        .iter()
        .filter(|v| v["event"] == "webhook_failed")
        .collect();
    assert!(!failed.is_empty(), "{lines:?}");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("did not answer"),
        "{failed:?}"
    );
    // One change message per round, all kept, in order.
    let outbox = Outbox::open(&conn, "default").unwrap();
    let pending = outbox.pending().unwrap();
    assert_eq!(pending.len(), 4, "{pending:?}");

    // The webhook comes back: the next flush delivers every kept message.
    let (got, url) = sink().await;
    let r = fast(&format!("{url}/hook")).flush(&outbox).await.unwrap();
    assert_eq!(r.delivered, 4);
    assert!(outbox.is_empty().unwrap());
    let got = got.lock().unwrap();
    assert_eq!(got.len(), 4);
    assert!(
        got.iter()
            .all(|(m, b)| m == "POST" && b.contains("Zoom changes"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirecting_webhook_keeps_rounds_and_alerts_and_reaches_no_one_else() {
    let (_dir, conn) = db();
    let (target, target_url) = sink().await;
    let url = redirector(StatusCode::FOUND, format!("{target_url}/sink")).await;
    let interval = Duration::from_millis(300);
    let (started, lines) = watch_rounds(&conn, fast(&url), interval, 3).await;
    assert_rounds_keep_their_interval(&started, interval);
    assert!(target.lock().unwrap().is_empty(), "the 302 was followed");
    let failed: Vec<&Value> = lines
        .iter()
        .filter(|v| v["event"] == "webhook_failed")
        .collect();
    assert!(!failed.is_empty(), "{lines:?}");
    let error = failed[0]["error"].as_str().unwrap();
    assert!(error.contains("302"), "{error}");
    assert!(
        error.contains(target_url.trim_start_matches("http://")),
        "{error}"
    );
    assert_eq!(Outbox::open(&conn, "default").unwrap().len().unwrap(), 3);
}

/// Runs `cmd`, killing it (and failing) if it has not ended after `limit`:
/// a `watch` that accepted a bad URL would otherwise run for an hour.
fn finish_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// `watch` with an unusable webhook URL exits 2 at once, naming it.
#[test]
fn invalid_webhook_urls_stop_watch_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let run = |dir: &Path, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zoomscope"));
        cmd
            // Nothing listens here: watch must fail before any sync.
            .env("ZOOM_API_URL", "http://127.0.0.1:9/v2")
            .env("ZOOM_OAUTH_URL", "http://127.0.0.1:9")
            .env("ZOOM_ACCOUNT_ID", "a")
            .env("ZOOM_CLIENT_ID", "c")
            .env("ZOOM_CLIENT_SECRET", "s")
            .env("ZOOMSCOPE_CONFIG", dir.join("config.toml"))
            .env("ZOOMSCOPE_DATA_DIR", dir.join("data"))
            .env_remove("ZOOMSCOPE_PROFILE")
            .env_remove("ZOOMSCOPE_WEBHOOK")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        finish_within(cmd, Duration::from_secs(30))
    };
    for (url, shown) in [
        ("not a url", "not a url"),
        ("file:///etc/passwd", "file:"),
        (
            "ftp://hooks.example.com/T/B/secret",
            "ftp://hooks.example.com",
        ),
    ] {
        let out = run(dir.path(), &["watch", "--interval", "1h", "--webhook", url]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("--webhook"), "{stderr}");
        assert!(stderr.contains(shown), "{url}: {stderr}");
        assert!(!stderr.contains("secret"), "{stderr}");
        assert!(out.stdout.is_empty(), "no round ran for {url}");
    }
    // The config's `[alerts] webhook` is checked the same way.
    std::fs::write(
        dir.path().join("config.toml"),
        "[alerts]\nwebhook = \"gopher://x.example/1\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["watch", "--interval", "1h"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("[alerts] webhook"), "{stderr}");
    assert!(stderr.contains("gopher"), "{stderr}");
}
