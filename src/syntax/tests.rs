//! Tests of the whole syntax stage: text in, AST and diagnostics out.

use crate::diagnostic::{Code, Diagnostic, FileId, SourceMap};
use crate::syntax::ast::{self, Attr};
use crate::syntax::parse;

/// The diagnostics of `text` as users would read them: `line:col CODE message (hint)`.
fn errors(text: &str) -> String {
    let mut sources = SourceMap::new();
    let file = sources.add("test.tranche", text);
    let (_, diagnostics) = parse(file, text);
    render(&sources, file, &diagnostics)
}

fn render(sources: &SourceMap, file: FileId, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = d
            .span
            .map(|s| sources.line_col(file, s.start))
            .unwrap_or((0, 0));
        out.push_str(&format!("{line}:{col} {} {}\n", d.code, d.message));
        for note in &d.notes {
            let at = note
                .span
                .map(|s| sources.line_col(file, s.start))
                .unwrap_or((0, 0));
            out.push_str(&format!("    note {}:{} {}\n", at.0, at.1, note.message));
        }
        if let Some(hint) = &d.hint {
            out.push_str(&format!("    hint: {hint}\n"));
        }
    }
    out
}

/// The items of a file that must parse cleanly.
fn items(text: &str) -> Vec<ast::Attr> {
    let (file, diagnostics) = parse(FileId(0), text);
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics for {text:?}: {}",
        errors(text)
    );
    file.items
}

/// `{:?}` of a value with each span written `@start..end`, so snapshots stay readable.
fn compact(value: &impl std::fmt::Debug) -> String {
    let text = format!("{value:?}");
    let marker = "Span { file: FileId(0), start: ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let Some(close) = after.find(" }") else {
            break;
        };
        out.push('@');
        out.push_str(&after[..close].replace(", end: ", ".."));
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The example of LANGUAGE.md's "A whole file", which every part of the project relies on.
/// The whole-file example of the language design brief (also formatted in tests/fmt_files.rs).
const WHOLE_FILE: &str = include_str!("../../tests/fixtures/syntax/language_example.tranche");

#[test]
fn whole_file_example_parses_to_the_expected_tree() {
    let (file, diagnostics) = parse(FileId(0), WHOLE_FILE);
    assert_eq!(diagnostics, []);
    let kinds: Vec<&str> = file.items.iter().map(Attr::keyword).collect();
    assert_eq!(
        kinds,
        [
            "portfolio",
            "calendar",
            "theme",
            "theme",
            "programme",
            "project",
            "milestone",
            "include"
        ]
    );
    assert_eq!(file.comments.len(), 10);
    assert_eq!(
        file.comments.first().map(|c| c.text.as_str()),
        Some("# Children and Families: digital transformation plan (illustrative figures)")
    );
    // One item (and one comment) a line, spans as `@start..end`, so the snapshot can be read.
    let mut out = String::new();
    for item in &file.items {
        out.push_str(&compact(item));
        out.push('\n');
    }
    for comment in &file.comments {
        out.push_str(&compact(comment));
        out.push('\n');
    }
    out.push_str(&compact(&file.span));
    insta::assert_snapshot!(out);
}

#[test]
fn spans_cover_exactly_what_was_written() {
    let (file, _) = parse(FileId(0), WHOLE_FILE);
    // Every attribute's span starts with its keyword and ends on a token, never on the
    // whitespace or comment that follows.
    fn check(items: &[Attr]) {
        for item in items {
            let text = &WHOLE_FILE[item.span().range()];
            let keyword = item.keyword().split(' ').next().unwrap_or_default();
            assert!(
                text.starts_with(keyword),
                "{text:?} does not start with {keyword}"
            );
            assert!(
                !text.ends_with(char::is_whitespace),
                "{text:?} ends in whitespace"
            );
            match item {
                Attr::Portfolio(b) | Attr::Programme(b) | Attr::Project(b) | Attr::Calendar(b) => {
                    check(&b.body)
                }
                Attr::Milestone { block, .. } => check(&block.body),
                _ => assert!(!text.contains('#'), "{text:?} takes in a comment"),
            }
        }
    }
    check(&file.items);
}

/// Each attribute form, parsed inside a project, as a compact tree (spans as `@start..end`).
#[test]
fn attribute_forms() {
    let forms = [
        "start 2020-04-01",
        "end 2025-03-31",
        "status-date 2021-01-15",
        "currency GBP",
        "discount-rate 3.5%",
        "financial-year-start apr",
        "financial-year-start september",
        "target savings £1.2m in 2022/23",
        "budget capital £2.5m in 2021/22",
        "budget revenue $12,500.50 in 2021/22",
        "rag amber 10 days red 30d",
        "based-on england-and-wales",
        "closed 2020-12-24 to 2021-01-01 \"Christmas closure\"",
        "closed 2021-05-03",
        "closed 2021-05-03 \"Bank holiday\"",
        "weekend sat sun",
        "weekend friday, saturday",
        "duration 14 months",
        "duration 3d",
        "duration 1.5 weeks range 1 week to 2w",
        "duration 14 months range 10 to 20 mo",
        "duration 2 years",
        "after case-system",
        "after start of design + 2 weeks",
        "finishes after build",
        "finishes after start of build - 1 week",
        "after a + 2 weeks, b.go-live, c - 3 days",
        "after start-up",
        "not-before 2020-06-01",
        "deadline 2022-03-31",
        "cost capital £1.8m",
        "cost revenue £120k per year from finish",
        "cost revenue £120k per year from start for 3 years",
        "cost one-off €20k at 2021-04-01",
        "cost one-off £20k at case-system.go-live",
        "saving £400k per year from finish ramp 6 months",
        "saving £1bn per year from go-live range £300k to £500k for 2 years ramp 3 mo",
        "benefit \"Social worker time released\" £250k per year from finish",
        "benefit \"Time\" £1k per year from 2021-04-01 for 1 year ramp 2 months",
        "saving £450k per year from finish ramp 6 months owner \"Group Manager\" measure \"agency spend\"",
        "benefit \"Hours\" £150k per year from finish measure \"hours a week\"",
        "actual-start 2020-06-08",
        "actual-finish 2021-06-08",
        "complete 35%",
        "baseline 2020-06-01 to 2021-08-31",
        "baseline 2021-10-04",
        "owner \"Head of \\\"Business\\\" Systems \\\\ IT\"",
        "theme operations",
        "tags [case, social-care, y2]",
        "tags []",
        "description \"Café, naïve — 日本語\"",
        "calendar council",
        "calendar own { weekend sun }",
        "theme access \"How users access services\"",
        "include \"a/b.tranche\"",
        "milestone go-live at finish",
        "milestone kick-off \"Kick-off\" at start",
        "milestone fixed on 2021-10-04",
        "milestone gate \"Gate\" { after design }",
        "milestone bare",
        "programme p \"P\" { project q }",
        "project r",
        "cost capital £1.8m range £1.5m to £2.6m",
        "risk supplier-exit \"Supplier exit\" { probability 20% status open review 2021-03-31 }",
        "risk distribution \"A risk named distribution\" { probability 1% }",
        "probability 12.5%",
        "affects case-system delay 2 months to 4 months",
        "affects a.b cost capital £100k",
        "affects p saving -£50k to £10k per year",
        "mitigation \"Escrow\" { probability 5% cost capital £40k }",
        "issue i { raised 2020-11-02 affects p delay 1 month due 2021-02-26 }",
        "assumption a { until 2021-04-30 }",
        "decision d { on 2020-09-10 by \"Board\" }",
    ];
    let mut out = String::new();
    for form in forms {
        let text = format!("project x {{\n  {form}\n}}\n");
        let items = items(&text);
        let body = match items.as_slice() {
            [Attr::Project(block)] => &block.body,
            other => panic!("{form:?} gave {other:?}"),
        };
        out.push_str(&format!("{form}\n    {}\n", compact(body)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn keywords_win_over_names_of_the_same_spelling() {
    let items = items("project x { cost one-off £1 at start saving £1 per year from finish }");
    let Some(Attr::Project(block)) = items.first() else {
        panic!("expected a project, got {items:?}");
    };
    assert!(matches!(
        block.body.as_slice(),
        [
            Attr::Cost {
                timing: ast::CostTiming::At(when),
                ..
            },
            Attr::Saving { recurrence, .. }
        ] if matches!(**when, ast::When::Start(_)) && matches!(recurrence.from, ast::When::Finish(_))
    ));
}

#[test]
fn top_level_accepts_any_attribute_for_the_validator_to_place() {
    let items = items("duration 3 months\nowner \"x\"");
    assert_eq!(
        items.iter().map(Attr::keyword).collect::<Vec<_>>(),
        ["duration", "owner"]
    );
}

/// Each syntax error's wording, as `line:col code message`, with notes and hints.
#[test]
fn error_wording() {
    let cases = [
        "project a {\n  duration 4 months\n",
        "portfolio \"P\" {\n  start 2020-01-01\nproject b { }\n",
        "project a \"A\" extra {\n  duration 3 months\n}\nproject b {}\n",
        "project a {\n  duration 14 months range 10 to 20 mnths\n}\n",
        "project a {\n  duration 14 months rnge 10 to 20 months\n}\n",
        "project a {\n  durtion 14 months\n}\n",
        "project a {\n  duration 4\n}\n",
        "project a {\n  duration 3m\n}\n",
        "project a {\n  start 1/4/21\n}\n",
        "project a {\n  owner \"x\\n\"\n}\n",
        "project a {\n  owner \"unterminated\n}\n",
        "project a {\n  owner Head\n}\n",
        "project a {\n  tags [a, b\n  complete 35\n}\n",
        "project a {\n  cost capital 120k\n}\n",
        "project a {\n  cost capital £\n}\n",
        "project a {\n  cost one-off £5k at\n}\n",
        "project a {\n  cost running £5k\n}\n",
        "project a {\n  saving £1m per year from finish ramp 3 months ramp 4 months\n}\n",
        "project a {\n  saving £1m per year\n}\n",
        "project a {\n  cost revenue £1k per year from start range £1 to £2\n}\n",
        "project a {\n  after b c\n}\n",
        "project a {\n  after start b\n}\n",
        "project a {\n  finishes after\n}\n",
        "project a {\n  after b + 2\n}\n",
        "project a {\n  after B\n}\n",
        "project a {\n  after b.\n}\n",
        "project a {\n  complete 35\n}\n",
        "portfolio \"P\" {\n  discount-rate 3.5 %\n}\n",
        "milestone m \"M\" at strt\n",
        "milestone n on 2021-1-1\n",
        "portfolio \"P\" {\n  financial-year-start aprl\n}\n",
        "portfolio \"P\" {\n  target savings £1m in 2022\n}\n",
        "portfolio \"P\" {\n  target £1m in 2022/23\n}\n",
        "portfolio \"P\" {\n  budget cap £1m in 2022/23\n}\n",
        "portfolio \"P\" {\n  rag amber 10 red 30 days\n}\n",
        "portfolio \"P\" {\n  currency 12\n}\n",
        "portfolio \"P\" {\n  discount-rate 3.5\n}\n",
        "calendar c {\n  weekend sat funday\n}\n",
        "calendar c {\n  closed 2020-12-24 to \"x\"\n}\n",
        "projct a {\n  duration 3 months\n}\n",
        "project A {}\n",
        "project a-b_c {}\n",
        "project caseSystem {}\n",
        "}\n",
        "project a { }\n}\n",
        "include\n",
        "theme \"Title\"\n",
        "\u{1}\u{2}project",
        "£",
        "portfolio \"P\"\n",
        "project a {\n  owner “Head of IT”\n}\n",
        "project a {\n  duration\u{A0}3 months\n}\n",
    ];
    let mut out = String::new();
    for case in cases {
        out.push_str(&format!("--- {case:?}\n{}", errors(case)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn every_diagnostic_is_a_located_e001_with_a_hint() {
    let text = "project a {\n  durtion 4 months\n  start x\n}\n}\nprojct b\n";
    let (_, diagnostics) = parse(FileId(0), text);
    assert_eq!(diagnostics.len(), 4, "{}", errors(text));
    for d in &diagnostics {
        assert_eq!(d.code, Code::E001SyntaxError);
        assert!(d.span.is_some() && d.hint.is_some(), "{d:?}");
        assert!(
            !d.message.contains("EOI") && !d.message.contains("kw_"),
            "{d:?}"
        );
    }
}

#[test]
fn recovery_reports_each_bad_line_and_keeps_the_good_items() {
    let text = "\
project a {
  durtion 4 months
  after b
  cost capital 120k
  owner \"Fine\"
}
projct b {
  duration 3 months
}
project c {
  duration 2 wekks
}
milestone m on 2021-10-04
";
    let (file, diagnostics) = parse(FileId(0), text);
    insta::assert_snapshot!(errors(text), @r"
    2:3 E001 expected an attribute such as `duration`, `after` or `cost`, found `durtion`
        hint: check the spelling; attributes include `duration`, `after`, `cost`, `saving`, `owner` and `theme`, one per line
    4:16 E001 expected an amount of money like `£120k`, found `120k`
        hint: write a currency symbol then the amount, e.g. `£120k`, `£1.8m` or `£12,500`
    7:1 E001 expected an item such as `project`, `programme` or `milestone`, found `projct`
        hint: check the spelling; a file holds `portfolio`, `programme`, `project`, `milestone`, `calendar`, `theme` and `include` items
    11:14 E001 expected a unit of time (`days`, `weeks`, `months` or `years`), found `wekks`
        hint: write a number and a unit: `3 days`, `2 weeks`, `14 months` (or `14mo`) or `1 year`
    ");
    assert_eq!(diagnostics.len(), 4);
    let outline: Vec<String> = file
        .items
        .iter()
        .map(|item| match item {
            Attr::Project(b) => format!(
                "project {} {:?}",
                b.id.as_ref().map(|i| i.name.as_str()).unwrap_or_default(),
                b.body.iter().map(Attr::keyword).collect::<Vec<_>>()
            ),
            other => other.keyword().to_string(),
        })
        .collect();
    assert_eq!(
        outline,
        [
            "project a [\"after\", \"owner\"]",
            "project c []",
            "milestone"
        ]
    );
}

#[test]
fn one_mistake_gives_one_error_not_a_cascade() {
    let cases = [
        // A list broken over lines: the continuation lines belong to the bad line.
        "project a {\n  tags [a,\n    b,\n    c\n  duration 3 months\n}\n",
        // A misspelt block keyword: its whole body is skipped with it.
        "projct a \"A\" {\n  duration 3 months\n  after b\n  milestone m at finish\n}\nproject b\n",
        // A block never closed: the `}` is reported missing before `project b`, written at
        // the block's own indentation, and b and c are read as the file has them with it.
        "project a {\n  duration 3 months\nproject b {\n  duration 2 months\n}\nproject c\n",
        // A stray text after a value on the same line.
        "project a {\n  duration 3 months give or take\n  owner \"x\"\n}\n",
        // A string left open swallows the rest of its line only.
        "project a {\n  owner \"x } y\n  duration 3 months\n}\n",
        // ... even when that takes the `{` of a block: its `}` is not reported as stray.
        "project a \"Title {\n  duration 3 months\n}\nproject b {}\n",
        "programme p {\n  project a \"Title {\n    duration 3 months\n  }\n}\n",
    ];
    for case in cases {
        let (_, diagnostics) = parse(FileId(0), case);
        assert_eq!(diagnostics.len(), 1, "{case:?}:\n{}", errors(case));
    }
    let (file, _) = parse(FileId(0), cases[2]);
    let Some(Attr::Project(a)) = file.items.first() else {
        panic!("expected a project, got {:?}", file.items);
    };
    assert_eq!(
        a.body.iter().map(Attr::keyword).collect::<Vec<_>>(),
        ["duration"]
    );
    assert_eq!(
        file.items.iter().map(Attr::keyword).collect::<Vec<_>>(),
        ["project", "project", "project"]
    );
}

#[test]
fn empty_and_comment_only_files_parse_to_nothing() {
    for text in [
        "",
        "\n\n",
        "   \t\r\n",
        "# only a comment",
        "# a\n\n  # b\r\n#c",
    ] {
        let (file, diagnostics) = parse(FileId(0), text);
        assert_eq!((file.items.len(), diagnostics.len()), (0, 0), "{text:?}");
        assert_eq!(file.comments.len(), text.matches('#').count(), "{text:?}");
    }
}

#[test]
fn byte_order_mark_crlf_and_tabs_are_accepted() {
    let plain = "project a \"A\" {\n  duration 3 months\n  owner \"x\"\n}\n";
    let messy = "\u{FEFF}project\ta \"A\" {\r\n\tduration 3 months # c\r\n\towner \"x\"\r\n}\r\n";
    let (a, da) = parse(FileId(0), plain);
    let (b, db) = parse(FileId(0), messy);
    assert_eq!((da, db), (vec![], vec![]));
    // Same tree apart from spans.
    let shape = |f: &ast::File| {
        f.items
            .iter()
            .map(|i| match i {
                Attr::Project(b) => b.body.iter().map(Attr::keyword).collect::<Vec<_>>(),
                _ => Vec::new(),
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&a), shape(&b));
    assert_eq!(b.comments.len(), 1);
    assert_eq!(b.comments.first().map(|c| c.text.as_str()), Some("# c"));
    // Spans are offsets into the text as given, BOM included.
    let Some(Attr::Project(block)) = b.items.first() else {
        panic!("expected a project");
    };
    assert_eq!(&messy[block.keyword_span.range()], "project");
}

#[test]
fn a_byte_order_mark_elsewhere_is_an_error() {
    let (_, diagnostics) = parse(FileId(0), "project a {}\n\u{FEFF}project b {}");
    assert_eq!(diagnostics.len(), 1);
}

#[test]
fn non_ascii_text_in_strings_and_comments() {
    let text = "project a \"Café — 日本語 £€\" { # ünïcödé\n  owner \"Zoë\"\n}\n";
    let items = items(text);
    let Some(Attr::Project(block)) = items.first() else {
        panic!("expected a project");
    };
    assert_eq!(
        block.title.as_ref().map(|t| t.value.as_str()),
        Some("Café — 日本語 £€")
    );
    // An error after non-ASCII text points at the right byte.
    let bad = "project a \"日本語\" { durtion 3 months }";
    let (_, diagnostics) = parse(FileId(0), bad);
    let spans: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d.span)
        .map(|s| &bad[s.range()])
        .collect();
    assert_eq!(spans, ["durtion"]);
}

/// 10,000 nested programmes: E005 at the 65th `{`, quickly, on a debug test thread's stack.
#[test]
fn deep_nesting_is_refused_before_parsing() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let n = 10_000;
            let text = "programme p {\n".repeat(n) + &"}\n".repeat(n);
            let started = std::time::Instant::now();
            let (file, diagnostics) = parse(FileId(0), &text);
            (started.elapsed(), file.items.len(), diagnostics, text)
        });
    let Ok(Ok((elapsed, n_items, diagnostics, text))) = handle.map(|h| h.join()) else {
        panic!("parsing deep nesting crashed the thread");
    };
    assert_eq!(n_items, 0);
    let [d] = diagnostics.as_slice() else {
        panic!("expected one diagnostic, got {diagnostics:?}");
    };
    assert_eq!(d.code, Code::E005TooDeep);
    assert!(d.message.contains("64"), "{}", d.message);
    let at = d.span.map(|s| s.start as usize).unwrap_or_default();
    assert_eq!(
        text[..at].matches('{').count(),
        64,
        "points at the 65th `{{`"
    );
    assert!(elapsed.as_secs() < 2, "took {elapsed:?}");
}

/// The deepest nesting allowed parses on a debug test thread's stack, errors and all.
#[test]
fn nesting_at_the_limit_parses_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let n = crate::syntax::scan::MAX_DEPTH;
            let good = "programme p {\n".repeat(n) + &"}\n".repeat(n);
            let (file, diagnostics) = parse(FileId(0), &good);
            assert_eq!((file.items.len(), diagnostics.len()), (1, 0));
            // Errors at the deepest level go through recovery and the re-parse.
            let bad = "programme p {\n".repeat(n) + "durtion 3 months\n" + &"}\n".repeat(n);
            let (_, diagnostics) = parse(FileId(0), &bad);
            assert_eq!(diagnostics.len(), 1);
            // Each programme but the last is followed by one at its own indentation, so each
            // `}` is reported missing where it belongs; the last runs to the end of the file.
            let unclosed = "programme p {\n".repeat(n);
            let (_, diagnostics) = parse(FileId(0), &unclosed);
            assert_eq!(diagnostics.len(), n);
        });
    assert!(
        handle.map(|h| h.join().is_ok()).unwrap_or(false),
        "parsing at the limit crashed"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Fragments of the language, so random files get deep into the grammar.
    fn fragment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "project ",
            "programme ",
            "milestone ",
            "portfolio ",
            "calendar ",
            "theme ",
            "a ",
            "b.c ",
            "{",
            "}",
            "\n",
            " ",
            "\"t\" ",
            "\"",
            "\\",
            "#x\n",
            "duration ",
            "3 months ",
            "2w ",
            "after ",
            "start ",
            "of ",
            "finish ",
            "+ ",
            "- ",
            ", ",
            "cost ",
            "capital ",
            "revenue ",
            "one-off ",
            "£1.2m ",
            "per ",
            "year ",
            "from ",
            "ramp ",
            "for ",
            "range ",
            "to ",
            "saving ",
            "2021-04-01 ",
            "2022/23 ",
            "35% ",
            "tags ",
            "[",
            "]",
            "at ",
            "on ",
            "\r\n",
            "\t",
            "\u{FEFF}",
            "é",
            "日",
        ])
    }

    fn check_no_panic(text: &str) {
        let (file, diagnostics) = parse(FileId(0), text);
        for d in &diagnostics {
            let span = d.span.unwrap_or_default();
            assert!(span.end as usize <= text.len(), "span past the end: {d:?}");
            assert!(text.is_char_boundary(span.start as usize), "{d:?}");
            assert!(text.is_char_boundary(span.end as usize), "{d:?}");
            assert!(
                !d.message.contains("kw_") && !d.message.contains("EOI"),
                "{d:?}"
            );
            assert!(!d.message.contains("something else"), "{text:?}: {d:?}");
        }
        assert!(file.span.end as usize == text.len());
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            check_no_panic(&text);
        }

        #[test]
        fn random_fragments_never_panic(parts in prop::collection::vec(fragment(), 0..60)) {
            check_no_panic(&parts.concat());
        }
    }
}

#[test]
fn top_level_items_may_share_a_line_and_sit_between_comments() {
    let text = "# head\nproject a {} project b { duration 1d } # tail\n\n  # more\nmilestone m on 2021-01-04";
    let items = items(text);
    let spans: Vec<&str> = items.iter().map(|i| &text[i.span().range()]).collect();
    assert_eq!(
        spans,
        [
            "project a {}",
            "project b { duration 1d }",
            "milestone m on 2021-01-04"
        ]
    );
}

/// Issue 25: a file of nothing but stray `}` gives its first thousand errors and one saying the
/// rest was not read, in both parsers' loop, whatever its size (ten million took minutes).
#[test]
fn a_file_of_errors_stops_after_a_thousand() {
    let text = "}".repeat(5_000);
    let (_, diagnostics) = crate::syntax::parse(FileId(0), &text);
    assert_eq!(diagnostics.len(), super::lower::MAX_SYNTAX_ERRORS + 1);
    let last = diagnostics.last().map(|d| d.message.as_str());
    assert_eq!(
        last,
        Some("stopped reading this file after 1000 syntax errors")
    );
}

#[test]
fn an_owner_belongs_to_a_saving_only_on_its_line() {
    // On the line: the saving's. On the next line (or after a comment): the project's, as it
    // always was; `fmt` writes the saving's on its line, so the two never swap.
    let text = "project p {\n  saving £1 per year from finish owner \"Saving's\"\n  owner \"Project's\"\n  benefit \"b\" £1 per year from finish # note\n  owner \"Also the project's\"\n}\n";
    let parsed = items(text);
    let [ast::Attr::Project(block)] = parsed.as_slice() else {
        panic!("one project")
    };
    let kinds: Vec<String> = block
        .body
        .iter()
        .map(|a| match a {
            ast::Attr::Saving { meta, .. } | ast::Attr::Benefit { meta, .. } => format!(
                "{} owner {:?}",
                a.keyword(),
                meta.as_ref()
                    .and_then(|m| m.owner.as_ref())
                    .map(|o| o.value.to_string())
            ),
            ast::Attr::Owner(owner, _) => format!("owner {}", owner.value),
            other => other.keyword().to_owned(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "saving owner Some(\"Saving's\")",
            "owner Project's",
            "benefit owner None",
            "owner Also the project's"
        ]
    );
}
