//! Scenarios: options written as edits of the plan (docs/options.md).
//!
//! Input: a loaded [`Plan`] and a scenario's id. Output: the plan as the scenario edits it (its
//! items removed, its changed items' attributes replaced, every scenario left out), what it
//! removed and why, and the problems only applying it can find. The edited plan then goes
//! through the ordinary pipeline (`source::analyse_plan`), so a scenario's figures are by
//! construction what running tranche on a hand-edited copy of the plan gives.
//!
//! What applying does, in order:
//! 1. `remove *` removes every project, milestone and programme; `keep X` then keeps X, what is
//!    inside it, the work it depends on (it cannot be done without it), the project a kept
//!    milestone is in, and the programmes around all of them (as containers only).
//! 2. `remove X` removes X and everything inside it.
//! 3. Work that depends on removed work (`after`, `finishes after`, on the item or a milestone
//!    in it) is removed too, "because X went", until nothing more goes.
//! 4. A risk's or issue's `affects` line on removed work is dropped: it cannot happen to work
//!    that is not done. Targets, budgets, teams, calendars and themes stay.
//! 5. `change X { ... }` replaces X's attributes of each kind the change gives (`cost capital`
//!    replaces the capital lines, not the revenue ones; see [`slot`]) and adds the rest;
//!    `change portfolio { ... }` does the same to the portfolio block.
//!
//! Invariant: applying never reads a name the plan does not hold; a scenario naming nothing
//! is `model::validate`'s E082, and applying simply skips the name.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::source::{Options, Plan};
use crate::syntax::ast::{self, Attr};

/// A scenario as declared: its id, title and whether it is the baseline option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub id: String,
    pub title: String,
    pub baseline: bool,
    pub span: Span,
}

/// Why a scenario removed an item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// `remove X`.
    Named,
    /// `remove *`, and not kept.
    NotKept,
    /// It is inside the named item, which went.
    Inside(String),
    /// It depends on the named item, which went.
    DependsOn(String),
}

impl Reason {
    /// How reports say it: "removed", "not kept", "inside `x`", "removed because `x` went".
    pub fn text(&self) -> String {
        match self {
            Reason::Named => "removed".to_string(),
            Reason::NotKept => "not kept".to_string(),
            Reason::Inside(item) => format!("inside `{item}`, which went"),
            Reason::DependsOn(item) => format!("removed because `{item}` went"),
        }
    }
}

/// One item a scenario removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub id: String,
    /// `project`, `milestone` or `programme`.
    pub kind: &'static str,
    pub reason: Reason,
}

/// A plan edited by a scenario.
#[derive(Debug)]
pub struct Applied {
    pub plan: Plan,
    /// What went, in the plan's order.
    pub removed: Vec<Removed>,
    /// Problems of applying (a change to removed work: E086).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether any file of the plan declares a scenario (a plan without one is never copied).
pub fn any(plan: &Plan) -> bool {
    plan.files.values().any(|file| {
        file.items
            .iter()
            .any(|item| matches!(item, Attr::Scenario(_)))
    })
}

/// The plan's scenarios, root file first and then the others in the order they were read.
pub fn declared(plan: &Plan) -> Vec<Declared> {
    scenario_blocks(plan)
        .filter_map(|block| {
            let id = block.id.as_ref()?;
            Some(Declared {
                id: id.name.to_string(),
                title: block
                    .title
                    .as_ref()
                    .map_or_else(|| id.name.to_string(), |t| t.value.to_string()),
                baseline: block
                    .body
                    .iter()
                    .any(|attr| matches!(attr, Attr::BaselineOption(_))),
                span: block.span,
            })
        })
        .collect()
}

/// The plan with scenario `id` applied; `None` if the plan declares no such scenario.
pub fn apply(plan: &Plan, id: &str) -> Option<Applied> {
    let scenario = scenario_blocks(plan)
        .find(|block| block.id.as_ref().is_some_and(|i| i.name == id))?
        .clone();
    let work = Work::index(plan);
    let removed = work.removed_by(&scenario);
    let mut edited = plan.clone();
    for file in edited.files.values_mut() {
        strip(&mut file.items, &removed);
    }
    let mut diagnostics = Vec::new();
    for attr in &scenario.body {
        let Attr::Change(change) = attr else { continue };
        let target = change.id.as_ref().map(|i| i.name.as_str());
        if let Some(name) = target
            && removed.contains_key(name)
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::E086ScenarioConflict,
                    change.keyword_span,
                    format!("the scenario changes `{name}`, which it removes"),
                )
                .with_hint("leave out the `change`, or keep the work it changes"),
            );
            continue;
        }
        // A target the plan does not hold is E082 (model::validate), so not found is no news.
        for file in edited.files.values_mut() {
            if change_in(&mut file.items, target, &change.body) {
                break;
            }
        }
    }
    let removed = work
        .order
        .iter()
        .filter_map(|name| {
            let reason = removed.get(name)?;
            Some(Removed {
                id: name.clone(),
                kind: work.items.get(name).map_or("project", |i| i.kind),
                reason: reason.clone(),
            })
        })
        .collect();
    Some(Applied {
        plan: edited,
        removed,
        diagnostics,
    })
}

/// What `check` says of the plan's scenarios (`plan` being valid itself): each scenario is
/// applied and the edited plan validated and analysed; an error that stops commands there is
/// E083 at the scenario's edit, with a note at the rule it breaks.
pub fn check(plan: &Plan, options: Options) -> Vec<Diagnostic> {
    let options = Options {
        lints: false,
        detail: crate::finance::Detail::ChecksOnly,
        ..options
    };
    let mut found = Vec::new();
    let blocks: Vec<ast::Block> = scenario_blocks(plan).cloned().collect();
    for block in blocks {
        let Some(id) = &block.id else { continue };
        let Some(applied) = apply(plan, &id.name) else {
            continue;
        };
        found.extend(applied.diagnostics);
        let analysed = crate::source::analyse_plan(applied.plan, Vec::new(), options);
        let mut seen: BTreeSet<(Option<Span>, String)> = BTreeSet::new();
        for broken in analysed
            .diagnostics
            .into_iter()
            .filter(|d| d.code.stops_commands())
        {
            if !seen.insert((broken.span, broken.message.clone())) {
                continue;
            }
            found.push(breaks(&block, &id.name, broken));
        }
    }
    found
}

/// E083 for a diagnostic of the plan scenario `id` edits: at the `change` it comes from (or at
/// the scenario, when removing work caused it), with a note at the rule it breaks.
fn breaks(scenario: &ast::Block, id: &str, broken: Diagnostic) -> Diagnostic {
    // The change is the one holding the diagnostic's place or one of its notes' (a cycle is
    // reported at one of its links, which may be the plan's own).
    let places: Vec<Span> = broken
        .span
        .into_iter()
        .chain(broken.notes.iter().filter_map(|n| n.span))
        .collect();
    let inside = |span: Span| {
        places
            .iter()
            .any(|b| b.file == span.file && b.start >= span.start && b.end <= span.end)
    };
    let change = scenario.body.iter().find_map(|attr| match attr {
        Attr::Change(change) if inside(change.span) => Some(change.keyword_span),
        _ => None,
    });
    let at = change.unwrap_or(scenario.keyword_span);
    let mut diagnostic = Diagnostic::new(
        Code::E083ScenarioBreaksPlan,
        at,
        format!("scenario `{id}` makes the plan invalid: {}", broken.message),
    )
    .with_note(
        broken.span,
        format!("the plan it edits breaks this rule ({})", broken.code),
    );
    for note in broken.notes {
        diagnostic = diagnostic.with_note(note.span, note.message);
    }
    let hint = broken.hint.unwrap_or_else(|| {
        "change the scenario so that the plan it describes is valid".to_string()
    });
    diagnostic.with_hint(hint)
}

/// Every `scenario` block at the top level of a file, root file first.
fn scenario_blocks(plan: &Plan) -> impl Iterator<Item = &ast::Block> {
    let root = plan.files.get(&plan.root).into_iter();
    let others = plan
        .files
        .iter()
        .filter(move |(id, _)| **id != plan.root)
        .map(|(_, file)| file);
    root.chain(others).flat_map(|file| {
        file.items.iter().filter_map(|item| match item {
            Attr::Scenario(block) => Some(block.as_ref()),
            _ => None,
        })
    })
}

/// One project, milestone or programme of the plan, as far as removing needs to know it.
#[derive(Debug, Default)]
struct Item {
    kind: &'static str,
    parent: Option<String>,
    children: Vec<String>,
    /// The names its dependency lines give (both parts of `project.milestone`).
    depends_on: Vec<String>,
}

/// The plan's work: every project, milestone and programme by id, and their order.
#[derive(Debug, Default)]
struct Work {
    items: BTreeMap<String, Item>,
    order: Vec<String>,
}

impl Work {
    /// Walks the plan from the root file, following includes where they stand (so a file
    /// included in a programme holds that programme's children). Each file is walked once.
    fn index(plan: &Plan) -> Work {
        let mut work = Work::default();
        let mut walked: BTreeSet<FileId> = BTreeSet::new();
        let Some(root) = plan.files.get(&plan.root) else {
            return work;
        };
        walked.insert(plan.root);
        // Depth first, in the plan's order: each open list is an iterator on the stack.
        let mut stack: Vec<(std::slice::Iter<'_, Attr>, Option<String>)> =
            vec![(root.items.iter(), None)];
        while let Some((items, parent)) = stack.last_mut() {
            let parent = parent.clone();
            let Some(item) = items.next() else {
                stack.pop();
                continue;
            };
            let (kind, block) = match item {
                Attr::Project(block) => ("project", block.as_ref()),
                Attr::Programme(block) => ("programme", block.as_ref()),
                Attr::Milestone { block, .. } => ("milestone", block.as_ref()),
                Attr::Include { span, .. } => {
                    if let Some(file) = plan.includes.get(span)
                        && walked.insert(*file)
                        && let Some(parsed) = plan.files.get(file)
                    {
                        stack.push((parsed.items.iter(), parent));
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(id) = &block.id else { continue };
            let name = id.name.to_string();
            // A second declaration of an id (E021) keeps the first's place.
            if work.items.contains_key(&name) {
                continue;
            }
            let depends_on = block
                .body
                .iter()
                .filter_map(|attr| match attr {
                    Attr::Dependency { targets, .. } => Some(targets),
                    _ => None,
                })
                .flat_map(|targets| targets.iter())
                .flat_map(|target| target.target.parts().iter())
                .map(|part| part.name.to_string())
                .collect();
            if let Some(parent) = &parent
                && let Some(container) = work.items.get_mut(parent)
            {
                container.children.push(name.clone());
            }
            work.order.push(name.clone());
            work.items.insert(
                name.clone(),
                Item {
                    kind,
                    parent,
                    children: Vec::new(),
                    depends_on,
                },
            );
            stack.push((block.body.iter(), Some(name)));
        }
        work
    }

    /// Every item the scenario removes, with why.
    fn removed_by(&self, scenario: &ast::Block) -> BTreeMap<String, Reason> {
        let mut removed: BTreeMap<String, Reason> = BTreeMap::new();
        if scenario
            .body
            .iter()
            .any(|attr| matches!(attr, Attr::RemoveAll(_)))
        {
            let mut kept = BTreeSet::new();
            for attr in &scenario.body {
                if let Attr::Keep(names, _) = attr {
                    for name in names {
                        self.keep(&name.name, &mut kept);
                    }
                }
            }
            for name in &self.order {
                if !kept.contains(name) {
                    removed.insert(name.clone(), Reason::NotKept);
                }
            }
        }
        for attr in &scenario.body {
            if let Attr::Remove(names, _) = attr {
                for name in names {
                    if self.items.contains_key(name.name.as_str()) {
                        removed.insert(name.name.to_string(), Reason::Named);
                        self.remove_inside(&name.name, &mut removed);
                    }
                }
            }
        }
        // Work that depends on removed work goes too, until nothing more does.
        loop {
            let mut more = Vec::new();
            for name in &self.order {
                if removed.contains_key(name) {
                    continue;
                }
                let Some(item) = self.items.get(name) else {
                    continue;
                };
                if let Some(gone) = item.depends_on.iter().find(|d| removed.contains_key(*d)) {
                    more.push((name.clone(), gone.clone()));
                }
            }
            if more.is_empty() {
                break;
            }
            for (name, gone) in more {
                removed.insert(name.clone(), Reason::DependsOn(gone));
                self.remove_inside(&name, &mut removed);
            }
        }
        removed
    }

    /// Marks everything inside `name` removed because `name` went (unless already removed
    /// for a reason of its own).
    fn remove_inside(&self, name: &str, removed: &mut BTreeMap<String, Reason>) {
        let mut stack: Vec<&str> = vec![name];
        while let Some(current) = stack.pop() {
            let Some(item) = self.items.get(current) else {
                continue;
            };
            for child in &item.children {
                removed
                    .entry(child.clone())
                    .or_insert_with(|| Reason::Inside(name.to_string()));
                stack.push(child);
            }
        }
    }

    /// `keep name`: the item, what is inside it, what it depends on (transitively, with the
    /// project around a milestone it needs) and the programmes around them all.
    fn keep(&self, name: &str, kept: &mut BTreeSet<String>) {
        let mut work: Vec<String> = vec![name.to_string()];
        while let Some(current) = work.pop() {
            let Some(item) = self.items.get(&current) else {
                continue;
            };
            if !kept.insert(current.clone()) {
                continue;
            }
            work.extend(item.children.iter().cloned());
            work.extend(item.depends_on.iter().cloned());
            // A milestone of a project is that project's work; a programme is only a
            // container: keeping it keeps none of its other children.
            let mut parent = item.parent.clone();
            while let Some(p) = parent {
                let Some(container) = self.items.get(&p) else {
                    break;
                };
                if container.kind == "project" {
                    work.push(p);
                    break;
                }
                kept.insert(p.clone());
                parent = container.parent.clone();
            }
        }
    }
}

/// Drops every removed item from `items` (and from the blocks inside), every scenario, and
/// every `affects` line on removed work.
fn strip(items: &mut Vec<Attr>, removed: &BTreeMap<String, Reason>) {
    let gone = |block: &ast::Block| {
        block
            .id
            .as_ref()
            .is_some_and(|id| removed.contains_key(id.name.as_str()))
    };
    items.retain(|item| match item {
        Attr::Scenario(_) => false,
        Attr::Project(block) | Attr::Programme(block) => !gone(block),
        Attr::Milestone { block, .. } => !gone(block),
        Attr::Affects(affects) => affects
            .target
            .parts()
            .first()
            .is_none_or(|part| !removed.contains_key(part.name.as_str())),
        _ => true,
    });
    for item in items.iter_mut() {
        match item {
            Attr::Project(block) | Attr::Programme(block) | Attr::Raid { block, .. } => {
                strip(&mut block.body, removed);
            }
            Attr::Milestone { block, .. } => strip(&mut block.body, removed),
            _ => {}
        }
    }
}

/// Applies a change to the block named `target` (the portfolio block for `None`) wherever it
/// is in `items`; whether it was found.
fn change_in(items: &mut [Attr], target: Option<&str>, change: &[Attr]) -> bool {
    for item in items.iter_mut() {
        let block = match item {
            Attr::Portfolio(block) if target.is_none() => {
                replace(&mut block.body, change);
                return true;
            }
            Attr::Project(block) | Attr::Programme(block) => block,
            Attr::Milestone { block, .. } => block,
            _ => continue,
        };
        if target.is_some() && block.id.as_ref().map(|i| i.name.as_str()) == target {
            replace(&mut block.body, change);
            return true;
        }
        if change_in(&mut block.body, target, change) {
            return true;
        }
    }
    false
}

/// `body` with its attributes of each [`slot`] the change gives replaced by the change's.
fn replace(body: &mut Vec<Attr>, change: &[Attr]) {
    let slots: BTreeSet<String> = change.iter().map(slot).collect();
    body.retain(|attr| !slots.contains(&slot(attr)));
    body.extend(change.iter().cloned());
}

/// What a changed attribute replaces: attributes of the same keyword, told apart where an item
/// has several of a keyword that mean different things: a cost by its kind, a budget and a
/// target by their year, a benefit by its label, a need by its team, a milestone by its id.
/// All dependency lines are one slot: a change's `after` gives the item's whole logic.
pub fn slot(attr: &Attr) -> String {
    match attr {
        Attr::Cost { kind, .. } => match kind {
            ast::CostKind::Capital => "cost capital".to_string(),
            ast::CostKind::Revenue => "cost revenue".to_string(),
            ast::CostKind::OneOff => "cost one-off".to_string(),
        },
        Attr::Budget { kind, fy, .. } => format!("budget {} {}", kind.keyword(), fy.text),
        Attr::Spent { kind, fy, .. } => format!("spent {} {}", kind.keyword(), fy.text),
        Attr::TargetSavings { fy, .. } => format!("target {}", fy.text),
        Attr::Realised { benefit, fy, .. } => format!(
            "realised {} {}",
            benefit.as_ref().map_or("saving", |b| b.value.as_str()),
            fy.text
        ),
        Attr::Benefit { label, .. } => format!("benefit {}", label.value),
        Attr::Needs { team, .. } => format!("needs {}", team.name),
        Attr::Lint { name, .. } => format!("lint {}", name.name),
        Attr::Dependency { .. } => "dependency".to_string(),
        Attr::Project(block) | Attr::Programme(block) | Attr::Milestone { block, .. } => format!(
            "{} {}",
            attr.keyword(),
            block.id.as_ref().map_or("", |i| i.name.as_str())
        ),
        other => other.keyword().to_string(),
    }
}

#[cfg(test)]
mod tests;
