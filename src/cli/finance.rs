//! `tranche finance FILE`: costs, savings and benefits by financial year (or month).

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Exit, Outcome, Prepared};
use crate::report::finance_render::{self as render, Format, GroupBy, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The portfolio file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also show each project, programme or theme.
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// Months instead of financial years.
    #[arg(long, conflicts_with = "benefits")]
    pub monthly: bool,
    /// The benefits register instead: every saving and benefit with its owner, measure,
    /// plan, actual and forecast by financial year, and its status.
    #[arg(long, conflicts_with = "by")]
    pub benefits: bool,
    #[command(flatten)]
    pub level: super::Level,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    // A project's profile is kept only when it will be shown, and its months only when
    // those are: the others (about 400 bytes a project) were a third of the command's peak.
    // The benefits register times each line itself.
    let detail = match args.by {
        Some(GroupBy::Project) if args.monthly => crate::finance::Detail::Full,
        Some(GroupBy::Project) => crate::finance::Detail::ProjectYearsOnly,
        Some(GroupBy::Programme | GroupBy::Theme) | None => crate::finance::Detail::GroupsOnly,
    };
    let prepared = ctx.prepare_levelled(&args.file, detail, args.level.mode())?;
    let Prepared {
        analysis,
        portfolio,
        ..
    } = &prepared;
    if args.benefits {
        let register = crate::finance::register(
            portfolio,
            &analysis.schedule,
            &analysis.calendars,
            &analysis.finance,
        );
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        render::write_register(&mut out, &analysis.finance, &register, args.format)?;
        out.flush()?;
        return Ok(Exit::Success);
    }
    let options = Options {
        format: args.format,
        by: args.by,
        monthly: args.monthly,
    };
    // Streamed through a buffer, a group at a time: `--by project` over a long plan is
    // gigabytes of text, not worth holding whole.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    render::write(&mut out, &analysis.finance, &options)?;
    out.flush()?;
    Ok(Exit::Success)
}
