//! Any JSON text as one user of a Zoom listing: the quick field reader and
//! the lenient tree reader must not panic and must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use serde_json::value::RawValue;
use zoomscope::zoom::{FromJson, User};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(raw) = RawValue::from_string(text.to_string()) else {
        return;
    };
    let quick = User::from_raw(&raw);
    let Ok(tree) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let slow = User::from_json(tree);
    match (&quick, &slow) {
        (Ok(q), Ok(s)) => assert_eq!((&q.id, &q.email), (&s.id, &s.email)),
        (Err(q), Err(s)) => assert_eq!(q, s),
        _ => panic!("the quick and tree readers disagree"),
    }
});
