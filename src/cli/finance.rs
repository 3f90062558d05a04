//! `tranche finance FILE`: costs, savings and benefits by financial year (or month).

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, Prepared};
use crate::finance::render::{self, GroupBy, Options};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Project,
    Programme,
    Theme,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also show each project, programme or theme.
    #[arg(long, value_enum)]
    pub by: Option<By>,
    /// Months instead of financial years.
    #[arg(long)]
    pub monthly: bool,
}

pub(crate) fn run(
    args: &Args,
    color: bool,
    includes: crate::source::Includes,
) -> std::io::Result<Exit> {
    // Each project's months are kept only when they will be shown.
    let detail = if args.monthly && args.by == Some(By::Project) {
        crate::finance::Detail::Full
    } else {
        crate::finance::Detail::ProjectYearsOnly
    };
    let prepared = match super::prepare(&args.file, color, detail, includes)? {
        Ok(prepared) => prepared,
        Err(exit) => return Ok(exit),
    };
    let Prepared { analysis, .. } = &prepared;
    let options = Options {
        format: match args.format {
            Format::Table => render::Format::Table,
            Format::Json => render::Format::Json,
            Format::Csv => render::Format::Csv,
        },
        by: args.by.map(|by| match by {
            By::Project => GroupBy::Project,
            By::Programme => GroupBy::Programme,
            By::Theme => GroupBy::Theme,
        }),
        monthly: args.monthly,
    };
    std::io::stdout().write_all(render::render(&analysis.finance, &options).as_bytes())?;
    Ok(Exit::Success)
}
