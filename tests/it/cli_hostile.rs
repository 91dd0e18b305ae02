//! Hostile input through the real binary: chains past the comparison limit,
//! typos, control characters from Zoom in CSV/JSON/tables, `export --out`
//! aimed at the store, closed pipes, file modes, a hanging
//! `client_secret_command`, absurd `--since`.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::cli::{BIN, Home};
use zoomscope::sandbox::{Change, ChangeKind, RunningSandbox, Sandbox, SandboxConfig};

const HOSTILE_NAME: &str = "\u{1b}]0;PWNED\u{7}evil\u{202e}\u{9b}31m\u{200b}\u{200d}@evil.example";

async fn synced_home(users: usize) -> (RunningSandbox, Home) {
    let sb = Sandbox::start(SandboxConfig {
        users,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let home = Home::new();
    home.write_profile(&sb);
    home.run(&["sync"], &[]).await.assert_code(0);
    (sb, home)
}

/// Runs the binary with its stdout a pipe whose reading end is already
/// closed; returns (exit code, stderr).
fn run_into_closed_pipe(home: &Home, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .arg("--config")
        .arg(&home.config)
        .arg("--data-dir")
        .arg(&home.data)
        .args(args)
        .env_remove("ZOOMSCOPE_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

#[tokio::test(flavor = "multi_thread")]
async fn long_chains_exit_2_and_typos_are_named() {
    let (_sb, home) = synced_home(50).await;
    let q = format!("FIND zoom_user WITH {}", vec!["a=1"; 8_000].join(" AND "));
    let r = home.run(&["query", &q], &[]).await;
    r.assert_code(2);
    assert!(
        r.stderr.contains("more than 1000 comparisons"),
        "{}",
        r.stderr
    );

    let file = home.dir.path().join("q.j1ql");
    std::fs::write(
        &file,
        format!("FIND zoom_user WITH {}", vec!["a=1"; 10_000].join("\nOR ")),
    )
    .unwrap();
    let r = home
        .run(&["query", "--file", file.to_str().unwrap()], &[])
        .await;
    r.assert_code(2);
    assert!(r.stderr.contains("line 1001"), "{}", r.stderr);

    // an endless file is refused after a bounded read, not read forever
    #[cfg(unix)]
    {
        let r = home.run(&["query", "--file", "/dev/zero"], &[]).await;
        r.assert_code(2);
        assert!(r.stderr.contains("larger than"), "{}", r.stderr);
    }

    let r = home.run(&["query", "FIND zoom_usr"], &[]).await;
    r.assert_code(0);
    assert!(
        r.stderr.contains("warning: unknown type `zoom_usr`")
            && r.stderr.contains("did you mean `zoom_user`?"),
        "{}",
        r.stderr
    );
    let r = home
        .run(
            &["query", "FIND zoom_user WITH stauts='inactive'", "--json"],
            &[],
        )
        .await;
    r.assert_code(0);
    assert_eq!(r.json(), serde_json::json!([]));
    assert!(r.stderr.contains("did you mean `status`?"), "{}", r.stderr);

    let r = home
        .run(
            &[
                "query",
                "FIND zoom_user WITH createdAt < date.now + 200000 years",
            ],
            &[],
        )
        .await;
    r.assert_code(2);
    assert!(r.stderr.contains("out of range"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn control_characters_from_zoom_never_reach_csv_json_or_tables() {
    let (sb, home) = synced_home(50).await;
    let mut hire = Change::new(ChangeKind::Hire);
    hire.user = Some(HOSTILE_NAME.to_string());
    sb.apply_change(hire).unwrap();
    home.run(&["sync"], &[]).await.assert_code(0);

    let bad: [&str; 6] = [
        "\u{1b}", "\u{7}", "\u{9b}", "\u{202e}", "\u{200b}", "\u{200d}",
    ];
    let clean = |what: &str, text: &str| {
        for b in bad {
            assert!(!text.contains(b), "{what} holds {:?}", b);
        }
    };
    let csv = home.dir.path().join("u.csv");
    home.run(
        &[
            "export",
            "--format",
            "csv",
            "--type",
            "zoom_user",
            "--out",
            csv.to_str().unwrap(),
        ],
        &[],
    )
    .await
    .assert_code(0);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("@evil.example"), "the hire is exported");
    clean("CSV", &text);

    let json = home.dir.path().join("all.json");
    home.run(&["export", "--out", json.to_str().unwrap()], &[])
        .await
        .assert_code(0);
    let text = std::fs::read_to_string(&json).unwrap();
    clean("JSON export", &text);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v.to_string().contains("evil\u{202e}"), "escaped, not lost");

    for args in [
        vec!["query", "FIND zoom_user WITH email ~= 'evil'", "--json"],
        vec![
            "query",
            "FIND zoom_user WITH email ~= 'evil' AS u RETURN u.email",
        ],
        vec![
            "query",
            "FIND zoom_user WITH email ~= 'evil' AS u RETURN u.email",
            "--csv",
        ],
        vec!["diff", "--json"],
        vec!["diff"],
    ] {
        let r = home.run(&args, &[]).await;
        r.assert_code(0);
        // (the text diff names the hire by display name, not e-mail)
        assert!(
            r.stdout.contains("evil") || args == ["diff"],
            "{args:?}: {}",
            r.stdout
        );
        clean(&format!("{args:?}"), &r.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn export_never_writes_over_the_store_or_log() {
    let (_sb, home) = synced_home(30).await;
    let store = home.data.join("zoomscope.db");
    let users = |r: &crate::support::cli::Run| {
        r.json()["profiles"][0]["last_sync"]["counts"]["zoom_user"].clone()
    };
    let before = users(home.run(&["info", "--json"], &[]).await.assert_code(0));
    assert!(before.as_u64().unwrap() >= 30, "{before}");
    let bytes = |p: &std::path::Path| std::fs::read(p).unwrap_or_default();
    let before_bytes = (bytes(&store), bytes(&home.data.join("zoomscope.db-wal")));
    let link = home.dir.path().join("looks-harmless.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&store, &link).unwrap();
    let dotted = home.data.join("../data/zoomscope.db");
    for out in [
        store.clone(),
        dotted,
        home.data.join("zoomscope.db-wal"),
        home.data.join("zoomscope.log"),
        link,
    ] {
        let r = home
            .run(&["export", "--out", out.to_str().unwrap()], &[])
            .await;
        r.assert_code(2);
        assert!(r.stderr.contains("refusing"), "{}", r.stderr);
    }
    // not a byte changed: the refusal comes before the store is opened
    assert!(
        (bytes(&store), bytes(&home.data.join("zoomscope.db-wal"))) == before_bytes,
        "the store or its WAL changed"
    );
    // still the SQLite store, with the same snapshot
    assert!(
        std::fs::read(&store)
            .unwrap()
            .starts_with(b"SQLite format 3\0")
    );
    assert_eq!(
        users(home.run(&["info", "--json"], &[]).await.assert_code(0)),
        before
    );

    // a store that cannot be read is an error, not "never synced"
    std::fs::write(&store, b"{\"entities\": []}").unwrap();
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(home.data.join(format!("zoomscope.db{ext}")));
    }
    let r = home.run(&["info"], &[]).await;
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("never synced"), "{}", r.stdout);
    assert!(r.stderr.contains("store"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_pipes_end_quietly() {
    let (sb, home) = synced_home(300).await;
    home.run(&["sync"], &[]).await.assert_code(0);
    let roster = home.dir.path().join("roster.csv");
    std::fs::write(&roster, sb.roster_csv()).unwrap();
    home.run(&["employees", "import", roster.to_str().unwrap()], &[])
        .await
        .assert_code(0);
    let home = std::sync::Arc::new(home);
    for args in [
        &["query", "--saved", "all-users"][..],
        &["query", "--saved", "all-users", "--json"],
        &["query", "--list-saved"],
        &["employees", "report"],
        &["employees", "report", "--json"],
        &["export"],
        &["export", "--format", "csv", "--type", "zoom_user"],
        &["info"],
        &["diff"],
    ] {
        let h = home.clone();
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (code, err) = tokio::task::spawn_blocking(move || {
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            run_into_closed_pipe(&h, &a)
        })
        .await
        .unwrap();
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn data_dir_log_and_exports_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::start(SandboxConfig {
        users: 20,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let home = Home::new();
    home.write_profile(&sb);
    let out = home.dir.path().join("users.csv");
    let script = format!(
        "umask 000 && {BIN} --config {c} --data-dir {d} sync >/dev/null && {BIN} --config {c} --data-dir {d} export --format csv --type zoom_user --out {o}",
        c = home.config.display(),
        d = home.data.display(),
        o = out.display()
    );
    let st = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env_remove("ZOOMSCOPE_PROFILE")
        .status()
        .await
        .unwrap();
    assert!(st.success());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&home.data), 0o700);
    assert_eq!(mode(&home.data.join("zoomscope.log")), 0o600);
    assert_eq!(mode(&out), 0o600);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_secret_command_fails_clearly_and_odd_arguments_exit_2() {
    let home = Home::new();
    home.write_config(
        "[profile.default]\naccount_id = \"a\"\nclient_id = \"c\"\nclient_secret_command = \"sleep 1000\"\nclient_secret_command_timeout = \"1s\"\n",
        0o600,
    );
    let started = Instant::now();
    let r = home.run(&["sync"], &[]).await;
    assert!(started.elapsed() < Duration::from_secs(15));
    r.assert_code(2);
    assert!(
        r.stderr.contains("profile `default`") && r.stderr.contains("did not finish within 1s"),
        "{}",
        r.stderr
    );

    let r = home.run(&["diff", "--since", "99999999999999d"], &[]).await;
    r.assert_code(2);
    assert!(r.stderr.contains("--since"), "{}", r.stderr);
    assert!(
        !r.stderr.to_lowercase().contains("outofrange"),
        "{}",
        r.stderr
    );

    let r = home.run(&["info"], &[("ZOOMSCOPE_PROFILE", "")]).await;
    r.assert_code(2);
    assert!(r.stderr.contains("profile name is empty"), "{}", r.stderr);
}
