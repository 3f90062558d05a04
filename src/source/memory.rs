//! Text in, analysis out: the pipeline over files held in memory, for tests, benchmarks, the
//! fuzz targets and an editor's language server, so none of them needs a `FileSystem` of its
//! own.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{FileSystem, Includes, load_with_includes};
use crate::analysis::{Analysis, analyse};
use crate::diagnostic::{Code, Diagnostic, SourceMap};
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

/// A plan read, validated and analysed, with every diagnostic said about it, lints included
/// (in the order found; `diagnostic::render` sorts them by place).
#[derive(Debug)]
pub struct Checked {
    /// The text of every file read, for rendering the diagnostics.
    pub sources: SourceMap,
    /// The validated plan; `None` when it has errors that stop validation, or cannot be read.
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

/// Reads the plan rooted at `root` from `fs`, validates and analyses it: the pipeline every
/// command runs, without the command line. `detail` says how much monthly money to keep.
pub fn check_files(fs: &dyn FileSystem, root: &Path, detail: Detail) -> Checked {
    let mut sources = SourceMap::new();
    let (plan, mut diagnostics) =
        match load_with_includes(root, fs, &mut sources, Includes::InsideFolder) {
            Ok(loaded) => loaded,
            Err(diagnostic) => {
                return Checked {
                    sources,
                    portfolio: None,
                    analysis: None,
                    diagnostics: vec![diagnostic],
                };
            }
        };
    let (portfolio, mut more) = model::validate(plan);
    diagnostics.append(&mut more);
    let errors_before = diagnostics.iter().any(Diagnostic::is_error);
    let analysis = portfolio.as_ref().and_then(|p| {
        let (analysis, more) = analyse(p, detail);
        // As `check`: the lints judge a plan that holds together.
        let past_calendar = more.iter().any(|d| d.code == Code::E071BeyondCalendar);
        diagnostics.extend(more);
        if let (Some(analysis), false) = (&analysis, errors_before || past_calendar) {
            diagnostics.extend(crate::lint::check(p, analysis));
        }
        analysis
    });
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
