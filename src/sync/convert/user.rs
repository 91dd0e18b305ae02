//! Zoom users → `zoom_user` entities, with JupiterOne's property names.
//!
//! Converting a user is the costly part of a sync of a large account, so it
//! is done per page on any thread ([`prepare_user`]) while later pages are
//! still in flight; the converter then only inserts the result.

use serde_json::Value;

use crate::graph::{PropName, Props, USER_BASE_PROPS};
use crate::zoom::models::{RawJson, User, UserStatus};
use crate::zoom::redact::{redact_json, redact_text};

/// A user's `_key` (see [`crate::graph::user_key`]).
pub fn user_key(u: &User) -> String {
    crate::graph::user_key(u.id.as_deref(), &u.email)
}

/// A user converted to its entity, ready for [`super::Converter::prepared_users`].
/// Everything costly per user (properties, the redacted raw JSON) is done
/// here, by [`prepare_user`], which needs no builder and runs on any thread.
#[derive(Debug, Clone)]
pub struct PreparedUser {
    pub(super) key: String,
    /// The base properties, without `tag.AccountName` (the converter adds it).
    pub(super) props: Props,
    /// The redacted raw API object.
    pub(super) raw: String,
    pub(super) group_ids: Vec<String>,
    pub(super) role_id: Option<String>,
}

/// Whether two strings are equal, usable in a `const` context.
const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The slot of a base property in [`USER_BASE_PROPS`] (checked at compile
/// time: a name missing from the list does not compile).
const fn slot(name: &str) -> usize {
    let mut i = 0;
    while i < USER_BASE_PROPS.len() {
        if const_str_eq(USER_BASE_PROPS[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not in USER_BASE_PROPS")
}

const N_USER_PROPS: usize = USER_BASE_PROPS.len();

/// [`USER_BASE_PROPS`] as shared names, allocated once per process: every
/// user's properties point at these instead of looking names up.
static USER_PROP_NAMES: std::sync::LazyLock<Vec<PropName>> =
    std::sync::LazyLock::new(|| USER_BASE_PROPS.iter().map(|s| PropName::from(*s)).collect());

/// Converts one user to its entity parts: `_key`, the properties, the
/// redacted raw JSON, and what relationships need. Takes the user by value
/// so no string or JSON tree is copied.
///
/// Properties: JupiterOne's `username` (email), `name`, `firstName`,
/// `lastName`, `email`, `type`, `pmi`, `timezone`, `verified`, `createdAt`,
/// `lastLoginTime`, `lastClientVersion`, `picUrl`, `language`,
/// `phoneNumber`, `status`, `active` (status == "active"), `roleId`,
/// `dept`, `groupIds`, `id`; and `displayName`, `userCreatedAt`,
/// `roleName` (the user's own `role_name`; the converter replaces it with
/// the role's name), `employeeUniqueId`, `planUnitedType`, `jobTitle`,
/// `location`, `imGroupIds`; and one `customAttribute.<name>` per custom
/// attribute (`include_fields=custom_attributes`; the attribute's name
/// camel-cased: "Cost center" → `customAttribute.costCenter`), which help
/// match users to employees. `tag.AccountName` is added by the converter.
/// `loginTypes` is not read from a listing (Zoom sends it on
/// `GET /users/{id}` only): see [`super::Converter::user_login_types`].
pub fn prepare_user(mut u: User) -> PreparedUser {
    let key = user_key(&u);
    let mut slots: [Option<Value>; N_USER_PROPS] = [const { None }; N_USER_PROPS];
    let mut set = |name: usize, v: Value| {
        if let Some(s) = slots.get_mut(name) {
            *s = Some(v);
        }
    };
    // JupiterOne: name = first + " " + last. Pending invites often have
    // neither, so fall back to the display name, then the e-mail.
    let display_name = u.display_name.take().filter(|s| !s.trim().is_empty());
    let name = person_name(&u)
        .or_else(|| display_name.clone())
        .unwrap_or_else(|| u.email.clone());
    let display = display_name.unwrap_or_else(|| name.clone());
    set(slot("username"), Value::from(u.email.clone()));
    set(slot("name"), Value::from(name));
    set(slot("displayName"), Value::from(display));
    let moved = |v: &mut Option<String>| v.take().map(Value::from);
    let opt = [
        (slot("firstName"), moved(&mut u.first_name)),
        (slot("lastName"), moved(&mut u.last_name)),
        (slot("timezone"), moved(&mut u.timezone)),
        (slot("createdAt"), moved(&mut u.created_at)),
        (slot("userCreatedAt"), moved(&mut u.user_created_at)),
        (slot("lastLoginTime"), moved(&mut u.last_login_time)),
        (slot("lastClientVersion"), moved(&mut u.last_client_version)),
        (slot("picUrl"), moved(&mut u.pic_url)),
        (slot("language"), moved(&mut u.language)),
        (slot("phoneNumber"), moved(&mut u.phone_number)),
        (slot("roleName"), moved(&mut u.role_name)),
        (slot("dept"), moved(&mut u.dept)),
        (slot("employeeUniqueId"), moved(&mut u.employee_unique_id)),
        (slot("planUnitedType"), moved(&mut u.plan_united_type)),
        (slot("jobTitle"), moved(&mut u.job_title)),
        (slot("location"), moved(&mut u.location)),
        (slot("id"), u.id.as_deref().map(Value::from)),
        (slot("roleId"), u.role_id.as_deref().map(Value::from)),
        (slot("type"), u.user_type.map(|t| Value::from(t.code()))),
        (slot("pmi"), u.pmi.map(Value::from)),
        (slot("verified"), u.verified.map(Value::from)),
    ];
    for (name, v) in opt {
        if let Some(v) = v {
            set(name, v);
        }
    }
    let status = u.status.as_ref().map(UserStatus::as_str);
    if let Some(s) = status {
        set(slot("status"), Value::from(s));
    }
    set(slot("active"), Value::from(status == Some("active")));
    set(
        slot("groupIds"),
        Value::Array(
            u.group_ids
                .iter()
                .map(|g| Value::from(g.as_str()))
                .collect(),
        ),
    );
    if !u.im_group_ids.is_empty() {
        let ids = std::mem::take(&mut u.im_group_ids);
        set(
            slot("imGroupIds"),
            Value::Array(ids.into_iter().map(Value::from).collect()),
        );
    }
    set(slot("email"), Value::from(std::mem::take(&mut u.email)));
    // Slots are in sorted name order, so each insert lands at the end.
    let filled = slots.iter().filter(|s| s.is_some()).count();
    let mut props = Props::with_capacity(filled + 1);
    for (name, v) in USER_PROP_NAMES.iter().zip(slots) {
        if let Some(v) = v {
            props.insert(name.clone(), v);
        }
    }
    for a in std::mem::take(&mut u.custom_attributes) {
        let name = super::settings::camel_lower(&a.name);
        if name.is_empty() {
            continue;
        }
        if let Some(v) = a.value {
            props.insert(
                PropName::from(format!("{}{name}", crate::graph::CUSTOM_ATTRIBUTE_PREFIX)),
                Value::from(v),
            );
        }
    }
    let raw = match std::mem::take(&mut u.raw) {
        RawJson::Text(text) => redact_text(&text),
        RawJson::Tree(mut raw) => {
            redact_json(&mut raw);
            raw.to_string()
        }
    };
    PreparedUser {
        key,
        props,
        raw,
        group_ids: u.group_ids,
        role_id: u.role_id,
    }
}

/// `first last`, trimmed; None when both are empty.
pub(super) fn person_name(u: &User) -> Option<String> {
    let n = format!(
        "{} {}",
        u.first_name.as_deref().unwrap_or("").trim(),
        u.last_name.as_deref().unwrap_or("").trim()
    );
    let n = n.trim();
    (!n.is_empty()).then(|| n.to_string())
}
