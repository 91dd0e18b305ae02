//! Typed errors of the Zoom client. No variant ever carries a secret or token.

use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum ZoomError {
    /// Bad client configuration (URL refused, empty credentials, …).
    #[error("configuration: {0}")]
    Config(String),
    /// The token endpoint refused the credentials (HTTP 400/401 with
    /// `{reason, error}`), or a renewed token was refused again.
    #[error("authentication failed: {reason} ({error})")]
    Auth { error: String, reason: String },
    /// The token lacks a scope this endpoint needs (400 code 4711/4700, or 403).
    /// `scopes` lists the scopes that would authorise the call.
    #[error("missing scope for {endpoint}: needs one of {}", scopes.join(", "))]
    MissingScope {
        endpoint: String,
        scopes: Vec<String>,
    },
    /// A daily rate limit was reached; requests in that category may resume at `reset`.
    #[error("daily rate limit reached for {category} requests ({endpoint}); resumes at {}", reset.map(|r| r.to_rfc3339()).unwrap_or_else(|| "an unknown time".into()))]
    DailyLimit {
        endpoint: String,
        category: String,
        reset: Option<DateTime<Utc>>,
    },
    /// Any other Zoom API error with Zoom's code and message.
    #[error("Zoom API error on {endpoint}: HTTP {status}{} {message}", code.map(|c| format!(" code {c}:")).unwrap_or_default())]
    Api {
        endpoint: String,
        status: u16,
        code: Option<i64>,
        message: String,
    },
    /// 5xx after all retries.
    #[error("server error on {endpoint}: HTTP {status} after {attempts} attempts")]
    Server {
        endpoint: String,
        status: u16,
        attempts: u32,
    },
    /// Timeouts and dropped connections after all retries.
    #[error("network error on {endpoint} after {attempts} attempts: {message}")]
    Transport {
        endpoint: String,
        message: String,
        attempts: u32,
    },
    /// A response that is not the JSON the contract promises.
    #[error("malformed response from {endpoint}: {detail}")]
    Malformed { endpoint: String, detail: String },
    /// Paging went wrong (a repeated page token, an expired token twice, …).
    #[error("paging error on {endpoint}: {detail}")]
    Paging { endpoint: String, detail: String },
}

impl ZoomError {
    /// True when the error means "this part is unavailable to these
    /// credentials" (missing scope or plan), so callers skip it and say so.
    pub fn is_missing_scope(&self) -> bool {
        matches!(self, ZoomError::MissingScope { .. })
    }

    pub fn is_auth(&self) -> bool {
        matches!(self, ZoomError::Auth { .. })
    }

    /// True for a missing scope and for Zoom's plan/permission answers
    /// (400 or 403 with code 200, "Only available for Paid account.", "No
    /// permission."): the part is unavailable to this account, so callers
    /// keep earlier data and warn (as Cartography does) instead of failing.
    pub fn is_unavailable(&self) -> bool {
        match self {
            ZoomError::MissingScope { .. } => true,
            ZoomError::Api { status, code, .. } => {
                *status == 403 || (*status == 400 && *code == Some(200))
            }
            _ => false,
        }
    }

    /// Zoom's own words when the error means "this part is not available to
    /// this account or app" (plan, permission, or the API disabled): 400
    /// with code 200 ("No permission.", "Only available for Paid account.")
    /// or a 403 that is not a missing-scope answer. `None` for everything
    /// else, a missing scope included (that one names its scopes instead).
    /// A blank message is replaced by the status, so there is always a reason.
    pub fn unavailable_message(&self) -> Option<String> {
        match self {
            ZoomError::Api {
                status,
                code,
                message,
                ..
            } if *status == 403 || (*status == 400 && *code == Some(200)) => {
                let m = message.trim();
                Some(if m.is_empty() {
                    format!(
                        "Zoom answered HTTP {status}{}",
                        code.map(|c| format!(" code {c}")).unwrap_or_default()
                    )
                } else {
                    m.to_string()
                })
            }
            _ => None,
        }
    }

    /// True when the thing asked for does not exist (any more): user 404
    /// code 1001, group 404 code 4130, role 400 code 1034, account 404 code
    /// 2001. During a sync this means "deleted meanwhile", not a failure.
    pub fn is_not_found(&self) -> bool {
        match self {
            ZoomError::Api { status, code, .. } => {
                *status == 404 || matches!(code, Some(1001 | 4130 | 1034 | 2001))
            }
            _ => false,
        }
    }

    /// True for a daily rate limit (the category resumes at `reset`).
    pub fn is_daily_limit(&self) -> bool {
        matches!(self, ZoomError::DailyLimit { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: Option<i64>) -> ZoomError {
        ZoomError::Api {
            endpoint: "GET /x".into(),
            status,
            code,
            message: "m".into(),
        }
    }

    #[test]
    fn classification_helpers() {
        assert!(api(400, Some(200)).is_unavailable());
        assert!(api(403, None).is_unavailable());
        assert!(!api(400, Some(300)).is_unavailable());
        assert!(api(404, Some(1001)).is_not_found());
        assert!(api(400, Some(1034)).is_not_found());
        assert!(!api(400, Some(300)).is_not_found());
        assert_eq!(
            api(400, Some(200)).unavailable_message().as_deref(),
            Some("m")
        );
        assert_eq!(api(403, None).unavailable_message().as_deref(), Some("m"));
        assert_eq!(api(400, Some(300)).unavailable_message(), None);
        assert_eq!(api(404, None).unavailable_message(), None);
        let m = ZoomError::MissingScope {
            endpoint: "GET /groups".into(),
            scopes: vec!["group:read:admin".into()],
        };
        assert!(m.is_missing_scope() && m.is_unavailable());
        assert_eq!(m.unavailable_message(), None);
        assert_eq!(
            m.to_string(),
            "missing scope for GET /groups: needs one of group:read:admin"
        );
    }
}
