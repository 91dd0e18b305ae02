//! Rule loading (TOML and query errors), the built-in pack, triggers and
//! their state in a real SQLite file, evaluated with the real J1QL engine.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use zoomscope::alerts::rule::RuleFile;
use zoomscope::alerts::{
    self, AlertState, AlertsConfig, EvalOptions, RuleError, RuleStatus, Severity, Trigger,
};
use zoomscope::graph::{Entity, EntityType, Graph, Props, RelType};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn ago(days: i64) -> Value {
    json!((now() - Duration::days(days)).to_rfc3339())
}

fn ent(t: EntityType, key: &str, props: &[(&str, Value)]) -> Entity {
    let mut e = Entity::new(t, key.to_string());
    for (k, v) in props {
        e.props.insert(Arc::from(*k), v.clone());
    }
    e
}

struct U<'a> {
    id: &'a str,
    status: &'a str,
    utype: i64,
    role: &'a str,
    group: Option<&'a str>,
    last_login: Option<i64>,
    created: i64,
}

/// An org shaped like the builder's output: account with settings, roles
/// Owner/Admin/Member, two groups (one empty), users.
fn org(users: &[U<'_>], account: &[(&str, Value)]) -> Graph {
    let mut g = Graph::new();
    let mut acct = vec![("name", json!("Acme"))];
    acct.extend(account.iter().cloned());
    g.add_entity(ent(EntityType::Account, "zoom_account:A", &acct))
        .unwrap();
    for (id, name, admin) in [
        ("0", "Owner", true),
        ("1", "Admin", true),
        ("2", "Member", false),
    ] {
        let key = format!("zoom_role:{id}");
        g.add_entity(ent(
            EntityType::Role,
            &key,
            &[("name", json!(name)), ("admin", json!(admin))],
        ))
        .unwrap();
        g.add_relationship(
            RelType::AccountHasRole,
            "zoom_account:A",
            &key,
            Props::new(),
        )
        .unwrap();
    }
    for gid in ["g1", "g2"] {
        let key = format!("zoom_group:{gid}");
        g.add_entity(ent(EntityType::Group, &key, &[("name", json!(gid))]))
            .unwrap();
    }
    for u in users {
        let key = format!("zoom_user:{}", u.id);
        let mut props = vec![
            ("email", json!(format!("{}@acme.io", u.id))),
            ("status", json!(u.status)),
            ("active", json!(u.status == "active")),
            ("type", json!(u.utype)),
            ("roleId", json!(u.role)),
            ("createdAt", ago(u.created)),
        ];
        if let Some(d) = u.last_login {
            props.push(("lastLoginTime", ago(d)));
        }
        g.add_entity(ent(EntityType::User, &key, &props)).unwrap();
        g.add_relationship(
            RelType::AccountHasUser,
            "zoom_account:A",
            &key,
            Props::new(),
        )
        .unwrap();
        g.add_relationship(
            RelType::UserAssignedRole,
            &key,
            &format!("zoom_role:{}", u.role),
            Props::new(),
        )
        .unwrap();
        if let Some(gr) = u.group {
            g.add_relationship(
                RelType::GroupHasUser,
                &format!("zoom_group:{gr}"),
                &key,
                Props::new(),
            )
            .unwrap();
        }
    }
    g
}

fn user(id: &str) -> U<'_> {
    U {
        id,
        status: "active",
        utype: 2,
        role: "2",
        group: Some("g1"),
        last_login: Some(1),
        created: 400,
    }
}

fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("store.db")).unwrap();
    // The alert tables are the store's: migrate as `Store::open` does.
    zoomscope::store::migrate(&conn).unwrap();
    (dir, conn)
}

fn opts(previous: Option<&Graph>) -> EvalOptions<'_> {
    EvalOptions {
        now: now(),
        previous,
    }
}

fn config(text: &str) -> AlertsConfig {
    AlertsConfig::from_config_text(text).unwrap()
}

#[test]
fn builtin_pack_loads_and_every_query_parses() {
    let set = alerts::load_rule_set(&AlertsConfig::default()).unwrap();
    assert!(set.enabled.len() >= 30, "{}", set.enabled.len());
    assert!(set.disabled.is_empty());
    let names: Vec<&str> = set.enabled.iter().map(|r| r.name.as_str()).collect();
    for required in [
        "admins-above-limit",
        "new-admin",
        "inactive-user-licensed",
        "licensed-stale-login",
        "pending-invite-old",
        "empty-groups",
        "users-in-no-group",
        "mfa-not-enforced",
        "sso-not-required",
        "cis-passcode-min-length",
        "cis-waiting-room",
        "cis-waiting-room-unlocked",
        "cis-join-before-host",
        "cis-join-before-host-unlocked",
        "cis-pmi-scheduled-meetings",
        "users-without-scheduled-meeting-passcode",
        "users-without-e2e-encryption",
        "terminated-but-active",
        "not-an-employee",
    ] {
        assert!(names.contains(&required), "missing {required}");
    }
    let stale = set
        .enabled
        .iter()
        .find(|r| r.name == "licensed-stale-login")
        .unwrap();
    assert!(
        stale.query.contains("date.now - 93 days"),
        "{}",
        stale.query
    );
    let admins = set
        .enabled
        .iter()
        .find(|r| r.name == "admins-above-limit")
        .unwrap();
    assert_eq!(admins.trigger.to_string(), "count > 3");
}

#[test]
fn config_sets_parameters_and_switches_rules_off() {
    let c = config(
        r#"
[profile.default]
account_id = "x"

[alerts]
disabled = ["empty-groups", "users-in-no-group"]
max_admins = 7
stale_login_days = 120
"#,
    );
    let set = alerts::load_rule_set(&c).unwrap();
    let names: Vec<&str> = set.enabled.iter().map(|r| r.name.as_str()).collect();
    assert!(!names.contains(&"empty-groups"));
    assert!(!names.contains(&"users-in-no-group"));
    assert_eq!(set.disabled.len(), 2);
    let admins = set
        .enabled
        .iter()
        .find(|r| r.name == "admins-above-limit")
        .unwrap();
    assert_eq!(
        admins.trigger,
        Trigger::Count {
            op: alerts::rule::CountOp::Gt,
            threshold: 7
        }
    );
    let stale = set
        .enabled
        .iter()
        .find(|r| r.name == "licensed-stale-login")
        .unwrap();
    assert!(stale.query.contains("date.now - 120 days"));

    // A typo in `disabled` is an error, not a rule silently left on.
    let err = alerts::load_rules(&config("[alerts]\ndisabled = [\"empty-grops\"]\n")).unwrap_err();
    assert!(err.to_string().contains("empty-grops"), "{err}");
}

#[test]
fn bad_toml_names_file_and_line() {
    let text = "[[rule]]\nname = \"a\"\nseverity = \"high\"\nquery = \"FIND zoom_user\ntrigger = \"any\"\n";
    let err = RuleFile::parse("mine.toml", text).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("mine.toml:4:"), "{msg}");

    let text = "[[rule]]\nname = \"a\"\nseverity = \"high\"\nquery = \"FIND zoom_user\"\ntrigger = \"any\"\nsevertiy = \"low\"\n";
    let err = RuleFile::parse("mine.toml", text).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("mine.toml:"), "{msg}");
    assert!(msg.contains("severtiy"), "{msg}");
}

#[test]
fn bad_query_names_the_rule_with_the_caret_message() {
    let text = r#"
[[rule]]
name = "fine"
severity = "low"
query = "FIND zoom_user"
trigger = "any"

[[rule]]
name = "broken"
severity = "high"
query = "FIND zoom_user WITH active = = true"
trigger = "any"
"#;
    let f = RuleFile::parse("mine.toml", text).unwrap();
    let c = AlertsConfig {
        builtin: false,
        ..AlertsConfig::default()
    };
    let err = alerts::load_from_files(&[f], &c).unwrap_err();
    assert!(matches!(err, RuleError::Query { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with("mine.toml:9: rule `broken`"), "{msg}");
    assert!(msg.contains('^'), "{msg}");
    assert!(msg.contains("FIND zoom_user WITH active = = true"), "{msg}");
}

#[test]
fn bad_severity_trigger_and_parameter_are_named() {
    let rule = |sev: &str, trig: &str, q: &str| {
        format!(
            "[[rule]]\nname = \"r\"\nseverity = \"{sev}\"\nquery = \"{q}\"\ntrigger = \"{trig}\"\n"
        )
    };
    let params = BTreeMap::new();
    for (text, needle) in [
        (rule("urgent", "any", "FIND zoom_user"), "unknown severity"),
        (
            rule("high", "count = 3", "FIND zoom_user"),
            "unknown trigger",
        ),
        (rule("high", "count > x", "FIND zoom_user"), "whole number"),
        (
            rule("high", "any", "FIND zoom_user WITH x > ${nope}"),
            "unknown parameter `nope`",
        ),
    ] {
        let f = RuleFile::parse("r.toml", &text).unwrap();
        let err = f.rules(&params).unwrap_err().to_string();
        assert!(err.starts_with("r.toml:2: rule `r`"), "{err}");
        assert!(err.contains(needle), "{err}");
    }
    assert_eq!(
        "count >= 2".parse::<Trigger>().unwrap().to_string(),
        "count >= 2"
    );
    assert_eq!(
        "COUNT>5".parse::<Trigger>().unwrap().to_string(),
        "count > 5"
    );
    assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);

    let dup = "[[rule]]\nname = \"a\"\nseverity = \"low\"\nquery = \"FIND zoom_user\"\ntrigger = \"any\"\n\
               [[rule]]\nname = \"a\"\nseverity = \"low\"\nquery = \"FIND zoom_group\"\ntrigger = \"any\"\n";
    let f = RuleFile::parse("d.toml", dup).unwrap();
    let c = AlertsConfig {
        builtin: false,
        ..AlertsConfig::default()
    };
    let err = alerts::load_from_files(&[f], &c).unwrap_err().to_string();
    assert!(err.contains("defined twice (first at d.toml:2)"), "{err}");
}

fn custom_rules(text: &str) -> Vec<alerts::Rule> {
    let f = RuleFile::parse("t.toml", text).unwrap();
    let c = AlertsConfig {
        builtin: false,
        ..AlertsConfig::default()
    };
    alerts::load_from_files(&[f], &c).unwrap().enabled
}

const TRIGGERS: &str = r#"
[[rule]]
name = "any-inactive"
severity = "medium"
query = "FIND zoom_user WITH status = 'inactive'"
trigger = "any"

[[rule]]
name = "admins-over-1"
severity = "high"
query = "FIND zoom_user THAT ASSIGNED zoom_role WITH admin = true"
trigger = "count > 1"

[[rule]]
name = "admins-at-least-1"
severity = "low"
query = "FIND zoom_user THAT ASSIGNED zoom_role WITH admin = true"
trigger = "count >= 1"

[[rule]]
name = "new-admin"
severity = "high"
query = "FIND zoom_user THAT ASSIGNED zoom_role WITH admin = true"
trigger = "new"
"#;

fn by_name<'a>(rs: &'a [alerts::RuleResult], n: &str) -> &'a alerts::RuleResult {
    rs.iter().find(|r| r.rule == n).unwrap()
}

#[test]
fn triggers_any_count_and_new_with_state_in_sqlite() {
    let rules = custom_rules(TRIGGERS);
    let (_dir, conn) = db();
    let state = AlertState::open(&conn, "default").unwrap();

    let mut owner = user("owner");
    owner.role = "0";
    let g1 = org(&[owner, user("a"), user("b")], &[]);
    let r1 = alerts::evaluate(&g1, &rules, Some(&state), opts(None)).unwrap();
    assert_eq!(by_name(&r1, "any-inactive").status, RuleStatus::Quiet);
    assert_eq!(by_name(&r1, "admins-over-1").status, RuleStatus::Quiet);
    assert_eq!(by_name(&r1, "admins-over-1").count, 1);
    assert_eq!(by_name(&r1, "admins-at-least-1").status, RuleStatus::Fired);
    // First evaluation, no previous snapshot: `new` records a quiet baseline.
    let na = by_name(&r1, "new-admin");
    assert_eq!(na.status, RuleStatus::Quiet);
    assert_eq!(na.matches, ["zoom_user:owner"]);

    // b becomes an admin, a is deactivated.
    let mut owner = user("owner");
    owner.role = "0";
    let mut a = user("a");
    a.status = "inactive";
    let mut b = user("b");
    b.role = "1";
    let g2 = org(&[owner, a, b], &[]);
    let r2 = alerts::evaluate(&g2, &rules, Some(&state), opts(Some(&g1))).unwrap();
    let inactive = by_name(&r2, "any-inactive");
    assert!(inactive.fired() && inactive.newly_fired);
    assert_eq!(inactive.matches, ["zoom_user:a"]);
    let over = by_name(&r2, "admins-over-1");
    assert!(over.fired() && over.newly_fired);
    assert_eq!(over.count, 2);
    let na = by_name(&r2, "new-admin");
    assert!(na.fired());
    assert_eq!(na.new_matches, ["zoom_user:b"]);
    assert_eq!(
        na.to_json(),
        json!({"rule": "new-admin", "severity": "high", "count": 1, "entities": ["zoom_user:b"]})
    );
    // Standing alerts are not "newly fired" again; the count rule that
    // fired last time and matches nothing new stays quietly fired.
    let least = by_name(&r2, "admins-at-least-1");
    assert!(least.fired());
    assert!(least.newly_fired, "gained zoom_user:b");

    // Same graph again: `new` is quiet, standing alerts are not new.
    let r3 = alerts::evaluate(&g2, &rules, Some(&state), opts(Some(&g2))).unwrap();
    assert_eq!(by_name(&r3, "new-admin").status, RuleStatus::Quiet);
    assert!(by_name(&r3, "any-inactive").fired());
    assert!(!by_name(&r3, "any-inactive").newly_fired);
    assert!(!by_name(&r3, "admins-over-1").newly_fired);

    // The state is in the SQLite file: a new connection sees it.
    drop(state);
    drop(conn);
    let conn2 = Connection::open(_dir.path().join("store.db")).unwrap();
    let state2 = AlertState::open(&conn2, "default").unwrap();
    let stored = state2.get("new-admin").unwrap().unwrap();
    assert!(stored.keys.contains("zoom_user:b") && stored.keys.contains("zoom_user:owner"));
    // Another profile has its own state.
    let other = AlertState::open(&conn2, "other").unwrap();
    assert!(other.get("new-admin").unwrap().is_none());
}

#[test]
fn new_rule_without_state_compares_with_the_previous_snapshot() {
    let rules = custom_rules(TRIGGERS);
    let (_dir, conn) = db();
    let state = AlertState::open(&conn, "p").unwrap();
    let g1 = org(&[user("a"), user("b")], &[]);
    let mut b = user("b");
    b.role = "1";
    let g2 = org(&[user("a"), b], &[]);
    // Never evaluated before, but the previous snapshot shows b was a member.
    let r = alerts::evaluate(&g2, &rules, Some(&state), opts(Some(&g1))).unwrap();
    assert_eq!(by_name(&r, "new-admin").new_matches, ["zoom_user:b"]);
    assert!(by_name(&r, "new-admin").fired());
    // Without state (a preview) nothing is remembered.
    let r = alerts::evaluate(&g2, &rules, None, opts(None)).unwrap();
    assert_eq!(by_name(&r, "new-admin").status, RuleStatus::Quiet);
}

#[test]
fn builtin_rules_fire_on_the_right_entities() {
    let rules = alerts::load_rules(&AlertsConfig::default()).unwrap();
    let mut users = vec![];
    let mut owner = user("owner");
    owner.role = "0";
    users.push(owner);
    for id in ["ad1", "ad2", "ad3"] {
        let mut u = user(id);
        u.role = "1";
        users.push(u);
    }
    let mut gone = user("gone");
    gone.status = "inactive";
    users.push(gone);
    let mut stale = user("stale");
    stale.last_login = Some(100);
    users.push(stale);
    let mut borderline = user("borderline"); // 91 days: within Zoom's 3-day lag
    borderline.last_login = Some(91);
    users.push(borderline);
    let mut invite = user("invite");
    invite.status = "pending";
    invite.created = 45;
    invite.last_login = None;
    users.push(invite);
    let mut fresh_invite = user("fresh");
    fresh_invite.status = "pending";
    fresh_invite.created = 3;
    fresh_invite.last_login = None;
    users.push(fresh_invite);
    let mut loner = user("loner");
    loner.group = None;
    users.push(loner);
    let g = org(
        &users,
        &[
            ("securitySignInWithTwoFactorAuth", json!("role")),
            ("securitySigninWithSsoRequireSsoForDomains", json!(false)),
            ("scheduleMeetingMeetingPasswordRequirementLength", json!(4)),
            ("scheduleMeetingJoinBeforeHost", json!(true)),
            ("lockSettingsScheduleMeetingJoinBeforeHost", json!(false)),
            ("inMeetingWaitingRoom", json!(true)),
            ("lockSettingsInMeetingWaitingRoom", json!(true)),
            ("scheduleMeetingUsePmiForScheduledMeetings", json!(false)),
        ],
    );
    let r = alerts::evaluate(&g, &rules, None, opts(None)).unwrap();
    let errors: Vec<_> = r
        .iter()
        .filter(|x| matches!(x.status, RuleStatus::Error { .. }))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let fired = |n: &str| by_name(&r, n).fired();
    let keys = |n: &str| by_name(&r, n).matches.clone();

    assert!(fired("admins-above-limit"));
    assert_eq!(by_name(&r, "admins-above-limit").count, 4);
    assert_eq!(keys("inactive-user-licensed"), ["zoom_user:gone"]);
    assert_eq!(keys("licensed-stale-login"), ["zoom_user:stale"]);
    assert_eq!(keys("pending-invite-old"), ["zoom_user:invite"]);
    assert_eq!(keys("empty-groups"), ["zoom_group:g2"]);
    assert_eq!(keys("users-in-no-group"), ["zoom_user:loner"]);
    assert!(fired("mfa-not-enforced"));
    assert!(fired("sso-not-required"));
    assert!(fired("cis-passcode-min-length"));
    assert!(fired("cis-join-before-host"));
    assert!(fired("cis-join-before-host-unlocked"));
    assert!(!fired("cis-waiting-room"));
    assert!(!fired("cis-waiting-room-unlocked"));
    assert!(!fired("cis-pmi-scheduled-meetings"));
    // Settings nobody fetched do not fire the setting rules.
    assert!(!fired("users-without-e2e-encryption"));
    assert!(!fired("account-settings-unknown"));
    // No roster imported: the employee rules are skipped, not fired.
    assert!(matches!(
        by_name(&r, "terminated-but-active").status,
        RuleStatus::Skipped { .. }
    ));

    // With MFA for all, the MFA rule is quiet; without the security
    // settings at all, only "unknown" fires.
    let ok = org(
        &[user("a")],
        &[("securitySignInWithTwoFactorAuth", json!("all"))],
    );
    let r = alerts::evaluate(&ok, &rules, None, opts(None)).unwrap();
    assert!(!by_name(&r, "mfa-not-enforced").fired());
    let unknown = org(&[user("a")], &[]);
    let r = alerts::evaluate(&unknown, &rules, None, opts(None)).unwrap();
    assert!(!by_name(&r, "mfa-not-enforced").fired());
    assert!(by_name(&r, "account-settings-unknown").fired());
}

#[test]
fn employee_rules_use_person_and_is() {
    let rules = alerts::load_rules(&AlertsConfig::default()).unwrap();
    let mut g = org(&[user("leaver"), user("staff"), user("contractor")], &[]);
    for (emp, status, u) in [
        ("e1", "terminated", "zoom_user:leaver"),
        ("e2", "active", "zoom_user:staff"),
    ] {
        let key = format!("employee:{emp}");
        g.add_entity(ent(
            EntityType::Employee,
            &key,
            &[("status", json!(status))],
        ))
        .unwrap();
        g.add_relationship(RelType::UserIsEmployee, u, &key, Props::new())
            .unwrap();
    }
    let r = alerts::evaluate(&g, &rules, None, opts(None)).unwrap();
    assert_eq!(
        by_name(&r, "terminated-but-active").matches,
        ["zoom_user:leaver"]
    );
    assert_eq!(
        by_name(&r, "not-an-employee").matches,
        ["zoom_user:contractor"]
    );
    assert_eq!(
        by_name(&r, "terminated-but-active").severity,
        Severity::Critical
    );
}

#[test]
fn check_report_json_and_exit_decision() {
    let rules = custom_rules(TRIGGERS);
    let mut a = user("a");
    a.status = "inactive";
    let g = org(&[a, user("b")], &[]);
    let r = alerts::evaluate(&g, &rules, None, opts(None)).unwrap();
    let j = alerts::report::check_json(&r, Severity::Medium);
    assert_eq!(
        j,
        json!({"fired": [{"rule": "any-inactive", "severity": "medium", "count": 1,
                          "entities": ["zoom_user:a"]}], "evaluated": 4})
    );
    assert!(alerts::report::should_fail(&r, Severity::Medium));
    assert!(!alerts::report::should_fail(&r, Severity::High));
    let text = alerts::report::check_text(&r, &g, Severity::Info);
    assert!(text.contains("[MEDIUM] any-inactive"), "{text}");
    assert!(text.contains("a@acme.io"), "{text}");
}

#[test]
fn a_standing_alert_never_reported_is_news_once() {
    // The account already had an inactive user before the first `watch`
    // round: the previous snapshot matched too, but no evaluation was ever
    // stored, so nobody has been told. The first evaluation with state
    // reports it; the next one does not.
    let rules = custom_rules(TRIGGERS);
    let (_dir, conn) = db();
    let state = AlertState::open(&conn, "p").unwrap();
    let mut a = user("a");
    a.status = "inactive";
    let g = org(&[a, user("b")], &[]);
    let first = alerts::evaluate(&g, &rules, Some(&state), opts(Some(&g))).unwrap();
    let inactive = by_name(&first, "any-inactive");
    assert!(inactive.fired() && inactive.newly_fired, "{inactive:?}");
    let again = alerts::evaluate(&g, &rules, Some(&state), opts(Some(&g))).unwrap();
    assert!(by_name(&again, "any-inactive").fired());
    assert!(!by_name(&again, "any-inactive").newly_fired);
    // `new` rules still compare with the previous snapshot: nothing new.
    assert!(!by_name(&first, "new-admin").newly_fired);
}
