//! Raw bytes through the whole pipeline: split into up to four files on `\n%%%\n` lines, loaded
//! from memory, validated, scheduled, costed, rendered in every format and formatted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tranche_fuzz::pipeline::run(&tranche_fuzz::pipeline::split_files(data));
});
