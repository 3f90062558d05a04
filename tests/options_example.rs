//! `tranche options` on the example portfolio (issue 23): each scenario's column is what the
//! ordinary pipeline says of a copy of the plan edited by hand, and the incremental appraisal
//! is relative to the business-as-usual copy.

use std::path::Path;

use tranche::diagnostic::SourceMap;
use tranche::finance::Detail;
use tranche::options::{self, Column, Comparison, YearMoney};
use tranche::source::{self, Includes, MemoryFs, Options};

use crate::common::tranche;

const PLAN: &str = "portfolios/children-and-families.tranche";
const WORKSTREAM: &str = "portfolios/workstreams/collaborative-commissioning.tranche";

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pipeline() -> Options {
    Options {
        includes: Includes::InsideFolder,
        detail: Detail::ProjectYearsOnly,
        lints: false,
        level: tranche::analysis::Level::Off,
    }
}

/// `text` without the block that starts with `header` (to its matching `}`, and the line end).
fn without_block(text: &str, header: &str) -> String {
    let start = text
        .find(&format!("{header} "))
        .unwrap_or_else(|| panic!("`{header}` is in the plan"));
    // Back to the start of its line, so the indentation goes too.
    let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = match text[start..line_end].find('{') {
        // A one-line item (`milestone x "X" on DATE`).
        None => line_end,
        Some(open) => {
            let mut depth = 0;
            let mut end = None;
            for (i, c) in text[start + open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(start + open + i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end.expect("the block is closed")
        }
    };
    let end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    format!("{}{}", &text[..start], &text[end..])
}

/// `text` without every line containing `needle`.
fn without_lines(text: &str, needle: &str) -> String {
    text.lines()
        .filter(|line| !line.contains(needle))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `text` with the line inside the block `header` that starts (after indentation) with
/// `start` replaced by `line`.
fn replace_line(text: &str, header: &str, start: &str, line: &str) -> String {
    let from = text.find(header).expect("the block is in the plan");
    let at = from
        + text[from..]
            .find(&format!("\n    {start}"))
            .expect("the line is in the block")
        + 1;
    let end = at + text[at..].find('\n').expect("a line end");
    format!("{}    {line}{}", &text[..at], &text[end..])
}

/// The example as written, without its scenarios (a copy names no scenario: its removed work
/// would be E082 there).
fn base() -> String {
    let mut text = read(PLAN);
    for id in ["do-minimum", "defer-mobile", "bau"] {
        text = without_block(&text, &format!("scenario {id}"));
    }
    text
}

/// The copies, edited by hand as a person would to describe each option.
fn do_minimum() -> String {
    let mut text = base();
    text = without_block(&text, "  project family-portal");
    text = without_block(&text, "  project partner-portal");
    text = without_lines(&text, "affects family-portal");
    text = without_lines(&text, "affects partner-portal");
    text = replace_line(
        &text,
        "project case-system \"",
        "duration ",
        "duration 12 months range 10 months to 16 months",
    );
    replace_line(
        &text,
        "project case-system \"",
        "cost capital",
        "cost capital £1.4m",
    )
}

fn defer_mobile() -> String {
    let text = without_block(&base(), "  project mobile-working");
    without_lines(&text, "affects mobile-working")
}

fn bau() -> String {
    let mut text = base();
    for item in [
        "  project training-plan",
        "  project assessment-planning",
        "  project pep-alignment",
        "  project cp-conferences",
        "programme front-door",
        "programme children-in-care",
        "  project ehcp-hub",
        "  project send-transport",
        "  project send-self-evaluation",
        "  project case-system",
        "  project case-system-decommission",
        "  project mobile-working",
        "  project data-warehouse",
        "  project performance-dashboards",
        "  project partner-portal",
        "milestone challenge-conversation",
        "milestone inspection-ready",
    ] {
        text = without_block(&text, item);
    }
    without_lines(&text, "  affects ")
}

/// The columns of the ordinary pipeline run on `text` as the example's root file.
fn analysed(text: &str) -> tranche::analysis::Analysis {
    let fs = MemoryFs::new()
        .with(PLAN, text)
        .with(WORKSTREAM, read(WORKSTREAM));
    let mut sources = SourceMap::new();
    let analysed = source::analyse_files(&fs, Path::new(PLAN), &mut sources, pipeline());
    assert!(
        analysed.is_showable(),
        "the hand-edited copy is a valid plan: {:?}",
        analysed.diagnostics
    );
    analysed.analysis.expect("analysed")
}

fn compared() -> Comparison {
    let mut sources = SourceMap::new();
    let (plan, _) = source::load(
        Path::new(PLAN),
        &source::MemoryFs::new()
            .with(PLAN, read(PLAN))
            .with(WORKSTREAM, read(WORKSTREAM)),
        &mut sources,
    )
    .expect("the example is read");
    options::compare(&plan, None, pipeline(), &|_, _| None)
        .unwrap_or_else(|failure| panic!("the example's options compare: {failure:?}"))
}

/// The years with money, for comparing a column (over every option's years) with one built
/// from one plan (over its own).
fn with_money(years: &[YearMoney]) -> Vec<YearMoney> {
    years
        .iter()
        .filter(|y| {
            [y.capital, y.optimism_bias, y.revenue, y.savings, y.benefits]
                .iter()
                .any(|m| m.0 != 0)
        })
        .copied()
        .collect()
}

fn option<'c>(comparison: &'c Comparison, id: &str) -> &'c Column {
    comparison
        .columns
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("a column `{id}`"))
}

#[test]
fn each_option_is_the_pipeline_on_a_hand_edited_copy() {
    let comparison = compared();
    assert_eq!(comparison.baseline.as_deref(), Some("bau"));
    let ids: Vec<&str> = comparison.columns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["plan", "do-minimum", "defer-mobile", "bau"]);
    let copies = [
        ("plan", base()),
        ("do-minimum", do_minimum()),
        ("defer-mobile", defer_mobile()),
        ("bau", bau()),
    ];
    for (id, text) in &copies {
        let column = option(&comparison, id);
        let by_hand = options::column(
            id,
            &column.title,
            column.baseline,
            &analysed(text),
            &[],
            None,
        );
        assert_eq!(column.finish, by_hand.finish, "{id}: finish");
        assert_eq!(
            with_money(&column.years),
            with_money(&by_hand.years),
            "{id}: money by year"
        );
        assert_eq!(column.npv, by_hand.npv, "{id}: NPV");
        assert_eq!(column.checks, by_hand.checks, "{id}: targets and budgets");
    }
    // The incremental figures are the copies' money against the business-as-usual copy's.
    let bau_column = option(&comparison, "bau");
    assert_eq!(bau_column.incremental, None);
    for id in ["plan", "do-minimum", "defer-mobile"] {
        let column = option(&comparison, id);
        // The example's status date, 16 April 2021, puts 2020/21 over: sunk, left out.
        let expected = options::incremental(
            &column.years,
            &bau_column.years,
            options::Discounting {
                rate: tranche::money::Percent(350),
                year0: tranche::model::FinancialYear(2020),
                sunk_until: Some(tranche::model::FinancialYear(2021)),
            },
        );
        assert_eq!(column.incremental.as_ref(), Some(&expected), "{id}");
    }
    // What each removed, with the reason for work that went with other work.
    let removed: Vec<(&str, &str)> = option(&comparison, "do-minimum")
        .removed
        .iter()
        .map(|r| (r.id.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        removed,
        [("family-portal", "removed"), ("partner-portal", "removed")]
    );
}

#[test]
fn the_example_options_table() {
    let run = tranche(&["options", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn options_in_json_carry_every_column() {
    let run = tranche(&[
        "options",
        "--scenarios",
        "do-minimum",
        "--format",
        "json",
        PLAN,
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["schema"], "tranche-options");
    let ids: Vec<&str> = value["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    // The baseline option is always shown: the others are appraised against it.
    assert_eq!(ids, ["plan", "do-minimum", "bau"]);
}

#[test]
fn an_unknown_scenario_is_named_with_a_suggestion() {
    let run = tranche(&["options", "--scenarios", "do-minimun", PLAN]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    run.assert_stderr_has("no scenario `do-minimun` in the plan; did you mean `do-minimum`?");
}

#[test]
fn options_in_markdown_and_html_hold_the_same_table() {
    let md = tranche(&["options", "--format", "md", PLAN]);
    assert_eq!(md.code, 0, "{}", md.transcript());
    md.assert_stdout_has("# Options: Children and Families");
    md.assert_stdout_has("| NPV against baseline |");
    let html = tranche(&["options", "--format", "html", PLAN]);
    assert_eq!(html.code, 0, "{}", html.transcript());
    html.assert_stdout_has("<!DOCTYPE html>");
    html.assert_stdout_has("<dt><code>bau</code></dt>");
    // Self-contained, as the report is: nothing is loaded from elsewhere.
    for outside in ["src=", "href=", "url("] {
        assert!(!html.stdout.contains(outside), "{outside} in the page");
    }
}
