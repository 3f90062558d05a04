//! `tranche export` on the tutorial plan, every format, through the real binary: snapshots
//! reviewed by hand (issue 6), and `-o` writing the same bytes to a file.

use crate::common;

use common::tranche;

fn export(format: &str) -> String {
    let run = tranche(&["export", "portfolios/tutorial.tranche", "--format", format]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    run.stdout
}

/// Each format's export of the tutorial, snapshotted as `tutorial_as_FORMAT`.
#[test]
fn tutorial_in_every_format() {
    for format in ["mspdi", "mermaid", "dot", "csv", "ical"] {
        insta::assert_snapshot!(format!("tutorial_as_{format}"), export(format));
    }
}

#[test]
fn output_file_holds_what_stdout_shows() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("plan.ics");
    let run = tranche(&[
        "export",
        "portfolios/tutorial.tranche",
        "--format",
        "ical",
        "-o",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(&out).expect("the file was written");
    assert_eq!(written, export("ical"));
    assert!(written.contains("\r\n"), "iCalendar lines end CRLF");
}

#[test]
fn a_plan_with_errors_exports_nothing() {
    let (dir, plan) = common::file_in_dir(
        "bad.tranche",
        "portfolio \"P\" {\n  start 2021-04-01\n  end 2022-03-31\n}\nproject a \"A\" {\n  duration 2 weeks\n  after b\n}\n",
    );
    let out = dir.path().join("out.xml");
    let run = tranche(&[
        "export",
        plan.to_str().expect("a UTF-8 path"),
        "--format",
        "mspdi",
        "-o",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("E020"), "{}", run.transcript());
    assert!(!out.exists(), "no file is written for a plan with errors");
}
