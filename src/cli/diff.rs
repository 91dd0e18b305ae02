//! `zoomscope diff`: what changed between two snapshots of the profile (by
//! default the last two), each entity with who changed it (the operation
//! log's entries between the two, `crate::diff::attribution`). The logic is
//! in `crate::diff`.

use std::process::ExitCode;

use chrono::Utc;
use clap::Args;

use super::Context;
use crate::diff::select::{Selection, select};
use crate::store::SnapshotId;

#[derive(Debug, Args)]
#[command(
    after_help = "Under each added, removed or changed entity, who did it: \
                  `by olga@example.com at 2026-12-07 14:30 (Update: …)` from the operation log, \
                  or `unexplained` when no entry between the two snapshots names it.\n\n\
                  Exit status: 0 printed (with --exit-code: no changes); 1 with --exit-code, there are \
                  changes; 2 usage error (unknown snapshot id, --since too long, no snapshots to compare)."
)]
pub struct DiffArgs {
    /// Compare the state as of this long ago (e.g. `7d`, `12h`) with the latest snapshot.
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["from", "to"], value_parser = humantime::parse_duration)]
    pub since: Option<std::time::Duration>,
    /// The older snapshot's id (`zoomscope info` lists them).
    #[arg(long, value_name = "ID")]
    pub from: Option<i64>,
    /// The newer snapshot's id (default: the latest).
    #[arg(long, value_name = "ID")]
    pub to: Option<i64>,
    /// Print `{"from", "to", "entities": {"added", "removed", "changed"}, "relationships": {"added", "removed"}}`;
    /// each entity has `"by": [{"time", "operator", "action", "detail"}]` (the operation-log
    /// entries about it between the two snapshots) and `"explained"` (false when none).
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when there are changes and 0 when there are none, as `git diff --exit-code`.
    #[arg(long)]
    pub exit_code: bool,
}

pub async fn run(ctx: &Context, args: DiffArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let profile = ctx.profile_name().to_string();
    let infos = store.snapshots(&profile)?;
    let snaps: Vec<(i64, chrono::DateTime<Utc>)> =
        infos.iter().map(|s| (s.id.0, s.finished_at)).collect();
    let since = match args.since {
        Some(d) => match chrono::Duration::from_std(d)
            .ok()
            .filter(|d| Utc::now().checked_sub_signed(*d).is_some())
        {
            Some(d) => Some(d),
            None => {
                eprintln!(
                    "zoomscope diff: --since {} reaches before any date zoomscope can represent; give a shorter duration (e.g. 30d)",
                    humantime::format_duration(d)
                );
                return Ok(ExitCode::from(super::exit::USAGE));
            }
        },
        None => None,
    };
    let (from, to) = select(
        &snaps,
        Selection {
            since,
            from: args.from,
            to: args.to,
        },
        Utc::now(),
    )?;
    let old = store.load(&profile, SnapshotId(from))?.graph;
    let new = store.load(&profile, SnapshotId(to))?.graph;
    let mut d = crate::diff::diff(&old, &new);
    // Who made the changes: the operation-log entries from the older
    // snapshot's start to the newer one's end.
    let span = |id: i64| infos.iter().find(|s| s.id.0 == id);
    let (start, end) = (
        span(from).map(|s| s.started_at),
        span(to).map(|s| s.finished_at),
    );
    d.attribution = crate::diff::attribution(&store, &profile, (start, end), (&d, &old, &new))?;
    let text = if args.json {
        let mut json = d.to_json(from, to);
        d.attribution.annotate(&mut json);
        format!("{}\n", crate::util::sanitize::json_text(&json.to_string()))
    } else {
        crate::diff::render_text(&d, &from.to_string(), &to.to_string())
    };
    crate::util::stdout::print(&text)?;
    Ok(if args.exit_code && !d.is_empty() {
        ExitCode::from(super::exit::CHANGES)
    } else {
        ExitCode::SUCCESS
    })
}
