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

/// Adds, to each fired rule of `check_json`'s answer whose rule names
/// properties to show (`show`), `"shown": [{"key", "name", <property>: value}]`
/// for its entities: what each match is about, beside its key.
pub fn add_shown(v: &mut Value, rules: &[super::Rule], graph: &Graph) {
    let Some(fired) = v.get_mut("fired").and_then(Value::as_array_mut) else {
        return;
    };
    for f in fired {
        let Some(rule) = f
            .get("rule")
            .and_then(Value::as_str)
            .and_then(|n| rules.iter().find(|r| r.name == n))
            .filter(|r| !r.show.is_empty())
        else {
            continue;
        };
        let keys: Vec<String> = f
            .get("entities")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let shown: Vec<Value> = keys
            .iter()
            .map(|k| {
                let mut m = serde_json::Map::new();
                m.insert("key".into(), json!(k));
                if let Some(e) = graph.get(k) {
                    m.insert("name".into(), json!(e.label()));
                    for p in &rule.show {
                        if let Some(pv) = e.props.json(p) {
                            m.insert(p.clone(), pv);
                        }
                    }
                }
                Value::Object(m)
            })
            .collect();
        if let Some(m) = f.as_object_mut() {
            m.insert("shown".into(), Value::Array(shown));
        }
    }
}

/// ` — prop: a, b` for the properties a rule shows (sanitised; empty when
/// it shows none or the entity has none of them).
pub fn shown_suffix(graph: &Graph, key: &str, show: &[String]) -> String {
    let Some(e) = graph.get(key) else {
        return String::new();
    };
    let parts: Vec<String> = show
        .iter()
        .filter_map(|p| {
            let v = e.props.json(p)?;
            let text = match v {
                Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                Value::String(s) => s,
                other => other.to_string(),
            };
            Some(format!("{p}: {}", for_terminal(&text)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" — {}", parts.join("; "))
    }
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
    check_text_shown(results, &[], graph, min)
}

/// [`check_text`], each match followed by the properties its rule shows.
pub fn check_text_shown(
    results: &[RuleResult],
    rules: &[super::Rule],
    graph: &Graph,
    min: Severity,
) -> String {
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
        let show = rules
            .iter()
            .find(|x| x.name == r.rule)
            .map_or(&[][..], |x| x.show.as_slice());
        // An event rule lists its events (subject, operator, time); a
        // query rule its entities, with the properties the rule shows.
        let lines: Vec<String> = if r.events.is_empty() {
            ents.iter()
                .map(|k| format!("{}{}", entity_line(graph, k), shown_suffix(graph, k, show)))
                .collect()
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
