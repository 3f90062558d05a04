//! A chain of 1,000,000 items schedules without a stack overflow (issue 3): graph building,
//! cycle search and both passes are iterative. Start-to-start links keep every date in range.
//! The cycle is plan text, read through the library's whole pipeline.

use crate::common;
use crate::schedule_support;

use schedule_support::*;
use tranche::model::{Dependency, ItemId, LinkKind, ProjectId};

use std::fmt::Write as _;

/// A portfolio starting Mon 2021-03-01, then `n` projects of `days` each, `p1` onwards each
/// linked to the one before by `link` (`after start of` or `after`).
fn chain(n: usize, days: u32, link: &str) -> String {
    let mut text = String::with_capacity(n * 60);
    text.push_str("portfolio \"Test portfolio\" {\n  start 2021-03-01\n  end 2040-12-31\n}\n");
    for i in 0..n {
        let _ = write!(text, "project p{i} {{\n  duration {}\n", common::days(days));
        if i > 0 {
            let _ = writeln!(text, "  {link} p{}", i - 1);
        }
        text.push_str("}\n");
    }
    text
}

#[test]
fn a_chain_of_a_million_start_to_start_projects_schedules() {
    const N: usize = 1_000_000;
    let mut plan = Plan::new("2021-03-01");
    plan.project("p0", 2);
    let template = plan.portfolio.projects[0].clone();
    plan.portfolio.projects.reserve(N);
    for i in 1..N {
        let mut project = template.clone();
        project.id = format!("p{i}").into();
        project.dependencies = Box::new([Dependency {
            predecessor: ItemId::Project(ProjectId(i as u32 - 1)),
            kind: LinkKind::StartToStart,
            lag_days: 0,
            span: span(i),
        }]);
        plan.portfolio.projects.push(project);
    }
    // Built as a model by hand, not as text: the million projects' text (60 MB) takes this
    // debug test build about 90 seconds to read under the system allocator, against 8 here
    // (the binary, with mimalloc, checks it in 16: tests/robustness.rs reads big plans there).
    let run = plan.run();
    assert!(run.diagnostics.is_empty());
    // Everything starts Mon Mar 1 and finishes Tue Mar 2; every link drives, so the critical
    // path is the whole chain.
    assert_eq!(run.dates("p999999"), pair("2021-03-01", "2021-03-02"));
    assert_eq!(run.schedule.finish.to_string(), "2021-03-02");
    assert_eq!(run.schedule.critical_path.len(), N);
    assert_eq!(run.t("p0").total_float_days, 0);
}

#[test]
fn a_cycle_closing_a_long_chain_is_found_without_recursion() {
    const N: usize = 200_000;
    // The chain, and p0 waiting for the last: one cycle through all of them.
    let text = chain(N, 1, "after").replacen(
        "project p0 {\n  duration 1 day\n",
        &format!("project p0 {{\n  duration 1 day\n  after p{}\n", N - 1),
        1,
    );
    let analysed = common::pipeline(&text);
    assert!(analysed.analysis.is_none(), "a cycle cannot be scheduled");
    let diagnostics = analysed.diagnostics;
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0]
            .message
            .starts_with("dependency cycle: `p0` -> `p1` -> `p2`")
    );
    assert!(diagnostics[0].message.ends_with("`p199999` -> `p0`"));
}
