//! Per-account rate limits per category (`docs/zoom-contract.md#rate-limits`): a per-second
//! limit and, where the plan has one, a daily limit that resets at 00:00 UTC.
//! Endpoints with the same label share one budget.
//!
//! The per-second limit is a token bucket (GCRA) with a small burst (a
//! tenth of a second's worth, at least two requests), not a full second's:
//! Zoom does not document its algorithm, and a harsh bucket never refuses a
//! client that keeps evenly to the rate, but refuses one that bunches.
//! Zoom's limits are "shared by users for all apps installed on the
//! account": `other_apps_share` stands for that load by taking its share
//! of every category's rate.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::endpoints::Category;

/// How a per-second (QPS) 429 carries `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryAfterStyle {
    /// `Retry-After: 1` (integer seconds).
    Seconds,
    /// `Retry-After: 2026-01-01T10:00:01Z` (an ISO-8601 instant).
    IsoDate,
    /// `Retry-After: Thu, 01 Jan 2026 10:00:01 GMT` (an HTTP-date).
    HttpDate,
    /// No `Retry-After` header: what Zoom documents for per-second limits
    /// (nothing), so the default.
    #[default]
    Absent,
}

/// Rate-limit behaviour.
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub enabled: bool,
    /// Per-second limits per category (Light, Medium, Heavy); None = the plan's.
    pub per_second: Option<[u32; 3]>,
    /// Daily limits per category; None = the plan's (Some(None) in a slot is
    /// not expressible: use a large number for "unlimited").
    pub daily: [Option<u64>; 3],
    pub qps_retry_after: RetryAfterStyle,
    /// Share (0.0–1.0) of each category's per-second limit taken by other
    /// apps on the account.
    pub other_apps_share: f64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            per_second: None,
            daily: [None; 3],
            qps_retry_after: RetryAfterStyle::Absent,
            other_apps_share: 0.0,
        }
    }
}

/// The burst of a bucket refilled at `rate`/s: a tenth of a second's
/// worth, at least two (one request's worth of slack for network jitter,
/// which a real client cannot avoid).
pub fn burst_of(rate: f64) -> u32 {
    ((rate / 10.0).ceil() as u32).max(2)
}

/// Zoom's published limits for a plan: per-second and daily per category.
/// Business+ and Pro have no Light/Medium daily limit; their Heavy budget is
/// the combined heavy/resource-intensive daily limit.
pub fn plan_limits(plan: &str) -> ([u32; 3], [Option<u64>; 3]) {
    match plan {
        "free" => ([4, 2, 1], [Some(6_000), Some(2_000), Some(1_000)]),
        "pro" => ([30, 20, 10], [None, None, Some(30_000)]),
        _ => ([80, 60, 40], [None, None, Some(60_000)]),
    }
}

/// A refusal: enough to write Zoom's 429 body and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limited {
    Qps {
        category: Category,
        limit: u32,
        retry_after: Duration,
    },
    Daily {
        category: Category,
        limit: u64,
        reset: DateTime<Utc>,
    },
}

#[derive(Debug)]
struct State {
    /// GCRA theoretical arrival time per category.
    tat: [Option<Instant>; 3],
    day: Option<NaiveDate>,
    daily_used: [u64; 3],
}

#[derive(Debug)]
pub struct RateLimiter {
    enabled: bool,
    per_second: [u32; 3],
    /// What other apps leave of each per-second limit (requests/s).
    left: [f64; 3],
    daily: [Option<u64>; 3],
    state: Mutex<State>,
}

impl RateLimiter {
    pub fn new(plan: &str, cfg: &RateLimitConfig) -> Self {
        let (qps, daily) = plan_limits(plan);
        let mut merged = daily;
        for (slot, o) in merged.iter_mut().zip(cfg.daily) {
            if o.is_some() {
                *slot = o;
            }
        }
        let per_second = cfg.per_second.unwrap_or(qps);
        let share = if cfg.other_apps_share.is_finite() {
            cfg.other_apps_share.clamp(0.0, 0.99)
        } else {
            0.0
        };
        Self {
            enabled: cfg.enabled,
            per_second,
            left: per_second.map(|l| f64::from(l.max(1)) * (1.0 - share)),
            daily: merged,
            state: Mutex::new(State {
                tat: [None; 3],
                day: None,
                daily_used: [0; 3],
            }),
        }
    }

    pub fn per_second(&self, c: Category) -> u32 {
        self.per_second.get(c.slot()).copied().unwrap_or(1)
    }

    /// The per-second rate left to this client after other apps' share.
    pub fn left(&self, c: Category) -> f64 {
        self.left.get(c.slot()).copied().unwrap_or(1.0)
    }

    pub fn daily_limit(&self, c: Category) -> Option<u64> {
        self.daily.get(c.slot()).copied().flatten()
    }

    /// Admits or refuses one request of category `c`.
    pub fn admit(&self, c: Category, now: Instant, wall: DateTime<Utc>) -> Result<(), Limited> {
        if !self.enabled {
            return Ok(());
        }
        let Ok(mut s) = self.state.lock() else {
            return Ok(());
        };
        let slot = c.slot();
        let today = wall.date_naive();
        if s.day != Some(today) {
            s.day = Some(today);
            s.daily_used = [0; 3];
        }
        if let Some(limit) = self.daily_limit(c)
            && s.daily_used.get(slot).copied().unwrap_or(0) >= limit
        {
            return Err(Limited::Daily {
                category: c,
                limit,
                reset: next_midnight(wall),
            });
        }
        let rate = self.per_second(c).max(1);
        let left = self.left(c);
        let interval = Duration::from_secs_f64(1.0 / left);
        let tolerance = interval * burst_of(left).saturating_sub(1);
        let tat = s.tat.get(slot).copied().flatten().unwrap_or(now).max(now);
        if tat.duration_since(now) > tolerance {
            let wait = tat.duration_since(now) - tolerance;
            return Err(Limited::Qps {
                category: c,
                limit: rate,
                retry_after: wait,
            });
        }
        if let Some(t) = s.tat.get_mut(slot) {
            *t = Some(tat + interval);
        }
        if let Some(u) = s.daily_used.get_mut(slot) {
            *u += 1;
        }
        Ok(())
    }

    /// Requests left today in a category (None: no daily limit).
    pub fn daily_remaining(&self, c: Category) -> Option<u64> {
        let limit = self.daily_limit(c)?;
        let used = self
            .state
            .lock()
            .map(|s| s.daily_used.get(c.slot()).copied().unwrap_or(0))
            .unwrap_or(0);
        Some(limit.saturating_sub(used))
    }
}

pub fn next_midnight(wall: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = wall.date_naive().succ_opt().unwrap_or(wall.date_naive());
    Utc.from_utc_datetime(&tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_is_small_not_a_full_second() {
        let l = RateLimiter::new("free", &RateLimitConfig::default());
        let now = Instant::now();
        let wall = Utc::now();
        // Free Medium is 2/s: a burst of two, then one every 500 ms.
        assert!(l.admit(Category::Medium, now, wall).is_ok());
        assert!(l.admit(Category::Medium, now, wall).is_ok());
        assert!(matches!(
            l.admit(Category::Medium, now, wall),
            Err(Limited::Qps { .. })
        ));
        // Other categories have their own budget.
        assert!(l.admit(Category::Light, now, wall).is_ok());
        // Half a second later one more Medium request fits, not two.
        let later = now + Duration::from_millis(501);
        assert!(l.admit(Category::Medium, later, wall).is_ok());
        assert!(l.admit(Category::Medium, later, wall).is_err());
        // Pro Medium (20/s): a burst of 2, then one every 50 ms.
        let l = RateLimiter::new("pro", &RateLimitConfig::default());
        let ok = (0..20)
            .filter(|_| l.admit(Category::Medium, now, wall).is_ok())
            .count();
        assert_eq!(ok, 2);
    }

    #[test]
    fn other_apps_take_their_share_of_every_category() {
        let cfg = RateLimitConfig {
            other_apps_share: 0.3,
            ..RateLimitConfig::default()
        };
        let l = RateLimiter::new("pro", &cfg);
        assert!((l.left(Category::Medium) - 14.0).abs() < 1e-9);
        assert!((l.left(Category::Light) - 21.0).abs() < 1e-9);
        // Evenly spaced at 14/s: all admitted for 10 s; at 15/s: refusals.
        let wall = Utc::now();
        let start = Instant::now();
        let at = |rate: f64, i: u32| start + Duration::from_secs_f64(f64::from(i) / rate);
        assert!((0..140).all(|i| l.admit(Category::Medium, at(14.0, i), wall).is_ok()));
        let l = RateLimiter::new("pro", &cfg);
        let refused = (0..150)
            .filter(|i| l.admit(Category::Medium, at(15.0, *i), wall).is_err())
            .count();
        assert!(refused >= 5, "{refused}");
    }

    #[test]
    fn daily_limit_resets_at_midnight() {
        let cfg = RateLimitConfig {
            daily: [None, Some(2), None],
            ..RateLimitConfig::default()
        };
        let l = RateLimiter::new("business", &cfg);
        let wall = Utc.with_ymd_and_hms(2026, 3, 1, 23, 0, 0).unwrap();
        let mut now = Instant::now();
        for _ in 0..2 {
            assert!(l.admit(Category::Medium, now, wall).is_ok());
            now += Duration::from_secs(1);
        }
        match l.admit(Category::Medium, now, wall) {
            Err(Limited::Daily { reset, limit, .. }) => {
                assert_eq!(limit, 2);
                assert_eq!(reset, Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap());
            }
            other => panic!("{other:?}"),
        }
        let next_day = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 1).unwrap();
        assert!(l.admit(Category::Medium, now, next_day).is_ok());
    }
}
