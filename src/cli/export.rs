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
    #[command(flatten)]
    pub level: super::Level,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare_levelled(
        &args.file,
        crate::finance::Detail::ProjectYearsOnly,
        args.level.mode(),
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
