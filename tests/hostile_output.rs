//! Issue 25, "Other": what tranche writes, where a hostile or careless caller decides where it
//! goes. A reader that closes the pipe early cannot cancel a failing exit, and `-o` or `fmt`
//! never renames over a device or a symlink.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common;

/// A chain of `n` projects, the first lasting `first` weeks: lengthening it moves every one,
/// so the diff is far longer than a pipe's buffer.
fn chain(n: usize, first: u32) -> String {
    let mut plan = String::from("portfolio \"Chain\" {\n  start 2024-04-01\n  end 2099-03-31\n}\n");
    for i in 0..n {
        plan.push_str(&format!("project p{i} \"Project number {i}\" {{\n"));
        if i == 0 {
            plan.push_str(&format!("  duration {first} weeks\n"));
        } else {
            plan.push_str(&format!("  duration 1 week\n  after p{}\n", i - 1));
        }
        plan.push_str("}\n");
    }
    plan
}

/// Runs tranche with its standard output a pipe that is closed before anything is read,
/// as `| head -n 0` would; returns the exit code and standard error.
fn run_with_closed_stdout(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tranche binary runs");
    // Closed at once: the first write that does not fit the pipe (or any write, if this wins
    // the race) fails with a broken pipe.
    drop(child.stdout.take());
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).expect("stderr");
    }
    let status = child.wait().expect("tranche ends");
    (status.code().unwrap_or(-1), stderr)
}

/// `tranche diff old new --fail-on finish-slip --format md | head` under `pipefail`: the gate
/// tripped, so the exit is 1 whoever stopped reading.
#[test]
fn a_closed_pipe_does_not_cancel_a_tripped_gate() {
    let dir = common::in_dir(&[
        ("old.tranche", &chain(3_000, 1)),
        ("new.tranche", &chain(3_000, 3)),
    ]);
    let args = [
        "diff",
        "old.tranche",
        "new.tranche",
        "--fail-on",
        "finish-slip",
        "--format",
        "md",
    ];
    // Read whole, the diff is bigger than any pipe's buffer, and the gate trips.
    let whole = common::tranche_in(dir.path(), &args);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    assert!(whole.stdout.len() > 128 * 1024, "{}", whole.stdout.len());
    let (code, stderr) = run_with_closed_stdout(dir.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("gate tripped: finish-slip"), "{stderr}");
}

/// `check --format github | head`: a plan with errors fails, whoever stopped reading.
#[test]
fn a_closed_pipe_does_not_turn_a_failing_check_into_success() {
    let mut plan = chain(2, 1);
    for i in 0..3_000 {
        plan.push_str(&format!(
            "project q{i} \"Q\" {{\n  duration 1 week\n  after missing{i}\n}}\n"
        ));
    }
    let dir = common::in_dir(&[("plan.tranche", &plan)]);
    let (code, stderr) =
        run_with_closed_stdout(dir.path(), &["check", "--format", "github", "plan.tranche"]);
    assert_eq!(code, 1, "{stderr}");
}

/// `fmt` on a plan that is a symlink formats the file it points to and leaves the link a link.
#[cfg(unix)]
#[test]
fn fmt_writes_through_a_symlinked_plan() {
    let (dir, target) = common::file_in_dir(
        "real.tranche",
        "portfolio   \"P\" {\n start 2024-04-01\n   end 2025-03-31\n}\n",
    );
    std::os::unix::fs::symlink("real.tranche", dir.path().join("plan.tranche")).expect("link");
    let run = common::tranche_in(dir.path(), &["fmt", "plan.tranche"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let link = std::fs::symlink_metadata(dir.path().join("plan.tranche")).expect("link");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let formatted = std::fs::read_to_string(&target).expect("target");
    assert_eq!(
        formatted,
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n"
    );
}

/// `-o /dev/stdout`: the report reaches standard output, and the link is still a link.
#[cfg(unix)]
#[test]
fn output_to_dev_stdout_is_written_through() {
    if !std::path::Path::new("/dev/stdout").exists() {
        return;
    }
    let run = common::tranche(&[
        "report",
        "portfolios/tutorial.tranche",
        "--format",
        "md",
        "-o",
        "/dev/stdout",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.starts_with("# Libraries"), "{}", run.stdout);
    let link = std::fs::symlink_metadata("/dev/stdout").expect("/dev/stdout");
    assert!(link.file_type().is_symlink());
}

/// A title holding U+FFFE or U+FFFF (allowed in a plan, not in XML 1.0) still gives an MSPDI
/// file that an XML parser reads: `tranche import` takes it back, with U+FFFD where they were.
#[test]
fn mspdi_export_writes_only_characters_xml_allows() {
    let dir = common::in_dir(&[(
        "plan.tranche",
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n\
         project a \"Odd \u{FFFE} and \u{FFFF} title\" {\n  duration 1 week\n}\n",
    )]);
    let export = common::tranche_in(
        dir.path(),
        &[
            "export",
            "plan.tranche",
            "--format",
            "mspdi",
            "-o",
            "plan.xml",
        ],
    );
    assert_eq!(export.code, 0, "{}", export.transcript());
    let xml = std::fs::read_to_string(dir.path().join("plan.xml")).expect("xml");
    assert!(!xml.contains(['\u{FFFE}', '\u{FFFF}']));
    let import = common::tranche_in(dir.path(), &["import", "plan.xml"]);
    assert_eq!(import.code, 0, "{}", import.transcript());
    assert!(
        import
            .stdout
            .contains("\"Odd \u{FFFD} and \u{FFFD} title\""),
        "{}",
        import.stdout
    );
}

/// `diff --format md` is posted as a pull-request comment: a title in it cannot mention
/// anyone, embed a tracking image, make a link or write HTML (the one Markdown rule).
#[test]
fn a_markdown_diff_escapes_titles_as_the_markdown_report_does() {
    let head = "portfolio \"P\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n\
                project a \"A\" {\n  duration 1 week\n}\n";
    let new = format!(
        "{head}project b \"@octocat ![x](http://t.example/p.png) [click](http://evil.example) <img src=x onerror=alert(1)> | pipe\" {{\n  duration 1 week\n}}\n"
    );
    let dir = common::in_dir(&[("old.tranche", head), ("new.tranche", &new)]);
    let run = common::tranche_in(
        dir.path(),
        &["diff", "old.tranche", "new.tranche", "--format", "md"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let md = &run.stdout;
    // Every `!`, `[`, `]`, `<`, `>` and `|` of the title is escaped, so nothing is syntax.
    for raw in ["@octocat", " ![", " [click]", " <img", "1)> "] {
        assert!(!md.contains(raw), "`{raw}` reaches the comment:\n{md}");
    }
    assert!(
        md.contains("| project | `b` | @\u{200B}octocat \\!\\[x\\](http://t.example/p.png) \\[click\\](http://evil.example) \\<img src=x onerror=alert(1)\\> \\| pipe |"),
        "{md}"
    );
}
