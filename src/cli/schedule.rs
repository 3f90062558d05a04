//! `tranche schedule FILE` and `tranche explain FILE ID`.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome, Prepared};
use crate::finance::Detail;
use crate::report::{self, ScheduleFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Table)]
    pub format: ScheduleFormat,
    /// Only the critical work.
    #[arg(long)]
    pub critical: bool,
    #[command(flatten)]
    pub level: super::Level,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The portfolio file.
    pub file: PathBuf,
    /// The project, milestone or programme to explain (`project.milestone` works too).
    pub id: String,
    #[command(flatten)]
    pub level: super::Level,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare_levelled(&args.file, Detail::ChecksOnly, args.level.mode())?;
    // Streamed through a buffer: the JSON of a large plan is tens of megabytes, not worth
    // holding whole, and stdout alone would flush at every line.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    report::write_schedule(
        &mut out,
        &prepared.portfolio,
        &prepared.analysis.schedule,
        args.format,
        args.critical,
    )?;
    out.flush()?;
    Ok(Exit::Success)
}

pub(crate) fn explain(args: &ExplainArgs, ctx: &Context) -> Outcome {
    let prepared = ctx.prepare_levelled(&args.file, Detail::ChecksOnly, args.level.mode())?;
    let Prepared {
        portfolio,
        analysis,
        ..
    } = &prepared;
    let item = crate::graph::find_item(portfolio, &args.id);
    let explanation = item.and_then(|item| {
        crate::schedule::explain_traced(
            portfolio,
            &analysis.network,
            &analysis.schedule,
            &analysis.trace,
            item,
        )
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
