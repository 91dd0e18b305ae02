//! Zoom's API objects → the graph's entities and relationships, with
//! JupiterOne's `_key`s, types, classes and property names (JupiterOne's
//! Zoom integration: <https://github.com/JupiterOne/graph-zoom>), plus what
//! JupiterOne leaves out (see each file's property lists).
//!
//! One file per kind of object ([`account`], [`user`], [`group`], [`role`],
//! [`settings`]), the relationships in [`links`]; [`Converter`] feeds them
//! into the Zoom-agnostic [`GraphBuilder`]. It never fails and never panics
//! on odd data: anything it cannot place (a duplicate user, a member who is
//! not in the users list, a group id no group has) becomes a warning in
//! [`Built::warnings`].
//!
//! Memberships: `zoom_group_has_user` and `zoom_user_assigned_role` come
//! from each user's `group_ids` and `role_id` (free: no extra calls). Where
//! sync paged a group's or role's member endpoint (its `total_members`
//! disagreed with the users, see `src/sync/members.rs`), the member list is
//! *added* to what the users say (see [`links`]).
//!
//! Raw JSON: every entity's API object, redacted with
//! [`crate::zoom::redact`], is in [`Built::raw`] under its `_key`. A user's
//! raw object gets a `_settings` member holding the settings bodies when
//! they were fetched, a group's a `_settings_overrides` member holding
//! where its settings differ from the account's ([`group_settings`]); the
//! account's raw object is `{"owner", "summary",
//! "settings", "security_settings", "lock_settings", "managed_domains"}`.
//! Nothing downstream (graph, store) redacts again.

pub(crate) mod account;
pub mod activity;
mod group;
pub(crate) mod group_settings;
mod links;
pub mod login_types;
mod role;
pub mod settings;
pub(crate) mod user;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

pub use account::AccountInput;
pub use settings::UserSettingsBundle;
pub use user::{PreparedUser, prepare_user, user_key};

use crate::graph::keys::NAMELESS_USER_KEY;
use crate::graph::{
    Built, EntityId, EntityType, GraphBuilder, GraphError, PropName, PropValue, Props, group_key,
    role_key,
};
use crate::zoom::models::{Group, GroupMember, Role, RoleDetail, RoleMember, User};
use crate::zoom::redact::redact_json;
use links::UserLinks;

/// Turns Zoom's objects into a graph. Calls may come in any order and
/// `users` may be called once per page; relationships are made in
/// [`Converter::finish`].
#[derive(Debug, Default, Clone)]
pub struct Converter {
    b: GraphBuilder,
    /// The profile's account name, trimmed (`None` when blank).
    account_name: Option<String>,
    /// `tag.AccountName` and its value, set on every entity.
    tag: Option<(PropName, PropValue)>,
    account_key: Option<String>,
    /// Per user entity: what it names, for relationships.
    user_links: Vec<UserLinks>,
    duplicate_users: usize,
    groups_given: bool,
    roles_given: bool,
    role_names: HashMap<String, String>,
    /// [`Self::role_names`]: names applied as users are inserted.
    early_role_names: HashMap<String, String>,
    /// Users' own `roleName` that an early name replaced (by entity id,
    /// ascending), to put back if `roles` names that role differently.
    own_role_names: Vec<(EntityId, PropValue)>,
    /// [`Self::known_role_names`]: names for when no roles list comes.
    known_role_names: HashMap<String, String>,
    /// (group id, member user ids), as paged.
    group_members: Vec<(String, Vec<String>)>,
    role_members: Vec<(String, Vec<String>)>,
    user_settings: Vec<PendingSettings>,
    /// (user `_key`, `login_types` codes), applied in `finish`.
    login_types: Vec<(String, Vec<i64>)>,
    /// (group id, admins' e-mails) from `GET /groups/{id}/admins`.
    group_admins: Vec<(String, Vec<String>)>,
}

/// One user's flattened settings and redacted bodies, applied in `finish`.
#[derive(Debug, Clone)]
struct PendingSettings {
    user_key: String,
    flat: Vec<(String, Value)>,
    raw: Value,
}

/// A user as [`Converter::listed_users`] gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListedUser<'a> {
    pub id: Option<&'a str>,
    pub group_ids: &'a [String],
    pub role_id: Option<&'a str>,
}

impl Converter {
    /// `account_name`: the profile's `account_name`, set as `tag.AccountName`
    /// on every entity (and as the account's `name`).
    pub fn new(account_name: Option<&str>) -> Self {
        let account_name = account_name
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let mut b = GraphBuilder::new();
        let tag = account_name
            .as_deref()
            .map(|t| (b.name("tag.AccountName"), PropValue::str(t)));
        Converter {
            b,
            account_name,
            tag,
            ..Default::default()
        }
    }

    /// Adds a non-user entity with its raw JSON (redacted here); a
    /// duplicate key becomes a warning.
    fn add(&mut self, etype: EntityType, key: String, mut props: Props, raw: &Value) {
        if let Some((name, value)) = &self.tag {
            props.insert(name.clone(), value.clone());
        }
        let mut raw = raw.clone();
        redact_json(&mut raw);
        self.b.insert_or_warn(etype, key, props, raw.to_string());
    }

    /// The account entity (see [`account::account_entity`]).
    pub fn account(&mut self, a: AccountInput) {
        let Some(e) = account::account_entity(&a, self.account_name.as_deref()) else {
            self.b.warn("account not added: empty account id");
            return;
        };
        if !e.collisions.is_empty() {
            self.b.warn(format!(
                "account settings keys {} collide with account properties and were left out",
                e.collisions.join(", ")
            ));
        }
        let props = self
            .b
            .props(e.props.iter().map(|(k, v)| (k.as_str(), v.clone())));
        self.account_key = Some(e.key.clone());
        self.add(EntityType::Account, e.key, props, &e.raw);
    }

    /// Users of any status. A user whose `_key` was already added is skipped
    /// (counted in one warning). Properties: see [`prepare_user`].
    pub fn users(&mut self, users: Vec<User>) {
        self.prepared_users(users.into_iter().map(prepare_user).collect());
    }

    /// As [`Self::users`], for users already converted by [`prepare_user`]
    /// (sync converts each page while later pages are still in flight, so
    /// only this cheap insertion is left for the end).
    pub fn prepared_users(&mut self, users: Vec<PreparedUser>) {
        self.b.reserve_raw(users.len());
        self.user_links.reserve(users.len());
        let role_name = self.b.name("roleName");
        for u in users {
            if u.key == NAMELESS_USER_KEY {
                self.b.warn("user without id or email skipped");
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
            if let Some((name, value)) = &self.tag {
                props.insert(name.clone(), value.clone());
            }
            match self.b.insert(EntityType::User, key, props, raw) {
                Ok(id) => {
                    if let Some(own) = own {
                        self.own_role_names.push((id, own));
                    }
                    self.user_links.push(UserLinks {
                        id,
                        group_ids,
                        role_id,
                    });
                }
                // The key is taken: the same user listed twice (a status
                // change during the listing); the first is kept.
                Err(GraphError::DuplicateKey(_)) => self.duplicate_users += 1,
                Err(e) => self.b.warn(format!("{} not added: {e}", EntityType::User)),
            }
        }
    }

    /// The users added so far, each once (a user listed twice is kept
    /// once): Zoom id (none for pending users), `group_ids` and `role_id`.
    pub(crate) fn listed_users(&self) -> impl Iterator<Item = ListedUser<'_>> {
        self.listed_users_since(0)
    }

    /// As [`Self::listed_users`], from the `start`th user added on (for
    /// callers that look at each batch of users once).
    pub(crate) fn listed_users_since(&self, start: usize) -> impl Iterator<Item = ListedUser<'_>> {
        let links = self.user_links.get(start..).unwrap_or(&[]);
        let g = self.b.graph();
        links.iter().map(move |u| ListedUser {
            id: g.entity(u.id).props.str("id"),
            group_ids: &u.group_ids,
            role_id: u.role_id.as_deref(),
        })
    }

    /// How many users were added.
    pub(crate) fn user_count(&self) -> usize {
        self.user_links.len()
    }

    /// Groups (properties: see [`group::group_props`]).
    pub fn groups(&mut self, groups: Vec<Group>) {
        self.groups_given = true;
        for g in groups {
            if g.id.trim().is_empty() {
                self.b.warn("group without id skipped");
                continue;
            }
            let props = self.b.props(group::group_props(&g));
            self.add(EntityType::Group, group_key(&g.id), props, &g.raw);
        }
    }

    /// The roles' names, ahead of [`Self::roles`], so that users get
    /// `roleName` as they are inserted instead of in a second pass over
    /// every user at the end. Call it once. Only a shortcut: [`Self::roles`]
    /// decides the names, and `finish` corrects any user whose early name
    /// differs.
    pub fn role_names(&mut self, roles: &[Role], details: &[RoleDetail]) {
        for (id, name) in role::role_names(roles, details) {
            self.early_role_names
                .insert(id.to_string(), name.to_string());
        }
        // Users added before the names were known get them now, as if
        // they had been added after (sync hands the names over while the
        // users are still arriving).
        let role_name = self.b.name("roleName");
        for u in &self.user_links {
            let Some(n) = u
                .role_id
                .as_ref()
                .and_then(|r| self.early_role_names.get(r))
            else {
                continue;
            };
            let mut own = None;
            self.b.update_props(u.id, |p| {
                own = p.get("roleName").cloned();
                p.insert(role_name.clone(), Value::from(n.as_str()));
            });
            if let Some(own) = own {
                self.own_role_names.push((u.id, own));
            }
        }
    }

    /// Role id → name as the previous snapshot had them, for a sync that
    /// gets no roles list (the roles step skipped or failed): users whose
    /// record carries no `roleName` are named from these, so the name does
    /// not flicker away while the roles themselves are carried over.
    /// Ignored when [`Self::roles`] is called.
    pub fn known_role_names(&mut self, names: HashMap<String, String>) {
        self.known_role_names = names;
    }

    /// Roles (properties: see [`role::role_entity`]). A detail whose role is
    /// not in `roles` still makes a role entity.
    pub fn roles(&mut self, roles: Vec<Role>, details: Vec<RoleDetail>) {
        self.roles_given = true;
        for (r, d) in role::with_details(roles, details) {
            if r.id.trim().is_empty() {
                self.b.warn("role without id skipped");
                continue;
            }
            let key = role_key(&r.id);
            let id = r.id.clone();
            let e = role::role_entity(r, d);
            if let Some(n) = e.name {
                self.role_names.insert(id, n);
            }
            let props = self.b.props(e.props);
            self.add(EntityType::Role, key, props, &e.raw);
        }
    }

    /// A group's member list, paged to the end: authoritative for that group
    /// (added to the memberships the users' `group_ids` give).
    pub fn group_members(&mut self, group_id: &str, members: Vec<GroupMember>) {
        let ids = members.into_iter().map(|m| m.id).collect();
        self.group_members.push((group_id.to_string(), ids));
    }

    /// A role's member list, paged to the end (see [`Self::group_members`]).
    pub fn role_members(&mut self, role_id: &str, members: Vec<RoleMember>) {
        let ids = members.into_iter().map(|m| m.id).collect();
        self.role_members.push((role_id.to_string(), ids));
    }

    /// One user's settings, flattened onto the user (JupiterOne's names
    /// plus newer keys); the redacted bodies go into the user's raw JSON
    /// under `_settings`. `user_key` is the entity's `_key`.
    pub fn user_settings(&mut self, user_key: &str, s: &UserSettingsBundle) {
        let flat = settings::flatten_user_settings(s);
        let raw = settings::bundle_raw(s);
        self.user_settings.push(PendingSettings {
            user_key: user_key.to_string(),
            flat,
            raw,
        });
    }

    /// One user's sign-in methods (`GET /users/{id}` `login_types`): the
    /// `loginTypes` property (names, see [`login_types`]), the codes in the
    /// user's raw JSON under `_settings.login_types`. Like settings, they are carried
    /// over by the store when a sync does not fetch them.
    pub fn user_login_types(&mut self, user_key: &str, codes: Vec<i64>) {
        self.login_types.push((user_key.to_string(), codes));
    }

    /// A group's admins (`GET /groups/{id}/admins`, e-mails): each one in the
    /// users list gets `zoom_user_manages_group` to the group.
    pub fn group_admins(&mut self, group_id: &str, admin_emails: Vec<String>) {
        self.group_admins.push((group_id.to_string(), admin_emails));
    }

    /// Makes the relationships and returns the graph, raw JSON and warnings.
    pub fn finish(mut self) -> Built {
        if self.duplicate_users > 0 {
            let n = self.duplicate_users;
            self.b.warn(format!(
                "{n} duplicate user record(s) skipped (kept the first)"
            ));
        }
        self.apply_role_names();
        self.apply_known_role_names();
        self.apply_user_settings();
        self.apply_login_types();
        // Account → every entity, plus each user's groups and role.
        let from_users: usize = self
            .user_links
            .iter()
            .map(|u| u.group_ids.len() + usize::from(u.role_id.is_some()))
            .sum();
        let n = self.b.graph().entity_count() + from_users;
        self.b.reserve_relationships(n);
        links::link_account(&mut self.b, self.account_key.as_deref());
        links::link_users(
            &mut self.b,
            &self.user_links,
            self.groups_given,
            self.roles_given,
        );
        links::link_members(&mut self.b, &self.group_members, &self.role_members);
        links::link_group_admins(&mut self.b, &self.group_admins);
        self.b.finish()
    }

    fn apply_role_names(&mut self) {
        let role_name = self.b.name("roleName");
        for u in &self.user_links {
            let Some(role) = &u.role_id else { continue };
            let early = self.early_role_names.get(role);
            let fin = self.role_names.get(role);
            if early.is_some() && early != fin {
                // An early name `roles` did not confirm: back to the user's own.
                let own = self
                    .own_role_names
                    .binary_search_by_key(&u.id, |(i, _)| *i)
                    .ok()
                    .and_then(|i| self.own_role_names.get(i))
                    .map(|(_, v)| v.clone());
                self.b.update_props(u.id, |p| match own {
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
                self.b
                    .set_prop(u.id, role_name.clone(), Value::from(n.as_str()));
            }
        }
    }

    /// Without a roles list, names users' roles from the previous snapshot's
    /// (a user's own `roleName`, when Zoom sent one, is kept).
    fn apply_known_role_names(&mut self) {
        if self.roles_given || self.known_role_names.is_empty() {
            return;
        }
        let role_name = self.b.name("roleName");
        for u in &self.user_links {
            let Some(name) = u
                .role_id
                .as_ref()
                .and_then(|r| self.known_role_names.get(r))
            else {
                continue;
            };
            if self.b.graph().entity(u.id).props.get("roleName").is_none() {
                self.b
                    .set_prop(u.id, role_name.clone(), Value::from(name.as_str()));
            }
        }
    }

    fn apply_login_types(&mut self) {
        let name = self.b.name("loginTypes");
        let mut unknown = Vec::new();
        for (key, codes) in std::mem::take(&mut self.login_types) {
            let Some(id) = self.b.graph().id_of(&key) else {
                unknown.push(key);
                continue;
            };
            let v = login_types::login_types_value(&codes);
            self.b.set_prop(id, name.clone(), v);
            // Beside the settings bodies, which the store carries over
            // with the settings properties when a sync does not fetch them.
            if let Some(r) = self.b.raw_mut(&key)
                && let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(r)
            {
                let settings = m
                    .entry("_settings")
                    .or_insert_with(|| Value::Object(Default::default()));
                if let Value::Object(s) = settings {
                    s.insert("login_types".into(), Value::from(codes));
                }
                *r = Value::Object(m).to_string();
            }
        }
        if !unknown.is_empty() {
            self.b.warn(links::sample_warning(
                "login types for users not in the users list were left out",
                &unknown,
            ));
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
            let Some(id) = self.b.graph().id_of(&key) else {
                unknown.push(key);
                continue;
            };
            let base: HashSet<String> = self
                .b
                .graph()
                .entity(id)
                .props
                .iter()
                .map(|(k, _)| k.to_string())
                .collect();
            let names: Vec<_> = flat
                .into_iter()
                .filter(|(k, _)| !base.contains(k))
                .map(|(k, v)| (self.b.name(&k), v))
                .collect();
            self.b.update_props(id, |p| {
                for (k, v) in names {
                    p.insert(k, v);
                }
            });
            if let Some(r) = self.b.raw_mut(&key)
                && let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(r)
            {
                m.insert("_settings".into(), raw);
                *r = Value::Object(m).to_string();
            }
        }
        if !unknown.is_empty() {
            self.b.warn(links::sample_warning(
                "settings for users not in the users list were left out",
                &unknown,
            ));
        }
    }
}
