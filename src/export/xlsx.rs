//! An Excel workbook for finance officers (issue 18): sheets Schedule, Milestones, Finance (by
//! financial year and by project, with totals as live `SUM` formulas), Targets and Diagnostics;
//! headers frozen, columns sized to fit, money as numbers in a `£` format, dates as dates.
//!
//! Input: a portfolio, its analysis and what was said about it. Output: the workbook's bytes.
//!
//! Invariants: the same plan gives the same bytes (the workbook's creation date is the plan's
//! as-of date, never the clock); every amount is the exact pence divided by 100 once, so a
//! reader that multiplies by 100 and rounds gets the pence back; a total's formula sums the
//! cells above it, and its cached value is the exact sum of their pence.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};

use chrono::{Datelike, NaiveDate};

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, SourceMap};
use crate::finance::{Amounts, CheckKind, year_label};
use crate::model::Portfolio;
use crate::money::Money;

/// How a money column is read from [`Amounts`].
type Read = fn(&Amounts) -> Money;

/// The money columns of the Finance sheet, in order, with how each is read.
const MONEY_COLUMNS: [(&str, Read); 6] = [
    ("capital", |a| a.capital),
    ("optimism bias", |a| a.optimism_bias),
    ("revenue", |a| a.revenue),
    ("savings", |a| a.savings),
    ("benefits", |a| a.benefits),
    ("net cashable", |a| a.net_cashable),
];

struct Formats {
    header: Format,
    date: Format,
    money: Format,
    total: Format,
}

/// The workbook of `portfolio`, or the writer's error (which a plan cannot cause: the sheets
/// are small and their names fixed).
pub fn render(
    portfolio: &Portfolio,
    analysis: &Analysis,
    diagnostics: &[Diagnostic],
    sources: Option<&SourceMap>,
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        money: Format::new().set_num_format("£#,##0.00;-£#,##0.00"),
        total: Format::new()
            .set_bold()
            .set_num_format("£#,##0.00;-£#,##0.00"),
    };
    let mut workbook = Workbook::new();
    let as_of = portfolio.status_date.unwrap_or(portfolio.start);
    let created = excel_date(as_of)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(portfolio.title.as_str())
            .set_creation_datetime(&created),
    );
    schedule(workbook.add_worksheet(), portfolio, analysis, &formats)?;
    milestones(workbook.add_worksheet(), portfolio, analysis, &formats)?;
    finance(workbook.add_worksheet(), portfolio, analysis, &formats)?;
    targets(workbook.add_worksheet(), analysis, &formats)?;
    findings(workbook.add_worksheet(), diagnostics, sources, &formats)?;
    workbook.save_to_buffer()
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year()).unwrap_or(1900);
    // Month and day are 1-12 and 1-31: they fit.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// A sheet's header: the first row, frozen so it stays in view.
fn header(sheet: &mut Worksheet, names: &[&str], formats: &Formats) -> Result<(), XlsxError> {
    header_row(sheet, 0, names, formats)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn header_row(
    sheet: &mut Worksheet,
    row: u32,
    names: &[&str],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, name) in (0u16..).zip(names) {
        sheet.write_string_with_format(row, col, *name, &formats.header)?;
    }
    Ok(())
}

fn date_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    date: Option<NaiveDate>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if let Some(date) = date {
        sheet.write_date_with_format(row, col, &excel_date(date)?, &formats.date)?;
    }
    Ok(())
}

/// Pounds as a number: the pence divided by 100, once.
fn pounds(money: Money) -> f64 {
    money.0 as f64 / 100.0
}

fn schedule(
    sheet: &mut Worksheet,
    portfolio: &Portfolio,
    analysis: &Analysis,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Schedule")?;
    header(
        sheet,
        &[
            "id",
            "title",
            "kind",
            "start",
            "finish",
            "duration (days)",
            "total float (days)",
            "free float (days)",
            "critical",
            "baseline finish",
            "slip (days)",
            "RAG",
        ],
        formats,
    )?;
    let schedule = &analysis.schedule;
    let projects = portfolio
        .projects
        .iter()
        .zip(&schedule.projects)
        .map(|(p, t)| {
            (
                p.id.as_str(),
                p.title.as_str(),
                "project",
                t,
                p.baseline().map(|b| b.finish),
            )
        });
    let milestones = portfolio
        .milestones
        .iter()
        .zip(&schedule.milestones)
        .map(|(m, t)| {
            (
                m.id.as_str(),
                m.title.as_str(),
                "milestone",
                t,
                m.baseline().map(|b| b.finish),
            )
        });
    let programmes = portfolio
        .programmes
        .iter()
        .zip(&schedule.programmes)
        .map(|(g, t)| (g.id.as_str(), g.title.as_str(), "programme", t, None));
    let rows = projects.chain(milestones).chain(programmes);
    for (row, (id, title, kind, timing, baseline)) in (1u32..).zip(rows) {
        sheet.write_string(row, 0, id)?;
        sheet.write_string(row, 1, title)?;
        sheet.write_string(row, 2, kind)?;
        date_cell(sheet, row, 3, Some(timing.start), formats)?;
        date_cell(sheet, row, 4, Some(timing.finish), formats)?;
        sheet.write_number(row, 5, timing.duration_days as f64)?;
        sheet.write_number(row, 6, timing.total_float_days as f64)?;
        sheet.write_number(row, 7, timing.free_float_days as f64)?;
        sheet.write_boolean(row, 8, timing.critical)?;
        date_cell(sheet, row, 9, baseline, formats)?;
        if let Some(slip) = timing.slip_days {
            sheet.write_number(row, 10, slip as f64)?;
        }
        if let Some(rag) = timing.rag {
            sheet.write_string(row, 11, rag.as_str())?;
        }
    }
    sheet.autofit();
    Ok(())
}

fn milestones(
    sheet: &mut Worksheet,
    portfolio: &Portfolio,
    analysis: &Analysis,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Milestones")?;
    header(
        sheet,
        &[
            "id", "title", "forecast", "baseline", "deadline", "critical",
        ],
        formats,
    )?;
    for ((m, t), row) in portfolio
        .milestones
        .iter()
        .zip(&analysis.schedule.milestones)
        .zip(1u32..)
    {
        sheet.write_string(row, 0, m.id.as_str())?;
        sheet.write_string(row, 1, m.title.as_str())?;
        date_cell(sheet, row, 2, Some(t.finish), formats)?;
        date_cell(sheet, row, 3, m.baseline().map(|b| b.finish), formats)?;
        date_cell(sheet, row, 4, m.deadline.map(|d| d.date), formats)?;
        sheet.write_boolean(row, 5, t.critical)?;
    }
    sheet.autofit();
    Ok(())
}

/// The column letter of a 0-based column (the sheets are narrower than 26 columns).
fn letter(col: u16) -> char {
    char::from(b'A' + u8::try_from(col % 26).unwrap_or(0))
}

/// A total row under `first..=last` (1-based rows as Excel counts): a `SUM` of each money
/// column, its cached value the exact sum of the pence above.
fn totals(
    sheet: &mut Worksheet,
    row: u32,
    first: u32,
    sums: &[Money],
    first_col: u16,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, 0, "total", &formats.header)?;
    for (col, sum) in (first_col..).zip(sums) {
        let c = letter(col);
        let formula = Formula::new(format!("=SUM({c}{first}:{c}{row})"))
            .set_result(format!("{}", pounds(*sum)));
        sheet.write_formula_with_format(row, col, formula, &formats.total)?;
    }
    Ok(())
}

/// The headers of a table of [`MONEY_COLUMNS`] after the columns `first` names.
fn money_header<'a>(first: &[&'a str]) -> Vec<&'a str> {
    let mut names = first.to_vec();
    names.extend(MONEY_COLUMNS.iter().map(|(name, _)| *name));
    names
}

/// The [`MONEY_COLUMNS`] of `amounts` in `row` from `first_col` on, each added to its
/// column's sum for the total row.
fn money_cells(
    sheet: &mut Worksheet,
    row: u32,
    first_col: u16,
    amounts: &Amounts,
    sums: &mut [Money; MONEY_COLUMNS.len()],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for ((col, (_, read)), sum) in (first_col..).zip(MONEY_COLUMNS).zip(sums.iter_mut()) {
        let amount = read(amounts);
        *sum = Money(sum.0.saturating_add(amount.0));
        sheet.write_number_with_format(row, col, pounds(amount), &formats.money)?;
    }
    Ok(())
}

fn finance(
    sheet: &mut Worksheet,
    portfolio: &Portfolio,
    analysis: &Analysis,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Finance")?;
    let finance = &analysis.finance;
    header(sheet, &money_header(&["financial year"]), formats)?;
    let mut sums = [Money(0); MONEY_COLUMNS.len()];
    let mut row = 1u32;
    for (year, amounts) in finance.years.iter().zip(&finance.portfolio.yearly) {
        sheet.write_string(row, 0, year_label(*year, finance.financial_year_start))?;
        money_cells(sheet, row, 1, &amounts, &mut sums, formats)?;
        row += 1;
    }
    totals(sheet, row, 2, &sums, 1, formats)?;

    // By project, two rows below: each project's totals over the plan.
    let top = row + 2;
    header_row(sheet, top, &money_header(&["project", "title"]), formats)?;
    let mut sums = [Money(0); MONEY_COLUMNS.len()];
    let mut row = top + 1;
    for (project, profile) in portfolio.projects.iter().zip(&finance.projects) {
        sheet.write_string(row, 0, project.id.as_str())?;
        sheet.write_string(row, 1, project.title.as_str())?;
        money_cells(sheet, row, 2, &profile.total, &mut sums, formats)?;
        row += 1;
    }
    totals(sheet, row, top + 2, &sums, 2, formats)?;
    sheet.autofit();
    Ok(())
}

fn targets(sheet: &mut Worksheet, analysis: &Analysis, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Targets")?;
    header(
        sheet,
        &["kind", "year", "limit", "forecast", "met"],
        formats,
    )?;
    let finance = &analysis.finance;
    for (check, row) in finance.checks.iter().zip(1u32..) {
        let kind = match check.kind {
            CheckKind::SavingsTarget => "savings target",
            CheckKind::CapitalBudget => "capital budget",
            CheckKind::RevenueBudget => "revenue budget",
        };
        sheet.write_string(row, 0, kind)?;
        sheet.write_string(row, 1, year_label(check.year, finance.financial_year_start))?;
        sheet.write_number_with_format(row, 2, pounds(check.limit), &formats.money)?;
        sheet.write_number_with_format(row, 3, pounds(check.actual), &formats.money)?;
        sheet.write_boolean(row, 4, check.met)?;
    }
    sheet.autofit();
    Ok(())
}

fn findings(
    sheet: &mut Worksheet,
    diagnostics: &[Diagnostic],
    sources: Option<&SourceMap>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Diagnostics")?;
    header(
        sheet,
        &["code", "severity", "message", "file", "line"],
        formats,
    )?;
    for (d, row) in diagnostics.iter().zip(1u32..) {
        sheet.write_string(row, 0, d.code.as_str())?;
        sheet.write_string(row, 1, d.severity.as_str())?;
        sheet.write_string(row, 2, d.message.as_str())?;
        if let (Some(span), Some(sources)) = (d.span, sources) {
            let (line, _) = sources.line_col(span.file, span.start);
            sheet.write_string(row, 3, sources.get(span.file).name.as_str())?;
            sheet.write_number(row, 4, line as f64)?;
        }
    }
    sheet.autofit();
    Ok(())
}
