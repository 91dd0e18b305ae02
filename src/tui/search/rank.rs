//! How one row matches a search, and how well.
//!
//! A free-text term is scored in tiers, best first:
//! 1. **exact**: a word of the name or e-mail is the term (`jill` → Jill
//!    Smith, jill.smith@…), or the whole name or e-mail is;
//! 2. **prefix**: a name or e-mail word starts with it (`mari` → María);
//! 3. **substring**: it occurs anywhere in name, e-mail or department;
//! 4. **fuzzy**: its letters in order, each run starting a word of the name
//!    or e-mail and skipping letters only inside that word (`jlsmth` → Jill
//!    Smith, `mgarc` → María García). This is the quality threshold: a
//!    scattered hit such as m…a…r…i across unrelated words is not a match.
//!
//! By default fuzzy hits are shown only when no row matches in tiers 1–3, so
//! the count in the title is the number of people the text actually names.
//! `'term` keeps tier 1 only; `~term` adds tier 4 and any in-order
//! (fzf-style) hit after it, whatever else matched.

use crate::graph::{EntityId, Graph, PropValue};
use crate::tui::filter::{FieldTerm, Filter, TextMode, ValueMatch};
use crate::tui::model;

use super::fold::fold;
use super::index::{IndexRow, Interned, SearchIndex, TextPart};

/// Score of a term's match; a row's score is the sum over its terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Tier {
    /// In order across the text (only for `~term`).
    Scattered = 1,
    /// In order, each run starting a name or e-mail word.
    Fuzzy = 2,
    Substring = 4,
    Prefix = 6,
    Exact = 8,
}

/// What a row's free-text terms matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub score: u16,
    /// Every default-mode term matched literally (tiers exact…substring).
    pub literal: bool,
}

/// A [`Filter`] prepared against one index: field values resolved to
/// interned ids, terms split into characters.
pub struct Query<'a> {
    f: &'a Filter,
    fields: Vec<(FieldCheck<'a>, bool)>,
    text: Vec<(&'a str, Vec<char>, TextMode)>,
}

enum FieldCheck<'a> {
    /// Accepted interned value ids.
    Interned(Interned, Vec<bool>),
    Text(TextPart, &'a FieldTerm),
    Prop(&'a FieldTerm),
}

impl<'a> Query<'a> {
    pub fn new(f: &'a Filter, index: &SearchIndex) -> Query<'a> {
        let fields = f
            .fields
            .iter()
            .map(|t| {
                let interned = match t.field.as_str() {
                    "status" => Some(Interned::Status),
                    "role" => Some(Interned::Role),
                    "type" => Some(Interned::Type),
                    "group" => Some(Interned::Group),
                    _ => None,
                };
                let check = match (interned, t.field.as_str()) {
                    (Some(i), _) => FieldCheck::Interned(
                        i,
                        index
                            .values()
                            .iter()
                            .map(|v| t.how.test(v, &t.value))
                            .collect(),
                    ),
                    (None, "name") => FieldCheck::Text(TextPart::Name, t),
                    (None, "email") => FieldCheck::Text(TextPart::Email, t),
                    (None, "dept") => FieldCheck::Text(TextPart::Dept, t),
                    _ => FieldCheck::Prop(t),
                };
                (check, t.negate)
            })
            .collect();
        let text = f
            .text
            .iter()
            .map(|t| (t.text.as_str(), t.text.chars().collect(), t.mode))
            .collect();
        Query { f, fields, text }
    }

    /// How the row matches every term, or `None`. The hit counts rows that
    /// match only fuzzily; the caller decides whether to show them.
    ///
    /// With `fuzzy` false a default-mode term that has no literal match is
    /// only checked for its letters in order (the word-chain test is the
    /// costly part, and only needed when no row matches literally): the row
    /// is a non-literal hit that may or may not match fuzzily.
    pub fn hit(&self, g: &Graph, index: &SearchIndex, id: EntityId, fuzzy: bool) -> Option<Hit> {
        let row = index.row(id)?;
        for (check, negate) in &self.fields {
            let ok = match check {
                FieldCheck::Interned(f, accept) => row
                    .interned(*f)
                    .iter()
                    .any(|v| accept.get(*v as usize).copied().unwrap_or(false)),
                FieldCheck::Text(p, t) => t.how.test(row.part(*p), &t.value),
                FieldCheck::Prop(t) => prop_matches(g, id, t),
            };
            if ok == *negate {
                return None;
            }
        }
        for t in &self.f.not_text {
            if row.hay.contains(t.as_str()) {
                return None;
            }
        }
        let mut hit = Hit {
            score: 0,
            literal: true,
        };
        for (text, chars, mode) in &self.text {
            let tier = if *mode == TextMode::Smart && !fuzzy {
                // The letters in order is necessary for a word chain, and
                // cheap; it keeps the candidates for the next key narrow.
                literal_tier(&row, text)
                    .or_else(|| in_order(row.words(), text).then_some(Tier::Fuzzy))?
            } else {
                term_tier(&row, text, chars, *mode)?
            };
            if *mode == TextMode::Smart && tier < Tier::Substring {
                hit.literal = false;
            }
            hit.score += tier as u16;
        }
        Some(hit)
    }
}

/// Any property other than the indexed ones; an array matches when one of
/// its items does.
fn prop_matches(g: &Graph, id: EntityId, t: &FieldTerm) -> bool {
    let test = |v: &PropValue| t.how.test(&fold(&model::prop_value_text(v)), &t.value);
    match g.entity(id).props.get(t.field.as_str()) {
        Some(PropValue::List(items)) => items.iter().any(test),
        Some(v) => test(v),
        None => t.how == ValueMatch::Whole && t.value.is_empty(),
    }
}

/// The best tier at which one term matches the row, within what its mode allows.
pub fn term_tier(row: &IndexRow<'_>, text: &str, chars: &[char], mode: TextMode) -> Option<Tier> {
    let literal = literal_tier(row, text);
    match mode {
        TextMode::Exact => literal.filter(|t| *t == Tier::Exact),
        TextMode::Smart => {
            literal.or_else(|| word_chain(row.words(), chars).then_some(Tier::Fuzzy))
        }
        TextMode::Fuzzy => literal.or_else(|| {
            if word_chain(row.words(), chars) {
                Some(Tier::Fuzzy)
            } else if in_order(row.hay, text) {
                Some(Tier::Scattered)
            } else {
                None
            }
        }),
    }
}

/// A letter or digit of a word: ASCII alphanumerics and anything non-ASCII
/// (accents are folded already; other scripts are letters).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || !b.is_ascii()
}

/// Exact, prefix or substring, looking at every occurrence of `text`.
///
/// A plain byte scan: the texts are a few dozen bytes, where setting up a
/// substring searcher per row costs more than it saves.
fn literal_tier(row: &IndexRow<'_>, text: &str) -> Option<Tier> {
    let hay = row.hay.as_bytes();
    let needle = text.as_bytes();
    let Some((&first, _)) = needle.split_first() else {
        return Some(Tier::Substring);
    };
    if needle.len() > hay.len() {
        return None;
    }
    let words_end = row.words().len();
    let mut best: Option<Tier> = None;
    for pos in 0..=hay.len() - needle.len() {
        if hay.get(pos) != Some(&first) || hay.get(pos..pos + needle.len()) != Some(needle) {
            continue;
        }
        let end = pos + needle.len();
        let tier = if end > words_end {
            Tier::Substring
        } else {
            let starts = pos == 0 || hay.get(pos - 1).is_some_and(|b| !is_word_byte(*b));
            // A word ends where letters stop: `garcia` is a word of garcia12@….
            let ends = end == words_end
                || hay
                    .get(end)
                    .is_none_or(|b| b.is_ascii() && !b.is_ascii_alphabetic());
            match (starts, ends) {
                (true, true) => return Some(Tier::Exact),
                (true, false) => Tier::Prefix,
                _ => Tier::Substring,
            }
        };
        best = best.max(Some(tier));
    }
    best
}

/// True when `term` splits into runs, each run the first letter of a later
/// name or e-mail word followed by letters of that word in order
/// (`jlsmth` = `jl` in jill + `smth` in smith).
///
/// Tracked as the set of term positions reachable after each word (a bit
/// per position), so every way of splitting is tried in one pass.
pub fn word_chain(words: &str, term: &[char]) -> bool {
    let n = term.len();
    // 62: the bit masks below shift by up to n + 1 in a u64.
    if !(2..=62).contains(&n) {
        return false;
    }
    let done = 1u64 << n;
    let mut reach = 1u64;
    for word in words.split(|c: char| !(c.is_alphanumeric())) {
        let mut chars = word.chars();
        let Some(first) = chars.next() else { continue };
        let mut next = reach;
        let mut bits = reach;
        while bits != 0 {
            let pos = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if pos >= n || term.get(pos) != Some(&first) {
                continue;
            }
            // Taking more letters of this word is optional: every end
            // position from pos+1 up to the greedy one is reachable.
            let mut k = pos + 1;
            for c in chars.clone() {
                if k < n && term.get(k) == Some(&c) {
                    k += 1;
                }
            }
            next |= ((1u64 << (k + 1)) - 1) & !((1u64 << (pos + 1)) - 1);
        }
        reach = next;
        if reach & done != 0 {
            return true;
        }
    }
    false
}

/// True when every character of `needle` occurs in `hay` in order.
pub fn in_order(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let mut h = hay.as_bytes().iter();
        return needle.as_bytes().iter().all(|c| h.any(|x| x == c));
    }
    let mut h = hay.chars();
    needle.chars().all(|c| h.any(|x| x == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(words: &str, term: &str) -> bool {
        word_chain(words, &term.chars().collect::<Vec<_>>())
    }

    #[test]
    fn word_chain_needs_each_run_to_start_a_word() {
        assert!(chain("jill smith jill.smith@example.com", "jlsmth"));
        assert!(chain("maria garcia maria.garcia@x.io", "mgarc"));
        assert!(chain("jill smith", "js"));
        // `jls` + `mth` would fail: the split has to be found, not guessed.
        assert!(chain("jills mith", "jlsmth"));
        // scattered letters across unrelated words
        assert!(!chain("mohammed abadi mohammed.abadi@example.com", "mari"));
        assert!(!chain("anna smith", "nn"));
        assert!(
            !chain("jill", "j"),
            "one letter is a prefix, not a fuzzy match"
        );
        assert!(chain("иван петров", "ивп"));
    }

    #[test]
    fn in_order_is_a_subsequence_test() {
        assert!(in_order("jill smith jill@x.io", "jsmx"));
        assert!(!in_order("jill", "lj"));
        assert!(in_order("zoë", "zë"));
        assert!(in_order("abc", ""));
    }
}
