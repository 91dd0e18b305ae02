//! The help overlay's state and lines: every mode's keys, narrowed by `/`
//! with the same grammar as the lists (free text fuzzily against an
//! entry's keys and description, `!` excluding), scrolled as a viewport
//! (`g`/`G` jump to the ends).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::action::Action;
use super::filter::Filter;
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
    let matcher = SkimMatcherV2::default();
    let keep = |keys: &str, desc: &str| {
        if f.is_empty() {
            return true;
        }
        let hay = format!("{keys}  {desc}").to_lowercase();
        f.fuzzy
            .iter()
            .all(|t| matcher.fuzzy_match(&hay, t).is_some())
            && !f.not_text.iter().any(|t| hay.contains(t.as_str()))
            && f.fields.is_empty()
    };
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let entries: Vec<HelpLine> = keymap
            .help_entries(mode)
            .into_iter()
            // keys for panes this session does not have are not worth listing
            .filter(|(action, _, _)| !matches!(action, Action::Pane(k) if !panes.contains(k)))
            .filter(|(_, keys, desc)| keep(keys, desc))
            .map(|(_, keys, desc)| HelpLine::Entry { keys, desc })
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
