//! The sync as the header shows it: the step running, its progress, and how
//! the last sync ended.

use crate::sync::{StepOutcome, SyncEvent};

use super::source::SyncFailure;

#[derive(Debug, Clone, Default)]
pub struct SyncStatus {
    pub running: bool,
    pub step: Option<String>,
    pub done: usize,
    pub total: Option<u64>,
    pub steps_finished: usize,
    pub failed_steps: usize,
    /// How the last sync ended, for the status line.
    pub last: Option<String>,
}

/// How a sync ended, for what the app shows beyond the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEnd {
    Done,
    /// Credentials were refused (the app explains in a modal).
    AuthFailed(String),
    Failed(String),
}

impl SyncStatus {
    /// Takes in a progress event; returns a warning to show, if any.
    pub fn on_event(&mut self, ev: SyncEvent) -> Option<String> {
        match ev {
            SyncEvent::StepStarted { step } => {
                if !self.running {
                    *self = SyncStatus {
                        running: true,
                        ..SyncStatus::default()
                    };
                }
                self.step = Some(step);
                self.done = 0;
                self.total = None;
                None
            }
            SyncEvent::StepProgress { step, done, total } => {
                self.running = true;
                self.step = Some(step);
                self.done = done;
                self.total = total;
                None
            }
            SyncEvent::StepFinished(rec) => {
                self.steps_finished += 1;
                match &rec.outcome {
                    StepOutcome::Failed { reason } => {
                        self.failed_steps += 1;
                        Some(format!("{} failed: {reason}", rec.step))
                    }
                    _ => None,
                }
            }
            SyncEvent::Notice(msg) => Some(msg),
        }
    }

    /// The sync ended.
    pub fn finished(&mut self, result: Result<(), SyncFailure>) -> SyncEnd {
        self.running = false;
        self.step = None;
        match result {
            Ok(()) => {
                self.last = Some(if self.failed_steps > 0 {
                    format!("synced, {} step(s) failed", self.failed_steps)
                } else {
                    "synced".into()
                });
                SyncEnd::Done
            }
            Err(SyncFailure::Auth(msg)) => {
                self.last = Some("authentication failed".into());
                SyncEnd::AuthFailed(msg)
            }
            Err(SyncFailure::Other(msg)) => {
                self.last = Some("sync failed".into());
                SyncEnd::Failed(msg)
            }
        }
    }
}
