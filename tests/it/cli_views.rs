//! #14's CLI part through the real binary: `export --format csv` without
//! `--type`, `diff --exit-code`, `check`'s order, every command's exit codes
//! in its help, and `--demo`'s options only where they mean something.

use zoomscope::sandbox::{Change, ChangeKind, RunningSandbox, Sandbox, SandboxConfig, UserStatus};

use crate::support::cli::Home;

async fn synced(users: usize) -> (RunningSandbox, Home) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_export_without_type_is_the_users() {
    let (sb, home) = synced(60).await;
    let run = home.run(&["export", "--format", "csv"], &[]).await;
    run.assert_code(0);
    let mut r = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = r.headers().unwrap().clone();
    let t = headers.iter().position(|h| h == "_type").unwrap();
    assert!(headers.iter().any(|h| h == "email"), "{headers:?}");
    let types: Vec<String> = r.records().map(|x| x.unwrap()[t].to_string()).collect();
    assert_eq!(types.len(), sb.org().users.len());
    assert!(types.iter().all(|t| t == "zoom_user"), "{types:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_exit_code_tells_whether_anything_changed() {
    let (sb, home) = synced(60).await;
    home.run(&["sync"], &[]).await.assert_code(0);
    // the same org twice: no changes
    home.run(&["diff", "--exit-code"], &[]).await.assert_code(0);
    // without the flag a diff always exits 0
    let email = sb
        .org()
        .users
        .iter()
        .find(|u| u.status == UserStatus::Active && u.role_id == "2" && u.id.is_some())
        .map(|u| u.email.clone())
        .unwrap();
    sb.apply_change(Change::for_user(ChangeKind::MakeAdmin, email))
        .unwrap();
    home.run(&["sync"], &[]).await.assert_code(0);
    home.run(&["diff"], &[]).await.assert_code(0);
    let changed = home.run(&["diff", "--exit-code"], &[]).await;
    changed.assert_code(1);
    assert!(!changed.stdout.is_empty());
    home.run(&["diff", "--exit-code", "--json"], &[])
        .await
        .assert_code(1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_lists_fired_rules_worst_first_then_by_name() {
    let (_sb, home) = synced(200).await;
    let run = home
        .run(&["check", "--offline", "--min-severity", "info"], &[])
        .await;
    let text = run.stdout.clone();
    let order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];
    let fired: Vec<(usize, String)> = text
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix('[')?;
            let (sev, rest) = rest.split_once("] ")?;
            let name = rest.split(" — ").next()?.to_string();
            Some((order.iter().position(|o| *o == sev)?, name))
        })
        .collect();
    assert!(fired.len() >= 2, "{text}");
    let distinct: std::collections::BTreeSet<usize> = fired.iter().map(|f| f.0).collect();
    assert!(distinct.len() >= 2, "one severity only: {text}");
    let mut sorted = fired.clone();
    sorted.sort();
    assert_eq!(fired, sorted, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_states_its_exit_codes_in_help() {
    let home = Home::new();
    for cmd in [
        &["sync"][..],
        &["export"],
        &["info"],
        &["query"],
        &["employees", "import"],
        &["employees", "report"],
        &["employees", "link"],
        &["employees", "unlink"],
        &["diff"],
        &["check"],
        &["watch"],
        &["sandbox"],
        &["completions"],
        &[],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let run = home.run(&args, &[]).await;
        run.assert_code(0);
        let help = &run.stdout;
        let exit = help.split("Exit status").nth(1);
        assert!(exit.is_some_and(|e| e.contains('0')), "{cmd:?}:\n{help}");
    }
    let export = home.run(&["export", "--help"], &[]).await;
    assert!(
        export
            .stdout
            .contains("without --type it exports zoom_user"),
        "{}",
        export.stdout
    );
    let diff = home.run(&["diff", "--help"], &[]).await;
    assert!(diff.stdout.contains("--exit-code"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_options_only_where_they_mean_something() {
    let home = Home::new();
    let help = |args: &'static [&'static str]| {
        let home = &home;
        async move {
            let run = home.run(args, &[]).await;
            run.assert_code(0);
            run.stdout.clone()
        }
    };
    for args in [&["query", "--help"][..], &["check", "--help"], &["--help"]] {
        let h = help(args).await;
        assert!(h.contains("--demo-users"), "{args:?}: {h}");
    }
    for args in [&["sandbox", "--help"][..], &["completions", "--help"]] {
        let h = help(args).await;
        let options: Vec<&str> = h
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("--demo"))
            .collect();
        assert!(options.is_empty(), "{args:?}: {h}");
    }
    // given where they mean nothing, they are refused, not ignored
    let run = home.run(&["--demo-users", "50", "info"], &[]).await;
    run.assert_code(2);
    assert!(run.stderr.contains("--demo-users"));
    for args in [
        &["--demo", "sandbox", "--port", "0"][..],
        &["sandbox", "--demo-users", "5", "--port", "0"],
        &["completions", "bash", "--demo"],
    ] {
        let run = home.run(args, &[]).await;
        run.assert_code(2);
        assert!(
            run.stderr.contains("mean nothing"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
