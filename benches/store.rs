//! Store benchmarks (issue 3 "Done when"): a 100,000-user graph saved, the
//! latest snapshot loaded into memory (target < 1 s), the loaded graph's
//! memory (target < 300 MB, measured with a counting global allocator),
//! an unchanged re-save (time, rows written), and a second snapshot with ~1%
//! of users changed (write time, DB growth).
//!
//! Run: `cargo bench --bench store` (optionally `-- 200000` for the user count).

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The integration tests' support code; a bench uses only a part of it.
#[path = "../tests/it/support/mod.rs"]
mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;
use zoomscope::graph::Built;
use zoomscope::store::{Parts, SnapshotWrite, Store};
use zoomscope::sync::convert::{Converter, user_key};

use support::counting_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOC: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

/// This process's CPU time (user + system), from /proc (Linux; 0 elsewhere).
/// Reported next to wall time because the benchmark machine is shared.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the `(comm)`: state is field 3; utime 14, stime 15.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return Duration::ZERO;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // rest starts at field 3, so field n is index n - 3; USER_HZ is 100.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn save(store: &Store, built: &Built, parts: &Parts) -> Duration {
    let t = Instant::now();
    store
        .save_snapshot(&SnapshotWrite {
            profile: "bench",
            account_id: support::store::ACCOUNT_ID,
            started_at: Utc::now(),
            finished_at: Utc::now(),
            graph: &built.graph,
            raw: &built.raw,
            steps: &[],
            refreshed: parts,
        })
        .expect("save");
    t.elapsed()
}

/// Size of the database after folding the WAL into it.
fn db_size(store: &Store, path: &std::path::Path) -> u64 {
    store
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    let store = Store::open(&path).expect("open");

    let t = Instant::now();
    let mut org = support::store::org(n);
    let gen_time = t.elapsed();
    let t = Instant::now();
    let built = support::store::build(&org, Some("Acme"));
    let build_time = t.elapsed();
    println!(
        "store bench: {n} users, {} entities, {} relationships (fixture {:.2?}, builder {:.2?})",
        built.graph.entity_count(),
        built.graph.relationship_count(),
        gen_time,
        build_time
    );

    let first = save(&store, &built, &Parts::all());
    let size1 = db_size(&store, &path);
    println!(
        "first snapshot write: {:.2?}; database {:.1} MB ({:.0} bytes/user)",
        first,
        size1 as f64 / MB,
        size1 as f64 / n as f64
    );
    // The same account saved again (a re-sync of an unchanged account):
    // compared by hash, nothing encoded and no row written.
    let versions = |store: &Store| -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM entity_versions", [], |r| r.get(0))
            .expect("count")
    };
    let rows_before = versions(&store);
    let unchanged = save(&store, &built, &Parts::all());
    let size_unchanged = db_size(&store, &path);
    println!(
        "unchanged re-save: {:.2?} ({:.2}× the first write), {} version rows written, database +{:.2} MB",
        unchanged,
        unchanged.as_secs_f64() / first.as_secs_f64(),
        versions(&store) - rows_before,
        size_unchanged.saturating_sub(size1) as f64 / MB
    );
    let size1 = size_unchanged;
    drop(built);

    // Load the latest snapshot (3 runs; memory from the last).
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut graph_bytes = 0usize;
    let mut peak_during = 0usize;
    for _ in 0..3 {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let t = Instant::now();
        let c = cpu_time();
        let snap = store.latest("bench").expect("load").expect("snapshot");
        times.push(t.elapsed());
        cpu.push(cpu_time().saturating_sub(c));
        graph_bytes = LIVE.load(Ordering::Relaxed).saturating_sub(before);
        peak_during = PEAK.load(Ordering::Relaxed).saturating_sub(before);
        assert_eq!(snap.info.counts["zoom_user"], n);
        drop(snap);
    }
    times.sort();
    cpu.sort();
    let best = times[0];
    let median = times[times.len() / 2];
    println!(
        "load latest snapshot: {:.3} s median, {:.3} s best, {:.2}× the target (target < 1.00 s); CPU {:.2} s median (all threads); load average {}",
        median.as_secs_f64(),
        best.as_secs_f64(),
        median.as_secs_f64() / 1.0,
        cpu[cpu.len() / 2].as_secs_f64(),
        load_average()
    );
    println!(
        "graph memory: {:.1} MB ({:.0} bytes/user), {:.2}× the target (target < 300 MB); peak while loading {:.1} MB",
        graph_bytes as f64 / MB,
        graph_bytes as f64 / n as f64,
        graph_bytes as f64 / MB / 300.0,
        peak_during as f64 / MB
    );

    // Second snapshot: ~1% of users changed (new login time, a few role
    // changes), 0.1% removed, 0.1% added.
    let changed = n / 100;
    for i in 0..changed {
        let idx = (i * 97) % org.users.len();
        let u = &mut org.users[idx];
        u.last_login_time = Some("2026-11-30T08:00:00Z".into());
        let mut raw = u.raw.to_value();
        raw["last_login_time"] = json!("2026-11-30T08:00:00Z");
        if i % 10 == 0 {
            u.role_id = Some("1".into());
            raw["role_id"] = json!("1");
        }
        u.raw = raw.into();
    }
    for _ in 0..n / 1000 {
        org.users.pop();
    }
    for i in 0..n / 1000 {
        org.users.push(support::store::user(n + 10 + i, n / 40 + 1));
    }
    let built2 = support::store::build(&org, Some("Acme"));
    let second = save(&store, &built2, &Parts::all());
    let size2 = db_size(&store, &path);
    let growth = size2.saturating_sub(size1);
    println!(
        "second snapshot (~1% changed: {} changed, {} removed, {} added): write {:.2?} ({:.2}× the first), database +{:.2} MB ({:.1}% of the first snapshot)",
        changed,
        n / 1000,
        n / 1000,
        second,
        second.as_secs_f64() / first.as_secs_f64(),
        growth as f64 / MB,
        growth as f64 * 100.0 / size1 as f64
    );

    // Lazy settings for one user (what a drill-down costs).
    let key = user_key(&org.users[1]);
    let flat = zoomscope::sync::convert::settings::flatten_user_settings(
        &support::store::settings_bundle(1),
    );
    let t = Instant::now();
    store
        .save_user_settings("bench", &key, &flat, None)
        .expect("settings");
    println!("lazy settings save for one user: {:.2?}", t.elapsed());

    // A graph with settings for every user (`sync --user-settings`).
    let mut b = Converter::new(Some("Acme"));
    b.account(org.account.clone());
    b.users(org.users.clone());
    b.groups(org.groups.clone());
    b.roles(org.roles.clone(), org.details.clone());
    for (i, u) in org.users.iter().enumerate() {
        b.user_settings(&user_key(u), &support::store::settings_bundle(i));
    }
    let with_settings = b.finish();
    let before = LIVE.load(Ordering::Relaxed);
    let g = with_settings.graph.clone();
    let bytes = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let props_per_user = g.get(&key).map(|e| e.props.len()).unwrap_or_default();
    println!(
        "graph memory with settings for every user ({props_per_user} properties per user, fixture bodies are smaller than real ones): {:.1} MB",
        bytes as f64 / MB
    );
}
