//! The VS Code extension's TextMate grammar (editors/vscode) against the language's own
//! grammar: every keyword `grammar/tranche.pest` defines is highlighted, so a keyword added to
//! the language cannot be left plain in editors unnoticed (issue 21). The grammar's own scope
//! tests and the tokenizing of the example plans run under npm (`npm test --prefix
//! editors/vscode`, in .ci/run).

use std::path::Path;

#[test]
fn the_textmate_grammar_highlights_every_keyword_of_the_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pest = std::fs::read_to_string(root.join("grammar/tranche.pest")).expect("readable");
    let textmate =
        std::fs::read_to_string(root.join("editors/vscode/syntaxes/tranche.tmLanguage.json"))
            .expect("readable");
    let keywords: Vec<&str> = pest
        .lines()
        .filter(|line| line.starts_with("kw_"))
        .filter_map(|line| line.split('"').nth(1))
        .collect();
    assert!(keywords.len() > 50, "{keywords:?}");
    let missing: Vec<&&str> = keywords
        .iter()
        .filter(|k| {
            !["(", "|"].iter().any(|before| {
                [")", "|"]
                    .iter()
                    .any(|after| textmate.contains(&format!("{before}{k}{after}")))
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "keywords the TextMate grammar does not highlight: {missing:?}"
    );
}
