//! `tranche report FILE --format md|html|json [-o OUT] [--risk [--iterations N] [--seed S]]
//! [--trend [REV_RANGE]]`: the committee report, with its risk and trend sections when asked.

use std::path::PathBuf;

use super::{Context, Outcome, Prepared, Stop};
use crate::model::RiskDistribution;
use crate::report::text::MoneyScale;
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
    /// How money is shown in Markdown and HTML: `thousands` (`£2,219k`), `millions` (`£2.2m`)
    /// or `pounds` (to the penny); overrides the plan's `report money` (thousands when neither
    /// says). JSON keeps exact pence.
    #[arg(long, value_enum)]
    pub money: Option<MoneyScale>,
    /// Open with what changed since the previous report: the plan as it was at this git
    /// revision (`--since HEAD~1`, `--since v2021-q1`).
    #[arg(long, value_name = "REV", conflicts_with = "previous")]
    pub since: Option<String>,
    /// Open with what changed since the previous report, read from this file.
    #[arg(long, value_name = "OLD")]
    pub previous: Option<PathBuf>,
    /// Add the milestone trend from git, as `tranche trend` reads it: `--trend` for every
    /// commit that touched the plan, `--trend main~8..main` for a range.
    #[arg(long, value_name = "REV_RANGE", num_args = 0..=1, default_missing_value = "")]
    pub trend: Option<String>,
    /// Add the options section: each scenario against the baseline option, as `tranche
    /// options` shows them, and the best selection of projects, as `tranche select` does.
    #[arg(long)]
    pub options: bool,
    #[command(flatten)]
    pub level: super::Level,
    /// Write the report again each time the plan or a file it includes is saved, until
    /// Ctrl-C (needs -o; a browser with the page open shows the new one when refreshed).
    #[arg(long, requires = "output")]
    pub watch: bool,
    /// With --watch: serve the report on this port of 127.0.0.1, in a page that reloads it
    /// each time it is written again.
    #[arg(long, value_name = "PORT", requires = "watch")]
    pub serve: Option<u16>,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    if let (true, Some(output)) = (args.watch, &args.output) {
        return super::watch::watch(&args.file, ctx, output, args.serve, || write(args, ctx));
    }
    write(args, ctx)
}

/// Builds the report and writes it once.
fn write(args: &Args, ctx: &Context) -> Outcome {
    // The report shows money by year for the portfolio and by theme, never a project's own
    // profile: the projects' money goes into the groups and is let go as it is added up, which
    // at 100,000 projects is 40 MB off the report's peak (docs/limits.md). With a missed target
    // the projects are kept (they name the largest contributors) and let go here.
    let mut prepared = ctx.prepare_levelled(
        &args.file,
        crate::finance::Detail::GroupsOnly,
        args.level.mode(),
    )?;
    prepared.analysis.finance.projects = Vec::new();
    // The report is as of the status date: "next quarter" and "missed" are counted from it.
    let as_of = prepared
        .portfolio
        .status_date
        .unwrap_or(prepared.portfolio.start);
    // The whole truth: every warning `check` gives, its schedule-quality lints included.
    let mut findings = prepared.diagnostics.clone();
    findings.extend(crate::lint::check(&prepared.portfolio, &prepared.analysis));
    crate::diagnostic::sort(&mut findings);
    // The sections that need the whole analysis are worked out first, so that what the view
    // does not read (the network, the schedule's trace) is let go before it is built.
    // The simulation runs only when asked: without --risk the report is as it always was.
    let risk = args.risk.then(|| {
        let run = super::risk::Run {
            iterations: args.iterations,
            seed: args.seed,
            distribution: args.distribution,
            level: args.level.mode() != crate::analysis::Level::Off,
        };
        let summary = super::risk::simulate(&prepared, run);
        // With a RAID log that the simulation draws, the same run without its events, so the
        // Board sees what the register adds to the P50 and P80.
        let without = (!summary.events.is_empty())
            .then(|| super::risk::simulate_with(&prepared, run, crate::risk::Register::Off));
        (summary, without)
    });
    let options = if args.options {
        Some(options_section(args, ctx, &prepared)?)
    } else {
        None
    };
    let since = since(args, ctx, &prepared)?;
    let trend = match &args.trend {
        None => None,
        Some(range) => {
            let history = super::trend::History {
                file: &args.file,
                range: Some(range.as_str()).filter(|r| !r.is_empty()),
                every_commit: false,
                items: None,
            };
            let (trend, _) = super::trend::read(&history, ctx)?.map_err(Stop::Trouble)?;
            Some(trend)
        }
    };
    // Bound by name and dropped: the fields a `..` pattern leaves would live to the end of the
    // function, and an analysis that grows a field must be placed here.
    let Prepared {
        portfolio,
        analysis,
        sources,
        diagnostics,
    } = prepared;
    let crate::analysis::Analysis {
        network,
        calendars,
        schedule,
        trace,
        load,
        finance,
    } = analysis;
    // The sources serve only to place the findings: placed, they go too (the plan's text).
    let findings = view::findings(&findings, &finance.diagnostics, Some(&sources));
    drop((diagnostics, network, trace, sources));
    let report = view::build_with_findings(&portfolio, &schedule, &finance, findings, as_of);
    // How the Markdown and HTML show money (the JSON keeps exact pence): the command line
    // over the plan's `report money`, which `view::build` has applied.
    let report = view::Report {
        money: args.money.unwrap_or(report.money),
        since,
        trend,
        options,
        ..report
    };
    let report = report.with_capacity(&portfolio, &load, &calendars);
    let report = report.with_benefits(&portfolio, &schedule, &calendars, &finance);
    let report = match &risk {
        None => report,
        Some((summary, None)) => report.with_risk(summary),
        Some((summary, Some(without))) => report
            .with_risk(summary)
            .with_events_effect(summary, without),
    };
    // The view holds all it shows: the plan and its analysis are let go before the text is
    // made, so the two are never in memory together, and the text is written as it is made,
    // never held whole (at 100,000 projects these were most of the report's peak;
    // docs/limits.md).
    drop((portfolio, schedule, finance, load, calendars, risk));
    Ok(super::output::deliver_with(
        args.output.as_deref(),
        &mut |out| crate::report::write_report(&report, args.format, out),
    )?)
}

/// The options section (`--options`): the plan read again as a tree to apply its scenarios
/// (the prepared plan is validated, and validation takes the tree apart), compared as
/// `tranche options` compares, and the selection of the prepared plan.
fn options_section(
    args: &Args,
    ctx: &Context,
    prepared: &Prepared,
) -> Result<view::OptionsSection, Stop> {
    let mut sources = crate::diagnostic::SourceMap::new();
    let plan = match crate::source::load_with_includes(
        &args.file,
        &super::StdFs,
        &mut sources,
        ctx.includes,
    ) {
        Ok((plan, _)) => plan,
        Err(diagnostic) => {
            ctx.print_diagnostics(&mut [diagnostic], &sources)?;
            return Err(Stop::Exit(super::Exit::Trouble));
        }
    };
    let compared = crate::options::compare(
        &plan,
        None,
        ctx.options(crate::finance::Detail::ProjectYearsOnly),
        &|_, _| None,
    );
    let comparison = match compared {
        Ok(comparison) => comparison,
        Err(crate::options::Failure::Invalid {
            option,
            mut diagnostics,
        }) => {
            let exit = super::options::invalid_option(ctx, &option, &mut diagnostics, &sources)?;
            return Err(Stop::Exit(exit));
        }
        // Every scenario is asked for, so none can be unknown.
        Err(crate::options::Failure::Unknown { .. }) => {
            return Err(Stop::Exit(super::Exit::Trouble));
        }
    };
    let selection = crate::select::select(
        &prepared.portfolio,
        &prepared.analysis,
        crate::select::Budgets::Both,
    );
    Ok(view::OptionsSection {
        comparison,
        selection,
    })
}

/// What changed since the previous report, when asked (`--since REV` or `--previous OLD`): read
/// and analysed as `diff` reads its old version, then compared with this one.
fn since(
    args: &Args,
    ctx: &Context,
    prepared: &Prepared,
) -> Result<Option<crate::report::since::Since>, Stop> {
    let mut sources = crate::diagnostic::SourceMap::new();
    let (old, previous) = match (&args.since, &args.previous) {
        (Some(rev), _) => {
            let git = super::git::GitFs::at(rev, &args.file)?.map_err(Stop::Trouble)?;
            let old = super::diff::load(&args.file, &git, &mut sources, ctx, args.level.mode())?;
            (old, rev.clone())
        }
        (None, Some(path)) => {
            let old = super::diff::load(path, &super::StdFs, &mut sources, ctx, args.level.mode())?;
            (old, path.display().to_string())
        }
        (None, None) => return Ok(None),
    };
    let (portfolio, analysis) = old.map_err(Stop::Exit)?;
    let old = crate::diff::Version {
        portfolio: &portfolio,
        analysis: &analysis,
    };
    let new = crate::diff::Version {
        portfolio: &prepared.portfolio,
        analysis: &prepared.analysis,
    };
    let diff = crate::diff::compare(old, new);
    Ok(Some(crate::report::since::build(
        old, new, &diff, &previous,
    )))
}
