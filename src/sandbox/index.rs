//! Lookup structures over an [`OrgSnapshot`], rebuilt after each change, so
//! that every page is a slice of a pre-sorted vector.

use std::collections::HashMap;

use super::model::{OrgSnapshot, UserStatus};

/// The org plus its indexes. Positions are `u32` indexes into `org.users`.
#[derive(Debug)]
pub struct IndexedOrg {
    pub org: OrgSnapshot,
    /// Users per status (slot order: active, inactive, pending), in list order.
    pub by_status: [Vec<u32>; 3],
    pub by_id: HashMap<String, u32>,
    /// Lower-cased email.
    pub by_email: HashMap<String, u32>,
    /// Per group (same order as `org.groups`): members that have an id.
    pub group_members: Vec<Vec<u32>>,
    pub group_by_id: HashMap<String, usize>,
    /// Per role id: members that have an id.
    pub role_members: HashMap<String, Vec<u32>>,
}

impl IndexedOrg {
    pub fn new(org: OrgSnapshot) -> Self {
        let mut me = Self {
            org,
            by_status: [Vec::new(), Vec::new(), Vec::new()],
            by_id: HashMap::new(),
            by_email: HashMap::new(),
            group_members: Vec::new(),
            group_by_id: HashMap::new(),
            role_members: HashMap::new(),
        };
        me.reindex();
        me
    }

    /// Rebuilds every index from `org` (linear; called after mutations).
    pub fn reindex(&mut self) {
        let org = &self.org;
        let n = org.users.len();
        let mut by_status: [Vec<u32>; 3] = [
            Vec::with_capacity(n),
            Vec::with_capacity(n / 8),
            Vec::with_capacity(n / 16),
        ];
        let mut by_id = HashMap::with_capacity(n);
        let mut by_email = HashMap::with_capacity(n);
        let group_by_id: HashMap<String, usize> = org
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.clone(), i))
            .collect();
        let mut group_members = vec![Vec::new(); org.groups.len()];
        let mut role_members: HashMap<String, Vec<u32>> = org
            .roles
            .iter()
            .map(|r| (r.id.clone(), Vec::new()))
            .collect();
        for (i, u) in org.users.iter().enumerate() {
            let pos = i as u32;
            if let Some(v) = by_status.get_mut(u.status.slot()) {
                v.push(pos);
            }
            by_email.insert(u.email.to_lowercase(), pos);
            if let Some(id) = &u.id {
                by_id.insert(id.clone(), pos);
                for g in &u.group_ids {
                    if let Some(members) =
                        group_by_id.get(g).and_then(|k| group_members.get_mut(*k))
                    {
                        members.push(pos);
                    }
                }
                role_members.entry(u.role_id.clone()).or_default().push(pos);
            }
        }
        self.by_status = by_status;
        self.by_id = by_id;
        self.by_email = by_email;
        self.group_members = group_members;
        self.group_by_id = group_by_id;
        self.role_members = role_members;
    }

    pub fn status_list(&self, status: UserStatus) -> &[u32] {
        self.by_status
            .get(status.slot())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// A user by id, email (case-insensitive) or `me` (the owner).
    pub fn find_user(&self, key: &str) -> Option<u32> {
        if key == "me" {
            return self
                .org
                .users
                .iter()
                .position(|u| u.role_id == "0")
                .map(|p| p as u32);
        }
        if let Some(p) = self.by_id.get(key) {
            return Some(*p);
        }
        if key.contains('@') {
            return self.by_email.get(&key.to_lowercase()).copied();
        }
        None
    }

    pub fn role_member_count(&self, role_id: &str) -> usize {
        self.role_members.get(role_id).map_or(0, Vec::len)
    }
}
