//! `tranche fmt` through the real binary: rewriting in place, `--check`, refusing broken files.

use crate::common;

use common::{in_dir, names_in, tranche_in};

const MESSY: &str = "portfolio \"P\" {\nstart 2020-04-01\n      end 2021-03-31\n}\nproject a \"A\" { duration 2 weeks   # two weeks\n}\n";

#[test]
fn check_names_files_that_would_change_and_changes_nothing() {
    let dir = in_dir(&[("plan.tranche", MESSY)]);
    let path = dir.path().join("plan.tranche");
    let run = tranche_in(dir.path(), &["fmt", "--check", "plan.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stdout_has("would reformat plan.tranche");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), MESSY);
}

#[test]
fn fmt_rewrites_then_check_passes() {
    let dir = in_dir(&[("plan.tranche", MESSY)]);
    let path = dir.path().join("plan.tranche");
    let run = tranche_in(dir.path(), &["fmt", "plan.tranche"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let formatted = std::fs::read_to_string(&path).expect("read");
    assert_ne!(formatted, MESSY);
    assert!(
        formatted.contains("# two weeks"),
        "comment kept:\n{formatted}"
    );
    assert!(
        formatted.contains("\n  end 2021-03-31\n"),
        "indented:\n{formatted}"
    );
    let again = tranche_in(dir.path(), &["fmt", "--check", "plan.tranche"]);
    assert_eq!(again.code, 0, "{}", again.transcript());
    // No temporary files are left behind.
    let names = names_in(dir.path());
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn a_file_with_syntax_errors_is_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.tranche");
    let broken = "project a \"A\" {\n  duration\n";
    std::fs::write(&path, broken).expect("write");
    let run = tranche_in(dir.path(), &["fmt", "plan.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stderr_has("E001");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), broken);
}

#[test]
fn a_missing_file_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = tranche_in(dir.path(), &["fmt", "nothing.tranche"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
}
