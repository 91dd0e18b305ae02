//! `zoomscope activity`: the stored operation log and sign-in activity,
//! newest first, each event with the entity it is about resolved against
//! the latest snapshot. Reads the store only (a sync fetches the logs).

use std::process::ExitCode;

use chrono::Utc;
use clap::Args;

use super::{Context, exit};
use crate::activity::{Filter, Source};
use crate::util::sanitize::{for_terminal, json_text};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  zoomscope activity --since 7d\n  zoomscope activity --operator olga@example.com --json\n  zoomscope activity --user bart@example.com\n\n\
Exit status: 0 success (also when no event matches), 2 bad arguments or an unreadable store. The logs are fetched by `zoomscope sync` \
(scope report:read:admin, or report:read:operation_logs:admin and \
report:read:user_activities:admin; Pro plan or higher)."
)]
pub struct ActivityArgs {
    /// Only events of the last DURATION (e.g. `7d`, `12h`).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub since: Option<std::time::Duration>,
    /// Only events by this operator (or user signing in), by e-mail.
    #[arg(long, value_name = "EMAIL")]
    pub operator: Option<String>,
    /// Only events about this user, by e-mail.
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// Print `{"events": [{"source", "time", "actor", "category", "action", "detail", "subject", "changes", "entity", …}]}`.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Context, args: ActivityArgs) -> anyhow::Result<ExitCode> {
    let since = match args.since {
        Some(d) => match chrono::Duration::from_std(d)
            .ok()
            .and_then(|d| Utc::now().checked_sub_signed(d))
        {
            Some(t) => Some(t),
            None => {
                eprintln!(
                    "zoomscope activity: --since {} reaches before any date zoomscope can represent; give a shorter duration (e.g. 30d)",
                    humantime::format_duration(d)
                );
                return Ok(ExitCode::from(exit::USAGE));
            }
        },
        None => None,
    };
    let filter = Filter {
        since,
        operator: args.operator,
        user: args.user,
    };
    let events = ctx
        .with_store(move |store, profile| Ok(store.activity(profile, since, None)?))
        .await?;
    let graph = ctx.latest_graph().await?.map(|s| s.graph);
    let rows: Vec<_> = events
        .iter()
        .filter(|e| filter.matches(e))
        .map(|e| {
            let key = graph.as_ref().and_then(|g| e.subject_key(g));
            (e, key)
        })
        .collect();
    let text = if args.json {
        let list: Vec<_> = rows.iter().map(|(e, k)| e.to_json(k.as_deref())).collect();
        format!(
            "{}\n",
            json_text(&serde_json::json!({ "events": list }).to_string())
        )
    } else {
        let mut out = String::new();
        for (e, key) in &rows {
            let what = match e.source {
                Source::Operation => e.text.clone(),
                Source::SignIn => format!(
                    "{} from {} ({})",
                    e.action,
                    e.ip_address.as_deref().unwrap_or("?"),
                    e.client_type.as_deref().unwrap_or("?")
                ),
            };
            out.push_str(&format!(
                "{}  {}  {}  {}{}\n",
                e.time.format("%Y-%m-%d %H:%M:%S"),
                for_terminal(&e.actor),
                for_terminal(&e.category),
                for_terminal(&what),
                key.as_deref()
                    .map(|k| format!("  [{}]", for_terminal(k)))
                    .unwrap_or_default()
            ));
        }
        if rows.is_empty() {
            out.push_str("no activity stored for this filter (a sync fetches the logs)\n");
        }
        out
    };
    crate::util::stdout::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
