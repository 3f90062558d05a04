//! The dependency graph for Graphviz (DOT).
//!
//! Input: a portfolio and its analysis. Output: a `digraph`: one node per project (a box) and
//! milestone (a diamond) labelled with its title and tranche's dates, one cluster per
//! programme (nested as the programmes are), one edge per dependency labelled with its kind
//! and lag (`SS +2d`), a dashed edge tying a milestone to the start or finish of its project,
//! and the critical path in red: its items and the links between consecutive items on it.
//!
//! Invariant: output follows the author's order, so the same plan gives the same bytes. A
//! dependency on a programme is drawn from the programme's cluster (`ltail`), from its first
//! piece of work, or from a small node standing for an empty programme.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Step, outline, title_of};
use crate::analysis::Analysis;
use crate::graph::{LinkOrigin, name_of};
use crate::model::{ItemId, LinkKind, Portfolio, ProgrammeId};
use crate::report::Spill;

pub(crate) fn render(portfolio: &Portfolio, analysis: &Analysis) -> String {
    crate::report::to_string(|sink| write(portfolio, analysis, sink))
}

/// [`render`], written into `sink` as it is made: the text goes on in chunks from inside the
/// nodes and edges (`report::Spill`), so a graph of 100,000 projects (17 MB) is never held
/// whole beside the plan.
pub(crate) fn write(
    portfolio: &Portfolio,
    analysis: &Analysis,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let dot = Dot::new(portfolio, analysis);
    let mut spill = Spill::new(sink);
    let mut out = String::new();
    out.push_str("digraph tranche {\n");
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=t, rankdir=LR, compound=true, fontname=\"Helvetica\"];",
        quote(&portfolio.title)
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    dot.nodes(&mut out, &mut spill);
    // Dependencies as written (a dependency on a programme once, not once per piece of its
    // work), then the ties of milestones to their projects.
    dot.dependency_edges(&mut out, &mut spill);
    dot.tie_edges(&mut out, &mut spill);
    out.push_str("}\n");
    spill.finish(&mut out)
}

/// A portfolio and its analysis, with the critical path as sets to look items and links up in.
struct Dot<'a> {
    portfolio: &'a Portfolio,
    analysis: &'a Analysis,
    on_path: BTreeSet<ItemId>,
    /// Consecutive items on the critical path.
    path_links: BTreeSet<(ItemId, ItemId)>,
}

impl<'a> Dot<'a> {
    fn new(portfolio: &'a Portfolio, analysis: &'a Analysis) -> Dot<'a> {
        let critical_path = &analysis.schedule.critical_path;
        Dot {
            portfolio,
            analysis,
            on_path: critical_path.iter().copied().collect(),
            path_links: critical_path
                .windows(2)
                .filter_map(|w| match w {
                    [a, b] => Some((*a, *b)),
                    _ => None,
                })
                .collect(),
        }
    }

    /// Every programme as a cluster, with its work as nodes inside, in the author's order.
    fn nodes(&self, out: &mut String, spill: &mut Spill<'_>) {
        let mut depth = 1usize;
        for step in outline(self.portfolio) {
            spill.spill(out);
            let pad = "  ".repeat(depth);
            match step {
                Step::Open { programme, .. } => {
                    self.open_cluster(out, &pad, programme);
                    depth += 1;
                }
                Step::Close { .. } => {
                    depth = depth.saturating_sub(1);
                    let pad = "  ".repeat(depth);
                    let _ = writeln!(out, "{pad}}}");
                }
                Step::Work { item, .. } => self.work_node(out, &pad, item),
            }
        }
    }

    /// A programme's `subgraph cluster_…` up to its contents.
    fn open_cluster(&self, out: &mut String, pad: &str, programme: ProgrammeId) {
        let portfolio = self.portfolio;
        let id = name_of(portfolio, ItemId::Programme(programme));
        let _ = writeln!(out, "{pad}subgraph {} {{", quote(&format!("cluster_{id}")));
        let _ = writeln!(
            out,
            "{pad}  label={}; style=rounded; color=grey40;",
            quote(title_of(portfolio, ItemId::Programme(programme)))
        );
        if work_of(self.analysis, programme).is_none() {
            // An empty programme still needs a node for edges to start from.
            let _ = writeln!(
                out,
                "{pad}  {} [label=\"\", shape=point];",
                quote(&format!("programme:{id}"))
            );
        }
    }

    /// A project (box) or milestone (diamond) with its dates and float, red when critical.
    fn work_node(&self, out: &mut String, pad: &str, item: ItemId) {
        let Some(t) = self.analysis.schedule.timing(item) else {
            return;
        };
        let milestone = matches!(item, ItemId::Milestone(_));
        let dates = if milestone {
            t.finish.to_string()
        } else {
            format!("{} to {}", t.start, t.finish)
        };
        let float = if t.total_float_days == 0 {
            String::new()
        } else {
            format!("\\nfloat {}d", t.total_float_days)
        };
        let mut attributes = format!(
            "label=\"{}\\n{dates}{float}\"",
            escape(title_of(self.portfolio, item))
        );
        if milestone {
            attributes.push_str(", shape=diamond, style=filled");
        }
        if t.critical || self.on_path.contains(&item) {
            attributes.push_str(", color=red, penwidth=2");
        }
        let _ = writeln!(
            out,
            "{pad}{} [{attributes}];",
            quote(name_of(self.portfolio, item))
        );
    }

    /// One edge per dependency as written, projects' then milestones'; a dependency on a
    /// programme leaves its cluster.
    fn dependency_edges(&self, out: &mut String, spill: &mut Spill<'_>) {
        let portfolio = self.portfolio;
        let projects = portfolio.projects.iter().enumerate().map(|(i, p)| {
            (
                ItemId::Project(crate::model::ProjectId(
                    u32::try_from(i).unwrap_or(u32::MAX),
                )),
                &p.dependencies,
            )
        });
        let milestones = portfolio.milestones.iter().enumerate().map(|(i, m)| {
            (
                ItemId::Milestone(crate::model::MilestoneId(
                    u32::try_from(i).unwrap_or(u32::MAX),
                )),
                &m.dependencies,
            )
        });
        for (successor, deps) in projects.chain(milestones) {
            spill.spill(out);
            for d in deps.iter() {
                let mut attributes = vec![format!("label=\"{}\"", link_label(d.kind, d.lag_days))];
                let from = match d.predecessor {
                    ItemId::Programme(g) => {
                        let id = name_of(portfolio, d.predecessor);
                        attributes.push(format!("ltail={}", quote(&format!("cluster_{id}"))));
                        match work_of(self.analysis, g) {
                            Some(first) => name_of(portfolio, first).to_string(),
                            None => format!("programme:{id}"),
                        }
                    }
                    other => name_of(portfolio, other).to_string(),
                };
                if self.path_links.contains(&(d.predecessor, successor)) {
                    attributes.push("color=red, penwidth=2".to_string());
                }
                let _ = writeln!(
                    out,
                    "  {} -> {} [{}];",
                    quote(&from),
                    quote(name_of(portfolio, successor)),
                    attributes.join(", ")
                );
            }
        }
    }

    /// A dashed edge from each project to its milestones `at start` and `at finish`.
    fn tie_edges(&self, out: &mut String, spill: &mut Spill<'_>) {
        for link in &self.analysis.network.links {
            spill.spill(out);
            let label = match link.origin {
                LinkOrigin::AtStart => "at start",
                LinkOrigin::AtFinish => "at finish",
                LinkOrigin::Dependency { .. } => continue,
            };
            let mut attributes = format!("label=\"{label}\", style=dashed, arrowhead=none");
            if self
                .path_links
                .contains(&(link.predecessor, link.successor))
            {
                attributes.push_str(", color=red, penwidth=2");
            }
            let _ = writeln!(
                out,
                "  {} -> {} [{attributes}];",
                quote(name_of(self.portfolio, link.predecessor)),
                quote(name_of(self.portfolio, link.successor))
            );
        }
    }
}

/// The first piece of work inside a programme (projects and milestones, at any depth).
fn work_of(analysis: &Analysis, programme: ProgrammeId) -> Option<ItemId> {
    analysis
        .network
        .programme_work
        .get(programme.0 as usize)
        .and_then(|work| work.first().copied())
}

/// `FS`, `SS +2d`, `FF -1d`.
fn link_label(kind: LinkKind, lag_days: i32) -> String {
    let kind = kind.code();
    match lag_days {
        0 => kind.to_string(),
        lag if lag > 0 => format!("{kind} +{lag}d"),
        lag => format!("{kind} -{}d", lag.unsigned_abs()),
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

/// Escapes a DOT string: quotes and backslashes, and line breaks as `\n`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_say_kind_and_lag() {
        assert_eq!(link_label(LinkKind::FinishToStart, 0), "FS");
        assert_eq!(link_label(LinkKind::StartToStart, 2), "SS +2d");
        assert_eq!(link_label(LinkKind::FinishToFinish, -1), "FF -1d");
        assert_eq!(quote("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
    }
}
