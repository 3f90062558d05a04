//! Reports of a schedule: a readable table, JSON (schema in docs/json.md) and CSV, and the
//! text of an `explain`.
//!
//! Input: a portfolio and its schedule (or an explanation). Output: a `String`, or the same
//! bytes streamed to a writer ([`write_schedule`]; the CLI's stdout), a row at a time.
//! Invariant: every renderer reads one view (`row`, in the order of `listed`) and computes
//! nothing, so the table, the JSON and the CSV can never disagree on a number; the same
//! schedule gives the same bytes.
//!
//! Committee reports (issue 5) live in their own modules: [`view::build`] computes one
//! [`view::Report`]; [`markdown`], [`html`] (with SVG charts) and [`view::json`] format it.
//! With `--risk`, [`risk_view::section`] adds the view of a Monte Carlo summary to the same
//! report (`Report::with_risk`), and the renderers lay it out like the rest.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};

use crate::model::{ItemId, MilestoneId, Portfolio, ProgrammeId, ProjectId};
use crate::report::text::{Align, write_csv_field};
use crate::schedule::{Rag, Schedule, Timing};

pub mod benefits_view;
pub mod capacity_render;
pub mod capacity_view;
mod explain;
pub mod finance_render;
mod gantt_svg;
pub mod html;
mod json;
pub mod markdown;
pub mod options_render;
pub mod outturn_view;
pub mod raid_view;
pub mod risk_render;
mod risk_svg;
pub mod risk_view;
pub mod select_render;
pub mod since;
mod svg;
pub mod text;
pub mod trend_render;
pub mod view;

pub use explain::explain_text;

/// Renders a committee report in one format (also `view::render`). Pure: the same report gives
/// the same bytes.
pub fn render_report(report: &view::Report, format: view::ReportFormat) -> String {
    to_string(|sink| write_report(report, format, sink))
}

/// Writes a committee report in one format into `sink` as it is made: the same bytes as
/// [`render_report`], never held whole. The Markdown and HTML go out whenever a chunk of text
/// is ready (the long tables and the Gantt charts a few rows at a time), the JSON as serde
/// makes it; at 100,000 projects the HTML is 155 MB, more than the view it comes from
/// (docs/limits.md). Fails only when `sink` does.
pub fn write_report(
    report: &view::Report,
    format: view::ReportFormat,
    sink: &mut dyn Write,
) -> io::Result<()> {
    match format {
        view::ReportFormat::Markdown => markdown::write(report, sink),
        view::ReportFormat::Html => html::write(report, sink),
        view::ReportFormat::Json => {
            // The same formatter as `view::json`, into the writer.
            serde_json::to_writer_pretty(&mut *sink, report)?;
            sink.write_all(b"\n")
        }
    }
}

/// What `write` writes into memory, as text: the one way a renderer that streams (a report,
/// the schedule's CSV and table, the finance tables, every text export) also gives its whole
/// output as a `String`. The renderers write only `str`s into a vector, which cannot fail, so
/// the error branch is never taken, and the text is UTF-8 (were it not, the bytes that are not
/// would show as U+FFFD rather than stop the command).
pub(crate) fn to_string(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    if let Err(error) = write(&mut bytes) {
        panic!("writing into memory failed: {error}");
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Text a renderer makes in a `String`, handed on to `sink` in chunks, so that the renderers
/// keep writing into a `String` (with `push_str` and `write!`) and the whole of a long report
/// is never in memory. [`Spill::spill`] writes the text out and empties it once it has grown
/// past a chunk; the first error of `sink` is kept (and what follows is dropped) and returned
/// by [`Spill::finish`].
pub(crate) struct Spill<'w> {
    sink: &'w mut dyn Write,
    error: Option<io::Error>,
}

impl<'w> Spill<'w> {
    /// Big enough that a chunk costs one system call among many rows, small beside any report.
    const CHUNK: usize = 64 * 1024;

    pub(crate) fn new(sink: &'w mut dyn Write) -> Spill<'w> {
        Spill { sink, error: None }
    }

    /// Writes `text` out, and empties it, if it has grown past a chunk.
    pub(crate) fn spill(&mut self, text: &mut String) {
        if text.len() >= Self::CHUNK {
            self.flush(text);
        }
    }

    fn flush(&mut self, text: &mut String) {
        if self.error.is_none() {
            if let Err(error) = self.sink.write_all(text.as_bytes()) {
                self.error = Some(error);
            }
        }
        text.clear();
    }

    /// Writes out what is left of `text`; the first error `sink` gave, if any.
    pub(crate) fn finish(mut self, text: &mut String) -> io::Result<()> {
        self.flush(text);
        self.error.map_or(Ok(()), Err)
    }
}

/// The version of the JSON schema in docs/json.md; bumped on any incompatible change.
pub const SCHEDULE_JSON_VERSION: u32 = 1;

/// Output formats of `tranche schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleFormat {
    /// A table for people, sorted by start.
    Table,
    /// JSON, schema in docs/json.md.
    Json,
    /// One row per item, for spreadsheets.
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

/// Writes the schedule in `format` to `out`, as [`render_schedule`] would give it. Every
/// format is streamed as it is made, so the output is never held in memory whole (100k items
/// are some 60 MB of JSON); `out` should be buffered.
pub fn write_schedule<W: Write>(
    out: &mut W,
    portfolio: &Portfolio,
    schedule: &Schedule,
    format: ScheduleFormat,
    critical_only: bool,
) -> io::Result<()> {
    match format {
        ScheduleFormat::Table => write_schedule_table(out, portfolio, schedule, critical_only),
        ScheduleFormat::Json => {
            let items = listed(portfolio, schedule, critical_only);
            let rows = rows_of(portfolio, schedule, &items);
            json::write_schedule_json(out, portfolio, schedule, rows)
        }
        ScheduleFormat::Csv => {
            let items = listed(portfolio, schedule, critical_only);
            write_schedule_csv(out, rows_of(portfolio, schedule, &items))
        }
    }
}

/// The kinds of item, in the order the reports list items that start and finish together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Programme,
    Project,
    Milestone,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Programme => "programme",
            Kind::Project => "project",
            Kind::Milestone => "milestone",
        }
    }
}

/// One item of the schedule as every report shows it. It borrows its text from the portfolio,
/// so listing 100k items allocates one vector, not two strings an item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: Kind,
    /// The schedule's dates, floats and status for the item, as computed: a row shows them
    /// all, so it holds them whole rather than field by field.
    pub timing: Timing,
    pub baseline_start: Option<NaiveDate>,
    pub baseline_finish: Option<NaiveDate>,
    /// Percent complete in basis points (shown as an exact decimal); `None` for programmes.
    pub complete: Option<i64>,
}

/// Every item, sorted by start, then finish, then kind (programmes first) and id.
pub(crate) fn rows<'a>(
    portfolio: &'a Portfolio,
    schedule: &Schedule,
    critical_only: bool,
) -> Vec<Row<'a>> {
    listed(portfolio, schedule, critical_only)
        .into_iter()
        .filter_map(|item| row(portfolio, schedule, item))
        .collect()
}

/// The items [`rows`] shows, in its order, without making their rows: a writer that streams
/// makes each row as it writes it, so 100k items never sit in memory as rows at once.
pub(crate) fn listed<'a>(
    portfolio: &'a Portfolio,
    schedule: &Schedule,
    critical_only: bool,
) -> Vec<ItemId> {
    /// What items are sorted by: their dates and kind packed in one number, then the id's
    /// first eight bytes as a big-endian number, which decide nearly every tie of dates
    /// without reading the id itself. At 100k items, following each id's pointer in every
    /// comparison cost more than all the rest of the JSON; small keys also move cheaply.
    struct Key {
        dates: u64,
        id_prefix: u64,
        index: u32,
        kind: Kind,
    }
    let id_of = |kind: Kind, index: u32| -> &'a str {
        let i = index as usize;
        let id = match kind {
            Kind::Programme => portfolio.programmes.get(i).map(|g| g.id.as_str()),
            Kind::Project => portfolio.projects.get(i).map(|p| p.id.as_str()),
            Kind::Milestone => portfolio.milestones.get(i).map(|m| m.id.as_str()),
        };
        id.unwrap_or_default()
    };
    let n = schedule.programmes.len() + schedule.projects.len() + schedule.milestones.len();
    let mut keys = Vec::with_capacity(if critical_only { 0 } else { n });
    let mut push = |kind: Kind, index: usize, exists: bool, timing: &Timing| {
        if !exists || (critical_only && !timing.critical) {
            return;
        }
        let index = self::index(index);
        let mut prefix = [0u8; 8];
        prefix
            .iter_mut()
            .zip(id_of(kind, index).as_bytes())
            .for_each(|(p, b)| *p = *b);
        keys.push(Key {
            dates: date_key(timing.start, timing.finish, kind),
            id_prefix: u64::from_be_bytes(prefix),
            index,
            kind,
        });
    };
    for (i, t) in schedule.programmes.iter().enumerate() {
        push(Kind::Programme, i, i < portfolio.programmes.len(), t);
    }
    for (i, t) in schedule.projects.iter().enumerate() {
        push(Kind::Project, i, i < portfolio.projects.len(), t);
    }
    for (i, t) in schedule.milestones.iter().enumerate() {
        push(Kind::Milestone, i, i < portfolio.milestones.len(), t);
    }
    // Zero-padded prefixes order as the ids do, so the full ids are compared only when the
    // prefixes are equal. The last keys, kind and index, make every key distinct: the
    // unstable sort gives the order a stable one would.
    keys.sort_unstable_by(|a, b| {
        (a.dates, a.id_prefix)
            .cmp(&(b.dates, b.id_prefix))
            .then_with(|| id_of(a.kind, a.index).cmp(id_of(b.kind, b.index)))
            .then(a.index.cmp(&b.index))
    });
    keys.into_iter()
        .map(|key| match key.kind {
            Kind::Programme => ItemId::Programme(ProgrammeId(key.index)),
            Kind::Project => ItemId::Project(ProjectId(key.index)),
            Kind::Milestone => ItemId::Milestone(MilestoneId(key.index)),
        })
        .collect()
}

/// `start`, `finish` and `kind` as one number that orders as the three do, in that order.
/// chrono's dates lie within 2^27 days either side of the common era, so each day number,
/// offset by 2^27, fits in 28 bits: start in bits 30-57, finish in 2-29, kind in 0-1.
fn date_key(start: NaiveDate, finish: NaiveDate, kind: Kind) -> u64 {
    let day = |date: NaiveDate| {
        u64::try_from(i64::from(date.num_days_from_ce()) + (1 << 27))
            .unwrap_or_else(|_| panic!("report: chrono dates are within 2^27 days of year 1"))
    };
    (day(start) << 30) | (day(finish) << 2) | kind as u64
}

/// The rows of `items`, in order, made a batch at a time. Items in report order are scattered
/// over the portfolio, and a row made just before it is written waits for memory each time;
/// a tight loop that only makes rows lets the processor fetch many items at once (at 100k
/// items, this halves the time of `row`).
fn rows_of<'a>(
    portfolio: &'a Portfolio,
    schedule: &'a Schedule,
    items: &'a [ItemId],
) -> impl Iterator<Item = Row<'a>> + 'a {
    items.chunks(256).flat_map(move |chunk| {
        let mut rows = Vec::with_capacity(chunk.len());
        rows.extend(
            chunk
                .iter()
                .filter_map(|item| row(portfolio, schedule, *item)),
        );
        // The same for the text of ids and names, which the writers read next: a first byte
        // read here, in a loop that does nothing else, brings each into the cache.
        let touched = rows.iter().fold(0u8, |acc, row| {
            let first = |text: &str| text.as_bytes().first().copied().unwrap_or(0);
            acc ^ first(row.id) ^ first(row.name)
        });
        std::hint::black_box(touched);
        rows
    })
}

/// One item as every report shows it; `None` when the portfolio or schedule lacks it.
pub(crate) fn row<'a>(
    portfolio: &'a Portfolio,
    schedule: &Schedule,
    item: ItemId,
) -> Option<Row<'a>> {
    let (id, name, kind, baseline, complete) = match item {
        ItemId::Project(p) => {
            let project = portfolio.projects.get(p.0 as usize)?;
            let complete = if project.progress().actual_finish.is_some() {
                10_000
            } else {
                project.progress().complete.map_or(0, |c| c.0)
            };
            (
                &project.id,
                &project.title,
                Kind::Project,
                project.baseline(),
                Some(complete),
            )
        }
        ItemId::Milestone(m) => {
            let milestone = portfolio.milestones.get(m.0 as usize)?;
            let complete = if milestone_done(portfolio, milestone) {
                10_000
            } else {
                0
            };
            (
                &milestone.id,
                &milestone.title,
                Kind::Milestone,
                milestone.baseline(),
                Some(complete),
            )
        }
        ItemId::Programme(g) => {
            let programme = portfolio.programmes.get(g.0 as usize)?;
            (&programme.id, &programme.title, Kind::Programme, None, None)
        }
    };
    // Every kind's timing is found alike, once the item is known to exist.
    let timing = schedule.timing(item)?;
    Some(Row {
        id,
        name,
        kind,
        timing: timing.clone(),
        baseline_start: baseline.map(|b| b.start),
        baseline_finish: baseline.map(|b| b.finish),
        complete,
    })
}

/// Achieved: an actual date, or tied to work that has finished (`at finish`) or started
/// (`at start`), as the scheduler treats it.
fn milestone_done(portfolio: &Portfolio, milestone: &crate::model::Milestone) -> bool {
    use crate::model::MilestoneTiming;
    if milestone.actual().is_some() {
        return true;
    }
    let Some(project) = milestone
        .project
        .and_then(|p| portfolio.projects.get(p.0 as usize))
    else {
        return false;
    };
    match milestone.timing {
        MilestoneTiming::AtFinish => project.progress().actual_finish.is_some(),
        MilestoneTiming::AtStart => project.progress().actual_start.is_some(),
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
    rag.map_or("", Rag::as_str)
}

/// The JSON document of docs/json.md.
pub fn schedule_json(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
    let items = listed(portfolio, schedule, critical_only);
    // Each item is about 550 bytes of JSON; reserving that up front saves copying the text
    // over and over as it grows.
    let mut out = Vec::with_capacity(1024 + items.len() * 600);
    let rows = rows_of(portfolio, schedule, &items);
    json::push_schedule_json(&mut out, portfolio, schedule, rows);
    String::from_utf8(out).unwrap_or_else(|e| panic!("report: the JSON is UTF-8: {e}"))
}

/// The schedule CSV's columns before and after [`CSV_TIMING_COLUMNS`].
const CSV_ITEM_COLUMNS: [&str; 9] = [
    "id",
    "name",
    "kind",
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
];
const CSV_PROGRESS_COLUMNS: [&str; 1] = ["complete"];

/// The columns both CSVs (the schedule's and `tranche export --format csv`) take from an
/// item's schedule after its dates, named and ordered alike in both; [`write_csv_timing`]
/// writes their cells.
pub(crate) const CSV_TIMING_COLUMNS: [&str; 8] = [
    "duration_days",
    "total_float_days",
    "free_float_days",
    "critical",
    "baseline_start",
    "baseline_finish",
    "slip_days",
    "rag",
];

/// A CSV header line without its line end: `before`, the timing columns, `after`.
pub(crate) fn csv_header(before: &[&str], after: &[&str]) -> String {
    [before, &CSV_TIMING_COLUMNS[..], after].concat().join(",")
}

/// A date cell: `YYYY-MM-DD`, or empty for none. Dates go through `write_csv_field` too, as
/// numbers do: a year before 0 starts with `-`.
pub(crate) fn write_csv_date<W: Write>(out: &mut W, date: Option<NaiveDate>) -> io::Result<()> {
    match date {
        Some(date) => match json::date_digits(date) {
            Some(digits) => out.write_all(&digits),
            None => write_csv_field(out, &date.to_string()),
        },
        None => Ok(()),
    }
}

/// The cells of [`CSV_TIMING_COLUMNS`], each after a comma: the days, whether critical, the
/// baseline's start and finish, the slip and the RAG status.
pub(crate) fn write_csv_timing<W: Write>(
    out: &mut W,
    numbers: &mut itoa::Buffer,
    timing: &Timing,
    baseline: [Option<NaiveDate>; 2],
) -> io::Result<()> {
    let t = timing;
    for days in [
        i64::from(t.duration_days),
        t.total_float_days,
        t.free_float_days,
    ] {
        out.write_all(b",")?;
        write_csv_field(out, numbers.format(days))?;
    }
    out.write_all(if t.critical { b",true," } else { b",false," })?;
    write_csv_date(out, baseline[0])?;
    out.write_all(b",")?;
    write_csv_date(out, baseline[1])?;
    out.write_all(b",")?;
    if let Some(slip) = t.slip_days {
        write_csv_field(out, numbers.format(slip))?;
    }
    out.write_all(b",")?;
    out.write_all(rag_text(t.rag).as_bytes())
}

/// CSV (RFC 4180, CRLF line ends), the JSON's item fields in the same order.
pub fn schedule_csv(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
    to_string(|mut sink| write_schedule_csv(&mut sink, rows(portfolio, schedule, critical_only)))
}

/// [`schedule_csv`], written to `out` a cell at a time.
fn write_schedule_csv<'a, W: Write>(
    out: &mut W,
    rows: impl IntoIterator<Item = Row<'a>>,
) -> io::Result<()> {
    let header = csv_header(&CSV_ITEM_COLUMNS, &CSV_PROGRESS_COLUMNS);
    out.write_all(header.as_bytes())?;
    out.write_all(b"\r\n")?;
    let mut numbers = itoa::Buffer::new();
    for r in rows {
        write_csv_field(out, r.id)?;
        out.write_all(b",")?;
        write_csv_field(out, r.name)?;
        out.write_all(b",")?;
        out.write_all(r.kind.as_str().as_bytes())?;
        for d in [
            r.timing.start,
            r.timing.finish,
            r.timing.early_start,
            r.timing.early_finish,
            r.timing.late_start,
            r.timing.late_finish,
        ] {
            out.write_all(b",")?;
            write_csv_date(out, Some(d))?;
        }
        let baseline = [r.baseline_start, r.baseline_finish];
        write_csv_timing(out, &mut numbers, &r.timing, baseline)?;
        out.write_all(b",")?;
        match r.complete {
            Some(basis_points) if basis_points % 100 == 0 => {
                write_csv_field(out, numbers.format(basis_points / 100))?;
            }
            Some(basis_points) => write_csv_field(out, &percent_number(basis_points).to_string())?,
            None => {}
        }
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

/// The readable table: one line an item, sorted by start, and the finish and critical path.
pub fn schedule_table(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
    to_string(|mut sink| write_schedule_table(&mut sink, portfolio, schedule, critical_only))
}

const TABLE_HEADER: [&str; 9] = [
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

/// [`schedule_table`], written to `out` a line at a time. Two passes over the rows: the first
/// finds each column's width, the second writes; the cells of a line are made in buffers
/// kept from line to line, so a table of 100k items allocates no `String` an item.
fn write_schedule_table<W: Write>(
    out: &mut W,
    portfolio: &Portfolio,
    schedule: &Schedule,
    critical_only: bool,
) -> io::Result<()> {
    let items = listed(portfolio, schedule, critical_only);
    let mut cells = TableCells::default();
    let mut widths = TABLE_HEADER.map(|h| h.chars().count());
    for row in rows_of(portfolio, schedule, &items) {
        cells.fill(&row);
        for (w, cell) in widths.iter_mut().zip(&cells.cells) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = String::new();
    cells.cells = TABLE_HEADER.map(String::from);
    cells.write_line(out, &mut line, &widths)?;
    for row in rows_of(portfolio, schedule, &items) {
        cells.fill(&row);
        cells.write_line(out, &mut line, &widths)?;
    }
    writeln!(out)?;
    writeln!(out, "finish: {}", schedule.finish)?;
    out.write_all(b"critical path: ")?;
    for (i, item) in schedule.critical_path.iter().enumerate() {
        if i > 0 {
            out.write_all(b" -> ")?;
        }
        out.write_all(crate::graph::name_of(portfolio, *item).as_bytes())?;
    }
    writeln!(out)
}

/// The nine cells of one line of the table.
#[derive(Default)]
struct TableCells {
    cells: [String; 9],
    numbers: itoa::Buffer,
}

impl TableCells {
    /// The cells of `r`: id (with its kind unless a project), name, dates, days and RAG.
    fn fill(&mut self, r: &Row<'_>) {
        for cell in &mut self.cells {
            cell.clear();
        }
        let [
            id,
            name,
            start,
            finish,
            duration,
            total,
            free,
            critical,
            rag,
        ] = &mut self.cells;
        id.push_str(r.id);
        match r.kind {
            Kind::Programme => id.push_str(" (programme)"),
            Kind::Milestone => id.push_str(" (milestone)"),
            Kind::Project => {}
        }
        name.push_str(r.name);
        for (cell, date) in [(start, r.timing.start), (finish, r.timing.finish)] {
            match json::date_digits(date) {
                Some(digits) => cell.extend(digits.map(char::from)),
                None => cell.push_str(&date.to_string()),
            }
        }
        duration.push_str(self.numbers.format(r.timing.duration_days));
        total.push_str(self.numbers.format(r.timing.total_float_days));
        free.push_str(self.numbers.format(r.timing.free_float_days));
        for days in [duration, total, free] {
            days.push('d');
        }
        if r.timing.critical {
            critical.push_str("yes");
        }
        rag.push_str(rag_text(r.timing.rag));
    }

    /// The cells padded to `widths`, two spaces apart, without trailing space.
    fn write_line<W: Write>(
        &self,
        out: &mut W,
        line: &mut String,
        widths: &[usize; 9],
    ) -> io::Result<()> {
        // Numbers are right-aligned so their digits line up. The cells are padded by the rule
        // of every text table (`text::Table::plain`), a line at a time: a `Table` of 100k rows
        // would hold every cell at once.
        use crate::report::text::Align::{Left, Right};
        const ALIGN: [Align; 9] = [Left, Left, Left, Left, Right, Right, Right, Left, Left];
        line.clear();
        for (i, ((cell, w), align)) in self.cells.iter().zip(widths).zip(ALIGN).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            crate::report::text::pad(line, cell, *w, align);
        }
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schedule JSON, CSV and table as they were made before they were streamed (issue 9):
    /// serde_json's pretty printer over a derived document, and one `String` a cell. The
    /// streamed writers must give the same bytes.
    mod before {
        use super::super::*;
        use serde::Serialize;

        #[derive(Serialize)]
        struct Item<'a> {
            id: &'a str,
            name: &'a str,
            kind: &'static str,
            start: NaiveDate,
            finish: NaiveDate,
            early_start: NaiveDate,
            early_finish: NaiveDate,
            late_start: NaiveDate,
            late_finish: NaiveDate,
            duration_days: u32,
            total_float_days: i64,
            free_float_days: i64,
            critical: bool,
            baseline_start: Option<NaiveDate>,
            baseline_finish: Option<NaiveDate>,
            slip_days: Option<i64>,
            rag: Option<Rag>,
            complete: Option<serde_json::Number>,
        }

        fn item<'a>(r: &Row<'a>) -> Item<'a> {
            Item {
                id: r.id,
                name: r.name,
                kind: r.kind.as_str(),
                start: r.timing.start,
                finish: r.timing.finish,
                early_start: r.timing.early_start,
                early_finish: r.timing.early_finish,
                late_start: r.timing.late_start,
                late_finish: r.timing.late_finish,
                duration_days: r.timing.duration_days,
                total_float_days: r.timing.total_float_days,
                free_float_days: r.timing.free_float_days,
                critical: r.timing.critical,
                baseline_start: r.baseline_start,
                baseline_finish: r.baseline_finish,
                slip_days: r.timing.slip_days,
                rag: r.timing.rag,
                complete: r.complete.map(percent_number),
            }
        }

        pub fn json(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
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
                items: Vec<Item<'a>>,
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
                items: rows(portfolio, schedule, critical_only)
                    .iter()
                    .map(item)
                    .collect(),
            };
            let mut text = serde_json::to_string_pretty(&document)
                .unwrap_or_else(|e| panic!("a schedule serialises: {e}"));
            text.push('\n');
            text
        }

        pub fn csv(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
            let mut out = csv_header(&CSV_ITEM_COLUMNS, &CSV_PROGRESS_COLUMNS);
            out.push_str("\r\n");
            let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            for r in rows(portfolio, schedule, critical_only) {
                let fields = [
                    r.id.to_string(),
                    r.name.to_string(),
                    r.kind.as_str().to_string(),
                    r.timing.start.to_string(),
                    r.timing.finish.to_string(),
                    r.timing.early_start.to_string(),
                    r.timing.early_finish.to_string(),
                    r.timing.late_start.to_string(),
                    r.timing.late_finish.to_string(),
                    r.timing.duration_days.to_string(),
                    r.timing.total_float_days.to_string(),
                    r.timing.free_float_days.to_string(),
                    r.timing.critical.to_string(),
                    opt(r.baseline_start),
                    opt(r.baseline_finish),
                    r.timing
                        .slip_days
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    rag_text(r.timing.rag).to_string(),
                    r.complete
                        .map(|c| percent_number(c).to_string())
                        .unwrap_or_default(),
                ];
                let quoted: Vec<String> = fields
                    .iter()
                    .map(|f| crate::report::text::csv_field(f))
                    .collect();
                out.push_str(&quoted.join(","));
                out.push_str("\r\n");
            }
            out
        }
        pub fn table(portfolio: &Portfolio, schedule: &Schedule, critical_only: bool) -> String {
            let mut lines: Vec<[String; 9]> = vec![TABLE_HEADER.map(String::from)];
            for r in rows(portfolio, schedule, critical_only) {
                let id = match r.kind {
                    Kind::Programme => format!("{} (programme)", r.id),
                    Kind::Milestone => format!("{} (milestone)", r.id),
                    Kind::Project => r.id.to_string(),
                };
                lines.push([
                    id,
                    r.name.to_string(),
                    r.timing.start.to_string(),
                    r.timing.finish.to_string(),
                    format!("{}d", r.timing.duration_days),
                    format!("{}d", r.timing.total_float_days),
                    format!("{}d", r.timing.free_float_days),
                    if r.timing.critical {
                        "yes".to_string()
                    } else {
                        String::new()
                    },
                    rag_text(r.timing.rag).to_string(),
                ]);
            }
            let mut widths = [0usize; 9];
            for line in &lines {
                for (w, cell) in widths.iter_mut().zip(line) {
                    *w = (*w).max(cell.chars().count());
                }
            }
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
    }

    /// A plan of portfolios/ with its schedule.
    fn example(name: &str) -> (Portfolio, Schedule) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("portfolios")
            .join(name);
        let mut sources = crate::diagnostic::SourceMap::new();
        let loaded = crate::source::analyse_files(
            &crate::cli::StdFs,
            &path,
            &mut sources,
            crate::source::Options {
                includes: crate::source::Includes::InsideFolder,
                detail: crate::finance::Detail::Full,
                lints: false,
                level: crate::analysis::Level::Off,
            },
        );
        let portfolio = loaded
            .portfolio
            .unwrap_or_else(|| panic!("{name} validates: {:?}", loaded.diagnostics));
        let (analysis, _) = crate::analysis::analyse(&portfolio, crate::finance::Detail::Full);
        let analysis = analysis.unwrap_or_else(|| panic!("{name} schedules"));
        (portfolio, analysis.schedule)
    }

    /// Guards the streamed JSON, CSV and table (issue 9): byte for byte what serde_json and
    /// the `String`-a-cell CSV and table gave, on the example plans and on text that needs escaping,
    /// fractional percentages and dates that chrono writes with a sign.
    #[test]
    fn streamed_json_csv_and_table_are_the_bytes_they_were() {
        let (tutorial, tutorial_schedule) = example("tutorial.tranche");
        let (families, families_schedule) = example("children-and-families.tranche");
        let (mut odd, mut odd_schedule) = example("tutorial.tranche");
        odd.title = "Tab\there, \"quotes\", back\\slash, bell\u{7}, café ✓".to_string();
        if let Some(project) = odd.projects.get_mut(0) {
            project.title = "=SUM(A1), \"defused\"\r\nnext line".to_string().into();
            project.details_mut().progress.actual_finish = None;
            project.details_mut().progress.complete = Some(crate::money::Percent(1_250));
        }
        if let Some(project) = odd.projects.get_mut(1) {
            project.id = "-dash".to_string().into();
            // Column widths count characters, not bytes.
            project.title = "Ünïcode wide ✓ name  \u{3000}".to_string().into();
            project.details_mut().progress.complete = Some(crate::money::Percent(3_333));
        }
        if let Some(timing) = odd_schedule.projects.get_mut(2) {
            timing.start = NaiveDate::from_ymd_opt(-5, 1, 2).unwrap_or_else(|| panic!("a date"));
            timing.late_finish =
                NaiveDate::from_ymd_opt(12_345, 6, 7).unwrap_or_else(|| panic!("a date"));
            timing.slip_days = Some(-4);
            timing.total_float_days = -12;
        }
        odd_schedule.critical_path.clear();
        let mut checked = 0;
        for (portfolio, schedule) in [
            (&tutorial, &tutorial_schedule),
            (&families, &families_schedule),
            (&odd, &odd_schedule),
        ] {
            for critical_only in [false, true] {
                assert_eq!(
                    schedule_json(portfolio, schedule, critical_only),
                    before::json(portfolio, schedule, critical_only)
                );
                assert_eq!(
                    schedule_csv(portfolio, schedule, critical_only),
                    before::csv(portfolio, schedule, critical_only)
                );
                assert_eq!(
                    schedule_table(portfolio, schedule, critical_only),
                    before::table(portfolio, schedule, critical_only)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 6);
        // An empty list of items is `[]`, as serde_json writes it.
        let mut empty = odd_schedule.clone();
        empty.projects.clear();
        empty.milestones.clear();
        empty.programmes.clear();
        let json = schedule_json(&odd, &empty, false);
        assert!(
            json.contains("\"critical_path\": [],\n  \"items\": []\n}\n"),
            "{json}"
        );
        assert_eq!(json, before::json(&odd, &empty, false));
    }

    #[test]
    fn date_keys_order_as_their_dates_and_kinds() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("a date"));
        let ordered = [
            (NaiveDate::MIN, NaiveDate::MIN, Kind::Programme),
            (NaiveDate::MIN, NaiveDate::MAX, Kind::Milestone),
            (day(-1, 12, 31), day(2021, 1, 1), Kind::Project),
            (day(2021, 3, 1), day(2021, 3, 1), Kind::Programme),
            (day(2021, 3, 1), day(2021, 3, 1), Kind::Project),
            (day(2021, 3, 1), day(2021, 3, 1), Kind::Milestone),
            (day(2021, 3, 1), day(2021, 3, 2), Kind::Programme),
            (day(2021, 3, 2), day(2021, 3, 1), Kind::Programme),
            (NaiveDate::MAX, NaiveDate::MIN, Kind::Programme),
            (NaiveDate::MAX, NaiveDate::MAX, Kind::Milestone),
        ];
        for pair in ordered.windows(2) {
            let [(s1, f1, k1), (s2, f2, k2)] = pair else {
                panic!("windows of two");
            };
            assert!((s1, f1, k1) < (s2, f2, k2), "the list is in order");
            assert!(
                date_key(*s1, *f1, *k1) < date_key(*s2, *f2, *k2),
                "{pair:?}"
            );
        }
        assert!(date_key(NaiveDate::MAX, NaiveDate::MAX, Kind::Milestone) < 1 << 58);
    }

    #[test]
    fn percentages_are_exact_json_numbers() {
        assert_eq!(percent_number(10_000).to_string(), "100");
        assert_eq!(percent_number(1_250).to_string(), "12.5");
        assert_eq!(percent_number(3_333).to_string(), "33.33");
        assert_eq!(percent_number(0).to_string(), "0");
    }
}
