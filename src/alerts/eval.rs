//! Evaluating rules against a graph: run each query, apply the trigger,
//! remember the result.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::engine::{self, Matches};
use super::events::{EventMatch, SignInHistory};
use super::rule::{Rule, Severity, Trigger};
use super::state::{AlertState, Evaluation, StateError};
use crate::graph::Graph;

/// How a rule came out of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleStatus {
    /// The trigger is met.
    Fired,
    /// Evaluated; the trigger is not met.
    Quiet,
    /// Not evaluated: the graph has none of the entity type the rule requires.
    Skipped { reason: String },
    /// The query failed at run time.
    Error { message: String },
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub rule: String,
    pub description: String,
    pub severity: Severity,
    pub trigger: Trigger,
    pub status: RuleStatus,
    /// Rows the query returned.
    pub count: u64,
    /// Every matching entity key (sorted).
    pub matches: Vec<String>,
    /// Matching keys not matched at the previous evaluation (sorted). For a
    /// `new` rule these are what fired it.
    pub new_matches: Vec<String>,
    /// Fired now, and did not fire last time or matched something new: what
    /// `watch` reports (so a standing alert is reported once, not every round).
    pub newly_fired: bool,
    /// An event rule's matched events, oldest first (empty for a query rule).
    pub events: Vec<EventMatch>,
}

impl RuleResult {
    pub fn fired(&self) -> bool {
        self.status == RuleStatus::Fired
    }

    /// The entities that explain the alert: the new ones for a `new` rule,
    /// every match otherwise.
    pub fn alert_entities(&self) -> &[String] {
        match self.trigger {
            Trigger::New => &self.new_matches,
            _ => &self.matches,
        }
    }

    /// The one count shown for the rule wherever it is shown (`check`'s text
    /// and JSON, the webhook message, the TUI's Alerts list and toast), so
    /// they never contradict each other: for a fired `new` rule the number of
    /// new matches (what fired it), for another fired rule the rows its
    /// query returned. `None` when it did not fire: a quiet rule has no match
    /// count to show (a `new` rule's query may match every user).
    pub fn alert_count(&self) -> Option<u64> {
        if !self.fired() {
            return None;
        }
        Some(match self.trigger {
            Trigger::New => self.new_matches.len() as u64,
            _ => self.count,
        })
    }

    /// `{"rule", "severity", "count", "entities"}` as `check --json` prints
    /// fired rules; `count` is [`RuleResult::alert_count`] (for an event
    /// rule, the events it matched). An event rule's result also has
    /// `"events"`: each matched event with its subject, operator, time,
    /// detail and evidence.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "rule": self.rule,
            "severity": self.severity.as_str(),
            "count": self.alert_count().unwrap_or_default(),
            "entities": self.alert_entities(),
        });
        if !self.events.is_empty()
            && let Some(m) = v.as_object_mut()
        {
            m.insert(
                "events".into(),
                Value::Array(self.events.iter().map(EventMatch::to_json).collect()),
            );
        }
        v
    }
}

/// Options of one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct EvalOptions<'g> {
    /// The time queries see as `date.now`.
    pub now: DateTime<Utc>,
    /// The previous snapshot's graph: the baseline of a `new` rule that has
    /// never been evaluated (so the first `check` after a sync still sees
    /// what that sync brought).
    pub previous: Option<&'g Graph>,
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    State(#[from] StateError),
}

/// Decides a trigger from this evaluation's matches and the baseline
/// (`None`: never evaluated and no previous graph). Returns (fired, new keys).
pub fn decide(
    trigger: Trigger,
    m: &Matches,
    baseline: Option<&HashSet<String>>,
) -> (bool, Vec<String>) {
    let mut new: Vec<String> = match baseline {
        Some(b) => m.keys.iter().filter(|k| !b.contains(*k)).cloned().collect(),
        None => Vec::new(),
    };
    new.sort();
    new.dedup();
    let fired = match trigger {
        // Without a baseline there is nothing to be new against: the first
        // evaluation records the baseline quietly.
        Trigger::New => !new.is_empty(),
        other => other.count_fires(m.count),
    };
    (fired, new)
}

/// Evaluates `rules` over `graph`. With a state, `new` rules compare against
/// and update the stored baseline; without one (a preview), nothing is
/// remembered and `new` rules compare against `opts.previous` only.
///
/// Only the evaluations that report alerts (`check`, `watch`) may record:
/// once recorded, a match is no longer new, so whoever records it first is
/// the one that reports it. Viewers use [`evaluate_read_only`].
pub fn evaluate(
    graph: &Graph,
    rules: &[Rule],
    state: Option<&AlertState<'_>>,
    opts: EvalOptions<'_>,
) -> Result<Vec<RuleResult>, EvalError> {
    evaluate_with(graph, rules, state, Record::Yes, opts)
}

/// As [`evaluate`] with a state, comparing against the stored baseline as
/// `check` and `watch` left it, but writing nothing: what a viewer (the
/// TUI) sees stays new for the next `check` or `watch`, which report it.
pub fn evaluate_read_only(
    graph: &Graph,
    rules: &[Rule],
    state: &AlertState<'_>,
    opts: EvalOptions<'_>,
) -> Result<Vec<RuleResult>, EvalError> {
    evaluate_with(graph, rules, Some(state), Record::No, opts)
}

/// Whether an evaluation with a state advances it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    Yes,
    No,
}

fn evaluate_with(
    graph: &Graph,
    rules: &[Rule],
    state: Option<&AlertState<'_>>,
    record: Record,
    opts: EvalOptions<'_>,
) -> Result<Vec<RuleResult>, EvalError> {
    let recorded = state.filter(|_| record == Record::Yes);
    let mut out = Vec::with_capacity(rules.len());
    let mut activity = match state {
        Some(s) => Some(Activity::read(s, rules)?),
        None => None,
    };
    for rule in rules {
        let base = RuleResult {
            rule: rule.name.clone(),
            description: rule.description.clone(),
            severity: rule.severity,
            trigger: rule.trigger,
            status: RuleStatus::Quiet,
            count: 0,
            matches: Vec::new(),
            new_matches: Vec::new(),
            newly_fired: false,
            events: Vec::new(),
        };
        if let Some(t) = rule.requires
            && graph.of_type(t).is_empty()
        {
            out.push(RuleResult {
                status: RuleStatus::Skipped {
                    reason: format!("no {t} entities (nothing to check)"),
                },
                ..base
            });
            continue;
        }
        if rule.is_event_rule() {
            out.push(evaluate_event_rule(
                graph,
                rule,
                activity.as_mut(),
                recorded,
                opts,
                base,
            )?);
            continue;
        }
        let m = match engine::run_query(graph, &rule.query, opts.now) {
            Ok(m) => m,
            Err(message) => {
                tracing::warn!(rule = %rule.name, %message, "alert query failed");
                out.push(RuleResult {
                    status: RuleStatus::Error { message },
                    ..base
                });
                continue;
            }
        };
        let stored = match state {
            Some(s) => s.get(&rule.name)?.filter(|st| st.query == rule.query),
            None => None,
        };
        // The baseline: the last evaluation of this very query, else the
        // previous snapshot's answer, else none (first evaluation).
        let from_previous = match (&stored, opts.previous) {
            (None, Some(prev)) => engine::run_query(prev, &rule.query, opts.now)
                .ok()
                .map(|pm| pm.keys.into_iter().collect::<HashSet<_>>()),
            _ => None,
        };
        let baseline = stored.as_ref().map(|s| &s.keys).or(from_previous.as_ref());
        let (fired, new_matches) = decide(rule.trigger, &m, baseline);
        // Whether this alert was already reported: only a stored evaluation
        // says so. Without one (the rule was never evaluated by `check` or
        // `watch`), a rule that fires is news even if the previous snapshot
        // matched too: nobody has been told yet, so a first `watch` round
        // reports the standing alerts once. (`new` rules still compare with
        // the previous snapshot through the baseline above.)
        let was_fired = stored.as_ref().is_some_and(|s| s.fired);
        let newly_fired = fired && (!was_fired || !new_matches.is_empty());
        let keys: HashSet<String> = m.keys.iter().cloned().collect();
        if let Some(s) = recorded {
            s.put(
                &rule.name,
                &Evaluation {
                    query: &rule.query,
                    at: opts.now,
                    count: m.count,
                    fired,
                    keys: &keys,
                },
                stored.as_ref().map(|s| &s.keys),
            )?;
        }
        let mut matches: Vec<String> = keys.into_iter().collect();
        matches.sort();
        out.push(RuleResult {
            status: if fired {
                RuleStatus::Fired
            } else {
                RuleStatus::Quiet
            },
            count: m.count,
            matches,
            new_matches,
            newly_fired,
            ..base
        });
    }
    if let Some(s) = recorded {
        let names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
        s.retain(&names)?;
    }
    Ok(out)
}

/// The activity events the event rules have not all seen, read once per
/// evaluation, with each rule's cursor.
struct Activity<'s> {
    /// (row id, event), oldest row first.
    events: Vec<(i64, crate::activity::Event)>,
    cursors: std::collections::HashMap<String, i64>,
    history: super::events::StoredHistory<'s>,
}

impl<'s> Activity<'s> {
    fn read(state: &'s AlertState<'_>, rules: &[Rule]) -> Result<Self, EvalError> {
        let mut cursors = std::collections::HashMap::new();
        for r in rules.iter().filter(|r| r.is_event_rule()) {
            // Never evaluated: every stored event is new to it (the first
            // `check` after the first sync sees what that sync brought).
            cursors.insert(r.name.clone(), state.event_cursor(&r.name)?.unwrap_or(0));
        }
        let events = match cursors.values().min() {
            Some(from) => state.events_after(*from)?,
            None => Vec::new(),
        };
        Ok(Activity {
            events,
            cursors,
            history: state.sign_in_history(),
        })
    }
}

/// One event rule: the events appended since its cursor that match, fired
/// when the trigger is met by their number. Recording moves the cursor past
/// every event read, so none is evaluated (or reported) twice.
fn evaluate_event_rule(
    graph: &Graph,
    rule: &Rule,
    activity: Option<&mut Activity<'_>>,
    recorded: Option<&AlertState<'_>>,
    opts: EvalOptions<'_>,
    base: RuleResult,
) -> Result<RuleResult, EvalError> {
    let (Some(matcher), Some(activity)) = (&rule.events, activity) else {
        return Ok(RuleResult {
            status: RuleStatus::Skipped {
                reason: "an event rule reads the store's activity log (no store here)".into(),
            },
            ..base
        });
    };
    if let Some(reason) = matcher.skip_reason(graph) {
        return Ok(RuleResult {
            status: RuleStatus::Skipped { reason },
            ..base
        });
    }
    let cursor = activity.cursors.get(&rule.name).copied().unwrap_or(0);
    let mut matched = Vec::new();
    let mut last = cursor;
    for (id, e) in activity.events.iter().filter(|(id, _)| *id > cursor) {
        last = last.max(*id);
        let history: &mut dyn SignInHistory = &mut activity.history;
        match matcher.matches(e, graph, history) {
            Ok(Some(m)) => matched.push(m),
            Ok(None) => {}
            Err(message) => {
                tracing::warn!(rule = %rule.name, %message, "event rule failed");
                return Ok(RuleResult {
                    status: RuleStatus::Error { message },
                    ..base
                });
            }
        }
    }
    matched.sort_by_key(|a| a.time);
    let count = matched.len() as u64;
    let fired = rule.trigger.count_fires(count);
    let mut keys: Vec<String> = matched.iter().filter_map(|m| m.entity.clone()).collect();
    keys.sort();
    keys.dedup();
    if let Some(s) = recorded {
        let set: HashSet<String> = keys.iter().cloned().collect();
        s.put(
            &rule.name,
            &Evaluation {
                query: &rule.query,
                at: opts.now,
                count,
                fired,
                keys: &set,
            },
            None,
        )?;
        if last > cursor {
            s.set_event_cursor(&rule.name, last)?;
        }
    }
    Ok(RuleResult {
        status: if fired {
            RuleStatus::Fired
        } else {
            RuleStatus::Quiet
        },
        count,
        new_matches: keys.clone(),
        matches: keys,
        // Every event since the cursor is news: none was reported before.
        newly_fired: fired,
        events: matched,
        ..base
    })
}
