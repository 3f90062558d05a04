//! The fast path: a hand-written, optimistic parser for well-formed top-level items.
//!
//! Input: a file's text (already checked by `scan::check_depth`) and the offset of a top-level
//! item. Output: `Some((item, end))`, the item exactly as `lower` would build it from pest's
//! tree (same `Attr`, same spans, same literal texts) and the end of its last token; or `None`
//! when the item is anything it is not sure of, and then pest parses it as before.
//!
//! Invariant: it never accepts text pest rejects and never builds a different tree. It follows
//! the grammar (grammar/tranche.pest, still the language's definition) rule by rule for the
//! constructs it covers: the same tokens (keywords end at a word boundary; names, dates, money
//! and durations are the grammar's atomic rules), the same whitespace and comment skipping
//! between tokens, and PEG's ordered choice. Wherever pest would recover, report, backtrack in
//! a way not modelled here, or lower with a diagnostic (an escape in a string, a clause given
//! twice, a missing `}`), it declines the whole top-level item, so every diagnostic stays pest's.
//! A span here is the first token's start to the last token's end, which is what `Lower::span`
//! makes of pest's spans by trimming trailing whitespace and comments. Recursion follows the
//! `{ … }` nesting, which the depth scan bounds; `MAX_DEPTH` is checked again here.

use compact_str::CompactString;

use crate::diagnostic::{FileId, Span};
use crate::syntax::ast::{
    Affects, Attr, Block, BudgetKind, CostKind, CostTiming, Criterion, CurrencySymbol,
    DependencyKind, DependencyTarget, DependencyTargets, DurationLit, Ident, Impact, Lag, LineMeta,
    LintValue, Literal, MilestoneTiming, MoneyLit, MoneyRange, MonthName, RaidKind, Recurrence,
    Reference, SignedMoney, Str, UnitSpelling, Weekday, When, duration_unit,
};
use crate::syntax::scan::MAX_DEPTH;

/// A parser over one file, reused for each of its top-level items.
pub(crate) struct Parser<'t> {
    file: FileId,
    text: &'t str,
    bytes: &'t [u8],
    /// The next byte to read.
    pos: usize,
    /// The end of the last token read: where the span of the rule being read ends so far.
    last: usize,
    /// Open `{` around the current position.
    depth: usize,
    /// The attributes of the bodies being read, innermost last. A finished body moves its own
    /// into a Vec of exactly their number, so no body keeps a doubling Vec's spare room.
    stack: Vec<Attr>,
}

impl std::fmt::Debug for Parser<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parser").field("pos", &self.pos).finish()
    }
}

/// Whether the items of a list may (`allow`, `weekend`) or must (`keep`, `remove`) be
/// separated by commas.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comma {
    Optional,
    Required,
}

/// A letter, digit, `-` or `_`: the grammar's `ident_char`, which may not follow a keyword.
fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

impl<'t> Parser<'t> {
    pub(crate) fn new(file: FileId, text: &'t str) -> Parser<'t> {
        Parser {
            file,
            text,
            bytes: text.as_bytes(),
            pos: 0,
            last: 0,
            depth: 0,
            stack: Vec::new(),
        }
    }

    /// The top-level item starting at `pos` (a keyword, after trivia), and the end of its last
    /// token; `None` to leave it to pest.
    pub(crate) fn item(&mut self, pos: usize) -> Option<(Attr, usize)> {
        self.pos = pos;
        self.last = pos;
        self.depth = 0;
        self.stack.clear();
        let attr = self.attr()?;
        Some((attr, self.last))
    }

    // -----------------------------------------------------------------------------------------
    // Tokens. Each starts at `pos` after skipping trivia, and on success leaves `pos` and
    // `last` after the token.

    /// Skips whitespace and comments, as pest does between the tokens of a non-atomic rule.
    fn skip(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'#' => {
                    while self
                        .bytes
                        .get(self.pos)
                        .is_some_and(|&c| c != b'\n' && c != b'\r')
                    {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// The next byte after trivia.
    fn peek(&mut self) -> Option<u8> {
        self.skip();
        self.bytes.get(self.pos).copied()
    }

    fn byte_at(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn digit_at(&self, at: usize) -> bool {
        self.byte_at(at).is_some_and(|b| b.is_ascii_digit())
    }

    /// The word (a run of `ident_char`) after trivia, without consuming it.
    fn word(&mut self) -> &'t str {
        self.skip();
        let start = self.pos;
        let mut end = start;
        while self.byte_at(end).is_some_and(is_ident_char) {
            end += 1;
        }
        self.text.get(start..end).unwrap_or_default()
    }

    /// Consumes `n` bytes from `pos` as a token and returns its span.
    fn take(&mut self, n: usize) -> Span {
        let start = self.pos;
        self.pos += n;
        self.last = self.pos;
        Span::new(self.file, start, self.pos)
    }

    /// A keyword: the word after trivia is exactly `keyword`.
    fn keyword(&mut self, keyword: &str) -> Option<Span> {
        (self.word() == keyword).then(|| self.take(keyword.len()))
    }

    fn punct(&mut self, c: u8) -> Option<Span> {
        (self.peek() == Some(c)).then(|| self.take(1))
    }

    /// `ident`: a lower-case letter, then lower-case letters, digits and `-`, not followed by
    /// an upper-case letter or `_`.
    fn ident(&mut self) -> Option<Ident> {
        let (start, end) = self.run(
            |b| b.is_ascii_lowercase(),
            |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-',
        )?;
        if self
            .byte_at(end)
            .is_some_and(|b| b.is_ascii_uppercase() || b == b'_')
        {
            return None;
        }
        self.ident_to(start, end)
    }

    /// After trivia, a byte `first` accepts and then every byte `rest` does: where that run
    /// starts and ends, not yet taken (`ident`, `currency_code`).
    fn run(
        &mut self,
        first: impl Fn(u8) -> bool,
        rest: impl Fn(u8) -> bool,
    ) -> Option<(usize, usize)> {
        self.skip();
        let start = self.pos;
        if !self.byte_at(start).is_some_and(first) {
            return None;
        }
        let mut end = start + 1;
        while self.byte_at(end).is_some_and(&rest) {
            end += 1;
        }
        Some((start, end))
    }

    /// Takes the text from `start` (the position after trivia) to `end` as a name.
    fn ident_to(&mut self, start: usize, end: usize) -> Option<Ident> {
        let name = CompactString::from(self.text.get(start..end)?);
        Some(Ident {
            name,
            span: self.take(end - start),
        })
    }

    /// `reference`: `ident` or `ident.ident`, with nothing between the parts.
    fn reference(&mut self) -> Option<Reference> {
        let first = self.ident()?;
        if self.byte_at(self.pos) != Some(b'.') {
            return Some(Reference::new(first, None));
        }
        // `a.` followed by anything but a name: pest would end the reference before the dot
        // and then recover at it. Not modelled.
        self.pos += 1;
        let byte = self.byte_at(self.pos)?;
        if !byte.is_ascii_lowercase() {
            return None;
        }
        let second = self.ident()?;
        Some(Reference::new(first, Some(second)))
    }

    /// `string`: one line between quotes. A string with an escape is left to pest, whose
    /// lowering resolves escapes and reports unknown ones.
    fn string(&mut self) -> Option<Str> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos;
        let mut end = start + 1;
        loop {
            match self.byte_at(end)? {
                b'"' => break,
                b'\\' | b'\n' | b'\r' => return None,
                // Control characters are pest's to report (`Lowering::string`): C0 but tab,
                // DEL, and C1 (U+0080 to U+009F, `C2 80` to `C2 9F` in UTF-8).
                b if (b < 0x20 && b != b'\t') || b == 0x7f => return None,
                0xc2 if self
                    .byte_at(end + 1)
                    .is_some_and(|b| (0x80..=0x9f).contains(&b)) =>
                {
                    return None;
                }
                _ => end += 1,
            }
        }
        let value = CompactString::from(self.text.get(start + 1..end)?);
        Some(Str {
            value,
            span: self.take(end + 1 - start),
        })
    }

    /// A literal of `len` bytes from `pos`, consumed.
    fn literal(&mut self, len: usize) -> Option<Literal> {
        let text = CompactString::from(self.text.get(self.pos..self.pos + len)?);
        Some(Literal {
            text,
            span: self.take(len),
        })
    }

    /// `date`: `YYYY-MM-DD`, not followed by a digit or `-`.
    fn date(&mut self) -> Option<Literal> {
        self.skip();
        let p = self.pos;
        let shape_ok = (0..10).all(|i| match i {
            4 | 7 => self.byte_at(p + i) == Some(b'-'),
            _ => self.digit_at(p + i),
        });
        if !shape_ok
            || self
                .byte_at(p + 10)
                .is_some_and(|b| b.is_ascii_digit() || b == b'-')
        {
            return None;
        }
        self.literal(10)
    }

    /// `financial_year`: `YYYY/YY`, not followed by a digit.
    fn financial_year(&mut self) -> Option<Literal> {
        self.skip();
        let p = self.pos;
        let shape_ok = (0..7).all(|i| match i {
            4 => self.byte_at(p + i) == Some(b'/'),
            _ => self.digit_at(p + i),
        });
        if !shape_ok || self.digit_at(p + 7) {
            return None;
        }
        self.literal(7)
    }

    /// The end of a `number` starting at `at`: digits, then `.` and digits if there are some.
    fn number_end(&self, at: usize) -> Option<usize> {
        if !self.digit_at(at) {
            return None;
        }
        let mut end = at;
        while self.digit_at(end) {
            end += 1;
        }
        if self.byte_at(end) == Some(b'.') && self.digit_at(end + 1) {
            end += 1;
            while self.digit_at(end) {
                end += 1;
            }
        }
        Some(end)
    }

    /// A bare `number` (the low end of `range 10 to 20 months`).
    fn number(&mut self) -> Option<Literal> {
        self.skip();
        let end = self.number_end(self.pos)?;
        self.literal(end - self.pos)
    }

    /// `duration_lit`: a number, spaces or tabs, and a unit word. On failure `pos` is where it
    /// was, after trivia, so the caller may try another alternative.
    fn duration_lit(&mut self) -> Option<DurationLit> {
        self.skip();
        let start = self.pos;
        let number_end = self.number_end(start)?;
        let mut unit_start = number_end;
        while matches!(self.byte_at(unit_start), Some(b' ' | b'\t')) {
            unit_start += 1;
        }
        let mut unit_end = unit_start;
        while self.byte_at(unit_end).is_some_and(is_ident_char) {
            unit_end += 1;
        }
        let unit_text = self.text.get(unit_start..unit_end)?;
        let (unit, spelling) = duration_unit(unit_text)?;
        let number = CompactString::from(self.text.get(start..number_end)?);
        self.pos = unit_end;
        self.last = unit_end;
        Some(DurationLit {
            number,
            unit,
            spelling,
            span: Span::new(self.file, start, unit_end),
        })
    }

    /// `percent`: a number and `%` with nothing between; the literal is the number, the span
    /// covers the `%`.
    fn percent(&mut self) -> Option<Literal> {
        self.skip();
        let start = self.pos;
        let end = self.number_end(start)?;
        if self.byte_at(end) != Some(b'%') {
            return None;
        }
        let text = CompactString::from(self.text.get(start..end)?);
        Some(Literal {
            text,
            span: self.take(end + 1 - start),
        })
    }

    /// `money`: `£`, `$` or `€` and an `amount`.
    fn money(&mut self) -> Option<MoneyLit> {
        self.skip();
        let start = self.pos;
        let rest = self.bytes.get(start..)?;
        let symbol_len = if rest.starts_with("£".as_bytes()) {
            "£".len()
        } else if rest.starts_with(b"$") {
            1
        } else if rest.starts_with("€".as_bytes()) {
            "€".len()
        } else {
            return None;
        };
        let amount_start = start + symbol_len;
        // `amount`: digits with single commas between them, decimals, a multiplier, and then
        // no letter, digit or `_`.
        if !self.digit_at(amount_start) {
            return None;
        }
        let mut end = amount_start + 1;
        loop {
            if self.digit_at(end) {
                end += 1;
            } else if self.byte_at(end) == Some(b',') && self.digit_at(end + 1) {
                end += 2;
            } else {
                break;
            }
        }
        if self.byte_at(end) == Some(b'.') && self.digit_at(end + 1) {
            end += 1;
            while self.digit_at(end) {
                end += 1;
            }
        }
        if self.bytes.get(end..).is_some_and(|r| r.starts_with(b"bn")) {
            end += 2;
        } else if matches!(self.byte_at(end), Some(b'k' | b'm')) {
            end += 1;
        }
        if self
            .byte_at(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        let currency = CurrencySymbol::from_text(self.text.get(start..amount_start)?)?;
        let amount = CompactString::from(self.text.get(amount_start..end)?);
        Some(MoneyLit {
            currency,
            amount,
            span: self.take(end - start),
        })
    }

    /// A word from a list (`month_name`, `weekday`), read by `read`.
    fn word_of<T>(&mut self, read: impl Fn(&str) -> Option<T>) -> Option<T> {
        let word = self.word();
        let value = read(word)?;
        self.take(word.len());
        Some(value)
    }

    /// `lint_code`: a letter and digits, as a whole word (`W107`).
    fn lint_code(&mut self) -> Option<Ident> {
        let word = self.word();
        let mut bytes = word.bytes();
        let letter = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
        if !letter || word.len() < 2 || !bytes.all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Ident {
            name: CompactString::from(word),
            span: self.take(word.len()),
        })
    }

    /// `currency_code`: a letter, then letters and digits (no word boundary in the grammar).
    fn currency_code(&mut self) -> Option<Ident> {
        let (start, end) = self.run(|b| b.is_ascii_alphabetic(), |b| b.is_ascii_alphanumeric())?;
        self.ident_to(start, end)
    }

    // -----------------------------------------------------------------------------------------
    // Rules.

    /// The span from `start` to the end of the last token read.
    fn span_from(&self, start: usize) -> Span {
        Span::new(self.file, start, self.last)
    }

    /// `attr`: the first word picks the alternative (keywords end at a word boundary, so at
    /// most one can match), and a failure after it is pest's recovery, so `None`. The word is
    /// matched once, most frequent keywords first (the grammar's order), straight to the
    /// keyword's reader: dispatching by family first, as `Lower::attr` does with pest's rules,
    /// would compare the word twice on the hot path. The readers follow `Lower`'s families; an
    /// attribute that is its keyword and one value is read by `value_attr` here, the value's
    /// reader and the variant named in its arm.
    fn attr(&mut self) -> Option<Attr> {
        let word = self.word();
        let start = self.pos;
        match word {
            "duration" => self.duration(start),
            "after" | "finishes" => self.dependency(start),
            "cost" => self.cost(start),
            "saving" => self.saving(start),
            "owner" => self.value_attr(word, start, Parser::string, Attr::Owner),
            "description" => self.value_attr(word, start, Parser::string, Attr::Description),
            "theme" => self.theme(start),
            "milestone" | "project" | "programme" | "portfolio" | "calendar" | "team" => {
                self.block(word, start)
            }
            "needs" => self.needs(start),
            "priority" => self.value_attr(word, start, Parser::number, Attr::Priority),
            "size" => self.size(start),
            // `complete 40%`.
            "complete" => self.value_attr(word, start, Parser::percent, Attr::Complete),
            "actual-start" => self.value_attr(word, start, Parser::date, Attr::ActualStart),
            "actual-finish" => self.value_attr(word, start, Parser::date, Attr::ActualFinish),
            "not-before" => self.value_attr(word, start, Parser::date, Attr::NotBefore),
            "deadline" => self.value_attr(word, start, Parser::date, Attr::Deadline),
            "start" => self.value_attr(word, start, Parser::date, Attr::Start),
            "end" => self.value_attr(word, start, Parser::date, Attr::End),
            "status-date" => self.value_attr(word, start, Parser::date, Attr::StatusDate),
            "baseline" => self.baseline(start),
            "benefit" => self.benefit(start),
            "tags" => self.tags(start),
            // `include "path"`.
            "include" => self.value_attr(word, start, Parser::string, |path, span| Attr::Include {
                path,
                span,
            }),
            "closed" => self.closed(start),
            // `weekend sat sun` (commas allowed).
            "weekend" => self.value_attr(
                word,
                start,
                |p| p.list(Comma::Optional, |p| p.word_of(Weekday::from_word)),
                Attr::Weekend,
            ),
            // `based-on england-and-wales`.
            "based-on" => self.value_attr(word, start, Parser::ident, Attr::BasedOn),
            // `currency GBP`.
            "currency" => self.value_attr(word, start, Parser::currency_code, Attr::Currency),
            // `discount-rate 3.5%`.
            "discount-rate" => self.value_attr(word, start, Parser::percent, Attr::DiscountRate),
            // `financial-year-start april`.
            "financial-year-start" => self.value_attr(
                word,
                start,
                |p| p.word_of(MonthName::from_word),
                Attr::FinancialYearStart,
            ),
            "target" => self.target(start),
            "budget" | "spent" => self.budget_or_spent(word, start),
            "rag" => self.rag(start),
            "risk" => self.risk(start),
            "issue" | "assumption" | "decision" => self.raid_item(word, start),
            "probability" => self.value_attr(word, start, Parser::percent, Attr::Probability),
            "affects" => self.affects(start),
            "mitigation" => self.mitigation(start),
            "status" => self.value_attr(word, start, Parser::ident, Attr::RaidStatus),
            "review" => self.value_attr(word, start, Parser::date, Attr::Review),
            "raised" => self.value_attr(word, start, Parser::date, Attr::Raised),
            "due" => self.value_attr(word, start, Parser::date, Attr::Due),
            "until" => self.value_attr(word, start, Parser::date, Attr::Until),
            "on" => self.value_attr(word, start, Parser::date, Attr::DecidedOn),
            "by" => self.value_attr(word, start, Parser::string, Attr::DecidedBy),
            "lint" => self.lint(start),
            // `allow W107, W102`.
            "allow" => self.value_attr(
                word,
                start,
                |p| p.list(Comma::Optional, Parser::lint_code),
                Attr::Allow,
            ),
            // `optimism-bias capital 24%`.
            "optimism-bias" => self.value_attr(
                word,
                start,
                |p| p.keyword("capital").and_then(|_| p.percent()),
                Attr::OptimismBias,
            ),
            "confidence" => self.confidence(start),
            // `report money NAME`.
            "report" => self.value_attr(
                word,
                start,
                |p| p.keyword("money").and_then(|_| p.ident()),
                Attr::ReportMoney,
            ),
            // `appraisal 10 years`.
            "appraisal" => self.value_attr(word, start, Parser::duration_lit, Attr::Appraisal),
            "realised" => self.realised(start),
            "scenario" => self.block(word, start),
            "change" => self.change(start),
            "baseline-option" => {
                self.take(word.len());
                Some(Attr::BaselineOption(self.span_from(start)))
            }
            "remove" => self.remove(start),
            "keep" => self.value_attr(
                word,
                start,
                |p| p.list(Comma::Required, Parser::ident),
                Attr::Keep,
            ),
            "criteria" => self.criteria(start),
            "score" => self.score(start),
            "mandatory" => {
                self.take(word.len());
                Some(Attr::Mandatory(self.span_from(start)))
            }
            _ => None,
        }
    }

    // Declarations (blocks are read by `block`, below).

    /// `theme id "Title"` declares a theme; `theme id` says a project serves it.
    fn theme(&mut self, start: usize) -> Option<Attr> {
        self.take("theme".len());
        let id = self.ident()?;
        if self.peek() == Some(b'"') {
            let title = Box::new(self.string()?);
            let span = self.span_from(start);
            Some(Attr::Theme { id, title, span })
        } else {
            Some(Attr::ThemeRef(id, self.span_from(start)))
        }
    }

    // Plan settings (those of one value, the dates among them, are read by `value_attr`).

    /// `target savings £1.2m in 2022/23`.
    fn target(&mut self, start: usize) -> Option<Attr> {
        self.take("target".len());
        self.keyword("savings")?;
        let (amount, fy) = self.amount_in_year()?;
        // `accept_shortfall?`: once `accept` is read the clause must parse, or pest would undo
        // it and recover at a bad line: declined.
        let accept = self.clause("accept", |p| {
            p.keyword("shortfall").and_then(|_| p.string())
        })?;
        Some(Attr::TargetSavings {
            amount,
            fy,
            accept: accept.map(Box::new),
            span: self.span_from(start),
        })
    }

    /// `budget capital|revenue £2.5m in 2021/22` and `spent capital|revenue £X in 2021/22`
    /// (`spent = { kw_spent ~ (kw_capital | kw_revenue) ~ money ~ kw_in ~ financial_year }`):
    /// the same clauses after the keyword, a plan's budget or a project's actual.
    fn budget_or_spent(&mut self, keyword: &str, start: usize) -> Option<Attr> {
        self.take(keyword.len());
        let kind = match self.word() {
            "capital" => BudgetKind::Capital,
            "revenue" => BudgetKind::Revenue,
            _ => return None,
        };
        // Both kinds are seven letters.
        self.take(7);
        let (amount, fy) = self.amount_in_year()?;
        let span = self.span_from(start);
        Some(if keyword == "budget" {
            Attr::Budget {
                kind,
                amount,
                fy,
                span,
            }
        } else {
            Attr::Spent {
                kind,
                amount,
                fy,
                span,
            }
        })
    }

    /// `money ~ kw_in ~ financial_year`: an amount and the year it is in.
    fn amount_in_year(&mut self) -> Option<(Box<MoneyLit>, Literal)> {
        let amount = Box::new(self.money()?);
        self.keyword("in")?;
        Some((amount, self.financial_year()?))
    }

    // Analysis settings.

    /// `rag amber 10 days red 30 days`.
    /// `rag benefits amber 10% red 25%`.
    fn rag(&mut self, start: usize) -> Option<Attr> {
        self.take("rag".len());
        if self.keyword("benefits").is_some() {
            let (amber, red) = self.amber_red(Parser::percent)?;
            return Some(Attr::RagBenefits {
                amber,
                red,
                span: self.span_from(start),
            });
        }
        let (amber, red) = self.amber_red(Parser::duration_lit)?;
        Some(Attr::Rag {
            amber,
            red,
            span: self.span_from(start),
        })
    }

    /// `kw_amber ~ VALUE ~ kw_red ~ VALUE`, each value read by `read`.
    fn amber_red<T>(&mut self, read: fn(&mut Self) -> Option<T>) -> Option<(Box<T>, Box<T>)> {
        self.keyword("amber")?;
        let amber = Box::new(read(self)?);
        self.keyword("red")?;
        Some((amber, Box::new(read(self)?)))
    }

    /// `risk distribution NAME`, else a risk of the RAID log: pest tries the setting first
    /// (`attr` lists it first), so a risk named `distribution` is one with a title or body.
    fn risk(&mut self, start: usize) -> Option<Attr> {
        let (pos, last) = (self.pos, self.last);
        if let Some(setting) = self.risk_distribution(start) {
            return Some(setting);
        }
        (self.pos, self.last) = (pos, last);
        self.raid_item("risk", start)
    }

    /// `risk distribution NAME`.
    fn risk_distribution(&mut self, start: usize) -> Option<Attr> {
        self.value_attr(
            "risk",
            start,
            |p| p.keyword("distribution").and_then(|_| p.ident()),
            Attr::RiskDistribution,
        )
    }

    // The RAID log.

    /// `raid_item = { (kw_risk | kw_issue | kw_assumption | kw_decision) ~ ident ~ string? ~
    /// body? }`.
    fn raid_item(&mut self, keyword: &str, start: usize) -> Option<Attr> {
        let kind = match keyword {
            "risk" => RaidKind::Risk,
            "issue" => RaidKind::Issue,
            "assumption" => RaidKind::Assumption,
            _ => RaidKind::Decision,
        };
        let keyword_span = self.take(keyword.len());
        let id = self.ident()?;
        let title = self.optional_string()?;
        let body = self.optional_body()?;
        let block = Block {
            id: Some(id),
            title,
            body: body.unwrap_or_default(),
            keyword_span,
            span: self.span_from(start),
        };
        Some(Attr::Raid {
            kind,
            block: Box::new(block),
        })
    }

    /// `mitigation = { kw_mitigation ~ string? ~ body? }`.
    fn mitigation(&mut self, start: usize) -> Option<Attr> {
        let keyword_span = self.take("mitigation".len());
        let title = self.optional_string()?;
        let body = self.optional_body()?;
        Some(Attr::Mitigation(Box::new(Block {
            id: None,
            title,
            body: body.unwrap_or_default(),
            keyword_span,
            span: self.span_from(start),
        })))
    }

    /// `affects = { kw_affects ~ reference ~ (impact_delay | impact_cost | impact_saving) }`.
    /// An optional `to HIGH` that does not follow through is pest's backtracking and then a
    /// recovered line: declined.
    fn affects(&mut self, start: usize) -> Option<Attr> {
        self.take("affects".len());
        let target = self.reference()?;
        let impact = match self.word() {
            "delay" => {
                self.take("delay".len());
                let (low, high) = self.low_to_high(Parser::duration_lit)?;
                Impact::Delay { low, high }
            }
            "cost" => {
                self.take("cost".len());
                self.keyword("capital")?;
                let (low, high) = self.low_to_high(Parser::money)?;
                Impact::Cost { low, high }
            }
            "saving" => {
                self.take("saving".len());
                let (low, high) = self.low_to_high(Parser::signed_money)?;
                self.keyword("per")?;
                self.keyword("year")?;
                Impact::Saving { low, high }
            }
            _ => return None,
        };
        Some(Attr::Affects(Box::new(Affects {
            target,
            impact,
            span: self.span_from(start),
        })))
    }

    /// `VALUE ~ (kw_to ~ VALUE)?`, each value read by `read`: a `to` not followed by one is
    /// declined.
    fn low_to_high<T>(&mut self, read: fn(&mut Self) -> Option<T>) -> Option<(T, Option<T>)> {
        let low = read(self)?;
        Some((low, self.clause("to", read)?))
    }

    /// `signed_money = ${ minus? ~ money }`: compound-atomic, so nothing between the sign and
    /// the amount.
    fn signed_money(&mut self) -> Option<SignedMoney> {
        self.skip();
        let start = self.pos;
        let negative = self.byte_at(start) == Some(b'-');
        if negative {
            self.pos += 1;
            // `money` skips trivia first; the grammar allows none after the sign.
            if matches!(
                self.byte_at(self.pos),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'#') | None
            ) {
                return None;
            }
        }
        let amount = self.money()?;
        Some(SignedMoney {
            negative,
            amount,
            span: self.span_from(start),
        })
    }

    /// `lint NAME 44 days` or `lint NAME 10%`.
    fn lint(&mut self, start: usize) -> Option<Attr> {
        self.take("lint".len());
        let name = self.ident()?;
        // `duration_lit | percent | ident`, in that order; the first two begin with a number,
        // and neither moves on when it fails.
        let value = match self.duration_lit() {
            Some(duration) => LintValue::Duration(duration),
            None => match self.percent() {
                Some(percent) => LintValue::Percent(percent),
                None => LintValue::Name(self.ident()?),
            },
        };
        Some(Attr::Lint {
            name,
            value: Box::new(value),
            span: self.span_from(start),
        })
    }

    /// `needs TEAM N`.
    fn needs(&mut self, start: usize) -> Option<Attr> {
        self.take("needs".len());
        let team = self.ident()?;
        let fte = Box::new(self.number()?);
        Some(Attr::Needs {
            team,
            fte,
            span: self.span_from(start),
        })
    }

    /// `size N [from DATE]`.
    fn size(&mut self, start: usize) -> Option<Attr> {
        self.take("size".len());
        let size = self.number()?;
        let from = self.clause("from", Parser::date)?;
        Some(Attr::Size {
            size,
            from: from.map(Box::new),
            span: self.span_from(start),
        })
    }

    /// `confidence LEVEL "commentary"`.
    fn confidence(&mut self, start: usize) -> Option<Attr> {
        self.take("confidence".len());
        let level = self.ident()?;
        let commentary = Box::new(self.string()?);
        Some(Attr::Confidence {
            level,
            commentary,
            span: self.span_from(start),
        })
    }

    /// `realised = { kw_realised ~ (kw_saving | kw_benefit ~ string) ~ money ~ kw_in ~
    /// financial_year }`.
    fn realised(&mut self, start: usize) -> Option<Attr> {
        self.take("realised".len());
        let benefit = match self.word() {
            "saving" => {
                self.take("saving".len());
                None
            }
            "benefit" => {
                self.take("benefit".len());
                Some(Box::new(self.string()?))
            }
            _ => return None,
        };
        let (amount, fy) = self.amount_in_year()?;
        Some(Attr::Realised {
            benefit,
            amount,
            fy,
            span: self.span_from(start),
        })
    }

    // Calendar rules.

    /// `closed DATE [to DATE] ["reason"]`.
    fn closed(&mut self, start: usize) -> Option<Attr> {
        self.take("closed".len());
        let from = self.date()?;
        let to = self.clause("to", Parser::date)?;
        let reason = self.optional_string()?;
        Some(Attr::Closed {
            from,
            to: to.map(Box::new),
            reason: reason.map(Box::new),
            span: self.span_from(start),
        })
    }

    // Money flows (`cost` is read by `cost`, below).

    /// `saving £X per year from WHEN …`.
    fn saving(&mut self, start: usize) -> Option<Attr> {
        self.take("saving".len());
        let amount = self.money()?;
        let (recurrence, range) = self.recurrence(true)?;
        let meta = self.line_meta()?;
        Some(Attr::Saving {
            amount,
            recurrence: Box::new(recurrence),
            range: range.map(Box::new),
            meta,
            span: self.span_from(start),
        })
    }

    /// `benefit "label" £X per year from WHEN …`.
    fn benefit(&mut self, start: usize) -> Option<Attr> {
        self.take("benefit".len());
        let label = self.string()?;
        let amount = self.money()?;
        let (recurrence, _) = self.recurrence(false)?;
        let meta = self.line_meta()?;
        Some(Attr::Benefit {
            label: Box::new(label),
            amount,
            recurrence: Box::new(recurrence),
            meta,
            span: self.span_from(start),
        })
    }

    /// `line_meta*`: ` owner "…"` and ` measure "…"` after spaces or tabs on the line the
    /// saving or benefit ends on (an `owner` on the next line is the project's). A clause
    /// given twice, or one that does not read, declines: pest's path reports it.
    fn line_meta(&mut self) -> Option<Option<Box<LineMeta>>> {
        let mut meta = LineMeta::default();
        loop {
            let mut at = self.pos;
            while matches!(self.byte_at(at), Some(b' ' | b'\t')) {
                at += 1;
            }
            if at == self.pos {
                break;
            }
            let mut end = at;
            while self.byte_at(end).is_some_and(is_ident_char) {
                end += 1;
            }
            let slot = match self.text.get(at..end) {
                Some("owner") => &mut meta.owner,
                Some("measure") => &mut meta.measure,
                _ => break,
            };
            if slot.is_some() {
                return None;
            }
            self.pos = at;
            self.take(end - at);
            *slot = Some(self.string()?);
        }
        Some((meta != LineMeta::default()).then(|| Box::new(meta)))
    }

    // Progress.

    /// `baseline DATE [to DATE]`.
    fn baseline(&mut self, start: usize) -> Option<Attr> {
        self.take("baseline".len());
        let from = self.date()?;
        let finish = self.clause("to", Parser::date)?;
        Some(Attr::Baseline {
            start: from,
            finish: finish.map(Box::new),
            span: self.span_from(start),
        })
    }

    // The shared shapes and parts of attributes.

    /// `keyword VALUE` attributes: the keyword (`word`, already matched), a value read by
    /// `read`, and the variant `make` holding it.
    fn value_attr<T>(
        &mut self,
        word: &str,
        start: usize,
        read: impl FnOnce(&mut Self) -> Option<T>,
        make: fn(T, Span) -> Attr,
    ) -> Option<Attr> {
        self.take(word.len());
        let value = read(self)?;
        Some(make(value, self.span_from(start)))
    }

    /// An optional `string`: `Some(None)` when the next token is not one.
    fn optional_string(&mut self) -> Option<Option<Str>> {
        if self.peek() != Some(b'"') {
            return Some(None);
        }
        Some(Some(self.string()?))
    }

    /// An optional `body`: `Some(None)` when the next token is not its `{`.
    fn optional_body(&mut self) -> Option<Option<Vec<Attr>>> {
        if self.peek() != Some(b'{') {
            return Some(None);
        }
        Some(Some(self.body()?))
    }

    /// An optional clause, `(keyword ~ VALUE)?` (`to DATE`, `from DATE`): `Some(None)` when
    /// the next word is not `keyword`; `None` (decline) when the keyword is not followed by a
    /// value `read` accepts, where pest would backtrack and then recover.
    fn clause<T>(
        &mut self,
        keyword: &str,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.word() != keyword {
            return Some(None);
        }
        self.take(keyword.len());
        Some(Some(read(self)?))
    }

    /// `first ~ (comma? ~ next)*` (`allow`, `weekend`) or `first ~ (comma ~ next)*` (`keep`,
    /// `remove`): a repetition that fails (a comma not followed by an item, or an item
    /// without the comma it needs) is undone, as in pest; what follows is then the caller's
    /// business.
    fn list<T>(
        &mut self,
        comma: Comma,
        mut one: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut items = vec![one(self)?];
        loop {
            let (pos, last) = (self.pos, self.last);
            let next = if self.punct(b',').is_some() || comma == Comma::Optional {
                one(self)
            } else {
                None
            };
            match next {
                Some(item) => items.push(item),
                None => {
                    (self.pos, self.last) = (pos, last);
                    return Some(items);
                }
            }
        }
    }

    /// `duration = { kw_duration ~ duration_lit ~ duration_range? }`.
    fn duration(&mut self, start: usize) -> Option<Attr> {
        self.take("duration".len());
        let duration = self.duration_lit()?;
        let range = if self.word() == "range" {
            self.take("range".len());
            // `duration_lit | number`: `range 10 to 20 months` leaves the unit to the high end.
            let low = match self.duration_lit() {
                Some(low) => Ok(low),
                None => Err(self.number()?),
            };
            self.keyword("to")?;
            let high = self.duration_lit()?;
            let low = low.unwrap_or_else(|number| DurationLit {
                span: number.span,
                number: number.text,
                unit: high.unit,
                spelling: UnitSpelling::Omitted,
            });
            Some(Box::new((low, high)))
        } else {
            None
        };
        Some(Attr::Duration {
            duration,
            range,
            span: self.span_from(start),
        })
    }

    /// `dependency`: `[finishes] after [start of] target, target …`.
    fn dependency(&mut self, start: usize) -> Option<Attr> {
        let finishes = self.keyword("finishes").is_some();
        self.keyword("after")?;
        // `(kw_start ~ kw_of)?`: without `of`, `start` is the name of the target.
        let mut of_start = false;
        if self.word() == "start" {
            let (pos, last) = (self.pos, self.last);
            self.take("start".len());
            if self.keyword("of").is_some() {
                of_start = true;
            } else {
                (self.pos, self.last) = (pos, last);
            }
        }
        // The first target apart: most lines have only it, and then no Vec is allocated.
        let first = self.dependency_target()?;
        let mut rest = Vec::new();
        while self.peek() == Some(b',') {
            self.take(1);
            rest.push(self.dependency_target()?);
        }
        Some(Attr::Dependency {
            kind: DependencyKind::from_words(finishes, of_start),
            targets: DependencyTargets::new(first, rest),
            span: self.span_from(start),
        })
    }

    /// `dependency_target = { reference ~ lag? }`, `lag = { (plus | minus) ~ duration_lit }`.
    fn dependency_target(&mut self) -> Option<DependencyTarget> {
        let target = self.reference()?;
        let lag = match self.peek() {
            Some(sign @ (b'+' | b'-')) => {
                let lag_start = self.pos;
                self.take(1);
                let duration = self.duration_lit()?;
                Some(Lag {
                    negative: sign == b'-',
                    duration,
                    span: self.span_from(lag_start),
                })
            }
            _ => None,
        };
        Some(DependencyTarget {
            target,
            lag: lag.map(Box::new),
        })
    }

    /// `cost = { kw_cost ~ (kw_capital ~ money ~ capital_timing? | kw_revenue ~ money ~
    /// recurrence | kw_one_off ~ money ~ kw_at ~ when) }`, `capital_timing = { kw_at ~ when |
    /// kw_from ~ when ~ kw_to ~ when }`. A capital timing that starts but does not parse is
    /// declined: pest would undo the optional and recover at the bad line.
    fn cost(&mut self, start: usize) -> Option<Attr> {
        self.take("cost".len());
        let kind = match self.word() {
            "capital" => CostKind::Capital,
            "revenue" => CostKind::Revenue,
            "one-off" => CostKind::OneOff,
            _ => return None,
        };
        self.take(7);
        let amount = self.money()?;
        let timing = match kind {
            // `money_range?`: a `range` that does not follow through is pest's backtracking and
            // then a recovered line, so declined.
            CostKind::Capital if self.word() == "range" => {
                CostTiming::Spread(Some(Box::new(self.money_range()?)))
            }
            CostKind::Capital => match self.word() {
                "at" => {
                    self.take(2);
                    CostTiming::At(Box::new(self.when()?))
                }
                "from" => {
                    self.take(4);
                    let from = self.when()?;
                    self.keyword("to")?;
                    CostTiming::Between(Box::new((from, self.when()?)))
                }
                _ => CostTiming::Spread(None),
            },
            CostKind::Revenue => CostTiming::Recurring(Box::new(self.recurrence(false)?.0)),
            CostKind::OneOff => {
                self.keyword("at")?;
                CostTiming::At(Box::new(self.when()?))
            }
        };
        Some(Attr::Cost {
            kind,
            amount,
            timing,
            span: self.span_from(start),
        })
    }

    /// `recurrence`: `per year from WHEN` and its clauses. A clause given twice, or a `range`
    /// not on a saving, is an E001 from lowering: declined, so pest's path reports it.
    fn recurrence(&mut self, saving: bool) -> Option<(Recurrence, Option<MoneyRange>)> {
        self.skip();
        let start = self.pos;
        self.keyword("per")?;
        self.keyword("year")?;
        self.keyword("from")?;
        let from = self.when()?;
        let mut ramp = None;
        let mut period = None;
        let mut range = None;
        loop {
            // The spaces before a word that is not a clause stay unread: `line_meta` looks
            // at them.
            let before = self.pos;
            match self.word() {
                "ramp" if ramp.is_none() => {
                    self.take(4);
                    ramp = Some(self.duration_lit()?);
                }
                "for" if period.is_none() => {
                    self.take(3);
                    period = Some(self.duration_lit()?);
                }
                "range" if saving && range.is_none() => range = Some(self.money_range()?),
                "ramp" | "for" | "range" => return None,
                _ => {
                    self.pos = before;
                    break;
                }
            }
        }
        let recurrence = Recurrence {
            from,
            ramp,
            period,
            span: self.span_from(start),
        };
        Some((recurrence, range))
    }

    /// `money_range = { kw_range ~ money ~ kw_to ~ money }`, its `range` the next word.
    fn money_range(&mut self) -> Option<MoneyRange> {
        let start = self.pos;
        self.take("range".len());
        let low = self.money()?;
        self.keyword("to")?;
        let high = self.money()?;
        Some(MoneyRange {
            low,
            high,
            span: self.span_from(start),
        })
    }

    /// `when = { kw_start | kw_finish | date | reference }`.
    fn when(&mut self) -> Option<When> {
        match self.word() {
            "start" => Some(When::Start(self.take(5))),
            "finish" => Some(When::Finish(self.take(6))),
            _ if self.digit_at(self.pos) => Some(When::Date(self.date()?)),
            _ => Some(When::Milestone(self.reference()?)),
        }
    }

    /// `tags = { kw_tags ~ lbracket ~ (ident ~ (comma ~ ident)* ~ comma?)? ~ rbracket }`.
    fn tags(&mut self, start: usize) -> Option<Attr> {
        self.take("tags".len());
        self.punct(b'[')?;
        let mut tags = Vec::new();
        if self.punct(b']').is_none() {
            tags.push(self.ident()?);
            loop {
                if self.punct(b']').is_some() {
                    break;
                }
                self.punct(b',')?;
                if self.punct(b']').is_some() {
                    break;
                }
                tags.push(self.ident()?);
            }
        }
        Some(Attr::Tags(tags, self.span_from(start)))
    }

    /// `portfolio`, `programme`, `project`, `milestone` or `calendar`: keyword, id (not for a
    /// portfolio), title (not for a calendar), milestone timing, body (required for a
    /// portfolio).
    fn block(&mut self, keyword: &str, start: usize) -> Option<Attr> {
        let keyword_span = self.take(keyword.len());
        let id = if keyword == "portfolio" {
            None
        } else {
            Some(self.ident()?)
        };
        let title = if keyword == "calendar" {
            None
        } else {
            self.optional_string()?
        };
        let timing = if keyword == "milestone" {
            self.milestone_timing()?
        } else {
            None
        };
        let body = self.optional_body()?;
        if body.is_none() && matches!(keyword, "portfolio" | "team" | "scenario") {
            return None;
        }
        let span = self.span_from(start);
        let has_body = body.is_some();
        let block = Block {
            id,
            title,
            body: body.unwrap_or_default(),
            keyword_span,
            span,
        };
        Some(match keyword {
            "portfolio" => Attr::Portfolio(Box::new(block)),
            "programme" => Attr::Programme(Box::new(block)),
            "project" => Attr::Project(Box::new(block)),
            "team" => Attr::Team(Box::new(block)),
            "scenario" => Attr::Scenario(Box::new(block)),
            "milestone" => Attr::Milestone {
                block: Box::new(block),
                timing,
            },
            _ if has_body => Attr::Calendar(Box::new(block)),
            _ => Attr::CalendarRef(block.id?, span),
        })
    }

    /// `change = { kw_change ~ (kw_portfolio | ident) ~ body }`: `portfolio` is the keyword,
    /// and the block has no id then.
    fn change(&mut self, start: usize) -> Option<Attr> {
        let keyword_span = self.take("change".len());
        let id = if self.word() == "portfolio" {
            self.take("portfolio".len());
            None
        } else {
            Some(self.ident()?)
        };
        if self.peek() != Some(b'{') {
            return None;
        }
        let body = self.body()?;
        Some(Attr::Change(Box::new(Block {
            id,
            title: None,
            body,
            keyword_span,
            span: self.span_from(start),
        })))
    }

    /// `remove = { kw_remove ~ (star | ident ~ (comma ~ ident)*) }`.
    fn remove(&mut self, start: usize) -> Option<Attr> {
        self.take("remove".len());
        if self.peek() == Some(b'*') {
            self.take(1);
            return Some(Attr::RemoveAll(self.span_from(start)));
        }
        let ids = self.list(Comma::Required, Parser::ident)?;
        Some(Attr::Remove(ids, self.span_from(start)))
    }

    /// `criteria = { kw_criteria ~ lbrace ~ criterion* ~ rbrace }`, `criterion = { ident ~
    /// percent }`. Anything else declines.
    fn criteria(&mut self, start: usize) -> Option<Attr> {
        self.take("criteria".len());
        self.punct(b'{')?;
        let mut criteria = Vec::new();
        while self.peek() != Some(b'}') {
            let name = self.ident()?;
            let weight = self.percent()?;
            let span = Span::new(self.file, name.span.start as usize, self.last);
            criteria.push(Criterion { name, weight, span });
        }
        self.take(1);
        Some(Attr::Criteria(criteria, self.span_from(start)))
    }

    /// `score = ${ kw_score ~ (line_space+ ~ score_entry)+ }`,
    /// `score_entry = ${ ident ~ line_space+ ~ number }`: pairs on the line of `score`, each
    /// after spaces or tabs. An entry that fails (a name not followed by a number on the line,
    /// such as `mandatory`) is undone; a line end or a comment ends the score.
    fn score(&mut self, start: usize) -> Option<Attr> {
        self.take("score".len());
        let mut entries = Vec::new();
        loop {
            let (pos, last) = (self.pos, self.last);
            let entry = self.after_line_space(Parser::ident).and_then(|name| {
                self.after_line_space(Parser::number)
                    .map(|value| (name, value))
            });
            match entry {
                Some(entry) => entries.push(entry),
                None => {
                    (self.pos, self.last) = (pos, last);
                    break;
                }
            }
        }
        if entries.is_empty() {
            return None;
        }
        Some(Attr::Score(entries, self.span_from(start)))
    }

    /// `line_space+ ~ token`: one or more spaces or tabs, then `token` right there (not on a
    /// later line, not after a comment). `None` leaves `pos` wherever it stopped; the caller
    /// undoes.
    fn after_line_space<T>(&mut self, token: fn(&mut Self) -> Option<T>) -> Option<T> {
        let mut at = self.pos;
        while matches!(self.byte_at(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        // Trivia the token would skip (a line end, a comment) is not a space on the line.
        if at == self.pos || matches!(self.byte_at(at), None | Some(b'\n' | b'\r' | b'#')) {
            return None;
        }
        self.pos = at;
        token(self)
    }

    /// `milestone_timing?`: `at start`, `at finish` or `on DATE`; `Some(None)` when absent.
    fn milestone_timing(&mut self) -> Option<Option<MilestoneTiming>> {
        let word = self.word();
        let start = self.pos;
        match word {
            "at" => {
                self.take(2);
                let timing = match self.word() {
                    "start" => {
                        self.take(5);
                        MilestoneTiming::AtStart(self.span_from(start))
                    }
                    "finish" => {
                        self.take(6);
                        MilestoneTiming::AtFinish(self.span_from(start))
                    }
                    _ => return None,
                };
                Some(Some(timing))
            }
            "on" => {
                self.take(2);
                Some(Some(MilestoneTiming::On(self.date()?)))
            }
            _ => Some(None),
        }
    }

    /// `body`: `{`, attributes, `}`. Anything else (a line pest would recover, a missing `}`)
    /// declines.
    fn body(&mut self) -> Option<Vec<Attr>> {
        self.punct(b'{')?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mark = self.stack.len();
        loop {
            match self.peek() {
                Some(b'}') => break,
                None => return None,
                Some(_) => {
                    let attr = self.attr()?;
                    self.stack.push(attr);
                }
            }
        }
        self.take(1);
        self.depth -= 1;
        Some(self.stack.drain(mark..).collect())
    }
}

#[cfg(test)]
mod tests;
