//! Zoom API models. Each is built from a JSON object by a tolerant reader:
//! missing fields and nulls become `None`/empty, unknown enum values are kept
//! as `Unknown`, extra fields are ignored, and the raw object is kept in `raw`.
//! Only a body that is not a JSON object at all (or lacks a field Zoom marks
//! required and we need, such as a user's `email`) is an error.
//!
//! CONTRACT: field names below are used by the graph builder and sync.

use serde_json::Value;

/// User status. The API defaults `status` to `active`; zoomscope asks for all three.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserStatus {
    Active,
    Inactive,
    Pending,
    Unknown(String),
}

impl UserStatus {
    pub const LISTED: [UserStatus; 3] = [
        UserStatus::Active,
        UserStatus::Inactive,
        UserStatus::Pending,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Inactive => "inactive",
            UserStatus::Pending => "pending",
            UserStatus::Unknown(s) => s,
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "active" => UserStatus::Active,
            "inactive" => UserStatus::Inactive,
            "pending" => UserStatus::Pending,
            other => UserStatus::Unknown(other.to_string()),
        }
    }
}

/// User type: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserType {
    Basic,
    Licensed,
    OnPrem,
    UnassignedWithoutMeetingsBasic,
    None,
    Unknown(i64),
}

impl UserType {
    pub fn from_code(c: i64) -> Self {
        match c {
            1 => UserType::Basic,
            2 => UserType::Licensed,
            3 => UserType::OnPrem,
            4 => UserType::UnassignedWithoutMeetingsBasic,
            99 => UserType::None,
            other => UserType::Unknown(other),
        }
    }
    pub fn code(self) -> i64 {
        match self {
            UserType::Basic => 1,
            UserType::Licensed => 2,
            UserType::OnPrem => 3,
            UserType::UnassignedWithoutMeetingsBasic => 4,
            UserType::None => 99,
            UserType::Unknown(c) => c,
        }
    }
}

/// A user from `GET /users` (list item) or `GET /users/{id}` (detail; more fields set).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Absent for pending users.
    pub id: Option<String>,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub user_type: Option<UserType>,
    pub status: Option<UserStatus>,
    pub role_id: Option<String>,
    pub role_name: Option<String>,
    pub dept: Option<String>,
    pub group_ids: Vec<String>,
    pub im_group_ids: Vec<String>,
    pub pmi: Option<i64>,
    pub timezone: Option<String>,
    pub verified: Option<i64>,
    pub created_at: Option<String>,
    pub user_created_at: Option<String>,
    pub last_login_time: Option<String>,
    pub last_client_version: Option<String>,
    pub pic_url: Option<String>,
    pub language: Option<String>,
    pub phone_number: Option<String>,
    pub employee_unique_id: Option<String>,
    pub plan_united_type: Option<String>,
    pub login_types: Vec<i64>,
    pub account_id: Option<String>,
    pub account_number: Option<i64>,
    pub job_title: Option<String>,
    pub location: Option<String>,
    pub manager: Option<String>,
    pub cluster: Option<String>,
    /// `custom_attributes[]`, only with `include_fields=custom_attributes`
    /// (items without a name are left out).
    pub custom_attributes: Vec<CustomAttribute>,
    /// The whole JSON object as received.
    pub raw: RawJson,
}

/// One of a user's `custom_attributes` (`{key, name, value}`), an attribute
/// the account's admins defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAttribute {
    pub key: Option<String>,
    pub name: String,
    pub value: Option<String>,
}

/// `custom_attributes[]`, leniently: items that are not objects or have no
/// name (key as a fallback) are skipped.
fn custom_attributes<F: Fields + ?Sized>(o: &F) -> Vec<CustomAttribute> {
    let Some(Value::Array(items)) = o.field("custom_attributes") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|v| {
            let a = v.as_object()?;
            let key = lenient::string(a, "key");
            let name = lenient::string(a, "name").or_else(|| key.clone())?;
            Some(CustomAttribute {
                key,
                name,
                value: lenient::string(a, "value"),
            })
        })
        .collect()
}

/// A model's JSON object as received: the parsed tree, or (for users read
/// from a listing, 100,000 at a time) the object's text, which is cheaper to
/// keep than a tree. Not yet redacted either way.
#[derive(Debug, Clone, PartialEq)]
pub enum RawJson {
    Tree(Value),
    Text(String),
}

impl Default for RawJson {
    fn default() -> Self {
        RawJson::Tree(Value::Null)
    }
}

impl From<Value> for RawJson {
    fn from(v: Value) -> Self {
        RawJson::Tree(v)
    }
}

impl RawJson {
    /// As a JSON tree (text is parsed; text that came from a parsed body
    /// always parses).
    pub fn to_value(&self) -> Value {
        match self {
            RawJson::Tree(v) => v.clone(),
            RawJson::Text(t) => serde_json::from_str(t).unwrap_or(Value::Null),
        }
    }
}

/// A group from `GET /groups`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: Option<String>,
    pub total_members: Option<u64>,
    pub in_directory: Option<bool>,
    pub directory_privacy: Option<i64>,
    pub raw: Value,
}

/// A member from `GET /groups/{id}/members`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMember {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub user_type: Option<UserType>,
    pub primary_group: Option<bool>,
    pub raw: Value,
}

/// A role from `GET /roles`.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role_type: Option<String>,
    pub total_members: Option<u64>,
    pub raw: Value,
}

/// A role from `GET /roles/{id}`, with its privileges.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleDetail {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role_type: Option<String>,
    pub total_members: Option<u64>,
    pub privileges: Vec<String>,
    pub raw: Value,
}

/// A member from `GET /roles/{id}/members`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMember {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub user_type: Option<UserType>,
    pub department: Option<String>,
    pub raw: Value,
}

/// `GET /users/summary`.
#[derive(Debug, Clone, PartialEq)]
pub struct UsersSummary {
    pub licensed_users_count: Option<u64>,
    pub basic_users_count: Option<u64>,
    pub on_prem_users_count: Option<u64>,
    pub room_users_count: Option<u64>,
    pub pending_users_count: Option<u64>,
    pub join_only_users_count: Option<u64>,
    pub total_users_count: Option<u64>,
    pub raw: Value,
}

/// One item of `GET /groups/{groupId}/admins` (`{email, name}`: no user id).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAdmin {
    pub email: String,
    pub name: Option<String>,
    pub raw: Value,
}

/// One item of `GET /accounts/me/managed_domains`.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedDomain {
    pub domain: String,
    pub status: Option<String>,
    pub raw: Value,
}

/// One item of `GET /report/operationlogs` (`operation_logs`). `time` is
/// kept as Zoom wrote it (ISO 8601, or `yyyy-mm-dd hh:mm:ss` as some
/// collectors show it); `activity::parse_time` reads both.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationLog {
    pub time: String,
    pub operator: String,
    pub category_type: String,
    pub action: String,
    pub operation_detail: String,
    pub raw: Value,
}

/// One item of `GET /report/activities` (`activity_logs`).
#[derive(Debug, Clone, PartialEq)]
pub struct SignInActivity {
    pub email: String,
    pub time: String,
    /// `Sign in` or `Sign out`.
    pub kind: String,
    pub ip_address: Option<String>,
    pub client_type: Option<String>,
    pub version: Option<String>,
    pub raw: Value,
}

/// The `option` query of `GET /users/{id}/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserSettingsOption {
    /// No `option`: the main settings object.
    Main,
    MeetingAuthentication,
    RecordingAuthentication,
    MeetingSecurity,
}

impl UserSettingsOption {
    pub const ALL: [UserSettingsOption; 4] = [
        UserSettingsOption::Main,
        UserSettingsOption::MeetingAuthentication,
        UserSettingsOption::RecordingAuthentication,
        UserSettingsOption::MeetingSecurity,
    ];
    pub fn query_value(self) -> Option<&'static str> {
        match self {
            UserSettingsOption::Main => None,
            UserSettingsOption::MeetingAuthentication => Some("meeting_authentication"),
            UserSettingsOption::RecordingAuthentication => Some("recording_authentication"),
            UserSettingsOption::MeetingSecurity => Some("meeting_security"),
        }
    }
}

/// Settings bodies (user, account, group, lock) are kept as JSON: their keys come
/// and go between accounts and over time. The graph layer flattens and
/// redacts them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub raw: Value,
}

// ---------------------------------------------------------------------------
// Tolerant construction from JSON.
// ---------------------------------------------------------------------------

use serde_json::value::RawValue;

use super::lenient::{self, Fields, Object};

/// Built from one JSON value of a Zoom response. `Err` carries a short
/// description of what was wrong (never the value itself).
pub trait FromJson: Sized {
    /// What the value is, for error messages ("user", "group", …).
    const WHAT: &'static str;
    fn from_object(o: &Object) -> Result<Self, String>;

    /// From one item's JSON text, as a listing page holds it. The default
    /// parses the text into a tree; a model read in bulk overrides it.
    fn from_raw(raw: &RawValue) -> Result<Self, String> {
        from_raw_tree(raw)
    }

    fn from_json(v: Value) -> Result<Self, String> {
        match &v {
            Value::Object(o) => Self::from_object(o).map(|mut s| {
                s.set_raw(v);
                s
            }),
            other => Err(format!(
                "{} is {}, not an object",
                Self::WHAT,
                lenient::kind(other)
            )),
        }
    }

    /// Stores the raw JSON (kept out of `from_object` so the value is moved, not copied).
    fn set_raw(&mut self, raw: Value);
}

/// [`FromJson::from_raw`] by way of a JSON tree.
fn from_raw_tree<T: FromJson>(raw: &RawValue) -> Result<T, String> {
    let v: Value = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    T::from_json(v)
}

fn required<F: Fields + ?Sized>(o: &F, key: &str, what: &str) -> Result<String, String> {
    lenient::id(o, key).ok_or_else(|| match o.field(key) {
        None | Some(Value::Null) => format!("{what} has no `{key}`"),
        Some(v) => format!("{what} has an unusable `{key}` ({})", lenient::kind(v)),
    })
}

/// Like [`required`], but only a JSON string will do: an e-mail address
/// sent as a number is a garbled body, not a type slip worth recovering.
fn required_text<F: Fields + ?Sized>(o: &F, key: &str, what: &str) -> Result<String, String> {
    match o.field(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(Value::String(_)) => Err(format!("{what} has an empty `{key}`")),
        None | Some(Value::Null) => Err(format!("{what} has no `{key}`")),
        Some(v) => Err(format!(
            "{what} has `{key}` as {}, not a string",
            lenient::kind(v)
        )),
    }
}

impl User {
    /// The key this user is de-duplicated by: the id, or for pending users
    /// (who have none) the lower-cased e-mail.
    pub fn dedup_key(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("pending:{}", self.email.to_lowercase()),
        }
    }
}

impl User {
    /// Reads a user from its fields (a whole object, or [`UserFields`]).
    fn from_fields<F: Fields + ?Sized>(o: &F) -> Result<Self, String> {
        let s = |k| lenient::string(o, k);
        Ok(User {
            id: lenient::id(o, "id"),
            email: required_text(o, "email", <Self as FromJson>::WHAT)?,
            first_name: s("first_name"),
            last_name: s("last_name"),
            display_name: s("display_name"),
            user_type: lenient::int(o, "type").map(UserType::from_code),
            status: lenient::string(o, "status").map(|v| UserStatus::parse(&v)),
            role_id: lenient::id(o, "role_id"),
            role_name: s("role_name"),
            dept: s("dept"),
            group_ids: lenient::strings(o, "group_ids"),
            im_group_ids: lenient::strings(o, "im_group_ids"),
            pmi: lenient::int(o, "pmi"),
            timezone: s("timezone"),
            verified: lenient::int(o, "verified"),
            created_at: s("created_at"),
            user_created_at: s("user_created_at"),
            last_login_time: s("last_login_time"),
            last_client_version: s("last_client_version"),
            pic_url: s("pic_url"),
            language: s("language"),
            phone_number: s("phone_number"),
            employee_unique_id: s("employee_unique_id"),
            plan_united_type: s("plan_united_type"),
            login_types: lenient::ints(o, "login_types"),
            account_id: s("account_id"),
            account_number: lenient::int(o, "account_number"),
            job_title: s("job_title"),
            location: s("location"),
            manager: s("manager"),
            cluster: s("cluster"),
            custom_attributes: custom_attributes(o),
            raw: RawJson::default(),
        })
    }
}

/// The JSON keys [`User::from_fields`] reads, in [`UserFields`] slot order.
const USER_KEYS: [&str; 32] = [
    "id",
    "email",
    "first_name",
    "last_name",
    "display_name",
    "type",
    "status",
    "role_id",
    "role_name",
    "dept",
    "group_ids",
    "im_group_ids",
    "pmi",
    "timezone",
    "verified",
    "created_at",
    "user_created_at",
    "last_login_time",
    "last_client_version",
    "pic_url",
    "language",
    "phone_number",
    "employee_unique_id",
    "plan_united_type",
    "login_types",
    "account_id",
    "account_number",
    "job_title",
    "location",
    "manager",
    "cluster",
    "custom_attributes",
];

/// A key's slot in [`UserFields`].
fn user_slot(key: &str) -> Option<usize> {
    USER_KEYS.iter().position(|k| *k == key)
}

/// Only the fields a user is read from, picked out of the object's text:
/// every other key (custom attributes, newer fields) is skipped without
/// being built. A key given twice keeps its last value, as a parsed object
/// does.
struct UserFields([Option<Value>; USER_KEYS.len()]);

impl Fields for UserFields {
    fn field(&self, key: &str) -> Option<&Value> {
        // A key `User::from_fields` reads but `USER_KEYS` lacks would be
        // lost from every listed user without a sound.
        debug_assert!(user_slot(key).is_some(), "`{key}` is not in USER_KEYS");
        self.0.get(user_slot(key)?)?.as_ref()
    }
}

impl<'de> serde::Deserialize<'de> for UserFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = UserFields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a user object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UserFields, A::Error> {
                let mut slots: [Option<Value>; USER_KEYS.len()] = Default::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match user_slot(&key).and_then(|i| slots.get_mut(i)) {
                        Some(slot) => *slot = Some(map.next_value()?),
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(UserFields(slots))
            }
        }
        d.deserialize_map(V)
    }
}

impl FromJson for User {
    const WHAT: &'static str = "user";
    fn from_object(o: &Object) -> Result<Self, String> {
        Self::from_fields(o)
    }
    /// Reads only the fields a user needs and keeps the text as the raw
    /// JSON: a listing of 100,000 users builds no JSON tree. Anything the
    /// quick reader cannot take (not an object) goes the tree way, which
    /// says precisely what is wrong.
    fn from_raw(raw: &RawValue) -> Result<Self, String> {
        match serde_json::from_str::<UserFields>(raw.get()) {
            Ok(fields) => User::from_fields(&fields).map(|mut u| {
                u.raw = RawJson::Text(raw.get().to_string());
                u
            }),
            Err(_) => from_raw_tree(raw),
        }
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = RawJson::Tree(raw);
    }
}

impl FromJson for Group {
    const WHAT: &'static str = "group";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(Group {
            id: required(o, "id", Self::WHAT)?,
            name: lenient::string(o, "name"),
            total_members: lenient::count(o, "total_members"),
            in_directory: lenient::boolean(o, "in_directory"),
            directory_privacy: lenient::int(o, "directory_privacy"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for GroupMember {
    const WHAT: &'static str = "group member";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(GroupMember {
            id: required(o, "id", Self::WHAT)?,
            email: lenient::string(o, "email"),
            first_name: lenient::string(o, "first_name"),
            last_name: lenient::string(o, "last_name"),
            user_type: lenient::int(o, "type").map(UserType::from_code),
            primary_group: lenient::boolean(o, "primary_group"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for GroupAdmin {
    const WHAT: &'static str = "group admin";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(GroupAdmin {
            email: required_text(o, "email", Self::WHAT)?,
            name: lenient::string(o, "name"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for Role {
    const WHAT: &'static str = "role";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(Role {
            id: required(o, "id", Self::WHAT)?,
            name: lenient::string(o, "name"),
            description: lenient::string(o, "description"),
            role_type: lenient::string(o, "type"),
            total_members: lenient::count(o, "total_members"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for RoleDetail {
    const WHAT: &'static str = "role";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(RoleDetail {
            id: required(o, "id", Self::WHAT)?,
            name: lenient::string(o, "name"),
            description: lenient::string(o, "description"),
            role_type: lenient::string(o, "type"),
            total_members: lenient::count(o, "total_members"),
            privileges: lenient::strings(o, "privileges"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for RoleMember {
    const WHAT: &'static str = "role member";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(RoleMember {
            id: required(o, "id", Self::WHAT)?,
            email: lenient::string(o, "email"),
            first_name: lenient::string(o, "first_name"),
            last_name: lenient::string(o, "last_name"),
            user_type: lenient::int(o, "type").map(UserType::from_code),
            department: lenient::string(o, "department"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for UsersSummary {
    const WHAT: &'static str = "users summary";
    fn from_object(o: &Object) -> Result<Self, String> {
        let c = |k| lenient::count(o, k);
        Ok(UsersSummary {
            licensed_users_count: c("licensed_users_count"),
            basic_users_count: c("basic_users_count"),
            on_prem_users_count: c("on_prem_users_count"),
            room_users_count: c("room_users_count"),
            pending_users_count: c("pending_users_count"),
            join_only_users_count: c("join_only_users_count"),
            total_users_count: c("total_users_count"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for ManagedDomain {
    const WHAT: &'static str = "managed domain";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(ManagedDomain {
            domain: required(o, "domain", Self::WHAT)?,
            status: lenient::string(o, "status"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for OperationLog {
    const WHAT: &'static str = "operation log entry";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(OperationLog {
            time: required_text(o, "time", Self::WHAT)?,
            operator: lenient::string(o, "operator").unwrap_or_default(),
            category_type: lenient::string(o, "category_type").unwrap_or_default(),
            action: lenient::string(o, "action").unwrap_or_default(),
            operation_detail: lenient::string(o, "operation_detail").unwrap_or_default(),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for SignInActivity {
    const WHAT: &'static str = "sign-in activity entry";
    fn from_object(o: &Object) -> Result<Self, String> {
        Ok(SignInActivity {
            email: required_text(o, "email", Self::WHAT)?,
            time: required_text(o, "time", Self::WHAT)?,
            kind: lenient::string(o, "type").unwrap_or_default(),
            ip_address: lenient::string(o, "ip_address"),
            client_type: lenient::string(o, "client_type"),
            version: lenient::string(o, "version"),
            raw: Value::Null,
        })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

impl FromJson for Settings {
    const WHAT: &'static str = "settings";
    fn from_object(_o: &Object) -> Result<Self, String> {
        Ok(Settings { raw: Value::Null })
    }
    fn set_raw(&mut self, raw: Value) {
        self.raw = raw;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_user_key_has_its_own_slot() {
        for (i, k) in USER_KEYS.iter().enumerate() {
            assert_eq!(user_slot(k), Some(i), "{k}");
        }
        assert_eq!(user_slot("host_key"), None);
    }

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn a_repeated_key_reads_as_a_parsed_object_reads_it() {
        let text = r#"{"email": "a@x.io", "id": "u1", "email": "b@x.io", "extra": {"email": "c"}}"#;
        let quick = User::from_raw(&raw(text)).unwrap();
        let tree = User::from_json(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(quick.email, "b@x.io");
        assert_eq!(quick.email, tree.email);
        assert_eq!(quick.raw, RawJson::Text(text.to_string()));
    }

    #[test]
    fn text_that_is_not_a_user_says_why() {
        assert_eq!(
            User::from_raw(&raw("[1]")).unwrap_err(),
            "user is an array, not an object"
        );
        assert_eq!(
            User::from_raw(&raw(r#"{"id": "u1"}"#)).unwrap_err(),
            "user has no `email`"
        );
        assert_eq!(
            User::from_raw(&raw(r#"{"email": 5}"#)).unwrap_err(),
            "user has `email` as a number, not a string"
        );
    }
}
