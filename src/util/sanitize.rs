//! Zoom strings are untrusted: a display name can hold an ESC sequence that
//! would move the cursor, retitle the window or worse. Everything that reaches
//! a terminal (TUI cells, CLI tables, error messages) goes through
//! [`for_terminal`]; everything that reaches a spreadsheet goes through
//! [`csv_cell`].

use std::borrow::Cow;

/// Removes C0/C1 control characters (including ESC, BEL, CR, LF, TAB → space
/// for whitespace-like ones) and Unicode bidi overrides, so the string is
/// inert on a terminal. Returns the input unchanged when it is already clean.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_change) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\t' | '\n' | '\r') {
            out.push(' ');
        } else if !needs_change(c) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_change(c: char) -> bool {
    c.is_control()
        // bidi embeddings/overrides/isolates can reorder what the admin reads
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Guards a CSV cell against spreadsheet formula injection: a cell starting
/// with `=`, `+`, `-`, `@`, TAB or CR is prefixed with a single quote (OWASP).
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(
            for_terminal("Jill\u{1b}[2J\u{1b}]0;pwned\u{7}"),
            "Jill[2J]0;pwned"
        );
        assert_eq!(for_terminal("a\tb\nc"), "a b c");
        assert_eq!(for_terminal("\u{9b}31m"), "31m");
        assert_eq!(for_terminal("evil\u{202E}txt.exe"), "eviltxt.exe");
        assert!(matches!(for_terminal("Zoë Ångström 王"), Cow::Borrowed(_)));
    }

    #[test]
    fn guards_formula_cells() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("jill@example.com"), "jill@example.com");
    }
}
