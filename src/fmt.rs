//! `tranche fmt`: the canonical layout of one portfolio file, every comment kept.
//!
//! Input: a parsed [`ast::File`] and the text it was parsed from (the text is needed for what
//! the AST does not hold: where the author put blank lines and braces, and whether a comment
//! stood on its own line or after code). Output: the file's text in canonical layout, with
//! `\n` line endings and a final newline (docs/fmt.md describes the layout).
//!
//! Invariants, each checked by tests over every example plan:
//! - meaning kept: the output parses to the same AST as the input, spans aside;
//! - nothing lost: the multiset of comment texts is unchanged (trailing blanks aside);
//! - idempotent: formatting the output again gives the same bytes;
//! - items and attributes keep the author's order, literals keep the author's spelling.
//!
//! The walk over nested blocks is iterative (an explicit stack), so a deeply nested file cannot
//! overflow the stack here; the parser limits nesting anyway (E005).

use crate::diagnostic::{Diagnostic, FileId, Span};
use crate::syntax::{self, ast};

/// Parses `text` and returns it in canonical layout. A file with syntax errors is refused
/// (its AST may be missing the parts that failed to parse, so formatting it would lose text):
/// the error is every diagnostic the parser reported.
pub fn format_source(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let (ast, diagnostics) = syntax::parse(file, text);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(format(&ast, text))
}

/// The canonical layout of `file`, which was parsed from `source`.
pub fn format(file: &ast::File, source: &str) -> String {
    let mut printer = Printer::new(&file.comments, source);
    printer.print(&file.items);
    render(&printer.lines)
}

/// The canonical layout of a tree built by a program rather than parsed from text (`tranche
/// import` builds its plan as an [`ast::File`] and prints it here, so the language has one
/// printer).
///
/// There is no source, so there is no author's layout to keep, and what `format` learns from
/// the source is decided here instead: the file's comments open it, in order, each on a line of
/// its own (there is nowhere else to put a comment without a place); every top-level item is
/// set apart by a blank line; a block has braces only when it has a body (a portfolio and a
/// calendar declaration keep `{}`). Spans are read only against the source, and there is none,
/// so they select nothing: build the tree with [`ast::NOWHERE`]. The text is in `format`'s
/// layout: formatting it again changes nothing.
pub fn format_tree(file: &ast::File) -> String {
    let mut printer = Printer::new(&[], "");
    printer.set_apart = true;
    for comment in &file.comments {
        let text = comment.text.trim_end().to_string();
        printer.push(Line::Comment { indent: 0, text }, false);
    }
    printer.print(&file.items);
    render(&printer.lines)
}

/// One line of output before trailing comments are aligned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Blank,
    /// Code, perhaps with a comment after it on the same line.
    Code {
        indent: usize,
        code: String,
        comment: Option<String>,
    },
    /// A comment on a line of its own.
    Comment {
        indent: usize,
        text: String,
    },
}

/// A comment of the file, classified once.
#[derive(Debug, Clone)]
struct Note {
    start: usize,
    end: usize,
    text: String,
    /// Whether code stands before it on its line in the source (`duration 2 weeks # why`).
    trailing: bool,
}

/// One open container in the walk: the file, or a block whose body is being printed.
#[derive(Debug)]
struct Frame<'a> {
    items: &'a [ast::Attr],
    next: usize,
    /// Indentation level of the items in this container.
    indent: usize,
    /// Where the body ends in the source: the block's `}`, or the end of the file. Comments
    /// before this position belong inside the container.
    close: usize,
    /// Whether this is the file's top level (the only level where blank lines are imposed).
    top: bool,
}

#[derive(Debug)]
struct Printer<'a> {
    source: &'a str,
    notes: Vec<Note>,
    /// The first comment not yet printed. Comments are printed strictly in source order, each
    /// exactly once, which is what keeps them from being lost or duplicated.
    next_note: usize,
    lines: Vec<Line>,
    /// The source position just after the last thing printed, to see the author's blank lines.
    last_end: usize,
    /// The next line opens a block body: no blank line may come first.
    at_block_start: bool,
    /// The next line starts a top-level item that must be set apart by a blank line.
    force_blank: bool,
    /// Every top-level item is set apart, not only those with a body: a tree with no source
    /// has no author's grouping of one-line items to keep.
    set_apart: bool,
}

impl<'a> Printer<'a> {
    fn new(comments: &[ast::Comment], source: &'a str) -> Printer<'a> {
        let mut notes: Vec<Note> = comments
            .iter()
            .map(|comment| {
                let range = comment.span.range();
                Note {
                    start: range.start,
                    end: range.end,
                    text: comment.text.trim_end().to_string(),
                    trailing: code_before_on_line(source, range.start),
                }
            })
            .collect();
        notes.sort_by_key(|note| note.start);
        Printer {
            source,
            notes,
            next_note: 0,
            lines: Vec::new(),
            last_end: 0,
            at_block_start: false,
            force_blank: false,
            set_apart: false,
        }
    }

    fn print(&mut self, items: &'a [ast::Attr]) {
        let mut stack = vec![Frame {
            items,
            next: 0,
            indent: 0,
            close: self.source.len(),
            top: true,
        }];
        while let Some(frame) = stack.last_mut() {
            let index = frame.next;
            let Some(item) = frame.items.get(index) else {
                // The container is done: its last comments, then its closing brace.
                let indent = frame.indent;
                let (close, top) = (frame.close, frame.top);
                stack.pop();
                self.notes_before(close, indent);
                if !top {
                    let indent = indent.saturating_sub(1);
                    self.push_code(indent, "}".to_string(), false);
                    self.last_end = self.last_end.max(close + 1);
                }
                continue;
            };
            frame.next += 1;
            let (indent, top) = (frame.indent, frame.top);
            if top && index > 0 {
                let previous = frame.items.get(index - 1);
                self.force_blank = self.set_apart
                    || previous.is_some_and(|p| self.has_body(p))
                    || self.has_body(item);
            }
            let (start, _) = self.code_range(item.span());
            self.notes_before(start, indent);
            if let Some(body) = self.item(item, indent) {
                stack.push(body);
            }
        }
    }

    /// Prints one item or attribute. For a block printed with a body, returns the frame of
    /// its body (the caller walks it, then prints the closing brace).
    fn item(&mut self, item: &'a ast::Attr, indent: usize) -> Option<Frame<'a>> {
        let (start, end) = self.code_range(item.span());
        // `criteria` is a list of its own (no attributes): a criterion a line, as the
        // language reference writes it; comments inside move before it, as for a one-line
        // attribute.
        if let ast::Attr::Criteria(criteria, _) = item
            && !criteria.is_empty()
        {
            let moved = self.notes_inside(end, indent, start);
            let blank = !moved && self.want_blank(start);
            self.push_code(indent, "criteria {".to_string(), blank);
            for criterion in criteria {
                let text = format!("{} {}%", criterion.name.name, criterion.weight.text);
                self.push_code(indent + 1, text, false);
            }
            self.push_code(indent, "}".to_string(), false);
            self.last_end = self.last_end.max(end);
            return None;
        }
        let Some((block, timing)) = as_block(item) else {
            // Comments inside a one-line attribute (between `after a,` and `b` on the next
            // line) cannot stay where they were; they move to just before it.
            let moved = self.notes_inside(end, indent, start);
            let blank = !moved && self.want_blank(start);
            self.push_code(indent, attr_text(item), blank);
            self.last_end = self.last_end.max(end);
            return None;
        };

        let braces = self.braces(block, timing, start, end);
        // Comments between the keyword and `{` move before the declaration.
        let header_limit = braces.map_or(end, |(open, _)| open);
        let moved = self.notes_inside(header_limit, indent, start);
        let blank = !moved && self.want_blank(start);
        let inner_notes = braces.is_some_and(|(_, close)| self.note_before(close));
        let mut header = header_text(item.keyword(), block, timing);
        if !block.body.is_empty() || inner_notes {
            header.push_str(" {");
            self.push_code(indent, header, blank);
            self.at_block_start = true;
            let (open, close) = braces.unwrap_or((end, end));
            self.last_end = self.last_end.max(open + 1);
            return Some(Frame {
                items: &block.body,
                next: 0,
                indent: indent + 1,
                close,
                top: false,
            });
        }
        // An empty body: `project x "X"` needs no braces; a block that must have one keeps
        // `{}` (see `keeps_empty_braces`).
        if keeps_empty_braces(item) {
            header.push_str(" {}");
        }
        self.push_code(indent, header, blank);
        self.last_end = self.last_end.max(end);
        None
    }

    /// Whether `item` prints with a body on lines of its own (and so is set apart at top level).
    fn has_body(&self, item: &ast::Attr) -> bool {
        if let ast::Attr::Criteria(criteria, _) = item {
            return !criteria.is_empty();
        }
        let Some((block, timing)) = as_block(item) else {
            return false;
        };
        if !block.body.is_empty() {
            return true;
        }
        let (start, end) = self.code_range(block.span);
        self.braces(block, timing, start, end)
            .is_some_and(|(open, close)| {
                let first_after_open = self.notes.partition_point(|n| n.start <= open);
                self.notes
                    .get(first_after_open)
                    .is_some_and(|n| n.start < close)
            })
    }

    // Comments never overlap, so both their starts and their ends are sorted.
    fn note_starting_at(&self, position: usize) -> Option<&Note> {
        let index = self
            .notes
            .binary_search_by_key(&position, |n| n.start)
            .ok()?;
        self.notes.get(index)
    }

    fn note_ending_at(&self, position: usize) -> Option<&Note> {
        let index = self.notes.binary_search_by_key(&position, |n| n.end).ok()?;
        self.notes.get(index)
    }

    /// Prints the comments that start before `position` where they stand: a trailing comment
    /// stays after the code line it followed, any other on its own line at `indent`.
    fn notes_before(&mut self, position: usize, indent: usize) {
        while let Some(note) = self.take_note_before(position) {
            let attach = note.trailing
                && matches!(self.lines.last(), Some(Line::Code { comment: None, .. }));
            if attach {
                if let Some(Line::Code { comment, .. }) = self.lines.last_mut() {
                    *comment = Some(note.text);
                }
            } else {
                let blank = self.want_blank(note.start);
                self.push(
                    Line::Comment {
                        indent,
                        text: note.text,
                    },
                    blank,
                );
            }
            self.last_end = self.last_end.max(note.end);
        }
    }

    /// Prints the comments that start before `position` on lines of their own at `indent`,
    /// ahead of an item that begins at `item_start` in the source. Returns whether any were.
    fn notes_inside(&mut self, position: usize, indent: usize, item_start: usize) -> bool {
        let mut first = true;
        while let Some(note) = self.take_note_before(position) {
            let blank = first && self.want_blank(item_start);
            first = false;
            self.push(
                Line::Comment {
                    indent,
                    text: note.text,
                },
                blank,
            );
        }
        !first
    }

    fn take_note_before(&mut self, position: usize) -> Option<Note> {
        let note = self
            .notes
            .get(self.next_note)
            .filter(|n| n.start < position)?;
        let note = note.clone();
        self.next_note += 1;
        Some(note)
    }

    fn note_before(&self, position: usize) -> bool {
        self.notes
            .get(self.next_note)
            .is_some_and(|n| n.start < position)
    }

    /// Whether a blank line goes before a line whose source starts at `source_start`: never
    /// first in a file or a body; always where a top-level item must be set apart; otherwise
    /// where the author left one (or more) since the last thing printed.
    fn want_blank(&self, source_start: usize) -> bool {
        if self.lines.is_empty() || self.at_block_start {
            return false;
        }
        if self.force_blank {
            return true;
        }
        let gap = self.source.get(self.last_end..source_start).unwrap_or("");
        gap.bytes().filter(|&b| b == b'\n').count() >= 2
    }

    fn push(&mut self, line: Line, blank: bool) {
        if blank && !matches!(self.lines.last(), None | Some(Line::Blank)) {
            self.lines.push(Line::Blank);
        }
        self.lines.push(line);
        self.at_block_start = false;
        self.force_blank = false;
    }

    /// Pushes a line of code with no comment after it.
    fn push_code(&mut self, indent: usize, code: String, blank: bool) {
        let line = Line::Code {
            indent,
            code,
            comment: None,
        };
        self.push(line, blank);
    }

    /// The part of `span` from its first token to its last, without whitespace or comments
    /// the parser may have let into either end.
    fn code_range(&self, span: Span) -> (usize, usize) {
        let bytes = self.source.as_bytes();
        let range = span.range();
        let (mut start, mut end) = (range.start.min(bytes.len()), range.end.min(bytes.len()));
        loop {
            while start < end && bytes.get(start).is_some_and(u8::is_ascii_whitespace) {
                start += 1;
            }
            match self.note_starting_at(start) {
                Some(note) if note.end <= end && start < end => start = note.end,
                _ => break,
            }
        }
        loop {
            while end > start && bytes.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
                end -= 1;
            }
            match self.note_ending_at(end) {
                Some(note) if note.start >= start && start < end => end = note.start,
                _ => break,
            }
        }
        (start, end)
    }

    /// The positions of a block's `{` and `}` in the source, if it was written with braces.
    fn braces(
        &self,
        block: &ast::Block,
        timing: Option<&ast::MilestoneTiming>,
        start: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        let bytes = self.source.as_bytes();
        let mut header_end = block.keyword_span.range().end.max(start);
        for span in [
            block.id.as_ref().map(|id| id.span),
            block.title.as_ref().map(|title| title.span),
            timing.map(timing_span),
        ]
        .into_iter()
        .flatten()
        {
            header_end = header_end.max(span.range().end);
        }
        // `change portfolio`: the target is a keyword, not an id with a span of its own.
        if block.id.is_none() && self.source.get(block.keyword_span.range()) == Some("change") {
            let rest = self.source.get(header_end..end).unwrap_or("");
            let trimmed = rest.trim_start();
            if trimmed.starts_with("portfolio") {
                header_end += rest.len() - trimmed.len() + "portfolio".len();
            }
        }
        // Between the header and `{` there can only be whitespace and comments.
        let mut position = header_end;
        while position < end {
            match bytes.get(position) {
                Some(b'{') => break,
                Some(b'#') => {
                    while position < end && bytes.get(position) != Some(&b'\n') {
                        position += 1;
                    }
                }
                Some(byte) if byte.is_ascii_whitespace() => position += 1,
                _ => return None,
            }
        }
        let close = end.checked_sub(1)?;
        (position < close && bytes.get(close) == Some(&b'}')).then_some((position, close))
    }
}

/// Whether anything but whitespace stands before `position` on its line.
fn code_before_on_line(source: &str, position: usize) -> bool {
    let before = source.get(..position).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    line.chars().any(|c| !c.is_whitespace() && c != '\u{feff}')
}

fn as_block(item: &ast::Attr) -> Option<(&ast::Block, Option<&ast::MilestoneTiming>)> {
    match item {
        ast::Attr::Portfolio(block)
        | ast::Attr::Calendar(block)
        | ast::Attr::Programme(block)
        | ast::Attr::Project(block)
        | ast::Attr::Team(block) => Some((block, None)),
        ast::Attr::Milestone { block, timing } => Some((block, timing.as_ref())),
        ast::Attr::Raid { block, .. } | ast::Attr::Mitigation(block) => Some((block, None)),
        ast::Attr::Scenario(block) | ast::Attr::Change(block) => Some((block, None)),
        _ => None,
    }
}

/// Whether an empty block keeps `{}`: those whose grammar (grammar/tranche.pest) requires a
/// body (`portfolio`, `team`, `scenario`, `change`), and a calendar declaration (without them
/// `calendar council` would be a reference). The others' body is optional (`body?`), so
/// `project x "X"` is the same as `project x "X" {}`. `criteria` prints its own braces.
/// tests/fmt_files.rs formats an empty block of every kind the grammar has.
fn keeps_empty_braces(item: &ast::Attr) -> bool {
    matches!(
        item,
        ast::Attr::Portfolio(_)
            | ast::Attr::Team(_)
            | ast::Attr::Scenario(_)
            | ast::Attr::Change(_)
            | ast::Attr::Calendar(_)
    )
}

fn timing_span(timing: &ast::MilestoneTiming) -> Span {
    match timing {
        ast::MilestoneTiming::AtStart(span) | ast::MilestoneTiming::AtFinish(span) => *span,
        ast::MilestoneTiming::On(date) => date.span,
    }
}

/// `project case-system "Replace the case system"`, `milestone go-live at finish`.
fn header_text(keyword: &str, block: &ast::Block, timing: Option<&ast::MilestoneTiming>) -> String {
    let mut text = keyword.to_string();
    if let Some(id) = &block.id {
        text.push(' ');
        text.push_str(&id.name);
    } else if keyword == "change" {
        // `change portfolio`: the lowering keeps the portfolio as a change without an id.
        text.push_str(" portfolio");
    }
    if let Some(title) = &block.title {
        text.push(' ');
        text.push_str(&quote(&title.value));
    }
    match timing {
        Some(ast::MilestoneTiming::AtStart(_)) => text.push_str(" at start"),
        Some(ast::MilestoneTiming::AtFinish(_)) => text.push_str(" at finish"),
        Some(ast::MilestoneTiming::On(date)) => {
            text.push_str(" on ");
            text.push_str(&date.text);
        }
        None => {}
    }
    text
}

/// The one-line text of an attribute (for a block, its declaration line). One arm per variant,
/// so a new attribute cannot be left out; the longer texts have their own functions below.
fn attr_text(attr: &ast::Attr) -> String {
    use ast::Attr;
    match attr {
        Attr::Portfolio(block)
        | Attr::Calendar(block)
        | Attr::Programme(block)
        | Attr::Project(block)
        | Attr::Team(block) => header_text(attr.keyword(), block, None),
        Attr::Milestone { block, timing } => header_text(attr.keyword(), block, timing.as_ref()),
        Attr::Raid { block, .. }
        | Attr::Mitigation(block)
        | Attr::Scenario(block)
        | Attr::Change(block) => header_text(attr.keyword(), block, None),
        Attr::BaselineOption(_) => "baseline-option".to_string(),
        Attr::Remove(ids, _) => format!("remove {}", names(ids)),
        Attr::RemoveAll(_) => "remove *".to_string(),
        Attr::Keep(ids, _) => format!("keep {}", names(ids)),
        Attr::Criteria(criteria, _) => {
            let entries: Vec<String> = criteria
                .iter()
                .map(|c| format!("{} {}%", c.name.name, c.weight.text))
                .collect();
            if entries.is_empty() {
                // As every other empty block that keeps its braces.
                "criteria {}".to_string()
            } else {
                format!("criteria {{ {} }}", entries.join("  "))
            }
        }
        Attr::Score(entries, _) => {
            let mut text = "score".to_string();
            for (name, value) in entries {
                text.push_str(&format!(" {} {}", name.name, value.text));
            }
            text
        }
        Attr::Mandatory(_) => "mandatory".to_string(),
        Attr::Probability(percent, _) => format!("probability {}%", percent.text),
        Attr::Affects(affects) => affects_text(affects),
        Attr::RaidStatus(word, _) => format!("status {}", word.name),
        Attr::Review(date, _) => format!("review {}", date.text),
        Attr::Raised(date, _) => format!("raised {}", date.text),
        Attr::Due(date, _) => format!("due {}", date.text),
        Attr::Until(date, _) => format!("until {}", date.text),
        Attr::DecidedOn(date, _) => format!("on {}", date.text),
        Attr::DecidedBy(who, _) => format!("by {}", quote(&who.value)),
        Attr::Theme { id, title, .. } => format!("theme {} {}", id.name, quote(&title.value)),
        Attr::Include { path, .. } => format!("include {}", quote(&path.value)),
        Attr::Start(date, _) => format!("start {}", date.text),
        Attr::End(date, _) => format!("end {}", date.text),
        Attr::StatusDate(date, _) => format!("status-date {}", date.text),
        Attr::Currency(id, _) => format!("currency {}", id.name),
        Attr::DiscountRate(rate, _) => format!("discount-rate {}%", rate.text),
        Attr::FinancialYearStart(month, _) => {
            format!("financial-year-start {}", month_name(*month))
        }
        Attr::TargetSavings {
            amount, fy, accept, ..
        } => match accept {
            Some(reason) => format!(
                "target savings {} in {} accept shortfall {}",
                money(amount),
                fy.text,
                quote(&reason.value)
            ),
            None => format!("target savings {} in {}", money(amount), fy.text),
        },
        Attr::Budget {
            kind, amount, fy, ..
        } => budget_text("budget", *kind, amount, fy),
        Attr::Rag { amber, red, .. } => {
            format!("rag amber {} red {}", duration(amber), duration(red))
        }
        Attr::RagBenefits { amber, red, .. } => {
            format!("rag benefits amber {}% red {}%", amber.text, red.text)
        }
        Attr::RiskDistribution(name, _) => format!("risk distribution {}", name.name),
        Attr::Lint { name, value, .. } => lint_text(name, value),
        Attr::Allow(codes, _) => {
            let codes: Vec<&str> = codes.iter().map(|c| c.name.as_str()).collect();
            format!("allow {}", codes.join(", "))
        }
        Attr::OptimismBias(percent, _) => format!("optimism-bias capital {}%", percent.text),
        Attr::ReportMoney(name, _) => format!("report money {}", name.name),
        Attr::Confidence {
            level, commentary, ..
        } => format!("confidence {} {}", level.name, quote(&commentary.value)),
        Attr::Appraisal(length, _) => format!("appraisal {}", duration(length)),
        Attr::Spent {
            kind, amount, fy, ..
        } => budget_text("spent", *kind, amount, fy),
        Attr::Realised {
            benefit,
            amount,
            fy,
            ..
        } => match benefit {
            Some(label) => format!(
                "realised benefit {} {} in {}",
                quote(&label.value),
                money(amount),
                fy.text
            ),
            None => format!("realised saving {} in {}", money(amount), fy.text),
        },
        Attr::BasedOn(id, _) => format!("based-on {}", id.name),
        Attr::Closed {
            from, to, reason, ..
        } => closed_text(from, to.as_deref(), reason.as_deref()),
        Attr::Weekend(days, _) => weekend_text(days),
        Attr::Size { size, from, .. } => match from {
            Some(from) => format!("size {} from {}", size.text, from.text),
            None => format!("size {}", size.text),
        },
        Attr::Needs { team, fte, .. } => format!("needs {} {}", team.name, fte.text),
        Attr::Priority(n, _) => format!("priority {}", n.text),
        Attr::Duration {
            duration: likely,
            range,
            ..
        } => duration_text(likely, range.as_deref()),
        Attr::Dependency { kind, targets, .. } => dependency_text(*kind, targets),
        Attr::NotBefore(date, _) => format!("not-before {}", date.text),
        Attr::Deadline(date, _) => format!("deadline {}", date.text),
        Attr::Cost {
            kind,
            amount,
            timing,
            ..
        } => cost_text(*kind, amount, timing),
        Attr::Saving {
            amount,
            recurrence,
            range,
            meta,
            ..
        } => saving_text(amount, recurrence, range.as_deref()) + &meta_text(meta.as_deref()),
        Attr::Benefit {
            label,
            amount,
            recurrence,
            meta,
            ..
        } => format!(
            "benefit {} {}{}{}",
            quote(&label.value),
            money(amount),
            recurring(recurrence),
            meta_text(meta.as_deref())
        ),
        Attr::ActualStart(date, _) => format!("actual-start {}", date.text),
        Attr::ActualFinish(date, _) => format!("actual-finish {}", date.text),
        Attr::Complete(percent, _) => format!("complete {}%", percent.text),
        Attr::Baseline { start, finish, .. } => match finish {
            Some(finish) => format!("baseline {} to {}", start.text, finish.text),
            None => format!("baseline {}", start.text),
        },
        Attr::Owner(owner, _) => format!("owner {}", quote(&owner.value)),
        Attr::ThemeRef(id, _) => format!("theme {}", id.name),
        Attr::Tags(tags, _) => {
            let tags: Vec<&str> = tags.iter().map(|tag| tag.name.as_str()).collect();
            format!("tags [{}]", tags.join(", "))
        }
        Attr::Description(text, _) => format!("description {}", quote(&text.value)),
        Attr::CalendarRef(id, _) => format!("calendar {}", id.name),
    }
}

/// `a, b, c`: the names of `remove` and `keep`.
fn names(ids: &[ast::Ident]) -> String {
    let names: Vec<&str> = ids.iter().map(|id| id.name.as_str()).collect();
    names.join(", ")
}

/// `budget capital £2.5m in 2021/22`, and `spent` in the same words.
fn budget_text(
    keyword: &str,
    kind: ast::BudgetKind,
    amount: &ast::MoneyLit,
    fy: &ast::Literal,
) -> String {
    let kind = kind.keyword();
    format!("{keyword} {kind} {} in {}", money(amount), fy.text)
}

/// `lint high-float 44 days`, `lint non-fs-share 10%`.
fn lint_text(name: &ast::Ident, value: &ast::LintValue) -> String {
    match value {
        ast::LintValue::Duration(d) => format!("lint {} {}", name.name, duration(d)),
        ast::LintValue::Percent(p) => format!("lint {} {}%", name.name, p.text),
        ast::LintValue::Name(value) => format!("lint {} {}", name.name, value.name),
    }
}

/// `closed 2020-12-24 to 2021-01-01 "Christmas"`.
fn closed_text(
    from: &ast::Literal,
    to: Option<&ast::Literal>,
    reason: Option<&ast::Str>,
) -> String {
    let mut text = format!("closed {}", from.text);
    if let Some(to) = to {
        text.push_str(" to ");
        text.push_str(&to.text);
    }
    if let Some(reason) = reason {
        text.push(' ');
        text.push_str(&quote(&reason.value));
    }
    text
}

/// `weekend sat sun`.
fn weekend_text(days: &[ast::Weekday]) -> String {
    let mut text = "weekend".to_string();
    for day in days {
        text.push(' ');
        text.push_str(weekday_name(*day));
    }
    text
}

/// `duration 14 months range 10 to 20 months`.
fn duration_text(
    likely: &ast::DurationLit,
    range: Option<&(ast::DurationLit, ast::DurationLit)>,
) -> String {
    let mut text = format!("duration {}", duration(likely));
    if let Some((best, worst)) = range {
        text.push_str(&format!(" range {} to {}", duration(best), duration(worst)));
    }
    text
}

/// `after a, b + 2 weeks`, `finishes after start of c`.
fn dependency_text(kind: ast::DependencyKind, targets: &ast::DependencyTargets) -> String {
    let keyword = match kind {
        ast::DependencyKind::FinishToStart => "after",
        ast::DependencyKind::StartToStart => "after start of",
        ast::DependencyKind::FinishToFinish => "finishes after",
        ast::DependencyKind::StartToFinish => "finishes after start of",
    };
    let targets: Vec<String> = targets.iter().map(dependency_target).collect();
    format!("{keyword} {}", targets.join(", "))
}

/// `cost capital £1m [at WHEN | from WHEN to WHEN]`, `cost revenue £50k per year from finish`,
/// `cost one-off £20k at start`.
fn cost_text(kind: ast::CostKind, amount: &ast::MoneyLit, timing: &ast::CostTiming) -> String {
    let kind = match kind {
        ast::CostKind::Capital => "capital",
        ast::CostKind::Revenue => "revenue",
        ast::CostKind::OneOff => "one-off",
    };
    let mut text = format!("cost {kind} {}", money(amount));
    match timing {
        ast::CostTiming::Spread(range) => {
            if let Some(range) = range {
                text.push_str(&format!(
                    " range {} to {}",
                    money(&range.low),
                    money(&range.high)
                ));
            }
        }
        ast::CostTiming::Recurring(recurrence) => text.push_str(&recurring(recurrence)),
        ast::CostTiming::At(when) => {
            text.push_str(" at ");
            text.push_str(&when_text(when));
        }
        ast::CostTiming::Between(between) => {
            let (from, to) = &**between;
            text.push_str(&format!(" from {} to {}", when_text(from), when_text(to)));
        }
    }
    text
}

/// `affects case-system delay 2 months to 4 months`, `affects x saving -£50k per year`.
fn affects_text(affects: &ast::Affects) -> String {
    let signed = |value: &ast::SignedMoney| {
        format!(
            "{}{}",
            if value.negative { "-" } else { "" },
            money(&value.amount)
        )
    };
    let impact = match &affects.impact {
        ast::Impact::Delay { low, high } => match high {
            Some(high) => format!("delay {} to {}", duration(low), duration(high)),
            None => format!("delay {}", duration(low)),
        },
        ast::Impact::Cost { low, high } => match high {
            Some(high) => format!("cost capital {} to {}", money(low), money(high)),
            None => format!("cost capital {}", money(low)),
        },
        ast::Impact::Saving { low, high } => match high {
            Some(high) => format!("saving {} to {} per year", signed(low), signed(high)),
            None => format!("saving {} per year", signed(low)),
        },
    };
    format!("affects {} {impact}", reference(&affects.target))
}

/// `saving £400k per year from finish range £300k to £500k`.
fn saving_text(
    amount: &ast::MoneyLit,
    recurrence: &ast::Recurrence,
    range: Option<&ast::MoneyRange>,
) -> String {
    let mut text = format!("saving {}{}", money(amount), recurring(recurrence));
    if let Some(range) = range {
        text.push_str(&format!(
            " range {} to {}",
            money(&range.low),
            money(&range.high)
        ));
    }
    text
}

/// ` owner "…" measure "…"`: a saving's or benefit's register clauses, owner first, on the
/// same line (where the grammar reads them as the line's).
fn meta_text(meta: Option<&ast::LineMeta>) -> String {
    let mut text = String::new();
    if let Some(meta) = meta {
        if let Some(owner) = &meta.owner {
            text.push_str(" owner ");
            text.push_str(&quote(&owner.value));
        }
        if let Some(measure) = &meta.measure {
            text.push_str(" measure ");
            text.push_str(&quote(&measure.value));
        }
    }
    text
}

/// `a.b + 2 weeks`.
fn dependency_target(target: &ast::DependencyTarget) -> String {
    let mut text = reference(&target.target);
    if let Some(lag) = &target.lag {
        text.push_str(if lag.negative { " - " } else { " + " });
        text.push_str(&duration(&lag.duration));
    }
    text
}

/// ` per year from finish ramp 6 months for 3 years`; the optional clauses in one order.
fn recurring(recurrence: &ast::Recurrence) -> String {
    let mut text = format!(" per year from {}", when_text(&recurrence.from));
    if let Some(ramp) = &recurrence.ramp {
        text.push_str(" ramp ");
        text.push_str(&duration(ramp));
    }
    if let Some(period) = &recurrence.period {
        text.push_str(" for ");
        text.push_str(&duration(period));
    }
    text
}

fn when_text(when: &ast::When) -> String {
    match when {
        ast::When::Start(_) => "start".to_string(),
        ast::When::Finish(_) => "finish".to_string(),
        ast::When::Date(date) => date.text.to_string(),
        ast::When::Milestone(milestone) => reference(milestone),
    }
}

fn reference(reference: &ast::Reference) -> String {
    let parts: Vec<&str> = reference
        .parts()
        .iter()
        .map(|part| part.name.as_str())
        .collect();
    parts.join(".")
}

/// `£1.8m`: the symbol and the amount as written, nothing between.
fn money(amount: &ast::MoneyLit) -> String {
    format!("{}{}", amount.currency, amount.amount)
}

/// `2 weeks`, `3 d`: the number and unit as written, one space between. (A unit the author
/// left out, as in `range 10 to 20 months`, stays out.)
fn duration(duration: &ast::DurationLit) -> String {
    if duration.unit_text().is_empty() {
        return duration.number.to_string();
    }
    format!("{} {}", duration.number, duration.unit_text())
}

/// A string literal with `\` and `"` escaped, the only escapes the language has.
fn quote(value: &str) -> String {
    let mut text = String::with_capacity(value.len() + 2);
    text.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            text.push('\\');
        }
        text.push(c);
    }
    text.push('"');
    text
}

fn month_name(month: ast::MonthName) -> &'static str {
    use ast::MonthName::*;
    match month {
        January => "january",
        February => "february",
        March => "march",
        April => "april",
        May => "may",
        June => "june",
        July => "july",
        August => "august",
        September => "september",
        October => "october",
        November => "november",
        December => "december",
    }
}

fn weekday_name(day: ast::Weekday) -> &'static str {
    use ast::Weekday::*;
    match day {
        Mon => "mon",
        Tue => "tue",
        Wed => "wed",
        Thu => "thu",
        Fri => "fri",
        Sat => "sat",
        Sun => "sun",
    }
}

/// Joins the lines, two spaces an indentation level. Trailing comments on consecutive code
/// lines at one indentation are aligned one space after the longest code of the run, so a
/// commented block of settings reads as a table (as in the language's own example).
fn render(lines: &[Line]) -> String {
    let mut out = String::new();
    let aligned = |line: &Line| match line {
        Line::Code {
            indent,
            code,
            comment: Some(_),
        } if !code.contains('\n') => Some(*indent),
        _ => None,
    };
    for run in lines.chunk_by(|a, b| aligned(a).is_some() && aligned(a) == aligned(b)) {
        let width = run
            .iter()
            .map(|line| match line {
                Line::Code { code, .. } => code.chars().count(),
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        for line in run {
            match line {
                Line::Blank => {}
                Line::Code {
                    indent,
                    code,
                    comment,
                } => {
                    push_indent(&mut out, *indent);
                    out.push_str(code);
                    if let Some(comment) = comment {
                        let pad = if aligned(line).is_some() {
                            width - code.chars().count() + 1
                        } else {
                            1
                        };
                        out.extend(std::iter::repeat_n(' ', pad));
                        out.push_str(comment);
                    }
                }
                Line::Comment { indent, text } => {
                    push_indent(&mut out, *indent);
                    out.push_str(text);
                }
            }
            out.push('\n');
        }
    }
    out
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent * 2));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ast::{Attr, Block, Comment, DurationLit, DurationUnit, Ident, Literal, MoneyLit, Str};

    // Hand-built trees: these tests pin the printer's rules independently of the parser.

    fn span(start: usize, end: usize) -> Span {
        Span::new(FileId(0), start, end)
    }

    /// The span of the first `needle` in `source` at or after `from`.
    fn find(source: &str, needle: &str, from: usize) -> Span {
        let start = from
            + source[from..]
                .find(needle)
                .unwrap_or_else(|| panic!("test source lacks `{needle}`"));
        span(start, start + needle.len())
    }

    fn literal(text: &str) -> Literal {
        Literal {
            text: compact_str::CompactString::from(text),
            span: Span::default(),
        }
    }

    fn ident(name: &str) -> Ident {
        Ident {
            name: compact_str::CompactString::from(name),
            span: Span::default(),
        }
    }

    fn string(value: &str) -> Str {
        Str {
            value: compact_str::CompactString::from(value),
            span: Span::default(),
        }
    }

    fn reference(parts: &[&str]) -> ast::Reference {
        let [first, rest @ ..] = parts else {
            panic!("a reference has a part");
        };
        ast::Reference::new(ident(first), rest.first().map(|p| ident(p)))
    }

    /// A dependency target, with its lag (`true` for a negative one) if it has one.
    fn target(parts: &[&str], lag: Option<(bool, DurationLit)>) -> ast::DependencyTarget {
        ast::DependencyTarget {
            target: reference(parts),
            lag: lag.map(|(negative, duration)| {
                Box::new(ast::Lag {
                    negative,
                    duration,
                    span: Span::default(),
                })
            }),
        }
    }

    fn duration(number: &str, unit_text: &str, unit: DurationUnit) -> DurationLit {
        let spelling = match ast::duration_unit(unit_text) {
            Some((written, spelling)) => {
                assert_eq!(written, unit, "`{unit_text}` is not a spelling of {unit:?}");
                spelling
            }
            None => ast::UnitSpelling::Omitted,
        };
        DurationLit {
            number: number.into(),
            unit,
            spelling,
            span: Span::default(),
        }
    }

    fn money(currency: &str, amount: &str) -> MoneyLit {
        MoneyLit {
            currency: ast::CurrencySymbol::from_text(currency)
                .unwrap_or_else(|| panic!("`{currency}` is not a currency symbol")),
            amount: compact_str::CompactString::from(amount),
            span: Span::default(),
        }
    }

    fn comments(source: &str) -> Vec<Comment> {
        let mut comments = Vec::new();
        let mut offset = 0;
        for line in source.split_inclusive('\n') {
            if let Some(hash) = line.find('#') {
                let text = line[hash..].trim_end_matches(['\n', '\r']);
                comments.push(Comment {
                    text: compact_str::CompactString::from(text),
                    span: span(offset + hash, offset + hash + text.len()),
                });
            }
            offset += line.len();
        }
        comments
    }

    fn file(source: &str, items: Vec<Attr>) -> String {
        let file = ast::File {
            items,
            comments: comments(source),
            span: span(0, source.len()),
        };
        format(&file, source)
    }

    /// A project `id` declared at `from`, with a body of `body` if it has braces.
    fn project(source: &str, id: &str, from: usize, body: Vec<Attr>) -> Attr {
        let keyword = find(source, "project", from);
        let id_span = find(source, id, keyword.range().end);
        let line_end = source[id_span.range().end..]
            .find('\n')
            .map_or(source.len(), |n| n + id_span.range().end);
        let has_braces = source[id_span.range().end..line_end].contains('{');
        let end = if has_braces {
            find(source, "\n}", keyword.range().start).range().end
        } else {
            id_span.range().end
        };
        Attr::Project(Box::new(Block {
            id: Some(Ident {
                name: compact_str::CompactString::from(id),
                span: id_span,
            }),
            title: None,
            body,
            keyword_span: keyword,
            span: span(keyword.range().start, end),
        }))
    }

    #[test]
    fn dependencies_print_targets_and_lags_with_canonical_spacing() {
        let after = Attr::Dependency {
            kind: ast::DependencyKind::StartToStart,
            targets: vec![
                target(
                    &["case-system", "go-live"],
                    Some((false, duration("2", "weeks", DurationUnit::Weeks))),
                ),
                target(&["b"], Some((true, duration("3", "d", DurationUnit::Days)))),
                target(&["c"], None),
            ]
            .into(),
            span: Span::default(),
        };
        assert_eq!(
            attr_text(&after),
            "after start of case-system.go-live + 2 weeks, b - 3 d, c"
        );
    }

    #[test]
    fn saving_prints_its_clauses_in_canonical_order() {
        let saving = Attr::Saving {
            amount: money("£", "400k"),
            recurrence: Box::new(ast::Recurrence {
                from: ast::When::Finish(Span::default()),
                ramp: Some(duration("6", "months", DurationUnit::Months)),
                period: Some(duration("3", "y", DurationUnit::Years)),
                span: Span::default(),
            }),
            range: Some(Box::new(ast::MoneyRange {
                low: money("£", "300k"),
                high: money("£", "1,500.50"),
                span: Span::default(),
            })),
            // Written measure first: printed owner first.
            meta: Some(Box::new(ast::LineMeta {
                owner: Some(string("Group Manager")),
                measure: Some(string("agency spend")),
            })),
            span: Span::default(),
        };
        assert_eq!(
            attr_text(&saving),
            r#"saving £400k per year from finish ramp 6 months for 3 y range £300k to £1,500.50 owner "Group Manager" measure "agency spend""#
        );
    }

    #[test]
    fn one_off_cost_prints_its_time() {
        let cost = Attr::Cost {
            kind: ast::CostKind::OneOff,
            amount: money("$", "20k"),
            timing: ast::CostTiming::At(Box::new(ast::When::Milestone(reference(&["go-live"])))),
            span: Span::default(),
        };
        assert_eq!(attr_text(&cost), "cost one-off $20k at go-live");
    }

    #[test]
    fn capital_cost_prints_its_range_and_impacts_their_signs() {
        let cost = Attr::Cost {
            kind: ast::CostKind::Capital,
            amount: money("£", "1.8m"),
            timing: ast::CostTiming::Spread(Some(Box::new(ast::MoneyRange {
                low: money("£", "1.5m"),
                high: money("£", "2.6m"),
                span: Span::default(),
            }))),
            span: Span::default(),
        };
        assert_eq!(attr_text(&cost), "cost capital £1.8m range £1.5m to £2.6m");
        let signed = |negative, amount| ast::SignedMoney {
            negative,
            amount: money("£", amount),
            span: Span::default(),
        };
        let affects = |impact| {
            Attr::Affects(Box::new(ast::Affects {
                target: reference(&["case-system"]),
                impact,
                span: Span::default(),
            }))
        };
        let saving = affects(ast::Impact::Saving {
            low: signed(true, "50k"),
            high: Some(signed(false, "10k")),
        });
        assert_eq!(
            attr_text(&saving),
            "affects case-system saving -£50k to £10k per year"
        );
        let delay = affects(ast::Impact::Delay {
            low: duration("2", "months", DurationUnit::Months),
            high: None,
        });
        assert_eq!(attr_text(&delay), "affects case-system delay 2 months");
    }

    #[test]
    fn closed_days_quote_and_escape_their_reason() {
        let closed = Attr::Closed {
            from: literal("2020-12-24"),
            to: Some(Box::new(literal("2021-01-01"))),
            reason: Some(Box::new(string(r#"the "long" break \ closure"#))),
            span: Span::default(),
        };
        assert_eq!(
            attr_text(&closed),
            r#"closed 2020-12-24 to 2021-01-01 "the \"long\" break \\ closure""#
        );
    }

    #[test]
    fn duration_prints_its_range_as_written() {
        let range = Attr::Duration {
            duration: duration("14", "months", DurationUnit::Months),
            range: Some(Box::new((
                duration("10", "mo", DurationUnit::Months),
                duration("1.5", "years", DurationUnit::Years),
            ))),
            span: Span::default(),
        };
        assert_eq!(
            attr_text(&range),
            "duration 14 months range 10 mo to 1.5 years"
        );
    }

    #[test]
    fn lists_print_with_their_separators() {
        let tags = Attr::Tags(vec![ident("a"), ident("b-2")], Span::default());
        assert_eq!(attr_text(&tags), "tags [a, b-2]");
        let empty_tags = Attr::Tags(Vec::new(), Span::default());
        assert_eq!(attr_text(&empty_tags), "tags []");

        let weekend = Attr::Weekend(vec![ast::Weekday::Fri, ast::Weekday::Sat], Span::default());
        assert_eq!(attr_text(&weekend), "weekend fri sat");
    }

    #[test]
    fn settings_and_progress_print_months_and_percentages() {
        let year = Attr::FinancialYearStart(ast::MonthName::April, Span::default());
        assert_eq!(attr_text(&year), "financial-year-start april");
        let rate = Attr::DiscountRate(literal("3.5"), Span::default());
        assert_eq!(attr_text(&rate), "discount-rate 3.5%");
        let complete = Attr::Complete(literal("35"), Span::default());
        assert_eq!(attr_text(&complete), "complete 35%");
    }

    #[test]
    fn budget_prints_kind_amount_and_year() {
        let budget = Attr::Budget {
            kind: ast::BudgetKind::Capital,
            amount: Box::new(money("£", "2.5m")),
            fy: literal("2021/22"),
            span: Span::default(),
        };
        assert_eq!(attr_text(&budget), "budget capital £2.5m in 2021/22");
    }

    #[test]
    fn benefit_quotes_its_label() {
        let benefit = Attr::Benefit {
            label: Box::new(string("Time released")),
            amount: money("€", "250k"),
            recurrence: Box::new(ast::Recurrence {
                from: ast::When::Date(literal("2022-04-01")),
                ramp: None,
                period: None,
                span: Span::default(),
            }),
            meta: Some(Box::new(ast::LineMeta {
                owner: None,
                measure: Some(string("hours a week")),
            })),
            span: Span::default(),
        };
        assert_eq!(
            attr_text(&benefit),
            r#"benefit "Time released" €250k per year from 2022-04-01 measure "hours a week""#
        );
    }

    #[test]
    fn milestone_header_prints_its_timing() {
        let milestone = Attr::Milestone {
            block: Box::new(Block {
                id: Some(ident("ofsted")),
                title: Some(string("Ofsted inspection")),
                body: Vec::new(),
                keyword_span: Span::default(),
                span: Span::default(),
            }),
            timing: Some(ast::MilestoneTiming::On(literal("2021-10-04"))),
        };
        assert_eq!(
            attr_text(&milestone),
            r#"milestone ofsted "Ofsted inspection" on 2021-10-04"#
        );
    }

    #[test]
    fn comments_stay_where_they_were_written() {
        let source = "# plan\n\
                      project a {   # trailing header\n\
                      \x20     duration 2w     # why\n\
                      \x20 after b,   # first\n\
                      \x20  c\n\
                      \x20 # end of body\n\
                      }  # after close\n\
                      \n\
                      \n\
                      project t\n\
                      project u\n\
                      # at end\n";
        let duration_span = find(source, "duration 2w", 0);
        let after_span = find(source, "after b", 0).to(find(source, "  c\n", 0));
        let body = vec![
            Attr::Duration {
                duration: duration("2", "w", DurationUnit::Weeks),
                range: None,
                span: duration_span,
            },
            Attr::Dependency {
                kind: ast::DependencyKind::FinishToStart,
                targets: vec![target(&["b"], None), target(&["c"], None)].into(),
                span: span(after_span.range().start, after_span.range().end - 1),
            },
        ];
        let items = vec![
            project(source, "a", 0, body),
            project(
                source,
                "t",
                find(source, "project t", 0).range().start,
                Vec::new(),
            ),
            project(
                source,
                "u",
                find(source, "project u", 0).range().start,
                Vec::new(),
            ),
        ];
        assert_eq!(
            file(source, items),
            "# plan\n\
             project a { # trailing header\n\
             \x20 duration 2 w # why\n\
             \x20 # first\n\
             \x20 after b, c\n\
             \x20 # end of body\n\
             } # after close\n\
             \n\
             project t\n\
             project u\n\
             # at end\n"
        );
    }

    #[test]
    fn top_level_blocks_are_set_apart_and_one_liners_keep_their_grouping() {
        let source =
            "project t\n# about p\nproject p {\nduration 1 d\n}\nproject q\n\n\n\nproject r\n";
        let body = vec![Attr::Duration {
            duration: duration("1", "d", DurationUnit::Days),
            range: None,
            span: find(source, "duration 1 d", 0),
        }];
        let at = |needle| find(source, needle, 0).range().start;
        let items = vec![
            project(source, "t", 0, Vec::new()),
            project(source, "p", at("project p"), body),
            project(source, "q", at("project q"), Vec::new()),
            project(source, "r", at("project r"), Vec::new()),
        ];
        assert_eq!(
            file(source, items),
            "project t\n\n# about p\nproject p {\n  duration 1 d\n}\n\nproject q\n\nproject r\n"
        );
    }

    #[test]
    fn empty_bodies_lose_their_braces_unless_they_hold_comments() {
        let source = "project x {}\nproject y {\n  # to do\n}\n";
        let at = |needle| find(source, needle, 0).range().start;
        let x = project(source, "x", 0, Vec::new());
        let Attr::Project(mut x_block) = x else {
            unreachable!("project() builds a project")
        };
        x_block.span = span(0, at("}") + 1);
        let items = vec![
            Attr::Project(x_block),
            project(source, "y", at("project y"), Vec::new()),
        ];
        assert_eq!(
            file(source, items),
            "project x\n\nproject y {\n  # to do\n}\n"
        );
    }

    #[test]
    fn a_built_tree_opens_with_its_comments_and_sets_every_item_apart() {
        // `tranche import` builds its plan as a tree placed nowhere and prints it here.
        let unplaced = |id: &str, title: &str, body| {
            Box::new(Block::unplaced(
                Some(Ident::unplaced(id)),
                Some(Str::unplaced(title)),
                body,
            ))
        };
        let portfolio = Attr::Portfolio(Box::new(Block::unplaced(
            None,
            Some(Str::unplaced("A \"quoted\" \\ plan")),
            vec![Attr::Start(Literal::unplaced("2024-04-01"), ast::NOWHERE)],
        )));
        let milestone = Attr::Milestone {
            block: unplaced("m", "M", Vec::new()),
            timing: Some(ast::MilestoneTiming::On(Literal::unplaced("2024-05-01"))),
        };
        let duration = Attr::Duration {
            duration: DurationLit::working_days(40),
            range: None,
            span: ast::NOWHERE,
        };
        let items = vec![
            portfolio,
            Attr::Programme(unplaced("empty", "Empty", Vec::new())),
            milestone,
            Attr::Programme(unplaced(
                "p",
                "P",
                vec![Attr::Project(unplaced("a", "A", vec![duration]))],
            )),
        ];
        let comments = vec![Comment {
            text: "# Built, not written  ".into(),
            span: ast::NOWHERE,
        }];
        let tree = ast::File {
            items,
            comments,
            span: ast::NOWHERE,
        };
        let text = format_tree(&tree);
        assert_eq!(
            text,
            "# Built, not written\n\
             portfolio \"A \\\"quoted\\\" \\\\ plan\" {\n  start 2024-04-01\n}\n\n\
             programme empty \"Empty\"\n\n\
             milestone m \"M\" on 2024-05-01\n\n\
             programme p \"P\" {\n  project a \"A\" {\n    duration 2 months\n  }\n}\n"
        );
        // Already in the canonical layout.
        assert_eq!(format_source(FileId(0), &text), Ok(text.clone()));
    }

    #[test]
    fn trailing_comments_of_consecutive_lines_align() {
        let lines = vec![
            Line::Code {
                indent: 1,
                code: "start 2020-04-01".to_string(),
                comment: Some("# a".to_string()),
            },
            Line::Code {
                indent: 1,
                code: "calendar england-and-wales".to_string(),
                comment: Some("# b".to_string()),
            },
            Line::Code {
                indent: 1,
                code: "currency GBP".to_string(),
                comment: None,
            },
            Line::Code {
                indent: 1,
                code: "complete 35%".to_string(),
                comment: Some("# c".to_string()),
            },
        ];
        assert_eq!(
            render(&lines),
            "  start 2020-04-01           # a\n  \
             calendar england-and-wales # b\n  \
             currency GBP\n  \
             complete 35% # c\n"
        );
    }

    #[test]
    fn deep_nesting_is_walked_without_recursion() {
        // The parser stops at 64 levels (E005); the printer must not be the weaker link.
        let mut item = Attr::Programme(Box::new(Block {
            id: Some(ident("p")),
            title: None,
            body: Vec::new(),
            keyword_span: Span::default(),
            span: Span::default(),
        }));
        for _ in 1..1000 {
            item = Attr::Programme(Box::new(Block {
                id: Some(ident("p")),
                title: None,
                body: vec![item],
                keyword_span: Span::default(),
                span: Span::default(),
            }));
        }
        let out = file("", vec![item]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1999);
        assert_eq!(lines.first(), Some(&"programme p {"));
        assert_eq!(lines.get(999).map(|l| l.trim_start()), Some("programme p"));
        assert_eq!(
            lines.get(999).map(|l| l.len()),
            Some(999 * 2 + "programme p".len())
        );
        assert_eq!(lines.last(), Some(&"}"));
    }

    #[test]
    fn a_comment_after_code_is_trailing_even_after_a_byte_order_mark() {
        assert!(code_before_on_line("a\nduration 2w # x", 14));
        assert!(!code_before_on_line("a\n   # x", 5));
        assert!(!code_before_on_line("\u{feff}# x", 3));
    }
}
