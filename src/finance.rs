//! Costs, savings and benefits over time: profiles by month and financial year, NPV, payback,
//! and the checks of a portfolio's savings targets and budgets.
//!
//! Input: a validated [`Portfolio`], its [`Schedule`] and its calendars (indexed by
//! `CalendarId`). Output: a [`Finance`] with a [`Profile`] for the portfolio and for every
//! project, programme and theme, and diagnostics E060/E061 for missed targets and budgets.
//!
//! Invariants: money is integer pence throughout; every line's months add up exactly to its
//! total (see `accrual`), months add up exactly to years and years to totals, because years
//! and totals are sums of the months. f64 appears only in discount factors, each present value
//! rounded once. The rules are written out for users in docs/finance.md.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Anchor, BudgetKind, CapitalTiming, Cost, FinancialYear, Portfolio, Recurrence};
use crate::money::{Money, Percent};
use crate::schedule::Schedule;

mod accrual;
mod outturn;
mod periods;
mod register;

pub use accrual::Month;
use accrual::{MonthTime, Recurring};
pub use outturn::{Outturn, Recorded, YearActuals, YearOutturn};
pub use periods::Periods;
pub use register::{LineKind, Register, RegisterLine, RegisterYear, Status, register};

/// The money of a portfolio over time.
#[derive(Debug, Clone, Serialize)]
pub struct Finance {
    pub title: String,
    pub currency: String,
    pub discount_rate: Percent,
    /// Month (1-12) in which financial years start.
    pub financial_year_start: u32,
    /// `status-date`: financial years over by then take their actuals as the forecast.
    pub status_date: Option<NaiveDate>,
    /// The plan window's first day, where the appraisal period starts.
    pub plan_start: NaiveDate,
    /// The plan window's last day: periods after it are marked in every format.
    pub plan_end: NaiveDate,
    /// The appraisal period's last day ([`Portfolio::appraisal_end`]): the profiles run at
    /// least to it.
    pub appraisal_end: NaiveDate,
    /// Every month from the first with money (or the plan's start) to the last with money (or
    /// the plan's end), in order; `Profile::monthly` is aligned with it.
    pub months: Vec<Month>,
    /// Every financial year the months touch, in order; `Profile::yearly` is aligned with it.
    pub years: Vec<FinancialYear>,
    pub portfolio: Profile,
    /// Indexed by `ProjectId`. With [`Detail::ProjectYearsOnly`] their `monthly` is empty;
    /// with [`Detail::ChecksOnly`] there are none (unless a check failed).
    pub projects: Vec<Profile>,
    /// Indexed by `ProgrammeId`; a programme includes the projects of programmes inside it.
    /// Empty with [`Detail::ChecksOnly`] (unless a check failed).
    pub programmes: Vec<Profile>,
    /// Indexed by `ThemeId`. Empty with [`Detail::ChecksOnly`] (unless a check failed).
    pub themes: Vec<Profile>,
    /// Projects with no theme, so that themes and this add up to the portfolio.
    pub unthemed: Profile,
    /// Every `target savings` and `budget` of the portfolio, in the order declared, with what
    /// the profile gives for its year: met or not.
    pub checks: Vec<Check>,
    /// Missed savings targets (E060) and exceeded budgets (E061).
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Finance {
    /// Whether all of `month` is after the plan's end.
    pub fn month_after_plan_end(&self, month: Month) -> bool {
        month > Month::of(self.plan_end)
    }

    /// Whether all of financial year `year` is after the plan's end (its first month is).
    pub fn year_after_plan_end(&self, year: FinancialYear) -> bool {
        let first = Month(year.0 * 12 + self.financial_year_start.clamp(1, 12) as i32 - 1);
        self.month_after_plan_end(first)
    }
}

/// What a target or a budget is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// `target savings AMOUNT in FY`: cashable savings must reach the amount.
    SavingsTarget,
    /// `budget capital AMOUNT in FY`: capital spending (without optimism bias) must stay within.
    CapitalBudget,
    /// `budget revenue AMOUNT in FY`: revenue spending must stay within.
    RevenueBudget,
}

/// One target or budget and the year's figure from the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    pub year: FinancialYear,
    /// The year as users write it: `2022/23`.
    pub year_label: String,
    /// The target or the budget.
    pub limit: Money,
    /// The year's forecast cashable savings (targets) or spending (budgets): the plan, or
    /// the actuals recorded for a year over at the status date.
    pub actual: Money,
    pub met: bool,
    /// A savings target's `accept shortfall "why"`: the reason, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// One group's money by month, by financial year and in total.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub id: String,
    pub title: String,
    /// Aligned with [`Finance::months`] (or empty when the months were not kept); stored
    /// only from the first month with money to the last.
    pub monthly: Periods,
    /// Aligned with [`Finance::years`]; stored only from the first year with money to the
    /// last, so a project with no money stores none.
    pub yearly: Periods,
    pub total: Amounts,
    pub appraisal: Appraisal,
    /// The years in which this group's projects recorded actuals (`spent`, `realised`),
    /// sorted by year: what they record and how far they move the forecast from the plan
    /// (see [`Profile::outturn`]). Empty for most groups.
    pub actuals: Vec<YearActuals>,
}

/// The money of one period. Costs and savings are positive; only the net figures can be
/// negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Amounts {
    /// Capital costs as declared.
    pub capital: Money,
    /// The optimism-bias uplift on capital (capital with bias = capital + this).
    pub optimism_bias: Money,
    /// Recurring revenue costs and one-off costs.
    pub revenue: Money,
    /// Cashable savings.
    pub savings: Money,
    /// Non-cashable benefits (reported apart; not in the net cashable figures).
    pub benefits: Money,
    /// savings - capital - revenue.
    pub net_cashable: Money,
    /// The running total of `net_cashable` up to the end of this period (for a total: the
    /// whole sum).
    pub cumulative_net: Money,
}

/// The appraisal of a group, Green Book style. Present values are rounded once to the penny.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appraisal {
    /// Present value of capital and revenue costs, without and with optimism bias.
    pub pv_costs: Money,
    pub pv_costs_with_bias: Money,
    pub pv_savings: Money,
    pub pv_benefits: Money,
    /// pv_savings - pv_costs: the cashable net present value.
    pub npv: Money,
    pub npv_with_bias: Money,
    /// (pv_savings + pv_benefits) / pv_costs; `None` when there are no costs.
    pub benefit_cost_ratio: Option<f64>,
    pub benefit_cost_ratio_with_bias: Option<f64>,
    /// The first month from which the cumulative net cashable figure stays at or above zero,
    /// after being below it; `None` when it never pays back in the profile (or never costs).
    pub payback: Option<Month>,
    pub payback_with_bias: Option<Month>,
}

/// Computes the money of every project from the schedule and adds it up by month, year,
/// project, programme, theme and portfolio; checks targets and budgets.
///
/// Panics if the schedule or calendars do not match the portfolio (a bug in the caller):
/// `schedule.projects` and `schedule.milestones` must be indexed like the portfolio's, and
/// `calendars` by `CalendarId`.
pub fn profile(portfolio: &Portfolio, schedule: &Schedule, calendars: &[WorkCalendar]) -> Finance {
    profile_with(portfolio, schedule, calendars, Detail::Full)
}

/// How much of each project's profile to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every profile by month and by year.
    Full,
    /// Projects keep their years, totals and appraisal but not their months (which are not
    /// worked out, a tenth of `tranche check` at 100,000 projects); programmes, themes and
    /// the portfolio keep everything. Use unless showing `--monthly --by project`.
    ProjectYearsOnly,
    /// Programmes, themes and the portfolio with everything, and no project's profile (their
    /// money is added into the groups and let go): for `report`, whose sections show money
    /// by year for the portfolio and by theme and never a project's own, and for `finance`
    /// unless it shows projects (`--by project`). As with
    /// [`Detail::ChecksOnly`], a missed target or budget gives [`Detail::ProjectYearsOnly`]'s
    /// result, whose projects name the largest contributors.
    GroupsOnly,
    /// Only what the checks read: the portfolio's profile, the checks of targets and budgets
    /// and their diagnostics (E060, E061, E006). `projects`, `programmes` and `themes` are
    /// left empty and `unthemed` holds no money, unless a target or budget is missed: then
    /// the result is [`Detail::ProjectYearsOnly`]'s, whose projects name the largest
    /// contributors. For commands that print no money (`check`, `schedule`).
    ChecksOnly,
}

/// [`profile`], keeping only the detail asked for.
pub fn profile_with(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
    detail: Detail,
) -> Finance {
    let (months, years, notes) = frame_of(portfolio, schedule, calendars);
    let fy_start = portfolio.financial_year_start.clamp(1, 12);
    let frame = Frame::new(portfolio, &months, &years);
    let groups = detail != Detail::ChecksOnly;
    let mut line_diagnostics: Vec<Diagnostic> = notes
        .iter()
        .map(|n| note_diagnostic(portfolio, n))
        .collect();
    let plan_end_month = Month::of(portfolio.end);

    let mut portfolio_raw = vec![Raw::default(); months.len()];
    let mut sums = GroupSums::new(portfolio, groups);
    // Months before this are in financial years over at the status date.
    let open = portfolio.status_date.map(|date| {
        let year = Month::of(date).financial_year(fy_start);
        Month(year.0 * 12 + fy_start as i32 - 1)
    });
    let mut portfolio_actuals: Vec<YearActuals> = Vec::new();
    // One project at a time, in one scratch month vector: only the months a project's money
    // touches are added up, into the groups, and cleared (a project's money spans a few months
    // of a frame that can be decades long).
    let mut scratch = Scratch::new(&frame);
    let keeps_projects = matches!(detail, Detail::Full | Detail::ProjectYearsOnly);
    let mut projects: Vec<Profile> = Vec::with_capacity(if keeps_projects {
        portfolio.projects.len()
    } else {
        0
    });
    for (index, project) in portfolio.projects.iter().enumerate() {
        project_lines(portfolio, schedule, calendars, index, &mut scratch);
        let (offset, raw) = scratch.touched();
        if let Some(timing) = schedule.projects.get(index) {
            if timing.finish > portfolio.end {
                line_diagnostics.push(past_plan_end(
                    portfolio,
                    index,
                    timing.finish,
                    frame.months.get(offset..).unwrap_or_default(),
                    raw,
                    plan_end_month,
                ));
            }
        }
        let actuals = match open {
            Some(open) => outturn::project_actuals(
                project,
                &frame,
                offset,
                raw,
                open,
                fy_start,
                &mut line_diagnostics,
            ),
            None => Vec::new(),
        };
        match detail {
            Detail::Full => projects.push(frame.profile(&project.id, &project.title, raw, offset)),
            // Without the months kept, they are not worked out either: at 100,000 projects
            // over ten years that was a tenth of `tranche check` (docs/benchmarks.md).
            Detail::ProjectYearsOnly => projects.push(frame.profile_keeping(
                &project.id,
                &project.title,
                raw,
                offset,
                false,
            )),
            Detail::GroupsOnly | Detail::ChecksOnly => {}
        }
        if !actuals.is_empty() {
            if let Some(profile) = projects.last_mut().filter(|_| groups) {
                profile.actuals = actuals.clone();
            }
            outturn::add_actuals(&mut portfolio_actuals, &actuals);
        }
        add_into(&mut portfolio_raw, offset, raw);
        if groups {
            sums.add(portfolio, project, offset, raw, &actuals);
        }
        scratch.clear();
    }
    let (programmes, themes, unthemed) = sums.profiles(portfolio, &frame);
    let whole = with_actuals(
        frame.profile("portfolio", &portfolio.title, &portfolio_raw, 0),
        portfolio_actuals,
    );

    let mut finance = Finance {
        title: portfolio.title.clone(),
        currency: portfolio.currency.clone(),
        discount_rate: portfolio.discount_rate,
        financial_year_start: fy_start,
        status_date: portfolio.status_date,
        plan_start: portfolio.start,
        plan_end: portfolio.end,
        appraisal_end: portfolio.appraisal_end,
        months,
        years,
        portfolio: whole,
        projects,
        programmes,
        themes,
        unthemed,
        checks: Vec::new(),
        diagnostics: Vec::new(),
    };
    let (checks, mut diagnostics) = check(portfolio, &finance);
    if matches!(detail, Detail::ChecksOnly | Detail::GroupsOnly) && checks.iter().any(|c| !c.met) {
        // A missed target or budget names the projects that contribute most: they need the
        // projects' years after all.
        return profile_with(portfolio, schedule, calendars, Detail::ProjectYearsOnly);
    }
    if let Some(diagnostic) = saturated(portfolio.span, &finance.portfolio.total) {
        diagnostics.push(diagnostic);
    }
    diagnostics.append(&mut line_diagnostics);
    finance.checks = checks;
    finance.diagnostics = diagnostics;
    finance
}

/// A profile with the actuals recorded for its years.
fn with_actuals(mut profile: Profile, actuals: Vec<YearActuals>) -> Profile {
    profile.actuals = actuals;
    profile
}

/// The money of every programme, theme and the unthemed work, added up a project at a time.
/// Programmes and themes hold only the months their projects' money touches: a plan can have
/// thousands of programmes over centuries of months.
struct GroupSums {
    programmes: Vec<Span>,
    themes: Vec<Span>,
    unthemed: Span,
    programme_actuals: Vec<Vec<YearActuals>>,
    theme_actuals: Vec<Vec<YearActuals>>,
    unthemed_actuals: Vec<YearActuals>,
}

impl GroupSums {
    /// Room for every group, or for none when `groups` is false (the checks need only the
    /// portfolio's money).
    fn new(portfolio: &Portfolio, groups: bool) -> GroupSums {
        let (n_programmes, n_themes) = if groups {
            (portfolio.programmes.len(), portfolio.themes.len())
        } else {
            (0, 0)
        };
        GroupSums {
            programmes: vec![Span::default(); n_programmes],
            themes: vec![Span::default(); n_themes],
            unthemed: Span::default(),
            programme_actuals: vec![Vec::new(); n_programmes],
            theme_actuals: vec![Vec::new(); n_themes],
            unthemed_actuals: Vec::new(),
        }
    }

    /// Adds a project's months from index `offset` on, and its actuals, to every programme
    /// that encloses it and to its theme (or the unthemed work).
    fn add(
        &mut self,
        portfolio: &Portfolio,
        project: &crate::model::Project,
        offset: usize,
        raw: &[Raw],
        actuals: &[YearActuals],
    ) {
        // Every enclosing programme, nearest first; bounded by the number of programmes so a
        // (validator-refused) parent cycle cannot loop.
        let mut programme = project.programme;
        for _ in 0..portfolio.programmes.len() {
            let Some(id) = programme else { break };
            if let Some(target) = self.programmes.get_mut(id.0 as usize) {
                target.add(offset, raw);
            }
            if let Some(target) = self.programme_actuals.get_mut(id.0 as usize) {
                outturn::add_actuals(target, actuals);
            }
            programme = portfolio
                .programmes
                .get(id.0 as usize)
                .and_then(|p| p.parent);
        }
        let theme = project.theme.map(|t| t.0 as usize);
        match theme.and_then(|t| self.themes.get_mut(t)) {
            Some(target) => target.add(offset, raw),
            None => self.unthemed.add(offset, raw),
        }
        match theme.and_then(|t| self.theme_actuals.get_mut(t)) {
            Some(target) => outturn::add_actuals(target, actuals),
            None => outturn::add_actuals(&mut self.unthemed_actuals, actuals),
        }
    }

    /// The programmes', themes' and unthemed work's profiles.
    fn profiles(
        self,
        portfolio: &Portfolio,
        frame: &Frame<'_>,
    ) -> (Vec<Profile>, Vec<Profile>, Profile) {
        let GroupSums {
            programmes,
            themes,
            unthemed,
            programme_actuals,
            theme_actuals,
            unthemed_actuals,
        } = self;
        let each = |names: Vec<(&str, &str)>, sums: Vec<Span>, actuals: Vec<Vec<YearActuals>>| {
            names
                .into_iter()
                .zip(sums)
                .zip(actuals)
                .map(|(((id, title), sum), actuals)| {
                    with_actuals(frame.profile(id, title, &sum.raw, sum.offset), actuals)
                })
                .collect()
        };
        let programme_names = portfolio.programmes.iter().map(|p| (&*p.id, &*p.title));
        let theme_names = portfolio.themes.iter().map(|t| (&*t.id, &*t.title));
        let programmes = each(programme_names.collect(), programmes, programme_actuals);
        let themes = each(theme_names.collect(), themes, theme_actuals);
        let unthemed = with_actuals(
            frame.profile("", "(no theme)", &unthemed.raw, unthemed.offset),
            unthemed_actuals,
        );
        (programmes, themes, unthemed)
    }
}

/// The months and financial years every profile of the plan is laid out on: from the first
/// month with money (or the plan's start) to the last with money (or the end of the appraisal
/// period); and what the pass over every line found to report.
fn frame_of(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
) -> (Vec<Month>, Vec<FinancialYear>, Vec<Note>) {
    let mut bounds = Bounds {
        first: Month::of(portfolio.start),
        last: Month::of(portfolio.appraisal_end),
        notes: Vec::new(),
    };
    for index in 0..portfolio.projects.len() {
        project_lines(portfolio, schedule, calendars, index, &mut bounds);
    }
    let (first, last) = (bounds.first, bounds.last);
    let months: Vec<Month> = (first.0..=last.0).map(Month).collect();
    let fy_start = portfolio.financial_year_start.clamp(1, 12);
    let years: Vec<FinancialYear> = (first.financial_year(fy_start).0
        ..=last.financial_year(fy_start).0)
        .map(FinancialYear)
        .collect();
    (months, years, bounds.notes)
}

/// W062 for project `index`, scheduled to finish on `finish`, after the plan's end: how far
/// past, and how much of each kind of its money falls after the plan's last month (`raw` are
/// its months, which `months` names). Its money is counted where it falls all the same.
fn past_plan_end(
    portfolio: &Portfolio,
    index: usize,
    finish: NaiveDate,
    months: &[Month],
    raw: &[Raw],
    plan_end_month: Month,
) -> Diagnostic {
    let mut after = Raw::default();
    for (month, r) in months.iter().zip(raw) {
        if *month > plan_end_month {
            after.add(r);
        }
    }
    let project = portfolio.projects.get(index);
    let id = project.map_or("", |p| p.id.as_str());
    let span = project.map_or(portfolio.span, |p| p.span);
    let days = finish.signed_duration_since(portfolio.end).num_days();
    let kinds: Vec<String> = [
        (after.capital, "capital"),
        (after.revenue, "revenue costs"),
        (after.savings, "savings"),
        (after.benefits, "benefits"),
    ]
    .into_iter()
    .filter(|(amount, _)| *amount != 0)
    .map(|(amount, kind)| format!("{} of {kind}", Money(amount)))
    .collect();
    // Months, not days: money is timed by month, and the plan's end is a month's last day
    // in every plan but an odd one.
    let after_month = plan_end_month.next();
    let note = if kinds.is_empty() {
        format!("none of its money falls in {after_month} or later")
    } else {
        format!(
            "from {after_month} on it has {}, counted in the years they fall in",
            join_words(&kinds)
        )
    };
    Diagnostic::new(
        Code::W062WorkPastPlanEnd,
        span,
        format!(
            "project `{id}` is scheduled to finish on {finish}, {} after the plan's end ({})",
            crate::diagnostic::count::count(days, "day", "days"),
            portfolio.end
        ),
    )
    .with_note(None, note)
    .with_hint("bring the work forward, or move the plan's `end` to cover it")
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The diagnostic for what the frame's pass noted about a line.
fn note_diagnostic(portfolio: &Portfolio, note: &Note) -> Diagnostic {
    match *note {
        Note::Backwards { span, from, to } => Diagnostic::new(
            Code::E062CapitalTimingBackwards,
            span,
            format!("capital is timed from {from} to {to} as scheduled, but {to} is not after {from}"),
        )
        .with_note(None, "it is all counted in the month of the first anchor")
        .with_hint("put the earlier anchor after `from` and the later after `to`, or write `at WHEN` for one payment"),
        Note::OutsideAppraisal {
            span,
            from,
            to_period_end,
        } => Diagnostic::new(
            Code::W063MoneyOutsideAppraisal,
            span,
            format!(
                "this line's money falls wholly outside the appraisal period ({} to {})",
                portfolio.start, portfolio.appraisal_end
            ),
        )
        .with_note(
            None,
            if to_period_end {
                format!("it would run from {from} to the end of the period, so it has no money at all")
            } else {
                format!("it starts on {from}; its money is counted where it falls, after the period")
            },
        )
        .with_hint("lengthen the period with `appraisal N years` in the portfolio block, or bring the work forward"),
    }
}

/// Sums saturate rather than wrap; a total stuck at the edge of an i64 means the figures are
/// not the plan's, and the user must be told (docs/limits.md).
fn saturated(portfolio_span: crate::diagnostic::Span, total: &Amounts) -> Option<Diagnostic> {
    let figures = [
        total.capital,
        total.optimism_bias,
        total.revenue,
        total.savings,
        total.benefits,
        total.net_cashable,
        total.cumulative_net,
    ];
    figures
        .iter()
        .any(|m| m.0 == i64::MAX || m.0 == i64::MIN)
        .then(|| {
            Diagnostic::new(
                Code::E006TooLarge,
                portfolio_span,
                "the plan's money adds up to more than tranche can hold (about £92 quadrillion), so its totals are wrong",
            )
            .with_hint("check the amounts and the `for` periods for a typing mistake (an extra digit, `bn` for `m`)")
        })
}

/// The portfolio's own profile, and the financial years its `yearly` is aligned with: the
/// same figures as `profile_with(..).portfolio` and `.years`, without the profiles of
/// projects, programmes and themes or the checks of targets and budgets. For callers that
/// profile one plan many times over (`risk::simulate`), where those are most of the cost.
pub fn profile_portfolio(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
) -> (Vec<FinancialYear>, Profile) {
    // The frame exactly as `profile_with` lays it out.
    let (months, years, _) = frame_of(portfolio, schedule, calendars);
    let frame = Frame::new(portfolio, &months, &years);
    // Every project's lines go straight into one month vector: the portfolio's.
    let mut scratch = Scratch::new(&frame);
    for index in 0..portfolio.projects.len() {
        project_lines(portfolio, schedule, calendars, index, &mut scratch);
    }
    let profile = frame.profile("portfolio", &portfolio.title, &scratch.raw, 0);
    (years, profile)
}

/// Each project's profile as [`Detail::ProjectYearsOnly`] keeps it (years, total, appraisal
/// and actuals; no months), worked out when asked for on the frame of a [`Finance`] already
/// profiled, so that an output that shows projects one at a time (`export --format csv`)
/// holds one project's profile at a time instead of all of them beside the plan: at 100,000
/// projects those are about 40 MB (docs/benchmarks.md).
#[derive(Debug)]
pub struct ProjectYears<'a> {
    portfolio: &'a Portfolio,
    schedule: &'a Schedule,
    calendars: &'a [WorkCalendar],
    frame: Frame<'a>,
    scratch: Scratch,
    /// The first month of the financial years not over at the status date, as
    /// `profile_with` works it out.
    open: Option<Month>,
}

impl<'a> ProjectYears<'a> {
    /// `finance` must be the profile of this portfolio, schedule and calendars (at any
    /// [`Detail`]: every detail lays out the same months and years).
    pub fn new(
        portfolio: &'a Portfolio,
        schedule: &'a Schedule,
        calendars: &'a [WorkCalendar],
        finance: &'a Finance,
    ) -> ProjectYears<'a> {
        let frame = Frame::new(portfolio, &finance.months, &finance.years);
        let scratch = Scratch::new(&frame);
        let fy_start = portfolio.financial_year_start.clamp(1, 12);
        let open = portfolio.status_date.map(|date| {
            let year = Month::of(date).financial_year(fy_start);
            Month(year.0 * 12 + fy_start as i32 - 1)
        });
        ProjectYears {
            portfolio,
            schedule,
            calendars,
            frame,
            scratch,
            open,
        }
    }

    /// The profile of the project at `index` of `portfolio.projects`, the same as
    /// `profile_with(.., Detail::ProjectYearsOnly).projects[index]`; `None` past the last.
    pub fn profile(&mut self, index: usize) -> Option<Profile> {
        let project = self.portfolio.projects.get(index)?;
        project_lines(
            self.portfolio,
            self.schedule,
            self.calendars,
            index,
            &mut self.scratch,
        );
        let (offset, raw) = self.scratch.touched();
        let mut profile =
            self.frame
                .profile_keeping(&project.id, &project.title, raw, offset, false);
        if let Some(open) = self.open {
            // Its diagnostics (W064) were reported when the plan was profiled.
            let fy_start = self.portfolio.financial_year_start.clamp(1, 12);
            profile.actuals = outturn::project_actuals(
                project,
                &self.frame,
                offset,
                raw,
                open,
                fy_start,
                &mut Vec::new(),
            );
        }
        self.scratch.clear();
        Some(profile)
    }
}

/// How far the actuals recorded for `year` move its cashable savings from the plan as
/// `schedule` has it: for each project with a `realised saving` in `year`, that actual less
/// its planned savings in the year. Zero for a year not over at the status date (none can be
/// recorded). For callers that profile the plan many times over with [`profile_portfolio`]
/// (`risk::simulate`): its savings plus this are the year's forecast, as `profile_with`'s
/// checks judge it.
pub fn recorded_savings_delta(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
    year: FinancialYear,
) -> i64 {
    /// One project's planned savings in one financial year.
    struct InYear {
        fy_start: u32,
        year: FinancialYear,
        savings: i64,
    }
    impl Lines for InYear {
        fn wants(&self, first: Month, last: Month) -> bool {
            first.financial_year(self.fy_start) <= self.year
                && last.financial_year(self.fy_start) >= self.year
        }
        fn put(&mut self, field: Field, month: Month, amount: i64) {
            if field == Field::Savings && month.financial_year(self.fy_start) == self.year {
                self.savings = self.savings.saturating_add(amount);
            }
        }
    }
    let fy_start = portfolio.financial_year_start.clamp(1, 12);
    let mut delta = 0i64;
    for (index, project) in portfolio.projects.iter().enumerate() {
        let recorded: Option<i64> = project
            .actuals()
            .iter()
            .filter(|a| a.kind == crate::model::ActualKind::Savings && a.year == year)
            .map(|a| a.amount.0)
            .reduce(i64::saturating_add);
        let Some(actual) = recorded else { continue };
        let mut plan = InYear {
            fy_start,
            year,
            savings: 0,
        };
        project_lines(portfolio, schedule, calendars, index, &mut plan);
        delta = delta.saturating_add(actual.saturating_sub(plan.savings));
    }
    delta
}

/// The label of a financial year: `2020/21`, or `2020` when years start in January.
pub fn year_label(year: FinancialYear, start_month: u32) -> String {
    if start_month <= 1 {
        year.0.to_string()
    } else {
        format!("{}/{:02}", year.0, (year.0 + 1).rem_euclid(100))
    }
}

/// The present-value discount factor for year `t` after the plan's first financial year: the
/// product of `1 / (1 + r_k)` for k = 1..=t, where `r_k` is the portfolio's rate for years
/// 1-30 and, after that, the rate scaled like the Green Book's long-term schedule
/// (3.5% -> 3.0% for years 31-75, 2.5% for 76-125, 2.0% for 126-200, 1.5% for 201-300, 1.0%
/// beyond). Year 0 (and any money before it) is undiscounted.
pub fn discount_factor(rate: Percent, t: i32) -> f64 {
    let base = rate.as_fraction();
    let mut factor = 1.0_f64;
    for k in 1..=t.max(0) {
        let scale = match k {
            ..=30 => 1.0,
            31..=75 => 3.0 / 3.5,
            76..=125 => 2.5 / 3.5,
            126..=200 => 2.0 / 3.5,
            201..=300 => 1.5 / 3.5,
            _ => 1.0 / 3.5,
        };
        factor /= 1.0 + base * scale;
    }
    factor
}

/// Which sum of a month a line's money goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Capital,
    CapitalWithBias,
    Revenue,
    Savings,
    Benefits,
}

/// Where [`project_lines`] puts a project's money, month by month.
trait Lines {
    /// Whether a line whose money can only fall in months `first..=last` must be worked out.
    fn wants(&self, first: Month, last: Month) -> bool;
    /// One line's money in one month. Lines put their months in order, leaving out months
    /// with nothing (a one-off puts its month whatever its amount).
    fn put(&mut self, field: Field, month: Month, amount: i64);
    /// The saving or benefit line whose money the next `put`s are (the benefits register
    /// follows each line; the profiles add them up and need not know).
    fn line(&mut self, _line: Line) {}
    /// Something about a line the user should be told; only the frame's pass over every
    /// line ([`Bounds`]) keeps these, so each is said once.
    fn note(&mut self, _note: Note) {}
}

/// A project's saving (index into its savings) or benefit (into its benefits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Saving(usize),
    Benefit(usize),
}

/// What [`project_lines`] finds worth a diagnostic while timing a line.
#[derive(Debug, Clone, Copy)]
enum Note {
    /// Capital timed `from` an anchor `to` one that, as scheduled, is not after it (E062).
    Backwards {
        span: crate::diagnostic::Span,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// A line whose money falls wholly outside the appraisal period (W063); `from` is when
    /// it starts; `to_period_end` when it runs to the end of the period (no `for`), and so
    /// has no money at all.
    OutsideAppraisal {
        span: crate::diagnostic::Span,
        from: NaiveDate,
        to_period_end: bool,
    },
}

/// The first and last month any line puts money in (or the plan's, if wider). Lines that
/// fall inside are not worked out: they cannot widen the frame.
struct Bounds {
    first: Month,
    last: Month,
    notes: Vec<Note>,
}

impl Lines for Bounds {
    fn wants(&self, first: Month, last: Month) -> bool {
        first < self.first || last > self.last
    }

    fn put(&mut self, _: Field, month: Month, _: i64) {
        self.first = self.first.min(month);
        self.last = self.last.max(month);
    }

    fn note(&mut self, note: Note) {
        self.notes.push(note);
    }
}

/// A month vector over the whole frame that lines add into, and the range of months they
/// touched (so that only those are read and cleared).
#[derive(Debug)]
struct Scratch {
    first: Month,
    raw: Vec<Raw>,
    /// The touched months' indices, `lo..hi`; empty when `lo >= hi`.
    lo: usize,
    hi: usize,
}

impl Scratch {
    fn new(frame: &Frame<'_>) -> Scratch {
        Scratch {
            first: frame.first,
            raw: vec![Raw::default(); frame.months.len()],
            lo: usize::MAX,
            hi: 0,
        }
    }

    /// The index of the first touched month and the touched months.
    fn touched(&self) -> (usize, &[Raw]) {
        if self.lo >= self.hi {
            return (0, &[]);
        }
        (self.lo, self.raw.get(self.lo..self.hi).unwrap_or_default())
    }

    fn clear(&mut self) {
        if self.lo < self.hi {
            if let Some(touched) = self.raw.get_mut(self.lo..self.hi) {
                touched.fill(Raw::default());
            }
        }
        (self.lo, self.hi) = (usize::MAX, 0);
    }
}

impl Lines for Scratch {
    fn wants(&self, _: Month, _: Month) -> bool {
        true
    }

    fn put(&mut self, field: Field, month: Month, amount: i64) {
        let index = usize::try_from(month.0 - self.first.0).ok();
        let Some((i, slot)) = index.and_then(|i| Some((i, self.raw.get_mut(i)?))) else {
            return;
        };
        let value = match field {
            Field::Capital => &mut slot.capital,
            Field::CapitalWithBias => &mut slot.capital_with_bias,
            Field::Revenue => &mut slot.revenue,
            Field::Savings => &mut slot.savings,
            Field::Benefits => &mut slot.benefits,
        };
        *value = value.saturating_add(amount);
        self.lo = self.lo.min(i);
        self.hi = self.hi.max(i + 1);
    }
}

/// A month's sums before the derived figures (net, cumulative, bias as a difference).
#[derive(Debug, Clone, Copy, Default)]
struct Raw {
    capital: i64,
    capital_with_bias: i64,
    revenue: i64,
    savings: i64,
    benefits: i64,
}

impl Raw {
    fn add(&mut self, other: &Raw) {
        self.capital = self.capital.saturating_add(other.capital);
        self.capital_with_bias = self
            .capital_with_bias
            .saturating_add(other.capital_with_bias);
        self.revenue = self.revenue.saturating_add(other.revenue);
        self.savings = self.savings.saturating_add(other.savings);
        self.benefits = self.benefits.saturating_add(other.benefits);
    }

    fn amounts(&self, cumulative_before: i64) -> Amounts {
        let net = self
            .savings
            .saturating_sub(self.capital)
            .saturating_sub(self.revenue);
        Amounts {
            capital: Money(self.capital),
            optimism_bias: Money(self.capital_with_bias.saturating_sub(self.capital)),
            revenue: Money(self.revenue),
            savings: Money(self.savings),
            benefits: Money(self.benefits),
            net_cashable: Money(net),
            cumulative_net: Money(cumulative_before.saturating_add(net)),
        }
    }

    fn net_with_bias(&self) -> i64 {
        self.savings
            .saturating_sub(self.capital_with_bias)
            .saturating_sub(self.revenue)
    }
}

/// Adds `source`, the months from index `offset` on, into `target`.
fn add_into(target: &mut [Raw], offset: usize, source: &[Raw]) {
    let target = target.get_mut(offset..).unwrap_or_default();
    for (t, s) in target.iter_mut().zip(source) {
        t.add(s);
    }
}

/// A group's months from index `offset` on; none outside them has money. Grows to take
/// in each project's months as they are added.
#[derive(Debug, Clone, Default)]
struct Span {
    offset: usize,
    raw: Vec<Raw>,
}

impl Span {
    /// Adds `source`, the months from index `offset` on.
    fn add(&mut self, offset: usize, source: &[Raw]) {
        if source.is_empty() {
            return;
        }
        if self.raw.is_empty() {
            self.offset = offset;
            self.raw.extend_from_slice(source);
            return;
        }
        if offset < self.offset {
            let before = self.offset - offset;
            self.raw
                .splice(0..0, std::iter::repeat_n(Raw::default(), before));
            self.offset = offset;
        }
        let end = offset + source.len();
        if end > self.offset + self.raw.len() {
            self.raw.resize(end - self.offset, Raw::default());
        }
        add_into(&mut self.raw, offset - self.offset, source);
    }
}

/// The months and years every profile is laid out on.
#[derive(Debug)]
struct Frame<'a> {
    first: Month,
    months: &'a [Month],
    years: &'a [FinancialYear],
    plan_year: FinancialYear,
    rate: Percent,
    /// For each of `months`, the index of its financial year in `years`, worked out once
    /// rather than once per profile.
    year_of_month: Vec<Option<usize>>,
}

/// [`Frame::year_of_month`].
fn year_of_month(months: &[Month], years: &[FinancialYear], fy_start: u32) -> Vec<Option<usize>> {
    let first_year = years.first().map_or(0, |y| y.0);
    months
        .iter()
        .map(|month| usize::try_from(month.financial_year(fy_start).0 - first_year).ok())
        .collect()
}

impl<'a> Frame<'a> {
    fn new(portfolio: &Portfolio, months: &'a [Month], years: &'a [FinancialYear]) -> Frame<'a> {
        let fy_start = portfolio.financial_year_start.clamp(1, 12);
        Frame {
            first: months
                .first()
                .copied()
                .unwrap_or(Month::of(portfolio.start)),
            months,
            years,
            plan_year: Month::of(portfolio.start).financial_year(fy_start),
            rate: portfolio.discount_rate,
            year_of_month: year_of_month(months, years, fy_start),
        }
    }

    /// The profile of `raw`, the months from index `offset` on (none outside them has money).
    fn profile(&self, id: &str, title: &str, raw: &[Raw], offset: usize) -> Profile {
        self.profile_keeping(id, title, raw, offset, true)
    }

    /// [`Frame::profile`] with its `monthly` left empty unless `keep_monthly`. Months and
    /// years are stored only over the span `raw` covers (see [`Periods`]).
    fn profile_keeping(
        &self,
        id: &str,
        title: &str,
        raw: &[Raw],
        offset: usize,
        keep_monthly: bool,
    ) -> Profile {
        let monthly = if keep_monthly {
            let mut values = Vec::with_capacity(raw.len());
            let mut cumulative = 0i64;
            for month in raw {
                let amounts = month.amounts(cumulative);
                cumulative = amounts.cumulative_net.0;
                values.push(amounts);
            }
            Periods::sparse(self.months.len(), offset, values)
        } else {
            Periods::empty()
        };

        // The years the months touch: the first month's to the last's.
        let year_of_month = self.year_of_month.get(offset..).unwrap_or_default();
        let year_of_month = year_of_month.get(..raw.len()).unwrap_or(year_of_month);
        let first_year = year_of_month.iter().flatten().next().copied();
        let last_year = year_of_month.iter().flatten().next_back().copied();
        let (year_offset, year_count) = match (first_year, last_year) {
            (Some(first), Some(last)) if first <= last => (first, last - first + 1),
            _ => (0, 0),
        };
        let mut year_raw = vec![Raw::default(); year_count];
        for (index, r) in year_of_month.iter().zip(raw) {
            let slot = index
                .and_then(|i| i.checked_sub(year_offset))
                .and_then(|i| year_raw.get_mut(i));
            if let Some(slot) = slot {
                slot.add(r);
            }
        }
        let mut yearly = Vec::with_capacity(year_raw.len());
        let mut cumulative = 0i64;
        for year in &year_raw {
            let amounts = year.amounts(cumulative);
            cumulative = amounts.cumulative_net.0;
            yearly.push(amounts);
        }

        let mut total_raw = Raw::default();
        for year in &year_raw {
            total_raw.add(year);
        }
        let total = total_raw.amounts(0);

        let appraisal = self.appraise(raw, offset, &year_raw, year_offset);
        Profile {
            id: id.to_owned(),
            title: title.to_owned(),
            monthly,
            yearly: Periods::sparse(self.years.len(), year_offset, yearly),
            total,
            appraisal,
            actuals: Vec::new(),
        }
    }

    /// `monthly` are the months from index `offset` on and `yearly` the years from index
    /// `year_offset` on; none outside them has money.
    fn appraise(
        &self,
        monthly: &[Raw],
        offset: usize,
        yearly: &[Raw],
        year_offset: usize,
    ) -> Appraisal {
        // Sum each figure's discounted yearly amounts in f64 and round once, to the nearest
        // penny (halves away from zero). Years without money add nothing, so only the years
        // with money are summed, in order.
        let mut pv = [0.0_f64; 4];
        let years = self.years.get(year_offset..).unwrap_or_default();
        for (year, r) in years.iter().zip(yearly) {
            let factor = discount_factor(self.rate, year.0 - self.plan_year.0);
            let costs = r.capital.saturating_add(r.revenue);
            let costs_with_bias = r.capital_with_bias.saturating_add(r.revenue);
            pv[0] += costs as f64 * factor;
            pv[1] += costs_with_bias as f64 * factor;
            pv[2] += r.savings as f64 * factor;
            pv[3] += r.benefits as f64 * factor;
        }
        let [pv_costs, pv_costs_with_bias, pv_savings, pv_benefits] = pv.map(round_pence);
        let ratio = |costs: i64| {
            (costs != 0).then(|| pv_savings.saturating_add(pv_benefits) as f64 / costs as f64)
        };
        Appraisal {
            pv_costs: Money(pv_costs),
            pv_costs_with_bias: Money(pv_costs_with_bias),
            pv_savings: Money(pv_savings),
            pv_benefits: Money(pv_benefits),
            npv: Money(pv_savings.saturating_sub(pv_costs)),
            npv_with_bias: Money(pv_savings.saturating_sub(pv_costs_with_bias)),
            benefit_cost_ratio: ratio(pv_costs),
            benefit_cost_ratio_with_bias: ratio(pv_costs_with_bias),
            payback: self.payback(offset, monthly.iter().map(|r| r.amounts(0).net_cashable.0)),
            payback_with_bias: self.payback(offset, monthly.iter().map(Raw::net_with_bias)),
        }
    }

    /// The month after the last one whose cumulative net is negative, if there is one and it
    /// is not the last month of the profile. `nets` are the months from index `offset` on;
    /// the months before and after them have none.
    fn payback(&self, offset: usize, nets: impl Iterator<Item = i64>) -> Option<Month> {
        let mut cumulative = 0i64;
        let mut last_negative = None;
        for (i, net) in nets.enumerate() {
            cumulative = cumulative.saturating_add(net);
            if cumulative < 0 {
                last_negative = Some(offset + i);
            }
        }
        // Still negative after the last month with money: negative to the profile's end.
        if cumulative < 0 {
            return None;
        }
        let i = last_negative? + 1;
        if i >= self.months.len() {
            return None;
        }
        self.months.get(i).copied()
    }
}

fn round_pence(value: f64) -> i64 {
    // `as` saturates for out-of-range floats, and NaN cannot arise from finite sums.
    value.round() as i64
}

/// Times the money lines of project `index` into months and puts them into `out`: its costs
/// (revenue and one-off) in the order declared, its capital, its capital with optimism bias,
/// its savings and its benefits. Each kind's lines come in the order declared, so its sums
/// saturate the same way wherever they are taken.
fn project_lines<L: Lines>(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
    index: usize,
    out: &mut L,
) {
    let Some(project) = portfolio.projects.get(index) else {
        return;
    };
    let timer = LineTimer::of(portfolio, schedule, calendars, index);
    let mut capital_total = 0i64;
    let mut spread_spans = Vec::new();
    for cost in &project.costs {
        match cost {
            Cost::Capital {
                amount,
                timing: CapitalTiming::Spread,
                span,
                ..
            } => {
                capital_total = capital_total.saturating_add(amount.0);
                if amount.0 != 0 {
                    spread_spans.push(*span);
                }
            }
            // A phased capital line is its own spread, with its own uplift: the bias is
            // rounded once per line, as for a project's spread capital (docs/finance.md).
            Cost::Capital {
                amount,
                timing: CapitalTiming::At { at },
                span,
                ..
            } => {
                let date = timer.anchor_date(*at);
                timer.phased(out, *amount, date, date, *span);
            }
            Cost::Capital {
                amount,
                timing: CapitalTiming::Between { from, to },
                span,
                ..
            } => timer.between(out, *amount, *from, *to, *span),
            Cost::Revenue {
                per_year,
                recurrence,
                span,
            } => timer.recurring(out, Field::Revenue, *per_year, recurrence, *span),
            Cost::OneOff { amount, at, span } => timer.one_off(out, *amount, *at, *span),
        }
    }
    timer.spread(out, capital_total, &spread_spans);
    for (i, saving) in project.savings.iter().enumerate() {
        out.line(Line::Saving(i));
        timer.recurring(
            out,
            Field::Savings,
            saving.per_year,
            &saving.recurrence,
            saving.span,
        );
    }
    for (i, benefit) in project.benefits().iter().enumerate() {
        out.line(Line::Benefit(i));
        timer.recurring(
            out,
            Field::Benefits,
            benefit.per_year,
            &benefit.recurrence,
            benefit.span,
        );
    }
}

/// What timing one project's money lines takes: its schedule and calendar, its optimism bias,
/// and the months its money is reported against.
struct LineTimer<'a> {
    schedule: &'a Schedule,
    timing: &'a crate::schedule::Timing,
    calendar: &'a WorkCalendar,
    bias: Option<Percent>,
    /// Where recurring money without `for` stops: the day after the appraisal period's last
    /// (savings outlast the work that delivers them), not the plan window's end.
    appraisal_end: MonthTime,
    /// The day after the calendars' range, past which nothing accrues.
    calendar_end: MonthTime,
    /// A line whose money can fall only outside these months is reported (W063).
    appraisal_months: (Month, Month),
}

impl<'a> LineTimer<'a> {
    fn of(
        portfolio: &Portfolio,
        schedule: &'a Schedule,
        calendars: &'a [WorkCalendar],
        index: usize,
    ) -> LineTimer<'a> {
        let project = &portfolio.projects[index];
        let timing = schedule.projects.get(index).unwrap_or_else(|| {
            panic!("schedule.projects must be indexed like portfolio.projects (no timing for project {index})")
        });
        let calendar = calendars
            .get(project.calendar.0 as usize)
            .unwrap_or_else(|| {
                panic!(
                    "calendars must be indexed by CalendarId (no calendar {})",
                    project.calendar.0
                )
            });
        let day_after = |date: NaiveDate| date.succ_opt().unwrap_or(date);
        LineTimer {
            schedule,
            timing,
            calendar,
            bias: project.optimism_bias().or(portfolio.optimism_bias),
            appraisal_end: MonthTime::of(day_after(portfolio.appraisal_end)),
            calendar_end: MonthTime::of(day_after(crate::calendar::LAST_DATE)),
            appraisal_months: (
                Month::of(portfolio.start),
                Month::of(portfolio.appraisal_end),
            ),
        }
    }

    fn anchor_date(&self, anchor: Anchor) -> NaiveDate {
        match anchor {
            Anchor::Start => self.timing.start,
            Anchor::Finish => self.timing.finish.succ_opt().unwrap_or(self.timing.finish),
            Anchor::Milestone(m) => self.schedule.day_from_milestone(m).unwrap_or_else(|| {
                panic!("schedule.milestones must be indexed like portfolio.milestones (no timing for milestone {})", m.0)
            }),
            Anchor::Date(date) => date,
        }
    }

    /// Whether money in `months` (none: no money at all) falls wholly outside the appraisal.
    fn outside(&self, months: Option<(Month, Month)>) -> bool {
        match months {
            None => true,
            Some((first, last)) => {
                first > self.appraisal_months.1 || last < self.appraisal_months.0
            }
        }
    }

    /// A recurring line: `per_year` from its anchor, ramped, for its months or to the end of
    /// the appraisal period.
    fn recurring<L: Lines>(
        &self,
        out: &mut L,
        field: Field,
        per_year: Money,
        recurrence: &Recurrence,
        span: crate::diagnostic::Span,
    ) {
        let from = MonthTime::of(self.anchor_date(recurrence.from));
        // Nothing accrues past the calendars' range: a `for` of centuries (refused or not by
        // the validator) must not make the profile millions of months long.
        let until = match recurrence.months {
            Some(months) => from.plus_months(months).min(self.calendar_end),
            None => self.appraisal_end,
        };
        let line = Recurring {
            per_year: per_year.0,
            ramp_months: recurrence.ramp_months,
            from,
            until,
        };
        let months = line.months();
        if per_year != Money::ZERO && self.outside(months) {
            out.note(Note::OutsideAppraisal {
                span,
                from: self.anchor_date(recurrence.from),
                to_period_end: recurrence.months.is_none(),
            });
        }
        put_line(out, field, months, |put| line.each_month(put));
    }

    /// A capital line `from … to …`: spread over the working days from the first anchor up to
    /// the day before the second (an instant: `finish` is the day after the work). With the
    /// anchors in the wrong order no day lies between them, and it all falls in `from`'s month.
    fn between<L: Lines>(
        &self,
        out: &mut L,
        amount: Money,
        from: Anchor,
        to: Anchor,
        span: crate::diagnostic::Span,
    ) {
        let (from, to) = (self.anchor_date(from), self.anchor_date(to));
        if to <= from {
            out.note(Note::Backwards { span, from, to });
        }
        self.phased(out, amount, from, to.pred_opt().unwrap_or(to), span);
    }

    /// A one-off cost: revenue, all in the month of its anchor's date.
    fn one_off<L: Lines>(
        &self,
        out: &mut L,
        amount: Money,
        at: Anchor,
        span: crate::diagnostic::Span,
    ) {
        let date = self.anchor_date(at);
        let month = Month::of(date);
        if amount.0 != 0 && self.outside(Some((month, month))) {
            out.note(Note::OutsideAppraisal {
                span,
                from: date,
                to_period_end: false,
            });
        }
        if out.wants(month, month) {
            out.put(Field::Revenue, month, amount.0);
        }
    }

    /// The project's spread capital, `total` pence of the lines at `spans`: all of them share
    /// one spread over the project's working days, so its capital is exact as a whole (and one
    /// remainder rule applies, not one per line).
    fn spread<L: Lines>(&self, out: &mut L, total: i64, spans: &[crate::diagnostic::Span]) {
        let (start, finish) = (self.timing.start, self.timing.finish);
        if self.outside(Some(accrual::spread_months(start, finish))) {
            for &span in spans {
                out.note(Note::OutsideAppraisal {
                    span,
                    from: start,
                    to_period_end: false,
                });
            }
        }
        self.capital(out, total, start, finish);
    }

    /// A phased capital line: paid at one date (`first == last`) or spread over the working
    /// days from `first` to `last`.
    fn phased<L: Lines>(
        &self,
        out: &mut L,
        amount: Money,
        first: NaiveDate,
        last: NaiveDate,
        span: crate::diagnostic::Span,
    ) {
        if amount.0 != 0 && self.outside(Some(accrual::spread_months(first, last))) {
            out.note(Note::OutsideAppraisal {
                span,
                from: first,
                to_period_end: false,
            });
        }
        self.capital(out, amount.0, first, last);
    }

    /// Capital of `amount` pence spread over the working days from `first` to `last`, with and
    /// without optimism bias (rounded once, on the whole amount).
    fn capital<L: Lines>(&self, out: &mut L, amount: i64, first: NaiveDate, last: NaiveDate) {
        let months = Some(accrual::spread_months(first, last));
        put_line(out, Field::Capital, months, |put| {
            accrual::spread_each(amount, first, last, self.calendar, put)
        });
        let with_bias = match self.bias {
            Some(percent) => accrual::uplift(amount, percent.basis_points()),
            None => amount,
        };
        put_line(out, Field::CapitalWithBias, months, |put| {
            accrual::spread_each(with_bias, first, last, self.calendar, put)
        });
    }
}

/// Works out one line, whose money can only fall in `months`, if `out` wants it, and puts it
/// into `out` as `field`.
fn put_line<L: Lines>(
    out: &mut L,
    field: Field,
    months: Option<(Month, Month)>,
    each: impl FnOnce(&mut dyn FnMut(Month, i64)),
) {
    let Some((first, last)) = months else { return };
    if out.wants(first, last) {
        each(&mut |month, amount| out.put(field, month, amount));
    }
}

/// The projects that contribute most to a figure in one financial year, as forecast, largest
/// first (at most three), as "`id` (£amount)".
fn top_contributors(
    finance: &Finance,
    year_index: usize,
    figure: fn(&Amounts) -> Money,
) -> Vec<String> {
    let mut contributions: Vec<(Money, &str)> = finance
        .projects
        .iter()
        .filter_map(|p| {
            // The project's forecast for the year, as the check is on the forecast.
            let mut amounts = p.yearly.get(year_index).unwrap_or_default();
            let recorded = p.actuals.binary_search_by_key(&year_index, |a| a.year);
            if let Some(r) = recorded.ok().and_then(|i| p.actuals.get(i)) {
                let plus = |m: Money, d: Money| Money(m.0.saturating_add(d.0));
                amounts.capital = plus(amounts.capital, r.capital.delta);
                amounts.revenue = plus(amounts.revenue, r.revenue.delta);
                amounts.savings = plus(amounts.savings, r.savings.delta);
            }
            let amount = figure(&amounts);
            (amount > Money::ZERO).then_some((amount, p.id.as_str()))
        })
        .collect();
    contributions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    contributions
        .into_iter()
        .take(3)
        .map(|(amount, id)| format!("`{id}` ({amount})"))
        .collect()
}

/// Checks every `target savings` and `budget` of the portfolio against the profile.
fn check(portfolio: &Portfolio, finance: &Finance) -> (Vec<Check>, Vec<Diagnostic>) {
    let targets = portfolio.targets.iter().map(|t| check_target(finance, t));
    let budgets = portfolio.budgets.iter().map(|b| check_budget(finance, b));
    let mut checks = Vec::new();
    let mut diagnostics = Vec::new();
    for (check, diagnostic) in targets.chain(budgets) {
        checks.push(check);
        diagnostics.extend(diagnostic);
    }
    (checks, diagnostics)
}

/// The index of a financial year in the profile, if the plan reaches it.
fn year_index(finance: &Finance, year: FinancialYear) -> Option<usize> {
    finance.years.iter().position(|y| *y == year)
}

/// A savings target against the year's forecast savings: its check, and the error (E060),
/// accepted shortfall (W065) or stale acceptance (W066) it gives, if any.
fn check_target(finance: &Finance, target: &crate::model::Target) -> (Check, Option<Diagnostic>) {
    let index = year_index(finance, target.year);
    // Judged on the forecast: the actual where a year that is over recorded one.
    let achieved = index.map_or(Money::ZERO, |i| {
        finance.portfolio.outturn(i).savings.forecast
    });
    let label = year_label(target.year, finance.financial_year_start);
    let check = Check {
        kind: CheckKind::SavingsTarget,
        year: target.year,
        year_label: label.clone(),
        limit: target.amount,
        actual: achieved,
        met: achieved >= target.amount,
        accepted: target.accept.clone(),
    };
    if achieved >= target.amount {
        let stale = target.accept.as_ref().map(|reason| {
            let message = format!(
                "the {} target for {label} is met ({achieved} forecast), but its shortfall is still accepted",
                target.amount
            );
            Diagnostic::new(Code::W066StaleAcceptance, target.span, message)
                .with_note(None, format!("the reason given: \"{reason}\""))
                .with_hint(
                    "remove `accept shortfall`, so that a shortfall in future is an error again",
                )
        });
        return (check, stale);
    }
    let shortfall = Money(target.amount.0.saturating_sub(achieved.0));
    let missed = format!(
        "cashable savings in {label} are {achieved}, {shortfall} short of the {} target",
        target.amount
    );
    // An accepted shortfall stays in sight, with its reason, as a warning.
    let mut diagnostic = match &target.accept {
        Some(reason) => Diagnostic::new(
            Code::W065ShortfallAccepted,
            target.span,
            format!("{missed}; the shortfall is accepted: \"{reason}\""),
        ),
        None => Diagnostic::new(Code::E060SavingsTargetMissed, target.span, missed),
    };
    let top = index
        .map(|i| top_contributors(finance, i, |a| a.savings))
        .unwrap_or_default();
    if top.is_empty() {
        diagnostic = diagnostic.with_note(None, format!("no project saves money in {label}"));
    } else {
        diagnostic = diagnostic.with_note(
            None,
            format!("largest savings in {label}: {}", top.join(", ")),
        );
    }
    let hint = if target.accept.is_some() {
        "when the reason no longer holds, remove `accept shortfall` and deliver the target"
    } else {
        "bring forward the projects that deliver savings, add savings, or lower the target, or accept the shortfall with `accept shortfall \"why\"`"
    };
    (check, Some(diagnostic.with_hint(hint)))
}

/// A capital or revenue budget against the year's forecast spending: its check, and E061
/// when it is exceeded.
fn check_budget(finance: &Finance, budget: &crate::model::Budget) -> (Check, Option<Diagnostic>) {
    let index = year_index(finance, budget.year);
    let mut amounts = index
        .and_then(|i| finance.portfolio.yearly.get(i))
        .unwrap_or_default();
    // Judged on the forecast, as targets are: the actuals of a year that is over.
    if let Some(recorded) = index.and_then(|i| {
        let found = finance
            .portfolio
            .actuals
            .binary_search_by_key(&i, |a| a.year);
        found.ok().and_then(|k| finance.portfolio.actuals.get(k))
    }) {
        amounts.capital = Money(amounts.capital.0.saturating_add(recorded.capital.delta.0));
        amounts.revenue = Money(amounts.revenue.0.saturating_add(recorded.revenue.delta.0));
    }
    let (kind, spent, spent_with_bias, figure): (&str, Money, Money, fn(&Amounts) -> Money) =
        match budget.kind {
            BudgetKind::Capital => (
                "capital",
                amounts.capital,
                Money(amounts.capital.0.saturating_add(amounts.optimism_bias.0)),
                |a| a.capital,
            ),
            BudgetKind::Revenue => ("revenue", amounts.revenue, amounts.revenue, |a| a.revenue),
        };
    let label = year_label(budget.year, finance.financial_year_start);
    let check = Check {
        kind: match budget.kind {
            BudgetKind::Capital => CheckKind::CapitalBudget,
            BudgetKind::Revenue => CheckKind::RevenueBudget,
        },
        year: budget.year,
        year_label: label.clone(),
        limit: budget.amount,
        actual: spent,
        met: spent <= budget.amount,
        accepted: None,
    };
    if spent <= budget.amount {
        return (check, None);
    }
    let over = Money(spent.0.saturating_sub(budget.amount.0));
    let mut diagnostic = Diagnostic::new(
        Code::E061BudgetExceeded,
        budget.span,
        format!(
            "{kind} spending in {label} is {spent}, {over} over the {} budget",
            budget.amount
        ),
    );
    if spent_with_bias != spent {
        diagnostic =
            diagnostic.with_note(None, format!("with optimism bias it is {spent_with_bias}"));
    }
    let top = index
        .map(|i| top_contributors(finance, i, figure))
        .unwrap_or_default();
    if !top.is_empty() {
        diagnostic = diagnostic.with_note(
            None,
            format!("largest {kind} spending in {label}: {}", top.join(", ")),
        );
    }
    let hint = "move work to another year, reduce its costs, or raise the budget";
    (check, Some(diagnostic.with_hint(hint)))
}

#[cfg(test)]
mod saturation_tests {
    use super::*;

    /// Guards issue 10: a total stuck at the i64 edge is reported, an ordinary one is not.
    #[test]
    fn a_saturated_total_is_an_error_and_a_normal_one_is_not() {
        let span = crate::diagnostic::Span::default();
        let mut total = Amounts {
            savings: Money(i64::MAX),
            ..Amounts::default()
        };
        let diagnostic = saturated(span, &total).expect("saturation reported");
        assert_eq!(diagnostic.code, Code::E006TooLarge);
        total.savings = Money(123);
        assert!(saturated(span, &total).is_none());
        total.net_cashable = Money(i64::MIN);
        assert!(saturated(span, &total).is_some());
    }
}

#[cfg(test)]
mod detail_tests {
    use super::*;
    use crate::diagnostic::SourceMap;
    use std::path::Path;

    /// The example portfolio (with its included workstream), scheduled, without the
    /// savings target whose shortfall it accepts: every target and budget left is met.
    fn example(extra: &str) -> (Portfolio, Schedule, Vec<WorkCalendar>) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("portfolios");
        let text = std::fs::read_to_string(root.join("children-and-families.tranche"))
            .expect("the example portfolio");
        let text: String = text
            .lines()
            .filter(|l| !l.contains("accept shortfall"))
            .map(|l| format!("{l}\n"))
            .collect();
        // Extra portfolio settings go just inside its block.
        let text = text.replacen(" {\n", &format!(" {{\n{extra}\n"), 1);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let copy = dir.path().join("plan.tranche");
        std::fs::write(&copy, text).expect("writing the plan");
        let workstreams = dir.path().join("workstreams");
        std::fs::create_dir(&workstreams).expect("a folder");
        for entry in std::fs::read_dir(root.join("workstreams")).expect("the workstreams") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, workstreams.join(name)).expect("copying a workstream");
        }
        let loaded = crate::source::analyse_files(
            &crate::cli::StdFs,
            &copy,
            &mut SourceMap::new(),
            crate::source::Options {
                includes: crate::source::Includes::InsideFolder,
                detail: Detail::Full,
                lints: false,
                level: crate::analysis::Level::Off,
            },
        );
        let portfolio = loaded
            .portfolio
            .unwrap_or_else(|| panic!("the example validates: {:?}", loaded.diagnostics));
        let network = crate::graph::build(&portfolio).expect("no cycles");
        let calendars = crate::calendar::build_all(&portfolio.calendars);
        let (schedule, _) = crate::schedule::compute(&portfolio, &network, &calendars);
        (portfolio, schedule, calendars)
    }

    fn same_profile(a: &Profile, b: &Profile) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.yearly, b.yearly, "{}", a.id);
        assert_eq!(a.total, b.total, "{}", a.id);
        assert_eq!(a.appraisal, b.appraisal, "{}", a.id);
    }

    /// Projects profiled from the months their money touches give what the whole frame gives.
    #[test]
    fn every_detail_gives_the_same_figures() {
        let (portfolio, schedule, calendars) = example("");
        let full = profile_with(&portfolio, &schedule, &calendars, Detail::Full);
        let years = profile_with(&portfolio, &schedule, &calendars, Detail::ProjectYearsOnly);
        let checks = profile_with(&portfolio, &schedule, &calendars, Detail::ChecksOnly);
        let groups = profile_with(&portfolio, &schedule, &calendars, Detail::GroupsOnly);
        assert!(groups.projects.is_empty());
        for (a, b) in full
            .programmes
            .iter()
            .zip(&groups.programmes)
            .chain(full.themes.iter().zip(&groups.themes))
            .chain([
                (&full.unthemed, &groups.unthemed),
                (&full.portfolio, &groups.portfolio),
            ])
        {
            same_profile(a, b);
            assert_eq!(a.monthly, b.monthly);
            assert_eq!(a.actuals, b.actuals);
        }
        assert_eq!(groups.checks, full.checks);
        assert!(!full.projects.is_empty());
        assert!(
            full.projects
                .iter()
                .all(|p| p.monthly.len() == full.months.len())
        );
        assert!(full.projects.iter().any(|p| p.appraisal.payback.is_some()));
        assert_eq!(full.projects.len(), years.projects.len());
        for (a, b) in full.projects.iter().zip(&years.projects) {
            same_profile(a, b);
            assert!(b.monthly.is_empty());
        }
        for (a, b) in full.programmes.iter().zip(&years.programmes) {
            same_profile(a, b);
            assert_eq!(a.monthly, b.monthly);
        }
        // One project at a time, on the frame of the checks' profile, as the CSV asks.
        let mut one_by_one = ProjectYears::new(&portfolio, &schedule, &calendars, &checks);
        for (index, kept) in years.projects.iter().enumerate() {
            let worked_out = one_by_one.profile(index).expect("a project at each index");
            same_profile(&worked_out, kept);
            assert_eq!(worked_out.title, kept.title);
            assert_eq!(worked_out.monthly, kept.monthly);
            assert_eq!(worked_out.actuals, kept.actuals, "{}", kept.id);
        }
        assert!(years.projects.iter().any(|p| !p.actuals.is_empty()));
        assert!(one_by_one.profile(years.projects.len()).is_none());
        for f in [&years, &checks] {
            assert_eq!(f.months, full.months);
            assert_eq!(f.years, full.years);
            same_profile(&f.portfolio, &full.portfolio);
            assert_eq!(f.portfolio.monthly, full.portfolio.monthly);
            assert_eq!(f.checks, full.checks);
        }
        // Its targets and budgets are met: the checks need no project.
        assert!(checks.checks.iter().all(|c| c.met));
        assert!(checks.projects.is_empty() && checks.programmes.is_empty());
        let (frame_years, whole) = profile_portfolio(&portfolio, &schedule, &calendars);
        assert_eq!(frame_years, full.years);
        same_profile(&whole, &full.portfolio);
    }

    /// An exceeded budget names its largest contributors whatever the detail asked for.
    #[test]
    fn an_exceeded_budget_names_projects_with_checks_only() {
        let (portfolio, schedule, calendars) = example("  budget revenue £1 in 2021/22");
        let years = profile_with(&portfolio, &schedule, &calendars, Detail::ProjectYearsOnly);
        let checks = profile_with(&portfolio, &schedule, &calendars, Detail::ChecksOnly);
        assert!(checks.checks.iter().any(|c| !c.met));
        let messages = |f: &Finance| -> Vec<String> {
            f.diagnostics
                .iter()
                .map(|d| format!("{} {} {:?}", d.code.as_str(), d.message, d.notes))
                .collect()
        };
        assert!(
            messages(&checks)
                .iter()
                .any(|m| m.contains("E061") && m.contains("largest revenue spending"))
        );
        assert_eq!(messages(&checks), messages(&years));
    }
}

#[cfg(test)]
mod milestone_anchors {
    use crate::source::check_text;

    /// The monthly savings of project `a` in the plan with `saving` written into it.
    fn monthly_savings(saving: &str) -> Vec<i64> {
        let text = format!(
            "portfolio \"X\" {{ start 2021-04-01  end 2022-03-31 }}\n\
             project a \"A\" {{\n  duration 3 months\n  milestone kick \"Kick-off\" at start\n  \
             milestone live \"Live\" at finish\n  {saving}\n}}\n"
        );
        let checked = check_text(&text);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let analysis = checked.analysis.expect("scheduled");
        let project = analysis.finance.projects.first().expect("one project");
        project.monthly.iter().map(|a| a.savings.0).collect()
    }

    /// A milestone is an instant (docs/scheduling.md): `at start` of work is the start of its
    /// day, so money from it begins that day, as money from the project's start does; £120k a
    /// year from 1 April gives £10,000 in April, not £9,666.66.
    #[test]
    fn money_from_an_at_start_milestone_begins_with_the_work() {
        let from_milestone = monthly_savings("saving £120k per year from kick");
        assert_eq!(
            from_milestone,
            monthly_savings("saving £120k per year from start")
        );
        assert_eq!(from_milestone.first(), Some(&1_000_000));
    }

    /// `at finish` is the end of the last day of work: money from it begins the next day, as
    /// money `from finish` does.
    #[test]
    fn money_from_an_at_finish_milestone_begins_after_the_work() {
        assert_eq!(
            monthly_savings("saving £120k per year from live"),
            monthly_savings("saving £120k per year from finish")
        );
    }
}
