//! Timing one money line into calendar months, exactly, in integer pence.
//!
//! Input: an amount and when it falls (a span of working days, a recurrence, a date).
//! Output: `(Month, pence)` pairs in month order, zero months left out.
//! Invariant: the pairs of a line add up exactly to its total (the amount spread, or the
//! recurring line's accrual rounded down to a penny), because every month is the difference of a *cumulative* amount,
//! each cumulative amount rounded down: `month(m) = floor(C(end of m)) - floor(C(start of m))`.
//! The sum telescopes to `floor(C(end)) - floor(C(start)) = floor(C(end))`, so the remainder
//! pennies land in the months where the cumulative amount crosses a whole penny and none is
//! lost or invented. All products are taken in i128 so no intermediate can overflow.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::model::FinancialYear;

/// A calendar month, counted as `year * 12 + (month - 1)`; serialised as `"2021-04"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month(pub i32);

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12).unsigned_abs() + 1
    }

    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1)
    }

    pub fn last_day(self) -> Option<NaiveDate> {
        self.next().first_day().and_then(|d| d.pred_opt())
    }

    /// Days in the month (28 to 31).
    pub fn days(self) -> i64 {
        // By rule for the years any plan can hold (every line's month-times need it, and two
        // dates subtracted were a visible part of a profile); by dates beyond them.
        let year = self.year();
        if (1..=9999).contains(&year) {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return match self.month() {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
        }
        match (self.first_day(), self.next().first_day()) {
            (Some(a), Some(b)) => b.signed_duration_since(a).num_days(),
            _ => 30,
        }
    }

    /// The financial year the month falls in, for years starting in month `start` (1-12).
    pub fn financial_year(self, start: u32) -> FinancialYear {
        if self.month() >= start {
            FinancialYear(self.year())
        } else {
            FinancialYear(self.year() - 1)
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `amount` increased by `percent` (basis points), rounded to the nearest penny, halves up:
/// `amount + floor((amount * bp + 5000) / 10000)`.
pub(crate) fn uplift(amount: i64, basis_points: i64) -> i64 {
    let extra = (i128::from(amount) * i128::from(basis_points) + 5_000).div_euclid(10_000);
    saturate(i128::from(amount) + extra)
}

/// Spreads `amount` evenly over the working days of `calendar` from `start` to `finish`
/// (inclusive): after `k` of the `n` working days, `floor(amount * k / n)` has been spent.
/// With no working day in the span (a zero-length project) it all falls in `start`'s month.
#[cfg(test)]
pub(crate) fn spread(
    amount: i64,
    start: NaiveDate,
    finish: NaiveDate,
    calendar: &WorkCalendar,
) -> Vec<(Month, i64)> {
    let mut out = Vec::new();
    spread_each(amount, start, finish, calendar, &mut |month, amount| {
        out.push((month, amount))
    });
    out
}

/// The months [`spread_each`] can put money in (a superset of those it does): from `start`'s
/// month to `finish`'s.
pub(crate) fn spread_months(start: NaiveDate, finish: NaiveDate) -> (Month, Month) {
    let first = Month::of(start);
    (first, first.max(Month::of(finish)))
}

/// `spread`'s months (the test oracle above) in order, handed to `put` (zero months left out)
/// rather than collected: a portfolio profile spreads every project's capital, and a vector each
/// was most of its allocations.
pub(crate) fn spread_each(
    amount: i64,
    start: NaiveDate,
    finish: NaiveDate,
    calendar: &WorkCalendar,
    put: &mut (impl FnMut(Month, i64) + ?Sized),
) {
    let n = calendar.working_days_between(start, finish);
    if n <= 0 || amount == 0 {
        if amount != 0 {
            put(Month::of(start), amount);
        }
        return;
    }
    let total = i128::from(amount);
    let n = i128::from(n);
    let mut spent_before: i128 = 0;
    let mut month = Month::of(start);
    let last = Month::of(finish);
    while month <= last {
        let month_end = month.last_day().unwrap_or(finish).min(finish);
        let k = i128::from(calendar.working_days_between(start, month_end));
        let spent = div_floor(total * k, n);
        let amount = saturate(spent - spent_before);
        if amount != 0 {
            put(month, amount);
        }
        spent_before = spent;
        month = month.next();
    }
}

/// `a.div_euclid(b)` for `b > 0`, in i64 when both fit (the usual case: a 128-bit division is
/// a library call several times slower, and profiles divide once per line and month).
fn div_floor(a: i128, b: i128) -> i128 {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) if b > 0 => i128::from(a.div_euclid(b)),
        _ => a.div_euclid(b),
    }
}

/// A point in calendar time measured in months: `month + (day - 1) / days_in_month`, held
/// exactly as a fraction. Every day is an equal share of its own month, so a full month is
/// always 1 whatever its length, and part months count by days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthTime {
    num: i128,
    den: i128,
}

impl MonthTime {
    pub(crate) fn of(date: NaiveDate) -> MonthTime {
        let month = Month::of(date);
        let days = i128::from(month.days());
        MonthTime {
            num: i128::from(month.0) * days + i128::from(date.day0()),
            den: days,
        }
    }

    fn start_of(month: Month) -> MonthTime {
        MonthTime {
            num: i128::from(month.0),
            den: 1,
        }
    }

    pub(crate) fn plus_months(self, months: u32) -> MonthTime {
        MonthTime {
            num: self.num + i128::from(months) * self.den,
            den: self.den,
        }
    }

    /// `self - other`, as a fraction (numerator, positive denominator).
    fn minus(self, other: MonthTime) -> (i128, i128) {
        (
            self.num * other.den - other.num * self.den,
            self.den * other.den,
        )
    }

    fn less_than(self, other: MonthTime) -> bool {
        self.num * other.den < other.num * self.den
    }

    /// The earlier of two month-times.
    pub(crate) fn min(self, other: MonthTime) -> MonthTime {
        if other.less_than(self) { other } else { self }
    }
}

/// A recurring line: `per_year` from `from`, rising linearly from nothing over `ramp_months`,
/// until `until` (exclusive).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recurring {
    pub per_year: i64,
    pub ramp_months: u32,
    pub from: MonthTime,
    pub until: MonthTime,
}

impl Recurring {
    /// The amount accrued from `from` to `from + x` months (`x = x_num / x_den`, clamped to the
    /// line's length), rounded down to a penny. With rate `P` a year and ramp `R` months:
    /// without a ramp `C(x) = P x / 12`; during a ramp the rate is `P x / R`, so
    /// `C(x) = P x² / (24 R)`; after it `C(x) = P (x - R/2) / 12`.
    fn cumulative(&self, x_num: i128, x_den: i128) -> i128 {
        let (end_num, end_den) = self.until.minus(self.from);
        let (mut x_num, mut x_den) = (x_num.max(0), x_den);
        if x_num * end_den > end_num * x_den {
            (x_num, x_den) = (end_num.max(0), end_den);
        }
        let p = i128::from(self.per_year);
        let r = i128::from(self.ramp_months);
        if r == 0 {
            return div_floor(p * x_num, 12 * x_den);
        }
        if x_num <= r * x_den {
            div_floor(p * x_num * x_num, 24 * r * x_den * x_den)
        } else {
            div_floor(p * (2 * x_num - r * x_den), 24 * x_den)
        }
    }

    /// The whole amount the line accrues, rounded down to a penny.
    #[cfg(test)]
    pub(crate) fn total(&self) -> i64 {
        let (end_num, end_den) = self.until.minus(self.from);
        saturate(self.cumulative(end_num, end_den))
    }

    /// The line's amounts by month.
    #[cfg(test)]
    pub(crate) fn by_month(&self) -> Vec<(Month, i64)> {
        let mut out = Vec::new();
        self.each_month(&mut |month, amount| out.push((month, amount)));
        out
    }

    /// The months [`Recurring::each_month`] can put money in (a superset of those it does),
    /// `None` when it puts none.
    pub(crate) fn months(&self) -> Option<(Month, Month)> {
        if !self.from.less_than(self.until) || self.per_year == 0 {
            return None;
        }
        let first = self.first_month();
        // The last month that starts before `until`: ceil(until) - 1.
        let until_ceil = -(-self.until.num).div_euclid(self.until.den);
        let last = Month(i32::try_from(until_ceil - 1).unwrap_or(i32::MAX));
        Some((first, first.max(last)))
    }

    /// The month containing `from`: the whole part of the month-time.
    fn first_month(&self) -> Month {
        Month(i32::try_from(self.from.num.div_euclid(self.from.den)).unwrap_or(0))
    }

    /// The line's amounts by month, in order, handed to `put` (zero months left out).
    pub(crate) fn each_month(&self, put: &mut (impl FnMut(Month, i64) + ?Sized)) {
        if !self.from.less_than(self.until) || self.per_year == 0 {
            return;
        }
        let mut month = self.first_month();
        let mut before: i128 = 0;
        while MonthTime::start_of(month).less_than(self.until) {
            let (x_num, x_den) = MonthTime::start_of(month.next()).minus(self.from);
            let accrued = self.cumulative(x_num, x_den);
            let amount = saturate(accrued - before);
            if amount != 0 {
                put(month, amount);
            }
            before = accrued;
            month = month.next();
        }
    }
}

/// Amounts are bounded by the model (at most £1 trillion a line, 301 years of calendar), so
/// this only guards against a bug turning into a wrapped sign.
pub(crate) fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;
    use crate::calendar::ymd as d;
    use crate::model::{CalendarDef, CalendarId};

    fn england() -> WorkCalendar {
        let defs = vec![CalendarDef::plain("england-and-wales", true)];
        WorkCalendar::build(&defs, CalendarId::ENGLAND_AND_WALES)
    }

    #[test]
    fn months_and_financial_years() {
        let march = Month::of(d(2021, 3, 31));
        assert_eq!(march.to_string(), "2021-03");
        assert_eq!(march.days(), 31);
        assert_eq!(march.financial_year(4), FinancialYear(2020));
        assert_eq!(march.next().financial_year(4), FinancialYear(2021));
        assert_eq!(Month::of(d(2024, 2, 10)).days(), 29);
        assert_eq!(march.financial_year(1), FinancialYear(2021));
    }

    #[test]
    fn capital_spread_across_a_year_end_and_easter() {
        // £1,000 over Mon 2021-03-29 .. Fri 2021-04-09 on england-and-wales.
        // Working days: Mar 29, 30, 31, Apr 1 (4 in March/April-1), Good Friday Apr 2 and
        // Easter Monday Apr 5 are off, then Apr 6, 7, 8, 9: n = 3 + 1 + 4 = 8.
        // March: k = 3, floor(100000 * 3 / 8) = 37500 pence. April: the rest, 62500.
        let months = spread(100_000, d(2021, 3, 29), d(2021, 4, 9), &england());
        assert_eq!(
            months,
            vec![
                (Month::of(d(2021, 3, 1)), 37_500),
                (Month::of(d(2021, 4, 1)), 62_500)
            ]
        );
        // An amount that does not divide: 1000 pence over the same 8 days:
        // March floor(1000*3/8) = 375; April 1000 - 375 = 625.
        let months = spread(1_000, d(2021, 3, 29), d(2021, 4, 9), &england());
        assert_eq!(months.iter().map(|(_, a)| a).sum::<i64>(), 1_000);
        assert_eq!(months.first().map(|(_, a)| *a), Some(375));
    }

    #[test]
    fn ramped_saving_starting_mid_month() {
        // £120,000 a year = 1,000,000 pence a month, from 2021-06-16 with a 2-month ramp.
        // June has 30 days, so 16 June is month-time June + 15/30 = June + 0.5.
        // C(x) = P x² / (24 R) = 12,000,000 x² / 48 = 250,000 x² while x <= 2,
        // C(x) = P (x - 1) / 12 = 1,000,000 (x - 1) after.
        // End of June x = 0.5: 62,500. End of July x = 1.5: 562,500, so July = 500,000.
        // End of August x = 2.5: 1,500,000, so August = 937,500. September: full 1,000,000.
        let line = Recurring {
            per_year: 12_000_000,
            ramp_months: 2,
            from: MonthTime::of(d(2021, 6, 16)),
            until: MonthTime::of(d(2021, 10, 1)),
        };
        assert_eq!(
            line.by_month(),
            vec![
                (Month::of(d(2021, 6, 1)), 62_500),
                (Month::of(d(2021, 7, 1)), 500_000),
                (Month::of(d(2021, 8, 1)), 937_500),
                (Month::of(d(2021, 9, 1)), 1_000_000),
            ]
        );
        assert_eq!(line.total(), 2_500_000);
    }

    #[test]
    fn recurring_cost_with_an_end() {
        // £12,000 a year (100,000 pence a month) from 2021-01-11 for 3 months.
        // January has 31 days: 11 Jan is month-time Jan + 10/31; the end is Apr + 10/31.
        // January accrues 21/31 of a month: floor(100,000 * 21 / 31) = 67,741.
        // Feb and March full: cumulative 267,741. April: 10/31 of a month, total exactly
        // 3 months = 300,000, so April = 32,259.
        let from = MonthTime::of(d(2021, 1, 11));
        let line = Recurring {
            per_year: 1_200_000,
            ramp_months: 0,
            from,
            until: from.plus_months(3),
        };
        assert_eq!(
            line.by_month(),
            vec![
                (Month::of(d(2021, 1, 1)), 67_741),
                (Month::of(d(2021, 2, 1)), 100_000),
                (Month::of(d(2021, 3, 1)), 100_000),
                (Month::of(d(2021, 4, 1)), 32_259),
            ]
        );
        assert_eq!(line.total(), 300_000);
    }

    #[test]
    fn optimism_bias_rounds_half_up() {
        // 24% of £1.8m = £432,000: 180,000,000 * 2400 / 10000 = 43,200,000.
        assert_eq!(uplift(180_000_000, 2_400), 223_200_000);
        // 1.5% of 1 penny is 0.015p: rounds to 0. 50% of 1p = 0.5p: rounds up to 1.
        assert_eq!(uplift(1, 150), 1);
        assert_eq!(uplift(1, 5_000), 2);
    }

    /// The months a line can put money in hold every month it does, and no more than the
    /// months from its start to its end.
    #[test]
    fn line_months_bound_the_money() {
        let from = MonthTime::of(d(2021, 6, 16));
        let line = Recurring {
            per_year: 12_000_000,
            ramp_months: 2,
            from,
            until: MonthTime::of(d(2021, 10, 1)),
        };
        // `until` is the start of October: nothing accrues in it.
        assert_eq!(
            line.months(),
            Some((Month::of(d(2021, 6, 1)), Month::of(d(2021, 9, 1))))
        );
        let ended = Recurring {
            until: from.plus_months(3),
            ..line
        };
        assert_eq!(
            ended.months(),
            Some((Month::of(d(2021, 6, 1)), Month::of(d(2021, 9, 1))))
        );
        let nothing = Recurring {
            per_year: 0,
            ..line
        };
        assert_eq!(nothing.months(), None);
        assert_eq!(
            spread_months(d(2021, 3, 29), d(2021, 4, 9)),
            (Month::of(d(2021, 3, 1)), Month::of(d(2021, 4, 1)))
        );
        // A spread with no working day puts it all in the start's month.
        let mut put = Vec::new();
        spread_each(
            500,
            d(2021, 4, 3),
            d(2021, 4, 4),
            &england(),
            &mut |m, a| put.push((m, a)),
        );
        assert_eq!(put, vec![(Month::of(d(2021, 4, 1)), 500)]);
    }

    /// Days in a month by rule agree with the calendar's dates.
    #[test]
    fn days_in_a_month_by_rule() {
        for m in Month::of(d(1896, 1, 1)).0..=Month::of(d(2404, 12, 1)).0 {
            let month = Month(m);
            let by_dates = match (month.first_day(), month.next().first_day()) {
                (Some(a), Some(b)) => b.signed_duration_since(a).num_days(),
                _ => 30,
            };
            assert_eq!(month.days(), by_dates, "{month}");
        }
    }
}
