//! User settings: four Medium calls per user (the main body and the
//! `meeting_authentication`, `recording_authentication` and
//! `meeting_security` options), for one user on demand or for all users
//! with `sync --user-settings`.

use futures::StreamExt;

use super::convert::{Converter, UserSettingsBundle};
use super::listings::is_gone;
use super::step::{Done, StepError, StepLog, names};
use crate::zoom::{Settings, UserSettingsOption, ZoomClient, ZoomError};

/// Users whose settings are fetched at once in bulk (×4 requests each).
/// Enough in flight to keep the Medium limiter's tokens spent even with
/// 50–100 ms of latency at 60 requests/s; the limiter, not this bound,
/// keeps the rate under Zoom's limit.
pub const DEFAULT_SETTINGS_CONCURRENCY: usize = 12;

/// Fetches the four bodies of one user concurrently. `Ok(None)` when the
/// user no longer exists; an option the account does not support (a 4xx
/// other than a missing scope) is `None` in the bundle.
pub async fn fetch_bodies(
    client: &ZoomClient,
    user_id: &str,
) -> Result<Option<UserSettingsBundle>, ZoomError> {
    use UserSettingsOption as O;
    let (main, ma, ra, ms) = tokio::join!(
        client.user_settings(user_id, O::Main),
        client.user_settings(user_id, O::MeetingAuthentication),
        client.user_settings(user_id, O::RecordingAuthentication),
        client.user_settings(user_id, O::MeetingSecurity),
    );
    let main = match main {
        Ok(s) => Some(s),
        Err(e) if is_gone(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(UserSettingsBundle {
        main,
        meeting_authentication: optional(ma)?,
        recording_authentication: optional(ra)?,
        meeting_security: optional(ms)?,
    }))
}

/// An `option=` body: scope, auth, rate and transport errors count; an API
/// error (the option not available on this account) leaves it out.
fn optional(r: Result<Settings, ZoomError>) -> Result<Option<Settings>, ZoomError> {
    match r {
        Ok(s) => Ok(Some(s)),
        Err(ZoomError::Api { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `fetch-user-settings`: settings for every user that has an id (pending
/// users have none). Returns (user id, bodies).
pub(crate) async fn all(
    client: &ZoomClient,
    users: &Converter,
    concurrency: usize,
    log: &StepLog,
) -> Result<Done<Vec<(String, UserSettingsBundle)>>, StepError> {
    let mut ids: Vec<&str> = users.listed_users().filter_map(|u| u.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let total = ids.len() as u64;
    // Owned ids: see `members::group_members` for why.
    let owned: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    let mut stream = futures::stream::iter(owned.into_iter().map(|id| async move {
        let res = fetch_bodies(client, &id).await;
        (id, res)
    }))
    .buffer_unordered(concurrency.max(1));
    let mut out = Vec::with_capacity(ids.len());
    let mut failed = 0usize;
    let mut first_failure = None;
    let mut seen = 0usize;
    while let Some((id, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(Some(b)) => out.push((id, b)),
            Ok(None) => {}
            // These hold for every user: stop now rather than 4 × N times.
            Err(
                e @ (ZoomError::MissingScope { .. }
                | ZoomError::Auth { .. }
                | ZoomError::DailyLimit { .. }),
            ) => return Err(e.into()),
            Err(e) => {
                failed += 1;
                first_failure.get_or_insert(e);
            }
        }
        if seen.is_multiple_of(25) || seen as u64 == total {
            log.progress(names::USER_SETTINGS, seen, Some(total));
        }
    }
    if let Some(e) = first_failure {
        return Err(StepError::Other(format!(
            "{failed} of {total} users' settings could not be read; first: {e}"
        )));
    }
    let n = out.len();
    Ok(Done::new(out, n))
}
