//! `zoomscope query` as a process: a parse error exits 2 with the caret
//! message on stderr; the saved questions are listable.

// Tests unwrap: a panic here is a failed test naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn zoomscope(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_zoomscope"))
        .args(args)
        .env("ZOOMSCOPE_DATA_DIR", dir.path().join("data"))
        .env("ZOOMSCOPE_CONFIG", dir.path().join("config.toml"))
        .env_remove("ZOOMSCOPE_PROFILE")
        .output()
        .unwrap()
}

#[test]
fn parse_error_exits_2_with_caret_on_stderr() {
    let out = zoomscope(&["query", "FIND zoom_user WITH name 'x'"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "line 1, column 26: expected a comparison operator (=, !=, <, <=, >, >=, ~=, ^=, $=, !~=, !^=, !$=), found the string 'x'\n\
             FIND zoom_user WITH name 'x'\n\
             \x20                        ^^^"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn control_characters_in_a_bad_query_do_not_reach_the_terminal() {
    let out = zoomscope(&["query", "FIND zoom_user \u{1b}]0;pwned\u{7}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07));
}

#[test]
fn unknown_saved_name_exits_2_and_list_saved_lists() {
    let out = zoomscope(&["query", "--saved", "no-such-question"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--list-saved"));

    let out = zoomscope(&["query", "--list-saved"]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("zoom-access-list") && s.contains("Who has access to Zoom"));

    let out = zoomscope(&["query", "--list-saved", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        zoomscope::query::saved::questions().len()
    );
}
