//! A group's settings and lock settings → properties of its `zoom_group`
//! entity, kept only where they differ from the account's (a group inherits
//! the account's settings, so the rest says nothing about the group).
//!
//! Names follow the account's flattening (`settings.rs`): a setting by its
//! section and camel-cased path (`in_meeting.waiting_room` →
//! `inMeetingWaitingRoom`), a lock with the `lockSettings` prefix
//! (`lockSettingsInMeetingWaitingRoom`). Beside them:
//!
//! - `settingsOverrides`: the names of the settings that differ,
//! - `lockSettingsOverrides`: the names of the locks that differ,
//! - `overriddenLockedSettings`: the settings that differ although the
//!   account locks them (the account enforces them for everyone),
//! - `overridesLockedAccountSetting`: whether there is any such setting.
//!
//! J1QL compares an entity's properties, not two entities, so the last two
//! are worked out here for the `group-overrides-locked-setting` rule.
//!
//! The group's raw JSON keeps the differences under `_settings_overrides`
//! (`{"settings": {…}, "lock_settings": {…}}`, Zoom's layout), which is
//! what a sync that does not read them again keeps.

use serde_json::{Map, Value};

use super::Converter;
use super::settings::{camel_lower, flatten_sections};
use crate::graph::group_key;
use crate::zoom::redact::redact_json;

/// Where a group's settings differ from the account's, in Zoom's layout
/// (`{"in_meeting": {"waiting_room": false}}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupOverrides {
    pub settings: Map<String, Value>,
    pub locks: Map<String, Value>,
}

impl GroupOverrides {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty() && self.locks.is_empty()
    }

    /// The stored form (the group's raw JSON `_settings_overrides`).
    fn to_raw(&self) -> Value {
        let mut m = Map::new();
        if !self.settings.is_empty() {
            m.insert("settings".into(), Value::Object(self.settings.clone()));
        }
        if !self.locks.is_empty() {
            m.insert("lock_settings".into(), Value::Object(self.locks.clone()));
        }
        Value::Object(m)
    }
}

/// The member of a group's raw JSON that holds its overrides.
const RAW_KEY: &str = "_settings_overrides";

/// The overrides a group's stored raw JSON holds (`None`: none stored, or
/// not readable).
pub fn stored_overrides(raw: &str) -> Option<GroupOverrides> {
    let v: Value = serde_json::from_str(raw).ok()?;
    let o = v.get(RAW_KEY)?;
    let part = |k: &str| match o.get(k) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let out = GroupOverrides {
        settings: part("settings"),
        locks: part("lock_settings"),
    };
    (!out.is_empty()).then_some(out)
}

/// The leaves of `group` whose value differs from `account`'s at the same
/// path, in `group`'s layout (both redacted first). A path the account's
/// body does not have is left out: it cannot be said to differ, and the
/// group endpoint lists keys the account's body does not.
pub fn differences(group: &Value, account: &Value) -> Map<String, Value> {
    let (mut g, mut a) = (group.clone(), account.clone());
    redact_json(&mut g);
    redact_json(&mut a);
    let mut out = Map::new();
    if let (Value::Object(g), Value::Object(a)) = (&g, &a) {
        diff_into(g, a, &mut out);
    }
    out
}

fn diff_into(g: &Map<String, Value>, a: &Map<String, Value>, out: &mut Map<String, Value>) {
    for (k, gv) in g {
        let Some(av) = a.get(k) else { continue };
        match (gv, av) {
            (Value::Object(gm), Value::Object(am)) => {
                let mut inner = Map::new();
                diff_into(gm, am, &mut inner);
                if !inner.is_empty() {
                    out.insert(k.clone(), Value::Object(inner));
                }
            }
            _ if gv != av => {
                out.insert(k.clone(), gv.clone());
            }
            _ => {}
        }
    }
}

/// Every leaf of a tree with its dotted path.
fn leaves<'a>(prefix: &str, m: &'a Map<String, Value>, out: &mut Vec<(String, &'a Value)>) {
    for (k, v) in m {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(inner) => leaves(&path, inner, out),
            leaf => out.push((path, leaf)),
        }
    }
}

/// Whether the account's lock settings lock the setting at `path`: the
/// first boolean on the way down decides (`in_meeting.webinar_chat` locks
/// `in_meeting.webinar_chat.enable`).
fn locked(account_locks: &Value, path: &str) -> bool {
    let mut cur = account_locks;
    for seg in path.split('.') {
        match cur.get(seg) {
            Some(Value::Bool(b)) => return *b,
            Some(next @ Value::Object(_)) => cur = next,
            _ => return false,
        }
    }
    false
}

/// The property name of a lock: `lockSettings` + the camel-cased path.
fn lock_name(path: &str) -> String {
    let lower = camel_lower(path);
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => format!("lockSettings{}{}", first.to_uppercase(), chars.as_str()),
        None => "lockSettings".into(),
    }
}

/// A group's override properties (see the module docs), sorted by name.
/// `account_locks`: the account's lock settings body, when known.
pub fn override_props(o: &GroupOverrides, account_locks: Option<&Value>) -> Vec<(String, Value)> {
    if o.is_empty() {
        return Vec::new();
    }
    let settings = Value::Object(o.settings.clone());
    let locks = Value::Object(o.locks.clone());
    let mut props = flatten_sections(&settings, "");
    let mut setting_leaves = Vec::new();
    leaves("", &o.settings, &mut setting_leaves);
    let mut lock_leaves = Vec::new();
    leaves("", &o.locks, &mut lock_leaves);
    let names = |ls: &[(String, &Value)], f: &dyn Fn(&str) -> String| -> Vec<Value> {
        let mut n: Vec<String> = ls.iter().map(|(p, _)| f(p)).collect();
        n.sort();
        n.dedup();
        n.into_iter().map(Value::from).collect()
    };
    props.extend(flatten_sections(&locks, "lockSettings"));
    let changed = names(&setting_leaves, &camel_lower);
    if !changed.is_empty() {
        props.push(("settingsOverrides".into(), Value::Array(changed)));
    }
    let changed_locks = names(&lock_leaves, &lock_name);
    if !changed_locks.is_empty() {
        props.push(("lockSettingsOverrides".into(), Value::Array(changed_locks)));
    }
    let enforced: Vec<(String, &Value)> = setting_leaves
        .iter()
        .filter(|(p, _)| account_locks.is_some_and(|l| locked(l, p)))
        .map(|(p, v)| (p.clone(), *v))
        .collect();
    let enforced = names(&enforced, &camel_lower);
    props.push((
        "overridesLockedAccountSetting".into(),
        Value::Bool(!enforced.is_empty()),
    ));
    if !enforced.is_empty() {
        props.push(("overriddenLockedSettings".into(), Value::Array(enforced)));
    }
    props.sort_by(|a, b| a.0.cmp(&b.0));
    props.dedup_by(|later, first| later.0 == first.0);
    props
}

impl Converter {
    /// Puts a group's overrides on its entity (call after [`Converter::groups`]):
    /// the properties of [`override_props`], and the differences in its raw
    /// JSON under `_settings_overrides`. A group with none gets nothing; a
    /// name the group has already (its own properties) is left as it is.
    pub fn group_overrides(
        &mut self,
        group_id: &str,
        o: &GroupOverrides,
        account_locks: Option<&Value>,
    ) {
        if o.is_empty() {
            return;
        }
        let key = group_key(group_id);
        let Some(id) = self.b.graph().id_of(&key) else {
            self.b.warn(format!(
                "settings of group {group_id}, which is not in the groups list, were left out"
            ));
            return;
        };
        let entity = self.b.graph().entity(id);
        let props: Vec<(String, Value)> = override_props(o, account_locks)
            .into_iter()
            .filter(|(k, _)| entity.props.get(k).is_none())
            .collect();
        let named: Vec<_> = props
            .into_iter()
            .map(|(k, v)| (self.b.name(&k), v))
            .collect();
        self.b.update_props(id, |p| {
            for (k, v) in named {
                p.insert(k, v);
            }
        });
        if let Some(r) = self.b.raw_mut(&key)
            && let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(r)
        {
            m.insert(RAW_KEY.into(), o.to_raw());
            *r = Value::Object(m).to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_differing_leaves_the_account_also_has() {
        let account = json!({"in_meeting": {"waiting_room": true, "chat": true},
            "schedule_meeting": {"join_before_host": false}, "security": {"x": 1}});
        let group = json!({"in_meeting": {"waiting_room": false, "chat": true, "show_device_list": true},
            "schedule_meeting": {"join_before_host": false}});
        let d = differences(&group, &account);
        assert_eq!(
            Value::Object(d),
            json!({"in_meeting": {"waiting_room": false}})
        );
        assert!(differences(&account, &account).is_empty());
        // odd bodies: nothing, no panic
        assert!(differences(&json!([1]), &account).is_empty());
        assert!(differences(&group, &json!("x")).is_empty());
    }

    #[test]
    fn properties_name_the_overridden_locked_settings() {
        let o = GroupOverrides {
            settings: differences(
                &json!({"in_meeting": {"waiting_room": false},
                        "recording": {"auto_recording": "cloud"}}),
                &json!({"in_meeting": {"waiting_room": true},
                        "recording": {"auto_recording": "none"}}),
            ),
            locks: differences(
                &json!({"in_meeting": {"screen_sharing": true}}),
                &json!({"in_meeting": {"screen_sharing": false}}),
            ),
        };
        let locks =
            json!({"in_meeting": {"waiting_room": true}, "recording": {"auto_recording": false}});
        let p = override_props(&o, Some(&locks));
        let get = |n: &str| p.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        assert_eq!(get("inMeetingWaitingRoom"), Some(json!(false)));
        assert_eq!(get("recordingAutoRecording"), Some(json!("cloud")));
        assert_eq!(get("lockSettingsInMeetingScreenSharing"), Some(json!(true)));
        assert_eq!(
            get("settingsOverrides"),
            Some(json!(["inMeetingWaitingRoom", "recordingAutoRecording"]))
        );
        assert_eq!(
            get("lockSettingsOverrides"),
            Some(json!(["lockSettingsInMeetingScreenSharing"]))
        );
        assert_eq!(get("overridesLockedAccountSetting"), Some(json!(true)));
        assert_eq!(
            get("overriddenLockedSettings"),
            Some(json!(["inMeetingWaitingRoom"]))
        );
        // the account's locks unknown: nothing is said to be enforced
        let p = override_props(&o, None);
        assert!(
            p.iter()
                .any(|(k, v)| k == "overridesLockedAccountSetting" && v == &json!(false))
        );
        assert!(!p.iter().any(|(k, _)| k == "overriddenLockedSettings"));
        assert!(override_props(&GroupOverrides::default(), Some(&locks)).is_empty());
    }

    #[test]
    fn stored_overrides_round_trip() {
        let o = GroupOverrides {
            settings: differences(&json!({"a": {"b": 1}}), &json!({"a": {"b": 2}})),
            locks: Map::new(),
        };
        let raw = json!({"id": "g1", RAW_KEY: o.to_raw()}).to_string();
        assert_eq!(stored_overrides(&raw), Some(o));
        assert_eq!(stored_overrides(r#"{"id": "g1"}"#), None);
        assert_eq!(stored_overrides("not json"), None);
    }

    #[test]
    fn lock_names_follow_the_accounts() {
        assert_eq!(
            lock_name("in_meeting.e2e_encryption"),
            "lockSettingsInMeetingE2eEncryption"
        );
        assert!(locked(
            &json!({"in_meeting": {"webinar_chat": true}}),
            "in_meeting.webinar_chat.enable"
        ));
        assert!(!locked(&json!({"in_meeting": {}}), "in_meeting.chat"));
    }
}
