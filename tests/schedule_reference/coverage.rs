//! The guard that keeps the generator complete: a dependency kind, milestone form or
//! date-moving attribute added to the grammar (grammar/tranche.pest) and not to the generator
//! fails here; so does a generator that stops producing any construct the reference checks. The
//! model's enums are matched without a wildcard below, so a new `LinkKind` or
//! `MilestoneTiming` variant does not compile until the generator has it.

use std::collections::BTreeSet;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tranche::model::{LinkKind, MilestoneTiming};

use super::generate::{self, Item, Kind, Plan, Progress, Timing, UNITS};

/// The generator's form of each model link kind (no wildcard: a new kind stops compiling here).
pub fn kind_of(kind: LinkKind) -> Kind {
    match kind {
        LinkKind::FinishToStart => Kind::Fs,
        LinkKind::StartToStart => Kind::Ss,
        LinkKind::FinishToFinish => Kind::Ff,
        LinkKind::StartToFinish => Kind::Sf,
    }
}

/// The generator's form of each milestone timing (no wildcard, as above).
pub fn timing_of(timing: MilestoneTiming) -> &'static str {
    match timing {
        MilestoneTiming::AtStart => "at start",
        MilestoneTiming::AtFinish => "at finish",
        MilestoneTiming::On(_) => "on",
        MilestoneTiming::Free => "free",
    }
}

/// The body of grammar rule `name` (up to the line that closes it).
fn rule(grammar: &str, name: &str) -> String {
    let start = grammar
        .lines()
        .position(|l| l.starts_with(&format!("{name} =")))
        .unwrap_or_else(|| panic!("no rule `{name}` in grammar/tranche.pest"));
    let mut body = String::new();
    for line in grammar.lines().skip(start) {
        body.push_str(line);
        body.push('\n');
        if line.trim_end().ends_with('}') {
            break;
        }
    }
    body
}

/// The keyword and rule names a grammar rule mentions.
fn names(body: &str) -> BTreeSet<String> {
    let after = body.split_once('=').map_or(body, |(_, b)| b);
    after
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn grammar() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/tranche.pest");
    std::fs::read_to_string(path).expect("grammar/tranche.pest")
}

#[test]
fn the_grammar_has_no_form_the_generator_lacks() {
    let g = grammar();
    // `dependency`: (finishes after | after) (start of)? targets: the four kinds generate.rs
    // writes (Kind::keyword).
    let want: BTreeSet<String> = [
        "kw_finishes",
        "kw_after",
        "kw_start",
        "kw_of",
        "dependency_target",
        "comma",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(
        names(&rule(&g, "dependency")),
        want,
        "the dependency rule changed: add the new link form to tests/schedule_reference/generate.rs (Kind) and the reference"
    );
    let keywords: BTreeSet<&str> = Kind::ALL.iter().map(|k| k.keyword()).collect();
    assert_eq!(keywords.len(), 4);
    // `lag`: + or - a duration; units as `duration_unit` lists them.
    assert_eq!(
        names(&rule(&g, "lag")),
        ["plus", "minus", "duration_lit"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    let unit_rule = rule(&g, "duration_unit");
    let units: BTreeSet<&str> = unit_rule.split('"').skip(1).step_by(2).collect();
    let generated: BTreeSet<&str> = UNITS.iter().map(|(u, _)| *u).collect();
    assert_eq!(
        units, generated,
        "a duration unit the generator does not write"
    );
    // `milestone_timing`: at start | at finish | on DATE (and none: free).
    assert_eq!(
        names(&rule(&g, "milestone_timing")),
        ["kw_at", "kw_start", "kw_finish", "kw_on", "date"]
            .into_iter()
            .map(String::from)
            .collect(),
        "the milestone timing rule changed: add the new form to the generator (Timing)"
    );
    // Every attribute is either generated, or known not to move a date.
    let generated_attrs = [
        "duration",
        "dependency",
        "milestone",
        "project",
        "complete",
        "actual_start",
        "actual_finish",
        "baseline",
        "not_before",
        "deadline",
        "programme",
        "calendar",
        "include",
        "closed",
        "weekend",
        "based_on",
        "portfolio",
        "start_attr",
        "end_attr",
        "status_date",
        "rag",
    ];
    let no_date = [
        "rag_benefits",
        "cost",
        "saving",
        "owner",
        "theme",
        "benefit",
        "description",
        "tags",
        "currency",
        "discount_rate",
        "financial_year_start",
        "target",
        "budget",
        "risk_distribution",
        "lint_setting",
        "allow",
        "optimism_bias",
        "confidence",
        "report_setting",
        // Teams move dates only with `--level`, which tests/levelling.rs checks on plans of
        // its own; the reference here schedules without levelling.
        "team",
        "size",
        "needs",
        "priority",
        // The RAID log moves dates only in the risk simulation, never in the schedule.
        "raid_item",
        "probability",
        "affects",
        "mitigation",
        "raid_status",
        "review",
        "raised",
        "due",
        "until",
        "decided_on",
        "decided_by",
        "appraisal",
        "spent",
        "realised",
        // Scenarios move dates only in the plans they describe, which are scheduled by the
        // same pipeline (tests/options_example.rs); criteria and scores are for `select`.
        "scenario",
        "baseline_option",
        "remove",
        "keep",
        "change",
        "criteria",
        "score",
        "mandatory",
    ];
    for attr in names(&rule(&g, "attr")) {
        assert!(
            generated_attrs.contains(&attr.as_str()) || no_date.contains(&attr.as_str()),
            "attribute `{attr}` is new: if it can move a date, generate it (tests/schedule_reference/generate.rs) and give the reference its rule; else list it in `no_date`"
        );
    }
}

/// What a set of generated plans contains.
#[derive(Debug, Default)]
struct Seen {
    kinds: BTreeSet<&'static str>,
    units: BTreeSet<&'static str>,
    lead: bool,
    lag: bool,
    dotted: bool,
    timings: BTreeSet<&'static str>,
    milestone_deps: bool,
    milestone_actual: bool,
    milestone_in_project_free: bool,
    nested_programme: bool,
    programme_target_outside: bool,
    programme_target_inside: bool,
    not_before: bool,
    deadline: bool,
    project_calendar: bool,
    portfolio_calendar: bool,
    weekend: bool,
    closure: bool,
    status: bool,
    progress: BTreeSet<&'static str>,
    out_of_sequence: bool,
    finished_pred_lag: bool,
    baseline: bool,
    rag: bool,
}

fn programmes(items: &[Item], path: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    for item in items {
        if let Item::Programme(g) = item {
            path.push(g.id.clone());
            out.push((g.id.clone(), path.clone()));
            programmes(&g.items, path, out);
            path.pop();
        }
    }
}

fn look(plan: &Plan, seen: &mut Seen) {
    seen.status |= plan.status.is_some();
    seen.portfolio_calendar |= plan.calendar.is_some();
    seen.rag |= plan.rag.is_some();
    for c in &plan.calendars {
        seen.weekend |= c.weekend.is_some();
        seen.closure |= !c.closed.is_empty();
    }
    let mut progs = Vec::new();
    programmes(&plan.items, &mut Vec::new(), &mut progs);
    seen.nested_programme |= progs.iter().any(|(_, path)| path.len() > 1);
    let mut progress_of = std::collections::BTreeMap::new();
    fn collect<'a>(
        items: &'a [Item],
        path: &mut Vec<String>,
        out: &mut Vec<(&'a Item, Vec<String>)>,
    ) {
        for item in items {
            out.push((item, path.clone()));
            if let Item::Programme(g) = item {
                path.push(g.id.clone());
                collect(&g.items, path, out);
                path.pop();
            }
        }
    }
    let mut all = Vec::new();
    collect(&plan.items, &mut Vec::new(), &mut all);
    for (item, _) in &all {
        if let Item::Project(p) = item {
            progress_of.insert(p.id.clone(), p.progress);
        }
    }
    let deps_seen = |deps: &[generate::DepLine], path: &[String], seen: &mut Seen| {
        for line in deps {
            seen.kinds.insert(line.kind.keyword());
            for t in &line.targets {
                seen.dotted |= t.dotted;
                if let Some(lag) = t.lag {
                    seen.units.insert(UNITS[lag.unit].0);
                    if lag.negative {
                        seen.lead = true;
                    } else {
                        seen.lag = true;
                    }
                }
                if progs.iter().any(|(g, _)| g == &t.id) {
                    // From inside: the item is in a programme that holds the target's parent.
                    let target_path = &progs.iter().find(|(g, _)| g == &t.id).expect("found").1;
                    let parent = &target_path[..target_path.len() - 1];
                    if !parent.is_empty() && path.starts_with(parent) {
                        seen.programme_target_inside = true;
                    } else {
                        seen.programme_target_outside = true;
                    }
                }
            }
        }
    };
    let milestone =
        |m: &generate::Milestone, path: &[String], in_project: bool, seen: &mut Seen| {
            seen.timings.insert(match m.timing {
                Timing::AtStart => "at start",
                Timing::AtFinish => "at finish",
                Timing::On(_) => "on",
                Timing::Free => "free",
            });
            seen.milestone_deps |= !m.deps.is_empty();
            seen.milestone_actual |= m.actual.is_some();
            seen.milestone_in_project_free |= in_project && m.timing == Timing::Free;
            seen.deadline |= m.deadline.is_some();
            seen.baseline |= m.baseline.is_some();
            deps_seen(&m.deps, path, seen);
        };
    for (item, path) in &all {
        match item {
            Item::Programme(_) => {}
            Item::Milestone(m) => milestone(m, path, false, seen),
            Item::Project(p) => {
                seen.not_before |= p.not_before.is_some();
                seen.deadline |= p.deadline.is_some();
                seen.project_calendar |= p.calendar.is_some();
                seen.baseline |= p.baseline.is_some();
                seen.progress.insert(match p.progress {
                    Progress::NotStarted => "not started",
                    Progress::CompleteOnly => "complete without actual-start",
                    Progress::InProgress { .. } => "in progress",
                    Progress::Finished { .. } => "finished",
                });
                if matches!(p.progress, Progress::InProgress { .. }) {
                    for line in p.deps.iter().filter(|l| l.kind == Kind::Fs) {
                        for t in &line.targets {
                            match progress_of.get(&t.id) {
                                Some(Progress::Finished { .. }) => {
                                    seen.finished_pred_lag |=
                                        t.lag.is_some_and(|l| l.amount > 0 && !l.negative)
                                }
                                Some(_) => seen.out_of_sequence = true,
                                None => {}
                            }
                        }
                    }
                }
                deps_seen(&p.deps, path, seen);
                for m in &p.milestones {
                    milestone(m, path, true, seen);
                }
            }
        }
    }
}

#[test]
fn generated_plans_contain_every_construct() {
    let mut runner = TestRunner::deterministic();
    let strategy = generate::plan();
    let mut seen = Seen::default();
    for _ in 0..400 {
        let plan = strategy.new_tree(&mut runner).expect("a plan").current();
        look(&plan, &mut seen);
    }
    let kinds: BTreeSet<&str> = [
        LinkKind::FinishToStart,
        LinkKind::StartToStart,
        LinkKind::FinishToFinish,
        LinkKind::StartToFinish,
    ]
    .into_iter()
    .map(|k| kind_of(k).keyword())
    .collect();
    assert_eq!(seen.kinds, kinds, "link kinds");
    let units: BTreeSet<&str> = UNITS.iter().map(|(u, _)| *u).collect();
    assert_eq!(seen.units, units, "lag units");
    let timings: BTreeSet<&str> = [
        MilestoneTiming::AtStart,
        MilestoneTiming::AtFinish,
        MilestoneTiming::On(chrono::NaiveDate::MIN),
        MilestoneTiming::Free,
    ]
    .into_iter()
    .map(timing_of)
    .collect();
    assert_eq!(seen.timings, timings, "milestone forms");
    assert_eq!(
        seen.progress.len(),
        4,
        "progress states: {:?}",
        seen.progress
    );
    let flags = [
        ("a lead", seen.lead),
        ("a lag", seen.lag),
        ("a `project.milestone` reference", seen.dotted),
        ("a milestone with dependencies", seen.milestone_deps),
        ("a milestone with an actual date", seen.milestone_actual),
        (
            "a milestone placed by links inside a project",
            seen.milestone_in_project_free,
        ),
        ("a nested programme", seen.nested_programme),
        (
            "a programme as a target from outside it",
            seen.programme_target_outside,
        ),
        (
            "a programme as a target from inside its parent",
            seen.programme_target_inside,
        ),
        ("not-before", seen.not_before),
        ("deadline", seen.deadline),
        ("a project calendar", seen.project_calendar),
        ("a portfolio calendar", seen.portfolio_calendar),
        ("a weekend", seen.weekend),
        ("a closure", seen.closure),
        ("a status date", seen.status),
        ("out-of-sequence progress", seen.out_of_sequence),
        (
            "a finished FS predecessor with a lag",
            seen.finished_pred_lag,
        ),
        ("a baseline", seen.baseline),
        ("rag thresholds", seen.rag),
    ];
    let missing: Vec<&str> = flags.iter().filter(|(_, s)| !s).map(|(n, _)| *n).collect();
    assert!(
        missing.is_empty(),
        "the generator made none of: {missing:?}"
    );
}
