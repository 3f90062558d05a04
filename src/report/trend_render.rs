//! `tranche trend` as text: a table for the terminal, CSV, JSON, and the milestone trend chart
//! (SVG alone, or in a self-contained HTML page with the tables). Computes nothing: every figure
//! is the [`Trend`]'s.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::diagnostic::count::count;
use crate::money::Money;
use crate::report::text::{Cell, Column, Table, escape_html};
use crate::report::view::days_text;
use crate::trend::{Line, Trend};

/// How `tranche trend` writes the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrendFormat {
    /// Tables for a terminal.
    Table,
    /// One row per point and milestone, programme or targeted year (for a spreadsheet).
    Csv,
    /// The whole trend (schema in docs/json.md).
    Json,
    /// The milestone trend chart and the savings trend chart, as one SVG.
    Svg,
    /// A self-contained page: both charts and the tables.
    Html,
}

/// Renders `trend` of the plan titled `title`.
pub fn render(trend: &Trend, title: &str, format: TrendFormat) -> String {
    match format {
        TrendFormat::Table => table(trend, title),
        TrendFormat::Csv => csv(trend),
        TrendFormat::Json => {
            let document = Document {
                schema: "tranche-trend",
                version: 1,
                title,
                trend,
            };
            let mut text = serde_json::to_string_pretty(&document)
                .unwrap_or_else(|e| panic!("a trend serialises to JSON: {e}"));
            text.push('\n');
            text
        }
        TrendFormat::Svg => {
            let mut out = charts(trend, title);
            out.push('\n');
            out
        }
        TrendFormat::Html => html(trend, title),
    }
}

/// The JSON document: versioned like every JSON tranche writes (docs/json.md).
#[derive(serde::Serialize)]
struct Document<'a> {
    schema: &'static str,
    version: u32,
    title: &'a str,
    #[serde(flatten)]
    trend: &'a Trend,
}

fn short(commit: &str) -> String {
    commit.chars().take(12).collect()
}

fn opt_date(d: Option<NaiveDate>) -> Cell {
    d.map_or(Cell::Missing, |d| Cell::Text(d.to_string()))
}

/// The milestones and programmes followed: where each stands and how it moved.
pub(crate) fn lines_table(trend: &Trend) -> Table {
    let mut table = Table::new(
        "Milestones and programmes",
        vec![
            Column::text("id"),
            Column::text("title"),
            Column::date("first forecast"),
            Column::date("latest forecast"),
            Column::number("moved (days)"),
            Column::number("since previous"),
            Column::number("slipped in a row"),
            Column::date("baseline"),
            Column::date("deadline"),
        ],
    );
    for line in &trend.lines {
        let known: Vec<NaiveDate> = line.forecasts.iter().flatten().copied().collect();
        table.push(vec![
            Cell::Code(line.id.clone()),
            Cell::User(line.title.clone()),
            opt_date(known.first().copied()),
            opt_date(known.last().copied()),
            Cell::Text(days_text(line.moved_since_first_days)),
            Cell::Text(days_text(line.moved_since_previous_days)),
            Cell::Text(line.slipped_in_a_row.to_string()),
            opt_date(line.baseline),
            opt_date(line.deadline),
        ]);
    }
    table
}

/// Each reporting point: its date, commit, the plan's finish and NPV.
pub(crate) fn points_table(trend: &Trend) -> Table {
    let mut table = Table::new(
        "Reporting points",
        vec![
            Column::date("status date"),
            Column::text("commit"),
            Column::date("plan finish"),
            Column::number("NPV"),
        ],
    );
    for p in &trend.points {
        table.push(vec![
            Cell::Text(p.status_date.to_string()),
            Cell::Code(short(&p.commit)),
            Cell::Text(p.finish.to_string()),
            Cell::Text(p.npv.to_string()),
        ]);
    }
    table
}

/// Each targeted year: the target and the forecast at the first and latest points.
fn savings_table(trend: &Trend) -> Table {
    let mut table = Table::new(
        "Savings targets",
        vec![
            Column::text("year"),
            Column::number("target"),
            Column::number("first forecast"),
            Column::number("latest forecast"),
        ],
    );
    for s in &trend.savings {
        let known: Vec<Money> = s.forecasts.iter().flatten().copied().collect();
        let money = |m: Option<&Money>| m.map_or(Cell::Missing, |m| Cell::Text(m.to_string()));
        table.push(vec![
            Cell::Text(s.year.clone()),
            Cell::Text(s.target.to_string()),
            money(known.first()),
            money(known.last()),
        ]);
    }
    table
}

/// The tables that have rows, in the order the terminal and the page show them.
fn tables(trend: &Trend) -> impl Iterator<Item = Table> {
    [
        lines_table(trend),
        points_table(trend),
        savings_table(trend),
    ]
    .into_iter()
    .filter(|table| !table.rows.is_empty())
}

pub(crate) fn headline(trend: &Trend, title: &str) -> String {
    let span = match (trend.points.first(), trend.points.last()) {
        (Some(first), Some(last)) => format!(
            "{} from {} to {}",
            count(trend.points.len(), "point", "points"),
            first.status_date,
            last.status_date
        ),
        _ => "no version of the plan could be analysed".to_string(),
    };
    format!("Trend of {title}: {span}")
}

fn table(trend: &Trend, title: &str) -> String {
    let mut out = headline(trend, title);
    out.push_str("\n\n");
    for table in tables(trend) {
        let _ = writeln!(out, "{}", table.caption);
        out.push_str(&table.plain());
        out.push('\n');
    }
    for s in &trend.skipped {
        let _ = writeln!(
            out,
            "skipped {}: {}",
            short(&s.commit),
            count(s.errors, "error", "errors")
        );
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn csv(trend: &Trend) -> String {
    let mut table = Table::new(
        "Trend",
        vec![
            Column::date("status_date"),
            Column::text("commit"),
            Column::text("kind"),
            Column::text("id"),
            Column::text("forecast"),
            Column::text("baseline_or_target"),
        ],
    );
    for (i, p) in trend.points.iter().enumerate() {
        let row = |kind: &str, id: &str, forecast: String, against: String| {
            vec![
                Cell::Text(p.status_date.to_string()),
                Cell::Text(p.commit.clone()),
                Cell::Text(kind.to_string()),
                Cell::User(id.to_string()),
                Cell::Text(forecast),
                Cell::Text(against),
            ]
        };
        table.push(row("plan", "", p.finish.to_string(), String::new()));
        for line in &trend.lines {
            if let Some(Some(date)) = line.forecasts.get(i) {
                let against = line.baseline.map(|d| d.to_string()).unwrap_or_default();
                table.push(row(line.kind, &line.id, date.to_string(), against));
            }
        }
        for s in &trend.savings {
            if let Some(Some(m)) = s.forecasts.get(i) {
                let pounds = crate::report::text::decimal_pounds;
                table.push(row("savings", &s.year, pounds(*m), pounds(s.target)));
            }
        }
    }
    table.csv()
}

/// A scale from values to pixels.
struct Axis {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Axis {
    fn new(lo: f64, hi: f64, from: f64, to: f64) -> Axis {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Axis { lo, hi, from, to }
    }

    /// From the least of `values` to the greatest.
    fn over(values: &[f64], from: f64, to: f64) -> Axis {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Axis::new(lo, hi, from, to)
    }

    fn at(&self, v: f64) -> f64 {
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

fn day(d: NaiveDate) -> f64 {
    // Days since the common era: a plain number to scale.
    f64::from(chrono::Datelike::num_days_from_ce(&d))
}

/// Twelve colours told apart in print and by most colour-blind readers (Okabe-Ito and Tol).
const COLOURS: [&str; 12] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#882255",
    "#117733", "#999933", "#44aa99", "#aa4499",
];

const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 560.0;

/// Both charts, one above the other, as one SVG.
pub(crate) fn charts(trend: &Trend, title: &str) -> String {
    let savings_height = if trend.savings.is_empty() { 0.0 } else { 300.0 };
    let height = HEIGHT + savings_height;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="trend" role="img" aria-labelledby="trend-title trend-desc" viewBox="0 0 {WIDTH:.0} {height:.0}" width="{WIDTH:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12"><title id="trend-title">{}</title><desc id="trend-desc">Milestone trend chart: for each reporting date across, each milestone's forecast date up; a line that climbs is slipping, a flat line holds, and the diagonal is where a forecast date has arrived. {}. The tables give the same dates.</desc>"#,
        escape_html(&headline(trend, title)),
        count(trend.lines.len(), "line", "lines"),
    );
    milestone_chart(&mut out, trend);
    if !trend.savings.is_empty() {
        savings_chart(&mut out, trend, HEIGHT);
    }
    out.push_str("</svg>");
    out
}

/// The reporting dates across, from `left` to `right`, as both charts share them; `None` when
/// there is no reporting point to draw.
fn reporting_dates(trend: &Trend, left: f64, right: f64) -> Option<Axis> {
    let reported: Vec<f64> = trend.points.iter().map(|p| day(p.status_date)).collect();
    (!reported.is_empty()).then(|| Axis::over(&reported, left, right))
}

/// The two axes of a chart: across at `bottom`, up at `left`.
fn axes(out: &mut String, left: f64, right: f64, top: f64, bottom: f64) {
    let _ = write!(
        out,
        r##"<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#444"/><line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#444"/>"##
    );
}

/// Each reporting point's date under the axis across.
fn reporting_ticks(out: &mut String, trend: &Trend, x: &Axis, bottom: f64) {
    for p in &trend.points {
        let _ = write!(
            out,
            r##"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            x.at(day(p.status_date)),
            bottom + 16.0,
            p.status_date
        );
    }
}

fn milestone_chart(out: &mut String, trend: &Trend) {
    let (left, right, top, bottom) = (90.0, WIDTH - 230.0, 40.0, HEIGHT - 50.0);
    let Some(x) = reporting_dates(trend, left, right) else {
        return;
    };
    let mut forecast: Vec<f64> = trend
        .lines
        .iter()
        .flat_map(|l| {
            l.forecasts
                .iter()
                .flatten()
                .chain(l.baseline.iter())
                .chain(l.deadline.iter())
                .map(|d| day(*d))
                .collect::<Vec<_>>()
        })
        .collect();
    // The axis up spans the reporting dates too, so the diagonal below (where a forecast date
    // has arrived) lies within the chart.
    forecast.extend(trend.points.iter().map(|p| day(p.status_date)));
    let y = Axis::over(&forecast, bottom, top);
    let _ = write!(
        out,
        r##"<text x="{left}" y="22" font-size="15" font-weight="bold">Milestone trend</text>"##
    );
    axes(out, left, right, top, bottom);
    let _ = write!(
        out,
        r##"<text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="middle">reporting date</text><text class="axis-label" transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">forecast date</text>"##,
        (left + right) / 2.0,
        bottom + 40.0,
        (top + bottom) / 2.0
    );
    // Dates on both axes: every reporting point across, the range's ends up.
    reporting_ticks(out, trend, &x, bottom);
    // Up the side, the first of January and of July in the range, with a faint grid line.
    let years =
        |v: f64| NaiveDate::from_num_days_from_ce_opt(v as i32).map(|d| chrono::Datelike::year(&d));
    if let (Some(first), Some(last)) = (years(y.lo), years(y.hi)) {
        for year in first..=last {
            for month in [1, 7] {
                let Some(d) = NaiveDate::from_ymd_opt(year, month, 1) else {
                    continue;
                };
                let v = day(d);
                if v < y.lo || v > y.hi {
                    continue;
                }
                let py = y.at(v);
                let _ = write!(
                    out,
                    r##"<line class="grid" x1="{left}" y1="{py:.1}" x2="{right}" y2="{py:.1}" stroke="#e4e4e4"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{d}</text>"##,
                    left - 6.0,
                    py + 4.0
                );
            }
        }
    }
    // The diagonal: forecast = reporting date, where a milestone's date has arrived.
    let (lo, hi) = (x.lo.max(y.lo), x.hi.min(y.hi));
    if hi > lo {
        let _ = write!(
            out,
            r##"<line class="diagonal" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#888" stroke-dasharray="6 4"/>"##,
            x.at(lo),
            y.at(lo),
            x.at(hi),
            y.at(hi)
        );
    }
    for (i, line) in trend.lines.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        draw_line(out, trend, line, colour, &x, &y, right);
    }
}

fn draw_line(
    out: &mut String,
    trend: &Trend,
    line: &Line,
    colour: &str,
    x: &Axis,
    y: &Axis,
    right: f64,
) {
    let points: Vec<(f64, f64)> = trend
        .points
        .iter()
        .zip(&line.forecasts)
        .filter_map(|(p, f)| f.map(|f| (x.at(day(p.status_date)), y.at(day(f)))))
        .collect();
    let path: Vec<String> = points
        .iter()
        .map(|(px, py)| format!("{px:.1},{py:.1}"))
        .collect();
    let _ = write!(
        out,
        r#"<g class="trend-line" data-id="{}"><title>{} ({})</title><polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5"/>"#,
        escape_html(&line.id),
        escape_html(&line.title),
        escape_html(&line.id),
        path.join(" ")
    );
    for (px, py) in &points {
        let _ = write!(
            out,
            r#"<circle cx="{px:.1}" cy="{py:.1}" r="3.5" fill="{colour}"/>"#
        );
    }
    if let Some(b) = line.baseline {
        let _ = write!(
            out,
            r#"<line class="baseline" x1="{:.1}" y1="{:.1}" x2="{right:.1}" y2="{:.1}" stroke="{colour}" stroke-dasharray="2 3"/>"#,
            x.from,
            y.at(day(b)),
            y.at(day(b))
        );
    }
    if let Some(d) = line.deadline {
        let _ = write!(
            out,
            r##"<path class="deadline" d="M{right:.1},{:.1} l8,-5 v10 z" fill="#b00020"><title>deadline {d}</title></path><text class="deadline-label" x="{:.1}" y="{:.1}" fill="#b00020">deadline {d}</text>"##,
            y.at(day(d)),
            right + 12.0,
            y.at(day(d)) + 4.0
        );
    }
    if let Some((px, py)) = points.last() {
        let _ = write!(
            out,
            r#"<text class="line-label" x="{:.1}" y="{:.1}" fill="{colour}">{}</text>"#,
            px.max(right - 20.0) + 14.0,
            py + 4.0,
            escape_html(&line.id)
        );
    }
    out.push_str("</g>");
}

fn savings_chart(out: &mut String, trend: &Trend, offset: f64) {
    let (left, right, top, bottom) = (90.0, WIDTH - 230.0, offset + 40.0, offset + 250.0);
    let Some(x) = reporting_dates(trend, left, right) else {
        return;
    };
    let amounts: Vec<f64> = trend
        .savings
        .iter()
        .flat_map(|s| {
            s.forecasts
                .iter()
                .flatten()
                .chain(std::iter::once(&s.target))
                .map(|m| m.0 as f64)
                .collect::<Vec<_>>()
        })
        .chain(std::iter::once(0.0))
        .collect();
    let y = Axis::over(&amounts, bottom, top);
    let _ = write!(
        out,
        r##"<text x="{left}" y="{:.1}" font-size="15" font-weight="bold">Savings trend: forecast for each targeted year against its target</text>"##,
        offset + 22.0,
    );
    axes(out, left, right, top, bottom);
    let _ = write!(
        out,
        r##"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
        left - 6.0,
        y.at(y.hi) + 4.0,
        Money(y.hi as i64),
        left - 6.0,
        y.at(y.lo) + 4.0,
        Money(y.lo as i64),
    );
    reporting_ticks(out, trend, &x, bottom);
    for (i, s) in trend.savings.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let points: Vec<String> = trend
            .points
            .iter()
            .zip(&s.forecasts)
            .filter_map(|(p, f)| {
                f.map(|f| format!("{:.1},{:.1}", x.at(day(p.status_date)), y.at(f.0 as f64)))
            })
            .collect();
        let ty = y.at(s.target.0 as f64);
        let _ = write!(
            out,
            r#"<g class="savings-line" data-year="{}"><title>{}: target {}</title><polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5"/><line class="target" x1="{left}" y1="{ty:.1}" x2="{right}" y2="{ty:.1}" stroke="{colour}" stroke-dasharray="2 3"/><text class="line-label" x="{:.1}" y="{:.1}" fill="{colour}">{} target</text></g>"#,
            escape_html(&s.year),
            escape_html(&s.year),
            s.target,
            points.join(" "),
            right + 14.0,
            ty + 4.0,
            escape_html(&s.year),
        );
    }
}

fn html(trend: &Trend, title: &str) -> String {
    let head = escape_html(&headline(trend, title));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{head}</title>\n<style>body{{font-family:sans-serif;max-width:1040px;margin:1em auto;padding:0 1em}}table{{border-collapse:collapse;margin:0 0 1.5em}}th,td{{border:1px solid #bbb;padding:.2em .5em}}.num{{text-align:right}}@media print{{@page{{size:A4 landscape;margin:12mm}}svg{{max-width:100%;height:auto}}}}</style>\n</head>\n<body>\n<h1>{head}</h1>\n"
    );
    out.push_str(&charts(trend, title));
    out.push('\n');
    for table in tables(trend) {
        let _ = writeln!(out, "<h2>{}</h2>", table.caption);
        out.push_str(&table.html(true));
    }
    if !trend.skipped.is_empty() {
        out.push_str("<h2>Versions skipped</h2>\n<ul>\n");
        for s in &trend.skipped {
            let _ = writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape_html(&short(&s.commit)),
                count(s.errors, "error", "errors")
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
