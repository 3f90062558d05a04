//! The report tests' shared plans and checks: the committee plan written as text beside this
//! file (committee.tranche), read through the whole pipeline (parse, validate, schedule,
//! finance) as `tranche report` reads a plan, and the checks that the Markdown, the HTML and
//! the JSON of a report agree.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;
use tranche::diagnostic::{Diagnostic, SourceMap};
use tranche::finance;
use tranche::model::Portfolio;
use tranche::report::view::{self, Report, ReportFormat};
use tranche::source::{FileSystem, MemoryFs};

/// The committee-sized plan the report tests read: its comments and the tests' say which facts
/// it is written to show.
pub const COMMITTEE: &str = include_str!("committee.tranche");

/// The committee plan's report, as of its status date. The plan is read as the one file
/// `committee.tranche`, so the locations the report quotes do not depend on where the
/// repository is checked out.
pub fn report() -> Report {
    report_altered("committee.tranche", COMMITTEE, |_| {})
}

/// The report of `text` (one file, `plan.tranche`), a plan that must analyse, as of its status
/// date (or its start).
pub fn report_of_text(text: &str) -> Report {
    report_altered("plan.tranche", text, |_| {})
}

/// The report of `text` (one file, `name`) with `alter` applied to the model after the
/// analysis and before the view is built: for a model state no plan text reaches (validation
/// always fills the programme tree), which the view must still lay out.
pub fn report_altered(name: &str, text: &str, alter: impl FnOnce(&mut Portfolio)) -> Report {
    let fs = MemoryFs::new().with(name, text);
    let mut sources = SourceMap::new();
    let (mut portfolio, analysis, diagnostics) =
        analyse(&fs, Path::new(name), &mut sources).unwrap_or_else(|| panic!("{name} analyses"));
    alter(&mut portfolio);
    committee_report(&portfolio, &analysis, &diagnostics, &sources)
}

/// Every `£1,234.56` (with optional sign) in a text: the form every exact figure takes.
pub fn money_figures(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '£' {
            let negative = i > 0 && chars[i - 1] == '-';
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ',') {
                j += 1;
            }
            let whole = j > i + 1;
            let pence = j + 2 < chars.len() + 1
                && chars.get(j) == Some(&'.')
                && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())
                && chars.get(j + 2).is_some_and(|c| c.is_ascii_digit());
            if whole && pence {
                let figure: String = chars[i..j + 3].iter().collect();
                found.insert(if negative {
                    format!("-{figure}")
                } else {
                    figure
                });
            }
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Calls `found` with the value beside `key` and the `text` of every object in the JSON that
/// has both (`{pence, text}` for money, `{share, text}` for a chance), read through serde.
fn json_texts(
    value: &serde_json::Value,
    key: &str,
    found: &mut dyn FnMut(&serde_json::Value, &String),
) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(beside), Some(serde_json::Value::String(text))) =
                (map.get(key), map.get("text"))
            {
                found(beside, text);
            }
            for v in map.values() {
                json_texts(v, key, found);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_texts(v, key, found)),
        _ => {}
    }
}

/// Every money figure's text in the JSON, read through serde (not by scanning the file).
pub fn json_figures(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    json_texts(value, "pence", &mut |pence, text| {
        assert!(pence.is_i64(), "pence is a whole number");
        out.insert(text.clone());
    });
}

/// The report as Markdown, as HTML, and as JSON read through serde.
fn rendered(report: &Report) -> (String, String, serde_json::Value) {
    let md = view::render(report, ReportFormat::Markdown);
    let html = view::render(report, ReportFormat::Html);
    let json = view::render(report, ReportFormat::Json);
    let value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("the JSON parses: {e}"));
    (md, html, value)
}

/// `html` without its `<svg>` charts.
fn without_charts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</svg>")
            .map_or("", |end| &rest[start + end + "</svg>".len()..]);
    }
    out.push_str(rest);
    out
}

/// Every figure in `text` shown in thousands (`£2,219k`, `-£12k`).
pub fn thousands_figures(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '£' {
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ',') {
            j += 1;
        }
        if j > i + 1 && chars.get(j) == Some(&'k') {
            let negative = i > 0 && chars[i - 1] == '-';
            let figure: String = chars[i..=j].iter().collect();
            found.insert(if negative {
                format!("-{figure}")
            } else {
                figure
            });
        }
    }
    found
}

/// Checks that the Markdown, the HTML and the JSON of `report` show exactly the same amounts of
/// money (the JSON's figures read through serde, plus amounts quoted in diagnostics), first to
/// the penny and then in thousands, as the report shows them by default; returns how many
/// distinct figures were compared.
pub fn assert_same_money(report: &Report) -> usize {
    use tranche::report::text::MoneyScale;
    // In thousands: every figure the Markdown and the HTML show in £k is a JSON figure's exact
    // pence rounded, and every JSON figure is shown so (diagnostics quote exact amounts).
    let thousands = Report {
        money: MoneyScale::Thousands,
        ..report.clone()
    };
    let (md, html, value) = rendered(&thousands);
    let mut pences = Vec::new();
    json_texts(&value, "pence", &mut |pence, _| {
        pences.extend(pence.as_i64());
    });
    let shown: BTreeSet<String> = pences
        .iter()
        .map(|&p| MoneyScale::Thousands.show(p))
        .collect();
    // The note under the tables ("to the nearest £1k") is not a figure.
    let note = MoneyScale::Thousands.rounding_note().unwrap_or_default();
    let (md, html) = (md.replace(note, ""), html.replace(note, ""));
    // Nor are a chart's axis ticks (`£200k`): the figures are the tables'.
    let html = without_charts(&html);
    assert_eq!(thousands_figures(&md), shown, "markdown in £k against json");
    assert_eq!(thousands_figures(&html), shown, "html in £k against json");
    let pounds = Report {
        money: MoneyScale::Pounds,
        ..report.clone()
    };
    let (md, html, value) = rendered(&pounds);
    let mut from_json = BTreeSet::new();
    json_figures(&value, &mut from_json);
    // Finance diagnostics quote amounts in their messages; they are figures too.
    for finding in &report.diagnostics {
        from_json.extend(money_figures(&finding.message));
        for note in &finding.notes {
            from_json.extend(money_figures(note));
        }
    }
    assert_eq!(money_figures(&md), from_json, "markdown against json");
    assert_eq!(money_figures(&html), from_json, "html against json");
    from_json.len()
}

/// A plan (the file `path` in `fs`, includes followed there) through the whole pipeline, as
/// `tranche report` reads it: its model, its analysis and what was said about it; `None` when
/// the plan has errors that stop analysis.
fn analyse(
    fs: &dyn FileSystem,
    path: &Path,
    sources: &mut SourceMap,
) -> Option<(Portfolio, tranche::analysis::Analysis, Vec<Diagnostic>)> {
    let options = tranche::source::Options {
        includes: tranche::source::Includes::InsideFolder,
        detail: finance::Detail::ProjectYearsOnly,
        lints: false,
        level: tranche::analysis::Level::Off,
    };
    let analysed = tranche::source::analyse_files(fs, path, sources, options);
    Some((
        analysed.portfolio?,
        analysed.analysis?,
        analysed.diagnostics,
    ))
}

/// The committee report of an analysed plan as of its status date (or its start), before any
/// risk section.
fn committee_report(
    portfolio: &Portfolio,
    analysis: &tranche::analysis::Analysis,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
) -> Report {
    let as_of = portfolio.status_date.unwrap_or(portfolio.start);
    view::build(
        portfolio,
        &analysis.schedule,
        &analysis.finance,
        diagnostics,
        Some(sources),
        as_of,
    )
    .with_capacity(portfolio, &analysis.load, &analysis.calendars)
    .with_benefits(
        portfolio,
        &analysis.schedule,
        &analysis.calendars,
        &analysis.finance,
    )
}

/// A plan on disk through the whole pipeline, and its report as of its status date (or its
/// start), before any risk section; `None` when the plan has errors that stop analysis.
fn report_and_analysis_of_plan(
    path: &Path,
) -> Option<(Report, Portfolio, tranche::analysis::Analysis)> {
    let mut sources = SourceMap::new();
    let (portfolio, analysis, diagnostics) = analyse(&tranche::cli::StdFs, path, &mut sources)?;
    let report = committee_report(&portfolio, &analysis, &diagnostics, &sources);
    Some((report, portfolio, analysis))
}

/// The committee report of a plan on disk through the whole pipeline (load, validate,
/// analyse), as of its status date (or its start); `None` when the plan has errors that stop
/// analysis.
pub fn report_of_plan(path: &Path) -> Option<Report> {
    report_and_analysis_of_plan(path).map(|(report, ..)| report)
}

/// The example portfolio the report tests read, from the repository root.
pub const EXAMPLE: &str = "portfolios/children-and-families.tranche";

/// [`report_of_plan`] of a plan that must analyse; `path` is from the repository root (or
/// absolute).
pub fn analysed_report(path: impl AsRef<Path>) -> Report {
    let path = crate::common::root().join(path);
    report_of_plan(&path).unwrap_or_else(|| panic!("{} analyses", path.display()))
}

/// [`report_with_risk_of_plan`] of a plan that must analyse, as [`analysed_report`].
pub fn analysed_report_with_risk(path: impl AsRef<Path>, iterations: u32, seed: u64) -> Report {
    let path = crate::common::root().join(path);
    report_with_risk_of_plan(&path, iterations, seed)
        .unwrap_or_else(|| panic!("{} analyses", path.display()))
}

/// The committee report of a plan on disk with its risk section, simulated with `iterations`
/// and `seed` (Beta-PERT, or the plan's own `risk distribution`), as `tranche report --risk`
/// builds it; `None` when the plan has errors that stop analysis.
pub fn report_with_risk_of_plan(path: &Path, iterations: u32, seed: u64) -> Option<Report> {
    let (report, portfolio, analysis) = report_and_analysis_of_plan(path)?;
    let options = tranche::risk::Options {
        iterations,
        seed,
        distribution: match portfolio.risk_distribution {
            Some(tranche::model::RiskDistribution::Triangular) => {
                tranche::risk::Distribution::Triangular
            }
            _ => tranche::risk::Distribution::Pert,
        },
        register: tranche::risk::Register::Mitigated,
        level: false,
    };
    let summary = tranche::risk::simulate(
        &portfolio,
        &analysis.network,
        &analysis.calendars,
        &options,
        &|_| {},
    );
    Some(report.with_risk(&summary))
}

/// Every share the JSON shows as `{share, text}` (the risk section's chances), as text.
pub fn json_chances(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    json_texts(value, "share", &mut |share, text| {
        let share = share.as_f64().unwrap_or(f64::NAN);
        assert_eq!(
            text,
            &format!("{:.1}%", share * 100.0),
            "a chance's text is its share"
        );
        out.insert(text.clone());
    });
}

/// Checks that every chance of the risk section (the JSON's `{share, text}`) is its share and
/// shows in the Markdown table and the HTML; returns how many distinct chances were compared.
pub fn assert_same_chances(report: &Report) -> usize {
    let (md, html, value) = rendered(report);
    let mut chances = BTreeSet::new();
    json_chances(&value, &mut chances);
    for chance in &chances {
        assert!(
            md.contains(&format!("| {chance} |")),
            "markdown has {chance}"
        );
        assert!(html.contains(&format!(">{chance}<")), "html has {chance}");
    }
    chances.len()
}

/// Debian's chromium, which the browser tests run headless.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether chromium is installed; when it is not, says that the test is skipped.
pub fn chromium_ready() -> bool {
    let ready = Path::new(CHROMIUM).exists();
    if !ready {
        println!("skipped: {CHROMIUM} is not installed (apt-get install chromium)");
    }
    ready
}

/// Runs chromium headless on `page` with the network cut off, its log on stderr, a profile
/// in `profile`, and the `extra` arguments.
pub fn chromium(profile: &Path, page: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("chromium runs: {e}"))
}

/// Checks that `page` (the report's HTML, or the DOM a browser built from it) draws one Gantt
/// bar per project and one diamond per milestone of `report`; `what` names the page.
pub fn assert_one_mark_per_item(page: &str, report: &Report, what: &str) {
    assert_eq!(
        page.matches("data-gantt=\"bar\"").count(),
        report.headline.n_projects,
        "{what}: one bar per project"
    );
    assert_eq!(
        page.matches("data-gantt=\"milestone\"").count(),
        report.headline.n_milestones,
        "{what}: one diamond per milestone"
    );
}
