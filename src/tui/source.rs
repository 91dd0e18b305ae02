//! The I/O edge. The UI thread never touches the store, the network or the
//! sync; it sends [`Request`]s here and receives [`Event`]s back. Everything
//! behind the edge is one small trait, [`DataSource`], implemented for the
//! app layer's `Context` ([`super::context_source`]) and by test doubles.
//!
//! Each request runs as its own tokio task, so a slow answer (a store read,
//! a diff of two large snapshots) never holds up another, and the sync's
//! progress events reach the UI while it runs.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::{Id, JoinSet};

use crate::employees::Report;
use crate::graph::Graph;
use crate::sync::SyncEvent;

use super::action::{Event, ToastLevel};
use super::activity_pane::ActivityItem;
use super::model::{SnapshotMeta, SnapshotSummary};
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

/// Where the data comes from. Shared by the tasks that answer requests, so
/// it is `Send + Sync` and its futures are `Send`; an implementation must
/// not block the executor (run blocking work with `spawn_blocking`).
pub trait DataSource: Send + Sync + 'static {
    fn profile(&self) -> String;
    /// The last stored snapshot's counts, read before its graph (`None`:
    /// nothing stored, or this source cannot tell before loading).
    fn summary(&self) -> impl Future<Output = Result<Option<SnapshotSummary>, String>> + Send {
        async { Ok(None) }
    }
    /// The last stored snapshot, if any.
    fn latest(&self) -> impl Future<Output = Result<Option<Loaded>, String>> + Send;
    /// `Err(what to configure)` when a sync cannot even start (no credentials).
    fn sync_ready(&self) -> Result<(), String>;
    /// Syncs, stores the snapshot and returns it (as the store would load it).
    fn sync(
        &self,
        events: UnboundedSender<SyncEvent>,
    ) -> impl Future<Output = Result<Loaded, SyncFailure>> + Send;
    fn user_settings(
        &self,
        user_key: &str,
    ) -> impl Future<Output = Result<Vec<(String, Value)>, String>> + Send;
    fn raw_json(&self, key: &str) -> impl Future<Output = Result<Option<String>, String>> + Send;
    /// The employee report for the latest snapshot; `None` without a roster.
    fn employees_report(&self) -> impl Future<Output = Result<Option<Report>, String>> + Send {
        async { Ok(None) }
    }
    /// Stores a link/unlink decision; returns what was decided, for a toast.
    fn employee_decision(
        &self,
        _link: bool,
        _user: &str,
        _employee: &str,
    ) -> impl Future<Output = Result<String, String>> + Send {
        async { Err("this data source cannot store decisions".to_string()) }
    }
    /// Where Ctrl-s writes CSV files.
    fn export_dir(&self) -> PathBuf;
    /// The Changes and Alerts panes' data for the latest snapshot (`None`:
    /// this source has no history).
    fn monitor(&self) -> impl Future<Output = Result<Option<Monitor>, String>> + Send {
        async { Ok(None) }
    }
    /// As [`DataSource::monitor`], for the snapshot `shown` on screen: a
    /// source that can evaluate the rules on it saves reading a second copy.
    fn monitor_for(
        &self,
        shown: Arc<Graph>,
    ) -> impl Future<Output = Result<Option<Monitor>, String>> + Send {
        async move {
            drop(shown);
            self.monitor().await
        }
    }
    /// The stored operation log and sign-in activity, newest first, each
    /// event resolved against `shown` (`None`: this source keeps no log).
    fn activity(
        &self,
        shown: Arc<Graph>,
    ) -> impl Future<Output = Result<Option<Vec<ActivityItem>>, String>> + Send {
        async move {
            drop(shown);
            Ok(None)
        }
    }
    /// What the sync that stored `snapshot` changed.
    fn sync_diff(
        &self,
        snapshot: i64,
    ) -> impl Future<Output = Result<crate::diff::GraphDiff, String>> + Send {
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

/// The running requests, each its own task. Dropping it (when [`serve`]
/// ends) aborts whatever still runs.
struct Jobs {
    set: JoinSet<Vec<Event>>,
    /// The running sync's task: at most one at a time.
    sync: Option<Id>,
}

impl Jobs {
    fn spawn(&mut self, job: impl Future<Output = Vec<Event>> + Send + 'static) -> Id {
        self.set.spawn(job).id()
    }

    fn syncing(&self) -> bool {
        self.sync.is_some()
    }

    fn spawn_sync<S: DataSource>(&mut self, src: &Arc<S>, tx: UnboundedSender<SyncEvent>) {
        let src = src.clone();
        let id = self.spawn(async move {
            match src.sync(tx).await {
                Ok(loaded) => vec![Event::Loaded(Box::new(loaded)), Event::SyncFinished(Ok(()))],
                Err(f) => vec![Event::SyncFinished(Err(f))],
            }
        });
        self.sync = Some(id);
    }

    fn spawn_monitor<S: DataSource>(&mut self, src: &Arc<S>, shown: Arc<Graph>) {
        let src = src.clone();
        self.spawn(async move { monitor_events(&*src, shown).await });
    }

    /// The Activity pane's events for the snapshot `shown` (a sync that
    /// stored it may have stored new ones).
    fn spawn_activity<S: DataSource>(&mut self, src: &Arc<S>, shown: Arc<Graph>) {
        let src = src.clone();
        self.spawn(async move {
            match src.activity(shown).await {
                Ok(Some(log)) => vec![Event::Activity(Ok(Arc::new(log)))],
                Ok(None) => Vec::new(),
                Err(e) => vec![Event::Activity(Err(e))],
            }
        });
    }

    /// The next finished job and its events. A job that panicked is
    /// reported as an error toast (and, for the sync, as a failed sync)
    /// instead of taking the edge down with it.
    async fn next(&mut self) -> Option<(Id, Vec<Event>)> {
        let done = self.set.join_next_with_id().await?;
        let (id, events) = match done {
            Ok((id, events)) => (id, events),
            Err(e) => {
                let why = if e.is_panic() {
                    "panicked"
                } else {
                    "was cancelled"
                };
                let id = e.id();
                let mut events = vec![Event::Toast(
                    format!("a background task {why}; see the log"),
                    ToastLevel::Error,
                )];
                if self.sync == Some(id) {
                    events.push(Event::SyncFinished(Err(SyncFailure::Other(format!(
                        "the sync {why}"
                    )))));
                }
                tracing::error!(task = %id, "{why}");
                (id, events)
            }
        };
        if self.sync == Some(id) {
            self.sync = None;
        }
        Some((id, events))
    }
}

/// Serves the UI until `requests` closes. At once: the latest snapshot's
/// load and, when credentials exist, a background sync, side by side (the
/// sync never waits for the load, the monitor data or the alerts); then the
/// snapshot's stored counts, so the account's size is on screen before its
/// graph. Then answers requests, each as its own task (a second sync while
/// one runs is ignored).
pub async fn serve<S: DataSource>(
    src: Arc<S>,
    mut requests: UnboundedReceiver<Request>,
    deliver: impl Fn(Event),
) {
    let mut jobs = Jobs {
        set: JoinSet::new(),
        sync: None,
    };
    let (sync_tx, mut sync_rx) = unbounded_channel::<SyncEvent>();

    let ready = src.sync_ready();
    // The start-up load, until it ends; a snapshot shown by anything else
    // meanwhile is newer than it.
    let mut newer_shown = false;
    let mut initial_load = Some(jobs.spawn({
        let src = src.clone();
        let ready = ready.clone();
        async move {
            match src.latest().await {
                Ok(Some(loaded)) => vec![Event::Loaded(Box::new(loaded))],
                Ok(None) => match ready {
                    Err(why) => vec![Event::NoData(why)],
                    Ok(()) => Vec::new(),
                },
                Err(e) => vec![Event::Toast(
                    format!("cannot read the stored snapshot: {e}"),
                    ToastLevel::Error,
                )],
            }
        }
    }));
    if ready.is_ok() {
        jobs.spawn_sync(&src, sync_tx.clone());
    }
    // Delivered before the loop, hence before the load's graph.
    match src.summary().await {
        Ok(Some(s)) => deliver(Event::Summary(s)),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "stored snapshot counts unreadable"),
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
                if !jobs.syncing() && src.sync_ready().is_ok() {
                    jobs.spawn_sync(&src, sync_tx.clone());
                }
            }
            req = requests.recv() => {
                let Some(req) = req else { break };
                match req {
                    Request::SyncNow => {
                        if jobs.syncing() {
                            deliver(Event::Toast("a sync is already running".into(), ToastLevel::Info));
                        } else if let Err(why) = src.sync_ready() {
                            deliver(Event::Toast(format!("cannot sync: {why}"), ToastLevel::Warn));
                        } else {
                            jobs.spawn_sync(&src, sync_tx.clone());
                        }
                    }
                    other => {
                        jobs.spawn(answer(src.clone(), other));
                    }
                }
            }
            Some(ev) = sync_rx.recv() => deliver(Event::Sync(ev)),
            Some((id, events)) = jobs.next(), if !jobs.set.is_empty() => {
                let from_start = initial_load == Some(id);
                if from_start {
                    initial_load = None;
                }
                for ev in events {
                    if matches!(ev, Event::Loaded(_)) {
                        if from_start && newer_shown {
                            // A sync (or a decision) showed a newer snapshot
                            // before the start-up load ended: keep it.
                            continue;
                        }
                        newer_shown |= !from_start;
                    }
                    let ev = match ev {
                        // A new snapshot on screen: its diff and alerts follow
                        // as their own job, so showing it does not wait for
                        // them, and they read the graph on screen rather than
                        // another copy.
                        Event::Loaded(loaded) => {
                            let Loaded { graph, meta } = *loaded;
                            let graph = Arc::new(graph);
                            jobs.spawn_monitor(&src, graph.clone());
                            jobs.spawn_activity(&src, graph.clone());
                            Event::Shown { graph, meta }
                        }
                        other => other,
                    };
                    if matches!(ev, Event::SyncFinished(_)) {
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

/// Answers one request other than a sync, as the events it produces.
async fn answer<S: DataSource>(src: Arc<S>, req: Request) -> Vec<Event> {
    match req {
        Request::UserSettings(key) => {
            let result = src.user_settings(&key).await;
            vec![Event::Settings { key, result }]
        }
        Request::SyncDiff(snapshot) => {
            let result = src.sync_diff(snapshot).await;
            vec![Event::SyncDiff {
                snapshot,
                result: result.map(Box::new),
            }]
        }
        Request::RawJson(key) => {
            let json = src.raw_json(&key).await;
            vec![Event::Raw { key, json }]
        }
        Request::EmployeesReport => vec![Event::EmployeesReport(src.employees_report().await)],
        Request::EmployeeDecision {
            link,
            user,
            employee,
        } => match src.employee_decision(link, &user, &employee).await {
            // The new snapshot's load asks for a fresh report.
            Ok(msg) => {
                let mut out = vec![Event::Toast(msg, ToastLevel::Info)];
                match src.latest().await {
                    Ok(Some(l)) => out.push(Event::Loaded(Box::new(l))),
                    Ok(None) => {}
                    Err(e) => out.push(Event::Toast(e, ToastLevel::Warn)),
                }
                out
            }
            Err(e) => vec![Event::Toast(e, ToastLevel::Error)],
        },
        // Syncs are started by `serve`, which keeps them to one at a time.
        Request::SyncNow => Vec::new(),
    }
}

/// The monitor data as events: nothing when the source has none, a toast
/// when it cannot be computed.
async fn monitor_events<S: DataSource>(src: &S, shown: Arc<Graph>) -> Vec<Event> {
    match src.monitor_for(shown).await {
        Ok(Some(m)) => vec![Event::Monitor(Box::new(m))],
        Ok(None) => Vec::new(),
        Err(e) => vec![Event::Toast(
            format!("changes and alerts unavailable: {e}"),
            ToastLevel::Warn,
        )],
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::time::Duration;

    use super::*;

    /// A sync that reports progress every 20 ms, and a raw-JSON read that
    /// blocks its thread for 300 ms the way a synchronous store read would.
    struct SlowRead;

    impl DataSource for SlowRead {
        fn profile(&self) -> String {
            "default".into()
        }
        async fn latest(&self) -> Result<Option<Loaded>, String> {
            Ok(None)
        }
        fn sync_ready(&self) -> Result<(), String> {
            Ok(())
        }
        async fn sync(&self, events: UnboundedSender<SyncEvent>) -> Result<Loaded, SyncFailure> {
            for done in 0..25 {
                let _ = events.send(SyncEvent::StepProgress {
                    step: "fetch-users".into(),
                    done,
                    total: Some(25),
                });
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(SyncFailure::Other("the test sync ends here".into()))
        }
        async fn user_settings(&self, _key: &str) -> Result<Vec<(String, Value)>, String> {
            Err("none".into())
        }
        async fn raw_json(&self, _key: &str) -> Result<Option<String>, String> {
            std::thread::sleep(Duration::from_millis(300));
            Ok(Some("{}".into()))
        }
        fn export_dir(&self) -> PathBuf {
            std::env::temp_dir()
        }
    }

    /// A stored snapshot that takes 300 ms to load (a large account), and a
    /// sync that reports progress at once and stores a newer one in 100 ms.
    struct SlowLoad;

    fn one_user(key: &str) -> Graph {
        let mut g = Graph::new();
        let _ = g.add_entity(crate::graph::Entity::new(
            crate::graph::EntityType::User,
            key.into(),
        ));
        g
    }

    fn shown_keys(events: &[Event]) -> Vec<Vec<String>> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Shown { graph, .. } => {
                    Some(graph.entities().map(|(_, e)| e.key.clone()).collect())
                }
                _ => None,
            })
            .collect()
    }

    impl DataSource for SlowLoad {
        fn profile(&self) -> String {
            "default".into()
        }
        async fn summary(&self) -> Result<Option<SnapshotSummary>, String> {
            Ok(Some(SnapshotSummary {
                counts: [("zoom_user".to_string(), 100_000)].into_iter().collect(),
                finished_at: None,
            }))
        }
        async fn latest(&self) -> Result<Option<Loaded>, String> {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok(Some(Loaded {
                graph: one_user("zoom_user:stored"),
                meta: SnapshotMeta::default(),
            }))
        }
        fn sync_ready(&self) -> Result<(), String> {
            Ok(())
        }
        async fn sync(&self, events: UnboundedSender<SyncEvent>) -> Result<Loaded, SyncFailure> {
            let _ = events.send(SyncEvent::StepProgress {
                step: "fetch-users".into(),
                done: 0,
                total: None,
            });
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok(Loaded {
                graph: one_user("zoom_user:synced"),
                meta: SnapshotMeta::default(),
            })
        }
        async fn user_settings(&self, _key: &str) -> Result<Vec<(String, Value)>, String> {
            Err("none".into())
        }
        async fn raw_json(&self, _key: &str) -> Result<Option<String>, String> {
            Ok(None)
        }
        fn export_dir(&self) -> PathBuf {
            std::env::temp_dir()
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn counts_come_first_and_the_sync_starts_before_the_load_ends() {
        let (_tx, rx) = unbounded_channel();
        let events = RefCell::new(Vec::new());
        let deliver = |ev| events.borrow_mut().push(ev);
        let _ = tokio::time::timeout(
            Duration::from_millis(600),
            serve(Arc::new(SlowLoad), rx, deliver),
        )
        .await;
        let events = events.into_inner();
        assert!(
            matches!(events.first(), Some(Event::Summary(s)) if s.counts_text().starts_with("100,000 users")),
            "{events:?}"
        );
        let progress = events
            .iter()
            .position(|e| matches!(e, Event::Sync(SyncEvent::StepProgress { .. })));
        let shown = events.iter().position(|e| matches!(e, Event::Shown { .. }));
        assert!(
            matches!((progress, shown), (Some(p), Some(s)) if p < s),
            "the sync ran while the snapshot loaded: {events:?}"
        );
        // The sync's snapshot is newer than the one the start-up load read
        // before it: that one, arriving later, is not shown over it.
        assert_eq!(
            shown_keys(&events),
            vec![vec!["zoom_user:synced".to_string()]]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_read_does_not_hold_up_sync_progress() {
        let (tx, rx) = unbounded_channel();
        tx.send(Request::RawJson("zoom_user:u1".into())).unwrap();
        let events = RefCell::new(Vec::new());
        let deliver = |ev| events.borrow_mut().push(ev);
        let serving = serve(Arc::new(SlowRead), rx, deliver);
        let _ = tokio::time::timeout(Duration::from_millis(800), serving).await;
        let events = events.into_inner();
        let raw_at = events
            .iter()
            .position(|e| matches!(e, Event::Raw { .. }))
            .expect("the raw JSON was answered");
        let progress_before_raw = events[..raw_at]
            .iter()
            .filter(|e| matches!(e, Event::Sync(SyncEvent::StepProgress { .. })))
            .count();
        // 300 ms of blocking at 20 ms per event: about 15 got through while
        // the read ran; on one shared task there would be at most one.
        assert!(
            progress_before_raw >= 5,
            "{progress_before_raw} progress events before the read finished: {events:?}"
        );
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::SyncFinished(Err(_)))),
            "{events:?}"
        );
    }
}
