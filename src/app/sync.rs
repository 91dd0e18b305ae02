//! The one way to sync: fetch, classify, store.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::{AppError, Context, SyncOutcome, SyncReport};
use crate::activity::Source;
use crate::graph::RelType;
use crate::store::SnapshotWrite;
use crate::sync::{
    EarlierMembers, EarlierRaw, FetchedUserSettings, SyncError, SyncEvent, SyncOptions,
};

impl Context {
    /// Syncs the profile's account and stores a snapshot unless the sync
    /// fetched nothing. Progress goes to `events`. `Err` is for what stops
    /// a sync before it starts or after it ends (no credentials configured,
    /// the store); how the sync itself went is the [`SyncOutcome`].
    pub async fn sync_and_store(
        &self,
        mut opts: SyncOptions,
        events: UnboundedSender<SyncEvent>,
    ) -> Result<SyncOutcome, AppError> {
        let profile = self.profile()?;
        opts.account_id = profile.account_id.clone();
        if opts.account_name.is_none() {
            opts.account_name = profile.account_name.clone();
        }
        // Users' roleName when the roles list cannot be read this time
        // (a missing scope): the names the store last saw.
        if opts.known_role_names.is_empty() {
            opts.known_role_names = self
                .with_store(|store, profile| Ok(store.role_names(profile)?))
                .await?;
        }
        // The account's settings, lock settings, managed domains, … and the
        // roles' privileges as last stored: a part skipped or failed this
        // time keeps them (they are properties, which the store's per-type
        // carry-over does not cover).
        if opts.previous_account.is_none() && opts.previous_roles.is_empty() {
            let account = crate::graph::account_key(&opts.account_id);
            let role_ids: Vec<String> = opts.known_role_names.keys().cloned().collect();
            let (account, roles) = self
                .with_store(move |store, profile| {
                    let account = store.raw_json(profile, &account)?;
                    let mut roles = Vec::with_capacity(role_ids.len());
                    for id in role_ids {
                        if let Some(raw) = store.raw_json(profile, &crate::graph::role_key(&id))? {
                            roles.push((id, raw));
                        }
                    }
                    Ok((account, roles))
                })
                .await?;
            opts.previous_account = account.and_then(|r| stored_json("zoom_account", &r));
            opts.previous_roles = roles
                .into_iter()
                .filter_map(|(id, r)| stored_json("zoom_role", &r).map(|v| (id, v)))
                .collect();
        }
        // The logs are fetched from the last day the store holds completely.
        opts.activity_cursor = self
            .with_store(|store, profile| {
                Ok(crate::sync::ActivityCursor {
                    operation: store.activity_fetched_to(profile, Source::Operation)?,
                    sign_in: store.activity_fetched_to(profile, Source::SignIn)?,
                })
            })
            .await?;
        if opts.earlier_raw.is_none() {
            opts.earlier_raw = Some(self.earlier_raw());
        }
        if opts.earlier_members.is_none() {
            opts.earlier_members = Some(self.earlier_members());
        }
        let client = self.client()?;
        // What the write compares against (100,000 users' open versions and
        // hashes) is read beside the fetch, not after its last page.
        let base = self.read_write_base();
        let started_at = chrono::Utc::now();
        let result = match crate::sync::run(&client, &opts, events).await {
            Ok(r) => r,
            Err(SyncError::Auth(e)) => {
                tracing::warn!(error = %e, "sync: authentication failed");
                let outcome = SyncOutcome::AuthFailed(e.to_string());
                self.record_failure(&outcome).await;
                return Ok(outcome);
            }
        };
        let finished_at = chrono::Utc::now();
        for s in &result.steps {
            if let crate::sync::StepOutcome::Failed { reason } = &s.outcome {
                tracing::warn!(step = %s.step, %reason, "sync step failed");
            }
        }
        if let Some(nothing) = SyncOutcome::nothing_fetched(&result) {
            tracing::warn!("sync fetched nothing; no snapshot stored");
            self.record_failure(&nothing).await;
            return Ok(nothing);
        }
        let base = match base.await {
            Ok(Ok(b)) => Some(b),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "store not read ahead; the write reads it");
                None
            }
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => None,
        };
        let account_id = profile.account_id.clone();
        let report = self
            .with_store(move |store, profile| {
                let mut result = result;
                let w = SnapshotWrite {
                    profile,
                    account_id: &account_id,
                    started_at,
                    finished_at,
                    graph: &result.graph,
                    raw: &result.raw,
                    steps: &result.steps,
                    refreshed: &result.refreshed,
                };
                let snapshot = match base {
                    Some(base) => store.save_snapshot_with(&w, base)?,
                    None => store.save_snapshot(&w)?,
                };
                // The raw JSON is stored and nobody reads it from the
                // report: freeing 100,000 strings is left to a thread of
                // its own (a process that exits first never waits for it).
                crate::util::aside::drop_aside(std::mem::take(&mut result.raw));
                // Append-only beside the snapshot: a log not fetched this
                // time keeps its cursor, so the next sync fetches it again.
                for part in &result.activity {
                    store.append_activity(
                        profile,
                        part.source,
                        &part.events,
                        Some(part.fetched_to),
                    )?;
                }
                Ok(SyncReport { result, snapshot })
            })
            .await?;
        Ok(SyncOutcome::of_stored(report))
    }

    /// Records a sync that stored no snapshot, for the Changes timeline.
    /// Best effort: a store that cannot take it costs the record, never the
    /// outcome the caller reports.
    async fn record_failure(&self, outcome: &SyncOutcome) {
        let Some(reason) = outcome.failure() else {
            return;
        };
        let at = chrono::Utc::now();
        let recorded = self
            .with_store(move |store, profile| Ok(store.record_sync_failure(profile, at, &reason)?))
            .await;
        if let Err(e) = recorded {
            tracing::warn!(error = %e, "failed sync not recorded");
        }
    }

    /// Starts reading the store's [`WriteBase`] on the blocking pool, with a
    /// connection of its own.
    fn read_write_base(
        &self,
    ) -> tokio::task::JoinHandle<Result<crate::store::WriteBase, crate::store::StoreError>> {
        let store_file = self.paths().store_file.clone();
        let profile = self.profile_name().to_string();
        tokio::task::spawn_blocking(move || {
            crate::store::Store::open(&store_file)?.read_write_base(&profile)
        })
    }

    /// Reads stored raw JSON by key for the items a sync did not read this
    /// time (a user's settings, the groups' settings overrides on a plain
    /// sync), in one batch, on the blocking thread the sync builds on. A
    /// store that cannot be read keeps nothing; the sync goes on.
    fn earlier_raw(&self) -> EarlierRaw {
        let store_file = self.paths().store_file.clone();
        let profile = self.profile_name().to_string();
        EarlierRaw(Arc::new(move |keys: &[String]| {
            let out = HashMap::new();
            let store = match crate::store::Store::open(&store_file) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "store unreadable; earlier data not kept");
                    return out;
                }
            };
            match store.raw_json_many(&profile, keys) {
                Ok(found) => found,
                Err(e) => {
                    tracing::warn!(error = %e, "stored raw JSON unreadable; earlier data not kept");
                    out
                }
            }
        }))
    }

    /// Reads the stored members of the groups or roles whose member listing
    /// failed this time (rare: the latest snapshot is loaded only then). A
    /// store that cannot be read keeps nothing; the sync goes on.
    fn earlier_members(&self) -> EarlierMembers {
        let store_file = self.paths().store_file.clone();
        let profile = self.profile_name().to_string();
        EarlierMembers(Arc::new(move |rel: RelType, ids: &[String]| {
            let latest = crate::store::Store::open(&store_file).and_then(|s| s.latest(&profile));
            let graph = match latest {
                Ok(Some(s)) => s.graph,
                Ok(None) => return HashMap::new(),
                Err(e) => {
                    tracing::warn!(error = %e, "store unreadable; earlier members not kept");
                    return HashMap::new();
                }
            };
            let mut out = HashMap::new();
            for id in ids {
                // Group → user for memberships; user → group or role for
                // admins and role assignments.
                let (container, outgoing) = match rel {
                    RelType::UserAssignedRole => (crate::graph::role_key(id), false),
                    RelType::UserManagesGroup => (crate::graph::group_key(id), false),
                    _ => (crate::graph::group_key(id), true),
                };
                let Some(c) = graph.id_of(&container) else {
                    continue;
                };
                let rels = if outgoing {
                    graph.outgoing(c)
                } else {
                    graph.incoming(c)
                };
                let members: Vec<String> = rels
                    .iter()
                    .map(|r| graph.relationship(*r))
                    .filter(|r| r.rtype == rel)
                    .map(|r| if outgoing { r.to } else { r.from })
                    .filter_map(|u| {
                        graph
                            .entity(u)
                            .key
                            .strip_prefix("zoom_user:")
                            .map(str::to_string)
                    })
                    .collect();
                out.insert(id.clone(), members);
            }
            out
        }))
    }

    /// Fetches one user's settings now (the explorer's detail view) and
    /// saves them to the store. `user_key` is `zoom_user:<id>`.
    pub async fn fetch_user_settings(
        &self,
        user_key: &str,
    ) -> Result<Option<FetchedUserSettings>, AppError> {
        let client = self.client()?;
        let Some(s) = crate::sync::fetch_user_settings(&client, user_key).await? else {
            return Ok(None);
        };
        let key = user_key.to_string();
        self.with_store(move |store, profile| {
            store.save_user_settings(profile, &key, &s.props, Some(&s.raw))?;
            Ok(s)
        })
        .await
        .map(Some)
    }
}

/// A stored raw JSON text, or `None` (logged) when it does not parse: then
/// there is nothing earlier to keep, and the sync goes on.
fn stored_json(what: &str, text: &str) -> Option<serde_json::Value> {
    match serde_json::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::warn!(what, error = %e, "stored raw JSON unreadable; its earlier data is not kept");
            None
        }
    }
}
