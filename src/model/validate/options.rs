//! Options appraisal and selection (docs/options.md): `criteria`, a project's `score` and
//! `mandatory`, and the structure of each `scenario` (what its edits name). Whether a
//! scenario's edits leave a valid plan is checked by `scenario::check`, which applies them and
//! validates the result (E083); here only what can be judged from the names.

use super::{Validator, did_you_mean};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::model::names::Kind;
use crate::model::values;
use crate::model::{Criterion, Score};
use crate::money::Percent;
use crate::syntax::ast::{self, Attr};

/// The kinds of item a scenario removes, keeps or changes: the work, not its settings.
const WORK: [Kind; 3] = [Kind::Project, Kind::Milestone, Kind::Programme];

impl Validator {
    /// The plan's criteria from its first `criteria` block: E012 for a second block or a name
    /// given twice, E085 when the weights do not add up to 100%.
    pub(super) fn resolve_criteria(&mut self) -> Vec<Criterion> {
        let blocks = std::mem::take(&mut self.criteria_blocks);
        let mut blocks = blocks.into_iter();
        let Some((first, span)) = blocks.next() else {
            return Vec::new();
        };
        for (_, again) in blocks {
            self.error(
                Diagnostic::new(
                    Code::E012DuplicateSetting,
                    again,
                    "`criteria` is given twice",
                )
                .with_note(Some(span), "first given here")
                .with_hint("list every criterion in one `criteria` block"),
            );
        }
        let mut criteria: Vec<Criterion> = Vec::with_capacity(first.len());
        for entry in first {
            if let Some(earlier) = criteria.iter().find(|c| c.name == entry.name.name.as_str()) {
                let earlier = earlier.span;
                self.error(
                    Diagnostic::new(
                        Code::E012DuplicateSetting,
                        entry.span,
                        format!("the criterion `{}` is given twice", entry.name.name),
                    )
                    .with_note(Some(earlier), "first given here"),
                );
                continue;
            }
            let weight = match values::percent(&entry.weight) {
                Ok(weight) => weight,
                Err(diagnostic) => {
                    self.error(diagnostic);
                    continue;
                }
            };
            criteria.push(Criterion {
                name: entry.name.name.to_string(),
                weight,
                span: entry.span,
            });
        }
        let total: i64 = criteria.iter().map(|c| c.weight.basis_points()).sum();
        if !criteria.is_empty() && total != Percent::HUNDRED.basis_points() {
            self.error(
                Diagnostic::new(
                    Code::E085WeightsNotHundred,
                    span,
                    format!(
                        "the criteria's weights add up to {}, not 100%",
                        Percent(total)
                    ),
                )
                .with_hint(
                    "give each criterion its share of the whole, so the weights add up to 100%",
                ),
            );
        }
        criteria
    }

    /// A project's `score` line against the plan's criteria: E084 for a name that is not a
    /// criterion, E087 for `savings` (its score comes from the NPV), E012 for one scored
    /// twice, E051 for a score that is not a whole number.
    /// Whether every name was a criterion (W082 would only repeat a misspelling).
    pub(super) fn scores(
        &mut self,
        entries: &[(ast::Ident, ast::Literal)],
        criteria: &[Criterion],
        scores: &mut Vec<Score>,
    ) -> bool {
        let mut all_known = true;
        for (name, value) in entries {
            let Some(index) = criteria.iter().position(|c| c.name == name.name.as_str()) else {
                all_known = false;
                let suggestion = crate::model::names::suggest(
                    &name.name,
                    criteria.iter().map(|c| c.name.as_str()),
                );
                let hint = if criteria.is_empty() {
                    "declare the criteria first: `criteria { strategic 60%  deliverability 40% }`"
                        .to_string()
                } else {
                    let names: Vec<String> =
                        criteria.iter().map(|c| format!("`{}`", c.name)).collect();
                    format!("the criteria are {}", names.join(", "))
                };
                self.error(
                    Diagnostic::new(
                        Code::E084UnknownCriterion,
                        name.span,
                        format!(
                            "`{}` is not a criterion{}",
                            name.name,
                            did_you_mean(suggestion)
                        ),
                    )
                    .with_hint(hint),
                );
                continue;
            };
            if criteria
                .get(index)
                .is_some_and(|c| c.name == Criterion::SAVINGS)
            {
                // Its score is the project's NPV scaled to the highest score written: a hand
                // score would be ignored for this project and set the scale for every other.
                self.error(
                    Diagnostic::new(
                        Code::E087SavingsScoredByHand,
                        name.span.to(value.span),
                        "`savings` is not scored by hand: a project's score for it comes from its NPV",
                    )
                    .with_hint("leave `savings` off the `score` line; give the project its `saving` lines, and `tranche select` scores their NPV"),
                );
                continue;
            }
            let criterion = u32::try_from(index).unwrap_or(u32::MAX);
            if scores.iter().any(|s| s.criterion == criterion) {
                self.error(Diagnostic::new(
                    Code::E012DuplicateSetting,
                    name.span,
                    format!("the criterion `{}` is scored twice", name.name),
                ));
                continue;
            }
            match value.text.parse::<u32>() {
                Ok(value) => scores.push(Score { criterion, value }),
                Err(_) => self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        value.span,
                        format!("`{}` is not a score", value.text),
                    )
                    .with_hint("write a whole number, such as `score strategic 4`"),
                ),
            }
        }
        all_known
    }

    /// W082 for a project with a `score` line that leaves a criterion out (`savings` aside:
    /// it comes from the project's NPV).
    pub(super) fn missing_scores(
        &mut self,
        project: &ast::Ident,
        line: Span,
        scores: &[Score],
        criteria: &[Criterion],
    ) {
        let missing: Vec<String> = criteria
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.name != Criterion::SAVINGS && !scores.iter().any(|s| s.criterion as usize == *i)
            })
            .map(|(_, c)| format!("`{}`", c.name))
            .collect();
        if !missing.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::W082MissingScore,
                    line,
                    format!(
                        "project `{}` has no score for {}, which counts as 0",
                        project.name,
                        missing.join(", ")
                    ),
                )
                .with_hint("score the project against every criterion"),
            );
        }
    }

    /// The scenarios' structure, once every id is declared: E082 for an edit naming no work,
    /// E086 for a scenario id given twice, a second `baseline-option`, `keep` without
    /// `remove *`, two `change` blocks of one thing in a scenario; E050 for an attribute that
    /// is not an edit.
    pub(super) fn check_scenarios(&mut self) {
        let scenarios = std::mem::take(&mut self.scenarios);
        let mut ids: Vec<(&str, Span)> = Vec::new();
        let mut baseline: Option<Span> = None;
        for scenario in &scenarios {
            let Some(id) = &scenario.id else { continue };
            if let Some((_, first)) = ids.iter().find(|(name, _)| *name == id.name.as_str()) {
                let first = *first;
                self.error(
                    Diagnostic::new(
                        Code::E086ScenarioConflict,
                        id.span,
                        format!("the scenario `{}` is declared twice", id.name),
                    )
                    .with_note(Some(first), "first declared here")
                    .with_hint("give each scenario an id of its own"),
                );
            }
            ids.push((&id.name, id.span));
            let remove_all = scenario
                .body
                .iter()
                .any(|attr| matches!(attr, Attr::RemoveAll(_)));
            // What each `change` edits (`None`: the portfolio), and where.
            let mut changed: Vec<(Option<&str>, Span)> = Vec::new();
            for attr in &scenario.body {
                match attr {
                    Attr::BaselineOption(span) => match baseline {
                        Some(first) => self.error(
                            Diagnostic::new(
                                Code::E086ScenarioConflict,
                                *span,
                                "a second scenario is marked `baseline-option`",
                            )
                            .with_note(Some(first), "the baseline option is marked here")
                            .with_hint("the Green Book appraises every option against one baseline (business as usual): mark one scenario"),
                        ),
                        None => baseline = Some(*span),
                    },
                    Attr::Remove(list, _) | Attr::Keep(list, _) => {
                        if matches!(attr, Attr::Keep(..)) && !remove_all {
                            self.error(
                                Diagnostic::new(
                                    Code::E086ScenarioConflict,
                                    attr.span(),
                                    "`keep` without `remove *` keeps what is kept already",
                                )
                                .with_hint("write `remove *` in the scenario to remove everything but what it keeps"),
                            );
                        }
                        for name in list {
                            self.names_work(name, attr.keyword());
                        }
                    }
                    Attr::Change(block) => {
                        if let Some(target) = &block.id {
                            self.names_work(target, "change");
                        }
                        let target = block.id.as_ref().map(|i| i.name.as_str());
                        let header = block
                            .id
                            .as_ref()
                            .map_or(block.keyword_span, |i| block.keyword_span.to(i.span));
                        match changed.iter().find(|(t, _)| *t == target) {
                            Some((_, first)) => self.change_twice(&id.name, target, header, *first),
                            None => changed.push((target, header)),
                        }
                    }
                    Attr::RemoveAll(_) => {}
                    other => self.error(
                        Diagnostic::new(
                            Code::E050MisplacedAttribute,
                            other.span(),
                            format!("`{}` is not allowed in a scenario", other.keyword()),
                        )
                        .with_hint("a scenario holds `baseline-option`, `remove`, `keep` and `change ID { ... }`: put the attribute inside a `change`"),
                    ),
                }
            }
        }
    }

    /// E086 for a second `change` of the same work (or of the portfolio) in one scenario: the
    /// scenario would apply both, the later winning where they overlap, so one of them says
    /// something the scenario does not do.
    fn change_twice(&mut self, scenario: &str, target: Option<&str>, at: Span, first: Span) {
        let (what, block) = match target {
            Some(name) => (format!("`{name}`"), format!("change {name}")),
            None => ("the portfolio".to_string(), "change portfolio".to_string()),
        };
        self.error(
            Diagnostic::new(
                Code::E086ScenarioConflict,
                at,
                format!("the scenario `{scenario}` changes {what} twice"),
            )
            .with_note(Some(first), "first changed here")
            .with_hint(format!(
                "put every change to {what} in one `{block} {{ ... }}` block"
            )),
        );
    }

    /// E082 unless `name` is a project, milestone or programme.
    fn names_work(&mut self, name: &ast::Ident, keyword: &str) {
        let found = self.names.get(&name.name);
        if found.is_some_and(|entry| WORK.contains(&entry.kind)) {
            return;
        }
        let message = match found {
            Some(entry) => format!(
                "`{keyword} {}` names a {}: a scenario removes, keeps and changes projects, milestones and programmes",
                name.name,
                entry.kind.noun()
            ),
            None => format!(
                "`{keyword} {}` names nothing{}",
                name.name,
                did_you_mean(self.names.suggest(&name.name, &WORK))
            ),
        };
        self.error(
            Diagnostic::new(Code::E082ScenarioNamesNothing, name.span, message)
                .with_hint("name a project, milestone or programme of the plan"),
        );
    }
}
