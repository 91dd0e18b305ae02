//! Values as a person reads them (detail views, the Changes pane, the Query
//! pane; never `--json` or CSV, which keep Zoom's values): flags as yes/no,
//! Zoom's enum numbers by name, counts with thousands separators.
//!
//! The names come from Zoom's public docs: user `type` and `verified` from
//! "List users" (<https://developers.zoom.us/docs/api/users/#tag/users/GET/users>),
//! a group's `directory_privacy` from "Get a group"
//! (<https://developers.zoom.us/docs/api/users/#tag/groups/GET/groups/{groupId}>).

use serde_json::Value;

/// `12345` → `12,345`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A user's `type`: 1 Basic, 2 Licensed, 4 Unassigned without Meetings
/// Basic, 99 None (3 On-prem in older versions of the API).
pub fn user_type(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "Basic",
        2 => "Licensed",
        3 => "On-prem",
        4 => "Unassigned without Meetings Basic",
        99 => "None",
        _ => return None,
    })
}

/// A group's `directory_privacy` (1–3).
pub fn directory_privacy(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "Visible to everyone, searchable by everyone",
        2 => "Visible to members only, searchable by everyone",
        3 => "Visible to members only, searchable by members only",
        _ => return None,
    })
}

/// Properties that count things (shown with separators); other numbers
/// (a PMI, an account number) are identifiers and are shown as they are.
const COUNTS: &[&str] = &["totalMembers", "memberCount", "count"];

/// Integer 0/1 properties Zoom uses as flags.
const INT_FLAGS: &[&str] = &["verified"];

/// The value of property `name` as text for a person. Strings are returned
/// as they are (the caller sanitises them for the terminal).
pub fn prop(name: &str, v: &Value) -> String {
    let code = v.as_i64();
    let named = match (name, code) {
        ("type", Some(c)) => user_type(c),
        ("directoryPrivacy", Some(c)) => directory_privacy(c),
        (n, Some(c @ (0 | 1))) if INT_FLAGS.contains(&n) => Some(yes_no(c == 1)),
        _ => None,
    };
    if let Some(s) = named {
        return s.to_string();
    }
    match v {
        Value::Number(n) if COUNTS.contains(&name) => {
            n.as_u64().map(thousands).unwrap_or_else(|| n.to_string())
        }
        _ => value(v),
    }
}

/// A value without knowing its property: booleans as yes/no, arrays joined
/// with `, `, null empty.
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => yes_no(*b).to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().map(value).collect::<Vec<_>>().join(", "),
        Value::Object(_) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_enums_and_counts_read_as_words() {
        assert_eq!(prop("verified", &json!(1)), "yes");
        assert_eq!(prop("verified", &json!(0)), "no");
        assert_eq!(prop("active", &json!(true)), "yes");
        assert_eq!(prop("type", &json!(2)), "Licensed");
        assert_eq!(prop("type", &json!(4)), "Unassigned without Meetings Basic");
        assert_eq!(prop("type", &json!(7)), "7");
        assert_eq!(
            prop("directoryPrivacy", &json!(3)),
            "Visible to members only, searchable by members only"
        );
        assert_eq!(prop("totalMembers", &json!(1234567)), "1,234,567");
        // identifiers keep their digits
        assert_eq!(prop("pmi", &json!(6589310093_u64)), "6589310093");
        assert_eq!(prop("groupIds", &json!(["a", "b"])), "a, b");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(0), "0");
    }
}
