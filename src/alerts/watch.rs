//! The `watch` loop: sync, diff against the previous snapshot, evaluate the
//! rules, print changes and newly fired alerts as JSON lines, post them to a
//! webhook through the persistent outbox — round after round.
//!
//! Lines (one JSON object each, `event` says which):
//! - `{"event": "synced", "snapshot": N}` closing each round whose sync
//!   succeeded (after its changes and alerts);
//! - `{"event": "changes", "from", "to", "entities", "relationships"}`: the
//!   diff against the previous good snapshot, in `zoomscope diff --json`'s
//!   shape, when anything changed;
//! - `{"event": "alert", "rule", "severity", "count", "entities",
//!   "description", "snapshot"}` for each rule that newly fired (an event
//!   rule's line adds `"events"`, the events it matched);
//! - `{"event": "rule_error", "rule", "error"}`, `{"event": "sync_failed",
//!   "error"}` (nothing fetched), `{"event": "sync_incomplete", "failed":
//!   [{"step", "reason"}]}` (some parts kept their last good data),
//!   `{"event": "webhook_failed", "error", "pending"}` (a message could not
//!   be delivered: an HTTP error, a redirect with its status and target, or
//!   the round's delivery time ran out; `pending` messages wait in the outbox).
//!
//! Delivery runs in its own task beside the rounds (see [`Watcher::run`]),
//! so a webhook that hangs or answers slowly never delays polling.
//!
//! A failed sync (Zoom or the sandbox unreachable) is reported as a line and
//! the loop goes on; the next good sync is diffed against the last good
//! snapshot, so each change is reported once.

use std::future::Future;
use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};

use super::eval::{EvalOptions, RuleStatus, evaluate};
use super::outbox::Outbox;
use super::report::alert_message;
use super::rule::Rule;
use super::state::{AlertState, StateError};
use super::webhook::{self, FlushReport, Outcome, Webhook};
use crate::diff;
use crate::graph::Graph;

/// A fresh snapshot: its id in the store and its graph.
pub struct Synced {
    pub snapshot_id: i64,
    pub graph: Graph,
    /// (step, reason) of steps that failed; their parts were carried over
    /// from the previous snapshot. Reported as a `sync_incomplete` line.
    pub failed_steps: Vec<(String, String)>,
}

/// Where rounds get their data: sync now and return the stored snapshot.
pub trait Source {
    fn sync(&mut self) -> impl Future<Output = Result<Synced, String>>;
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Eval(#[from] super::eval::EvalError),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

/// What one round did (for tests and the caller's logs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundReport {
    pub synced: bool,
    pub changes: usize,
    pub alerts: usize,
    /// Messages delivered (by [`Watcher::round`]; [`Watcher::run`] delivers
    /// beside the loop and reports failures as lines).
    pub delivered: usize,
    pub pending: usize,
}

/// How long [`Watcher::run`] waits for a delivery still under way when asked
/// to stop: what it has not sent stays in the outbox for the next start.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// The delivery task under way, if any.
type InFlight = Option<tokio::task::JoinHandle<Vec<Outcome>>>;

/// The loop's state between rounds.
pub struct Watcher<'c> {
    conn: &'c Connection,
    profile: String,
    rules: Vec<Rule>,
    webhook: Option<Webhook>,
    previous: Option<Synced>,
    /// The delivery task [`Watcher::run`] started and has not yet recorded.
    in_flight: InFlight,
}

fn line<W: Write>(out: &mut W, v: &Value) -> std::io::Result<()> {
    writeln!(out, "{v}")?;
    out.flush()
}

/// Waits for the delivery task, or forever when there is none (so a
/// `select!` branch on it never fires then).
async fn finished(in_flight: &mut InFlight) -> Result<Vec<Outcome>, tokio::task::JoinError> {
    match in_flight {
        Some(h) => h.await,
        None => std::future::pending().await,
    }
}

impl<'c> Watcher<'c> {
    /// `previous`: the latest stored snapshot before the first round, so the
    /// first round reports what changed since then.
    pub fn new(
        conn: &'c Connection,
        profile: &str,
        rules: Vec<Rule>,
        webhook: Option<Webhook>,
        previous: Option<Synced>,
    ) -> Self {
        Watcher {
            conn,
            profile: profile.to_string(),
            rules,
            webhook,
            previous,
            in_flight: None,
        }
    }

    /// One round, delivery included (within the webhook's time budget).
    /// Writes JSON lines to `out`.
    pub async fn round<S: Source, W: Write>(
        &mut self,
        source: &mut S,
        out: &mut W,
        now: DateTime<Utc>,
    ) -> Result<RoundReport, WatchError> {
        let mut report = self.poll(source, out, now).await?;
        if let Some(hook) = &self.webhook {
            let outbox = Outbox::open(self.conn, &self.profile)?;
            let outcomes = hook.deliver(&outbox.pending()?).await;
            let f = self.record(&outcomes, out, now)?;
            report.delivered = f.delivered;
            report.pending = f.pending;
        }
        Ok(report)
    }

    /// The round without delivery: sync, diff, evaluate, print, and queue
    /// the webhook messages in the outbox.
    async fn poll<S: Source, W: Write>(
        &mut self,
        source: &mut S,
        out: &mut W,
        now: DateTime<Utc>,
    ) -> Result<RoundReport, WatchError> {
        let mut report = RoundReport::default();
        let outbox = Outbox::open(self.conn, &self.profile)?;
        match source.sync().await {
            Err(error) => {
                line(
                    out,
                    &json!({"event": "sync_failed", "at": now.to_rfc3339(), "error": error}),
                )?;
            }
            Ok(synced) => {
                report.synced = true;
                if !synced.failed_steps.is_empty() {
                    let failed: Vec<Value> = synced
                        .failed_steps
                        .iter()
                        .map(|(step, reason)| json!({"step": step, "reason": reason}))
                        .collect();
                    line(
                        out,
                        &json!({"event": "sync_incomplete", "at": now.to_rfc3339(), "failed": failed}),
                    )?;
                }
                if let Some(prev) = &self.previous {
                    let d = diff::diff(&prev.graph, &synced.graph);
                    if !d.is_empty() {
                        report.changes = d.summary().total();
                        let mut v = d.to_json(prev.snapshot_id, synced.snapshot_id);
                        if let Some(m) = v.as_object_mut() {
                            m.insert("event".into(), json!("changes"));
                            m.insert("at".into(), json!(now.to_rfc3339()));
                        }
                        line(out, &v)?;
                        if self.webhook.is_some() {
                            outbox.push(&changes_message(&d, &synced.graph), now)?;
                        }
                    }
                }
                let state = AlertState::open(self.conn, &self.profile)?;
                let results = evaluate(
                    &synced.graph,
                    &self.rules,
                    Some(&state),
                    EvalOptions {
                        now,
                        previous: self.previous.as_ref().map(|p| &p.graph),
                    },
                )?;
                for r in &results {
                    match &r.status {
                        RuleStatus::Fired if r.newly_fired => {
                            report.alerts += 1;
                            let mut v = r.to_json();
                            if let Some(m) = v.as_object_mut() {
                                m.insert("event".into(), json!("alert"));
                                m.insert("at".into(), json!(now.to_rfc3339()));
                                m.insert("description".into(), json!(r.description));
                                m.insert("snapshot".into(), json!(synced.snapshot_id));
                            }
                            line(out, &v)?;
                            if self.webhook.is_some() {
                                outbox.push(&alert_message(r, &synced.graph), now)?;
                            }
                        }
                        RuleStatus::Error { message } => line(
                            out,
                            &json!({"event": "rule_error", "at": now.to_rfc3339(), "rule": r.rule, "error": message}),
                        )?,
                        _ => {}
                    }
                }
                // Last, so a reader knows the round's lines are complete.
                line(
                    out,
                    &json!({"event": "synced", "at": now.to_rfc3339(), "snapshot": synced.snapshot_id}),
                )?;
                self.previous = Some(synced);
            }
        }
        Ok(report)
    }

    /// Records a delivery's outcomes in the outbox; a failure becomes a
    /// `webhook_failed` line.
    fn record<W: Write>(
        &self,
        outcomes: &[Outcome],
        out: &mut W,
        now: DateTime<Utc>,
    ) -> Result<FlushReport, WatchError> {
        let outbox = Outbox::open(self.conn, &self.profile)?;
        let f = webhook::record(&outbox, outcomes)?;
        if let Some(error) = &f.last_error {
            line(
                out,
                &json!({"event": "webhook_failed", "at": now.to_rfc3339(), "error": error,
                        "pending": f.pending}),
            )?;
        }
        Ok(f)
    }

    /// Starts delivering the outbox in its own task, unless a delivery is
    /// still under way or there is nothing to send. The task gets at most
    /// `budget` (and the webhook's own budget), so it ends before the next
    /// round starts whatever the webhook does.
    fn dispatch(&mut self, budget: Option<Duration>) -> Result<(), WatchError> {
        let Some(hook) = &self.webhook else {
            return Ok(());
        };
        if self.in_flight.is_some() {
            return Ok(());
        }
        let items = Outbox::open(self.conn, &self.profile)?.pending()?;
        if items.is_empty() {
            return Ok(());
        }
        let mut hook = hook.clone();
        if let Some(b) = budget {
            hook.budget = hook.budget.min(b);
        }
        self.in_flight = Some(tokio::spawn(async move { hook.deliver(&items).await }));
        Ok(())
    }

    /// Records the delivery task's outcomes once it has ended.
    fn collect<W: Write>(
        &mut self,
        joined: Result<Vec<Outcome>, tokio::task::JoinError>,
        out: &mut W,
    ) -> Result<(), WatchError> {
        self.in_flight = None;
        match joined {
            Ok(outcomes) => {
                self.record(&outcomes, out, Utc::now())?;
            }
            // Nothing was recorded: every message is still in the outbox.
            Err(e) => line(
                out,
                &json!({"event": "webhook_failed", "at": Utc::now().to_rfc3339(),
                        "error": format!("the delivery task ended abnormally: {e}"),
                        "pending": Outbox::open(self.conn, &self.profile)?.len()?}),
            )?,
        }
        Ok(())
    }

    /// Waits up to `limit` for the delivery under way and records it; past
    /// that it is abandoned (its messages stay in the outbox; one that was
    /// in fact accepted may be sent again next time: at least once).
    async fn settle<W: Write>(&mut self, out: &mut W, limit: Duration) -> Result<(), WatchError> {
        if self.in_flight.is_none() {
            return Ok(());
        }
        match tokio::time::timeout(limit, finished(&mut self.in_flight)).await {
            Ok(joined) => self.collect(joined, out),
            Err(_) => {
                if let Some(h) = self.in_flight.take() {
                    h.abort();
                }
                Ok(())
            }
        }
    }

    /// Rounds every `interval` until `stop` turns true (checked between
    /// rounds and while waiting, so a round is never cut in half). With no
    /// interval, one round.
    ///
    /// Webhook delivery runs in its own task beside the rounds, within the
    /// interval, so a slow or hanging webhook never delays polling; messages
    /// it did not deliver stay in the outbox for the next round.
    pub async fn run<S: Source, W: Write>(
        &mut self,
        source: &mut S,
        out: &mut W,
        interval: Option<Duration>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> Result<(), WatchError> {
        let mut stopped = false;
        loop {
            if *stop.borrow() {
                stopped = true;
                break;
            }
            self.poll(source, out, Utc::now()).await?;
            if self.in_flight.as_ref().is_some_and(|h| h.is_finished()) {
                self.settle(out, STOP_GRACE).await?;
            }
            self.dispatch(interval)?;
            let Some(every) = interval else { break };
            let wait = tokio::time::sleep(every);
            tokio::pin!(wait);
            loop {
                tokio::select! {
                    _ = &mut wait => break,
                    _ = stop.wait_for(|s| *s) => {
                        stopped = true;
                        break;
                    }
                    joined = finished(&mut self.in_flight) => self.collect(joined, out)?,
                }
            }
            if stopped {
                break;
            }
        }
        let limit = match (stopped, &self.webhook) {
            (false, Some(hook)) => hook.budget,
            _ => STOP_GRACE,
        };
        self.settle(out, limit).await
    }
}

/// A one-line summary of a diff for the webhook.
fn changes_message(d: &diff::GraphDiff, graph: &Graph) -> String {
    let s = d.summary();
    let mut parts = vec![format!(
        "Zoom changes: {} added, {} removed, {} changed; {} relationships added, {} removed",
        s.entities_added,
        s.entities_removed,
        s.entities_changed,
        s.relationships_added,
        s.relationships_removed
    )];
    for c in d.entities_changed.iter().take(10) {
        let props: Vec<String> = c
            .changes
            .iter()
            .take(5)
            .map(|p| {
                format!(
                    "{}: {} → {}",
                    p.name,
                    p.old
                        .as_ref()
                        .map(Value::to_string)
                        .unwrap_or_else(|| "none".into()),
                    p.new
                        .as_ref()
                        .map(Value::to_string)
                        .unwrap_or_else(|| "none".into())
                )
            })
            .collect();
        parts.push(format!(
            "{} ({})",
            super::report::entity_line(graph, &c.key),
            props.join("; ")
        ));
    }
    parts.join("\n")
}
