//! `tranche report FILE --format md|html|json [-o OUT] [--risk [--iterations N] [--seed S]]`:
//! the committee report, with its risk section when asked.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome, Prepared};
use crate::model::RiskDistribution;
use crate::report::view::{self, ReportFormat};
use crate::risk;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to this file (whole or not at all) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Add the risk section: a Monte Carlo simulation of the plan, as `tranche risk` runs it
    /// (finish-date S-curve, chance of each deadline and target, NPV spread, tornado chart).
    #[arg(long)]
    pub risk: bool,
    /// With --risk: how many times to sample the plan (1 to 1,000,000).
    #[arg(long, default_value_t = risk::DEFAULT_ITERATIONS, requires = "risk",
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub iterations: u32,
    /// With --risk: the random seed; the same seed gives the same report.
    #[arg(long, default_value_t = risk::DEFAULT_SEED, requires = "risk")]
    pub seed: u64,
    /// With --risk: the distribution of three-point estimates; overrides the plan's
    /// `risk distribution` (Beta-PERT when neither says).
    #[arg(long, value_enum, requires = "risk")]
    pub distribution: Option<RiskDistribution>,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    // The report shows money by year for the portfolio and by theme, never a project's
    // months: they are not worked out.
    let prepared = ctx.prepare(&args.file, crate::finance::Detail::ProjectYearsOnly)?;
    let Prepared {
        portfolio,
        analysis,
        diagnostics,
        sources,
    } = &prepared;
    // The report is as of the status date: "next quarter" and "missed" are counted from it.
    let as_of = portfolio.status_date.unwrap_or(portfolio.start);
    let report = view::build(
        portfolio,
        &analysis.schedule,
        &analysis.finance,
        diagnostics,
        Some(sources),
        as_of,
    );
    // The simulation runs only when asked: without --risk the report is as it always was.
    let report = if args.risk {
        let summary =
            super::risk::simulate(&prepared, args.iterations, args.seed, args.distribution);
        report.with_risk(&summary)
    } else {
        report
    };
    let text = view::render(&report, args.format);
    match &args.output {
        None => std::io::stdout().write_all(text.as_bytes())?,
        Some(path) => {
            if let Err(error) = super::output::write_file(path, text.as_bytes()) {
                writeln!(
                    std::io::stderr(),
                    "error: cannot write `{}`: {error}",
                    path.display()
                )?;
                return Ok(Exit::Trouble);
            }
        }
    }
    Ok(Exit::Success)
}
