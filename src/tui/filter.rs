//! The `/` search grammar. Space-separated terms, all of which must hold;
//! `"double quotes"` keep spaces inside one term (`group:"Sales EMEA"`,
//! `"jill smith"`). Everything is compared lower-cased with Latin accents
//! folded (`andre` finds André).
//!
//! Free text (how it ranks is in `search::rank`):
//! - `jill`: people whose name or e-mail has a word `jill`, then a word
//!   starting with it, then the text anywhere in name, e-mail or department;
//!   only when nothing matches that way, close fuzzy matches (`jlsmth`);
//! - `'jill`: exact, a whole word of the name or e-mail (not "Jillian");
//! - `~jill`: fuzzy as well, the letters in order anywhere (fzf-style), after
//!   the literal matches.
//!
//! Field terms, `field:value`:
//! - the whole value, case-insensitive: `role:admin` is Admin, not Billing
//!   Admin; `role:=Admin` and `role:"Admin"` say the same explicitly (and
//!   take `*` literally);
//! - `*` at either end widens it: `role:admin*` (starts with), `role:*admin`
//!   (ends with), `role:*admin*` (contains);
//! - a user's groups match when any one group matches (`group:"Sales EMEA"`);
//! - known fields are `status`, `role`, `dept`, `type`, `group`, `email`,
//!   `name`; any other name is looked up as a property.
//!
//! A leading `!` negates a term (`!status:active`, `!contractor`); a negated
//! free-text term excludes rows containing the text anywhere.
//!
//! The entity tables match through the search index (`search::rank`); every
//! other list (Employees, Changes, Alerts, query results, saved questions,
//! detail lines, help) through [`Filter::select`] on its cells, with the
//! same grammar and the same tiers: a column's header is its field name
//! (`state:fired`, `severity:high`), `*` widens, quotes and `=` are whole.

use super::search::fold::fold;

/// One parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Positive free-text terms, folded, without their `'`/`~` marker: what
    /// the table highlights. The same terms with their modes are in `text`.
    pub fuzzy: Vec<String>,
    /// Positive free-text terms and how each matches.
    pub text: Vec<TextTerm>,
    /// Folded substrings that must not occur.
    pub not_text: Vec<String>,
    pub fields: Vec<FieldTerm>,
}

/// A free-text term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextTerm {
    /// Folded text to look for.
    pub text: String,
    pub mode: TextMode,
}

/// How a free-text term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    /// Exact words, word starts, substrings; close fuzzy matches only when
    /// none of those exist.
    Smart,
    /// `'term`: a whole word of the name or e-mail (or all of either).
    Exact,
    /// `~term`: also any in-order (fzf-style) match, ranked after literal ones.
    Fuzzy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    /// Canonical field name (aliases folded: `department` → `dept`).
    pub field: String,
    /// Folded value to compare with, wildcards removed.
    pub value: String,
    pub how: ValueMatch,
    pub negate: bool,
}

/// How a field term's value is compared with the field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueMatch {
    Whole,
    Prefix,
    Suffix,
    Contains,
}

impl ValueMatch {
    /// Whether the (folded) field value `have` matches `want`.
    pub fn test(self, have: &str, want: &str) -> bool {
        match self {
            ValueMatch::Whole => have == want,
            ValueMatch::Prefix => have.starts_with(want),
            ValueMatch::Suffix => have.ends_with(want),
            ValueMatch::Contains => have.contains(want),
        }
    }
}

/// One cell of a row for [`Filter::select`]: the field name a term names
/// it by, and its text, both folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    field: String,
    text: String,
    /// The field's name is part of the row's text (a detail line's label).
    label_searched: bool,
}

impl Cell {
    /// A cell under the column `header` (`Last login` is field `last_login`).
    pub fn new(header: &str, text: impl AsRef<str>) -> Cell {
        Cell {
            field: field_name(header),
            text: fold(text.as_ref()),
            label_searched: false,
        }
    }

    /// A labelled value whose label free text finds too (`waiting` finds
    /// the setting `waitingRoom`).
    pub fn labelled(label: &str, text: impl AsRef<str>) -> Cell {
        Cell {
            label_searched: true,
            ..Cell::new(label, text)
        }
    }
}

/// A header or label as a field name of the grammar: folded, spaces as
/// `_`, aliases as the grammar folds them (a "State" column answers `status:`).
pub fn field_name(header: &str) -> String {
    let name = fold(header.trim()).replace(' ', "_");
    canonical_field(&name).to_string()
}

/// Score tiers of a free-text term in a row's cells (as `search::rank`).
const EXACT: u32 = 8;
const PREFIX: u32 = 6;
const SUBSTRING: u32 = 4;
const IN_ORDER: u32 = 2;
const SCATTERED: u32 = 1;

impl Filter {
    /// The rows (as cells) this filter keeps, as indices. Free text ranks
    /// them best first when `rank` (ties keep their order); default-mode
    /// terms match letters in order only when no row matches literally, so
    /// the count shown is the rows the text actually names.
    pub fn select(&self, rows: &[Vec<Cell>], rank: bool) -> Vec<usize> {
        let score = |fuzzy: bool| -> Vec<(u32, usize)> {
            rows.iter()
                .enumerate()
                .filter_map(|(i, r)| self.row_score(r, fuzzy).map(|s| (s, i)))
                .collect()
        };
        let mut kept = score(false);
        if kept.is_empty() && self.text.iter().any(|t| t.mode == TextMode::Smart) {
            kept = score(true);
        }
        if rank && !self.text.is_empty() {
            kept.sort_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
        }
        kept.into_iter().map(|(_, i)| i).collect()
    }

    /// The row's score when it holds every term, else `None`.
    fn row_score(&self, cells: &[Cell], fuzzy: bool) -> Option<u32> {
        let hay: String = cells
            .iter()
            .flat_map(|c| {
                let label = if c.label_searched {
                    c.field.as_str()
                } else {
                    ""
                };
                [label, " ", c.text.as_str(), "  "]
            })
            .collect();
        if self.not_text.iter().any(|t| hay.contains(t.as_str())) {
            return None;
        }
        for term in &self.fields {
            let hit = cells
                .iter()
                .filter(|c| c.field == term.field)
                .chain(
                    // A field names its column in full or by a prefix (`sev:`).
                    cells.iter().filter(|c| {
                        c.field != term.field
                            && c.field.starts_with(&term.field)
                            && !cells.iter().any(|o| o.field == term.field)
                    }),
                )
                .any(|c| {
                    // A list cell ("Sales EMEA, Legal") matches when one item does.
                    term.how.test(&c.text, &term.value)
                        || (c.text.contains(", ")
                            && c.text.split(", ").any(|v| term.how.test(v, &term.value)))
                });
            if hit == term.negate {
                return None;
            }
        }
        let mut total = 0;
        for t in &self.text {
            total += text_score(t, &hay, fuzzy)?;
        }
        Some(total)
    }

    pub fn parse(input: &str) -> Filter {
        let mut f = Filter::default();
        for tok in tokens(input) {
            let (negate, body, quote_at) = match tok.text.strip_prefix('!') {
                Some(rest) => (
                    true,
                    rest.to_string(),
                    tok.quote_at.map(|q| q.saturating_sub(1)),
                ),
                None => (false, tok.text, tok.quote_at),
            };
            if body.is_empty() && quote_at.is_none() {
                continue;
            }
            // A field name ends at the first colon outside quotes.
            let colon = body
                .find(':')
                .filter(|c| *c > 0 && quote_at.is_none_or(|q| *c < q));
            if let Some(c) = colon {
                let (name, raw) = (&body[..c], &body[c + 1..]);
                let quoted = quote_at.is_some();
                if raw.is_empty() && !quoted {
                    // `role:` while the value is still being typed.
                    continue;
                }
                let (value, how) = value_pattern(raw, quoted);
                f.fields.push(FieldTerm {
                    field: canonical_field(&name.to_lowercase()).to_string(),
                    value: fold(value),
                    how,
                    negate,
                });
                continue;
            }
            if negate {
                f.not_text.push(fold(&body));
                continue;
            }
            // A marker counts only outside quotes: `"'quoted'"` is plain text.
            let marker = if quote_at == Some(0) {
                None
            } else {
                body.chars().next()
            };
            let (mode, text) = match marker {
                Some('\'') => (TextMode::Exact, &body[1..]),
                Some('~') => (TextMode::Fuzzy, &body[1..]),
                _ => (TextMode::Smart, body.as_str()),
            };
            let text = fold(text);
            if text.is_empty() {
                continue;
            }
            f.fuzzy.push(text.clone());
            f.text.push(TextTerm { text, mode });
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.not_text.is_empty() && self.fields.is_empty()
    }
}

/// A term's value and how it compares: `=v` and quoted values are whole and
/// literal; otherwise a `*` at either end widens the match.
fn value_pattern(raw: &str, quoted: bool) -> (&str, ValueMatch) {
    if let Some(v) = raw.strip_prefix('=') {
        return (v, ValueMatch::Whole);
    }
    if quoted {
        return (raw, ValueMatch::Whole);
    }
    let (lead, v) = match raw.strip_prefix('*') {
        Some(v) => (true, v),
        None => (false, raw),
    };
    let (trail, v) = match v.strip_suffix('*') {
        Some(v) => (true, v),
        None => (false, v),
    };
    let how = match (lead, trail) {
        (false, false) => ValueMatch::Whole,
        (false, true) => ValueMatch::Prefix,
        (true, false) => ValueMatch::Suffix,
        (true, true) => ValueMatch::Contains,
    };
    (v, how)
}

/// One space-separated term, its quotes removed.
struct Token {
    text: String,
    /// Byte offset in `text` where the first quoted part began.
    quote_at: Option<usize>,
}

/// Splits on whitespace outside double quotes. An unclosed quote runs to the
/// end of the input, so a value being typed already filters.
fn tokens(input: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur: Option<Token> = None;
    let mut in_quote = false;
    for c in input.chars() {
        if c == '"' {
            let t = cur.get_or_insert_with(|| Token {
                text: String::new(),
                quote_at: None,
            });
            if !in_quote && t.quote_at.is_none() {
                t.quote_at = Some(t.text.len());
            }
            in_quote = !in_quote;
        } else if c.is_whitespace() && !in_quote {
            out.extend(cur.take());
        } else {
            cur.get_or_insert_with(|| Token {
                text: String::new(),
                quote_at: None,
            })
            .text
            .push(c);
        }
    }
    out.extend(cur);
    out
}

/// How well one free-text term matches `hay` (folded cells).
fn text_score(t: &TextTerm, hay: &str, fuzzy: bool) -> Option<u32> {
    let words = || {
        hay.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    let whole = || hay.split("  ").any(|cell| cell.trim() == t.text);
    if words().any(|w| w == t.text) || whole() {
        return Some(EXACT);
    }
    if t.mode == TextMode::Exact {
        return None;
    }
    if words().any(|w| w.starts_with(&t.text)) {
        return Some(PREFIX);
    }
    if hay.contains(&t.text) {
        return Some(SUBSTRING);
    }
    match t.mode {
        TextMode::Fuzzy if in_order(hay, &t.text) => Some(SCATTERED),
        TextMode::Smart if fuzzy && in_order(hay, &t.text) => Some(IN_ORDER),
        _ => None,
    }
}

/// Whether the characters of `needle` occur in `hay` in order.
fn in_order(hay: &str, needle: &str) -> bool {
    let mut it = hay.chars();
    needle
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|n| it.any(|h| h == n))
}

fn canonical_field(f: &str) -> &str {
    match f {
        "department" | "dep" => "dept",
        "state" => "status",
        "t" => "type",
        "groups" => "group",
        "mail" => "email",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(field: &str, value: &str, how: ValueMatch, negate: bool) -> FieldTerm {
        FieldTerm {
            field: field.into(),
            value: value.into(),
            how,
            negate,
        }
    }

    #[test]
    fn parses_fuzzy_fields_and_negation() {
        let f = Filter::parse("  Jill status:Inactive !role:admin !contractor dept:eng* ");
        assert_eq!(f.fuzzy, vec!["jill"]);
        assert_eq!(
            f.text,
            vec![TextTerm {
                text: "jill".into(),
                mode: TextMode::Smart
            }]
        );
        assert_eq!(f.not_text, vec!["contractor"]);
        assert_eq!(
            f.fields,
            vec![
                field("status", "inactive", ValueMatch::Whole, false),
                field("role", "admin", ValueMatch::Whole, true),
                field("dept", "eng", ValueMatch::Prefix, false),
            ]
        );
    }

    #[test]
    fn quoted_values_keep_spaces_and_are_whole() {
        let f = Filter::parse(r#"group:"Sales EMEA" role:"Admin" !group:"Sales*""#);
        assert_eq!(
            f.fields,
            vec![
                field("group", "sales emea", ValueMatch::Whole, false),
                field("role", "admin", ValueMatch::Whole, false),
                field("group", "sales*", ValueMatch::Whole, true),
            ]
        );
        // still being typed: the open quote runs to the end
        assert_eq!(
            Filter::parse(r#"group:"Sales E"#).fields,
            vec![field("group", "sales e", ValueMatch::Whole, false)]
        );
        // a quoted free-text phrase is one term
        assert_eq!(
            Filter::parse(r#""jill smith" x"#).fuzzy,
            vec!["jill smith", "x"]
        );
    }

    #[test]
    fn exact_and_wildcard_value_forms() {
        let p = |s: &str| Filter::parse(s).fields;
        assert_eq!(
            p("role:=Admin"),
            vec![field("role", "admin", ValueMatch::Whole, false)]
        );
        assert_eq!(
            p("role:=adm*"),
            vec![field("role", "adm*", ValueMatch::Whole, false)]
        );
        assert_eq!(
            p("role:admin*"),
            vec![field("role", "admin", ValueMatch::Prefix, false)]
        );
        assert_eq!(
            p("role:*admin"),
            vec![field("role", "admin", ValueMatch::Suffix, false)]
        );
        assert_eq!(
            p("role:*admin*"),
            vec![field("role", "admin", ValueMatch::Contains, false)]
        );
        assert_eq!(
            p("dept:\"\""),
            vec![field("dept", "", ValueMatch::Whole, false)]
        );
        assert!(ValueMatch::Whole.test("admin", "admin"));
        assert!(!ValueMatch::Whole.test("billing admin", "admin"));
        assert!(ValueMatch::Suffix.test("billing admin", "admin"));
    }

    #[test]
    fn exact_and_fuzzy_markers() {
        let f = Filter::parse("'Jill ~smth '\"a b\"");
        let modes: Vec<(&str, TextMode)> =
            f.text.iter().map(|t| (t.text.as_str(), t.mode)).collect();
        assert_eq!(
            modes,
            vec![
                ("jill", TextMode::Exact),
                ("smth", TextMode::Fuzzy),
                ("a b", TextMode::Exact)
            ]
        );
        assert_eq!(f.fuzzy, vec!["jill", "smth", "a b"]);
        // a quoted marker is text
        assert_eq!(Filter::parse("\"~x\"").text[0].mode, TextMode::Smart);
    }

    fn rows() -> Vec<Vec<Cell>> {
        let row = |rule: &str, sev: &str, state: &str, groups: &str| {
            vec![
                Cell::new("Rule", rule),
                Cell::new("Severity", sev),
                Cell::new("State", state),
                Cell::new("Groups", groups),
            ]
        };
        vec![
            row("new-admin", "high", "fired", "Sales EMEA, Legal"),
            row("billing-admin-changes", "low", "quiet", "Sales"),
            row("users-without-mfa", "medium", "fired", ""),
        ]
    }

    #[test]
    fn cells_take_the_same_grammar_as_the_tables() {
        let sel = |q: &str| Filter::parse(q).select(&rows(), true);
        // whole values by default, `*` widens, `=` and quotes are whole
        assert_eq!(sel("state:fired"), [0, 2]);
        assert_eq!(sel("status:fired"), [0, 2], "aliases fold as in the tables");
        assert_eq!(sel("sev:hi"), Vec::<usize>::new());
        assert_eq!(sel("sev:hi*"), [0]);
        assert_eq!(sel("rule:=new-admin"), [0]);
        assert_eq!(sel("rule:admin"), Vec::<usize>::new());
        assert_eq!(sel("rule:*admin*"), [0, 1]);
        // a list cell matches when one of its items does
        assert_eq!(sel(r#"groups:"Sales EMEA""#), [0]);
        assert_eq!(sel("groups:sales"), [1]);
        assert_eq!(sel("!state:fired"), [1]);
        // free text: exact words rank first, `'` keeps exact words only
        assert_eq!(sel("admin"), [0, 1]);
        assert_eq!(sel("'mfa"), [2]);
        assert_eq!(sel("'adm"), Vec::<usize>::new());
        assert_eq!(sel("!admin"), [2]);
        // letters in order only when nothing matches literally
        assert_eq!(sel("nwadm"), [0]);
        assert_eq!(sel("~nwadm"), [0]);
        assert_eq!(sel("zzz"), Vec::<usize>::new());
    }

    #[test]
    fn lone_bang_empty_and_unfinished_terms_are_ignored() {
        assert!(Filter::parse("! ").is_empty());
        assert!(Filter::parse("").is_empty());
        assert!(Filter::parse("role: ' ~").is_empty());
        // a colon with no field is free text
        assert_eq!(Filter::parse(":x").fuzzy, vec![":x"]);
        // accents fold on the query side too
        assert_eq!(Filter::parse("André").fuzzy, vec!["andre"]);
    }
}
