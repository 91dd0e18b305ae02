//! Where the TUI's memory goes at scale, stage by stage, measured by a
//! counting allocator (live and peak heap bytes, exact and repeatable,
//! unlike RSS, which glibc keeps after a free).
//!
//! Runs what the TUI holds after launch, in its order: the latest
//! snapshot's graph (overlaid), the search index, the Changes/Alerts
//! monitor data (timeline diffs and the rules' baseline graph), then one
//! background sync while all of that is alive. Point it at an account with
//! the same environment as `zoomscope` itself (`ZOOM_*`,
//! `ZOOMSCOPE_DATA_DIR`, `ZOOMSCOPE_CONFIG`), after at least two syncs:
//!
//! ```text
//! cargo run --release --example tui_memory
//! ```

use std::sync::Arc;
use std::sync::atomic::Ordering;

use zoomscope::app::{Context, Options, services};
use zoomscope::sync::SyncOptions;
use zoomscope::tui::monitor;
use zoomscope::tui::search::SearchIndex;

// The integration tests' counting allocator (the store bench uses it too).
#[path = "../tests/it/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOC: Counting = Counting;

fn mb(b: usize) -> f64 {
    b as f64 / 1_048_576.0
}

/// Prints the live heap after a stage, what the stage added, and the peak
/// reached during it; starts the next stage's peak from here.
fn stage(name: &str, before: &mut usize) {
    let live = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.swap(live, Ordering::Relaxed);
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        })
        .and_then(|kb| kb.parse::<usize>().ok())
        .unwrap_or(0);
    println!(
        "{name:<44} live {:>7.1} MB  (+{:>7.1})  peak during {:>7.1} MB  RSS {:>7.1} MB",
        mb(live),
        mb(live) - mb(*before),
        mb(peak),
        rss as f64 / 1024.0
    );
    *before = live;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    // The CLI's environment variables, as `zoomscope` itself reads them.
    let ctx = Arc::new(
        Context::new(Options {
            config_file: std::env::var_os("ZOOMSCOPE_CONFIG").map(Into::into),
            data_dir: std::env::var_os("ZOOMSCOPE_DATA_DIR").map(Into::into),
            ..Options::default()
        })
        .await?,
    );
    let mut before = LIVE.load(Ordering::Relaxed);
    stage("context", &mut before);

    let Some(snapshot) = ctx.latest_graph().await? else {
        anyhow::bail!("no snapshot stored: run `zoomscope sync` twice first");
    };
    let graph = Arc::new(snapshot.graph);
    stage(
        &format!("graph ({} entities)", graph.entity_count()),
        &mut before,
    );

    let index = SearchIndex::build(&graph, 1);
    stage("search index", &mut before);

    let opts = ctx.match_options()?;
    let rules = ctx.load_rules().map_err(|e| e.to_string());
    let shown = graph.clone();
    let mon = ctx
        .with_store(move |store, profile| {
            let mut cache = monitor::DiffCache::default();
            let changes = match monitor::sync_changes_cached(store, profile, &mut cache) {
                Ok(c) => c,
                Err(e) => return Ok(Err(e)),
            };
            let live = LIVE.load(Ordering::Relaxed);
            println!(
                "  diffs: {} syncs, baseline kept: {}, live {:.1} MB",
                changes.syncs.len(),
                changes.latest_previous.is_some(),
                mb(live)
            );
            let mut snaps = store.snapshots(profile)?;
            snaps.pop();
            let previous = match (changes.latest_previous, snaps.last()) {
                (Some((id, mut g)), Some(p)) if id == p.id => {
                    services::overlay(store, profile, &mut g, &opts)?;
                    Some(g)
                }
                (_, Some(p)) => Some(services::graph_at(store, profile, p.id, &opts)?),
                (_, None) => None,
            };
            let m = monitor::with_alerts(
                store,
                profile,
                changes.syncs,
                &shown,
                previous.as_ref(),
                rules,
            );
            Ok(Ok((m, cache)))
        })
        .await?
        .map_err(anyhow::Error::msg)?;
    stage("monitor data (diffs, cache, alerts)", &mut before);

    let (events, mut progress) = tokio::sync::mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while progress.recv().await.is_some() {} });
    let outcome = ctx.sync_and_store(SyncOptions::default(), events).await?;
    drain.await?;
    stage("background sync (outcome kept)", &mut before);
    drop(outcome);
    stage("sync outcome dropped", &mut before);
    drop((index, mon, graph));
    stage("all dropped", &mut before);
    Ok(())
}
