//! The fast path against pest: on every plan in the repository, on generated plans and on
//! mutations of them, parsing with and without the fast path gives the same items, comments
//! and diagnostics; and the fast path really is what parses the well-formed ones.

/// The fuzzer's grammar-aware plan generator: plans using every construct, from any bytes.
#[allow(dead_code)]
#[path = "../../../fuzz/src/plan_gen.rs"]
mod plan_gen;
#[allow(dead_code)]
#[path = "../../../benches/support/plangen.rs"]
mod plangen;

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::diagnostic::{Diagnostic, FileId};
use crate::syntax::ast;
use crate::syntax::{ParseMode, Taken, parse_with};

/// Parses `text` both ways, asserts the results are equal, and returns what the fast path took.
fn same_both_ways(text: &str, what: &str) -> Taken {
    let file = FileId(0);
    let (fast, fast_diagnostics, taken): (ast::File, Vec<Diagnostic>, Taken) =
        parse_with(file, text, ParseMode::FastThenPest);
    let (slow, slow_diagnostics, slow_taken) = parse_with(file, text, ParseMode::PestOnly);
    assert_eq!(
        slow_taken.fast, 0,
        "{what}: the switch turns the fast path off"
    );
    assert_eq!(fast.items, slow.items, "{what}: items differ\n{text}");
    assert_eq!(fast.comments, slow.comments, "{what}: comments differ");
    assert_eq!(fast.span, slow.span, "{what}: spans differ");
    assert_eq!(
        fast_diagnostics, slow_diagnostics,
        "{what}: diagnostics differ\n{text}"
    );
    taken
}

/// Every file under `dir` (recursively), sorted, whose name ends with `suffix` (any if empty).
fn files_under(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push(path);
        }
    }
}

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn every_plan_in_the_repository_parses_the_same_both_ways() {
    let mut files = Vec::new();
    for dir in ["portfolios", "tests", "examples", "docs"] {
        files_under(&repository().join(dir), ".tranche", &mut files);
    }
    assert!(files.len() > 50, "found only {} plans", files.len());
    let mut taken = Taken::default();
    for path in &files {
        let one = same_both_ways(&read(path), &path.display().to_string());
        taken.fast += one.fast;
        taken.pest += one.pest;
    }
    // Most fixtures are well formed: the fast path must be what parses them.
    assert!(
        taken.fast > 10 * taken.pest,
        "the fast path took {} items and declined {}",
        taken.fast,
        taken.pest
    );
}

/// The plans the fuzzer's generator makes from `data` (the root file and an included one).
fn generated_by_fuzzer(data: &[u8]) -> Option<(String, String)> {
    use arbitrary::{Arbitrary, Unstructured};
    let input = plan_gen::Input::arbitrary_take_rest(Unstructured::new(data)).ok()?;
    Some(input.files())
}

#[test]
fn the_fuzz_corpus_parses_the_same_both_ways() {
    // Raw text (mostly broken) for the pipeline target; the grammar-aware target's inputs are
    // bytes its generator turns into plans.
    let mut raw = Vec::new();
    files_under(&repository().join("fuzz/corpus/pipeline"), "", &mut raw);
    let mut plans = Vec::new();
    files_under(&repository().join("fuzz/corpus/plans"), "", &mut plans);
    let mut taken = Taken::default();
    let mut add = |one: Taken| {
        taken.fast += one.fast;
        taken.pest += one.pest;
    };
    for path in &raw {
        add(same_both_ways(&read(path), &path.display().to_string()));
    }
    for path in &plans {
        let data = std::fs::read(path).unwrap_or_default();
        if let Some((root, included)) = generated_by_fuzzer(&data) {
            add(same_both_ways(&root, &path.display().to_string()));
            add(same_both_ways(&included, &path.display().to_string()));
        }
    }
    if !raw.is_empty() || !plans.is_empty() {
        assert!(taken.fast > 0, "the fast path took nothing from the corpus");
    }
}

#[test]
fn the_example_portfolios_are_parsed_entirely_by_the_fast_path() {
    let mut files = Vec::new();
    files_under(&repository().join("portfolios"), ".tranche", &mut files);
    assert!(files.len() >= 4, "found only {} portfolios", files.len());
    for path in &files {
        let taken = same_both_ways(&read(path), &path.display().to_string());
        assert_eq!(taken.pest, 0, "{}: pest parsed some items", path.display());
        assert!(taken.fast > 0, "{}: no items", path.display());
    }
}

#[test]
fn generated_plans_are_parsed_entirely_by_the_fast_path() {
    for (n, seed, shape) in [
        (300, 1, plangen::Shape::Portfolio),
        (120, 7, plangen::Shape::Chain),
    ] {
        let (text, _) = plangen::generate(n, seed, shape);
        let taken = same_both_ways(&text, "a generated plan");
        assert_eq!(taken.pest, 0, "pest parsed some of a generated plan");
        assert!(taken.fast >= 2, "took only {} items", taken.fast);
    }
}

/// Small pieces of the grammar where PEG's choices are easy to get wrong, and well-formed
/// ones the fast path must take.
#[test]
fn tricky_pieces_parse_the_same_both_ways() {
    let cases = [
        // Keywords are not reserved; `start` without `of` is a name.
        "project a { after start }",
        "project a { after start of b + 2 weeks, c.d - 1w }",
        "project a { finishes after start of b }",
        "project a { finishes after start, b }",
        "project a { after start ofx }",
        "project duration \"d\" { duration 3mo range 2 to 4 months }",
        "project a { duration 3 months range 2 weeks to 1 y }",
        "project a { duration 3\tmonths range 2 to }",
        "project a { duration 1.5 weeks }",
        "project a { duration 1. weeks }",
        "project a { duration 3 dayz }",
        "project a { after b+1d,c-2d }",
        "project a { after b. }",
        "project a { after b.C }",
        "project a { after bC }",
        "project a { after b_ }",
        // Money and recurrences.
        "project a { cost capital £1,200.50k }",
        "project a { cost capital £1,,2 }",
        "project a { cost capital £1b }",
        "project a { cost capital $2bn cost revenue €3m per year from start ramp 2 months }",
        "project a { cost one-off £5 at start-up }",
        "project a { cost one-off £5 at 2020-01-01 }",
        "project a { cost one-off £5 at a.b }",
        "project a { saving £1 per year from finish for 2 years ramp 1 month range £1 to £2 }",
        "project a { saving £1 per year from finish for 2 years for 3 years }",
        "project a { cost revenue £1 per year from finish range £1 to £2 }",
        "project a { saving £1 per year from finish ramp 1 month ramp 2 months }",
        "project a { saving £1 per year from finish range £1 to £2 range £1 to £2 }",
        "project a { benefit \"b\" £1 per year from m for 1y }",
        "project a { saving £1 per year from start.x }",
        // A saving's register clauses belong to it only on its own line.
        "project a { saving £1 per year from finish owner \"o\" measure \"m\" }",
        "project a { saving £1 per year from finish ramp 1 month\towner \"o\" }",
        "project a { saving £1 per year from finish\n owner \"o\" }",
        "project a { saving £1 per year from finish\r\n  measure \"m\" }",
        "project a { saving £1 per year from finish # c\n owner \"o\" }",
        "project a { saving £1 per year from finish owner \"o\" owner \"p\" }",
        "project a { saving £1 per year from finish owner 5 }",
        "project a { saving £1 per year from finish owner\n\"o\" measure \"m\" }",
        "project a { saving £1 per year from finish ownerx \"o\" }",
        "project a { benefit \"b\" £1 per year from m for 1y measure \"m\" owner \"o\" }",
        "project a { benefit \"b\" £1 per year from m range £1 to £2 measure \"m\" }",
        "project a { cost revenue £1 per year from finish owner \"o\" }",
        // Capital ranges and the RAID log.
        "project a { cost capital £1m range £1 to £2m }",
        "project a { cost capital £1m range £1 to }",
        "project a { cost capital £1m range £1 to £2 range £1 to £2 }",
        "risk distribution pert",
        "risk distribution \"named distribution\" { probability 5% }",
        "risk distribution",
        "risk r \"R\" { probability 20% affects a delay 2 months to 4 mo affects a.b cost capital £1 to £2 }",
        "risk r { affects a saving -£50k to - £80k per year }",
        "risk r { affects a saving -£50k to -£80k per year }",
        "risk r { affects a saving £50k per year affects a saving -£1 }",
        "risk r { affects a delay 2 months to }",
        "risk r { affects a cost revenue £1 }",
        "risk r { mitigation \"m\" { probability 5% cost capital £40k } status open review 2021-03-31 }",
        "risk r { mitigation { } mitigation }",
        "issue i \"I\" { raised 2020-01-01 due 2021-01-01 status closed }",
        "assumption a { until 2021-04-30 }",
        "decision d { on 2020-09-10 by \"Board\" on }",
        "project a { on 2020-01-01 status-date 2020-01-01 status x }",
        "risk r",
        // Strings, comments and odd spacing.
        "project a \"t # not a comment\" # a comment\n{ owner \"x\" }",
        "project a \"with \\\" escape\" { }",
        "project a \"unknown \\q escape\" { }",
        "project a \"unterminated\n{ }",
        "project a\n# comment\n\"t\"\n{\n}\n",
        "project a { owner \"x\" } trailing",
        "project a { owner \"x\" garbage }",
        "project a { owner \"x\" }}",
        "project a { project b {",
        "project a",
        "project a \"t\"",
        "project a {}\r\nproject b {}\rproject c {}",
        "\u{feff}project a {}",
        "project a { tags [] tags [x] tags [x, y,] tags [x,, y] }",
        "project a { tags [x y] }",
        // Scenarios, criteria and scores (issue 23).
        "scenario s \"S\" { baseline-option remove * keep a, b }",
        "scenario s { remove a, b change a { duration 2 months cost capital £1m } }",
        "scenario s { change portfolio { budget capital £2m in 2021/22 } }",
        "scenario s { change portfolio }",
        "scenario s { remove a, }",
        "scenario s { remove a b }",
        "scenario s { remove *, a }",
        "scenario s",
        "scenario s { keep }",
        "criteria { strategic 40% deliverability 30%\n savings 30% }",
        "criteria { strategic 40 % }",
        "criteria { }",
        "criteria { a 1% b }",
        "project a { score strategic 5 deliverability 3 mandatory }",
        "project a { score strategic 5 deliverability }",
        "project a { score strategic 5.5 x 2 duration 3 months }",
        "project a { score }",
        // A score's pairs are on its line: the next line is the next attribute, whatever
        // its words (a criterion may be named like a keyword, as `risk` and `priority` are).
        "project a { score strategic 2\n actual-start 2021-04-01 }",
        "project a { score strategic 2\n  priority 3\n}",
        "project a { score strategic 2\n  duration 3 months\n}",
        "project a { score strategic 2\r\n  complete 50%\r\n}",
        "project a { score risk 2 priority 3 duration 4\n  priority 3\n}",
        "project a { score strategic 2 # why\n  value 3\n}",
        "project a { score\n  strategic 2\n}",
        "project a { score strategic\n  2\n}",
        "project a { score\tstrategic\t2  value \t 3\n}",
        "project a { score strategic 2 value\n 3\n}",
        "project a { score strategic 2 x 3-4 }",
        "project a { score strategic 2-04 }",
        "project a { mandatory mandatory }",
        // Milestones.
        "milestone m \"M\" at finish { baseline 2020-01-01 }",
        "milestone m at start",
        "milestone m on 2021-10-04",
        "milestone m at",
        "milestone m on 2021-1-04",
        // Portfolio settings and calendars.
        "portfolio \"P\" { start 2020-01-01 end 2021-01-01 status-date 2020-06-01 }",
        "portfolio { currency GBP discount-rate 3.5% financial-year-start sept }",
        "portfolio { currency gbp-x }",
        "portfolio",
        "portfolio \"P\"",
        "portfolio { target savings £1.2m in 2022/23 budget capital £2.5m in 2021/22 }",
        "portfolio { budget revenue £2 in 2021/223 }",
        "portfolio { rag amber 10 days red 30d risk distribution triangular }",
        "portfolio { lint high-float 44 days lint non-fs-share 10% lint x 10 % }",
        "portfolio { allow W107, W102 W103 allow x }",
        "portfolio { allow W107, }",
        "portfolio { optimism-bias capital 24% }",
        "calendar c { based-on e weekend sat, sun closed 2020-12-24 to 2021-01-01 \"x\" }",
        "calendar c { weekend saturday sunday mon closed 2021-05-03 \"why\" }",
        "calendar c",
        "calendar c \"title\" { }",
        "theme t \"T\"\ntheme u\ninclude \"other.tranche\"",
        "start 2020-01-01end 2021-01-01",
        "start 2020-01-01x",
        "start 2020-01-011",
        "project a { complete 35% actual-start 2020-01-01 actual-finish 2020-02-01 }",
        "project a { not-before 2020-01-01 deadline 2020-01-02 calendar c theme t }",
        "project a { description \"é ünïcode £\" }",
        "project a { baseline 2020-01-01 to }",
        "}",
        "project a { } }",
        "garbage\nproject a {}",
        "project a {} garbage",
        "project a { duration 3 days } project b { duration 3 days duration }",
    ];
    let mut fast = 0;
    for text in cases {
        fast += same_both_ways(text, text).fast;
    }
    assert!(
        fast > cases.len() / 2,
        "the fast path took only {fast} items"
    );
}

/// A generated plan and the hand-written examples, as material to mutate.
fn seeds() -> Vec<String> {
    let mut seeds = vec![plangen::generate(12, 3, plangen::Shape::Portfolio).0];
    let mut files = Vec::new();
    files_under(&repository().join("portfolios"), ".tranche", &mut files);
    seeds.extend(files.iter().map(|path| read(path)));
    seeds
}

/// Tokens whose insertion is likely to make something the fast path must get right.
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
    "\\",
    "\n",
    " ",
    "start",
    "of",
    "to",
    "range",
    "after",
    "at",
    "on",
    "ramp",
    "for",
    "1",
    "2020-01-01",
    "x",
    "X",
    "_",
    "project p",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Plans from the fuzzer's generator (every construct, odd numbers and dates), as written
    /// and with one byte or token inserted: both paths agree, and the fast path takes a plan
    /// without syntax errors whole.
    #[test]
    fn fuzzer_plans_parse_the_same_both_ways(
        data in proptest::collection::vec(any::<u8>(), 0..600),
        at in 0usize..100_000,
        token in 0usize..TOKENS.len(),
    ) {
        if let Some((root, included)) = generated_by_fuzzer(&data) {
            let taken = same_both_ways(&root, "a fuzzer plan");
            // The generator also writes malformed literals (`0000-00-100`) and bad lines; a
            // plan without syntax errors must be the fast path's alone, unless it has a string
            // with an escape, which the fast path leaves to pest by design.
            let (_, diagnostics) = crate::syntax::parse(FileId(0), &root);
            if diagnostics.is_empty() && !root.contains('\\') {
                prop_assert_eq!(taken.pest, 0, "pest parsed part of\n{}", root);
            }
            same_both_ways(&included, "a fuzzer plan's include");
            let mut at = at % (root.len() + 1);
            while !root.is_char_boundary(at) {
                at -= 1;
            }
            let (before, after) = root.split_at(at);
            same_both_ways(&format!("{before}{}{after}", TOKENS[token]), "a mutated fuzzer plan");
        }
    }

    /// Deleting, duplicating or inserting a byte or a token anywhere in a valid plan: both
    /// paths still agree on everything.
    #[test]
    fn mutated_plans_parse_the_same_both_ways(
        seed in 0usize..8,
        at in 0usize..100_000,
        len in 1usize..12,
        edit in 0usize..4,
        token in 0usize..TOKENS.len(),
        byte in 0u8..128,
    ) {
        let seeds = seeds();
        let text = &seeds[seed % seeds.len()];
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let (before, after) = text.split_at(at);
        let mutated = match edit {
            0 => format!("{before}{}", &text[end.max(at)..]),
            1 => format!("{}{}", &text[..end.max(at)], &text[at..]),
            2 => format!("{before}{}{after}", TOKENS[token]),
            _ => format!("{before}{}{after}", char::from(byte)),
        };
        same_both_ways(&mutated, "a mutated plan");
    }
}

proptest! {
    // Each case is a whole example plan, often with many errors (slow in a debug build).
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Spaces in a valid plan turned into other whitespace or comments (which the grammar
    /// skips between tokens, but not inside a duration or a string): both paths agree.
    #[test]
    fn respaced_plans_parse_the_same_both_ways(
        seed in 0usize..8,
        choices in proptest::collection::vec(0usize..40, 1..200),
    ) {
        const SPACES: &[&str] = &["\t", "\r\n", "\n# c { \" }\n", "  ", "\r", "#\n", "\n"];
        let seeds = seeds();
        let text = &seeds[seed % seeds.len()];
        let mut respaced = String::with_capacity(text.len() * 2);
        let mut choice = choices.iter().cycle();
        for c in text.chars() {
            match (c, choice.next()) {
                (' ', Some(&k)) if k < SPACES.len() => respaced.push_str(SPACES[k]),
                _ => respaced.push(c),
            }
        }
        same_both_ways(&respaced, "a respaced plan");
    }
}
