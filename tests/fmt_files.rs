//! `fmt` over real text: every plan in the repository, and messy inputs written to provoke
//! the printer (bad indentation, several attributes on a line, comments everywhere, CRLF,
//! tabs). For each: the output parses to the same AST (spans aside), keeps every comment, and
//! formats to itself. Snapshots of the messy inputs show the canonical layout (reviewed).

use std::path::{Path, PathBuf};

use tranche::diagnostic::FileId;
use tranche::{fmt, syntax};

/// The whole-file example of the language brief, with its aligned comments.
const LANGUAGE_EXAMPLE: &str = include_str!("fixtures/syntax/language_example.tranche");

/// Bad indentation, several attributes on one line, attributes spread over lines, runs of
/// blank lines, compact spellings (`14months`, `b+2w`), blocks with nothing in them.
const MESSY_LAYOUT: &str = "portfolio \"Plan\"{
start 2020-04-01   end 2025-03-31
      status-date 2021-01-15


        currency GBP financial-year-start jan
   discount-rate 3.5%   rag amber 10 days red 30 days
  }
calendar council {}
calendar office { weekend saturday sunday closed 2020-12-24 to 2021-01-01 \"Christmas\" closed 2021-05-03 }
theme access \"Access\"


theme operations \"Operations\"
programme front-door \"Front door\" {owner \"Group \\\"MASH\\\" manager\"
project referral-form {
duration 4mo after
  case-system.go-live+2 weeks ,
    intake - 1 w
finishes after start of case-system
tags [ digital,children ]
}
    project intake \"Intake\" {}
}
project case-system \"Case system\" { duration 14months range 10 to 20 months
not-before 2020-06-01 deadline 2022-03-31
cost capital £1.8m cost revenue £120k per year from finish for 3y
cost one-off £20k at go-live
saving £400k per year from finish range £300k to £500k ramp 6 months
benefit \"Time\" £250k per year from 2022-04-01
milestone go-live \"Live\" at finish milestone kick-off at start
actual-start 2020-06-08 complete 35% baseline 2020-06-01 to 2021-08-31
description \"a \\\\ b\" calendar council theme operations }
milestone ofsted \"Ofsted\" on 2021-10-04
include \"other.tranche\"
";

/// Comments in every place a comment can stand.
const COMMENTS_EVERYWHERE: &str = "# file header

# second header paragraph
portfolio \"Plan\" { # after the brace
  # before start
  start 2020-04-01 # why this start
  end 2025-03-31 # why this end


  # a paragraph of its own
  currency GBP
  # last in the portfolio
} # after the closing brace
# about the project
project a # between the id
  \"Title\" # and the brace
{
  after b, # first target
    c # last target
  duration 2 weeks
}
project empty { # nothing here yet
}
project b project c # on the same line as two items
# the end

# really the end
";

/// Windows line endings, tabs for indentation, a byte-order mark, non-ASCII text.
const CRLF_AND_TABS: &str = "\u{feff}# Plan für 2021 £\r\nportfolio \"Café plan\" {\r\n\tstart 2020-04-01\t# tab before\r\n\tend 2025-03-31\r\n}\r\n\r\nproject a {\r\n\t\tduration\t2\tweeks\r\n\towner \"Zoë\"\r\n}\r\n";

/// Corners: a milestone with timing and a body, comments inside a tag list and a dependency
/// list, items sharing a line with a closing brace, an empty portfolio, nested programmes.
const ODD_CORNERS: &str = "portfolio \"P\" {}
programme outer { programme inner { project deep { tags [a, # the first tag
  b] } } } project next
milestone review \"Review\" at finish { baseline 2021-10-04 # approved date
}
milestone fixed on 2021-10-04 {   }
project x { after # whose finish
  a + 2 weeks, # gap for sign-off
  b
  owner \"Zoë \\\\ \\\"Ops\\\"\" }   # the owner
project y { after start of x finishes after x - 2d finishes after start of outer.next
  actual-start 2020-06-08 actual-finish 2020-07-01 baseline 2020-06-01 budget revenue £1m in 2021/22
  cost revenue £1,200.50 per year from 2021-04-01 for 2 years ramp 3mo
  cost one-off £5k at 2021-01-04 saving £1k per year from start for 1y }
";

const MESSY: [(&str, &str); 5] = [
    ("language_example", LANGUAGE_EXAMPLE),
    ("messy_layout", MESSY_LAYOUT),
    ("comments_everywhere", COMMENTS_EVERYWHERE),
    ("crlf_and_tabs", CRLF_AND_TABS),
    ("odd_corners", ODD_CORNERS),
];

/// The AST's Debug text with every span replaced by `_`, so two parses of differently laid
/// out text compare equal exactly when they say the same thing.
fn without_spans(debug: &str) -> String {
    // Compact (`Span { file: FileId(0), .. }`) or pretty, a span's text opens with `Span {`
    // and closes at the next `}` (its fields hold no braces).
    const SPAN: &str = "Span {";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find(SPAN) {
        out.push_str(&rest[..at]);
        out.push('_');
        let after = &rest[at..];
        let close = after.find('}').expect("a span's Debug text ends with `}`");
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn comment_texts(file: &tranche::syntax::ast::File) -> Vec<String> {
    let mut texts: Vec<String> = file
        .comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect();
    texts.sort();
    texts
}

/// Formats `text`, checks the three promises of `fmt`, and returns the formatted text.
/// `None` when the text has syntax errors (fmt refuses it).
fn check(name: &str, text: &str) -> Option<String> {
    let (before, diagnostics) = syntax::parse(FileId(0), text);
    let formatted = match fmt::format_source(FileId(0), text) {
        Ok(formatted) => formatted,
        Err(errors) => {
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "{name}: fmt refused a file the parser accepts"
            );
            assert!(!errors.is_empty(), "{name}: refused without a reason");
            return None;
        }
    };
    let (after, diagnostics) = syntax::parse(FileId(0), &formatted);
    assert!(
        diagnostics.is_empty(),
        "{name}: the formatted text does not parse cleanly: {diagnostics:#?}\n{formatted}"
    );
    assert_eq!(
        without_spans(&format!("{:#?}", before.items)),
        without_spans(&format!("{:#?}", after.items)),
        "{name}: formatting changed the meaning\n{formatted}"
    );
    assert_eq!(
        comment_texts(&before),
        comment_texts(&after),
        "{name}: formatting lost or duplicated a comment\n{formatted}"
    );
    let again = fmt::format(&after, &formatted);
    assert_eq!(again, formatted, "{name}: formatting is not idempotent");
    Some(formatted)
}

fn tranche_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            tranche_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "tranche") {
            found.push(path);
        }
    }
}

#[test]
fn every_plan_in_the_repository_formats_faithfully() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    tranche_files(&root.join("portfolios"), &mut files);
    tranche_files(&root.join("tests/fixtures"), &mut files);
    files.sort();
    let mut n_formatted = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // a fixture of bytes that are not UTF-8 text
        };
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let formatted = check(&name, &text).is_some();
        // Example plans and `ok_` fixtures are clean by definition: fmt must accept them.
        let must_parse = name.starts_with("portfolios")
            || path
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with("ok_"));
        assert!(formatted || !must_parse, "{name}: fmt refused a clean plan");
        n_formatted += usize::from(formatted);
    }
    for (name, text) in MESSY {
        assert!(check(name, text).is_some(), "{name}: expected to parse");
        n_formatted += 1;
    }
    assert!(n_formatted >= MESSY.len());
}

#[test]
fn messy_inputs_take_the_canonical_layout() {
    for (name, text) in MESSY {
        let formatted = check(name, text).unwrap_or_else(|| panic!("{name}: expected to parse"));
        insta::assert_snapshot!(name, formatted);
    }
}

#[test]
fn a_file_with_syntax_errors_is_refused() {
    let errors = fmt::format_source(FileId(0), "project a {\n  duration\n}\n")
        .expect_err("a syntax error must stop fmt");
    assert!(errors.iter().any(|d| d.code.as_str() == "E001"));
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt::format_source(FileId(0), "").ok().as_deref(), Some(""));
    assert_eq!(
        fmt::format_source(FileId(0), "\n\n  \n").ok().as_deref(),
        Some("")
    );
    assert_eq!(
        fmt::format_source(FileId(0), "  # one\n\n\n\t# two  \r\n")
            .ok()
            .as_deref(),
        Some("# one\n\n# two\n")
    );
}

/// A piece of source text: code (tokens, strings, comments) or a run of whitespace between.
#[derive(Debug)]
enum Piece<'a> {
    Code(&'a str),
    /// Whitespace; `after_comment` when it holds the newline that ends a comment,
    /// `after_number` when it may separate a number from its unit (`2 weeks`), or comes
    /// before a saving's or benefit's `owner` or `measure` on its line, or is between the words
    /// of a `score`: the grammar keeps each of these on one line.
    Space {
        after_comment: bool,
        after_number: bool,
    },
}

/// Splits `text` into code and whitespace runs, aware of strings and comments.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut code_start = 0;
    let mut after_comment = false;
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() {
            let code = &text[code_start..at];
            if !code.is_empty() {
                pieces.push(Piece::Code(code));
            }
            let mut newline = c == '\n';
            while let Some((_, c)) = chars.next_if(|&(_, c)| c.is_whitespace()) {
                newline |= c == '\n';
            }
            let rest = chars.peek().map_or("", |&(at, _)| &text[at..]);
            let line = text[..at]
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .trim_start();
            let line_clause = !newline
                && (["owner ", "measure "].iter().any(|w| rest.starts_with(w))
                    && (line.starts_with("saving ") || line.starts_with("benefit "))
                    // A score's pairs are on its line (which may hold a `{` before it). Being
                    // wrong the other way, on a title that says "score", only keeps a space.
                    || {
                        let words: Vec<&str> = line.split_whitespace().collect();
                        words.iter().rposition(|w| *w == "score").is_some_and(|i| {
                            !words[i..].iter().any(|w| w.contains(['{', '}']))
                        })
                    });
            let after_number = code.ends_with(|c: char| c.is_ascii_digit()) || line_clause;
            pieces.push(Piece::Space {
                after_comment,
                after_number,
            });
            after_comment = false;
            code_start = chars.peek().map_or(text.len(), |&(at, _)| at);
        } else if c == '"' {
            let mut escaped = false;
            for (_, c) in chars.by_ref() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => break,
                    _ => escaped = false,
                }
            }
        } else if c == '#' {
            while chars.next_if(|&(_, c)| c != '\n').is_some() {}
            after_comment = true;
        }
    }
    if code_start < text.len() {
        pieces.push(Piece::Code(&text[code_start..]));
    }
    pieces
}

/// `text` with each whitespace run replaced by a choice of other whitespace (a newline kept
/// wherever one ends a comment). A choice of 48 or more (where a comment may go) puts a new
/// comment `# cN` there instead, each with its own text so a lost or doubled one shows.
fn respace(text: &str, choices: &[usize]) -> String {
    const ANY: [&str; 7] = [" ", "  ", "\t", "\n", "\r\n", "\n\n\n", " \n \t"];
    const NEWLINE: [&str; 4] = ["\n", "\r\n", "\n\n\n", " \n \t"];
    const IN_LINE: [&str; 3] = [" ", "  ", "\t"];
    let mut out = String::new();
    let mut choice = choices.iter().cycle();
    let mut n_comments = 0;
    for piece in pieces(text) {
        match piece {
            Piece::Code(code) => out.push_str(code),
            Piece::Space {
                after_comment,
                after_number,
            } => {
                let n = choice.next().copied().unwrap_or(0);
                if n >= 48 && !after_number && !after_comment {
                    n_comments += 1;
                    out.push_str(&format!(" # c{n_comments}\n"));
                    continue;
                }
                let options: &[&str] = match (after_comment, after_number) {
                    (true, _) => &NEWLINE,
                    (false, true) => &IN_LINE,
                    (false, false) => &ANY,
                };
                out.push_str(options[n % options.len()]);
            }
        }
    }
    out
}

#[test]
fn respacing_keeps_text_apart() {
    // The helper itself: whitespace in strings and the newline after a comment are respected.
    let text = "owner \"a  b\" # c d\nstart 2020-04-01";
    assert_eq!(
        respace(text, &[0]),
        "owner \"a  b\" # c d\nstart 2020-04-01"
    );
    assert_eq!(
        respace(text, &[2]),
        "owner\t\"a  b\"\t# c d\n\n\nstart\t2020-04-01"
    );
    assert_eq!(
        respace(text, &[50]),
        "owner # c1\n\"a  b\" # c2\n# c d\n\n\nstart # c3\n2020-04-01"
    );
}

proptest::proptest! {
    /// However the whitespace of a plan is laid out, fmt keeps its meaning and its comments and
    /// reaches a fixed point.
    #[test]
    fn any_spacing_formats_faithfully(
        which in 0..64usize,
        choices in proptest::collection::vec(0..64usize, 1..200),
    ) {
        // The messy inputs (CRLF_AND_TABS aside: its BOM is only valid first) and the example
        // plans, which are real.
        let mut plans: Vec<(String, String)> = [MESSY[0], MESSY[1], MESSY[2], MESSY[4]]
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let mut files = Vec::new();
        tranche_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("portfolios"), &mut files);
        files.sort();
        for path in files {
            if let Ok(text) = std::fs::read_to_string(&path) {
                plans.push((path.display().to_string(), text));
            }
        }
        let (name, text) = &plans[which % plans.len()];
        let text = respace(text, &choices);
        let messages: Vec<String> = syntax::parse(FileId(0), &text)
            .1
            .iter()
            .map(|d| format!("{:?} {}", d.span, d.message))
            .collect();
        proptest::prop_assert!(
            check(name, &text).is_some(),
            "{name} respaced: expected to parse, got {messages:#?}\n{text}"
        );
    }
}

#[test]
fn blank_lines_collapse_and_never_open_or_close_a_body() {
    let text = "\n\nproject a {\n\n\n  duration 2 weeks\n\n\n\n  owner \"x\"\n\n}\n\n\n";
    assert_eq!(
        fmt::format_source(FileId(0), text).ok().as_deref(),
        Some("project a {\n  duration 2 weeks\n\n  owner \"x\"\n}\n")
    );
}

#[test]
fn spellings_are_kept_but_spacing_is_canonical() {
    let text =
        "project a { duration 3d after b+2w,c -1 week cost capital £12,500 complete 7.5% }\n";
    assert_eq!(
        fmt::format_source(FileId(0), text).ok().as_deref(),
        Some(
            "project a {\n  duration 3 d\n  after b + 2 w, c - 1 week\n  cost capital £12,500\n  complete 7.5%\n}\n"
        )
    );
}

/// An empty block of each kind the grammar has (grammar/tranche.pest), keyed by its rule, the
/// nested ones inside their parent.
const EMPTY_BLOCKS: &[(&str, &str)] = &[
    ("portfolio", "portfolio \"Plan\" {}\n"),
    ("programme", "programme front-door \"Front door\" {}\n"),
    ("project", "project pilot \"Pilot\" {}\n"),
    ("milestone", "milestone review \"Review\" {}\n"),
    (
        "milestone",
        "project a {\n  milestone done at finish {}\n}\n",
    ),
    ("milestone", "milestone ofsted on 2021-10-04 {}\n"),
    ("calendar", "calendar council {}\n"),
    ("team", "team ict \"ICT applications\" {}\n"),
    ("raid_item", "risk supplier \"Supplier fails\" {}\n"),
    ("raid_item", "issue late {}\n"),
    ("raid_item", "assumption funding {}\n"),
    ("raid_item", "decision go {}\n"),
    (
        "mitigation",
        "risk supplier {\n  mitigation \"Second supplier\" {}\n}\n",
    ),
    ("scenario", "scenario bau \"Business as usual\" {}\n"),
    ("change", "scenario fast {\n  change pilot {}\n}\n"),
    ("change", "scenario fast {\n  change portfolio {}\n}\n"),
    ("criteria", "criteria {}\n"),
    ("criteria", "criteria {   }\n"),
];

/// Every block kind, empty, formats to text that parses to the same AST (a team or a
/// criteria block that lost its braces no longer parsed). The list must hold every rule of
/// the grammar that has a `body` or braces, so a new block kind cannot be left out.
#[test]
fn every_kind_of_empty_block_formats_faithfully() {
    let grammar = include_str!("../grammar/tranche.pest");
    for line in grammar.lines() {
        let Some((rule, definition)) = line.split_once(" = {") else {
            continue;
        };
        let opens_a_block = definition.contains("kw_")
            && (definition.contains(" body") || definition.contains("lbrace"));
        if opens_a_block {
            assert!(
                EMPTY_BLOCKS.iter().any(|(kind, _)| *kind == rule),
                "no empty `{rule}` block in EMPTY_BLOCKS"
            );
        }
    }
    for (kind, text) in EMPTY_BLOCKS {
        let name = format!("empty {kind}: {text:?}");
        assert!(check(&name, text).is_some(), "{name}: expected to parse");
    }
    // The braces the grammar requires stay, as `{}`.
    for (text, formatted) in [
        (
            "team ict \"ICT applications\" {}\n",
            "team ict \"ICT applications\" {}\n",
        ),
        ("criteria {   }\n", "criteria {}\n"),
        ("project pilot \"Pilot\" {}\n", "project pilot \"Pilot\"\n"),
    ] {
        assert_eq!(
            fmt::format_source(FileId(0), text).ok().as_deref(),
            Some(formatted)
        );
    }
}
