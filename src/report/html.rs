//! The committee report as one self-contained HTML page.
//!
//! Input: a [`Report`]. Output: an HTML5 document with inline CSS (`assets/report.css`) and
//! inline SVG charts, no script and nothing fetched: a Content-Security-Policy meta tag forbids
//! every source but inline styles and `data:` images. Invariant: this module computes nothing;
//! figures are the view's text, dates go through [`date_text`], so the page agrees with the
//! Markdown and the JSON.
//!
//! Accessibility: one `h1`, a `h2` per section, every chart an `img` role with a title and a
//! description and followed by a table with the same figures, RAG in words with a shape as well
//! as a colour, critical work hatched and outlined, not only coloured. The dependency arrows are
//! toggled by a checkbox and a CSS rule, without JavaScript. Printing gives A4 landscape pages;
//! the Gantt chart prints as pages of its own, cut by programme rather than shrunk.

use std::fmt::Write;

use super::view::{
    self, MilestoneStatus, Report, RowKind, date_text, days_text, rag_class, rag_mark, rag_text,
};
use super::{Spill, gantt_svg, risk_svg, svg};
use crate::diagnostic::count::count;
use crate::report::text::{Cell, Column, HTML_CLOSE, Table, escape_html as esc, html_open};
use crate::schedule::Rag;

const CSS: &str = include_str!("assets/report.css");
/// The risk section's rules, added only when the report has one.
const RISK_CSS: &str = include_str!("assets/risk.css");

/// The Content-Security-Policy of the page: nothing may load from anywhere.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// Renders the report as a self-contained HTML page: its sections in the order a reader meets
/// them.
pub fn html(report: &Report) -> String {
    super::to_string(|sink| write(report, sink))
}

/// Writes [`html`] into `sink` as it is made; the status table and the two Gantt charts, which
/// have a row for every project, go out a chunk at a time.
pub(crate) fn write(report: &Report, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut spill = Spill::new(sink);
    let mut out = String::new();
    head(&mut out, report);
    confidence(&mut out, report);
    if let Some(since) = &report.since {
        since_section(&mut out, since, report.money);
    }
    headline(&mut out, report);
    status(&mut out, &mut spill, report);
    gantt(&mut out, &mut spill, report);
    milestones(&mut out, report);
    finance(&mut out, report);
    capacity(&mut out, report);
    if let Some(raid) = &report.raid {
        open_section(&mut out, "raid", "RAID register");
        out.push_str(&raid.register_table(report.money).html(true));
        out.push_str(&raid.heat_map_table().html(true));
        out.push_str("</section>\n");
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
    foot(&mut out, report);
    spill.finish(&mut out)
}

/// The document's head (policy, title, style) and the page header with the report's dates.
fn head(out: &mut String, report: &Report) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>{}: report as of {}</title>",
        esc(&report.title),
        date_text(report.as_of)
    );
    let risk_css = if report.risk.is_some() { RISK_CSS } else { "" };
    let _ = writeln!(out, "<style>\n{CSS}{risk_css}</style>\n</head>\n<body>");

    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"subtitle\">Report as of <strong>{}</strong>. Plan window {} to {}.</p>\n</header>\n<main>",
        esc(&report.title),
        date_text(report.as_of),
        date_text(report.plan_start),
        date_text(report.plan_end)
    );
}

/// The headline section: the figures as cards, the critical path and the savings targets.
fn headline(out: &mut String, report: &Report) {
    open_section(out, "headline", "Headline");
    headline_cards(out, &report.headline, report.money);
    critical_path(out, &report.critical_path);
    savings_targets(out, report);
    out.push_str("</section>\n");
}

/// The headline figures, a card each.
fn headline_cards(out: &mut String, h: &view::Headline, money: crate::report::text::MoneyScale) {
    out.push_str("<dl class=\"cards\">\n");
    card(
        out,
        h.finish_variance_days > 0,
        "Forecast finish",
        &date_text(h.forecast_finish),
        &esc(&h.finish_variance_text),
    );
    card(out, false, "Plan end", &date_text(h.plan_end), "");
    card(
        out,
        false,
        "Net present value (cashable)",
        &esc(&money.show(h.npv.pence)),
        // Only when optimism bias changes it: a plan without bias has one NPV.
        &if h.npv_with_bias.pence == h.npv.pence {
            String::new()
        } else {
            format!(
                "with optimism bias {}",
                esc(&money.show(h.npv_with_bias.pence))
            )
        },
    );
    let payback = |p: &Option<String>| {
        p.clone()
            .unwrap_or_else(|| "not within the appraisal period".into())
    };
    card(
        out,
        false,
        "Payback",
        &esc(&payback(&h.payback)),
        &if h.payback_with_bias == h.payback {
            String::new()
        } else {
            format!("with optimism bias {}", esc(&payback(&h.payback_with_bias)))
        },
    );
    card(
        out,
        false,
        "Projects by RAG",
        &format!(
            "{} {} {} {}",
            rag_chip(Some(Rag::Green), &h.rag.green.to_string()),
            rag_chip(Some(Rag::Amber), &h.rag.amber.to_string()),
            rag_chip(Some(Rag::Red), &h.rag.red.to_string()),
            rag_chip(None, &h.rag.no_baseline.to_string())
        ),
        &format!(
            "{} ({} critical), {}",
            count(h.n_projects, "project", "projects"),
            h.n_critical,
            count(h.n_milestones, "milestone", "milestones")
        ),
    );
    card(
        out,
        h.n_errors > 0,
        "Diagnostics",
        &format!(
            "{}, {}",
            count(h.n_errors, "error", "errors"),
            count(h.n_warnings, "warning", "warnings")
        ),
        "",
    );
    out.push_str("</dl>\n");
}

/// The critical path as an ordered list, each step with its dates.
fn critical_path(out: &mut String, path: &[view::PathStep]) {
    out.push_str("<h3>Critical path</h3>\n");
    if path.is_empty() {
        out.push_str("<p>No critical path: the plan has no scheduled work.</p>\n");
    } else {
        out.push_str("<ol class=\"path\">\n");
        for step in path {
            let dates = if step.kind == RowKind::Milestone {
                format!("<span class=\"date\">{}</span>", date_text(step.finish))
            } else {
                format!(
                    "<span class=\"date\">{}</span> to <span class=\"date\">{}</span>",
                    date_text(step.start),
                    date_text(step.finish)
                )
            };
            let _ = writeln!(
                out,
                "<li>{} <code>{}</code>: {}</li>",
                esc(&step.title),
                esc(&step.id),
                dates
            );
        }
        out.push_str("</ol>\n");
    }
}

/// Each savings target against the forecast savings of its year.
fn savings_targets(out: &mut String, report: &Report) {
    out.push_str("<h3>Savings targets</h3>\n");
    if report.headline.targets.is_empty() {
        out.push_str("<p>The plan sets no savings targets.</p>\n");
    } else {
        out.push_str(&report.targets_table().html(true));
    }
}

/// The status section: programmes, then projects grouped by programme.
fn status(out: &mut String, spill: &mut Spill, report: &Report) {
    open_section(out, "status", "Status by programme and project");
    programmes(out, report);
    projects(out, spill, &report.projects);
    out.push_str("</section>\n");
}

/// Each programme's forecast and RAG, nested programmes indented.
fn programmes(out: &mut String, report: &Report) {
    if !report.programmes.is_empty() {
        out.push_str("<h3>Programmes</h3>\n");
        out.push_str(&report.programmes_table().html(true));
    }
}

/// Each project's forecast against its baseline, under a heading row per programme.
fn projects(out: &mut String, spill: &mut Spill, projects: &[view::ProjectStatus]) {
    if projects.is_empty() {
        out.push_str("<p>The plan has no projects.</p>\n");
    } else {
        out.push_str("<h3>Projects</h3>\n");
        // Opened here and not printed by text::Table, for the group heading rows below.
        out.push_str(&html_open(
            false,
            "Status by project",
            &[
                Column::text("Project"),
                Column::text("Owner"),
                Column::text("Forecast finish"),
                Column::text("Baseline finish"),
                Column::number("Slippage (working days)"),
                Column::text("RAG"),
                Column::text("Critical"),
                Column::number("Complete"),
            ],
        ));
        // Rows come grouped by programme; a heading row starts each group, so the programme is
        // not repeated on every row.
        let mut group: Option<Option<&str>> = None;
        for p in projects {
            let programme = p.programme.as_deref();
            if group != Some(programme) {
                let _ = writeln!(
                    out,
                    "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"8\">{}</th></tr>",
                    p.programme_title
                        .as_deref()
                        .map_or("Outside programmes".into(), esc)
                );
                group = Some(programme);
            }
            let _ = writeln!(
                out,
                "<tr data-programme=\"{}\"><th scope=\"row\">{} <code>{}</code></th><td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td class=\"num\">{}</td>{}<td>{}</td><td class=\"num\">{}</td></tr>",
                esc(p.programme.as_deref().unwrap_or("")),
                esc(&p.title),
                esc(&p.id),
                if p.owner_inherited {
                    format!(
                        "{} <span class=\"inherited\">(programme)</span>",
                        opt(&p.owner)
                    )
                } else {
                    opt(&p.owner)
                },
                date_text(p.finish),
                p.baseline_finish.map_or("—".into(), date_text),
                p.slip_days.map_or("—".into(), days_text),
                rag_cell(p.rag),
                if p.critical {
                    "<strong>Yes</strong>"
                } else {
                    "No"
                },
                p.complete.as_deref().map_or("—".into(), esc)
            );
            spill.spill(out);
        }
        out.push_str(HTML_CLOSE);
    }
}

/// The Gantt chart, its dependency toggle and its legend; then the same chart cut into A4
/// landscape pages, which only print shows (and print shows only them).
fn gantt(out: &mut String, spill: &mut Spill, report: &Report) {
    open_chart_section(out, "gantt", "Gantt chart");
    out.push_str("<input type=\"checkbox\" id=\"show-links\" class=\"toggle\">\n<label for=\"show-links\" class=\"toggle-label\">Show every dependency arrow (those on the critical path are always shown)</label>\n");
    out.push_str("<figure class=\"chart gantt-screen\">\n<div class=\"scroll\">");
    gantt_svg::gantt(out, spill, report);
    out.push_str("</div>\n<figcaption>\n<ul class=\"legend\">\n");
    out.push_str(concat!(
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><rect class=\"bar\" x=\"1\" y=\"1\" width=\"26\" height=\"10\" rx=\"2\"/><rect class=\"progress\" x=\"1\" y=\"2.5\" width=\"12\" height=\"7\"/></svg> Forecast (the darker part is the work done)</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><rect class=\"bar critical\" x=\"1\" y=\"1\" width=\"26\" height=\"10\" rx=\"2\"/><rect class=\"hatch\" x=\"1\" y=\"1\" width=\"26\" height=\"10\" rx=\"2\" fill=\"url(#hatch)\"/></svg> Critical (hatched, heavy outline)</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><rect class=\"baseline\" x=\"1\" y=\"4\" width=\"26\" height=\"5\"/></svg> Baseline</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><path class=\"summary\" d=\"M1,1 H27 v10 l-5,-4 H6 l-5,4 z\"/></svg> Programme</li>\n",
        "<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><path class=\"milestone\" d=\"M8,1 l7,7 l-7,7 l-7,-7 z\"/></svg> Milestone</li>\n",
        "<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><g class=\"deadline\"><line x1=\"6\" y1=\"1\" x2=\"6\" y2=\"15\"/><path d=\"M1,1 h10 l-5,7 z\"/></g></svg> Deadline</li>\n",
        "<li><svg width=\"20\" height=\"16\" aria-hidden=\"true\"><g class=\"deadline missed\"><line x1=\"6\" y1=\"1\" x2=\"6\" y2=\"15\"/><path d=\"M1,1 h10 l-5,7 z\"/><path class=\"cross\" d=\"M9,1 l7,7 m0,-7 l-7,7\"/></g></svg> Missed deadline (the forecast finishes after it)</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><line class=\"status-line\" x1=\"14\" y1=\"0\" x2=\"14\" y2=\"12\"/></svg> Status date</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><line class=\"band odd\" x1=\"0\" y1=\"6\" x2=\"28\" y2=\"6\" stroke-width=\"12\"/></svg> Financial years (shaded alternately)</li>\n",
    ));
    out.push_str("</ul>\n<p>The same dates are in the status table above and the milestone tables below<span class=\"screen-only\">; hover over a bar for its details</span>. Printed, the chart is cut into A4 landscape pages by programme, each with the time axis and a legend, and its arrows show the critical chain only.</p>\n</figcaption>\n</figure>\n");
    // The printed chart: hidden on screen; the screen chart above is hidden in print.
    out.push_str("<div class=\"gantt-print-pages\">\n");
    gantt_svg::gantt_pages(out, spill, report, "<div class=\"gantt-page\">", "</div>\n");
    out.push_str("</div>\n</section>\n");
}

/// Milestones due in the next quarter, and those missed.
fn milestones(out: &mut String, report: &Report) {
    open_section(out, "milestones", "Milestones");
    out.push_str("<h3>Due in the next quarter</h3>\n");
    milestone_table(
        out,
        "Milestones due in the next quarter",
        &report.milestones_due,
        "No milestone is forecast in the next three months.",
    );
    out.push_str("<h3>Missed</h3>\n");
    milestone_table(
        out,
        "Milestones missed",
        &report.milestones_missed,
        "No milestone has been missed.",
    );
    out.push_str("</section>\n");
}

/// The savings chart and the view's tables of money by year and by theme.
fn finance(out: &mut String, report: &Report) {
    open_chart_section(out, "finance", "Finance by financial year");
    out.push_str("<figure class=\"chart\">\n<div class=\"scroll\">");
    out.push_str(&svg::savings(report));
    out.push_str("</div>\n<figcaption>\n<ul class=\"legend\">\n");
    out.push_str(concat!(
        "<li><svg width=\"16\" height=\"12\" aria-hidden=\"true\"><rect class=\"money capital\" x=\"1\" y=\"1\" width=\"14\" height=\"10\"/></svg> Capital</li>\n",
        "<li><svg width=\"16\" height=\"12\" aria-hidden=\"true\"><rect class=\"money revenue\" x=\"1\" y=\"1\" width=\"14\" height=\"10\"/></svg> Revenue</li>\n",
        "<li><svg width=\"16\" height=\"12\" aria-hidden=\"true\"><rect class=\"money saving\" x=\"1\" y=\"1\" width=\"14\" height=\"10\"/></svg> Cashable savings</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><path class=\"cumulative\" d=\"M1,10 L27,2\"/><circle class=\"cumulative-point\" cx=\"14\" cy=\"6\" r=\"3\"/></svg> Cumulative net cashable</li>\n",
        "<li><svg width=\"32\" height=\"14\" aria-hidden=\"true\"><line class=\"target-line\" x1=\"1\" y1=\"7\" x2=\"22\" y2=\"7\"/><path class=\"target-mark\" d=\"M22,7 l9,-6 v12 z\"/></svg> Savings target</li>\n",
    ));
    if report
        .years
        .iter()
        .any(|y| y.capital_budget.is_some() || y.revenue_budget.is_some())
    {
        out.push_str("<li><svg width=\"20\" height=\"12\" aria-hidden=\"true\"><line x1=\"1\" y1=\"6\" x2=\"19\" y2=\"6\" stroke=\"#1a1a1a\" stroke-width=\"3\"/></svg> Capital or revenue budget</li>\n");
    }
    out.push_str("</ul>\n</figcaption>\n</figure>\n");
    out.push_str("<h3>Figures by financial year</h3>\n");
    out.push_str(&report.years_table().html(true));
    if let Some(note) = report.planned_note() {
        let _ = writeln!(out, "<p class=\"note\">{note}</p>");
    }
    if let Some(table) = report.outturn_table() {
        out.push_str("<h3>Plan, actual and forecast</h3>\n");
        out.push_str(&table.html(true));
    }
    if let (Some(table), Some(section)) = (report.benefits_table(), &report.benefits) {
        out.push_str("<h3>Benefits register</h3>\n");
        out.push_str(&table.html(true));
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            crate::report::text::escape_html(&section.rule())
        );
    }
    out.push_str("<h3>Finance by theme</h3>\n");
    out.push_str(&report.themes_table().html(true));
    if let Some(note) = report.money.rounding_note() {
        let _ = writeln!(out, "<p class=\"note\">{note}</p>");
    }
    out.push_str("</section>\n");
}

/// Each team: its chart by month (demand stacked by project against its size) and its table
/// by financial year. Absent without teams.
fn capacity(out: &mut String, report: &Report) {
    if report.capacity.is_empty() {
        return;
    }
    open_chart_section(out, "capacity", "Capacity by team");
    out.push_str("<p>People are full-time equivalents. Each column stacks the people the projects running that month need, on average over its working days; the line is the people the team has; ▲ marks a month with days on which more are needed than the team has.</p>\n");
    for team in &report.capacity {
        let _ = writeln!(
            out,
            "<h3>{} <code>{}</code></h3>\n<figure class=\"chart\">\n<div class=\"scroll\">{}</div>\n<figcaption>\n<ul class=\"legend\">",
            esc(&team.title),
            esc(&team.id),
            team.chart()
        );
        for project in &team.projects {
            let _ = writeln!(
                out,
                "<li><svg width=\"16\" height=\"12\" aria-hidden=\"true\"><rect class=\"demand d{}\" x=\"1\" y=\"1\" width=\"14\" height=\"10\"/></svg> <code>{}</code></li>",
                team.colour(project),
                esc(project)
            );
        }
        out.push_str("<li><svg width=\"20\" height=\"12\" aria-hidden=\"true\"><path class=\"capacity-line\" d=\"M1,6 L19,6\"/></svg> People in the team</li>\n</ul>\n</figcaption>\n</figure>\n");
        out.push_str(&team.table().html(true));
    }
    out.push_str("</section>\n");
}

/// Every diagnostic as a list item, its names as code.
fn diagnostics(out: &mut String, diagnostics: &[view::Finding]) {
    open_section(out, "diagnostics", "Diagnostics");
    if diagnostics.is_empty() {
        out.push_str("<p>No problems found in the plan.</p>\n");
    } else {
        for (first, group) in view::by_code(diagnostics) {
            let severity = first.severity.as_str();
            let _ = writeln!(
                out,
                "<h3 class=\"{severity}\">{} {} ({})</h3>\n<ul class=\"findings\">",
                esc(&first.code),
                esc(first.title),
                count(group.len(), severity, &format!("{severity}s"))
            );
            for f in group {
                let _ = write!(
                    out,
                    "<li class=\"{severity}\">{}{}",
                    f.location
                        .as_deref()
                        .map_or(String::new(), |l| format!("<code>{}</code>: ", esc(l))),
                    prose(&f.message)
                );
                for note in &f.notes {
                    let _ = write!(out, "; {}", prose(note));
                }
                if let Some(hint) = &f.hint {
                    let _ = write!(out, ". <em>Hint:</em> {}", prose(hint));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</section>\n");
}

/// The end of the page: the footer saying where the figures come from.
fn foot(out: &mut String, report: &Report) {
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer><p>Made by tranche from the plan as of {}. Every figure is computed once and shown identically in the Markdown and JSON reports.</p></footer>\n</body>\n</html>",
        date_text(report.as_of)
    );
}

/// The delivery confidence the plan states, beside the computed RAG: what the report leads
/// with, as major-project reports do. Absent when the plan states none.
fn confidence(out: &mut String, report: &Report) {
    if report.confidence.is_empty() {
        return;
    }
    open_section(out, "confidence", "Delivery confidence");
    let _ = writeln!(
        out,
        "<p>As stated in the plan as of {}, beside the RAG its schedule computes.</p>",
        date_text(report.as_of)
    );
    out.push_str(&report.confidence_table().html(true));
    out.push_str("</section>\n");
}

/// What changed since the previous report: the first question after the confidence.
fn since_section(
    out: &mut String,
    since: &crate::report::since::Since,
    money: crate::report::text::MoneyScale,
) {
    open_section(out, "since", "Changes since the previous report");
    let summary = esc(&since.summary()).replace('`', "");
    let _ = writeln!(out, "<p>{summary}</p>");
    for table in since.tables(money) {
        out.push_str(&table.html(true));
    }
    out.push_str("</section>\n");
}

/// The options appraisal and the selection (`report --options`), through the tables
/// `tranche options` and `tranche select` print.
fn options_section(
    out: &mut String,
    options: &super::view::OptionsSection,
    money: crate::money::MoneyScale,
) {
    use super::{options_render, select_render};
    open_section(out, "options", "Options");
    let _ = writeln!(
        out,
        "<p>{}</p>",
        esc(&options_render::note(&options.comparison))
    );
    let table = options_render::table(&options.comparison, money);
    let removed = options_render::removed(&options.comparison);
    out.push_str(&options_render::html_body(
        &options.comparison,
        &table,
        &removed,
    ));
    out.push_str("<h3>Selection</h3>\n");
    let _ = writeln!(
        out,
        "<p>{}</p>",
        esc(&select_render::summary(&options.selection))
    );
    for table in select_render::tables(&options.selection, money) {
        let _ = writeln!(out, "<h4>{}</h4>", esc(table.caption));
        out.push_str(&table.html(true));
    }
    out.push_str("</section>\n");
}

/// The plan's history (`report --trend`): the milestone and savings trend charts, then where
/// each milestone followed stands and each reporting point.
fn trend_section(out: &mut String, trend: &crate::trend::Trend, title: &str) {
    use super::trend_render;
    open_chart_section(out, "trend", "Milestone trend");
    let _ = writeln!(
        out,
        "<p>{}.</p>",
        esc(&trend_render::headline(trend, title))
    );
    out.push_str("<div class=\"scroll\">");
    out.push_str(&trend_render::charts(trend, title));
    out.push_str("</div>\n");
    out.push_str(&trend_render::lines_table(trend).html(true));
    out.push_str(&trend_render::points_table(trend).html(true));
    out.push_str("</section>\n");
}

/// The risk section: the S-curve and its table of percentiles and chances, deadlines and
/// targets, the NPV spread, and the tornado chart and its table of drivers.
fn risk_section(
    out: &mut String,
    risk: &view::RiskSection,
    money: crate::report::text::MoneyScale,
) {
    open_chart_section(out, "risk", "Schedule and savings risk");
    let _ = writeln!(
        out,
        "<p class=\"method\">Monte Carlo simulation: {}. P<var>n</var> is the value with <var>n</var>% of iterations at or before (or below) it.</p>",
        esc(&risk.method_text)
    );
    risk_finish(out, risk);
    if !risk.deadlines.is_empty() {
        out.push_str("<h3>Deadlines</h3>\n");
        out.push_str(&risk.deadlines_table().html(true));
    }
    if !risk.targets.is_empty() {
        out.push_str("<h3>Savings targets</h3>\n");
        out.push_str(&risk.targets_table(money).html(true));
    }
    risk_npv(out, &risk.npv, money);
    if let Some(events) = &risk.events {
        out.push_str("<h3>With and without risk events</h3>\n");
        out.push_str(&events.table(money).html(true));
    }
    risk_drivers(out, risk);
    if !risk.fixed_critical.is_empty() {
        out.push_str(&risk.fixed_critical_table().html(true));
    }
    out.push_str("</section>\n");
}

/// The finish date: cards for the three figures a committee asks first, the S-curve, and
/// the table of percentiles.
fn risk_finish(out: &mut String, risk: &view::RiskSection) {
    out.push_str("<h3>Finish date</h3>\n<dl class=\"cards\">\n");
    // One rule flags the P80 card and the chance of finishing by the plan end: one in five or
    // more finish late.
    let late = risk.finish.p80 > risk.plan_end;
    card(
        out,
        late,
        "P80 finish",
        &date_text(risk.finish.p80),
        &format!("P50 {}", date_text(risk.finish.p50)),
    );
    card(
        out,
        false,
        "Chance of finishing by the planned finish",
        &esc(&risk.finish_by_planned.text),
        &format!("planned finish {}", date_text(risk.finish.planned)),
    );
    card(
        out,
        late,
        "Chance of finishing by the plan end",
        &esc(&risk.finish_by_end.text),
        &format!("plan end {}", date_text(risk.plan_end)),
    );
    out.push_str("</dl>\n<figure class=\"chart\">\n<div class=\"scroll\">");
    out.push_str(&risk_svg::s_curve(risk));
    out.push_str("</div>\n<figcaption>\n<ul class=\"legend\">\n");
    out.push_str(concat!(
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><path class=\"s-curve-line\" d=\"M1,11 H10 V6 H18 V1 H27\"/></svg> Chance of finishing by the date</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><path class=\"percentile-guide\" d=\"M1,6 H14 V12\"/><circle class=\"percentile-point\" cx=\"14\" cy=\"6\" r=\"3\"/></svg> P50 and P80</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><line class=\"risk-planned\" x1=\"14\" y1=\"0\" x2=\"14\" y2=\"12\"/></svg> Planned finish (dashed)</li>\n",
        "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\"><line class=\"risk-plan-end\" x1=\"14\" y1=\"0\" x2=\"14\" y2=\"12\"/></svg> Plan end (solid)</li>\n",
    ));
    out.push_str("</ul>\n</figcaption>\n</figure>\n");
    out.push_str(&risk.spreads_table().html(true));
    if let Some(note) = risk.fixed_milestones_note() {
        let _ = writeln!(out, "<p>{}</p>", prose(&note));
    }
}

/// The spread of the net present value, a row of figures.
fn risk_npv(out: &mut String, n: &view::MoneySpread, money: crate::report::text::MoneyScale) {
    out.push_str("<h3>Net present value (cashable)</h3>\n");
    let mut table = Table::new(
        "Spread of the net present value",
        vec![
            Column::text(""),
            Column::number("Planned"),
            Column::number("P10"),
            Column::number("P50"),
            Column::number("P80"),
            Column::number("P90"),
            Column::number("Mean"),
        ],
    );
    table.money = money;
    let mut row = vec![Cell::Text("Net present value".into())];
    row.extend(n.figures().map(|f| f.cell()));
    table.push(row);
    out.push_str(&table.html(true));
}

/// What drives the finish date: the tornado chart and its table.
fn risk_drivers(out: &mut String, risk: &view::RiskSection) {
    out.push_str("<h3>What drives the finish date</h3>\n");
    if risk.drivers.is_empty() {
        out.push_str(
            "<p>No project has a duration range wider than a day, so none drives the risk.</p>\n",
        );
    } else {
        out.push_str("<p>Cruciality is the rank correlation of a project's duration with the portfolio finish (+1: longer always means later); criticality is the share of iterations in which it is critical. Durations are in working days.</p>\n");
        out.push_str("<figure class=\"chart\">\n<div class=\"scroll\">");
        out.push_str(&risk_svg::tornado(risk));
        out.push_str("</div>\n</figure>\n");
        out.push_str(&risk.drivers_table().html(true));
        if let Some(note) = risk.drivers_left_out_note() {
            let _ = writeln!(out, "<p>{}</p>", prose(&note));
        }
    }
}

/// Opens a section of the page, which its `h2` names for screen readers; `</section>` closes it.
fn open_section(out: &mut String, id: &str, title: &str) {
    let _ = writeln!(
        out,
        "<section id=\"{id}\" aria-labelledby=\"h-{id}\">\n<h2 id=\"h-{id}\">{title}</h2>"
    );
}

/// [`open_section`] for a section with a chart, which starts a page of its own in print.
fn open_chart_section(out: &mut String, id: &str, title: &str) {
    let _ = writeln!(
        out,
        "<section id=\"{id}\" class=\"chart-section\" aria-labelledby=\"h-{id}\">\n<h2 id=\"h-{id}\">{title}</h2>"
    );
}

/// Diagnostic text with its `backticked` names as `<code>`.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

fn opt(text: &Option<String>) -> String {
    text.as_deref().map_or("—".into(), esc)
}

/// A figure as a card; `late` marks one that warns (work late, errors found).
fn card(out: &mut String, late: bool, term: &str, value: &str, detail: &str) {
    let class = if late { "card late" } else { "card" };
    let _ = write!(
        out,
        "<div class=\"{class}\"><dt>{term}</dt><dd class=\"value\">{value}</dd>"
    );
    if !detail.is_empty() {
        let _ = write!(out, "<dd class=\"detail\">{detail}</dd>");
    }
    out.push_str("</div>\n");
}

fn rag_cell(rag: Option<Rag>) -> String {
    format!(
        "<td class=\"rag {}\"><span aria-hidden=\"true\">{} </span>{}</td>",
        rag_class(rag),
        rag_mark(rag),
        rag_text(rag)
    )
}

fn rag_chip(rag: Option<Rag>, count: &str) -> String {
    format!(
        "<span class=\"chip {}\"><span aria-hidden=\"true\">{} </span>{} {count}</span>",
        rag_class(rag),
        rag_mark(rag),
        rag_text(rag)
    )
}

fn milestone_table(
    out: &mut String,
    caption: &'static str,
    milestones: &[MilestoneStatus],
    none: &str,
) {
    if milestones.is_empty() {
        let _ = writeln!(out, "<p>{none}</p>");
        return;
    }
    out.push_str(&view::milestones_table(caption, milestones).html(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_names_become_code() {
        assert_eq!(
            prose("unknown project `a<b`"),
            "unknown project <code>a&lt;b</code>"
        );
    }

    #[test]
    fn rag_has_a_word_and_a_shape() {
        let cell = rag_cell(Some(Rag::Red));
        assert!(cell.contains("Red"));
        assert!(cell.contains('■'));
    }
}
