//! What may be written at a place in a file, from the grammar itself, for an editor's
//! completion: the keywords pest would accept at the cursor.
//!
//! Input: a file's text and a byte offset (the start of the word being typed). Output: keyword
//! texts. How: the text of the current line up to the cursor (from the last `{` or `}` on it)
//! is parsed with the probe rules the error messages use (`probe_block_after`, `probe_top_after`)
//! followed by a character no rule accepts, so pest fails at the cursor and says which rules
//! it tried there (the same "expected" sets `expected` turns into words). Each rule is then
//! replaced by the keywords it can begin with: the FIRST sets of the grammar, computed once
//! from `grammar/tranche.pest` through `pest_meta` (pest's own reading of a grammar). So a
//! keyword added to the grammar is offered where the grammar takes it, with no list here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest_meta::ast::Expr;

use super::grammar::{Rule, TrancheParser};

/// The keywords the grammar accepts at byte `offset` of `text`, sorted; empty inside a comment
/// or a string, or after a mistake earlier on the line.
pub fn keywords_at(text: &str, offset: usize) -> Vec<String> {
    let Some(grammar) = grammar() else {
        return Vec::new();
    };
    let Some((start, in_block)) = context(text, offset) else {
        return Vec::new();
    };
    // pest skips whitespace between tokens, not before the first.
    let prefix = text.get(start..offset).unwrap_or_default().trim_start();
    let mut keywords = BTreeSet::new();
    if prefix.trim().is_empty() {
        keywords.extend(grammar.first_of("attr"));
        return keywords.into_iter().collect();
    }
    let probe = if in_block {
        Rule::probe_block_after
    } else {
        Rule::probe_top_after
    };
    // U+0001 is no token of the language: the parse fails where the prefix ends.
    let input = format!("{prefix}\u{1}");
    let Err(error) = TrancheParser::parse(probe, &input) else {
        return Vec::new();
    };
    let at = match error.location {
        InputLocation::Pos(at) => at,
        InputLocation::Span((at, _)) => at,
    };
    // Failing before the cursor: the line has a mistake, and nothing is expected here.
    if at < prefix.trim_end().len() {
        return Vec::new();
    }
    let ErrorVariant::ParsingError { positives, .. } = error.variant else {
        return Vec::new();
    };
    let names: Vec<String> = positives.iter().map(|r| format!("{r:?}")).collect();
    // As in the error messages: a new attribute (or the end of the block) is the fallback
    // when something more specific is expected here.
    let structural = |name: &str| {
        name.starts_with("probe_")
            || matches!(name, "attr" | "rbrace" | "EOI" | "recover" | "top_recover")
    };
    let specific: Vec<&String> = names.iter().filter(|n| !structural(n)).collect();
    let chosen: Vec<&String> = if specific.is_empty() {
        names.iter().collect()
    } else {
        specific
    };
    for name in chosen {
        let name = if name.starts_with("probe_") || name.ends_with("recover") {
            "attr"
        } else {
            name.as_str()
        };
        keywords.extend(grammar.first_of(name));
    }
    keywords.into_iter().collect()
}

/// Where the current item starts (the line start, or after the last brace on the line) and
/// whether it is inside a block; `None` inside a comment or a string.
fn context(text: &str, offset: usize) -> Option<(usize, bool)> {
    let before = text.get(..offset)?;
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, c) in before.char_indices() {
        if c == '\n' {
            in_string = false;
            in_comment = false;
            start = i + 1;
            continue;
        }
        if in_comment {
            continue;
        }
        if in_string {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => in_comment = true,
            '{' => {
                depth += 1;
                start = i + 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                start = i + 1;
            }
            _ => {}
        }
    }
    (!in_string && !in_comment).then_some((start, depth > 0))
}

/// The grammar's rules and, for each, the keywords it can begin with.
struct Grammar {
    first: BTreeMap<String, BTreeSet<String>>,
}

impl Grammar {
    fn first_of(&self, rule: &str) -> impl Iterator<Item = String> + '_ {
        self.first.get(rule).into_iter().flatten().cloned()
    }
}

fn grammar() -> Option<&'static Grammar> {
    static GRAMMAR: OnceLock<Option<Grammar>> = OnceLock::new();
    GRAMMAR
        .get_or_init(|| {
            let source = include_str!("../../grammar/tranche.pest");
            let pairs =
                pest_meta::parser::parse(pest_meta::parser::Rule::grammar_rules, source).ok()?;
            let rules = pest_meta::parser::consume_rules(pairs).ok()?;
            let exprs: BTreeMap<String, Expr> =
                rules.into_iter().map(|r| (r.name, r.expr)).collect();
            let first = exprs
                .keys()
                .map(|name| {
                    let mut visiting = BTreeSet::new();
                    (name.clone(), first_of_rule(&exprs, name, &mut visiting).0)
                })
                .collect();
            Some(Grammar { first })
        })
        .as_ref()
}

/// A keyword rule's text: `kw_not_before = @{ "not-before" ~ !ident_char }` is `not-before`.
fn keyword_text(exprs: &BTreeMap<String, Expr>, name: &str) -> Option<String> {
    if !name.starts_with("kw_") {
        return None;
    }
    match exprs.get(name)? {
        Expr::Seq(first, _) => match first.as_ref() {
            Expr::Str(text) => Some(text.clone()),
            _ => None,
        },
        Expr::Str(text) => Some(text.clone()),
        _ => None,
    }
}

/// The keywords rule `name` can begin with, and whether it can match nothing.
fn first_of_rule(
    exprs: &BTreeMap<String, Expr>,
    name: &str,
    visiting: &mut BTreeSet<String>,
) -> (BTreeSet<String>, bool) {
    if let Some(text) = keyword_text(exprs, name) {
        return (BTreeSet::from([text]), false);
    }
    let Some(expr) = exprs.get(name) else {
        // A built-in rule (ANY, EOI, ASCII_DIGIT, ...): no keyword.
        return (BTreeSet::new(), false);
    };
    if !visiting.insert(name.to_string()) {
        return (BTreeSet::new(), false);
    }
    let result = first_of_expr(exprs, expr, visiting);
    visiting.remove(name);
    result
}

fn first_of_expr(
    exprs: &BTreeMap<String, Expr>,
    expr: &Expr,
    visiting: &mut BTreeSet<String>,
) -> (BTreeSet<String>, bool) {
    match expr {
        Expr::Str(text) | Expr::Insens(text) => (BTreeSet::new(), text.is_empty()),
        Expr::Range(..) => (BTreeSet::new(), false),
        Expr::Ident(name) => first_of_rule(exprs, name, visiting),
        Expr::Seq(a, b) => {
            let (mut first, nullable) = first_of_expr(exprs, a, visiting);
            if !nullable {
                return (first, false);
            }
            let (more, rest_nullable) = first_of_expr(exprs, b, visiting);
            first.extend(more);
            (first, rest_nullable)
        }
        Expr::Choice(a, b) => {
            let (mut first, a_nullable) = first_of_expr(exprs, a, visiting);
            let (more, b_nullable) = first_of_expr(exprs, b, visiting);
            first.extend(more);
            (first, a_nullable || b_nullable)
        }
        Expr::Opt(inner) | Expr::Rep(inner) | Expr::RepMax(inner, _) => {
            (first_of_expr(exprs, inner, visiting).0, true)
        }
        Expr::RepOnce(inner) | Expr::Push(inner) => first_of_expr(exprs, inner, visiting),
        Expr::RepExact(inner, n) | Expr::RepMin(inner, n) | Expr::RepMinMax(inner, n, _) => {
            let (first, nullable) = first_of_expr(exprs, inner, visiting);
            (first, nullable || *n == 0)
        }
        // Lookaheads consume nothing, and the rest (stack slices, skips) begins no keyword.
        _ => (BTreeSet::new(), true),
    }
}

#[cfg(test)]
mod tests {
    use super::keywords_at;

    fn at_end(text: &str) -> Vec<String> {
        keywords_at(text, text.len())
    }

    #[test]
    fn a_new_line_in_a_block_offers_every_attribute_keyword() {
        let offered = at_end("project a \"A\" {\n  ");
        for keyword in [
            "duration",
            "after",
            "finishes",
            "cost",
            "owner",
            "milestone",
            "allow",
        ] {
            assert!(
                offered.iter().any(|k| k == keyword),
                "{keyword} in {offered:?}"
            );
        }
        assert!(!offered.iter().any(|k| k == "capital"), "{offered:?}");
    }

    #[test]
    fn after_a_keyword_only_what_may_follow_it() {
        assert_eq!(
            at_end("project a {\n  cost "),
            ["capital", "one-off", "revenue"]
        );
        assert_eq!(at_end("project a {\n  duration 3 months "), ["range"]);
        assert!(at_end("project a {\n  after ").contains(&"start".to_string()));
        assert_eq!(
            at_end("project a {\n  saving £1k per year from "),
            ["finish", "start"]
        );
    }

    #[test]
    fn nothing_inside_a_comment_a_string_or_after_a_mistake() {
        assert!(at_end("project a { # cost ").is_empty());
        assert!(at_end("project a \"cost ").is_empty());
        assert!(at_end("project a {\n  cost £££ ").is_empty());
    }
}
