//! Properties of the schedule on random networks (issue 3): every link is honoured by the
//! early dates and by the late dates; total float is never negative without deadlines; free
//! float never exceeds total float; the critical path runs from the start to the finish with
//! zero float; the same plan gives the same bytes.

use crate::schedule_support;

use proptest::prelude::*;
use schedule_support::*;
use tranche::calendar::{self, WorkCalendar};
use tranche::model::{ItemId, LinkKind, MilestoneTiming};
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

fn kind(k: u8) -> LinkKind {
    match k {
        0 => LinkKind::FinishToStart,
        1 => LinkKind::StartToStart,
        2 => LinkKind::FinishToFinish,
        _ => LinkKind::StartToFinish,
    }
}

fn build(shape: &Shape) -> Plan {
    let start = d("2020-01-01") + chrono::Days::new(u64::from(shape.start_offset));
    let mut plan = Plan::new(&start.to_string());
    let ids: Vec<ItemId> = shape
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Some(days) => plan.project(&format!("p{i}"), *days),
            None => plan.milestone(&format!("m{i}"), MilestoneTiming::Free, None),
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for &(s, p, k, lag) in &shape.links {
        // One dependency per pair and kind, as the validator insists.
        if seen.insert((s, p, k)) {
            plan.link(ids[s], ids[p], kind(k), lag);
        }
    }
    plan
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
        let plan = build(&shape);
        let run = plan.run();
        let calendars = calendar::build_all(&run.portfolio.calendars);
        let c = &calendars[0];
        prop_assert!(run.diagnostics.is_empty());
        let timing = |item: ItemId| {
            let t = run.schedule.timing(item).expect("every item has a timing");
            (t, indices(c, t, matches!(item, ItemId::Milestone(_)), run.schedule.at_day_start(item)))
        };
        for item in (0..run.portfolio.projects.len())
            .map(|i| ItemId::Project(tranche::model::ProjectId(i as u32)))
            .chain((0..run.portfolio.milestones.len()).map(|i| ItemId::Milestone(tranche::model::MilestoneId(i as u32))))
        {
            let (_, ((es, ef), (ls, lf))) = timing(item);
            prop_assert!(ls >= es && lf >= ef, "{item:?}");
        }
        for (i, project) in run.portfolio.projects.iter().enumerate() {
            let me = ItemId::Project(tranche::model::ProjectId(i as u32));
            for dep in &project.dependencies {
                let (_, (pe, pl)) = timing(dep.predecessor);
                let (_, (se, sl)) = timing(me);
                let lag = i64::from(dep.lag_days);
                prop_assert!(honoured(dep.kind, lag, pe, se), "early {:?} {:?} {:?}", dep.kind, pe, se);
                prop_assert!(honoured(dep.kind, lag, pl, sl), "late {:?} {:?} {:?}", dep.kind, pl, sl);
            }
        }
        for (i, milestone) in run.portfolio.milestones.iter().enumerate() {
            let me = ItemId::Milestone(tranche::model::MilestoneId(i as u32));
            for dep in &milestone.dependencies {
                let (_, (pe, pl)) = timing(dep.predecessor);
                let (_, (se, sl)) = timing(me);
                let lag = i64::from(dep.lag_days);
                prop_assert!(honoured(dep.kind, lag, pe, se), "early {:?} {:?} {:?}", dep.kind, pe, se);
                prop_assert!(honoured(dep.kind, lag, pl, sl), "late {:?} {:?} {:?}", dep.kind, pl, sl);
            }
        }
        for t in run.schedule.projects.iter().chain(&run.schedule.milestones) {
            prop_assert!(t.total_float_days >= 0, "{t:?}");
            prop_assert!(t.free_float_days >= 0, "{t:?}");
            prop_assert!(t.free_float_days <= t.total_float_days, "{t:?}");
            prop_assert!(t.finish <= run.schedule.finish);
        }

        // The critical path: from the plan's first working day to the finish, each step a
        // dependency, every item with zero float.
        let path = &run.schedule.critical_path;
        prop_assert!(!path.is_empty());
        let p0 = i64::from(c.index_on_or_after(run.portfolio.start));
        let (first, ((fs, _), _)) = timing(path[0]);
        prop_assert_eq!(fs, p0, "{:?}", first);
        let (last, _) = timing(*path.last().expect("non-empty"));
        prop_assert_eq!(last.finish, run.schedule.finish);
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
        let again = build(&shape).run();
        let json = |r: &Run| report::schedule_json(&r.portfolio, &r.schedule, false);
        prop_assert_eq!(json(&run), json(&again));
        let csv = |r: &Run| report::schedule_csv(&r.portfolio, &r.schedule, false);
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
        let free = build(&shape).run();
        let mut plan = build(&shape);
        let start = plan.portfolio.start;
        let mut n_deadlines = 0;
        for (i, days) in deadlines.iter().enumerate().take(plan.portfolio.projects.len()) {
            if let Some(days) = days {
                plan.portfolio.projects[i].deadline = Some(tranche::model::Dated {
                    date: start + chrono::Days::new(*days),
                    span: span(i),
                });
                n_deadlines += 1;
            }
        }
        let run = plan.run();
        for (a, b) in free.schedule.projects.iter().zip(&run.schedule.projects) {
            prop_assert_eq!((a.early_start, a.early_finish), (b.early_start, b.early_finish));
        }
        for (a, b) in free.schedule.milestones.iter().zip(&run.schedule.milestones) {
            prop_assert_eq!((a.early_start, a.early_finish), (b.early_start, b.early_finish));
        }
        let calendars = calendar::build_all(&run.portfolio.calendars);
        let c = &calendars[0];
        let timing = |item: ItemId| {
            let t = run.schedule.timing(item).expect("every item has a timing");
            indices(c, t, matches!(item, ItemId::Milestone(_)), run.schedule.at_day_start(item))
        };
        for (i, project) in run.portfolio.projects.iter().enumerate() {
            let me = ItemId::Project(tranche::model::ProjectId(i as u32));
            for dep in &project.dependencies {
                let (_, pl) = timing(dep.predecessor);
                let (_, sl) = timing(me);
                prop_assert!(honoured(dep.kind, i64::from(dep.lag_days), pl, sl));
            }
        }
        for t in run.schedule.projects.iter().chain(&run.schedule.milestones) {
            prop_assert!(t.free_float_days >= 0);
            prop_assert!(t.free_float_days <= t.total_float_days.max(0));
        }
        let missed = run
            .portfolio
            .projects
            .iter()
            .zip(&run.schedule.projects)
            .filter(|(p, t)| p.deadline.is_some_and(|d| t.finish > d.date))
            .count();
        prop_assert!(missed <= n_deadlines);
        prop_assert_eq!(run.diagnostics.len(), missed);
    }
}
