//! A chain of 1,000,000 items schedules without a stack overflow (issue 3): graph building,
//! cycle search and both passes are iterative. Start-to-start links keep every date in range.

use crate::schedule_support;

use schedule_support::*;
use tranche::model::{Dependency, ItemId, LinkKind, ProjectId};

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
    let mut plan = Plan::new("2021-03-01");
    plan.project("p0", 1);
    let template = plan.portfolio.projects[0].clone();
    for i in 1..N {
        let mut project = template.clone();
        project.id = format!("p{i}").into();
        project.dependencies = Box::new([Dependency {
            predecessor: ItemId::Project(ProjectId(i as u32 - 1)),
            kind: LinkKind::FinishToStart,
            lag_days: 0,
            span: span(i),
        }]);
        plan.portfolio.projects.push(project);
    }
    push(
        &mut plan.portfolio.projects[0].dependencies,
        Dependency {
            predecessor: ItemId::Project(ProjectId(N as u32 - 1)),
            kind: LinkKind::FinishToStart,
            lag_days: 0,
            span: span(0),
        },
    );
    let diagnostics = plan.network().expect_err("a cycle");
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0]
            .message
            .starts_with("dependency cycle: `p0` -> `p1` -> `p2`")
    );
    assert!(diagnostics[0].message.ends_with("`p199999` -> `p0`"));
}
