//! The validated model: a portfolio with every reference resolved, every unit converted
//! (durations and lags in working days, money in pence, percentages in basis points), every
//! date a real date. Built by [`validate()`] from the parsed files.
//!
//! Invariant: once a [`Portfolio`] exists, every id in it points at something that exists,
//! and later stages never check names again. Ids are indices into the portfolio's vectors.
//! Spans are kept on everything so that later stages (missed deadlines, lints) can point at
//! source; they are skipped in the serialised form, which `fmt`'s tests use to compare models.

use chrono::NaiveDate;
use compact_str::CompactString;
use serde::Serialize;

use crate::diagnostic::Span;
use crate::money::{Money, MoneyScale, Percent};

mod names;
mod raid;

pub use names::suggest;
pub use raid::{Effect, Impact, Mitigation, RaidEntry, RaidKind, RaidStatus};
mod validate;
mod values;

/// A duration in working days, as the validator converts it (for an editor's hover).
pub(crate) use values::working_days;

pub use validate::{MAX_ITEMS, validate};

/// How long the appraisal period runs from the plan's start when `appraisal` is not set: ten
/// years, the Green Book's usual life of a change programme's benefits.
pub const DEFAULT_APPRAISAL_MONTHS: u32 = 120;

/// Index into [`Portfolio::projects`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ProjectId(pub u32);

/// Index into [`Portfolio::milestones`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct MilestoneId(pub u32);

/// Index into [`Portfolio::programmes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ProgrammeId(pub u32);

/// Index into [`Portfolio::themes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ThemeId(pub u32);

/// Index into [`Portfolio::teams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TeamId(pub u32);

/// People, in hundredths of a full-time person: `needs analysts 0.5` is `Fte(50)`. Exact, as
/// money is, so that demand adds up without rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct Fte(pub u32);

impl Fte {
    /// The most people one line can say: ten thousand.
    pub const MAX: Fte = Fte(1_000_000);

    /// `3`, `0.5`, `12.25` (two decimals at most, trailing zeros dropped).
    pub fn text(self) -> String {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        match hundredths {
            0 => whole.to_string(),
            h if h % 10 == 0 => format!("{whole}.{}", h / 10),
            h => format!("{whole}.{h:02}"),
        }
    }

    /// `3 people`, `1 person`, `0.5 people`: for messages.
    pub fn people(self) -> String {
        if self == Fte(100) {
            "1 person".to_string()
        } else {
            format!("{} people", self.text())
        }
    }

    /// Reads `3`, `0.5` or `12.25` as written in a plan; `None` past two decimals or past
    /// [`Fte::MAX`].
    pub fn parse(text: &str) -> Option<Fte> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let mut hundredths: u32 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().ok()?
        };
        if fraction.len() == 1 {
            hundredths *= 10;
        }
        let fte = whole.checked_mul(100)?.checked_add(hundredths)?;
        (fte <= Fte::MAX.0).then_some(Fte(fte))
    }
}

impl std::fmt::Display for Fte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// `team ict "ICT applications team" { size 4  size 6 from 2021-04-01 }`: people whose
/// capacity projects draw on.
#[derive(Debug, Clone, Serialize)]
pub struct Team {
    pub id: CompactString,
    pub title: CompactString,
    /// Its size from the plan's start, then each change, in date order (the first has no
    /// date).
    pub sizes: Vec<TeamSize>,
    /// The days the team works: the portfolio's calendar unless it names its own.
    pub calendar: CalendarId,
    #[serde(skip)]
    pub span: Span,
}

impl Team {
    /// The team's size on `date`.
    pub fn size_on(&self, date: NaiveDate) -> Fte {
        self.sizes
            .iter()
            .take_while(|s| s.from.is_none_or(|from| from <= date))
            .last()
            .map_or(Fte(0), |s| s.size)
    }

    /// The most people the team ever has.
    pub fn largest(&self) -> Fte {
        self.sizes.iter().map(|s| s.size).max().unwrap_or_default()
    }
}

/// One `size` line of a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TeamSize {
    /// `None` for the size from the plan's start.
    pub from: Option<NaiveDate>,
    pub size: Fte,
    #[serde(skip)]
    pub span: Span,
}

/// `needs ict 3`: people of a team a project needs for the whole of its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Need {
    pub team: TeamId,
    pub fte: Fte,
    #[serde(skip)]
    pub span: Span,
}

/// Index into [`Portfolio::calendars`]. The built-in calendars are always present:
/// [`CalendarId::ENGLAND_AND_WALES`] and [`CalendarId::WEEKDAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CalendarId(pub u32);

impl CalendarId {
    pub const ENGLAND_AND_WALES: CalendarId = CalendarId(0);
    pub const WEEKDAYS: CalendarId = CalendarId(1);
}

/// Something that can be depended on or scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "lowercase")]
pub enum ItemId {
    Project(ProjectId),
    Milestone(MilestoneId),
    Programme(ProgrammeId),
}

impl ItemId {
    /// The item's kind as the language writes it: `project`, `milestone` or `programme`.
    pub fn noun(self) -> &'static str {
        match self {
            ItemId::Project(_) => "project",
            ItemId::Milestone(_) => "milestone",
            ItemId::Programme(_) => "programme",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub title: String,
    /// First day of the plan window.
    pub start: NaiveDate,
    /// Last day of the plan window (inclusive).
    pub end: NaiveDate,
    /// Last day of the appraisal period (inclusive): `appraisal N years` from `start` (ten
    /// years unless set), or `end` if that is later. Recurring money without `for` runs to
    /// it, and NPV, payback and the money tables cover it (docs/finance.md).
    pub appraisal_end: NaiveDate,
    /// The first day of work still to do (Primavera's data date); progress is as of this day.
    pub status_date: Option<NaiveDate>,
    /// The portfolio's default calendar (`england-and-wales` unless set).
    pub calendar: CalendarId,
    /// `GBP` unless set.
    pub currency: String,
    /// 3.5% unless set (HM Treasury Green Book).
    pub discount_rate: Percent,
    /// Month (1-12) in which financial years start; 4 (April) unless set.
    pub financial_year_start: u32,
    /// `optimism-bias capital 24%`: the uplift applied to every project's capital costs
    /// (a project's own setting replaces it). `None` when not set.
    pub optimism_bias: Option<Percent>,
    /// `risk distribution pert|triangular`: how `tranche risk` samples ranges. `None` when not
    /// set (risk uses Beta-PERT).
    pub risk_distribution: Option<RiskDistribution>,
    /// `report money thousands`: how reports show money unless `report --money` says
    /// otherwise. `None` when not set (reports show £k).
    pub money_scale: Option<MoneyScale>,
    /// `confidence LEVEL "commentary"` in the portfolio block: the stated delivery confidence.
    pub confidence: Option<Confidence>,
    pub targets: Vec<Target>,
    pub budgets: Vec<Budget>,
    pub rag: RagThresholds,
    /// `rag benefits amber P% red P%`: when a saving or benefit shows amber and red in the
    /// benefits register.
    pub benefit_rag: BenefitRag,
    /// Thresholds and `allow`s for the schedule-quality lints (`lint.rs`).
    pub lint: LintSettings,
    pub calendars: Vec<CalendarDef>,
    pub themes: Vec<Theme>,
    /// Teams (`team`), in the order declared.
    pub teams: Vec<Team>,
    pub programmes: Vec<Programme>,
    pub projects: Vec<Project>,
    pub milestones: Vec<Milestone>,
    /// Top-level items in the author's order (programmes, projects, milestones outside any
    /// programme), for reports that follow the file's order.
    pub roots: Vec<ItemId>,
    /// The RAID log: risks, issues, assumptions and decisions, in the plan's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub raid: Vec<RaidEntry>,
    /// `criteria { ... }`: what `tranche select` weighs projects' scores by (docs/options.md);
    /// empty when not declared. The weights add up to 100% (E085).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    #[serde(skip)]
    pub span: Span,
}

impl Portfolio {
    /// An item's id and title, borrowed from the plan: the one lookup by [`ItemId`] that
    /// names, titles and reports use. `None` for an id from another plan.
    pub fn id_and_title(&self, item: ItemId) -> Option<(&CompactString, &CompactString)> {
        match item {
            ItemId::Project(p) => self.projects.get(p.0 as usize).map(|p| (&p.id, &p.title)),
            ItemId::Milestone(m) => self.milestones.get(m.0 as usize).map(|m| (&m.id, &m.title)),
            ItemId::Programme(g) => self.programmes.get(g.0 as usize).map(|g| (&g.id, &g.title)),
        }
    }
}

/// `strategic 40%` in `criteria`: a criterion of selection and its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub name: String,
    pub weight: Percent,
    #[serde(skip)]
    pub span: Span,
}

impl Criterion {
    /// `savings` is the criterion met by a project's NPV rather than by a score (docs/options.md).
    pub const SAVINGS: &'static str = "savings";
}

/// A project's score against one criterion: `score strategic 4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Index into [`Portfolio::criteria`].
    pub criterion: u32,
    pub value: u32,
}

/// The distribution `tranche risk` samples three-point estimates from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum RiskDistribution {
    /// Beta-PERT: the likely value weighs four times the best and worst case.
    Pert,
    /// Triangular: heavier tails than PERT.
    Triangular,
}

/// The five levels of the IPA's delivery confidence assessment, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfidenceLevel {
    Green,
    AmberGreen,
    Amber,
    AmberRed,
    Red,
}

impl ConfidenceLevel {
    pub const ALL: [ConfidenceLevel; 5] = [
        ConfidenceLevel::Green,
        ConfidenceLevel::AmberGreen,
        ConfidenceLevel::Amber,
        ConfidenceLevel::AmberRed,
        ConfidenceLevel::Red,
    ];

    /// The name as written in a plan: `amber-green`.
    pub fn name(self) -> &'static str {
        match self {
            ConfidenceLevel::Green => "green",
            ConfidenceLevel::AmberGreen => "amber-green",
            ConfidenceLevel::Amber => "amber",
            ConfidenceLevel::AmberRed => "amber-red",
            ConfidenceLevel::Red => "red",
        }
    }

    /// The name as a report heads it: `Amber-green`.
    pub fn label(self) -> &'static str {
        match self {
            ConfidenceLevel::Green => "Green",
            ConfidenceLevel::AmberGreen => "Amber-green",
            ConfidenceLevel::Amber => "Amber",
            ConfidenceLevel::AmberRed => "Amber-red",
            ConfidenceLevel::Red => "Red",
        }
    }

    pub fn from_name(name: &str) -> Option<ConfidenceLevel> {
        ConfidenceLevel::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// `confidence amber-green "commentary"`: the delivery confidence the owner of the portfolio, a
/// programme or a project states, as of the status date, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confidence {
    pub level: ConfidenceLevel,
    pub commentary: String,
    #[serde(skip)]
    pub span: Span,
}

/// A financial year, named by the calendar year it starts in: `2022/23` is `FinancialYear(2022)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FinancialYear(pub i32);

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub amount: Money,
    pub year: FinancialYear,
    /// `accept shortfall "why"`: the reason a shortfall is accepted; a missed target is then
    /// a warning (W065) rather than an error, and a met one a stale acceptance (W066).
    pub accept: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetKind {
    Capital,
    Revenue,
}

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub kind: BudgetKind,
    pub amount: Money,
    pub year: FinancialYear,
    #[serde(skip)]
    pub span: Span,
}

/// Slippage against baseline, in working days, at which a project turns amber and red.
/// Defaults: amber at 10 days, red at 30 (documented in docs/language.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RagThresholds {
    pub amber_days: u32,
    pub red_days: u32,
}

/// The share of what a saving or benefit planned so far that it must have realised to show
/// green (at least `amber`) or amber (at least `red`); under `red` it is red. Defaults 95%
/// and 80% (docs/finance.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BenefitRag {
    pub amber: Percent,
    pub red: Percent,
}

impl Default for BenefitRag {
    fn default() -> Self {
        BenefitRag {
            amber: Percent(9_500),
            red: Percent(8_000),
        }
    }
}

/// `lint high-float 44 days` and friends in the portfolio block, and every `allow W1xx`.
/// The thresholds start from the plan's [`LintProfile`] ([`LintSettings::for_profile`], the
/// values justified in docs/diagnostics.md); a `lint` line replaces one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintSettings {
    /// Where the thresholds not set by a `lint` line come from, and which rules W106 and W107
    /// follow.
    pub profile: LintProfile,
    /// W107: total float above this many working days.
    pub high_float_days: u32,
    /// W104: a lag longer than this many working days.
    pub long_lag_days: u32,
    /// W109: a duration longer than this many working days.
    pub long_duration_days: u32,
    /// W105: the share of dependencies that may be other than finish-to-start.
    pub non_fs_share: Percent,
    /// Lint codes switched off, for the whole plan or for one project.
    pub allows: Vec<Allow>,
}

/// `lint profile portfolio|dcma`: what the schedule-quality lints expect of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintProfile {
    /// A multi-year portfolio of projects (the default): float to the end of the longest
    /// programme is its shape, phases overlap and settle for months.
    Portfolio,
    /// The DCMA 14-point assessment's values, for a detailed schedule of activities.
    Dcma,
}

impl LintProfile {
    pub const ALL: [LintProfile; 2] = [LintProfile::Portfolio, LintProfile::Dcma];

    pub fn name(self) -> &'static str {
        match self {
            LintProfile::Portfolio => "portfolio",
            LintProfile::Dcma => "dcma",
        }
    }
}

impl LintSettings {
    /// A profile's thresholds, each justified in docs/diagnostics.md. Months are 20 working
    /// days, as in a duration.
    pub fn for_profile(profile: LintProfile) -> LintSettings {
        let (high_float_days, long_lag_days, long_duration_days, non_fs_share) = match profile {
            // A year of float before a deadline; a settling period of half a year; two years
            // of work without a phase that delivers; two links in five overlapping.
            LintProfile::Portfolio => (240, 120, 480, Percent(4_000)),
            // DCMA checks 6 (float) and 8 (duration) at 44 working days, check 4 (90% of links
            // finish-to-start); DCMA counts lags rather than measuring them, and a month is
            // the longest wait a detailed schedule leaves unexplained.
            LintProfile::Dcma => (44, 20, 44, Percent(1_000)),
        };
        LintSettings {
            profile,
            high_float_days,
            long_lag_days,
            long_duration_days,
            non_fs_share,
            allows: Vec::new(),
        }
    }
}

impl Default for LintSettings {
    fn default() -> LintSettings {
        LintSettings::for_profile(LintProfile::Portfolio)
    }
}

/// `allow W107`: in the portfolio block (`project: None`) or in one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allow {
    /// The lint code as written (`W107`); `validate` checks it is one.
    pub code: String,
    pub project: Option<ProjectId>,
    #[serde(skip)]
    pub span: Span,
}

/// A calendar as declared (or built in). `calendar::WorkCalendar` turns it into working days.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarDef {
    pub id: String,
    /// The calendar it extends; `None` for the built-ins.
    pub based_on: Option<CalendarId>,
    /// Days of the week that are not worked. `None` inherits from `based_on` (or Sat+Sun).
    pub weekend: Option<Vec<chrono::Weekday>>,
    /// Closures added by this calendar (inclusive ranges).
    pub closed: Vec<Closure>,
    /// `true` for `england-and-wales`, whose bank holidays come from `calendar.rs`.
    pub bank_holidays: bool,
    #[serde(skip)]
    pub span: Span,
}

impl CalendarDef {
    /// A calendar of Saturday-and-Sunday weekends, based on nothing and closing nothing of its
    /// own: a built-in (with or without bank holidays), and the plain calendar tests build on.
    pub fn plain(id: &str, bank_holidays: bool) -> CalendarDef {
        CalendarDef {
            id: id.to_string(),
            based_on: None,
            weekend: None,
            closed: Vec::new(),
            bank_holidays,
            span: Span::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Closure {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: String,
    pub title: String,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub id: CompactString,
    pub title: CompactString,
    pub parent: Option<ProgrammeId>,
    pub owner: Option<String>,
    pub theme: Option<ThemeId>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// `confidence LEVEL "commentary"` in the programme.
    pub confidence: Option<Confidence>,
    /// Direct children in the author's order (projects, milestones, programmes).
    pub children: Vec<ItemId>,
    #[serde(skip)]
    pub span: Span,
}

/// The four dependency kinds (see `ast::DependencyKind` for their syntax).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LinkKind {
    #[serde(rename = "FS")]
    FinishToStart,
    #[serde(rename = "SS")]
    StartToStart,
    #[serde(rename = "FF")]
    FinishToFinish,
    #[serde(rename = "SF")]
    StartToFinish,
}

impl LinkKind {
    /// `FS`, `SS`, `FF` or `SF`: the short name every output uses (and the JSON, through the
    /// serde names above), written once so a new kind is a compile error wherever it shows.
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::FinishToStart => "FS",
            LinkKind::StartToStart => "SS",
            LinkKind::FinishToFinish => "FF",
            LinkKind::StartToFinish => "SF",
        }
    }
}

/// A dependency of the item that holds it on `predecessor`.
#[derive(Debug, Clone, Serialize)]
pub struct Dependency {
    pub predecessor: ItemId,
    pub kind: LinkKind,
    /// Working days on the successor's calendar; negative for a lead.
    pub lag_days: i32,
    #[serde(skip)]
    pub span: Span,
}

/// A duration in working days with an optional best/worst case (`range LOW to HIGH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Estimate {
    pub likely_days: u32,
    pub low_days: Option<u32>,
    pub high_days: Option<u32>,
}

impl Estimate {
    /// `days` and no range: what a `duration` without `range` gives.
    pub fn exactly(days: u32) -> Estimate {
        Estimate {
            likely_days: days,
            low_days: None,
            high_days: None,
        }
    }
}

/// A project. Its lists are built once, so they are boxed slices (16 bytes, no spare
/// capacity); ids and titles are [`CompactString`]s, which keep short names inline. The fields
/// most projects leave unset live in [`ProjectDetails`], boxed and absent when all are unset:
/// the model lives through every stage, and at 100,000 projects each byte here is 100 kB.
/// Read them with the accessors ([`Project::progress`], [`Project::owner`] and so on).
#[derive(Debug, Clone)]
pub struct Project {
    pub id: CompactString,
    pub title: CompactString,
    pub programme: Option<ProgrammeId>,
    pub duration: Estimate,
    pub dependencies: Box<[Dependency]>,
    pub deadline: Option<Dated>,
    pub costs: Box<[Cost]>,
    pub savings: Box<[Saving]>,
    /// Milestones declared inside this project, in order.
    pub milestones: Box<[MilestoneId]>,
    /// The project's own theme, or the nearest enclosing programme's.
    pub theme: Option<ThemeId>,
    /// The project's own calendar, or the portfolio's.
    pub calendar: CalendarId,
    /// Everything else; `None` when it would all be empty (see [`ProjectDetails::boxed`]).
    pub details: Option<Box<ProjectDetails>>,
    pub span: Span,
}

/// The attributes of a [`Project`] that most projects do not set.
#[derive(Debug, Clone, Default)]
pub struct ProjectDetails {
    pub not_before: Option<Dated>,
    pub benefits: Vec<Benefit>,
    pub progress: Progress,
    pub baseline: Option<Baseline>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    /// `optimism-bias capital N%` on this project: replaces the portfolio's uplift for its capital.
    pub optimism_bias: Option<Percent>,
    /// `confidence LEVEL "commentary"` in the project.
    pub confidence: Option<Confidence>,
    /// `needs TEAM N`: the people it needs while it runs, a team at most once.
    pub needs: Vec<Need>,
    /// `priority N`: the order levelling places it in (lower first).
    pub priority: Option<u32>,
    /// `spent …` and `realised …`: what happened in financial years that are over.
    pub actuals: Vec<Actual>,
    /// `score NAME N ...`: its scores against the plan's criteria.
    pub scores: Vec<Score>,
    /// `mandatory`: `tranche select` always chooses it.
    pub mandatory: bool,
}

/// What a project without details reports: no progress.
static NO_PROGRESS: Progress = Progress {
    actual_start: None,
    actual_finish: None,
    complete: None,
};

impl ProjectDetails {
    /// `None` when nothing is set, so that a plain project carries no box.
    pub fn boxed(self) -> Option<Box<ProjectDetails>> {
        // Destructured whole, so that a field added later cannot be forgotten here (and a set
        // value silently dropped): the pattern stops compiling.
        let ProjectDetails {
            not_before,
            benefits,
            progress:
                Progress {
                    actual_start,
                    actual_finish,
                    complete,
                },
            baseline,
            owner,
            tags,
            description,
            optimism_bias,
            confidence,
            needs,
            priority,
            actuals,
            scores,
            mandatory,
        } = &self;
        let empty = not_before.is_none()
            && benefits.is_empty()
            && actual_start.is_none()
            && actual_finish.is_none()
            && complete.is_none()
            && baseline.is_none()
            && owner.is_none()
            && tags.is_empty()
            && description.is_none()
            && optimism_bias.is_none()
            && confidence.is_none()
            && needs.is_empty()
            && priority.is_none()
            && actuals.is_empty()
            && scores.is_empty()
            && !mandatory;
        (!empty).then(|| Box::new(self))
    }
}

impl Project {
    pub fn not_before(&self) -> Option<Dated> {
        self.details.as_ref().and_then(|d| d.not_before)
    }

    pub fn benefits(&self) -> &[Benefit] {
        self.details.as_ref().map_or(&[], |d| &d.benefits)
    }

    pub fn progress(&self) -> &Progress {
        self.details.as_ref().map_or(&NO_PROGRESS, |d| &d.progress)
    }

    pub fn baseline(&self) -> Option<Baseline> {
        self.details.as_ref().and_then(|d| d.baseline)
    }

    pub fn owner(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.owner.as_deref())
    }

    pub fn tags(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.tags)
    }

    pub fn description(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.description.as_deref())
    }

    /// `optimism-bias capital N%` on this project: replaces the portfolio's uplift for its capital.
    pub fn optimism_bias(&self) -> Option<Percent> {
        self.details.as_ref().and_then(|d| d.optimism_bias)
    }

    /// `confidence LEVEL "commentary"` stated for this project.
    pub fn confidence(&self) -> Option<&Confidence> {
        self.details.as_ref().and_then(|d| d.confidence.as_ref())
    }

    /// `needs TEAM N`: the people it needs while it runs.
    pub fn needs(&self) -> &[Need] {
        self.details.as_ref().map_or(&[], |d| &d.needs)
    }

    /// `priority N`: the order levelling places it in (lower first).
    pub fn priority(&self) -> Option<u32> {
        self.details.as_ref().and_then(|d| d.priority)
    }

    /// `spent …` and `realised …` lines, in the order written.
    pub fn actuals(&self) -> &[Actual] {
        self.details.as_ref().map_or(&[], |d| &d.actuals)
    }

    /// `score NAME N ...`: its scores, by index into the portfolio's criteria.
    pub fn scores(&self) -> &[Score] {
        self.details.as_ref().map_or(&[], |d| &d.scores)
    }

    /// `mandatory`: `tranche select` always chooses it.
    pub fn is_mandatory(&self) -> bool {
        self.details.as_ref().is_some_and(|d| d.mandatory)
    }

    /// The details to change, created empty if the project had none (for tests and importers
    /// that build a model by hand).
    pub fn details_mut(&mut self) -> &mut ProjectDetails {
        self.details.get_or_insert_with(Box::default)
    }
}

/// The serialised form is the one the model had before [`ProjectDetails`] was split out
/// (every field, in declaration order), so that a model's JSON does not depend on the layout.
impl Serialize for Project {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "Project")]
        struct Flat<'a> {
            id: &'a str,
            title: &'a str,
            programme: Option<ProgrammeId>,
            duration: Estimate,
            dependencies: &'a [Dependency],
            not_before: Option<Dated>,
            deadline: Option<Dated>,
            costs: &'a [Cost],
            savings: &'a [Saving],
            benefits: &'a [Benefit],
            milestones: &'a [MilestoneId],
            progress: &'a Progress,
            baseline: Option<Baseline>,
            owner: Option<&'a str>,
            theme: Option<ThemeId>,
            tags: &'a [String],
            description: Option<&'a str>,
            calendar: CalendarId,
            optimism_bias: Option<Percent>,
            confidence: Option<&'a Confidence>,
            needs: &'a [Need],
            priority: Option<u32>,
            actuals: &'a [Actual],
        }
        Flat {
            id: &self.id,
            title: &self.title,
            programme: self.programme,
            duration: self.duration,
            dependencies: &self.dependencies,
            not_before: self.not_before(),
            deadline: self.deadline,
            costs: &self.costs,
            savings: &self.savings,
            benefits: self.benefits(),
            milestones: &self.milestones,
            progress: self.progress(),
            baseline: self.baseline(),
            owner: self.owner(),
            theme: self.theme,
            tags: self.tags(),
            description: self.description(),
            calendar: self.calendar,
            optimism_bias: self.optimism_bias(),
            confidence: self.confidence(),
            needs: self.needs(),
            priority: self.priority(),
            actuals: self.actuals(),
        }
        .serialize(serializer)
    }
}

/// A date with the span of the attribute that set it, for diagnostics that point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dated {
    pub date: NaiveDate,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Progress {
    pub actual_start: Option<Dated>,
    pub actual_finish: Option<Dated>,
    /// 0-100% in basis points; `None` when not given.
    pub complete: Option<Percent>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Baseline {
    pub start: NaiveDate,
    pub finish: NaiveDate,
    #[serde(skip)]
    pub span: Span,
}

/// A zero-duration event. Declared inside a project (`at start`, `at finish`, `on DATE` or
/// with dependencies) or anywhere else (`on DATE` or with dependencies). As in [`Project`], the
/// fields most milestones leave unset live in a box ([`MilestoneDetails`]) read through
/// accessors.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// Its own id; inside a project it can also be referred to as `project.id`.
    pub id: CompactString,
    pub title: CompactString,
    /// The project it is declared in, if any.
    pub project: Option<ProjectId>,
    /// The nearest enclosing programme, if any.
    pub programme: Option<ProgrammeId>,
    pub timing: MilestoneTiming,
    /// Dependencies (only for [`MilestoneTiming::Free`]; `validate` refuses them elsewhere).
    pub dependencies: Box<[Dependency]>,
    pub deadline: Option<Dated>,
    pub theme: Option<ThemeId>,
    /// Everything else; `None` when it would all be empty (see [`MilestoneDetails::boxed`]).
    pub details: Option<Box<MilestoneDetails>>,
    pub span: Span,
}

/// The attributes of a [`Milestone`] that most milestones do not set.
#[derive(Debug, Clone, Default)]
pub struct MilestoneDetails {
    /// The approved date (`baseline DATE to DATE` with both dates equal, or `baseline DATE`).
    pub baseline: Option<Baseline>,
    /// The day it actually happened (`actual-finish DATE`).
    pub actual: Option<Dated>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
}

impl MilestoneDetails {
    /// `None` when nothing is set, so that a plain milestone carries no box.
    pub fn boxed(self) -> Option<Box<MilestoneDetails>> {
        // Destructured whole, as in `ProjectDetails::boxed`.
        let MilestoneDetails {
            baseline,
            actual,
            owner,
            tags,
            description,
        } = &self;
        let empty = baseline.is_none()
            && actual.is_none()
            && owner.is_none()
            && tags.is_empty()
            && description.is_none();
        (!empty).then(|| Box::new(self))
    }
}

impl Milestone {
    /// The project a milestone `at start` or `at finish` is tied to: a label of that project,
    /// not work of its own (docs/scheduling.md, Links and Milestones).
    pub fn tied_to(&self) -> Option<ProjectId> {
        match self.timing {
            MilestoneTiming::AtStart | MilestoneTiming::AtFinish => self.project,
            MilestoneTiming::On(_) | MilestoneTiming::Free => None,
        }
    }

    /// The approved date (`baseline DATE to DATE` with both dates equal, or `baseline DATE`).
    pub fn baseline(&self) -> Option<Baseline> {
        self.details.as_ref().and_then(|d| d.baseline)
    }

    /// The day it actually happened (`actual-finish DATE`).
    pub fn actual(&self) -> Option<Dated> {
        self.details.as_ref().and_then(|d| d.actual)
    }

    pub fn owner(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.owner.as_deref())
    }

    pub fn tags(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.tags)
    }

    pub fn description(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.description.as_deref())
    }

    /// The details to change, created empty if the milestone had none.
    pub fn details_mut(&mut self) -> &mut MilestoneDetails {
        self.details.get_or_insert_with(Box::default)
    }
}

/// The serialised form is the one the model had before [`MilestoneDetails`] was split out.
impl Serialize for Milestone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "Milestone")]
        struct Flat<'a> {
            id: &'a str,
            title: &'a str,
            project: Option<ProjectId>,
            programme: Option<ProgrammeId>,
            timing: MilestoneTiming,
            dependencies: &'a [Dependency],
            deadline: Option<Dated>,
            baseline: Option<Baseline>,
            actual: Option<Dated>,
            owner: Option<&'a str>,
            theme: Option<ThemeId>,
            tags: &'a [String],
            description: Option<&'a str>,
        }
        Flat {
            id: &self.id,
            title: &self.title,
            project: self.project,
            programme: self.programme,
            timing: self.timing,
            dependencies: &self.dependencies,
            deadline: self.deadline,
            baseline: self.baseline(),
            actual: self.actual(),
            owner: self.owner(),
            theme: self.theme,
            tags: self.tags(),
            description: self.description(),
        }
        .serialize(serializer)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "date", rename_all = "kebab-case")]
pub enum MilestoneTiming {
    /// At the start of its project.
    AtStart,
    /// At the finish of its project.
    AtFinish,
    /// Fixed at the end of this day.
    On(NaiveDate),
    /// Placed by its dependencies (or at the portfolio start when it has none).
    Free,
}

/// When a money line starts or happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Anchor {
    /// The project's start date.
    Start,
    /// The day after the project's finish (go-live).
    Finish,
    /// The date of a milestone.
    Milestone(MilestoneId),
    Date(NaiveDate),
}

/// A recurring amount's timing, in calendar time: from the anchor, optionally ramping up
/// linearly over `ramp_months`, for `months` (or to the end of the plan when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recurrence {
    pub from: Anchor,
    pub ramp_months: u32,
    pub months: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Cost {
    /// Spread evenly over the project's working days, paid at one anchor, or spread over the
    /// working days between two.
    Capital {
        amount: Money,
        /// Best and worst case (`range LOW to HIGH`), for risk analysis.
        #[serde(skip_serializing_if = "Option::is_none")]
        range: Option<(Money, Money)>,
        timing: CapitalTiming,
        #[serde(skip)]
        span: Span,
    },
    /// A yearly amount accruing by calendar month.
    Revenue {
        per_year: Money,
        recurrence: Recurrence,
        #[serde(skip)]
        span: Span,
    },
    OneOff {
        amount: Money,
        at: Anchor,
        #[serde(skip)]
        span: Span,
    },
}

/// What an actual (`spent`, `realised`) records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "benefit", rename_all = "lowercase")]
pub enum ActualKind {
    /// `spent capital`.
    Capital,
    /// `spent revenue`: recurring and one-off costs.
    Revenue,
    /// `realised saving`: all of the project's cashable savings.
    Savings,
    /// `realised benefit "What"`: the project's benefit of that label (index into its
    /// benefits).
    Benefit(u32),
}

/// What a project actually spent or delivered in a financial year that is over.
#[derive(Debug, Clone, Serialize)]
pub struct Actual {
    pub kind: ActualKind,
    pub year: FinancialYear,
    pub amount: Money,
    #[serde(skip)]
    pub span: Span,
}

/// When a capital cost is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CapitalTiming {
    /// `cost capital AMOUNT`: over the project's working days, start to finish.
    Spread,
    /// `cost capital AMOUNT at WHEN`: all of it in the month of the anchor's date.
    At { at: Anchor },
    /// `cost capital AMOUNT from WHEN to WHEN`: over the working days from the first anchor's
    /// date up to (not including) the second's.
    Between { from: Anchor, to: Anchor },
}

#[derive(Debug, Clone, Serialize)]
pub struct Saving {
    pub per_year: Money,
    pub recurrence: Recurrence,
    /// Best and worst case of the yearly amount, for risk analysis.
    pub range: Option<(Money, Money)>,
    /// Who answers for the saving, and what is counted to show it (the benefits register).
    #[serde(flatten)]
    pub register: Accountable,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Benefit {
    pub label: String,
    pub per_year: Money,
    pub recurrence: Recurrence,
    #[serde(flatten)]
    pub register: Accountable,
    #[serde(skip)]
    pub span: Span,
}

/// A saving's or benefit's `owner` and `measure` (either may be absent): who answers for it
/// and what is counted to show it was realised, carried into the benefits register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Accountable {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

impl Accountable {
    /// Whether either is given.
    pub fn is_given(&self) -> bool {
        self.owner.is_some() || self.measure.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model lives through every stage: at 100,000 projects each byte of `Project` is
    /// 100 kB of peak memory. It was 408 bytes before its rarely set fields moved into
    /// `ProjectDetails` and its lists became boxed slices, and is 192 now (a `Milestone` 240
    /// before `MilestoneDetails`, 136 now); this keeps them from growing back unnoticed.
    #[test]
    fn project_stays_small() {
        assert!(
            std::mem::size_of::<Project>() <= 192,
            "Project is {} bytes",
            std::mem::size_of::<Project>()
        );
        assert!(
            std::mem::size_of::<Milestone>() <= 136,
            "Milestone is {} bytes",
            std::mem::size_of::<Milestone>()
        );
    }

    #[test]
    fn every_kind_of_item_is_named_and_titled_by_its_id() {
        let checked = crate::source::check_text(
            "portfolio \"X\" { start 2021-03-01  end 2022-03-31 }\n\
             programme g \"G\" {\n  project a \"A\" { duration 5 days }\n}\n\
             milestone m \"M\" { after a }\n",
        );
        let portfolio = checked.portfolio.expect("a valid plan");
        let named = |item: ItemId| {
            let (id, title) = portfolio.id_and_title(item).expect("an item of the plan");
            (item.noun(), id.to_string(), title.to_string())
        };
        let text =
            |noun: &'static str, id: &str, title: &str| (noun, id.to_string(), title.to_string());
        assert_eq!(
            named(ItemId::Project(ProjectId(0))),
            text("project", "a", "A")
        );
        assert_eq!(
            named(ItemId::Milestone(MilestoneId(0))),
            text("milestone", "m", "M")
        );
        assert_eq!(
            named(ItemId::Programme(ProgrammeId(0))),
            text("programme", "g", "G")
        );
        assert_eq!(portfolio.id_and_title(ItemId::Project(ProjectId(1))), None);
    }

    #[test]
    fn empty_details_carry_no_box() {
        assert!(ProjectDetails::default().boxed().is_none());
        let details = ProjectDetails {
            owner: Some("Head of Service".to_string()),
            ..ProjectDetails::default()
        };
        let boxed = details.boxed();
        assert_eq!(
            boxed.as_ref().and_then(|d| d.owner.as_deref()),
            Some("Head of Service")
        );
    }

    fn plain_project() -> Project {
        Project {
            id: "p".into(),
            title: "P".into(),
            programme: None,
            duration: Estimate::exactly(3),
            dependencies: Box::default(),
            deadline: None,
            costs: Box::default(),
            savings: Box::default(),
            milestones: Box::default(),
            theme: None,
            calendar: CalendarId::WEEKDAYS,
            details: None,
            span: Span::default(),
        }
    }

    #[test]
    fn a_project_without_details_reads_as_unset_and_details_mut_fills_them() {
        let mut project = plain_project();
        assert_eq!(project.progress().complete, None);
        assert!(project.benefits().is_empty() && project.tags().is_empty());
        assert_eq!((project.owner(), project.optimism_bias()), (None, None));
        project.details_mut().progress.complete = Some(Percent(5_000));
        project.details_mut().owner = Some("Head of Service".to_string());
        assert_eq!(project.progress().complete, Some(Percent(5_000)));
        assert_eq!(project.owner(), Some("Head of Service"));
    }

    /// The model's JSON (compared by `fmt`'s tests) keeps every field, in the order the struct
    /// had before the details were split out.
    #[test]
    fn a_project_serialises_every_field_in_the_old_order() {
        let json = serde_json::to_string(&plain_project()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            json,
            concat!(
                r#"{"id":"p","title":"P","programme":null,"#,
                r#""duration":{"likely_days":3,"low_days":null,"high_days":null},"#,
                r#""dependencies":[],"not_before":null,"deadline":null,"costs":[],"savings":[],"#,
                r#""benefits":[],"milestones":[],"#,
                r#""progress":{"actual_start":null,"actual_finish":null,"complete":null},"#,
                r#""baseline":null,"owner":null,"theme":null,"tags":[],"description":null,"#,
                r#""calendar":1,"optimism_bias":null,"confidence":null,"needs":[],"priority":null,"actuals":[]}"#
            )
        );
    }
}
