//! A property value, compact: what a JSON value of a property can be, in 24
//! bytes, with short strings inline.
//!
//! A 100,000-user graph holds ~3 million property values, most of them
//! short strings (ids, dates, status, timezone, language, names). As
//! `serde_json::Value` each cost 32 bytes plus a heap `String`; here a
//! string of up to [`INLINE_MAX`] bytes costs nothing beyond the value, and
//! a longer one is an `Arc<str>` that equal values of one graph share (the
//! store's decoder and the graph builder intern them).
//!
//! JSON stays the output: [`PropValue::to_json`] gives back exactly the
//! `serde_json::Value` the property was made from, and `Serialize` writes
//! the same JSON text, so exports, `--json`, snapshots and the store's
//! encoding do not change.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::{Map, Number, Value};

/// The longest string kept inline.
pub const INLINE_MAX: usize = 22;

/// A string of at most [`INLINE_MAX`] bytes kept in place. Its fields are
/// private and it is made only from a `&str`, so its bytes are always
/// UTF-8 and reading it needs no check (J1QL filters read millions).
#[derive(Clone, Copy)]
pub struct InlineStr {
    len: u8,
    bytes: [u8; INLINE_MAX],
}

impl InlineStr {
    pub fn as_str(&self) -> &str {
        let b = &self.bytes[..usize::from(self.len).min(INLINE_MAX)];
        // SAFETY: `bytes[..len]` is a copy of a `&str` (see `short`), and
        // nothing else can write them (private fields).
        unsafe { std::str::from_utf8_unchecked(b) }
    }
}

/// One property value.
#[derive(Clone)]
pub enum PropValue {
    Null,
    Bool(bool),
    /// A JSON integer that fits an `i64`.
    Int(i64),
    /// A JSON integer above `i64::MAX`.
    UInt(u64),
    /// Any other JSON number.
    Float(f64),
    /// A string of at most [`INLINE_MAX`] bytes, in place.
    Short(InlineStr),
    /// A longer string, shared by equal values of one graph.
    Long(Arc<str>),
    List(Box<[PropValue]>),
    /// A JSON object: rare in properties (none of the converters make one),
    /// kept as it came so nothing is lost.
    Object(Box<Map<String, Value>>),
}

impl PropValue {
    /// A string value (inline when short).
    pub fn str(s: &str) -> PropValue {
        match short(s) {
            Some(v) => v,
            None => PropValue::Long(Arc::from(s)),
        }
    }

    /// The value of a JSON value, every string on its own allocation when
    /// long (use [`Strings::value`] to share them).
    pub fn from_json(v: &Value) -> PropValue {
        Strings::none().value(v)
    }

    /// The value as JSON, exactly as it was made.
    pub fn to_json(&self) -> Value {
        match self {
            PropValue::Null => Value::Null,
            PropValue::Bool(b) => Value::Bool(*b),
            PropValue::Int(i) => Value::from(*i),
            PropValue::UInt(u) => Value::from(*u),
            PropValue::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            PropValue::Short(_) | PropValue::Long(_) => {
                Value::String(self.as_str().unwrap_or_default().to_string())
            }
            PropValue::List(items) => Value::Array(items.iter().map(PropValue::to_json).collect()),
            PropValue::Object(m) => Value::Object((**m).clone()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            PropValue::Short(s) => Some(s.as_str()),
            PropValue::Long(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            PropValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            PropValue::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            PropValue::Int(i) => u64::try_from(*i).ok(),
            PropValue::UInt(u) => Some(*u),
            _ => None,
        }
    }

    /// Any number as `f64`, as `serde_json::Number::as_f64` reads it.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PropValue::Int(i) => Some(*i as f64),
            PropValue::UInt(u) => Some(*u as f64),
            PropValue::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[PropValue]> {
        match self {
            PropValue::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, PropValue::Null)
    }

    pub fn is_number(&self) -> bool {
        matches!(
            self,
            PropValue::Int(_) | PropValue::UInt(_) | PropValue::Float(_)
        )
    }
}

/// A short string inline, or `None` when it is too long.
fn short(s: &str) -> Option<PropValue> {
    let len = s.len();
    if len > INLINE_MAX {
        return None;
    }
    let mut bytes = [0u8; INLINE_MAX];
    bytes.get_mut(..len)?.copy_from_slice(s.as_bytes());
    Some(PropValue::Short(InlineStr {
        len: len as u8,
        bytes,
    }))
}

/// Equal as JSON values are equal (`1` and `1.0` differ, as in serde_json).
impl PartialEq for PropValue {
    fn eq(&self, other: &Self) -> bool {
        use PropValue::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (UInt(a), UInt(b)) => a == b,
            (Float(a), Float(b)) => a == b,
            (Short(_) | Long(_), Short(_) | Long(_)) => self.as_str() == other.as_str(),
            (List(a), List(b)) => a == b,
            (Object(a), Object(b)) => a == b,
            _ => false,
        }
    }
}

impl PartialEq<Value> for PropValue {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (PropValue::Null, Value::Null) => true,
            (PropValue::Bool(a), Value::Bool(b)) => a == b,
            (PropValue::Int(a), Value::Number(n)) => n.as_i64() == Some(*a),
            (PropValue::UInt(a), Value::Number(n)) => !n.is_i64() && n.as_u64() == Some(*a),
            (PropValue::Float(a), Value::Number(n)) => n.is_f64() && n.as_f64() == Some(*a),
            (PropValue::Short(_) | PropValue::Long(_), Value::String(s)) => {
                self.as_str() == Some(s.as_str())
            }
            (PropValue::List(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (PropValue::Object(a), Value::Object(b)) => **a == *b,
            _ => false,
        }
    }
}

impl fmt::Debug for PropValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_json(), f)
    }
}

/// Written as the JSON it stands for, without building it.
impl Serialize for PropValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PropValue::Null => s.serialize_unit(),
            PropValue::Bool(b) => s.serialize_bool(*b),
            PropValue::Int(i) => s.serialize_i64(*i),
            PropValue::UInt(u) => s.serialize_u64(*u),
            PropValue::Float(f) => match Number::from_f64(*f) {
                Some(n) => n.serialize(s),
                None => s.serialize_unit(),
            },
            PropValue::Short(_) | PropValue::Long(_) => {
                s.serialize_str(self.as_str().unwrap_or_default())
            }
            PropValue::List(items) => items.serialize(s),
            PropValue::Object(m) => m.serialize(s),
        }
    }
}

impl From<Value> for PropValue {
    fn from(v: Value) -> Self {
        PropValue::from_json(&v)
    }
}

impl From<&Value> for PropValue {
    fn from(v: &Value) -> Self {
        PropValue::from_json(v)
    }
}

impl From<&str> for PropValue {
    fn from(s: &str) -> Self {
        PropValue::str(s)
    }
}

/// Shares a graph's long string values: one allocation per distinct
/// string. Short strings need none (they are inline).
#[derive(Debug, Default, Clone)]
pub struct Strings {
    seen: Option<HashSet<Arc<str>>>,
}

impl Strings {
    /// Sharing strings.
    pub fn new() -> Self {
        Strings {
            seen: Some(HashSet::new()),
        }
    }

    /// Not sharing (a one-off value).
    pub fn none() -> Self {
        Strings { seen: None }
    }

    /// A string value, shared with an equal one seen before when long.
    pub fn str(&mut self, s: &str) -> PropValue {
        if let Some(v) = short(s) {
            return v;
        }
        PropValue::Long(self.long(s))
    }

    /// The shared `Arc<str>` of `s`.
    pub fn long(&mut self, s: &str) -> Arc<str> {
        match &mut self.seen {
            None => Arc::from(s),
            Some(seen) => {
                if let Some(k) = seen.get(s) {
                    return k.clone();
                }
                let k: Arc<str> = Arc::from(s);
                seen.insert(k.clone());
                k
            }
        }
    }

    /// A JSON value's compact form, its strings shared.
    pub fn value(&mut self, v: &Value) -> PropValue {
        match v {
            Value::Null => PropValue::Null,
            Value::Bool(b) => PropValue::Bool(*b),
            Value::Number(n) => number(n),
            Value::String(s) => self.str(s),
            Value::Array(a) => PropValue::List(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(m) => PropValue::Object(Box::new(m.clone())),
        }
    }
}

/// A JSON number's compact form.
pub(crate) fn number(n: &Number) -> PropValue {
    if let Some(i) = n.as_i64() {
        PropValue::Int(i)
    } else if let Some(u) = n.as_u64() {
        PropValue::UInt(u)
    } else {
        PropValue::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn is_24_bytes() {
        assert_eq!(std::mem::size_of::<PropValue>(), 24);
    }

    #[test]
    fn round_trips_every_json_shape_exactly() {
        let long = "x".repeat(INLINE_MAX + 1);
        for v in [
            json!(null),
            json!(true),
            json!(-3),
            json!(u64::MAX),
            json!(1.5),
            json!(1.0),
            json!(""),
            json!("é".repeat(INLINE_MAX / 2)),
            json!(long),
            json!(["a", 1, [false, null]]),
            json!({"k": [1, "v"]}),
        ] {
            let p = PropValue::from_json(&v);
            assert_eq!(p.to_json(), v);
            assert_eq!(p, v);
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                serde_json::to_string(&v).unwrap()
            );
        }
        assert_ne!(PropValue::from_json(&json!(1)), json!(1.0));
        assert_ne!(PropValue::from_json(&json!(1)), PropValue::Float(1.0));
        assert_eq!(PropValue::str("abc"), PropValue::Long(Arc::from("abc")));
    }

    #[test]
    fn long_strings_are_shared_and_short_ones_inline() {
        let mut s = Strings::new();
        let url = "https://example.com/a/rather/long/picture/url.png";
        let (a, b) = (s.str(url), s.str(url));
        match (&a, &b) {
            (PropValue::Long(x), PropValue::Long(y)) => assert!(Arc::ptr_eq(x, y)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(s.str("active"), PropValue::Short(i) if i.as_str() == "active"));
        assert_eq!(s.str("active").as_str(), Some("active"));
    }
}
