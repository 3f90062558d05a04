//! Output is byte-identical across runs and thread counts (issue 10): every command is run
//! twice on the same plans, with a different number of rayon threads and a different locale
//! and time zone, and the bytes compared. Nothing tranche prints may depend on hash-map order,
//! the clock, the locale or how work was split between threads.

use crate::common;

use std::process::Command;

use common::root;

/// Stdout, stderr and exit code of `tranche ARGS` from the repository root.
fn run_with(args: &[&str], threads: &str, locale: &str, tz: &str) -> (i32, Vec<u8>, Vec<u8>) {
    let output = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", threads)
        .env("LANG", locale)
        .env("LC_ALL", locale)
        .env("TZ", tz)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the tranche binary runs");
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        output.stderr,
    )
}

/// Runs `args` twice, in different conditions, and requires the same bytes.
fn assert_deterministic(args: &[&str]) {
    let first = run_with(args, "1", "C", "UTC");
    let second = run_with(args, "2", "de_DE.UTF-8", "Pacific/Auckland");
    assert!(
        matches!(first.0, 0..=2),
        "`tranche {}` exited {}: {}",
        args.join(" "),
        first.0,
        String::from_utf8_lossy(&first.2)
    );
    // `fmt --check` on a formatted file, or `check --format github` on a clean plan, rightly
    // say nothing; every other command shows something.
    let may_be_silent = args.first() == Some(&"fmt") || args.contains(&"github");
    assert!(
        may_be_silent || !first.1.is_empty() || !first.2.is_empty(),
        "`tranche {}` said nothing",
        args.join(" ")
    );
    assert_eq!(
        first.0,
        second.0,
        "exit code of `tranche {}`",
        args.join(" ")
    );
    assert!(
        first.1 == second.1,
        "stdout of `tranche {}` differs between runs",
        args.join(" ")
    );
    assert!(
        first.2 == second.2,
        "stderr of `tranche {}` differs between runs",
        args.join(" ")
    );
}

/// `tranche COMMAND PLAN --format FORMAT EXTRA...` is deterministic for each plan and format.
fn assert_deterministic_formats<P: AsRef<str>>(
    command: &str,
    plans: &[P],
    formats: &[&str],
    extra: &[&str],
) {
    for plan in plans {
        for format in formats {
            assert_deterministic(&[&[command, plan.as_ref(), "--format", format], extra].concat());
        }
    }
}

const PLANS: [&str; 2] = [
    "portfolios/children-and-families.tranche",
    "portfolios/tutorial.tranche",
];

#[test]
fn check_is_deterministic_in_every_format() {
    // The check fixtures between them raise every diagnostic code.
    let mut plans = common::plans_under("tests/fixtures/check");
    plans.extend(PLANS.iter().map(|p| p.to_string()));
    assert!(plans.len() > 10, "the check fixtures are missing");
    assert_deterministic_formats("check", &plans, &["human", "json", "github"], &[]);
}

#[test]
fn schedule_is_deterministic_in_every_format() {
    for extra in [&[][..], &["--critical"]] {
        assert_deterministic_formats("schedule", &PLANS, &["table", "json", "csv"], extra);
    }
}

#[test]
fn explain_is_deterministic() {
    assert_deterministic(&["explain", PLANS[0], "practice-hub"]);
    assert_deterministic(&["explain", PLANS[1], "kiosks"]);
    assert_deterministic(&["explain", PLANS[1], "online"]);
}

#[test]
fn finance_is_deterministic_in_every_format_and_grouping() {
    let formats = ["table", "json", "csv"];
    assert_deterministic_formats("finance", &PLANS, &formats, &[]);
    for by in ["project", "programme", "theme"] {
        assert_deterministic_formats("finance", &PLANS, &formats, &["--by", by]);
    }
    for plan in PLANS {
        assert_deterministic(&["finance", plan, "--monthly", "--by", "project"]);
    }
}

#[test]
fn report_is_deterministic_in_every_format() {
    assert_deterministic_formats("report", &PLANS, &["md", "html", "json"], &[]);
}

#[test]
fn risk_is_deterministic_across_thread_counts() {
    // run_with gives the first run one rayon thread and the second two.
    assert_deterministic_formats(
        "risk",
        &PLANS,
        &["table", "md", "json"],
        &["--iterations", "2000"],
    );
}

#[test]
fn fmt_check_is_deterministic() {
    for plan in PLANS {
        assert_deterministic(&["fmt", "--check", plan]);
    }
}
