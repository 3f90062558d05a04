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
//! Invariant: no recursion. Nesting is walked with an explicit stack, and each included file is
//! spliced at most once, so even a hand-built plan with an include loop terminates.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::names::{Entry, Kind, Namespace};
use super::values;
use super::{
    Anchor, Baseline, Benefit, Budget, BudgetKind, CalendarDef, CalendarId, Closure, Cost, Dated,
    Dependency, Estimate, ItemId, LinkKind, Milestone, MilestoneId, MilestoneTiming, Portfolio,
    Programme, ProgrammeId, Progress, Project, ProjectId, RagThresholds, Recurrence, Saving,
    Target, Theme, ThemeId,
};
use crate::diagnostic::{self, Code, Diagnostic, FileId, Span};
use crate::money::{Money, Percent};
use crate::source::Plan;
use crate::syntax::ast::{self, Attr};

/// Resolves and checks a plan. The portfolio is `Some` exactly when no diagnostic is an error;
/// warnings come back either way.
pub fn validate(plan: &Plan) -> (Option<Portfolio>, Vec<Diagnostic>) {
    let mut validator = Validator::new(plan);
    validator.collect();
    let portfolio = validator.resolve();
    let mut diagnostics = validator.diagnostics;
    diagnostic::sort(&mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    (if failed { None } else { portfolio }, diagnostics)
}

/// The block an attribute was found in, while collecting. Indices are into the validator's
/// declaration lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Top,
    Portfolio(usize),
    Calendar(usize),
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
            Owner::Programme(_) => "in a programme",
            Owner::Project(_) => "in a project",
            Owner::Milestone(_) => "in a milestone",
        }
    }
}

struct PortfolioDecl<'a> {
    block: &'a ast::Block,
    attrs: Vec<&'a Attr>,
}

struct CalendarDecl<'a> {
    id: &'a ast::Ident,
    block: &'a ast::Block,
    attrs: Vec<&'a Attr>,
}

struct ThemeDecl<'a> {
    id: &'a ast::Ident,
    title: &'a ast::Str,
    span: Span,
}

struct ProgrammeDecl<'a> {
    id: &'a ast::Ident,
    block: &'a ast::Block,
    parent: Option<usize>,
    attrs: Vec<&'a Attr>,
    children: Vec<ItemId>,
}

struct ProjectDecl<'a> {
    id: &'a ast::Ident,
    block: &'a ast::Block,
    programme: Option<usize>,
    attrs: Vec<&'a Attr>,
    milestones: Vec<MilestoneId>,
}

struct MilestoneDecl<'a> {
    id: &'a ast::Ident,
    block: &'a ast::Block,
    timing: Option<&'a ast::MilestoneTiming>,
    project: Option<usize>,
    programme: Option<usize>,
    attrs: Vec<&'a Attr>,
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
    financial_year_start: u32,
    targets: Vec<Target>,
    budgets: Vec<Budget>,
    rag: RagThresholds,
    span: Span,
}

struct Validator<'a> {
    plan: &'a Plan,
    names: Namespace,
    diagnostics: Vec<Diagnostic>,
    portfolios: Vec<PortfolioDecl<'a>>,
    calendars: Vec<CalendarDecl<'a>>,
    themes: Vec<ThemeDecl<'a>>,
    programmes: Vec<ProgrammeDecl<'a>>,
    projects: Vec<ProjectDecl<'a>>,
    milestones: Vec<MilestoneDecl<'a>>,
    roots: Vec<ItemId>,
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

impl<'a> Validator<'a> {
    fn new(plan: &'a Plan) -> Validator<'a> {
        let mut names = Namespace::default();
        for (id, calendar) in BUILT_IN_CALENDARS {
            let entry = Entry {
                kind: Kind::Calendar,
                index: calendar.0,
                span: None,
            };
            // The namespace is empty, so the built-ins cannot clash.
            let _ = names.declare(id, entry);
        }
        Validator {
            plan,
            names,
            diagnostics: Vec::new(),
            portfolios: Vec::new(),
            calendars: Vec::new(),
            themes: Vec::new(),
            programmes: Vec::new(),
            projects: Vec::new(),
            milestones: Vec::new(),
            roots: Vec::new(),
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    // ----- pass 1: collect declarations ------------------------------------------------------

    fn collect(&mut self) {
        let plan = self.plan;
        let Some(root) = plan.files.get(&plan.root) else {
            panic!("source::load puts the root file in Plan::files");
        };
        let mut spliced: BTreeSet<FileId> = BTreeSet::from([plan.root]);
        let mut stack: Vec<(std::slice::Iter<'a, Attr>, Owner)> =
            vec![(root.items.iter(), Owner::Top)];
        while let Some((items, owner)) = stack.last_mut() {
            let owner = *owner;
            let Some(attr) = items.next() else {
                stack.pop();
                continue;
            };
            match attr {
                Attr::Include { span, .. } => {
                    let file = plan.includes.get(span).copied();
                    if let Some(file) = file.filter(|f| spliced.insert(*f)) {
                        if let Some(parsed) = plan.files.get(&file) {
                            stack.push((parsed.items.iter(), owner));
                        }
                    }
                }
                Attr::Portfolio(block) => {
                    if owner != Owner::Top {
                        self.misplaced_item(
                            attr,
                            owner,
                            "declare the portfolio block at the top level of a file",
                        );
                    }
                    self.portfolios.push(PortfolioDecl {
                        block,
                        attrs: Vec::new(),
                    });
                    stack.push((
                        block.body.iter(),
                        Owner::Portfolio(self.portfolios.len() - 1),
                    ));
                }
                Attr::Calendar(block) => {
                    let Some(id) = &block.id else { continue };
                    if !matches!(owner, Owner::Top | Owner::Programme(_)) {
                        self.misplaced_item(
                            attr,
                            owner,
                            "declare calendars at the top level of a file",
                        );
                    }
                    let i = self.calendars.len();
                    self.declare(id, Kind::Calendar, calendar_id(i).0);
                    self.calendars.push(CalendarDecl {
                        id,
                        block,
                        attrs: Vec::new(),
                    });
                    stack.push((block.body.iter(), Owner::Calendar(i)));
                }
                Attr::Theme { id, title, span } => {
                    if !matches!(owner, Owner::Top | Owner::Programme(_)) {
                        self.misplaced_item(
                            attr,
                            owner,
                            "declare themes at the top level of a file",
                        );
                    }
                    self.declare(id, Kind::Theme, index(self.themes.len()));
                    self.themes.push(ThemeDecl {
                        id,
                        title,
                        span: *span,
                    });
                }
                Attr::Programme(block) => {
                    let Some(id) = &block.id else { continue };
                    if !matches!(owner, Owner::Top | Owner::Programme(_)) {
                        self.misplaced_item(
                            attr,
                            owner,
                            "declare a programme at the top level or inside another programme",
                        );
                    }
                    let i = self.programmes.len();
                    let parent = self.programme_of(owner);
                    self.declare(id, Kind::Programme, index(i));
                    self.add_child(parent, ItemId::Programme(ProgrammeId(index(i))));
                    self.programmes.push(ProgrammeDecl {
                        id,
                        block,
                        parent,
                        attrs: Vec::new(),
                        children: Vec::new(),
                    });
                    stack.push((block.body.iter(), Owner::Programme(i)));
                }
                Attr::Project(block) => {
                    let Some(id) = &block.id else { continue };
                    if !matches!(owner, Owner::Top | Owner::Programme(_)) {
                        self.misplaced_item(
                            attr,
                            owner,
                            "declare a project at the top level or inside a programme",
                        );
                    }
                    let i = self.projects.len();
                    let programme = self.programme_of(owner);
                    self.declare(id, Kind::Project, index(i));
                    self.add_child(programme, ItemId::Project(ProjectId(index(i))));
                    self.projects.push(ProjectDecl {
                        id,
                        block,
                        programme,
                        attrs: Vec::new(),
                        milestones: Vec::new(),
                    });
                    stack.push((block.body.iter(), Owner::Project(i)));
                }
                Attr::Milestone { block, timing } => {
                    let Some(id) = &block.id else { continue };
                    if !matches!(owner, Owner::Top | Owner::Programme(_) | Owner::Project(_)) {
                        self.misplaced_item(
                            attr,
                            owner,
                            "declare a milestone at the top level, in a programme or in a project",
                        );
                    }
                    let i = self.milestones.len();
                    let milestone_id = MilestoneId(index(i));
                    let project = self.project_of(owner);
                    let programme = self.programme_of(owner);
                    self.declare(id, Kind::Milestone, index(i));
                    match project {
                        Some(p) => {
                            if let Some(decl) = self.projects.get_mut(p) {
                                decl.milestones.push(milestone_id);
                            }
                        }
                        None => self.add_child(programme, ItemId::Milestone(milestone_id)),
                    }
                    self.milestones.push(MilestoneDecl {
                        id,
                        block,
                        timing: timing.as_ref(),
                        project,
                        programme,
                        attrs: Vec::new(),
                    });
                    stack.push((block.body.iter(), Owner::Milestone(i)));
                }
                other => {
                    let attrs = match owner {
                        Owner::Top => None,
                        Owner::Portfolio(i) => self.portfolios.get_mut(i).map(|d| &mut d.attrs),
                        Owner::Calendar(i) => self.calendars.get_mut(i).map(|d| &mut d.attrs),
                        Owner::Programme(i) => self.programmes.get_mut(i).map(|d| &mut d.attrs),
                        Owner::Project(i) => self.projects.get_mut(i).map(|d| &mut d.attrs),
                        Owner::Milestone(i) => self.milestones.get_mut(i).map(|d| &mut d.attrs),
                    };
                    match attrs {
                        Some(attrs) => attrs.push(other),
                        None => self.misplaced(other, owner),
                    }
                }
            }
        }
    }

    /// The programme new items land in: the owner itself, or the programme around the
    /// project or milestone (for items wrongly nested there, so they still resolve).
    fn programme_of(&self, owner: Owner) -> Option<usize> {
        match owner {
            Owner::Programme(p) => Some(p),
            Owner::Project(p) => self.projects.get(p).and_then(|d| d.programme),
            Owner::Milestone(m) => self.milestones.get(m).and_then(|d| d.programme),
            Owner::Top | Owner::Portfolio(_) | Owner::Calendar(_) => None,
        }
    }

    fn project_of(&self, owner: Owner) -> Option<usize> {
        match owner {
            Owner::Project(p) => Some(p),
            Owner::Milestone(m) => self.milestones.get(m).and_then(|d| d.project),
            _ => None,
        }
    }

    fn add_child(&mut self, programme: Option<usize>, child: ItemId) {
        match programme.and_then(|p| self.programmes.get_mut(p)) {
            Some(parent) => parent.children.push(child),
            None => self.roots.push(child),
        }
    }

    fn declare(&mut self, id: &ast::Ident, kind: Kind, index: u32) {
        let entry = Entry {
            kind,
            index,
            span: Some(id.span),
        };
        if let Err(first) = self.names.declare(&id.name, entry) {
            let name = &id.name;
            let diagnostic = match first.span {
                Some(span) => Diagnostic::new(
                    Code::E021DuplicateId,
                    id.span,
                    format!("`{name}` is already declared, as a {}", first.kind.noun()),
                )
                .with_note(Some(span), format!("`{name}` is first declared here")),
                None => Diagnostic::new(
                    Code::E021DuplicateId,
                    id.span,
                    format!("`{name}` is the name of a built-in calendar"),
                ),
            };
            self.error(diagnostic.with_hint(
                "programmes, projects, milestones, themes and calendars share one namespace: give this one another id",
            ));
        }
    }

    fn misplaced_item(&mut self, attr: &Attr, owner: Owner, hint: &str) {
        self.error(
            Diagnostic::new(
                Code::E050MisplacedAttribute,
                keyword_span(attr),
                format!("a {} cannot be declared {}", attr.keyword(), owner.place()),
            )
            .with_hint(hint),
        );
    }

    /// E050 for an attribute that does not belong where it stands, with a hint where it does.
    fn misplaced(&mut self, attr: &Attr, owner: Owner) {
        let keyword = attr.keyword();
        let hint = match attr {
            Attr::Dependency { .. } if matches!(owner, Owner::Programme(_)) => {
                "a programme's dates come from its work: put the dependency on the projects inside it"
                    .to_string()
            }
            Attr::ActualStart(..) | Attr::Complete(..) if matches!(owner, Owner::Milestone(_)) => {
                "a milestone happens on one day: record it with `actual-finish DATE`".to_string()
            }
            Attr::NotBefore(..) if matches!(owner, Owner::Milestone(_)) => {
                "fix a milestone's date with `on DATE` on its declaration line, or give it dependencies"
                    .to_string()
            }
            _ => format!("`{keyword}` belongs {}", belongs(attr)),
        };
        self.error(
            Diagnostic::new(
                Code::E050MisplacedAttribute,
                attr.span(),
                format!("`{keyword}` is not allowed {}", owner.place()),
            )
            .with_hint(hint),
        );
    }

    // ----- pass 2: resolve -------------------------------------------------------------------

    fn resolve(&mut self) -> Option<Portfolio> {
        let settings = self.portfolio_settings();
        let calendars = self.resolve_calendars();
        let themes: Vec<Theme> = self
            .themes
            .iter()
            .map(|t| Theme {
                id: t.id.name.clone(),
                title: t.title.value.clone(),
                span: t.span,
            })
            .collect();
        let programmes: Vec<Programme> = (0..self.programmes.len())
            .map(|i| self.programme(i))
            .collect();
        let projects: Vec<Project> = (0..self.projects.len())
            .map(|i| self.project(i, &settings, &programmes))
            .collect();
        let milestones: Vec<Milestone> = (0..self.milestones.len())
            .map(|i| self.milestone(i, &settings, &programmes, &projects))
            .collect();
        let settings = settings?;
        let (start, end) = settings.window?;
        Some(Portfolio {
            title: settings.title,
            start,
            end,
            status_date: settings.status_date,
            calendar: settings.calendar,
            currency: settings.currency,
            discount_rate: settings.discount_rate,
            financial_year_start: settings.financial_year_start,
            targets: settings.targets,
            budgets: settings.budgets,
            rag: settings.rag,
            calendars,
            themes,
            programmes,
            projects,
            milestones,
            roots: std::mem::take(&mut self.roots),
            span: settings.span,
        })
    }

    /// The portfolio block's settings, with E010/E011 for a missing or second block and E013
    /// for missing `start`/`end`. `None` when there is no portfolio block at all.
    fn portfolio_settings(&mut self) -> Option<Settings> {
        let Some(first) = self.portfolios.first() else {
            let span = Span::new(self.plan.root, 0, 0);
            self.error(
                Diagnostic::new(Code::E010MissingPortfolio, span, "this plan has no `portfolio` block")
                    .with_hint("add `portfolio \"Title\" { start 2020-04-01 end 2025-03-31 }` to the main file"),
            );
            return None;
        };
        let block = first.block;
        let attrs = first.attrs.clone();
        let extra: Vec<Span> = self
            .portfolios
            .iter()
            .skip(1)
            .map(|p| p.block.keyword_span)
            .collect();
        for span in extra {
            self.error(
                Diagnostic::new(
                    Code::E011SecondPortfolio,
                    span,
                    "a plan has one `portfolio` block, and this is a second",
                )
                .with_note(
                    Some(block.keyword_span),
                    "the first `portfolio` block is here",
                )
                .with_hint(
                    "move these settings into the first portfolio block and delete this one",
                ),
            );
        }

        let mut settings = Settings {
            title: block
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_else(|| "Portfolio".to_string()),
            start: None,
            end: None,
            window: None,
            status_date: None,
            calendar: CalendarId::ENGLAND_AND_WALES,
            currency: "GBP".to_string(),
            symbol: "£",
            discount_rate: Percent(350),
            financial_year_start: 4,
            targets: Vec::new(),
            budgets: Vec::new(),
            rag: RagThresholds {
                amber_days: 10,
                red_days: 30,
            },
            span: block.span,
        };
        let mut once = Once::new("the portfolio block");
        let mut status_span = None;
        // Currency first: every amount below is read in it, whatever order the lines are in.
        for attr in &attrs {
            if let Attr::Currency(code, _) = attr {
                if !once.first(attr, &mut self.diagnostics) {
                    continue;
                }
                match values::currency_symbol(&code.name) {
                    Some(symbol) => {
                        settings.currency = code.name.to_ascii_uppercase();
                        settings.symbol = symbol;
                    }
                    None => self.error(
                        Diagnostic::new(
                            Code::E051BadValue,
                            code.span,
                            format!("unknown currency `{}`", code.name),
                        )
                        .with_hint("tranche knows `GBP` (£), `EUR` (€) and `USD` ($)"),
                    ),
                }
            }
        }
        let mut target_years: BTreeMap<super::FinancialYear, Span> = BTreeMap::new();
        let mut budget_years: BTreeMap<(bool, super::FinancialYear), Span> = BTreeMap::new();
        let mut fy_literals: Vec<(super::FinancialYear, Span)> = Vec::new();
        for attr in attrs {
            match attr {
                Attr::Currency(..) => {}
                Attr::Start(date, _) if once.first(attr, &mut self.diagnostics) => {
                    settings.start = self.date(date);
                }
                Attr::End(date, _) if once.first(attr, &mut self.diagnostics) => {
                    settings.end = self.date(date);
                }
                Attr::StatusDate(date, span) if once.first(attr, &mut self.diagnostics) => {
                    settings.status_date = self.date(date);
                    status_span = Some(*span);
                }
                Attr::CalendarRef(id, _) if once.first(attr, &mut self.diagnostics) => {
                    if let Some(calendar) = self.calendar_ref(id) {
                        settings.calendar = calendar;
                    }
                }
                Attr::DiscountRate(rate, _) if once.first(attr, &mut self.diagnostics) => {
                    match values::percent(rate) {
                        Ok(p) if p > Percent::HUNDRED => self.error(
                            Diagnostic::new(
                                Code::E051BadValue,
                                rate.span,
                                format!("a discount rate of {p} is more than 100%"),
                            )
                            .with_hint("the HM Treasury Green Book rate is `3.5%`"),
                        ),
                        Ok(p) => settings.discount_rate = p,
                        Err(d) => self.error(d),
                    }
                }
                Attr::FinancialYearStart(month, _) if once.first(attr, &mut self.diagnostics) => {
                    settings.financial_year_start = month_number(*month);
                }
                Attr::Rag { amber, red, span } if once.first(attr, &mut self.diagnostics) => {
                    let amber_days = self.days(amber);
                    let red_days = self.days(red);
                    if let (Some(a), Some(r)) = (amber_days, red_days) {
                        if a > r {
                            self.error(
                                Diagnostic::new(
                                    Code::E052Conflict,
                                    *span,
                                    format!("the amber threshold ({a} working days) is above the red one ({r})"),
                                )
                                .with_hint("amber warns before red: make amber the smaller slippage"),
                            );
                        } else {
                            settings.rag = RagThresholds {
                                amber_days: u32::try_from(a).unwrap_or(u32::MAX),
                                red_days: u32::try_from(r).unwrap_or(u32::MAX),
                            };
                        }
                    }
                }
                Attr::TargetSavings { amount, fy, span } => {
                    let amount = self.money(amount, &settings);
                    let year = self.financial_year(fy);
                    if let Some(year) = year {
                        fy_literals.push((year, fy.span));
                        if let Some(first) = target_years.get(&year) {
                            self.error(
                                Diagnostic::new(
                                    Code::E012DuplicateSetting,
                                    *span,
                                    format!("a savings target for {} is given twice", fy.text),
                                )
                                .with_note(Some(*first), "the first target for that year is here")
                                .with_hint("keep one target per financial year"),
                            );
                            continue;
                        }
                        target_years.insert(year, *span);
                    }
                    if let (Some(amount), Some(year)) = (amount, year) {
                        settings.targets.push(Target {
                            amount,
                            year,
                            span: *span,
                        });
                    }
                }
                Attr::Budget {
                    kind,
                    amount,
                    fy,
                    span,
                } => {
                    let amount = self.money(amount, &settings);
                    let year = self.financial_year(fy);
                    let kind = match kind {
                        ast::BudgetKind::Capital => BudgetKind::Capital,
                        ast::BudgetKind::Revenue => BudgetKind::Revenue,
                    };
                    if let Some(year) = year {
                        fy_literals.push((year, fy.span));
                        let key = (kind == BudgetKind::Capital, year);
                        if let Some(first) = budget_years.get(&key) {
                            self.error(
                                Diagnostic::new(
                                    Code::E012DuplicateSetting,
                                    *span,
                                    format!(
                                        "a {} budget for {} is given twice",
                                        budget_word(kind),
                                        fy.text
                                    ),
                                )
                                .with_note(Some(*first), "the first budget for that year is here")
                                .with_hint("keep one budget of each kind per financial year"),
                            );
                            continue;
                        }
                        budget_years.insert(key, *span);
                    }
                    if let (Some(amount), Some(year)) = (amount, year) {
                        settings.budgets.push(Budget {
                            kind,
                            amount,
                            year,
                            span: *span,
                        });
                    }
                }
                Attr::Start(..)
                | Attr::End(..)
                | Attr::StatusDate(..)
                | Attr::CalendarRef(..)
                | Attr::DiscountRate(..)
                | Attr::FinancialYearStart(..)
                | Attr::Rag { .. } => {}
                other => self.misplaced(other, Owner::Portfolio(0)),
            }
        }

        for (value, keyword, example) in [
            (settings.start, "start", "start 2020-04-01"),
            (settings.end, "end", "end 2025-03-31"),
        ] {
            if value.is_none() && !once.seen(keyword) {
                self.error(
                    Diagnostic::new(
                        Code::E013MissingSetting,
                        block.keyword_span,
                        format!("the portfolio block has no `{keyword}`"),
                    )
                    .with_hint(format!(
                        "add `{example}`: the plan window runs from `start` to `end`"
                    )),
                );
            }
        }
        if let (Some(start), Some(end)) = (settings.start, settings.end) {
            if end < start {
                let span = once.span("end").unwrap_or(block.keyword_span);
                self.error(
                    Diagnostic::new(
                        Code::E014BadPlanWindow,
                        span,
                        format!("the plan ends on {end}, before it starts on {start}"),
                    )
                    .with_hint("swap `start` and `end`, or correct one of them"),
                );
            } else {
                settings.window = Some((start, end));
            }
        }
        if let (Some(status), Some((start, end)), Some(span)) =
            (settings.status_date, settings.window, status_span)
        {
            if status < start || status > end {
                self.error(
                    Diagnostic::new(
                        Code::E014BadPlanWindow,
                        span,
                        format!("the status date {status} is outside the plan ({start} to {end})"),
                    )
                    .with_hint("the status date is the day progress is reported as of: it must lie in the plan"),
                );
            }
        }
        if let Some((start, end)) = settings.window {
            for (year, span) in fy_literals {
                let Some((first, last)) =
                    values::financial_year_days(year, settings.financial_year_start)
                else {
                    continue;
                };
                if last < start || first > end {
                    self.error(
                        Diagnostic::new(
                            Code::E048FinancialYearOutsidePlan,
                            span,
                            format!(
                                "financial year {} ({first} to {last}) lies outside the plan ({start} to {end})",
                                fy_label(year)
                            ),
                        )
                        .with_hint("give targets and budgets for financial years the plan covers"),
                    );
                }
            }
        }
        Some(settings)
    }

    fn resolve_calendars(&mut self) -> Vec<CalendarDef> {
        let mut calendars: Vec<CalendarDef> = BUILT_IN_CALENDARS
            .iter()
            .map(|(id, calendar)| CalendarDef {
                id: (*id).to_string(),
                based_on: None,
                weekend: None,
                closed: Vec::new(),
                bank_holidays: *calendar == CalendarId::ENGLAND_AND_WALES,
                span: Span::default(),
            })
            .collect();
        let mut based_on_spans: Vec<Option<Span>> = Vec::new();
        for i in 0..self.calendars.len() {
            let (id, block, attrs) = match self.calendars.get(i) {
                Some(d) => (d.id, d.block, d.attrs.clone()),
                None => continue,
            };
            let mut once = Once::new(format!("calendar `{}`", id.name));
            // A calendar with no `based-on` extends England and Wales, the portfolio default:
            // a council's own calendar nearly always keeps the bank holidays.
            let mut definition = CalendarDef {
                id: id.name.clone(),
                based_on: Some(CalendarId::ENGLAND_AND_WALES),
                weekend: None,
                closed: Vec::new(),
                bank_holidays: false,
                span: block.span,
            };
            let mut based_on_span = None;
            for attr in attrs {
                match attr {
                    Attr::BasedOn(base, span) if once.first(attr, &mut self.diagnostics) => {
                        if let Some(base) = self.calendar_ref(base) {
                            definition.based_on = Some(base);
                            based_on_span = Some(*span);
                        }
                    }
                    Attr::Weekend(days, span) if once.first(attr, &mut self.diagnostics) => {
                        let mut weekend: Vec<chrono::Weekday> =
                            days.iter().map(|d| weekday(*d)).collect();
                        weekend.sort_by_key(|d| d.num_days_from_monday());
                        weekend.dedup();
                        if weekend.len() == 7 {
                            self.error(
                                Diagnostic::new(
                                    Code::E051BadValue,
                                    *span,
                                    "a weekend of all seven days leaves no working days",
                                )
                                .with_hint("list only the days that are not worked, such as `weekend sat sun`"),
                            );
                        } else {
                            definition.weekend = Some(weekend);
                        }
                    }
                    Attr::Closed {
                        from,
                        to,
                        reason,
                        span,
                    } => {
                        let from_date = self.date(from);
                        let to_date = match to {
                            Some(to) => self.date(to),
                            None => from_date,
                        };
                        if let (Some(from_date), Some(to_date)) = (from_date, to_date) {
                            if to_date < from_date {
                                self.error(
                                    Diagnostic::new(
                                        Code::E043FinishBeforeStart,
                                        *span,
                                        format!("the closure ends on {to_date}, before it starts on {from_date}"),
                                    )
                                    .with_hint("write the earlier date first: `closed FROM to TO`"),
                                );
                                continue;
                            }
                            definition.closed.push(Closure {
                                from: from_date,
                                to: to_date,
                                reason: reason.as_ref().map(|r| r.value.clone()),
                                span: *span,
                            });
                        }
                    }
                    Attr::BasedOn(..) | Attr::Weekend(..) => {}
                    other => self.misplaced(other, Owner::Calendar(i)),
                }
            }
            based_on_spans.push(based_on_span);
            calendars.push(definition);
        }
        // `based-on` chains must end at a built-in. Report a loop once, at the calendar on it
        // declared first.
        for (i, span) in based_on_spans.iter().enumerate() {
            let me = i + FIRST_DECLARED_CALENDAR;
            let mut current = calendars.get(me).and_then(|c| c.based_on);
            let mut path = vec![me];
            let mut steps = 0;
            while let Some(next) = current {
                let next = next.0 as usize;
                if next == me || steps > calendars.len() {
                    break;
                }
                path.push(next);
                current = calendars.get(next).and_then(|c| c.based_on);
                steps += 1;
            }
            let on_loop = current.map(|c| c.0 as usize) == Some(me);
            if on_loop && path.iter().all(|&p| p >= me) {
                let names: Vec<String> = path
                    .iter()
                    .chain(std::iter::once(&me))
                    .filter_map(|&p| calendars.get(p).map(|c| format!("`{}`", c.id)))
                    .collect();
                let span =
                    span.unwrap_or_else(|| calendars.get(me).map(|c| c.span).unwrap_or_default());
                self.error(
                    Diagnostic::new(
                        Code::E031SelfDependency,
                        span,
                        format!(
                            "calendar `{}` is based on itself: {}",
                            calendars.get(me).map(|c| c.id.as_str()).unwrap_or(""),
                            names.join(" -> ")
                        ),
                    )
                    .with_hint("base one of these calendars on `england-and-wales` or `weekdays`"),
                );
            }
        }
        calendars
    }

    fn programme(&mut self, i: usize) -> Programme {
        let Some(decl) = self.programmes.get(i) else {
            panic!("programme index {i} comes from the declaration list");
        };
        let (id, block, parent, attrs, children) = (
            decl.id,
            decl.block,
            decl.parent,
            decl.attrs.clone(),
            decl.children.clone(),
        );
        let mut programme = Programme {
            id: id.name.clone(),
            title: title(block, id),
            parent: parent.map(|p| ProgrammeId(index(p))),
            owner: None,
            theme: None,
            description: None,
            tags: Vec::new(),
            children,
            span: block.span,
        };
        let mut once = Once::new(format!("programme `{}`", id.name));
        for attr in attrs {
            if !self.descriptive(
                attr,
                &mut once,
                &mut programme.owner,
                &mut programme.theme,
                &mut programme.description,
                &mut programme.tags,
            ) {
                self.misplaced(attr, Owner::Programme(i));
            }
        }
        programme
    }

    /// Handles `owner`, `theme`, `tags` and `description`, shared by programmes, projects and
    /// milestones. Returns `false` for any other attribute.
    fn descriptive(
        &mut self,
        attr: &Attr,
        once: &mut Once,
        owner: &mut Option<String>,
        theme: &mut Option<ThemeId>,
        description: &mut Option<String>,
        tags: &mut Vec<String>,
    ) -> bool {
        match attr {
            Attr::Owner(text, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *owner = Some(text.value.clone());
                }
            }
            Attr::Description(text, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *description = Some(text.value.clone());
                }
            }
            Attr::Tags(list, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *tags = list.iter().map(|t| t.name.clone()).collect();
                }
            }
            Attr::ThemeRef(id, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *theme = self.theme_ref(id);
                }
            }
            _ => return false,
        }
        true
    }

    fn project(
        &mut self,
        i: usize,
        settings: &Option<Settings>,
        programmes: &[Programme],
    ) -> Project {
        let Some(decl) = self.projects.get(i) else {
            panic!("project index {i} comes from the declaration list");
        };
        let (id, block, programme_index, attrs, milestones) = (
            decl.id,
            decl.block,
            decl.programme,
            decl.attrs.clone(),
            decl.milestones.clone(),
        );
        let this = ItemId::Project(ProjectId(index(i)));
        let mut project = Project {
            id: id.name.clone(),
            title: title(block, id),
            programme: programme_index.map(|p| ProgrammeId(index(p))),
            duration: Estimate {
                likely_days: 0,
                low_days: None,
                high_days: None,
            },
            dependencies: Vec::new(),
            not_before: None,
            deadline: None,
            costs: Vec::new(),
            savings: Vec::new(),
            benefits: Vec::new(),
            milestones,
            progress: Progress::default(),
            baseline: None,
            owner: None,
            theme: None,
            tags: Vec::new(),
            description: None,
            calendar: settings
                .as_ref()
                .map(|s| s.calendar)
                .unwrap_or(CalendarId::ENGLAND_AND_WALES),
            span: block.span,
        };
        let what = format!("project `{}`", id.name);
        let mut once = Once::new(what.clone());
        let mut own_theme = None;
        for attr in attrs {
            if self.descriptive(
                attr,
                &mut once,
                &mut project.owner,
                &mut own_theme,
                &mut project.description,
                &mut project.tags,
            ) {
                continue;
            }
            match attr {
                Attr::Duration {
                    duration,
                    range,
                    span,
                } => {
                    if !once.first(attr, &mut self.diagnostics) {
                        continue;
                    }
                    if let Some(estimate) = self.estimate(duration, range.as_ref(), *span) {
                        project.duration = estimate;
                    }
                }
                Attr::Dependency { .. } => self.dependencies(attr, &mut project.dependencies),
                Attr::NotBefore(date, span) if once.first(attr, &mut self.diagnostics) => {
                    project.not_before = self.dated(date, *span, "not-before", settings);
                }
                Attr::Deadline(date, span) if once.first(attr, &mut self.diagnostics) => {
                    project.deadline = self.dated(date, *span, "deadline", settings);
                }
                Attr::ActualStart(date, span) if once.first(attr, &mut self.diagnostics) => {
                    project.progress.actual_start =
                        self.actual(date, *span, "actual-start", settings);
                }
                Attr::ActualFinish(date, span) if once.first(attr, &mut self.diagnostics) => {
                    project.progress.actual_finish =
                        self.actual(date, *span, "actual-finish", settings);
                }
                Attr::Complete(value, span) if once.first(attr, &mut self.diagnostics) => {
                    project.progress.complete = self.complete(value, *span, settings);
                }
                Attr::Baseline {
                    start,
                    finish,
                    span,
                } if once.first(attr, &mut self.diagnostics) => {
                    project.baseline = self.baseline(start, finish.as_ref(), *span, false);
                }
                Attr::CalendarRef(calendar, _) if once.first(attr, &mut self.diagnostics) => {
                    if let Some(calendar) = self.calendar_ref(calendar) {
                        project.calendar = calendar;
                    }
                }
                Attr::Cost {
                    kind,
                    amount,
                    timing,
                    span,
                } => {
                    if let Some(settings) = settings {
                        if let Some(cost) = self.cost(*kind, amount, timing, *span, settings) {
                            project.costs.push(cost);
                        }
                    }
                }
                Attr::Saving {
                    amount,
                    recurrence,
                    range,
                    span,
                } => {
                    let Some(settings) = settings else { continue };
                    let per_year = self.money(amount, settings);
                    let recurrence = self.recurrence(recurrence, settings);
                    let range = match range {
                        Some(range) => {
                            let low = self.money(&range.low, settings);
                            let high = self.money(&range.high, settings);
                            match (low, high, per_year) {
                                (Some(low), Some(high), Some(likely))
                                    if low <= likely && likely <= high =>
                                {
                                    Some((low, high))
                                }
                                (Some(low), Some(high), Some(likely)) => {
                                    self.error(
                                        Diagnostic::new(
                                            Code::E052Conflict,
                                            range.span,
                                            format!("the range {low} to {high} does not contain the saving {likely}"),
                                        )
                                        .with_hint("the range is the worst and best case: the saving itself must lie between them"),
                                    );
                                    None
                                }
                                _ => None,
                            }
                        }
                        None => None,
                    };
                    if let (Some(per_year), Some(recurrence)) = (per_year, recurrence) {
                        project.savings.push(Saving {
                            per_year,
                            recurrence,
                            range,
                            span: *span,
                        });
                    }
                }
                Attr::Benefit {
                    label,
                    amount,
                    recurrence,
                    span,
                } => {
                    let Some(settings) = settings else { continue };
                    let per_year = self.money(amount, settings);
                    let recurrence = self.recurrence(recurrence, settings);
                    if let (Some(per_year), Some(recurrence)) = (per_year, recurrence) {
                        project.benefits.push(Benefit {
                            label: label.value.clone(),
                            per_year,
                            recurrence,
                            span: *span,
                        });
                    }
                }
                Attr::NotBefore(..)
                | Attr::Deadline(..)
                | Attr::ActualStart(..)
                | Attr::ActualFinish(..)
                | Attr::Complete(..)
                | Attr::Baseline { .. }
                | Attr::CalendarRef(..) => {}
                other => self.misplaced(other, Owner::Project(i)),
            }
        }
        if !once.seen("duration") {
            self.error(
                Diagnostic::new(
                    Code::E013MissingSetting,
                    id.span,
                    format!("project `{}` has no `duration`", id.name),
                )
                .with_hint(
                    "add a line such as `duration 3 months`; work with no duration is a milestone",
                ),
            );
        }
        if let (Some(not_before), Some(deadline)) = (project.not_before, project.deadline) {
            if deadline.date < not_before.date {
                self.error(
                    Diagnostic::new(
                        Code::E042DeadlineBeforeNotBefore,
                        deadline.span,
                        format!(
                            "the deadline {} is before the not-before date {}",
                            deadline.date, not_before.date
                        ),
                    )
                    .with_note(Some(not_before.span), "the not-before date is set here")
                    .with_hint("move the deadline later or the not-before date earlier"),
                );
            }
        }
        self.check_progress(&what, &project.progress, once.span("complete"));
        self.check_self_dependencies(
            this,
            &what,
            &project.dependencies,
            programme_index,
            programmes,
        );
        project.theme = own_theme.or_else(|| inherited_theme(programme_index, programmes));
        project
    }

    fn milestone(
        &mut self,
        i: usize,
        settings: &Option<Settings>,
        programmes: &[Programme],
        projects: &[Project],
    ) -> Milestone {
        let Some(decl) = self.milestones.get(i) else {
            panic!("milestone index {i} comes from the declaration list");
        };
        let (id, block, timing, project_index, programme_index, attrs) = (
            decl.id,
            decl.block,
            decl.timing,
            decl.project,
            decl.programme,
            decl.attrs.clone(),
        );
        let this = ItemId::Milestone(MilestoneId(index(i)));
        let what = format!("milestone `{}`", id.name);
        let timing = match timing {
            None => MilestoneTiming::Free,
            Some(ast::MilestoneTiming::AtStart(span))
            | Some(ast::MilestoneTiming::AtFinish(span))
                if project_index.is_none() =>
            {
                let at = if matches!(timing, Some(ast::MilestoneTiming::AtStart(_))) {
                    "at start"
                } else {
                    "at finish"
                };
                self.error(
                    Diagnostic::new(
                        Code::E013MissingSetting,
                        *span,
                        format!("`{at}` needs a project, and {what} is not inside one"),
                    )
                    .with_hint("declare the milestone inside its project, or fix it with `on DATE` or dependencies"),
                );
                MilestoneTiming::Free
            }
            Some(ast::MilestoneTiming::AtStart(_)) => MilestoneTiming::AtStart,
            Some(ast::MilestoneTiming::AtFinish(_)) => MilestoneTiming::AtFinish,
            Some(ast::MilestoneTiming::On(date)) => match self.date(date) {
                Some(day) => {
                    self.in_window(day, date.span, "on", settings);
                    MilestoneTiming::On(day)
                }
                None => MilestoneTiming::Free,
            },
        };
        let mut milestone = Milestone {
            id: id.name.clone(),
            title: title(block, id),
            project: project_index.map(|p| ProjectId(index(p))),
            programme: programme_index.map(|p| ProgrammeId(index(p))),
            timing,
            dependencies: Vec::new(),
            deadline: None,
            baseline: None,
            actual: None,
            owner: None,
            theme: None,
            tags: Vec::new(),
            description: None,
            span: block.span,
        };
        let mut once = Once::new(what.clone());
        let mut own_theme = None;
        let mut first_dependency: Option<Span> = None;
        for attr in attrs {
            if self.descriptive(
                attr,
                &mut once,
                &mut milestone.owner,
                &mut own_theme,
                &mut milestone.description,
                &mut milestone.tags,
            ) {
                continue;
            }
            match attr {
                Attr::Duration { span, .. } => self.error(
                    Diagnostic::new(
                        Code::E047MilestoneDuration,
                        *span,
                        format!("{what} has a `duration`, but milestones take no time"),
                    )
                    .with_hint("remove `duration`, or make it a `project` if it is work"),
                ),
                Attr::Dependency { span, .. } => {
                    first_dependency.get_or_insert(*span);
                    self.dependencies(attr, &mut milestone.dependencies);
                }
                Attr::Deadline(date, span) if once.first(attr, &mut self.diagnostics) => {
                    milestone.deadline = self.dated(date, *span, "deadline", settings);
                }
                Attr::ActualFinish(date, span) if once.first(attr, &mut self.diagnostics) => {
                    milestone.actual = self.actual(date, *span, "actual-finish", settings);
                }
                Attr::Baseline {
                    start,
                    finish,
                    span,
                } if once.first(attr, &mut self.diagnostics) => {
                    milestone.baseline = self.baseline(start, finish.as_ref(), *span, true);
                }
                Attr::Deadline(..) | Attr::ActualFinish(..) | Attr::Baseline { .. } => {}
                other => self.misplaced(other, Owner::Milestone(i)),
            }
        }
        if let (Some(span), false) = (first_dependency, milestone.timing == MilestoneTiming::Free) {
            let fixed = match milestone.timing {
                MilestoneTiming::AtStart => "at the start of its project".to_string(),
                MilestoneTiming::AtFinish => "at the finish of its project".to_string(),
                MilestoneTiming::On(day) => format!("on {day}"),
                MilestoneTiming::Free => String::new(),
            };
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    span,
                    format!("{what} is fixed {fixed}, so it cannot also have dependencies"),
                )
                .with_hint(
                    "remove the dependencies, or remove the timing from the declaration line",
                ),
            );
        }
        self.check_self_dependencies(
            this,
            &what,
            &milestone.dependencies,
            programme_index,
            programmes,
        );
        milestone.theme = own_theme
            .or_else(|| {
                project_index
                    .and_then(|p| projects.get(p))
                    .and_then(|p| p.theme)
            })
            .or_else(|| inherited_theme(programme_index, programmes));
        milestone
    }

    // ----- references ------------------------------------------------------------------------

    /// Resolves a dependency target or a money anchor. `wanted` are the kinds that fit;
    /// `expected` says them in words.
    fn reference(
        &mut self,
        reference: &ast::Reference,
        wanted: &[Kind],
        expected: &str,
        context: &str,
    ) -> Option<Entry> {
        match reference.parts.as_slice() {
            [single] => {
                let Some(entry) = self.names.get(&single.name) else {
                    let suggestion = self.names.suggest(&single.name, wanted).map(str::to_string);
                    self.unknown(Code::E020UnknownReference, single, expected, suggestion);
                    return None;
                };
                if !wanted.contains(&entry.kind) {
                    self.error(
                        Diagnostic::new(
                            Code::E024WrongKind,
                            single.span,
                            format!(
                                "`{}` is a {}, but {context} needs a {expected}",
                                single.name,
                                entry.kind.noun()
                            ),
                        )
                        .with_hint(format!("name a {expected} here")),
                    );
                    return None;
                }
                Some(entry)
            }
            [project, milestone] => {
                let Some(owner) = self.names.get(&project.name) else {
                    let suggestion = self
                        .names
                        .suggest(&project.name, &[Kind::Project])
                        .map(str::to_string);
                    self.unknown(Code::E020UnknownReference, project, "project", suggestion);
                    return None;
                };
                if owner.kind != Kind::Project {
                    self.error(
                        Diagnostic::new(
                            Code::E024WrongKind,
                            project.span,
                            format!(
                                "`{}` is a {}, but `{}.{}` needs a project before the dot",
                                project.name,
                                owner.kind.noun(),
                                project.name,
                                milestone.name
                            ),
                        )
                        .with_hint("write `project.milestone`, or the milestone's own id alone"),
                    );
                    return None;
                }
                let found = self.names.get(&milestone.name).filter(|e| {
                    e.kind == Kind::Milestone
                        && self
                            .milestones
                            .get(e.index as usize)
                            .and_then(|m| m.project)
                            == Some(owner.index as usize)
                });
                if found.is_none() {
                    let own: Vec<&str> = self
                        .projects
                        .get(owner.index as usize)
                        .map(|p| {
                            p.milestones
                                .iter()
                                .filter_map(|m| self.milestones.get(m.0 as usize))
                                .map(|m| m.id.name.as_str())
                                .collect()
                        })
                        .unwrap_or_default();
                    let suggestion =
                        super::names::suggest(&milestone.name, own.into_iter()).map(str::to_string);
                    let mut diagnostic = Diagnostic::new(
                        Code::E020UnknownReference,
                        milestone.span,
                        format!(
                            "project `{}` has no milestone `{}`{}",
                            project.name,
                            milestone.name,
                            did_you_mean(suggestion.as_deref())
                        ),
                    );
                    diagnostic = diagnostic.with_hint(match suggestion {
                        Some(s) => format!("change it to `{}.{s}`", project.name),
                        None => format!("declare `milestone {} at finish` inside project `{}`, or correct the name", milestone.name, project.name),
                    });
                    self.error(diagnostic);
                    return None;
                }
                if !wanted.contains(&Kind::Milestone) {
                    self.error(
                        Diagnostic::new(
                            Code::E024WrongKind,
                            reference.span,
                            format!(
                                "`{}.{}` is a milestone, but {context} needs a {expected}",
                                project.name, milestone.name
                            ),
                        )
                        .with_hint(format!("name a {expected} here")),
                    );
                    return None;
                }
                found
            }
            _ => {
                self.error(
                    Diagnostic::new(
                        Code::E020UnknownReference,
                        reference.span,
                        "a reference is an id, or `project.milestone`",
                    )
                    .with_hint("use at most one dot"),
                );
                None
            }
        }
    }

    fn unknown(
        &mut self,
        code: Code,
        name: &ast::Ident,
        expected: &str,
        suggestion: Option<String>,
    ) {
        let hint = match &suggestion {
            Some(s) => format!("change it to `{s}`"),
            None => format!(
                "declare a {expected} called `{}`, or correct the name",
                name.name
            ),
        };
        self.error(
            Diagnostic::new(
                code,
                name.span,
                format!(
                    "unknown {expected} `{}`{}",
                    name.name,
                    did_you_mean(suggestion.as_deref())
                ),
            )
            .with_hint(hint),
        );
    }

    /// A calendar named by `calendar id` or `based-on id`.
    fn calendar_ref(&mut self, id: &ast::Ident) -> Option<CalendarId> {
        self.named(id, Kind::Calendar, Code::E022UnknownCalendar)
            .map(CalendarId)
    }

    fn theme_ref(&mut self, id: &ast::Ident) -> Option<ThemeId> {
        self.named(id, Kind::Theme, Code::E023UnknownTheme)
            .map(ThemeId)
    }

    fn named(&mut self, id: &ast::Ident, kind: Kind, unknown: Code) -> Option<u32> {
        match self.names.get(&id.name) {
            Some(entry) if entry.kind == kind => Some(entry.index),
            Some(entry) => {
                self.error(
                    Diagnostic::new(
                        Code::E024WrongKind,
                        id.span,
                        format!(
                            "`{}` is a {}, not a {}",
                            id.name,
                            entry.kind.noun(),
                            kind.noun()
                        ),
                    )
                    .with_hint(format!("name a {} here", kind.noun())),
                );
                None
            }
            None => {
                let suggestion = self.names.suggest(&id.name, &[kind]).map(str::to_string);
                self.unknown(unknown, id, kind.noun(), suggestion);
                None
            }
        }
    }

    /// Adds the targets of one dependency line, with E032 for a repeat of an earlier one.
    fn dependencies(&mut self, attr: &Attr, into: &mut Vec<Dependency>) {
        let Attr::Dependency { kind, targets, .. } = attr else {
            return;
        };
        let link = match kind {
            ast::DependencyKind::FinishToStart => LinkKind::FinishToStart,
            ast::DependencyKind::StartToStart => LinkKind::StartToStart,
            ast::DependencyKind::FinishToFinish => LinkKind::FinishToFinish,
            ast::DependencyKind::StartToFinish => LinkKind::StartToFinish,
        };
        for target in targets {
            let entry = self.reference(
                &target.target,
                &[Kind::Project, Kind::Milestone, Kind::Programme],
                "project, milestone or programme",
                &format!("`{}`", attr.keyword()),
            );
            let lag_days = match &target.lag {
                Some(lag) => match self.days(&lag.duration) {
                    Some(days) => {
                        let days = i32::try_from(days).unwrap_or(i32::MAX);
                        if lag.negative { -days } else { days }
                    }
                    None => continue,
                },
                None => 0,
            };
            let Some(entry) = entry else { continue };
            let predecessor = item_id(entry);
            if let Some(first) = into
                .iter()
                .find(|d| d.predecessor == predecessor && d.kind == link)
            {
                let first_span = first.span;
                self.error(
                    Diagnostic::new(
                        Code::E032DuplicateDependency,
                        target.span,
                        format!(
                            "this repeats a dependency on `{}` of the same kind",
                            reference_text(&target.target)
                        ),
                    )
                    .with_note(Some(first_span), "the same dependency is first given here")
                    .with_hint(
                        "keep one; to wait longer, give the first one a lag such as `+ 2 weeks`",
                    ),
                );
                continue;
            }
            into.push(Dependency {
                predecessor,
                kind: link,
                lag_days,
                span: target.span,
            });
        }
    }

    /// E031: an item that waits for itself, for a programme that contains it, or (a project)
    /// for a milestone fixed at its own start or finish.
    fn check_self_dependencies(
        &mut self,
        this: ItemId,
        what: &str,
        dependencies: &[Dependency],
        programme: Option<usize>,
        programmes: &[Programme],
    ) {
        for dependency in dependencies {
            let problem = match dependency.predecessor {
                p if p == this => Some(format!("{what} depends on itself")),
                ItemId::Programme(p) if contains(programmes, p, programme) => Some(format!(
                    "{what} depends on programme `{}`, which contains it",
                    programmes
                        .get(p.0 as usize)
                        .map(|x| x.id.as_str())
                        .unwrap_or("")
                )),
                ItemId::Milestone(m) => {
                    let decl = self.milestones.get(m.0 as usize);
                    let own = match (this, decl) {
                        (ItemId::Project(p), Some(d)) => {
                            d.project == Some(p.0 as usize)
                                && matches!(
                                    d.timing,
                                    Some(
                                        ast::MilestoneTiming::AtStart(_)
                                            | ast::MilestoneTiming::AtFinish(_)
                                    )
                                )
                        }
                        _ => false,
                    };
                    own.then(|| {
                        format!(
                            "{what} depends on its own milestone `{}`, which is fixed to its start or finish",
                            decl.map(|d| d.id.name.as_str()).unwrap_or("")
                        )
                    })
                }
                _ => None,
            };
            if let Some(message) = problem {
                self.error(
                    Diagnostic::new(Code::E031SelfDependency, dependency.span, message)
                        .with_hint("remove this dependency: nothing can wait for itself"),
                );
            }
        }
    }

    // ----- values ----------------------------------------------------------------------------

    fn date(&mut self, literal: &ast::Literal) -> Option<NaiveDate> {
        values::date(literal).map_err(|d| self.error(d)).ok()
    }

    fn days(&mut self, duration: &ast::DurationLit) -> Option<i64> {
        values::working_days(duration)
            .map_err(|d| self.error(d))
            .ok()
    }

    fn money(&mut self, literal: &ast::MoneyLit, settings: &Settings) -> Option<Money> {
        values::money(literal, &settings.currency, settings.symbol)
            .map_err(|d| self.error(d))
            .ok()
    }

    fn financial_year(&mut self, literal: &ast::Literal) -> Option<super::FinancialYear> {
        values::financial_year(literal)
            .map_err(|d| self.error(d))
            .ok()
    }

    fn estimate(
        &mut self,
        duration: &ast::DurationLit,
        range: Option<&(ast::DurationLit, ast::DurationLit)>,
        span: Span,
    ) -> Option<Estimate> {
        let likely = self.days(duration)?;
        if likely == 0 {
            self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    duration.span,
                    "a project's duration must be at least one day",
                )
                .with_hint("work that takes no time is a milestone: declare it with `milestone`"),
            );
            return None;
        }
        let to_u32 = |d: i64| u32::try_from(d).unwrap_or(u32::MAX);
        let Some((low, high)) = range else {
            return Some(Estimate {
                likely_days: to_u32(likely),
                low_days: None,
                high_days: None,
            });
        };
        let (low, high) = (self.days(low)?, self.days(high)?);
        if !(low <= likely && likely <= high) || low == 0 {
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    span,
                    format!(
                        "the range {low} to {high} working days does not contain the duration, {likely} working days"
                    ),
                )
                .with_hint("`range BEST to WORST`: the best case at least a day, the duration between the two"),
            );
            return None;
        }
        Some(Estimate {
            likely_days: to_u32(likely),
            low_days: Some(to_u32(low)),
            high_days: Some(to_u32(high)),
        })
    }

    /// A constraint date (`not-before`, `deadline`): real, and inside the plan window.
    fn dated(
        &mut self,
        literal: &ast::Literal,
        span: Span,
        keyword: &str,
        settings: &Option<Settings>,
    ) -> Option<Dated> {
        let date = self.date(literal)?;
        self.in_window(date, literal.span, keyword, settings);
        Some(Dated { date, span })
    }

    /// An actual date: a constraint date that must also not lie after the status date.
    fn actual(
        &mut self,
        literal: &ast::Literal,
        span: Span,
        keyword: &str,
        settings: &Option<Settings>,
    ) -> Option<Dated> {
        let dated = self.dated(literal, span, keyword, settings)?;
        if let Some(settings) = settings {
            match settings.status_date {
                Some(status) if dated.date > status => self.error(
                    Diagnostic::new(
                        Code::E044ActualAfterStatusDate,
                        literal.span,
                        format!("`{keyword} {}` is after the status date {status}", dated.date),
                    )
                    .with_hint("actual dates record what has happened by the status date: correct the date, or move `status-date` on"),
                ),
                Some(_) => {}
                None => self.error(
                    Diagnostic::new(
                        Code::E044ActualAfterStatusDate,
                        span,
                        format!("`{keyword}` records progress, but the portfolio has no `status-date`"),
                    )
                    .with_hint("add `status-date DATE` to the portfolio block: the day progress is reported as of"),
                ),
            }
        }
        Some(dated)
    }

    fn complete(
        &mut self,
        literal: &ast::Literal,
        span: Span,
        settings: &Option<Settings>,
    ) -> Option<Percent> {
        let value = values::percent(literal).map_err(|d| self.error(d)).ok()?;
        if value > Percent::HUNDRED {
            self.error(
                Diagnostic::new(
                    Code::E045CompleteOutOfRange,
                    literal.span,
                    format!("`complete {value}` is more than 100%"),
                )
                .with_hint("give how much of the work is done, from `0%` to `100%`"),
            );
            return None;
        }
        if settings.as_ref().is_some_and(|s| s.status_date.is_none()) {
            self.error(
                Diagnostic::new(
                    Code::E044ActualAfterStatusDate,
                    span,
                    "`complete` records progress, but the portfolio has no `status-date`",
                )
                .with_hint("add `status-date DATE` to the portfolio block: the day progress is reported as of"),
            );
        }
        Some(value)
    }

    fn baseline(
        &mut self,
        start: &ast::Literal,
        finish: Option<&ast::Literal>,
        span: Span,
        milestone: bool,
    ) -> Option<Baseline> {
        let start_date = self.date(start);
        let finish_date = match finish {
            Some(finish) => self.date(finish),
            None if milestone => start_date,
            None => {
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        span,
                        "a project's baseline needs a start and a finish",
                    )
                    .with_hint("write `baseline START to FINISH`, the approved plan's dates"),
                );
                return None;
            }
        };
        let (start_date, finish_date) = (start_date?, finish_date?);
        if finish_date < start_date {
            self.error(
                Diagnostic::new(
                    Code::E043FinishBeforeStart,
                    span,
                    format!(
                        "the baseline finishes on {finish_date}, before it starts on {start_date}"
                    ),
                )
                .with_hint("write the baseline start first: `baseline START to FINISH`"),
            );
            return None;
        }
        if milestone && finish_date != start_date {
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    span,
                    format!("a milestone happens on one day, but its baseline runs from {start_date} to {finish_date}"),
                )
                .with_hint("give one date: `baseline DATE`"),
            );
            return None;
        }
        Some(Baseline {
            start: start_date,
            finish: finish_date,
            span,
        })
    }

    /// E041 when a date that must lie in the plan window does not. `keyword` introduces the
    /// date in the source (`deadline`, `on`), so the message quotes it as written.
    fn in_window(
        &mut self,
        date: NaiveDate,
        span: Span,
        keyword: &str,
        settings: &Option<Settings>,
    ) {
        let Some((start, end)) = settings.as_ref().and_then(|s| s.window) else {
            return;
        };
        if date < start || date > end {
            self.error(
                Diagnostic::new(
                    Code::E041DateOutsidePlan,
                    span,
                    format!("`{keyword} {date}` is outside the plan ({start} to {end})"),
                )
                .with_hint(
                    "move the date into the plan, or widen the portfolio's `start` and `end`",
                ),
            );
        }
    }

    /// Consistency of a project's progress. `complete_span` is the `complete` line, if any.
    fn check_progress(&mut self, what: &str, progress: &Progress, complete_span: Option<Span>) {
        let Progress {
            actual_start,
            actual_finish,
            complete,
        } = progress;
        if let (Some(start), Some(finish)) = (actual_start, actual_finish) {
            if finish.date < start.date {
                self.error(
                    Diagnostic::new(
                        Code::E043FinishBeforeStart,
                        finish.span,
                        format!(
                            "{what} finished on {}, before it started on {}",
                            finish.date, start.date
                        ),
                    )
                    .with_note(Some(start.span), "the actual start is here")
                    .with_hint("correct one of the actual dates"),
                );
            }
        }
        if let (Some(finish), None) = (actual_finish, actual_start) {
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    finish.span,
                    format!("{what} has an `actual-finish` but no `actual-start`"),
                )
                .with_hint("add `actual-start DATE`, the day the work began"),
            );
        }
        match (complete, actual_finish) {
            (Some(done), None) if *done == Percent::HUNDRED => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::W046CompleteWithoutFinish,
                        complete_span.unwrap_or_default(),
                        format!("{what} is 100% complete but has no `actual-finish`"),
                    )
                    .with_hint("add `actual-finish DATE`; until then it is scheduled to finish on the status date"),
                );
            }
            (Some(done), Some(finish)) if *done < Percent::HUNDRED => {
                self.error(
                    Diagnostic::new(
                        Code::E052Conflict,
                        finish.span,
                        format!("{what} has an `actual-finish` but is only {done} complete"),
                    )
                    .with_hint("finished work is `complete 100%`: correct `complete` or remove `actual-finish`"),
                );
            }
            _ => {}
        }
        if let (Some(done), None) = (complete, actual_start) {
            if *done > Percent(0) {
                self.error(
                    Diagnostic::new(
                        Code::E052Conflict,
                        complete_span.unwrap_or_default(),
                        format!("{what} is {done} complete but has no `actual-start`"),
                    )
                    .with_hint("add `actual-start DATE`, the day the work began"),
                );
            }
        }
    }

    // ----- money -----------------------------------------------------------------------------

    fn cost(
        &mut self,
        kind: ast::CostKind,
        amount: &ast::MoneyLit,
        timing: &ast::CostTiming,
        span: Span,
        settings: &Settings,
    ) -> Option<Cost> {
        let value = self.money(amount, settings);
        let cost = match (kind, timing) {
            (ast::CostKind::Capital, ast::CostTiming::Spread) => Cost::Capital {
                amount: value?,
                span,
            },
            (ast::CostKind::Revenue, ast::CostTiming::Recurring(recurrence)) => {
                let recurrence = self.recurrence(recurrence, settings)?;
                Cost::Revenue {
                    per_year: value?,
                    recurrence,
                    span,
                }
            }
            (ast::CostKind::OneOff, ast::CostTiming::At(when)) => {
                let at = self.anchor(when, settings)?;
                Cost::OneOff {
                    amount: value?,
                    at,
                    span,
                }
            }
            (kind, _) => {
                let (keyword, form) = match kind {
                    ast::CostKind::Capital => ("capital", "cost capital AMOUNT"),
                    ast::CostKind::Revenue => ("revenue", "cost revenue AMOUNT per year from WHEN"),
                    ast::CostKind::OneOff => ("one-off", "cost one-off AMOUNT at WHEN"),
                };
                self.error(
                    Diagnostic::new(
                        Code::E052Conflict,
                        span,
                        format!("a `{keyword}` cost is not timed this way"),
                    )
                    .with_hint(format!("write `{form}`")),
                );
                return None;
            }
        };
        Some(cost)
    }

    fn recurrence(
        &mut self,
        recurrence: &ast::Recurrence,
        settings: &Settings,
    ) -> Option<Recurrence> {
        let from = self.anchor(&recurrence.from, settings);
        let ramp_months = match &recurrence.ramp {
            Some(ramp) => values::months(ramp, "ramp").map_err(|d| self.error(d)).ok(),
            None => Some(0),
        };
        let months = match &recurrence.period {
            Some(period) => match values::months(period, "for") {
                Ok(0) => {
                    self.error(
                        Diagnostic::new(Code::E051BadValue, period.span, "`for` must be at least one month")
                            .with_hint("remove `for` to run to the end of the plan, or give a length such as `for 3 years`"),
                    );
                    return None;
                }
                Ok(months) => Some(Some(months)),
                Err(d) => {
                    self.error(d);
                    None
                }
            },
            None => Some(None),
        };
        Some(Recurrence {
            from: from?,
            ramp_months: ramp_months?,
            months: months?,
        })
    }

    fn anchor(&mut self, when: &ast::When, settings: &Settings) -> Option<Anchor> {
        match when {
            ast::When::Start(_) => Some(Anchor::Start),
            ast::When::Finish(_) => Some(Anchor::Finish),
            ast::When::Date(literal) => {
                let date = self.date(literal)?;
                if let Some((start, end)) = settings.window {
                    if date < start || date > end {
                        self.error(
                            Diagnostic::new(
                                Code::E041DateOutsidePlan,
                                literal.span,
                                format!("the date {date} is outside the plan ({start} to {end})"),
                            )
                            .with_hint(
                                "money is counted only inside the plan: move the date into it",
                            ),
                        );
                    }
                }
                Some(Anchor::Date(date))
            }
            ast::When::Milestone(reference) => {
                let entry = self.reference(
                    reference,
                    &[Kind::Milestone],
                    "milestone",
                    "a money line's timing",
                )?;
                Some(Anchor::Milestone(MilestoneId(entry.index)))
            }
        }
    }
}

/// Which single-valued settings a block has seen, for E012.
struct Once {
    owner: String,
    seen: BTreeMap<&'static str, Span>,
}

impl Once {
    fn new(owner: impl Into<String>) -> Once {
        Once {
            owner: owner.into(),
            seen: BTreeMap::new(),
        }
    }

    /// `true` the first time a setting appears; E012 (pointing at both) after that.
    fn first(&mut self, attr: &Attr, diagnostics: &mut Vec<Diagnostic>) -> bool {
        let keyword = attr.keyword();
        match self.seen.get(keyword) {
            Some(first) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E012DuplicateSetting,
                        attr.span(),
                        format!("`{keyword}` is given twice in {}", self.owner),
                    )
                    .with_note(Some(*first), format!("`{keyword}` is first given here"))
                    .with_hint(format!("keep one `{keyword}` line")),
                );
                false
            }
            None => {
                self.seen.insert(keyword, attr.span());
                true
            }
        }
    }

    fn seen(&self, keyword: &str) -> bool {
        self.seen.contains_key(keyword)
    }

    fn span(&self, keyword: &str) -> Option<Span> {
        self.seen.get(keyword).copied()
    }
}

fn item_id(entry: Entry) -> ItemId {
    match entry.kind {
        Kind::Project => ItemId::Project(ProjectId(entry.index)),
        Kind::Milestone => ItemId::Milestone(MilestoneId(entry.index)),
        Kind::Programme => ItemId::Programme(ProgrammeId(entry.index)),
        Kind::Theme | Kind::Calendar => {
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

fn title(block: &ast::Block, id: &ast::Ident) -> String {
    block
        .title
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| id.name.clone())
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

fn reference_text(reference: &ast::Reference) -> String {
    reference
        .parts
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
        | Attr::Rag { .. } => "in the `portfolio` block",
        Attr::BasedOn(..) | Attr::Closed { .. } | Attr::Weekend(..) => "in a `calendar` block",
        Attr::Duration { .. }
        | Attr::NotBefore(..)
        | Attr::Cost { .. }
        | Attr::Saving { .. }
        | Attr::Benefit { .. }
        | Attr::ActualStart(..)
        | Attr::Complete(..) => "in a project",
        Attr::Dependency { .. }
        | Attr::Deadline(..)
        | Attr::Baseline { .. }
        | Attr::ActualFinish(..) => "in a project or a milestone",
        Attr::Owner(..) | Attr::ThemeRef(..) | Attr::Tags(..) | Attr::Description(..) => {
            "in a programme, a project or a milestone"
        }
        Attr::CalendarRef(..) => "in a project or the portfolio block",
        Attr::Portfolio(_)
        | Attr::Calendar(_)
        | Attr::Theme { .. }
        | Attr::Programme(_)
        | Attr::Project(_)
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

fn fy_label(year: super::FinancialYear) -> String {
    format!("{}/{:02}", year.0, (year.0 + 1).rem_euclid(100))
}

#[cfg(test)]
mod tests;
