//! Tables that are not entity lists: the Changes timeline, the alert rules,
//! the employee categories, query results, or rows a [`PaneProvider`]
//! builds from the graph. A row that names an entity is enterable.

use crate::graph::{EntityId, Graph};

use super::pane::PaneKind;
use super::scroll::Scroll;

/// Rows for a pane the app does not build itself: a provider turns the
/// current graph into a table.
pub trait PaneProvider: Send {
    fn kind(&self) -> PaneKind;
    fn build(&self, graph: &Graph) -> ProvidedTable;
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvidedTable {
    pub columns: Vec<String>,
    pub rows: Vec<ProvidedRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProvidedRow {
    pub entity: Option<EntityId>,
    pub cells: Vec<String>,
}

/// A provided table on screen.
#[derive(Debug, Default)]
pub struct ProvidedView {
    pub table: ProvidedTable,
    /// The breadcrumb of a drill-down level (`None`: "results").
    pub title: Option<String>,
    pub scroll: Scroll,
}

impl ProvidedView {
    pub fn new(table: ProvidedTable) -> ProvidedView {
        ProvidedView {
            table,
            ..ProvidedView::default()
        }
    }

    /// A drill-down level named `title` in the breadcrumbs.
    pub fn titled(table: ProvidedTable, title: String) -> ProvidedView {
        ProvidedView {
            table,
            title: Some(title),
            ..ProvidedView::default()
        }
    }

    pub fn cursor(&self) -> usize {
        self.scroll.cursor()
    }

    /// Swaps in new rows, keeping the cursor on a row.
    pub fn set_table(&mut self, table: ProvidedTable) {
        self.table = table;
        self.scroll.clamp(self.table.rows.len());
    }

    /// The entity of the row under the cursor.
    pub fn selected_entity(&self) -> Option<EntityId> {
        self.table
            .rows
            .get(self.scroll.cursor())
            .and_then(|r| r.entity)
    }
}
