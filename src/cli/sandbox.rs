//! `zoomscope sandbox`: runs the local Zoom-compatible API until Ctrl-C and
//! prints how to point zoomscope at it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::GlobalArgs;
use crate::sandbox::{
    DEMO_ACCOUNT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Faults, PagingQuirks, RateLimitConfig,
    RetryAfterStyle, RunningSandbox, Sandbox, SandboxConfig, ScopeErrorStyle,
};
use crate::util::sanitize::for_terminal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Plan {
    Free,
    Pro,
    Business,
}

impl Plan {
    fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Pro => "pro",
            Self::Business => "business",
        }
    }
}

/// How a missing scope is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeError {
    /// As Zoom does: 400 code 4711 (`GET /roles`: code 4700).
    Zoom,
    /// 400 code 4711 everywhere.
    #[value(name = "4711")]
    Code4711,
    /// 400 code 4700 everywhere.
    #[value(name = "4700")]
    Code4700,
    /// 400 code 104 everywhere.
    #[value(name = "104")]
    Code104,
    /// 403 everywhere.
    #[value(name = "403")]
    Forbidden,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryAfter {
    /// `Retry-After: 1`
    Seconds,
    /// `Retry-After: 2026-01-01T10:00:01Z`
    Iso,
    /// `Retry-After: Thu, 01 Jan 2026 10:00:01 GMT`
    HttpDate,
    /// No `Retry-After` header.
    Absent,
}

/// Run a local Zoom-compatible API with a generated org.
///
/// Serves Server-to-Server OAuth (POST /oauth/token) and the read endpoints
/// zoomscope uses under /v2 on 127.0.0.1, until Ctrl-C. Everything is
/// deterministic under --seed.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 stopped with Ctrl-C (or SIGTERM); 2 usage error (including --demo, \
                  which means nothing here) or the port cannot be bound."
)]
pub struct SandboxArgs {
    #[command(flatten)]
    pub no_demo: super::NoDemo,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Number of users (10 to 200,000).
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub users: usize,
    /// Seed of the generated org and of injected faults.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Account id the token endpoint accepts (default: the printed demo id).
    #[arg(long)]
    pub account_id: Option<String>,
    /// Client id (default: the printed demo id).
    #[arg(long)]
    pub client_id: Option<String>,
    /// Client secret (default: the printed demo secret).
    #[arg(long)]
    pub client_secret: Option<String>,
    /// Granted scopes, space- or comma-separated (default: all read scopes,
    /// classic and granular).
    #[arg(long, value_name = "SCOPES")]
    pub scopes: Option<String>,
    /// Plan whose rate limits apply. `free` also answers 400 code 200 on
    /// the paid-only endpoints (groups, account settings, managed domains).
    #[arg(long, value_enum, default_value_t = Plan::Pro)]
    pub plan: Plan,
    /// Share (0.0–0.99) of every category's per-second limit taken by
    /// other apps on the account.
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    pub other_apps_share: f64,
    /// How a missing scope is answered: Zoom's per-endpoint codes, or 4711,
    /// 4700, 104 (all 400) or 403 everywhere.
    #[arg(long, value_enum, default_value_t = ScopeError::Zoom)]
    pub missing_scope_answer: ScopeError,
    /// Access-token lifetime in seconds.
    #[arg(long, default_value_t = 3599, value_name = "SECS")]
    pub token_ttl: u64,
    /// Lifetime of next_page_token (e.g. 15m, 30s).
    #[arg(long, value_parser = humantime::parse_duration, default_value = "15m")]
    pub page_token_ttl: Duration,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Fraction of API requests answered with a 5xx (0.0–1.0).
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub error_rate: f64,
    /// Fraction of API requests answered with a per-second 429.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub burst_429_rate: f64,
    /// Fraction of API requests whose connection is dropped without a response.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub drop_rate: f64,
    /// Fraction of API responses with a malformed body.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub malformed_rate: f64,
    /// Fraction of API requests whose token expires on the spot.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub early_expiry_rate: f64,
    /// Serve the older paging shape (page_number/page_count, no next_page_token).
    #[arg(long)]
    pub legacy_paging: bool,
    /// Disable rate limiting.
    #[arg(long)]
    pub no_rate_limits: bool,
    /// Daily limit of Light requests (overrides the plan's).
    #[arg(long, value_name = "N")]
    pub daily_light: Option<u32>,
    /// Daily limit of Medium requests (overrides the plan's).
    #[arg(long, value_name = "N")]
    pub daily_medium: Option<u32>,
    /// Daily limit of Heavy requests (overrides the plan's).
    #[arg(long, value_name = "N")]
    pub daily_heavy: Option<u32>,
    /// How per-second 429s carry Retry-After (Zoom documents none: absent).
    #[arg(long, value_enum, default_value_t = RetryAfter::Absent)]
    pub qps_retry_after: RetryAfter,
    /// Mutate the org periodically (e.g. 30s): hire, deactivate, role
    /// change, group move, setting flip.
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub mutate_every: Option<Duration>,
    /// Write the generated HR roster CSV to FILE. Import it with the
    /// command printed on start (`zoomscope employees import FILE
    /// --alias-domain PRIMARY=ALIAS`): the roster writes some addresses with
    /// the org's alias domain, and `--alias-domain` makes them match as
    /// `--demo` matches them.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Print the startup information as one JSON line instead of text.
    #[arg(long)]
    pub json: bool,
}

impl SandboxArgs {
    pub fn to_config(&self) -> SandboxConfig {
        let defaults = SandboxConfig::default();
        let scopes = match &self.scopes {
            Some(s) => s
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            None => defaults.scopes.clone(),
        };
        SandboxConfig {
            port: self.port,
            users: self.users,
            seed: self.seed,
            account_id: self
                .account_id
                .clone()
                .unwrap_or_else(|| DEMO_ACCOUNT_ID.into()),
            client_id: self
                .client_id
                .clone()
                .unwrap_or_else(|| DEMO_CLIENT_ID.into()),
            client_secret: self
                .client_secret
                .clone()
                .unwrap_or_else(|| DEMO_CLIENT_SECRET.into()),
            scopes,
            plan: self.plan.as_str().to_string(),
            token_ttl: Duration::from_secs(self.token_ttl),
            page_token_ttl: self.page_token_ttl,
            faults: Faults {
                latency: Duration::from_millis(self.latency_ms),
                error_rate: self.error_rate,
                burst_429_rate: self.burst_429_rate,
                drop_rate: self.drop_rate,
                malformed_rate: self.malformed_rate,
                early_expiry_rate: self.early_expiry_rate,
                token_max_uses: None,
                scope_error: match self.missing_scope_answer {
                    ScopeError::Zoom => ScopeErrorStyle::Zoom,
                    ScopeError::Code4711 => ScopeErrorStyle::Code4711,
                    ScopeError::Code4700 => ScopeErrorStyle::Code4700,
                    ScopeError::Code104 => ScopeErrorStyle::Code104,
                    ScopeError::Forbidden => ScopeErrorStyle::Forbidden,
                },
                paging: PagingQuirks {
                    legacy_paging: self.legacy_paging,
                    ..PagingQuirks::default()
                },
            },
            rate_limits: RateLimitConfig {
                enabled: !self.no_rate_limits,
                per_second: None,
                // u32 flags (4 billion a day is plenty) keep the parsed
                // arguments small next to the other subcommands'.
                daily: [self.daily_light, self.daily_medium, self.daily_heavy]
                    .map(|d| d.map(u64::from)),
                qps_retry_after: match self.qps_retry_after {
                    RetryAfter::Seconds => RetryAfterStyle::Seconds,
                    RetryAfter::Iso => RetryAfterStyle::IsoDate,
                    RetryAfter::HttpDate => RetryAfterStyle::HttpDate,
                    RetryAfter::Absent => RetryAfterStyle::Absent,
                },
                other_apps_share: self.other_apps_share,
            },
            mutate_every: self.mutate_every,
            roster_path: self.roster.clone(),
            reference_time: None,
        }
    }
}

/// What the sandbox prints on start (text or `--json`).
pub fn startup_text(sb: &RunningSandbox, roster: Option<&PathBuf>) -> String {
    let cfg = sb.config();
    let t = |s: &str| for_terminal(s).into_owned();
    let org = sb.org();
    let mut out = String::new();
    out.push_str(&format!(
        "zoomscope sandbox: {} users (seed {}, {} plan) on {}\n\n",
        org.users.len(),
        cfg.seed,
        cfg.plan,
        sb.oauth_url()
    ));
    out.push_str(&format!("  API base URL    {}\n", sb.api_url()));
    out.push_str(&format!(
        "  OAuth base URL  {}   (token endpoint {}/oauth/token)\n",
        sb.oauth_url(),
        sb.oauth_url()
    ));
    out.push_str(&format!("  Account ID      {}\n", t(sb.account_id())));
    out.push_str(&format!("  Client ID       {}\n", t(sb.client_id())));
    out.push_str(&format!(
        "  Client secret   {}   (sandbox credential, not a Zoom secret)\n",
        t(sb.client_secret())
    ));
    out.push_str(&format!("  Scopes          {}\n", t(&cfg.scopes.join(" "))));
    out.push_str(&format!(
        "  Email domains   {} (alias in the HR roster: {}; contractors: {})\n",
        org.account.domain, org.account.alias_domain, org.account.contractor_domain
    ));
    match roster {
        Some(p) => {
            out.push_str(&format!(
                "  HR roster       {}\n",
                t(&p.display().to_string())
            ));
            out.push_str(&format!(
                "  Import it       {}   (as --demo does)\n",
                t(&roster_import_command(sb, p))
            ));
        }
        None => out.push_str("  HR roster       not written (add --roster FILE)\n"),
    }
    if let Some(every) = cfg.mutate_every {
        out.push_str(&format!(
            "  Changes         every {}\n",
            humantime::format_duration(every)
        ));
    }
    out.push_str("\nPoint zoomscope at it:\n\n");
    out.push_str(&format!("  export ZOOM_API_URL={}\n", sb.api_url()));
    out.push_str(&format!("  export ZOOM_OAUTH_URL={}\n", sb.oauth_url()));
    out.push_str(&format!(
        "  export ZOOM_ACCOUNT_ID={}\n",
        t(sb.account_id())
    ));
    out.push_str(&format!("  export ZOOM_CLIENT_ID={}\n", t(sb.client_id())));
    out.push_str(&format!(
        "  export ZOOM_CLIENT_SECRET={}\n",
        t(sb.client_secret())
    ));
    out.push_str("  zoomscope sync\n\n");
    out.push_str(&format!(
        "Apply a change: curl -X POST {}/_sandbox/change -H 'content-type: application/json' \\\n    -d '{{\"change\": \"make_admin\", \"user\": \"<email>\"}}'   (also deactivate, hire, role_change, group_move, setting_flip,\n    admin_sign_in, admin_new_ip)\n",
        sb.oauth_url()
    ));
    out.push_str(&format!(
        "Counters: curl {}/_sandbox/stats\n",
        sb.oauth_url()
    ));
    out.push_str("Press Ctrl-C to stop.\n");
    out
}

/// The org's alias domain as `--alias-domain` takes it (`PRIMARY=ALIAS`).
pub fn alias_domain_spec(sb: &RunningSandbox) -> String {
    let org = sb.org();
    format!("{}={}", org.account.domain, org.account.alias_domain)
}

/// The command that imports the roster written to `path` so that it
/// matches exactly as `--demo` matches the same org (which stores the
/// alias domain with its roster).
pub fn roster_import_command(sb: &RunningSandbox, path: &std::path::Path) -> String {
    format!(
        "zoomscope employees import {} --alias-domain {}",
        path.display(),
        alias_domain_spec(sb)
    )
}

pub fn startup_json(sb: &RunningSandbox, roster: Option<&PathBuf>) -> serde_json::Value {
    let cfg = sb.config();
    serde_json::json!({
        "api_url": sb.api_url(),
        "oauth_url": sb.oauth_url(),
        "account_id": sb.account_id(),
        "client_id": sb.client_id(),
        "client_secret": sb.client_secret(),
        "scopes": cfg.scopes,
        "users": cfg.users,
        "seed": cfg.seed,
        "plan": cfg.plan,
        "other_apps_share": cfg.rate_limits.other_apps_share,
        "roster": roster.map(|p| p.display().to_string()),
        "alias_domain": alias_domain_spec(sb),
        "roster_import": roster.map(|p| roster_import_command(sb, p)),
    })
}

pub async fn run(global: &GlobalArgs, args: SandboxArgs) -> anyhow::Result<ExitCode> {
    if let Some(msg) = args.no_demo.refused(global, "sandbox") {
        eprintln!("zoomscope: {msg}");
        return Ok(ExitCode::from(super::exit::USAGE));
    }
    let cfg = args.to_config();
    let sb = Sandbox::start(cfg).await.context("starting the sandbox")?;
    if args.json {
        println!("{}", startup_json(&sb, args.roster.as_ref()));
    } else {
        print!("{}", startup_text(&sb, args.roster.as_ref()));
    }
    stop_signal().await?;
    let stats = sb.stats();
    // Promptly: a client holding a keep-alive connection must not keep a
    // stopped sandbox alive.
    let _ = tokio::time::timeout(Duration::from_secs(1), sb.shutdown()).await;
    if !args.json {
        println!(
            "\nsandbox stopped after {} API requests ({} tokens issued).",
            stats.api_requests, stats.tokens_issued
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `kill` sends).
async fn stop_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("waiting for Ctrl-C")?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: SandboxArgs,
    }

    #[test]
    fn flags_map_to_config() {
        let w = Wrapper::try_parse_from([
            "x",
            "--users",
            "500",
            "--seed",
            "7",
            "--plan",
            "free",
            "--scopes",
            "user:read:admin, group:read:admin",
            "--latency-ms",
            "50",
            "--error-rate",
            "0.2",
            "--mutate-every",
            "30s",
            "--daily-medium",
            "10",
            "--port",
            "0",
        ])
        .unwrap();
        let cfg = w.args.to_config();
        assert_eq!(cfg.users, 500);
        assert_eq!(cfg.seed, 7);
        assert_eq!(cfg.plan, "free");
        assert_eq!(cfg.scopes, vec!["user:read:admin", "group:read:admin"]);
        assert_eq!(cfg.faults.latency, Duration::from_millis(50));
        assert_eq!(cfg.faults.error_rate, 0.2);
        assert_eq!(cfg.mutate_every, Some(Duration::from_secs(30)));
        assert_eq!(cfg.rate_limits.daily, [None, Some(10), None]);
        assert_eq!(cfg.client_secret, DEMO_CLIENT_SECRET);
        assert_eq!(cfg.rate_limits.other_apps_share, 0.0);
    }

    #[test]
    fn the_standalone_sandbox_is_as_harsh_as_zoom_by_default() {
        let cfg = Wrapper::try_parse_from(["x"]).unwrap().args.to_config();
        assert_eq!(cfg.plan, "pro");
        assert_eq!(cfg.rate_limits.qps_retry_after, RetryAfterStyle::Absent);
        let w = Wrapper::try_parse_from([
            "x",
            "--other-apps-share",
            "0.3",
            "--missing-scope-answer",
            "403",
            "--qps-retry-after",
            "seconds",
        ])
        .unwrap();
        let cfg = w.args.to_config();
        assert_eq!(cfg.rate_limits.other_apps_share, 0.3);
        assert_eq!(cfg.faults.scope_error, ScopeErrorStyle::Forbidden);
        assert_eq!(cfg.rate_limits.qps_retry_after, RetryAfterStyle::Seconds);
    }
}
