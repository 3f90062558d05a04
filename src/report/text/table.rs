//! One table, printed by every format: aligned plain text, Markdown (compact, or padded and
//! aligned), an HTML `<table>` and CSV. A renderer builds a [`Table`] of what to show and
//! chooses the format; how columns line up, how a cell is escaped and how a header is marked
//! is decided here once.

use std::borrow::Cow;

use super::{MoneyScale, csv_field, escape_html, escape_markdown};

/// How a column's cells line up in text: words to the left, numbers to the right so their
/// digits line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A column: its header, how its cells line up, and the class HTML gives its cells. The
/// header is nearly always fixed text; a table whose columns are the user's (one per scenario
/// in `tranche options`) gives it as a `String`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub header: Cow<'static, str>,
    pub align: Align,
    /// `date` or `num`; a `num` column's header is marked `num` too.
    pub class: Option<&'static str>,
}

impl Column {
    /// Words, left-aligned.
    pub(crate) const fn text(header: &'static str) -> Column {
        Column {
            header: Cow::Borrowed(header),
            align: Align::Left,
            class: None,
        }
    }

    /// Dates as readers see them, left-aligned.
    pub(crate) const fn date(header: &'static str) -> Column {
        Column {
            header: Cow::Borrowed(header),
            align: Align::Left,
            class: Some("date"),
        }
    }

    /// Figures under a header made at run time (a scenario's id), right-aligned.
    pub(crate) fn number_named(header: String) -> Column {
        Column {
            header: Cow::Owned(header),
            align: Align::Right,
            class: Some("num"),
        }
    }

    /// Figures, right-aligned.
    pub(crate) const fn number(header: &'static str) -> Column {
        Column {
            header: Cow::Borrowed(header),
            align: Align::Right,
            class: Some("num"),
        }
    }
}

/// One cell. The kinds differ only in how each format marks them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// Text tranche made (a figure, a date, a label): escaped for HTML only, as it holds
    /// nothing Markdown would read as markup.
    Text(String),
    /// Text the user wrote (a title, an owner): escaped for Markdown and HTML.
    User(String),
    /// An id, set as code.
    Code(String),
    /// A title and its id: `Title (`id`)`; the title alone when the id is empty.
    Named { title: String, id: String },
    /// Money: `text` to the penny, `pence` exact; a table in thousands or millions
    /// ([`MoneyScale`]) shows it rounded. HTML marks a negative amount.
    Money {
        text: String,
        negative: bool,
        pence: i64,
    },
    /// Yes or no; HTML makes yes strong.
    Flag(bool),
    /// A word with a mark beside it, so it never rests on colour alone (a RAG status, a
    /// target met or missed): HTML gives the cell `class` and hides the mark from screen
    /// readers; other formats show the word.
    Marked {
        class: String,
        mark: &'static str,
        text: &'static str,
    },
    /// Text tranche made with an HTML class of its own (a cell of the RAID heat map, coloured
    /// by its score band); other formats show the text alone, which says all there is.
    Classed { class: &'static str, text: String },
    /// User text nested `depth` levels deep (a programme within a programme): text formats
    /// mark each level with an arrow, HTML gives the row's heading a `depth-N` class.
    Nested { text: String, depth: usize },
    /// Nothing to show: a dash.
    Missing,
}

/// Rows of cells under columns, and the caption HTML gives the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub caption: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// How its money is shown; in thousands or millions, a money column's header says so.
    pub money: MoneyScale,
}

impl Table {
    pub(crate) fn new(caption: &'static str, columns: Vec<Column>) -> Table {
        Table {
            caption,
            columns,
            rows: Vec::new(),
            money: MoneyScale::Pounds,
        }
    }

    /// The table with its money shown in `money`.
    pub(crate) fn in_money(mut self, money: MoneyScale) -> Table {
        self.money = money;
        self
    }

    pub(crate) fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Aligned text, two spaces between columns, no trailing space; the header is the first line.
    pub(crate) fn plain(&self) -> String {
        let lines = self.lines(Cell::plain);
        let widths = widths(&lines);
        let mut out = String::new();
        for line in &lines {
            let mut text = String::new();
            for (c, ((cell, width), column)) in
                line.iter().zip(&widths).zip(&self.columns).enumerate()
            {
                if c > 0 {
                    text.push_str("  ");
                }
                pad(&mut text, cell, *width, column.align);
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    /// A Markdown pipe table as it pastes into a paper: cells as they are, `---` under each
    /// header.
    pub(crate) fn markdown(&self) -> String {
        let lines = self.lines(Cell::markdown);
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            out.push_str(&format!("| {} |\n", line.join(" | ")));
            if i == 0 {
                let rule = vec![" --- "; line.len()];
                out.push_str(&format!("|{}|\n", rule.join("|")));
            }
        }
        out
    }

    /// A Markdown pipe table padded so it reads as a table in plain text too, with numbers
    /// right-aligned (`--:`) as in [`Table::plain`].
    pub(crate) fn markdown_aligned(&self) -> String {
        let lines = self.lines(Cell::markdown);
        let widths = widths(&lines);
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let mut text = String::from("|");
            for ((cell, width), column) in line.iter().zip(&widths).zip(&self.columns) {
                text.push(' ');
                pad(&mut text, cell, *width, column.align);
                text.push_str(" |");
            }
            out.push_str(text.trim_end());
            out.push('\n');
            if i == 0 {
                out.push('|');
                for (width, column) in widths.iter().zip(&self.columns) {
                    let width = (*width).max(3);
                    match column.align {
                        Align::Left => out.push_str(&format!(" {} |", "-".repeat(width))),
                        Align::Right => out.push_str(&format!(" {}: |", "-".repeat(width - 1))),
                    }
                }
                out.push('\n');
            }
        }
        out
    }

    /// An HTML table: the caption, a header row, and a row per row whose first cell heads it.
    /// `keep` marks a table short enough that printing should not split it (a long one marked
    /// so would be pushed whole to the next page, leaving a gap).
    pub(crate) fn html(&self, keep: bool) -> String {
        let headers: Vec<String> = (0..self.columns.len())
            .filter_map(|c| self.columns.get(c).map(|column| self.header(c, column)))
            .collect();
        let mut out = html_open_with(keep, self.caption, &self.columns, &headers);
        for row in &self.rows {
            out.push_str("<tr>");
            for (c, (cell, column)) in row.iter().zip(&self.columns).enumerate() {
                if c == 0 {
                    let class = match cell {
                        // Deeper than four levels reads as four: the indent must leave room.
                        Cell::Nested { depth, .. } => format!(" class=\"depth-{}\"", depth.min(&4)),
                        _ => String::new(),
                    };
                    out.push_str(&format!("<th scope=\"row\"{class}>{}</th>", cell.html()));
                    continue;
                }
                let class = match cell {
                    Cell::Money { negative: true, .. } => Some("num negative"),
                    Cell::Money { .. } => Some("num"),
                    Cell::Marked { class, .. } => Some(class.as_str()),
                    Cell::Classed { class, .. } => Some(*class),
                    _ => column.class,
                };
                let text = match cell {
                    Cell::Money { pence, .. } if self.money != MoneyScale::Pounds => {
                        escape_html(&self.money.show(*pence))
                    }
                    _ => cell.html(),
                };
                match class {
                    Some(class) => out.push_str(&format!("<td class=\"{class}\">{text}</td>")),
                    None => out.push_str(&format!("<td>{text}</td>")),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str(HTML_CLOSE);
        out
    }

    /// CSV under the one cell rule ([`csv_field`]), CRLF line ends, the header first.
    pub(crate) fn csv(&self) -> String {
        let mut out = String::new();
        for line in self.lines(Cell::plain) {
            let cells: Vec<String> = line.iter().map(|cell| csv_field(cell)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The header and every row as text in one format, money in the table's scale.
    fn lines(&self, text: fn(&Cell) -> String) -> Vec<Vec<String>> {
        let header = self
            .columns
            .iter()
            .enumerate()
            .map(|(c, column)| self.header(c, column))
            .collect();
        let cell = |cell: &Cell| match cell {
            Cell::Money { pence, .. } if self.money != MoneyScale::Pounds => {
                self.money.show(*pence)
            }
            other => text(other),
        };
        std::iter::once(header)
            .chain(self.rows.iter().map(|row| row.iter().map(cell).collect()))
            .collect()
    }

    /// A column's header, with the unit when its money is in thousands or millions.
    fn header(&self, c: usize, column: &Column) -> String {
        let money = self
            .rows
            .iter()
            .any(|row| matches!(row.get(c), Some(Cell::Money { .. })));
        match self.money.unit() {
            Some(unit) if money => format!("{} ({unit})", column.header),
            _ => column.header.to_string(),
        }
    }
}

/// The end of an HTML table [`html_open`] began.
pub(crate) const HTML_CLOSE: &str = "</tbody></table>\n";

/// Opens an HTML table up to its first row: for tables whose rows need more than cells (a
/// group heading, a class on the row), written by their renderer between this and
/// [`HTML_CLOSE`].
pub(crate) fn html_open(keep: bool, caption: &str, columns: &[Column]) -> String {
    let headers: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    html_open_with(keep, caption, columns, &headers)
}

/// [`html_open`] with the headers as the table shows them (a money column's with its unit).
fn html_open_with(keep: bool, caption: &str, columns: &[Column], headers: &[String]) -> String {
    let class = if keep { " class=\"keep\"" } else { "" };
    let mut out = format!(
        "<table{class}>\n<caption>{}</caption>\n<thead><tr>",
        escape_html(caption)
    );
    for (column, header) in columns.iter().zip(headers) {
        let class = if column.class == Some("num") {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<th scope=\"col\"{class}>{}</th>",
            escape_html(header)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    out
}

/// `cell` padded with spaces to `width` characters (not bytes), on the side `align` says.
pub(crate) fn pad(out: &mut String, cell: &str, width: usize, align: Align) {
    let padding = width.saturating_sub(cell.chars().count());
    match align {
        Align::Left => {
            out.push_str(cell);
            out.extend(std::iter::repeat_n(' ', padding));
        }
        Align::Right => {
            out.extend(std::iter::repeat_n(' ', padding));
            out.push_str(cell);
        }
    }
}

/// Each column's width: its widest cell, in characters.
fn widths(lines: &[Vec<String>]) -> Vec<usize> {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    (0..columns)
        .map(|c| {
            lines
                .iter()
                .filter_map(|line| line.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect()
}

impl Cell {
    /// A title the user wrote and its id.
    pub(crate) fn named(title: &str, id: &str) -> Cell {
        Cell::Named {
            title: title.to_owned(),
            id: id.to_owned(),
        }
    }

    fn plain(&self) -> String {
        match self {
            Cell::Text(text) | Cell::User(text) | Cell::Code(text) => text.clone(),
            Cell::Money { text, .. } => text.clone(),
            Cell::Named { title, id } if id.is_empty() => title.clone(),
            Cell::Named { title, id } => format!("{title} ({id})"),
            Cell::Flag(yes) => if *yes { "Yes" } else { "No" }.to_owned(),
            Cell::Marked { text, .. } => (*text).to_owned(),
            Cell::Classed { text, .. } => text.clone(),
            Cell::Nested { text, depth } => format!("{}{text}", "→ ".repeat(*depth)),
            Cell::Missing => "—".to_owned(),
        }
    }

    fn markdown(&self) -> String {
        match self {
            Cell::User(text) => escape_markdown(text),
            Cell::Nested { text, depth } => {
                format!("{}{}", "→ ".repeat(*depth), escape_markdown(text))
            }
            Cell::Code(id) => format!("`{id}`"),
            Cell::Named { title, id } if id.is_empty() => escape_markdown(title),
            Cell::Named { title, id } => format!("{} (`{id}`)", escape_markdown(title)),
            _ => self.plain(),
        }
    }

    fn html(&self) -> String {
        match self {
            Cell::Code(id) => format!("<code>{}</code>", escape_html(id)),
            Cell::Named { title, id } if id.is_empty() => escape_html(title),
            Cell::Named { title, id } => {
                format!("{} <code>{}</code>", escape_html(title), escape_html(id))
            }
            Cell::Flag(true) => "<strong>Yes</strong>".to_owned(),
            Cell::Marked { mark, text, .. } => {
                format!("<span aria-hidden=\"true\">{mark} </span>{text}")
            }
            Cell::Nested { text, .. } => escape_html(text),
            _ => escape_html(&self.plain()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Table {
        let mut table = Table::new("Example", vec![Column::text(""), Column::number("P50")]);
        table.push(vec![Cell::Code("x".into()), Cell::Text("1".into())]);
        table
    }

    #[test]
    fn plain_tables_align_and_drop_markup() {
        assert_eq!(example().plain(), "   P50\nx    1\n");
    }

    #[test]
    fn markdown_tables_have_a_rule_and_right_aligned_numbers() {
        assert_eq!(
            example().markdown_aligned(),
            "|     | P50 |\n| --- | --: |\n| `x` |   1 |\n"
        );
        assert_eq!(
            example().markdown(),
            "|  | P50 |\n| --- | --- |\n| `x` | 1 |\n"
        );
    }

    #[test]
    fn html_tables_head_their_rows_and_mark_numbers() {
        let mut table = example();
        table.push(vec![
            Cell::User("<b>".into()),
            Cell::Money {
                text: "-£1".into(),
                negative: true,
                pence: -100,
            },
        ]);
        assert_eq!(
            table.html(true),
            "<table class=\"keep\">\n<caption>Example</caption>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">P50</th></tr></thead>\n<tbody>\n<tr><th scope=\"row\"><code>x</code></th><td class=\"num\">1</td></tr>\n<tr><th scope=\"row\">&lt;b&gt;</th><td class=\"num negative\">-£1</td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn csv_tables_use_the_one_cell_rule() {
        let mut table = Table::new("", vec![Column::text("name"), Column::number("n")]);
        table.push(vec![Cell::User("=1+1".into()), Cell::Text("-3".into())]);
        assert_eq!(table.csv(), "name,n\r\n\"'=1+1\",-3\r\n");
    }
}
