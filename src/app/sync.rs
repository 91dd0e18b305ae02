//! The one way to sync: fetch, classify, store.

use tokio::sync::mpsc::UnboundedSender;

use super::{AppError, Context, SyncOutcome, SyncReport};
use crate::store::SnapshotWrite;
use crate::sync::{FetchedUserSettings, SyncError, SyncEvent, SyncOptions};

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
        // The account's settings, lock settings, managed domains, … as last
        // stored: a part skipped or failed this time keeps them.
        if opts.previous_account.is_none() {
            let key = crate::graph::account_key(&opts.account_id);
            let raw = self
                .with_store(move |store, profile| Ok(store.raw_json(profile, &key)?))
                .await?;
            opts.previous_account = raw.and_then(|r| match serde_json::from_str(&r) {
                Ok(v) => Some(v),
                Err(e) => {
                    tracing::warn!(error = %e, "stored account JSON unreadable; not kept");
                    None
                }
            });
        }
        let client = self.client()?;
        let started_at = chrono::Utc::now();
        let result = match crate::sync::run(&client, &opts, events).await {
            Ok(r) => r,
            Err(SyncError::Auth(e)) => {
                tracing::warn!(error = %e, "sync: authentication failed");
                return Ok(SyncOutcome::AuthFailed(e.to_string()));
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
            return Ok(nothing);
        }
        let account_id = profile.account_id.clone();
        let report = self
            .with_store(move |store, profile| {
                let snapshot = store.save_snapshot(&SnapshotWrite {
                    profile,
                    account_id: &account_id,
                    started_at,
                    finished_at,
                    graph: &result.graph,
                    raw: &result.raw,
                    steps: &result.steps,
                    refreshed: &result.refreshed,
                })?;
                Ok(SyncReport { result, snapshot })
            })
            .await?;
        Ok(SyncOutcome::of_stored(report))
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
