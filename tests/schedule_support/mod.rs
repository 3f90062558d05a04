//! Grows a plan read from text by cloning one of its projects, schedules it and looks results
//! up by id: only for tests/schedule_large.rs's chain of a million projects, whose plan text
//! would take the debug test build far longer to read than the schedule takes (every other
//! test writes plan text and reads it through the pipeline: common::analysed_text). The
//! portfolio and the project cloned are read from text too, so no test builds a model value
//! field by field.
#![allow(dead_code)]

use crate::common;

use tranche::calendar;
use tranche::diagnostic::{Diagnostic, FileId, Span};
use tranche::graph::{self, Network};
use tranche::model::*;
use tranche::schedule::{self, Schedule, Timing, Trace};

/// A span that identifies what it points at in tests (spans are byte ranges; any will do).
pub fn span(n: usize) -> Span {
    Span::new(FileId(0), n, n + 1)
}

pub struct Plan {
    pub portfolio: Portfolio,
    /// A project of no duration, read with the portfolio, that `project` clones.
    template: Project,
}

impl Plan {
    /// A portfolio starting on `start` on the england-and-wales calendar, with no items.
    pub fn new(start: &str) -> Plan {
        let text = format!(
            "portfolio \"Test portfolio\" {{\n  start {start}\n  end 2040-12-31\n}}\n\
             project template {{\n  duration 1 day\n}}\n"
        );
        let mut portfolio = common::analysed_text(&text).portfolio;
        let template = portfolio
            .projects
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("the template project is read"));
        portfolio.projects.clear();
        portfolio.roots.clear();
        Plan {
            portfolio,
            template,
        }
    }

    pub fn project(&mut self, id: &str, days: u32) -> ItemId {
        let n = self.portfolio.projects.len();
        let mut project = self.template.clone();
        project.id = id.to_owned().into();
        project.title = format!("Project {id}").into();
        project.duration.likely_days = days;
        project.span = span(n * 100);
        self.portfolio.projects.push(project);
        let item = ItemId::Project(ProjectId(n as u32));
        self.portfolio.roots.push(item);
        item
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
