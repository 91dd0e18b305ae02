//! Per-account rate limits per category (`docs/zoom-contract.md#rate-limits`): a per-second
//! limit and, where the plan has one, a daily limit that resets at 00:00 UTC.
//! Endpoints with the same label share one budget.
//!
//! The per-second limit is a token bucket (GCRA) holding one second's worth
//! of requests: Zoom does not document its algorithm, and a bucket never
//! refuses a client that keeps to the published rate, whatever its phase.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::endpoints::Category;

/// How a per-second (QPS) 429 carries `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryAfterStyle {
    /// `Retry-After: 1` (integer seconds).
    #[default]
    Seconds,
    /// `Retry-After: 2026-01-01T10:00:01Z` (an ISO-8601 instant).
    IsoDate,
    /// `Retry-After: Thu, 01 Jan 2026 10:00:01 GMT` (an HTTP-date).
    HttpDate,
    /// No `Retry-After` header.
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
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            per_second: None,
            daily: [None; 3],
            qps_retry_after: RetryAfterStyle::Seconds,
        }
    }
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
        Self {
            enabled: cfg.enabled,
            per_second: cfg.per_second.unwrap_or(qps),
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
        let interval = Duration::from_secs(1) / rate;
        let tolerance = Duration::from_secs(1).saturating_sub(interval);
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
    fn allows_one_second_burst_then_refuses() {
        let l = RateLimiter::new("free", &RateLimitConfig::default());
        let now = Instant::now();
        let wall = Utc::now();
        assert!(l.admit(Category::Medium, now, wall).is_ok());
        assert!(l.admit(Category::Medium, now, wall).is_ok());
        assert!(matches!(
            l.admit(Category::Medium, now, wall),
            Err(Limited::Qps { .. })
        ));
        // Other categories have their own budget.
        assert!(l.admit(Category::Light, now, wall).is_ok());
        // Half a second later one more Medium request fits.
        assert!(
            l.admit(Category::Medium, now + Duration::from_millis(501), wall)
                .is_ok()
        );
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
