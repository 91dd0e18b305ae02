//! Reading Zoom's error answers: the REST `{code, message}` shape, the token
//! endpoint's `{reason, error}` shape, and the scope list inside a 4711
//! message. Bodies may be HTML or empty; every reader tolerates that.

use serde_json::Value;

use super::lenient;

/// What an error body said, as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorBody {
    pub code: Option<i64>,
    pub message: Option<String>,
    /// Token endpoint: `error` (e.g. `invalid_client`).
    pub error: Option<String>,
    /// Token endpoint: `reason`.
    pub reason: Option<String>,
    /// True when the body was not a JSON object (HTML page, empty, …).
    pub not_json: bool,
}

impl ErrorBody {
    pub fn parse(body: &[u8]) -> ErrorBody {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => ErrorBody {
                code: lenient::int(&o, "code"),
                message: lenient::string(&o, "message").filter(|m| !m.trim().is_empty()),
                error: lenient::string(&o, "error").filter(|m| !m.trim().is_empty()),
                reason: lenient::string(&o, "reason").filter(|m| !m.trim().is_empty()),
                not_json: false,
            },
            _ => ErrorBody {
                not_json: true,
                ..ErrorBody::default()
            },
        }
    }
}

/// Does this answer mean "the token lacks a scope"? Zoom answers 400 with
/// code 4711 (current), 4700 (older wording) or 104, and sometimes 403 with
/// those codes. A 403 without one is a plan or permission answer ("No
/// permission.", "Access to the Zoom REST API has been denied for this
/// account."), kept as an API error so sync skips the part with Zoom's
/// message instead of naming scopes the token may well hold
/// (<https://developers.zoom.us/docs/api/rest/error-definitions/>).
pub fn is_missing_scope(status: u16, code: Option<i64>) -> bool {
    matches!(status, 400 | 403) && matches!(code, Some(4711 | 4700 | 104))
}

fn looks_like_scope(s: &str) -> bool {
    !s.is_empty()
        && s.contains(':')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_' || c == '-')
}

/// The scopes a 4711/4700 message names, e.g.
/// `Invalid access token, does not contain scopes:[a:b:admin, a:b].` or
/// `Invalid access token, does not contain role:read:admin scope.`
pub fn scopes_in_message(message: &str) -> Option<Vec<String>> {
    if let Some(start) = message.find('[') {
        let rest = message.get(start + 1..)?;
        let end = rest.find(']')?;
        let list: Vec<String> = rest
            .get(..end)?
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| looks_like_scope(s))
            .map(str::to_string)
            .collect();
        return (!list.is_empty()).then_some(list);
    }
    let marker = "does not contain ";
    let at = message.find(marker)?;
    let rest = message.get(at + marker.len()..)?;
    let word = rest.split_whitespace().next()?;
    let word = word.trim_end_matches(['.', ',']);
    looks_like_scope(word).then(|| vec![word.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rest_and_token_shapes() {
        let b = ErrorBody::parse(br#"{"code":1001,"message":"User does not exist: x."}"#);
        assert_eq!(b.code, Some(1001));
        assert_eq!(b.message.as_deref(), Some("User does not exist: x."));
        let b = ErrorBody::parse(
            br#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
        );
        assert_eq!(b.error.as_deref(), Some("invalid_client"));
        let b = ErrorBody::parse(br#"{"code":"124","message":""}"#);
        assert_eq!(b.code, Some(124));
        assert_eq!(b.message, None);
    }

    #[test]
    fn tolerates_html_and_empty_bodies() {
        for body in [
            &b"<html><body>429 Too Many Requests</body></html>"[..],
            b"",
            b"[1,2]",
            b"null",
        ] {
            let b = ErrorBody::parse(body);
            assert!(b.not_json);
            assert_eq!(b.code, None);
        }
    }

    #[test]
    fn missing_scope_answers() {
        assert!(is_missing_scope(400, Some(4711)));
        assert!(is_missing_scope(400, Some(4700)));
        assert!(is_missing_scope(400, Some(104)));
        assert!(is_missing_scope(403, Some(4711)));
        assert!(!is_missing_scope(403, None));
        assert!(!is_missing_scope(403, Some(200)));
        assert!(!is_missing_scope(400, Some(300)));
        assert!(!is_missing_scope(404, Some(1001)));
        assert!(!is_missing_scope(400, None));
    }

    #[test]
    fn scope_lists_from_messages() {
        assert_eq!(
            scopes_in_message(
                "Invalid access token, does not contain scopes:[contact:read:list_contacts, contact:read:list_contacts:admin]."
            ),
            Some(vec![
                "contact:read:list_contacts".to_string(),
                "contact:read:list_contacts:admin".to_string()
            ])
        );
        assert_eq!(
            scopes_in_message("Invalid access token, does not contain role:read:admin scope."),
            Some(vec!["role:read:admin".to_string()])
        );
        assert_eq!(scopes_in_message("No permission."), None);
        assert_eq!(scopes_in_message("scopes:[]"), None);
        assert_eq!(scopes_in_message("scopes:[<script>]"), None);
        assert_eq!(scopes_in_message("unterminated [a:b"), None);
    }
}
