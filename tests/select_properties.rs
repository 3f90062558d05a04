//! `tranche select` against brute force on random plans of up to 20 projects (issue 23): the
//! plan goes through the real pipeline, and the brute force reads only what the plan says (its
//! own dependencies, scores and weights) and each project's money by year from the schedule.

use std::path::Path;

use proptest::prelude::*;

use tranche::diagnostic::SourceMap;
use tranche::finance::Detail;
use tranche::select::{self, Budgets};
use tranche::source::{self, Includes, MemoryFs, Options};

/// One generated project: duration in months, start month offset, capital in £k (0: no
/// `cost` line at all, a project that costs nothing), two scores, the earlier projects it
/// follows, whether it is mandatory, and whether its work has begun (an actual start, which
/// commits it as surely as `mandatory`).
#[derive(Debug, Clone)]
struct Gen {
    months: u32,
    not_before: u32,
    capital: u32,
    strategic: u32,
    deliverability: u32,
    after: Vec<usize>,
    mandatory: bool,
    started: bool,
}

fn projects() -> impl Strategy<Value = (Vec<Gen>, [u32; 3])> {
    let project = (
        1u32..=8,
        0u32..=18,
        prop_oneof![1 => Just(0u32), 3 => 10u32..=200],
        0u32..=5,
        0u32..=5,
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.15),
    );
    (
        prop::collection::vec(project, 0..=20),
        [100u32..=900, 100u32..=900, 100u32..=900],
    )
        .prop_map(|(list, budgets)| {
            let projects = list
                .into_iter()
                .enumerate()
                .map(
                    |(
                        i,
                        (
                            months,
                            not_before,
                            capital,
                            strategic,
                            deliverability,
                            after,
                            mandatory,
                            started,
                        ),
                    )| {
                        let mut after: Vec<usize> = if i == 0 {
                            Vec::new()
                        } else {
                            after.iter().map(|x| x.index(i)).collect()
                        };
                        after.sort_unstable();
                        after.dedup();
                        Gen {
                            months,
                            not_before,
                            capital,
                            strategic,
                            deliverability,
                            after,
                            mandatory,
                            started,
                        }
                    },
                )
                .collect();
            (projects, budgets)
        })
}

fn text(projects: &[Gen], budgets: [u32; 3]) -> String {
    let mut out = String::from("portfolio \"P\" {\n  start 2021-04-01\n  end 2025-03-31\n");
    // Work that has begun needs a status date for its actual start to be before.
    if projects.iter().any(|p| p.started) {
        out.push_str("  status-date 2021-06-01\n");
    }
    for (k, amount) in budgets.iter().enumerate() {
        let year = 2021 + k;
        out.push_str(&format!(
            "  budget capital £{amount}k in {year}/{:02}\n",
            (year + 1) % 100
        ));
    }
    out.push_str("}\ncriteria {\n  strategic 60%\n  deliverability 40%\n}\n");
    for (i, p) in projects.iter().enumerate() {
        out.push_str(&format!(
            "project p{i} {{\n  duration {} months\n",
            p.months
        ));
        // Before `score`, whose pairs run on over line ends while a name follows.
        if p.started {
            out.push_str("  actual-start 2021-04-01\n");
        }
        let month = 4 + p.not_before;
        let (year, month) = (2021 + (month - 1) / 12, (month - 1) % 12 + 1);
        out.push_str(&format!("  not-before {year}-{month:02}-01\n"));
        for a in &p.after {
            out.push_str(&format!("  after p{a}\n"));
        }
        if p.capital > 0 {
            out.push_str(&format!("  cost capital £{}k\n", p.capital));
        }
        out.push_str(&format!(
            "  score strategic {} deliverability {}\n",
            p.strategic, p.deliverability
        ));
        if p.mandatory {
            out.push_str("  mandatory\n");
        }

        out.push_str("}\n");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn select_matches_brute_force_on_random_plans((projects, budgets) in projects()) {
        let plan = text(&projects, budgets);
        let mut sources = SourceMap::new();
        let options = Options {
            includes: Includes::InsideFolder,
            detail: Detail::ProjectYearsOnly,
            lints: false,
            level: tranche::analysis::Level::Off,
        };
        let analysed = source::analyse_files(&MemoryFs::single(&plan), Path::new("plan.tranche"), &mut sources, options);
        let (Some(portfolio), Some(analysis)) = (analysed.portfolio, analysed.analysis) else {
            panic!("a generated plan is valid: {:?}\n{plan}", analysed.diagnostics);
        };
        let finance = &analysis.finance;
        // Each project's capital in each budget year, from the schedule's money.
        let capital = |i: usize, year: i32| -> i64 {
            let Some(index) = finance.years.iter().position(|y| y.0 == year) else { return 0 };
            finance.projects[i].yearly.get(index).map_or(0, |a| a.capital.0)
        };
        let n = projects.len();
        // Every feasible set's score and capital.
        let mut sets: Vec<(i64, i64)> = Vec::new();
        for mask in 0u32..(1u32 << n) {
            let chosen = |i: usize| mask & (1 << i) != 0;
            let closed = (0..n).all(|i| !chosen(i) || projects[i].after.iter().all(|&a| chosen(a)));
            // Mandatory work and work already begun are always in.
            let mandatory = (0..n).all(|i| !(projects[i].mandatory || projects[i].started) || chosen(i));
            let within = (0..3).all(|k| {
                let spent: i64 = (0..n).filter(|&i| chosen(i)).map(|i| capital(i, 2021 + k as i32)).sum();
                spent <= i64::from(budgets[k]) * 100_000
            });
            if !(closed && mandatory && within) {
                continue;
            }
            // 60% × strategic + 40% × deliverability, in hundredths of a point.
            let score: i64 = (0..n)
                .filter(|&i| chosen(i))
                .map(|i| i64::from(60 * projects[i].strategic + 40 * projects[i].deliverability))
                .sum();
            let total: i64 = (0..n).filter(|&i| chosen(i)).map(|i| finance.projects[i].total.capital.0).sum();
            sets.push((score, total));
        }
        // The best set costing at most `cap`: highest score, then least capital.
        let best_within = |cap: Option<i64>| {
            sets.iter()
                .filter(|(_, c)| cap.is_none_or(|cap| *c <= cap))
                .copied()
                .max_by(|(s1, c1), (s2, c2)| s1.cmp(s2).then(c2.cmp(c1)))
        };
        let best = best_within(None);
        let selection = select::select(&portfolio, &analysis, Budgets::Capital);
        prop_assert!(selection.proven);
        let found = selection.best.as_ref().map(|b| (b.score, b.capital.0));
        prop_assert_eq!(found, best, "{}", plan);
        // The frontier: the best, then the best costing less than it, down to the cheapest
        // (a best that costs nothing is the only point), cheapest first.
        let mut frontier = Vec::new();
        let mut next = best;
        while let Some((score, capital)) = next {
            frontier.push((score, capital));
            if frontier.len() > select::FRONTIER_LIMIT {
                break;
            }
            next = best_within(Some(capital - 1));
        }
        let cut = frontier.len() > select::FRONTIER_LIMIT;
        frontier.truncate(select::FRONTIER_LIMIT);
        frontier.reverse();
        let shown: Vec<(i64, i64)> = selection.frontier.iter().map(|p| (p.score, p.capital.0)).collect();
        prop_assert_eq!(shown, frontier, "{}", plan);
        prop_assert_eq!(selection.frontier_cut, cut, "{}", plan);
    }
}
