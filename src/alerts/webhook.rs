//! Posting messages to a Slack-compatible webhook (`{"text": "..."}`), with
//! retries and backoff, draining the persistent [`Outbox`].
//!
//! Webhook URLs carry their own secret (Slack's do), so errors never include
//! the URL.

use std::time::Duration;

use super::outbox::Outbox;
use super::state::StateError;

/// Where and how to post.
#[derive(Debug, Clone)]
pub struct Webhook {
    url: String,
    http: reqwest::Client,
    /// Attempts per message per round (at least 1).
    pub attempts: u32,
    /// The first retry's delay; doubled each retry.
    pub backoff: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("the webhook answered HTTP {status}")]
    Status { status: u16 },
    #[error("the webhook could not be reached: {0}")]
    Transport(String),
}

impl WebhookError {
    /// 4xx other than 408/429 will not get better by retrying now.
    fn retryable(&self) -> bool {
        match self {
            WebhookError::Status { status } => *status >= 500 || *status == 429 || *status == 408,
            WebhookError::Transport(_) => true,
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

impl Webhook {
    pub fn new(url: &str) -> Result<Self, WebhookError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| WebhookError::Transport(e.without_url().to_string()))?;
        Ok(Webhook {
            url: url.to_string(),
            http,
            attempts: 4,
            backoff: Duration::from_millis(500),
        })
    }

    /// One POST of `{"text": text}`.
    pub async fn post_once(&self, text: &str) -> Result<(), WebhookError> {
        let resp = self
            .http
            .post(&self.url)
            .json(&serde_json::json!({ "text": text }))
            .send()
            .await
            .map_err(|e| WebhookError::Transport(e.without_url().to_string()))?;
        let status = resp.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(WebhookError::Status {
                status: status.as_u16(),
            })
        }
    }

    /// Posts with up to `attempts` tries and exponential backoff. Returns the
    /// number of tries made and the result.
    pub async fn post(&self, text: &str) -> (u32, Result<(), WebhookError>) {
        let mut delay = self.backoff;
        let mut tries = 0;
        loop {
            tries += 1;
            match self.post_once(text).await {
                Ok(()) => return (tries, Ok(())),
                Err(e) if e.retryable() && tries < self.attempts.max(1) => {
                    tracing::warn!(error = %e, tries, "webhook post failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = delay.saturating_mul(2);
                }
                Err(e) => return (tries, Err(e)),
            }
        }
    }

    /// Sends every pending message, oldest first. A message that still fails
    /// after its retries stays in the outbox and stops the flush (the rest
    /// keep their order for the next round).
    pub async fn flush(&self, outbox: &Outbox<'_>) -> Result<FlushReport, StateError> {
        let mut report = FlushReport::default();
        let items = outbox.pending()?;
        let total = items.len();
        for item in items {
            let (tries, result) = self.post(&item.text).await;
            match result {
                Ok(()) => {
                    outbox.delivered(item.id)?;
                    report.delivered += 1;
                }
                Err(e) => {
                    let msg = e.to_string();
                    outbox.failed(item.id, tries, &msg)?;
                    report.last_error = Some(msg);
                    break;
                }
            }
        }
        report.pending = total - report.delivered;
        Ok(report)
    }
}
