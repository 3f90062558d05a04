//! Plan, actual, forecast and variance by financial year (issue 17).
//!
//! A project records what it actually spent (`spent capital|revenue`) and saved (`realised
//! saving`) in financial years that are over at the status date. For such a year the forecast
//! is the actual where one is given, and the plan otherwise; the year containing the status
//! date and later years take the plan. Each group keeps, for the years its projects recorded
//! actuals in, the actuals and how far they move the forecast from the plan (sparse: most
//! projects record none, and a plan without a status date has none at all), so every figure
//! is the plan plus an exact sum of differences, in pence.

use serde::Serialize;

use super::{Frame, Month, Raw};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActualKind, FinancialYear, Project};
use crate::money::Money;

/// One recorded figure of a group in one year: the sum of the actuals recorded (`None` when
/// none was) and the sum, over the projects that recorded one, of actual less plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Recorded {
    pub actual: Option<Money>,
    pub delta: Money,
}

impl Recorded {
    fn add(&mut self, other: Recorded) {
        self.actual = match (self.actual, other.actual) {
            (None, None) => None,
            (a, b) => Some(Money(
                a.map_or(0, |m| m.0).saturating_add(b.map_or(0, |m| m.0)),
            )),
        };
        self.delta = Money(self.delta.0.saturating_add(other.delta.0));
    }
}

/// The actuals of a group in one financial year (`year`, an index into `Finance::years`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct YearActuals {
    pub year: usize,
    pub capital: Recorded,
    pub revenue: Recorded,
    pub savings: Recorded,
}

impl YearActuals {
    fn add(&mut self, other: &YearActuals) {
        self.capital.add(other.capital);
        self.revenue.add(other.revenue);
        self.savings.add(other.savings);
    }
}

/// Adds `actuals` (sorted by year) into `into` (sorted by year), keeping it sorted.
pub(super) fn add_actuals(into: &mut Vec<YearActuals>, actuals: &[YearActuals]) {
    for a in actuals {
        match into.binary_search_by_key(&a.year, |y| y.year) {
            Ok(i) => {
                if let Some(slot) = into.get_mut(i) {
                    slot.add(a);
                }
            }
            Err(i) => into.insert(i, *a),
        }
    }
}

/// Plan, actual, forecast and variance of one figure in one period. The variance is the
/// forecast less the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Outturn {
    pub plan: Money,
    pub actual: Option<Money>,
    pub forecast: Money,
    pub variance: Money,
}

impl Outturn {
    fn of(plan: Money, recorded: Recorded) -> Outturn {
        Outturn {
            plan,
            actual: recorded.actual,
            forecast: Money(plan.0.saturating_add(recorded.delta.0)),
            variance: recorded.delta,
        }
    }
}

/// Costs (capital as declared, and revenue) and cashable savings of one period, as planned,
/// recorded and forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct YearOutturn {
    pub costs: Outturn,
    pub savings: Outturn,
}

impl YearOutturn {
    /// The outturn of a period whose plan is `plan` and whose actuals are `recorded`.
    pub(super) fn of(plan: &super::Amounts, recorded: &YearActuals) -> YearOutturn {
        let mut costs = recorded.capital;
        costs.add(recorded.revenue);
        YearOutturn {
            costs: Outturn::of(Money(plan.capital.0.saturating_add(plan.revenue.0)), costs),
            savings: Outturn::of(plan.savings, recorded.savings),
        }
    }
}

impl super::Profile {
    /// Plan, actual, forecast and variance of costs and savings in year `year` (an index into
    /// `Finance::years`).
    pub fn outturn(&self, year: usize) -> YearOutturn {
        let plan = self.yearly.get(year).unwrap_or_default();
        let recorded = self
            .actuals
            .binary_search_by_key(&year, |a| a.year)
            .ok()
            .and_then(|i| self.actuals.get(i))
            .copied()
            .unwrap_or_default();
        YearOutturn::of(&plan, &recorded)
    }

    /// [`Profile::outturn`] over the whole profile: the plan's totals and the sums of every
    /// year's actuals and differences, so the years add up to it exactly.
    pub fn outturn_total(&self) -> YearOutturn {
        let mut all = YearActuals::default();
        for a in &self.actuals {
            all.add(a);
        }
        YearOutturn::of(&self.total, &all)
    }
}

/// What a project planned and recorded in the years over at the status date: its actuals as
/// [`YearActuals`] (the differences from its own plan), and W064 for each such year in which
/// it planned capital, revenue or savings and recorded no actual of that kind.
///
/// `raw` are the project's touched months, the first at index `offset` of the frame's; months
/// before `open` are in years that are over.
pub(super) fn project_actuals(
    project: &Project,
    frame: &Frame<'_>,
    offset: usize,
    raw: &[Raw],
    open: Month,
    fy_start: u32,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<YearActuals> {
    let planned = PlannedOver::of(frame, offset, raw, open);
    let out = recorded_actuals(project, frame.years, &planned);
    for (year, sums) in &planned.0 {
        let Some(fy) = frame.years.get(*year).copied() else {
            continue;
        };
        diagnostics.extend(no_actual(project, fy, sums, fy_start));
    }
    out
}

/// What a project planned in each financial year that is over: [capital, revenue, savings]
/// in pence, by year index, the years in order.
struct PlannedOver(Vec<(usize, [i64; 3])>);

impl PlannedOver {
    /// The plan of the project's touched months `raw` (the first at index `offset` of the
    /// frame's) before `open`, summed by year.
    fn of(frame: &Frame<'_>, offset: usize, raw: &[Raw], open: Month) -> PlannedOver {
        let months = frame.months.get(offset..).unwrap_or_default();
        let year_of_month = frame.year_of_month.get(offset..).unwrap_or_default();
        let mut planned: Vec<(usize, [i64; 3])> = Vec::new();
        for ((month, r), year) in months.iter().zip(raw).zip(year_of_month) {
            let Some(year) = *year else { continue };
            if *month >= open {
                break;
            }
            let sums = match planned.last_mut() {
                Some((y, sums)) if *y == year => sums,
                _ => {
                    planned.push((year, [0; 3]));
                    match planned.last_mut() {
                        Some((_, sums)) => sums,
                        None => continue,
                    }
                }
            };
            for (sum, value) in sums.iter_mut().zip([r.capital, r.revenue, r.savings]) {
                *sum = sum.saturating_add(value);
            }
        }
        PlannedOver(planned)
    }

    /// The plan of `figure` (0 capital, 1 revenue, 2 savings) in year `year`.
    fn plan(&self, year: usize, figure: usize) -> i64 {
        self.0
            .iter()
            .find(|(y, _)| *y == year)
            .and_then(|(_, sums)| sums.get(figure).copied())
            .unwrap_or(0)
    }
}

/// The project's recorded capital, revenue and savings as [`YearActuals`] by index into
/// `years`, each with its difference from what was `planned` that year.
fn recorded_actuals(
    project: &Project,
    years: &[FinancialYear],
    planned: &PlannedOver,
) -> Vec<YearActuals> {
    let mut out: Vec<YearActuals> = Vec::new();
    for actual in project.actuals() {
        let figure = match actual.kind {
            ActualKind::Capital => 0,
            ActualKind::Revenue => 1,
            ActualKind::Savings => 2,
            // Benefits are reported in the benefits register, not in the cashable figures.
            ActualKind::Benefit(_) => continue,
        };
        let Some(year) = years.iter().position(|y| *y == actual.year) else {
            continue;
        };
        let recorded = Recorded {
            actual: Some(actual.amount),
            delta: Money(actual.amount.0.saturating_sub(planned.plan(year, figure))),
        };
        let mut one = YearActuals {
            year,
            ..YearActuals::default()
        };
        match figure {
            0 => one.capital = recorded,
            1 => one.revenue = recorded,
            _ => one.savings = recorded,
        }
        add_actuals(&mut out, &[one]);
    }
    out
}

/// W064 when the project planned capital, revenue or savings (`sums`) in `fy`, a year that
/// is over, and recorded no actual of that kind in it.
fn no_actual(
    project: &Project,
    fy: FinancialYear,
    sums: &[i64; 3],
    fy_start: u32,
) -> Option<Diagnostic> {
    let has = |kind: ActualKind| {
        project
            .actuals()
            .iter()
            .any(|a| a.kind == kind && a.year == fy)
    };
    let missing: Vec<String> = [
        (ActualKind::Capital, "capital", "spent capital"),
        (ActualKind::Revenue, "revenue costs", "spent revenue"),
        (ActualKind::Savings, "savings", "realised saving"),
    ]
    .into_iter()
    .zip(sums)
    .filter(|((kind, _, _), sum)| **sum != 0 && !has(*kind))
    .map(|((_, what, _), sum)| format!("{} of {what}", Money(*sum)))
    .collect();
    if missing.is_empty() {
        return None;
    }
    let year_label = super::year_label(fy, fy_start);
    Some(
        Diagnostic::new(
            Code::W064NoActual,
            project.span,
            format!(
                "project `{}` planned {} in {year_label}, which is over, and records no actual for it",
                project.id,
                super::join_words(&missing)
            ),
        )
        .with_note(None, format!("the forecast for {year_label} takes the plan until an actual is recorded"))
        .with_hint(format!(
            "record what happened, e.g. `spent capital £… in {year_label}` or `realised saving £… in {year_label}`"
        )),
    )
}
