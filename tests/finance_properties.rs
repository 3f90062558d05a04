//! Property tests for finance (issue 4): months add up to years and to the totals declared, to
//! the penny, for random plans; moving a project later never moves its money earlier. Capital,
//! spread over the project or timed by anchors (`at`, `from … to`, issue 17), is checked month
//! by month against `reference_capital`, a day-by-day reference written to be obvious.
//! Bounded: a few projects and lines per plan; `PROPTEST_CASES` sets the number of plans.

use crate::finance_common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Duration, NaiveDate};
use finance_common::*;
use proptest::prelude::*;
use tranche::calendar::WorkCalendar;
use tranche::finance::{self, Amounts, Finance, Month, Profile};
use tranche::model::{
    Actual, ActualKind, Anchor, Benefit, CapitalTiming, Cost, FinancialYear, Portfolio, Recurrence,
    Saving,
};
use tranche::money::{Money, Percent};
use tranche::schedule::Schedule;

static CALENDARS: LazyLock<Vec<WorkCalendar>> = LazyLock::new(calendars);

fn plan_start() -> NaiveDate {
    d(2020, 4, 1)
}

#[derive(Debug, Clone)]
struct Line {
    per_year: i64,
    anchor: u8,
    date_offset: i64,
    ramp: u32,
    months: Option<u32>,
}

/// An anchor as generated: its kind (see `anchor`) and a date offset from the plan's start.
type GenAnchor = (u8, i64);

/// A capital line timed by anchors: its amount, its first anchor and its second, if any.
type Phased = (i64, GenAnchor, Option<GenAnchor>);

#[derive(Debug, Clone)]
struct Generated {
    start_offset: i64,
    working_days: i32,
    capital: Vec<i64>,
    /// `cost capital AMOUNT at A` (no second anchor) or `from A to B`.
    phased: Vec<Phased>,
    one_offs: Vec<(i64, u8, i64)>,
    revenue: Vec<Line>,
    savings: Vec<Line>,
    benefits: Vec<Line>,
    bias: Option<i64>,
    /// `spent capital` (0), `spent revenue` (1), `realised saving` (2) or `realised benefit`
    /// of the first benefit's name (3), in financial year
    /// 2020 + n (over at the status date, 2023-04-01), for an amount.
    actuals: Vec<(u8, i32, i64)>,
}

fn line() -> impl Strategy<Value = Line> {
    (
        0..10_000_000_000i64,
        0..3u8,
        0..1_500i64,
        prop_oneof![Just(0u32), 1..30u32],
        prop_oneof![Just(None), (1..150u32).prop_map(Some)],
    )
        .prop_map(|(per_year, anchor, date_offset, ramp, months)| Line {
            per_year,
            anchor,
            date_offset,
            ramp,
            months,
        })
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        0..900i64,
        0..400i32,
        prop::collection::vec(0..10_000_000_000i64, 0..3),
        prop::collection::vec(
            (
                0..10_000_000_000i64,
                (0..3u8, 0..1_500i64),
                prop::option::of((0..3u8, 0..1_500i64)),
            ),
            0..3,
        ),
        prop::collection::vec((0..1_000_000_000i64, 0..3u8, 0..1_500i64), 0..3),
        prop::collection::vec(line(), 0..3),
        prop::collection::vec(line(), 0..3),
        prop::collection::vec(line(), 0..2),
        (
            prop::option::of(0..5_000i64),
            prop::collection::vec((0..4u8, 0..3i32, 0..1_000_000_000i64), 0..5),
        ),
    )
        .prop_map(
            |(
                start_offset,
                working_days,
                capital,
                phased,
                one_offs,
                revenue,
                savings,
                benefits,
                (bias, actuals),
            )| {
                Generated {
                    start_offset,
                    working_days,
                    capital,
                    phased,
                    one_offs,
                    revenue,
                    savings,
                    benefits,
                    bias,
                    actuals,
                }
            },
        )
}

fn anchor(kind: u8, date_offset: i64) -> Anchor {
    match kind {
        0 => Anchor::Start,
        1 => Anchor::Finish,
        _ => Anchor::Date(plan_start() + Duration::days(date_offset)),
    }
}

fn recurrence(line: &Line) -> Recurrence {
    Recurrence {
        from: anchor(line.anchor, line.date_offset),
        ramp_months: line.ramp,
        months: line.months,
    }
}

/// Builds the plan and a schedule in which project `i` starts `shift[i]` working days later.
fn build(plan_months: u32, projects: &[Generated], shift: &[i32]) -> (Portfolio, Schedule) {
    let end = plan_start()
        .checked_add_months(chrono::Months::new(plan_months))
        .and_then(|d| d.pred_opt())
        .unwrap_or_else(plan_start);
    let mut plan = portfolio(plan_start(), end);
    // 2020/21 to 2022/23 are over; the generator records actuals only for them.
    plan.status_date = Some(d(2023, 4, 1));
    let calendar = &CALENDARS[0];
    let mut timings = Vec::new();
    for (i, g) in projects.iter().enumerate() {
        let mut p = project(&format!("p{i}"));
        let mut costs = Vec::new();
        costs.extend(g.capital.iter().map(|&a| capital(Money(a))));
        costs.extend(
            g.phased
                .iter()
                .map(|&(a, (kind, offset), to)| Cost::Capital {
                    amount: Money(a),
                    range: None,
                    timing: match to {
                        None => CapitalTiming::At {
                            at: anchor(kind, offset),
                        },
                        Some((to_kind, to_offset)) => CapitalTiming::Between {
                            from: anchor(kind, offset),
                            to: anchor(to_kind, to_offset),
                        },
                    },
                    span: Default::default(),
                }),
        );
        costs.extend(g.one_offs.iter().map(|&(a, kind, offset)| Cost::OneOff {
            amount: Money(a),
            at: anchor(kind, offset),
            span: Default::default(),
        }));
        costs.extend(g.revenue.iter().map(|l| Cost::Revenue {
            per_year: Money(l.per_year),
            recurrence: recurrence(l),
            span: Default::default(),
        }));
        p.costs = costs.into();
        p.savings = g
            .savings
            .iter()
            .map(|l| Saving {
                per_year: Money(l.per_year),
                recurrence: recurrence(l),
                range: None,
                register: Default::default(),
                span: Default::default(),
            })
            .collect();
        p.details_mut()
            .benefits
            .extend(g.benefits.iter().map(|l| Benefit {
                label: "b".to_owned(),
                per_year: Money(l.per_year),
                recurrence: recurrence(l),
                register: Default::default(),
                span: Default::default(),
            }));
        p.details_mut().optimism_bias = g.bias.map(Percent);
        // One actual of each kind a year, as the validator allows.
        let mut seen = std::collections::BTreeSet::new();
        for &(kind, year, amount) in &g.actuals {
            if !seen.insert((kind, year))
                || (kind == 2 && g.savings.is_empty())
                || (kind == 3 && g.benefits.is_empty())
            {
                continue;
            }
            p.details_mut().actuals.push(Actual {
                kind: match kind {
                    0 => ActualKind::Capital,
                    1 => ActualKind::Revenue,
                    2 => ActualKind::Savings,
                    _ => ActualKind::Benefit(0),
                },
                year: FinancialYear(2020 + year),
                amount: Money(amount),
                span: Default::default(),
            });
        }
        plan.projects.push(p);
        let first = calendar.index_on_or_after(plan_start() + Duration::days(g.start_offset));
        let start_index = first + shift.get(i).copied().unwrap_or(0);
        let start = calendar.date(start_index).unwrap_or_else(plan_start);
        let finish = if g.working_days == 0 {
            start
        } else {
            calendar
                .date(start_index + g.working_days - 1)
                .unwrap_or(start)
        };
        timings.push(timing(start, finish));
    }
    (plan, schedule(timings, Vec::new()))
}

/// An anchor's date for a project working `start` to `finish`: `finish` is the day after.
fn anchor_day(kind: u8, offset: i64, start: NaiveDate, finish: NaiveDate) -> NaiveDate {
    match anchor(kind, offset) {
        Anchor::Start => start,
        Anchor::Finish => finish + Duration::days(1),
        Anchor::Date(date) => date,
        Anchor::Milestone(_) => unreachable!("the generator makes no milestone anchors"),
    }
}

/// `amount` spread over the working days from `first` to `last` (inclusive), by month, walked
/// a day at a time: after the k-th of n working days, floor(amount × k / n) is spent; each
/// month gets what was spent by its end less what was spent before it. No working day: it all
/// falls in `first`'s month.
fn reference_spread(
    amount: i64,
    first: NaiveDate,
    last: NaiveDate,
    out: &mut BTreeMap<Month, i64>,
) {
    let calendar = &CALENDARS[0];
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        if calendar.is_working(day) {
            days.push(day);
        }
        day += Duration::days(1);
    }
    if days.is_empty() {
        *out.entry(Month::of(first)).or_default() += amount;
        return;
    }
    let n = days.len() as i128;
    let mut spent_before = 0i128;
    for (k, day) in days.iter().enumerate() {
        let spent = (i128::from(amount) * (k as i128 + 1)).div_euclid(n);
        *out.entry(Month::of(*day)).or_default() += (spent - spent_before) as i64;
        spent_before = spent;
    }
}

/// A project's capital by month, with and without optimism bias, from the plan as generated:
/// the spread lines added and spread over the project's days with one uplift; each line timed
/// `at` an anchor all in that anchor's month, and each `from A to B` spread over A to the day
/// before B, each with its own uplift.
fn reference_capital(
    g: &Generated,
    start: NaiveDate,
    finish: NaiveDate,
) -> (BTreeMap<Month, i64>, BTreeMap<Month, i64>) {
    let with_bias = |amount: i64| match g.bias {
        Some(bp) => {
            amount + (i128::from(amount) * i128::from(bp) + 5_000).div_euclid(10_000) as i64
        }
        None => amount,
    };
    let (mut plain, mut biased) = (BTreeMap::new(), BTreeMap::new());
    let spread: i64 = g.capital.iter().sum();
    reference_spread(spread, start, finish, &mut plain);
    reference_spread(with_bias(spread), start, finish, &mut biased);
    for &(amount, (kind, offset), to) in &g.phased {
        let first = anchor_day(kind, offset, start, finish);
        let last = match to {
            None => first,
            Some((to_kind, to_offset)) => {
                anchor_day(to_kind, to_offset, start, finish) - Duration::days(1)
            }
        };
        reference_spread(amount, first, last, &mut plain);
        reference_spread(with_bias(amount), first, last, &mut biased);
    }
    plain.retain(|_, v| *v != 0);
    biased.retain(|_, v| *v != 0);
    (plain, biased)
}

/// The total a recurring line must accrue: `P (2N - R) / 24` when the ramp ends within the
/// line's `N` months, `P N² / (24 R)` when it does not, rounded down; `None` when it runs to the
/// end of the appraisal period (`declared_to_appraisal_end`).
fn declared(line: &Line) -> Option<i64> {
    let n = i128::from(line.months?);
    let p = i128::from(line.per_year);
    let r = i128::from(line.ramp);
    let total = if r <= n {
        (p * (2 * n - r)) / 24
    } else {
        (p * n * n) / (24 * r)
    };
    i64::try_from(total).ok()
}

/// A date in month-time, as a fraction: its month plus (day - 1) / days in its month.
fn month_time(date: NaiveDate) -> (i128, i128) {
    use chrono::Datelike;
    let first = date.with_day(1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let days = i128::from((next - first).num_days());
    let month = i128::from(date.year()) * 12 + i128::from(date.month0());
    (month * days + i128::from(date.day0()), days)
}

/// The total of a line without `for` (issue 17): it runs from its anchor to the end of the
/// appraisal period (the day after `appraisal_end`), x months of month-time, and accrues
/// `P x / 12`, or with a ramp of R months `P x² / (24 R)` while x ≤ R and `P (2x - R) / 24`
/// after; rounded down; nothing when it would start at or after the period's end.
fn declared_to_appraisal_end(line: &Line, from: NaiveDate, appraisal_end: NaiveDate) -> i64 {
    let (a, ad) = month_time(from);
    let (b, bd) = month_time(appraisal_end + Duration::days(1));
    let (xn, xd) = (b * ad - a * bd, ad * bd);
    if xn <= 0 {
        return 0;
    }
    let p = i128::from(line.per_year);
    let r = i128::from(line.ramp);
    let total = if r == 0 {
        (p * xn).div_euclid(12 * xd)
    } else if xn <= r * xd {
        (p * xn * xn).div_euclid(24 * r * xd * xd)
    } else {
        (p * (2 * xn - r * xd)).div_euclid(24 * xd)
    };
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// The lines' total: `declared` for a line with `for`, `declared_to_appraisal_end` without.
fn declared_sum(
    lines: &[Line],
    start: NaiveDate,
    finish: NaiveDate,
    appraisal_end: NaiveDate,
) -> i64 {
    lines
        .iter()
        .map(|line| match declared(line) {
            Some(total) => total,
            None => declared_to_appraisal_end(
                line,
                anchor_day(line.anchor, line.date_offset, start, finish),
                appraisal_end,
            ),
        })
        .sum()
}

fn fields(a: &Amounts) -> [i64; 6] {
    [
        a.capital.0,
        a.optimism_bias.0,
        a.revenue.0,
        a.savings.0,
        a.benefits.0,
        a.net_cashable.0,
    ]
}

fn sum(periods: &[Amounts]) -> [i64; 6] {
    let mut total = [0i64; 6];
    for p in periods {
        for (t, v) in total.iter_mut().zip(fields(p)) {
            *t += v;
        }
    }
    total
}

fn assert_adds_up(profile: &Profile) {
    assert_eq!(
        sum(&profile.monthly.to_vec()),
        fields(&profile.total),
        "months vs total of {}",
        profile.id
    );
    assert_eq!(
        sum(&profile.yearly.to_vec()),
        fields(&profile.total),
        "years vs total of {}",
        profile.id
    );
    let last = profile.monthly.last().map_or(0, |a| a.cumulative_net.0);
    assert_eq!(last, profile.total.net_cashable.0);
}

/// Cumulative amount of each figure by month, as a map so two profiles with different month
/// ranges can be compared.
fn by_month(finance: &Finance, profile: &Profile) -> BTreeMap<Month, [i64; 5]> {
    finance
        .months
        .iter()
        .zip(&profile.monthly)
        .map(|(m, a)| {
            let f = fields(&a);
            (*m, [f[0], f[1], f[2], f[3], f[4]])
        })
        .collect()
}

/// Plan, actual, forecast and variance by year add up to the total's, exactly, and the
/// variance is the forecast less the plan.
fn assert_outturn_adds_up(finance: &Finance, profile: &Profile) {
    let total = profile.outturn_total();
    let (mut costs, mut savings) = ([0i64; 4], [0i64; 4]);
    for i in 0..finance.years.len() {
        let o = profile.outturn(i);
        for (sum, f) in [(&mut costs, o.costs), (&mut savings, o.savings)] {
            assert_eq!(f.forecast.0 - f.plan.0, f.variance.0, "{}", profile.id);
            sum[0] += f.plan.0;
            sum[1] += f.actual.map_or(0, |a| a.0);
            sum[2] += f.forecast.0;
            sum[3] += f.variance.0;
        }
    }
    for (sum, f) in [(costs, total.costs), (savings, total.savings)] {
        assert_eq!(
            sum,
            [
                f.plan.0,
                f.actual.map_or(0, |a| a.0),
                f.forecast.0,
                f.variance.0
            ],
            "years vs total of {}",
            profile.id
        );
    }
}

/// The reference forecast of the portfolio's costs and savings in year `i`, written from the
/// rule: each project's actual for a kind where it recorded one, its plan otherwise.
fn reference_forecast(finance: &Finance, plan: &Portfolio, i: usize) -> (i64, i64) {
    let year = finance.years[i];
    let (mut costs, mut savings) = (0i64, 0i64);
    for (project, profile) in plan.projects.iter().zip(&finance.projects) {
        let planned = profile.yearly.get(i).unwrap_or_default();
        let actual = |kind: ActualKind| {
            project
                .actuals()
                .iter()
                .find(|a| a.kind == kind && a.year == year)
                .map(|a| a.amount.0)
        };
        costs += actual(ActualKind::Capital).unwrap_or(planned.capital.0)
            + actual(ActualKind::Revenue).unwrap_or(planned.revenue.0);
        savings += actual(ActualKind::Savings).unwrap_or(planned.savings.0);
    }
    (costs, savings)
}

/// The benefits register against the profiles and the rule, for plan `plan` with its
/// finance `f`: each line's plan is its own declared total; a project's saving lines add up
/// to its profile's savings (plan and forecast) and its benefit lines to its benefits, year
/// by year; each line's forecast is its actual in a year that is over and its plan
/// otherwise; the status follows from its rows and the default thresholds.
fn assert_register_agrees(
    plan: &Portfolio,
    schedule: &Schedule,
    f: &Finance,
    projects: &[Generated],
) -> Result<(), TestCaseError> {
    let register = finance::register(plan, schedule, &CALENDARS, f);
    let label = |i: usize| finance::year_label(f.years[i], f.financial_year_start);
    for (((project, g), profile), t) in plan
        .projects
        .iter()
        .zip(projects)
        .zip(&f.projects)
        .zip(&schedule.projects)
    {
        let lines: Vec<&finance::RegisterLine> = register
            .lines
            .iter()
            .filter(|l| l.project == project.id.as_str())
            .collect();
        let of = |kind| lines.iter().filter(move |l| l.kind == kind);
        prop_assert_eq!(of(finance::LineKind::Saving).count(), g.savings.len());
        prop_assert_eq!(of(finance::LineKind::Benefit).count(), g.benefits.len());
        for (line, declared) in of(finance::LineKind::Saving)
            .zip(&g.savings)
            .chain(of(finance::LineKind::Benefit).zip(&g.benefits))
        {
            let alone = declared_sum(
                std::slice::from_ref(declared),
                t.start,
                t.finish,
                plan.appraisal_end,
            );
            prop_assert_eq!(line.total.plan.0, alone);
            for row in &line.years {
                prop_assert_eq!(row.variance.0, row.forecast.0 - row.plan.0);
                let expected = match row.actual {
                    Some(a) if row.over => a,
                    _ => row.plan,
                };
                prop_assert_eq!(row.forecast, expected);
            }
            let over: Vec<_> = line.years.iter().filter(|r| r.over).collect();
            let planned: i64 = over.iter().map(|r| r.plan.0).sum();
            let realised: i64 = over.iter().map(|r| r.actual.map_or(0, |a| a.0)).sum();
            let recorded = over.iter().any(|r| r.actual.is_some());
            let status = if planned <= 0 {
                finance::Status::NotDue
            } else if !recorded {
                finance::Status::NotRecorded
            } else if realised as i128 * 100 >= planned as i128 * 95 {
                finance::Status::Green
            } else if realised as i128 * 100 >= planned as i128 * 80 {
                finance::Status::Amber
            } else {
                finance::Status::Red
            };
            prop_assert_eq!(line.status, status, "{:?}", line);
        }
        for i in 0..f.years.len() {
            let year = label(i);
            let add = |kind, field: fn(&finance::RegisterYear) -> i64| -> i64 {
                of(kind)
                    .flat_map(|l| l.years.iter())
                    .filter(|r| r.year == year)
                    .map(field)
                    .sum()
            };
            let yearly = profile.yearly.get(i).unwrap_or_default();
            prop_assert_eq!(
                add(finance::LineKind::Saving, |r| r.plan.0),
                yearly.savings.0
            );
            prop_assert_eq!(
                add(finance::LineKind::Benefit, |r| r.plan.0),
                yearly.benefits.0
            );
            prop_assert_eq!(
                add(finance::LineKind::Saving, |r| r.forecast.0),
                profile.outturn(i).savings.forecast.0,
                "savings forecast of {} in {}",
                project.id,
                year
            );
        }
        // Each realised benefit is shared out among the lines of its name exactly.
        for actual in project.actuals() {
            if let ActualKind::Benefit(_) = actual.kind {
                let year = finance::year_label(actual.year, f.financial_year_start);
                let shared: i64 = of(finance::LineKind::Benefit)
                    .flat_map(|l| l.years.iter())
                    .filter(|r| r.year == year)
                    .map(|r| r.actual.map_or(0, |a| a.0))
                    .sum();
                prop_assert_eq!(shared, actual.amount.0);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn months_years_and_declared_totals_agree(
        plan_months in 12u32..72,
        projects in prop::collection::vec(generated(), 1..4),
    ) {
        let (plan, schedule) = build(plan_months, &projects, &[]);
        let f = finance::profile(&plan, &schedule, &CALENDARS);
        assert_adds_up(&f.portfolio);
        for ((g, p), t) in projects.iter().zip(&f.projects).zip(&schedule.projects) {
            assert_adds_up(p);
            let (plain, biased) = reference_capital(g, t.start, t.finish);
            let months = |field: fn(&Amounts) -> i64| -> BTreeMap<Month, i64> {
                f.months
                    .iter()
                    .zip(&p.monthly)
                    .map(|(m, a)| (*m, field(&a)))
                    .filter(|(_, v)| *v != 0)
                    .collect()
            };
            prop_assert_eq!(months(|a| a.capital.0), plain.clone());
            prop_assert_eq!(
                months(|a| a.capital.0 + a.optimism_bias.0),
                biased.clone()
            );
            let capital: i64 = g.capital.iter().sum::<i64>()
                + g.phased.iter().map(|(a, _, _)| a).sum::<i64>();
            prop_assert_eq!(p.total.capital.0, capital);
            prop_assert_eq!(
                p.total.optimism_bias.0,
                biased.values().sum::<i64>() - plain.values().sum::<i64>()
            );
            // Every line, with `for` or running to the end of the appraisal period.
            let declared = |lines: &[Line]| declared_sum(lines, t.start, t.finish, plan.appraisal_end);
            let one_offs: i64 = g.one_offs.iter().map(|o| o.0).sum();
            prop_assert_eq!(p.total.revenue.0, declared(&g.revenue) + one_offs);
            prop_assert_eq!(p.total.savings.0, declared(&g.savings));
            prop_assert_eq!(p.total.benefits.0, declared(&g.benefits));
        }
        let all: Vec<Amounts> = f.projects.iter().map(|p| p.total).collect();
        prop_assert_eq!(sum(&all), fields(&f.portfolio.total));
        assert_register_agrees(&plan, &schedule, &f, &projects)?;
        // What risk adds to a sampled plan's savings in a year that is over (issue 17): the
        // plan's savings plus the recorded difference are the forecast finance gives.
        let (years, whole) = finance::profile_portfolio(&plan, &schedule, &CALENDARS);
        prop_assert_eq!(&years, &f.years);
        for (i, year) in years.iter().enumerate() {
            let planned = whole.yearly.get(i).unwrap_or_default().savings.0;
            let delta = finance::recorded_savings_delta(&plan, &schedule, &CALENDARS, *year);
            prop_assert_eq!(
                planned + delta,
                f.portfolio.outturn(i).savings.forecast.0,
                "savings forecast in {:?}", year
            );
        }
        // Plan, actual, forecast (issue 17): every group adds up, and the portfolio's forecast
        // is the reference's; without actuals the forecast is the plan.
        for profile in f.projects.iter().chain([&f.portfolio]) {
            assert_outturn_adds_up(&f, profile);
        }
        let any_actuals = plan.projects.iter().any(|p| !p.actuals().is_empty());
        for i in 0..f.years.len() {
            let o = f.portfolio.outturn(i);
            prop_assert_eq!(
                (o.costs.forecast.0, o.savings.forecast.0),
                reference_forecast(&f, &plan, i)
            );
            if !any_actuals {
                prop_assert_eq!(o.costs.forecast, o.costs.plan);
                prop_assert_eq!(o.savings.forecast, o.savings.plan);
                prop_assert_eq!(o.costs.actual, None);
            }
        }
    }

    #[test]
    fn moving_a_project_later_never_moves_its_money_earlier(
        plan_months in 12u32..72,
        g in generated(),
        shift in 1i32..300,
    ) {
        let (plan, before) = build(plan_months, std::slice::from_ref(&g), &[0]);
        let (_, after) = build(plan_months, std::slice::from_ref(&g), &[shift]);
        let early = finance::profile(&plan, &before, &CALENDARS);
        let late = finance::profile(&plan, &after, &CALENDARS);
        let early_months = by_month(&early, &early.projects[0]);
        let late_months = by_month(&late, &late.projects[0]);
        let months: std::collections::BTreeSet<Month> =
            early_months.keys().chain(late_months.keys()).copied().collect();
        let (mut e, mut l) = ([0i64; 5], [0i64; 5]);
        for month in months {
            for (i, (ei, li)) in e.iter_mut().zip(l.iter_mut()).enumerate() {
                *ei += early_months.get(&month).map_or(0, |a| a[i]);
                *li += late_months.get(&month).map_or(0, |a| a[i]);
                prop_assert!(*li <= *ei, "figure {} by {}: late {} > early {}", i, month, li, ei);
            }
        }
    }
}
