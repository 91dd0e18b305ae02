//! Encoding of properties for the store, content hashes, and the integer
//! codes of entity and relationship types.
//!
//! Properties are stored as a JSON object with names in sorted order (the
//! order [`Props`] keeps), so equal properties give equal bytes and the
//! hash of the bytes says whether an entity changed. Decoding interns the
//! names and goes straight to the graph's compact values ([`PropValue`], no
//! `serde_json::Value` on the way), sharing long strings, so a loaded
//! 100,000-user graph holds one allocation per name and per repeated
//! long string.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::graph::{EntityType, Interner, PropName, PropValue, Props, RelType, Strings};

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
    scratch: &mut Vec<(PropName, PropValue)>,
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
    out: &'a mut Vec<(PropName, PropValue)>,
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
            let value = map.next_value_seed(ValueSeed(self.names.strings()))?;
            self.out.push((name, value));
        }
        Ok(())
    }
}

/// Deserialises a property value straight into its compact form, sharing
/// long strings.
struct ValueSeed<'a>(&'a mut Strings);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = PropValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PropValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = PropValue;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<PropValue, E> {
        Ok(PropValue::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<PropValue, E> {
        Ok(PropValue::Null)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<PropValue, E> {
        Ok(PropValue::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PropValue, E> {
        Ok(PropValue::Int(v))
    }
    // As serde_json's `Number`: an integer that fits an i64 is one.
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PropValue, E> {
        Ok(i64::try_from(v).map_or(PropValue::UInt(v), PropValue::Int))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<PropValue, E> {
        Ok(PropValue::Float(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PropValue, E> {
        Ok(self.0.str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PropValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(ValueSeed(&mut *self.0))? {
            items.push(v);
        }
        Ok(PropValue::List(items.into_boxed_slice()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PropValue, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            m.insert(k, v);
        }
        Ok(PropValue::Object(Box::new(m)))
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

/// A stable 64-bit hash (std's hasher may change between Rust releases,
/// and hashes are stored), fed 8 bytes at a time so that hashing a
/// 100,000-user snapshot costs little next to fetching it. Not
/// cryptographic: it only tells whether stored content changed.
struct StableHasher(u64);

impl StableHasher {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    fn new() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }

    fn word(&mut self, w: u64) {
        let h = (self.0 ^ w).wrapping_mul(Self::K);
        self.0 = h ^ (h >> 29);
    }

    /// Length first, so that ("ab","c") and ("a","bc") differ.
    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut w = [0u8; 8];
            w[..tail.len()].copy_from_slice(tail);
            self.word(u64::from_le_bytes(w));
        }
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.word(0),
            Value::Bool(b) => self.word(1 + u64::from(*b)),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.word(3);
                    self.word(i as u64);
                } else if let Some(u) = n.as_u64() {
                    self.word(4);
                    self.word(u);
                } else {
                    self.word(5);
                    self.word(n.as_f64().unwrap_or(f64::NAN).to_bits());
                }
            }
            Value::String(s) => {
                self.word(6);
                self.bytes(s.as_bytes());
            }
            Value::Array(a) => {
                self.word(7);
                self.word(a.len() as u64);
                for x in a {
                    self.value(x);
                }
            }
            Value::Object(m) => {
                self.word(8);
                self.word(m.len() as u64);
                for (k, x) in m {
                    self.bytes(k.as_bytes());
                    self.value(x);
                }
            }
        }
    }

    /// As [`Self::value`] on the JSON the value stands for (stored hashes
    /// were made from JSON values: they must not change).
    fn prop_value(&mut self, v: &PropValue) {
        match v {
            PropValue::Null => self.word(0),
            PropValue::Bool(b) => self.word(1 + u64::from(*b)),
            PropValue::Int(i) => {
                self.word(3);
                self.word(*i as u64);
            }
            PropValue::UInt(u) => {
                self.word(4);
                self.word(*u);
            }
            PropValue::Float(f) => {
                self.word(5);
                self.word(f.to_bits());
            }
            PropValue::Short(_) | PropValue::Long(_) => {
                self.word(6);
                self.bytes(v.as_str().unwrap_or_default().as_bytes());
            }
            PropValue::List(a) => {
                self.word(7);
                self.word(a.len() as u64);
                for x in a.iter() {
                    self.prop_value(x);
                }
            }
            PropValue::Object(m) => {
                self.word(8);
                self.word(m.len() as u64);
                for (k, x) in m.iter() {
                    self.bytes(k.as_bytes());
                    self.value(x);
                }
            }
        }
    }

    /// murmur3's finaliser, so every input bit reaches every output bit.
    fn finish(self) -> i64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        h as i64
    }
}

/// Content hash of an entity version: its type and properties, walked as
/// they are (no encoding), so an unchanged entity of a re-sync is
/// recognised without serialising it. Stored as SQLite's signed integer.
pub(super) fn props_hash(etype: EntityType, props: &Props) -> i64 {
    let mut h = StableHasher::new();
    h.word(etype_code(etype) as u64);
    h.word(props.len() as u64);
    for (k, v) in props.iter() {
        h.bytes(k.as_bytes());
        h.prop_value(v);
    }
    h.finish()
}

/// Content hash of stored bytes (raw API JSON).
pub(super) fn bytes_hash(b: &[u8]) -> i64 {
    let mut h = StableHasher::new();
    h.bytes(b);
    h.finish()
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
        RelType::UserManagesGroup => 7,
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
    fn decodes_every_shape_to_what_json_holds_sharing_long_strings() {
        let json = serde_json::json!({
            "a": null, "b": true, "c": -7, "d": u64::MAX, "e": 1.0, "f": 2.5,
            "g": "short", "h": "a string longer than twenty-two bytes",
            "i": ["x", 1, ["a string longer than twenty-two bytes", false]],
            "j": {"k": [1, "v"]}
        });
        let bytes = serde_json::to_vec(&json).unwrap();
        let mut names = Interner::default();
        let p = decode_props(&bytes, &mut names, &mut Vec::new()).unwrap();
        let back: serde_json::Map<String, Value> = p
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_json()))
            .collect();
        assert_eq!(Value::Object(back), json);
        let mut again = Vec::new();
        encode_props(&p, &mut again).unwrap();
        assert_eq!(again, bytes, "re-encoded byte for byte");
        let (Some(PropValue::Long(h)), Some(PropValue::List(i))) = (p.get("h"), p.get("i")) else {
            panic!("{p:?}");
        };
        let Some(PropValue::List(inner)) = i.get(2) else {
            panic!("{i:?}");
        };
        let Some(PropValue::Long(nested)) = inner.first() else {
            panic!("{inner:?}");
        };
        assert!(
            Arc::ptr_eq(h, nested),
            "one allocation for an equal long string"
        );
    }

    /// Stored hashes were made from `serde_json::Value`s: the compact
    /// values must hash to the same numbers or every re-sync after an
    /// upgrade would rewrite every row.
    #[test]
    fn compact_values_hash_as_the_json_they_stand_for() {
        let mut p = Props::new();
        for (k, v) in [
            ("a", Value::Null),
            ("b", Value::from(false)),
            ("c", Value::from(-3)),
            ("d", Value::from(u64::MAX)),
            ("e", Value::from(0.5)),
            ("f", Value::from("short")),
            ("g", Value::from("x".repeat(40))),
            ("h", serde_json::json!(["p", 2, [true]])),
            ("i", serde_json::json!({"k": 1})),
        ] {
            p.insert(Arc::from(k), v);
        }
        let mut h = StableHasher::new();
        h.word(etype_code(EntityType::User) as u64);
        h.word(p.len() as u64);
        for (k, v) in p.iter() {
            h.bytes(k.as_bytes());
            h.value(&v.to_json());
        }
        assert_eq!(props_hash(EntityType::User, &p), h.finish());
    }

    #[test]
    fn hashes_depend_on_content_and_boundaries() {
        assert_eq!(bytes_hash(b"abc"), bytes_hash(b"abc"));
        assert_ne!(bytes_hash(b"abc"), bytes_hash(b"abd"));
        assert_ne!(bytes_hash(b"abcdefgh1"), bytes_hash(b"abcdefgh2"));
        assert_ne!(bytes_hash(b"ab\0"), bytes_hash(b"ab"));
        let props = |pairs: &[(&str, Value)]| {
            let mut p = Props::new();
            for (k, v) in pairs {
                p.insert(Arc::from(*k), v.clone());
            }
            p
        };
        let a = props(&[("email", "a@b.c".into()), ("pmi", 1.into())]);
        let same = props(&[("pmi", 1.into()), ("email", "a@b.c".into())]);
        assert_eq!(
            props_hash(EntityType::User, &a),
            props_hash(EntityType::User, &same)
        );
        assert_ne!(
            props_hash(EntityType::User, &a),
            props_hash(EntityType::Group, &a)
        );
        for other in [
            props(&[("email", "a@b.c".into()), ("pmi", 2.into())]),
            props(&[("email", "a@b.c".into()), ("pmi", "1".into())]),
            props(&[("email", "a@b.c".into()), ("pmi", 1.5.into())]),
            props(&[("email", "a@b.c".into())]),
            props(&[("emai", "la@b.c".into()), ("pmi", 1.into())]),
            props(&[("email", serde_json::json!(["a@b.c"])), ("pmi", 1.into())]),
        ] {
            assert_ne!(
                props_hash(EntityType::User, &a),
                props_hash(EntityType::User, &other),
                "{other:?}"
            );
        }
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
