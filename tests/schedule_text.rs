//! Plans written in the language, scheduled by the real binary: the hand-worked answers of
//! tests/schedule_textbook.rs again, end to end (parse, validate, graph, schedule, report).

use std::process::Command;

fn tranche(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const EASTER: &str = r#"portfolio "Easter 2021" {
  start 2021-03-29
  end 2021-12-31
}

project a "Discovery" {
  duration 5 days
  milestone done "Discovery done" at finish
}

project b "Alpha" {
  duration 3 days
  after a
}

project c "Beta" {
  duration 1 day
  after b + 2 days
  deadline 2021-04-13
}
"#;

#[test]
fn a_written_plan_schedules_as_worked_by_hand() {
    // As in the textbook test: a Mar 29 - Apr 6 (Good Friday and Easter Monday closed), b
    // Apr 7-9, c FS b + 2 days: Wed Apr 14, one working day after its deadline.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("plan.tranche"), EASTER).expect("write plan");
    let (code, stdout, stderr) = tranche(
        dir.path(),
        &["schedule", "plan.tranche", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("json ({e}); exit {code}; stderr:\n{stderr}\nstdout:\n{stdout}")
    });
    let item = |id: &str| {
        json["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["id"] == id))
            .unwrap_or_else(|| panic!("no `{id}` in {json}"))
            .clone()
    };
    assert_eq!(item("a")["start"], "2021-03-29");
    assert_eq!(item("a")["finish"], "2021-04-06");
    assert_eq!(item("done")["finish"], "2021-04-06");
    assert_eq!(item("b")["start"], "2021-04-07");
    assert_eq!(item("c")["start"], "2021-04-14");
    assert_eq!(item("c")["total_float_days"], -1);
    assert_eq!(json["critical_path"], serde_json::json!(["a", "b", "c"]));
    // The missed deadline is reported on stderr with its code.
    assert!(stderr.contains("E070"), "stderr:\n{stderr}");

    let (code, stdout, stderr) = tranche(dir.path(), &["explain", "plan.tranche", "a.done"]);
    assert_eq!(code, 0, "stderr:\n{stderr}");
    assert!(
        stdout.starts_with("`done` starts 2021-04-06 and finishes 2021-04-06\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`done` (2021-04-06) is at finish of `a` (2021-03-29 to 2021-04-06)"),
        "{stdout}"
    );
}
