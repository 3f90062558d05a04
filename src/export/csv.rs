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

use std::io::{self, Write};

use super::work_in_order;
use crate::analysis::Analysis;
use crate::finance::ProjectYears;
use crate::model::{ItemId, Portfolio};
// Cells follow the one CSV rule of the schedule CSV (quoted where needed, formulas defused).
use crate::report::text::write_csv_field;
use crate::report::{csv_header, write_csv_date, write_csv_timing};

/// The columns before and after the schedule's (`report::CSV_TIMING_COLUMNS`, shared with the
/// schedule CSV).
const PROJECT_COLUMNS: [&str; 7] = [
    "id",
    "title",
    "programme",
    "theme",
    "owner",
    "start",
    "finish",
];
const PROGRESS_AND_MONEY_COLUMNS: [&str; 10] = [
    "actual_start",
    "actual_finish",
    "complete_percent",
    "capital",
    "optimism_bias",
    "revenue",
    "savings",
    "benefits",
    "net_cashable",
    "npv",
];

pub(crate) fn render(portfolio: &Portfolio, analysis: &Analysis) -> String {
    crate::report::to_string(|mut sink| write(&mut sink, portfolio, analysis))
}

/// [`render`], written to `out` a cell at a time. At 100k projects, a `String` a cell (and
/// a `Vec` and a `join` a row) was most of the time; now nothing is allocated for a row
/// unless a cell needs quoting or a project has a percentage complete.
pub(crate) fn write<W: Write>(
    out: &mut W,
    portfolio: &Portfolio,
    analysis: &Analysis,
) -> io::Result<()> {
    let header = csv_header(&PROJECT_COLUMNS, &PROGRESS_AND_MONEY_COLUMNS);
    out.write_all(header.as_bytes())?;
    out.write_all(b"\r\n")?;
    let mut numbers = itoa::Buffer::new();
    // Each project's money is worked out as its row is written and let go: kept for every
    // project until the end, it was a third of the command's peak (docs/benchmarks.md).
    let mut project_money = ProjectYears::new(
        portfolio,
        &analysis.schedule,
        &analysis.calendars,
        &analysis.finance,
    );
    for (item, t) in work_in_order(portfolio, &analysis.schedule) {
        let ItemId::Project(p) = item else { continue };
        let Some(project) = portfolio.projects.get(p.0 as usize) else {
            continue;
        };
        let money = project_money.profile(p.0 as usize);
        let total = money.as_ref().map(|m| m.total).unwrap_or_default();
        let programme = project
            .programme
            .and_then(|g| portfolio.programmes.get(g.0 as usize))
            .map_or("", |g| g.id.as_str());
        let theme = project
            .theme
            .and_then(|th| portfolio.themes.get(th.0 as usize))
            .map_or("", |th| th.id.as_str());
        for text in [
            project.id.as_str(),
            &project.title,
            programme,
            theme,
            project.owner().unwrap_or_default(),
        ] {
            write_csv_field(out, text)?;
            out.write_all(b",")?;
        }
        write_csv_date(out, Some(t.start))?;
        out.write_all(b",")?;
        write_csv_date(out, Some(t.finish))?;
        let baseline = project.baseline();
        let baseline = [baseline.map(|b| b.start), baseline.map(|b| b.finish)];
        write_csv_timing(out, &mut numbers, t, baseline)?;
        out.write_all(b",")?;
        write_csv_date(out, project.progress().actual_start.map(|d| d.date))?;
        out.write_all(b",")?;
        write_csv_date(out, project.progress().actual_finish.map(|d| d.date))?;
        out.write_all(b",")?;
        if project.progress().actual_finish.is_some() {
            out.write_all(b"100")?;
        } else if let Some(complete) = project.progress().complete {
            write_csv_field(out, complete.to_string().trim_end_matches('%'))?;
        }
        for pence in [
            total.capital.pence(),
            total.optimism_bias.pence(),
            total.revenue.pence(),
            total.savings.pence(),
            total.benefits.pence(),
            total.net_cashable.pence(),
        ] {
            out.write_all(b",")?;
            write_decimal(out, &mut numbers, pence)?;
        }
        out.write_all(b",")?;
        if let Some(money) = &money {
            write_decimal(out, &mut numbers, money.appraisal.npv.pence())?;
        }
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

/// `£1,234.50` as `1234.50`: pence as a plain decimal number that spreadsheets take as it
/// is, exactly; never quoted.
fn write_decimal<W: Write>(out: &mut W, numbers: &mut itoa::Buffer, pence: i64) -> io::Result<()> {
    if pence < 0 {
        out.write_all(b"-")?;
    }
    let abs = pence.unsigned_abs();
    out.write_all(numbers.format(abs / 100).as_bytes())?;
    let cents = (abs % 100) as u8;
    out.write_all(&[b'.', b'0' + cents / 10, b'0' + cents % 10])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_pence() {
        let text = |pence: i64| {
            let mut out = Vec::new();
            write_decimal(&mut out, &mut itoa::Buffer::new(), pence)
                .unwrap_or_else(|e| panic!("writing to a Vec: {e}"));
            String::from_utf8(out).unwrap_or_else(|e| panic!("digits are ASCII: {e}"))
        };
        assert_eq!(text(0), "0.00");
        assert_eq!(text(123_450), "1234.50");
        assert_eq!(text(-5), "-0.05");
        assert_eq!(text(-123_456), "-1234.56");
        assert_eq!(text(i64::MAX), "92233720368547758.07");
        assert_eq!(text(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn cells_that_need_no_quoting_are_written_as_they_are() {
        for text in [
            "plain",
            "",
            "-12.50",
            "-rm",
            "=1",
            "a, b",
            "say \"hi\"",
            "2024-01-02",
        ] {
            let mut out = Vec::new();
            write_csv_field(&mut out, text).unwrap_or_else(|e| panic!("writing to a Vec: {e}"));
            assert_eq!(out, crate::report::text::csv_field(text).as_bytes());
        }
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        let field = crate::report::text::csv_field;
        assert_eq!(field("plain"), "plain");
        assert_eq!(
            field("Front door, early help"),
            "\"Front door, early help\""
        );
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1200.50"), "-1200.50");
        assert_eq!(field("-rm"), "\"'-rm\"");
        assert_eq!(field("-inf"), "\"'-inf\"");
    }
}
