//! The account's earlier data, for the account parts this sync did not get.
//!
//! Settings, security settings, lock settings, managed domains, the users
//! summary and the owner are properties of the one account entity, not
//! entity types of their own, so the store's per-type carry-over
//! ([`super::Parts`]) cannot keep them when only their step was skipped or
//! failed. Instead the converter is handed the previous snapshot's bodies
//! for those parts (the account's stored raw JSON,
//! `{"owner", "summary", "settings", …}`), and builds the entity from the
//! fresh parts and the earlier ones alike. The bodies were redacted when
//! stored; converting them again gives the same properties.

use serde_json::Value;

use super::step::StepResult;
use crate::zoom::{FromJson, ManagedDomain};

/// The previous snapshot's account raw JSON, read per part.
#[derive(Clone, Copy)]
pub(crate) struct EarlierAccount<'a>(pub Option<&'a Value>);

impl EarlierAccount<'_> {
    /// The part's result when its step completed, else the earlier body
    /// under `key` (none when there was no earlier snapshot, or the earlier
    /// one did not have it either).
    pub fn or_earlier<T: FromJson>(&self, r: StepResult<T>, key: &str) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(_) => self.body(key).and_then(|v| T::from_json(v.clone()).ok()),
        }
    }

    /// As [`Self::or_earlier`] for the managed-domains list.
    pub fn domains_or_earlier(
        &self,
        r: StepResult<Vec<ManagedDomain>>,
    ) -> Option<Vec<ManagedDomain>> {
        match r {
            Ok(v) => Some(v),
            Err(_) => match self.body("managed_domains")? {
                Value::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(|d| ManagedDomain::from_json(d.clone()).ok())
                        .collect(),
                ),
                _ => None,
            },
        }
    }

    /// As [`Self::or_earlier`] for a list of strings (trusted domains).
    pub fn strings_or_earlier(&self, r: StepResult<Vec<String>>, key: &str) -> Option<Vec<String>> {
        match r {
            Ok(v) => Some(v),
            Err(_) => match self.body(key)? {
                Value::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(|d| d.as_str().map(str::to_string))
                        .collect(),
                ),
                _ => None,
            },
        }
    }

    fn body(&self, key: &str) -> Option<&Value> {
        self.0?.get(key).filter(|v| !v.is_null())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sync::StepOutcome;
    use crate::zoom::Settings;

    #[test]
    fn a_part_not_fetched_comes_from_the_earlier_body() {
        let raw = json!({
            "settings": {"in_meeting": {"chat": true}},
            "managed_domains": [{"domain": "x.io", "status": "verified"}, 5],
        });
        let e = EarlierAccount(Some(&raw));
        fn skipped<T>() -> StepResult<T> {
            Err(StepOutcome::unavailable("No permission."))
        }
        let s: Option<Settings> = e.or_earlier(skipped(), "settings");
        assert_eq!(
            s.map(|s| s.raw),
            Some(json!({"in_meeting": {"chat": true}}))
        );
        // fresh data wins over the earlier body
        let fresh = Settings::from_json(json!({"in_meeting": {"chat": false}})).ok();
        let s = e.or_earlier(fresh.clone().ok_or(StepOutcome::ok(0)), "settings");
        assert_eq!(s.map(|s| s.raw), fresh.map(|s| s.raw));
        // a part the earlier snapshot lacked stays absent
        let lock: Option<Settings> = e.or_earlier(skipped(), "lock_settings");
        assert!(lock.is_none());
        // an unreadable earlier item is left out, the rest kept
        let d = e.domains_or_earlier(skipped()).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].domain, "x.io");
        // no earlier snapshot: nothing to keep
        let none = EarlierAccount(None);
        assert!(none.domains_or_earlier(skipped()).is_none());
    }
}
