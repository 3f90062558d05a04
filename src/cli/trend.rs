//! `tranche trend FILE`: the plan's history from git, one reporting point per status date, as
//! the milestone trend chart, with a gate for a steady drift.
//!
//! Each commit is read as `diff --git` reads one (the plan and the files it included then,
//! through `git show`), analysed on its own and reduced to a `trend::Point` before the next is
//! read, so memory holds one version at a time.

use std::path::{Path, PathBuf};

use super::git::{GitFs, dir_of};
use super::{Context, Exit, Outcome, StdFs, Stop};
use crate::diagnostic::SourceMap;
use crate::finance::Detail;
use crate::report::trend_render::{self, TrendFormat};
use crate::source;
use crate::trend::{self, Reading, Skipped};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan (with the files it includes), in a git repository.
    pub file: PathBuf,
    /// The commits to read, as git takes them (`main~8..main`, `v1.0..`); by default every
    /// commit that touched the plan or a file it now includes.
    #[arg(long, value_name = "REV_RANGE")]
    pub git: Option<String>,
    /// A point for every commit, not one per status date (the last commit of a status date
    /// stands for it otherwise).
    #[arg(long)]
    pub every_commit: bool,
    /// The milestones and programmes to follow, by id (`--milestones go-live,inspection-ready`);
    /// by default those with a baseline or a deadline.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub milestones: Option<Vec<String>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TrendFormat::Table)]
    pub format: TrendFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a milestone or programme slipped at each of its last N points:
    /// `--fail-on slipped-every-point 3`.
    #[arg(long, num_args = 2, value_names = ["GATE", "N"])]
    pub fail_on: Option<Vec<String>>,
}

pub(crate) fn run(args: &Args, ctx: &Context) -> Outcome {
    let gate = match gate(args.fail_on.as_deref()) {
        Ok(gate) => gate,
        Err(message) => return Err(Stop::Trouble(message)),
    };
    let history = History {
        file: &args.file,
        range: args.git.as_deref(),
        every_commit: args.every_commit,
        items: args.milestones.clone(),
    };
    let (trend, title) = match read(&history, ctx)? {
        Ok(read) => read,
        Err(message) => return Err(Stop::Trouble(message)),
    };
    let text = trend_render::render(&trend, &title, args.format);
    let written = match super::output::deliver(args.output.as_deref(), &text) {
        Ok(exit) => exit,
        // A reader that stops early (`| head`) must not cancel a tripped gate.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Exit::Success,
        Err(error) => return Err(error.into()),
    };
    if written == Exit::Trouble {
        return Ok(Exit::Trouble);
    }
    super::gates_tripped(&gate.map_or_else(Vec::new, |n| trend::slipped_every_point(&trend, n)))
}

/// Which history to read, and what to keep of it.
pub(crate) struct History<'a> {
    pub file: &'a Path,
    /// A range of commits as git takes them; `None`: every commit that touched the plan or a
    /// file it now includes.
    pub range: Option<&'a str>,
    pub every_commit: bool,
    pub items: Option<Vec<String>>,
}

/// The plan's trend over `history`, and the title of its latest readable version; or why the
/// commits cannot be listed.
pub(crate) fn read(
    history: &History<'_>,
    ctx: &Context,
) -> std::io::Result<Result<(trend::Trend, String), String>> {
    let commits = match commits(history, ctx)? {
        Ok(commits) => commits,
        Err(message) => return Ok(Err(message)),
    };
    let options = source::Options {
        includes: ctx.includes,
        detail: Detail::ChecksOnly,
        lints: false,
        level: crate::analysis::Level::Off,
    };
    let mut title = String::new();
    let mut readings = Vec::with_capacity(commits.len());
    for commit in commits {
        let git = GitFs {
            commit: commit.clone(),
        };
        let mut sources = SourceMap::new();
        let analysed = source::analyse_files(&git, history.file, &mut sources, options);
        let showable = analysed.is_showable();
        match (&analysed.portfolio, &analysed.analysis) {
            (Some(portfolio), Some(analysis)) if showable => {
                title = portfolio.title.to_string();
                readings.push(Reading::Point(trend::point(&commit, portfolio, analysis)));
            }
            _ => {
                let stopping = analysed
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() && d.code.stops_commands())
                    .count();
                readings.push(Reading::Skipped(Skipped {
                    commit,
                    errors: stopping.max(1),
                }));
            }
        }
    }
    let trend = trend::build(
        readings,
        &trend::Options {
            every_commit: history.every_commit,
            items: history.items.clone(),
        },
    );
    Ok(Ok((trend, title)))
}

/// `--fail-on slipped-every-point N`: the number of points, or what is wrong with the option.
fn gate(fail_on: Option<&[String]>) -> Result<Option<usize>, String> {
    match fail_on {
        None => Ok(None),
        Some([gate, n]) if gate == "slipped-every-point" => match n.parse::<usize>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!(
                "`--fail-on slipped-every-point {n}`: give a number of points, 1 or more"
            )),
        },
        Some(other) => Err(format!(
            "unknown gate `{}`: `tranche trend` has `--fail-on slipped-every-point N`",
            other.first().map_or("", String::as_str)
        )),
    }
}

/// The commits to read, oldest first.
fn commits(history: &History<'_>, ctx: &Context) -> std::io::Result<Result<Vec<String>, String>> {
    let dir = dir_of(history.file);
    let mut command = std::process::Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(["log", "--format=%H", "--reverse"]);
    match history.range {
        Some(range) => {
            command.arg("--end-of-options").arg(range).arg("--");
        }
        None => {
            // Every commit that touched the plan or a file it now includes.
            command.arg("--end-of-options").arg("HEAD").arg("--");
            command.args(plan_files(history.file, ctx));
        }
    }
    let output = command.output()?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Ok(Err(match history.range {
            Some(range) => format!("git cannot read the commits `{range}`: {said}"),
            None => format!(
                "`{}` is not in a git repository: {said}",
                history.file.display()
            ),
        }));
    }
    let commits: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .filter(|c| !c.is_empty())
        .collect();
    if commits.is_empty() {
        return Ok(Err(format!(
            "no commits to read for `{}`",
            history.file.display()
        )));
    }
    Ok(Ok(commits))
}

/// The plan and the files it includes now, relative to the plan's folder (where git runs).
fn plan_files(plan: &Path, ctx: &Context) -> Vec<PathBuf> {
    let mut sources = SourceMap::new();
    let _ = source::load_with_includes(plan, &StdFs, &mut sources, ctx.includes);
    let folder = std::fs::canonicalize(dir_of(plan)).unwrap_or_else(|_| dir_of(plan).into());
    let mut files: Vec<PathBuf> = sources
        .files()
        .filter_map(|(_, file)| std::fs::canonicalize(&file.name).ok())
        .filter_map(|path| path.strip_prefix(&folder).ok().map(Path::to_path_buf))
        .collect();
    if files.is_empty() {
        files.extend(plan.file_name().map(PathBuf::from));
    }
    files
}
