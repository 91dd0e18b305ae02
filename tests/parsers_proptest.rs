//! Property tests for the parsers that take outside input: rosters (CSV and
//! JSON, through the byte reader) and Zoom user bodies (the quick field
//! reader and the lenient tree reader). Inputs reach megabytes by repeating
//! generated pieces; none may panic, and each must finish within a time a
//! linear parser easily meets and a quadratic one cannot (at these sizes a
//! quadratic step costs minutes). Case counts are small to keep CI fast.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;
use serde_json::value::RawValue;
use zoomscope::employees::ColumnOverrides;
use zoomscope::employees::roster::{parse, parse_csv, parse_json, read_text};
use zoomscope::zoom::{FromJson, User};

/// Generous for an unoptimised test build on a loaded machine, yet far
/// below what a quadratic pass over a megabyte takes.
const LIMIT: Duration = Duration::from_secs(20);

fn timed<T>(what: &str, len: usize, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    assert!(took < LIMIT, "{what}: {len} bytes took {took:?}");
    out
}

/// CSV-ish pieces: cells, separators, quotes, line breaks, e-mails, odd
/// characters (controls, bidi, non-ASCII, a NUL).
fn csv_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("email".to_string()),
        Just("aliases".to_string()),
        Just("employee_id".to_string()),
        Just("a@corp.example".to_string()),
        Just("A@CORP.example".to_string()),
        Just("x@y.example;z@w.example".to_string()),
        Just("2024-02-30".to_string()),
        Just("terminated".to_string()),
        Just("\u{1b}[2J\u{202e}\u{0}".to_string()),
        "[a-zA-Z0-9 .@éß王-]{0,12}",
    ]
}

fn repeated(pieces: Vec<String>, times: usize) -> String {
    let unit: String = pieces.concat();
    unit.repeat(times)
}

/// JSON-ish pieces for rosters: well-formed or not.
fn json_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{\"email\":\"a@corp.example\",\"employee_id\":1},".to_string()),
        Just("{\"Email\":\"A@corp.example\",\"email\":[\"b@c.example\"]},".to_string()),
        Just("{\"aliases\":[\"x@y.example\",3,null],\"first_name\":5},".to_string()),
        Just("[[[[".to_string()),
        Just("]]]]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just("\"\\u202e\\u0000\"".to_string()),
        Just("null,1,true,".to_string()),
        "[a-z\"\\\\:,{}\\[\\] ]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn csv_rosters_never_panic_and_stay_linear(
        header in prop::collection::vec(csv_piece(), 1..8),
        body in prop::collection::vec(csv_piece(), 1..24),
        times in 1usize..40_000,
    ) {
        let text = format!("{}\n{}", header.concat(), repeated(body, times));
        let len = text.len();
        let _ = timed("csv", len, || parse_csv(&text, &ColumnOverrides::new()));
        let _ = timed("auto", len, || parse(&text, &ColumnOverrides::new()));
        // The same bytes through the reader (cap, NUL, UTF-8 checks).
        let _ = timed("read", len, || read_text(text.as_bytes(), 256));
    }

    #[test]
    fn json_rosters_never_panic_and_stay_linear(
        pieces in prop::collection::vec(json_piece(), 1..12),
        times in 1usize..40_000,
        close in any::<bool>(),
    ) {
        let mut text = format!("[{}", repeated(pieces, times));
        if close {
            text.push_str("{\"email\":\"z@corp.example\"}]");
        }
        let len = text.len();
        let _ = timed("json", len, || parse_json(&text, &ColumnOverrides::new()));
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_roster_reader(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        times in 1usize..256,
    ) {
        let input = bytes.repeat(times);
        let len = input.len();
        if let Ok(text) = timed("read", len, || read_text(&input[..], 1)) {
            let _ = timed("parse", len, || parse(&text, &ColumnOverrides::new()));
        }
    }
}

/// JSON values shaped like Zoom users, with drifted types and big parts.
fn user_value() -> impl Strategy<Value = Vec<(String, Value)>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9@. \u{202e}\u{1b}]{0,16}".prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let key = prop_oneof![
        Just("id".to_string()),
        Just("email".to_string()),
        Just("type".to_string()),
        Just("status".to_string()),
        Just("role_id".to_string()),
        Just("group_ids".to_string()),
        Just("login_types".to_string()),
        Just("created_at".to_string()),
        Just("last_login_time".to_string()),
        Just("custom_attributes".to_string()),
        "[a-z_]{1,10}",
    ];
    prop::collection::vec((key, value), 0..16)
}

/// An object text with `pairs` (duplicates kept, as a body may have them),
/// padded with a large extra field.
fn object_text(pairs: &[(String, Value)], padding: usize) -> String {
    let mut parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
        .collect();
    if padding > 0 {
        parts.push(format!("\"padding\":{}", Value::from("x".repeat(padding))));
    }
    format!("{{{}}}", parts.join(","))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The quick reader (fields picked from the text) and the tree reader
    /// (lenient readers over a parsed object) agree on every body.
    #[test]
    fn zoom_user_readers_agree_and_never_panic(
        pairs in user_value(),
        padding in prop_oneof![Just(0usize), 1usize..2_000_000],
    ) {
        let text = object_text(&pairs, padding);
        let raw = RawValue::from_string(text.clone()).unwrap();
        let quick = timed("quick user", text.len(), || User::from_raw(&raw));
        let tree: Value = serde_json::from_str(&text).unwrap();
        let slow = timed("tree user", text.len(), || User::from_json(tree));
        match (&quick, &slow) {
            (Ok(q), Ok(s)) => {
                prop_assert_eq!(&q.id, &s.id);
                prop_assert_eq!(&q.email, &s.email);
                prop_assert_eq!(&q.status, &s.status);
                prop_assert_eq!(&q.group_ids, &s.group_ids);
            }
            (Err(q), Err(s)) => prop_assert_eq!(q, s),
            _ => prop_assert!(false, "readers disagree: {:?} vs {:?}", quick.is_ok(), slow.is_ok()),
        }
    }

    /// Anything that is JSON at all, user-shaped or not, is refused cleanly.
    #[test]
    fn any_json_text_is_a_user_or_a_clean_error(
        text in "[\\[\\]{}\",:0-9a-z \\\\]{0,64}",
        times in 1usize..20_000,
    ) {
        let big = format!("[{}]", vec![text; times].join(","));
        if let Ok(raw) = RawValue::from_string(big.clone()) {
            let _ = timed("quick user", big.len(), || User::from_raw(&raw));
        }
        if let Ok(one) = RawValue::from_string(format!("{{\"id\":{big}}}")) {
            let _ = timed("quick user", big.len(), || User::from_raw(&one));
        }
    }
}
