//! Builders shared by the finance tests: a portfolio and a schedule written by hand, so the
//! finance stage can be tested without the parser or the scheduler.
#![allow(dead_code)]

use chrono::NaiveDate;
use tranche::calendar::{self, WorkCalendar};
use tranche::diagnostic::Span;
use tranche::model::{
    Anchor, CalendarDef, CalendarId, CapitalTiming, Cost, Estimate, Milestone, MilestoneTiming,
    Portfolio, Project, RagThresholds, Recurrence, Saving,
};
use tranche::money::{Money, Percent};
use tranche::schedule::{Schedule, Timing};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("test date {y}-{m}-{day}"))
}

pub fn pounds(pounds: i64) -> Money {
    Money(pounds * 100)
}

pub fn builtin_calendars() -> Vec<CalendarDef> {
    let def = |id: &str, bank_holidays: bool| CalendarDef {
        id: id.to_owned(),
        based_on: None,
        weekend: None,
        closed: Vec::new(),
        bank_holidays,
        span: Span::default(),
    };
    vec![def("england-and-wales", true), def("weekdays", false)]
}

pub fn calendars() -> Vec<WorkCalendar> {
    calendar::build_all(&builtin_calendars())
}

pub fn portfolio(start: NaiveDate, end: NaiveDate) -> Portfolio {
    Portfolio {
        title: "Test plan".to_owned(),
        start,
        end,
        // The default appraisal period: ten years from the start, or to the end if later.
        appraisal_end: start
            .checked_add_months(chrono::Months::new(120))
            .and_then(|d| d.pred_opt())
            .map_or(end, |d| d.max(end)),
        status_date: None,
        calendar: CalendarId::ENGLAND_AND_WALES,
        currency: "GBP".to_owned(),
        discount_rate: Percent(350),
        financial_year_start: 4,
        optimism_bias: None,
        risk_distribution: None,
        money_scale: None,
        confidence: None,
        targets: Vec::new(),
        budgets: Vec::new(),
        rag: RagThresholds {
            amber_days: 10,
            red_days: 30,
        },
        benefit_rag: Default::default(),
        lint: Default::default(),
        calendars: builtin_calendars(),
        themes: Vec::new(),
        teams: Vec::new(),
        programmes: Vec::new(),
        projects: Vec::new(),
        milestones: Vec::new(),
        roots: Vec::new(),
        raid: Vec::new(),
        criteria: Vec::new(),
        span: Span::default(),
    }
}

pub fn project(id: &str) -> Project {
    Project {
        id: id.to_owned().into(),
        title: format!("Project {id}").into(),
        programme: None,
        duration: Estimate {
            likely_days: 0,
            low_days: None,
            high_days: None,
        },
        dependencies: Box::default(),
        deadline: None,
        costs: Box::default(),
        savings: Box::default(),
        milestones: Box::default(),
        theme: None,
        calendar: CalendarId::ENGLAND_AND_WALES,
        details: None,
        span: Span::default(),
    }
}

/// A milestone `id` with `title`, free (no date, no project), with nothing else said.
pub fn milestone(id: &str, title: &str, timing: MilestoneTiming) -> Milestone {
    Milestone {
        id: id.to_owned().into(),
        title: title.to_owned().into(),
        project: None,
        programme: None,
        timing,
        dependencies: Box::default(),
        deadline: None,
        theme: None,
        details: None,
        span: Span::default(),
    }
}

pub fn capital(amount: Money) -> Cost {
    Cost::Capital {
        range: None,
        amount,
        timing: CapitalTiming::Spread,
        span: Span::default(),
    }
}

pub fn revenue(per_year: Money, from: Anchor, months: Option<u32>) -> Cost {
    Cost::Revenue {
        per_year,
        recurrence: Recurrence {
            from,
            ramp_months: 0,
            months,
        },
        span: Span::default(),
    }
}

pub fn saving(per_year: Money, from: Anchor, ramp_months: u32, months: Option<u32>) -> Saving {
    Saving {
        per_year,
        recurrence: Recurrence {
            from,
            ramp_months,
            months,
        },
        range: None,
        register: Default::default(),
        span: Span::default(),
    }
}

pub fn timing(start: NaiveDate, finish: NaiveDate) -> Timing {
    Timing {
        start,
        finish,
        early_start: start,
        early_finish: finish,
        late_start: start,
        late_finish: finish,
        duration_days: 0,
        total_float_days: 0,
        free_float_days: 0,
        critical: false,
        slip_days: None,
        rag: None,
    }
}

pub fn schedule(projects: Vec<Timing>, milestones: Vec<Timing>) -> Schedule {
    let finish = projects
        .iter()
        .chain(&milestones)
        .map(|t| t.finish)
        .max()
        .unwrap_or_else(|| d(2020, 1, 1));
    Schedule {
        projects,
        milestones,
        programmes: Vec::new(),
        finish,
        critical_path: Vec::new(),
        milestones_at_day_start: Vec::new(),
    }
}
