//! The one place secrets are masked, with one mask ([`MASK`]) and one list
//! of secret keys ([`SECRET_KEYS`]):
//!
//! - [`Redactor`] scrubs known secret *values* (the client secret, issued
//!   tokens) from text that reaches errors and logs. The client never
//!   formats a secret itself, but servers echo things back (a proxy's error
//!   page quoting the Authorization header, say); every server-provided
//!   string passes through it before it lands in a `ZoomError`.
//! - [`redact_json`] and [`redact_text`] mask secret *keys* (passcodes, host
//!   keys, `pwd=` URL parameters) in Zoom's JSON bodies. Sync's converter
//!   runs them on every body before it becomes an entity property or raw
//!   JSON, so the graph and the store only ever hold masked values and do
//!   not redact again.

use std::sync::RwLock;

use serde_json::Value;

/// How many issued access tokens are remembered for scrubbing; older ones
/// have long expired (one lives an hour) and are no use to anyone.
const TOKENS_KEPT: usize = 16;

#[derive(Debug, Default)]
pub struct Redactor {
    fixed: Vec<String>,
    tokens: RwLock<Vec<String>>,
}

/// What a redacted value is replaced with, everywhere.
pub const MASK: &str = "[REDACTED]";

/// Longest server text carried into an error.
const MAX_MESSAGE_CHARS: usize = 300;

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

/// Keys that always hold a secret when their value is a string or number.
const SECRET_KEYS: &[&str] = &[
    "pmi_password",
    "password_for_pmi",
    "default_password_for_scheduled_meetings",
    "host_key",
    "encrypted_password",
    "h323_password",
    "password",
    "start_url",
    "zak",
    "token",
    "access_token",
    "client_secret",
];

/// Redacts secrets in place, recursively.
///
/// A string or number is replaced by [`MASK`] when its key is one of
/// [`SECRET_KEYS`] or contains `password`/`passcode`/`secret` — unless the
/// key names a passcode *policy* rather than a passcode (`require_…`,
/// `…_requirement…`, `have_…`, `…_length`, `…_protected`, …): those values
/// (`require_password_for_pmi_meetings: "all"`, `minimum_password_length: 8`)
/// are what CIS checks read, and hold no secret. Booleans, nulls, objects and
/// arrays are never replaced (their contents are visited). Any string holding
/// a `pwd=` URL parameter (the join passcode in `personal_meeting_url`) has
/// that parameter's value redacted.
pub fn redact_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                let secret = is_secret_key(k);
                match child {
                    Value::String(_) | Value::Number(_) if secret => {
                        *child = Value::String(MASK.to_string());
                    }
                    _ => redact_json(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(s) => {
            if let Some(clean) = redact_url_pwd(s) {
                *s = clean;
            }
        }
        _ => {}
    }
}

/// The redacted text of a JSON value given as text. Most objects (a listed
/// user) hold nothing [`redact_json`] would change: when the text cannot hold a
/// secret key or a `pwd=` parameter, it is returned as it is, without
/// building a tree. The test is conservative: any mention of a secret
/// word, in any case, or any `\u` escape (which could spell a key in
/// disguise) takes the full path.
pub fn redact_text(text: &str) -> String {
    if !may_need_redaction(text) {
        return text.to_string();
    }
    match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            redact_json(&mut v);
            v.to_string()
        }
        // Not JSON: nothing to walk, so nothing of it is kept.
        Err(_) => Value::String(MASK.to_string()).to_string(),
    }
}

/// Words whose presence (case-insensitive) sends text through [`redact_json`]:
/// every secret key, the words a secret key may contain, and `pwd=`.
fn redaction_needles() -> impl Iterator<Item = &'static str> {
    SECRET_KEYS
        .iter()
        .copied()
        .chain(SECRET_WORDS)
        .chain(["pwd="])
}

fn may_need_redaction(text: &str) -> bool {
    if text.contains("\\u") {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    redaction_needles().any(|n| lower.contains(n))
}

/// Words that make any key holding them secret (unless a policy key).
const SECRET_WORDS: [&str; 3] = ["password", "passcode", "secret"];

fn is_secret_key(key: &str) -> bool {
    // Called for every key of every user's raw object: lower-case a copy
    // only when there is something to lower.
    let k: std::borrow::Cow<str> = if key.bytes().any(|b| b.is_ascii_uppercase()) {
        key.to_ascii_lowercase().into()
    } else {
        key.into()
    };
    let k = k.as_ref();
    if SECRET_KEYS.contains(&k) {
        return true;
    }
    let mentions_secret = SECRET_WORDS.iter().any(|w| k.contains(w));
    mentions_secret && !is_policy_key(k)
}

/// Keys that describe a passcode rule, not a passcode.
fn is_policy_key(k: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "require", "required", "force_", "embed_", "have_", "allow_", "enable", "only_",
    ];
    const INFIXES: &[&str] = &["requirement", "_length", "_protected", "_type", "_expir"];
    PREFIXES.iter().any(|p| k.starts_with(p)) || INFIXES.iter().any(|i| k.contains(i))
}

/// Replaces the value of every `pwd=` query parameter in a string.
fn redact_url_pwd(s: &str) -> Option<String> {
    if !s.contains("pwd=") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("pwd=") {
        // Only a parameter: preceded by `?`, `&` or at the start.
        let at_param = i == 0 || matches!(rest[..i].chars().next_back(), Some('?' | '&' | ';'));
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        if at_param {
            let end = rest.find(['&', '#', ' ', '"']).unwrap_or(rest.len());
            out.push_str(MASK);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn text_without_secrets_is_kept_as_sent_and_text_with_them_is_redacted() {
        let plain = r#"{"id":"u1","email":"a@x.io","group_ids":["g1"]}"#;
        assert_eq!(redact_text(plain), plain);
        for (text, secret) in [
            (r#"{"id":"u1","host_key":"123456"}"#, "123456"),
            (r#"{"id":"u1","Pmi_Password":"pw-77"}"#, "pw-77"),
            (r#"{"u":"https://z.us/j/1?pwd=abc123"}"#, "abc123"),
            (r#"{"nested":{"x":[{"meeting_passcode":"987"}]}}"#, "987"),
            // An escaped key spells `password` without the word appearing.
            (r#"{"pass\u0077ord":"hidden-1"}"#, "hidden-1"),
        ] {
            let out = redact_text(text);
            assert!(!out.contains(secret), "{text} -> {out}");
            assert!(out.contains(MASK), "{text} -> {out}");
        }
    }

    #[test]
    fn redacting_text_agrees_with_redacting_a_tree() {
        let text = r#"{"id":"u1","password":"p","require_password_for_pmi_meetings":"all","personal_meeting_url":"https://z/j/1?pwd=x&a=1"}"#;
        let mut tree: Value = serde_json::from_str(text).unwrap();
        redact_json(&mut tree);
        let from_text: Value = serde_json::from_str(&redact_text(text)).unwrap();
        assert_eq!(from_text, tree);
    }

    #[test]
    fn redacts_secrets_but_keeps_policies_and_booleans() {
        let mut v = json!({
            "schedule_meeting": {
                "pmi_password": "792824",
                "default_password_for_scheduled_meetings": 123456,
                "require_password_for_pmi_meetings": "all",
                "require_password_for_instant_meetings": true,
                "meeting_password_requirement": {"length": 8, "have_letter": true},
                "pstn_password_protected": true,
            },
            "meeting_security": {"pmi_password": true, "password_for_pmi": "792824",
                "meeting_password": true, "webinar_password": false},
            "security": {"password_requirement": {"minimum_password_length": 10}},
            "host_key": "112233",
            "items": [{"password": "p@ss"}, {"h323_password": 5}],
            "personal_meeting_url": "https://us06web.zoom.us/j/4440405982?pwd=c0JidmlZRzA3dEZ&x=1",
            "start_url": "https://zoom.us/s/1?zak=eyJabc",
            "encrypted_password": "abcd",
        });
        redact_json(&mut v);
        assert_eq!(v["schedule_meeting"]["pmi_password"], MASK);
        assert_eq!(
            v["schedule_meeting"]["default_password_for_scheduled_meetings"],
            MASK
        );
        assert_eq!(
            v["schedule_meeting"]["require_password_for_pmi_meetings"],
            "all"
        );
        assert_eq!(
            v["schedule_meeting"]["require_password_for_instant_meetings"],
            true
        );
        assert_eq!(
            v["schedule_meeting"]["meeting_password_requirement"]["length"],
            8
        );
        assert_eq!(v["schedule_meeting"]["pstn_password_protected"], true);
        assert_eq!(v["meeting_security"]["pmi_password"], true);
        assert_eq!(v["meeting_security"]["password_for_pmi"], MASK);
        assert_eq!(v["meeting_security"]["meeting_password"], true);
        assert_eq!(
            v["security"]["password_requirement"]["minimum_password_length"],
            10
        );
        assert_eq!(v["host_key"], MASK);
        assert_eq!(v["items"][0]["password"], MASK);
        assert_eq!(v["items"][1]["h323_password"], MASK);
        assert_eq!(
            v["personal_meeting_url"],
            "https://us06web.zoom.us/j/4440405982?pwd=[REDACTED]&x=1"
        );
        assert_eq!(v["start_url"], MASK);
        assert_eq!(v["encrypted_password"], MASK);
        // not a parameter: left alone
        let mut s = json!({"note": "the word pwd=abc inside text"});
        redact_json(&mut s);
        assert_eq!(s["note"], "the word pwd=abc inside text");
    }
}
