//! Client-side rate limiting, one limiter per category, shared by every
//! clone of a client (Zoom counts per account and category, and its limits
//! are "shared by users for all apps installed on the account":
//! <https://developers.zoom.us/docs/api/rate-limits/>).
//!
//! Each category is a token bucket (GCRA) with a small burst. Its rate
//! adapts (AIMD, as TCP's congestion control): it starts at 95 % of the
//! plan's per-second limit (the ceiling, never exceeded), a per-second 429
//! multiplies it by [`DECREASE`], and each success adds [`INCREASE_PER_S`]
//! per second of full use. So when other apps on the account take part of
//! the limit, the client settles just under what they leave, with one 429
//! every several seconds instead of one in two requests.
//!
//! The burst of `L − ⌈0.95·L⌉` (at least 1) lets independent listings that
//! meet by chance go together; at the ceiling any 1-second window holds at
//! most `burst − 1 + ⌈0.95·L⌉ ≤ L` requests.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::client::{Plan, RateCategory};

/// Fraction of the published limit the client aims for at most: a small
/// margin for clock skew and requests that arrive bunched at the server.
pub const SAFETY_MARGIN: f64 = 0.95;

/// Multiplicative decrease: the rate after a per-second 429.
pub const DECREASE: f64 = 0.85;

/// Additive increase: requests/s gained per second of saturated use
/// (each success adds `INCREASE_PER_S / rate`). Slow enough that the
/// client spends ~10 s between two 429s near the limit.
pub const INCREASE_PER_S: f64 = 0.2;

/// The lowest rate a category falls to, as a share of its ceiling: a
/// client sharing the account with greedy apps still makes progress.
pub const FLOOR_SHARE: f64 = 0.02;

/// Zoom's per-second limits (<https://developers.zoom.us/docs/api/rate-limits/>).
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

/// Zoom's daily limits per category, where the plan has one (Free: every
/// category; Pro and Business+: the Heavy budget shared with
/// resource-intensive APIs).
pub fn daily_limit(plan: Plan, category: RateCategory) -> Option<u64> {
    match (plan, category) {
        (Plan::Free, RateCategory::Light) => Some(6_000),
        (Plan::Free, RateCategory::Medium) => Some(2_000),
        (Plan::Free, RateCategory::Heavy) => Some(1_000),
        (Plan::Pro, RateCategory::Heavy) => Some(30_000),
        (Plan::Business, RateCategory::Heavy) => Some(60_000),
        _ => None,
    }
}

/// What `requests` requests of `category` mean for the plan's daily
/// budget, in words, when the plan has one for that category (`None`:
/// no daily limit, nothing to say).
pub fn daily_budget_notice(plan: Plan, category: RateCategory, requests: u64) -> Option<String> {
    let budget = daily_limit(plan, category)?;
    let plan = format!("{plan:?}");
    Some(if requests > budget {
        format!(
            "this needs {requests} {category:?} requests; the {plan} plan allows {budget} a day (shared with other apps): \
             {category:?} requests will stop at the daily limit until 00:00 UTC, the rest of the sync goes on"
        )
    } else {
        format!(
            "this uses {requests} of the {plan} plan's {budget} daily {category:?} requests (shared with other apps)"
        )
    })
}

/// Requests of a category that may go at once after a quiet spell.
pub fn burst(plan: Plan, category: RateCategory) -> u32 {
    let limit = per_second_limit(plan, category);
    let steady = (limit * SAFETY_MARGIN).ceil();
    ((limit - steady) as u32).max(1)
}

/// The spacing between two requests of a category at the ceiling rate.
#[cfg(test)]
pub fn interval(plan: Plan, category: RateCategory) -> Duration {
    Duration::from_secs_f64(1.0 / ceiling(plan, category))
}

/// The highest rate the client uses for a category (requests/s).
pub fn ceiling(plan: Plan, category: RateCategory) -> f64 {
    per_second_limit(plan, category) * SAFETY_MARGIN
}

#[derive(Debug)]
struct Lane {
    /// The plan's rate (with the margin): the rate never goes above it.
    ceiling: f64,
    /// The current rate (requests/s), between the floor and the ceiling.
    rate: f64,
    burst: u32,
    interval: Duration,
    /// How far ahead of its theoretical time a request may go:
    /// `(burst − 1) · interval`.
    tolerance: Duration,
    /// GCRA "theoretical arrival time" of the next request.
    tat: Instant,
    /// Bumped by every decrease: a slot reserved under an older epoch is
    /// given up and asked for again, so requests queued at the old rate do
    /// not go at it; and a 429 for a request sent under an older epoch
    /// does not decrease the rate again (one decrease per overshoot).
    epoch: u64,
    /// Set after a daily-limit answer: the category is closed until then.
    daily_reset: Option<DateTime<Utc>>,
}

impl Lane {
    fn new(plan: Plan, category: RateCategory, now: Instant) -> Self {
        let mut lane = Lane {
            ceiling: ceiling(plan, category),
            rate: ceiling(plan, category),
            burst: burst(plan, category),
            interval: Duration::ZERO,
            tolerance: Duration::ZERO,
            tat: now,
            epoch: 0,
            daily_reset: None,
        };
        lane.set_rate(lane.ceiling);
        lane
    }

    fn set_rate(&mut self, rate: f64) {
        let floor = self.ceiling * FLOOR_SHARE;
        self.rate = if rate.is_finite() {
            rate.clamp(floor, self.ceiling)
        } else {
            self.ceiling
        };
        self.interval = Duration::from_secs_f64(1.0 / self.rate);
        self.tolerance = self.interval * self.burst.saturating_sub(1);
    }

    /// The earliest time the next request may go.
    fn earliest(&self) -> Instant {
        self.tat.checked_sub(self.tolerance).unwrap_or(self.tat)
    }

    /// Takes the slot at `slot` (no earlier than [`Self::earliest`]).
    fn take(&mut self, slot: Instant) {
        self.tat = self.tat.max(slot) + self.interval;
    }
}

/// A slot taken from a category's limiter: pass it back with the answer
/// ([`Limiter::on_success`], [`Limiter::on_rate_limited`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    category: RateCategory,
    epoch: u64,
}

/// The limiters of one client (and all its clones).
#[derive(Debug)]
pub struct Limiter {
    lanes: Mutex<HashMap<RateCategory, Lane>>,
    /// Wakes requests waiting for a slot when a decrease voids their
    /// reservations, so they reserve again at once instead of idling until
    /// their old slot.
    lowered: tokio::sync::Notify,
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
            .map(|&c| (c, Lane::new(plan, c, now)))
            .collect();
        Limiter {
            lanes: Mutex::new(lanes),
            lowered: tokio::sync::Notify::new(),
        }
    }

    fn with_lane<T>(&self, category: RateCategory, f: impl FnOnce(&mut Lane) -> T) -> Option<T> {
        // A poisoned lock only means another task panicked while holding it;
        // the lane data is still a valid schedule.
        let mut lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
        lanes.get_mut(&category).map(f)
    }

    /// The current rate of `category` in requests per second.
    pub fn rate(&self, category: RateCategory) -> f64 {
        self.with_lane(category, |l| l.rate).unwrap_or(0.0)
    }

    /// Reserve the next slot of `category` and return when it is; the caller
    /// sleeps until then. Reservation order is first come, first served.
    #[cfg(test)]
    pub fn reserve(&self, category: RateCategory) -> Instant {
        self.reserve_slot(category).0
    }

    fn reserve_slot(&self, category: RateCategory) -> (Instant, u64) {
        let now = Instant::now();
        self.with_lane(category, |lane| {
            let slot = lane.earliest().max(now);
            lane.take(slot);
            (slot, lane.epoch)
        })
        .unwrap_or((now, 0))
    }

    fn epoch(&self, category: RateCategory) -> u64 {
        self.with_lane(category, |l| l.epoch).unwrap_or(0)
    }

    /// Wait for the next slot of `category`. A slot reserved before the
    /// rate was lowered is given up and reserved again at the new rate.
    pub async fn acquire(&self, category: RateCategory) -> Slot {
        'reserve: loop {
            let (slot, epoch) = self.reserve_slot(category);
            // A slot already due goes now: the timer would round even a past
            // deadline up to its next tick (a millisecond or more, per request
            // of a 44-page chain).
            while slot > Instant::now() {
                let lowered = self.lowered.notified();
                if self.epoch(category) != epoch {
                    continue 'reserve;
                }
                tokio::select! {
                    _ = tokio::time::sleep_until(slot) => {}
                    _ = lowered => {}
                }
            }
            if self.epoch(category) == epoch {
                return Slot { category, epoch };
            }
        }
    }

    /// Wait for a slot of `category` without queueing for one: take a slot
    /// only once one is free now, so requests that reserve normally (the
    /// next page of a listing) go first. For requests with time to spare
    /// (see [`yielding`]): they fill the gaps and never push others back.
    /// Every slot taken is one [`Self::reserve`] could have given, so the
    /// rate guarantee is the same.
    pub async fn acquire_yielding(&self, category: RateCategory) -> Slot {
        loop {
            let now = Instant::now();
            let taken = self.with_lane(category, |lane| {
                let earliest = lane.earliest();
                if earliest <= now {
                    lane.take(now);
                    Ok(lane.epoch)
                } else {
                    Err(earliest)
                }
            });
            match taken {
                Some(Err(free_at)) => tokio::time::sleep_until(free_at).await,
                Some(Ok(epoch)) => return Slot { category, epoch },
                None => return Slot { category, epoch: 0 },
            }
        }
    }

    /// A request sent in `slot` succeeded: raise the rate a little (never
    /// above the plan's ceiling).
    pub fn on_success(&self, slot: Slot) {
        self.with_lane(slot.category, |lane| {
            if lane.rate < lane.ceiling {
                let rate = lane.rate + INCREASE_PER_S / lane.rate;
                lane.set_rate(rate);
            }
        });
    }

    /// A request sent in `slot` got a per-second 429: lower the rate (once
    /// per overshoot: answers to requests sent before the last decrease do
    /// not lower it again) and hold the whole category for `wait`. Returns
    /// whether this answer lowered the rate.
    pub fn on_rate_limited(&self, slot: Slot, wait: Duration) -> bool {
        let until = Instant::now() + wait;
        let lowered = self.with_lane(slot.category, |lane| {
            let lowered = lane.epoch == slot.epoch;
            // The next slot is `tat − tolerance`: push it to `until`.
            let tat = until + lane.tolerance;
            if lowered {
                lane.epoch += 1;
                let rate = lane.rate * DECREASE;
                lane.set_rate(rate);
                // Every slot reserved so far is void (its holder reserves
                // again): the schedule restarts after the wait, instead of
                // after the abandoned reservations.
                lane.tat = tat;
                tracing::debug!(category = ?slot.category, rate = lane.rate, "rate lowered after a 429");
            } else if lane.tat < tat {
                lane.tat = tat;
            }
            lowered
        })
        .unwrap_or(false);
        if lowered {
            self.lowered.notify_waiters();
        }
        lowered
    }

    /// Hold every request of the category for `wait` (without changing
    /// the rate).
    #[cfg(test)]
    pub fn pause(&self, category: RateCategory, wait: Duration) {
        let until = Instant::now() + wait;
        self.with_lane(category, |lane| {
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

    /// The categories closed by a daily limit now, with their reset times.
    pub fn closed(&self, now: DateTime<Utc>) -> Vec<(RateCategory, DateTime<Utc>)> {
        CATEGORIES
            .iter()
            .filter_map(|&c| self.closed_until(c, now).map(|r| (c, r)))
            .collect()
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

    /// A server that admits at most `limit` requests/s (a GCRA with a
    /// burst of `burst`), as Zoom does for what other apps leave.
    struct Server {
        interval: Duration,
        tolerance: Duration,
        tat: Instant,
    }

    impl Server {
        fn new(limit: f64, burst: u32) -> Self {
            let interval = Duration::from_secs_f64(1.0 / limit);
            Server {
                interval,
                tolerance: interval * burst.saturating_sub(1),
                tat: Instant::now(),
            }
        }
        fn admit(&mut self, now: Instant) -> bool {
            let tat = self.tat.max(now);
            if tat.duration_since(now) > self.tolerance {
                return false;
            }
            self.tat = tat + self.interval;
            true
        }
    }

    /// Drives a saturated client (`inflight` concurrent requesters) against
    /// the server for `secs` of paused time; returns (ok, limited).
    async fn drive(l: &std::sync::Arc<Limiter>, server: Server, secs: u64) -> (u64, u64) {
        let c = RateCategory::Medium;
        let server = std::sync::Arc::new(Mutex::new(server));
        let counts = std::sync::Arc::new(Mutex::new((0u64, 0u64)));
        let end = Instant::now() + Duration::from_secs(secs);
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (l, server, counts) = (l.clone(), server.clone(), counts.clone());
            tasks.push(tokio::spawn(async move {
                while Instant::now() < end {
                    let slot = l.acquire(c).await;
                    let ok = server.lock().unwrap().admit(Instant::now());
                    let mut n = counts.lock().unwrap();
                    if ok {
                        n.0 += 1;
                        drop(n);
                        l.on_success(slot);
                    } else {
                        n.1 += 1;
                        drop(n);
                        l.on_rate_limited(slot, Duration::from_millis(250));
                    }
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        counts.lock().map(|n| *n).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn aimd_finds_what_other_apps_leave() {
        // Pro's Medium limit is 20/s; other apps take 30 %: 14/s are left.
        let l = std::sync::Arc::new(Limiter::new(Plan::Pro));
        let (ok, limited) = drive(&l, Server::new(14.0, 2), 120).await;
        let share_429 = limited as f64 / (ok + limited) as f64;
        let used = ok as f64 / 120.0 / 14.0;
        assert!(
            share_429 < 0.02,
            "{limited} of {} answered 429",
            ok + limited
        );
        // (Without restarting the schedule at a decrease, the abandoned
        // reservations left ~3 s idle per 429: 0.88 here.)
        assert!(used >= 0.9, "used {used:.2} of what was left");
        // The rate stays near what is left, well under the plan's 19/s.
        let rate = l.rate(RateCategory::Medium);
        assert!((10.0..16.0).contains(&rate), "{rate}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_lowers_once_per_overshoot_and_success_raises_slowly() {
        let l = Limiter::new(Plan::Pro);
        let c = RateCategory::Medium;
        let top = ceiling(Plan::Pro, c);
        assert_eq!(l.rate(c), top);
        // Success at the ceiling changes nothing: never above the plan.
        let s = l.acquire(c).await;
        l.on_success(s);
        assert_eq!(l.rate(c), top);
        // Two requests sent before the decrease: only the first 429 lowers.
        let (a, b) = (l.acquire(c).await, l.acquire(c).await);
        assert!(l.on_rate_limited(a, Duration::ZERO));
        assert!(!l.on_rate_limited(b, Duration::ZERO));
        assert!((l.rate(c) - top * DECREASE).abs() < 1e-9);
        // A request sent after it does lower it again.
        let d = l.acquire(c).await;
        assert!(l.on_rate_limited(d, Duration::ZERO));
        let low = l.rate(c);
        assert!((low - top * DECREASE * DECREASE).abs() < 1e-9);
        // One second of successes at the current rate adds about INCREASE_PER_S.
        for _ in 0..(low.round() as usize) {
            let s = l.acquire(c).await;
            l.on_success(s);
        }
        let gained = l.rate(c) - low;
        assert!((0.15..0.25).contains(&gained), "{gained}");
        // Other categories are untouched.
        assert_eq!(
            l.rate(RateCategory::Light),
            ceiling(Plan::Pro, RateCategory::Light)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn slots_reserved_before_a_decrease_are_reserved_again() {
        let l = std::sync::Arc::new(Limiter::new(Plan::Pro));
        let c = RateCategory::Medium;
        let first = l.acquire(c).await;
        // A request queued now would go one interval later at 19/s …
        let queued = {
            let l = l.clone();
            tokio::spawn(async move {
                l.acquire(c).await;
                Instant::now()
            })
        };
        tokio::task::yield_now().await;
        let asked = Instant::now();
        // … but a 429 arrives first and holds the category for a second.
        l.on_rate_limited(first, Duration::from_secs(1));
        let went = queued.await.unwrap();
        assert!(went >= asked + Duration::from_secs(1), "{:?}", went - asked);
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_never_falls_below_the_floor() {
        let l = Limiter::new(Plan::Free);
        let c = RateCategory::Medium;
        for _ in 0..200 {
            let s = l.acquire(c).await;
            l.on_rate_limited(s, Duration::ZERO);
        }
        let floor = ceiling(Plan::Free, c) * FLOOR_SHARE;
        assert!((l.rate(c) - floor).abs() < 1e-9, "{}", l.rate(c));
    }

    #[test]
    fn the_daily_budget_is_compared_with_the_request_count() {
        let over = daily_budget_notice(Plan::Free, RateCategory::Medium, 8_000).unwrap();
        assert!(over.contains("8000") && over.contains("2000"), "{over}");
        assert!(over.contains("00:00 UTC"), "{over}");
        let under = daily_budget_notice(Plan::Free, RateCategory::Medium, 400).unwrap();
        assert!(under.contains("400 of the Free plan's 2000"), "{under}");
        assert_eq!(
            daily_budget_notice(Plan::Pro, RateCategory::Medium, 80_000),
            None
        );
    }

    #[test]
    fn daily_limits_follow_the_plan() {
        assert_eq!(daily_limit(Plan::Free, RateCategory::Medium), Some(2_000));
        assert_eq!(daily_limit(Plan::Pro, RateCategory::Medium), None);
        assert_eq!(daily_limit(Plan::Pro, RateCategory::Heavy), Some(30_000));
    }
}
