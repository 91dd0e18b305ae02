//! Running one named step: announce it, time it, turn its error into an
//! outcome (skipped for a missing scope or because Zoom says the part is
//! unavailable, failed otherwise), and remember an authentication failure
//! so the whole sync can end with [`SyncError::Auth`].

use std::future::Future;
use std::sync::Mutex;
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;

use super::{ItemSkips, StepOutcome, StepRecord, SyncEvent};
use crate::zoom::ZoomError;

/// Step names (stable: stored with snapshots and matched by the TUI).
pub mod names {
    pub const ACCOUNT_OWNER: &str = "fetch-account-owner";
    pub const USERS_SUMMARY: &str = "fetch-users-summary";
    pub const ACCOUNT_SETTINGS: &str = "fetch-account-settings";
    pub const ACCOUNT_SECURITY: &str = "fetch-account-security-settings";
    pub const ACCOUNT_LOCK: &str = "fetch-account-lock-settings";
    pub const MANAGED_DOMAINS: &str = "fetch-managed-domains";
    pub const USERS: &str = "fetch-users";
    pub const GROUPS: &str = "fetch-groups";
    pub const ROLES: &str = "fetch-roles";
    pub const ROLE_DETAILS: &str = "fetch-role-details";
    pub const GROUP_MEMBERS: &str = "fetch-group-members";
    pub const ROLE_MEMBERS: &str = "fetch-role-members";
    pub const USER_SETTINGS: &str = "fetch-user-settings";
    pub const USER_LOGIN_TYPES: &str = "fetch-user-login-types";
    pub const GROUP_ADMINS: &str = "fetch-group-admins";
    pub const GROUP_SETTINGS: &str = "fetch-group-settings";
    pub const GROUP_LOCK_SETTINGS: &str = "fetch-group-lock-settings";
    pub const TRUSTED_DOMAINS: &str = "fetch-trusted-domains";
    pub const OPERATION_LOGS: &str = "fetch-operation-logs";
    pub const SIGN_IN_ACTIVITY: &str = "fetch-sign-in-activity";
    /// Not a fetch: turning what was fetched into the graph.
    pub const BUILD_GRAPH: &str = "build-graph";
}

/// A step's result as the plan sees it: the data, or why there is none.
pub(crate) type StepResult<T> = Result<T, StepOutcome>;

/// Shared by all concurrently running steps of one sync.
pub(crate) struct StepLog {
    events: UnboundedSender<SyncEvent>,
    records: Mutex<Vec<StepRecord>>,
    auth_failure: Mutex<Option<ZoomError>>,
}

/// Why a step body stopped: a client error (mapped to skipped or failed),
/// or a failure the step itself describes (e.g. "3 of 2,000 users failed").
#[derive(Debug)]
pub(crate) enum StepError {
    Zoom(ZoomError),
    Other(String),
}

impl From<ZoomError> for StepError {
    fn from(e: ZoomError) -> Self {
        StepError::Zoom(e)
    }
}

/// What a step body returns on success: its data, the count it reports,
/// and the items it left out on their own.
pub(crate) struct Done<T> {
    pub value: T,
    pub count: usize,
    pub skipped: ItemSkips,
}

impl<T> Done<T> {
    pub fn new(value: T, count: usize) -> Self {
        Done {
            value,
            count,
            skipped: ItemSkips::default(),
        }
    }

    /// The same, with the items left out.
    pub fn with_skipped(mut self, skipped: ItemSkips) -> Self {
        self.skipped = skipped;
        self
    }
}

impl StepLog {
    pub fn new(events: UnboundedSender<SyncEvent>) -> Self {
        StepLog {
            events,
            records: Mutex::new(Vec::new()),
            auth_failure: Mutex::new(None),
        }
    }

    /// Sends an event; a dropped receiver only means nobody is watching.
    pub fn send(&self, e: SyncEvent) {
        let _ = self.events.send(e);
    }

    pub fn notice(&self, msg: impl Into<String>) {
        let msg = msg.into();
        tracing::info!(notice = %msg);
        self.send(SyncEvent::Notice(msg));
    }

    pub fn progress(&self, step: &str, done: usize, total: Option<u64>) {
        self.send(SyncEvent::StepProgress {
            step: step.to_string(),
            done,
            total,
        });
    }

    /// Runs `body` as step `name` and records how it ended.
    pub async fn run<T, F>(&self, name: &str, body: F) -> StepResult<T>
    where
        F: Future<Output = Result<Done<T>, StepError>>,
    {
        let started = self.start(name);
        let result = body.await;
        let (outcome, value) = match result {
            Ok(done) => {
                if !done.skipped.is_empty() {
                    tracing::warn!(step = name, skipped = %done.skipped.describe(), "items skipped");
                }
                (
                    StepOutcome::Ok {
                        count: done.count,
                        skipped: done.skipped,
                    },
                    Some(done.value),
                )
            }
            Err(StepError::Zoom(e)) => (self.outcome_of(name, e), None),
            Err(StepError::Other(reason)) => {
                tracing::warn!(step = name, %reason, "step failed");
                (StepOutcome::Failed { reason }, None)
            }
        };
        self.finish(name, outcome.clone(), started);
        value.ok_or(outcome)
    }

    /// Records a step that did not run because a step it needs did not
    /// complete: skipped for the same reason, or failed naming the cause.
    pub fn not_run<T>(&self, name: &str, needs: &str, cause: &StepOutcome) -> StepResult<T> {
        let outcome = match cause {
            StepOutcome::Skipped {
                kind,
                reason,
                scopes,
            } => StepOutcome::Skipped {
                kind: *kind,
                reason: format!("{needs} skipped: {reason}"),
                scopes: scopes.clone(),
            },
            _ => StepOutcome::Failed {
                reason: format!("not run: {needs} did not complete"),
            },
        };
        self.send(SyncEvent::StepStarted {
            step: name.to_string(),
        });
        self.finish(name, outcome.clone(), Instant::now());
        Err(outcome)
    }

    /// Maps an error to the outcome of step `name`: a missing scope and a
    /// part Zoom says is unavailable are skips (each saying why), an
    /// authentication failure is remembered, anything else fails the step.
    pub fn outcome_of(&self, name: &str, e: ZoomError) -> StepOutcome {
        if let Some(message) = e.unavailable_message() {
            tracing::info!(step = name, error = %e, "part unavailable; skipped");
            return StepOutcome::unavailable(message);
        }
        match e {
            ZoomError::MissingScope { scopes, .. } => StepOutcome::missing_scope(scopes),
            ZoomError::Auth { .. } => {
                let reason = e.to_string();
                if let Ok(mut a) = self.auth_failure.lock()
                    && a.is_none()
                {
                    *a = Some(e);
                }
                StepOutcome::Failed { reason }
            }
            other => {
                tracing::warn!(step = name, error = %other, "step failed");
                StepOutcome::Failed {
                    reason: other.to_string(),
                }
            }
        }
    }

    /// Announces a step; pass the instant to [`StepLog::finish`].
    pub fn start(&self, name: &str) -> Instant {
        self.send(SyncEvent::StepStarted {
            step: name.to_string(),
        });
        tracing::info!(step = name, "step started");
        Instant::now()
    }

    /// Records how a step ended.
    pub fn finish(&self, name: &str, outcome: StepOutcome, started: Instant) {
        let record = StepRecord {
            step: name.to_string(),
            outcome,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        tracing::info!(step = name, outcome = ?record.outcome, ms = record.duration_ms, "step finished");
        if let Ok(mut r) = self.records.lock() {
            r.push(record.clone());
        }
        self.send(SyncEvent::StepFinished(record));
    }

    /// The authentication error, if any step met one.
    pub fn take_auth_failure(&self) -> Option<ZoomError> {
        self.auth_failure.lock().ok().and_then(|mut a| a.take())
    }

    /// All records in the order the steps finished.
    pub fn into_records(self) -> Vec<StepRecord> {
        self.records.into_inner().unwrap_or_default()
    }
}
