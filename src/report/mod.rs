//! Reports of a schedule: a readable table, JSON (schema in docs/json.md) and CSV, and the
//! text of an `explain`.
//!
//! Input: a portfolio and its schedule (or an explanation). Output: a `String`; the CLI prints
//! or writes it. Invariant: every renderer reads one view (`rows`) and computes nothing, so
//! the table, the JSON and the CSV can never disagree on a number; the same schedule gives the
//! same bytes.
//!
//! Committee reports (issue 5) live in their own modules: [`view::build`] computes one
//! [`view::Report`]; [`markdown`], [`html`] (with SVG charts) and [`view::json`] format it.
//! With `--risk`, [`risk_view::section`] adds the view of a Monte Carlo summary to the same
//! report (`Report::with_risk`), and the renderers lay it out like the rest.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{ItemId, MilestoneId, Portfolio, ProgrammeId, ProjectId};
use crate::schedule::{Rag, Schedule, Timing};

mod explain;
pub mod html;
pub mod markdown;
mod risk_svg;
pub mod risk_view;
mod svg;
pub mod view;

pub use explain::explain_text;

/// The version of the JSON schema in docs/json.md; bumped on any incompatible change.
pub const SCHEDULE_JSON_VERSION: u32 = 1;

/// Output formats of `tranche schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleFormat {
    Table,
    Json,
    Csv,
}

/// Renders the schedule in `format`; with `critical_only`, only critical items.
pub fn render_schedule(
    portfolio: &Portfolio,
    schedule: &Schedule,
    format: ScheduleFormat,
    critical_only: bool,
) -> String {
    match format {
        ScheduleFormat::Table => schedule_table(portfolio, schedule, critical_only),
        ScheduleFormat::Json => schedule_json(portfolio, schedule, critical_only),
        ScheduleFormat::Csv => schedule_csv(portfolio, schedule, critical_only),
    }
}

/// One item of the schedule as every report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub early_start: NaiveDate,
    pub early_finish: NaiveDate,
    pub late_start: NaiveDate,
    pub late_finish: NaiveDate,
    pub duration_days: u32,
    pub total_float_days: i64,
    pub free_float_days: i64,
    pub critical: bool,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_finish: Option<NaiveDate>,
    pub slip_days: Option<i64>,
    pub rag: Option<Rag>,
    /// Percent complete, exact (basis points shown as a decimal); `None` for programmes.
    pub complete: Option<serde_json::Number>,
}

/// Every item, sorted by start, then finish, then kind (programmes first) and id.
pub(crate) fn rows(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut push = |item: ItemId, timing: &Timing| {
        if critical_only && !timing.critical {
            return;
        }
        let (id, name, kind, baseline, complete) = match item {
            ItemId::Project(p) => {
                let Some(project) = portfolio.projects.get(p.0 as usize) else {
                    return;
                };
                let complete = if project.progress.actual_finish.is_some() {
                    10_000
                } else {
                    project.progress.complete.map_or(0, |c| c.0)
                };
                (
                    &project.id,
                    &project.title,
                    "project",
                    project.baseline,
                    Some(complete),
                )
            }
            ItemId::Milestone(m) => {
                let Some(milestone) = portfolio.milestones.get(m.0 as usize) else {
                    return;
                };
                let complete = if milestone_done(portfolio, milestone) {
                    10_000
                } else {
                    0
                };
                (
                    &milestone.id,
                    &milestone.title,
                    "milestone",
                    milestone.baseline,
                    Some(complete),
                )
            }
            ItemId::Programme(g) => {
                let Some(programme) = portfolio.programmes.get(g.0 as usize) else {
                    return;
                };
                (&programme.id, &programme.title, "programme", None, None)
            }
        };
        rows.push(Row {
            id: id.clone(),
            name: name.clone(),
            kind,
            start: timing.start,
            finish: timing.finish,
            early_start: timing.early_start,
            early_finish: timing.early_finish,
            late_start: timing.late_start,
            late_finish: timing.late_finish,
            duration_days: timing.duration_days,
            total_float_days: timing.total_float_days,
            free_float_days: timing.free_float_days,
            critical: timing.critical,
            baseline_start: baseline.map(|b| b.start),
            baseline_finish: baseline.map(|b| b.finish),
            slip_days: timing.slip_days,
            rag: timing.rag,
            complete: complete.map(percent_number),
        });
    };
    for (i, t) in schedule.programmes.iter().enumerate() {
        push(ItemId::Programme(ProgrammeId(index(i))), t);
    }
    for (i, t) in schedule.projects.iter().enumerate() {
        push(ItemId::Project(ProjectId(index(i))), t);
    }
    for (i, t) in schedule.milestones.iter().enumerate() {
        push(ItemId::Milestone(MilestoneId(index(i))), t);
    }
    let rank = |kind: &str| match kind {
        "programme" => 0,
        "project" => 1,
        _ => 2,
    };
    rows.sort_by(|a, b| {
        (a.start, a.finish, rank(a.kind), &a.id).cmp(&(b.start, b.finish, rank(b.kind), &b.id))
    });
    rows
}

/// Achieved: an actual date, or tied to work that has finished (`at finish`) or started
/// (`at start`), as the scheduler treats it.
fn milestone_done(portfolio: &Portfolio, milestone: &crate::model::Milestone) -> bool {
    use crate::model::MilestoneTiming;
    if milestone.actual.is_some() {
        return true;
    }
    let Some(project) = milestone
        .project
        .and_then(|p| portfolio.projects.get(p.0 as usize))
    else {
        return false;
    };
    match milestone.timing {
        MilestoneTiming::AtFinish => project.progress.actual_finish.is_some(),
        MilestoneTiming::AtStart => project.progress.actual_start.is_some(),
        MilestoneTiming::On(_) | MilestoneTiming::Free => false,
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or_else(|_| panic!("report: more than u32::MAX items"))
}

/// Basis points as an exact JSON number: `5000` is `50`, `1250` is `12.5`.
fn percent_number(basis_points: i64) -> serde_json::Number {
    if basis_points % 100 == 0 {
        serde_json::Number::from(basis_points / 100)
    } else {
        // At most two decimals, so the shortest f64 representation is exact as written.
        serde_json::Number::from_f64(basis_points as f64 / 100.0)
            .unwrap_or_else(|| serde_json::Number::from(basis_points / 100))
    }
}

fn rag_text(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "green",
        Some(Rag::Amber) => "amber",
        Some(Rag::Red) => "red",
        None => "",
    }
}

/// The JSON document of docs/json.md.
pub fn schedule_json(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        schema: &'static str,
        version: u32,
        title: &'a str,
        start: NaiveDate,
        end: NaiveDate,
        status_date: Option<NaiveDate>,
        finish: NaiveDate,
        critical_path: Vec<String>,
        items: Vec<Row>,
    }
    let document = Document {
        schema: "tranche-schedule",
        version: SCHEDULE_JSON_VERSION,
        title: &portfolio.title,
        start: portfolio.start,
        end: portfolio.end,
        status_date: portfolio.status_date,
        finish: schedule.finish,
        critical_path: schedule
            .critical_path
            .iter()
            .map(|i| crate::graph::name_of(portfolio, *i).to_string())
            .collect(),
        items: rows(portfolio, schedule, critical_only),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| panic!("report: a schedule always serialises: {e}"));
    text.push('\n');
    text
}

const CSV_HEADER: [&str; 18] = [
    "id",
    "name",
    "kind",
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "duration_days",
    "total_float_days",
    "free_float_days",
    "critical",
    "baseline_start",
    "baseline_finish",
    "slip_days",
    "rag",
    "complete",
];

/// CSV (RFC 4180, CRLF line ends), the JSON's item fields in the same order.
pub fn schedule_csv(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in rows(portfolio, schedule, critical_only) {
        let fields = [
            r.id,
            r.name,
            r.kind.to_string(),
            r.start.to_string(),
            r.finish.to_string(),
            r.early_start.to_string(),
            r.early_finish.to_string(),
            r.late_start.to_string(),
            r.late_finish.to_string(),
            r.duration_days.to_string(),
            r.total_float_days.to_string(),
            r.free_float_days.to_string(),
            r.critical.to_string(),
            opt(r.baseline_start),
            opt(r.baseline_finish),
            r.slip_days.map(|s| s.to_string()).unwrap_or_default(),
            rag_text(r.rag).to_string(),
            r.complete.map(|c| c.to_string()).unwrap_or_default(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(field: &str) -> String {
    // A leading = + - @ would be run as a formula by spreadsheets; quote-and-prefix it.
    let risky = field.starts_with(['=', '+', '@'])
        || (field.starts_with('-') && field.parse::<i64>().is_err());
    if risky {
        return format!("\"'{}\"", field.replace('"', "\"\""));
    }
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The readable table: one line an item, sorted by start, and the finish and critical path.
pub fn schedule_table(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
    let header = [
        "id",
        "name",
        "start",
        "finish",
        "duration",
        "total float",
        "free float",
        "critical",
        "RAG",
    ];
    let mut lines: Vec<[String; 9]> = vec![header.map(String::from)];
    for r in rows(portfolio, schedule, critical_only) {
        let id = match r.kind {
            "programme" => format!("{} (programme)", r.id),
            "milestone" => format!("{} (milestone)", r.id),
            _ => r.id,
        };
        lines.push([
            id,
            r.name,
            r.start.to_string(),
            r.finish.to_string(),
            format!("{}d", r.duration_days),
            format!("{}d", r.total_float_days),
            format!("{}d", r.free_float_days),
            if r.critical {
                "yes".to_string()
            } else {
                String::new()
            },
            rag_text(r.rag).to_string(),
        ]);
    }
    let mut widths = [0usize; 9];
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // Numbers are right-aligned so their digits line up.
    let right = [false, false, false, false, true, true, true, false, false];
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(widths)
            .zip(right)
            .map(|((cell, w), r)| {
                let pad = w.saturating_sub(cell.chars().count());
                if r {
                    format!("{}{cell}", " ".repeat(pad))
                } else {
                    format!("{cell}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&format!("finish: {}\n", schedule.finish));
    let path: Vec<&str> = schedule
        .critical_path
        .iter()
        .map(|i| crate::graph::name_of(portfolio, *i))
        .collect();
    out.push_str(&format!("critical path: {}\n", path.join(" -> ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_exact_json_numbers() {
        assert_eq!(percent_number(10_000).to_string(), "100");
        assert_eq!(percent_number(1_250).to_string(), "12.5");
        assert_eq!(percent_number(3_333).to_string(), "33.33");
        assert_eq!(percent_number(0).to_string(), "0");
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        // Spreadsheets run cells starting with = + @ (or - followed by text) as formulas.
        assert_eq!(csv_field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(csv_field("-cmd"), "\"'-cmd\"");
        assert_eq!(csv_field("-3"), "-3");
    }
}
