//! Issue 25: plans from anyone's pull request. An include cannot hang the run, and a refusal
//! says nothing about the machine outside the plan's folder.

use crate::common;

const PLAN: &str = "portfolio \"P\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n";

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write plan");
}

/// An include of a named pipe inside the folder is refused at once: opening it for reading
/// would wait for a writer for ever.
#[cfg(unix)]
#[test]
fn an_include_of_a_named_pipe_is_refused_not_waited_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipe = dir.path().join("pipe.tranche");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    write(
        dir.path(),
        "plan.tranche",
        &format!("{PLAN}include \"pipe.tranche\"\n"),
    );
    // The test binary's own timeout is the guard: before the fix this never returned.
    let run = common::tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stderr_has("cannot read included file `pipe.tranche`: it is not a regular file");
}

/// E003 for a path outside the folder says only that: not where it leads, nor whether a file
/// is there (the same words for a file that exists and one that does not).
#[test]
fn an_outside_include_reveals_neither_its_target_nor_whether_it_exists() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plans = dir.path().join("plans");
    std::fs::create_dir(&plans).expect("folder");
    write(
        dir.path(),
        "secret.tranche",
        "project s \"S\" { duration 1 day }\n",
    );
    let message = |include: &str| -> String {
        write(
            &plans,
            "plan.tranche",
            &format!("{PLAN}include \"{include}\"\n"),
        );
        let run = common::tranche_in(&plans, &["check", "plan.tranche"]);
        assert_eq!(run.code, 1, "{}", run.transcript());
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with("error[E003]"))
            .unwrap_or_else(|| panic!("E003 in {}", run.stderr))
            .to_string();
        // Nothing from the machine: no resolved path outside the plan's folder.
        let outside = dir.path().canonicalize().expect("canonical").join("secret");
        assert!(
            !run.stderr.contains(&*outside.to_string_lossy()),
            "{}",
            run.stderr
        );
        line.replace(include, "X")
    };
    let exists = message("../secret.tranche");
    let absent = message("../no-such-file.tranche");
    assert_eq!(exists, absent);
    assert!(
        exists.contains("is outside the portfolio folder"),
        "{exists}"
    );
    let absolute = message("/etc/hostname");
    assert!(
        absolute.contains("is outside the portfolio folder"),
        "{absolute}"
    );
    assert!(!absolute.contains("no such file"), "{absolute}");
}

/// Control characters in text (a title that clears the terminal's line and retitles its
/// window) are refused where they are written, in every kind of text, so no output has to
/// escape them; a tab is text.
#[test]
fn control_characters_in_text_are_refused_where_they_are_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = "portfolio \"P\u{1b}[2K\u{1b}]0;pwned\u{7}\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n\
                calendar c {\n  closed 2024-12-24 \"Shut\u{7f}\"\n}\n\
                project a \"Tab\there is fine\" {\n  owner \"x\u{9b}y\"\n  description \"\u{1}\"\n  duration 1 week\n}\n";
    write(dir.path(), "plan.tranche", plan);
    let check = common::tranche_in(dir.path(), &["check", "plan.tranche"]);
    assert_eq!(check.code, 1, "{}", check.transcript());
    let found: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with("error[E001]: a control character"))
        .collect();
    assert_eq!(
        found,
        [
            "error[E001]: a control character (U+001B) in text",
            "error[E001]: a control character (U+001B) in text",
            "error[E001]: a control character (U+0007) in text",
            "error[E001]: a control character (U+007F) in text",
            "error[E001]: a control character (U+009B) in text",
            "error[E001]: a control character (U+0001) in text",
        ],
        "{}",
        check.stderr
    );
    // (A NUL makes the whole file binary, E002, before it is parsed.) Nothing raw reaches the terminal, and no command shows the plan.
    assert!(!check.stderr.contains('\u{1b}'), "{:?}", check.stderr);
    let schedule = common::tranche_in(dir.path(), &["schedule", "plan.tranche"]);
    assert_eq!(schedule.code, 1, "{}", schedule.transcript());
    assert!(schedule.stdout.is_empty(), "{}", schedule.stdout);
    // A tab alone is text.
    write(
        dir.path(),
        "tab.tranche",
        "portfolio \"P\" {\n  start 2024-04-01\n  end 2025-03-31\n}\nproject a \"Tab\there\" {\n  duration 1 week\n}\n",
    );
    let tab = common::tranche_in(dir.path(), &["check", "tab.tranche"]);
    assert_eq!(tab.code, 0, "{}", tab.transcript());
}
