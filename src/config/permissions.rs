//! A config file that holds a plain secret must be private to its owner.

use std::path::Path;

use super::ConfigError;

/// Refuses a file that group or others can read or write.
#[cfg(unix)]
pub(crate) fn check_private(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| ConfigError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::InsecurePermissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// Other platforms have no mode bits to check.
#[cfg(not(unix))]
pub(crate) fn check_private(_path: &Path) -> Result<(), ConfigError> {
    Ok(())
}
