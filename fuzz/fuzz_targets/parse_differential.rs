//! The fast parser against pest's tree on every input (issue 16): the same items, comments
//! and diagnostics, or the fast path declined. Raw text, or (first byte 0xFF) a generated plan
//! and edits of it; see `src/differential.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tranche_fuzz::differential::run(data);
});
