//! `tranche capacity FILE [--monthly] [--format table|csv|json] [--level]`: each team's people
//! against what the plan needs of them.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome};
use crate::capacity::Period;
use crate::finance::Detail;
use crate::report::capacity_render::{self as render, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Months instead of financial years.
    #[arg(long)]
    pub monthly: bool,
    #[command(flatten)]
    pub level: super::Level,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare_levelled(&args.file, Detail::ChecksOnly, args.level.mode())?;
    let period = if args.monthly {
        Period::Month
    } else {
        Period::Year
    };
    let analysis = &prepared.analysis;
    let text = render::render(
        &prepared.portfolio,
        &analysis.load,
        &analysis.calendars,
        period,
        args.format,
    );
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(Exit::Success)
}
