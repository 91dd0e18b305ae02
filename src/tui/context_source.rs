//! The real data path: the app layer's shared [`Context`] (store, sync,
//! client) behind [`DataSource`]. Every store access runs on tokio's
//! blocking pool through [`Context::with_store`], never on an executor
//! thread, so a read or a diff does not delay the sync's progress events.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{AppError, Context, SyncOutcome, services};
use crate::store::Snapshot;
use crate::sync::{SyncEvent, SyncOptions};

use super::model::SnapshotMeta;
use super::monitor::{self, Monitor};
use super::source::{DataSource, Loaded, SyncFailure, nothing_configured};

pub struct ContextSource {
    ctx: Arc<Context>,
}

impl ContextSource {
    pub fn new(ctx: Arc<Context>) -> Self {
        ContextSource { ctx }
    }
}

fn loaded(s: Snapshot) -> Loaded {
    Loaded {
        graph: s.graph,
        meta: SnapshotMeta {
            steps: s.info.steps,
            finished_at: Some(
                s.info
                    .finished_at
                    .format("%Y-%m-%d %H:%M:%S UTC")
                    .to_string(),
            ),
        },
    }
}

/// An app error as the one line the UI shows.
fn text(e: AppError) -> String {
    format!("{:#}", anyhow::Error::from(e))
}

impl DataSource for ContextSource {
    fn profile(&self) -> String {
        self.ctx.profile_name().to_string()
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
        match &outcome {
            SyncOutcome::AuthFailed(message) => return Err(SyncFailure::Auth(message.clone())),
            SyncOutcome::NothingFetched { .. } => {
                return Err(SyncFailure::Other(outcome.failure().unwrap_or_default()));
            }
            // A partial sync stored what it fetched; its failed steps show
            // in the account pane's step list.
            SyncOutcome::Complete(_) | SyncOutcome::Partial { .. } => {}
        }
        // Reload through the store so carried-over parts and the employee
        // overlay are shown exactly as every other view sees them.
        match self.ctx.latest_graph().await {
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

    fn export_dir(&self) -> PathBuf {
        self.ctx.paths().data_dir.join("exports")
    }

    async fn monitor(&self) -> Result<Option<Monitor>, String> {
        // The rules and the graph they see are the ones `check` sees.
        let rules = self.ctx.load_rules().map_err(text);
        let opts = self.ctx.match_options().map_err(text)?;
        let computed = self
            .ctx
            .with_store(move |store, profile| {
                let Some(inputs) = services::rule_inputs(store, profile, &opts)? else {
                    return Ok(None);
                };
                Ok(Some(monitor::compute(
                    store,
                    profile,
                    &inputs.graph,
                    inputs.previous.as_ref(),
                    rules,
                )))
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
