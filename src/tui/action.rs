//! Everything the app can be asked to do. Keys map to [`Action`]s through the
//! keymap (`App::on_key` → `App::update`); background results arrive as
//! [`Event`]s (`App::handle`). The app hands actions to the active pane and
//! results to every pane; these two entry points are the only way state
//! changes.

use serde_json::Value;

use crate::sync::SyncEvent;

use super::pane::PaneKind;
use super::search::SearchDone;
use super::source::{Loaded, SyncFailure};

/// A user-facing action, named in the config file's `[keys]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    MoveDown,
    MoveUp,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    Top,
    Bottom,
    ColumnLeft,
    ColumnRight,
    Sort,
    Open,
    /// Esc: clear the filter, else go back one level.
    ClearOrBack,
    /// q: go back one level; quit at the root.
    BackOrQuit,
    Quit,
    Search,
    Command,
    Help,
    Details,
    Raw,
    Copy,
    /// Copy whole rows (the marked ones, else the one under the cursor).
    CopyRow,
    ExportCsv,
    SyncNow,
    NextPane,
    PrevPane,
    Pane(PaneKind),
    NextMatch,
    PrevMatch,
    /// Employees pane: open the other side of a row (roster row / Zoom user).
    OtherSide,
    /// Employees pane: link the row's user and employee (asks y/n).
    Link,
    /// Employees pane: unlink the row's user and employee (asks y/n).
    Unlink,
    /// Mark or unmark the row (tables); show or hide the column (chooser).
    Mark,
    /// All columns at full width, scrolled sideways.
    Wide,
    /// The column chooser.
    Columns,
    /// Move the selected column one place left (up in the chooser).
    ColumnEarlier,
    /// Move the selected column one place right (down in the chooser).
    ColumnLater,
    /// Activity (and a change in Changes): open who did it, the operator's Zoom user.
    Operator,
    /// Detail views: the next link.
    NextLink,
    /// Detail views: the previous link.
    PrevLink,
    // prompt editing
    Accept,
    Cancel,
    Complete,
    DeleteChar,
    ClearLine,
}

impl Action {
    /// Every action with a config name, in the order help lists them.
    pub fn all() -> Vec<Action> {
        let mut v = vec![
            Action::MoveDown,
            Action::MoveUp,
            Action::PageDown,
            Action::PageUp,
            Action::HalfPageDown,
            Action::HalfPageUp,
            Action::Top,
            Action::Bottom,
            Action::ColumnLeft,
            Action::ColumnRight,
            Action::Sort,
            Action::Open,
            Action::ClearOrBack,
            Action::BackOrQuit,
            Action::Quit,
            Action::Search,
            Action::Command,
            Action::Help,
            Action::Details,
            Action::Raw,
            Action::Copy,
            Action::CopyRow,
            Action::ExportCsv,
            Action::SyncNow,
            Action::NextPane,
            Action::PrevPane,
        ];
        v.extend(PaneKind::ALL.iter().map(|p| Action::Pane(*p)));
        v.extend([
            Action::NextMatch,
            Action::PrevMatch,
            Action::OtherSide,
            Action::Link,
            Action::Unlink,
            Action::Mark,
            Action::Wide,
            Action::Columns,
            Action::ColumnEarlier,
            Action::ColumnLater,
            Action::Operator,
            Action::NextLink,
            Action::PrevLink,
            Action::Accept,
            Action::Cancel,
            Action::Complete,
            Action::DeleteChar,
            Action::ClearLine,
        ]);
        v
    }

    /// The name used in the config file.
    pub fn name(self) -> String {
        let s = match self {
            Action::MoveDown => "move_down",
            Action::MoveUp => "move_up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::ColumnLeft => "column_left",
            Action::ColumnRight => "column_right",
            Action::Sort => "sort",
            Action::Open => "open",
            Action::ClearOrBack => "clear_or_back",
            Action::BackOrQuit => "back_or_quit",
            Action::Quit => "quit",
            Action::Search => "search",
            Action::Command => "command",
            Action::Help => "help",
            Action::Details => "details",
            Action::Raw => "raw_json",
            Action::Copy => "copy",
            Action::CopyRow => "copy_row",
            Action::ExportCsv => "export_csv",
            Action::SyncNow => "sync_now",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::Pane(p) => return format!("pane_{}", p.command()),
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::OtherSide => "other_side",
            Action::Link => "link",
            Action::Unlink => "unlink",
            Action::Mark => "mark",
            Action::Wide => "wide",
            Action::Columns => "columns",
            Action::ColumnEarlier => "column_earlier",
            Action::ColumnLater => "column_later",
            Action::Operator => "operator",
            Action::NextLink => "next_link",
            Action::PrevLink => "prev_link",
            Action::Accept => "accept (search: open the selected match)",
            Action::Cancel => "cancel",
            Action::Complete => "complete",
            Action::DeleteChar => "delete_char",
            Action::ClearLine => "clear_line",
        };
        s.to_string()
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::all().into_iter().find(|a| a.name() == name)
    }

    /// One line for the help overlay.
    pub fn describe(self) -> String {
        let s = match self {
            Action::MoveDown => "move down",
            Action::MoveUp => "move up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::HalfPageDown => "half page down",
            Action::HalfPageUp => "half page up",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::ColumnLeft => "select previous column",
            Action::ColumnRight => "select next column",
            Action::Sort => "sort by selected column (again: reverse)",
            Action::Open => "open / drill down",
            Action::ClearOrBack => "clear marks, else filter, else back",
            Action::BackOrQuit => "back; quit at the root",
            Action::Quit => "quit",
            Action::Search => {
                "filter: text, 'exact, field:value (role:=Admin group:\"Sales EMEA\"), ! negates"
            }
            Action::Command => "command (:users :groups :roles :account …)",
            Action::Help => "this help",
            Action::Details => "details of the selected item",
            Action::Raw => "raw JSON of the selected item (rows marked: copy them)",
            Action::Copy => "copy (email / name / JSON / a row without one; rows marked: theirs)",
            Action::CopyRow => "copy the whole row, tab-separated (rows marked: all of them)",
            Action::ExportCsv => "save the filtered, sorted view as CSV (rows marked: those)",
            Action::SyncNow => "sync now",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Pane(p) => return format!("{} pane", p.title()),
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::OtherSide => "employees: open the other side (roster row / Zoom user)",
            Action::Link => "employees: link the row's Zoom user and employee",
            Action::Unlink => "employees: unlink the row's Zoom user and employee",
            Action::Mark => "mark / unmark the row (columns: show / hide)",
            Action::Wide => "wide: every column, scroll sideways with h/l",
            Action::Columns => "choose columns (hide, reorder; saved in the config)",
            Action::ColumnEarlier => "move the selected column left (columns: up)",
            Action::ColumnLater => "move the selected column right (columns: down)",
            Action::Operator => "who did it: the operator's Zoom user (Activity, Changes)",
            Action::NextLink => "next link",
            Action::PrevLink => "previous link",
            Action::Accept => "accept (search: open the selected match)",
            Action::Cancel => "cancel (search: clear)",
            Action::Complete => "complete command (search: keep filter, back to the list)",
            Action::DeleteChar => "delete character",
            Action::ClearLine => "clear line",
        };
        s.to_string()
    }
}

/// Something that happened outside the keyboard.
#[derive(Debug)]
pub enum Event {
    /// Printable input while a prompt is open.
    Input(char),
    Resize(u16, u16),
    /// Timer tick: spinners, toast expiry.
    Tick,
    Search(SearchDone),
    /// A query run for the Query pane finished.
    Query(super::query_pane::QueryDone),
    /// The employee report (None: no roster imported).
    EmployeesReport(Result<Option<crate::employees::Report>, String>),
    /// The latest snapshot's stored counts, read before its graph loads.
    Summary(super::model::SnapshotSummary),
    /// A snapshot to show (at start, or after a sync).
    Loaded(Box<Loaded>),
    /// The same, its graph already shared with the job that computes its
    /// monitor data (how the I/O edge delivers a load).
    Shown {
        graph: std::sync::Arc<crate::graph::Graph>,
        meta: super::model::SnapshotMeta,
    },
    /// Nothing stored and no way to sync: what to configure.
    NoData(String),
    Sync(SyncEvent),
    SyncFinished(Result<(), SyncFailure>),
    Settings {
        key: String,
        result: Result<Vec<(String, Value)>, String>,
    },
    Raw {
        key: String,
        json: Result<Option<String>, String>,
    },
    Toast(String, ToastLevel),
    /// Clears every toast (a golden-screen test takes its picture without them).
    DismissToasts,
    /// The Changes and Alerts panes' data, computed after a load or sync.
    Monitor(Box<super::monitor::Monitor>),
    /// The stored operation log and sign-in activity, read for the snapshot
    /// on screen (the Activity pane's).
    Activity(Result<super::activity_pane::ActivityLog, String>),
    /// An older sync's changes, diffed on demand.
    SyncDiff {
        snapshot: i64,
        result: Result<Box<crate::diff::GraphDiff>, String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastLevel {
    Info,
    Warn,
    Error,
}
