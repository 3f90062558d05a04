//! Schedule-quality lints (issue 7) through the real binary: every lint has a fixture that
//! trips it (`trip_W1xx_*.tranche`) and one that does not (`ok_W1xx_*.tranche`); what users
//! see is under snapshot.

use crate::common;

use common::tranche;

#[test]
fn each_lint_trips_on_its_fixture() {
    insta::glob!("fixtures/lint/trip_*.tranche", |path| {
        let (rel, code, run) = common::check_fixture("lint", path);
        run.assert_stderr_has_for(&rel, &format!("warning[{code}]"));
        insta::assert_snapshot!(run.transcript());
    });
}

#[test]
fn each_lint_stays_quiet_on_its_clean_fixture() {
    insta::glob!("fixtures/lint/ok_*.tranche", |path| {
        let (rel, code, run) = common::check_fixture("lint", path);
        assert!(
            !run.stderr.contains(&format!("[{code}]")),
            "{rel} should not report {code}:\n{}",
            run.transcript()
        );
        // Nor anything else: a clean fixture shows the lint quiet, not a different one firing.
        assert!(!run.stderr.contains("warning["), "{}", run.transcript());
        assert_eq!(run.code, 0, "{}", run.transcript());
        insta::assert_snapshot!(run.transcript());
    });
}

#[test]
fn deny_warnings_turns_lints_into_failure() {
    let plan = "tests/fixtures/lint/trip_W104_long_lag.tranche";
    assert_eq!(tranche(&["check", plan]).code, 0);
    let denied = tranche(&["check", "--deny", "warnings", plan]);
    assert_eq!(denied.code, 1, "{}", denied.transcript());
    denied.assert_stderr_has("warning[W104]");
}

#[test]
fn github_format_annotates_lints() {
    let run = tranche(&[
        "check",
        "--format",
        "github",
        "tests/fixtures/lint/trip_W103_lead.tranche",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .starts_with("::warning file=tests/fixtures/lint/trip_W103_lead.tranche"),
        "{}",
        run.stdout
    );
    run.assert_stdout_has("W103");
}

#[test]
fn allow_in_a_project_silences_only_that_project() {
    let dir = common::in_dir(&[(
        "plan.tranche",
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n}\n\
         project a \"A\" {\n  duration 1 month\n}\n\
         project b \"B\" {\n  duration 1 month\n  after a - 1 week\n  allow W103\n}\n\
         project c \"C\" {\n  duration 1 month\n  after b - 1 week\n}\n",
    )]);
    let run = common::tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(
        run.stderr.matches("warning[W103]").count(),
        1,
        "{}",
        run.stderr
    );
    run.assert_stderr_has("`c` has a lead");
}

#[test]
fn unknown_lint_names_and_codes_are_errors() {
    let dir = common::in_dir(&[(
        "plan.tranche",
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n  lint high-flaot 10 days\n  \
         lint long-lag 5%\n  allow W999, E020\n}\n",
    )]);
    let run = common::tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn lint_settings_out_of_place_or_incomplete_say_where_they_belong() {
    let dir = common::in_dir(&[
        (
            "misplaced.tranche",
            "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n}\n\
             programme g \"G\" {\n  allow W101\n  project a \"A\" {\n    duration 1 month\n    \
             lint high-float 3 days\n  }\n}\n",
        ),
        (
            "incomplete.tranche",
            "portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n  allow\n}\n",
        ),
    ]);
    let misplaced = common::tranche_in(dir.path(), &["check", "misplaced.tranche"]);
    assert_eq!(misplaced.code, 1, "{}", misplaced.transcript());
    misplaced.assert_stderr_has("`allow` belongs in the `portfolio` block or a project");
    misplaced.assert_stderr_has("`lint` is not allowed in a project");
    let incomplete = common::tranche_in(dir.path(), &["check", "incomplete.tranche"]);
    assert_eq!(incomplete.code, 1, "{}", incomplete.transcript());
    insta::assert_snapshot!(incomplete.transcript());
}

/// The codes of the warnings `check` gives a plan, one per warning, in the order shown.
fn warning_codes(text: &str) -> Vec<String> {
    let dir = common::in_dir(&[("plan.tranche", text)]);
    let run = common::tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    run.stderr
        .lines()
        .filter_map(|line| line.strip_prefix("warning["))
        .filter_map(|rest| rest.get(..4))
        .map(str::to_string)
        .collect()
}

/// Issue 24: a sound 17-project portfolio in the style of the example, written without any
/// `allow` or `lint` line, passes `check --deny warnings` under the default profile; broken in
/// the ways real plans break (work nothing needs, a lead, a fixed date driving the critical
/// path), it warns about each; and under `lint profile dcma` it is held to a detailed
/// schedule's thresholds.
#[test]
fn a_sound_portfolio_passes_deny_warnings_under_the_default_profile_and_real_mistakes_warn() {
    let path = "tests/fixtures/lint/portfolio/district_adult_care.tranche";
    let plan = std::fs::read_to_string(path).expect("the fixture");
    assert!(
        !plan.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("allow ") || l.starts_with("lint ")
        }),
        "the fixture must not switch lints off"
    );
    assert_eq!(plan.matches("\n  project ").count(), 17);
    let denied = tranche(&["check", "--deny", "warnings", path]);
    assert_eq!(denied.code, 0, "{}", denied.transcript());

    let broken = |from: &str, to: &str| {
        assert!(plan.contains(from), "{from}");
        warning_codes(&plan.replacen(from, to, 1))
    };
    // The decommissioning no longer waits for the migration: nothing needs the migration done.
    assert_eq!(
        broken("    after data-migration\n", ""),
        vec!["W102".to_string()]
    );
    // Reablement rostering planned to start two weeks before the contact centre finishes.
    assert_eq!(
        broken(
            "duration 7 months\n    after contact-centre",
            "duration 7 months\n    after contact-centre - 2 weeks"
        ),
        vec!["W103".to_string()]
    );
    // Cabinet's date moves late enough that care technology finishes the plan: the date, not
    // the logic, drives the critical path.
    assert_eq!(
        broken("on 2025-01-15", "on 2025-12-01"),
        vec!["W106".to_string()]
    );
    // The same plan under DCMA's thresholds: float to the plan's finish, long durations.
    let dcma = broken(
        "  end 2028-03-31\n",
        "  end 2028-03-31\n  lint profile dcma\n",
    );
    for code in ["W104", "W106", "W107", "W109"] {
        assert!(dcma.iter().any(|c| c == code), "{code} in {dcma:?}");
    }
}
