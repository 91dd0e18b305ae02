//! Posting messages to a Slack-compatible webhook (`{"text": "..."}`), with
//! retries and backoff, draining the persistent [`Outbox`].
//!
//! Webhook URLs carry their own secret (Slack's do, in the path), so errors
//! show at most the scheme, host and port of a URL, never its path or query.
//!
//! Redirects are never followed: a 302/303 would make the client re-send as
//! a GET without the body (the 200 there would count the alert as delivered),
//! and a 307/308 would send the alert text to another host. A 3xx is a
//! failure that keeps the message in the outbox.
//!
//! Delivery is split in two so it can run beside the polling loop: the HTTP
//! side ([`Webhook::deliver`]) takes plain messages and a time budget and
//! touches no database; the caller records its [`Outcome`]s in the outbox
//! ([`record`]).

use std::time::Duration;

use tokio::time::Instant;

use super::outbox::{Outbox, OutboxItem};
use super::state::StateError;
use crate::util::sanitize::for_terminal;

/// Where and how to post.
#[derive(Debug, Clone)]
pub struct Webhook {
    url: url::Url,
    http: reqwest::Client,
    /// Attempts per message per round (at least 1).
    pub attempts: u32,
    /// The first retry's delay; doubled each retry.
    pub backoff: Duration,
    /// The longest one POST may take.
    pub request_timeout: Duration,
    /// The longest one delivery round may take, all messages and retries
    /// together; what is not sent by then waits for the next round.
    pub budget: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("the webhook answered HTTP {status}")]
    Status { status: u16 },
    #[error(
        "the webhook answered HTTP {status} redirecting to {location}; redirects are not followed, the message is kept"
    )]
    Redirect { status: u16, location: String },
    #[error("the webhook could not be reached: {0}")]
    Transport(String),
    #[error("the webhook did not answer within this round's {budget:?} delivery time")]
    OutOfTime { budget: Duration },
    #[error("webhook URL `{shown}` {reason}")]
    InvalidUrl { shown: String, reason: String },
}

impl WebhookError {
    /// 4xx other than 408/429 and 3xx will not get better by retrying now.
    fn retryable(&self) -> bool {
        match self {
            WebhookError::Status { status } => *status >= 500 || *status == 429 || *status == 408,
            WebhookError::Transport(_) => true,
            WebhookError::Redirect { .. }
            | WebhookError::OutOfTime { .. }
            | WebhookError::InvalidUrl { .. } => false,
        }
    }
}

/// What a flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushReport {
    pub delivered: usize,
    /// Messages still in the outbox for the next round.
    pub pending: usize,
    pub last_error: Option<String>,
}

/// What happened to one message in a delivery round. Messages after the
/// first failure are not tried (they keep their order for the next round)
/// and have no outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered { id: i64 },
    Failed { id: i64, tries: u32, error: String },
}

/// Longest URL fragment shown in messages.
const SHOWN_MAX: usize = 80;

/// The part of a webhook URL that is safe to print: scheme, host and port
/// (the path and query, where Slack keeps the secret, become `/…`). Text that
/// is no URL at all is shown up to its first `/` after the host-like part,
/// cleaned for the terminal and cut short.
pub fn redacted(url: &str) -> String {
    let shown = match url::Url::parse(url) {
        Ok(u) if u.has_host() => {
            let mut s = format!("{}://{}", u.scheme(), u.host_str().unwrap_or_default());
            if let Some(p) = u.port() {
                s.push_str(&format!(":{p}"));
            }
            if u.path() != "/" || u.query().is_some() {
                s.push_str("/…");
            }
            s
        }
        Ok(u) => format!("{}:…", u.scheme()),
        Err(_) => {
            // `hooks.example.com/services/T/B/secret` without a scheme: keep
            // the host-like start only.
            match url.find('/') {
                Some(i) if url[i..].len() > 1 => format!("{}/…", &url[..i]),
                _ => url.to_string(),
            }
        }
    };
    let clean = for_terminal(&shown);
    if clean.chars().count() > SHOWN_MAX {
        let cut: String = clean.chars().take(SHOWN_MAX).collect();
        format!("{cut}…")
    } else {
        clean.into_owned()
    }
}

/// Checks a webhook URL: it must parse, be http or https, and name a host.
pub fn validate_url(url: &str) -> Result<url::Url, WebhookError> {
    let invalid = |reason: String| WebhookError::InvalidUrl {
        shown: redacted(url),
        reason,
    };
    let parsed = url::Url::parse(url.trim())
        .map_err(|e| invalid(format!("is not a URL ({e}); expected http:// or https://")))?;
    match parsed.scheme() {
        "http" | "https" => {}
        other => {
            return Err(invalid(format!(
                "has scheme `{}`: only http:// and https:// webhooks are supported",
                for_terminal(other)
            )));
        }
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("names no host".into()));
    }
    Ok(parsed)
}

impl Webhook {
    /// A webhook for `url` (checked with [`validate_url`]).
    pub fn new(url: &str) -> Result<Self, WebhookError> {
        let url = validate_url(url)?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| WebhookError::Transport(e.without_url().to_string()))?;
        Ok(Webhook {
            url,
            http,
            attempts: 4,
            backoff: Duration::from_millis(500),
            request_timeout: Duration::from_secs(15),
            budget: Duration::from_secs(60),
        })
    }

    async fn post_within(&self, text: &str, timeout: Duration) -> Result<(), WebhookError> {
        let resp = self
            .http
            .post(self.url.clone())
            .timeout(timeout)
            .json(&serde_json::json!({ "text": text }))
            .send()
            .await
            .map_err(|e| WebhookError::Transport(e.without_url().to_string()))?;
        let status = resp.status();
        if status.is_success() {
            Ok(())
        } else if status.is_redirection() {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|v| self.shown_location(&String::from_utf8_lossy(v.as_bytes())))
                .unwrap_or_else(|| "nowhere (no Location header)".to_string());
            Err(WebhookError::Redirect {
                status: status.as_u16(),
                location,
            })
        } else {
            Err(WebhookError::Status {
                status: status.as_u16(),
            })
        }
    }

    /// A redirect target as shown in messages: resolved against the webhook
    /// URL and [`redacted`] like it.
    fn shown_location(&self, location: &str) -> String {
        match self.url.join(location) {
            Ok(u) => redacted(u.as_str()),
            Err(_) => redacted(location),
        }
    }

    /// As [`Webhook::post`], giving up (with [`WebhookError::OutOfTime`]) at
    /// `deadline`, whatever the webhook does.
    async fn post_until(&self, text: &str, deadline: Instant) -> (u32, Result<(), WebhookError>) {
        let mut delay = self.backoff;
        let mut tries = 0;
        let out_of_time = WebhookError::OutOfTime {
            budget: self.budget,
        };
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return (tries, Err(out_of_time));
            }
            tries += 1;
            let result = match tokio::time::timeout(
                left,
                self.post_within(text, self.request_timeout.min(left)),
            )
            .await
            {
                Ok(r) => r,
                Err(_) => Err(WebhookError::OutOfTime {
                    budget: self.budget,
                }),
            };
            match result {
                Ok(()) => return (tries, Ok(())),
                Err(e) if e.retryable() && tries < self.attempts.max(1) => {
                    tracing::warn!(error = %e, tries, "webhook post failed; retrying");
                    if Instant::now() + delay >= deadline {
                        return (tries, Err(out_of_time));
                    }
                    tokio::time::sleep(delay).await;
                    delay = delay.saturating_mul(2);
                }
                Err(e) => return (tries, Err(e)),
            }
        }
    }

    /// Sends `items` oldest first within [`Webhook::budget`]; stops at the
    /// first message that fails after its retries (or when time runs out).
    /// Touches no database, so it can run in its own task.
    pub async fn deliver(&self, items: &[OutboxItem]) -> Vec<Outcome> {
        let deadline = Instant::now() + self.budget;
        let mut outcomes = Vec::new();
        for item in items {
            let (tries, result) = self.post_until(&item.text, deadline).await;
            match result {
                Ok(()) => outcomes.push(Outcome::Delivered { id: item.id }),
                Err(e) => {
                    outcomes.push(Outcome::Failed {
                        id: item.id,
                        tries,
                        error: e.to_string(),
                    });
                    break;
                }
            }
        }
        outcomes
    }

    /// Sends every pending message, oldest first, within the budget. A
    /// message that still fails after its retries stays in the outbox and
    /// stops the flush (the rest keep their order for the next round).
    pub async fn flush(&self, outbox: &Outbox<'_>) -> Result<FlushReport, StateError> {
        let items = outbox.pending()?;
        let outcomes = self.deliver(&items).await;
        record(outbox, &outcomes)
    }
}

/// Records a delivery round's outcomes in the outbox: delivered messages are
/// deleted, a failed one keeps its place with its tries and error.
pub fn record(outbox: &Outbox<'_>, outcomes: &[Outcome]) -> Result<FlushReport, StateError> {
    let mut report = FlushReport::default();
    for o in outcomes {
        match o {
            Outcome::Delivered { id } => {
                outbox.delivered(*id)?;
                report.delivered += 1;
            }
            Outcome::Failed { id, tries, error } => {
                outbox.failed(*id, *tries, error)?;
                report.last_error = Some(error.clone());
            }
        }
    }
    report.pending = outbox.len()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host() {
        for bad in [
            "not a url",
            "file:///etc/passwd",
            "ftp://hooks.example.com/x",
            "http://",
            "",
        ] {
            let e = validate_url(bad).unwrap_err().to_string();
            assert!(e.starts_with("webhook URL `"), "{bad}: {e}");
        }
        assert!(validate_url("https://hooks.example.com/services/T/B/x").is_ok());
        assert!(validate_url("http://127.0.0.1:8080/hook").is_ok());
    }

    #[test]
    fn messages_never_show_a_path_or_query() {
        assert_eq!(
            redacted("https://hooks.example.com/services/T0/B0/secret"),
            "https://hooks.example.com/…"
        );
        assert_eq!(redacted("http://127.0.0.1:9/"), "http://127.0.0.1:9");
        assert_eq!(redacted("file:///etc/passwd"), "file:…");
        assert_eq!(redacted("not a url"), "not a url");
        assert_eq!(
            redacted("hooks.example.com/T/B/secret"),
            "hooks.example.com/…"
        );
        assert_eq!(redacted("x\u{1b}]0;t\u{7}"), "x]0;t");
        assert!(redacted(&"a".repeat(10_000)).chars().count() <= SHOWN_MAX + 1);
        let e = validate_url("ftp://h.example/secret-token")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret-token"), "{e}");
    }
}
