//! Benchmark of `tranche risk` (issue 8): 10,000 iterations of the example portfolio
//! (portfolios/children-and-families.tranche), the figure docs/benchmarks.md reports.
//! Run with `cargo bench --bench risk`; `cargo test` does not run it.

use std::path::Path;

use tranche::analysis::analyse;
use tranche::diagnostic::SourceMap;
use tranche::finance::Detail;
use tranche::model::{self, Portfolio};
use tranche::risk::{self, Options};
use tranche::source;

fn main() {
    divan::main();
}

fn example() -> Portfolio {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("portfolios/children-and-families.tranche");
    let mut sources = SourceMap::new();
    let (plan, _) = source::load(&path, &tranche::cli::StdFs, &mut sources)
        .unwrap_or_else(|d| panic!("the example portfolio loads: {}", d.message));
    model::validate(plan)
        .0
        .unwrap_or_else(|| panic!("the example portfolio validates"))
}

/// The whole simulation as `tranche risk` runs it, on rayon's default pool (every core).
#[divan::bench(sample_count = 5)]
fn example_10k_iterations(bencher: divan::Bencher) {
    let portfolio = example();
    let (analysis, _) = analyse(&portfolio, Detail::ProjectYearsOnly);
    let analysis = analysis.unwrap_or_else(|| panic!("the example portfolio schedules"));
    let options = Options {
        iterations: 10_000,
        ..Options::default()
    };
    bencher.bench_local(|| {
        risk::simulate(
            &portfolio,
            &analysis.network,
            &analysis.calendars,
            &options,
            &|_| {},
        )
    });
}
