//! Programmes, projects and milestones: each attribute checked and converted, then the rules
//! that relate attributes of one item (progress, constraints, fixed milestones).

use chrono::NaiveDate;

use super::references::DependencyList;
use super::{Attrs, Named, Once, Owner, Settings, Validator, index, inherited_theme, title};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::model::names::Kind;
use crate::model::{
    Accountable, Actual, ActualKind, Anchor, Baseline, Benefit, CalendarId, CapitalTiming,
    Confidence, ConfidenceLevel, Cost, Dated, Estimate, FinancialYear, ItemId, Milestone,
    MilestoneDetails, MilestoneId, MilestoneTiming, Programme, ProgrammeId, Progress, Project,
    ProjectDetails, ProjectId, Recurrence, Saving, ThemeId, values,
};
use crate::money::{Money, Percent};
use crate::syntax::ast::{self, Attr};
use chrono::Datelike;

/// An item's words for people (`owner`, `description`, `tags`), which programmes, projects
/// and milestones keep alike, for `Validator::descriptive` to fill.
pub(super) trait Described {
    fn words(&mut self) -> (&mut Option<String>, &mut Option<String>, &mut Vec<String>);
}

impl Described for Programme {
    fn words(&mut self) -> (&mut Option<String>, &mut Option<String>, &mut Vec<String>) {
        (&mut self.owner, &mut self.description, &mut self.tags)
    }
}

impl Described for ProjectDetails {
    fn words(&mut self) -> (&mut Option<String>, &mut Option<String>, &mut Vec<String>) {
        (&mut self.owner, &mut self.description, &mut self.tags)
    }
}

impl Described for MilestoneDetails {
    fn words(&mut self) -> (&mut Option<String>, &mut Option<String>, &mut Vec<String>) {
        (&mut self.owner, &mut self.description, &mut self.tags)
    }
}

/// What a project's attributes fill in, while they are read, before it moves into the
/// `Project`.
struct ProjectParts<'n, 'a> {
    /// The project's index.
    i: usize,
    once: Once<'n>,
    dependencies: DependencyList,
    /// Read once every benefit is known: `realised benefit` names one by its label.
    actual_lines: Vec<&'a Attr>,
    costs: Vec<Cost>,
    savings: Vec<Saving>,
    /// The rarely set details, boxed into the project at the end.
    details: ProjectDetails,
    own_theme: Option<ThemeId>,
    /// The first `score` line, where W082 points when the lines leave a criterion out.
    score_line: Option<(Span, bool)>,
}

impl Validator {
    pub(super) fn programme(&mut self, i: usize) -> Programme {
        let Some(decl) = self.programmes.get_mut(i) else {
            panic!("programme index {i} comes from the declaration list");
        };
        // Each declaration is resolved once: its lists move into the model rather than copied.
        let (id, block, parent, attrs, children) = (
            decl.id.clone(),
            std::mem::take(&mut decl.block),
            decl.parent,
            std::mem::take(&mut decl.attrs),
            std::mem::take(&mut decl.children),
        );
        let mut programme = Programme {
            id: id.name.clone(),
            title: title(&block, &id),
            parent: parent.map(|p| ProgrammeId(index(p))),
            owner: None,
            theme: None,
            description: None,
            tags: Vec::new(),
            confidence: None,
            children,
            span: block.span,
        };
        let mut once = Once::reuse(
            Named::item("programme", &id),
            std::mem::take(&mut self.once_buffer),
        );
        let mut theme = None;
        for attr in attrs.iter() {
            if !self.descriptive(attr, &mut once, &mut theme, &mut programme) {
                match attr {
                    Attr::Confidence { .. } => {
                        if once.first(attr, &mut self.diagnostics) {
                            programme.confidence = self.confidence(attr);
                        }
                    }
                    _ => self.misplaced(attr, Owner::Programme(i)),
                }
            }
        }
        programme.theme = theme;
        self.once_buffer = once.into_buffer();
        programme
    }

    /// `confidence LEVEL "commentary"` (portfolio, programme or project); E051 for a level
    /// that is not one of the five.
    pub(super) fn confidence(&mut self, attr: &Attr) -> Option<Confidence> {
        let Attr::Confidence {
            level,
            commentary,
            span,
        } = attr
        else {
            return None;
        };
        let Some(known) = ConfidenceLevel::from_name(&level.name) else {
            let names: Vec<&str> = ConfidenceLevel::ALL.iter().map(|l| l.name()).collect();
            self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    level.span,
                    format!("unknown delivery confidence `{}`", level.name),
                )
                .with_hint(format!(
                    "write one of the IPA's five levels: {}",
                    names.join(", ")
                )),
            );
            return None;
        };
        if commentary.value.trim().is_empty() {
            self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    commentary.span,
                    "a delivery confidence needs its commentary",
                )
                .with_hint(
                    "say why in a sentence, e.g. `confidence amber \"Supplier late; recovery plan agreed\"`",
                ),
            );
            return None;
        }
        Some(Confidence {
            level: known,
            commentary: commentary.value.to_string(),
            span: *span,
        })
    }

    /// Handles `owner`, `theme`, `tags` and `description`, shared by programmes, projects and
    /// milestones. Returns `false` for any other attribute.
    pub(super) fn descriptive(
        &mut self,
        attr: &Attr,
        once: &mut Once,
        theme: &mut Option<ThemeId>,
        item: &mut impl Described,
    ) -> bool {
        let (owner, description, tags) = item.words();
        match attr {
            Attr::Owner(text, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *owner = Some(text.value.to_string());
                }
            }
            Attr::Description(text, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *description = Some(text.value.to_string());
                }
            }
            Attr::Tags(list, _) => {
                if once.first(attr, &mut self.diagnostics) {
                    *tags = list.iter().map(|t| t.name.to_string()).collect();
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

    /// E012 for `owner "Who"` on the line after a saving or benefit, in a project that has an
    /// owner already: most likely the saving's owner, wrapped off its line (a line of its own
    /// is the project's owner), so the hint says where a saving's owner goes.
    fn owner_after_saving(&mut self, project: &ast::Ident, span: Span, first: Span) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::E012DuplicateSetting,
                span,
                format!("`owner` is given twice in project `{}`", project.name),
            )
            .with_note(Some(first), "`owner` is first given here")
            .with_hint(
                "if this is the owner of the saving above, write it on the saving's line, \
                 `saving … owner \"Who\" measure \"What\"`: an `owner` line of its own is the \
                 project's; otherwise keep one `owner` line",
            ),
        );
    }

    pub(super) fn project(
        &mut self,
        i: usize,
        settings: &Option<Settings>,
        programmes: &[Programme],
        criteria: &[crate::model::Criterion],
    ) -> Project {
        let Some(decl) = self.projects.get_mut(i) else {
            panic!("project index {i} comes from the declaration list");
        };
        // The milestones stay in the declaration too: references to `project.milestone` from
        // projects not yet resolved suggest among them.
        let (id, block, programme_index, attrs, milestones) = (
            decl.id.clone(),
            std::mem::take(&mut decl.block),
            decl.programme,
            std::mem::take(&mut decl.attrs),
            decl.milestones.clone(),
        );
        let this = ItemId::Project(ProjectId(index(i)));
        let sizes = ListSizes::of(&attrs);
        let mut project = Project {
            id: id.name.clone(),
            title: title(&block, &id),
            programme: programme_index.map(|p| ProgrammeId(index(p))),
            duration: Estimate::exactly(0),
            dependencies: Box::default(),
            deadline: None,
            costs: Box::default(),
            savings: Box::default(),
            milestones: milestones.into(),
            theme: None,
            calendar: settings
                .as_ref()
                .map(|s| s.calendar)
                .unwrap_or(CalendarId::ENGLAND_AND_WALES),
            details: None,
            span: block.span,
        };
        let what = Named::item("project", &id);
        let mut parts = ProjectParts {
            i,
            once: Once::reuse(what, std::mem::take(&mut self.once_buffer)),
            dependencies: DependencyList::with_capacity(sizes.dependencies),
            actual_lines: Vec::new(),
            costs: Vec::with_capacity(sizes.costs),
            savings: Vec::with_capacity(sizes.savings),
            details: ProjectDetails {
                benefits: Vec::with_capacity(sizes.benefits),
                ..ProjectDetails::default()
            },
            own_theme: None,
            score_line: None,
        };
        let mut previous: Option<&Attr> = None;
        for attr in attrs.iter() {
            if let (Attr::Owner(..), Some(Attr::Saving { .. } | Attr::Benefit { .. })) =
                (attr, previous)
                && let Some(first) = parts.once.span("owner")
            {
                self.owner_after_saving(&id, attr.span(), first);
            } else {
                self.project_attr(attr, &mut project, &mut parts, settings, criteria);
            }
            previous = Some(attr);
        }
        let ProjectParts {
            once,
            dependencies,
            actual_lines,
            costs,
            savings,
            mut details,
            own_theme,
            score_line,
            ..
        } = parts;
        if let Some(settings) = settings {
            details.actuals = self.actuals(&actual_lines, &savings, &details.benefits, settings);
        }
        // A score wrapped onto the next line is a syntax error there, and its pairs are then
        // missing: W082 would repeat that mistake, so it waits for the syntax to be fixed.
        let unparsed = score_line.is_some_and(|(line, _)| self.unparsed.contains(&line.file));
        if let (Some((line, true)), false) = (score_line, unparsed) {
            self.missing_scores(&id, line, &details.scores, criteria);
        }
        if !once.seen("duration") {
            self.missing_duration(&id);
        }
        if let (Some(not_before), Some(deadline)) = (details.not_before, project.deadline) {
            self.deadline_not_before(not_before, deadline);
        }
        self.check_progress(what, &details.progress, once.span("complete"));
        self.once_buffer = once.into_buffer();
        self.check_self_dependencies(
            this,
            what,
            dependencies.as_slice(),
            programme_index,
            programmes,
        );
        project.theme = own_theme.or_else(|| inherited_theme(programme_index, programmes));
        project.dependencies = dependencies.into_vec().into();
        project.costs = costs.into();
        project.savings = savings.into();
        project.details = details.boxed();
        project
    }

    /// One attribute of project `parts.i`: checked, converted and put in its place in the
    /// project or in the parts that move into it once all are read.
    fn project_attr<'a>(
        &mut self,
        attr: &'a Attr,
        project: &mut Project,
        parts: &mut ProjectParts<'_, 'a>,
        settings: &Option<Settings>,
        criteria: &[crate::model::Criterion],
    ) {
        let once = &mut parts.once;
        let details = &mut parts.details;
        if self.descriptive(attr, once, &mut parts.own_theme, details) {
            return;
        }
        match attr {
            Attr::Duration {
                duration,
                range,
                span,
            } => {
                if !once.first(attr, &mut self.diagnostics) {
                    return;
                }
                if let Some(estimate) = self.estimate(duration, range.as_deref(), *span) {
                    project.duration = estimate;
                }
            }
            Attr::Dependency { .. } => self.dependencies(attr, &mut parts.dependencies),
            Attr::NotBefore(date, span) if once.first(attr, &mut self.diagnostics) => {
                details.not_before = self.dated(date, *span, "not-before", settings);
            }
            Attr::Deadline(date, span) if once.first(attr, &mut self.diagnostics) => {
                project.deadline = self.dated(date, *span, "deadline", settings);
            }
            Attr::ActualStart(date, span) if once.first(attr, &mut self.diagnostics) => {
                details.progress.actual_start = self.actual(date, *span, "actual-start", settings);
            }
            Attr::ActualFinish(date, span) if once.first(attr, &mut self.diagnostics) => {
                details.progress.actual_finish =
                    self.actual(date, *span, "actual-finish", settings);
            }
            Attr::OptimismBias(value, _) if once.first(attr, &mut self.diagnostics) => {
                details.optimism_bias = self.optimism_bias(value);
            }
            Attr::Confidence { .. } if once.first(attr, &mut self.diagnostics) => {
                details.confidence = self.confidence(attr);
            }
            Attr::Needs { .. } => self.need(attr, &mut details.needs),
            Attr::Priority(n, _) if once.first(attr, &mut self.diagnostics) => {
                details.priority = self.priority(n);
            }
            Attr::Complete(value, span) if once.first(attr, &mut self.diagnostics) => {
                details.progress.complete = self.complete(value, *span, settings);
            }
            Attr::Baseline {
                start,
                finish,
                span,
            } if once.first(attr, &mut self.diagnostics) => {
                details.baseline = self.baseline(start, finish.as_deref(), *span, false);
            }
            Attr::CalendarRef(calendar, _) if once.first(attr, &mut self.diagnostics) => {
                if let Some(calendar) = self.calendar_ref(calendar) {
                    project.calendar = calendar;
                }
            }
            Attr::Cost { .. } | Attr::Saving { .. } | Attr::Benefit { .. } => {
                if let Some(settings) = settings {
                    self.money_line(attr, parts, settings);
                }
            }
            Attr::NotBefore(..)
            | Attr::Deadline(..)
            | Attr::ActualStart(..)
            | Attr::ActualFinish(..)
            | Attr::Complete(..)
            | Attr::OptimismBias(..)
            | Attr::Confidence { .. }
            | Attr::Priority(..)
            | Attr::Baseline { .. }
            | Attr::CalendarRef(..) => {}
            Attr::Allow(codes, _) => {
                let mut allows = self.allows(codes, Some(ProjectId(index(parts.i))));
                self.project_allows.append(&mut allows);
            }
            Attr::Spent { .. } | Attr::Realised { .. } => parts.actual_lines.push(attr),
            Attr::Score(entries, span) => {
                let known = self.scores(entries, criteria, &mut details.scores);
                parts.score_line.get_or_insert((*span, true)).1 &= known;
            }
            Attr::Mandatory(_) if once.first(attr, &mut self.diagnostics) => {
                details.mandatory = true;
            }
            Attr::Mandatory(_) => {}
            other => self.misplaced(other, Owner::Project(parts.i)),
        }
    }

    /// A project's `cost`, `saving` or `benefit` line, converted into its list.
    fn money_line(&mut self, attr: &Attr, parts: &mut ProjectParts<'_, '_>, settings: &Settings) {
        match attr {
            Attr::Cost {
                kind,
                amount,
                timing,
                span,
            } => {
                let line = CostLine {
                    kind: *kind,
                    amount,
                    timing,
                    span: *span,
                };
                if let Some(cost) = self.cost(line, settings) {
                    parts.costs.push(cost);
                }
            }
            Attr::Saving {
                amount,
                recurrence,
                range,
                meta,
                span,
            } => {
                if let Some(mut saving) =
                    self.saving(amount, recurrence, range.as_deref(), *span, settings)
                {
                    saving.register = register_meta(meta.as_deref());
                    parts.savings.push(saving);
                }
            }
            Attr::Benefit {
                label,
                amount,
                recurrence,
                meta,
                span,
            } => {
                if let Some(mut benefit) = self.benefit(label, amount, recurrence, *span, settings)
                {
                    benefit.register = register_meta(meta.as_deref());
                    parts.details.benefits.push(benefit);
                }
            }
            other => unreachable!("invariant: `{}` is not a money line", other.keyword()),
        }
    }

    /// `spent …` and `realised …` lines: each for a financial year over at the status date
    /// (E063), a `realised` line for a saving or benefit the project has (E064), one of each
    /// kind a year (E012).
    fn actuals(
        &mut self,
        lines: &[&Attr],
        savings: &[Saving],
        benefits: &[Benefit],
        settings: &Settings,
    ) -> Vec<Actual> {
        let mut actuals: Vec<Actual> = Vec::with_capacity(lines.len());
        for attr in lines {
            let (kind, amount, fy, span) = match attr {
                Attr::Spent {
                    kind,
                    amount,
                    fy,
                    span,
                } => (
                    Some(match kind {
                        ast::BudgetKind::Capital => ActualKind::Capital,
                        ast::BudgetKind::Revenue => ActualKind::Revenue,
                    }),
                    amount,
                    fy,
                    *span,
                ),
                Attr::Realised {
                    benefit,
                    amount,
                    fy,
                    span,
                } => (
                    self.realised_kind(benefit.as_deref(), savings, benefits, *span),
                    amount,
                    fy,
                    *span,
                ),
                _ => continue,
            };
            let amount = self.money(amount, settings);
            let year = self.financial_year(fy);
            let (Some(kind), Some(amount), Some(year)) = (kind, amount, year) else {
                continue;
            };
            if !self.year_over(year, fy, settings) {
                continue;
            }
            // A year before the plan's first has no plan to compare with, and no column.
            if let Some((start, _)) = settings.window {
                let first = start.year()
                    - i32::from(start.month() < settings.financial_year_start.clamp(1, 12));
                if year.0 < first {
                    self.error(
                        Diagnostic::new(
                            Code::E048FinancialYearOutsidePlan,
                            fy.span,
                            format!("{} is before the plan starts ({start})", fy.text),
                        )
                        .with_hint("record actuals for the plan's own years"),
                    );
                    continue;
                }
            }
            if let Some(first) = actuals.iter().find(|a| a.kind == kind && a.year == year) {
                let first = first.span;
                self.error(
                    Diagnostic::new(
                        Code::E012DuplicateSetting,
                        span,
                        format!("this actual for {} is given twice", fy.text),
                    )
                    .with_note(Some(first), "the first is here")
                    .with_hint("keep one line per kind of actual and financial year, with the year's whole figure"),
                );
                continue;
            }
            actuals.push(Actual {
                kind,
                year,
                amount,
                span,
            });
        }
        actuals
    }

    /// What a `realised` line is an actual of: the project's savings, or its benefit labelled
    /// `label`; E064 when the project has none.
    fn realised_kind(
        &mut self,
        label: Option<&ast::Str>,
        savings: &[Saving],
        benefits: &[Benefit],
        span: Span,
    ) -> Option<ActualKind> {
        match label {
            None if !savings.is_empty() => Some(ActualKind::Savings),
            None => {
                self.error(
                    Diagnostic::new(
                        Code::E064RealisedWithoutPlan,
                        span,
                        "a realised saving, but this project plans no saving",
                    )
                    .with_hint("add the `saving` it realises, or move the line to the project that plans it"),
                );
                None
            }
            Some(label) => {
                if let Some(index) = benefits
                    .iter()
                    .position(|b| b.label == label.value.as_str())
                {
                    return Some(ActualKind::Benefit(
                        u32::try_from(index).unwrap_or(u32::MAX),
                    ));
                }
                let known: Vec<String> = benefits
                    .iter()
                    .map(|b| format!("\"{}\"", b.label))
                    .collect();
                let mut diagnostic = Diagnostic::new(
                    Code::E064RealisedWithoutPlan,
                    label.span,
                    format!(
                        "a realised benefit \"{}\", but this project has no benefit of that name",
                        label.value
                    ),
                );
                if !known.is_empty() {
                    diagnostic = diagnostic
                        .with_note(None, format!("its benefits are {}", known.join(", ")));
                }
                self.error(
                    diagnostic
                        .with_hint("write the label exactly as on the `benefit` line it realises"),
                );
                None
            }
        }
    }

    /// Whether financial year `year` is over at the status date: E063 if not (or if the plan
    /// has no status date), since the forecast takes the plan for a year not over and an
    /// actual for it would be left out without a word.
    fn year_over(&mut self, year: FinancialYear, fy: &ast::Literal, settings: &Settings) -> bool {
        let next_start = chrono::NaiveDate::from_ymd_opt(
            year.0.saturating_add(1),
            settings.financial_year_start.clamp(1, 12),
            1,
        );
        match (settings.status_date, next_start) {
            (Some(status), Some(next)) if next <= status => true,
            (Some(status), _) => {
                self.error(
                    Diagnostic::new(
                        Code::E063ActualForOpenYear,
                        fy.span,
                        format!(
                            "{} is not over at the status date ({status}), so it has no actual yet",
                            fy.text
                        ),
                    )
                    .with_hint("record actuals for years that ended before the status date; the forecast takes the plan for this year and later"),
                );
                false
            }
            (None, _) => {
                self.error(
                    Diagnostic::new(
                        Code::E063ActualForOpenYear,
                        fy.span,
                        "an actual needs a `status-date` in the portfolio block, to say which years are over",
                    )
                    .with_hint("add `status-date DATE` to the portfolio block"),
                );
                false
            }
        }
    }

    /// `saving £400k per year from finish [range LOW to HIGH]`: the range must hold the saving.
    fn saving(
        &mut self,
        amount: &ast::MoneyLit,
        recurrence: &ast::Recurrence,
        range: Option<&ast::MoneyRange>,
        span: Span,
        settings: &Settings,
    ) -> Option<Saving> {
        let per_year = self.money(amount, settings);
        let recurrence = self.recurrence(recurrence, settings);
        let range = match (range, per_year) {
            (Some(range), Some(likely)) => self.money_range(range, likely, "saving", settings),
            _ => None,
        };
        Some(Saving {
            per_year: per_year?,
            recurrence: recurrence?,
            range,
            register: Accountable::default(),
            span,
        })
    }

    /// `benefit "LABEL" £150k per year from finish`.
    fn benefit(
        &mut self,
        label: &ast::Str,
        amount: &ast::MoneyLit,
        recurrence: &ast::Recurrence,
        span: Span,
        settings: &Settings,
    ) -> Option<Benefit> {
        let per_year = self.money(amount, settings);
        let recurrence = self.recurrence(recurrence, settings);
        Some(Benefit {
            label: label.value.to_string(),
            per_year: per_year?,
            recurrence: recurrence?,
            register: Accountable::default(),
            span,
        })
    }

    /// E013: every project has a duration.
    fn missing_duration(&mut self, id: &ast::Ident) {
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

    /// E042: a deadline before the not-before date can never be met.
    fn deadline_not_before(&mut self, not_before: Dated, deadline: Dated) {
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

    pub(super) fn milestone(
        &mut self,
        i: usize,
        settings: &Option<Settings>,
        programmes: &[Programme],
        projects: &[Project],
    ) -> Milestone {
        let Some(decl) = self.milestones.get_mut(i) else {
            panic!("milestone index {i} comes from the declaration list");
        };
        let (id, block, timing, project_index, programme_index, attrs) = (
            decl.id.clone(),
            std::mem::take(&mut decl.block),
            decl.timing.take(),
            decl.project,
            decl.programme,
            std::mem::take(&mut decl.attrs),
        );
        let this = ItemId::Milestone(MilestoneId(index(i)));
        let what = Named::item("milestone", &id);
        let timing = self.milestone_timing(timing, project_index.is_some(), what, settings);
        let mut milestone = Milestone {
            id: id.name.clone(),
            title: title(&block, &id),
            project: project_index.map(|p| ProjectId(index(p))),
            programme: programme_index.map(|p| ProgrammeId(index(p))),
            timing,
            dependencies: Box::default(),
            deadline: None,
            theme: None,
            details: None,
            span: block.span,
        };
        let mut details = MilestoneDetails::default();
        let mut dependencies = DependencyList::with_capacity(ListSizes::of(&attrs).dependencies);
        let mut once = Once::reuse(what, std::mem::take(&mut self.once_buffer));
        let mut own_theme = None;
        let mut first_dependency: Option<Span> = None;
        for attr in attrs.iter() {
            if self.descriptive(attr, &mut once, &mut own_theme, &mut details) {
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
                    self.dependencies(attr, &mut dependencies);
                }
                Attr::Deadline(date, span) if once.first(attr, &mut self.diagnostics) => {
                    milestone.deadline = self.dated(date, *span, "deadline", settings);
                }
                Attr::ActualFinish(date, span) if once.first(attr, &mut self.diagnostics) => {
                    details.actual = self.actual(date, *span, "actual-finish", settings);
                }
                Attr::Baseline {
                    start,
                    finish,
                    span,
                } if once.first(attr, &mut self.diagnostics) => {
                    details.baseline = self.baseline(start, finish.as_deref(), *span, true);
                }
                Attr::Deadline(..) | Attr::ActualFinish(..) | Attr::Baseline { .. } => {}
                other => self.misplaced(other, Owner::Milestone(i)),
            }
        }
        if let Some(span) = first_dependency {
            self.fixed_with_dependencies(what, milestone.timing, span);
        }
        self.once_buffer = once.into_buffer();
        self.check_self_dependencies(
            this,
            what,
            dependencies.as_slice(),
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
        milestone.dependencies = dependencies.into_vec().into();
        milestone.details = details.boxed();
        milestone
    }

    /// The timing on a milestone's declaration line: `at start` and `at finish` need the
    /// project it is declared in (E013 outside one), and `on DATE` a real date in the plan.
    /// A timing that does not hold leaves the milestone free, placed by its dependencies.
    fn milestone_timing(
        &mut self,
        timing: Option<ast::MilestoneTiming>,
        in_project: bool,
        what: Named<'_>,
        settings: &Option<Settings>,
    ) -> MilestoneTiming {
        match timing {
            None => MilestoneTiming::Free,
            Some(ast::MilestoneTiming::AtStart(span))
            | Some(ast::MilestoneTiming::AtFinish(span))
                if !in_project =>
            {
                let at = if matches!(timing, Some(ast::MilestoneTiming::AtStart(_))) {
                    "at start"
                } else {
                    "at finish"
                };
                self.error(
                    Diagnostic::new(
                        Code::E013MissingSetting,
                        span,
                        format!("`{at}` needs a project, and {what} is not inside one"),
                    )
                    .with_hint("declare the milestone inside its project, or fix it with `on DATE` or dependencies"),
                );
                MilestoneTiming::Free
            }
            Some(ast::MilestoneTiming::AtStart(_)) => MilestoneTiming::AtStart,
            Some(ast::MilestoneTiming::AtFinish(_)) => MilestoneTiming::AtFinish,
            Some(ast::MilestoneTiming::On(date)) => match self.date(&date) {
                Some(day) => {
                    self.in_window(day, date.span, "on", settings);
                    MilestoneTiming::On(day)
                }
                None => MilestoneTiming::Free,
            },
        }
    }

    /// E052 for a milestone fixed by its timing that also has dependencies (`span`, the first
    /// of them): one or the other decides its date, not both.
    fn fixed_with_dependencies(&mut self, what: Named<'_>, timing: MilestoneTiming, span: Span) {
        let fixed = match timing {
            MilestoneTiming::AtStart => "at the start of its project".to_string(),
            MilestoneTiming::AtFinish => "at the finish of its project".to_string(),
            MilestoneTiming::On(day) => format!("on {day}"),
            MilestoneTiming::Free => return,
        };
        self.error(
            Diagnostic::new(
                Code::E052Conflict,
                span,
                format!("{what} is fixed {fixed}, so it cannot also have dependencies"),
            )
            .with_hint("remove the dependencies, or remove the timing from the declaration line"),
        );
    }

    // ----- values ----------------------------------------------------------------------------

    pub(super) fn date(&mut self, literal: &ast::Literal) -> Option<NaiveDate> {
        values::date(literal).map_err(|d| self.error(d)).ok()
    }

    pub(super) fn days(&mut self, duration: &ast::DurationLit) -> Option<i64> {
        values::working_days(duration)
            .map_err(|d| self.error(d))
            .ok()
    }

    pub(super) fn money(&mut self, literal: &ast::MoneyLit, settings: &Settings) -> Option<Money> {
        values::money(literal, &settings.currency, settings.symbol)
            .map_err(|d| self.error(d))
            .ok()
    }

    pub(super) fn financial_year(&mut self, literal: &ast::Literal) -> Option<FinancialYear> {
        values::financial_year(literal)
            .map_err(|d| self.error(d))
            .ok()
    }

    pub(super) fn estimate(
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
            return Some(Estimate::exactly(to_u32(likely)));
        };
        let written = (
            values::written(duration),
            values::written(low),
            values::written(high),
        );
        let (low, high) = (self.days(low)?, self.days(high)?);
        if !(low <= likely && likely <= high) || low == 0 {
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    span,
                    format!(
                        "the range `{} to {}` does not contain the duration `{}` ({low} to {high} working days against {likely})",
                        written.1, written.2, written.0
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
    pub(super) fn dated(
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
    pub(super) fn actual(
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

    /// `optimism-bias capital N%`: the Green Book's uplifts for capital reach 200% for the
    /// riskiest (equipment and IT) projects; anything above 1000% is surely a typing mistake.
    pub(super) fn optimism_bias(&mut self, literal: &ast::Literal) -> Option<Percent> {
        self.percent_at_most(
            literal,
            Percent(100_000),
            |value| format!("an optimism bias of {value} is more than 1000%"),
            "the Green Book's upper bounds for capital are up to 200%; give the uplift as a percentage such as `24%`",
        )
    }

    /// A percentage no more than `most`: E051 with `message` of the value and `hint` if more.
    pub(super) fn percent_at_most(
        &mut self,
        literal: &ast::Literal,
        most: Percent,
        message: impl FnOnce(Percent) -> String,
        hint: &str,
    ) -> Option<Percent> {
        let value = values::percent(literal).map_err(|d| self.error(d)).ok()?;
        if value > most {
            self.error(
                Diagnostic::new(Code::E051BadValue, literal.span, message(value)).with_hint(hint),
            );
            return None;
        }
        Some(value)
    }

    pub(super) fn complete(
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

    pub(super) fn baseline(
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
    pub(super) fn in_window(
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
    pub(super) fn check_progress(
        &mut self,
        what: Named<'_>,
        progress: &Progress,
        complete_span: Option<Span>,
    ) {
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
                    .with_hint("add `actual-finish DATE`, the day the work was finished"),
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

    pub(super) fn cost(&mut self, line: CostLine<'_>, settings: &Settings) -> Option<Cost> {
        let CostLine {
            kind,
            amount,
            timing,
            span,
        } = line;
        let value = self.money(amount, settings);
        let cost = match (kind, timing) {
            (ast::CostKind::Capital, ast::CostTiming::Spread(range)) => {
                let range = match range {
                    Some(range) => self.money_range(range, value?, "cost", settings),
                    None => None,
                };
                Cost::Capital {
                    amount: value?,
                    range,
                    timing: CapitalTiming::Spread,
                    span,
                }
            }
            (ast::CostKind::Capital, ast::CostTiming::At(when)) => {
                let at = self.anchor(when, settings)?;
                Cost::Capital {
                    amount: value?,
                    range: None,
                    timing: CapitalTiming::At { at },
                    span,
                }
            }
            (ast::CostKind::Capital, ast::CostTiming::Between(between)) => {
                let (from_when, to_when) = &**between;
                // Both read before either is judged, so each reports its own mistake.
                let (from, to) = (
                    self.anchor(from_when, settings),
                    self.anchor(to_when, settings),
                );
                let (from, to) = (from?, to?);
                if let Some(why) = backwards(from, to) {
                    self.error(
                        Diagnostic::new(
                            Code::E062CapitalTimingBackwards,
                            span,
                            format!("capital is timed from {} to {}, but {why}", when_words(from_when), when_words(to_when)),
                        )
                        .with_hint("put the earlier anchor after `from` and the later after `to`, or write `at WHEN` for one payment"),
                    );
                    return None;
                }
                Cost::Capital {
                    amount: value?,
                    range: None,
                    timing: CapitalTiming::Between { from, to },
                    span,
                }
            }
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
                    ast::CostKind::Capital => (
                        "capital",
                        "cost capital AMOUNT [at WHEN | from WHEN to WHEN]",
                    ),
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

    /// `range LOW to HIGH` on a saving or a capital cost (`what`): in order (E091), and holding
    /// the likely amount (E052). One rule for both, so a range out of order reads the same.
    fn money_range(
        &mut self,
        range: &ast::MoneyRange,
        likely: Money,
        what: &str,
        settings: &Settings,
    ) -> Option<(Money, Money)> {
        let low = self.money(&range.low, settings)?;
        let high = self.money(&range.high, settings)?;
        if low > high {
            self.error(
                Diagnostic::new(
                    Code::E091RangeOutOfOrder,
                    range.span,
                    format!("the range's low end {low} is above its high end {high}"),
                )
                .with_hint("write the lower amount first: `range LOW to HIGH`"),
            );
            return None;
        }
        if !(low <= likely && likely <= high) {
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    range.span,
                    format!("the range {low} to {high} does not contain the {what} {likely}"),
                )
                .with_hint(format!(
                    "the range's ends are the best and worst cases: the {what} itself must lie \
                     between them"
                )),
            );
            return None;
        }
        Some((low, high))
    }

    pub(super) fn recurrence(
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

    pub(super) fn anchor(&mut self, when: &ast::When, settings: &Settings) -> Option<Anchor> {
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
                    &"a money line's timing",
                )?;
                Some(Anchor::Milestone(MilestoneId(entry.index)))
            }
        }
    }
}

/// Why capital timed `from` one anchor `to` another is in the wrong order, when that is known
/// before scheduling: two dates not in order, `finish` before `start`, or one anchor twice. A
/// milestone's date is known only once scheduled: the finance stage checks those (E062 too).
fn backwards(from: Anchor, to: Anchor) -> Option<String> {
    match (from, to) {
        (Anchor::Date(a), Anchor::Date(b)) if b <= a => Some(format!("{b} is not after {a}")),
        (Anchor::Finish, Anchor::Start) => {
            Some("a project's finish comes after its start".to_owned())
        }
        (a, b) if a == b => {
            Some("the two anchors are the same, so no working day lies between them".to_owned())
        }
        _ => None,
    }
}

/// An anchor as written, for messages: `start`, `finish`, `2021-04-01`, `` `go-live` ``.
fn when_words(when: &ast::When) -> String {
    match when {
        ast::When::Start(_) => "`start`".to_owned(),
        ast::When::Finish(_) => "`finish`".to_owned(),
        ast::When::Date(date) => date.text.to_string(),
        ast::When::Milestone(reference) => {
            let parts: Vec<&str> = reference.parts().iter().map(|p| p.name.as_str()).collect();
            format!("`{}`", parts.join("."))
        }
    }
}

/// How many dependencies and money lines an item's attributes give at most, so its lists are
/// allocated once at their size: the model keeps them for the whole run, and growing them by
/// doubling cost a reallocation each and left room unused.
struct ListSizes {
    dependencies: usize,
    costs: usize,
    savings: usize,
    benefits: usize,
}

impl ListSizes {
    fn of(attrs: &Attrs) -> ListSizes {
        let mut sizes = ListSizes {
            dependencies: 0,
            costs: 0,
            savings: 0,
            benefits: 0,
        };
        for attr in attrs.iter() {
            match attr {
                Attr::Dependency { targets, .. } => sizes.dependencies += targets.len(),
                Attr::Cost { .. } => sizes.costs += 1,
                Attr::Saving { .. } => sizes.savings += 1,
                Attr::Benefit { .. } => sizes.benefits += 1,
                _ => {}
            }
        }
        sizes
    }
}

/// One `cost` line as written, for [`Validator::cost`].
pub(super) struct CostLine<'a> {
    pub(super) kind: ast::CostKind,
    pub(super) amount: &'a ast::MoneyLit,
    pub(super) timing: &'a ast::CostTiming,
    pub(super) span: Span,
}

/// A saving's or benefit's `owner` and `measure`, for the benefits register.
fn register_meta(meta: Option<&ast::LineMeta>) -> Accountable {
    let text = |s: &Option<ast::Str>| s.as_ref().map(|s| s.value.to_string());
    meta.map_or_else(Accountable::default, |m| Accountable {
        owner: text(&m.owner),
        measure: text(&m.measure),
    })
}
