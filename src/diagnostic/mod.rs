//! Diagnostics: every mistake in a user's plan becomes a [`Diagnostic`] value with a stable
//! [`Code`], a [`Span`] into the source and a message; stages collect them and never print.
//! The renderer (human text, JSON, GitHub annotations) lives in `diagnostic::render`, so
//! there is one place that decides what users see.
//!
//! Invariant: codes are stable once released. A code is never reused for another meaning;
//! docs/diagnostics.md lists each with a failing example and its fix.

use serde::Serialize;

pub mod count;
pub mod render;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one source file. Byte offsets (not characters) so pest's offsets fit
/// directly and a `£` never shifts a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        // Files are limited well below 4 GiB (docs/limits.md), so offsets fit in u32.
        Span {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// Its first `len` bytes (all of it when shorter): the keyword of a declaration, which
    /// says more to underline than a whole block.
    pub fn head(self, len: usize) -> Span {
        let end = (self.start as usize + len).min(self.end as usize);
        Span::new(self.file, self.start as usize, end)
    }

    /// The smallest span covering both (they must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// `error` or `warning`: the word every rendering of a diagnostic uses, as the JSON does.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Stable diagnostic codes. `E` codes are errors, `W` codes warnings. Numbering groups:
/// E00x files and syntax, E01x portfolio block and settings, E02x names and references,
/// E03x dependencies, E04x dates and progress, E05x attributes and values,
/// E06x/W06x finance (targets, budgets, capital timing, the appraisal period), E07x schedule,
/// E080/W081 import, E082-E087/W082 scenarios, criteria and scores, E09x/W09x the RAID log,
/// W0xx warnings, W1xx schedule-quality lints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The text does not follow the grammar.
    E001SyntaxError,
    /// The file is not UTF-8 text (binary, or another encoding).
    E002NotText,
    /// A file (the one named on the command line, or an include) cannot be read.
    E003FileNotFound,
    /// A file includes itself, directly or through others.
    E004IncludeCycle,
    /// Nesting of programmes (or includes) deeper than the limit.
    E005TooDeep,
    /// A file or a plan larger than the limits in docs/limits.md.
    E006TooLarge,
    /// No `portfolio` block in the whole plan.
    E010MissingPortfolio,
    /// A second `portfolio` block.
    E011SecondPortfolio,
    /// A setting given twice in one block (two `duration` lines, two `start` lines).
    E012DuplicateSetting,
    /// A required setting is missing (`start`, `end` in the portfolio; `duration` in a project).
    E013MissingSetting,
    /// The plan's end is before its start, or the status date lies outside the plan.
    E014BadPlanWindow,
    /// A name that refers to nothing.
    E020UnknownReference,
    /// Two items share one id.
    E021DuplicateId,
    /// A `calendar` that is not built in and not declared.
    E022UnknownCalendar,
    /// A `theme` that is not declared.
    E023UnknownTheme,
    /// A reference to the wrong kind of thing (a dependency on a theme, a calendar based on a project).
    E024WrongKind,
    /// A `needs` naming a team that is not declared.
    E025UnknownTeam,
    /// Dependencies that go round in a circle.
    E030DependencyCycle,
    /// An item that depends on itself (or on a programme that contains it).
    E031SelfDependency,
    /// The same dependency (same item, same kind) given twice.
    E032DuplicateDependency,
    /// A date that does not exist, such as 2021-02-30.
    E040ImpossibleDate,
    /// A date outside the plan window (start to end).
    E041DateOutsidePlan,
    /// A deadline earlier than the not-before date.
    E042DeadlineBeforeNotBefore,
    /// An actual finish earlier than the actual start (or a baseline that ends before it starts).
    E043FinishBeforeStart,
    /// An actual date after the status date (or actuals with no status date).
    E044ActualAfterStatusDate,
    /// `complete` outside 0-100%.
    E045CompleteOutOfRange,
    /// A milestone given a duration (milestones take no time).
    E047MilestoneDuration,
    /// A financial year outside the plan window.
    E048FinancialYearOutsidePlan,
    /// An attribute that does not belong where it is written (`start` inside a project).
    E050MisplacedAttribute,
    /// A number, amount, percentage or duration that is malformed or out of range.
    E051BadValue,
    /// Attributes that contradict each other (a fixed milestone that also has dependencies).
    E052Conflict,
    /// Cashable savings in a financial year fall short of its `target savings`.
    E060SavingsTargetMissed,
    /// Capital or revenue spending in a financial year exceeds its `budget`.
    E061BudgetExceeded,
    /// `cost capital AMOUNT from WHEN to WHEN` whose second anchor is not after its first.
    E062CapitalTimingBackwards,
    /// A project scheduled to finish after the plan's end: its money is counted where it
    /// falls, and the message says how far past the end it runs and which money moves with it.
    W062WorkPastPlanEnd,
    /// A money line whose money falls wholly outside the appraisal period (or, running to its
    /// end, starts after it and so accrues nothing).
    W063MoneyOutsideAppraisal,
    /// An actual (`spent`, `realised`) for a financial year that is not over at the status
    /// date (or in a plan with no status date).
    E063ActualForOpenYear,
    /// `realised saving` in a project with no saving, or `realised benefit "X"` where the
    /// project has no benefit called X.
    E064RealisedWithoutPlan,
    /// A financial year over at the status date in which a project planned money and
    /// recorded no actual for it.
    W064NoActual,
    /// A savings target missed on the forecast whose shortfall the portfolio accepts
    /// (`accept shortfall "why"`): a warning with the reason, instead of E060.
    W065ShortfallAccepted,
    /// `accept shortfall` on a savings target that the forecast meets: the acceptance is stale.
    W066StaleAcceptance,
    /// Work scheduled to finish after its `deadline` (the message gives the working days late).
    E070DeadlineMissed,
    /// Work scheduled beyond the last date tranche's calendars cover (2200-12-31).
    E071BeyondCalendar,
    /// A project needs more people of a team than the team ever has.
    E072NeedsMoreThanTeam,
    /// `tranche import`: the file is not Microsoft Project XML (MSPDI) that tranche can read.
    E080NotMspdi,
    /// `tranche import`: something in the imported file that the plan cannot say, left out
    /// or approximated (the message says which).
    W081NotCarriedOver,
    // Options appraisal and selection (docs/options.md).
    /// A scenario's `remove`, `keep` or `change` naming no project, milestone or programme.
    E082ScenarioNamesNothing,
    /// A scenario's edits make the plan invalid (the change and the rule it breaks).
    E083ScenarioBreaksPlan,
    /// A `score` naming a criterion that `criteria` does not declare.
    E084UnknownCriterion,
    /// The weights of `criteria` do not add up to 100%.
    E085WeightsNotHundred,
    /// Scenarios that contradict each other or themselves: two baseline options, one id twice,
    /// `keep` without `remove *`, a change of removed work, one item changed twice.
    E086ScenarioConflict,
    /// A project's `score` for the criterion `savings`, which comes from the project's NPV.
    E087SavingsScoredByHand,
    /// A project that gives no score for a criterion (it counts as 0 when selecting).
    W082MissingScore,
    /// A project marked 100% complete with no actual finish date.
    W046CompleteWithoutFinish,
    /// A team is needed by more people than it has, on some working days.
    W073OverAllocated,
    /// Levelling found no start at which a project's team has room.
    W074CannotLevel,
    /// Levelling to the capital budgets moved a project into a later year.
    W075MovedForBudget,
    /// Levelling to the capital budgets could not bring a year within its budget.
    W076BudgetCannotBeMet,
    // The RAID log (risks, assumptions, issues, decisions; docs/risk.md).
    /// A `probability` above 100%.
    E090ProbabilityOutOfRange,
    /// A range whose low end is above its high end (`affects x delay 4 months to 2 months`).
    E091RangeOutOfOrder,
    /// `affects` naming a milestone or programme: impacts fall on projects.
    E092ImpactNotOnProject,
    /// A RAID entry without what it needs (a risk's or mitigation's probability, a decision's date).
    E093RaidDetailMissing,
    /// A `status` word that is not one of the entry's (`open`, `closed`, `occurred`).
    E094UnknownStatus,
    /// `affects x saving ...` on a project with no saving to change.
    E095SavingImpactWithoutSaving,
    /// An open risk whose `review` date is before the status date.
    W090ReviewOverdue,
    /// An open assumption whose `until` date is before the status date.
    W091AssumptionExpired,
    /// An open issue whose `due` date is before the status date.
    W092IssueOverdue,
    /// A closed risk or issue that still lists impacts (the simulation leaves them out).
    W093ClosedWithImpacts,
    /// An impact on a project that has finished (its dates and money are facts).
    W094ImpactOnFinishedWork,
    // Schedule-quality lints (`lint.rs`), after the DCMA 14-point assessment.
    /// Work with no predecessor and no `not-before`: nothing says when it starts.
    W101OpenStart,
    /// Work with no successor and no `deadline`: nothing needs it finished.
    W102OpenFinish,
    /// A dependency with a lead (a negative lag).
    W103Lead,
    /// A dependency whose lag is longer than `lint long-lag`.
    W104LongLag,
    /// More of the dependencies than `lint non-fs-share` are not finish-to-start.
    W105NonFinishToStart,
    /// A milestone fixed `on` a date that other work waits for.
    W106HardConstraint,
    /// Total float above `lint high-float`.
    W107HighFloat,
    /// Negative float from a deadline further on (E070 is the deadline itself).
    W108NegativeFloat,
    /// A duration above `lint long-duration`.
    W109LongDuration,
    /// Work that should have started (or a fixed milestone that should have happened) before the status date, without actuals.
    W110StaleDate,
    /// A baseline finish before the status date without an actual finish.
    W111BaselineFinishPassed,
    /// A cashable saving that starts before its project finishes.
    W112SavingBeforeFinish,
    /// The critical path starts at a date constraint, not at the plan's start.
    W113CriticalPathNotFromStart,
    /// A stated delivery confidence of green where the plan's own figures are red, or a
    /// deadline, target or budget is missed.
    W114ConfidenceContradicted,
}

impl Code {
    /// Every code, in the enum's order (the assertion below keeps the list whole).
    pub const ALL: [Code; 83] = [
        Code::E001SyntaxError,
        Code::E002NotText,
        Code::E003FileNotFound,
        Code::E004IncludeCycle,
        Code::E005TooDeep,
        Code::E006TooLarge,
        Code::E010MissingPortfolio,
        Code::E011SecondPortfolio,
        Code::E012DuplicateSetting,
        Code::E013MissingSetting,
        Code::E014BadPlanWindow,
        Code::E020UnknownReference,
        Code::E021DuplicateId,
        Code::E022UnknownCalendar,
        Code::E023UnknownTheme,
        Code::E024WrongKind,
        Code::E025UnknownTeam,
        Code::E030DependencyCycle,
        Code::E031SelfDependency,
        Code::E032DuplicateDependency,
        Code::E040ImpossibleDate,
        Code::E041DateOutsidePlan,
        Code::E042DeadlineBeforeNotBefore,
        Code::E043FinishBeforeStart,
        Code::E044ActualAfterStatusDate,
        Code::E045CompleteOutOfRange,
        Code::E047MilestoneDuration,
        Code::E048FinancialYearOutsidePlan,
        Code::E050MisplacedAttribute,
        Code::E051BadValue,
        Code::E052Conflict,
        Code::E060SavingsTargetMissed,
        Code::E061BudgetExceeded,
        Code::E062CapitalTimingBackwards,
        Code::W062WorkPastPlanEnd,
        Code::W063MoneyOutsideAppraisal,
        Code::E063ActualForOpenYear,
        Code::E064RealisedWithoutPlan,
        Code::W064NoActual,
        Code::W065ShortfallAccepted,
        Code::W066StaleAcceptance,
        Code::E070DeadlineMissed,
        Code::E071BeyondCalendar,
        Code::E072NeedsMoreThanTeam,
        Code::E080NotMspdi,
        Code::W081NotCarriedOver,
        Code::E082ScenarioNamesNothing,
        Code::E083ScenarioBreaksPlan,
        Code::E084UnknownCriterion,
        Code::E085WeightsNotHundred,
        Code::E086ScenarioConflict,
        Code::E087SavingsScoredByHand,
        Code::W082MissingScore,
        Code::W046CompleteWithoutFinish,
        Code::W073OverAllocated,
        Code::W074CannotLevel,
        Code::W075MovedForBudget,
        Code::W076BudgetCannotBeMet,
        Code::E090ProbabilityOutOfRange,
        Code::E091RangeOutOfOrder,
        Code::E092ImpactNotOnProject,
        Code::E093RaidDetailMissing,
        Code::E094UnknownStatus,
        Code::E095SavingImpactWithoutSaving,
        Code::W090ReviewOverdue,
        Code::W091AssumptionExpired,
        Code::W092IssueOverdue,
        Code::W093ClosedWithImpacts,
        Code::W094ImpactOnFinishedWork,
        Code::W101OpenStart,
        Code::W102OpenFinish,
        Code::W103Lead,
        Code::W104LongLag,
        Code::W105NonFinishToStart,
        Code::W106HardConstraint,
        Code::W107HighFloat,
        Code::W108NegativeFloat,
        Code::W109LongDuration,
        Code::W110StaleDate,
        Code::W111BaselineFinishPassed,
        Code::W112SavingBeforeFinish,
        Code::W113CriticalPathNotFromStart,
        Code::W114ConfidenceContradicted,
    ];

    pub fn as_str(self) -> &'static str {
        self.code_and_title().0
    }

    /// What the code is about, in a few words: the heading of its entry in docs/diagnostics.md
    /// (a test holds them together), for summaries such as `check`'s count of warnings.
    pub fn title(self) -> &'static str {
        self.code_and_title().1
    }

    fn code_and_title(self) -> (&'static str, &'static str) {
        use Code::*;
        match self {
            E001SyntaxError => ("E001", "syntax error"),
            E002NotText => ("E002", "not a text file"),
            E003FileNotFound => ("E003", "file not found"),
            E004IncludeCycle => ("E004", "include cycle"),
            E005TooDeep => ("E005", "nested too deep"),
            E006TooLarge => ("E006", "too large"),
            E010MissingPortfolio => ("E010", "no portfolio block"),
            E011SecondPortfolio => ("E011", "second portfolio block"),
            E012DuplicateSetting => ("E012", "setting given twice"),
            E013MissingSetting => ("E013", "required setting missing"),
            E014BadPlanWindow => ("E014", "bad plan window"),
            E020UnknownReference => ("E020", "unknown reference"),
            E021DuplicateId => ("E021", "duplicate id"),
            E022UnknownCalendar => ("E022", "unknown calendar"),
            E023UnknownTheme => ("E023", "unknown theme"),
            E024WrongKind => ("E024", "wrong kind of reference"),
            E025UnknownTeam => ("E025", "unknown team"),
            E030DependencyCycle => ("E030", "dependency cycle"),
            E031SelfDependency => ("E031", "depends on itself"),
            E032DuplicateDependency => ("E032", "duplicate dependency"),
            E040ImpossibleDate => ("E040", "impossible date"),
            E041DateOutsidePlan => ("E041", "date outside the plan"),
            E042DeadlineBeforeNotBefore => ("E042", "deadline before not-before"),
            E043FinishBeforeStart => ("E043", "finish before start"),
            E044ActualAfterStatusDate => ("E044", "actual date after the status date"),
            E045CompleteOutOfRange => ("E045", "complete out of range"),
            E047MilestoneDuration => ("E047", "milestone with a duration"),
            E048FinancialYearOutsidePlan => ("E048", "financial year outside the plan"),
            E050MisplacedAttribute => ("E050", "misplaced attribute"),
            E051BadValue => ("E051", "bad value"),
            E052Conflict => ("E052", "contradiction"),
            E060SavingsTargetMissed => ("E060", "savings target missed"),
            E061BudgetExceeded => ("E061", "budget exceeded"),
            E062CapitalTimingBackwards => ("E062", "capital timed backwards"),
            W062WorkPastPlanEnd => ("W062", "work past the plan's end"),
            W063MoneyOutsideAppraisal => ("W063", "money outside the appraisal period"),
            E063ActualForOpenYear => ("E063", "actual for a year not over"),
            E064RealisedWithoutPlan => ("E064", "realised without a matching saving"),
            W064NoActual => ("W064", "past year without actuals"),
            W065ShortfallAccepted => ("W065", "shortfall accepted"),
            W066StaleAcceptance => ("W066", "stale acceptance"),
            E070DeadlineMissed => ("E070", "deadline missed"),
            E071BeyondCalendar => ("E071", "beyond the calendar"),
            E072NeedsMoreThanTeam => ("E072", "needs more than the team has"),
            E080NotMspdi => ("E080", "not an MSPDI file"),
            W081NotCarriedOver => ("W081", "not carried over"),
            E082ScenarioNamesNothing => ("E082", "scenario names nothing"),
            E083ScenarioBreaksPlan => ("E083", "scenario breaks the plan"),
            E084UnknownCriterion => ("E084", "unknown criterion"),
            E085WeightsNotHundred => ("E085", "weights do not add up to 100%"),
            E086ScenarioConflict => ("E086", "scenario conflict"),
            E087SavingsScoredByHand => ("E087", "savings scored by hand"),
            W082MissingScore => ("W082", "missing score"),
            W046CompleteWithoutFinish => ("W046", "complete without actual finish"),
            W073OverAllocated => ("W073", "team over-allocated"),
            W074CannotLevel => ("W074", "cannot be levelled"),
            W075MovedForBudget => ("W075", "moved to fit a budget"),
            W076BudgetCannotBeMet => ("W076", "budget cannot be met by levelling"),
            E090ProbabilityOutOfRange => ("E090", "probability out of range"),
            E091RangeOutOfOrder => ("E091", "range out of order"),
            E092ImpactNotOnProject => ("E092", "impact not on a project"),
            E093RaidDetailMissing => ("E093", "RAID entry incomplete"),
            E094UnknownStatus => ("E094", "unknown status"),
            E095SavingImpactWithoutSaving => ("E095", "saving impact without a saving"),
            W090ReviewOverdue => ("W090", "risk review overdue"),
            W091AssumptionExpired => ("W091", "assumption past its date"),
            W092IssueOverdue => ("W092", "issue past its due date"),
            W093ClosedWithImpacts => ("W093", "closed entry with impacts"),
            W094ImpactOnFinishedWork => ("W094", "impact on finished work"),
            W101OpenStart => ("W101", "open start"),
            W102OpenFinish => ("W102", "open finish"),
            W103Lead => ("W103", "lead"),
            W104LongLag => ("W104", "long lag"),
            W105NonFinishToStart => ("W105", "links other than finish-to-start"),
            W106HardConstraint => ("W106", "hard constraint"),
            W107HighFloat => ("W107", "high float"),
            W108NegativeFloat => ("W108", "negative float"),
            W109LongDuration => ("W109", "long duration"),
            W110StaleDate => ("W110", "dates before the status date without actuals"),
            W111BaselineFinishPassed => ("W111", "baseline finish passed"),
            W112SavingBeforeFinish => ("W112", "saving before the work that enables it"),
            W113CriticalPathNotFromStart => ("W113", "critical path not from the start"),
            W114ConfidenceContradicted => ("W114", "confidence contradicts the plan"),
        }
    }

    /// Whether a diagnostic with this code stops a command that shows the plan (`schedule`,
    /// `finance`, `report`, `diff`, ...): every error does, except the verdicts on a plan
    /// that holds together (a missed savings target, an exceeded budget, a missed deadline),
    /// which those commands exist to show. `check` fails on every error all the same.
    pub fn stops_commands(self) -> bool {
        self.severity() == Severity::Error
            && !matches!(
                self,
                Code::E060SavingsTargetMissed
                    | Code::E061BudgetExceeded
                    | Code::E070DeadlineMissed
                    | Code::E072NeedsMoreThanTeam
            )
    }

    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary message, optionally pointing at another place ("first declared here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub span: Option<Span>,
    pub message: String,
}

/// One problem found in a plan. Messages are lowercase, without a trailing period, with names
/// in backticks: ``unknown project `case-sytem`; did you mean `case-system`?``
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Where the problem is. `None` only for problems with no place in any file (a file named
    /// on the command line that does not exist).
    pub span: Option<Span>,
    pub message: String,
    /// Other places and explanations.
    pub notes: Vec<Note>,
    /// What would fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic whose severity follows its code.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            span: Some(span),
            message: message.into(),
            notes: Vec::new(),
            hint: None,
        }
    }

    /// A diagnostic with no place in a file.
    pub fn unlocated(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            span: None,
            message: message.into(),
            notes: Vec::new(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        self.notes.push(Note {
            span,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file of a plan, so diagnostics can be rendered with their source lines.
/// Filled by `cli` (the only module that reads files) and by the include loader.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user would recognise it (as given, or relative to the including file).
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line, for line/column lookup.
    line_starts: Vec<u32>,
    /// Characters before every [`CHUNK`]th byte, made the first time a column is wanted far
    /// into a long line: a column is a count of characters, and counting a million of them
    /// for each of a thousand errors on one line was most of a hostile plan's minutes.
    chars_before_chunk: std::sync::OnceLock<Vec<u32>>,
}

/// Bytes between the checkpoints of [`SourceFile::chars_before_chunk`].
const CHUNK: usize = 4096;

/// Characters that start in `bytes` (UTF-8's lead bytes: every byte but a continuation).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let text = text.into();
        let mut line_starts = vec![0u32];
        // memchr finds the newlines many bytes at a time: a large plan is millions of lines.
        line_starts.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            name: name.into(),
            text,
            line_starts,
            chars_before_chunk: std::sync::OnceLock::new(),
        });
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// 1-based line and column (column counted in characters, as editors and GitHub do) of a
    /// byte offset.
    pub fn line_col(&self, file: FileId, offset: u32) -> (usize, usize) {
        let f = self.get(file);
        let line = match f.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = f.line_starts[line] as usize;
        let end = (offset as usize).min(f.text.len());
        let column = if end - start < CHUNK {
            chars_in(f.text.as_bytes().get(start..end).unwrap_or_default())
        } else {
            f.chars_before(end) - f.chars_before(start)
        };
        (line + 1, column + 1)
    }
}

impl SourceFile {
    /// How many characters start before byte `at`, from the checkpoints and one chunk's count.
    fn chars_before(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let checkpoints = self.chars_before_chunk.get_or_init(|| {
            let mut total = 0usize;
            bytes
                .chunks(CHUNK)
                .map(|chunk| {
                    let before = total;
                    total += chars_in(chunk);
                    u32::try_from(before).unwrap_or(u32::MAX)
                })
                .collect()
        });
        let at = at.min(bytes.len());
        let chunk = at / CHUNK;
        let counted = checkpoints.get(chunk).map_or(0, |&c| c as usize);
        counted + chars_in(bytes.get(chunk * CHUNK..at).unwrap_or_default())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Sorts diagnostics into a stable order (file, position, code) so output is deterministic
/// whatever order the stages found them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.span.map(|s| (s.file, s.start, s.end)), d.code);
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

// A code added to the enum but not to `Code::ALL` fails the build (the enum has no data, so
// its discriminants count 0, 1, 2, ... and the last one's is the number of codes less one).
const _: () = assert!(Code::ALL.len() == Code::W114ConfidenceContradicted as usize + 1);

#[cfg(test)]
mod tests {
    use super::Code;

    /// Columns count characters, far into long lines of mixed widths too (where they come from
    /// checkpoints rather than a count from the line's start), on every line.
    #[test]
    fn columns_count_characters_on_long_lines() {
        let long: String = (0..30_000).map(|i| ["a", "é", "€", "𝄞"][i % 4]).collect();
        let text = format!("short é line\n{long}\n{long}x");
        let mut sources = super::SourceMap::new();
        let file = sources.add("t", text.clone());
        for (offset, _) in text.char_indices().step_by(997).chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            let column = text[line_start..offset].chars().count() + 1;
            assert_eq!(
                sources.line_col(file, offset as u32),
                (line, column),
                "at {offset}"
            );
        }
    }

    /// Each code's title is the heading of its entry in docs/diagnostics.md, and every code has
    /// an entry.
    #[test]
    fn every_code_has_its_entry_in_the_docs_under_its_title() {
        let docs = include_str!("../../docs/diagnostics.md");
        let headings: Vec<&str> = docs
            .lines()
            .filter_map(|line| line.strip_prefix("### "))
            .filter(|h| h.starts_with(['E', 'W']) && h.as_bytes().get(4) == Some(&b':'))
            .collect();
        for code in Code::ALL {
            let suffix = if code.severity() == super::Severity::Warning {
                " (warning)"
            } else {
                ""
            };
            let heading = format!("{}: {}{suffix}", code.as_str(), code.title());
            assert!(
                headings.contains(&heading.as_str()),
                "docs/diagnostics.md has no `### {heading}`"
            );
        }
        assert_eq!(headings.len(), Code::ALL.len(), "{headings:?}");
    }

    /// A command that shows a plan stops on an error, except on the verdicts it exists to show;
    /// a warning never stops it.
    #[test]
    fn verdicts_and_warnings_do_not_stop_commands() {
        for verdict in [
            Code::E060SavingsTargetMissed,
            Code::E061BudgetExceeded,
            Code::E070DeadlineMissed,
        ] {
            assert!(!verdict.stops_commands(), "{verdict}");
        }
        for error in [
            Code::E001SyntaxError,
            Code::E030DependencyCycle,
            Code::E071BeyondCalendar,
        ] {
            assert!(error.stops_commands(), "{error}");
        }
        assert!(!Code::W107HighFloat.stops_commands());
    }
}
