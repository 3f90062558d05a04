//! Schedule-quality lints, after the DCMA 14-point assessment that schedulers use: warnings
//! with stable `W1xx` codes about plans that schedule but do not hold together (open ends,
//! leads, long lags, hard dates, high or negative float, stale progress, savings before the
//! work that enables them).
//!
//! Input: a validated [`Portfolio`] and its [`Analysis`]. Output: warnings, sorted later by
//! `diagnostic::sort`, with the ones the plan `allow`s (in the portfolio block or in the
//! project they are about) left out.
//!
//! Invariant: lints only read; they never change the schedule, and each is a single loop over
//! the model or the network (no recursion). Thresholds come from `portfolio.lint` (defaults in
//! `model::LintSettings::default`, documented in docs/diagnostics.md).

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::analysis::Analysis;
use crate::diagnostic::count::count;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::finance::CheckKind;
use crate::graph::{LinkOrigin, name_of};
use crate::model::{
    Anchor, Confidence, ConfidenceLevel, ItemId, LinkKind, LintProfile, MilestoneTiming, Portfolio,
    ProgrammeId, ProjectId,
};
use crate::schedule::Rag;
use crate::schedule::{Driver, Trace};

/// Every lint code, in order (the `W1xx` codes of [`Code::ALL`]), for `allow` validation.
pub fn codes() -> impl Iterator<Item = Code> {
    Code::ALL
        .into_iter()
        .filter(|c| c.as_str().starts_with("W1"))
}

/// Runs every lint on an analysed plan and drops the warnings the plan allows.
pub fn check(portfolio: &Portfolio, analysis: &Analysis) -> Vec<Diagnostic> {
    let mut allowed = Allowed::default();
    for allow in &portfolio.lint.allows {
        match allow.project {
            None => allowed.everywhere.push(allow.code.as_str()),
            Some(project) => {
                allowed.in_project.insert((project, allow.code.as_str()));
            }
        }
    }
    let mut lints = Lints {
        portfolio,
        analysis,
        // What set each early date (W110 and W113 need it).
        trace: &analysis.trace,
        allowed,
        found: Vec::new(),
    };
    lints.open_ends();
    lints.links();
    lints.hard_constraints();
    lints.float_and_duration();
    lints.progress();
    lints.savings();
    lints.critical_path();
    lints.confidence();
    // Allowed warnings were never built (`Lints::allowed`).
    lints.found
}

/// The plan's `allow`s: codes allowed in the portfolio block (a handful), and (project, code)
/// pairs allowed in a project (one per project at most, in a plan of any size).
#[derive(Default)]
struct Allowed<'a> {
    everywhere: Vec<&'a str>,
    in_project: HashSet<(ProjectId, &'a str)>,
}

struct Lints<'a> {
    portfolio: &'a Portfolio,
    analysis: &'a Analysis,
    trace: &'a Trace,
    allowed: Allowed<'a>,
    /// The warnings the plan does not allow, in the order found.
    found: Vec<Diagnostic>,
}

impl Lints<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.found.push(diagnostic);
    }

    /// Whether the plan allows `code` about `subject`. Checked before a warning is built: a
    /// plan of 100,000 projects that allows W107 would otherwise format 100,000 messages only
    /// to drop them.
    fn allowed(&self, code: Code, subject: Option<ProjectId>) -> bool {
        let code = code.as_str();
        self.allowed.everywhere.contains(&code)
            || subject.is_some_and(|p| self.allowed.in_project.contains(&(p, code)))
    }

    /// The project an item belongs to (itself, or the project a milestone is declared in).
    fn owner(&self, item: ItemId) -> Option<ProjectId> {
        match item {
            ItemId::Project(p) => Some(p),
            ItemId::Milestone(m) => self
                .portfolio
                .milestones
                .get(m.0 as usize)
                .and_then(|m| m.project),
            ItemId::Programme(_) => None,
        }
    }

    /// The keyword that opens an item's declaration: the model keeps the span of the whole
    /// block, and underlining twenty lines says less than underlining `project`.
    fn head(&self, item: ItemId) -> Span {
        let (span, keyword) = match item {
            ItemId::Project(p) => (
                self.portfolio.projects.get(p.0 as usize).map(|p| p.span),
                "project",
            ),
            ItemId::Milestone(m) => (
                self.portfolio.milestones.get(m.0 as usize).map(|m| m.span),
                "milestone",
            ),
            ItemId::Programme(g) => (
                self.portfolio.programmes.get(g.0 as usize).map(|g| g.span),
                "programme",
            ),
        };
        span.unwrap_or(self.portfolio.span).head(keyword.len())
    }

    fn finished(&self, item: ItemId) -> bool {
        match item {
            ItemId::Project(p) => self
                .portfolio
                .projects
                .get(p.0 as usize)
                .is_some_and(|p| p.progress().actual_finish.is_some()),
            ItemId::Milestone(m) => self
                .portfolio
                .milestones
                .get(m.0 as usize)
                .is_some_and(|m| m.actual().is_some()),
            ItemId::Programme(_) => false,
        }
    }

    /// W101 and W102: work not tied into the logic at one end.
    fn open_ends(&mut self) {
        let network = &self.analysis.network;
        for (i, project) in self.portfolio.projects.iter().enumerate() {
            let item = ItemId::Project(ProjectId(index_u32(i)));
            let Some(node) = network.node(item) else {
                continue;
            };
            // Work that has started has a fact for its start; finished work for both ends.
            let started = project.progress().actual_start.is_some() || self.finished(item);
            let has_predecessor = network.links_into(node).next().is_some();
            // Work with no predecessor starts with the plan: the plan's start is its
            // predecessor (DCMA exempts the project's start milestone likewise). Only when
            // the status date has overtaken the plan's start does such work float at the
            // status date with nothing in the plan saying when it should start.
            let floats_at_status = self
                .trace
                .early_drivers
                .get(node)
                .is_some_and(|d| *d == Driver::StatusDate);
            if !started && !has_predecessor && project.not_before().is_none() && floats_at_status {
                let status = self
                    .portfolio
                    .status_date
                    .map_or_else(String::new, |d| format!(" {d}"));
                if !self.allowed(Code::W101OpenStart, Some(ProjectId(index_u32(i)))) {
                    self.push(Diagnostic::new(
                            Code::W101OpenStart,
                            self.head(item),
                            format!(
                                "`{}` has not started and has no predecessor and no `not-before`, so it floats at the status date{status}: nothing says when it can start",
                                project.id
                            ),
                        )
                        .with_hint(
                            "add `after …` naming the work it waits for, or `not-before DATE`; if it has started, record `actual-start DATE`",
                        ),
                    );
                }
            }
            // A project's successors include those of its own `at start`/`at finish` milestones.
            let has_successor = network.links_out(node).any(|(_, link)| match link.origin {
                LinkOrigin::Dependency { .. } => true,
                LinkOrigin::AtStart | LinkOrigin::AtFinish => network
                    .node(link.successor)
                    .is_some_and(|m| network.links_out(m).next().is_some()),
            });
            let timing = self.analysis.schedule.projects.get(i);
            let ends_plan = timing.is_some_and(|t| t.finish >= self.analysis.schedule.finish);
            // Savings and benefits are what a portfolio's project is for: work that delivers
            // them has a reason to finish even when no other work waits for it.
            let delivers = !project.savings.is_empty() || !project.benefits().is_empty();
            if !self.finished(item)
                && !has_successor
                && project.deadline.is_none()
                && !ends_plan
                && !delivers
                && !self.allowed(Code::W102OpenFinish, Some(ProjectId(index_u32(i))))
            {
                self.push(Diagnostic::new(
                            Code::W102OpenFinish,
                            self.head(item),
                            format!(
                                "`{}` has no successor and no `deadline`: nothing needs it finished and it delivers no saving or benefit, so it can slip unseen",
                                project.id
                            ),
                        )
                        .with_hint(
                            "make the work that needs it say `after …`, give it a `deadline`, or say what it delivers (`saving`, `benefit`); if nothing depends on it, write `allow W102` in the project",
                        ),
                    );
            }
        }
    }

    /// W103 leads, W104 long lags, W105 the share of links that are not finish-to-start.
    fn links(&mut self) {
        let long_lag = i64::from(self.portfolio.lint.long_lag_days);
        let mut n_links = 0usize;
        let mut non_fs: Vec<Span> = Vec::new();
        let items = self
            .portfolio
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    ItemId::Project(ProjectId(index_u32(i))),
                    p.id.as_str(),
                    &p.dependencies,
                )
            })
            .chain(self.portfolio.milestones.iter().enumerate().map(|(i, m)| {
                (
                    ItemId::Milestone(crate::model::MilestoneId(index_u32(i))),
                    m.id.as_str(),
                    &m.dependencies,
                )
            }))
            .collect::<Vec<_>>();
        for (item, id, dependencies) in items {
            // How work that is done was linked no longer shapes the forecast.
            if self.finished(item) {
                continue;
            }
            for dependency in dependencies {
                n_links += 1;
                if dependency.kind != LinkKind::FinishToStart {
                    non_fs.push(dependency.span);
                }
                let on = name_of(self.portfolio, dependency.predecessor);
                let lag = i64::from(dependency.lag_days);
                if lag < 0 {
                    if !self.allowed(Code::W103Lead, self.owner(item)) {
                        self.push(Diagnostic::new(
                                Code::W103Lead,
                                dependency.span,
                                format!(
                                    "`{id}` has a lead of {} on `{on}`: it is planned to start before what it waits for is done",
                                    count(-lag, "working day", "working days")
                                ),
                            )
                            .with_hint(
                                "use `after start of …` with a positive lag for real overlap, or drop the lead",
                            ),
                        );
                    }
                } else if lag > long_lag && !self.allowed(Code::W104LongLag, self.owner(item)) {
                    self.push(Diagnostic::new(
                                Code::W104LongLag,
                                dependency.span,
                                format!(
                                    "`{id}` waits {} after `{on}`, more than the {long_lag}-day limit for a lag",
                                    count(lag, "working day", "working days")
                                ),
                            )
                            .with_hint(
                                "a long wait is usually work or a decision: make it a project or milestone, or raise `lint long-lag` in the portfolio block",
                            ),
                        );
                }
            }
        }
        let limit = self.portfolio.lint.non_fs_share.0;
        if let Some(first) = non_fs.first().copied() {
            let n_non_fs = non_fs.len();
            // Basis points, rounded down: 1 of 3 links is 3333.
            let share = i64::try_from(n_non_fs * 10_000 / n_links.max(1)).unwrap_or(i64::MAX);
            if share > limit && !self.allowed(Code::W105NonFinishToStart, None) {
                self.push(Diagnostic::new(
                            Code::W105NonFinishToStart,
                            first,
                            format!(
                                "{n_non_fs} of {} are not finish-to-start ({}%), above the {}% limit",
                                count(n_links, "dependency", "dependencies"),
                                share / 100,
                                limit / 100
                            ),
                        )
                        .with_hint(
                            "plan work as `after …` (finish-to-start) where you can: overlaps hide how work really hands over; or raise `lint non-fs-share` in the portfolio block",
                        ),
                    );
            }
        }
    }

    /// W106: a milestone fixed `on` a date that other work waits for.
    fn hard_constraints(&mut self) {
        let network = &self.analysis.network;
        for (i, milestone) in self.portfolio.milestones.iter().enumerate() {
            let MilestoneTiming::On(date) = milestone.timing else {
                continue;
            };
            let item = ItemId::Milestone(crate::model::MilestoneId(index_u32(i)));
            if milestone.actual().is_some() {
                continue;
            }
            let n_successors = network
                .node(item)
                .map_or(0, |n| network.links_out(n).count());
            // A portfolio waits on outside dates (a board's approval, an inspection) as a
            // matter of course; such a date is a problem when it drives the critical path.
            let drives_path = self
                .analysis
                .schedule
                .milestones
                .get(i)
                .is_some_and(|t| t.total_float_days <= 0);
            let profile_flags = match self.portfolio.lint.profile {
                LintProfile::Portfolio => drives_path,
                LintProfile::Dcma => true,
            };
            if n_successors > 0
                && profile_flags
                && !self.allowed(Code::W106HardConstraint, milestone.project)
            {
                self.push(Diagnostic::new(
                            Code::W106HardConstraint,
                            self.head(item),
                            format!(
                                "`{}` is fixed on {date} and {} for it: a date, not logic, drives that work",
                                milestone.id,
                                count(n_successors, "item waits", "items wait")
                            ),
                        )
                        .with_hint(
                            "give the milestone the dependencies that decide its date; if it is an outside event (an inspection, a contract date), write `allow W106` in the portfolio block",
                        ),
                    );
            }
        }
    }

    /// W107 high float, W108 negative float (where no deadline of its own is missed: E070 says
    /// that), W109 long durations.
    fn float_and_duration(&mut self) {
        let high = i64::from(self.portfolio.lint.high_float_days);
        let long = self.portfolio.lint.long_duration_days;
        // A portfolio's programmes run side by side, each ending in savings or a go-live of its
        // own: float measured to the plan's finish is the distance to the end of the longest
        // programme, not a missing link. Only float before a deadline counts there.
        let to_plan_finish = match self.portfolio.lint.profile {
            LintProfile::Portfolio => self
                .trace
                .float_to_plan_finish(self.portfolio, &self.analysis.network),
            LintProfile::Dcma => Vec::new(),
        };
        for (i, project) in self.portfolio.projects.iter().enumerate() {
            let item = ItemId::Project(ProjectId(index_u32(i)));
            let Some(timing) = self.analysis.schedule.projects.get(i) else {
                continue;
            };
            if self.finished(item) {
                continue;
            }
            let float = timing.total_float_days;
            let measured = !self
                .analysis
                .network
                .node(item)
                .and_then(|n| to_plan_finish.get(n))
                .is_some_and(|&plan_finish| plan_finish);
            if float > high
                && measured
                && !self.allowed(Code::W107HighFloat, Some(ProjectId(index_u32(i))))
            {
                self.push(Diagnostic::new(
                            Code::W107HighFloat,
                            self.head(item),
                            format!(
                                "`{}` has {} of float, more than the {high}-day limit: its logic is probably missing a link",
                                project.id,
                                count(float, "working day", "working days")
                            ),
                        )
                        .with_hint(
                            "link it to the work that really needs it (`after …` there), or give it a `deadline`; or raise `lint high-float` in the portfolio block",
                        ),
                    );
            }
            let own_deadline_missed = project.deadline.is_some_and(|d| timing.finish > d.date);
            if float < 0
                && !own_deadline_missed
                && !self.allowed(Code::W108NegativeFloat, Some(ProjectId(index_u32(i))))
            {
                self.push(Diagnostic::new(
                            Code::W108NegativeFloat,
                            self.head(item),
                            format!(
                                "`{}` has {} of float: a deadline after it cannot be met",
                                project.id,
                                count(float, "working day", "working days")
                            ),
                        )
                        .with_hint(format!(
                            "run `tranche explain {}` to see which deadline it drives; shorten or overlap the work, or move the deadline",
                            project.id
                        )),
                    );
            }
            let days = project.duration.likely_days;
            if days > long && !self.allowed(Code::W109LongDuration, Some(ProjectId(index_u32(i)))) {
                self.push(Diagnostic::new(
                            Code::W109LongDuration,
                            self.head(item),
                            format!(
                                "`{}` lasts {}, more than the {long}-day limit: too long to track progress on",
                                project.id,
                                count(days, "working day", "working days")
                            ),
                        )
                        .with_hint(
                            "split it into phases that each deliver something (with `after` between them), or raise `lint long-duration` in the portfolio block",
                        ),
                    );
            }
        }
    }

    /// W110 dates before the status date without actuals, W111 baseline finishes passed
    /// without an actual finish. Both need a status date.
    fn progress(&mut self) {
        let Some(status) = self.portfolio.status_date else {
            return;
        };
        let trace = self.trace;
        for (i, project) in self.portfolio.projects.iter().enumerate() {
            let item = ItemId::Project(ProjectId(index_u32(i)));
            let subject = Some(ProjectId(index_u32(i)));
            let progress = project.progress();
            if progress.actual_start.is_none() && progress.actual_finish.is_none() {
                // Logic or the baseline put its start before the status date, yet it has not
                // started: the status date is holding it up, so it is late already.
                let planned = project.baseline().map(|b| b.start).filter(|&d| d < status);
                let held = self
                    .analysis
                    .network
                    .node(item)
                    .and_then(|n| trace.early_drivers.get(n))
                    .is_some_and(|d| *d == Driver::StatusDate)
                    && self.analysis.network.node(item).is_some_and(|n| {
                        self.analysis.network.links_into(n).next().is_some()
                            || project.not_before().is_some()
                    });
                if let Some(date) = planned {
                    if !self.allowed(Code::W110StaleDate, subject) {
                        self.push(stale(
                            self.head(item),
                            &project.id,
                            format!("its baseline starts on {date}"),
                            status,
                        ));
                    }
                } else if held && !self.allowed(Code::W110StaleDate, subject) {
                    self.push(stale(
                        self.head(item),
                        &project.id,
                        "its logic lets it start earlier".to_string(),
                        status,
                    ));
                }
            }
            if let Some(baseline) = project.baseline() {
                if baseline.finish < status
                    && progress.actual_finish.is_none()
                    && !self.allowed(Code::W111BaselineFinishPassed, subject)
                {
                    self.push(baseline_passed(baseline.span, &project.id, baseline.finish));
                }
            }
        }
        for (i, milestone) in self.portfolio.milestones.iter().enumerate() {
            if milestone.actual().is_some() {
                continue;
            }
            if let MilestoneTiming::On(date) = milestone.timing {
                if date < status {
                    let span =
                        self.head(ItemId::Milestone(crate::model::MilestoneId(index_u32(i))));
                    if !self.allowed(Code::W110StaleDate, milestone.project) {
                        self.push(Diagnostic::new(
                                Code::W110StaleDate,
                                span,
                                format!(
                                    "`{}` is fixed on {date}, before the status date {status}, but has no `actual-finish`",
                                    milestone.id
                                ),
                            )
                            .with_hint(format!(
                                "record when it happened with `actual-finish DATE`, or move it on or after {status}"
                            )),
                        );
                    }
                }
            }
            // The scheduler puts nothing before the status date but what has happened (a
            // milestone at the finish of finished work), so such a milestone has no
            // `actual-finish` to miss; the report counts it as happened by the same rule.
            let happened = self
                .analysis
                .schedule
                .milestones
                .get(i)
                .is_some_and(|t| t.finish < status);
            if let Some(baseline) = milestone.baseline() {
                if baseline.finish < status
                    && !happened
                    && !self.allowed(Code::W111BaselineFinishPassed, milestone.project)
                {
                    self.push(baseline_passed(
                        baseline.span,
                        &milestone.id,
                        baseline.finish,
                    ));
                }
            }
        }
    }

    /// W112: a cashable saving that starts before its project finishes.
    fn savings(&mut self) {
        let schedule = &self.analysis.schedule;
        for (i, project) in self.portfolio.projects.iter().enumerate() {
            let Some(timing) = schedule.projects.get(i) else {
                continue;
            };
            for saving in &project.savings {
                let starts: Option<NaiveDate> = match saving.recurrence.from {
                    Anchor::Start => Some(timing.start),
                    // Go-live: the day after the finish, never early.
                    Anchor::Finish => None,
                    // As finance times it: from the milestone's instant (a go-live at the
                    // finish is then the day after the finish, never early).
                    Anchor::Milestone(m) => schedule.day_from_milestone(m),
                    Anchor::Date(d) => Some(d),
                };
                if let Some(date) = starts.filter(|&d| d <= timing.finish) {
                    if !self.allowed(Code::W112SavingBeforeFinish, Some(ProjectId(index_u32(i)))) {
                        self.push(Diagnostic::new(
                                Code::W112SavingBeforeFinish,
                                saving.span,
                                format!(
                                    "this saving starts on {date}, before `{}` finishes on {}: the work that enables it is not done yet",
                                    project.id, timing.finish
                                ),
                            )
                            .with_hint(
                                "write `from finish` (go-live), or a milestone or date after the work, so savings are not counted early",
                            ),
                        );
                    }
                }
            }
        }
    }

    /// W113: the critical path should run from the plan's start (or the status date) to its
    /// finish through logic; one that begins at a `not-before` means a date, not the work,
    /// sets when the plan finishes.
    fn critical_path(&mut self) {
        let Some(&first) = self.analysis.schedule.critical_path.first() else {
            return;
        };
        let trace = self.trace;
        let driver = self
            .analysis
            .network
            .node(first)
            .and_then(|n| trace.early_drivers.get(n).copied());
        // A fixed milestone that starts the path is W106's (when work waits for it) or an
        // outside event at the end of the plan (when none does): not this lint's business.
        if driver != Some(Driver::NotBefore) {
            return;
        }
        let name = name_of(self.portfolio, first).to_string();
        if !self.allowed(Code::W113CriticalPathNotFromStart, self.owner(first)) {
            self.push(Diagnostic::new(
                    Code::W113CriticalPathNotFromStart,
                    self.head(first),
                    format!(
                        "the critical path starts at `{name}`, held by its `not-before` date, not at the plan's start: a date, not the work, sets the finish"
                    ),
                )
                .with_hint(
                    "link it to the work it really waits for with `after …`; if the date is outside your control, write `allow W113` in the portfolio block",
                ),
            );
        }
    }
}

impl Lints<'_> {
    /// W114: a stated delivery confidence of green (portfolio, programme or project) where the
    /// plan's own figures say otherwise: the computed RAG is red, a deadline is missed, or
    /// (for the portfolio) a savings target or a budget is missed. The Board reads both; they
    /// should not contradict each other without the commentary saying why.
    fn confidence(&mut self) {
        let portfolio = self.portfolio;
        let schedule = &self.analysis.schedule;
        let any_green = stated_green(portfolio.confidence.as_ref()).is_some()
            || portfolio
                .programmes
                .iter()
                .any(|g| stated_green(g.confidence.as_ref()).is_some())
            || portfolio
                .projects
                .iter()
                .any(|p| stated_green(p.confidence()).is_some());
        if !any_green {
            return;
        }
        let missed = self.missed_deadlines();
        if let Some(stated) = stated_green(portfolio.confidence.as_ref()) {
            let reasons = self.portfolio_contradictions(&missed.anywhere);
            if !reasons.is_empty() && !self.allowed(Code::W114ConfidenceContradicted, None) {
                self.push(contradicted(&stated, "the portfolio", &reasons));
            }
        }
        let programme_rags = schedule.programme_rags(portfolio);
        for (i, programme) in portfolio.programmes.iter().enumerate() {
            let Some(stated) = stated_green(programme.confidence.as_ref()) else {
                continue;
            };
            let mut reasons = Vec::new();
            if programme_rags.get(i).copied().flatten() == Some(Rag::Red) {
                reasons.push("its computed status is red".to_string());
            }
            reasons.extend(missed.in_programme.get(i).and_then(|m| deadlines_text(m)));
            if !reasons.is_empty() && !self.allowed(Code::W114ConfidenceContradicted, None) {
                let what = format!("programme `{}`", programme.id);
                self.push(contradicted(&stated, &what, &reasons));
            }
        }
        for (i, project) in portfolio.projects.iter().enumerate() {
            let Some(stated) = stated_green(project.confidence()) else {
                continue;
            };
            let id = ProjectId(index_u32(i));
            let mut reasons = Vec::new();
            if let Some(timing) = schedule.projects.get(i) {
                if timing.rag == Some(Rag::Red) {
                    let slip = timing.slip_days.unwrap_or(0);
                    reasons.push(format!(
                        "it is red: {} late against its baseline",
                        count(slip, "working day", "working days")
                    ));
                }
                if let Some(deadline) = project.deadline.filter(|d| timing.finish > d.date) {
                    reasons.push(format!(
                        "it finishes on {}, after its deadline {}",
                        timing.finish, deadline.date
                    ));
                }
            }
            reasons.extend(missed.in_project.get(i).and_then(|m| deadlines_text(m)));
            if !reasons.is_empty() && !self.allowed(Code::W114ConfidenceContradicted, Some(id)) {
                let what = format!("project `{}`", project.id);
                self.push(contradicted(&stated, &what, &reasons));
            }
        }
    }

    /// Each item's missed deadline, attributed to its project and its programmes.
    fn missed_deadlines(&self) -> MissedDeadlines {
        let portfolio = self.portfolio;
        let schedule = &self.analysis.schedule;
        let n_programmes = portfolio.programmes.len();
        let mut missed = MissedDeadlines {
            in_project: vec![Vec::new(); portfolio.projects.len()],
            in_programme: vec![Vec::new(); n_programmes],
            anywhere: Vec::new(),
        };
        let mut note = |id: &str, project: Option<ProjectId>, programme: Option<ProgrammeId>| {
            let text = format!("`{id}`");
            if let Some(slot) = project.and_then(|p| missed.in_project.get_mut(p.0 as usize)) {
                slot.push(text.clone());
            }
            let mut current = programme;
            for _ in 0..n_programmes {
                let Some(g) = current else { break };
                if let Some(slot) = missed.in_programme.get_mut(g.0 as usize) {
                    slot.push(text.clone());
                }
                current = portfolio
                    .programmes
                    .get(g.0 as usize)
                    .and_then(|g| g.parent);
            }
            missed.anywhere.push(text);
        };
        for (i, project) in portfolio.projects.iter().enumerate() {
            let (Some(deadline), Some(timing)) = (project.deadline, schedule.projects.get(i))
            else {
                continue;
            };
            if timing.finish > deadline.date {
                // The project's own scope says "its deadline" (in `confidence`); `note`
                // attributes only its milestones to it.
                note(&project.id, None, project.programme);
            }
        }
        for (i, milestone) in portfolio.milestones.iter().enumerate() {
            let (Some(deadline), Some(timing)) = (milestone.deadline, schedule.milestones.get(i))
            else {
                continue;
            };
            if timing.finish > deadline.date {
                let programme = milestone
                    .project
                    .and_then(|p| portfolio.projects.get(p.0 as usize))
                    .map_or(milestone.programme, |p| p.programme);
                note(&milestone.id, milestone.project, programme);
            }
        }
        missed
    }

    /// What contradicts a green confidence for the whole portfolio: red projects, missed
    /// deadlines (`missed`, anywhere in it), and missed savings targets and budgets.
    fn portfolio_contradictions(&self, missed: &[String]) -> Vec<String> {
        let red_projects: Vec<String> = self
            .portfolio
            .projects
            .iter()
            .zip(&self.analysis.schedule.projects)
            .filter(|(_, t)| t.rag == Some(Rag::Red))
            .map(|(p, _)| format!("`{}`", p.id))
            .collect();
        let mut reasons = Vec::new();
        if !red_projects.is_empty() {
            reasons.push(format!(
                "{} red against {} baseline ({})",
                count(red_projects.len(), "project is", "projects are"),
                if red_projects.len() == 1 {
                    "its"
                } else {
                    "their"
                },
                list(&red_projects)
            ));
        }
        reasons.extend(deadlines_text(missed));
        for check in self.analysis.finance.checks.iter().filter(|c| !c.met) {
            reasons.push(match check.kind {
                CheckKind::SavingsTarget => format!(
                    "the savings target for {} is missed ({} forecast against {})",
                    check.year_label, check.actual, check.limit
                ),
                CheckKind::CapitalBudget | CheckKind::RevenueBudget => format!(
                    "the {} budget for {} is exceeded ({} against {})",
                    if check.kind == CheckKind::CapitalBudget {
                        "capital"
                    } else {
                        "revenue"
                    },
                    check.year_label,
                    check.actual,
                    check.limit
                ),
            });
        }
        reasons
    }
}

/// The missed deadlines (item ids in backticks) of each project's milestones, of everything
/// in each programme (nested programmes included), and of everything.
struct MissedDeadlines {
    in_project: Vec<Vec<String>>,
    in_programme: Vec<Vec<String>>,
    anywhere: Vec<String>,
}

/// A stated confidence, if it is green.
fn stated_green(confidence: Option<&Confidence>) -> Option<Confidence> {
    confidence
        .filter(|c| c.level == ConfidenceLevel::Green)
        .cloned()
}

/// The missed deadlines as a reason: `None` when there are none.
fn deadlines_text(missed: &[String]) -> Option<String> {
    match missed.len() {
        0 => None,
        1 => Some(format!("the deadline of {} is missed", missed.join(""))),
        _ => Some(format!(
            "{} are missed ({})",
            count(missed.len(), "deadline", "deadlines"),
            list(missed)
        )),
    }
}

/// `a`, `a and b`, `a, b and c`; the first five, then how many more.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<&str> = items.iter().take(SHOWN).map(String::as_str).collect();
    let mut text = match shown.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    if items.len() > SHOWN {
        text = format!("{}, and {} more", shown.join(", "), items.len() - SHOWN);
    }
    text
}

fn contradicted(stated: &Confidence, what: &str, reasons: &[String]) -> Diagnostic {
    Diagnostic::new(
        Code::W114ConfidenceContradicted,
        stated.span,
        format!(
            "{what} is stated green, but {}",
            reasons.join("; ")
        ),
    )
    .with_hint(
        "restate the confidence (`confidence amber \"...\"`) with a commentary that says why, or bring the plan back in line; if green stands for a reason the figures cannot show, say so in the commentary and write `allow W114`",
    )
}

fn stale(span: Span, id: &str, why: String, status: NaiveDate) -> Diagnostic {
    Diagnostic::new(
        Code::W110StaleDate,
        span,
        format!("`{id}` has not started by the status date {status}, though {why}"),
    )
    .with_hint(format!(
        "record `actual-start DATE` if it has started; if not, it is late: move its `baseline`, or what it waits for, to on or after {status}"
    ))
}

fn baseline_passed(span: Span, id: &str, finish: NaiveDate) -> Diagnostic {
    Diagnostic::new(
        Code::W111BaselineFinishPassed,
        span,
        format!("`{id}` was due to finish on {finish} by its baseline, but has no `actual-finish`"),
    )
    .with_hint(
        "record `actual-finish DATE` if it is done; if not, it is late: agree a new baseline",
    )
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or_else(|_| panic!("model ids fit in u32 (item {i})"))
}

/// The lint code named by `allow`, if it is one.
pub(crate) fn lint_code(name: &str) -> Option<Code> {
    codes().find(|c| c.as_str() == name)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::SourceMap;
    use crate::source::MemoryFs;

    /// The lint codes a plan (after a standard portfolio block with `settings`) trips.
    fn codes(settings: &str, body: &str) -> Vec<&'static str> {
        let text = format!(
            "portfolio \"P\" {{\n  start 2024-04-01\n  end 2026-03-31\n{settings}}}\n{body}"
        );
        let mut sources = SourceMap::new();
        let (plan, diagnostics) = crate::source::load(
            Path::new("plan.tranche"),
            &MemoryFs::single(&text),
            &mut sources,
        )
        .unwrap_or_else(|d| panic!("the plan loads: {d:?}"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let (portfolio, diagnostics) = crate::model::validate(plan);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let portfolio = portfolio.unwrap_or_else(|| panic!("the plan validates"));
        let (analysis, _) =
            crate::analysis::analyse(&portfolio, crate::finance::Detail::ProjectYearsOnly);
        let analysis = analysis.unwrap_or_else(|| panic!("the plan schedules"));
        check(&portfolio, &analysis)
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    /// A lag of seven months: 140 working days, over the portfolio profile's 120.
    const LAGGED: &str = "project a \"A\" {\n  duration 1 month\n  not-before 2024-04-01\n}\n\
                          project b \"B\" {\n  duration 1 month\n  after a + 7 months\n}\n";

    #[test]
    fn a_threshold_in_the_portfolio_block_replaces_the_default() {
        assert_eq!(codes("", LAGGED), vec!["W104"]);
        assert_eq!(
            codes("  lint long-lag 7 months\n", LAGGED),
            Vec::<&str>::new()
        );
        assert_eq!(codes("  lint long-lag 139 days\n", LAGGED), vec!["W104"]);
    }

    /// A two-month lag: within a portfolio's six months, over DCMA's month.
    #[test]
    fn the_profile_sets_the_thresholds_a_lint_line_does_not() {
        let plan = LAGGED.replace("7 months", "2 months");
        assert_eq!(codes("", &plan), Vec::<&str>::new());
        assert_eq!(
            codes("  lint profile portfolio\n", &plan),
            Vec::<&str>::new()
        );
        assert_eq!(codes("  lint profile dcma\n", &plan), vec!["W104"]);
        // A threshold wins over the profile, before or after it.
        for settings in [
            "  lint profile dcma\n  lint long-lag 3 months\n",
            "  lint long-lag 3 months\n  lint profile dcma\n",
        ] {
            assert_eq!(codes(settings, &plan), Vec::<&str>::new(), "{settings}");
        }
    }

    #[test]
    fn each_profile_has_its_documented_thresholds() {
        use crate::model::{LintProfile, LintSettings};
        let portfolio = LintSettings::for_profile(LintProfile::Portfolio);
        assert_eq!(
            (
                portfolio.high_float_days,
                portfolio.long_lag_days,
                portfolio.long_duration_days,
                portfolio.non_fs_share.0
            ),
            (240, 120, 480, 4_000)
        );
        let dcma = LintSettings::for_profile(LintProfile::Dcma);
        assert_eq!(
            (
                dcma.high_float_days,
                dcma.long_lag_days,
                dcma.long_duration_days,
                dcma.non_fs_share.0
            ),
            (44, 20, 44, 1_000)
        );
        assert_eq!(LintSettings::default(), portfolio);
    }

    /// Only `portfolio` and `dcma` are profiles, a profile is a name, and a plan has one.
    #[test]
    fn a_profile_is_one_of_two_names_given_once() {
        let codes_of = |settings: &str| -> Vec<(&'static str, String)> {
            let text =
                format!("portfolio \"P\" {{\n  start 2024-04-01\n  end 2026-03-31\n{settings}}}\n");
            crate::source::check_text(&text)
                .diagnostics
                .iter()
                .map(|d| (d.code.as_str(), d.message.clone()))
                .collect()
        };
        assert_eq!(
            codes_of("  lint profile dmca\n"),
            vec![("E051", "unknown lint profile `dmca`".to_string())]
        );
        assert_eq!(
            codes_of("  lint profile 10%\n"),
            vec![(
                "E051",
                "a lint profile is a name, not a percentage".to_string()
            )]
        );
        assert_eq!(
            codes_of("  lint high-float dcma\n"),
            vec![(
                "E051",
                "`high-float` takes a threshold, not a name".to_string()
            )]
        );
        assert_eq!(
            codes_of("  lint profile dcma\n  lint profile portfolio\n"),
            vec![(
                "E012",
                "`lint profile` is given twice in the portfolio block".to_string()
            )]
        );
    }

    #[test]
    fn allow_in_the_portfolio_block_silences_the_code_everywhere() {
        assert_eq!(codes("  allow W104\n", LAGGED), Vec::<&str>::new());
        // Another code leaves it on.
        assert_eq!(codes("  allow W103\n", LAGGED), vec!["W104"]);
    }

    #[test]
    fn the_non_fs_share_is_compared_strictly_above_the_limit() {
        let plan = "project a \"A\" {\n  duration 1 month\n  not-before 2024-04-01\n}\n\
                    project b \"B\" {\n  duration 1 month\n  after a\n}\n\
                    project c \"C\" {\n  duration 1 month\n  after start of b\n}\n";
        assert_eq!(codes("", plan), vec!["W105"]);
        // One link of two is exactly 50%: at the limit, not above it.
        assert_eq!(codes("  lint non-fs-share 50%\n", plan), Vec::<&str>::new());
        assert_eq!(codes("  lint non-fs-share 49%\n", plan), vec!["W105"]);
    }

    #[test]
    fn a_saving_from_finish_is_never_early_but_one_from_start_is() {
        let plan = |from: &str| {
            format!(
                "project a \"A\" {{\n  duration 3 months\n  not-before 2024-04-01\n  saving £10k per year from {from}\n}}\n"
            )
        };
        assert_eq!(codes("", &plan("finish")), Vec::<&str>::new());
        assert_eq!(codes("", &plan("start")), vec!["W112"]);
        assert_eq!(codes("", &plan("2024-05-01")), vec!["W112"]);
        assert_eq!(codes("", &plan("2025-01-01")), Vec::<&str>::new());
    }

    #[test]
    fn a_saving_from_the_projects_own_go_live_milestone_is_not_early() {
        let plan = "project a \"A\" {\n  duration 3 months\n  not-before 2024-04-01\n  \
                    milestone live \"Live\" at finish\n  saving £10k per year from live\n}\n";
        assert_eq!(codes("", plan), Vec::<&str>::new());
    }

    #[test]
    fn a_fixed_milestone_past_the_status_date_needs_its_actual() {
        let status = "  status-date 2024-09-02\n";
        let past = "milestone board \"Board\" on 2024-06-03\n";
        assert_eq!(codes(status, past), vec!["W110"]);
        let happened = "milestone board \"Board\" on 2024-06-03 {\n  actual-finish 2024-06-03\n}\n";
        assert_eq!(codes(status, happened), Vec::<&str>::new());
    }

    #[test]
    fn only_lint_codes_can_be_allowed() {
        assert_eq!(lint_code("W107"), Some(Code::W107HighFloat));
        assert_eq!(lint_code("W046"), None);
        assert_eq!(lint_code("E020"), None);
        assert_eq!(super::codes().count(), 14);
    }

    /// Messages that count agree in number: one item waits, two items wait.
    #[test]
    fn a_fixed_milestones_successors_are_counted_in_words_that_agree() {
        let message = |successors: &str| -> String {
            let text = format!(
                "portfolio \"P\" {{\n  start 2024-04-01\n  end 2026-03-31\n}}\n\
                 milestone gate \"Gate\" on 2024-06-03\n{successors}"
            );
            let checked = crate::source::check_text(&text);
            checked
                .diagnostics
                .iter()
                .find(|d| d.code == Code::W106HardConstraint)
                .map(|d| d.message.clone())
                .unwrap_or_else(|| panic!("W106 in {:?}", checked.diagnostics))
        };
        let one = "project a \"A\" {\n  duration 1 month\n  after gate\n}\n";
        let two = format!("{one}project b \"B\" {{\n  duration 1 month\n  after gate\n}}\n");
        assert!(
            message(one).contains("and 1 item waits for it"),
            "{}",
            message(one)
        );
        assert!(
            message(&two).contains("and 2 items wait for it"),
            "{}",
            message(&two)
        );
    }
}
