//! J1QL queries over the Zoom graph.
//!
//! JupiterOne users ask their Zoom questions in J1QL; this module answers
//! the same questions offline, on zoomscope's own graph (which uses
//! JupiterOne's `_type`, `_class` and property names). It implements the
//! subset those questions need; the grammar and the exact semantics
//! (undefined, arrays, times, traversal direction) are in
//! `src/query/GRAMMAR.md`, included below.
//!
//! ```
//! # use zoomscope::{graph::Graph, query};
//! let g = Graph::new();
//! let r = query::run(&g, "FIND zoom_user WITH active = true AS u RETURN u.email").unwrap();
//! assert_eq!(r.columns, vec!["u.email"]);
//! ```
//!
//! Parts: [`lexer`] (tokens with spans) → [`parser`] (recursive descent,
//! [`ParseError`] with line, column and caret) → [`ast`] → [`eval`] (plan
//! and execution) → [`result`]; [`saved`] holds the pack of named questions.

#![doc = include_str!("GRAMMAR.md")]

pub mod ast;
pub mod display;
pub mod error;
pub mod eval;
pub mod lexer;
pub mod lint;
pub mod parser;
pub mod result;
pub mod saved;
pub(crate) mod value;

use chrono::{DateTime, Utc};

use crate::graph::Graph;

pub use ast::Query;
pub use error::{ParseError, QueryError};
pub use result::{QueryResult, ResultKind, ResultRow};

/// Parses a query (see GRAMMAR.md).
pub fn parse(src: &str) -> Result<Query, ParseError> {
    parser::parse(src)
}

/// Runs a parsed query; `date.now` in the query is `now`.
pub fn execute(
    graph: &Graph,
    query: &Query,
    now: DateTime<Utc>,
) -> Result<QueryResult, QueryError> {
    eval::execute(graph, query, now)
}

/// Parses and runs a query at the current time.
pub fn run(graph: &Graph, src: &str) -> Result<QueryResult, QueryError> {
    let q = parse(src)?;
    execute(graph, &q, Utc::now())
}
