//! What a front end tells the app layer, and where zoomscope keeps its files.

use std::path::PathBuf;

use directories::ProjectDirs;

use super::AppError;

/// How to build a [`super::Context`]. Plain data: the CLI fills it from its
/// arguments, tests and benches fill it directly.
#[derive(Debug, Clone)]
pub struct Options {
    /// Profile (a `[profile.NAME]` table of the config file); ignored with `demo`.
    pub profile: String,
    /// Run against an in-process sandbox with a generated org (profile `demo`).
    pub demo: bool,
    /// Number of users in the demo org.
    pub demo_users: usize,
    /// Config file; `None`: zoomscope/config.toml in the user config directory.
    pub config_file: Option<PathBuf>,
    /// Data directory (store and logs); `None`: the user data directory.
    pub data_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            profile: "default".into(),
            demo: false,
            demo_users: 2000,
            config_file: None,
            data_dir: None,
        }
    }
}

/// Where zoomscope keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    /// The SQLite snapshot store.
    pub store_file: PathBuf,
    pub log_file: PathBuf,
}

impl Paths {
    /// The options' paths, else the platform's directories.
    pub fn resolve(opts: &Options) -> Result<Paths, AppError> {
        let dirs = ProjectDirs::from("", "", "zoomscope");
        let config_file = match &opts.config_file {
            Some(p) => p.clone(),
            None => dirs
                .as_ref()
                .map(|d| d.config_dir().join("config.toml"))
                .ok_or(AppError::NoHome {
                    what: "the config",
                    flag: "--config FILE",
                })?,
        };
        let data_dir = match &opts.data_dir {
            Some(p) => p.clone(),
            None => dirs
                .as_ref()
                .map(|d| d.data_dir().to_path_buf())
                .ok_or(AppError::NoHome {
                    what: "data",
                    flag: "--data-dir DIR",
                })?,
        };
        Ok(Paths {
            config_file,
            store_file: data_dir.join("zoomscope.db"),
            log_file: data_dir.join("zoomscope.log"),
            data_dir,
        })
    }
}
