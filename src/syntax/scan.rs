//! A small lexical scan of a file that needs no grammar: it finds comments, braces and words
//! outside strings and comments. Used before parsing (the depth limit, so pest never sees text
//! nested deeper than it can bear) and after parsing (`ast::File::comments`, for `fmt`).
//!
//! Invariant: it splits text exactly as the grammar does: a string runs from `"` to the next
//! unescaped `"` or the line end (strings are one line), a comment from `#` outside a string to
//! the line end, and `\` escapes the next character inside a string. So a `{` the grammar could
//! nest on is a `{` this scan counts, and a `#` it calls a comment the grammar skipped.

use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::syntax::ast;

/// The deepest `{ … }` nesting accepted. Deeper text is refused before pest sees it, so neither
/// pest's recursion nor ours can run out of stack, whatever the input.
pub(crate) const MAX_DEPTH: usize = 64;

/// Something the scan found outside strings and comments (or a comment itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// A `#` comment, from `#` to the line end (exclusive).
    Comment {
        start: usize,
        end: usize,
    },
    Open(usize),
    Close(usize),
}

/// Calls `f` with each token of `text` from byte `from`, in order.
pub(crate) fn scan(text: &str, from: usize, mut f: impl FnMut(Token)) {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        // Most of a plan is words and spaces: jump straight to the next byte that matters
        // (a table lookup per byte, not a four-way match), which is most of the scan's time.
        match bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| SPECIAL[b as usize]))
        {
            Some(skip) => i += skip,
            None => return,
        }
        let Some(&b) = bytes.get(i) else { return };
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' | b'\r' => break,
                        b'\\' => match bytes.get(i + 1) {
                            Some(b'\n' | b'\r') | None => i += 1,
                            Some(_) => i += 2,
                        },
                        _ => i += 1,
                    }
                }
            }
            b'#' => {
                let start = i;
                i = bytes
                    .get(i..)
                    .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
                    .map_or(bytes.len(), |end| i + end);
                f(Token::Comment { start, end: i });
            }
            b'{' => {
                f(Token::Open(i));
                i += 1;
            }
            _ => {
                f(Token::Close(i));
                i += 1;
            }
        }
    }
}

/// The bytes `scan` stops at: `"`, `#`, `{` and `}`.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'#' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table
};

/// The comments of a file and, when it nests deeper than [`MAX_DEPTH`], the E005 that stops
/// it being parsed: one pass over the text for both.
pub(crate) fn comments_and_depth(
    file: FileId,
    text: &str,
) -> (Vec<ast::Comment>, Option<Diagnostic>) {
    let mut comments = Vec::new();
    let mut depth = 0usize;
    let mut too_deep = None;
    scan(text, 0, |token| match token {
        Token::Comment { start, end } => comments.push(ast::Comment {
            text: compact_str::CompactString::from(text.get(start..end).unwrap_or_default()),
            span: Span::new(file, start, end),
        }),
        Token::Open(at) => {
            depth += 1;
            if depth > MAX_DEPTH && too_deep.is_none() {
                too_deep = Some(at);
            }
        }
        // A stray `}` cannot make later nesting shallower than the grammar sees it.
        Token::Close(_) => depth = depth.saturating_sub(1),
    });
    (comments, too_deep.map(|at| too_deep_at(file, at)))
}

/// Every comment of a file, in order.
#[cfg(test)]
pub(crate) fn comments(file: FileId, text: &str) -> Vec<ast::Comment> {
    comments_and_depth(file, text).0
}

/// E005 at the first `{` that opens a block deeper than [`MAX_DEPTH`], if there is one.
#[cfg(test)]
pub(crate) fn check_depth(file: FileId, text: &str) -> Option<Diagnostic> {
    comments_and_depth(file, text).1
}

fn too_deep_at(file: FileId, at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::E005TooDeep,
        Span::new(file, at, at + 1),
        format!("blocks are nested more than {MAX_DEPTH} deep"),
    )
    .with_hint(format!(
        "nest programmes, projects and milestones at most {MAX_DEPTH} levels deep; \
         move some programmes to the top level"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_skip_strings_and_keep_their_text() {
        let text = "owner \"a # not a comment\" # real\r\n# second\n\"open # string\n# third";
        let found: Vec<String> = comments(FileId(0), text)
            .into_iter()
            .map(|c| format!("{}..{} {}", c.span.start, c.span.end, c.text))
            .collect();
        assert_eq!(
            found,
            ["26..32 # real", "34..42 # second", "58..65 # third"]
        );
    }

    #[test]
    fn escaped_quote_does_not_end_a_string() {
        let found = comments(FileId(0), r#"owner "a \" # still string" # c"#);
        assert_eq!(found.len(), 1);
        assert_eq!(found.first().map(|c| c.text.as_str()), Some("# c"));
    }

    #[test]
    fn depth_limit_points_at_the_first_brace_too_deep() {
        let ok = "{".repeat(MAX_DEPTH) + &"}".repeat(MAX_DEPTH);
        assert_eq!(check_depth(FileId(0), &ok), None);
        let deep = "{".repeat(MAX_DEPTH + 3);
        let d = check_depth(FileId(0), &deep).map(|d| (d.code, d.span));
        assert_eq!(
            d,
            Some((
                Code::E005TooDeep,
                Some(Span::new(FileId(0), MAX_DEPTH, MAX_DEPTH + 1))
            ))
        );
        // Braces in strings and comments do not nest.
        let quoted = format!("\"{}\" #{}", "{".repeat(100), "{".repeat(100));
        assert_eq!(check_depth(FileId(0), &quoted), None);
    }
}
