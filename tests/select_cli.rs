//! `tranche select` and `tranche report --options` through the real binary (issue 23).

use crate::common::tranche;

const PLAN: &str = "portfolios/children-and-families.tranche";

#[test]
fn the_example_selection_keeps_its_mandatory_projects_within_budget() {
    let run = tranche(&["select", "--format", "json", PLAN]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value["schema"], "tranche-select");
    assert_eq!(value["proven"], true);
    let chosen: Vec<&str> = value["best"]["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    for mandatory in ["mash-triage", "case-system", "ofsted-action-plan"] {
        assert!(chosen.contains(&mandatory), "{mandatory} in {chosen:?}");
    }
    // The frontier rises with capital, and its top is the best set.
    let frontier = value["frontier"].as_array().expect("frontier");
    let scores: Vec<i64> = frontier
        .iter()
        .filter_map(|p| p["score"].as_i64())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] < w[1]), "{scores:?}");
    assert_eq!(scores.last().copied(), value["best"]["score"].as_i64());
}

#[test]
fn mandatory_work_over_budget_leaves_no_selection() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let plan = dir.path().join("plan.tranche");
    std::fs::write(
        &plan,
        "portfolio \"P\" {\n  start 2021-04-01\n  end 2023-03-31\n  budget capital £100k in 2021/22\n}\n\
         project a {\n  duration 2 months\n  cost capital £150k\n  mandatory\n}\n",
    )
    .expect("write the plan");
    let run = tranche(&["select", plan.to_str().expect("a UTF-8 path")]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_stdout_has(
        "no selection fits: the mandatory projects and their predecessors alone break the capital budget in 2021/22",
    );
}

#[test]
fn the_report_shows_the_options_and_the_selection() {
    for format in ["md", "html", "json"] {
        let run = tranche(&["report", "--options", "--format", format, PLAN]);
        assert_eq!(run.code, 0, "{format}: {}", run.transcript());
        match format {
            "json" => {
                let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
                assert_eq!(value["options"]["comparison"]["baseline"], "bau");
                assert_eq!(value["options"]["selection"]["schema"], "tranche-select");
            }
            "md" => {
                run.assert_stdout_has("## Options");
                run.assert_stdout_has("## Selection");
                run.assert_stdout_has("| NPV against baseline |");
            }
            _ => {
                run.assert_stdout_has("<h2 id=\"h-options\">Options</h2>");
                run.assert_stdout_has("<h3>Selection</h3>");
            }
        }
    }
    // Without --options the report is as it was.
    let plain = tranche(&["report", PLAN]);
    assert!(!plain.stdout.contains("## Options"));
}
