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
use crate::model::{Anchor, BudgetKind, Cost, FinancialYear, Portfolio, Recurrence};
use crate::money::{Money, Percent};
use crate::schedule::Schedule;

mod accrual;
pub mod render;

pub use accrual::Month;
use accrual::{MonthTime, Recurring};

/// The money of a portfolio over time.
#[derive(Debug, Clone, Serialize)]
pub struct Finance {
    pub title: String,
    pub currency: String,
    pub discount_rate: Percent,
    /// Month (1-12) in which financial years start.
    pub financial_year_start: u32,
    /// Every month from the first with money (or the plan's start) to the last with money (or
    /// the plan's end), in order; `Profile::monthly` is aligned with it.
    pub months: Vec<Month>,
    /// Every financial year the months touch, in order; `Profile::yearly` is aligned with it.
    pub years: Vec<FinancialYear>,
    pub portfolio: Profile,
    /// Indexed by `ProjectId`. With [`Detail::ProjectYearsOnly`] their `monthly` is empty.
    pub projects: Vec<Profile>,
    /// Indexed by `ProgrammeId`; a programme includes the projects of programmes inside it.
    pub programmes: Vec<Profile>,
    /// Indexed by `ThemeId`.
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
    /// The year's cashable savings (targets) or spending (budgets).
    pub actual: Money,
    pub met: bool,
}

/// One group's money by month, by financial year and in total.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub id: String,
    pub title: String,
    pub monthly: Vec<Amounts>,
    pub yearly: Vec<Amounts>,
    pub total: Amounts,
    pub appraisal: Appraisal,
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
    /// Projects keep their years, totals and appraisal but not their months (which, for
    /// 100,000 projects over 10 years, would be about 700 MB); programmes, themes and the
    /// portfolio keep everything. Use unless showing `--monthly --by project`.
    ProjectYearsOnly,
}

/// [`profile`], keeping only the detail asked for.
pub fn profile_with(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
    detail: Detail,
) -> Finance {
    let lines: Vec<ProjectLines> = (0..portfolio.projects.len())
        .map(|p| project_lines(portfolio, schedule, calendars, p))
        .collect();

    let mut first = Month::of(portfolio.start);
    let mut last = Month::of(portfolio.end);
    for line in lines.iter().flat_map(ProjectLines::all) {
        for &(month, _) in line {
            first = first.min(month);
            last = last.max(month);
        }
    }
    let months: Vec<Month> = (first.0..=last.0).map(Month).collect();
    let fy_start = portfolio.financial_year_start.clamp(1, 12);
    let first_year = first.financial_year(fy_start);
    let last_year = last.financial_year(fy_start);
    let years: Vec<FinancialYear> = (first_year.0..=last_year.0).map(FinancialYear).collect();
    let plan_year = Month::of(portfolio.start).financial_year(fy_start);
    let frame = Frame {
        first,
        months: &months,
        years: &years,
        plan_year,
        rate: portfolio.discount_rate,
        year_of_month: year_of_month(&months, &years, fy_start),
    };

    let mut portfolio_raw = vec![Raw::default(); months.len()];
    let mut programme_raw = vec![vec![Raw::default(); months.len()]; portfolio.programmes.len()];
    let mut theme_raw = vec![vec![Raw::default(); months.len()]; portfolio.themes.len()];
    let mut unthemed_raw = vec![Raw::default(); months.len()];
    // One project at a time, so only one dense month vector of raw sums is alive besides the
    // groups' (a large portfolio keeps its projects' profiles, not their raw sums too).
    let mut projects: Vec<Profile> = Vec::with_capacity(portfolio.projects.len());
    for (project, project_lines) in portfolio.projects.iter().zip(&lines) {
        let raw = &project_lines.dense(&frame);
        // Without the months kept, they are not worked out either: at 100,000 projects over
        // ten years that was a tenth of `tranche check` (docs/benchmarks.md).
        let keep_monthly = detail == Detail::Full;
        projects.push(frame.profile_keeping(&project.id, &project.title, raw, keep_monthly));
        add_into(&mut portfolio_raw, raw);
        // Every enclosing programme, nearest first; bounded by the number of programmes so a
        // (validator-refused) parent cycle cannot loop.
        let mut programme = project.programme;
        for _ in 0..portfolio.programmes.len() {
            let Some(id) = programme else { break };
            if let Some(target) = programme_raw.get_mut(id.0 as usize) {
                add_into(target, raw);
            }
            programme = portfolio
                .programmes
                .get(id.0 as usize)
                .and_then(|p| p.parent);
        }
        match project.theme.and_then(|t| theme_raw.get_mut(t.0 as usize)) {
            Some(target) => add_into(target, raw),
            None => add_into(&mut unthemed_raw, raw),
        }
    }

    let programmes = portfolio
        .programmes
        .iter()
        .zip(&programme_raw)
        .map(|(p, raw)| frame.profile(&p.id, &p.title, raw))
        .collect();
    let themes = portfolio
        .themes
        .iter()
        .zip(&theme_raw)
        .map(|(t, raw)| frame.profile(&t.id, &t.title, raw))
        .collect();
    let unthemed = frame.profile("", "(no theme)", &unthemed_raw);
    let whole = frame.profile("portfolio", &portfolio.title, &portfolio_raw);

    let mut finance = Finance {
        title: portfolio.title.clone(),
        currency: portfolio.currency.clone(),
        discount_rate: portfolio.discount_rate,
        financial_year_start: fy_start,
        months: months.clone(),
        years: years.clone(),
        portfolio: whole,
        projects,
        programmes,
        themes,
        unthemed,
        checks: Vec::new(),
        diagnostics: Vec::new(),
    };
    let (checks, mut diagnostics) = check(portfolio, &finance);
    if let Some(diagnostic) = saturated(portfolio.span, &finance.portfolio.total) {
        diagnostics.push(diagnostic);
    }
    finance.checks = checks;
    finance.diagnostics = diagnostics;
    finance
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
    let lines: Vec<ProjectLines> = (0..portfolio.projects.len())
        .map(|p| project_lines(portfolio, schedule, calendars, p))
        .collect();
    // The frame exactly as `profile_with` lays it out.
    let mut first = Month::of(portfolio.start);
    let mut last = Month::of(portfolio.end);
    for line in lines.iter().flat_map(ProjectLines::all) {
        for &(month, _) in line {
            first = first.min(month);
            last = last.max(month);
        }
    }
    let months: Vec<Month> = (first.0..=last.0).map(Month).collect();
    let fy_start = portfolio.financial_year_start.clamp(1, 12);
    let years: Vec<FinancialYear> = (first.financial_year(fy_start).0
        ..=last.financial_year(fy_start).0)
        .map(FinancialYear)
        .collect();
    let frame = Frame {
        first,
        months: &months,
        years: &years,
        plan_year: Month::of(portfolio.start).financial_year(fy_start),
        rate: portfolio.discount_rate,
        year_of_month: year_of_month(&months, &years, fy_start),
    };
    let mut raw = vec![Raw::default(); months.len()];
    for project_lines in &lines {
        add_into(&mut raw, &project_lines.dense(&frame));
    }
    let profile = frame.profile("portfolio", &portfolio.title, &raw);
    (years, profile)
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

/// The lines of one project, each already timed into months.
#[derive(Debug, Default)]
struct ProjectLines {
    capital: Vec<(Month, i64)>,
    capital_with_bias: Vec<(Month, i64)>,
    revenue: Vec<Vec<(Month, i64)>>,
    savings: Vec<Vec<(Month, i64)>>,
    benefits: Vec<Vec<(Month, i64)>>,
}

impl ProjectLines {
    fn all(&self) -> impl Iterator<Item = &Vec<(Month, i64)>> {
        [&self.capital, &self.capital_with_bias]
            .into_iter()
            .chain(&self.revenue)
            .chain(&self.savings)
            .chain(&self.benefits)
    }

    fn dense(&self, frame: &Frame<'_>) -> Vec<Raw> {
        let mut raw = vec![Raw::default(); frame.months.len()];
        let mut put = |line: &[(Month, i64)], field: fn(&mut Raw) -> &mut i64| {
            for &(month, amount) in line {
                let index = usize::try_from(month.0 - frame.first.0).ok();
                if let Some(slot) = index.and_then(|i| raw.get_mut(i)) {
                    let value = field(slot);
                    *value = value.saturating_add(amount);
                }
            }
        };
        put(&self.capital, |r| &mut r.capital);
        put(&self.capital_with_bias, |r| &mut r.capital_with_bias);
        for line in &self.revenue {
            put(line, |r| &mut r.revenue);
        }
        for line in &self.savings {
            put(line, |r| &mut r.savings);
        }
        for line in &self.benefits {
            put(line, |r| &mut r.benefits);
        }
        raw
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

fn add_into(target: &mut [Raw], source: &[Raw]) {
    for (t, s) in target.iter_mut().zip(source) {
        t.add(s);
    }
}

/// The months and years every profile is laid out on.
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

impl Frame<'_> {
    fn profile(&self, id: &str, title: &str, raw: &[Raw]) -> Profile {
        self.profile_keeping(id, title, raw, true)
    }

    /// The profile of `raw`; its `monthly` is left empty unless `keep_monthly`.
    fn profile_keeping(&self, id: &str, title: &str, raw: &[Raw], keep_monthly: bool) -> Profile {
        let mut monthly = Vec::with_capacity(if keep_monthly { raw.len() } else { 0 });
        if keep_monthly {
            let mut cumulative = 0i64;
            for month in raw {
                let amounts = month.amounts(cumulative);
                cumulative = amounts.cumulative_net.0;
                monthly.push(amounts);
            }
        }

        let mut year_raw = vec![Raw::default(); self.years.len()];
        for (index, r) in self.year_of_month.iter().zip(raw) {
            if let Some(slot) = index.and_then(|i| year_raw.get_mut(i)) {
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

        let appraisal = self.appraise(raw, &year_raw);
        Profile {
            id: id.to_owned(),
            title: title.to_owned(),
            monthly,
            yearly,
            total,
            appraisal,
        }
    }

    fn appraise(&self, monthly: &[Raw], yearly: &[Raw]) -> Appraisal {
        // Sum each figure's discounted yearly amounts in f64 and round once, to the nearest
        // penny (halves away from zero).
        let mut pv = [0.0_f64; 4];
        for (year, r) in self.years.iter().zip(yearly) {
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
            payback: self.payback(monthly.iter().map(|r| r.amounts(0).net_cashable.0)),
            payback_with_bias: self.payback(monthly.iter().map(Raw::net_with_bias)),
        }
    }

    /// The month after the last one whose cumulative net is negative, if there is one and it
    /// is not the last month of the profile.
    fn payback(&self, nets: impl Iterator<Item = i64>) -> Option<Month> {
        let mut cumulative = 0i64;
        let mut last_negative = None;
        let mut n = 0usize;
        for (i, net) in nets.enumerate() {
            cumulative = cumulative.saturating_add(net);
            if cumulative < 0 {
                last_negative = Some(i);
            }
            n = i + 1;
        }
        let i = last_negative? + 1;
        if i >= n {
            return None;
        }
        self.months.get(i).copied()
    }
}

fn round_pence(value: f64) -> i64 {
    // `as` saturates for out-of-range floats, and NaN cannot arise from finite sums.
    value.round() as i64
}

fn project_lines(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
    index: usize,
) -> ProjectLines {
    let Some(project) = portfolio.projects.get(index) else {
        return ProjectLines::default();
    };
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
    let bias = project.optimism_bias.or(portfolio.optimism_bias);
    let anchor_date = |anchor: Anchor| -> NaiveDate {
        match anchor {
            Anchor::Start => timing.start,
            Anchor::Finish => timing.finish.succ_opt().unwrap_or(timing.finish),
            Anchor::Milestone(m) => {
                let milestone = schedule.milestones.get(m.0 as usize).unwrap_or_else(|| {
                    panic!("schedule.milestones must be indexed like portfolio.milestones (no timing for milestone {})", m.0)
                });
                milestone.finish.succ_opt().unwrap_or(milestone.finish)
            }
            Anchor::Date(date) => date,
        }
    };
    let plan_end = MonthTime::of(portfolio.end.succ_opt().unwrap_or(portfolio.end));
    let calendar_end = MonthTime::of(
        crate::calendar::LAST_DATE
            .succ_opt()
            .unwrap_or(crate::calendar::LAST_DATE),
    );
    let recurring = |per_year: Money, recurrence: &Recurrence| -> Vec<(Month, i64)> {
        let from = MonthTime::of(anchor_date(recurrence.from));
        // Nothing accrues past the calendars' range: a `for` of centuries (refused or not by
        // the validator) must not make the profile millions of months long.
        let until = match recurrence.months {
            Some(months) => from.plus_months(months).min(calendar_end),
            None => plan_end,
        };
        Recurring {
            per_year: per_year.0,
            ramp_months: recurrence.ramp_months,
            from,
            until,
        }
        .by_month()
    };

    let mut lines = ProjectLines::default();
    let mut capital_total = 0i64;
    for cost in &project.costs {
        match cost {
            Cost::Capital { amount, .. } => capital_total = capital_total.saturating_add(amount.0),
            Cost::Revenue {
                per_year,
                recurrence,
                ..
            } => lines.revenue.push(recurring(*per_year, recurrence)),
            Cost::OneOff { amount, at, .. } => {
                let month = Month::of(anchor_date(*at));
                lines.revenue.push(vec![(month, amount.0)]);
            }
        }
    }
    // All capital lines of a project share one spread, so the project's capital is exact as a
    // whole (and one remainder rule applies, not one per line).
    lines.capital = accrual::spread(capital_total, timing.start, timing.finish, calendar);
    let with_bias = match bias {
        Some(percent) => accrual::uplift(capital_total, percent.basis_points()),
        None => capital_total,
    };
    lines.capital_with_bias = accrual::spread(with_bias, timing.start, timing.finish, calendar);
    for saving in &project.savings {
        lines
            .savings
            .push(recurring(saving.per_year, &saving.recurrence));
    }
    for benefit in &project.benefits {
        lines
            .benefits
            .push(recurring(benefit.per_year, &benefit.recurrence));
    }
    lines
}

/// The projects that contribute most to a figure in one financial year, largest first (at
/// most three), as "`id` (£amount)".
fn top_contributors(
    finance: &Finance,
    year_index: usize,
    figure: fn(&Amounts) -> Money,
) -> Vec<String> {
    let mut contributions: Vec<(Money, &str)> = finance
        .projects
        .iter()
        .filter_map(|p| {
            let amount = p.yearly.get(year_index).map(figure)?;
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
    let mut checks = Vec::new();
    let mut diagnostics = Vec::new();
    let year_index =
        |year: FinancialYear| -> Option<usize> { finance.years.iter().position(|y| *y == year) };
    let fy = finance.financial_year_start;
    for target in &portfolio.targets {
        let index = year_index(target.year);
        let achieved = index
            .and_then(|i| finance.portfolio.yearly.get(i))
            .map_or(Money::ZERO, |a| a.savings);
        let label = year_label(target.year, fy);
        checks.push(Check {
            kind: CheckKind::SavingsTarget,
            year: target.year,
            year_label: label.clone(),
            limit: target.amount,
            actual: achieved,
            met: achieved >= target.amount,
        });
        if achieved >= target.amount {
            continue;
        }
        let shortfall = Money(target.amount.0.saturating_sub(achieved.0));
        let mut diagnostic = Diagnostic::new(
            Code::E060SavingsTargetMissed,
            target.span,
            format!(
                "cashable savings in {label} are {achieved}, {shortfall} short of the {} target",
                target.amount
            ),
        );
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
        diagnostics.push(diagnostic.with_hint(
            "bring forward the projects that deliver savings, add savings, or lower the target",
        ));
    }
    for budget in &portfolio.budgets {
        let index = year_index(budget.year);
        let amounts = index
            .and_then(|i| finance.portfolio.yearly.get(i))
            .copied()
            .unwrap_or_default();
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
        let label = year_label(budget.year, fy);
        checks.push(Check {
            kind: match budget.kind {
                BudgetKind::Capital => CheckKind::CapitalBudget,
                BudgetKind::Revenue => CheckKind::RevenueBudget,
            },
            year: budget.year,
            year_label: label.clone(),
            limit: budget.amount,
            actual: spent,
            met: spent <= budget.amount,
        });
        if spent <= budget.amount {
            continue;
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
        diagnostics.push(
            diagnostic
                .with_hint("move work to another year, reduce its costs, or raise the budget"),
        );
    }
    (checks, diagnostics)
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
