//! Replays the saved fuzz corpus (fuzz/corpus/) through the whole pipeline in an ordinary test,
//! so CI catches a regression on any input the fuzzer once found interesting without running
//! libFuzzer (issue 10). The pipeline, the plan generator and the fast-path-against-pest
//! comparison are the fuzz crate's own files, included here, so the replay runs exactly what
//! the fuzzer ran. Also: the generator reaches every rule of the grammar (issue 16).

#[allow(dead_code)]
#[path = "../fuzz/src/differential.rs"]
mod differential;
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

/// Runs `test` on every file of `fuzz/corpus/TARGET`, which must hold more than 50. Each file's
/// path is printed first, so a panic names the input; `cargo fuzz run -s none TARGET FILE`
/// reproduces it.
fn replay(target: &str, mut test: impl FnMut(&[u8])) {
    let files = corpus(target);
    assert!(files.len() > 50, "the {target} corpus is missing");
    for path in &files {
        let data = std::fs::read(path).expect("read a corpus file");
        eprintln!("{}", path.display());
        test(&data);
    }
}

#[test]
fn the_raw_bytes_corpus_runs_through_the_pipeline() {
    replay("pipeline", |data| {
        pipeline::run(&pipeline::split_files(data));
    });
}

#[test]
fn the_grammar_aware_corpus_runs_through_the_pipeline() {
    use arbitrary::{Arbitrary, Unstructured};
    replay("plans", |data| {
        let Ok(input) = plan_gen::Input::arbitrary_take_rest(Unstructured::new(data)) else {
            return;
        };
        let (root, included) = input.files();
        pipeline::run(&[
            ("plan.tranche", root.as_bytes()),
            ("a.tranche", included.as_bytes()),
        ]);
    });
}

#[test]
fn the_differential_corpus_parses_the_same_both_ways() {
    replay("parse_differential", differential::run);
}

/// The rules of grammar/tranche.pest that never appear in a parse tree of a file, and why; the
/// coverage test below skips exactly these, and fails if this list and the grammar disagree.
const NOT_IN_TREES: &[(&str, &str)] = &[
    // Silent rules (`_{ }`) never produce a pair; each is exercised through the rule named.
    (
        "gap",
        "silent: the spaces and comments between a recurrence's tokens (`recurrence`)",
    ),
    (
        "recover_continuation",
        "silent: the rest of a skipped bad line (`recover`)",
    ),
    (
        "recover_token",
        "silent: a piece of a skipped bad line (`recover`)",
    ),
    (
        "balanced",
        "silent: a `{ }` inside a skipped bad line (`recover`)",
    ),
    (
        "skipped_string",
        "silent: a string inside a skipped bad line (`recover`)",
    ),
    (
        "skipped_comment",
        "silent: a comment inside a skipped bad line (`recover`)",
    ),
    ("rbrace_char", "silent: a stray `}` (`top_recover`)"),
    (
        "line_space",
        "silent: the space inside a duration (`duration_lit`)",
    ),
    (
        "WHITESPACE",
        "silent: skipped between the tokens of every rule",
    ),
    (
        "COMMENT",
        "silent: skipped between the tokens of every rule",
    ),
    (
        "ident_char",
        "silent: the word boundary after every keyword (`kw_*`)",
    ),
    ("quote", "silent: the opening quote of every `string`"),
    ("attr_keyword", "silent: where `recover` stops"),
    // The probes are other entry points: `syntax::lower` parses with them after a bad line to
    // learn what was expected, so they never occur inside a `top_item`. Each is `attr` and
    // `rbrace` or `EOI`, all covered through `top_item`.
    ("probe_block", "entry point for error reporting only"),
    ("probe_block_after", "entry point for error reporting only"),
    ("probe_top", "entry point for error reporting only"),
    ("probe_top_after", "entry point for error reporting only"),
];

/// Every rule of grammar/tranche.pest, read from the file itself (so a rule added to the
/// grammar is covered by the test below without editing it), with whether it is silent.
fn grammar_rules() -> Vec<(String, bool)> {
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
        rules.push((name.to_string(), rest.trim_start().starts_with("_{")));
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
    let all = grammar_rules();
    assert!(all.len() > 100, "read only {} rules", all.len());
    // The skip list is exact: every silent rule is in it with its reason, and nothing else
    // but the probes, so no rule is excused from coverage without a reason written down.
    for (name, silent) in &all {
        let listed = NOT_IN_TREES.iter().any(|(n, _)| n == name);
        assert!(
            !*silent || listed,
            "the silent rule `{name}` is not in NOT_IN_TREES: add it with why it is never in a tree"
        );
        assert!(
            *silent || !listed || name.starts_with("probe_"),
            "`{name}` is in NOT_IN_TREES but is no longer silent: it can appear in a tree"
        );
    }
    for (name, _) in NOT_IN_TREES {
        assert!(
            all.iter().any(|(n, _)| n == name),
            "NOT_IN_TREES names `{name}`, which is not in the grammar"
        );
    }
    let rules: Vec<String> = all
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !NOT_IN_TREES.iter().any(|(n, _)| n == name))
        .collect();
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
