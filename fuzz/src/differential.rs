//! The fast path against pest on one input: parsing with `ParseMode::FastThenPest` (what
//! `syntax::parse` does) and with `ParseMode::PestOnly` (the grammar's own answer) must give
//! the same items, comments, span and diagnostics. The fast path may decline any item (pest
//! then parses it, and the results are equal by construction); it may never build a different
//! tree or hide a diagnostic. The same comparison as `src/syntax/fast/tests.rs`.
//!
//! Input, two kinds in one corpus, told apart by the first byte:
//! - [`STRUCTURED`] (`0xFF`, which never begins UTF-8 text) and then bytes that `arbitrary`
//!   turns into a [`Structured`] input: a plan from the grammar-aware generator
//!   (`plan_gen`, which reaches every rule of the grammar), compared as printed, and then
//!   compared again after a few byte-level edits (tokens inserted, spans deleted or
//!   duplicated). The generator keeps the fuzzer in well-formed text, where the fast path
//!   does its work; the edits reach the edges of it, where it must decline.
//! - anything else: raw text (invalid UTF-8 replaced), so the repository's plans and the
//!   `pipeline` corpus seed it as they are and libFuzzer's own mutations reach what no
//!   generator writes.

use arbitrary::{Arbitrary, Unstructured};
use tranche::diagnostic::FileId;
use tranche::syntax::{ParseMode, Taken, parse_with};

use super::plan_gen;

/// The first byte of a structured input.
pub const STRUCTURED: u8 = 0xFF;

/// Tokens whose insertion is likely to make something the fast path must get right: the
/// grammar's punctuation, keywords that change what follows, and separators.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "\"",
    "#",
    ",",
    ".",
    "+",
    "-",
    "%",
    "£",
    "$",
    "€",
    "\\",
    "\n",
    "\r",
    "\t",
    " ",
    "[",
    "]",
    "start",
    "finish",
    "of",
    "to",
    "in",
    "range",
    "after",
    "at",
    "on",
    "ramp",
    "for",
    "capital",
    "revenue",
    "lint",
    "allow",
    "W107",
    "risk",
    "distribution",
    "optimism-bias",
    "description",
    "currency",
    "1",
    "1.5",
    "2020-01-01",
    "2021/22",
    "x",
    "X",
    "_",
    "a.m1",
    "project p",
    "days",
    "d",
    "mo",
];

/// One edit of the printed plan, at a byte offset (moved back to a character boundary).
#[derive(Debug, Arbitrary)]
pub enum Edit {
    InsertToken { at: u16, token: u8 },
    InsertByte { at: u16, byte: u8 },
    Delete { at: u16, len: u8 },
    Duplicate { at: u16, len: u8 },
}

impl Edit {
    fn apply(&self, text: &mut String) {
        let boundary = |text: &str, mut at: usize| {
            at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        match *self {
            Edit::InsertToken { at, token } => {
                let at = boundary(text, usize::from(at));
                text.insert_str(at, TOKENS[usize::from(token) % TOKENS.len()]);
            }
            Edit::InsertByte { at, byte } => {
                let at = boundary(text, usize::from(at));
                text.insert(at, char::from(byte & 0x7F));
            }
            Edit::Delete { at, len } => {
                let at = boundary(text, usize::from(at));
                let end = boundary(text, at + usize::from(len % 16) + 1);
                text.replace_range(at..end, "");
            }
            Edit::Duplicate { at, len } => {
                let at = boundary(text, usize::from(at));
                let end = boundary(text, at + usize::from(len % 32) + 1);
                let copy = text[at..end].to_string();
                text.insert_str(end, &copy);
            }
        }
    }
}

/// A generated plan and the edits made to a copy of it.
#[derive(Debug, Arbitrary)]
pub struct Structured {
    edits: Vec<Edit>,
    plan: plan_gen::Input,
}

/// Runs one fuzz input; panics, naming the difference, when the two paths disagree.
pub fn run(data: &[u8]) {
    match data.split_first() {
        Some((&STRUCTURED, rest)) => {
            let Ok(input) = Structured::arbitrary_take_rest(Unstructured::new(rest)) else {
                return;
            };
            let (root, included) = input.plan.files();
            compare(&root);
            compare(&included);
            if !input.edits.is_empty() {
                let mut edited = root;
                for edit in input.edits.iter().take(4) {
                    edit.apply(&mut edited);
                }
                compare(&edited);
            }
        }
        _ => {
            compare(&String::from_utf8_lossy(data));
        }
    }
}

/// Parses `text` both ways and panics at the first difference; returns what each path took.
pub fn compare(text: &str) -> Taken {
    let file = FileId(0);
    let (fast, fast_diagnostics, taken) = parse_with(file, text, ParseMode::FastThenPest);
    let (pest, pest_diagnostics, pest_taken) = parse_with(file, text, ParseMode::PestOnly);
    assert_eq!(pest_taken.fast, 0, "ParseMode::PestOnly used the fast path");
    if let Some(n) = (0..fast.items.len().max(pest.items.len()))
        .find(|&n| fast.items.get(n) != pest.items.get(n))
    {
        panic!(
            "item {n} differs between the fast path and pest\n\
             fast path: {:#?}\npest:      {:#?}\ntext:\n{text}",
            fast.items.get(n),
            pest.items.get(n)
        );
    }
    assert_eq!(
        fast.comments, pest.comments,
        "comments differ; text:\n{text}"
    );
    assert_eq!(fast.span, pest.span, "the file's span differs");
    assert_eq!(
        fast_diagnostics, pest_diagnostics,
        "diagnostics differ between the fast path and pest; text:\n{text}"
    );
    taken
}
