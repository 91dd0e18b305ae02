//! The one place alerts touch the J1QL engine (`crate::query`): checking
//! that a rule's query parses, and running it to get the matching entities.

use chrono::{DateTime, Utc};

use crate::graph::Graph;
use crate::query::{self, ResultKind};

/// What a rule's query returned: the number of rows and the `_key`s of the
/// rows' main entities (aggregated rows count but have no key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    pub count: u64,
    pub keys: Vec<String>,
}

/// Checks that a query parses; the error is the engine's caret message
/// (line, column, the source line, a caret, what was expected).
pub fn check_query(text: &str) -> Result<(), String> {
    query::parse(text).map(|_| ()).map_err(|e| e.to_string())
}

/// Runs a query over a graph at time `now` (for `date.now - 90 days`).
/// Without RETURN the count is the number of distinct entities; with RETURN
/// it is the number of rows.
pub fn run_query(graph: &Graph, text: &str, now: DateTime<Utc>) -> Result<Matches, String> {
    let q = query::parse(text).map_err(|e| e.to_string())?;
    let r = query::execute(graph, &q, now).map_err(|e| e.to_string())?;
    let ids = r.entities();
    let count = match r.kind {
        ResultKind::Entities => ids.len(),
        ResultKind::Returned => r.rows.len(),
    } as u64;
    Ok(Matches {
        count,
        keys: ids
            .into_iter()
            .map(|id| graph.entity(id).key.clone())
            .collect(),
    })
}
