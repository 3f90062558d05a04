//! Builds `Portfolio` values by hand for the scheduler's tests (the parser and validator are
//! written in parallel), schedules them and looks results up by id.
#![allow(dead_code)]

use crate::finance_common;

use chrono::NaiveDate;
use tranche::calendar;
use tranche::diagnostic::{Diagnostic, FileId, Span};
use tranche::graph::{self, Network};
use tranche::model::*;
use tranche::schedule::{self, Schedule, Timing, Trace};

pub fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad test date {text}"))
}

/// A span that identifies what it points at in tests (spans are byte ranges; any will do).
pub fn span(n: usize) -> Span {
    Span::new(FileId(0), n, n + 1)
}

pub fn dated(text: &str) -> Dated {
    Dated {
        date: d(text),
        span: span(9_000),
    }
}

pub struct Plan {
    pub portfolio: Portfolio,
}

impl Plan {
    /// A portfolio starting on `start` on the england-and-wales calendar.
    pub fn new(start: &str) -> Plan {
        let mut portfolio = finance_common::portfolio(d(start), d("2040-12-31"));
        portfolio.title = "Test portfolio".to_string();
        Plan { portfolio }
    }

    pub fn project(&mut self, id: &str, days: u32) -> ItemId {
        let n = self.portfolio.projects.len();
        let mut project = finance_common::project(id);
        project.duration.likely_days = days;
        project.calendar = self.portfolio.calendar;
        project.span = span(n * 100);
        self.portfolio.projects.push(project);
        let item = ItemId::Project(ProjectId(n as u32));
        self.portfolio.roots.push(item);
        item
    }

    pub fn milestone(
        &mut self,
        id: &str,
        timing: MilestoneTiming,
        project: Option<ItemId>,
    ) -> ItemId {
        let n = self.portfolio.milestones.len();
        let project = project.map(|p| match p {
            ItemId::Project(p) => p,
            _ => panic!("milestones are declared in projects"),
        });
        let mut milestone = finance_common::milestone(id, &format!("Milestone {id}"), timing);
        milestone.project = project;
        milestone.span = span(50_000 + n * 100);
        self.portfolio.milestones.push(milestone);
        let item = ItemId::Milestone(MilestoneId(n as u32));
        match project {
            Some(p) => push(
                &mut self.portfolio.projects[p.0 as usize].milestones,
                MilestoneId(n as u32),
            ),
            None => self.portfolio.roots.push(item),
        }
        item
    }

    pub fn programme(&mut self, id: &str, children: &[ItemId]) -> ItemId {
        let g = ProgrammeId(self.portfolio.programmes.len() as u32);
        for child in children {
            match child {
                ItemId::Project(p) => self.portfolio.projects[p.0 as usize].programme = Some(g),
                ItemId::Milestone(m) => self.portfolio.milestones[m.0 as usize].programme = Some(g),
                ItemId::Programme(c) => self.portfolio.programmes[c.0 as usize].parent = Some(g),
            }
            self.portfolio.roots.retain(|r| r != child);
        }
        self.portfolio.programmes.push(Programme {
            id: id.to_string().into(),
            title: format!("Programme {id}").into(),
            parent: None,
            owner: None,
            theme: None,
            description: None,
            tags: Vec::new(),
            children: children.to_vec(),
            span: span(80_000 + g.0 as usize * 100),
        });
        ItemId::Programme(g)
    }

    /// `successor` depends on `predecessor` (kind, lag in working days).
    pub fn link(&mut self, successor: ItemId, predecessor: ItemId, kind: LinkKind, lag_days: i32) {
        let n = self
            .portfolio
            .projects
            .iter()
            .map(|p| p.dependencies.len())
            .sum::<usize>()
            + self
                .portfolio
                .milestones
                .iter()
                .map(|m| m.dependencies.len())
                .sum::<usize>();
        let dep = Dependency {
            predecessor,
            kind,
            lag_days,
            span: span(100_000 + n * 10),
        };
        match successor {
            ItemId::Project(p) => {
                push(&mut self.portfolio.projects[p.0 as usize].dependencies, dep)
            }
            ItemId::Milestone(m) => push(
                &mut self.portfolio.milestones[m.0 as usize].dependencies,
                dep,
            ),
            ItemId::Programme(_) => panic!("programmes have no dependencies"),
        }
    }

    pub fn fs(&mut self, successor: ItemId, predecessor: ItemId) {
        self.link(successor, predecessor, LinkKind::FinishToStart, 0);
    }

    pub fn project_mut(&mut self, item: ItemId) -> &mut Project {
        match item {
            ItemId::Project(p) => &mut self.portfolio.projects[p.0 as usize],
            _ => panic!("not a project"),
        }
    }

    pub fn milestone_mut(&mut self, item: ItemId) -> &mut Milestone {
        match item {
            ItemId::Milestone(m) => &mut self.portfolio.milestones[m.0 as usize],
            _ => panic!("not a milestone"),
        }
    }

    pub fn network(&self) -> Result<Network, Vec<Diagnostic>> {
        graph::build(&self.portfolio)
    }

    pub fn run(&self) -> Run {
        let network = self
            .network()
            .unwrap_or_else(|d| panic!("test plan has a cycle: {d:?}"));
        let calendars = calendar::build_all(&self.portfolio.calendars);
        let (schedule, trace, diagnostics) =
            schedule::compute_traced(&self.portfolio, &network, &calendars);
        // compute is compute_traced without the trace.
        let (plain, _) = schedule::compute(&self.portfolio, &network, &calendars);
        assert_eq!(plain.projects, schedule.projects);
        Run {
            portfolio: self.portfolio.clone(),
            network,
            schedule,
            trace,
            diagnostics,
        }
    }
}

pub struct Run {
    pub portfolio: Portfolio,
    pub network: Network,
    pub schedule: Schedule,
    pub trace: Trace,
    pub diagnostics: Vec<Diagnostic>,
}

impl Run {
    pub fn item(&self, id: &str) -> ItemId {
        let p = &self.portfolio;
        if let Some(i) = p.projects.iter().position(|x| x.id == id) {
            return ItemId::Project(ProjectId(i as u32));
        }
        if let Some(i) = p.milestones.iter().position(|x| x.id == id) {
            return ItemId::Milestone(MilestoneId(i as u32));
        }
        if let Some(i) = p.programmes.iter().position(|x| x.id == id) {
            return ItemId::Programme(ProgrammeId(i as u32));
        }
        panic!("no item `{id}` in the test plan")
    }

    pub fn t(&self, id: &str) -> &Timing {
        self.schedule
            .timing(self.item(id))
            .unwrap_or_else(|| panic!("no timing for `{id}`"))
    }

    /// (start, finish) as text, for compact assertions.
    pub fn dates(&self, id: &str) -> (String, String) {
        let t = self.t(id);
        (t.start.to_string(), t.finish.to_string())
    }

    /// (late start, late finish) as text.
    pub fn late(&self, id: &str) -> (String, String) {
        let t = self.t(id);
        (t.late_start.to_string(), t.late_finish.to_string())
    }

    pub fn path(&self) -> Vec<String> {
        self.schedule
            .critical_path
            .iter()
            .map(|i| graph::name_of(&self.portfolio, *i).to_string())
            .collect()
    }
}

pub fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

/// Appends to one of the model's lists, which are boxed slices (built once by `validate`);
/// the plans built here grow them one item at a time.
pub fn push<T>(list: &mut Box<[T]>, item: T) {
    let mut items = std::mem::take(list).into_vec();
    items.push(item);
    *list = items.into_boxed_slice();
}

/// `list.push(item)` on the model's boxed slices, for tests that add one line to a plan.
#[allow(dead_code)]
pub trait Grow<T> {
    fn push(&mut self, item: T);
}

impl<T> Grow<T> for Box<[T]> {
    fn push(&mut self, item: T) {
        push(self, item);
    }
}
