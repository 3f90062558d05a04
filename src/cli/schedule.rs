//! `tranche schedule FILE` and `tranche explain FILE ID`.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, Prepared};
use crate::report::{self, ScheduleFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people, sorted by start.
    Table,
    /// JSON, schema in docs/json.md.
    Json,
    /// One row per item, for spreadsheets.
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only the critical work.
    #[arg(long)]
    pub critical: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The portfolio file.
    pub file: PathBuf,
    /// The project, milestone or programme to explain (`project.milestone` works too).
    pub id: String,
}

pub(crate) fn run(
    args: &Args,
    color: bool,
    includes: crate::source::Includes,
) -> std::io::Result<Exit> {
    let prepared = match super::prepare(
        &args.file,
        color,
        crate::finance::Detail::ChecksOnly,
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
        Format::Table => ScheduleFormat::Table,
        Format::Json => ScheduleFormat::Json,
        Format::Csv => ScheduleFormat::Csv,
    };
    // Streamed through a buffer: the JSON of a large plan is tens of megabytes, not worth
    // holding whole, and stdout alone would flush at every line.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    report::write_schedule(
        &mut out,
        portfolio,
        &analysis.schedule,
        format,
        args.critical,
    )?;
    out.flush()?;
    Ok(Exit::Success)
}

pub(crate) fn explain(
    args: &ExplainArgs,
    color: bool,
    includes: crate::source::Includes,
) -> std::io::Result<Exit> {
    let prepared = match super::prepare(
        &args.file,
        color,
        crate::finance::Detail::ChecksOnly,
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
    let item = crate::graph::find_item(portfolio, &args.id);
    let explanation = item.and_then(|item| {
        crate::schedule::explain(portfolio, &analysis.network, &analysis.schedule, item)
    });
    match explanation {
        Some(explanation) => {
            std::io::stdout().write_all(report::explain_text(&explanation).as_bytes())?;
            Ok(Exit::Success)
        }
        None => {
            let mut message = format!(
                "error: no project, milestone or programme `{}` in the plan",
                args.id
            );
            if let Some(close) = super::closest_id(portfolio, &args.id) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            writeln!(std::io::stderr(), "{message}")?;
            Ok(Exit::Trouble)
        }
    }
}
