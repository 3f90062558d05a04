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

use crate::diagnostic::{FileId, Span};
use crate::money::Money;

/// The span of a node built by a program rather than parsed from text: `tranche import` builds
/// its plan as a tree and prints it with [`crate::fmt::format_tree`], which reads no span. It
/// points at no place: its file is one no `SourceMap` hands out (they count up from 0), so a
/// diagnostic given it by mistake cannot point at the first byte of a real file, as
/// `Span::default()` would.
pub const NOWHERE: Span = Span {
    file: FileId(u32::MAX),
    start: 0,
    end: 0,
};

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

impl Ident {
    /// A name built by a program, placed [`NOWHERE`].
    pub fn unplaced(name: &str) -> Ident {
        Ident {
            name: CompactString::from(name),
            span: NOWHERE,
        }
    }
}

/// A reference to an item: `case-system` or `case-system.go-live`.
///
/// Its span is not stored: the grammar allows nothing between the parts, so it runs from the
/// first part's start to the last part's end ([`Reference::span`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Reference {
    parts: ReferenceParts,
}

/// Nearly every reference has one part: it is held in place, and only the rare two-part
/// reference (a milestone of another project) costs a heap block. A `Vec` cost one for each of
/// a plan's hundreds of thousands of dependency targets.
#[derive(Clone, PartialEq, Eq)]
enum ReferenceParts {
    One(Ident),
    Two(Box<[Ident; 2]>),
}

impl Reference {
    /// `first` or `first.second`, written with nothing but the `.` between them.
    pub fn new(first: Ident, second: Option<Ident>) -> Reference {
        let parts = match second {
            None => ReferenceParts::One(first),
            Some(second) => ReferenceParts::Two(Box::new([first, second])),
        };
        Reference { parts }
    }

    /// The whole reference, first part to last.
    pub fn span(&self) -> Span {
        match &self.parts {
            ReferenceParts::One(one) => one.span,
            ReferenceParts::Two(two) => {
                let [first, second] = two.as_ref();
                Span {
                    end: second.span.end,
                    ..first.span
                }
            }
        }
    }

    /// One part (`case-system`) or two (`case-system`, `go-live`).
    pub fn parts(&self) -> &[Ident] {
        match &self.parts {
            ReferenceParts::One(one) => std::slice::from_ref(one),
            ReferenceParts::Two(two) => two.as_slice(),
        }
    }
}

// Written by hand to print the parts as a list, as when they were a `Vec`: the syntax tests'
// snapshots show the tree, and its shape has not changed.
impl std::fmt::Debug for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reference")
            .field("parts", &self.parts())
            .field("span", &self.span())
            .finish()
    }
}

/// `owner "Who" measure "What"` at the end of a `saving` or `benefit` line: who answers for it
/// and what is counted to show it was realised (the benefits register). Either may be absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineMeta {
    pub owner: Option<Str>,
    pub measure: Option<Str>,
}

/// A double-quoted string with its escapes (`\"`, `\\`) already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: CompactString,
    pub span: Span,
}

impl Str {
    /// A string built by a program, placed [`NOWHERE`]: `value` is the text itself, unescaped
    /// (the printer escapes it).
    pub fn unplaced(value: &str) -> Str {
        Str {
            value: CompactString::from(value),
            span: NOWHERE,
        }
    }
}

/// A literal kept as written: a date `2021-02-30`, an amount `£1.8m` (text without the
/// symbol in `text`, the symbol in `currency`), a percentage `3.5` (without `%`), a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub text: CompactString,
    pub span: Span,
}

impl Literal {
    /// A literal built by a program, placed [`NOWHERE`]: `text` as it is to be written (a
    /// percentage without its `%`).
    pub fn unplaced(text: &str) -> Literal {
        Literal {
            text: CompactString::from(text),
            span: NOWHERE,
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct MoneyLit {
    /// The currency symbol as written: `£`, `$`, `€`.
    pub currency: CurrencySymbol,
    /// The amount as written after the symbol: `1.8m`, `12,500`, `99.50`.
    pub amount: CompactString,
    pub span: Span,
}

impl MoneyLit {
    /// An exact amount built by a program, placed [`NOWHERE`]: pounds in full with their
    /// thousands grouped, and pence only when there are some (`£1,800,000`, `£120,000.50`), so
    /// it reads back as the same [`Money`] to the penny. `amount` is not negative: a literal
    /// has no sign (and a negative one would be refused when the plan is checked).
    pub fn exact(currency: CurrencySymbol, amount: Money) -> MoneyLit {
        // Money's display is the grouping, with two decimals and `£`: `£1,800,000.00`.
        let shown = amount.to_string();
        let shown = shown.strip_prefix('£').unwrap_or(&shown);
        MoneyLit {
            currency,
            amount: CompactString::from(shown.strip_suffix(".00").unwrap_or(shown)),
            span: NOWHERE,
        }
    }
}

// Written by hand to print the symbol as the text it was before it became a byte, so the
// syntax tests' snapshots of the tree stay as they were.
impl std::fmt::Debug for MoneyLit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MoneyLit")
            .field("currency", &self.currency.as_str())
            .field("amount", &self.amount)
            .field("span", &self.span)
            .finish()
    }
}

/// The grammar's `currency_symbol`: one of three, so a byte rather than a string per amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CurrencySymbol {
    Pound,
    Dollar,
    Euro,
}

impl CurrencySymbol {
    /// The symbol for its text, `£`, `$` or `€`; `None` for anything else.
    pub fn from_text(text: &str) -> Option<CurrencySymbol> {
        match text {
            "£" => Some(CurrencySymbol::Pound),
            "$" => Some(CurrencySymbol::Dollar),
            "€" => Some(CurrencySymbol::Euro),
            _ => None,
        }
    }

    /// The symbol as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CurrencySymbol::Pound => "£",
            CurrencySymbol::Dollar => "$",
            CurrencySymbol::Euro => "€",
        }
    }
}

impl std::fmt::Display for CurrencySymbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Days,
    Weeks,
    Months,
    Years,
}

/// Which of its spellings a unit was written in: the grammar's `duration_unit` has three for
/// each unit (`months`, `month`, `mo`), and `range 10 to 20 months` leaves the low end's out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitSpelling {
    /// `days`, `weeks`, `months`, `years`.
    Plural,
    /// `day`, `week`, `month`, `year`.
    Singular,
    /// `d`, `w`, `mo`, `y`.
    Short,
    /// No unit written: the low end of `range 10 to 20 months`.
    Omitted,
}

/// A unit word of the grammar's `duration_unit`, with the spelling it was written in; `None`
/// for any other word. It takes a whole word: the grammar's list puts each longer spelling
/// before its prefixes, so a whole word in it is the alternative pest picks.
pub fn duration_unit(word: &str) -> Option<(DurationUnit, UnitSpelling)> {
    UNIT_WORDS
        .iter()
        .find(|(spelt, ..)| *spelt == word)
        .map(|&(_, unit, spelling)| (unit, spelling))
}

/// Every spelling of every unit: what `duration_unit` reads and `DurationLit::unit_text`
/// writes back.
const UNIT_WORDS: [(&str, DurationUnit, UnitSpelling); 12] = {
    use DurationUnit::*;
    use UnitSpelling::*;
    [
        ("days", Days, Plural),
        ("day", Days, Singular),
        ("d", Days, Short),
        ("weeks", Weeks, Plural),
        ("week", Weeks, Singular),
        ("w", Weeks, Short),
        ("months", Months, Plural),
        ("month", Months, Singular),
        ("mo", Months, Short),
        ("years", Years, Plural),
        ("year", Years, Singular),
        ("y", Years, Short),
    ]
};

/// `14 months`, `2 weeks`, `3d`. `number` is the text of the number (it may have a decimal
/// part: `1.5 weeks`); `spelling` says how the unit was written (`months`, `mo`), for `fmt`.
///
/// The number is the literal's first token and is kept as written, so its span is not stored:
/// [`DurationLit::number_span`] is the literal's start plus the number's length. (With its own
/// span and the unit as a string this was 80 bytes, in every duration, lag and recurrence.)
#[derive(Clone, PartialEq, Eq)]
pub struct DurationLit {
    pub number: CompactString,
    pub unit: DurationUnit,
    pub spelling: UnitSpelling,
    pub span: Span,
}

impl DurationLit {
    /// `days` working days built by a program, placed [`NOWHERE`], in the largest unit that
    /// holds them whole (a week is 5 working days, a month 20): `7 months`, `3 weeks`,
    /// `4 days`, `1 day`, `0 days`.
    pub fn working_days(days: u64) -> DurationLit {
        let (count, unit) = match days {
            0 => (0, DurationUnit::Days),
            n if n % 20 == 0 => (n / 20, DurationUnit::Months),
            n if n % 5 == 0 => (n / 5, DurationUnit::Weeks),
            n => (n, DurationUnit::Days),
        };
        let spelling = if count == 1 {
            UnitSpelling::Singular
        } else {
            UnitSpelling::Plural
        };
        DurationLit {
            number: CompactString::from(count.to_string()),
            unit,
            spelling,
            span: NOWHERE,
        }
    }

    /// Where the number is: the start of the literal, for as many bytes as it has.
    pub fn number_span(&self) -> Span {
        let len = u32::try_from(self.number.len())
            .unwrap_or_else(|_| panic!("invariant: a number in a file fits in u32 bytes"));
        Span {
            end: self.span.start + len,
            ..self.span
        }
    }

    /// The unit as written (`months`, `mo`), or `""` if the author left it to the high end of
    /// a range.
    pub fn unit_text(&self) -> &'static str {
        UNIT_WORDS
            .iter()
            .find(|&&(_, unit, spelling)| (unit, spelling) == (self.unit, self.spelling))
            .map_or("", |(spelt, ..)| spelt)
    }
}

// Written by hand to print the number as the literal it was (text and span) and the unit as
// written, so the syntax tests' snapshots of the tree stay as they were.
impl std::fmt::Debug for DurationLit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let number = Literal {
            text: self.number.clone(),
            span: self.number_span(),
        };
        f.debug_struct("DurationLit")
            .field("number", &number)
            .field("unit", &self.unit)
            .field("unit_text", &self.unit_text())
            .field("span", &self.span)
            .finish()
    }
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

impl DependencyKind {
    /// The kind a dependency line's words give: `finishes` before `after`, `start of` after
    /// it. Both parsers read the words and ask this, so they cannot disagree on the kind.
    pub fn from_words(finishes: bool, of_start: bool) -> DependencyKind {
        match (finishes, of_start) {
            (false, false) => DependencyKind::FinishToStart,
            (false, true) => DependencyKind::StartToStart,
            (true, false) => DependencyKind::FinishToFinish,
            (true, true) => DependencyKind::StartToFinish,
        }
    }
}

/// `+ 2 weeks` (a lag) or `- 1 week` (a lead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lag {
    pub negative: bool,
    pub duration: DurationLit,
    pub span: Span,
}

/// One target of a dependency line, with its own optional lag: `after a + 2 weeks, b`.
///
/// Its span is not stored: it runs from the reference's start to the end of the lag if there
/// is one, else of the reference ([`DependencyTarget::span`]).
#[derive(Clone, PartialEq, Eq)]
pub struct DependencyTarget {
    pub target: Reference,
    /// Boxed: most links have no lag, and a plan has hundreds of thousands of links.
    pub lag: Option<Box<Lag>>,
}

impl DependencyTarget {
    /// The reference and its lag.
    pub fn span(&self) -> Span {
        let target = self.target.span();
        match &self.lag {
            Some(lag) => Span {
                end: lag.span.end,
                ..target
            },
            None => target,
        }
    }
}

// Written by hand to print the span that is no longer stored, so the syntax tests' snapshots of
// the tree stay as they were.
impl std::fmt::Debug for DependencyTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DependencyTarget")
            .field("target", &self.target)
            .field("lag", &self.lag)
            .field("span", &self.span())
            .finish()
    }
}

/// The targets of one dependency line, in order; most lines have one, held in place, so a
/// plan's hundreds of thousands of lines cost no heap block each. Reads as a slice.
#[derive(Clone, PartialEq, Eq)]
pub struct DependencyTargets(Targets);

/// `One` for a single target, `Many` for any other number: `From<Vec<_>>` keeps to that, so
/// the derived equality compares the targets, not how they are held.
#[derive(Clone, PartialEq, Eq)]
enum Targets {
    One(DependencyTarget),
    Many(Vec<DependencyTarget>),
}

impl DependencyTargets {
    /// The targets of a line in order: `first`, then `rest` (usually none, and then nothing is
    /// allocated).
    pub fn new(first: DependencyTarget, rest: Vec<DependencyTarget>) -> DependencyTargets {
        if rest.is_empty() {
            return DependencyTargets(Targets::One(first));
        }
        let mut all = Vec::with_capacity(1 + rest.len());
        all.push(first);
        all.extend(rest);
        DependencyTargets(Targets::Many(all))
    }
}

impl From<Vec<DependencyTarget>> for DependencyTargets {
    fn from(mut targets: Vec<DependencyTarget>) -> DependencyTargets {
        if targets.len() == 1
            && let Some(one) = targets.pop()
        {
            return DependencyTargets(Targets::One(one));
        }
        targets.shrink_to_fit();
        DependencyTargets(Targets::Many(targets))
    }
}

impl FromIterator<DependencyTarget> for DependencyTargets {
    fn from_iter<I: IntoIterator<Item = DependencyTarget>>(targets: I) -> DependencyTargets {
        targets.into_iter().collect::<Vec<_>>().into()
    }
}

impl std::ops::Deref for DependencyTargets {
    type Target = [DependencyTarget];

    fn deref(&self) -> &[DependencyTarget] {
        match &self.0 {
            Targets::One(one) => std::slice::from_ref(one),
            Targets::Many(many) => many,
        }
    }
}

impl<'a> IntoIterator for &'a DependencyTargets {
    type Item = &'a DependencyTarget;
    type IntoIter = std::slice::Iter<'a, DependencyTarget>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

// A list, as when the targets were a `Vec`: the syntax tests' snapshots stay as they were.
impl std::fmt::Debug for DependencyTargets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
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

impl MonthName {
    /// The month a word names, as the grammar's `month_name` spells it: in full, or `jan` to
    /// `dec` (and `sept`). Both parsers read month names through it.
    pub fn from_word(word: &str) -> Option<MonthName> {
        Some(match word {
            "january" | "jan" => MonthName::January,
            "february" | "feb" => MonthName::February,
            "march" | "mar" => MonthName::March,
            "april" | "apr" => MonthName::April,
            "may" => MonthName::May,
            "june" | "jun" => MonthName::June,
            "july" | "jul" => MonthName::July,
            "august" | "aug" => MonthName::August,
            "september" | "sept" | "sep" => MonthName::September,
            "october" | "oct" => MonthName::October,
            "november" | "nov" => MonthName::November,
            "december" | "dec" => MonthName::December,
            _ => return None,
        })
    }
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

impl Weekday {
    /// The day a word names, as the grammar's `weekday` spells it: in full or by its first
    /// three letters. Both parsers read day names through it.
    pub fn from_word(word: &str) -> Option<Weekday> {
        Some(match word {
            "monday" | "mon" => Weekday::Mon,
            "tuesday" | "tue" => Weekday::Tue,
            "wednesday" | "wed" => Weekday::Wed,
            "thursday" | "thu" => Weekday::Thu,
            "friday" | "fri" => Weekday::Fri,
            "saturday" | "sat" => Weekday::Sat,
            "sunday" | "sun" => Weekday::Sun,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetKind {
    Capital,
    Revenue,
}

impl BudgetKind {
    /// The word that says it after `budget` and `spent`.
    pub fn keyword(self) -> &'static str {
        match self {
            BudgetKind::Capital => "capital",
            BudgetKind::Revenue => "revenue",
        }
    }
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
/// The large, rarer parts (blocks, recurrences, ranges, RAG thresholds, settings' amounts, a
/// theme's title, the second date of a closure or baseline) are boxed: every attribute of a
/// plan is an `Attr`, and at 448 bytes, then 168, then 104, they were most of the memory of
/// checking a plan of 100,000 projects (docs/benchmarks.md); a size test in this module keeps
/// them small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attr {
    // Items.
    Portfolio(Box<Block>),
    Calendar(Box<Block>),
    Theme {
        id: Ident,
        title: Box<Str>,
        span: Span,
    },
    Programme(Box<Block>),
    Project(Box<Block>),
    /// `team id "Title" { size 4 ... }`.
    Team(Box<Block>),
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
        /// `accept shortfall "why"`: the reason a shortfall is accepted.
        accept: Option<Box<Str>>,
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
    /// `rag benefits amber 95% red 80%`: the percentages as written.
    RagBenefits {
        amber: Box<Literal>,
        red: Box<Literal>,
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
    /// `report money thousands`: the scale's name as written (the validator checks it).
    ReportMoney(Ident, Span),
    /// `confidence amber-green "commentary"` (portfolio block, programme or project): the
    /// level's name as written (the validator checks it) and the commentary.
    Confidence {
        level: Ident,
        commentary: Box<Str>,
        span: Span,
    },
    /// `appraisal 10 years`: the length of the appraisal period, as written.
    Appraisal(DurationLit, Span),
    /// `spent capital £350k in 2020/21` (or `revenue`): actual spend in a financial year.
    Spent {
        kind: BudgetKind,
        amount: Box<MoneyLit>,
        fy: Literal,
        span: Span,
    },
    /// `realised saving £120k in 2021/22`, or `realised benefit "What" £40k in 2021/22`
    /// (`benefit` is the label): what was actually delivered in a financial year.
    Realised {
        benefit: Option<Box<Str>>,
        amount: Box<MoneyLit>,
        fy: Literal,
        span: Span,
    },

    // Calendar attributes.
    BasedOn(Ident, Span),
    /// `closed 2020-12-24 to 2021-01-01 "Christmas closure"` or `closed 2021-05-03 "why"`.
    Closed {
        from: Literal,
        to: Option<Box<Literal>>,
        reason: Option<Box<Str>>,
        span: Span,
    },
    Weekend(Vec<Weekday>, Span),

    // Team attributes.
    /// `size 4` or `size 6 from 2021-04-01`: the number as written, and the date.
    Size {
        size: Literal,
        from: Option<Box<Literal>>,
        span: Span,
    },

    // Project and milestone attributes.
    Duration {
        duration: DurationLit,
        range: Option<Box<(DurationLit, DurationLit)>>,
        span: Span,
    },
    Dependency {
        kind: DependencyKind,
        targets: DependencyTargets,
        span: Span,
    },
    NotBefore(Literal, Span),
    Deadline(Literal, Span),
    /// `needs ict 3`: the team as written and the number of people as written.
    Needs {
        team: Ident,
        fte: Box<Literal>,
        span: Span,
    },
    /// `priority 1`: the number as written.
    Priority(Literal, Span),
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
        /// `owner "…" measure "…"` on the same line, for the benefits register.
        meta: Option<Box<LineMeta>>,
        span: Span,
    },
    Benefit {
        label: Box<Str>,
        amount: MoneyLit,
        recurrence: Box<Recurrence>,
        meta: Option<Box<LineMeta>>,
        span: Span,
    },
    ActualStart(Literal, Span),
    ActualFinish(Literal, Span),
    Complete(Literal, Span),
    /// `baseline 2020-06-01 to 2021-08-31`; a milestone may give one date: `baseline 2021-10-04`.
    Baseline {
        start: Literal,
        finish: Option<Box<Literal>>,
        span: Span,
    },

    // The RAID log (docs/risk.md).
    /// `risk id "Title" { ... }` and its kin: an entry of the RAID log.
    Raid {
        kind: RaidKind,
        block: Box<Block>,
    },
    /// `mitigation "What is done" { ... }` in a risk (the block has no id).
    Mitigation(Box<Block>),
    /// `probability 20%` (the percentage as written, without `%`).
    Probability(Literal, Span),
    /// `affects case-system delay 2 months to 4 months`.
    Affects(Box<Affects>),
    /// `status open`: the word as written (the validator checks it).
    RaidStatus(Ident, Span),
    /// `review 2021-03-31`.
    Review(Literal, Span),
    /// `raised 2020-11-02`.
    Raised(Literal, Span),
    /// `due 2021-02-26`.
    Due(Literal, Span),
    /// `until 2021-04-30`.
    Until(Literal, Span),
    /// `on 2020-09-10` in a decision.
    DecidedOn(Literal, Span),
    /// `by "Digital Development Board"` in a decision.
    DecidedBy(Str, Span),

    // Options appraisal and selection (docs/options.md).
    /// `scenario id "Title" { ... }`: an option, as edits of the plan.
    Scenario(Box<Block>),
    /// `baseline-option` in a scenario.
    BaselineOption(Span),
    /// `remove a, b` in a scenario.
    Remove(Vec<Ident>, Span),
    /// `remove *` in a scenario (the span is the whole line).
    RemoveAll(Span),
    /// `keep a, b` in a scenario.
    Keep(Vec<Ident>, Span),
    /// `change id { ... }` in a scenario; the block's id is `None` for `change portfolio`,
    /// and its keyword span is `change`'s.
    Change(Box<Block>),
    /// `criteria { strategic 40% ... }`.
    Criteria(Vec<Criterion>, Span),
    /// `score strategic 5 deliverability 3` in a project: each criterion's name and the
    /// number as written.
    Score(Vec<(Ident, Literal)>, Span),
    /// `mandatory` in a project.
    Mandatory(Span),

    // Shared descriptive attributes. `Calendar` in a project or portfolio names a calendar;
    // `calendar id { ... }` with a block declares one (the `Calendar(Block)` item above).
    Owner(Str, Span),
    ThemeRef(Ident, Span),
    Tags(Vec<Ident>, Span),
    Description(Str, Span),
    CalendarRef(Ident, Span),
}

/// `strategic 40%` in `criteria`: the weight is the percentage as written, without `%`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub name: Ident,
    pub weight: Literal,
    pub span: Span,
}

/// The four kinds of entry in a RAID log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RaidKind {
    Risk,
    Issue,
    Assumption,
    Decision,
}

impl RaidKind {
    /// The keyword that declares it.
    pub fn keyword(self) -> &'static str {
        match self {
            RaidKind::Risk => "risk",
            RaidKind::Issue => "issue",
            RaidKind::Assumption => "assumption",
            RaidKind::Decision => "decision",
        }
    }
}

/// `affects TARGET IMPACT`: what a risk or issue does to one project when it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affects {
    pub target: Reference,
    pub impact: Impact,
    pub span: Span,
}

/// One impact, as written; a single value or `LOW to HIGH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Impact {
    /// `delay 2 months [to 4 months]`.
    Delay {
        low: DurationLit,
        high: Option<DurationLit>,
    },
    /// `cost capital £100k [to £300k]`.
    Cost {
        low: MoneyLit,
        high: Option<MoneyLit>,
    },
    /// `saving -£50k [to -£80k] per year`.
    Saving {
        low: SignedMoney,
        high: Option<SignedMoney>,
    },
}

/// An amount with an optional minus sign: `-£50k`. The span covers the sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedMoney {
    pub negative: bool,
    pub amount: MoneyLit,
    pub span: Span,
}

/// A lint threshold: working time (`44 days`) or a share (`10%`, the number without its `%`);
/// or a name (`lint profile dcma`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintValue {
    Duration(DurationLit),
    Percent(Literal),
    Name(Ident),
}

/// How a cost line is timed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostTiming {
    /// `cost capital £120k [range £100k to £150k]`: spread over the project's working days;
    /// the range (boxed: rare) is its best and worst case, for risk analysis.
    Spread(Option<Box<MoneyRange>>),
    /// `cost revenue £120k per year from finish [for 3 years]`.
    Recurring(Box<Recurrence>),
    /// `cost one-off £20k at start`, `cost capital £400k at go-live`.
    At(Box<When>),
    /// `cost capital £1.4m from start to go-live`: spread over the working days between.
    Between(Box<(When, When)>),
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

impl Block {
    /// A declaration built by a program, placed [`NOWHERE`].
    pub fn unplaced(id: Option<Ident>, title: Option<Str>, body: Vec<Attr>) -> Block {
        Block {
            id,
            title,
            body,
            keyword_span: NOWHERE,
            span: NOWHERE,
        }
    }
}

impl Attr {
    /// The span of the whole attribute or item.
    pub fn span(&self) -> Span {
        match self {
            Attr::Portfolio(b)
            | Attr::Calendar(b)
            | Attr::Programme(b)
            | Attr::Project(b)
            | Attr::Team(b)
            | Attr::Scenario(b)
            | Attr::Change(b) => b.span,
            Attr::Milestone { block, .. } | Attr::Raid { block, .. } => block.span,
            Attr::Mitigation(block) => block.span,
            Attr::Affects(affects) => affects.span,
            Attr::Probability(_, span)
            | Attr::RaidStatus(_, span)
            | Attr::Review(_, span)
            | Attr::Raised(_, span)
            | Attr::Due(_, span)
            | Attr::Until(_, span)
            | Attr::DecidedOn(_, span)
            | Attr::DecidedBy(_, span)
            | Attr::Theme { span, .. }
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
            | Attr::RagBenefits { span, .. }
            | Attr::RiskDistribution(_, span)
            | Attr::Lint { span, .. }
            | Attr::Allow(_, span)
            | Attr::OptimismBias(_, span)
            | Attr::ReportMoney(_, span)
            | Attr::Confidence { span, .. }
            | Attr::Appraisal(_, span)
            | Attr::Spent { span, .. }
            | Attr::Realised { span, .. }
            | Attr::BasedOn(_, span)
            | Attr::Closed { span, .. }
            | Attr::Weekend(_, span)
            | Attr::Size { span, .. }
            | Attr::Needs { span, .. }
            | Attr::Priority(_, span)
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
            | Attr::CalendarRef(_, span)
            | Attr::BaselineOption(span)
            | Attr::Remove(_, span)
            | Attr::RemoveAll(span)
            | Attr::Keep(_, span)
            | Attr::Criteria(_, span)
            | Attr::Score(_, span)
            | Attr::Mandatory(span) => *span,
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
            Attr::Team(_) => "team",
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
            Attr::RagBenefits { .. } => "rag benefits",
            Attr::RiskDistribution(..) => "risk distribution",
            // A plan has one profile but many thresholds: `once` keys on this.
            Attr::Lint { name, .. } if name.name == "profile" => "lint profile",
            Attr::Lint { .. } => "lint",
            Attr::Allow(..) => "allow",
            Attr::OptimismBias(..) => "optimism-bias",
            Attr::ReportMoney(..) => "report money",
            Attr::Confidence { .. } => "confidence",
            Attr::Appraisal(..) => "appraisal",
            Attr::Spent { .. } => "spent",
            Attr::Realised { .. } => "realised",
            Attr::BasedOn(..) => "based-on",
            Attr::Closed { .. } => "closed",
            Attr::Weekend(..) => "weekend",
            Attr::Size { .. } => "size",
            Attr::Needs { .. } => "needs",
            Attr::Priority(..) => "priority",
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
            Attr::Raid { kind, .. } => kind.keyword(),
            Attr::Mitigation(_) => "mitigation",
            Attr::Probability(..) => "probability",
            Attr::Affects(_) => "affects",
            Attr::RaidStatus(..) => "status",
            Attr::Review(..) => "review",
            Attr::Raised(..) => "raised",
            Attr::Due(..) => "due",
            Attr::Until(..) => "until",
            Attr::DecidedOn(..) => "on",
            Attr::DecidedBy(..) => "by",
            Attr::Scenario(_) => "scenario",
            Attr::BaselineOption(_) => "baseline-option",
            Attr::Remove(..) | Attr::RemoveAll(_) => "remove",
            Attr::Keep(..) => "keep",
            Attr::Change(_) => "change",
            Attr::Criteria(..) => "criteria",
            Attr::Score(..) => "score",
            Attr::Mandatory(_) => "mandatory",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `unit_text` looks its word up in `UNIT_WORDS`, so a unit or spelling left out of the
    /// table would print as nothing; the matches here make a new variant fail to compile until
    /// this test lists it, and the test fails until the table has it.
    #[test]
    fn every_unit_has_each_written_spelling_once_in_the_table() {
        let units = [
            DurationUnit::Days,
            DurationUnit::Weeks,
            DurationUnit::Months,
            DurationUnit::Years,
        ];
        let spellings = [
            UnitSpelling::Plural,
            UnitSpelling::Singular,
            UnitSpelling::Short,
        ];
        for unit in units {
            match unit {
                DurationUnit::Days
                | DurationUnit::Weeks
                | DurationUnit::Months
                | DurationUnit::Years => {}
            }
            for spelling in spellings {
                match spelling {
                    UnitSpelling::Plural | UnitSpelling::Singular | UnitSpelling::Short => {}
                    // Nothing written, so nothing to print.
                    UnitSpelling::Omitted => {}
                }
                let found: Vec<&str> = UNIT_WORDS
                    .iter()
                    .filter(|&&(_, u, s)| (u, s) == (unit, spelling))
                    .map(|(word, ..)| *word)
                    .collect();
                assert_eq!(found.len(), 1, "{unit:?} {spelling:?}: {found:?}");
                assert_eq!(duration_unit(found[0]), Some((unit, spelling)));
            }
        }
    }

    /// `size_of::<T>()` is at most `bound` bytes, with the size in the message if not.
    fn assert_at_most<T>(bound: usize) {
        let size = std::mem::size_of::<T>();
        assert!(
            size <= bound,
            "{} is {size} bytes, more than {bound}",
            std::any::type_name::<T>()
        );
    }

    #[test]
    fn attributes_stay_small() {
        // The largest variants left are a cost, a saving, a benefit and a closure (an amount or
        // a date and two boxes); it was 448 bytes, then 168, then 104, then 72. A saving's and
        // a benefit's register clauses (`owner`, `measure`: one more box) made it 80; at
        // 100,000 projects of a dozen lines that is under 10 MB while a file is parsed.
        assert_at_most::<Attr>(80);
    }

    #[test]
    fn literals_stay_small() {
        // A unit and a currency symbol as strings (24 bytes each), and the number's own span,
        // made these 80 and 64 bytes; every duration, lag, recurrence and amount holds them.
        assert_at_most::<DurationLit>(40);
        assert_at_most::<MoneyLit>(40);
        assert_at_most::<Lag>(56);
        assert_at_most::<Recurrence>(144);
    }

    #[test]
    fn references_hold_one_part_in_place() {
        // A `Vec` of parts cost a heap block of 40 bytes for each reference, and a span; the
        // targets of a dependency line were a `Vec` too, of 64-byte targets.
        assert_at_most::<Reference>(40);
        assert_at_most::<DependencyTarget>(48);
        assert_at_most::<DependencyTargets>(48);
        let one = Reference::new(ident("a", 0), None);
        assert_eq!(names(&one), ["a"]);
        let two = Reference::new(ident("a", 0), Some(ident("b", 2)));
        assert_eq!(names(&two), ["a", "b"]);
        assert_eq!(two.parts()[1].span, span(2, 3));
        assert_eq!(one.span(), span(0, 1));
        assert_eq!(two.span(), span(0, 3));
    }

    #[test]
    fn durations_give_back_the_unit_and_number_as_written() {
        for word in [
            "days", "day", "d", "weeks", "week", "w", "months", "month", "mo", "years", "year", "y",
        ] {
            let Some((unit, spelling)) = duration_unit(word) else {
                panic!("`{word}` is a unit in the grammar");
            };
            let duration = DurationLit {
                number: "12.5".into(),
                unit,
                spelling,
                span: span(10, 20),
            };
            assert_eq!(duration.unit_text(), word);
            assert_eq!(duration.number_span(), span(10, 14));
        }
        assert_eq!(duration_unit("dayz"), None);
        assert_eq!(duration_unit("D"), None);
        let omitted = DurationLit {
            number: "10".into(),
            unit: DurationUnit::Months,
            spelling: UnitSpelling::Omitted,
            span: span(0, 2),
        };
        assert_eq!(omitted.unit_text(), "");
    }

    #[test]
    fn built_durations_take_the_largest_whole_unit() {
        let text = |days| {
            let d = DurationLit::working_days(days);
            format!("{} {}", d.number, d.unit_text())
        };
        assert_eq!(text(280), "14 months");
        assert_eq!(text(20), "1 month");
        assert_eq!(text(10), "2 weeks");
        assert_eq!(text(5), "1 week");
        assert_eq!(text(7), "7 days");
        assert_eq!(text(1), "1 day");
        assert_eq!(text(0), "0 days");
    }

    #[test]
    fn built_amounts_are_exact_and_read_back_as_the_same_money() {
        for (pence, written) in [
            (180_000_000, "1,800,000"),
            (12_000_050, "120,000.50"),
            (99, "0.99"),
            (100, "1"),
        ] {
            let amount = MoneyLit::exact(CurrencySymbol::Pound, Money(pence));
            assert_eq!(amount.amount, written);
            assert_eq!(amount.currency, CurrencySymbol::Pound);
            assert_eq!(Money::parse_amount(&amount.amount), Some(Money(pence)));
        }
    }

    #[test]
    fn currency_symbols_round_trip() {
        for text in ["£", "$", "€"] {
            let symbol = CurrencySymbol::from_text(text).map(CurrencySymbol::as_str);
            assert_eq!(symbol, Some(text));
        }
        assert_eq!(CurrencySymbol::from_text("GBP"), None);
    }

    fn span(start: usize, end: usize) -> Span {
        Span::new(crate::diagnostic::FileId(0), start, end)
    }

    fn ident(name: &str, start: usize) -> Ident {
        Ident {
            name: name.into(),
            span: span(start, start + name.len()),
        }
    }

    #[test]
    fn dependency_targets_read_as_a_slice_however_held() {
        let target = |name: &str, start: usize| DependencyTarget {
            target: Reference::new(ident(name, start), None),
            lag: None,
        };
        let one = DependencyTargets::from(vec![target("a", 0)]);
        let two = DependencyTargets::from(vec![target("a", 0), target("b", 3)]);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0], target("a", 0));
        assert_eq!(
            two.iter().map(DependencyTarget::span).collect::<Vec<_>>(),
            [span(0, 1), span(3, 4)]
        );
        assert_eq!(one, [target("a", 0)].into_iter().collect());
        assert_eq!(one, DependencyTargets::new(target("a", 0), Vec::new()));
        assert_eq!(
            two,
            DependencyTargets::new(target("a", 0), vec![target("b", 3)])
        );
        assert!(DependencyTargets::from(Vec::new()).is_empty());
    }

    fn names(reference: &Reference) -> Vec<&str> {
        reference.parts().iter().map(|p| p.name.as_str()).collect()
    }
}
