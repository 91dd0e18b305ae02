//! Alert rules over the graph and the activity log: TOML rules (name,
//! severity, a J1QL query and a trigger, or an `events` table that matches
//! operation-log and sign-in events, see [`events`]), a built-in pack (`assets/alerts.toml`), evaluation with state
//! kept in the store's SQLite file, and delivery to a webhook through a
//! persistent outbox.
//!
//! Public API (used by `check`, `watch` and the TUI's Alerts pane):
//! - [`load_rules`] / [`load_rule_set`]: the enabled rules (and the disabled ones);
//! - [`evaluate`]: run the rules over a graph → [`RuleResult`]s (status, count,
//!   matches, new matches, whether newly fired), recording them (`check`,
//!   `watch`); [`evaluate_read_only`] the same for viewers (the TUI), which
//!   read the state but never advance it;
//! - [`AlertState`]: per-profile memory in `alerts_*` tables;
//! - [`outbox::Outbox`] and [`webhook`]: deliver alerts, never dropping one.

pub(crate) mod config;
pub(crate) mod engine;
pub(crate) mod eval;
pub mod events;
pub mod outbox;
pub mod report;
pub mod rule;
pub(crate) mod state;
pub mod watch;
pub mod webhook;

use std::collections::{BTreeMap, HashMap};

pub use config::AlertsConfig;
pub use eval::{EvalOptions, RuleResult, RuleStatus, evaluate, evaluate_read_only};
pub use rule::{Rule, RuleError, Severity, Trigger};
pub use state::AlertState;

use rule::{Origin, RuleFile};

/// The built-in rule pack.
pub const BUILTIN_RULES: &str = include_str!("../../assets/alerts.toml");
/// How the built-in pack is named in messages.
pub const BUILTIN_NAME: &str = "built-in alerts.toml";

/// Every loaded rule, enabled or switched off in the config.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub enabled: Vec<Rule>,
    pub disabled: Vec<Rule>,
}

/// The enabled rules: the built-in pack (unless `builtin = false`) and the
/// config's rule files, with the config's parameters, minus `disabled`.
pub fn load_rules(config: &AlertsConfig) -> Result<Vec<Rule>, RuleError> {
    load_rule_set(config).map(|s| s.enabled)
}

/// As [`load_rules`], keeping the disabled rules too (the TUI lists them).
/// Every query is parsed: a bad one names its rule, file and line, with the
/// parser's caret message. A name in `disabled` that no rule has is an error
/// (a typo would otherwise leave a rule on unnoticed).
pub fn load_rule_set(config: &AlertsConfig) -> Result<RuleSet, RuleError> {
    let mut files = Vec::new();
    if config.builtin {
        files.push(RuleFile::parse(BUILTIN_NAME, BUILTIN_RULES)?);
    }
    for path in &config.files {
        files.push(RuleFile::read(path)?);
    }
    load_from_files(&files, config)
}

/// Loads rules from already parsed files (the built-in pack is not added).
pub fn load_from_files(files: &[RuleFile], config: &AlertsConfig) -> Result<RuleSet, RuleError> {
    let mut params: BTreeMap<String, toml::Value> = BTreeMap::new();
    for f in files {
        params.extend(f.params().iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    params.extend(config.params.iter().map(|(k, v)| (k.clone(), v.clone())));

    let mut seen: HashMap<String, Origin> = HashMap::new();
    let mut set = RuleSet {
        ..RuleSet::default()
    };
    for f in files {
        for rule in f.rules(&params)? {
            if let Some(first) = seen.get(&rule.name) {
                return Err(RuleError::Duplicate {
                    origin: rule.origin.clone(),
                    rule: rule.name.clone(),
                    first: first.clone(),
                });
            }
            if !rule.is_event_rule() {
                engine::check_query(&rule.query).map_err(|message| RuleError::Query {
                    origin: rule.origin.clone(),
                    rule: rule.name.clone(),
                    message,
                })?;
            }
            seen.insert(rule.name.clone(), rule.origin.clone());
            if config.disabled.iter().any(|d| d == &rule.name) {
                set.disabled.push(rule);
            } else {
                set.enabled.push(rule);
            }
        }
    }
    if let Some(unknown) = config.disabled.iter().find(|d| !seen.contains_key(*d)) {
        return Err(RuleError::UnknownDisabled {
            rule: unknown.clone(),
        });
    }
    Ok(set)
}
