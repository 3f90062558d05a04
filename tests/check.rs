//! `tranche check` on real files through the real binary: every example portfolio checks
//! clean, every failing fixture gives its code, and what users see is under snapshot.

use crate::common;

use common::{plans_under, tranche, tranche_in};

#[test]
fn every_example_portfolio_checks_clean() {
    let plans = plans_under("portfolios");
    assert!(!plans.is_empty(), "portfolios/ has example plans");
    for plan in plans {
        // Included workstream files are checked through the plan that includes them.
        if plan.contains("/workstreams/") {
            continue;
        }
        let run = tranche(&["check", &plan]);
        assert_eq!(
            run.code,
            0,
            "{plan} should check clean:\n{}",
            run.transcript()
        );
        run.assert_stderr_has(" 0 errors");
    }
}

/// Each fixture `err_E0xx_*.tranche` must report its code (and exit 1 for errors); the whole
/// human transcript is snapshotted so a change in wording is reviewed.
#[test]
fn failing_fixtures_report_their_code() {
    insta::glob!("fixtures/check/err_*.tranche", |path| {
        let (rel, code, run) = common::check_fixture("check", path);
        run.assert_stderr_has_for(&rel, &format!("[{code}]"));
        let expected_exit = if code.starts_with('W') { 0 } else { 1 };
        assert_eq!(run.code, expected_exit, "{}", run.transcript());
        insta::assert_snapshot!(run.transcript());
    });
}

#[test]
fn clean_fixtures_check_clean() {
    for plan in plans_under("tests/fixtures/check") {
        let name = plan.rsplit('/').next().unwrap_or_default();
        if !name.starts_with("ok_") {
            continue;
        }
        let run = tranche(&["check", &plan]);
        assert_eq!(run.code, 0, "{plan}:\n{}", run.transcript());
    }
}

/// The one fixture runner (issue 16, "tests as data"): every `.tranche` file under a stage
/// folder of tests/fixtures/ names on its first line the command it is run with, and what the
/// binary says is snapshotted. tests/fixtures/README.md describes the format.
#[test]
fn fixtures_by_stage() {
    // One glob per stage folder that holds fixtures in this format. tests/fixtures/finance/
    // holds plain plans for its own tests, so it is not here.
    for stage in [
        "validate", "schedule", "money", "report", "export", "diff", "raid", "select",
    ] {
        insta::glob!(&format!("fixtures/{stage}/**/*.tranche"), |path| {
            run_fixture(stage, path);
        });
    }
}

/// Runs one fixture by its first line and snapshots the transcript as
/// `check__STAGE@FILE.snap`; a companion file (in a folder named after the fixture that uses
/// it) is skipped.
fn run_fixture(stage: &str, path: &std::path::Path) {
    let dir = path.parent().expect("a fixture is in a folder");
    if is_companion(path) {
        return;
    }
    let text = std::fs::read_to_string(path).expect("a fixture is text");
    let name = common::file_name(path);
    let args = command_of(&text, &name).unwrap_or_else(|| {
        panic!(
            "{}: the first line must be `# tranche COMMAND ...`",
            path.display()
        )
    });
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tranche_in(dir, &args);
    insta::with_settings!({ description => format!("tranche {}", args.join(" ")), omit_expression => true }, {
        insta::assert_snapshot!(stage, run.transcript());
    });
}

/// The arguments on a fixture's first line, `# tranche ARGS...`, split at spaces (no quoting),
/// with `{}` replaced by the fixture's file name, or the file name added last when no
/// argument is `{}`.
fn command_of(text: &str, name: &str) -> Option<Vec<String>> {
    let line = text.lines().next()?;
    let rest = line.strip_prefix("# tranche ")?;
    let mut args: Vec<String> = rest
        .split_whitespace()
        .map(|a| {
            if a == "{}" {
                name.to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    if !rest.split_whitespace().any(|a| a == "{}") {
        args.push(name.to_string());
    }
    Some(args)
}

/// Whether `path` is a file a fixture uses (an included file, the other side of a diff): it
/// lies in a folder `NAME/` beside a fixture `NAME.tranche`.
fn is_companion(path: &std::path::Path) -> bool {
    // Only folders below tests/fixtures/ count, so a folder outside cannot make a fixture a
    // companion by the chance of its name.
    let mut folders = path
        .ancestors()
        .skip(1)
        .take_while(|folder| folder.file_name().is_some_and(|n| n != "fixtures"));
    folders.any(|folder| {
        folder.file_name().is_some_and(|stem| {
            folder
                .with_file_name(format!("{}.tranche", stem.to_string_lossy()))
                .is_file()
        })
    })
}
