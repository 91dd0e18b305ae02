//! The sync as the header shows it: the step running, its progress, and how
//! the last sync ended.

use chrono::{DateTime, Utc};

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

/// How long ago a sync finished, for the status bar: "just now",
/// "4 min ago", "3 h ago", "2 days ago".
pub fn age_text(finished: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - finished).num_seconds().max(0);
    match secs {
        0..60 => "just now".into(),
        60..3_600 => format!("{} min ago", secs / 60),
        3_600..172_800 => format!("{} h ago", secs / 3_600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

/// The snapshot's finish time as `SnapshotMeta::finished_at` carries it
/// (`2026-11-30 08:15:00 UTC`, written by `tui::context_source`).
pub fn parse_finished(s: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S UTC")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        let t = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        let at = |s: i64| age_text(t, t + chrono::Duration::seconds(s));
        assert_eq!(at(-5), "just now");
        assert_eq!(at(59), "just now");
        assert_eq!(at(4 * 60 + 30), "4 min ago");
        assert_eq!(at(3 * 3_600), "3 h ago");
        assert_eq!(at(3 * 86_400), "3 days ago");
        assert_eq!(parse_finished("2026-11-30 08:00:00 UTC"), Some(t));
        assert_eq!(parse_finished("yesterday"), None);
    }
}
