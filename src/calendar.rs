//! Working-day calendars: weekends, England and Wales bank holidays, user closures, and fast
//! conversion between dates and working-day indices.
//!
//! THROWAWAY stand-in on the `schedule` branch, to the exact API of the calendar brief, until the
//! calendar helper's real module lands on main (then `git checkout main -- src/calendar.rs`).
//! It knows weekends, closures and the England and Wales bank holidays of 2020 and 2021 only (the
//! scheduler's tests use Easter and Christmas 2020/21).
//!
//! Invariant: working days are numbered 0, 1, 2, … from FIRST_DATE; every query is O(1).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::model::{CalendarDef, CalendarId};

/// The first date any calendar covers.
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};
/// The last date any calendar covers.
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2200, 12, 31) {
    Some(d) => d,
    None => panic!("2200-12-31 is a date"),
};

/// A working-day calendar over FIRST_DATE..=LAST_DATE, built once, cheap to query (O(1)).
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    /// For each calendar day from FIRST_DATE: the number of working days strictly before it.
    before: Vec<i32>,
    /// For each calendar day: why it is closed, an index into `reasons`, or u16::MAX if worked.
    closed: Vec<u16>,
    reasons: Vec<String>,
    /// Working day index -> day offset from FIRST_DATE.
    days: Vec<u32>,
}

fn offset(date: NaiveDate) -> i64 {
    date.signed_duration_since(FIRST_DATE).num_days()
}

impl WorkCalendar {
    /// Builds calendar `id` of `defs` (follows `based_on` chains).
    pub fn build(defs: &[CalendarDef], id: CalendarId) -> WorkCalendar {
        let n_days = usize::try_from(offset(LAST_DATE) + 1).unwrap_or(0);
        let mut reasons: Vec<String> = vec!["weekend".to_string()];
        let mut closed = vec![u16::MAX; n_days];
        let mut weekend: Option<Vec<Weekday>> = None;
        let mut bank_holidays = false;
        let mut chain = Vec::new();
        let mut current = Some(id);
        while let Some(c) = current {
            // A chain longer than the number of calendars is a cycle the validator let through.
            if chain.len() > defs.len() {
                break;
            }
            let Some(def) = defs.get(c.0 as usize) else {
                break;
            };
            chain.push(def);
            current = def.based_on;
        }
        for def in &chain {
            if weekend.is_none() {
                weekend.clone_from(&def.weekend);
            }
            bank_holidays |= def.bank_holidays || def.id == "england-and-wales";
        }
        let weekend = weekend.unwrap_or(vec![Weekday::Sat, Weekday::Sun]);
        let mut date = FIRST_DATE;
        for slot in closed.iter_mut() {
            if weekend.contains(&date.weekday()) {
                *slot = 0;
            }
            date = date.checked_add_days(Days::new(1)).unwrap_or(LAST_DATE);
        }
        let mut close = |from: NaiveDate, to: NaiveDate, reason: &str, closed: &mut Vec<u16>| {
            let r = u16::try_from(reasons.len()).unwrap_or(u16::MAX - 1);
            reasons.push(reason.to_string());
            let (a, b) = (offset(from.max(FIRST_DATE)), offset(to.min(LAST_DATE)));
            for o in a..=b {
                if let Some(slot) = usize::try_from(o).ok().and_then(|o| closed.get_mut(o)) {
                    if *slot == u16::MAX {
                        *slot = r;
                    }
                }
            }
        };
        if bank_holidays {
            for year in 2020..=2021 {
                for (d, name) in england_and_wales_bank_holidays(year) {
                    close(d, d, name, &mut closed);
                }
            }
        }
        for def in chain.iter().rev() {
            for c in &def.closed {
                close(
                    c.from,
                    c.to,
                    c.reason.as_deref().unwrap_or("closed"),
                    &mut closed,
                );
            }
        }
        let mut before = Vec::with_capacity(n_days);
        let mut days = Vec::new();
        let mut count = 0i32;
        for (i, slot) in closed.iter().enumerate() {
            before.push(count);
            if *slot == u16::MAX {
                days.push(u32::try_from(i).unwrap_or(u32::MAX));
                count += 1;
            }
        }
        WorkCalendar {
            before,
            closed,
            reasons,
            days,
        }
    }

    fn slot(&self, date: NaiveDate) -> Option<usize> {
        usize::try_from(offset(date))
            .ok()
            .filter(|o| *o < self.before.len())
    }

    fn n_working(&self) -> i32 {
        i32::try_from(self.days.len()).unwrap_or(i32::MAX)
    }

    pub fn is_working(&self, date: NaiveDate) -> bool {
        self.slot(date).and_then(|s| self.closed.get(s)) == Some(&u16::MAX)
    }

    /// Index of the first working day on or after `date` (clamped to the range).
    pub fn index_on_or_after(&self, date: NaiveDate) -> i32 {
        if date < FIRST_DATE {
            return 0;
        }
        match self.slot(date).and_then(|s| self.before.get(s)) {
            Some(&b) => b.min(self.n_working() - 1),
            None => self.n_working() - 1,
        }
    }

    /// Index of the last working day on or before `date` (clamped to the range).
    pub fn index_on_or_before(&self, date: NaiveDate) -> i32 {
        if date > LAST_DATE {
            return self.n_working() - 1;
        }
        match self.slot(date).and_then(|s| self.before.get(s)) {
            Some(&b) => {
                let worked = self.is_working(date);
                (if worked { b } else { b - 1 }).max(0)
            }
            None => 0,
        }
    }

    /// The date of working day `index`, `None` outside the range.
    pub fn date(&self, index: i32) -> Option<NaiveDate> {
        let o = self.days.get(usize::try_from(index).ok()?)?;
        FIRST_DATE.checked_add_days(Days::new(u64::from(*o)))
    }

    /// Number of working days from `from` to `to`, both inclusive (0 if `to < from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i32 {
        if to < from {
            return 0;
        }
        let a = self.index_on_or_after(from);
        let b = self.index_on_or_before(to);
        (b - a + 1).max(0)
    }

    /// The reason a date is not worked, None if worked.
    pub fn why_closed(&self, date: NaiveDate) -> Option<&str> {
        let r = *self.slot(date).and_then(|s| self.closed.get(s))?;
        if r == u16::MAX {
            None
        } else {
            self.reasons.get(usize::from(r)).map(String::as_str)
        }
    }
}

/// England and Wales bank holidays in `year` (stand-in: 2020 and 2021 only).
pub fn england_and_wales_bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let table: &[(i32, u32, u32, &'static str)] = &[
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
    ];
    table
        .iter()
        .filter(|(y, ..)| *y == year)
        .filter_map(|&(y, m, d, name)| NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, name)))
        .collect()
}

/// Builds every calendar of a portfolio, indexed by CalendarId.
pub fn build_all(defs: &[CalendarDef]) -> Vec<WorkCalendar> {
    (0..defs.len())
        .map(|i| WorkCalendar::build(defs, CalendarId(u32::try_from(i).unwrap_or(u32::MAX))))
        .collect()
}
