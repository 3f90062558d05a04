//! `tranche report FILE --format md|html|json [-o OUT]`: the committee report.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, Prepared};
use crate::report::view::{self, ReportFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown that pastes into a committee paper (tables; Gantt as a Mermaid block).
    Md,
    /// One self-contained HTML page with a Gantt chart and a savings chart.
    Html,
    /// The report's view model (schema in docs/report.md).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write the report to this file (whole or not at all) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub(crate) fn run(
    args: &Args,
    color: bool,
    includes: crate::source::Includes,
) -> std::io::Result<Exit> {
    // Every project's monthly money is kept: the report's charts are drawn from it.
    let prepared = match super::prepare(&args.file, color, crate::finance::Detail::Full, includes)?
    {
        Ok(prepared) => prepared,
        Err(exit) => return Ok(exit),
    };
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
    let format = match args.format {
        Format::Md => ReportFormat::Markdown,
        Format::Html => ReportFormat::Html,
        Format::Json => ReportFormat::Json,
    };
    let text = view::render(&report, format);
    match &args.output {
        None => std::io::stdout().write_all(text.as_bytes())?,
        Some(path) => {
            if let Err(error) = super::write_atomically(path, text.as_bytes()) {
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
