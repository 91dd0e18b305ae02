//! The entry points: a whole sync, and one user's settings on demand.

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use super::step::{StepLog, names};
use super::{StepOutcome, SyncError, SyncEvent, SyncOptions, SyncResult, assemble, parts, plan};
use crate::zoom::{ZoomClient, ZoomError};

/// Fetches the account and builds its graph. Only an authentication failure
/// is an error; every other problem is a step outcome in the result.
pub async fn run(
    client: &ZoomClient,
    opts: &SyncOptions,
    events: UnboundedSender<SyncEvent>,
) -> Result<SyncResult, SyncError> {
    let log = StepLog::new(events);
    // One token request up front: bad credentials end the sync here with
    // one clear error instead of thirteen failed steps.
    if let Err(e) = client.granted_scopes().await {
        if e.is_auth() {
            return Err(SyncError::Auth(e));
        }
        tracing::warn!(error = %e, "could not read granted scopes; steps will find out");
    }
    let mut fetched = tokio::select! {
        f = plan::fetch(client, opts, &log) => f,
        never = watch_client(client, &log) => match never {},
    };
    if let Some(e) = log.take_auth_failure() {
        return Err(SyncError::Auth(e));
    }
    let refreshed = parts::refreshed(&fetched);
    let activity = std::mem::take(&mut fetched.activity)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    // Building 100,000 users takes a moment of CPU: keep it off the
    // runtime's worker so a TUI redrawing on the same runtime stays live.
    // Recorded as a step of its own so its cost shows next to the fetches.
    let build_opts = opts.clone();
    let started = log.start(names::BUILD_GRAPH);
    let built =
        match tokio::task::spawn_blocking(move || assemble::build(fetched, &build_opts)).await {
            Ok(b) => b,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };
    log.finish(
        names::BUILD_GRAPH,
        StepOutcome::ok(built.graph.entity_count()),
        started,
    );
    for w in &built.warnings {
        log.notice(w.clone());
    }
    Ok(SyncResult {
        graph: built.graph,
        raw: built.raw,
        steps: log.into_records(),
        refreshed,
        activity,
    })
}

/// Turns the client's retry counters into notices while the plan runs
/// (the client retries and waits on its own; this only tells the user).
async fn watch_client(client: &ZoomClient, log: &StepLog) -> std::convert::Infallible {
    let mut last = client.stats();
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let now = client.stats();
        let d = |a: u64, b: u64| a.saturating_sub(b);
        let limited = d(now.rate_limited, last.rate_limited);
        if limited > 0 {
            log.notice(format!(
                "Zoom rate-limited {limited} request(s); waiting as Retry-After says"
            ));
        }
        let server = d(now.server_errors, last.server_errors);
        if server > 0 {
            log.notice(format!(
                "{server} server error(s) from Zoom; retrying with backoff"
            ));
        }
        let transport = d(now.transport_errors, last.transport_errors);
        if transport > 0 {
            log.notice(format!(
                "{transport} network error(s); retrying with backoff"
            ));
        }
        last = now;
    }
}

/// One user's settings, flattened to JupiterOne's property names with
/// secrets redacted, plus the redacted raw bodies (for the store).
#[derive(Debug, Clone, Default)]
pub struct FetchedUserSettings {
    pub props: Vec<(String, Value)>,
    /// `{"main": …, "meeting_authentication": …, …}`, redacted.
    pub raw: String,
}

/// Fetches one user's four settings bodies, sign-in methods and permissions
/// (for the TUI's detail view; a cache, never history).
/// `user` is a user id or a `zoom_user:<id>` key. `Ok(None)`: no such user.
pub async fn fetch_user_settings(
    client: &ZoomClient,
    user: &str,
) -> Result<Option<FetchedUserSettings>, ZoomError> {
    let id = user.strip_prefix("zoom_user:").unwrap_or(user);
    if id.starts_with("pending:") {
        // Pending users have no id and no settings yet.
        return Ok(None);
    }
    let Some(data) = super::user_settings::fetch_lazy(client, id).await? else {
        return Ok(None);
    };
    let (props, raw) = super::convert::settings::lazy_user_data(&data);
    Ok(Some(FetchedUserSettings { props, raw }))
}
