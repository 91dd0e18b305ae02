//! Any bytes as a CSV roster: through the reader (size cap, NUL and UTF-8
//! checks) and the CSV parser. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoomscope::employees::ColumnOverrides;
use zoomscope::employees::roster::{parse_csv, read_text};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = read_text(data, 16) {
        let _ = parse_csv(&text, &ColumnOverrides::new());
    }
});
