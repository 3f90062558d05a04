//! The committee report's risk section (`tranche report --risk`, issue 8): reviewed snapshots of
//! the section in Markdown and HTML for the example portfolio (a small iteration count keeps
//! them fast), the same figures in all three formats, the same bytes for the same seed, the
//! charts' marks, and the command line (a report without --risk is unchanged).

use crate::common;
use crate::report_common;

use common::tranche;
use report_common::{
    EXAMPLE, analysed_report, analysed_report_with_risk, assert_same_chances, assert_same_money,
};
use tranche::report::view::{self, Report, ReportFormat, render};

const ITERATIONS: u32 = 500;

fn example(seed: u64) -> Report {
    analysed_report_with_risk(EXAMPLE, ITERATIONS, seed)
}

/// The text from `from` up to (not including) `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` is in the output"));
    let rest = &text[start..];
    let end = rest
        .find(to)
        .unwrap_or_else(|| panic!("`{to}` follows `{from}`"));
    &rest[..end]
}

/// The example's risk section in `format`, from `from` up to `to`, as the reviewed snapshot
/// `name`.
fn assert_risk_section(format: ReportFormat, name: &str, from: &str, to: &str) {
    let text = render(&example(1), format);
    insta::assert_snapshot!(name, between(&text, from, to));
}

#[test]
fn risk_section_in_markdown() {
    assert_risk_section(
        ReportFormat::Markdown,
        "example_risk_markdown",
        "## Schedule and savings risk",
        "## Diagnostics",
    );
}

#[test]
fn risk_section_in_html() {
    assert_risk_section(
        ReportFormat::Html,
        "example_risk_html",
        "<section id=\"risk\"",
        "<section id=\"diagnostics\"",
    );
}

#[test]
fn the_section_shows_the_simulations_figures() {
    let r = example(1);
    let risk = r.risk.as_ref().unwrap_or_else(|| panic!("a risk section"));
    assert_eq!((risk.iterations, risk.seed), (ITERATIONS, 1));
    assert_eq!(
        (risk.uncertain_durations, risk.uncertain_savings),
        (8, 10),
        "the example has 8 duration ranges and 10 saving ranges"
    );
    let f = &risk.finish;
    assert!(f.p10 <= f.p50 && f.p50 <= f.p80 && f.p80 <= f.p90, "{f:?}");
    assert_eq!(f.planned, r.headline.forecast_finish);
    assert_eq!(risk.plan_end, r.plan_end);
    // The curve is the S-curve: dates rising, shares rising to 1, P50 where it crosses half.
    assert!(risk.curve.windows(2).all(|w| w[0].date < w[1].date));
    assert!(
        risk.curve
            .windows(2)
            .all(|w| w[0].probability < w[1].probability)
    );
    assert_eq!(risk.curve.last().map(|p| p.probability), Some(1.0));
    let first_half = risk.curve.iter().find(|p| p.probability >= 0.5);
    assert_eq!(first_half.map(|p| p.date), Some(f.p50));
    // Drivers are the tornado's bars, largest first: the 8 duration ranges and the RAID log's
    // risk events ranked together (issue 22), the largest ten of them.
    assert_eq!(risk.drivers.len(), 10);
    assert!(risk.drivers.iter().any(|d| d.title.starts_with("risk ")));
    assert!(
        risk.events.is_none(),
        "the comparison without events is the command's"
    );
    assert!(
        risk.drivers
            .windows(2)
            .all(|w| w[0].cruciality.abs() >= w[1].cruciality.abs())
    );
    for d in &risk.drivers {
        assert_eq!(d.cruciality_text, format!("{:+.2}", d.cruciality));
        assert!(d.low_days <= d.likely_days && d.likely_days <= d.high_days);
        assert!(
            !d.title.is_empty() && d.title != d.id,
            "{} has its title",
            d.id
        );
    }
    assert_eq!(risk.targets.len(), r.headline.targets.len());
}

#[test]
fn markdown_html_and_json_show_the_same_risk_figures() {
    let r = example(1);
    // Money: every figure of the JSON (the risk section's included) and nothing else.
    let figures = assert_same_money(&r);
    let without = analysed_report(EXAMPLE);
    assert!(
        figures >= assert_same_money(&without) + 10,
        "the risk section's NPV and savings spreads are compared too"
    );

    let md = render(&r, ReportFormat::Markdown);
    let html = render(&r, ReportFormat::Html);
    let json = render(&r, ReportFormat::Json);
    let value: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("the JSON parses: {e}"));
    // Chances: each is its share, and shows in both other formats.
    assert!(assert_same_chances(&r) >= 4);
    // Dates: every percentile of the finish, as readers see it.
    let finish = &value["risk"]["finish"];
    for key in ["planned", "p10", "p50", "p80", "p90"] {
        let iso = finish[key].as_str().unwrap_or_default();
        let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("ISO {key}: {e}"));
        let shown = view::date_text(date);
        let md_row = md
            .lines()
            .find(|l| l.starts_with("| Portfolio finish |"))
            .unwrap_or_else(|| panic!("a finish row"));
        assert!(md_row.contains(&shown), "{md_row} has {key} {shown}");
        assert!(html.contains(&format!("<td class=\"date\">{shown}</td>")));
    }
    // Drivers: the same cruciality on each project's row and bar.
    for driver in value["risk"]["drivers"].as_array().into_iter().flatten() {
        let id = driver["id"].as_str().unwrap_or_default();
        let text = driver["cruciality_text"].as_str().unwrap_or_default();
        let md_row = md
            .lines()
            .find(|l| l.contains(&format!("(`{id}`) | {text} |")));
        assert!(md_row.is_some(), "markdown row for {id} with {text}");
        assert!(html.contains(&format!(
            "data-risk=\"driver\" data-id=\"{id}\" data-cruciality=\"{text}\""
        )));
        assert!(html.contains(&format!(
            "<code>{id}</code></th><td class=\"num\">{text}</td>"
        )));
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    for format in [
        ReportFormat::Markdown,
        ReportFormat::Html,
        ReportFormat::Json,
    ] {
        assert_eq!(render(&example(3), format), render(&example(3), format));
    }
    assert_ne!(
        render(&example(3), ReportFormat::Json),
        render(&example(4), ReportFormat::Json)
    );
}

#[test]
fn the_page_draws_the_s_curve_and_the_tornado() {
    let r = example(1);
    let risk = r.risk.as_ref().unwrap_or_else(|| panic!("a risk section"));
    let html = render(&r, ReportFormat::Html);
    assert!(html.contains(&format!(
        "data-risk=\"curve\" data-points=\"{}\"",
        risk.curve.len()
    )));
    for mark in ["p50", "p80", "planned", "plan-end"] {
        assert_eq!(
            html.matches(&format!("data-risk=\"{mark}\"")).count(),
            1,
            "{mark}"
        );
    }
    assert!(html.contains(&format!(
        "data-risk=\"p50\" data-date=\"{}\"",
        risk.finish.p50
    )));
    assert_eq!(
        html.matches("data-risk=\"driver\"").count(),
        risk.drivers.len()
    );
    // Each chart has a title and description and a table of the same figures after it.
    for chart in ["s-curve", "tornado"] {
        assert!(html.contains(&format!(
            "role=\"img\" aria-labelledby=\"{chart}-title {chart}-desc\""
        )));
    }
    assert!(html.contains("<caption>Finish date percentiles</caption>"));
    assert!(html.contains("<caption>Risk drivers by cruciality</caption>"));
    // Still self-contained: no script, and the only URL is SVG's namespace.
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"));
    for (at, _) in lower.match_indices("http") {
        assert!(
            lower[at..].starts_with("http://www.w3.org/2000/svg")
                || lower[at..].starts_with("http-equiv"),
            "a URL at byte {at}"
        );
    }
    for (at, _) in lower.match_indices("url(") {
        assert!(
            lower[at + 4..].starts_with('#'),
            "external url( at byte {at}"
        );
    }
    // The page's stylesheet gains the risk rules only with the section.
    assert!(html.contains(".s-curve-line"));
    let plain = render(&analysed_report(EXAMPLE), ReportFormat::Html);
    assert!(!plain.contains(".s-curve-line"));
    assert!(!plain.contains("id=\"risk\""));
}

#[test]
fn a_plan_without_ranges_says_nothing_drives_the_risk() {
    let (_dir, path) = common::file_in_dir(
        "plan.tranche",
        "portfolio \"Fixed\" {\n  start 2021-04-01\n  end 2023-03-31\n}\n\nproject a \"A\" {\n  duration 3 months\n}\n",
    );
    let r = analysed_report_with_risk(&path, 50, 1);
    let risk = r.risk.as_ref().unwrap_or_else(|| panic!("a risk section"));
    assert!(risk.drivers.is_empty());
    // Every percentile is the plan's own date, and it finishes in time in every iteration.
    let f = risk.finish;
    assert!([f.p10, f.p50, f.p80, f.p90].iter().all(|d| *d == f.planned));
    assert_eq!(risk.finish_by_planned.text, "100.0%");
    let html = render(&r, ReportFormat::Html);
    assert!(
        html.contains("no project has a duration range wider than a day")
            || html.contains("No project has a duration range wider than a day")
    );
    assert!(!html.contains("class=\"tornado\""));
    assert!(html.contains("data-risk=\"curve\""));
    // The plan end is far beyond every finish, so the chart stops after the curve and labels
    // the plan end at its edge rather than squashing the curve into a sliver.
    assert!(html.contains("<g data-risk=\"plan-end\" class=\"off-scale\">"));
    assert!(html.contains("Plan end 31 Mar 2023: 100.0% ▶"));
    let md = render(&r, ReportFormat::Markdown);
    assert!(md.contains("No project has a duration range wider than a day"));
    assert_same_money(&r);
}

#[test]
fn the_command_adds_the_section_only_when_asked() {
    let with = tranche(&[
        "report",
        EXAMPLE,
        "--risk",
        "--iterations",
        "200",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(with.code, 0, "{}", with.transcript());
    let value: serde_json::Value =
        serde_json::from_str(&with.stdout).unwrap_or_else(|e| panic!("JSON out: {e}"));
    assert_eq!(value["risk"]["iterations"], 200);
    assert_eq!(value["risk"]["seed"], 5);
    assert_eq!(value["risk"]["distribution"], "pert");

    let without = tranche(&["report", EXAMPLE, "--format", "json"]);
    assert_eq!(without.code, 0, "{}", without.transcript());
    // No risk section (the RAID register's rows say `"kind": "risk"`, so the key is checked).
    let without_value: serde_json::Value =
        serde_json::from_str(&without.stdout).unwrap_or_else(|e| panic!("JSON out: {e}"));
    assert!(without_value.get("risk").is_none());
    // The view without a section is the report as it was before --risk existed.
    let report = analysed_report(EXAMPLE);
    // The library read the plan by its absolute path; the command by the relative one it was
    // given, which its diagnostics (the accepted shortfall) name.
    let root = format!("{}/", common::root().display());
    assert_eq!(
        tranche(&["report", EXAMPLE, "--format", "md"]).stdout,
        render(&report, ReportFormat::Markdown).replace(&root, "")
    );

    // The simulation's flags mean nothing without --risk: a usage error, not ignored.
    let stray = tranche(&["report", EXAMPLE, "--iterations", "200"]);
    assert_eq!(stray.code, 2, "{}", stray.transcript());
    stray.assert_stderr_has("--risk");
}
