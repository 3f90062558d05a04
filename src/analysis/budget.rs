//! Levelling to the capital budgets (`--level=budget`, issue 20): work not yet started is
//! delayed, least priority first, until each financial year's capital stays within the
//! portfolio's `budget capital` for that year, and each move says what it costs in savings.
//!
//! Input: a validated [`Portfolio`]. Output: the [`Analysis`] of the plan with the moves made
//! (as `not-before` holds on the projects moved, in the [`Portfolio`] returned with it), and a
//! W075 for each move, or a W076 for a year no order of work can fit.
//!
//! How: analyse (levelled to the teams too); take the earliest year whose capital is over its
//! budget; of the projects not yet started with capital in that year, hold the one of least
//! priority (highest `priority` number, none last of all; then most float; then last in the
//! file) to start no earlier than the next financial year, which moves all its capital out of
//! the year; analyse again. Every move is of a different project, so this ends. The money is
//! the finance stage's own, whatever the cost lines are, so the budgets judged here are the
//! ones `finance` and `check` judge.

use chrono::NaiveDate;

use super::{Analysis, analyse_with};
use crate::diagnostic::{Code, Diagnostic};
use crate::finance::{CheckKind, Detail};
use crate::model::{Dated, FinancialYear, Portfolio};
use crate::money::Money;

/// The plan levelled to its capital budgets: the portfolio with its holds, its analysis, and
/// the diagnostics of the final analysis with W075/W076 added.
pub fn level_to_budgets(
    portfolio: &Portfolio,
    detail: Detail,
    teams: bool,
) -> (Portfolio, Option<Analysis>, Vec<Diagnostic>) {
    // Choosing a move and saying what it forgoes read every project's money by year, whatever
    // the caller keeps: analysed with less (`GroupsOnly` for `report` and `finance`), a plan
    // whose budgets are met at last had no project's savings to compare, and W075 said a
    // moved project forwent all of them. What the caller did not ask for is let go at the end.
    let working = match detail {
        Detail::Full => Detail::Full,
        Detail::ProjectYearsOnly | Detail::GroupsOnly | Detail::ChecksOnly => {
            Detail::ProjectYearsOnly
        }
    };
    let mut held = portfolio.clone();
    let (first, mut diagnostics) = analyse_with(&held, working, teams);
    let Some(mut analysis) = first else {
        return (held, None, diagnostics);
    };
    // Each project's savings before any move, to say what a move forgoes.
    let savings_before: Vec<Money> = savings(&analysis);
    // Years no move can fit, said once each and then passed over.
    let mut given_up: Vec<FinancialYear> = Vec::new();
    let mut notes = Vec::new();
    // Each move holds a project to a later financial year than before, so the moves are
    // bounded by the projects times the years; the cap only guards that argument.
    let most_moves = portfolio.projects.len().saturating_mul(400);
    for _ in 0..most_moves {
        let Some((year, over)) = first_over(&analysis, &given_up) else {
            break;
        };
        let Some(i) = to_move(&held, &analysis, year) else {
            notes.push(Note::CannotFit(cannot_fit(portfolio, year, over)));
            given_up.push(year);
            continue;
        };
        let Some(next_year) = year_start(FinancialYear(year.0 + 1), portfolio) else {
            break;
        };
        let from = analysis.schedule.projects.get(i).map(|t| t.start);
        if let Some(project) = held.projects.get_mut(i) {
            let span = project.span;
            let details = project.details_mut();
            let hold = details
                .not_before
                .map_or(next_year, |d| d.date.max(next_year));
            details.not_before = Some(Dated { date: hold, span });
        }
        let (again, more) = analyse_with(&held, working, teams);
        let Some(again) = again else {
            return (held, None, more);
        };
        analysis = again;
        diagnostics = more;
        // A project moved again (out of the year it was moved into) is said once, from where
        // it first stood to where it ends.
        if !notes
            .iter()
            .any(|n| matches!(n, Note::Moved(j, ..) if *j == i))
        {
            notes.push(Note::Moved(i, year_label(year, portfolio), from));
        }
    }
    let after = savings(&analysis);
    if matches!(detail, Detail::GroupsOnly | Detail::ChecksOnly) {
        analysis.finance.projects = Vec::new();
    }
    let mut found: Vec<Diagnostic> = Vec::new();
    for note in notes {
        found.push(match note {
            Note::Moved(i, label, from) => {
                let project = &portfolio.projects[i];
                let to = analysis.schedule.projects.get(i).map(|t| t.start);
                let forgone = Money(
                    savings_before.get(i).map_or(0, |m| m.0) - after.get(i).map_or(0, |m| m.0),
                );
                Diagnostic::new(
                    Code::W075MovedForBudget,
                    head(project),
                    format!(
                        "`{}` is moved from {} to {} to keep {label} capital within its budget; its cashable savings over the appraisal period fall by {forgone}",
                        project.id,
                        from.map_or_else(|| "?".to_string(), |d| d.to_string()),
                        to.map_or_else(|| "?".to_string(), |d| d.to_string()),
                    ),
                )
                .with_hint("to keep it where it was, raise that year's `budget capital`, or give it a lower `priority` number than the work you would rather move")
            }
            Note::CannotFit(d) => d,
        });
    }
    diagnostics.extend(found);
    (held, Some(analysis), diagnostics)
}

/// What levelling did, said once the last analysis is known.
enum Note {
    /// Project `0` moved out of year `1` (its label); it started on `2` before.
    Moved(usize, String, Option<NaiveDate>),
    CannotFit(Diagnostic),
}

/// Each project's cashable savings over the appraisal period.
fn savings(analysis: &Analysis) -> Vec<Money> {
    analysis
        .finance
        .projects
        .iter()
        .map(|p| p.total.savings)
        .collect()
}

/// The earliest year whose capital is over its budget, and by how much, of the years not
/// given up.
fn first_over(analysis: &Analysis, given_up: &[FinancialYear]) -> Option<(FinancialYear, Money)> {
    analysis
        .finance
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::CapitalBudget && !c.met && !given_up.contains(&c.year))
        .map(|c| (c.year, Money(c.actual.0 - c.limit.0)))
        .min_by_key(|(year, _)| *year)
}

/// The project to move out of `year`: not started, with capital in the year; the least
/// priority of them.
fn to_move(portfolio: &Portfolio, analysis: &Analysis, year: FinancialYear) -> Option<usize> {
    let index = analysis.finance.years.iter().position(|y| *y == year)?;
    portfolio
        .projects
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            p.progress().actual_start.is_none()
                && analysis
                    .finance
                    .projects
                    .get(*i)
                    .and_then(|profile| profile.yearly.get(index))
                    .is_some_and(|a| a.capital.0 > 0)
        })
        .max_by_key(|(i, p)| {
            let float = analysis
                .schedule
                .projects
                .get(*i)
                .map_or(0, |t| t.total_float_days);
            // Least priority: the highest number, none above all; then most float; then last.
            (p.priority().map_or(u64::MAX, u64::from), float, *i)
        })
        .map(|(i, _)| i)
}

fn cannot_fit(portfolio: &Portfolio, year: FinancialYear, over: Money) -> Diagnostic {
    let span = portfolio
        .budgets
        .iter()
        .find(|b| b.year == year && b.kind == crate::model::BudgetKind::Capital)
        .map_or(portfolio.span, |b| b.span);
    Diagnostic::new(
        Code::W076BudgetCannotBeMet,
        span,
        format!(
            "levelling cannot bring {} capital within its budget: it stays {over} over, and no work left in that year can be moved (it has started, or has been moved already)",
            year_label(year, portfolio)
        ),
    )
    .with_hint("raise the year's `budget capital`, or take work out of the plan")
}

/// The first day of financial year `year`.
fn year_start(year: FinancialYear, portfolio: &Portfolio) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.0, portfolio.financial_year_start, 1)
}

fn year_label(year: FinancialYear, portfolio: &Portfolio) -> String {
    crate::finance::year_label(year, portfolio.financial_year_start)
}

/// The `project` keyword of a project's declaration.
fn head(project: &crate::model::Project) -> crate::diagnostic::Span {
    project.span.head("project".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a move forgoes (W075) is the same whatever detail of the money the caller keeps:
    /// `report` and `finance` keep only the groups (`Detail::GroupsOnly`), and levelled that
    /// way W075 said a moved project forwent all its savings (£968,548.38 here, where the hand-
    /// worked figure is £100,268.82). Found by issue 25 when `finance` began to keep only the
    /// groups.
    #[test]
    fn what_a_move_forgoes_does_not_depend_on_the_money_kept() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/schedule/levelling_to_the_budget.tranche"
        ))
        .expect("the levelling fixture");
        let checked = crate::source::check_text(&text);
        let portfolio = checked.portfolio.expect("the fixture validates");
        let said = |detail: Detail| -> Vec<String> {
            let (_, analysis, diagnostics) = level_to_budgets(&portfolio, detail, false);
            let analysis = analysis.expect("the fixture schedules");
            let kept = analysis.finance.projects.len();
            match detail {
                Detail::Full | Detail::ProjectYearsOnly => {
                    assert_eq!(kept, portfolio.projects.len());
                }
                Detail::GroupsOnly | Detail::ChecksOnly => assert_eq!(kept, 0, "{detail:?}"),
            }
            diagnostics
                .iter()
                .filter(|d| d.code == Code::W075MovedForBudget)
                .map(|d| d.message.clone())
                .collect()
        };
        let full = said(Detail::Full);
        assert_eq!(full.len(), 1, "{full:?}");
        assert!(full[0].contains("fall by £100,268.82"), "{full:?}");
        for detail in [
            Detail::ProjectYearsOnly,
            Detail::GroupsOnly,
            Detail::ChecksOnly,
        ] {
            assert_eq!(said(detail), full, "{detail:?}");
        }
    }
}
