//! The Markdown report's Gantt block is real Mermaid (issue 5): headless chromium loads
//! Mermaid 11 from tests/browser/node_modules (a test-only npm package, `npm ci --prefix
//! tests/browser`), parses and renders the block, and the drawing has one task per project and
//! milestone. Skips, saying why, when chromium or the package is not installed.

use crate::report_common;

use std::path::{Path, PathBuf};

use tranche::report::view::{Report, ReportFormat, render};

use report_common::{chromium, chromium_ready};

fn mermaid_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/mermaid/dist/mermaid.min.js")
}

/// The text inside the report's ```mermaid fence.
fn mermaid_block(report: &Report) -> String {
    let md = render(report, ReportFormat::Markdown);
    md.split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("the Markdown has a mermaid block"))
        .to_owned()
}

/// Renders the block with Mermaid in chromium; returns what the page wrote: `OK tasks=N` or
/// `ERROR ...`.
fn render_in_chromium(block: &str, name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-browser");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let text = serde_json::to_string(block).unwrap_or_else(|e| panic!("a JSON string: {e}"));
    let page = format!(
        r#"<!DOCTYPE html><html><body><div id="out">pending</div>
<script src="file://{}"></script>
<script>
mermaid.initialize({{ startOnLoad: false }});
const text = {text};
mermaid.parse(text)
  .then(() => mermaid.render('gantt', text))
  .then(r => {{
    const tasks = (r.svg.match(/<rect[^>]*class="task/g) || []).length;
    document.getElementById('out').textContent = 'OK tasks=' + tasks;
  }})
  .catch(e => {{ document.getElementById('out').textContent = 'ERROR ' + e; }});
</script></body></html>"#,
        mermaid_js().display()
    );
    let path = dir.join(format!("mermaid-{name}.html"));
    std::fs::write(&path, page).unwrap_or_else(|e| panic!("write the page: {e}"));
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("a profile dir: {e}"));
    let output = chromium(
        profile.path(),
        &path,
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ],
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    dom.split("<div id=\"out\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or("no output")
        .to_owned()
}

fn ready() -> bool {
    if !chromium_ready() {
        return false;
    }
    if !mermaid_js().exists() {
        println!("skipped: Mermaid is not installed (npm ci --prefix tests/browser)");
        return false;
    }
    true
}

fn check(report: &Report, name: &str) {
    let result = render_in_chromium(&mermaid_block(report), name);
    let expected = report.headline.n_projects + report.headline.n_milestones;
    assert_eq!(result, format!("OK tasks={expected}"), "{name}");
}

#[test]
fn the_mermaid_gantt_parses_and_draws_every_task() {
    if ready() {
        check(&report_common::report(), "report");
        // The check can fail: a task with a date Mermaid cannot read is reported as an error.
        let broken = render_in_chromium(
            "gantt\n    dateFormat YYYY-MM-DD\n    A task :a, 2021-13-45, 2021-99-99\n",
            "broken",
        );
        assert!(broken.starts_with("ERROR"), "{broken}");
    }
}

#[test]
fn the_example_portfolios_mermaid_gantt_parses() {
    if ready() {
        let report = report_common::analysed_report(report_common::EXAMPLE);
        check(&report, "example");
    }
}

/// Issue 25, item 14: titles that Mermaid's lexer would read as its own keywords (`click`,
/// `title`, `section`, `dateFormat`, a date, ...) or as a comment still give a chart that
/// parses, in the committee report and in `tranche export --format mermaid`, with every task
/// drawn and none turned into a directive or hidden.
#[test]
fn titles_that_look_like_mermaid_directives_stay_task_names() {
    const TITLES: [&str; 16] = [
        "click here to apply",
        "Title of the work",
        "dateFormat DD-MM",
        "section B",
        "excludes weekends",
        "includes 2024-12-25",
        "inclusiveEndDates",
        "topAxis",
        "weekday monday",
        "todayMarker off",
        "axisFormat %Y",
        "tickInterval 1week",
        "%% hidden from the chart",
        "2024-06-03 launch",
        "gantt",
        "accTitle: the chart",
    ];
    if !ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut plan = String::from(
        "portfolio \"title dateFormat\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n\
         programme g \"section click\" {\n",
    );
    for (i, title) in TITLES.iter().enumerate() {
        plan.push_str(&format!(
            "  project p{i} \"{title}\" {{\n    duration 1 week\n  }}\n"
        ));
    }
    plan.push_str("}\nmilestone m \"click m call x()\" on 2024-06-03\n");
    let path = dir.path().join("hostile.tranche");
    std::fs::write(&path, &plan).unwrap_or_else(|e| panic!("{e}"));
    let report = report_common::analysed_report(&path);
    check(&report, "directive-titles-report");
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(["export", "--format", "mermaid"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(export.status.success(), "{export:?}");
    let block = String::from_utf8_lossy(&export.stdout).into_owned();
    let result = render_in_chromium(&block, "directive-titles-export");
    assert_eq!(result, format!("OK tasks={}", TITLES.len() + 1), "{block}");
}
