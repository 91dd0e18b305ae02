//! How results are shown: `check`'s text and JSON, and the one-line message
//! a webhook gets. Zoom strings pass through `for_terminal`.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::eval::{RuleResult, RuleStatus};
use super::rule::Severity;
use crate::graph::Graph;
use crate::util::sanitize::for_terminal;

/// Entities listed per rule in text output before "… and N more".
const TEXT_LIMIT: usize = 20;

/// Fired rules at or above `min`.
pub fn fired_at_or_above(
    results: &[RuleResult],
    min: Severity,
) -> impl Iterator<Item = &RuleResult> {
    results
        .iter()
        .filter(move |r| r.fired() && r.severity >= min)
}

/// Whether `check` exits 1.
pub fn should_fail(results: &[RuleResult], min: Severity) -> bool {
    fired_at_or_above(results, min).next().is_some()
}

/// Rules evaluated (not skipped, not failed).
pub fn evaluated(results: &[RuleResult]) -> usize {
    results
        .iter()
        .filter(|r| matches!(r.status, RuleStatus::Fired | RuleStatus::Quiet))
        .count()
}

/// `check --json`: `{"fired": [{"rule", "severity", "count", "entities"}],
/// "evaluated": N}`, plus `"errors": [{"rule", "message"}]` when a query failed.
pub fn check_json(results: &[RuleResult], min: Severity) -> Value {
    let fired: Vec<Value> = fired_at_or_above(results, min)
        .map(RuleResult::to_json)
        .collect();
    let mut v = json!({ "fired": fired, "evaluated": evaluated(results) });
    let errors: Vec<Value> = results
        .iter()
        .filter_map(|r| match &r.status {
            RuleStatus::Error { message } => Some(json!({"rule": r.rule, "message": message})),
            _ => None,
        })
        .collect();
    if !errors.is_empty()
        && let Some(m) = v.as_object_mut()
    {
        m.insert("errors".into(), Value::Array(errors));
    }
    v
}

/// `Label <email> (key)` for an entity key, sanitised.
pub fn entity_line(graph: &Graph, key: &str) -> String {
    match graph.get(key) {
        Some(e) => {
            let label = for_terminal(e.label()).into_owned();
            match e.props.str("email").filter(|m| *m != e.label()) {
                Some(mail) => format!("{label} <{}> ({})", for_terminal(mail), for_terminal(key)),
                None => format!("{label} ({})", for_terminal(key)),
            }
        }
        None => for_terminal(key).into_owned(),
    }
}

/// `check` on a terminal: one block per fired rule, then a summary line.
pub fn check_text(results: &[RuleResult], graph: &Graph, min: Severity) -> String {
    let mut out = String::new();
    for r in fired_at_or_above(results, min) {
        let ents = r.alert_entities();
        let n = r.alert_count().unwrap_or_default();
        let _ = writeln!(
            out,
            "[{}] {} — {} ({} {})",
            r.severity.as_str().to_uppercase(),
            r.rule,
            for_terminal(&r.description),
            n,
            if n == 1 { "match" } else { "matches" }
        );
        // An event rule lists its events (subject, operator, time); a
        // query rule its entities.
        let lines: Vec<String> = if r.events.is_empty() {
            ents.iter().map(|k| entity_line(graph, k)).collect()
        } else {
            r.events.iter().map(|e| e.line()).collect()
        };
        for l in lines.iter().take(TEXT_LIMIT) {
            let _ = writeln!(out, "    {l}");
        }
        if lines.len() > TEXT_LIMIT {
            let _ = writeln!(out, "    … and {} more", lines.len() - TEXT_LIMIT);
        }
    }
    for r in results {
        if let RuleStatus::Error { message } = &r.status {
            let _ = writeln!(out, "error: rule {}: {}", r.rule, for_terminal(message));
        }
    }
    let fired = fired_at_or_above(results, min).count();
    let _ = writeln!(
        out,
        "{} rules evaluated, {} fired at or above {}",
        evaluated(results),
        fired,
        min
    );
    out
}

/// The webhook/Slack message for a newly fired rule.
pub fn alert_message(r: &RuleResult, graph: &Graph) -> String {
    let ents = r.alert_entities();
    let mut s = format!(
        "[{}] {}: {}",
        r.severity.as_str().to_uppercase(),
        r.rule,
        r.description
    );
    if !r.events.is_empty() {
        let lines: Vec<String> = r.events.iter().take(10).map(|e| e.line()).collect();
        let _ = write!(s, " — {}", lines.join("; "));
        if r.events.len() > 10 {
            let _ = write!(s, " and {} more", r.events.len() - 10);
        }
    } else if !ents.is_empty() {
        let names: Vec<String> = ents
            .iter()
            .take(10)
            .map(|k| entity_line(graph, k))
            .collect();
        let _ = write!(s, " — {}", names.join(", "));
        if ents.len() > 10 {
            let _ = write!(s, " and {} more", ents.len() - 10);
        }
    } else {
        let _ = write!(s, " (count {})", r.alert_count().unwrap_or(r.count));
    }
    s
}
