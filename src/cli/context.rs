//! What every command needs: resolved paths, the config file, the chosen
//! profile (resolved lazily, so `info` and `export` work without
//! credentials), file logging, and with `--demo` the in-process sandbox.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Context as _;
use directories::ProjectDirs;
use tracing_appender::non_blocking::WorkerGuard;

use super::GlobalArgs;
use crate::config::{Config, PollingInterval, ResolvedProfile, SecretSource, process_env};
use crate::sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use crate::store::{Snapshot, SnapshotInfo, SnapshotWrite, Store};
use crate::sync::{FetchedUserSettings, SyncEvent, SyncOptions, SyncResult};
use crate::zoom::{Plan, Secret, ZoomClient};

/// The profile `--demo` runs under.
pub const DEMO_PROFILE: &str = "demo";

/// Where zoomscope keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    /// The SQLite snapshot store.
    pub store_file: PathBuf,
    pub log_file: PathBuf,
}

impl Paths {
    /// `--config`/`ZOOMSCOPE_CONFIG` and `--data-dir`/`ZOOMSCOPE_DATA_DIR`
    /// (clap reads the variables), else the platform's directories.
    pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Paths> {
        let dirs = ProjectDirs::from("", "", "zoomscope");
        let config_file = match &global.config {
            Some(p) => p.clone(),
            None => dirs
                .as_ref()
                .map(|d| d.config_dir().join("config.toml"))
                .context("no home directory to keep the config in; pass --config FILE")?,
        };
        let data_dir = match &global.data_dir {
            Some(p) => p.clone(),
            None => dirs
                .as_ref()
                .map(|d| d.data_dir().to_path_buf())
                .context("no home directory to keep data in; pass --data-dir DIR")?,
        };
        Ok(Paths {
            config_file,
            store_file: data_dir.join("zoomscope.db"),
            log_file: data_dir.join("zoomscope.log"),
            data_dir,
        })
    }
}

pub struct Context {
    pub global: GlobalArgs,
    paths: Paths,
    config: Config,
    profile_name: String,
    profile: OnceLock<ResolvedProfile>,
    client: OnceLock<ZoomClient>,
    store: OnceLock<Store>,
    /// The `--demo` sandbox, served until the context is dropped.
    demo: Option<RunningSandbox>,
    _log_guard: Option<WorkerGuard>,
}

/// What [`Context::sync_now`] produced: the sync and the stored snapshot.
pub struct SyncReport {
    pub result: SyncResult,
    pub snapshot: SnapshotInfo,
}

impl Context {
    pub async fn new(global: GlobalArgs) -> anyhow::Result<Self> {
        let paths = Paths::resolve(&global)?;
        crate::util::files::create_private_dir(&paths.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                paths.data_dir.display()
            )
        })?;
        let log_guard = init_logging(&paths.log_file);
        let config = Config::load(&paths.config_file)?;
        let profile_name = if global.demo {
            DEMO_PROFILE.to_string()
        } else {
            global.profile.clone()
        };
        tracing::info!(profile = %profile_name, config = %paths.config_file.display(), "zoomscope starting");
        let mut ctx = Context {
            global,
            paths,
            config,
            profile_name,
            profile: OnceLock::new(),
            client: OnceLock::new(),
            store: OnceLock::new(),
            demo: None,
            _log_guard: log_guard,
        };
        if ctx.global.demo {
            ctx.start_demo().await?;
        }
        Ok(ctx)
    }

    /// Starts the in-process sandbox and makes its credentials the `demo`
    /// profile.
    async fn start_demo(&mut self) -> anyhow::Result<()> {
        let sb = Sandbox::start(SandboxConfig {
            users: self.global.demo_users,
            ..SandboxConfig::default()
        })
        .await
        .context("cannot start the demo sandbox")?;
        let profile = ResolvedProfile {
            name: DEMO_PROFILE.to_string(),
            account_id: sb.account_id().to_string(),
            client_id: sb.client_id().to_string(),
            client_secret: Secret::new(sb.client_secret()),
            secret_source: SecretSource::Demo,
            account_name: Some("zoomscope demo".to_string()),
            api_url: sb.api_url(),
            oauth_url: sb.oauth_url(),
            plan: Plan::Business,
            polling_interval: PollingInterval::DEFAULT,
        };
        tracing::info!(api_url = %profile.api_url, users = self.global.demo_users, "demo sandbox started");
        let _ = self.profile.set(profile);
        // The demo org comes with its HR roster, so employee mapping has
        // something to show from the first run.
        let account = sb.org().account;
        let alias_domains = vec![vec![account.domain.clone(), account.alias_domain.clone()]];
        let imported = crate::employees::import_demo_roster(
            self.store()?.conn(),
            DEMO_PROFILE,
            &sb.roster_csv(),
            &alias_domains,
            chrono::Utc::now(),
        )
        .context("cannot import the demo HR roster")?;
        if let Some(imported) = imported {
            tracing::info!(employees = imported.imported, "demo roster imported");
        }
        self.demo = Some(sb);
        Ok(())
    }

    /// The running demo sandbox (`--demo` only).
    pub fn demo_sandbox(&self) -> Option<&RunningSandbox> {
        self.demo.as_ref()
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `demo` with `--demo`, else `--profile` (default `default`).
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    pub fn is_demo(&self) -> bool {
        self.global.demo
    }

    /// The chosen profile with environment overrides and its secret.
    pub fn profile(&self) -> anyhow::Result<&ResolvedProfile> {
        if let Some(p) = self.profile.get() {
            return Ok(p);
        }
        let p = self.config.resolve(&self.profile_name, &process_env())?;
        Ok(self.profile.get_or_init(|| p))
    }

    /// A client for the profile (clones share the token and limiters).
    pub fn client(&self) -> anyhow::Result<ZoomClient> {
        if let Some(c) = self.client.get() {
            return Ok(c.clone());
        }
        let c = ZoomClient::new(self.profile()?.client_config())?;
        Ok(self.client.get_or_init(|| c).clone())
    }
}

impl Context {
    /// The snapshot store, opened (and created) on first use.
    pub fn store(&self) -> anyhow::Result<&Store> {
        if let Some(s) = self.store.get() {
            return Ok(s);
        }
        let s = Store::open(&self.paths.store_file).with_context(|| {
            format!("cannot open the store {}", self.paths.store_file.display())
        })?;
        Ok(self.store.get_or_init(|| s))
    }

    /// Syncs the profile's account and saves a snapshot. An authentication
    /// failure is returned as a [`crate::sync::SyncError`] inside the
    /// `anyhow::Error` (downcast it to tell it apart, e.g. for exit code 3).
    pub async fn sync_now(
        &self,
        mut opts: SyncOptions,
        events: tokio::sync::mpsc::UnboundedSender<SyncEvent>,
    ) -> anyhow::Result<SyncReport> {
        let profile = self.profile()?;
        opts.account_id = profile.account_id.clone();
        if opts.account_name.is_none() {
            opts.account_name = profile.account_name.clone();
        }
        let client = self.client()?;
        let store = self.store()?;
        let started_at = chrono::Utc::now();
        let result = crate::sync::run(&client, &opts, events).await?;
        let finished_at = chrono::Utc::now();
        let snapshot = store.save_snapshot(&SnapshotWrite {
            profile: &self.profile_name,
            account_id: &profile.account_id,
            started_at,
            finished_at,
            graph: &result.graph,
            raw: &result.raw,
            steps: &result.steps,
            refreshed: &result.refreshed,
        })?;
        Ok(SyncReport { result, snapshot })
    }

    /// The latest snapshot of the profile, with the employee overlay.
    pub fn latest_graph(&self) -> anyhow::Result<Option<Snapshot>> {
        let store = self.store()?;
        let Some(mut snapshot) = store.latest(&self.profile_name)? else {
            return Ok(None);
        };
        let employees: crate::employees::EmployeesConfig =
            self.config.section_as("employees")?.unwrap_or_default();
        let opts = employees.match_options(chrono::Utc::now().date_naive());
        crate::employees::overlay(&mut snapshot.graph, store.conn(), &self.profile_name, &opts)
            .context("cannot apply the employee roster to the snapshot")?;
        Ok(Some(snapshot))
    }

    /// Fetches one user's settings now (the TUI's detail view) and saves
    /// them to the store. `user_key` is `zoom_user:<id>`.
    pub async fn fetch_user_settings(
        &self,
        user_key: &str,
    ) -> anyhow::Result<Option<FetchedUserSettings>> {
        let client = self.client()?;
        let Some(s) = crate::sync::fetch_user_settings(&client, user_key).await? else {
            return Ok(None);
        };
        self.store()?
            .save_user_settings(&self.profile_name, user_key, &s.props, Some(&s.raw))?;
        Ok(Some(s))
    }
}

/// Logs go to a file, never to the terminal (the TUI draws there). The
/// level comes from `ZOOMSCOPE_LOG` (default `info`). Without a writable
/// log file zoomscope runs without logs rather than not at all.
fn init_logging(log_file: &Path) -> Option<WorkerGuard> {
    let dir = log_file.parent()?;
    let name = log_file.file_name()?;
    crate::util::files::ensure_private_file(log_file).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::NEVER)
        .filename_prefix(name.to_string_lossy())
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZOOMSCOPE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
