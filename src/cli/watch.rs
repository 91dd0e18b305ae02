//! `zoomscope watch`: sync, diff, evaluate, forever; changes and newly fired
//! alerts as JSON lines on stdout, optionally POSTed to a webhook. The loop
//! is `crate::alerts::watch::Watcher`; this file wires it to the context.
//!
//! The interval is `--interval`, else the profile's `polling_interval`. When
//! that is `DISABLED` (and no `--interval` is given), watch runs one round
//! and exits: polling was switched off on purpose, and one round is still
//! useful from cron.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::Context;
use crate::alerts::watch::{Source, Synced, Watcher};
use crate::alerts::webhook::Webhook;
use crate::config::PollingInterval;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: runs until stopped (a failed sync is reported as a JSON line and retried \
                  next round); 0 after the single round when polling is DISABLED; 2 usage, config, rule \
                  or webhook URL error."
)]
pub struct WatchArgs {
    /// Time between rounds (e.g. `30s`, `15m`; at least 10 s). Default: the
    /// profile's polling_interval (one round when it is DISABLED).
    #[arg(long, value_name = "DURATION", value_parser = parse_interval)]
    pub interval: Option<Duration>,
    /// POST each change summary and alert as `{"text": "..."}` (Slack-compatible;
    /// http or https only; default: the config's `[alerts] webhook`). Failed
    /// posts are retried with backoff and kept for the next round; redirects
    /// are not followed.
    #[arg(
        long,
        value_name = "URL",
        env = "ZOOMSCOPE_WEBHOOK",
        hide_env_values = true
    )]
    pub webhook: Option<String>,
    /// Fetch every user's settings in each sync (setting flips then show in
    /// the changes; costs four calls per user per round).
    #[arg(long)]
    pub user_settings: bool,
}

fn parse_interval(s: &str) -> Result<Duration, String> {
    match PollingInterval::parse(s)? {
        PollingInterval::Every(d) => Ok(d),
        PollingInterval::Disabled => Err("use a duration such as 15m".into()),
    }
}

/// Syncs through the context and loads the stored snapshot (with the
/// employee overlay), so carried-over parts are included.
struct CtxSource<'a> {
    ctx: &'a Context,
    user_settings: bool,
}

impl Source for CtxSource<'_> {
    async fn sync(&mut self) -> Result<Synced, String> {
        let (events, _drain) = tokio::sync::mpsc::unbounded_channel();
        let opts = crate::sync::SyncOptions {
            user_settings: self.user_settings,
            ..Default::default()
        };
        let outcome = self
            .ctx
            .sync_and_store(opts, events)
            .await
            .map_err(|e| format!("{e:#}"))?;
        let id = outcome.stored()?.snapshot.id;
        let graph = self.ctx.graph_at(id).await.map_err(|e| format!("{e:#}"))?;
        Ok(Synced {
            snapshot_id: id.0,
            graph,
            failed_steps: outcome.failed().to_vec(),
        })
    }
}

/// The webhook from `--webhook` (or `ZOOMSCOPE_WEBHOOK`), else the config's
/// `[alerts] webhook`, checked before anything runs: a URL that cannot work
/// is a usage error now rather than a failure every round.
fn webhook(ctx: &Context, flag: Option<&str>) -> anyhow::Result<Option<Webhook>> {
    let (url, origin) = match flag {
        Some(url) => (
            url.to_string(),
            "--webhook (or ZOOMSCOPE_WEBHOOK)".to_string(),
        ),
        None => match ctx.alerts_config()?.webhook {
            Some(url) => (
                url,
                format!("[alerts] webhook in {}", ctx.paths().config_file.display()),
            ),
            None => return Ok(None),
        },
    };
    let hook = Webhook::new(&url).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
    Ok(Some(hook))
}

pub async fn run(ctx: &Context, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let webhook = webhook(ctx, args.webhook.as_deref())?;
    let rules = ctx.load_rules()?;
    let interval = match args.interval {
        Some(d) => Some(d),
        None => ctx.profile()?.polling_interval.duration(),
    };
    if interval.is_none() {
        eprintln!("zoomscope: polling_interval is DISABLED for this profile: running one round");
    }
    let store = ctx.open_store()?;
    let previous = match store.snapshots(ctx.profile_name())?.last() {
        Some(info) => Some(Synced {
            snapshot_id: info.id.0,
            graph: ctx.graph_at(info.id).await?,
            failed_steps: Vec::new(),
        }),
        None => None,
    };
    // Ctrl-c sets the flag; the loop stops between rounds.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = stop_tx.send(true);
        }
    });
    let mut watcher = Watcher::new(store.conn(), ctx.profile_name(), rules, webhook, previous);
    let mut source = CtxSource {
        ctx,
        user_settings: args.user_settings,
    };
    let mut out = std::io::stdout();
    watcher
        .run(&mut source, &mut out, interval, stop_rx)
        .await?;
    Ok(ExitCode::SUCCESS)
}
