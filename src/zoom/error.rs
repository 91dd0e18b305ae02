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
    /// Any other Zoom API error with Zoom's code and message, and Zoom's
    /// `x-zm-trackingid` (Zoom support asks for it) when the answer had one.
    #[error("Zoom API error on {endpoint}: HTTP {status}{} {message}{}", code.map(|c| format!(" code {c}:")).unwrap_or_default(), tracking_suffix(tracking_id))]
    Api {
        endpoint: String,
        status: u16,
        code: Option<i64>,
        message: String,
        tracking_id: Option<String>,
    },
    /// 5xx after all retries.
    #[error(
        "server error on {endpoint}: HTTP {status} after {attempts} attempts{}",
        tracking_suffix(tracking_id)
    )]
    Server {
        endpoint: String,
        status: u16,
        attempts: u32,
        tracking_id: Option<String>,
    },
    /// The token endpoint could not be reached at all (connection refused,
    /// DNS or TLS failure). Final for the client: every later request fails
    /// at once with this error instead of retrying an address that is not
    /// there.
    #[error("cannot reach the token endpoint {url}: {message}")]
    Unreachable { url: String, message: String },
    /// The API kept refusing freshly issued tokens (401 / code 124) although
    /// the token endpoint accepted the credentials: not a credentials
    /// problem (the app may be deactivated, or the account's API access
    /// disabled).
    #[error("the API refused {attempts} freshly issued access tokens on {endpoint}: {message}")]
    TokenRejected {
        endpoint: String,
        message: String,
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

/// " (tracking id X)" when there is one.
fn tracking_suffix(id: &Option<String>) -> String {
    id.as_deref()
        .map(|t| format!(" (Zoom tracking id {t})"))
        .unwrap_or_default()
}

impl ZoomError {
    /// True when the token endpoint was unreachable (see [`ZoomError::Unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ZoomError::Unreachable { .. })
    }

    /// Zoom's `x-zm-trackingid` of the answer behind this error, if any.
    pub fn tracking_id(&self) -> Option<&str> {
        match self {
            ZoomError::Api { tracking_id, .. } | ZoomError::Server { tracking_id, .. } => {
                tracking_id.as_deref()
            }
            _ => None,
        }
    }

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
            tracking_id: None,
        }
    }

    #[test]
    fn classification_helpers() {
        assert!(api(400, Some(200)).is_unavailable());
        let tracked = ZoomError::Api {
            endpoint: "GET /x".into(),
            status: 400,
            code: Some(200),
            message: "No permission.".into(),
            tracking_id: Some("v=2.0;clid=us06;rid=1".into()),
        };
        assert_eq!(
            tracked.to_string(),
            "Zoom API error on GET /x: HTTP 400 code 200: No permission. (Zoom tracking id v=2.0;clid=us06;rid=1)"
        );
        assert_eq!(tracked.tracking_id(), Some("v=2.0;clid=us06;rid=1"));
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
