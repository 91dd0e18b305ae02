//! Zoom REST API client: Server-to-Server OAuth, adaptive per-category rate
//! limiting, retries, paging, tolerant models.
//!
//! How a request goes (`http::Inner::get_json`): the category's daily-limit
//! gate → the scope pre-check against the token's `scope` string
//! (`endpoint` table) → the category's limiter slot (AIMD: 429s lower the
//! rate, successes raise it slowly, never above the plan's) → the token
//! (cached, renewed 60 s early; one renewal shared by concurrent callers) →
//! the request → 2xx: JSON or `Malformed`; 401/code 124: renew and retry
//! (`TokenRejected` after a run of fresh tokens the API never took); 429:
//! per-second waits as `Retry-After` says (seconds, ISO-8601 or HTTP-date;
//! backoff when absent, as Zoom sends none), daily closes the category with
//! the reset time; 5xx/timeouts/drops: bounded retries, exponential backoff,
//! full jitter; 403 or 400 with code 4711/4700/104: `MissingScope` (a 403 or 400 code 200 without them: the part is unavailable to the account); other 4xx:
//! `Api` with Zoom's code, message (scrubbed of secrets) and
//! `x-zm-trackingid`. An unreachable token endpoint (refused, DNS, TLS) is
//! `Unreachable` at once, for every later call too. Listings (`paging`)
//! follow `next_page_token` or the older `page_number` shape, de-duplicate,
//! detect repeated tokens and restart once on an expired one.
//!
//! CONTRACT (other modules code against these names; keep them, extend freely):
//! - [`ClientConfig`], [`ZoomClient::new`], the listing/detail methods below;
//! - [`ZoomError`] variants `Auth`, `MissingScope`, `DailyLimit` are matched by sync/CLI;
//! - models in [`models`] keep the raw JSON in `raw`.

mod base_url;
mod client;
pub(crate) mod endpoint;
pub(crate) mod error;
mod errors_body;
mod http;
mod lenient;
pub mod models;
mod paging;
pub(crate) mod ratelimit;
pub(crate) mod redact;
pub(crate) mod retry;
mod token;

pub use client::{ClientConfig, OnPage, PageInfo, Plan, RateCategory, ZoomClient, no_progress};
pub use endpoint::{Endpoint, GrantedScopes};
pub use error::ZoomError;
pub use http::{ClientStats, MAX_FRESH_TOKEN_REFUSALS};
pub use models::*;
pub use paging::BadItem;

/// A secret string (client secret, access token) whose `Debug` and `Display`
/// never show the value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The value, for the one place that must send it (the token request).
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}
