//! `tranche export FILE --format mspdi|mermaid|dot|csv|ical [-o OUT]`.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, Prepared};
use crate::export::{self, Format as ExportFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Microsoft Project XML (MSPDI), for MS Project, ProjectLibre and MPXJ.
    Mspdi,
    /// A Mermaid gantt chart.
    Mermaid,
    /// The dependency graph for Graphviz (`dot -Tsvg`).
    Dot,
    /// One row per project with schedule and money, for Excel.
    Csv,
    /// The milestones as iCalendar events.
    Ical,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file (whole or not at all) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub(crate) fn run(
    args: &Args,
    color: bool,
    includes: crate::source::Includes,
) -> std::io::Result<Exit> {
    let prepared = match super::prepare(
        &args.file,
        color,
        crate::finance::Detail::ProjectYearsOnly,
        includes,
    )? {
        Ok(prepared) => prepared,
        Err(exit) => return Ok(exit),
    };
    let Prepared {
        portfolio,
        analysis,
        ..
    } = &prepared;
    let format = match args.format {
        Format::Mspdi => ExportFormat::Mspdi,
        Format::Mermaid => ExportFormat::Mermaid,
        Format::Dot => ExportFormat::Dot,
        Format::Csv => ExportFormat::Csv,
        Format::Ical => ExportFormat::Ical,
    };
    let text = export::export(portfolio, analysis, format);
    match &args.output {
        Some(path) => super::write_atomically(path, text.as_bytes())?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(Exit::Success)
}
