//! `zoomscope check`: sync (or `--offline`), evaluate the alert rules, print
//! what fired; exit 1 when a rule at or above `--min-severity` fired.
//! The logic is in `crate::alerts`; this file only wires it to the context.

use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Utc;
use clap::Args;

use super::{Context, exit};
use crate::alerts::{self, AlertState, AlertsConfig, EvalOptions, Rule, Severity};
use crate::graph::Graph;
use crate::store::{SnapshotId, SnapshotInfo};
use crate::util::sanitize::for_terminal;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print `{"fired": [{"rule", "severity", "count", "entities"}], "evaluated": N}`.
    #[arg(long)]
    pub json: bool,
    /// Exit 1 only when a rule of at least this severity fires (info, low,
    /// medium, high, critical); rules below it are not printed either.
    #[arg(long, value_name = "S", default_value = "low", value_parser = parse_severity)]
    pub min_severity: Severity,
    /// Do not sync: evaluate the latest stored snapshot.
    #[arg(long)]
    pub offline: bool,
    /// Fetch every user's settings in the sync (for the per-user setting rules).
    #[arg(long, conflicts_with = "offline")]
    pub user_settings: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

pub async fn run(ctx: &mut Context, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let rules = load_rules(ctx)?;
    if !args.offline {
        match sync_snapshot(ctx, args.user_settings).await {
            Ok(s) => {
                for (step, reason) in &s.failed {
                    eprintln!(
                        "zoomscope: sync step {step} failed ({}); its part keeps the last good data",
                        for_terminal(reason)
                    );
                }
            }
            Err(e) => {
                eprintln!(
                    "zoomscope: sync failed: {}",
                    for_terminal(&format!("{e:#}"))
                );
                return Ok(ExitCode::from(
                    if e.downcast_ref::<crate::sync::SyncError>().is_some() {
                        exit::AUTH
                    } else {
                        exit::PARTIAL
                    },
                ));
            }
        }
    }
    let store = ctx.store()?;
    let snaps = store.snapshots(ctx.profile_name())?;
    let Some(latest) = snaps.last() else {
        anyhow::bail!(
            "no snapshot of profile {} yet: run `zoomscope sync` first (or `check` without --offline)",
            ctx.profile_name()
        );
    };
    let graph = load_graph(ctx, latest.id)?;
    let previous = match snaps.len().checked_sub(2).and_then(|i| snaps.get(i)) {
        Some(p) => Some(load_graph(ctx, p.id)?),
        None => None,
    };
    let state = AlertState::open(store.conn(), ctx.profile_name())?;
    let results = alerts::evaluate(
        &graph,
        &rules,
        Some(&state),
        EvalOptions {
            now: Utc::now(),
            previous: previous.as_ref(),
        },
    )?;
    if args.json {
        println!(
            "{}",
            alerts::report::check_json(&results, args.min_severity)
        );
    } else {
        print!(
            "{}",
            alerts::report::check_text(&results, &graph, args.min_severity)
        );
    }
    let code = if alerts::report::should_fail(&results, args.min_severity) {
        exit::ALERT
    } else if results
        .iter()
        .any(|r| matches!(r.status, alerts::RuleStatus::Error { .. }))
    {
        exit::USAGE
    } else {
        exit::OK
    };
    Ok(ExitCode::from(code))
}

/// The `[alerts]` settings of the config file.
pub(crate) fn alerts_config(ctx: &Context) -> anyhow::Result<AlertsConfig> {
    let mut c = match ctx.config().section("alerts") {
        Some(v) => AlertsConfig::from_value(v.clone())?,
        None => AlertsConfig::default(),
    };
    // Rule files are relative to the config file.
    if let Some(dir) = ctx.paths().config_file.parent() {
        for f in &mut c.files {
            if f.is_relative() {
                *f = dir.join(&*f);
            }
        }
    }
    Ok(c)
}

/// The enabled rules (built-in pack, the config's files, minus `disabled`).
pub(crate) fn load_rules(ctx: &Context) -> anyhow::Result<Vec<Rule>> {
    let config = alerts_config(ctx)?;
    Ok(alerts::load_rules(&config)?)
}

/// What a sync left behind: the stored snapshot and the steps that failed
/// (their parts keep the last good data).
pub(crate) struct SyncOutcome {
    pub info: SnapshotInfo,
    /// (step, reason) of each failed step.
    pub failed: Vec<(String, String)>,
}

/// Syncs the profile's account and saves a snapshot. A sync that refreshed
/// nothing at all (Zoom unreachable: every step failed) is an error, though
/// the store has recorded it, so callers do not mistake carried-over data
/// for a good sync.
pub(crate) async fn sync_snapshot(
    ctx: &Context,
    user_settings: bool,
) -> anyhow::Result<SyncOutcome> {
    let (events, _drain) = tokio::sync::mpsc::unbounded_channel();
    let opts = crate::sync::SyncOptions {
        user_settings,
        ..Default::default()
    };
    let report = ctx.sync_now(opts, events).await?;
    let failed: Vec<(String, String)> = report
        .result
        .steps
        .iter()
        .filter_map(|s| match &s.outcome {
            crate::sync::StepOutcome::Failed { reason } => Some((s.step.clone(), reason.clone())),
            _ => None,
        })
        .collect();
    for (step, reason) in &failed {
        tracing::warn!(%step, %reason, "sync step failed");
    }
    if report.result.refreshed.entities.is_empty() {
        let why = failed
            .first()
            .map(|(step, reason)| format!("{step}: {reason}"))
            .unwrap_or_else(|| "no step completed".into());
        anyhow::bail!("the sync fetched nothing ({why})");
    }
    Ok(SyncOutcome {
        info: report.snapshot,
        failed,
    })
}

/// A stored snapshot's graph with the employee roster overlaid (so the
/// employee-mapping rules see `employee` entities and IS relationships).
pub(crate) fn load_graph(ctx: &Context, id: SnapshotId) -> anyhow::Result<Graph> {
    let store = ctx.store()?;
    let mut graph = store.load(ctx.profile_name(), id)?.graph;
    let employees: crate::employees::EmployeesConfig =
        ctx.config().section_as("employees")?.unwrap_or_default();
    let opts = employees.match_options(Utc::now().date_naive());
    crate::employees::overlay(&mut graph, store.conn(), ctx.profile_name(), &opts)
        .context("cannot apply the employee roster to the snapshot")?;
    Ok(graph)
}
