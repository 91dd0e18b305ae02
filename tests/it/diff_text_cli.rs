//! Plain `zoomscope diff` (no `--json`) says who made each change, with the
//! real binary against the sandbox: after `make_admin` (over HTTP) and a
//! sync, the user's entry is followed by `by <operator> at <time> (Update:
//! <detail>)` from the operation log, and an entity no entry names by
//! `unexplained`.

use zoomscope::sandbox::SandboxConfig;

use crate::support::cli::Home;
use crate::support::sandbox::{a_member, post_change, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_diff_prints_who_made_each_change() {
    let sb = start(SandboxConfig {
        users: 120,
        seed: 21,
        ..SandboxConfig::default()
    })
    .await;
    let home = Home::new();
    home.write_profile(&sb);
    home.run(&["sync", "--json"], &[]).await.assert_code(0);
    let member = a_member(&sb);
    let applied = post_change(&sb, "make_admin", &member).await;
    let user_key = applied["user_key"].as_str().unwrap().to_string();
    home.run(&["sync", "--json"], &[]).await.assert_code(0);

    // The entry the log holds for the change, as `activity` lists it.
    let log = home
        .run(&["activity", "--json", "--user", &member], &[])
        .await
        .json();
    let entry = &log["events"][0];
    let operator = entry["actor"].as_str().unwrap();
    let time = chrono::DateTime::parse_from_rfc3339(entry["time"].as_str().unwrap())
        .unwrap()
        .format("%Y-%m-%d %H:%M")
        .to_string();

    let d = home.run(&["diff"], &[]).await;
    d.assert_code(0);
    let lines: Vec<&str> = d.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("~ zoom_user {user_key} ")))
        .unwrap_or_else(|| panic!("{user_key} changed:\n{}", d.stdout));
    // Its property lines, then who did it.
    let by = lines[at + 1..]
        .iter()
        .find(|l| !l.starts_with("    ") || l.starts_with("    by ") || **l == "    unexplained")
        .unwrap();
    assert_eq!(
        *by,
        format!(
            "    by {operator} at {time} (Update: Update User {member}  - User Role: from Member to Admin)"
        ),
        "\n{}",
        d.stdout
    );
    // The roles' member counts changed too, and no log entry names a role.
    assert!(lines.contains(&"    unexplained"), "{}", d.stdout);
    // `--json` says the same of the same entity.
    let j = home.run(&["diff", "--json"], &[]).await.json();
    let changed = j["entities"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["_key"] == user_key.as_str())
        .unwrap();
    assert_eq!(changed["by"][0]["operator"], operator);
}
