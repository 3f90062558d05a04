//! Syntax: text to [`ast::File`]. The only module that names pest; `Pair` and `Rule` never
//! leave it.
//!
//! Input: one file's text. Output: its AST (every item that parsed, with byte spans), every
//! comment (for `fmt`), and E001/E005 diagnostics. Stages:
//!
//! 1. [`scan::check_depth`] refuses text nested deeper than [`scan::MAX_DEPTH`] braces (E005)
//!    before pest sees it, so no recursion here or in pest depends on the input beyond that.
//! 2. pest parses with `grammar/tranche.pest`, whose `recover` rules swallow bad lines so the
//!    parse itself always succeeds.
//! 3. [`lower`] turns pairs into the AST; at each swallowed line it re-parses from there to
//!    learn what was expected and reports it in words ([`expected`]), one error per bad line.
//!
//! Invariant: syntax errors are E001 with "expected …" in words users know, never pest's rule
//! names, pointing at the offending token; one mistake gives one error, not a cascade.

pub mod ast;
mod expected;
mod lower;
mod scan;
#[cfg(test)]
mod tests;

use crate::diagnostic::{Diagnostic, FileId, Span};

/// The pest parser. In its own private module so the generated `Rule` enum stays in `syntax`.
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/tranche.pest"]
    pub(crate) struct TrancheParser;
}

/// Parses one file. Always returns a tree (possibly missing the items that failed to parse)
/// and every syntax diagnostic found.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let comments = scan::comments(file, text);
    let span = Span::new(file, 0, text.len());
    if let Some(too_deep) = scan::check_depth(file, text) {
        let empty = ast::File {
            items: Vec::new(),
            comments,
            span,
        };
        return (empty, vec![too_deep]);
    }
    let (items, diagnostics) = lower::lower(file, text);
    (
        ast::File {
            items,
            comments,
            span,
        },
        diagnostics,
    )
}
