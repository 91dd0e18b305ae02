//! The fetch plan. Independent steps start at once; a dependent step starts
//! as soon as the steps it needs have finished:
//!
//! ```text
//! fetch-account-* (7 steps, trusted domains incl.) ───────────────────┐
//! fetch-users ──┬─ fetch-user-settings (--user-settings) ────────────┤
//!               ├─ fetch-user-login-types (--user-settings) ─────────┤
//!               ├─ fetch-group-members (mismatched groups) ─┐        ├─ build
//! fetch-groups ─┼─ fetch-group-admins ──────────────────────┤        │
//!               └─ fetch-group-settings, fetch-group-lock-settings
//!                  (--user-settings) ───────────────────────┤        │
//! fetch-roles ──┬─ fetch-role-details   (common and iq)     │        │
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
use super::group_settings::{self, FetchedGroupBodies};
use super::listings::ListedUsers;
use super::members;
use super::step::{StepLog, StepResult, names};
use super::user_settings::{
    self, DEFAULT_SETTINGS_CONCURRENCY, FetchedLoginTypes, FetchedSettings,
};
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
    /// Group id → its admins (e-mails, or user ids kept from before).
    /// `None` when `--user-settings` (the per-item details) was not asked for.
    pub group_admins: Option<StepResult<GroupAdmins>>,
    /// `None` when `--user-settings` was not asked for.
    pub login_types: Option<StepResult<FetchedLoginTypes>>,
    /// Each group's settings and lock settings (`None` when the per-item
    /// details, `--user-settings`, were not asked for).
    pub group_settings: Option<StepResult<FetchedGroupBodies>>,
    pub group_lock_settings: Option<StepResult<FetchedGroupBodies>>,
    /// The operation log and sign-in activity (kept apart from the graph).
    pub activity: Vec<StepResult<super::ActivityPart>>,
}

type Shared<T> = Arc<StepResult<T>>;

/// Group id → its admins' e-mails (or user ids kept from before).
pub(crate) type GroupAdmins = Vec<(String, Vec<String>)>;

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
    let role_details = Box::pin({
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
    });

    let group_members = Box::pin({
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
                        members::group_members(client, &ids, opts.earlier_members.as_ref(), log),
                    )
                    .await
                }
                (Err(o), _) => log.not_run(names::GROUP_MEMBERS, names::USERS, o),
                (_, Err(o)) => log.not_run(names::GROUP_MEMBERS, names::GROUPS, o),
            }
        }
    });

    let role_members = Box::pin({
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
                        members::role_members(client, &ids, opts.earlier_members.as_ref(), log),
                    )
                    .await
                }
                (Err(o), _) => log.not_run(names::ROLE_MEMBERS, names::USERS, o),
                (_, Err(o)) => log.not_run(names::ROLE_MEMBERS, names::ROLES, o),
            }
        }
    });

    // Who administers each group: a security review's question, but one
    // Medium listing per group — 2,000 groups are 100 s of a Pro account's
    // limit, thirty times the users listing. So it is a per-item detail,
    // fetched with `--user-settings` like the settings; a plain sync keeps
    // the admins stored before.
    let group_admins = Box::pin({
        let groups = groups.clone();
        async move {
            if !opts.user_settings {
                return None;
            }
            let groups: Shared<Vec<Group>> = groups.await;
            Some(match groups.as_ref() {
                Ok(g) => {
                    log.run(
                        names::GROUP_ADMINS,
                        members::group_admins(client, g, opts.earlier_members.as_ref(), log),
                    )
                    .await
                }
                Err(o) => log.not_run(names::GROUP_ADMINS, names::GROUPS, o),
            })
        }
    });

    // A group's settings and locks, kept where they differ from the
    // account's: two Medium requests per group, so per-item details like
    // the admins (a plain sync keeps the stored ones).
    let group_bodies = |which: group_settings::Body, step: &'static str| {
        let groups = groups.clone();
        Box::pin(async move {
            if !opts.user_settings {
                return None;
            }
            let groups: Shared<Vec<Group>> = groups.await;
            Some(match groups.as_ref() {
                Ok(g) => {
                    log.run(step, group_settings::fetch(client, g, which, step, log))
                        .await
                }
                Err(o) => log.not_run(step, names::GROUPS, o),
            })
        })
    };
    let group_settings = group_bodies(group_settings::Body::Settings, names::GROUP_SETTINGS);
    let group_lock_settings = group_bodies(
        group_settings::Body::LockSettings,
        names::GROUP_LOCK_SETTINGS,
    );

    // Sign-in methods are on `GET /users/{id}` only: one Light request per
    // user, so only with `--user-settings`, like the settings.
    let login_types = Box::pin({
        let users = users.clone();
        async move {
            if !opts.user_settings {
                return None;
            }
            let users: Shared<ListedUsers> = users.await;
            Some(match users.as_ref() {
                Ok(u) => {
                    log.run(
                        names::USER_LOGIN_TYPES,
                        user_settings::login_types(client, &u.converter, log),
                    )
                    .await
                }
                Err(o) => log.not_run(names::USER_LOGIN_TYPES, names::USERS, o),
            })
        }
    });

    let settings = Box::pin({
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
    });

    // Polled in this order, so at the start, when a dozen requests of the
    // same rate category queue for the limiter's slots, the users listing
    // (normally the longest page chain) reserves first.
    let announced = DailyLimitsAnnounced::default();
    // Each step's future lives on the heap: joined inline, a dozen of them
    // make a future large enough to overflow a 2 MiB thread stack in debug
    // builds (the explorer and the tests poll the sync on such threads).
    let all = Box::pin(async {
        tokio::join!(
            users.clone(),
            groups.clone(),
            roles.clone(),
            Box::pin(fetch_account(client, log)),
            role_details,
            group_members,
            role_members,
            settings,
            group_admins,
            login_types,
            group_settings,
            group_lock_settings,
            // Heavy requests: their own limiter, so they cost the listings nothing.
            Box::pin(super::activity::fetch_activity(client, opts, log)),
        )
    });
    // A daily limit closed a category: only its parts stop. Said the moment
    // it happens (the CLI prints notices, the TUI toasts them), not when
    // the other parts are done hours of requests later.
    let (
        users_r,
        groups_r,
        roles_r,
        account,
        role_details,
        group_members,
        role_members,
        settings,
        group_admins,
        login_types,
        group_settings,
        group_lock_settings,
        (operations, sign_ins),
    ) = tokio::select! {
        r = all => r,
        never = announced.watch(client, log) => match never {},
    };
    // One that closed in the last instant.
    announced.announce_new(client, log);
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
        group_admins,
        login_types,
        group_settings,
        group_lock_settings,
        activity: vec![operations, sign_ins],
    }
}

/// The categories whose daily limit has been announced in this sync.
#[derive(Default)]
struct DailyLimitsAnnounced(std::sync::Mutex<Vec<crate::zoom::RateCategory>>);

impl DailyLimitsAnnounced {
    /// How often the client's closed categories are looked at: "at once"
    /// for a person, nothing for the CPU.
    const POLL: std::time::Duration = std::time::Duration::from_millis(200);

    /// Announces each newly closed category until cancelled.
    async fn watch(&self, client: &ZoomClient, log: &StepLog) -> std::convert::Infallible {
        loop {
            self.announce_new(client, log);
            tokio::time::sleep(Self::POLL).await;
        }
    }

    /// A notice for each category closed since the last call, saying until when.
    fn announce_new(&self, client: &ZoomClient, log: &StepLog) {
        let Ok(mut seen) = self.0.lock() else {
            return;
        };
        for (category, reset) in client.daily_limits_reached() {
            if seen.contains(&category) {
                continue;
            }
            seen.push(category);
            log.notice(format!(
                "Zoom's daily limit for {category:?} requests was reached: they resume at {} \
                 (00:00 UTC); the other parts go on",
                reset.format("%Y-%m-%d %H:%M UTC")
            ));
        }
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
