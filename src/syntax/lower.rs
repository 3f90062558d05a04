//! Lowering: pest pairs to [`ast`](super::ast) nodes, and recovered lines to diagnostics.
//!
//! Input: the text of one file, already checked to nest no deeper than `scan::MAX_DEPTH`.
//! Output: the file's items and its E001 diagnostics. Each top-level item is offered to
//! `fast` first; pest parses (and this module lowers and reports) only those it declines. The
//! file is parsed one top-level item at a time, so pest's offsets are relative to
//! `Lower::offset`; every span here is made absolute.
//!
//! Invariant: the recursion here follows the `{ … }` nesting, so it is bounded by that limit;
//! the grammar guarantees each pair's shape, so a pair out of place is a bug in this module and
//! panics naming the rule.

use compact_str::CompactString;

use pest::Parser;
use pest::error::{Error, ErrorVariant, InputLocation};
use pest::iterators::{Pair, Pairs};

use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::syntax::ast::{
    Affects, Attr, Block, BudgetKind, CostKind, CostTiming, Criterion, CurrencySymbol,
    DependencyKind, DependencyTarget, DependencyTargets, DurationLit, Ident, Impact, Lag, LineMeta,
    LintValue, Literal, MilestoneTiming, MoneyLit, MoneyRange, MonthName, RaidKind, Recurrence,
    Reference, SignedMoney, Str, UnitSpelling, Weekday, When, duration_unit,
};
use crate::syntax::expected::{self, Scope};
use crate::syntax::fast;
use crate::syntax::grammar::{Rule, TrancheParser};
use crate::syntax::scan;

/// How far back a re-parse may start to include the attribute before a bad token on the same
/// line. Longer attributes (a whole block on one line) are not re-parsed, to keep error
/// reporting linear in the file's size.
const PROBE_CONTEXT_LIMIT: usize = 4096;

/// Which parser reads each top-level item: see [`parse_with`](super::parse_with).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ParseMode {
    /// The hand-written fast path first, pest for each item it declines: what
    /// [`parse`](super::parse) does.
    #[default]
    FastThenPest,
    /// Pest alone: the grammar's own answer, which the fast path must reproduce exactly.
    PestOnly,
}

/// How many top-level items (or skipped lines) each path parsed: tests and the differential
/// fuzz target check that the fast path really is the one that normally runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Taken {
    /// Items the fast path built.
    pub fast: usize,
    /// Items (or skipped bad lines) pest parsed.
    pub pest: usize,
}

/// Parses `text` and lowers it, one top-level item at a time; see the module doc.
pub(crate) fn lower(
    file: FileId,
    text: &str,
    mode: ParseMode,
) -> (Vec<Attr>, Vec<Diagnostic>, Taken) {
    let mut fast = fast::Parser::new(file, text);
    let mut taken = Taken::default();
    let mut lower = Lower {
        file,
        text,
        offset: 0,
        diagnostics: Vec::new(),
        reported_unclosed: false,
        swallowed_braces: 0,
        spilled: Vec::new(),
    };
    let mut items = Vec::new();
    let mut previous = None;
    let mut unclosed = false;
    let mut pos = skip_trivia(text, if text.starts_with('\u{FEFF}') { 3 } else { 0 });
    while pos < text.len() {
        // A file that is mostly errors (ten million stray `}`) says so once it has said enough,
        // rather than costing a reader, and the run, ten million of them.
        if lower.diagnostics.len() >= MAX_SYNTAX_ERRORS {
            lower.diagnostics.push(
                Diagnostic::new(
                    Code::E001SyntaxError,
                    Span::new(file, pos, pos),
                    format!("stopped reading this file after {MAX_SYNTAX_ERRORS} syntax errors"),
                )
                .with_hint("fix the first errors and run again; is this a plan file?"),
            );
            break;
        }
        // The fast path leaves the state as pest's path would after an attribute: the
        // attribute's extent in `previous` (for a bad line after it on the same line), and
        // nothing else, since it declines anything that would be reported.
        if mode == ParseMode::FastThenPest {
            if let Some((attr, end)) = fast.item(pos) {
                previous = Some((pos, attr.span().end as usize));
                items.push(attr);
                taken.fast += 1;
                pos = skip_trivia(text, end);
                continue;
            }
        }
        taken.pest += 1;
        match TrancheParser::parse(Rule::top_item, text.get(pos..).unwrap_or_default()) {
            Ok(pairs) => {
                lower.offset = pos;
                let mut end = pos;
                for top_item in pairs {
                    end = pos + top_item.as_span().end();
                    for pair in top_item.into_inner() {
                        lower.pair(pair, Scope::Top, &mut items, &mut previous, &mut unclosed);
                    }
                }
                if end <= pos {
                    unreachable!("invariant: a top-level item or skipped line is never empty");
                }
                pos = skip_trivia(text, end);
            }
            // The recovery rules make `top_item` match any text, so this is pest's own limit (or
            // a grammar bug); a located error still beats a panic.
            Err(error) => {
                lower.report(error, pos, Scope::Top);
                break;
            }
        }
    }
    (items, lower.diagnostics, taken)
}

/// How many syntax errors one file may give before the rest of it is not read.
pub const MAX_SYNTAX_ERRORS: usize = 1_000;

/// The offset of the first byte at or after `pos` that is not whitespace or in a comment.
pub(super) fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(pos) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => pos += 1,
            b'#' => {
                while bytes.get(pos).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

struct Lower<'t> {
    file: FileId,
    text: &'t str,
    /// Where the text pest is reading begins in `text`: pest's offsets are relative to it.
    offset: usize,
    diagnostics: Vec<Diagnostic>,
    /// Whether a block left open to the end of the file has been reported. Blocks nested in it
    /// are usually left open by the same missing `}`, so only the innermost is reported.
    reported_unclosed: bool,
    /// How many `{` skipped lines have taken with them (counted plainly, strings and all). The
    /// `}` that closed each then looks stray at the top level and is not reported again.
    swallowed_braces: usize,
    /// Items that a block left open took in only because its `}` was missing (see
    /// [`Lower::unclosed_split`]): `pair` puts them back after the block, in the list the
    /// block itself is in, so they are not reported as misplaced (E050) on top of the E001.
    spilled: Vec<Attr>,
}

impl<'t> Lower<'t> {
    /// The attributes of a body, and whether its `}` was missing (it ran to the end of the file).
    fn body_items(&mut self, pairs: Pairs<'t, Rule>, scope: Scope) -> (Vec<Attr>, bool) {
        // Sized up front: an `Attr` is large, and a doubling Vec of 100k of them wastes a lot.
        let mut items = Vec::with_capacity(pairs.len());
        let mut unclosed = false;
        // The previous attribute's extent, for re-parsing a bad token on the same line.
        let mut previous: Option<(usize, usize)> = None;
        for pair in pairs {
            self.pair(pair, scope, &mut items, &mut previous, &mut unclosed);
        }
        (items, unclosed)
    }

    /// Lowers one child of a file or body: an attribute (added to `items`), a skipped line
    /// (reported), or punctuation. `previous` is the extent of the attribute just before, for
    /// re-parsing a bad token on the same line; `unclosed` is set when the `}` is missing.
    fn pair(
        &mut self,
        pair: Pair<'t, Rule>,
        scope: Scope,
        items: &mut Vec<Attr>,
        previous: &mut Option<(usize, usize)>,
        unclosed: &mut bool,
    ) {
        let start = self.offset + pair.as_span().start();
        let end = self.offset + pair.as_span().end();
        match pair.as_rule() {
            Rule::attr => {
                let attr = self.attr(pair);
                *previous = Some((start, attr.span().end as usize));
                items.push(attr);
                items.append(&mut self.spilled);
            }
            Rule::recover | Rule::top_recover => {
                self.recovered(start, end, scope, *previous);
                // `owner "Who" measure "What"` on the line after a saving: the saving's clauses,
                // wrapped. The error at `measure` says so; the `owner` before it on that line is
                // part of the same mistake, not the block's owner (a second one would be E012).
                let wrapped_owner = previous.is_some_and(|(owner_start, owner_end)| {
                    self.text
                        .get(owner_end..start)
                        .is_some_and(|between| !between.contains(['\n', '\r']))
                        && self
                            .text
                            .get(start..)
                            .is_some_and(|rest| rest.starts_with("measure"))
                        && expected::after_saving_line(self.text, owner_start)
                });
                if wrapped_owner && matches!(items.last(), Some(Attr::Owner(..))) {
                    items.pop();
                }
                *previous = None;
            }
            Rule::lbrace | Rule::rbrace => {}
            // Reported by `block`, which knows what the body belongs to.
            Rule::missing_rbrace => *unclosed = true,
            other => unreachable!("invariant: blocks hold attributes, not {other:?}"),
        }
    }

    /// Reports the mistake in a line the grammar skipped, by re-parsing from there.
    fn recovered(
        &mut self,
        start: usize,
        end: usize,
        scope: Scope,
        previous: Option<(usize, usize)>,
    ) {
        if self
            .text
            .get(start..)
            .is_some_and(|rest| rest.starts_with('}'))
        {
            // The `{` this closes was lost in a line already reported (say, inside a string
            // left open): the `}` is part of that mistake, not a new one.
            if self.swallowed_braces > 0 {
                self.swallowed_braces -= 1;
                return;
            }
            let span = Span::new(self.file, start, start + 1);
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E001SyntaxError,
                    span,
                    "unexpected `}` with no block open",
                )
                .with_hint("remove it, or add the `{` it was meant to close"),
            );
            return;
        }
        let skipped = self.text.get(start..end).unwrap_or_default();
        let opens = skipped.bytes().filter(|&b| b == b'{').count();
        let closes = skipped.bytes().filter(|&b| b == b'}').count();
        self.swallowed_braces += opens.saturating_sub(closes);
        let same_line = previous.filter(|&(previous_start, previous_end)| {
            previous_end - previous_start <= PROBE_CONTEXT_LIMIT
                && self
                    .text
                    .get(previous_end..start)
                    .is_some_and(|between| !between.contains(['\n', '\r']))
        });
        let (from, rule) = match (scope, same_line) {
            (Scope::Top, None) => (start, Rule::probe_top),
            (Scope::Top, Some((previous_start, _))) => (previous_start, Rule::probe_top_after),
            (Scope::Block, None) => (start, Rule::probe_block),
            (Scope::Block, Some((previous_start, _))) => (previous_start, Rule::probe_block_after),
        };
        match TrancheParser::parse(rule, self.text.get(from..).unwrap_or_default()) {
            Err(error) => self.report(error, from, scope),
            // The probe fails wherever the main parse recovered; if it ever does not, still say
            // something located rather than nothing.
            Ok(_) => {
                let span = Span::new(self.file, start, end);
                self.diagnostics.push(
                    Diagnostic::new(Code::E001SyntaxError, span, "this line could not be read")
                        .with_hint("see docs/language.md for the form of this line"),
                );
            }
        }
    }

    /// Turns a pest error from a parse of `text[offset..]` into a diagnostic.
    fn report(&mut self, error: Error<Rule>, offset: usize, scope: Scope) {
        let relative = match error.location {
            InputLocation::Pos(pos) => pos,
            InputLocation::Span((start, _)) => start,
        };
        let pos = offset + relative;
        match error.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                let diagnostic = expected::diagnose(self.file, self.text, pos, &positives, scope);
                self.diagnostics.push(diagnostic);
            }
            ErrorVariant::CustomError { message } => {
                let ((start, end), found) = expected::token_at(self.text, pos);
                let span = Span::new(self.file, start, end);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E001SyntaxError,
                        span,
                        format!("this text could not be read at {found}: {message}"),
                    )
                    .with_hint("simplify the file around this place"),
                );
            }
        }
    }

    /// One attribute, lowered by its family. The families follow what an attribute is about,
    /// and `fast::Parser` keeps its per-keyword readers in the same families.
    fn attr(&mut self, pair: Pair<'t, Rule>) -> Attr {
        let inner = only_child(pair);
        let span = self.span(&inner);
        match inner.as_rule() {
            Rule::portfolio
            | Rule::programme
            | Rule::project
            | Rule::milestone
            | Rule::calendar
            | Rule::team
            | Rule::theme
            | Rule::include => self.declaration(inner, span),
            Rule::start_attr
            | Rule::end_attr
            | Rule::status_date
            | Rule::currency
            | Rule::discount_rate
            | Rule::financial_year_start
            | Rule::target
            | Rule::budget => self.plan_setting(inner, span),
            Rule::rag
            | Rule::rag_benefits
            | Rule::risk_distribution
            | Rule::lint_setting
            | Rule::allow
            | Rule::optimism_bias
            | Rule::report_setting
            | Rule::appraisal => self.analysis_setting(inner, span),
            Rule::based_on | Rule::closed | Rule::weekend => self.calendar_rule(inner, span),
            Rule::size | Rule::needs | Rule::priority => self.capacity(inner, span),
            Rule::duration | Rule::dependency | Rule::not_before | Rule::deadline => {
                self.schedule_constraint(inner, span)
            }
            Rule::cost | Rule::saving | Rule::benefit => self.money_flow(inner, span),
            Rule::spent | Rule::realised => self.outturn(inner, span),
            Rule::actual_start | Rule::actual_finish | Rule::complete | Rule::baseline => {
                self.progress(inner, span)
            }
            Rule::owner | Rule::tags | Rule::description | Rule::confidence => {
                self.about(inner, span)
            }
            Rule::raid_item
            | Rule::probability
            | Rule::affects
            | Rule::mitigation
            | Rule::raid_status
            | Rule::review
            | Rule::raised
            | Rule::due
            | Rule::until
            | Rule::decided_on
            | Rule::decided_by => self.raid(inner, span),
            Rule::scenario
            | Rule::baseline_option
            | Rule::remove
            | Rule::keep
            | Rule::change
            | Rule::criteria
            | Rule::score
            | Rule::mandatory => self.options(inner, span),
            other => unreachable!("invariant: `attr` holds one attribute rule, not {other:?}"),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Attribute families, in the order `attr` lists them. Each is given only its own rules.

    /// Blocks and the items that name or pull in other things: `portfolio`, `programme`,
    /// `project`, `milestone`, `calendar` (declared or used), `theme` (declared or served) and
    /// `include`.
    fn declaration(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::portfolio => Attr::Portfolio(Box::new(self.block(inner).0)),
            Rule::programme => Attr::Programme(Box::new(self.block(inner).0)),
            Rule::project => Attr::Project(Box::new(self.block(inner).0)),
            Rule::team => Attr::Team(Box::new(self.block(inner).0)),
            Rule::milestone => {
                let (block, timing, _) = self.block(inner);
                Attr::Milestone {
                    block: Box::new(block),
                    timing,
                }
            }
            Rule::calendar => match self.block(inner) {
                (block, _, true) => Attr::Calendar(Box::new(block)),
                (Block { id: Some(id), .. }, _, false) => Attr::CalendarRef(id, span),
                (Block { id: None, .. }, _, false) => {
                    unreachable!("invariant: the grammar gives every `calendar` an id")
                }
            },
            Rule::theme => {
                let mut children = inner.into_inner().skip(1);
                let id = self.ident(&next(&mut children, "theme id"));
                match children.next() {
                    Some(title) => Attr::Theme {
                        id,
                        title: Box::new(self.string(title)),
                        span,
                    },
                    None => Attr::ThemeRef(id, span),
                }
            }
            Rule::include => Attr::Include {
                path: self.string(second(inner)),
                span,
            },
            other => unreachable!("invariant: {other:?} is not a declaration"),
        }
    }

    /// The plan's window, currency and money targets: `start`, `end`, `status-date`,
    /// `currency`, `discount-rate`, `financial-year-start`, `target savings` and `budget`.
    fn plan_setting(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::start_attr => Attr::Start(self.literal(&second(inner)), span),
            Rule::end_attr => Attr::End(self.literal(&second(inner)), span),
            Rule::status_date => Attr::StatusDate(self.literal(&second(inner)), span),
            Rule::currency => Attr::Currency(self.ident(&second(inner)), span),
            Rule::discount_rate => Attr::DiscountRate(self.percent(second(inner)), span),
            Rule::financial_year_start => {
                Attr::FinancialYearStart(month(second(inner).as_str()), span)
            }
            Rule::target => {
                let mut children = inner.into_inner().skip(2);
                let amount = self.money(next(&mut children, "target amount"));
                let mut rest = children.skip(1);
                let fy = self.literal(&next(&mut rest, "target year"));
                let accept = rest.next().map(|clause| {
                    let reason = clause.into_inner().find(|p| p.as_rule() == Rule::string);
                    let Some(reason) = reason else {
                        unreachable!("invariant: the grammar gives `accept shortfall` a reason")
                    };
                    Box::new(self.string(reason))
                });
                Attr::TargetSavings {
                    amount: Box::new(amount),
                    fy,
                    accept,
                    span,
                }
            }
            Rule::budget => self.budget(inner, span),
            other => unreachable!("invariant: {other:?} is not a plan setting"),
        }
    }

    /// `budget capital|revenue £X in FY`.
    fn budget(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        let mut children = inner.into_inner().skip(1);
        let kind = match next(&mut children, "budget kind").as_rule() {
            Rule::kw_capital => BudgetKind::Capital,
            Rule::kw_revenue => BudgetKind::Revenue,
            other => {
                unreachable!("invariant: a budget is capital or revenue, not {other:?}")
            }
        };
        let amount = self.money(next(&mut children, "budget amount"));
        let fy = self.literal(&next(&mut children.skip(1), "budget year"));
        Attr::Budget {
            kind,
            amount: Box::new(amount),
            fy,
            span,
        }
    }

    /// How tranche analyses the plan rather than what the plan says: `rag` thresholds,
    /// `risk distribution`, `lint` thresholds, `allow`ed lint codes and `optimism-bias`.
    fn analysis_setting(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::rag => {
                let (amber, red) = self.amber_red(inner, Rule::duration_lit, Self::duration_lit);
                Attr::Rag { amber, red, span }
            }
            Rule::rag_benefits => {
                let (amber, red) = self.amber_red(inner, Rule::percent, Self::percent);
                Attr::RagBenefits { amber, red, span }
            }
            Rule::risk_distribution => {
                let mut children = inner.into_inner().skip(2);
                let name = next(&mut children, "risk distribution name");
                Attr::RiskDistribution(self.ident(&name), span)
            }
            Rule::lint_setting => {
                let mut children = inner.into_inner().skip(1);
                let name = self.ident(&next(&mut children, "lint name"));
                let value = next(&mut children, "lint threshold");
                let value = match value.as_rule() {
                    Rule::percent => LintValue::Percent(self.percent(value)),
                    Rule::ident => LintValue::Name(self.ident(&value)),
                    _ => LintValue::Duration(self.duration_lit(value)),
                };
                Attr::Lint {
                    name,
                    value: Box::new(value),
                    span,
                }
            }
            Rule::allow => Attr::Allow(self.idents(inner, Rule::lint_code), span),
            Rule::optimism_bias => {
                let percent = next(&mut inner.into_inner().skip(2), "optimism bias percentage");
                Attr::OptimismBias(self.percent(percent), span)
            }
            Rule::report_setting => {
                let name = next(&mut inner.into_inner().skip(2), "report money scale");
                Attr::ReportMoney(self.ident(&name), span)
            }
            Rule::appraisal => {
                let length = next(&mut inner.into_inner().skip(1), "appraisal length");
                Attr::Appraisal(self.duration_lit(length), span)
            }
            other => unreachable!("invariant: {other:?} is not an analysis setting"),
        }
    }

    /// A calendar's body: `based-on`, `closed` days and `weekend` days.
    fn calendar_rule(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::based_on => Attr::BasedOn(self.ident(&second(inner)), span),
            Rule::closed => self.closed(inner, span),
            Rule::weekend => {
                let days = children_of(inner, Rule::weekday)
                    .map(|p| weekday(p.as_str()))
                    .collect();
                Attr::Weekend(days, span)
            }
            other => unreachable!("invariant: {other:?} is not a calendar rule"),
        }
    }

    /// `closed DATE [to DATE] ["reason"]`.
    fn closed(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        let mut from = None;
        let mut to = None;
        let mut reason = None;
        for child in inner.into_inner() {
            match child.as_rule() {
                Rule::date if from.is_none() => from = Some(self.literal(&child)),
                Rule::date => to = Some(self.literal(&child)),
                Rule::string => reason = Some(self.string(child)),
                _ => {}
            }
        }
        let Some(from) = from else {
            unreachable!("invariant: the grammar gives `closed` a date")
        };
        Attr::Closed {
            from,
            to: to.map(Box::new),
            reason: reason.map(Box::new),
            span,
        }
    }

    /// What the schedule must respect: `duration`, dependencies, `not-before` and `deadline`.
    fn schedule_constraint(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::duration => {
                let mut children = inner.into_inner().skip(1);
                let duration = self.duration_lit(next(&mut children, "duration value"));
                let range = children
                    .next()
                    .map(|range| Box::new(self.duration_range(range)));
                Attr::Duration {
                    duration,
                    range,
                    span,
                }
            }
            Rule::dependency => self.dependency(inner),
            Rule::not_before => Attr::NotBefore(self.literal(&second(inner)), span),
            Rule::deadline => Attr::Deadline(self.literal(&second(inner)), span),
            other => unreachable!("invariant: {other:?} is not a schedule constraint"),
        }
    }

    /// People: a team's `size`, a project's `needs` and its levelling `priority`.
    fn capacity(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::size => {
                let mut children = inner.into_inner().skip(1);
                let size = self.literal(&next(&mut children, "team size"));
                // `from` then the date, when given.
                let from = children
                    .find(|p| p.as_rule() == Rule::date)
                    .map(|date| Box::new(self.literal(&date)));
                Attr::Size { size, from, span }
            }
            Rule::needs => {
                let mut children = inner.into_inner().skip(1);
                let team = self.ident(&next(&mut children, "needs team"));
                let fte = Box::new(self.literal(&next(&mut children, "needs people")));
                Attr::Needs { team, fte, span }
            }
            Rule::priority => Attr::Priority(self.literal(&second(inner)), span),
            other => unreachable!("invariant: {other:?} is not about people"),
        }
    }

    /// The two thresholds of a `rag` line, amber then red: its children that are `rule`s,
    /// each lowered by `lower`.
    fn amber_red<T>(
        &self,
        pair: Pair<'t, Rule>,
        rule: Rule,
        lower: fn(&Self, Pair<'t, Rule>) -> T,
    ) -> (Box<T>, Box<T>) {
        let mut values = children_of(pair, rule);
        let amber = lower(self, next(&mut values, "rag amber"));
        let red = lower(self, next(&mut values, "rag red"));
        (Box::new(amber), Box::new(red))
    }

    /// A saving's or benefit's line, its keyword passed over, and the `owner` and `measure`
    /// clauses after it.
    fn line_with_meta(
        &mut self,
        pair: Pair<'t, Rule>,
        what: &str,
    ) -> (
        impl Iterator<Item = Pair<'t, Rule>> + use<'t>,
        Option<Box<LineMeta>>,
    ) {
        let mut parts = pair.into_inner();
        let line = next(&mut parts, what);
        let meta = self.line_meta(parts);
        (line.into_inner().skip(1), meta)
    }

    /// Money in and out of a project: `cost`, `saving` and `benefit`.
    fn money_flow(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::cost => self.cost(inner),
            Rule::saving => {
                let (mut children, meta) = self.line_with_meta(inner, "saving line");
                let amount = self.money(next(&mut children, "saving amount"));
                let (recurrence, range) =
                    self.recurrence(next(&mut children, "saving recurrence"), "saving");
                Attr::Saving {
                    amount,
                    recurrence: Box::new(recurrence),
                    range: range.map(Box::new),
                    meta,
                    span,
                }
            }
            Rule::benefit => {
                let (mut children, meta) = self.line_with_meta(inner, "benefit line");
                let label = self.string(next(&mut children, "benefit label"));
                let amount = self.money(next(&mut children, "benefit amount"));
                let (recurrence, _) =
                    self.recurrence(next(&mut children, "benefit recurrence"), "benefit");
                Attr::Benefit {
                    label: Box::new(label),
                    amount,
                    recurrence: Box::new(recurrence),
                    meta,
                    span,
                }
            }
            other => unreachable!("invariant: {other:?} is not a money flow"),
        }
    }

    /// What has happened so far: `actual-start`, `actual-finish`, `complete` and `baseline`.
    fn progress(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::actual_start => Attr::ActualStart(self.literal(&second(inner)), span),
            Rule::actual_finish => Attr::ActualFinish(self.literal(&second(inner)), span),
            Rule::complete => Attr::Complete(self.percent(second(inner)), span),
            Rule::baseline => {
                let mut dates = children_of(inner, Rule::date);
                let start = self.literal(&next(&mut dates, "baseline start"));
                let finish = dates.next().map(|d| Box::new(self.literal(&d)));
                Attr::Baseline {
                    start,
                    finish,
                    span,
                }
            }
            other => unreachable!("invariant: {other:?} is not progress"),
        }
    }

    /// Words about an item for people: `owner`, `tags` and `description`.
    fn about(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::owner => Attr::Owner(self.string(second(inner)), span),
            Rule::tags => Attr::Tags(self.idents(inner, Rule::ident), span),
            Rule::description => Attr::Description(self.string(second(inner)), span),
            Rule::confidence => {
                let mut children = inner.into_inner().skip(1);
                let level = self.ident(&next(&mut children, "confidence level"));
                let commentary = self.string(next(&mut children, "confidence commentary"));
                Attr::Confidence {
                    level,
                    commentary: Box::new(commentary),
                    span,
                }
            }
            other => unreachable!("invariant: {other:?} is not a description"),
        }
    }

    /// The RAID log: `risk`, `issue`, `assumption` and `decision` entries and what they hold.
    fn raid(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::raid_item => {
                let kind = match inner.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::kw_risk) => RaidKind::Risk,
                    Some(Rule::kw_issue) => RaidKind::Issue,
                    Some(Rule::kw_assumption) => RaidKind::Assumption,
                    Some(Rule::kw_decision) => RaidKind::Decision,
                    other => {
                        unreachable!("invariant: a RAID entry opens with its kind, not {other:?}")
                    }
                };
                Attr::Raid {
                    kind,
                    block: Box::new(self.block(inner).0),
                }
            }
            Rule::mitigation => Attr::Mitigation(Box::new(self.block(inner).0)),
            Rule::probability => Attr::Probability(self.percent(second(inner)), span),
            Rule::affects => self.affects(inner, span),
            Rule::raid_status => Attr::RaidStatus(self.ident(&second(inner)), span),
            Rule::review => Attr::Review(self.literal(&second(inner)), span),
            Rule::raised => Attr::Raised(self.literal(&second(inner)), span),
            Rule::due => Attr::Due(self.literal(&second(inner)), span),
            Rule::until => Attr::Until(self.literal(&second(inner)), span),
            Rule::decided_on => Attr::DecidedOn(self.literal(&second(inner)), span),
            Rule::decided_by => Attr::DecidedBy(self.string(second(inner)), span),
            other => unreachable!("invariant: {other:?} is not part of the RAID log"),
        }
    }

    /// `affects TARGET delay|cost capital|saving ...`.
    fn affects(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        let mut children = inner.into_inner().skip(1);
        let target = self.reference(next(&mut children, "affected item"));
        let impact = next(&mut children, "impact");
        let impact = match impact.as_rule() {
            Rule::impact_delay => {
                let mut values = children_of(impact, Rule::duration_lit);
                let low = self.duration_lit(next(&mut values, "delay"));
                let high = values.next().map(|p| self.duration_lit(p));
                Impact::Delay { low, high }
            }
            Rule::impact_cost => {
                let mut values = children_of(impact, Rule::money);
                let low = self.money(next(&mut values, "cost amount"));
                let high = values.next().map(|p| self.money(p));
                Impact::Cost { low, high }
            }
            Rule::impact_saving => {
                let mut values = children_of(impact, Rule::signed_money);
                let low = self.signed_money(next(&mut values, "saving amount"));
                let high = values.next().map(|p| self.signed_money(p));
                Impact::Saving { low, high }
            }
            other => unreachable!("invariant: an impact is a delay, cost or saving, not {other:?}"),
        };
        Attr::Affects(Box::new(Affects {
            target,
            impact,
            span,
        }))
    }

    fn signed_money(&self, pair: Pair<'t, Rule>) -> SignedMoney {
        let span = self.span(&pair);
        let mut negative = false;
        let mut amount = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::minus => negative = true,
                Rule::money => amount = Some(self.money(child)),
                other => unreachable!("invariant: a signed amount has no {other:?}"),
            }
        }
        let Some(amount) = amount else {
            unreachable!("invariant: the grammar gives a signed amount its amount")
        };
        SignedMoney {
            negative,
            amount,
            span,
        }
    }

    // -----------------------------------------------------------------------------------------
    // The parts of attributes.

    /// Options appraisal and selection (docs/options.md): scenarios and their edits,
    /// `criteria`, and a project's `score` and `mandatory`.
    fn options(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        match inner.as_rule() {
            Rule::scenario => Attr::Scenario(Box::new(self.block(inner).0)),
            Rule::change => Attr::Change(Box::new(self.block(inner).0)),
            Rule::baseline_option => Attr::BaselineOption(span),
            Rule::remove => {
                if inner
                    .clone()
                    .into_inner()
                    .any(|p| p.as_rule() == Rule::star)
                {
                    Attr::RemoveAll(span)
                } else {
                    Attr::Remove(self.idents(inner, Rule::ident), span)
                }
            }
            Rule::keep => Attr::Keep(self.idents(inner, Rule::ident), span),
            Rule::criteria => {
                let criteria = children_of(inner, Rule::criterion)
                    .map(|criterion| {
                        let span = self.span(&criterion);
                        let mut parts = criterion.into_inner();
                        let name = self.ident(&next(&mut parts, "criterion name"));
                        let weight = self.percent(next(&mut parts, "criterion weight"));
                        Criterion { name, weight, span }
                    })
                    .collect();
                Attr::Criteria(criteria, span)
            }
            Rule::score => {
                let entries = children_of(inner, Rule::score_entry)
                    .map(|entry| {
                        let mut parts = entry
                            .into_inner()
                            .filter(|p| p.as_rule() != Rule::score_gap);
                        let name = self.ident(&next(&mut parts, "criterion name"));
                        let value = self.literal(&next(&mut parts, "score"));
                        (name, value)
                    })
                    .collect();
                Attr::Score(entries, span)
            }
            Rule::mandatory => Attr::Mandatory(span),
            other => unreachable!("invariant: not an options rule: {other:?}"),
        }
    }

    /// A declaration with an optional id, title, milestone timing and body. The flag says
    /// whether a `{ … }` body was written (it tells a calendar declaration from a reference).
    fn block(&mut self, pair: Pair<'t, Rule>) -> (Block, Option<MilestoneTiming>, bool) {
        let span = self.span(&pair);
        let mut block = Block {
            id: None,
            title: None,
            body: Vec::new(),
            keyword_span: span,
            span,
        };
        let mut timing = None;
        let mut has_body = false;
        // `change portfolio { ... }`: the keyword is `change`; `portfolio` names the target.
        let mut keyword_seen = false;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::kw_portfolio if keyword_seen => {}
                Rule::kw_portfolio
                | Rule::kw_programme
                | Rule::kw_project
                | Rule::kw_milestone
                | Rule::kw_team
                | Rule::kw_calendar
                | Rule::kw_risk
                | Rule::kw_issue
                | Rule::kw_assumption
                | Rule::kw_decision
                | Rule::kw_mitigation
                | Rule::kw_scenario
                | Rule::kw_change => {
                    keyword_seen = true;
                    block.keyword_span = self.span(&child);
                }
                Rule::ident => block.id = Some(self.ident(&child)),
                Rule::string => block.title = Some(self.string(child)),
                Rule::milestone_timing => timing = Some(self.milestone_timing(child)),
                Rule::body => {
                    has_body = true;
                    // Just after the `{`, where the block's own lines begin.
                    let opened = self.offset + child.as_span().start() + 1;
                    let (mut body, unclosed) = self.body_items(child.into_inner(), Scope::Block);
                    // Bodies nested in this one were lowered (and reported) first, so the
                    // innermost open block is the one named.
                    let explained =
                        unclosed && self.find_missing_brace(&mut block, &mut body, opened);
                    block.body = body;
                    if unclosed && !explained && !self.reported_unclosed {
                        self.reported_unclosed = true;
                        let keyword = self.text.get(block.keyword_span.range()).unwrap_or("block");
                        let id = block.id.as_ref().map(|id| id.name.as_str());
                        self.diagnostics.push(expected::unclosed(
                            self.file,
                            self.text,
                            keyword,
                            id,
                            block.keyword_span,
                        ));
                    }
                }
                other => unreachable!("invariant: a block declaration has no {other:?}"),
            }
        }
        (block, timing, has_body)
    }

    /// For a block left open to the end of the file (its `body` just lowered, `opened` just
    /// after its `{`): finds where its `}` was probably missing, reports it there and
    /// rebuilds the tree as the file with that `}` added would give, so the items read into
    /// the wrong block are not also reported as misplaced (E050). False when nothing points
    /// anywhere (the `}` then belongs after the block's last line).
    ///
    /// Two places, the earlier first: a block inside this one that holds a declaration at its
    /// own indentation (`project a {` left open, then `project b {` beneath it, in a
    /// programme: the `}` meant for the programme closed `a`), and a later item of this
    /// block's own body at its indentation (`project b` at column 1 after `project a {`).
    fn find_missing_brace(
        &mut self,
        block: &mut Block,
        body: &mut Vec<Attr>,
        opened: usize,
    ) -> bool {
        let split = self.unclosed_split(block, body);
        let limit = split.unwrap_or(body.len());
        let inner = body.iter().take(limit).enumerate().find_map(|(n, attr)| {
            let inner = attr_block(attr)?;
            // Only a block that was closed (by a `}` meant for this one); one left open was
            // reported when it was lowered.
            let closed = self
                .text
                .get(..inner.span.end as usize)
                .is_some_and(|t| t.ends_with('}'));
            let d = self.unclosed_split(inner, &inner.body)?;
            closed.then_some((n, d))
        });
        if let Some((n, d)) = inner {
            // With a `}` before the item `d` of block `n`: that item and the rest of `n`'s
            // body are this block's, the `}` that closed `n` closes this block, and what
            // followed it in this block belongs to the block around it.
            let after = body.split_off(n + 1);
            let Some(inner) = body.last_mut().and_then(attr_block_mut) else {
                unreachable!("invariant: item {n} was found to be a block");
            };
            let closed_at = inner.span.end;
            let tail = inner.body.split_off(d);
            let end = self.block_content_end(inner);
            inner.span.end = u32::try_from(end).unwrap_or(inner.span.end);
            let inner_header = (
                inner.keyword_span,
                inner.id.as_ref().map(|id| id.name.clone()),
            );
            if let Some(next) = tail.first() {
                self.report_missing_brace(inner_header, end, next);
            }
            body.extend(tail);
            block.span.end = closed_at;
            self.spilled.extend(after);
            return true;
        }
        let Some(split) = split else {
            return false;
        };
        // The block ends before the item at its indentation; that item and the rest go back
        // to where they were written. Each such place is a `}` of its own, so each is
        // reported, even where a block inside was too.
        let rest = body.split_off(split);
        let end = body.last().map_or(opened, |last| last.span().end as usize);
        block.span.end = u32::try_from(end).unwrap_or(block.span.end);
        if let Some(next) = rest.first() {
            let header = (
                block.keyword_span,
                block.id.as_ref().map(|id| id.name.clone()),
            );
            self.report_missing_brace(header, end, next);
        }
        self.spilled.extend(rest);
        true
    }

    /// E001 for a `}` missing at `end`, in the block whose keyword and id are `header`, before
    /// the item `next`.
    fn report_missing_brace(
        &mut self,
        (keyword_span, id): (Span, Option<CompactString>),
        end: usize,
        next: &Attr,
    ) {
        let keyword = self.text.get(keyword_span.range()).unwrap_or("block");
        self.diagnostics.push(expected::unclosed_before(
            self.file,
            self.text,
            (keyword, id.as_deref(), keyword_span),
            end,
            item_words(next),
        ));
    }

    /// Where a block's content ends: its last item, or its header (`{` is after it).
    fn block_content_end(&self, block: &Block) -> usize {
        let header = [
            Some(block.keyword_span.end),
            block.id.as_ref().map(|id| id.span.end),
            block.title.as_ref().map(|t| t.span.end),
        ];
        let header_end = header
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(block.keyword_span.end);
        // The `{` after the header, if it is there to be found.
        let brace = self
            .text
            .get(header_end as usize..block.span.end as usize)
            .and_then(|rest| rest.find('{'))
            .map_or(header_end as usize, |i| header_end as usize + i + 1);
        block
            .body
            .last()
            .map_or(brace, |last| last.span().end as usize)
    }

    /// Where a block left open to the end of the file probably ended: the first item of its
    /// body that starts a new item (a declaration, not an attribute) on a later line, at the
    /// indentation of the block's own line or less. `None` when there is none: then the block
    /// may really run to the end, and the `}` belongs after its last line.
    ///
    /// Only declarations count, so a body written without indentation is not cut at its first
    /// attribute; a declaration at the block's indentation is one that the formatter (and
    /// nearly everyone) would have indented had it been meant inside.
    fn unclosed_split(&self, block: &Block, body: &[Attr]) -> Option<usize> {
        let header = block.keyword_span.start as usize;
        let header_indent = line_indentation(self.text, header);
        // Found once, not per item, so a long body is not scanned again for each.
        let header_line_end = self
            .text
            .get(header..)
            .and_then(|rest| rest.find('\n'))
            .map_or(usize::MAX, |i| header + i);
        body.iter().position(|attr| {
            let start = attr.span().start as usize;
            starts_item(attr)
                && start > header_line_end
                && indentation(self.text, start).is_some_and(|indent| indent <= header_indent)
        })
    }

    fn milestone_timing(&mut self, pair: Pair<'t, Rule>) -> MilestoneTiming {
        let span = self.span(&pair);
        let mut children = pair.into_inner().skip(1);
        let value = next(&mut children, "milestone timing");
        match value.as_rule() {
            Rule::kw_start => MilestoneTiming::AtStart(span),
            Rule::kw_finish => MilestoneTiming::AtFinish(span),
            Rule::date => MilestoneTiming::On(self.literal(&value)),
            other => unreachable!("invariant: a milestone timing has no {other:?}"),
        }
    }

    fn dependency(&mut self, pair: Pair<'t, Rule>) -> Attr {
        let span = self.span(&pair);
        let mut finishes = false;
        let mut of_start = false;
        // The first target apart: most lines have only it, and then no Vec is allocated.
        let mut first = None;
        let mut rest = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::kw_finishes => finishes = true,
                Rule::kw_start => of_start = true,
                Rule::dependency_target => {
                    let target = self.dependency_target(child);
                    if first.is_none() {
                        first = Some(target);
                    } else {
                        rest.push(target);
                    }
                }
                _ => {}
            }
        }
        let Some(first) = first else {
            unreachable!("invariant: the grammar gives a dependency line a target")
        };
        // Most lines name one target, held in place; `new` sizes a longer list exactly (a
        // growing Vec kept room for four, a quarter of the peak memory of checking a large plan:
        // docs/benchmarks.md).
        Attr::Dependency {
            kind: DependencyKind::from_words(finishes, of_start),
            targets: DependencyTargets::new(first, rest),
            span,
        }
    }

    fn dependency_target(&mut self, pair: Pair<'t, Rule>) -> DependencyTarget {
        let mut children = pair.into_inner();
        let target = self.reference(next(&mut children, "dependency target"));
        let lag = children.next().map(|lag| {
            let lag_span = self.span(&lag);
            let mut parts = lag.into_inner();
            let negative = next(&mut parts, "lag sign").as_rule() == Rule::minus;
            let duration = self.duration_lit(next(&mut parts, "lag duration"));
            Lag {
                negative,
                duration,
                span: lag_span,
            }
        });
        DependencyTarget {
            target,
            lag: lag.map(Box::new),
        }
    }

    fn cost(&mut self, pair: Pair<'t, Rule>) -> Attr {
        let span = self.span(&pair);
        let mut children = pair.into_inner().skip(1);
        let kind = match next(&mut children, "cost kind").as_rule() {
            Rule::kw_capital => CostKind::Capital,
            Rule::kw_revenue => CostKind::Revenue,
            Rule::kw_one_off => CostKind::OneOff,
            other => {
                unreachable!("invariant: a cost is capital, revenue or one-off, not {other:?}")
            }
        };
        let amount = self.money(next(&mut children, "cost amount"));
        let timing = match kind {
            CostKind::Capital => match children.next() {
                Some(clause) if clause.as_rule() == Rule::money_range => {
                    CostTiming::Spread(Some(Box::new(self.money_range(clause))))
                }
                Some(timing) => self.capital_timing(timing),
                None => CostTiming::Spread(None),
            },
            CostKind::Revenue => {
                let (recurrence, _) =
                    self.recurrence(next(&mut children, "cost recurrence"), "cost revenue");
                CostTiming::Recurring(Box::new(recurrence))
            }
            CostKind::OneOff => {
                let when = children
                    .find(|p| p.as_rule() == Rule::when)
                    .map(|when| self.when(when));
                let Some(when) = when else {
                    unreachable!("invariant: the grammar gives `cost one-off` an `at` time")
                };
                CostTiming::At(Box::new(when))
            }
        };
        Attr::Cost {
            kind,
            amount,
            timing,
            span,
        }
    }

    /// What actually happened in a financial year: `spent capital|revenue £X in FY`,
    /// `realised saving £X in FY` and `realised benefit "What" £X in FY`.
    fn outturn(&mut self, inner: Pair<'t, Rule>, span: Span) -> Attr {
        let rule = inner.as_rule();
        let mut kind = BudgetKind::Capital;
        let mut benefit = None;
        let mut amount = None;
        let mut fy = None;
        for child in inner.into_inner() {
            match child.as_rule() {
                Rule::kw_revenue => kind = BudgetKind::Revenue,
                Rule::string => benefit = Some(Box::new(self.string(child))),
                Rule::money => amount = Some(Box::new(self.money(child))),
                Rule::financial_year => fy = Some(self.literal(&child)),
                _ => {}
            }
        }
        let (Some(amount), Some(fy)) = (amount, fy) else {
            unreachable!("invariant: the grammar gives `{rule:?}` an amount and a year")
        };
        match rule {
            Rule::spent => Attr::Spent {
                kind,
                amount,
                fy,
                span,
            },
            _ => Attr::Realised {
                benefit,
                amount,
                fy,
                span,
            },
        }
    }

    /// `at WHEN` (one payment) or `from WHEN to WHEN` (spread between) on a capital cost.
    fn capital_timing(&mut self, pair: Pair<'t, Rule>) -> CostTiming {
        let mut whens = children_of(pair, Rule::when);
        let first = self.when(next(&mut whens, "capital timing"));
        match whens.next() {
            Some(to) => CostTiming::Between(Box::new((first, self.when(to)))),
            None => CostTiming::At(Box::new(first)),
        }
    }

    /// `per year from WHEN` and its clauses. A clause given twice, or a `range` on anything but
    /// a saving, is an E001 that names the clause (the grammar accepts them in any order).
    fn recurrence(
        &mut self,
        pair: Pair<'t, Rule>,
        owner: &str,
    ) -> (Recurrence, Option<MoneyRange>) {
        let span = self.span(&pair);
        let mut from = None;
        let mut ramp: Option<DurationLit> = None;
        let mut period: Option<DurationLit> = None;
        let mut range: Option<MoneyRange> = None;
        for child in pair.into_inner() {
            let clause_span = self.span(&child);
            match child.as_rule() {
                Rule::when => from = Some(self.when(child)),
                Rule::ramp_clause => {
                    let value = self.duration_lit(second(child));
                    self.once(&mut ramp, value, "ramp", clause_span);
                }
                Rule::for_clause => {
                    let value = self.duration_lit(second(child));
                    self.once(&mut period, value, "for", clause_span);
                }
                Rule::money_range => {
                    let money_range = self.money_range(child);
                    if owner != "saving" {
                        // The grammar also takes a range on capital spread over the project
                        // (`cost capital £1.8m range £1.5m to £2.6m`), not here: say both.
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::E001SyntaxError,
                                clause_span,
                                format!("a `range` of amounts is allowed on a `saving` and on `cost capital`, not on a `{owner}`"),
                            )
                            .with_hint("remove the `range` clause"),
                        );
                    } else if range.is_some() {
                        self.twice("range", clause_span);
                    } else {
                        range = Some(money_range);
                    }
                }
                _ => {}
            }
        }
        let Some(from) = from else {
            unreachable!("invariant: the grammar gives `per year` a `from` time")
        };
        (
            Recurrence {
                from,
                ramp,
                period,
                span,
            },
            range,
        )
    }

    /// The `owner` and `measure` clauses at the end of a saving or benefit line (`line_meta`
    /// pairs); each at most once.
    fn line_meta(&mut self, pairs: Pairs<'t, Rule>) -> Option<Box<LineMeta>> {
        let mut meta = LineMeta::default();
        for pair in pairs {
            let clause = only_child(pair);
            let clause_span = self.span(&clause);
            let (slot, word) = match clause.as_rule() {
                Rule::meta_owner => (&mut meta.owner, "owner"),
                _ => (&mut meta.measure, "measure"),
            };
            let value = self.string(second(clause));
            if slot.is_some() {
                self.twice(word, clause_span);
            } else {
                *slot = Some(value);
            }
        }
        (meta != LineMeta::default()).then(|| Box::new(meta))
    }

    /// `money_range = { kw_range ~ money ~ kw_to ~ money }`.
    fn money_range(&mut self, pair: Pair<'t, Rule>) -> MoneyRange {
        let span = self.span(&pair);
        let mut amounts = children_of(pair, Rule::money);
        let low = self.money(next(&mut amounts, "range low"));
        let high = self.money(next(&mut amounts, "range high"));
        MoneyRange { low, high, span }
    }

    /// Fills `slot` with the value of a clause, or says the clause is given twice.
    fn once<T>(&mut self, slot: &mut Option<T>, value: T, clause: &str, span: Span) {
        if slot.is_some() {
            self.twice(clause, span);
        } else {
            *slot = Some(value);
        }
    }

    fn twice(&mut self, clause: &str, span: Span) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::E001SyntaxError,
                span,
                format!("`{clause}` is given twice on one line"),
            )
            .with_hint(format!("keep one `{clause}` clause")),
        );
    }

    fn when(&mut self, pair: Pair<'t, Rule>) -> When {
        let value = only_child(pair);
        match value.as_rule() {
            Rule::kw_start => When::Start(self.span(&value)),
            Rule::kw_finish => When::Finish(self.span(&value)),
            Rule::date => When::Date(self.literal(&value)),
            Rule::reference => When::Milestone(self.reference(value)),
            other => unreachable!("invariant: a `when` has no {other:?}"),
        }
    }

    fn duration_range(&mut self, pair: Pair<'t, Rule>) -> (DurationLit, DurationLit) {
        let mut children = pair.into_inner().skip(1);
        let low = next(&mut children, "range low");
        let high = self.duration_lit(children.nth(1).unwrap_or_else(|| {
            unreachable!("invariant: the grammar gives a duration range a high end")
        }));
        let low = if low.as_rule() == Rule::number {
            // `range 10 to 20 months`: the low end takes the high end's unit. `unit_text` is
            // empty because no unit was written, so `fmt` prints the number alone.
            DurationLit {
                number: CompactString::from(low.as_str()),
                unit: high.unit,
                spelling: UnitSpelling::Omitted,
                span: self.span(&low),
            }
        } else {
            self.duration_lit(low)
        };
        (low, high)
    }

    fn duration_lit(&self, pair: Pair<'t, Rule>) -> DurationLit {
        let span = self.span(&pair);
        let mut children = pair.into_inner();
        // The number comes first, as written: `DurationLit::number_span` relies on it.
        let number = CompactString::from(next(&mut children, "duration number").as_str());
        let unit_pair = next(&mut children, "duration unit");
        let unit_text = unit_pair.as_str();
        let Some((unit, spelling)) = duration_unit(unit_text) else {
            unreachable!("invariant: the grammar accepts only units of time, not {unit_text:?}")
        };
        DurationLit {
            number,
            unit,
            spelling,
            span,
        }
    }

    fn money(&self, pair: Pair<'t, Rule>) -> MoneyLit {
        let span = self.span(&pair);
        let mut children = pair.into_inner();
        let symbol = next(&mut children, "currency symbol").as_str();
        let Some(currency) = CurrencySymbol::from_text(symbol) else {
            unreachable!("invariant: the grammar accepts only `£`, `$` and `€`, not {symbol:?}")
        };
        let amount = next(&mut children, "amount").as_str().to_string();
        MoneyLit {
            currency,
            amount: CompactString::from(amount),
            span,
        }
    }

    /// A percentage as a literal without its `%`, spanning the whole `3.5%`.
    fn percent(&self, pair: Pair<'t, Rule>) -> Literal {
        let span = self.span(&pair);
        let number = next(&mut pair.into_inner(), "percentage number");
        Literal {
            text: CompactString::from(number.as_str().to_string()),
            span,
        }
    }

    /// The children of `pair` that are `rule`s (`ident`, `lint_code`), as names.
    fn idents(&self, pair: Pair<'t, Rule>, rule: Rule) -> Vec<Ident> {
        children_of(pair, rule).map(|p| self.ident(&p)).collect()
    }

    fn reference(&self, pair: Pair<'t, Rule>) -> Reference {
        let mut parts = children_of(pair, Rule::ident).map(|p| self.ident(&p));
        let Some(first) = parts.next() else {
            unreachable!("invariant: the grammar gives a reference a name")
        };
        Reference::new(first, parts.next())
    }

    /// E001 at each control character in a string (C0 but tab, DEL, C1): titles, owners and
    /// reasons reach terminals, spreadsheets and web pages, where `ESC[2K` or a BEL would act
    /// rather than show (issue 25). Refused here, once, rather than escaped in every output.
    fn control_characters(&mut self, raw: &str, raw_start: usize) {
        for (i, c) in raw
            .char_indices()
            .filter(|&(_, c)| c.is_control() && c != '\t')
        {
            let at = Span::new(self.file, raw_start + i, raw_start + i + c.len_utf8());
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E001SyntaxError,
                    at,
                    format!("a control character (U+{:04X}) in text", u32::from(c)),
                )
                .with_hint(
                    "remove it: text is shown in terminals, spreadsheets and web pages, where a control character acts instead of showing",
                ),
            );
        }
    }

    /// A string with its escapes resolved; an unknown escape is an E001 (and kept as written).
    fn string(&mut self, pair: Pair<'t, Rule>) -> Str {
        let span = self.span(&pair);
        let raw = pair.into_inner().find(|p| p.as_rule() == Rule::string_text);
        let (raw, raw_start) = match &raw {
            Some(p) => (p.as_str(), self.offset + p.as_span().start()),
            None => ("", span.start as usize),
        };
        self.control_characters(raw, raw_start);
        if !raw.contains('\\') {
            return Str {
                value: CompactString::from(raw),
                span,
            };
        }
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, escaped @ ('"' | '\\'))) => value.push(escaped),
                Some((j, other)) => {
                    let at = Span::new(self.file, raw_start + i, raw_start + j + other.len_utf8());
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::E001SyntaxError,
                            at,
                            format!("unknown escape `\\{other}` in text"),
                        )
                        .with_hint(format!(
                            "only `\\\"` (a quote) and `\\\\` (a backslash) are escapes; \
                             write `\\\\{other}` for a backslash followed by `{other}`"
                        )),
                    );
                    value.push('\\');
                    value.push(other);
                }
                None => value.push('\\'),
            }
        }
        Str {
            value: CompactString::from(value),
            span,
        }
    }

    fn ident(&self, pair: &Pair<'t, Rule>) -> Ident {
        Ident {
            name: CompactString::from(pair.as_str().to_string()),
            span: self.span(pair),
        }
    }

    fn literal(&self, pair: &Pair<'t, Rule>) -> Literal {
        Literal {
            text: CompactString::from(pair.as_str().to_string()),
            span: self.span(pair),
        }
    }

    /// The pair's span without trailing whitespace or comments. pest's span of a rule that ends
    /// in an optional part includes the whitespace (and comments) skipped before trying it.
    fn span(&self, pair: &Pair<'t, Rule>) -> Span {
        let span = pair.as_span();
        let (start, end) = (self.offset + span.start(), self.offset + span.end());
        Span::new(self.file, start, trim_end(self.text, start, end))
    }
}

/// The end of `text[start..end]` without trailing whitespace and comments.
///
/// The skipped tail holds only whitespace and comments, and the grammar's skipping is greedy,
/// so a span that ends on a non-space byte before the end of the text already ends on a token.
/// Otherwise trailing space is dropped, and a comment on the last line found by a string-aware
/// scan of that line (strings never span lines, so a line start is never inside one).
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    if end < text.len() && end > start && bytes.get(end - 1).is_some_and(|&b| !is_space(b)) {
        return end;
    }
    let mut end = end;
    loop {
        while end > start && bytes.get(end - 1).is_some_and(|&b| is_space(b)) {
            end -= 1;
        }
        let line_start = bytes
            .get(start..end)
            .and_then(|line| line.iter().rposition(|&b| b == b'\n' || b == b'\r'))
            .map_or(start, |i| start + i + 1);
        let mut comment = None;
        scan::scan(text.get(..end).unwrap_or_default(), line_start, |token| {
            if let scan::Token::Comment { start, .. } = token {
                comment.get_or_insert(start);
            }
        });
        match comment {
            Some(at) if at > start => end = at,
            _ => return end,
        }
    }
}

/// The next child, which the grammar guarantees.
fn next<'i>(children: &mut impl Iterator<Item = Pair<'i, Rule>>, what: &str) -> Pair<'i, Rule> {
    match children.next() {
        Some(pair) => pair,
        None => unreachable!("invariant: the grammar guarantees a {what}"),
    }
}

/// The children of `pair` that are `rule`s.
fn children_of(pair: Pair<'_, Rule>, rule: Rule) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(move |p| p.as_rule() == rule)
}

/// The one child of a wrapper rule (`attr`, `when`).
fn only_child(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    let rule = pair.as_rule();
    match pair.into_inner().next() {
        Some(child) => child,
        None => unreachable!("invariant: {rule:?} wraps exactly one rule"),
    }
}

/// The value after an attribute's keyword (`date` in `start 2020-04-01`).
fn second(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    let rule = pair.as_rule();
    match pair.into_inner().nth(1) {
        Some(child) => child,
        None => unreachable!("invariant: {rule:?} has a value after its keyword"),
    }
}

/// A month from its name, which the grammar has already accepted.
fn month(name: &str) -> MonthName {
    MonthName::from_word(name).unwrap_or_else(|| {
        unreachable!("invariant: the grammar accepts only month names, not {name:?}")
    })
}

/// A weekday from its name, which the grammar has already accepted.
fn weekday(name: &str) -> Weekday {
    Weekday::from_word(name).unwrap_or_else(|| {
        unreachable!("invariant: the grammar accepts only day names, not {name:?}")
    })
}

/// Whether an attribute is an item of its own (a declaration that may stand at the top level),
/// for [`Lower::unclosed_split`]. `mitigation` and `change` only live inside a block.
fn starts_item(attr: &Attr) -> bool {
    match attr {
        Attr::Mitigation(_) | Attr::Change(_) => false,
        // A theme with a title declares one; `calendar id` without a body is no block.
        Attr::Theme { .. } | Attr::Include { .. } | Attr::Criteria(..) => true,
        other => attr_block(other).is_some(),
    }
}

/// "the project `b`" and where it starts, for the E001 of a block it was read into.
fn item_words(attr: &Attr) -> (String, Span) {
    let (id, keyword_span) = match (attr_block(attr), attr) {
        (Some(block), _) => (block.id.as_ref(), block.keyword_span),
        // The keyword as written starts these: `theme`, `include`, `criteria`.
        (None, Attr::Theme { id, span, .. }) => (Some(id), keyword_only(*span, attr.keyword())),
        (None, other) => (None, keyword_only(other.span(), other.keyword())),
    };
    let keyword = attr.keyword();
    let words = match id {
        Some(id) => format!("the {keyword} `{}`", id.name),
        None => format!("`{keyword}`"),
    };
    (words, keyword_span)
}

/// How far `pos` is indented: the bytes of spaces and tabs before it on its line, or `None`
/// when something else stands before it there (it does not start its line).
fn indentation(text: &str, pos: usize) -> Option<usize> {
    let before = text.get(..pos)?;
    let line = before.rsplit(['\n', '\r']).next().unwrap_or_default();
    let first = line.find(|c: char| c != ' ' && c != '\t');
    match first {
        None => Some(line.len()),
        Some(_) => None,
    }
}

/// The bytes of spaces and tabs that begin the line `pos` is on.
fn line_indentation(text: &str, pos: usize) -> usize {
    let before = text.get(..pos).unwrap_or_default();
    let line = before.rsplit(['\n', '\r']).next().unwrap_or_default();
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The first `keyword.len()` bytes of `span`, or the whole span if it is shorter.
fn keyword_only(span: Span, keyword: &str) -> Span {
    let end = span
        .start
        .saturating_add(u32::try_from(keyword.len()).unwrap_or(0))
        .min(span.end);
    Span { end, ..span }
}

/// The boxed block of a declaration with a body, if `$attr` (a reference, shared or not) is
/// one: one list of such declarations for [`attr_block`] and [`attr_block_mut`].
macro_rules! block_of {
    ($attr:expr) => {
        match $attr {
            // Work and the blocks around it.
            Attr::Programme(b)
            | Attr::Project(b)
            | Attr::Milestone { block: b, .. }
            // Settings and resources.
            | Attr::Portfolio(b)
            | Attr::Calendar(b)
            | Attr::Team(b)
            // The RAID log, and scenarios.
            | Attr::Raid { block: b, .. }
            | Attr::Mitigation(b)
            | Attr::Scenario(b)
            | Attr::Change(b) => Some(b),
            _ => None,
        }
    };
}

/// The block of a declaration with a body, if `attr` is one.
fn attr_block(attr: &Attr) -> Option<&Block> {
    block_of!(attr).map(|b| &**b)
}

/// [`attr_block`], to change.
fn attr_block_mut(attr: &mut Attr) -> Option<&mut Block> {
    block_of!(attr).map(|b| &mut **b)
}

#[cfg(test)]
mod tests {
    use super::trim_end;

    #[test]
    fn trim_end_drops_trailing_space_and_comments_but_not_strings() {
        let cases = [
            ("duration 3 months", "duration 3 months"),
            ("duration 3 months   \n  ", "duration 3 months"),
            ("duration 3 months # note\n  # more\n", "duration 3 months"),
            ("owner \"a # b\"  # c", "owner \"a # b\""),
            ("owner \"a \\\" # b\"\t", "owner \"a \\\" # b\""),
        ];
        for (text, kept) in cases {
            // At the end of the file, and followed by another line (pest's skipping takes the
            // line end too): both trimmed the same way.
            let followed = format!("{text}\nx");
            assert_eq!(&text[..trim_end(text, 0, text.len())], kept, "{text:?}");
            assert_eq!(
                &followed[..trim_end(&followed, 0, text.len() + 1)],
                kept,
                "{text:?}"
            );
        }
    }
}
