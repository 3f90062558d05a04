//! Unit tests of the scheduler's small rules: calendar conversions, bounds, RAG.

use super::*;
use crate::calendar::build_all;
use crate::model::{CalendarDef, CalendarId};

fn calendars() -> Vec<WorkCalendar> {
    build_all(&[
        CalendarDef::plain("england-and-wales", true),
        CalendarDef::plain("weekdays", false),
    ])
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

#[test]
fn conversions_between_calendars_go_through_dates() {
    let cals = calendars();
    let (ew, wd) = (&cals[CalendarId::ENGLAND_AND_WALES.0 as usize], &cals[1]);
    // Work on the weekdays calendar finishing on Christmas Day 2020 (a Friday) is followed
    // on england-and-wales by Tue Dec 29 (Mon 28 is the Boxing Day substitute).
    let christmas = i64::from(wd.index_on_or_after(day("2020-12-25")));
    let after = convert(wd, ew, christmas + 1, false);
    assert_eq!(date_of(ew, after), day("2020-12-29"));
    // Back again: the latest weekdays finish that still lets work start Dec 29 is the end
    // of Mon Dec 28.
    assert_eq!(
        date_of(wd, convert_back(wd, ew, after, false) - 1),
        day("2020-12-28")
    );
    // A start on Christmas Day on weekdays is the start of Dec 29 on england-and-wales.
    assert_eq!(
        date_of(ew, convert(wd, ew, christmas, true)),
        day("2020-12-29")
    );
    assert_eq!(
        date_of(
            wd,
            convert_back(wd, ew, convert(wd, ew, christmas, true), true)
        ),
        day("2020-12-29")
    );
    // The same calendar converts to itself.
    assert_eq!(convert(ew, ew, 42, false), 42);
    assert_eq!(convert_back(ew, ew, 42, true), 42);
}

#[test]
fn a_link_wins_a_tie_with_a_floor_so_chains_run_back() {
    let mut bound = Bound::new(10);
    bound.raise(10, Driver::StatusDate);
    assert_eq!(bound.driver, Driver::PlanStart);
    bound.link(10, 3);
    assert_eq!(bound.driver, Driver::Link(3));
    bound.raise(11, Driver::NotBefore);
    assert_eq!((bound.value, bound.driver), (Some(11), Driver::NotBefore));
}

#[test]
fn rag_thresholds_are_inclusive() {
    let mut thresholds = crate::model::RagThresholds {
        amber_days: 10,
        red_days: 30,
    };
    assert_eq!(rag_of(&thresholds, 9), Rag::Green);
    assert_eq!(rag_of(&thresholds, 10), Rag::Amber);
    assert_eq!(rag_of(&thresholds, 30), Rag::Red);
    assert_eq!(rag_of(&thresholds, -5), Rag::Green);
    thresholds.red_days = 10;
    assert_eq!(rag_of(&thresholds, 10), Rag::Red);
}
