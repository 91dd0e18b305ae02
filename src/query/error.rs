//! Errors: [`ParseError`] points at the spot with a caret; [`QueryError`]
//! wraps it for the one-call [`super::run`].

use std::fmt;

use unicode_width::UnicodeWidthChar;

use super::lexer::Span;

/// A query that does not parse: where, and what was expected there.
///
/// `Display` prints three lines:
/// ```text
/// line 1, column 21: expected a comparison operator (=, !=, <, <=, >, >=, ~=, ^=, $=, …), found the string 'x'
/// FIND zoom_user WITH name 'x'
///                          ^^^
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the offending spot.
    pub line: usize,
    /// 1-based column (in characters) of the offending spot.
    pub column: usize,
    /// Byte offset in the query text.
    pub offset: usize,
    /// What the parser wanted there, e.g. "a comparison operator". Empty for
    /// errors that are not about a missing part (an unknown alias).
    pub expected: String,
    /// The whole message, without position (e.g. "expected X, found Y").
    pub message: String,
    /// The query line the error is on (control characters made spaces).
    pub source_line: String,
    /// Caret line: spaces up to the spot, then `^` under it.
    pub caret: String,
}

impl ParseError {
    /// An error at `span` of `src`.
    pub fn at(src: &str, span: Span, expected: &str, message: String) -> Self {
        let offset = floor_char_boundary(src, span.start.min(src.len()));
        let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
        let line = src[..offset].matches('\n').count() + 1;
        let column = src[line_start..offset].chars().count() + 1;
        let clean = |c: char| if c.is_control() { ' ' } else { c };
        let source_line: String = src[line_start..line_end].chars().map(clean).collect();
        let width = |s: &str| -> usize {
            s.chars()
                .map(|c| UnicodeWidthChar::width(clean(c)).unwrap_or(0))
                .sum()
        };
        let pad = width(&src[line_start..offset]);
        let end = floor_char_boundary(src, span.end.clamp(offset, line_end));
        let marks = width(&src[offset..end]).max(1);
        let caret = format!("{}{}", " ".repeat(pad), "^".repeat(marks));
        ParseError {
            line,
            column,
            offset,
            expected: expected.to_string(),
            message,
            source_line,
            caret,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}\n{}\n{}",
            self.line, self.column, self.message, self.source_line, self.caret
        )
    }
}

impl std::error::Error for ParseError {}

/// Anything that stops a query from giving a result.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// The path grew past [`super::eval::MAX_PATHS`] rows (a query like
    /// `FIND * THAT RELATES TO * THAT RELATES TO *` on a large account).
    #[error("the query matches more than {limit} paths; add WITH filters or a more specific type")]
    TooManyPaths { limit: usize },
    /// A value the query computes falls outside what can be compared
    /// (`date.now + 200000 years`).
    #[error("{0}")]
    OutOfRange(String),
    /// Parsed, but asks for something this evaluator does not do.
    #[error("{0}")]
    Unsupported(String),
}
