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
    // Only the workbook keeps money by project; the CSV works out each project's as it
    // writes its row, and the others need no more of the finance than `check` works out (its
    // checks), which at 100,000 projects is 45 MB less.
    let detail = match args.format {
        Format::Xlsx => crate::finance::Detail::ProjectYearsOnly,
        Format::Csv | Format::Mspdi | Format::Mermaid | Format::Dot | Format::Ical => {
            crate::finance::Detail::ChecksOnly
        }
    };
    let prepared = ctx.prepare_levelled(&args.file, detail, args.level.mode())?;
    let (portfolio, analysis) = (&prepared.portfolio, &prepared.analysis);
    // Every text format is streamed as it is made (the XML is as large as the plan itself,
    // the others a line or more a project); only the workbook is made whole.
    if args.format != Format::Xlsx {
        let format = args.format;
        return Ok(super::output::deliver_with(
            args.output.as_deref(),
            &mut |out| export::write_text(portfolio, analysis, format, out),
        )?);
    }
    let bytes = export::export_with(
        &prepared.portfolio,
        &prepared.analysis,
        args.format,
        &prepared.diagnostics,
        Some(&prepared.sources),
    );
    match bytes {
        Ok(bytes) => Ok(super::output::deliver(args.output.as_deref(), &bytes)?),
        Err(message) => Err(super::Stop::Trouble(message)),
    }
}
