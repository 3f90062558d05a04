//! `tranche raid FILE`: the RAID log on its own, for the programme office: the register scored
//! and sorted, and its heat map.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome};
use crate::report::raid_view::{self, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare(&args.file, crate::finance::Detail::ChecksOnly)?;
    let section = raid_view::build(&prepared.portfolio);
    let out = raid_view::render(section.as_ref(), args.format);
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(Exit::Success)
}
