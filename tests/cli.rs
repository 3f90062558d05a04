//! The command line's contract: machine formats hold only their format on stdout, exit codes
//! are 0/1/2 as documented in docs/cli.md, and output is the same bytes every run.

use crate::common;

use common::{root, tranche, tranche_in};

const BAD: &str = "tests/fixtures/check/err_E020_unknown_reference.tranche";

#[test]
fn json_format_is_an_array_with_every_documented_field() {
    let run = tranche(&["check", "--format", "json", BAD]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.is_empty(), "stdout only: {}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let all = value.as_array().expect("an array");
    assert!(!all.is_empty());
    for d in all {
        for field in [
            "code",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "notes",
            "hint",
        ] {
            assert!(d.get(field).is_some(), "missing {field} in {d}");
        }
    }
    assert!(all.iter().any(|d| d["code"] == "E020"));
    assert_eq!(all[0]["file"], BAD);
}

#[test]
fn github_format_is_workflow_commands_only() {
    let run = tranche(&["check", "--format", "github", BAD]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        assert!(line.contains(",line=") && line.contains(",col=") && line.contains(",title=E"));
    }
    assert!(run.stdout.contains(&format!("::error file={BAD},line=")));
}

#[test]
fn clean_plan_in_json_is_an_empty_array() {
    let run = tranche(&["check", "--format", "json", "portfolios/tutorial.tranche"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn a_missing_file_is_exit_2() {
    let run = tranche(&["check", "no/such/plan.tranche"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    run.assert_stderr_has("no/such/plan.tranche");
}

#[test]
fn a_binary_file_is_exit_2_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("plan.tranche"),
        [0x7f, b'E', b'L', b'F', 0, 0, 0xff, 0xfe],
    )
    .expect("write");
    let run = tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    run.assert_stderr_has("E002");
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(tranche(&["check"]).code, 2);
    assert_eq!(tranche(&["no-such-command"]).code, 2);
    assert_eq!(tranche(&["check", "--format", "xml", BAD]).code, 2);
}

#[test]
fn warnings_pass_unless_denied() {
    let plan = "tests/fixtures/check/err_W046_complete_without_finish.tranche";
    assert_eq!(tranche(&["check", plan]).code, 0);
    assert_eq!(tranche(&["check", "--deny", "warnings", plan]).code, 1);
}

#[test]
fn output_is_the_same_bytes_every_run() {
    for args in [
        vec!["check", BAD],
        vec!["check", "--format", "json", BAD],
        vec!["check", "portfolios/children-and-families.tranche"],
    ] {
        let first = tranche(&args);
        let second = tranche(&args);
        assert_eq!(first.transcript(), second.transcript(), "{args:?}");
    }
    let _ = root();
}

#[test]
fn several_files_are_checked_in_one_run() {
    let run = tranche(&["check", "portfolios/tutorial.tranche", BAD]);
    assert_eq!(run.code, 1);
    run.assert_stderr_has("checked 2 plans");
}

#[test]
fn report_writes_its_file_whole_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.html");
    let plan = root().join("portfolios/tutorial.tranche");
    let plan = plan.to_str().expect("utf-8 path");
    let run = tranche_in(
        dir.path(),
        &["report", plan, "--format", "html", "-o", "report.html"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.is_empty(),
        "the report goes to the file, not stdout"
    );
    let html = std::fs::read_to_string(&out).expect("report written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    let names = common::names_in(dir.path());
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}

#[test]
fn an_unwritable_output_is_exit_2_and_a_plan_error_leaves_the_old_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = root().join("portfolios/tutorial.tranche");
    let plan = plan.to_str().expect("utf-8 path");
    let run = tranche_in(dir.path(), &["report", plan, "-o", "no/such/dir/report.md"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    run.assert_stderr_has("cannot write");

    let out = dir.path().join("report.md");
    std::fs::write(&out, "previous report").expect("write");
    let bad = root().join(BAD);
    let run = tranche_in(
        dir.path(),
        &["report", bad.to_str().expect("path"), "-o", "report.md"],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "previous report"
    );
}

/// A plan whose include is missing is not scheduled without it: the commands that show a plan
/// stop with exit 1, as `check` does (found reading the change for issue 10).
#[test]
fn a_missing_include_stops_the_commands_that_show_the_plan() {
    let plan = "tests/fixtures/check/err_E003_missing_include.tranche";
    for command in ["schedule", "finance", "report", "risk"] {
        let run = tranche(&[command, plan]);
        assert_eq!(run.code, 1, "{command}: {}", run.transcript());
        assert!(
            run.stdout.is_empty(),
            "{command} showed a partial plan: {}",
            run.stdout
        );
        assert!(run.stderr.contains("E003"), "{command}: {}", run.stderr);
    }
}
