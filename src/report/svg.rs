//! The report's charts as inline SVG: the Gantt chart and the savings chart.
//!
//! Input: the [`Gantt`](super::view::Gantt) and the years of a [`Report`]. Output: an `<svg>` element as a string,
//! for the HTML page to inline. Invariant: only layout is computed here (pixels from dates and
//! pence); every label and figure shown is the view's text, and coordinates are printed with one
//! decimal so the same report gives the same bytes.
//!
//! Elements carry `data-gantt` attributes (`bar`, `baseline`, `summary`, `milestone`, `link`) and
//! `data-id`, so tests (and the browser check) can count what was drawn.

use crate::diagnostic::count::count;
use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;

use super::view::{Gantt, GanttRow, Report, RowKind, YearFinance, date_text, days_text, rag_text};
use crate::model::LinkKind;
use crate::report::text::escape_html as esc;

/// Width of both charts in SVG units; the page scales them to fit.
const WIDTH: f64 = 1120.0;
const LABEL_WIDTH: f64 = 300.0;
const RIGHT_MARGIN: f64 = 16.0;
const ROW_HEIGHT: f64 = 22.0;
const HEADER_HEIGHT: f64 = 40.0;

/// The Gantt chart: year bands, baseline bars behind forecast bars, programme summary bars,
/// milestones as diamonds, the status-date line and dependency arrows (`path.link`; the page
/// hides the non-critical ones until asked).
pub(crate) fn gantt(report: &Report) -> String {
    let gantt = &report.gantt;
    let n_rows = gantt.rows.len().max(1);
    let height = HEADER_HEIGHT + ROW_HEIGHT * n_rows as f64 + 8.0;
    let scale = Scale::new(gantt.start, gantt.end);
    let mut out = String::new();
    svg_open(
        &mut out,
        "gantt",
        WIDTH,
        height,
        &format!("Gantt chart of {}", esc(&report.title)),
        &format!(
            r#"{} and {} from {} to {}; critical work is hatched with a heavy outline; grey bars behind are the baseline. The tables of status by project and milestones give the same dates."#,
            count(report.headline.n_projects, "project", "projects"),
            count(report.headline.n_milestones, "milestone", "milestones"),
            date_text(gantt.start),
            date_text(gantt.end)
        ),
    );
    out.push_str(DEFS);
    year_bands(&mut out, gantt, &scale, height);
    let centres = rows(&mut out, gantt, &scale);
    links(&mut out, gantt, &scale, &centres);
    status_line(&mut out, gantt, &scale, height);
    out.push_str("</svg>");
    out
}

/// Each drawn row by id: the y of its middle, where dependency arrows meet it, and the row.
type RowCentres<'g> = BTreeMap<&'g str, (f64, &'g GanttRow)>;

/// Financial-year bands, alternately shaded, labelled at the top, over the time axis.
fn year_bands(out: &mut String, gantt: &Gantt, scale: &Scale, height: f64) {
    out.push_str(r#"<g class="years">"#);
    for (i, band) in gantt.years.iter().enumerate() {
        let x1 = scale.x(band.start);
        let x2 = scale.x_end(band.end);
        let class = if i % 2 == 0 { "band even" } else { "band odd" };
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{x1:.1}" y="0" width="{:.1}" height="{height:.1}"/><text class="year-label" x="{:.1}" y="16" text-anchor="middle">{}</text>"#,
            (x2 - x1).max(0.0),
            (x1 + x2) / 2.0,
            esc(&band.label)
        );
    }
    let _ = write!(
        out,
        r#"<line class="axis" x1="{LABEL_WIDTH:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        HEADER_HEIGHT - 6.0,
        WIDTH - RIGHT_MARGIN,
        HEADER_HEIGHT - 6.0
    );
    out.push_str("</g>");
}

/// Rows: a label and the item's marks for each. Returns where each row was drawn, for the
/// arrows drawn over them.
fn rows<'g>(out: &mut String, gantt: &'g Gantt, scale: &Scale) -> RowCentres<'g> {
    let mut centres = RowCentres::new();
    out.push_str(r#"<g class="rows">"#);
    for (i, row) in gantt.rows.iter().enumerate() {
        let top = HEADER_HEIGHT + ROW_HEIGHT * i as f64;
        let mid = top + ROW_HEIGHT / 2.0;
        centres.insert(row.id.as_str(), (mid, row));
        let kind = kind_text(row.kind);
        let critical = if row.critical { " critical" } else { "" };
        let _ = write!(
            out,
            r#"<g class="row row-{kind}{critical}" data-id="{}" data-programme="{}">"#,
            esc(&row.id),
            esc(row.programme.as_deref().unwrap_or(""))
        );
        let _ = write!(out, "<title>{}</title>", esc(&tooltip(row)));
        if i % 2 == 1 {
            let _ = write!(
                out,
                r#"<rect class="stripe" x="0" y="{top:.1}" width="{WIDTH:.0}" height="{ROW_HEIGHT:.0}"/>"#
            );
        }
        let indent = 6.0 + 14.0 * row.depth.min(8) as f64;
        let _ = write!(
            out,
            r#"<text class="label label-{kind}" x="{indent:.1}" y="{:.1}">{}</text>"#,
            mid + 4.0,
            esc(&clip(&row.title, label_chars(row.kind, row.depth)))
        );
        baseline_mark(out, scale, row, mid);
        forecast_mark(out, scale, row, mid);
        out.push_str("</g>");
    }
    out.push_str("</g>");
    centres
}

/// The baseline behind a row, when it has one: a diamond outline for a milestone, a thin bar
/// below the forecast for anything else.
fn baseline_mark(out: &mut String, scale: &Scale, row: &GanttRow, mid: f64) {
    let (Some(b_start), Some(b_finish)) = (row.baseline_start, row.baseline_finish) else {
        return;
    };
    if row.kind == RowKind::Milestone {
        let x = scale.x_end(b_finish);
        let _ = write!(
            out,
            r#"<path class="baseline" data-gantt="baseline" data-id="{}" d="M{x:.1},{:.1} l5,5 l-5,5 l-5,-5 z"/>"#,
            esc(&row.id),
            mid - 5.0,
        );
    } else {
        let x1 = scale.x(b_start);
        let x2 = scale.x_end(b_finish);
        let _ = write!(
            out,
            r#"<rect class="baseline" data-gantt="baseline" data-id="{}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="6"/>"#,
            esc(&row.id),
            mid + 3.0,
            (x2 - x1).max(1.0)
        );
    }
}

/// The forecast: a summary bracket for a programme, a bar for a project, a diamond for a
/// milestone.
fn forecast_mark(out: &mut String, scale: &Scale, row: &GanttRow, mid: f64) {
    let critical = if row.critical { " critical" } else { "" };
    match row.kind {
        RowKind::Programme => {
            let x1 = scale.x(row.start);
            let x2 = scale.x_end(row.finish);
            let _ = write!(
                out,
                r#"<path class="summary" data-gantt="summary" data-id="{}" d="M{x1:.1},{:.1} H{x2:.1} v10 l-5,-4 H{:.1} l-5,4 z"/>"#,
                esc(&row.id),
                mid - 5.0,
                x1 + 5.0
            );
        }
        RowKind::Project => project_bar(out, scale, row, mid),
        RowKind::Milestone => {
            let x = scale.x_end(row.finish);
            let _ = write!(
                out,
                r#"<path class="milestone{critical}" data-gantt="milestone" data-id="{}" d="M{x:.1},{:.1} l7,7 l-7,7 l-7,-7 z"/>"#,
                esc(&row.id),
                mid - 8.0
            );
        }
    }
}

/// A project's bar, hatched when critical, with its status in words beside it.
fn project_bar(out: &mut String, scale: &Scale, row: &GanttRow, mid: f64) {
    let critical = if row.critical { " critical" } else { "" };
    let x1 = scale.x(row.start);
    let x2 = scale.x_end(row.finish);
    let _ = write!(
        out,
        r#"<rect class="bar{critical}" data-gantt="bar" data-id="{}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="12" rx="2"/>"#,
        esc(&row.id),
        mid - 8.0,
        (x2 - x1).max(2.0)
    );
    if row.critical {
        let _ = write!(
            out,
            r#"<rect class="hatch" x="{x1:.1}" y="{:.1}" width="{:.1}" height="12" rx="2"/>"#,
            mid - 8.0,
            (x2 - x1).max(2.0)
        );
    }
    // The status in words beside the bar, so the chart reads without the table.
    if row.rag.is_some() {
        let slip = row
            .slip_days
            .map_or(String::new(), |s| format!(" {}", days_text(s)));
        let _ = write!(
            out,
            r#"<text class="bar-note" x="{:.1}" y="{:.1}">{}{slip}</text>"#,
            x2.max(x1 + 2.0) + 10.0,
            mid + 2.0,
            rag_text(row.rag)
        );
    }
}

/// Dependency arrows, from the predecessor's finish (or start) to the successor's start (or
/// finish), with an elbow so they stay readable when bars overlap.
fn links(out: &mut String, gantt: &Gantt, scale: &Scale, centres: &RowCentres<'_>) {
    out.push_str(r#"<g class="links">"#);
    for link in &gantt.links {
        let (Some((y1, from)), Some((y2, to))) = (
            centres.get(link.from.as_str()),
            centres.get(link.to.as_str()),
        ) else {
            continue;
        };
        // Which end of each bar the arrow leaves and reaches; a new kind must say here.
        let (from_end, to_end) = match link.kind {
            LinkKind::FinishToStart => (true, false),
            LinkKind::StartToStart => (false, false),
            LinkKind::FinishToFinish => (true, true),
            LinkKind::StartToFinish => (false, true),
        };
        let x1 = if from_end {
            end_x(scale, from)
        } else {
            scale.x(from.start)
        };
        let x2 = if to_end {
            end_x(scale, to)
        } else {
            scale.x(to.start)
        };
        let critical = if link.critical { " critical" } else { "" };
        // Leave a finish to the right and a start to the left, so the arrow clears its own bar.
        let elbow = if from_end { x1 + 6.0 } else { x1 - 6.0 };
        let y_turn = if y2 > y1 { y2 - 9.0 } else { y2 + 9.0 };
        let _ = write!(
            out,
            r#"<path class="link{critical}" data-gantt="link" data-from="{}" data-to="{}" d="M{x1:.1},{y1:.1} H{elbow:.1} V{y_turn:.1} H{:.1} V{:.1}" marker-end="url(#arrow)"><title>{} → {} ({})</title></path>"#,
            esc(&link.from),
            esc(&link.to),
            x2,
            if y2 > y1 { y2 - 7.0 } else { y2 + 7.0 },
            esc(&link.from),
            esc(&link.to),
            link.kind.code()
        );
    }
    out.push_str("</g>");
}

/// The status-date line, when the status date falls within the chart.
fn status_line(out: &mut String, gantt: &Gantt, scale: &Scale, height: f64) {
    let Some(status) = gantt.status_date else {
        return;
    };
    if status >= gantt.start && status <= gantt.end {
        let x = scale.x(status);
        let _ = write!(
            out,
            r#"<g class="status"><line class="status-line" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{height:.1}"/><text class="status-label" x="{:.1}" y="{:.1}">Status date {}</text></g>"#,
            HEADER_HEIGHT - 10.0,
            x + 4.0,
            HEADER_HEIGHT - 10.0,
            esc(&date_text(status))
        );
    }
}

/// The savings chart: per financial year a bar each for capital, revenue and savings, the
/// cumulative net cashable line, and a marker at each savings target.
pub(crate) fn savings(report: &Report) -> String {
    let years = &report.years;
    let height = 340.0;
    let plot = SavingsPlot::new(years, height);
    let mut out = String::new();
    svg_open(
        &mut out,
        "savings",
        WIDTH,
        height,
        "Capital, revenue and savings by financial year",
        &format!(
            r#"Bars for capital, revenue and cashable savings in {}, a line for the cumulative net cashable position and markers for savings targets{}. The finance table below gives the same figures."#,
            match years.len() {
                1 => "its one financial year".to_string(),
                n => format!("each of {n} financial years"),
            },
            if years
                .iter()
                .any(|y| y.capital_budget.is_some() || y.revenue_budget.is_some())
            {
                ", and a heavy line across the top of the capital or revenue bar at each budget"
            } else {
                ""
            }
        ),
    );
    out.push_str(DEFS);
    plot.grid(&mut out);
    let n = years.len().max(1) as f64;
    let slot = (plot.right - plot.left) / n;
    let bar = (slot * 0.8 / 3.0).min(40.0);
    let mut line_points = Vec::new();
    for (i, year) in years.iter().enumerate() {
        let centre = plot.left + slot * (i as f64 + 0.5);
        plot.year(&mut out, year, centre, bar);
        line_points.push((centre, plot.y(year.cumulative_net.pence), year));
    }
    cumulative_line(&mut out, &line_points);
    out.push_str("</svg>");
    out
}

/// The savings chart's plot area and money axis: a round grid step, the axis widened to whole
/// steps around every figure (and zero), and pence to y.
struct SavingsPlot {
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
    step: i64,
    lo: i64,
    hi: i64,
    /// `hi - lo` in f64, at least 1.
    span: f64,
}

impl SavingsPlot {
    fn new(years: &[YearFinance], height: f64) -> SavingsPlot {
        let (top, bottom) = (24.0, height - 44.0);
        let values = years.iter().flat_map(|y| {
            [
                y.capital.pence,
                y.revenue.pence,
                y.savings.pence,
                y.cumulative_net.pence,
                y.target.as_ref().map_or(0, |t| t.pence),
                y.capital_budget.as_ref().map_or(0, |b| b.pence),
                y.revenue_budget.as_ref().map_or(0, |b| b.pence),
            ]
        });
        let (min, max) = values.fold((0i64, 0i64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let step = nice_step(i128::from(max) - i128::from(min));
        // Saturating and in f64 where it matters: even absurd totals only squash the chart.
        let lo = step.saturating_mul(min.div_euclid(step));
        let hi = step
            .saturating_mul(max.div_euclid(step).saturating_add(1))
            .max(lo.saturating_add(step));
        SavingsPlot {
            top,
            bottom,
            left: 96.0,
            right: WIDTH - RIGHT_MARGIN,
            step,
            lo,
            hi,
            span: (hi as f64 - lo as f64).max(1.0),
        }
    }

    fn y(&self, pence: i64) -> f64 {
        self.bottom - (pence as f64 - self.lo as f64) / self.span * (self.bottom - self.top)
    }

    /// A labelled grid line at every step, the zero line marked.
    fn grid(&self, out: &mut String) {
        let (left, right) = (self.left, self.right);
        out.push_str(r#"<g class="scale">"#);
        let mut tick = self.lo;
        while tick <= self.hi {
            let y = self.y(tick);
            let class = if tick == 0 { "grid zero" } else { "grid" };
            let _ = write!(
                out,
                r#"<line class="{class}" x1="{left:.1}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y + 4.0,
                esc(&short_money(tick))
            );
            let Some(next) = tick.checked_add(self.step) else {
                break;
            };
            tick = next;
        }
        out.push_str("</g>");
    }

    /// One year's group: its label, its three bars, and its savings target if it has one.
    fn year(&self, out: &mut String, year: &YearFinance, centre: f64, bar: f64) {
        let _ = write!(
            out,
            r#"<g class="year" data-year="{}"><text class="year-label" x="{centre:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            esc(&year.label),
            self.bottom + 18.0,
            esc(&year.label)
        );
        for (j, (class, name, figure)) in [
            ("capital", "Capital", &year.capital),
            ("revenue", "Revenue", &year.revenue),
            ("saving", "Savings", &year.savings),
        ]
        .into_iter()
        .enumerate()
        {
            let x = centre - 1.5 * bar + bar * j as f64;
            let (y1, y2) = (self.y(figure.pence.max(0)), self.y(figure.pence.min(0)));
            let _ = write!(
                out,
                r#"<rect class="money {class}" data-chart="{class}" x="{x:.1}" y="{y1:.1}" width="{:.1}" height="{:.1}"><title>{} {}: {}</title></rect>"#,
                (bar - 2.0).max(1.0),
                (y2 - y1).max(0.5),
                name,
                esc(&year.label),
                esc(&figure.text)
            );
        }
        // A budget is a heavy bar across the top of what it limits (capital, revenue), so
        // spending over it shows as the bar standing through the line.
        for (j, name, budget) in [
            (0.0, "Capital", &year.capital_budget),
            (1.0, "Revenue", &year.revenue_budget),
        ] {
            if let Some(budget) = budget {
                let x = centre - 1.5 * bar + bar * j;
                let y = self.y(budget.pence);
                let _ = write!(
                    out,
                    r##"<g class="budget" data-chart="budget"><title>{name} budget {}: {}</title><line class="budget-line" x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#1a1a1a" stroke-width="3"/></g>"##,
                    esc(&year.label),
                    esc(&budget.text),
                    x - 2.0,
                    x + bar
                );
            }
        }
        if let Some(target) = &year.target {
            let y = self.y(target.pence);
            let (x1, x2) = (centre - 1.5 * bar - 4.0, centre + 1.5 * bar + 2.0);
            // A dashed line across the year's bars, so the target reads against the savings
            // bar, and an arrowhead pointing at it.
            let _ = write!(
                out,
                r#"<g class="target" data-chart="target"><title>Savings target {}: {}</title><line class="target-line" x1="{x1:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}"/><path class="target-mark" d="M{x2:.1},{y:.1} l9,-6 v12 z"/></g>"#,
                esc(&year.label),
                esc(&target.text)
            );
        }
        out.push_str("</g>");
    }
}

/// The cumulative net cashable line through each year's point, with a dot per year.
fn cumulative_line(out: &mut String, points: &[(f64, f64, &YearFinance)]) {
    if points.is_empty() {
        return;
    }
    let d: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (x, y, _))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
        .collect();
    let _ = write!(
        out,
        r#"<path class="cumulative" data-chart="cumulative" d="{}"/>"#,
        d.join(" ")
    );
    for (x, y, year) in points {
        let _ = write!(
            out,
            r#"<circle class="cumulative-point" cx="{x:.1}" cy="{y:.1}" r="4"><title>Cumulative net {}: {}</title></circle>"#,
            esc(&year.label),
            esc(&year.cumulative_net.text)
        );
    }
}

/// Opens a chart's `<svg>` as an image named by its title and described by its description,
/// the one accessible opening for every chart of the report; `title` and `description` are
/// HTML already (escaped where they carry user text).
pub(super) fn svg_open(
    out: &mut String,
    class: &str,
    width: f64,
    height: f64,
    title: &str,
    description: &str,
) {
    let _ = write!(
        out,
        r#"<svg class="{class}" role="img" aria-labelledby="{class}-title {class}-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title id="{class}-title">{title}</title><desc id="{class}-desc">{description}</desc>"#
    );
}

/// Patterns and markers both charts use. Ids are fixed, so a page with both charts repeats the
/// same definitions harmlessly (the first wins).
const DEFS: &str = concat!(
    r#"<defs>"#,
    r##"<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2" stroke-opacity="0.7"/></pattern>"##,
    r##"<marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#444"/></marker>"##,
    r#"</defs>"#
);

fn kind_text(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Programme => "programme",
        RowKind::Project => "project",
        RowKind::Milestone => "milestone",
    }
}

fn tooltip(row: &GanttRow) -> String {
    let dates = if row.kind == RowKind::Milestone {
        date_text(row.finish)
    } else {
        format!("{} to {}", date_text(row.start), date_text(row.finish))
    };
    let mut text = format!("{} ({}): {dates}", row.title, row.id);
    if let (Some(start), Some(finish)) = (row.baseline_start, row.baseline_finish) {
        if row.kind == RowKind::Milestone {
            let _ = write!(text, "; baseline {}", date_text(finish));
        } else {
            let _ = write!(
                text,
                "; baseline {} to {}",
                date_text(start),
                date_text(finish)
            );
        }
    }
    if row.kind == RowKind::Project {
        let _ = write!(text, "; RAG {}", rag_text(row.rag));
    }
    if row.critical {
        text.push_str("; critical");
    }
    text
}

/// Labels are cut to fit the label column; the tooltip keeps the whole title.
fn label_chars(kind: RowKind, depth: usize) -> usize {
    // Programme labels are bold, so wider per character.
    let room = if kind == RowKind::Programme { 40 } else { 46 };
    room - 2 * depth.min(8)
}

/// `text` cut to `max_chars` characters (not bytes), ending in `…` where it was cut.
pub(super) fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut clipped: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        clipped.push('…');
        clipped
    }
}

fn end_x(scale: &Scale, row: &GanttRow) -> f64 {
    scale.x_end(row.finish)
}

/// Dates to x: the chart area runs from the start of `start` to the end of `end`.
struct Scale {
    start: NaiveDate,
    days: f64,
}

impl Scale {
    fn new(start: NaiveDate, end: NaiveDate) -> Scale {
        let days = (end.signed_duration_since(start).num_days() + 1).max(1) as f64;
        Scale { start, days }
    }

    /// The left edge of a day.
    fn x(&self, date: NaiveDate) -> f64 {
        let offset = date.signed_duration_since(self.start).num_days() as f64;
        LABEL_WIDTH + offset / self.days * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN)
    }

    /// The right edge of a day (where work that finishes that day ends).
    fn x_end(&self, date: NaiveDate) -> f64 {
        let offset = date.signed_duration_since(self.start).num_days() as f64 + 1.0;
        LABEL_WIDTH + offset / self.days * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN)
    }
}

/// A round step (1, 2 or 5 times a power of ten pounds) giving about five grid lines. Worked
/// in i128 so that no range of i64 pence can overflow it or leave the step too small.
fn nice_step(range_pence: i128) -> i64 {
    let target = (range_pence / 5).max(100);
    let mut power: i128 = 100;
    loop {
        for m in [1, 2, 5] {
            let step = power * m;
            if step >= target {
                return i64::try_from(step).unwrap_or(i64::MAX);
            }
        }
        power *= 10;
    }
}

/// Axis labels only (`£1.5m`, `£250k`, `-£40k`): the figures themselves are always given in
/// full, in the view's text, in the tables and tooltips.
fn short_money(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pounds = pence.unsigned_abs() / 100;
    let text = if pounds >= 1_000_000 {
        let tenths = pounds / 100_000;
        if tenths % 10 == 0 {
            format!("{}m", tenths / 10)
        } else {
            format!("{}.{}m", tenths / 10, tenths % 10)
        }
    } else if pounds >= 1_000 {
        format!("{}k", pounds / 1_000)
    } else {
        format!("{pounds}")
    };
    format!("{sign}£{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0), 100);
        assert_eq!(nice_step(100_000_000), 20_000_000);
        assert_eq!(nice_step(260_000_000), 100_000_000);
        // The widest range of i64 pence still gives a step of about a fifth of it.
        let widest = i128::from(i64::MAX) - i128::from(i64::MIN);
        assert!(i128::from(nice_step(widest)) >= widest / 5);
    }

    #[test]
    fn axis_labels_are_short() {
        assert_eq!(short_money(150_000_000), "£1.5m");
        assert_eq!(short_money(200_000_000), "£2m");
        assert_eq!(short_money(-4_000_000), "-£40k");
        assert_eq!(short_money(0), "£0");
    }

    #[test]
    fn a_day_spans_from_its_left_edge_to_its_right_edge() {
        let d = |m, day| NaiveDate::from_ymd_opt(2021, m, day).unwrap_or(NaiveDate::MIN);
        let scale = Scale::new(d(1, 1), d(1, 10));
        assert!((scale.x(d(1, 1)) - LABEL_WIDTH).abs() < 1e-9);
        assert!((scale.x_end(d(1, 10)) - (WIDTH - RIGHT_MARGIN)).abs() < 1e-9);
        assert!((scale.x_end(d(1, 4)) - scale.x(d(1, 5))).abs() < 1e-9);
    }

    #[test]
    fn long_labels_are_clipped_with_an_ellipsis() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }
}
