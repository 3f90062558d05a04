//! Working-day calendars: weekends, England and Wales bank holidays, user closures, and fast
//! conversion between dates and working-day indices.
//!
//! Input: the portfolio's [`CalendarDef`]s (built-ins and user calendars). Output: one
//! [`WorkCalendar`] per definition, answering "is this day worked?", "why not?" and
//! "which working day is this?" in O(1) for any date from [`FIRST_DATE`] to [`LAST_DATE`].
//!
//! Invariant: working days are numbered 0, 1, 2, … in date order from [`FIRST_DATE`];
//! `date(index_on_or_after(d))` is the first working day on or after `d` whenever one exists.
//!
//! Bank holidays: a dated table copied from GOV.UK's published list for 2015-2027 (contains
//! public sector information licensed under the Open Government Licence v3.0,
//! <https://www.gov.uk/bank-holidays>), including the one-off holidays and substitute days. For
//! every other year they are derived from the rules (New Year's Day, Good Friday, Easter Monday,
//! the first Monday of May, the last Mondays of May and August, Christmas Day and Boxing Day,
//! each with a substitute weekday when it falls at a weekend); those years are *projected*
//! ([`bank_holidays_are_projected`]): a one-off holiday announced later is not in them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::model::{CalendarDef, CalendarId};

/// Earliest date any calendar covers; dates before it are refused by the model/schedule.
pub const FIRST_DATE: NaiveDate = ymd(1900, 1, 1);
/// Latest date any calendar covers; dates after it are refused by the model/schedule.
pub const LAST_DATE: NaiveDate = ymd(2200, 12, 31);

/// The years covered by the dated GOV.UK table; other years are derived from rules.
pub const TABLE_YEARS: std::ops::RangeInclusive<i32> = 2015..=2027;

/// The seven days of a week from Sunday: MS Project numbers its week days 1 (Sunday) to 7 in
/// this order, and the MSPDI import and export both read and write that numbering from here.
pub const WEEK_FROM_SUNDAY: [Weekday; 7] = [
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
];

/// A working-day calendar over FIRST_DATE..=LAST_DATE, built once, cheap to query (O(1)).
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    /// `closed[d]` for day number `d` (days since FIRST_DATE): 0 when worked, 1 for a
    /// weekend, otherwise 2 + an index into `reasons`.
    closed: Vec<u32>,
    /// `before[d]`: the number of working days strictly before day `d`; one longer than
    /// `closed`, so `before[n_days]` is the number of working days in the whole range.
    before: Vec<i32>,
    /// The date of each working day, by index.
    working: Vec<NaiveDate>,
    /// Reasons for closures other than weekends, interned (bank holiday names, user reasons).
    reasons: Vec<String>,
}

impl WorkCalendar {
    /// Builds calendar `id` of `defs` (follows `based_on` chains: weekend inherited unless set,
    /// closures accumulated, bank holidays if any ancestor is england-and-wales).
    ///
    /// Panics if `id` is not an index into `defs`: the model guarantees every `CalendarId` is.
    pub fn build(defs: &[CalendarDef], id: CalendarId) -> WorkCalendar {
        // The chain from `id` up to its root, most specific first. The validator refuses
        // cycles in `based-on`; the visited check only keeps a bug from looping forever.
        let mut chain: Vec<&CalendarDef> = Vec::new();
        let mut seen = vec![false; defs.len()];
        let mut next = Some(id);
        while let Some(current) = next {
            let index = current.0 as usize;
            let def = defs.get(index).unwrap_or_else(|| {
                panic!(
                    "calendar id {} is not an index into the portfolio's calendars",
                    current.0
                )
            });
            if seen.get(index).copied().unwrap_or(true) {
                break;
            }
            if let Some(slot) = seen.get_mut(index) {
                *slot = true;
            }
            chain.push(def);
            next = def.based_on;
        }

        let weekend: Vec<Weekday> = chain
            .iter()
            .find_map(|def| def.weekend.clone())
            .unwrap_or_else(|| vec![Weekday::Sat, Weekday::Sun]);
        let bank_holidays = chain.iter().any(|def| def.bank_holidays);

        let n_days = day_number(LAST_DATE) + 1;
        let mut closed = vec![0u32; n_days];
        let mut reasons: Vec<String> = Vec::new();
        let intern = |reasons: &mut Vec<String>, reason: &str| -> u32 {
            let position = match reasons.iter().position(|r| r == reason) {
                Some(p) => p,
                None => {
                    reasons.push(reason.to_owned());
                    reasons.len() - 1
                }
            };
            u32::try_from(position).unwrap_or(u32::MAX - 2) + 2
        };

        // Weekends first, then bank holidays, then closures from the root calendar down, so
        // the most specific reason is the one shown.
        let mut weekday = FIRST_DATE.weekday();
        for slot in closed.iter_mut() {
            if weekend.contains(&weekday) {
                *slot = 1;
            }
            weekday = weekday.succ();
        }
        if bank_holidays {
            for year in FIRST_DATE.year()..=LAST_DATE.year() {
                for (date, name) in england_and_wales_bank_holidays(year) {
                    let code = intern(&mut reasons, name);
                    if let Some(slot) = closed.get_mut(day_number(date)) {
                        *slot = code;
                    }
                }
            }
        }
        for def in chain.iter().rev() {
            for closure in &def.closed {
                // A closure wholly outside the range closes nothing (clamping it would close
                // the range's first or last day).
                if closure.to < FIRST_DATE || closure.from > LAST_DATE {
                    continue;
                }
                let code = intern(&mut reasons, closure.reason.as_deref().unwrap_or("closed"));
                let from = day_number(closure.from.max(FIRST_DATE));
                let to = day_number(closure.to.min(LAST_DATE));
                for slot in closed.iter_mut().take(to + 1).skip(from) {
                    *slot = code;
                }
            }
        }

        let mut before = Vec::with_capacity(n_days + 1);
        let mut working = Vec::new();
        let mut count: i32 = 0;
        let mut date = FIRST_DATE;
        for &code in &closed {
            before.push(count);
            if code == 0 {
                working.push(date);
                count += 1;
            }
            date = date.succ_opt().unwrap_or(date);
        }
        before.push(count);

        WorkCalendar {
            closed,
            before,
            working,
            reasons,
        }
    }

    pub fn is_working(&self, date: NaiveDate) -> bool {
        self.closed_code(date) == Some(0)
    }

    /// Index of the first working day on or after `date` (working days numbered 0, 1, 2, … from
    /// FIRST_DATE). Dates outside the range clamp to the first/last index.
    pub fn index_on_or_after(&self, date: NaiveDate) -> i32 {
        let index = self.before_day(date);
        index.min(self.last_index())
    }

    /// Index of the last working day on or before `date`. Dates outside the range clamp to the
    /// first/last index (and a date before the first working day gives index 0).
    pub fn index_on_or_before(&self, date: NaiveDate) -> i32 {
        let index = match date.succ_opt() {
            Some(next) => self.before_day(next) - 1,
            None => self.last_index(),
        };
        index.clamp(0, self.last_index())
    }

    /// The date of working day `index`, `None` outside the range.
    pub fn date(&self, index: i32) -> Option<NaiveDate> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.working.get(i).copied())
    }

    /// Number of working days from `from` to `to`, both inclusive (0 if `to < from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i32 {
        if to < from {
            return 0;
        }
        let after_to = match to.succ_opt() {
            Some(next) => self.before_day(next),
            None => self.n_working_days(),
        };
        (after_to - self.before_day(from)).max(0)
    }

    /// The reason a date is not worked ("weekend", "Good Friday", a closure's reason), None if
    /// worked. Dates outside the calendar's range are "outside the calendar".
    pub fn why_closed(&self, date: NaiveDate) -> Option<&str> {
        match self.closed_code(date) {
            Some(0) => None,
            Some(1) => Some("weekend"),
            Some(code) => Some(
                self.reasons
                    .get(code as usize - 2)
                    .map(String::as_str)
                    .unwrap_or("closed"),
            ),
            None => Some("outside the calendar"),
        }
    }

    /// The number of working days from FIRST_DATE to LAST_DATE. Zero only for a calendar whose
    /// weekend is every day; then every index is 0 and `date` always returns `None`.
    pub fn n_working_days(&self) -> i32 {
        self.before.last().copied().unwrap_or(0)
    }

    fn last_index(&self) -> i32 {
        (self.n_working_days() - 1).max(0)
    }

    fn closed_code(&self, date: NaiveDate) -> Option<u32> {
        if date < FIRST_DATE || date > LAST_DATE {
            return None;
        }
        self.closed.get(day_number(date)).copied()
    }

    /// Working days strictly before `date`, with dates outside the range clamped.
    fn before_day(&self, date: NaiveDate) -> i32 {
        if date < FIRST_DATE {
            return 0;
        }
        if date > LAST_DATE {
            return self.n_working_days();
        }
        self.before.get(day_number(date)).copied().unwrap_or(0)
    }
}

/// England and Wales bank holidays in `year`, with their names, in date order.
pub fn england_and_wales_bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if TABLE_YEARS.contains(&year) {
        GOV_UK_TABLE
            .iter()
            .filter(|(y, _, _, _)| *y == year)
            .filter_map(|&(y, m, d, name)| {
                NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, name))
            })
            .collect()
    } else {
        bank_holidays_by_rule(year)
    }
}

/// Whether `year`'s bank holidays are derived from the rules rather than GOV.UK's published
/// list (so a one-off holiday would be missing from them).
pub fn bank_holidays_are_projected(year: i32) -> bool {
    !TABLE_YEARS.contains(&year)
}

/// Builds every calendar of a portfolio, indexed by CalendarId.
pub fn build_all(defs: &[CalendarDef]) -> Vec<WorkCalendar> {
    (0..defs.len())
        .map(|i| WorkCalendar::build(defs, CalendarId(u32::try_from(i).unwrap_or(u32::MAX))))
        .collect()
}

/// England and Wales bank holidays from GOV.UK (<https://www.gov.uk/bank-holidays>), Open
/// Government Licence v3.0: (year, month, day, name).
// One holiday a line, as GOV.UK lists them: the table reads and diffs as data.
#[rustfmt::skip]
const GOV_UK_TABLE: &[(i32, u32, u32, &str)] = &[
    (2015, 1, 1, "New Year's Day"),
    (2015, 4, 3, "Good Friday"),
    (2015, 4, 6, "Easter Monday"),
    (2015, 5, 4, "Early May bank holiday"),
    (2015, 5, 25, "Spring bank holiday"),
    (2015, 8, 31, "Summer bank holiday"),
    (2015, 12, 25, "Christmas Day"),
    (2015, 12, 28, "Boxing Day (substitute day)"),
    (2016, 1, 1, "New Year's Day"),
    (2016, 3, 25, "Good Friday"),
    (2016, 3, 28, "Easter Monday"),
    (2016, 5, 2, "Early May bank holiday"),
    (2016, 5, 30, "Spring bank holiday"),
    (2016, 8, 29, "Summer bank holiday"),
    (2016, 12, 26, "Boxing Day"),
    (2016, 12, 27, "Christmas Day (substitute day)"),
    (2017, 1, 2, "New Year's Day (substitute day)"),
    (2017, 4, 14, "Good Friday"),
    (2017, 4, 17, "Easter Monday"),
    (2017, 5, 1, "Early May bank holiday"),
    (2017, 5, 29, "Spring bank holiday"),
    (2017, 8, 28, "Summer bank holiday"),
    (2017, 12, 25, "Christmas Day"),
    (2017, 12, 26, "Boxing Day"),
    (2018, 1, 1, "New Year's Day"),
    (2018, 3, 30, "Good Friday"),
    (2018, 4, 2, "Easter Monday"),
    (2018, 5, 7, "Early May bank holiday"),
    (2018, 5, 28, "Spring bank holiday"),
    (2018, 8, 27, "Summer bank holiday"),
    (2018, 12, 25, "Christmas Day"),
    (2018, 12, 26, "Boxing Day"),
    (2019, 1, 1, "New Year's Day"),
    (2019, 4, 19, "Good Friday"),
    (2019, 4, 22, "Easter Monday"),
    (2019, 5, 6, "Early May bank holiday"),
    (2019, 5, 27, "Spring bank holiday"),
    (2019, 8, 26, "Summer bank holiday"),
    (2019, 12, 25, "Christmas Day"),
    (2019, 12, 26, "Boxing Day"),
    (2020, 1, 1, "New Year's Day"),
    (2020, 4, 10, "Good Friday"),
    (2020, 4, 13, "Easter Monday"),
    (2020, 5, 8, "Early May bank holiday (VE day)"),
    (2020, 5, 25, "Spring bank holiday"),
    (2020, 8, 31, "Summer bank holiday"),
    (2020, 12, 25, "Christmas Day"),
    (2020, 12, 28, "Boxing Day (substitute day)"),
    (2021, 1, 1, "New Year's Day"),
    (2021, 4, 2, "Good Friday"),
    (2021, 4, 5, "Easter Monday"),
    (2021, 5, 3, "Early May bank holiday"),
    (2021, 5, 31, "Spring bank holiday"),
    (2021, 8, 30, "Summer bank holiday"),
    (2021, 12, 27, "Christmas Day (substitute day)"),
    (2021, 12, 28, "Boxing Day (substitute day)"),
    (2022, 1, 3, "New Year's Day (substitute day)"),
    (2022, 4, 15, "Good Friday"),
    (2022, 4, 18, "Easter Monday"),
    (2022, 5, 2, "Early May bank holiday"),
    (2022, 6, 2, "Spring bank holiday"),
    (2022, 6, 3, "Platinum Jubilee bank holiday"),
    (2022, 8, 29, "Summer bank holiday"),
    (2022, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    (2022, 12, 26, "Boxing Day"),
    (2022, 12, 27, "Christmas Day (substitute day)"),
    (2023, 1, 2, "New Year's Day (substitute day)"),
    (2023, 4, 7, "Good Friday"),
    (2023, 4, 10, "Easter Monday"),
    (2023, 5, 1, "Early May bank holiday"),
    (2023, 5, 8, "Bank holiday for the coronation of King Charles III"),
    (2023, 5, 29, "Spring bank holiday"),
    (2023, 8, 28, "Summer bank holiday"),
    (2023, 12, 25, "Christmas Day"),
    (2023, 12, 26, "Boxing Day"),
    (2024, 1, 1, "New Year's Day"),
    (2024, 3, 29, "Good Friday"),
    (2024, 4, 1, "Easter Monday"),
    (2024, 5, 6, "Early May bank holiday"),
    (2024, 5, 27, "Spring bank holiday"),
    (2024, 8, 26, "Summer bank holiday"),
    (2024, 12, 25, "Christmas Day"),
    (2024, 12, 26, "Boxing Day"),
    (2025, 1, 1, "New Year's Day"),
    (2025, 4, 18, "Good Friday"),
    (2025, 4, 21, "Easter Monday"),
    (2025, 5, 5, "Early May bank holiday"),
    (2025, 5, 26, "Spring bank holiday"),
    (2025, 8, 25, "Summer bank holiday"),
    (2025, 12, 25, "Christmas Day"),
    (2025, 12, 26, "Boxing Day"),
    (2026, 1, 1, "New Year's Day"),
    (2026, 4, 3, "Good Friday"),
    (2026, 4, 6, "Easter Monday"),
    (2026, 5, 4, "Early May bank holiday"),
    (2026, 5, 25, "Spring bank holiday"),
    (2026, 8, 31, "Summer bank holiday"),
    (2026, 12, 25, "Christmas Day"),
    (2026, 12, 28, "Boxing Day (substitute day)"),
    (2027, 1, 1, "New Year's Day"),
    (2027, 3, 26, "Good Friday"),
    (2027, 3, 29, "Easter Monday"),
    (2027, 5, 3, "Early May bank holiday"),
    (2027, 5, 31, "Spring bank holiday"),
    (2027, 8, 30, "Summer bank holiday"),
    (2027, 12, 27, "Christmas Day (substitute day)"),
    (2027, 12, 28, "Boxing Day (substitute day)"),
];

/// A date written as constants, known to be real: the calendar's tables, and the fixed dates
/// of unit tests (which import it as their `d`). Panics on one that is not a real date.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("date constants must be real dates"),
    }
}

/// Days since FIRST_DATE; callers pass dates within FIRST_DATE..=LAST_DATE (others give 0 or
/// a number past the end, which the `get`s of the callers treat as absent).
fn day_number(date: NaiveDate) -> usize {
    usize::try_from(date.signed_duration_since(FIRST_DATE).num_days()).unwrap_or(0)
}

/// Bank holidays from the rules alone (no one-offs), in date order.
pub(crate) fn bank_holidays_by_rule(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut days: Vec<(NaiveDate, &'static str)> = Vec::with_capacity(8);
    let Some(new_year) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return days;
    };
    match new_year.weekday() {
        Weekday::Sat => days.push((
            new_year + Duration::days(2),
            "New Year's Day (substitute day)",
        )),
        Weekday::Sun => days.push((
            new_year + Duration::days(1),
            "New Year's Day (substitute day)",
        )),
        _ => days.push((new_year, "New Year's Day")),
    }
    if let Some(easter) = easter_sunday(year) {
        days.push((easter - Duration::days(2), "Good Friday"));
        days.push((easter + Duration::days(1), "Easter Monday"));
    }
    if let Some(day) = nth_monday(year, 5, 1) {
        days.push((day, "Early May bank holiday"));
    }
    if let Some(day) = last_monday(year, 5) {
        days.push((day, "Spring bank holiday"));
    }
    if let Some(day) = last_monday(year, 8) {
        days.push((day, "Summer bank holiday"));
    }
    if let Some(christmas) = NaiveDate::from_ymd_opt(year, 12, 25) {
        let (c, b) = match christmas.weekday() {
            // Saturday and Sunday both move: to Monday 27 and Tuesday 28.
            Weekday::Sat => (
                (
                    christmas + Duration::days(2),
                    "Christmas Day (substitute day)",
                ),
                (christmas + Duration::days(3), "Boxing Day (substitute day)"),
            ),
            // Christmas on a Sunday: Boxing Day is Monday 26, Christmas moves to Tuesday 27.
            Weekday::Sun => (
                (
                    christmas + Duration::days(2),
                    "Christmas Day (substitute day)",
                ),
                (christmas + Duration::days(1), "Boxing Day"),
            ),
            // Boxing Day on a Saturday moves to Monday 28.
            Weekday::Fri => (
                (christmas, "Christmas Day"),
                (christmas + Duration::days(3), "Boxing Day (substitute day)"),
            ),
            _ => (
                (christmas, "Christmas Day"),
                (christmas + Duration::days(1), "Boxing Day"),
            ),
        };
        days.push(c);
        days.push(b);
    }
    days.sort();
    days
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus, "Meeus/Jones/
/// Butcher").
pub(crate) fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

fn nth_monday(year: i32, month: u32, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, u8::try_from(n).ok()?)
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let last_day = NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()?;
    let back = last_day.weekday().num_days_from_monday();
    Some(last_day - Duration::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::ymd as d;
    use super::*;
    use crate::diagnostic::Span;
    use crate::model::Closure;

    fn builtins() -> Vec<CalendarDef> {
        vec![
            CalendarDef::plain("england-and-wales", true),
            CalendarDef::plain("weekdays", false),
        ]
    }

    /// The one-off holidays of the table (which the rules cannot know), and the rule days they
    /// replaced.
    const ONE_OFFS: &[NaiveDate] = &[
        ymd(2020, 5, 8),
        ymd(2022, 6, 2),
        ymd(2022, 6, 3),
        ymd(2022, 9, 19),
        ymd(2023, 5, 8),
    ];
    const REPLACED_BY_ONE_OFFS: &[NaiveDate] = &[ymd(2020, 5, 4), ymd(2022, 5, 30)];

    #[test]
    fn table_and_rules_agree_except_the_one_offs() {
        for year in TABLE_YEARS {
            let table: Vec<_> = england_and_wales_bank_holidays(year)
                .into_iter()
                .filter(|(date, _)| !ONE_OFFS.contains(date))
                .collect();
            let rules: Vec<_> = bank_holidays_by_rule(year)
                .into_iter()
                .filter(|(date, _)| !REPLACED_BY_ONE_OFFS.contains(date))
                .collect();
            // 2020's early May holiday is named for VE day in the table but is the rule's holiday
            // moved; compare dates and names for everything else.
            assert_eq!(table, rules, "bank holidays of {year}");
        }
    }

    #[test]
    fn the_table_is_sorted_and_every_holiday_is_a_weekday() {
        let mut previous = None;
        for &(y, m, day, name) in GOV_UK_TABLE {
            let date = NaiveDate::from_ymd_opt(y, m, day);
            assert!(date.is_some(), "{y}-{m}-{day} {name}");
            assert!(date > previous, "table out of order at {y}-{m}-{day}");
            if let Some(date) = date {
                assert!(date.weekday().num_days_from_monday() < 5, "{date} {name}");
            }
            previous = date;
        }
        for year in TABLE_YEARS {
            let n = england_and_wales_bank_holidays(year).len();
            let expected = match year {
                2022 => 10,
                2023 => 9,
                _ => 8,
            };
            assert_eq!(n, expected, "{year}");
        }
    }

    #[test]
    fn easter_hand_checked() {
        assert_eq!(easter_sunday(2020), Some(d(2020, 4, 12)));
        assert_eq!(easter_sunday(2021), Some(d(2021, 4, 4)));
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
        assert_eq!(easter_sunday(2008), Some(d(2008, 3, 23)));
        let calendar = WorkCalendar::build(&builtins(), CalendarId::ENGLAND_AND_WALES);
        assert_eq!(calendar.why_closed(d(2024, 3, 29)), Some("Good Friday"));
        assert_eq!(calendar.why_closed(d(2024, 4, 1)), Some("Easter Monday"));
        assert_eq!(calendar.why_closed(d(2021, 4, 2)), Some("Good Friday"));
    }

    #[test]
    fn christmas_2020_boxing_day_moves_to_monday() {
        let calendar = WorkCalendar::build(&builtins(), CalendarId::ENGLAND_AND_WALES);
        assert_eq!(calendar.why_closed(d(2020, 12, 25)), Some("Christmas Day"));
        assert_eq!(calendar.why_closed(d(2020, 12, 26)), Some("weekend"));
        assert_eq!(
            calendar.why_closed(d(2020, 12, 28)),
            Some("Boxing Day (substitute day)")
        );
        assert!(calendar.is_working(d(2020, 12, 29)));
        // Projected years use the same rule: 2037's Christmas is also a Friday.
        let days = england_and_wales_bank_holidays(2037);
        assert!(days.contains(&(d(2037, 12, 28), "Boxing Day (substitute day)")));
        assert!(bank_holidays_are_projected(2037));
        assert!(!bank_holidays_are_projected(2020));
    }

    #[test]
    fn the_2022_jubilee_moves_the_spring_holiday() {
        let calendar = WorkCalendar::build(&builtins(), CalendarId::ENGLAND_AND_WALES);
        assert!(calendar.is_working(d(2022, 5, 30)));
        assert_eq!(
            calendar.why_closed(d(2022, 6, 2)),
            Some("Spring bank holiday")
        );
        assert_eq!(
            calendar.why_closed(d(2022, 6, 3)),
            Some("Platinum Jubilee bank holiday")
        );
        // Wednesday 1 June 2022 to Tuesday 7 June: Wed, Mon, Tue are worked.
        assert_eq!(
            calendar.working_days_between(d(2022, 6, 1), d(2022, 6, 7)),
            3
        );
        let weekdays = WorkCalendar::build(&builtins(), CalendarId::WEEKDAYS);
        assert_eq!(
            weekdays.working_days_between(d(2022, 6, 1), d(2022, 6, 7)),
            5
        );
        assert_eq!(weekdays.why_closed(d(2022, 6, 2)), None);
    }

    #[test]
    fn indices_and_dates_round_trip() {
        let calendar = WorkCalendar::build(&builtins(), CalendarId::ENGLAND_AND_WALES);
        // 1900-01-01 was a Monday and (by rule) New Year's Day: the first working day is the 2nd.
        assert_eq!(calendar.date(0), Some(d(1900, 1, 2)));
        assert_eq!(calendar.index_on_or_after(d(1899, 6, 1)), 0);
        let friday = d(2020, 12, 24);
        let i = calendar.index_on_or_after(friday);
        assert_eq!(calendar.date(i), Some(friday));
        // Christmas Day to Monday 28: the next working day is Tuesday 29.
        assert_eq!(calendar.index_on_or_after(d(2020, 12, 25)), i + 1);
        assert_eq!(calendar.date(i + 1), Some(d(2020, 12, 29)));
        assert_eq!(calendar.index_on_or_before(d(2020, 12, 28)), i);
        assert_eq!(calendar.index_on_or_before(d(2020, 12, 29)), i + 1);
        assert_eq!(calendar.date(-1), None);
        assert_eq!(calendar.date(calendar.n_working_days()), None);
        let last = calendar.index_on_or_before(d(2300, 1, 1));
        assert_eq!(last, calendar.n_working_days() - 1);
        assert_eq!(calendar.index_on_or_after(d(2300, 1, 1)), last);
        assert!(calendar.date(last).is_some_and(|date| date <= LAST_DATE));
        assert_eq!(
            calendar.working_days_between(d(2020, 12, 29), d(2020, 12, 24)),
            0
        );
        // Every working day of 2021 maps to itself.
        let mut date = d(2021, 1, 1);
        while date.year() == 2021 {
            if calendar.is_working(date) {
                let index = calendar.index_on_or_after(date);
                assert_eq!(calendar.date(index), Some(date));
                assert_eq!(calendar.index_on_or_before(date), index);
            }
            date = date.succ_opt().unwrap_or(date);
        }
        // 2021 has 261 weekdays and 8 weekday bank holidays.
        assert_eq!(
            calendar.working_days_between(d(2021, 1, 1), d(2021, 12, 31)),
            253
        );
    }

    #[test]
    fn user_calendars_inherit_and_add_closures() {
        let mut defs = builtins();
        defs.push(CalendarDef {
            id: "council".to_owned(),
            based_on: Some(CalendarId::ENGLAND_AND_WALES),
            weekend: None,
            closed: vec![Closure {
                from: d(2020, 12, 24),
                to: d(2021, 1, 1),
                reason: Some("Christmas closure".to_owned()),
                span: Span::default(),
            }],
            bank_holidays: false,
            span: Span::default(),
        });
        defs.push(CalendarDef {
            id: "sunday-only-off".to_owned(),
            based_on: Some(CalendarId(2)),
            weekend: Some(vec![Weekday::Sun]),
            closed: vec![Closure {
                from: d(2021, 3, 3),
                to: d(2021, 3, 3),
                reason: None,
                span: Span::default(),
            }],
            bank_holidays: false,
            span: Span::default(),
        });
        defs[3].closed.push(Closure {
            from: d(1850, 1, 1),
            to: d(1850, 1, 5),
            reason: Some("before the range".to_owned()),
            span: Span::default(),
        });
        let calendars = build_all(&defs);
        // 1900-01-01 is New Year's Day (a Monday): the closure before 1900 did not replace it.
        assert_eq!(calendars[3].why_closed(FIRST_DATE), Some("New Year's Day"));
        assert_eq!(calendars.len(), 4);
        let council = &calendars[2];
        assert_eq!(
            council.why_closed(d(2020, 12, 24)),
            Some("Christmas closure")
        );
        assert_eq!(
            council.why_closed(d(2020, 12, 31)),
            Some("Christmas closure")
        );
        assert_eq!(council.why_closed(d(2021, 4, 2)), Some("Good Friday"));
        assert!(council.is_working(d(2021, 1, 4)));
        let six_day = &calendars[3];
        assert!(six_day.is_working(d(2021, 1, 2)), "saturday is worked");
        assert_eq!(six_day.why_closed(d(2021, 1, 3)), Some("weekend"));
        assert_eq!(
            six_day.why_closed(d(2020, 12, 29)),
            Some("Christmas closure")
        );
        assert_eq!(six_day.why_closed(d(2021, 3, 3)), Some("closed"));
        assert_eq!(six_day.why_closed(d(2021, 4, 5)), Some("Easter Monday"));
    }

    #[test]
    fn a_calendar_with_no_working_days_does_not_panic() {
        let mut defs = builtins();
        defs.push(CalendarDef {
            id: "never".to_owned(),
            based_on: None,
            weekend: Some(WEEK_FROM_SUNDAY.to_vec()),
            closed: Vec::new(),
            bank_holidays: false,
            span: Span::default(),
        });
        let never = WorkCalendar::build(&defs, CalendarId(2));
        assert_eq!(never.n_working_days(), 0);
        assert_eq!(never.index_on_or_after(d(2021, 1, 1)), 0);
        assert_eq!(never.index_on_or_before(d(2021, 1, 1)), 0);
        assert_eq!(never.date(0), None);
        assert_eq!(
            never.working_days_between(d(2021, 1, 1), d(2021, 12, 31)),
            0
        );
    }
}
