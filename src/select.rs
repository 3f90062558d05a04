//! Portfolio selection (`tranche select`, docs/options.md): the set of projects with the
//! highest weighted score that keeps every financial year's budgets, with every predecessor of
//! a chosen project, every `mandatory` one and all work already begun (committed: its money is
//! in part spent), by exact branch and bound.
//!
//! Input: a validated [`Portfolio`] and its [`Analysis`] (each project's money by financial
//! year comes from the schedule of the plan as written, kept at `Detail::ProjectYearsOnly` or
//! more). Output: a [`Selection`]: the chosen set, what was left out and why, and the efficient
//! frontier.
//!
//! Why the schedule of the whole plan is the chosen set's: a chosen project's predecessors are
//! always chosen, so leaving work out never moves the dates of work that stays, and each
//! project's money falls in the years the plan puts it in.
//!
//! The solver works on a [`Problem`]: integers only (scores in basis points of weight, money
//! in pence), so "best" is exact and the same on every machine. Invariant: a solution it
//! returns is feasible (closed under predecessors, mandatory and started work in, every row
//! within its limit); `proven` is false only when it stopped at [`NODE_LIMIT`].

use serde::Serialize;

use crate::analysis::Analysis;
use crate::finance;
use crate::model::{BudgetKind, Criterion, ItemId, Portfolio};
use crate::money::Money;

/// How many nodes branch and bound explores for the best set before it stops and reports its
/// best so far (about a second; plans whose budgets bind hard in one year can need more to
/// prove the best, and the output then says it is the best found).
pub const NODE_LIMIT: u64 = 300_000;

/// The same for each point of the efficient frontier after the best.
pub const FRONTIER_NODE_LIMIT: u64 = 10_000;

/// The most points of the efficient frontier worked out (each is a solve of its own).
pub const FRONTIER_LIMIT: usize = 20;

/// Which budgets the selection keeps (`--budget`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Budgets {
    /// The `budget capital` lines.
    Capital,
    /// The `budget revenue` lines.
    Revenue,
    /// Both.
    #[default]
    Both,
}

/// A selection problem: items to choose, and rows (budgets) their weights must fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub items: Vec<Item>,
    /// Each row's limit; an item's `weights` are aligned with it.
    pub limits: Vec<i64>,
}

/// One project as the solver sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What choosing it adds (not negative).
    pub score: i64,
    /// Its total capital, for the frontier and for ties (the cheaper set wins).
    pub capital: i64,
    /// What it uses of each row (not negative).
    pub weights: Vec<i64>,
    /// The items it depends on directly (indices).
    pub predecessors: Vec<usize>,
    pub mandatory: bool,
}

/// A feasible choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    pub chosen: Vec<bool>,
    pub score: i64,
    pub capital: i64,
    /// Whether the search finished (the solution is the best there is).
    pub proven: bool,
    pub nodes: u64,
}

/// What `tranche select` shows (the JSON of `select`, docs/json.md).
#[derive(Debug, Clone, Serialize)]
pub struct Selection {
    pub schema: &'static str,
    pub version: u32,
    pub title: String,
    pub budgets: Budgets,
    /// The criteria and their weights, as declared.
    pub criteria: Vec<Criterion>,
    /// The best set; `None` when even the mandatory work breaks a budget.
    pub best: Option<Chosen>,
    /// When the mandatory work alone breaks a budget: which, in which year.
    pub infeasible: Option<String>,
    /// Every project not chosen, and why.
    pub left_out: Vec<LeftOut>,
    /// The best score for each total capital, cheapest first.
    pub frontier: Vec<Point>,
    /// Whether every search finished; if not, the figures are the best found, not proven best.
    pub proven: bool,
    /// Whether the frontier stopped at [`FRONTIER_LIMIT`] points.
    pub frontier_cut: bool,
    /// How many budgets (a kind in a year) the choice had to keep: none when the plan sets no
    /// budget of the kinds asked for, and the summary then says so. Not in the JSON, whose
    /// readers have the plan's budgets.
    #[serde(skip)]
    pub budget_rows: usize,
}

/// The chosen set.
#[derive(Debug, Clone, Serialize)]
pub struct Chosen {
    /// Weighted score: the sum of each project's score, in hundredths of a point (a weight
    /// of 40% on a score of 5 is 200).
    pub score: i64,
    pub capital: Money,
    pub projects: Vec<ProjectScore>,
}

/// A project and what it adds to the score.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectScore {
    pub id: String,
    pub title: String,
    pub score: i64,
    pub capital: Money,
    /// `mandatory` in the plan.
    pub mandatory: bool,
    /// Work already begun (an `actual-start` or `actual-finish`): committed, so always chosen.
    pub started: bool,
}

/// A project left out, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub id: String,
    pub title: String,
    pub reason: String,
}

/// A point of the efficient frontier.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub capital: Money,
    pub score: i64,
    pub projects: usize,
}

/// The best selection of the plan's projects (see the module doc). `criteria` must be
/// declared; without them every project scores 0 and the cheapest feasible set is chosen.
pub fn select(portfolio: &Portfolio, analysis: &Analysis, budgets: Budgets) -> Selection {
    let (problem, rows) = problem(portfolio, analysis, budgets);
    let best = solve(&problem, None, NODE_LIMIT);
    let mut proven = best.as_ref().is_none_or(|b| b.proven);
    let project = |i: usize| portfolio.projects.get(i);
    let chosen = best.as_ref().map(|solution| Chosen {
        score: solution.score,
        capital: Money(solution.capital),
        projects: solution
            .chosen
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .filter_map(|(i, _)| {
                let p = project(i)?;
                let item = problem.items.get(i)?;
                Some(ProjectScore {
                    id: p.id.to_string(),
                    title: p.title.to_string(),
                    score: item.score,
                    capital: Money(item.capital),
                    mandatory: p.is_mandatory(),
                    started: started(p),
                })
            })
            .collect(),
    });
    let any_started = portfolio.projects.iter().any(started);
    let infeasible = best
        .is_none()
        .then(|| mandatory_breaks(&problem, &rows, any_started));
    let left_out = match &best {
        Some(solution) => left_out(portfolio, &problem, &rows, solution),
        None => Vec::new(),
    };
    let (frontier, frontier_cut, frontier_proven) = frontier(&problem, best.as_ref());
    proven &= frontier_proven;
    Selection {
        schema: "tranche-select",
        version: 1,
        title: portfolio.title.clone(),
        budgets,
        criteria: portfolio.criteria.clone(),
        best: chosen,
        infeasible,
        left_out,
        frontier,
        proven,
        frontier_cut,
        budget_rows: rows.len(),
    }
}

/// A row of the problem: a budget's kind, year (as written) and limit.
#[derive(Debug, Clone)]
struct Row {
    kind: BudgetKind,
    year: String,
}

impl Row {
    fn text(&self) -> String {
        let kind = match self.kind {
            BudgetKind::Capital => "capital",
            BudgetKind::Revenue => "revenue",
        };
        format!("the {kind} budget in {}", self.year)
    }
}

/// The plan as a [`Problem`]: each project's weighted score, its money by budget row, its
/// direct project predecessors (through milestones and programmes).
fn problem(portfolio: &Portfolio, analysis: &Analysis, budgets: Budgets) -> (Problem, Vec<Row>) {
    let finance = &analysis.finance;
    let kept: Vec<&crate::model::Budget> = portfolio
        .budgets
        .iter()
        .filter(|b| match budgets {
            Budgets::Both => true,
            Budgets::Capital => b.kind == BudgetKind::Capital,
            Budgets::Revenue => b.kind == BudgetKind::Revenue,
        })
        .collect();
    let rows: Vec<Row> = kept
        .iter()
        .map(|b| Row {
            kind: b.kind,
            year: finance::year_label(b.year, portfolio.financial_year_start),
        })
        .collect();
    let limits = kept.iter().map(|b| b.amount.0).collect();
    let scores = weighted_scores(portfolio, analysis);
    let predecessors = project_predecessors(portfolio);
    let items = portfolio
        .projects
        .iter()
        .enumerate()
        .map(|(i, project)| {
            let profile = finance.projects.get(i);
            let year_amounts = |year: crate::model::FinancialYear| {
                let index = finance.years.iter().position(|y| *y == year)?;
                profile?.yearly.get(index)
            };
            let weights = kept
                .iter()
                .map(|b| {
                    year_amounts(b.year).map_or(0, |a| match b.kind {
                        BudgetKind::Capital => a.capital.0,
                        BudgetKind::Revenue => a.revenue.0,
                    })
                })
                .collect();
            Item {
                score: scores.get(i).copied().unwrap_or(0),
                capital: profile.map_or(0, |p| p.total.capital.0),
                weights,
                predecessors: predecessors.get(i).cloned().unwrap_or_default(),
                // Work begun is committed: its money is in part spent, and leaving it out
                // would free budget that is gone.
                mandatory: project.is_mandatory() || started(project),
            }
        })
        .collect();
    (Problem { items, limits }, rows)
}

/// Each project's weighted score: the sum over the criteria of weight (basis points) times
/// score, over 100 (so in hundredths of a point). The `savings` criterion scores a project's
/// NPV (with optimism bias) against the best NPV in the plan: the best gets the highest score
/// written anywhere in the plan (5 if none is), the others in proportion, rounded to the
/// nearest whole hundredth; an NPV at or below zero scores 0.
fn weighted_scores(portfolio: &Portfolio, analysis: &Analysis) -> Vec<i64> {
    let npv = |i: usize| {
        analysis
            .finance
            .projects
            .get(i)
            .map_or(0, |p| p.appraisal.npv_with_bias.0.max(0))
    };
    let best_npv = (0..portfolio.projects.len()).map(npv).max().unwrap_or(0);
    let top_score = portfolio
        .projects
        .iter()
        .flat_map(|p| p.scores().iter().map(|s| i64::from(s.value)))
        .max()
        .unwrap_or(5);
    portfolio
        .projects
        .iter()
        .enumerate()
        .map(|(i, project)| {
            portfolio
                .criteria
                .iter()
                .enumerate()
                .map(|(c, criterion)| {
                    let weight = i128::from(criterion.weight.basis_points());
                    let score = if criterion.name == Criterion::SAVINGS {
                        // weight × top × npv / best, over 100, rounded half up (all positive).
                        if best_npv == 0 {
                            return 0;
                        }
                        let numerator = weight * i128::from(top_score) * i128::from(npv(i));
                        let denominator = 100 * i128::from(best_npv);
                        return i64::try_from((2 * numerator + denominator) / (2 * denominator))
                            .unwrap_or(i64::MAX);
                    } else {
                        project
                            .scores()
                            .iter()
                            .find(|s| s.criterion as usize == c)
                            .map_or(0, |s| i128::from(s.value))
                    };
                    i64::try_from(weight * score / 100).unwrap_or(i64::MAX)
                })
                .sum()
        })
        .collect()
}

/// For each project, the projects it depends on directly: a dependency on a milestone is one
/// on the milestone's project and on what the milestone depends on; on a programme, on every
/// project inside it.
fn project_predecessors(portfolio: &Portfolio) -> Vec<Vec<usize>> {
    portfolio
        .projects
        .iter()
        .map(|project| {
            let mut found: Vec<usize> = Vec::new();
            let mut stack: Vec<ItemId> =
                project.dependencies.iter().map(|d| d.predecessor).collect();
            let mut seen: Vec<ItemId> = Vec::new();
            while let Some(item) = stack.pop() {
                if seen.contains(&item) {
                    continue;
                }
                seen.push(item);
                match item {
                    ItemId::Project(p) => found.push(p.0 as usize),
                    ItemId::Milestone(m) => {
                        if let Some(milestone) = portfolio.milestones.get(m.0 as usize) {
                            if let Some(p) = milestone.project {
                                stack.push(ItemId::Project(p));
                            }
                            stack.extend(milestone.dependencies.iter().map(|d| d.predecessor));
                        }
                    }
                    ItemId::Programme(g) => {
                        if let Some(programme) = portfolio.programmes.get(g.0 as usize) {
                            stack.extend(programme.children.iter().copied());
                        }
                    }
                }
            }
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect()
}

/// Whether a project's work has begun: an actual start or finish is recorded.
fn started(project: &crate::model::Project) -> bool {
    let progress = project.progress();
    progress.actual_start.is_some() || progress.actual_finish.is_some()
}

/// Which budget the mandatory work (with its predecessors, and the work already started when
/// the plan has some) breaks on its own.
fn mandatory_breaks(problem: &Problem, rows: &[Row], any_started: bool) -> String {
    let mut chosen = vec![false; problem.items.len()];
    for (i, item) in problem.items.iter().enumerate() {
        if item.mandatory {
            close_over_predecessors(problem, i, &mut chosen);
        }
    }
    let broken: Vec<String> = (0..problem.limits.len())
        .filter(|&r| used(problem, &chosen, r) > problem.limits.get(r).copied().unwrap_or(0))
        .filter_map(|r| rows.get(r).map(Row::text))
        .collect();
    let forced = if any_started {
        "the mandatory projects, the work already started"
    } else {
        "the mandatory projects"
    };
    format!(
        "{forced} and their predecessors alone break {}",
        broken.join(", ")
    )
}

fn close_over_predecessors(problem: &Problem, start: usize, chosen: &mut [bool]) {
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        match chosen.get_mut(i) {
            Some(c) if !*c => *c = true,
            _ => continue,
        }
        if let Some(item) = problem.items.get(i) {
            stack.extend(item.predecessors.iter().copied());
        }
    }
}

fn used(problem: &Problem, chosen: &[bool], row: usize) -> i64 {
    problem
        .items
        .iter()
        .zip(chosen)
        .filter(|(_, c)| **c)
        .map(|(item, _)| item.weights.get(row).copied().unwrap_or(0))
        .sum()
}

/// Why each project not chosen was left out: a predecessor left out, or the budget it (with
/// what it needs) would break, or that it adds nothing.
fn left_out(
    portfolio: &Portfolio,
    problem: &Problem,
    rows: &[Row],
    solution: &Solution,
) -> Vec<LeftOut> {
    let mut out = Vec::new();
    for (i, project) in portfolio.projects.iter().enumerate() {
        if solution.chosen.get(i).copied().unwrap_or(true) {
            continue;
        }
        let mut with = solution.chosen.clone();
        close_over_predecessors(problem, i, &mut with);
        let added: Vec<&str> = (0..with.len())
            .filter(|&j| j != i && with[j] && !solution.chosen[j])
            .filter_map(|j| portfolio.projects.get(j).map(|p| p.id.as_str()))
            .collect();
        let broken: Vec<String> = (0..problem.limits.len())
            .filter_map(|r| {
                let over = used(problem, &with, r) - problem.limits.get(r).copied().unwrap_or(0);
                (over > 0).then(|| {
                    let row = rows.get(r).map_or_else(String::new, Row::text);
                    format!("{row} by {}", Money(over))
                })
            })
            .collect();
        let needing = if added.is_empty() {
            String::new()
        } else {
            format!(" (with `{}`, which it needs)", added.join("`, `"))
        };
        let reason = if !broken.is_empty() {
            format!("choosing it{needing} would break {}", broken.join(" and "))
        } else {
            let gain: i64 = (0..with.len())
                .filter(|&j| with[j] && !solution.chosen[j])
                .filter_map(|j| problem.items.get(j).map(|item| item.score))
                .sum();
            if gain == 0 {
                format!("it{needing} adds nothing to the score")
            } else {
                // The search stopped before it could say; the set is the best found.
                format!("it{needing} fits, but the search stopped at its limit before adding it")
            }
        };
        out.push(LeftOut {
            id: project.id.to_string(),
            title: project.title.to_string(),
            reason,
        });
    }
    out
}

/// The efficient frontier: the best, then the best costing less than it, and so on to the
/// cheapest feasible set (at most [`FRONTIER_LIMIT`] points), cheapest first. Also whether it
/// stopped at that limit and whether every search finished.
fn frontier(problem: &Problem, best: Option<&Solution>) -> (Vec<Point>, bool, bool) {
    let mut points = Vec::new();
    let mut proven = true;
    let mut next = best.cloned();
    while let Some(solution) = next {
        proven &= solution.proven;
        points.push(Point {
            capital: Money(solution.capital),
            score: solution.score,
            projects: solution.chosen.iter().filter(|c| **c).count(),
        });
        if points.len() >= FRONTIER_LIMIT {
            let cut = solve(problem, Some(solution.capital - 1), FRONTIER_NODE_LIMIT).is_some();
            return (efficient(points), cut, proven);
        }
        next = solve(problem, Some(solution.capital - 1), FRONTIER_NODE_LIMIT);
    }
    (efficient(points), false, proven)
}

/// The points found, most costly first, as a frontier: cheapest first, each scoring more than
/// every cheaper one. A search stopped at its node limit can return, under one cap, a set
/// worse than one a later search finds under a lower cap; a point that a cheaper one beats is
/// not efficient, so it is not shown. (Searches that finished give strictly rising scores
/// already: each is the best under a cap below the point before.)
fn efficient(mut points: Vec<Point>) -> Vec<Point> {
    points.reverse();
    let mut best_cheaper: Option<i64> = None;
    points.retain(|point| {
        let keep = best_cheaper.is_none_or(|best| point.score > best);
        if keep {
            best_cheaper = Some(point.score);
        }
        keep
    });
    points
}

/// The best feasible choice (highest score; among equal scores the least capital), with total
/// capital at most `capital_cap` if given; `None` when nothing is feasible. Stops after
/// `node_limit` nodes with the best found (`proven: false`).
pub fn solve(problem: &Problem, capital_cap: Option<i64>, node_limit: u64) -> Option<Solution> {
    let mut search = Search::new(problem, capital_cap, node_limit);
    // Weights and capital are never negative, so a row whose limit is below zero holds no
    // choice, not even the empty one: `frontier` asks for a set costing under £0 after a best
    // set that costs nothing. The search relies on every node being within its rows (its room
    // never negative), the empty root included.
    if search.limits.iter().any(|&limit| limit < 0) {
        return None;
    }
    // Mandatory work and its predecessors are in before the search starts.
    for i in 0..problem.items.len() {
        if problem.items.get(i).is_some_and(|item| item.mandatory) && !search.decide(i, State::In) {
            return None;
        }
    }
    search.run();
    let (chosen, score, capital) = search.best?;
    Some(Solution {
        chosen,
        score,
        capital,
        proven: !search.stopped,
        nodes: search.nodes,
    })
}

/// Prices for the rows that make the Lagrangian bound tight at the root, by subgradient
/// steps (Held and Karp's rule, halving the step when the bound stops improving). Any prices
/// give a valid bound; good ones prune more.
fn multipliers(
    problem: &Problem,
    limits: &[i64],
    weight: &dyn Fn(usize, usize) -> i64,
) -> Vec<f64> {
    let rows = limits.len();
    let n = problem.items.len();
    let mut lambda = vec![0.0_f64; rows];
    if rows == 0 || n == 0 {
        return lambda;
    }
    let value = |lambda: &[f64]| -> (f64, Vec<f64>) {
        let mut total: f64 = (0..rows).map(|r| lambda[r] * limits[r].max(0) as f64).sum();
        let mut used = vec![0.0_f64; rows];
        for i in 0..n {
            let priced: f64 = (0..rows).map(|r| lambda[r] * weight(i, r) as f64).sum();
            let gain = problem.items[i].score as f64 - priced;
            if gain > 0.0 {
                total += gain;
                for (r, u) in used.iter_mut().enumerate() {
                    *u += weight(i, r) as f64;
                }
            }
        }
        let gradient = (0..rows)
            .map(|r| limits[r].max(0) as f64 - used[r])
            .collect();
        (total, gradient)
    };
    // A first price: the whole score over the whole use, per row.
    let total_score: f64 = problem.items.iter().map(|i| i.score as f64).sum();
    let (mut best, _) = value(&lambda);
    let mut best_lambda = lambda.clone();
    let mut step = 1.0_f64;
    let mut since_better = 0;
    for _ in 0..300 {
        let (current, gradient) = value(&lambda);
        if current < best {
            best = current;
            best_lambda.clone_from(&lambda);
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= 10 {
                step /= 2.0;
                since_better = 0;
            }
        }
        let norm: f64 = gradient.iter().map(|g| g * g).sum();
        if norm == 0.0 || step < 1e-6 {
            break;
        }
        // Aim at a bound a little under the current one (the best is unknown at the root).
        let target = current - (current * 0.05).max(1.0);
        let t = step * (current - target) / norm;
        for r in 0..rows {
            lambda[r] = (lambda[r] - t * gradient[r]).max(0.0);
        }
        if total_score == 0.0 {
            break;
        }
    }
    best_lambda
}

/// A Lagrangian bound worked in floating point as a whole number that is surely no less:
/// one whole unit is added and the result rounded up (a bound a little high only prunes less).
fn rounded_up(total: f64) -> i64 {
    let bound = (total + 1.0).ceil();
    if bound >= i64::MAX as f64 {
        i64::MAX
    } else {
        bound as i64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    In,
    Out,
}

/// The branch-and-bound search: items decided in a fixed order (best score per pound of the
/// tightest row first), including an item includes its predecessors, excluding it excludes
/// what depends on it, and a node is pruned when its bound cannot beat the best found.
struct Search<'p> {
    problem: &'p Problem,
    /// `limits` and, last, the capital cap as one more row (when given).
    limits: Vec<i64>,
    used: Vec<i64>,
    state: Vec<State>,
    successors: Vec<Vec<usize>>,
    /// What was changed, to undo on backtracking.
    trail: Vec<usize>,
    score: i64,
    capital: i64,
    order: Vec<usize>,
    /// For each row, the items in order of score per unit of the row (free ones first).
    by_row: Vec<Vec<usize>>,
    /// Lagrange multipliers, one per row, found at the root (see [`Search::bound`]).
    lambda: Vec<f64>,
    /// Each open item's reduced score at the current node (a buffer kept between nodes).
    reduced: Vec<(usize, f64)>,
    best: Option<(Vec<bool>, i64, i64)>,
    nodes: u64,
    node_limit: u64,
    stopped: bool,
}

impl<'p> Search<'p> {
    fn new(problem: &'p Problem, capital_cap: Option<i64>, node_limit: u64) -> Search<'p> {
        let n = problem.items.len();
        let mut limits = problem.limits.clone();
        if let Some(cap) = capital_cap {
            limits.push(cap);
        }
        let weight = |i: usize, r: usize| -> i64 {
            let item = &problem.items[i];
            if r < problem.limits.len() {
                item.weights.get(r).copied().unwrap_or(0)
            } else {
                item.capital
            }
        };
        let mut successors = vec![Vec::new(); n];
        for (i, item) in problem.items.iter().enumerate() {
            for &p in &item.predecessors {
                if let Some(s) = successors.get_mut(p) {
                    s.push(i);
                }
            }
        }
        let by_row: Vec<Vec<usize>> = (0..limits.len())
            .map(|r| {
                let mut items: Vec<usize> = (0..n).collect();
                // Score per unit of the row, compared exactly: a/b > c/d as a×d > c×b.
                // Items that use none of the row first, those that score nothing last (so
                // the comparison is a total order: no 0/0 is compared).
                let class = |i: usize| match (problem.items[i].score, weight(i, r)) {
                    (0, _) => 2,
                    (_, 0) => 0,
                    _ => 1,
                };
                items.sort_by(|&a, &b| {
                    class(a)
                        .cmp(&class(b))
                        .then_with(|| {
                            if class(a) != 1 {
                                return std::cmp::Ordering::Equal;
                            }
                            let (sa, wa) =
                                (i128::from(problem.items[a].score), i128::from(weight(a, r)));
                            let (sb, wb) =
                                (i128::from(problem.items[b].score), i128::from(weight(b, r)));
                            (sb * wa).cmp(&(sa * wb))
                        })
                        .then(a.cmp(&b))
                });
                items
            })
            .collect();
        let lambda = multipliers(problem, &limits, &weight);
        // Branch first on the items the relaxation likes most: score less the priced use of
        // every row (ties by index, so the order is the same on every machine).
        let reduced = |i: usize| -> f64 {
            let priced: f64 = (0..limits.len())
                .map(|r| lambda[r] * weight(i, r) as f64)
                .sum();
            problem.items[i].score as f64 - priced
        };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| reduced(b).total_cmp(&reduced(a)).then(a.cmp(&b)));
        Search {
            problem,
            used: vec![0; limits.len()],
            limits,
            state: vec![State::Open; n],
            successors,
            trail: Vec::new(),
            score: 0,
            capital: 0,
            order,
            by_row,
            lambda,
            reduced: Vec::with_capacity(n),
            best: None,
            nodes: 0,
            node_limit,
            stopped: false,
        }
    }

    fn weight(&self, i: usize, r: usize) -> i64 {
        let item = &self.problem.items[i];
        if r < self.problem.limits.len() {
            item.weights.get(r).copied().unwrap_or(0)
        } else {
            item.capital
        }
    }

    /// Decides `i` (`In` or `Out`) and with it what that forces: including an item includes
    /// its open predecessors, excluding it excludes every open item that depends on it. False,
    /// with nothing changed, when one of them is already decided the other way or, including,
    /// a row would go over its limit.
    fn decide(&mut self, i: usize, to: State) -> bool {
        let mark = self.trail.len();
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            match self.state[j] {
                State::Open => {}
                decided if decided == to => continue,
                _ => {
                    self.undo(mark);
                    return false;
                }
            }
            self.state[j] = to;
            self.trail.push(j);
            if to == State::In {
                self.tally(j, 1);
                stack.extend(self.problem.items[j].predecessors.iter().copied());
            } else {
                stack.extend(self.successors[j].iter().copied());
            }
        }
        if to == State::In && (0..self.limits.len()).any(|r| self.used[r] > self.limits[r]) {
            self.undo(mark);
            return false;
        }
        true
    }

    /// Adds an included item's weights, score and capital to the node's totals (`sign` 1), or
    /// takes them off again (-1).
    fn tally(&mut self, j: usize, sign: i64) {
        for r in 0..self.limits.len() {
            self.used[r] += sign * self.weight(j, r);
        }
        self.score += sign * self.problem.items[j].score;
        self.capital += sign * self.problem.items[j].capital;
    }

    fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            let Some(j) = self.trail.pop() else { break };
            if self.state[j] == State::In {
                self.tally(j, -1);
            }
            self.state[j] = State::Open;
        }
    }

    /// An upper bound on the score below this node: the least of the open items' whole
    /// score, the Lagrangian bound (`lagrangian`, from [`Search::lagrangian_parts`]) and, for
    /// each row, the open items taken in order of score per unit of the row, the last one in
    /// part (the fractional knapsack, which ignores the other rows and the predecessors, so
    /// it never underestimates).
    fn bound(&self, lagrangian: f64) -> i64 {
        let open_total: i64 = (0..self.state.len())
            .filter(|&i| self.state[i] == State::Open)
            .map(|i| self.problem.items[i].score)
            .sum();
        let mut best = open_total.min(rounded_up(lagrangian));
        for (r, items) in self.by_row.iter().enumerate() {
            let mut room = i128::from(self.limits[r] - self.used[r]);
            let mut total: i128 = 0;
            for &i in items {
                if self.state[i] != State::Open {
                    continue;
                }
                let score = i128::from(self.problem.items[i].score);
                if score == 0 {
                    // Only items that score nothing are left (they sort last).
                    break;
                }
                let w = i128::from(self.weight(i, r));
                if w <= room {
                    room -= w;
                    total += score;
                } else {
                    // The part of it that fits, rounded up so the bound stays a bound. Here
                    // w > room, and room is not negative (each node is within its rows), so
                    // w is at least 1; the test says so where the division is.
                    if room > 0 {
                        total += (score * room + w - 1) / w;
                    }
                    break;
                }
            }
            best = best.min(i64::try_from(total).unwrap_or(i64::MAX));
        }
        self.score + best
    }

    /// Reduced-score fixing: with the Lagrangian bound L of this node and the best score B
    /// found, an open item whose reduced score r (score less its priced use) is positive
    /// must be in any better choice when L − r < B, and one whose r is negative must be out
    /// when L + r < B (each side of that is a bound on the choices with the item the other
    /// way). Fixing it here saves the branch. False when a fixing is impossible (the node
    /// holds no better choice).
    fn fix_by_reduced_scores(&mut self, total: f64, reduced: &[(usize, f64)]) -> bool {
        let Some((_, best, _)) = &self.best else {
            return true;
        };
        let best = *best as f64;
        // What is in already, plus the most the open items can add.
        let bound = self.score as f64 + total + 1.0;
        for &(i, r) in reduced {
            if self.state[i] != State::Open {
                continue;
            }
            if r > 0.0 && bound - r < best {
                if !self.decide(i, State::In) {
                    return false;
                }
            } else if r < 0.0 && bound + r < best && !self.decide(i, State::Out) {
                return false;
            }
        }
        true
    }

    /// The Lagrangian bound on what the open items can add (before rounding), and each open
    /// item's reduced score into `reduced`: for any prices `lambda` ≥ 0 on the rows,
    /// Σ max(0, score − price of its use) + price of the room left is at least the best
    /// (relaxing precedence too).
    fn lagrangian_parts(&self, reduced: &mut Vec<(usize, f64)>) -> f64 {
        let rows = self.limits.len();
        let mut total: f64 = (0..rows)
            .map(|r| self.lambda[r] * (self.limits[r] - self.used[r]).max(0) as f64)
            .sum();
        reduced.clear();
        for i in 0..self.state.len() {
            if self.state[i] != State::Open {
                continue;
            }
            let priced: f64 = (0..rows)
                .map(|r| self.lambda[r] * self.weight(i, r) as f64)
                .sum();
            let gain = self.problem.items[i].score as f64 - priced;
            if gain > 0.0 {
                total += gain;
            }
            reduced.push((i, gain));
        }
        total
    }

    fn record(&mut self) {
        let better = match &self.best {
            None => true,
            Some((_, score, capital)) => {
                self.score > *score || (self.score == *score && self.capital < *capital)
            }
        };
        if better {
            let chosen = self.state.iter().map(|s| *s == State::In).collect();
            self.best = Some((chosen, self.score, self.capital));
        }
    }

    /// Depth-first over the order, iteratively (a plan may have thousands of projects).
    fn run(&mut self) {
        // Each frame: the position in `order`, the trail mark (once the node is fixed, past
        // what fixing decided), and the branch tried so far
        // (0: none, 1: include tried, 2: both). A popped child leaves its changes on the
        // trail; its parent undoes to its own mark before its next branch.
        let mut frames: Vec<(usize, usize, u8)> = vec![(0, self.trail.len(), 0)];
        while let Some(&mut (position, mark, ref mut tried)) = frames.last_mut() {
            let branch = *tried;
            *tried += 1;
            if branch == 0 {
                self.nodes += 1;
                if self.nodes > self.node_limit {
                    self.stopped = true;
                    return;
                }
                // Skip to the next open item.
                // What is in is closed under predecessors and within every row: a choice as
                // it stands, with the open items left out.
                self.record();
                let next = (position..self.order.len())
                    .find(|&k| self.state[self.order[k]] == State::Open);
                let Some(k) = next else {
                    frames.pop();
                    continue;
                };
                if let Some(frame) = frames.last_mut() {
                    frame.0 = k;
                }
                let mut reduced = std::mem::take(&mut self.reduced);
                let lagrangian = self.lagrangian_parts(&mut reduced);
                let prune = match &self.best {
                    None => false,
                    Some((_, score, capital)) => {
                        let bound = self.bound(lagrangian);
                        bound < *score || (bound == *score && self.capital >= *capital)
                    }
                };
                let pruned = prune || !self.fix_by_reduced_scores(lagrangian, &reduced);
                self.reduced = reduced;
                if pruned {
                    frames.pop();
                    continue;
                }
                // What fixing decided holds for every better choice below this node, so both
                // branches keep it: the node's mark moves past it. (Undone with it, an item
                // fixed ahead of the branch item would be open again behind the position the
                // exclude branch goes on from, and never decided: the search lost choices.)
                // Fixing leaves a choice as it stands too.
                self.record();
                let mark = self.trail.len();
                // Fixing may have decided the item this node was to branch on.
                let Some(k) =
                    (k..self.order.len()).find(|&k| self.state[self.order[k]] == State::Open)
                else {
                    frames.pop();
                    continue;
                };
                if let Some(frame) = frames.last_mut() {
                    frame.0 = k;
                    frame.1 = mark;
                }
                let item = self.order[k];
                if self.decide(item, State::In) {
                    frames.push((k + 1, self.trail.len(), 0));
                }
                continue;
            }
            if branch == 1 {
                // Back from including: undo to this node's state, then exclude.
                self.undo(mark);
                let item = self.order[position];
                if self.decide(item, State::Out) {
                    frames.push((position + 1, self.trail.len(), 0));
                }
                continue;
            }
            // Both branches done.
            self.undo(mark);
            frames.pop();
        }
    }
}

#[cfg(test)]
mod tests;
