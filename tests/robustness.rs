//! No input makes tranche panic (issue 2): odd encodings and layouts, deep nesting, huge files
//! and random bytes all end in a clean result or a clear diagnostic, never a crash.

use crate::common;

use common::{Run, in_dir, tranche_in};

/// Writes `bytes` as a plan in a fresh directory and checks it.
fn check_bytes(bytes: &[u8]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("plan.tranche"), bytes).expect("write plan");
    tranche_in(dir.path(), &["check", "plan.tranche"])
}

fn assert_no_crash(run: &Run, what: &str) {
    assert!(
        matches!(run.code, 0..=2),
        "{what}: exit code {} means a crash\n{}",
        run.code,
        run.transcript()
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
}

const SMALL: &str = "portfolio \"P\" {\n  start 2020-04-01\n  end 2021-03-31\n}\n\nproject a \"A\" {\n  duration 2 weeks\n}\n";

#[test]
fn an_empty_file_says_the_portfolio_block_is_missing() {
    let run = check_bytes(b"");
    assert_no_crash(&run, "empty");
    assert_eq!(run.code, 1);
    run.assert_stderr_has("E010");
}

#[test]
fn comments_only_is_a_missing_portfolio_not_a_crash() {
    let run = check_bytes(b"# just a comment\n# and another\n");
    assert_no_crash(&run, "comments only");
    run.assert_stderr_has("E010");
}

#[test]
fn a_byte_order_mark_crlf_and_tabs_are_accepted() {
    let mut text = String::from("\u{feff}");
    text.push_str(&SMALL.replace('\n', "\r\n").replace("  ", "\t"));
    let run = check_bytes(text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn non_ascii_in_strings_is_kept_and_columns_stay_right() {
    let text = "portfolio \"Plân £ 🚸\" {\n  start 2020-04-01\n  end 2021-03-31\n}\nproject a \"Café — ünïcode\" {\n  duration 2 weeks\n  owner \"Zoë\" after nothing-here\n}\n";
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "non-ascii");
    run.assert_stderr_has("plan.tranche:7:");
}

#[test]
fn ten_thousand_nested_programmes_give_a_clear_error() {
    let mut text = String::from("portfolio \"P\" {\n  start 2020-04-01\n  end 2021-03-31\n}\n");
    for i in 0..10_000 {
        text.push_str(&format!("programme p{i} {{\n"));
    }
    text.push_str("project a { duration 1 day }\n");
    for _ in 0..10_000 {
        text.push_str("}\n");
    }
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "deep nesting");
    assert_eq!(run.code, 1);
    run.assert_stderr_has("E005");
}

#[test]
fn random_bytes_never_crash() {
    // A fixed linear congruential generator: the same "random" files on every run.
    let mut state: u64 = 0x5eed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u8
    };
    for round in 0..20 {
        let len = 1 + (round * 97) % 2000;
        let bytes: Vec<u8> = (0..len).map(|_| next()).collect();
        assert_no_crash(&check_bytes(&bytes), "random bytes");
        // Random printable plan-like text gets past the UTF-8 check into the parser.
        let alphabet = b"portfolio project programme milestone after start of { } \" # \n 2020-04-01 \xc2\xa3 1.5m % ,.+-";
        let text: Vec<u8> = (0..len)
            .map(|_| alphabet[next() as usize % alphabet.len()])
            .collect();
        assert_no_crash(&check_bytes(&text), "random text");
    }
}

#[test]
fn a_fifty_megabyte_plan_is_checked_without_crashing() {
    let mut text = String::with_capacity(52 << 20);
    text.push_str("portfolio \"Big\" {\n  start 2020-04-01\n  end 2030-03-31\n}\n");
    let mut i = 0usize;
    while text.len() < 50 << 20 {
        text.push_str(&format!(
            "project p{i} \"Project number {i} of a very large generated portfolio\" {{\n  duration {} days\n  owner \"Programme office\"\n  description \"generated to test that a fifty megabyte file is handled\"\n}}\n",
            1 + i % 20
        ));
        i += 1;
    }
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "50 MB");
    assert_eq!(
        run.code,
        0,
        "{}",
        &run.transcript()[..run.transcript().len().min(2000)]
    );
}

// --- Limits (issue 10) ---------------------------------------------------------------------

/// A plan of `n` one-line projects with the same small window.
fn plan_of(n: usize, project: impl Fn(usize) -> String) -> String {
    let mut text = String::from("portfolio \"P\" {\n  start 2020-04-01\n  end 2030-03-31\n}\n");
    for i in 0..n {
        text.push_str(&project(i));
    }
    text
}

#[test]
fn dates_outside_1900_to_2200_are_an_error() {
    let text = "portfolio \"P\" {\n  start 1850-04-01\n  end 2299-03-31\n}\nproject a \"A\" { duration 2 days }\n";
    let run = check_bytes(text.as_bytes());
    assert_no_crash(&run, "far dates");
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stderr_has("`1850-04-01` is outside the years 1900 to 2200 that tranche plans in");
    run.assert_stderr_has("`2299-03-31` is outside");
}

#[test]
fn durations_and_lags_past_the_calendar_are_e071_not_a_crash() {
    let text = "portfolio \"P\" {\n  start 2020-04-01\n  end 2030-03-31\n}\nproject a \"A\" { duration 100 years }\nproject b \"B\" {\n  duration 100 years\n  after a + 100 years\n}\n";
    let dir = in_dir(&[("plan.tranche", text)]);
    for command in ["check", "schedule", "finance", "report"] {
        let run = tranche_in(dir.path(), &[command, "plan.tranche"]);
        assert_no_crash(&run, command);
        assert!(
            run.stderr.contains("E071"),
            "{command}: {}",
            run.transcript()
        );
    }
    // Numbers too long for any calendar are refused where they are written.
    let run = check_bytes(
        b"portfolio \"P\" {\n  start 2020-04-01\n  end 2030-03-31\n}\nproject a \"A\" { duration 99999999999999999999999 days }\n",
    );
    assert_no_crash(&run, "huge duration");
    assert_eq!(run.code, 1, "{}", run.transcript());
}

#[test]
fn amounts_over_a_trillion_are_refused() {
    let run = check_bytes(
        b"portfolio \"P\" {\n  start 2020-04-01\n  end 2030-03-31\n}\nproject a \"A\" {\n  duration 2 days\n  cost capital \xc2\xa39223372036854775807bn\n}\n",
    );
    assert_no_crash(&run, "huge amount");
    assert_eq!(run.code, 1);
    run.assert_stderr_has("E051");
}

#[test]
fn maximal_amounts_in_many_projects_never_overflow() {
    // Every amount at the £1 trillion cap, recurring for 180 years, in 400 projects: the sums
    // are far past what pence in an i64 hold, and must saturate, never wrap or panic.
    let mut text = String::from(
        "portfolio \"P\" {\n  start 2020-04-01\n  end 2200-03-31\n  discount-rate 0%\n  target savings \u{a3}1000000m in 2021/22\n  budget capital \u{a3}1000000m in 2021/22\n}\n",
    );
    for i in 0..400 {
        text.push_str(&format!(
            "project p{i} \"P\" {{\n  duration 1 day\n  cost capital \u{a3}1000000m\n  cost revenue \u{a3}1000000m per year from start\n  saving \u{a3}1000000m per year from finish range \u{a3}1 to \u{a3}1000000m\n  benefit \"b\" \u{a3}1000000m per year from start\n  cost one-off \u{a3}1000000m at start\n}}\n"
        ));
    }
    let dir = in_dir(&[("plan.tranche", &text)]);
    for args in [
        &["finance", "plan.tranche"][..],
        &[
            "finance",
            "plan.tranche",
            "--monthly",
            "--by",
            "programme",
            "--format",
            "json",
        ],
        &["report", "plan.tranche", "--format", "json"],
        &["report", "plan.tranche", "--format", "html"],
        &["risk", "plan.tranche", "--iterations", "20"],
    ] {
        let run = tranche_in(dir.path(), args);
        assert_no_crash(&run, &args.join(" "));
        assert_eq!(run.code, 0, "{}", &run.stderr);
        assert!(!run.stdout.is_empty());
    }
}

#[test]
fn ten_thousand_projects_are_scheduled() {
    let text = plan_of(10_000, |i| {
        format!(
            "project p{i} \"P\" {{ duration {} days{} }}\n",
            1 + i % 7,
            if i > 0 {
                format!("\n  after p{}", i / 2)
            } else {
                String::new()
            }
        )
    });
    let dir = in_dir(&[("plan.tranche", &text)]);
    let run = tranche_in(dir.path(), &["schedule", "plan.tranche", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().count(),
        10_001,
        "a header and a row a project"
    );
}

// --- Includes leaving the portfolio folder (issue 10) --------------------------------------

#[cfg(unix)]
#[test]
fn a_symlinked_include_leaving_the_folder_is_refused_unless_allowed() {
    let outside = in_dir(&[(
        "secret.tranche",
        "project s \"Secret\" { duration 1 day }\n",
    )]);
    let dir = in_dir(&[(
        "plan.tranche",
        &format!("{SMALL}include \"work/link.tranche\"\n"),
    )]);
    std::fs::create_dir(dir.path().join("work")).expect("make folder");
    std::os::unix::fs::symlink(
        outside.path().join("secret.tranche"),
        dir.path().join("work/link.tranche"),
    )
    .expect("symlink");

    let refused = tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("error[E003]")
            && refused.stderr.contains("is outside the portfolio folder"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--allow-outside-includes"));

    let allowed = tranche_in(
        dir.path(),
        &["check", "--allow-outside-includes", "plan.tranche"],
    );
    assert_eq!(allowed.code, 0, "{}", allowed.transcript());
    allowed.assert_stderr_has("2 projects");
}

#[test]
fn a_dot_dot_include_leaving_the_folder_is_refused() {
    let dir = in_dir(&[
        (
            "plans/plan.tranche",
            &format!("{SMALL}include \"../shared.tranche\"\n"),
        ),
        ("shared.tranche", "project s \"S\" { duration 1 day }\n"),
    ]);
    let run = tranche_in(dir.path(), &["check", "plans/plan.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stderr_has("outside the portfolio folder");
    let run = tranche_in(
        dir.path(),
        &["schedule", "plans/plan.tranche", "--allow-outside-includes"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("s "),
        "the shared project is scheduled: {}",
        run.stdout
    );
}

// --- Writing files whole or not at all (issue 10) ------------------------------------------

#[test]
fn report_to_an_unwritable_place_is_exit_2_with_a_clear_error() {
    let dir = in_dir(&[("plan.tranche", SMALL)]);
    // A folder that does not exist, and (on Linux) a place nobody may write, even root.
    let mut targets = vec!["no-such-folder/report.html".to_string()];
    if cfg!(target_os = "linux") {
        targets.push("/proc/tranche-report.html".to_string());
    }
    for target in &targets {
        let run = tranche_in(
            dir.path(),
            &["report", "plan.tranche", "--format", "html", "-o", target],
        );
        assert_eq!(run.code, 2, "{}", run.transcript());
        run.assert_stderr_has(&format!("error: cannot write `{target}`"));
        assert!(!run.stderr.contains("panicked"));
    }
}

#[test]
fn a_failed_report_leaves_the_existing_output_untouched() {
    let dir = in_dir(&[
        ("plan.tranche", SMALL),
        ("broken.tranche", "portfolio \"P\" {\n  start 2020-04-01\n"),
        ("report.md", "the previous report\n"),
    ]);
    let run = tranche_in(dir.path(), &["report", "broken.tranche", "-o", "report.md"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let kept = std::fs::read_to_string(dir.path().join("report.md")).expect("read report");
    assert_eq!(kept, "the previous report\n");
    // A good run replaces it whole, and leaves no temporary file behind.
    let run = tranche_in(dir.path(), &["report", "plan.tranche", "-o", "report.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let written = std::fs::read_to_string(dir.path().join("report.md")).expect("read report");
    assert!(written.starts_with('#'), "{written}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "only the plans and the report: {names:?}");
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_untouched() {
    let broken = "portfolio \"P\" {\n  start 2020-04-01\n   end 2021-03-31\nproject a {\n";
    let dir = in_dir(&[("plan.tranche", broken)]);
    let run = tranche_in(dir.path(), &["fmt", "plan.tranche"]);
    assert_no_crash(&run, "fmt broken");
    assert_ne!(run.code, 0, "{}", run.transcript());
    let kept = std::fs::read_to_string(dir.path().join("plan.tranche")).expect("read plan");
    assert_eq!(kept, broken);
}

#[cfg(unix)]
#[test]
fn fmt_of_a_file_in_a_read_only_folder_is_exit_2_when_not_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = in_dir(&[(
        "ro/plan.tranche",
        "portfolio \"P\" {\nstart 2020-04-01\nend 2021-03-31\n}\n",
    )]);
    let ro = dir.path().join("ro");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root may write anywhere: then the folder is not read-only to it and the case is moot.
    let probe = std::fs::write(ro.join("probe"), b"");
    let run = tranche_in(dir.path(), &["fmt", "ro/plan.tranche"]);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    if probe.is_ok() {
        assert_eq!(run.code, 0, "{}", run.transcript());
        return;
    }
    assert_eq!(run.code, 2, "{}", run.transcript());
    run.assert_stderr_has("ro/plan.tranche");
    let kept = std::fs::read_to_string(ro.join("plan.tranche")).expect("read plan");
    assert!(
        kept.starts_with("portfolio \"P\" {\nstart"),
        "untouched: {kept}"
    );
}

// --- Broken pipe (issue 10) ------------------------------------------------------------------

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    // Far more output than a pipe holds, so tranche is still writing when the reader goes.
    let text = plan_of(5_000, |i| {
        format!("project p{i} \"Project {i}\" {{ duration 3 days }}\n")
    });
    let dir = in_dir(&[("plan.tranche", &text)]);
    for args in [
        &["schedule", "plan.tranche"][..],
        &["report", "plan.tranche", "--format", "html"],
        &["finance", "plan.tranche", "--monthly", "--by", "project"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tranche"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tranche");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("read a line");
        assert!(!first.is_empty(), "{args:?} printed nothing");
        // The reader is dropped here, closing the pipe, like `| head -1`.
        let output = child.wait_with_output().expect("wait for tranche");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} should end quietly: {stderr}");
    }
}

/// Issue 10 (hostile inputs): a file that never ends is cut at the size limit, not read until
/// memory runs out. As a root plan it is read (and cut); as an include it is not even read,
/// since an include must be a regular file (issue 25).
#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_is_e006_not_out_of_memory() {
    let dir = in_dir(&[(
        "plan.tranche",
        &format!("{SMALL}include \"zero.tranche\"\n"),
    )]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.tranche")).expect("symlink");
    let run = tranche_in(dir.path(), &["check", "/dev/zero"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    run.assert_stderr_has("E006");
    let run = tranche_in(
        dir.path(),
        &["check", "--allow-outside-includes", "plan.tranche"],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stderr_has(
        "error[E003]: cannot read included file `zero.tranche`: it is not a regular file",
    );
}
