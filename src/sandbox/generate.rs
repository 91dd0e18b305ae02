//! The org generator: a deterministic function of (user count, seed,
//! reference time). Linear in the user count with small constants, so that
//! 200,000 users generate in well under a second in release builds.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration as ChronoDuration, TimeZone, Utc};

use super::model::{
    Account, AccountSecurity, Group, GroupSettings, LockSettings, ManagedDomain, OrgSnapshot, Role,
    User, UserSecurity, UserStatus,
};
use super::names;
use super::rng::{Rng, keyed};

pub const MIN_USERS: usize = 10;
pub const MAX_USERS: usize = 200_000;

pub const ORG_DOMAIN: &str = "northwind.example";
pub const ALIAS_DOMAIN: &str = "northwind-corp.example";
pub const CONTRACTOR_DOMAIN: &str = "contractors.example";
/// Local-part prefix of service accounts (Zoom Rooms, bots): in Zoom, never in HR.
pub const SERVICE_PREFIX: &str = "svc-";

/// Index of the user whose names carry terminal control sequences.
pub const HOSTILE_USER_INDEX: usize = 7;

/// UTC midnight of today: the default reference time, so generated ages
/// ("last login 120 days ago") stay put for a day.
pub fn default_reference_time() -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// Employee id of the HR roster row for generated user `index`.
pub fn employee_id_for(index: usize) -> String {
    format!("E{:06}", 100_000 + index)
}

/// Generates an org. `users` is clamped to 10..=200,000.
pub fn generate(users: usize, seed: u64, reference: DateTime<Utc>) -> OrgSnapshot {
    let n = users.clamp(MIN_USERS, MAX_USERS);
    let account = gen_account(seed, reference);
    let roles = gen_roles(seed);
    let mut groups = gen_groups(n, seed);
    super::group_settings::generate(&mut groups, &account, seed);
    let mut g = UserGen::new(n, seed, reference, &account, &roles, &groups);
    let users = (0..n).map(|i| g.user(i)).collect();
    OrgSnapshot {
        seed,
        reference_time: reference,
        account,
        users,
        groups,
        roles,
    }
}

fn gen_account(seed: u64, reference: DateTime<Utc>) -> Account {
    let mut r = Rng::stream(seed, "account");
    let account_id = r.zoom_id();
    let account_number = 1_000_000_000 + r.below(8_999_999_999);
    let two_factor = ["role", "group", "none"][r.index(3)];
    let security = AccountSecurity {
        sign_in_with_two_factor_auth: two_factor,
        sign_in_with_two_factor_auth_groups: Vec::new(),
        sign_in_with_two_factor_auth_roles: if two_factor == "role" {
            vec!["0".into(), "1".into()]
        } else {
            Vec::new()
        },
        sso_enabled: true,
        require_sso_for_domains: r.chance(0.5),
        sso_domains: vec![ORG_DOMAIN.to_string()],
        sso_bypass_users: Vec::new(),
        minimum_password_length: [8, 10, 12][r.index(3)],
        password_have_special_character: r.chance(0.5),
        waiting_room: true,
        e2e_encryption: r.chance(0.3),
        require_password_for_scheduling_new_meetings: true,
        cloud_recording: true,
        allow_live_streaming: r.chance(0.3),
        admin_change_name_pic: r.chance(0.5),
        hide_billing_info: r.chance(0.5),
        sign_again_period_for_inactivity_on_client: [0, 30, 60, 120][r.index(4)],
    };
    let lock_settings = LockSettings {
        waiting_room: r.chance(0.5),
        e2e_encryption: false,
        require_password_for_scheduled_meetings: true,
        cloud_recording: r.chance(0.5),
        local_recording: false,
        auto_recording: false,
        file_transfer: r.chance(0.3),
        screen_sharing: false,
        chat: false,
    };
    Account {
        account_id,
        account_number,
        account_name: "Northwind Traders (sandbox)".to_string(),
        domain: ORG_DOMAIN.to_string(),
        alias_domain: ALIAS_DOMAIN.to_string(),
        contractor_domain: CONTRACTOR_DOMAIN.to_string(),
        cluster: "us06".to_string(),
        plan: "business".to_string(),
        created_at: reference - ChronoDuration::days(6 * 365),
        security,
        lock_settings,
        managed_domains: vec![
            ManagedDomain {
                domain: ORG_DOMAIN.to_string(),
                status: "verified".into(),
            },
            ManagedDomain {
                domain: ALIAS_DOMAIN.to_string(),
                status: "verified".into(),
            },
            ManagedDomain {
                domain: format!("labs.{ORG_DOMAIN}"),
                status: "pending".into(),
            },
        ],
    }
}

fn privileges(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

/// Custom-role names, in the order their ids are drawn.
pub const CUSTOM_ROLES: &[(&str, &str, &[&str])] = &[
    (
        "Help Desk",
        "Resets passwords and edits user profiles.",
        &["User:Read", "User:Edit", "Group:Read"],
    ),
    (
        "Auditor",
        "Read-only access to users, groups, roles and settings.",
        &[
            "User:Read",
            "Group:Read",
            "Role:Read",
            "AccountSetting:Read",
            "Report:Read",
        ],
    ),
    (
        "Security Admin",
        "Manages account security settings.",
        &[
            "User:Read",
            "Role:Read",
            "AccountSetting:Read",
            "AccountSetting:Edit",
            "SecuritySetting:Edit",
        ],
    ),
    (
        "Billing Admin",
        "Manages billing and subscriptions.",
        &[
            "BillingInformation:Read",
            "BillingInformation:Edit",
            "BillingSubscription:Read",
        ],
    ),
    ("Unused Role", "A custom role with no members.", &[]),
];

fn gen_roles(seed: u64) -> Vec<Role> {
    let mut r = Rng::stream(seed, "roles");
    let mut roles = vec![
        Role {
            id: "0".into(),
            name: "Owner".into(),
            description: "Account owner has full privileges to access and manage a Zoom account."
                .into(),
            role_type: "common".into(),
            privileges: privileges(&[
                "User:Read",
                "User:Edit",
                "Group:Read",
                "Group:Edit",
                "Role:Read",
                "Role:Edit",
                "AccountSetting:Read",
                "AccountSetting:Edit",
                "SecuritySetting:Edit",
                "BillingInformation:Read",
                "BillingInformation:Edit",
                "Report:Read",
            ]),
        },
        Role {
            id: "1".into(),
            name: "Admin".into(),
            description: "Admins have wide range privileges to access and manage a Zoom account."
                .into(),
            role_type: "common".into(),
            privileges: privileges(&[
                "User:Read",
                "User:Edit",
                "Group:Read",
                "Group:Edit",
                "Role:Read",
                "AccountSetting:Read",
                "AccountSetting:Edit",
                "Report:Read",
            ]),
        },
        Role {
            id: "2".into(),
            name: "Member".into(),
            description: "Members have access to basic Zoom video meeting functions but no account management privileges.".into(),
            role_type: "common".into(),
            privileges: Vec::new(),
        },
    ];
    for (name, description, privs) in CUSTOM_ROLES {
        roles.push(Role {
            id: format!("R{}", r.alnum(22)),
            name: (*name).to_string(),
            description: (*description).to_string(),
            role_type: "common".into(),
            privileges: privileges(privs),
        });
    }
    roles
}

/// Number of groups for `n` users.
pub fn group_count(n: usize) -> usize {
    (n / 40).clamp(5, 2_000)
}

fn gen_groups(n: usize, seed: u64) -> Vec<Group> {
    let mut r = Rng::stream(seed, "groups");
    let count = group_count(n);
    (0..count)
        .map(|k| {
            let name = if k == 0 {
                "All Staff".to_string()
            } else if k == count - 1 {
                "Empty Group".to_string()
            } else if k == count - 2 {
                "Decommissioned (no members)".to_string()
            } else {
                let base = names::GROUP_NAMES[(k - 1) % names::GROUP_NAMES.len()];
                let round = (k - 1) / names::GROUP_NAMES.len();
                if round == 0 {
                    base.to_string()
                } else {
                    format!("{base} {:03}", round + 1)
                }
            };
            Group {
                id: r.zoom_id(),
                name,
                directory_privacy: 1 + r.below(3) as u8,
                in_directory: r.chance(0.7),
                settings: GroupSettings::default(),
            }
        })
        .collect()
}

struct UserGen<'a> {
    r: Rng,
    reference: DateTime<Utc>,
    roles: &'a [Role],
    groups: &'a [Group],
    /// Cumulative Zipf weights over the "ordinary" groups 1..count-2.
    zipf: Vec<f64>,
    /// Hashes of the emails handed out (64-bit: a collision only costs a
    /// needless numeric suffix), to keep 200,000 users cheap.
    emails: HashSet<u64>,
    name_counts: HashMap<String, u32>,
    n: usize,
    owner_email: String,
}

impl<'a> UserGen<'a> {
    fn new(
        n: usize,
        seed: u64,
        reference: DateTime<Utc>,
        _account: &Account,
        roles: &'a [Role],
        groups: &'a [Group],
    ) -> Self {
        let ordinary = groups.len().saturating_sub(3);
        let mut acc = 0.0;
        let zipf = (0..ordinary)
            .map(|k| {
                acc += 1.0 / ((k + 1) as f64).powf(1.1);
                acc
            })
            .collect();
        Self {
            r: Rng::stream(seed, "users"),
            reference,
            roles,
            groups,
            zipf,
            emails: HashSet::with_capacity(n),
            name_counts: HashMap::new(),
            n,
            owner_email: String::new(),
        }
    }

    fn zipf_group(&mut self) -> Option<&'a Group> {
        let total = *self.zipf.last()?;
        let x = self.r.unit() * total;
        let k = self.zipf.partition_point(|w| *w < x);
        self.groups.get(1 + k)
    }

    fn unique_email(&mut self, local: &str, domain: &str) -> String {
        let key = format!("{local}@{domain}");
        if self.emails.insert(keyed(0, key.as_bytes())) {
            return key;
        }
        let count = self.name_counts.entry(key).or_insert(1);
        loop {
            *count += 1;
            let candidate = format!("{local}{count}@{domain}");
            if self.emails.insert(keyed(0, candidate.as_bytes())) {
                return candidate;
            }
        }
    }

    fn user(&mut self, i: usize) -> User {
        let is_owner = i == 0;
        let r = &mut self.r;
        let first = (*r.pick(names::FIRST_NAMES).unwrap_or(&"Alex")).to_string();
        let last = (*r.pick(names::LAST_NAMES).unwrap_or(&"Smith")).to_string();

        // Kind of account: contractors and service accounts exist in Zoom only.
        let kind = if is_owner {
            Kind::Employee
        } else {
            let x = r.unit();
            if x < 0.04 {
                Kind::Contractor
            } else if x < 0.05 {
                Kind::Service
            } else {
                Kind::Employee
            }
        };

        let status = if is_owner {
            UserStatus::Active
        } else {
            let x = r.unit();
            if x < 0.88 {
                UserStatus::Active
            } else if x < 0.96 {
                UserStatus::Inactive
            } else {
                UserStatus::Pending
            }
        };

        let user_type = if is_owner {
            2
        } else {
            let x = r.unit();
            if x < 0.62 {
                2
            } else if x < 0.92 {
                1
            } else if x < 0.98 {
                4
            } else {
                99
            }
        };

        let role_id = if is_owner {
            "0".to_string()
        } else {
            let x = r.unit();
            let custom = &self.roles[3..self.roles.len().saturating_sub(1)];
            if x < 0.012 || (i == 1) {
                "1".to_string()
            } else if x < 0.04 && !custom.is_empty() {
                custom[r.index(custom.len())].id.clone()
            } else {
                "2".to_string()
            }
        };

        let fp = names::email_part(&first);
        let lp = names::email_part(&last);
        let (local, domain) = match kind {
            Kind::Service => (
                format!(
                    "{SERVICE_PREFIX}{}{:04}",
                    ["zoomroom-", "webinar-", "bot-"][i % 3],
                    i
                ),
                ORG_DOMAIN,
            ),
            Kind::Contractor => (
                if fp.is_empty() || lp.is_empty() {
                    format!("ext{i}")
                } else {
                    format!("{fp}.{lp}")
                },
                CONTRACTOR_DOMAIN,
            ),
            Kind::Employee => (
                if fp.is_empty() || lp.is_empty() {
                    format!("user{i}")
                } else {
                    format!("{fp}.{lp}")
                },
                ORG_DOMAIN,
            ),
        };
        let email = self.unique_email(&local, domain);
        if is_owner {
            self.owner_email = email.clone();
        }
        let r = &mut self.r;

        let (first, last, display_name) = if i == HOSTILE_USER_INDEX && self.n > i {
            // Terminal-hostile strings, to test sanitising: ESC sequences
            // (colour, window title), BEL, a bidi override, CR/LF and TAB.
            (
                "Mallory\u{1b}]0;pwned\u{7}".to_string(),
                "\u{202E}Evil\tName".to_string(),
                "Mallory \u{1b}[31mRED\u{1b}[0m\r\n\u{7}Admin".to_string(),
            )
        } else {
            let display = format!("{first} {last}");
            (first, last, display)
        };

        let dept = match kind {
            Kind::Service => "",
            Kind::Contractor => "Contractors",
            Kind::Employee => r.pick(names::DEPARTMENTS).copied().unwrap_or(""),
        }
        .to_string();

        let age_days = r.range(30, 6 * 365) as i64;
        let user_created_at = self.reference - ChronoDuration::days(age_days)
            + ChronoDuration::seconds(r.below(86_400) as i64);
        let last_login_time = if status == UserStatus::Pending {
            None
        } else {
            let x = r.unit();
            let days_ago = if x < 0.05 {
                None
            } else if x < 0.70 {
                Some(r.range(0, 30))
            } else if x < 0.85 {
                Some(r.range(31, 90))
            } else {
                Some(r.range(91, 900))
            };
            // Before the reference time, never after: the reference is
            // today's midnight by default, so adding the time of day put
            // "today's" logins hours into the future.
            days_ago.map(|d| {
                let t = self.reference
                    - ChronoDuration::days(d as i64)
                    - ChronoDuration::seconds(r.below(86_400) as i64);
                t.max(user_created_at)
            })
        };

        let login_types: Vec<u16> = match kind {
            Kind::Contractor | Kind::Service => vec![100],
            Kind::Employee if is_owner => vec![100],
            Kind::Employee => {
                let x = r.unit();
                if x < 0.45 {
                    vec![101]
                } else if x < 0.50 {
                    vec![100, 101]
                } else if x < 0.55 {
                    vec![1]
                } else if x < 0.58 {
                    vec![27]
                } else {
                    vec![100]
                }
            }
        };
        let employee_unique_id =
            if kind == Kind::Employee && login_types.contains(&101) && r.chance(0.7) {
                Some(employee_id_for(i))
            } else {
                None
            };

        let mut group_ids = Vec::new();
        if status != UserStatus::Pending {
            if r.chance(0.9)
                && let Some(g) = self.groups.first()
            {
                group_ids.push(g.id.clone());
            }
            let extra = {
                let x = self.r.unit();
                if x < 0.45 {
                    0
                } else if x < 0.80 {
                    1
                } else if x < 0.95 {
                    2
                } else {
                    3
                }
            };
            for _ in 0..extra {
                if let Some(g) = self.zipf_group()
                    && !group_ids.contains(&g.id)
                {
                    group_ids.push(g.id.clone());
                }
            }
        }
        let r = &mut self.r;

        let settings = UserSecurity {
            waiting_room: r.chance(0.8),
            e2e_encryption: r.chance(0.25),
            join_before_host: r.chance(0.2),
            require_password_for_scheduling_new_meetings: r.chance(0.85),
            require_password_for_instant_meetings: r.chance(0.85),
            require_password_for_pmi_meetings: {
                let x = r.unit();
                if x < 0.7 {
                    "all"
                } else if x < 0.9 {
                    "jbh_only"
                } else {
                    "none"
                }
            },
            embed_password_in_join_link: r.chance(0.6),
            passcode_min_length: [0u8, 6, 6, 8, 10][r.index(5)],
            passcode_only_numeric: r.chance(0.3),
            passcode_have_special_character: r.chance(0.2),
            cloud_recording: r.chance(0.7),
            local_recording: r.chance(0.8),
            auto_recording: {
                let x = r.unit();
                if x < 0.8 {
                    "none"
                } else if x < 0.95 {
                    "cloud"
                } else {
                    "local"
                }
            },
            file_transfer: r.chance(0.5),
            remote_control: r.chance(0.4),
            allow_live_streaming: r.chance(0.1),
            who_can_share_screen: if r.chance(0.7) { "host" } else { "all" },
            meeting_authentication: r.chance(0.3),
            recording_authentication: r.chance(0.2),
            only_authenticated_can_join_from_webclient: r.chance(0.15),
            pmi_password: r.digits(6),
            default_password: r.alnum(8),
        };

        let pmi = if user_type == 1 && r.chance(0.3) {
            0
        } else {
            1_000_000_000 + r.below(8_999_999_999)
        };

        User {
            id: if status == UserStatus::Pending {
                None
            } else {
                Some(r.zoom_id())
            },
            email,
            first_name: first,
            last_name: last,
            display_name,
            user_type,
            status,
            role_id,
            group_ids,
            dept,
            job_title: match kind {
                Kind::Contractor => "Contractor".to_string(),
                Kind::Service => String::new(),
                Kind::Employee => r.pick(names::TITLES).copied().unwrap_or("").to_string(),
            },
            location: r.pick(names::LOCATIONS).copied().unwrap_or("").to_string(),
            timezone: r.pick(names::TIMEZONES).copied().unwrap_or("").to_string(),
            language: r
                .pick(names::LANGUAGES)
                .copied()
                .unwrap_or("en-US")
                .to_string(),
            pmi,
            verified: if status == UserStatus::Pending { 0 } else { 1 },
            user_created_at,
            created_at: last_login_time.unwrap_or(user_created_at),
            last_login_time,
            last_client_version: last_login_time.map(|_| {
                r.pick(names::CLIENT_VERSIONS)
                    .copied()
                    .unwrap_or("")
                    .to_string()
            }),
            login_types,
            employee_unique_id,
            host_key: r.digits(6),
            manager: if is_owner || kind != Kind::Employee {
                None
            } else {
                Some(self.owner_email.clone())
            },
            phone_number: if r.chance(0.3) {
                format!("+1 555 01{}", r.digits(2))
            } else {
                String::new()
            },
            plan_united_type: if user_type == 2 {
                Some("1".to_string())
            } else {
                None
            },
            cost_center: format!("CC-{}", 100 + r.below(20)),
            settings,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Employee,
    Contractor,
    Service,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap()
    }

    #[test]
    fn deterministic() {
        assert_eq!(generate(500, 9, at()), generate(500, 9, at()));
        assert_ne!(generate(500, 9, at()).users, generate(500, 10, at()).users);
    }

    #[test]
    fn has_the_variety_tests_need() {
        let org = generate(3_000, 1, at());
        assert_eq!(org.users.len(), 3_000);
        assert_eq!(org.owner().map(|u| u.role_id.as_str()), Some("0"));
        for s in UserStatus::ALL {
            assert!(org.count(s) > 0, "{s:?}");
        }
        assert!(
            org.users
                .iter()
                .all(|u| (u.status == UserStatus::Pending) == u.id.is_none())
        );
        for t in [1, 2, 4, 99] {
            assert!(org.users.iter().any(|u| u.user_type == t), "type {t}");
        }
        let ids: HashSet<_> = org.users.iter().filter_map(|u| u.id.clone()).collect();
        assert_eq!(ids.len(), org.users.len() - org.count(UserStatus::Pending));
        let emails: HashSet<_> = org.users.iter().map(|u| u.email.to_lowercase()).collect();
        assert_eq!(emails.len(), org.users.len());
        assert!(org.group_members(&org.groups[0].id).len() > 2_000);
        assert!(
            org.group_members(&org.groups[org.groups.len() - 1].id)
                .is_empty()
        );
        assert!(org.users.iter().any(|u| u.group_ids.is_empty()));
        assert!(org.users.iter().any(|u| u.group_ids.len() >= 3));
        assert!(org.users.iter().any(|u| u.display_name.contains('\u{1b}')));
        assert!(org.users.iter().any(|u| !u.first_name.is_ascii()));
        assert!(org.users.iter().any(|u| u.employee_unique_id.is_some()));
        assert!(
            org.users
                .iter()
                .filter_map(|u| u.last_login_time)
                .all(|t| t <= org.reference_time),
            "a last login after the reference time"
        );
        let old = org.reference_time - ChronoDuration::days(90);
        assert!(
            org.users
                .iter()
                .any(|u| u.last_login_time.is_some_and(|t| t < old))
        );
        assert!(
            org.users
                .iter()
                .any(|u| u.status == UserStatus::Active && u.last_login_time.is_none())
        );
        assert!(org.users.iter().any(|u| !u.settings.waiting_room));
        assert!(org.role_members("1").len() >= 2);
        assert!(org.roles.iter().any(|r| r.id.starts_with('R')));
        assert_ne!(org.account.security.sign_in_with_two_factor_auth, "all");
    }
}
