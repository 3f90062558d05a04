//! A plan built by hand that uses everything the exports carry (while the parser is written in
//! parallel), and helpers that run the exports and the external checkers on it.
#![allow(dead_code)]

use crate::schedule_support;

use std::path::Path;
use std::process::Command;

pub use schedule_support::{Plan, d, dated, push, span};
use tranche::analysis::{Analysis, analyse};
use tranche::export::{Format, export};
use tranche::finance::Detail;
use tranche::model::*;
use tranche::money::{Money, Percent};

/// A council plan: two programmes (one nested), all four link kinds with lags and a lead, a
/// not-before, deadlines, work finished and in progress, baselines, milestones at finish, at
/// start, on a date and placed by a link, a council calendar with a Christmas closure, and
/// capital costs.
pub fn sample() -> Plan {
    let mut plan = Plan::new("2020-04-01");
    let p = &mut plan.portfolio;
    p.title = "Children & Families: digital plan".to_string();
    p.end = d("2023-03-31");
    p.status_date = Some(d("2020-11-02"));
    p.calendars.push(CalendarDef {
        id: "council".to_string(),
        based_on: Some(CalendarId::ENGLAND_AND_WALES),
        weekend: None,
        closed: vec![Closure {
            from: d("2020-12-24"),
            to: d("2021-01-01"),
            reason: Some("Christmas closure".to_string()),
            span: span(1),
        }],
        bank_holidays: false,
        span: span(2),
    });
    p.calendar = CalendarId(2);

    let case = plan.project("case-system", 140);
    let discovery = plan.project("discovery", 25);
    let form = plan.project("referral-form", 40);
    let portal = plan.project("family-portal", 60);
    let training = plan.project("training", 20);
    let data = plan.project("data-migration", 25);
    let go_live = plan.milestone("go-live", MilestoneTiming::AtFinish, Some(case));
    let kickoff = plan.milestone("kick-off", MilestoneTiming::AtStart, Some(case));
    let ofsted = plan.milestone("ofsted", MilestoneTiming::On(d("2021-10-04")), None);
    let ready = plan.milestone("ready", MilestoneTiming::Free, None);
    for item in [case, discovery, form, portal, training, data] {
        plan.project_mut(item).calendar = CalendarId(2);
    }
    plan.portfolio.projects[0].calendar = CalendarId::ENGLAND_AND_WALES;

    let inner = plan.programme("early-help", &[portal]);
    let outer = plan.programme("front-door", &[form, inner, ready]);
    // Plan::programme leaves placing the programme to the caller: after discovery's work.
    plan.portfolio.roots.insert(2, outer);

    plan.fs(case, discovery);
    plan.link(form, go_live, LinkKind::FinishToStart, 10);
    plan.link(portal, form, LinkKind::StartToStart, 5);
    plan.link(training, case, LinkKind::FinishToFinish, -5);
    plan.link(data, case, LinkKind::StartToFinish, 30);
    plan.link(ready, inner, LinkKind::FinishToStart, 0);
    // A milestone fixed on a date takes no dependencies; this one waits for the kick-off.
    plan.link(ready, kickoff, LinkKind::FinishToStart, 0);
    let _ = ofsted;

    {
        let x = plan.project_mut(discovery);
        x.title = "Discovery: what families need".to_string().into();
        x.details_mut().progress.actual_start = Some(dated("2020-04-01"));
        x.details_mut().progress.actual_finish = Some(dated("2020-05-15"));
        x.details_mut().owner = Some("Head of Service, \"Early Help\"".to_string());
    }
    {
        let x = plan.project_mut(case);
        x.title = "Replace the children's case management system"
            .to_string()
            .into();
        x.details_mut().not_before = Some(dated("2020-06-01"));
        x.deadline = Some(dated("2021-12-31"));
        x.details_mut().progress.actual_start = Some(dated("2020-06-08"));
        x.details_mut().progress.complete = Some(Percent(3_500));
        x.details_mut().baseline = Some(Baseline {
            start: d("2020-06-01"),
            finish: d("2020-12-18"),
            span: span(3),
        });
        push(
            &mut x.costs,
            Cost::Capital {
                amount: Money(180_000_000),
                span: span(4),
            },
        );
        x.details_mut().description =
            Some("Replaces the 2009 system, incl. <legacy> data".to_string());
    }
    {
        let x = plan.project_mut(form);
        x.title = "Online multi-agency referral form".to_string().into();
        push(
            &mut x.costs,
            Cost::Capital {
                amount: Money(12_000_050),
                span: span(5),
            },
        );
    }
    plan.project_mut(portal).title = "Family portal; self-service".to_string().into();
    plan.milestone_mut(go_live).title = "Case system live".to_string().into();
    plan.milestone_mut(go_live).deadline = Some(dated("2021-06-30"));
    plan.milestone_mut(ofsted).title = "Ofsted inspection of children's services"
        .to_string()
        .into();
    plan.milestone_mut(kickoff).title = "Kick-off".to_string().into();
    plan.milestone_mut(ready).title = "Early help ready".to_string().into();
    plan.milestone_mut(ready).details_mut().baseline = Some(Baseline {
        start: d("2022-01-14"),
        finish: d("2022-01-14"),
        span: span(6),
    });
    plan
}

/// The plan analysed; panics when the plan has errors (the sample has none).
pub fn analysed(plan: &Plan) -> Analysis {
    let (analysis, diagnostics) = analyse(&plan.portfolio, Detail::ProjectYearsOnly);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "the sample plan has errors: {errors:?}");
    analysis.expect("the sample plan has no cycle")
}

pub fn exported(plan: &Plan, format: Format) -> String {
    export(&plan.portfolio, &analysed(plan), format)
}

/// Runs a checker; `None` (with the reason printed) when the program is not installed.
pub fn run_tool(program: &str, args: &[&str], dir: &Path) -> Option<std::process::Output> {
    match Command::new(program).args(args).current_dir(dir).output() {
        Ok(output) => Some(output),
        Err(e) => {
            println!("skipped: cannot run `{program}` ({e})");
            None
        }
    }
}

pub fn interop_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}
