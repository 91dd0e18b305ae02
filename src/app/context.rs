//! The [`Context`]: paths, config, profile, client and the demo sandbox,
//! shared by every command and the explorer.

use std::sync::{Arc, OnceLock};

use tracing_appender::non_blocking::WorkerGuard;

use super::demo::{self, DEMO_PROFILE, DemoRoster};
use super::{AppError, Options, Paths, logging};
use crate::config::{Config, ResolvedProfile, process_env};
use crate::sandbox::RunningSandbox;
use crate::store::Store;
use crate::zoom::ZoomClient;

/// What every command needs. The profile and the client are resolved on
/// first use, so `info` and `export` work without credentials. Share it as
/// `Arc<Context>`: it is `Send + Sync` and holds no store connection.
pub struct Context {
    paths: Paths,
    config: Config,
    profile_name: String,
    demo_mode: bool,
    profile: OnceLock<ResolvedProfile>,
    client: OnceLock<ZoomClient>,
    /// The `--demo` sandbox, served until the context is dropped.
    demo: Option<RunningSandbox>,
    _log_guard: Option<WorkerGuard>,
}

impl Context {
    /// Creates the data directory, starts logging, reads the config file and
    /// with `demo` starts the sandbox (and imports its HR roster).
    pub async fn new(opts: Options) -> Result<Context, AppError> {
        let paths = Paths::resolve(&opts)?;
        crate::util::files::create_private_dir(&paths.data_dir).map_err(|source| AppError::DataDir {
            path: paths.data_dir.clone(),
            source,
        })?;
        let log_guard = logging::init(&paths.log_file);
        let config = Config::load(&paths.config_file)?;
        let profile_name = if opts.demo {
            DEMO_PROFILE.to_string()
        } else {
            opts.profile.clone()
        };
        tracing::info!(profile = %profile_name, config = %paths.config_file.display(), "zoomscope starting");
        let mut ctx = Context {
            paths,
            config,
            profile_name,
            demo_mode: opts.demo,
            profile: OnceLock::new(),
            client: OnceLock::new(),
            demo: None,
            _log_guard: log_guard,
        };
        if opts.demo {
            let (sb, profile) = demo::start(opts.demo_users).await?;
            let _ = ctx.profile.set(profile);
            let roster = DemoRoster::of(&sb);
            ctx.demo = Some(sb);
            ctx.with_store(move |store, _| demo::import_roster(store, &roster))
                .await?;
        }
        Ok(ctx)
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

    /// `demo` with `--demo`, else the chosen profile (default `default`).
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    pub fn is_demo(&self) -> bool {
        self.demo_mode
    }

    /// The chosen profile with environment overrides and its secret.
    pub fn profile(&self) -> Result<&ResolvedProfile, AppError> {
        if let Some(p) = self.profile.get() {
            return Ok(p);
        }
        let p = self.config.resolve(&self.profile_name, &process_env())?;
        Ok(self.profile.get_or_init(|| p))
    }

    /// A client for the profile (clones share the token and limiters).
    pub fn client(&self) -> Result<ZoomClient, AppError> {
        if let Some(c) = self.client.get() {
            return Ok(c.clone());
        }
        let c = ZoomClient::new(self.profile()?.client_config())?;
        Ok(self.client.get_or_init(|| c).clone())
    }

    /// A new connection to the snapshot store (created and migrated on
    /// first use). Blocking: from async code prefer [`Context::with_store`].
    pub fn open_store(&self) -> Result<Store, AppError> {
        Store::open(&self.paths.store_file).map_err(|source| AppError::OpenStore {
            path: self.paths.store_file.clone(),
            source,
        })
    }

    /// Runs `f` with its own store connection and the profile name on
    /// tokio's blocking pool, so SQLite never blocks an executor thread.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &str) -> Result<T, AppError> + Send + 'static,
    {
        let store_file = self.paths.store_file.clone();
        let profile = self.profile_name.clone();
        let task = tokio::task::spawn_blocking(move || {
            let store = Store::open(&store_file).map_err(|source| AppError::OpenStore {
                path: store_file.clone(),
                source,
            })?;
            f(&store, &profile)
        });
        match task.await {
            Ok(r) => r,
            // A panic in `f` is a bug: surface it where it belongs.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(AppError::Task(e.to_string())),
        }
    }
}

/// Shared across tasks: every field is `Send + Sync`.
const _: fn() = || {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Context>();
    shared::<Arc<Context>>();
};
