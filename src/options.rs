//! Options appraisal (`tranche options`, docs/options.md): the plan as written and each
//! scenario side by side, appraised against the baseline option, Green Book style.
//!
//! Input: a loaded [`Plan`]. Output: a [`Comparison`], one [`Column`] per option. Each
//! scenario's column is built from the ordinary pipeline run on the plan the scenario edits
//! (`scenario::apply`, `source::analyse_plan`), by the same [`column`] function that a plan
//! written by hand would go through, so a column is what tranche says of a hand-edited copy.
//!
//! Incremental appraisal: an option's costs, savings and benefits minus the baseline option's,
//! year by year, discounted by the plan's rate from the year the plan starts, each present
//! value summed in floating point and rounded once to the penny (as `finance` does for a
//! plan). Costs carry optimism bias, as the finance of each option does.

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::Analysis;
use crate::diagnostic::Diagnostic;
use crate::finance::{self, CheckKind, Month};
use crate::model::{FinancialYear, Portfolio};
use crate::money::{Money, Percent};
use crate::scenario::{self, Removed};
use crate::source::{self, Options, Plan};

/// The id of the plan as written among the columns.
pub const AS_WRITTEN: &str = "plan";

/// Every option side by side (the JSON of `tranche options`, docs/json.md).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Always `tranche-options`.
    pub schema: &'static str,
    pub version: u32,
    pub title: String,
    /// The scenario marked `baseline-option`, if any: what `incremental` is relative to.
    pub baseline: Option<String>,
    /// Every financial year any column has money in, in order, as written (`2021/22`).
    pub years: Vec<String>,
    pub columns: Vec<Column>,
}

/// One option: the plan as written or a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The scenario's id, or [`AS_WRITTEN`].
    pub id: String,
    pub title: String,
    pub baseline: bool,
    pub finish: NaiveDate,
    /// The P80 finish from `--risk` (the same seed and iterations for every column).
    pub p80_finish: Option<NaiveDate>,
    /// By financial year, aligned with [`Comparison::years`] once the comparison is built.
    pub years: Vec<YearMoney>,
    /// The option's own cashable NPV with optimism bias, as `tranche finance` gives it.
    pub npv: Money,
    /// Relative to the baseline option; `None` for the baseline itself, or without one.
    pub incremental: Option<Incremental>,
    /// Every savings target and budget of the option's plan, met or not.
    pub checks: Vec<Verdict>,
    /// What the scenario removed (nothing for the plan as written).
    pub removed: Vec<RemovedItem>,
}

/// One financial year's money of an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearMoney {
    #[serde(skip)]
    pub year: FinancialYear,
    pub capital: Money,
    /// The optimism-bias uplift on the capital.
    pub optimism_bias: Money,
    pub revenue: Money,
    pub savings: Money,
    pub benefits: Money,
}

impl YearMoney {
    fn zero(year: FinancialYear) -> YearMoney {
        YearMoney {
            year,
            capital: Money(0),
            optimism_bias: Money(0),
            revenue: Money(0),
            savings: Money(0),
            benefits: Money(0),
        }
    }

    /// Capital with its optimism bias, and revenue: the costs appraisal counts.
    pub fn costs(&self) -> Money {
        Money(
            self.capital
                .0
                .saturating_add(self.optimism_bias.0)
                .saturating_add(self.revenue.0),
        )
    }
}

/// An option against the baseline option: present values of the differences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incremental {
    /// PV of (this option's costs − the baseline's), optimism bias included.
    pub pv_costs: Money,
    pub pv_savings: Money,
    pub pv_benefits: Money,
    /// pv_savings − pv_costs.
    pub npv: Money,
    /// (pv_savings + pv_benefits) / pv_costs; `None` when the option costs no more than the
    /// baseline (a ratio of a negative or zero cost means nothing: read the NPV).
    pub benefit_cost_ratio: Option<f64>,
}

/// A target or budget of an option's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub kind: CheckKind,
    pub year: String,
    pub limit: Money,
    pub actual: Money,
    pub met: bool,
    /// A missed savings target's `accept shortfall` reason, when the plan gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// An item a scenario removed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedItem {
    pub id: String,
    pub kind: &'static str,
    pub reason: String,
}

/// Why options could not be compared.
#[derive(Debug)]
pub enum Failure {
    /// `--scenarios` named one the plan does not declare (with the ids it does).
    Unknown { id: String, declared: Vec<String> },
    /// An option's plan has errors (they are here, for the caller to print).
    Invalid {
        option: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// The plan as written and each scenario (those in `only`, or all; the baseline option
/// always), appraised against the baseline option. `p80` gives an option's P80 finish when
/// asked (`--risk`). `options` are the pipeline's (`detail` is raised to each project's years).
pub fn compare(
    plan: &Plan,
    only: Option<&[String]>,
    options: Options,
    p80: &dyn Fn(&Portfolio, &Analysis) -> Option<NaiveDate>,
) -> Result<Comparison, Failure> {
    let options = Options {
        detail: finance::Detail::ProjectYearsOnly,
        lints: false,
        ..options
    };
    let declared = scenario::declared(plan);
    if let Some(only) = only
        && let Some(unknown) = only
            .iter()
            .find(|id| !declared.iter().any(|d| &d.id == *id))
    {
        return Err(Failure::Unknown {
            id: unknown.clone(),
            declared: declared.iter().map(|d| d.id.clone()).collect(),
        });
    }
    let baseline = declared.iter().find(|d| d.baseline).map(|d| d.id.clone());
    let wanted: Vec<&scenario::Declared> = declared
        .iter()
        .filter(|d| d.baseline || only.is_none_or(|o| o.contains(&d.id)))
        .collect();

    let analysed = |plan: Plan, option: &str| {
        let analysed = source::analyse_plan(plan, Vec::new(), options);
        let showable = analysed.is_showable();
        match (analysed.portfolio, analysed.analysis, showable) {
            (Some(portfolio), Some(analysis), true) => Ok((portfolio, analysis)),
            _ => Err(Failure::Invalid {
                option: option.to_string(),
                diagnostics: analysed.diagnostics,
            }),
        }
    };
    let (portfolio, analysis) = analysed(plan.clone(), AS_WRITTEN)?;
    let title = portfolio.title.clone();
    let rate = portfolio.discount_rate;
    let year0 = Month::of(portfolio.start).financial_year(portfolio.financial_year_start);
    let fy_start = portfolio.financial_year_start;
    // Years over at the plan's status date are sunk: what was spent and saved then is the same
    // whichever option is chosen now, so the incremental appraisal leaves them out.
    let sunk_until = portfolio
        .status_date
        .map(|date| Month::of(date).financial_year(portfolio.financial_year_start));
    let mut columns = vec![column(
        AS_WRITTEN,
        "The plan as written",
        false,
        &analysis,
        &[],
        p80(&portfolio, &analysis),
    )];
    for declared in wanted {
        let Some(applied) = scenario::apply(plan, &declared.id) else {
            continue;
        };
        if !applied.diagnostics.is_empty() {
            return Err(Failure::Invalid {
                option: declared.id.clone(),
                diagnostics: applied.diagnostics,
            });
        }
        let (portfolio, analysis) = analysed(applied.plan, &declared.id)?;
        columns.push(column(
            &declared.id,
            &declared.title,
            declared.baseline,
            &analysis,
            &applied.removed,
            p80(&portfolio, &analysis),
        ));
    }
    let discounting = Discounting {
        rate,
        year0,
        sunk_until,
    };
    Ok(align(title, baseline, columns, discounting, fy_start))
}

/// One option's column from its analysed plan: what `tranche schedule` and `tranche finance`
/// say of that plan. The incremental figures are added by the comparison.
pub fn column(
    id: &str,
    title: &str,
    baseline: bool,
    analysis: &Analysis,
    removed: &[Removed],
    p80_finish: Option<NaiveDate>,
) -> Column {
    let finance = &analysis.finance;
    let years = finance
        .years
        .iter()
        .enumerate()
        .filter_map(|(i, year)| {
            let amounts = finance.portfolio.yearly.get(i)?;
            Some(YearMoney {
                year: *year,
                capital: amounts.capital,
                optimism_bias: amounts.optimism_bias,
                revenue: amounts.revenue,
                savings: amounts.savings,
                benefits: amounts.benefits,
            })
        })
        .collect();
    let checks = finance
        .checks
        .iter()
        .map(|check| Verdict {
            kind: check.kind,
            year: check.year_label.clone(),
            limit: check.limit,
            actual: check.actual,
            met: check.met,
            accepted: check.accepted.clone(),
        })
        .collect();
    Column {
        id: id.to_string(),
        title: title.to_string(),
        baseline,
        finish: analysis.schedule.finish,
        p80_finish,
        years,
        npv: finance.portfolio.appraisal.npv_with_bias,
        incremental: None,
        checks,
        removed: removed
            .iter()
            .map(|r| RemovedItem {
                id: r.id.clone(),
                kind: r.kind,
                reason: r.reason.text(),
            })
            .collect(),
    }
}

/// Every column over the same years (zero where an option has no money), and each option's
/// incremental appraisal against the baseline.
fn align(
    title: String,
    baseline: Option<String>,
    mut columns: Vec<Column>,
    discounting: Discounting,
    fy_start: u32,
) -> Comparison {
    let mut years: Vec<FinancialYear> = columns
        .iter()
        .flat_map(|c| c.years.iter().map(|y| y.year))
        .collect();
    years.sort();
    years.dedup();
    for column in &mut columns {
        column.years = years
            .iter()
            .map(|year| {
                column
                    .years
                    .iter()
                    .find(|y| y.year == *year)
                    .copied()
                    .unwrap_or_else(|| YearMoney::zero(*year))
            })
            .collect();
    }
    if let Some(base) = &baseline
        && let Some(base_years) = columns
            .iter()
            .find(|c| &c.id == base)
            .map(|c| c.years.clone())
    {
        for column in &mut columns {
            if &column.id != base {
                column.incremental = Some(incremental(&column.years, &base_years, discounting));
            }
        }
    }
    Comparison {
        schema: "tranche-options",
        version: 1,
        title,
        baseline,
        years: years
            .iter()
            .map(|y| finance::year_label(*y, fy_start))
            .collect(),
        columns,
    }
}

/// How the incremental appraisal discounts: the plan's rate and year 0, and the first year not
/// sunk (the one holding the plan's status date; years before it are left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discounting {
    pub rate: Percent,
    pub year0: FinancialYear,
    pub sunk_until: Option<FinancialYear>,
}

/// The option's money minus the baseline's, year by year, in present values rounded once to
/// the penny (docs/options.md). Both lists hold the same years in the same order.
pub fn incremental(
    option: &[YearMoney],
    baseline: &[YearMoney],
    discounting: Discounting,
) -> Incremental {
    let Discounting {
        rate,
        year0,
        sunk_until,
    } = discounting;
    let mut pv = [0.0_f64; 3];
    for (o, b) in option.iter().zip(baseline) {
        if sunk_until.is_some_and(|open| o.year < open) {
            continue;
        }
        let factor = finance::discount_factor(rate, o.year.0 - year0.0);
        let costs = o.costs().0.saturating_sub(b.costs().0);
        let savings = o.savings.0.saturating_sub(b.savings.0);
        let benefits = o.benefits.0.saturating_sub(b.benefits.0);
        pv[0] += costs as f64 * factor;
        pv[1] += savings as f64 * factor;
        pv[2] += benefits as f64 * factor;
    }
    // Halves away from zero, as finance rounds; `as` saturates, and the sums are finite.
    let [pv_costs, pv_savings, pv_benefits] = pv.map(|v| v.round() as i64);
    Incremental {
        pv_costs: Money(pv_costs),
        pv_savings: Money(pv_savings),
        pv_benefits: Money(pv_benefits),
        npv: Money(pv_savings.saturating_sub(pv_costs)),
        benefit_cost_ratio: (pv_costs > 0)
            .then(|| pv_savings.saturating_add(pv_benefits) as f64 / pv_costs as f64),
    }
}

#[cfg(test)]
mod tests;
