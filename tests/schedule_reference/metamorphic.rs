//! Metamorphic tests: changes to a plan's text that must change no date or float. Reordering
//! items (at the top level, inside programmes, a project's milestones), renaming every id,
//! splitting the plan across included files, and adding a milestone label to a project
//! (docs/scheduling.md: "adding a milestone label to a project changes no number"); and free
//! float tested by slipping work by it.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use tranche::source::MemoryFs;

use super::compare::{Run, calendars, run, run_fast};
use super::generate::{
    self, Item, Milestone, Plan, Progress, Timing, each_list, each_project, rename,
};
use super::reference::{Node, Reference};

/// Items of a schedule JSON by id.
fn items(json: &Value) -> BTreeMap<String, Value> {
    json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| (i["id"].as_str().unwrap_or("").to_string(), i.clone()))
        .collect()
}

/// Every item of `a` as in `b` (ids through `map`), but those `skip` names; the plan's finish.
fn same(a: &Value, b: &Value, map: &dyn Fn(&str) -> String, skip: &[&str]) -> Result<(), String> {
    let (a_items, b_items) = (items(a), items(b));
    let mut out = Vec::new();
    for (id, item) in &a_items {
        if skip.contains(&id.as_str()) {
            continue;
        }
        let Some(other) = b_items.get(&map(id)) else {
            out.push(format!("`{id}` is missing after the change"));
            continue;
        };
        let fields = item.as_object().into_iter().flatten();
        for (field, value) in fields {
            if field == "id" || field == "name" {
                continue;
            }
            if &other[field] != value {
                out.push(format!(
                    "`{id}`.{field}: {value} before, {} after",
                    other[field]
                ));
            }
        }
    }
    if a["finish"] != b["finish"] {
        out.push(format!(
            "finish: {} before, {} after",
            a["finish"], b["finish"]
        ));
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out.join("\n"))
    }
}

fn schedule(fs: &MemoryFs) -> Result<Run, TestCaseError> {
    run_fast(fs, "plan.tranche").map_err(TestCaseError::reject)
}

fn check(before: &str, after: &str, result: Result<(), String>) -> Result<(), TestCaseError> {
    result.map_err(|why| {
        TestCaseError::fail(format!(
            "a date or float changed from\n{before}\nto\n{after}\n{why}"
        ))
    })
}

/// Schedules `plan` and `other`, which must give the same dates and floats (`other`'s ids are
/// `plan`'s through `map`; the fields `skip` names are passed over); both runs, for more checks.
fn same_dates(
    plan: &Plan,
    other: &Plan,
    map: &dyn Fn(&str) -> String,
    skip: &[&str],
) -> Result<(Run, Run), TestCaseError> {
    let a = schedule(&MemoryFs::single(&plan.text()))?;
    let b = schedule(&MemoryFs::single(&other.text()))?;
    check(
        &plan.text(),
        &other.text(),
        same(&a.json, &b.json, map, skip),
    )?;
    Ok((a, b))
}

/// Shuffles `v` with a small generator seeded by `seed` (Fisher-Yates).
fn shuffle<T>(v: &mut [T], seed: &mut u64) {
    for i in (1..v.len()).rev() {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = (*seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}

fn reorder(plan: &Plan, mut seed: u64) -> Plan {
    let mut p = plan.clone();
    each_list(&mut p.items, &mut |list: &mut Vec<Item>| {
        shuffle(list, &mut seed)
    });
    each_project(&mut p.items, &mut |project| {
        shuffle(&mut project.milestones, &mut seed)
    });
    p
}

/// The plan across files: the second half of the top-level items in `more.tranche`
/// (included at the top level), and each top-level programme's contents in a file of its own,
/// included inside it (`parts/ID.tranche`, written relative to the including file).
fn split(plan: &Plan) -> (MemoryFs, String) {
    let half = plan.items.len() / 2;
    let mut main = plan.header();
    let mut fs = MemoryFs::new();
    let mut more = String::new();
    for (i, item) in plan.items.iter().enumerate() {
        let text = match item {
            Item::Programme(g) => {
                fs.insert(
                    format!("parts/{}.tranche", g.id),
                    plan.items_text(&g.items, ""),
                );
                // plan.tranche and more.tranche are in the same folder.
                let path = format!("parts/{}.tranche", g.id);
                format!(
                    "programme {} \"{}\" {{\n  include \"{path}\"\n}}\n",
                    g.id,
                    g.id.to_uppercase()
                )
            }
            _ => plan.items_text(std::slice::from_ref(item), ""),
        };
        if i < half {
            main.push_str(&text);
        } else {
            more.push_str(&text);
        }
    }
    main.push_str("include \"more.tranche\"\n");
    let all = format!("{main}\n# more.tranche\n{more}");
    fs.insert("plan.tranche", main);
    fs.insert("more.tranche", more);
    (fs, all)
}

/// `milestone label "L" at finish` (or `at start`) added to a project (the `which`-th, counted
/// round).
fn labelled(plan: &Plan, which: usize, at_start: bool) -> Option<Plan> {
    let mut p = plan.clone();
    let mut count = 0;
    each_project(&mut p.items, &mut |_| count += 1);
    if count == 0 {
        return None;
    }
    let which = which % count;
    let mut n = 0;
    let mut done = false;
    each_project(&mut p.items, &mut |project| {
        if n == which {
            project.milestones.push(Milestone {
                id: "label".to_string(),
                timing: if at_start {
                    Timing::AtStart
                } else {
                    Timing::AtFinish
                },
                deps: Vec::new(),
                deadline: None,
                baseline: None,
                actual: None,
            });
            done = true;
        }
        n += 1;
    });
    done.then_some(p)
}

/// Runs `test` on [`config`]'s cases of `strategy`; a failure panics with proptest's report
/// (the smallest case found).
fn holds<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    if let Err(e) = TestRunner::new(config()).run(&strategy, test) {
        panic!("{e}");
    }
}

/// 150 cases each, or `TRANCHE_METAMORPHIC_CASES`.
fn config() -> Config {
    let cases = std::env::var("TRANCHE_METAMORPHIC_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    Config {
        cases,
        max_global_rejects: cases,
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn reordering_items_changes_no_date() {
    holds((generate::plan(), any::<u64>()), |(plan, seed)| {
        same_dates(&plan, &reorder(&plan, seed), &|id| id.to_string(), &[]).map(|_| ())
    });
}

#[test]
fn renaming_ids_changes_no_date() {
    holds(generate::plan(), |plan| {
        let mut other = plan.clone();
        let new = |id: &str| format!("x-{id}-renamed");
        rename(&mut other, &new);
        let (a, b) = same_dates(&plan, &other, &new, &[])?;
        let path = |j: &Value| -> Vec<String> {
            j["critical_path"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        let renamed: Vec<String> = path(&a.json).iter().map(|id| new(id)).collect();
        prop_assert_eq!(renamed, path(&b.json), "critical path of\n{}", plan.text());
        Ok(())
    });
}

#[test]
fn splitting_across_files_changes_no_date() {
    holds(generate::plan(), |plan| {
        let a = schedule(&MemoryFs::single(&plan.text()))?;
        let (fs, all) = split(&plan);
        // `check_files` itself here: the include walk is the point.
        let b = run(&fs, "plan.tranche").map_err(|why| {
            TestCaseError::fail(format!("the split plan does not check:\n{all}\n{why}"))
        })?;
        check(
            &plan.text(),
            &all,
            same(&a.json, &b.json, &|id| id.to_string(), &[]),
        )
    });
}

#[test]
fn a_milestone_label_changes_no_date() {
    holds(
        (generate::plan(), 0usize..64, any::<bool>()),
        |(plan, which, at_start)| {
            let Some(other) = labelled(&plan, which, at_start) else {
                return Err(TestCaseError::reject("no such project"));
            };
            same_dates(&plan, &other, &|id| id.to_string(), &["label"]).map(|_| ())
        },
    );
}

/// Every project's and milestone's early start and finish as instants (the reference's
/// boundary days on the item's own calendar: a milestone at the end of a day and one at the
/// start of the next are the same moment, though shown on different dates), but those `skip`
/// names; and the plan's finish as a moment of the clock (the end of a day is the midnight
/// that starts the next, whichever calendar the work that finishes then is on).
fn early_instants(
    p: &tranche::model::Portfolio,
    skip: &dyn Fn(&str) -> bool,
) -> BTreeMap<String, (chrono::NaiveDate, chrono::NaiveDate)> {
    let r = Reference::compute(p);
    let mut out = BTreeMap::new();
    for (n, d) in &r.dates {
        let id = match n {
            Node::P(i) => p.projects[*i].id.to_string(),
            Node::M(i) => p.milestones[*i].id.to_string(),
        };
        if !skip(&id) {
            out.insert(id, (d.es, d.ef));
        }
    }
    let f = r.finish_instant;
    let midnight = if f.end {
        f.date.succ_opt().unwrap_or(f.date)
    } else {
        f.date
    };
    out.insert("(finish)".into(), (midnight, midnight));
    out
}

/// Free float means what docs/scheduling.md says, tested by doing it rather than by a formula:
/// a project not yet started, held back by `not-before` so that it starts its free float of
/// working days later (on its own calendar), moves no other item's early dates and not the
/// plan's finish; held back one day more, where its free float is less than its total float
/// (so a successor, not the plan's finish or a deadline, bounds it), it moves something.
#[test]
fn free_float_is_the_slip_that_moves_nothing_else() {
    holds((generate::plan(), 0usize..64), |(plan, which)| {
        let a = schedule(&MemoryFs::single(&plan.text()))?;
        let mut ids = Vec::new();
        let mut p = plan.clone();
        each_project(&mut p.items, &mut |project| {
            if project.progress == Progress::NotStarted {
                ids.push(project.id.clone());
            }
        });
        let Some(id) = ids.get(which % ids.len().max(1)).cloned() else {
            return Err(TestCaseError::reject("no project to slip"));
        };
        let all = items(&a.json);
        let me = &all[&id];
        let (ff, tf) = (
            me["free_float_days"].as_i64().unwrap_or(0),
            me["total_float_days"].as_i64().unwrap_or(0),
        );
        let index = a
            .portfolio
            .projects
            .iter()
            .position(|x| x.id == id)
            .expect("the project is in the model");
        let project = &a.portfolio.projects[index];
        let calendar = &calendars(&a.portfolio)[project.calendar.0 as usize];
        let es: chrono::NaiveDate = me["early_start"]
            .as_str()
            .and_then(|d| d.parse().ok())
            .expect("an early start");
        // The slipped project and its labels (they move with it).
        let labels: Vec<String> = project
            .milestones
            .iter()
            .map(|m| &a.portfolio.milestones[m.0 as usize])
            .filter(|m| {
                matches!(
                    m.timing,
                    tranche::model::MilestoneTiming::AtStart
                        | tranche::model::MilestoneTiming::AtFinish
                )
            })
            .map(|m| m.id.to_string())
            .collect();
        let skip = |other: &str| other == id || labels.iter().any(|l| l == other);
        let slipped = |k: i64| -> Result<Option<tranche::model::Portfolio>, TestCaseError> {
            let at = i64::from(calendar.index_on_or_after(es)) + k;
            let Some(date) = i32::try_from(at).ok().and_then(|i| calendar.date(i)) else {
                return Ok(None);
            };
            let mut q = plan.clone();
            each_project(&mut q.items, &mut |x| {
                if x.id == id {
                    x.not_before = Some(date);
                }
            });
            // A date past the plan's end, or before a deadline, is refused: nothing to learn.
            Ok(run_fast(&MemoryFs::single(&q.text()), "plan.tranche")
                .ok()
                .map(|run| run.portfolio))
        };
        let before = early_instants(&a.portfolio, &skip);
        if let Some(portfolio) = slipped(ff)? {
            let after = early_instants(&portfolio, &skip);
            if before != after {
                let moved: Vec<&String> = before
                    .iter()
                    .filter(|(k, v)| after.get(*k) != Some(v))
                    .map(|(k, _)| k)
                    .collect();
                return Err(TestCaseError::fail(format!(
                    "`{id}` slipped by its free float {ff} moved {moved:?} in\n{}",
                    plan.text()
                )));
            }
        }
        if ff < tf {
            if let Some(portfolio) = slipped(ff + 1)? {
                if before == early_instants(&portfolio, &skip) {
                    return Err(TestCaseError::fail(format!(
                        "`{id}` slipped by its free float {ff} and a day moved nothing (total float {tf}) in\n{}",
                        plan.text()
                    )));
                }
            }
        }
        Ok(())
    });
}
