//! The Zoom graph: entities, relationships and their indexes.
//!
//! This is the one data model every view reads (TUI panes, J1QL queries,
//! alerts, diff, export). It mirrors JupiterOne's Zoom integration so that a
//! JupiterOne user's queries read the same here: the same `_type`, `_class`,
//! `_key` formats and property names.
//!
//! Design notes (why it looks like this):
//! - Entities live in one `Vec` and are addressed by [`EntityId`] (an index),
//!   so adjacency lists are small integers and a 100,000-user graph stays far
//!   under the 300 MB budget.
//! - Properties are a sorted list of (interned name, [`PropValue`]): user
//!   settings add ~160 properties per user, and interning the names means
//!   each property costs one `Arc` clone instead of a heap string. A value
//!   is 24 bytes with short strings inline and long ones shared
//!   (`graph/value.rs`), against 32 bytes plus a heap string as JSON.
//! - Raw API JSON is *not* held here; the store keeps it and hands it out per
//!   entity on demand (the `y` view), which keeps the in-memory graph small.
//! - Relationship `_key`s are derived (`<from>|<verb>|<to>`), never stored.

pub(crate) mod build;
pub(crate) mod keys;
pub(crate) mod user_props;
pub(crate) mod value;

pub use build::{Built, GraphBuilder};
pub use keys::{account_key, group_key, role_key, user_key};
pub use user_props::{CUSTOM_ATTRIBUTE_PREFIX, USER_BASE_PROPS, is_user_setting_prop};
pub use value::{PropValue, Strings};

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A hash map with a fast, per-process seeded hasher.
pub type FastMap<K, V> = foldhash::HashMap<K, V>;

/// An entity type (`_type`) together with its class (`_class`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    /// `zoom_account`, class `Account`.
    #[serde(rename = "zoom_account")]
    Account,
    /// `zoom_user`, class `User`.
    #[serde(rename = "zoom_user")]
    User,
    /// `zoom_group`, class `Group`.
    #[serde(rename = "zoom_group")]
    Group,
    /// `zoom_role`, class `AccessRole`.
    #[serde(rename = "zoom_role")]
    Role,
    /// `employee`, class `Person`: a row of the HR roster (employee mapping).
    #[serde(rename = "employee")]
    Employee,
}

impl EntityType {
    pub const ALL: [EntityType; 5] = [
        EntityType::Account,
        EntityType::User,
        EntityType::Group,
        EntityType::Role,
        EntityType::Employee,
    ];

    /// The `_type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Account => "zoom_account",
            EntityType::User => "zoom_user",
            EntityType::Group => "zoom_group",
            EntityType::Role => "zoom_role",
            EntityType::Employee => "employee",
        }
    }

    /// The `_class` string.
    pub fn class(self) -> &'static str {
        match self {
            EntityType::Account => "Account",
            EntityType::User => "User",
            EntityType::Group => "Group",
            EntityType::Role => "AccessRole",
            EntityType::Employee => "Person",
        }
    }

    /// Parses a `_type` string (`zoom_user`, …).
    pub fn from_type_str(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Parses a `_class` string (`User`, `AccessRole`, …).
    pub fn from_class_str(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.class() == s)
    }

    /// The `_key` prefix, e.g. `zoom_user:`.
    pub fn key_prefix(self) -> &'static str {
        match self {
            EntityType::Account => "zoom_account:",
            EntityType::User => "zoom_user:",
            EntityType::Group => "zoom_group:",
            EntityType::Role => "zoom_role:",
            EntityType::Employee => "employee:",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Relationship class (`_class`): the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelClass {
    #[serde(rename = "HAS")]
    Has,
    #[serde(rename = "ASSIGNED")]
    Assigned,
    #[serde(rename = "IS")]
    Is,
    #[serde(rename = "MANAGES")]
    Manages,
}

impl RelClass {
    /// `HAS`, `ASSIGNED`, `IS`.
    pub fn as_str(self) -> &'static str {
        match self {
            RelClass::Has => "HAS",
            RelClass::Assigned => "ASSIGNED",
            RelClass::Is => "IS",
            RelClass::Manages => "MANAGES",
        }
    }

    /// The lower-case verb used inside relationship `_key`s and `_type`s.
    pub fn verb(self) -> &'static str {
        match self {
            RelClass::Has => "has",
            RelClass::Assigned => "assigned",
            RelClass::Is => "is",
            RelClass::Manages => "manages",
        }
    }
}

/// Relationship type (`_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelType {
    #[serde(rename = "zoom_account_has_user")]
    AccountHasUser,
    #[serde(rename = "zoom_account_has_group")]
    AccountHasGroup,
    #[serde(rename = "zoom_account_has_role")]
    AccountHasRole,
    #[serde(rename = "zoom_group_has_user")]
    GroupHasUser,
    #[serde(rename = "zoom_user_assigned_role")]
    UserAssignedRole,
    /// A Zoom user IS an employee (roster Person), from employee mapping.
    #[serde(rename = "zoom_user_is_employee")]
    UserIsEmployee,
    /// A Zoom user administers a group (`GET /groups/{id}/admins`).
    #[serde(rename = "zoom_user_manages_group")]
    UserManagesGroup,
}

impl RelType {
    pub const ALL: [RelType; 7] = [
        RelType::AccountHasUser,
        RelType::AccountHasGroup,
        RelType::AccountHasRole,
        RelType::GroupHasUser,
        RelType::UserAssignedRole,
        RelType::UserIsEmployee,
        RelType::UserManagesGroup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelType::AccountHasUser => "zoom_account_has_user",
            RelType::AccountHasGroup => "zoom_account_has_group",
            RelType::AccountHasRole => "zoom_account_has_role",
            RelType::GroupHasUser => "zoom_group_has_user",
            RelType::UserAssignedRole => "zoom_user_assigned_role",
            RelType::UserIsEmployee => "zoom_user_is_employee",
            RelType::UserManagesGroup => "zoom_user_manages_group",
        }
    }

    pub fn from_type_str(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn class(self) -> RelClass {
        match self {
            RelType::UserAssignedRole => RelClass::Assigned,
            RelType::UserIsEmployee => RelClass::Is,
            RelType::UserManagesGroup => RelClass::Manages,
            _ => RelClass::Has,
        }
    }

    /// (from type, to type).
    pub fn endpoints(self) -> (EntityType, EntityType) {
        match self {
            RelType::AccountHasUser => (EntityType::Account, EntityType::User),
            RelType::AccountHasGroup => (EntityType::Account, EntityType::Group),
            RelType::AccountHasRole => (EntityType::Account, EntityType::Role),
            RelType::GroupHasUser => (EntityType::Group, EntityType::User),
            RelType::UserAssignedRole => (EntityType::User, EntityType::Role),
            RelType::UserIsEmployee => (EntityType::User, EntityType::Employee),
            RelType::UserManagesGroup => (EntityType::User, EntityType::Group),
        }
    }
}

impl fmt::Display for RelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Builds a relationship `_key` the way JupiterOne's `createDirectRelationship` does.
pub fn relationship_key(from_key: &str, class: RelClass, to_key: &str) -> String {
    let mut k = String::with_capacity(from_key.len() + to_key.len() + 10);
    k.push_str(from_key);
    k.push('|');
    k.push_str(class.verb());
    k.push('|');
    k.push_str(to_key);
    k
}

/// An interned property name. Cloning is a reference-count bump.
pub type PropName = Arc<str>;

/// Interns property names so that 100,000 entities with the same ~30 (or,
/// with settings, ~190) property names share one allocation per name, and
/// shares their long string values ([`Strings`]).
#[derive(Debug, Clone)]
pub struct Interner {
    names: HashMap<Arc<str>, ()>,
    strings: Strings,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            names: HashMap::new(),
            strings: Strings::new(),
        }
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> PropName {
        if let Some((k, _)) = self.names.get_key_value(s) {
            return k.clone();
        }
        let k: Arc<str> = Arc::from(s);
        self.names.insert(k.clone(), ());
        k
    }

    /// The string values shared so far.
    pub fn strings(&mut self) -> &mut Strings {
        &mut self.strings
    }
}

/// An entity's properties, sorted by name. Values are JSON's shapes
/// (strings, numbers, booleans, arrays, null), as in JupiterOne, held
/// compact ([`PropValue`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Props(Vec<(PropName, PropValue)>);

impl Props {
    pub fn new() -> Self {
        Props(Vec::new())
    }

    pub fn with_capacity(n: usize) -> Self {
        Props(Vec::with_capacity(n))
    }

    pub fn get(&self, name: &str) -> Option<&PropValue> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// A property as JSON (a copy), for code that speaks `serde_json`.
    pub fn json(&self, name: &str) -> Option<Value> {
        self.get(name).map(PropValue::to_json)
    }

    /// Inserts or replaces a property (a `serde_json::Value` is converted).
    /// `Null` is stored as given; callers that mean "absent" should not
    /// insert.
    pub fn insert(&mut self, name: PropName, value: impl Into<PropValue>) {
        let value = value.into();
        match self
            .0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name.as_ref()))
        {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<PropValue> {
        match self.0.binary_search_by(|(k, _)| k.as_ref().cmp(name)) {
            Ok(i) => Some(self.0.remove(i).1),
            Err(_) => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &PropValue)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The sorted (name, value) pairs. Lets a hot loop (J1QL filters over
    /// 100,000 users) remember where a name sat in the previous entity and
    /// check that slot first, instead of a cache-missing binary search.
    pub fn entries(&self) -> &[(PropName, PropValue)] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Gives back the room a built-up (rather than decoded) list keeps.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    /// String value of a property, if it is a string.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(PropValue::as_str)
    }
}

/// Index of an entity inside a [`Graph`]. Only meaningful for that graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u32);

/// Index of a relationship inside a [`Graph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelId(pub u32);

/// One entity. `_key`, `_type` and `_class` are fields; everything else is in `props`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub key: String,
    pub etype: EntityType,
    pub props: Props,
}

impl Entity {
    pub fn new(etype: EntityType, key: String) -> Self {
        Entity {
            key,
            etype,
            props: Props::new(),
        }
    }

    /// A property by J1QL name, including the pseudo-properties `_key`,
    /// `_type` and `_class`.
    pub fn prop(&self, name: &str) -> Option<Value> {
        match name {
            "_key" => Some(Value::String(self.key.clone())),
            "_type" => Some(Value::String(self.etype.as_str().to_string())),
            "_class" => Some(Value::String(self.etype.class().to_string())),
            _ => self.props.json(name),
        }
    }

    /// A human label: `displayName`, then `name`, then `email`, then `_key`.
    pub fn label(&self) -> &str {
        ["displayName", "name", "email"]
            .iter()
            .find_map(|p| self.props.str(p).filter(|s| !s.is_empty()))
            .unwrap_or(&self.key)
    }

    /// The entity as JupiterOne-shaped JSON: `_key`, `_type`, `_class` and properties.
    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("_key".into(), Value::String(self.key.clone()));
        m.insert("_type".into(), Value::String(self.etype.as_str().into()));
        m.insert("_class".into(), Value::String(self.etype.class().into()));
        for (k, v) in self.props.iter() {
            m.insert(k.to_string(), v.to_json());
        }
        Value::Object(m)
    }
}

/// One relationship between two entities of the same graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    pub rtype: RelType,
    pub from: EntityId,
    pub to: EntityId,
    /// Extra properties (e.g. how an employee match was made). Usually empty.
    pub props: Props,
}

/// The error for a graph that cannot be assembled (a relationship that names
/// an entity the graph does not have, or a key used twice).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GraphError {
    #[error("duplicate entity key {0}")]
    DuplicateKey(String),
    #[error("relationship {rtype} refers to unknown entity {key}")]
    DanglingRelationship { rtype: RelType, key: String },
    #[error("relationship {rtype} joins {from} to {to}, which have the wrong types")]
    WrongEndpointTypes {
        rtype: RelType,
        from: String,
        to: String,
    },
}

/// The graph with its indexes: by `_key`, by e-mail (case-insensitive), by
/// type, and adjacency in both directions.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    entities: Vec<Entity>,
    relationships: Vec<Relationship>,
    // foldhash: several times faster than SipHash on the ~100,000 keys and
    // ~360,000 relationship triples of a large account, and still seeded
    // per process, so crafted keys cannot force collisions.
    by_key: FastMap<String, EntityId>,
    by_email: FastMap<String, Vec<EntityId>>,
    by_type: HashMap<EntityType, Vec<EntityId>>,
    out_edges: Vec<Vec<RelId>>,
    in_edges: Vec<Vec<RelId>>,
    rel_keys: FastMap<(RelType, EntityId, EntityId), RelId>,
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an entity. A `_key` already present is an error (the caller
    /// decides whether that means a duplicate from the API or a bug).
    pub fn add_entity(&mut self, entity: Entity) -> Result<EntityId, GraphError> {
        if self.by_key.contains_key(&entity.key) {
            return Err(GraphError::DuplicateKey(entity.key));
        }
        let id = EntityId(self.entities.len() as u32);
        self.by_key.insert(entity.key.clone(), id);
        if let Some(email) = entity.props.str("email") {
            let norm = normalize_email(email);
            if !norm.is_empty() {
                self.by_email.entry(norm).or_default().push(id);
            }
        }
        self.by_type.entry(entity.etype).or_default().push(id);
        self.entities.push(entity);
        self.out_edges.push(Vec::new());
        self.in_edges.push(Vec::new());
        Ok(id)
    }

    /// Adds a relationship between two entities already in the graph, by key.
    /// Adding the same (type, from, to) twice is a no-op returning the first.
    pub fn add_relationship(
        &mut self,
        rtype: RelType,
        from_key: &str,
        to_key: &str,
        props: Props,
    ) -> Result<RelId, GraphError> {
        let from = self
            .id_of(from_key)
            .ok_or_else(|| GraphError::DanglingRelationship {
                rtype,
                key: from_key.to_string(),
            })?;
        let to = self
            .id_of(to_key)
            .ok_or_else(|| GraphError::DanglingRelationship {
                rtype,
                key: to_key.to_string(),
            })?;
        self.add_relationship_ids(rtype, from, to, props)
    }

    /// Makes room for `n` more relationships (a builder that knows how many
    /// are coming saves the index's repeated growth).
    pub fn reserve_relationships(&mut self, n: usize) {
        self.relationships.reserve(n);
        self.rel_keys.reserve(n);
    }

    /// As [`Graph::add_relationship`], by entity id.
    pub fn add_relationship_ids(
        &mut self,
        rtype: RelType,
        from: EntityId,
        to: EntityId,
        props: Props,
    ) -> Result<RelId, GraphError> {
        let (ft, tt) = rtype.endpoints();
        if self.entity(from).etype != ft || self.entity(to).etype != tt {
            return Err(GraphError::WrongEndpointTypes {
                rtype,
                from: self.entity(from).key.clone(),
                to: self.entity(to).key.clone(),
            });
        }
        if let Some(&id) = self.rel_keys.get(&(rtype, from, to)) {
            return Ok(id);
        }
        let id = RelId(self.relationships.len() as u32);
        self.relationships.push(Relationship {
            rtype,
            from,
            to,
            props,
        });
        self.out_edges[from.0 as usize].push(id);
        self.in_edges[to.0 as usize].push(id);
        self.rel_keys.insert((rtype, from, to), id);
        Ok(id)
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    pub fn relationship(&self, id: RelId) -> &Relationship {
        &self.relationships[id.0 as usize]
    }

    pub fn id_of(&self, key: &str) -> Option<EntityId> {
        self.by_key.get(key).copied()
    }

    pub fn get(&self, key: &str) -> Option<&Entity> {
        self.id_of(key).map(|id| self.entity(id))
    }

    /// Entities whose `email` matches, ignoring case and surrounding space.
    pub fn by_email(&self, email: &str) -> &[EntityId] {
        self.by_email
            .get(&normalize_email(email))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// All entities of one type, in insertion order.
    pub fn of_type(&self, t: EntityType) -> &[EntityId] {
        self.by_type.get(&t).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn entities(&self) -> impl ExactSizeIterator<Item = (EntityId, &Entity)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId(i as u32), e))
    }

    pub fn relationships(&self) -> impl ExactSizeIterator<Item = (RelId, &Relationship)> {
        self.relationships
            .iter()
            .enumerate()
            .map(|(i, r)| (RelId(i as u32), r))
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    pub fn relationship_count(&self) -> usize {
        self.relationships.len()
    }

    /// Relationships leaving `id`.
    pub fn outgoing(&self, id: EntityId) -> &[RelId] {
        &self.out_edges[id.0 as usize]
    }

    /// Relationships arriving at `id`.
    pub fn incoming(&self, id: EntityId) -> &[RelId] {
        &self.in_edges[id.0 as usize]
    }

    /// Entities reached from `id` over relationships of type `rtype` (outgoing).
    pub fn targets(&self, id: EntityId, rtype: RelType) -> impl Iterator<Item = EntityId> + '_ {
        self.outgoing(id)
            .iter()
            .map(|r| self.relationship(*r))
            .filter(move |r| r.rtype == rtype)
            .map(|r| r.to)
    }

    /// Entities pointing at `id` over relationships of type `rtype` (incoming).
    pub fn sources(&self, id: EntityId, rtype: RelType) -> impl Iterator<Item = EntityId> + '_ {
        self.incoming(id)
            .iter()
            .map(|r| self.relationship(*r))
            .filter(move |r| r.rtype == rtype)
            .map(|r| r.from)
    }

    /// The relationship's `_key`: `<from _key>|<verb>|<to _key>`.
    pub fn relationship_key(&self, id: RelId) -> String {
        let r = self.relationship(id);
        relationship_key(
            &self.entity(r.from).key,
            r.rtype.class(),
            &self.entity(r.to).key,
        )
    }

    /// The relationship as JupiterOne-shaped JSON.
    pub fn relationship_json(&self, id: RelId) -> Value {
        let r = self.relationship(id);
        let mut m = serde_json::Map::new();
        m.insert("_key".into(), Value::String(self.relationship_key(id)));
        m.insert("_type".into(), Value::String(r.rtype.as_str().into()));
        m.insert(
            "_class".into(),
            Value::String(r.rtype.class().as_str().into()),
        );
        m.insert(
            "_fromEntityKey".into(),
            Value::String(self.entity(r.from).key.clone()),
        );
        m.insert(
            "_toEntityKey".into(),
            Value::String(self.entity(r.to).key.clone()),
        );
        for (k, v) in r.props.iter() {
            m.insert(k.to_string(), v.to_json());
        }
        Value::Object(m)
    }

    /// Gives back the spare room of a graph built up entity by entity (a
    /// sync's), so that it costs what the same graph loaded from the store
    /// costs once it is kept.
    pub fn shrink_to_fit(&mut self) {
        self.entities.shrink_to_fit();
        for e in &mut self.entities {
            e.key.shrink_to_fit();
            e.props.shrink_to_fit();
        }
        self.relationships.shrink_to_fit();
        for edges in self.out_edges.iter_mut().chain(self.in_edges.iter_mut()) {
            edges.shrink_to_fit();
        }
        self.out_edges.shrink_to_fit();
        self.in_edges.shrink_to_fit();
        self.by_key.shrink_to_fit();
        self.by_email.shrink_to_fit();
        self.rel_keys.shrink_to_fit();
    }

    /// Mutable access to an entity's properties (e.g. to merge lazily fetched
    /// user settings). Indexes do not cover properties other than `email`,
    /// and changing `email` through this is not allowed to desync the index:
    /// the e-mail index is rebuilt when the email changes.
    pub fn update_props(&mut self, id: EntityId, f: impl FnOnce(&mut Props)) {
        let old = self.entities[id.0 as usize]
            .props
            .str("email")
            .map(normalize_email);
        f(&mut self.entities[id.0 as usize].props);
        let new = self.entities[id.0 as usize]
            .props
            .str("email")
            .map(normalize_email);
        if old != new {
            if let Some(o) = old
                && let Some(v) = self.by_email.get_mut(&o)
            {
                v.retain(|x| *x != id);
            }
            if let Some(n) = new.filter(|n| !n.is_empty()) {
                self.by_email.entry(n).or_default().push(id);
            }
        }
    }
}

/// Normalises an e-mail address for matching: trimmed and lower-cased.
pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(key: &str, email: &str) -> Entity {
        let mut e = Entity::new(EntityType::User, key.to_string());
        e.props.insert(Arc::from("email"), Value::from(email));
        e
    }

    #[test]
    fn indexes_by_key_email_type_and_adjacency() {
        let mut g = Graph::new();
        let acct = g
            .add_entity(Entity::new(EntityType::Account, "zoom_account:A".into()))
            .unwrap();
        let u = g
            .add_entity(user("zoom_user:1", "Jill@Example.com "))
            .unwrap();
        let r = g
            .add_entity(Entity::new(EntityType::Role, "zoom_role:1".into()))
            .unwrap();
        g.add_relationship(
            RelType::AccountHasUser,
            "zoom_account:A",
            "zoom_user:1",
            Props::new(),
        )
        .unwrap();
        let rid = g
            .add_relationship(
                RelType::UserAssignedRole,
                "zoom_user:1",
                "zoom_role:1",
                Props::new(),
            )
            .unwrap();
        assert_eq!(g.id_of("zoom_user:1"), Some(u));
        assert_eq!(g.by_email("jill@example.com"), &[u]);
        assert_eq!(g.of_type(EntityType::Role), &[r]);
        assert_eq!(
            g.targets(u, RelType::UserAssignedRole).collect::<Vec<_>>(),
            vec![r]
        );
        assert_eq!(
            g.sources(u, RelType::AccountHasUser).collect::<Vec<_>>(),
            vec![acct]
        );
        assert_eq!(g.relationship_key(rid), "zoom_user:1|assigned|zoom_role:1");
        // same edge twice is kept once
        let again = g
            .add_relationship(
                RelType::UserAssignedRole,
                "zoom_user:1",
                "zoom_role:1",
                Props::new(),
            )
            .unwrap();
        assert_eq!(again, rid);
        assert_eq!(g.relationship_count(), 2);
    }

    #[test]
    fn rejects_duplicates_dangling_and_wrong_types() {
        let mut g = Graph::new();
        g.add_entity(user("zoom_user:1", "a@b.c")).unwrap();
        assert_eq!(
            g.add_entity(user("zoom_user:1", "x@y.z")),
            Err(GraphError::DuplicateKey("zoom_user:1".into()))
        );
        assert!(matches!(
            g.add_relationship(
                RelType::GroupHasUser,
                "zoom_group:9",
                "zoom_user:1",
                Props::new()
            ),
            Err(GraphError::DanglingRelationship { .. })
        ));
        g.add_entity(Entity::new(EntityType::Group, "zoom_group:1".into()))
            .unwrap();
        assert!(matches!(
            g.add_relationship(
                RelType::GroupHasUser,
                "zoom_user:1",
                "zoom_group:1",
                Props::new()
            ),
            Err(GraphError::WrongEndpointTypes { .. })
        ));
    }

    #[test]
    fn email_index_follows_property_updates() {
        let mut g = Graph::new();
        let u = g.add_entity(user("zoom_user:1", "old@x.io")).unwrap();
        g.update_props(u, |p| p.insert(Arc::from("email"), Value::from("New@x.io")));
        assert!(g.by_email("old@x.io").is_empty());
        assert_eq!(g.by_email("new@x.io"), &[u]);
    }

    #[test]
    fn props_stay_sorted_and_replace() {
        let mut p = Props::new();
        p.insert(Arc::from("b"), Value::from(1));
        p.insert(Arc::from("a"), Value::from(2));
        p.insert(Arc::from("b"), Value::from(3));
        assert_eq!(p.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(p.json("b"), Some(Value::from(3)));
    }
}
