//! The dependency graph of a portfolio. The only module that names petgraph.
//!
//! Input: a validated [`Portfolio`]. Output: a [`Network`]: every precedence link between two
//! schedulable items (projects and milestones), with dependencies on a programme expanded to
//! all of its work (every project and milestone inside it, recursively, less the milestones
//! tied to a project, which their project stands for), milestones `at start` and `at finish`
//! tied to their project, and a topological order of the items. Or, when the
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
    Dependency, ItemId, LinkKind, Milestone, MilestoneId, MilestoneTiming, Portfolio, ProgrammeId,
    ProjectId,
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
    let nodes = Nodes {
        n_projects: portfolio.projects.len(),
        n_items: portfolio.projects.len() + portfolio.milestones.len(),
    };
    let written = Written::of(portfolio, nodes);
    let n_nodes = nodes.n_items + portfolio.programmes.len();
    let successors = Successors::new(n_nodes, &written.graph);
    let Some(cycle_order) = successors.topological_order() else {
        let graph = petgraph_of(n_nodes, &written.graph);
        return Err(cycle_diagnostics(
            portfolio,
            &graph,
            nodes.n_projects,
            nodes.n_items,
        ));
    };
    let programme_work = programme_work(portfolio);
    let links = expand_programmes(written.links, &programme_work);
    // Items in a topological order of the cycle graph (which contains every link's path).
    let order: Vec<u32> = cycle_order
        .into_iter()
        .filter(|&n| (n as usize) < nodes.n_items)
        .collect();
    let (into_start, into) = nodes.edges_seen_from(&links, |l| l.successor, |l| l.predecessor);
    let (out_start, out) = nodes.edges_seen_from(&links, |l| l.predecessor, |l| l.successor);
    Ok(Network {
        n_projects: nodes.n_projects,
        n_milestones: nodes.n_items - nodes.n_projects,
        links,
        into_start,
        into,
        out_start,
        out,
        order,
        programme_work,
    })
}

/// Node numbers in the cycle graph: projects, then milestones (together the items, numbered
/// as in [`Network`]), then programmes.
#[derive(Clone, Copy)]
struct Nodes {
    n_projects: usize,
    n_items: usize,
}

impl Nodes {
    fn of(self, item: ItemId) -> usize {
        match item {
            ItemId::Project(p) => p.0 as usize,
            ItemId::Milestone(m) => self.n_projects + m.0 as usize,
            ItemId::Programme(g) => self.n_items + g.0 as usize,
        }
    }

    /// `links` grouped by the item `key` gives each (start offsets and edges, as in
    /// [`Network`]), each seen from there: its node is the item `other` gives.
    fn edges_seen_from(
        self,
        links: &[Link],
        key: impl Fn(&Link) -> ItemId,
        other: impl Fn(&Link) -> ItemId,
    ) -> (Vec<usize>, Vec<Edge>) {
        let (start, grouped) = group(self.n_items, links.iter().map(|l| self.of(key(l))));
        let edges = grouped
            .iter()
            .map(|&l| {
                let link = &links[l as usize];
                Edge {
                    node: to_u32(self.of(other(link))),
                    link: l,
                    lag_days: link.lag_days,
                    kind: link.kind,
                }
            })
            .collect();
        (start, edges)
    }
}

/// One link as written: predecessor (perhaps a programme), successor, kind, lag and origin.
type WrittenLink = (ItemId, ItemId, LinkKind, i32, LinkOrigin);

/// The links as written, before a dependency on a programme is expanded to its work, and the
/// cycle graph: items and programmes, with edges from predecessor to successor, as a list
/// (petgraph's graph is only built when there is a cycle to describe).
struct Written {
    nodes: Nodes,
    graph: Vec<(u32, u32, Step)>,
    links: Vec<WrittenLink>,
}

impl Written {
    fn of(portfolio: &Portfolio, nodes: Nodes) -> Written {
        let mut written = Written {
            nodes,
            graph: Vec::with_capacity(nodes.n_items * 3),
            links: Vec::with_capacity(nodes.n_items * 2),
        };
        for (i, project) in portfolio.projects.iter().enumerate() {
            let me = ItemId::Project(ProjectId(to_u32(i)));
            written.dependencies(me, &project.dependencies);
        }
        for (i, milestone) in portfolio.milestones.iter().enumerate() {
            let me = ItemId::Milestone(MilestoneId(to_u32(i)));
            written.dependencies(me, &milestone.dependencies);
            written.tie(me, milestone);
        }
        for (i, programme) in portfolio.programmes.iter().enumerate() {
            for child in &programme.children {
                written.edge(
                    nodes.of(*child),
                    nodes.n_items + i,
                    Step::PartOf(programme.span),
                );
            }
        }
        for (i, milestone) in portfolio.milestones.iter().enumerate() {
            written.untied_in_programme(portfolio, i, milestone);
        }
        written
    }

    fn edge(&mut self, from: usize, to: usize, why: Step) {
        self.graph.push((to_u32(from), to_u32(to), why));
    }

    /// The dependencies written on `me`, a project or a milestone.
    fn dependencies(&mut self, me: ItemId, dependencies: &[Dependency]) {
        for dep in dependencies {
            self.edge(
                self.nodes.of(dep.predecessor),
                self.nodes.of(me),
                Step::Dependency(dep.span),
            );
            self.links.push((
                dep.predecessor,
                me,
                dep.kind,
                dep.lag_days,
                dependency(dep.span),
            ));
        }
    }

    /// A milestone `at start` or `at finish` of its project waits on the project.
    fn tie(&mut self, me: ItemId, milestone: &Milestone) {
        let Some(project) = milestone.project else {
            return;
        };
        let tie = match milestone.timing {
            MilestoneTiming::AtStart => Some((LinkKind::StartToStart, 0, LinkOrigin::AtStart)),
            MilestoneTiming::AtFinish => Some((LinkKind::FinishToFinish, 0, LinkOrigin::AtFinish)),
            MilestoneTiming::On(_) | MilestoneTiming::Free => None,
        };
        if let Some((kind, lag, origin)) = tie {
            let p = ItemId::Project(project);
            self.edge(
                self.nodes.of(p),
                self.nodes.of(me),
                Step::Tie(milestone.span),
            );
            self.links.push((p, me, kind, lag, origin));
        }
    }

    /// A milestone declared in a project and not tied to it is work of the project's programme
    /// too (a dependency on the programme waits for it, see `programme_work`), though it is not
    /// among the programme's children: without this edge the order could put it after what
    /// depends on the programme.
    fn untied_in_programme(&mut self, portfolio: &Portfolio, i: usize, milestone: &Milestone) {
        if milestone.tied_to().is_some() {
            return;
        }
        let programme = milestone.project.and_then(|p| {
            milestone.programme.or_else(|| {
                portfolio
                    .projects
                    .get(p.0 as usize)
                    .and_then(|p| p.programme)
            })
        });
        if let Some(g) = programme {
            let span = portfolio
                .programmes
                .get(g.0 as usize)
                .map_or(milestone.span, |g| g.span);
            self.edge(
                self.nodes.n_projects + i,
                self.nodes.n_items + g.0 as usize,
                Step::PartOf(span),
            );
        }
    }
}

/// The links between schedulable items: a dependency on a programme becomes one link from
/// each piece of its work, remembering the programme it came through.
fn expand_programmes(written: Vec<WrittenLink>, programme_work: &[Vec<ItemId>]) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::with_capacity(written.len());
    for (predecessor, successor, kind, lag_days, origin) in written {
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
    links
}

/// The cycle graph's edges as a petgraph graph, added in the same order.
fn petgraph_of(n_nodes: usize, edges: &[(u32, u32, Step)]) -> Graph<(), Step, Directed, u32> {
    let mut graph: Graph<(), Step, Directed, u32> = Graph::with_capacity(n_nodes, edges.len());
    for _ in 0..n_nodes {
        graph.add_node(());
    }
    for &(from, to, why) in edges {
        graph.add_edge(
            NodeIndex::new(from as usize),
            NodeIndex::new(to as usize),
            why,
        );
    }
    graph
}

/// One E030 diagnostic per tangle of the cycle graph (a graph that has at least one cycle).
fn cycle_diagnostics(
    portfolio: &Portfolio,
    graph: &Graph<(), Step, Directed, u32>,
    n_projects: usize,
    n_items: usize,
) -> Vec<Diagnostic> {
    let sccs = petgraph::algo::kosaraju_scc(graph);
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
            cycles.push(shortest_cycle(graph, &component, first));
        }
    }
    if cycles.is_empty() {
        panic!("graph::build: a topological sort found a cycle that kosaraju_scc did not");
    }
    cycles.sort();
    let names =
        |node: usize| name_of(portfolio, item_of_node(node, n_projects, n_items)).to_string();
    cycles
        .iter()
        .map(|cycle| cycle_diagnostic(graph, cycle, &names))
        .collect()
}

/// The cycle graph's successors as plain index arrays: `next[start[n]..start[n + 1]]` are the
/// successors of node `n`, in the order their edges were added.
struct Successors {
    start: Vec<usize>,
    next: Vec<u32>,
}

impl Successors {
    fn new(n_nodes: usize, edges: &[(u32, u32, Step)]) -> Successors {
        let (start, grouped) = group(n_nodes, edges.iter().map(|&(from, _, _)| from as usize));
        let next = grouped
            .iter()
            .map(|&e| edges.get(e as usize).map_or(0, |&(_, to, _)| to))
            .collect();
        Successors { start, next }
    }

    fn of(&self, node: usize) -> &[u32] {
        &self.next[self.start[node]..self.start[node + 1]]
    }

    /// A topological order of every node, or `None` when the graph has a cycle.
    ///
    /// The order is exactly `petgraph::algo::toposort`'s on the same edges (the schedule's
    /// ties and the critical path follow it, so it must not change): a depth-first search from
    /// each unvisited node in index order, pushing a node's successors newest edge first (as
    /// petgraph's adjacency lists yield them), nodes taken in reverse order of finishing.
    /// A successor found discovered but not finished is on the current path: a cycle.
    fn topological_order(&self) -> Option<Vec<u32>> {
        let n_nodes = self.start.len() - 1;
        let mut discovered = vec![false; n_nodes];
        let mut finished = vec![false; n_nodes];
        let mut stack: Vec<u32> = Vec::new();
        let mut order: Vec<u32> = Vec::with_capacity(n_nodes);
        for root in 0..n_nodes {
            if discovered[root] {
                continue;
            }
            stack.push(to_u32(root));
            while let Some(&n) = stack.last() {
                let n = n as usize;
                if !discovered[n] {
                    discovered[n] = true;
                    for &t in self.of(n).iter().rev() {
                        if !discovered[t as usize] {
                            stack.push(t);
                        } else if !finished[t as usize] {
                            return None;
                        }
                    }
                } else {
                    stack.pop();
                    if !finished[n] {
                        finished[n] = true;
                        order.push(to_u32(n));
                    }
                }
            }
        }
        order.reverse();
        Some(order)
    }
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
    portfolio.id_and_title(item).map_or("?", |(id, _)| id)
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

/// Every programme's work: the projects and milestones inside it, recursively, sorted; a
/// milestone tied to its project is not work of its own (its project stands for it).
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
        // A milestone `at start` or `at finish` of its project is a label of that project, not
        // work of its own: the project stands for it, so adding a label changes no link to the
        // programme (an `after start of` it would otherwise wait for the project's finish)
        // and no programme's span.
        if milestone.tied_to().is_some() {
            continue;
        }
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

    /// The order the scheduler follows is petgraph's toposort's, on any acyclic graph
    /// (random ones here: nodes ranked by a shuffled rank, edges from lower to higher rank,
    /// with repeats), and a cycle is found.
    #[test]
    fn topological_order_is_petgraphs() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for round in 0..200 {
            let n = 1 + random(40);
            let mut rank: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                rank.swap(i, random(i + 1));
            }
            let mut edges = Vec::new();
            for _ in 0..random(3 * n + 1) {
                let (a, b) = (random(n), random(n));
                if rank[a] < rank[b] {
                    edges.push((to_u32(a), to_u32(b), Step::PartOf(Span::default())));
                }
            }
            let ours = Successors::new(n, &edges).topological_order();
            let theirs = petgraph::algo::toposort(&petgraph_of(n, &edges), None)
                .map(|order| {
                    order
                        .into_iter()
                        .map(|i| to_u32(i.index()))
                        .collect::<Vec<_>>()
                })
                .ok();
            assert!(theirs.is_some(), "round {round}: acyclic");
            assert_eq!(ours, theirs, "round {round}: {n} nodes, edges {edges:?}");
        }
        let cycle = [
            (0, 1, Step::PartOf(Span::default())),
            (1, 0, Step::PartOf(Span::default())),
        ];
        assert_eq!(Successors::new(3, &cycle).topological_order(), None);
        let self_loop = [(2, 2, Step::PartOf(Span::default()))];
        assert_eq!(Successors::new(3, &self_loop).topological_order(), None);
    }
}
