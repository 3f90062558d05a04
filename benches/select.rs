//! Benchmark of `tranche select` (issue 23): the best set of a generated plan of 300 projects
//! under capital budgets that fit about half of its capital, with the efficient frontier; the
//! figure docs/benchmarks.md reports. Run with `cargo bench --bench select`; `cargo test`
//! does not run it.

use std::fmt::Write as _;
use std::path::Path;

use tranche::finance::Detail;
use tranche::select::{self, Budgets};
use tranche::source::{self, MemoryFs};

fn main() {
    divan::main();
}

/// A plan of `n` projects in programmes of ten: each depends on up to two earlier projects of
/// its programme, with capital, a saving, two scores, and a few mandatory; a capital budget in
/// each of five years of about half what the work would spend. Deterministic (a fixed
/// linear congruential sequence), so every run times the same plan.
pub fn plan(n: usize) -> String {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let mut out =
        String::from("portfolio \"Selection benchmark\" {\n  start 2021-04-01\n  end 2026-03-31\n");
    let per_year = n as u64 * 260 / 5 / 2;
    for year in 2021..2026 {
        let _ = writeln!(
            out,
            "  budget capital £{per_year}k in {year}/{:02}",
            (year + 1) % 100
        );
    }
    out.push_str("}\n\ncriteria {\n  strategic 40%\n  deliverability 30%\n  savings 30%\n}\n\n");
    for i in 0..n {
        let _ = writeln!(out, "project p{i} {{");
        let _ = writeln!(out, "  duration {} months", 2 + next(10));
        let in_programme = i % 10;
        let mut predecessors: Vec<usize> = (0..next(3))
            .filter(|_| in_programme > 0)
            .map(|_| i - 1 - next(in_programme as u64) as usize)
            .collect();
        predecessors.sort_unstable();
        predecessors.dedup();
        for p in predecessors {
            let _ = writeln!(out, "  after p{p}");
        }
        if in_programme == 0 {
            let _ = writeln!(out, "  not-before 2021-{:02}-01", 4 + next(9));
        }
        let _ = writeln!(out, "  cost capital £{}k", 20 + next(480));
        let saving = next(300);
        if saving > 0 {
            let _ = writeln!(out, "  saving £{saving}k per year from finish for 3 years");
        }
        let _ = writeln!(
            out,
            "  score strategic {} deliverability {}",
            1 + next(5),
            1 + next(5)
        );
        if i % 97 == 5 {
            out.push_str("  mandatory\n");
        }
        out.push_str("}\n");
    }
    out
}

#[divan::bench(args = [300], sample_count = 5)]
fn select_with_frontier(bencher: divan::Bencher, n: usize) {
    let fs = MemoryFs::single(&plan(n));
    let mut sources = tranche::diagnostic::SourceMap::new();
    let options = source::Options {
        includes: source::Includes::InsideFolder,
        detail: Detail::ProjectYearsOnly,
        lints: false,
        level: tranche::analysis::Level::Off,
    };
    let analysed = source::analyse_files(&fs, Path::new("plan.tranche"), &mut sources, options);
    let (Some(portfolio), Some(analysis)) = (analysed.portfolio, analysed.analysis) else {
        panic!("the generated plan is valid: {:?}", analysed.diagnostics);
    };
    bencher.bench_local(|| {
        let selection = select::select(&portfolio, &analysis, Budgets::Both);
        assert!(selection.best.is_some());
        selection
    });
}
