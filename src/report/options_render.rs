//! Renderers of `tranche options` (a [`Comparison`]): a table with a column per option, as
//! aligned text, Markdown, an HTML page, or JSON (docs/json.md). The committee report's options
//! section prints the same table ([`table`]).
//!
//! Invariant: the figures are the comparison's; nothing is computed here but the count of
//! targets and budgets met.

use std::fmt::Write as _;

use crate::finance::CheckKind;
use crate::money::{Money, MoneyScale};
use crate::options::{Column as OptionColumn, Comparison, YearMoney};
use crate::report::text::{Cell, Column, Table, escape_html, escape_markdown};

/// The output format of `tranche options`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for people.
    Table,
    /// Markdown, for papers to a Board.
    #[value(name = "md")]
    Markdown,
    /// JSON, schema in docs/json.md.
    Json,
    /// A self-contained HTML page.
    Html,
}

/// Renders the comparison in `format`, money shown at `money`.
pub fn render(comparison: &Comparison, money: MoneyScale, format: Format) -> String {
    let table = table(comparison, money);
    let removed = removed(comparison);
    match format {
        Format::Json => {
            let mut out = serde_json::to_string_pretty(comparison)
                .unwrap_or_else(|e| panic!("a Comparison always serialises: {e}"));
            out.push('\n');
            out
        }
        Format::Table => {
            let mut out = format!("Options: {}\n{}\n\n", comparison.title, note(comparison));
            for (id, title) in titles(comparison) {
                let _ = writeln!(out, "{id}: {title}");
            }
            out.push('\n');
            out.push_str(&table.plain());
            if !removed.is_empty() {
                out.push_str("\nWhat each option removed\n");
                for (id, items) in &removed {
                    let _ = writeln!(out, "{id}:");
                    for item in items {
                        let _ = writeln!(out, "  {item}");
                    }
                }
            }
            out
        }
        Format::Markdown => {
            let mut out = format!(
                "# Options: {}\n\n{}\n\n",
                escape_markdown(&comparison.title),
                note(comparison)
            );
            out.push_str(&markdown_titles(comparison));
            out.push_str(&table.markdown_aligned());
            out.push_str(&markdown_removed(&removed));
            out
        }
        Format::Html => {
            let head = escape_html(&format!("Options: {}", comparison.title));
            let mut out = format!(
                "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{head}</title>\n<style>body{{font-family:sans-serif;max-width:1200px;margin:1em auto;padding:0 1em}}table{{border-collapse:collapse;margin:0 0 1.5em}}th,td{{border:1px solid #bbb;padding:.2em .5em}}.num{{text-align:right}}.negative{{color:#b00}}</style>\n</head>\n<body>\n<h1>{head}</h1>\n<p>{}</p>\n",
                escape_html(&note(comparison))
            );
            out.push_str(&html_body(comparison, &table, &removed));
            out.push_str("</body>\n</html>\n");
            out
        }
    }
}

/// What the incremental figures are relative to.
pub(crate) fn note(comparison: &Comparison) -> String {
    match &comparison.baseline {
        Some(base) => format!(
            "Incremental NPV and benefit-cost ratio are relative to the baseline option `{base}`: costs with any optimism bias, and the financial years over at the status date left out as sunk (docs/options.md)."
        ),
        None => "No scenario is marked `baseline-option`, so there are no incremental figures."
            .to_string(),
    }
}

/// The options' titles, the table and the list of what each option removed, as HTML (for the
/// page and the report).
pub(crate) fn html_body(
    comparison: &Comparison,
    table: &Table,
    removed: &[(String, Vec<String>)],
) -> String {
    let mut out = String::from("<dl class=\"options\">\n");
    for (id, title) in titles(comparison) {
        let _ = writeln!(
            out,
            "<dt><code>{}</code></dt><dd>{}</dd>",
            escape_html(&id),
            escape_html(&title)
        );
    }
    out.push_str("</dl>\n");
    out.push_str(&table.html(true));
    if !removed.is_empty() {
        out.push_str("<h2>What each option removed</h2>\n<ul>\n");
        for (id, items) in removed {
            let _ = write!(out, "<li><code>{}</code><ul>", escape_html(id));
            for item in items {
                let _ = write!(out, "<li>{}</li>", escape_html(item));
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ul>\n");
    }
    out
}

/// Each option's id and title, as a Markdown list.
pub(crate) fn markdown_titles(comparison: &Comparison) -> String {
    let mut out = String::new();
    for (id, title) in titles(comparison) {
        let _ = writeln!(out, "- `{id}`: {}", escape_markdown(&title));
    }
    out.push('\n');
    out
}

/// What each option removed, as Markdown.
pub(crate) fn markdown_removed(removed: &[(String, Vec<String>)]) -> String {
    let mut out = String::new();
    if !removed.is_empty() {
        out.push_str("\n**What each option removed**\n\n");
        for (id, items) in removed {
            let _ = writeln!(out, "- `{id}`");
            for item in items {
                let _ = writeln!(out, "  - {}", escape_markdown(item));
            }
        }
    }
    out
}

/// Each option that removed anything: its items grouped by why, in the plan's order within
/// each reason (`removed: a, b`; `removed because `a` went: c`).
pub(crate) fn removed(comparison: &Comparison) -> Vec<(String, Vec<String>)> {
    comparison
        .columns
        .iter()
        .filter(|c| !c.removed.is_empty())
        .map(|c| {
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for item in &c.removed {
                match groups.iter_mut().find(|(reason, _)| *reason == item.reason) {
                    Some((_, ids)) => ids.push(&item.id),
                    None => groups.push((&item.reason, vec![&item.id])),
                }
            }
            let items = groups
                .into_iter()
                .map(|(reason, ids)| format!("{reason}: {}", ids.join(", ")))
                .collect();
            (c.id.clone(), items)
        })
        .collect()
}

/// Each option's id and title, in the table's order: the table's headers are the ids.
pub(crate) fn titles(comparison: &Comparison) -> Vec<(String, String)> {
    comparison
        .columns
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect()
}

/// The options side by side: a row per measure, a column per option.
pub(crate) fn table(comparison: &Comparison, money: MoneyScale) -> Table {
    let mut columns = vec![Column::text("")];
    for option in &comparison.columns {
        let header = if option.baseline {
            format!("{} (baseline)", option.id)
        } else {
            option.id.clone()
        };
        columns.push(Column::number_named(header));
    }
    let mut table = Table::new("Options", columns).in_money(money);
    let options = &comparison.columns;
    let row = |label: String, cell: &dyn Fn(&OptionColumn) -> Cell| -> Vec<Cell> {
        std::iter::once(Cell::Text(label))
            .chain(options.iter().map(cell))
            .collect()
    };
    table.push(row("finish".into(), &|c| Cell::Text(c.finish.to_string())));
    if options.iter().any(|c| c.p80_finish.is_some()) {
        table.push(row("P80 finish".into(), &|c| {
            c.p80_finish
                .map_or(Cell::Missing, |d| Cell::Text(d.to_string()))
        }));
    }
    let measures: [(&str, Figure); 5] = [
        ("capital", |y| y.capital),
        ("optimism bias", |y| y.optimism_bias),
        ("revenue", |y| y.revenue),
        ("savings", |y| y.savings),
        ("benefits", |y| y.benefits),
    ];
    for (name, figure) in measures {
        for (i, year) in comparison.years.iter().enumerate() {
            // A year in which no option has this kind of money is left out, so a ten-year
            // appraisal of savings does not bring ten rows of capital with it.
            let any = options
                .iter()
                .any(|c| c.years.get(i).is_some_and(|y| figure(y).0 != 0));
            if !any {
                continue;
            }
            table.push(row(format!("{name} {year}"), &|c| {
                c.years
                    .get(i)
                    .map_or(Cell::Missing, |y| money_cell(figure(y)))
            }));
        }
    }
    table.push(row("NPV".into(), &|c| money_cell(c.npv)));
    if comparison.baseline.is_some() {
        table.push(row("NPV against baseline".into(), &|c| {
            c.incremental
                .as_ref()
                .map_or(Cell::Missing, |i| money_cell(i.npv))
        }));
        table.push(row("BCR against baseline".into(), &|c| {
            c.incremental
                .as_ref()
                .and_then(|i| i.benefit_cost_ratio)
                .map_or(Cell::Missing, |r| Cell::Text(format!("{r:.2}")))
        }));
    }
    table.push(row("targets met".into(), &|c| {
        met(c, |k| k == CheckKind::SavingsTarget)
    }));
    table.push(row("budgets met".into(), &|c| {
        met(c, |k| k != CheckKind::SavingsTarget)
    }));
    // Items: projects, milestones and programmes (the list after the table says which).
    table.push(row("items removed".into(), &|c| {
        Cell::Text(c.removed.len().to_string())
    }));
    table
}

/// One kind of a year's money.
type Figure = fn(&YearMoney) -> Money;

/// `2 of 3` targets (or budgets) met, naming the years missed: `1 of 2 (not 2022/23)`, and
/// a missed target whose shortfall the plan accepts as such: `(not 2021/22 accepted)`.
fn met(column: &OptionColumn, kind: impl Fn(CheckKind) -> bool) -> Cell {
    let checks: Vec<_> = column.checks.iter().filter(|c| kind(c.kind)).collect();
    if checks.is_empty() {
        return Cell::Missing;
    }
    let met = checks.iter().filter(|c| c.met).count();
    let missed: Vec<String> = checks
        .iter()
        .filter(|c| !c.met)
        .map(|c| match (&c.accepted, c.met) {
            (Some(_), false) => format!("{} accepted", c.year),
            _ => c.year.clone(),
        })
        .collect();
    let mut text = format!("{met} of {}", checks.len());
    if !missed.is_empty() {
        let _ = write!(text, " (not {})", missed.join(", "));
    }
    Cell::Text(text)
}

fn money_cell(amount: Money) -> Cell {
    Cell::Money {
        text: amount.to_string(),
        negative: amount.0 < 0,
        pence: amount.0,
    }
}
