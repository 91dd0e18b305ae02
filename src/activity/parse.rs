//! Reading an operation-log detail: what it names (a user by e-mail, a
//! group, a role, a settings section), and each property with its old and
//! new values.
//!
//! Zoom's details look like (real examples, see
//! `docs/zoom-contract.md#operation-logs-and-sign-in-activity`):
//!
//! ```text
//! Update User bart@example.io  - User Role: from Member to Admin
//! Update User lisa@example.io  - Job Title: set to Contractor
//! Change Role  - homer@example.io: from User to Co-Owner
//! Add User homer@example.io  - User Type: Basic - Department: Foo
//! Activate User alice@example.com
//! Security  - Sign in with Two-Factor Authentication: from On to Off
//! ```
//!
//! The head and the first property are separated by two spaces, a dash and
//! a space; later properties by ` - `. Whatever does not fit is left
//! unparsed: the raw text is always kept beside.

use serde::Serialize;

/// What a detail is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Subject {
    /// A user, by e-mail (lower-cased).
    User(String),
    Group(String),
    Role(String),
    /// A section of account settings (`Security`, `Sign-in Methods`).
    Setting(String),
}

/// One property the detail changes or sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyChange {
    pub property: String,
    /// `from X to Y`: X. `None` for `set to Y` and plain values.
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A parsed detail.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Detail {
    /// The verb of the head (`Update`, `Add`, `Activate`, `Change`), if any.
    pub verb: Option<String>,
    pub subject: Option<Subject>,
    pub changes: Vec<PropertyChange>,
}

const VERBS: &[&str] = &[
    "Add",
    "Update",
    "Delete",
    "Remove",
    "Activate",
    "Deactivate",
    "Change",
    "Create",
    "Unlink",
    "Assign",
    "Edit",
];

/// Parses `operation_detail`. Never fails: an unknown shape gives an empty
/// [`Detail`] (or what could be read).
pub fn parse_detail(text: &str) -> Detail {
    let text = text.trim();
    let (head, tail) = match text.split_once("  - ") {
        Some((h, t)) => (h.trim(), Some(t)),
        None => match text.split_once(" - ") {
            Some((h, t)) if !h.contains(':') => (h.trim(), Some(t)),
            _ => (text, None),
        },
    };
    let mut out = Detail::default();
    let mut words = head.split_whitespace();
    let first = words.next().unwrap_or_default();
    if VERBS.contains(&first) {
        out.verb = Some(first.to_string());
        let kind = words.next().unwrap_or_default();
        let name = words.collect::<Vec<_>>().join(" ");
        out.subject = match (kind, name.is_empty()) {
            ("User", false) => Some(Subject::User(name.to_lowercase())),
            ("Group", false) => Some(Subject::Group(name)),
            ("Role", false) => Some(Subject::Role(name)),
            _ => None,
        };
    } else if !head.is_empty() {
        out.subject = Some(Subject::Setting(head.to_string()));
    }
    let Some(tail) = tail else {
        return out;
    };
    // `Change Role  - a@b: from X to Y`: the property is the head's object,
    // and the item names the user.
    let head_property = match (out.verb.as_deref(), &out.subject) {
        (Some(_), None) => head.split_whitespace().nth(1).map(str::to_string),
        _ => None,
    };
    for item in tail.split(" - ") {
        let Some((name, value)) = item.split_once(": ") else {
            continue;
        };
        let name = name.trim();
        let (old, new) = values(value.trim());
        let property = match &head_property {
            Some(p) if name.contains('@') => {
                if out.subject.is_none() {
                    out.subject = Some(Subject::User(name.to_lowercase()));
                }
                p.clone()
            }
            _ => name.to_string(),
        };
        out.changes.push(PropertyChange { property, old, new });
    }
    out
}

/// `from X to Y` → (X, Y); `set to Y` → (None, Y); anything else is the new value.
fn values(v: &str) -> (Option<String>, Option<String>) {
    if let Some(rest) = v.strip_prefix("from ")
        && let Some((old, new)) = rest.split_once(" to ")
    {
        return (Some(old.trim().to_string()), Some(new.trim().to_string()));
    }
    if let Some(new) = v.strip_prefix("set to ") {
        return (None, Some(new.trim().to_string()));
    }
    (None, (!v.is_empty()).then(|| v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(p: &str, old: Option<&str>, new: Option<&str>) -> PropertyChange {
        PropertyChange {
            property: p.into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
        }
    }

    #[test]
    fn zooms_real_detail_formats() {
        let d = parse_detail("Update User bart@example.io  - User Role: from Member to Admin");
        assert_eq!(d.verb.as_deref(), Some("Update"));
        assert_eq!(d.subject, Some(Subject::User("bart@example.io".into())));
        assert_eq!(
            d.changes,
            vec![change("User Role", Some("Member"), Some("Admin"))]
        );

        let d = parse_detail("Update User lisa@example.io  - Job Title: set to Contractor");
        assert_eq!(
            d.changes,
            vec![change("Job Title", None, Some("Contractor"))]
        );

        let d = parse_detail("Change Role  - homer@example.io: from User to Co-Owner");
        assert_eq!(d.subject, Some(Subject::User("homer@example.io".into())));
        assert_eq!(
            d.changes,
            vec![change("Role", Some("User"), Some("Co-Owner"))]
        );

        let d = parse_detail("Add User homer@example.io  - User Type: Basic - Department: Foo");
        assert_eq!(d.verb.as_deref(), Some("Add"));
        assert_eq!(
            d.changes,
            vec![
                change("User Type", None, Some("Basic")),
                change("Department", None, Some("Foo"))
            ]
        );

        // Group settings are logged with `Edit Group` (Panther's Zoom tests).
        let d = parse_detail(
            "Edit Group Springfield  - Personal Meeting ID (PMI) Passcode: from On to Off",
        );
        assert_eq!(d.subject, Some(Subject::Group("Springfield".into())));
        assert_eq!(
            d.changes,
            vec![change(
                "Personal Meeting ID (PMI) Passcode",
                Some("On"),
                Some("Off")
            )]
        );

        let d = parse_detail("Activate User alice@example.com");
        assert_eq!(d.subject, Some(Subject::User("alice@example.com".into())));
        assert!(d.changes.is_empty());

        let d = parse_detail("Security  - Sign in with Two-Factor Authentication: from On to Off");
        assert_eq!(d.verb, None);
        assert_eq!(d.subject, Some(Subject::Setting("Security".into())));
        assert_eq!(
            d.changes,
            vec![change(
                "Sign in with Two-Factor Authentication",
                Some("On"),
                Some("Off")
            )]
        );
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "",
            "  - ",
            " - : ",
            "Update",
            "Update User",
            "x: from  to ",
            "é  - ü: from",
        ] {
            let _ = parse_detail(s);
        }
        assert_eq!(parse_detail(""), Detail::default());
    }
}
