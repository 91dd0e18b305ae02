//! Builds the graph from Zoom API models, with JupiterOne's `_key`s, types,
//! classes and property names (integrations.md §2.9), plus what JupiterOne
//! leaves out (see the property lists on each `*_props` function).
//!
//! The builder never fails and never panics on odd data: anything it cannot
//! place (a duplicate user, a member who is not in the users list, a group id
//! no group has) becomes a warning in [`Built::warnings`].
//!
//! Memberships (decided here, documented for sync):
//! - `zoom_group_has_user` and `zoom_user_assigned_role` come from each
//!   user's `group_ids` and `role_id` (free: no extra calls).
//! - Where sync paged a group's or role's member endpoint (because
//!   [`membership_mismatches`] reported a disagreement), the member list is
//!   passed to [`GraphBuilder::group_members`] / [`GraphBuilder::role_members`]
//!   and is *added* to what the users say (union). A member whose id is not
//!   in the users list cannot be linked (there is no entity to link to; a
//!   stub would falsify the user list), so it is reported as a warning naming
//!   the group or role, the count and the first few ids — never dropped
//!   silently.
//!
//! Raw JSON: every entity's API object, redacted with
//! [`settings::redact`], is in [`Built::raw`] under its `_key`. A user's raw
//! object gets a `_settings` member holding the settings bodies when they
//! were fetched; the account's raw object is
//! `{"owner", "summary", "settings", "security_settings", "lock_settings",
//! "managed_domains"}`.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::settings::{self, flatten_sections};
use super::{Entity, EntityId, EntityType, FastMap, Graph, Interner, PropName, Props, RelType};
use crate::zoom::models::{
    Group, GroupMember, ManagedDomain, RawJson, Role, RoleDetail, RoleMember, Settings, User,
    UserStatus, UsersSummary,
};

/// Everything sync knows about the account itself.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub account_id: String,
    /// `GET /users/{owner}` (or `/users/me`) detail: account number, owner.
    pub owner: Option<User>,
    pub summary: Option<UsersSummary>,
    /// `GET /accounts/me/settings`.
    pub settings: Option<Settings>,
    /// `GET /accounts/me/settings?option=…` (security or meeting_security).
    pub security_settings: Option<Settings>,
    /// `GET /accounts/me/lock_settings`.
    pub lock_settings: Option<Settings>,
    pub managed_domains: Option<Vec<ManagedDomain>>,
}

/// The four `GET /users/{id}/settings` bodies of one user.
#[derive(Debug, Clone, Default)]
pub struct UserSettingsBundle {
    pub main: Option<Settings>,
    pub meeting_authentication: Option<Settings>,
    pub recording_authentication: Option<Settings>,
    pub meeting_security: Option<Settings>,
}

/// The builder's output.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub graph: Graph,
    /// `_key` → the entity's raw API JSON, redacted.
    pub raw: HashMap<String, String>,
    /// Things the builder could not place, one line each.
    pub warnings: Vec<String>,
}

/// Which kind of container a [`MembershipMismatch`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberOf {
    Group,
    Role,
}

/// A group or role whose `total_members` disagrees with the number of users
/// whose `group_ids` / `role_id` name it: sync should page its member
/// endpoint to the end and pass the list to the builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipMismatch {
    pub kind: MemberOf,
    pub id: String,
    pub total_members: u64,
    /// Members counted from the users list (each user once).
    pub derived: u64,
}

/// A user's `_key`: `zoom_user:<id>`, or for a pending user (no id)
/// `zoom_user:pending:<lower-cased, trimmed email>`.
pub fn user_key(u: &User) -> String {
    match u.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => format!("zoom_user:{id}"),
        None => format!("zoom_user:pending:{}", super::normalize_email(&u.email)),
    }
}

pub fn group_key(id: &str) -> String {
    format!("zoom_group:{id}")
}

pub fn role_key(id: &str) -> String {
    format!("zoom_role:{id}")
}

pub fn account_key(account_id: &str) -> String {
    format!("zoom_account:{account_id}")
}

/// Groups and roles whose `total_members` disagrees with the users list
/// (each distinct user counted once). Groups or roles without
/// `total_members` are not reported (nothing to compare).
pub fn membership_mismatches(
    users: &[User],
    groups: &[Group],
    roles: &[Role],
) -> Vec<MembershipMismatch> {
    let mut counts = MemberCounts::default();
    let mut seen = HashSet::new();
    for u in users {
        if seen.insert(user_key(u)) {
            counts.add(u);
        }
    }
    counts.mismatches(
        groups.iter().map(|g| (g.id.as_str(), g.total_members)),
        roles.iter().map(|r| (r.id.as_str(), r.total_members)),
    )
}

#[derive(Debug, Default)]
struct MemberCounts {
    groups: HashMap<String, u64>,
    roles: HashMap<String, u64>,
}

impl MemberCounts {
    fn add(&mut self, u: &User) {
        self.add_ids(&u.group_ids, u.role_id.as_deref());
    }

    /// One user's group ids (each counted once) and role id. Allocates
    /// only for an id not seen before: this runs for every user.
    fn add_ids(&mut self, group_ids: &[String], role_id: Option<&str>) {
        fn bump(m: &mut HashMap<String, u64>, id: &str) {
            match m.get_mut(id) {
                Some(n) => *n += 1,
                None => {
                    m.insert(id.to_string(), 1);
                }
            }
        }
        let mut gids: Vec<&str> = group_ids.iter().map(String::as_str).collect();
        gids.sort_unstable();
        gids.dedup();
        for g in gids {
            bump(&mut self.groups, g);
        }
        if let Some(r) = role_id.filter(|r| !r.is_empty()) {
            bump(&mut self.roles, r);
        }
    }

    fn mismatches<'a>(
        &self,
        groups: impl Iterator<Item = (&'a str, Option<u64>)>,
        roles: impl Iterator<Item = (&'a str, Option<u64>)>,
    ) -> Vec<MembershipMismatch> {
        let mut out = Vec::new();
        for (kind, items, counts) in [
            (MemberOf::Group, groups.collect::<Vec<_>>(), &self.groups),
            (MemberOf::Role, roles.collect::<Vec<_>>(), &self.roles),
        ] {
            for (id, total) in items {
                let Some(total) = total else { continue };
                let derived = counts.get(id).copied().unwrap_or(0);
                if derived != total {
                    out.push(MembershipMismatch {
                        kind,
                        id: id.to_string(),
                        total_members: total,
                        derived,
                    });
                }
            }
        }
        out
    }
}

/// Every property [`GraphBuilder`] sets on a `zoom_user` from the user
/// record itself. Anything else on a user is a flattened setting (the store
/// relies on this to carry settings forward when a sync did not fetch them).
pub const USER_BASE_PROPS: &[&str] = &[
    "active",
    "createdAt",
    "dept",
    "displayName",
    "email",
    "employeeUniqueId",
    "firstName",
    "groupIds",
    "id",
    "imGroupIds",
    "jobTitle",
    "language",
    "lastClientVersion",
    "lastLoginTime",
    "lastName",
    "location",
    "loginTypes",
    "name",
    "phoneNumber",
    "picUrl",
    "planUnitedType",
    "pmi",
    "roleId",
    "roleName",
    "status",
    "tag.AccountName",
    "timezone",
    "type",
    "userCreatedAt",
    "username",
    "verified",
];

/// Whether a `zoom_user` property is a flattened setting (not a base property).
pub fn is_user_setting_prop(name: &str) -> bool {
    USER_BASE_PROPS.binary_search(&name).is_err()
}

/// How many ids a membership warning lists before "…".
const WARN_SAMPLE: usize = 5;

/// Builds a [`Graph`] from API models. Calls may come in any order and
/// `users` may be called once per page; relationships are made in
/// [`GraphBuilder::finish`].
#[derive(Debug, Default, Clone)]
pub struct GraphBuilder {
    account_name: Option<String>,
    names: Interner,
    graph: Graph,
    raw: HashMap<String, String>,
    warnings: Vec<String>,
    account_key: Option<String>,
    /// Per user entity: its group ids and role id, for relationships.
    user_links: Vec<(EntityId, Vec<String>, Option<String>)>,
    duplicate_users: usize,
    /// `total_members` per group / role id, for mismatches.
    group_totals: Vec<(String, Option<u64>)>,
    role_totals: Vec<(String, Option<u64>)>,
    groups_given: bool,
    roles_given: bool,
    role_names: HashMap<String, String>,
    /// [`Self::role_names`]: names applied as users are inserted.
    early_role_names: HashMap<String, String>,
    /// Users' own `roleName` that an early name replaced (by entity id,
    /// ascending), to put back if `roles` names that role differently.
    own_role_names: Vec<(EntityId, Value)>,
    group_members: Vec<(String, Vec<GroupMember>)>,
    role_members: Vec<(String, Vec<RoleMember>)>,
    user_settings: Vec<PendingSettings>,
}

/// One user's flattened settings and redacted bodies, applied in `finish`.
#[derive(Debug, Clone)]
struct PendingSettings {
    user_key: String,
    flat: Vec<(String, Value)>,
    raw: Value,
}

impl GraphBuilder {
    /// `account_name`: the profile's `account_name`, set as `tag.AccountName`
    /// on every entity (and as the account's `name`).
    pub fn new(account_name: Option<&str>) -> Self {
        GraphBuilder {
            account_name: account_name
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            ..Default::default()
        }
    }

    fn warn(&mut self, msg: impl Into<String>) {
        self.warnings.push(msg.into());
    }

    /// Adds an entity with its raw JSON; a duplicate key becomes a warning.
    fn add(&mut self, etype: EntityType, key: String, mut props: Props, raw: &Value) {
        if let Some(tag) = &self.account_name {
            props.insert(
                self.names.intern("tag.AccountName"),
                Value::from(tag.as_str()),
            );
        }
        let entity = Entity { key, etype, props };
        let key = entity.key.clone();
        match self.graph.add_entity(entity) {
            Ok(_) => {
                let mut raw = raw.clone();
                settings::redact(&mut raw);
                self.raw.insert(key, raw.to_string());
            }
            Err(e) => self.warn(format!("{etype} not added: {e}")),
        }
    }

    /// The account entity: `id`/`accountId` (the account id — not a user id,
    /// unlike JupiterOne), `accountNumber`, `name`/`displayName` (the
    /// profile's account name, else the account number, else the id),
    /// `ownerId`, `ownerEmail`, `ownerName`, users-summary counts
    /// (`licensedUsersCount`, …), account settings flattened by section
    /// (`inMeetingE2eEncryption`, `securitySignInWithTwoFactorAuth`, …),
    /// security settings likewise (an unwrapped body gets the `security`
    /// prefix), lock settings with the `lockSettings` prefix
    /// (`lockSettingsScheduleMeetingJoinBeforeHost`), and `managedDomains`
    /// (domain names) with `managedDomainsStatus` (parallel statuses).
    pub fn account(&mut self, a: AccountInput) {
        let id = a.account_id.trim().to_string();
        if id.is_empty() {
            self.warn("account not added: empty account id");
            return;
        }
        let mut flat: Vec<(String, Value)> = Vec::new();
        let mut raw = serde_json::Map::new();
        if let Some(s) = &a.settings {
            flat.extend(flatten_sections(&s.raw, ""));
            raw.insert("settings".into(), s.raw.clone());
        }
        if let Some(s) = &a.security_settings {
            let sectioned = s
                .raw
                .as_object()
                .is_some_and(|m| !m.is_empty() && m.values().all(Value::is_object));
            flat.extend(flatten_sections(
                &s.raw,
                if sectioned { "" } else { "security" },
            ));
            raw.insert("security_settings".into(), s.raw.clone());
        }
        if let Some(s) = &a.lock_settings {
            flat.extend(flatten_sections(&s.raw, "lockSettings"));
            raw.insert("lock_settings".into(), s.raw.clone());
        }
        if let Some(s) = &a.summary {
            flat.extend(flatten_sections(&s.raw, ""));
            raw.insert("summary".into(), s.raw.clone());
        }
        if let Some(d) = &a.managed_domains {
            flat.push((
                "managedDomains".into(),
                Value::Array(d.iter().map(|d| Value::from(d.domain.as_str())).collect()),
            ));
            flat.push((
                "managedDomainsStatus".into(),
                Value::Array(
                    d.iter()
                        .map(|d| d.status.as_deref().map(Value::from).unwrap_or(Value::Null))
                        .collect(),
                ),
            ));
            raw.insert(
                "managed_domains".into(),
                Value::Array(d.iter().map(|d| d.raw.clone()).collect()),
            );
        }
        let mut base: Vec<(&str, Value)> =
            vec![("id", id.clone().into()), ("accountId", id.clone().into())];
        let number = a.owner.as_ref().and_then(|o| o.account_number);
        if let Some(n) = number {
            base.push(("accountNumber", n.into()));
        }
        let name = self
            .account_name
            .clone()
            .or_else(|| number.map(|n| n.to_string()))
            .unwrap_or_else(|| id.clone());
        base.push(("name", name.clone().into()));
        base.push(("displayName", name.into()));
        if let Some(o) = &a.owner {
            if let Some(oid) = &o.id {
                base.push(("ownerId", oid.as_str().into()));
            }
            base.push(("ownerEmail", o.email.as_str().into()));
            if let Some(n) = person_name(o) {
                base.push(("ownerName", n.into()));
            }
            raw.insert("owner".into(), o.raw.to_value());
        }
        let mut props = Props::with_capacity(flat.len() + base.len() + 1);
        let base_names: HashSet<&str> = base.iter().map(|(k, _)| *k).collect();
        let mut collisions = Vec::new();
        for (k, v) in flat {
            if base_names.contains(k.as_str()) {
                collisions.push(k);
                continue;
            }
            props.insert(self.names.intern(&k), v);
        }
        if !collisions.is_empty() {
            self.warn(format!(
                "account settings keys {} collide with account properties and were left out",
                collisions.join(", ")
            ));
        }
        for (k, v) in base {
            props.insert(self.names.intern(k), v);
        }
        let key = account_key(&id);
        self.account_key = Some(key.clone());
        self.add(EntityType::Account, key, props, &Value::Object(raw));
    }

    /// Users of any status. A user whose `_key` was already added is skipped
    /// (counted in one warning). Properties: JupiterOne's `username` (email),
    /// `name`, `firstName`, `lastName`, `email`, `type`, `pmi`, `timezone`,
    /// `verified`, `createdAt`, `lastLoginTime`, `lastClientVersion`,
    /// `picUrl`, `language`, `phoneNumber`, `status`, `active`
    /// (status == "active"), `roleId`, `dept`, `groupIds`, `id`; and
    /// `displayName`, `userCreatedAt`, `roleName` (from the role, else the
    /// user's own `role_name`), `employeeUniqueId`, `loginTypes`,
    /// `planUnitedType`, `jobTitle`, `location`, `imGroupIds`.
    pub fn users(&mut self, users: Vec<User>) {
        self.prepared_users(users.into_iter().map(prepare_user).collect());
    }

    /// As [`Self::users`], for users already converted by [`prepare_user`]
    /// (sync converts each page while later pages are still in flight, so
    /// only this cheap insertion is left for the end).
    pub fn prepared_users(&mut self, users: Vec<PreparedUser>) {
        self.raw.reserve(users.len());
        self.user_links.reserve(users.len());
        let tag = self
            .account_name
            .clone()
            .map(|t| (self.names.intern("tag.AccountName"), Value::from(t)));
        let role_name = self.names.intern("roleName");
        for u in users {
            if u.key == "zoom_user:pending:" {
                self.warn("user without id or email skipped");
                continue;
            }
            let PreparedUser {
                key,
                mut props,
                raw,
                group_ids,
                role_id,
                ..
            } = u;
            let role_id = role_id.filter(|r| !r.is_empty());
            // The role's name when the roles are known already (see
            // `role_names`); `apply_role_names` covers the other order.
            let early = role_id.as_ref().and_then(|r| self.early_role_names.get(r));
            let mut own = None;
            if let Some(n) = early {
                own = props.get("roleName").cloned();
                props.insert(role_name.clone(), Value::from(n.as_str()));
            }
            if let Some((name, value)) = &tag {
                props.insert(name.clone(), value.clone());
            }
            let entity = Entity {
                key,
                etype: EntityType::User,
                props,
            };
            match self.graph.add_entity(entity) {
                Ok(id) => {
                    self.raw.insert(self.graph.entity(id).key.clone(), raw);
                    if let Some(own) = own {
                        self.own_role_names.push((id, own));
                    }
                    self.user_links.push((id, group_ids, role_id));
                }
                // The key is taken: the same user listed twice (a status
                // change during the listing); the first is kept.
                Err(super::GraphError::DuplicateKey(_)) => self.duplicate_users += 1,
                Err(e) => self.warn(format!("{} not added: {e}", EntityType::User)),
            }
        }
    }

    /// The users added so far, each once (a user listed twice is kept
    /// once): Zoom id (none for pending users), `group_ids` and `role_id`.
    pub fn listed_users(&self) -> impl Iterator<Item = ListedUser<'_>> {
        self.listed_users_since(0)
    }

    /// As [`Self::listed_users`], from the `start`th user added on (for
    /// callers that look at each batch of users once).
    pub fn listed_users_since(&self, start: usize) -> impl Iterator<Item = ListedUser<'_>> {
        let links = self.user_links.get(start..).unwrap_or(&[]);
        links.iter().map(|(id, group_ids, role_id)| ListedUser {
            id: self.graph.entity(*id).props.str("id"),
            group_ids,
            role_id: role_id.as_deref(),
        })
    }

    /// How many users were added.
    pub fn user_count(&self) -> usize {
        self.user_links.len()
    }

    /// Groups: `id`, `name`, `displayName`, `totalMembers`,
    /// `directoryPrivacy`, `inDirectory`.
    pub fn groups(&mut self, groups: Vec<Group>) {
        self.groups_given = true;
        for g in groups {
            if g.id.trim().is_empty() {
                self.warn("group without id skipped");
                continue;
            }
            let mut p: Vec<(&str, Value)> = vec![("id", g.id.as_str().into())];
            if let Some(n) = &g.name {
                p.push(("name", n.as_str().into()));
                p.push(("displayName", n.as_str().into()));
            } else {
                p.push(("displayName", g.id.as_str().into()));
            }
            if let Some(t) = g.total_members {
                p.push(("totalMembers", t.into()));
            }
            if let Some(d) = g.directory_privacy {
                p.push(("directoryPrivacy", d.into()));
            }
            if let Some(d) = g.in_directory {
                p.push(("inDirectory", d.into()));
            }
            let mut props = Props::with_capacity(p.len() + 1);
            for (k, v) in p {
                props.insert(self.names.intern(k), v);
            }
            self.group_totals.push((g.id.clone(), g.total_members));
            self.add(EntityType::Group, group_key(&g.id), props, &g.raw);
        }
    }

    /// The roles' names, ahead of [`Self::roles`], so that users get
    /// `roleName` as they are inserted instead of in a second pass over
    /// every user at the end. Call it once. Only a shortcut: [`Self::roles`]
    /// decides the names, and `finish` corrects any user whose early name
    /// differs.
    pub fn role_names(&mut self, roles: &[Role], details: &[RoleDetail]) {
        // The names exactly as `roles` derives them: a detail per id (the
        // last wins), the list's name else the detail's, then roles that
        // only a detail names, blank ids left out, later entries winning.
        let mut by_id: HashMap<&str, &RoleDetail> =
            details.iter().map(|d| (d.id.as_str(), d)).collect();
        let mut named: Vec<(&str, Option<&str>)> = Vec::with_capacity(roles.len());
        for r in roles {
            let d = by_id.remove(r.id.as_str());
            named.push((
                r.id.as_str(),
                r.name.as_deref().or(d.and_then(|d| d.name.as_deref())),
            ));
        }
        let mut orphans: Vec<&RoleDetail> = by_id.into_values().collect();
        orphans.sort_by(|a, b| a.id.cmp(&b.id));
        named.extend(orphans.iter().map(|d| (d.id.as_str(), d.name.as_deref())));
        for (id, name) in named {
            if let Some(n) = name
                && !id.trim().is_empty()
            {
                self.early_role_names.insert(id.to_string(), n.to_string());
            }
        }
        // Users added before the names were known get them now, as if
        // they had been added after (sync hands the names over while the
        // users are still arriving).
        let role_name = self.names.intern("roleName");
        for (id, _, role) in &self.user_links {
            let Some(n) = role.as_ref().and_then(|r| self.early_role_names.get(r)) else {
                continue;
            };
            let mut own = None;
            self.graph.update_props(*id, |p| {
                own = p.get("roleName").cloned();
                p.insert(role_name.clone(), Value::from(n.as_str()));
            });
            if let Some(own) = own {
                self.own_role_names.push((*id, own));
            }
        }
    }

    /// Roles: `id`, `name`, `displayName`, `description`, `totalMembers`,
    /// `admin` (name is Owner or Admin, as JupiterOne), `roleType` (`type`),
    /// `privileges` (from the role's detail, when fetched). A detail whose
    /// role is not in `roles` still makes a role entity.
    pub fn roles(&mut self, roles: Vec<Role>, details: Vec<RoleDetail>) {
        self.roles_given = true;
        let mut details: HashMap<String, RoleDetail> =
            details.into_iter().map(|d| (d.id.clone(), d)).collect();
        let mut all: Vec<(Role, Option<RoleDetail>)> = roles
            .into_iter()
            .map(|r| {
                let d = details.remove(&r.id);
                (r, d)
            })
            .collect();
        let mut orphans: Vec<RoleDetail> = details.into_values().collect();
        orphans.sort_by(|a, b| a.id.cmp(&b.id));
        for d in orphans {
            let r = Role {
                id: d.id.clone(),
                name: d.name.clone(),
                description: d.description.clone(),
                role_type: d.role_type.clone(),
                total_members: d.total_members,
                raw: Value::Null,
            };
            all.push((r, Some(d)));
        }
        for (r, d) in all {
            if r.id.trim().is_empty() {
                self.warn("role without id skipped");
                continue;
            }
            let name = r
                .name
                .clone()
                .or_else(|| d.as_ref().and_then(|d| d.name.clone()));
            let mut p: Vec<(&str, Value)> = vec![("id", r.id.as_str().into())];
            if let Some(n) = &name {
                p.push(("name", n.as_str().into()));
                p.push(("displayName", n.as_str().into()));
                self.role_names.insert(r.id.clone(), n.clone());
            } else {
                p.push(("displayName", r.id.as_str().into()));
            }
            let admin = matches!(name.as_deref(), Some("Owner" | "Admin"));
            p.push(("admin", admin.into()));
            let description = r
                .description
                .clone()
                .or_else(|| d.as_ref().and_then(|d| d.description.clone()));
            if let Some(s) = description {
                p.push(("description", s.into()));
            }
            let role_type = r
                .role_type
                .clone()
                .or_else(|| d.as_ref().and_then(|d| d.role_type.clone()));
            if let Some(s) = role_type {
                p.push(("roleType", s.into()));
            }
            let total = r.total_members.or(d.as_ref().and_then(|d| d.total_members));
            if let Some(t) = total {
                p.push(("totalMembers", t.into()));
            }
            if let Some(d) = &d {
                p.push((
                    "privileges",
                    Value::Array(
                        d.privileges
                            .iter()
                            .map(|s| Value::from(s.as_str()))
                            .collect(),
                    ),
                ));
            }
            let mut props = Props::with_capacity(p.len() + 1);
            for (k, v) in p {
                props.insert(self.names.intern(k), v);
            }
            // Raw: the detail (it has everything the list item has, and more).
            let raw = match &d {
                Some(d) if !d.raw.is_null() => d.raw.clone(),
                _ => r.raw.clone(),
            };
            self.role_totals.push((r.id.clone(), total));
            self.add(EntityType::Role, role_key(&r.id), props, &raw);
        }
    }

    /// A group's member list, paged to the end: authoritative for that group
    /// (added to the memberships the users' `group_ids` give).
    pub fn group_members(&mut self, group_id: &str, members: Vec<GroupMember>) {
        self.group_members.push((group_id.to_string(), members));
    }

    /// A role's member list, paged to the end (see [`Self::group_members`]).
    pub fn role_members(&mut self, role_id: &str, members: Vec<RoleMember>) {
        self.role_members.push((role_id.to_string(), members));
    }

    /// One user's settings, flattened onto the user (Appendix A names plus
    /// newer keys); the redacted bodies go into the user's raw JSON under
    /// `_settings`. `user_key` is the entity's `_key`.
    pub fn user_settings(&mut self, user_key: &str, s: &UserSettingsBundle) {
        let flat = settings::flatten_user_settings(s);
        let raw = settings::bundle_raw(s);
        self.user_settings.push(PendingSettings {
            user_key: user_key.to_string(),
            flat,
            raw,
        });
    }

    /// Groups and roles whose `total_members` disagrees with the users
    /// passed so far (call after `users`, `groups` and `roles`).
    pub fn membership_mismatches(&self) -> Vec<MembershipMismatch> {
        // Counted here from the links rather than per user as users arrive:
        // sync never asks (it decides from the lists), so the 100,000-user
        // insert loop does not pay for it.
        let mut counts = MemberCounts::default();
        for (_, gids, role) in &self.user_links {
            counts.add_ids(gids, role.as_deref());
        }
        counts.mismatches(
            self.group_totals.iter().map(|(id, t)| (id.as_str(), *t)),
            self.role_totals.iter().map(|(id, t)| (id.as_str(), *t)),
        )
    }

    /// Makes the relationships and returns the graph, raw JSON and warnings.
    pub fn finish(mut self) -> Built {
        if self.duplicate_users > 0 {
            let n = self.duplicate_users;
            self.warn(format!(
                "{n} duplicate user record(s) skipped (kept the first)"
            ));
        }
        self.apply_role_names();
        self.apply_user_settings();
        // Account → every entity, plus each user's groups and role.
        let from_users: usize = self
            .user_links
            .iter()
            .map(|(_, g, r)| g.len() + usize::from(r.is_some()))
            .sum();
        self.graph
            .reserve_relationships(self.graph.entity_count() + from_users);
        self.link_account();
        self.link_users();
        self.link_members();
        Built {
            graph: self.graph,
            raw: self.raw,
            warnings: self.warnings,
        }
    }

    fn apply_role_names(&mut self) {
        let role_name = self.names.intern("roleName");
        for (id, _, role) in &self.user_links {
            let Some(role) = role else { continue };
            let early = self.early_role_names.get(role);
            let fin = self.role_names.get(role);
            if early.is_some() && early != fin {
                // An early name `roles` did not confirm: back to the user's own.
                let own = self
                    .own_role_names
                    .binary_search_by_key(id, |(i, _)| *i)
                    .ok()
                    .and_then(|i| self.own_role_names.get(i))
                    .map(|(_, v)| v.clone());
                self.graph.update_props(*id, |p| match own {
                    Some(v) => p.insert(role_name.clone(), v),
                    None => {
                        p.remove("roleName");
                    }
                });
            }
            if let Some(n) = fin {
                if early == Some(n) {
                    continue; // set on insertion
                }
                let v = Value::from(n.as_str());
                self.graph
                    .update_props(*id, |p| p.insert(role_name.clone(), v));
            }
        }
    }

    fn apply_user_settings(&mut self) {
        let items = std::mem::take(&mut self.user_settings);
        let mut unknown = Vec::new();
        for PendingSettings {
            user_key: key,
            flat,
            raw,
        } in items
        {
            let Some(id) = self.graph.id_of(&key) else {
                unknown.push(key);
                continue;
            };
            let base: HashSet<String> = self
                .graph
                .entity(id)
                .props
                .iter()
                .map(|(k, _)| k.to_string())
                .collect();
            let names: Vec<_> = flat
                .into_iter()
                .filter(|(k, _)| !base.contains(k))
                .map(|(k, v)| (self.names.intern(&k), v))
                .collect();
            self.graph.update_props(id, |p| {
                for (k, v) in names {
                    p.insert(k, v);
                }
            });
            if let Some(r) = self.raw.get_mut(&key)
                && let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(r)
            {
                m.insert("_settings".into(), raw);
                *r = Value::Object(m).to_string();
            }
        }
        if !unknown.is_empty() {
            self.warn(sample_warning(
                "settings for users not in the users list were left out",
                &unknown,
            ));
        }
    }

    fn link_account(&mut self) {
        let Some(acct) = self.account_key.clone() else {
            self.warn("no account entity: zoom_account_has_* relationships not built");
            return;
        };
        let Some(acct_id) = self.graph.id_of(&acct) else {
            return;
        };
        for (rtype, etype) in [
            (RelType::AccountHasUser, EntityType::User),
            (RelType::AccountHasGroup, EntityType::Group),
            (RelType::AccountHasRole, EntityType::Role),
        ] {
            let targets: Vec<EntityId> = self.graph.of_type(etype).to_vec();
            for t in targets {
                // Endpoint types are right by construction; an error here
                // would be a bug, reported rather than panicking.
                if let Err(e) = self
                    .graph
                    .add_relationship_ids(rtype, acct_id, t, Props::new())
                {
                    self.warnings.push(e.to_string());
                }
            }
        }
    }

    fn link_users(&mut self) {
        let links = std::mem::take(&mut self.user_links);
        let mut missing_groups: HashMap<String, usize> = HashMap::new();
        let mut missing_roles: HashMap<String, usize> = HashMap::new();
        // Same answers as `id_of(&group_key(g))`, without formatting a key
        // for each of ~300,000 memberships.
        let groups = self.ids_by_suffix(EntityType::Group);
        let roles = self.ids_by_suffix(EntityType::Role);
        for (uid, gids, role) in &links {
            for g in gids {
                match groups.get(g.as_str()).copied() {
                    Some(gid) => {
                        if let Err(e) = self.graph.add_relationship_ids(
                            RelType::GroupHasUser,
                            gid,
                            *uid,
                            Props::new(),
                        ) {
                            self.warnings.push(e.to_string());
                        }
                    }
                    None => *missing_groups.entry(g.clone()).or_default() += 1,
                }
            }
            if let Some(r) = role {
                match roles.get(r.as_str()).copied() {
                    Some(rid) => {
                        if let Err(e) = self.graph.add_relationship_ids(
                            RelType::UserAssignedRole,
                            *uid,
                            rid,
                            Props::new(),
                        ) {
                            self.warnings.push(e.to_string());
                        }
                    }
                    None => *missing_roles.entry(r.clone()).or_default() += 1,
                }
            }
        }
        // Without a groups (roles) list at all, every id would be "missing":
        // one line says so instead of thousands.
        for (given, missing, what) in [
            (self.groups_given, missing_groups, "group"),
            (self.roles_given, missing_roles, "role"),
        ] {
            if missing.is_empty() {
                continue;
            }
            if !given {
                self.warnings.push(format!(
                    "no {what}s list: user-{what} relationships not built"
                ));
                continue;
            }
            let mut ids: Vec<String> = missing
                .into_iter()
                .map(|(id, n)| format!("{id} ({n} users)"))
                .collect();
            ids.sort();
            self.warnings.push(sample_warning(
                &format!("users name {what} ids that are not in the {what}s list"),
                &ids,
            ));
        }
    }

    /// Entities of one type by their `_key` without the type's prefix
    /// (`zoom_group:<id>` → `<id>`).
    fn ids_by_suffix(&self, etype: EntityType) -> FastMap<String, EntityId> {
        let ids = self.graph.of_type(etype);
        let mut m = FastMap::with_capacity_and_hasher(ids.len(), Default::default());
        for &id in ids {
            if let Some(rest) = self.graph.entity(id).key.strip_prefix(etype.key_prefix()) {
                m.insert(rest.to_string(), id);
            }
        }
        m
    }

    fn link_members(&mut self) {
        let groups = std::mem::take(&mut self.group_members);
        for (gid, members) in groups {
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            self.link_member_list(RelType::GroupHasUser, &group_key(&gid), &ids, "group", &gid);
        }
        let roles = std::mem::take(&mut self.role_members);
        for (rid, members) in roles {
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            self.link_member_list(
                RelType::UserAssignedRole,
                &role_key(&rid),
                &ids,
                "role",
                &rid,
            );
        }
    }

    fn link_member_list(
        &mut self,
        rtype: RelType,
        container: &str,
        member_ids: &[&str],
        what: &str,
        id: &str,
    ) {
        let Some(cid) = self.graph.id_of(container) else {
            self.warnings.push(format!(
                "members of {what} {id} given, but {what} {id} is not in the {what}s list"
            ));
            return;
        };
        let mut missing = Vec::new();
        for m in member_ids {
            let Some(uid) = self.graph.id_of(&format!("zoom_user:{m}")) else {
                missing.push(m.to_string());
                continue;
            };
            let (from, to) = match rtype {
                RelType::UserAssignedRole => (uid, cid),
                _ => (cid, uid),
            };
            if let Err(e) = self
                .graph
                .add_relationship_ids(rtype, from, to, Props::new())
            {
                self.warnings.push(e.to_string());
            }
        }
        if !missing.is_empty() {
            self.warnings.push(sample_warning(
                &format!("{what} {id} lists members who are not in the users list (not linked)"),
                &missing,
            ));
        }
    }
}

/// A user as [`GraphBuilder::listed_users`] gives it.
#[derive(Debug, Clone, Copy)]
pub struct ListedUser<'a> {
    pub id: Option<&'a str>,
    pub group_ids: &'a [String],
    pub role_id: Option<&'a str>,
}

/// A user converted to its entity, ready for [`GraphBuilder::prepared_users`].
/// Everything costly per user (properties, the redacted raw JSON) is done
/// here, by [`prepare_user`], which needs no builder and runs on any thread.
#[derive(Debug, Clone)]
pub struct PreparedUser {
    key: String,
    /// The base properties, without `tag.AccountName` (the builder adds it).
    props: Props,
    /// The redacted raw API object.
    raw: String,
    id: Option<String>,
    group_ids: Vec<String>,
    role_id: Option<String>,
}

impl PreparedUser {
    /// The user's `_key` (see [`user_key`]).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Zoom's user id (absent for pending users).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `group_ids` as listed.
    pub fn group_ids(&self) -> &[String] {
        &self.group_ids
    }

    /// `role_id` as listed.
    pub fn role_id(&self) -> Option<&str> {
        self.role_id.as_deref()
    }
}

/// Whether two strings are equal, usable in a `const` context.
const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The slot of a base property in [`USER_BASE_PROPS`] (checked at compile
/// time: a name missing from the list does not compile).
const fn slot(name: &str) -> usize {
    let mut i = 0;
    while i < USER_BASE_PROPS.len() {
        if const_str_eq(USER_BASE_PROPS[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not in USER_BASE_PROPS")
}

const N_USER_PROPS: usize = USER_BASE_PROPS.len();

/// [`USER_BASE_PROPS`] as shared names, allocated once per process: every
/// user's properties point at these instead of looking names up.
static USER_PROP_NAMES: std::sync::LazyLock<Vec<PropName>> =
    std::sync::LazyLock::new(|| USER_BASE_PROPS.iter().map(|s| PropName::from(*s)).collect());

/// Converts one user to its entity parts: `_key`, the properties listed on
/// [`GraphBuilder::users`] (without `roleName` from the role and
/// `tag.AccountName`, which the builder applies), the redacted raw JSON,
/// and what relationships need. Takes the user by value so no string or
/// JSON tree is copied.
pub fn prepare_user(mut u: User) -> PreparedUser {
    let key = user_key(&u);
    let mut slots: [Option<Value>; N_USER_PROPS] = [const { None }; N_USER_PROPS];
    let mut set = |name: usize, v: Value| {
        if let Some(s) = slots.get_mut(name) {
            *s = Some(v);
        }
    };
    // JupiterOne: name = first + " " + last. Pending invites often have
    // neither, so fall back to the display name, then the e-mail.
    let display_name = u.display_name.take().filter(|s| !s.trim().is_empty());
    let name = person_name(&u)
        .or_else(|| display_name.clone())
        .unwrap_or_else(|| u.email.clone());
    let display = display_name.unwrap_or_else(|| name.clone());
    set(slot("username"), Value::from(u.email.clone()));
    set(slot("name"), Value::from(name));
    set(slot("displayName"), Value::from(display));
    let moved = |v: &mut Option<String>| v.take().map(Value::from);
    let opt = [
        (slot("firstName"), moved(&mut u.first_name)),
        (slot("lastName"), moved(&mut u.last_name)),
        (slot("timezone"), moved(&mut u.timezone)),
        (slot("createdAt"), moved(&mut u.created_at)),
        (slot("userCreatedAt"), moved(&mut u.user_created_at)),
        (slot("lastLoginTime"), moved(&mut u.last_login_time)),
        (slot("lastClientVersion"), moved(&mut u.last_client_version)),
        (slot("picUrl"), moved(&mut u.pic_url)),
        (slot("language"), moved(&mut u.language)),
        (slot("phoneNumber"), moved(&mut u.phone_number)),
        (slot("roleName"), moved(&mut u.role_name)),
        (slot("dept"), moved(&mut u.dept)),
        (slot("employeeUniqueId"), moved(&mut u.employee_unique_id)),
        (slot("planUnitedType"), moved(&mut u.plan_united_type)),
        (slot("jobTitle"), moved(&mut u.job_title)),
        (slot("location"), moved(&mut u.location)),
        (slot("id"), u.id.as_deref().map(Value::from)),
        (slot("roleId"), u.role_id.as_deref().map(Value::from)),
        (slot("type"), u.user_type.map(|t| Value::from(t.code()))),
        (slot("pmi"), u.pmi.map(Value::from)),
        (slot("verified"), u.verified.map(Value::from)),
    ];
    for (name, v) in opt {
        if let Some(v) = v {
            set(name, v);
        }
    }
    let status = u.status.as_ref().map(UserStatus::as_str);
    if let Some(s) = status {
        set(slot("status"), Value::from(s));
    }
    set(slot("active"), Value::from(status == Some("active")));
    set(
        slot("groupIds"),
        Value::Array(
            u.group_ids
                .iter()
                .map(|g| Value::from(g.as_str()))
                .collect(),
        ),
    );
    if !u.im_group_ids.is_empty() {
        let ids = std::mem::take(&mut u.im_group_ids);
        set(
            slot("imGroupIds"),
            Value::Array(ids.into_iter().map(Value::from).collect()),
        );
    }
    if !u.login_types.is_empty() {
        set(
            slot("loginTypes"),
            Value::Array(u.login_types.iter().map(|t| Value::from(*t)).collect()),
        );
    }
    set(slot("email"), Value::from(std::mem::take(&mut u.email)));
    // Slots are in sorted name order, so each insert lands at the end.
    let filled = slots.iter().filter(|s| s.is_some()).count();
    let mut props = Props::with_capacity(filled + 1);
    for (name, v) in USER_PROP_NAMES.iter().zip(slots) {
        if let Some(v) = v {
            props.insert(name.clone(), v);
        }
    }
    let raw = match std::mem::take(&mut u.raw) {
        RawJson::Text(text) => settings::redact_text(&text),
        RawJson::Tree(mut raw) => {
            settings::redact(&mut raw);
            raw.to_string()
        }
    };
    PreparedUser {
        key,
        props,
        raw,
        id: u.id,
        group_ids: u.group_ids,
        role_id: u.role_id,
    }
}

/// `first last`, trimmed; None when both are empty.
fn person_name(u: &User) -> Option<String> {
    let n = format!(
        "{} {}",
        u.first_name.as_deref().unwrap_or("").trim(),
        u.last_name.as_deref().unwrap_or("").trim()
    );
    let n = n.trim();
    (!n.is_empty()).then(|| n.to_string())
}

/// `"<what>: <count>: a, b, c, …"`.
fn sample_warning(what: &str, items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(WARN_SAMPLE).map(String::as_str).collect();
    let more = if items.len() > WARN_SAMPLE {
        ", …"
    } else {
        ""
    };
    format!("{what}: {}: {}{more}", items.len(), shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::RelClass;
    use crate::graph::settings::REDACTED;
    use crate::zoom::models::UserType;
    use serde_json::json;

    fn user(id: Option<&str>, email: &str, status: &str, groups: &[&str], role: &str) -> User {
        let mut raw = json!({"email": email, "status": status, "group_ids": groups, "role_id": role,
            "host_key": "HK-993311",
            "personal_meeting_url": "https://zoom.us/j/1?pwd=PWD-SECRET-77"});
        if let Some(id) = id {
            raw["id"] = json!(id);
        }
        User {
            id: id.map(str::to_string),
            email: email.to_string(),
            first_name: Some("Jill".into()),
            last_name: Some("Chill".into()),
            display_name: Some("Jill C.".into()),
            user_type: Some(UserType::Licensed),
            status: Some(UserStatus::parse(status)),
            role_id: Some(role.to_string()),
            role_name: None,
            dept: Some("Eng".into()),
            group_ids: groups.iter().map(|g| g.to_string()).collect(),
            im_group_ids: vec![],
            pmi: Some(4440405982),
            timezone: Some("Europe/Paris".into()),
            verified: Some(1),
            created_at: Some("2021-10-27T00:00:49Z".into()),
            user_created_at: Some("2021-10-26T00:00:49Z".into()),
            last_login_time: Some("2023-02-09T16:15:45Z".into()),
            last_client_version: Some("5.13.0".into()),
            pic_url: None,
            language: Some("en-US".into()),
            phone_number: Some(String::new()),
            employee_unique_id: Some("E42".into()),
            plan_united_type: Some("1".into()),
            login_types: vec![100],
            account_id: None,
            account_number: None,
            job_title: None,
            location: None,
            manager: None,
            cluster: None,
            raw: raw.into(),
        }
    }

    fn group(id: &str, total: u64) -> Group {
        Group {
            id: id.into(),
            name: Some(format!("Group {id}")),
            total_members: Some(total),
            in_directory: Some(false),
            directory_privacy: Some(2),
            raw: json!({"id": id, "total_members": total}),
        }
    }

    fn role(id: &str, name: &str, total: u64) -> Role {
        Role {
            id: id.into(),
            name: Some(name.into()),
            description: Some(format!("{name} role")),
            role_type: Some("common".into()),
            total_members: Some(total),
            raw: json!({"id": id, "name": name}),
        }
    }

    fn member(id: &str) -> GroupMember {
        GroupMember {
            id: id.into(),
            email: None,
            first_name: None,
            last_name: None,
            user_type: None,
            primary_group: None,
            raw: json!({"id": id}),
        }
    }

    fn targets(g: &Graph, key: &str, rtype: RelType) -> Vec<String> {
        let id = g.id_of(key).unwrap();
        let mut v: Vec<String> = g
            .targets(id, rtype)
            .map(|t| g.entity(t).key.clone())
            .collect();
        v.sort();
        v
    }

    fn sources(g: &Graph, key: &str, rtype: RelType) -> Vec<String> {
        let id = g.id_of(key).unwrap();
        let mut v: Vec<String> = g
            .sources(id, rtype)
            .map(|t| g.entity(t).key.clone())
            .collect();
        v.sort();
        v
    }

    /// Entities (JSON), relationship keys, raw JSON (sorted) and warnings.
    type Fingerprint = (Vec<String>, Vec<String>, Vec<(String, String)>, Vec<String>);

    /// Every entity's key, type and properties, relationships and raw JSON,
    /// in graph order.
    fn fingerprint(b: Built) -> Fingerprint {
        let g = &b.graph;
        let ents = g.entities().map(|(_, e)| e.to_json().to_string()).collect();
        let rels = g
            .relationships()
            .map(|(id, _)| g.relationship_key(id))
            .collect();
        let mut raw: Vec<(String, String)> = b.raw.into_iter().collect();
        raw.sort();
        (ents, rels, raw, b.warnings)
    }

    #[test]
    fn early_role_names_change_nothing() {
        let mut own = user(Some("u3"), "own@example.com", "active", &["g1"], "9");
        own.role_name = Some("Own Name".into());
        let mut own2 = user(Some("u4"), "own2@example.com", "active", &[], "2");
        own2.role_name = Some("Stale".into());
        let users = || {
            vec![
                user(Some("u1"), "a@example.com", "active", &["g1", "g2"], "2"),
                user(Some("u2"), "b@example.com", "inactive", &["g1"], "1"),
                user(Some("u1"), "a@example.com", "inactive", &["g1"], "2"),
                user(None, "p@example.com", "pending", &[], "2"),
                own.clone(),
                own2.clone(),
            ]
        };
        let roles = vec![role("1", "Owner", 1), role("2", "Member", 2)];
        let mut unnamed = role("9", "x", 1);
        unnamed.name = None;
        let build = |hint: Option<(Vec<Role>, Vec<RoleDetail>)>| {
            let mut b = GraphBuilder::new(Some("Acme"));
            b.account(AccountInput {
                account_id: "A1".into(),
                ..Default::default()
            });
            if let Some((r, d)) = &hint {
                b.role_names(r, d);
            }
            b.prepared_users(users().into_iter().map(prepare_user).collect());
            b.groups(vec![group("g1", 3), group("g2", 1)]);
            let mut all = roles.clone();
            all.push(unnamed.clone());
            b.roles(all, vec![]);
            fingerprint(b.finish())
        };
        let plain = {
            let mut b = GraphBuilder::new(Some("Acme"));
            b.account(AccountInput {
                account_id: "A1".into(),
                ..Default::default()
            });
            b.users(users());
            b.groups(vec![group("g1", 3), group("g2", 1)]);
            let mut all = roles.clone();
            all.push(unnamed.clone());
            b.roles(all, vec![]);
            fingerprint(b.finish())
        };
        assert_eq!(build(None), plain);
        assert_eq!(build(Some((roles.clone(), vec![]))), plain);
        // Early names that `roles` later contradicts (role 9 named early but
        // not in the end; role 2 renamed) are corrected in `finish`.
        let mut wrong = vec![role("1", "Owner", 1), role("2", "Old", 2)];
        wrong.push(role("9", "Early", 1));
        assert_eq!(build(Some((wrong, vec![]))), plain);
    }

    #[test]
    fn users_of_all_statuses_with_jupiterone_keys_and_properties() {
        let mut b = GraphBuilder::new(Some("Acme"));
        b.account(AccountInput {
            account_id: "A1".into(),
            ..Default::default()
        });
        b.users(vec![
            user(Some("u1"), "Jill@Example.com", "active", &["g1"], "2"),
            user(Some("u2"), "bob@example.com", "inactive", &[], "1"),
            user(None, " Pending.Person@Example.com ", "pending", &[], "2"),
        ]);
        // a duplicate from a later page is kept once
        b.users(vec![user(
            Some("u1"),
            "jill@example.com",
            "active",
            &["g1"],
            "2",
        )]);
        b.groups(vec![group("g1", 1)]);
        b.roles(vec![role("1", "Admin", 1), role("2", "Member", 2)], vec![]);
        let built = b.finish();
        let g = &built.graph;
        assert_eq!(g.of_type(EntityType::User).len(), 3);
        let pending = g
            .get("zoom_user:pending:pending.person@example.com")
            .unwrap();
        assert_eq!(pending.props.get("active"), Some(&json!(false)));
        assert_eq!(pending.props.get("status"), Some(&json!("pending")));
        assert!(pending.props.get("id").is_none());
        let u1 = g.get("zoom_user:u1").unwrap();
        let j = u1.to_json();
        assert_eq!(j["_type"], "zoom_user");
        assert_eq!(j["_class"], "User");
        for (k, v) in [
            ("username", json!("Jill@Example.com")),
            ("email", json!("Jill@Example.com")),
            ("name", json!("Jill Chill")),
            ("displayName", json!("Jill C.")),
            ("firstName", json!("Jill")),
            ("lastName", json!("Chill")),
            ("type", json!(2)),
            ("pmi", json!(4440405982_i64)),
            ("timezone", json!("Europe/Paris")),
            ("verified", json!(1)),
            ("createdAt", json!("2021-10-27T00:00:49Z")),
            ("userCreatedAt", json!("2021-10-26T00:00:49Z")),
            ("lastLoginTime", json!("2023-02-09T16:15:45Z")),
            ("lastClientVersion", json!("5.13.0")),
            ("language", json!("en-US")),
            ("phoneNumber", json!("")),
            ("status", json!("active")),
            ("active", json!(true)),
            ("roleId", json!("2")),
            ("roleName", json!("Member")),
            ("dept", json!("Eng")),
            ("groupIds", json!(["g1"])),
            ("employeeUniqueId", json!("E42")),
            ("loginTypes", json!([100])),
            ("planUnitedType", json!("1")),
            ("id", json!("u1")),
            ("tag.AccountName", json!("Acme")),
        ] {
            assert_eq!(j[k], v, "{k}");
        }
        assert_eq!(
            g.get("zoom_user:u2").unwrap().props.get("active"),
            Some(&json!(false))
        );
        assert_eq!(
            g.get("zoom_user:u2").unwrap().props.get("roleName"),
            Some(&json!("Admin"))
        );
        // every entity carries the tag; every user prop is a base prop
        for (_, e) in g.entities() {
            assert_eq!(
                e.props.get("tag.AccountName"),
                Some(&json!("Acme")),
                "{}",
                e.key
            );
            if e.etype == EntityType::User {
                for (k, _) in e.props.iter() {
                    assert!(!is_user_setting_prop(k), "{k} not in USER_BASE_PROPS");
                }
            }
        }
        let role = g.get("zoom_role:1").unwrap().to_json();
        assert_eq!(role["_class"], "AccessRole");
        assert_eq!(role["admin"], true);
        assert_eq!(role["roleType"], "common");
        assert_eq!(
            g.get("zoom_role:2").unwrap().props.get("admin"),
            Some(&json!(false))
        );
        let grp = g.get("zoom_group:g1").unwrap().to_json();
        assert_eq!(grp["inDirectory"], false);
        assert_eq!(grp["directoryPrivacy"], 2);
        assert_eq!(grp["totalMembers"], 1);
        assert_eq!(grp["displayName"], "Group g1");
        assert!(built.warnings.iter().any(|w| w.contains("1 duplicate")));
        // by email, case-insensitively
        assert_eq!(g.by_email("JILL@example.com").len(), 1);
        // raw JSON is redacted
        let raw = &built.raw["zoom_user:u1"];
        assert!(
            !raw.contains("HK-993311") && !raw.contains("PWD-SECRET-77"),
            "{raw}"
        );
        assert!(raw.contains("[REDACTED]"));
        assert_eq!(built.raw.len(), g.entity_count());
    }

    #[test]
    fn relationships_from_users_and_authoritative_member_lists() {
        let users = vec![
            user(Some("u1"), "a@x.io", "active", &["g1"], "2"),
            user(Some("u2"), "b@x.io", "active", &["g1", "g1"], "2"),
            // in g2 by the member list only
            user(Some("u3"), "c@x.io", "inactive", &[], "0"),
        ];
        let groups = vec![group("g1", 2), group("g2", 2), group("g3", 0)];
        let roles = vec![role("0", "Owner", 1), role("2", "Member", 3)];
        let mm = membership_mismatches(&users, &groups, &roles);
        assert_eq!(
            mm,
            vec![
                MembershipMismatch {
                    kind: MemberOf::Group,
                    id: "g2".into(),
                    total_members: 2,
                    derived: 0
                },
                MembershipMismatch {
                    kind: MemberOf::Role,
                    id: "2".into(),
                    total_members: 3,
                    derived: 2
                },
            ]
        );
        let mut b = GraphBuilder::new(None);
        b.account(AccountInput {
            account_id: "A1".into(),
            ..Default::default()
        });
        b.users(users);
        b.groups(groups);
        b.roles(roles, vec![]);
        assert_eq!(b.membership_mismatches(), mm);
        b.group_members("g2", vec![member("u3"), member("ghost-1")]);
        b.role_members(
            "2",
            vec![RoleMember {
                id: "u3".into(),
                email: None,
                first_name: None,
                last_name: None,
                user_type: None,
                department: None,
                raw: json!({}),
            }],
        );
        b.group_members("g-unknown", vec![member("u1")]);
        let built = b.finish();
        let g = &built.graph;
        assert_eq!(
            targets(g, "zoom_group:g1", RelType::GroupHasUser),
            vec!["zoom_user:u1", "zoom_user:u2"]
        );
        assert_eq!(
            targets(g, "zoom_group:g2", RelType::GroupHasUser),
            vec!["zoom_user:u3"]
        );
        // union: u3 keeps its own role (0) and gets role 2 from the list
        assert_eq!(
            targets(g, "zoom_user:u3", RelType::UserAssignedRole),
            vec!["zoom_role:0", "zoom_role:2"]
        );
        assert_eq!(
            sources(g, "zoom_role:2", RelType::UserAssignedRole),
            vec!["zoom_user:u1", "zoom_user:u2", "zoom_user:u3"]
        );
        assert_eq!(
            targets(g, "zoom_account:A1", RelType::AccountHasUser).len(),
            3
        );
        assert_eq!(
            targets(g, "zoom_account:A1", RelType::AccountHasGroup).len(),
            3
        );
        assert_eq!(
            targets(g, "zoom_account:A1", RelType::AccountHasRole).len(),
            2
        );
        // JupiterOne-shaped relationship JSON
        let rid = g
            .relationships()
            .find(|(_, r)| r.rtype == RelType::UserAssignedRole)
            .map(|(id, _)| id)
            .unwrap();
        let j = g.relationship_json(rid);
        assert_eq!(j["_class"], RelClass::Assigned.as_str());
        assert!(j["_key"].as_str().unwrap().contains("|assigned|zoom_role:"));
        // members not in the users list are reported, not silently dropped
        assert!(
            built
                .warnings
                .iter()
                .any(|w| w.contains("group g2") && w.contains("ghost-1")),
            "{:?}",
            built.warnings
        );
        assert!(built.warnings.iter().any(|w| w.contains("g-unknown")));
    }

    #[test]
    fn account_entity_has_real_account_data() {
        let mut owner = user(Some("owner1"), "owner@x.io", "active", &[], "0");
        owner.account_number = Some(7011249145);
        let mut b = GraphBuilder::new(None);
        b.account(AccountInput {
            account_id: "N0oCh".into(),
            owner: Some(owner),
            summary: Some(UsersSummary {
                licensed_users_count: Some(5),
                basic_users_count: Some(2),
                on_prem_users_count: None,
                room_users_count: None,
                pending_users_count: Some(1),
                join_only_users_count: None,
                total_users_count: Some(8),
                raw: json!({"licensed_users_count": 5, "basic_users_count": 2,
                    "pending_users_count": 1, "total_users_count": 8}),
            }),
            settings: Some(Settings {
                raw: json!({"security": {"sign_in_with_two_factor_auth": "all",
                        "password_requirement": {"minimum_password_length": 10}},
                    "schedule_meeting": {"default_password_for_scheduled_meetings": "DEF-5511"},
                    "in_meeting": {"e2e_encryption": true}}),
            }),
            security_settings: Some(Settings {
                raw: json!({"meeting_security": {"waiting_room": true, "password_for_pmi": "P-8181"}}),
            }),
            lock_settings: Some(Settings {
                raw: json!({"schedule_meeting": {"join_before_host": true}}),
            }),
            managed_domains: Some(vec![ManagedDomain {
                domain: "x.io".into(),
                status: Some("verified".into()),
                raw: json!({"domain": "x.io"}),
            }]),
        });
        let built = b.finish();
        let a = built.graph.get("zoom_account:N0oCh").unwrap().to_json();
        assert_eq!(a["_class"], "Account");
        assert_eq!(a["id"], "N0oCh");
        assert_eq!(a["accountId"], "N0oCh");
        assert_eq!(a["accountNumber"], 7011249145_i64);
        assert_eq!(a["name"], "7011249145");
        assert_eq!(a["ownerId"], "owner1");
        assert_eq!(a["ownerEmail"], "owner@x.io");
        assert_eq!(a["licensedUsersCount"], 5);
        assert_eq!(a["totalUsersCount"], 8);
        assert_eq!(a["securitySignInWithTwoFactorAuth"], "all");
        assert_eq!(a["securityPasswordRequirementMinimumPasswordLength"], 10);
        assert_eq!(a["inMeetingE2eEncryption"], true);
        assert_eq!(
            a["scheduleMeetingDefaultPasswordForScheduledMeetings"],
            REDACTED
        );
        assert_eq!(a["meetingSecurityWaitingRoom"], true);
        assert_eq!(a["meetingSecurityPasswordForPmi"], REDACTED);
        assert_eq!(a["lockSettingsScheduleMeetingJoinBeforeHost"], true);
        assert_eq!(a["managedDomains"], json!(["x.io"]));
        assert_eq!(a["managedDomainsStatus"], json!(["verified"]));
        let raw = &built.raw["zoom_account:N0oCh"];
        assert!(!raw.contains("DEF-5511") && !raw.contains("P-8181"));
        assert!(raw.contains("\"lock_settings\""));
        // an unwrapped security body gets the `security` prefix
        let mut b = GraphBuilder::new(Some("Acme Corp"));
        b.account(AccountInput {
            account_id: "A2".into(),
            security_settings: Some(Settings {
                raw: json!({"sign_in_with_two_factor_auth": "none", "hide_billing_info": true}),
            }),
            ..Default::default()
        });
        let built = b.finish();
        let a = built.graph.get("zoom_account:A2").unwrap();
        assert_eq!(
            a.props.get("securitySignInWithTwoFactorAuth"),
            Some(&json!("none"))
        );
        assert_eq!(a.props.get("name"), Some(&json!("Acme Corp")));
    }

    #[test]
    fn settings_land_on_the_user_and_in_raw() {
        let mut b = GraphBuilder::new(None);
        b.users(vec![user(Some("u1"), "a@x.io", "active", &[], "2")]);
        let bundle = UserSettingsBundle {
            main: Some(Settings {
                raw: json!({"in_meeting": {"e2e_encryption": true},
                    "schedule_meeting": {"pmi_password": "PMI-4242"}}),
            }),
            meeting_security: Some(Settings {
                raw: json!({"meeting_security": {"require_password_for_scheduled_meeting": true}}),
            }),
            ..Default::default()
        };
        b.user_settings("zoom_user:u1", &bundle);
        b.user_settings("zoom_user:nobody", &bundle);
        let built = b.finish();
        let u = built.graph.get("zoom_user:u1").unwrap();
        assert_eq!(u.props.get("inMeetingE2eEncryption"), Some(&json!(true)));
        assert_eq!(
            u.props
                .get("meetingSecurityRequirePasswordForScheduledMeeting"),
            Some(&json!(true))
        );
        assert_eq!(
            u.props.get("scheduleMeetingPmiPassword"),
            Some(&json!(REDACTED))
        );
        assert!(is_user_setting_prop("inMeetingE2eEncryption"));
        // base properties are not overwritten by a settings key
        assert_eq!(u.props.get("email"), Some(&json!("a@x.io")));
        let raw: Value = serde_json::from_str(&built.raw["zoom_user:u1"]).unwrap();
        assert_eq!(
            raw["_settings"]["settings"]["in_meeting"]["e2e_encryption"],
            true
        );
        assert!(!built.raw["zoom_user:u1"].contains("PMI-4242"));
        assert!(
            built
                .warnings
                .iter()
                .any(|w| w.contains("zoom_user:nobody"))
        );
        // no account: relationships skipped with a warning, not a panic
        assert!(
            built
                .warnings
                .iter()
                .any(|w| w.contains("no account entity"))
        );
    }

    #[test]
    fn odd_data_becomes_warnings() {
        let mut b = GraphBuilder::new(Some("  "));
        b.account(AccountInput::default());
        b.users(vec![
            user(None, "   ", "weird", &["g-missing"], ""),
            user(Some("u1"), "", "active", &["g-missing"], "r-missing"),
        ]);
        b.groups(vec![group("", 1)]);
        b.roles(vec![role("", "X", 0)], vec![]);
        b.role_members("nope", vec![]);
        let built = b.finish();
        let g = &built.graph;
        assert_eq!(g.of_type(EntityType::User).len(), 1);
        let u = g.get("zoom_user:u1").unwrap();
        assert!(u.props.get("tag.AccountName").is_none());
        assert!(u.props.get("roleName").is_none());
        assert_eq!(u.props.get("status"), Some(&json!("active")));
        let w = built.warnings.join("\n");
        for needle in [
            "empty account id",
            "without id or email",
            "group without id",
            "role without id",
            "g-missing",
            "r-missing",
            "role nope",
        ] {
            assert!(w.contains(needle), "{needle} not in {w}");
        }
    }

    #[test]
    fn role_details_give_privileges() {
        let mut b = GraphBuilder::new(None);
        b.roles(
            vec![role("1", "Admin", 0)],
            vec![
                RoleDetail {
                    id: "1".into(),
                    name: Some("Admin".into()),
                    description: None,
                    role_type: None,
                    total_members: None,
                    privileges: vec!["User:Read".into(), "User:Edit".into()],
                    raw: json!({"id": "1", "privileges": ["User:Read", "User:Edit"]}),
                },
                RoleDetail {
                    id: "9".into(),
                    name: Some("Custom".into()),
                    description: None,
                    role_type: Some("custom".into()),
                    total_members: Some(4),
                    privileges: vec![],
                    raw: json!({"id": "9"}),
                },
            ],
        );
        let built = b.finish();
        let g = &built.graph;
        assert_eq!(
            g.get("zoom_role:1").unwrap().props.get("privileges"),
            Some(&json!(["User:Read", "User:Edit"]))
        );
        let custom = g.get("zoom_role:9").unwrap();
        assert_eq!(custom.props.get("roleType"), Some(&json!("custom")));
        assert_eq!(custom.props.get("totalMembers"), Some(&json!(4)));
        assert!(built.raw["zoom_role:1"].contains("User:Edit"));
    }

    #[test]
    fn base_prop_list_is_sorted() {
        assert!(USER_BASE_PROPS.windows(2).all(|w| w[0] < w[1]));
    }
}
