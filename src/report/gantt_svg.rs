//! The Gantt chart as inline SVG: the screen's one chart, and the printed pages.
//!
//! Input: the [`Gantt`](super::view::Gantt) of a [`Report`]. Output: `<svg>` elements as
//! strings, for the HTML page to inline. Invariant: only layout is computed here (pixels from
//! dates, where titles wrap, which rows go on which printed page); every label and figure shown
//! is the view's text, and coordinates are printed with one decimal so the same report gives
//! the same bytes.
//!
//! The screen chart is one SVG the page scales to its width. Paper cannot scroll or zoom, so
//! the printed chart is cut into pages instead of shrunk (issue 18): each page is an SVG drawn
//! at one user unit to one CSS pixel, as wide as A4 landscape's printable width, with the
//! time-axis header and a legend of its own, holding whole top-level programmes where they fit
//! and splitting one that does not (its title repeated, "continued"). Its smallest text is
//! 10 px, 7.5 pt.
//!
//! Screen marks carry `data-gantt` attributes (`bar`, `baseline`, `summary`, `milestone`,
//! `link`, `progress`, `deadline`) and printed marks `data-print` ones, each with `data-id`, so
//! tests (and the browser check) can count what each chart drew without counting the other.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;

use super::Spill;
use super::svg::svg_open;
use super::view::{Gantt, GanttLink, GanttRow, Report, RowKind, date_text, days_text, rag_text};
use crate::diagnostic::count::count;
use crate::model::LinkKind;
use crate::report::text::escape_html as esc;

/// How a chart is laid out: the screen's, or a printed page's.
struct Style {
    /// Width in SVG user units. A printed page is drawn at one unit to one CSS pixel.
    width: f64,
    label_width: f64,
    right_margin: f64,
    /// Height of the time-axis header (year labels and the status date's label).
    header: f64,
    /// The least height of a row, and the height each line of its title needs.
    row: f64,
    line: f64,
    /// Font sizes in user units, to judge how many characters fit a line and a note.
    label_font: f64,
    note_font: f64,
    /// The attribute naming each mark, so that the screen's and paper's are counted apart.
    mark: &'static str,
    /// Suffix of the ids of the patterns and markers this chart uses: a pattern in a hidden
    /// SVG does not paint, so the printed pages must not borrow the screen chart's.
    ids: &'static str,
}

const SCREEN: Style = Style {
    width: 1120.0,
    label_width: 340.0,
    right_margin: 16.0,
    header: 40.0,
    row: 22.0,
    line: 13.0,
    label_font: 12.0,
    note_font: 10.0,
    mark: "data-gantt",
    ids: "",
};

/// A4 landscape less the page's 12 mm side margins is 273 mm, 1032 CSS pixels: the printed
/// chart is drawn that wide so that the browser never scales it down, and its 11 px labels
/// print at 8.25 pt.
const PRINT: Style = Style {
    width: 1030.0,
    label_width: 380.0,
    right_margin: 12.0,
    header: 36.0,
    row: 20.0,
    line: 12.0,
    label_font: 11.0,
    note_font: 10.0,
    mark: "data-print",
    ids: "-print",
};

/// The printed page's title line above the header, and its legend below the rows.
const PAGE_TITLE: f64 = 22.0;
const PAGE_LEGEND: f64 = 30.0;
/// The height a printed page's SVG may take: A4 landscape less 10 mm margins top and bottom is
/// 190 mm, 718 CSS pixels; the first page leaves room for the section's heading above it.
const PAGE_HEIGHT: f64 = 700.0;
const FIRST_PAGE_HEIGHT: f64 = 660.0;
/// A programme too long for a page starts on the current one only if this many rows fit
/// there, so that a page does not end with a programme's title and nothing under it.
const MIN_ROWS_BEFORE_SPLIT: usize = 4;

/// The screen's Gantt chart: year bands, baseline bars under forecast bars, progress inside
/// them, programme summary bars, milestones as diamonds, deadlines, the status-date line and
/// every dependency arrow (`path.link`; the page hides the non-critical ones until asked).
/// Written straight into the page, `out`, and handed on to the page's writer a chunk of rows
/// at a time (`spill`): a chart of 100,000 rows is some 80 MB of text (tests/memory.rs).
pub(crate) fn gantt(out: &mut String, spill: &mut Spill, report: &Report) {
    let gantt = &report.gantt;
    let style = &SCREEN;
    let placed = place(style, gantt.rows.iter().map(|r| (r, false)), style.header);
    let rows_bottom = placed
        .last()
        .map_or(style.header + style.row, |p| p.bottom());
    let height = rows_bottom + 8.0;
    let scale = Scale::new(style, gantt.start, gantt.end);
    svg_open(
        out,
        "gantt",
        style.width,
        height,
        &format!("Gantt chart of {}", esc(&report.title)),
        &format!(
            r#"{} and {} from {} to {}; critical work is hatched with a heavy outline; the darker part of a bar is the work done; grey bars below are the baseline; a triangle marks a deadline, red with a cross when the forecast misses it. The tables of status by project and milestones give the same dates."#,
            count(report.headline.n_projects, "project", "projects"),
            count(report.headline.n_milestones, "milestone", "milestones"),
            date_text(gantt.start),
            date_text(gantt.end)
        ),
    );
    out.push_str(&defs(style));
    year_bands(out, style, gantt, &scale, 0.0, style.header, height);
    let notes = BTreeMap::new();
    rows(out, spill, style, &scale, &placed, &notes, true);
    let centres = centres(&placed);
    links(out, spill, style, gantt.links.iter(), &scale, &centres);
    status_line(out, style, gantt, &scale, style.header, height);
    out.push_str("</svg>");
}

/// The printed chart: one SVG per A4 landscape page, in order, each written to `out` between
/// `open` and `close` (the page's wrapper). Written as it goes, not returned, and handed on to
/// the page's writer a chunk at a time (`spill`), so the pages are never held whole.
pub(crate) fn gantt_pages(
    out: &mut String,
    spill: &mut Spill,
    report: &Report,
    open: &str,
    close: &str,
) {
    let gantt = &report.gantt;
    let style = &PRINT;
    let pages = paginate(style, gantt);
    let scale = Scale::new(style, gantt.start, gantt.end);
    // Which page each row is on, for the critical chain's links that cross a page.
    let mut page_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, page) in pages.iter().enumerate() {
        for p in page.iter().filter(|p| !p.continued) {
            page_of.insert(p.row.id.as_str(), k);
        }
    }
    let n_pages = pages.len();
    let notes = chain_notes(gantt, &page_of);
    // The critical chain's links with both ends on one page, by page: found once, not per
    // page, so that a plan of thousands of pages is not thousands of passes over its links.
    let mut page_links: Vec<Vec<&GanttLink>> = vec![Vec::new(); n_pages];
    for link in gantt.links.iter().filter(|l| l.critical) {
        if let (Some(&from), Some(&to)) = (
            page_of.get(link.from.as_str()),
            page_of.get(link.to.as_str()),
        ) && from == to
            && let Some(list) = page_links.get_mut(from)
        {
            list.push(link);
        }
    }
    for (k, page) in pages.iter().enumerate() {
        let header_top = PAGE_TITLE;
        let rows_top = header_top + style.header;
        let placed = place(style, page.iter().map(|p| (p.row, p.continued)), rows_top);
        let rows_bottom = placed.last().map_or(rows_top + style.row, |p| p.bottom());
        let height = rows_bottom + PAGE_LEGEND;
        out.push_str(open);
        let _ = write!(
            out,
            r#"<svg class="gantt-print" aria-hidden="true" viewBox="0 0 {w:.0} {height:.0}" width="{w:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg">"#,
            w = style.width
        );
        out.push_str(&defs(style));
        let _ = write!(
            out,
            r#"<text class="page-title" x="0" y="15">Gantt chart of {}: page {} of {n_pages}</text><text class="page-note" x="{:.1}" y="15" text-anchor="end">Arrows show the critical chain only; ← p. N, → p. N: it comes from, or goes on to, page N</text>"#,
            esc(&report.title),
            k + 1,
            style.width
        );
        year_bands(out, style, gantt, &scale, header_top, rows_top, rows_bottom);
        rows(out, spill, style, &scale, &placed, &notes, false);
        let on_page = page_links.get(k).map_or(&[][..], Vec::as_slice);
        links(
            out,
            spill,
            style,
            on_page.iter().copied(),
            &scale,
            &centres(&placed),
        );
        status_line(out, style, gantt, &scale, rows_top, rows_bottom);
        legend(out, style, rows_bottom + 8.0);
        out.push_str("</svg>");
        out.push_str(close);
    }
}

/// A row on a printed page, or its programme's title repeated at the top of the next page
/// (`continued`) when the programme is split.
struct PageRow<'g> {
    row: &'g GanttRow,
    continued: bool,
}

/// Rows to pages: a top-level programme whole on the current page if it fits there; else whole
/// on a new page if it fits one and the current page is at least half used (so that keeping a
/// programme together never leaves more than half a page empty); else split, its title
/// repeated at the top of the next page.
fn paginate<'g>(style: &Style, gantt: &'g Gantt) -> Vec<Vec<PageRow<'g>>> {
    let chrome = PAGE_TITLE + style.header + PAGE_LEGEND;
    // The first page's room is less, for the section's heading above it.
    let room = |page: usize| {
        if page == 0 {
            FIRST_PAGE_HEIGHT - chrome
        } else {
            PAGE_HEIGHT - chrome
        }
    };
    let mut pages: Vec<Vec<PageRow<'g>>> = vec![Vec::new()];
    let mut used = 0.0;
    for section in &gantt.sections {
        let rows: Vec<&GanttRow> = gantt
            .rows
            .iter()
            .skip(section.first_row)
            .take(section.n_rows)
            .collect();
        let heights: Vec<f64> = rows.iter().map(|r| row_height(style, r, false)).collect();
        let total: f64 = heights.iter().sum();
        let here = room(pages.len() - 1);
        let fits_here = used + total <= here;
        let fits_a_page = total <= room(1);
        let half_used = used >= here / 2.0;
        let few_fit_here = used + style.row * MIN_ROWS_BEFORE_SPLIT as f64 > here;
        if used > 0.0 && !fits_here && ((fits_a_page && half_used) || few_fit_here) {
            pages.push(Vec::new());
            used = 0.0;
        }
        for (row, height) in rows.iter().zip(heights) {
            if used > 0.0 && used + height > room(pages.len() - 1) {
                pages.push(Vec::new());
                used = 0.0;
                if let Some(title) = rows.first().filter(|t| t.kind == RowKind::Programme) {
                    used += row_height(style, title, true);
                    if let Some(page) = pages.last_mut() {
                        page.push(PageRow {
                            row: title,
                            continued: true,
                        });
                    }
                }
            }
            used += height;
            if let Some(page) = pages.last_mut() {
                page.push(PageRow {
                    row,
                    continued: false,
                });
            }
        }
    }
    pages.retain(|p| !p.is_empty());
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
}

/// A row placed on a chart: where it is. Its title's lines are cut again when it is drawn,
/// rather than kept for every row: a chart of 100,000 rows would hold them all at once.
struct Placed<'g> {
    row: &'g GanttRow,
    continued: bool,
    top: f64,
    height: f64,
}

impl Placed<'_> {
    fn mid(&self) -> f64 {
        self.top + self.height / 2.0
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// Lays rows out one under another from `top`, each as tall as its wrapped title needs.
fn place<'g>(
    style: &Style,
    rows: impl Iterator<Item = (&'g GanttRow, bool)>,
    top: f64,
) -> Vec<Placed<'g>> {
    let mut y = top;
    rows.map(|(row, continued)| {
        let height = row_height(style, row, continued);
        let placed = Placed {
            row,
            continued,
            top: y,
            height,
        };
        y += height;
        placed
    })
    .collect()
}

fn row_height(style: &Style, row: &GanttRow, continued: bool) -> f64 {
    height_of(style, label_lines(style, row, continued).len())
}

fn height_of(style: &Style, n_lines: usize) -> f64 {
    style.row.max(style.line * n_lines as f64 + 8.0)
}

/// Each drawn row by id: the y of its middle, where dependency arrows meet it, and the row.
type RowCentres<'g> = BTreeMap<&'g str, (f64, &'g GanttRow)>;

fn centres<'g>(placed: &[Placed<'g>]) -> RowCentres<'g> {
    placed
        .iter()
        .filter(|p| !p.continued)
        .map(|p| (p.row.id.as_str(), (p.mid(), p.row)))
        .collect()
}

/// Financial-year bands, alternately shaded, labelled in the header at `header_top`, running
/// down to `bottom`.
fn year_bands(
    out: &mut String,
    style: &Style,
    gantt: &Gantt,
    scale: &Scale,
    header_top: f64,
    rows_top: f64,
    bottom: f64,
) {
    out.push_str(r#"<g class="years">"#);
    for (i, band) in gantt.years.iter().enumerate() {
        let x1 = scale.x(band.start);
        let x2 = scale.x_end(band.end);
        let class = if i % 2 == 0 { "band even" } else { "band odd" };
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{x1:.1}" y="{header_top:.1}" width="{:.1}" height="{:.1}"/><text class="year-label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            (x2 - x1).max(0.0),
            bottom - header_top,
            (x1 + x2) / 2.0,
            header_top + 14.0,
            esc(&band.label)
        );
    }
    let _ = write!(
        out,
        r#"<line class="axis" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        style.label_width,
        rows_top - 6.0,
        style.width - style.right_margin,
        rows_top - 6.0
    );
    out.push_str("</g>");
}

/// Rows: a label and the item's marks for each. `notes` adds text to a row's note (the printed
/// page's "→ p. N"); `tooltips` gives each row a hover title (the screen's).
fn rows(
    out: &mut String,
    spill: &mut Spill,
    style: &Style,
    scale: &Scale,
    placed: &[Placed<'_>],
    notes: &BTreeMap<&str, String>,
    tooltips: bool,
) {
    out.push_str(r#"<g class="rows">"#);
    for (i, p) in placed.iter().enumerate() {
        let row = p.row;
        let kind = kind_text(row.kind);
        let critical = if row.critical { " critical" } else { "" };
        let _ = write!(
            out,
            r#"<g class="row row-{kind}{critical}" data-id="{}" data-programme="{}">"#,
            esc(&row.id),
            esc(row.programme.as_deref().unwrap_or(""))
        );
        if tooltips {
            let _ = write!(out, "<title>{}</title>", esc(&tooltip(row)));
        }
        if i % 2 == 1 {
            let _ = write!(
                out,
                r#"<rect class="stripe" x="0" y="{:.1}" width="{:.0}" height="{:.1}"/>"#,
                p.top, style.width, p.height
            );
        }
        label(out, style, p);
        if !p.continued {
            let mid = p.mid();
            baseline_mark(out, style, scale, row, mid);
            forecast_mark(out, style, scale, row, mid);
            deadline_mark(out, style, scale, row, p);
            note(out, style, scale, row, mid, notes.get(row.id.as_str()));
        }
        out.push_str("</g>");
        spill.spill(out);
    }
    out.push_str("</g>");
}

/// A row's title, whole, on as many lines as the label column needs.
fn label(out: &mut String, style: &Style, p: &Placed<'_>) {
    let kind = kind_text(p.row.kind);
    let x = indent(p.row);
    let lines = label_lines(style, p.row, p.continued);
    let n = lines.len() as f64;
    // The first baseline: the block of lines centred on the row's middle, a line's baseline
    // about three quarters of the way down it.
    let first = p.mid() - style.line * n / 2.0 + style.line * 0.78;
    if let [line] = lines.as_slice() {
        let _ = write!(
            out,
            r#"<text class="label label-{kind}" x="{x:.1}" y="{first:.1}">{}</text>"#,
            esc(line)
        );
    } else {
        let _ = write!(
            out,
            r#"<text class="label label-{kind}" x="{x:.1}" y="{first:.1}">"#
        );
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { style.line };
            let _ = write!(
                out,
                r#"<tspan x="{x:.1}" dy="{dy:.1}">{}</tspan>"#,
                esc(line)
            );
        }
        out.push_str("</text>");
    }
}

fn indent(row: &GanttRow) -> f64 {
    6.0 + 14.0 * row.depth.min(8) as f64
}

/// A row's label cut into lines at spaces to fit the label column (a word longer than a line
/// is cut where it must be); nothing is left out.
fn label_lines(style: &Style, row: &GanttRow, continued: bool) -> Vec<String> {
    let text = if continued {
        format!("{} (continued)", row.title)
    } else {
        row.title.to_string()
    };
    // Average advance of a character in the sans-serif fonts the page asks for, generous so
    // that an estimate never runs a line into the bars: bold is wider.
    let em = if row.kind == RowKind::Programme {
        0.55
    } else {
        0.5
    };
    let room = style.label_width - indent(row) - 8.0;
    let max_chars = ((room / (style.label_font * em)) as usize).max(8);
    wrap(&text, max_chars)
}

/// `text` in lines of at most `max_chars` characters, broken at spaces where it can be.
fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        let line_chars = line.chars().count();
        if line_chars > 0 && line_chars + 1 + word.len() <= max_chars {
            line.push(' ');
            line.extend(&word);
            continue;
        }
        if line_chars > 0 {
            lines.push(std::mem::take(&mut line));
        }
        while word.len() > max_chars {
            let rest = word.split_off(max_chars);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        line.extend(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The baseline under a row, when it has one: a diamond outline for a milestone, a thin bar
/// below the forecast for anything else.
fn baseline_mark(out: &mut String, style: &Style, scale: &Scale, row: &GanttRow, mid: f64) {
    let (Some(b_start), Some(b_finish)) = (row.baseline_start, row.baseline_finish) else {
        return;
    };
    let mark = style.mark;
    if row.kind == RowKind::Milestone {
        let x = scale.x_end(b_finish);
        let _ = write!(
            out,
            r#"<path class="baseline" {mark}="baseline" data-id="{}" d="M{x:.1},{:.1} l5,5 l-5,5 l-5,-5 z"/>"#,
            esc(&row.id),
            mid - 5.0,
        );
    } else {
        let x1 = scale.x(b_start);
        let x2 = scale.x_end(b_finish);
        let _ = write!(
            out,
            r#"<rect class="baseline" {mark}="baseline" data-id="{}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="5"/>"#,
            esc(&row.id),
            mid + 5.0,
            (x2 - x1).max(1.0)
        );
    }
}

/// The forecast: a summary bracket for a programme, a bar for a project, a diamond for a
/// milestone.
fn forecast_mark(out: &mut String, style: &Style, scale: &Scale, row: &GanttRow, mid: f64) {
    let critical = if row.critical { " critical" } else { "" };
    let mark = style.mark;
    match row.kind {
        RowKind::Programme => {
            let x1 = scale.x(row.start);
            let x2 = scale.x_end(row.finish);
            let _ = write!(
                out,
                r#"<path class="summary" {mark}="summary" data-id="{}" d="M{x1:.1},{:.1} H{x2:.1} v10 l-5,-4 H{:.1} l-5,4 z"/>"#,
                esc(&row.id),
                mid - 5.0,
                x1 + 5.0
            );
        }
        RowKind::Project => project_bar(out, style, scale, row, mid),
        RowKind::Milestone => {
            let x = scale.x_end(row.finish);
            let _ = write!(
                out,
                r#"<path class="milestone{critical}" {mark}="milestone" data-id="{}" d="M{x:.1},{:.1} l7,7 l-7,7 l-7,-7 z"/>"#,
                esc(&row.id),
                mid - 7.0
            );
        }
    }
}

/// A project's bar, its done part darker, hatched when critical.
fn project_bar(out: &mut String, style: &Style, scale: &Scale, row: &GanttRow, mid: f64) {
    let critical = if row.critical { " critical" } else { "" };
    let mark = style.mark;
    let x1 = scale.x(row.start);
    let x2 = scale.x_end(row.finish);
    let width = (x2 - x1).max(2.0);
    let y = mid - 7.0;
    let _ = write!(
        out,
        r#"<rect class="bar{critical}" {mark}="bar" data-id="{}" x="{x1:.1}" y="{y:.1}" width="{width:.1}" height="12" rx="2"/>"#,
        esc(&row.id),
    );
    if let Some(share) = row.complete_share.filter(|s| *s > 0.0) {
        let _ = write!(
            out,
            r#"<rect class="progress{critical}" {mark}="progress" data-id="{}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="8"/>"#,
            esc(&row.id),
            y + 2.0,
            width * share.min(1.0)
        );
    }
    if row.critical {
        let _ = write!(
            out,
            r#"<rect class="hatch" x="{x1:.1}" y="{y:.1}" width="{width:.1}" height="12" rx="2" fill="url(#hatch{})"/>"#,
            style.ids
        );
    }
}

/// A deadline: a triangle pointing down at the day with a thin line through the row; a missed
/// one (the forecast finishes after it) red, with a cross.
fn deadline_mark(out: &mut String, style: &Style, scale: &Scale, row: &GanttRow, p: &Placed) {
    let Some(deadline) = row.deadline else {
        return;
    };
    let x = scale.x_end(deadline);
    let (class, title) = if row.deadline_missed {
        ("deadline missed", "missed deadline")
    } else {
        ("deadline", "deadline")
    };
    let (top, bottom) = (p.top + 1.0, p.bottom() - 1.0);
    let _ = write!(
        out,
        r#"<g class="{class}" {}="deadline" data-id="{}" data-date="{deadline}"><title>{title} {}</title><line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}"/><path d="M{:.1},{top:.1} h10 l-5,7 z"/>"#,
        style.mark,
        esc(&row.id),
        esc(&date_text(deadline)),
        x - 5.0,
    );
    if row.deadline_missed {
        // The cross sits beside the triangle, after the day, where the late work is.
        let _ = write!(
            out,
            r#"<path class="cross" d="M{:.1},{top:.1} l7,7 m0,-7 l-7,7"/>"#,
            x + 3.0
        );
    }
    out.push_str("</g>");
}

/// A row's status in words beside its mark, so the chart reads without the table: a project's
/// RAG, slippage and percent complete, and any `extra` the page adds. Put after the mark, or
/// before it where it would run off the chart.
fn note(
    out: &mut String,
    style: &Style,
    scale: &Scale,
    row: &GanttRow,
    mid: f64,
    extra: Option<&String>,
) {
    let mut parts: Vec<String> = Vec::new();
    if row.kind == RowKind::Project && row.rag.is_some() {
        let slip = row
            .slip_days
            .map_or(String::new(), |s| format!(" {}", days_text(s)));
        parts.push(format!("{}{slip}", rag_text(row.rag)));
    }
    if let Some(complete) = &row.complete {
        parts.push(format!("{complete} done"));
    }
    if let Some(extra) = extra {
        parts.push(extra.clone());
    }
    if parts.is_empty() {
        return;
    }
    let text = parts.join(" · ");
    let (x1, x2) = match row.kind {
        RowKind::Milestone => (scale.x_end(row.finish) - 8.0, scale.x_end(row.finish) + 8.0),
        _ => (
            scale.x(row.start),
            scale.x_end(row.finish).max(scale.x(row.start) + 2.0),
        ),
    };
    let after = row.deadline.map_or(x2, |d| {
        x2.max(scale.x_end(d) + if row.deadline_missed { 10.0 } else { 5.0 })
    });
    let width = text.chars().count() as f64 * style.note_font * 0.55;
    // After the mark where it fits; else before it, if that keeps out of the label column;
    // else against the chart's right edge, over the bar, rather than cut off.
    let (x, anchor) = if after + 6.0 + width <= style.width - 2.0 {
        (after + 6.0, "start")
    } else if x1 - 6.0 - width >= style.label_width {
        (x1 - 6.0, "end")
    } else {
        (style.width - 2.0, "end")
    };
    let _ = write!(
        out,
        r#"<text class="bar-note" x="{x:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
        mid + 3.5,
        esc(&text)
    );
}

/// Dependency arrows, from the predecessor's finish (or start) to the successor's start (or
/// finish), with an elbow so they stay readable when bars overlap; a link with an end not on
/// this chart is left out.
fn links<'l>(
    out: &mut String,
    spill: &mut Spill,
    style: &Style,
    links: impl Iterator<Item = &'l GanttLink>,
    scale: &Scale,
    centres: &RowCentres<'_>,
) {
    out.push_str(r#"<g class="links">"#);
    for link in links {
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
            scale.x_end(from.finish)
        } else {
            scale.x(from.start)
        };
        let x2 = if to_end {
            scale.x_end(to.finish)
        } else {
            scale.x(to.start)
        };
        let critical = if link.critical { " critical" } else { "" };
        // Leave a finish to the right and a start to the left, so the arrow clears its own bar.
        let elbow = if from_end { x1 + 6.0 } else { x1 - 6.0 };
        let y_turn = if y2 > y1 { y2 - 9.0 } else { y2 + 9.0 };
        let _ = write!(
            out,
            r#"<path class="link{critical}" {}="link" data-from="{}" data-to="{}" d="M{x1:.1},{y1:.1} H{elbow:.1} V{y_turn:.1} H{:.1} V{:.1}" marker-end="url(#arrow{})"><title>{} → {} ({})</title></path>"#,
            style.mark,
            esc(&link.from),
            esc(&link.to),
            x2,
            if y2 > y1 { y2 - 7.0 } else { y2 + 7.0 },
            style.ids,
            esc(&link.from),
            esc(&link.to),
            link.kind.code()
        );
        spill.spill(out);
    }
    out.push_str("</g>");
}

/// The rows whose critical links reach another printed page: "→ p. N" on the predecessor (the
/// chain goes on there) and "← p. N" on the successor (it comes from there).
fn chain_notes<'g>(gantt: &'g Gantt, page_of: &BTreeMap<&str, usize>) -> BTreeMap<&'g str, String> {
    let mut notes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for link in gantt.links.iter().filter(|l| l.critical) {
        let (Some(&from), Some(&to)) = (
            page_of.get(link.from.as_str()),
            page_of.get(link.to.as_str()),
        ) else {
            continue;
        };
        if from != to {
            let notes_from = notes.entry(link.from.as_str()).or_default();
            notes_from.push(format!("→ p. {}", to + 1));
            let notes_to = notes.entry(link.to.as_str()).or_default();
            notes_to.push(format!("← p. {}", from + 1));
        }
    }
    notes
        .into_iter()
        .map(|(id, mut texts)| {
            texts.sort();
            texts.dedup();
            (id, texts.join(", "))
        })
        .collect()
}

/// The status-date line, when the status date falls within the chart, labelled in the header.
fn status_line(
    out: &mut String,
    style: &Style,
    gantt: &Gantt,
    scale: &Scale,
    rows_top: f64,
    bottom: f64,
) {
    let Some(status) = gantt.status_date else {
        return;
    };
    if status >= gantt.start && status <= gantt.end {
        let x = scale.x(status);
        let y = rows_top - 9.0;
        // The label goes to the left of the line when it would run off the chart.
        let (label_x, anchor) = if x + 130.0 < style.width {
            (x + 4.0, "start")
        } else {
            (x - 4.0, "end")
        };
        let _ = write!(
            out,
            r#"<g class="status"><line class="status-line" x1="{x:.1}" y1="{y:.1}" x2="{x:.1}" y2="{bottom:.1}"/><text class="status-label" x="{label_x:.1}" y="{y:.1}" text-anchor="{anchor}">Status date {}</text></g>"#,
            esc(&date_text(status))
        );
    }
}

/// The printed page's legend, one line under its rows (a page may be read apart from the
/// others, so each carries its own).
fn legend(out: &mut String, style: &Style, top: f64) {
    let y = top + 10.0;
    let ids = style.ids;
    let items: [(&str, String); 8] = [
        (
            "Forecast, darker part done",
            format!(
                r#"<rect class="bar" x="0" y="{:.1}" width="26" height="12" rx="2"/><rect class="progress" x="0" y="{:.1}" width="12" height="8"/>"#,
                y - 6.0,
                y - 4.0
            ),
        ),
        (
            "Critical",
            format!(
                r#"<rect class="bar critical" x="0" y="{:.1}" width="26" height="12" rx="2"/><rect class="hatch" x="0" y="{:.1}" width="26" height="12" rx="2" fill="url(#hatch{ids})"/>"#,
                y - 6.0,
                y - 6.0
            ),
        ),
        (
            "Baseline",
            format!(
                r#"<rect class="baseline" x="0" y="{:.1}" width="26" height="5"/>"#,
                y - 2.0
            ),
        ),
        (
            "Programme",
            format!(
                r#"<path class="summary" d="M0,{:.1} H26 v10 l-5,-4 H5 l-5,4 z"/>"#,
                y - 5.0
            ),
        ),
        (
            "Milestone",
            format!(
                r#"<path class="milestone" d="M8,{:.1} l7,7 l-7,7 l-7,-7 z"/>"#,
                y - 7.0
            ),
        ),
        (
            "Deadline",
            format!(
                r#"<g class="deadline"><line x1="8" y1="{:.1}" x2="8" y2="{:.1}"/><path d="M3,{:.1} h10 l-5,7 z"/></g>"#,
                y - 7.0,
                y + 7.0,
                y - 7.0
            ),
        ),
        (
            "Missed deadline",
            format!(
                r#"<g class="deadline missed"><line x1="8" y1="{:.1}" x2="8" y2="{:.1}"/><path d="M3,{:.1} h10 l-5,7 z"/><path class="cross" d="M11,{:.1} l7,7 m0,-7 l-7,7"/></g>"#,
                y - 7.0,
                y + 7.0,
                y - 7.0,
                y - 7.0
            ),
        ),
        (
            "Critical chain",
            format!(
                r#"<path class="link critical" d="M0,{y:.1} H22" marker-end="url(#arrow{ids})"/>"#
            ),
        ),
    ];
    out.push_str(r#"<g class="legend">"#);
    let mut x = 0.0;
    for (text, symbol) in items {
        let _ = write!(
            out,
            r#"<g transform="translate({x:.1},0)">{symbol}<text class="legend-text" x="32" y="{:.1}">{text}</text></g>"#,
            y + 3.5
        );
        x += 32.0 + text.chars().count() as f64 * style.note_font * 0.55 + 18.0;
    }
    out.push_str("</g>");
}

/// The patterns and markers a Gantt chart uses, their ids suffixed by the style's `ids`.
fn defs(style: &Style) -> String {
    let ids = style.ids;
    format!(
        r##"<defs><pattern id="hatch{ids}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2" stroke-opacity="0.7"/></pattern><marker id="arrow{ids}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#444"/></marker></defs>"##
    )
}

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
    if let Some(complete) = &row.complete {
        let _ = write!(text, "; {complete} complete");
    }
    if let Some(deadline) = row.deadline {
        let missed = if row.deadline_missed { " (missed)" } else { "" };
        let _ = write!(text, "; deadline {}{missed}", date_text(deadline));
    }
    if row.kind == RowKind::Project {
        let _ = write!(text, "; RAG {}", rag_text(row.rag));
    }
    if row.critical {
        text.push_str("; critical");
    }
    text
}

/// Dates to x: the chart area runs from the start of `start` to the end of `end`.
struct Scale {
    start: NaiveDate,
    days: f64,
    left: f64,
    span: f64,
}

impl Scale {
    fn new(style: &Style, start: NaiveDate, end: NaiveDate) -> Scale {
        let days = (end.signed_duration_since(start).num_days() + 1).max(1) as f64;
        Scale {
            start,
            days,
            left: style.label_width,
            span: style.width - style.label_width - style.right_margin,
        }
    }

    /// The left edge of a day.
    fn x(&self, date: NaiveDate) -> f64 {
        let offset = date.signed_duration_since(self.start).num_days() as f64;
        self.left + offset / self.days * self.span
    }

    /// The right edge of a day (where work that finishes that day ends).
    fn x_end(&self, date: NaiveDate) -> f64 {
        let offset = date.signed_duration_since(self.start).num_days() as f64 + 1.0;
        self.left + offset / self.days * self.span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_spans_from_its_left_edge_to_its_right_edge() {
        let d = |m, day| NaiveDate::from_ymd_opt(2021, m, day).unwrap_or(NaiveDate::MIN);
        let scale = Scale::new(&SCREEN, d(1, 1), d(1, 10));
        assert!((scale.x(d(1, 1)) - SCREEN.label_width).abs() < 1e-9);
        assert!((scale.x_end(d(1, 10)) - (SCREEN.width - SCREEN.right_margin)).abs() < 1e-9);
        assert!((scale.x_end(d(1, 4)) - scale.x(d(1, 5))).abs() < 1e-9);
    }

    /// Issue 18: titles are shown whole, wrapped, never cut with an ellipsis.
    #[test]
    fn long_titles_wrap_whole() {
        let title = "Replace the children's social care case management system with one shared with early help";
        let lines = wrap(title, 40);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= 40));
        assert_eq!(lines.join(" "), title);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
