//! Text in, analysis out: the pipeline over files held in memory, for tests, benchmarks, the
//! fuzz targets and an editor's language server, so none of them needs a `FileSystem` of its
//! own.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{FileSystem, Includes, load_with_includes};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, SourceMap};
use crate::finance::Detail;
use crate::model::{self, Portfolio};

/// Files held in memory, by path. Paths are compared after folding `.` and `..`, so an
/// `include "../x"` reaches what it would on disk; there are no symlinks.
#[derive(Debug, Clone, Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    /// An empty file system.
    pub fn new() -> MemoryFs {
        MemoryFs::default()
    }

    /// One file, `plan.tranche`, holding `text`.
    pub fn single(text: &str) -> MemoryFs {
        MemoryFs::new().with("plan.tranche", text)
    }

    /// This file system with one more file (or a file replaced).
    pub fn with(mut self, path: impl AsRef<Path>, text: impl AsRef<[u8]>) -> MemoryFs {
        self.insert(path, text);
        self
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, text: impl AsRef<[u8]>) {
        self.files
            .insert(fold(path.as_ref()), text.as_ref().to_vec());
    }
}

/// `path` with `.` dropped and `..` applied, as a canonical path on disk would be.
fn fold(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&fold(path))
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let folded = fold(path);
        if self.files.contains_key(&folded) {
            Ok(folded)
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
    }
}

/// How far the pipeline goes beyond reading and validating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Where `include` may read.
    pub includes: Includes,
    /// How much monthly money to keep.
    pub detail: Detail,
    /// Run the schedule-quality lints (W101-W114) on a plan that holds together: `check` and
    /// an editor do; commands that show a plan leave them to `check`.
    pub lints: bool,
    /// Level the schedule to the teams' capacity, or to the budgets too (`--level`).
    pub level: crate::analysis::Level,
}

/// A plan read, validated and analysed, with every diagnostic said about it (in the order
/// found; `diagnostic::render` sorts them by place), its files' text kept in the caller's
/// `SourceMap`.
#[derive(Debug)]
pub struct Analysed {
    /// The validated plan; `None` when it has errors, or cannot be read.
    pub portfolio: Option<Portfolio>,
    /// The schedule and money; `None` without a portfolio or when the dependencies form a cycle.
    pub analysis: Option<Analysis>,
    pub diagnostics: Vec<Diagnostic>,
    /// The root file could not be read at all, or is not text (exit code 2 on the command line).
    pub unreadable: bool,
}

impl Analysed {
    /// Whether the plan can be shown: it was analysed and no diagnostic's code stops a
    /// command ([`Code::stops_commands`]).
    pub fn is_showable(&self) -> bool {
        self.analysis.is_some() && !self.diagnostics.iter().any(|d| d.code.stops_commands())
    }
}

/// The one way into the pipeline, for every command, test, benchmark, fuzz target and editor:
/// reads the plan rooted at `root` from `fs` (adding each file's text to `sources`), validates
/// it, analyses it, and with `options.lints` runs the lints.
pub fn analyse_files(
    fs: &dyn FileSystem,
    root: &Path,
    sources: &mut SourceMap,
    options: Options,
) -> Analysed {
    let (plan, diagnostics) = match load_with_includes(root, fs, sources, options.includes) {
        Ok(loaded) => loaded,
        Err(diagnostic) => {
            return Analysed {
                portfolio: None,
                analysis: None,
                diagnostics: vec![diagnostic],
                unreadable: true,
            };
        }
    };
    // `check` (and an editor) also judge the plan's scenarios, each by the pipeline on the
    // plan it edits; a plan without scenarios is not copied.
    let scenarios = (options.lints && crate::scenario::any(&plan)).then(|| plan.clone());
    let mut analysed = analyse_plan(plan, diagnostics, options);
    if let (Some(plan), true) = (scenarios, analysed.portfolio.is_some()) {
        analysed
            .diagnostics
            .extend(crate::scenario::check(&plan, options));
    }
    analysed
}

/// The pipeline after loading: validates `plan`, analyses it and (with `options.lints`) lints
/// it. `diagnostics` are those found loading it. [`analyse_files`] comes this way, and so does
/// each column of `tranche options`, on the plan a scenario edits (`scenario::apply`), so that
/// a scenario's figures are what running tranche on the edited plan gives.
pub fn analyse_plan(
    plan: super::Plan,
    mut diagnostics: Vec<Diagnostic>,
    options: Options,
) -> Analysed {
    let (portfolio, more) = model::validate(plan);
    diagnostics.extend(more);
    // An include that is missing, refused or in a cycle is the plan's mistake (pointed at the
    // `include`); the plan without it is not the one the author wrote, so nothing schedules it.
    let portfolio = portfolio.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    // Levelled to the budgets, the plan is analysed with the holds that levelling put on the
    // work it moved, and it is that plan the commands show.
    let (portfolio, analysis) = match portfolio {
        None => (None, None),
        Some(p) => match options.level {
            crate::analysis::Level::Budget => {
                let (held, analysis, more) =
                    crate::analysis::level_to_budgets(&p, options.detail, true);
                diagnostics.extend(more);
                (Some(held), analysis)
            }
            level => {
                let teams = level == crate::analysis::Level::Teams;
                let (analysis, more) = crate::analysis::analyse_with(&p, options.detail, teams);
                diagnostics.extend(more);
                (Some(p), analysis)
            }
        },
    };
    // The lints judge a plan that holds together: missed deadlines, targets and budgets are
    // verdicts on such a plan (W108 explains a missed deadline); a schedule past the
    // calendars' end is not.
    let holds_together = !diagnostics.iter().any(|d| d.code.stops_commands());
    if let (Some(p), Some(analysis), true, true) =
        (&portfolio, &analysis, options.lints, holds_together)
    {
        diagnostics.extend(crate::lint::check(p, analysis));
    }
    Analysed {
        portfolio,
        analysis,
        diagnostics,
        unreadable: false,
    }
}

/// A plan read, validated, analysed and linted, with the text of its files.
#[derive(Debug)]
pub struct Checked {
    /// The text of every file read, for rendering the diagnostics.
    pub sources: SourceMap,
    /// The validated plan; `None` when it has errors, or cannot be read.
    pub portfolio: Option<Portfolio>,
    /// The schedule and money; `None` without a portfolio or when the dependencies form a cycle.
    pub analysis: Option<Analysis>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// [`analyse_files`] as `tranche check` runs it (includes inside the root's folder, lints on),
/// with a source map of its own. `detail` says how much monthly money to keep.
pub fn check_files(fs: &dyn FileSystem, root: &Path, detail: Detail) -> Checked {
    let mut sources = SourceMap::new();
    let options = Options {
        includes: Includes::InsideFolder,
        detail,
        lints: true,
        level: crate::analysis::Level::Off,
    };
    let Analysed {
        portfolio,
        analysis,
        diagnostics,
        ..
    } = analyse_files(fs, root, &mut sources, options);
    Checked {
        sources,
        portfolio,
        analysis,
        diagnostics,
    }
}

/// [`check_files`] on one file's text (named `plan.tranche`), keeping all the money.
pub fn check_text(text: &str) -> Checked {
    check_files(
        &MemoryFs::single(text),
        Path::new("plan.tranche"),
        Detail::Full,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_in_memory_is_checked_and_scheduled() {
        let checked = check_text(
            "portfolio \"X\" { start 2021-03-01  end 2022-03-31 }\n\
             project a \"A\" { duration 5 days }\n",
        );
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let analysis = checked.analysis.expect("scheduled");
        assert_eq!(analysis.schedule.finish.to_string(), "2021-03-05");
    }

    #[test]
    fn includes_are_followed_between_files_in_memory() {
        let fs = MemoryFs::new()
            .with(
                "plans/root.tranche",
                "portfolio \"X\" { start 2021-03-01  end 2022-03-31 }\ninclude \"work/a.tranche\"\n",
            )
            .with("plans/work/a.tranche", "project a \"A\" { duration 5 days }\n");
        let checked = check_files(&fs, Path::new("plans/root.tranche"), Detail::ChecksOnly);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        assert_eq!(checked.portfolio.map(|p| p.projects.len()), Some(1));
    }

    #[test]
    fn a_missing_root_is_one_diagnostic() {
        let checked = check_files(&MemoryFs::new(), Path::new("nowhere.tranche"), Detail::Full);
        assert!(checked.portfolio.is_none());
        assert_eq!(checked.diagnostics.len(), 1);
    }
}
