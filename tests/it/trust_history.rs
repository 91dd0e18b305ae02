//! #14 bug 1: settings the explorer fetches for one user (the detail view's
//! lazy fetch) are not history. Against the `--demo` sandbox over real HTTP
//! with a real SQLite file: after opening users and syncing again, the diff
//! of the two syncs is empty and the user-settings rules read as before.

use zoomscope::alerts::{self, AlertState, EvalOptions, RuleStatus};
use zoomscope::app::{Context, Options, services};
use zoomscope::sync::SyncOptions;

async fn sync(ctx: &Context) {
    let (events, _progress) = tokio::sync::mpsc::unbounded_channel();
    let outcome = ctx
        .sync_and_store(SyncOptions::default(), events)
        .await
        .unwrap();
    assert!(outcome.failure().is_none(), "{:?}", outcome.failure());
}

/// `users-without-e2e-encryption` as `check` would read it now.
async fn e2e_rule(ctx: &Context) -> (RuleStatus, u64) {
    let rules: Vec<_> = ctx
        .load_rules()
        .unwrap()
        .into_iter()
        .filter(|r| r.name == "users-without-e2e-encryption")
        .collect();
    assert_eq!(rules.len(), 1, "the built-in rule");
    let opts = ctx.match_options().unwrap();
    ctx.with_store(move |store, profile| {
        let inputs = services::rule_inputs(store, profile, &opts)?.unwrap();
        let state = AlertState::open(store.conn(), profile).unwrap();
        let r = alerts::evaluate_read_only(
            &inputs.graph,
            &rules,
            &state,
            EvalOptions {
                now: chrono::Utc::now(),
                previous: inputs.previous.as_ref(),
            },
        )
        .unwrap();
        Ok((r[0].status.clone(), r[0].count))
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_users_then_syncing_records_no_change_and_fires_no_rule() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = Context::new(Options {
        demo: true,
        demo_users: 40,
        config_file: Some(dir.path().join("config.toml")),
        data_dir: Some(dir.path().join("data")),
        ..Options::default()
    })
    .await
    .unwrap();
    sync(&ctx).await;
    let before = e2e_rule(&ctx).await;
    assert_eq!(before.0, RuleStatus::Quiet, "no user settings synced yet");

    // Open users as the detail view does until one has e2e encryption off.
    let users: Vec<String> = ctx
        .latest_graph()
        .await
        .unwrap()
        .unwrap()
        .graph
        .entities()
        .filter(|(_, e)| e.key.starts_with("zoom_user:") && !e.key.contains("pending"))
        .map(|(_, e)| e.key.clone())
        .collect();
    let mut opened = Vec::new();
    for key in &users {
        let s = ctx.fetch_user_settings(key).await.unwrap().unwrap();
        opened.push(key.clone());
        let off = s
            .props
            .iter()
            .any(|(k, v)| k == "inMeetingE2eEncryption" && v == &serde_json::json!(false));
        if off && opened.len() >= 3 {
            break;
        }
    }
    assert!(opened.len() >= 3, "opened {opened:?}");
    // The settings are cached for the detail view, with their fetch time.
    let first = opened[0].clone();
    let cached = ctx
        .with_store(move |store, profile| Ok(store.cached_user_settings(profile, &first)?))
        .await
        .unwrap();
    assert!(cached.is_some_and(|c| c.props.len() > 50));

    sync(&ctx).await;
    let diff = ctx
        .with_store(|store, profile| {
            let snaps = store.snapshots(profile)?;
            let [.., a, b] = snaps.as_slice() else {
                panic!("two snapshots expected, got {}", snaps.len());
            };
            Ok(zoomscope::diff::diff_snapshots(store, profile, a.id, b.id)?)
        })
        .await
        .unwrap();
    let users_changed: Vec<_> = diff
        .to_json(1, 2)
        .get("entities")
        .and_then(|e| e.get("changed"))
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default();
    assert!(
        users_changed.is_empty(),
        "opening users became history: {}",
        serde_json::to_string(&users_changed)
            .unwrap()
            .chars()
            .take(400)
            .collect::<String>()
    );
    assert!(diff.is_empty(), "{:?}", diff.summary());
    assert_eq!(e2e_rule(&ctx).await, before, "a lazy fetch fed the rules");
}
