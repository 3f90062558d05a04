//! Benchmarks of each stage of the pipeline on generated portfolios (issue 9): parse (load),
//! validate, graph, schedule, finance, lint and JSON output, at 1k, 10k and 100k projects (and
//! the whole of `check` and of `schedule --format json` in memory), and the
//! floor they are compared against: reading the file and a bare topological pass in memory.
//! Each stage is timed alone, on the output of the stages before it (built outside the timing).
//! Divan's allocation profiler counts the bytes each stage allocates.
//!
//! Run with `cargo bench --bench scale` (`-- parse` for one stage); `cargo test` does not run it.
//! The whole commands, at 1M too, and tj3 beside them: benches/compare.sh.

use std::path::Path;

use tranche::analysis::analyse;
use tranche::calendar;
use tranche::diagnostic::SourceMap;
use tranche::finance::{self, Detail};
use tranche::graph;
use tranche::model::{self, Portfolio};
use tranche::report;
use tranche::schedule;
use tranche::source::{self, MemoryFs, Plan};

#[path = "support/plangen.rs"]
#[allow(dead_code)]
mod plangen;

// The binary's allocator (src/main.rs), so each stage costs here what it costs in `tranche`.
#[global_allocator]
static ALLOC: divan::AllocProfiler<mimalloc::MiMalloc> =
    divan::AllocProfiler::new(mimalloc::MiMalloc);

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn text(n: usize) -> String {
    plangen::generate(n, 9, plangen::Shape::Portfolio).0
}

fn load(text: &str) -> Plan {
    let mut sources = SourceMap::new();
    let (plan, diagnostics) = source::load(
        Path::new("/plan.tranche"),
        &MemoryFs::new().with("/plan.tranche", text),
        &mut sources,
    )
    .unwrap_or_else(|d| panic!("the generated plan loads: {}", d.message));
    assert!(diagnostics.is_empty(), "the generated plan parses cleanly");
    plan
}

fn portfolio(n: usize) -> Portfolio {
    model::validate(load(&text(n)))
        .0
        .unwrap_or_else(|| panic!("the generated plan validates"))
}

/// The floor: read the file from disk, then one Kahn pass over the dependency graph held as
/// plain index arrays (no names, no dates): what any tool must at least do.
#[divan::bench(args = SIZES, sample_count = 5)]
fn floor_read_and_topological_pass(bencher: divan::Bencher, n: usize) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary directory: {e}"));
    let path = dir.path().join("plan.tranche");
    std::fs::write(&path, text(n)).unwrap_or_else(|e| panic!("writing the plan: {e}"));
    let p = portfolio(n);
    let network = graph::build(&p).unwrap_or_else(|_| panic!("no cycles"));
    // Edges as (predecessor, successor) node numbers, from the network's order and links.
    let edges = edges_of(&p, &network);
    let nodes = p.projects.len() + p.milestones.len();
    bencher.bench_local(|| {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading: {e}"));
        let order = bare_topological_order(nodes, &edges);
        (bytes.len(), order.len())
    });
}

/// Predecessor/successor node numbers (projects first, then milestones) of every link.
fn edges_of(p: &Portfolio, network: &graph::Network) -> Vec<(u32, u32)> {
    let n_projects = p.projects.len() as u32;
    let node = |item: model::ItemId| match item {
        model::ItemId::Project(id) => id.0,
        model::ItemId::Milestone(id) => n_projects + id.0,
        model::ItemId::Programme(_) => panic!("links join projects and milestones"),
    };
    network
        .links()
        .iter()
        .map(|l| (node(l.predecessor), node(l.successor)))
        .collect()
}

/// Kahn's algorithm over a CSR built on the spot: the least a scheduler can do.
fn bare_topological_order(nodes: usize, edges: &[(u32, u32)]) -> Vec<u32> {
    let mut start = vec![0u32; nodes + 1];
    let mut indegree = vec![0u32; nodes];
    for &(a, b) in edges {
        start[a as usize + 1] += 1;
        indegree[b as usize] += 1;
    }
    for i in 0..nodes {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut succ = vec![0u32; edges.len()];
    for &(a, b) in edges {
        succ[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    let mut order: Vec<u32> = (0..nodes as u32)
        .filter(|&v| indegree[v as usize] == 0)
        .collect();
    let mut next = 0;
    while next < order.len() {
        let v = order[next] as usize;
        next += 1;
        for &s in &succ[start[v] as usize..start[v + 1] as usize] {
            indegree[s as usize] -= 1;
            if indegree[s as usize] == 0 {
                order.push(s);
            }
        }
    }
    order
}

/// Reading and parsing (pest, then lowering to the AST), includes followed.
#[divan::bench(args = SIZES, sample_count = 5)]
fn parse(bencher: divan::Bencher, n: usize) {
    let text = text(n);
    bencher.bench_local(|| load(&text));
}

/// Validation consumes the tree (freeing it as it builds the model), so each run gets a copy;
/// the copying is not timed.
#[divan::bench(args = SIZES, sample_count = 5)]
fn validate(bencher: divan::Bencher, n: usize) {
    let plan = load(&text(n));
    bencher
        .with_inputs(|| plan.clone())
        .bench_local_values(model::validate);
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn graph(bencher: divan::Bencher, n: usize) {
    let p = portfolio(n);
    bencher.bench_local(|| graph::build(&p).is_ok());
}

/// Calendars built and the critical path computed (both passes, float, diagnostics).
#[divan::bench(args = SIZES, sample_count = 5)]
fn schedule(bencher: divan::Bencher, n: usize) {
    let p = portfolio(n);
    let network = graph::build(&p).unwrap_or_else(|_| panic!("no cycles"));
    bencher.bench_local(|| {
        let calendars = calendar::build_all(&p.calendars);
        schedule::compute(&p, &network, &calendars)
    });
}

/// Money by month and financial year for the portfolio and by year for each project, programme
/// and theme, as `finance`, `export`, `diff` and `risk` profile it.
#[divan::bench(args = SIZES, sample_count = 5)]
fn finance(bencher: divan::Bencher, n: usize) {
    let p = portfolio(n);
    let network = graph::build(&p).unwrap_or_else(|_| panic!("no cycles"));
    let calendars = calendar::build_all(&p.calendars);
    let (s, _) = schedule::compute(&p, &network, &calendars);
    bencher.bench_local(|| finance::profile_with(&p, &s, &calendars, Detail::ProjectYearsOnly));
}

/// The portfolio's money and its targets and budgets only, as `check` and `schedule` profile it.
#[divan::bench(args = SIZES, sample_count = 5)]
fn finance_checks_only(bencher: divan::Bencher, n: usize) {
    let p = portfolio(n);
    let network = graph::build(&p).unwrap_or_else(|_| panic!("no cycles"));
    let calendars = calendar::build_all(&p.calendars);
    let (s, _) = schedule::compute(&p, &network, &calendars);
    bencher.bench_local(|| finance::profile_with(&p, &s, &calendars, Detail::ChecksOnly));
}

/// `schedule --format json`'s text.
#[divan::bench(args = SIZES, sample_count = 5)]
fn json_output(bencher: divan::Bencher, n: usize) {
    let p = portfolio(n);
    let (analysis, _) = analyse(&p, Detail::ProjectYearsOnly);
    let analysis = analysis.unwrap_or_else(|| panic!("the generated plan schedules"));
    bencher.bench_local(|| report::schedule_json(&p, &analysis.schedule, false));
}

/// Everything `tranche schedule --format json` does in memory, end to end.
#[divan::bench(args = SIZES, sample_count = 5)]
fn whole_schedule_json(bencher: divan::Bencher, n: usize) {
    let text = text(n);
    bencher.bench_local(|| {
        let p = model::validate(load(&text))
            .0
            .unwrap_or_else(|| panic!("validates"));
        let (analysis, _) = analyse(&p, Detail::ChecksOnly);
        let analysis = analysis.unwrap_or_else(|| panic!("schedules"));
        report::schedule_json(&p, &analysis.schedule, false).len()
    });
}

/// The schedule-quality lints `check` runs on a plan that holds together.
#[divan::bench(args = SIZES, sample_count = 5)]
fn lint(bencher: divan::Bencher, n: usize) {
    let p = portfolio(n);
    let (analysis, _) = analyse(&p, Detail::ChecksOnly);
    let analysis = analysis.unwrap_or_else(|| panic!("the generated plan schedules"));
    bencher.bench_local(|| tranche::lint::check(&p, &analysis).len());
}

/// Everything `tranche check` does in memory, end to end (no diagnostics to render: the
/// generated plan is clean).
#[divan::bench(args = SIZES, sample_count = 5)]
fn whole_check(bencher: divan::Bencher, n: usize) {
    let text = text(n);
    bencher.bench_local(|| {
        let p = model::validate(load(&text))
            .0
            .unwrap_or_else(|| panic!("validates"));
        let (analysis, diagnostics) = analyse(&p, Detail::ChecksOnly);
        let analysis = analysis.unwrap_or_else(|| panic!("schedules"));
        diagnostics.len() + tranche::lint::check(&p, &analysis).len()
    });
}

/// Twenty teams of 3 to 12 people; every project needs 1 or 2 people of one of them
/// (deterministic: by its number), so the unlevelled plan is heavily over-allocated.
fn with_teams(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with("portfolio ") {
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix("project p") {
            let i: usize = rest
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            out.push_str(&format!("    needs t{} {}\n", i % 20, 1 + i % 2));
        }
    }
    for t in 0..20 {
        out.push_str(&format!("team t{t} {{\n  size {}\n}}\n", 3 + t % 10));
    }
    out
}

/// The schedule levelled to twenty teams (`schedule::compute_levelled`, which schedules once
/// without levelling for the float that orders the work, then levels): issue 20's target is
/// 10,000 projects within a second.
#[divan::bench(args = [1_000, 10_000], sample_count = 5)]
fn level(bencher: divan::Bencher, n: usize) {
    let p = model::validate(load(&with_teams(&text(n))))
        .0
        .unwrap_or_else(|| panic!("the generated plan with teams validates"));
    let network = graph::build(&p).unwrap_or_else(|_| panic!("no cycles"));
    let calendars = calendar::build_all(&p.calendars);
    bencher.bench_local(|| {
        schedule::compute_levelled(&p, &network, &calendars)
            .0
            .finish
    });
}
