//! Exit codes shared by every command (documented in the README and
//! `--help`). They live below the CLI because [`super::SyncOutcome`] maps
//! onto them and every front end reads a sync the same way.

pub const OK: u8 = 0;
/// `check`: a rule at or above `--min-severity` fired.
pub const ALERT: u8 = 1;
/// `diff --exit-code`: the snapshots differ (as `git diff --exit-code`).
pub const CHANGES: u8 = 1;
/// Usage, config or query errors.
pub const USAGE: u8 = 2;
/// Authentication failed.
pub const AUTH: u8 = 3;
/// A part of the sync failed (not merely skipped for a missing scope), or
/// the sync fetched nothing at all.
pub const PARTIAL: u8 = 4;
