//! `tranche export FILE --format mspdi|mermaid|dot|csv|ical|xlsx [-o OUT]`.

use std::path::PathBuf;

use super::{Context, Outcome};
use crate::export::{self, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file (whole or not at all) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Level the plan to its teams' capacity: delay work, never bring it forward, until no
    /// team is needed by more people than it has (docs/scheduling.md "Levelling").
    #[arg(long)]
    pub level: bool,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare_levelled(
        &args.file,
        crate::finance::Detail::ProjectYearsOnly,
        args.level,
    )?;
    let bytes = export::export_with(
        &prepared.portfolio,
        &prepared.analysis,
        args.format,
        &prepared.diagnostics,
        Some(&prepared.sources),
    );
    match bytes {
        Ok(bytes) => Ok(super::output::deliver(args.output.as_deref(), &bytes)?),
        Err(message) => {
            use std::io::Write;
            writeln!(std::io::stderr(), "error: {message}")?;
            Ok(super::Exit::Trouble)
        }
    }
}
