//! Zoom strings are untrusted: a display name can hold an ESC sequence that
//! would move the cursor, retitle the window or worse. Everything that reaches
//! a terminal (TUI cells, CLI tables, error messages) goes through
//! [`for_terminal`]; everything that reaches a spreadsheet goes through
//! [`csv_cell`].

use std::borrow::Cow;

/// Removes C0/C1 control characters (TAB, CR and LF become a space),
/// Unicode bidi controls, and invisible format characters (zero-width space
/// and joiners, word joiner, BOM), so the string is inert on a terminal and
/// cannot pass for another (`jill\u{200B}@example.com` is not
/// `jill@example.com`, but would print the same). Returns the input
/// unchanged when it is already clean.
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
    c.is_control() || is_invisible_format(c)
}

/// Characters that print as nothing yet change how text reads: bidi
/// embeddings, overrides, isolates and marks reorder it; zero-width spaces
/// and joiners, the word joiner, invisible operators, the BOM and the
/// line/paragraph separators hide inside it.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Makes a CSV cell safe for a spreadsheet: cleaned as for a terminal
/// ([`for_terminal`]: no control, bidi or zero-width characters), then
/// guarded against formula injection: a cell starting with `=`, `+`, `-` or
/// `@` is prefixed with a single quote (OWASP).
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let clean = for_terminal(s);
    match clean.chars().next() {
        Some('=' | '+' | '-' | '@') => Cow::Owned(format!("'{clean}")),
        _ => clean,
    }
}

/// Makes serialized JSON safe to print: every control, bidi or zero-width
/// character is written as its `\uXXXX` escape. The JSON means the same
/// (such characters can only sit inside strings, where the escape is
/// equivalent), but no raw byte of them reaches a terminal or a file.
/// serde_json already escapes C0 controls; this adds C1 (U+0080–U+009F) and
/// the invisible format characters.
pub fn json_text(json: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| needs_change(c) && !matches!(c, '\n' | '\t' | '\r');
    if !json.chars().any(unsafe_char) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            // All of them are in the Basic Multilingual Plane: one escape.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
    fn strips_zero_width_and_bidi() {
        assert_eq!(
            for_terminal("jill\u{200B}@exa\u{200D}mple.com"),
            "jill@example.com"
        );
        assert_eq!(for_terminal("a\u{2066}b\u{2069}\u{FEFF}c\u{061C}"), "abc");
    }

    #[test]
    fn csv_cells_are_cleaned_then_guarded() {
        assert_eq!(
            csv_cell("\u{1b}]0;PWNED\u{7}evil\u{202E}\u{9b}\u{200B}\u{200D}@x"),
            "]0;PWNEDevil@x"
        );
        assert_eq!(csv_cell("\u{200B}=1+2"), "'=1+2");
        assert_eq!(csv_cell("\t=1"), " =1");
    }

    #[test]
    fn json_text_escapes_what_serde_leaves_raw() {
        let v = serde_json::json!({"n": "a\u{9b}b\u{202E}c\u{200B}\u{1b}"});
        let s = serde_json::to_string(&v).unwrap();
        let clean = json_text(&s);
        assert!(!clean.chars().any(needs_change), "{clean}");
        assert_eq!(clean, r#"{"n":"a\u009bb\u202ec\u200b\u001b"}"#);
        let back: serde_json::Value = serde_json::from_str(&clean).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn guards_formula_cells() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("jill@example.com"), "jill@example.com");
    }
}
