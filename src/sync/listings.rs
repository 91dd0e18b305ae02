//! The main listings: users (three statuses at once), groups, roles and
//! role details.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use futures::StreamExt;

use super::step::{Done, StepError, StepLog, names};
use crate::zoom::{Group, PageInfo, Role, RoleDetail, User, UserStatus, ZoomClient, ZoomError};

/// How many role details are fetched at once (Light category; few roles).
const ROLE_DETAIL_CONCURRENCY: usize = 8;

/// Marks an unknown total in [`StatusProgress`].
const UNKNOWN: u64 = u64::MAX;

/// Per-status page counters, summed into one progress figure.
struct StatusProgress {
    fetched: [AtomicUsize; 3],
    totals: [AtomicU64; 3],
}

impl StatusProgress {
    fn new() -> Self {
        StatusProgress {
            fetched: Default::default(),
            totals: [
                AtomicU64::new(UNKNOWN),
                AtomicU64::new(UNKNOWN),
                AtomicU64::new(UNKNOWN),
            ],
        }
    }

    fn update(&self, i: usize, p: PageInfo, log: &StepLog) {
        if let (Some(f), Some(t)) = (self.fetched.get(i), self.totals.get(i)) {
            f.store(p.fetched, Ordering::Relaxed);
            t.store(p.total.unwrap_or(UNKNOWN), Ordering::Relaxed);
        }
        let done = self.fetched.iter().map(|f| f.load(Ordering::Relaxed)).sum();
        let totals: Vec<u64> = self
            .totals
            .iter()
            .map(|t| t.load(Ordering::Relaxed))
            .collect();
        let total = if totals.contains(&UNKNOWN) {
            None
        } else {
            Some(totals.iter().sum())
        };
        log.progress(names::USERS, done, total);
    }
}

/// `fetch-users`: active, inactive and pending users, listed concurrently.
pub(crate) async fn users(
    client: &ZoomClient,
    log: &StepLog,
) -> Result<Done<Vec<User>>, StepError> {
    let progress = StatusProgress::new();
    let list = |i: usize, status: UserStatus| {
        let progress = &progress;
        async move {
            let on_page = move |p: PageInfo| progress.update(i, p, log);
            client.list_users(status, &on_page).await
        }
    };
    let (active, inactive, pending) = tokio::join!(
        list(0, UserStatus::Active),
        list(1, UserStatus::Inactive),
        list(2, UserStatus::Pending),
    );
    let mut all = active?;
    all.extend(inactive?);
    all.extend(pending?);
    let n = all.len();
    Ok(Done::new(all, n))
}

/// `fetch-groups`: every page of groups.
pub(crate) async fn groups(
    client: &ZoomClient,
    log: &StepLog,
) -> Result<Done<Vec<Group>>, StepError> {
    let on_page = |p: PageInfo| log.progress(names::GROUPS, p.fetched, p.total);
    let groups = client.list_groups(&on_page).await?;
    let n = groups.len();
    Ok(Done::new(groups, n))
}

/// `fetch-roles`: the (unpaged) role list.
pub(crate) async fn roles(client: &ZoomClient) -> Result<Done<Vec<Role>>, StepError> {
    let roles = client.list_roles().await?;
    let n = roles.len();
    Ok(Done::new(roles, n))
}

/// `fetch-role-details`: `GET /roles/{id}` for each role, for privileges.
/// A role deleted since the listing (400 code 1034 / 404) is left out.
pub(crate) async fn role_details(
    client: &ZoomClient,
    roles: &[Role],
    log: &StepLog,
) -> Result<Done<Vec<RoleDetail>>, StepError> {
    let total = roles.len() as u64;
    let mut stream = futures::stream::iter(roles.iter().map(|r| client.get_role(&r.id)))
        .buffer_unordered(ROLE_DETAIL_CONCURRENCY);
    let mut details = Vec::with_capacity(roles.len());
    let mut seen = 0;
    while let Some(res) = stream.next().await {
        seen += 1;
        match res {
            Ok(d) => details.push(d),
            Err(e) if is_gone(&e) => {}
            Err(e) => return Err(e.into()),
        }
        log.progress(names::ROLE_DETAILS, seen, Some(total));
    }
    let n = details.len();
    Ok(Done::new(details, n))
}

/// A 404, or Zoom's "does not exist" codes for users (1001), groups
/// (4130) and roles (1034): the object went away during the sync.
pub(crate) fn is_gone(e: &ZoomError) -> bool {
    matches!(
        e,
        ZoomError::Api { status: 404, .. }
            | ZoomError::Api {
                code: Some(1001 | 4130 | 1034),
                ..
            }
    )
}
