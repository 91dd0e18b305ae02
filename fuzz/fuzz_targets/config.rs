//! The config file. Only parsed: resolving a profile could run its
//! `client_secret_command`, which a fuzzer must never do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoomscope::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Config::parse(std::path::Path::new("config.toml"), text);
});
