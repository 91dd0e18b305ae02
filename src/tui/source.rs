//! The I/O edge. The UI thread never touches the store, the network or the
//! sync; it sends [`Request`]s here and receives [`Event`]s back. Everything
//! behind the edge is one small trait, [`DataSource`], implemented for the
//! CLI's `Context` (and by test doubles).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::Value;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::employees::Report;
use crate::graph::Graph;
use crate::sync::SyncEvent;

use super::action::Event;
use super::model::SnapshotMeta;
use super::monitor::Monitor;

/// A graph ready to show.
#[derive(Debug)]
pub struct Loaded {
    pub graph: Graph,
    pub meta: SnapshotMeta,
}

/// Why a sync did not produce data.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncFailure {
    /// The credentials were refused: the one error worth a modal.
    Auth(String),
    /// Anything else (network, store): a toast.
    Other(String),
}

/// What the UI asks of the edge.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    SyncNow,
    /// What the sync that stored this snapshot changed (older syncs are
    /// diffed only when opened).
    SyncDiff(i64),
    /// Fetch one user's settings (by entity `_key`).
    UserSettings(String),
    /// The raw API JSON of an entity (by `_key`).
    RawJson(String),
    /// The employee report for the latest snapshot (`Event::EmployeesReport`).
    EmployeesReport,
    /// Link (or unlink) a Zoom user (`_key`) and an employee (id or e-mail);
    /// answered by a toast, the reloaded snapshot and a fresh report.
    EmployeeDecision {
        link: bool,
        user: String,
        employee: String,
    },
}

/// Where the data comes from.
pub trait DataSource {
    fn profile(&self) -> String;
    /// The last stored snapshot, if any.
    fn latest(&self) -> impl Future<Output = Result<Option<Loaded>, String>>;
    /// `Err(what to configure)` when a sync cannot even start (no credentials).
    fn sync_ready(&self) -> Result<(), String>;
    /// Syncs, stores the snapshot and returns it (as the store would load it).
    fn sync(
        &self,
        events: UnboundedSender<SyncEvent>,
    ) -> impl Future<Output = Result<Loaded, SyncFailure>>;
    fn user_settings(
        &self,
        user_key: &str,
    ) -> impl Future<Output = Result<Vec<(String, Value)>, String>>;
    fn raw_json(&self, key: &str) -> impl Future<Output = Result<Option<String>, String>>;
    /// The employee report for the latest snapshot; `None` without a roster.
    fn employees_report(&self) -> impl Future<Output = Result<Option<Report>, String>> {
        async { Ok(None) }
    }
    /// Stores a link/unlink decision; returns what was decided, for a toast.
    fn employee_decision(
        &self,
        _link: bool,
        _user: &str,
        _employee: &str,
    ) -> impl Future<Output = Result<String, String>> {
        async { Err("this data source cannot store decisions".to_string()) }
    }
    /// Where Ctrl-s writes CSV files.
    fn export_dir(&self) -> PathBuf;
    /// The Changes and Alerts panes' data for the latest snapshot (`None`:
    /// this source has no history).
    fn monitor(&self) -> impl Future<Output = Result<Option<Monitor>, String>> {
        async { Ok(None) }
    }
    /// What the sync that stored `snapshot` changed.
    fn sync_diff(
        &self,
        snapshot: i64,
    ) -> impl Future<Output = Result<crate::diff::GraphDiff, String>> {
        async move { Err(format!("no history to diff snapshot #{snapshot}")) }
    }
    /// How often to sync in the background (the profile's polling_interval;
    /// `None` = DISABLED).
    fn poll_interval(&self) -> Option<std::time::Duration> {
        None
    }
}

/// The text shown when there is nothing to show and nothing to sync with.
pub fn nothing_configured(profile: &str, config_path: &str, why: &str) -> String {
    format!(
        "No data yet for profile `{profile}`, and no way to fetch it: {why}\n\n\
         To connect a Zoom account, create a Server-to-Server OAuth app in the Zoom App \
         Marketplace and put its credentials in {config_path}:\n\n\
         [profile.{profile}]\naccount_id = \"…\"\nclient_id = \"…\"\nclient_secret_command = \"pass zoom/secret\"   # or client_secret = \"…\" (file mode 600)\n\n\
         or set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.\n\n\
         To try zoomscope without an account, run:  zoomscope --demo"
    )
}

type Job<'a> = Pin<Box<dyn Future<Output = Vec<Event>> + 'a>>;

/// Serves the UI until `requests` closes: loads the latest snapshot, starts
/// a background sync when credentials exist, then answers requests
/// concurrently (a second sync while one runs is ignored).
pub async fn serve<S: DataSource>(
    src: &S,
    mut requests: UnboundedReceiver<Request>,
    deliver: impl Fn(Event),
) {
    let mut jobs: FuturesUnordered<Job<'_>> = FuturesUnordered::new();
    let (sync_tx, mut sync_rx) = unbounded_channel::<SyncEvent>();
    let mut syncing = false;

    let ready = src.sync_ready();
    match src.latest().await {
        Ok(Some(loaded)) => {
            deliver(Event::Loaded(Box::new(loaded)));
            jobs.push(Box::pin(async move { monitor_events(src).await }));
        }
        Ok(None) => {
            if let Err(why) = &ready {
                deliver(Event::NoData(why.clone()));
            }
        }
        Err(e) => deliver(Event::Toast(
            format!("cannot read the stored snapshot: {e}"),
            super::action::ToastLevel::Error,
        )),
    }
    if ready.is_ok() {
        syncing = true;
        jobs.push(sync_job(src, sync_tx.clone()));
    }

    let mut poll = src
        .poll_interval()
        .map(|d| tokio::time::interval_at(tokio::time::Instant::now() + d, d));
    loop {
        tokio::select! {
            _ = async {
                match poll.as_mut() {
                    Some(i) => { i.tick().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {
                // A periodic refresh skips a round while a sync runs.
                if !syncing && src.sync_ready().is_ok() {
                    syncing = true;
                    jobs.push(sync_job(src, sync_tx.clone()));
                }
            }
            req = requests.recv() => {
                let Some(req) = req else { break };
                match req {
                    Request::SyncNow => {
                        if syncing {
                            deliver(Event::Toast("a sync is already running".into(), super::action::ToastLevel::Info));
                        } else if let Err(why) = src.sync_ready() {
                            deliver(Event::Toast(format!("cannot sync: {why}"), super::action::ToastLevel::Warn));
                        } else {
                            syncing = true;
                            jobs.push(sync_job(src, sync_tx.clone()));
                        }
                    }
                    Request::UserSettings(key) => jobs.push(Box::pin(async move {
                        let result = src.user_settings(&key).await;
                        vec![Event::Settings { key, result }]
                    })),
                    Request::SyncDiff(snapshot) => jobs.push(Box::pin(async move {
                        let result = src.sync_diff(snapshot).await;
                        vec![Event::SyncDiff { snapshot, result: result.map(Box::new) }]
                    })),
                    Request::RawJson(key) => jobs.push(Box::pin(async move {
                        let json = src.raw_json(&key).await;
                        vec![Event::Raw { key, json }]
                    })),
                    Request::EmployeesReport => jobs.push(Box::pin(async move {
                        vec![Event::EmployeesReport(src.employees_report().await)]
                    })),
                    Request::EmployeeDecision { link, user, employee } => jobs.push(Box::pin(async move {
                        match src.employee_decision(link, &user, &employee).await {
                            // The new snapshot's load asks for a fresh report.
                            Ok(msg) => {
                                let mut out = vec![Event::Toast(msg, super::action::ToastLevel::Info)];
                                match src.latest().await {
                                    Ok(Some(l)) => out.push(Event::Loaded(Box::new(l))),
                                    Ok(None) => {}
                                    Err(e) => out.push(Event::Toast(e, super::action::ToastLevel::Warn)),
                                }
                                out
                            }
                            Err(e) => vec![Event::Toast(e, super::action::ToastLevel::Error)],
                        }
                    })),
                }
            }
            Some(ev) = sync_rx.recv() => deliver(Event::Sync(ev)),
            Some(events) = jobs.next(), if !jobs.is_empty() => {
                for ev in events {
                    // A new snapshot on screen: its diff and alerts follow
                    // as their own job, so showing it does not wait for them.
                    if matches!(ev, Event::Loaded(_)) {
                        jobs.push(Box::pin(async move { monitor_events(src).await }));
                    }
                    if matches!(ev, Event::SyncFinished(_)) {
                        syncing = false;
                        // progress events sent before the end are delivered first
                        while let Ok(p) = sync_rx.try_recv() {
                            deliver(Event::Sync(p));
                        }
                    }
                    deliver(ev);
                }
            }
        }
    }
}

fn sync_job<S: DataSource>(src: &S, tx: UnboundedSender<SyncEvent>) -> Job<'_> {
    Box::pin(async move {
        match src.sync(tx).await {
            Ok(loaded) => vec![Event::Loaded(Box::new(loaded)), Event::SyncFinished(Ok(()))],
            Err(f) => vec![Event::SyncFinished(Err(f))],
        }
    })
}

/// The monitor data as events: nothing when the source has none, a toast
/// when it cannot be computed.
async fn monitor_events<S: DataSource>(src: &S) -> Vec<Event> {
    match src.monitor().await {
        Ok(Some(m)) => vec![Event::Monitor(Box::new(m))],
        Ok(None) => Vec::new(),
        Err(e) => vec![Event::Toast(
            format!("changes and alerts unavailable: {e}"),
            super::action::ToastLevel::Warn,
        )],
    }
}
