//! Errors of the app layer. Each names what failed and where; the sources
//! are kept so `{:#}` prints the whole chain. None holds a secret.

use std::path::PathBuf;

use crate::alerts::RuleError;
use crate::alerts::config::AlertsConfigError;
use crate::config::ConfigError;
use crate::employees::EmployeesError;
use crate::sandbox::SandboxError;
use crate::store::StoreError;
use crate::zoom::ZoomError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Neither the option nor a home directory says where to keep `what`.
    #[error("no home directory to keep {what} in; pass {flag}")]
    NoHome {
        what: &'static str,
        flag: &'static str,
    },
    #[error("cannot create the data directory {}", path.display())]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot open the store {}", path.display())]
    OpenStore {
        path: PathBuf,
        #[source]
        source: StoreError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Client(#[from] ZoomError),
    #[error("cannot start the demo sandbox")]
    Demo(#[source] SandboxError),
    #[error("cannot import the demo HR roster")]
    DemoRoster(#[source] EmployeesError),
    #[error("cannot apply the employee roster to the snapshot")]
    Overlay(#[source] EmployeesError),
    #[error(transparent)]
    Employees(#[from] EmployeesError),
    #[error(transparent)]
    AlertsConfig(#[from] AlertsConfigError),
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// A store task on the blocking pool panicked or was cancelled.
    #[error("a store task stopped before it finished: {0}")]
    Task(String),
}
