//! MSPDI export read back by MPXJ (issue 6): MPXJ must find the same tasks, hierarchy,
//! durations, link kinds and lags, constraints, progress, baselines, calendars and tranche's
//! dates, and every element must be in the order of the schema MPXJ's classes come from. The expectations are computed here from the model and schedule, not from the
//! exporter. Runs when python3, Java and the PyPI packages in tests/interop/requirements.txt
//! are present; otherwise it prints why it skipped.

use crate::export_support;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use export_support::*;
use serde_json::Value;
use tranche::export::Format;
use tranche::model::{ItemId, MilestoneTiming, Portfolio};

/// What MPXJ found in `xml`, or `None` (printed) when MPXJ is not installed.
fn read_with_mpxj(xml: &str) -> Option<Value> {
    with_mpxj("mspdi_read.py", xml, "read")
}

/// What `script` in tests/interop prints as JSON about `xml` (written to a file), or `None`
/// (printed) when MPXJ is not installed; `doing` says what failed otherwise.
fn with_mpxj(script: &str, xml: &str, doing: &str) -> Option<Value> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("plan.xml");
    std::fs::write(&path, xml).expect("write the export");
    let script = interop_dir().join(script);
    let output = run_tool(
        "python3",
        &[
            script.to_str().expect("a UTF-8 path"),
            path.to_str().expect("a UTF-8 path"),
        ],
        dir.path(),
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match output.status.code() {
        Some(0) => Some(serde_json::from_str(&stdout).expect("the script prints JSON")),
        Some(2) => {
            println!("skipped: MPXJ is not available here\n{stdout}");
            None
        }
        _ => panic!(
            "MPXJ could not {doing} the export:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn start(d: NaiveDate) -> String {
    format!("{d}T08:00")
}

fn finish(d: NaiveDate) -> String {
    format!("{d}T17:00")
}

fn id_of(p: &Portfolio, item: ItemId) -> String {
    tranche::graph::name_of(p, item).to_string()
}

#[test]
fn mpxj_reads_the_same_plan_from_the_mspdi_export() {
    let plan = sample();
    let analysis = &plan.analysis;
    let Some(found) = check_with_mpxj(&plan.portfolio, analysis) else {
        return;
    };
    let tasks = tasks_of(&found);
    // The capital costs, exactly (MSPDI keeps costs in hundredths: pence).
    assert_eq!(tasks["case-system"]["fixed_cost"], 1_800_000.0);
    assert_eq!(tasks["referral-form"]["fixed_cost"], 120_000.5);
    assert_eq!(found["calendar"], "council");
    // The council's Christmas closure and the bank holidays, by name.
    let council = crate::common::json_find(&found, "calendars", "name", "council");
    let exceptions = council["exceptions"].as_array().expect("exceptions");
    assert!(exceptions.iter().any(|e| e["from"] == "2020-12-24"
        && e["to"] == "2021-01-01"
        && e["name"] == "Christmas closure"));
    assert!(
        exceptions
            .iter()
            .any(|e| e["from"] == "2021-04-02" && e["name"] == "Good Friday")
    );
}

#[test]
fn mpxj_reads_the_example_plans_from_their_mspdi_exports() {
    for path in [
        "portfolios/tutorial.tranche",
        "portfolios/children-and-families.tranche",
    ] {
        let plan = crate::common::analysed_file(path);
        let Some(found) = check_with_mpxj(&plan.portfolio, &plan.analysis) else {
            return;
        };
        // A calendar of its own: the branches' weekend is Sunday and Monday.
        if path.contains("tutorial") {
            let branches = crate::common::json_find(&found, "calendars", "name", "branches");
            assert_eq!(
                branches["working_days"],
                serde_json::json!(["TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"])
            );
        }
    }
}

/// A dependency as MPXJ reports a link: (predecessor's id, kind code, lag in working days).
fn link_of(p: &Portfolio, d: &tranche::model::Dependency) -> (String, &'static str, f64) {
    (
        id_of(p, d.predecessor),
        d.kind.code(),
        f64::from(d.lag_days),
    )
}

/// The links MPXJ found on task `t`, as [`link_of`] gives them.
fn links_found(t: &Value) -> Vec<(String, &str, f64)> {
    t["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| {
            (
                l["pred"].as_str().expect("pred").to_string(),
                l["type"].as_str().expect("type"),
                l["lag_days"].as_f64().expect("lag"),
            )
        })
        .collect()
}

fn tasks_of(found: &Value) -> BTreeMap<String, &Value> {
    found["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| {
            (
                t["id"]
                    .as_str()
                    .expect("every task has a tranche id")
                    .to_string(),
                t,
            )
        })
        .collect()
}

/// Exports the plan, has MPXJ read it, and checks every task against the model and schedule;
/// returns what MPXJ found, or `None` when MPXJ is not installed.
fn check_with_mpxj(p: &Portfolio, analysis: &tranche::analysis::Analysis) -> Option<Value> {
    let xml = tranche::export::export(p, analysis, Format::Mspdi);
    let found = read_with_mpxj(&xml)?;
    assert_eq!(
        found["order_problems"],
        serde_json::json!([]),
        "elements out of the order of the schema"
    );
    let tasks = tasks_of(&found);
    assert_eq!(
        tasks.len(),
        p.projects.len() + p.milestones.len() + p.programmes.len(),
        "one task per project, milestone and programme"
    );
    assert_eq!(found["title"], p.title.as_str());
    assert_eq!(found["start"], start(p.start));
    assert_eq!(found["status_date"], Value::from(p.status_date.map(start)));
    assert_eq!(
        found["calendar"],
        p.calendars[p.calendar.0 as usize].id.as_str()
    );
    // Hierarchy: programmes are summaries holding their work.
    for g in &p.programmes {
        let t = tasks[g.id.as_str()];
        assert_eq!(t["summary"], true, "{}", g.id);
        let parent = g.parent.map(|q| p.programmes[q.0 as usize].id.to_string());
        assert_eq!(t["parent"].as_str().map(String::from), parent, "{}", g.id);
    }
    for (i, x) in p.projects.iter().enumerate() {
        let t = tasks[x.id.as_str()];
        let timing = &analysis.schedule.projects[i];
        let parent = x
            .programme
            .map(|g| p.programmes[g.0 as usize].id.to_string());
        assert_eq!(t["parent"].as_str().map(String::from), parent, "{}", x.id);
        assert_eq!(t["summary"], false);
        assert_eq!(t["milestone"], false);
        assert_eq!(t["name"], x.title.as_str());
        // Finished work lasted what its actual dates say; other work has the plan's duration.
        let days = if x.progress().actual_finish.is_some() && timing.duration_days > 0 {
            timing.duration_days
        } else {
            x.duration.likely_days
        };
        assert_eq!(t["duration_days"], f64::from(days), "{}", x.id);
        assert_eq!(t["start"], start(timing.start), "{}", x.id);
        assert_eq!(t["finish"], finish(timing.finish), "{}", x.id);
        assert_eq!(t["critical"], timing.critical, "{}", x.id);
        match x.not_before() {
            Some(nb) => {
                assert_eq!(t["constraint"], "START_NO_EARLIER_THAN");
                assert_eq!(t["constraint_date"], start(nb.date));
            }
            None => assert_eq!(t["constraint"], "AS_SOON_AS_POSSIBLE", "{}", x.id),
        }
        assert_eq!(
            t["deadline"],
            Value::from(x.deadline.map(|d| finish(d.date))),
            "{}",
            x.id
        );
        let progress = x.progress();
        assert_eq!(
            t["actual_start"],
            Value::from(progress.actual_start.map(|d| start(d.date)))
        );
        assert_eq!(
            t["actual_finish"],
            Value::from(progress.actual_finish.map(|d| finish(d.date)))
        );
        let percent = if progress.actual_finish.is_some() {
            100.0
        } else {
            progress.complete.map_or(0.0, |c| (c.0 / 100) as f64)
        };
        assert_eq!(t["percent_complete"], percent, "{}", x.id);
        assert_eq!(
            t["baseline_start"],
            Value::from(x.baseline().map(|b| start(b.start)))
        );
        assert_eq!(
            t["baseline_finish"],
            Value::from(x.baseline().map(|b| finish(b.finish)))
        );
        let calendar =
            (x.calendar != p.calendar).then(|| p.calendars[x.calendar.0 as usize].id.to_string());
        assert_eq!(
            t["calendar"].as_str().map(String::from),
            calendar,
            "{}",
            x.id
        );
        let links: Vec<(String, &str, f64)> =
            x.dependencies.iter().map(|d| link_of(p, d)).collect();
        let found_links = links_found(t);
        assert_eq!(found_links, links, "{}", x.id);
        // Capital costs as the fixed cost, in pounds.
        let capital: i64 = x
            .costs
            .iter()
            .map(|c| match c {
                tranche::model::Cost::Capital { amount, .. } => amount.pence(),
                _ => 0,
            })
            .sum();
        let expected = if capital == 0 {
            Value::Null
        } else {
            Value::from(capital as f64 / 100.0)
        };
        assert_eq!(t["fixed_cost"], expected, "{}", x.id);
    }

    for (i, m) in p.milestones.iter().enumerate() {
        let t = tasks[m.id.as_str()];
        let timing = &analysis.schedule.milestones[i];
        assert_eq!(t["milestone"], true, "{}", m.id);
        assert_eq!(t["duration_days"], 0.0);
        let at = if analysis
            .schedule
            .at_day_start(ItemId::Milestone(tranche::model::MilestoneId(i as u32)))
        {
            start(timing.finish)
        } else {
            finish(timing.finish)
        };
        assert_eq!(t["start"], at, "{}", m.id);
        assert_eq!(t["finish"], at, "{}", m.id);
        let parent = m
            .programme
            .map(|g| p.programmes[g.0 as usize].id.to_string());
        assert_eq!(t["parent"].as_str().map(String::from), parent, "{}", m.id);
        let mut links: Vec<(String, &str, f64)> = Vec::new();
        match (m.timing, m.project) {
            (MilestoneTiming::AtFinish, Some(x)) => {
                links.push((p.projects[x.0 as usize].id.to_string(), "FS", 0.0))
            }
            (MilestoneTiming::AtStart, Some(x)) => {
                links.push((p.projects[x.0 as usize].id.to_string(), "SS", 0.0))
            }
            (MilestoneTiming::On(date), _) => {
                assert_eq!(t["constraint"], "MUST_FINISH_ON");
                assert_eq!(t["constraint_date"], finish(date));
            }
            _ => {}
        }
        links.extend(m.dependencies.iter().map(|d| link_of(p, d)));
        let found_links = links_found(t);
        assert_eq!(found_links, links, "{}", m.id);
        assert_eq!(
            t["deadline"],
            Value::from(m.deadline.map(|d| finish(d.date)))
        );
        assert_eq!(
            t["baseline_finish"],
            Value::from(m.baseline().map(|b| finish(b.finish)))
        );
    }

    // Every calendar's closures, by name, within the plan's years.
    for calendar in found["calendars"].as_array().expect("calendars") {
        let id = calendar["name"].as_str().expect("a name");
        let Some(c) = p.calendars.iter().position(|c| c.id == id) else {
            panic!("calendar `{id}` is not the plan's");
        };
        let work = &analysis.calendars[c];
        for e in calendar["exceptions"].as_array().expect("exceptions") {
            let from: NaiveDate = e["from"].as_str().expect("from").parse().expect("a date");
            let to: NaiveDate = e["to"].as_str().expect("to").parse().expect("a date");
            for day in from.iter_days().take_while(|d| *d <= to) {
                assert_eq!(
                    work.why_closed(day),
                    e["name"].as_str(),
                    "calendar `{id}` on {day}"
                );
            }
        }
    }
    Some(found)
}

/// A plan whose dependencies name programmes: every kind, from outside and from inside,
/// nested programmes, a milestone declared in a project inside one (tied to it, and linked),
/// an empty programme, a
/// link the expansion meets again, and work on another calendar over Christmas.
const PROGRAMME_LINKS: &str = r#"portfolio "Programme links" {
  start 2020-12-07
  end 2022-12-31
}

project pre "Before" {
  duration 8 days
}

programme outer "Outer" {
  project a "A" {
    duration 3 days
  }
  programme inner "Inner" {
    project b "B" {
      duration 4 days
      calendar weekdays
      after pre
      milestone b-done "B done" at finish
      milestone b-check "B checked" {
        after b + 1 day
      }
    }
    project c "C" {
      duration 2 days
      after start of a + 2 days
    }
  }
  project d "D" {
    duration 2 days
    after start of inner
  }
}

programme empty "Empty" {
}

project s "S" {
  duration 2 days
  after start of outer
}

project f "F" {
  duration 2 days
  finishes after start of outer + 1 day
}

project e "E" {
  duration 3 days
  after outer
}

project g "G" {
  duration 2 days
  finishes after inner - 1 day
}

project h "H" {
  duration 1 day
  after start of b + 2 days
  after start of inner
}

project k "K" {
  duration 1 day
  after start of empty
}
"#;

/// The plan in `text`, through the library's pipeline.
fn load_text(text: &str) -> (Portfolio, tranche::analysis::Analysis) {
    let plan = crate::common::analysed_text(text);
    (plan.portfolio, plan.analysis)
}

/// Each task's links as (predecessor's tranche id, MSPDI type, lag in days), by tranche id.
fn links_in(xml: &str) -> BTreeMap<String, Vec<(String, String, i64)>> {
    let doc = roxmltree::Document::parse(xml).expect("the export is XML");
    let child_text = |n: roxmltree::Node, name: &str| -> Option<String> {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    let tasks: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "Task")
        .collect();
    let id_of = |task: roxmltree::Node| -> Option<String> {
        task.children()
            .filter(|c| c.tag_name().name() == "ExtendedAttribute")
            .find(|a| child_text(*a, "FieldID").as_deref() == Some("188743731"))
            .and_then(|a| child_text(a, "Value"))
    };
    let by_uid: BTreeMap<String, String> = tasks
        .iter()
        .filter_map(|t| Some((child_text(*t, "UID")?, id_of(*t)?)))
        .collect();
    tasks
        .iter()
        .filter_map(|t| {
            let links = t
                .children()
                .filter(|c| c.tag_name().name() == "PredecessorLink")
                .map(|l| {
                    let uid = child_text(l, "PredecessorUID").expect("a predecessor");
                    let lag: i64 = child_text(l, "LinkLag")
                        .expect("a lag")
                        .parse()
                        .expect("a number");
                    (
                        by_uid[&uid].clone(),
                        child_text(l, "Type").expect("a type"),
                        lag / 4800,
                    )
                })
                .collect();
            Some((id_of(*t)?, links))
        })
        .collect()
}

#[test]
fn start_dependencies_on_a_programme_are_links_from_each_piece_of_its_work() {
    let (portfolio, analysis) = load_text(PROGRAMME_LINKS);
    let xml = tranche::export::export(&portfolio, &analysis, Format::Mspdi);
    let links = links_in(&xml);
    let l = |pairs: &[(&str, &str, i64)]| -> Vec<(String, String, i64)> {
        pairs
            .iter()
            .map(|(p, t, lag)| (p.to_string(), t.to_string(), *lag))
            .collect()
    };
    // The same link, of type `kind` with `lag`, from each of `work`.
    let from_each = |work: &[&str], kind: &str, lag: i64| -> Vec<(String, String, i64)> {
        work.iter()
            .map(|p| (p.to_string(), kind.to_string(), lag))
            .collect()
    };
    // The pieces of work of the outer programme and of the inner one, in outline order.
    let (outer, inner) = (["a", "b", "b-check", "c", "d"], ["b", "b-check", "c"]);
    // SS (3) and SF (2): one link from each piece of work, at any depth, in outline order,
    // the milestone declared in b and linked to it among them; the one tied to b (`b-done`,
    // at its finish) is a label of b, which stands for it, and has none.
    assert_eq!(links["s"], from_each(&outer, "3", 0));
    assert_eq!(links["f"], from_each(&outer, "2", 1));
    // From inside the outer programme to the nested one.
    assert_eq!(links["d"], from_each(&inner, "3", 0));
    // FS (1) and FF (0): the summary's finish is the latest finish, as tranche means.
    assert_eq!(links["e"], l(&[("outer", "1", 0)]));
    assert_eq!(links["g"], l(&[("inner", "0", -1)]));
    // MS Project holds one link between two tasks: b's keeps the larger lag.
    assert_eq!(
        links["h"],
        l(&[("b", "3", 2), ("b-check", "3", 0), ("c", "3", 0)])
    );
    // An empty programme constrains nothing.
    assert_eq!(links["k"], l(&[]));
}

#[test]
fn start_dependencies_on_a_programme_come_back_from_an_import() {
    let (portfolio, analysis) = load_text(PROGRAMME_LINKS);
    let xml = tranche::export::export(&portfolio, &analysis, Format::Mspdi);
    let imported = tranche::import::mspdi(tranche::diagnostic::FileId(0), &xml, "`links.xml`");
    let text = imported.text.expect("a plan");
    for line in [
        "after start of outer",
        "finishes after start of outer + 1 day",
        "after start of inner",
        "after outer",
        "finishes after inner - 1 day",
    ] {
        assert!(text.contains(line), "`{line}` is not in\n{text}");
    }
    // h's links no longer cover the programme with one lag, so they stay links to its work.
    assert!(text.contains("after start of b + 2 days"), "{text}");
    let (again, analysis_again) = load_text(&text);
    assert_eq!(
        tranche::export::export(&again, &analysis_again, Format::Mspdi),
        xml,
        "export, import, export"
    );
}

/// What MPXJ's MicrosoftScheduler makes of `xml` (tests/interop/mspdi_reschedule.py), or
/// `None` (printed) when MPXJ is not installed.
fn rescheduled_by_mpxj(xml: &str) -> Option<Value> {
    with_mpxj("mspdi_reschedule.py", xml, "reschedule")
}

#[test]
fn microsoft_project_rescheduling_keeps_tranches_dates_for_programme_links() {
    // Defect 8: with one SS or SF link from the summary, MS Project's scheduler started s and
    // f at the programme's first start. MPXJ's MicrosoftScheduler is its implementation of
    // Microsoft Project's scheduling.
    let (portfolio, analysis) = load_text(PROGRAMME_LINKS);
    let xml = tranche::export::export(&portfolio, &analysis, Format::Mspdi);
    let Some(found) = rescheduled_by_mpxj(&xml) else {
        return;
    };
    let mut differences = Vec::new();
    let mut compare = |id: &str, field: &str, ours: String| {
        let theirs = found[id][field].as_str().unwrap_or("missing").to_string();
        if theirs != ours {
            differences.push(format!("{id} {field}: tranche {ours}, MS Project {theirs}"));
        }
    };
    for (i, x) in portfolio.projects.iter().enumerate() {
        let t = &analysis.schedule.projects[i];
        compare(&x.id, "start", start(t.start));
        compare(&x.id, "finish", finish(t.finish));
    }
    for (i, m) in portfolio.milestones.iter().enumerate() {
        let t = &analysis.schedule.milestones[i];
        let item = ItemId::Milestone(tranche::model::MilestoneId(i as u32));
        let at = if analysis.schedule.at_day_start(item) {
            start(t.finish)
        } else {
            finish(t.finish)
        };
        compare(&m.id, "start", at.clone());
        compare(&m.id, "finish", at);
    }
    assert!(differences.is_empty(), "{differences:#?}");
}
