//! The operation log and sign-in activity: each its own step, fetched from
//! the day the store last fetched completely (minus a day of overlap, which
//! the store de-duplicates) up to today, one window of at most four weeks
//! per request chain (Zoom answers at most a month per request). A missing
//! scope or a Free plan skips the step with the reason, like any part.

use chrono::{Duration, NaiveDate, Utc};

use super::convert::activity::{operation_events, sign_in_events};
use super::step::{Done, StepError, StepLog, StepResult, names};
use super::{ActivityPart, ItemSkips, SyncOptions};
use crate::activity::Source;
use crate::zoom::{PageInfo, ZoomClient};

/// Days fetched on the first sync of a profile (Zoom keeps its logs for a
/// limited time; the store keeps what was fetched from then on).
pub const FIRST_LOOKBACK_DAYS: i64 = 90;
/// Days fetched again before the last complete day (a late entry of that
/// day is still caught; duplicates are dropped by the store).
pub const OVERLAP_DAYS: i64 = 1;
/// Days per request chain: under a month whatever the month.
const WINDOW_DAYS: i64 = 28;

/// The `(from, to)` windows, oldest first, covering `from..=to`.
pub(crate) fn windows(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = (start + Duration::days(WINDOW_DAYS - 1)).min(to);
        out.push((start, end));
        start = end + Duration::days(1);
    }
    out
}

/// Where a fetch of `source` starts, given the last day fetched completely.
pub(crate) fn start_day(fetched_to: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    match fetched_to {
        Some(d) => (d - Duration::days(OVERLAP_DAYS)).min(today),
        None => today - Duration::days(FIRST_LOOKBACK_DAYS),
    }
}

/// Runs both steps.
pub(crate) async fn fetch_activity(
    client: &ZoomClient,
    opts: &SyncOptions,
    log: &StepLog,
) -> (StepResult<ActivityPart>, StepResult<ActivityPart>) {
    tokio::join!(
        log.run(
            names::OPERATION_LOGS,
            fetch_source(client, Source::Operation, opts, log)
        ),
        log.run(
            names::SIGN_IN_ACTIVITY,
            fetch_source(client, Source::SignIn, opts, log)
        ),
    )
}

async fn fetch_source(
    client: &ZoomClient,
    source: Source,
    opts: &SyncOptions,
    log: &StepLog,
) -> Result<Done<ActivityPart>, StepError> {
    let today = Utc::now().date_naive();
    let fetched_to = match source {
        Source::Operation => opts.activity_cursor.operation,
        Source::SignIn => opts.activity_cursor.sign_in,
    };
    let step = match source {
        Source::Operation => names::OPERATION_LOGS,
        Source::SignIn => names::SIGN_IN_ACTIVITY,
    };
    let mut events = Vec::new();
    let mut skipped = ItemSkips::default();
    let mut before = 0usize;
    for (from, to) in windows(start_day(fetched_to, today), today) {
        let (from_s, to_s) = (from.to_string(), to.to_string());
        let done = before;
        let on_page = move |p: PageInfo| log.progress(step, done + p.fetched, None);
        let mut got = match source {
            Source::Operation => {
                let items = client.list_operation_logs(&from_s, &to_s, &on_page).await?;
                operation_events(&items, &mut skipped)
            }
            Source::SignIn => {
                let items = client
                    .list_sign_in_activities(&from_s, &to_s, &on_page)
                    .await?;
                sign_in_events(&items, &mut skipped)
            }
        };
        before += got.len();
        events.append(&mut got);
    }
    let n = events.len();
    Ok(Done::new(
        ActivityPart {
            source,
            events,
            fetched_to: today,
        },
        n,
    )
    .with_skipped(skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_cover_every_day_once_and_stay_under_a_month() {
        let w = windows(d("2026-09-08"), d("2026-12-07"));
        assert_eq!(w.first().unwrap().0, d("2026-09-08"));
        assert_eq!(w.last().unwrap().1, d("2026-12-07"));
        for pair in w.windows(2) {
            assert_eq!(pair[0].1 + Duration::days(1), pair[1].0);
        }
        assert!(w.iter().all(|(a, b)| (*b - *a).num_days() < 28));
        assert_eq!(windows(d("2026-12-07"), d("2026-12-07")).len(), 1);
    }

    #[test]
    fn later_syncs_start_a_day_before_the_last_complete_day() {
        let today = d("2026-12-07");
        assert_eq!(start_day(Some(d("2026-12-05")), today), d("2026-12-04"));
        assert_eq!(start_day(None, today), d("2026-09-08"));
    }
}
