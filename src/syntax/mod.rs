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
//! fast path never accepts what pest rejects nor builds a different tree (see `fast`'s tests
//! and the fuzz target `parse_differential`, both through [`parse_with`]).
//! Syntax errors are E001 with "expected …" in words users know, never pest's rule
//! names, pointing at the offending token; one mistake gives one error, not a cascade.

pub mod ast;
mod complete;
mod expected;
mod fast;
mod lower;
mod scan;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use pest::Parser as _;

use crate::diagnostic::{Diagnostic, FileId, Span};
pub use complete::keywords_at;
pub use lower::{ParseMode, Taken};

/// The pest parser. In its own private module so the generated `Rule` enum stays in `syntax`.
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/tranche.pest"]
    pub(crate) struct TrancheParser;
}

/// Parses one file. Always returns a tree (possibly missing the items that failed to parse)
/// and every syntax diagnostic found.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let (file, diagnostics, _) = parse_with(file, text, ParseMode::FastThenPest);
    (file, diagnostics)
}

/// [`parse`], choosing the parser, and how many top-level items each path took.
///
/// This exists for differential testing (`src/syntax/fast/tests.rs` and the fuzz target
/// `fuzz/fuzz_targets/parse_differential.rs`): with [`ParseMode::PestOnly`] the result is the
/// grammar's own, and [`ParseMode::FastThenPest`] (what `parse` does) must give exactly the
/// same tree, comments and diagnostics on every input. Everyone else calls `parse`.
pub fn parse_with(
    file: FileId,
    text: &str,
    mode: ParseMode,
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
    let (items, diagnostics, taken) = lower::lower(file, text, mode);
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

/// The names of the grammar's rules (as spelt in `grammar/tranche.pest`) in pest's trees of
/// `text`, parsed one top-level item at a time as `parse` does, without the fast path.
///
/// This exists for the test that the fuzzer's plan generator reaches every rule of the grammar
/// (`tests/fuzz_corpus.rs`). Names, not `Rule`s, so pest's types stay inside `syntax`. Silent
/// rules (`_{ }`), rules inside atomic ones, and the probes `lower` runs after a bad line are
/// never in these trees. Text nested too deep (E005) gives the empty set, as pest never sees it.
pub fn rules_matched(text: &str) -> BTreeSet<String> {
    use grammar::{Rule, TrancheParser};
    let mut rules = BTreeSet::new();
    if scan::comments_and_depth(FileId(0), text).1.is_some() {
        return rules;
    }
    let mut pos = lower::skip_trivia(text, if text.starts_with('\u{FEFF}') { 3 } else { 0 });
    while pos < text.len() {
        let rest = text.get(pos..).unwrap_or_default();
        // `top_item` matches any text (its recovery rules), so an error is pest's own limit.
        let Ok(pairs) = TrancheParser::parse(Rule::top_item, rest) else {
            break;
        };
        let mut end = pos;
        for pair in pairs.flatten() {
            rules.insert(format!("{:?}", pair.as_rule()));
            end = end.max(pos + pair.as_span().end());
        }
        if end <= pos {
            break;
        }
        pos = lower::skip_trivia(text, end);
    }
    rules
}
