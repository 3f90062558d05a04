//! `tranche trend` (issue 19) on a git repository of the example portfolio with six versions:
//! the status date moving by a quarter each time, the new case system slipping, one version
//! with a syntax error, and one changing an included file. Every point the trend reports must
//! be what that commit's plan gives when it is checked out and scheduled on its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common;
use crate::report_common;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Programme Office")
        .env("GIT_AUTHOR_EMAIL", "pmo@example.org")
        .env("GIT_COMMITTER_NAME", "Programme Office")
        .env("GIT_COMMITTER_EMAIL", "pmo@example.org")
        .output()
        .unwrap_or_else(|e| panic!("git runs: {e}"));
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

const PLAN: &str = "plan.tranche";
const INCLUDED: &str = "workstreams/collaborative-commissioning.tranche";

/// The example portfolio with its status date, the case system's likely duration and the
/// first duration of the included workstream set; `broken` leaves a syntax error in it.
fn version(
    status: &str,
    case_months: u32,
    workstream_months: u32,
    broken: bool,
) -> (String, String) {
    let root = common::root().join("portfolios");
    let plan = std::fs::read_to_string(root.join("children-and-families.tranche"))
        .unwrap_or_else(|e| panic!("the example: {e}"));
    let included = std::fs::read_to_string(root.join(INCLUDED))
        .unwrap_or_else(|e| panic!("the workstream: {e}"));
    let mut plan = plan
        .replacen(
            "status-date 2021-04-16",
            &format!("status-date {status}"),
            1,
        )
        .replacen(
            "duration 16 months range 12 months to 22 months",
            &format!("duration {case_months} months range 12 months to 30 months"),
            1,
        );
    if broken {
        plan = plan.replacen("not-before 2020-06-01", "not-before 2020-06-01 }}", 1);
    }
    let included = included.replacen(
        "duration 6 months",
        &format!("duration {workstream_months} months"),
        1,
    );
    (plan, included)
}

/// A repository with the six versions; returns it and the commits, oldest first.
fn repository() -> (tempfile::TempDir, Vec<String>) {
    let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    git(repo.path(), &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(repo.path().join("workstreams")).unwrap_or_else(|e| panic!("{e}"));
    let versions = [
        // Within 2021/22: the example records actuals for 2020/21, so every version's status
        // date is after that year.
        ("2021-04-16", 16, 6, false, "April return"),
        (
            "2021-06-15",
            17,
            6,
            false,
            "June return: case system a month later",
        ),
        ("2021-08-16", 18, 6, true, "August return, with a typo"),
        (
            "2021-08-16",
            18,
            6,
            false,
            "August return, fixed: another month",
        ),
        (
            "2021-11-15",
            19,
            8,
            false,
            "November return: commissioning longer too",
        ),
        (
            "2022-01-14",
            20,
            8,
            false,
            "January return: and another month",
        ),
    ];
    let mut commits = Vec::new();
    for (status, case, work, broken, message) in versions {
        let (plan, included) = version(status, case, work, broken);
        std::fs::write(repo.path().join(PLAN), plan).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(repo.path().join(INCLUDED), included).unwrap_or_else(|e| panic!("{e}"));
        git(repo.path(), &["add", "-A"]);
        git(repo.path(), &["commit", "-q", "-m", message]);
        commits.push(git(repo.path(), &["rev-parse", "HEAD"]));
    }
    (repo, commits)
}

fn json(run: &common::Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}", run.stdout))
}

/// The plan as it was at `commit`, checked out on its own.
fn checkout(repo: &Path, commit: &str, into: &Path) -> PathBuf {
    let dir = into.join(&commit[..12]);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let tar = dir.join("version.tar");
    git(
        repo,
        &[
            "archive",
            "--format=tar",
            "-o",
            &tar.to_string_lossy(),
            commit,
        ],
    );
    let untar = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(&dir)
        .status()
        .unwrap_or_else(|e| panic!("tar runs: {e}"));
    assert!(untar.success());
    dir
}

#[test]
fn every_point_is_what_its_commit_gives_on_its_own() {
    let (repo, commits) = repository();
    let run = common::tranche_in(repo.path(), &["trend", PLAN, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let trend = json(&run);
    let points = trend["points"]
        .as_array()
        .unwrap_or_else(|| panic!("points"));
    // Six versions: the broken one skipped (listed), the rest one point per status date (the
    // fixed July version stands for July).
    let at: Vec<&str> = points
        .iter()
        .map(|p| p["commit"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        at,
        [
            &commits[0],
            &commits[1],
            &commits[3],
            &commits[4],
            &commits[5]
        ]
        .map(String::as_str)
    );
    assert_eq!(trend["skipped"][0]["commit"], commits[2].as_str());
    assert!(trend["skipped"][0]["errors"].as_u64().unwrap_or(0) >= 1);

    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for point in points {
        let commit = point["commit"].as_str().unwrap_or_default();
        let dir = checkout(repo.path(), commit, scratch.path());
        let schedule = json(&common::tranche_in(
            &dir,
            &["schedule", PLAN, "--format", "json"],
        ));
        let finance = json(&common::tranche_in(
            &dir,
            &["finance", PLAN, "--format", "json"],
        ));
        assert_eq!(point["status_date"], schedule["status_date"], "{commit}");
        assert_eq!(point["finish"], schedule["finish"], "{commit}");
        let items = schedule["items"]
            .as_array()
            .unwrap_or_else(|| panic!("items"));
        for forecast in point["items"].as_array().unwrap_or_else(|| panic!("items")) {
            let alone = items
                .iter()
                .find(|i| i["id"] == forecast["id"] && i["kind"] == forecast["kind"])
                .unwrap_or_else(|| panic!("{} in {commit}", forecast["id"]));
            assert_eq!(
                forecast["finish"], alone["finish"],
                "{} at {commit}",
                forecast["id"]
            );
        }
        let portfolio = finance["groups"]
            .as_array()
            .and_then(|g| g.iter().find(|g| g["kind"] == "portfolio"))
            .unwrap_or_else(|| panic!("the portfolio's money"));
        assert_eq!(point["npv"], portfolio["appraisal"]["npv"], "{commit}");
        let targets: Vec<(Value, Value, Value)> = finance["checks"]
            .as_array()
            .unwrap_or_else(|| panic!("checks"))
            .iter()
            .filter(|c| c["kind"] == "savings-target")
            .map(|c| {
                (
                    c["year_label"].clone(),
                    c["limit"].clone(),
                    c["actual"].clone(),
                )
            })
            .collect();
        let savings: Vec<(Value, Value, Value)> = point["savings"]
            .as_array()
            .unwrap_or_else(|| panic!("savings"))
            .iter()
            .map(|s| {
                (
                    s["year"].clone(),
                    s["target"].clone(),
                    s["forecast"].clone(),
                )
            })
            .collect();
        assert_eq!(savings, targets, "{commit}");
    }

    // The case system's go-live slipped at each of its last four points: a steady drift.
    let go_live = trend["lines"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["id"] == "go-live"))
        .unwrap_or_else(|| panic!("go-live is a key milestone (it has a baseline)"));
    assert_eq!(go_live["slipped_in_a_row"], 4);
    let gate = |n: &str| {
        common::tranche_in(
            repo.path(),
            &["trend", PLAN, "--fail-on", "slipped-every-point", n],
        )
    };
    let tripped = gate("4");
    assert_eq!(tripped.code, 1, "{}", tripped.transcript());
    assert!(
        tripped.stderr.contains(
            "gate tripped: slipped-every-point: `go-live` slipped at each of the last 4 points"
        ),
        "{}",
        tripped.stderr
    );
    assert_eq!(gate("5").code, 0);
    // The table says the same, and the CSV has a row per point and line.
    let table = common::tranche_in(repo.path(), &["trend", PLAN]);
    assert!(table.stdout.starts_with("Trend of Children and Families Digital Transformation Plan 2020-2025: 5 points from 2021-04-16 to 2022-01-14"), "{}", table.stdout);
    assert!(
        table
            .stdout
            .contains(&format!("skipped {}: ", &commits[2][..12])),
        "{}",
        table.stdout
    );
    let csv = common::tranche_in(repo.path(), &["trend", PLAN, "--format", "csv"]);
    let rows = csv
        .stdout
        .lines()
        .filter(|l| l.contains(",milestone,go-live,"))
        .count();
    assert_eq!(rows, 5, "{}", csv.stdout);
}

/// A range of commits, and a range git cannot read.
#[test]
fn a_range_reads_only_its_commits_and_a_bad_one_is_a_clear_error() {
    let (repo, commits) = repository();
    let range = format!("{}..{}", &commits[3], &commits[5]);
    let run = common::tranche_in(
        repo.path(),
        &["trend", PLAN, "--git", &range, "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let trend = json(&run);
    assert_eq!(trend["points"].as_array().map(Vec::len), Some(2));
    let bad = common::tranche_in(repo.path(), &["trend", PLAN, "--git=--output=x"]);
    assert_eq!(bad.code, 2, "{}", bad.transcript());
    assert!(
        bad.stderr
            .contains("git cannot read the commits `--output=x`"),
        "{}",
        bad.stderr
    );
    assert!(!repo.path().join("x").exists());
}

/// The chart, drawn by Chromium: a line per key milestone, both axes labelled.
#[test]
fn the_trend_chart_draws_a_line_per_milestone_in_chromium() {
    if !report_common::chromium_ready() {
        return;
    }
    let (repo, _) = repository();
    let page = repo.path().join("trend.html");
    let run = common::tranche_in(
        repo.path(),
        &["trend", PLAN, "--format", "html", "-o", "trend.html"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = report_common::chromium(
        profile.path(),
        &page,
        &["--dump-dom", "--virtual-time-budget=5000"],
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    let key = text.matches("class=\"trend-line\"").count();
    assert_eq!(
        key, 2,
        "go-live and inspection-ready have a baseline or a deadline"
    );
    assert_eq!(dom.matches("class=\"trend-line\"").count(), key, "{dom}");
    assert!(dom.contains(">reporting date</text>") && dom.contains(">forecast date</text>"));
    assert!(dom.contains("class=\"savings-line\""));
}

/// `report --trend`: the committee report carries the trend, as `trend` reads it (HTML chart
/// and tables, Markdown tables, JSON field); without it the report is as it was.
#[test]
fn the_report_carries_the_trend_when_asked() {
    let (repo, _) = repository();
    let html = common::tranche_in(
        repo.path(),
        &["report", PLAN, "--format", "html", "--trend"],
    );
    assert!(
        html.stdout
            .contains("<h2 id=\"h-trend\">Milestone trend</h2>"),
        "{}",
        html.stderr
    );
    assert_eq!(html.stdout.matches("class=\"trend-line\"").count(), 2);
    let md = common::tranche_in(repo.path(), &["report", PLAN, "--trend"]);
    assert!(md.stdout.contains("## Milestone trend"), "{}", md.stderr);
    assert!(
        md.stdout.contains("| `go-live` | New case system live |"),
        "{}",
        md.stdout
    );
    let json = common::tranche_in(
        repo.path(),
        &["report", PLAN, "--format", "json", "--trend"],
    );
    let report = json_of(&json.stdout);
    let trend = common::tranche_in(repo.path(), &["trend", PLAN, "--format", "json"]);
    let alone = json_of(&trend.stdout);
    assert_eq!(report["trend"]["points"], alone["points"]);
    assert_eq!(report["trend"]["lines"], alone["lines"]);
    let plain = common::tranche_in(repo.path(), &["report", PLAN, "--format", "json"]);
    assert!(json_of(&plain.stdout).get("trend").is_none());
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON ({e}): {text}"))
}

/// The table, the CSV and the JSON agree: every forecast the CSV gives is the JSON's, and the
/// table's latest forecast of each line is the JSON's last.
#[test]
fn table_csv_and_json_agree() {
    let (repo, _) = repository();
    let json =
        json_of(&common::tranche_in(repo.path(), &["trend", PLAN, "--format", "json"]).stdout);
    let csv = common::tranche_in(repo.path(), &["trend", PLAN, "--format", "csv"]).stdout;
    let table = common::tranche_in(repo.path(), &["trend", PLAN]).stdout;
    let points = json["points"]
        .as_array()
        .unwrap_or_else(|| panic!("points"));
    for line in json["lines"].as_array().unwrap_or_else(|| panic!("lines")) {
        let id = line["id"].as_str().unwrap_or_default();
        let forecasts = line["forecasts"]
            .as_array()
            .unwrap_or_else(|| panic!("forecasts"));
        for (point, forecast) in points.iter().zip(forecasts) {
            let row = format!(
                "{},{},{},{},{},",
                point["status_date"].as_str().unwrap_or_default(),
                point["commit"].as_str().unwrap_or_default(),
                line["kind"].as_str().unwrap_or_default(),
                id,
                forecast.as_str().unwrap_or_default()
            );
            assert!(csv.contains(&row), "no `{row}` in\n{csv}");
        }
        let latest = forecasts
            .iter()
            .rev()
            .find_map(Value::as_str)
            .unwrap_or_default();
        let in_table = table
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} in\n{table}"));
        assert!(in_table.contains(latest), "{in_table} lacks {latest}");
    }
}

/// Up to twelve lines each get a colour of their own (chosen with `--milestones`), and the page
/// prints on A4 landscape.
#[test]
fn twelve_lines_are_told_apart_and_the_page_prints_on_a4() {
    let (repo, _) = repository();
    let json =
        json_of(&common::tranche_in(repo.path(), &["trend", PLAN, "--format", "json"]).stdout);
    let ids: Vec<String> = json["points"][0]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items"))
        .iter()
        .take(12)
        .map(|i| i["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), 12);
    let chosen = ids.join(",");
    let run = common::tranche_in(
        repo.path(),
        &[
            "trend",
            PLAN,
            "--milestones",
            &chosen,
            "--format",
            "html",
            "-o",
            "trend.html",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let html =
        std::fs::read_to_string(repo.path().join("trend.html")).unwrap_or_else(|e| panic!("{e}"));
    let colours: std::collections::BTreeSet<&str> = html
        .split("<polyline ")
        .skip(1)
        .filter_map(|p| p.split("stroke=\"").nth(1))
        .filter_map(|p| p.split('"').next())
        .collect();
    assert_eq!(html.matches("class=\"trend-line\"").count(), 12);
    assert!(colours.len() >= 12, "{colours:?}");
    if !report_common::chromium_ready() {
        return;
    }
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pdf = repo.path().join("trend.pdf");
    let printed = report_common::chromium(
        profile.path(),
        &repo.path().join("trend.html"),
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
    );
    assert!(pdf.exists(), "{printed:?}");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&bytes);
    // A4 landscape is 841.92 x 594.96 points (297 x 210 mm), on every page.
    let boxes: Vec<&str> = text.split("/MediaBox").skip(1).collect();
    assert!(!boxes.is_empty());
    for b in boxes {
        assert!(
            b.trim_start().starts_with("[0 0 841.9"),
            "not A4 landscape: {}",
            &b[..30.min(b.len())]
        );
    }
}

/// Issue 18: `report --since REV` (and `--previous OLD`) opens with what changed since the
/// previous report, and agrees with `tranche diff`: the projects whose finish moved, by as many
/// working days; the plan's finish; the savings by year then and now.
#[test]
fn the_report_says_what_changed_since_the_previous_one_as_diff_does() {
    let (repo, commits) = repository();
    let previous = &commits[4];
    let report = common::tranche_in(
        repo.path(),
        &["report", PLAN, "--format", "json", "--since", previous],
    );
    let report = json_of(&report.stdout);
    let since = &report["since"];
    assert_eq!(since["previous"], previous.as_str());
    assert_eq!(since["previous_as_of"], "2021-11-15");
    let diff = common::tranche_in(
        repo.path(),
        &["diff", "--git", previous, PLAN, "--format", "json"],
    );
    let diff = json_of(&diff.stdout);
    let moved_in_diff: Vec<(Value, Value)> = diff["projects"]
        .as_array()
        .unwrap_or_else(|| panic!("projects"))
        .iter()
        .filter(|p| p["finish"]["before"] != p["finish"]["after"])
        .map(|p| (p["id"].clone(), p["finish_moved_days"].clone()))
        .collect();
    let moved_in_report: Vec<(Value, Value)> = since["moved"]
        .as_array()
        .unwrap_or_else(|| panic!("moved"))
        .iter()
        .map(|m| (m["id"].clone(), m["moved_days"].clone()))
        .collect();
    assert!(!moved_in_report.is_empty());
    assert_eq!(moved_in_report, moved_in_diff);
    assert_eq!(since["finish"], diff["finish"]);
    for year in since["savings"]
        .as_array()
        .unwrap_or_else(|| panic!("savings"))
    {
        let in_diff = diff["years"]
            .as_array()
            .and_then(|ys| ys.iter().find(|y| y["year"] == year["year"]))
            .unwrap_or_else(|| panic!("{} in the diff", year["year"]));
        assert_eq!(year["before"]["pence"], in_diff["savings"]["before"]);
        assert_eq!(year["after"]["pence"], in_diff["savings"]["after"]);
    }
    // In Markdown and HTML, the section comes first; `--previous FILE` reads a file instead.
    let md = common::tranche_in(repo.path(), &["report", PLAN, "--since", previous]);
    let at = md.stdout.find("## Changes since the previous report");
    assert!(
        at.is_some_and(|a| a < md.stdout.find("## Headline").unwrap_or(0)),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("**Forecast finishes that moved**"),
        "{}",
        md.stdout
    );
    let old = checkout(repo.path(), previous, repo.path());
    let old_plan = old.join(PLAN).to_string_lossy().into_owned();
    let by_file = common::tranche_in(
        repo.path(),
        &[
            "report",
            PLAN,
            "--format",
            "json",
            "--previous",
            &old_plan,
            "--allow-outside-includes",
        ],
    );
    let by_file = json_of(&by_file.stdout);
    assert_eq!(by_file["since"]["moved"], since["moved"]);
    let html = common::tranche_in(
        repo.path(),
        &["report", PLAN, "--format", "html", "--since", previous],
    );
    assert!(
        html.stdout
            .contains("<h2 id=\"h-since\">Changes since the previous report</h2>")
    );
    // A revision that is not one is a clear error.
    let bad = common::tranche_in(repo.path(), &["report", PLAN, "--since", "no-such-rev"]);
    assert_eq!(bad.code, 2, "{}", bad.transcript());
    assert!(
        bad.stderr.contains("unknown revision `no-such-rev`"),
        "{}",
        bad.stderr
    );
}
