//! Tables that are not entity lists: the Changes timeline, the alert rules,
//! the employee categories, query results, or rows a [`PaneProvider`]
//! builds from the graph. A row that names an entity is enterable.
//!
//! `/` filters them with the same grammar as the entity tables
//! ([`Filter::select`]): free text against the row's cells (exact words,
//! then word starts, then anywhere; letters in order only when nothing
//! matches literally), `column:value` against the cell under that header
//! (whole value; `*` widens), `!` negating. The filter is shown in the
//! title as in the entity tables. Free text ranks the rows best first, as
//! it does there; without it the rows keep their order.

use std::collections::BTreeSet;

use crate::graph::{EntityId, Graph};

use super::filter::{Cell, Filter};
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

/// A provided table on screen: every row, and those the filter keeps.
#[derive(Debug, Default)]
pub struct ProvidedView {
    table: ProvidedTable,
    /// The breadcrumb of a drill-down level (`None`: "results").
    pub title: Option<String>,
    pub scroll: Scroll,
    filter: String,
    /// Indices into `table.rows` the filter keeps, in table order.
    shown: Vec<usize>,
    /// Rows marked with Space, by their cells: these tables are rebuilt
    /// from new data (a new timeline, report or result), and a row that
    /// reads the same stays marked while one that changed does not.
    marks: BTreeSet<Vec<String>>,
    /// Wide mode: every column at its full width, scrolled sideways.
    pub wide: bool,
    /// The column `h`/`l` selected (wide mode scrolls to keep it on screen).
    pub column: usize,
}

impl ProvidedView {
    pub fn new(table: ProvidedTable) -> ProvidedView {
        let mut v = ProvidedView::default();
        v.set_table(table);
        v
    }

    /// A drill-down level named `title` in the breadcrumbs.
    pub fn titled(table: ProvidedTable, title: String) -> ProvidedView {
        let mut v = ProvidedView::new(table);
        v.title = Some(title);
        v
    }

    /// Every row, filtered or not.
    pub fn table(&self) -> &ProvidedTable {
        &self.table
    }

    /// The rows the filter keeps, in order.
    pub fn shown(&self) -> impl Iterator<Item = &ProvidedRow> {
        self.shown.iter().filter_map(|&i| self.table.rows.get(i))
    }

    /// How many rows the filter keeps.
    pub fn shown_len(&self) -> usize {
        self.shown.len()
    }

    /// The index in [`ProvidedView::table`] of the row under the cursor
    /// (what the pane's own data is indexed by); `None` when the filter
    /// keeps no row.
    pub fn selected(&self) -> Option<usize> {
        self.shown.get(self.scroll.cursor()).copied()
    }

    /// Swaps in new rows, keeping the filter and the cursor on a row.
    pub fn set_table(&mut self, table: ProvidedTable) {
        self.table = table;
        self.refilter();
        self.scroll.clamp(self.shown.len());
    }

    /// The `/` text in force ("" when none).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Filters the rows by `text` and puts the cursor on the first one.
    pub fn set_filter(&mut self, text: &str) {
        if self.filter == text {
            return;
        }
        self.filter = text.to_string();
        self.refilter();
        self.scroll.move_to(0, self.shown.len());
    }

    fn refilter(&mut self) {
        let filter = Filter::parse(&self.filter);
        if filter.is_empty() {
            self.shown = (0..self.table.rows.len()).collect();
            return;
        }
        let cells: Vec<Vec<Cell>> = self
            .table
            .rows
            .iter()
            .map(|r| {
                self.table
                    .columns
                    .iter()
                    .zip(&r.cells)
                    .map(|(h, c)| Cell::new(h, c))
                    .collect()
            })
            .collect();
        // Free text ranks the rows, best first, as in the entity tables (so
        // Enter opens the best match); ties and field-only filters keep the
        // table's order.
        self.shown = filter.select(&cells, true);
    }

    /// The entity of the row under the cursor.
    pub fn selected_entity(&self) -> Option<EntityId> {
        self.selected_row().and_then(|r| r.entity)
    }

    /// The row under the cursor.
    pub fn selected_row(&self) -> Option<&ProvidedRow> {
        self.selected().and_then(|i| self.table.rows.get(i))
    }

    /// Marks the row under the cursor, or unmarks it when marked.
    pub fn toggle_mark(&mut self) {
        if let Some(cells) = self.selected_row().map(|r| r.cells.clone())
            && !self.marks.remove(&cells)
        {
            self.marks.insert(cells);
        }
    }

    /// Whether `row` is marked.
    pub fn is_marked(&self, row: &ProvidedRow) -> bool {
        self.marks.contains(&row.cells)
    }

    /// How many rows of the table are marked.
    pub fn marked_count(&self) -> usize {
        self.table.rows.iter().filter(|r| self.is_marked(r)).count()
    }

    /// Whether any row is marked.
    pub fn has_marks(&self) -> bool {
        self.marked_count() > 0
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
    }

    /// Marked rows: those shown first, in their order, then marked rows the
    /// filter hides (as the entity tables do).
    pub fn marked_rows(&self) -> Vec<&ProvidedRow> {
        let mut seen = BTreeSet::new();
        self.shown
            .iter()
            .copied()
            .chain(0..self.table.rows.len())
            .filter(|i| seen.insert(*i))
            .filter_map(|i| self.table.rows.get(i))
            .filter(|r| self.is_marked(r))
            .collect()
    }

    /// What copy and export take: the marked rows when there are any, else
    /// the rows the filter keeps.
    pub fn chosen_rows(&self) -> Vec<&ProvidedRow> {
        if self.has_marks() {
            self.marked_rows()
        } else {
            self.shown().collect()
        }
    }

    /// `h`/`l`: the previous or next column, wrapping.
    pub fn move_column(&mut self, right: bool) {
        let n = self.table.columns.len().max(1);
        let c = self.column.min(n - 1);
        self.column = if right { (c + 1) % n } else { (c + n - 1) % n };
    }
}

/// A row as one line of text: its cells joined by tabs (pasted into a
/// spreadsheet, each lands in its own cell), sanitised (a tab inside a
/// cell becomes a space, so it cannot split the cell).
pub fn row_text(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| crate::util::sanitize::for_terminal(c))
        .collect::<Vec<_>>()
        .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> ProvidedView {
        let row = |cells: &[&str]| ProvidedRow {
            entity: None,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        ProvidedView::new(ProvidedTable {
            columns: vec!["Rule".into(), "Severity".into(), "State".into()],
            rows: vec![
                row(&["new-admin", "high", "fired"]),
                row(&["cis-e2e-encryption", "low", "quiet"]),
                row(&["users-without-mfa", "medium", "fired"]),
            ],
        })
    }

    #[test]
    fn filters_by_text_column_and_negation_keeping_order_and_indices() {
        let mut v = view();
        assert_eq!(v.shown_len(), 3);
        v.set_filter("state:fired");
        assert_eq!(v.shown_len(), 2);
        v.scroll.move_by(1, v.shown_len());
        assert_eq!(v.selected(), Some(2), "the index into the whole table");
        v.set_filter("mfa");
        assert_eq!(v.selected(), Some(2));
        v.set_filter("!state:fired");
        assert_eq!(
            v.shown().map(|r| r.cells[0].as_str()).collect::<Vec<_>>(),
            ["cis-e2e-encryption"]
        );
        v.set_filter("sev:hi*");
        assert_eq!(v.selected(), Some(0));
        v.set_filter("nothing-like-this");
        assert_eq!(v.selected(), None);
        assert_eq!(v.filter(), "nothing-like-this");
        // new rows keep the filter
        v.set_filter("fired");
        let t = v.table().clone();
        v.set_table(t);
        assert_eq!(v.shown_len(), 2);
        v.set_filter("");
        assert_eq!(v.shown_len(), 3);
    }
}
