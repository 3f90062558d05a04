//! Cross-check with MPXJ's PrimaveraScheduler (issue 3): networks written here as plan text are
//! scheduled by tranche (through the library's pipeline) and, through tests/mpxj/crosscheck.py,
//! by MPXJ, and the early and late dates and floats compared exactly. Runs when python3, Java and the PyPI packages `mpxj` and `jpype1`
//! are present (.ci/run installs them); otherwise it prints why it skipped.

use crate::common::{self, Analysed, KINDS, Rng, after};

use std::process::Command;

use serde_json::{Value, json};
use tranche::calendar;
use tranche::model::{CalendarId, ItemId, LinkKind};
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
fn network_json(name: &str, text: &str) -> Value {
    let run: Analysed = common::analysed_text(text);
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
            .analysis
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
    let schedule: Value =
        serde_json::from_str(&report::schedule_json(p, &run.analysis.schedule, false))
            .expect("tranche's JSON parses");
    json!({"name": name, "start": p.start.to_string(), "calendar": calendar_name(p.calendar),
           "programmes": programmes,
           "status_date": p.status_date.map(|d| d.to_string()),
           "holidays": holidays, "items": items, "tranche": schedule})
}

/// A portfolio block: its start, and more lines inside it (a status date, a calendar).
fn portfolio(start: &str, more: &str) -> String {
    format!("portfolio \"Test portfolio\" {{\n  start {start}\n  end 2040-12-31\n{more}}}\n")
}

fn networks() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |name: &str, text: String| out.push((name.to_string(), text));

    add(
        "easter-fs-lag",
        portfolio("2021-03-29", "")
            + "project a {\n  duration 5 days\n}\n\
               project b {\n  duration 3 days\n  after a\n}\n\
               project c {\n  duration 1 day\n  after b + 2 days\n}\n",
    );
    add(
        "christmas-ss-ff-sf",
        portfolio("2020-12-21", "")
            + "project a {\n  duration 10 days\n}\n\
               project b {\n  duration 2 days\n  after start of a + 4 days\n}\n\
               project c {\n  duration 3 days\n  finishes after a - 2 days\n}\n\
               project d {\n  duration 1 day\n  finishes after start of a + 3 days\n}\n",
    );
    add(
        "milestones",
        portfolio("2021-01-04", "")
            + "project a {\n  duration 2 days\n}\n\
               milestone m {\n  after a\n}\n\
               project b {\n  duration 4 days\n  after m\n}\n\
               milestone start\n",
    );
    add(
        "deadline",
        portfolio("2021-03-01", "")
            + "project a {\n  duration 10 days\n}\n\
               project b {\n  duration 5 days\n  after a\n  deadline 2021-03-17\n}\n\
               project c {\n  duration 3 days\n}\n",
    );
    // Progress: the textbook case (finished, in progress, not started, out of sequence).
    add(
        "progress",
        portfolio("2021-03-01", "  status-date 2021-03-10\n")
            + "project f {\n  duration 5 days\n  actual-start 2021-03-01\n  actual-finish 2021-03-04\n}\n\
               project g {\n  duration 10 days\n  after f\n  actual-start 2021-03-05\n  complete 45%\n}\n\
               project h {\n  duration 2 days\n  after g\n}\n\
               project i {\n  duration 3 days\n}\n\
               project k {\n  duration 4 days\n  after h\n  actual-start 2021-03-08\n  complete 50%\n}\n",
    );
    // Progress with SS and FF links into work in progress, over Easter 2021.
    add(
        "progress-ss-ff",
        portfolio("2021-03-22", "  status-date 2021-03-31\n")
            + "project a {\n  duration 8 days\n  actual-start 2021-03-22\n  complete 70%\n}\n\
               project b {\n  duration 6 days\n  after start of a + 2 days\n  actual-start 2021-03-24\n  complete 25%\n}\n\
               project c {\n  duration 4 days\n  finishes after b + 1 day\n}\n\
               milestone m {\n  after c\n}\n",
    );
    // A link between calendars: weekdays work over Christmas feeding england-and-wales work.
    add(
        "calendars",
        portfolio("2020-12-21", "")
            + "project p {\n  duration 5 days\n  calendar weekdays\n}\n\
               project q {\n  duration 3 days\n  after p\n}\n",
    );

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let day = |text: &str, days: u64| {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
            + chrono::Days::new(days)
    };
    for n in 0..40 {
        let start = day("2020-01-06", rng.below(700));
        add(
            &format!("random-{n:02}"),
            random_plan(&mut rng, start, false),
        );
    }
    // Half the projects on the weekdays calendar, around Christmas 2020 and Easter 2021.
    for n in 0..20 {
        let around = if n % 2 == 0 {
            "2020-12-07"
        } else {
            "2021-03-15"
        };
        let start = day(around, rng.below(25));
        add(
            &format!("calendars-{n:02}"),
            random_plan(&mut rng, start, true),
        );
    }
    // Dependencies on programmes (nested; from outside them and from inside an enclosing
    // one), with the portfolio on one calendar and about half the projects on the other.
    for n in 0..30 {
        let around = ["2020-12-07", "2021-03-15", "2020-04-20"][n % 3];
        let start = day(around, rng.below(25));
        add(
            &format!("programmes-{n:02}"),
            random_programme_plan(&mut rng, start),
        );
    }
    out
}

/// One item of a random network: a project of `days` (on the weekdays calendar when
/// `weekdays`) or, without days, a milestone; and its dependency lines.
struct Item {
    name: String,
    days: Option<u32>,
    weekdays: bool,
    deps: Vec<String>,
}

impl Item {
    fn text(&self, indent: &str) -> String {
        let mut lines = Vec::new();
        if let Some(days) = self.days {
            lines.push(format!("duration {}", common::days(days)));
        }
        if self.weekdays {
            lines.push("calendar weekdays".to_string());
        }
        lines.extend(self.deps.iter().cloned());
        let kind = if self.days.is_some() {
            "project"
        } else {
            "milestone"
        };
        let mut out = format!("{indent}{kind} {} {{\n", self.name);
        for line in lines {
            out.push_str(&format!("{indent}  {line}\n"));
        }
        out.push_str(&format!("{indent}}}\n"));
        out
    }
}

/// `size` random items: a fifth milestones, the rest projects of 1 to 8 days, each on the
/// weekdays calendar when `weekdays` says so (it draws only for projects).
fn random_items(
    rng: &mut Rng,
    size: usize,
    weekdays: &mut dyn FnMut(&mut Rng) -> bool,
) -> Vec<Item> {
    (0..size)
        .map(|i| {
            if rng.below(5) == 0 {
                Item {
                    name: format!("m{i}"),
                    days: None,
                    weekdays: false,
                    deps: Vec::new(),
                }
            } else {
                let days = 1 + rng.below(8) as u32;
                Item {
                    name: format!("p{i}"),
                    days: Some(days),
                    weekdays: weekdays(rng),
                    deps: Vec::new(),
                }
            }
        })
        .collect()
}

/// Up to two links into each item from earlier ones, any kind, lags from -3 to 4.
fn random_links(
    rng: &mut Rng,
    items: &mut [Item],
    s: usize,
    seen: &mut std::collections::BTreeSet<(usize, usize)>,
) {
    for _ in 0..rng.below(3) {
        let p = rng.below(s as u64) as usize;
        let kind = KINDS[rng.below(4) as usize];
        let lag = rng.below(8) as i32 - 3;
        if seen.insert((s, p)) {
            let on = items[p].name.clone();
            items[s].deps.push(after(kind, &on, lag));
        }
    }
}

/// A random network of 6 to 15 items with two nested programmes (`outer` holds `inner` and
/// more work after it) and sometimes a third, `other`, after them; each item may depend on a
/// programme whose work all comes before it and that does not hold it (so from inside
/// `outer` on `inner`), with any kind and lag, besides up to two links to earlier items. The
/// portfolio's calendar is `england-and-wales` or `weekdays`, each project on either.
fn random_programme_plan(rng: &mut Rng, start: chrono::NaiveDate) -> String {
    let calendar = if rng.below(2) == 0 {
        "  calendar weekdays\n"
    } else {
        ""
    };
    let size = 6 + rng.below(10) as usize;
    let mut items = random_items(rng, size, &mut |rng| rng.below(2) == 0);
    // outer = [a, b), inner = [a, j) with a < j < b; other = [b, c) when there is room.
    let a = rng.below(3) as usize;
    let b = (a + 3 + rng.below(4) as usize).min(size - 1);
    let j = a + 1 + rng.below((b - a - 1) as u64) as usize;
    let mut programmes = vec![("inner", a, j), ("outer", a, b)];
    let c = b + 2 + rng.below(3) as usize;
    if c < size {
        programmes.push(("other", b, c));
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in 1..size {
        random_links(rng, &mut items, s, &mut seen);
        // A programme all of whose work is before s, so it does not hold s (outer holds s
        // when s is in [j, b), and s may then depend on inner).
        let targets: Vec<&str> = programmes
            .iter()
            .filter(|(_, _, to)| *to <= s)
            .map(|(g, _, _)| *g)
            .collect();
        if !targets.is_empty() && rng.below(3) != 0 {
            let g = targets[rng.below(targets.len() as u64) as usize];
            let kind = KINDS[rng.below(4) as usize];
            let lag = rng.below(8) as i32 - 3;
            items[s].deps.push(after(kind, g, lag));
        }
    }
    // The programmes hold runs of items in order: outer opens with inner at `a`, inner
    // closes at `j`, outer at `b`, where other opens, to close at `c`.
    let mut text = portfolio(&start.to_string(), calendar);
    let other = programmes.get(2).map(|&(_, from, to)| (from, to));
    for (i, item) in items.iter().enumerate() {
        if i == a {
            text.push_str("programme outer {\n  programme inner {\n");
        }
        if i == j {
            text.push_str("  }\n");
        }
        if i == b {
            text.push_str("}\n");
        }
        if other.is_some_and(|(from, _)| i == from) {
            text.push_str("programme other {\n");
        }
        if other.is_some_and(|(_, to)| i == to) {
            text.push_str("}\n");
        }
        let depth = usize::from(i >= a && i < b)
            + usize::from(i >= a && i < j)
            + usize::from(other.is_some_and(|(from, to)| i >= from && i < to));
        text.push_str(&item.text(&"  ".repeat(depth)));
    }
    // b < size always; other closes at the end when c == size.
    if other.is_some_and(|(_, to)| to == size) {
        text.push_str("}\n");
    }
    text
}

/// A random network: up to 13 items, a fifth of them milestones, up to 2 links into each,
/// every kind, lags from -3 to 4; with `mixed_calendars`, half the projects on `weekdays`.
fn random_plan(rng: &mut Rng, start: chrono::NaiveDate, mixed_calendars: bool) -> String {
    let size = 2 + rng.below(12) as usize;
    let mut items = random_items(rng, size, &mut |rng| mixed_calendars && rng.below(2) == 0);
    let mut seen = std::collections::BTreeSet::new();
    for s in 1..size {
        random_links(rng, &mut items, s, &mut seen);
    }
    let mut text = portfolio(&start.to_string(), "");
    for item in &items {
        text.push_str(&item.text(""));
    }
    text
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
