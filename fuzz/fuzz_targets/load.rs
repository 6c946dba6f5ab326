//! Fuzz target: arbitrary bytes as a chapter (front matter + YAML + Markdown), as every YAML data
//! file and as site.toml. See fuzz/README.md for how to run it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = carta::fuzz::load_bytes(data);
});
