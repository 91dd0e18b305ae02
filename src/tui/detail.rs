//! Detail views: a user's profile, role, groups and settings; any entity's
//! properties and relationships; the account overview. They are lists of
//! lines, some of which link to another entity (Enter follows the link).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diff::By;
use crate::graph::{EntityId, EntityType, Graph, PropValue};
use crate::sync::{SkipKind, StepOutcome};

use crate::util::human;

use super::filter::{Cell, Filter};
use super::model::{self, Data, thousands};
use super::scroll::Scroll;

/// How a span is styled (the theme maps roles to styles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Label,
    Link,
    Heading,
    Dim,
    Ok,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DLine {
    pub spans: Vec<(Tone, String)>,
    /// `_key` of the entity this line opens.
    pub link: Option<String>,
}

impl DLine {
    fn heading(s: impl Into<String>) -> DLine {
        DLine {
            spans: vec![(Tone::Heading, s.into())],
            link: None,
        }
    }
    fn blank() -> DLine {
        DLine {
            spans: vec![],
            link: None,
        }
    }
    fn field(label: &str, value: impl Into<String>) -> DLine {
        DLine::field_w(label, value, 18)
    }
    /// A label padded to `width` columns, then the value.
    fn field_w(label: &str, value: impl Into<String>, width: usize) -> DLine {
        DLine {
            spans: vec![
                (Tone::Label, format!("  {label:<width$} ")),
                (Tone::Plain, value.into()),
            ],
            link: None,
        }
    }
    fn text(tone: Tone, s: impl Into<String>) -> DLine {
        DLine {
            spans: vec![(tone, s.into())],
            link: None,
        }
    }
    fn link(g: &Graph, id: EntityId, extra: &str) -> DLine {
        let e = g.entity(id);
        let mut spans = vec![
            (Tone::Plain, "  › ".to_string()),
            (Tone::Link, model::label(g, id)),
        ];
        if e.etype == EntityType::User {
            let email = model::prop_text(g, id, "email");
            if !email.is_empty() {
                spans.push((Tone::Dim, format!("  {email}")));
            }
        }
        if !extra.is_empty() {
            spans.push((Tone::Dim, format!("  {extra}")));
        }
        DLine {
            spans,
            link: Some(e.key.clone()),
        }
    }
    /// The line as the filter sees it: a labelled line is the field
    /// `label: value`, any other line one unnamed cell.
    fn cells(&self) -> Vec<Cell> {
        match self.spans.as_slice() {
            [(Tone::Label, label), rest @ ..] if !rest.is_empty() => {
                let value: String = rest.iter().map(|(_, s)| s.as_str()).collect();
                vec![Cell::labelled(label.trim(), value)]
            }
            _ => vec![Cell::new("", self.text_content())],
        }
    }

    pub fn text_content(&self) -> String {
        self.spans.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// Lazily fetched user settings.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsState {
    NotApplicable,
    Loading,
    Loaded(Vec<(String, Value)>),
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailKind {
    /// Enter on a user: profile, role + privileges, groups, settings.
    User,
    /// `d` on anything: every property and relationship.
    Entity,
    /// The account overview pane.
    Account,
}

#[derive(Debug)]
pub struct DetailView {
    /// The entity's `_key` (empty for the account overview without an account).
    pub key: String,
    pub kind: DetailKind,
    pub title: String,
    pub lines: Vec<DLine>,
    pub settings: SettingsState,
    pub filter: String,
    pub scroll: Scroll,
    /// Lines shown above the entity's own and kept when they are rebuilt:
    /// the change a Changes drill-down opened it for, and who made it.
    pub preamble: Vec<DLine>,
}

impl DetailView {
    pub fn new(kind: DetailKind, key: String, data: &Data, settings: SettingsState) -> DetailView {
        DetailView::with_preamble(kind, key, data, settings, Vec::new())
    }

    /// A detail view with `preamble` above the entity's lines.
    pub fn with_preamble(
        kind: DetailKind,
        key: String,
        data: &Data,
        settings: SettingsState,
        preamble: Vec<DLine>,
    ) -> DetailView {
        let mut v = DetailView {
            key,
            kind,
            title: String::new(),
            lines: Vec::new(),
            settings,
            filter: String::new(),
            scroll: Scroll::default(),
            preamble,
        };
        v.rebuild(data);
        v
    }

    /// Rebuilds the lines from `data` (new graph, settings arrived), keeping the cursor.
    pub fn rebuild(&mut self, data: &Data) {
        let g = &data.graph;
        let (title, lines) = match (self.kind, g.id_of(&self.key)) {
            (DetailKind::Account, _) => ("Account".to_string(), account_lines(data)),
            (DetailKind::User, Some(id)) => {
                (model::label(g, id), user_lines(g, id, &self.settings))
            }
            (DetailKind::Entity, Some(id)) => (model::label(g, id), entity_lines(g, id)),
            (_, None) => (
                model::clean(&self.key).into_owned(),
                vec![DLine::text(
                    Tone::Warn,
                    "This item is not in the current snapshot.",
                )],
            ),
        };
        self.title = title;
        self.lines = self.preamble.iter().cloned().chain(lines).collect();
        let len = self.visible_len();
        self.scroll.clamp(len);
    }

    /// Lines passing the filter (all when no filter), in their order. The
    /// grammar is the lists' (`/`): free text, `'exact`, `!not`, and
    /// `field:value` against a labelled line (`/status:active`,
    /// `/last_login:2026*`).
    pub fn visible(&self) -> Vec<&DLine> {
        if self.filter.is_empty() {
            return self.lines.iter().collect();
        }
        let f = Filter::parse(&self.filter);
        let cells: Vec<Vec<Cell>> = self.lines.iter().map(DLine::cells).collect();
        let keep = f.select(&cells, false);
        keep.into_iter().filter_map(|i| self.lines.get(i)).collect()
    }

    pub fn visible_len(&self) -> usize {
        if self.filter.is_empty() {
            self.lines.len()
        } else {
            self.visible().len()
        }
    }

    /// Tab / Shift-Tab: the cursor to the next (previous) line with a
    /// link, around the end.
    pub fn jump_link(&mut self, forward: bool) {
        let links: Vec<usize> = self
            .visible()
            .iter()
            .enumerate()
            .filter(|(_, l)| l.link.is_some())
            .map(|(i, _)| i)
            .collect();
        let cur = self.scroll.cursor();
        let next = if forward {
            links.iter().find(|i| **i > cur).or(links.first())
        } else {
            links.iter().rev().find(|i| **i < cur).or(links.last())
        };
        if let Some(&i) = next {
            let n = self.visible_len();
            self.scroll.move_to(i, n);
        }
    }

    /// The link under the cursor as (its number, counting from 1, and how
    /// many links there are); number 0 when the cursor is on no link.
    pub fn link_position(&self) -> (usize, usize) {
        let visible = self.visible();
        let total = visible.iter().filter(|l| l.link.is_some()).count();
        let cur = self.scroll.cursor();
        let at = match visible.get(cur) {
            Some(l) if l.link.is_some() => {
                visible[..cur].iter().filter(|l| l.link.is_some()).count() + 1
            }
            _ => 0,
        };
        (at, total)
    }

    pub fn selected_link(&self) -> Option<String> {
        self.visible()
            .get(self.scroll.cursor())
            .and_then(|l| l.link.clone())
    }
}

const PROFILE_FIELDS: &[(&str, &str)] = &[
    ("Email", "email"),
    ("Status", "status"),
    ("Department", "dept"),
    ("Job title", "jobTitle"),
    ("Created", "userCreatedAt"),
    ("Last login", "lastLoginTime"),
    ("Client version", "lastClientVersion"),
    ("Timezone", "timezone"),
    ("Language", "language"),
    ("Phone", "phoneNumber"),
    ("Verified", "verified"),
    ("Login types", "loginTypes"),
    ("Plan", "planUnitedType"),
    ("Employee id", "employeeUniqueId"),
    ("Zoom id", "id"),
];

fn user_lines(g: &Graph, id: EntityId, settings: &SettingsState) -> Vec<DLine> {
    let mut out = vec![DLine::heading("Profile")];
    out.push(DLine::field("Name", model::user_name(g, id)));
    out.push(DLine::field("Type", model::user_type(g, id).into_owned()));
    for (label, prop) in PROFILE_FIELDS {
        // As a person reads it: `Verified yes`, not `1` (util::human).
        let v = g
            .entity(id)
            .props
            .get(prop)
            .map(|v| model::clean(&human::prop(prop, &v.to_json())).into_owned())
            .unwrap_or_default();
        if !v.is_empty() {
            out.push(DLine::field(label, v));
        }
    }
    out.push(DLine::blank());
    match model::role_of(g, id) {
        Some(r) => {
            let admin = if model::role_is_admin(g, r) {
                "admin role"
            } else {
                ""
            };
            out.push(DLine::heading("Role"));
            out.push(DLine::link(g, r, admin));
            let privs = model::privileges(g, r);
            if !privs.is_empty() {
                out.push(DLine::text(
                    Tone::Label,
                    format!("    privileges ({})", privs.len()),
                ));
                for p in privs {
                    out.push(DLine::text(Tone::Dim, format!("      {p}")));
                }
            }
        }
        None => {
            out.push(DLine::heading("Role"));
            let name = model::prop_text(g, id, "roleName");
            out.push(DLine::text(
                Tone::Dim,
                if name.is_empty() {
                    "  (none)".into()
                } else {
                    format!("  {name}")
                },
            ));
        }
    }
    out.push(DLine::blank());
    let mut groups = model::groups_of(g, id);
    groups.sort_by_cached_key(|x| model::label(g, *x).to_lowercase());
    out.push(DLine::heading(format!("Groups ({})", groups.len())));
    if groups.is_empty() {
        out.push(DLine::text(Tone::Dim, "  (none)"));
    }
    for gr in groups {
        out.push(DLine::link(g, gr, ""));
    }
    if let Some(emp) = model::employee_of(g, id) {
        out.push(DLine::blank());
        out.push(DLine::heading("Employee record"));
        out.push(DLine::link(g, emp, ""));
    }
    out.push(DLine::blank());
    match settings {
        SettingsState::NotApplicable => {}
        SettingsState::Loading => out.push(DLine::heading("Settings  (loading…)")),
        SettingsState::Failed(e) => {
            out.push(DLine::heading("Settings"));
            out.push(DLine::text(
                Tone::Warn,
                format!("  not available: {}", model::clean(e)),
            ));
        }
        SettingsState::Loaded(all) => {
            // The role's permissions come with the settings (the same lazy
            // fetch, never history) and read best as a list of their own.
            let (permissions, list): (Vec<_>, Vec<_>) =
                all.iter().partition(|(k, _)| k == "permissions");
            let permissions = permission_lines(permissions.first().map(|(_, v)| v));
            if !permissions.is_empty() {
                out.extend(permissions);
                out.push(DLine::blank());
            }
            out.push(DLine::heading(format!("Settings ({})", list.len())));
            let width = list
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(18)
                .clamp(18, 60);
            for (k, v) in list {
                out.push(DLine::field_w(
                    &model::clean(k),
                    model::value_text(v),
                    width,
                ));
            }
        }
    }
    out
}

/// A user's permissions (`GET /users/{userId}/permissions`, what their role
/// lets them do), one a line so `/` finds one. Nothing when they were not
/// read (the app lacks `user:read:list_permissions:admin`, or the plan has
/// no roles): the fetch leaves them out then.
fn permission_lines(permissions: Option<&Value>) -> Vec<DLine> {
    let Some(Value::Array(list)) = permissions else {
        return Vec::new();
    };
    let mut names: Vec<String> = list
        .iter()
        .map(|p| model::clean(&model::value_text(p)).into_owned())
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    let mut out = vec![DLine::heading(format!("Permissions ({})", names.len()))];
    if names.is_empty() {
        out.push(DLine::text(Tone::Dim, "  (none)"));
    }
    out.extend(
        names
            .into_iter()
            .map(|n| DLine::text(Tone::Plain, format!("  {n}"))),
    );
    out
}

/// What a Changes drill-down shows above the changed entity: `heading`,
/// the changed properties as (name, `old → new`), and who made the change
/// ([`attribution_lines`]).
pub fn change_lines(
    g: &Graph,
    heading: String,
    props: &[(String, String)],
    by: &[By],
    joined: bool,
) -> Vec<DLine> {
    let mut out = vec![DLine::heading(heading)];
    let width = props
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(18)
        .clamp(18, 60);
    out.extend(
        props
            .iter()
            .map(|(k, v)| DLine::field_w(&model::clean(k), model::clean(v).into_owned(), width)),
    );
    out.extend(attribution_lines(g, by, joined));
    out.push(DLine::blank());
    out
}

/// Who made a change: a line per operation-log entry that explains it, the
/// operator a link to their Zoom user (Tab reaches it as any other link),
/// followed by a link to their employee record when the roster maps them.
/// `unexplained` when the log was joined and no entry names the change
/// (`joined` false: the log was not read, nothing is said).
pub fn attribution_lines(g: &Graph, by: &[By], joined: bool) -> Vec<DLine> {
    if by.is_empty() {
        return if joined {
            vec![DLine::text(
                Tone::Warn,
                "  unexplained: no operation-log entry between the two syncs names this change",
            )]
        } else {
            Vec::new()
        };
    }
    let mut out = Vec::new();
    for b in by {
        let operator = model::clean(&b.operator).into_owned();
        let when = format!(
            "  at {} ({}: {})",
            b.time.format("%Y-%m-%d %H:%M"),
            model::clean(&b.action),
            model::clean(&b.detail)
        );
        let user = operator_user(g, &b.operator);
        let mut spans = vec![(Tone::Label, "  by ".to_string())];
        match user {
            Some(_) => spans.push((Tone::Link, operator)),
            None => {
                spans.push((Tone::Plain, operator));
                spans.push((Tone::Dim, "  (not a Zoom user in this snapshot)".into()));
            }
        }
        spans.push((Tone::Dim, when));
        out.push(DLine {
            spans,
            link: user.map(|u| g.entity(u).key.clone()),
        });
        if let Some(emp) = user.and_then(|u| model::employee_of(g, u)) {
            out.push(DLine::link(g, emp, "the operator's employee record"));
        }
    }
    out
}

/// The Zoom user an operator's e-mail names in `g`, if any.
pub fn operator_user(g: &Graph, email: &str) -> Option<EntityId> {
    g.by_email(email)
        .iter()
        .copied()
        .find(|id| g.entity(*id).etype == EntityType::User)
}

/// Links listed per relationship direction before "… N more".
const MAX_LINKS: usize = 500;

fn entity_lines(g: &Graph, id: EntityId) -> Vec<DLine> {
    let e = g.entity(id);
    let mut out = vec![DLine::heading(format!(
        "{} ({})",
        e.etype.class(),
        e.etype.as_str()
    ))];
    let width = e
        .props
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(18)
        .clamp(18, 60);
    out.push(DLine::field_w(
        "_key",
        model::clean(&e.key).into_owned(),
        width,
    ));
    for (k, v) in e.props.iter() {
        out.push(DLine::field_w(
            &model::clean(k),
            model::clean(&human::prop(k, &v.to_json())).into_owned(),
            width,
        ));
    }
    let mut groups: BTreeMap<(u8, String), Vec<EntityId>> = BTreeMap::new();
    for r in g.outgoing(id) {
        let rel = g.relationship(*r);
        groups
            .entry((0, rel.rtype.as_str().to_string()))
            .or_default()
            .push(rel.to);
    }
    for r in g.incoming(id) {
        let rel = g.relationship(*r);
        groups
            .entry((1, rel.rtype.as_str().to_string()))
            .or_default()
            .push(rel.from);
    }
    for ((dir, rtype), mut ids) in groups {
        out.push(DLine::blank());
        let arrow = if dir == 0 { "→" } else { "←" };
        out.push(DLine::heading(format!(
            "{arrow} {rtype} ({})",
            thousands(ids.len())
        )));
        ids.sort_by_cached_key(|x| model::label(g, *x).to_lowercase());
        let more = ids.len().saturating_sub(MAX_LINKS);
        for other in ids.into_iter().take(MAX_LINKS) {
            out.push(DLine::link(g, other, ""));
        }
        if more > 0 {
            out.push(DLine::text(
                Tone::Dim,
                format!("  … and {} more", thousands(more)),
            ));
        }
    }
    out
}

/// Setting names that bear on security, shown in the account's posture section.
const POSTURE_WORDS: &[&str] = &[
    "password",
    "passcode",
    "waiting",
    "twofactor",
    "two_factor",
    "2fa",
    "signin",
    "sign_in",
    "encrypt",
    "authentic",
    "security",
    "e2e",
    "sso",
];

fn account_lines(data: &Data) -> Vec<DLine> {
    let g = &data.graph;
    let mut out = Vec::new();
    let acct = model::account(g);
    out.push(DLine::heading("Account"));
    match acct {
        Some(a) => {
            for (label, prop) in [
                ("Name", "name"),
                ("Account id", "accountId"),
                ("Account number", "accountNumber"),
                ("Owner", "ownerEmail"),
                ("Plan", "planType"),
            ] {
                let v = model::prop_text(g, a, prop);
                if !v.is_empty() {
                    out.push(DLine::field(label, v));
                }
            }
        }
        None => out.push(DLine::text(
            Tone::Dim,
            "  (no account entity in this snapshot)",
        )),
    }
    // users by status and type
    let users = g.of_type(crate::graph::EntityType::User);
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for u in users {
        *by_status
            .entry(model::prop_text(g, *u, "status"))
            .or_default() += 1;
        *by_type
            .entry(model::user_type(g, *u).into_owned())
            .or_default() += 1;
    }
    let fmt = |m: &BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| {
                format!(
                    "{} {}",
                    if k.is_empty() { "unknown" } else { k },
                    thousands(*n)
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    out.push(DLine::blank());
    out.push(DLine::heading("Users"));
    out.push(DLine::field("Total", thousands(users.len())));
    out.push(DLine::field("By status", fmt(&by_status)));
    out.push(DLine::field("By type", fmt(&by_type)));
    let groups = g.of_type(crate::graph::EntityType::Group);
    let roles = g.of_type(crate::graph::EntityType::Role);
    out.push(DLine::field("Groups", thousands(groups.len())));
    out.push(DLine::field("Roles", thousands(roles.len())));
    let employees = g.of_type(crate::graph::EntityType::Employee).len();
    if employees > 0 {
        out.push(DLine::field("Employees", thousands(employees)));
    }

    // owners and admins
    let mut admins: Vec<(EntityId, String)> = Vec::new();
    for r in roles {
        if model::role_is_admin(g, *r) {
            let rn = model::label(g, *r);
            admins.extend(
                model::role_members(g, *r)
                    .into_iter()
                    .map(|u| (u, rn.clone())),
            );
        }
    }
    if admins.is_empty() {
        // without role edges, fall back to the users' roleName
        for u in users {
            let rn = model::prop_text(g, *u, "roleName");
            let l = rn.to_lowercase();
            if l.contains("owner") || l.contains("admin") {
                admins.push((*u, rn));
            }
        }
    }
    admins.sort_by_cached_key(|(u, r)| {
        (
            !r.to_lowercase().contains("owner"),
            model::label(g, *u).to_lowercase(),
        )
    });
    out.push(DLine::blank());
    out.push(DLine::heading(format!(
        "Owners and admins ({})",
        admins.len()
    )));
    let more = admins.len().saturating_sub(50);
    for (u, r) in admins.iter().take(50) {
        out.push(DLine::link(g, *u, r));
    }
    if more > 0 {
        out.push(DLine::text(
            Tone::Dim,
            format!("  … and {more} more (try /role:admin in Users)"),
        ));
    }

    let mut empty: Vec<EntityId> = groups
        .iter()
        .copied()
        .filter(|gr| super::columns::member_count(g, *gr) == 0)
        .collect();
    empty.sort_by_cached_key(|x| model::label(g, *x).to_lowercase());
    out.push(DLine::blank());
    out.push(DLine::heading(format!("Empty groups ({})", empty.len())));
    for gr in empty.iter().take(50) {
        out.push(DLine::link(g, *gr, ""));
    }

    if let Some(a) = acct {
        let posture: Vec<DLine> = g
            .entity(a)
            .props
            .iter()
            .filter(|(k, v)| {
                let l = k.to_lowercase();
                // lock settings repeat the settings they lock
                !matches!(v, PropValue::Object(_) | PropValue::List(_))
                    && !l.starts_with("locksettings")
                    && POSTURE_WORDS.iter().any(|w| l.contains(w))
            })
            .map(|(k, v)| {
                let text = model::prop_value_text(v);
                let tone = match v {
                    PropValue::Bool(true) => Tone::Ok,
                    PropValue::Bool(false) => Tone::Warn,
                    _ => Tone::Plain,
                };
                DLine {
                    spans: vec![
                        (Tone::Label, format!("  {:<52} ", model::clean(k))),
                        (tone, text),
                    ],
                    link: None,
                }
            })
            .collect();
        out.push(DLine::blank());
        out.push(DLine::heading(format!(
            "Security posture ({} settings)",
            posture.len()
        )));
        if posture.is_empty() {
            out.push(DLine::text(
                Tone::Dim,
                "  (no account settings in this snapshot)",
            ));
        }
        out.extend(posture);
    }

    out.push(DLine::blank());
    out.push(DLine::heading("Last sync"));
    if let Some(t) = &data.meta.finished_at {
        out.push(DLine::field("Finished", model::clean(t).into_owned()));
    }
    if data.meta.steps.is_empty() {
        out.push(DLine::text(Tone::Dim, "  (no step records)"));
    }
    let mut skipped: Vec<String> = Vec::new();
    for s in &data.meta.steps {
        let (tone, what) = match &s.outcome {
            StepOutcome::Ok { count, skipped } if skipped.is_empty() => {
                (Tone::Ok, format!("ok, {}", thousands(*count)))
            }
            StepOutcome::Ok { count, skipped } => (
                Tone::Warn,
                format!("ok, {}, {}", thousands(*count), skipped.describe()),
            ),
            StepOutcome::Skipped {
                kind: SkipKind::MissingScope,
                scopes,
                ..
            } => {
                skipped.extend(scopes.iter().cloned());
                (
                    Tone::Warn,
                    format!("skipped: needs {}", scopes.join(" or ")),
                )
            }
            StepOutcome::Skipped {
                kind: SkipKind::Unavailable,
                reason,
                ..
            } => (Tone::Warn, format!("skipped (unavailable): {reason}")),
            StepOutcome::Failed { reason } => (Tone::Error, format!("failed: {reason}")),
        };
        out.push(DLine {
            spans: vec![
                (Tone::Label, format!("  {:<28} ", model::clean(&s.step))),
                (tone, model::clean(&what).into_owned()),
            ],
            link: None,
        });
    }
    if !skipped.is_empty() {
        skipped.sort();
        skipped.dedup();
        out.push(DLine::field(
            "Skipped scopes",
            model::clean(&skipped.join(", ")).into_owned(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::graph::Entity;

    fn by(operator: &str) -> By {
        By {
            time: chrono::Utc
                .with_ymd_and_hms(2026, 12, 7, 14, 30, 0)
                .unwrap(),
            operator: operator.into(),
            action: "Update".into(),
            detail: "Update User bart@example.com  - User Role: from Member to Admin\u{1b}[2J"
                .into(),
        }
    }

    #[test]
    fn the_operator_is_a_link_when_a_user_and_plain_text_when_not() {
        let mut g = Graph::new();
        let mut olga = Entity::new(EntityType::User, "zoom_user:o1".into());
        olga.props
            .insert(Arc::from("email"), json!("olga@example.com"));
        g.add_entity(olga).unwrap();

        let lines = attribution_lines(&g, &[by("OLGA@example.com")], true);
        assert_eq!(lines.len(), 1, "no employee record: one line");
        assert_eq!(lines[0].link.as_deref(), Some("zoom_user:o1"));
        let text = lines[0].text_content();
        assert!(
            text.starts_with("  by OLGA@example.com  at 2026-12-07 14:30 (Update: Update User"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "{text:?}");

        let stranger = attribution_lines(&g, &[by("ext\u{202e}@partner.example")], true);
        assert_eq!(stranger[0].link, None);
        let text = stranger[0].text_content();
        assert!(
            text.contains("(not a Zoom user in this snapshot)"),
            "{text}"
        );
        assert!(!text.contains('\u{202e}'), "{text:?}");

        let unexplained = attribution_lines(&g, &[], true);
        assert!(unexplained[0].text_content().contains("unexplained"));
        assert!(
            attribution_lines(&g, &[], false).is_empty(),
            "log not joined"
        );
    }
}
