//! Zoom's operation-log and sign-in items → [`crate::activity::Event`]s.
//! An item whose time cannot be read is left out and named (the caller
//! reports it as skipped); a detail property that names a passcode,
//! password or secret has its values masked before anything is kept.

use crate::activity::{Event, Source, parse_time};
use crate::sync::ItemSkips;
use crate::zoom::redact::MASK;
use crate::zoom::{OperationLog, SignInActivity};

/// Operation-log items as events.
pub fn operation_events(items: &[OperationLog], skipped: &mut ItemSkips) -> Vec<Event> {
    items
        .iter()
        .filter_map(|e| match parse_time(&e.time) {
            Some(time) => Some(Event {
                source: Source::Operation,
                time,
                actor: e.operator.trim().to_string(),
                category: e.category_type.clone(),
                action: e.action.clone(),
                text: redact_detail(&e.operation_detail),
                ip_address: None,
                client_type: None,
                version: None,
            }),
            None => {
                skipped.add("operation log entry", "unreadable `time`");
                None
            }
        })
        .collect()
}

/// Sign-in activity items as events.
pub fn sign_in_events(items: &[SignInActivity], skipped: &mut ItemSkips) -> Vec<Event> {
    items
        .iter()
        .filter_map(|e| match parse_time(&e.time) {
            Some(time) => Some(Event {
                source: Source::SignIn,
                time,
                actor: e.email.trim().to_string(),
                category: "Sign-in".into(),
                action: e.kind.clone(),
                text: String::new(),
                ip_address: e.ip_address.clone(),
                client_type: e.client_type.clone(),
                version: e.version.clone(),
            }),
            None => {
                skipped.add("sign-in activity entry", "unreadable `time`");
                None
            }
        })
        .collect()
}

fn is_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["passcode", "password", "secret", "host key", "token"]
        .iter()
        .any(|w| n.contains(w))
        && !["require", "length", "minimum", "have "]
            .iter()
            .any(|w| n.contains(w))
}

/// `… - Meeting Passcode: from 123456 to 654321` → `… - Meeting Passcode: [REDACTED]`.
/// Policies about passcodes (`Require a passcode …: from On to Off`) are kept.
pub fn redact_detail(text: &str) -> String {
    let (head, sep, tail) = match text.split_once("  - ") {
        Some((h, t)) => (h, "  - ", t),
        None => return text.to_string(),
    };
    let items: Vec<String> = tail
        .split(" - ")
        .map(|item| match item.split_once(": ") {
            Some((name, _)) if is_secret(name) => format!("{name}: {MASK}"),
            _ => item.to_string(),
        })
        .collect();
    format!("{head}{sep}{}", items.join(" - "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn passcodes_are_masked_and_policies_kept() {
        let t = redact_detail(
            "Update User a@b.example  - Personal Meeting Passcode: from 111111 to 222222 - Job Title: set to CTO",
        );
        assert!(!t.contains("111111") && !t.contains("222222"), "{t}");
        assert!(t.contains("Job Title: set to CTO"));
        let policy = "Security  - Require a passcode when scheduling new meetings: from On to Off";
        assert_eq!(redact_detail(policy), policy);
    }

    #[test]
    fn unreadable_times_are_skipped_and_named() {
        let item = |time: &str| OperationLog {
            time: time.into(),
            operator: "olga@x.example".into(),
            category_type: "User".into(),
            action: "Update".into(),
            operation_detail: "Activate User a@x.example".into(),
            raw: Value::Null,
        };
        let mut skipped = ItemSkips::default();
        let events = operation_events(
            &[
                item("2026-12-05T14:30:00Z"),
                item("soon"),
                item("2026-12-05 14:31:00"),
            ],
            &mut skipped,
        );
        assert_eq!(events.len(), 2);
        assert_eq!(skipped.count, 1);
    }
}
