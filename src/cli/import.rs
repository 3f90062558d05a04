//! `tranche import FILE.xml [-o OUT]`: a Microsoft Project XML (MSPDI) file to a tranche
//! portfolio.
//!
//! The portfolio written is checked here, in memory, as `tranche check` would check it, before
//! anything is written: a file that would not check clean is a bug in the import, reported as
//! errors against the generated text, and nothing is written (exit 1).

use std::path::{Path, PathBuf};

use super::{Context, Exit, Outcome, Stop};
use crate::diagnostic::{Code, Diagnostic, SourceMap};
use crate::source::{self, MemoryFs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Microsoft Project XML file (File > Save As > XML Format in MS Project).
    pub file: PathBuf,
    /// Write the portfolio to this file (whole or not at all) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let shown = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return Err(Stop::Trouble(format!("cannot read `{shown}`: {e}"))),
    };
    let xml = match String::from_utf8(bytes) {
        // A byte order mark is not part of the XML.
        Ok(text) => match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        },
        Err(_) => {
            return Err(Stop::Trouble(format!(
                "`{shown}` is not UTF-8 text; save it from Microsoft Project as XML (UTF-8)"
            )));
        }
    };
    let mut sources = SourceMap::new();
    let file = sources.add(shown.clone(), xml.as_str());
    let name = args
        .file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let imported = crate::import::mspdi(file, &xml, &format!("`{name}`"));
    let mut diagnostics = imported.diagnostics;
    let Some(text) = imported.text else {
        ctx.print_diagnostics(&mut diagnostics, &sources)?;
        return Ok(Exit::Failure);
    };

    // Check the portfolio as `tranche check` would.
    let plan_name = args
        .output
        .as_ref()
        .map_or("imported.tranche".to_string(), |p| p.display().to_string());
    let problems = check(&plan_name, &text, &mut sources);
    let failed = problems.iter().any(Diagnostic::is_error);
    // Work that runs past the calendar's end is the file's own data (a late start and long
    // work), found only by scheduling it: not a fault of the import.
    let past_the_calendar = problems
        .iter()
        .filter(|d| d.is_error())
        .all(|d| d.code == Code::E071BeyondCalendar);
    diagnostics.extend(problems);
    if failed {
        diagnostics.push(if past_the_calendar {
            Diagnostic::unlocated(
                Code::E080NotMspdi,
                "the file's dates and durations put work past 2200-12-31, the last day tranche plans for, so nothing was written",
            )
            .with_hint("move that work earlier or shorten it in Microsoft Project, and export it again")
        } else {
            Diagnostic::unlocated(
                Code::E080NotMspdi,
                "the imported plan does not check clean, so nothing was written",
            )
            .with_hint("this is a bug in `tranche import`: please report it with the XML file")
        });
    }
    ctx.print_diagnostics(&mut diagnostics, &sources)?;
    if failed {
        return Ok(Exit::Failure);
    }
    Ok(super::output::deliver(args.output.as_deref(), &text)?)
}

/// The diagnostics `tranche check` would give the plan `text` (named `name`), through the
/// pipeline every command uses, less the verdicts: missed deadlines, targets and budgets are
/// the plan's news, not the import's mistakes (the file said so too). Everything else must be
/// clean.
fn check(name: &str, text: &str, sources: &mut SourceMap) -> Vec<Diagnostic> {
    let memory = MemoryFs::new().with(name, text);
    let options = source::Options {
        includes: source::Includes::InsideFolder,
        detail: crate::finance::Detail::ProjectYearsOnly,
        lints: false,
        level: crate::analysis::Level::Off,
    };
    source::analyse_files(&memory, Path::new(name), sources, options)
        .diagnostics
        .into_iter()
        .filter(|d| !d.is_error() || d.code.stops_commands())
        .collect()
}
