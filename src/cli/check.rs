//! `tranche check FILE...`: validate plans for people and for CI.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use super::{Context, Deny, DiagnosticFormat, Exit, Outcome, plural};
use crate::diagnostic::{Code, Severity, SourceMap};
use crate::finance::Detail;
use crate::model::Portfolio;
use crate::source;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Portfolio files to check (each with the files it includes).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// `--deny warnings`: fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
}

/// Counts for the summary line.
#[derive(Debug, Default)]
struct Counts {
    validated: usize,
    projects: usize,
    milestones: usize,
    dependencies: usize,
}

impl Counts {
    fn add(&mut self, portfolio: &Portfolio) {
        self.validated += 1;
        self.projects += portfolio.projects.len();
        self.milestones += portfolio.milestones.len();
        self.dependencies += portfolio
            .projects
            .iter()
            .map(|p| p.dependencies.len())
            .sum::<usize>()
            + portfolio
                .milestones
                .iter()
                .map(|m| m.dependencies.len())
                .sum::<usize>();
    }
}

/// How many warnings each code gave, most first (then in code order).
fn warnings_by_code(diagnostics: &[crate::diagnostic::Diagnostic]) -> Vec<(Code, usize)> {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        *counts.entry(d.code).or_default() += 1;
    }
    let mut counts: Vec<(Code, usize)> = counts.into_iter().collect();
    // Stable: equal counts stay in code order.
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    counts
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut counts = Counts::default();
    let mut unreadable = false;
    // Cycles, missed deadlines, missed savings targets and overspent budgets are found by
    // scheduling and profiling the plan: CI must fail on them too. Schedule-quality lints are
    // warnings, failures only with `--deny warnings`.
    let options = source::Options {
        includes: ctx.includes,
        detail: Detail::ChecksOnly,
        lints: true,
        level: crate::analysis::Level::Off,
    };
    for file in &args.files {
        let analysed = source::analyse_files(&super::StdFs, file, &mut sources, options);
        unreadable |= analysed.unreadable;
        if let Some(portfolio) = &analysed.portfolio {
            counts.add(portfolio);
        }
        diagnostics.extend(analysed.diagnostics);
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let by_code = warnings_by_code(&diagnostics);
    // The exit is decided by what was found, whoever reads the output, and for how long.
    super::output::reader_may_stop(super::emit_diagnostics(
        &mut diagnostics,
        &sources,
        args.format,
        ctx.color,
    ))?;
    if args.format == DiagnosticFormat::Human {
        let what = if args.files.len() == 1 {
            args.files[0].display().to_string()
        } else {
            plural(args.files.len(), "plan")
        };
        // Counts are only known for plans that validated; a plan with errors says less.
        let counts = if counts.validated > 0 {
            format!(
                "{}, {}, {}; ",
                plural(counts.projects, "project"),
                plural(counts.milestones, "milestone"),
                crate::diagnostic::count::count(counts.dependencies, "dependency", "dependencies"),
            )
        } else {
            String::new()
        };
        writeln!(
            std::io::stderr(),
            "checked {what}: {counts}{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning"),
        )?;
        // The shape of the warnings at a glance: which lint fired how often.
        let width = by_code.first().map_or(0, |(_, n)| n.to_string().len());
        for (code, n) in &by_code {
            writeln!(
                std::io::stderr(),
                "  {n:>width$} {} {}",
                code.as_str(),
                code.title()
            )?;
        }
    }
    Ok(if unreadable {
        Exit::Trouble
    } else if errors > 0 || (warnings > 0 && args.deny == Some(Deny::Warnings)) {
        Exit::Failure
    } else {
        Exit::Success
    })
}
