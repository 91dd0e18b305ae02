//! Membership: derived for free from users' `group_ids` and `role_id`; the
//! member endpoints (Medium, one listing per group or role) are paged only
//! for the groups and roles whose `total_members` disagrees with that.

use std::collections::HashMap;

use futures::StreamExt;

use super::convert::Converter;
use super::listings::is_gone;
use super::step::{Done, StepError, StepLog, names};
use crate::zoom::{Group, GroupMember, Role, RoleMember, ZoomClient};

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

/// `fetch-group-members` for the given groups: every page of each.
pub(crate) async fn group_members(
    client: &ZoomClient,
    group_ids: &[String],
    log: &StepLog,
) -> Result<Done<Vec<(String, Vec<GroupMember>)>>, StepError> {
    let total = group_ids.len() as u64;
    // Owned ids: a closure over borrowed ones makes the sync's future
    // unprovably `Send` (rust-lang/rust#64552), and the explorer runs it
    // as a task of its own.
    let mut stream = futures::stream::iter(group_ids.iter().cloned().map(|gid| async move {
        let res = client.list_group_members(&gid, &|_| {}).await;
        (gid, res)
    }))
    .buffer_unordered(MEMBER_CONCURRENCY);
    let mut out = Vec::with_capacity(group_ids.len());
    let mut count = 0;
    let mut seen = 0;
    while let Some((gid, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(m) => {
                count += m.len();
                out.push((gid, m));
            }
            Err(e) if is_gone(&e) => {}
            Err(e) => return Err(e.into()),
        }
        log.progress(names::GROUP_MEMBERS, seen, Some(total));
    }
    Ok(Done::new(out, count))
}

/// `fetch-role-members` for the given roles: every page of each.
pub(crate) async fn role_members(
    client: &ZoomClient,
    role_ids: &[String],
    log: &StepLog,
) -> Result<Done<Vec<(String, Vec<RoleMember>)>>, StepError> {
    let total = role_ids.len() as u64;
    // Owned ids, as in `group_members`.
    let mut stream = futures::stream::iter(role_ids.iter().cloned().map(|rid| async move {
        let res = client.list_role_members(&rid, &|_| {}).await;
        (rid, res)
    }))
    .buffer_unordered(MEMBER_CONCURRENCY);
    let mut out = Vec::with_capacity(role_ids.len());
    let mut count = 0;
    let mut seen = 0;
    while let Some((rid, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(m) => {
                count += m.len();
                out.push((rid, m));
            }
            Err(e) if is_gone(&e) => {}
            Err(e) => return Err(e.into()),
        }
        log.progress(names::ROLE_MEMBERS, seen, Some(total));
    }
    Ok(Done::new(out, count))
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
