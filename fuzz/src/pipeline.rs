//! The whole tranche pipeline on plans held in memory, for the fuzz targets and for
//! tests/fuzz_corpus.rs (which includes this file with `#[path]`, so CI replays the corpus
//! through exactly the code the fuzzer ran).
//!
//! Input: a set of files by name (the first is the root). Output: nothing; it panics when an
//! invariant breaks: a stage panicked, the formatter's output does not re-parse or is not
//! idempotent, or a renderer gave different bytes for the same input.
//!
//! Invariant: no file system, no clock; every path goes through [`memory_fs`].

use std::path::Path;

use tranche::diagnostic::{Diagnostic, SourceMap, render};
use tranche::finance::Detail;
use tranche::model::{ItemId, MilestoneId, ProgrammeId, ProjectId};
use tranche::report::{self, ScheduleFormat, view};
use tranche::source::{self, MemoryFs};

/// Where the in-memory portfolio folder sits.
const ROOT_DIR: &str = "/plans";

/// The plan's files in the library's in-memory file system, under [`ROOT_DIR`] (so includes,
/// cycles and `..` resolve as they would on disk).
pub fn memory_fs(files: &[(&str, &[u8])]) -> MemoryFs {
    files.iter().fold(MemoryFs::new(), |fs, (name, bytes)| {
        fs.with(Path::new(ROOT_DIR).join(name), bytes)
    })
}

/// Splits fuzzer bytes into files: the parts between lines `%%%` are `plan.tranche`,
/// `a.tranche`, `b.tranche`, `sub/c.tranche` (so includes, cycles and `..` can be reached).
pub fn split_files(data: &[u8]) -> Vec<(&'static str, &[u8])> {
    const NAMES: [&str; 4] = ["plan.tranche", "a.tranche", "b.tranche", "sub/c.tranche"];
    let mut files = Vec::new();
    let mut rest = data;
    for (i, name) in NAMES.iter().enumerate() {
        let cut = if i + 1 < NAMES.len() {
            rest.windows(5).position(|w| w == b"\n%%%\n")
        } else {
            None
        };
        match cut {
            Some(at) => {
                files.push((*name, &rest[..at]));
                rest = &rest[at + 5..];
            }
            None => {
                files.push((*name, rest));
                break;
            }
        }
    }
    files
}

/// Renders diagnostics in every format (each must not panic).
fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let mut sorted = diagnostics.to_vec();
    tranche::diagnostic::sort(&mut sorted);
    for format in [
        render::Format::Human { color: false },
        render::Format::Human { color: true },
        render::Format::Json,
        render::Format::Github,
    ] {
        let _ = render::render(&sorted, sources, format);
    }
}

/// The formatter must give text that parses without errors and formats to itself.
fn check_format(text: &str) {
    let file = tranche::diagnostic::FileId(0);
    let Ok(once) = tranche::fmt::format_source(file, text) else {
        return;
    };
    match tranche::fmt::format_source(file, &once) {
        Ok(twice) => assert_eq!(
            once, twice,
            "fmt is not idempotent\n--- input\n{text}\n--- once\n{once}\n--- twice\n{twice}"
        ),
        Err(diagnostics) => panic!(
            "fmt output does not parse: {diagnostics:?}\n--- input\n{text}\n--- output\n{once}"
        ),
    }
}

/// Runs every stage and renderer on the plan in `files` (the first is the root).
pub fn run(files: &[(&str, &[u8])]) {
    let Some((root, _)) = files.first() else {
        return;
    };
    let fs = memory_fs(files);
    let mut sources = SourceMap::new();
    // The one way into the pipeline every command takes, lints included.
    let options = source::Options {
        includes: source::Includes::InsideFolder,
        detail: Detail::Full,
        lints: true,
        level: tranche::analysis::Level::Off,
    };
    let analysed = source::analyse_files(&fs, Path::new(root), &mut sources, options);
    for (_, file) in sources.files() {
        check_format(&file.text);
    }
    let diagnostics = analysed.diagnostics;
    render_all(&diagnostics, &sources);
    let (Some(portfolio), Some(analysis)) = (analysed.portfolio, analysed.analysis) else {
        return;
    };
    for format in [
        ScheduleFormat::Table,
        ScheduleFormat::Json,
        ScheduleFormat::Csv,
    ] {
        for critical in [false, true] {
            let first = report::render_schedule(&portfolio, &analysis.schedule, format, critical);
            let again = report::render_schedule(&portfolio, &analysis.schedule, format, critical);
            assert_eq!(first, again, "schedule output differs between runs");
        }
    }
    // Teams: their load in every format and period, and the plan levelled (never earlier
    // than unlevelled, and the same twice).
    for period in [
        tranche::capacity::Period::Year,
        tranche::capacity::Period::Month,
    ] {
        for format in [
            report::capacity_render::Format::Table,
            report::capacity_render::Format::Csv,
            report::capacity_render::Format::Json,
        ] {
            let _ = report::capacity_render::render(
                &portfolio,
                &analysis.load,
                &analysis.calendars,
                period,
                format,
            );
        }
    }
    if !portfolio.teams.is_empty() {
        let levelled = tranche::analysis::analyse_with(&portfolio, Detail::ChecksOnly, true).0;
        let again = tranche::analysis::analyse_with(&portfolio, Detail::ChecksOnly, true).0;
        if let (Some(levelled), Some(again)) = (levelled, again) {
            assert_eq!(
                format!("{:?}", levelled.schedule),
                format!("{:?}", again.schedule),
                "levelling differs between runs"
            );
            for (l, u) in levelled
                .schedule
                .projects
                .iter()
                .zip(&analysis.schedule.projects)
            {
                assert!(
                    l.early_start >= u.early_start,
                    "levelling moved work earlier"
                );
            }
        }
    }
    for format in [
        report::finance_render::Format::Table,
        report::finance_render::Format::Json,
        report::finance_render::Format::Csv,
    ] {
        for by in [
            None,
            Some(report::finance_render::GroupBy::Project),
            Some(report::finance_render::GroupBy::Programme),
            Some(report::finance_render::GroupBy::Theme),
        ] {
            for monthly in [false, true] {
                let options = report::finance_render::Options {
                    format,
                    by,
                    monthly,
                };
                let _ = report::finance_render::render(&analysis.finance, &options);
            }
        }
    }
    let as_of = portfolio.status_date.unwrap_or(portfolio.start);
    let built = view::build(
        &portfolio,
        &analysis.schedule,
        &analysis.finance,
        &diagnostics,
        Some(&sources),
        as_of,
    )
    .with_capacity(&portfolio, &analysis.load, &analysis.calendars);
    for format in [
        view::ReportFormat::Markdown,
        view::ReportFormat::Html,
        view::ReportFormat::Json,
    ] {
        let _ = view::render(&built, format);
    }
    // Explain a few items of each kind (each explanation re-runs the schedule).
    let items = (0..portfolio.projects.len().min(3))
        .map(|i| ItemId::Project(ProjectId(i as u32)))
        .chain(
            (0..portfolio.milestones.len().min(2))
                .map(|i| ItemId::Milestone(MilestoneId(i as u32))),
        )
        .chain(
            (0..portfolio.programmes.len().min(2))
                .map(|i| ItemId::Programme(ProgrammeId(i as u32))),
        );
    for item in items {
        if let Some(explanation) =
            tranche::schedule::explain(&portfolio, &analysis.network, &analysis.schedule, item)
        {
            let _ = report::explain_text(&explanation);
        }
    }
    // A short Monte Carlo run: sampling must not panic on odd ranges either.
    let options = tranche::risk::Options {
        iterations: 8,
        ..tranche::risk::Options::default()
    };
    let summary = tranche::risk::simulate(
        &portfolio,
        &analysis.network,
        &analysis.calendars,
        &options,
        &|_| {},
    );
    for format in [
        tranche::report::risk_render::Format::Table,
        tranche::report::risk_render::Format::Markdown,
        tranche::report::risk_render::Format::Json,
    ] {
        let _ = tranche::report::risk_render::render(&summary, format);
    }
    // The RAID log: the register in every format, and what each mitigation buys (a short run
    // per mitigation), which must not panic on odd registers either.
    let register = tranche::report::raid_view::build(&portfolio);
    for format in [
        tranche::report::raid_view::Format::Table,
        tranche::report::raid_view::Format::Csv,
        tranche::report::raid_view::Format::Json,
        tranche::report::raid_view::Format::Markdown,
    ] {
        let _ = tranche::report::raid_view::render(register.as_ref(), format);
    }
    if !tranche::risk::mitigated_risks(&portfolio).is_empty() {
        let options = tranche::risk::Options {
            iterations: 4,
            ..tranche::risk::Options::default()
        };
        let comparison = tranche::risk::compare_mitigations(
            &portfolio,
            &analysis.network,
            &analysis.calendars,
            &options,
            &|_| {},
        );
        let _ = tranche::report::risk_render::render_comparison(
            &comparison,
            tranche::report::risk_render::Format::Table,
        );
    }
}
