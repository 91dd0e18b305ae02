//! `fetch-group-settings` and `fetch-group-lock-settings`: each group's
//! `GET /groups/{id}/settings` and `/lock_settings` (Medium, one request per
//! group each), kept on the group where they differ from the account's
//! (`convert/group_settings.rs`).
//!
//! Per-item details, like the group admins: fetched only with
//! `sync --user-settings` (two Medium requests per group would add minutes
//! to every plain sync of a large account). A group whose body cannot be
//! read this time, and every group in a sync that does not read them, keeps
//! the overrides stored with it.

use futures::StreamExt;
use serde_json::Value;

use super::convert::Converter;
use super::convert::group_settings::{GroupOverrides, differences, stored_overrides};
use super::listings::{holds_for_all, is_gone};
use super::step::{Done, StepError, StepLog, StepResult};
use super::{EarlierRaw, ItemSkips};
use crate::graph::group_key;
use crate::zoom::{Group, Settings, ZoomClient, ZoomError};

/// Requests in flight per step (two steps run side by side): enough to keep
/// the Medium limiter busy without starving the listings.
const CONCURRENCY: usize = 4;

/// Which of a group's two bodies a step reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    Settings,
    LockSettings,
}

/// One step's bodies: the groups read, and those whose body could not be
/// read this time (they keep what was stored).
#[derive(Debug, Clone, Default)]
pub(crate) struct FetchedGroupBodies {
    pub read: Vec<(String, Settings)>,
    pub unread: Vec<String>,
}

/// Reads `which` body of every group. A group gone since the listing is left
/// out; an error that holds for every group (scope, plan, credentials, daily
/// limit) ends the step; any other error costs that group only. Not one
/// body readable is the step failing.
pub(crate) async fn fetch(
    client: &ZoomClient,
    groups: &[Group],
    which: Body,
    step: &'static str,
    log: &StepLog,
) -> Result<Done<FetchedGroupBodies>, StepError> {
    // Owned ids: see `members::group_members`.
    let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
    let total = ids.len();
    let mut stream = futures::stream::iter(ids.into_iter().map(|gid| async move {
        let res = match which {
            Body::Settings => client.group_settings(&gid).await,
            Body::LockSettings => client.group_lock_settings(&gid).await,
        };
        (gid, res)
    }))
    .buffer_unordered(CONCURRENCY);
    let mut out = FetchedGroupBodies::default();
    let mut skipped = ItemSkips::default();
    let mut first_failure: Option<ZoomError> = None;
    let mut seen = 0;
    while let Some((gid, res)) = stream.next().await {
        seen += 1;
        match res {
            Ok(body) => out.read.push((gid, body)),
            Err(e) if is_gone(&e) => {}
            Err(e) if holds_for_all(&e) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(group = %gid, error = %e, "group settings skipped");
                skipped.add(format_args!("group {gid}"), &e);
                out.unread.push(gid);
                first_failure.get_or_insert(e);
            }
        }
        log.progress(step, seen, Some(total as u64));
    }
    if out.read.is_empty()
        && let Some(e) = first_failure
    {
        return Err(e.into());
    }
    let count = out.read.len();
    Ok(Done::new(out, count).with_skipped(skipped))
}

/// What the groups' settings are compared with: the account's bodies, when
/// known (fetched now or kept from before).
pub(crate) struct AccountBodies<'a> {
    pub settings: Option<&'a Value>,
    pub locks: Option<&'a Value>,
}

/// Puts each listed group's overrides on it (call after the groups are in
/// the converter). Fresh bodies are compared with the account's; a group
/// not read this time (the steps not run, skipped or failed, or its own
/// request failed) keeps its stored differences, compared again with the
/// account's current settings (so one the account has since taken up is
/// no longer an override).
pub(crate) fn apply(
    b: &mut Converter,
    group_ids: &[String],
    settings: Option<StepResult<FetchedGroupBodies>>,
    locks: Option<StepResult<FetchedGroupBodies>>,
    account: &AccountBodies<'_>,
    earlier: Option<&EarlierRaw>,
) {
    let fresh = |r: Option<StepResult<FetchedGroupBodies>>| match r {
        Some(Ok(f)) => f
            .read
            .into_iter()
            .map(|(gid, s)| (gid, s.raw))
            .collect::<std::collections::HashMap<String, Value>>(),
        _ => Default::default(),
    };
    let (settings, locks) = (fresh(settings), fresh(locks));
    // Stored differences, read for the groups missing either body.
    let wanted: Vec<String> = group_ids
        .iter()
        .filter(|id| !settings.contains_key(*id) || !locks.contains_key(*id))
        .map(|id| group_key(id))
        .collect();
    let stored = match earlier {
        Some(e) if !wanted.is_empty() => e.read(&wanted),
        _ => Default::default(),
    };
    for id in group_ids {
        let before = stored
            .get(&group_key(id))
            .and_then(|raw| stored_overrides(raw))
            .unwrap_or_default();
        let pick = |fresh: Option<&Value>,
                    kept: serde_json::Map<String, Value>,
                    against: Option<&Value>| {
            match (fresh, against) {
                (Some(f), Some(a)) => differences(f, a),
                // Nothing to compare a fresh body with: keep what was known.
                (Some(_), None) | (None, None) => kept,
                (None, Some(a)) => differences(&Value::Object(kept), a),
            }
        };
        let o = GroupOverrides {
            settings: pick(settings.get(id), before.settings, account.settings),
            locks: pick(locks.get(id), before.locks, account.locks),
        };
        b.group_overrides(id, &o, account.locks);
    }
}
