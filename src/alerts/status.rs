//! The Alerts pane's view: every rule (enabled or switched off) with what
//! its last evaluation found, read from the state tables without running
//! any query.

use chrono::{DateTime, Utc};

use super::RuleSet;
use super::rule::Rule;
use super::state::{AlertState, StateError};

/// A rule's last evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastEvaluation {
    pub evaluated_at: DateTime<Utc>,
    pub count: u64,
    pub fired: bool,
    /// The matching entity keys then, sorted (Enter in the pane shows them).
    pub entities: Vec<String>,
}

/// One row of the Alerts pane.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleView {
    pub rule: Rule,
    /// False for rules named in `[alerts] disabled`.
    pub enabled: bool,
    /// `None`: never evaluated for this profile (or its query changed since).
    pub last: Option<LastEvaluation>,
}

/// Every rule of `set` with its stored state: enabled rules first (fired
/// first, then by severity, highest first), then the disabled ones.
pub fn rule_views(set: &RuleSet, state: &AlertState<'_>) -> Result<Vec<RuleView>, StateError> {
    let mut out = Vec::with_capacity(set.enabled.len() + set.disabled.len());
    for (rules, enabled) in [(&set.enabled, true), (&set.disabled, false)] {
        for rule in rules {
            let last = state
                .get(&rule.name)?
                .filter(|s| s.query == rule.query)
                .map(|s| {
                    let mut entities: Vec<String> = s.keys.into_iter().collect();
                    entities.sort();
                    LastEvaluation {
                        evaluated_at: s.evaluated_at,
                        count: s.count,
                        fired: s.fired,
                        entities,
                    }
                });
            out.push(RuleView {
                rule: rule.clone(),
                enabled,
                last,
            });
        }
    }
    out.sort_by(|a, b| {
        let fired = |v: &RuleView| v.last.as_ref().is_some_and(|l| l.fired);
        b.enabled
            .cmp(&a.enabled)
            .then(fired(b).cmp(&fired(a)))
            .then(b.rule.severity.cmp(&a.rule.severity))
    });
    Ok(out)
}
