//! Event rules: alert rules that match operation-log and sign-in events
//! (`crate::activity`) rather than a J1QL query over the graph.
//!
//! A rule's `events` table says which events match (see the header of
//! `assets/alerts.toml`):
//!
//! ```toml
//! [[rule]]
//! name = "user-granted-admin"
//! severity = "medium"
//! events = { source = "operation", category = "User", role_change = "admin" }
//! ```
//!
//! The rule reads the events appended to the store since its last
//! evaluation (its cursor, a row id of `activity_events`, kept in the alert
//! state) and fires with the matching events as its matches. Conditions on
//! people (the operator, the role a user is given) are decided against the
//! current graph.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use regex::Regex;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::activity::{Event, Source, Subject};
use crate::graph::{EntityId, EntityType, Graph, PropValue, RelType};
use crate::util::sanitize::for_terminal;

/// A string or a list of strings (`action = ["Update", "Batch Update"]`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn values(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.trim().to_string()],
            OneOrMany::Many(v) => v.iter().map(|s| s.trim().to_string()).collect(),
        }
    }
}

/// The `events` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvents {
    source: toml::Spanned<String>,
    #[serde(default)]
    category: Option<OneOrMany>,
    #[serde(default)]
    action: Option<OneOrMany>,
    #[serde(default)]
    detail: Option<toml::Spanned<String>>,
    #[serde(default)]
    role_change: Option<toml::Spanned<String>>,
    #[serde(default)]
    new_ip: bool,
    #[serde(default)]
    operator_admin: bool,
    #[serde(default)]
    operator_not_admin: bool,
    #[serde(default)]
    operator_not_employee: bool,
    #[serde(default)]
    operator_not_in_group: Option<String>,
}

/// Which role changes a rule wants (`role_change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    /// To Owner or Admin (a role the graph marks `admin`), from a role that
    /// is not.
    Admin,
    /// To another privileged role (Co-Owner, Billing Admin, or a role whose
    /// privileges edit account settings, roles or users), from an
    /// unprivileged one. Disjoint from [`RoleChange::Admin`], so one event
    /// fires one of the two.
    Privileged,
}

/// The parsed `events` table of a rule.
#[derive(Debug, Clone)]
pub struct EventRule {
    pub source: Source,
    pub categories: Vec<String>,
    pub actions: Vec<String>,
    pub detail: Option<Regex>,
    pub role_change: Option<RoleChange>,
    /// Sign-ins only: an address never seen before for that user.
    pub new_ip: bool,
    pub operator_admin: bool,
    pub operator_not_admin: bool,
    pub operator_not_employee: bool,
    pub operator_not_in_group: Option<String>,
}

impl PartialEq for EventRule {
    fn eq(&self, other: &Self) -> bool {
        self.describe() == other.describe()
    }
}

/// A bad field: which one (for the line) and why.
#[derive(Debug)]
pub(crate) struct FieldError {
    /// Byte offset of the field's value in the file, when known.
    pub offset: Option<usize>,
    pub message: String,
}

impl RawEvents {
    /// Checks the fields and builds the matcher.
    pub(crate) fn build(&self) -> Result<EventRule, FieldError> {
        let at = |s: &toml::Spanned<String>, message: String| FieldError {
            offset: Some(s.span().start),
            message,
        };
        let source = Source::parse(self.source.get_ref().trim()).ok_or_else(|| {
            at(
                &self.source,
                format!(
                    "events.source: unknown source {:?} (expected \"operation\" or \"sign_in\")",
                    self.source.get_ref()
                ),
            )
        })?;
        let detail = match &self.detail {
            None => None,
            Some(d) => Some(Regex::new(d.get_ref()).map_err(|e| {
                at(
                    d,
                    format!("events.detail: not a valid regular expression: {e}"),
                )
            })?),
        };
        let role_change = match &self.role_change {
            None => None,
            Some(r) => Some(match r.get_ref().trim() {
                "admin" => RoleChange::Admin,
                "privileged" => RoleChange::Privileged,
                other => {
                    return Err(at(
                        r,
                        format!(
                            "events.role_change: unknown value {other:?} (expected \"admin\" or \"privileged\")"
                        ),
                    ));
                }
            }),
        };
        let plain = |message: &str| FieldError {
            offset: Some(self.source.span().start),
            message: message.to_string(),
        };
        if source == Source::SignIn && (detail.is_some() || role_change.is_some()) {
            return Err(plain(
                "events: `detail` and `role_change` need source = \"operation\" (sign-ins have no detail)",
            ));
        }
        if source == Source::Operation && self.new_ip {
            return Err(plain(
                "events.new_ip: needs source = \"sign_in\" (operation-log entries have no address)",
            ));
        }
        if self.operator_admin && self.operator_not_admin {
            return Err(plain(
                "events: operator_admin and operator_not_admin cannot both be true",
            ));
        }
        if self
            .operator_not_in_group
            .as_deref()
            .is_some_and(|g| g.trim().is_empty())
        {
            return Err(plain(
                "events.operator_not_in_group: the group name is empty",
            ));
        }
        Ok(EventRule {
            source,
            categories: self
                .category
                .as_ref()
                .map(OneOrMany::values)
                .unwrap_or_default(),
            actions: self
                .action
                .as_ref()
                .map(OneOrMany::values)
                .unwrap_or_default(),
            detail,
            role_change,
            new_ip: self.new_ip,
            operator_admin: self.operator_admin,
            operator_not_admin: self.operator_not_admin,
            operator_not_employee: self.operator_not_employee,
            operator_not_in_group: self
                .operator_not_in_group
                .as_ref()
                .map(|g| g.trim().to_string()),
        })
    }
}

impl EventRule {
    /// The rule's conditions in one line (what the state stores as the
    /// rule's "query", and how the rule is told apart when it changes).
    pub fn describe(&self) -> String {
        let mut s = format!("events: source = {}", self.source.as_str());
        if !self.categories.is_empty() {
            let _ = write!(s, ", category = {:?}", self.categories);
        }
        if !self.actions.is_empty() {
            let _ = write!(s, ", action = {:?}", self.actions);
        }
        if let Some(d) = &self.detail {
            let _ = write!(s, ", detail = {:?}", d.as_str());
        }
        match self.role_change {
            Some(RoleChange::Admin) => s.push_str(", role_change = admin"),
            Some(RoleChange::Privileged) => s.push_str(", role_change = privileged"),
            None => {}
        }
        for (on, name) in [
            (self.new_ip, "new_ip"),
            (self.operator_admin, "operator_admin"),
            (self.operator_not_admin, "operator_not_admin"),
            (self.operator_not_employee, "operator_not_employee"),
        ] {
            if on {
                let _ = write!(s, ", {name}");
            }
        }
        if let Some(g) = &self.operator_not_in_group {
            let _ = write!(s, ", operator_not_in_group = {g:?}");
        }
        s
    }

    /// Why the rule cannot be decided on this graph, if it cannot: "not an
    /// employee" needs an imported roster, "not in group X" a group X.
    pub fn skip_reason(&self, graph: &Graph) -> Option<String> {
        if self.operator_not_employee && graph.of_type(EntityType::Employee).is_empty() {
            return Some("no employee entities (import an HR roster to tell employees)".into());
        }
        if let Some(g) = &self.operator_not_in_group
            && named(graph, EntityType::Group, g).is_none()
        {
            return Some(format!("no zoom_group named {g:?}"));
        }
        None
    }

    /// Whether `e` matches, with what the graph says about it. `history`
    /// answers the addresses a user signed in from before (only asked for
    /// `new_ip`).
    pub fn matches(
        &self,
        e: &Event,
        graph: &Graph,
        history: &mut dyn SignInHistory,
    ) -> Result<Option<EventMatch>, String> {
        if e.source != self.source {
            return Ok(None);
        }
        if !self.categories.is_empty()
            && !self
                .categories
                .iter()
                .any(|c| c.eq_ignore_ascii_case(e.category.trim()))
        {
            return Ok(None);
        }
        if !self.actions.is_empty()
            && !self
                .actions
                .iter()
                .any(|a| a.eq_ignore_ascii_case(e.action.trim()))
        {
            return Ok(None);
        }
        if let Some(re) = &self.detail
            && !re.is_match(&e.text)
        {
            return Ok(None);
        }
        let operator = user_id(graph, &e.actor);
        if self.operator_admin && !operator.is_some_and(|u| is_admin(graph, u)) {
            return Ok(None);
        }
        if self.operator_not_admin && operator.is_some_and(|u| is_admin(graph, u)) {
            return Ok(None);
        }
        if self.operator_not_employee
            && operator.is_some_and(|u| graph.targets(u, RelType::UserIsEmployee).next().is_some())
        {
            return Ok(None);
        }
        if let Some(g) = &self.operator_not_in_group
            && operator.is_some_and(|u| in_group(graph, u, g))
        {
            return Ok(None);
        }
        let role = match self.role_change {
            None => None,
            Some(want) => match role_change_of(e, graph) {
                Some(rc) if rc.kind == Some(want) => Some(rc),
                _ => return Ok(None),
            },
        };
        if self.new_ip {
            let Some(ip) = e.ip_address.as_deref() else {
                return Ok(None);
            };
            let earlier = history.addresses(&e.actor)?;
            let before: Vec<&String> = earlier
                .iter()
                .filter(|(t, _)| *t < e.time)
                .map(|(_, a)| a)
                .collect();
            // Never seen *for them*: with no earlier sign-in there is
            // nothing to compare with, so a first sign-in is not news.
            if before.is_empty() || before.iter().any(|a| a.as_str() == ip) {
                return Ok(None);
            }
        }
        Ok(Some(EventMatch::new(e, graph, role.as_ref())))
    }
}

/// The addresses a user signed in from, as stored (time, address).
pub trait SignInHistory {
    fn addresses(&mut self, user: &str) -> Result<&[(DateTime<Utc>, String)], String>;
}

/// A role change an event records: who, from which role to which.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RoleChangeSeen {
    user: String,
    from: String,
    to: String,
    kind: Option<RoleChange>,
}

/// The role change of an operation-log entry (`User Role: from Member to
/// Admin`, `Change Role  - a@b: from User to Co-Owner`), classified against
/// the graph's roles.
fn role_change_of(e: &Event, graph: &Graph) -> Option<RoleChangeSeen> {
    let d = e.detail();
    let Some(Subject::User(user)) = d.subject else {
        return None;
    };
    let c = d
        .changes
        .iter()
        .find(|c| matches!(c.property.as_str(), "User Role" | "Role"))?;
    let from = c.old.clone().unwrap_or_default();
    let to = c.new.clone()?;
    let rank = |name: &str| role_rank(graph, name);
    let kind = match (rank(&from), rank(&to)) {
        (Rank::Admin, _) => None,
        (_, Rank::Admin) => Some(RoleChange::Admin),
        (Rank::Plain, Rank::Privileged) => Some(RoleChange::Privileged),
        _ => None,
    };
    Some(RoleChangeSeen {
        user,
        from,
        to,
        kind,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    Plain,
    Privileged,
    Admin,
}

/// Privileges that make a role an administrator in effect: whoever holds
/// them can change account settings, roles or users.
const ADMIN_PRIVILEGES: &[&str] = &["AccountSetting:Edit", "Role:Edit", "User:Edit"];

/// How privileged the role named `name` is: the graph's role of that name
/// when there is one (`admin`, its privileges), else Zoom's built-in names.
fn role_rank(graph: &Graph, name: &str) -> Rank {
    let name = name.trim();
    if let Some(id) = named(graph, EntityType::Role, name) {
        let r = graph.entity(id);
        if r.props.get("admin").and_then(PropValue::as_bool) == Some(true) {
            return Rank::Admin;
        }
        let holds = |p: &PropValue| {
            p.as_str().is_some_and(|s| ADMIN_PRIVILEGES.contains(&s))
                || p.as_array().is_some_and(|a| {
                    a.iter()
                        .any(|x| x.as_str().is_some_and(|s| ADMIN_PRIVILEGES.contains(&s)))
                })
        };
        if r.props.get("privileges").is_some_and(holds) {
            return Rank::Privileged;
        }
    }
    if ["Owner", "Admin"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
    {
        Rank::Admin
    } else if ["Co-Owner", "Billing Admin"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
    {
        Rank::Privileged
    } else {
        Rank::Plain
    }
}

fn named(graph: &Graph, t: EntityType, name: &str) -> Option<EntityId> {
    graph.of_type(t).iter().copied().find(|id| {
        graph
            .entity(*id)
            .props
            .str("name")
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

fn user_id(graph: &Graph, email: &str) -> Option<EntityId> {
    graph
        .by_email(email)
        .iter()
        .copied()
        .find(|id| graph.entity(*id).etype == EntityType::User)
}

/// Holds a role the graph marks `admin` (Owner or Admin).
fn is_admin(graph: &Graph, user: EntityId) -> bool {
    graph.targets(user, RelType::UserAssignedRole).any(|r| {
        graph
            .entity(r)
            .props
            .get("admin")
            .and_then(PropValue::as_bool)
            == Some(true)
    })
}

fn in_group(graph: &Graph, user: EntityId, group: &str) -> bool {
    graph.sources(user, RelType::GroupHasUser).any(|g| {
        graph
            .entity(g)
            .props
            .str("name")
            .is_some_and(|n| n.eq_ignore_ascii_case(group))
    })
}

fn holds_role(graph: &Graph, user: EntityId, role: &str) -> bool {
    graph.targets(user, RelType::UserAssignedRole).any(|r| {
        graph
            .entity(r)
            .props
            .str("name")
            .is_some_and(|n| n.eq_ignore_ascii_case(role))
    })
}

/// Whether the snapshot agrees with a role change an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The latest snapshot shows the user holding the new role.
    Confirmed,
    /// It does not (yet): the change was logged after the snapshot, or
    /// undone since.
    NotYetSeen,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Confirmed => "confirmed by snapshot",
            Evidence::NotYetSeen => "not yet seen in a snapshot",
        }
    }
}

/// One event an event rule matched: what it is about, who did it, when,
/// Zoom's text, and for a role change whether the snapshot confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMatch {
    pub source: Source,
    pub time: DateTime<Utc>,
    /// The operator (operation log) or the user signing in.
    pub operator: String,
    pub category: String,
    pub action: String,
    /// Zoom's `operation_detail`, as logged (empty for sign-ins).
    pub detail: String,
    pub subject: Option<Subject>,
    /// The subject's `_key` in the graph, when it is there.
    pub entity: Option<String>,
    pub ip_address: Option<String>,
    pub evidence: Option<Evidence>,
    /// One line for people: the subject, what happened, the operator.
    pub summary: String,
}

fn subject_name(s: &Subject) -> &str {
    match s {
        Subject::User(n) | Subject::Group(n) | Subject::Role(n) | Subject::Setting(n) => n,
    }
}

impl EventMatch {
    fn new(e: &Event, graph: &Graph, role: Option<&RoleChangeSeen>) -> Self {
        let subject = e.subject();
        let entity = subject
            .as_ref()
            .and_then(|s| crate::activity::subject_key(graph, s));
        let time = e.time.to_rfc3339_opts(SecondsFormat::Secs, true);
        let evidence = role.map(|rc| {
            if user_id(graph, &rc.user).is_some_and(|u| holds_role(graph, u, &rc.to)) {
                Evidence::Confirmed
            } else {
                Evidence::NotYetSeen
            }
        });
        let summary = match (e.source, role) {
            (Source::SignIn, _) => format!(
                "{} signed in from {} ({}) at {time}",
                e.actor,
                e.ip_address.as_deref().unwrap_or("an unknown address"),
                e.client_type.as_deref().unwrap_or("unknown client"),
            ),
            (Source::Operation, Some(rc)) => format!(
                "{} given role {} (was {}) by {} at {time}",
                rc.user,
                rc.to,
                if rc.from.is_empty() { "none" } else { &rc.from },
                e.actor
            ),
            (Source::Operation, None) => {
                let d = e.detail();
                let what: Vec<String> = d
                    .changes
                    .iter()
                    .map(|c| match (&c.old, &c.new) {
                        (Some(o), Some(n)) => format!("{}: {o} → {n}", c.property),
                        (None, Some(n)) => format!("{}: {n}", c.property),
                        _ => c.property.clone(),
                    })
                    .collect();
                let about = subject.as_ref().map_or("the account", subject_name);
                if what.is_empty() {
                    format!("{} by {} at {time}", e.text.trim(), e.actor)
                } else {
                    format!("{about}: {} by {} at {time}", what.join("; "), e.actor)
                }
            }
        };
        EventMatch {
            source: e.source,
            time: e.time,
            operator: e.actor.clone(),
            category: e.category.clone(),
            action: e.action.clone(),
            detail: e.text.clone(),
            subject,
            entity,
            ip_address: e.ip_address.clone(),
            evidence,
            summary,
        }
    }

    /// `{"time", "source", "operator", "category", "action", "detail",
    /// "subject", "entity", "ip_address", "evidence", "summary"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "time": self.time.to_rfc3339_opts(SecondsFormat::Secs, true),
            "source": self.source.as_str(),
            "operator": self.operator,
            "category": self.category,
            "action": self.action,
            "detail": self.detail,
            "subject": self.subject,
            "entity": self.entity,
            "ip_address": self.ip_address,
            "evidence": self.evidence.map(Evidence::as_str),
            "summary": self.summary,
        })
    }

    /// The summary with the evidence, sanitised for a terminal or a chat.
    pub fn line(&self) -> String {
        match self.evidence {
            Some(ev) => format!("{} ({})", for_terminal(&self.summary), ev.as_str()),
            None => for_terminal(&self.summary).into_owned(),
        }
    }
}

/// Sign-in history read from the store once per user and kept for the
/// evaluation.
pub struct StoredHistory<'c> {
    conn: &'c rusqlite::Connection,
    profile: &'c str,
    cache: HashMap<String, Vec<(DateTime<Utc>, String)>>,
}

impl<'c> StoredHistory<'c> {
    pub fn new(conn: &'c rusqlite::Connection, profile: &'c str) -> Self {
        StoredHistory {
            conn,
            profile,
            cache: HashMap::new(),
        }
    }
}

impl SignInHistory for StoredHistory<'_> {
    fn addresses(&mut self, user: &str) -> Result<&[(DateTime<Utc>, String)], String> {
        let key = user.to_lowercase();
        if !self.cache.contains_key(&key) {
            let rows = crate::store::sign_in_addresses(self.conn, self.profile, user)
                .map_err(|e| e.to_string())?;
            self.cache.insert(key.clone(), rows);
        }
        Ok(self.cache.get(&key).map_or(&[], Vec::as_slice))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::alerts::rule::{Rule, RuleFile};
    use crate::alerts::{BUILTIN_NAME, BUILTIN_RULES};
    use crate::graph::build::GraphBuilder;

    /// Owner olga, admin adam, member bart, and a custom role that edits
    /// account settings.
    fn graph() -> Graph {
        let mut b = GraphBuilder::new();
        let role = |b: &mut GraphBuilder, id: &str, name: &str, admin: bool, privs: Value| {
            let p = b.props([
                ("name", json!(name)),
                ("admin", json!(admin)),
                ("privileges", privs),
            ]);
            b.insert(EntityType::Role, format!("zoom_role:{id}"), p, "{}".into())
                .unwrap()
        };
        let owner = role(&mut b, "0", "Owner", true, json!([]));
        let admin = role(&mut b, "1", "Admin", true, json!([]));
        let member = role(&mut b, "2", "Member", false, json!(["User:Read"]));
        role(
            &mut b,
            "9",
            "Settings Editor",
            false,
            json!(["AccountSetting:Edit"]),
        );
        let user = |b: &mut GraphBuilder, id: &str, email: &str, r: EntityId| {
            let p = b.props([("email", json!(email)), ("name", json!(email))]);
            let u = b
                .insert(EntityType::User, format!("zoom_user:{id}"), p, "{}".into())
                .unwrap();
            b.relate(RelType::UserAssignedRole, u, r);
        };
        user(&mut b, "o", "olga@example.io", owner);
        user(&mut b, "a", "adam@example.io", admin);
        user(&mut b, "b", "bart@example.io", member);
        b.finish().graph
    }

    fn pack() -> Vec<Rule> {
        RuleFile::parse(BUILTIN_NAME, BUILTIN_RULES)
            .unwrap()
            .rules(&BTreeMap::from([
                ("max_admins".to_string(), toml::Value::Integer(3)),
                ("stale_login_days".to_string(), toml::Value::Integer(93)),
                ("pending_invite_days".to_string(), toml::Value::Integer(30)),
                ("min_passcode_length".to_string(), toml::Value::Integer(6)),
            ]))
            .unwrap()
            .into_iter()
            .filter(|r| r.is_event_rule())
            .collect()
    }

    fn op(category: &str, action: &str, detail: &str) -> Event {
        Event {
            source: Source::Operation,
            time: Utc.with_ymd_and_hms(2022, 12, 16, 18, 22, 17).unwrap(),
            actor: "olga@example.io".into(),
            category: category.into(),
            action: action.into(),
            text: detail.into(),
            ip_address: None,
            client_type: None,
            version: None,
        }
    }

    struct NoHistory;
    impl SignInHistory for NoHistory {
        fn addresses(&mut self, _: &str) -> Result<&[(DateTime<Utc>, String)], String> {
            Ok(&[])
        }
    }

    /// The pack's rules that match `e`, by name.
    fn firing(e: &Event, g: &Graph) -> Vec<String> {
        pack()
            .iter()
            .filter(|r| {
                r.events
                    .as_ref()
                    .unwrap()
                    .matches(e, g, &mut NoHistory)
                    .unwrap()
                    .is_some()
            })
            .map(|r| r.name.clone())
            .collect()
    }

    /// Each pack rule against Zoom's real detail texts (as Panther's and
    /// Elastic's Zoom rules collect them): the text that should fire it
    /// fires it alone, and its harmless twin fires nothing.
    #[test]
    fn each_pack_rule_fires_on_zooms_real_texts_and_only_there() {
        let g = graph();
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "user-granted-admin",
                "User",
                "Update",
                "Update User bart@example.io  - User Role: from Member to Admin",
            ),
            (
                "user-promoted-to-privileged-role",
                "User",
                "Batch Update",
                "Change Role  - homer@example.io: from User to Co-Owner",
            ),
            (
                "user-promoted-to-privileged-role",
                "User",
                "Batch Update",
                "Change Role  - homer@example.io: from Member to Billing Admin",
            ),
            (
                "user-promoted-to-privileged-role",
                "User",
                "Update",
                "Update User bart@example.io  - User Role: from Member to Settings Editor",
            ),
            (
                "two-factor-authentication-disabled",
                "Account",
                "Update",
                "Security  - Sign in with Two-Factor Authentication: from On to Off",
            ),
            (
                "meeting-passcode-disabled",
                "User Group",
                "Update",
                "Edit Group Springfield  - Personal Meeting ID (PMI) Passcode: from On to Off",
            ),
            (
                "new-meeting-passcode-disabled",
                "Account",
                "Update",
                "Security  - Require a passcode when scheduling new meetings: from On to Off",
            ),
            (
                "all-meetings-secured-option-disabled",
                "Account",
                "Update",
                "Security  - Require that all meetings are secured with one security option: from On to Off",
            ),
            (
                "automatic-sign-out-disabled",
                "Account",
                "Update",
                "Security  - Automatically sign users out after a specified time: from On to Off",
            ),
            (
                "sign-in-methods-changed",
                "Account",
                "Update",
                "Sign-in Methods  - Allow users to sign in with Google: from Off to On",
            ),
            (
                "sign-in-methods-changed",
                "Account",
                "Update",
                "Sign-in Methods  - Allow users to sign in with Apple ID: from Off to On",
            ),
            (
                "sign-in-requirements-changed",
                "Account",
                "Update",
                "Sign-In Password Requirement  - Include at least 1 letter: from On to Off - Include at least 1 number: from On to Off - Include both uppercase and lowercase characters: from On to Off",
            ),
        ];
        for (rule, category, action, detail) in cases {
            let e = op(category, action, detail);
            assert_eq!(firing(&e, &g), vec![rule.to_string()], "{detail}");
        }
        // The same settings turned back on, a demotion, admin to admin, and
        // unrelated changes fire nothing.
        for (category, action, detail) in [
            (
                "User",
                "Update",
                "Update User bart@example.io  - User Role: from Admin to Member",
            ),
            (
                "User",
                "Batch Update",
                "Change Role  - homer@example.io: from Admin to Co-Owner",
            ),
            (
                "User",
                "Batch Update",
                "Change Role  - homer@example.io: from Co-Owner to User",
            ),
            (
                "User",
                "Update",
                "Update User lisa@example.io  - Job Title: set to Contractor",
            ),
            (
                "User",
                "Add",
                "Add User homer@example.io  - User Type: Basic - Department: Foo",
            ),
            (
                "Account",
                "Update",
                "Security  - Sign in with Two-Factor Authentication: from Off to On",
            ),
            (
                "User Group",
                "Update",
                "Edit Group Springfield  - Personal Meeting ID (PMI) Passcode: from Off to On",
            ),
            ("User Group", "Add", "Add Group Engineers"),
            (
                "Account",
                "Update",
                "Security  - Require a passcode when scheduling new meetings: from Off to On",
            ),
            (
                "Account",
                "Update",
                "Security  - Require that all meetings are secured with one security option: from Off to On",
            ),
            (
                "Account",
                "Update",
                "Security  - Automatically sign users out after a specified time: from Off to On",
            ),
            (
                "Account",
                "Update",
                "Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from Off to On",
            ),
        ] {
            let e = op(category, action, detail);
            assert!(firing(&e, &g).is_empty(), "{detail}: {:?}", firing(&e, &g));
        }
    }

    #[test]
    fn granted_admin_names_user_operator_and_whether_the_snapshot_agrees() {
        let g = graph();
        let rule = pack()
            .into_iter()
            .find(|r| r.name == "user-granted-admin")
            .unwrap();
        let m = rule.events.as_ref().unwrap();
        // adam already holds Admin in the graph: confirmed.
        let e = op(
            "User",
            "Update",
            "Update User adam@example.io  - User Role: from Member to Admin",
        );
        let hit = m.matches(&e, &g, &mut NoHistory).unwrap().unwrap();
        assert_eq!(hit.evidence, Some(Evidence::Confirmed));
        assert_eq!(hit.entity.as_deref(), Some("zoom_user:a"));
        assert!(hit.summary.contains("adam@example.io") && hit.summary.contains("olga@example.io"));
        assert!(
            hit.line().ends_with("(confirmed by snapshot)"),
            "{}",
            hit.line()
        );
        // bart is still a Member in the graph: not yet seen.
        let e = op(
            "User",
            "Update",
            "Update User bart@example.io  - User Role: from Member to Admin",
        );
        let hit = m.matches(&e, &g, &mut NoHistory).unwrap().unwrap();
        assert_eq!(hit.evidence, Some(Evidence::NotYetSeen));
        assert_eq!(hit.to_json()["evidence"], "not yet seen in a snapshot");
        assert_eq!(hit.to_json()["operator"], "olga@example.io");
    }

    struct Seen(Vec<(DateTime<Utc>, String)>);
    impl SignInHistory for Seen {
        fn addresses(&mut self, _: &str) -> Result<&[(DateTime<Utc>, String)], String> {
            Ok(&self.0)
        }
    }

    #[test]
    fn new_ip_is_an_admins_address_no_earlier_sign_in_of_theirs_has() {
        let g = graph();
        let rule = pack()
            .into_iter()
            .find(|r| r.name == "admin-sign-in-from-new-ip")
            .unwrap();
        let m = rule.events.as_ref().unwrap();
        let t = |h: u32| Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap();
        let sign_in = |who: &str, ip: &str, at| Event {
            source: Source::SignIn,
            time: at,
            actor: who.into(),
            category: "Sign-in".into(),
            action: "Sign in".into(),
            text: String::new(),
            ip_address: Some(ip.into()),
            client_type: Some("Mac".into()),
            version: Some("6.2.10".into()),
        };
        let mut seen = Seen(vec![(t(8), "198.51.100.7".into())]);
        let hit = |e: &Event, h: &mut Seen| m.matches(e, &g, h).unwrap();
        // The admin from a known address: quiet; from a new one: fires.
        assert!(hit(&sign_in("adam@example.io", "198.51.100.7", t(9)), &mut seen).is_none());
        let new = hit(&sign_in("adam@example.io", "192.0.2.1", t(9)), &mut seen).unwrap();
        assert!(new.summary.contains("192.0.2.1"), "{}", new.summary);
        // Only earlier sign-ins count: the same address seen *later* does not
        // make this one known.
        let mut later = Seen(vec![
            (t(8), "198.51.100.7".into()),
            (t(10), "192.0.2.1".into()),
        ]);
        assert!(hit(&sign_in("adam@example.io", "192.0.2.1", t(9)), &mut later).is_some());
        // A member from a new address, and a first-ever sign-in: quiet.
        assert!(hit(&sign_in("bart@example.io", "192.0.2.1", t(9)), &mut seen).is_none());
        assert!(
            hit(
                &sign_in("adam@example.io", "192.0.2.1", t(9)),
                &mut Seen(Vec::new())
            )
            .is_none()
        );
    }

    #[test]
    fn operator_conditions() {
        let g = graph();
        let text = r#"
[[rule]]
name = "by-a-non-admin"
severity = "high"
events = { source = "operation", operator_not_admin = true }

[[rule]]
name = "by-someone-outside-it"
severity = "high"
[rule.events]
source = "operation"
operator_not_in_group = "IT"
"#;
        let rules = RuleFile::parse("mine.toml", text)
            .unwrap()
            .rules(&BTreeMap::new())
            .unwrap();
        let by = |who: &str| Event {
            actor: who.into(),
            ..op(
                "User",
                "Update",
                "Update User lisa@example.io  - Job Title: set to Contractor",
            )
        };
        let m = rules[0].events.as_ref().unwrap();
        assert!(
            m.matches(&by("olga@example.io"), &g, &mut NoHistory)
                .unwrap()
                .is_none()
        );
        assert!(
            m.matches(&by("bart@example.io"), &g, &mut NoHistory)
                .unwrap()
                .is_some()
        );
        assert!(
            m.matches(&by("stranger@else.io"), &g, &mut NoHistory)
                .unwrap()
                .is_some()
        );
        // No group named IT in the graph: skipped rather than firing on all.
        let m = rules[1].events.as_ref().unwrap();
        assert_eq!(
            m.skip_reason(&g).as_deref(),
            Some("no zoom_group named \"IT\"")
        );
    }

    #[test]
    fn bad_event_fields_name_file_line_and_field() {
        let check = |text: &str, line: usize, words: &[&str]| {
            let err = RuleFile::parse("mine.toml", text)
                .and_then(|f| f.rules(&BTreeMap::new()))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(&format!("mine.toml:{line}")), "{err}");
            for w in words {
                assert!(err.contains(w), "{err} lacks {w}");
            }
        };
        let head = "[[rule]]\nname = \"r\"\nseverity = \"high\"\n";
        check(
            &format!("{head}[rule.events]\nsource = \"operation\"\ndetial = \"x\"\n"),
            6,
            &["unknown field `detial`"],
        );
        check(
            &format!("{head}[rule.events]\nsource = \"operation\"\ndetail = \"(unclosed\"\n"),
            6,
            &["events.detail", "regular expression"],
        );
        check(
            &format!("{head}events = {{ source = \"logins\" }}\n"),
            4,
            &["events.source", "\"logins\""],
        );
        check(
            &format!("{head}[rule.events]\nsource = \"operation\"\nrole_change = \"boss\"\n"),
            6,
            &["events.role_change", "\"boss\""],
        );
        check(
            &format!("{head}trigger = \"new\"\nevents = {{ source = \"sign_in\" }}\n"),
            2,
            &["trigger", "event rule"],
        );
        check(
            &format!(
                "{head}query = \"FIND zoom_user\"\ntrigger = \"any\"\nevents = {{ source = \"sign_in\" }}\n"
            ),
            2,
            &["both `query` and `events`"],
        );
    }
}
