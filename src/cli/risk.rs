//! `tranche risk FILE`: the Monte Carlo simulation of the plan's schedule and savings.
//! Reads the plan, runs `risk::simulate` with a progress bar on a terminal, prints the summary.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Context, Exit, Outcome, Prepared};
use crate::model::RiskDistribution;
use crate::report::risk_render as render;
use crate::risk;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    /// How many times to sample the plan (1 to 1,000,000).
    #[arg(long, default_value_t = risk::DEFAULT_ITERATIONS,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub iterations: u32,
    /// The random seed: the same seed gives the same results, on any number of threads.
    #[arg(long, default_value_t = risk::DEFAULT_SEED)]
    pub seed: u64,
    /// The distribution of three-point estimates; overrides the plan's `risk distribution`
    /// (Beta-PERT when neither says).
    #[arg(long, value_enum)]
    pub distribution: Option<RiskDistribution>,
    #[arg(long, value_enum, default_value_t = render::Format::Table)]
    pub format: render::Format,
}

/// Runs below this many iterations finish too fast for a bar to help.
const BAR_FROM: u32 = 2_000;

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare(&args.file, crate::finance::Detail::ProjectYearsOnly)?;
    let summary = simulate(&prepared, args.iterations, args.seed, args.distribution);
    std::io::stdout().write_all(render::render(&summary, args.format).as_bytes())?;
    Ok(Exit::Success)
}

/// Runs the simulation of a prepared plan, with a progress bar on a terminal for long runs;
/// `distribution` overrides the plan's `risk distribution`. Shared with `tranche report --risk`.
pub(crate) fn simulate(
    prepared: &Prepared,
    iterations: u32,
    seed: u64,
    distribution: Option<RiskDistribution>,
) -> risk::RiskSummary {
    let Prepared {
        portfolio,
        analysis,
        ..
    } = prepared;
    let options = risk::Options {
        iterations,
        seed,
        distribution: match (distribution, portfolio.risk_distribution) {
            (Some(RiskDistribution::Pert), _) | (None, None | Some(RiskDistribution::Pert)) => {
                risk::Distribution::Pert
            }
            (Some(RiskDistribution::Triangular), _)
            | (None, Some(RiskDistribution::Triangular)) => risk::Distribution::Triangular,
        },
        register: risk::Register::Mitigated,
    };
    let bar = if iterations >= BAR_FROM && std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(
            Some(u64::from(iterations)),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            ProgressStyle::with_template("simulating {bar:30} {pos}/{len} iterations ({eta})")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let summary = risk::simulate(
        portfolio,
        &analysis.network,
        &analysis.calendars,
        &options,
        &|n| bar.inc(n),
    );
    bar.finish_and_clear();
    summary
}
