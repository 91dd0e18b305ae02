//! Fixtures for the alert and monitor tests, on the TUI's generated org
//! (`support::tui::org`): the user a test promotes, and snapshots saved a
//! minute apart so each sync has its own time.

use chrono::{TimeZone, Utc};
use serde_json::json;
use zoomscope::graph::Graph;
use zoomscope::store::{Parts, SnapshotWrite, Store};

/// The first active member (index ≥ 2) of the generated org: users 0 and 1
/// are the owner and the user with an escape sequence in its name.
pub fn first_active_member(g: &Graph) -> String {
    (2..60)
        .map(|i| format!("zoom_user:u{i}"))
        .find(|k| {
            g.get(k).is_some_and(|e| {
                e.prop("active") == Some(json!(true)) && e.prop("roleName") == Some(json!("Member"))
            })
        })
        .expect("an active member among the first 60 users")
}

/// Saves `g` as a complete snapshot of profile `default`, account `acct-1`,
/// synced at 08:`minute` on 2026-11-30.
pub fn save_at_minute(store: &Store, g: &Graph, minute: u32) {
    let at = Utc
        .with_ymd_and_hms(2026, 11, 30, 8, minute, 0)
        .single()
        .expect("a valid minute");
    store
        .save_snapshot(&SnapshotWrite {
            profile: "default",
            account_id: "acct-1",
            started_at: at,
            finished_at: at,
            graph: g,
            raw: &Default::default(),
            steps: &[],
            refreshed: &Parts::all(),
        })
        .expect("snapshot saved");
}
