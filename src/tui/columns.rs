//! Column sets of the entity tables: titles, widths, cell text and sort keys.
//! A new entity pane (Employees, say) adds a [`TableKind`] and its columns here.

use std::collections::BTreeMap;

use crate::graph::{EntityId, EntityType, Graph, PropValue};

use super::model;

/// Which column set a table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKind {
    Users,
    Groups,
    Roles,
    Employees,
}

impl TableKind {
    pub fn entity_type(self) -> EntityType {
        match self {
            TableKind::Users => EntityType::User,
            TableKind::Groups => EntityType::Group,
            TableKind::Roles => EntityType::Role,
            TableKind::Employees => EntityType::Employee,
        }
    }

    pub const ALL: [TableKind; 4] = [
        TableKind::Users,
        TableKind::Groups,
        TableKind::Roles,
        TableKind::Employees,
    ];

    /// The name in the config file's `[tui.columns]` table.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Users => "users",
            TableKind::Groups => "groups",
            TableKind::Roles => "roles",
            TableKind::Employees => "employees",
        }
    }

    pub fn from_name(name: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            TableKind::Users => USER_COLUMNS,
            TableKind::Groups => GROUP_COLUMNS,
            TableKind::Roles => ROLE_COLUMNS,
            TableKind::Employees => EMPLOYEE_COLUMNS,
        }
    }
}

/// One column: what it is called, how wide it may be, and which to drop
/// first when the terminal is narrow (higher `priority` is dropped last).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub field: Field,
    pub min: u16,
    pub weight: u16,
    pub priority: u8,
    /// Fuzzy matches are highlighted in this column.
    pub searched: bool,
}

/// What a column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    UserName,
    Prop(&'static str),
    UserType,
    RoleName,
    GroupNames,
    MemberCount,
    PrivilegeCount,
    Label,
    /// The Zoom user mapped to an employee (`zoom_user_is_employee`).
    ZoomUser,
}

const fn col(
    title: &'static str,
    field: Field,
    min: u16,
    weight: u16,
    priority: u8,
    searched: bool,
) -> Column {
    Column {
        title,
        field,
        min,
        weight,
        priority,
        searched,
    }
}

const USER_COLUMNS: &[Column] = &[
    col("Name", Field::UserName, 14, 3, 9, true),
    col("Email", Field::Prop("email"), 22, 5, 10, true),
    col("Type", Field::UserType, 8, 0, 5, false),
    col("Status", Field::Prop("status"), 8, 0, 7, false),
    col("Role", Field::RoleName, 8, 1, 8, false),
    col("Department", Field::Prop("dept"), 11, 1, 6, true),
    col("Groups", Field::GroupNames, 12, 2, 3, false),
    col("Last login", Field::Prop("lastLoginTime"), 20, 0, 2, false),
];

const GROUP_COLUMNS: &[Column] = &[
    col("Name", Field::Label, 12, 4, 10, true),
    col("Members", Field::MemberCount, 7, 1, 9, false),
    col(
        "Directory privacy",
        Field::Prop("directoryPrivacy"),
        10,
        1,
        4,
        false,
    ),
    col("In directory", Field::Prop("inDirectory"), 8, 1, 3, false),
    col("Id", Field::Prop("id"), 10, 2, 2, false),
];

const ROLE_COLUMNS: &[Column] = &[
    col("Name", Field::Label, 12, 3, 10, true),
    col("Members", Field::MemberCount, 7, 1, 9, false),
    col("Admin", Field::Prop("admin"), 5, 1, 8, false),
    col("Type", Field::Prop("roleType"), 6, 1, 4, false),
    col("Privileges", Field::PrivilegeCount, 10, 1, 5, false),
    col("Description", Field::Prop("description"), 12, 4, 3, true),
];

const EMPLOYEE_COLUMNS: &[Column] = &[
    col("Name", Field::Label, 12, 3, 10, true),
    col("Email", Field::Prop("email"), 22, 4, 9, true),
    col("Department", Field::Prop("department"), 11, 2, 6, true),
    col("Title", Field::Prop("title"), 10, 2, 3, false),
    col("Status", Field::Prop("status"), 8, 0, 7, false),
    col(
        "Terminated",
        Field::Prop("terminationDate"),
        10,
        0,
        5,
        false,
    ),
    col("Zoom user", Field::ZoomUser, 14, 3, 8, false),
];

/// The text of one cell (sanitised).
pub fn cell(g: &Graph, id: EntityId, field: Field) -> String {
    match field {
        Field::UserName => model::user_name(g, id),
        Field::Label => model::label(g, id),
        Field::Prop(p) => model::prop_text(g, id, p),
        Field::UserType => model::user_type(g, id).into_owned(),
        Field::RoleName => model::role_name(g, id),
        Field::GroupNames => model::group_names(g, id),
        Field::MemberCount => member_count(g, id).to_string(),
        Field::PrivilegeCount => model::privileges(g, id).len().to_string(),
        Field::ZoomUser => g
            .sources(id, crate::graph::RelType::UserIsEmployee)
            .map(|u| model::prop_text(g, u, "email"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Members known from relationships; falls back to Zoom's `totalMembers`
/// when the graph holds no membership edges for that entity.
pub fn member_count(g: &Graph, id: EntityId) -> usize {
    let n = match g.entity(id).etype {
        EntityType::Group => model::group_members(g, id).len(),
        EntityType::Role => model::role_members(g, id).len(),
        _ => 0,
    };
    if n > 0 {
        return n;
    }
    g.entity(id)
        .props
        .get("totalMembers")
        .and_then(PropValue::as_u64)
        .map(|n| n as usize)
        .unwrap_or(0)
}

/// Which columns each kind of table shows and in what order: the column
/// chooser's choice, remembered in the config's `[tui.columns]` table by
/// column title (`users = ["Name", "Email", "Status"]`). A kind without an
/// entry shows every column in the built-in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnPrefs {
    shown: BTreeMap<TableKind, Vec<usize>>,
}

impl ColumnPrefs {
    /// Column indices shown, in order (never empty).
    pub fn shown(&self, kind: TableKind) -> Vec<usize> {
        match self.shown.get(&kind) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => (0..kind.columns().len()).collect(),
        }
    }

    /// Every column of `kind`: the shown ones in order (true), then the hidden ones.
    pub fn layout(&self, kind: TableKind) -> Vec<(usize, bool)> {
        let shown = self.shown(kind);
        let hidden = (0..kind.columns().len()).filter(|i| !shown.contains(i));
        shown
            .iter()
            .map(|i| (*i, true))
            .chain(hidden.map(|i| (i, false)))
            .collect()
    }

    /// Takes a chooser's layout; one column at least stays shown.
    pub fn set_layout(&mut self, kind: TableKind, layout: &[(usize, bool)]) {
        let shown: Vec<usize> = layout.iter().filter(|(_, s)| *s).map(|(i, _)| *i).collect();
        if shown.is_empty() {
            return;
        }
        if shown == (0..kind.columns().len()).collect::<Vec<_>>() {
            self.shown.remove(&kind);
        } else {
            self.shown.insert(kind, shown);
        }
    }

    /// Reads `[tui.columns]` (kind → column titles); returns what it could
    /// not read, naming the kind and the title.
    pub fn from_names(names: &BTreeMap<String, Vec<String>>) -> (ColumnPrefs, Vec<String>) {
        let mut prefs = ColumnPrefs::default();
        let mut problems = Vec::new();
        for (kind_name, titles) in names {
            let Some(kind) = TableKind::from_name(kind_name) else {
                problems.push(format!(
                    "[tui.columns] `{kind_name}`: not a table (use users, groups, roles or employees)"
                ));
                continue;
            };
            let mut shown = Vec::new();
            for t in titles {
                match kind
                    .columns()
                    .iter()
                    .position(|c| c.title.eq_ignore_ascii_case(t.trim()))
                {
                    Some(i) if !shown.contains(&i) => shown.push(i),
                    Some(_) => {}
                    None => problems.push(format!(
                        "[tui.columns] {kind_name}: no column `{t}` (columns: {})",
                        kind.columns()
                            .iter()
                            .map(|c| c.title)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            if !shown.is_empty() {
                prefs.shown.insert(kind, shown);
            }
        }
        (prefs, problems)
    }

    /// What `[tui.columns]` holds: kinds with a choice, columns by title.
    pub fn to_names(&self) -> BTreeMap<String, Vec<String>> {
        self.shown
            .iter()
            .map(|(k, v)| {
                let titles = v
                    .iter()
                    .filter_map(|i| k.columns().get(*i).map(|c| c.title.to_string()))
                    .collect();
                (k.name().to_string(), titles)
            })
            .collect()
    }
}

/// Sorts `rows` by `field`; empty cells go last whichever the direction
/// (an empty department is not "before A" or "after Z": it is unknown).
/// Stable, so equal keys keep their order in both directions.
pub fn sort_rows(g: &Graph, rows: &mut [EntityId], field: Field, descending: bool) {
    if descending {
        rows.sort_by_cached_key(|id| {
            let k = sort_key(g, *id, field);
            (k == SortKey::Empty, std::cmp::Reverse(k))
        });
    } else {
        rows.sort_by_cached_key(|id| sort_key(g, *id, field));
    }
}

/// A sort key: numbers sort numerically, text case-insensitively, and
/// empty cells last in ascending order ([`sort_rows`] keeps them last in
/// descending order too).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Num(i64),
    Text(String),
    Empty,
}

pub fn sort_key(g: &Graph, id: EntityId, field: Field) -> SortKey {
    match field {
        Field::MemberCount => SortKey::Num(member_count(g, id) as i64),
        Field::PrivilegeCount => SortKey::Num(model::privileges(g, id).len() as i64),
        Field::Prop(p) => match g.entity(id).props.get(p) {
            Some(v) if v.is_number() => SortKey::Num(v.as_i64().unwrap_or(0)),
            Some(PropValue::Bool(b)) => SortKey::Num(i64::from(*b)),
            Some(v) => text_key(model::prop_value_text(v)),
            None => SortKey::Empty,
        },
        other => text_key(cell(g, id, other)),
    }
}

fn text_key(s: String) -> SortKey {
    if s.is_empty() {
        SortKey::Empty
    } else {
        SortKey::Text(s.to_lowercase())
    }
}
