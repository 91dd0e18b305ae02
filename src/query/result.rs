//! What a query returns, and its JSON shape for `--json`, export and alerts.

use serde_json::Value;

use crate::graph::{EntityId, Graph};

/// Whether rows are whole entities (no RETURN) or projected columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// No RETURN: each row is one entity of the FIND node (distinct). Its
    /// `values` are the [`super::eval::ENTITY_COLUMNS`] (`displayName` = the
    /// entity's label, `_type`, `_key`) for tables; its JSON is the entity.
    Entities,
    /// RETURN: each row holds one value per RETURN item.
    Returned,
}

/// A query's result.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    pub kind: ResultKind,
    /// Column labels, one per value of each row.
    pub columns: Vec<String>,
    pub rows: Vec<ResultRow>,
}

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// The row's main entity (the FIND node's), so rows are enterable and
    /// alerts can name entities. `None` for COUNT (aggregated) rows.
    pub entity: Option<EntityId>,
    pub values: Vec<Value>,
}

impl QueryResult {
    /// The CLI's `--json` shape: an array with, per row, the entity itself
    /// (`_key`, `_type`, `_class` and properties) when there is no RETURN, or
    /// an object keyed by the RETURN labels (`RETURN u` puts the entity
    /// object under `u`; `COUNT(u)` without a label is keyed `count`).
    pub fn to_json(&self, graph: &Graph) -> Value {
        let rows = self
            .rows
            .iter()
            .map(|row| match (self.kind, row.entity) {
                (ResultKind::Entities, Some(id)) => graph.entity(id).to_json(),
                _ => Value::Object(
                    self.columns
                        .iter()
                        .cloned()
                        .zip(row.values.iter().cloned())
                        .collect(),
                ),
            })
            .collect();
        Value::Array(rows)
    }

    /// The distinct main entities of the rows, in row order.
    pub fn entities(&self) -> Vec<EntityId> {
        let mut seen = std::collections::HashSet::new();
        self.rows
            .iter()
            .filter_map(|r| r.entity)
            .filter(|id| seen.insert(*id))
            .collect()
    }
}
