//! `tranche diff OLD NEW` and `tranche diff --git REV FILE`: what a change does to a plan,
//! with gates for CI. The old version under `--git` is read with `git show REV:path`, and so
//! are the files it includes, so a pull request is compared with the plan as it was. REV is
//! checked to name a commit before anything is read; a plan absent at REV is new.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::git::GitFs;
use super::{Context, Exit, Outcome, StdFs, Stop};
use crate::diagnostic::SourceMap;
use crate::diff::{self, Gates, Version};
use crate::finance::Detail;
use crate::source::{self, FileSystem};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old and the new plan; with `--git`, only the plan (its old version comes from git).
    #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Compare FILE with its version at this git revision (`main`, `HEAD~1`, a commit).
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = diff::Format::Table)]
    pub format: diff::Format,
    /// Exit 1 when this happens: `finish-slip` (the plan finishes later), `target-missed` (a
    /// savings target is newly missed) or `deadline-missed` (a project or milestone newly
    /// misses its deadline). Repeatable.
    #[arg(long, value_enum, value_name = "GATE")]
    pub fail_on: Vec<Gate>,
    /// Exit 1 when any project's finish moves later by more than N working days (`5` or
    /// `5 days`).
    #[arg(long, value_name = "N", value_parser = parse_days)]
    pub max_slip: Option<u32>,
    #[command(flatten)]
    pub level: super::Level,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Gate {
    FinishSlip,
    TargetMissed,
    DeadlineMissed,
}

/// `5`, `5d` or `5 days`: working days.
fn parse_days(text: &str) -> Result<u32, String> {
    let number = text
        .trim()
        .trim_end_matches("days")
        .trim_end_matches("day")
        .trim_end_matches('d')
        .trim();
    number
        .parse()
        .map_err(|_| format!("`{text}` is not a number of working days (write `5` or `5 days`)"))
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let (old_path, new_path, git) = match (&args.git, args.files.as_slice()) {
        (Some(rev), [file]) => match GitFs::at(rev, file)? {
            Ok(git) => (file, file, Some(git)),
            Err(message) => return Err(Stop::Trouble(message)),
        },
        (None, [old, new]) => (old, new, None),
        (Some(_), _) => {
            return Err(Stop::Trouble(
                "with `--git REV`, give one plan: `tranche diff --git main plan.tranche`".into(),
            ));
        }
        (None, _) => {
            return Err(Stop::Trouble(
                "give the old and the new plan: `tranche diff old.tranche new.tranche`".into(),
            ));
        }
    };
    if let (Some(git), Some(rev)) = (&git, &args.git) {
        if !git.has(old_path)? {
            let note = format!(
                "`{}` does not exist at `{rev}`: the plan is new, and everything in it is added.",
                old_path.display()
            );
            return new_plan(new_path, note, args, ctx);
        }
    }
    let fs: &dyn FileSystem = match &git {
        Some(git) => git,
        None => &StdFs,
    };
    // The old version is reduced to what the comparison reads of it, and let go with its
    // sources, before the new one is read: two plans and their analyses are never in memory
    // together (docs/limits.md).
    let old = {
        let mut old_sources = SourceMap::new();
        let detail = Detail::ChecksOnly;
        load_with(
            old_path,
            fs,
            &mut old_sources,
            ctx,
            args.level.mode(),
            detail,
        )?
        .map(|(portfolio, analysis)| {
            diff::Summary::of(Version {
                portfolio: &portfolio,
                analysis: &analysis,
            })
        })
    };
    // The old plan's pages go back to the system now: left for the allocator to give back
    // later, they were still resident, half reused, while the new plan was built (10 MB on
    // the peak at 100,000 projects).
    super::give_back_freed_memory();
    let mut new_sources = SourceMap::new();
    let detail = Detail::ChecksOnly;
    let new = load_with(
        new_path,
        &StdFs,
        &mut new_sources,
        ctx,
        args.level.mode(),
        detail,
    )?;
    // The sources serve only to print what stops the diff, printed by now: the comparison
    // need not hold the new plan's text beside it.
    drop(new_sources);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(a), Err(b)) => return Ok(worse(a, b)),
        (Err(e), _) | (_, Err(e)) => return Ok(e),
    };
    let diff = diff::compare_with(
        &old,
        Version {
            portfolio: &new.0,
            analysis: &new.1,
        },
    );
    // The diff owns all it shows: both versions go before its text is made.
    drop((old, new));
    report(&diff, args)
}

/// A plan absent from the old revision, compared with itself emptied of its items.
fn new_plan(path: &Path, note: String, args: &Args, ctx: &Context) -> Outcome {
    let mut sources = SourceMap::new();
    let (portfolio, analysis) = match load(path, &StdFs, &mut sources, ctx, args.level.mode())? {
        Ok(new) => new,
        Err(exit) => return Ok(exit),
    };
    let mut empty = portfolio.clone();
    empty.projects.clear();
    empty.milestones.clear();
    empty.programmes.clear();
    empty.roots.clear();
    empty.targets.clear();
    empty.budgets.clear();
    let Some(empty_analysis) = crate::analysis::analyse(&empty, Detail::ProjectYearsOnly).0 else {
        return Err(Stop::Trouble(
            "the plan with no items could not be analysed to compare with".into(),
        ));
    };
    let diff = diff::compare_new(
        Version {
            portfolio: &empty,
            analysis: &empty_analysis,
        },
        Version {
            portfolio: &portfolio,
            analysis: &analysis,
        },
        note,
    );
    report(&diff, args)
}

/// Prints the diff and applies the gates.
fn report(diff: &diff::Diff, args: &Args) -> Outcome {
    // A reader that stops early (`| head` under pipefail) must not cancel a tripped gate.
    super::output::reader_may_stop(
        std::io::stdout().write_all(diff::render(diff, args.format).as_bytes()),
    )?;
    let gates = Gates {
        finish_slip: args.fail_on.contains(&Gate::FinishSlip),
        max_slip_days: args.max_slip,
        target_missed: args.fail_on.contains(&Gate::TargetMissed),
        deadline_missed: args.fail_on.contains(&Gate::DeadlineMissed),
    };
    super::gates_tripped(&diff::gates(diff, &gates))
}

fn worse(a: Exit, b: Exit) -> Exit {
    if a == Exit::Trouble || b == Exit::Trouble {
        Exit::Trouble
    } else {
        Exit::Failure
    }
}

pub(super) type Analysed = (crate::model::Portfolio, crate::analysis::Analysis);

/// Loads and analyses one version through the pipeline every command uses; a diagnostic whose
/// code stops commands is printed and ends the diff (exit 1, or 2 when it cannot be read).
/// Nothing else is printed: missed targets and deadlines are what a diff reports, and `check`
/// is the place for warnings.
pub(super) fn load(
    path: &Path,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
    ctx: &Context,
    level: crate::analysis::Level,
) -> std::io::Result<Result<Analysed, Exit>> {
    load_with(path, fs, sources, ctx, level, Detail::ProjectYearsOnly)
}

/// [`load`], keeping the finance's `detail`: a diff reads only the portfolio's money and the
/// checks of its targets, which [`Detail::ChecksOnly`] works out without a profile for every
/// project (45 MB less at 100,000 projects).
fn load_with(
    path: &Path,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
    ctx: &Context,
    level: crate::analysis::Level,
    detail: Detail,
) -> std::io::Result<Result<Analysed, Exit>> {
    let options = source::Options {
        level,
        ..ctx.options(detail)
    };
    let analysed = source::analyse_files(fs, path, sources, options);
    let showable = analysed.is_showable();
    let source::Analysed {
        portfolio,
        analysis,
        diagnostics,
        unreadable,
    } = analysed;
    match (portfolio, analysis, showable) {
        (Some(portfolio), Some(analysis), true) => Ok(Ok((portfolio, analysis))),
        _ => {
            let mut stopping: Vec<_> = diagnostics
                .into_iter()
                .filter(|d| d.code.stops_commands())
                .collect();
            ctx.print_diagnostics(&mut stopping, sources)?;
            Ok(Err(if unreadable {
                Exit::Trouble
            } else {
                Exit::Failure
            }))
        }
    }
}
