//! `validate`: a loaded [`Plan`] to a [`Portfolio`], with every problem as a diagnostic.
//!
//! Input: the parsed files and which file each `include` brings in. Output: the portfolio
//! (only when no diagnostic is an error) and every diagnostic, sorted by place.
//!
//! Two passes. `collect` walks the items (splicing each included file where its `include`
//! stands, so a file included inside a programme lands in that programme), declares every id
//! in the one namespace and files each attribute under the block it belongs to. `resolve` then
//! checks and converts each block's attributes, now that every id is known. Both passes keep
//! going after a problem, so one run reports everything.
//!
//! Validation consumes the plan. Collecting takes the tree apart as it walks it: each block's
//! id, title and attributes move into its declaration (the rest is dropped there and then), and
//! resolving converts each declaration's attributes and drops them. So the tree is freed item
//! by item while the model is built: a plan's tree and its model are never whole together,
//! which was most of the peak memory of checking a big plan (docs/benchmarks.md).
//!
//! The passes live in submodules: `collect` (pass 1), `settings` (the portfolio block and
//! calendars), `items` (programmes, projects, milestones and their values) and `references`
//! (names to ids, did-you-mean, dependency rules).
//!
//! Invariant: no recursion. Nesting is walked with an explicit stack, and each included file is
//! spliced at most once, so even a hand-built plan with an include loop terminates.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use compact_str::CompactString;

use super::names::{Entry, Kind, Namespace};
use super::{
    Allow, BenefitRag, Budget, BudgetKind, CalendarId, Confidence, FinancialYear, ItemId,
    LintSettings, Milestone, MilestoneId, Portfolio, Programme, ProgrammeId, Project, ProjectId,
    RagThresholds, RiskDistribution, Target, Theme, ThemeId,
};
use crate::diagnostic::{self, Code, Diagnostic, FileId, Span};
use crate::money::{MoneyScale, Percent};
use crate::source::Plan;
use crate::syntax::ast::{self, Attr};

mod collect;
mod items;
mod lints;
mod options;
mod raid;
mod references;
mod settings;
mod teams;

/// The most programmes, projects and milestones one plan may hold (docs/limits.md).
pub const MAX_ITEMS: usize = 2_000_000;

/// Resolves and checks a plan, consuming it (see the module doc). The portfolio is `Some`
/// exactly when no diagnostic is an error; warnings come back either way.
pub fn validate(plan: Plan) -> (Option<Portfolio>, Vec<Diagnostic>) {
    validate_at_most(plan, MAX_ITEMS)
}

/// [`validate`] with the item limit as a parameter, so the limit can be tested on small plans.
fn validate_at_most(plan: Plan, max_items: usize) -> (Option<Portfolio>, Vec<Diagnostic>) {
    let root_span = plan
        .files
        .get(&plan.root)
        .map_or_else(Span::default, |f| f.span);
    let Plan {
        root,
        files,
        includes,
        unparsed,
    } = plan;
    let mut validator = Validator::new(root, includes, unparsed);
    validator.collect(files);
    let n_items =
        validator.programmes.len() + validator.projects.len() + validator.milestones.len();
    if n_items > max_items {
        // Refused before anything is resolved or scheduled: the analysis of a plan this size
        // would take more memory than a CI machine has, and a crash is worse than an error.
        let diagnostic = Diagnostic::new(
            Code::E006TooLarge,
            Span {
                end: root_span.start,
                ..root_span
            },
            format!("the plan has {n_items} programmes, projects and milestones; tranche handles at most {max_items}"),
        )
        .with_hint("split the plan into portfolios of at most two million items");
        return (None, vec![diagnostic]);
    }
    let portfolio = validator.resolve();
    let mut diagnostics = std::mem::take(&mut validator.diagnostics);
    diagnostic::sort(&mut diagnostics);
    // Held-back errors are still errors: a plan missing a part gives no portfolio.
    let failed = validator.held_back || diagnostics.iter().any(Diagnostic::is_error);
    (if failed { None } else { portfolio }, diagnostics)
}

/// The block an attribute was found in, while collecting. Indices are into the validator's
/// declaration lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Top,
    Portfolio(usize),
    Calendar(usize),
    Team(usize),
    Programme(usize),
    Project(usize),
    Milestone(usize),
}

impl Owner {
    /// Where an attribute stands, for "`x` is not allowed …" messages.
    fn place(self) -> &'static str {
        match self {
            Owner::Top => "at the top level of a file",
            Owner::Portfolio(_) => "in the portfolio block",
            Owner::Calendar(_) => "in a calendar",
            Owner::Team(_) => "in a team",
            Owner::Programme(_) => "in a programme",
            Owner::Project(_) => "in a project",
            Owner::Milestone(_) => "in a milestone",
        }
    }
}

/// The attributes filed under one block, in source order, moved out of the tree.
#[derive(Default)]
struct Attrs {
    list: Vec<Attr>,
    /// Whether the block declares items or includes files, so that collecting walks its body
    /// (filing its attributes here one by one) rather than taking the body whole.
    walk: bool,
}

impl Attrs {
    /// How a block's attributes will be filed: its body taken whole, or (when collecting must
    /// walk it) an empty list with room for them, the body staying with the caller to walk.
    fn of(body: &mut Vec<Attr>) -> Attrs {
        let walk = body.iter().any(|attr| {
            matches!(
                attr,
                Attr::Portfolio(_)
                    | Attr::Calendar(_)
                    | Attr::Team(_)
                    | Attr::Theme { .. }
                    | Attr::Programme(_)
                    | Attr::Project(_)
                    | Attr::Milestone { .. }
                    | Attr::Include { .. }
                    | Attr::Raid { .. }
            )
        });
        if walk {
            Attrs {
                list: Vec::with_capacity(body.len()),
                walk,
            }
        } else {
            Attrs {
                list: std::mem::take(body),
                walk,
            }
        }
    }

    fn push(&mut self, attr: Attr) {
        if !self.walk {
            panic!("only the attributes of a walked block are filed one by one");
        }
        self.list.push(attr);
    }

    fn iter(&self) -> std::slice::Iter<'_, Attr> {
        self.list.iter()
    }
}

/// What a declaration keeps of its block besides its id and attributes.
#[derive(Debug, Clone, Default)]
struct Header {
    title: Option<ast::Str>,
    /// The keyword (`project`, `programme`, …), for messages that point at a declaration.
    keyword_span: Span,
    /// The whole declaration.
    span: Span,
}

impl Header {
    /// A block taken apart: what its declaration keeps (header and id) and its body, which
    /// [`Attrs::of`] may take whole or the walk may descend into.
    fn split(block: ast::Block) -> (Header, Option<ast::Ident>, Vec<Attr>) {
        let ast::Block {
            id,
            title,
            body,
            keyword_span,
            span,
        } = block;
        let header = Header {
            title,
            keyword_span,
            span,
        };
        (header, id, body)
    }
}

struct PortfolioDecl {
    block: Header,
    attrs: Attrs,
}

struct CalendarDecl {
    id: ast::Ident,
    block: Header,
    attrs: Attrs,
}

struct TeamDecl {
    id: ast::Ident,
    block: Header,
    attrs: Attrs,
}

struct ThemeDecl {
    id: ast::Ident,
    title: ast::Str,
    span: Span,
}

struct ProgrammeDecl {
    id: ast::Ident,
    block: Header,
    parent: Option<usize>,
    attrs: Attrs,
    children: Vec<ItemId>,
}

struct ProjectDecl {
    id: ast::Ident,
    block: Header,
    programme: Option<usize>,
    attrs: Attrs,
    milestones: Vec<MilestoneId>,
}

struct MilestoneDecl {
    id: ast::Ident,
    block: Header,
    timing: Option<ast::MilestoneTiming>,
    project: Option<usize>,
    programme: Option<usize>,
    attrs: Attrs,
}

/// The portfolio block's settings once checked; defaults where not given.
struct Settings {
    title: String,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    /// Both ends, only when both are valid and in order.
    window: Option<(NaiveDate, NaiveDate)>,
    status_date: Option<NaiveDate>,
    calendar: CalendarId,
    currency: String,
    symbol: &'static str,
    discount_rate: Percent,
    optimism_bias: Option<Percent>,
    financial_year_start: u32,
    targets: Vec<Target>,
    budgets: Vec<Budget>,
    rag: RagThresholds,
    benefit_rag: BenefitRag,
    risk_distribution: Option<RiskDistribution>,
    money_scale: Option<MoneyScale>,
    confidence: Option<Confidence>,
    /// `appraisal N years`, in months; `None` when not set (ten years).
    appraisal_months: Option<u32>,
    /// Lint thresholds and the portfolio's own `allow`s.
    lint: LintSettings,
    span: Span,
}

struct Validator {
    /// The file named on the command line.
    root: FileId,
    /// What each `include` brings in ([`Plan::includes`]).
    includes: BTreeMap<Span, FileId>,
    /// Files the parser could not fully read ([`Plan::unparsed`]).
    unparsed: BTreeSet<FileId>,
    names: Namespace,
    diagnostics: Vec<Diagnostic>,
    portfolios: Vec<PortfolioDecl>,
    calendars: Vec<CalendarDecl>,
    teams: Vec<TeamDecl>,
    themes: Vec<ThemeDecl>,
    programmes: Vec<ProgrammeDecl>,
    projects: Vec<ProjectDecl>,
    milestones: Vec<MilestoneDecl>,
    roots: Vec<ItemId>,
    /// `allow` lines in projects, added to the portfolio's lint settings at the end.
    project_allows: Vec<Allow>,
    /// Whether an error was held back because a syntax error may have caused it.
    held_back: bool,
    /// The buffer of the last item's [`Once`], handed on to the next item's.
    once_buffer: Vec<(&'static str, Span)>,
    /// The RAID log's entries, in the plan's order, and their ids.
    raid: Vec<raid::RaidDecl>,
    raid_ids: raid::RaidIds,
    /// `scenario` blocks at the top level, checked once every id is declared.
    scenarios: Vec<ast::Block>,
    /// `criteria` blocks at the top level (one is allowed), resolved before the projects.
    criteria_blocks: Vec<(Vec<ast::Criterion>, Span)>,
}

/// The built-in calendars, at the fixed ids the model promises.
const BUILT_IN_CALENDARS: [(&str, CalendarId); 2] = [
    ("england-and-wales", CalendarId::ENGLAND_AND_WALES),
    ("weekdays", CalendarId::WEEKDAYS),
];

/// Declared calendars follow the built-ins in [`Portfolio::calendars`].
const FIRST_DECLARED_CALENDAR: usize = BUILT_IN_CALENDARS.len();

fn index(n: usize) -> u32 {
    // Plans are limited far below 4 billion items (docs/limits.md).
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn calendar_id(declared: usize) -> CalendarId {
    CalendarId(index(declared + FIRST_DECLARED_CALENDAR))
}

impl Validator {
    fn new(
        root: FileId,
        includes: BTreeMap<Span, FileId>,
        unparsed: BTreeSet<FileId>,
    ) -> Validator {
        let mut names = Namespace::default();
        for (id, calendar) in BUILT_IN_CALENDARS {
            let entry = Entry {
                kind: Kind::Calendar,
                index: calendar.0,
            };
            // The namespace is empty, so the built-ins cannot clash.
            let _ = names.declare(id, entry);
        }
        Validator {
            root,
            includes,
            unparsed,
            names,
            diagnostics: Vec::new(),
            portfolios: Vec::new(),
            calendars: Vec::new(),
            teams: Vec::new(),
            themes: Vec::new(),
            programmes: Vec::new(),
            projects: Vec::new(),
            milestones: Vec::new(),
            roots: Vec::new(),
            project_allows: Vec::new(),
            held_back: false,
            once_buffer: Vec::new(),
            raid: Vec::new(),
            raid_ids: raid::RaidIds::new(),
            scenarios: Vec::new(),
            criteria_blocks: Vec::new(),
        }
    }

    /// Records a problem, unless a syntax error may be its cause. The parser recovers by
    /// skipping what it cannot read, so after a syntax error a declaration, a setting or a
    /// block's header may be missing from the tree; the errors that would follow from that
    /// (no portfolio block, unknown names, a missing setting in that file) are held back rather
    /// than shown as a cascade. They come back on the next run once the syntax is fixed.
    fn error(&mut self, diagnostic: Diagnostic) {
        if self.follows_syntax_error(&diagnostic) {
            self.held_back = true;
            return;
        }
        self.diagnostics.push(diagnostic);
    }

    fn follows_syntax_error(&self, diagnostic: &Diagnostic) -> bool {
        let unparsed = &self.unparsed;
        if unparsed.is_empty() {
            return false;
        }
        match diagnostic.code {
            Code::E010MissingPortfolio
            | Code::E020UnknownReference
            | Code::E022UnknownCalendar
            | Code::E023UnknownTheme => true,
            // A line that did not parse (`probability 20`, `on 2024-5-1`) is missing from its
            // block, so the block looks as if it lacked that line: "a risk without a
            // probability" would be false, and the E001 on the line already says what to fix.
            Code::E013MissingSetting | Code::E093RaidDetailMissing => {
                diagnostic.span.is_some_and(|s| unparsed.contains(&s.file))
            }
            _ => false,
        }
    }

    /// Pass 2: checks and converts every block now that every id is known. Programmes come
    /// before projects (which inherit their themes) and projects before milestones (likewise).
    fn resolve(&mut self) -> Option<Portfolio> {
        self.check_scenarios();
        let criteria = self.resolve_criteria();
        let settings = self.portfolio_settings();
        let calendars = self.resolve_calendars();
        let teams = self.resolve_teams(&settings);
        let themes: Vec<Theme> = self
            .themes
            .iter()
            .map(|t| Theme {
                id: t.id.name.to_string(),
                title: t.title.value.to_string(),
                span: t.span,
            })
            .collect();
        let programmes: Vec<Programme> = (0..self.programmes.len())
            .map(|i| self.programme(i))
            .collect();
        let projects: Vec<Project> = (0..self.projects.len())
            .map(|i| self.project(i, &settings, &programmes, &criteria))
            .collect();
        let milestones: Vec<Milestone> = (0..self.milestones.len())
            .map(|i| self.milestone(i, &settings, &programmes, &projects))
            .collect();
        let raid = self.resolve_raid(settings.as_ref(), &projects);
        let settings = settings?;
        let (start, end) = settings.window?;
        Some(Portfolio {
            title: settings.title,
            start,
            end,
            appraisal_end: appraisal_end(start, end, settings.appraisal_months),
            status_date: settings.status_date,
            calendar: settings.calendar,
            currency: settings.currency,
            discount_rate: settings.discount_rate,
            financial_year_start: settings.financial_year_start,
            optimism_bias: settings.optimism_bias,
            risk_distribution: settings.risk_distribution,
            money_scale: settings.money_scale,
            confidence: settings.confidence,
            targets: settings.targets,
            budgets: settings.budgets,
            rag: settings.rag,
            benefit_rag: settings.benefit_rag,
            lint: {
                let mut lint = settings.lint;
                lint.allows.append(&mut self.project_allows);
                lint
            },
            calendars,
            themes,
            teams,
            programmes,
            projects,
            milestones,
            roots: std::mem::take(&mut self.roots),
            raid,
            criteria,
            span: settings.span,
        })
    }
}

/// The last day of the appraisal period: `months` (ten years unless set) from the plan's
/// start, or the plan's end if later; never past the calendars' last day.
fn appraisal_end(start: NaiveDate, end: NaiveDate, months: Option<u32>) -> NaiveDate {
    let months = months.unwrap_or(super::DEFAULT_APPRAISAL_MONTHS);
    start
        .checked_add_months(chrono::Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(crate::calendar::LAST_DATE)
        .min(crate::calendar::LAST_DATE)
        .max(end)
}

/// How messages name a block: "project `p1`", or a fixed phrase ("the portfolio block").
/// Formatted only when a diagnostic is made, so that checking a plan with no mistakes builds
/// no message text at all.
#[derive(Debug, Clone, Copy)]
struct Named<'n> {
    noun: &'static str,
    id: Option<&'n str>,
}

impl<'n> Named<'n> {
    fn item(noun: &'static str, id: &'n ast::Ident) -> Named<'n> {
        Named {
            noun,
            id: Some(&id.name),
        }
    }

    fn phrase(phrase: &'static str) -> Named<'n> {
        Named {
            noun: phrase,
            id: None,
        }
    }
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "{} `{id}`", self.noun),
            None => f.write_str(self.noun),
        }
    }
}

/// Which single-valued settings a block has seen, for E012. A short list rather than a map: a
/// block has a handful of settings, and the list's buffer is handed from block to block
/// ([`Once::reuse`], [`Once::into_buffer`]) so that checking many items allocates nothing here.
struct Once<'n> {
    owner: Named<'n>,
    seen: Vec<(&'static str, Span)>,
}

impl<'n> Once<'n> {
    fn new(owner: Named<'n>) -> Once<'n> {
        Once::reuse(owner, Vec::new())
    }

    /// A fresh record for `owner` in the buffer of an earlier one.
    fn reuse(owner: Named<'n>, mut buffer: Vec<(&'static str, Span)>) -> Once<'n> {
        buffer.clear();
        Once {
            owner,
            seen: buffer,
        }
    }

    fn into_buffer(self) -> Vec<(&'static str, Span)> {
        self.seen
    }

    /// `true` the first time a setting appears; E012 (pointing at both) after that.
    fn first(&mut self, attr: &Attr, diagnostics: &mut Vec<Diagnostic>) -> bool {
        let keyword = attr.keyword();
        match self.span(keyword) {
            Some(first) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E012DuplicateSetting,
                        attr.span(),
                        format!("`{keyword}` is given twice in {}", self.owner),
                    )
                    .with_note(Some(first), format!("`{keyword}` is first given here"))
                    .with_hint(format!("keep one `{keyword}` line")),
                );
                false
            }
            None => {
                self.seen.push((keyword, attr.span()));
                true
            }
        }
    }

    fn seen(&self, keyword: &str) -> bool {
        self.span(keyword).is_some()
    }

    fn span(&self, keyword: &str) -> Option<Span> {
        self.seen
            .iter()
            .find(|(k, _)| *k == keyword)
            .map(|(_, span)| *span)
    }
}

fn item_id(entry: Entry) -> ItemId {
    match entry.kind {
        Kind::Project => ItemId::Project(ProjectId(entry.index)),
        Kind::Milestone => ItemId::Milestone(MilestoneId(entry.index)),
        Kind::Programme => ItemId::Programme(ProgrammeId(entry.index)),
        Kind::Theme | Kind::Calendar | Kind::Team => {
            panic!(
                "reference() only returns entries of the kinds asked for, never themes or calendars"
            )
        }
    }
}

/// Whether `programme` is `container` or inside it. Parents are declared before their
/// children, so the walk up always ends.
fn contains(
    programmes: &[Programme],
    container: ProgrammeId,
    mut programme: Option<usize>,
) -> bool {
    while let Some(p) = programme {
        if p == container.0 as usize {
            return true;
        }
        programme = programmes
            .get(p)
            .and_then(|x| x.parent)
            .map(|x| x.0 as usize);
    }
    false
}

/// The theme of the nearest programme (this one or one around it) that has one.
fn inherited_theme(mut programme: Option<usize>, programmes: &[Programme]) -> Option<ThemeId> {
    while let Some(p) = programme {
        let current = programmes.get(p)?;
        if current.theme.is_some() {
            return current.theme;
        }
        programme = current.parent.map(|x| x.0 as usize);
    }
    None
}

fn title(block: &Header, id: &ast::Ident) -> CompactString {
    block.title.as_ref().map_or(&id.name, |t| &t.value).clone()
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

fn reference_text(reference: &ast::Reference) -> String {
    reference
        .parts()
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

fn keyword_span(attr: &Attr) -> Span {
    match attr {
        Attr::Portfolio(block)
        | Attr::Calendar(block)
        | Attr::Programme(block)
        | Attr::Project(block) => block.keyword_span,
        Attr::Milestone { block, .. } => block.keyword_span,
        other => other.span(),
    }
}

/// Where an attribute belongs, for the hint of E050.
fn belongs(attr: &Attr) -> &'static str {
    match attr {
        Attr::Start(..)
        | Attr::End(..)
        | Attr::StatusDate(..)
        | Attr::Currency(..)
        | Attr::DiscountRate(..)
        | Attr::FinancialYearStart(..)
        | Attr::TargetSavings { .. }
        | Attr::Budget { .. }
        | Attr::Rag { .. }
        | Attr::RagBenefits { .. }
        | Attr::RiskDistribution(..)
        | Attr::ReportMoney(..)
        | Attr::Lint { .. } => "in the `portfolio` block",
        Attr::Confidence { .. } => "in the `portfolio` block, a programme or a project",
        Attr::Allow(..) => "in the `portfolio` block or a project",
        Attr::OptimismBias(..) => "in the `portfolio` block (for every project) or in a project",
        Attr::Appraisal(..) => "in the `portfolio` block",
        Attr::BasedOn(..) | Attr::Closed { .. } | Attr::Weekend(..) => "in a `calendar` block",
        Attr::Size { .. } => "in a `team` block",
        Attr::Needs { .. } | Attr::Priority(..) => "in a project",
        Attr::Duration { .. }
        | Attr::NotBefore(..)
        | Attr::Cost { .. }
        | Attr::Saving { .. }
        | Attr::Benefit { .. }
        | Attr::ActualStart(..)
        | Attr::Complete(..)
        | Attr::Spent { .. }
        | Attr::Realised { .. } => "in a project",
        Attr::Dependency { .. }
        | Attr::Deadline(..)
        | Attr::Baseline { .. }
        | Attr::ActualFinish(..) => "in a project or a milestone",
        Attr::Owner(..) | Attr::ThemeRef(..) | Attr::Tags(..) | Attr::Description(..) => {
            "in a programme, a project or a milestone"
        }
        Attr::CalendarRef(..) => "in a project, a team or the portfolio block",
        Attr::Raid { .. } => "at the top level of a file or in a programme",
        Attr::Mitigation(_) | Attr::Review(..) => "in a `risk`",
        Attr::Probability(..) => "in a `risk` or its `mitigation`",
        Attr::Affects(_) => "in a `risk` or an `issue`",
        Attr::RaidStatus(..) => "in a `risk`, an `issue` or an `assumption`",
        Attr::Raised(..) | Attr::Due(..) => "in an `issue`",
        Attr::Until(..) => "in an `assumption`",
        Attr::DecidedOn(..) | Attr::DecidedBy(..) => "in a `decision`",
        Attr::Scenario(_) | Attr::Criteria(..) => "at the top level of a file",
        Attr::BaselineOption(_)
        | Attr::Remove(..)
        | Attr::RemoveAll(_)
        | Attr::Keep(..)
        | Attr::Change(_) => "in a `scenario`",
        Attr::Score(..) | Attr::Mandatory(_) => "in a project",
        Attr::Portfolio(_)
        | Attr::Calendar(_)
        | Attr::Theme { .. }
        | Attr::Programme(_)
        | Attr::Project(_)
        | Attr::Team(_)
        | Attr::Milestone { .. }
        | Attr::Include { .. } => "at the top level of a file",
    }
}

fn month_number(month: ast::MonthName) -> u32 {
    use ast::MonthName::*;
    match month {
        January => 1,
        February => 2,
        March => 3,
        April => 4,
        May => 5,
        June => 6,
        July => 7,
        August => 8,
        September => 9,
        October => 10,
        November => 11,
        December => 12,
    }
}

fn weekday(day: ast::Weekday) -> chrono::Weekday {
    match day {
        ast::Weekday::Mon => chrono::Weekday::Mon,
        ast::Weekday::Tue => chrono::Weekday::Tue,
        ast::Weekday::Wed => chrono::Weekday::Wed,
        ast::Weekday::Thu => chrono::Weekday::Thu,
        ast::Weekday::Fri => chrono::Weekday::Fri,
        ast::Weekday::Sat => chrono::Weekday::Sat,
        ast::Weekday::Sun => chrono::Weekday::Sun,
    }
}

fn budget_word(kind: BudgetKind) -> &'static str {
    match kind {
        BudgetKind::Capital => "capital",
        BudgetKind::Revenue => "revenue",
    }
}

fn fy_label(year: FinancialYear) -> String {
    format!("{}/{:02}", year.0, (year.0 + 1).rem_euclid(100))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fixtures;

#[cfg(test)]
mod limit_tests {
    use super::*;
    use crate::diagnostic::FileId;

    /// Guards the item limit (issue 10): a plan over it is one E006 error, before resolution.
    #[test]
    fn a_plan_over_the_item_limit_is_refused_with_e006() {
        let text = "portfolio \"P\" {\n  start 2021-04-01\n  end 2022-03-31\n}\nproject a { duration 1 day }\nproject b { duration 1 day }\nmilestone m on 2021-05-03\n";
        let (file, diagnostics) = crate::syntax::parse(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let plan = Plan {
            root: FileId(0),
            files: [(FileId(0), file)].into_iter().collect(),
            includes: BTreeMap::new(),
            unparsed: BTreeSet::new(),
        };
        let (portfolio, diagnostics) = validate_at_most(plan.clone(), 2);
        assert!(portfolio.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, Code::E006TooLarge);
        assert!(
            diagnostics[0]
                .message
                .contains("3 programmes, projects and milestones")
        );
        assert!(validate_at_most(plan, 3).0.is_some());
    }
}
