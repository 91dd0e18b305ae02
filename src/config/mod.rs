//! The config file: TOML with `[profile.NAME]` tables (credentials, URLs,
//! plan, polling interval) and sections other modules own (`[keys]`,
//! `[theme]`, `[employees]`, `[alerts]`, …), which are kept as raw
//! [`toml::Value`]s for their owners to read.
//!
//! ```toml
//! [profile.default]
//! account_id = "abc"
//! client_id = "def"
//! client_secret_command = "pass show zoom/s2s"   # or client_secret = "…" (file must be chmod 600)
//! account_name = "Acme"
//! plan = "business"            # free | pro | business
//! polling_interval = "15m"     # or "DISABLED"
//! ```
//!
//! Environment `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID`, `ZOOM_CLIENT_SECRET`,
//! `ZOOM_API_URL` and `ZOOM_OAUTH_URL` override the chosen profile.

mod error;
mod interval;
mod permissions;
mod profile;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use error::ConfigError;
pub use interval::PollingInterval;
pub use profile::{
    ENV_ACCOUNT_ID, ENV_CLIENT_ID, ENV_CLIENT_SECRET, Env, ResolvedProfile, process_env,
};

use crate::zoom::Plan;

/// One `[profile.NAME]` table as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    /// Plain secret in the file; the file must then be readable by its owner only.
    #[serde(default, deserialize_with = "deserialize_secret")]
    pub client_secret: Option<crate::zoom::Secret>,
    /// A shell command whose trimmed stdout is the secret (`pass show …`).
    pub client_secret_command: Option<String>,
    /// How long `client_secret_command` may run before it is killed
    /// (`"10s"`, the default: [`SECRET_COMMAND_TIMEOUT`]).
    #[serde(default, deserialize_with = "deserialize_timeout")]
    pub client_secret_command_timeout: Option<std::time::Duration>,
    /// `tag.AccountName` on every entity.
    pub account_name: Option<String>,
    pub api_url: Option<String>,
    pub oauth_url: Option<String>,
    pub plan: Option<Plan>,
    pub polling_interval: Option<PollingInterval>,
}

fn deserialize_secret<'de, D>(d: D) -> Result<Option<crate::zoom::Secret>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(d)?.map(crate::zoom::Secret::new))
}

/// A `--profile` / `ZOOMSCOPE_PROFILE` value. An empty one is refused: it
/// would name a profile `""` that no config can hold (an exported but empty
/// `ZOOMSCOPE_PROFILE=` is the usual cause).
pub fn profile_name(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("the profile name is empty (is ZOOMSCOPE_PROFILE set but empty? unset it or name a profile)".into())
    } else {
        Ok(s.to_string())
    }
}

/// How long `client_secret_command` may run when the profile does not say.
pub const SECRET_COMMAND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

fn deserialize_timeout<'de, D>(d: D) -> Result<Option<std::time::Duration>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let s = String::deserialize(d)?;
    let t = humantime::parse_duration(s.trim()).map_err(|e| {
        serde::de::Error::custom(format!(
            "client_secret_command_timeout `{}`: {e} (use e.g. \"10s\")",
            crate::util::sanitize::for_terminal(&s)
        ))
    })?;
    if t.is_zero() {
        return Err(serde::de::Error::custom(
            "client_secret_command_timeout must be longer than 0 s",
        ));
    }
    Ok(Some(t))
}

/// The shape of the whole file.
#[derive(Debug, Default, Deserialize)]
struct FileShape {
    #[serde(default)]
    profile: BTreeMap<String, ProfileConfig>,
    /// Every other top-level key, for the module that owns it.
    #[serde(flatten)]
    other: BTreeMap<String, toml::Value>,
}

/// The loaded config file (or an empty one when the file does not exist).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was (or would be) read from.
    pub path: PathBuf,
    /// Whether the file exists.
    pub exists: bool,
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// Top-level tables owned by other modules (`keys`, `theme`, `employees`, `alerts`, …).
    pub sections: BTreeMap<String, toml::Value>,
}

impl Config {
    /// Reads and checks the file. A missing file is an empty config (the
    /// environment may still supply credentials); a file holding a plain
    /// `client_secret` that group or others can read is refused.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config {
                    path: path.to_path_buf(),
                    ..Config::default()
                });
            }
            Err(e) => {
                return Err(ConfigError::Io {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        };
        let mut config = Self::parse(path, &text)?;
        config.exists = true;
        if config.profiles.values().any(|p| p.client_secret.is_some()) {
            permissions::check_private(path)?;
        }
        Ok(config)
    }

    /// Parses TOML text; errors carry the file, line and column.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let shape: FileShape =
            toml::from_str(text).map_err(|e| ConfigError::parse(path, text, &e))?;
        Ok(Config {
            path: path.to_path_buf(),
            exists: true,
            profiles: shape.profile,
            sections: shape.other,
        })
    }

    /// A top-level section owned by another module (`"alerts"`, `"theme"`, …).
    pub fn section(&self, name: &str) -> Option<&toml::Value> {
        self.sections.get(name)
    }

    /// A section deserialised into its owner's type (`None` when absent).
    /// Errors name the file and the section.
    pub fn section_as<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, ConfigError> {
        let Some(v) = self.sections.get(name) else {
            return Ok(None);
        };
        v.clone()
            .try_into()
            .map(Some)
            .map_err(|e: toml::de::Error| ConfigError::Section {
                path: self.path.clone(),
                section: name.to_string(),
                message: e.message().trim().to_string(),
            })
    }

    /// Profile names defined in the file, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }

    /// The profile `name` with the environment's overrides applied and the
    /// secret resolved (running `client_secret_command` when needed).
    pub fn resolve(&self, name: &str, env: &Env) -> Result<ResolvedProfile, ConfigError> {
        profile::resolve(self, name, env)
    }
}

#[cfg(test)]
mod tests;
