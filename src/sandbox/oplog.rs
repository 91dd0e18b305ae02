//! The account's audit trail: the operation log (admin changes) and sign-in
//! activity that `GET /report/operationlogs` and `GET /report/activities`
//! serve (`docs/zoom-contract.md#operation-logs-and-sign-in-activity`).
//!
//! A history before the reference time is generated from the seed (a few
//! security-setting changes, daily sign-ins, and now and then an admin
//! signing in from an address never used before); every change the sandbox
//! applies afterwards (`--mutate-every`, `POST /_sandbox/change`) is logged
//! with an operator picked among its admins, in Zoom's detail formats
//! (`Update User a@b  - User Role: from Member to Admin`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use super::changes::{ChangeApplied, ChangeKind};
use super::model::{OrgSnapshot, User, UserStatus};
use super::rng::{Rng, keyed};

/// One operation-log item, as Zoom sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationEntry {
    #[serde(serialize_with = "zoom_time")]
    pub time: DateTime<Utc>,
    pub operator: String,
    pub category_type: String,
    pub action: String,
    pub operation_detail: String,
}

/// One sign-in activity item, as Zoom sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignInEntry {
    pub email: String,
    #[serde(serialize_with = "zoom_time")]
    pub time: DateTime<Utc>,
    /// `Sign in` or `Sign out`.
    #[serde(rename = "type")]
    pub kind: String,
    pub ip_address: String,
    pub client_type: String,
    pub version: String,
}

fn zoom_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Both logs, oldest first (the handlers list them newest first).
#[derive(Debug, Clone)]
pub struct AuditTrail {
    pub operations: Vec<OperationEntry>,
    pub sign_ins: Vec<SignInEntry>,
    rng: Rng,
}

/// Days of generated history before the reference time.
pub const HISTORY_DAYS: i64 = 60;

const CLIENTS: &[(&str, &str)] = &[
    ("Browser", "-"),
    ("Windows", "6.2.11"),
    ("Mac", "6.2.10"),
    ("iOS", "6.2.5"),
    ("Android", "6.2.5"),
];

/// Security-setting changes of the generated history, in Zoom's wording.
const SETTING_HISTORY: &[(&str, &str)] = &[
    (
        "Account",
        "Security  - Sign in with Two-Factor Authentication: from On to Off",
    ),
    (
        "Account",
        "Security  - Sign in with Two-Factor Authentication: from Off to On",
    ),
    (
        "Account",
        "Sign-in Methods  - Allow users to sign in with Google: from Off to On",
    ),
    (
        "Account",
        "Security  - Automatically sign users out after a specified time: from On to Off",
    ),
    (
        "Account",
        "Security  - Require that all meetings are secured with one security option: from Off to On",
    ),
    (
        "Account",
        "Security  - Require a passcode when scheduling new meetings: from On to Off",
    ),
    (
        "Account",
        "Sign-In Password Requirement  - Include at least 1 letter: from On to Off - Include at least 1 number: from On to Off",
    ),
];

impl AuditTrail {
    /// The history before `org.reference_time`, deterministic from `seed`.
    pub fn generate(org: &OrgSnapshot, seed: u64) -> Self {
        let mut rng = Rng::stream(seed, "audit-trail");
        let mut trail = AuditTrail {
            operations: Vec::new(),
            sign_ins: Vec::new(),
            rng: Rng::stream(seed, "audit-trail-live"),
        };
        let start = org.reference_time - Duration::days(HISTORY_DAYS);
        let signers: Vec<&User> = org
            .users
            .iter()
            .filter(|u| u.id.is_some() && u.status == UserStatus::Active)
            .collect();
        let admins = admins(org);
        let per_day = (signers.len() / 20).clamp(3, 40);
        for day in 0..HISTORY_DAYS {
            let midnight = start + Duration::days(day);
            let mut today: Vec<SignInEntry> = Vec::new();
            for _ in 0..per_day {
                let Some(u) = rng.pick(&signers) else { break };
                let at = midnight + Duration::seconds(rng.range(6 * 3600, 20 * 3600) as i64);
                today.push(sign_in(&mut rng, &u.email, &usual_ip(&u.email), at));
            }
            // Admins sign in most days from their usual address; about once
            // a week one of them comes from an address never seen for them.
            if let Some(a) = rng.pick(&admins) {
                let at = midnight + Duration::seconds(rng.range(7 * 3600, 10 * 3600) as i64);
                let ip = if day % 7 == 3 {
                    new_ip(&mut rng)
                } else {
                    usual_ip(&a.email)
                };
                today.push(sign_in(&mut rng, &a.email, &ip, at));
            }
            if day % 12 == 5
                && let (Some(a), Some((category, detail))) =
                    (rng.pick(&admins), rng.pick(SETTING_HISTORY))
            {
                let at = midnight + Duration::seconds(rng.range(10 * 3600, 17 * 3600) as i64);
                trail.operations.push(OperationEntry {
                    time: at,
                    operator: a.email.clone(),
                    category_type: (*category).to_string(),
                    action: "Update".into(),
                    operation_detail: (*detail).to_string(),
                });
            }
            today.sort_by_key(|e| e.time);
            trail.sign_ins.extend(today);
        }
        trail.operations.sort_by_key(|e| e.time);
        trail
    }

    /// Logs a change just applied to `org` (the org after it), at `now`, by
    /// an admin other than the user changed; the operator signs in first.
    /// The sign-in kinds log the admin's sign-in alone: from their usual
    /// address (`admin_sign_in`) or from one never used by them
    /// (`admin_new_ip`, in 192.0.2.0/24, which the history never uses).
    pub fn record(&mut self, org: &OrgSnapshot, applied: &ChangeApplied, now: DateTime<Utc>) {
        match applied.change {
            ChangeKind::AdminSignIn => {
                let e = sign_in(
                    &mut self.rng,
                    &applied.email,
                    &usual_ip(&applied.email),
                    now,
                );
                self.sign_ins.push(e);
                return;
            }
            ChangeKind::AdminNewIp => {
                let used = |ip: &str| {
                    self.sign_ins
                        .iter()
                        .any(|s| s.ip_address == ip && s.email.eq_ignore_ascii_case(&applied.email))
                };
                let ip = (1..=254)
                    .map(|n| format!("192.0.2.{n}"))
                    .find(|ip| !used(ip))
                    .unwrap_or_else(|| "192.0.2.255".to_string());
                let e = sign_in(&mut self.rng, &applied.email, &ip, now);
                self.sign_ins.push(e);
                return;
            }
            _ => {}
        }
        let candidates: Vec<&User> = admins(org)
            .into_iter()
            .filter(|a| !a.email.eq_ignore_ascii_case(&applied.email))
            .collect();
        let operator = self
            .rng
            .pick(&candidates)
            .map_or_else(|| "admin@sandbox.invalid".to_string(), |u| u.email.clone());
        let ip = usual_ip(&operator);
        let signed_in = sign_in(&mut self.rng, &operator, &ip, now);
        self.sign_ins.push(signed_in);
        let (category, action, detail) = describe(org, applied);
        self.operations.push(OperationEntry {
            time: now,
            operator,
            category_type: category.into(),
            action: action.into(),
            operation_detail: detail,
        });
    }
}

/// Active owner and admins with an id (they are who changes things).
fn admins(org: &OrgSnapshot) -> Vec<&User> {
    org.users
        .iter()
        .filter(|u| {
            u.id.is_some()
                && u.status == UserStatus::Active
                && (u.role_id == "0" || u.role_id == "1")
        })
        .collect()
}

fn sign_in(rng: &mut Rng, email: &str, ip: &str, at: DateTime<Utc>) -> SignInEntry {
    let (client, version) = rng.pick(CLIENTS).copied().unwrap_or(("Browser", "-"));
    SignInEntry {
        email: email.to_string(),
        time: at,
        kind: "Sign in".into(),
        ip_address: ip.to_string(),
        client_type: client.into(),
        version: version.into(),
    }
}

/// A user's usual address: stable per e-mail (documentation range 198.51.100.0/24).
fn usual_ip(email: &str) -> String {
    let h = keyed(0x5157_4950, email.to_lowercase().as_bytes());
    format!("198.51.100.{}", 1 + h % 254)
}

/// An address from another range (203.0.113.0/24), never a usual one.
fn new_ip(rng: &mut Rng) -> String {
    format!("203.0.113.{}", 1 + rng.below(254))
}

fn role_name(org: &OrgSnapshot, id: &Value) -> String {
    let id = id.as_str().unwrap_or_default();
    org.roles
        .iter()
        .find(|r| r.id == id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
}

fn group_names(org: &OrgSnapshot, ids: &[String]) -> String {
    let names: Vec<&str> = ids
        .iter()
        .filter_map(|id| org.groups.iter().find(|g| &g.id == id))
        .map(|g| g.name.as_str())
        .collect();
    if names.is_empty() {
        "None".into()
    } else {
        names.join(", ")
    }
}

fn on_off(v: &Value) -> &'static str {
    if v.as_bool().unwrap_or(false) {
        "On"
    } else {
        "Off"
    }
}

/// Zoom's setting labels for the settings `setting_flip` changes.
fn setting_label(field: &str) -> &str {
    match field {
        "settings.in_meeting.waiting_room" => "Waiting Room",
        "settings.in_meeting.e2e_encryption" => "Allow use of end-to-end encryption",
        "settings.schedule_meeting.join_before_host" => "Allow participants to join before host",
        "settings.meeting_authentication" => "Only authenticated users can join meetings",
        "settings.recording.cloud_recording" => "Cloud recording",
        other => other,
    }
}

/// (category_type, action, operation_detail) of a change, in Zoom's formats.
fn describe(org: &OrgSnapshot, a: &ChangeApplied) -> (&'static str, &'static str, String) {
    let email = &a.email;
    match a.change {
        ChangeKind::MakeAdmin | ChangeKind::RoleChange => (
            "User",
            "Update",
            format!(
                "Update User {email}  - User Role: from {} to {}",
                role_name(org, &a.before),
                role_name(org, &a.after)
            ),
        ),
        ChangeKind::Deactivate => ("User", "Update", format!("Deactivate User {email}")),
        ChangeKind::Hire => {
            let dept = org.user_by_email(email).map_or("", |u| u.dept.as_str());
            (
                "User",
                "Add",
                format!("Add User {email}  - User Type: Licensed - Department: {dept}"),
            )
        }
        ChangeKind::GroupMove => {
            let ids = |v: &Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            (
                "User",
                "Update",
                format!(
                    "Update User {email}  - Group: from {} to {}",
                    group_names(org, &ids(&a.before)),
                    group_names(org, &ids(&a.after))
                ),
            )
        }
        // Logged as sign-ins by `record`, never as operations.
        ChangeKind::AdminSignIn | ChangeKind::AdminNewIp => {
            ("Sign-in", "Sign in", format!("Sign in {email}"))
        }
        // Not logged (see `Shared::apply_change`): no verified wording of
        // Zoom's for a group's settings; this is what it would be called.
        ChangeKind::GroupOverride => (
            "Group",
            "Update",
            format!("Update Group {}  - {}", a.user_key, setting_label(&a.field)),
        ),
        ChangeKind::SettingFlip => (
            "User Settings",
            "Update",
            format!(
                "Update User {email}  - {}: from {} to {}",
                setting_label(&a.field),
                on_off(&a.before),
                on_off(&a.after)
            ),
        ),
    }
}

/// Why a report request's dates are refused: Zoom answers 400 code 300.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateRangeError {
    Invalid,
    TooLong,
}

impl DateRangeError {
    pub fn message(&self) -> &'static str {
        match self {
            Self::Invalid => "Invalid field.",
            Self::TooLong => "The date range can only be one month.",
        }
    }
}

/// The inclusive UTC day range of a report request: `from` and `to` are
/// `yyyy-mm-dd`; `to` defaults to today and `from` to a month before `to`;
/// at most one month apart.
pub fn date_range(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), DateRangeError> {
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d");
    let to = match to.filter(|s| !s.is_empty()) {
        Some(s) => parse(s).map_err(|_| DateRangeError::Invalid)?,
        None => today,
    };
    let month_before = to
        .checked_sub_months(chrono::Months::new(1))
        .ok_or(DateRangeError::Invalid)?;
    let from = match from.filter(|s| !s.is_empty()) {
        Some(s) => parse(s).map_err(|_| DateRangeError::Invalid)?,
        None => month_before,
    };
    if from > to {
        return Err(DateRangeError::Invalid);
    }
    if from < month_before {
        return Err(DateRangeError::TooLong);
    }
    Ok((from, to))
}

/// Positions of the items whose UTC day is in `[from, to]`, newest first.
pub fn newest_first_in<T>(
    items: &[T],
    time: impl Fn(&T) -> DateTime<Utc>,
    (from, to): (NaiveDate, NaiveDate),
) -> Vec<usize> {
    let mut out: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let d = time(e).date_naive();
            d >= from && d <= to
        })
        .map(|(i, _)| i)
        .collect();
    out.sort_by_key(|i| std::cmp::Reverse((items.get(*i).map(&time), *i)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::changes::{Change, apply};
    use crate::sandbox::generate::generate;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap()
    }

    #[test]
    fn history_is_deterministic_and_before_the_reference_time() {
        let org = generate(200, 3, at());
        let a = AuditTrail::generate(&org, 3);
        let b = AuditTrail::generate(&org, 3);
        assert_eq!(a.operations, b.operations);
        assert_eq!(a.sign_ins, b.sign_ins);
        assert!(!a.operations.is_empty() && !a.sign_ins.is_empty());
        assert!(a.sign_ins.iter().all(|e| e.time < at()));
        assert!(
            a.sign_ins
                .iter()
                .any(|e| e.ip_address.starts_with("203.0.113."))
        );
    }

    #[test]
    fn a_change_is_logged_in_zooms_format_by_another_admin() {
        let mut org = generate(200, 4, at());
        let mut trail = AuditTrail::generate(&org, 4);
        let member = org
            .users
            .iter()
            .find(|u| u.role_id == "2" && u.id.is_some())
            .unwrap()
            .email
            .clone();
        let mut rng = Rng::new(4);
        let applied = apply(&mut org, &mut rng, &Change::make_admin(&member), at()).unwrap();
        trail.record(&org, &applied, at());
        let e = trail.operations.last().unwrap();
        assert_eq!(
            e.operation_detail,
            format!("Update User {member}  - User Role: from Member to Admin")
        );
        assert_ne!(e.operator, member);
        assert!(
            org.user_by_email(&e.operator)
                .is_some_and(|u| u.role_id == "0" || u.role_id == "1")
        );
    }

    #[test]
    fn date_ranges_as_zoom_checks_them() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            date_range(Some("2026-11-07"), Some("2026-12-07"), today),
            Ok((d("2026-11-07"), d("2026-12-07")))
        );
        assert_eq!(
            date_range(Some("2026-11-06"), Some("2026-12-07"), today),
            Err(DateRangeError::TooLong)
        );
        assert_eq!(
            date_range(Some("12/01/2026"), None, today),
            Err(DateRangeError::Invalid)
        );
        assert_eq!(
            date_range(Some("2026-12-08"), Some("2026-12-07"), today),
            Err(DateRangeError::Invalid)
        );
        assert_eq!(date_range(None, None, today), Ok((d("2026-11-07"), today)));
    }
}
