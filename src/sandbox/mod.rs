//! A local Zoom-compatible API server (axum on 127.0.0.1), used by `--demo`,
//! tests and benchmarks. Written from Zoom's contract
//! (`docs/zoom-contract.md`), NOT from `crate::zoom`'s types, so a
//! field the client misreads is not misread on both sides.
//!
//! ```no_run
//! # async fn demo() -> Result<(), zoomscope::sandbox::SandboxError> {
//! use zoomscope::sandbox::{Sandbox, SandboxConfig};
//! let sb = Sandbox::start(SandboxConfig { users: 500, ..SandboxConfig::default() }).await?;
//! // POST {sb.oauth_url()}/oauth/token, then GET {sb.api_url()}/users …
//! let truth = sb.org();
//! assert_eq!(truth.users.len(), 500);
//! sb.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Modules: `generate` (the org, deterministic from the seed), `roster` (HR
//! CSV and employee-mapping ground truth), `server` (routes and the request
//! pipeline), `auth` (OAuth), `paging`, `ratelimit`, `faults`, `settings`,
//! `group_settings` (groups' settings and locks against the account's),
//! `render` (Zoom's JSON shapes), `changes` (mutations over time), `oplog`
//! (the operation log and sign-in activity, generated and of each change).

mod auth;
pub(crate) mod changes;
pub mod endpoints;
pub(crate) mod faults;
pub mod generate;
mod group_settings;
mod index;
mod listener;
pub mod model;
mod names;
pub(crate) mod oplog;
pub(crate) mod paging;
pub(crate) mod ratelimit;
mod render;
mod rng;
pub(crate) mod roster;
mod security;
mod server;
mod settings;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use changes::{Change, ChangeApplied, ChangeError, ChangeKind};
pub use endpoints::{Category, Endpoint, ScopeErrorStyle};
pub use faults::{Faults, Malformation};
pub use model::{
    Account, AccountSecurity, Group, GroupSettings, LockSettings, ManagedDomain, OrgSnapshot, Role,
    User, UserSecurity, UserStatus,
};
pub use paging::PagingQuirks;
pub use ratelimit::{RateLimitConfig, RetryAfterStyle};
pub use roster::{EmployeeCategory, ExpectedCategories, RosterRow};

/// Demo credentials printed by `zoomscope sandbox` and used by `--demo`.
pub const DEMO_ACCOUNT_ID: &str = "SbxAcct-N0rthw1nd-Demo";
pub const DEMO_CLIENT_ID: &str = "sandboxDemoClientId01";
pub const DEMO_CLIENT_SECRET: &str = "sandbox-demo-secret-not-for-production";

/// How the sandbox behaves. All randomness derives from `seed`.
#[derive(Clone)]
pub struct SandboxConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// 10 to 200,000.
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
    /// Lifetime of a `next_page_token` (Zoom: 15 minutes).
    pub page_token_ttl: Duration,
    pub faults: Faults,
    pub rate_limits: RateLimitConfig,
    /// Mutate the org every N (hire, deactivate, role change, group move, setting flip).
    pub mutate_every: Option<Duration>,
    /// Where to write the generated HR roster CSV (None: no file).
    pub roster_path: Option<PathBuf>,
    /// "Now" for the generator (last-login ages). None: today's UTC midnight.
    pub reference_time: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for SandboxConfig {
    /// Without the client secret: Debug output may reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("port", &self.port)
            .field("users", &self.users)
            .field("seed", &self.seed)
            .field("account_id", &self.account_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("scopes", &self.scopes)
            .field("plan", &self.plan)
            .field("token_ttl", &self.token_ttl)
            .field("page_token_ttl", &self.page_token_ttl)
            .field("faults", &self.faults)
            .field("rate_limits", &self.rate_limits)
            .field("mutate_every", &self.mutate_every)
            .field("roster_path", &self.roster_path)
            .field("reference_time", &self.reference_time)
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            port: 0,
            users: 2_000,
            seed: 1,
            account_id: DEMO_ACCOUNT_ID.to_string(),
            client_id: DEMO_CLIENT_ID.to_string(),
            client_secret: DEMO_CLIENT_SECRET.to_string(),
            scopes: endpoints::all_read_scopes(),
            plan: "business".to_string(),
            token_ttl: Duration::from_secs(3599),
            page_token_ttl: Duration::from_secs(15 * 60),
            faults: Faults::default(),
            rate_limits: RateLimitConfig::default(),
            mutate_every: None,
            roster_path: None,
            reference_time: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the roster to {path}: {source}")]
    Roster {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("org generation failed: {0}")]
    Generate(String),
}

/// Counters of what the sandbox answered (for tests and `/_sandbox/stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SandboxStats {
    /// Every `/v2` request received (including dropped and refused ones).
    pub api_requests: u64,
    /// `/v2` requests routed to an endpoint, per rate-limit category.
    pub per_category: BTreeMap<String, u64>,
    /// `/v2` requests routed to each endpoint (`{:?}` of [`Endpoint`]).
    pub per_endpoint: BTreeMap<String, u64>,
    pub token_requests: u64,
    pub tokens_issued: u64,
    pub token_errors: u64,
    /// 401 code 124 answers (unknown, expired or early-expired tokens).
    pub unauthorized: u64,
    pub missing_scope: u64,
    /// 429s from the per-second limiter.
    pub rate_limited_qps: u64,
    /// 429s from a daily limit.
    pub rate_limited_daily: u64,
    /// Per-second 429s per rate-limit category (limiter and injected).
    pub rate_limited_per_category: BTreeMap<String, u64>,
    /// 400 code 200 answers for endpoints the plan does not have.
    pub plan_unavailable: u64,
    /// Injected QPS 429s (fault `burst_429_rate`).
    pub injected_429: u64,
    pub injected_5xx: u64,
    pub dropped: u64,
    pub malformed: u64,
    pub early_expiries: u64,
    /// 400 code 300 answers for page tokens.
    pub page_token_errors: u64,
    pub not_found: u64,
    /// 200 answers from `/v2`.
    pub ok: u64,
    pub changes: u64,
}

impl SandboxStats {
    fn from_shared(s: &server::Shared) -> Self {
        let c = &s.counters;
        let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        Self {
            api_requests: load(&c.api_requests),
            per_category: server::category_counts(c)
                .into_iter()
                .map(|(k, v)| (k.as_str().to_string(), v))
                .collect(),
            per_endpoint: server::ENDPOINTS
                .iter()
                .zip(c.per_endpoint.iter())
                .map(|(e, a)| (format!("{e:?}"), load(a)))
                .collect(),
            token_requests: load(&c.token_requests),
            tokens_issued: load(&c.tokens_issued),
            token_errors: load(&c.token_errors),
            unauthorized: load(&c.unauthorized),
            missing_scope: load(&c.missing_scope),
            rate_limited_qps: load(&c.rate_limited_qps),
            rate_limited_daily: load(&c.rate_limited_daily),
            rate_limited_per_category: Category::ALL
                .iter()
                .zip(c.rate_limited_per_category.iter())
                .map(|(k, v)| (k.as_str().to_string(), load(v)))
                .collect(),
            plan_unavailable: load(&c.plan_unavailable),
            injected_429: load(&c.injected_429),
            injected_5xx: load(&c.injected_5xx),
            dropped: load(&c.dropped),
            malformed: load(&c.malformed),
            early_expiries: load(&c.early_expiries),
            page_token_errors: load(&c.page_token_errors),
            not_found: load(&c.not_found),
            ok: load(&c.ok),
            changes: load(&c.changes),
        }
    }
}

/// Entry point.
pub struct Sandbox;

impl Sandbox {
    /// Generates an org without a server (deterministic for (users, seed)
    /// on a given UTC day; see [`Sandbox::generate_org_at`]).
    pub fn generate_org(users: usize, seed: u64) -> OrgSnapshot {
        generate::generate(users, seed, generate::default_reference_time())
    }

    /// The HR roster for an org (as generated; see [`roster`]).
    pub fn generate_roster(org: &OrgSnapshot) -> Vec<RosterRow> {
        roster::generate_roster(org)
    }

    /// Generates the org and serves it on 127.0.0.1.
    pub async fn start(cfg: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
        validate(&cfg)?;
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, cfg.port)))
                .await
                .map_err(|source| SandboxError::Bind {
                    port: cfg.port,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            port: cfg.port,
            source,
        })?;

        let (users, seed, plan, account_id) = (
            cfg.users,
            cfg.seed,
            cfg.plan.clone(),
            cfg.account_id.clone(),
        );
        let reference = cfg
            .reference_time
            .unwrap_or_else(generate::default_reference_time);
        // Generation is CPU work: keep it off the async workers.
        let (org, roster_rows, audit) = tokio::task::spawn_blocking(move || {
            let mut org = generate::generate(users, seed, reference);
            org.account.account_id = account_id;
            org.account.plan = plan;
            let rows = roster::generate_roster(&org);
            let audit = oplog::AuditTrail::generate(&org, seed);
            (org, rows, audit)
        })
        .await
        .map_err(|e| SandboxError::Generate(e.to_string()))?;

        if let Some(path) = &cfg.roster_path {
            std::fs::write(path, roster::to_csv(&roster_rows)).map_err(|source| {
                SandboxError::Roster {
                    path: path.clone(),
                    source,
                }
            })?;
        }

        let base_url = format!("http://{addr}");
        let shared = Arc::new(server::Shared {
            tokens: auth::TokenStore::new(cfg.token_ttl, cfg.faults.token_max_uses),
            pages: paging::PageTokens::new(cfg.seed, cfg.page_token_ttl),
            limiter: ratelimit::RateLimiter::new(&cfg.plan, &cfg.rate_limits),
            counters: server::Counters::default(),
            request_no: Default::default(),
            change_rng: Mutex::new(rng::Rng::stream(cfg.seed, "changes")),
            org: RwLock::new(index::IndexedOrg::new(org)),
            audit: RwLock::new(audit),
            roster: roster_rows,
            base_url,
            cfg,
        });

        let (tx, rx) = oneshot::channel::<()>();
        let app = server::router(shared.clone())
            .into_make_service_with_connect_info::<listener::ConnMeta>();
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener::KillableListener::new(listener), app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "sandbox server stopped");
            }
        });
        let mutator = shared.cfg.mutate_every.map(|every| {
            let shared = shared.clone();
            tokio::spawn(async move {
                let mut k = 0usize;
                let mut tick = tokio::time::interval(every.max(Duration::from_millis(10)));
                tick.tick().await; // the first tick is immediate
                loop {
                    tick.tick().await;
                    let kind = ChangeKind::PERIODIC[k % ChangeKind::PERIODIC.len()];
                    k += 1;
                    if let Err(e) = shared.apply_change(&Change::new(kind)) {
                        tracing::debug!(error = %e, "periodic sandbox change skipped");
                    }
                }
            })
        });
        tracing::info!(%addr, users, "sandbox listening");
        Ok(RunningSandbox {
            shared,
            addr,
            stop: Some(tx),
            server: Some(server),
            mutator,
        })
    }
}

fn validate(cfg: &SandboxConfig) -> Result<(), SandboxError> {
    if !(generate::MIN_USERS..=generate::MAX_USERS).contains(&cfg.users) {
        return Err(SandboxError::Config(format!(
            "users must be between {} and {} (got {})",
            generate::MIN_USERS,
            generate::MAX_USERS,
            cfg.users
        )));
    }
    if !matches!(cfg.plan.as_str(), "free" | "pro" | "business") {
        return Err(SandboxError::Config(format!(
            "plan must be free, pro or business (got {:?})",
            cfg.plan
        )));
    }
    for (name, rate) in [
        ("error_rate", cfg.faults.error_rate),
        ("burst_429_rate", cfg.faults.burst_429_rate),
        ("drop_rate", cfg.faults.drop_rate),
        ("malformed_rate", cfg.faults.malformed_rate),
        ("early_expiry_rate", cfg.faults.early_expiry_rate),
        ("other_apps_share", cfg.rate_limits.other_apps_share),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(SandboxError::Config(format!(
                "{name} must be between 0 and 1 (got {rate})"
            )));
        }
    }
    if cfg.account_id.is_empty() || cfg.client_id.is_empty() || cfg.client_secret.is_empty() {
        return Err(SandboxError::Config(
            "account id, client id and client secret must not be empty".into(),
        ));
    }
    Ok(())
}

/// A running sandbox. Dropping it stops the server (without waiting).
pub struct RunningSandbox {
    shared: Arc<server::Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    mutator: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No credentials here: Debug output may reach logs.
        f.debug_struct("RunningSandbox")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT/v2`.
    pub fn api_url(&self) -> String {
        format!("{}/v2", self.shared.base_url)
    }

    /// `http://127.0.0.1:PORT`; the token endpoint is `oauth_url() + "/oauth/token"`.
    pub fn oauth_url(&self) -> String {
        self.shared.base_url.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn account_id(&self) -> &str {
        &self.shared.cfg.account_id
    }

    pub fn client_id(&self) -> &str {
        &self.shared.cfg.client_id
    }

    pub fn client_secret(&self) -> &str {
        &self.shared.cfg.client_secret
    }

    pub(crate) fn config(&self) -> &SandboxConfig {
        &self.shared.cfg
    }

    /// The generated HR roster as CSV (header [`roster::CSV_HEADER`]).
    pub fn roster_csv(&self) -> String {
        roster::to_csv(&self.shared.roster)
    }

    pub fn roster(&self) -> Vec<RosterRow> {
        self.shared.roster.clone()
    }

    /// Ground truth: a clone of the org as it is now (after any changes).
    pub fn org(&self) -> OrgSnapshot {
        self.shared
            .org
            .read()
            .map(|o| o.org.clone())
            .unwrap_or_else(|p| p.into_inner().org.clone())
    }

    /// Ground truth for the employee-mapping report, against the org as it
    /// is now.
    pub fn expected_employee_categories(&self) -> ExpectedCategories {
        let org = self.org();
        roster::expected_categories(&org, &self.shared.roster)
    }

    /// Applies one change now (what `POST /_sandbox/change` does).
    pub fn apply_change(&self, change: Change) -> Result<ChangeApplied, ChangeError> {
        self.shared.apply_change(&change)
    }

    pub fn stats(&self) -> SandboxStats {
        SandboxStats::from_shared(&self.shared)
    }

    /// `/v2` requests routed to endpoints of a category.
    pub fn request_count(&self, category: Category) -> u64 {
        self.shared
            .counters
            .per_category
            .get(category.slot())
            .map_or(0, |a| a.load(Ordering::Relaxed))
    }

    /// `/v2` requests routed to one endpoint.
    pub fn endpoint_count(&self, endpoint: Endpoint) -> u64 {
        self.shared
            .counters
            .per_endpoint
            .get(server::endpoint_slot(endpoint))
            .map_or(0, |a| a.load(Ordering::Relaxed))
    }

    /// Access tokens currently live.
    pub fn live_tokens(&self) -> usize {
        self.shared.tokens.live_count()
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(m) = self.mutator.take() {
            m.abort();
        }
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            // Bounded: a client holding a slow request must not hang the caller.
            let _ = tokio::time::timeout(Duration::from_secs(5), h).await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(m) = self.mutator.take() {
            m.abort();
        }
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_client_secret() {
        let cfg = SandboxConfig {
            client_secret: "s3cr3t-value".into(),
            ..SandboxConfig::default()
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("s3cr3t-value"));
        assert!(shown.contains("users: 2000"));
    }

    #[test]
    fn invalid_configs_are_refused() {
        for cfg in [
            SandboxConfig {
                users: 5,
                ..SandboxConfig::default()
            },
            SandboxConfig {
                plan: "enterprise-ultra".into(),
                ..SandboxConfig::default()
            },
            SandboxConfig {
                faults: Faults {
                    error_rate: 1.5,
                    ..Faults::default()
                },
                ..SandboxConfig::default()
            },
        ] {
            assert!(matches!(validate(&cfg), Err(SandboxError::Config(_))));
        }
        assert!(validate(&SandboxConfig::default()).is_ok());
    }
}
