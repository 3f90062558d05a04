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
    /// Also run the plan without each risk's mitigation, on the same random numbers, and show
    /// what each mitigation buys: the change in P80 finish, P80 cost and the chance of each
    /// savings target, against its cost.
    #[arg(long)]
    pub compare_mitigations: bool,
    /// Level the plan first, and every iteration's schedule to the teams (`--level`); with
    /// `--level=budget` the moves that fit the budgets are made once, on the plan as written.
    #[command(flatten)]
    pub level: super::Level,
}

/// What a simulation is asked for: iterations, seed, the distribution (`None`: the plan's) and
/// whether each iteration is levelled to the teams.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub iterations: u32,
    pub seed: u64,
    pub distribution: Option<RiskDistribution>,
    pub level: bool,
}

/// Runs below this many iterations finish too fast for a bar to help.
const BAR_FROM: u32 = 2_000;

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let level = args.level.mode();
    let prepared =
        ctx.prepare_levelled(&args.file, crate::finance::Detail::ProjectYearsOnly, level)?;
    let run = Run {
        iterations: args.iterations,
        seed: args.seed,
        distribution: args.distribution,
        level: level != crate::analysis::Level::Off,
    };
    let out = if args.compare_mitigations {
        render::render_comparison(&compare(&prepared, run), args.format)
    } else {
        render::render(&simulate(&prepared, run), args.format)
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(Exit::Success)
}

/// The options of a run: the distribution from `--distribution`, else the plan's.
pub(crate) fn options(
    portfolio: &crate::model::Portfolio,
    run: Run,
    register: risk::Register,
) -> risk::Options {
    risk::Options {
        iterations: run.iterations,
        seed: run.seed,
        distribution: match (run.distribution, portfolio.risk_distribution) {
            (Some(RiskDistribution::Pert), _) | (None, None | Some(RiskDistribution::Pert)) => {
                risk::Distribution::Pert
            }
            (Some(RiskDistribution::Triangular), _)
            | (None, Some(RiskDistribution::Triangular)) => risk::Distribution::Triangular,
        },
        register,
        level: run.level,
    }
}

/// A progress bar on a terminal for runs of `total` iterations long enough to want one.
fn bar(total: u64) -> ProgressBar {
    if total >= u64::from(BAR_FROM) && std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("simulating {bar:30} {pos}/{len} iterations ({eta})")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    }
}

/// `--compare-mitigations`: the plan as written and once without each mitigation.
fn compare(prepared: &Prepared, run: Run) -> risk::Comparison {
    let Prepared {
        portfolio,
        analysis,
        ..
    } = prepared;
    let options = options(portfolio, run, risk::Register::Mitigated);
    let runs = 1 + risk::mitigated_risks(portfolio).len() as u64;
    with_bar(u64::from(run.iterations) * runs, |progress| {
        risk::compare_mitigations(
            portfolio,
            &analysis.network,
            &analysis.calendars,
            &options,
            progress,
        )
    })
}

/// Runs `work` with a progress bar of `len` iterations (hidden off a terminal and for short
/// runs), cleared when it is done.
fn with_bar<T>(len: u64, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T) -> T {
    let bar = bar(len);
    let out = work(&|n| bar.inc(n));
    bar.finish_and_clear();
    out
}

/// Runs the simulation of a prepared plan, with a progress bar on a terminal for long runs;
/// `distribution` overrides the plan's `risk distribution`. Shared with `tranche report --risk`.
pub(crate) fn simulate(prepared: &Prepared, run: Run) -> risk::RiskSummary {
    simulate_with(prepared, run, risk::Register::Mitigated)
}

/// [`simulate`] with the register as given (`tranche report --risk` also runs the plan
/// without its events, for the P50 and P80 with and without them).
pub(crate) fn simulate_with(
    prepared: &Prepared,
    run: Run,
    register: risk::Register,
) -> risk::RiskSummary {
    let Prepared {
        portfolio,
        analysis,
        ..
    } = prepared;
    let options = options(portfolio, run, register);
    with_bar(u64::from(run.iterations), |progress| {
        risk::simulate(
            portfolio,
            &analysis.network,
            &analysis.calendars,
            &options,
            progress,
        )
    })
}
