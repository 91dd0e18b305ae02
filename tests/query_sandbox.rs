//! JupiterOne's canned questions, verbatim from the saved pack, on a real
//! sync of a sandbox org with user settings; rows checked against the
//! sandbox's own ground truth (its generated users and their settings).

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use serde_json::Value;
use zoomscope::query::{self, saved};
use zoomscope::sandbox::{Sandbox, SandboxConfig};
use zoomscope::sync::SyncOptions;
use zoomscope::zoom::{ClientConfig, Secret, ZoomClient};

/// (Username, ID) of each row, `ID` empty for pending users.
fn rows(g: &zoomscope::graph::Graph, name: &str) -> BTreeSet<(String, String)> {
    let q = saved::find(name).unwrap();
    let r = query::run(g, &q.query).unwrap();
    assert_eq!(r.columns, ["Name", "Username", "ID"]);
    r.rows
        .iter()
        .map(|row| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_lowercase();
            (s(&row.values[1]), s(&row.values[2]))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canned_questions_on_a_synced_sandbox_org() {
    let sb = Sandbox::start(SandboxConfig {
        users: 150,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let mut cfg = ClientConfig::new(
        sb.account_id(),
        sb.client_id(),
        Secret::new(sb.client_secret()),
    );
    cfg.api_url = sb.api_url();
    cfg.oauth_url = sb.oauth_url();
    let client = ZoomClient::new(cfg).unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let opts = SyncOptions {
        account_id: sb.account_id().to_string(),
        user_settings: true,
        ..SyncOptions::default()
    };
    let synced = zoomscope::sync::run(&client, &opts, tx)
        .await
        .expect("sync");
    let g = synced.graph;
    let org = sb.org();

    let key = |u: &zoomscope::sandbox::model::User| {
        (
            u.email.to_lowercase(),
            u.id.clone().unwrap_or_default().to_lowercase(),
        )
    };
    let all: BTreeSet<_> = org.users.iter().map(key).collect();
    assert_eq!(rows(&g, "zoom-access-list"), all);

    // Settings exist for users with an id; pending users have none, so
    // they are undefined and land in the "bad" half (J1QL: undefined != true).
    let with = |f: fn(&zoomscope::sandbox::model::User) -> bool| -> BTreeSet<_> {
        org.users
            .iter()
            .filter(|u| u.id.is_some() && f(u))
            .map(key)
            .collect()
    };
    let good = with(|u| u.settings.require_password_for_scheduling_new_meetings);
    assert!(!good.is_empty() && good.len() < all.len());
    assert_eq!(rows(&g, "scheduled-meeting-password-required"), good);
    assert_eq!(
        rows(&g, "scheduled-meeting-password-not-required"),
        all.difference(&good).cloned().collect()
    );

    let good = with(|u| u.settings.e2e_encryption);
    assert!(!good.is_empty() && good.len() < all.len());
    assert_eq!(rows(&g, "e2e-encryption-enabled"), good);
    assert_eq!(
        rows(&g, "e2e-encryption-disabled"),
        all.difference(&good).cloned().collect()
    );

    // And the rest of the pack runs on a real synced graph.
    for q in saved::questions() {
        query::run(&g, &q.query).unwrap_or_else(|e| panic!("{}: {e}", q.name));
    }
    sb.shutdown().await;
}
