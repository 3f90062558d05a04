//! `tranche schedule --format json` (schema in docs/json.md), written straight to a writer.
//!
//! Input: a portfolio, its schedule and the rows every report reads ([`super::row`]). Output:
//! the document, streamed to an `io::Write` in 32 KiB chunks as it is formatted, so a plan of
//! 100k projects (about 60 MB of JSON) is never held in memory whole (or appended to one
//! `Vec`, for [`super::schedule_json`]). Invariant: the bytes are exactly what
//! `serde_json::to_string_pretty` gave for the same document (two-space indent, serde_json's
//! string escaping, chrono's date text), plus a final newline; a test in `super` compares
//! the two.
//!
//! Why by hand: going through serde's derive, chrono's `Display` and `serde_json::Number`
//! cost about 1.5 µs an item, mostly in `fmt` machinery; the document's shape is fixed, so
//! writing its punctuation as constant text and its numbers with `itoa` is several times
//! faster and allocates nothing per item.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};

use super::{Row, percent_number};
use crate::model::Portfolio;
use crate::schedule::{Rag, Schedule};

/// Writes the JSON document of docs/json.md to `writer`.
pub(crate) fn write_schedule_json<'a, W: Write>(
    writer: &mut W,
    portfolio: &Portfolio,
    schedule: &Schedule,
    rows: impl IntoIterator<Item = Row<'a>>,
) -> io::Result<()> {
    // The text is made in a buffer of our own and handed to `writer` in chunks: appending to a
    // `Vec` inlines the copy of each constant piece, where some 45 `write_all` calls an item
    // through a generic writer each went to `memcpy`.
    const CHUNK: usize = 1 << 15;
    let mut out = Vec::with_capacity(CHUNK + 4096);
    document(&mut out, portfolio, schedule, rows, |out| {
        if out.len() >= CHUNK {
            writer.write_all(out)?;
            out.clear();
        }
        Ok(())
    })?;
    writer.write_all(&out)
}

/// Appends the JSON document of docs/json.md to `out`, whole.
pub(crate) fn push_schedule_json<'a>(
    out: &mut Vec<u8>,
    portfolio: &Portfolio,
    schedule: &Schedule,
    rows: impl IntoIterator<Item = Row<'a>>,
) {
    document(out, portfolio, schedule, rows, |_| Ok(()))
        .unwrap_or_else(|e| panic!("report: appending to memory cannot fail: {e}"));
}

/// The document, appended to `out`; `drain` is offered `out` after each item, to pass on
/// what is there.
fn document<'a>(
    out: &mut Vec<u8>,
    portfolio: &Portfolio,
    schedule: &Schedule,
    rows: impl IntoIterator<Item = Row<'a>>,
    mut drain: impl FnMut(&mut Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    let mut numbers = itoa::Buffer::new();
    let dates = &DateTexts::new(portfolio.start, portfolio.end.max(schedule.finish));
    out.extend_from_slice(b"{\n  \"schema\": \"tranche-schedule\",\n  \"version\": ");
    out.extend_from_slice(numbers.format(super::SCHEDULE_JSON_VERSION).as_bytes());
    out.extend_from_slice(b",\n  \"title\": ");
    write_str(out, &portfolio.title);
    out.extend_from_slice(b",\n  \"start\": ");
    write_date(out, portfolio.start);
    out.extend_from_slice(b",\n  \"end\": ");
    write_date(out, portfolio.end);
    out.extend_from_slice(b",\n  \"status_date\": ");
    write_option_date(out, portfolio.status_date);
    out.extend_from_slice(b",\n  \"finish\": ");
    write_date(out, schedule.finish);
    out.extend_from_slice(b",\n  \"critical_path\": [");
    for (i, item) in schedule.critical_path.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        write_str(out, crate::graph::name_of(portfolio, *item));
    }
    if !schedule.critical_path.is_empty() {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(b"],\n  \"items\": [");
    let mut any = false;
    for row in rows {
        out.extend_from_slice(if any { b",\n    " } else { b"\n    " });
        write_row(out, &mut numbers, dates, &row);
        any = true;
        drain(out)?;
    }
    if any {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(b"]\n}\n");
    Ok(())
}

/// One item, an object indented to sit in `items`; the keys in the schedule JSON's order (the
/// timing's, with the baseline dates between `critical` and `slip_days`).
fn write_row(out: &mut Vec<u8>, numbers: &mut itoa::Buffer, dates: &DateTexts, row: &Row<'_>) {
    out.extend_from_slice(b"{\n      \"id\": ");
    write_str(out, row.id);
    out.extend_from_slice(b",\n      \"name\": ");
    write_str(out, row.name);
    out.extend_from_slice(b",\n      \"kind\": \"");
    out.extend_from_slice(row.kind.as_str().as_bytes());
    out.push(b'"');
    let t = &row.timing;
    // The dates and days in `Timing`'s order, each key on its own line as serde_json writes it.
    let key = |out: &mut Vec<u8>, key: &str| {
        out.extend_from_slice(b",\n      \"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
    };
    for (name, date) in [
        ("start", t.start),
        ("finish", t.finish),
        ("early_start", t.early_start),
        ("early_finish", t.early_finish),
        ("late_start", t.late_start),
        ("late_finish", t.late_finish),
    ] {
        key(out, name);
        dates.write(out, date);
    }
    for (name, days) in [
        ("duration_days", i64::from(t.duration_days)),
        ("total_float_days", t.total_float_days),
        ("free_float_days", t.free_float_days),
    ] {
        key(out, name);
        out.extend_from_slice(numbers.format(days).as_bytes());
    }
    out.extend_from_slice(if t.critical {
        b",\n      \"critical\": true,\n      \"baseline_start\": "
    } else {
        b",\n      \"critical\": false,\n      \"baseline_start\": "
    });
    dates.write_option(out, row.baseline_start);
    out.extend_from_slice(b",\n      \"baseline_finish\": ");
    dates.write_option(out, row.baseline_finish);
    out.extend_from_slice(b",\n      \"slip_days\": ");
    match t.slip_days {
        Some(days) => out.extend_from_slice(numbers.format(days).as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(match t.rag {
        Some(Rag::Green) => b",\n      \"rag\": \"green\",\n      \"complete\": ".as_slice(),
        Some(Rag::Amber) => b",\n      \"rag\": \"amber\",\n      \"complete\": ",
        Some(Rag::Red) => b",\n      \"rag\": \"red\",\n      \"complete\": ",
        None => b",\n      \"rag\": null,\n      \"complete\": ",
    });
    match row.complete {
        // Whole percentages are the common case; the rest are serde_json numbers as before.
        Some(basis_points) if basis_points % 100 == 0 => {
            out.extend_from_slice(numbers.format(basis_points / 100).as_bytes());
        }
        Some(basis_points) => {
            out.extend_from_slice(percent_number(basis_points).to_string().as_bytes());
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"\n    }");
}

/// A JSON string, escaped as serde_json escapes it.
fn write_str(out: &mut Vec<u8>, text: &str) {
    // Ids and titles almost never need escaping: write them as they are, and leave the rare
    // quote, backslash or control character to serde_json itself, so the escapes cannot
    // differ from its own.
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(out, text)
            .unwrap_or_else(|e| panic!("report: a string always serialises: {e}"));
    }
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

/// The quoted text of every day of a span, made once for a document. An item has six to
/// eight dates, nearly all within the plan's few thousand days: copying twelve bytes from a
/// table is several times faster than working out the year, month and day of each.
struct DateTexts {
    /// The first day's number (days from the common era), and the text of it and each day on.
    first: i32,
    texts: Vec<[u8; 12]>,
}

impl DateTexts {
    /// At most this many days (about 137 years); later dates are made one by one.
    const MAX_DAYS: usize = 50_000;

    fn new(first: NaiveDate, last: NaiveDate) -> DateTexts {
        let texts = first
            .iter_days()
            .take_while(|day| *day <= last)
            .take(Self::MAX_DAYS)
            .map_while(quoted_date)
            .collect();
        DateTexts {
            first: first.num_days_from_ce(),
            texts,
        }
    }

    fn write(&self, out: &mut Vec<u8>, date: NaiveDate) {
        let day = date.num_days_from_ce().checked_sub(self.first);
        match day.and_then(|d| self.texts.get(usize::try_from(d).ok()?)) {
            Some(text) => out.extend_from_slice(text),
            None => write_date(out, date),
        }
    }

    fn write_option(&self, out: &mut Vec<u8>, date: Option<NaiveDate>) {
        match date {
            Some(date) => self.write(out, date),
            None => out.extend_from_slice(b"null"),
        }
    }
}

/// `"YYYY-MM-DD"` with its quotes, for years 0 to 9999.
fn quoted_date(date: NaiveDate) -> Option<[u8; 12]> {
    let digits = date_digits(date)?;
    let mut quoted = [b'"'; 12];
    quoted[1..11].copy_from_slice(&digits);
    Some(quoted)
}

/// A date as a JSON string: `"YYYY-MM-DD"`, as chrono writes it.
fn write_date(out: &mut Vec<u8>, date: NaiveDate) {
    match quoted_date(date) {
        Some(quoted) => out.extend_from_slice(&quoted),
        // Years before 0 or after 9999 are written with a sign; chrono knows how.
        None => out.extend_from_slice(format!("\"{date}\"").as_bytes()),
    }
}

fn write_option_date(out: &mut Vec<u8>, date: Option<NaiveDate>) {
    match date {
        Some(date) => write_date(out, date),
        None => out.extend_from_slice(b"null"),
    }
}

/// `YYYY-MM-DD` for years 0 to 9999 (the text of chrono's `Display`), `None` for the rest.
/// chrono's formatting goes through `fmt` for every field; this is a few stores.
pub(crate) fn date_digits(date: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let (month, day) = (date.month(), date.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    Some([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_text(date: NaiveDate) -> String {
        let mut out = Vec::new();
        write_date(&mut out, date);
        String::from_utf8(out).unwrap_or_else(|e| panic!("dates are ASCII: {e}"))
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2021, 3, 1),
            (1999, 12, 31),
            (2024, 2, 29),
            (1, 1, 1),
            (0, 6, 15),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 1, 1),
            (-44, 3, 15),
        ] {
            let date =
                NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is a date"));
            assert_eq!(date_text(date), serde_json::json!(date).to_string());
        }
        let date = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap_or_else(|| panic!("a date"));
        assert_eq!(date_text(date), "\"2021-03-01\"");
    }

    #[test]
    fn dates_from_the_table_are_the_dates_written_one_by_one() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("a date"));
        let table = DateTexts::new(day(2021, 3, 1), day(2021, 3, 31));
        assert_eq!(table.texts.len(), 31);
        // Inside the table, before it, after it, and with a sign: the same text.
        for date in [
            day(2021, 3, 1),
            day(2021, 3, 17),
            day(2021, 3, 31),
            day(2021, 2, 28),
            day(2021, 4, 1),
            day(1999, 1, 1),
            day(-3, 5, 6),
            day(12_000, 1, 1),
        ] {
            let mut out = Vec::new();
            table.write(&mut out, date);
            assert_eq!(String::from_utf8_lossy(&out), date_text(date));
        }
        // A span that runs into signed years stops where they start.
        assert_eq!(
            DateTexts::new(day(9999, 12, 30), day(10_000, 1, 5))
                .texts
                .len(),
            2
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "plain",
            "",
            "Comms, \"launch\" & training",
            "back\\slash",
            "tab\tnew\nline\r",
            "bell\u{7}\u{1f} and \u{7f}",
            "café — naïve ✓ 😀",
            "</script>",
        ] {
            let mut out = Vec::new();
            write_str(&mut out, text);
            assert_eq!(
                String::from_utf8(out).unwrap_or_else(|e| panic!("UTF-8 in, UTF-8 out: {e}")),
                serde_json::to_string(text).unwrap_or_else(|e| panic!("a string: {e}")),
            );
        }
    }
}
