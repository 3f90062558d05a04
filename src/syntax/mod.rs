//! Syntax: text to [`ast::File`]. The only module that names pest; `Pair` and `Rule` never
//! leave it. Syntax errors become E001 diagnostics with "expected ..." in words users know,
//! never pest's rule names, and the parser recovers at the next item so that one run reports
//! every syntax error in a file.

pub mod ast;

use crate::diagnostic::{Diagnostic, FileId};

/// Parses one file. Always returns a tree (possibly missing the items that failed to parse)
/// and every syntax diagnostic found.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let _ = (file, text);
    unimplemented!("syntax::parse is being written")
}
