//! The fetch plan. Independent steps start at once; a dependent step starts
//! as soon as the steps it needs have finished:
//!
//! ```text
//! fetch-account-* (6 steps) ─────────────────────────────────────────┐
//! fetch-users ──┬─ fetch-user-settings (--user-settings) ────────────┤
//!               ├─ fetch-group-members (mismatched groups) ─┐        ├─ build
//! fetch-groups ─┘                                           │        │
//! fetch-roles ──┬─ fetch-role-details                       │        │
//!               └─ fetch-role-members (mismatched roles) ───┴────────┘
//!    (fetch-users also feeds fetch-role-members, and takes the roles list
//!     from fetch-roles to name users' roles as it inserts them)
//! fetch-operation-logs, fetch-sign-in-activity (Heavy; beside the graph)
//! ```
//!
//! All of it runs under the client's per-category limiter, which decides
//! the actual request rate; the plan only keeps enough requests queued.
//! The account steps yield their slots to the listings' next pages (they
//! have time to spare; a page chain decides how long a sync takes), and
//! fetch-users inserts users into the converter while its later pages
//! are in flight, so `build` is left with the relationships.

use std::sync::Arc;

use futures::FutureExt;

use super::account::{AccountData, fetch_account};
use super::listings::ListedUsers;
use super::members;
use super::step::{StepLog, StepResult, names};
use super::user_settings::{self, DEFAULT_SETTINGS_CONCURRENCY, FetchedSettings};
use super::{StepOutcome, SyncOptions};
use crate::zoom::{Group, GroupMember, Role, RoleDetail, RoleMember, ZoomClient};

/// Everything the steps fetched, each with its step's result.
pub(crate) struct Fetched {
    pub account: AccountData,
    /// Every listed user, already in the converter the graph is made from.
    pub users: StepResult<ListedUsers>,
    pub groups: StepResult<Vec<Group>>,
    pub roles: StepResult<Vec<Role>>,
    pub role_details: StepResult<Vec<RoleDetail>>,
    pub group_members: StepResult<Vec<(String, Vec<GroupMember>)>>,
    pub role_members: StepResult<Vec<(String, Vec<RoleMember>)>>,
    /// `None` when `--user-settings` was not asked for.
    pub user_settings: Option<StepResult<FetchedSettings>>,
    /// The operation log and sign-in activity (kept apart from the graph).
    pub activity: Vec<StepResult<super::ActivityPart>>,
}

type Shared<T> = Arc<StepResult<T>>;

/// Runs every step of the plan.
pub(crate) async fn fetch(client: &ZoomClient, opts: &SyncOptions, log: &StepLog) -> Fetched {
    let roles =
        async { Arc::new(log.run(names::ROLES, super::listings::roles(client)).await) }.shared();
    let users = {
        let roles = roles.clone();
        async move {
            let role_list = async move {
                let roles: Shared<Vec<Role>> = roles.await;
                roles.as_ref().as_ref().ok().cloned()
            };
            Arc::new(
                log.run(
                    names::USERS,
                    super::listings::users(client, opts.account_name.clone(), role_list, log),
                )
                .await,
            )
        }
    }
    .shared();
    let groups = async {
        Arc::new(
            log.run(names::GROUPS, super::listings::groups(client, log))
                .await,
        )
    }
    .shared();
    let role_details = {
        let roles = roles.clone();
        async move {
            let roles: Shared<Vec<Role>> = roles.await;
            match roles.as_ref() {
                Ok(r) => {
                    log.run(
                        names::ROLE_DETAILS,
                        super::listings::role_details(client, r, log),
                    )
                    .await
                }
                Err(o) => log.not_run(names::ROLE_DETAILS, names::ROLES, o),
            }
        }
    };

    let group_members = {
        let (users, groups) = (users.clone(), groups.clone());
        async move {
            let (users, groups): (Shared<ListedUsers>, Shared<Vec<Group>>) =
                tokio::join!(users, groups);
            match (users.as_ref(), groups.as_ref()) {
                (Ok(u), Ok(g)) => {
                    let ids = members::group_mismatches(&u.counts, g);
                    if !ids.is_empty() {
                        log.notice(format!(
                            "{} of {} groups' member counts differ from users' group_ids; paging their members",
                            ids.len(),
                            g.len()
                        ));
                    }
                    log.run(
                        names::GROUP_MEMBERS,
                        members::group_members(client, &ids, log),
                    )
                    .await
                }
                (Err(o), _) => log.not_run(names::GROUP_MEMBERS, names::USERS, o),
                (_, Err(o)) => log.not_run(names::GROUP_MEMBERS, names::GROUPS, o),
            }
        }
    };

    let role_members = {
        let (users, roles) = (users.clone(), roles.clone());
        async move {
            let (users, roles): (Shared<ListedUsers>, Shared<Vec<Role>>) =
                tokio::join!(users, roles);
            match (users.as_ref(), roles.as_ref()) {
                (Ok(u), Ok(r)) => {
                    let ids = members::role_mismatches(&u.counts, r);
                    if !ids.is_empty() {
                        log.notice(format!(
                            "{} of {} roles' member counts differ from users' role_id; paging their members",
                            ids.len(),
                            r.len()
                        ));
                    }
                    log.run(
                        names::ROLE_MEMBERS,
                        members::role_members(client, &ids, log),
                    )
                    .await
                }
                (Err(o), _) => log.not_run(names::ROLE_MEMBERS, names::USERS, o),
                (_, Err(o)) => log.not_run(names::ROLE_MEMBERS, names::ROLES, o),
            }
        }
    };

    let settings = {
        let users = users.clone();
        let concurrency = if opts.settings_concurrency == 0 {
            DEFAULT_SETTINGS_CONCURRENCY
        } else {
            opts.settings_concurrency
        };
        async move {
            if !opts.user_settings {
                return None;
            }
            let users: Shared<ListedUsers> = users.await;
            Some(match users.as_ref() {
                Ok(u) => {
                    // Four Medium requests per user: say up front what that
                    // is against the plan's daily budget, if it has one.
                    let requests = u.converter.user_count() as u64 * 4;
                    if let Some(n) = crate::zoom::ratelimit::daily_budget_notice(
                        client.plan(),
                        crate::zoom::RateCategory::Medium,
                        requests,
                    ) {
                        log.notice(format!("user settings: {n}"));
                    }
                    log.run(
                        names::USER_SETTINGS,
                        user_settings::all(client, &u.converter, concurrency, log),
                    )
                    .await
                }
                Err(o) => log.not_run(names::USER_SETTINGS, names::USERS, o),
            })
        }
    };

    // Polled in this order, so at the start, when a dozen requests of the
    // same rate category queue for the limiter's slots, the users listing
    // (normally the longest page chain) reserves first.
    let (
        users_r,
        groups_r,
        roles_r,
        account,
        role_details,
        group_members,
        role_members,
        settings,
        (operations, sign_ins),
    ) = tokio::join!(
        users.clone(),
        groups.clone(),
        roles.clone(),
        fetch_account(client, log),
        role_details,
        group_members,
        role_members,
        settings,
        // Heavy requests: their own limiter, so they cost the listings nothing.
        super::activity::fetch_activity(client, opts, log),
    );
    // A daily limit closed a category: only its parts stopped; say until when.
    for (category, reset) in client.daily_limits_reached() {
        log.notice(format!(
            "Zoom's daily limit for {category:?} requests was reached: they resume at {} \
             (00:00 UTC); the other parts finished",
            reset.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    // Every other holder of the shared results is finished and dropped, so
    // unwrapping the Arcs moves (not copies) 100,000 users.
    drop((users, groups, roles));
    Fetched {
        account,
        users: unshare(users_r),
        groups: unshare(groups_r),
        roles: unshare(roles_r),
        role_details,
        group_members,
        role_members,
        user_settings: settings,
        activity: vec![operations, sign_ins],
    }
}

fn unshare<T: Clone>(a: Arc<StepResult<T>>) -> StepResult<T> {
    Arc::try_unwrap(a).unwrap_or_else(|a| a.as_ref().clone())
}

/// The outcome a [`StepResult`] stands for, without its data.
pub(crate) fn completed<T>(r: &StepResult<T>) -> bool {
    r.is_ok()
}

/// True unless the step failed (ok, or skipped for a missing scope).
pub(crate) fn not_failed<T>(r: &StepResult<T>) -> bool {
    !matches!(r, Err(StepOutcome::Failed { .. }))
}
