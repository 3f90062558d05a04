//! Properties of working-day calendars (issue 3) over the whole 1900-2200 range.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use proptest::prelude::*;
use tranche::calendar::{self, FIRST_DATE, LAST_DATE, WorkCalendar};
use tranche::diagnostic::Span;
use tranche::model::{CalendarDef, CalendarId};

static ENGLAND: LazyLock<WorkCalendar> = LazyLock::new(|| {
    let defs = vec![CalendarDef {
        id: "england-and-wales".to_owned(),
        based_on: None,
        weekend: None,
        closed: Vec::new(),
        bank_holidays: true,
        span: Span::default(),
    }];
    WorkCalendar::build(&defs, CalendarId::ENGLAND_AND_WALES)
});

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let days = LAST_DATE.signed_duration_since(FIRST_DATE).num_days();
    (0..=days).prop_map(|n| FIRST_DATE + Duration::days(n))
}

#[test]
fn every_year_has_eight_weekday_bank_holidays_by_rule() {
    // Outside the GOV.UK table the rules give exactly eight distinct weekday holidays a year
    // (the substitute rules never land a holiday on a weekend or on another holiday).
    for year in FIRST_DATE.year()..=LAST_DATE.year() {
        let days = calendar::england_and_wales_bank_holidays(year);
        let mut dates: Vec<NaiveDate> = days.iter().map(|(d, _)| *d).collect();
        dates.dedup();
        if !calendar::bank_holidays_are_projected(year) {
            continue;
        }
        assert_eq!(dates.len(), 8, "{year}: {days:?}");
        for (date, name) in &days {
            assert!(
                !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                "{date} {name} is at a weekend"
            );
            assert!(date.year() == year, "{date} {name} is in another year");
            assert_eq!(ENGLAND.why_closed(*date), Some(*name));
        }
    }
}

proptest! {
    #[test]
    fn indices_and_dates_agree(a in any_date(), b in any_date()) {
        let calendar = &*ENGLAND;
        let after = calendar.index_on_or_after(a);
        let next = calendar.date(after);
        prop_assert!(next.is_some_and(|d| d >= a && calendar.is_working(d)));
        if let Some(next) = next {
            // No working day between `a` and the one found.
            prop_assert_eq!(calendar.working_days_between(a, next - Duration::days(1)), 0);
        }
        let before = calendar.index_on_or_before(a);
        let previous = calendar.date(before);
        prop_assert!(previous.is_some_and(|d| calendar.is_working(d)));
        if calendar.is_working(a) {
            prop_assert_eq!(before, after);
            prop_assert_eq!(calendar.why_closed(a), None);
        } else {
            prop_assert!(calendar.why_closed(a).is_some());
        }
        let (from, to) = if a <= b { (a, b) } else { (b, a) };
        // Counting days agrees with index arithmetic.
        let count = calendar.working_days_between(from, to);
        let expected =
            (calendar.index_on_or_before(to) - calendar.index_on_or_after(from) + 1).max(0);
        if calendar.is_working(from) || calendar.is_working(to) || count > 0 {
            prop_assert_eq!(count, expected);
        }
        prop_assert!(count >= 0 && count <= (to - from).num_days() as i32 + 1);
    }
}
