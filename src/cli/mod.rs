//! The command line: clap types, reading files, printing, exit codes. The only module that
//! reads files, writes files, prints or exits; every stage it calls is a pure function.
//!
//! Exit codes (docs/cli.md): 0 success (warnings allowed), 1 the plan has errors (or warnings
//! with `--deny warnings`, or `fmt --check` found files to change), 2 usage or I/O errors
//! (unreadable files, files that are not text, unwritable output).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::Analysis;
use crate::diagnostic::{self, Diagnostic, SourceMap, render};
use crate::finance::Detail;
use crate::model::Portfolio;
use crate::source::{self, FileSystem, Includes};

mod capacity;
mod check;
mod diff;
mod export;
mod finance;
mod fmt;
mod git;
mod import;
mod lsp;
mod options;
mod output;
mod raid;
mod report;
mod risk;
mod schedule;
mod select;
mod trend;
mod watch;

/// tranche: plan-as-code for digital transformation portfolios.
#[derive(Debug, Parser)]
#[command(name = "tranche", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour human output: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Let `include` read files outside the folder of the plan (refused by default, so a plan
    /// cannot make tranche read files elsewhere on the machine, through `..` or a symlink).
    #[arg(long, global = true)]
    pub allow_outside_includes: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plans: syntax, names, dates, dependencies. Exit 1 when any has errors.
    Check(check::Args),
    /// Rewrite plans in the canonical layout (comments kept, order kept).
    Fmt(fmt::Args),
    /// Schedule a plan: dates, float and the critical path, on working days.
    Schedule(schedule::Args),
    /// Explain why an item starts when it does and what its float is.
    Explain(schedule::ExplainArgs),
    /// Costs, savings and benefits by financial year; NPV, payback, targets and budgets.
    Finance(finance::Args),
    /// Teams' capacity against what the plan needs of them, by financial year or month.
    Capacity(capacity::Args),
    /// Export a plan for other tools: MS Project XML, Mermaid, Graphviz, CSV or iCalendar.
    Export(export::Args),
    /// Import a Microsoft Project XML (MSPDI) file as a tranche portfolio.
    Import(import::Args),
    /// The committee report: Markdown, a self-contained HTML page with a Gantt chart, or JSON.
    Report(report::Args),
    /// Schedule and savings risk: Monte Carlo over the plan's ranges.
    Risk(risk::Args),
    /// The plan and its scenarios side by side, appraised against the baseline option.
    Options(options::Args),
    /// The projects with the best weighted score that keep every year's budgets.
    Select(select::Args),
    /// The RAID log: risks, issues, assumptions and decisions, scored, with a heat map.
    Raid(raid::Args),
    /// What a change does to a plan: items, dependencies, dates, money and targets; gates for CI.
    Diff(diff::Args),
    /// The plan's history from git: milestone and savings forecasts at every reporting point.
    Trend(trend::Args),
    /// A Language Server Protocol server on stdin and stdout, for editors.
    Lsp(lsp::Args),
}

/// `--level [teams|budget]`, on every command that shows a plan.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Level {
    /// Level the plan first: `--level` (or `--level=teams`) delays work, never bringing it
    /// forward, until no team is needed by more people than it has; `--level=budget` also
    /// delays work, least priority first, until each year's capital is within its budget
    /// (docs/scheduling.md "Levelling").
    // `=` is required for the value, so a bare `--level` never takes the plan's file for one.
    #[arg(long = "level", value_enum, value_name = "WHAT", num_args = 0..=1,
          require_equals = true, default_missing_value = "teams")]
    pub on: Option<crate::analysis::Level>,
}

impl Level {
    /// What the pipeline is asked for.
    pub(crate) fn mode(self) -> crate::analysis::Level {
        self.on.unwrap_or_default()
    }
}

/// `--money SCALE`, for a command whose tables show money.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Money {
    /// How money is shown (the plan's `report money`, else thousands).
    #[arg(long = "money", value_enum, value_name = "MONEY")]
    pub scale: Option<crate::money::MoneyScale>,
}

impl Money {
    /// The command line's scale over the plan's `report money`, else thousands.
    pub(crate) fn of(self, portfolio: &crate::model::Portfolio) -> crate::money::MoneyScale {
        self.scale.or(portfolio.money_scale).unwrap_or_default()
    }
}

/// How diagnostics are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Text for people, with the source line underlined (on stderr).
    Human,
    /// A JSON array on stdout (schema in docs/diagnostics.md).
    Json,
    /// GitHub Actions workflow commands on stdout, shown as annotations on pull requests.
    Github,
}

/// Whether warnings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

/// How the binary, which owns the allocator, gives freed memory back to the system at once;
/// set before [`main`] runs ([`when_memory_is_freed`]), and nothing without it (tests, other
/// embedders).
static GIVE_BACK_FREED_MEMORY: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Sets how the allocator gives freed memory back to the system, for [`give_back_freed_memory`]
/// to call where a command has just let go of a large part of its memory. Only the first call
/// counts.
pub fn when_memory_is_freed(give_back: fn()) {
    let _ = GIVE_BACK_FREED_MEMORY.set(give_back);
}

/// Gives the memory freed so far back to the system now rather than after the allocator's
/// delay: where a command has let go of one plan and reads another (`diff`), the pages of the
/// first would otherwise still be resident, half reused, while the second is built, and the
/// peak is both (docs/benchmarks.md).
pub(crate) fn give_back_freed_memory() {
    if let Some(give_back) = GIVE_BACK_FREED_MEMORY.get() {
        give_back();
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let includes = if cli.allow_outside_includes {
        Includes::Anywhere
    } else {
        Includes::InsideFolder
    };
    let ctx = Context { color, includes };
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args, &ctx),
        Command::Fmt(args) => fmt::run(&args, &ctx),
        Command::Schedule(args) => schedule::run(&args, &ctx),
        Command::Explain(args) => schedule::explain(&args, &ctx),
        Command::Finance(args) => finance::run(&args, &ctx),
        Command::Capacity(args) => capacity::run(&args, &ctx),
        Command::Export(args) => export::run(&args, &ctx),
        Command::Import(args) => import::run(&args, &ctx),
        Command::Report(args) => report::run(&args, &ctx),
        Command::Risk(args) => risk::run(&args, &ctx),
        Command::Options(args) => options::run(&args, &ctx),
        Command::Select(args) => select::run(&args, &ctx),
        Command::Raid(args) => raid::run(&args, &ctx),
        Command::Diff(args) => diff::run(&args, &ctx),
        Command::Trend(args) => trend::run(&args, &ctx),
        Command::Lsp(args) => lsp::run(&args, &ctx),
    };
    match outcome {
        Ok(exit) | Err(Stop::Exit(exit)) => exit.into(),
        // A closed pipe (`tranche schedule … | head`) is the reader's choice, not a failure.
        Err(Stop::Io(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Stop::Trouble(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            Exit::Trouble.into()
        }
        Err(Stop::Io(error)) => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            Exit::Trouble.into()
        }
    }
}

/// What every command is given, decided once from the global options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    /// Colour diagnostics for people.
    pub color: bool,
    /// Where `include` may read.
    pub includes: Includes,
}

/// Why a command ended early: an exit it decided (the plan has errors, a usage mistake), a
/// mistake to say in a line, or an I/O error; `main` prints the last two (exit 2; a closed pipe
/// is success).
#[derive(Debug)]
pub(crate) enum Stop {
    Exit(Exit),
    /// A usage or environment mistake (no such revision, a port in use), said on stderr as
    /// `error: MESSAGE`.
    Trouble(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for Stop {
    fn from(error: std::io::Error) -> Stop {
        Stop::Io(error)
    }
}

/// What a command returns: its exit, or why it stopped.
pub(crate) type Outcome = Result<Exit, Stop>;

/// What a command ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    Success,
    /// The plan has errors, or a gate tripped.
    Failure,
    /// Usage or I/O error.
    Trouble,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Trouble => ExitCode::from(2),
        }
    }
}

/// The real file system, for `source::load`: public so that tests and benchmarks that read
/// the repository's plans need no copy of it.
#[derive(Debug)]
pub struct StdFs;

impl FileSystem for StdFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        // Read at most one byte past the limit: enough for the loader to say E006, and a
        // device or pipe that never ends (`/dev/zero`) cannot exhaust memory.
        use std::io::Read;
        let limit = u64::try_from(source::MAX_FILE_BYTES).unwrap_or(u64::MAX);
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn read_regular(&self, path: &Path, inside: Option<&Path>) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        // Opening a named pipe for reading waits for a writer, unless asked not to; a regular
        // file reads the same either way. The path is canonical, so its last part is no link:
        // one that is now was swapped in after the check, and is not followed. What was opened
        // is checked, not the name, so a file swapped for a pipe cannot slip through either.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            libc::O_NONBLOCK | libc::O_NOFOLLOW,
        );
        let file = options.open(path)?;
        if !file.metadata()?.is_file() {
            return Err(source::not_regular());
        }
        // A folder on the path swapped for a link after the check leads elsewhere: where the
        // opened file really is, the kernel says (Linux; elsewhere the name was checked).
        #[cfg(target_os = "linux")]
        if let Some(folder) = inside {
            use std::os::fd::AsRawFd;
            let opened = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
            if !opened.starts_with(folder) {
                return Err(source::opened_outside());
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = inside;
        let limit = u64::try_from(source::MAX_FILE_BYTES).unwrap_or(u64::MAX);
        let mut bytes = Vec::new();
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// A plan read, validated and analysed, ready for a command to show.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub portfolio: Portfolio,
    pub analysis: Analysis,
    /// Everything said about the plan (already printed), for reports that list what stands.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl Context {
    /// Prints diagnostics for people, on stderr, coloured as the user chose.
    pub(crate) fn print_diagnostics(
        &self,
        diagnostics: &mut [Diagnostic],
        sources: &SourceMap,
    ) -> std::io::Result<()> {
        emit_diagnostics(diagnostics, sources, DiagnosticFormat::Human, self.color)
    }

    /// The pipeline's options for a command that shows a plan: lints are `check`'s business.
    pub(crate) fn options(&self, detail: Detail) -> source::Options {
        source::Options {
            includes: self.includes,
            detail,
            lints: false,
            level: crate::analysis::Level::Off,
        }
    }

    /// Loads and analyses the plan for a command that shows it. Diagnostics are printed to
    /// stderr for people; whether one stops the command is its code's rule
    /// ([`crate::diagnostic::Code::stops_commands`]): exit 2 when the plan cannot be read, 1
    /// when it has errors that leave nothing to show.
    pub(crate) fn prepare(&self, path: &Path, detail: Detail) -> Result<Prepared, Stop> {
        self.prepare_levelled(path, detail, crate::analysis::Level::Off)
    }

    /// [`Context::prepare`], levelling the schedule to the teams' capacity when `level` is set
    /// (`--level`).
    pub(crate) fn prepare_levelled(
        &self,
        path: &Path,
        detail: Detail,
        level: crate::analysis::Level,
    ) -> Result<Prepared, Stop> {
        let mut sources = SourceMap::new();
        let options = source::Options {
            level,
            ..self.options(detail)
        };
        let analysed = source::analyse_files(&StdFs, path, &mut sources, options);
        let showable = analysed.is_showable();
        let source::Analysed {
            portfolio,
            analysis,
            mut diagnostics,
            unreadable,
        } = analysed;
        self.print_diagnostics(&mut diagnostics, &sources)?;
        match (portfolio, analysis, showable) {
            (Some(portfolio), Some(analysis), true) => Ok(Prepared {
                portfolio,
                analysis,
                diagnostics,
                sources,
            }),
            _ => Err(Stop::Exit(if unreadable {
                Exit::Trouble
            } else {
                Exit::Failure
            })),
        }
    }
}

/// The id in the plan closest to a mistyped one, for "did you mean".
pub(crate) fn closest_id<'p>(portfolio: &'p Portfolio, id: &str) -> Option<&'p str> {
    let ids = portfolio
        .projects
        .iter()
        .map(|p| p.id.as_str())
        .chain(portfolio.milestones.iter().map(|m| m.id.as_str()))
        .chain(portfolio.programmes.iter().map(|g| g.id.as_str()));
    crate::model::suggest(id, ids)
}

/// Prints diagnostics: human ones to stderr, machine formats to stdout (and nothing else there).
pub(crate) fn emit_diagnostics(
    diagnostics: &mut [Diagnostic],
    sources: &SourceMap,
    format: DiagnosticFormat,
    color: bool,
) -> std::io::Result<()> {
    diagnostic::sort(diagnostics);
    match format {
        DiagnosticFormat::Human => {
            let text = render::render(diagnostics, sources, render::Format::Human { color });
            std::io::stderr().write_all(text.as_bytes())
        }
        DiagnosticFormat::Json => {
            let text = render::render(diagnostics, sources, render::Format::Json);
            std::io::stdout().write_all(text.as_bytes())
        }
        DiagnosticFormat::Github => {
            let text = render::render(diagnostics, sources, render::Format::Github);
            std::io::stdout().write_all(text.as_bytes())
        }
    }
}

/// Says why each gate tripped (`gate tripped: …` on stderr): exit 1 when any did, else 0.
pub(crate) fn gates_tripped(tripped: &[String]) -> Outcome {
    for reason in tripped {
        writeln!(std::io::stderr(), "gate tripped: {reason}")?;
    }
    Ok(if tripped.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// `1 error`, `2 warnings`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    crate::diagnostic::count::count(n, word, &format!("{word}s"))
}
