//! The worked example of docs/options.md (issue 23): incremental appraisal to the penny, and
//! the page shows exactly what tranche prints.

use crate::common::tranche;

const PLAN: &str = "tests/fixtures/options/worked_example.tranche";

#[test]
fn the_worked_example_is_right_to_the_penny() {
    let run = tranche(&["options", "--format", "json", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["baseline"], "bau");
    let plan = &value["columns"][0];
    assert_eq!(plan["id"], "plan");
    let incremental = &plan["incremental"];
    // 24,000,000p − 8,000,000p × (1/1.035 + 1/1.035²) = 8,802,445.80p, and so on (the page).
    assert_eq!(incremental["pv_costs"], 8_802_446);
    assert_eq!(incremental["pv_savings"], 28_495_414);
    assert_eq!(incremental["pv_benefits"], 0);
    assert_eq!(incremental["npv"], 19_692_968);
    let ratio = incremental["benefit_cost_ratio"].as_f64().expect("a ratio");
    assert_eq!(format!("{ratio:.2}"), "3.24");
    assert_eq!(plan["npv"], -9_303_975);
    let bau = &value["columns"][1];
    assert_eq!(bau["npv"], -28_996_943);
    assert!(
        bau["incremental"].is_null(),
        "the baseline is not measured against itself"
    );
}

#[test]
fn the_page_shows_what_tranche_prints() {
    let run = tranche(&["options", "--money", "pounds", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let page = std::fs::read_to_string("docs/options.md").expect("docs/options.md");
    let table: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("plan "))
        .take_while(|line| !line.starts_with("targets met"))
        .collect();
    assert!(table.len() > 8, "{}", run.stdout);
    for line in table {
        assert!(
            page.contains(line),
            "docs/options.md lacks the line\n{line}"
        );
    }
}

#[test]
fn with_risk_each_option_has_its_p80_finish() {
    let run = tranche(&["options", "--risk", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let row = |label: &str| -> Vec<String> {
        run.stdout
            .lines()
            .find(|line| line.starts_with(label))
            .unwrap_or_else(|| panic!("a `{label}` row in\n{}", run.stdout))
            .split_whitespace()
            .skip(label.split_whitespace().count())
            .map(str::to_owned)
            .collect()
    };
    // The worked example has no ranges and no risks: every draw is the plan, so the P80
    // finish is the finish, option by option.
    assert_eq!(row("P80 finish"), row("finish"));
    assert_eq!(row("finish"), ["2021-09-22", "2021-04-01"]);
}
