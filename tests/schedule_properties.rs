//! Properties of the schedule on random networks (issue 3): every link is honoured by the
//! early dates and by the late dates; total float is never negative without deadlines; free
//! float never exceeds total float; the critical path runs from the start to the finish with
//! zero float; the same plan gives the same bytes. The networks are written as plan text and
//! read through the library's pipeline, as a user's plan is.

use crate::common::{self, Analysed};

use proptest::prelude::*;
use tranche::calendar::WorkCalendar;
use tranche::model::{ItemId, LinkKind};
use tranche::report;
use tranche::schedule::Timing;

#[derive(Debug, Clone)]
struct Shape {
    start_offset: u32,
    /// Each item: `None` a milestone, `Some(days)` a project.
    items: Vec<Option<u32>>,
    /// (successor, predecessor, kind, lag) with predecessor < successor.
    links: Vec<(usize, usize, u8, i32)>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (0u32..700, 1usize..14)
        .prop_flat_map(|(start_offset, n)| {
            let items = proptest::collection::vec(
                prop_oneof![1 => Just(None), 4 => (1u32..9).prop_map(Some)],
                n,
            );
            let links = proptest::collection::vec(
                (1usize..n.max(2), 0usize..n, 0u8..4, -3i32..5),
                0..n * 2,
            );
            (Just(start_offset), items, links)
        })
        .prop_map(|(start_offset, items, links)| {
            let n = items.len();
            let links = links
                .into_iter()
                .filter(|(s, p, ..)| *s < n && p < s)
                .collect();
            Shape {
                start_offset,
                items,
                links,
            }
        })
}

/// The plan text of `shape`; `deadlines[i]`, when given, is the deadline of the `i`th
/// project, that many calendar days after the portfolio's start.
fn text(shape: &Shape, deadlines: &[Option<u64>]) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date")
        + chrono::Days::new(u64::from(shape.start_offset));
    let name = |i: usize| match shape.items[i] {
        Some(_) => format!("p{i}"),
        None => format!("m{i}"),
    };
    let mut deps: Vec<Vec<String>> = vec![Vec::new(); shape.items.len()];
    let mut seen = std::collections::BTreeSet::new();
    for &(s, p, k, lag) in &shape.links {
        // One dependency per pair and kind, as the validator insists.
        if seen.insert((s, p, k)) {
            deps[s].push(common::after(common::KINDS[usize::from(k)], &name(p), lag));
        }
    }
    let mut out =
        format!("portfolio \"Test portfolio\" {{\n  start {start}\n  end 2040-12-31\n}}\n");
    let mut project = 0;
    for (i, item) in shape.items.iter().enumerate() {
        let mut lines: Vec<String> = Vec::new();
        if let Some(days) = item {
            lines.push(format!("duration {}", common::days(days)));
            if let Some(Some(after)) = deadlines.get(project) {
                lines.push(format!("deadline {}", start + chrono::Days::new(*after)));
            }
            project += 1;
        }
        lines.extend(deps[i].iter().cloned());
        let kind = if item.is_some() {
            "project"
        } else {
            "milestone"
        };
        out.push_str(&format!("\n{kind} {} {{\n", name(i)));
        for line in lines {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str("}\n");
    }
    out
}

fn build(shape: &Shape) -> Analysed {
    common::analysed_text(&text(shape, &[]))
}

/// (es, ef) and (ls, lf) as working-day indices, back from the reported dates.
fn indices(
    c: &WorkCalendar,
    t: &Timing,
    milestone: bool,
    at_day_start: bool,
) -> ((i64, i64), (i64, i64)) {
    let idx = |date| i64::from(c.index_on_or_after(date));
    if milestone {
        // A milestone is an instant: the start of its day, or the end of it; its late date is
        // shown on the same side of its day as its early date (docs/scheduling.md).
        let side = i64::from(!at_day_start);
        let b = idx(t.early_finish) + side;
        let l = idx(t.late_finish) + side;
        ((b, b), (l, l))
    } else {
        let d = i64::from(t.duration_days);
        let es = idx(t.early_start);
        let ls = idx(t.late_start);
        ((es, es + d), (ls, ls + d))
    }
}

fn honoured(kind: LinkKind, lag: i64, pred: (i64, i64), succ: (i64, i64)) -> bool {
    match kind {
        LinkKind::FinishToStart => succ.0 >= pred.1 + lag,
        LinkKind::StartToStart => succ.0 >= pred.0 + lag,
        LinkKind::FinishToFinish => succ.1 >= pred.1 + lag,
        LinkKind::StartToFinish => succ.1 >= pred.0 + lag,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn schedules_honour_every_link_and_float_rules(shape in shape()) {
        let run = build(&shape);
        let c = &run.analysis.calendars[0];
        prop_assert!(run.diagnostics.is_empty(), "{:?}", run.diagnostics);
        let timing = |item: ItemId| {
            let t = run.analysis.schedule.timing(item).expect("every item has a timing");
            (t, indices(c, t, matches!(item, ItemId::Milestone(_)), run.analysis.schedule.at_day_start(item)))
        };
        for item in (0..run.portfolio.projects.len())
            .map(|i| ItemId::Project(tranche::model::ProjectId(i as u32)))
            .chain((0..run.portfolio.milestones.len()).map(|i| ItemId::Milestone(tranche::model::MilestoneId(i as u32))))
        {
            let (_, ((es, ef), (ls, lf))) = timing(item);
            prop_assert!(ls >= es && lf >= ef, "{item:?}");
        }
        // Every item with its links, projects then milestones.
        let linked = run.portfolio.projects.iter().enumerate()
            .map(|(i, p)| (ItemId::Project(tranche::model::ProjectId(i as u32)), &p.dependencies))
            .chain(run.portfolio.milestones.iter().enumerate()
                .map(|(i, m)| (ItemId::Milestone(tranche::model::MilestoneId(i as u32)), &m.dependencies)));
        for (me, dependencies) in linked {
            for dep in dependencies.iter() {
                let (_, (pe, pl)) = timing(dep.predecessor);
                let (_, (se, sl)) = timing(me);
                let lag = i64::from(dep.lag_days);
                prop_assert!(honoured(dep.kind, lag, pe, se), "early {:?} {:?} {:?}", dep.kind, pe, se);
                prop_assert!(honoured(dep.kind, lag, pl, sl), "late {:?} {:?} {:?}", dep.kind, pl, sl);
            }
        }
        for t in run.analysis.schedule.projects.iter().chain(&run.analysis.schedule.milestones) {
            prop_assert!(t.total_float_days >= 0, "{t:?}");
            prop_assert!(t.free_float_days >= 0, "{t:?}");
            prop_assert!(t.free_float_days <= t.total_float_days, "{t:?}");
            prop_assert!(t.finish <= run.analysis.schedule.finish);
        }

        // The critical path: from the plan's first working day to the finish, each step a
        // dependency, every item with zero float.
        let path = &run.analysis.schedule.critical_path;
        prop_assert!(!path.is_empty());
        let p0 = i64::from(c.index_on_or_after(run.portfolio.start));
        let (first, ((fs, _), _)) = timing(path[0]);
        prop_assert_eq!(fs, p0, "{:?}", first);
        let (last, _) = timing(*path.last().expect("non-empty"));
        prop_assert_eq!(last.finish, run.analysis.schedule.finish);
        for item in path {
            prop_assert_eq!(timing(*item).0.total_float_days, 0);
            prop_assert!(timing(*item).0.critical);
        }
        for pair in path.windows(2) {
            let deps = match pair[1] {
                ItemId::Project(p) => &run.portfolio.projects[p.0 as usize].dependencies,
                ItemId::Milestone(m) => &run.portfolio.milestones[m.0 as usize].dependencies,
                ItemId::Programme(_) => unreachable!(),
            };
            prop_assert!(deps.iter().any(|d| d.predecessor == pair[0]));
        }

        // Same plan, same bytes.
        let again = build(&shape);
        let json = |r: &Analysed| report::schedule_json(&r.portfolio, &r.analysis.schedule, false);
        prop_assert_eq!(json(&run), json(&again));
        let csv = |r: &Analysed| report::schedule_csv(&r.portfolio, &r.analysis.schedule, false);
        prop_assert_eq!(csv(&run), csv(&again));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Deadlines bound late dates only: the early dates are those of the same plan without
    /// them; late dates still honour every link; free float is never negative and never above
    /// a positive total float; a diagnostic names each missed deadline.
    #[test]
    fn deadlines_never_move_early_dates(shape in shape(), deadlines in proptest::collection::vec(proptest::option::of(0u64..40), 14)) {
        let free = build(&shape);
        let n_deadlines = deadlines.iter().take(shape.items.iter().flatten().count()).flatten().count();
        let run = common::analysed_text(&text(&shape, &deadlines));
        for (a, b) in free.analysis.schedule.projects.iter().zip(&run.analysis.schedule.projects) {
            prop_assert_eq!((a.early_start, a.early_finish), (b.early_start, b.early_finish));
        }
        for (a, b) in free.analysis.schedule.milestones.iter().zip(&run.analysis.schedule.milestones) {
            prop_assert_eq!((a.early_start, a.early_finish), (b.early_start, b.early_finish));
        }
        let c = &run.analysis.calendars[0];
        let timing = |item: ItemId| {
            let t = run.analysis.schedule.timing(item).expect("every item has a timing");
            indices(c, t, matches!(item, ItemId::Milestone(_)), run.analysis.schedule.at_day_start(item))
        };
        for (i, project) in run.portfolio.projects.iter().enumerate() {
            let me = ItemId::Project(tranche::model::ProjectId(i as u32));
            for dep in &project.dependencies {
                let (_, pl) = timing(dep.predecessor);
                let (_, sl) = timing(me);
                prop_assert!(honoured(dep.kind, i64::from(dep.lag_days), pl, sl));
            }
        }
        for t in run.analysis.schedule.projects.iter().chain(&run.analysis.schedule.milestones) {
            prop_assert!(t.free_float_days >= 0);
            prop_assert!(t.free_float_days <= t.total_float_days.max(0));
        }
        let missed = run
            .portfolio
            .projects
            .iter()
            .zip(&run.analysis.schedule.projects)
            .filter(|(p, t)| p.deadline.is_some_and(|d| t.finish > d.date))
            .count();
        prop_assert!(missed <= n_deadlines);
        prop_assert_eq!(run.diagnostics.len(), missed);
    }
}
