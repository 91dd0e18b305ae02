//! `zoomscope sync`: fetch the account, store a snapshot, and report the
//! counts and how each step ended. Exit 0 when complete (parts skipped for a
//! missing scope or as unavailable to the account allowed, and listed with
//! why), 3 when authentication fails, 4 when a
//! part failed or nothing was fetched (then no snapshot is stored), 2 for
//! usage and config errors. How a sync ended is `crate::app::SyncOutcome`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedReceiver;

use super::{Context, exit};
use crate::app::{SyncOutcome, SyncReport};
use crate::sync::{SkipKind, StepOutcome, StepRecord, SyncEvent, SyncOptions};
use crate::util::sanitize::for_terminal;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 complete (parts skipped for a missing scope or as unavailable on the account's plan are listed with why; their earlier data is kept), \
2 usage or config error, 3 authentication failed, 4 a part failed (its earlier data is kept) or nothing was fetched (no snapshot is stored)."
)]
pub struct SyncArgs {
    /// Also fetch the per-item details: every user's settings and sign-in methods
    /// (`loginTypes`; 4 Medium-rate and 1 Light-rate request per user) and every group's
    /// admins, settings and lock settings (3 Medium-rate requests per group; a group keeps
    /// the settings that differ from the account's). Without it the details stored before are kept.
    #[arg(long)]
    pub user_settings: bool,
    /// Print the result as JSON on standard output (no progress bar).
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Context, args: SyncArgs) -> anyhow::Result<ExitCode> {
    let opts = SyncOptions {
        user_settings: args.user_settings,
        ..SyncOptions::default()
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let show_bar = !args.json && std::io::stderr().is_terminal();
    let drawer = tokio::spawn(draw_progress(rx, show_bar));
    let result = ctx.sync_and_store(opts, tx).await;
    // The sender is gone once sync_and_store returns, so the drawer ends.
    let _ = drawer.await;
    let outcome = result?;
    let profile = ctx.profile_name();
    match &outcome {
        SyncOutcome::AuthFailed(message) => {
            let msg = for_terminal(message).into_owned();
            if args.json {
                out(&format!(
                    "{}\n",
                    json!({"profile": profile, "error": "authentication", "message": msg})
                ))?;
            } else {
                eprintln!(
                    "zoomscope sync: {msg}\nCheck account_id, client_id and the client secret of profile `{}`.",
                    for_terminal(profile)
                );
            }
        }
        SyncOutcome::NothingFetched { reason, steps } => {
            if args.json {
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&nothing_json(profile, reason, steps))?
                ))?;
            } else {
                crate::util::stdout::print(&nothing_text(profile, steps))?;
                eprintln!(
                    "zoomscope sync: the sync fetched nothing ({}); no snapshot was stored",
                    for_terminal(reason)
                );
            }
        }
        SyncOutcome::Complete(report) | SyncOutcome::Partial { report, .. } => {
            let complete = outcome.exit_code() == exit::OK;
            if args.json {
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&report_json(profile, report, complete))?
                ))?;
            } else {
                crate::util::stdout::print(&report_text(profile, report))?;
            }
        }
    }
    Ok(ExitCode::from(outcome.exit_code()))
}

/// JSON to standard output through `util::stdout` (a closed pipe ends quietly),
/// invisible and control characters escaped.
fn out(text: &str) -> std::io::Result<()> {
    crate::util::stdout::print(&crate::util::sanitize::json_text(text))
}

/// One bar per running step on stderr (only on a terminal), notices above.
async fn draw_progress(mut rx: UnboundedReceiver<SyncEvent>, show: bool) {
    let multi = MultiProgress::with_draw_target(if show {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let bar_style =
        ProgressStyle::with_template("{spinner} {prefix:32} {wide_bar} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let spin_style = ProgressStyle::with_template("{spinner} {prefix:32} {pos} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let mut bars: HashMap<String, ProgressBar> = HashMap::new();
    while let Some(ev) = rx.recv().await {
        if !show {
            continue;
        }
        match ev {
            SyncEvent::StepStarted { step } => {
                let bar = multi.add(ProgressBar::no_length().with_style(spin_style.clone()));
                bar.set_prefix(step.clone());
                bar.enable_steady_tick(Duration::from_millis(120));
                bars.insert(step, bar);
            }
            SyncEvent::StepProgress { step, done, total } => {
                if let Some(bar) = bars.get(&step) {
                    if let Some(t) = total
                        && bar.length() != Some(t)
                    {
                        bar.set_style(bar_style.clone());
                        bar.set_length(t);
                    }
                    bar.set_position(done as u64);
                }
            }
            SyncEvent::StepFinished(rec) => {
                if let Some(bar) = bars.remove(&rec.step) {
                    bar.finish_and_clear();
                    multi.remove(&bar);
                }
                let _ = multi.println(format!("{} {}", outcome_word(&rec.outcome), rec.step));
            }
            SyncEvent::Notice(n) => {
                let _ = multi.println(format!("  {}", for_terminal(&n)));
            }
        }
    }
    let _ = multi.clear();
}

fn outcome_word(o: &StepOutcome) -> &'static str {
    match o {
        StepOutcome::Ok { .. } => "ok     ",
        StepOutcome::Skipped { .. } => "skipped",
        StepOutcome::Failed { .. } => "FAILED ",
    }
}

/// The step list sorted by name, for stable output.
fn sorted_steps(steps: &[StepRecord]) -> Vec<&StepRecord> {
    let mut s: Vec<&StepRecord> = steps.iter().collect();
    s.sort_by(|a, b| a.step.cmp(&b.step));
    s
}

fn report_text(profile: &str, r: &SyncReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let info = &r.snapshot;
    let secs = (info.finished_at - info.started_at).num_milliseconds() as f64 / 1000.0;
    let _ = writeln!(
        out,
        "Synced profile {} (account {}) in {secs:.1} s: snapshot {}",
        for_terminal(profile),
        for_terminal(&info.account_id),
        info.id.0
    );
    let refreshed = &r.result.refreshed;
    for (name, n) in &info.counts {
        let kept = crate::graph::EntityType::from_type_str(name)
            .map(|t| !refreshed.has_entity(t))
            .or_else(|| {
                crate::graph::RelType::from_type_str(name).map(|t| !refreshed.has_relationship(t))
            })
            .unwrap_or(false);
        let note = if kept && *n > 0 {
            "  (kept from the previous snapshot)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {:<26} {:>9}{note}", for_terminal(name), n);
    }
    write_steps(&mut out, &r.result.steps);
    out
}

/// A sync that stored nothing: the steps and how each ended.
fn nothing_text(profile: &str, steps: &[StepRecord]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sync of profile {} fetched nothing: no snapshot stored",
        for_terminal(profile)
    );
    write_steps(&mut out, steps);
    out
}

/// Each step's outcome, then the skipped parts with why, and the failed ones.
fn write_steps(out: &mut String, steps: &[StepRecord]) {
    use std::fmt::Write as _;
    let _ = writeln!(out, "Steps:");
    for s in sorted_steps(steps) {
        let detail = match &s.outcome {
            StepOutcome::Ok { count, skipped } if skipped.is_empty() => format!("{count}"),
            StepOutcome::Ok { count, skipped } => {
                format!("{count}, {}", for_terminal(&skipped.describe()))
            }
            StepOutcome::Skipped { .. } => skip_reason(&s.outcome),
            StepOutcome::Failed { reason } => for_terminal(reason).into_owned(),
        };
        let _ = writeln!(
            out,
            "  {} {:<34} {:>8} ms  {detail}",
            outcome_word(&s.outcome),
            s.step,
            s.duration_ms
        );
    }
    let skipped: Vec<&StepRecord> = sorted_steps(steps)
        .into_iter()
        .filter(|s| matches!(s.outcome, StepOutcome::Skipped { .. }))
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "Skipped (earlier data kept):");
        for s in skipped {
            let _ = writeln!(out, "  {}: {}", s.step, skip_reason(&s.outcome));
        }
    }
    let failed = step_names(steps, |o| matches!(o, StepOutcome::Failed { .. }));
    if !failed.is_empty() {
        let _ = writeln!(out, "Failed (earlier data kept): {}", failed.join(", "));
    }
}

/// Why a skipped step was skipped, one line safe for a terminal: the
/// missing scopes, or Zoom's message for a part unavailable to the account.
fn skip_reason(o: &StepOutcome) -> String {
    match o {
        StepOutcome::Skipped {
            kind: SkipKind::MissingScope,
            scopes,
            reason,
        } => {
            if scopes.is_empty() {
                for_terminal(reason).into_owned()
            } else {
                format!("missing scope: {}", for_terminal(&scopes.join(" or ")))
            }
        }
        StepOutcome::Skipped {
            kind: SkipKind::Unavailable,
            reason,
            ..
        } => format!(
            "unavailable to this account or app: {}",
            for_terminal(reason)
        ),
        _ => String::new(),
    }
}

/// The names of the steps whose outcome passes `f`, sorted.
fn step_names(steps: &[StepRecord], f: fn(&StepOutcome) -> bool) -> Vec<&str> {
    sorted_steps(steps)
        .into_iter()
        .filter(|s| f(&s.outcome))
        .map(|s| s.step.as_str())
        .collect()
}

/// `{"step", "reason", "kind", "scopes"?}` per skipped step, with Zoom's
/// message (or the missing scopes) in `reason`.
fn skipped_json(steps: &[StepRecord]) -> Vec<Value> {
    sorted_steps(steps)
        .into_iter()
        .filter_map(|s| match &s.outcome {
            StepOutcome::Skipped {
                kind,
                reason,
                scopes,
            } => {
                let mut m = json!({
                    "step": s.step,
                    "reason": for_terminal(reason),
                    "kind": kind,
                });
                if !scopes.is_empty() {
                    m["scopes"] = json!(scopes);
                }
                Some(m)
            }
            _ => None,
        })
        .collect()
}

/// `{"step", "outcome": "ok|skipped|failed", "count", "skipped"?: {"count", "sample"}
/// | "kind", "reason", "scopes"? | "reason", "duration_ms"}` per step, Zoom's
/// strings made safe for a terminal.
fn steps_json(steps: &[StepRecord]) -> Vec<Value> {
    sorted_steps(steps)
        .into_iter()
        .map(|s| {
            let mut m = match serde_json::to_value(&s.outcome) {
                Ok(Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            sanitize_strings(&mut m);
            m.insert("step".into(), Value::from(s.step.clone()));
            m.insert("duration_ms".into(), Value::from(s.duration_ms));
            Value::Object(m)
        })
        .collect()
}

/// Every string in `m` (nested too) made safe for a terminal.
fn sanitize_strings(m: &mut serde_json::Map<String, Value>) {
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) => {
                if let std::borrow::Cow::Owned(clean) = for_terminal(s) {
                    *s = clean;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    m.values_mut().for_each(walk);
}

fn report_json(profile: &str, r: &SyncReport, complete: bool) -> Value {
    let info = &r.snapshot;
    let steps = &r.result.steps;
    json!({
        "profile": profile,
        "account_id": info.account_id,
        "snapshot_id": info.id.0,
        "started_at": info.started_at.to_rfc3339(),
        "finished_at": info.finished_at.to_rfc3339(),
        "counts": info.counts,
        "refreshed": r.result.refreshed,
        "steps": steps_json(steps),
        "skipped": skipped_json(steps),
        "failed": step_names(steps, |o| matches!(o, StepOutcome::Failed { .. })),
        "complete": complete,
    })
}

/// A sync that stored nothing, in the report's shape without a snapshot.
fn nothing_json(profile: &str, reason: &str, steps: &[StepRecord]) -> Value {
    json!({
        "profile": profile,
        "error": "nothing fetched",
        "message": for_terminal(reason),
        "snapshot_id": null,
        "steps": steps_json(steps),
        "skipped": skipped_json(steps),
        "failed": step_names(steps, |o| matches!(o, StepOutcome::Failed { .. })),
        "complete": false,
    })
}
