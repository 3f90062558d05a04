//! A reference scheduler, written to be obviously right rather than fast: dates are stepped a
//! day at a time on calendars worked out here from the model's definitions, each rule of
//! docs/scheduling.md is one function that names it, and nothing of `src/schedule.rs` or
//! `src/graph.rs` is used. The differential tests compare it with the engine field by field.
//!
//! Positions. A piece of work occupies whole working days. Every moment the rules speak of is
//! an [`Instant`]: the start or the end of a date. On one calendar an instant has a *boundary
//! day*: the first working day that begins at or after it (the day work after it starts). A
//! project starting on working day S and `D` days long has the boundary days S (its start)
//! and S + D working days (its finish: the end of its last day). A milestone is an instant,
//! kept as its boundary day and whether it falls at the start of that day or the end of the
//! working day before (the same point in working time; only the date shown differs).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use tranche::model::{
    CalendarDef, CalendarId, ItemId, LinkKind, MilestoneTiming, Portfolio, ProgrammeId,
};

// ----- calendars -------------------------------------------------------------------------------

/// England and Wales bank holidays of the years plans are generated in. The dates are data (the
/// GOV.UK table `tranche::calendar` copies, with its own tests in tests/calendar_properties.rs);
/// the rule for whether a day is worked is written here, not taken from `WorkCalendar`.
fn bank_holidays() -> &'static HashSet<NaiveDate> {
    static SET: OnceLock<HashSet<NaiveDate>> = OnceLock::new();
    SET.get_or_init(|| {
        (2015..=2035)
            .flat_map(tranche::calendar::england_and_wales_bank_holidays)
            .map(|(d, _)| d)
            .collect()
    })
}

/// A working calendar as docs/language.md section 6 defines it: a weekend (inherited through
/// `based-on` unless set), bank holidays when any calendar it is based on has them, and every
/// closure along the chain.
#[derive(Debug, Clone)]
pub struct Cal {
    weekend: Vec<Weekday>,
    bank_holidays: bool,
    closed: Vec<(NaiveDate, NaiveDate)>,
}

impl Cal {
    pub fn of(defs: &[CalendarDef], id: CalendarId) -> Cal {
        let mut chain: Vec<&CalendarDef> = Vec::new();
        let mut next = Some(id);
        while let Some(c) = next {
            let def = &defs[c.0 as usize];
            chain.push(def);
            next = def.based_on;
        }
        Cal {
            weekend: chain
                .iter()
                .find_map(|d| d.weekend.clone())
                .unwrap_or_else(|| vec![Weekday::Sat, Weekday::Sun]),
            bank_holidays: chain.iter().any(|d| d.bank_holidays),
            closed: chain
                .iter()
                .flat_map(|d| d.closed.iter().map(|c| (c.from, c.to)))
                .collect(),
        }
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        assert!(
            d.year() >= 2015 && d.year() <= 2035,
            "reference: {d} outside its years"
        );
        let weekend = self.weekend.contains(&d.weekday());
        let holiday = self.bank_holidays && bank_holidays().contains(&d);
        let closed = self.closed.iter().any(|&(a, b)| a <= d && d <= b);
        !(weekend || holiday || closed)
    }

    /// The first working day on or after `d`.
    pub fn on_or_after(&self, mut d: NaiveDate) -> NaiveDate {
        while !self.is_working(d) {
            d = d + Days::new(1);
        }
        d
    }

    /// The first working day after `d`.
    pub fn after(&self, d: NaiveDate) -> NaiveDate {
        self.on_or_after(d + Days::new(1))
    }

    /// The last working day on or before `d`.
    pub fn on_or_before(&self, mut d: NaiveDate) -> NaiveDate {
        while !self.is_working(d) {
            d = d - Days::new(1);
        }
        d
    }

    /// The last working day before `d`.
    pub fn before(&self, d: NaiveDate) -> NaiveDate {
        self.on_or_before(d - Days::new(1))
    }

    /// Working day `d` moved `n` working days (back when negative).
    pub fn shift(&self, mut d: NaiveDate, n: i64) -> NaiveDate {
        assert!(self.is_working(d));
        for _ in 0..n.abs() {
            d = if n > 0 { self.after(d) } else { self.before(d) };
        }
        d
    }

    /// Working days from working day `a` to working day `b`: how far `a` must move to be `b`.
    pub fn between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut n = 0;
        let mut d = lo;
        while d < hi {
            d = self.after(d);
            n += 1;
        }
        sign * n
    }

    /// The boundary day of an instant on this calendar: the first working day beginning at or
    /// after it.
    pub fn boundary(&self, i: Instant) -> NaiveDate {
        if i.end {
            self.after(i.date)
        } else {
            self.on_or_after(i.date)
        }
    }

    /// The instant of boundary day `b`, on the side given: its start, or the end of the working
    /// day before it.
    pub fn instant(&self, b: NaiveDate, start_of_day: bool) -> Instant {
        if start_of_day {
            Instant {
                date: b,
                end: false,
            }
        } else {
            Instant {
                date: self.before(b),
                end: true,
            }
        }
    }
}

/// The start (`end` false) or the end of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    pub date: NaiveDate,
    pub end: bool,
}

// ----- the network as the rules read it ---------------------------------------------------------

/// A project or milestone: `Item::P(i)` is `portfolio.projects[i]`, `Item::M(i)` a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    P(usize),
    M(usize),
}

/// A dependency between two pieces of work, programmes expanded.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub pred: Node,
    pub succ: Node,
    pub kind: LinkKind,
    pub lag: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotStarted,
    InProgress { remaining: i64 },
    Finished,
}

/// What the rules compute for one project or milestone, on its own calendar.
#[derive(Debug, Clone, Copy)]
pub struct Dates {
    pub state: State,
    /// Boundary days: early start and finish, late start and finish.
    pub es: NaiveDate,
    pub ef: NaiveDate,
    pub ls: NaiveDate,
    pub lf: NaiveDate,
    /// For a milestone: at the start of its boundary day (else at the end of the day before).
    pub sod: bool,
    /// Where the remaining work of work in progress resumes (its start otherwise).
    pub resume: NaiveDate,
    pub total_float: i64,
    pub free_float: i64,
}

/// The reference's view of a portfolio: calendars, nodes, links, programme work.
pub struct Net<'a> {
    pub p: &'a Portfolio,
    pub cals: Vec<Cal>,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

/// Whether programme `g` holds `item`'s programme `inner`, at any depth.
fn inside(p: &Portfolio, inner: Option<ProgrammeId>, g: ProgrammeId) -> bool {
    let mut at = inner;
    while let Some(x) = at {
        if x == g {
            return true;
        }
        at = p.programmes[x.0 as usize].parent;
    }
    false
}

impl<'a> Net<'a> {
    pub fn new(p: &'a Portfolio) -> Net<'a> {
        let cals = (0..p.calendars.len())
            .map(|i| Cal::of(&p.calendars, CalendarId(i as u32)))
            .collect();
        let nodes: Vec<Node> = (0..p.projects.len())
            .map(Node::P)
            .chain((0..p.milestones.len()).map(Node::M))
            .collect();
        let mut net = Net {
            p,
            cals,
            nodes,
            links: Vec::new(),
        };
        for &n in &net.nodes.clone() {
            let deps = match n {
                Node::P(i) => &p.projects[i].dependencies,
                Node::M(i) => &p.milestones[i].dependencies,
            };
            for dep in deps.iter() {
                for pred in net.targets(dep.predecessor) {
                    net.links.push(Link {
                        pred,
                        succ: n,
                        kind: dep.kind,
                        lag: i64::from(dep.lag_days),
                    });
                }
            }
        }
        net
    }

    /// "A dependency on a programme is a dependency on all of its work": every project and
    /// milestone inside it, at any depth (a milestone declared in a project is in the
    /// project's programme), except "a milestone tied to its project (`at start` or `at
    /// finish`), a label of that project, which the project stands for".
    pub fn targets(&self, item: ItemId) -> Vec<Node> {
        match item {
            ItemId::Project(x) => vec![Node::P(x.0 as usize)],
            ItemId::Milestone(x) => vec![Node::M(x.0 as usize)],
            ItemId::Programme(g) => self
                .nodes
                .iter()
                .copied()
                .filter(|&n| self.tie(n).is_none())
                .filter(|&n| inside(self.p, self.programme_of(n), g))
                .collect(),
        }
    }

    pub fn programme_of(&self, n: Node) -> Option<ProgrammeId> {
        match n {
            Node::P(i) => self.p.projects[i].programme,
            Node::M(i) => {
                let m = &self.p.milestones[i];
                m.programme.or_else(|| {
                    m.project
                        .and_then(|x| self.p.projects[x.0 as usize].programme)
                })
            }
        }
    }

    /// "A project's dates are on its own calendar (`calendar` in the project, else the
    /// portfolio's). A milestone uses its project's calendar, or the portfolio's."
    pub fn cal(&self, n: Node) -> &Cal {
        let id = match n {
            Node::P(i) => self.p.projects[i].calendar,
            Node::M(i) => match self.p.milestones[i].project {
                Some(x) => self.p.projects[x.0 as usize].calendar,
                None => self.p.calendar,
            },
        };
        &self.cals[id.0 as usize]
    }

    pub fn duration(&self, n: Node) -> i64 {
        match n {
            Node::P(i) => i64::from(self.p.projects[i].duration.likely_days),
            Node::M(_) => 0,
        }
    }

    /// The project a milestone is tied to (`at start` / `at finish`), with the tie.
    pub fn tie(&self, n: Node) -> Option<(Node, MilestoneTiming)> {
        let Node::M(i) = n else { return None };
        let m = &self.p.milestones[i];
        match m.timing {
            MilestoneTiming::AtStart | MilestoneTiming::AtFinish => {
                Some((Node::P(m.project?.0 as usize), m.timing))
            }
            MilestoneTiming::On(_) | MilestoneTiming::Free => None,
        }
    }

    /// Milestones tied to project `n`.
    pub fn tied_to(&self, n: Node) -> Vec<Node> {
        self.nodes
            .iter()
            .copied()
            .filter(|&m| self.tie(m).is_some_and(|(x, _)| x == n))
            .collect()
    }

    /// What must be placed before `n`: its links' predecessors and the project it is tied to.
    fn before(&self, n: Node) -> Vec<Node> {
        let mut v: Vec<Node> = self
            .links
            .iter()
            .filter(|l| l.succ == n)
            .map(|l| l.pred)
            .collect();
        v.extend(self.tie(n).map(|(x, _)| x));
        v
    }

    /// Items in an order that puts what each waits for first, found by repeatedly taking
    /// whatever has everything it waits for placed.
    pub fn order(&self) -> Vec<Node> {
        let mut placed: BTreeSet<Node> = BTreeSet::new();
        let mut order = Vec::new();
        while order.len() < self.nodes.len() {
            let before = order.len();
            for &n in &self.nodes {
                if !placed.contains(&n) && self.before(n).iter().all(|x| placed.contains(x)) {
                    placed.insert(n);
                    order.push(n);
                }
            }
            assert!(order.len() > before, "reference: the plan has a cycle");
        }
        order
    }
}

// ----- the rules ---------------------------------------------------------------------------------

/// The reference schedule: every item's dates, and what the critical path must look like.
pub struct Reference<'a> {
    pub net: Net<'a>,
    pub dates: BTreeMap<Node, Dates>,
    /// For each node, the links (indices into `net.links`) that set its early dates; empty
    /// when a constraint did.
    pub drivers: BTreeMap<Node, Vec<usize>>,
    pub finish_instant: Instant,
}

/// A value with what set it, for the forward pass's driving links.
#[derive(Debug, Clone)]
struct Best<T: Ord + Copy> {
    value: Option<T>,
    links: Vec<usize>,
}

impl<T: Ord + Copy> Best<T> {
    fn new() -> Self {
        Best {
            value: None,
            links: Vec::new(),
        }
    }

    /// A constraint: wins only when strictly later.
    fn constraint(&mut self, v: T) {
        if self.value.is_none_or(|x| v > x) {
            self.value = Some(v);
            self.links.clear();
        }
    }

    /// "A link wins a tie with a constraint": links equal to the best are all drivers.
    fn link(&mut self, v: T, l: usize) {
        match self.value {
            Some(x) if v < x => {}
            Some(x) if v == x => self.links.push(l),
            _ => {
                self.value = Some(v);
                self.links = vec![l];
            }
        }
    }
}

impl<'a> Reference<'a> {
    pub fn compute(p: &'a Portfolio) -> Reference<'a> {
        let net = Net::new(p);
        let mut r = Reference {
            net,
            dates: BTreeMap::new(),
            drivers: BTreeMap::new(),
            finish_instant: Instant {
                date: p.start,
                end: false,
            },
        };
        let order = r.net.order();
        for &n in &order {
            r.early(n);
        }
        r.finish_instant = r.plan_finish();
        for &n in order.iter().rev() {
            r.late(n);
        }
        r.tied_late();
        for &n in &order {
            r.total_float(n);
        }
        for &n in &order {
            r.free_float(n);
        }
        r
    }

    fn d(&self, n: Node) -> Dates {
        self.dates[&n]
    }

    /// The instant at which `n` starts ("a start is the beginning of its first day"; a
    /// milestone is its own instant).
    pub fn start_instant(&self, n: Node) -> Instant {
        self.item_instant(n, true)
    }

    /// The instant at which `n` finishes ("a finish is the end of its last day").
    pub fn finish_instant(&self, n: Node) -> Instant {
        self.item_instant(n, false)
    }

    /// The instant at which `n` starts (`start`) or finishes: a project at the start of its
    /// early start's day or the end of its early finish's; a milestone whichever its dates say.
    fn item_instant(&self, n: Node, start: bool) -> Instant {
        let d = self.d(n);
        let sod = match n {
            Node::P(_) => start,
            Node::M(_) => d.sod,
        };
        self.net
            .cal(n)
            .instant(if start { d.es } else { d.ef }, sod)
    }

    /// docs/scheduling.md "Links": the predecessor's boundary (its start for SS and SF, its
    /// finish for FS and FF) converted through dates to the successor's calendar, then the lag
    /// counted on the successor's calendar. Returns the boundary day and, for milestones, the
    /// instant's side: "anything reached through a lag" is at the end of a day, and "the end
    /// of a day that is not a working day of the milestone's calendar moves forward to the
    /// start of the next working day".
    fn link_bound(&self, l: &Link) -> (NaiveDate, bool) {
        let sc = self.net.cal(l.succ);
        let i = match l.kind {
            LinkKind::FinishToStart | LinkKind::FinishToFinish => self.finish_instant(l.pred),
            LinkKind::StartToStart | LinkKind::StartToFinish => self.start_instant(l.pred),
        };
        let b = sc.boundary(i);
        let sod = !i.end || !sc.is_working(i.date);
        (sc.shift(b, l.lag), sod && l.lag == 0)
    }

    fn early(&mut self, n: Node) {
        match n {
            Node::P(_) => self.early_project(n),
            Node::M(_) => self.early_milestone(n),
        }
    }

    /// docs/scheduling.md "Early dates" and "Progress at the status date", for a project.
    fn early_project(&mut self, n: Node) {
        let Node::P(i) = n else { unreachable!() };
        let p = self.net.p;
        let project = &p.projects[i];
        let c = self.net.cal(n).clone();
        let dur = self.net.duration(n);
        let progress = project.progress();
        let links: Vec<usize> = (0..self.net.links.len())
            .filter(|&l| self.net.links[l].succ == n)
            .collect();
        // "Finished work (`actual-finish`) keeps its actual dates."
        if let Some(af) = progress.actual_finish {
            let ef = c.after(c.on_or_before(af.date));
            let es = progress
                .actual_start
                .map_or(ef, |a| c.on_or_after(a.date))
                .min(ef);
            self.set_early(n, State::Finished, es, ef, es, Vec::new());
            return;
        }
        if let Some(a) = progress.actual_start {
            // "Work in progress keeps its actual start. Its remaining duration is
            // D × (1 - complete), rounded up ... scheduled from the status date." Retained
            // logic: every FS predecessor (plus lag) holds where it resumes; SS are ignored;
            // FF and SF still hold its finish.
            let es = c.on_or_after(a.date);
            let complete = progress.complete.map_or(0, |x| x.0);
            let remaining = (dur * (10_000 - complete) + 9_999) / 10_000;
            let status = p.status_date.expect("progress needs a status date");
            let mut resume = Best::new();
            resume.constraint(c.on_or_after(status));
            let mut finish = Best::new();
            for &l in &links {
                let link = self.net.links[l];
                let (b, _) = self.link_bound(&link);
                match link.kind {
                    LinkKind::FinishToStart => resume.link(b, l),
                    LinkKind::StartToStart => {}
                    LinkKind::FinishToFinish | LinkKind::StartToFinish => finish.link(b, l),
                }
            }
            let resume_at = resume.value.expect("status").max(es);
            let by_work = c.shift(resume_at, remaining);
            let (ef, drivers) = match finish.value {
                Some(f) if f >= by_work => (f, finish.links),
                _ => (by_work, resume.links),
            };
            self.set_early(
                n,
                State::InProgress { remaining },
                es,
                ef,
                resume_at,
                drivers,
            );
            return;
        }
        // Not started (`complete` without `actual-start` too): the largest of the portfolio
        // start, `not-before`, the status date and every link's bound; FF and SF bounds on the
        // finish become start bounds by subtracting the duration.
        let mut start = Best::new();
        start.constraint(c.on_or_after(p.start));
        if let Some(nb) = project.not_before() {
            start.constraint(c.on_or_after(nb.date));
        }
        if let Some(s) = p.status_date {
            start.constraint(c.on_or_after(s));
        }
        for &l in &links {
            let link = self.net.links[l];
            let (b, _) = self.link_bound(&link);
            match link.kind {
                LinkKind::FinishToStart | LinkKind::StartToStart => start.link(b, l),
                LinkKind::FinishToFinish | LinkKind::StartToFinish => {
                    start.link(c.shift(b, -dur), l)
                }
            }
        }
        let es = start.value.expect("the portfolio start");
        self.set_early(n, State::NotStarted, es, c.shift(es, dur), es, start.links);
    }

    fn set_early(
        &mut self,
        n: Node,
        state: State,
        es: NaiveDate,
        ef: NaiveDate,
        resume: NaiveDate,
        drivers: Vec<usize>,
    ) {
        self.dates.insert(
            n,
            Dates {
                state,
                es,
                ef,
                ls: es,
                lf: ef,
                sod: false,
                resume,
                total_float: 0,
                free_float: 0,
            },
        );
        self.drivers.insert(n, drivers);
    }

    /// docs/scheduling.md "Milestones": an instant, the latest of what holds it; an actual
    /// date or `on DATE` at the end of that day (or of the last working day before it); `at
    /// start`/`at finish` the start or finish of its project; otherwise the start of the
    /// plan's first working day, or of the status date, or what its links give.
    fn early_milestone(&mut self, n: Node) {
        let Node::M(i) = n else { unreachable!() };
        let p = self.net.p;
        let m = &p.milestones[i];
        let c = self.net.cal(n).clone();
        let end_of = |d: NaiveDate| (c.after(c.on_or_before(d)), false);
        let mut state = State::NotStarted;
        // Instants compare as (boundary day, at its start): the start of day B is later than
        // the end of the day before, though the same point in working time.
        let mut at: Best<(NaiveDate, bool)> = Best::new();
        if let Some(a) = m.actual() {
            // "A milestone with `actual-finish` is finished."
            at.constraint(end_of(a.date));
            state = State::Finished;
        } else {
            match m.timing {
                MilestoneTiming::On(d) => at.constraint(end_of(d)),
                MilestoneTiming::AtStart | MilestoneTiming::AtFinish => {
                    let (project, tie) = self.net.tie(n).expect("tied");
                    let pd = self.d(project);
                    // "one `at finish` of finished work or `at start` of started work" has
                    // happened.
                    if tie == MilestoneTiming::AtStart {
                        at.constraint((pd.es, true));
                        if pd.state != State::NotStarted {
                            state = State::Finished;
                        }
                    } else {
                        at.constraint((pd.ef, false));
                        if pd.state == State::Finished {
                            state = State::Finished;
                        }
                    }
                }
                MilestoneTiming::Free => {
                    at.constraint((c.on_or_after(p.start), true));
                    if let Some(s) = p.status_date {
                        at.constraint((c.on_or_after(s), true));
                    }
                    for l in 0..self.net.links.len() {
                        if self.net.links[l].succ == n {
                            let link = self.net.links[l];
                            at.link(self.link_bound(&link), l);
                        }
                    }
                }
            }
        }
        let (b, sod) = at.value.expect("a milestone is placed");
        self.set_early(n, state, b, b, b, at.links);
        if let Some(d) = self.dates.get_mut(&n) {
            d.sod = sod;
        }
    }

    /// The date an item finishes on as docs/json.md shows it: a project's last day of work, a
    /// milestone's day.
    pub fn finish_date(&self, n: Node) -> NaiveDate {
        let d = self.d(n);
        let c = self.net.cal(n);
        match n {
            Node::M(_) if d.sod => d.ef,
            Node::M(_) => c.before(d.ef),
            Node::P(_) if d.ef > d.es => c.before(d.ef),
            Node::P(_) => d.es,
        }
    }

    /// The finish of node `n` as an instant for "the portfolio's finish".
    fn shown_finish_instant(&self, n: Node) -> Instant {
        let sod = matches!(n, Node::M(_)) && self.d(n).sod;
        Instant {
            date: self.finish_date(n),
            end: !sod,
        }
    }

    /// "the portfolio's finish (the latest early finish of any work)", where "a label (a
    /// milestone tied to its project) is not work of its own: its project stands for it".
    fn plan_finish(&self) -> Instant {
        self.net
            .nodes
            .iter()
            .filter(|&&n| self.net.tie(n).is_none())
            .map(|&n| self.shown_finish_instant(n))
            .max()
            .unwrap_or(Instant {
                date: self.net.p.start,
                end: false,
            })
    }

    /// The latest boundary day `b` on `n`'s calendar whose instant (on the side given)
    /// converted to `succ`'s calendar and moved by `lag` there is at most `y`: the backward
    /// pass's inversion of [`Reference::link_bound`], found by walking day by day.
    fn latest(&self, n: Node, start_of_day: bool, succ: Node, lag: i64, y: NaiveDate) -> NaiveDate {
        let c = self.net.cal(n);
        let sc = self.net.cal(succ);
        let ok = |b: NaiveDate| sc.shift(sc.boundary(c.instant(b, start_of_day)), lag) <= y;
        let mut b = c.on_or_before(y);
        if ok(b) {
            while ok(c.after(b)) {
                b = c.after(b);
            }
        } else {
            while !ok(b) {
                b = c.before(b);
            }
        }
        b
    }

    /// The side of `n`'s start (`start` true) or finish as an instant: a project starts at the
    /// start of a day and finishes at the end of one; a milestone is its own instant.
    fn side(&self, n: Node, start: bool) -> bool {
        match n {
            Node::P(_) => start,
            Node::M(_) => self.d(n).sod,
        }
    }

    /// The duration the late dates keep between start and finish: the remaining duration of
    /// work in progress, the whole of anything else.
    fn kept(&self, n: Node) -> i64 {
        match self.d(n).state {
            State::InProgress { remaining } => remaining,
            _ => self.net.duration(n),
        }
    }

    /// docs/scheduling.md "Late dates": the late finish is the smallest of the portfolio's
    /// finish, the item's deadline (the end of that day) and every unfinished successor's
    /// link bound; `LS = LF - D`. Finished work has no late dates of its own. A tied
    /// milestone bounds its project (they move together; see [`Reference::tied_late`]).
    fn late(&mut self, n: Node) {
        let d = self.d(n);
        if d.state == State::Finished {
            return;
        }
        let p = self.net.p;
        let c = self.net.cal(n).clone();
        let mut lf = c.boundary(self.finish_instant);
        let deadline = match n {
            Node::P(i) => p.projects[i].deadline,
            Node::M(i) => p.milestones[i].deadline,
        };
        if let Some(dl) = deadline {
            lf = lf.min(c.after(c.on_or_before(dl.date)));
        }
        let started = matches!(d.state, State::InProgress { .. });
        let links: Vec<Link> = self
            .net
            .links
            .iter()
            .filter(|l| l.pred == n)
            .copied()
            .collect();
        for l in links {
            let s = self.d(l.succ);
            if s.state == State::Finished {
                continue;
            }
            let succ_started = matches!(s.state, State::InProgress { .. });
            if let Some(b) = self.late_link_bound(n, &l, started, succ_started) {
                lf = lf.min(b);
            }
        }
        // A project's tied milestones: their own bounds hold the project (at start: its start).
        for m in self.net.tied_to(n) {
            let md = self.d(m);
            if md.state == State::Finished {
                continue;
            }
            let ml = self.milestone_own_late(m);
            let (_, tie) = self.net.tie(m).expect("tied");
            let bound = match tie {
                MilestoneTiming::AtStart if !started => c.shift(ml, self.kept(n)),
                MilestoneTiming::AtStart => continue,
                _ => ml,
            };
            lf = lf.min(bound);
        }
        let dm = self.dates.get_mut(&n).expect("dated");
        dm.lf = lf;
        let kept = match d.state {
            State::InProgress { remaining } => remaining,
            _ => self.net.duration(n),
        };
        // "its late start is shown as its actual start" for work in progress.
        dm.ls = if started { d.es } else { c.shift(lf, -kept) };
    }

    /// A tied milestone's late instant from its own bounds (plan finish, deadline, successors),
    /// before it is tied to its project.
    fn milestone_own_late(&self, m: Node) -> NaiveDate {
        let p = self.net.p;
        let c = self.net.cal(m);
        let mut lf = c.boundary(self.finish_instant);
        let Node::M(i) = m else { unreachable!() };
        if let Some(dl) = p.milestones[i].deadline {
            lf = lf.min(c.after(c.on_or_before(dl.date)));
        }
        for l in self.net.links.iter().filter(|l| l.pred == m) {
            let s = self.d(l.succ);
            if s.state == State::Finished {
                continue;
            }
            let succ_started = matches!(s.state, State::InProgress { .. });
            if let Some(b) = self.late_link_bound(m, l, false, succ_started) {
                lf = lf.min(b);
            }
        }
        lf
    }

    /// One successor link's bound on `n`'s late finish (docs/scheduling.md "Links" read
    /// backwards; retained logic: work in progress waits for its FS predecessors where its
    /// remaining work resumes, its SS predecessors are ignored, FF and SF hold its finish;
    /// work already started has no start left to hold by SS or SF).
    fn late_link_bound(
        &self,
        n: Node,
        l: &Link,
        started: bool,
        succ_started: bool,
    ) -> Option<NaiveDate> {
        let c = self.net.cal(n);
        let s = self.d(l.succ);
        match l.kind {
            LinkKind::FinishToStart => {
                let resume = match s.state {
                    State::InProgress { remaining } => self.net.cal(l.succ).shift(s.lf, -remaining),
                    _ => s.ls,
                };
                Some(self.latest(n, self.side(n, false), l.succ, l.lag, resume))
            }
            LinkKind::StartToStart => (!started && !succ_started).then(|| {
                c.shift(
                    self.latest(n, self.side(n, true), l.succ, l.lag, s.ls),
                    self.kept(n),
                )
            }),
            LinkKind::FinishToFinish => {
                Some(self.latest(n, self.side(n, false), l.succ, l.lag, s.lf))
            }
            LinkKind::StartToFinish => (!started).then(|| {
                c.shift(
                    self.latest(n, self.side(n, true), l.succ, l.lag, s.lf),
                    self.kept(n),
                )
            }),
        }
    }

    /// docs/scheduling.md "Milestones": "`at start` and `at finish` milestones are tied to
    /// their project both ways": their late instant is their project's late start or finish.
    fn tied_late(&mut self) {
        for n in self.net.nodes.clone() {
            let Some((project, tie)) = self.net.tie(n) else {
                continue;
            };
            if self.d(n).state == State::Finished {
                continue;
            }
            let pd = self.d(project);
            let v = match tie {
                MilestoneTiming::AtStart => pd.ls,
                _ => pd.lf,
            };
            let d = self.dates.get_mut(&n).expect("dated");
            d.lf = v;
            d.ls = v;
        }
    }

    /// "Total float = LF - EF in working days on the item's calendar"; finished work has none.
    fn total_float(&mut self, n: Node) {
        let d = self.d(n);
        if d.state == State::Finished {
            return;
        }
        let tf = self.net.cal(n).between(d.ef, d.lf);
        self.dates.get_mut(&n).expect("dated").total_float = tf;
    }

    /// How far `n` can slip, on its own calendar, before successor link `l`'s successor's
    /// early dates move (`None` when the link cannot move them: SS into started work, or SS
    /// and SF from started work). Into work in progress, only its early finish can move.
    fn slack(&self, n: Node, l: &Link) -> Option<i64> {
        let c = self.net.cal(n);
        let d = self.d(n);
        let s = self.d(l.succ);
        let started = matches!(d.state, State::InProgress { .. });
        let succ_started = matches!(s.state, State::InProgress { .. });
        match l.kind {
            LinkKind::FinishToStart => {
                // The latest its remaining work can resume without moving its early finish.
                let resume = match s.state {
                    State::InProgress { remaining } => self.net.cal(l.succ).shift(s.ef, -remaining),
                    _ => s.resume,
                };
                Some(c.between(
                    d.ef,
                    self.latest(n, self.side(n, false), l.succ, l.lag, resume),
                ))
            }
            LinkKind::StartToStart => (!started && !succ_started).then(|| {
                c.between(
                    d.es,
                    self.latest(n, self.side(n, true), l.succ, l.lag, s.es),
                )
            }),
            LinkKind::FinishToFinish => Some(c.between(
                d.ef,
                self.latest(n, self.side(n, false), l.succ, l.lag, s.ef),
            )),
            LinkKind::StartToFinish => (!started).then(|| {
                c.between(
                    d.es,
                    self.latest(n, self.side(n, true), l.succ, l.lag, s.ef),
                )
            }),
        }
    }

    /// docs/scheduling.md "Free float": the least slack to an unfinished successor (for a
    /// project, its tied milestones' successors count as its own; the tie itself does not),
    /// or up to the portfolio's finish with none; never negative, never more than a positive
    /// total float. A tied milestone has its project's.
    fn free_float(&mut self, n: Node) {
        let d = self.d(n);
        if d.state == State::Finished {
            return;
        }
        if let Some((project, _)) = self.net.tie(n) {
            let f = self.d(project).free_float;
            self.dates.get_mut(&n).expect("dated").free_float = f;
            return;
        }
        let mut from = vec![n];
        from.extend(
            self.net
                .tied_to(n)
                .into_iter()
                .filter(|&m| self.d(m).state != State::Finished),
        );
        let mut least: Option<i64> = None;
        for x in from {
            for l in self.net.links.iter().filter(|l| l.pred == x) {
                if self.d(l.succ).state == State::Finished {
                    continue;
                }
                if let Some(s) = self.slack(x, l) {
                    least = Some(least.map_or(s, |v| v.min(s)));
                }
            }
        }
        let c = self.net.cal(n);
        let ff = least
            .unwrap_or_else(|| c.between(d.ef, c.boundary(self.finish_instant)))
            .max(0)
            .min(d.total_float.max(0));
        self.dates.get_mut(&n).expect("dated").free_float = ff;
    }
}
