//! A table view's state: its rows (an `Arc` swapped in when a search result
//! arrives), cursor, sort and filter. Only the rows on screen are ever turned
//! into cells, so 100,000 rows cost nothing per frame.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use crate::graph::{EntityId, EntityType, Graph};

use super::columns::TableKind;
use super::filter::Filter;
use super::model::{self, Data};
use super::scroll::Scroll;
use super::search::{SearchDone, SearchJob, SortSpec};

/// Where a table's rows come from; kept as keys so it survives a new graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowSource {
    All(EntityType),
    GroupMembers(String),
    RoleMembers(String),
}

impl RowSource {
    pub fn rows(&self, g: &Graph) -> Vec<EntityId> {
        match self {
            RowSource::All(t) => g.of_type(*t).to_vec(),
            RowSource::GroupMembers(k) => g
                .id_of(k)
                .map(|id| model::group_members(g, id))
                .unwrap_or_default(),
            RowSource::RoleMembers(k) => g
                .id_of(k)
                .map(|id| model::role_members(g, id))
                .unwrap_or_default(),
        }
    }

    /// The entity whose members these are.
    pub fn owner_key(&self) -> Option<&str> {
        match self {
            RowSource::All(_) => None,
            RowSource::GroupMembers(k) | RowSource::RoleMembers(k) => Some(k),
        }
    }
}

#[derive(Debug)]
pub struct TableView {
    /// Identifies this table to the search worker.
    pub id: u64,
    pub kind: TableKind,
    pub source: RowSource,
    pub base: Arc<Vec<EntityId>>,
    pub rows: Arc<Vec<EntityId>>,
    pub filter_text: String,
    pub filter: Arc<Filter>,
    pub sort: Option<SortSpec>,
    /// The user sorted while free text was active: keep column order, not relevance.
    pub sort_pinned: bool,
    /// Column selected for sorting (highlighted header).
    pub column: usize,
    pub scroll: Scroll,
    /// The request whose result this table waits for.
    pub pending: Option<u64>,
    /// Re-select this entity when the next result arrives (new graph, new sort).
    pub restore_key: Option<String>,
    /// Rows marked with Space, by `_key` (kept across a new graph and filter).
    pub marks: BTreeSet<String>,
    /// Wide mode: every column at full width, scrolled sideways.
    pub wide: bool,
}

impl TableView {
    pub fn new(id: u64, kind: TableKind, source: RowSource, data: &Data) -> TableView {
        let base = Arc::new(source.rows(&data.graph));
        TableView {
            id,
            kind,
            source,
            rows: base.clone(),
            base,
            filter_text: String::new(),
            filter: Arc::new(Filter::default()),
            sort: Some(SortSpec {
                column: 0,
                descending: false,
            }),
            sort_pinned: false,
            column: 0,
            scroll: Scroll::default(),
            pending: None,
            restore_key: None,
            marks: BTreeSet::new(),
            wide: false,
        }
    }

    /// Whether the rows are ranked by how well they match the free text
    /// (best first), not in the sort column's order.
    pub fn ranked_by_match(&self) -> bool {
        !self.filter.text.is_empty() && !self.sort_pinned
    }

    /// Marks the row under the cursor, or unmarks it when marked.
    pub fn toggle_mark(&mut self, g: &Graph) {
        if let Some(id) = self.selected() {
            let key = g.entity(id).key.clone();
            if !self.marks.remove(&key) {
                self.marks.insert(key);
            }
        }
    }

    /// Marked rows in this graph: those shown first, in table order, then
    /// marked rows the filter hides.
    pub fn marked_rows(&self, g: &Graph) -> Vec<EntityId> {
        if self.marks.is_empty() {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        self.rows
            .iter()
            .chain(self.base.iter())
            .copied()
            .filter(|id| self.marks.contains(&g.entity(*id).key) && seen.insert(*id))
            .collect()
    }

    /// How many marked rows this graph holds.
    pub fn marked_count(&self, g: &Graph) -> usize {
        self.marks.iter().filter(|k| g.id_of(k).is_some()).count()
    }

    pub fn selected(&self) -> Option<EntityId> {
        self.rows.get(self.scroll.cursor()).copied()
    }

    /// Points the table at a new graph, remembering the selected entity.
    pub fn rebind(&mut self, old: Option<&Graph>, data: &Data) {
        if self.restore_key.is_none() {
            self.restore_key = old.and_then(|g| self.selected().map(|id| g.entity(id).key.clone()));
        }
        self.base = Arc::new(self.source.rows(&data.graph));
        // Until the worker answers, show the new rows unfiltered rather than
        // ids that belong to the old graph.
        self.rows = self.base.clone();
        self.scroll.move_to(0, self.rows.len());
    }

    pub fn set_filter(&mut self, text: &str) {
        self.filter_text = text.to_string();
        self.filter = Arc::new(Filter::parse(text));
        if self.filter.fuzzy.is_empty() {
            self.sort_pinned = false;
        }
        self.restore_key = None;
    }

    pub fn job(&mut self, req: u64, data: &Data) -> SearchJob {
        self.pending = Some(req);
        SearchJob {
            target: self.id,
            req,
            generation: data.generation,
            graph: data.graph.clone(),
            kind: self.kind,
            base: self.base.clone(),
            sort: self.sort,
            rank: !self.sort_pinned,
            filter: self.filter.clone(),
        }
    }

    /// Applies a worker result if it answers the newest request.
    pub fn apply(&mut self, done: SearchDone, g: &Graph) -> bool {
        if self.pending != Some(done.req) {
            return false;
        }
        self.pending = None;
        self.rows = done.rows;
        let len = self.rows.len();
        match self.restore_key.take() {
            Some(k) => {
                let pos = g
                    .id_of(&k)
                    .and_then(|id| self.rows.iter().position(|r| *r == id))
                    .unwrap_or(0);
                self.scroll.move_to(pos, len);
            }
            None => self.scroll.clamp(len),
        }
        true
    }

    /// Sort by the selected column; again on the same column reverses.
    pub fn toggle_sort(&mut self, g: &Graph) {
        let col = self.column;
        self.sort = Some(match self.sort {
            Some(s) if s.column == col => SortSpec {
                column: col,
                descending: !s.descending,
            },
            _ => SortSpec {
                column: col,
                descending: false,
            },
        });
        if !self.filter.fuzzy.is_empty() {
            self.sort_pinned = true;
        }
        self.restore_key = self.selected().map(|id| g.entity(id).key.clone());
    }
}
