//! One row per project for spreadsheets (RFC 4180, CRLF line ends).
//!
//! Input: a portfolio and its analysis. Output: a header and a row per project in the
//! author's order: where it sits (programme, theme, owner), tranche's schedule (dates,
//! duration, float, critical, baseline, slip, RAG, progress) and its money over the whole
//! profile (capital, optimism bias, revenue, savings, benefits, net cashable, NPV).
//!
//! Invariant: money is written as plain decimal pounds with two places (`1234.50`), exact from
//! pence, so Excel reads numbers it can add; no currency symbols or thousands separators.
//! Cells that a spreadsheet would run as a formula are defused.

use super::{Step, decimal, outline};
use crate::analysis::Analysis;
use crate::model::{ItemId, Portfolio};
use crate::schedule::Rag;

const HEADER: [&str; 24] = [
    "id",
    "title",
    "programme",
    "theme",
    "owner",
    "start",
    "finish",
    "duration_days",
    "total_float_days",
    "free_float_days",
    "critical",
    "baseline_start",
    "baseline_finish",
    "slip_days",
    "rag",
    "actual_start",
    "actual_finish",
    "complete_percent",
    "capital",
    "optimism_bias",
    "revenue",
    "savings",
    "benefits",
    "net_cashable",
];

pub(crate) fn render(portfolio: &Portfolio, analysis: &Analysis) -> String {
    let mut out = HEADER.join(",");
    out.push_str(",npv\r\n");
    for step in outline(portfolio) {
        let Step::Work {
            item: ItemId::Project(p),
            ..
        } = step
        else {
            continue;
        };
        let (Some(project), Some(t)) = (
            portfolio.projects.get(p.0 as usize),
            analysis.schedule.projects.get(p.0 as usize),
        ) else {
            continue;
        };
        let money = analysis.finance.projects.get(p.0 as usize);
        let total = money.map(|m| m.total).unwrap_or_default();
        let opt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let programme = project
            .programme
            .and_then(|g| portfolio.programmes.get(g.0 as usize))
            .map(|g| g.id.clone())
            .unwrap_or_default();
        let theme = project
            .theme
            .and_then(|th| portfolio.themes.get(th.0 as usize))
            .map(|th| th.id.clone())
            .unwrap_or_default();
        let complete = if project.progress.actual_finish.is_some() {
            "100".to_string()
        } else {
            project
                .progress
                .complete
                .map(|c| c.to_string().trim_end_matches('%').to_string())
                .unwrap_or_default()
        };
        let fields = [
            project.id.clone(),
            project.title.clone(),
            programme,
            theme,
            project.owner.clone().unwrap_or_default(),
            t.start.to_string(),
            t.finish.to_string(),
            t.duration_days.to_string(),
            t.total_float_days.to_string(),
            t.free_float_days.to_string(),
            t.critical.to_string(),
            opt(project.baseline.map(|b| b.start)),
            opt(project.baseline.map(|b| b.finish)),
            t.slip_days.map(|s| s.to_string()).unwrap_or_default(),
            match t.rag {
                Some(Rag::Green) => "green",
                Some(Rag::Amber) => "amber",
                Some(Rag::Red) => "red",
                None => "",
            }
            .to_string(),
            opt(project.progress.actual_start.map(|d| d.date)),
            opt(project.progress.actual_finish.map(|d| d.date)),
            complete,
            decimal(total.capital.pence()),
            decimal(total.optimism_bias.pence()),
            decimal(total.revenue.pence()),
            decimal(total.savings.pence()),
            decimal(total.benefits.pence()),
            decimal(total.net_cashable.pence()),
            money
                .map(|m| decimal(m.appraisal.npv.pence()))
                .unwrap_or_default(),
        ];
        let cells: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV cell, quoted when it must be; a cell starting `=`, `+`, `@` (or `-` followed by
/// anything but a number) would run as a formula in a spreadsheet, so it is quoted and
/// prefixed with `'`.
fn field(text: &str) -> String {
    let number = text.parse::<f64>().is_ok();
    let risky = text.starts_with(['=', '+', '@']) || (text.starts_with('-') && !number);
    if risky {
        return format!("\"'{}\"", text.replace('"', "\"\""));
    }
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(
            field("Front door, early help"),
            "\"Front door, early help\""
        );
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1200.50"), "-1200.50");
        assert_eq!(field("-rm"), "\"'-rm\"");
    }
}
