//! Exports of a scheduled plan for other tools: Microsoft Project XML (MSPDI), a Mermaid gantt,
//! a Graphviz dependency graph, a CSV of projects for spreadsheets and an iCalendar of
//! milestones.
//!
//! Input: a validated [`Portfolio`] and its [`Analysis`] (the schedule tranche computed, its
//! network, calendars and money). Output: the file's text. Invariant: every export shows
//! tranche's own dates and critical path, computes no schedule of its own, and is a pure
//! function of the plan (no clock, no hash order), so the same plan gives the same bytes.

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, SourceMap};
use crate::model::{
    Dependency, ItemId, LinkKind, MilestoneId, MilestoneTiming, Portfolio, ProgrammeId,
};
use crate::schedule::{Schedule, Timing};

mod csv;
mod dot;
mod ical;
mod mermaid;
mod mspdi;
mod xlsx;

pub(crate) use mspdi::{
    COMPLETE_ALIAS, ID_ALIAS, NUMBER1_FIELD_ID, TEXT1_FIELD_ID, TEXT2_FIELD_ID, TIE_ALIAS,
};

/// The formats of `tranche export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Microsoft Project XML (MSPDI), for MS Project, ProjectLibre and MPXJ.
    Mspdi,
    /// A Mermaid gantt chart.
    Mermaid,
    /// The dependency graph for Graphviz (`dot -Tsvg`).
    Dot,
    /// One row per project with schedule and money, for Excel.
    Csv,
    /// The milestones as iCalendar events.
    Ical,
    /// An Excel workbook: schedule, milestones, finance with live totals, targets, diagnostics.
    Xlsx,
}

/// Renders `portfolio`, scheduled as `analysis` says, in `format`; a workbook's Diagnostics
/// sheet lists `diagnostics` (located through `sources`). `Err` only when the workbook writer
/// fails, which no plan can make it do.
pub fn export_with(
    portfolio: &Portfolio,
    analysis: &Analysis,
    format: Format,
    diagnostics: &[Diagnostic],
    sources: Option<&SourceMap>,
) -> Result<Vec<u8>, String> {
    // What the schedule learnt beyond its dates (finished work) is kept in the analysis.
    let trace = &analysis.trace;
    let text = match format {
        Format::Mspdi => mspdi::render(portfolio, analysis),
        Format::Mermaid => mermaid::render(portfolio, analysis, trace),
        Format::Dot => dot::render(portfolio, analysis),
        Format::Csv => csv::render(portfolio, analysis),
        Format::Ical => ical::render(portfolio, analysis, trace),
        Format::Xlsx => {
            return xlsx::render(portfolio, analysis, diagnostics, sources)
                .map_err(|e| format!("the workbook could not be written: {e}"));
        }
    };
    Ok(text.into_bytes())
}

/// Writes a text format of [`export_with`] into `out` as it is made: the same bytes, without
/// the whole text in memory beside the plan. MSPDI goes a calendar and a task at a time (at
/// 100,000 projects it is 170 MB, the largest thing an export would otherwise hold;
/// docs/limits.md), the CSV a row at a time with each project's money worked out for its row,
/// Mermaid and DOT in chunks between tasks, nodes and edges; iCalendar (a few bytes a
/// milestone) is made whole. The workbook is not text: it is refused here, and made whole by
/// [`export_with`].
pub fn write_text(
    portfolio: &Portfolio,
    analysis: &Analysis,
    format: Format,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Mspdi => mspdi::write(portfolio, analysis, out),
        Format::Csv => {
            // `csv::write` is generic over a sized writer, which `&mut dyn Write` is.
            let mut out = out;
            csv::write(&mut out, portfolio, analysis)
        }
        Format::Mermaid => mermaid::write(portfolio, analysis, &analysis.trace, out),
        Format::Dot => dot::write(portfolio, analysis, out),
        Format::Ical => {
            out.write_all(ical::render(portfolio, analysis, &analysis.trace).as_bytes())
        }
        Format::Xlsx => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "a workbook is not text: `export_with` makes it",
        )),
    }
}

/// The text formats of [`export_with`], as text (a workbook is not text: empty).
pub fn export(portfolio: &Portfolio, analysis: &Analysis, format: Format) -> String {
    match export_with(portfolio, analysis, format, &[], None) {
        Ok(bytes) if format != Format::Xlsx => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}

/// One step of a walk through the plan in the author's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// A programme begins; its work and inner programmes follow until its `Close`.
    Open {
        programme: ProgrammeId,
        depth: usize,
    },
    Close {
        programme: ProgrammeId,
    },
    /// A project or milestone. A project's own milestones follow it at the same depth, since
    /// tools that nest tasks make a task with children a summary and drop its duration.
    Work {
        item: ItemId,
        depth: usize,
    },
}

/// The plan's items in the author's order, programmes around their work. Iterative, so a
/// deeply nested plan needs no stack.
pub(crate) fn outline(portfolio: &Portfolio) -> Vec<Step> {
    let mut steps = Vec::new();
    // Each frame: the programme being walked (None for the top level) and the next child.
    let mut stack: Vec<(Option<ProgrammeId>, usize)> = vec![(None, 0)];
    while let Some(&(programme, next)) = stack.last() {
        let children = match programme {
            None => portfolio.roots.as_slice(),
            Some(g) => portfolio
                .programmes
                .get(g.0 as usize)
                .map_or(&[][..], |g| g.children.as_slice()),
        };
        let Some(&item) = children.get(next) else {
            stack.pop();
            if let Some(g) = programme {
                steps.push(Step::Close { programme: g });
            }
            continue;
        };
        if let Some(top) = stack.last_mut() {
            top.1 += 1;
        }
        let depth = stack.len() - 1;
        match item {
            ItemId::Programme(g) => {
                steps.push(Step::Open {
                    programme: g,
                    depth,
                });
                stack.push((Some(g), 0));
            }
            ItemId::Project(p) => {
                steps.push(Step::Work { item, depth });
                let milestones = portfolio
                    .projects
                    .get(p.0 as usize)
                    .map_or(&[][..], |p| &p.milestones[..]);
                for &m in milestones {
                    steps.push(Step::Work {
                        item: ItemId::Milestone(m),
                        depth,
                    });
                }
            }
            ItemId::Milestone(m) => {
                // A project's milestones were placed with their project.
                if milestone(portfolio, m).is_some_and(|m| m.project.is_none()) {
                    steps.push(Step::Work { item, depth });
                }
            }
        }
    }
    steps
}

/// The projects and milestones in the author's order (the work of [`outline`]), each with its
/// timing: the CSV lists the projects of it, the iCalendar the milestones.
pub(crate) fn work_in_order<'a>(
    portfolio: &Portfolio,
    schedule: &'a Schedule,
) -> impl Iterator<Item = (ItemId, &'a Timing)> + 'a {
    outline(portfolio)
        .into_iter()
        .filter_map(move |step| match step {
            Step::Work { item, .. } => Some((item, schedule.timing(item)?)),
            Step::Open { .. } | Step::Close { .. } => None,
        })
}

/// An item's dependencies as links to write: a milestone declared at the start or finish of
/// its project is linked SS or FS to it, without lag, ahead of its own dependencies.
pub(crate) fn links_of(portfolio: &Portfolio, item: ItemId) -> Vec<Dependency> {
    match item {
        ItemId::Project(p) => portfolio
            .projects
            .get(p.0 as usize)
            .map(|p| p.dependencies.to_vec())
            .unwrap_or_default(),
        ItemId::Milestone(m) => {
            let Some(milestone) = milestone(portfolio, m) else {
                return Vec::new();
            };
            let tie = match milestone.timing {
                MilestoneTiming::AtStart => Some(LinkKind::StartToStart),
                MilestoneTiming::AtFinish => Some(LinkKind::FinishToStart),
                _ => None,
            };
            let tied = tie.zip(milestone.project).map(|(kind, p)| Dependency {
                predecessor: ItemId::Project(p),
                kind,
                lag_days: 0,
                span: milestone.span,
            });
            tied.into_iter()
                .chain(milestone.dependencies.iter().cloned())
                .collect()
        }
        ItemId::Programme(_) => Vec::new(),
    }
}

fn milestone(portfolio: &Portfolio, m: MilestoneId) -> Option<&crate::model::Milestone> {
    portfolio.milestones.get(m.0 as usize)
}

/// The title of any item (the id when it has none).
pub(crate) fn title_of(portfolio: &Portfolio, item: ItemId) -> &str {
    match portfolio.id_and_title(item) {
        Some((_, title)) if !title.is_empty() => title,
        _ => crate::graph::name_of(portfolio, item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceMap;
    use crate::source::MemoryFs;

    fn portfolio(text: &'static str) -> Portfolio {
        let mut sources = SourceMap::new();
        let (plan, diagnostics) = crate::source::load(
            std::path::Path::new("plan.tranche"),
            &MemoryFs::single(text),
            &mut sources,
        )
        .unwrap_or_else(|d| panic!("the test plan loads: {d:?}"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let (portfolio, diagnostics) = crate::model::validate(plan);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        portfolio.unwrap_or_else(|| panic!("the test plan validates"))
    }

    #[test]
    fn the_outline_follows_the_authors_order_with_milestones_after_their_project() {
        let p = portfolio(
            "portfolio \"P\" {\n  start 2024-04-01\n  end 2025-03-31\n}\n\
             project first \"First\" {\n  duration 2 days\n  milestone done \"Done\" at finish\n}\n\
             programme outer \"Outer\" {\n  programme inner \"Inner\" {\n    project deep \"Deep\" {\n      duration 1 day\n    }\n  }\n  milestone end-of-outer \"End\" {\n    after inner\n  }\n}\n\
             milestone last \"Last\" on 2024-06-03\n",
        );
        let shown: Vec<String> = outline(&p)
            .into_iter()
            .map(|step| match step {
                Step::Open { programme, depth } => {
                    format!(
                        "{depth}+{}",
                        crate::graph::name_of(&p, ItemId::Programme(programme))
                    )
                }
                Step::Close { programme } => {
                    format!(
                        "-{}",
                        crate::graph::name_of(&p, ItemId::Programme(programme))
                    )
                }
                Step::Work { item, depth } => {
                    format!("{depth} {}", crate::graph::name_of(&p, item))
                }
            })
            .collect();
        assert_eq!(
            shown,
            [
                "0 first",
                "0 done",
                "0+outer",
                "1+inner",
                "2 deep",
                "-inner",
                "1 end-of-outer",
                "-outer",
                "0 last"
            ]
        );
    }
}
