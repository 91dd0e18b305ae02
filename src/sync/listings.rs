//! The main listings: users (three statuses at once), groups, roles and
//! role details.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;

use futures::StreamExt;
use tokio::task::JoinHandle;

use super::ItemSkips;
use super::convert::{Converter, PreparedUser, prepare_user};
use super::members::MemberCounts;
use super::shape;
use super::step::{Done, StepError, StepLog, names};
use crate::zoom::{
    BadItem, Group, PageInfo, Role, RoleDetail, User, UserStatus, ZoomClient, ZoomError,
};

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

/// `fetch-users`: active, inactive and pending users, listed concurrently,
/// and put into the converter as they arrive.
///
/// Each page's users are converted to their entities ([`prepare_user`]) on
/// a blocking thread as soon as the page is read, and one more blocking
/// thread inserts the converted pages into the converter while later pages
/// are still in flight, so that when the last page arrives only the
/// relationships are left to make. The listings are inserted one after
/// another, the smallest first (by the `total_records` of their first
/// pages; ties in status order) and each in page order, so the graph comes
/// out the same on every run whatever order the pages arrive in, and the
/// longest listing, which ends last, is the one inserted as it arrives.
///
/// `roles` gives the roles list when the roles step has it (or `None`): its
/// names are applied to users as they are inserted (the graph is the same
/// whether they come early, late or never; this only saves a pass).
pub(crate) async fn users(
    client: &ZoomClient,
    account_name: Option<String>,
    roles: impl Future<Output = Option<Vec<Role>>>,
    log: &StepLog,
) -> Result<Done<ListedUsers>, StepError> {
    type Page = JoinHandle<Vec<PreparedUser>>;
    let progress = StatusProgress::new();
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..3).map(|_| mpsc::channel::<Page>()).unzip();
    let (names_tx, names_rx) = mpsc::channel::<Vec<Role>>();
    // (listing, total_records) from each page; the first of each listing
    // decides the order.
    let (totals_tx, totals_rx) = mpsc::channel::<(usize, Option<u64>)>();
    let runtime = tokio::runtime::Handle::current();
    let inserter = tokio::task::spawn_blocking(move || {
        let mut converter = Converter::new(account_name.as_deref());
        let mut counts = MemberCounts::default();
        let mut named = false;
        let mut totals: [Option<Option<u64>>; 3] = [None; 3];
        // Ends early only if every listing is over (a listing that fails
        // fails the step, and then the order is moot).
        while totals.iter().any(Option::is_none) {
            match totals_rx.recv() {
                Ok((i, t)) => {
                    if let Some(slot @ None) = totals.get_mut(i) {
                        *slot = Some(t);
                    }
                }
                Err(_) => break,
            }
        }
        let mut order: Vec<(usize, mpsc::Receiver<Page>)> =
            receivers.into_iter().enumerate().collect();
        order.sort_by_key(|(i, _)| {
            let total = totals.get(*i).copied().flatten().flatten();
            (total.unwrap_or(u64::MAX), *i)
        });
        // Each receiver ends when its listing is over (its sender dropped).
        for (_, pages) in order {
            for page in pages {
                if !named && let Ok(roles) = names_rx.try_recv() {
                    converter.role_names(&roles, &[]);
                    named = true;
                }
                match runtime.block_on(page) {
                    Ok(users) => {
                        converter.prepared_users(users);
                        counts.count_new(&converter);
                    }
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    // Cancelled: the runtime is shutting down; nothing
                    // built now will be used.
                    Err(_) => return None,
                }
            }
        }
        Some(ListedUsers {
            converter,
            counts,
            unreadable: Vec::new(),
        })
    });
    // Records a listing could not read: named and counted, the listing goes
    // on (their earlier data is kept, see `assemble.rs`).
    let unreadable: std::sync::Mutex<(ItemSkips, Vec<String>)> = Default::default();
    let list = |i: usize, status: UserStatus, pages: mpsc::Sender<Page>| {
        let progress = &progress;
        let unreadable = &unreadable;
        let totals = totals_tx.clone();
        async move {
            let label = status.as_str().to_string();
            let on_bad = move |b: BadItem| {
                tracing::warn!(status = %label, page = b.page, item = b.index, id = ?b.id, detail = %b.detail, "unreadable user skipped");
                let what = match &b.id {
                    Some(id) => format!("user {id}"),
                    None => format!("{} user {} on page {}", label, b.index, b.page),
                };
                if let Ok(mut u) = unreadable.lock() {
                    u.0.add(what, &b.detail);
                    u.1.extend(b.id);
                }
            };
            let on_page = move |p: PageInfo| {
                progress.update(i, p, log);
                // The inserter stops listening once it has every first page.
                let _ = totals.send((i, p.total));
            };
            let on_items = |users: Vec<User>| {
                let page = tokio::task::spawn_blocking(move || {
                    users.into_iter().map(prepare_user).collect::<Vec<_>>()
                });
                // The inserter only stops early on shutdown.
                let _ = pages.send(page);
            };
            client
                .list_users_each_isolated(status, &on_page, &on_items, &on_bad)
                .await
        }
    };
    let mut senders = senders.into_iter();
    let (Some(a), Some(i), Some(p)) = (senders.next(), senders.next(), senders.next()) else {
        return Err(StepError::Other("user listings could not be set up".into()));
    };
    let names = async move {
        if let Some(roles) = roles.await {
            // The inserter may be done already; then the names are moot.
            let _ = names_tx.send(roles);
        }
    };
    let (active, inactive, pending) = (
        list(0, UserStatus::Active, a),
        list(1, UserStatus::Inactive, i),
        list(2, UserStatus::Pending, p),
    );
    // Only the listings hold a sender now: when they are all over, the
    // inserter stops waiting for first pages.
    drop(totals_tx);
    let (active, inactive, pending, ()) = tokio::join!(active, inactive, pending, names);
    let n = active? + inactive? + pending?;
    let (skipped, unreadable) = unreadable.into_inner().unwrap_or_default();
    match inserter.await {
        Ok(Some(mut listed)) => {
            listed.unreadable = unreadable;
            Ok(Done::new(listed, n).with_skipped(skipped))
        }
        Ok(None) => Err(StepError::Other("the sync was cancelled".into())),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => Err(StepError::Other(format!(
            "users could not be assembled ({e})"
        ))),
    }
}

/// What `fetch-users` hands on.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListedUsers {
    /// Every listed user, already in the converter the graph is made from.
    pub converter: Converter,
    /// Memberships per group and role, for the member-count checks.
    pub counts: MemberCounts,
    /// Ids of listed records that could not be read (they keep their
    /// earlier data).
    pub unreadable: Vec<String>,
}

/// `fetch-groups`: every page of groups. A listing with a garbled group
/// (see `shape.rs`) is read again once, then rejected: a group left out
/// would be a group deleted from the snapshot.
pub(crate) async fn groups(
    client: &ZoomClient,
    log: &StepLog,
) -> Result<Done<Vec<Group>>, StepError> {
    let on_page = |p: PageInfo| log.progress(names::GROUPS, p.fetched, p.total);
    let mut again = true;
    loop {
        let groups = client.list_groups(&on_page).await?;
        let garbled = groups
            .iter()
            .enumerate()
            .find_map(|(i, g)| shape::group_problem(&g.raw).map(|p| (i, p)));
        match garbled {
            None => {
                let n = groups.len();
                return Ok(Done::new(groups, n));
            }
            Some((i, problem)) if !again => {
                return Err(StepError::Zoom(malformed("GET /groups", i, &problem)));
            }
            Some((i, problem)) => {
                log.notice(format!(
                    "GET /groups: group {} garbled ({problem}); listing again",
                    i + 1
                ));
                again = false;
            }
        }
    }
}

/// `fetch-roles`: the (unpaged) role lists, every `type` Zoom has: the
/// common roles, then the Zoom IQ ones ([`iq_roles`]). A garbled body (see
/// `shape.rs`) is read again once, then rejected, so no phantom role is
/// stored.
pub(crate) async fn roles(client: &ZoomClient) -> Result<Done<Vec<Role>>, StepError> {
    let mut done = common_roles(client).await?;
    let iq = iq_roles(client).await?;
    let known: std::collections::HashSet<String> =
        done.value.iter().map(|r| r.id.clone()).collect();
    done.value
        .extend(iq.into_iter().filter(|r| !known.contains(&r.id)));
    done.count = done.value.len();
    Ok(done)
}

/// `GET /roles?type=iq`: Zoom IQ Sales roles, which an account has only
/// with Zoom IQ. An account without them (Zoom answers an API error, or the
/// part is unavailable) has none; a garbled body, read twice, or an error
/// that would hold for every request (scope, credentials, daily limit)
/// fails the step as the common list's would.
async fn iq_roles(client: &ZoomClient) -> Result<Vec<Role>, StepError> {
    let mut again = true;
    loop {
        let res = client
            .list_roles_of_type(Some("iq"))
            .await
            .and_then(|roles| {
                match roles
                    .iter()
                    .enumerate()
                    .find_map(|(i, r)| shape::role_problem(&r.raw).map(|p| (i, p)))
                {
                    Some((i, p)) => Err(malformed("GET /roles?type=iq", i, &p)),
                    None => Ok(roles),
                }
            });
        match res {
            Ok(roles) => return Ok(roles),
            Err(ZoomError::Malformed { .. }) if again => again = false,
            Err(e) if holds_for_all(&e) && e.unavailable_message().is_none() => {
                return Err(e.into());
            }
            Err(e @ ZoomError::Malformed { .. }) => return Err(e.into()),
            Err(e) => {
                tracing::info!(error = %e, "no Zoom IQ roles on this account");
                return Ok(Vec::new());
            }
        }
    }
}

/// The common roles (`GET /roles`).
async fn common_roles(client: &ZoomClient) -> Result<Done<Vec<Role>>, StepError> {
    let mut again = true;
    loop {
        let res = client.list_roles().await;
        let problem = match &res {
            Ok(roles) => roles
                .iter()
                .enumerate()
                .find_map(|(i, r)| shape::role_problem(&r.raw).map(|p| (i, p)))
                .map(|(i, p)| malformed("GET /roles", i, &p)),
            Err(_) => None,
        };
        match (res, problem) {
            (Ok(roles), None) => {
                let n = roles.len();
                return Ok(Done::new(roles, n));
            }
            (Err(e @ ZoomError::Malformed { .. }), _) | (Ok(_), Some(e)) => {
                if !again {
                    return Err(e.into());
                }
                tracing::warn!(error = %e, "role list garbled; reading it again");
                again = false;
            }
            (Err(e), _) => return Err(e.into()),
        }
    }
}

/// A garbled item, as the client reports a body it cannot read.
fn malformed(endpoint: &str, index: usize, problem: &str) -> ZoomError {
    ZoomError::Malformed {
        endpoint: endpoint.to_string(),
        detail: format!("item {}: {problem}", index + 1),
    }
}

/// True for an error that would be the same for every item of a step (a
/// missing scope, a part unavailable to the account, the credentials, a
/// daily limit): the step ends with it instead of skipping every item.
pub(crate) fn holds_for_all(e: &ZoomError) -> bool {
    e.is_missing_scope()
        || e.is_auth()
        || matches!(e, ZoomError::DailyLimit { .. })
        || e.is_unreachable()
        || matches!(e, ZoomError::TokenRejected { .. })
        || e.unavailable_message().is_some()
}

/// `GET /roles/{id}`, read again once when the body is garbled (malformed
/// JSON, wrong types, or another role's id), since one bad answer says
/// nothing about the next.
async fn role_detail(client: &ZoomClient, id: &str) -> Result<RoleDetail, ZoomError> {
    let label = format!("GET /roles/{id}");
    let mut again = true;
    loop {
        let res = client.get_role(id).await.and_then(|d| {
            if let Some(p) = shape::role_problem(&d.raw) {
                return Err(malformed(&label, 0, &p));
            }
            if d.id != id {
                return Err(ZoomError::Malformed {
                    endpoint: label.clone(),
                    detail: "the answer is another role's".into(),
                });
            }
            Ok(d)
        });
        match res {
            Err(ZoomError::Malformed { .. }) if again => again = false,
            other => return other,
        }
    }
}

/// `fetch-role-details`: `GET /roles/{id}` for each role, for privileges.
/// A role deleted since the listing (400 code 1034 / 404) is left out; a
/// role whose detail cannot be read costs that role's detail only (named in
/// the outcome; its earlier privileges are kept, see `assemble.rs`). An
/// error that would hold for every role ends the step.
pub(crate) async fn role_details(
    client: &ZoomClient,
    roles: &[Role],
    log: &StepLog,
) -> Result<Done<Vec<RoleDetail>>, StepError> {
    let total = roles.len() as u64;
    // Owned ids: see `members::group_members` for why.
    let ids: Vec<String> = roles.iter().map(|r| r.id.clone()).collect();
    let mut stream = futures::stream::iter(ids.into_iter().map(|id| async move {
        let res = role_detail(client, &id).await;
        (id, res)
    }))
    .buffer_unordered(ROLE_DETAIL_CONCURRENCY);
    let mut details = Vec::with_capacity(roles.len());
    let mut skipped = ItemSkips::default();
    let mut first_failure = None;
    let mut seen = 0;
    while let Some((id, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(d) => details.push(d),
            Err(e) if is_gone(&e) => {}
            Err(e) if holds_for_all(&e) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(role = %id, error = %e, "role detail skipped");
                skipped.add(format_args!("role {id}"), &e);
                first_failure.get_or_insert(e);
            }
        }
        log.progress(names::ROLE_DETAILS, seen, Some(total));
    }
    // Not one detail could be read: that is the step failing, not items.
    if details.is_empty()
        && let Some(e) = first_failure
    {
        return Err(e.into());
    }
    let n = details.len();
    Ok(Done::new(details, n).with_skipped(skipped))
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
