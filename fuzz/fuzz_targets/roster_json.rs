//! Any bytes as a JSON roster: through the reader and the JSON parser
//! (element positions, type checks, duplicate keys). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoomscope::employees::ColumnOverrides;
use zoomscope::employees::roster::{parse_json, read_text};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = read_text(data, 16) {
        let _ = parse_json(&text, &ColumnOverrides::new());
    }
});
