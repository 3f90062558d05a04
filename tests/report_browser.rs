//! The HTML report in a real browser (issue 5): Debian's headless chromium, network off, loads
//! the page; the DOM it built has one Gantt bar per project and one diamond per milestone, the
//! console shows no errors, and a screenshot is taken (kept in target/report-browser/ for people
//! to look at). Skips, saying why, when /usr/bin/chromium is not installed.

use crate::report_common;

use std::path::{Path, PathBuf};

use tranche::report::view::{Report, ReportFormat, render};

use report_common::{assert_one_mark_per_item, chromium, chromium_ready};

/// Console lines in chromium's log. The page has no script, so any console message at all (a
/// CSP refusal is logged as `INFO:CONSOLE`, a script error as `ERROR:CONSOLE` or "Uncaught") is
/// a fault.
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Content Security Policy")
        })
        .collect()
}

#[test]
fn the_console_check_catches_what_chromium_logs() {
    let log = concat!(
        "[1:1:1126/052918.065227:INFO:CONSOLE:1] \"Loading the image 'http://example.invalid/x.png' violates the following Content Security Policy directive: \"img-src data:\". The action has been blocked.\", source: file:///tmp/bad.html (1)\n",
        "[1:1:1126/052918.065300:ERROR:CONSOLE:1] \"Uncaught ReferenceError: f is not defined\", source: file:///tmp/bad.html (1)\n",
        "[1:1:1126/052918.065400:WARNING:sandbox_linux.cc(420)] InitializeSandbox() called with multiple threads in process gpu-process.\n",
    );
    assert_eq!(console_errors(log).len(), 2);
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-browser");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

#[test]
fn chromium_renders_the_gantt_with_no_console_errors() {
    if !chromium_ready() {
        return;
    }
    check_in_browser(&report_common::report(), "report", 2400);
}

/// The example portfolio (37 projects) the same way.
#[test]
fn chromium_renders_the_example_portfolio() {
    if !chromium_ready() {
        return;
    }
    let report = report_common::analysed_report(report_common::EXAMPLE);
    check_in_browser(&report, "example", 4400);
}

/// The example portfolio with its risk section (`--risk`, 500 iterations): the DOM has the
/// S-curve with its P50 and P80 marks and the planned-finish and plan-end lines, one tornado
/// bar per driver, and the console stays quiet.
#[test]
fn chromium_renders_the_risk_section() {
    if !chromium_ready() {
        return;
    }
    let report = report_common::analysed_report_with_risk(report_common::EXAMPLE, 500, 1);
    let dom = check_in_browser(&report, "example-risk", 7800);
    let risk = report
        .risk
        .as_ref()
        .unwrap_or_else(|| panic!("a risk section"));
    assert!(
        dom.contains(&format!(
            "data-risk=\"curve\" data-points=\"{}\"",
            risk.curve.len()
        )),
        "the S-curve in the DOM"
    );
    for mark in ["p50", "p80", "planned", "plan-end"] {
        assert_eq!(
            dom.matches(&format!("data-risk=\"{mark}\"")).count(),
            1,
            "one {mark} mark in the DOM"
        );
    }
    assert_eq!(
        dom.matches("data-risk=\"driver\"").count(),
        risk.drivers.len(),
        "one tornado bar per driver in the DOM"
    );
    for driver in &risk.drivers {
        assert!(dom.contains(&format!(
            "data-risk=\"driver\" data-id=\"{}\" data-cruciality=\"{}\"",
            driver.id, driver.cruciality_text
        )));
    }
}

/// The example's capacity charts in the browser (issue 20): one chart per team with its size
/// line, and a demand bar in it for every project that needs the team.
#[test]
fn chromium_renders_a_capacity_chart_per_team() {
    if !chromium_ready() {
        return;
    }
    let report = report_common::analysed_report(report_common::EXAMPLE);
    assert!(!report.capacity.is_empty(), "the example declares teams");
    let dom = check_in_browser(&report, "example-capacity", 4400);
    assert_eq!(
        dom.matches("data-capacity=\"size\"").count(),
        report.capacity.len(),
        "one size line per team"
    );
    for team in &report.capacity {
        for project in &team.projects {
            assert!(
                dom.contains(&format!("data-capacity=\"demand\" data-id=\"{project}\"")),
                "a demand bar for {project} in {}'s chart",
                team.id
            );
        }
    }
}

/// The example's benefits register as a reader's browser builds it: one row per saving and
/// benefit line under its heading, each status a word in a cell coloured by its class (green,
/// amber and red with the schedule's RAG shapes; "not due" and "not recorded" muted).
#[test]
fn chromium_renders_the_benefits_register() {
    if !chromium_ready() {
        return;
    }
    let report = report_common::analysed_report(report_common::EXAMPLE);
    let section = report
        .benefits
        .clone()
        .expect("the example uses the register");
    let dom = check_in_browser(&report, "example-benefits", 4400);
    let start = dom
        .find("Benefits register</h3>")
        .expect("the register's heading in the DOM");
    let table = &dom[start..];
    let table = &table[..table.find("</table>").expect("its table")];
    let body = &table[table.find("<tbody>").expect("a table body")..];
    assert_eq!(
        body.matches("<tr").count(),
        section.lines.len(),
        "a row per line"
    );
    for row in &section.lines {
        // Green, amber and red as the schedule's RAG is shown: a colour and a shape, so the
        // status never rests on colour alone; the others muted, with no shape.
        let cell = match row.status.text() {
            "green" => "<td class=\"rag rag-green\"><span aria-hidden=\"true\">● </span>green</td>",
            "amber" => "<td class=\"rag rag-amber\"><span aria-hidden=\"true\">▲ </span>amber</td>",
            "red" => "<td class=\"rag rag-red\"><span aria-hidden=\"true\">■ </span>red</td>",
            other => &format!("<td class=\"rag-none\">{other}</td>"),
        };
        assert!(
            body.contains(cell),
            "{}'s status {} shown as {cell}",
            row.project,
            row.status.text()
        );
    }
    assert!(
        section
            .lines
            .iter()
            .any(|l| l.status != tranche::finance::Status::NotDue),
        "the example has lines with a status to colour"
    );
}

/// Loads the report's page in chromium: the DOM has one bar per project and one diamond per
/// milestone, nothing is logged to the console, and a screenshot `NAME.png` is left in
/// target/report-browser/ beside `NAME.html`. Returns the DOM chromium built.
fn check_in_browser(report: &Report, name: &str, height: u32) -> String {
    let html = render(report, ReportFormat::Html);
    let dir = out_dir();
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, &html).unwrap_or_else(|e| panic!("write the page: {e}"));
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("a profile dir: {e}"));

    let dump = chromium(profile.path(), &page, &["--dump-dom"]);
    let dom = String::from_utf8_lossy(&dump.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&dump.stderr);
    assert!(dump.status.success(), "chromium failed: {stderr}");
    assert_one_mark_per_item(&dom, report, "the DOM");
    for project in &report.projects {
        assert!(
            dom.contains(&format!("data-gantt=\"bar\" data-id=\"{}\"", project.id)),
            "a bar for {}",
            project.id
        );
    }
    assert!(dom.contains("id=\"show-links\""));
    let errors = console_errors(&stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    let shot = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    let screenshot = chromium(
        profile.path(),
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            &format!("--window-size=1280,{height}"),
        ],
    );
    let stderr = String::from_utf8_lossy(&screenshot.stderr);
    assert!(screenshot.status.success(), "chromium failed: {stderr}");
    let errors = console_errors(&stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("the screenshot exists: {e}"));
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert!(
        png.len() > 20_000,
        "a screenshot with content ({} bytes)",
        png.len()
    );
    dom
}
