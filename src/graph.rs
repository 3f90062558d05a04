//! The dependency graph of a portfolio. The only module that names petgraph.
//!
//! Input: a validated [`Portfolio`]. Output: a [`Network`]: every precedence link between two
//! schedulable items (projects and milestones), with dependencies on a programme expanded to
//! all of its work (every project and milestone inside it, recursively), milestones `at start`
//! and `at finish` tied to their project, and a topological order of the items. Or, when the
//! dependencies go round in a circle, one E030 diagnostic per cycle.
//!
//! Invariant: in a [`Network`], every link's predecessor comes before its successor in
//! `order`, so the scheduler's passes are single loops (no recursion: a chain of a million
//! projects needs no stack).
//!
//! Cycles are found on a graph that also holds a node per programme (work inside a programme
//! leads to the programme; the programme leads to whatever depends on it), so a cycle through a
//! programme names the programme, and Kosaraju's strongly connected components (iterative in
//! petgraph) give one diagnostic per tangle, in a deterministic order.

use std::collections::VecDeque;

use petgraph::Directed;
use petgraph::graph::{Graph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::model::{
    ItemId, LinkKind, MilestoneId, MilestoneTiming, Portfolio, ProgrammeId, ProjectId,
};

/// Why one item must wait for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOrigin {
    /// A dependency the author wrote (on the successor), pointing at its line.
    Dependency {
        span: Span,
        via: Option<ProgrammeId>,
    },
    /// A milestone `at start` of its project: it happens as the project's first day begins.
    AtStart,
    /// A milestone `at finish` of its project: it happens at the end of the project's last day.
    AtFinish,
}

/// One precedence link between two schedulable items (never a programme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub predecessor: ItemId,
    pub successor: ItemId,
    pub kind: LinkKind,
    /// Working days on the successor's calendar; negative for a lead.
    pub lag_days: i32,
    pub origin: LinkOrigin,
}

/// One link as the scheduler's passes read it, from one end: the node at the other end, the
/// link's index in `Network::links`, its kind and lag. Laid out beside the other links of the
/// same node, so a pass over a node's links reads one short run of memory rather than a
/// `Link` and an `ItemId` lookup each, scattered over the whole network (at 100,000 projects
/// those cache misses were most of the schedule's time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub(crate) node: u32,
    pub(crate) link: u32,
    pub(crate) lag_days: i32,
    pub(crate) kind: LinkKind,
}

/// The scheduling network: links between projects and milestones, in a topological order.
#[derive(Debug, Clone)]
pub struct Network {
    pub(crate) n_projects: usize,
    pub(crate) n_milestones: usize,
    pub(crate) links: Vec<Link>,
    /// Links grouped by successor node, each seen from it (`Edge::node` is the predecessor):
    /// `into[into_start[n]..into_start[n + 1]]`.
    into_start: Vec<usize>,
    into: Vec<Edge>,
    /// Links grouped by predecessor node (`Edge::node` is the successor).
    out_start: Vec<usize>,
    out: Vec<Edge>,
    /// Every schedulable node, predecessors first.
    pub(crate) order: Vec<u32>,
    /// For each programme, its work (projects and milestones inside it, recursively), sorted.
    pub(crate) programme_work: Vec<Vec<ItemId>>,
}

impl Network {
    /// Every precedence link (for benchmarks and tools that walk the graph themselves).
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Number of schedulable nodes (projects, then milestones).
    pub(crate) fn n_nodes(&self) -> usize {
        self.n_projects + self.n_milestones
    }

    /// Node number of a project or milestone.
    pub(crate) fn node(&self, item: ItemId) -> Option<usize> {
        match item {
            ItemId::Project(p) => Some(p.0 as usize),
            ItemId::Milestone(m) => Some(self.n_projects + m.0 as usize),
            ItemId::Programme(_) => None,
        }
    }

    pub(crate) fn item(&self, node: usize) -> ItemId {
        if node < self.n_projects {
            ItemId::Project(ProjectId(to_u32(node)))
        } else {
            ItemId::Milestone(MilestoneId(to_u32(node - self.n_projects)))
        }
    }

    /// Links into `node` (its predecessors).
    pub(crate) fn links_into(&self, node: usize) -> impl Iterator<Item = (usize, &Link)> {
        self.edges_into(node)
            .iter()
            .map(|e| (e.link as usize, &self.links[e.link as usize]))
    }

    /// Links out of `node` (its successors).
    pub(crate) fn links_out(&self, node: usize) -> impl Iterator<Item = (usize, &Link)> {
        self.edges_out(node)
            .iter()
            .map(|e| (e.link as usize, &self.links[e.link as usize]))
    }

    /// The links into `node`, each with its predecessor's node, in link order.
    pub(crate) fn edges_into(&self, node: usize) -> &[Edge] {
        &self.into[self.into_start[node]..self.into_start[node + 1]]
    }

    /// The links out of `node`, each with its successor's node, in link order.
    pub(crate) fn edges_out(&self, node: usize) -> &[Edge] {
        &self.out[self.out_start[node]..self.out_start[node + 1]]
    }
}

/// Builds the network of `portfolio`, or one E030 diagnostic per dependency cycle.
pub fn build(portfolio: &Portfolio) -> Result<Network, Vec<Diagnostic>> {
    let n_projects = portfolio.projects.len();
    let n_milestones = portfolio.milestones.len();
    let n_programmes = portfolio.programmes.len();
    let n_items = n_projects + n_milestones;
    let node_of = |item: ItemId| -> usize {
        match item {
            ItemId::Project(p) => p.0 as usize,
            ItemId::Milestone(m) => n_projects + m.0 as usize,
            ItemId::Programme(g) => n_items + g.0 as usize,
        }
    };

    // The cycle graph: items and programmes; edges from predecessor to successor.
    let mut graph: Graph<(), Step, Directed, u32> =
        Graph::with_capacity(n_items + n_programmes, n_items);
    for _ in 0..n_items + n_programmes {
        graph.add_node(());
    }
    let edge = |graph: &mut Graph<(), Step, Directed, u32>, from: usize, to: usize, why: Step| {
        graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), why);
    };
    let mut direct: Vec<(ItemId, ItemId, LinkKind, i32, LinkOrigin)> = Vec::new();
    for (i, project) in portfolio.projects.iter().enumerate() {
        let me = ItemId::Project(ProjectId(to_u32(i)));
        for dep in &project.dependencies {
            edge(
                &mut graph,
                node_of(dep.predecessor),
                node_of(me),
                Step::Dependency(dep.span),
            );
            direct.push((
                dep.predecessor,
                me,
                dep.kind,
                dep.lag_days,
                dependency(dep.span),
            ));
        }
    }
    for (i, milestone) in portfolio.milestones.iter().enumerate() {
        let me = ItemId::Milestone(MilestoneId(to_u32(i)));
        for dep in &milestone.dependencies {
            edge(
                &mut graph,
                node_of(dep.predecessor),
                node_of(me),
                Step::Dependency(dep.span),
            );
            direct.push((
                dep.predecessor,
                me,
                dep.kind,
                dep.lag_days,
                dependency(dep.span),
            ));
        }
        if let Some(project) = milestone.project {
            let tie = match milestone.timing {
                MilestoneTiming::AtStart => Some((LinkKind::StartToStart, 0, LinkOrigin::AtStart)),
                MilestoneTiming::AtFinish => {
                    Some((LinkKind::FinishToFinish, 0, LinkOrigin::AtFinish))
                }
                MilestoneTiming::On(_) | MilestoneTiming::Free => None,
            };
            if let Some((kind, lag, origin)) = tie {
                let p = ItemId::Project(project);
                edge(
                    &mut graph,
                    node_of(p),
                    node_of(me),
                    Step::Tie(milestone.span),
                );
                direct.push((p, me, kind, lag, origin));
            }
        }
    }
    for (i, programme) in portfolio.programmes.iter().enumerate() {
        for child in &programme.children {
            edge(
                &mut graph,
                node_of(*child),
                n_items + i,
                Step::PartOf(programme.span),
            );
        }
    }

    let sccs = petgraph::algo::kosaraju_scc(&graph);
    let mut component = vec![usize::MAX; graph.node_count()];
    for (c, scc) in sccs.iter().enumerate() {
        for n in scc {
            component[n.index()] = c;
        }
    }
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for scc in &sccs {
        let self_loop = scc.len() == 1 && graph.edges(scc[0]).any(|e| e.target() == scc[0]);
        if scc.len() > 1 || self_loop {
            let Some(first) = scc.iter().map(|n| n.index()).min() else {
                continue;
            };
            cycles.push(shortest_cycle(&graph, &component, first));
        }
    }
    if !cycles.is_empty() {
        cycles.sort();
        let names =
            |node: usize| name_of(portfolio, item_of_node(node, n_projects, n_items)).to_string();
        let diagnostics = cycles
            .iter()
            .map(|cycle| cycle_diagnostic(&graph, cycle, &names))
            .collect();
        return Err(diagnostics);
    }

    let programme_work = programme_work(portfolio);
    let mut links: Vec<Link> = Vec::with_capacity(direct.len());
    for (predecessor, successor, kind, lag_days, origin) in direct {
        match predecessor {
            ItemId::Programme(g) => {
                let via = Some(g);
                let origin = match origin {
                    LinkOrigin::Dependency { span, .. } => LinkOrigin::Dependency { span, via },
                    other => other,
                };
                for &work in programme_work.get(g.0 as usize).into_iter().flatten() {
                    links.push(Link {
                        predecessor: work,
                        successor,
                        kind,
                        lag_days,
                        origin,
                    });
                }
            }
            _ => links.push(Link {
                predecessor,
                successor,
                kind,
                lag_days,
                origin,
            }),
        }
    }

    // Items in a topological order of the cycle graph (which contains every link's path).
    let order: Vec<u32> = match petgraph::algo::toposort(&graph, None) {
        Ok(nodes) => nodes
            .into_iter()
            .map(|n| n.index())
            .filter(|&n| n < n_items)
            .map(to_u32)
            .collect(),
        Err(_) => panic!("graph::build: toposort found a cycle that kosaraju_scc did not"),
    };

    let (into_start, into) = group(n_items, links.iter().map(|l| node_of(l.successor)));
    let (out_start, out) = group(n_items, links.iter().map(|l| node_of(l.predecessor)));
    let seen_from = |l: u32, other: ItemId| {
        let link = &links[l as usize];
        Edge {
            node: to_u32(node_of(other)),
            link: l,
            lag_days: link.lag_days,
            kind: link.kind,
        }
    };
    let into = into
        .iter()
        .map(|&l| seen_from(l, links[l as usize].predecessor))
        .collect();
    let out = out
        .iter()
        .map(|&l| seen_from(l, links[l as usize].successor))
        .collect();
    Ok(Network {
        n_projects,
        n_milestones,
        links,
        into_start,
        into,
        out_start,
        out,
        order,
        programme_work,
    })
}

/// The item a user names by `id` (a project, milestone or programme, or `project.milestone`),
/// for `tranche explain ID`. Ids are unique across kinds (the validator refuses duplicates).
pub fn find_item(portfolio: &Portfolio, id: &str) -> Option<ItemId> {
    let index = |i: usize| u32::try_from(i).ok();
    if let Some(i) = portfolio.projects.iter().position(|p| p.id == id) {
        return index(i).map(|i| ItemId::Project(ProjectId(i)));
    }
    if let Some(i) = portfolio.milestones.iter().position(|m| m.id == id) {
        return index(i).map(|i| ItemId::Milestone(MilestoneId(i)));
    }
    if let Some(i) = portfolio.programmes.iter().position(|g| g.id == id) {
        return index(i).map(|i| ItemId::Programme(ProgrammeId(i)));
    }
    // `project.milestone`: a milestone by the name its project gives it.
    let (project, milestone) = id.split_once('.')?;
    let project = portfolio.projects.iter().find(|p| p.id == project)?;
    let m = project.milestones.iter().copied().find(|m| {
        portfolio
            .milestones
            .get(m.0 as usize)
            .is_some_and(|x| x.id == milestone)
    })?;
    Some(ItemId::Milestone(m))
}

/// The name a user knows an item by: its id.
pub fn name_of(portfolio: &Portfolio, item: ItemId) -> &str {
    let name = match item {
        ItemId::Project(p) => portfolio.projects.get(p.0 as usize).map(|p| p.id.as_str()),
        ItemId::Milestone(m) => portfolio
            .milestones
            .get(m.0 as usize)
            .map(|m| m.id.as_str()),
        ItemId::Programme(g) => portfolio
            .programmes
            .get(g.0 as usize)
            .map(|g| g.id.as_str()),
    };
    name.unwrap_or("?")
}

/// Why an edge of the cycle graph exists (for the notes of a cycle diagnostic).
#[derive(Debug, Clone, Copy)]
enum Step {
    Dependency(Span),
    Tie(Span),
    PartOf(Span),
}

fn dependency(span: Span) -> LinkOrigin {
    LinkOrigin::Dependency { span, via: None }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or_else(|_| panic!("graph: more than u32::MAX items ({n})"))
}

fn item_of_node(node: usize, n_projects: usize, n_items: usize) -> ItemId {
    if node < n_projects {
        ItemId::Project(ProjectId(to_u32(node)))
    } else if node < n_items {
        ItemId::Milestone(MilestoneId(to_u32(node - n_projects)))
    } else {
        ItemId::Programme(ProgrammeId(to_u32(node - n_items)))
    }
}

/// Counting sort of link indices by a key node: (start offsets, link indices).
fn group(n_nodes: usize, keys: impl Iterator<Item = usize> + Clone) -> (Vec<usize>, Vec<u32>) {
    let mut start = vec![0usize; n_nodes + 1];
    for k in keys.clone() {
        start[k + 1] += 1;
    }
    for i in 0..n_nodes {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut grouped = vec![0u32; start[n_nodes]];
    for (l, k) in keys.enumerate() {
        grouped[next[k]] = to_u32(l);
        next[k] += 1;
    }
    (start, grouped)
}

/// The shortest cycle through `first` inside its component, as nodes from `first` onwards
/// (breadth-first, so iterative and deterministic: edges are visited in insertion order).
fn shortest_cycle(
    graph: &Graph<(), Step, Directed, u32>,
    component: &[usize],
    first: usize,
) -> Vec<usize> {
    let c = component[first];
    let mut seen = std::collections::BTreeMap::new();
    let mut queue = VecDeque::from([first]);
    seen.insert(first, usize::MAX);
    while let Some(n) = queue.pop_front() {
        for e in graph.edges(NodeIndex::new(n)) {
            let t = e.target().index();
            if component[t] != c {
                continue;
            }
            if t == first {
                let mut path = vec![n];
                let mut at = n;
                while let Some(&p) = seen.get(&at) {
                    if p == usize::MAX {
                        break;
                    }
                    path.push(p);
                    at = p;
                }
                path.reverse();
                return path;
            }
            if let std::collections::btree_map::Entry::Vacant(v) = seen.entry(t) {
                v.insert(n);
                queue.push_back(t);
            }
        }
    }
    panic!("graph: node {first} is in a strongly connected component but on no cycle")
}

fn cycle_diagnostic(
    graph: &Graph<(), Step, Directed, u32>,
    cycle: &[usize],
    names: &dyn Fn(usize) -> String,
) -> Diagnostic {
    let mut text: Vec<String> = cycle.iter().map(|&n| format!("`{}`", names(n))).collect();
    if let Some(&first) = cycle.first() {
        text.push(format!("`{}`", names(first)));
    }
    let message = format!("dependency cycle: {}", text.join(" -> "));
    // Each step of the cycle, with the reason its edge exists.
    let mut steps: Vec<(usize, usize, Step)> = Vec::new();
    for (i, &from) in cycle.iter().enumerate() {
        let to = cycle.get(i + 1).or(cycle.first()).copied().unwrap_or(from);
        let why = graph
            .edges(NodeIndex::new(from))
            .find(|e| e.target().index() == to)
            .map(|e| *e.weight());
        if let Some(why) = why {
            steps.push((from, to, why));
        }
    }
    let primary = steps.iter().find_map(|(_, _, s)| match s {
        Step::Dependency(span) => Some(*span),
        _ => None,
    });
    let mut d = match primary {
        Some(span) => Diagnostic::new(Code::E030DependencyCycle, span, message),
        None => Diagnostic::unlocated(Code::E030DependencyCycle, message),
    };
    for (from, to, why) in steps {
        let (from, to) = (names(from), names(to));
        let (span, note) = match why {
            Step::Dependency(span) => (span, format!("`{to}` depends on `{from}` here")),
            Step::Tie(span) => (
                span,
                format!("milestone `{to}` is tied to project `{from}`"),
            ),
            Step::PartOf(span) => (span, format!("`{from}` is part of programme `{to}`")),
        };
        if Some(span) != primary {
            d = d.with_note(Some(span), note);
        }
    }
    d.with_hint(
        "each item in the cycle must come before the next one; remove or reverse one of these \
         dependencies",
    )
}

/// Every programme's work: the projects and milestones inside it, recursively, sorted.
/// Computed bottom-up from each item's nearest programme, without recursion.
fn programme_work(portfolio: &Portfolio) -> Vec<Vec<ItemId>> {
    let mut work: Vec<Vec<ItemId>> = vec![Vec::new(); portfolio.programmes.len()];
    let mut add = |item: ItemId, mut programme: Option<ProgrammeId>| {
        let mut steps = 0usize;
        while let Some(g) = programme {
            // Parents form a tree (validated); the bound guards against a broken model.
            steps += 1;
            if steps > portfolio.programmes.len() {
                panic!(
                    "graph: programme parents form a cycle at `{}`",
                    name_of(portfolio, item)
                );
            }
            if let Some(list) = work.get_mut(g.0 as usize) {
                list.push(item);
            }
            programme = portfolio
                .programmes
                .get(g.0 as usize)
                .and_then(|p| p.parent);
        }
    };
    for (i, project) in portfolio.projects.iter().enumerate() {
        add(ItemId::Project(ProjectId(to_u32(i))), project.programme);
    }
    for (i, milestone) in portfolio.milestones.iter().enumerate() {
        let programme = milestone.programme.or_else(|| {
            milestone
                .project
                .and_then(|p| portfolio.projects.get(p.0 as usize))
                .and_then(|p| p.programme)
        });
        add(ItemId::Milestone(MilestoneId(to_u32(i))), programme);
    }
    for list in &mut work {
        list.sort();
    }
    work
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_keeps_link_order_within_each_node() {
        // Links 0..5 keyed to nodes 2, 0, 2, 1, 0.
        let (start, grouped) = group(3, [2usize, 0, 2, 1, 0].into_iter());
        assert_eq!(start, [0, 2, 3, 5]);
        assert_eq!(grouped, [1, 4, 3, 0, 2]);
    }
}
