//! Sources: reading a plan's files and following its `include`s. The file system is passed in
//! (`cli` gives the real one, tests an in-memory one), so this stage does no I/O of its own.
//!
//! Output: a [`Plan`]: every file parsed once, and for each `include` the file it names.
//! Includes are resolved relative to the including file; a file is read once however often it
//! is included; a cycle of includes is E004 naming the files; a missing file E003; bytes that
//! are not UTF-8 text E002.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileId, SourceMap, Span};
use crate::syntax::ast;

/// Reads files for the loader. Implemented by `cli` over `std::fs`, and by tests in memory.
pub trait FileSystem {
    /// The bytes of the file at `path`.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// The canonical form of `path`, so one file reached by two spellings is read once.
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf>;
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// The file named on the command line.
    pub root: FileId,
    pub files: BTreeMap<FileId, ast::File>,
    /// For each `include` (by the span of the include attribute), the file it brings in.
    /// Includes that failed (missing file, cycle, already included) are absent.
    pub includes: BTreeMap<Span, FileId>,
}

/// Reads and parses `root` and everything it includes, adding each file's text to `sources`.
/// `Err` only when the root file itself cannot be read (exit code 2).
pub fn load(
    root: &Path,
    fs: &dyn FileSystem,
    sources: &mut SourceMap,
) -> Result<(Plan, Vec<Diagnostic>), Diagnostic> {
    let _ = (root, fs, sources);
    unimplemented!("source::load is being written")
}
