//! Encoding of properties for the store, content hashes, and the integer
//! codes of entity and relationship types.
//!
//! Properties are stored as a JSON object with names in sorted order (the
//! order [`Props`] keeps), so equal properties give equal bytes and the
//! hash of the bytes says whether an entity changed. Decoding interns the
//! names, so a loaded 100,000-user graph shares one allocation per name.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::graph::{EntityType, Interner, PropName, Props, RelType};

use super::StoreError;

/// Serialises [`Props`] as a JSON object without building a map.
struct PropsSer<'a>(&'a Props);

impl Serialize for PropsSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Appends the encoding of `props` to `buf`.
pub(super) fn encode_props(props: &Props, buf: &mut Vec<u8>) -> Result<(), StoreError> {
    serde_json::to_writer(buf, &PropsSer(props)).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Decodes properties, interning names. `scratch` is reused between calls
/// so that each `Props` is allocated once at its exact size.
pub(super) fn decode_props(
    bytes: &[u8],
    names: &mut Interner,
    scratch: &mut Vec<(PropName, Value)>,
) -> Result<Props, StoreError> {
    scratch.clear();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    PropsSeed {
        names,
        out: scratch,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .map_err(|e| StoreError::Corrupt(format!("properties: {e}")))?;
    let mut props = Props::with_capacity(scratch.len());
    for (k, v) in scratch.drain(..) {
        // Names arrive sorted, so each insert lands at the end.
        props.insert(k, v);
    }
    Ok(props)
}

struct PropsSeed<'a> {
    names: &'a mut Interner,
    out: &'a mut Vec<(PropName, Value)>,
}

impl<'de> DeserializeSeed<'de> for PropsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PropsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of properties")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key_seed(NameSeed(self.names))? {
            let value: Value = map.next_value()?;
            self.out.push((name, value));
        }
        Ok(())
    }
}

/// Deserialises a property name straight into the interner (no String
/// allocation for names already seen).
struct NameSeed<'a>(&'a mut Interner);

impl<'de> DeserializeSeed<'de> for NameSeed<'_> {
    type Value = PropName;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PropName, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed<'_> {
    type Value = PropName;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PropName, E> {
        Ok(self.0.intern(v))
    }
}

/// FNV-1a, 64-bit: a stable content hash (std's hasher may change between
/// Rust releases, and hashes are stored). Stored as SQLite's signed integer.
pub(super) fn content_hash(parts: &[&[u8]]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

/// Stable integer codes for entity types (stored; never renumber).
pub(super) fn etype_code(t: EntityType) -> i64 {
    match t {
        EntityType::Account => 1,
        EntityType::User => 2,
        EntityType::Group => 3,
        EntityType::Role => 4,
        EntityType::Employee => 5,
    }
}

pub(super) fn etype_from_code(c: i64) -> Result<EntityType, StoreError> {
    EntityType::ALL
        .into_iter()
        .find(|t| etype_code(*t) == c)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown entity type code {c}")))
}

/// Stable integer codes for relationship types (stored; never renumber).
pub(super) fn rtype_code(t: RelType) -> i64 {
    match t {
        RelType::AccountHasUser => 1,
        RelType::AccountHasGroup => 2,
        RelType::AccountHasRole => 3,
        RelType::GroupHasUser => 4,
        RelType::UserAssignedRole => 5,
        RelType::UserIsEmployee => 6,
    }
}

pub(super) fn rtype_from_code(c: i64) -> Result<RelType, StoreError> {
    RelType::ALL
        .into_iter()
        .find(|t| rtype_code(*t) == c)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown relationship type code {c}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn props_round_trip_with_interned_names() {
        let mut p = Props::new();
        p.insert(Arc::from("email"), Value::from("a@b.c"));
        p.insert(Arc::from("groupIds"), serde_json::json!(["g1", "g\"2"]));
        p.insert(Arc::from("pmi"), Value::from(123));
        p.insert(Arc::from("tag.AccountName"), Value::from("Acme ✓"));
        let mut buf = Vec::new();
        encode_props(&p, &mut buf).unwrap();
        let mut names = Interner::default();
        let mut scratch = Vec::new();
        let back = decode_props(&buf, &mut names, &mut scratch).unwrap();
        assert_eq!(back, p);
        let again = decode_props(&buf, &mut names, &mut scratch).unwrap();
        // the same name is one allocation in both
        let a = back.iter().next().unwrap().0.as_ptr();
        let b = again.iter().next().unwrap().0.as_ptr();
        assert_eq!(a, b);
        assert!(decode_props(b"[1]", &mut names, &mut scratch).is_err());
        assert!(decode_props(b"{\"a\":1} x", &mut names, &mut scratch).is_err());
    }

    #[test]
    fn hash_depends_on_content_and_boundaries() {
        assert_eq!(content_hash(&[b"abc"]), content_hash(&[b"abc"]));
        assert_ne!(content_hash(&[b"abc"]), content_hash(&[b"abd"]));
        assert_ne!(content_hash(&[b"ab", b"c"]), content_hash(&[b"a", b"bc"]));
    }

    #[test]
    fn type_codes_round_trip() {
        for t in EntityType::ALL {
            assert_eq!(etype_from_code(etype_code(t)).unwrap(), t);
        }
        for t in RelType::ALL {
            assert_eq!(rtype_from_code(rtype_code(t)).unwrap(), t);
        }
        assert!(etype_from_code(99).is_err());
    }
}
