//! Scrubbing of secrets from text that reaches errors and logs. The client
//! never formats a secret itself, but servers echo things back (a proxy's
//! error page quoting the Authorization header, say); every server-provided
//! string passes through here before it lands in a `ZoomError`.

use std::sync::RwLock;

/// How many issued access tokens are remembered for scrubbing; older ones
/// have long expired (one lives an hour) and are no use to anyone.
const TOKENS_KEPT: usize = 16;

#[derive(Debug, Default)]
pub struct Redactor {
    fixed: Vec<String>,
    tokens: RwLock<Vec<String>>,
}

pub const MASK: &str = "[REDACTED]";

/// Longest server text carried into an error.
pub const MAX_MESSAGE_CHARS: usize = 300;

impl Redactor {
    /// `fixed` are the values to scrub for the client's whole life (the
    /// client secret, the Basic credential); empty strings are ignored.
    pub fn new(fixed: Vec<String>) -> Self {
        Redactor {
            fixed: fixed.into_iter().filter(|s| s.len() >= 4).collect(),
            tokens: RwLock::new(Vec::new()),
        }
    }

    /// Remember a newly issued access token.
    pub fn add_token(&self, token: &str) {
        if token.len() < 4 {
            return;
        }
        let mut t = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        if t.len() >= TOKENS_KEPT {
            t.remove(0);
        }
        t.push(token.to_string());
    }

    /// `text` with every known secret replaced by [`MASK`], control
    /// characters removed and the length bounded.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.fixed {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        {
            let t = self.tokens.read().unwrap_or_else(|e| e.into_inner());
            for s in t.iter() {
                if out.contains(s.as_str()) {
                    out = out.replace(s.as_str(), MASK);
                }
            }
        }
        let cleaned: String = out
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let trimmed = cleaned.trim();
        if trimmed.chars().count() > MAX_MESSAGE_CHARS {
            let mut s: String = trimmed.chars().take(MAX_MESSAGE_CHARS).collect();
            s.push('…');
            s
        } else {
            trimmed.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_secret_tokens_and_control_chars() {
        let r = Redactor::new(vec!["s3cr3t-value".into(), "".into()]);
        r.add_token("tok-abc-123");
        let s = r.scrub("bad secret s3cr3t-value and Bearer tok-abc-123\n\x1b[31m");
        assert!(!s.contains("s3cr3t-value"));
        assert!(!s.contains("tok-abc-123"));
        assert!(!s.contains('\x1b'));
        assert!(s.contains(MASK));
    }

    #[test]
    fn bounds_length() {
        let r = Redactor::new(vec![]);
        let s = r.scrub(&"x".repeat(10_000));
        assert!(s.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn keeps_recent_tokens_only() {
        let r = Redactor::new(vec![]);
        for i in 0..40 {
            r.add_token(&format!("token-{i:03}"));
        }
        assert!(r.scrub("token-039").contains(MASK));
        assert!(!r.scrub("token-000").contains(MASK));
    }
}
