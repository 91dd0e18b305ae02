//! The help overlay's state and lines: every mode's keys, narrowed by `/`
//! with the same grammar as the lists (free text against an entry's keys
//! and description, `key:` and `action:` fields, `!` excluding), scrolled as a viewport
//! (`g`/`G` jump to the ends).

use super::action::Action;
use super::filter::{Cell, Filter};
use super::keymap::{Keymap, Mode};
use super::pane::PaneKind;
use super::scroll::Scroll;

/// The help overlay while it is open.
#[derive(Debug, Default)]
pub struct Help {
    pub scroll: Scroll,
    filter: String,
}

/// One line of the help text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Blank,
    /// A mode's title.
    Heading(&'static str),
    Entry {
        keys: String,
        desc: String,
    },
    /// The closing remark.
    Note(&'static str),
}

impl Help {
    /// The `/` text in force ("" when none).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Narrows the entries to `text` and goes back to the first line.
    pub fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.scroll.pan_to(0, 0);
    }
}

/// The help lines for `keymap`, without keys of panes this session lacks,
/// narrowed by `filter` (a mode none of whose entries match is left out).
pub fn lines(keymap: &Keymap, panes: &[PaneKind], filter: &str) -> Vec<HelpLine> {
    let f = Filter::parse(filter);
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let all: Vec<(String, String)> = keymap
            .help_entries(mode)
            .into_iter()
            // keys for panes this session does not have are not worth listing
            .filter(|(action, _, _)| !matches!(action, Action::Pane(k) if !panes.contains(k)))
            .map(|(_, keys, desc)| (keys, desc))
            .collect();
        let keep: Vec<usize> = if f.is_empty() {
            (0..all.len()).collect()
        } else {
            let cells: Vec<Vec<Cell>> = all
                .iter()
                .map(|(k, d)| vec![Cell::new("key", k), Cell::new("action", d)])
                .collect();
            let mut keep = f.select(&cells, false);
            keep.sort_unstable();
            keep
        };
        let entries: Vec<HelpLine> = keep
            .into_iter()
            .filter_map(|i| all.get(i).cloned())
            .map(|(keys, desc)| HelpLine::Entry { keys, desc })
            .collect();
        if entries.is_empty() && !f.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(HelpLine::Blank);
        }
        out.push(HelpLine::Heading(mode.title()));
        out.extend(entries);
    }
    if f.is_empty() {
        out.push(HelpLine::Blank);
        out.push(HelpLine::Note(
            "Keys are remappable in the config file's [keys] table.",
        ));
    } else if out.is_empty() {
        out.push(HelpLine::Note("No key matches the filter (Esc clears it)."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_keeps_matching_entries_under_their_modes() {
        let km = Keymap::default();
        let all = lines(&km, &PaneKind::ALL, "");
        assert!(matches!(all.last(), Some(HelpLine::Note(_))));
        let csv = lines(&km, &PaneKind::ALL, "csv");
        assert!(csv.len() < all.len());
        assert!(csv.iter().any(|l| matches!(l, HelpLine::Heading(_))));
        assert!(csv.iter().all(|l| match l {
            HelpLine::Entry { keys, desc } => format!("{keys} {desc}").to_lowercase().contains('c'),
            _ => true,
        }));
        assert!(
            csv.iter()
                .any(|l| matches!(l, HelpLine::Entry { desc, .. } if desc.contains("CSV")))
        );
        let none = lines(&km, &PaneKind::ALL, "zzzzqqq");
        assert_eq!(none.len(), 1);
    }
}
