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
    let script = interop_dir().join("ical_check.py");
    let Some(output) = run_tool(
        "python3",
        &[script.to_str().expect("a UTF-8 path"), "plan.ics"],
        dir.path(),
    ) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    match output.status.code() {
        Some(0) => {}
        Some(2) => {
            println!("skipped: the icalendar package is not installed\n{stdout}");
            return;
        }
        _ => panic!(
            "the iCalendar export is not valid:\n{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
    let events: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
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
        let output = run_tool(
            "python3",
            &[script.to_str().expect("a UTF-8 path"), "plan.ics"],
            dir.path(),
        )
        .expect("python3 ran before");
        assert!(
            output.status.success(),
            "the iCalendar export of {plan} is not valid:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}
