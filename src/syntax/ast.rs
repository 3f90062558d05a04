//! The abstract syntax tree: what the author wrote, with spans, before any checking.
//!
//! The grammar is deliberately permissive about *where* an attribute may appear: every block
//! (portfolio, programme, project, milestone, calendar) holds a list of [`Attr`]s, and
//! `model::validate` decides what belongs where. That way `duration 2 weeks` inside a
//! milestone is a located, explained error (E047) rather than a bare syntax error.
//!
//! Literals (dates, money, percentages, numbers) are kept as the text the author wrote, with
//! their span; the model converts them (and reports impossible dates, malformed amounts).
//! `fmt` prints them back as written, so formatting never changes a figure's spelling.

// Literals and ids are short (`p12`, `£120k`, `2025-04-01`): a `CompactString` holds up to 24
// bytes in place, so a plan's hundreds of thousands of them cost no allocation each.
use compact_str::CompactString;

use crate::diagnostic::Span;

/// One parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub items: Vec<Attr>,
    /// Every `#` comment in the file, in order, for `fmt`. The parser itself ignores them.
    pub comments: Vec<Comment>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment's text including the leading `#`, without the line ending.
    pub text: CompactString,
    pub span: Span,
}

/// A name as written: `case-system`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: CompactString,
    pub span: Span,
}

/// A reference to an item: `case-system` or `case-system.go-live`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// One part (`case-system`) or two (`case-system`, `go-live`).
    pub parts: Vec<Ident>,
    pub span: Span,
}

/// A double-quoted string with its escapes (`\"`, `\\`) already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: CompactString,
    pub span: Span,
}

/// A literal kept as written: a date `2021-02-30`, an amount `£1.8m` (text without the
/// symbol in `text`, the symbol in `currency`), a percentage `3.5` (without `%`), a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub text: CompactString,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyLit {
    /// The currency symbol as written: `£`, `$`, `€`.
    pub currency: CompactString,
    /// The amount as written after the symbol: `1.8m`, `12,500`, `99.50`.
    pub amount: CompactString,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Days,
    Weeks,
    Months,
    Years,
}

/// `14 months`, `2 weeks`, `3d`. `number` is the text of the number (it may have a decimal
/// part: `1.5 weeks`); `unit_text` is the unit as written (`months`, `mo`), for `fmt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationLit {
    pub number: Literal,
    pub unit: DurationUnit,
    pub unit_text: CompactString,
    pub span: Span,
}

/// The four dependency kinds, named by what the successor waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DependencyKind {
    /// `after X`: finish-to-start.
    FinishToStart,
    /// `after start of X`: start-to-start.
    StartToStart,
    /// `finishes after X`: finish-to-finish.
    FinishToFinish,
    /// `finishes after start of X`: start-to-finish.
    StartToFinish,
}

/// `+ 2 weeks` (a lag) or `- 1 week` (a lead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lag {
    pub negative: bool,
    pub duration: DurationLit,
    pub span: Span,
}

/// One target of a dependency line, with its own optional lag: `after a + 2 weeks, b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyTarget {
    pub target: Reference,
    /// Boxed: most links have no lag, and a plan has hundreds of thousands of links.
    pub lag: Option<Box<Lag>>,
    pub span: Span,
}

/// When a money line starts or happens: `start`, `finish`, a date, or a milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Start(Span),
    Finish(Span),
    Date(Literal),
    Milestone(Reference),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CostKind {
    Capital,
    Revenue,
    OneOff,
}

/// `range LOW to HIGH` on a saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyRange {
    pub low: MoneyLit,
    pub high: MoneyLit,
    pub span: Span,
}

/// A recurring amount's timing: `per year from WHEN [ramp N months] [for N years]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub from: When,
    pub ramp: Option<DurationLit>,
    pub period: Option<DurationLit>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MonthName {
    January,
    February,
    March,
    April,
    May,
    June,
    July,
    August,
    September,
    October,
    November,
    December,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetKind {
    Capital,
    Revenue,
}

/// How a milestone is timed on its declaration line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MilestoneTiming {
    /// `at start`: the start of the enclosing project.
    AtStart(Span),
    /// `at finish`: the finish of the enclosing project.
    AtFinish(Span),
    /// `on 2021-10-04`: a fixed date.
    On(Literal),
}

/// An item or attribute in a block. See the module doc for why this is one enum.
///
/// The large, rarer parts (blocks, recurrences, ranges, RAG thresholds, settings' amounts) are
/// boxed: every attribute of a plan is an `Attr`, and at 448 bytes, then 168, they were most of
/// the memory of checking a plan of 100,000 projects (docs/benchmarks.md); a size test in this
/// module keeps them small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr {
    // Items.
    Portfolio(Box<Block>),
    Calendar(Box<Block>),
    Theme {
        id: Ident,
        title: Str,
        span: Span,
    },
    Programme(Box<Block>),
    Project(Box<Block>),
    Milestone {
        block: Box<Block>,
        timing: Option<MilestoneTiming>,
    },
    Include {
        path: Str,
        span: Span,
    },

    // Portfolio settings.
    Start(Literal, Span),
    End(Literal, Span),
    StatusDate(Literal, Span),
    Currency(Ident, Span),
    DiscountRate(Literal, Span),
    FinancialYearStart(MonthName, Span),
    /// `target savings £1.2m in 2022/23`; `fy` is the financial year as written.
    TargetSavings {
        amount: Box<MoneyLit>,
        fy: Literal,
        span: Span,
    },
    /// `budget capital £2.5m in 2021/22`.
    Budget {
        kind: BudgetKind,
        amount: Box<MoneyLit>,
        fy: Literal,
        span: Span,
    },
    /// `rag amber 10 days red 30 days`.
    Rag {
        amber: Box<DurationLit>,
        red: Box<DurationLit>,
        span: Span,
    },
    /// `risk distribution triangular`: the name as written (the validator checks it).
    RiskDistribution(Ident, Span),
    /// `lint high-float 44 days`: the lint's name as written and its threshold.
    Lint {
        name: Ident,
        value: Box<LintValue>,
        span: Span,
    },
    /// `allow W107, W102` (portfolio block or project): the codes as written, each with its span.
    Allow(Vec<Ident>, Span),
    /// `optimism-bias capital 24%` (the percentage as written, without `%`).
    OptimismBias(Literal, Span),

    // Calendar attributes.
    BasedOn(Ident, Span),
    /// `closed 2020-12-24 to 2021-01-01 "Christmas closure"` or `closed 2021-05-03 "why"`.
    Closed {
        from: Literal,
        to: Option<Literal>,
        reason: Option<Box<Str>>,
        span: Span,
    },
    Weekend(Vec<Weekday>, Span),

    // Project and milestone attributes.
    Duration {
        duration: DurationLit,
        range: Option<Box<(DurationLit, DurationLit)>>,
        span: Span,
    },
    Dependency {
        kind: DependencyKind,
        targets: Vec<DependencyTarget>,
        span: Span,
    },
    NotBefore(Literal, Span),
    Deadline(Literal, Span),
    Cost {
        kind: CostKind,
        amount: MoneyLit,
        timing: CostTiming,
        span: Span,
    },
    Saving {
        amount: MoneyLit,
        recurrence: Box<Recurrence>,
        range: Option<Box<MoneyRange>>,
        span: Span,
    },
    Benefit {
        label: Box<Str>,
        amount: MoneyLit,
        recurrence: Box<Recurrence>,
        span: Span,
    },
    ActualStart(Literal, Span),
    ActualFinish(Literal, Span),
    Complete(Literal, Span),
    /// `baseline 2020-06-01 to 2021-08-31`; a milestone may give one date: `baseline 2021-10-04`.
    Baseline {
        start: Literal,
        finish: Option<Literal>,
        span: Span,
    },

    // Shared descriptive attributes. `Calendar` in a project or portfolio names a calendar;
    // `calendar id { ... }` with a block declares one (the `Calendar(Block)` item above).
    Owner(Str, Span),
    ThemeRef(Ident, Span),
    Tags(Vec<Ident>, Span),
    Description(Str, Span),
    CalendarRef(Ident, Span),
}

/// A lint threshold: working time (`44 days`) or a share (`10%`, the number without its `%`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintValue {
    Duration(DurationLit),
    Percent(Literal),
}

/// How a cost line is timed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostTiming {
    /// `cost capital £120k`: spread over the project's working days.
    Spread,
    /// `cost revenue £120k per year from finish [for 3 years]`.
    Recurring(Box<Recurrence>),
    /// `cost one-off £20k at start`.
    At(Box<When>),
}

/// A declaration with an id, an optional title and a `{ … }` body (possibly absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// `portfolio` has no id; every other block has one.
    pub id: Option<Ident>,
    pub title: Option<Str>,
    pub body: Vec<Attr>,
    /// The keyword (`project`, `programme`, …), for messages that point at a declaration.
    pub keyword_span: Span,
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
}

impl Attr {
    /// The span of the whole attribute or item.
    pub fn span(&self) -> Span {
        match self {
            Attr::Portfolio(b) | Attr::Calendar(b) | Attr::Programme(b) | Attr::Project(b) => {
                b.span
            }
            Attr::Milestone { block, .. } => block.span,
            Attr::Theme { span, .. }
            | Attr::Include { span, .. }
            | Attr::Start(_, span)
            | Attr::End(_, span)
            | Attr::StatusDate(_, span)
            | Attr::Currency(_, span)
            | Attr::DiscountRate(_, span)
            | Attr::FinancialYearStart(_, span)
            | Attr::TargetSavings { span, .. }
            | Attr::Budget { span, .. }
            | Attr::Rag { span, .. }
            | Attr::RiskDistribution(_, span)
            | Attr::Lint { span, .. }
            | Attr::Allow(_, span)
            | Attr::OptimismBias(_, span)
            | Attr::BasedOn(_, span)
            | Attr::Closed { span, .. }
            | Attr::Weekend(_, span)
            | Attr::Duration { span, .. }
            | Attr::Dependency { span, .. }
            | Attr::NotBefore(_, span)
            | Attr::Deadline(_, span)
            | Attr::Cost { span, .. }
            | Attr::Saving { span, .. }
            | Attr::Benefit { span, .. }
            | Attr::ActualStart(_, span)
            | Attr::ActualFinish(_, span)
            | Attr::Complete(_, span)
            | Attr::Baseline { span, .. }
            | Attr::Owner(_, span)
            | Attr::ThemeRef(_, span)
            | Attr::Tags(_, span)
            | Attr::Description(_, span)
            | Attr::CalendarRef(_, span) => *span,
        }
    }

    /// The keyword that introduces this attribute, as users write it; used in messages such as
    /// "`duration` is not allowed in a milestone".
    pub fn keyword(&self) -> &'static str {
        match self {
            Attr::Portfolio(_) => "portfolio",
            Attr::Calendar(_) | Attr::CalendarRef(..) => "calendar",
            Attr::Theme { .. } | Attr::ThemeRef(..) => "theme",
            Attr::Programme(_) => "programme",
            Attr::Project(_) => "project",
            Attr::Milestone { .. } => "milestone",
            Attr::Include { .. } => "include",
            Attr::Start(..) => "start",
            Attr::End(..) => "end",
            Attr::StatusDate(..) => "status-date",
            Attr::Currency(..) => "currency",
            Attr::DiscountRate(..) => "discount-rate",
            Attr::FinancialYearStart(..) => "financial-year-start",
            Attr::TargetSavings { .. } => "target",
            Attr::Budget { .. } => "budget",
            Attr::Rag { .. } => "rag",
            Attr::RiskDistribution(..) => "risk distribution",
            Attr::Lint { .. } => "lint",
            Attr::Allow(..) => "allow",
            Attr::OptimismBias(..) => "optimism-bias",
            Attr::BasedOn(..) => "based-on",
            Attr::Closed { .. } => "closed",
            Attr::Weekend(..) => "weekend",
            Attr::Duration { .. } => "duration",
            Attr::Dependency { kind, .. } => match kind {
                DependencyKind::FinishToStart | DependencyKind::StartToStart => "after",
                DependencyKind::FinishToFinish | DependencyKind::StartToFinish => "finishes after",
            },
            Attr::NotBefore(..) => "not-before",
            Attr::Deadline(..) => "deadline",
            Attr::Cost { .. } => "cost",
            Attr::Saving { .. } => "saving",
            Attr::Benefit { .. } => "benefit",
            Attr::ActualStart(..) => "actual-start",
            Attr::ActualFinish(..) => "actual-finish",
            Attr::Complete(..) => "complete",
            Attr::Baseline { .. } => "baseline",
            Attr::Owner(..) => "owner",
            Attr::Tags(..) => "tags",
            Attr::Description(..) => "description",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_stay_small() {
        // The largest variants left are a duration and a closure (two literals each); it was
        // 448 bytes, then 168.
        assert!(
            std::mem::size_of::<Attr>() <= 104,
            "Attr is {} bytes",
            std::mem::size_of::<Attr>()
        );
    }
}
