//! The output layer every renderer shares: tables ([`Table`], printed as aligned text,
//! Markdown, HTML or CSV), the one CSV cell rule, the HTML and Markdown escapes (and the loop
//! the XML and iCalendar exports escape with), month names, thousands separators and money as
//! plain decimal pounds.
//!
//! Input: text and figures already computed by a stage. Output: text. Invariant: a leaf; it
//! imports nothing of the crate but `money`, so every renderer in `report` (the schedule, the
//! committee report, `finance_render`, `risk_render`), `export` and `diff` can use it, and each
//! rule here is written once: a change to how a CSV cell is defused or a month is named reaches
//! every format.

use std::io::{self, Write};

use crate::money::Money;

mod table;

pub(crate) use table::{Align, Cell, Column, HTML_CLOSE, Table, html_open, pad};

/// A CSV cell as [`csv_field`] gives it, written to `out` without allocating when it needs no
/// quoting (nearly always).
pub(crate) fn write_csv_field<W: Write>(out: &mut W, field: &str) -> io::Result<()> {
    let plain = !field.starts_with(FORMULA_STARTS) && !field.contains([',', '"', '\n', '\r']);
    if plain {
        out.write_all(field.as_bytes())
    } else {
        out.write_all(csv_field(field).as_bytes())
    }
}

/// What a cell a spreadsheet may run as a formula starts with: `= + - @`, and (OWASP) a tab or
/// carriage return, which some spreadsheets skip before reading the rest.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The one rule for CSV cells (RFC 4180; every CSV tranche writes ends its lines with CRLF):
/// quoted when it holds a comma, quote or line break, and defused (quoted with a leading `'`)
/// when a spreadsheet would run it as a formula.
pub(crate) fn csv_field(field: &str) -> String {
    // A leading = + - @ would be run as a formula by spreadsheets, and so (OWASP) would one
    // after a leading tab or carriage return, which some spreadsheets skip; quote-and-prefix
    // it. A plain negative number (`-3`, `-1200.50`) is the one safe `-`: not "anything Rust
    // can parse as a number", which would let `-inf` or `-1e5` through.
    let risky = field.starts_with(FORMULA_STARTS) && !is_plain_decimal(field);
    if risky {
        return format!("\"'{}\"", field.replace('"', "\"\""));
    }
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// `-3`, `1200.50`: an optional `-`, digits, and optionally a `.` and more digits.
fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// `text` with each character that `replace` has a replacement for swapped for it (an empty
/// replacement drops the character): the one loop behind the escapes of HTML, XML and
/// iCalendar, which differ only in their tables.
pub(crate) fn escape_with(text: &str, replace: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replace(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    out
}

/// The entities HTML and XML share, for the characters that would otherwise be read as markup.
pub(crate) fn markup_entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        _ => None,
    }
}

/// Text made safe anywhere in HTML or SVG, in content and in quoted attributes.
pub(crate) fn escape_html(text: &str) -> String {
    escape_with(text, |c| match c {
        '\'' => Some("&#39;"),
        c => markup_entity(c),
    })
}

/// User text made inert in Markdown: characters that would start emphasis, code, links, HTML
/// or a table cell are backslash-escaped, and line breaks become spaces (a table row is one line).
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            // `@name` would notify a user where the Markdown is posted (a pull-request
            // comment); a zero-width space after `@` keeps the text and drops the mention.
            '@' => out.push_str("@\u{200B}"),
            _ => out.push(c),
        }
    }
    out
}

/// `January` for 1 to `December` for 12; `None` outside.
pub(crate) fn month_name(month: u32) -> Option<&'static str> {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(month.checked_sub(1)? as usize).copied()
}

/// `Jan` for 1 to `Dec` for 12 (the first three letters of [`month_name`]); `None` outside.
pub(crate) fn month_abbreviation(month: u32) -> Option<&'static str> {
    month_name(month).and_then(|name| name.get(..3))
}

/// `10,000`: digits grouped as money groups them (the rule lives with [`Money`]).
pub(crate) use crate::money::thousands;

/// How a report shows money (`report --money`, `report money` in the plan); it lives with
/// [`Money`] so that the model can carry the plan's setting.
pub use crate::money::MoneyScale;

/// Money as plain decimal pounds for spreadsheets, exact from pence, no symbol or separators:
/// `1234.50`, `-12.00`.
pub(crate) fn decimal_pounds(money: Money) -> String {
    let sign = if money.0 < 0 { "-" } else { "" };
    let abs = money.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A Mermaid task id, the one rule for the export and the committee report's chart: letters,
/// digits, `_` and `-` (which Mermaid's `after` reads as part of an id), anything else `_`.
pub fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A task, section or chart title as Mermaid's Gantt reads it, the one rule for the export and
/// the committee report's chart. Within a line: `:` ends a task's name (it becomes `∶`, the
/// ratio sign, which reads the same); `;` and `#` end statements and `%` starts a comment in
/// some readers, `<` and `>` would be markup (all become spaces); runs of spaces become one, and
/// an empty name is `untitled`. At the start: Mermaid's lexer reads a line that begins with one
/// of its keywords (`click`, `title`, `section`, `dateFormat`, ..., case-insensitively) or a
/// date as a directive, so such a name is led by U+200B, a zero-width space, which no rule of
/// the lexer matches but a name's and which draws nothing.
pub fn mermaid_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            ':' => '\u{2236}',
            ';' | '#' | '%' | '<' | '>' | '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect();
    let name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return "untitled".into();
    }
    let lower = name.to_lowercase();
    let directive = MERMAID_GANTT_WORDS.iter().any(|w| lower.starts_with(w))
        || starts_with_a_date(&name)
        || name.starts_with(|c: char| "\"(){}'`".contains(c));
    if directive {
        format!("\u{200B}{name}")
    } else {
        name
    }
}

/// `2024-01-01` at the start, as Mermaid's lexer reads a date (`\d\d\d\d-\d\d-\d\d`).
fn starts_with_a_date(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 10
        && b.iter().take(10).enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The words Mermaid's Gantt lexer (mermaid 11, `ganttDiagram`) matches at the start of a line
/// before it tries a task's name, lower-cased: a name beginning with one is led by U+200B.
const MERMAID_GANTT_WORDS: [&str; 20] = [
    "acctitle",
    "accdescr",
    "accdescription",
    "href",
    "call",
    "click",
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "section",
    "displaymode",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_shown_rounded_half_away_from_zero_in_each_scale() {
        let show = |scale: MoneyScale, pence: i64| scale.show(pence);
        assert_eq!(show(MoneyScale::Pounds, 221_854_167), "£2,218,541.67");
        assert_eq!(show(MoneyScale::Thousands, 221_854_167), "£2,219k");
        assert_eq!(show(MoneyScale::Thousands, 49_999), "£0k");
        assert_eq!(show(MoneyScale::Thousands, 50_000), "£1k");
        assert_eq!(show(MoneyScale::Thousands, -50_000), "-£1k");
        assert_eq!(show(MoneyScale::Millions, 221_854_167), "£2.2m");
        assert_eq!(show(MoneyScale::Millions, 125_000_000), "£1.3m");
        assert_eq!(show(MoneyScale::Millions, -4_999_999), "£0.0m");
        assert_eq!(
            show(MoneyScale::Thousands, i64::MIN),
            "-£92,233,720,368,548k"
        );
        // Three figures of £1.4k each show £1k, and their exact total £4.2k shows £4k: the
        // column does not add up, and the table's note says why.
        let figures: Vec<String> = [140_000; 3]
            .iter()
            .map(|&p| show(MoneyScale::Thousands, p))
            .collect();
        assert_eq!(figures, ["£1k", "£1k", "£1k"]);
        assert_eq!(show(MoneyScale::Thousands, 3 * 140_000), "£4k");
        assert!(MoneyScale::Thousands.rounding_note().is_some());
    }

    #[test]
    fn mermaid_text_is_never_a_directive_and_never_breaks_a_line() {
        assert_eq!(
            mermaid_text("Phase 1: build; test #2"),
            "Phase 1\u{2236} build test 2"
        );
        assert_eq!(mermaid_text("  "), "untitled");
        assert_eq!(mermaid_text("50% <b>off</b>"), "50 b off /b");
        for word in [
            "click here",
            "Title case",
            "dateFormat x",
            "Section 2",
            "2024-01-01 go",
        ] {
            assert_eq!(mermaid_text(word), format!("\u{200B}{word}"));
        }
        // A keyword inside a name is text.
        assert_eq!(
            mermaid_text("Go live: click and collect"),
            "Go live\u{2236} click and collect"
        );
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
        assert_eq!(csv_field("-1200.50"), "-1200.50");
        // Parsable as numbers by Rust, but text (or a formula) to a spreadsheet.
        assert_eq!(csv_field("-inf"), "\"'-inf\"");
        assert_eq!(csv_field("-NaN"), "\"'-NaN\"");
        assert_eq!(csv_field("-1e5"), "\"'-1e5\"");
        assert_eq!(csv_field("-1."), "\"'-1.\"");
        assert_eq!(csv_field("-.5"), "\"'-.5\"");
        // OWASP's other two: a leading tab or carriage return.
        assert_eq!(csv_field("\t=1+1"), "\"'\t=1+1\"");
        assert_eq!(csv_field("\rtext"), "\"'\rtext\"");
    }

    #[test]
    fn html_escaping_covers_content_and_attributes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn user_text_cannot_break_a_markdown_table_or_start_html() {
        assert_eq!(escape_markdown("a | b <script>"), r"a \| b \<script\>");
        assert_eq!(escape_markdown("*bold* _x_\nnext"), r"\*bold\* \_x\_ next");
    }

    #[test]
    fn months_and_thousands_and_pounds() {
        assert_eq!(month_name(9), Some("September"));
        assert_eq!(month_abbreviation(9), Some("Sep"));
        assert_eq!(month_name(0), None);
        assert_eq!(month_abbreviation(13), None);
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(decimal_pounds(Money(123_450)), "1234.50");
        assert_eq!(decimal_pounds(Money(-1_200)), "-12.00");
    }
}
