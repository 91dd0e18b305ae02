//! Who changed it, end to end with the real binary against the sandbox:
//! `sync` fetches the operation log and sign-in activity into the store
//! (append-only, de-duplicated across the overlap of two syncs, kept when a
//! later sync fails), `diff --json` names the operator of a change in the
//! entity's `by`, and `activity --json` lists it with the entity's key.

use serde_json::Value;
use zoomscope::sandbox::{Change, ChangeKind, SandboxConfig};

use crate::support::cli::Home;
use crate::support::sandbox::{a_member, start};

fn events(v: &Value) -> &Vec<Value> {
    v["events"].as_array().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_admin_is_attributed_to_its_operator() {
    let sb = start(SandboxConfig {
        users: 200,
        seed: 21,
        ..SandboxConfig::default()
    })
    .await;
    let home = Home::new();
    home.write_profile(&sb);
    let s = home.run(&["sync", "--json"], &[]).await;
    s.assert_code(0);
    let first = home.run(&["activity", "--json"], &[]).await;
    first.assert_code(0);
    let before = events(&first.json()).len();
    assert!(before > 0, "history fetched: {}", first.stdout);

    let member = a_member(&sb);
    let applied = sb
        .apply_change(Change::for_user(ChangeKind::MakeAdmin, member.clone()))
        .unwrap();
    home.run(&["sync", "--json"], &[]).await.assert_code(0);

    // The second sync fetched yesterday and today again: only the change
    // and its operator's sign-in are new.
    let all = home.run(&["activity", "--json"], &[]).await.json();
    assert_eq!(events(&all).len(), before + 2, "deduplicated");

    let d = home.run(&["diff", "--json"], &[]).await;
    d.assert_code(0);
    let d = d.json();
    let changed = d["entities"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["_key"] == applied.user_key.as_str())
        .unwrap_or_else(|| panic!("{} changed: {d}", applied.user_key));
    assert_eq!(changed["explained"], true);
    let by = changed["by"].as_array().unwrap();
    assert_eq!(by.len(), 1, "{changed}");
    let operator = by[0]["operator"].as_str().unwrap().to_string();
    assert_ne!(operator, member);
    assert_eq!(
        by[0]["detail"],
        format!("Update User {member}  - User Role: from Member to Admin")
    );
    assert_eq!(by[0]["action"], "Update");
    // The Changes pane's diff of the last sync carries the same attribution.
    {
        let store = zoomscope::store::Store::open(&home.data.join("zoomscope.db")).unwrap();
        let last = zoomscope::diff::last_sync(&store, "default").unwrap();
        let by = last.attribution.by(&applied.user_key);
        assert_eq!(by.len(), 1);
        assert_eq!(by[0].operator, operator);
    }
    // Every entity says whether a log entry explains it.
    for list in ["added", "removed", "changed"] {
        for e in d["entities"][list].as_array().unwrap() {
            let by = e["by"].as_array().unwrap();
            assert_eq!(e["explained"], !by.is_empty(), "{e}");
        }
    }

    // `activity` lists it newest first with the user's key; the filters agree.
    let mine = home
        .run(&["activity", "--json", "--user", &member], &[])
        .await
        .json();
    let e = &events(&mine)[0];
    assert_eq!(e["entity"], applied.user_key.as_str());
    assert_eq!(e["actor"], operator.as_str());
    assert_eq!(e["changes"][0]["property"], "User Role");
    assert_eq!(e["changes"][0]["new"], "Admin");
    let by_op = home
        .run(
            &[
                "activity",
                "--json",
                "--operator",
                &operator,
                "--since",
                "1h",
            ],
            &[],
        )
        .await
        .json();
    assert!(
        events(&by_op)
            .iter()
            .all(|e| e["actor"] == operator.as_str())
    );
    assert!(events(&by_op).iter().any(|e| e["source"] == "operation"));
    let newest = &events(&all)[0]["time"];
    let oldest = &events(&all)[events(&all).len() - 1]["time"];
    assert!(newest.as_str() >= oldest.as_str());

    // A sync that fails keeps every stored event.
    sb.shutdown().await;
    let failed = home.run(&["sync", "--json"], &[]).await;
    assert_ne!(failed.code, 0);
    let kept = home.run(&["activity", "--json"], &[]).await.json();
    assert_eq!(events(&kept).len(), before + 2);
}

#[tokio::test]
async fn a_free_plan_skips_the_logs_with_zooms_reason() {
    let sb = start(SandboxConfig {
        users: 50,
        plan: "free".into(),
        ..SandboxConfig::default()
    })
    .await;
    let home = Home::new();
    home.write_profile(&sb);
    let s = home.run(&["sync", "--json"], &[]).await;
    let j = s.json();
    let skipped = j["skipped"].as_array().unwrap();
    for step in ["fetch-operation-logs", "fetch-sign-in-activity"] {
        let e = skipped
            .iter()
            .find(|v| v["step"] == step)
            .unwrap_or_else(|| panic!("{step} skipped: {j:#}"));
        assert!(e.to_string().contains("Paid account"), "{e}");
    }
    let none = home.run(&["activity", "--json"], &[]).await.json();
    assert!(events(&none).is_empty());
}
