//! A builder for a [`Graph`] and the raw JSON kept beside it, knowing
//! nothing of where the entities come from: insert an entity with its
//! properties and raw JSON, set a property, add a relationship. Whatever
//! cannot be placed becomes a warning in [`Built::warnings`] rather than an
//! error, so one odd record never stops a whole graph from being built.
//!
//! Sync's converter (`src/sync/convert/`) turns Zoom's API objects into
//! calls to this builder.

use std::collections::HashMap;

use serde_json::Value;

use super::{
    Entity, EntityId, EntityType, Graph, GraphError, Interner, PropName, Props, RelType, Strings,
};

/// What a [`GraphBuilder`] made.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub graph: Graph,
    /// `_key` → the entity's raw JSON, exactly as it was inserted.
    pub raw: HashMap<String, String>,
    /// Things the builder's caller could not place, one line each.
    pub warnings: Vec<String>,
}

/// A graph under construction, with each entity's raw JSON and the
/// warnings so far. Property names are interned once per builder, and so
/// are long string values (a graph's timezones, departments, role names
/// and account name repeat across its users).
#[derive(Debug, Clone, Default)]
pub struct GraphBuilder {
    names: Interner,
    strings: Strings,
    graph: Graph,
    raw: HashMap<String, String>,
    warnings: Vec<String>,
}

impl GraphBuilder {
    pub fn new() -> Self {
        GraphBuilder {
            strings: Strings::new(),
            ..Self::default()
        }
    }

    /// The shared name for a property (one allocation per distinct name).
    pub fn name(&mut self, name: &str) -> PropName {
        self.names.intern(name)
    }

    /// Properties from (name, value) pairs; a name given twice keeps the
    /// last value.
    pub fn props<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Props {
        let pairs = pairs.into_iter();
        let mut props = Props::with_capacity(pairs.size_hint().0 + 1);
        for (k, v) in pairs {
            props.insert(self.names.intern(k), self.strings.value(&v));
        }
        props
    }

    /// Inserts an entity and its raw JSON. A `_key` already present is
    /// refused (the first entity stays) and the error returned: the caller
    /// knows whether that is a duplicate record or something to warn about.
    pub fn insert(
        &mut self,
        etype: EntityType,
        key: String,
        props: Props,
        raw: String,
    ) -> Result<EntityId, GraphError> {
        let id = self.graph.add_entity(Entity { key, etype, props })?;
        self.raw.insert(self.graph.entity(id).key.clone(), raw);
        Ok(id)
    }

    /// As [`Self::insert`], with a refused entity reported as a warning.
    pub fn insert_or_warn(
        &mut self,
        etype: EntityType,
        key: String,
        props: Props,
        raw: String,
    ) -> Option<EntityId> {
        match self.insert(etype, key, props, raw) {
            Ok(id) => Some(id),
            Err(e) => {
                self.warn(format!("{etype} not added: {e}"));
                None
            }
        }
    }

    /// Sets (or replaces) one property of an entity.
    pub fn set_prop(&mut self, id: EntityId, name: PropName, value: Value) {
        let value = self.strings.value(&value);
        self.graph.update_props(id, |p| p.insert(name, value));
    }

    /// Changes an entity's properties in place (the e-mail index follows).
    pub fn update_props(&mut self, id: EntityId, f: impl FnOnce(&mut Props)) {
        self.graph.update_props(id, f);
    }

    /// The raw JSON of an entity, to amend it.
    pub fn raw_mut(&mut self, key: &str) -> Option<&mut String> {
        self.raw.get_mut(key)
    }

    /// Makes room for `n` more entities' raw JSON.
    pub fn reserve_raw(&mut self, n: usize) {
        self.raw.reserve(n);
    }

    /// Makes room for `n` more relationships.
    pub fn reserve_relationships(&mut self, n: usize) {
        self.graph.reserve_relationships(n);
    }

    /// Adds a relationship without properties; one the graph refuses (wrong
    /// endpoint types) becomes a warning. Adding it twice keeps one.
    pub fn relate(&mut self, rtype: RelType, from: EntityId, to: EntityId) {
        if let Err(e) = self
            .graph
            .add_relationship_ids(rtype, from, to, Props::new())
        {
            self.warnings.push(e.to_string());
        }
    }

    /// The graph so far.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    pub fn warn(&mut self, msg: impl Into<String>) {
        self.warnings.push(msg.into());
    }

    pub fn finish(self) -> Built {
        Built {
            graph: self.graph,
            raw: self.raw,
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inserts_sets_relates_and_reports_what_it_cannot_place() {
        let mut b = GraphBuilder::new();
        let props = b.props([("email", json!("A@x.io")), ("name", json!("A"))]);
        let u = b
            .insert(EntityType::User, "zoom_user:1".into(), props, "{}".into())
            .unwrap();
        let acct = b
            .insert_or_warn(
                EntityType::Account,
                "zoom_account:A".into(),
                Props::new(),
                "{\"id\":\"A\"}".into(),
            )
            .unwrap();
        assert!(matches!(
            b.insert(
                EntityType::User,
                "zoom_user:1".into(),
                Props::new(),
                String::new()
            ),
            Err(GraphError::DuplicateKey(_))
        ));
        assert!(
            b.insert_or_warn(
                EntityType::User,
                "zoom_user:1".into(),
                Props::new(),
                String::new()
            )
            .is_none()
        );
        let n = b.name("roleName");
        b.set_prop(u, n, json!("Admin"));
        b.relate(RelType::AccountHasUser, acct, u);
        b.relate(RelType::AccountHasUser, acct, u);
        // wrong endpoint types: a warning, not a panic
        b.relate(RelType::GroupHasUser, acct, u);
        if let Some(r) = b.raw_mut("zoom_user:1") {
            r.push(' ');
        }
        let built = b.finish();
        let g = &built.graph;
        assert_eq!(g.entity_count(), 2);
        assert_eq!(g.relationship_count(), 1);
        assert_eq!(g.by_email("a@x.io"), &[u]);
        assert_eq!(g.entity(u).props.json("roleName"), Some(json!("Admin")));
        // the first entity of a key stays, with its raw JSON
        assert_eq!(built.raw["zoom_user:1"], "{} ");
        assert_eq!(built.raw["zoom_account:A"], "{\"id\":\"A\"}");
        assert_eq!(built.warnings.len(), 2, "{:?}", built.warnings);
        assert!(built.warnings[0].contains("zoom_user not added"));
        assert!(built.warnings[1].contains("wrong types"));
    }
}
