//! The reference's numbers as `tranche schedule --format json` shows them (docs/json.md), and
//! the comparison with the engine's JSON, item by item, with a message that names the plan
//! and every field that differs.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use serde_json::{Value, json};
use tranche::calendar::WorkCalendar;
use tranche::diagnostic::Code;
use tranche::diagnostic::SourceMap;
use tranche::finance::Detail;
use tranche::model::{CalendarId, Portfolio};
use tranche::source::{MemoryFs, check_files, load};

use super::reference::{Cal, Node, Reference, State};

/// A plan checked and scheduled, or why not (errors other than E070 missed deadline).
pub struct Run {
    pub portfolio: Portfolio,
    pub json: Value,
}

/// The engine's calendars, built once per distinct calendar: `WorkCalendar::build` covers
/// 1900 to 2200 and takes most of a small plan's time in a debug build, which would cap the
/// differential test at a few hundred cases. Keyed by the calendar as the reference resolves
/// it (weekend, bank holidays, closures), which is all a `WorkCalendar` depends on.
pub fn calendars(p: &Portfolio) -> Vec<WorkCalendar> {
    static CACHE: OnceLock<Mutex<HashMap<String, WorkCalendar>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    (0..p.calendars.len())
        .map(|i| {
            let id = CalendarId(i as u32);
            let key = format!("{:?}", Cal::of(&p.calendars, id));
            cache
                .entry(key)
                .or_insert_with(|| WorkCalendar::build(&p.calendars, id))
                .clone()
        })
        .collect()
}

/// [`run`] without the parts of `check_files` that do not touch the schedule (money, lints),
/// and with calendars from the cache: the same validation, network and scheduler, faster.
pub fn run_fast(fs: &MemoryFs, root: &str) -> Result<Run, String> {
    let mut sources = SourceMap::new();
    let (plan, mut diagnostics) =
        load(Path::new(root), fs, &mut sources).map_err(|d| d.message.to_string())?;
    let (portfolio, more) = tranche::model::validate(plan);
    diagnostics.extend(more);
    let schedule = portfolio.as_ref().and_then(|p| {
        let network = match tranche::graph::build(p) {
            Ok(n) => n,
            Err(more) => {
                diagnostics.extend(more);
                return None;
            }
        };
        let (schedule, more) = tranche::schedule::compute(p, &network, &calendars(p));
        diagnostics.extend(more);
        Some(schedule)
    });
    refuse_errors(&diagnostics)?;
    let (Some(portfolio), Some(schedule)) = (portfolio, schedule) else {
        return Err("no schedule".to_string());
    };
    let text = tranche::report::schedule_json(&portfolio, &schedule, false);
    let json = serde_json::from_str(&text).expect("the schedule JSON parses");
    Ok(Run { portfolio, json })
}

/// `Err` with the errors among `diagnostics`, but for a missed deadline (E070, a verdict on a
/// plan that schedules).
fn refuse_errors(diagnostics: &[tranche::diagnostic::Diagnostic]) -> Result<(), String> {
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code != Code::E070DeadlineMissed)
        .map(|d| format!("{:?}: {}", d.code, d.message))
        .collect();
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    Ok(())
}

/// Checks the plan rooted at `root` in `fs`; `Err` with the errors when it has any but E070.
pub fn run(fs: &MemoryFs, root: &str) -> Result<Run, String> {
    let checked = check_files(fs, Path::new(root), Detail::ChecksOnly);
    refuse_errors(&checked.diagnostics)?;
    let (Some(portfolio), Some(analysis)) = (checked.portfolio, checked.analysis) else {
        return Err("no schedule".to_string());
    };
    let text = tranche::report::schedule_json(&portfolio, &analysis.schedule, false);
    let json = serde_json::from_str(&text).expect("the schedule JSON parses");
    Ok(Run { portfolio, json })
}

fn date(d: NaiveDate) -> Value {
    Value::String(d.to_string())
}

/// RAG from slippage: "slip >= the portfolio's red threshold is red, >= amber is amber, else
/// green".
fn rag(p: &Portfolio, slip: i64) -> &'static str {
    if slip >= i64::from(p.rag.red_days) {
        "red"
    } else if slip >= i64::from(p.rag.amber_days) {
        "amber"
    } else {
        "green"
    }
}

/// Basis points as docs/json.md's exact number.
fn percent(bp: i64) -> Value {
    if bp % 100 == 0 {
        json!(bp / 100)
    } else {
        json!(bp as f64 / 100.0)
    }
}

/// Every item's fields as the reference computes them, by id.
pub fn expected(r: &Reference) -> BTreeMap<String, BTreeMap<&'static str, Value>> {
    let p = r.net.p;
    let mut out = BTreeMap::new();
    let mut node_fields: BTreeMap<Node, BTreeMap<&'static str, Value>> = BTreeMap::new();
    // Dates as docs/json.md shows them, and the raw values programmes are made of.
    let mut shown: BTreeMap<Node, [NaiveDate; 6]> = BTreeMap::new();
    for &n in &r.net.nodes {
        let d = r.dates[&n];
        let c = r.net.cal(n);
        let finished = d.state == State::Finished;
        let (es, ef, ls, lf) = match n {
            Node::M(_) => {
                // "A milestone's late date is shown on the same side of its day as its early
                // date."
                let e = r.finish_date(n);
                let l = if d.sod { d.lf } else { c.before(d.lf) };
                (e, e, l, l)
            }
            Node::P(_) => {
                let lf = if d.lf > d.ls || matches!(d.state, State::InProgress { .. }) {
                    c.before(d.lf)
                } else {
                    d.ls
                };
                (d.es, r.finish_date(n), d.ls, lf)
            }
        };
        let (mut start, mut finish) = (es, ef);
        let (id, baseline, complete) = match n {
            Node::P(i) => {
                let project = &p.projects[i];
                let progress = project.progress();
                if let Some(a) = progress.actual_start {
                    start = a.date;
                }
                if let Some(a) = progress.actual_finish {
                    finish = a.date;
                }
                let complete = if progress.actual_finish.is_some() {
                    10_000
                } else {
                    progress.complete.map_or(0, |c| c.0)
                };
                (project.id.to_string(), project.baseline(), complete)
            }
            Node::M(i) => {
                let m = &p.milestones[i];
                if let Some(a) = m.actual() {
                    start = a.date;
                    finish = a.date;
                }
                (
                    m.id.to_string(),
                    m.baseline(),
                    if finished { 10_000 } else { 0 },
                )
            }
        };
        // "slip_days = working days (on the item's calendar) from the baseline finish to the
        // forecast finish".
        let slip = baseline.map(|b| c.between(c.on_or_before(b.finish), c.on_or_before(finish)));
        let mut f = BTreeMap::new();
        f.insert(
            "kind",
            json!(if matches!(n, Node::P(_)) {
                "project"
            } else {
                "milestone"
            }),
        );
        f.insert("start", date(start));
        f.insert("finish", date(finish));
        f.insert("early_start", date(es));
        f.insert("early_finish", date(ef));
        f.insert("late_start", date(ls));
        f.insert("late_finish", date(lf));
        f.insert("duration_days", json!(c.between(d.es, d.ef).max(0)));
        f.insert("total_float_days", json!(d.total_float));
        f.insert("free_float_days", json!(d.free_float));
        f.insert("critical", json!(!finished && d.total_float <= 0));
        f.insert(
            "baseline_start",
            baseline.map_or(Value::Null, |b| date(b.start)),
        );
        f.insert(
            "baseline_finish",
            baseline.map_or(Value::Null, |b| date(b.finish)),
        );
        f.insert("slip_days", slip.map_or(Value::Null, |s| json!(s)));
        f.insert("rag", slip.map_or(Value::Null, |s| json!(rag(p, s))));
        f.insert("complete", percent(complete));
        shown.insert(n, [start, finish, es, ef, ls, lf]);
        node_fields.insert(n, f.clone());
        out.insert(id, f);
    }
    // docs/scheduling.md "Programmes": "start = earliest start, finish = latest finish (and
    // likewise for early and late dates); duration in working days on the portfolio's
    // calendar; total and free float = the least of its unfinished work's (free float then at
    // most a positive total float, and never negative); critical when any of its work is. An
    // empty programme sits at the portfolio start with no duration."
    let pc = &r.net.cals[p.calendar.0 as usize];
    for (g, programme) in p.programmes.iter().enumerate() {
        let work = r.net.targets(tranche::model::ItemId::Programme(
            tranche::model::ProgrammeId(g as u32),
        ));
        let min = |k: usize| work.iter().map(|n| shown[n][k]).min().unwrap_or(p.start);
        let max = |k: usize| work.iter().map(|n| shown[n][k]).max().unwrap_or(p.start);
        let open: Vec<&Node> = work
            .iter()
            .filter(|n| r.dates[n].state != State::Finished)
            .collect();
        let tf = open
            .iter()
            .map(|n| r.dates[n].total_float)
            .min()
            .unwrap_or(0);
        let ff = open
            .iter()
            .map(|n| r.dates[n].free_float)
            .min()
            .unwrap_or(0);
        let (start, finish) = (min(0), max(1));
        // Working days from start to finish, both counted.
        let duration = if work.is_empty() {
            0
        } else {
            let mut n = 0;
            let mut d = start;
            while d <= finish {
                n += i64::from(pc.is_working(d));
                d = d.succ_opt().expect("a date");
            }
            n
        };
        let mut f = BTreeMap::new();
        f.insert("kind", json!("programme"));
        f.insert("start", date(start));
        f.insert("finish", date(finish));
        f.insert("early_start", date(min(2)));
        f.insert("early_finish", date(max(3)));
        f.insert("late_start", date(min(4)));
        f.insert("late_finish", date(max(5)));
        f.insert("duration_days", json!(duration));
        f.insert("total_float_days", json!(tf));
        f.insert("free_float_days", json!(ff.max(0).min(tf.max(0))));
        f.insert(
            "critical",
            json!(
                work.iter()
                    .any(|n| node_fields[n]["critical"] == json!(true))
            ),
        );
        f.insert("baseline_start", Value::Null);
        f.insert("baseline_finish", Value::Null);
        f.insert("slip_days", Value::Null);
        f.insert("rag", Value::Null);
        f.insert("complete", Value::Null);
        out.insert(programme.id.to_string(), f);
    }
    out
}

/// The id of node `n`.
pub fn id_of(r: &Reference, n: Node) -> String {
    match n {
        Node::P(i) => r.net.p.projects[i].id.to_string(),
        Node::M(i) => r.net.p.milestones[i].id.to_string(),
    }
}

/// Whether the engine's critical path follows docs/scheduling.md's rule, as the reference
/// sees the plan: it ends at an unfinished item that finishes last (among equals a critical
/// one, then one that is not a label, then one at the end of a chain of equal finishes, so no
/// other such item follows it);
/// each step back is a link that set the item's early date (a link wins a tie with a
/// constraint; among links that tie, any); it stops where something else set the date, or
/// the driving link comes from finished work. `Err` says why not.
pub fn check_critical_path(r: &Reference, path: &[String]) -> Result<(), String> {
    let open: Vec<Node> = r
        .net
        .nodes
        .iter()
        .copied()
        .filter(|n| r.dates[n].state != State::Finished)
        .collect();
    if open.is_empty() {
        return if path.is_empty() {
            Ok(())
        } else {
            Err("a critical path with no unfinished work".into())
        };
    }
    let by_id: BTreeMap<String, Node> = r.net.nodes.iter().map(|&n| (id_of(r, n), n)).collect();
    let Some(nodes) = path
        .iter()
        .map(|id| by_id.get(id).copied())
        .collect::<Option<Vec<Node>>>()
    else {
        return Err(format!("unknown ids in the critical path {path:?}"));
    };
    let Some(&last) = nodes.last() else {
        return Err("no critical path".into());
    };
    let instant = |n: &Node| {
        let d = r.dates[n];
        let sod = matches!(n, Node::M(_)) && d.sod;
        (r.finish_date(*n), !sod)
    };
    let latest = open.iter().map(instant).max().expect("open work");
    let mut ends: Vec<Node> = open
        .iter()
        .copied()
        .filter(|n| instant(n) == latest)
        .collect();
    if ends.iter().any(|n| r.dates[n].total_float <= 0) {
        ends.retain(|n| r.dates[n].total_float <= 0);
    }
    // "then one that is not a label (a tied milestone)".
    if ends.iter().any(|&n| r.net.tie(n).is_none()) {
        ends.retain(|&n| r.net.tie(n).is_none());
    }
    // At the end of a chain: no other candidate is reachable from it.
    let reach = |from: Node, to: Node| {
        let mut seen = vec![from];
        let mut i = 0;
        while i < seen.len() {
            let x = seen[i];
            i += 1;
            for l in r.net.links.iter().filter(|l| l.pred == x) {
                if !seen.contains(&l.succ) {
                    seen.push(l.succ);
                }
            }
            for m in r.net.tied_to(x) {
                if !seen.contains(&m) {
                    seen.push(m);
                }
            }
        }
        from != to && seen.contains(&to)
    };
    let sinks: Vec<Node> = ends
        .iter()
        .copied()
        .filter(|&e| !ends.iter().any(|&o| reach(e, o)))
        .collect();
    if !sinks.contains(&last) {
        return Err(format!(
            "the path ends at `{}`, not at one of {:?}",
            id_of(r, last),
            sinks.iter().map(|&n| id_of(r, n)).collect::<Vec<_>>()
        ));
    }
    // Each step back: a driving link (a tie counts as the link it is, SS or FF from the
    // project).
    for w in (1..nodes.len()).rev() {
        let (pred, succ) = (nodes[w - 1], nodes[w]);
        if !driving(r, succ).contains(&pred) {
            return Err(format!(
                "`{}` does not drive `{}` (its drivers: {:?})",
                id_of(r, pred),
                id_of(r, succ),
                driving(r, succ)
                    .iter()
                    .map(|&n| id_of(r, n))
                    .collect::<Vec<_>>()
            ));
        }
    }
    let first = nodes[0];
    let drivers = driving(r, first);
    let may_stop =
        drivers.is_empty() || drivers.iter().any(|d| r.dates[d].state == State::Finished);
    if !may_stop {
        return Err(format!(
            "the path stops at `{}`, which is driven by {:?}",
            id_of(r, first),
            drivers.iter().map(|&n| id_of(r, n)).collect::<Vec<_>>()
        ));
    }
    Ok(())
}

/// The items whose links set `n`'s early date; a tied milestone is set by its project.
fn driving(r: &Reference, n: Node) -> Vec<Node> {
    if let Some((project, _)) = r.net.tie(n) {
        if r.net.p.milestones[match n {
            Node::M(i) => i,
            Node::P(_) => unreachable!(),
        }]
        .actual()
        .is_none()
        {
            return vec![project];
        }
    }
    r.drivers[&n].iter().map(|&l| r.net.links[l].pred).collect()
}

/// Differences between the engine's JSON and the reference, as readable lines.
pub fn differences(run: &Run) -> Vec<String> {
    let r = Reference::compute(&run.portfolio);
    let want = expected(&r);
    let mut out = Vec::new();
    let items = run.json["items"].as_array().cloned().unwrap_or_default();
    let got: BTreeMap<String, &Value> = items
        .iter()
        .map(|i| (i["id"].as_str().unwrap_or("").to_string(), i))
        .collect();
    for (id, fields) in &want {
        let Some(item) = got.get(id) else {
            out.push(format!("`{id}` missing from the engine's JSON"));
            continue;
        };
        for (field, value) in fields {
            if &item[*field] != value {
                out.push(format!(
                    "`{id}`.{field}: engine {} reference {}",
                    item[*field], value
                ));
            }
        }
    }
    if got.len() != want.len() {
        out.push(format!(
            "{} items in the JSON, {} in the reference",
            got.len(),
            want.len()
        ));
    }
    // "The latest forecast finish of any work", labels not being work of their own.
    let finish = r
        .net
        .nodes
        .iter()
        .filter(|n| r.net.tie(**n).is_none())
        .map(|n| {
            want[&id_of(&r, *n)]["finish"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .max()
        .unwrap_or_else(|| run.portfolio.start.to_string());
    if run.json["finish"] != json!(finish) {
        out.push(format!(
            "finish: engine {} reference {finish}",
            run.json["finish"]
        ));
    }
    let path: Vec<String> = run.json["critical_path"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if let Err(why) = check_critical_path(&r, &path) {
        out.push(format!("critical path {path:?}: {why}"));
    }
    out
}
