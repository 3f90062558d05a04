//! The branch and bound against brute force (every subset) on random problems, and the rules
//! of a selection on small plans.

use proptest::prelude::*;

use super::*;

/// The best feasible choice by trying every subset: highest score, then least capital.
fn brute_force(problem: &Problem, capital_cap: Option<i64>) -> Option<(i64, i64)> {
    let n = problem.items.len();
    let mut best: Option<(i64, i64)> = None;
    for mask in 0u32..(1u32 << n) {
        let chosen: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
        if !feasible(problem, &chosen, capital_cap) {
            continue;
        }
        let score = (0..n)
            .filter(|&i| chosen[i])
            .map(|i| problem.items[i].score)
            .sum();
        let capital = (0..n)
            .filter(|&i| chosen[i])
            .map(|i| problem.items[i].capital)
            .sum();
        let better = match best {
            None => true,
            Some((s, c)) => score > s || (score == s && capital < c),
        };
        if better {
            best = Some((score, capital));
        }
    }
    best
}

fn feasible(problem: &Problem, chosen: &[bool], capital_cap: Option<i64>) -> bool {
    let items = &problem.items;
    let closed =
        (0..items.len()).all(|i| !chosen[i] || items[i].predecessors.iter().all(|&p| chosen[p]));
    let mandatory = (0..items.len()).all(|i| !items[i].mandatory || chosen[i]);
    let rows = (0..problem.limits.len()).all(|r| used(problem, chosen, r) <= problem.limits[r]);
    let capital: i64 = (0..items.len())
        .filter(|&i| chosen[i])
        .map(|i| items[i].capital)
        .sum();
    closed && mandatory && rows && capital_cap.is_none_or(|cap| capital <= cap)
}

/// A random problem: up to 20 items, each depending on some earlier ones (so no cycles),
/// scores and weights over a few rows, a few mandatory.
fn problems() -> impl Strategy<Value = Problem> {
    (1usize..=20, 1usize..=4).prop_flat_map(|(n, rows)| {
        let item = (
            0i64..=500,
            prop::collection::vec(0i64..=100, rows),
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            prop::bool::weighted(0.1),
        );
        (
            prop::collection::vec(item, n),
            prop::collection::vec(0i64..=250, rows),
        )
            .prop_map(|(items, limits)| {
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (score, weights, predecessors, mandatory))| Item {
                        score,
                        capital: weights.iter().sum(),
                        weights,
                        predecessors: if i == 0 {
                            Vec::new()
                        } else {
                            let mut p: Vec<usize> =
                                predecessors.iter().map(|x| x.index(i)).collect();
                            p.sort_unstable();
                            p.dedup();
                            p
                        },
                        mandatory,
                    })
                    .collect();
                Problem { items, limits }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Exact: the search finds the best there is, and what it returns is feasible.
    #[test]
    fn branch_and_bound_matches_brute_force(problem in problems(), cap in prop::option::of(0i64..=400)) {
        let found = solve(&problem, cap, NODE_LIMIT);
        let expected = brute_force(&problem, cap);
        prop_assert_eq!(found.as_ref().map(|s| (s.score, s.capital)), expected);
        if let Some(solution) = found {
            prop_assert!(solution.proven);
            prop_assert!(feasible(&problem, &solution.chosen, cap));
            let score: i64 = (0..problem.items.len())
                .filter(|&i| solution.chosen[i])
                .map(|i| problem.items[i].score)
                .sum();
            prop_assert_eq!(score, solution.score);
        }
    }
}

#[test]
fn a_search_stopped_at_its_limit_says_so() {
    let items = (0..12)
        .map(|i| Item {
            score: 10 + i,
            capital: 7 + i,
            weights: vec![7 + i],
            predecessors: Vec::new(),
            mandatory: false,
        })
        .collect();
    let problem = Problem {
        items,
        limits: vec![40],
    };
    let stopped = solve(&problem, None, 3).expect("something fits");
    assert!(!stopped.proven);
    let finished = solve(&problem, None, NODE_LIMIT).expect("something fits");
    assert!(finished.proven);
    assert_eq!(
        Some((finished.score, finished.capital)),
        brute_force(&problem, None)
    );
}

#[test]
fn mandatory_work_that_breaks_a_budget_leaves_nothing_feasible() {
    let problem = Problem {
        items: vec![
            Item {
                score: 1,
                capital: 50,
                weights: vec![50],
                predecessors: Vec::new(),
                mandatory: false,
            },
            Item {
                score: 1,
                capital: 10,
                weights: vec![10],
                predecessors: vec![0],
                mandatory: true,
            },
        ],
        limits: vec![40],
    };
    // The mandatory item needs item 0, and together they break the row.
    assert_eq!(solve(&problem, None, NODE_LIMIT), None);
}
