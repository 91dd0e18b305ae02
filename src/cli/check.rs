//! `zoomscope check`: sync (or `--offline`), evaluate the alert rules, print
//! what fired; exit 1 when a rule at or above `--min-severity` fired.
//! The logic is in `crate::alerts` and the sync in `crate::app`; this file
//! only wires them together.

use std::process::ExitCode;

use chrono::Utc;
use clap::Args;

use super::{Context, exit};
use crate::alerts::{self, AlertState, EvalOptions, Severity};
use crate::app::services;
use crate::util::sanitize::{for_terminal, json_text};

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 nothing at or above --min-severity fired; 1 a rule at or above it fired; \
                  2 a rule could not be evaluated, or a usage, config or store error (no snapshot with \
                  --offline); 3 authentication failed; 4 the sync failed or fetched nothing."
)]
pub struct CheckArgs {
    /// Print `{"fired": [{"rule", "severity", "count", "entities"}], "evaluated": N}`;
    /// an event rule's entry adds `"events"` (time, operator, subject, detail, evidence).
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

pub async fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let rules = ctx.load_rules()?;
    if !args.offline {
        let (events, _drain) = tokio::sync::mpsc::unbounded_channel();
        let opts = crate::sync::SyncOptions {
            user_settings: args.user_settings,
            ..Default::default()
        };
        match ctx.sync_and_store(opts, events).await {
            Ok(outcome) => {
                if let Some(why) = outcome.failure() {
                    eprintln!("zoomscope: sync failed: {}", for_terminal(&why));
                    return Ok(ExitCode::from(outcome.exit_code()));
                }
                for (step, reason) in outcome.failed() {
                    eprintln!(
                        "zoomscope: sync step {step} failed ({}); its part keeps the last good data",
                        for_terminal(reason)
                    );
                }
                for (step, why) in outcome.skipped_parts() {
                    eprintln!(
                        "zoomscope: sync step {step} skipped ({}); what it did not fetch keeps its earlier data",
                        for_terminal(&why)
                    );
                }
            }
            Err(e) => {
                eprintln!(
                    "zoomscope: sync failed: {}",
                    for_terminal(&format!("{e:#}"))
                );
                return Ok(ExitCode::from(exit::PARTIAL));
            }
        }
    }
    let store = ctx.open_store()?;
    let opts = ctx.match_options()?;
    let Some(inputs) = services::rule_inputs(&store, ctx.profile_name(), &opts)? else {
        anyhow::bail!(
            "no snapshot of profile {} yet: run `zoomscope sync` first (or `check` without --offline)",
            ctx.profile_name()
        );
    };
    let graph = inputs.graph;
    let state = AlertState::open(store.conn(), ctx.profile_name())?;
    let mut results = alerts::evaluate(
        &graph,
        &rules,
        Some(&state),
        EvalOptions {
            now: Utc::now(),
            previous: inputs.previous.as_ref(),
        },
    )?;
    // Worst first, then by name, as the TUI's Alerts pane lists them.
    results.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
    });
    // Through util::stdout: a closed pipe (`check --json | head`) ends quietly.
    let text = if args.json {
        let mut v = alerts::report::check_json(&results, args.min_severity);
        alerts::report::add_shown(&mut v, &rules, &graph);
        format!("{}\n", json_text(&v.to_string()))
    } else {
        alerts::report::check_text_shown(&results, &rules, &graph, args.min_severity)
    };
    crate::util::stdout::print(&text)?;
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
