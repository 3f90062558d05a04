//! Property tests for finance (issue 4): months add up to years and to the totals declared, to
//! the penny, for random plans; moving a project later never moves its money earlier. Capital,
//! spread over the project or timed by anchors (`at`, `from … to`, issue 17), is checked month
//! by month against `reference_capital`, a day-by-day reference written to be obvious.
//! Bounded: a few projects and lines per plan; `PROPTEST_CASES` sets the number of plans.
//!
//! Each generated plan is written as plan text (`plan_text`) and read through the whole
//! pipeline, parse, validate, schedule and finance, as a user's plan is (issue 16): the
//! references take the generated lines and the dates the schedule gives. The text says only
//! what a valid plan can say (`sayable`), so the plans are fewer than when the model was built
//! by hand, in these ways:
//! - every date written (`not-before`, an actual date, a money line's date) lies inside the
//!   plan's window, as the language asks, so generated dates past its end are folded back in;
//! - the status date is 2023-04-01 when the window holds it (2020/21 to 2022/23 over, as
//!   before), else the latest 1 April it holds, and actuals are kept only for years over then;
//! - work before the status date is written as progress (`actual-start`, `actual-finish`), as
//!   unstarted work cannot start before it; its dates are the same;
//! - a project takes at least a day (E051): the zero-day project finished the day it started,
//!   as a one-day project does, so no timing is lost;
//! - capital `from A to B` is kept only where B comes after A as scheduled (turned round
//!   where A comes after B, else paid `at A`): backwards capital is an error (E062), not a
//!   plan, so the rule that counts it all in A's month is not reached from here.

use crate::common::{Analysed, analysed_text, days};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;
use tranche::calendar::WorkCalendar;
use tranche::finance::{self, Amounts, Finance, Month, Profile};
use tranche::model::CalendarId;

/// The default calendar (England and Wales) as the pipeline builds it: every generated project
/// works on it, so the text is written and the references count working days on it.
static CALENDAR: LazyLock<WorkCalendar> = LazyLock::new(|| {
    analysed_text("portfolio \"Calendar\" { start 2020-04-01  end 2021-03-31 }\n")
        .analysis
        .calendars
        .into_iter()
        .nth(CalendarId::ENGLAND_AND_WALES.0 as usize)
        .unwrap_or_else(|| panic!("the pipeline builds the default calendar"))
});

fn plan_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 4, 1).unwrap_or_else(|| panic!("2020-04-01 is a date"))
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
    /// of the benefits' name (3), in financial year 2020 + n, for an amount (`sayable` keeps
    /// those for years over at the status date).
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

/// A plan's window, from `plan_start` to `end`, and its status date.
#[derive(Debug, Clone, Copy)]
struct Window {
    end: NaiveDate,
    status: NaiveDate,
}

impl Window {
    fn new(plan_months: u32) -> Window {
        let months = |n: u32| plan_start().checked_add_months(chrono::Months::new(n));
        let end = months(plan_months)
            .and_then(|d| d.pred_opt())
            .unwrap_or_else(plan_start);
        // The status date must lie in the window: 2023-04-01 where it does, else the latest
        // 1 April that does (the window's start, with no year over, for a 12-month plan).
        let status = (0..=3)
            .rev()
            .filter_map(|n| months(12 * n))
            .find(|s| *s <= end)
            .unwrap_or_else(plan_start);
        Window { end, status }
    }

    /// How many financial years from 2020/21 on are over at the status date.
    fn years_over(&self) -> i32 {
        self.status.year() - plan_start().year()
    }

    /// `offset` days from the plan's start, folded into the window.
    fn fold(&self, offset: i64) -> i64 {
        offset.rem_euclid((self.end - plan_start()).num_days() + 1)
    }

    /// The working days (on `CALENDAR`) project `g` starts on as generated and `shift` working
    /// days later, both in the window, where its `not-before` or `actual-start` must lie: a
    /// shift longer than the window is cut to it, and a start too late for the shift is folded
    /// back into the window.
    fn starts(&self, g: &Generated, shift: i32) -> (i32, i32) {
        let first = CALENDAR.index_on_or_after(plan_start());
        let latest = CALENDAR.index_on_or_before(self.end);
        let shift = shift.clamp(0, latest - first);
        let generated = CALENDAR.index_on_or_after(plan_start() + Duration::days(g.start_offset));
        let start = first + (generated - first).rem_euclid(latest - shift - first + 1);
        (start, start + shift)
    }
}

/// The first and last day project `g` works when it starts on working day `start`: at least a
/// day, as the language asks.
fn span(g: &Generated, start: i32) -> (NaiveDate, NaiveDate) {
    let day = |index: i32| {
        CALENDAR
            .date(index)
            .unwrap_or_else(|| panic!("working day {index} is on the calendar"))
    };
    (day(start), day(start + g.working_days.max(1) - 1))
}

/// `g` as a valid plan can say it, for a project working each of `spans` (one plan each, with
/// the same lines): its dates folded into window `w`; capital `from A to B` kept where B comes
/// after A in every span, turned round where A comes after B in every span, else paid `at A`;
/// and actuals kept only where the validator allows them: one of each kind a year, in a year
/// over at the status date, a realised saving only with a saving and a realised benefit only
/// with a benefit.
fn sayable(g: &Generated, w: &Window, spans: &[(NaiveDate, NaiveDate)]) -> Generated {
    let line = |l: &Line| Line {
        date_offset: w.fold(l.date_offset),
        ..l.clone()
    };
    let before = |a: GenAnchor, b: GenAnchor| {
        spans
            .iter()
            .all(|&(s, f)| anchor_day(a.0, a.1, s, f) < anchor_day(b.0, b.1, s, f))
    };
    let phased = g
        .phased
        .iter()
        .map(|&(amount, (kind, offset), to)| {
            let from = (kind, w.fold(offset));
            match to.map(|(kind, offset)| (kind, w.fold(offset))) {
                Some(to) if before(from, to) => (amount, from, Some(to)),
                Some(to) if before(to, from) => (amount, to, Some(from)),
                _ => (amount, from, None),
            }
        })
        .collect();
    let mut seen = BTreeSet::new();
    let actuals = g
        .actuals
        .iter()
        .copied()
        .filter(|&(kind, year, _)| {
            year < w.years_over()
                && (kind != 2 || !g.savings.is_empty())
                && (kind != 3 || !g.benefits.is_empty())
                && seen.insert((kind, year))
        })
        .collect();
    Generated {
        phased,
        one_offs: g
            .one_offs
            .iter()
            .map(|&(amount, kind, offset)| (amount, kind, w.fold(offset)))
            .collect(),
        revenue: g.revenue.iter().map(line).collect(),
        savings: g.savings.iter().map(line).collect(),
        benefits: g.benefits.iter().map(line).collect(),
        actuals,
        ..g.clone()
    }
}

/// `n` hundredths as a decimal: pence as pounds, basis points as a percentage.
fn hundredths(n: i64) -> String {
    format!("{}.{:02}", n / 100, n % 100)
}

fn money(pence: i64) -> String {
    format!("£{}", hundredths(pence))
}

/// An anchor in the plan language: `start`, `finish` or a date.
fn when((kind, offset): GenAnchor) -> String {
    match kind {
        0 => "start".to_owned(),
        1 => "finish".to_owned(),
        _ => (plan_start() + Duration::days(offset)).to_string(),
    }
}

/// A recurring line after its kind: `£P per year from WHEN [ramp R months] [for N months]`.
fn recurring(l: &Line) -> String {
    let mut text = format!(
        "{} per year from {}",
        money(l.per_year),
        when((l.anchor, l.date_offset))
    );
    if l.ramp > 0 {
        text += &format!(" ramp {} months", l.ramp);
    }
    if let Some(months) = l.months {
        text += &format!(" for {months} months");
    }
    text
}

/// Project `p{i}` with the lines of `g` (as `sayable` gives them), working from working day
/// `start` for its working days, at status date `status`.
fn project_text(i: usize, g: &Generated, start: i32, status: NaiveDate) -> String {
    let (first, last) = span(g, start);
    let status = CALENDAR.index_on_or_after(status);
    let finish = start + g.working_days.max(1) - 1;
    // Unstarted work cannot start before the status date, so work before it is progress:
    // finished work keeps its actual dates, and work in progress resumes at the status date
    // with its remaining days.
    let mut lines = if start >= status {
        vec![
            format!("not-before {first}"),
            format!("duration {}", days(finish - start + 1)),
        ]
    } else if finish < status {
        vec![
            format!("actual-start {first}"),
            format!("actual-finish {last}"),
            format!("duration {}", days(finish - start + 1)),
        ]
    } else {
        vec![
            format!("actual-start {first}"),
            format!("duration {}", days(finish - status + 1)),
        ]
    };
    if let Some(bias) = g.bias {
        lines.push(format!("optimism-bias capital {}%", hundredths(bias)));
    }
    lines.extend(
        g.capital
            .iter()
            .map(|&a| format!("cost capital {}", money(a))),
    );
    lines.extend(g.phased.iter().map(|&(a, from, to)| match to {
        None => format!("cost capital {} at {}", money(a), when(from)),
        Some(to) => format!(
            "cost capital {} from {} to {}",
            money(a),
            when(from),
            when(to)
        ),
    }));
    lines.extend(g.one_offs.iter().map(|&(a, kind, offset)| {
        format!("cost one-off {} at {}", money(a), when((kind, offset)))
    }));
    lines.extend(
        g.revenue
            .iter()
            .map(|l| format!("cost revenue {}", recurring(l))),
    );
    lines.extend(g.savings.iter().map(|l| format!("saving {}", recurring(l))));
    lines.extend(
        g.benefits
            .iter()
            .map(|l| format!("benefit \"b\" {}", recurring(l))),
    );
    for &(kind, year, amount) in &g.actuals {
        let what = match kind {
            0 => "spent capital",
            1 => "spent revenue",
            2 => "realised saving",
            _ => "realised benefit \"b\"",
        };
        let year = plan_start().year() + year;
        lines.push(format!(
            "{what} {} in {year}/{:02}",
            money(amount),
            (year + 1) % 100
        ));
    }
    format!("project p{i} {{\n  {}\n}}\n", lines.join("\n  "))
}

/// The text of a plan over window `w` holding `projects`, each its lines (as `sayable` gives
/// them) and the working day it starts on.
fn plan_text(w: &Window, projects: &[(&Generated, i32)]) -> String {
    let mut text = format!(
        "portfolio \"Generated\" {{\n  start {}\n  end {}\n  status-date {}\n}}\n",
        plan_start(),
        w.end,
        w.status
    );
    for (i, &(g, start)) in projects.iter().enumerate() {
        text += &project_text(i, g, start, w.status);
    }
    text
}

/// `text` read, validated, scheduled and costed, which must hold no error (warnings, such as
/// money planned in a year that is over without an actual, are expected).
fn analysed(text: &str) -> Analysed {
    let plan = analysed_text(text);
    let errors: Vec<_> = plan.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the generated plan has errors: {errors:?}\n{text}"
    );
    plan
}

/// An anchor's date for a project working `start` to `finish`: `finish` is the day after.
fn anchor_day(kind: u8, offset: i64, start: NaiveDate, finish: NaiveDate) -> NaiveDate {
    match kind {
        0 => start,
        1 => finish + Duration::days(1),
        _ => plan_start() + Duration::days(offset),
    }
}

/// a day at a time: after the k-th of n working days, floor(amount × k / n) is spent; each
/// month gets what was spent by its end less what was spent before it. No working day: it all
/// falls in `first`'s month.
fn reference_spread(
    amount: i64,
    first: NaiveDate,
    last: NaiveDate,
    out: &mut BTreeMap<Month, i64>,
) {
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        if CALENDAR.is_working(day) {
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
/// rule: each project's actual for a kind where it recorded one (as generated), its plan
/// otherwise.
fn reference_forecast(finance: &Finance, projects: &[Generated], i: usize) -> (i64, i64) {
    let year = finance.years[i].0 - plan_start().year();
    let (mut costs, mut savings) = (0i64, 0i64);
    for (g, profile) in projects.iter().zip(&finance.projects) {
        let planned = profile.yearly.get(i).unwrap_or_default();
        let actual = |kind: u8| {
            g.actuals
                .iter()
                .find(|&&(k, y, _)| k == kind && y == year)
                .map(|&(_, _, amount)| amount)
        };
        costs += actual(0).unwrap_or(planned.capital.0) + actual(1).unwrap_or(planned.revenue.0);
        savings += actual(2).unwrap_or(planned.savings.0);
    }
    (costs, savings)
}

/// The benefits register against the profiles and the rule, for plan `plan` with its
/// finance `f`: each line's plan is its own declared total; a project's saving lines add up
/// to its profile's savings (plan and forecast) and its benefit lines to its benefits, year
/// by year; each line's forecast is its actual in a year that is over and its plan
/// otherwise; the status follows from its rows and the default thresholds.
fn assert_register_agrees(plan: &Analysed, projects: &[Generated]) -> Result<(), TestCaseError> {
    let (schedule, f) = (&plan.analysis.schedule, &plan.analysis.finance);
    let register = finance::register(&plan.portfolio, schedule, &plan.analysis.calendars, f);
    let label = |i: usize| finance::year_label(f.years[i], f.financial_year_start);
    for (((project, g), profile), t) in plan
        .portfolio
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
                plan.portfolio.appraisal_end,
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
        for &(_, year, amount) in g.actuals.iter().filter(|a| a.0 == 3) {
            let i = f
                .years
                .iter()
                .position(|y| y.0 == plan_start().year() + year);
            prop_assert!(i.is_some(), "no year 2020 + {} in {:?}", year, f.years);
            let year = label(i.unwrap_or_default());
            let shared: i64 = of(finance::LineKind::Benefit)
                .flat_map(|l| l.years.iter())
                .filter(|r| r.year == year)
                .map(|r| r.actual.map_or(0, |a| a.0))
                .sum();
            prop_assert_eq!(shared, amount);
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
        let w = Window::new(plan_months);
        let starts: Vec<i32> = projects.iter().map(|g| w.starts(g, 0).0).collect();
        let projects: Vec<Generated> = projects
            .iter()
            .zip(&starts)
            .map(|(g, &start)| sayable(g, &w, &[span(g, start)]))
            .collect();
        let text = plan_text(&w, &projects.iter().zip(starts.iter().copied()).collect::<Vec<_>>());
        let analysed = analysed(&text);
        let (plan, schedule, f, calendars) = (
            &analysed.portfolio,
            &analysed.analysis.schedule,
            &analysed.analysis.finance,
            &analysed.analysis.calendars,
        );
        prop_assert_eq!(schedule.projects.len(), projects.len());
        prop_assert_eq!(f.projects.len(), projects.len());
        assert_adds_up(&f.portfolio);
        for (((g, &start), p), t) in projects.iter().zip(&starts).zip(&f.projects).zip(&schedule.projects) {
            // The scheduler puts the work where the text meant it to be.
            prop_assert_eq!((t.start, t.finish), span(g, start), "{}", text);
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
        assert_register_agrees(&analysed, &projects)?;
        // What risk adds to a sampled plan's savings in a year that is over (issue 17): the
        // plan's savings plus the recorded difference are the forecast finance gives.
        let (years, whole) = finance::profile_portfolio(plan, schedule, calendars);
        prop_assert_eq!(&years, &f.years);
        for (i, year) in years.iter().enumerate() {
            let planned = whole.yearly.get(i).unwrap_or_default().savings.0;
            let delta = finance::recorded_savings_delta(plan, schedule, calendars, *year);
            prop_assert_eq!(
                planned + delta,
                f.portfolio.outturn(i).savings.forecast.0,
                "savings forecast in {:?}", year
            );
        }
        // Plan, actual, forecast (issue 17): every group adds up, and the portfolio's forecast
        // is the reference's; without actuals the forecast is the plan.
        for profile in f.projects.iter().chain([&f.portfolio]) {
            assert_outturn_adds_up(f, profile);
        }
        let any_actuals = projects.iter().any(|g| !g.actuals.is_empty());
        for i in 0..f.years.len() {
            let o = f.portfolio.outturn(i);
            prop_assert_eq!(
                (o.costs.forecast.0, o.savings.forecast.0),
                reference_forecast(f, &projects, i)
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
        let w = Window::new(plan_months);
        let (early_start, late_start) = w.starts(&g, shift);
        let spans = [span(&g, early_start), span(&g, late_start)];
        // The project twice in one plan, as generated and shifted, with the same lines (said
        // as both can say them): finance profiles each project on its own, and one plan is
        // read once, which the pipeline's cost per plan asks for.
        let g = sayable(&g, &w, &spans);
        let text = plan_text(&w, &[(&g, early_start), (&g, late_start)]);
        let plan = analysed(&text);
        prop_assert_eq!(plan.analysis.schedule.projects.len(), 2);
        prop_assert_eq!(plan.analysis.finance.projects.len(), 2);
        for (t, (start, finish)) in plan.analysis.schedule.projects.iter().zip(spans) {
            prop_assert_eq!((t.start, t.finish), (start, finish), "{}", text);
        }
        let f = &plan.analysis.finance;
        let early_months = by_month(f, &f.projects[0]);
        let late_months = by_month(f, &f.projects[1]);
        let months: BTreeSet<Month> =
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
