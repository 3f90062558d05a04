//! `tranche risk` as users run it (issue 8): the real binary on the example portfolio and on
//! a small plan written here, its three formats, the same bytes with one thread and two, and
//! its exit codes. The fixed-seed snapshots also guard the sampling maths: rand_distr's
//! results change if a dependency switches num-traits to std maths (CRATES.md).

use crate::common;

use common::{Run, in_dir, root, tranche, tranche_in};

const EXAMPLE: &str = "portfolios/children-and-families.tranche";

/// Two parallel pieces of work with ranges, a milestone with a deadline, a saving with a
/// range and a target: every section of the report has something in it.
const SMALL: &str = r#"portfolio "Risk test plan" {
  start 2021-04-01
  end 2024-03-31
  target savings £100k in 2022/23
}

project build "Build the new system" {
  duration 6 months range 4 to 10 months
  cost capital £200k
  saving £150k per year from finish range £80k to £180k
}

project migrate "Migrate the records" {
  duration 5 months range 4 to 9 months
  cost capital £60k
}

milestone live "Live for all staff" {
  after build, migrate
  deadline 2022-01-31
}
"#;

/// [`SMALL`] with `risk distribution NAME` in its portfolio block.
fn small_with_distribution(name: &str) -> String {
    SMALL.replace(
        "  end 2024-03-31\n",
        &format!("  end 2024-03-31\n  risk distribution {name}\n"),
    )
}

fn small(args: &[&str]) -> Run {
    let dir = in_dir(&[("plan.tranche", SMALL)]);
    let mut all = vec!["risk", "plan.tranche"];
    all.extend_from_slice(args);
    tranche_in(dir.path(), &all)
}

fn with_threads(threads: &str, args: &[&str]) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tranche"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap_or_else(|e| panic!("the tranche binary runs: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn the_example_portfolio_gives_the_same_bytes_on_one_thread_and_on_two() {
    let args = [
        "risk",
        EXAMPLE,
        "--iterations",
        "1000",
        "--seed",
        "7",
        "--format",
        "json",
    ];
    let one = with_threads("1", &args);
    let two = with_threads("2", &args);
    assert_eq!(one.code, 0, "{}", one.transcript());
    assert_eq!(one.stdout, two.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&one.stdout).unwrap_or_else(|e| panic!("JSON out: {e}"));
    assert_eq!(json["version"], 1);
    assert_eq!(json["iterations"], 1000);
    assert_eq!(json["seed"], 7);
    assert_eq!(json["distribution"], "pert");
    // ISO dates compare as text: the percentiles are in order.
    let finish = &json["finish"];
    let date = |k: &str| finish[k].as_str().unwrap_or_default().to_owned();
    assert!(date("p10") <= date("p50") && date("p50") <= date("p80") && date("p80") <= date("p90"));
    for target in json["targets"].as_array().into_iter().flatten() {
        let p = target["probability"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&p), "{target}");
    }
    let projects = json["projects"].as_array().map_or(0, Vec::len);
    assert_eq!(projects, 37, "every project of the example is reported");
}

#[test]
fn a_small_plan_as_a_table() {
    let run = small(&["--iterations", "2000", "--seed", "1"]);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_small_plan_as_markdown() {
    let run = small(&["--iterations", "2000", "--seed", "1", "--format", "md"]);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn a_small_plan_as_json() {
    let run = small(&["--iterations", "500", "--seed", "2", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn triangular_sampling_is_a_flag() {
    let run = small(&[
        "--iterations",
        "500",
        "--distribution",
        "triangular",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains(r#""distribution": "triangular""#));
}

#[test]
fn the_plan_can_ask_for_triangular_and_the_flag_overrides_it() {
    let dir = in_dir(&[("plan.tranche", &small_with_distribution("triangular"))]);
    let base = [
        "risk",
        "plan.tranche",
        "--iterations",
        "100",
        "--format",
        "json",
    ];
    let run = tranche_in(dir.path(), &base);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains(r#""distribution": "triangular""#));
    let mut overridden = base.to_vec();
    overridden.extend(["--distribution", "pert"]);
    let run = tranche_in(dir.path(), &overridden);
    assert!(run.stdout.contains(r#""distribution": "pert""#));
}

#[test]
fn the_formatter_keeps_the_setting() {
    let messy = "portfolio \"X\" {\n  start 2021-04-01\n  end 2022-03-31\n  risk   distribution\ttriangular\n}\n";
    let dir = in_dir(&[("plan.tranche", messy)]);
    let run = tranche_in(dir.path(), &["fmt", "plan.tranche"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let tidy = std::fs::read_to_string(dir.path().join("plan.tranche"))
        .unwrap_or_else(|e| panic!("reading the plan: {e}"));
    assert!(
        tidy.contains("\n  risk distribution triangular\n"),
        "{tidy}"
    );
}

#[test]
fn an_unknown_distribution_in_the_plan_is_an_error_with_a_hint() {
    let dir = in_dir(&[("plan.tranche", &small_with_distribution("normal"))]);
    let run = tranche_in(dir.path(), &["check", "plan.tranche"]);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn no_iterations_is_a_usage_error() {
    let run = small(&["--iterations", "0"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stdout.is_empty());
    // Nor more than a million (docs/limits.md).
    let run = small(&["--iterations", "1000001"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stdout.is_empty());
}

#[test]
fn a_missing_file_and_a_plan_with_errors_end_as_the_other_commands_do() {
    let missing = tranche(&["risk", "no-such-plan.tranche"]);
    assert_eq!(missing.code, 2, "{}", missing.transcript());
    let broken = SMALL.replace("after build, migrate", "after biuld, migrate");
    let dir = in_dir(&[("plan.tranche", &broken)]);
    let run = tranche_in(dir.path(), &["risk", "plan.tranche"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.is_empty());
    run.assert_stderr_has("biuld");
}

/// [`SMALL`] with a risk register: a mitigated supplier risk and a certain issue.
const SMALL_WITH_RISKS: &str = r#"risk supplier "Supplier leaves the market" {
  probability 40%
  affects build delay 1 month to 3 months
  affects build cost capital £20k to £60k
  mitigation "Escrow" {
    probability 10%
    cost capital £15k
  }
}

issue data "Records worse than assumed" {
  affects migrate delay 2 weeks
}
"#;

#[test]
fn mitigations_compared_as_a_table() {
    // Issue 22: each mitigation against the plan without it, on the same random numbers.
    let plan = format!("{SMALL}\n{SMALL_WITH_RISKS}");
    let dir = in_dir(&[("plan.tranche", &plan)]);
    let args = [
        "risk",
        "plan.tranche",
        "--iterations",
        "1000",
        "--compare-mitigations",
    ];
    let run = tranche_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.transcript());
    let json = tranche_in(dir.path(), &[&args[..], &["--format", "json"]].concat());
    let value: serde_json::Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("JSON out: {e}"));
    assert_eq!(value["schema"], "tranche-risk-mitigations");
    assert_eq!(value["mitigations"][0]["risk"], "supplier");
    assert_eq!(value["summary"]["events"][1]["kind"], "issue");
}

/// A savings target in a year over at the status date is judged on the year's forecast, as
/// `finance` judges it (issue 17): the plan worked in
/// tests/fixtures/money/actuals_forecast_and_variance.tranche planned £60,000 of savings in
/// 2021/22 and realised £45,000, so its £50,000 target is missed whatever the simulation
/// samples. Before, risk sampled the plan and gave it a 100% chance.
#[test]
fn a_target_in_a_year_that_is_over_is_judged_on_what_was_realised() {
    let plan = "tests/fixtures/money/actuals_forecast_and_variance.tranche";
    let run = tranche(&["risk", plan, "--iterations", "200", "--format", "json"]);
    let value: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", run.stderr));
    let target = &value["targets"][0];
    assert_eq!(target["year"], "2021/22");
    for figure in ["planned", "p10", "p50", "p90"] {
        assert_eq!(target["savings"][figure], 4_500_000, "{figure}: {target}");
    }
    assert_eq!(target["probability"], 0.0, "{target}");
    let finance = tranche(&["finance", plan, "--format", "json"]);
    let finance: serde_json::Value = serde_json::from_str(&finance.stdout).expect("JSON");
    assert_eq!(finance["checks"][0]["actual"], 4_500_000);
}
