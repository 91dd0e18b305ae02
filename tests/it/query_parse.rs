//! Parse errors (line, column, caret, what was expected) pinned, and a
//! property test that the parser never panics on any input.

use proptest::prelude::*;
use zoomscope::query;

fn err(q: &str) -> String {
    query::parse(q).unwrap_err().to_string()
}

#[test]
fn missing_operator() {
    let e = query::parse("FIND zoom_user WITH name 'x'").unwrap_err();
    assert_eq!((e.line, e.column), (1, 26));
    assert!(e.expected.starts_with("a comparison operator"));
    assert_eq!(
        e.to_string(),
        "line 1, column 26: expected a comparison operator (=, !=, <, <=, >, >=, ~=, ^=, $=, !~=, !^=, !$=), found the string 'x'\n\
         FIND zoom_user WITH name 'x'\n\
         \x20                        ^^^"
    );
}

#[test]
fn error_on_second_line() {
    assert_eq!(
        err("FIND zoom_user\nTHAT OWNS zoom_role"),
        "line 2, column 6: expected a relationship verb (HAS, ASSIGNED, IS, MANAGES or RELATES TO), found `OWNS`\n\
         THAT OWNS zoom_role\n\
         \x20    ^^^^"
    );
}

#[test]
fn empty_and_truncated_queries() {
    assert_eq!(
        err(""),
        "line 1, column 1: expected `FIND`, found the end of the query\n\n^"
    );
    assert_eq!(
        err("FIND zoom_user WITH name ="),
        "line 1, column 27: expected a value ('text', a number, true, false, undefined, date.now - 90 days or ['a', 'b']), found the end of the query\n\
         FIND zoom_user WITH name =\n\
         \x20                         ^"
    );
    assert_eq!(
        err("FIND zoom_user THAT"),
        "line 1, column 20: expected a relationship verb (HAS, ASSIGNED, IS, MANAGES or RELATES TO), found the end of the query\n\
         FIND zoom_user THAT\n\
         \x20                  ^"
    );
}

#[test]
fn unterminated_string_unknown_alias_and_junk() {
    assert_eq!(
        err("FIND zoom_user WITH name = 'abc"),
        "line 1, column 28: this string has no closing quote\n\
         FIND zoom_user WITH name = 'abc\n\
         \x20                          ^"
    );
    assert_eq!(
        err("FIND zoom_user AS u RETURN x.name"),
        "line 1, column 28: unknown alias `x` (aliases here: u; a property is written alias.property)\n\
         FIND zoom_user AS u RETURN x.name\n\
         \x20                          ^"
    );
    assert_eq!(
        err("FIND zoom_user zz"),
        "line 1, column 16: expected AS, WITH, AND, OR, THAT, WHERE, RETURN, ORDER BY, SKIP, LIMIT or the end of the query, found `zz`\n\
         FIND zoom_user zz\n\
         \x20              ^^"
    );
    assert_eq!(
        err("FIND zoom_user WITH createdAt < date.now - 90 fortnights"),
        "line 1, column 47: expected a time unit (seconds, minutes, hours, days, weeks, months, years), found `fortnights`\n\
         FIND zoom_user WITH createdAt < date.now - 90 fortnights\n\
         \x20                                             ^^^^^^^^^^"
    );
}

#[test]
fn semantic_errors_point_at_the_spot() {
    let e = query::parse("FIND zoom_user WITH a < undefined").unwrap_err();
    assert_eq!((e.line, e.column), (1, 21));
    let e = query::parse("FIND zoom_user AS u RETURN u.a, u.a").unwrap_err();
    assert_eq!(e.column, 33);
    let e = query::parse("FIND zoom_user AS u THAT HAS zoom_group AS u").unwrap_err();
    assert!(e.message.contains("alias `u` is used twice"));
    let e = query::parse("FIND zoom_user THAT !HAS zoom_group AS g").unwrap_err();
    assert!(e.message.contains("can never be returned"));
    let e = query::parse(r#"FIND zoom_user AS u RETURN u.a ORDER BY "nope""#).unwrap_err();
    assert!(e.message.contains("no RETURN column is labelled \"nope\""));
    let e = query::parse(
        "FIND zoom_user THAT HAS zoom_group THAT HAS zoom_user RETURN zoom_user.email",
    )
    .unwrap_err();
    assert!(e.message.contains("more than one step"), "{e}");
}

#[test]
fn caret_accounts_for_wide_characters() {
    // 王 is two columns wide on a terminal: the caret must sit under `zz`.
    let e = query::parse("FIND zoom_user WITH name = '王' zz").unwrap_err();
    assert_eq!(e.column, 32);
    assert_eq!(e.caret, format!("{}^^", " ".repeat(32)));
    // control characters in the echoed line become spaces
    let e = query::parse("FIND\tzoom_user\u{1b}").unwrap_err();
    assert!(!e.to_string().contains('\u{1b}'));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let q = format!(
        "FIND zoom_user WITH {}a = 1{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let e = query::parse(&q).unwrap_err();
    assert!(e.message.contains("nested deeper"), "{e}");
}

const VALID: &[&str] = &[
    r#"FIND zoom_user AS zu RETURN zu.displayName AS "Name", zu.username AS "Username", zu.id as "ID""#,
    "FIND zoom_user WITH meetingSecurityRequirePasswordForScheduledMeeting!=true as zu RETURN zu.displayName",
    "FIND zoom_user THAT ASSIGNED zoom_role WITH name='Admin'",
    "FIND (zoom_user|Person) WITH (a = 1 OR b != 'x') AND c ~= 'y' AS u THAT !HAS zoom_group",
    "FIND zoom_user WITH lastLoginTime < date.now - 90 days AND groupIds = ['a','b'] ORDER BY lastLoginTime DESC SKIP 2 LIMIT 5",
    "FIND zoom_user AS u THAT RELATES TO * AS x WHERE u.email = x.email RETURN u, COUNT(x)",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_input(s in "\\PC{0,200}") {
        let _ = query::parse(&s);
    }

    #[test]
    fn never_panics_on_query_like_input(
        s in proptest::collection::vec(
            prop_oneof![
                Just("FIND "), Just("WITH "), Just("AS "), Just("THAT "), Just("!"), Just("HAS "),
                Just("RELATES TO "), Just("WHERE "), Just("RETURN "), Just("COUNT("), Just(")"),
                Just("("), Just("|"), Just("*"), Just("'x'"), Just("\""), Just("'"), Just("= "),
                Just("!= "), Just("~= "), Just("<"), Just("u.a "), Just("u "), Just("zoom_user "),
                Just("date.now"), Just(" - "), Just("90 "), Just("days "), Just("["), Just("]"),
                Just(","), Just("ORDER BY "), Just("DESC "), Just("SKIP "), Just("LIMIT "),
                Just("undefined "), Just("\n"), Just("é"), Just("王"), Just("1e400"),
                Just("99999999999999999999999999 "),
            ],
            0..40,
        )
    ) {
        let q: String = s.concat();
        if let Err(e) = query::parse(&q) {
            // the caret always lands within (or just after) the echoed line
            prop_assert!(e.line >= 1 && e.column >= 1);
            prop_assert!(e.caret.contains('^'));
        }
    }

    #[test]
    fn never_panics_on_mutated_valid_queries(
        which in 0..VALID.len(),
        edits in proptest::collection::vec((any::<usize>(), any::<char>(), 0u8..3), 1..6),
    ) {
        let mut chars: Vec<char> = VALID[which].chars().collect();
        for (pos, c, kind) in edits {
            let i = pos % (chars.len() + 1);
            match kind {
                0 => chars.insert(i, c),
                1 if i < chars.len() => { chars.remove(i); }
                _ if i < chars.len() => chars[i] = c,
                _ => {}
            }
        }
        let q: String = chars.into_iter().collect();
        let _ = query::parse(&q);
        // and whatever parses also runs
        if let Ok(p) = query::parse(&q) {
            let g = zoomscope::graph::Graph::new();
            let _ = query::execute(&g, &p, chrono::Utc::now());
        }
    }
}

#[test]
fn valid_queries_parse() {
    for q in VALID {
        query::parse(q).unwrap_or_else(|e| panic!("{q}\n{e}"));
    }
}
