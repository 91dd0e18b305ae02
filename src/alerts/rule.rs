//! Alert rules: what they are and how they are read from TOML.
//!
//! A rule file holds optional `[params]` defaults and `[[rule]]` tables:
//!
//! ```toml
//! [params]
//! max_admins = 3
//!
//! [[rule]]
//! name = "admins-above-limit"
//! description = "More owners and admins than the configured maximum."
//! severity = "high"            # info | low | medium | high | critical
//! query = "FIND zoom_user WITH active = true THAT ASSIGNED zoom_role WITH admin = true"
//! trigger = "count > ${max_admins}"   # any | new | count > N | count >= N
//! requires = "employee"        # optional: skip unless the graph has this entity type
//! show = ["overriddenLockedSettings"]  # optional: properties shown with each match
//! ```
//!
//! An event rule has an `events` table instead of `query` (its `trigger`
//! is optional, `any` by default); see `super::events`.
//!
//! `${name}` in `query` and `trigger` is replaced by the parameter's value
//! (the `[alerts]` table of the config file overrides the defaults).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::events::{EventRule, RawEvents};
use crate::graph::EntityType;

/// How serious a fired rule is. Ordered: `Info < Low < … < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown severity {s:?} (expected info, low, medium, high or critical)")
            })
    }
}

/// When a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// The query returns any row.
    Any,
    /// The query returns an entity it did not return at the rule's last evaluation.
    New,
    /// The number of rows is above (`>`) or at least (`>=`) a threshold.
    Count { op: CountOp, threshold: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountOp {
    Gt,
    Ge,
}

impl Trigger {
    /// Whether `count` rows meet a count trigger (`Any`: at least one row;
    /// `New` is decided against the stored baseline, not here).
    pub fn count_fires(self, count: u64) -> bool {
        match self {
            Trigger::Any | Trigger::New => count > 0,
            Trigger::Count {
                op: CountOp::Gt,
                threshold,
            } => count > threshold,
            Trigger::Count {
                op: CountOp::Ge,
                threshold,
            } => count >= threshold,
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Any => f.write_str("any"),
            Trigger::New => f.write_str("new"),
            Trigger::Count { op, threshold } => {
                let op = match op {
                    CountOp::Gt => ">",
                    CountOp::Ge => ">=",
                };
                write!(f, "count {op} {threshold}")
            }
        }
    }
}

impl FromStr for Trigger {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("any") {
            return Ok(Trigger::Any);
        }
        if t.eq_ignore_ascii_case("new") {
            return Ok(Trigger::New);
        }
        let bad = || {
            format!(
                "unknown trigger {s:?} (expected \"any\", \"new\", \"count > N\" or \"count >= N\")"
            )
        };
        let rest = t
            .get(..5)
            .filter(|w| w.eq_ignore_ascii_case("count"))
            .and_then(|_| t.get(5..))
            .ok_or_else(bad)?
            .trim_start();
        let (op, num) = if let Some(n) = rest.strip_prefix(">=") {
            (CountOp::Ge, n)
        } else if let Some(n) = rest.strip_prefix('>') {
            (CountOp::Gt, n)
        } else {
            return Err(bad());
        };
        let threshold = num
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("trigger {s:?}: the threshold must be a whole number"))?;
        Ok(Trigger::Count { op, threshold })
    }
}

/// Where a rule came from, for messages: the file (or `built-in`) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One alert rule, with parameters substituted.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub description: String,
    pub severity: Severity,
    /// The J1QL query, parameters substituted.
    pub query: String,
    pub trigger: Trigger,
    /// Skip the rule (not evaluated, not fired) unless the graph has
    /// entities of this type, e.g. `employee` for roster rules.
    pub requires: Option<EntityType>,
    /// An event rule's conditions (its `query` is then their description):
    /// it matches operation-log and sign-in events, not the graph.
    pub events: Option<EventRule>,
    /// Properties of each matched entity that `check` shows beside it
    /// (what the match is about, e.g. the settings a group overrides).
    pub show: Vec<String>,
    pub origin: Origin,
}

impl Rule {
    /// Whether the rule matches events rather than running a query.
    pub fn is_event_rule(&self) -> bool {
        self.events.is_some()
    }
}

/// Errors reading rules. Each names the file and line, and the rule when
/// there is one.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot read rule file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Toml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{origin}: rule `{rule}`: {message}")]
    Invalid {
        origin: Origin,
        rule: String,
        message: String,
    },
    #[error("{origin}: rule `{rule}`: the query does not parse:\n{message}")]
    Query {
        origin: Origin,
        rule: String,
        message: String,
    },
    #[error("config [alerts]: disabled names rule `{rule}`, which no rule file defines")]
    UnknownDisabled { rule: String },
    #[error("{origin}: rule `{rule}` is defined twice (first at {first})")]
    Duplicate {
        origin: Origin,
        rule: String,
        first: Origin,
    },
}

/// A rule as written, before substitution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: toml::Spanned<String>,
    #[serde(default)]
    description: String,
    severity: String,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    trigger: Option<String>,
    #[serde(default)]
    events: Option<RawEvents>,
    #[serde(default)]
    requires: Option<String>,
    #[serde(default)]
    show: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count() + 1)
        .unwrap_or(1);
    (line, column)
}

/// A parsed rule file: parameter defaults and rules (not yet substituted).
#[derive(Debug)]
pub struct RuleFile {
    file: String,
    text: String,
    raw: RawFile,
}

impl RuleFile {
    /// Parses rule TOML. `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Self, RuleError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            RuleError::Toml {
                file: file.to_string(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        Ok(RuleFile {
            file: file.to_string(),
            text: text.to_string(),
            raw,
        })
    }

    /// Reads and parses a rule file from disk.
    pub fn read(path: &Path) -> Result<Self, RuleError> {
        let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// The file's parameter defaults.
    pub fn params(&self) -> &BTreeMap<String, toml::Value> {
        &self.raw.params
    }

    /// Its rules with `params` substituted (checked for severity, trigger,
    /// `requires` and unknown parameters; queries are checked by the caller).
    pub fn rules(&self, params: &BTreeMap<String, toml::Value>) -> Result<Vec<Rule>, RuleError> {
        // Byte offsets of line starts, once: finding each rule's line by
        // rescanning the text would be quadratic in a file of many rules.
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset).max(1);
        self.raw
            .rule
            .iter()
            .map(|r| {
                let origin = Origin {
                    file: self.file.clone(),
                    line: line_of(r.name.span().start),
                };
                let name = r.name.get_ref().trim().to_string();
                let invalid = |message: String| RuleError::Invalid {
                    origin: origin.clone(),
                    rule: name.clone(),
                    message,
                };
                if name.is_empty() {
                    return Err(invalid("the name is empty".into()));
                }
                let severity = r.severity.parse::<Severity>().map_err(invalid)?;
                let trigger = match &r.trigger {
                    Some(t) => Some(
                        substitute(t, params)
                            .map_err(invalid)?
                            .parse::<Trigger>()
                            .map_err(invalid)?,
                    ),
                    None => None,
                };
                let (query, trigger, events) = match (&r.query, &r.events) {
                    (Some(q), None) => {
                        let trigger = trigger.ok_or_else(|| {
                            invalid("trigger: missing (a query rule needs one: any, new, count > N)".into())
                        })?;
                        (substitute(q, params).map_err(invalid)?, trigger, None)
                    }
                    (None, Some(ev)) => {
                        // Each field's error names the field's own line.
                        let m = ev.build().map_err(|e| RuleError::Invalid {
                            origin: Origin {
                                file: self.file.clone(),
                                line: e.offset.map_or(origin.line, line_of),
                            },
                            rule: name.clone(),
                            message: e.message,
                        })?;
                        let trigger = trigger.unwrap_or(Trigger::Any);
                        if trigger == Trigger::New {
                            return Err(invalid(
                                "trigger: \"new\" does not apply to an event rule (every event it sees is new); use any or count".into(),
                            ));
                        }
                        (m.describe(), trigger, Some(m))
                    }
                    (Some(_), Some(_)) => {
                        return Err(invalid(
                            "has both `query` and `events`: a rule matches the graph or events, not both".into(),
                        ));
                    }
                    (None, None) => {
                        return Err(invalid(
                            "needs a `query` (J1QL over the graph) or an `events` table".into(),
                        ));
                    }
                };
                let requires = match &r.requires {
                    None => None,
                    Some(t) => Some(
                        EntityType::from_type_str(t)
                            .or_else(|| EntityType::from_class_str(t))
                            .ok_or_else(|| {
                                invalid(format!("requires: unknown entity type {t:?}"))
                            })?,
                    ),
                };
                Ok(Rule {
                    name: name.clone(),
                    description: r.description.trim().to_string(),
                    severity,
                    query,
                    trigger,
                    requires,
                    events,
                    show: r.show.iter().map(|s| s.trim().to_string()).collect(),
                    origin: origin.clone(),
                })
            })
            .collect()
    }
}

/// Replaces `${name}` with the parameter's value (strings bare, numbers and
/// booleans as written). An unknown name or an unclosed `${` is an error.
pub fn substitute(s: &str, params: &BTreeMap<String, toml::Value>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 2..).unwrap_or_default();
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed `${{` in {s:?}"))?;
        let name = after.get(..end).unwrap_or_default().trim();
        let v = params.get(name).ok_or_else(|| {
            format!("unknown parameter `{name}` (set it under [alerts] in the config file)")
        })?;
        match v {
            toml::Value::String(x) => out.push_str(x),
            toml::Value::Integer(n) => out.push_str(&n.to_string()),
            toml::Value::Float(n) => out.push_str(&n.to_string()),
            toml::Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
            other => {
                return Err(format!(
                    "parameter `{name}` must be a string, number or boolean, not {other}"
                ));
            }
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}
