//! The RAID log: each `risk`, `issue`, `assumption` and `decision` checked and converted once
//! every project is known (E090-E095, W090-W094; docs/diagnostics.md). Ids of RAID entries
//! have a namespace of their own: nothing in the plan refers to them, so a risk may share a
//! name with the project it threatens.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Header, Named, Once, Settings, Validator, title};
use crate::diagnostic::count::count;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::model::names::Kind;
use crate::model::raid::{Effect, Impact, Mitigation, RaidEntry, RaidKind, RaidStatus};
use crate::model::{Project, ProjectId};
use crate::money::{Money, Percent};
use crate::syntax::ast::{self, Attr};

/// A RAID entry as collected: its kind, id, header and body.
pub(super) struct RaidDecl {
    pub(super) kind: ast::RaidKind,
    pub(super) id: ast::Ident,
    pub(super) block: Header,
    pub(super) attrs: Vec<Attr>,
}

impl Validator {
    /// Files a RAID entry; E021 when its id is taken by another entry.
    pub(super) fn collect_raid(&mut self, kind: ast::RaidKind, block: ast::Block) {
        let (header, Some(id), body) = Header::split(block) else {
            return;
        };
        if let Some(first) = self.raid_ids.get(id.name.as_str()) {
            let first = *first;
            self.error(
                Diagnostic::new(
                    Code::E021DuplicateId,
                    id.span,
                    format!("`{}` is already the id of a RAID entry", id.name),
                )
                .with_note(Some(first), format!("`{}` is first declared here", id.name))
                .with_hint("give each risk, issue, assumption and decision its own id"),
            );
        } else {
            self.raid_ids.insert(id.name.to_string(), id.span);
        }
        self.raid.push(RaidDecl {
            kind,
            id,
            block: header,
            attrs: body,
        });
    }

    /// Pass 2 for the RAID log, after the projects.
    pub(super) fn resolve_raid(
        &mut self,
        settings: Option<&Settings>,
        projects: &[Project],
    ) -> Vec<RaidEntry> {
        let decls = std::mem::take(&mut self.raid);
        let mut entries = Vec::with_capacity(decls.len());
        for decl in &decls {
            if let Some(entry) = self.raid_entry(decl, settings, projects) {
                entries.push(entry);
            }
        }
        entries
    }

    fn raid_entry(
        &mut self,
        decl: &RaidDecl,
        settings: Option<&Settings>,
        projects: &[Project],
    ) -> Option<RaidEntry> {
        let kind = match decl.kind {
            ast::RaidKind::Risk => RaidKind::Risk,
            ast::RaidKind::Issue => RaidKind::Issue,
            ast::RaidKind::Assumption => RaidKind::Assumption,
            ast::RaidKind::Decision => RaidKind::Decision,
        };
        let noun = kind.name();
        let mut entry = RaidEntry {
            kind,
            id: decl.id.name.to_string(),
            title: title(&decl.block, &decl.id).to_string(),
            owner: None,
            description: None,
            status: RaidStatus::Open,
            probability: None,
            impacts: Vec::new(),
            mitigation: None,
            review: None,
            raised: None,
            due: None,
            until: None,
            decided_on: None,
            decided_by: None,
            span: decl.block.span,
        };
        let mut once = Once::new(Named::item(noun, &decl.id));
        let mut status_span = None;
        for attr in &decl.attrs {
            let allowed = allowed_in(kind, attr);
            if !allowed {
                self.misplaced_in_raid(attr, kind.a());
                continue;
            }
            let single = !matches!(attr, Attr::Affects(_));
            if single && !once.first(attr, &mut self.diagnostics) {
                continue;
            }
            match attr {
                Attr::Owner(owner, _) => entry.owner = Some(owner.value.to_string()),
                Attr::Description(text, _) => entry.description = Some(text.value.to_string()),
                Attr::Probability(percent, _) => entry.probability = self.probability(percent),
                Attr::RaidStatus(word, span) => {
                    status_span = Some(*span);
                    if let Some(status) = self.status(word, kind) {
                        entry.status = status;
                    }
                }
                Attr::Review(date, _) => entry.review = self.date(date),
                Attr::Raised(date, _) => entry.raised = self.date(date),
                Attr::Due(date, _) => entry.due = self.date(date),
                Attr::Until(date, _) => entry.until = self.date(date),
                Attr::DecidedOn(date, _) => entry.decided_on = self.date(date),
                Attr::DecidedBy(who, _) => entry.decided_by = Some(who.value.to_string()),
                Attr::Affects(affects) => {
                    if let Some(impact) = self.impact(affects, settings, projects) {
                        entry.impacts.push(impact);
                    }
                }
                Attr::Mitigation(block) => entry.mitigation = self.mitigation(block, settings),
                _ => {}
            }
        }
        self.once_buffer = once.into_buffer();
        self.raid_required(&entry, decl);
        self.raid_dates(&entry, decl, settings, status_span);
        Some(entry)
    }

    /// E050 for an attribute a RAID entry of this kind does not take.
    fn misplaced_in_raid(&mut self, attr: &Attr, place: &str) {
        let keyword = attr.keyword();
        self.error(
            Diagnostic::new(
                Code::E050MisplacedAttribute,
                attr.span(),
                format!("`{keyword}` is not allowed in {place}"),
            )
            .with_hint(format!("`{keyword}` belongs {}", super::belongs(attr))),
        );
    }

    /// A probability: 0% to 100% (E090 above).
    fn probability(&mut self, percent: &ast::Literal) -> Option<Percent> {
        let value = crate::model::values::percent(percent)
            .map_err(|d| self.error(d))
            .ok()?;
        if value > Percent::HUNDRED {
            self.error(
                Diagnostic::new(
                    Code::E090ProbabilityOutOfRange,
                    percent.span,
                    format!("a probability of {}% is more than certain", percent.text),
                )
                .with_hint("write a probability from 0% to 100%"),
            );
            return None;
        }
        Some(value)
    }

    /// `open`, `closed`, or (for a risk) `occurred`; E094 otherwise.
    fn status(&mut self, word: &ast::Ident, kind: RaidKind) -> Option<RaidStatus> {
        match (word.name.as_str(), kind) {
            ("open", _) => Some(RaidStatus::Open),
            ("closed", _) => Some(RaidStatus::Closed),
            ("occurred", RaidKind::Risk) => Some(RaidStatus::Occurred),
            (other, kind) => {
                let words = match kind {
                    RaidKind::Risk => "`open`, `closed` or `occurred`",
                    _ => "`open` or `closed`",
                };
                self.error(
                    Diagnostic::new(
                        Code::E094UnknownStatus,
                        word.span,
                        format!("`{other}` is not a status of {}", kind.a()),
                    )
                    .with_hint(format!("write {words}")),
                );
                None
            }
        }
    }

    /// `affects PROJECT ...`: a project (E020 unknown, E092 not a project), a range in order
    /// (E091), a saving to change (E095); W094 when the project has finished.
    fn impact(
        &mut self,
        affects: &ast::Affects,
        settings: Option<&Settings>,
        projects: &[Project],
    ) -> Option<Impact> {
        let entry = self.reference(
            &affects.target,
            &[Kind::Project, Kind::Milestone, Kind::Programme],
            "project",
            &"`affects`",
        )?;
        if entry.kind != Kind::Project {
            let target = super::reference_text(&affects.target);
            self.error(
                Diagnostic::new(
                    Code::E092ImpactNotOnProject,
                    affects.target.span(),
                    format!(
                        "`{target}` is a {}; an impact falls on a project",
                        entry.kind.noun()
                    ),
                )
                .with_hint("name the project whose duration, cost or saving the risk changes"),
            );
            return None;
        }
        let project_id = ProjectId(entry.index);
        let project = projects.get(entry.index as usize)?;
        let effect = match &affects.impact {
            ast::Impact::Delay { low, high } => {
                let (low_days, high_days) = self.ends(low, high.as_ref(), Self::impact_days)?;
                self.in_order(low_days, high_days, affects.span, |d| {
                    count(d, "working day", "working days")
                })?;
                Effect::Delay {
                    low_days,
                    high_days,
                }
            }
            ast::Impact::Cost { low, high } => {
                let settings = settings?;
                let (low, high) = self.ends(low, high.as_ref(), |v, m| v.money(m, settings))?;
                self.in_order(low, high, affects.span, |m| m.to_string())?;
                Effect::Capital { low, high }
            }
            ast::Impact::Saving { low, high } => {
                let settings = settings?;
                let (low, high) =
                    self.ends(low, high.as_ref(), |v, m| v.signed_money(m, settings))?;
                // A loss reads from the smaller loss to the larger (`-£50k to -£80k`): order
                // the two ends by size rather than refuse the way it reads best.
                let (low, high) = if low <= high {
                    (low, high)
                } else {
                    (high, low)
                };
                if project.savings.is_empty() {
                    self.error(
                        Diagnostic::new(
                            Code::E095SavingImpactWithoutSaving,
                            affects.span,
                            format!("project `{}` has no saving for this to change", project.id),
                        )
                        .with_hint("give the project its `saving`, or name the project whose saving is at risk"),
                    );
                    return None;
                }
                Effect::Saving { low, high }
            }
        };
        let finished = project.progress().actual_finish.is_some();
        if finished {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::W094ImpactOnFinishedWork,
                    affects.target.span(),
                    format!(
                        "project `{}` has finished; the simulation leaves this impact out",
                        project.id
                    ),
                )
                .with_hint("name the work still to do that the risk threatens, or close the entry"),
            );
        }
        Some(Impact {
            project: project_id,
            effect,
            finished,
            span: affects.span,
        })
    }

    /// The two ends of an impact's range, each converted by `convert`; without a high end the
    /// low one is both.
    fn ends<L, T: Copy>(
        &mut self,
        low: &L,
        high: Option<&L>,
        mut convert: impl FnMut(&mut Self, &L) -> Option<T>,
    ) -> Option<(T, T)> {
        let low = convert(self, low)?;
        let high = match high {
            Some(high) => convert(self, high)?,
            None => low,
        };
        Some((low, high))
    }

    fn impact_days(&mut self, duration: &ast::DurationLit) -> Option<u32> {
        let days = self.days(duration)?;
        u32::try_from(days).ok()
    }

    fn signed_money(&mut self, value: &ast::SignedMoney, settings: &Settings) -> Option<Money> {
        let amount = self.money(&value.amount, settings)?;
        Some(if value.negative {
            Money(-amount.0)
        } else {
            amount
        })
    }

    /// E091 when a range's low end is above its high end.
    fn in_order<T: PartialOrd + Copy>(
        &mut self,
        low: T,
        high: T,
        span: Span,
        show: impl Fn(T) -> String,
    ) -> Option<()> {
        if low > high {
            self.error(
                Diagnostic::new(
                    Code::E091RangeOutOfOrder,
                    span,
                    format!(
                        "the impact's low end ({}) is above its high end ({})",
                        show(low),
                        show(high)
                    ),
                )
                .with_hint("write the smaller impact first: `LOW to HIGH`"),
            );
            return None;
        }
        Some(())
    }

    /// `mitigation "What" { probability N%  cost capital AMOUNT }`.
    fn mitigation(
        &mut self,
        block: &ast::Block,
        settings: Option<&Settings>,
    ) -> Option<Mitigation> {
        let mut probability = None;
        let mut cost = Money(0);
        let mut once = Once::new(Named::phrase("a mitigation"));
        for attr in &block.body {
            match attr {
                Attr::Probability(percent, _) if once.first(attr, &mut self.diagnostics) => {
                    probability = self.probability(percent);
                    if probability.is_none() {
                        // Reported; a missing probability is not reported again.
                        probability = Some(Percent(0));
                    }
                }
                Attr::Cost {
                    kind: ast::CostKind::Capital,
                    amount,
                    timing: ast::CostTiming::Spread(None),
                    ..
                } if once.first(attr, &mut self.diagnostics) => {
                    if let Some(settings) = settings {
                        cost = self.money(amount, settings).unwrap_or(Money(0));
                    }
                }
                Attr::Owner(..) | Attr::Description(..) => {}
                Attr::Probability(..) | Attr::Cost { .. } if once.seen(attr.keyword()) => {}
                Attr::Cost { span, .. } => self.error(
                    Diagnostic::new(
                        Code::E052Conflict,
                        *span,
                        "a mitigation's cost is one capital amount",
                    )
                    .with_hint("write `cost capital AMOUNT`, what the mitigation costs whether or not the risk occurs"),
                ),
                other => self.misplaced_in_raid(other, "a mitigation"),
            }
        }
        let Some(probability) = probability else {
            self.error(
                Diagnostic::new(
                    Code::E093RaidDetailMissing,
                    block.keyword_span,
                    "a mitigation without a probability",
                )
                .with_hint(
                    "add `probability N%`: how likely the risk is once the mitigation is in place",
                ),
            );
            return None;
        };
        Some(Mitigation {
            title: block
                .title
                .as_ref()
                .map_or_else(String::new, |t| t.value.to_string()),
            probability,
            cost,
            span: block.span,
        })
    }

    /// E093: a risk without a probability, a decision without a date.
    fn raid_required(&mut self, entry: &RaidEntry, decl: &RaidDecl) {
        let missing = match entry.kind {
            RaidKind::Risk if entry.probability.is_none() && !has(decl, "probability") => Some((
                "a risk without a probability",
                "add `probability N%`: how likely it is to happen",
            )),
            RaidKind::Decision if entry.decided_on.is_none() && !has(decl, "on") => Some((
                "a decision without a date",
                "add `on DATE`: the day it was decided",
            )),
            _ => None,
        };
        if let Some((message, hint)) = missing {
            self.error(
                Diagnostic::new(
                    Code::E093RaidDetailMissing,
                    decl.block.keyword_span,
                    message,
                )
                .with_hint(hint),
            );
        }
    }

    /// W090-W093: dates passed at the status date, and closed entries with impacts.
    fn raid_dates(
        &mut self,
        entry: &RaidEntry,
        decl: &RaidDecl,
        settings: Option<&Settings>,
        status_span: Option<Span>,
    ) {
        let open = entry.status == RaidStatus::Open;
        if entry.status == RaidStatus::Closed && !entry.impacts.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::W093ClosedWithImpacts,
                    status_span.unwrap_or(entry.span),
                    format!(
                        "{} `{}` is closed but lists impacts; the simulation leaves them out",
                        entry.kind.name(),
                        entry.id
                    ),
                )
                .with_hint("remove the `affects` lines, or reopen it with `status open`"),
            );
        }
        let Some(status_date) = settings.and_then(|s| s.status_date) else {
            return;
        };
        let passed = |date: Option<NaiveDate>| date.filter(|d| *d < status_date);
        let (code, date, what, keyword) = match entry.kind {
            RaidKind::Risk => (
                Code::W090ReviewOverdue,
                passed(entry.review),
                "was due for review",
                "review",
            ),
            RaidKind::Assumption => (
                Code::W091AssumptionExpired,
                passed(entry.until),
                "was to hold until",
                "until",
            ),
            RaidKind::Issue => (
                Code::W092IssueOverdue,
                passed(entry.due),
                "was due to be resolved",
                "due",
            ),
            RaidKind::Decision => return,
        };
        let at = decl
            .attrs
            .iter()
            .find(|a| a.keyword() == keyword)
            .map_or(entry.span, Attr::span);
        let (true, Some(date)) = (open, date) else {
            return;
        };
        let hint = match entry.kind {
            RaidKind::Risk => "review it and set the next `review` date, or close it",
            RaidKind::Assumption => {
                "confirm it and move `until`, or close it and raise an issue if it failed"
            }
            _ => "resolve it and close it, or set a new `due` date",
        };
        self.diagnostics.push(
            Diagnostic::new(
                code,
                at,
                format!(
                    "{} `{}` {what} {date}, before the status date {status_date}",
                    entry.kind.name(),
                    entry.id
                ),
            )
            .with_hint(hint),
        );
    }
}

/// Whether the entry's body writes this keyword at all (so a value reported as bad is not
/// reported missing too).
fn has(decl: &RaidDecl, keyword: &str) -> bool {
    decl.attrs.iter().any(|a| a.keyword() == keyword)
}

/// Which attributes each kind of entry takes.
fn allowed_in(kind: RaidKind, attr: &Attr) -> bool {
    match attr {
        Attr::Owner(..) | Attr::Description(..) => true,
        Attr::Probability(..) | Attr::Mitigation(_) | Attr::Review(..) => kind == RaidKind::Risk,
        Attr::Affects(_) => matches!(kind, RaidKind::Risk | RaidKind::Issue),
        Attr::RaidStatus(..) => kind != RaidKind::Decision,
        Attr::Raised(..) | Attr::Due(..) => kind == RaidKind::Issue,
        Attr::Until(..) => kind == RaidKind::Assumption,
        Attr::DecidedOn(..) | Attr::DecidedBy(..) => kind == RaidKind::Decision,
        _ => false,
    }
}

/// RAID entries declared per id, for E021 (BTreeMap: no hash order reaches a message).
pub(super) type RaidIds = BTreeMap<String, Span>;
