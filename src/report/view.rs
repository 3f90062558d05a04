//! The committee report's view model: one serde value computed from the validated portfolio,
//! its schedule, its finance and the diagnostics that still stand.
//!
//! Input: [`Portfolio`], [`Schedule`], [`Finance`], diagnostics (with their [`SourceMap`] for
//! locations) and the date the report is as of. Output: a [`Report`], and [`render`] to turn it
//! into Markdown, HTML or JSON.
//!
//! Invariant: every number a reader sees is computed here, once, and carried as text beside its
//! exact value ([`Figure`]), or formatted by the one shared function ([`date_text`],
//! [`days_text`]); the renderers only lay it out. So the Markdown, HTML and JSON of one report can
//! never disagree on a figure, and the same inputs give the same bytes (no clock, no hash order).

use chrono::{Datelike, Months, NaiveDate};
use compact_str::CompactString;
use serde::Serialize;

use crate::diagnostic::count::count;
use crate::diagnostic::{self, Diagnostic, Severity, SourceMap};
use crate::finance::{self, Amounts, Finance, Month};
use crate::model::{
    Confidence, ConfidenceLevel, FinancialYear, ItemId, LinkKind, MilestoneTiming, Portfolio,
    ProgrammeId,
};
use crate::money::Money;
use crate::report::text::{Cell, Column, MoneyScale, Table};
use crate::schedule::{Rag, Schedule, Timing};

pub use super::risk_view::{
    Chance, CurveStep, DateSpread, DeadlineChance, Driver, FixedCritical, MilestoneSpread,
    MoneySpread, RiskSection, SavingsSpread, TargetChance,
};

/// The version of the report's JSON (docs/report.md); bumped on any incompatible change.
pub const REPORT_JSON_VERSION: u32 = 1;

/// The committee report: everything the renderers show, in the order they show it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`REPORT_JSON_VERSION`], so consumers of the JSON can tell what they read.
    pub version: u32,
    pub title: String,
    pub currency: String,
    /// The day the report is as of: the portfolio's status date, or the date the caller gave.
    pub as_of: NaiveDate,
    pub plan_start: NaiveDate,
    pub plan_end: NaiveDate,
    /// Delivery confidence as stated in the plan (`confidence`), portfolio first, then
    /// programmes and projects in the author's order, each beside its computed RAG; empty
    /// when the plan states none.
    pub confidence: Vec<StatedConfidence>,
    pub headline: Headline,
    /// RAG by programme, outermost first, in the author's order.
    pub programmes: Vec<ProgrammeStatus>,
    /// RAG by project, grouped by programme in the author's order.
    pub projects: Vec<ProjectStatus>,
    /// Milestones forecast after the as-of date and within the following three months.
    pub milestones_due: Vec<MilestoneStatus>,
    /// Milestones whose due date has passed without them being achieved by it.
    pub milestones_missed: Vec<MilestoneStatus>,
    pub critical_path: Vec<PathStep>,
    /// Money by financial year, for the whole portfolio.
    pub years: Vec<YearFinance>,
    /// Plan, actual, forecast and variance by financial year (`report::outturn_view`), when
    /// the plan records actuals; absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outturn: Option<Vec<crate::report::outturn_view::OutturnYear>>,
    /// The benefits register (`Report::with_benefits`), when the plan uses it; absent from
    /// the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefits: Option<crate::report::benefits_view::BenefitsSection>,
    /// Money in total by theme (and the projects with none).
    pub themes: Vec<ThemeFinance>,
    /// Diagnostics that still stand (errors first by file position, then warnings).
    pub diagnostics: Vec<Finding>,
    pub gantt: Gantt,
    /// The Monte Carlo risk section, only when asked for (`tranche report --risk`); absent
    /// from the JSON otherwise, so a report without it is unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskSection>,
    /// The RAID register and its heat map, when the plan has a RAID log (`report::raid_view`);
    /// absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raid: Option<crate::report::raid_view::RaidSection>,
    /// The options appraisal and the selection, only when asked for (`tranche report
    /// --options`); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<OptionsSection>,
    /// The plan's history from git, only when asked for (`tranche report --trend`); absent
    /// from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<crate::trend::Trend>,
    /// What changed since the previous report (`report --since` or `--previous`); absent from
    /// the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<crate::report::since::Since>,
    /// Each team's people against what the plan needs of them (`Report::with_capacity`);
    /// absent from the JSON when the plan has no teams.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity: Vec<super::capacity_view::TeamCapacity>,
    /// How the Markdown and HTML show money (`report --money`; £k unless said). The JSON
    /// keeps every figure's exact pence and text whatever this is.
    #[serde(skip)]
    pub money: MoneyScale,
}

/// An amount of money, exact and as shown: `text` is `pence` formatted once, here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub pence: i64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub forecast_finish: NaiveDate,
    pub plan_end: NaiveDate,
    /// Calendar days from the plan end to the forecast finish (negative: earlier).
    pub finish_variance_days: i64,
    /// "19 calendar days after the plan end", "on the plan end", ...
    pub finish_variance_text: String,
    pub targets: Vec<TargetStatus>,
    pub npv: Figure,
    pub npv_with_bias: Figure,
    /// Month from which cumulative net cashable money stays at or above zero, as "May 2023";
    /// `None` when it does not pay back within the profile.
    pub payback: Option<String>,
    pub payback_with_bias: Option<String>,
    pub rag: RagCounts,
    pub n_projects: usize,
    pub n_milestones: usize,
    pub n_critical: usize,
    pub n_errors: usize,
    pub n_warnings: usize,
}

/// A delivery confidence the plan states, beside the RAG the schedule computes for the same
/// scope (the portfolio's is the worst of its projects').
#[derive(Debug, Clone, Serialize)]
pub struct StatedConfidence {
    /// `portfolio`, `programme` or `project`.
    pub scope: &'static str,
    /// The programme's or project's id; `None` for the portfolio.
    pub id: Option<String>,
    pub title: String,
    pub level: ConfidenceLevel,
    /// `Amber-green`.
    pub level_text: &'static str,
    pub commentary: String,
    pub rag: Option<Rag>,
}

/// One `target savings` against the forecast savings of its financial year.
#[derive(Debug, Clone, Serialize)]
pub struct TargetStatus {
    pub year: String,
    pub target: Figure,
    pub forecast: Figure,
    /// forecast - target: negative is a shortfall.
    pub gap: Figure,
    pub met: bool,
    /// The target's `accept shortfall "why"`: the reason, when given (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// Projects by RAG status; `no_baseline` counts those with no status (no baseline to slip from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RagCounts {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub no_baseline: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeStatus {
    pub id: String,
    pub title: String,
    /// 0 for a top-level programme, 1 for one inside it, ...
    pub depth: usize,
    pub owner: Option<String>,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    /// Always `None` (`null` in the JSON, kept there for its readers): a programme has no
    /// baseline of its own to slip from.
    pub slip_days: Option<i64>,
    /// The worst of its projects' statuses.
    pub rag: Option<Rag>,
    /// Projects in it, including those of programmes inside it.
    pub n_projects: usize,
}

/// A row per project: its ids and titles are `CompactString`s, which hold the short ones in
/// place, as the model does, so that 100,000 rows built beside the plan cost no allocation
/// each for them (the report's peak; docs/benchmarks.md).
#[derive(Debug, Clone, Serialize)]
pub struct ProjectStatus {
    pub id: CompactString,
    pub title: CompactString,
    /// The nearest enclosing programme's id and title.
    pub programme: Option<CompactString>,
    pub programme_title: Option<CompactString>,
    /// Its own owner, or else the nearest enclosing programme's (`owner_inherited`).
    pub owner: Option<String>,
    pub owner_inherited: bool,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub baseline_finish: Option<NaiveDate>,
    /// Working days late against the baseline finish (negative: early).
    pub slip_days: Option<i64>,
    pub rag: Option<Rag>,
    pub critical: bool,
    pub total_float_days: i64,
    /// `35%`, when progress was given.
    pub complete: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneStatus {
    pub id: String,
    pub title: String,
    /// The project it belongs to, if any.
    pub project: Option<String>,
    /// The date it is due: its baseline, else its deadline, else its fixed date.
    pub due: Option<NaiveDate>,
    pub forecast: NaiveDate,
    /// The day it happened: its `actual-finish`, or else its forecast when that is before the
    /// as-of date (the schedule puts only work already done before the status date, so a
    /// milestone at the finish of a finished project has happened though it has no date of its
    /// own). `None` while it is still to come.
    pub actual: Option<NaiveDate>,
    /// Calendar days from the due date to the actual (or else forecast) date; negative: early.
    pub days_late: Option<i64>,
    pub critical: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathStep {
    pub id: String,
    pub title: String,
    pub kind: RowKind,
    pub start: NaiveDate,
    pub finish: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFinance {
    /// `2022/23`.
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Wholly after the plan's end: in the appraisal period, not the plan window (marked `*`
    /// in the table).
    pub after_plan_end: bool,
    pub capital: Figure,
    pub optimism_bias: Figure,
    pub revenue: Figure,
    pub savings: Figure,
    pub benefits: Figure,
    pub net: Figure,
    pub cumulative_net: Figure,
    /// The `target savings` for the year, if one is set (the largest, if several are).
    pub target: Option<Figure>,
    /// The year's `budget capital` and `budget revenue`, when set; absent from the JSON
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capital_budget: Option<Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue_budget: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeFinance {
    /// The theme's id; empty for projects with no theme.
    pub id: String,
    pub title: String,
    pub capital: Figure,
    pub revenue: Figure,
    pub savings: Figure,
    pub benefits: Figure,
    pub net: Figure,
    pub npv: Figure,
}

/// A diagnostic as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: String,
    /// What the code is about (`high float`): the heading its findings are grouped under.
    pub title: &'static str,
    pub severity: Severity,
    /// `plan.tranche:12:5`, when the diagnostic has a place and the sources are known.
    pub location: Option<String>,
    pub message: String,
    pub notes: Vec<String>,
    pub hint: Option<String>,
}

/// The owner of the nearest programme around `programme` (itself first) that names one. The
/// walk up is bounded by the number of programmes, as parents are declared before children.
fn inherited_owner(
    portfolio: &Portfolio,
    mut programme: Option<crate::model::ProgrammeId>,
) -> Option<&str> {
    for _ in 0..=portfolio.programmes.len() {
        let g = portfolio.programmes.get(programme?.0 as usize)?;
        if let Some(owner) = g.owner.as_deref() {
            return Some(owner);
        }
        programme = g.parent;
    }
    None
}

/// Findings grouped by code, each group in the order its code first appears: a committee sees
/// that W107 came eleven times before it reads them.
pub(crate) fn by_code(findings: &[Finding]) -> Vec<(&Finding, Vec<&Finding>)> {
    let mut groups: Vec<(&Finding, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match groups.iter_mut().find(|(first, _)| first.code == f.code) {
            Some((_, members)) => members.push(f),
            None => groups.push((f, vec![f])),
        }
    }
    groups
}

/// The Gantt chart's content: rows in display order and the links between them. Layout
/// (pixels) is the SVG renderer's business; every date here comes from the schedule.
#[derive(Debug, Clone, Serialize)]
pub struct Gantt {
    /// The first and last day the chart shows: the whole months from the earliest forecast,
    /// baseline or deadline to the latest.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status_date: Option<NaiveDate>,
    pub years: Vec<YearBand>,
    pub rows: Vec<GanttRow>,
    pub links: Vec<GanttLink>,
    /// The rows cut at each top-level programme, in order, covering every row once: the
    /// printed chart keeps a programme together on a page where it fits.
    pub sections: Vec<GanttSection>,
}

/// A run of Gantt rows under one top-level programme (or, for work outside any programme,
/// under none).
#[derive(Debug, Clone, Serialize)]
pub struct GanttSection {
    /// The top-level programme's id; `None` for work outside programmes.
    pub programme: Option<String>,
    /// The programme's title, or `Outside programmes`.
    pub title: String,
    /// Index of the section's first row in `rows`.
    pub first_row: usize,
    pub n_rows: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearBand {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    Programme,
    Project,
    Milestone,
}

/// A row per item; its ids and title are `CompactString`s, as [`ProjectStatus`]'s are.
#[derive(Debug, Clone, Serialize)]
pub struct GanttRow {
    pub id: CompactString,
    pub kind: RowKind,
    pub title: CompactString,
    /// The nearest enclosing programme's id (for a programme: its parent's).
    pub programme: Option<CompactString>,
    pub depth: usize,
    /// Forecast dates (inclusive); equal for a milestone.
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_finish: Option<NaiveDate>,
    pub critical: bool,
    /// Working days late against the baseline finish (projects with a baseline).
    pub slip_days: Option<i64>,
    pub rag: Option<Rag>,
    /// A project's percent complete as the plan gives it (`40%`), the same text as the status
    /// table's; `complete_share` is the same figure from 0 to 1, for the bar's filled part.
    pub complete: Option<String>,
    pub complete_share: Option<f64>,
    /// The item's deadline, and whether its forecast finish is after it (the schedule's E070).
    pub deadline: Option<NaiveDate>,
    pub deadline_missed: bool,
}

/// A dependency drawn as an arrow: `to` depends on `from`. Its ends are `CompactString`s, as
/// [`ProjectStatus`]'s ids are: a plan has more links than items.
#[derive(Debug, Clone, Serialize)]
pub struct GanttLink {
    pub from: CompactString,
    pub to: CompactString,
    /// Serialised as `FS`, `SS`, `FF` or `SF`.
    pub kind: LinkKind,
    /// Both ends are critical.
    pub critical: bool,
}

/// The formats `tranche report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown that pastes into a committee paper (tables; Gantt as a Mermaid block).
    #[value(name = "md")]
    Markdown,
    /// One self-contained HTML page with a Gantt chart and a savings chart.
    Html,
    /// The report's view model (schema in docs/report.md).
    Json,
}

// The renderers import the view, so the view does not call them: `render` lives beside them
// in `report` and is named here too, where the CLI and the tests have always found it.
pub use super::render_report as render;

/// The report as pretty JSON, ending in a newline. Dates are ISO; money is `{pence, text}`.
pub fn json(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Every field is a string, number, bool, date or a struct of those: serialising cannot fail.
        Err(error) => panic!("the report view serialises to JSON: {error}"),
    }
}

/// Builds the report as of `as_of` (the status date, normally).
///
/// Panics if the schedule or finance do not match the portfolio (a bug in the caller): the
/// schedule's and the finance's vectors must be indexed like the portfolio's.
pub fn build(
    portfolio: &Portfolio,
    schedule: &Schedule,
    finance: &Finance,
    diagnostics: &[Diagnostic],
    sources: Option<&SourceMap>,
    as_of: NaiveDate,
) -> Report {
    let findings = findings(diagnostics, &finance.diagnostics, sources);
    build_with_findings(portfolio, schedule, finance, findings, as_of)
}

/// [`build`] from the findings [`findings`] made: a caller that holds the plan's sources only
/// to place its diagnostics lets them go before the rows are built (the text of a plan of
/// 100,000 projects is 14 MB).
pub fn build_with_findings(
    portfolio: &Portfolio,
    schedule: &Schedule,
    finance: &Finance,
    findings: Vec<Finding>,
    as_of: NaiveDate,
) -> Report {
    assert_eq!(
        schedule.projects.len(),
        portfolio.projects.len(),
        "the schedule has one timing per project"
    );
    assert_eq!(
        schedule.milestones.len(),
        portfolio.milestones.len(),
        "the schedule has one timing per milestone"
    );
    assert_eq!(
        schedule.programmes.len(),
        portfolio.programmes.len(),
        "the schedule has one timing per programme"
    );
    let order = Order::of(portfolio);
    let projects = project_statuses(portfolio, schedule, &order);
    let programmes = programme_statuses(portfolio, schedule, &order);
    let (milestones_due, milestones_missed) = milestone_statuses(portfolio, schedule, as_of);
    let years = year_finances(portfolio, finance);
    let headline = headline(portfolio, schedule, finance, &projects, &findings);
    let confidence = stated_confidence(portfolio, schedule, &order);
    Report {
        version: REPORT_JSON_VERSION,
        title: portfolio.title.clone(),
        currency: portfolio.currency.clone(),
        as_of,
        plan_start: portfolio.start,
        plan_end: portfolio.end,
        confidence,
        headline,
        programmes,
        projects,
        milestones_due,
        milestones_missed,
        critical_path: critical_path(portfolio, schedule),
        outturn: crate::report::outturn_view::outturn(finance),
        themes: theme_finances(finance),
        diagnostics: findings,
        gantt: gantt(portfolio, schedule, &order, &years),
        years,
        risk: None,
        raid: crate::report::raid_view::build(portfolio),
        options: None,
        trend: None,
        since: None,
        benefits: None,
        capacity: Vec::new(),
        money: portfolio.money_scale.unwrap_or_default(),
    }
}

/// The options section of the report (`report --options`): each scenario against the
/// baseline option, and the best selection of projects (docs/options.md).
#[derive(Debug, Clone, Serialize)]
pub struct OptionsSection {
    pub comparison: crate::options::Comparison,
    pub selection: crate::select::Selection,
}

/// `Aug`; never reached with a month outside 1 to 12, chrono's months are those.
fn month_abbreviation(month: u32) -> &'static str {
    crate::report::text::month_abbreviation(month).unwrap_or("???")
}

/// The report's tables that read the same in every format: each renderer prints them as they
/// are, so a column is added or renamed here once.
impl Report {
    /// Money by financial year, for the whole portfolio.
    pub(crate) fn years_table(&self) -> Table {
        // Budgets as columns only when the plan sets them: the chart draws them, and the table
        // gives the same figures.
        let capital_budgets = self.years.iter().any(|y| y.capital_budget.is_some());
        let revenue_budgets = self.years.iter().any(|y| y.revenue_budget.is_some());
        // Optimism bias only when the plan sets some, as `tranche finance` shows it: a column
        // of zeros says nothing.
        let bias = self.years.iter().any(|y| y.optimism_bias.pence != 0);
        let mut columns = vec![Column::text("Financial year"), Column::number("Capital")];
        if bias {
            columns.push(Column::number("Optimism bias"));
        }
        columns.extend([
            Column::number("Revenue"),
            Column::number("Savings"),
            Column::number("Net cashable"),
            Column::number("Cumulative net"),
            Column::number("Savings target"),
        ]);
        if capital_budgets {
            columns.push(Column::number("Capital budget"));
        }
        if revenue_budgets {
            columns.push(Column::number("Revenue budget"));
        }
        columns.push(Column::number("Non-cashable benefits"));
        let marked = self.years.iter().any(|y| y.after_plan_end);
        let mut table = Table::new(
            if marked {
                "Money by financial year (* after the plan's end)"
            } else {
                "Money by financial year"
            },
            columns,
        );
        table.money = self.money;
        let optional = |f: &Option<Figure>| f.as_ref().map_or(Cell::Missing, Figure::cell);
        for y in &self.years {
            let label = if y.after_plan_end {
                format!("{}*", y.label)
            } else {
                y.label.clone()
            };
            let mut row = vec![Cell::Text(label), y.capital.cell()];
            if bias {
                row.push(y.optimism_bias.cell());
            }
            row.extend([
                y.revenue.cell(),
                y.savings.cell(),
                y.net.cell(),
                y.cumulative_net.cell(),
                optional(&y.target),
            ]);
            if capital_budgets {
                row.push(optional(&y.capital_budget));
            }
            if revenue_budgets {
                row.push(optional(&y.revenue_budget));
            }
            row.push(y.benefits.cell());
            table.push(row);
        }
        table
    }

    /// Each savings target against the forecast savings of its financial year.
    pub(crate) fn targets_table(&self) -> Table {
        let mut table = Table::new(
            "Savings targets by financial year",
            vec![
                Column::text("Financial year"),
                Column::number("Target"),
                Column::number("Forecast savings"),
                Column::number("Difference"),
                Column::text("Status"),
            ],
        );
        table.money = self.money;
        for t in &self.headline.targets {
            table.push(vec![
                Cell::Text(t.year.clone()),
                t.target.cell(),
                t.forecast.cell(),
                t.gap.cell(),
                met_cell(t.met, t.accepted.is_some()),
            ]);
        }
        table
    }

    /// Each programme's forecast and RAG, nested programmes under their parents. No slippage:
    /// a programme has no baseline of its own, and its RAG is its worst project's.
    pub(crate) fn programmes_table(&self) -> Table {
        let mut table = Table::new(
            "Status by programme",
            vec![
                Column::text("Programme"),
                Column::text("Owner"),
                Column::number("Projects"),
                Column::date("Forecast finish"),
                Column::text("RAG"),
            ],
        );
        for p in &self.programmes {
            table.push(vec![
                Cell::Nested {
                    text: p.title.clone(),
                    depth: p.depth,
                },
                p.owner.clone().map_or(Cell::Missing, Cell::User),
                Cell::Text(p.n_projects.to_string()),
                Cell::Text(date_text(p.finish)),
                rag_cell(p.rag),
            ]);
        }
        table
    }

    /// Delivery confidence as stated, beside the computed RAG, with the commentary.
    pub(crate) fn confidence_table(&self) -> Table {
        let mut table = Table::new(
            "Delivery confidence",
            vec![
                Column::text("Scope"),
                Column::text("Name"),
                Column::text("Stated confidence"),
                Column::text("Computed RAG"),
                Column::text("Commentary"),
            ],
        );
        for c in &self.confidence {
            let (scope, name) = match &c.id {
                None => ("Portfolio", Cell::User(c.title.clone())),
                Some(id) => (
                    if c.scope == "programme" {
                        "Programme"
                    } else {
                        "Project"
                    },
                    Cell::named(&c.title, id),
                ),
            };
            table.push(vec![
                Cell::Text(scope.to_string()),
                name,
                confidence_cell(c.level),
                rag_cell(c.rag),
                Cell::User(c.commentary.clone()),
            ]);
        }
        table
    }

    /// Money in total by theme.
    pub(crate) fn themes_table(&self) -> Table {
        let mut table = Table::new(
            "Money by theme over the appraisal period",
            vec![
                Column::text("Theme"),
                Column::number("Capital"),
                Column::number("Revenue"),
                Column::number("Savings"),
                Column::number("Net cashable"),
                Column::number("Net present value"),
                Column::number("Non-cashable benefits"),
            ],
        );
        table.money = self.money;
        for t in &self.themes {
            table.push(vec![
                Cell::named(&t.title, &t.id),
                t.capital.cell(),
                t.revenue.cell(),
                t.savings.cell(),
                t.net.cell(),
                t.npv.cell(),
                t.benefits.cell(),
            ]);
        }
        table
    }
}

/// Milestones due or missed, under `caption`.
pub(crate) fn milestones_table(caption: &'static str, milestones: &[MilestoneStatus]) -> Table {
    let mut table = Table::new(
        caption,
        vec![
            Column::text("Milestone"),
            Column::text("Project"),
            Column::date("Due"),
            Column::date("Forecast"),
            Column::date("Actual"),
            Column::number("Late (calendar days)"),
            Column::text("Critical"),
        ],
    );
    for m in milestones {
        table.push(vec![
            Cell::named(&m.title, &m.id),
            m.project.clone().map_or(Cell::Missing, Cell::Code),
            date_cell(m.due),
            date_cell(Some(m.forecast)),
            date_cell(m.actual),
            m.days_late
                .map_or(Cell::Missing, |d| Cell::Text(days_text(d))),
            Cell::Flag(m.critical),
        ]);
    }
    table
}

impl Figure {
    /// The figure in a table: its text, marked when negative.
    pub(crate) fn cell(&self) -> Cell {
        Cell::Money {
            text: self.text.clone(),
            negative: self.pence < 0,
            pence: self.pence,
        }
    }
}

/// A date as readers see it, or a dash.
pub(crate) fn date_cell(date: Option<NaiveDate>) -> Cell {
    date.map_or(Cell::Missing, |d| Cell::Text(date_text(d)))
}

/// `31 Aug 2021`: the one way a date is shown to readers, in every format.
pub fn date_text(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_abbreviation(date.month()),
        date.year()
    )
}

/// `May 2023`.
pub(crate) fn month_text(month: Month) -> String {
    format!("{} {}", month_abbreviation(month.month()), month.year())
}

/// A signed count of working days: `+12`, `-3`, `0`.
pub fn days_text(days: i64) -> String {
    if days > 0 {
        format!("+{days}")
    } else {
        days.to_string()
    }
}

/// `Green`, `Amber`, `Red`: RAG is always shown in words too, never by colour alone.
pub fn rag_text(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "Green",
        Some(Rag::Amber) => "Amber",
        Some(Rag::Red) => "Red",
        None => "No baseline",
    }
}

/// The class HTML gives a RAG status.
pub(crate) fn rag_class(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "rag-green",
        Some(Rag::Amber) => "rag-amber",
        Some(Rag::Red) => "rag-red",
        None => "rag-none",
    }
}

/// A shape for each status, so RAG never rests on colour alone: ● green, ▲ amber, ■ red.
pub(crate) fn rag_mark(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "●",
        Some(Rag::Amber) => "▲",
        Some(Rag::Red) => "■",
        None => "○",
    }
}

/// A RAG status in a table: its word, its shape and its colour.
pub(crate) fn rag_cell(rag: Option<Rag>) -> Cell {
    Cell::Marked {
        class: format!("rag {}", rag_class(rag)),
        mark: rag_mark(rag),
        text: rag_text(rag),
    }
}

/// A stated delivery confidence in a table: its word, a shape (so it never rests on colour
/// alone: ● green, ◕ amber-green, ▲ amber, ◆ amber-red, ■ red) and a colour.
pub(crate) fn confidence_cell(level: ConfidenceLevel) -> Cell {
    let (class, mark) = match level {
        ConfidenceLevel::Green => ("rag rag-green", "●"),
        ConfidenceLevel::AmberGreen => ("rag rag-amber-green", "◕"),
        ConfidenceLevel::Amber => ("rag rag-amber", "▲"),
        ConfidenceLevel::AmberRed => ("rag rag-amber-red", "◆"),
        ConfidenceLevel::Red => ("rag rag-red", "■"),
    };
    Cell::Marked {
        class: class.into(),
        mark,
        text: level.label(),
    }
}

/// A savings target met or missed, with a tick or a cross; a miss whose shortfall the plan
/// accepts says so, as `tranche finance` does (`MISSED, accepted`).
pub(crate) fn met_cell(met: bool, accepted: bool) -> Cell {
    let (class, mark, text) = match (met, accepted) {
        (true, _) => ("met", "✓", "Met"),
        (false, false) => ("missed", "✗", "Missed"),
        (false, true) => ("missed", "✗", "Missed, accepted"),
    };
    Cell::Marked {
        class: class.into(),
        mark,
        text,
    }
}

pub(crate) fn figure(money: Money) -> Figure {
    Figure {
        pence: money.pence(),
        text: money.to_string(),
    }
}

/// The portfolio's items in the author's order, depth first, with each programme's depth. Built
/// with an explicit stack, so a deep nesting of programmes cannot overflow the call stack.
struct Order {
    /// (item, depth) in display order: a programme, then its children; a project, then its
    /// milestones.
    items: Vec<(ItemId, usize)>,
}

impl Order {
    fn of(portfolio: &Portfolio) -> Order {
        let mut seen_projects = vec![false; portfolio.projects.len()];
        let mut seen_milestones = vec![false; portfolio.milestones.len()];
        let mut seen_programmes = vec![false; portfolio.programmes.len()];
        let mut items = Vec::new();
        let mut stack: Vec<(ItemId, usize)> = portfolio
            .roots
            .iter()
            .rev()
            .map(|item| (*item, 0))
            .collect();
        // Items a hand-built or partial portfolio leaves out of `roots` still get a row, after
        // the others, in index order. The cursors only move forward (a seen item stays seen),
        // so finding them costs one pass in all, however many there are.
        let mut cursors = [0usize; 3];
        let mut leftover = |seen_projects: &[bool],
                            seen_milestones: &[bool],
                            seen_programmes: &[bool]|
         -> Option<(ItemId, usize)> {
            let [programmes, projects, milestones] = &mut cursors;
            if let Some(i) = next_unseen(seen_programmes, programmes) {
                return Some((ItemId::Programme(ProgrammeId(i as u32)), 0));
            }
            if let Some(i) = next_unseen(seen_projects, projects) {
                return Some((ItemId::Project(crate::model::ProjectId(i as u32)), 0));
            }
            next_unseen(seen_milestones, milestones)
                .map(|i| (ItemId::Milestone(crate::model::MilestoneId(i as u32)), 0))
        };
        while let Some((item, depth)) = stack
            .pop()
            .or_else(|| leftover(&seen_projects, &seen_milestones, &seen_programmes))
        {
            let seen = match item {
                ItemId::Project(id) => seen_projects.get_mut(id.0 as usize),
                ItemId::Milestone(id) => seen_milestones.get_mut(id.0 as usize),
                ItemId::Programme(id) => seen_programmes.get_mut(id.0 as usize),
            };
            match seen {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            items.push((item, depth));
            match item {
                ItemId::Programme(id) => {
                    if let Some(programme) = portfolio.programmes.get(id.0 as usize) {
                        stack.extend(programme.children.iter().rev().map(|c| (*c, depth + 1)));
                    }
                }
                ItemId::Project(id) => {
                    if let Some(project) = portfolio.projects.get(id.0 as usize) {
                        stack.extend(
                            project
                                .milestones
                                .iter()
                                .rev()
                                .map(|m| (ItemId::Milestone(*m), depth + 1)),
                        );
                    }
                }
                ItemId::Milestone(_) => {}
            }
        }
        Order { items }
    }
}

/// The first index at or after `cursor` not yet seen, moving `cursor` there.
fn next_unseen(seen: &[bool], cursor: &mut usize) -> Option<usize> {
    while let Some(done) = seen.get(*cursor) {
        if !done {
            return Some(*cursor);
        }
        *cursor += 1;
    }
    None
}

fn timing(schedule: &Schedule, item: ItemId) -> &Timing {
    schedule.timing(item).unwrap_or_else(|| {
        panic!("the schedule has a timing for every item of the portfolio ({item:?})")
    })
}

/// An item's id and title, borrowed from the plan (callers copy what they keep).
fn item_id_and_title(portfolio: &Portfolio, item: ItemId) -> (&CompactString, &CompactString) {
    portfolio
        .id_and_title(item)
        .unwrap_or_else(|| panic!("every item id points into the portfolio ({item:?})"))
}

fn programme_of(
    portfolio: &Portfolio,
    id: Option<ProgrammeId>,
) -> (Option<CompactString>, Option<CompactString>) {
    match id.and_then(|p| portfolio.programmes.get(p.0 as usize)) {
        Some(programme) => (Some(programme.id.clone()), Some(programme.title.clone())),
        None => (None, None),
    }
}

fn project_statuses(
    portfolio: &Portfolio,
    schedule: &Schedule,
    order: &Order,
) -> Vec<ProjectStatus> {
    // A row per project, allocated once: grown by doubling, the vector held up to twice its
    // rows, and both copies while it moved (tens of MB at 100,000 projects).
    let mut rows = Vec::with_capacity(portfolio.projects.len());
    let projects = order
        .items
        .iter()
        .filter_map(|(item, _)| match item {
            ItemId::Project(id) => Some(*id),
            _ => None,
        })
        .filter_map(|id| {
            let project = portfolio.projects.get(id.0 as usize)?;
            let timing = timing(schedule, ItemId::Project(id));
            let (programme, programme_title) = programme_of(portfolio, project.programme);
            Some(ProjectStatus {
                id: project.id.clone(),
                title: project.title.clone(),
                programme,
                programme_title,
                owner: project
                    .owner()
                    .or_else(|| inherited_owner(portfolio, project.programme))
                    .map(str::to_string),
                owner_inherited: project.owner().is_none()
                    && inherited_owner(portfolio, project.programme).is_some(),
                start: timing.start,
                finish: timing.finish,
                baseline_finish: project.baseline().map(|b| b.finish),
                slip_days: timing.slip_days,
                rag: timing.rag,
                critical: timing.critical,
                total_float_days: timing.total_float_days,
                complete: project.progress().complete.map(|c| c.to_string()),
            })
        });
    rows.extend(projects);
    rows
}

/// The programmes enclosing a programme or project, nearest first. Bounded by the number of
/// programmes, so even a (never valid) cycle of parents ends.
fn ancestors(portfolio: &Portfolio, first: Option<ProgrammeId>) -> Vec<ProgrammeId> {
    let mut chain = Vec::new();
    let mut current = first;
    while let Some(id) = current {
        if chain.len() > portfolio.programmes.len() {
            break;
        }
        chain.push(id);
        current = portfolio
            .programmes
            .get(id.0 as usize)
            .and_then(|p| p.parent);
    }
    chain
}

fn programme_statuses(
    portfolio: &Portfolio,
    schedule: &Schedule,
    order: &Order,
) -> Vec<ProgrammeStatus> {
    let n = portfolio.programmes.len();
    let rags = schedule.programme_rags(portfolio);
    let mut n_projects = vec![0usize; n];
    for project in &portfolio.projects {
        for programme in ancestors(portfolio, project.programme) {
            if let Some(count) = n_projects.get_mut(programme.0 as usize) {
                *count += 1;
            }
        }
    }
    order
        .items
        .iter()
        .filter_map(|(item, _)| match item {
            ItemId::Programme(id) => Some(*id),
            _ => None,
        })
        .filter_map(|id| {
            let programme = portfolio.programmes.get(id.0 as usize)?;
            let timing = timing(schedule, ItemId::Programme(id));
            let i = id.0 as usize;
            Some(ProgrammeStatus {
                id: programme.id.to_string(),
                title: programme.title.to_string(),
                depth: ancestors(portfolio, programme.parent).len(),
                owner: programme.owner.clone(),
                start: timing.start,
                finish: timing.finish,
                slip_days: timing.slip_days,
                rag: rags.get(i).copied().flatten(),
                n_projects: n_projects.get(i).copied().unwrap_or(0),
            })
        })
        .collect()
}

/// The confidence the plan states for the portfolio, then its programmes and projects in the
/// author's order, each with its computed RAG.
fn stated_confidence(
    portfolio: &Portfolio,
    schedule: &Schedule,
    order: &Order,
) -> Vec<StatedConfidence> {
    let mut rows = Vec::new();
    let row = |scope, id: Option<&str>, title: &str, stated: &Confidence, rag| StatedConfidence {
        scope,
        id: id.map(str::to_string),
        title: title.to_string(),
        level: stated.level,
        level_text: stated.level.label(),
        commentary: stated.commentary.clone(),
        rag,
    };
    if let Some(stated) = &portfolio.confidence {
        let worst = schedule.projects.iter().filter_map(|t| t.rag).max();
        rows.push(row("portfolio", None, &portfolio.title, stated, worst));
    }
    let programme_rags = schedule.programme_rags(portfolio);
    for (item, _) in &order.items {
        match item {
            ItemId::Programme(id) => {
                let Some(programme) = portfolio.programmes.get(id.0 as usize) else {
                    continue;
                };
                if let Some(stated) = &programme.confidence {
                    let rag = programme_rags.get(id.0 as usize).copied().flatten();
                    rows.push(row(
                        "programme",
                        Some(&programme.id),
                        &programme.title,
                        stated,
                        rag,
                    ));
                }
            }
            ItemId::Project(id) => {
                let Some(project) = portfolio.projects.get(id.0 as usize) else {
                    continue;
                };
                if let Some(stated) = project.confidence() {
                    let rag = schedule.projects.get(id.0 as usize).and_then(|t| t.rag);
                    rows.push(row(
                        "project",
                        Some(&project.id),
                        &project.title,
                        stated,
                        rag,
                    ));
                }
            }
            ItemId::Milestone(_) => {}
        }
    }
    rows
}

/// The date a milestone is due: its approved (baseline) date, else its deadline, else the date
/// it is fixed on.
fn milestone_due(milestone: &crate::model::Milestone) -> Option<NaiveDate> {
    milestone
        .baseline()
        .map(|b| b.finish)
        .or(milestone.deadline.map(|d| d.date))
        .or(match milestone.timing {
            MilestoneTiming::On(date) => Some(date),
            _ => None,
        })
}

/// Milestones forecast in the quarter after `as_of` (after it, up to three months on), and those
/// missed: due before `as_of` and not achieved by their due date.
fn milestone_statuses(
    portfolio: &Portfolio,
    schedule: &Schedule,
    as_of: NaiveDate,
) -> (Vec<MilestoneStatus>, Vec<MilestoneStatus>) {
    let horizon = as_of
        .checked_add_months(Months::new(3))
        .unwrap_or(NaiveDate::MAX);
    let mut due = Vec::new();
    let mut missed = Vec::new();
    for (index, milestone) in portfolio.milestones.iter().enumerate() {
        let Some(timing) = schedule.milestones.get(index) else {
            continue;
        };
        let due_date = milestone_due(milestone);
        let actual = milestone
            .actual()
            .map(|a| a.date)
            .or((timing.finish < as_of).then_some(timing.finish));
        let status = MilestoneStatus {
            id: milestone.id.to_string(),
            title: milestone.title.to_string(),
            project: milestone
                .project
                .and_then(|p| portfolio.projects.get(p.0 as usize))
                .map(|p| p.id.to_string()),
            due: due_date,
            forecast: timing.finish,
            actual,
            days_late: due_date.map(|due| {
                actual
                    .unwrap_or(timing.finish)
                    .signed_duration_since(due)
                    .num_days()
            }),
            critical: timing.critical,
        };
        let achieved = status.actual.is_some();
        if !achieved && status.forecast > as_of && status.forecast <= horizon {
            due.push(status.clone());
        }
        if let Some(due_date) = status.due {
            let late = match status.actual {
                Some(actual) => actual > due_date,
                None => true,
            };
            if due_date < as_of && late {
                missed.push(status);
            }
        }
    }
    let key = |m: &MilestoneStatus| (m.forecast, m.id.clone());
    due.sort_by_key(key);
    missed.sort_by_key(|m| (m.due, m.id.clone()));
    (due, missed)
}

fn critical_path(portfolio: &Portfolio, schedule: &Schedule) -> Vec<PathStep> {
    schedule
        .critical_path
        .iter()
        .map(|item| {
            let (id, title) = item_id_and_title(portfolio, *item);
            let timing = timing(schedule, *item);
            PathStep {
                id: id.to_string(),
                title: title.to_string(),
                kind: row_kind(*item),
                start: timing.start,
                finish: timing.finish,
            }
        })
        .collect()
}

fn row_kind(item: ItemId) -> RowKind {
    match item {
        ItemId::Project(_) => RowKind::Project,
        ItemId::Milestone(_) => RowKind::Milestone,
        ItemId::Programme(_) => RowKind::Programme,
    }
}

fn year_bounds(year: FinancialYear, start_month: u32) -> (NaiveDate, NaiveDate) {
    let month = start_month.clamp(1, 12);
    let start = NaiveDate::from_ymd_opt(year.0, month, 1).unwrap_or(NaiveDate::MIN);
    let end = NaiveDate::from_ymd_opt(year.0 + 1, month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    (start, end)
}

fn year_finances(portfolio: &Portfolio, finance: &Finance) -> Vec<YearFinance> {
    let fy = finance.financial_year_start;
    finance
        .years
        .iter()
        .enumerate()
        .map(|(index, year)| {
            let amounts: Amounts = finance.portfolio.yearly.get(index).unwrap_or_default();
            let target = portfolio
                .targets
                .iter()
                .filter(|t| t.year == *year)
                .map(|t| t.amount)
                .max()
                .map(figure);
            let budget = |kind: crate::model::BudgetKind| {
                portfolio
                    .budgets
                    .iter()
                    .find(|b| b.year == *year && b.kind == kind)
                    .map(|b| figure(b.amount))
            };
            let (start, end) = year_bounds(*year, fy);
            YearFinance {
                label: finance::year_label(*year, fy),
                start,
                end,
                after_plan_end: finance.year_after_plan_end(*year),
                capital: figure(amounts.capital),
                optimism_bias: figure(amounts.optimism_bias),
                revenue: figure(amounts.revenue),
                savings: figure(amounts.savings),
                benefits: figure(amounts.benefits),
                net: figure(amounts.net_cashable),
                cumulative_net: figure(amounts.cumulative_net),
                target,
                capital_budget: budget(crate::model::BudgetKind::Capital),
                revenue_budget: budget(crate::model::BudgetKind::Revenue),
            }
        })
        .collect()
}

fn theme_finances(finance: &Finance) -> Vec<ThemeFinance> {
    let row = |profile: &finance::Profile, id: &str, title: &str| ThemeFinance {
        id: id.to_owned(),
        title: title.to_owned(),
        capital: figure(profile.total.capital),
        revenue: figure(profile.total.revenue),
        savings: figure(profile.total.savings),
        benefits: figure(profile.total.benefits),
        net: figure(profile.total.net_cashable),
        npv: figure(profile.appraisal.npv),
    };
    let mut rows: Vec<ThemeFinance> = finance
        .themes
        .iter()
        .map(|p| row(p, &p.id, &p.title))
        .collect();
    let unthemed = &finance.unthemed;
    let has_money = unthemed.total != Amounts::default();
    if has_money || rows.is_empty() {
        rows.push(row(unthemed, "", "No theme"));
    }
    rows
}

/// The diagnostics as the report shows them, each once (the caller may or may not have passed
/// the finance's own on), errors first; placed in their files when `sources` are given.
pub fn findings(
    diagnostics: &[Diagnostic],
    from_finance: &[Diagnostic],
    sources: Option<&SourceMap>,
) -> Vec<Finding> {
    let mut all: Vec<Diagnostic> = diagnostics.to_vec();
    // The caller may or may not have passed finance's own diagnostics on: show each once.
    for d in from_finance {
        if !all.contains(d) {
            all.push(d.clone());
        }
    }
    diagnostic::sort(&mut all);
    all.sort_by_key(|d| d.severity);
    all.iter()
        .map(|d| Finding {
            code: d.code.as_str().to_owned(),
            title: d.code.title(),
            severity: d.severity,
            location: d.span.and_then(|span| {
                let sources = sources?;
                let (_, file) = sources.files().find(|(id, _)| *id == span.file)?;
                let (line, column) = sources.line_col(span.file, span.start);
                Some(format!("{}:{line}:{column}", file.name))
            }),
            message: d.message.clone(),
            notes: d.notes.iter().map(|n| n.message.clone()).collect(),
            hint: d.hint.clone(),
        })
        .collect()
}

fn headline(
    portfolio: &Portfolio,
    schedule: &Schedule,
    finance: &Finance,
    projects: &[ProjectStatus],
    findings: &[Finding],
) -> Headline {
    let variance = schedule
        .finish
        .signed_duration_since(portfolio.end)
        .num_days();
    let finish_variance_text = match variance {
        0 => "on the plan end".to_owned(),
        // Calendar days, and said so: beside them the report counts slippage in working days.
        1 => "1 calendar day after the plan end".to_owned(),
        -1 => "1 calendar day before the plan end".to_owned(),
        v if v > 0 => format!(
            "{} after the plan end",
            count(v, "calendar day", "calendar days")
        ),
        v => format!(
            "{} before the plan end",
            count(v.unsigned_abs(), "calendar day", "calendar days")
        ),
    };
    let fy = finance.financial_year_start;
    // In year order, as a committee reads them, whatever order the plan lists them in (the
    // sort is stable, and each year has one target).
    let mut in_year_order: Vec<&crate::model::Target> = portfolio.targets.iter().collect();
    in_year_order.sort_by_key(|target| target.year);
    let targets = in_year_order
        .into_iter()
        .map(|target| {
            // The forecast `finance` judges the target on: actuals for a year that is over.
            let forecast = finance
                .years
                .iter()
                .position(|y| *y == target.year)
                .map_or(Money::ZERO, |i| {
                    finance.portfolio.outturn(i).savings.forecast
                });
            let gap = Money(forecast.0.saturating_sub(target.amount.0));
            TargetStatus {
                year: finance::year_label(target.year, fy),
                target: figure(target.amount),
                forecast: figure(forecast),
                gap: figure(gap),
                met: forecast >= target.amount,
                accepted: target.accept.clone(),
            }
        })
        .collect();
    let mut rag = RagCounts::default();
    for project in projects {
        match project.rag {
            Some(Rag::Green) => rag.green += 1,
            Some(Rag::Amber) => rag.amber += 1,
            Some(Rag::Red) => rag.red += 1,
            None => rag.no_baseline += 1,
        }
    }
    let appraisal = &finance.portfolio.appraisal;
    Headline {
        forecast_finish: schedule.finish,
        plan_end: portfolio.end,
        finish_variance_days: variance,
        finish_variance_text,
        targets,
        npv: figure(appraisal.npv),
        npv_with_bias: figure(appraisal.npv_with_bias),
        payback: appraisal.payback.map(month_text),
        payback_with_bias: appraisal.payback_with_bias.map(month_text),
        rag,
        n_projects: portfolio.projects.len(),
        n_milestones: portfolio.milestones.len(),
        n_critical: projects.iter().filter(|p| p.critical).count(),
        n_errors: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        n_warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count(),
    }
}

fn gantt(
    portfolio: &Portfolio,
    schedule: &Schedule,
    order: &Order,
    years: &[YearFinance],
) -> Gantt {
    let rows: Vec<GanttRow> = order
        .items
        .iter()
        .map(|(item, depth)| gantt_row(portfolio, schedule, *item, *depth))
        .collect();
    let links = gantt_links(portfolio, schedule);
    let (start, end) = gantt_axis(portfolio, &rows);
    let bands = years
        .iter()
        .filter(|y| y.end >= start && y.start <= end)
        .map(|y| YearBand {
            label: y.label.clone(),
            start: y.start.max(start),
            end: y.end.min(end),
        })
        .collect();
    let sections = gantt_sections(&rows);
    Gantt {
        start,
        end,
        status_date: portfolio.status_date,
        years: bands,
        rows,
        links,
        sections,
    }
}

/// The chart's row of `item`, `depth` programmes deep.
fn gantt_row(portfolio: &Portfolio, schedule: &Schedule, item: ItemId, depth: usize) -> GanttRow {
    let (id, title) = item_id_and_title(portfolio, item);
    let (id, title) = (id.clone(), title.clone());
    let timing = timing(schedule, item);
    let (programme, baseline, complete, deadline) = match item {
        ItemId::Project(p) => {
            let project = portfolio.projects.get(p.0 as usize);
            (
                project.and_then(|p| p.programme),
                project
                    .and_then(|p| p.baseline())
                    .map(|b| (b.start, b.finish)),
                project.and_then(|p| p.progress().complete),
                project.and_then(|p| p.deadline).map(|d| d.date),
            )
        }
        ItemId::Milestone(m) => {
            let milestone = portfolio.milestones.get(m.0 as usize);
            (
                milestone.and_then(|m| m.programme),
                milestone
                    .and_then(|m| m.baseline())
                    .map(|b| (b.finish, b.finish)),
                None,
                milestone.and_then(|m| m.deadline).map(|d| d.date),
            )
        }
        ItemId::Programme(p) => (
            portfolio
                .programmes
                .get(p.0 as usize)
                .and_then(|p| p.parent),
            None,
            None,
            None,
        ),
    };
    let finish = timing.finish.max(timing.start);
    GanttRow {
        id,
        kind: row_kind(item),
        title,
        programme: programme_of(portfolio, programme).0,
        depth,
        start: timing.start,
        finish,
        baseline_start: baseline.map(|b| b.0),
        baseline_finish: baseline.map(|b| b.1),
        critical: timing.critical,
        slip_days: timing.slip_days,
        rag: timing.rag,
        complete: complete.map(|c| c.to_string()),
        complete_share: complete.map(|c| c.basis_points().clamp(0, 10_000) as f64 / 10_000.0),
        deadline,
        // The schedule's rule for E070: finishing on a later day than the deadline (a
        // deadline on a non-working day is met by the working day before it).
        deadline_missed: deadline.is_some_and(|d| finish > d),
    }
}

/// Every dependency of a project or milestone as an arrow, critical when both its ends are.
fn gantt_links(portfolio: &Portfolio, schedule: &Schedule) -> Vec<GanttLink> {
    // Allocated once, at its length: a plan has more links than items, and a vector grown by
    // doubling held up to twice them, and both copies while it moved.
    let n_links = portfolio
        .projects
        .iter()
        .map(|p| p.dependencies.len())
        .chain(portfolio.milestones.iter().map(|m| m.dependencies.len()))
        .sum();
    let mut links = Vec::with_capacity(n_links);
    let dependents = portfolio
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                ItemId::Project(crate::model::ProjectId(i as u32)),
                &p.dependencies,
            )
        })
        .chain(portfolio.milestones.iter().enumerate().map(|(i, m)| {
            (
                ItemId::Milestone(crate::model::MilestoneId(i as u32)),
                &m.dependencies,
            )
        }));
    for (successor, dependencies) in dependents {
        for dependency in dependencies {
            let critical = timing(schedule, successor).critical
                && timing(schedule, dependency.predecessor).critical;
            links.push(GanttLink {
                from: item_id_and_title(portfolio, dependency.predecessor)
                    .0
                    .clone(),
                to: item_id_and_title(portfolio, successor).0.clone(),
                kind: dependency.kind,
                critical,
            });
        }
    }
    links
}

/// The first and last day of the time axis. It runs over the work itself (forecasts,
/// baselines and deadlines), whole months, not over the plan window: a window years longer
/// than the work would leave its later columns empty and squeeze the bars (issue 18).
fn gantt_axis(portfolio: &Portfolio, rows: &[GanttRow]) -> (NaiveDate, NaiveDate) {
    let earliest = rows
        .iter()
        .flat_map(|r| [Some(r.start), r.baseline_start, r.deadline])
        .flatten()
        .min();
    let latest = rows
        .iter()
        .flat_map(|r| [Some(r.finish), r.baseline_finish, r.deadline])
        .flatten()
        .max();
    let start = first_of_month(earliest.unwrap_or(portfolio.start));
    let end = last_of_month(latest.unwrap_or(portfolio.end)).max(start);
    (start, end)
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn last_of_month(date: NaiveDate) -> NaiveDate {
    first_of_month(date)
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

/// Cuts the rows at each top-level programme; consecutive rows outside any programme make one
/// section of their own.
fn gantt_sections(rows: &[GanttRow]) -> Vec<GanttSection> {
    let mut sections: Vec<GanttSection> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let top_programme = row.depth == 0 && row.kind == RowKind::Programme;
        let outside = row.depth == 0 && !top_programme;
        let new_section = match sections.last() {
            None => true,
            Some(_) if top_programme => true,
            // Work outside programmes joins the section before only if that is outside too.
            Some(last) if outside => last.programme.is_some(),
            Some(_) => false,
        };
        match sections.last_mut() {
            Some(last) if !new_section => last.n_rows += 1,
            _ => sections.push(GanttSection {
                programme: top_programme.then(|| row.id.to_string()),
                title: if top_programme {
                    row.title.to_string()
                } else {
                    "Outside programmes".to_owned()
                },
                first_row: i,
                n_rows: 1,
            }),
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::ymd as d;

    #[test]
    fn dates_and_days_read_the_same_everywhere() {
        assert_eq!(date_text(d(2021, 8, 31)), "31 Aug 2021");
        assert_eq!(date_text(d(2020, 1, 5)), "5 Jan 2020");
        assert_eq!(month_text(Month::of(d(2023, 5, 17))), "May 2023");
        assert_eq!(days_text(12), "+12");
        assert_eq!(days_text(-3), "-3");
        assert_eq!(days_text(0), "0");
    }

    #[test]
    fn marked_cells_read_in_words_and_marks() {
        let mut table = Table::new("", vec![Column::text("Year"), Column::text("Status")]);
        table.push(vec![Cell::Text("2026/27".into()), met_cell(true, false)]);
        table.push(vec![Cell::Text("2027/28".into()), met_cell(false, false)]);
        table.push(vec![Cell::Text("2028/29".into()), met_cell(false, true)]);
        table.push(vec![Cell::Text("RAG".into()), rag_cell(Some(Rag::Red))]);
        assert!(table.markdown().ends_with(
            "| 2026/27 | Met |\n| 2027/28 | Missed |\n| 2028/29 | Missed, accepted |\n| RAG | Red |\n"
        ));
        let html = table.html(false);
        for cell in [
            "<td class=\"met\"><span aria-hidden=\"true\">✓ </span>Met</td>",
            "<td class=\"missed\"><span aria-hidden=\"true\">✗ </span>Missed</td>",
            "<td class=\"missed\"><span aria-hidden=\"true\">✗ </span>Missed, accepted</td>",
            "<td class=\"rag rag-red\"><span aria-hidden=\"true\">■ </span>Red</td>",
        ] {
            assert!(html.contains(cell), "{cell} not in {html}");
        }
    }

    #[test]
    fn rag_is_named_in_words() {
        assert_eq!(rag_text(Some(Rag::Amber)), "Amber");
        assert_eq!(rag_text(None), "No baseline");
    }

    #[test]
    fn financial_years_run_from_their_start_month() {
        assert_eq!(
            year_bounds(FinancialYear(2022), 4),
            (d(2022, 4, 1), d(2023, 3, 31))
        );
        assert_eq!(
            year_bounds(FinancialYear(2022), 1),
            (d(2022, 1, 1), d(2022, 12, 31))
        );
    }

    #[test]
    fn figures_carry_exact_pence_and_their_text() {
        let f = figure(Money(-123_456));
        assert_eq!(f.pence, -123_456);
        assert_eq!(f.text, "-£1,234.56");
    }
}
