//! Config errors. None of them ever holds a secret value.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Malformed TOML or a value of the wrong shape.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A section owned by another module does not have the shape it expects.
    #[error("{}: [{section}]: {message}", path.display())]
    Section {
        path: PathBuf,
        section: String,
        message: String,
    },
    /// The file holds `client_secret` but group or others may read it.
    #[error(
        "{} holds a client_secret but is readable by group or others (mode {mode:03o}); \
         fix it with `chmod 600 {}`, or use client_secret_command / ZOOM_CLIENT_SECRET instead",
        path.display(),
        path.display()
    )]
    InsecurePermissions { path: PathBuf, mode: u32 },
    #[error("profile `{name}` is not in {} (profiles: {})", path.display(), if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    UnknownProfile {
        name: String,
        path: PathBuf,
        available: Vec<String>,
    },
    #[error("profile `{profile}` has no {field} (set it in {} or the environment variable {env})", path.display())]
    Missing {
        profile: String,
        field: &'static str,
        env: &'static str,
        path: PathBuf,
    },
    #[error("profile `{profile}` sets both client_secret and client_secret_command; keep one")]
    BothSecrets { profile: String },
    /// `client_secret_command` failed or timed out. Its stdout (the
    /// secret) is never shown, and of the command only the program it runs:
    /// its arguments could hold a secret (`echo s3cret`).
    #[error(
        "client_secret_command of profile `{profile}` (`{}`) {problem}",
        program_of(command)
    )]
    SecretCommand {
        profile: String,
        command: String,
        problem: String,
    },
}

impl ConfigError {
    /// A TOML error placed at its line and column (1-based).
    pub(crate) fn parse(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
        let (line, column) = e
            .span()
            .map(|s| line_column(text, s.start))
            .unwrap_or((1, 1));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    }
}

/// The first word of a shell command, `…` standing for the rest.
fn program_of(command: &str) -> String {
    let mut words = command.split_whitespace();
    let first = words.next().unwrap_or_default();
    let first = crate::util::sanitize::for_terminal(first);
    if words.next().is_some() {
        format!("{first} …")
    } else {
        first.into_owned()
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_column_counts_from_one() {
        let t = "a = 1\nbé = x\n";
        assert_eq!(super::line_column(t, 0), (1, 1));
        assert_eq!(super::line_column(t, 6), (2, 1));
        // "bé = " is 6 bytes but 5 characters
        assert_eq!(super::line_column(t, 12), (2, 6));
    }
}
