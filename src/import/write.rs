//! Writing an imported [`Plan`] as tranche text.
//!
//! Input: a plan read from another tool. Output: the text of one portfolio file, laid out as
//! `tranche fmt` would (two-space indents, one attribute a line, a blank line between top-level
//! items). Invariant: every string is one line with `"` and `\` escaped, and the nesting of
//! blocks follows the plan's outline, written with a stack rather than recursion.

use std::fmt::Write as _;

use chrono::Weekday;

use super::mspdi::{Dependency, Item, Kind, Plan};
use crate::model::LinkKind;

pub(crate) fn portfolio(plan: &Plan, source_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported from {} by `tranche import`; its warnings say what was left out.",
        one_line(source_name)
    );
    let _ = writeln!(out, "portfolio {} {{", string(&plan.title));
    let _ = writeln!(out, "  start {}", plan.start);
    let _ = writeln!(out, "  end {}", plan.end);
    if let Some(status) = plan.status_date {
        let _ = writeln!(out, "  status-date {status}");
    }
    if let Some(calendar) = &plan.calendar {
        let _ = writeln!(out, "  calendar {calendar}");
    }
    if let Some(currency) = plan.currency {
        let _ = writeln!(out, "  currency {currency}");
    }
    if let Some(month) = plan.financial_year_start.and_then(month_name) {
        let _ = writeln!(out, "  financial-year-start {month}");
    }
    out.push_str("}\n");

    for calendar in &plan.calendars {
        out.push('\n');
        let _ = writeln!(out, "calendar {} {{", calendar.id);
        let _ = writeln!(out, "  based-on {}", calendar.based_on);
        if let Some(weekend) = &calendar.weekend {
            let days: Vec<&str> = weekend.iter().map(|d| weekday(*d)).collect();
            let _ = writeln!(out, "  weekend {}", days.join(" "));
        }
        for (from, to, why) in &calendar.closed {
            let mut line = format!("  closed {from}");
            if to != from {
                let _ = write!(line, " to {to}");
            }
            if let Some(why) = why {
                let _ = write!(line, " {}", string(why));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("}\n");
    }

    // Milestones written inside the project before them: its tied ones, and any placed by
    // their links among them (so the order of milestones is kept).
    let mut inside = vec![false; plan.items.len()];
    for (i, item) in plan.items.iter().enumerate() {
        if item.kind != Kind::Project {
            continue;
        }
        let run = plan
            .items
            .iter()
            .enumerate()
            .skip(i + 1)
            .take_while(|(_, m)| m.kind == Kind::Milestone && m.parent == item.parent);
        let last_tied = run.filter(|(_, m)| m.tied.is_some()).map(|(j, _)| j).last();
        if let Some(last) = last_tied {
            for slot in inside.iter_mut().take(last + 1).skip(i + 1) {
                *slot = true;
            }
        }
    }

    // Open programmes, innermost last.
    let mut open: Vec<usize> = Vec::new();
    for (i, item) in plan.items.iter().enumerate() {
        if inside.get(i).copied().unwrap_or(false) {
            // Written inside its project.
            continue;
        }
        while open.last().is_some_and(|&p| Some(p) != item.parent) {
            open.pop();
            let _ = writeln!(out, "{}}}", indent(open.len()));
        }
        let depth = open.len();
        if depth == 0 {
            out.push('\n');
        }
        let pad = indent(depth);
        match item.kind {
            Kind::Programme => {
                let _ = writeln!(out, "{pad}programme {} {} {{", item.id, string(&item.title));
                about(&mut out, item, depth + 1);
                open.push(i);
            }
            Kind::Project => {
                let _ = writeln!(out, "{pad}project {} {} {{", item.id, string(&item.title));
                let inner = indent(depth + 1);
                about(&mut out, item, depth + 1);
                let _ = writeln!(
                    out,
                    "{inner}duration {}",
                    days(i64::from(item.duration_days))
                );
                if let Some(calendar) = &item.calendar {
                    let _ = writeln!(out, "{inner}calendar {calendar}");
                }
                dependencies(&mut out, &item.dependencies, depth + 1);
                dates(&mut out, item, depth + 1);
                // Its milestones.
                for (_, milestone) in plan
                    .items
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .take_while(|(j, _)| inside.get(*j).copied().unwrap_or(false))
                {
                    milestone_block(&mut out, milestone, depth + 1);
                }
                let _ = writeln!(out, "{pad}}}");
            }
            Kind::Milestone => milestone_block(&mut out, item, depth),
        }
    }
    while open.pop().is_some() {
        let _ = writeln!(out, "{}}}", indent(open.len()));
    }
    out
}

fn milestone_block(out: &mut String, item: &Item, depth: usize) {
    let pad = indent(depth);
    let timing = match (item.tied, item.on) {
        (Some(true), _) => " at finish".to_string(),
        (Some(false), _) => " at start".to_string(),
        (None, Some(day)) => format!(" on {day}"),
        (None, None) => String::new(),
    };
    let mut body = String::new();
    about(&mut body, item, depth + 1);
    dependencies(&mut body, &item.dependencies, depth + 1);
    dates(&mut body, item, depth + 1);
    let head = format!("{pad}milestone {} {}{timing}", item.id, string(&item.title));
    if body.is_empty() {
        let _ = writeln!(out, "{head}");
    } else {
        let _ = writeln!(out, "{head} {{");
        out.push_str(&body);
        let _ = writeln!(out, "{pad}}}");
    }
}

/// Owner and description.
fn about(out: &mut String, item: &Item, depth: usize) {
    let pad = indent(depth);
    if let Some(owner) = &item.owner {
        let _ = writeln!(out, "{pad}owner {}", string(owner));
    }
    if let Some(description) = &item.description {
        let _ = writeln!(out, "{pad}description {}", string(description));
    }
}

fn dependencies(out: &mut String, deps: &[Dependency], depth: usize) {
    let pad = indent(depth);
    for d in deps {
        let phrase = match d.kind {
            LinkKind::FinishToStart => "after",
            LinkKind::StartToStart => "after start of",
            LinkKind::FinishToFinish => "finishes after",
            LinkKind::StartToFinish => "finishes after start of",
        };
        let lag = match d.lag_days {
            0 => String::new(),
            n if n > 0 => format!(" + {}", days(n)),
            n => format!(" - {}", days(n.saturating_abs())),
        };
        let _ = writeln!(out, "{pad}{phrase} {}{lag}", d.target);
    }
}

/// Constraints, money, progress and baseline.
fn dates(out: &mut String, item: &Item, depth: usize) {
    let pad = indent(depth);
    if let Some(d) = item.not_before {
        let _ = writeln!(out, "{pad}not-before {d}");
    }
    if let Some(d) = item.deadline {
        let _ = writeln!(out, "{pad}deadline {d}");
    }
    if let Some(pence) = item.capital_pence {
        let _ = writeln!(out, "{pad}cost capital {}", money(pence));
    }
    if let Some(d) = item.actual_start {
        let _ = writeln!(out, "{pad}actual-start {d}");
    }
    if let Some(d) = item.actual_finish {
        let _ = writeln!(out, "{pad}actual-finish {d}");
    }
    if let Some(c) = item.complete {
        // Percent's display has its sign and at most two decimals, as the grammar reads it.
        let _ = writeln!(out, "{pad}complete {c}");
    }
    match (item.kind, item.baseline) {
        (Kind::Milestone, Some((_, f))) => {
            let _ = writeln!(out, "{pad}baseline {f}");
        }
        (_, Some((s, f))) => {
            let _ = writeln!(out, "{pad}baseline {s} to {f}");
        }
        (_, None) => {}
    }
}

/// Working days in the largest unit that holds them whole: `7 months`, `3 weeks`, `4 days`.
fn days(n: i64) -> String {
    let (count, unit) = if n != 0 && n % 20 == 0 {
        (n / 20, "month")
    } else if n != 0 && n % 5 == 0 {
        (n / 5, "week")
    } else {
        (n, "day")
    };
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

/// Pence as an amount with the portfolio's symbol: `£1,800,000`, `£120,000.50`.
fn money(pence: i64) -> String {
    let pounds = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match pence % 100 {
        0 => format!("£{grouped}"),
        p => format!("£{grouped}.{p:02}"),
    }
}

/// A tranche string: one line, quotes and backslashes escaped.
fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in one_line(text).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn month_name(month: u32) -> Option<&'static str> {
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    .get(usize::try_from(month).ok()?.checked_sub(1)?)
    .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_the_largest_whole_unit() {
        assert_eq!(days(280), "14 months");
        assert_eq!(days(10), "2 weeks");
        assert_eq!(days(5), "1 week");
        assert_eq!(days(7), "7 days");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(0), "0 days");
    }

    #[test]
    fn money_and_strings_are_written_as_the_language_reads_them() {
        assert_eq!(money(180_000_000), "£1,800,000");
        assert_eq!(money(12_000_050), "£120,000.50");
        assert_eq!(money(99), "£0.99");
        assert_eq!(string("Say \"hi\"\\\nnow"), "\"Say \\\"hi\\\"\\\\ now\"");
        assert_eq!(month_name(4), Some("april"));
        assert_eq!(month_name(13), None);
    }
}
