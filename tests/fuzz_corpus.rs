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
