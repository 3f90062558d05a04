//! A committee-sized portfolio built by hand (model, schedule and diagnostics), with its finance
//! computed by the real finance stage, so the report can be tested before the parser and the
//! scheduler land. Shaped like the language brief's Children and Families plan.
#![allow(dead_code)]

use crate::finance_common;

use finance_common::{capital, d, milestone, portfolio, pounds, project, revenue, saving, timing};
use std::collections::BTreeSet;
use std::path::Path;
use tranche::calendar;
use tranche::diagnostic::{Code, Diagnostic, FileId, SourceMap, Span};
use tranche::finance;
use tranche::model::{
    Anchor, Baseline, Budget, BudgetKind, Dated, Dependency, FinancialYear, ItemId, LinkKind,
    MilestoneId, MilestoneTiming, Portfolio, Programme, ProgrammeId, Project, ProjectId, Target,
    Theme, ThemeId,
};
use tranche::money::Percent;

use tranche::report::view::{self, Report, ReportFormat};
use tranche::schedule::{Rag, Schedule, Timing};

/// A date in the tests' own words (panics on an impossible one: a mistake in the test).
pub fn date(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    d(y, m, day)
}

const SOURCE: &str = "portfolio \"Children and Families Digital Transformation Plan\" {\n  status-date 2021-01-15\n}\n\nproject mobile-working \"Mobile working for social workers\" {\n  complete 100%\n}\n";

pub struct Fixture {
    pub portfolio: Portfolio,
    pub schedule: Schedule,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

fn baseline(start: chrono::NaiveDate, finish: chrono::NaiveDate) -> Option<Baseline> {
    Some(Baseline {
        start,
        finish,
        span: Span::default(),
    })
}

fn dep(predecessor: ItemId, kind: LinkKind, lag_days: i32) -> Dependency {
    Dependency {
        predecessor,
        kind,
        lag_days,
        span: Span::default(),
    }
}

fn programme(
    id: &str,
    title: &str,
    parent: Option<ProgrammeId>,
    children: Vec<ItemId>,
) -> Programme {
    Programme {
        id: id.to_owned().into(),
        title: title.to_owned().into(),
        parent,
        owner: None,
        theme: None,
        description: None,
        tags: Vec::new(),
        confidence: None,
        children,
        span: Span::default(),
    }
}

/// A project of a programme, with its title, theme and owner.
fn owned_project(
    id: &str,
    title: &str,
    programme: ProgrammeId,
    theme: Option<ThemeId>,
    owner: &str,
) -> Project {
    let mut x = project(id);
    x.title = title.into();
    x.programme = Some(programme);
    x.theme = theme;
    x.details_mut().owner = Some(owner.into());
    x
}

/// A day as (year, month, day).
type Ymd = (i32, u32, u32);

/// A timing with the fields the report reads, from (start, finish, critical, total float, and
/// the slip and RAG against a baseline when there is one).
fn status(
    (start, finish, critical, float, slip): (Ymd, Ymd, bool, i64, Option<(i64, Rag)>),
) -> Timing {
    let day = |(y, m, day): Ymd| d(y, m, day);
    let mut t = timing(day(start), day(finish));
    t.critical = critical;
    t.total_float_days = float;
    t.free_float_days = float;
    t.slip_days = slip.map(|(days, _)| days);
    t.rag = slip.map(|(_, rag)| rag);
    t
}

pub fn fixture() -> Fixture {
    let p = |i| ItemId::Project(ProjectId(i));
    let m = |i| ItemId::Milestone(MilestoneId(i));
    let g = |i| ItemId::Programme(ProgrammeId(i));

    let mut plan = portfolio(d(2020, 4, 1), d(2025, 3, 31));
    plan.title = "Children and Families Digital Transformation Plan".to_owned();
    plan.status_date = Some(d(2021, 1, 15));
    plan.optimism_bias = Some(Percent(2400));
    plan.targets = vec![
        Target {
            amount: pounds(300_000),
            year: FinancialYear(2022),
            accept: None,
            span: Span::default(),
        },
        Target {
            amount: pounds(200_000),
            year: FinancialYear(2023),
            accept: None,
            span: Span::default(),
        },
    ];
    plan.budgets = vec![Budget {
        kind: BudgetKind::Capital,
        amount: pounds(900_000),
        year: FinancialYear(2020),
        span: Span::default(),
    }];
    plan.themes = vec![
        Theme {
            id: "access".into(),
            title: "How service users and families access our services".into(),
            span: Span::default(),
        },
        Theme {
            id: "operations".into(),
            title: "How operational processes are executed".into(),
            span: Span::default(),
        },
    ];
    let access = Some(ThemeId(0));
    let operations = Some(ThemeId(1));

    let mut front_door = programme(
        "front-door",
        "Front door and early help",
        None,
        vec![p(1), p(2), m(1)],
    );
    front_door.owner = Some("Group Manager, MASH".into());
    let mut core = programme("core-systems", "Core systems", None, vec![p(0), g(2)]);
    core.owner = Some("Head of Business Systems".into());
    let data = programme(
        "data",
        "Data and reporting",
        Some(ProgrammeId(1)),
        vec![p(3)],
    );
    plan.programmes = vec![front_door, core, data];

    let mut case = owned_project(
        "case-system",
        "Replace the children's case management system",
        ProgrammeId(1),
        operations,
        "Head of Business Systems",
    );
    case.costs = vec![
        capital(pounds(1_800_000)),
        revenue(pounds(120_000), Anchor::Finish, None),
    ]
    .into();
    case.savings = vec![saving(pounds(400_000), Anchor::Finish, 6, None)].into();
    case.milestones = vec![MilestoneId(0)].into();
    case.details_mut().baseline = baseline(d(2020, 6, 1), d(2021, 8, 31));
    case.details_mut().progress.complete = Some(Percent(3500));
    case.details_mut().progress.actual_start = Some(Dated {
        date: d(2020, 6, 8),
        span: Span::default(),
    });

    let mut referral = owned_project(
        "referral-form",
        "Online multi-agency referral form",
        ProgrammeId(0),
        access,
        "Group Manager, MASH",
    );
    referral.dependencies = vec![dep(m(0), LinkKind::FinishToStart, 10)].into();
    referral.costs = vec![capital(pounds(120_000))].into();
    referral.savings = vec![saving(pounds(60_000), Anchor::Finish, 6, None)].into();
    referral.details_mut().baseline = baseline(d(2021, 9, 15), d(2022, 1, 14));

    let mut portal = owned_project(
        "family-portal",
        "Family portal | self-service <beta>",
        ProgrammeId(0),
        access,
        "Head of Early Help",
    );
    portal.dependencies = vec![dep(p(3), LinkKind::StartToStart, 20)].into();
    portal.costs = vec![capital(pounds(250_000))].into();
    portal.savings = vec![saving(pounds(90_000), Anchor::Finish, 0, None)].into();
    portal.milestones = vec![MilestoneId(4)].into();
    portal.details_mut().baseline = baseline(d(2021, 2, 1), d(2021, 9, 17));

    let mut warehouse = owned_project(
        "data-warehouse",
        "Data warehouse and performance dashboards",
        ProgrammeId(2),
        operations,
        "Head of Performance",
    );
    warehouse.costs = vec![
        capital(pounds(300_000)),
        revenue(pounds(40_000), Anchor::Finish, None),
    ]
    .into();
    warehouse.milestones = vec![MilestoneId(3)].into();
    warehouse.details_mut().baseline = baseline(d(2020, 9, 1), d(2021, 6, 30));
    warehouse.details_mut().progress.complete = Some(Percent(5000));

    let mut mobile = project("mobile-working");
    mobile.title = "Mobile working for social workers".into();
    mobile.costs = vec![capital(pounds(80_000))].into();
    mobile.savings = vec![saving(pounds(30_000), Anchor::Finish, 0, Some(24))].into();

    plan.projects = vec![case, referral, portal, warehouse, mobile];

    let mut go_live = milestone("go-live", "Case system live", MilestoneTiming::AtFinish);
    go_live.project = Some(ProjectId(0));
    go_live.programme = Some(ProgrammeId(1));
    go_live.details_mut().baseline = baseline(d(2021, 8, 31), d(2021, 8, 31));
    let mut mash = milestone(
        "mash-live",
        "Digital front door live",
        MilestoneTiming::Free,
    );
    mash.programme = Some(ProgrammeId(0));
    mash.dependencies = vec![dep(p(1), LinkKind::FinishToStart, 0)].into();
    let ofsted = milestone(
        "ofsted",
        "Ofsted inspection of children's services",
        MilestoneTiming::On(d(2021, 10, 4)),
    );
    let mut spec = milestone(
        "data-spec",
        "Data specification signed off",
        MilestoneTiming::Free,
    );
    spec.project = Some(ProjectId(3));
    spec.programme = Some(ProgrammeId(2));
    spec.dependencies = vec![dep(p(3), LinkKind::StartToStart, 60)].into();
    spec.deadline = Some(Dated {
        date: d(2020, 12, 11),
        span: Span::default(),
    });
    let mut pilot = milestone("pilot", "Portal pilot starts", MilestoneTiming::AtStart);
    pilot.project = Some(ProjectId(2));
    pilot.programme = Some(ProgrammeId(0));
    plan.milestones = vec![go_live, mash, ofsted, spec, pilot];
    plan.roots = vec![g(0), g(1), p(4), m(2)];

    // Each item's (start, finish, critical, total float, slip and RAG against its baseline).
    let projects = [
        ((2020, 6, 8), (2021, 11, 30), true, 0, Some((63, Rag::Red))),
        ((2021, 12, 15), (2022, 4, 8), true, 0, Some((58, Rag::Red))),
        (
            (2021, 2, 1),
            (2021, 9, 30),
            false,
            40,
            Some((9, Rag::Green)),
        ),
        (
            (2020, 9, 1),
            (2021, 7, 14),
            false,
            25,
            Some((10, Rag::Amber)),
        ),
        ((2021, 4, 1), (2021, 12, 17), false, 70, None),
    ];
    let milestones = [
        (
            (2021, 11, 30),
            (2021, 11, 30),
            true,
            0,
            Some((63, Rag::Red)),
        ),
        ((2022, 4, 8), (2022, 4, 8), true, 0, None),
        ((2021, 10, 4), (2021, 10, 4), false, 80, None),
        ((2021, 1, 29), (2021, 1, 29), false, -34, None),
        ((2021, 2, 1), (2021, 2, 1), false, 40, None),
    ];
    let programmes = [
        ((2021, 2, 1), (2022, 4, 8), true, 0, None),
        ((2020, 6, 8), (2021, 11, 30), true, 0, Some((63, Rag::Red))),
        ((2020, 9, 1), (2021, 7, 14), false, 25, None),
    ];
    let schedule = Schedule {
        projects: projects.into_iter().map(status).collect(),
        milestones: milestones.into_iter().map(status).collect(),
        programmes: programmes.into_iter().map(status).collect(),
        finish: d(2022, 4, 8),
        critical_path: vec![p(0), m(0), p(1), m(1)],
        // `pilot` is `at start` of its project: it happens as its day begins.
        milestones_at_day_start: vec![false, false, false, false, true],
    };

    let mut sources = SourceMap::new();
    let file: FileId = sources.add("plan.tranche", SOURCE);
    let at = SOURCE.find("complete 100%").unwrap_or(0);
    let diagnostics = vec![
        Diagnostic::new(
            Code::W046CompleteWithoutFinish,
            Span::new(file, at, at + "complete 100%".len()),
            "`mobile-working` is 100% complete but has no `actual-finish`",
        )
        .with_hint("add `actual-finish DATE` with the day the work finished"),
    ];
    Fixture {
        portfolio: plan,
        schedule,
        diagnostics,
        sources,
    }
}

/// The fixture's report, as of its status date.
pub fn report() -> Report {
    report_from(&fixture())
}

/// The report of a (possibly altered) fixture, with finance computed from it.
pub fn report_from(f: &Fixture) -> Report {
    let calendars = calendar::build_all(&f.portfolio.calendars);
    let money = finance::profile(&f.portfolio, &f.schedule, &calendars);
    view::build(
        &f.portfolio,
        &f.schedule,
        &money,
        &f.diagnostics,
        Some(&f.sources),
        d(2021, 1, 15),
    )
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

/// A plan on disk through the whole pipeline, and its report as of its status date (or its
/// start), before any risk section; `None` when the plan has errors that stop analysis.
fn report_and_analysis_of_plan(
    path: &Path,
) -> Option<(
    Report,
    tranche::model::Portfolio,
    tranche::analysis::Analysis,
)> {
    let mut sources = SourceMap::new();
    let options = tranche::source::Options {
        includes: tranche::source::Includes::InsideFolder,
        detail: finance::Detail::ProjectYearsOnly,
        lints: false,
        level: tranche::analysis::Level::Off,
    };
    let analysed =
        tranche::source::analyse_files(&tranche::cli::StdFs, path, &mut sources, options);
    let (portfolio, analysis) = (analysed.portfolio?, analysed.analysis?);
    let as_of = portfolio.status_date.unwrap_or(portfolio.start);
    let report = view::build(
        &portfolio,
        &analysis.schedule,
        &analysis.finance,
        &analysed.diagnostics,
        Some(&sources),
        as_of,
    )
    .with_capacity(&portfolio, &analysis.load, &analysis.calendars)
    .with_benefits(
        &portfolio,
        &analysis.schedule,
        &analysis.calendars,
        &analysis.finance,
    );
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
