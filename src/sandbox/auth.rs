//! Server-to-Server OAuth (`docs/zoom-contract.md#oauth`): the token endpoint and the
//! store of live access tokens.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::rng::base64url;

/// Outcome of presenting a bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenCheck {
    Valid,
    Unknown,
    Expired,
}

#[derive(Debug)]
struct Live {
    expires: Instant,
    uses: u64,
}

/// Live access tokens. Several may be live at once (Zoom: "You can generate
/// and use multiple access tokens").
#[derive(Debug)]
pub struct TokenStore {
    ttl: Duration,
    /// Expire each token after this many API requests (test fault).
    max_uses: Option<u64>,
    random: RandomState,
    inner: Mutex<(u64, HashMap<String, Live>)>,
}

impl TokenStore {
    pub fn new(ttl: Duration, max_uses: Option<u64>) -> Self {
        Self {
            ttl,
            max_uses,
            random: RandomState::new(),
            inner: Mutex::new((0, HashMap::new())),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a new opaque random token.
    pub fn issue(&self) -> String {
        let Ok(mut g) = self.inner.lock() else {
            return String::new();
        };
        g.0 += 1;
        let n = g.0;
        let mut bytes = Vec::with_capacity(32);
        for k in 0..4u64 {
            bytes.extend_from_slice(&self.random.hash_one((n, k)).to_le_bytes());
        }
        let token = format!("sbx.{}", base64url(&bytes));
        let now = Instant::now();
        g.1.retain(|_, l| l.expires > now);
        g.1.insert(
            token.clone(),
            Live {
                expires: now + self.ttl,
                uses: 0,
            },
        );
        token
    }

    /// Checks a presented token and counts one use.
    pub fn check(&self, token: &str) -> TokenCheck {
        let Ok(mut g) = self.inner.lock() else {
            return TokenCheck::Unknown;
        };
        let max_uses = self.max_uses;
        match g.1.get_mut(token) {
            None => TokenCheck::Unknown,
            Some(l) => {
                if l.expires <= Instant::now() {
                    return TokenCheck::Expired;
                }
                l.uses += 1;
                if max_uses.is_some_and(|m| l.uses > m) {
                    l.expires = Instant::now();
                    return TokenCheck::Expired;
                }
                TokenCheck::Valid
            }
        }
    }

    /// Ends a token's life now (the "early expiry" fault).
    pub fn expire(&self, token: &str) {
        if let Ok(mut g) = self.inner.lock()
            && let Some(l) = g.1.get_mut(token)
        {
            l.expires = Instant::now();
        }
    }

    pub(crate) fn live_count(&self) -> usize {
        let now = Instant::now();
        self.inner
            .lock()
            .map(|g| g.1.values().filter(|l| l.expires > now).count())
            .unwrap_or(0)
    }
}

/// What the token endpoint was given.
#[derive(Debug, Default)]
pub struct TokenRequest {
    /// Decoded `Authorization: Basic` credentials.
    pub basic: Option<(String, String)>,
    pub grant_type: Option<String>,
    pub account_id: Option<String>,
}

impl TokenRequest {
    /// From the Authorization header, the form body and the query string
    /// (the body wins; the query-string form is accepted for older clients).
    pub fn parse(authorization: Option<&str>, body: &[u8], query: Option<&str>) -> Self {
        let mut me = Self {
            basic: authorization.and_then(parse_basic),
            ..Self::default()
        };
        for source in [query.unwrap_or("").as_bytes(), body] {
            for (k, v) in url::form_urlencoded::parse(source) {
                match k.as_ref() {
                    "grant_type" => me.grant_type = Some(v.into_owned()),
                    "account_id" => me.account_id = Some(v.into_owned()),
                    _ => {}
                }
            }
        }
        me
    }
}

fn parse_basic(header: &str) -> Option<(String, String)> {
    use base64::Engine;
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// A token-endpoint error: HTTP 400 with Zoom's `{reason, error}` body.
pub fn oauth_error(reason: &str, error: &str) -> Value {
    json!({"reason": reason, "error": error})
}

/// Validates a token request against the configured credentials.
/// Ok(()) means "issue a token"; Err is the 400 body.
pub fn validate(
    req: &TokenRequest,
    client_id: &str,
    client_secret: &str,
    account_id: &str,
) -> Result<(), Value> {
    match &req.basic {
        Some((id, secret)) if id == client_id && secret == client_secret => {}
        _ => {
            return Err(oauth_error(
                "Invalid client_id or client_secret",
                "invalid_client",
            ));
        }
    }
    if req.grant_type.as_deref() != Some("account_credentials") {
        return Err(oauth_error(
            "unsupported grant type",
            "unsupported_grant_type",
        ));
    }
    match req.account_id.as_deref() {
        Some(a) if a == account_id => Ok(()),
        Some(a) if !a.is_empty() => Err(oauth_error("Account does not exist", "invalid_request")),
        _ => Err(oauth_error("Missing account_id", "invalid_request")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_and_form() {
        use base64::Engine;
        let h = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("id:se:cret")
        );
        let r = TokenRequest::parse(
            Some(&h),
            b"grant_type=account_credentials&account_id=abc",
            None,
        );
        assert_eq!(r.basic, Some(("id".into(), "se:cret".into())));
        assert!(validate(&r, "id", "se:cret", "abc").is_ok());
        assert_eq!(
            validate(&r, "id", "other", "abc").unwrap_err()["error"],
            "invalid_client"
        );
        let q = TokenRequest::parse(
            Some(&h),
            b"",
            Some("grant_type=client_credentials&account_id=abc"),
        );
        assert_eq!(
            validate(&q, "id", "se:cret", "abc").unwrap_err()["error"],
            "unsupported_grant_type"
        );
    }

    #[test]
    fn tokens_expire_and_count_uses() {
        let s = TokenStore::new(Duration::from_secs(60), Some(2));
        let t = s.issue();
        let t2 = s.issue();
        assert_ne!(t, t2);
        assert_eq!(s.check(&t), TokenCheck::Valid);
        assert_eq!(s.check(&t), TokenCheck::Valid);
        assert_eq!(s.check(&t), TokenCheck::Expired);
        assert_eq!(s.check(&t2), TokenCheck::Valid);
        assert_eq!(s.check("nope"), TokenCheck::Unknown);
    }
}
