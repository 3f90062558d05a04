//! Random plan TEXT with every construct that moves a date (issue 15), built from a proptest
//! "tape" of choices: each choice is a number read off the tape, and 0 is always the simplest
//! option (no feature, the first kind, the smallest number), so proptest's shrinking of the
//! tape towards zeros shrinks the plan towards a small, plain one.
//!
//! The plan is built as a small tree ([`Plan`]) and rendered to text, so the metamorphic tests
//! can reorder, rename, split and label it. Dependencies only point at items of a lower *rank*
//! (a random number per item, independent of where the item is written), so plans have no
//! cycles while links still point forwards and backwards in the file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

/// The four dependency kinds as written (docs/language.md section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `after X`
    Fs,
    /// `after start of X`
    Ss,
    /// `finishes after X`
    Ff,
    /// `finishes after start of X`
    Sf,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Fs, Kind::Ss, Kind::Ff, Kind::Sf];

    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Fs => "after",
            Kind::Ss => "after start of",
            Kind::Ff => "finishes after",
            Kind::Sf => "finishes after start of",
        }
    }
}

/// A duration or lag unit as written, and its working days (docs/language.md section 4).
pub const UNITS: [(&str, u32); 12] = [
    ("days", 1),
    ("day", 1),
    ("d", 1),
    ("weeks", 5),
    ("week", 5),
    ("w", 5),
    ("months", 20),
    ("month", 20),
    ("mo", 20),
    ("years", 240),
    ("year", 240),
    ("y", 240),
];

/// `+ 2 weeks` or `- 1 d`: sign, amount and index into [`UNITS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag {
    pub negative: bool,
    pub amount: u32,
    pub unit: usize,
}

/// One target of a dependency line. `dotted`: a milestone in a project written `project.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub dotted: bool,
    pub lag: Option<Lag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepLine {
    pub kind: Kind,
    pub targets: Vec<Target>,
}

/// A milestone's declaration-line timing (grammar rule `milestone_timing`, or none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    AtStart,
    AtFinish,
    On(NaiveDate),
    Free,
}

/// A project's progress at the status date (docs/scheduling.md "Progress at the status date").
/// Named as the docs name the states, hence `InProgress` in `Progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub enum Progress {
    NotStarted,
    /// `complete 0%` without `actual-start`.
    CompleteOnly,
    /// `actual-start` and `complete` (basis points; `None` writes no `complete`).
    InProgress {
        start: NaiveDate,
        complete: Option<u32>,
    },
    /// `actual-start`, `actual-finish`, and `complete 100%` when `with_complete`.
    Finished {
        start: NaiveDate,
        finish: NaiveDate,
        with_complete: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub id: String,
    pub timing: Timing,
    pub deps: Vec<DepLine>,
    pub deadline: Option<NaiveDate>,
    pub baseline: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    /// Amount and index into [`UNITS`].
    pub duration: (u32, usize),
    pub calendar: Option<String>,
    pub deps: Vec<DepLine>,
    pub not_before: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub progress: Progress,
    pub baseline: Option<(NaiveDate, NaiveDate)>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub id: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Programme(Programme),
    Project(Project),
    Milestone(Milestone),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDecl {
    pub id: String,
    pub based_on: Option<String>,
    pub weekend: Option<Vec<&'static str>>,
    /// `closed FROM [to TO]`.
    pub closed: Vec<(NaiveDate, Option<NaiveDate>)>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct Plan {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status: Option<NaiveDate>,
    pub calendar: Option<String>,
    pub rag: Option<(u32, u32)>,
    pub calendars: Vec<CalendarDecl>,
    pub items: Vec<Item>,
}

/// Reads choices off a proptest-made tape; past its end every choice is 0 (the simplest).
struct Tape {
    data: Vec<u32>,
    at: usize,
}

impl Tape {
    /// A number in `0..n`.
    fn pick(&mut self, n: u32) -> u32 {
        let v = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        if n == 0 { 0 } else { v % n }
    }

    /// True with probability `percent` (false for a zero choice).
    fn chance(&mut self, percent: u32) -> bool {
        self.pick(100) >= 100 - percent
    }

    fn day_in(&mut self, from: NaiveDate, days: u32) -> NaiveDate {
        from + Days::new(u64::from(self.pick(days + 1)))
    }
}

/// What the builder knows of each schedulable item made so far: its rank (dependencies point
/// at lower ranks only), its programme path (outermost first) and its project, for milestones.
#[derive(Debug, Clone)]
struct Made {
    rank: u32,
    programmes: Vec<String>,
    project: Option<String>,
}

struct Builder {
    tape: Tape,
    start: NaiveDate,
    status: Option<NaiveDate>,
    calendars: Vec<String>,
    next_id: u32,
    made: BTreeMap<String, Made>,
    /// Every programme made, with its path (itself last).
    programmes: Vec<Vec<String>>,
}

const CLOSURES: [(&str, Option<&str>); 8] = [
    ("2020-12-24", Some("2021-01-01")),
    ("2021-01-04", None),
    ("2021-03-29", Some("2021-04-01")),
    ("2021-05-04", None),
    ("2021-06-28", Some("2021-07-02")),
    ("2021-08-31", Some("2021-09-01")),
    ("2021-12-23", Some("2022-01-04")),
    ("2021-02-15", None),
];

const WEEKENDS: [&[&str]; 4] = [
    &["sat", "sun"],
    &["fri", "sat"],
    &["sun"],
    &["sunday", "monday"],
];

impl Builder {
    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    /// A date from a little before the plan's start to well after it (inside the window).
    fn near_date(&mut self) -> NaiveDate {
        self.tape.day_in(self.start, 120)
    }

    fn lag(&mut self) -> Option<Lag> {
        if !self.tape.chance(45) {
            return None;
        }
        let unit = match self.tape.pick(20) {
            0..=11 => self.tape.pick(3) as usize,
            12..=15 => 3 + self.tape.pick(3) as usize,
            16..=18 => 6 + self.tape.pick(3) as usize,
            _ => 9 + self.tape.pick(3) as usize,
        };
        let per = UNITS[unit].1;
        // Years stay at 1 (a year is 240 days); days go up to 12.
        let amount = match per {
            1 => self.tape.pick(13),
            5 => 1 + self.tape.pick(3),
            _ => 1,
        };
        Some(Lag {
            negative: self.tape.chance(35),
            amount,
            unit,
        })
    }

    /// The ids a dependency of an item of `rank` inside `path` may name: items and programmes
    /// whose work is all of a lower rank, and no programme that contains the item.
    fn targets(&self, rank: u32, path: &[String]) -> Vec<(String, bool)> {
        let mut out: Vec<(String, bool)> = self
            .made
            .iter()
            .filter(|(_, m)| m.rank < rank)
            .map(|(id, m)| (id.clone(), m.project.is_some()))
            .collect();
        for g in &self.programmes {
            let id = g.last().cloned().unwrap_or_default();
            if path.contains(&id) {
                continue;
            }
            let work: Vec<&Made> = self
                .made
                .values()
                .filter(|m| m.programmes.contains(&id))
                .collect();
            if work.iter().all(|m| m.rank < rank) {
                out.push((id, false));
            }
        }
        out
    }

    fn deps(&mut self, rank: u32, path: &[String]) -> Vec<DepLine> {
        let targets = self.targets(rank, path);
        if targets.is_empty() {
            return Vec::new();
        }
        let mut lines: Vec<DepLine> = Vec::new();
        let mut used: Vec<(Kind, String)> = Vec::new();
        let n_lines = match self.tape.pick(10) {
            0..=2 => 0,
            3..=7 => 1,
            _ => 2,
        };
        for _ in 0..n_lines {
            let kind = match self.tape.pick(10) {
                0..=4 => Kind::Fs,
                5..=6 => Kind::Ss,
                7..=8 => Kind::Ff,
                _ => Kind::Sf,
            };
            let mut line = DepLine {
                kind,
                targets: Vec::new(),
            };
            for _ in 0..1 + self.tape.pick(3) / 2 {
                let (id, in_project) =
                    targets[self.tape.pick(targets.len() as u32) as usize].clone();
                // One dependency per target and kind, as the validator insists.
                if used.contains(&(kind, id.clone())) {
                    continue;
                }
                used.push((kind, id.clone()));
                let dotted = in_project && self.tape.chance(50);
                let lag = self.lag();
                line.targets.push(Target { id, dotted, lag });
            }
            if !line.targets.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    fn rank(&mut self) -> u32 {
        // Even ranks for items; a tied milestone takes its project's rank plus one.
        2 * self.tape.pick(1000)
    }

    fn progress(&mut self) -> Progress {
        let Some(status) = self.status else {
            return Progress::NotStarted;
        };
        let span = u32::try_from((status - self.start).num_days()).unwrap_or(0);
        match self.tape.pick(10) {
            0..=3 => Progress::NotStarted,
            4 => Progress::CompleteOnly,
            5..=7 => {
                let start = self.tape.day_in(self.start, span);
                let complete = match self.tape.pick(6) {
                    0 => None,
                    1 => Some(0),
                    2 => Some(10_000),
                    3 => Some(100 * self.tape.pick(101)),
                    _ => Some(self.tape.pick(10_001)),
                };
                Progress::InProgress { start, complete }
            }
            _ => {
                let start = self.tape.day_in(self.start, span);
                let left = u32::try_from((status - start).num_days()).unwrap_or(0);
                let finish = self.tape.day_in(start, left);
                Progress::Finished {
                    start,
                    finish,
                    with_complete: self.tape.chance(50),
                }
            }
        }
    }

    fn milestone(&mut self, project: Option<(&str, u32)>, path: &[String]) -> Milestone {
        let id = self.id("m");
        let timing = match (project.is_some(), self.tape.pick(8)) {
            (true, 0..=2) => Timing::AtFinish,
            (true, 3..=4) => Timing::AtStart,
            (_, 5) | (false, 4) => Timing::On(self.near_date()),
            _ => Timing::Free,
        };
        let tied = matches!(timing, Timing::AtStart | Timing::AtFinish);
        let rank = match project {
            Some((_, r)) if tied => r + 1,
            _ => self.rank(),
        };
        let deps = if timing == Timing::Free {
            self.deps(rank, path)
        } else {
            Vec::new()
        };
        let deadline = self.tape.chance(15).then(|| self.near_date());
        let baseline = self.tape.chance(20).then(|| self.near_date());
        let actual = match self.status {
            Some(status) if self.tape.chance(12) => {
                let span = u32::try_from((status - self.start).num_days()).unwrap_or(0);
                Some(self.tape.day_in(self.start, span))
            }
            _ => None,
        };
        self.made.insert(
            id.clone(),
            Made {
                rank,
                programmes: path.to_vec(),
                project: project.map(|(p, _)| p.to_string()),
            },
        );
        Milestone {
            id,
            timing,
            deps,
            deadline,
            baseline,
            actual,
        }
    }

    fn project(&mut self, path: &[String]) -> Project {
        let id = self.id("p");
        let rank = self.rank();
        let unit = match self.tape.pick(10) {
            0..=6 => self.tape.pick(3) as usize,
            7..=8 => 3 + self.tape.pick(3) as usize,
            _ => 6 + self.tape.pick(3) as usize,
        };
        let amount = match UNITS[unit].1 {
            1 => 1 + self.tape.pick(15),
            5 => 1 + self.tape.pick(4),
            _ => 1 + self.tape.pick(2),
        };
        let calendar = if self.tape.chance(30) {
            let n = self.calendars.len() as u32;
            Some(self.calendars[self.tape.pick(n) as usize].clone())
        } else {
            None
        };
        let deps = self.deps(rank, path);
        let not_before = self.tape.chance(15).then(|| self.near_date());
        let mut deadline = self.tape.chance(15).then(|| self.near_date());
        if let (Some(nb), Some(dl)) = (not_before, deadline) {
            // A deadline before the not-before date is an error (E042).
            deadline = Some(dl.max(nb));
        }
        let progress = self.progress();
        let baseline = self.tape.chance(25).then(|| {
            let from = self.near_date();
            (from, self.tape.day_in(from, 60))
        });
        self.made.insert(
            id.clone(),
            Made {
                rank,
                programmes: path.to_vec(),
                project: None,
            },
        );
        let mut milestones = Vec::new();
        for _ in 0..self.tape.pick(5) / 3 {
            milestones.push(self.milestone(Some((&id, rank)), path));
        }
        Project {
            id,
            duration: (amount, unit),
            calendar,
            deps,
            not_before,
            deadline,
            progress,
            baseline,
            milestones,
        }
    }

    /// Up to `budget` items (programmes count their contents) inside `path`.
    fn items(&mut self, path: &[String], budget: &mut u32, depth: u32) -> Vec<Item> {
        let mut items = Vec::new();
        while *budget > 0 {
            *budget -= 1;
            match self.tape.pick(10) {
                0..=5 => items.push(Item::Project(self.project(path))),
                6..=7 => items.push(Item::Milestone(self.milestone(None, path))),
                _ if depth < 3 => {
                    let id = self.id("g");
                    let mut inner = path.to_vec();
                    inner.push(id.clone());
                    self.programmes.push(inner.clone());
                    let mut sub = self.tape.pick(5).min(*budget);
                    *budget -= sub;
                    let children = self.items(&inner, &mut sub, depth + 1);
                    items.push(Item::Programme(Programme {
                        id,
                        items: children,
                    }));
                }
                _ => items.push(Item::Project(self.project(path))),
            }
        }
        items
    }
}

/// A plan from a tape of choices.
pub fn build(data: Vec<u32>) -> Plan {
    let mut tape = Tape { data, at: 0 };
    // Around Christmas 2020 and Easter 2021 (bank holidays on Fridays and Mondays, a
    // substitute Boxing Day) or a plainer stretch of 2021.
    let start = NaiveDate::from_ymd_opt(2020, 11, 20).expect("a date")
        + Days::new(u64::from(tape.pick(300)));
    let end = start + Days::new(3 * 365);
    let status = tape
        .chance(55)
        .then(|| start + Days::new(u64::from(tape.pick(70))));
    let mut calendars: Vec<CalendarDecl> = Vec::new();
    for i in 0..tape.pick(5) / 2 {
        let id = format!("cal{i}");
        let based_on = match tape.pick(4) {
            0 => None,
            1 => Some("weekdays".to_string()),
            2 => Some("england-and-wales".to_string()),
            _ if i > 0 => Some(format!("cal{}", tape.pick(i))),
            _ => Some("weekdays".to_string()),
        };
        let weekend = tape
            .chance(40)
            .then(|| WEEKENDS[tape.pick(WEEKENDS.len() as u32) as usize].to_vec());
        // Closures from a short list of dates around the plans' windows (Christmas, Easter,
        // single days), so the differential test's calendar cache (compare.rs) hits often.
        let mut closed = Vec::new();
        for _ in 0..tape.pick(4) {
            let (from, to) = CLOSURES[tape.pick(CLOSURES.len() as u32) as usize];
            let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").expect("a date");
            let entry = (day(from), to.map(day));
            if !closed.contains(&entry) {
                closed.push(entry);
            }
        }
        calendars.push(CalendarDecl {
            id,
            based_on,
            weekend,
            closed,
        });
    }
    let mut names: Vec<String> = vec!["weekdays".into(), "england-and-wales".into()];
    names.extend(calendars.iter().map(|c| c.id.clone()));
    let calendar = tape
        .chance(35)
        .then(|| names[tape.pick(names.len() as u32) as usize].clone());
    let rag = tape.chance(20).then(|| (tape.pick(8), 8 + tape.pick(20)));
    let mut builder = Builder {
        tape,
        start,
        status,
        calendars: names,
        next_id: 0,
        made: BTreeMap::new(),
        programmes: Vec::new(),
    };
    let mut budget = 1 + builder.tape.pick(12);
    let items = builder.items(&[], &mut budget, 0);
    Plan {
        start,
        end,
        status,
        calendar,
        rag,
        calendars,
        items,
    }
}

/// A plan shows as its text, so that proptest's "minimal failing input" can be pasted into a
/// file and run.
impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}", self.text())
    }
}

/// The proptest strategy: a tape of choices made into a plan.
pub fn plan() -> impl Strategy<Value = Plan> {
    proptest::collection::vec(any::<u32>(), 0..400).prop_map(build)
}

// ----- rendering ------------------------------------------------------------------------------

fn lag_text(lag: &Option<Lag>) -> String {
    match lag {
        None => String::new(),
        Some(l) => format!(
            " {} {} {}",
            if l.negative { "-" } else { "+" },
            l.amount,
            UNITS[l.unit].0
        ),
    }
}

/// Which project each milestone declared in a project belongs to (for `project.milestone`).
fn owners(items: &[Item], out: &mut BTreeMap<String, String>) {
    for item in items {
        match item {
            Item::Programme(g) => owners(&g.items, out),
            Item::Project(p) => {
                for m in &p.milestones {
                    out.insert(m.id.clone(), p.id.clone());
                }
            }
            Item::Milestone(_) => {}
        }
    }
}

struct Render<'a> {
    owners: &'a BTreeMap<String, String>,
    out: String,
}

impl Render<'_> {
    fn deps(&mut self, deps: &[DepLine], indent: &str) {
        for line in deps {
            let targets: Vec<String> = line
                .targets
                .iter()
                .map(|t| {
                    let name = match (t.dotted, self.owners.get(&t.id)) {
                        (true, Some(p)) => format!("{p}.{}", t.id),
                        _ => t.id.clone(),
                    };
                    format!("{name}{}", lag_text(&t.lag))
                })
                .collect();
            let _ = writeln!(
                self.out,
                "{indent}{} {}",
                line.kind.keyword(),
                targets.join(", ")
            );
        }
    }

    fn milestone(&mut self, m: &Milestone, indent: &str) {
        let timing = match m.timing {
            Timing::AtStart => " at start".to_string(),
            Timing::AtFinish => " at finish".to_string(),
            Timing::On(d) => format!(" on {d}"),
            Timing::Free => String::new(),
        };
        let _ = write!(
            self.out,
            "{indent}milestone {} \"{}\"{timing}",
            m.id,
            m.id.to_uppercase()
        );
        if m.deps.is_empty() && m.deadline.is_none() && m.baseline.is_none() && m.actual.is_none() {
            self.out.push('\n');
            return;
        }
        self.out.push_str(" {\n");
        let inner = format!("{indent}  ");
        self.deps(&m.deps, &inner);
        if let Some(d) = m.deadline {
            let _ = writeln!(self.out, "{inner}deadline {d}");
        }
        if let Some(d) = m.baseline {
            let _ = writeln!(self.out, "{inner}baseline {d}");
        }
        if let Some(d) = m.actual {
            let _ = writeln!(self.out, "{inner}actual-finish {d}");
        }
        let _ = writeln!(self.out, "{indent}}}");
    }

    fn project(&mut self, p: &Project, indent: &str) {
        let _ = writeln!(
            self.out,
            "{indent}project {} \"{}\" {{",
            p.id,
            p.id.to_uppercase()
        );
        let inner = format!("{indent}  ");
        let _ = writeln!(
            self.out,
            "{inner}duration {} {}",
            p.duration.0, UNITS[p.duration.1].0
        );
        if let Some(c) = &p.calendar {
            let _ = writeln!(self.out, "{inner}calendar {c}");
        }
        self.deps(&p.deps, &inner);
        if let Some(d) = p.not_before {
            let _ = writeln!(self.out, "{inner}not-before {d}");
        }
        if let Some(d) = p.deadline {
            let _ = writeln!(self.out, "{inner}deadline {d}");
        }
        match p.progress {
            Progress::NotStarted => {}
            Progress::CompleteOnly => {
                let _ = writeln!(self.out, "{inner}complete 0%");
            }
            Progress::InProgress { start, complete } => {
                let _ = writeln!(self.out, "{inner}actual-start {start}");
                if let Some(c) = complete {
                    let _ = writeln!(self.out, "{inner}complete {}.{:02}%", c / 100, c % 100);
                }
            }
            Progress::Finished {
                start,
                finish,
                with_complete,
            } => {
                let _ = writeln!(self.out, "{inner}actual-start {start}");
                let _ = writeln!(self.out, "{inner}actual-finish {finish}");
                if with_complete {
                    let _ = writeln!(self.out, "{inner}complete 100%");
                }
            }
        }
        if let Some((a, b)) = p.baseline {
            let _ = writeln!(self.out, "{inner}baseline {a} to {b}");
        }
        for m in &p.milestones {
            self.milestone(m, &inner);
        }
        let _ = writeln!(self.out, "{indent}}}");
    }

    fn items(&mut self, items: &[Item], indent: &str) {
        for item in items {
            match item {
                Item::Programme(g) => {
                    let _ = writeln!(
                        self.out,
                        "{indent}programme {} \"{}\" {{",
                        g.id,
                        g.id.to_uppercase()
                    );
                    self.items(&g.items, &format!("{indent}  "));
                    let _ = writeln!(self.out, "{indent}}}");
                }
                Item::Project(p) => self.project(p, indent),
                Item::Milestone(m) => self.milestone(m, indent),
            }
        }
    }
}

impl Plan {
    /// The portfolio block and the calendars.
    pub fn header(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "portfolio \"Random plan\" {{");
        let _ = writeln!(out, "  start {}\n  end {}", self.start, self.end);
        if let Some(s) = self.status {
            let _ = writeln!(out, "  status-date {s}");
        }
        if let Some(c) = &self.calendar {
            let _ = writeln!(out, "  calendar {c}");
        }
        if let Some((amber, red)) = self.rag {
            let _ = writeln!(out, "  rag amber {amber} days red {red} days");
        }
        out.push_str("}\n");
        for c in &self.calendars {
            let _ = writeln!(out, "calendar {} {{", c.id);
            if let Some(b) = &c.based_on {
                let _ = writeln!(out, "  based-on {b}");
            }
            if let Some(w) = &c.weekend {
                let _ = writeln!(out, "  weekend {}", w.join(" "));
            }
            for (from, to) in &c.closed {
                match to {
                    Some(to) => {
                        let _ = writeln!(out, "  closed {from} to {to} \"shut\"");
                    }
                    None => {
                        let _ = writeln!(out, "  closed {from}");
                    }
                }
            }
            out.push_str("}\n");
        }
        out
    }

    /// Items as text, at `indent`.
    pub fn items_text(&self, items: &[Item], indent: &str) -> String {
        let mut owners_of = BTreeMap::new();
        owners(&self.items, &mut owners_of);
        let mut r = Render {
            owners: &owners_of,
            out: String::new(),
        };
        r.items(items, indent);
        r.out
    }

    /// The whole plan as one file.
    pub fn text(&self) -> String {
        format!("{}{}", self.header(), self.items_text(&self.items, ""))
    }
}

// ----- transformations for the metamorphic tests ----------------------------------------------

/// Visits every item list (top level and every programme's) with `f`.
pub fn each_list(items: &mut Vec<Item>, f: &mut dyn FnMut(&mut Vec<Item>)) {
    f(items);
    for item in items.iter_mut() {
        if let Item::Programme(g) = item {
            each_list(&mut g.items, f);
        }
    }
}

/// Every id in the plan (items and programmes) renamed by `f`, references included.
pub fn rename(plan: &mut Plan, f: &dyn Fn(&str) -> String) {
    fn deps(lines: &mut [DepLine], f: &dyn Fn(&str) -> String) {
        for line in lines {
            for t in &mut line.targets {
                t.id = f(&t.id);
            }
        }
    }
    fn milestone(m: &mut Milestone, f: &dyn Fn(&str) -> String) {
        m.id = f(&m.id);
        deps(&mut m.deps, f);
    }
    fn items(list: &mut [Item], f: &dyn Fn(&str) -> String) {
        for item in list {
            match item {
                Item::Programme(g) => {
                    g.id = f(&g.id);
                    items(&mut g.items, f);
                }
                Item::Project(p) => {
                    p.id = f(&p.id);
                    deps(&mut p.deps, f);
                    for m in &mut p.milestones {
                        milestone(m, f);
                    }
                }
                Item::Milestone(m) => milestone(m, f),
            }
        }
    }
    items(&mut plan.items, f);
}

/// Calls `f` on every project in `items`, at any depth.
pub fn each_project(items: &mut [Item], f: &mut dyn FnMut(&mut Project)) {
    for item in items {
        match item {
            Item::Programme(g) => each_project(&mut g.items, f),
            Item::Project(p) => f(p),
            Item::Milestone(_) => {}
        }
    }
}
