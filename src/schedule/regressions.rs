//! One named test per schedule defect found by the differential checks of issue 15, each on the
//! plan that showed it and the numbers docs/scheduling.md gives for it.

use serde_json::Value;

use crate::source::check_text;

/// The schedule JSON of a plan (`tranche schedule --format json`), which must check without
/// errors other than missed deadlines.
fn schedule(plan: &str) -> Value {
    let checked = check_text(plan);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code != crate::diagnostic::Code::E070DeadlineMissed)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let (Some(portfolio), Some(analysis)) = (&checked.portfolio, &checked.analysis) else {
        panic!("the plan did not schedule: {:?}", checked.diagnostics);
    };
    let json = crate::report::schedule_json(portfolio, &analysis.schedule, false);
    serde_json::from_str(&json).expect("the schedule JSON parses")
}

/// The JSON of item `id`.
fn item<'a>(schedule: &'a Value, id: &str) -> &'a Value {
    schedule["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("no item `{id}` in {schedule:#}"))
}

fn text<'a>(schedule: &'a Value, id: &str, field: &str) -> &'a str {
    item(schedule, id)[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{id}`.{field} is not text"))
}

fn number(schedule: &Value, id: &str, field: &str) -> i64 {
    item(schedule, id)[field]
        .as_i64()
        .unwrap_or_else(|| panic!("`{id}`.{field} is not a number"))
}

fn floats(schedule: &Value, id: &str) -> (i64, i64) {
    (
        number(schedule, id, "total_float_days"),
        number(schedule, id, "free_float_days"),
    )
}

fn critical_path(schedule: &Value) -> Vec<&str> {
    schedule["critical_path"]
        .as_array()
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Defect 1: a dependency on a programme holding a project with a tied milestone gave late
/// dates of 1900-01-01 and a float of -30,646 days, depending on the order of the items.
#[test]
fn defect_1_a_programme_with_a_tied_milestone_keeps_its_late_dates() {
    for (tie, order) in [
        ("at finish", 0),
        ("at start", 0),
        ("at finish", 1),
        ("at start", 1),
    ] {
        let inner = if order == 0 {
            format!(
                "project a \"A\" {{ duration 5 days  milestone live \"L\" {tie} }}\n  project z \"Z\" {{ duration 1 days }}"
            )
        } else {
            format!(
                "project z \"Z\" {{ duration 1 days }}\n  project a \"A\" {{ duration 5 days  milestone live \"L\" {tie} }}"
            )
        };
        let plan = format!(
            "portfolio \"X\" {{ start 2021-03-01  end 2022-03-31 }}\n\
             programme pg \"PG\" {{\n  {inner}\n}}\n\
             project b \"B\" {{ duration 2 days  after pg }}\n"
        );
        let s = schedule(&plan);
        for id in ["a", "pg", "b"] {
            assert_eq!(floats(&s, id), (0, 0), "{id} with `{tie}`, order {order}");
        }
        assert_eq!(text(&s, "a", "late_finish"), "2021-03-05", "{tie}");
        assert_eq!(text(&s, "pg", "late_start"), "2021-03-01", "{tie}");
        assert_eq!(floats(&s, "z"), (4, 4), "{tie}");
        assert_eq!(number(&s, "live", "total_float_days"), 0, "{tie}");
        assert_eq!(critical_path(&s).last(), Some(&"b"));
    }
}

/// Defect 1, second form: the milestone that sets the finish ends the critical path.
#[test]
fn defect_1_the_milestone_after_a_programme_ends_the_critical_path() {
    let s = schedule(
        "portfolio \"X\" { start 2021-03-01  end 2022-03-31 }\n\
         programme p \"P\" {\n  project b \"B\" { duration 5 days  milestone m \"M\" at finish }\n}\n\
         milestone done \"Done\" { after p }\n",
    );
    // `done` waits for all of `p`'s work: `b`, which its label `m` stands for. `m` and `done`
    // happen at the same moment, and the label does not end the path.
    assert_eq!(critical_path(&s), ["b", "done"]);
    assert_eq!(floats(&s, "b"), (0, 0));
    assert_eq!(floats(&s, "m"), (0, 0));
    assert_eq!(floats(&s, "done"), (0, 0));
}

/// Defect 2: a milestone on another calendar was dated before the work it follows, and work
/// after it started while that work was still going on. The milestone moves forward to the next
/// working day of its own calendar.
#[test]
fn defect_2_a_milestone_is_never_before_the_work_that_drives_it() {
    let s = schedule(
        "portfolio \"X\" { start 2020-12-14  end 2021-12-31 }\n\
         project build \"Build\" { duration 10 days  calendar weekdays }\n\
         milestone done \"Done\" { after build }\n\
         project next \"Next\" { duration 2 days  calendar weekdays  after done }\n\
         project direct \"Direct\" { duration 2 days  calendar weekdays  after build }\n",
    );
    assert_eq!(text(&s, "build", "finish"), "2020-12-25");
    // 26 December is a Saturday and 28 December its substitute bank holiday.
    assert_eq!(text(&s, "done", "finish"), "2020-12-29");
    assert_eq!(text(&s, "next", "start"), "2020-12-29");
    assert_eq!(text(&s, "direct", "start"), "2020-12-28");
    assert_eq!(text(&s, "next", "finish"), "2020-12-30");
    assert_eq!(floats(&s, "next"), (0, 0));
    assert_eq!(floats(&s, "done"), (0, 0));
    // `build` can finish on Monday 28 December (a weekday for it) and `done` still be at the
    // start of the 29th.
    assert_eq!(floats(&s, "build"), (1, 0));
}

/// Defect 3: retained logic kept the FS lag of unfinished predecessors only; a finished
/// predecessor's lag must hold the remaining work too.
#[test]
fn defect_3_retained_logic_keeps_a_finished_predecessors_lag() {
    let s = schedule(
        "portfolio \"X\" { start 2025-03-03  end 2026-03-31  status-date 2025-04-15 }\n\
         project a \"A\" { duration 20 days  actual-start 2025-03-10  actual-finish 2025-04-14 }\n\
         project b \"B\" { duration 8 days  after a + 1 week  actual-start 2025-04-11 }\n\
         project c \"C\" { duration 8 days  after a + 1 week }\n",
    );
    assert_eq!(text(&s, "c", "start"), "2025-04-24");
    assert_eq!(text(&s, "b", "start"), "2025-04-11");
    assert_eq!(text(&s, "b", "finish"), "2025-05-06");
    assert_eq!(text(&s, "c", "finish"), "2025-05-06");
}

/// Defect 4: a milestone at a project's finish gave the project a free float of 0. Adding a
/// label changes no number.
#[test]
fn defect_4_a_tied_milestone_changes_no_free_float() {
    let plain = schedule(
        "portfolio \"X\" { start 2021-12-14  end 2022-12-31 }\n\
         project a \"A\" { duration 2 days }\n\
         project b \"B\" { duration 1 days }\n",
    );
    let labelled = schedule(
        "portfolio \"X\" { start 2021-12-14  end 2022-12-31 }\n\
         project a \"A\" { duration 2 days }\n\
         project b \"B\" { duration 1 days  milestone live \"L\" at finish }\n",
    );
    assert_eq!(floats(&plain, "b"), (1, 1));
    assert_eq!(floats(&labelled, "b"), (1, 1));
    assert_eq!(floats(&labelled, "live"), (1, 1));
}

/// Defect 4 with successors: a project's free float counts what follows its tied milestones.
#[test]
fn defect_4_a_project_is_held_by_what_follows_its_milestone() {
    let s = schedule(
        "portfolio \"X\" { start 2021-03-01  end 2022-12-31 }\n\
         project a \"A\" { duration 10 days }\n\
         project b \"B\" { duration 2 days  milestone m \"M\" at finish }\n\
         project c \"C\" { duration 3 days  after m }\n",
    );
    // b finishes on 2 March, c runs 3-5 March right after b's milestone, and a sets the
    // finish on the 12th: c can slip 5 days, and so can b, but not without moving c.
    assert_eq!(floats(&s, "c"), (5, 5));
    assert_eq!(floats(&s, "b"), (5, 0));
    assert_eq!(floats(&s, "m"), (5, 0));
}

/// Defect 5: a programme's free float was negative when its work missed a deadline.
#[test]
fn defect_5_a_programmes_free_float_is_never_negative() {
    let s = schedule(
        "portfolio \"X\" { start 2022-01-04  end 2022-12-31 }\n\
         programme pg \"PG\" {\n  project a \"A\" { duration 10 days  deadline 2022-01-12 }\n}\n",
    );
    assert_eq!(floats(&s, "a"), (-3, 0));
    assert_eq!(floats(&s, "pg"), (-3, 0));
}

/// Defect 6: the late finish of work in progress was clamped to its actual start.
#[test]
fn defect_6_work_in_progress_shows_the_late_finish_its_float_implies() {
    let s = schedule(
        "portfolio \"X\" { start 2021-01-04  end 2021-12-31  status-date 2021-02-01 }\n\
         project a \"A\" { duration 20 days  actual-start 2021-01-11  complete 50%  deadline 2021-01-06 }\n",
    );
    assert_eq!(number(&s, "a", "total_float_days"), -27);
    assert_eq!(text(&s, "a", "late_finish"), "2021-01-06");
    assert_eq!(text(&s, "a", "late_start"), "2021-01-11");
}

/// Defect 7: free float into work in progress ignored a finish held by another link.
#[test]
fn defect_7_free_float_into_work_in_progress_sees_its_held_finish() {
    let plan = |progress: &str| {
        format!(
            "portfolio \"X\" {{ start 2025-01-06  end 2025-12-31  status-date 2025-02-03 }}\n\
             project prep \"Prep\" {{ duration 5 days }}\n\
             project long \"Long\" {{ duration 40 days }}\n\
             project b \"B\" {{ duration 20 days  {progress} after prep  finishes after long }}\n"
        )
    };
    // Work not started waits for the status date (Monday 3 February): prep runs 3-7 February
    // and long to 28 March. Started, b resumes its 10 remaining days after prep (10 February)
    // but long holds its finish at 28 March, so prep can finish as late as 14 March: 25 days.
    let started = schedule(&plan("actual-start 2025-01-13  complete 50%"));
    assert_eq!(text(&started, "b", "finish"), "2025-03-28");
    assert_eq!(number(&started, "prep", "free_float_days"), 25);
    // Not started, b itself starts on 3 March (20 days before long ends), 15 days after prep.
    let waiting = schedule(&plan(""));
    assert_eq!(text(&waiting, "b", "start"), "2025-03-03");
    assert_eq!(number(&waiting, "prep", "free_float_days"), 15);
}

/// Found by the reference scheduler (tests/schedule_reference.rs): an empty programme on a
/// working day had a duration of 1 day; docs/scheduling.md says it has none.
#[test]
fn reference_1_an_empty_programme_has_no_duration() {
    let s = schedule(
        "portfolio \"X\" { start 2021-08-02  end 2022-08-01 }\n\
         programme g \"G\" { }\n",
    );
    assert_eq!(number(&s, "g", "duration_days"), 0);
    assert_eq!(text(&s, "g", "start"), "2021-08-02");
    assert_eq!(text(&s, "g", "finish"), "2021-08-02");
}

/// Found by the metamorphic label test: finished work whose actual dates hold no working day
/// (a Saturday start, a Sunday finish) puts a label `at start` on the next working day, after
/// the work's finish. A label is not work of its own, so it moves neither the plan's finish
/// nor anything else.
#[test]
fn reference_2_a_label_on_finished_weekend_work_moves_no_finish() {
    let plan = |label: &str| {
        schedule(&format!(
            "portfolio \"X\" {{ start 2021-05-04  end 2024-05-03  status-date 2021-07-03 }}\n\
             project p1 \"P1\" {{\n  duration 11 days\n  actual-start 2021-06-19\n  \
             actual-finish 2021-06-20\n  milestone m2 \"M2\" at finish\n{label}}}\n"
        ))
    };
    let without = plan("");
    let with = plan("  milestone label \"Label\" at start\n");
    assert_eq!(without["finish"], "2021-06-20");
    assert_eq!(with["finish"], without["finish"]);
    assert_eq!(text(&with, "p1", "finish"), text(&without, "p1", "finish"));
}
