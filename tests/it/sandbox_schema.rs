//! Contract test: sandbox responses against the response schemas of Zoom's
//! OpenAPI documents (../shared/zoom-api/openapi/SUBSET-*.json), when that
//! folder exists: it is outside the repository and optional. Checks the required fields and the types of every field
//! the sandbox sends that the schema describes; extra fields are allowed
//! (Zoom sends undocumented fields too). Skips with a message otherwise.

use std::path::{Path, PathBuf};

use serde_json::Value;
use zoomscope::sandbox::{RateLimitConfig, Sandbox, SandboxConfig, UserStatus};

use crate::support::sandbox::{http, token};

fn openapi_dir() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        manifest.parent().map(|p| p.join("shared/zoom-api/openapi")),
        Some(PathBuf::from("/work/shared/zoom-api/openapi")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("SUBSET-users-groups.GET.openapi.json").is_file())
}

/// GET path templates → their 200 response schema, from every SUBSET file.
fn load_schemas(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("SUBSET-") {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (template, item) in doc["paths"].as_object().unwrap() {
            let schema = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
            if !schema.is_null() {
                out.push((template.clone(), schema.clone()));
            }
        }
    }
    out
}

fn type_ok(expected: &str, v: &Value) -> bool {
    match expected {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        _ => true,
    }
}

/// How many of the body's keys a schema branch describes (to pick the
/// `oneOf` branch the body is meant to be).
fn overlap(schema: &Value, v: &Value) -> usize {
    let Some(obj) = v.as_object() else { return 0 };
    let mut n = 0;
    if let Some(props) = schema["properties"].as_object() {
        n += obj.keys().filter(|k| props.contains_key(*k)).count();
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(branches) = schema[key].as_array() {
            n += branches.iter().map(|b| overlap(b, v)).max().unwrap_or(0);
        }
    }
    n
}

fn validate(schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    if v.is_null() {
        return; // nullable or not, a null says "no value"; clients must cope
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            validate(s, v, path, errors);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema[key].as_array()
            && let Some(best) = branches.iter().max_by_key(|b| overlap(b, v))
        {
            validate(best, v, path, errors);
        }
    }
    if let Some(t) = schema["type"].as_str()
        && !type_ok(t, v)
    {
        errors.push(format!("{path}: expected {t}, got {v}"));
        return;
    }
    if let Some(obj) = v.as_object() {
        if let Some(required) = schema["required"].as_array() {
            for r in required.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    errors.push(format!("{path}: missing required field {r}"));
                }
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (k, sub) in props {
                if let Some(x) = obj.get(k) {
                    validate(sub, x, &format!("{path}.{k}"), errors);
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().take(200).enumerate() {
            validate(items, x, &format!("{path}[{i}]"), errors);
        }
    }
}

#[tokio::test]
async fn responses_match_zoom_openapi_schemas() {
    let Some(dir) = openapi_dir() else {
        println!(
            "SKIPPED: Zoom OpenAPI documents not found (../shared/zoom-api/openapi or /work/shared/zoom-api/openapi)"
        );
        return;
    };
    let schemas = load_schemas(&dir);
    let schema_for = |template: &str| -> Value {
        schemas
            .iter()
            .find(|(t, _)| t == template)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| panic!("no schema for {template}"))
    };

    // No rate limits: this test checks bodies against the schemas with
    // quick sequences of requests, which the small burst would refuse.
    let sb = Sandbox::start(SandboxConfig {
        users: 3_000,
        rate_limits: RateLimitConfig {
            enabled: false,
            ..RateLimitConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let org = sb.org();
    let t = token(&sb).await;
    let owner = org.owner().unwrap();
    let owner_id = owner.id.clone().unwrap();
    let pending = org.users_with_status(UserStatus::Pending).next().unwrap();
    let never_logged_in = org
        .users
        .iter()
        .find(|u| u.id.is_some() && u.last_login_time.is_none())
        .unwrap();
    let group = &org.groups[0];
    let custom_role = org.roles.iter().find(|r| r.id.starts_with('R')).unwrap();

    let cases: Vec<(&str, String)> = vec![
        ("/users", "/users?page_size=300".into()),
        ("/users", "/users?status=inactive&page_size=300".into()),
        ("/users", "/users?status=pending&page_size=300".into()),
        (
            "/users",
            "/users?include_fields=custom_attributes,host_key&page_size=300".into(),
        ),
        ("/users/{userId}", "/users/me".into()),
        ("/users/{userId}", format!("/users/{}", pending.email)),
        (
            "/users/{userId}",
            format!("/users/{}", never_logged_in.email),
        ),
        (
            "/users/{userId}/settings",
            format!("/users/{owner_id}/settings"),
        ),
        (
            "/users/{userId}/settings",
            format!("/users/{owner_id}/settings?option=meeting_authentication"),
        ),
        (
            "/users/{userId}/settings",
            format!("/users/{owner_id}/settings?option=recording_authentication"),
        ),
        (
            "/users/{userId}/settings",
            format!("/users/{owner_id}/settings?option=meeting_security"),
        ),
        (
            "/users/{userId}/settings",
            format!("/users/{owner_id}/settings?custom_query_fields=waiting_room,host_video"),
        ),
        ("/users/summary", "/users/summary".into()),
        ("/groups", "/groups?page_size=300".into()),
        ("/groups/{groupId}", format!("/groups/{}", group.id)),
        (
            "/groups/{groupId}/members",
            format!("/groups/{}/members?page_size=2000", group.id),
        ),
        ("/roles", "/roles".into()),
        ("/roles/{roleId}", "/roles/0".into()),
        ("/roles/{roleId}", format!("/roles/{}", custom_role.id)),
        (
            "/roles/{roleId}/members",
            "/roles/2/members?page_size=300".into(),
        ),
        (
            "/accounts/{accountId}/settings",
            "/accounts/me/settings".into(),
        ),
        (
            "/accounts/{accountId}/settings",
            "/accounts/me/settings?option=security".into(),
        ),
        (
            "/accounts/{accountId}/settings",
            "/accounts/me/settings?option=meeting_security".into(),
        ),
        (
            "/accounts/{accountId}/settings",
            "/accounts/me/settings?option=meeting_authentication".into(),
        ),
        (
            "/accounts/{accountId}/lock_settings",
            "/accounts/me/lock_settings".into(),
        ),
        (
            "/accounts/{accountId}/lock_settings",
            "/accounts/me/lock_settings?option=meeting_security".into(),
        ),
        (
            "/accounts/{accountId}/managed_domains",
            "/accounts/me/managed_domains".into(),
        ),
    ];

    let client = http();
    let mut failures = Vec::new();
    for (template, path) in &cases {
        let r = client
            .get(format!("{}{}", sb.api_url(), path))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body: Value = r.json().await.unwrap();
        let mut errors = Vec::new();
        validate(&schema_for(template), &body, path, &mut errors);
        failures.extend(errors);
        if *template == "/users" && failures.is_empty() {
            // The loaded schema really constrains items: a wrong type fails.
            let mut broken = body.clone();
            broken["users"][0]["type"] = Value::from("licensed");
            broken["users"][0]["group_ids"] = Value::from("g1");
            let mut e = Vec::new();
            validate(&schema_for(template), &broken, path, &mut e);
            assert_eq!(e.len(), 2, "{e:?}");
        }
        if *template == "/accounts/{accountId}/settings" && path.ends_with("option=security") {
            let mut broken = body.clone();
            broken["security"]["password_requirement"]["minimum_password_length"] =
                Value::from("8");
            let mut e = Vec::new();
            validate(&schema_for(template), &broken, path, &mut e);
            assert_eq!(e.len(), 1, "{e:?}");
        }
    }
    sb.shutdown().await;
    assert!(
        failures.is_empty(),
        "{} schema violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{} responses conform to Zoom's schemas", cases.len());
}

#[test]
fn the_validator_catches_type_and_required_errors() {
    let schema = serde_json::json!({
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "n": {"type": "integer"},
                        "xs": {"type": "array", "items": {"type": "boolean"}}}
    });
    let mut e = Vec::new();
    validate(
        &schema,
        &serde_json::json!({"id": "a", "n": 1, "xs": [true]}),
        "$",
        &mut e,
    );
    assert!(e.is_empty(), "{e:?}");
    validate(
        &schema,
        &serde_json::json!({"n": "1", "xs": [1]}),
        "$",
        &mut e,
    );
    assert_eq!(e.len(), 3, "{e:?}");
}
