//! Shared by the `cli_*` tests: a temp home for one test (config
//! file, data dir), running the real binary, and reading what it wrote.

use std::path::{Path, PathBuf};
use std::process::Output;

use zoomscope::sandbox::RunningSandbox;

pub const BIN: &str = env!("CARGO_BIN_EXE_zoomscope");

/// A config file and data dir under a temp dir.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let data = dir.path().join("data");
        Home { dir, config, data }
    }

    /// Writes `[profile.default]` for the sandbox (secret in the file, so
    /// 0600), on the Business plan the test sandbox's limits follow
    /// (`SandboxConfig::default()`), as `--demo` does; the client's own
    /// default (Pro) is tested where it matters.
    pub fn write_profile(&self, sb: &RunningSandbox) {
        let text = format!(
            "[profile.default]\naccount_id = \"{}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\napi_url = \"{}\"\noauth_url = \"{}\"\naccount_name = \"Sandbox Org\"\nplan = \"business\"\n",
            sb.account_id(),
            sb.client_id(),
            sb.client_secret(),
            sb.api_url(),
            sb.oauth_url()
        );
        self.write_config(&text, 0o600);
    }

    pub fn write_config(&self, text: &str, mode: u32) {
        std::fs::write(&self.config, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&self.config, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }

    /// Runs `zoomscope ARGS` against another sandbox than the profile's
    /// (its URLs in `ZOOM_API_URL` / `ZOOM_OAUTH_URL`, the profile's
    /// credentials): the same account reached through a harsher server.
    pub async fn run_against(&self, sb: &RunningSandbox, args: &[&str]) -> Run {
        let (api, oauth) = (sb.api_url(), sb.oauth_url());
        self.run(args, &[("ZOOM_API_URL", &api), ("ZOOM_OAUTH_URL", &oauth)])
            .await
    }

    /// Runs `zoomscope --config … --data-dir … ARGS` with `env` set and the
    /// caller's ZOOM_* variables removed.
    pub async fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.data)
            .args(args);
        for k in [
            "ZOOM_ACCOUNT_ID",
            "ZOOM_CLIENT_ID",
            "ZOOM_CLIENT_SECRET",
            "ZOOM_API_URL",
            "ZOOM_OAUTH_URL",
            "ZOOMSCOPE_PROFILE",
            "ZOOMSCOPE_CONFIG",
            "ZOOMSCOPE_DATA_DIR",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(std::process::Stdio::null());
        let out = cmd.output().await.unwrap();
        Run::from(out)
    }

    /// Every byte zoomscope wrote under the data dir (store, WAL, log).
    pub fn data_bytes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        collect(&self.data, &mut out);
        out
    }
}

fn collect(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            out.push((p, b));
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// True when `needle` occurs in `hay`.
pub fn contains(hay: &[u8], needle: &str) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}
