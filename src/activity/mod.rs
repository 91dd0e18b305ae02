//! Who changed it: the account's operation log (admin changes) and sign-in
//! activity as events, independent of Zoom's wire format (sync converts
//! Zoom's items in `src/sync/convert/activity.rs`; the store keeps them
//! append-only in `src/store/activity.rs`).
//!
//! An event keeps Zoom's raw detail text always; [`Event::detail`] parses
//! it on demand ([`parse::parse_detail`]), and [`Event::subject_key`]
//! resolves what it names to an entity `_key` of a graph.

pub mod parse;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::graph::{EntityType, Graph};
pub use parse::{Detail, PropertyChange, Subject, parse_detail};

/// Which log an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The operation log: a change an admin made.
    Operation,
    /// Sign-in activity (`Sign in`, `Sign out`).
    SignIn,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operation => "operation",
            Self::SignIn => "sign_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "operation" => Some(Self::Operation),
            "sign_in" => Some(Self::SignIn),
            _ => None,
        }
    }
}

/// One logged event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub source: Source,
    pub time: DateTime<Utc>,
    /// The operator (operation log) or the user signing in or out.
    pub actor: String,
    /// `category_type` (`User`, `Account`, …); `Sign-in` for sign-in activity.
    pub category: String,
    /// `action` (`Update`, `Add`, …), or the activity type (`Sign in`).
    pub action: String,
    /// `operation_detail` as Zoom wrote it (secrets masked); empty for sign-ins.
    pub text: String,
    pub ip_address: Option<String>,
    pub client_type: Option<String>,
    pub version: Option<String>,
}

impl Event {
    /// The parsed detail (empty for sign-ins).
    pub fn detail(&self) -> Detail {
        match self.source {
            Source::Operation => parse_detail(&self.text),
            Source::SignIn => Detail::default(),
        }
    }

    /// What the event is about: the detail's subject, or the user signing in.
    pub fn subject(&self) -> Option<Subject> {
        match self.source {
            Source::Operation => self.detail().subject,
            Source::SignIn => Some(Subject::User(self.actor.to_lowercase())),
        }
    }

    /// The `_key` of the entity the event is about in `graph`, when it is
    /// there: a user by e-mail, a group or role by name, the account for a
    /// settings section.
    pub fn subject_key(&self, graph: &Graph) -> Option<String> {
        subject_key(graph, &self.subject()?)
    }

    /// JSON for `activity --json` and the rules' evidence.
    pub fn to_json(&self, key: Option<&str>) -> Value {
        let d = self.detail();
        json!({
            "source": self.source.as_str(),
            "time": self.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "actor": self.actor,
            "category": self.category,
            "action": self.action,
            "detail": self.text,
            "subject": d.subject.or_else(|| self.subject()),
            "changes": d.changes,
            "entity": key,
            "ip_address": self.ip_address,
            "client_type": self.client_type,
            "version": self.version,
        })
    }
}

/// The `_key` a subject names in `graph`.
pub fn subject_key(graph: &Graph, subject: &Subject) -> Option<String> {
    let find_named = |t: EntityType, name: &str| {
        graph
            .of_type(t)
            .iter()
            .map(|id| graph.entity(*id))
            .find(|e| {
                e.props
                    .str("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|e| e.key.clone())
    };
    match subject {
        Subject::User(email) => graph
            .by_email(email)
            .iter()
            .map(|id| graph.entity(*id))
            .find(|e| e.etype == EntityType::User)
            .map(|e| e.key.clone()),
        Subject::Group(name) => find_named(EntityType::Group, name),
        Subject::Role(name) => find_named(EntityType::Role, name),
        Subject::Setting(_) => graph
            .of_type(EntityType::Account)
            .first()
            .map(|id| graph.entity(*id).key.clone()),
    }
}

/// A log time as Zoom writes it: ISO 8601 (`2026-12-05T14:30:00Z`), or
/// `2026-12-05 14:30:00` (UTC) as some collectors show it.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

/// Which events `activity` lists.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub since: Option<DateTime<Utc>>,
    /// The operator (or user signing in), case-insensitive.
    pub operator: Option<String>,
    /// A user the event is about (the detail's user, or who signed in).
    pub user: Option<String>,
}

impl Filter {
    pub fn matches(&self, e: &Event) -> bool {
        if self.since.is_some_and(|s| e.time < s) {
            return false;
        }
        if let Some(op) = &self.operator
            && !e.actor.eq_ignore_ascii_case(op)
        {
            return false;
        }
        if let Some(user) = &self.user {
            let about =
                matches!(e.subject(), Some(Subject::User(u)) if u.eq_ignore_ascii_case(user));
            if !about {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_time_formats_read() {
        let a = parse_time("2026-12-05T14:30:00Z").unwrap();
        let b = parse_time("2026-12-05 14:30:00").unwrap();
        assert_eq!(a, b);
        assert!(parse_time("yesterday").is_none());
    }
}
