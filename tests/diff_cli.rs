//! `tranche diff` (issue 7) on pairs of plans through the real binary: a slipped project, a
//! changed dependency that moves the critical path, a removed saving that misses a target, a
//! rename; each gate's exit code; a plan against itself; the old version read from git.

use crate::common;

use common::{tranche, tranche_in};

const BASE: &str = "tests/fixtures/diff/base.tranche";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/diff/{name}.tranche")
}

#[test]
fn a_plan_against_itself_reports_nothing_and_exits_0() {
    for format in ["table", "md", "json"] {
        let run = tranche(&[
            "diff",
            BASE,
            BASE,
            "--format",
            format,
            "--fail-on",
            "finish-slip",
            "--fail-on",
            "target-missed",
            "--max-slip",
            "0",
        ]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        insta::assert_snapshot!(format!("itself_{format}"), run.stdout);
    }
}

#[test]
fn a_slipped_project_shows_its_moves() {
    let run = tranche(&["diff", BASE, &fixture("slipped")]);
    assert_eq!(run.code, 0, "no gate set: {}", run.transcript());
    assert!(
        run.stdout
            .contains("platform  2024-05-30 -> 2024-05-30  0      2024-11-14 -> 2025-02-11  +60"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_changed_dependency_moves_the_critical_path() {
    let run = tranche(&["diff", BASE, &fixture("dependency"), "--format", "md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("| critical path | `discovery` > `platform` > `training` | `discovery` > `platform` > `portal` > `training` |"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_removed_saving_misses_a_target() {
    let run = tranche(&["diff", BASE, &fixture("saving-removed"), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let target = &json["targets"][0];
    assert_eq!(target["year"], "2025/26");
    assert_eq!(target["met_before"], true);
    assert_eq!(target["met_after"], false);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_rename_is_not_a_removal_and_an_addition() {
    let run = tranche(&["diff", BASE, &fixture("renamed"), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["renamed"][0]["from"], "portal");
    assert_eq!(json["renamed"][0]["to"], "resident-portal");
    assert_eq!(json["added"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["removed"].as_array().map(Vec::len), Some(0));
    // `training` still depends on the same work under its new name.
    assert_eq!(json["dependencies"].as_array().map(Vec::len), Some(0));
}

#[test]
fn gate_finish_slip_exits_1_only_when_the_finish_moves_later() {
    let slipped = tranche(&[
        "diff",
        BASE,
        &fixture("slipped"),
        "--fail-on",
        "finish-slip",
    ]);
    assert_eq!(slipped.code, 1, "{}", slipped.transcript());
    assert!(
        slipped.stderr.contains("gate tripped: finish-slip"),
        "{}",
        slipped.stderr
    );
    // The reverse change brings the finish earlier: no slip.
    let earlier = tranche(&[
        "diff",
        &fixture("slipped"),
        BASE,
        "--fail-on",
        "finish-slip",
    ]);
    assert_eq!(earlier.code, 0, "{}", earlier.transcript());
}

#[test]
fn gate_max_slip_exits_1_beyond_the_limit() {
    let within = tranche(&["diff", BASE, &fixture("slipped"), "--max-slip", "60 days"]);
    assert_eq!(within.code, 0, "{}", within.transcript());
    let beyond = tranche(&["diff", BASE, &fixture("slipped"), "--max-slip", "59"]);
    assert_eq!(beyond.code, 1, "{}", beyond.transcript());
    assert!(
        beyond
            .stderr
            .contains("`platform` finishes 60 working days later"),
        "{}",
        beyond.stderr
    );
}

#[test]
fn gate_target_missed_exits_1_when_a_target_is_newly_missed() {
    let missed = tranche(&[
        "diff",
        BASE,
        &fixture("saving-removed"),
        "--fail-on",
        "target-missed",
    ]);
    assert_eq!(missed.code, 1, "{}", missed.transcript());
    assert!(
        missed
            .stderr
            .contains("gate tripped: target-missed: savings in 2025/26"),
        "{}",
        missed.stderr
    );
    // Putting the saving back meets the target again: that is good news, not a failure.
    let met = tranche(&[
        "diff",
        &fixture("saving-removed"),
        BASE,
        "--fail-on",
        "target-missed",
    ]);
    assert_eq!(met.code, 0, "{}", met.transcript());
}

#[test]
fn unreadable_plans_exit_2() {
    let run = tranche(&["diff", BASE, "tests/fixtures/diff/no-such-plan.tranche"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
}

#[test]
fn the_old_version_comes_from_git_with_its_includes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    std::fs::create_dir(dir.path().join("plans")).expect("mkdir");
    let main =
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n}\n\ninclude \"work.tranche\"\n";
    std::fs::write(dir.path().join("plans/plan.tranche"), main).expect("write");
    std::fs::write(
        dir.path().join("plans/work.tranche"),
        "project build \"Build\" {\n  duration 1 month\n}\n",
    )
    .expect("write");
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "plan"]);
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
    assert!(run.stdout.contains("build"), "{}", run.stdout);
    assert!(run.stdout.contains("+20"), "{}", run.stdout);
    let missing = tranche_in(
        dir.path(),
        &["diff", "--git", "no-such-rev", "plans/plan.tranche"],
    );
    assert_eq!(missing.code, 2, "{}", missing.transcript());
}

#[test]
fn projects_that_only_lost_float_are_not_counted_as_moved() {
    // Back from the slip: `platform` and `training` finish earlier, and `portal`, whose dates
    // stay put, has 60 working days less float.
    let run = tranche(&["diff", &fixture("slipped"), BASE]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("; 2 projects moved, 1 lost float."),
        "{}",
        run.stdout
    );
    let (moved, float) = run
        .stdout
        .split_once("Float changed, dates unchanged (working days)")
        .expect("a float section");
    assert!(!moved.contains("portal"), "{}", run.stdout);
    assert!(float.contains("portal   120 -> 60  -60"), "{}", run.stdout);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_deadline_newly_missed_is_said_in_words_and_can_gate() {
    let base = fixture("deadline");
    let missed = fixture("deadline-missed");
    let run = tranche(&["diff", &base, &missed, "--format", "md"]);
    assert_eq!(run.code, 0, "no gate set: {}", run.transcript());
    let sentence = "`training` now misses its deadline 2025-01-31 by 27 working days";
    assert!(
        run.stdout
            .lines()
            .nth(2)
            .is_some_and(|l| l.contains(sentence)),
        "the headline says it: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("| project | `training` | 2025-01-31 | 2025-03-11 | 27 |"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);

    let json = tranche(&["diff", &base, &missed, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let d = &json["deadlines_missed"][0];
    assert_eq!(d["kind"], "project");
    assert_eq!(d["id"], "training");
    assert_eq!(d["deadline"], "2025-01-31");
    assert_eq!(d["finish"], "2025-03-11");
    assert_eq!(d["late_days"], 27);

    let gated = tranche(&["diff", &base, &missed, "--fail-on", "deadline-missed"]);
    assert_eq!(gated.code, 1, "{}", gated.transcript());
    assert!(
        gated
            .stderr
            .contains(&format!("gate tripped: deadline-missed: {sentence}")),
        "{}",
        gated.stderr
    );
    // Meeting the deadline again, or missing one that was already missed, trips nothing.
    for (old, new) in [(&missed, &base), (&missed, &missed)] {
        let run = tranche(&["diff", old, new, "--fail-on", "deadline-missed"]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(
            !run.stdout.contains("misses its deadline"),
            "{}",
            run.stdout
        );
    }
}

/// Runs git in `dir` with a throwaway identity, and fails the test if git does.
fn git_in(dir: &std::path::Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
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

    let run = tranche_in(
        dir.path(),
        &[
            "diff",
            "--git",
            "HEAD~1",
            "plans/plan.tranche",
            "--format",
            "md",
            "--fail-on",
            "finish-slip",
        ],
    );
    assert_eq!(
        run.code,
        0,
        "a new plan has not slipped: {}",
        run.transcript()
    );
    assert!(
        run.stdout.contains(
            "`plans/plan.tranche` does not exist at `HEAD~1`: the plan is new, and everything in it is added."
        ),
        "{}",
        run.stdout
    );
    // The title's `|` is still escaped in the Markdown table.
    assert!(
        run.stdout.contains("| project | `build` | Build \\| run |"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
    let json = tranche_in(
        dir.path(),
        &[
            "diff",
            "--git",
            "HEAD~1",
            "plans/plan.tranche",
            "--format",
            "json",
        ],
    );
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
        assert!(
            bad.stderr
                .contains(&format!("error: unknown revision `{rev}`")),
            "{}",
            bad.stderr
        );
        assert!(!dir.path().join("stolen").exists());
    }
}
