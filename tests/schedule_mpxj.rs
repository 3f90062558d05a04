//! Cross-check with MPXJ's PrimaveraScheduler (issue 3): networks built here are scheduled by
//! tranche and, through tests/mpxj/crosscheck.py, by MPXJ, and the early and late dates and
//! floats compared exactly. Runs when python3, Java and the PyPI packages `mpxj` and `jpype1`
//! are present (.ci/run installs them); otherwise it prints why it skipped.

use crate::schedule_support;

use std::process::Command;

use schedule_support::*;
use serde_json::{Value, json};
use tranche::calendar;
use tranche::model::{CalendarId, ItemId, LinkKind, MilestoneTiming};
use tranche::report;

fn kind_code(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::FinishToStart => "FS",
        LinkKind::StartToStart => "SS",
        LinkKind::FinishToFinish => "FF",
        LinkKind::StartToFinish => "SF",
    }
}

/// The network as crosscheck.py reads it, with tranche's schedule JSON.
fn network_json(name: &str, plan: &Plan) -> Value {
    let run = plan.run();
    let p = &run.portfolio;
    let holidays: Vec<String> = (2019..=2023)
        .flat_map(calendar::england_and_wales_bank_holidays)
        .map(|(d, _)| d.to_string())
        .collect();
    let name_of = |item: ItemId| tranche::graph::name_of(p, item).to_string();
    let links = |deps: &[tranche::model::Dependency]| -> Vec<Value> {
        deps.iter()
            .map(|d| json!({"pred": name_of(d.predecessor), "kind": kind_code(d.kind), "lag": d.lag_days}))
            .collect()
    };
    let mut items: Vec<Value> = p
        .projects
        .iter()
        .map(|x| {
            let progress = x.progress();
            let days = i64::from(x.duration.likely_days);
            // tranche's rule: D x (1 - complete), rounded up; none left when finished.
            let remaining = if progress.actual_finish.is_some() {
                0
            } else {
                let complete = progress.complete.map_or(0, |c| c.0);
                (days * (10_000 - complete) + 9_999) / 10_000
            };
            let calendar = if x.calendar == CalendarId::WEEKDAYS { "weekdays" } else { "england-and-wales" };
            json!({"id": x.id, "kind": "project", "days": days, "calendar": calendar,
                   "deadline": x.deadline.map(|d| d.date.to_string()), "links": links(&x.dependencies),
                   "actual_start": progress.actual_start.map(|d| d.date.to_string()),
                   "actual_finish": progress.actual_finish.map(|d| d.date.to_string()),
                   "remaining": remaining,
                   "complete": progress.complete.map_or(0.0, |c| c.0 as f64 / 100.0)})
        })
        .collect();
    let calendar_name = |c: CalendarId| {
        if c == CalendarId::WEEKDAYS {
            "weekdays"
        } else {
            "england-and-wales"
        }
    };
    items.extend(p.milestones.iter().enumerate().map(|(i, m)| {
        let at_day_start = run
            .schedule
            .at_day_start(ItemId::Milestone(tranche::model::MilestoneId(i as u32)));
        // A milestone is on its project's calendar, or the portfolio's.
        let calendar = m
            .project
            .map_or(p.calendar, |x| p.projects[x.0 as usize].calendar);
        json!({"id": m.id, "kind": "milestone", "days": 0, "at_day_start": at_day_start,
               "calendar": calendar_name(calendar),
               "deadline": m.deadline.map(|d| d.date.to_string()), "links": links(&m.dependencies)})
    }));
    // Each programme's work, at any depth, for the script to expand a dependency on it.
    let mut programmes = serde_json::Map::new();
    for (g, programme) in p.programmes.iter().enumerate() {
        let inside = |mut at: Option<tranche::model::ProgrammeId>| {
            while let Some(h) = at {
                if h.0 as usize == g {
                    return true;
                }
                at = p.programmes[h.0 as usize].parent;
            }
            false
        };
        let work: Vec<Value> =
            p.projects
                .iter()
                .filter(|x| inside(x.programme))
                .map(|x| Value::from(x.id.to_string()))
                .chain(
                    p.milestones
                        .iter()
                        .filter(|m| {
                            inside(m.programme.or_else(|| {
                                m.project.and_then(|x| p.projects[x.0 as usize].programme)
                            }))
                        })
                        .map(|m| Value::from(m.id.to_string())),
                )
                .collect();
        programmes.insert(programme.id.to_string(), Value::from(work));
    }
    let schedule: Value = serde_json::from_str(&report::schedule_json(p, &run.schedule, false))
        .expect("tranche's JSON parses");
    json!({"name": name, "start": p.start.to_string(), "calendar": calendar_name(p.calendar),
           "programmes": programmes,
           "status_date": p.status_date.map(|d| d.to_string()),
           "holidays": holidays, "items": items, "tranche": schedule})
}

/// A small deterministic random number generator (xorshift), so the networks are the same on
/// every run without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn networks() -> Vec<(String, Plan)> {
    let mut out = Vec::new();

    let mut plan = Plan::new("2021-03-29");
    let a = plan.project("a", 5);
    let b = plan.project("b", 3);
    let c = plan.project("c", 1);
    plan.fs(b, a);
    plan.link(c, b, LinkKind::FinishToStart, 2);
    out.push(("easter-fs-lag".to_string(), plan));

    let mut plan = Plan::new("2020-12-21");
    let a = plan.project("a", 10);
    let b = plan.project("b", 2);
    let c = plan.project("c", 3);
    let d4 = plan.project("d", 1);
    plan.link(b, a, LinkKind::StartToStart, 4);
    plan.link(c, a, LinkKind::FinishToFinish, -2);
    plan.link(d4, a, LinkKind::StartToFinish, 3);
    out.push(("christmas-ss-ff-sf".to_string(), plan));

    let mut plan = Plan::new("2021-01-04");
    let a = plan.project("a", 2);
    let m = plan.milestone("m", MilestoneTiming::Free, None);
    let b = plan.project("b", 4);
    let start = plan.milestone("start", MilestoneTiming::Free, None);
    plan.fs(m, a);
    plan.fs(b, m);
    let _ = start;
    out.push(("milestones".to_string(), plan));

    let mut plan = Plan::new("2021-03-01");
    let a = plan.project("a", 10);
    let b = plan.project("b", 5);
    plan.project("c", 3);
    plan.fs(b, a);
    plan.project_mut(b).deadline = Some(dated("2021-03-17"));
    out.push(("deadline".to_string(), plan));

    // Progress: the textbook case (finished, in progress, not started, out of sequence).
    let mut plan = Plan::new("2021-03-01");
    plan.portfolio.status_date = Some(d("2021-03-10"));
    let f = plan.project("f", 5);
    let g = plan.project("g", 10);
    let h = plan.project("h", 2);
    plan.project("i", 3);
    let k = plan.project("k", 4);
    plan.fs(g, f);
    plan.fs(h, g);
    plan.fs(k, h);
    plan.project_mut(f).details_mut().progress.actual_start = Some(dated("2021-03-01"));
    plan.project_mut(f).details_mut().progress.actual_finish = Some(dated("2021-03-04"));
    plan.project_mut(g).details_mut().progress.actual_start = Some(dated("2021-03-05"));
    plan.project_mut(g).details_mut().progress.complete = Some(tranche::money::Percent(4500));
    plan.project_mut(k).details_mut().progress.actual_start = Some(dated("2021-03-08"));
    plan.project_mut(k).details_mut().progress.complete = Some(tranche::money::Percent(5000));
    out.push(("progress".to_string(), plan));

    // Progress with SS and FF links into work in progress, over Easter 2021.
    let mut plan = Plan::new("2021-03-22");
    plan.portfolio.status_date = Some(d("2021-03-31"));
    let a = plan.project("a", 8);
    let b = plan.project("b", 6);
    let c = plan.project("c", 4);
    let m = plan.milestone("m", MilestoneTiming::Free, None);
    plan.link(b, a, LinkKind::StartToStart, 2);
    plan.link(c, b, LinkKind::FinishToFinish, 1);
    plan.fs(m, c);
    plan.project_mut(a).details_mut().progress.actual_start = Some(dated("2021-03-22"));
    plan.project_mut(a).details_mut().progress.complete = Some(tranche::money::Percent(7000));
    plan.project_mut(b).details_mut().progress.actual_start = Some(dated("2021-03-24"));
    plan.project_mut(b).details_mut().progress.complete = Some(tranche::money::Percent(2500));
    out.push(("progress-ss-ff".to_string(), plan));

    // A link between calendars: weekdays work over Christmas feeding england-and-wales work.
    let mut plan = Plan::new("2020-12-21");
    let p = plan.project("p", 5);
    let q = plan.project("q", 3);
    plan.project_mut(p).calendar = CalendarId::WEEKDAYS;
    plan.fs(q, p);
    out.push(("calendars".to_string(), plan));

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for n in 0..40 {
        let start = d("2020-01-06") + chrono::Days::new(rng.below(700));
        out.push((
            format!("random-{n:02}"),
            random_plan(&mut rng, start, false),
        ));
    }
    // Half the projects on the weekdays calendar, around Christmas 2020 and Easter 2021.
    for n in 0..20 {
        let around = if n % 2 == 0 {
            "2020-12-07"
        } else {
            "2021-03-15"
        };
        let start = d(around) + chrono::Days::new(rng.below(25));
        out.push((
            format!("calendars-{n:02}"),
            random_plan(&mut rng, start, true),
        ));
    }
    // Dependencies on programmes (nested; from outside them and from inside an enclosing
    // one), with the portfolio on one calendar and about half the projects on the other.
    for n in 0..30 {
        let around = ["2020-12-07", "2021-03-15", "2020-04-20"][n % 3];
        let start = d(around) + chrono::Days::new(rng.below(25));
        out.push((
            format!("programmes-{n:02}"),
            random_programme_plan(&mut rng, start),
        ));
    }
    out
}

/// A random network of 6 to 15 items with two nested programmes (`outer` holds `inner` and
/// more work after it) and sometimes a third, `other`, after them; each item may depend on a
/// programme whose work all comes before it and that does not hold it (so from inside
/// `outer` on `inner`), with any kind and lag, besides up to two links to earlier items. The
/// portfolio's calendar is `england-and-wales` or `weekdays`, each project on either.
fn random_programme_plan(rng: &mut Rng, start: chrono::NaiveDate) -> Plan {
    let mut plan = Plan::new(&start.to_string());
    if rng.below(2) == 0 {
        plan.portfolio.calendar = CalendarId::WEEKDAYS;
    }
    let size = 6 + rng.below(10) as usize;
    let kinds = [
        LinkKind::FinishToStart,
        LinkKind::StartToStart,
        LinkKind::FinishToFinish,
        LinkKind::StartToFinish,
    ];
    let ids: Vec<ItemId> = (0..size)
        .map(|i| {
            if rng.below(5) == 0 {
                plan.milestone(&format!("m{i}"), MilestoneTiming::Free, None)
            } else {
                let p = plan.project(&format!("p{i}"), 1 + rng.below(8) as u32);
                if rng.below(2) == 0 {
                    plan.project_mut(p).calendar = CalendarId::WEEKDAYS;
                }
                p
            }
        })
        .collect();
    // outer = [a, b), inner = [a, j) with a < j < b; other = [b, c) when there is room.
    let a = rng.below(3) as usize;
    let b = (a + 3 + rng.below(4) as usize).min(size - 1);
    let j = a + 1 + rng.below((b - a - 1) as u64) as usize;
    let inner = plan.programme("inner", &ids[a..j]);
    let mut outer_children = vec![inner];
    outer_children.extend_from_slice(&ids[j..b]);
    let outer = plan.programme("outer", &outer_children);
    plan.portfolio.roots.push(outer);
    let mut programmes = vec![(inner, a, j), (outer, a, b)];
    let c = b + 2 + rng.below(3) as usize;
    if c < size {
        let other = plan.programme("other", &ids[b..c]);
        plan.portfolio.roots.push(other);
        programmes.push((other, b, c));
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in 1..size {
        for _ in 0..rng.below(3) {
            let p = rng.below(s as u64) as usize;
            let kind = kinds[rng.below(4) as usize];
            let lag = rng.below(8) as i32 - 3;
            if seen.insert((s, p)) {
                plan.link(ids[s], ids[p], kind, lag);
            }
        }
        // A programme all of whose work is before s, so it does not hold s (outer holds s
        // when s is in [j, b), and s may then depend on inner).
        let targets: Vec<ItemId> = programmes
            .iter()
            .filter(|(_, _, to)| *to <= s)
            .map(|(g, _, _)| *g)
            .collect();
        if !targets.is_empty() && rng.below(3) != 0 {
            let g = targets[rng.below(targets.len() as u64) as usize];
            let kind = kinds[rng.below(4) as usize];
            let lag = rng.below(8) as i32 - 3;
            plan.link(ids[s], g, kind, lag);
        }
    }
    plan
}

/// A random network: up to 13 items, a fifth of them milestones, up to 2 links into each,
/// every kind, lags from -3 to 4; with `mixed_calendars`, half the projects on `weekdays`.
fn random_plan(rng: &mut Rng, start: chrono::NaiveDate, mixed_calendars: bool) -> Plan {
    let mut plan = Plan::new(&start.to_string());
    let size = 2 + rng.below(12) as usize;
    let ids: Vec<ItemId> = (0..size)
        .map(|i| {
            if rng.below(5) == 0 {
                plan.milestone(&format!("m{i}"), MilestoneTiming::Free, None)
            } else {
                let p = plan.project(&format!("p{i}"), 1 + rng.below(8) as u32);
                if mixed_calendars && rng.below(2) == 0 {
                    plan.project_mut(p).calendar = CalendarId::WEEKDAYS;
                }
                p
            }
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for s in 1..size {
        for _ in 0..rng.below(3) {
            let p = rng.below(s as u64) as usize;
            let k = rng.below(4);
            let kind = [
                LinkKind::FinishToStart,
                LinkKind::StartToStart,
                LinkKind::FinishToFinish,
                LinkKind::StartToFinish,
            ][k as usize];
            let lag = rng.below(8) as i32 - 3;
            if seen.insert((s, p)) {
                plan.link(ids[s], ids[p], kind, lag);
            }
        }
    }
    plan
}

#[test]
fn tranche_and_mpxj_primavera_scheduler_agree() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    // TRANCHE_MPXJ_DIR keeps the networks for running crosscheck.py by hand.
    let dir = std::env::var_os("TRANCHE_MPXJ_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("the networks' directory");
    for (name, plan) in networks() {
        let text = serde_json::to_string_pretty(&network_json(&name, &plan)).expect("json");
        std::fs::write(dir.join(format!("{name}.json")), text).expect("write network");
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mpxj/crosscheck.py");
    let output = match Command::new("python3").arg(script).arg(&dir).output() {
        Ok(o) => o,
        Err(e) => {
            println!("skipped: cannot run python3 ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => println!("{stdout}"),
        Some(2) => println!("skipped: MPXJ is not available here\n{stdout}{stderr}"),
        _ => panic!("tranche and MPXJ disagree:\n{stdout}\n{stderr}"),
    }
}
