//! Command-line interface: argument definitions and dispatch. Each command
//! lives in its own module with `pub async fn run(ctx, args) -> anyhow::Result<ExitCode>`.

pub(crate) mod activity;
pub(crate) mod check;
pub(crate) mod diff;
pub mod employees;
pub(crate) mod export;
pub(crate) mod info;
pub(crate) mod query;
pub mod sandbox;
pub(crate) mod sync;
pub(crate) mod watch;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

pub(crate) use crate::app::Context;

/// Exit codes shared by every command (documented in the README and `--help`).
pub(crate) use crate::app::exit;

/// zoomscope: explore and monitor a Zoom account from the terminal.
///
/// With no command it opens the terminal explorer. `--demo` runs everything
/// against a local Zoom-compatible sandbox with a generated org.
#[derive(Debug, Parser)]
#[command(
    name = "zoomscope",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Exit status (each command's --help has its own): 0 success; 1 `check` found an alert, \
                  `diff --exit-code` found changes; 2 usage, config, query or store error; \
                  3 authentication failed; 4 a sync part failed or nothing was fetched."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Profile (a `[profile.NAME]` table of the config file).
    #[arg(
        long,
        global = true,
        env = "ZOOMSCOPE_PROFILE",
        default_value = "default",
        value_parser = crate::config::profile_name
    )]
    pub profile: String,
    /// Run against an in-process sandbox with a generated org (profile `demo`).
    #[arg(long, global = true)]
    pub demo: bool,
    /// Number of users in the `--demo` org (default 2000; only with --demo).
    #[arg(long, global = true, value_name = "N")]
    pub demo_users: Option<usize>,
    /// Config file (default: zoomscope/config.toml in the user config directory).
    #[arg(long, global = true, env = "ZOOMSCOPE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory holding the snapshot store and logs.
    #[arg(long, global = true, env = "ZOOMSCOPE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Disable colours (also: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
}

/// The size of the `--demo` org when `--demo-users` is not given.
const DEMO_USERS: usize = 2000;

impl GlobalArgs {
    /// `--demo-users` without `--demo` would be silently ignored: say so.
    fn misplaced_demo_option(&self) -> Option<&'static str> {
        (self.demo_users.is_some() && !self.demo)
            .then_some("--demo-users sets the size of the --demo org; give it with --demo")
    }

    /// The app layer's options (everything but the UI's `--no-color`).
    pub fn app_options(&self) -> crate::app::Options {
        crate::app::Options {
            profile: self.profile.clone(),
            demo: self.demo,
            demo_users: self.demo_users.unwrap_or(DEMO_USERS),
            config_file: self.config.clone(),
            data_dir: self.data_dir.clone(),
        }
    }
}

// Parsed once per run: the size of the sandbox's many options costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch the account from Zoom and store a snapshot.
    Sync(sync::SyncArgs),
    /// Export the latest snapshot as JSON (JupiterOne shape) or CSV.
    Export(export::ExportArgs),
    /// Show config, data and log paths, profiles and last syncs.
    Info(info::InfoArgs),
    /// Run a J1QL query over the latest snapshot.
    Query(query::QueryArgs),
    /// Employee mapping: import an HR roster, match it, report the gaps.
    #[command(subcommand)]
    Employees(employees::EmployeesCommand),
    /// Show what changed between two snapshots.
    Diff(diff::DiffArgs),
    /// Show who changed what: the stored operation log and sign-in activity.
    Activity(activity::ActivityArgs),
    /// Evaluate alert rules once (for cron and CI); exit 1 when one fires.
    Check(check::CheckArgs),
    /// Sync, diff and evaluate alerts forever, printing JSON lines.
    Watch(watch::WatchArgs),
    /// Run the local Zoom-compatible API sandbox.
    Sandbox(sandbox::SandboxArgs),
    /// Print shell completions.
    #[command(after_help = "Exit status: 0 printed; 2 usage error.")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
        #[command(flatten)]
        no_demo: NoDemo,
    },
}

/// `--demo` and `--demo-users` mean nothing to `sandbox` (it is what
/// `--demo` runs, sized with its own `--users`) nor to `completions`. These
/// hidden arguments take their ids there, so clap neither lists the global
/// ones in those commands' help nor propagates them; given, they are refused.
#[derive(Debug, Clone, Args)]
pub struct NoDemo {
    #[arg(long, hide = true)]
    demo: bool,
    #[arg(long, hide = true, value_name = "N")]
    demo_users: Option<usize>,
}

impl NoDemo {
    /// The complaint when either was given to `command` (or before it).
    pub(crate) fn refused(&self, global: &GlobalArgs, command: &str) -> Option<String> {
        (self.demo || self.demo_users.is_some() || global.demo || global.demo_users.is_some())
            .then(|| format!("--demo and --demo-users mean nothing to `zoomscope {command}`"))
    }
}

/// Parses arguments and runs the chosen command (or the TUI).
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Cli { global, command } = cli;
    // (`sandbox` and `completions` refuse both options themselves.)
    if !matches!(
        command,
        Some(Command::Sandbox(_) | Command::Completions { .. })
    ) && let Some(msg) = global.misplaced_demo_option()
    {
        eprintln!("zoomscope: {msg}");
        return Ok(ExitCode::from(exit::USAGE));
    }
    match command {
        Some(Command::Completions { shell, no_demo }) => {
            if let Some(msg) = no_demo.refused(&global, "completions") {
                eprintln!("zoomscope: {msg}");
                return Ok(ExitCode::from(exit::USAGE));
            }
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "zoomscope", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sandbox(args)) => sandbox::run(&global, args).await,
        Some(command) => {
            let ctx = Context::new(global.app_options()).await?;
            match command {
                Command::Sync(a) => sync::run(&ctx, a).await,
                Command::Export(a) => export::run(&ctx, a).await,
                Command::Info(a) => info::run(&ctx, a).await,
                Command::Query(a) => query::run(&ctx, a).await,
                Command::Employees(a) => employees::run(&ctx, a).await,
                Command::Diff(a) => diff::run(&ctx, a).await,
                Command::Activity(a) => activity::run(&ctx, a).await,
                Command::Check(a) => check::run(&ctx, a).await,
                Command::Watch(a) => watch::run(&ctx, a).await,
                Command::Sandbox(_) | Command::Completions { .. } => unreachable!("handled above"),
            }
        }
        None => {
            let ctx = Arc::new(Context::new(global.app_options()).await?);
            let ui = crate::tui::UiOptions {
                no_color: global.no_color,
            };
            crate::tui::run(ctx, ui).await
        }
    }
}
