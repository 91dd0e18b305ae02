//! Resolving a profile: file values, then environment overrides, then the
//! secret (plain, from the environment, or from `client_secret_command`).

use std::collections::HashMap;
use std::io::Read as _;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Config, ConfigError, PollingInterval, ProfileConfig};
use crate::zoom::{ClientConfig, Plan, Secret};

/// The environment variables that override a profile. A map rather than
/// `std::env` so tests can resolve profiles without touching the process.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

/// Names read from the environment.
pub const ENV_ACCOUNT_ID: &str = "ZOOM_ACCOUNT_ID";
pub const ENV_CLIENT_ID: &str = "ZOOM_CLIENT_ID";
pub const ENV_CLIENT_SECRET: &str = "ZOOM_CLIENT_SECRET";
pub const ENV_API_URL: &str = "ZOOM_API_URL";
pub const ENV_OAUTH_URL: &str = "ZOOM_OAUTH_URL";

impl Env {
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A non-empty variable.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

/// The five `ZOOM_*` variables of this process.
pub fn process_env() -> Env {
    Env::from_pairs(
        [
            ENV_ACCOUNT_ID,
            ENV_CLIENT_ID,
            ENV_CLIENT_SECRET,
            ENV_API_URL,
            ENV_OAUTH_URL,
        ]
        .into_iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k, v))),
    )
}

/// A profile ready to build a client from.
#[derive(Debug, Clone)]
pub struct ResolvedProfile {
    pub account_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub account_name: Option<String>,
    pub api_url: String,
    pub oauth_url: String,
    /// The ceiling of the client's adaptive rate limits: Pro when the
    /// profile names no plan (see [`Plan`]).
    pub plan: Plan,
    pub polling_interval: PollingInterval,
}

impl ResolvedProfile {
    /// The client configuration for this profile.
    pub fn client_config(&self) -> ClientConfig {
        let mut c = ClientConfig::new(
            self.account_id.clone(),
            self.client_id.clone(),
            self.client_secret.clone(),
        );
        c.api_url = self.api_url.clone();
        c.oauth_url = self.oauth_url.clone();
        c.plan = self.plan;
        c
    }
}

pub(super) fn resolve(
    config: &Config,
    name: &str,
    env: &Env,
) -> Result<ResolvedProfile, ConfigError> {
    let empty = ProfileConfig::default();
    let file = match config.profiles.get(name) {
        Some(p) => p,
        // The default profile may live entirely in the environment.
        None if name == "default" => &empty,
        None => {
            return Err(ConfigError::UnknownProfile {
                name: name.to_string(),
                path: config.path.clone(),
                available: config.profile_names(),
            });
        }
    };
    let missing = |field, env| ConfigError::Missing {
        profile: name.to_string(),
        field,
        env,
        path: config.path.clone(),
    };
    let pick = |env_name: &str, file_value: &Option<String>| {
        env.get(env_name)
            .map(str::to_string)
            .or_else(|| file_value.clone().filter(|v| !v.trim().is_empty()))
    };
    let account_id = pick(ENV_ACCOUNT_ID, &file.account_id)
        .ok_or_else(|| missing("account_id", ENV_ACCOUNT_ID))?;
    let client_id =
        pick(ENV_CLIENT_ID, &file.client_id).ok_or_else(|| missing("client_id", ENV_CLIENT_ID))?;
    if file.client_secret.is_some() && file.client_secret_command.is_some() {
        return Err(ConfigError::BothSecrets {
            profile: name.to_string(),
        });
    }
    let client_secret = if let Some(s) = env.get(ENV_CLIENT_SECRET) {
        Secret::new(s)
    } else if let Some(s) = file.client_secret.as_ref().filter(|s| !s.is_empty()) {
        s.clone()
    } else if let Some(cmd) = &file.client_secret_command {
        let timeout = file
            .client_secret_command_timeout
            .unwrap_or(super::SECRET_COMMAND_TIMEOUT);
        run_secret_command(name, cmd, timeout)?
    } else {
        return Err(missing("client_secret", ENV_CLIENT_SECRET));
    };
    Ok(ResolvedProfile {
        account_id,
        client_id,
        client_secret,
        account_name: file.account_name.clone().filter(|s| !s.trim().is_empty()),
        api_url: pick(ENV_API_URL, &file.api_url)
            .unwrap_or_else(|| ClientConfig::DEFAULT_API_URL.to_string()),
        oauth_url: pick(ENV_OAUTH_URL, &file.oauth_url)
            .unwrap_or_else(|| ClientConfig::DEFAULT_OAUTH_URL.to_string()),
        plan: file.plan.unwrap_or_default(),
        polling_interval: file.polling_interval.unwrap_or(PollingInterval::DEFAULT),
    })
}

/// Runs the command through the shell and returns its trimmed stdout. The
/// output is the secret, so it appears in no error and no log line. A
/// command still running after `timeout` (a keyring waiting for a prompt no
/// one sees, a hung network mount) is killed: zoomscope fails with a message
/// instead of hanging forever.
fn run_secret_command(profile: &str, cmd: &str, timeout: Duration) -> Result<Secret, ConfigError> {
    /// A secret is a few dozen bytes; more output than this is not one.
    const MAX_OUTPUT: u64 = 64 * 1024;
    let fail = |problem: String| ConfigError::SecretCommand {
        profile: profile.to_string(),
        command: cmd.to_string(),
        problem,
    };
    tracing::debug!(profile, "running client_secret_command");
    #[cfg(unix)]
    let mut command = {
        let mut c = Command::new("sh");
        c.arg("-c").arg(cmd);
        c
    };
    #[cfg(not(unix))]
    let mut command = {
        let mut c = Command::new("cmd");
        c.arg("/C").arg(cmd);
        c
    };
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // The user sees the command's own complaints (e.g. a locked keyring).
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| fail(format!("could not start: {e}")))?;
    // Read stdout on a thread, so that waiting can time out; the thread ends
    // when the pipe closes (the command, or whatever it left running, exits).
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let read = out.take(MAX_OUTPUT + 1).read_to_end(&mut buf);
            let _ = tx.send(read.map(|_| buf));
        });
    }
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                kill_tree(&mut child);
                return Err(fail(format!(
                    "did not finish within {}; it was stopped (raise client_secret_command_timeout if it needs longer)",
                    humantime::format_duration(timeout)
                )));
            }
            Err(e) => return Err(fail(format!("could not be waited for: {e}"))),
        }
    };
    if !status.success() {
        return Err(fail(format!("failed ({status})")));
    }
    // The command has exited; its output is complete unless something it
    // started still holds the pipe, which gets what is left of the timeout.
    let left = deadline.saturating_duration_since(Instant::now());
    let bytes = match rx.recv_timeout(left.max(Duration::from_millis(100))) {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return Err(fail(format!("output could not be read: {e}"))),
        Err(_) => {
            return Err(fail(
                "exited, but something it started kept its output open".into(),
            ));
        }
    };
    if bytes.len() as u64 > MAX_OUTPUT {
        return Err(fail(format!("printed more than {MAX_OUTPUT} bytes")));
    }
    let text = String::from_utf8(bytes).map_err(|_| fail("printed non-UTF-8 output".into()))?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(fail("printed nothing".into()));
    }
    Ok(Secret::new(secret))
}

/// Kills the shell and everything it started (`sh -c "sleep 1000"` forks
/// `sleep`, which would otherwise outlive it and keep its output open).
/// The command runs in zoomscope's own process group, so that a prompt on
/// the terminal still works; its descendants are found through /proc.
fn kill_tree(child: &mut std::process::Child) {
    #[cfg(target_os = "linux")]
    for pid in descendants(child.id()) {
        if let Ok(pid) = libc::pid_t::try_from(pid) {
            // SAFETY: kill(2) has no memory effects; a pid that has exited
            // since it was listed at worst gets ESRCH.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Processes below `root`, children before grandchildren, from each
/// `/proc/PID/stat`'s parent field.
#[cfg(target_os = "linux")]
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut out = vec![];
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(pid, ppid) in &parent_of {
            if ppid == p && !out.contains(&pid) {
                out.push(pid);
                frontier.push(pid);
            }
        }
    }
    out
}
