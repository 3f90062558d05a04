//! Renderers of a [`RiskSummary`]: an aligned text table for people, Markdown for papers to a
//! Board, and JSON (schema in docs/risk.md). Each is a pure function returning the whole
//! output as a `String`; the cli writes it.
//!
//! Invariant: renderers format figures already in the summary and compute none (beyond turning
//! a share into a percentage), so the three formats never disagree on a number.

use super::{DateRisk, Distribution, MoneyRisk, RiskSummary};

/// The output format of `tranche risk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    Table,
    /// JSON, schema in docs/risk.md.
    Json,
    /// Markdown tables, for papers to a Board.
    #[value(name = "md")]
    Markdown,
}

/// Renders the summary in `format`.
pub fn render(summary: &RiskSummary, format: Format) -> String {
    match format {
        Format::Table => text(summary, Style::Plain),
        Format::Markdown => text(summary, Style::Markdown),
        Format::Json => json(summary),
    }
}

/// The summary as pretty JSON with a trailing newline.
pub fn json(summary: &RiskSummary) -> String {
    let mut out = serde_json::to_string_pretty(summary)
        .unwrap_or_else(|e| panic!("a RiskSummary always serialises: {e}"));
    out.push('\n');
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Markdown,
}

fn text(s: &RiskSummary, style: Style) -> String {
    let mut out = String::new();
    let heading = |out: &mut String, title: &str| match style {
        Style::Plain => {
            out.push_str(title);
            out.push('\n');
        }
        Style::Markdown => {
            out.push_str("## ");
            out.push_str(title);
            out.push_str("\n\n");
        }
    };
    let distribution = match s.distribution {
        Distribution::Pert => "Beta-PERT",
        Distribution::Triangular => "triangular",
    };
    match style {
        Style::Plain => out.push_str(&format!("Risk: {}\n", s.title)),
        Style::Markdown => out.push_str(&format!("# Risk: {}\n\n", s.title)),
    }
    out.push_str(&format!(
        "{} iterations, seed {}, {distribution} distribution; {} sampled, {} sampled\n\n",
        thousands(u64::from(s.iterations)),
        s.seed,
        count(s.uncertain_durations, "duration"),
        count(s.uncertain_savings, "saving"),
    ));

    heading(&mut out, "Dates");
    let mut rows = vec![cells(&["", "planned", "P10", "P50", "P80", "P90"])];
    rows.push(date_row("portfolio finish", &s.finish));
    for m in &s.milestones {
        rows.push(date_row(&format!("milestone `{}`", m.id), &m.date));
    }
    out.push_str(&table(&rows, style));
    // A list in Markdown, so the two lines stay two lines.
    let bullet = match style {
        Style::Plain => "",
        Style::Markdown => {
            out.push('\n');
            "- "
        }
    };
    out.push_str(&format!(
        "{bullet}chance of finishing by the planned finish, {}: {}\n",
        s.finish.planned,
        percent(s.finish_by_planned)
    ));
    out.push_str(&format!(
        "{bullet}chance of finishing by the end of the plan, {}: {}\n",
        s.end,
        percent(s.finish_by_end)
    ));
    out.push('\n');

    if !s.deadlines.is_empty() {
        heading(&mut out, "Deadlines");
        let mut rows = vec![cells(&[
            "", "deadline", "planned", "P50", "P80", "P90", "on time",
        ])];
        for d in &s.deadlines {
            rows.push(vec![
                format!("{} `{}`", d.kind, d.id),
                d.deadline.to_string(),
                d.finish.planned.to_string(),
                d.finish.p50.to_string(),
                d.finish.p80.to_string(),
                d.finish.p90.to_string(),
                percent(d.probability),
            ]);
        }
        out.push_str(&table(&rows, style));
        out.push('\n');
    }

    if !s.targets.is_empty() {
        heading(&mut out, "Savings targets");
        let mut rows = vec![cells(&[
            "year", "target", "planned", "P10", "P50", "P90", "met",
        ])];
        for t in &s.targets {
            rows.push(vec![
                t.year.clone(),
                t.amount.to_string(),
                t.savings.planned.to_string(),
                t.savings.p10.to_string(),
                t.savings.p50.to_string(),
                t.savings.p90.to_string(),
                percent(t.probability),
            ]);
        }
        out.push_str(&table(&rows, style));
        out.push('\n');
    }

    heading(&mut out, "Net present value (cashable)");
    let mut rows = vec![cells(&["", "planned", "P10", "P50", "P80", "P90", "mean"])];
    rows.push(money_row("NPV", &s.npv));
    out.push_str(&table(&rows, style));
    out.push('\n');

    heading(&mut out, "Risk drivers");
    if s.tornado.is_empty() {
        out.push_str("no project has a duration range wider than a day, so none drives the risk\n");
    } else {
        let mut rows = vec![cells(&[
            "project",
            "cruciality",
            "criticality",
            "low",
            "likely",
            "high",
            "mean",
        ])];
        for bar in &s.tornado {
            let duration = s
                .projects
                .iter()
                .find(|p| p.id == bar.id)
                .and_then(|p| p.duration);
            let days = |d: Option<u32>| d.map_or_else(String::new, |d| format!("{d}d"));
            rows.push(vec![
                format!("`{}`", bar.id),
                format!("{:+.2}", bar.cruciality),
                percent(bar.criticality),
                days(duration.map(|d| d.low_days)),
                days(duration.map(|d| d.likely_days)),
                days(duration.map(|d| d.high_days)),
                duration.map_or_else(String::new, |d| format!("{:.1}d", d.mean_days)),
            ]);
        }
        out.push_str(&table(&rows, style));
    }
    // Work without a range can still be critical; the Board should see it too.
    let fixed: Vec<_> = s
        .projects
        .iter()
        .filter(|p| p.duration.is_none() && p.criticality > 0.0)
        .collect();
    if !fixed.is_empty() {
        out.push('\n');
        let mut rows = vec![cells(&["fixed-duration project", "criticality"])];
        for p in fixed {
            rows.push(vec![format!("`{}`", p.id), percent(p.criticality)]);
        }
        out.push_str(&table(&rows, style));
    }
    out
}

fn cells(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

fn date_row(label: &str, d: &DateRisk) -> Vec<String> {
    vec![
        label.to_owned(),
        d.planned.to_string(),
        d.p10.to_string(),
        d.p50.to_string(),
        d.p80.to_string(),
        d.p90.to_string(),
    ]
}

fn money_row(label: &str, m: &MoneyRisk) -> Vec<String> {
    vec![
        label.to_owned(),
        m.planned.to_string(),
        m.p10.to_string(),
        m.p50.to_string(),
        m.p80.to_string(),
        m.p90.to_string(),
        m.mean.to_string(),
    ]
}

/// A share as a percentage with one decimal: `81.2%`.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `10,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first row is the header. Plain: first column left-aligned, the rest right-aligned, two
/// spaces apart, backticks dropped. Markdown: a pipe table.
fn table(rows: &[Vec<String>], style: Style) -> String {
    let rows: Vec<Vec<String>> = match style {
        Style::Plain => rows
            .iter()
            .map(|r| r.iter().map(|c| c.replace('`', "")).collect())
            .collect(),
        Style::Markdown => rows.to_vec(),
    };
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (c, (cell, width)) in r.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
            match style {
                Style::Plain if c == 0 => {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
                Style::Plain => {
                    line.push_str("  ");
                    line.push_str(&pad);
                    line.push_str(cell);
                }
                Style::Markdown if c == 0 => {
                    line.push_str("| ");
                    line.push_str(cell);
                    line.push_str(&pad);
                    line.push_str(" |");
                }
                Style::Markdown => {
                    line.push(' ');
                    line.push_str(&pad);
                    line.push_str(cell);
                    line.push_str(" |");
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if style == Style::Markdown && i == 0 {
            let mut rule = String::new();
            for (c, width) in widths.iter().enumerate() {
                let width = (*width).max(3);
                if c == 0 {
                    rule.push_str(&format!("| {} |", "-".repeat(width)));
                } else {
                    // Right-aligned, as in the plain table.
                    rule.push_str(&format!(" {}: |", "-".repeat(width - 1)));
                }
            }
            out.push_str(&rule);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn markdown_tables_have_a_rule_and_right_aligned_numbers() {
        let rows = vec![cells(&["", "P50"]), cells(&["`x`", "1"])];
        assert_eq!(
            table(&rows, Style::Markdown),
            "|     | P50 |\n| --- | --: |\n| `x` |   1 |\n"
        );
        assert_eq!(table(&rows, Style::Plain), "   P50\nx    1\n");
    }
}
