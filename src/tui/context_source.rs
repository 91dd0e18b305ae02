//! The real data path: the CLI's `Context` (store, sync, client) behind
//! [`DataSource`]. Store reads and the snapshot save run on the async
//! runtime's task that serves the edge, never on the UI thread.

use std::path::PathBuf;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::cli::Context;
use crate::store::Snapshot;
use crate::sync::{SyncError, SyncEvent, SyncOptions};

use super::model::SnapshotMeta;
use super::monitor::{self, Monitor};
use super::source::{DataSource, Loaded, SyncFailure, nothing_configured};

pub struct ContextSource<'a> {
    ctx: &'a Context,
}

impl<'a> ContextSource<'a> {
    pub fn new(ctx: &'a Context) -> Self {
        ContextSource { ctx }
    }
}

impl ContextSource<'_> {
    /// The config's matching options, as `Context::latest_graph` uses them.
    fn match_options(&self) -> Result<crate::employees::MatchOptions, String> {
        let employees: crate::employees::EmployeesConfig = self
            .ctx
            .config()
            .section_as("employees")
            .map_err(|e| format!("{e:#}"))?
            .unwrap_or_default();
        Ok(employees.match_options(chrono::Utc::now().date_naive()))
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

impl DataSource for ContextSource<'_> {
    fn profile(&self) -> String {
        self.ctx.profile_name().to_string()
    }

    async fn latest(&self) -> Result<Option<Loaded>, String> {
        match self.ctx.latest_graph() {
            Ok(s) => Ok(s.map(loaded)),
            Err(e) => Err(format!("{e:#}")),
        }
    }

    fn sync_ready(&self) -> Result<(), String> {
        self.ctx.profile().map(|_| ()).map_err(|e| {
            nothing_configured(
                self.ctx.profile_name(),
                &self.ctx.paths().config_file.display().to_string(),
                &format!("{e:#}"),
            )
        })
    }

    async fn sync(&self, events: UnboundedSender<SyncEvent>) -> Result<Loaded, SyncFailure> {
        match self.ctx.sync_now(SyncOptions::default(), events).await {
            // Reload through the store so carried-over parts and the
            // employee overlay are shown exactly as every other view sees them.
            Ok(_) => match self.ctx.latest_graph() {
                Ok(Some(s)) => Ok(loaded(s)),
                Ok(None) => Err(SyncFailure::Other("the sync saved no snapshot".into())),
                Err(e) => Err(SyncFailure::Other(format!("{e:#}"))),
            },
            Err(e) if e.downcast_ref::<SyncError>().is_some() => {
                Err(SyncFailure::Auth(format!("{e:#}")))
            }
            Err(e) => Err(SyncFailure::Other(format!("{e:#}"))),
        }
    }

    async fn user_settings(&self, user_key: &str) -> Result<Vec<(String, Value)>, String> {
        if user_key.starts_with("zoom_user:pending:") {
            return Err("pending users have no settings yet".into());
        }
        match self.ctx.fetch_user_settings(user_key).await {
            Ok(Some(s)) => Ok(s.props),
            Ok(None) => Err("Zoom no longer has this user".into()),
            Err(e) => Err(format!("{e:#}")),
        }
    }

    async fn raw_json(&self, key: &str) -> Result<Option<String>, String> {
        let store = self.ctx.store().map_err(|e| format!("{e:#}"))?;
        store
            .raw_json(self.ctx.profile_name(), key)
            .map_err(|e| e.to_string())
    }

    async fn employees_report(&self) -> Result<Option<crate::employees::Report>, String> {
        let store = self.ctx.store().map_err(|e| format!("{e:#}"))?;
        let Some(s) = store
            .latest(self.ctx.profile_name())
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let opts = self.match_options()?;
        crate::employees::report_from_store(&s.graph, store.conn(), self.ctx.profile_name(), &opts)
            .map_err(|e| e.to_string())
    }

    async fn employee_decision(
        &self,
        link: bool,
        user: &str,
        employee: &str,
    ) -> Result<String, String> {
        let store = self.ctx.store().map_err(|e| format!("{e:#}"))?;
        let graph = store
            .latest(self.ctx.profile_name())
            .map_err(|e| e.to_string())?
            .map(|s| s.graph);
        let now = chrono::Utc::now();
        let f = if link {
            crate::employees::link
        } else {
            crate::employees::unlink
        };
        f(
            store.conn(),
            self.ctx.profile_name(),
            graph.as_ref(),
            user,
            employee,
            now,
        )
        .map_err(|e| e.to_string())?;
        Ok(format!(
            "{} {user} and employee {employee}",
            if link { "linked" } else { "unlinked" }
        ))
    }

    fn export_dir(&self) -> PathBuf {
        self.ctx.paths().data_dir.join("exports")
    }

    async fn monitor(&self) -> Result<Option<Monitor>, String> {
        let err = |e: anyhow::Error| format!("{e:#}");
        let store = self.ctx.store().map_err(err)?;
        let profile = self.ctx.profile_name();
        let snaps = store.snapshots(profile).map_err(|e| e.to_string())?;
        let Some(latest) = snaps.last() else {
            return Ok(None);
        };
        // The graph the rules see is the one `check` sees: with the roster.
        let graph = crate::cli::check::load_graph(self.ctx, latest.id).map_err(err)?;
        let previous = match snaps.len().checked_sub(2).and_then(|i| snaps.get(i)) {
            Some(p) => Some(crate::cli::check::load_graph(self.ctx, p.id).map_err(err)?),
            None => None,
        };
        let rules = crate::cli::check::load_rules(self.ctx).map_err(err);
        monitor::compute(store, profile, &graph, previous.as_ref(), rules).map(Some)
    }

    async fn sync_diff(&self, snapshot: i64) -> Result<crate::diff::GraphDiff, String> {
        let store = self.ctx.store().map_err(|e| format!("{e:#}"))?;
        let timeline =
            crate::diff::timeline(store, self.ctx.profile_name()).map_err(|e| e.to_string())?;
        match timeline.iter().find(|e| e.snapshot.id.0 == snapshot) {
            Some(entry) => entry.diff(store).map_err(|e| e.to_string()),
            None => Err(format!("snapshot #{snapshot} is no longer stored")),
        }
    }

    fn poll_interval(&self) -> Option<std::time::Duration> {
        self.ctx
            .profile()
            .ok()
            .and_then(|p| p.polling_interval.duration())
    }
}
