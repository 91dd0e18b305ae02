//! How a sync ended, read the same way by `sync`, `check`, `watch`, `query
//! --demo` and the explorer.

use crate::store::SnapshotInfo;
use crate::sync::{StepOutcome, StepRecord, SyncResult};

use super::exit;

/// A sync that stored a snapshot: what it fetched and what was stored.
#[derive(Debug)]
pub struct SyncReport {
    pub result: SyncResult,
    pub snapshot: SnapshotInfo,
}

/// The four ways a sync ends.
#[derive(Debug)]
pub enum SyncOutcome {
    /// Every step ran (some may have been skipped for a missing scope or as
    /// unavailable to the account, and some may have left single items out;
    /// what was not fetched keeps its earlier data). A snapshot was stored.
    Complete(SyncReport),
    /// Some steps failed; their parts keep the last good data. A snapshot
    /// was stored.
    Partial {
        report: SyncReport,
        /// (step, reason) of each failed step.
        failed: Vec<(String, String)>,
        /// Steps skipped (a missing scope, or unavailable to the account).
        skipped: Vec<String>,
    },
    /// The credentials were refused. Nothing was stored.
    AuthFailed(String),
    /// The sync refreshed no part at all (Zoom unreachable, every step
    /// failed): no snapshot was stored, so carried-over data is never
    /// mistaken for a good sync.
    NothingFetched {
        /// The first failure, e.g. `fetch-users: …`.
        reason: String,
        steps: Vec<StepRecord>,
    },
}

impl SyncOutcome {
    /// Classifies a finished sync before it is stored: `None` when it
    /// fetched nothing worth a snapshot.
    pub(super) fn nothing_fetched(result: &SyncResult) -> Option<SyncOutcome> {
        if !result.refreshed.entities.is_empty() {
            return None;
        }
        let failed = failed_steps(&result.steps);
        let reason = failed
            .first()
            .map(|(step, reason)| format!("{step}: {reason}"))
            .unwrap_or_else(|| "no step completed".into());
        Some(SyncOutcome::NothingFetched {
            reason,
            steps: result.steps.clone(),
        })
    }

    /// A stored sync, complete or partial by its steps.
    pub(super) fn of_stored(report: SyncReport) -> SyncOutcome {
        let failed = failed_steps(&report.result.steps);
        if failed.is_empty() {
            return SyncOutcome::Complete(report);
        }
        let skipped = report
            .result
            .steps
            .iter()
            .filter(|s| matches!(s.outcome, StepOutcome::Skipped { .. }))
            .map(|s| s.step.clone())
            .collect();
        SyncOutcome::Partial {
            report,
            failed,
            skipped,
        }
    }

    /// The process exit code: 0 complete (skipped parts allowed), 3
    /// authentication failed, 4 a part failed or nothing was fetched.
    pub fn exit_code(&self) -> u8 {
        match self {
            SyncOutcome::Complete(_) => exit::OK,
            SyncOutcome::AuthFailed(_) => exit::AUTH,
            SyncOutcome::Partial { .. } | SyncOutcome::NothingFetched { .. } => exit::PARTIAL,
        }
    }

    /// The stored snapshot's report, or why none was stored (one line).
    pub fn stored(&self) -> Result<&SyncReport, String> {
        match self {
            SyncOutcome::Complete(r) | SyncOutcome::Partial { report: r, .. } => Ok(r),
            SyncOutcome::AuthFailed(message) => Err(message.clone()),
            SyncOutcome::NothingFetched { reason, .. } => {
                Err(format!("the sync fetched nothing ({reason})"))
            }
        }
    }

    /// (step, reason) of each failed step (empty unless partial).
    pub fn failed(&self) -> &[(String, String)] {
        match self {
            SyncOutcome::Partial { failed, .. } => failed,
            _ => &[],
        }
    }

    /// (step, why) of each step of a stored sync that was skipped (the
    /// missing scopes, or Zoom's message for a part unavailable to the
    /// account) or that left single items out ("2 items skipped: …").
    /// Empty when nothing was stored.
    pub fn skipped_parts(&self) -> Vec<(String, String)> {
        let Ok(report) = self.stored() else {
            return Vec::new();
        };
        report
            .result
            .steps
            .iter()
            .filter_map(|s| {
                let why = match &s.outcome {
                    StepOutcome::Skipped { reason, .. } => reason.clone(),
                    StepOutcome::Ok { skipped, .. } if !skipped.is_empty() => skipped.describe(),
                    _ => return None,
                };
                Some((s.step.clone(), why))
            })
            .collect()
    }

    /// Why no snapshot was stored, as one line; `None` when one was.
    pub fn failure(&self) -> Option<String> {
        self.stored().err()
    }
}

fn failed_steps(steps: &[StepRecord]) -> Vec<(String, String)> {
    steps
        .iter()
        .filter_map(|s| match &s.outcome {
            StepOutcome::Failed { reason } => Some((s.step.clone(), reason.clone())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Parts, SnapshotId};

    fn step(name: &str, outcome: StepOutcome) -> StepRecord {
        StepRecord {
            step: name.into(),
            outcome,
            duration_ms: 1,
        }
    }

    fn failed(name: &str) -> StepRecord {
        step(
            name,
            StepOutcome::Failed {
                reason: "HTTP 500".into(),
            },
        )
    }

    fn report(steps: Vec<StepRecord>) -> SyncReport {
        let now = chrono::Utc::now();
        SyncReport {
            result: SyncResult {
                steps,
                refreshed: Parts::all(),
                ..Default::default()
            },
            snapshot: SnapshotInfo {
                id: SnapshotId(1),
                profile: "p".into(),
                account_id: "a".into(),
                started_at: now,
                finished_at: now,
                steps: Vec::new(),
                counts: Default::default(),
                refreshed: Parts::none(),
            },
        }
    }

    #[test]
    fn skipped_only_is_complete_and_exits_0() {
        let o = SyncOutcome::of_stored(report(vec![
            step("fetch-users", StepOutcome::ok(3)),
            step(
                "fetch-groups",
                StepOutcome::missing_scope(vec!["group:read:admin".into()]),
            ),
        ]));
        assert!(matches!(o, SyncOutcome::Complete(_)));
        assert_eq!(o.exit_code(), exit::OK);
        assert!(o.failure().is_none());
    }

    #[test]
    fn unavailable_parts_and_item_skips_are_complete_and_exit_0() {
        let mut items = crate::sync::ItemSkips::default();
        items.add("role 2", "HTTP 500");
        let o = SyncOutcome::of_stored(report(vec![
            step(
                "fetch-users",
                StepOutcome::Ok {
                    count: 3,
                    skipped: Default::default(),
                },
            ),
            step(
                "fetch-role-details",
                StepOutcome::Ok {
                    count: 2,
                    skipped: items,
                },
            ),
            step(
                "fetch-managed-domains",
                StepOutcome::unavailable("No permission."),
            ),
        ]));
        assert!(matches!(o, SyncOutcome::Complete(_)), "{o:?}");
        assert_eq!(o.exit_code(), exit::OK);
        assert_eq!(
            o.skipped_parts(),
            vec![
                (
                    "fetch-role-details".to_string(),
                    "1 item skipped: role 2: HTTP 500".to_string()
                ),
                (
                    "fetch-managed-domains".to_string(),
                    "No permission.".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_failed_step_is_partial_and_exits_4() {
        let o = SyncOutcome::of_stored(report(vec![
            step("fetch-users", StepOutcome::ok(3)),
            failed("fetch-groups"),
            step("fetch-roles", StepOutcome::missing_scope(vec![])),
        ]));
        let SyncOutcome::Partial {
            failed, skipped, ..
        } = &o
        else {
            panic!("{o:?}")
        };
        assert_eq!(failed, &[("fetch-groups".into(), "HTTP 500".into())]);
        assert_eq!(skipped, &["fetch-roles".to_string()]);
        assert_eq!(o.exit_code(), exit::PARTIAL);
        assert!(o.stored().is_ok());
    }

    #[test]
    fn nothing_refreshed_is_nothing_fetched_and_exits_4() {
        let result = SyncResult {
            steps: vec![failed("fetch-account"), failed("fetch-users")],
            ..Default::default()
        };
        let o = SyncOutcome::nothing_fetched(&result).expect("nothing fetched");
        assert_eq!(o.exit_code(), exit::PARTIAL);
        assert!(o.stored().is_err());
        assert_eq!(
            o.failure().as_deref(),
            Some("the sync fetched nothing (fetch-account: HTTP 500)")
        );
        // a sync that refreshed any entity type is stored
        let some = report(vec![failed("fetch-users")]).result;
        assert!(SyncOutcome::nothing_fetched(&some).is_none());
    }

    #[test]
    fn auth_failure_exits_3() {
        let o = SyncOutcome::AuthFailed("invalid client".into());
        assert_eq!(o.exit_code(), exit::AUTH);
        assert_eq!(o.failure().as_deref(), Some("invalid client"));
    }
}
