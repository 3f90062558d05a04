//! Renderers of `tranche select` (a [`Selection`]): the chosen set, what was left out and why,
//! and the efficient frontier, as aligned text, Markdown or JSON (docs/json.md). The committee
//! report prints the same tables ([`tables`]).
//!
//! Invariant: the figures are the selection's; scores are shown in points to two decimals.

use std::fmt::Write as _;

use crate::money::{Money, MoneyScale};
use crate::report::text::{Cell, Column, Table, escape_markdown};
use crate::select::Selection;

/// The output format of `tranche select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for people.
    Table,
    /// Markdown, for papers to a Board.
    #[value(name = "md")]
    Markdown,
    /// JSON, schema in docs/json.md.
    Json,
}

/// Renders the selection in `format`, money shown at `money`.
pub fn render(selection: &Selection, money: MoneyScale, format: Format) -> String {
    if format == Format::Json {
        let mut out = serde_json::to_string_pretty(selection)
            .unwrap_or_else(|e| panic!("a Selection always serialises: {e}"));
        out.push('\n');
        return out;
    }
    let markdown = format == Format::Markdown;
    let mut out = if markdown {
        format!("# Selection: {}\n\n", escape_markdown(&selection.title))
    } else {
        format!("Selection: {}\n", selection.title)
    };
    let _ = writeln!(out, "{}", summary(selection));
    for table in tables(selection, money) {
        out.push('\n');
        if markdown {
            let _ = writeln!(out, "## {}\n", table.caption);
            out.push_str(&table.markdown_aligned());
        } else {
            let _ = writeln!(out, "{}", table.caption);
            out.push_str(&table.plain());
        }
    }
    out
}

/// One line on what was chosen, against which budgets, and whether it is proven best.
pub(crate) fn summary(selection: &Selection) -> String {
    let budgets = match selection.budgets {
        crate::select::Budgets::Capital => "capital budgets",
        crate::select::Budgets::Revenue => "revenue budgets",
        crate::select::Budgets::Both => "capital and revenue budgets",
    };
    let weights: Vec<String> = selection
        .criteria
        .iter()
        .map(|c| format!("{} {}", c.name, c.weight))
        .collect();
    let criteria = if weights.is_empty() {
        "no criteria declared, so every project scores 0".to_string()
    } else {
        format!("criteria {}", weights.join(", "))
    };
    let within = if selection.budget_rows == 0 {
        let none = match selection.budgets {
            crate::select::Budgets::Capital => "capital budget",
            crate::select::Budgets::Revenue => "revenue budget",
            crate::select::Budgets::Both => "capital or revenue budget",
        };
        format!("the plan sets no {none} to keep")
    } else {
        format!("within every year's {budgets}")
    };
    let mut text = match (&selection.best, &selection.infeasible) {
        (Some(best), _) => format!(
            "best weighted score {} for {} of capital, {within}; {criteria}",
            points(best.score),
            best.capital
        ),
        (None, Some(why)) => format!("no selection fits: {why}"),
        (None, None) => "no selection fits".to_string(),
    };
    if !selection.proven {
        text.push_str(
            "; the search stopped at its limit: this is the best found, not proven the best",
        );
    }
    if selection.frontier_cut {
        let _ = write!(
            text,
            "; the frontier shows its {} most costly points",
            selection.frontier.len()
        );
    }
    text
}

/// A weighted score in points, to two decimals (it is held in hundredths).
pub(crate) fn points(score: i64) -> String {
    format!("{}.{:02}", score / 100, (score % 100).abs())
}

/// The chosen set, what was left out (when anything was), and the frontier.
pub(crate) fn tables(selection: &Selection, money: MoneyScale) -> Vec<Table> {
    let mut chosen = Table::new(
        "Chosen projects",
        vec![
            Column::text("project"),
            Column::number("score"),
            Column::number("capital"),
            Column::text("mandatory"),
        ],
    )
    .in_money(money);
    if let Some(best) = &selection.best {
        for p in &best.projects {
            chosen.push(vec![
                Cell::named(&p.title, &p.id),
                Cell::Text(points(p.score)),
                money_cell(p.capital),
                // Work already begun is in as surely as mandatory work, and says why.
                if p.started && !p.mandatory {
                    Cell::Text("Started".to_string())
                } else {
                    Cell::Flag(p.mandatory)
                },
            ]);
        }
    }
    let mut left = Table::new(
        "Left out, and why",
        vec![Column::text("project"), Column::text("why")],
    );
    for p in &selection.left_out {
        left.push(vec![
            Cell::named(&p.title, &p.id),
            Cell::Text(p.reason.clone()),
        ]);
    }
    let mut frontier = Table::new(
        "Efficient frontier: the best score for each total capital",
        vec![
            Column::number("capital"),
            Column::number("best score"),
            Column::number("projects"),
        ],
    )
    .in_money(money);
    for point in &selection.frontier {
        frontier.push(vec![
            money_cell(point.capital),
            Cell::Text(points(point.score)),
            Cell::Text(point.projects.to_string()),
        ]);
    }
    // With every project chosen nothing is left out: no table of nothing.
    if selection.left_out.is_empty() {
        vec![chosen, frontier]
    } else {
        vec![chosen, left, frontier]
    }
}

fn money_cell(amount: Money) -> Cell {
    Cell::Money {
        text: amount.to_string(),
        negative: amount.0 < 0,
        pence: amount.0,
    }
}
