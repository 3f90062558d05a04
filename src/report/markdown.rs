//! The committee report as Markdown that pastes cleanly into a committee paper.
//!
//! Input: a [`Report`]. Output: CommonMark with GitHub tables and no HTML, ending in a newline;
//! the Gantt chart is a ```` ```mermaid ```` block. Invariant: this module computes nothing; every
//! figure is the view's text, every date goes through [`date_text`], so it agrees with the HTML
//! and the JSON.
//!
//! The Mermaid block draws tranche's own forecast dates: every task has an explicit start and
//! end (Mermaid's `after` would recompute dates by its own rules, ignoring calendars and lags),
//! `crit` comes from the schedule's critical flags, and each dependency is written as a
//! `%% link` comment line so the block still says what depends on what.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Spill;
use super::view::{self, GanttRow, Report, RowKind, date_text, days_text, rag_text};
use crate::diagnostic::count::count;
use crate::report::text::{
    Cell, Column, Table, escape_markdown as inline, mermaid_id, mermaid_text,
};

/// Renders the report as Markdown: its sections in the order a reader meets them.
pub fn markdown(report: &Report) -> String {
    super::to_string(|sink| write(report, sink))
}

/// Writes [`markdown`] into `sink` as it is made; the status table and the Gantt chart, which
/// have a row for every project, go out a chunk at a time.
pub(crate) fn write(report: &Report, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut spill = Spill::new(sink);
    let mut out = String::new();
    title(&mut out, report);
    confidence(&mut out, report);
    if let Some(since) = &report.since {
        since_section(&mut out, since, report.money);
    }
    headline(&mut out, report);
    savings_targets(&mut out, report);
    programmes(&mut out, report);
    projects(&mut out, &mut spill, &report.projects);
    milestones(&mut out, report);
    critical_path(&mut out, &report.critical_path);
    finance(&mut out, report);
    capacity(&mut out, report);
    if let Some(raid) = &report.raid {
        heading(&mut out, "## RAID register");
        print(&mut out, &raid.register_table(report.money));
        print(&mut out, &raid.heat_map_table());
    }
    if let Some(risk) = &report.risk {
        risk_section(&mut out, risk, report.money);
    }
    if let Some(options) = &report.options {
        options_section(&mut out, options, report.money);
    }
    if let Some(trend) = &report.trend {
        trend_section(&mut out, trend, &report.title);
    }
    diagnostics(&mut out, &report.diagnostics);
    gantt(&mut out, &mut spill, report);
    spill.finish(&mut out)
}

/// The title and the dates the report speaks for.
fn title(out: &mut String, report: &Report) {
    heading(out, &format!("# {}", inline(&report.title)));
    paragraph(
        out,
        &format!(
            "Report as of {}. Plan window {} to {}.",
            date_text(report.as_of),
            date_text(report.plan_start),
            date_text(report.plan_end)
        ),
    );
}

/// The delivery confidence the plan states, beside the computed RAG: what the report leads
/// with. Absent when the plan states none.
fn confidence(out: &mut String, report: &Report) {
    if report.confidence.is_empty() {
        return;
    }
    heading(out, "## Delivery confidence");
    paragraph(
        out,
        &format!(
            "As stated in the plan as of {}, beside the RAG its schedule computes.",
            date_text(report.as_of)
        ),
    );
    print(out, &report.confidence_table());
}

/// Each team's people against what the plan needs, by financial year. Absent without teams.
fn capacity(out: &mut String, report: &Report) {
    if report.capacity.is_empty() {
        return;
    }
    heading(out, "## Capacity by team");
    paragraph(
        out,
        "People are full-time equivalents, averaged over each year's working days; the peak is the most needed on one day.",
    );
    for team in &report.capacity {
        heading(out, &format!("### {} (`{}`)", inline(&team.title), team.id));
        print(out, &team.table());
    }
}

/// The headline figures, one row a measure.
fn headline(out: &mut String, report: &Report) {
    let h = &report.headline;
    heading(out, "## Headline");
    let critical_path = if report.critical_path.is_empty() {
        "none".to_owned()
    } else {
        report
            .critical_path
            .iter()
            .map(|s| format!("`{}`", s.id))
            .collect::<Vec<_>>()
            .join(" → ")
    };
    let payback = |p: &Option<String>| {
        p.clone()
            .unwrap_or_else(|| "not within the appraisal period".into())
    };
    let mut rows = vec![
        vec![
            "Forecast finish".into(),
            format!(
                "{} ({})",
                date_text(h.forecast_finish),
                h.finish_variance_text
            ),
        ],
        vec!["Plan end".into(), date_text(h.plan_end)],
        vec!["Critical path".into(), critical_path],
        vec![
            "Net present value (cashable)".into(),
            report.money.show(h.npv.pence),
        ],
        vec![
            "Net present value with optimism bias".into(),
            report.money.show(h.npv_with_bias.pence),
        ],
        vec!["Payback".into(), payback(&h.payback)],
        vec![
            "Payback with optimism bias".into(),
            payback(&h.payback_with_bias),
        ],
        vec![
            "Projects by RAG".into(),
            format!(
                "Green {}, Amber {}, Red {}, No baseline {}",
                h.rag.green, h.rag.amber, h.rag.red, h.rag.no_baseline
            ),
        ],
        vec![
            "Projects, milestones".into(),
            format!(
                "{} ({} critical), {}",
                count(h.n_projects, "project", "projects"),
                h.n_critical,
                count(h.n_milestones, "milestone", "milestones")
            ),
        ],
        vec![
            "Diagnostics".into(),
            count(h.n_errors, "error", "errors")
                + ", "
                + &count(h.n_warnings, "warning", "warnings"),
        ],
    ];
    // The figures with optimism bias only when it changes them: a plan without bias has one.
    if h.npv_with_bias.pence == h.npv.pence && h.payback_with_bias == h.payback {
        rows.retain(|row| {
            !row.first()
                .is_some_and(|m| m.contains("with optimism bias"))
        });
    }
    table(out, &["Measure", "Value"], &rows);
}

/// Each savings target against the forecast savings of its year.
fn savings_targets(out: &mut String, report: &Report) {
    heading(out, "### Savings targets");
    if report.headline.targets.is_empty() {
        paragraph(out, "The plan sets no savings targets.");
        return;
    }
    print(out, &report.targets_table());
}

/// Each programme's forecast and RAG, nested programmes marked with arrows.
fn programmes(out: &mut String, report: &Report) {
    heading(out, "## Status by programme");
    if report.programmes.is_empty() {
        paragraph(out, "The plan has no programmes.");
        return;
    }
    print(out, &report.programmes_table());
}

/// Each project's forecast against its baseline, with its programme in a column.
fn projects(out: &mut String, spill: &mut Spill, projects: &[view::ProjectStatus]) {
    heading(out, "## Status by project");
    if projects.is_empty() {
        paragraph(out, "The plan has no projects.");
        return;
    }
    // A row at a time, laid out as `table` lays out its rows, so the table is never held
    // whole (nor twice, as rows and as text).
    table_head(
        out,
        &[
            "Project",
            "Programme",
            "Owner",
            "Forecast finish",
            "Baseline finish",
            "Slippage (working days)",
            "RAG",
            "Critical",
            "Complete",
        ],
    );
    for p in projects {
        table_row(
            out,
            &[
                &format!("{} (`{}`)", inline(&p.title), p.id),
                &p.programme_title.as_deref().map_or("—".into(), inline),
                &owner_text(p),
                &date_text(p.finish),
                &p.baseline_finish.map_or("—".into(), date_text),
                &p.slip_days.map_or("—".into(), days_text),
                rag_text(p.rag),
                if p.critical { "Yes" } else { "No" },
                p.complete.as_deref().unwrap_or("—"),
            ],
        );
        spill.spill(out);
    }
    line(out, "");
}

/// Milestones due in the next quarter, and those missed.
fn milestones(out: &mut String, report: &Report) {
    heading(out, "## Milestones");
    heading(out, "### Due in the next quarter");
    milestone_table(
        out,
        &report.milestones_due,
        "No milestone is forecast in the next three months.",
    );
    heading(out, "### Missed");
    milestone_table(
        out,
        &report.milestones_missed,
        "No milestone has been missed.",
    );
}

/// The critical path as a numbered list, each step with its dates.
fn critical_path(out: &mut String, path: &[view::PathStep]) {
    heading(out, "## Critical path");
    if path.is_empty() {
        line(out, "No critical path: the plan has no scheduled work.");
    }
    for (i, step) in path.iter().enumerate() {
        let dates = if step.kind == RowKind::Milestone {
            date_text(step.finish)
        } else {
            format!("{} to {}", date_text(step.start), date_text(step.finish))
        };
        line(
            out,
            &format!(
                "{}. {} (`{}`): {}",
                i + 1,
                inline(&step.title),
                step.id,
                dates
            ),
        );
    }
    line(out, "");
}

/// Money by financial year and by theme, the view's own tables.
fn finance(out: &mut String, report: &Report) {
    heading(out, "## Finance by financial year");
    print(out, &report.years_table());
    // HTML says it in the table's caption; Markdown tables have none.
    if report.years.iter().any(|y| y.after_plan_end) {
        line(
            out,
            &format!(
                "\\* after the plan's end ({}): the rest of the appraisal period.",
                date_text(report.plan_end)
            ),
        );
        line(out, "");
    }
    if let Some(note) = report.planned_note() {
        line(out, note);
        line(out, "");
    }
    if let Some(table) = report.outturn_table() {
        heading(out, "## Plan, actual and forecast");
        print(out, &table);
    }
    if let (Some(table), Some(section)) = (report.benefits_table(), &report.benefits) {
        heading(out, "## Benefits register");
        print(out, &table);
        line(out, &section.rule());
        line(out, "");
    }
    heading(out, "## Finance by theme");
    print(out, &report.themes_table());
    if let Some(note) = report.money.rounding_note() {
        line(out, note);
        line(out, "");
    }
}

/// Every diagnostic as a list item, its names kept as code.
fn diagnostics(out: &mut String, diagnostics: &[view::Finding]) {
    heading(out, "## Diagnostics");
    if diagnostics.is_empty() {
        line(out, "No problems found in the plan.");
    }
    for (first, group) in view::by_code(diagnostics) {
        let severity = first.severity.as_str();
        line(
            out,
            &format!(
                "**{} {}** ({})",
                first.code,
                first.title,
                count(group.len(), severity, &format!("{severity}s"))
            ),
        );
        line(out, "");
        for finding in group {
            let place = finding
                .location
                .as_deref()
                .map_or(String::new(), |l| format!("{}: ", inline(l)));
            let mut text = format!("- {place}{}", prose(&finding.message));
            for note in &finding.notes {
                let _ = write!(text, "; {}", prose(note));
            }
            if let Some(hint) = &finding.hint {
                let _ = write!(text, ". Hint: {}", prose(hint));
            }
            line(out, &text);
        }
        line(out, "");
    }
    if diagnostics.is_empty() {
        line(out, "");
    }
}

/// The Gantt chart as a Mermaid block, the last section.
fn gantt(out: &mut String, spill: &mut Spill, report: &Report) {
    heading(out, "## Gantt chart");
    mermaid(out, spill, report);
}

/// What changed since the previous report, before anything else: the first question.
fn since_section(
    out: &mut String,
    since: &crate::report::since::Since,
    money: crate::report::text::MoneyScale,
) {
    heading(out, "## Changes since the previous report");
    line(out, &since.summary());
    line(out, "");
    for table in since.tables(money) {
        line(out, &format!("**{}**", table.caption));
        line(out, "");
        print(out, &table);
    }
}

/// The options appraisal and the selection (`report --options`), through the tables
/// `tranche options` and `tranche select` print.
fn options_section(
    out: &mut String,
    options: &super::view::OptionsSection,
    money: crate::money::MoneyScale,
) {
    use super::{options_render, select_render};
    heading(out, "## Options");
    paragraph(out, &prose(&options_render::note(&options.comparison)));
    out.push_str(&options_render::markdown_titles(&options.comparison));
    print(out, &options_render::table(&options.comparison, money));
    let removed = options_render::markdown_removed(&options_render::removed(&options.comparison));
    if !removed.is_empty() {
        out.push_str(removed.trim_start());
        line(out, "");
    }
    heading(out, "## Selection");
    paragraph(out, &prose(&select_render::summary(&options.selection)));
    for table in select_render::tables(&options.selection, money) {
        heading(out, &format!("### {}", table.caption));
        print(out, &table);
    }
}

/// The plan's history (`report --trend`): where each milestone followed stands and how it
/// moved, and each reporting point (the chart is the HTML report's).
fn trend_section(out: &mut String, trend: &crate::trend::Trend, title: &str) {
    use super::trend_render;
    heading(out, "## Milestone trend");
    line(
        out,
        &format!("{}.", inline(&trend_render::headline(trend, title))),
    );
    line(out, "");
    print(out, &trend_render::lines_table(trend));
    print(out, &trend_render::points_table(trend));
}

/// The risk section: tables of the finish percentiles, the chance of each deadline and target,
/// the NPV spread and the top drivers (the S-curve and tornado are the HTML's charts).
fn risk_section(
    out: &mut String,
    risk: &view::RiskSection,
    money: crate::report::text::MoneyScale,
) {
    heading(out, "## Schedule and savings risk");
    paragraph(
        out,
        &format!(
            "Monte Carlo simulation: {}. Pn is the value with n% of iterations at or before (or below) it.",
            risk.method_text
        ),
    );
    risk_finish(out, risk);
    if !risk.deadlines.is_empty() {
        heading(out, "### Deadlines");
        print(out, &risk.deadlines_table());
    }
    if !risk.targets.is_empty() {
        heading(out, "### Savings targets");
        print(out, &risk.targets_table(money));
    }
    risk_npv(out, &risk.npv, money);
    if let Some(events) = &risk.events {
        heading(out, "### With and without risk events");
        print(out, &events.table(money));
    }
    risk_drivers(out, risk);
    if !risk.fixed_critical.is_empty() {
        print(out, &risk.fixed_critical_table());
    }
}

/// The finish date: its percentiles, and the chance of finishing by the planned finish and by
/// the plan end.
fn risk_finish(out: &mut String, risk: &view::RiskSection) {
    heading(out, "### Finish date");
    print(out, &risk.spreads_table());
    if let Some(note) = risk.fixed_milestones_note() {
        paragraph(out, &note);
    }
    table(
        out,
        &["Chance of finishing by", "Date", "Chance"],
        &[
            vec![
                "the planned finish".into(),
                date_text(risk.finish.planned),
                risk.finish_by_planned.text.clone(),
            ],
            vec![
                "the plan end".into(),
                date_text(risk.plan_end),
                risk.finish_by_end.text.clone(),
            ],
        ],
    );
}

/// The spread of the net present value, a row of figures.
fn risk_npv(out: &mut String, n: &view::MoneySpread, money: crate::report::text::MoneyScale) {
    heading(out, "### Net present value (cashable)");
    let columns = ["Planned", "P10", "P50", "P80", "P90", "Mean"];
    let mut table = Table::new("", columns.into_iter().map(Column::text).collect());
    table.push(n.figures().iter().map(|f| f.cell()).collect());
    print(out, &table.in_money(money));
}

/// The projects whose durations drive the finish date most.
fn risk_drivers(out: &mut String, risk: &view::RiskSection) {
    heading(out, "### Top risk drivers");
    if risk.drivers.is_empty() {
        paragraph(
            out,
            "No project has a duration range wider than a day, so none drives the risk.",
        );
    } else {
        paragraph(
            out,
            "Cruciality is the rank correlation of a project's duration with the portfolio finish (+1: longer always means later); criticality is the share of iterations in which it is critical. Durations are in working days.",
        );
        print(out, &risk.drivers_table());
        if let Some(note) = risk.drivers_left_out_note() {
            paragraph(out, &note);
        }
    }
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

/// A heading, and the blank line under it.
fn heading(out: &mut String, text: &str) {
    paragraph(out, text);
}

/// A line of text, and the blank line that ends its paragraph.
fn paragraph(out: &mut String, text: &str) {
    line(out, text);
    line(out, "");
}

/// A project's owner; one taken from its programme says so.
fn owner_text(p: &super::view::ProjectStatus) -> String {
    let owner = opt(&p.owner);
    if p.owner_inherited {
        format!("{owner} (programme)")
    } else {
        owner
    }
}

fn opt(text: &Option<String>) -> String {
    text.as_deref().map_or("—".into(), inline)
}

fn milestone_table(out: &mut String, milestones: &[super::view::MilestoneStatus], none: &str) {
    if milestones.is_empty() {
        paragraph(out, none);
        return;
    }
    // The caption is HTML's; Markdown has none.
    print(out, &view::milestones_table("", milestones));
}

/// The header of a table of text already made safe for Markdown, and the rule under it, as
/// `Table::markdown` writes them: for a table written a row at a time ([`table_row`]).
fn table_head(out: &mut String, header: &[&str]) {
    table_row(out, header);
    let rule = vec![" --- "; header.len()];
    let _ = writeln!(out, "|{}|", rule.join("|"));
}

/// A row of [`table_head`]'s table.
fn table_row(out: &mut String, cells: &[&str]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

/// A table of text already made safe for Markdown, under `header`.
fn table(out: &mut String, header: &[&'static str], rows: &[Vec<String>]) {
    let mut table = Table::new("", header.iter().copied().map(Column::text).collect());
    for row in rows {
        table.push(row.iter().cloned().map(Cell::Text).collect());
    }
    print(out, &table);
}

/// A table, and the blank line that ends it.
fn print(out: &mut String, table: &Table) {
    out.push_str(&table.markdown());
    line(out, "");
}

/// Diagnostic text keeps its `backticked` names as code spans and escapes the rest.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 && !part.is_empty() && !part.contains('\n') {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            out.push_str(&inline(part));
        }
    }
    out
}

fn mermaid(out: &mut String, spill: &mut Spill, report: &Report) {
    let gantt = &report.gantt;
    let titles: BTreeMap<&str, &str> = gantt
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Programme)
        .map(|r| (r.id.as_str(), r.title.as_str()))
        .collect();
    line(out, "```mermaid");
    line(out, "gantt");
    line(out, &format!("    title {}", mermaid_text(&report.title)));
    line(out, "    dateFormat YYYY-MM-DD");
    line(out, "    axisFormat %b %Y");
    if let Some(status) = gantt.status_date {
        line(out, "    todayMarker off");
        line(out, &format!("    %% status date {status}"));
    }
    // Mermaid has no nesting: each task goes in the section of its nearest programme, and a
    // section line is written only when the next task needs a different one.
    let mut section: Option<String> = None;
    for row in gantt.rows.iter().filter(|r| r.kind != RowKind::Programme) {
        let wanted = row
            .programme
            .as_deref()
            .and_then(|p| titles.get(p))
            .map_or_else(|| "Outside programmes".to_owned(), |t| mermaid_text(t));
        if section.as_deref() != Some(wanted.as_str()) {
            line(out, &format!("    section {wanted}"));
            section = Some(wanted);
        }
        line(out, &mermaid_task(row));
        spill.spill(out);
    }
    for link in &gantt.links {
        line(
            out,
            &format!(
                "    %% link {} -> {} ({}{})",
                link.from,
                link.to,
                link.kind.code(),
                if link.critical { ", critical" } else { "" }
            ),
        );
        spill.spill(out);
    }
    line(out, "```");
}

fn mermaid_task(row: &GanttRow) -> String {
    let mut tags = Vec::new();
    if row.critical {
        tags.push("crit".to_owned());
    }
    if row.kind == RowKind::Milestone {
        tags.push("milestone".to_owned());
    }
    tags.push(mermaid_id(&row.id));
    tags.push(row.start.to_string());
    if row.kind == RowKind::Milestone {
        tags.push("0d".to_owned());
    } else {
        // tranche's finish is the last day of work; Mermaid's end date is exclusive.
        tags.push(row.finish.succ_opt().unwrap_or(row.finish).to_string());
    }
    format!("    {} :{}", mermaid_text(&row.title), tags.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_names_stay_code_spans() {
        assert_eq!(
            prose("unknown project `case-sytem`; did you mean `case-system`?"),
            "unknown project `case-sytem`; did you mean `case-system`?"
        );
        assert_eq!(prose("a * b"), r"a \* b");
    }

    #[test]
    fn a_table_written_a_row_at_a_time_is_the_table_printed_whole() {
        let header = ["Project", "RAG"];
        let rows = vec![
            vec!["A (`a`)".to_owned(), "Green".to_owned()],
            vec!["B \\| C (`b`)".to_owned(), "—".to_owned()],
        ];
        let mut whole = String::new();
        table(&mut whole, &header, &rows);
        let mut streamed = String::new();
        table_head(&mut streamed, &header);
        for row in &rows {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            table_row(&mut streamed, &cells);
        }
        line(&mut streamed, "");
        assert_eq!(streamed, whole);
    }

    #[test]
    fn mermaid_ids_parse() {
        assert_eq!(mermaid_id("case-system"), "case-system");
    }
}
