//! The exports checked by the programs that read them (issue 6): Graphviz renders the DOT,
//! mermaid-cli (driving Debian's chromium) renders the Mermaid gantt, and the `icalendar`
//! PyPI package parses the iCalendar. Each test prints why it skipped when its program is
//! not installed; .ci/run installs them all (see docs/interop.md).

use crate::common;
use crate::export_support;

/// The example plans, exported through the binary.
fn example_exports(format: &str) -> Vec<(String, String)> {
    [
        "portfolios/tutorial.tranche",
        "portfolios/children-and-families.tranche",
    ]
    .into_iter()
    .map(|plan| {
        let run = common::tranche(&["export", plan, "--format", format]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        (plan.to_string(), run.stdout)
    })
    .collect()
}

use std::path::Path;

use export_support::*;
use tranche::export::Format;

#[test]
fn graphviz_renders_the_dot_export() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("plan.dot"),
        exported(&sample(), Format::Dot),
    )
    .expect("write the export");
    let Some(output) = run_tool("dot", &["-Tsvg", "plan.dot"], dir.path()) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "dot refused the export:\n{stderr}");
    // Graphviz warns on stderr about what it could not lay out (an unknown cluster in
    // `ltail`, a bad attribute); the export must cause none.
    assert!(stderr.trim().is_empty(), "dot warned:\n{stderr}");
    let svg = String::from_utf8_lossy(&output.stdout);
    assert!(svg.contains("<svg"), "dot wrote no SVG");
    // The programmes' clusters (one inside the other) and a milestone, by title.
    for title in ["Front door", "Early help", "Case system live"] {
        assert!(svg.contains(title), "the drawing lacks `{title}`");
    }
}

#[test]
fn mermaid_cli_renders_the_gantt_export() {
    let interop = interop_dir();
    let mmdc = interop.join("node_modules/.bin/mmdc");
    if !mmdc.exists() {
        println!("skipped: mermaid-cli is not installed (`npm ci` in tests/interop)");
        return;
    }
    if !Path::new("/usr/bin/chromium").exists() {
        println!("skipped: Debian's chromium is not installed (`apt-get install chromium`)");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("plan.mmd");
    let svg = dir.path().join("plan.svg");
    std::fs::write(&input, exported(&sample(), Format::Mermaid)).expect("write the export");
    let config = interop.join("puppeteer-config.json");
    // mermaid-cli draws `input` as `svg`, in the chromium puppeteer-config.json names.
    let draw = || {
        std::process::Command::new(&mmdc)
            .args(["--quiet", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(&svg)
            .arg("--puppeteerConfigFile")
            .arg(&config)
            .env("PUPPETEER_SKIP_DOWNLOAD", "1")
            .output()
            .expect("mermaid-cli runs")
    };
    let output = draw();
    assert!(
        output.status.success(),
        "mermaid-cli refused the export:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let drawing = std::fs::read_to_string(&svg).expect("mermaid-cli wrote an SVG");
    // Every task is drawn, and tranche's critical milestone is marked critical.
    for title in [
        "Case system live",
        "Online multi-agency referral form",
        "Early help ready",
    ] {
        assert!(drawing.contains(title), "the gantt lacks `{title}`");
    }
    assert!(drawing.contains("crit"), "no critical task in the gantt");
    for (plan, gantt) in example_exports("mermaid") {
        std::fs::write(&input, gantt).expect("write the export");
        let output = draw();
        common::assert_ran(
            &output,
            &format!("mermaid-cli refused the export of {plan}"),
        );
    }
}

#[test]
fn icalendar_parses_the_ical_export() {
    let plan = sample();
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("plan.ics"), exported(&plan, Format::Ical))
        .expect("write the export");
    let Some(events) = python_checker("ical_check.py", "plan.ics", dir.path(), "icalendar") else {
        return;
    };
    let events = events.as_array().expect("a list of events");
    assert_eq!(events.len(), plan.portfolio.milestones.len());
    let analysis = &plan.analysis;
    for (m, t) in plan
        .portfolio
        .milestones
        .iter()
        .zip(&analysis.schedule.milestones)
    {
        let event = events
            .iter()
            .find(|e| {
                e["uid"]
                    .as_str()
                    .is_some_and(|u| u.starts_with(&format!("{}@", m.id)))
            })
            .unwrap_or_else(|| panic!("no event for `{}`", m.id));
        assert_eq!(event["summary"], m.title.as_str());
        assert_eq!(event["start"], t.finish.to_string());
    }
    for (plan, ical) in example_exports("ical") {
        std::fs::write(dir.path().join("plan.ics"), ical).expect("write the export");
        let events = python_checker("ical_check.py", "plan.ics", dir.path(), "icalendar");
        assert!(
            events.is_some(),
            "python3 and icalendar ran before, on {plan}"
        );
    }
}

/// Issue 18: the workbook read back by an independent reader (openpyxl), its `SUM` totals
/// recomputed there, equals `tranche finance --format json` to the penny: every year, every
/// project, the totals, the targets; and every project's dates equal `tranche schedule`'s.
#[test]
fn openpyxl_reads_the_workbook_back_to_the_penny() {
    for plan in [
        "portfolios/tutorial.tranche",
        "portfolios/children-and-families.tranche",
    ] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let book = dir.path().join("plan.xlsx");
        let book_path = book.to_string_lossy().into_owned();
        let run = common::tranche(&["export", plan, "--format", "xlsx", "-o", &book_path]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        let Some(read) = python_checker("xlsx_read.py", "plan.xlsx", dir.path(), "openpyxl") else {
            return;
        };
        assert_eq!(
            read["sheets"],
            serde_json::json!([
                "Schedule",
                "Milestones",
                "Finance",
                "Targets",
                "Diagnostics"
            ])
        );
        for sheet in [
            "Schedule",
            "Milestones",
            "Finance",
            "Targets",
            "Diagnostics",
        ] {
            assert_eq!(
                read["frozen"][sheet], "A2",
                "{sheet}: the header row is frozen"
            );
        }
        let json = |args: &[&str]| -> serde_json::Value {
            let run = common::tranche(args);
            serde_json::from_str(&run.stdout).expect("JSON")
        };
        let columns = [
            ("capital", "capital"),
            ("optimism bias", "optimism_bias"),
            ("revenue", "revenue"),
            ("savings", "savings"),
            ("benefits", "benefits"),
            ("net cashable", "net_cashable"),
        ];
        let by_year = json(&["finance", plan, "--format", "json"]);
        let portfolio = &by_year["groups"][0];
        for (i, label) in by_year["periods"]
            .as_array()
            .expect("periods")
            .iter()
            .enumerate()
        {
            let label = label.as_str().expect("a year");
            for (sheet, field) in columns {
                assert_eq!(
                    read["years"][label][sheet], portfolio["periods"][i][field],
                    "{plan} {label} {sheet}"
                );
            }
        }
        for (sheet, field) in columns {
            assert_eq!(
                read["year_totals"][sheet], portfolio["total"][field],
                "{plan} {sheet}"
            );
            assert_eq!(
                read["project_totals"][sheet], portfolio["total"][field],
                "{plan} {sheet}"
            );
        }
        let by_project = json(&["finance", plan, "--format", "json", "--by", "project"]);
        for group in by_project["groups"].as_array().expect("groups") {
            if group["kind"] != "project" {
                continue;
            }
            let id = group["id"].as_str().expect("an id");
            for (sheet, field) in columns {
                assert_eq!(
                    read["projects"][id][sheet], group["total"][field],
                    "{plan} {id} {sheet}"
                );
            }
        }
        let targets: Vec<serde_json::Value> = by_year["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .map(|c| {
                let kind = c["kind"].as_str().unwrap_or_default().replace('-', " ");
                serde_json::json!([kind, c["year_label"], c["limit"], c["actual"], c["met"]])
            })
            .collect();
        assert_eq!(read["targets"], serde_json::Value::Array(targets), "{plan}");
        let schedule = json(&["schedule", plan, "--format", "json"]);
        for item in schedule["items"].as_array().expect("items") {
            if item["kind"] != "project" {
                continue;
            }
            let id = item["id"].as_str().expect("an id");
            assert_eq!(
                read["schedule"][id],
                serde_json::json!(["project", item["start"], item["finish"]]),
                "{plan} {id}"
            );
        }
    }
}

/// The same plan gives the same workbook, byte for byte (its creation date is the plan's as-of
/// date, not the clock).
#[test]
fn the_workbook_is_the_same_bytes_every_time() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut books = Vec::new();
    for name in ["a.xlsx", "b.xlsx"] {
        let path = dir.path().join(name).to_string_lossy().into_owned();
        let run = common::tranche(&[
            "export",
            "portfolios/children-and-families.tranche",
            "--format",
            "xlsx",
            "-o",
            &path,
        ]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        books.push(std::fs::read(&path).expect("the workbook"));
    }
    assert!(books[0].starts_with(b"PK"), "a zip file");
    assert_eq!(books[0], books[1]);
}

/// Runs the checker `script` of tests/interop on `file` in `dir` and returns the JSON it printed;
/// `None` (saying why) when python3 or the package it needs (`package`) is missing. A checker
/// that finds the file wrong fails the test with what it said.
fn python_checker(
    script: &str,
    file: &str,
    dir: &Path,
    package: &str,
) -> Option<serde_json::Value> {
    let script = interop_dir().join(script);
    let output = run_tool(
        "python3",
        &[script.to_str().expect("a UTF-8 path"), file],
        dir,
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match output.status.code() {
        Some(0) => Some(serde_json::from_str(&stdout).expect("the checker prints JSON")),
        Some(2) => {
            println!("skipped: the {package} package is not installed\n{stdout}");
            None
        }
        _ => panic!(
            "{file} is not valid:\n{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}
