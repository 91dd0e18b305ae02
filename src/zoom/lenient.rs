//! Tolerant field readers for Zoom's JSON. Zoom's bodies drift: fields go
//! missing, turn `null`, or change type (a number sent as a string). These
//! readers take what can be recovered and return `None` for the rest, so one
//! odd field never loses a whole user.

use serde_json::{Map, Value};

pub type Object = Map<String, Value>;

/// Where the readers find a field: a whole JSON object, or the handful of
/// fields a model reads, picked out of its text without building the rest
/// (see `models::UserFields`). Both give the same answers for the same JSON.
pub trait Fields {
    fn field(&self, key: &str) -> Option<&Value>;
}

impl Fields for Object {
    fn field(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

/// A string field. Numbers and booleans are rendered as strings (ids such as
/// role `"0"` have been seen as numbers).
pub fn string<F: Fields + ?Sized>(o: &F, key: &str) -> Option<String> {
    match o.field(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string field that identifies something: empty or blank means absent.
pub fn id<F: Fields + ?Sized>(o: &F, key: &str) -> Option<String> {
    string(o, key).filter(|s| !s.trim().is_empty())
}

fn value_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))
            .or_else(|| n.as_f64().and_then(f64_to_i64)),
        Value::String(s) => {
            let t = s.trim();
            t.parse::<i64>()
                .ok()
                .or_else(|| t.parse::<f64>().ok().and_then(f64_to_i64))
        }
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn f64_to_i64(f: f64) -> Option<i64> {
    // Only whole numbers in range; 1.5 is not an integer field's value.
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
        Some(f as i64)
    } else {
        None
    }
}

/// An integer field; numeric strings (`"2"`, `"2.0"`) are accepted.
pub fn int<F: Fields + ?Sized>(o: &F, key: &str) -> Option<i64> {
    value_i64(o.field(key)?)
}

/// A non-negative integer field (counts).
pub fn count<F: Fields + ?Sized>(o: &F, key: &str) -> Option<u64> {
    int(o, key).and_then(|i| u64::try_from(i).ok())
}

/// A boolean field; `1`/`0` and `"true"`/`"false"` are accepted.
pub fn boolean<F: Fields + ?Sized>(o: &F, key: &str) -> Option<bool> {
    match o.field(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A list of strings; a lone string becomes a one-item list, non-string
/// items are rendered or skipped, a comma-separated string is not split
/// (ids may legitimately contain commas in other APIs; Zoom's do not).
pub fn strings<F: Fields + ?Sized>(o: &F, key: &str) -> Vec<String> {
    match o.field(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A list of integers; numeric strings accepted, anything else skipped.
pub fn ints<F: Fields + ?Sized>(o: &F, key: &str) -> Vec<i64> {
    match o.field(key) {
        Some(Value::Array(items)) => items.iter().filter_map(value_i64).collect(),
        Some(v @ (Value::Number(_) | Value::String(_))) => value_i64(v).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A short description of a JSON value's kind, for error messages (never
/// the value itself: it may be long or sensitive).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn recovers_wrong_but_recoverable_types() {
        let o = obj(json!({
            "a": "12", "b": 12, "c": 12.0, "d": "x", "e": null, "f": 1.5, "g": " 7 ",
            "t": 1, "u": "false", "v": "maybe", "w": [1, "2", null, {}], "x": "one",
            "big": 18446744073709551615u64, "neg": -3
        }));
        assert_eq!(int(&o, "a"), Some(12));
        assert_eq!(int(&o, "b"), Some(12));
        assert_eq!(int(&o, "c"), Some(12));
        assert_eq!(int(&o, "d"), None);
        assert_eq!(int(&o, "e"), None);
        assert_eq!(int(&o, "f"), None);
        assert_eq!(int(&o, "g"), Some(7));
        assert_eq!(int(&o, "big"), None);
        assert_eq!(count(&o, "neg"), None);
        assert_eq!(int(&o, "missing"), None);
        assert_eq!(boolean(&o, "t"), Some(true));
        assert_eq!(boolean(&o, "u"), Some(false));
        assert_eq!(boolean(&o, "v"), None);
        assert_eq!(string(&o, "b"), Some("12".into()));
        assert_eq!(string(&o, "w"), None);
        assert_eq!(strings(&o, "w"), vec!["1".to_string(), "2".to_string()]);
        assert_eq!(strings(&o, "x"), vec!["one".to_string()]);
        assert_eq!(ints(&o, "w"), vec![1, 2]);
        assert_eq!(ints(&o, "a"), vec![12]);
        assert!(strings(&o, "e").is_empty());
    }

    #[test]
    fn blank_ids_are_absent() {
        let o = obj(json!({"id": "  ", "id2": "", "id3": 5}));
        assert_eq!(id(&o, "id"), None);
        assert_eq!(id(&o, "id2"), None);
        assert_eq!(id(&o, "id3"), Some("5".into()));
    }
}
