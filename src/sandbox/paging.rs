//! Paging: opaque `next_page_token`s that expire, page-size clamping, and the
//! test quirks (repeated token, token expiring once, duplicate ids across
//! pages, the older `page_number`-only shape).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::rng::{keyed, mix};

/// Paging quirks for client tests. All off by default.
#[derive(Debug, Clone, Default)]
pub struct PagingQuirks {
    /// From the second page on, the response repeats the token the request
    /// carried (a client must stop with an error, not loop).
    pub repeat_token: bool,
    /// The first `next_page_token` presented to the sandbox is answered with
    /// 400 code 300 ("invalid or expired"), once.
    pub expire_token_once: bool,
    /// Each page after the first starts with the previous page's last item.
    pub duplicate_ids: bool,
    /// The older shape: no `next_page_token`, only `page_count` /
    /// `page_number`; the sandbox honours `page_number`.
    pub legacy_paging: bool,
}

#[derive(Debug)]
struct Entry {
    listing: String,
    offset: usize,
    issued: Instant,
}

/// Issued page tokens: an opaque string mapped to (listing, offset, issue
/// time). Tokens are derived from a per-sandbox secret and a counter, so a
/// run is reproducible under the seed.
#[derive(Debug)]
pub struct PageTokens {
    ttl: Duration,
    secret: u64,
    inner: Mutex<Tokens>,
    expired_once: AtomicBool,
}

#[derive(Debug, Default)]
struct Tokens {
    counter: u64,
    map: HashMap<String, Entry>,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    InvalidOrExpired,
}

impl PageTokens {
    pub fn new(seed: u64, ttl: Duration) -> Self {
        Self {
            ttl,
            secret: mix(seed ^ 0x7061_6765_746F_6B6E),
            inner: Mutex::new(Tokens::default()),
            expired_once: AtomicBool::new(false),
        }
    }

    pub fn issue(&self, listing: &str, offset: usize) -> String {
        let Ok(mut t) = self.inner.lock() else {
            return String::new();
        };
        t.counter += 1;
        let token = token_string(self.secret, t.counter);
        if t.map.len() >= 50_000 {
            let ttl = self.ttl;
            t.map.retain(|_, e| e.issued.elapsed() < ttl);
        }
        t.map.insert(
            token.clone(),
            Entry {
                listing: listing.to_string(),
                offset,
                issued: Instant::now(),
            },
        );
        token
    }

    /// The offset a token stands for, when it was issued for this listing
    /// and has not expired.
    pub fn resolve(
        &self,
        token: &str,
        listing: &str,
        quirks: &PagingQuirks,
    ) -> Result<usize, TokenError> {
        if quirks.expire_token_once && !self.expired_once.swap(true, Ordering::SeqCst) {
            return Err(TokenError::InvalidOrExpired);
        }
        let Ok(t) = self.inner.lock() else {
            return Err(TokenError::InvalidOrExpired);
        };
        match t.map.get(token) {
            Some(e) if e.listing == listing && e.issued.elapsed() < self.ttl => Ok(e.offset),
            _ => Err(TokenError::InvalidOrExpired),
        }
    }
}

/// 32 characters of [A-Za-z0-9], like Zoom's tokens.
fn token_string(secret: u64, counter: u64) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(32);
    let mut h = keyed(secret, &counter.to_le_bytes());
    for i in 0..32 {
        if i % 8 == 0 {
            h = mix(h ^ (i as u64) ^ secret);
        }
        out.push(char::from(CHARS[(h % 62) as usize]));
        h /= 62;
    }
    out
}

/// A query string as a map. A key given more than once keeps every value,
/// joined with commas in order (`include_fields=a&include_fields=b` is
/// `a,b`), instead of the last one silently winning.
pub fn parse_query(raw: &str) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        match out.get_mut(k.as_ref()) {
            Some(existing) => {
                existing.push(',');
                existing.push_str(&v);
            }
            None => {
                out.insert(k.into_owned(), v.into_owned());
            }
        }
    }
    out
}

/// `page_number` when given as a positive integer.
fn page_number(query: &HashMap<String, String>) -> Option<usize> {
    query
        .get("page_number")
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1)
}

/// `page_size` as Zoom treats it: default 30, clamped to 1..=max.
pub fn page_size(raw: Option<&str>, max: usize) -> usize {
    match raw.and_then(|s| s.trim().parse::<i64>().ok()) {
        Some(n) if n >= 1 => (n as usize).min(max),
        _ => 30.min(max),
    }
}

/// One page of a listing: which slice to send and the paging fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub start: usize,
    pub end: usize,
    pub page_size: usize,
    pub page_number: usize,
    pub page_count: usize,
    pub total_records: usize,
    /// None in the legacy shape (field omitted).
    pub next_page_token: Option<String>,
}

/// Resolves the page a request asks for. `listing` identifies the listing
/// (path and filters) so a token cannot be replayed against another one.
pub fn resolve_page(
    tokens: &PageTokens,
    quirks: &PagingQuirks,
    listing: &str,
    query: &HashMap<String, String>,
    total: usize,
    max_page_size: usize,
) -> Result<Page, TokenError> {
    let ps = page_size(query.get("page_size").map(String::as_str), max_page_size);
    let page_count = total.div_ceil(ps);
    if quirks.legacy_paging {
        let number = page_number(query).unwrap_or(1);
        let start = (number - 1).saturating_mul(ps).min(total);
        return Ok(Page {
            start,
            end: (start + ps).min(total),
            page_size: ps,
            page_number: number,
            page_count,
            total_records: total,
            next_page_token: None,
        });
    }
    let presented = query.get("next_page_token").filter(|t| !t.is_empty());
    // A token wins; without one, `page_number` (deprecated by Zoom but
    // still honoured) picks the page.
    let start = match presented {
        Some(t) => tokens.resolve(t, listing, quirks)?.min(total),
        None => page_number(query)
            .map_or(0, |n| (n - 1).saturating_mul(ps))
            .min(total),
    };
    let end = (start + ps).min(total);
    let next = if end < total {
        match presented {
            Some(t) if quirks.repeat_token => t.clone(),
            _ => {
                let next_start = if quirks.duplicate_ids && ps > 1 {
                    end - 1
                } else {
                    end
                };
                tokens.issue(listing, next_start)
            }
        }
    } else {
        String::new()
    };
    Ok(Page {
        start,
        end,
        page_size: ps,
        page_number: start / ps + 1,
        page_count,
        total_records: total,
        next_page_token: Some(next),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn walks_a_listing_with_tokens() {
        let tokens = PageTokens::new(1, Duration::from_secs(60));
        let quirks = PagingQuirks::default();
        let mut seen = 0;
        let mut query = q(&[("page_size", "300")]);
        loop {
            let p = resolve_page(&tokens, &quirks, "users", &query, 1_000, 2_000).unwrap();
            seen += p.end - p.start;
            let next = p.next_page_token.unwrap();
            if next.is_empty() {
                break;
            }
            query.insert("next_page_token".into(), next);
        }
        assert_eq!(seen, 1_000);
    }

    #[test]
    fn tokens_are_bound_to_their_listing_and_expire() {
        let tokens = PageTokens::new(1, Duration::from_millis(50));
        let t = tokens.issue("users?status=active", 30);
        let quirks = PagingQuirks::default();
        assert_eq!(tokens.resolve(&t, "users?status=active", &quirks), Ok(30));
        assert!(tokens.resolve(&t, "groups", &quirks).is_err());
        std::thread::sleep(Duration::from_millis(80));
        assert!(tokens.resolve(&t, "users?status=active", &quirks).is_err());
    }

    #[test]
    fn page_number_is_honoured_without_a_token() {
        let tokens = PageTokens::new(1, Duration::from_secs(60));
        let quirks = PagingQuirks::default();
        let query = q(&[("page_size", "300"), ("page_number", "3")]);
        let p = resolve_page(&tokens, &quirks, "users", &query, 1_000, 2_000).unwrap();
        assert_eq!((p.start, p.end, p.page_number), (600, 900, 3));
        assert!(!p.next_page_token.unwrap().is_empty());
        // Past the end: an empty last page, not an error.
        let query = q(&[("page_size", "300"), ("page_number", "9")]);
        let p = resolve_page(&tokens, &quirks, "users", &query, 1_000, 2_000).unwrap();
        assert_eq!((p.start, p.end), (1_000, 1_000));
        assert_eq!(p.next_page_token.as_deref(), Some(""));
    }

    #[test]
    fn repeated_query_keys_are_kept() {
        let q = parse_query("include_fields=a&status=active&include_fields=b%2Cc");
        assert_eq!(q.get("include_fields").map(String::as_str), Some("a,b,c"));
        assert_eq!(q.get("status").map(String::as_str), Some("active"));
        assert!(parse_query("").is_empty());
    }

    #[test]
    fn page_size_defaults_and_clamps() {
        assert_eq!(page_size(None, 300), 30);
        assert_eq!(page_size(Some("5000"), 2000), 2000);
        assert_eq!(page_size(Some("0"), 2000), 30);
        assert_eq!(page_size(Some("x"), 2000), 30);
    }
}
