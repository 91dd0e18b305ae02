//! The pack of named questions (assets/questions.toml): JupiterOne's canned
//! Zoom questions verbatim, Steampipe's examples restated in J1QL, and the
//! rest of what Zoom admins ask. The CLI runs them with `--saved NAME`; the
//! TUI lists them.

use std::sync::OnceLock;

use serde::Deserialize;

const PACK: &str = include_str!("../../assets/questions.toml");

/// One named question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SavedQuestion {
    /// Short kebab-case name (`--saved NAME`).
    pub name: String,
    /// The question in words.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The J1QL.
    pub query: String,
    /// Where the question comes from (JupiterOne, Steampipe, users).
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Deserialize)]
struct Pack {
    question: Vec<SavedQuestion>,
}

/// Parses a questions file (the built-in pack uses this too).
pub fn parse_pack(text: &str) -> Result<Vec<SavedQuestion>, toml::de::Error> {
    toml::from_str::<Pack>(text).map(|p| p.question)
}

/// The built-in questions, in file order.
pub fn questions() -> &'static [SavedQuestion] {
    static QUESTIONS: OnceLock<Vec<SavedQuestion>> = OnceLock::new();
    QUESTIONS.get_or_init(|| {
        parse_pack(PACK).unwrap_or_else(|e| {
            // A test keeps the pack valid; never take the program down for it.
            tracing::error!("built-in questions.toml does not parse: {e}");
            Vec::new()
        })
    })
}

/// A built-in question by name.
pub fn find(name: &str) -> Option<&'static SavedQuestion> {
    questions().iter().find(|q| q.name == name)
}
