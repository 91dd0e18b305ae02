//! The `[alerts]` table of the config file:
//!
//! ```toml
//! [alerts]
//! disabled = ["empty-groups", "users-in-no-group"]  # built-in or own rules to switch off
//! files = ["~/zoom-rules.toml"]                     # extra rule files (relative to the config file)
//! builtin = true                                    # false: only the rules in `files`
//! webhook = "https://hooks.slack.com/services/…"    # `watch` posts here (`--webhook` wins)
//! max_admins = 5                                    # any other key is a rule parameter
//! stale_login_days = 93
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

/// Alert settings from the config file. Unknown keys are rule parameters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AlertsConfig {
    /// Rule names not to evaluate.
    #[serde(default)]
    pub disabled: Vec<String>,
    /// Extra rule files, evaluated after the built-in pack.
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// Whether to load the built-in pack (default true).
    #[serde(default = "yes")]
    pub builtin: bool,
    /// Where `watch` posts alerts when `--webhook` is not given. Checked by
    /// `watch` at start ([`crate::alerts::webhook::validate_url`]).
    #[serde(default)]
    pub webhook: Option<String>,
    /// Parameters (`max_admins = 3`, …) overriding the packs' `[params]`.
    #[serde(flatten)]
    pub params: BTreeMap<String, toml::Value>,
}

fn yes() -> bool {
    true
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            disabled: Vec::new(),
            files: Vec::new(),
            builtin: true,
            webhook: None,
            params: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("config [alerts]: {0}")]
pub struct AlertsConfigError(String);

impl AlertsConfig {
    /// Reads the `[alerts]` table out of a whole config file's text (absent
    /// table → defaults). Kept here so the alerts settings do not depend on
    /// the rest of the config's shape.
    pub fn from_config_text(text: &str) -> Result<Self, AlertsConfigError> {
        let doc: toml::Table =
            toml::from_str(text).map_err(|e| AlertsConfigError(e.to_string()))?;
        match doc.get("alerts") {
            None => Ok(Self::default()),
            Some(v) => Self::from_value(v.clone()),
        }
    }

    /// From the `[alerts]` value itself.
    pub fn from_value(v: toml::Value) -> Result<Self, AlertsConfigError> {
        v.try_into()
            .map_err(|e: toml::de::Error| AlertsConfigError(e.message().to_string()))
    }
}
