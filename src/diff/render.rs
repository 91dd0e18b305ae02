//! Human-readable diff for `zoomscope diff` on a terminal. Every Zoom string
//! goes through `for_terminal`. When the operation log was joined
//! ([`super::Attribution::joined`]), each entity says who changed it.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Attribution, GraphDiff};
use crate::util::sanitize::for_terminal;

/// Renders a value compactly: strings bare, absent as `(none)`.
fn show(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(Value::String(s)) => format!("{:?}", for_terminal(s)),
        Some(other) => for_terminal(&other.to_string()).into_owned(),
    }
}

/// Who changed the entity `key`, indented under it: a line per
/// operation-log entry (`by olga@example.com at 2026-12-07 14:30 (Update:
/// …)`), or `unexplained`; nothing when the log was not joined.
fn by_lines(out: &mut String, a: &Attribution, key: &str) {
    if !a.joined() {
        return;
    }
    let by = a.by(key);
    if by.is_empty() {
        let _ = writeln!(out, "    unexplained");
    }
    for b in by {
        let _ = writeln!(
            out,
            "    by {} at {} ({}: {})",
            for_terminal(&b.operator),
            b.time.format("%Y-%m-%d %H:%M"),
            for_terminal(&b.action),
            for_terminal(&b.detail)
        );
    }
}

/// The diff as text: one line per added/removed entity and relationship,
/// one line per changed property, and under each entity who changed it.
/// `from`/`to` label the snapshots.
pub fn render_text(d: &GraphDiff, from: &str, to: &str) -> String {
    let mut out = String::new();
    let s = d.summary();
    let _ = writeln!(
        out,
        "snapshot {} → {}: {} added, {} removed, {} changed entities; {} relationships added, {} removed",
        for_terminal(from),
        for_terminal(to),
        s.entities_added,
        s.entities_removed,
        s.entities_changed,
        s.relationships_added,
        s.relationships_removed
    );
    for e in &d.entities_added {
        let _ = writeln!(
            out,
            "+ {} {} ({})",
            e.etype,
            for_terminal(&e.key),
            for_terminal(e.label())
        );
        by_lines(&mut out, &d.attribution, &e.key);
    }
    for e in &d.entities_removed {
        let _ = writeln!(
            out,
            "- {} {} ({})",
            e.etype,
            for_terminal(&e.key),
            for_terminal(e.label())
        );
        by_lines(&mut out, &d.attribution, &e.key);
    }
    for c in &d.entities_changed {
        let _ = writeln!(
            out,
            "~ {} {} ({})",
            c.etype,
            for_terminal(&c.key),
            for_terminal(&c.label)
        );
        for p in &c.changes {
            let _ = writeln!(
                out,
                "    {}: {} → {}",
                for_terminal(&p.name),
                show(p.old.as_ref()),
                show(p.new.as_ref())
            );
        }
        by_lines(&mut out, &d.attribution, &c.key);
    }
    for r in &d.relationships_added {
        let _ = writeln!(out, "+ {} {}", r.rtype, for_terminal(&r.key()));
    }
    for r in &d.relationships_removed {
        let _ = writeln!(out, "- {} {}", r.rtype, for_terminal(&r.key()));
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::diff::{By, EntityChange, PropChange};
    use crate::graph::EntityType;

    fn changed(key: &str) -> EntityChange {
        EntityChange {
            key: key.into(),
            etype: EntityType::User,
            label: "Bart".into(),
            changes: vec![PropChange {
                name: "roleId".into(),
                old: Some("2".into()),
                new: Some("1".into()),
            }],
        }
    }

    #[test]
    fn each_entity_says_who_changed_it_once_the_log_is_joined() {
        let mut d = GraphDiff {
            entities_changed: vec![changed("zoom_user:u1"), changed("zoom_user:u2")],
            ..GraphDiff::default()
        };
        let plain = render_text(&d, "1", "2");
        assert!(
            !plain.contains("by ") && !plain.contains("unexplained"),
            "{plain}"
        );

        d.attribution = Attribution::from_entries(vec![(
            "zoom_user:u1".into(),
            By {
                time: chrono::Utc
                    .with_ymd_and_hms(2026, 12, 7, 14, 30, 5)
                    .unwrap(),
                operator: "olga\u{1b}]0;x\u{7}@example.com".into(),
                action: "Update".into(),
                detail: "Update User bart@example.com  - User Role: from Member to Admin".into(),
            },
        )]);
        let text = render_text(&d, "1", "2");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..],
            [
                "~ zoom_user zoom_user:u1 (Bart)",
                "    roleId: \"2\" → \"1\"",
                "    by olga]0;x@example.com at 2026-12-07 14:30 (Update: Update User bart@example.com  - User Role: from Member to Admin)",
                "~ zoom_user zoom_user:u2 (Bart)",
                "    roleId: \"2\" → \"1\"",
                "    unexplained",
            ]
        );
    }
}
