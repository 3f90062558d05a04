//! A Mermaid gantt chart.
//!
//! Input: a portfolio and its analysis. Output: a `gantt` block: one section per programme
//! (nested programmes are their own sections, titled with their path), every project and
//! milestone at tranche's own dates, `crit` on tranche's critical path, `done` and `active`
//! from progress, and `excludes` for the weekend and every holiday or closure of the
//! portfolio's calendar within the chart.
//!
//! Invariant: every link is kept. Mermaid can only say "starts after these finish" (`after a
//! b`), so a task starts `after` its finish-to-start predecessors when that is exactly the
//! date tranche computed; every other link (SS, FF, SF, lags, or an FS that does not drive) is
//! kept through the computed dates and written as a `%%` comment above the task, so nothing
//! tranche knows is lost. Mermaid's end dates are exclusive, so a project's end is the day
//! after its last day of work.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Step, outline, title_of};
use crate::analysis::Analysis;
use crate::graph::name_of;
use crate::model::{Dependency, ItemId, LinkKind, Portfolio};
use crate::report::Spill;
use crate::report::text::{mermaid_id, mermaid_text};
use crate::schedule::Trace;

pub(crate) fn render(portfolio: &Portfolio, analysis: &Analysis, trace: &Trace) -> String {
    crate::report::to_string(|sink| write(portfolio, analysis, trace, sink))
}

/// [`render`], written into `sink` as it is made: the text goes on in chunks between tasks
/// (`report::Spill`), so a chart of 100,000 projects (12 MB) is never held whole beside the
/// plan.
pub(crate) fn write(
    portfolio: &Portfolio,
    analysis: &Analysis,
    trace: &Trace,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let schedule = &analysis.schedule;
    let mut spill = Spill::new(sink);
    let mut out = String::new();
    out.push_str("gantt\n");
    let _ = writeln!(out, "    title {}", mermaid_text(&portfolio.title));
    out.push_str("    dateFormat YYYY-MM-DD\n");
    out.push_str("    axisFormat %Y-%m\n");
    out.push_str("    todayMarker off\n");

    let first = schedule.first_start().unwrap_or(portfolio.start);
    let weekend = super::mspdi::weekend_of(&portfolio.calendars, portfolio.calendar);
    if weekend == [Weekday::Sat, Weekday::Sun] || weekend == [Weekday::Sun, Weekday::Sat] {
        out.push_str("    excludes weekends\n");
    } else if !weekend.is_empty() {
        let names: Vec<&str> = weekend.iter().map(|d| weekday_name(*d)).collect();
        let _ = writeln!(out, "    excludes {}", names.join(", "));
    }
    if let Some(cal) = analysis.calendars.get(portfolio.calendar.0 as usize) {
        let days: Vec<String> = super::mspdi::closures(cal, (first, schedule.finish))
            .into_iter()
            .flat_map(|(from, to, _)| from.iter_days().take_while(move |d| *d <= to))
            .filter(|d| !weekend.contains(&d.weekday()))
            .map(|d| d.to_string())
            .collect();
        // Long lines are hard to read; Mermaid takes several `excludes` lines.
        for chunk in days.chunks(8) {
            let _ = writeln!(out, "    excludes {}", chunk.join(", "));
        }
    }

    // Sections: each programme's own work under its path; work outside programmes under the
    // portfolio's title. Mermaid lays out a section name once, so each section is written once,
    // in the order it first appears, with all its work in the author's order.
    let mut sections: Vec<(String, Vec<ItemId>)> = Vec::new();
    // Where each section is in `sections`, so a plan of many programmes stays linear.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut path: Vec<String> = Vec::new();
    for step in outline(portfolio) {
        match step {
            Step::Open { programme, .. } => {
                path.push(title_of(portfolio, ItemId::Programme(programme)).to_string());
            }
            Step::Close { .. } => {
                path.pop();
            }
            Step::Work { item, .. } => {
                let name = if path.is_empty() {
                    portfolio.title.clone()
                } else {
                    path.join(" / ")
                };
                match index.get(&name).and_then(|&i| sections.get_mut(i)) {
                    Some((_, items)) => items.push(item),
                    None => {
                        index.insert(name.clone(), sections.len());
                        sections.push((name, vec![item]));
                    }
                }
            }
        }
    }
    for (name, items) in sections {
        let _ = writeln!(out, "    section {}", mermaid_text(&name));
        for item in items {
            task(&mut out, portfolio, analysis, trace, item);
            spill.spill(&mut out);
        }
    }
    spill.finish(&mut out)
}

fn task(out: &mut String, portfolio: &Portfolio, analysis: &Analysis, trace: &Trace, item: ItemId) {
    let schedule = &analysis.schedule;
    let Some(timing) = schedule.timing(item) else {
        return;
    };
    if matches!(item, ItemId::Programme(_)) {
        return;
    }
    let deps = super::links_of(portfolio, item);
    let milestone = matches!(item, ItemId::Milestone(_));
    for d in &deps {
        let _ = writeln!(
            out,
            "    %% {} {}",
            name_of(portfolio, item),
            link_words(portfolio, d)
        );
    }
    // `after` only where Mermaid's reading (the latest end among them, which is the day after
    // its last day of work) is exactly tranche's start, and the predecessors are tasks.
    let fs: Vec<&Dependency> = deps
        .iter()
        .filter(|d| {
            d.kind == LinkKind::FinishToStart
                && d.lag_days == 0
                && !matches!(d.predecessor, ItemId::Programme(_))
        })
        .collect();
    let mermaid_after = fs
        .iter()
        .filter_map(|d| schedule.timing(d.predecessor))
        .map(|t| end_of(t.finish, t.duration_days == 0 && t.start == t.finish))
        .max();
    let start = timing.start;
    let use_after =
        !fs.is_empty() && !milestone && mermaid_after == Some(start) && fs.len() == deps.len();
    let mut tags: Vec<&str> = Vec::new();
    if milestone {
        tags.push("milestone");
    }
    if let Some(tag) = progress_tag(portfolio, trace, item) {
        tags.push(tag);
    }
    if timing.critical {
        tags.push("crit");
    }
    let id = mermaid_id(name_of(portfolio, item));
    tags.push(&id);
    let when = if use_after {
        let names: Vec<String> = fs
            .iter()
            .map(|d| mermaid_id(name_of(portfolio, d.predecessor)))
            .collect();
        format!("after {}", names.join(" "))
    } else {
        start.to_string()
    };
    let end = if milestone {
        "0d".to_string()
    } else {
        end_of(timing.finish, false).to_string()
    };
    let _ = writeln!(
        out,
        "    {} :{}, {when}, {end}",
        mermaid_text(title_of(portfolio, item)),
        tags.join(", ")
    );
}

/// The day after `finish` (Mermaid's exclusive end); a milestone ends on its own day.
fn end_of(finish: NaiveDate, milestone: bool) -> NaiveDate {
    if milestone {
        finish
    } else {
        finish.succ_opt().unwrap_or(finish)
    }
}

/// `done` for finished work (and milestones that happened), `active` for work in progress.
fn progress_tag(portfolio: &Portfolio, trace: &Trace, item: ItemId) -> Option<&'static str> {
    if trace.finished(item) {
        return Some("done");
    }
    match item {
        ItemId::Project(p) => portfolio
            .projects
            .get(p.0 as usize)?
            .progress()
            .actual_start
            .map(|_| "active"),
        _ => None,
    }
}

/// A dependency in tranche's own words: `after start of x + 2d`.
fn link_words(portfolio: &Portfolio, d: &Dependency) -> String {
    let target = name_of(portfolio, d.predecessor);
    let phrase = match d.kind {
        LinkKind::FinishToStart => format!("after {target}"),
        LinkKind::StartToStart => format!("after start of {target}"),
        LinkKind::FinishToFinish => format!("finishes after {target}"),
        LinkKind::StartToFinish => format!("finishes after start of {target}"),
    };
    match d.lag_days {
        0 => phrase,
        lag if lag > 0 => format!("{phrase} + {lag}d"),
        lag => format!("{phrase} - {}d", lag.unsigned_abs()),
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_a_task_line() {
        assert_eq!(mermaid_id("case-system.go live"), "case-system_go_live");
        assert_eq!(
            end_of(
                NaiveDate::from_ymd_opt(2021, 1, 29).unwrap_or_default(),
                false
            ),
            NaiveDate::from_ymd_opt(2021, 1, 30).unwrap_or_default()
        );
    }
}
