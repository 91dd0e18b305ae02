//! Zoom settings bodies → entity properties.
//!
//! User settings are flattened onto `zoom_user` with the property names of
//! JupiterOne's Zoom integration (<https://github.com/JupiterOne/graph-zoom>)
//! so that JupiterOne queries read the same here, including its quirks
//! (`inMeetingFeedbacl`, `scheduleMeetingRequirePasswordForScheduledmeetings`,
//! `recordingRequirePasswordForSharedCloudRecordings`). Every other key the
//! API returns gets a name by the same rule JupiterOne uses: the section
//! prefix plus the camel-cased path (`in_meeting.meeting_polling.enable` →
//! `inMeetingMeetingPollingEnable`). Where a JupiterOne name differs from
//! the rule's name, both are produced, so a query written either way works.
//! Arrays are kept as arrays; empty objects produce nothing.
//!
//! Every body is redacted ([`redact_json`]) before it is flattened or kept
//! as raw JSON, so passcodes never reach the graph, the store or a screen.

use serde_json::Value;

use crate::zoom::models::Settings;
use crate::zoom::redact::redact_json;

/// The four `GET /users/{id}/settings` bodies of one user: the main body
/// and the `meeting_authentication`, `recording_authentication` and
/// `meeting_security` options. An option the account does not support is
/// `None`.
#[derive(Debug, Clone, Default)]
pub struct UserSettingsBundle {
    pub main: Option<Settings>,
    pub meeting_authentication: Option<Settings>,
    pub recording_authentication: Option<Settings>,
    pub meeting_security: Option<Settings>,
}

/// Converts `snake_case` words to `CamelCase` (each word's first letter
/// upper-cased, the rest kept), the way JupiterOne names settings.
fn camel_upper(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    for word in snake.split(['_', '-', ' ', '.']).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// `snake_case` → `camelCase` (first letter lower-cased).
pub fn camel_lower(snake: &str) -> String {
    let upper = camel_upper(snake);
    let mut chars = upper.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins a prefix and a camel-cased path: `("inMeeting", "e2e_encryption")`
/// → `inMeetingE2eEncryption`; an empty prefix gives `camelCase`.
fn join_name(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        camel_lower(key)
    } else {
        let mut s = String::with_capacity(prefix.len() + key.len());
        s.push_str(prefix);
        s.push_str(&camel_upper(key));
        s
    }
}

/// Flattens an object: every non-object leaf becomes `prefix + CamelPath`.
/// Arrays are leaves (kept whole). Empty objects produce nothing.
/// `path` is the dotted JSON path of `value` (for [`JUPITERONE_QUIRKS`]).
fn flatten_into(prefix: &str, path: &str, value: &Value, out: &mut Vec<Flat>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let name = join_name(prefix, k);
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten_into(&name, &p, v, out);
            }
        }
        leaf => out.push(Flat {
            name: prefix.to_string(),
            path: path.to_string(),
            value: leaf.clone(),
        }),
    }
}

struct Flat {
    name: String,
    path: String,
    value: Value,
}

/// Flattens a settings body whose top-level keys are sections
/// (`schedule_meeting`, `in_meeting`, …), each section's name being the
/// prefix: `{"in_meeting": {"chat": true}}` → `inMeetingChat`. With a
/// non-empty `prefix`, that comes first (`lockSettings` →
/// `lockSettingsInMeetingChat`). The body is redacted first.
pub fn flatten_sections(body: &Value, prefix: &str) -> Vec<(String, Value)> {
    let mut body = body.clone();
    redact_json(&mut body);
    let mut flat = Vec::new();
    if body.is_object() {
        flatten_into(prefix, "", &body, &mut flat);
    }
    finish(flat, &[])
}

/// Sorts by name and keeps the first value for a name produced twice.
/// `quirks` adds an extra name for a path (JupiterOne's odd names).
fn finish(flat: Vec<Flat>, quirks: &[(&str, &str)]) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(flat.len() + 4);
    for f in flat {
        if let Some((quirk_name, _)) = quirks.iter().find(|(_, p)| *p == f.path) {
            out.push((quirk_name.to_string(), f.value.clone()));
        }
        out.push((f.name, f.value));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|later, first| later.0 == first.0);
    out
}

/// Flattens the four user-settings bodies onto `zoom_user` property names:
/// JupiterOne's names (with JupiterOne's quirks) plus every newer key by the
/// same rule. Each body is redacted before flattening.
///
/// - main settings: sections → `scheduleMeeting…`, `inMeeting…`, …
/// - `meeting_authentication`: `meetingAuthentication` plus
///   `meetingAuthentication<Key>` for the body's other keys
/// - `recording_authentication`: likewise
/// - `meeting_security` (wrapped as `{"meeting_security": {…}}`) →
///   `meetingSecurity…`; an unwrapped body is treated the same.
pub fn flatten_user_settings(b: &UserSettingsBundle) -> Vec<(String, Value)> {
    let mut flat = Vec::new();
    if let Some(main) = &b.main {
        let mut body = main.raw.clone();
        redact_json(&mut body);
        if body.is_object() {
            flatten_into("", "", &body, &mut flat);
        }
    }
    for (settings, section) in [
        (&b.meeting_authentication, "meeting_authentication"),
        (&b.recording_authentication, "recording_authentication"),
        (&b.meeting_security, "meeting_security"),
    ] {
        let Some(s) = settings else { continue };
        let mut body = s.raw.clone();
        redact_json(&mut body);
        let Value::Object(map) = body else { continue };
        let prefix = camel_lower(section);
        for (k, v) in &map {
            if k == section {
                // `{"meeting_authentication": false}` → `meetingAuthentication`;
                // `{"meeting_security": {…}}` → `meetingSecurity…`.
                flatten_into(&prefix, section, v, &mut flat);
            } else {
                let name = join_name(&prefix, k);
                flatten_into(&name, &format!("{section}.{k}"), v, &mut flat);
            }
        }
    }
    finish(flat, JUPITERONE_QUIRKS)
}

/// The JupiterOne names that the naming rule does not produce, with their
/// JSON paths. Each is produced *in addition to* the rule's name.
pub const JUPITERONE_QUIRKS: &[(&str, &str)] = &[
    // typo in JupiterOne's name
    ("inMeetingFeedbacl", "in_meeting.feedback"),
    // lower-case `m`; Zoom does not return this key for users, so usually absent
    (
        "scheduleMeetingRequirePasswordForScheduledmeetings",
        "schedule_meeting.require_password_for_scheduled_meetings",
    ),
    // `Require` for the path's `required`
    (
        "recordingRequirePasswordForSharedCloudRecordings",
        "recording.required_password_for_shared_cloud_recordings",
    ),
];

/// The four bodies as one redacted JSON object (for the raw-JSON view):
/// `{"settings": …, "meeting_authentication": …, …}`; absent bodies omitted.
pub fn bundle_raw(b: &UserSettingsBundle) -> Value {
    let mut m = serde_json::Map::new();
    for (name, s) in [
        ("settings", &b.main),
        ("meeting_authentication", &b.meeting_authentication),
        ("recording_authentication", &b.recording_authentication),
        ("meeting_security", &b.meeting_security),
    ] {
        if let Some(s) = s {
            let mut v = s.raw.clone();
            redact_json(&mut v);
            m.insert(name.to_string(), v);
        }
    }
    Value::Object(m)
}

/// One user's settings fetched on demand (the TUI's detail view): the
/// flattened, redacted properties and the redacted bodies as JSON text,
/// `{"main": …, "meeting_authentication": …, …}` (absent bodies `null`).
pub fn lazy_user_settings(b: &UserSettingsBundle) -> (Vec<(String, Value)>, String) {
    let body = |s: &Option<Settings>| s.as_ref().map(|s| s.raw.clone());
    let mut raw = serde_json::json!({
        "main": body(&b.main),
        "meeting_authentication": body(&b.meeting_authentication),
        "recording_authentication": body(&b.recording_authentication),
        "meeting_security": body(&b.meeting_security),
    });
    redact_json(&mut raw);
    (flatten_user_settings(b), raw.to_string())
}

/// [`lazy_user_settings`] plus what the explorer fetches beside the
/// settings: `loginTypes` (names) and `permissions`, in the properties and
/// as `login_types` / `permissions` in the raw JSON (left out when not read).
pub fn lazy_user_data(
    d: &crate::sync::user_settings::LazyUserData,
) -> (Vec<(String, Value)>, String) {
    let (mut props, raw) = lazy_user_settings(&d.bodies);
    let mut raw: Value =
        serde_json::from_str(&raw).unwrap_or_else(|_| Value::Object(Default::default()));
    if let Some(codes) = &d.login_types {
        props.push((
            "loginTypes".into(),
            super::login_types::login_types_value(codes),
        ));
        raw["login_types"] = Value::from(codes.clone());
    }
    if let Some(p) = &d.permissions {
        props.push((
            "permissions".into(),
            Value::Array(p.iter().map(|s| Value::from(s.as_str())).collect()),
        ));
        raw["permissions"] = Value::from(p.clone());
    }
    props.sort_by(|a, b| a.0.cmp(&b.0));
    (props, raw.to_string())
}

#[cfg(test)]
mod appendix_a;

#[cfg(test)]
mod tests {
    use super::appendix_a::APPENDIX_A;
    use super::*;
    use crate::zoom::redact::MASK;
    use serde_json::json;
    use std::path::PathBuf;

    fn body(v: Value) -> Option<Settings> {
        Some(Settings { raw: v })
    }

    fn get<'a>(flat: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
        flat.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    #[test]
    fn camel_case_follows_jupiterone() {
        assert_eq!(camel_upper("e2e_encryption"), "E2eEncryption");
        assert_eq!(
            camel_upper("show_a_join_from_your_browser_link"),
            "ShowAJoinFromYourBrowserLink"
        );
        assert_eq!(camel_lower("schedule_meeting"), "scheduleMeeting");
        assert_eq!(camel_lower(""), "");
        assert_eq!(join_name("inMeeting", "co_host"), "inMeetingCoHost");
    }

    /// A bundle holding every path of [`APPENDIX_A`] (value: the path itself).
    fn appendix_bundle() -> UserSettingsBundle {
        let mut main = json!({});
        let mut auth = json!({});
        let mut rec = json!({});
        let mut sec = json!({});
        for (_, path) in APPENDIX_A {
            let (target, path) = match path.split_once('.') {
                Some(("meeting_security", _)) => (&mut sec, *path),
                Some(_) => (&mut main, *path),
                None if *path == "meeting_authentication" => (&mut auth, *path),
                None => (&mut rec, *path),
            };
            let mut cur = target;
            let segs: Vec<&str> = path.split('.').collect();
            for (i, seg) in segs.iter().enumerate() {
                let m = cur.as_object_mut().unwrap();
                if i + 1 == segs.len() {
                    m.insert(seg.to_string(), json!(format!("v:{path}")));
                    break;
                }
                cur = m.entry(seg.to_string()).or_insert_with(|| json!({}));
            }
        }
        UserSettingsBundle {
            main: body(main),
            meeting_authentication: body(auth),
            recording_authentication: body(rec),
            meeting_security: body(sec),
        }
    }

    #[test]
    fn every_appendix_a_name_is_produced_with_its_value() {
        assert_eq!(APPENDIX_A.len(), 163);
        let flat = flatten_user_settings(&appendix_bundle());
        for (name, path) in APPENDIX_A {
            let v = get(&flat, name).unwrap_or_else(|| panic!("{name} missing"));
            // String values under these keys are passcodes (in real bodies
            // the meeting_security ones are booleans and stay readable).
            let last = path.rsplit('.').next().unwrap_or(path);
            let secret = [
                "pmi_password",
                "password_for_pmi",
                "default_password_for_scheduled_meetings",
                "meeting_password",
                "phone_password",
                "webinar_password",
            ]
            .contains(&last);
            if secret {
                assert_eq!(v, MASK, "{name}");
            } else {
                assert_eq!(v, &json!(format!("v:{path}")), "{name}");
            }
        }
        // quirks also get the rule's name
        assert!(get(&flat, "inMeetingFeedback").is_some());
        assert!(get(&flat, "recordingRequiredPasswordForSharedCloudRecordings").is_some());
        // every JupiterOne name is either the rule's name or a listed quirk
        for (name, path) in APPENDIX_A {
            let (section, rest) = path.split_once('.').unwrap_or((path, ""));
            let rule = format!("{}{}", camel_lower(section), camel_upper(rest));
            assert!(
                rule == *name || JUPITERONE_QUIRKS.iter().any(|(q, _)| q == name),
                "{name} vs rule {rule}"
            );
        }
        // sorted, unique
        assert!(flat.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn newer_keys_arrays_and_unwrapped_bodies() {
        let b = UserSettingsBundle {
            main: body(json!({
                "in_meeting": {"meeting_polling": {"enable": true}, "data_center_regions": ["US", "EU"],
                    "webinar_chat": {}},
                "tsp": {},
                "whiteboard": true,
            })),
            meeting_authentication: body(json!({"meeting_authentication": true,
                "authentication_options": [{"id": "signIn_X", "type": "enforce_login"}]})),
            recording_authentication: None,
            // unwrapped meeting_security body
            meeting_security: body(json!({"waiting_room": true})),
        };
        let flat = flatten_user_settings(&b);
        assert_eq!(
            get(&flat, "inMeetingMeetingPollingEnable"),
            Some(&json!(true))
        );
        assert_eq!(
            get(&flat, "inMeetingDataCenterRegions"),
            Some(&json!(["US", "EU"]))
        );
        assert_eq!(get(&flat, "whiteboard"), Some(&json!(true)));
        assert_eq!(get(&flat, "meetingAuthentication"), Some(&json!(true)));
        assert_eq!(
            get(&flat, "meetingAuthenticationAuthenticationOptions"),
            Some(&json!([{"id": "signIn_X", "type": "enforce_login"}]))
        );
        assert_eq!(get(&flat, "meetingSecurityWaitingRoom"), Some(&json!(true)));
        assert!(!flat.iter().any(|(k, _)| k.starts_with("tsp")));
        // odd bodies: not objects → nothing, no panic
        let odd = UserSettingsBundle {
            main: body(json!([1, 2])),
            meeting_authentication: body(json!("x")),
            recording_authentication: body(Value::Null),
            meeting_security: body(json!({"meeting_security": 5})),
        };
        let flat = flatten_user_settings(&odd);
        assert_eq!(flat, vec![("meetingSecurity".to_string(), json!(5))]);
    }

    /// Zoom's recorded bodies, outside the repository and optional: the
    /// tests that read them skip when they are absent.
    fn samples_dir() -> Option<PathBuf> {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        [
            manifest.parent().map(|p| p.join("shared/zoom-api/samples")),
            Some(PathBuf::from("/work/shared/zoom-api/samples")),
        ]
        .into_iter()
        .flatten()
        .find(|p| p.is_dir())
    }

    #[test]
    fn real_owner_settings_flatten_without_the_pmi_passcode() {
        let Some(dir) = samples_dir() else {
            eprintln!("samples not present; skipped");
            return;
        };
        let read = |suffix: &str| -> Option<Settings> {
            let p = dir.join(format!(
                "graph-zoom__GET_api_v2_users_H9Yx0-O8QUCXVIseYAsjaA_settings{suffix}.json"
            ));
            let text = std::fs::read_to_string(p).ok()?;
            Some(Settings {
                raw: serde_json::from_str(&text).ok()?,
            })
        };
        let b = UserSettingsBundle {
            main: read(""),
            meeting_authentication: read("__option-meeting_authentication"),
            recording_authentication: read("__option-recording_authentication"),
            meeting_security: read("__option-meeting_security"),
        };
        assert!(b.main.is_some() && b.meeting_security.is_some());
        let flat = flatten_user_settings(&b);
        let all = serde_json::to_string(&flat).unwrap();
        assert!(
            !all.contains("792824"),
            "PMI passcode leaked into properties"
        );
        let raw = bundle_raw(&b).to_string();
        assert!(!raw.contains("792824"), "PMI passcode leaked into raw JSON");
        assert_eq!(
            get(&flat, "meetingSecurityPasswordForPmi"),
            Some(&json!(MASK))
        );
        assert_eq!(get(&flat, "scheduleMeetingPmiPassword"), Some(&json!(MASK)));
        assert_eq!(get(&flat, "meetingSecurityPmiPassword"), Some(&json!(true)));
        assert_eq!(get(&flat, "inMeetingE2eEncryption"), Some(&json!(false)));
        assert_eq!(get(&flat, "inMeetingFeedbacl"), Some(&json!(true)));
        assert_eq!(
            get(&flat, "scheduleMeetingRequirePasswordForPmiMeetings"),
            Some(&json!("all"))
        );
        assert_eq!(
            get(&flat, "meetingSecurityRequirePasswordForScheduledMeeting"),
            Some(&json!(false))
        );
        assert_eq!(get(&flat, "meetingAuthentication"), Some(&json!(false)));
        assert_eq!(get(&flat, "recordingAuthentication"), Some(&json!(false)));
        assert_eq!(
            get(&flat, "telephonyTelephonyRegionsAllowedValues")
                .and_then(Value::as_array)
                .map(Vec::len),
            Some(7)
        );
        // JupiterOne's dead name stays absent, as in JupiterOne
        assert!(get(&flat, "scheduleMeetingRequirePasswordForScheduledmeetings").is_none());
        // most JupiterOne names are present in a real body
        let present = APPENDIX_A
            .iter()
            .filter(|(n, _)| get(&flat, n).is_some())
            .count();
        assert!(present > 100, "only {present} JupiterOne names");
    }
}
