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

/// A root plan that is a link from inside the folder tranche was started in to a file outside
/// it is refused before it is read: its text (a credentials file's first line) is never shown,
/// not even as a GitHub annotation. `--allow-outside-includes` lifts it; a plan named outside
/// the folder by its own path is read as before.
#[cfg(unix)]
#[test]
fn a_root_plan_linking_outside_the_working_folder_is_not_read() {
    let outside = tempfile::tempdir().expect("temp dir");
    write(outside.path(), "secret.txt", "secret-token-123\n");
    let repo = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        repo.path().join("plan.tranche"),
    )
    .expect("link");
    let refused = common::tranche_in(
        repo.path(),
        &["check", "--format", "github", "plan.tranche"],
    );
    assert_eq!(refused.code, 2, "{}", refused.transcript());
    assert!(
        !refused.stdout.contains("secret-token"),
        "{}",
        refused.stdout
    );
    assert!(
        !refused.stderr.contains("secret-token"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stdout.contains(
            "`plan.tranche` is a link to a file outside the folder tranche was started in"
        ),
        "{}",
        refused.transcript()
    );
    // Through a linked folder too.
    std::os::unix::fs::symlink(outside.path(), repo.path().join("plans")).expect("link");
    let refused = common::tranche_in(repo.path(), &["check", "plans/secret.txt"]);
    assert_eq!(refused.code, 2, "{}", refused.transcript());
    assert!(
        !refused.stderr.contains("secret-token"),
        "{}",
        refused.stderr
    );
    // Allowed on request, and a plan named by a path outside the folder is read.
    let allowed = common::tranche_in(
        repo.path(),
        &["check", "--allow-outside-includes", "plan.tranche"],
    );
    assert_eq!(allowed.code, 1, "{}", allowed.transcript());
    write(outside.path(), "plan.tranche", PLAN);
    let named = outside.path().join("plan.tranche");
    let named = named.to_string_lossy();
    let elsewhere = common::tranche_in(repo.path(), &["check", &named]);
    assert_eq!(elsewhere.code, 0, "{}", elsewhere.transcript());
}

/// The race of issue 25 (item 8), stopped where it would land: an include is checked by its
/// canonical path and then read; if a folder on that path is swapped for a link to outside in
/// between, or the file itself for a link, the read finds out from the file it opened and
/// refuses. Here the swap has already happened when the read begins.
#[cfg(target_os = "linux")]
#[test]
fn a_folder_swapped_for_a_link_after_the_check_is_not_read_through() {
    use tranche::source::FileSystem;
    let outside = tempfile::tempdir().expect("temp dir");
    write(outside.path(), "work.tranche", "secret\n");
    let repo = tempfile::tempdir().expect("temp dir");
    let folder = repo.path().canonicalize().expect("canonical");
    std::fs::create_dir(folder.join("real")).expect("folder");
    write(
        &folder.join("real"),
        "work.tranche",
        "project a \"A\" { duration 1 day }\n",
    );
    let fs = tranche::cli::StdFs;
    // Before the swap: read.
    let read = fs.read_regular(&folder.join("real/work.tranche"), Some(&folder));
    assert!(read.is_ok(), "{read:?}");
    // The folder is now a link to outside: the same canonical path is refused.
    std::fs::rename(folder.join("real"), folder.join("old")).expect("rename");
    std::os::unix::fs::symlink(outside.path(), folder.join("real")).expect("link");
    let swapped = fs.read_regular(&folder.join("real/work.tranche"), Some(&folder));
    let error = swapped.expect_err("read through a swapped folder");
    assert_eq!(error.to_string(), "it is outside the portfolio folder");
    // The file itself swapped for a link: not followed.
    std::fs::remove_file(folder.join("old/work.tranche")).expect("remove");
    std::os::unix::fs::symlink(
        outside.path().join("work.tranche"),
        folder.join("old/work.tranche"),
    )
    .expect("link");
    let linked = fs.read_regular(&folder.join("old/work.tranche"), Some(&folder));
    assert!(linked.is_err(), "{linked:?}");
    // With --allow-outside-includes (no folder to keep to) the read goes where the path leads.
    let allowed = fs.read_regular(&folder.join("real/work.tranche"), None);
    assert_eq!(allowed.ok().as_deref(), Some(&b"secret\n"[..]));
}

/// Issue 25: every limit docs/limits.md lists is exercised by a test. Each row of its table is
/// named here with the test (or fixture) that exercises it; a row added without one, or a test
/// renamed away, fails here.
#[test]
fn every_limit_in_docs_limits_has_a_test() {
    const TESTED: [(&str, &str); 25] = [
        ("File size", "fn an_endless_file_is_e006_not_out_of_memory"),
        (
            "Text",
            "tests/fixtures/check/err_E002_binary_include.tranche",
        ),
        (
            "Block nesting",
            "fn ten_thousand_nested_programmes_give_a_clear_error",
        ),
        (
            "Include depth",
            "fn include_chains_deeper_than_the_limit_stop_with_e005",
        ),
        (
            "Include cycles",
            "fn a_cycle_names_every_file_on_it_in_order",
        ),
        ("Repeated includes", "fn a_file_included_twice_is_read_once"),
        (
            "Includes outside the portfolio folder",
            "fn an_outside_include_reveals_neither_its_target_nor_whether_it_exists",
        ),
        (
            "Includes that are not files",
            "fn an_include_of_a_named_pipe_is_refused_not_waited_for",
        ),
        (
            "A root plan that links outside",
            "fn a_root_plan_linking_outside_the_working_folder_is_not_read",
        ),
        (
            "Syntax errors in one file",
            "fn a_file_of_errors_stops_after_a_thousand",
        ),
        (
            "Diagnostics shown to a person",
            "fn errors_on_a_very_long_line_show_only_their_part_of_it",
        ),
        (
            "Control characters in text",
            "fn control_characters_in_text_are_refused_where_they_are_written",
        ),
        ("Dates", "fn dates_outside_1900_to_2200_are_an_error"),
        (
            "Durations and lags",
            "fn fractional_days_and_absurd_lengths_are_refused",
        ),
        (
            "Financial periods",
            "fn financial_periods_are_months_or_years_only",
        ),
        (
            "Work past the calendar",
            "fn durations_and_lags_past_the_calendar_are_e071_not_a_crash",
        ),
        ("One amount", "fn amounts_over_a_trillion_are_refused"),
        (
            "Sums of money",
            "fn maximal_amounts_in_many_projects_never_overflow",
        ),
        (
            "Number of items",
            "fn a_plan_over_the_item_limit_is_refused_with_e006",
        ),
        (
            "Percent complete",
            "tests/fixtures/check/err_E045_complete_out_of_range.tranche",
        ),
        ("Risk iterations", "fn no_iterations_is_a_usage_error"),
        (
            "Import: attributes of one XML element",
            "fn an_element_with_very_many_attributes_is_refused_in_linear_time",
        ),
        (
            "Import: outline depth",
            "fn an_outline_deeper_than_a_plan_can_nest_is_refused_at_the_first_task_too_deep",
        ),
        (
            "Import: durations and lags",
            "fn durations_and_lags_longer_than_a_plan_may_hold_are_refused_at_the_element",
        ),
        (
            "Import: dates",
            "fn dates_outside_the_years_tranche_plans_in_are_left_out_with_a_warning_each",
        ),
    ];
    let root = common::root();
    let limits = std::fs::read_to_string(root.join("docs/limits.md")).expect("docs/limits.md");
    let rows: Vec<&str> = limits
        .lines()
        .skip_while(|l| !l.starts_with("| What |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('|').nth(1).map(str::trim))
        .collect();
    for row in &rows {
        assert!(
            TESTED.iter().any(|(what, _)| row.starts_with(what)),
            "docs/limits.md row `{row}` names no test here"
        );
    }
    assert_eq!(rows.len(), TESTED.len(), "{rows:?}");
    // Every named test exists (as a function in src/ or tests/), every fixture as a file.
    let mut sources = String::new();
    let mut folders = vec![root.join("src"), root.join("tests")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                sources.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    for (what, test) in TESTED {
        let found = if test.starts_with("fn ") {
            sources.contains(&format!("{test}("))
        } else {
            root.join(test).exists()
        };
        assert!(found, "`{what}`: `{test}` is gone");
    }
}
