//! Fixtures shared by the store tests and benches/store.rs: a generated
//! Zoom org built from API models, with the
//! sandbox-style secret values that must never reach the store.

use serde_json::{Value, json};
use zoomscope::graph::Built;
use zoomscope::sync::convert::{AccountInput, Converter, UserSettingsBundle};
use zoomscope::zoom::models::{
    Group, ManagedDomain, Role, RoleDetail, Settings, User, UserStatus, UserType, UsersSummary,
};

/// Secret values planted in fixtures; none may appear in the store file.
pub const SECRET_PMI_PASSCODE: &str = "SECRETPMI-907155";
pub const SECRET_DEFAULT_PASSCODE: &str = "SECRETDEF-330481";
pub const SECRET_HOST_KEY: &str = "SECRETHK-118822";
pub const SECRET_URL_PWD: &str = "SECRETPWD-c0JidmlZRzA3";
pub const SECRETS: &[&str] = &[
    SECRET_PMI_PASSCODE,
    SECRET_DEFAULT_PASSCODE,
    SECRET_HOST_KEY,
    SECRET_URL_PWD,
];

pub const ACCOUNT_ID: &str = "AcctN0oChUdLTrCZ";

/// A fixture org: `n` users (every 50th pending, every 20th inactive),
/// `n / 40 + 1` groups, the three system roles plus one custom role.
pub struct Org {
    pub account: AccountInput,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub details: Vec<RoleDetail>,
}

pub fn user_id(i: usize) -> String {
    format!("u{i:07}xQketjPo0Y8wY")
}

pub fn group_id(g: usize) -> String {
    format!("g{g:05}BRFCdRE0mfLtt")
}

pub fn user(i: usize, n_groups: usize) -> User {
    let pending = i % 50 == 49;
    let status = if pending {
        UserStatus::Pending
    } else if i % 20 == 19 {
        UserStatus::Inactive
    } else {
        UserStatus::Active
    };
    let first = ["Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret"][i % 6];
    let last = ["Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson"][i % 5];
    let email = format!(
        "{}.{}{i}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    let id = (!pending).then(|| user_id(i));
    let gid = group_id(i % n_groups.max(1));
    let role_id = match i {
        0 => "0".to_string(),
        _ if i % 97 == 1 => "1".to_string(),
        _ if i % 31 == 2 => "custom-auditor".to_string(),
        _ => "2".to_string(),
    };
    let dept = ["Engineering", "Sales", "Finance", "Support"][i % 4];
    let created = format!(
        "2021-{:02}-{:02}T0{}:00:49Z",
        i % 12 + 1,
        i % 28 + 1,
        i % 10
    );
    let mut raw = json!({
        "email": email,
        "first_name": first,
        "last_name": last,
        "display_name": format!("{first} {last}"),
        "type": if i.is_multiple_of(3) { 1 } else { 2 },
        "status": status.as_str(),
        "role_id": role_id,
        "group_ids": [gid],
        "timezone": "America/New_York",
        "verified": 1,
        "dept": dept,
        "created_at": created,
        "user_created_at": created,
        "last_login_time": "2026-11-02T16:15:45Z",
        "last_client_version": "6.2.5.60500(mac)",
        "pic_url": format!("https://lh3.googleusercontent.com/a/AATXAJy4ZWS6WyBZ{i}=s96-c"),
        "language": "en-US",
        "phone_number": "",
        "pmi": 4_440_405_982_i64 + i as i64,
        "employee_unique_id": format!("E{i:06}"),
        "host_key": SECRET_HOST_KEY,
        "personal_meeting_url": format!("https://us06web.zoom.us/j/{}?pwd={SECRET_URL_PWD}", 4_440_405_982_i64 + i as i64),
    });
    if let (Some(id), Some(m)) = (&id, raw.as_object_mut()) {
        m.insert("id".into(), Value::from(id.as_str()));
    }
    User {
        id,
        email,
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        display_name: Some(format!("{first} {last}")),
        user_type: Some(UserType::from_code(if i.is_multiple_of(3) { 1 } else { 2 })),
        status: Some(status),
        role_id: Some(role_id),
        role_name: None,
        dept: Some(dept.into()),
        group_ids: vec![gid],
        im_group_ids: vec![],
        pmi: Some(4_440_405_982 + i as i64),
        timezone: Some("America/New_York".into()),
        verified: Some(1),
        created_at: Some(created.clone()),
        user_created_at: Some(created),
        last_login_time: Some("2026-11-02T16:15:45Z".into()),
        last_client_version: Some("6.2.5.60500(mac)".into()),
        pic_url: Some(format!(
            "https://lh3.googleusercontent.com/a/AATXAJy4ZWS6WyBZ{i}=s96-c"
        )),
        language: Some("en-US".into()),
        phone_number: Some(String::new()),
        employee_unique_id: Some(format!("E{i:06}")),
        plan_united_type: None,
        login_types: vec![],
        account_id: None,
        account_number: None,
        job_title: None,
        location: None,
        manager: None,
        cluster: None,
        custom_attributes: vec![],
        raw: raw.into(),
    }
}

pub fn org(n: usize) -> Org {
    let n_groups = n / 40 + 1;
    let users: Vec<User> = (0..n).map(|i| user(i, n_groups)).collect();
    let mut per_group: std::collections::HashMap<&str, u64> = Default::default();
    let mut per_role: std::collections::HashMap<&str, u64> = Default::default();
    for u in &users {
        for g in &u.group_ids {
            *per_group.entry(g.as_str()).or_default() += 1;
        }
        if let Some(r) = &u.role_id {
            *per_role.entry(r.as_str()).or_default() += 1;
        }
    }
    let groups = (0..n_groups)
        .map(|g| {
            let members = per_group.get(group_id(g).as_str()).copied().unwrap_or(0);
            let raw = json!({"id": group_id(g), "name": format!("Team {g}"),
                "total_members": members, "in_directory": g.is_multiple_of(2), "directory_privacy": 2});
            Group {
                id: group_id(g),
                name: Some(format!("Team {g}")),
                total_members: Some(members),
                in_directory: Some(g.is_multiple_of(2)),
                directory_privacy: Some(2),
                raw,
            }
        })
        .collect();
    let role_defs = [
        ("0", "Owner", "Account owner has full privileges."),
        ("1", "Admin", "Admins have wide range privileges."),
        (
            "2",
            "Member",
            "Members have access to basic Zoom functions.",
        ),
        ("custom-auditor", "Auditor", "Reads reports."),
    ];
    let mut roles = Vec::new();
    let mut details = Vec::new();
    for (id, name, desc) in role_defs {
        let total = per_role.get(id).copied().unwrap_or(0);
        let raw = json!({"id": id, "name": name, "description": desc, "type": "common", "total_members": total});
        roles.push(Role {
            id: id.into(),
            name: Some(name.into()),
            description: Some(desc.into()),
            role_type: Some("common".into()),
            total_members: Some(total),
            raw: raw.clone(),
        });
        let privileges: Vec<String> = match name {
            "Owner" | "Admin" => vec!["User:Read".into(), "User:Edit".into(), "Group:Edit".into()],
            "Auditor" => vec!["Report:Read".into()],
            _ => vec![],
        };
        details.push(RoleDetail {
            id: id.into(),
            name: Some(name.into()),
            description: Some(desc.into()),
            role_type: Some("common".into()),
            total_members: Some(total),
            privileges: privileges.clone(),
            raw: json!({"id": id, "name": name, "privileges": privileges}),
        });
    }
    let mut owner = users[0].clone();
    owner.account_number = Some(7_011_249_145);
    owner.role_name = Some("Owner".into());
    let account = AccountInput {
        account_id: ACCOUNT_ID.into(),
        owner: Some(owner),
        summary: Some(UsersSummary {
            licensed_users_count: Some(n as u64 * 2 / 3),
            basic_users_count: Some(n as u64 / 3),
            on_prem_users_count: Some(0),
            room_users_count: Some(0),
            pending_users_count: Some(n as u64 / 50),
            join_only_users_count: Some(0),
            total_users_count: Some(n as u64),
            raw: json!({"licensed_users_count": n * 2 / 3, "basic_users_count": n / 3,
                "pending_users_count": n / 50, "total_users_count": n}),
        }),
        settings: Some(Settings {
            raw: json!({
                "security": {"sign_in_with_two_factor_auth": "all",
                    "password_requirement": {"minimum_password_length": 10, "have_special_character": true}},
                "schedule_meeting": {"join_before_host": false,
                    "default_password_for_scheduled_meetings": SECRET_DEFAULT_PASSCODE},
                "in_meeting": {"e2e_encryption": true, "chat": true},
            }),
        }),
        security_settings: Some(Settings {
            raw: json!({"meeting_security": {"waiting_room": true, "password_for_pmi": SECRET_PMI_PASSCODE}}),
        }),
        lock_settings: Some(Settings {
            raw: json!({"schedule_meeting": {"join_before_host": true}, "in_meeting": {"e2e_encryption": false}}),
        }),
        managed_domains: Some(vec![ManagedDomain {
            domain: "example.com".into(),
            status: Some("verified".into()),
            raw: json!({"domain": "example.com", "status": "verified"}),
        }]),
        trusted_domains: None,
    };
    Org {
        account,
        users,
        groups,
        roles,
        details,
    }
}

/// A settings bundle like the Owner's real one, with planted secrets.
pub fn settings_bundle(i: usize) -> UserSettingsBundle {
    UserSettingsBundle {
        main: Some(Settings {
            raw: json!({
                "schedule_meeting": {"host_video": i.is_multiple_of(2), "pmi_password": SECRET_PMI_PASSCODE,
                    "require_password_for_pmi_meetings": "all",
                    "default_password_for_scheduled_meetings": SECRET_DEFAULT_PASSCODE,
                    "meeting_password_requirement": {"length": 6, "have_letter": true}},
                "in_meeting": {"e2e_encryption": i.is_multiple_of(3), "feedback": true, "chat": true,
                    "data_center_regions": ["US", "EU"]},
                "recording": {"required_password_for_shared_cloud_recordings": true},
            }),
        }),
        meeting_authentication: Some(Settings {
            raw: json!({"meeting_authentication": false, "allow_authentication_exception": false}),
        }),
        recording_authentication: Some(Settings {
            raw: json!({"recording_authentication": false}),
        }),
        meeting_security: Some(Settings {
            raw: json!({"meeting_security": {"pmi_password": true, "password_for_pmi": SECRET_PMI_PASSCODE,
                "require_password_for_scheduled_meeting": !i.is_multiple_of(4), "waiting_room": true}}),
        }),
    }
}

/// Builds the org into a graph (all parts).
pub fn build(o: &Org, account_name: Option<&str>) -> Built {
    let mut b = Converter::new(account_name);
    b.account(o.account.clone());
    b.users(o.users.clone());
    b.groups(o.groups.clone());
    b.roles(o.roles.clone(), o.details.clone());
    b.finish()
}
