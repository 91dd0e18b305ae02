//! Type checks on the bodies whose items become entities.
//!
//! The client reads Zoom's objects leniently (a count sent as a string is
//! still a count), which is right for a type slip in one optional field but
//! wrong for a garbled body: an `id` or `name` that is a number where Zoom
//! sends a string means the body is not what Zoom meant, and taking it
//! would store a phantom entity (`zoom_role:12345`) in place of the real
//! one. Such a body is rejected here, before anything is converted.

use serde_json::Value;

/// Fields that, when present and not null, must be JSON strings.
const ROLE_TEXT: &[&str] = &["id", "name", "description", "type"];
const GROUP_TEXT: &[&str] = &["id", "name"];
/// Fields that, when present and not null, must be JSON numbers.
const COUNTS: &[&str] = &["total_members"];

/// Why a role (list item or detail) is garbled, or `None`. A detail's
/// `privileges` must be a list of strings.
pub(crate) fn role_problem(raw: &Value) -> Option<String> {
    problem(raw, "role", ROLE_TEXT).or_else(|| match raw.get("privileges") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => None,
        Some(Value::Array(_)) => Some("role has a privilege that is not a string".into()),
        Some(v) => Some(format!("role has `privileges` as {}", kind(v))),
    })
}

/// Why a group list item is garbled, or `None`.
pub(crate) fn group_problem(raw: &Value) -> Option<String> {
    problem(raw, "group", GROUP_TEXT)
}

fn problem(raw: &Value, what: &str, text: &[&str]) -> Option<String> {
    let Value::Object(o) = raw else {
        return Some(format!("{what} is {}, not an object", kind(raw)));
    };
    for key in text {
        match o.get(*key) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(v) => return Some(format!("{what} has `{key}` as {}, not a string", kind(v))),
        }
    }
    for key in COUNTS {
        match o.get(*key) {
            None | Some(Value::Null | Value::Number(_)) => {}
            Some(v) => return Some(format!("{what} has `{key}` as {}, not a number", kind(v))),
        }
    }
    None
}

fn kind(v: &Value) -> &'static str {
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
    use serde_json::json;

    use super::*;

    #[test]
    fn garbled_roles_and_groups_are_named() {
        let good =
            json!({"id": "2", "name": "Admin", "total_members": 3, "privileges": ["User:Read"]});
        assert_eq!(role_problem(&good), None);
        assert_eq!(role_problem(&json!({"id": "2"})), None);
        // the sandbox's --malformed-rate "wrong types" body
        let garbled = json!({"id": 12345, "name": 12345, "total_members": "3 records"});
        assert_eq!(
            role_problem(&garbled).as_deref(),
            Some("role has `id` as a number, not a string")
        );
        assert_eq!(
            role_problem(&json!({"id": "2", "total_members": "two"})).as_deref(),
            Some("role has `total_members` as a string, not a number")
        );
        assert_eq!(
            role_problem(&json!({"id": "2", "privileges": "[]"})).as_deref(),
            Some("role has `privileges` as a string")
        );
        assert!(role_problem(&json!({"id": "2", "privileges": [1]})).is_some());
        assert_eq!(group_problem(&json!({"id": "g", "name": "A"})), None);
        assert!(group_problem(&json!({"id": "g", "name": 42})).is_some());
        assert!(group_problem(&json!([1])).is_some());
    }
}
