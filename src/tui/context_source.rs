//! The real data path: the app layer's shared [`Context`] (store, sync,
//! client) behind [`DataSource`]. Every store access runs on tokio's
//! blocking pool through [`Context::with_store`], never on an executor
//! thread, so a read or a diff does not delay the sync's progress events.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{AppError, Context, SyncOutcome, services};
use crate::graph::Graph;
use crate::store::Snapshot;
use crate::sync::{SyncEvent, SyncOptions};

use super::model::{SnapshotMeta, SnapshotSummary};
use super::monitor::{self, Monitor};
use super::source::{DataSource, Loaded, SyncFailure, nothing_configured};

pub struct ContextSource {
    ctx: Arc<Context>,
    /// The Changes pane's diffs of earlier monitor rounds (stored snapshots
    /// never change): a round after a sync diffs only the new snapshot.
    diffs: Arc<std::sync::Mutex<monitor::DiffCache>>,
}

impl ContextSource {
    pub fn new(ctx: Arc<Context>) -> Self {
        ContextSource {
            ctx,
            diffs: Arc::default(),
        }
    }
}

fn loaded(s: Snapshot) -> Loaded {
    Loaded {
        graph: s.graph,
        meta: SnapshotMeta {
            steps: s.info.steps,
            finished_at: Some(finished_text(&s.info.finished_at)),
        },
    }
}

/// A snapshot's end as the status line shows it.
fn finished_text(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// An app error as the one line the UI shows.
fn text(e: AppError) -> String {
    format!("{:#}", anyhow::Error::from(e))
}

impl DataSource for ContextSource {
    fn profile(&self) -> String {
        self.ctx.profile_name().to_string()
    }

    async fn summary(&self) -> Result<Option<SnapshotSummary>, String> {
        let info = self
            .ctx
            .with_store(|store, profile| Ok(store.latest_info(profile)?))
            .await
            .map_err(text)?;
        Ok(info.map(|i| SnapshotSummary {
            counts: i.counts,
            finished_at: Some(finished_text(&i.finished_at)),
        }))
    }

    async fn latest(&self) -> Result<Option<Loaded>, String> {
        Ok(self.ctx.latest_graph().await.map_err(text)?.map(loaded))
    }

    fn sync_ready(&self) -> Result<(), String> {
        self.ctx.profile().map(|_| ()).map_err(|e| {
            nothing_configured(
                self.ctx.profile_name(),
                &self.ctx.paths().config_file.display().to_string(),
                &text(e),
            )
        })
    }

    async fn sync(&self, events: UnboundedSender<SyncEvent>) -> Result<Loaded, SyncFailure> {
        let outcome = self
            .ctx
            .sync_and_store(SyncOptions::default(), events)
            .await
            .map_err(|e| SyncFailure::Other(text(e)))?;
        let report = match outcome {
            SyncOutcome::AuthFailed(message) => return Err(SyncFailure::Auth(message)),
            nothing @ SyncOutcome::NothingFetched { .. } => {
                return Err(SyncFailure::Other(nothing.failure().unwrap_or_default()));
            }
            // A partial sync stored what it fetched; its failed steps show
            // in the account pane's step list.
            SyncOutcome::Complete(report) | SyncOutcome::Partial { report, .. } => report,
        };
        // Carried-over parts and the employee overlay are shown exactly as
        // every other view sees them; the sync's own graph is handed on when
        // it is what was stored (no second copy while the first is alive).
        let opts = self
            .ctx
            .match_options()
            .map_err(|e| SyncFailure::Other(text(e)))?;
        match self
            .ctx
            .with_store(move |store, profile| {
                services::stored_by_sync(store, profile, report, &opts)
            })
            .await
        {
            Ok(Some(s)) => Ok(loaded(s)),
            Ok(None) => Err(SyncFailure::Other("the sync saved no snapshot".into())),
            Err(e) => Err(SyncFailure::Other(text(e))),
        }
    }

    async fn user_settings(&self, user_key: &str) -> Result<Vec<(String, Value)>, String> {
        if user_key.starts_with("zoom_user:pending:") {
            return Err("pending users have no settings yet".into());
        }
        match self.ctx.fetch_user_settings(user_key).await {
            Ok(Some(s)) => Ok(s.props),
            Ok(None) => Err("Zoom no longer has this user".into()),
            Err(e) => Err(text(e)),
        }
    }

    async fn raw_json(&self, key: &str) -> Result<Option<String>, String> {
        let key = key.to_string();
        self.ctx
            .with_store(move |store, profile| Ok(store.raw_json(profile, &key)?))
            .await
            .map_err(text)
    }

    async fn employees_report(&self) -> Result<Option<crate::employees::Report>, String> {
        let opts = self.ctx.match_options().map_err(text)?;
        self.ctx
            .with_store(move |store, profile| {
                // The report matches the roster itself: the graph without the overlay.
                let Some(s) = store.latest(profile)? else {
                    return Ok(None);
                };
                Ok(crate::employees::report_from_store(
                    &s.graph,
                    store.conn(),
                    profile,
                    &opts,
                )?)
            })
            .await
            .map_err(text)
    }

    async fn employee_decision(
        &self,
        link: bool,
        user: &str,
        employee: &str,
    ) -> Result<String, String> {
        let (user, employee) = (user.to_string(), employee.to_string());
        self.ctx
            .with_store(move |store, profile| {
                let graph = store.latest(profile)?.map(|s| s.graph);
                let decide = if link {
                    crate::employees::link
                } else {
                    crate::employees::unlink
                };
                decide(
                    store.conn(),
                    profile,
                    graph.as_ref(),
                    &user,
                    &employee,
                    chrono::Utc::now(),
                )?;
                Ok(format!(
                    "{} {user} and employee {employee}",
                    if link { "linked" } else { "unlinked" }
                ))
            })
            .await
            .map_err(|e| match e {
                // The decision's own refusal reads best on its own.
                AppError::Employees(e) => e.to_string(),
                e => text(e),
            })
    }

    async fn activity(
        &self,
        shown: Arc<Graph>,
    ) -> Result<Option<Vec<super::activity_pane::ActivityItem>>, String> {
        self.ctx
            .with_store(move |store, profile| {
                Ok(Some(super::activity_pane::load(store, profile, &shown)?))
            })
            .await
            .map_err(text)
    }

    fn export_dir(&self) -> PathBuf {
        self.ctx.paths().data_dir.join("exports")
    }

    async fn monitor(&self) -> Result<Option<Monitor>, String> {
        match self.latest().await? {
            Some(loaded) => self.monitor_for(Arc::new(loaded.graph)).await,
            None => Ok(None),
        }
    }

    async fn monitor_for(&self, shown: Arc<Graph>) -> Result<Option<Monitor>, String> {
        // The rules and the graph they see are the ones `check` sees: the
        // latest snapshot overlaid, which is what is on screen.
        let rules = self.ctx.load_rules().map_err(text);
        let opts = self.ctx.match_options().map_err(text)?;
        let diffs = self.diffs.clone();
        let computed = self
            .ctx
            .with_store(move |store, profile| {
                let mut snaps = store.snapshots(profile)?;
                if snaps.pop().is_none() {
                    return Ok(None);
                }
                // The diffs first (earlier rounds' from the cache; two
                // snapshots at a time), then the one graph the rules compare
                // with: the latest's previous, kept from its diff if loaded.
                let mut cache = diffs
                    .lock()
                    .map(|mut c| std::mem::take(&mut *c))
                    .unwrap_or_default();
                let changes = monitor::sync_changes_cached(store, profile, &mut cache);
                if let Ok(mut c) = diffs.lock() {
                    *c = cache;
                }
                let changes = match changes {
                    Ok(c) => c,
                    Err(e) => return Ok(Some(Err(e))),
                };
                let previous = match (changes.latest_previous, snaps.last()) {
                    (Some((id, mut g)), Some(p)) if id == p.id => {
                        services::overlay(store, profile, &mut g, &opts)?;
                        Some(g)
                    }
                    (_, Some(p)) => Some(services::graph_at(store, profile, p.id, &opts)?),
                    (_, None) => None,
                };
                let syncs = changes.syncs;
                let mut m =
                    monitor::with_alerts(store, profile, syncs, &shown, previous.as_ref(), rules);
                // Syncs that stored nothing, for the Changes timeline.
                m.failures = store.sync_failures(profile)?;
                Ok(Some(Ok(m)))
            })
            .await
            .map_err(text)?;
        computed.transpose()
    }

    async fn sync_diff(&self, snapshot: i64) -> Result<crate::diff::GraphDiff, String> {
        self.ctx
            .with_store(move |store, profile| {
                let timeline = crate::diff::timeline(store, profile).map_err(|e| e.to_string());
                Ok(
                    timeline.and_then(|t| match t.iter().find(|e| e.snapshot.id.0 == snapshot) {
                        Some(entry) => entry.diff(store).map_err(|e| e.to_string()),
                        None => Err(format!("snapshot #{snapshot} is no longer stored")),
                    }),
                )
            })
            .await
            .map_err(text)?
    }

    fn poll_interval(&self) -> Option<std::time::Duration> {
        self.ctx
            .profile()
            .ok()
            .and_then(|p| p.polling_interval.duration())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Options;

    /// One `--demo` context (real sandbox over HTTP, real SQLite file)
    /// shared by tasks that ask at the same time, as the edge does.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_shared_context_serves_concurrent_requests() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::new(Options {
            demo: true,
            demo_users: 40,
            config_file: Some(dir.path().join("config.toml")),
            data_dir: Some(dir.path().join("data")),
            ..Options::default()
        })
        .await
        .unwrap();
        let account_key = format!("zoom_account:{}", ctx.demo_sandbox().unwrap().account_id());
        let src = Arc::new(ContextSource::new(Arc::new(ctx)));
        assert!(src.latest().await.unwrap().is_none(), "no snapshot yet");

        let (events, mut progress) = tokio::sync::mpsc::unbounded_channel();
        let loaded = src.sync(events).await.unwrap();
        assert!(loaded.graph.entity_count() > 40);
        assert!(
            loaded.graph.id_of(&account_key).is_some(),
            "{account_key} in the synced graph"
        );
        assert!(progress.try_recv().is_ok(), "the sync reported progress");
        // The sync's graph was handed on (every part refreshed): it is what
        // the store holds, overlay included, as a reload would show it.
        let reloaded = src.latest().await.unwrap().expect("a stored snapshot");
        assert_eq!(loaded.meta, reloaded.meta);
        let reloaded = reloaded.graph;
        assert_eq!(loaded.graph.entity_count(), reloaded.entity_count());
        assert_eq!(
            loaded.graph.relationship_count(),
            reloaded.relationship_count()
        );
        for (_, e) in loaded.graph.entities() {
            assert_eq!(reloaded.get(&e.key), Some(e), "{}", e.key);
        }
        let rel_keys = |g: &Graph| {
            let mut k: Vec<String> = g
                .relationships()
                .map(|(id, _)| g.relationship_key(id))
                .collect();
            k.sort();
            k
        };
        assert_eq!(rel_keys(&loaded.graph), rel_keys(&reloaded));

        let raw = tokio::spawn({
            let src = src.clone();
            let key = account_key.clone();
            async move { src.raw_json(&key).await }
        });
        let monitor = tokio::spawn({
            let src = src.clone();
            async move { src.monitor().await }
        });
        let report = tokio::spawn({
            let src = src.clone();
            async move { src.employees_report().await }
        });
        let raw = raw.await.unwrap().unwrap().expect("the account's raw JSON");
        assert!(raw.starts_with('{'), "{raw}");
        let monitor = monitor.await.unwrap().unwrap().expect("a monitor");
        assert_eq!(monitor.syncs.len(), 1, "one stored sync");
        assert!(monitor.alerts_error.is_none(), "{:?}", monitor.alerts_error);
        // the demo org's roster was imported when the context started
        let report = report.await.unwrap().unwrap().expect("a report");
        let matched = report.count(crate::employees::Category::Matched);
        assert!(matched > 0, "{:?}", report.counts());
    }
}
