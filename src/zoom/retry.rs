//! Pure retry arithmetic: `Retry-After` parsing, 429 classification and
//! exponential backoff with full jitter. No I/O, so every rule is unit-tested.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

/// `Retry-After` as an absolute instant. Zoom sends an ISO-8601 timestamp
/// on daily-limit answers (`docs/zoom-contract.md#rate-limits`); HTTP allows
/// seconds or an HTTP-date. Past instants are returned as they are (callers clamp).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(secs) = v.parse::<u64>() {
        let secs = i64::try_from(secs).ok()?;
        return now.checked_add_signed(chrono::TimeDelta::try_seconds(secs)?);
    }
    if let Ok(secs) = v.parse::<f64>() {
        if (0.0..1.0e9).contains(&secs) {
            let ms = (secs * 1000.0).ceil() as i64;
            return now.checked_add_signed(chrono::TimeDelta::try_milliseconds(ms)?);
        }
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    // ISO-8601 without an offset ("2020-05-31T00:00:00") is read as UTC:
    // Zoom's daily limits reset at 00:00 UTC.
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S") {
        return Some(Utc.from_utc_datetime(&t));
    }
    if let Ok(t) = httpdate::parse_http_date(v) {
        return Some(DateTime::<Utc>::from(t));
    }
    None
}

/// `X-RateLimit-Reset` as a unix timestamp (seconds), as some Zoom answers carry it.
pub fn parse_unix_reset(value: &str) -> Option<DateTime<Utc>> {
    let secs: i64 = value.trim().parse().ok()?;
    Utc.timestamp_opt(secs, 0).single()
}

/// The next 00:00:00 UTC after `now`: when Zoom's daily limits reset.
pub fn next_utc_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.date_naive().succ_opt().unwrap_or(now.date_naive());
    Utc.from_utc_datetime(&tomorrow.and_time(chrono::NaiveTime::MIN))
}

/// How long until `at`, zero when it has passed.
pub fn until(at: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

/// What a 429 means for the caller.
#[derive(Debug, Clone, PartialEq)]
pub enum RateLimitKind {
    /// Per-second limit: wait (at least) this long, then retry.
    PerSecond { wait: Option<Duration> },
    /// Daily limit: stop until `reset`.
    Daily { reset: DateTime<Utc> },
}

/// Longest `Retry-After` treated as a per-second wait when the answer does
/// not say which limit it is; anything longer is a daily limit in disguise.
pub const MAX_QPS_WAIT: Duration = Duration::from_secs(120);

/// Classify a 429 from its headers and body message. Every input may be
/// absent (Zoom does not guarantee any of these headers).
pub fn classify_429(
    limit_type: Option<&str>,
    retry_after: Option<&str>,
    reset_header: Option<&str>,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> RateLimitKind {
    let at = retry_after.and_then(|v| parse_retry_after(v, now));
    let ty = limit_type.map(|t| t.trim().to_ascii_lowercase());
    let says_daily = match ty.as_deref() {
        Some(t) if t.contains("daily") => true,
        Some("qps") => false,
        _ => message.is_some_and(|m| m.to_ascii_lowercase().contains("daily")),
    };
    let explicit_qps = ty.as_deref() == Some("qps");
    if says_daily {
        let reset = at
            .filter(|t| *t > now)
            .or_else(|| reset_header.and_then(parse_unix_reset).filter(|t| *t > now))
            .unwrap_or_else(|| next_utc_midnight(now));
        return RateLimitKind::Daily { reset };
    }
    match at {
        Some(t) if !explicit_qps && until(t, now) > MAX_QPS_WAIT => {
            RateLimitKind::Daily { reset: t }
        }
        Some(t) => RateLimitKind::PerSecond {
            wait: Some(until(t, now).min(MAX_QPS_WAIT)),
        },
        None => {
            let wait = reset_header
                .and_then(parse_unix_reset)
                .map(|t| until(t, now))
                .filter(|d| *d <= Duration::from_secs(60));
            RateLimitKind::PerSecond { wait }
        }
    }
}

/// Exponential backoff with full jitter: attempt `n` (0-based) sleeps a
/// uniform time in `[0, min(cap, base·2ⁿ)]` (AWS "full jitter"), so many
/// clients retrying at once spread out instead of stampeding together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// For 5xx, timeouts and dropped connections.
    pub const SERVER: Backoff = Backoff {
        base: Duration::from_millis(200),
        cap: Duration::from_secs(5),
    };
    /// For a 429 that does not say how long to wait. A per-second window
    /// is 1 s, so waits start near that.
    pub const RATE: Backoff = Backoff {
        base: Duration::from_millis(500),
        cap: Duration::from_secs(8),
    };

    /// The ceiling of attempt `n`'s sleep.
    pub fn ceiling(self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(20));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Attempt `n`'s sleep for a uniform sample `u` in `[0, 1)`.
    pub fn delay_for(self, attempt: u32, u: f64) -> Duration {
        let u = if u.is_finite() {
            u.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.ceiling(attempt).mul_f64(u)
    }

    /// Attempt `n`'s sleep, randomised.
    pub fn delay(self, attempt: u32) -> Duration {
        self.delay_for(attempt, rand::random_range(0.0..1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
    }

    #[test]
    fn retry_after_seconds() {
        assert_eq!(
            parse_retry_after("3", now()),
            Some(now() + chrono::TimeDelta::seconds(3))
        );
        assert_eq!(parse_retry_after(" 0 ", now()), Some(now()));
        assert_eq!(
            parse_retry_after("1.5", now()),
            Some(now() + chrono::TimeDelta::milliseconds(1500))
        );
    }

    #[test]
    fn retry_after_iso_and_http_dates() {
        let midnight = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        assert_eq!(
            parse_retry_after("2026-12-01T00:00:00Z", now()),
            Some(midnight)
        );
        assert_eq!(
            parse_retry_after("2026-12-01T01:00:00+01:00", now()),
            Some(midnight)
        );
        assert_eq!(
            parse_retry_after("2026-12-01T00:00:00", now()),
            Some(midnight)
        );
        assert_eq!(
            parse_retry_after("Tue, 01 Dec 2026 00:00:00 GMT", now()),
            Some(midnight)
        );
    }

    #[test]
    fn retry_after_garbage_is_none() {
        for v in [
            "",
            "soon",
            "-5",
            "NaN",
            "inf",
            "1e300",
            "2026-13-45T99:00:00Z",
            "\u{0}",
        ] {
            assert_eq!(parse_retry_after(v, now()), None, "{v:?}");
        }
        assert_eq!(parse_retry_after("99999999999999999999", now()), None);
    }

    #[test]
    fn next_midnight_is_tomorrow_utc() {
        assert_eq!(
            next_utc_midnight(now()),
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn qps_429_waits_as_retry_after_says() {
        let k = classify_429(Some("QPS"), Some("2"), None, None, now());
        assert_eq!(
            k,
            RateLimitKind::PerSecond {
                wait: Some(Duration::from_secs(2))
            }
        );
        // Absent type and no headers at all: still a retryable per-second limit.
        let k = classify_429(None, None, None, None, now());
        assert_eq!(k, RateLimitKind::PerSecond { wait: None });
        // An explicit QPS answer with an absurd wait is capped, not turned daily.
        let k = classify_429(Some("QPS"), Some("100000"), None, None, now());
        assert_eq!(
            k,
            RateLimitKind::PerSecond {
                wait: Some(MAX_QPS_WAIT)
            }
        );
    }

    #[test]
    fn daily_429_reports_the_reset() {
        let midnight = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let k = classify_429(
            Some("Daily-limit"),
            Some("2026-12-01T00:00:00Z"),
            None,
            None,
            now(),
        );
        assert_eq!(k, RateLimitKind::Daily { reset: midnight });
        // No Retry-After: Zoom's daily limits reset at 00:00 UTC.
        let k = classify_429(Some("daily-limit"), None, None, None, now());
        assert_eq!(k, RateLimitKind::Daily { reset: midnight });
        // No type header, but the documented daily message.
        let msg = "You have reached the maximum daily rate limit for this API.";
        let k = classify_429(None, Some("garbage"), None, Some(msg), now());
        assert_eq!(k, RateLimitKind::Daily { reset: midnight });
        // No type, a Retry-After hours away: a daily limit.
        let k = classify_429(None, Some("2026-12-01T00:00:00Z"), None, None, now());
        assert_eq!(k, RateLimitKind::Daily { reset: midnight });
    }

    #[test]
    fn unix_reset_header_is_used_when_retry_after_is_absent() {
        let reset = (now() + chrono::TimeDelta::seconds(1))
            .timestamp()
            .to_string();
        let k = classify_429(Some("QPS"), None, Some(&reset), None, now());
        assert_eq!(
            k,
            RateLimitKind::PerSecond {
                wait: Some(Duration::from_secs(1))
            }
        );
    }

    #[test]
    fn backoff_stays_within_bounds() {
        let b = Backoff::SERVER;
        assert_eq!(b.ceiling(0), Duration::from_millis(200));
        assert_eq!(b.ceiling(1), Duration::from_millis(400));
        assert_eq!(b.ceiling(4), Duration::from_millis(3200));
        assert_eq!(b.ceiling(5), Duration::from_secs(5));
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(5));
        assert_eq!(b.delay_for(3, 0.0), Duration::ZERO);
        assert_eq!(b.delay_for(3, 0.5), Duration::from_millis(800));
        assert_eq!(b.delay_for(3, f64::NAN), Duration::ZERO);
        for attempt in 0..40 {
            for _ in 0..50 {
                let d = b.delay(attempt);
                assert!(d <= b.ceiling(attempt), "{attempt}: {d:?}");
            }
        }
    }

    #[test]
    fn backoff_jitter_is_spread() {
        let samples: Vec<Duration> = (0..200).map(|_| Backoff::RATE.delay(3)).collect();
        let distinct: std::collections::HashSet<_> = samples.iter().collect();
        assert!(
            distinct.len() > 100,
            "full jitter should vary: {}",
            distinct.len()
        );
    }
}
