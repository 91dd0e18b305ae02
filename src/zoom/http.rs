//! The request engine shared by every clone of a client: token, scope
//! pre-check, limiter, retries and the mapping of answers to `ZoomError`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, HeaderMap, RETRY_AFTER};
use serde_json::Value;
use tokio::time::Instant;
use url::Url;

use super::Secret;
use super::client::{Plan, RateCategory};
use super::endpoint::{Endpoint, GrantedScopes};
use super::error::ZoomError;
use super::errors_body::{ErrorBody, is_missing_scope, scopes_in_message};
use super::ratelimit::Limiter;
use super::redact::Redactor;
use super::retry::{Backoff, RateLimitKind, classify_429, parse_retry_after, until};
use super::token::{AccessToken, TokenCache, describe_json_error, parse_token_response};

/// Per-second 429s retried before giving up on one request.
pub const MAX_RATE_RETRIES: u32 = 10;

/// Longest wait a 5xx's `Retry-After` may impose on one retry.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(30);

const TOKEN_LABEL: &str = "POST /oauth/token";

/// Refusals (401 / code 124) of tokens the API never accepted that one
/// request absorbs, each with a new token, before it ends in
/// [`ZoomError::TokenRejected`]. Zoom may expire a token early; a token
/// refused on first use is usually that (a new one works), but a run of
/// them means the API will not take this app's tokens at all.
pub const MAX_FRESH_TOKEN_REFUSALS: u32 = 10;

/// Refusals of tokens the API had accepted before (expired meanwhile)
/// that one request absorbs; a bound so nothing loops for ever.
const MAX_TOKEN_RENEWALS: u32 = 30;

/// Longest `x-zm-trackingid` kept (Zoom's are ~40 characters).
const MAX_TRACKING_ID: usize = 120;

/// Counters of what the client did, for progress notices and tests.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub token_requests: AtomicU64,
    pub token_renewals_on_401: AtomicU64,
    pub rate_limited: AtomicU64,
    pub rate_wait_ms: AtomicU64,
    pub server_errors: AtomicU64,
    pub transport_errors: AtomicU64,
}

/// A copy of [`Stats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// API requests sent (each retry counts), excluding token requests.
    pub requests: u64,
    /// Token requests sent (each retry counts).
    pub token_requests: u64,
    /// Tokens dropped because the API refused them (401 / code 124).
    pub token_renewals_on_401: u64,
    /// Per-second 429 answers that were waited out and retried.
    pub rate_limited: u64,
    /// Total time spent waiting as 429 answers asked, in milliseconds.
    pub rate_wait_ms: u64,
    /// 5xx answers that were retried or ended a request.
    pub server_errors: u64,
    /// Timeouts and dropped connections.
    pub transport_errors: u64,
}

impl Stats {
    pub fn snapshot(&self) -> ClientStats {
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        ClientStats {
            requests: l(&self.requests),
            token_requests: l(&self.token_requests),
            token_renewals_on_401: l(&self.token_renewals_on_401),
            rate_limited: l(&self.rate_limited),
            rate_wait_ms: l(&self.rate_wait_ms),
            server_errors: l(&self.server_errors),
            transport_errors: l(&self.transport_errors),
        }
    }
}

fn bump(a: &AtomicU64) {
    a.fetch_add(1, Ordering::Relaxed);
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    pub api_url: Url,
    pub token_url: Url,
    pub account_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub plan: Plan,
    pub max_retries: u32,
    pub scope_precheck: bool,
    pub limiter: Limiter,
    pub tokens: TokenCache,
    pub redactor: Redactor,
    pub stats: Stats,
    /// Set when the token endpoint could not be reached: every later
    /// token request fails at once with it (see [`ZoomError::Unreachable`]).
    pub unreachable: std::sync::Mutex<Option<(String, String)>>,
}

/// Query parameters left out of error labels: paging cursors are noise.
const UNLABELLED_PARAMS: [&str; 3] = ["next_page_token", "page_size", "page_number"];

/// `GET /users/x/settings?option=meeting_security`: how errors name a request.
pub fn label(segments: &[&str], query: &[(&str, &str)]) -> String {
    let mut s = String::from("GET /");
    s.push_str(&segments.join("/"));
    let shown: Vec<String> = query
        .iter()
        .filter(|(k, _)| !UNLABELLED_PARAMS.contains(k))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !shown.is_empty() {
        s.push('?');
        s.push_str(&shown.join("&"));
    }
    s
}

/// A transport error in words, without the URL (reqwest puts it in Display).
fn describe_transport(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the body"
    } else if e.is_request() {
        "connection dropped"
    } else {
        "transport error"
    };
    let mut detail = String::new();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        detail = s.to_string();
        src = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}

impl Inner {
    pub fn stats(&self) -> ClientStats {
        self.stats.snapshot()
    }

    fn url_for(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut u = self.api_url.clone();
        if let Ok(mut p) = u.path_segments_mut() {
            p.pop_if_empty();
            p.extend(segments);
        }
        if !query.is_empty() {
            u.query_pairs_mut().extend_pairs(query);
        }
        u
    }

    /// The current token, fetching one if there is none or it is stale.
    pub async fn token(&self) -> Result<Arc<AccessToken>, ZoomError> {
        self.check_reachable()?;
        self.tokens.get_or_fetch(|| self.fetch_token()).await
    }

    /// The recorded [`ZoomError::Unreachable`], if the token endpoint was.
    fn check_reachable(&self) -> Result<(), ZoomError> {
        let known = self
            .unreachable
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match known {
            Some((url, message)) => Err(ZoomError::Unreachable { url, message }),
            None => Ok(()),
        }
    }

    /// Scopes of the current token; `None` when the token did not list them.
    pub async fn granted(&self) -> Result<Option<GrantedScopes>, ZoomError> {
        Ok(self.token().await?.scopes.clone())
    }

    async fn fetch_token(&self) -> Result<AccessToken, ZoomError> {
        let mut transient = 0u32;
        let mut limited = 0u32;
        loop {
            bump(&self.stats.token_requests);
            let sent = self
                .http
                .post(self.token_url.clone())
                .basic_auth(&self.client_id, Some(self.client_secret.expose()))
                .header(ACCEPT, "application/json")
                .form(&[
                    ("grant_type", "account_credentials"),
                    ("account_id", self.account_id.as_str()),
                ])
                .send()
                .await;
            let (status, headers, body) = match read(sent).await {
                Ok(r) => r,
                Err(e) if e.is_connect() => {
                    // Connection refused, DNS or TLS failure: retrying an
                    // address that is not there only delays the answer
                    // (6 tries per step made an unreachable endpoint cost
                    // 40 s). Final for this client.
                    bump(&self.stats.transport_errors);
                    let url = self.token_url.as_str().to_string();
                    let message = self.redactor.scrub(&describe_transport(&e));
                    tracing::error!(%url, "token endpoint unreachable: {message}");
                    *self.unreachable.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((url.clone(), message.clone()));
                    return Err(ZoomError::Unreachable { url, message });
                }
                Err(e) => {
                    bump(&self.stats.transport_errors);
                    transient += 1;
                    if transient > self.max_retries {
                        return Err(ZoomError::Transport {
                            endpoint: TOKEN_LABEL.into(),
                            message: self.redactor.scrub(&describe_transport(&e)),
                            attempts: transient,
                        });
                    }
                    tracing::warn!(
                        attempt = transient,
                        "token request failed: {}",
                        self.redactor.scrub(&describe_transport(&e))
                    );
                    tokio::time::sleep(Backoff::SERVER.delay(transient - 1)).await;
                    continue;
                }
            };
            if status.is_success() {
                let t = parse_token_response(&body).map_err(|detail| ZoomError::Malformed {
                    endpoint: TOKEN_LABEL.into(),
                    detail,
                })?;
                self.redactor.add_token(t.access_token.expose());
                let scopes = t.scope.as_deref().map(GrantedScopes::parse);
                tracing::info!(
                    expires_in_s = t.expires_in.as_secs(),
                    scopes = scopes.as_ref().map(|s| s.as_list().len()).unwrap_or(0),
                    "access token issued"
                );
                return Ok(AccessToken {
                    value: t.access_token,
                    ttl: t.expires_in,
                    issued: Instant::now(),
                    scopes,
                    accepted: std::sync::atomic::AtomicBool::new(false),
                });
            }
            log_error_answer(TOKEN_LABEL, status, &headers);
            let err = ErrorBody::parse(&body);
            if status == StatusCode::TOO_MANY_REQUESTS && limited < MAX_RATE_RETRIES {
                limited += 1;
                let wait = header(&headers, RETRY_AFTER.as_str())
                    .and_then(|v| parse_retry_after(v, Utc::now()))
                    .map(|t| until(t, Utc::now()))
                    .filter(|d| *d <= MAX_SERVER_WAIT)
                    .unwrap_or_else(|| Backoff::RATE.delay(limited - 1));
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_server_error() {
                bump(&self.stats.server_errors);
                transient += 1;
                if transient > self.max_retries {
                    return Err(ZoomError::Server {
                        endpoint: TOKEN_LABEL.into(),
                        status: status.as_u16(),
                        attempts: transient,
                        tracking_id: tracking_id(&headers),
                    });
                }
                tokio::time::sleep(Backoff::SERVER.delay(transient - 1)).await;
                continue;
            }
            let error = err
                .error
                .clone()
                .unwrap_or_else(|| format!("http_{}", status.as_u16()));
            let reason = err
                .reason
                .or(err.message)
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("refused").to_string());
            return Err(ZoomError::Auth {
                error: self.redactor.scrub(&error),
                reason: self.redactor.scrub(&reason),
            });
        }
    }

    /// `GET` one API resource and return its JSON body, handling token
    /// renewal, scope pre-check, rate limits and retries.
    pub async fn get_json(
        &self,
        endpoint: Endpoint,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Value, ZoomError> {
        let body = self.get_body(endpoint, segments, query).await?;
        serde_json::from_slice(&body).map_err(|e| ZoomError::Malformed {
            endpoint: label(segments, query),
            detail: describe_json_error(&e, body.len()),
        })
    }

    /// `GET` one API resource and return its 2xx body unparsed (the pager
    /// reads only the paging fields before asking for the next page).
    pub async fn get_body(
        &self,
        endpoint: Endpoint,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Vec<u8>, ZoomError> {
        let label = label(segments, query);
        let category = endpoint.category();
        let url = self.url_for(segments, query);
        let mut transient = 0u32;
        let mut limited = 0u32;
        let mut fresh_refusals = 0u32;
        let mut renewals = 0u32;
        loop {
            if let Some(reset) = self.limiter.closed_until(category, Utc::now()) {
                return Err(daily(&label, category, reset));
            }
            if self.scope_precheck
                && let Some(granted) = self
                    .token()
                    .await?
                    .scopes
                    .as_ref()
                    .filter(|g| !g.is_empty())
                && let Some(scopes) = endpoint.missing_scopes(granted)
            {
                return Err(ZoomError::MissingScope {
                    endpoint: label,
                    scopes,
                });
            }
            let slot = if super::ratelimit::is_yielding() {
                self.limiter.acquire_yielding(category).await
            } else {
                self.limiter.acquire(category).await
            };
            // The token is taken after the wait for a slot, not before: a
            // token held through the queue may be renewed (or refused)
            // meanwhile, and every request sent with it would fail.
            let token = self.token().await?;
            bump(&self.stats.requests);
            let sent = self
                .http
                .get(url.clone())
                .bearer_auth(token.value.expose())
                .header(ACCEPT, "application/json")
                .send()
                .await;
            let (status, headers, body) = match read(sent).await {
                Ok(r) => r,
                Err(e) => {
                    bump(&self.stats.transport_errors);
                    transient += 1;
                    let message = self.redactor.scrub(&describe_transport(&e));
                    if transient > self.max_retries {
                        return Err(ZoomError::Transport {
                            endpoint: label,
                            message,
                            attempts: transient,
                        });
                    }
                    tracing::warn!(endpoint = %label, attempt = transient, "{message}; retrying");
                    tokio::time::sleep(Backoff::SERVER.delay(transient - 1)).await;
                    continue;
                }
            };
            if status.is_success() {
                token.mark_accepted();
                self.limiter.on_success(slot);
                return Ok(body);
            }
            log_error_answer(&label, status, &headers);
            let err = ErrorBody::parse(&body);
            let message = || {
                let m = err.message.clone().unwrap_or_else(|| {
                    let reason = status.canonical_reason().unwrap_or("error");
                    if err.not_json && !body.is_empty() {
                        format!("{reason} (non-JSON body, {} bytes)", body.len())
                    } else {
                        reason.to_string()
                    }
                });
                self.redactor.scrub(&m)
            };
            if status == StatusCode::UNAUTHORIZED || err.code == Some(124) {
                bump(&self.stats.token_renewals_on_401);
                self.tokens.invalidate(&token).await;
                // A token the API took before has expired (early, or the
                // clock): renew and go on. One it never took counts
                // towards giving up: a run of those is not expiry.
                if token.was_accepted() {
                    renewals += 1;
                } else {
                    fresh_refusals += 1;
                }
                if fresh_refusals >= MAX_FRESH_TOKEN_REFUSALS || renewals > MAX_TOKEN_RENEWALS {
                    return Err(ZoomError::TokenRejected {
                        endpoint: label,
                        message: message(),
                        attempts: fresh_refusals + renewals,
                    });
                }
                tracing::info!(endpoint = %label, fresh_refusals, "access token refused; renewing");
                continue;
            }
            if status == StatusCode::TOO_MANY_REQUESTS {
                let kind = classify_429(
                    header(&headers, "x-ratelimit-type"),
                    header(&headers, RETRY_AFTER.as_str()),
                    header(&headers, "x-ratelimit-reset"),
                    err.message.as_deref(),
                    Utc::now(),
                );
                match kind {
                    RateLimitKind::Daily { reset } => {
                        tracing::warn!(endpoint = %label, %reset, "daily rate limit reached");
                        self.limiter.close_until(category, reset);
                        return Err(daily(&label, category, reset));
                    }
                    RateLimitKind::PerSecond { wait } => {
                        limited += 1;
                        if limited > MAX_RATE_RETRIES {
                            return Err(ZoomError::Api {
                                endpoint: label,
                                status: 429,
                                code: err.code,
                                message: format!(
                                    "{} (still rate limited after {MAX_RATE_RETRIES} waits)",
                                    message()
                                ),
                                tracking_id: tracking_id(&headers),
                            });
                        }
                        let wait = wait.unwrap_or_else(|| Backoff::RATE.delay(limited - 1));
                        bump(&self.stats.rate_limited);
                        self.stats
                            .rate_wait_ms
                            .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
                        // Lower the category's rate (once per overshoot) and
                        // hold the whole category, then queue for a slot again.
                        let lowered = self.limiter.on_rate_limited(slot, wait);
                        tracing::info!(
                            endpoint = %label,
                            wait_ms = wait.as_millis() as u64,
                            rate = self.limiter.rate(category),
                            lowered,
                            "rate limited (per second); waiting"
                        );
                        continue;
                    }
                }
            }
            if status.is_server_error() {
                bump(&self.stats.server_errors);
                transient += 1;
                if transient > self.max_retries {
                    return Err(ZoomError::Server {
                        endpoint: label,
                        status: status.as_u16(),
                        attempts: transient,
                        tracking_id: tracking_id(&headers),
                    });
                }
                let wait = header(&headers, RETRY_AFTER.as_str())
                    .and_then(|v| parse_retry_after(v, Utc::now()))
                    .map(|t| until(t, Utc::now()).min(MAX_SERVER_WAIT))
                    .unwrap_or_else(|| Backoff::SERVER.delay(transient - 1));
                tracing::warn!(endpoint = %label, status = status.as_u16(), attempt = transient, "server error; retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            if is_missing_scope(status.as_u16(), err.code) {
                let scopes = err
                    .message
                    .as_deref()
                    .and_then(scopes_in_message)
                    .unwrap_or_else(|| endpoint.accepted_scopes());
                return Err(ZoomError::MissingScope {
                    endpoint: label,
                    scopes,
                });
            }
            return Err(ZoomError::Api {
                endpoint: label,
                status: status.as_u16(),
                code: err.code,
                message: message(),
                tracking_id: tracking_id(&headers),
            });
        }
    }
}

/// Zoom's `x-zm-trackingid`, kept only when it is short printable ASCII
/// (it is untrusted text that reaches logs and terminals).
pub fn tracking_id(h: &HeaderMap) -> Option<String> {
    let v = header(h, "x-zm-trackingid")?.trim();
    let ok = !v.is_empty()
        && v.len() <= MAX_TRACKING_ID
        && v.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    ok.then(|| v.to_string())
}

/// Logs an error answer with Zoom's tracking id (Zoom support asks for it).
fn log_error_answer(label: &str, status: StatusCode, headers: &HeaderMap) {
    let id = tracking_id(headers);
    let id = id.as_deref().unwrap_or("-");
    if status == StatusCode::TOO_MANY_REQUESTS {
        tracing::debug!(endpoint = %label, status = status.as_u16(), tracking_id = %id, "error answer");
    } else {
        tracing::warn!(endpoint = %label, status = status.as_u16(), tracking_id = %id, "error answer");
    }
}

fn daily(label: &str, category: RateCategory, reset: chrono::DateTime<Utc>) -> ZoomError {
    ZoomError::DailyLimit {
        endpoint: label.to_string(),
        category: format!("{category:?}"),
        reset: Some(reset),
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Send result → (status, headers, whole body). Reading the body is part of
/// the attempt: a connection dropped mid-body is retried like one dropped
/// before the status line.
async fn read(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<(StatusCode, HeaderMap, Vec<u8>), reqwest::Error> {
    let resp = sent?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.bytes().await?.to_vec();
    Ok((status, headers, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_hide_paging_cursors() {
        assert_eq!(
            label(
                &["users"],
                &[
                    ("status", "active"),
                    ("page_size", "2000"),
                    ("next_page_token", "abc")
                ]
            ),
            "GET /users?status=active"
        );
        assert_eq!(label(&["users", "me"], &[]), "GET /users/me");
    }
}
