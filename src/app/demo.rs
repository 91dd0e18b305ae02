//! `--demo`: the in-process sandbox and the profile that points at it.

use crate::config::{PollingInterval, ResolvedProfile};
use crate::sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use crate::store::Store;
use crate::zoom::{Plan, Secret};

use super::AppError;

/// The profile `--demo` runs under.
pub const DEMO_PROFILE: &str = "demo";

/// Starts the sandbox with `users` users; returns it with the profile whose
/// credentials are its own.
pub(super) async fn start(users: usize) -> Result<(RunningSandbox, ResolvedProfile), AppError> {
    let sb = Sandbox::start(SandboxConfig {
        users,
        ..SandboxConfig::default()
    })
    .await
    .map_err(AppError::Demo)?;
    let profile = ResolvedProfile {
        account_id: sb.account_id().to_string(),
        client_id: sb.client_id().to_string(),
        client_secret: Secret::new(sb.client_secret()),
        account_name: Some("zoomscope demo".to_string()),
        api_url: sb.api_url(),
        oauth_url: sb.oauth_url(),
        plan: Plan::Business,
        polling_interval: PollingInterval::DEFAULT,
    };
    tracing::info!(api_url = %profile.api_url, users, "demo sandbox started");
    Ok((sb, profile))
}

/// What [`import_roster`] needs of the sandbox, owned so the import can run
/// on the blocking pool.
pub(super) struct DemoRoster {
    csv: String,
    alias_domains: Vec<Vec<String>>,
}

impl DemoRoster {
    pub(super) fn of(sb: &RunningSandbox) -> DemoRoster {
        let account = sb.org().account;
        DemoRoster {
            csv: sb.roster_csv(),
            alias_domains: vec![vec![account.domain.clone(), account.alias_domain.clone()]],
        }
    }
}

/// The demo org comes with its HR roster, so employee mapping has something
/// to show from the first run (imported once; unchanged rosters are kept).
pub(super) fn import_roster(store: &Store, roster: &DemoRoster) -> Result<(), AppError> {
    let imported = crate::employees::import_demo_roster(
        store.conn(),
        DEMO_PROFILE,
        &roster.csv,
        &roster.alias_domains,
        chrono::Utc::now(),
    )
    .map_err(AppError::DemoRoster)?;
    if let Some(imported) = imported {
        tracing::info!(employees = imported.imported, "demo roster imported");
    }
    Ok(())
}
