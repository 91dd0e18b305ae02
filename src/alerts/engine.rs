//! The one place alerts touch the J1QL engine (`crate::query`): checking
//! that a rule's query parses, and running it to get the matching entities.

use chrono::{DateTime, Utc};

use crate::graph::Graph;

/// What a rule's query returned: the number of rows and the `_key`s of the
/// rows' main entities (rows without an entity count but have no key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    pub count: u64,
    pub keys: Vec<String>,
}

/// Checks that a query parses; the error is the engine's caret message
/// (line, column, caret, what was expected).
pub fn check_query(query: &str) -> Result<(), String> {
    let _ = query;
    Err(NOT_YET.to_string())
}

/// Runs a query over a graph at time `now` (for `date.now - 90 days`).
pub fn run_query(graph: &Graph, query: &str, now: DateTime<Utc>) -> Result<Matches, String> {
    let _ = (graph, query, now);
    Err(NOT_YET.to_string())
}

/// Until the query engine lands on main this seam cannot evaluate anything;
/// it says so rather than pretending.
const NOT_YET: &str = "the J1QL query engine is not available in this build";
