//! The Server-to-Server OAuth access token: parsing the token response and
//! the in-memory cache. The token lives only here, behind one async lock,
//! so concurrent callers that find it stale (or refused) share a single
//! renewal ("single flight").

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::Secret;
use super::endpoint::GrantedScopes;
use super::lenient;

/// Renew this long before `expires_in` runs out (rivet and Cartography do the same).
pub const RENEW_BEFORE: Duration = Duration::from_secs(60);

/// Lifetime assumed when the token response omits `expires_in` (Zoom: 3599 s).
pub const DEFAULT_TTL: Duration = Duration::from_secs(3599);

/// An issued access token.
#[derive(Debug)]
pub struct AccessToken {
    pub value: Secret,
    pub ttl: Duration,
    pub issued: Instant,
    /// `None` when the response carried no `scope` string: then nothing is
    /// known in advance and the server's answers decide.
    pub scopes: Option<GrantedScopes>,
    /// Set once the API answered a request made with it: a later refusal
    /// is then expiry, not a token the API will never take.
    pub accepted: AtomicBool,
}

impl AccessToken {
    pub fn mark_accepted(&self) {
        self.accepted.store(true, Ordering::Relaxed);
    }

    pub fn was_accepted(&self) -> bool {
        self.accepted.load(Ordering::Relaxed)
    }

    /// When to stop using it: 60 s before expiry, or half-way for tokens
    /// that live less than two minutes (a margin larger than the lifetime
    /// would renew on every call).
    pub fn renew_at(&self) -> Instant {
        let margin = RENEW_BEFORE.min(self.ttl / 2);
        self.issued + self.ttl.saturating_sub(margin)
    }

    pub fn is_fresh(&self, now: Instant) -> bool {
        now < self.renew_at()
    }
}

/// The parts of a token response zoomscope uses.
#[derive(Debug)]
pub struct TokenResponse {
    pub access_token: Secret,
    pub expires_in: Duration,
    pub scope: Option<String>,
}

/// Read a 2xx token response. `Err` names what was wrong (never the value).
pub fn parse_token_response(body: &[u8]) -> Result<TokenResponse, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "token response is not JSON ({}; {} bytes)",
            e.classify_name(),
            body.len()
        )
    })?;
    let Value::Object(o) = v else {
        return Err(format!(
            "token response is {}, not an object",
            lenient::kind(&v)
        ));
    };
    let access_token = match o.get("access_token") {
        Some(Value::String(s)) if !s.trim().is_empty() => Secret::new(s.trim()),
        Some(other) => {
            return Err(format!(
                "token response `access_token` is {}, not a non-empty string",
                lenient::kind(other)
            ));
        }
        None => return Err("token response has no `access_token`".into()),
    };
    let expires_in = match lenient::int(&o, "expires_in") {
        Some(s) if s > 0 => Duration::from_secs(s.unsigned_abs()),
        _ => DEFAULT_TTL,
    };
    let scope = lenient::string(&o, "scope");
    Ok(TokenResponse {
        access_token,
        expires_in,
        scope,
    })
}

/// Helper trait so serde_json's error category reads as words.
trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// Describe a JSON parse failure without quoting the body.
pub fn describe_json_error(e: &serde_json::Error, len: usize) -> String {
    format!(
        "body is not valid JSON ({} at line {} column {}; {} bytes)",
        e.classify_name(),
        e.line(),
        e.column(),
        len
    )
}

/// The cached token. `None` until the first call, and after an invalidation.
#[derive(Debug, Default)]
pub struct TokenCache {
    slot: Mutex<Option<Arc<AccessToken>>>,
}

impl TokenCache {
    /// The cached token if fresh, else the result of `fetch` (run with the
    /// lock held, so concurrent callers wait for one refresh and share it).
    pub async fn get_or_fetch<F, Fut, E>(&self, fetch: F) -> Result<Arc<AccessToken>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<AccessToken, E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(t) = slot.as_ref()
            && t.is_fresh(Instant::now())
        {
            return Ok(t.clone());
        }
        let fresh = Arc::new(fetch().await?);
        *slot = Some(fresh.clone());
        Ok(fresh)
    }

    /// Drop `used` after the API refused it (401 / code 124). If another
    /// caller already replaced it, the newer token is kept: many requests
    /// failing with the same old token cause one renewal, not many.
    pub async fn invalidate(&self, used: &Arc<AccessToken>) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|t| Arc::ptr_eq(t, used)) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn parses_the_recorded_response() {
        let body = br#"{"access_token":"[REDACTED]","token_type":"bearer","expires_in":3599,"scope":"user:read:admin account:read:admin group:read:admin role:read:admin"}"#;
        let t = parse_token_response(body).unwrap();
        assert_eq!(t.access_token.expose(), "[REDACTED]");
        assert_eq!(t.expires_in, Duration::from_secs(3599));
        let scopes = GrantedScopes::parse(t.scope.as_deref().unwrap());
        assert!(scopes.contains("group:read:admin"));
    }

    #[test]
    fn tolerates_string_expiry_and_missing_scope() {
        let t =
            parse_token_response(br#"{"access_token":"abc","expires_in":"3600","api_url":"x"}"#)
                .unwrap();
        assert_eq!(t.expires_in, Duration::from_secs(3600));
        assert!(t.scope.is_none());
        let t = parse_token_response(br#"{"access_token":"abc","expires_in":null}"#).unwrap();
        assert_eq!(t.expires_in, DEFAULT_TTL);
    }

    #[test]
    fn rejects_bad_bodies_without_quoting_them() {
        for body in [
            &b"<html>oops</html>"[..],
            b"[]",
            b"{}",
            br#"{"access_token": 5}"#,
            br#"{"access_token": "  "}"#,
            b"",
        ] {
            let e = parse_token_response(body).unwrap_err();
            assert!(!e.contains("oops"), "{e}");
        }
    }

    #[test]
    fn renews_a_minute_early_or_half_way_for_short_tokens() {
        let now = Instant::now();
        let t = AccessToken {
            value: Secret::new("x"),
            ttl: Duration::from_secs(3599),
            issued: now,
            scopes: None,
            accepted: AtomicBool::new(false),
        };
        assert_eq!(t.renew_at(), now + Duration::from_secs(3539));
        assert!(t.is_fresh(now + Duration::from_secs(3538)));
        assert!(!t.is_fresh(now + Duration::from_secs(3540)));
        let short = AccessToken {
            ttl: Duration::from_secs(4),
            ..t
        };
        assert_eq!(short.renew_at(), now + Duration::from_secs(2));
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch(|| async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>(AccessToken {
                            value: Secret::new("t"),
                            ttl: Duration::from_secs(3600),
                            issued: Instant::now(),
                            scopes: None,
                            accepted: AtomicBool::new(false),
                        })
                    })
                    .await
                    .unwrap()
            }));
        }
        let mut got = Vec::new();
        for t in tasks {
            got.push(t.await.unwrap());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        assert!(got.iter().all(|t| Arc::ptr_eq(t, &got[0])));

        // Many failures with the same old token: one invalidation, then one refresh.
        for t in &got {
            cache.invalidate(t).await;
        }
        let fresh = cache
            .get_or_fetch(|| async {
                fetches.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(AccessToken {
                    value: Secret::new("t2"),
                    ttl: Duration::from_secs(3600),
                    issued: Instant::now(),
                    scopes: None,
                    accepted: AtomicBool::new(false),
                })
            })
            .await
            .unwrap();
        cache.invalidate(&got[0]).await; // stale: must not drop the new one
        let again = cache
            .get_or_fetch(|| async { Err::<AccessToken, ()>(()) })
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&fresh, &again));
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }
}
