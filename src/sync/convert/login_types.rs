//! `login_types` (Zoom's sign-in method codes, from `GET /users/{id}`) →
//! the user's `loginTypes` property, as names a rule can read
//! (`loginTypes = 'sso'`). Codes from
//! <https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}>:
//! 0 Facebook, 1 Google, 24 Apple, 27 Microsoft, 97 mobile, 98 RingCentral,
//! 99 API user, 100 Zoom work e-mail, 101 SSO; 11, 21 and 23 are China-only
//! methods the docs do not name.

use serde_json::Value;

/// The name of one sign-in method code; a code the docs do not name keeps
/// its number (`code_11`), so nothing is dropped.
pub fn login_type_name(code: i64) -> String {
    match code {
        0 => "facebook",
        1 => "google",
        24 => "apple",
        27 => "microsoft",
        97 => "mobile",
        98 => "ringcentral",
        99 => "api",
        100 => "work_email",
        101 => "sso",
        other => return format!("code_{other}"),
    }
    .to_string()
}

/// `loginTypes`: the names, in Zoom's order, without repeats.
pub fn login_types_value(codes: &[i64]) -> Value {
    let mut names: Vec<String> = Vec::with_capacity(codes.len());
    for n in codes.iter().map(|c| login_type_name(*c)) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    Value::Array(names.into_iter().map(Value::from).collect())
}

/// The codes kept in a stored user's raw JSON under `_settings.login_types`.
pub fn stored_login_types(raw: &str) -> Option<Vec<i64>> {
    let v: Value = serde_json::from_str(raw).ok()?;
    let items = v.get("_settings")?.get("login_types")?.as_array()?;
    Some(items.iter().filter_map(Value::as_i64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_become_names_and_unknown_codes_keep_their_number() {
        assert_eq!(
            login_types_value(&[101, 100, 0, 1, 24, 27, 97, 98, 99, 11, 101]),
            json!([
                "sso",
                "work_email",
                "facebook",
                "google",
                "apple",
                "microsoft",
                "mobile",
                "ringcentral",
                "api",
                "code_11"
            ])
        );
        assert_eq!(
            stored_login_types(r#"{"id": "u", "_settings": {"login_types": [101, "x", 100]}}"#),
            Some(vec![101, 100])
        );
        assert_eq!(stored_login_types(r#"{"id": "u"}"#), None);
        assert_eq!(stored_login_types("not json"), None);
    }
}
