//! Syntax: text to [`ast::File`]. The only module that names pest; `Pair` and `Rule` never
//! leave it.
//!
//! Input: one file's text. Output: its AST (every item that parsed, with byte spans), every
//! comment (for `fmt`), and E001/E005 diagnostics. Stages:
//!
//! 1. `scan::comments_and_depth`, one pass over the text, collects the comments and refuses
//!    text nested deeper than `scan::MAX_DEPTH` (64) braces (E005) before pest sees it, so no
//!    recursion here or in pest depends on the input beyond that.
//! 2. Each top-level item is tried first by `fast`, a hand-written parser of the well-formed
//!    subset that builds exactly the tree the next two stages would (five times faster, and
//!    without pest's token queue); on anything it is not sure of it declines the whole item.
//! 3. Otherwise pest parses it with `grammar/tranche.pest`, one top-level item at a time (its
//!    token queue is several times the size of the text, so it never holds the whole file). The
//!    `recover` rules swallow bad lines and a block's body cannot fail once `{` is seen, so
//!    parsing always succeeds and never backtracks over a block.
//! 4. `lower` turns pairs into the AST; at each swallowed line it re-parses from there to
//!    learn what was expected and reports it in words (`expected`), one error per bad line;
//!    a block left open to the end of the file is reported once, naming the block.
//!
//! Decisions the formatter and validator rely on: spans never include trailing whitespace or
//! comments; a percentage's literal is the number without `%` but its span covers the `%`; the
//! low end of `range 10 to 20 months` takes the high end's unit with an empty `unit_text`
//! (nothing was written); keywords are not reserved, except that `start` and `finish` after
//! `from`/`at` are the keywords, and `calendar id`/`theme id` without a body/title are
//! references.
//!
//! Invariant: the grammar is the language's definition and pest produces every diagnostic; the
//! fast path never accepts what pest rejects nor builds a different tree (see `fast`'s tests).
//! Syntax errors are E001 with "expected …" in words users know, never pest's rule
//! names, pointing at the offending token; one mistake gives one error, not a cascade.

pub mod ast;
mod expected;
mod fast;
mod lower;
mod scan;
#[cfg(test)]
mod tests;

use crate::diagnostic::{Diagnostic, FileId, Span};
pub(crate) use lower::{FastPath, Taken};

/// The pest parser. In its own private module so the generated `Rule` enum stays in `syntax`.
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/tranche.pest"]
    pub(crate) struct TrancheParser;
}

/// Parses one file. Always returns a tree (possibly missing the items that failed to parse)
/// and every syntax diagnostic found.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let (file, diagnostics, _) = parse_with(file, text, FastPath::On);
    (file, diagnostics)
}

/// `parse`, with or without the fast path, and how many top-level items each path took.
pub(crate) fn parse_with(
    file: FileId,
    text: &str,
    fast_path: FastPath,
) -> (ast::File, Vec<Diagnostic>, Taken) {
    let (comments, too_deep) = scan::comments_and_depth(file, text);
    let span = Span::new(file, 0, text.len());
    if let Some(too_deep) = too_deep {
        let empty = ast::File {
            items: Vec::new(),
            comments,
            span,
        };
        return (empty, vec![too_deep], Taken::default());
    }
    let (items, diagnostics, taken) = lower::lower(file, text, fast_path);
    (
        ast::File {
            items,
            comments,
            span,
        },
        diagnostics,
        taken,
    )
}
