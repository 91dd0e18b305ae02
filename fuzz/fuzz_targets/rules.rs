//! Alert rule files: TOML, parameters substituted, each rule's query parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoomscope::alerts::rule::RuleFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(file) = RuleFile::parse("rules.toml", text)
        && let Ok(rules) = file.rules(file.params())
    {
        for r in rules {
            let _ = zoomscope::query::parse(&r.query);
        }
    }
});
