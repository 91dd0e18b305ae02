use std::io::Write;
use std::path::Path;

use super::profile::{ENV_API_URL, ENV_OAUTH_URL};
use super::*;

const FULL: &str = r#"
[profile.default]
account_id = "acct"
client_id = "cid"
client_secret = "s3cret-value"
account_name = "Acme"
api_url = "http://127.0.0.1:9/v2"
oauth_url = "http://127.0.0.1:9"
plan = "pro"
polling_interval = "DISABLED"

[profile.cmd]
account_id = "a2"
client_id = "c2"
client_secret_command = "printf '  from-command\n'"

[alerts]
rules = "x"

[theme]
accent = "cyan"
"#;

fn write_file(dir: &Path, text: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    path
}

#[test]
fn reads_profiles_and_keeps_other_sections() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), FULL, 0o600);
    let c = Config::load(&path).unwrap();
    assert_eq!(c.profile_names(), vec!["cmd", "default"]);
    assert_eq!(
        c.section("theme")
            .and_then(|t| t.get("accent"))
            .and_then(|v| v.as_str()),
        Some("cyan")
    );
    assert!(c.section("alerts").is_some());
    let p = c.resolve("default", &Env::default()).unwrap();
    assert_eq!(p.account_id, "acct");
    assert_eq!(p.client_secret.expose(), "s3cret-value");
    assert_eq!(p.plan, crate::zoom::Plan::Pro);
    assert_eq!(p.polling_interval, PollingInterval::Disabled);
    assert_eq!(p.account_name.as_deref(), Some("Acme"));
    // the secret never shows in Debug output
    assert!(!format!("{p:?}").contains("s3cret-value"));
    assert!(!format!("{c:?}").contains("s3cret-value"));
}

#[test]
fn secret_command_output_is_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), FULL, 0o600);
    let c = Config::load(&path).unwrap();
    let p = c.resolve("cmd", &Env::default()).unwrap();
    assert_eq!(p.client_secret.expose(), "from-command");
    assert_eq!(p.api_url, crate::zoom::ClientConfig::DEFAULT_API_URL);
}

#[test]
fn failing_secret_command_does_not_leak_output() {
    let text = "[profile.x]\naccount_id='a'\nclient_id='c'\nclient_secret_command=\"echo leaked-value; exit 3\"\n";
    let c = Config::parse(Path::new("c.toml"), text).unwrap();
    let e = c.resolve("x", &Env::default()).unwrap_err().to_string();
    assert!(e.contains("client_secret_command"), "{e}");
    assert!(!e.contains("leaked-value"), "{e}");
}

#[test]
fn environment_overrides_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), FULL, 0o600);
    let c = Config::load(&path).unwrap();
    let env = Env::from_pairs([
        (ENV_ACCOUNT_ID, "env-acct"),
        (ENV_CLIENT_ID, "env-cid"),
        (ENV_CLIENT_SECRET, "env-secret"),
        (ENV_API_URL, "http://127.0.0.1:1/v2"),
        (ENV_OAUTH_URL, "http://127.0.0.1:1"),
    ]);
    let p = c.resolve("default", &env).unwrap();
    assert_eq!(p.account_id, "env-acct");
    assert_eq!(p.client_id, "env-cid");
    assert_eq!(p.client_secret.expose(), "env-secret");
    assert_eq!(p.api_url, "http://127.0.0.1:1/v2");
    assert_eq!(p.oauth_url, "http://127.0.0.1:1");
    // the environment alone is enough for the default profile
    let empty = Config::default();
    assert_eq!(
        empty.resolve("default", &env).unwrap().account_id,
        "env-acct"
    );
    assert!(matches!(
        empty.resolve("other", &env),
        Err(ConfigError::UnknownProfile { .. })
    ));
}

#[test]
fn missing_credentials_name_the_field_and_variable() {
    let c = Config::parse(Path::new("c.toml"), "[profile.default]\naccount_id = 'a'\n").unwrap();
    let e = c
        .resolve("default", &Env::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("client_id") && e.contains("ZOOM_CLIENT_ID"),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn readable_secret_file_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), FULL, 0o644);
    let e = Config::load(&path).unwrap_err();
    assert!(matches!(
        e,
        ConfigError::InsecurePermissions { mode: 0o644, .. }
    ));
    let msg = e.to_string();
    assert!(msg.contains("chmod 600"), "{msg}");
    assert!(!msg.contains("s3cret-value"));
    // without a plain secret, permissions do not matter
    let text = FULL.replace("client_secret = \"s3cret-value\"\n", "");
    let path = write_file(dir.path(), &text, 0o644);
    assert!(Config::load(&path).is_ok());
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    let text = "[profile.default]\naccount_id = \"a\"\nclient_id = = 3\n";
    let e = Config::parse(Path::new("/x/config.toml"), text).unwrap_err();
    match &e {
        ConfigError::Parse { line, column, .. } => {
            assert_eq!(*line, 3);
            assert!(*column >= 12, "column {column}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().starts_with("/x/config.toml:3:"), "{e}");
    // a misspelt key is caught where it is
    let e = Config::parse(Path::new("c.toml"), "[profile.p]\nclient_secert = 'x'\n").unwrap_err();
    assert!(matches!(e, ConfigError::Parse { line: 2, .. }), "{e}");
    assert!(!e.to_string().contains("'x'"));
    let e = Config::parse(Path::new("c.toml"), "[profile.p]\nplan = 'gold'\n").unwrap_err();
    assert!(matches!(e, ConfigError::Parse { line: 2, .. }), "{e}");
}

#[test]
fn missing_file_is_an_empty_config() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::load(&dir.path().join("nope.toml")).unwrap();
    assert!(!c.exists);
    assert!(c.profiles.is_empty());
}

#[test]
fn hanging_secret_command_is_stopped_after_its_timeout() {
    let text = "[profile.slow]\naccount_id='a'\nclient_id='c'\nclient_secret_command=\"sleep 1000\"\nclient_secret_command_timeout = \"300ms\"\n";
    let c = Config::parse(Path::new("c.toml"), text).unwrap();
    let started = std::time::Instant::now();
    let e = c.resolve("slow", &Env::default()).unwrap_err().to_string();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(e.contains("profile `slow`"), "{e}");
    assert!(e.contains("`sleep …`"), "{e}");
    assert!(e.contains("did not finish within 300ms"), "{e}");
}

/// The shell's children are stopped too: no `sleep` is left holding the
/// output pipe (or the terminal) after zoomscope gave up.
#[cfg(target_os = "linux")]
#[test]
fn timed_out_secret_command_leaves_no_process_behind() {
    let marker = format!("sleep 1000{}", std::process::id() % 7);
    let text = format!(
        "[profile.slow]\naccount_id='a'\nclient_id='c'\nclient_secret_command=\"{marker}; true\"\nclient_secret_command_timeout = \"300ms\"\n"
    );
    let c = Config::parse(Path::new("c.toml"), &text).unwrap();
    c.resolve("slow", &Env::default()).unwrap_err();
    std::thread::sleep(std::time::Duration::from_millis(100));
    let left = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .any(|c| String::from_utf8_lossy(&c).replace('\0', " ").trim() == marker);
    assert!(!left, "`{marker}` is still running");
}

#[test]
fn secret_command_timeout_defaults_to_ten_seconds_and_must_parse() {
    let text = "[profile.x]\naccount_id='a'\nclient_id='c'\nclient_secret_command='true'\n";
    let c = Config::parse(Path::new("c.toml"), text).unwrap();
    let p = c.profiles.get("x").unwrap();
    assert_eq!(p.client_secret_command_timeout, None);
    assert_eq!(
        super::SECRET_COMMAND_TIMEOUT,
        std::time::Duration::from_secs(10)
    );
    let bad = "[profile.x]\nclient_secret_command_timeout = 'soon'\n";
    let e = Config::parse(Path::new("c.toml"), bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("c.toml:2:"), "{e}");
    assert!(e.contains("client_secret_command_timeout `soon`"), "{e}");
}
