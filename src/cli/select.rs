//! `tranche select FILE`: the projects with the best weighted score that keep every year's
//! budgets (docs/options.md).

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome};
use crate::report::select_render::{self as render, Format};
use crate::select::{self, Budgets};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    /// Which budgets every chosen set must keep.
    #[arg(long, value_enum, default_value_t = Budgets::Both)]
    pub budget: Budgets,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub money: super::Money,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare(&args.file, crate::finance::Detail::ProjectYearsOnly)?;
    let money = args.money.of(&prepared.portfolio);
    let selection = select::select(&prepared.portfolio, &prepared.analysis, args.budget);
    let out = render::render(&selection, money, args.format);
    std::io::stdout().write_all(out.as_bytes())?;
    // A plan whose mandatory work alone breaks a budget has no selection: that is a finding
    // about the plan, as a missed budget is for `check`.
    Ok(if selection.best.is_some() {
        Exit::Success
    } else {
        Exit::Failure
    })
}
