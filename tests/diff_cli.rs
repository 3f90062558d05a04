//! `tranche diff` (issue 7) through the real binary where a fixture cannot say it: the old
//! version read from git, and the slip limit written in words. What a diff shows for pairs of
//! plans (a slipped project, a changed dependency, a removed saving, a rename, an addition and
//! a removal, a float-only change, a deadline newly missed) and each gate's exit code are the
//! fixtures of the stage folder tests/fixtures/diff/ (run by `fixtures_by_stage` in
//! tests/check.rs).

use crate::common;

use common::{tranche, tranche_in};

#[test]
fn the_slip_limit_may_be_written_in_days() {
    // slipped.tranche moves platform's finish 60 working days; the fixture
    // slipped_beyond_max_slip.tranche shows a limit of 59 tripping.
    let run = tranche(&[
        "diff",
        "tests/fixtures/diff/base.tranche",
        "tests/fixtures/diff/slipped.tranche",
        "--max-slip",
        "60 days",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn the_old_version_comes_from_git_with_its_includes() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("plans")).expect("mkdir");
    let main =
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n}\n\ninclude \"work.tranche\"\n";
    std::fs::write(dir.path().join("plans/plan.tranche"), main).expect("write");
    std::fs::write(
        dir.path().join("plans/work.tranche"),
        "project build \"Build\" {\n  duration 1 month\n}\n",
    )
    .expect("write");
    git_in(dir.path(), &["init", "-q"]);
    git_in(dir.path(), &["add", "."]);
    git_in(dir.path(), &["commit", "-q", "-m", "plan"]);
    // The included file changes in the working tree: the diff must read the old one from git.
    std::fs::write(
        dir.path().join("plans/work.tranche"),
        "project build \"Build\" {\n  duration 2 months\n}\n",
    )
    .expect("write");
    let run = tranche_in(
        dir.path(),
        &[
            "diff",
            "--git",
            "HEAD",
            "plans/plan.tranche",
            "--fail-on",
            "finish-slip",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stdout_has("build");
    run.assert_stdout_has("+20");
    let missing = tranche_in(
        dir.path(),
        &["diff", "--git", "no-such-rev", "plans/plan.tranche"],
    );
    assert_eq!(missing.code, 2, "{}", missing.transcript());
}

/// Runs git in `dir` with a throwaway identity, and fails the test if git does.
fn git_in(dir: &std::path::Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    common::assert_ran(&output, &format!("git {args:?}"));
}

#[test]
fn a_plan_added_since_the_revision_is_new_and_a_bad_revision_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("README"), "plans to come\n").expect("write");
    git_in(dir.path(), &["init", "-q"]);
    git_in(dir.path(), &["add", "."]);
    git_in(dir.path(), &["commit", "-q", "-m", "readme"]);
    std::fs::create_dir(dir.path().join("plans")).expect("mkdir");
    let plan = "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n}\n\n\
                project build \"Build | run\" {\n  duration 1 month\n}\n";
    std::fs::write(dir.path().join("plans/plan.tranche"), plan).expect("write");
    git_in(dir.path(), &["add", "."]);
    git_in(dir.path(), &["commit", "-q", "-m", "plan"]);

    // The plan against the revision before it was added, in `format`.
    let since_before = |format: &str, more: &[&str]| {
        let args = [
            "diff",
            "--git",
            "HEAD~1",
            "plans/plan.tranche",
            "--format",
            format,
        ];
        tranche_in(dir.path(), &[&args[..], more].concat())
    };
    let run = since_before("md", &["--fail-on", "finish-slip"]);
    assert_eq!(
        run.code,
        0,
        "a new plan has not slipped: {}",
        run.transcript()
    );
    run.assert_stdout_has("`plans/plan.tranche` does not exist at `HEAD~1`: the plan is new, and everything in it is added.");
    // The title's `|` is still escaped in the Markdown table.
    run.assert_stdout_has("| project | `build` | Build \\| run |");
    insta::assert_snapshot!(run.stdout);
    let json = since_before("json", &[]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(json["added"][0]["id"], "build");
    assert!(json["note"].as_str().is_some_and(|n| n.contains("is new")));
    assert_eq!(json["finish"], serde_json::Value::Null);

    // A revision that does not exist, or that looks like an option, is named as the problem.
    for rev in ["no-such-rev", "--output=stolen"] {
        let bad = tranche_in(
            dir.path(),
            &["diff", &format!("--git={rev}"), "plans/plan.tranche"],
        );
        assert_eq!(bad.code, 2, "{}", bad.transcript());
        bad.assert_stderr_has(&format!("error: unknown revision `{rev}`"));
        assert!(!dir.path().join("stolen").exists());
    }
}
