//! Fuzz target: arbitrary bytes as a chapter body, through the Markdown renderer and the raw-HTML
//! allowlist; fails when what would be published holds anything the allowlist does not allow.
//! See fuzz/README.md for how to run it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    carta::fuzz::html_bytes(data);
});
