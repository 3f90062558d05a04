//! Grammar-aware: plans printed from structured input, so most get past the parser and reach
//! scheduling, money and the renderers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tranche_fuzz::plan_gen::Input;

fuzz_target!(|input: Input| {
    let (root, included) = input.files();
    tranche_fuzz::pipeline::run(&[
        ("plan.tranche", root.as_bytes()),
        ("a.tranche", included.as_bytes()),
    ]);
});
