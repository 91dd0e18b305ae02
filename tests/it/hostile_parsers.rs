//! Property tests for the parsers that read outside input: J1QL queries,
//! alert rule files and the config file. Inputs run up to megabytes; none
//! may panic, overflow the stack or take more than linear time. Case counts
//! are small so the suite stays fast in CI.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use zoomscope::alerts::rule::RuleFile;
use zoomscope::config::Config;
use zoomscope::query;

/// A generous bound for one input of `len` bytes in an unoptimised test
/// build: a fixed part plus a per-byte part. Quadratic work on a megabyte
/// (10^12 steps) would take hours, so this only catches real blow-ups.
fn budget(len: usize) -> Duration {
    Duration::from_secs(3) + Duration::from_micros(len as u64 * 4)
}

/// Pieces repeated into large inputs.
fn pieces(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(proptest::sample::select(words), 1..40),
        1usize..40_000,
    )
        .prop_map(|(ws, times)| {
            let unit: String = ws.concat();
            unit.repeat(times.min(1_000_000 / unit.len().max(1)))
        })
}

const J1QL: &[&str] = &[
    "FIND ",
    "zoom_user ",
    "WITH ",
    "a=1 ",
    "AND ",
    "OR ",
    "(",
    ")",
    "[",
    "]",
    "'x'",
    ",",
    "\"",
    "date.now + 200000 years ",
    "LIMIT 18446744073709551615 ",
    "THAT HAS ",
    "zoom_group ",
    "AS u ",
    "WHERE u.a = 1 ",
    "RETURN u.email ",
    "COUNT(u) ",
    "ORDER BY u.a ",
    "\u{202e}",
    "王",
    "\n",
    "!",
    "~=",
    "1e400 ",
    "-",
    "*",
    "|",
];

const TOML: &[&str] = &[
    "[rule]\n",
    "[[rule]]\n",
    "name = 'r'\n",
    "severity = 'high'\n",
    "query = \"FIND zoom_user WITH a=1",
    " AND a=1",
    "\"\n",
    "trigger = 'any'\n",
    "[params]\n",
    "x = ${y}\n",
    "${",
    "}",
    "[",
    "]",
    "{",
    "}",
    "a = [",
    "b = {c = ",
    "'",
    "\"\"\"",
    "\n",
    "=",
    "[profile.p]\n",
    "account_id = 'a'\n",
    "client_secret_command_timeout = '1s'\n",
    "polling_interval = '1m'\n",
    "\u{0}",
    "é",
    "#",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn j1ql_never_panics_and_stays_linear(text in pieces(J1QL)) {
        let started = Instant::now();
        if let Ok(q) = query::parse(&text) {
            let g = zoomscope::graph::Graph::new();
            let _ = query::execute(&g, &q, chrono::Utc::now());
        }
        prop_assert!(started.elapsed() < budget(text.len()), "{} bytes took {:?}", text.len(), started.elapsed());
    }

    #[test]
    fn rule_files_never_panic_and_stay_linear(text in pieces(TOML)) {
        let started = Instant::now();
        if let Ok(f) = RuleFile::parse("rules.toml", &text) {
            let params: BTreeMap<String, toml::Value> = f.params().clone();
            if let Ok(rules) = f.rules(&params) {
                for r in rules {
                    let _ = query::parse(&r.query);
                }
            }
        }
        prop_assert!(started.elapsed() < budget(text.len()), "{} bytes took {:?}", text.len(), started.elapsed());
    }

    #[test]
    fn config_files_never_panic_and_stay_linear(text in pieces(TOML)) {
        let started = Instant::now();
        let _ = Config::parse(Path::new("config.toml"), &text);
        prop_assert!(started.elapsed() < budget(text.len()), "{} bytes took {:?}", text.len(), started.elapsed());
    }
}

/// The shapes most likely to recurse, at a megabyte each.
#[test]
fn deep_nesting_in_every_parser_is_an_error_not_a_crash() {
    let n = 500_000;
    let queries = [
        format!("FIND zoom_user WITH {}a=1{}", "(".repeat(n), ")".repeat(n)),
        format!("FIND zoom_user WITH a = {}", "[".repeat(n)),
        format!("FIND zoom_user WITH {}", vec!["a=1"; n / 4].join(" OR ")),
    ];
    for q in &queries {
        assert!(query::parse(q).is_err());
    }
    let tomls = [
        format!("a = {}", "[".repeat(n)),
        format!("a = {}1{}", "[".repeat(n), "]".repeat(n)),
        format!("a = {}", "{b = ".repeat(n)),
        format!(
            "[[rule]]\nname='r'\nseverity='high'\ntrigger='any'\nquery=\"FIND zoom_user WITH {}\"\n",
            vec!["a=1"; n / 4].join(" AND ")
        ),
    ];
    for t in &tomls {
        let started = Instant::now();
        let _ = Config::parse(Path::new("config.toml"), t);
        if let Ok(f) = RuleFile::parse("rules.toml", t)
            && let Ok(rules) = f.rules(f.params())
        {
            for r in rules {
                assert!(query::parse(&r.query).is_err());
            }
        }
        assert!(started.elapsed() < budget(t.len()));
    }
}

/// Many rules in one file: each rule's line is found without rescanning
/// the file from the start.
#[test]
fn ten_thousand_rules_parse_in_linear_time() {
    let one = "[[rule]]\nname = 'r{i}'\nseverity = 'low'\ntrigger = 'any'\nquery = \"FIND zoom_user WITH status = 'x'\"\n";
    let text: String = (0..10_000)
        .map(|i| one.replace("{i}", &i.to_string()))
        .collect();
    let started = Instant::now();
    let f = RuleFile::parse("rules.toml", &text).unwrap();
    let rules = f.rules(f.params()).unwrap();
    assert_eq!(rules.len(), 10_000);
    assert_eq!(rules[9_999].origin.line, 9_999 * 5 + 2);
    assert!(
        started.elapsed() < budget(text.len()),
        "{:?}",
        started.elapsed()
    );
}
