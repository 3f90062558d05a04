//! Property tests for finance (issue 4): months add up to years and to the totals declared, to
//! the penny, for random plans; moving a project later never moves its money earlier.
//! Bounded: a few projects and lines per plan; `PROPTEST_CASES` sets the number of plans.

use crate::finance_common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Duration, NaiveDate};
use finance_common::*;
use proptest::prelude::*;
use tranche::calendar::WorkCalendar;
use tranche::finance::{self, Amounts, Finance, Month, Profile};
use tranche::model::{Anchor, Benefit, Cost, Portfolio, Recurrence, Saving};
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

#[derive(Debug, Clone)]
struct Generated {
    start_offset: i64,
    working_days: i32,
    capital: Vec<i64>,
    one_offs: Vec<(i64, u8, i64)>,
    revenue: Vec<Line>,
    savings: Vec<Line>,
    benefits: Vec<Line>,
    bias: Option<i64>,
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
        prop::collection::vec((0..1_000_000_000i64, 0..3u8, 0..1_500i64), 0..3),
        prop::collection::vec(line(), 0..3),
        prop::collection::vec(line(), 0..3),
        prop::collection::vec(line(), 0..2),
        prop::option::of(0..5_000i64),
    )
        .prop_map(
            |(start_offset, working_days, capital, one_offs, revenue, savings, benefits, bias)| {
                Generated {
                    start_offset,
                    working_days,
                    capital,
                    one_offs,
                    revenue,
                    savings,
                    benefits,
                    bias,
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
    let calendar = &CALENDARS[0];
    let mut timings = Vec::new();
    for (i, g) in projects.iter().enumerate() {
        let mut p = project(&format!("p{i}"));
        let mut costs = Vec::new();
        costs.extend(g.capital.iter().map(|&a| capital(Money(a))));
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
                span: Default::default(),
            })
            .collect();
        p.details_mut()
            .benefits
            .extend(g.benefits.iter().map(|l| Benefit {
                label: "b".to_owned(),
                per_year: Money(l.per_year),
                recurrence: recurrence(l),
                span: Default::default(),
            }));
        p.details_mut().optimism_bias = g.bias.map(Percent);
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

/// The total a recurring line must accrue: `P (2N - R) / 24` when the ramp ends within the
/// line's `N` months, `P N² / (24 R)` when it does not, rounded down; `None` when it runs to the
/// end of the plan.
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

fn declared_sum(lines: &[Line]) -> Option<i64> {
    lines.iter().map(declared).sum()
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

proptest! {
    #[test]
    fn months_years_and_declared_totals_agree(
        plan_months in 12u32..72,
        projects in prop::collection::vec(generated(), 1..4),
    ) {
        let (plan, schedule) = build(plan_months, &projects, &[]);
        let f = finance::profile(&plan, &schedule, &CALENDARS);
        assert_adds_up(&f.portfolio);
        for (g, p) in projects.iter().zip(&f.projects) {
            assert_adds_up(p);
            let capital: i64 = g.capital.iter().sum();
            prop_assert_eq!(p.total.capital.0, capital);
            let with_bias = match g.bias {
                // amount + round-half-up(amount * bp / 10000)
                Some(bp) => capital + (i128::from(capital) * i128::from(bp) + 5_000).div_euclid(10_000) as i64,
                None => capital,
            };
            prop_assert_eq!(p.total.optimism_bias.0, with_bias - capital);
            if let Some(recurring) = declared_sum(&g.revenue) {
                let one_offs: i64 = g.one_offs.iter().map(|o| o.0).sum();
                prop_assert_eq!(p.total.revenue.0, recurring + one_offs);
            }
            if let Some(savings) = declared_sum(&g.savings) {
                prop_assert_eq!(p.total.savings.0, savings);
            }
            if let Some(benefits) = declared_sum(&g.benefits) {
                prop_assert_eq!(p.total.benefits.0, benefits);
            }
        }
        let all: Vec<Amounts> = f.projects.iter().map(|p| p.total).collect();
        prop_assert_eq!(sum(&all), fields(&f.portfolio.total));
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
