//! The raw JSON viewer (`y`): the API object as Zoom sent it (from the
//! store), or the entity's JupiterOne-shaped JSON when none was stored.
//! Scrollable and searchable (`/`, `n`, `N`).

use super::model;
use super::scroll::Scroll;

#[derive(Debug)]
pub struct RawView {
    pub key: String,
    pub title: String,
    /// Sanitised lines of pretty-printed JSON; `None` while loading.
    pub lines: Option<Vec<String>>,
    /// The JSON as copied by `c`.
    pub text: String,
    pub search: String,
    pub matches: Vec<usize>,
    pub current: usize,
    /// The viewport: `offset` is the first line shown.
    pub scroll: Scroll,
}

impl RawView {
    pub fn loading(key: String, title: String) -> RawView {
        RawView {
            key,
            title,
            lines: None,
            text: String::new(),
            search: String::new(),
            matches: Vec::new(),
            current: 0,
            scroll: Scroll::default(),
        }
    }

    /// Shows `json` (pretty-printed when it parses).
    pub fn set_json(&mut self, json: &str) {
        let pretty = serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| json.to_string());
        self.lines = Some(
            pretty
                .lines()
                .map(|l| model::clean(l).into_owned())
                .collect(),
        );
        self.text = pretty;
        self.set_search(&self.search.clone());
    }

    pub fn len(&self) -> usize {
        self.lines.as_ref().map(Vec::len).unwrap_or(0)
    }

    pub fn set_search(&mut self, s: &str) {
        self.search = s.to_string();
        let needle = s.to_lowercase();
        self.matches = match (&self.lines, needle.is_empty()) {
            (Some(lines), false) => lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.to_lowercase().contains(&needle))
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        };
        self.current = 0;
        if let Some(first) = self
            .matches
            .iter()
            .find(|m| **m >= self.scroll.offset())
            .or(self.matches.first())
        {
            self.current = self.matches.iter().position(|m| m == first).unwrap_or(0);
            self.scroll.show_at_top(*first);
        }
    }

    pub fn step_match(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        let n = self.matches.len();
        self.current = if forward {
            (self.current + 1) % n
        } else {
            (self.current + n - 1) % n
        };
        if let Some(m) = self.matches.get(self.current) {
            self.scroll.show_at_top(*m);
        }
    }
}
