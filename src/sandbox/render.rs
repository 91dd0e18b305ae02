//! JSON bodies in Zoom's shapes (<https://developers.zoom.us/docs/api/users/>,
//! <https://developers.zoom.us/docs/api/accounts/>), written from the sandbox's
//! own model. Borrowing `Serialize` views keep a 2,000-user page cheap.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::index::IndexedOrg;
use super::model::{Account, Group, Role, User, UserStatus};
use super::paging::Page;

pub fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Which optional fields `include_fields` asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct IncludeFields {
    pub custom_attributes: bool,
    pub host_key: bool,
}

impl IncludeFields {
    pub fn parse(raw: Option<&str>) -> Self {
        let mut me = Self::default();
        for f in raw.unwrap_or("").split(',').map(str::trim) {
            match f {
                "custom_attributes" => me.custom_attributes = true,
                "host_key" => me.host_key = true,
                _ => {}
            }
        }
        me
    }
}

#[derive(Serialize)]
pub struct CustomAttribute<'a> {
    key: &'a str,
    name: &'a str,
    value: &'a str,
}

/// An item of `GET /users`.
#[derive(Serialize)]
pub struct UserListItem<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    first_name: &'a str,
    last_name: &'a str,
    display_name: &'a str,
    email: &'a str,
    #[serde(rename = "type")]
    user_type: u8,
    pmi: u64,
    timezone: &'a str,
    verified: u8,
    dept: &'a str,
    created_at: String,
    user_created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_login_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_client_version: Option<&'a str>,
    group_ids: &'a [String],
    im_group_ids: &'a [String],
    language: &'a str,
    phone_number: &'a str,
    status: &'static str,
    role_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    employee_unique_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan_united_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_attributes: Option<Vec<CustomAttribute<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_key: Option<&'a str>,
}

pub fn user_list_item<'a>(u: &'a User, include: IncludeFields) -> UserListItem<'a> {
    UserListItem {
        id: u.id.as_deref(),
        first_name: &u.first_name,
        last_name: &u.last_name,
        display_name: &u.display_name,
        email: &u.email,
        user_type: u.user_type,
        pmi: u.pmi,
        timezone: &u.timezone,
        verified: u.verified,
        dept: &u.dept,
        created_at: ts(&u.created_at),
        user_created_at: ts(&u.user_created_at),
        last_login_time: u.last_login_time.as_ref().map(ts),
        last_client_version: u.last_client_version.as_deref(),
        group_ids: &u.group_ids,
        im_group_ids: &[],
        language: &u.language,
        phone_number: &u.phone_number,
        status: u.status.as_str(),
        role_id: &u.role_id,
        employee_unique_id: u.employee_unique_id.as_deref(),
        plan_united_type: u.plan_united_type.as_deref(),
        custom_attributes: include.custom_attributes.then(|| {
            vec![CustomAttribute {
                key: "cbf_cost_center",
                name: "Cost center",
                value: &u.cost_center,
            }]
        }),
        host_key: include.host_key.then_some(u.host_key.as_str()),
    }
}

#[derive(Serialize)]
struct UsersPage<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<&'a str>,
    page_count: usize,
    page_number: usize,
    page_size: usize,
    total_records: usize,
    users: Vec<UserListItem<'a>>,
}

pub fn users_page(
    org: &IndexedOrg,
    positions: &[u32],
    page: &Page,
    include: IncludeFields,
) -> Vec<u8> {
    let users = positions
        .get(page.start..page.end)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| org.org.users.get(*p as usize))
        .map(|u| user_list_item(u, include))
        .collect();
    let body = UsersPage {
        next_page_token: page.next_page_token.as_deref(),
        page_count: page.page_count,
        page_number: page.page_number,
        page_size: page.page_size,
        total_records: page.total_records,
        users,
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

pub fn role_name<'a>(org: &'a IndexedOrg, role_id: &str) -> &'a str {
    org.org
        .roles
        .iter()
        .find(|r| r.id == role_id)
        .map_or("Member", |r| r.name.as_str())
}

/// `GET /users/{userId}`.
pub fn user_detail(org: &IndexedOrg, u: &User, now: DateTime<Utc>) -> Value {
    let a = &org.org.account;
    let mut v = json!({
        "first_name": u.first_name,
        "last_name": u.last_name,
        "display_name": u.display_name,
        "email": u.email,
        "type": u.user_type,
        "role_name": role_name(org, &u.role_id),
        "pmi": u.pmi,
        "use_pmi": false,
        "timezone": u.timezone,
        "verified": u.verified,
        "dept": u.dept,
        // Zoom: for pending users `created_at` is the time of the API call.
        "created_at": if u.status == UserStatus::Pending { ts(&now) } else { ts(&u.created_at) },
        "user_created_at": ts(&u.user_created_at),
        "cms_user_id": "",
        "group_ids": u.group_ids,
        "im_group_ids": [],
        "account_id": a.account_id,
        "account_number": a.account_number,
        "language": u.language,
        "phone_country": "",
        "phone_number": u.phone_number,
        "status": u.status.as_str(),
        "job_title": u.job_title,
        "location": u.location,
        "cost_center": u.cost_center,
        "company": a.account_name,
        "login_types": u.login_types,
        "role_id": u.role_id,
        "cluster": a.cluster,
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(id) = &u.id {
            obj.insert("id".into(), json!(id));
            obj.insert(
                "jid".into(),
                json!(format!("{}@xmpp.zoom.us", id.to_lowercase())),
            );
            if u.pmi != 0 {
                obj.insert(
                    "personal_meeting_url".into(),
                    json!(format!("https://{}web.zoom.us/j/{}", a.cluster, u.pmi)),
                );
            }
        }
        if let Some(t) = &u.last_login_time {
            obj.insert("last_login_time".into(), json!(ts(t)));
        }
        if let Some(c) = &u.last_client_version {
            obj.insert("last_client_version".into(), json!(c));
        }
        if let Some(e) = &u.employee_unique_id {
            obj.insert("employee_unique_id".into(), json!(e));
        }
        if let Some(m) = &u.manager {
            obj.insert("manager".into(), json!(m));
        }
        if let Some(p) = &u.plan_united_type {
            obj.insert("plan_united_type".into(), json!(p));
        }
    }
    v
}

/// `GET /users/summary`.
pub fn users_summary(org: &IndexedOrg) -> Value {
    let users = &org.org.users;
    let with_id = || users.iter().filter(|u| u.status != UserStatus::Pending);
    let licensed = with_id().filter(|u| u.user_type == 2).count();
    let basic = with_id().filter(|u| u.user_type == 1).count();
    let join_only = with_id().filter(|u| u.user_type == 4).count();
    let pending = users
        .iter()
        .filter(|u| u.status == UserStatus::Pending)
        .count();
    json!({
        "licensed_users_count": licensed,
        "basic_users_count": basic,
        "on_prem_users_count": 0,
        "room_users_count": 0,
        "pending_users_count": pending,
        "join_only_users_count": join_only,
        "total_users_count": users.len(),
    })
}

#[derive(Serialize)]
struct GroupItem<'a> {
    id: &'a str,
    name: &'a str,
    total_members: usize,
    in_directory: bool,
    directory_privacy: u8,
}

#[derive(Serialize)]
struct GroupsPage<'a> {
    // Paging fields first, the list last, as Zoom's bodies are laid out
    // (a client may read the paging fields before the list).
    total_records: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<&'a str>,
    groups: Vec<GroupItem<'a>>,
}

/// `GET /groups`: only `groups`, `total_records`, `next_page_token`.
pub fn groups_page(org: &IndexedOrg, page: &Page) -> Vec<u8> {
    let groups = org
        .org
        .groups
        .get(page.start..page.end)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(k, g)| GroupItem {
            id: &g.id,
            name: &g.name,
            total_members: org.group_members.get(page.start + k).map_or(0, Vec::len),
            in_directory: g.in_directory,
            directory_privacy: g.directory_privacy,
        })
        .collect();
    serde_json::to_vec(&GroupsPage {
        total_records: page.total_records,
        next_page_token: page.next_page_token.as_deref(),
        groups,
    })
    .unwrap_or_default()
}

/// `GET /groups/{groupId}`.
pub fn group_detail(g: &Group, total_members: usize) -> Value {
    json!({"id": g.id, "name": g.name, "total_members": total_members})
}

#[derive(Serialize)]
struct GroupMember<'a> {
    id: &'a str,
    member_id: String,
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    #[serde(rename = "type")]
    user_type: u8,
    primary_group: bool,
}

#[derive(Serialize)]
struct MembersPage<'a, T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_token: Option<&'a str>,
    page_count: usize,
    page_number: usize,
    page_size: usize,
    total_records: usize,
    members: Vec<T>,
}

/// `GET /groups/{groupId}/members`.
pub fn group_members_page(
    org: &IndexedOrg,
    group: &Group,
    positions: &[u32],
    page: &Page,
) -> Vec<u8> {
    let members = positions
        .get(page.start..page.end)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| org.org.users.get(*p as usize))
        .filter_map(|u| {
            let id = u.id.as_deref()?;
            Some(GroupMember {
                id,
                member_id: format!("{id}{}", &org.org.account.account_id),
                email: &u.email,
                first_name: &u.first_name,
                last_name: &u.last_name,
                user_type: u.user_type,
                primary_group: u.group_ids.first() == Some(&group.id),
            })
        })
        .collect();
    members_page(members, page)
}

fn members_page<T: Serialize>(members: Vec<T>, page: &Page) -> Vec<u8> {
    serde_json::to_vec(&MembersPage {
        next_page_token: page.next_page_token.as_deref(),
        page_count: page.page_count,
        page_number: page.page_number,
        page_size: page.page_size,
        total_records: page.total_records,
        members,
    })
    .unwrap_or_default()
}

/// `GET /roles`: unpaginated.
pub fn roles_list(org: &IndexedOrg) -> Vec<u8> {
    let roles: Vec<Value> = org
        .org
        .roles
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "description": r.description,
                "type": r.role_type,
                "total_members": org.role_member_count(&r.id),
            })
        })
        .collect();
    list_body(roles.len(), "roles", roles)
}

/// `{"total_records": n, "<key>": [...]}` with the count first, as Zoom
/// lays out its unpaged lists (a `json!` map would sort the list first).
pub fn list_body<T: Serialize>(total: usize, key: &str, items: Vec<T>) -> Vec<u8> {
    let mut out = format!("{{\"total_records\":{total},").into_bytes();
    out.extend(serde_json::to_vec(key).unwrap_or_default());
    out.push(b':');
    out.extend(serde_json::to_vec(&items).unwrap_or_else(|_| b"[]".to_vec()));
    out.push(b'}');
    out
}

/// `GET /roles/{roleId}`.
pub fn role_detail(org: &IndexedOrg, r: &Role) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "description": r.description,
        "type": r.role_type,
        "total_members": org.role_member_count(&r.id),
        "privileges": r.privileges,
        "sub_account_privileges": {"second_level": 0},
        // Privileges restricted to groups; the generated roles have none
        // (Zoom sends the field, empty, for unrestricted roles).
        "privilege_scopes": [],
    })
}

#[derive(Serialize)]
struct RoleMember<'a> {
    id: &'a str,
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    #[serde(rename = "type")]
    user_type: u8,
    #[serde(skip_serializing_if = "str::is_empty")]
    department: &'a str,
}

/// `GET /roles/{roleId}/members`.
pub fn role_members_page(org: &IndexedOrg, positions: &[u32], page: &Page) -> Vec<u8> {
    let members = positions
        .get(page.start..page.end)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| org.org.users.get(*p as usize))
        .filter_map(|u| {
            Some(RoleMember {
                id: u.id.as_deref()?,
                email: &u.email,
                first_name: &u.first_name,
                last_name: &u.last_name,
                user_type: u.user_type,
                department: &u.dept,
            })
        })
        .collect();
    members_page(members, page)
}

/// `GET /accounts/me/managed_domains`.
pub fn managed_domains(a: &Account) -> Vec<u8> {
    let domains: Vec<Value> = a
        .managed_domains
        .iter()
        .map(|d| json!({"domain": d.domain, "status": d.status}))
        .collect();
    list_body(domains.len(), "domains", domains)
}
