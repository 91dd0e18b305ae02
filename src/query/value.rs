//! Comparing entity properties with literals, J1QL style, without cloning
//! or allocating on the hot path.
//!
//! Semantics (documented in GRAMMAR.md):
//! - A missing property, or one holding JSON `null`, is `undefined`.
//! - Each negated operator (`!=`, `!~=`, `!^=`, `!$=`) is exactly the
//!   complement of its positive form, so `prop != x` is true when `prop` is
//!   undefined.
//! - An array property matches when any element matches (`groupIds = 'x'`
//!   means "contains x"; `groupIds != 'x'` means "does not contain x").
//! - A list literal matches when any item matches (`= ['a','b']` is any-of).
//! - Types are strict: a number never equals a string. A string property
//!   compared with `date.now …` is read as an ISO-8601 time; a number as
//!   epoch milliseconds. Two strings that both read as ISO-8601 times are
//!   compared as times by `<`, `<=`, `>`, `>=`.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

use crate::graph::{Entity, PropName, PropValue};

use super::lexer::CmpOp;

/// A literal ready to compare: times resolved against `now`, string times
/// pre-parsed.
#[derive(Debug, Clone)]
pub enum Lit {
    Str {
        s: String,
        /// Set when the string reads as an ISO-8601 time.
        time: Option<DateTime<Utc>>,
    },
    Num(f64),
    Bool(bool),
    Undefined,
    Time {
        at: DateTime<Utc>,
        /// `at` as Zoom writes times (`2024-05-01T10:00:00Z`), so the common
        /// case compares strings instead of parsing each property.
        canonical: String,
    },
    List(Vec<Lit>),
    /// A list literal from a query (`= ['a', 'b', …]`), with its strings and
    /// numbers also hashed: `=` over a 200,000-item list is one lookup per
    /// value instead of a scan.
    AnyOf(Box<AnyOf>),
}

/// See [`Lit::AnyOf`].
#[derive(Debug, Clone)]
pub struct AnyOf {
    /// Every item, in order, for the operators other than `=`.
    items: Vec<Lit>,
    strs: HashSet<String>,
    /// `f64::to_bits` of each number, with -0.0 read as 0.0.
    nums: HashSet<u64>,
    /// Items that are neither strings nor numbers (booleans, times,
    /// undefined), compared one by one under `=` as well.
    others: Vec<Lit>,
}

fn num_key(x: f64) -> u64 {
    if x == 0.0 {
        0.0f64.to_bits()
    } else {
        x.to_bits()
    }
}

impl AnyOf {
    /// Whether `p` equals any item: the `=` of [`positive_match`].
    fn contains(&self, p: PropVal<'_>) -> bool {
        let hashed = match p {
            PropVal::Missing => false,
            PropVal::Str(s) => self.strs.contains(s),
            PropVal::Val(PropValue::List(vs)) => vs.iter().any(|v| self.contains_scalar(v)),
            PropVal::Val(v) => self.contains_scalar(v),
        };
        hashed || self.others.iter().any(|l| positive_match(p, CmpOp::Eq, l))
    }

    fn contains_scalar(&self, v: &PropValue) -> bool {
        match v.as_str() {
            Some(s) => self.strs.contains(s),
            None => v.as_f64().is_some_and(|x| self.nums.contains(&num_key(x))),
        }
    }
}

impl Lit {
    /// A query's list literal (see [`Lit::AnyOf`]).
    pub fn any_of(items: Vec<Lit>) -> Lit {
        let mut strs = HashSet::new();
        let mut nums = HashSet::new();
        let mut others = Vec::new();
        for l in &items {
            match l {
                Lit::Str { s, .. } => {
                    strs.insert(s.clone());
                }
                Lit::Num(x) => {
                    nums.insert(num_key(*x));
                }
                other => others.push(other.clone()),
            }
        }
        Lit::AnyOf(Box::new(AnyOf {
            items,
            strs,
            nums,
            others,
        }))
    }

    pub fn string(s: String) -> Lit {
        let time = parse_time(&s);
        Lit::Str { s, time }
    }

    pub fn time(at: DateTime<Utc>) -> Lit {
        Lit::Time {
            at,
            canonical: at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// A property value turned into a literal (for `WHERE a.x = b.y`).
    pub fn from_prop(p: PropVal<'_>) -> Lit {
        match p {
            PropVal::Missing => Lit::Undefined,
            PropVal::Str(s) => Lit::string(s.to_string()),
            PropVal::Val(v) => Lit::from_json(&v.to_json()),
        }
    }

    fn from_json(v: &Value) -> Lit {
        match v {
            Value::Null => Lit::Undefined,
            Value::String(s) => Lit::string(s.clone()),
            Value::Number(n) => n.as_f64().map_or(Lit::List(Vec::new()), Lit::Num),
            Value::Bool(b) => Lit::Bool(*b),
            Value::Array(a) => Lit::List(a.iter().map(Lit::from_json).collect()),
            // An object equals nothing: an empty any-of list.
            Value::Object(_) => Lit::List(Vec::new()),
        }
    }
}

/// A property as read from an entity, borrowed: a string property reads
/// as `Str`, any other value as `Val`.
#[derive(Debug, Clone, Copy)]
pub enum PropVal<'a> {
    Missing,
    Str(&'a str),
    Val(&'a PropValue),
}

/// Which property a reference reads; the pseudo-properties are resolved
/// once at compile time instead of by string compare per entity.
#[derive(Debug, Clone)]
pub enum PropKey<'q> {
    Key,
    Type,
    Class,
    Named(NamedKey<'q>),
}

/// A property name plus where it was found lately. Entities of one type
/// share a few property layouts (users with and without settings, pending
/// users), so one of the slots that held `status` in recent users almost
/// always holds it in the next: checking those costs a cache line or two
/// instead of a binary search's five to eight dependent reads.
#[derive(Debug, Clone)]
pub struct NamedKey<'q> {
    name: &'q str,
    guesses: [Cell<u32>; GUESSES],
    next: Cell<u8>,
}

const GUESSES: usize = 4;

impl<'q> PropKey<'q> {
    pub fn new(name: &'q str) -> Self {
        match name {
            "_key" => PropKey::Key,
            "_type" => PropKey::Type,
            "_class" => PropKey::Class,
            other => PropKey::Named(NamedKey {
                name: other,
                guesses: Default::default(),
                next: Cell::new(0),
            }),
        }
    }

    pub fn read<'a>(&self, e: &'a Entity) -> PropVal<'a> {
        match self {
            PropKey::Key => PropVal::Str(&e.key),
            PropKey::Type => PropVal::Str(e.etype.as_str()),
            PropKey::Class => PropVal::Str(e.etype.class()),
            PropKey::Named(k) => {
                let found = k.find(e.props.entries());
                match found {
                    None | Some(PropValue::Null) => PropVal::Missing,
                    Some(v) => match v.as_str() {
                        Some(s) => PropVal::Str(s),
                        None => PropVal::Val(v),
                    },
                }
            }
        }
    }
}

impl NamedKey<'_> {
    fn find<'a>(&self, entries: &'a [(PropName, PropValue)]) -> Option<&'a PropValue> {
        for g in &self.guesses {
            if let Some((n, v)) = entries.get(g.get() as usize)
                && n.as_ref() == self.name
            {
                return Some(v);
            }
        }
        let i = entries
            .binary_search_by(|(n, _)| n.as_ref().cmp(self.name))
            .ok()?;
        let slot = usize::from(self.next.get()) % GUESSES;
        if let Some(g) = self.guesses.get(slot) {
            g.set(u32::try_from(i).unwrap_or(0));
        }
        self.next.set(self.next.get().wrapping_add(1));
        entries.get(i).map(|(_, v)| v)
    }
}

/// `prop op lit`.
pub fn compare(p: PropVal<'_>, op: CmpOp, lit: &Lit) -> bool {
    let (positive, negate) = match op {
        CmpOp::Ne => (CmpOp::Eq, true),
        CmpOp::NotContains => (CmpOp::Contains, true),
        CmpOp::NotStartsWith => (CmpOp::StartsWith, true),
        CmpOp::NotEndsWith => (CmpOp::EndsWith, true),
        other => (other, false),
    };
    positive_match(p, positive, lit) != negate
}

fn positive_match(p: PropVal<'_>, op: CmpOp, lit: &Lit) -> bool {
    match lit {
        Lit::List(items) => items.iter().any(|l| positive_match(p, op, l)),
        Lit::AnyOf(set) if op == CmpOp::Eq => set.contains(p),
        Lit::AnyOf(set) => set.items.iter().any(|l| positive_match(p, op, l)),
        Lit::Undefined => op == CmpOp::Eq && matches!(p, PropVal::Missing),
        _ => match p {
            PropVal::Missing => false,
            PropVal::Str(s) => str_match(s, op, lit),
            PropVal::Val(PropValue::List(items)) => items.iter().any(|v| scalar_match(v, op, lit)),
            PropVal::Val(v) => scalar_match(v, op, lit),
        },
    }
}

fn scalar_match(v: &PropValue, op: CmpOp, lit: &Lit) -> bool {
    if let Some(s) = v.as_str() {
        return str_match(s, op, lit);
    }
    match v {
        PropValue::Int(_) | PropValue::UInt(_) | PropValue::Float(_) => match (v.as_f64(), lit) {
            (Some(x), Lit::Num(y)) => ordered(x.partial_cmp(y), op),
            (Some(ms), Lit::Time { at, .. }) => {
                ordered(ms.partial_cmp(&(at.timestamp_millis() as f64)), op)
            }
            _ => false,
        },
        PropValue::Bool(b) => match lit {
            Lit::Bool(l) => ordered(Some(b.cmp(l)), op),
            _ => false,
        },
        _ => false,
    }
}

fn str_match(s: &str, op: CmpOp, lit: &Lit) -> bool {
    match lit {
        Lit::Str { s: l, time } => match op {
            CmpOp::Eq => s == l,
            CmpOp::Contains => s.contains(l.as_str()),
            CmpOp::StartsWith => s.starts_with(l.as_str()),
            CmpOp::EndsWith => s.ends_with(l.as_str()),
            _ => {
                let ord = match time {
                    Some(t) => match parse_time(s) {
                        Some(st) => st.cmp(t),
                        None => s.cmp(l),
                    },
                    None => s.cmp(l),
                };
                ordered(Some(ord), op)
            }
        },
        Lit::Time { at, canonical } => {
            if !is_ordering(op) && op != CmpOp::Eq {
                return false;
            }
            let ord = if is_canonical_time(s) {
                Some(s.cmp(canonical.as_str()))
            } else {
                parse_time(s).map(|t| t.cmp(at))
            };
            ordered(ord, op)
        }
        _ => false,
    }
}

fn is_ordering(op: CmpOp) -> bool {
    matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
}

fn ordered(ord: Option<Ordering>, op: CmpOp) -> bool {
    let Some(o) = ord else { return false };
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
        _ => false,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the shape Zoom sends, which sorts as text.
fn is_canonical_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// Reads an ISO-8601 time: RFC 3339 (`2024-05-01T10:00:00Z`,
/// `…+02:00`, fractions), a date-time without zone (taken as UTC), or a
/// date (midnight UTC).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 10 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// A sort key borrowed from a property or a result value. Undefined sorts
/// last in both directions (see GRAMMAR.md).
#[derive(Debug, Clone, Copy)]
pub enum SortVal<'a> {
    Missing,
    Num(f64),
    Str(&'a str),
    Bool(bool),
    Other(&'a Value),
    /// A list or object property, ordered by its JSON text as `Other`.
    OtherProp(&'a PropValue),
}

impl<'a> SortVal<'a> {
    pub fn of_prop(p: PropVal<'a>) -> Self {
        match p {
            PropVal::Missing => SortVal::Missing,
            PropVal::Str(s) => SortVal::Str(s),
            PropVal::Val(v) => Self::of_value(v),
        }
    }

    pub fn of_value(v: &'a PropValue) -> Self {
        match v {
            PropValue::Null => SortVal::Missing,
            PropValue::Bool(b) => SortVal::Bool(*b),
            PropValue::Short(_) | PropValue::Long(_) => {
                SortVal::Str(v.as_str().unwrap_or_default())
            }
            PropValue::Int(_) | PropValue::UInt(_) | PropValue::Float(_) => {
                v.as_f64().map_or(SortVal::OtherProp(v), SortVal::Num)
            }
            other => SortVal::OtherProp(other),
        }
    }

    /// The JSON text an `Other` or `OtherProp` sorts by.
    fn other_text(&self) -> String {
        match self {
            SortVal::Other(v) => v.to_string(),
            SortVal::OtherProp(v) => v.to_json().to_string(),
            _ => String::new(),
        }
    }

    pub fn of_json(v: &'a Value) -> Self {
        match v {
            Value::Null => SortVal::Missing,
            Value::String(s) => SortVal::Str(s),
            Value::Number(n) => n.as_f64().map_or(SortVal::Other(v), SortVal::Num),
            Value::Bool(b) => SortVal::Bool(*b),
            other => SortVal::Other(other),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            SortVal::Num(_) => 0,
            SortVal::Str(_) => 1,
            SortVal::Bool(_) => 2,
            SortVal::Other(_) | SortVal::OtherProp(_) => 3,
            SortVal::Missing => 4,
        }
    }

    /// Ascending order among present values; `Missing` compares equal to
    /// itself and is placed last by [`sort_cmp`].
    fn cmp_present(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortVal::Num(a), SortVal::Num(b)) => a.total_cmp(b),
            (SortVal::Str(a), SortVal::Str(b)) => a.cmp(b),
            (SortVal::Bool(a), SortVal::Bool(b)) => a.cmp(b),
            (
                SortVal::Other(_) | SortVal::OtherProp(_),
                SortVal::Other(_) | SortVal::OtherProp(_),
            ) => self.other_text().cmp(&other.other_text()),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// Compares two keys for ORDER BY: `descending` flips present values, but
/// undefined stays last.
pub fn sort_cmp(a: &SortVal<'_>, b: &SortVal<'_>, descending: bool) -> Ordering {
    match (a, b) {
        (SortVal::Missing, SortVal::Missing) => Ordering::Equal,
        (SortVal::Missing, _) => Ordering::Greater,
        (_, SortVal::Missing) => Ordering::Less,
        _ => {
            let o = a.cmp_present(b);
            if descending { o.reverse() } else { o }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A property read as an entity's would be (leaked: a test's few values).
    fn j(v: &Value) -> PropVal<'static> {
        let p: &'static PropValue = Box::leak(Box::new(PropValue::from_json(v)));
        match p.as_str() {
            Some(s) => PropVal::Str(s),
            None => PropVal::Val(p),
        }
    }

    #[test]
    fn undefined_and_negation() {
        let x = Lit::string("x".into());
        assert!(!compare(PropVal::Missing, CmpOp::Eq, &x));
        assert!(compare(PropVal::Missing, CmpOp::Ne, &x));
        assert!(compare(PropVal::Missing, CmpOp::Eq, &Lit::Undefined));
        assert!(!compare(PropVal::Missing, CmpOp::Ne, &Lit::Undefined));
        assert!(!compare(PropVal::Missing, CmpOp::Lt, &Lit::Num(3.0)));
        assert!(compare(PropVal::Missing, CmpOp::NotContains, &x));
    }

    #[test]
    fn arrays_contain() {
        let v = json!(["a", "b"]);
        assert!(compare(j(&v), CmpOp::Eq, &Lit::string("b".into())));
        assert!(!compare(j(&v), CmpOp::Ne, &Lit::string("b".into())));
        assert!(compare(j(&v), CmpOp::Ne, &Lit::string("c".into())));
        let n = json!([100, 101]);
        assert!(compare(j(&n), CmpOp::Eq, &Lit::Num(101.0)));
    }

    #[test]
    fn times() {
        let at = parse_time("2024-05-01T00:00:00Z").unwrap();
        let lit = Lit::time(at);
        let before = json!("2024-04-30T23:59:59Z");
        let offset = json!("2024-05-01T01:00:00+02:00");
        assert!(compare(j(&before), CmpOp::Lt, &lit));
        assert!(compare(j(&offset), CmpOp::Lt, &lit));
        assert!(!compare(j(&json!("not a time")), CmpOp::Lt, &lit));
        assert!(compare(
            j(&json!(at.timestamp_millis() - 1)),
            CmpOp::Lt,
            &lit
        ));
        assert_eq!(parse_time("2024-05-01"), Some(at));
    }
}
