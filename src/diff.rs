//! `tranche diff`: what a change to a plan does, for a pull-request review.
//!
//! Input: two analysed versions of a plan (old and new). Output: a [`Diff`] listing what was
//! added, removed and renamed, the dependencies changed, every project whose dates or float
//! moved, the forecast finish and critical path before and after, forecast money by financial
//! year and NPV before and after, targets newly met or missed and deadlines newly missed; plus
//! [`gates`] for CI. Renderers (table, Markdown, JSON) format a `Diff` and compute nothing.
//!
//! Invariant: a plan compared with itself gives an empty diff ([`Diff::is_empty`]). Items are
//! matched by id; an id that disappears while one of the same kind with the same title
//! appears is a rename (the only way tranche can tell a rename from a removal and an
//! addition). Everything is in the order of the new plan (removed items in the old plan's
//! order), never in hash order.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::Analysis;
use crate::calendar::WorkCalendar;
use crate::diagnostic::count::count;
use crate::finance::{CheckKind, year_label};
use crate::graph::name_of;
use crate::model::{ItemId, Portfolio};
use crate::money::Money;
use crate::report::text::{Cell, Column, Table};

/// One version of a plan, analysed.
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    pub portfolio: &'a Portfolio,
    pub analysis: &'a Analysis,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Said before anything else, when the comparison itself needs explaining (the plan did
    /// not exist at the old revision); `None` otherwise.
    pub note: Option<String>,
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub renamed: Vec<Rename>,
    pub dependencies: Vec<DependencyChange>,
    /// Projects whose start, finish or float changed (in the new plan's order).
    pub projects: Vec<ProjectMove>,
    /// The forecast finish of the whole plan, when it changed.
    pub finish: Option<Change<NaiveDate>>,
    /// Working days the forecast finish moved on the portfolio's calendar (later is positive);
    /// 0 when it did not move.
    pub finish_moved_days: i64,
    /// The critical path (ids), when it changed.
    pub critical_path: Option<Change<Vec<String>>>,
    /// Financial years whose forecast savings or costs changed.
    pub years: Vec<YearMoney>,
    /// The plan's cashable NPV, when it changed.
    pub npv: Option<Change<Money>>,
    /// Savings targets whose verdict changed (met to missed, or the reverse, or new ones).
    pub targets: Vec<TargetChange>,
    /// Projects and milestones that miss their deadline in the new plan and did not in the old
    /// (or were not in it, or had no deadline), in the new plan's order.
    pub deadlines_missed: Vec<DeadlineMissed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// `project`, `milestone` or `programme`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    pub kind: &'static str,
    pub from: String,
    pub to: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DependencyChange {
    /// The item that holds the dependency (its id in the new plan, or the old for removed ones).
    pub item: String,
    /// `FS`, `SS`, `FF` or `SF`, and the item depended on (by its new id).
    pub kind: &'static str,
    pub on: String,
    /// The lag in working days before and after; `None` when the link did not exist.
    pub lag_before: Option<i32>,
    pub lag_after: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectMove {
    pub id: String,
    pub title: String,
    pub start: Change<NaiveDate>,
    /// Working days on the project's calendar in the new plan; positive is later.
    pub start_moved_days: i64,
    pub finish: Change<NaiveDate>,
    pub finish_moved_days: i64,
    pub float_days: Change<i64>,
}

impl ProjectMove {
    /// Whether its start or finish moved; `false` when only its float changed.
    pub fn moved(&self) -> bool {
        self.start.before != self.start.after || self.finish.before != self.finish.after
    }
}

/// A financial year's money as forecast (docs/finance.md, "Plan, actual, forecast"): a year
/// over at the status date takes the actuals recorded for it, other years the plan. A change
/// to the plan of a year whose actuals are recorded cannot change what it came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearMoney {
    /// As users write it: `2022/23`.
    pub year: String,
    /// Cashable savings.
    pub savings: Change<Money>,
    /// Capital and revenue costs (without optimism bias).
    pub costs: Change<Money>,
    /// Savings less costs.
    pub net: Change<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetChange {
    pub year: String,
    pub target: Money,
    /// The year's forecast savings in each version (what a target is judged on), whether or
    /// not that version has the target.
    pub savings: Change<Money>,
    /// `None` when the version has no target for that year.
    pub met_before: Option<bool>,
    pub met_after: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineMissed {
    /// `project` or `milestone`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub deadline: NaiveDate,
    /// The forecast finish (the date, for a milestone) in the new plan.
    pub finish: NaiveDate,
    /// Working days after the deadline, on the item's calendar (at least 1).
    pub late_days: i64,
}

impl TargetChange {
    pub fn newly_missed(&self) -> bool {
        self.met_after == Some(false) && self.met_before != Some(false)
    }
}

impl Diff {
    /// Whether nothing changed (a note alone is not a change).
    pub fn is_empty(&self) -> bool {
        let changes = Diff {
            note: None,
            ..self.clone()
        };
        changes == Diff::default()
    }
}

/// Compares two versions of a plan.
pub fn compare(old: Version<'_>, new: Version<'_>) -> Diff {
    compare_with(&Summary::of(old), new)
}

/// What a comparison reads of the old version, reduced from it ([`Summary::of`]) so that the
/// old plan and its analysis can be let go before the new one is loaded, as `trend` reduces
/// each version to a point: `tranche diff` held two plans and their analyses at once (375 MB at
/// 100,000 projects; docs/limits.md). Items keep their kind, id and title; links and timings
/// are indices and dates, a few dozen bytes an item.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Projects, then milestones, then programmes, in the plan's order (as [`items_of`]).
    items: Items,
    n_projects: usize,
    /// Every authored dependency, its ends as indices into `items`.
    links: Vec<Link>,
    /// Each project's (start, finish, total float), aligned with the projects in `items`.
    timings: Vec<(NaiveDate, NaiveDate, i64)>,
    finish: NaiveDate,
    /// The ids on the critical path, in order.
    critical_path: Vec<String>,
    /// The portfolio's forecast money by financial year, in year order ([`forecasts`]).
    years: Vec<(i32, Forecast)>,
    npv: Money,
    /// The savings targets' checks by financial year.
    savings_targets: BTreeMap<i32, crate::finance::Check>,
    /// The ids of the projects and milestones that miss their deadline.
    missed: Vec<String>,
}

/// A dependency as a [`Summary`] keeps it: `holder` depends on `on` (indices into its items),
/// its kind an index into [`LINK_KINDS`]. Sixteen bytes: a plan has twice as many links as
/// items, and the summary is alive while the new version is read.
#[derive(Debug, Clone, Copy)]
struct Link {
    holder: u32,
    on: u32,
    lag: i32,
    kind: u8,
}

/// The link kinds' codes in their sorted order, so that a kind's index sorts as its code does
/// (the dependency changes are listed in the order of their text).
const LINK_KINDS: [&str; 4] = ["FF", "FS", "SF", "SS"];

/// The index of `code` in [`LINK_KINDS`].
fn link_kind(code: &'static str) -> u8 {
    match code {
        "FF" => 0,
        "FS" => 1,
        "SF" => 2,
        "SS" => 3,
        _ => panic!("a link kind's code is one of {LINK_KINDS:?} (`{code}`)"),
    }
}

/// The kinds of item, by the index an [`Items`] keeps.
const ITEM_KINDS: [&str; 3] = ["project", "milestone", "programme"];

/// Every item's kind, id and title, their text in one string: a `String` each for the id and
/// the title of 100,000 items was 10 MB beside the new version being read, this is 5 MB.
#[derive(Debug, Clone, Default)]
struct Items {
    /// Each item's id then its title, one after the other.
    text: String,
    /// For each item: where its id ends (and its title starts) in `text`, where its title
    /// ends, and its kind (an index into [`ITEM_KINDS`]). Its id starts where the previous
    /// item's title ends.
    ends: Vec<(usize, usize, u8)>,
}

impl Items {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Item `i` as (kind, id, title); `None` past the last.
    fn get(&self, i: usize) -> Option<(&'static str, &str, &str)> {
        let &(id_end, title_end, kind) = self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).map_or(0, |e| e.1),
            None => 0,
        };
        Some((
            ITEM_KINDS.get(kind as usize).copied().unwrap_or("?"),
            self.text.get(start..id_end).unwrap_or("?"),
            self.text.get(id_end..title_end).unwrap_or(""),
        ))
    }

    /// Every item in order.
    fn iter(&self) -> impl Iterator<Item = (&'static str, &str, &str)> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl Summary {
    /// Reduces a version to what [`compare_with`] reads of the old one.
    pub fn of(v: Version<'_>) -> Summary {
        let portfolio = v.portfolio;
        let n_projects = portfolio.projects.len();
        let n_milestones = portfolio.milestones.len();
        let held = portfolio
            .projects
            .iter()
            .map(|p| &p.dependencies)
            .chain(portfolio.milestones.iter().map(|m| &m.dependencies));
        let n_links = held.clone().map(|d| d.len()).sum();
        let mut links = Vec::with_capacity(n_links);
        for (holder, dependencies) in held.enumerate() {
            for d in dependencies {
                links.push(Link {
                    holder: index(holder),
                    // An item not in the plan (never, once validated) is past every index.
                    on: position(portfolio, d.predecessor).map_or(u32::MAX, index),
                    lag: d.lag_days,
                    kind: link_kind(d.kind.code()),
                });
            }
        }
        let mut items = Items {
            text: String::with_capacity(
                items_of(portfolio)
                    .map(|(_, id, title)| id.len() + title.len())
                    .sum(),
            ),
            ends: Vec::with_capacity(n_projects + n_milestones + portfolio.programmes.len()),
        };
        for (kind, id, title) in items_of(portfolio) {
            items.text.push_str(id);
            let id_end = items.text.len();
            items.text.push_str(title);
            let kind = ITEM_KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8;
            items.ends.push((id_end, items.text.len(), kind));
        }
        let finance = &v.analysis.finance;
        Summary {
            items,
            n_projects,
            links,
            timings: v
                .analysis
                .schedule
                .projects
                .iter()
                .map(|t| (t.start, t.finish, t.total_float_days))
                .collect(),
            finish: v.analysis.schedule.finish,
            critical_path: v
                .analysis
                .schedule
                .critical_path
                .iter()
                .map(|&item| name_of(portfolio, item).to_string())
                .collect(),
            years: forecasts(finance),
            npv: finance.portfolio.appraisal.npv,
            savings_targets: finance
                .checks
                .iter()
                .filter(|c| c.kind == CheckKind::SavingsTarget)
                .map(|c| (c.year.0, c.clone()))
                .collect(),
            missed: missed_deadlines(v).into_iter().map(|m| m.id).collect(),
        }
    }
}

/// Compares the old version, as reduced to its [`Summary`], with the new one: the same
/// [`Diff`] as [`compare`] gives the two versions whole.
pub fn compare_with(old: &Summary, new: Version<'_>) -> Diff {
    let mut diff = Diff::default();
    // The new version's items borrowed from its plan, not copied: at 100,000 projects every
    // copy of the ids and titles here is megabytes at the diff's peak.
    let new_items: Vec<(&'static str, &str, &str)> = items_of(new.portfolio).collect();
    let same = match_items(&old.items, &new_items, &mut diff);
    diff.dependencies = dependency_changes(old, new.portfolio, &new_items, &same);
    diff.projects = project_moves(old, new, &same);
    let (before, after) = (old.finish, new.analysis.schedule.finish);
    if before != after {
        diff.finish = Some(Change { before, after });
        let calendar = new
            .analysis
            .calendars
            .get(new.portfolio.calendar.0 as usize);
        diff.finish_moved_days = moved(calendar, before, after);
    }
    let after: Vec<String> = new
        .analysis
        .schedule
        .critical_path
        .iter()
        .map(|&item| name_of(new.portfolio, item).to_string())
        .collect();
    // Renamed items on an unchanged path are not a change of path.
    let before: Vec<&str> = old
        .critical_path
        .iter()
        .map(|id| same.renamed(id))
        .collect();
    if before != after {
        diff.critical_path = Some(Change {
            before: old.critical_path.clone(),
            after,
        });
    }

    let new_years = forecasts(&new.analysis.finance);
    diff.years = years(old, &new_years, new.portfolio.financial_year_start);
    let (before, after) = (old.npv, new.analysis.finance.portfolio.appraisal.npv);
    if before != after {
        diff.npv = Some(Change { before, after });
    }
    diff.targets = targets(old, new, &new_years);
    let was_missed: Vec<&str> = old.missed.iter().map(|id| same.renamed(id)).collect();
    diff.deadlines_missed = missed_deadlines(new)
        .into_iter()
        .filter(|m| !was_missed.contains(&m.id.as_str()))
        .collect();
    diff
}

/// Matches the old version's items with the new one's: the same id, or a removed and an added
/// item of one kind and title (a rename). Puts the added, removed and renamed items into
/// `diff`, and returns every old id's new id.
fn match_items<'a>(
    old_items: &'a Items,
    new_items: &[(&'static str, &'a str, &'a str)],
    diff: &mut Diff,
) -> Renames<'a> {
    // The sets of ids are sorted vectors, not maps: a third of the memory.
    let old_ids = sorted_set(old_items.iter().map(|(_, id, _)| id));
    let new_ids = sorted_set(new_items.iter().map(|&(_, id, _)| id));
    let in_old = |id: &str| old_ids.binary_search(&id).is_ok();
    let in_new = |id: &str| new_ids.binary_search(&id).is_ok();
    let mut added: Vec<usize> = (0..new_items.len())
        .filter(|&i| !in_old(new_items[i].1))
        .collect();
    let removed: Vec<(&'static str, &str, &str)> =
        old_items.iter().filter(|&(_, id, _)| !in_new(id)).collect();
    // Old id -> new id, for every item in both (renames included).
    let mut same: Vec<(&str, &str)> = old_items
        .iter()
        .filter(|&(_, id, _)| in_new(id))
        .map(|(_, id, _)| (id, id))
        .collect();
    for &(kind, gone, gone_title) in &removed {
        let twin = added.iter().position(|&a| {
            let (new_kind, _, title) = new_items[a];
            new_kind == kind && title == gone_title
        });
        match twin {
            Some(position) => {
                let a = added.remove(position);
                let (_, id, title) = new_items[a];
                same.push((gone, id));
                diff.renamed.push(Rename {
                    kind,
                    from: gone.to_string(),
                    to: id.to_string(),
                    title: title.to_string(),
                });
            }
            None => diff.removed.push(Item {
                kind,
                id: gone.to_string(),
                title: gone_title.to_string(),
            }),
        }
    }
    diff.added = added
        .iter()
        .map(|&a| {
            let (kind, id, title) = new_items[a];
            Item {
                kind,
                id: id.to_string(),
                title: title.to_string(),
            }
        })
        .collect();
    Renames::of(same)
}

/// The links added, removed or with another lag, in the order of their text: keyed by
/// (holder, kind, on) in new ids, each side sorted by key with the last of any repeated key
/// kept (as a map would), then walked side by side in key order.
fn dependency_changes(
    old: &Summary,
    new: &Portfolio,
    new_items: &[(&'static str, &str, &str)],
    same: &Renames<'_>,
) -> Vec<DependencyChange> {
    let old_items = &old.items;
    let mut changes = Vec::new();
    // An id in a key is its place among every id either side can name, sorted, so keys sort
    // as their text does in a third of the memory of the text's (two of 200,000 links).
    let names = sorted_set(
        new_items
            .iter()
            .map(|&(_, id, _)| id)
            .chain(old_items.iter().map(|(_, id, _)| same.renamed(id)))
            .chain(["?"]),
    );
    let rank = |id: &str| match names.binary_search(&id) {
        Ok(i) => index(i),
        Err(_) => panic!("every id a link names is among the ids of either version (`{id}`)"),
    };
    // Each item's rank, looked up once: a link's ends are then found by index, not by text.
    let unknown = rank("?");
    let old_rank: Vec<u32> = old_items
        .iter()
        .map(|(_, id, _)| rank(same.renamed(id)))
        .collect();
    let new_rank: Vec<u32> = new_items.iter().map(|&(_, id, _)| rank(id)).collect();
    let old_links = keyed(
        old.links
            .iter()
            .map(|l| {
                let at = |i: u32| old_rank.get(i as usize).copied().unwrap_or(unknown);
                ((at(l.holder), l.kind, at(l.on)), l.lag)
            })
            .collect(),
    );
    let new_at = |i: Option<usize>| i.and_then(|i| new_rank.get(i)).copied().unwrap_or(unknown);
    let mut new_links = Vec::with_capacity(links(new).count());
    new_links.extend(
        links(new).map(|((holder, kind, on), lag)| ((new_at(Some(holder)), kind, new_at(on)), lag)),
    );
    let new_links = keyed(new_links);
    let name = |i: u32| names.get(i as usize).copied().unwrap_or("?");
    let (mut o, mut n) = (old_links.iter().peekable(), new_links.iter().peekable());
    loop {
        let (key, before, after) = match (o.peek(), n.peek()) {
            (None, None) => break,
            (Some(&&(key, lag)), None) => {
                o.next();
                (key, Some(lag), None)
            }
            (None, Some(&&(key, lag))) => {
                n.next();
                (key, None, Some(lag))
            }
            (Some(&&(a, before)), Some(&&(b, after))) => match a.cmp(&b) {
                std::cmp::Ordering::Less => {
                    o.next();
                    (a, Some(before), None)
                }
                std::cmp::Ordering::Greater => {
                    n.next();
                    (b, None, Some(after))
                }
                std::cmp::Ordering::Equal => {
                    o.next();
                    n.next();
                    (a, Some(before), Some(after))
                }
            },
        };
        if before != after {
            changes.push(DependencyChange {
                item: name(key.0).to_string(),
                kind: LINK_KINDS.get(key.1 as usize).copied().unwrap_or("?"),
                on: name(key.2).to_string(),
                lag_before: before,
                lag_after: after,
            });
        }
    }
    changes
}

/// Projects in both versions whose dates or float moved.
fn project_moves(old: &Summary, new: Version<'_>, same: &Renames<'_>) -> Vec<ProjectMove> {
    let old_items = &old.items;
    let mut moves = Vec::new();
    // Each old project by its new id, sorted for lookup.
    let mut old_project: Vec<(&str, usize)> = old_items
        .iter()
        .take(old.n_projects)
        .enumerate()
        .filter_map(|(i, (_, id, _))| same.get(id).map(|n| (n, i)))
        .collect();
    old_project.sort_unstable();
    for (i, project) in new.portfolio.projects.iter().enumerate() {
        let found = old_project.binary_search_by_key(&project.id.as_str(), |&(id, _)| id);
        let Some(&(_, j)) = found.ok().and_then(|at| old_project.get(at)) else {
            continue;
        };
        let (Some(after), Some(&(start, finish, float))) =
            (new.analysis.schedule.projects.get(i), old.timings.get(j))
        else {
            continue;
        };
        if (start, finish, float) == (after.start, after.finish, after.total_float_days) {
            continue;
        }
        let calendar = new.analysis.calendars.get(project.calendar.0 as usize);
        moves.push(ProjectMove {
            id: project.id.to_string(),
            title: project.title.to_string(),
            start: Change {
                before: start,
                after: after.start,
            },
            start_moved_days: moved(calendar, start, after.start),
            finish: Change {
                before: finish,
                after: after.finish,
            },
            finish_moved_days: moved(calendar, finish, after.finish),
            float_days: Change {
                before: float,
                after: after.total_float_days,
            },
        });
    }
    moves
}

/// A plan that did not exist before: everything in `new` is added. `empty` is the new plan with
/// no items (its settings kept, so money and dates have something to start from). Its finish
/// and critical path are not a move of anything, so they are left out (and the `finish-slip`
/// gate cannot trip); `note` says why the diff looks as it does.
pub fn compare_new(empty: Version<'_>, new: Version<'_>, note: String) -> Diff {
    let mut diff = compare(empty, new);
    diff.finish = None;
    diff.finish_moved_days = 0;
    diff.critical_path = None;
    diff.note = Some(note);
    diff
}

/// Every project and milestone whose forecast finish is after its deadline, in the plan's
/// order: what `check` reports as E070.
fn missed_deadlines(v: Version<'_>) -> Vec<DeadlineMissed> {
    let calendar = |id: crate::model::CalendarId| v.analysis.calendars.get(id.0 as usize);
    let projects = v
        .portfolio
        .projects
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let timing = v.analysis.schedule.projects.get(i)?;
            Some((
                "project",
                p.id.as_str(),
                p.title.as_str(),
                p.deadline?.date,
                timing.finish,
                calendar(p.calendar),
            ))
        });
    let milestones = v
        .portfolio
        .milestones
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let timing = v.analysis.schedule.milestones.get(i)?;
            // A milestone of a project keeps that project's calendar.
            let on = m
                .project
                .and_then(|p| v.portfolio.projects.get(p.0 as usize))
                .map_or(v.portfolio.calendar, |p| p.calendar);
            Some((
                "milestone",
                m.id.as_str(),
                m.title.as_str(),
                m.deadline?.date,
                timing.finish,
                calendar(on),
            ))
        });
    projects
        .chain(milestones)
        .filter(|&(_, _, _, deadline, finish, _)| finish > deadline)
        .map(
            |(kind, id, title, deadline, finish, calendar)| DeadlineMissed {
                kind,
                id: id.to_string(),
                title: title.to_string(),
                deadline,
                finish,
                late_days: moved(calendar, deadline, finish).max(1),
            },
        )
        .collect()
}

/// Every project, milestone and programme as (kind, id, title), in the plan's order.
fn items_of(portfolio: &Portfolio) -> impl Iterator<Item = (&'static str, &str, &str)> {
    let projects = portfolio
        .projects
        .iter()
        .map(|p| ("project", p.id.as_str(), p.title.as_str()));
    let milestones = portfolio
        .milestones
        .iter()
        .map(|m| ("milestone", m.id.as_str(), m.title.as_str()));
    let programmes = portfolio
        .programmes
        .iter()
        .map(|g| ("programme", g.id.as_str(), g.title.as_str()));
    projects.chain(milestones).chain(programmes)
}

/// Old id -> new id for every item in both versions (renames included), sorted by the old
/// id: a map's lookups in a third of its memory.
struct Renames<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Renames<'a> {
    /// The pairs in any order; of two with the same old id the later is kept, as inserting
    /// them into a map in turn would.
    fn of(pairs: Vec<(&'a str, &'a str)>) -> Renames<'a> {
        Renames(keyed(pairs))
    }

    /// The new id of old id `id`, when the item is in both versions.
    fn get(&self, id: &str) -> Option<&'a str> {
        let at = self.0.binary_search_by_key(&id, |pair| pair.0).ok()?;
        self.0.get(at).map(|pair| pair.1)
    }

    /// An old id as the new version has it: its new id when renamed, else itself.
    fn renamed<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.get(id).unwrap_or(id)
    }
}

/// `ids` sorted, each once: a set to look up by binary search.
fn sorted_set<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut set: Vec<&str> = ids.collect();
    set.sort_unstable();
    set.dedup();
    set
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or_else(|_| panic!("model ids fit in u32 (item {i})"))
}

/// Every authored dependency as ((holder, kind, on), lag): its ends as positions in
/// [`items_of`] (`on` is `None` for an item not in the plan, which `graph::name_of` calls
/// `?`), the kind an index into [`LINK_KINDS`].
fn links(portfolio: &Portfolio) -> impl Iterator<Item = ((usize, u8, Option<usize>), i32)> {
    let held = portfolio
        .projects
        .iter()
        .map(|p| &p.dependencies)
        .chain(portfolio.milestones.iter().map(|m| &m.dependencies));
    held.enumerate().flat_map(move |(holder, dependencies)| {
        dependencies.iter().map(move |d| {
            (
                (
                    holder,
                    link_kind(d.kind.code()),
                    position(portfolio, d.predecessor),
                ),
                d.lag_days,
            )
        })
    })
}

/// The position of `item` in [`items_of`]; `None` for an item not in the plan.
fn position(portfolio: &Portfolio, item: ItemId) -> Option<usize> {
    let (n_projects, n_milestones) = (portfolio.projects.len(), portfolio.milestones.len());
    match item {
        ItemId::Project(p) => Some(p.0 as usize).filter(|&p| p < n_projects),
        ItemId::Milestone(m) => Some(m.0 as usize)
            .filter(|&m| m < n_milestones)
            .map(|m| n_projects + m),
        ItemId::Programme(g) => Some(g.0 as usize)
            .filter(|&g| g < portfolio.programmes.len())
            .map(|g| n_projects + n_milestones + g),
    }
}

/// Pairs sorted by key, the last of any repeated key kept: what collecting them into a map
/// gives, in a vector (for links, a third of the memory of a map of 200,000).
fn keyed<K: Ord + Copy, V: Copy>(mut pairs: Vec<(K, V)>) -> Vec<(K, V)> {
    // Stable: repeated keys stay in the order they came, so the last is the one a map keeps;
    // `dedup_by` hands each later one with the earlier one kept, which takes its value.
    pairs.sort_by_key(|pair| pair.0);
    pairs.dedup_by(|later, kept| {
        let repeated = later.0 == kept.0;
        if repeated {
            kept.1 = later.1;
        }
        repeated
    });
    pairs
}

/// Working days from `before` to `after` on `calendar`; negative when earlier.
fn moved(calendar: Option<&WorkCalendar>, before: NaiveDate, after: NaiveDate) -> i64 {
    let Some(calendar) = calendar else {
        return (after - before).num_days();
    };
    let between = |from: NaiveDate, to: NaiveDate| {
        // Days after `from` up to and including `to`.
        from.succ_opt()
            .map_or(0, |next| i64::from(calendar.working_days_between(next, to)))
    };
    if after >= before {
        between(before, after)
    } else {
        -between(after, before)
    }
}

/// A financial year's forecast cashable savings and costs (capital and revenue, without
/// optimism bias): the outturn's forecast, what targets are judged on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Forecast {
    savings: Money,
    costs: Money,
}

/// Every financial year of `finance` (by its number) with its forecast, in year order. The
/// forecast, not the plan: for a year over at the status date it is the actuals recorded, so
/// the diff says what `finance` and the report's outturn say that year came to.
fn forecasts(finance: &crate::finance::Finance) -> Vec<(i32, Forecast)> {
    let mut years: Vec<(i32, Forecast)> = finance
        .years
        .iter()
        .enumerate()
        .map(|(i, year)| {
            let outturn = finance.portfolio.outturn(i);
            let forecast = Forecast {
                savings: outturn.savings.forecast,
                costs: outturn.costs.forecast,
            };
            (year.0, forecast)
        })
        .collect();
    // Sorted by year for [`forecast_in`]'s binary search, whatever order the profile keeps.
    years.sort_by_key(|&(year, _)| year);
    years
}

/// The forecast of `year` in `years` (as [`forecasts`] gives them); nothing, for a year the
/// version's profile does not reach.
fn forecast_in(years: &[(i32, Forecast)], year: i32) -> Forecast {
    years
        .binary_search_by_key(&year, |&(y, _)| y)
        .ok()
        .and_then(|i| years.get(i))
        .map_or_else(Forecast::default, |&(_, forecast)| forecast)
}

/// The years whose forecast savings or costs changed, from the old version's forecasts to the
/// new one's (`new_years`); `start` is the new plan's first month of a financial year.
fn years(old: &Summary, new_years: &[(i32, Forecast)], start: u32) -> Vec<YearMoney> {
    let mut all: Vec<i32> = old
        .years
        .iter()
        .chain(new_years)
        .map(|&(year, _)| year)
        .collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter()
        .filter_map(|year| {
            let (b, a) = (forecast_in(&old.years, year), forecast_in(new_years, year));
            if b == a {
                return None;
            }
            let net = |f: Forecast| Money(f.savings.0.saturating_sub(f.costs.0));
            Some(YearMoney {
                year: year_label(crate::model::FinancialYear(year), start),
                savings: Change {
                    before: b.savings,
                    after: a.savings,
                },
                costs: Change {
                    before: b.costs,
                    after: a.costs,
                },
                net: Change {
                    before: net(b),
                    after: net(a),
                },
            })
        })
        .collect()
}

/// The savings targets whose verdict changed, each with the year's forecast savings in both
/// versions (`new_years` the new one's [`forecasts`]): a version without the target still
/// had savings that year, and they are what the target is compared with.
fn targets(old: &Summary, new: Version<'_>, new_years: &[(i32, Forecast)]) -> Vec<TargetChange> {
    let before = &old.savings_targets;
    let after: BTreeMap<i32, &crate::finance::Check> = new
        .analysis
        .finance
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::SavingsTarget)
        .map(|c| (c.year.0, c))
        .collect();
    let mut years: Vec<i32> = before.keys().chain(after.keys()).copied().collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .filter_map(|year| {
            let b = before.get(&year);
            let a = after.get(&year).copied();
            let met_before = b.map(|c| c.met);
            let met_after = a.map(|c| c.met);
            if met_before == met_after {
                return None;
            }
            let shown = a.or(b)?;
            Some(TargetChange {
                year: shown.year_label.clone(),
                target: shown.limit,
                savings: Change {
                    before: forecast_in(&old.years, year).savings,
                    after: forecast_in(new_years, year).savings,
                },
                met_before,
                met_after,
            })
        })
        .collect()
}

/// The gates CI can set on a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gates {
    /// `--fail-on finish-slip`: the plan's forecast finish moves later.
    pub finish_slip: bool,
    /// `--max-slip N days`: any project's finish moves later by more than N working days.
    pub max_slip_days: Option<u32>,
    /// `--fail-on target-missed`: a savings target that was met (or new) is missed.
    pub target_missed: bool,
    /// `--fail-on deadline-missed`: a project or milestone newly misses its deadline.
    pub deadline_missed: bool,
}

/// Why each tripped gate tripped, as sentences for people; empty when none did.
pub fn gates(diff: &Diff, gates: &Gates) -> Vec<String> {
    let mut tripped = Vec::new();
    if gates.finish_slip {
        if let Some(finish) = diff.finish.as_ref().filter(|f| f.after > f.before) {
            tripped.push(format!(
                "finish-slip: the plan now finishes on {}, later than {}",
                finish.after, finish.before
            ));
        }
    }
    if let Some(limit) = gates.max_slip_days {
        for p in &diff.projects {
            if p.finish_moved_days > i64::from(limit) {
                tripped.push(format!(
                    "max-slip: `{}` finishes {} later, more than {limit}",
                    p.id,
                    count(p.finish_moved_days, "working day", "working days")
                ));
            }
        }
    }
    if gates.target_missed {
        for t in diff.targets.iter().filter(|t| t.newly_missed()) {
            tripped.push(format!(
                "target-missed: savings in {} come to {}, short of the target {}",
                t.year, t.savings.after, t.target
            ));
        }
    }
    if gates.deadline_missed {
        for d in &diff.deadlines_missed {
            tripped.push(format!("deadline-missed: {}", deadline_sentence(d, "`")));
        }
    }
    tripped
}

/// "`case-system` now misses its deadline 2021-09-30 by 12 working days", with the id quoted
/// by `quote`.
fn deadline_sentence(d: &DeadlineMissed, quote: &str) -> String {
    format!(
        "{quote}{}{quote} now misses its deadline {} by {} working {}",
        d.id,
        d.deadline,
        d.late_days,
        if d.late_days == 1 { "day" } else { "days" }
    )
}

/// How a diff is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// Markdown, for a pull-request comment.
    #[value(name = "md")]
    Markdown,
    /// JSON (schema in docs/ci.md).
    Json,
}

/// Renders a diff. Table and Markdown list only what changed; JSON gives the whole [`Diff`].
pub fn render(diff: &Diff, format: Format) -> String {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(diff)
                .unwrap_or_else(|e| panic!("a Diff always serialises: {e}"));
            text.push('\n');
            text
        }
        Format::Table => text(diff, false),
        Format::Markdown => text(diff, true),
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn lag(l: Option<i32>) -> String {
    match l {
        None => "no link".to_string(),
        Some(0) => "no lag".to_string(),
        Some(l) => count(signed(i64::from(l)), "day", "days"),
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        None => "no target",
        Some(true) => "met",
        Some(false) => "missed",
    }
}

/// Table and Markdown share one layout: a sentence saying what matters most, then a heading
/// per section and rows of cells.
fn text(diff: &Diff, markdown: bool) -> String {
    let mut page = Page {
        out: String::new(),
        markdown,
    };
    if markdown {
        page.out.push_str("## tranche diff\n\n");
    }
    if let Some(note) = &diff.note {
        let _ = writeln!(page.out, "{note}\n");
    }
    if diff.is_empty() {
        page.out
            .push_str("No changes to the plan's items, dates or money.\n");
        return page.out;
    }
    if let Some(sentence) = headline(diff) {
        let _ = writeln!(page.out, "{sentence}.\n");
    }
    page.items(diff);
    page.dependencies(diff);
    page.projects(diff);
    page.plan(diff);
    page.years(diff);
    page.targets(diff);
    page.deadlines(diff);
    let mut out = page.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One sentence first: what a reviewer most needs before the tables. `None` when nothing in
/// it changed.
fn headline(diff: &Diff) -> Option<String> {
    let mut summary: Vec<String> = Vec::new();
    if let Some(f) = &diff.finish {
        let way = if f.after > f.before {
            "later"
        } else {
            "earlier"
        };
        summary.push(format!(
            "the plan finishes {} {way}, on {}",
            count(diff.finish_moved_days.abs(), "working day", "working days"),
            f.after
        ));
    }
    if let Some(projects) = projects_summary(diff) {
        summary.push(projects);
    }
    if diff.critical_path.is_some() {
        summary.push("the critical path changed".to_string());
    }
    let missed = diff.targets.iter().filter(|t| t.newly_missed()).count();
    if missed > 0 {
        summary.push(if missed == 1 {
            "1 savings target is newly missed".to_string()
        } else {
            format!("{missed} savings targets are newly missed")
        });
    }
    match diff.deadlines_missed.as_slice() {
        [] => {}
        [one] => summary.push(deadline_sentence(one, "`")),
        many => summary.push(format!("{} deadlines are newly missed", many.len())),
    }
    let first = summary.first_mut()?;
    if let Some(c) = first.get(..1) {
        *first = format!("{}{}", c.to_uppercase(), first.get(1..).unwrap_or_default());
    }
    Some(summary.join("; "))
}

/// How many projects moved and, apart from those, how many only lost or gained float:
/// `1 project moved, 10 lost float`. `None` when no project changed.
fn projects_summary(diff: &Diff) -> Option<String> {
    let moved = diff.projects.iter().filter(|p| p.moved()).count();
    let float_only = || diff.projects.iter().filter(|p| !p.moved());
    let lost = float_only()
        .filter(|p| p.float_days.after < p.float_days.before)
        .count();
    let gained = float_only()
        .filter(|p| p.float_days.after > p.float_days.before)
        .count();
    let mut parts = Vec::new();
    if moved > 0 {
        parts.push(format!("{} moved", count(moved, "project", "projects")));
    }
    for (n, what) in [(lost, "lost float"), (gained, "gained float")] {
        if n > 0 {
            // "1 project moved, 2 lost float"; "2 projects lost float" when none moved.
            parts.push(if parts.is_empty() {
                format!("{} {what}", count(n, "project", "projects"))
            } else {
                format!("{n} {what}")
            });
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The text of a diff being written, in the table layout or Markdown.
struct Page {
    out: String,
    markdown: bool,
}

impl Page {
    /// A heading and a table, or nothing when there are no rows.
    fn section(&mut self, title: &str, header: &[&'static str], rows: Vec<Vec<String>>) {
        if rows.is_empty() {
            return;
        }
        let out = &mut self.out;
        if self.markdown {
            let _ = writeln!(out, "### {title}\n");
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
            for row in rows {
                // Text from the plan is escaped already (`plain`), pipes included; ids, dates
                // and numbers hold none.
                let cells: Vec<String> = row.to_vec();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
            out.push('\n');
        } else {
            let _ = writeln!(out, "{title}");
            // The one aligner of the text tables, each line indented under its heading.
            let mut table = Table::new("", header.iter().map(|h| Column::text(h)).collect());
            for row in rows {
                table.push(row.into_iter().map(Cell::Text).collect());
            }
            for line in table.plain().lines() {
                let _ = writeln!(out, "  {line}");
            }
            out.push('\n');
        }
    }

    /// Text from the plan (a title), escaped in Markdown by the one rule of every Markdown
    /// tranche writes: a title in a pull-request comment must not mention, link, embed an
    /// image or write HTML.
    fn plain(&self, s: &str) -> String {
        if self.markdown {
            crate::report::text::escape_markdown(s)
        } else {
            s.to_string()
        }
    }

    /// An id, as code in Markdown.
    fn code(&self, s: &str) -> String {
        if self.markdown {
            format!("`{s}`")
        } else {
            s.to_string()
        }
    }

    /// [`Page::section`] with a row an item, made by `row` (which writes ids and titles
    /// through the page, as code and escaped text in Markdown).
    fn rows_of<T>(
        &mut self,
        title: &str,
        header: &[&'static str],
        items: impl IntoIterator<Item = T>,
        row: impl Fn(&Page, T) -> Vec<String>,
    ) {
        let rows = items.into_iter().map(|item| row(self, item)).collect();
        self.section(title, header, rows);
    }

    /// Items added, removed and renamed.
    fn items(&mut self, diff: &Diff) {
        let item = |page: &Page, i: &Item| {
            vec![i.kind.to_string(), page.code(&i.id), page.plain(&i.title)]
        };
        self.rows_of("Added", &["kind", "id", "title"], &diff.added, item);
        self.rows_of("Removed", &["kind", "id", "title"], &diff.removed, item);
        let header = &["kind", "from", "to", "title"];
        self.rows_of("Renamed", header, &diff.renamed, |page, r| {
            let title = page.plain(&r.title);
            vec![
                r.kind.to_string(),
                page.code(&r.from),
                page.code(&r.to),
                title,
            ]
        });
    }

    fn dependencies(&mut self, diff: &Diff) {
        let header = &["item", "link", "on", "before", "after"];
        self.rows_of("Dependencies", header, &diff.dependencies, |page, d| {
            let (before, after) = (lag(d.lag_before), lag(d.lag_after));
            vec![
                page.code(&d.item),
                d.kind.to_string(),
                page.code(&d.on),
                before,
                after,
            ]
        });
    }

    fn projects(&mut self, diff: &Diff) {
        let float = |p: &ProjectMove| format!("{} -> {}", p.float_days.before, p.float_days.after);
        let moved = diff.projects.iter().filter(|p| p.moved());
        let header = &["project", "start", "moved", "finish", "moved", "float"];
        self.rows_of("Projects moved (working days)", header, moved, |page, p| {
            let start = format!("{} -> {}", p.start.before, p.start.after);
            let finish = format!("{} -> {}", p.finish.before, p.finish.after);
            let (start_moved, finish_moved) =
                (signed(p.start_moved_days), signed(p.finish_moved_days));
            vec![
                page.code(&p.id),
                start,
                start_moved,
                finish,
                finish_moved,
                float(p),
            ]
        });
        // Projects whose dates stayed put but whose float changed (work around them moved).
        let unmoved = diff.projects.iter().filter(|p| !p.moved());
        let title = "Float changed, dates unchanged (working days)";
        self.rows_of(
            title,
            &["project", "float", "change"],
            unmoved,
            |page, p| {
                let change = signed(p.float_days.after - p.float_days.before);
                vec![page.code(&p.id), float(p), change]
            },
        );
    }

    /// The plan as a whole: its finish, critical path and NPV.
    fn plan(&mut self, diff: &Diff) {
        let mut rows = Vec::new();
        if let Some(f) = &diff.finish {
            let moved = count(
                signed(diff.finish_moved_days),
                "working day",
                "working days",
            );
            let after = format!("{} ({moved})", f.after);
            rows.push(vec![
                "forecast finish".to_string(),
                f.before.to_string(),
                after,
            ]);
        }
        if let Some(c) = &diff.critical_path {
            let join = |ids: &[String]| {
                let ids: Vec<String> = ids.iter().map(|i| self.code(i)).collect();
                ids.join(" > ")
            };
            rows.push(vec![
                "critical path".to_string(),
                join(&c.before),
                join(&c.after),
            ]);
        }
        if let Some(n) = &diff.npv {
            let (before, after) = (n.before.to_string(), n.after.to_string());
            rows.push(vec!["NPV (cashable)".to_string(), before, after]);
        }
        self.section("The plan", &["", "before", "after"], rows);
    }

    fn years(&mut self, diff: &Diff) {
        let header = &[
            "year",
            "savings before",
            "after",
            "costs before",
            "after",
            "net before",
            "after",
        ];
        self.rows_of(
            "Forecast money by financial year",
            header,
            &diff.years,
            |_, y| {
                let pairs = [&y.savings, &y.costs, &y.net];
                let figures = pairs
                    .into_iter()
                    .flat_map(|c| [c.before.to_string(), c.after.to_string()]);
                std::iter::once(y.year.clone()).chain(figures).collect()
            },
        );
    }

    fn deadlines(&mut self, diff: &Diff) {
        let header = &["kind", "id", "deadline", "finish", "working days late"];
        self.rows_of(
            "Deadlines newly missed",
            header,
            &diff.deadlines_missed,
            |page, d| {
                let (deadline, finish) = (d.deadline.to_string(), d.finish.to_string());
                vec![
                    d.kind.to_string(),
                    page.code(&d.id),
                    deadline,
                    finish,
                    d.late_days.to_string(),
                ]
            },
        );
    }

    fn targets(&mut self, diff: &Diff) {
        let header = &["year", "target", "savings before", "after", "before", "now"];
        self.rows_of("Savings targets", header, &diff.targets, |page, t| {
            let now = match (t.newly_missed(), page.markdown) {
                (true, true) => "**missed**".to_string(),
                (true, false) => "MISSED".to_string(),
                (false, _) => verdict(t.met_after).to_string(),
            };
            let (before, after) = (t.savings.before.to_string(), t.savings.after.to_string());
            let met_before = verdict(t.met_before).to_string();
            vec![
                t.year.clone(),
                t.target.to_string(),
                before,
                after,
                met_before,
                now,
            ]
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("{text} is a date: {e}"))
    }

    #[test]
    fn links_keyed_in_a_vector_are_what_a_map_of_them_holds() {
        // Repeated keys (a plan may say `after a` twice with different lags), out of order.
        let links = vec![
            (("b", "FS", "a"), 1),
            (("a", "SS", "c"), 2),
            (("b", "FS", "a"), 3),
            (("a", "FS", "c"), 4),
            (("b", "FS", "a"), 5),
            (("a", "SS", "c"), 6),
        ];
        let map: BTreeMap<(&str, &str, &str), i32> = links.iter().copied().collect();
        let vector: Vec<_> = keyed(links);
        assert_eq!(vector, map.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn moves_count_working_days_and_are_negative_when_earlier() {
        let weekdays = crate::model::CalendarDef::plain("weekdays", false);
        let calendar = WorkCalendar::build(&[weekdays], crate::model::CalendarId(0));
        // Friday to the next Monday is one working day; to the Friday after, five.
        let friday = date("2024-05-03");
        assert_eq!(moved(Some(&calendar), friday, date("2024-05-06")), 1);
        assert_eq!(moved(Some(&calendar), friday, date("2024-05-10")), 5);
        assert_eq!(moved(Some(&calendar), date("2024-05-10"), friday), -5);
        assert_eq!(moved(Some(&calendar), friday, friday), 0);
    }

    fn slipped(days: i64) -> ProjectMove {
        ProjectMove {
            id: "build".to_string(),
            title: "Build".to_string(),
            start: Change {
                before: date("2024-05-01"),
                after: date("2024-05-01"),
            },
            start_moved_days: 0,
            finish: Change {
                before: date("2024-06-03"),
                after: date("2024-07-01"),
            },
            finish_moved_days: days,
            float_days: Change {
                before: 0,
                after: 0,
            },
        }
    }

    #[test]
    fn max_slip_trips_only_beyond_the_limit() {
        let diff = Diff {
            projects: vec![slipped(20)],
            ..Diff::default()
        };
        let at = Gates {
            max_slip_days: Some(20),
            ..Gates::default()
        };
        assert!(gates(&diff, &at).is_empty());
        let below = Gates {
            max_slip_days: Some(19),
            ..Gates::default()
        };
        assert_eq!(gates(&diff, &below).len(), 1);
    }

    #[test]
    fn finish_slip_ignores_an_earlier_finish() {
        let earlier = Diff {
            finish: Some(Change {
                before: date("2024-07-01"),
                after: date("2024-06-03"),
            }),
            ..Diff::default()
        };
        let gate = Gates {
            finish_slip: true,
            ..Gates::default()
        };
        assert!(gates(&earlier, &gate).is_empty());
        let later = Diff {
            finish: Some(Change {
                before: date("2024-06-03"),
                after: date("2024-07-01"),
            }),
            ..Diff::default()
        };
        assert_eq!(gates(&later, &gate).len(), 1);
    }

    #[test]
    fn the_headline_counts_moves_apart_from_float_with_number_agreement() {
        let float_only = |before, after| ProjectMove {
            float_days: Change { before, after },
            finish: Change {
                before: date("2024-06-03"),
                after: date("2024-06-03"),
            },
            finish_moved_days: 0,
            ..slipped(0)
        };
        let summary = |projects| {
            projects_summary(&Diff {
                projects,
                ..Diff::default()
            })
        };
        assert_eq!(summary(vec![]), None);
        assert_eq!(
            summary(vec![slipped(5), float_only(3, 0)]).as_deref(),
            Some("1 project moved, 1 lost float")
        );
        assert_eq!(
            summary(vec![float_only(3, 0), float_only(4, 1), float_only(0, 2)]).as_deref(),
            Some("2 projects lost float, 1 gained float")
        );
        assert_eq!(
            summary(vec![slipped(5), slipped(6)]).as_deref(),
            Some("2 projects moved")
        );
    }

    #[test]
    fn an_empty_diff_renders_as_no_changes() {
        let diff = Diff::default();
        assert!(diff.is_empty());
        assert_eq!(
            render(&diff, Format::Table),
            "No changes to the plan's items, dates or money.\n"
        );
    }
}
