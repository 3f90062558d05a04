//! The benefits register (issue 17): every saving and benefit line of the plan with its owner
//! and measure, what it planned, realised and is forecast to deliver in each financial year,
//! and a RAG status from what it has realised so far against what it planned so far.
//!
//! A line's plan is its own money, timed by the same accrual as every other figure
//! ([`super::project_lines`], told which line it is timing), so a project's lines add up to
//! its profile's savings and benefits to the penny. Actuals are recorded per project
//! (`realised saving`) or per benefit name (`realised benefit "What"`); where a project has
//! several lines they share it, each in proportion to its plan for that year (the pence left
//! by rounding down go to the lines with the largest plan, the first of equals first; with
//! nothing planned that year, all of it to the first line), so the lines' actuals add up to
//! what was recorded.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Field, Finance, Line, Lines, Month, Outturn};
use crate::calendar::WorkCalendar;
use crate::model::{Accountable, ActualKind, BenefitRag, FinancialYear, Portfolio, Project};
use crate::money::{Money, Percent};
use crate::schedule::Schedule;

/// The whole register, in the plan's order of projects, savings before benefits.
#[derive(Debug, Clone, Serialize)]
pub struct Register {
    pub status_date: Option<NaiveDate>,
    /// The thresholds the statuses were judged on (`rag benefits`), in basis points.
    #[serde(rename = "amber_basis_points")]
    pub amber: Percent,
    #[serde(rename = "red_basis_points")]
    pub red: Percent,
    pub lines: Vec<RegisterLine>,
}

/// A cashable saving or a non-cashable benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    Saving,
    Benefit,
}

/// How a line is doing: realised so far against planned so far, over the financial years
/// that are over at the status date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Realised at least the amber share of the plan.
    Green,
    /// At least the red share, under the amber share.
    Amber,
    /// Under the red share (a year with nothing recorded counts as nothing realised).
    Red,
    /// Nothing was planned in a year that is over (or the plan has no status date).
    NotDue,
    /// Money was planned in years that are over and nothing was recorded for any of them.
    NotRecorded,
}

impl Status {
    /// The word the register shows.
    pub fn text(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Amber => "amber",
            Status::Red => "red",
            Status::NotDue => "not due",
            Status::NotRecorded => "not recorded",
        }
    }
}

/// One saving or benefit line.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterLine {
    pub project: String,
    pub project_title: String,
    pub kind: LineKind,
    /// What the register calls the line: a benefit's name; `saving` for a project's only
    /// saving, `saving 1`, `saving 2`, ... when it has several, in the order written.
    pub name: String,
    /// A benefit's name; `None` for a saving.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its `owner` and `measure`.
    #[serde(flatten)]
    pub register: Accountable,
    /// The full yearly rate as written.
    pub per_year: Money,
    /// Every financial year in which the line plans money or has an actual, in order.
    pub years: Vec<RegisterYear>,
    /// Over the years that are over at the status date: planned, and realised (nothing
    /// for a year without an actual).
    pub planned_to_date: Money,
    pub realised_to_date: Money,
    /// Over the whole profile (the appraisal period, and any money after it).
    pub total: Outturn,
    pub status: Status,
}

/// One line in one financial year.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterYear {
    /// As users write it: `2021/22`.
    pub year: String,
    /// Whether the year is over at the status date (the forecast takes the actual).
    pub over: bool,
    pub plan: Money,
    pub actual: Option<Money>,
    pub forecast: Money,
    pub variance: Money,
}

/// The register of `portfolio` as scheduled, its years those of `finance`.
///
/// Panics if the schedule or calendars do not match the portfolio (a bug in the caller), as
/// [`super::profile`] does.
pub fn register(
    portfolio: &Portfolio,
    schedule: &Schedule,
    calendars: &[WorkCalendar],
    finance: &Finance,
) -> Register {
    let fy_start = finance.financial_year_start;
    let open = finance
        .status_date
        .map(|date| Month::of(date).financial_year(fy_start));
    let mut lines = Vec::new();
    for (index, project) in portfolio.projects.iter().enumerate() {
        if project.savings.is_empty() && project.benefits().is_empty() {
            continue;
        }
        let mut plans = LinePlans::new(project, fy_start);
        super::project_lines(portfolio, schedule, calendars, index, &mut plans);
        project_register(
            project,
            &plans,
            open,
            fy_start,
            portfolio.benefit_rag,
            &mut lines,
        );
    }
    Register {
        status_date: finance.status_date,
        amber: portfolio.benefit_rag.amber,
        red: portfolio.benefit_rag.red,
        lines,
    }
}

/// Each saving's and benefit's plan by financial year, as [`super::project_lines`] times it.
struct LinePlans {
    fy_start: u32,
    current: Option<Line>,
    /// Indexed like the project's savings, then its benefits: (year, pence), years in order.
    savings: Vec<Vec<(FinancialYear, i64)>>,
    benefits: Vec<Vec<(FinancialYear, i64)>>,
}

impl LinePlans {
    fn new(project: &Project, fy_start: u32) -> LinePlans {
        LinePlans {
            fy_start,
            current: None,
            savings: vec![Vec::new(); project.savings.len()],
            benefits: vec![Vec::new(); project.benefits().len()],
        }
    }

    fn of(&self, line: Line) -> &[(FinancialYear, i64)] {
        let list = match line {
            Line::Saving(i) => self.savings.get(i),
            Line::Benefit(i) => self.benefits.get(i),
        };
        list.map_or(&[], Vec::as_slice)
    }
}

impl Lines for LinePlans {
    fn wants(&self, _: Month, _: Month) -> bool {
        true
    }

    fn line(&mut self, line: Line) {
        self.current = Some(line);
    }

    fn put(&mut self, field: Field, month: Month, amount: i64) {
        let list = match (field, self.current) {
            (Field::Savings, Some(Line::Saving(i))) => self.savings.get_mut(i),
            (Field::Benefits, Some(Line::Benefit(i))) => self.benefits.get_mut(i),
            _ => None,
        };
        let Some(list) = list else { return };
        let year = month.financial_year(self.fy_start);
        match list.last_mut() {
            Some((y, sum)) if *y == year => *sum = sum.saturating_add(amount),
            _ => list.push((year, amount)),
        }
    }
}

/// One project's lines, judged on `rag`.
fn project_register(
    project: &Project,
    plans: &LinePlans,
    open: Option<FinancialYear>,
    fy_start: u32,
    rag: BenefitRag,
    out: &mut Vec<RegisterLine>,
) {
    for (line, actual) in &line_actuals(project, plans) {
        let Some((kind, label, register, per_year)) = line_of(project, *line) else {
            continue;
        };
        let (years, total) = year_rows(plans.of(*line), actual, open, fy_start);
        let planned_to_date = years
            .iter()
            .filter(|r| r.over)
            .fold(0i64, |sum, r| sum.saturating_add(r.plan.0));
        let realised_to_date = years.iter().filter(|r| r.over).fold(0i64, |sum, r| {
            sum.saturating_add(r.actual.map_or(0, |a| a.0))
        });
        let any_recorded = years.iter().any(|r| r.over && r.actual.is_some());
        out.push(RegisterLine {
            project: project.id.to_string(),
            project_title: project.title.to_string(),
            kind,
            name: line_name(project, label.as_deref(), *line),
            label,
            register: register.clone(),
            per_year,
            years,
            planned_to_date: Money(planned_to_date),
            realised_to_date: Money(realised_to_date),
            total,
            status: status(planned_to_date, realised_to_date, any_recorded, rag),
        });
    }
}

/// Each line's actuals: (year, pence), from its group's share of each recorded figure.
fn line_actuals(project: &Project, plans: &LinePlans) -> Vec<(Line, Vec<(FinancialYear, i64)>)> {
    let mut actuals: Vec<(Line, Vec<(FinancialYear, i64)>)> = Vec::new();
    for (label, lines) in &actual_groups(project) {
        let mut shares: Vec<Vec<(FinancialYear, i64)>> = vec![Vec::new(); lines.len()];
        for (year, amount) in recorded(project, *label) {
            let weights: Vec<i64> = lines
                .iter()
                .map(|line| plan_in(plans.of(*line), year))
                .collect();
            for (share, part) in shares.iter_mut().zip(share_out(amount, &weights)) {
                share.push((year, part));
            }
        }
        actuals.extend(lines.iter().copied().zip(shares));
    }
    actuals
}

/// The lines that share each kind of actual: all savings (label `None`); the benefits of one
/// name (its label), in the order the names first appear.
fn actual_groups(project: &Project) -> Vec<(Option<&str>, Vec<Line>)> {
    let saving_lines: Vec<Line> = (0..project.savings.len()).map(Line::Saving).collect();
    let mut groups: Vec<(Option<&str>, Vec<Line>)> = vec![(None, saving_lines)];
    for (i, benefit) in project.benefits().iter().enumerate() {
        let label = Some(benefit.label.as_str());
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, lines)) => lines.push(Line::Benefit(i)),
            None => groups.push((label, vec![Line::Benefit(i)])),
        }
    }
    groups
}

/// What the project recorded for the group `label` names (savings for `None`), summed by
/// year in the order the years first appear.
fn recorded(project: &Project, label: Option<&str>) -> Vec<(FinancialYear, i64)> {
    let benefits = project.benefits();
    let mut recorded: Vec<(FinancialYear, i64)> = Vec::new();
    for actual in project.actuals() {
        let ours = match actual.kind {
            ActualKind::Savings => label.is_none(),
            ActualKind::Benefit(i) => {
                label.is_some() && benefits.get(i as usize).map(|b| b.label.as_str()) == label
            }
            ActualKind::Capital | ActualKind::Revenue => false,
        };
        if !ours {
            continue;
        }
        match recorded.iter_mut().find(|(y, _)| *y == actual.year) {
            Some((_, sum)) => *sum = sum.saturating_add(actual.amount.0),
            None => recorded.push((actual.year, actual.amount.0)),
        }
    }
    recorded
}

/// What the register says of `line` before its years: its kind, its label (a benefit's
/// name), its owner and measure, and its yearly rate; `None` when the project has no such line.
fn line_of(
    project: &Project,
    line: Line,
) -> Option<(LineKind, Option<String>, &Accountable, Money)> {
    match line {
        Line::Saving(i) => {
            let s = project.savings.get(i)?;
            Some((LineKind::Saving, None, &s.register, s.per_year))
        }
        Line::Benefit(i) => {
            let b = project.benefits().get(i)?;
            let label = Some(b.label.clone());
            Some((LineKind::Benefit, label, &b.register, b.per_year))
        }
    }
}

/// The line's name in the register: a benefit's label; `saving`, or `saving 1`, `saving 2`,
/// ... when the project has several.
fn line_name(project: &Project, label: Option<&str>, line: Line) -> String {
    match (label, line) {
        (Some(label), _) => label.to_owned(),
        (None, Line::Saving(i)) if project.savings.len() > 1 => format!("saving {}", i + 1),
        (None, _) => "saving".to_owned(),
    }
}

/// A line's row for every year in which it plans money or has an actual, in order, and
/// their total. A year that is over (before `open`) forecasts its actual where it has one.
fn year_rows(
    plan: &[(FinancialYear, i64)],
    actual: &[(FinancialYear, i64)],
    open: Option<FinancialYear>,
    fy_start: u32,
) -> (Vec<RegisterYear>, Outturn) {
    let mut years: Vec<FinancialYear> = plan
        .iter()
        .filter(|(_, p)| *p != 0)
        .map(|(y, _)| *y)
        .chain(actual.iter().map(|(y, _)| *y))
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut total = Outturn::default();
    let rows = years
        .into_iter()
        .map(|year| {
            let planned = plan_in(plan, year);
            let over = open.is_some_and(|open| year < open);
            let recorded = actual
                .iter()
                .find(|(y, _)| *y == year)
                .map(|(_, a)| Money(*a));
            let forecast = match recorded {
                Some(a) if over => a,
                _ => Money(planned),
            };
            let row = RegisterYear {
                year: super::year_label(year, fy_start),
                over,
                plan: Money(planned),
                actual: recorded,
                forecast,
                variance: Money(forecast.0.saturating_sub(planned)),
            };
            total.plan = Money(total.plan.0.saturating_add(planned));
            if let Some(a) = recorded {
                total.actual = Some(Money(total.actual.map_or(0, |t| t.0).saturating_add(a.0)));
            }
            total.forecast = Money(total.forecast.0.saturating_add(forecast.0));
            total.variance = Money(total.variance.0.saturating_add(row.variance.0));
            row
        })
        .collect::<Vec<_>>();
    (rows, total)
}

/// The status of a line that planned `planned` and realised `realised` (pence) over the
/// years that are over, `recorded` when it has an actual for any of them, on `rag`.
fn status(planned: i64, realised: i64, recorded: bool, rag: BenefitRag) -> Status {
    let (planned, realised) = (i128::from(planned), i128::from(realised));
    // Shares compared exactly, in basis points of the plan: realised / planned >= amber.
    let at_least = |share: Percent| realised * 10_000 >= planned * i128::from(share.0);
    if planned <= 0 {
        Status::NotDue
    } else if !recorded {
        Status::NotRecorded
    } else if at_least(rag.amber) {
        Status::Green
    } else if at_least(rag.red) {
        Status::Amber
    } else {
        Status::Red
    }
}

/// What `plan` has for `year`.
fn plan_in(plan: &[(FinancialYear, i64)], year: FinancialYear) -> i64 {
    plan.iter().find(|(y, _)| *y == year).map_or(0, |(_, p)| *p)
}

/// `amount` shared in proportion to `weights` (pence rounded down, the rest a penny each to
/// the largest weights, the first of equals first); all of it to the first when the weights
/// are not all positive or add up to nothing. The parts add up to `amount` exactly.
fn share_out(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if total <= 0 || weights.iter().any(|w| *w < 0) {
        let mut parts = vec![0; weights.len()];
        if let Some(first) = parts.first_mut() {
            *first = amount;
        }
        return parts;
    }
    let amount_wide = i128::from(amount);
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| {
            let exact = amount_wide * i128::from(*w);
            i64::try_from(exact.div_euclid(total)).unwrap_or(0)
        })
        .collect();
    let given: i128 = parts.iter().map(|p| i128::from(*p)).sum();
    let mut left = i64::try_from(amount_wide - given).unwrap_or(0);
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights.get(i).copied().unwrap_or(0)));
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        if let Some(part) = parts.get_mut(i) {
            *part += 1;
            left -= 1;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_amount() {
        assert_eq!(share_out(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(share_out(100, &[1, 2]), vec![33, 67]);
        assert_eq!(share_out(7, &[0, 0]), vec![7, 0]);
        // Rounded down (towards minus infinity), the pennies left to the largest weight.
        assert_eq!(share_out(-10, &[1, 2]), vec![-4, -6]);
        assert_eq!(share_out(5, &[]), Vec::<i64>::new());
        for amount in [-1_000_003, -1, 0, 1, 99, 1_000_001] {
            for weights in [vec![3, 5, 7], vec![1], vec![10, 0, 10], vec![i64::MAX, 1]] {
                let parts = share_out(amount, &weights);
                assert_eq!(
                    parts.iter().sum::<i64>(),
                    amount,
                    "{amount} over {weights:?}"
                );
            }
        }
    }

    #[test]
    fn thresholds_are_shares_of_the_plan_inclusive() {
        let rag = BenefitRag::default();
        let status = |planned, realised| status(planned, realised, true, rag);
        assert_eq!(status(100, 95), Status::Green);
        assert_eq!(status(100, 94), Status::Amber);
        assert_eq!(status(100, 80), Status::Amber);
        assert_eq!(status(100, 79), Status::Red);
        assert_eq!(status(100, 250), Status::Green);
        assert_eq!(status(0, 5), Status::NotDue);
        assert_eq!(super::status(100, 0, false, rag), Status::NotRecorded);
        assert_eq!(super::status(0, 0, false, rag), Status::NotDue);
    }
}
