//! What every command needs: resolved paths, the config file, the chosen
//! profile (resolved lazily, so `info` and `export` work without
//! credentials), file logging, and with `--demo` the in-process sandbox.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Context as _;
use directories::ProjectDirs;
use tracing_appender::non_blocking::WorkerGuard;

use super::GlobalArgs;
use crate::config::{Config, ResolvedProfile, process_env};
use crate::zoom::ZoomClient;

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
    _log_guard: Option<WorkerGuard>,
}

impl Context {
    pub async fn new(global: GlobalArgs) -> anyhow::Result<Self> {
        let paths = Paths::resolve(&global)?;
        std::fs::create_dir_all(&paths.data_dir).with_context(|| {
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
        Ok(Context {
            global,
            paths,
            config,
            profile_name,
            profile: OnceLock::new(),
            client: OnceLock::new(),
            _log_guard: log_guard,
        })
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

/// Logs go to a file, never to the terminal (the TUI draws there). The
/// level comes from `ZOOMSCOPE_LOG` (default `info`). Without a writable
/// log file zoomscope runs without logs rather than not at all.
fn init_logging(log_file: &Path) -> Option<WorkerGuard> {
    let dir = log_file.parent()?;
    let name = log_file.file_name()?;
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
