//! Replays the saved fuzz corpus (fuzz/corpus/) through the whole pipeline in an ordinary test,
//! so CI catches a regression on any input the fuzzer once found interesting without running
//! libFuzzer (issue 10). The pipeline and the plan generator are the fuzz crate's own files,
//! included here, so the replay runs exactly what the fuzzer ran.

#[allow(dead_code)]
#[path = "../fuzz/src/pipeline.rs"]
mod pipeline;
#[allow(dead_code)]
#[path = "../fuzz/src/plan_gen.rs"]
mod plan_gen;

use std::path::{Path, PathBuf};

/// Every file in `fuzz/corpus/TARGET`, sorted by name.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is readable: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn the_raw_bytes_corpus_runs_through_the_pipeline() {
    let files = corpus("pipeline");
    assert!(files.len() > 50, "the pipeline corpus is missing");
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        // A panic names the input; `cargo fuzz run -s none pipeline FILE` reproduces it.
        eprintln!("{}", path.display());
        pipeline::run(&pipeline::split_files(&data));
    }
}

#[test]
fn the_grammar_aware_corpus_runs_through_the_pipeline() {
    use arbitrary::{Arbitrary, Unstructured};
    let files = corpus("plans");
    assert!(files.len() > 50, "the plans corpus is missing");
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        let Ok(input) = plan_gen::Input::arbitrary_take_rest(Unstructured::new(&data)) else {
            continue;
        };
        eprintln!("{}", path.display());
        let (root, included) = input.files();
        pipeline::run(&[
            ("plan.tranche", root.as_bytes()),
            ("a.tranche", included.as_bytes()),
        ]);
    }
}

/// The rules of grammar/tranche.pest that can appear in a parse tree, read from the file
/// itself, so a rule added to the grammar is covered by the test below without editing it.
fn grammar_rules() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/tranche.pest");
    let grammar = std::fs::read_to_string(&path).expect("read grammar/tranche.pest");
    let mut rules = Vec::new();
    for line in grammar.lines() {
        // A rule is `name = MODIFIER{ ... }` at the start of a line; everything else is
        // comments and the continuation lines of a rule's body.
        let Some((name, rest)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || line.starts_with(char::is_whitespace)
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = rest.trim_start();
        // Silent rules (`_{ }`: whitespace, comments, the pieces of recovery, `ident_char`,
        // `quote`, `attr_keyword`) never produce a pair, so no tree can show them; they are
        // exercised through the rules that use them.
        if rest.starts_with("_{") {
            continue;
        }
        // The probes are other entry points: `syntax::lower` parses with them after a bad line
        // to learn what was expected, and they never occur inside a `top_item`. Each is `attr`
        // or `rbrace`/`EOI` (twice), all covered through `top_item`.
        if name.starts_with("probe_") {
            continue;
        }
        rules.push(name.to_string());
    }
    rules
}

/// Deterministic pseudo-random bytes (SplitMix64), so the coverage test is the same every run.
fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        bytes.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// Every rule of the grammar that can appear in a tree is produced by the fuzzer's plan
/// generator, so a construct added to the grammar but not to the generator (and hence not
/// guarded by the differential fuzz target) fails here, naming the rule.
#[test]
fn the_plan_generator_reaches_every_rule_of_the_grammar() {
    use arbitrary::{Arbitrary, Unstructured};
    use std::collections::BTreeSet;
    let rules = grammar_rules();
    assert!(rules.len() > 100, "read only {} rules", rules.len());
    let mut seen = BTreeSet::new();
    for seed in 0..3000 {
        let data = pseudo_random_bytes(seed, 1500);
        let Ok(input) = plan_gen::Input::arbitrary_take_rest(Unstructured::new(&data)) else {
            continue;
        };
        let (root, included) = input.files();
        seen.extend(tranche::syntax::rules_matched(&root));
        seen.extend(tranche::syntax::rules_matched(&included));
    }
    // The other way round: a name seen but not read from the file means the reading above is
    // wrong, and the test would prove nothing.
    let unknown: Vec<&String> = seen.iter().filter(|r| !rules.contains(r)).collect();
    assert!(
        unknown.is_empty(),
        "rules in pest's trees but not read from the grammar: {unknown:?}"
    );
    let missing: Vec<&String> = rules.iter().filter(|r| !seen.contains(*r)).collect();
    assert!(
        missing.is_empty(),
        "the plan generator (fuzz/src/plan_gen.rs) never produces these rules of \
         grammar/tranche.pest: {missing:?}"
    );
}
