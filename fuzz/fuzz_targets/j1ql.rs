//! J1QL: any text parses or fails with a positioned error, and whatever
//! parses also runs (on an empty graph) without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoomscope::query;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match query::parse(text) {
        Ok(q) => {
            let g = zoomscope::graph::Graph::new();
            let _ = query::execute(&g, &q, chrono::Utc::now());
        }
        Err(e) => assert!(e.line >= 1 && e.column >= 1),
    }
});
