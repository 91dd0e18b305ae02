//! Membership: derived for free from users' `group_ids` and `role_id`; the
//! member endpoints (Medium, one listing per group or role) are paged only
//! for the groups and roles whose `total_members` disagrees with that.

use std::collections::HashMap;

use futures::StreamExt;

use super::convert::Converter;
use super::listings::{holds_for_all, is_gone};
use super::step::{Done, StepError, StepLog, names};
use super::{EarlierMembers, ItemSkips};
use crate::graph::RelType;
use crate::zoom::{Group, GroupMember, Role, RoleMember, ZoomClient, ZoomError};

/// Member listings run at once. Each is a page chain, so a few in flight
/// keep the Medium limiter busy without starving the other steps.
const MEMBER_CONCURRENCY: usize = 4;

/// How many listed users name each group in `group_ids` and each role in
/// `role_id`, counted while the users arrive (so the member-count checks
/// cost nothing when the listing ends).
///
/// Only users with an id are counted: pending users (invitations, no id)
/// carry `group_ids` in the users list, but the member endpoints and
/// `total_members` count only users with an id. Counting them would make
/// nearly every group "disagree" and page thousands of member listings.
/// Each user counts once: the converter keeps a user listed twice (a status
/// change during the sync) once.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemberCounts {
    groups: HashMap<String, u64>,
    roles: HashMap<String, u64>,
    /// Users of the converter counted so far.
    counted: usize,
}

impl MemberCounts {
    /// Counts the users added to `users` since the last call.
    pub(crate) fn count_new(&mut self, users: &Converter) {
        for u in users.listed_users_since(self.counted) {
            if u.id.is_none() {
                continue;
            }
            for g in u.group_ids {
                bump(&mut self.groups, g);
            }
            if let Some(r) = u.role_id {
                bump(&mut self.roles, r);
            }
        }
        self.counted = users.user_count();
    }
}

/// Adds one to `id`'s count, allocating only for an id not seen before
/// (this runs for every membership of every user).
fn bump(counts: &mut HashMap<String, u64>, id: &str) {
    match counts.get_mut(id) {
        Some(n) => *n += 1,
        None => {
            counts.insert(id.to_string(), 1);
        }
    }
}

/// Ids of groups whose `total_members` differs from the number of listed
/// users naming them in `group_ids` (or is unknown).
pub(crate) fn group_mismatches(counts: &MemberCounts, groups: &[Group]) -> Vec<String> {
    groups
        .iter()
        .filter(|g| g.total_members != Some(counts.groups.get(&g.id).copied().unwrap_or(0)))
        .map(|g| g.id.clone())
        .collect()
}

/// Ids of roles whose `total_members` differs from the number of listed
/// users with that `role_id` (or is unknown).
pub(crate) fn role_mismatches(counts: &MemberCounts, roles: &[Role]) -> Vec<String> {
    roles
        .iter()
        .filter(|r| r.total_members != Some(counts.roles.get(&r.id).copied().unwrap_or(0)))
        .map(|r| r.id.clone())
        .collect()
}

/// `fetch-group-members` for the given groups: every page of each. One
/// group's listing that cannot be read (a malformed body, a 5xx after the
/// client's retries) costs that group's membership only: it is named in
/// the outcome and keeps the members stored for it (see [`EarlierMembers`]).
pub(crate) async fn group_members(
    client: &ZoomClient,
    group_ids: &[String],
    earlier: Option<&EarlierMembers>,
    log: &StepLog,
) -> Result<Done<Vec<(String, Vec<GroupMember>)>>, StepError> {
    // Owned ids: a closure over borrowed ones makes the sync's future
    // unprovably `Send` (rust-lang/rust#64552), and the explorer runs it
    // as a task of its own.
    let stream = futures::stream::iter(group_ids.iter().cloned().map(|gid| async move {
        let res = client.list_group_members(&gid, &|_| {}).await;
        (gid, res)
    }))
    .buffer_unordered(MEMBER_CONCURRENCY);
    let (mut out, unread, skipped) =
        each_listing(stream, group_ids.len(), "group", names::GROUP_MEMBERS, log).await?;
    for (gid, ids) in kept(earlier, RelType::GroupHasUser, unread).await {
        out.push((gid, ids.into_iter().map(group_member).collect()));
    }
    let count = out.iter().map(|(_, m)| m.len()).sum();
    Ok(Done::new(out, count).with_skipped(skipped))
}

/// `fetch-role-members` for the given roles: every page of each, one
/// role's unreadable listing costing that role only (as for groups).
pub(crate) async fn role_members(
    client: &ZoomClient,
    role_ids: &[String],
    earlier: Option<&EarlierMembers>,
    log: &StepLog,
) -> Result<Done<Vec<(String, Vec<RoleMember>)>>, StepError> {
    // Owned ids, as in `group_members`.
    let stream = futures::stream::iter(role_ids.iter().cloned().map(|rid| async move {
        let res = client.list_role_members(&rid, &|_| {}).await;
        (rid, res)
    }))
    .buffer_unordered(MEMBER_CONCURRENCY);
    let (mut out, unread, skipped) =
        each_listing(stream, role_ids.len(), "role", names::ROLE_MEMBERS, log).await?;
    for (rid, ids) in kept(earlier, RelType::UserAssignedRole, unread).await {
        out.push((rid, ids.into_iter().map(role_member).collect()));
    }
    let count = out.iter().map(|(_, m)| m.len()).sum();
    Ok(Done::new(out, count).with_skipped(skipped))
}

/// `fetch-group-admins`: `GET /groups/{id}/admins` for every group (a
/// Medium page chain each; most groups have one page). Each group's admins
/// as e-mails (the endpoint names no user id); a group whose listing could
/// not be read keeps the admins stored for it, given as user ids (see
/// `convert/links.rs`).
pub(crate) async fn group_admins(
    client: &ZoomClient,
    groups: &[Group],
    earlier: Option<&EarlierMembers>,
    log: &StepLog,
) -> Result<Done<Vec<(String, Vec<String>)>>, StepError> {
    let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let stream = futures::stream::iter(ids.iter().cloned().map(|gid| async move {
        let res = client.list_group_admins(&gid).await;
        (gid, res)
    }))
    .buffer_unordered(MEMBER_CONCURRENCY);
    let (read, unread, skipped) =
        each_listing(stream, ids.len(), "group", names::GROUP_ADMINS, log).await?;
    let mut out: Vec<(String, Vec<String>)> = read
        .into_iter()
        .map(|(gid, admins)| (gid, admins.into_iter().map(|a| a.email).collect()))
        .collect();
    out.extend(kept(earlier, RelType::UserManagesGroup, unread).await);
    let count = out.iter().map(|(_, a)| a.len()).sum();
    Ok(Done::new(out, count).with_skipped(skipped))
}

/// What [`each_listing`] collected: the listings read, the ids whose
/// listing could not be read, and those named for the outcome.
type Listings<M> = (Vec<(String, Vec<M>)>, Vec<String>, ItemSkips);

/// Drains the member listings: a group or role gone since the listing is
/// left out, an error that holds for every listing (scope, plan,
/// credentials, daily limit) ends the step, any other error costs that
/// listing only. Not one listing readable is the step failing.
async fn each_listing<M>(
    mut stream: impl futures::Stream<Item = (String, Result<Vec<M>, ZoomError>)> + Unpin,
    total: usize,
    what: &str,
    step: &str,
    log: &StepLog,
) -> Result<Listings<M>, StepError> {
    let mut out = Vec::with_capacity(total);
    let mut unread = Vec::new();
    let mut skipped = ItemSkips::default();
    let mut first_failure = None;
    let mut seen = 0;
    while let Some((id, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(m) => out.push((id, m)),
            Err(e) if is_gone(&e) => {}
            Err(e) if holds_for_all(&e) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(%what, %id, error = %e, "member listing skipped");
                skipped.add(format_args!("{what} {id}"), &e);
                unread.push(id);
                first_failure.get_or_insert(e);
            }
        }
        log.progress(step, seen, Some(total as u64));
    }
    if out.is_empty()
        && let Some(e) = first_failure
    {
        return Err(e.into());
    }
    Ok((out, unread, skipped))
}

/// The members stored for the groups or roles whose listing could not be
/// read, read on a blocking thread (the store is SQLite). Nothing stored,
/// or no reader: nothing kept (the users' own `group_ids`/`role_id` still
/// link them).
async fn kept(
    earlier: Option<&EarlierMembers>,
    rel: RelType,
    unread: Vec<String>,
) -> Vec<(String, Vec<String>)> {
    let Some(earlier) = earlier.filter(|_| !unread.is_empty()).cloned() else {
        return Vec::new();
    };
    match tokio::task::spawn_blocking(move || earlier.read(rel, &unread)).await {
        Ok(m) => {
            let mut m: Vec<(String, Vec<String>)> = m.into_iter().collect();
            m.sort();
            m
        }
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Vec::new(),
    }
}

/// A stored member, as the member listing would have named it (only the id
/// is used to link it).
fn group_member(id: String) -> GroupMember {
    GroupMember {
        id,
        email: None,
        first_name: None,
        last_name: None,
        user_type: None,
        primary_group: None,
        raw: serde_json::Value::Null,
    }
}

fn role_member(id: String) -> RoleMember {
    RoleMember {
        id,
        email: None,
        first_name: None,
        last_name: None,
        user_type: None,
        department: None,
        raw: serde_json::Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sync::convert::{PreparedUser, prepare_user};
    use crate::zoom::{FromJson, User};

    fn user(v: serde_json::Value) -> PreparedUser {
        prepare_user(User::from_json(v).unwrap())
    }

    #[test]
    fn only_disagreeing_groups_and_roles_are_paged() {
        let mut b = Converter::new(None);
        let mut users = MemberCounts::default();
        b.prepared_users(vec![
            user(json!({"id": "u1", "email": "a@x.io", "group_ids": ["g1", "g2"], "role_id": "2"})),
            user(json!({"id": "u2", "email": "b@x.io", "group_ids": ["g1"], "role_id": "2"})),
        ]);
        users.count_new(&b);
        // A second batch: only its users are counted.
        b.prepared_users(vec![
            // listed twice (status changed during the sync): counted once
            user(json!({"id": "u2", "email": "b@x.io", "group_ids": ["g1"], "role_id": "2"})),
            // pending: not a member as far as the member endpoints go
            user(json!({"email": "p@x.io", "group_ids": ["g1"], "role_id": "2"})),
        ]);
        users.count_new(&b);
        let groups = vec![
            Group::from_json(json!({"id": "g1", "total_members": 2})).unwrap(),
            Group::from_json(json!({"id": "g2", "total_members": 5})).unwrap(),
            Group::from_json(json!({"id": "g3", "total_members": 0})).unwrap(),
            Group::from_json(json!({"id": "g4"})).unwrap(),
        ];
        assert_eq!(group_mismatches(&users, &groups), vec!["g2", "g4"]);
        let roles = vec![
            Role::from_json(json!({"id": "0", "total_members": 1})).unwrap(),
            Role::from_json(json!({"id": "2", "total_members": 2})).unwrap(),
        ];
        assert_eq!(role_mismatches(&users, &roles), vec!["0"]);
    }
}
