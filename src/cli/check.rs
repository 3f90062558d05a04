//! `tranche check FILE...`: validate plans for people and for CI.

use std::io::Write;
use std::path::PathBuf;

use super::{Deny, DiagnosticFormat, Exit, plural};
use crate::diagnostic::{Code, Severity, SourceMap};
use crate::model::Portfolio;

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

pub(crate) fn run(
    args: &Args,
    color: bool,
    includes: crate::source::Includes,
) -> std::io::Result<Exit> {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut counts = Counts::default();
    let mut unreadable = false;
    for file in &args.files {
        let loaded = super::load(file, &super::StdFs, &mut sources, includes);
        unreadable |= loaded.unreadable;
        let errors_before = loaded.diagnostics.iter().any(|d| d.is_error());
        diagnostics.extend(loaded.diagnostics);
        if let Some(portfolio) = &loaded.portfolio {
            counts.add(portfolio);
            // Cycles, missed deadlines, missed savings targets and overspent budgets are found
            // by scheduling and profiling the plan: CI must fail on them too.
            let (analysis, more) =
                crate::analysis::analyse(portfolio, crate::finance::Detail::ChecksOnly);
            // Missed deadlines, targets and budgets are verdicts on a plan that holds together
            // (W108 explains a missed deadline); a schedule past the calendar is not.
            let more_has_errors = more.iter().any(|d| d.code == Code::E071BeyondCalendar);
            diagnostics.extend(more);
            // Schedule-quality lints: warnings, failures only with `--deny warnings`. They
            // judge a plan that holds together, so a plan that does not validate gets its
            // errors alone.
            let has_errors = errors_before || more_has_errors;
            if let (Some(analysis), false) = (&analysis, has_errors) {
                diagnostics.extend(crate::lint::check(portfolio, analysis));
            }
        }
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    super::emit_diagnostics(&mut diagnostics, &sources, args.format, color)?;
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
                if counts.dependencies == 1 {
                    "1 dependency".to_string()
                } else {
                    format!("{} dependencies", counts.dependencies)
                },
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
    }
    Ok(if unreadable {
        Exit::Trouble
    } else if errors > 0 || (warnings > 0 && args.deny == Some(Deny::Warnings)) {
        Exit::Failure
    } else {
        Exit::Success
    })
}
