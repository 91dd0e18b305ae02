//! Client-side rate limiting, one limiter per category, shared by every
//! clone of a client (Zoom counts per account and category,
//! `docs/zoom-contract.md#rate-limits`).
//!
//! Each category is a token bucket (GCRA) refilled at 95 % of the plan's
//! per-second limit, with a burst of `L − ⌈0.95·L⌉` (at least 1): requests
//! beyond the burst are released on an even schedule (`interval` apart).
//! Any 1-second window — fixed, sliding or bucket-counted on the server —
//! then holds at most `burst − 1 + ⌈0.95·L⌉ ≤ L` requests (one below L
//! when there is a burst), while a saturated caller keeps the category
//! ≥ 90 % busy. The small burst lets independent listings that meet by
//! chance go together instead of queueing behind each other.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::client::{Plan, RateCategory};

/// Fraction of the published limit the client aims for: a small margin
/// for clock skew and requests that arrive bunched at the server.
pub const SAFETY_MARGIN: f64 = 0.95;

/// Zoom's per-second limits (`docs/zoom-contract.md#rate-limits`).
pub fn per_second_limit(plan: Plan, category: RateCategory) -> f64 {
    match (plan, category) {
        (Plan::Free, RateCategory::Light) => 4.0,
        (Plan::Free, RateCategory::Medium) => 2.0,
        (Plan::Free, RateCategory::Heavy) => 1.0,
        (Plan::Pro, RateCategory::Light) => 30.0,
        (Plan::Pro, RateCategory::Medium) => 20.0,
        (Plan::Pro, RateCategory::Heavy) => 10.0,
        (Plan::Business, RateCategory::Light) => 80.0,
        (Plan::Business, RateCategory::Medium) => 60.0,
        (Plan::Business, RateCategory::Heavy) => 40.0,
    }
}

/// Requests of a category that may go at once after a quiet spell.
pub fn burst(plan: Plan, category: RateCategory) -> u32 {
    let limit = per_second_limit(plan, category);
    let steady = (limit * SAFETY_MARGIN).ceil();
    ((limit - steady) as u32).max(1)
}

/// The spacing between two requests of a category.
pub fn interval(plan: Plan, category: RateCategory) -> Duration {
    Duration::from_secs_f64(1.0 / (per_second_limit(plan, category) * SAFETY_MARGIN))
}

#[derive(Debug)]
struct Lane {
    interval: Duration,
    /// How far ahead of its theoretical time a request may go:
    /// `(burst − 1) · interval`.
    tolerance: Duration,
    /// GCRA "theoretical arrival time" of the next request.
    tat: Instant,
    /// Set after a daily-limit answer: the category is closed until then.
    daily_reset: Option<DateTime<Utc>>,
}

impl Lane {
    /// The earliest time the next request may go.
    fn earliest(&self) -> Instant {
        self.tat.checked_sub(self.tolerance).unwrap_or(self.tat)
    }

    /// Takes the slot at `slot` (no earlier than [`Self::earliest`]).
    fn take(&mut self, slot: Instant) {
        self.tat = self.tat.max(slot) + self.interval;
    }
}

/// The limiters of one client (and all its clones).
#[derive(Debug)]
pub struct Limiter {
    lanes: Mutex<HashMap<RateCategory, Lane>>,
}

const CATEGORIES: [RateCategory; 3] = [
    RateCategory::Light,
    RateCategory::Medium,
    RateCategory::Heavy,
];

impl Limiter {
    pub fn new(plan: Plan) -> Self {
        let now = Instant::now();
        let lanes = CATEGORIES
            .iter()
            .map(|&c| {
                (
                    c,
                    Lane {
                        interval: interval(plan, c),
                        tolerance: interval(plan, c) * burst(plan, c).saturating_sub(1),
                        tat: now,
                        daily_reset: None,
                    },
                )
            })
            .collect();
        Limiter {
            lanes: Mutex::new(lanes),
        }
    }

    fn with_lane<T>(&self, category: RateCategory, f: impl FnOnce(&mut Lane) -> T) -> Option<T> {
        // A poisoned lock only means another task panicked while holding it;
        // the lane data is still a valid schedule.
        let mut lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
        lanes.get_mut(&category).map(f)
    }

    /// Reserve the next slot of `category` and return when it is; the caller
    /// sleeps until then. Reservation order is first come, first served.
    pub fn reserve(&self, category: RateCategory) -> Instant {
        let now = Instant::now();
        self.with_lane(category, |lane| {
            let slot = lane.earliest().max(now);
            lane.take(slot);
            slot
        })
        .unwrap_or(now)
    }

    /// Wait for the next slot of `category`.
    pub async fn acquire(&self, category: RateCategory) {
        let slot = self.reserve(category);
        // A slot already due goes now: the timer would round even a past
        // deadline up to its next tick (a millisecond or more, per request
        // of a 44-page chain).
        if slot > Instant::now() {
            tokio::time::sleep_until(slot).await;
        }
    }

    /// Wait for a slot of `category` without queueing for one: take a slot
    /// only once one is free now, so requests that reserve normally (the
    /// next page of a listing) go first. For requests with time to spare
    /// (see [`yielding`]): they fill the gaps and never push others back.
    /// Every slot taken is one [`Self::reserve`] could have given, so the
    /// rate guarantee is the same.
    pub async fn acquire_yielding(&self, category: RateCategory) {
        loop {
            let now = Instant::now();
            let taken = self.with_lane(category, |lane| {
                let earliest = lane.earliest();
                if earliest <= now {
                    lane.take(now);
                    Ok(())
                } else {
                    Err(earliest)
                }
            });
            match taken {
                Some(Err(free_at)) => tokio::time::sleep_until(free_at).await,
                Some(Ok(())) | None => return,
            }
        }
    }

    /// After a per-second 429: hold every request of the category for `wait`,
    /// not just the one that got the 429.
    pub fn pause(&self, category: RateCategory, wait: Duration) {
        let until = Instant::now() + wait;
        self.with_lane(category, |lane| {
            // The next slot is `tat − tolerance`: push it to `until`.
            let tat = until + lane.tolerance;
            if lane.tat < tat {
                lane.tat = tat;
            }
        });
    }

    /// After a daily-limit 429: close the category until `reset`.
    pub fn close_until(&self, category: RateCategory, reset: DateTime<Utc>) {
        self.with_lane(category, |lane| lane.daily_reset = Some(reset));
    }

    /// `Some(reset)` while the category is closed by a daily limit.
    pub fn closed_until(
        &self,
        category: RateCategory,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        self.with_lane(category, |lane| match lane.daily_reset {
            Some(r) if r > now => Some(r),
            Some(_) => {
                lane.daily_reset = None;
                None
            }
            None => None,
        })
        .flatten()
    }
}

tokio::task_local! {
    static YIELDING: ();
}

/// Runs `fut` with its requests yielding their rate-limit slots to other
/// requests ([`Limiter::acquire_yielding`]). A sync wraps the steps that
/// have time to spare (the account's settings, next to page chains that
/// decide how long the sync takes) so that they do not delay a listing's
/// next page at the start, when every step asks at once.
pub async fn yielding<F: std::future::Future>(fut: F) -> F::Output {
    YIELDING.scope((), fut).await
}

/// Whether the current task runs inside [`yielding`].
pub(crate) fn is_yielding() -> bool {
    YIELDING.try_with(|_| ()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_follow_the_plan_with_a_margin() {
        let i = interval(Plan::Business, RateCategory::Medium);
        let rate = 1.0 / i.as_secs_f64();
        assert!((54.0..60.0).contains(&rate), "{rate}");
        let rate = 1.0 / interval(Plan::Free, RateCategory::Medium).as_secs_f64();
        assert!((1.8..2.0).contains(&rate), "{rate}");
        let rate = 1.0 / interval(Plan::Pro, RateCategory::Light).as_secs_f64();
        assert!((27.0..30.0).contains(&rate), "{rate}");
    }

    #[test]
    fn reservations_are_spaced_and_never_exceed_the_limit() {
        let l = Limiter::new(Plan::Business);
        let start = Instant::now();
        let slots: Vec<Instant> = (0..200).map(|_| l.reserve(RateCategory::Medium)).collect();
        // A burst, then even spacing.
        assert_eq!(burst(Plan::Business, RateCategory::Medium), 3);
        assert!(
            slots[..3]
                .iter()
                .all(|s| *s <= start + Duration::from_millis(1))
        );
        assert!(slots[3] >= start + interval(Plan::Business, RateCategory::Medium));
        // No 1-second window holds more than 59 slots (the limit is 60).
        for (i, s) in slots.iter().enumerate() {
            let in_window = slots[i..]
                .iter()
                .take_while(|t| **t < *s + Duration::from_secs(1))
                .count();
            assert!(in_window <= 59, "window at {i} holds {in_window}");
        }
        // And the schedule keeps the category at least 90 % busy.
        let span = (*slots.last().unwrap() - start).as_secs_f64();
        let rate = 199.0 / span;
        assert!(rate >= 54.0, "{rate}");
        // Categories are independent: a Light slot is free at once, however
        // long the Medium queue (measured from just before asking, so a
        // busy machine's scheduling does not count).
        let asked = Instant::now();
        assert!(l.reserve(RateCategory::Light) <= asked + Duration::from_millis(1));
    }

    #[test]
    fn bursts_never_let_a_window_exceed_the_limit() {
        for plan in [Plan::Free, Plan::Pro, Plan::Business] {
            for cat in CATEGORIES {
                let limit = per_second_limit(plan, cat) as usize;
                let b = burst(plan, cat) as usize;
                assert!(b >= 1);
                let l = Limiter::new(plan);
                let slots: Vec<Instant> = (0..limit * 3).map(|_| l.reserve(cat)).collect();
                for (i, s) in slots.iter().enumerate() {
                    let n = slots[i..]
                        .iter()
                        .take_while(|t| **t < *s + Duration::from_secs(1))
                        .count();
                    assert!(
                        n <= limit,
                        "{plan:?} {cat:?}: {n} in a window (limit {limit}, burst {b})"
                    );
                }
            }
        }
    }

    #[test]
    fn pause_holds_the_whole_category() {
        let l = Limiter::new(Plan::Business);
        let start = Instant::now();
        l.pause(RateCategory::Medium, Duration::from_secs(2));
        assert!(l.reserve(RateCategory::Medium) >= start + Duration::from_secs(2));
        assert!(l.reserve(RateCategory::Light) < start + Duration::from_millis(1));
    }

    #[tokio::test(start_paused = true)]
    async fn yielding_requests_take_only_free_slots() {
        let l = std::sync::Arc::new(Limiter::new(Plan::Business));
        let c = RateCategory::Medium;
        let step = interval(Plan::Business, c);
        let start = Instant::now();
        for _ in 0..burst(Plan::Business, c) {
            l.acquire(c).await; // the burst: all at once
        }
        assert_eq!(Instant::now(), start);
        let order = std::sync::Arc::new(Mutex::new(Vec::new()));
        let spawn = |name: &'static str, yielding: bool| {
            let (l, order) = (l.clone(), order.clone());
            tokio::spawn(async move {
                if yielding {
                    l.acquire_yielding(c).await;
                } else {
                    l.acquire(c).await;
                }
                order.lock().unwrap().push((name, start.elapsed()));
            })
        };
        // The yielding request asks first, the normal one a moment later:
        // the normal one gets the next slot, the yielding one the one after.
        let y = spawn("yielding", true);
        tokio::task::yield_now().await;
        let n = spawn("normal", false);
        y.await.unwrap();
        n.await.unwrap();
        let order = order.lock().unwrap().clone();
        assert_eq!(order.len(), 2);
        // (Timers have a millisecond's grain.)
        assert_eq!(order[0].0, "normal");
        assert!(order[0].1 >= step && order[0].1 < step * 2, "{order:?}");
        assert_eq!(order[1].0, "yielding");
        assert!(order[1].1 >= step * 2, "{order:?}");
    }

    #[test]
    fn daily_close_expires() {
        let l = Limiter::new(Plan::Free);
        let now = Utc::now();
        let reset = now + chrono::TimeDelta::hours(3);
        l.close_until(RateCategory::Light, reset);
        assert_eq!(l.closed_until(RateCategory::Light, now), Some(reset));
        assert_eq!(l.closed_until(RateCategory::Medium, now), None);
        assert_eq!(
            l.closed_until(RateCategory::Light, reset + chrono::TimeDelta::seconds(1)),
            None
        );
    }
}
