//! The top-level panes. Adding one is a variant here plus a
//! [`Component`](super::component::Component) that owns its state, built in
//! `App::new_pane`: an entity table needs only an
//! [`EntityPane`](super::entity_pane::EntityPane) with a
//! [`TableKind`](super::columns::TableKind); rows computed from the graph
//! can come from a [`PaneProvider`](super::provided::PaneProvider).

/// A top-level pane, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneKind {
    Account,
    Users,
    Groups,
    Roles,
    Employees,
    Changes,
    Alerts,
    Query,
    /// The operation log and sign-in activity (last, so the panes before it
    /// keep their number keys).
    Activity,
}

impl PaneKind {
    pub const ALL: [PaneKind; 9] = [
        PaneKind::Account,
        PaneKind::Users,
        PaneKind::Groups,
        PaneKind::Roles,
        PaneKind::Employees,
        PaneKind::Changes,
        PaneKind::Alerts,
        PaneKind::Query,
        PaneKind::Activity,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneKind::Account => "Account",
            PaneKind::Users => "Users",
            PaneKind::Groups => "Groups",
            PaneKind::Roles => "Roles",
            PaneKind::Employees => "Employees",
            PaneKind::Changes => "Changes",
            PaneKind::Alerts => "Alerts",
            PaneKind::Query => "Query",
            PaneKind::Activity => "Activity",
        }
    }

    /// The `:` command that opens it.
    pub fn command(self) -> &'static str {
        match self {
            PaneKind::Account => "account",
            PaneKind::Users => "users",
            PaneKind::Groups => "groups",
            PaneKind::Roles => "roles",
            PaneKind::Employees => "employees",
            PaneKind::Changes => "changes",
            PaneKind::Alerts => "alerts",
            PaneKind::Query => "query",
            PaneKind::Activity => "activity",
        }
    }

    /// Short aliases accepted by `:`.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            PaneKind::Account => &["a", "acct", "pulse"],
            PaneKind::Users => &["u", "user"],
            PaneKind::Groups => &["g", "group"],
            PaneKind::Roles => &["r", "role"],
            PaneKind::Employees => &["e", "emp"],
            PaneKind::Changes => &["c", "diff"],
            PaneKind::Alerts => &["al"],
            PaneKind::Query => &["q1", "j1ql"],
            PaneKind::Activity => &["act", "log", "who"],
        }
    }

    pub fn from_command(s: &str) -> Option<PaneKind> {
        let s = s.trim().to_lowercase();
        PaneKind::ALL
            .into_iter()
            .find(|p| p.command() == s || p.aliases().contains(&s.as_str()))
    }
}
