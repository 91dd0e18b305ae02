//! User settings: four Medium calls per user (the main body and the
//! `meeting_authentication`, `recording_authentication` and
//! `meeting_security` options), for one user on demand or for all users
//! with `sync --user-settings`.

use futures::StreamExt;

use super::ItemSkips;
use super::convert::{Converter, UserSettingsBundle};
use super::listings::{holds_for_all, is_gone};
use super::step::{Done, StepError, StepLog, names};
use crate::zoom::{Settings, UserSettingsOption, ZoomClient, ZoomError};

/// Users whose `GET /users/{id}` (for `login_types`) are read at once: a
/// Light request each, so a few more than the settings' Medium ones.
const LOGIN_TYPES_CONCURRENCY: usize = 16;

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

/// What `fetch-user-settings` hands on: the bodies of every user read, and
/// the users whose settings could not be read this time (they keep their
/// earlier settings, see `assemble.rs`).
#[derive(Debug, Clone, Default)]
pub(crate) struct FetchedSettings {
    pub bodies: Vec<(String, UserSettingsBundle)>,
    pub unread: Vec<String>,
}

/// `fetch-user-settings`: settings for every user that has an id (pending
/// users have none). One user's error (other than "gone") costs that
/// user's settings only: named in the outcome, earlier ones kept. An error
/// that would hold for every user (scope, plan, credentials, daily limit)
/// ends the step; so does not one user's settings being readable.
pub(crate) async fn all(
    client: &ZoomClient,
    users: &Converter,
    concurrency: usize,
    log: &StepLog,
) -> Result<Done<FetchedSettings>, StepError> {
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
    let mut out = FetchedSettings {
        bodies: Vec::with_capacity(ids.len()),
        unread: Vec::new(),
    };
    let mut skipped = ItemSkips::default();
    let mut first_failure = None;
    let mut seen = 0usize;
    while let Some((id, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(Some(b)) => out.bodies.push((id, b)),
            Ok(None) => {}
            // These hold for every user: stop now rather than 4 × N times.
            Err(e) if holds_for_all(&e) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(user = %id, error = %e, "user settings skipped");
                skipped.add(format_args!("user {id}"), &e);
                out.unread.push(id);
                first_failure.get_or_insert(e);
            }
        }
        if seen.is_multiple_of(25) || seen as u64 == total {
            log.progress(names::USER_SETTINGS, seen, Some(total));
        }
    }
    if out.bodies.is_empty()
        && let Some(e) = first_failure
    {
        return Err(StepError::Other(format!(
            "no user's settings could be read ({} of {total} failed); first: {e}",
            skipped.count
        )));
    }
    let n = out.bodies.len();
    Ok(Done::new(out, n).with_skipped(skipped))
}

/// What the explorer fetches for the user it shows: the settings bodies,
/// and (each `None` when it cannot be read: a missing scope, a plan without
/// it) the user's sign-in methods and permissions. A cache, never history.
#[derive(Debug, Clone, Default)]
pub struct LazyUserData {
    pub bodies: UserSettingsBundle,
    pub login_types: Option<Vec<i64>>,
    pub permissions: Option<Vec<String>>,
}

/// The explorer's on-demand fetch for one user. `Ok(None)`: no such user.
/// The settings decide (their errors are the fetch's); the login types and
/// permissions are extras that are left out when they cannot be read.
pub async fn fetch_lazy(
    client: &ZoomClient,
    user_id: &str,
) -> Result<Option<LazyUserData>, ZoomError> {
    let (bodies, user, permissions) = tokio::join!(
        fetch_bodies(client, user_id),
        client.get_user(user_id),
        client.user_permissions(user_id),
    );
    let Some(bodies) = bodies? else {
        return Ok(None);
    };
    let extra = |what: &str, e: &ZoomError| {
        tracing::info!(user = %user_id, error = %e, "{what} not read for the detail view");
    };
    let login_types = match user {
        Ok(u) => Some(u.login_types),
        Err(e) => {
            extra("login types", &e);
            None
        }
    };
    let permissions = match permissions {
        Ok(p) => Some(p),
        Err(e) => {
            extra("permissions", &e);
            None
        }
    };
    Ok(Some(LazyUserData {
        bodies,
        login_types,
        permissions,
    }))
}

/// What `fetch-user-login-types` hands on: (user id, `login_types` codes)
/// for every user read, and the users that could not be read this time
/// (they keep their earlier login types).
#[derive(Debug, Clone, Default)]
pub(crate) struct FetchedLoginTypes {
    pub users: Vec<(String, Vec<i64>)>,
    pub unread: Vec<String>,
}

/// `fetch-user-login-types` (with `--user-settings`): `GET /users/{id}` for
/// every user with an id, for `login_types` (the listing does not carry
/// them). Per-user isolation as for settings: one user's error costs that
/// user only; an error that holds for every user ends the step.
pub(crate) async fn login_types(
    client: &ZoomClient,
    users: &Converter,
    log: &StepLog,
) -> Result<Done<FetchedLoginTypes>, StepError> {
    let mut ids: Vec<String> = users
        .listed_users()
        .filter_map(|u| u.id.map(str::to_string))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let total = ids.len() as u64;
    let mut stream = futures::stream::iter(ids.into_iter().map(|id| async move {
        let res = client.get_user(&id).await;
        (id, res)
    }))
    .buffer_unordered(LOGIN_TYPES_CONCURRENCY);
    let mut out = FetchedLoginTypes::default();
    let mut skipped = ItemSkips::default();
    let mut first_failure = None;
    let mut seen = 0usize;
    while let Some((id, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(u) => out.users.push((id, u.login_types)),
            Err(e) if is_gone(&e) => {}
            Err(e) if holds_for_all(&e) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(user = %id, error = %e, "login types skipped");
                skipped.add(format_args!("user {id}"), &e);
                out.unread.push(id);
                first_failure.get_or_insert(e);
            }
        }
        if seen.is_multiple_of(25) || seen as u64 == total {
            log.progress(names::USER_LOGIN_TYPES, seen, Some(total));
        }
    }
    if out.users.is_empty()
        && let Some(e) = first_failure
    {
        return Err(e.into());
    }
    let n = out.users.len();
    Ok(Done::new(out, n).with_skipped(skipped))
}
