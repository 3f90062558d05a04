//! Applying scenarios to small plans: what goes, why, and what a change replaces.

use std::path::Path;

use super::*;
use crate::diagnostic::SourceMap;
use crate::source::{self, MemoryFs};

const PLAN: &str = "portfolio \"P\" {\n  start 2021-04-01\n  end 2024-03-31\n}\n\
programme front \"Front door\" {\n  project portal { duration 2 months }\n  project forms { duration 1 month  after portal }\n}\n\
project cases {\n  duration 3 months\n  cost capital £100k\n  cost revenue £10k per year from finish\n  milestone go-live at finish\n}\n\
project training { duration 1 month  after cases.go-live }\n\
project legacy { duration 1 month }\n\
milestone launch { after forms, training }\n\
risk r \"R\" { probability 10%  affects portal delay 1 month  affects cases delay 1 month }\n";

fn plan(scenarios: &str) -> Plan {
    let text = format!("{PLAN}{scenarios}");
    let mut sources = SourceMap::new();
    let (plan, diagnostics) = source::load(
        Path::new("plan.tranche"),
        &MemoryFs::single(&text),
        &mut sources,
    )
    .expect("the plan is read");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    plan
}

fn removed(applied: &Applied) -> Vec<(String, String)> {
    applied
        .removed
        .iter()
        .map(|r| (r.id.clone(), r.reason.text()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn removing_work_removes_what_depends_on_it_and_says_why() {
    let plan = plan("scenario s { remove portal }\n");
    let applied = apply(&plan, "s").expect("declared");
    assert_eq!(
        removed(&applied),
        pairs(&[
            ("portal", "removed"),
            ("forms", "removed because `portal` went"),
            ("launch", "removed because `forms` went"),
        ])
    );
    // The risk's impact on the portal is dropped; the one on cases stays.
    let text = crate::fmt::format_tree(&applied.plan.files[&applied.plan.root]);
    assert!(!text.contains("affects portal"), "{text}");
    assert!(text.contains("affects cases"), "{text}");
    assert!(!text.contains("scenario"), "{text}");
}

#[test]
fn removing_a_project_removes_its_milestones_and_their_dependants() {
    let plan = plan("scenario s { remove cases }\n");
    let applied = apply(&plan, "s").expect("declared");
    assert_eq!(
        removed(&applied),
        pairs(&[
            ("cases", "removed"),
            ("go-live", "inside `cases`, which went"),
            ("training", "removed because `cases` went"),
            ("launch", "removed because `training` went"),
        ])
    );
}

#[test]
fn remove_all_keeps_the_kept_work_with_what_it_needs() {
    let plan = plan("scenario s { remove *  keep training }\n");
    let applied = apply(&plan, "s").expect("declared");
    // training needs cases (through its milestone); programme `front` goes whole.
    assert_eq!(
        removed(&applied),
        pairs(&[
            ("front", "not kept"),
            ("portal", "not kept"),
            ("forms", "not kept"),
            ("legacy", "not kept"),
            ("launch", "not kept"),
        ])
    );
}

#[test]
fn keeping_work_in_a_programme_keeps_the_programme_as_a_container() {
    let plan = plan("scenario s { remove *  keep portal }\n");
    let applied = apply(&plan, "s").expect("declared");
    let gone: Vec<String> = applied.removed.iter().map(|r| r.id.clone()).collect();
    assert_eq!(
        gone,
        ["forms", "cases", "go-live", "training", "legacy", "launch"]
    );
}

#[test]
fn a_change_replaces_attributes_of_its_slot_only() {
    let plan = plan(
        "scenario s { change cases { duration 6 months  cost capital £50k } \
         change portfolio { budget capital £1m in 2021/22 } }\n",
    );
    let applied = apply(&plan, "s").expect("declared");
    assert!(applied.removed.is_empty());
    let text = crate::fmt::format_tree(&applied.plan.files[&applied.plan.root]);
    assert!(text.contains("duration 6 months"), "{text}");
    assert!(!text.contains("duration 3 months"), "{text}");
    assert!(text.contains("cost capital £50k"), "{text}");
    assert!(!text.contains("cost capital £100k"), "{text}");
    // The revenue line is another slot: it stays.
    assert!(text.contains("cost revenue £10k"), "{text}");
    assert!(text.contains("budget capital £1m in 2021/22"), "{text}");
}

#[test]
fn changing_removed_work_is_a_conflict() {
    let plan = plan("scenario s { remove cases  change cases { duration 1 month } }\n");
    let applied = apply(&plan, "s").expect("declared");
    let codes: Vec<&str> = applied
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E086"]);
}

#[test]
fn scenarios_are_listed_with_the_baseline_marked() {
    let plan =
        plan("scenario bau \"BAU\" { baseline-option remove * }\nscenario s { remove legacy }\n");
    let listed: Vec<(String, String, bool)> = declared(&plan)
        .into_iter()
        .map(|d| (d.id, d.title, d.baseline))
        .collect();
    assert_eq!(
        listed,
        [
            ("bau".to_string(), "BAU".to_string(), true),
            ("s".to_string(), "s".to_string(), false)
        ]
    );
    assert!(apply(&plan, "nothing").is_none());
}
