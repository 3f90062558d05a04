//! Grammar-aware plans: structured fuzzer input (via `arbitrary`) printed as tranche source, so
//! the fuzzer spends its time in validation, scheduling, money and the renderers rather than
//! in the parser's error paths.
//!
//! Input: an [`Input`] the fuzzer built from bytes. Output: plan text (plus up to two included
//! files). Invariant: ids come from a small fixed pool, so dependencies and `from` milestones
//! often name something that exists; numbers are unconstrained, so extremes are reached.

use arbitrary::Arbitrary;

const IDS: [&str; 8] = ["a", "b", "c", "d", "m1", "m2", "g", "h"];
const CALENDARS: [&str; 4] = ["england-and-wales", "weekdays", "cal", "nope"];
const UNITS: [&str; 5] = ["days", "weeks", "months", "years", "day"];

/// A number that tends to be small but can be anything.
#[derive(Debug, Arbitrary)]
pub enum Num {
    Small(u8),
    Big(u32),
    Huge(u64),
}

impl Num {
    fn text(&self) -> String {
        match self {
            Num::Small(n) => n.to_string(),
            Num::Big(n) => n.to_string(),
            Num::Huge(n) => n.to_string(),
        }
    }
}

/// A date: mostly plausible years, sometimes far outside 1900-2200.
#[derive(Debug, Arbitrary)]
pub struct Date {
    year: i16,
    month: u8,
    day: u8,
    plausible: bool,
}

impl Date {
    /// The year a plausible date falls in (2015-2034).
    fn plausible_year(&self) -> i32 {
        2015 + i32::from(self.year).rem_euclid(20)
    }

    /// As [`Date::text`], but a plausible end falls 1 to 10 years after a plausible `start`,
    /// so most generated plans have a valid window and reach the scheduler.
    fn text_after(&self, start: &Date) -> String {
        if self.plausible && start.plausible {
            let year = start.plausible_year() + 1 + i32::from(self.year).rem_euclid(10);
            format!(
                "{year:04}-{:02}-{:02}",
                1 + self.month % 12,
                1 + self.day % 28
            )
        } else {
            self.text()
        }
    }

    fn text(&self) -> String {
        if self.plausible {
            let year = self.plausible_year();
            format!(
                "{year:04}-{:02}-{:02}",
                1 + self.month % 12,
                1 + self.day % 28
            )
        } else {
            format!(
                "{:04}-{:02}-{:02}",
                self.year.unsigned_abs(),
                self.month,
                self.day
            )
        }
    }
}

#[derive(Debug, Arbitrary)]
pub struct Amount {
    value: Num,
    suffix: u8,
    pence: Option<u8>,
}

impl Amount {
    fn text(&self) -> String {
        let suffix = ["", "k", "m", "bn"][usize::from(self.suffix % 4)];
        match self.pence {
            Some(p) => format!("£{}.{:02}{suffix}", self.value.text(), p % 100),
            None => format!("£{}{suffix}", self.value.text()),
        }
    }
}

#[derive(Debug, Arbitrary)]
pub enum When {
    Start,
    Finish,
    Milestone(u8),
    On(Date),
}

impl When {
    fn text(&self) -> String {
        match self {
            When::Start => "start".into(),
            When::Finish => "finish".into(),
            When::Milestone(i) => id(*i).into(),
            When::On(d) => d.text(),
        }
    }
}

#[derive(Debug, Arbitrary)]
pub enum Attr {
    Duration(Num, u8, Option<(Num, Num)>),
    After {
        start_of: bool,
        finishes: bool,
        targets: Vec<u8>,
        lag: Option<(bool, Num, u8)>,
    },
    NotBefore(Date),
    Deadline(Date),
    CostCapital(Amount),
    CostRevenue(Amount, When, Option<Num>),
    CostOneOff(Amount, When),
    Saving {
        amount: Amount,
        from: When,
        ramp: Option<Num>,
        years: Option<Num>,
        range: Option<(Amount, Amount)>,
    },
    Benefit(Amount, When),
    ActualStart(Date),
    ActualFinish(Date),
    Complete(u16),
    Baseline(Date, Date),
    Calendar(u8),
    Theme(u8),
    Milestone {
        id: u8,
        at_start: bool,
    },
    Owner,
    Tags(Vec<u8>),
}

fn id(i: u8) -> &'static str {
    IDS[usize::from(i) % IDS.len()]
}

impl Attr {
    fn text(&self) -> String {
        match self {
            Attr::Duration(n, unit, range) => {
                let unit = UNITS[usize::from(*unit) % UNITS.len()];
                let mut s = format!("duration {} {unit}", n.text());
                if let Some((lo, hi)) = range {
                    s.push_str(&format!(" range {} to {} {unit}", lo.text(), hi.text()));
                }
                s
            }
            Attr::After {
                start_of,
                finishes,
                targets,
                lag,
            } => {
                let mut s = String::new();
                if *finishes {
                    s.push_str("finishes ");
                }
                s.push_str("after ");
                if *start_of {
                    s.push_str("start of ");
                }
                let names: Vec<&str> = targets.iter().take(4).map(|t| id(*t)).collect();
                s.push_str(&if names.is_empty() {
                    "a".to_string()
                } else {
                    names.join(", ")
                });
                if let Some((lead, n, unit)) = lag {
                    let unit = UNITS[usize::from(*unit) % UNITS.len()];
                    s.push_str(&format!(
                        " {} {} {unit}",
                        if *lead { "-" } else { "+" },
                        n.text()
                    ));
                }
                s
            }
            Attr::NotBefore(d) => format!("not-before {}", d.text()),
            Attr::Deadline(d) => format!("deadline {}", d.text()),
            Attr::CostCapital(a) => format!("cost capital {}", a.text()),
            Attr::CostRevenue(a, w, years) => {
                let mut s = format!("cost revenue {} per year from {}", a.text(), w.text());
                if let Some(y) = years {
                    s.push_str(&format!(" for {} years", y.text()));
                }
                s
            }
            Attr::CostOneOff(a, w) => format!("cost one-off {} at {}", a.text(), w.text()),
            Attr::Saving {
                amount,
                from,
                ramp,
                years,
                range,
            } => {
                let mut s = format!("saving {} per year from {}", amount.text(), from.text());
                if let Some(r) = ramp {
                    s.push_str(&format!(" ramp {} months", r.text()));
                }
                if let Some(y) = years {
                    s.push_str(&format!(" for {} years", y.text()));
                }
                if let Some((lo, hi)) = range {
                    s.push_str(&format!(" range {} to {}", lo.text(), hi.text()));
                }
                s
            }
            Attr::Benefit(a, w) => {
                format!("benefit \"Time\" {} per year from {}", a.text(), w.text())
            }
            Attr::ActualStart(d) => format!("actual-start {}", d.text()),
            Attr::ActualFinish(d) => format!("actual-finish {}", d.text()),
            Attr::Complete(p) => format!("complete {}%", p % 130),
            Attr::Baseline(a, b) => format!("baseline {} to {}", a.text(), b.text()),
            Attr::Calendar(c) => {
                format!("calendar {}", CALENDARS[usize::from(*c) % CALENDARS.len()])
            }
            Attr::Theme(t) => format!("theme {}", ["t1", "t2", "zz"][usize::from(*t) % 3]),
            Attr::Milestone { id: m, at_start } => format!(
                "milestone {} \"M\" at {}",
                id(*m),
                if *at_start { "start" } else { "finish" }
            ),
            Attr::Owner => "owner \"Ö £ <b>&\"".into(),
            Attr::Tags(tags) => {
                let tags: Vec<&str> = tags.iter().take(3).map(|t| id(*t)).collect();
                format!("tags [{}]", tags.join(", "))
            }
        }
    }
}

#[derive(Debug, Arbitrary)]
pub enum Item {
    Project {
        id: u8,
        attrs: Vec<Attr>,
    },
    Milestone {
        id: u8,
        on: Option<Date>,
        attrs: Vec<Attr>,
    },
    Programme {
        id: u8,
        items: Vec<Item>,
    },
    Include(u8),
}

#[derive(Debug, Arbitrary)]
pub struct Input {
    start: Date,
    end: Date,
    status: Option<Date>,
    calendar: Option<u8>,
    discount: Option<u16>,
    fy_start: Option<u8>,
    targets: Vec<(bool, Amount, u8)>,
    rag: Option<(u16, u16)>,
    closed: Vec<(Date, Option<Date>)>,
    weekend: Vec<u8>,
    themes: bool,
    items: Vec<Item>,
    included: Vec<Item>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Prints `item` at `depth`, bounded so a generated plan never nests deeper than 8.
fn print_item(out: &mut String, item: &Item, depth: usize) {
    let pad = "  ".repeat(depth);
    match item {
        Item::Project { id: i, attrs } => {
            out.push_str(&format!(
                "{pad}project {} \"Project {}\" {{\n",
                id(*i),
                id(*i)
            ));
            for attr in attrs.iter().take(12) {
                out.push_str(&format!("{pad}  {}\n", attr.text()));
            }
            out.push_str(&format!("{pad}}}\n"));
        }
        Item::Milestone { id: i, on, attrs } => match on {
            Some(d) => out.push_str(&format!(
                "{pad}milestone {} \"M\" on {}\n",
                id(*i),
                d.text()
            )),
            None => {
                out.push_str(&format!("{pad}milestone {} \"M\" {{\n", id(*i)));
                for attr in attrs.iter().take(4) {
                    out.push_str(&format!("{pad}  {}\n", attr.text()));
                }
                out.push_str(&format!("{pad}}}\n"));
            }
        },
        Item::Programme { id: i, items } => {
            out.push_str(&format!("{pad}programme {} \"Programme\" {{\n", id(*i)));
            if depth < 8 {
                for inner in items.iter().take(8) {
                    print_item(out, inner, depth + 1);
                }
            }
            out.push_str(&format!("{pad}}}\n"));
        }
        Item::Include(n) => {
            let name = [
                "a.tranche",
                "plan.tranche",
                "../plans/a.tranche",
                "missing.tranche",
            ][usize::from(*n) % 4];
            out.push_str(&format!("{pad}include \"{name}\"\n"));
        }
    }
}

impl Input {
    /// The root file's text and the text of `a.tranche`.
    pub fn files(&self) -> (String, String) {
        let mut out = String::from("portfolio \"Fuzz\" {\n");
        out.push_str(&format!(
            "  start {}\n  end {}\n",
            self.start.text(),
            self.end.text_after(&self.start)
        ));
        if let Some(d) = &self.status {
            out.push_str(&format!("  status-date {}\n", d.text()));
        }
        if let Some(c) = self.calendar {
            out.push_str(&format!(
                "  calendar {}\n",
                CALENDARS[usize::from(c) % CALENDARS.len()]
            ));
        }
        if let Some(r) = self.discount {
            out.push_str(&format!("  discount-rate {}.{}%\n", r / 100, r % 100));
        }
        if let Some(m) = self.fy_start {
            out.push_str(&format!(
                "  financial-year-start {}\n",
                MONTHS[usize::from(m) % 12]
            ));
        }
        for (is_budget, amount, year) in self.targets.iter().take(4) {
            let y = 2015 + u32::from(*year % 25);
            let fy = format!("{y}/{:02}", (y + 1) % 100);
            if *is_budget {
                out.push_str(&format!("  budget capital {} in {fy}\n", amount.text()));
            } else {
                out.push_str(&format!("  target savings {} in {fy}\n", amount.text()));
            }
        }
        if let Some((amber, red)) = self.rag {
            out.push_str(&format!("  rag amber {amber} days red {red} days\n"));
        }
        out.push_str("}\n");
        if !self.closed.is_empty() || !self.weekend.is_empty() {
            out.push_str("calendar cal {\n  based-on england-and-wales\n");
            for (from, to) in self.closed.iter().take(6) {
                match to {
                    Some(to) => out.push_str(&format!(
                        "  closed {} to {} \"x\"\n",
                        from.text(),
                        to.text()
                    )),
                    None => out.push_str(&format!("  closed {} \"x\"\n", from.text())),
                }
            }
            if !self.weekend.is_empty() {
                let days: Vec<&str> = self
                    .weekend
                    .iter()
                    .take(7)
                    .map(|d| DAYS[usize::from(*d) % 7])
                    .collect();
                out.push_str(&format!("  weekend {}\n", days.join(" ")));
            }
            out.push_str("}\n");
        }
        if self.themes {
            out.push_str("theme t1 \"One\"\ntheme t2 \"Two\"\n");
        }
        for item in self.items.iter().take(24) {
            print_item(&mut out, item, 0);
        }
        let mut included = String::new();
        for item in self.included.iter().take(8) {
            print_item(&mut included, item, 0);
        }
        (out, included)
    }
}
