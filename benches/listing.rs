//! Benchmark: list 100,000 users over the three statuses from the sandbox
//! with 50 ms injected latency per request, the three listings running at
//! once (as sync runs them). Token paging is sequential per listing, so
//! the floor is the longest single page chain: (pages of the biggest
//! status) × latency. Target: elapsed ≤ 1.30 × that chain.
//!
//! Run: `cargo bench --bench listing` (release build).

// A benchmark unwraps: a failure is a failed run with its location.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The integration tests' support code; a bench uses only a part of it.
#[path = "../tests/it/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use zoomscope::sandbox::{Faults, Sandbox, SandboxConfig};
use zoomscope::zoom::{PageInfo, UserStatus};

const USERS: usize = 100_000;
const LATENCY: Duration = Duration::from_millis(50);
const TARGET: f64 = 1.30;
const RUNS: usize = 3;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let sb = Sandbox::start(SandboxConfig {
        users: USERS,
        faults: Faults {
            latency: LATENCY,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    // The floor the sandbox and the network set, without the client: the
    // active listing's page chain fetched with bare HTTP requests.
    let (floor, floor_pages) = bare_chain(&sb).await;
    let mut runs: Vec<(Duration, usize, [usize; 3])> = Vec::new();
    for run in 0..RUNS {
        let client = support::sandbox::client_for(&sb);
        // The token request is not part of the listing.
        client.granted_scopes().await.expect("token");

        let pages = [
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        ];
        let [pa, pi, pp] = &pages;
        let (on_a, on_i, on_p) = (
            move |_: PageInfo| {
                pa.fetch_add(1, Ordering::Relaxed);
            },
            move |_: PageInfo| {
                pi.fetch_add(1, Ordering::Relaxed);
            },
            move |_: PageInfo| {
                pp.fetch_add(1, Ordering::Relaxed);
            },
        );
        let start = Instant::now();
        let (a, i, p) = tokio::join!(
            client.list_users(UserStatus::Active, &on_a),
            client.list_users(UserStatus::Inactive, &on_i),
            client.list_users(UserStatus::Pending, &on_p),
        );
        let elapsed = start.elapsed();
        let counts = [
            a.expect("active").len(),
            i.expect("inactive").len(),
            p.expect("pending").len(),
        ];
        assert_eq!(counts.iter().sum::<usize>(), USERS, "exact count");
        let chain = pages
            .iter()
            .map(|p| p.load(Ordering::Relaxed))
            .max()
            .unwrap_or(0);
        eprintln!(
            "run {}: {:.3} s, counts {:?}, pages {:?}",
            run + 1,
            elapsed.as_secs_f64(),
            counts,
            pages
                .iter()
                .map(|p| p.load(Ordering::Relaxed))
                .collect::<Vec<_>>()
        );
        runs.push((elapsed, chain, counts));
    }
    sb.shutdown().await;
    println!(
        "listing floor: bare HTTP chain of the active listing (no client, no parsing) {:.2} s for {} pages = {:.2}× the latency chain",
        floor.as_secs_f64(),
        floor_pages,
        floor.as_secs_f64() / (LATENCY * floor_pages as u32).as_secs_f64()
    );
    // The median run is the headline; every run was printed above.
    runs.sort_by_key(|r| r.0);
    let Some(&(elapsed, chain_pages, counts)) = runs.get(runs.len() / 2) else {
        return;
    };
    let chain = LATENCY * chain_pages as u32;
    let ratio = elapsed.as_secs_f64() / chain.as_secs_f64();
    println!(
        "listing (median of {RUNS}): {:.2} s for {} users ({} active / {} inactive / {} pending); longest page chain {} pages × {} ms = {:.2} s; {:.2}× the page chain (target ≤ {:.2}×) {}; {:.2}× the bare-HTTP floor",
        elapsed.as_secs_f64(),
        USERS,
        counts[0],
        counts[1],
        counts[2],
        chain_pages,
        LATENCY.as_millis(),
        chain.as_secs_f64(),
        ratio,
        TARGET,
        if ratio <= TARGET { "OK" } else { "OVER TARGET" },
        elapsed.as_secs_f64() / floor.as_secs_f64(),
    );
}

/// The active listing fetched with bare requests: token by hand, the next
/// token found by a byte search, no models. Time of the whole chain.
async fn bare_chain(sb: &zoomscope::sandbox::RunningSandbox) -> (Duration, usize) {
    let http = support::sandbox::http();
    let token = support::sandbox::token(sb).await;
    let mut next = String::new();
    let mut pages = 0;
    let start = Instant::now();
    loop {
        let mut url = format!("{}/users?status=active&page_size=2000", sb.api_url());
        if !next.is_empty() {
            url.push_str("&next_page_token=");
            url.push_str(&next);
        }
        let body = http
            .get(url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("page")
            .bytes()
            .await
            .expect("body");
        pages += 1;
        next = find_token(&body);
        if next.is_empty() {
            break;
        }
    }
    (start.elapsed(), pages)
}

fn find_token(body: &[u8]) -> String {
    let key = b"\"next_page_token\":\"";
    let Some(at) = body.windows(key.len()).rposition(|w| w == key) else {
        return String::new();
    };
    body[at + key.len()..]
        .iter()
        .take_while(|b| **b != b'"')
        .map(|b| *b as char)
        .collect()
}
