//! `tranche schedule --format json` (schema in docs/json.md), written straight to a writer.
//!
//! Input: a portfolio, its schedule and the rows every report reads ([`super::row`]). Output:
//! the document, streamed to an `io::Write` as it is formatted, so a plan of 100k projects
//! (about 60 MB of JSON) is never held in memory twice. Invariant: the bytes are exactly what
//! `serde_json::to_string_pretty` gave for the same document (two-space indent, serde_json's
//! string escaping, chrono's date text), plus a final newline; a test compares the two.
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

/// Writes the JSON document of docs/json.md to `out`.
pub(crate) fn write_schedule_json<'a, W: Write>(
    out: &mut W,
    portfolio: &Portfolio,
    schedule: &Schedule,
    rows: impl IntoIterator<Item = Row<'a>>,
) -> io::Result<()> {
    let mut numbers = itoa::Buffer::new();
    out.write_all(b"{\n  \"schema\": \"tranche-schedule\",\n  \"version\": ")?;
    out.write_all(numbers.format(super::SCHEDULE_JSON_VERSION).as_bytes())?;
    out.write_all(b",\n  \"title\": ")?;
    write_str(out, &portfolio.title)?;
    out.write_all(b",\n  \"start\": ")?;
    write_date(out, portfolio.start)?;
    out.write_all(b",\n  \"end\": ")?;
    write_date(out, portfolio.end)?;
    out.write_all(b",\n  \"status_date\": ")?;
    write_option_date(out, portfolio.status_date)?;
    out.write_all(b",\n  \"finish\": ")?;
    write_date(out, schedule.finish)?;
    out.write_all(b",\n  \"critical_path\": [")?;
    for (i, item) in schedule.critical_path.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        write_str(out, crate::graph::name_of(portfolio, *item))?;
    }
    if !schedule.critical_path.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"],\n  \"items\": [")?;
    let mut any = false;
    for row in rows {
        out.write_all(if any { b",\n    " } else { b"\n    " })?;
        write_row(out, &mut numbers, &row)?;
        any = true;
    }
    if any {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"]\n}\n")
}

/// One item, an object indented to sit in `items`; the keys in `Row`'s order.
fn write_row<W: Write>(out: &mut W, numbers: &mut itoa::Buffer, row: &Row<'_>) -> io::Result<()> {
    out.write_all(b"{\n      \"id\": ")?;
    write_str(out, row.id)?;
    out.write_all(b",\n      \"name\": ")?;
    write_str(out, row.name)?;
    out.write_all(b",\n      \"kind\": \"")?;
    out.write_all(row.kind.as_str().as_bytes())?;
    out.write_all(b"\",\n      \"start\": ")?;
    write_date(out, row.start)?;
    out.write_all(b",\n      \"finish\": ")?;
    write_date(out, row.finish)?;
    out.write_all(b",\n      \"early_start\": ")?;
    write_date(out, row.early_start)?;
    out.write_all(b",\n      \"early_finish\": ")?;
    write_date(out, row.early_finish)?;
    out.write_all(b",\n      \"late_start\": ")?;
    write_date(out, row.late_start)?;
    out.write_all(b",\n      \"late_finish\": ")?;
    write_date(out, row.late_finish)?;
    out.write_all(b",\n      \"duration_days\": ")?;
    out.write_all(numbers.format(row.duration_days).as_bytes())?;
    out.write_all(b",\n      \"total_float_days\": ")?;
    out.write_all(numbers.format(row.total_float_days).as_bytes())?;
    out.write_all(b",\n      \"free_float_days\": ")?;
    out.write_all(numbers.format(row.free_float_days).as_bytes())?;
    out.write_all(if row.critical {
        b",\n      \"critical\": true,\n      \"baseline_start\": "
    } else {
        b",\n      \"critical\": false,\n      \"baseline_start\": "
    })?;
    write_option_date(out, row.baseline_start)?;
    out.write_all(b",\n      \"baseline_finish\": ")?;
    write_option_date(out, row.baseline_finish)?;
    out.write_all(b",\n      \"slip_days\": ")?;
    match row.slip_days {
        Some(days) => out.write_all(numbers.format(days).as_bytes())?,
        None => out.write_all(b"null")?,
    }
    out.write_all(match row.rag {
        Some(Rag::Green) => b",\n      \"rag\": \"green\",\n      \"complete\": ".as_slice(),
        Some(Rag::Amber) => b",\n      \"rag\": \"amber\",\n      \"complete\": ",
        Some(Rag::Red) => b",\n      \"rag\": \"red\",\n      \"complete\": ",
        None => b",\n      \"rag\": null,\n      \"complete\": ",
    })?;
    match row.complete {
        // Whole percentages are the common case; the rest are serde_json numbers as before.
        Some(basis_points) if basis_points % 100 == 0 => {
            out.write_all(numbers.format(basis_points / 100).as_bytes())?;
        }
        Some(basis_points) => write!(out, "{}", percent_number(basis_points))?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b"\n    }")
}

/// A JSON string, escaped as serde_json escapes it.
fn write_str<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    // Ids and titles almost never need escaping: write them as they are, and leave the rare
    // quote, backslash or control character to serde_json itself, so the escapes cannot
    // differ from its own.
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(out, text).map_err(io::Error::other);
    }
    out.write_all(b"\"")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\"")
}

/// A date as a JSON string: `"YYYY-MM-DD"`, as chrono writes it.
fn write_date<W: Write>(out: &mut W, date: NaiveDate) -> io::Result<()> {
    match date_digits(date) {
        Some(text) => {
            let mut quoted = [b'"'; 12];
            quoted[1..11].copy_from_slice(&text);
            out.write_all(&quoted)
        }
        // Years before 0 or after 9999 are written with a sign; chrono knows how.
        None => write!(out, "\"{date}\""),
    }
}

fn write_option_date<W: Write>(out: &mut W, date: Option<NaiveDate>) -> io::Result<()> {
    match date {
        Some(date) => write_date(out, date),
        None => out.write_all(b"null"),
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
        write_date(&mut out, date).unwrap_or_else(|e| panic!("writing to a Vec: {e}"));
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
            write_str(&mut out, text).unwrap_or_else(|e| panic!("writing to a Vec: {e}"));
            assert_eq!(
                String::from_utf8(out).unwrap_or_else(|e| panic!("UTF-8 in, UTF-8 out: {e}")),
                serde_json::to_string(text).unwrap_or_else(|e| panic!("a string: {e}")),
            );
        }
    }
}
