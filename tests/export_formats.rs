//! Checks of the exports that need no external program. The snapshots of every export of the
//! sample plan are the fixtures tests/fixtures/export/council*.tranche.

/// Issue 16: every CSV tranche writes (schedule, finance in each grouping, export) follows one
/// cell rule, `text::csv_field`, with CRLF line ends: a title or owner a spreadsheet would run as
/// a formula is quoted and prefixed with `'`. Before, the finance CSV had a rule of its own (no
/// defusing, LF ends). Finance rows carry ids, never titles or owners, so there it is the line
/// ends and the absence of any raw hostile text that are checked.
#[test]
fn every_csv_defuses_hostile_titles_and_owners_by_the_one_rule() {
    let plan = r#"portfolio "Hostile" {
  start 2025-04-01
  end 2027-03-31
}
theme t "=HYPERLINK(\"http://x\",\"theme\")"
programme g "@SUM(A1)" {
  project a "=HYPERLINK(\"http://x\",\"y\")" {
    owner "+1"
    theme t
    duration 10 days
    cost capital £10k
    saving £5k per year from finish for 1 year
    milestone live "-2+3" at finish
  }
  project b "	tab-led title" {
    owner "@SUM(1,2)"
    duration 5 days
    after a
  }
  project c "-2+3" {
    owner "	tab-led owner"
    duration 5 days
    after b
  }
}
"#;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    let path = dir.path().join("hostile.tranche");
    std::fs::write(&path, plan).unwrap_or_else(|e| panic!("writing the plan: {e}"));
    let run = |args: &[&str]| -> String {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tranche"))
            .args(args)
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("the tranche binary runs: {e}"));
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("UTF-8 CSV: {e}"))
    };
    let schedule = run(&["schedule", "--format", "csv"]);
    let export = run(&["export", "--format", "csv"]);
    let mut finance = vec![run(&["finance", "--format", "csv"])];
    for by in ["project", "programme", "theme"] {
        finance.push(run(&["finance", "--format", "csv", "--by", by]));
    }

    // Defused: quoted, with a leading `'`, inner quotes doubled.
    let defused = [
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        "\"'@SUM(A1)\"",
        "\"'-2+3\"",
    ];
    for cell in defused {
        assert!(
            schedule.contains(cell),
            "schedule CSV lacks {cell}:\n{schedule}"
        );
    }
    // The export has a row per project, with its owner (and its programme's id, not title).
    for cell in [defused[0], defused[2], "\"'+1\"", "\"'@SUM(1,2)\""] {
        assert!(export.contains(cell), "export CSV lacks {cell}:\n{export}");
    }
    // A leading tab is defused too (OWASP: some spreadsheets skip it and read what follows).
    assert!(schedule.contains(",\"'\ttab-led title\","), "{schedule}");
    assert!(export.contains(",\"'\ttab-led owner\","), "{export}");

    for csv in std::iter::once(&schedule).chain([&export]).chain(&finance) {
        assert!(csv.ends_with("\r\n"), "{csv}");
        assert_eq!(
            csv.matches('\n').count(),
            csv.matches("\r\n").count(),
            "{csv}"
        );
        // No cell anywhere starts with a bare trigger.
        for line in csv.lines() {
            for cell in line.trim_end_matches('\r').split(',') {
                assert!(
                    !cell.starts_with(['=', '+', '@']),
                    "undefused cell `{cell}` in:\n{csv}"
                );
            }
        }
    }
}
