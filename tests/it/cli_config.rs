//! Config handling, `info`, `--demo` and `--help`, through the real binary.

use crate::support::cli::Home;

const SECRET: &str = "file-secret-4c1d9a";

fn profile_text(secret_line: &str) -> String {
    format!(
        "[profile.default]\naccount_id = \"acct-1\"\nclient_id = \"client-1\"\n{secret_line}\napi_url = \"http://127.0.0.1:9/v2\"\noauth_url = \"http://127.0.0.1:9\"\n\n[theme]\naccent = \"cyan\"\n"
    )
}

#[tokio::test]
async fn malformed_config_exits_2_naming_file_line_and_column() {
    let home = Home::new();
    home.write_config(
        "[profile.default]\naccount_id = \"a\"\nclient_id = = 1\n",
        0o600,
    );
    let r = home.run(&["sync"], &[]).await;
    r.assert_code(2);
    let expected = format!("{}:3:", home.config.display());
    assert!(r.stderr.contains(&expected), "{}", r.stderr);
}

#[tokio::test]
async fn unknown_profile_and_missing_credentials_exit_2() {
    let home = Home::new();
    home.write_config(
        &profile_text(&format!("client_secret = \"{SECRET}\"")),
        0o600,
    );
    let r = home.run(&["--profile", "nope", "sync"], &[]).await;
    r.assert_code(2);
    assert!(
        r.stderr.contains("nope") && r.stderr.contains("default"),
        "{}",
        r.stderr
    );

    let empty = Home::new();
    let r = empty.run(&["sync"], &[]).await;
    r.assert_code(2);
    assert!(r.stderr.contains("ZOOM_ACCOUNT_ID"), "{}", r.stderr);
}

#[cfg(unix)]
#[tokio::test]
async fn a_readable_config_with_a_secret_is_refused() {
    let home = Home::new();
    home.write_config(
        &profile_text(&format!("client_secret = \"{SECRET}\"")),
        0o644,
    );
    let r = home.run(&["sync"], &[]).await;
    r.assert_code(2);
    assert!(r.stderr.contains("chmod 600"), "{}", r.stderr);
    assert!(!r.stderr.contains(SECRET) && !r.stdout.contains(SECRET));
    // the same file without a plain secret is fine to read
    home.write_config(
        &profile_text("client_secret_command = \"echo from-command\""),
        0o644,
    );
    home.run(&["info"], &[]).await.assert_code(0);
}

#[tokio::test]
async fn info_shows_paths_and_profiles_but_no_secret() {
    let home = Home::new();
    home.write_config(
        &profile_text(&format!("client_secret = \"{SECRET}\"")),
        0o600,
    );
    let r = home.run(&["info", "--json"], &[]).await;
    r.assert_code(0);
    assert!(!r.stdout.contains(SECRET));
    let v = r.json();
    assert_eq!(v["config_file"], home.config.display().to_string());
    assert_eq!(v["data_dir"], home.data.display().to_string());
    assert!(
        v["log_file"]
            .as_str()
            .unwrap()
            .starts_with(&*home.data.display().to_string())
    );
    let p = &v["profiles"][0];
    assert_eq!(p["name"], "default");
    assert_eq!(p["account_id"], "acct-1");
    assert_eq!(p["client_secret"], "config file");
    assert!(p["last_sync"].is_null());
    let text = home.run(&["info"], &[]).await;
    text.assert_code(0);
    assert!(text.stdout.contains("never synced") && !text.stdout.contains(SECRET));
    // the log went to the log file, not the terminal
    assert!(text.stderr.is_empty(), "{}", text.stderr);
}

#[tokio::test]
async fn demo_sync_runs_against_the_in_process_sandbox() {
    let home = Home::new();
    let r = home
        .run(&["--demo", "--demo-users", "200", "sync", "--json"], &[])
        .await;
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["profile"], "demo");
    assert_eq!(v["counts"]["zoom_user"], 200);
    let info = home.run(&["info", "--json"], &[]).await.json();
    let demo = info["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "demo")
        .expect("demo profile listed after a demo sync");
    assert_eq!(demo["last_sync"]["counts"]["zoom_user"], 200);
    let export = home
        .run(&["--demo", "export", "--type", "zoom_user"], &[])
        .await;
    export.assert_code(0);
    assert_eq!(export.json()["entities"].as_array().unwrap().len(), 200);
}

#[tokio::test]
async fn every_command_of_mine_has_help() {
    let home = Home::new();
    for cmd in ["sync", "export", "info"] {
        let r = home.run(&[cmd, "--help"], &[]).await;
        r.assert_code(0);
        assert!(r.stdout.contains("Usage"), "{cmd}: {}", r.stdout);
    }
    // CSV without --type exports the users (#14); here there is nothing yet
    let r = home.run(&["export", "--format", "csv"], &[]).await;
    r.assert_code(2);
    assert!(r.stderr.contains("no snapshot"), "{}", r.stderr);
}
