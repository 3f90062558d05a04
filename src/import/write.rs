//! Writing an imported [`Plan`] as tranche text.
//!
//! Input: a plan read from another tool. Output: the text of one portfolio file. The plan is
//! built as the tree the parser would make of that text (an [`ast::File`], every node placed
//! [`ast::NOWHERE`]) and printed by [`fmt::format_tree`], so the language is spelt in one
//! place and an imported plan is already in `tranche fmt`'s layout. What is decided here is
//! only what to write: which items and attributes, in which order, and the value of each
//! literal (durations in the largest whole unit, exact amounts, strings on one line).
//!
//! Invariant: the nesting of blocks follows the plan's outline, built with a stack rather than
//! recursion.

use chrono::{NaiveDate, Weekday};

use super::mspdi::{Dependency, Item, Kind, Plan};
use crate::fmt;
use crate::model::LinkKind;
use crate::money::Money;
use crate::syntax::ast::{self, Attr, Block, Ident, Literal, Str};

pub(crate) fn portfolio(plan: &Plan, source_name: &str) -> String {
    // The opening comment is the file's only comment; `format_tree` writes a tree's comments
    // first, which is where this one belongs.
    let header = ast::Comment {
        text: format!(
            "# Imported from {} by `tranche import`; its warnings say what was left out.",
            one_line(source_name)
        )
        .into(),
        span: ast::NOWHERE,
    };
    let mut items = vec![settings(plan)];
    items.extend(plan.calendars.iter().map(|calendar| {
        let mut body = vec![Attr::BasedOn(
            Ident::unplaced(calendar.based_on),
            ast::NOWHERE,
        )];
        if let Some(weekend) = &calendar.weekend {
            let days = weekend.iter().map(|d| weekday(*d)).collect();
            body.push(Attr::Weekend(days, ast::NOWHERE));
        }
        for (from, to, why) in &calendar.closed {
            body.push(Attr::Closed {
                from: date(*from),
                to: (to != from).then(|| Box::new(date(*to))),
                reason: why.as_deref().map(|why| Box::new(string(why))),
                span: ast::NOWHERE,
            });
        }
        Attr::Calendar(Box::new(Block::unplaced(
            Some(Ident::unplaced(&calendar.id)),
            None,
            body,
        )))
    }));
    outline(plan, symbol(plan.currency), &mut items);
    fmt::format_tree(&ast::File {
        items,
        comments: vec![header],
        span: ast::NOWHERE,
    })
}

/// The portfolio block: window, status date, calendar, currency, financial year.
fn settings(plan: &Plan) -> Attr {
    let mut body = vec![
        Attr::Start(date(plan.start), ast::NOWHERE),
        Attr::End(date(plan.end), ast::NOWHERE),
    ];
    if let Some(status) = plan.status_date {
        body.push(Attr::StatusDate(date(status), ast::NOWHERE));
    }
    if let Some(calendar) = &plan.calendar {
        body.push(Attr::CalendarRef(Ident::unplaced(calendar), ast::NOWHERE));
    }
    if let Some(currency) = plan.currency {
        body.push(Attr::Currency(Ident::unplaced(currency), ast::NOWHERE));
    }
    if let Some(month) = plan.financial_year_start.and_then(month) {
        body.push(Attr::FinancialYearStart(month, ast::NOWHERE));
    }
    Attr::Portfolio(Box::new(Block::unplaced(
        None,
        Some(string(&plan.title)),
        body,
    )))
}

/// The symbol of the plan's currency, in which every amount must be written (E051); pounds
/// when the plan names none, as the language assumes.
fn symbol(currency: Option<&str>) -> ast::CurrencySymbol {
    match currency {
        Some("EUR") => ast::CurrencySymbol::Euro,
        Some("USD") => ast::CurrencySymbol::Dollar,
        _ => ast::CurrencySymbol::Pound,
    }
}

/// The items in their outline, after the top-level items already in `items`; amounts in
/// `symbol`.
fn outline(plan: &Plan, symbol: ast::CurrencySymbol, items: &mut Vec<Attr>) {
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

    // Open programmes, innermost last, each with the body built so far.
    let mut open: Vec<(usize, Block)> = Vec::new();
    for (i, item) in plan.items.iter().enumerate() {
        if inside.get(i).copied().unwrap_or(false) {
            // Written inside its project.
            continue;
        }
        while open.last().is_some_and(|(p, _)| Some(*p) != item.parent) {
            close(&mut open, items);
        }
        let attr = match item.kind {
            Kind::Programme => {
                open.push((i, declaration(item, about(item))));
                continue;
            }
            Kind::Project => {
                let mut body = about(item);
                let days = u64::from(item.duration_days);
                body.push(Attr::Duration {
                    duration: ast::DurationLit::working_days(days),
                    range: None,
                    span: ast::NOWHERE,
                });
                if let Some(calendar) = &item.calendar {
                    body.push(Attr::CalendarRef(Ident::unplaced(calendar), ast::NOWHERE));
                }
                body.extend(dependencies(&item.dependencies));
                body.extend(dates(item, symbol));
                // Its milestones.
                body.extend(
                    plan.items
                        .iter()
                        .enumerate()
                        .skip(i + 1)
                        .take_while(|(j, _)| inside.get(*j).copied().unwrap_or(false))
                        .map(|(_, milestone)| milestone_block(milestone, symbol)),
                );
                Attr::Project(Box::new(declaration(item, body)))
            }
            Kind::Milestone => milestone_block(item, symbol),
        };
        match open.last_mut() {
            Some((_, programme)) => programme.body.push(attr),
            None => items.push(attr),
        }
    }
    while !open.is_empty() {
        close(&mut open, items);
    }
}

/// Closes the innermost open programme into the one around it, or the file.
fn close(open: &mut Vec<(usize, Block)>, items: &mut Vec<Attr>) {
    let Some((_, block)) = open.pop() else {
        return;
    };
    let programme = Attr::Programme(Box::new(block));
    match open.last_mut() {
        Some((_, outer)) => outer.body.push(programme),
        None => items.push(programme),
    }
}

/// `KEYWORD id "title" { body }`, the keyword left to the caller.
fn declaration(item: &Item, body: Vec<Attr>) -> Block {
    Block::unplaced(
        Some(Ident::unplaced(&item.id)),
        Some(string(&item.title)),
        body,
    )
}

fn milestone_block(item: &Item, symbol: ast::CurrencySymbol) -> Attr {
    let timing = match (item.tied, item.on) {
        (Some(true), _) => Some(ast::MilestoneTiming::AtFinish(ast::NOWHERE)),
        (Some(false), _) => Some(ast::MilestoneTiming::AtStart(ast::NOWHERE)),
        (None, Some(day)) => Some(ast::MilestoneTiming::On(date(day))),
        (None, None) => None,
    };
    let mut body = about(item);
    body.extend(dependencies(&item.dependencies));
    body.extend(dates(item, symbol));
    Attr::Milestone {
        block: Box::new(declaration(item, body)),
        timing,
    }
}

/// Owner and description.
fn about(item: &Item) -> Vec<Attr> {
    let mut body = Vec::new();
    if let Some(owner) = &item.owner {
        body.push(Attr::Owner(string(owner), ast::NOWHERE));
    }
    if let Some(description) = &item.description {
        body.push(Attr::Description(string(description), ast::NOWHERE));
    }
    body
}

/// One line a dependency, each with its lag (a lead is a negative lag).
fn dependencies(deps: &[Dependency]) -> impl Iterator<Item = Attr> + '_ {
    deps.iter().map(|d| {
        let kind = match d.kind {
            LinkKind::FinishToStart => ast::DependencyKind::FinishToStart,
            LinkKind::StartToStart => ast::DependencyKind::StartToStart,
            LinkKind::FinishToFinish => ast::DependencyKind::FinishToFinish,
            LinkKind::StartToFinish => ast::DependencyKind::StartToFinish,
        };
        let lag = (d.lag_days != 0).then(|| {
            Box::new(ast::Lag {
                negative: d.lag_days < 0,
                duration: ast::DurationLit::working_days(d.lag_days.unsigned_abs()),
                span: ast::NOWHERE,
            })
        });
        let target = ast::DependencyTarget {
            target: ast::Reference::new(Ident::unplaced(&d.target), None),
            lag,
        };
        Attr::Dependency {
            kind,
            targets: ast::DependencyTargets::new(target, Vec::new()),
            span: ast::NOWHERE,
        }
    })
}

/// Constraints, money (in `symbol`), progress and baseline.
fn dates(item: &Item, symbol: ast::CurrencySymbol) -> Vec<Attr> {
    let mut body = Vec::new();
    if let Some(d) = item.not_before {
        body.push(Attr::NotBefore(date(d), ast::NOWHERE));
    }
    if let Some(d) = item.deadline {
        body.push(Attr::Deadline(date(d), ast::NOWHERE));
    }
    if let Some(pence) = item.capital_pence {
        body.push(Attr::Cost {
            kind: ast::CostKind::Capital,
            amount: ast::MoneyLit::exact(symbol, Money(pence)),
            timing: ast::CostTiming::Spread(None),
            span: ast::NOWHERE,
        });
    }
    if let Some(d) = item.actual_start {
        body.push(Attr::ActualStart(date(d), ast::NOWHERE));
    }
    if let Some(d) = item.actual_finish {
        body.push(Attr::ActualFinish(date(d), ast::NOWHERE));
    }
    if let Some(c) = item.complete {
        // Percent's display is the literal as the grammar reads it (its sign, at most two
        // decimals) and its `%`, which the tree leaves to the printer.
        let shown = c.to_string();
        let number = shown.strip_suffix('%').unwrap_or(&shown);
        body.push(Attr::Complete(Literal::unplaced(number), ast::NOWHERE));
    }
    match (item.kind, item.baseline) {
        (Kind::Milestone, Some((_, f))) => body.push(Attr::Baseline {
            start: date(f),
            finish: None,
            span: ast::NOWHERE,
        }),
        (_, Some((s, f))) => body.push(Attr::Baseline {
            start: date(s),
            finish: Some(Box::new(date(f))),
            span: ast::NOWHERE,
        }),
        (_, None) => {}
    }
    body
}

/// A date literal: `2024-04-01`, as chrono displays it.
fn date(day: NaiveDate) -> Literal {
    Literal::unplaced(&day.to_string())
}

/// A string of the language is one line: foreign text is taken to one (see [`one_line`]).
fn string(text: &str) -> Str {
    Str::unplaced(&one_line(text))
}

/// Whitespace runs (line breaks among them) as one space, control characters left out.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

fn weekday(day: Weekday) -> ast::Weekday {
    match day {
        Weekday::Mon => ast::Weekday::Mon,
        Weekday::Tue => ast::Weekday::Tue,
        Weekday::Wed => ast::Weekday::Wed,
        Weekday::Thu => ast::Weekday::Thu,
        Weekday::Fri => ast::Weekday::Fri,
        Weekday::Sat => ast::Weekday::Sat,
        Weekday::Sun => ast::Weekday::Sun,
    }
}

/// The month numbered `month` (1 to 12), or `None` for any other number.
fn month(month: u32) -> Option<ast::MonthName> {
    use ast::MonthName::*;
    [
        January, February, March, April, May, June, July, August, September, October, November,
        December,
    ]
    .get(usize::try_from(month).ok()?.checked_sub(1)?)
    .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_text_becomes_one_line_strings() {
        assert_eq!(string("Say \"hi\"\\\nnow").value, "Say \"hi\"\\ now");
        assert_eq!(string("  tab\there\u{7}  ").value, "tab here");
    }

    #[test]
    fn months_are_numbered_from_one() {
        assert_eq!(month(1), Some(ast::MonthName::January));
        assert_eq!(month(4), Some(ast::MonthName::April));
        assert_eq!(month(12), Some(ast::MonthName::December));
        assert_eq!(month(0), None);
        assert_eq!(month(13), None);
    }
}
