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

/// A random problem: up to 20 items (sometimes none), each depending on some earlier ones (so no
/// cycles), scores and weights over a few rows, a few mandatory.
fn problems() -> impl Strategy<Value = Problem> {
    (0usize..=20, 1usize..=4).prop_flat_map(|(n, rows)| {
        let item = (
            0i64..=500,
            // Often nothing in a row: items that cost nothing at all come up.
            prop::collection::vec(prop_oneof![Just(0i64), 0i64..=100], rows),
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

    /// Exact: the search finds the best there is, and what it returns is feasible. A cap of -1
    /// is what the frontier asks for after a best set that costs nothing: no set fits it.
    #[test]
    fn branch_and_bound_matches_brute_force(problem in problems(), cap in prop::option::of(prop_oneof![1 => Just(-1i64), 1 => Just(0i64), 8 => 0i64..=400])) {
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

/// Found by the plan-level property test: under a capital cap of £76,999.99, with the free
/// items 3 and 6 excluded, reduced-score fixing took item 2 in; item 5 did not fit, and the
/// exclude branch undid the fixing but went on past item 2's place in the order, so item 2
/// was never decided again and 4.60 (items 3 and 6, £29k) won over 4.80 (items 3 and 2, £48k).
#[test]
fn what_fixing_decides_stays_decided_in_both_branches() {
    let item = |score, capital, y: [i64; 3], predecessors: Vec<usize>, mandatory| Item {
        score,
        capital,
        weights: y.to_vec(),
        predecessors,
        mandatory,
    };
    let problem = Problem {
        items: vec![
            item(0, 0, [0, 0, 0], vec![], false),
            item(0, 0, [0, 0, 0], vec![0], false),
            item(220, 4_800_000, [4_800_000, 0, 0], vec![], false),
            item(180, 0, [0, 0, 0], vec![1], false),
            item(80, 0, [0, 0, 0], vec![1], true),
            item(220, 14_400_000, [14_400_000, 0, 0], vec![], false),
            item(200, 2_900_000, [0, 0, 2_900_000], vec![3], false),
        ],
        limits: vec![42_400_000, 84_200_000, 60_700_000],
    };
    let found = solve(&problem, Some(7_699_999), NODE_LIMIT);
    assert_eq!(
        found.map(|s| (s.score, s.capital)),
        brute_force(&problem, Some(7_699_999))
    );
}

/// A search stopped at its node limit can find, under one cap, a set worse than a cheaper one
/// found later under a lower cap (the 300-project benchmark plan showed £17,411k scoring 273.94
/// beside £17,405k scoring 275.61): such a point is beaten and is not on the frontier.
#[test]
fn a_point_a_cheaper_one_beats_is_not_on_the_frontier() {
    let point = |capital, score| Point {
        capital: Money(capital),
        score,
        projects: 1,
    };
    // As `frontier` collects them: most costly first.
    let found = vec![
        point(900, 50),
        point(800, 41),
        point(700, 45),
        point(600, 45),
        point(500, 30),
    ];
    let kept: Vec<(i64, i64)> = efficient(found)
        .iter()
        .map(|p| (p.capital.0, p.score))
        .collect();
    assert_eq!(kept, [(500, 30), (600, 45), (900, 50)]);
}
