//! The watch loop and webhook delivery: a real local HTTP server (axum) that
//! fails first, a real SQLite outbox, scripted snapshots as the source.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use zoomscope::alerts::outbox::Outbox;
use zoomscope::alerts::rule::RuleFile;
use zoomscope::alerts::watch::{Source, Synced, Watcher};
use zoomscope::alerts::webhook::Webhook;
use zoomscope::alerts::{self, AlertsConfig};
use zoomscope::graph::{Entity, EntityType, Graph, Props, RelType};

/// A webhook receiver that answers 500 to the first `fail_first` requests.
#[derive(Clone, Default)]
struct Hook {
    fail_first: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    accepted: Arc<Mutex<Vec<String>>>,
}

async fn receive(State(h): State<Hook>, Json(body): Json<Value>) -> StatusCode {
    let n = h.requests.fetch_add(1, Ordering::SeqCst);
    if n < h.fail_first.load(Ordering::SeqCst) {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let text = body["text"].as_str().unwrap_or_default().to_string();
    h.accepted.lock().unwrap().push(text);
    StatusCode::OK
}

async fn start_hook(fail_first: usize) -> (Hook, String) {
    let hook = Hook::default();
    hook.fail_first.store(fail_first, Ordering::SeqCst);
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(hook.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (hook, format!("http://{addr}/hook"))
}

fn fast(url: &str, attempts: u32) -> Webhook {
    let mut w = Webhook::new(url).unwrap();
    w.attempts = attempts;
    w.backoff = Duration::from_millis(5);
    w
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

#[tokio::test]
async fn failing_webhook_is_retried_and_nothing_is_lost() {
    let (hook, url) = start_hook(3).await;
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    let outbox = Outbox::open(&conn, "default").unwrap();
    outbox.push("first", now()).unwrap();
    outbox.push("second", now()).unwrap();

    // Two tries per round: both fail (500, 500); the message stays, and the
    // one behind it keeps its place.
    let w = fast(&url, 2);
    let r = w.flush(&outbox).await.unwrap();
    assert_eq!(r.delivered, 0);
    assert_eq!(r.pending, 2);
    assert!(r.last_error.unwrap().contains("500"));
    let pending = outbox.pending().unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0].attempts, 2);
    assert!(
        !pending[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("127.0.0.1")
    );

    // The outbox is persistent: a new connection (a restarted watch) finds
    // both messages and delivers them in order (one more 500, then 200s).
    drop(outbox);
    drop(conn);
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    let outbox = Outbox::open(&conn, "default").unwrap();
    let r = w.flush(&outbox).await.unwrap();
    assert_eq!(r.delivered, 2);
    assert_eq!(r.pending, 0);
    assert!(outbox.is_empty().unwrap());
    assert_eq!(*hook.accepted.lock().unwrap(), ["first", "second"]);
    assert_eq!(hook.requests.load(Ordering::SeqCst), 5);
}

fn ent(t: EntityType, key: &str, props: &[(&str, Value)]) -> Entity {
    let mut e = Entity::new(t, key.to_string());
    for (k, v) in props {
        e.props.insert(Arc::from(*k), v.clone());
    }
    e
}

/// Users a, b, c; `admins` are in role 1, others in role 2; `inactive` are inactive.
fn org(admins: &[&str], inactive: &[&str]) -> Graph {
    let mut g = Graph::new();
    g.add_entity(ent(EntityType::Account, "zoom_account:A", &[]))
        .unwrap();
    g.add_entity(ent(
        EntityType::Role,
        "zoom_role:1",
        &[("name", json!("Admin")), ("admin", json!(true))],
    ))
    .unwrap();
    g.add_entity(ent(
        EntityType::Role,
        "zoom_role:2",
        &[("name", json!("Member")), ("admin", json!(false))],
    ))
    .unwrap();
    for u in ["a", "b", "c"] {
        let key = format!("zoom_user:{u}");
        let status = if inactive.contains(&u) {
            "inactive"
        } else {
            "active"
        };
        let role = if admins.contains(&u) { "1" } else { "2" };
        g.add_entity(ent(
            EntityType::User,
            &key,
            &[
                ("email", json!(format!("{u}@acme.io"))),
                ("status", json!(status)),
                ("active", json!(status == "active")),
                ("roleId", json!(role)),
            ],
        ))
        .unwrap();
        g.add_relationship(
            RelType::AccountHasUser,
            "zoom_account:A",
            &key,
            Props::new(),
        )
        .unwrap();
        g.add_relationship(
            RelType::UserAssignedRole,
            &key,
            &format!("zoom_role:{role}"),
            Props::new(),
        )
        .unwrap();
    }
    g
}

/// Snapshots in order; `Err` is a failed sync (Zoom or the sandbox down).
struct Script(VecDeque<Result<Synced, String>>);

impl Source for Script {
    async fn sync(&mut self) -> Result<Synced, String> {
        self.0
            .pop_front()
            .unwrap_or_else(|| Err("script exhausted".into()))
    }
}

fn snap(id: i64, g: Graph) -> Result<Synced, String> {
    Ok(Synced {
        snapshot_id: id,
        graph: g,
        failed_steps: Vec::new(),
    })
}

const RULES: &str = r#"
[[rule]]
name = "new-admin"
description = "A user became an admin."
severity = "high"
query = "FIND zoom_user WITH active = true THAT ASSIGNED zoom_role WITH admin = true"
trigger = "new"

[[rule]]
name = "inactive"
description = "Inactive users."
severity = "low"
query = "FIND zoom_user WITH status = 'inactive'"
trigger = "any"
"#;

/// The lines written since the last call, without the per-round `synced` lines.
fn lines(out: &mut Vec<u8>) -> Vec<Value> {
    let text = String::from_utf8(std::mem::take(out)).unwrap();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["event"] != "synced")
        .collect()
}

#[tokio::test]
async fn watch_reports_each_change_once_survives_sync_failures_and_keeps_alerts() {
    let rules = alerts::load_from_files(
        &[RuleFile::parse("w.toml", RULES).unwrap()],
        &AlertsConfig {
            builtin: false,
            ..AlertsConfig::default()
        },
    )
    .unwrap()
    .enabled;
    // The webhook fails its first 2 requests: round 1's first message uses
    // both of its tries, so both messages stay in the outbox (in order) and
    // are delivered in the next round.
    let (hook, url) = start_hook(2).await;
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    let previous = Synced {
        snapshot_id: 1,
        graph: org(&[], &[]),
        failed_steps: Vec::new(),
    };
    let mut w = Watcher::new(&conn, "default", rules, Some(fast(&url, 2)), Some(previous));
    let mut src = Script(VecDeque::from([
        snap(2, org(&["b"], &[])), // b made admin
        Err("connection refused (sandbox stopped)".to_string()),
        // nothing changed; the groups step failed (its part carried over)
        Ok(Synced {
            snapshot_id: 3,
            graph: org(&["b"], &[]),
            failed_steps: vec![("fetch-groups".into(), "HTTP 503".into())],
        }),
        snap(4, org(&["b"], &["c"])), // c deactivated
    ]));
    let mut out = Vec::new();

    // Round 1: one changes line (b's roleId and the edge swap), one alert.
    let r = w.round(&mut src, &mut out, now()).await.unwrap();
    let l = lines(&mut out);
    let events: Vec<&str> = l.iter().map(|v| v["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["changes", "alert", "webhook_failed"], "{l:?}");
    assert_eq!(l[0]["from"], 1);
    assert_eq!(l[0]["to"], 2);
    assert_eq!(l[0]["entities"]["changed"][0]["_key"], "zoom_user:b");
    assert_eq!(
        l[0]["entities"]["changed"][0]["changes"]["roleId"],
        json!({"old": "2", "new": "1"})
    );
    assert_eq!(l[1]["rule"], "new-admin");
    assert_eq!(l[1]["entities"], json!(["zoom_user:b"]));
    assert_eq!(r.pending, 2);

    // Round 2: the sync fails; the loop reports it and goes on. The webhook
    // recovers and the kept messages are delivered.
    let r = w.round(&mut src, &mut out, now()).await.unwrap();
    let l = lines(&mut out);
    assert_eq!(l.len(), 1, "{l:?}");
    assert_eq!(l[0]["event"], "sync_failed");
    assert!(l[0]["error"].as_str().unwrap().contains("sandbox stopped"));
    assert!(!r.synced);
    assert_eq!(r.delivered, 2);
    assert_eq!(r.pending, 0);
    {
        let got = hook.accepted.lock().unwrap();
        assert_eq!(got.len(), 2);
        assert!(
            got[0].starts_with("Zoom changes: 0 added, 0 removed, 1 changed"),
            "{got:?}"
        );
        assert!(got[1].starts_with("[HIGH] new-admin"), "{got:?}");
        assert!(got[1].contains("b@acme.io"), "{got:?}");
    }

    // Round 3: same state: the change and the alert are not repeated; the
    // failed step is reported.
    w.round(&mut src, &mut out, now()).await.unwrap();
    let l = lines(&mut out);
    assert_eq!(l.len(), 1, "{l:?}");
    assert_eq!(l[0]["event"], "sync_incomplete");
    assert_eq!(
        l[0]["failed"],
        json!([{"step": "fetch-groups", "reason": "HTTP 503"}])
    );

    // Round 4: c deactivated: the change once, the `any` rule newly fired.
    w.round(&mut src, &mut out, now()).await.unwrap();
    let l = lines(&mut out);
    let events: Vec<&str> = l.iter().map(|v| v["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["changes", "alert"], "{l:?}");
    assert_eq!(l[0]["from"], 3);
    assert_eq!(l[0]["entities"]["changed"][0]["_key"], "zoom_user:c");
    assert_eq!(l[1]["rule"], "inactive");
    assert_eq!(hook.accepted.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn run_stops_between_rounds_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("s.db")).unwrap();
    let mut w = Watcher::new(&conn, "default", Vec::new(), None, None);
    let mut src = Script(VecDeque::from([
        snap(1, org(&[], &[])),
        snap(2, org(&["a"], &[])),
        snap(3, org(&["a", "b"], &[])),
    ]));
    let (tx, rx) = tokio::sync::watch::channel(false);
    let mut out = Vec::new();
    // Stop while the loop waits after its first round.
    let stopper = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = tx.send(true);
        tx
    });
    tokio::time::timeout(
        Duration::from_secs(10),
        w.run(&mut src, &mut out, Some(Duration::from_secs(3600)), rx),
    )
    .await
    .expect("stopped promptly")
    .unwrap();
    let _tx = stopper.await.unwrap();
    // One round ran (snapshot 1 consumed, no diff without a previous one).
    assert_eq!(src.0.len(), 2);
    assert!(lines(&mut out).is_empty());

    // With no interval, exactly one round.
    let (_tx2, rx2) = tokio::sync::watch::channel(false);
    w.run(&mut src, &mut out, None, rx2).await.unwrap();
    assert_eq!(src.0.len(), 1);
    let l = lines(&mut out);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["event"], "changes");
}
