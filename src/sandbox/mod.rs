//! A local Zoom-compatible API server (axum on 127.0.0.1), used by `--demo`,
//! tests and benchmarks. Written from Zoom's contract
//! (../shared/reference/zoom-api.md §8), NOT from `crate::zoom`'s types, so a
//! field the client misreads is not misread on both sides.
//!
//! SKELETON. CONTRACT (used by the CLI, `--demo`, tests and benches):
//! - [`SandboxConfig`] (Default = 2,000 users, seed 1, business plan, all read scopes);
//! - [`Sandbox::start`] → [`RunningSandbox`] with `api_url()`, `oauth_url()`,
//!   `account_id()`, `client_id()`, `client_secret()`, `roster_csv()`,
//!   `ground_truth()`, `apply_change()`, `shutdown()`.

use std::path::PathBuf;
use std::time::Duration;

/// How the sandbox behaves. All randomness derives from `seed`.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub users: usize,
    pub seed: u64,
    pub account_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// Granted scopes (classic or granular names). Default: all read scopes.
    pub scopes: Vec<String>,
    /// `free`, `pro` or `business`.
    pub plan: String,
    /// Access-token lifetime (Zoom: 3599 s).
    pub token_ttl: Duration,
    pub faults: Faults,
    /// Mutate the org every N (hire, deactivate, role change, group move, setting flip).
    pub mutate_every: Option<Duration>,
    /// Where to write the generated HR roster CSV (None: no file).
    pub roster_path: Option<PathBuf>,
}

/// Fault injection, deterministic under the seed.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub latency: Duration,
    /// Fraction (0.0–1.0) of API requests answered with a 5xx.
    pub error_rate: f64,
    /// Fraction of requests answered with a QPS 429 burst.
    pub burst_429_rate: f64,
    /// Fraction of requests whose connection is dropped.
    pub drop_rate: f64,
    /// Fraction of responses with a malformed body.
    pub malformed_rate: f64,
}

pub struct Sandbox;
pub struct RunningSandbox;
