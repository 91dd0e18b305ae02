//! The main listings: users (three statuses at once), groups, roles and
//! role details.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use futures::StreamExt;
use tokio::task::JoinHandle;

use super::step::{Done, StepError, StepLog, names};
use crate::graph::build::{PreparedUser, prepare_user};
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
///
/// Each page's users are converted to their entities ([`prepare_user`])
/// on a blocking thread as soon as the page is read, while the next pages
/// are in flight; the graph build at the end only inserts them. The result
/// is in the same order as the listings (active, inactive, pending; pages
/// in order), so the graph comes out the same as from whole lists.
pub(crate) async fn users(
    client: &ZoomClient,
    log: &StepLog,
) -> Result<Done<Vec<PreparedUser>>, StepError> {
    let progress = StatusProgress::new();
    let list = |i: usize, status: UserStatus| {
        let progress = &progress;
        async move {
            let pages: Mutex<Vec<JoinHandle<Vec<PreparedUser>>>> = Mutex::new(Vec::new());
            let on_page = move |p: PageInfo| progress.update(i, p, log);
            let on_items = |users: Vec<User>| {
                let page = tokio::task::spawn_blocking(move || {
                    users.into_iter().map(prepare_user).collect::<Vec<_>>()
                });
                pages
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(page);
            };
            let n = client.list_users_each(status, &on_page, &on_items).await?;
            let pages = pages.into_inner().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::with_capacity(n);
            for page in pages {
                match page.await {
                    Ok(users) => out.extend(users),
                    Err(e) => std::panic::resume_unwind(e.into_panic()),
                }
            }
            Ok::<_, ZoomError>(out)
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
