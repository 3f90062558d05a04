//! Grammar-aware plans: structured fuzzer input (via `arbitrary`) printed as tranche source, so
//! the fuzzer spends its time in validation, scheduling, money and the renderers rather than
//! in the parser's error paths.
//!
//! Input: an [`Input`] the fuzzer built from bytes. Output: plan text (plus up to two included
//! files). Invariant: ids come from a small fixed pool, so dependencies and `from` milestones
//! often name something that exists; numbers are unconstrained, so extremes are reached.
//!
//! Every rule of grammar/tranche.pest that can appear in a parse tree is produced by some
//! input: `tests/fuzz_corpus.rs` checks it and names any rule never reached, so a construct
//! added to the grammar must be added here too (and is then compared by the differential
//! target, `fuzz_targets/parse_differential.rs`). That includes the error rules: a few inputs
//! carry one [`FLAWS`] line (a bad line, a stray `}`, an unclosed block), and some spell
//! things the fast path leaves to pest (escapes in strings), lay the text out with tabs, CRLF,
//! lone CR or comments, or spell units and amounts in their other forms.

use arbitrary::Arbitrary;

const IDS: [&str; 8] = ["a", "b", "c", "d", "m1", "m2", "g", "h"];
const CALENDARS: [&str; 4] = ["england-and-wales", "weekdays", "cal", "nope"];
/// Every spelling of every unit (`duration_unit`); the first five are the common ones.
const UNITS: [&str; 12] = [
    "days", "weeks", "months", "years", "day", "week", "month", "year", "d", "w", "mo", "y",
];
/// Strings as users write them: plain, non-ASCII and HTML-ish (for the renderers), with the
/// escapes the grammar allows (which the fast path leaves to pest), and empty.
const TEXTS: [&str; 5] = [
    "Plain words",
    "Ö £ <b>&",
    "say \\\"hi\\\" \\\\ done",
    "",
    "# not a comment { }",
];
/// The lints that take a threshold, `profile`, and one that does not exist.
const LINTS: [&str; 6] = [
    "profile",
    "high-float",
    "long-lag",
    "long-duration",
    "non-fs-share",
    "hi-float",
];
/// Lines that are not well formed, one of which a few inputs carry somewhere: each reaches an
/// error rule of the grammar (`recover`, `top_recover`, `missing_rbrace`) and pest's reporting.
pub const FLAWS: [&str; 8] = [
    "this is not an attribute",
    "duration 3 parsecs",
    "}",
    "project unclosed {",
    "owner \"unterminated",
    "cost capital £1,,2",
    "after a.",
    "milestone m at",
];

/// A duration literal: `n unit`, or `nunit` (no space) when `unit`'s high bit is set.
fn duration(n: &Num, unit: u8) -> String {
    let name = UNITS[usize::from(unit) % UNITS.len()];
    if unit >= 128 {
        format!("{}{name}", n.text())
    } else {
        format!("{} {name}", n.text())
    }
}

/// A reference: mostly an id, sometimes `id.milestone` (the grammar's `dot`).
fn reference(i: u8) -> String {
    if i % 16 >= 12 {
        format!("{}.{}", id(i), id(i / 16))
    } else {
        id(i).to_string()
    }
}

/// A quoted string from [`TEXTS`].
fn text(i: u8) -> String {
    format!("\"{}\"", TEXTS[usize::from(i) % TEXTS.len()])
}

/// A financial year such as `2021/22`, around the plans' usual years.
fn financial_year(year: u8) -> String {
    let y = 2015 + u32::from(year % 25);
    format!("{y}/{:02}", (y + 1) % 100)
}

/// A percentage: whole or with decimals, sometimes past 100.
fn percent(p: u16) -> String {
    if p % 3 == 0 {
        format!("{}.{}%", (p / 3) % 150, p % 10)
    } else {
        format!("{}%", p % 150)
    }
}

/// `allow` and its codes (the grammar's `lint_code`), with or without commas between them.
fn allow(codes: &[u8]) -> String {
    let mut s = String::from("allow");
    for (n, code) in codes.iter().take(4).enumerate() {
        if n > 0 && code % 2 == 0 {
            s.push(',');
        }
        s.push_str(&format!(" W{}", 100 + code % 16));
    }
    if codes.is_empty() {
        s.push_str(" W107");
    }
    s
}

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
    /// Mostly `£`; sometimes `$` or `€`, and sometimes thousands written with commas.
    style: u8,
}

impl Amount {
    fn text(&self) -> String {
        let suffix = ["", "k", "m", "bn"][usize::from(self.suffix % 4)];
        let symbol = match self.style % 8 {
            6 => "$",
            7 => "€",
            _ => "£",
        };
        let mut value = self.value.text();
        if self.style >= 128 {
            // `12,500`: a comma before each group of three digits from the right.
            let digits: Vec<char> = value.chars().collect();
            value = String::new();
            for (n, c) in digits.iter().enumerate() {
                if n > 0 && (digits.len() - n) % 3 == 0 {
                    value.push(',');
                }
                value.push(*c);
            }
        }
        match self.pence {
            Some(p) => format!("{symbol}{value}.{:02}{suffix}", p % 100),
            None => format!("{symbol}{value}{suffix}"),
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
            When::Milestone(i) => reference(*i),
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
    /// `cost capital AMOUNT [range LOW to HIGH]`.
    CostCapital(Amount, Option<(Amount, Amount)>),
    CostRevenue(Amount, When, Option<Num>),
    CostOneOff(Amount, When),
    Saving {
        amount: Amount,
        from: When,
        ramp: Option<Num>,
        years: Option<Num>,
        range: Option<(Amount, Amount)>,
        /// `owner` and `measure` on the line (the benefits register).
        owner: Option<u8>,
        measure: Option<u8>,
    },
    Benefit(Amount, When, Option<u8>),
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
    Owner(u8),
    Tags(Vec<u8>),
    Description(u8),
    Allow(Vec<u8>),
    OptimismBias(u16),
    /// `confidence LEVEL "commentary"` (one level in six is not a level).
    Confidence(u8, u8),
    /// `needs TEAM N` (hundredths; a team in four is not declared).
    Needs(u8, u16),
    Priority(u8),
    /// `cost capital AMOUNT at WHEN`, or `from WHEN to WHEN` with a second anchor (the
    /// grammar's `capital_timing`).
    CostCapitalTimed(Amount, When, Option<When>),
    /// `spent capital|revenue AMOUNT in FY` (`revenue` when the flag is set).
    Spent(bool, Amount, u8),
    /// `realised saving AMOUNT in FY`, or `realised benefit "…" AMOUNT in FY` with a label.
    Realised(Option<u8>, Amount, u8),
    /// A comment line (with a brace and a quote the parser must ignore).
    Comment,
    /// `score NAME N ...` (a name in four is not a declared criterion).
    Score(Vec<(u8, u8)>),
    /// `mandatory`.
    Mandatory,
}

/// Criterion names: three the plan may declare, and one it never does.
const CRITERIA: [&str; 4] = ["strategic", "deliverability", "savings", "unknown"];

/// An edit of a `scenario`: `remove`, `keep`, `change ID { ... }` or `change portfolio`.
#[derive(Debug, Arbitrary)]
pub enum ScenarioEdit {
    Remove(Vec<u8>),
    Keep(Vec<u8>),
    Change(u8, Vec<Attr>),
    /// `change portfolio { budget capital AMOUNT in FY }`.
    ChangePortfolio(Amount, u8),
}

impl ScenarioEdit {
    fn text(&self, pad: &str) -> String {
        let names = |ids: &[u8]| -> String {
            let mut names: Vec<&str> = ids.iter().take(4).map(|i| id(*i)).collect();
            if names.is_empty() {
                names.push(id(0));
            }
            names.join(", ")
        };
        match self {
            ScenarioEdit::Remove(ids) => format!("{pad}remove {}\n", names(ids)),
            ScenarioEdit::Keep(ids) => format!("{pad}keep {}\n", names(ids)),
            ScenarioEdit::Change(i, attrs) => {
                let mut text = format!("{pad}change {} {{\n", id(*i));
                for attr in attrs.iter().take(4) {
                    text.push_str(&format!("{pad}  {}\n", attr.text()));
                }
                text.push_str(&format!("{pad}}}\n"));
                text
            }
            ScenarioEdit::ChangePortfolio(amount, year) => format!(
                "{pad}change portfolio {{\n{pad}  budget capital {} in {}\n{pad}}}\n",
                amount.text(),
                financial_year(*year)
            ),
        }
    }
}

/// A team: which of [`TEAMS`], its size, and a change of size from a date.
type TeamGen = (u8, u16, Option<(Date, u16)>);

/// Team ids: three the plan may declare, and one it never does.
const TEAMS: [&str; 4] = ["ict", "analysts", "practice", "nobody"];

/// People as written: whole, with decimals, sometimes zero or with too many decimals.
fn people(n: u16) -> String {
    match n % 5 {
        0 => format!("{}", n / 50),
        1 => format!("{}.5", n / 100),
        2 => format!("{}.25", n / 200),
        3 => format!("{}.125", n / 300),
        _ => format!("{}", n % 7),
    }
}

/// A delivery confidence level, sometimes one that is not.
fn confidence(level: u8, commentary: u8) -> String {
    let level = [
        "green",
        "amber-green",
        "amber",
        "amber-red",
        "red",
        "purple",
    ][usize::from(level) % 6];
    format!("confidence {level} {}", text(commentary))
}

fn id(i: u8) -> &'static str {
    IDS[usize::from(i) % IDS.len()]
}

impl Attr {
    fn text(&self) -> String {
        match self {
            Attr::Duration(n, unit, range) => {
                let mut s = format!("duration {}", duration(n, *unit));
                if let Some((lo, hi)) = range {
                    // The low end leaves its unit to the high end's, as users write it.
                    s.push_str(&format!(" range {} to {}", lo.text(), duration(hi, *unit)));
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
                let names: Vec<String> = targets.iter().take(4).map(|t| reference(*t)).collect();
                s.push_str(&if names.is_empty() {
                    "a".to_string()
                } else {
                    names.join(", ")
                });
                if let Some((lead, n, unit)) = lag {
                    s.push_str(&format!(
                        " {} {}",
                        if *lead { "-" } else { "+" },
                        duration(n, *unit)
                    ));
                }
                s
            }
            Attr::NotBefore(d) => format!("not-before {}", d.text()),
            Attr::Deadline(d) => format!("deadline {}", d.text()),
            Attr::CostCapital(a, range) => match range {
                Some((lo, hi)) => format!(
                    "cost capital {} range {} to {}",
                    a.text(),
                    lo.text(),
                    hi.text()
                ),
                None => format!("cost capital {}", a.text()),
            },
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
                owner,
                measure,
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
                if let Some(t) = owner {
                    s.push_str(&format!(" owner {}", text(*t)));
                }
                if let Some(t) = measure {
                    s.push_str(&format!(" measure {}", text(*t)));
                }
                s
            }
            Attr::Benefit(a, w, measure) => {
                let mut s = format!("benefit \"Time\" {} per year from {}", a.text(), w.text());
                if let Some(t) = measure {
                    s.push_str(&format!(" measure {}", text(*t)));
                }
                s
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
            Attr::Owner(t) => format!("owner {}", text(*t)),
            Attr::Tags(tags) => {
                let tags: Vec<&str> = tags.iter().take(3).map(|t| id(*t)).collect();
                format!("tags [{}]", tags.join(", "))
            }
            Attr::Description(t) => format!("description {}", text(*t)),
            Attr::Allow(codes) => allow(codes),
            Attr::OptimismBias(p) => format!("optimism-bias capital {}", percent(*p)),
            Attr::Confidence(level, t) => confidence(*level, *t),
            Attr::Needs(team, n) => {
                format!("needs {} {}", TEAMS[usize::from(*team) % 4], people(*n))
            }
            Attr::Priority(n) => format!("priority {n}"),
            Attr::CostCapitalTimed(a, from, to) => match to {
                Some(to) => format!(
                    "cost capital {} from {} to {}",
                    a.text(),
                    from.text(),
                    to.text()
                ),
                None => format!("cost capital {} at {}", a.text(), from.text()),
            },
            Attr::Spent(revenue, a, year) => format!(
                "spent {} {} in {}",
                if *revenue { "revenue" } else { "capital" },
                a.text(),
                financial_year(*year)
            ),
            Attr::Realised(label, a, year) => match label {
                Some(t) => format!(
                    "realised benefit {} {} in {}",
                    text(*t),
                    a.text(),
                    financial_year(*year)
                ),
                None => format!("realised saving {} in {}", a.text(), financial_year(*year)),
            },
            Attr::Comment => "# a comment { \" }".into(),
            Attr::Score(entries) => {
                let mut text = "score".to_string();
                for (criterion, value) in entries.iter().take(4) {
                    let name = CRITERIA[usize::from(*criterion) % CRITERIA.len()];
                    text.push_str(&format!(" {name} {}", value % 7));
                }
                if entries.is_empty() {
                    text.push_str(" strategic 3");
                }
                text
            }
            Attr::Mandatory => "mandatory".into(),
        }
    }
}

/// What a risk or issue does to a project (the grammar's `impact_*` rules).
#[derive(Debug, Arbitrary)]
pub enum Impact {
    Delay(Num, u8, Option<(Num, u8)>),
    Cost(Amount, Option<Amount>),
    /// Each amount with whether it is written with a minus sign (a saving lost).
    Saving((bool, Amount), Option<(bool, Amount)>),
}

impl Impact {
    fn text(&self) -> String {
        let signed =
            |(minus, a): &(bool, Amount)| format!("{}{}", if *minus { "-" } else { "" }, a.text());
        match self {
            Impact::Delay(n, unit, high) => match high {
                Some((h, hu)) => format!("delay {} to {}", duration(n, *unit), duration(h, *hu)),
                None => format!("delay {}", duration(n, *unit)),
            },
            Impact::Cost(low, high) => match high {
                Some(h) => format!("cost capital {} to {}", low.text(), h.text()),
                None => format!("cost capital {}", low.text()),
            },
            Impact::Saving(low, high) => match high {
                Some(h) => format!("saving {} to {} per year", signed(low), signed(h)),
                None => format!("saving {} per year", signed(low)),
            },
        }
    }
}

/// An attribute of a RAID entry; any of them in any kind of entry, so the validator's
/// refusals are reached too.
#[derive(Debug, Arbitrary)]
pub enum RaidAttr {
    Probability(u16),
    Affects(u8, Impact),
    Mitigation(Option<u16>, Option<Amount>),
    Status(u8),
    Review(Date),
    Raised(Date),
    Due(Date),
    Until(Date),
    On(Date),
    By(u8),
    Owner(u8),
}

impl RaidAttr {
    fn text(&self) -> String {
        match self {
            RaidAttr::Probability(p) => format!("probability {}", percent(*p)),
            RaidAttr::Affects(target, impact) => {
                format!("affects {} {}", reference(*target), impact.text())
            }
            RaidAttr::Mitigation(p, cost) => {
                let mut s = String::from("mitigation \"Escrow\" {");
                if let Some(p) = p {
                    s.push_str(&format!(" probability {}", percent(*p)));
                }
                if let Some(cost) = cost {
                    s.push_str(&format!(" cost capital {}", cost.text()));
                }
                s.push_str(" }");
                s
            }
            RaidAttr::Status(s) => {
                format!(
                    "status {}",
                    ["open", "closed", "occurred", "done"][usize::from(*s) % 4]
                )
            }
            RaidAttr::Review(d) => format!("review {}", d.text()),
            RaidAttr::Raised(d) => format!("raised {}", d.text()),
            RaidAttr::Due(d) => format!("due {}", d.text()),
            RaidAttr::Until(d) => format!("until {}", d.text()),
            RaidAttr::On(d) => format!("on {}", d.text()),
            RaidAttr::By(t) => format!("by {}", text(*t)),
            RaidAttr::Owner(t) => format!("owner {}", text(*t)),
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
    /// `risk`, `issue`, `assumption` or `decision` (by `kind`), its title sometimes left out.
    Raid {
        kind: u8,
        id: u8,
        titled: bool,
        attrs: Vec<RaidAttr>,
    },
    /// `scenario sN "Option" { [baseline-option] [remove *] edits }`.
    Scenario {
        id: u8,
        baseline: bool,
        remove_all: bool,
        edits: Vec<ScenarioEdit>,
    },
}

#[derive(Debug, Arbitrary)]
pub struct Input {
    start: Date,
    end: Date,
    status: Option<Date>,
    calendar: Option<u8>,
    discount: Option<u16>,
    fy_start: Option<u8>,
    /// 0: `target savings`, 1: `budget capital`, otherwise `budget revenue`.
    targets: Vec<(u8, Amount, u8)>,
    rag: Option<(u16, u16)>,
    currency: Option<u8>,
    risk: Option<u8>,
    lints: Vec<(u8, LintValue)>,
    allow: Option<Vec<u8>>,
    optimism_bias: Option<u16>,
    /// `appraisal N UNIT` (any unit: the validator refuses working time).
    appraisal: Option<(Num, u8)>,
    description: Option<u8>,
    closed: Vec<(Date, Option<Date>)>,
    weekend: Vec<u8>,
    themes: bool,
    items: Vec<Item>,
    included: Vec<Item>,
    /// A [`FLAWS`] line inserted at line `flaw_at` of the root file, when `flaw` picks one
    /// (about one input in thirty, so most plans still get past the parser).
    flaw: u8,
    flaw_at: u16,
    layout: Layout,
    /// `report money NAME` (one name in four is not a scale).
    money: Option<u8>,
    confidence: Option<(u8, u8)>,
    teams: Vec<TeamGen>,
    /// `criteria { NAME N% ... }` (weights that may not add up to 100%).
    criteria: Option<Vec<(u8, u8)>>,
}

/// A lint threshold: a duration or a percentage, or a profile's name (`lint_setting`).
#[derive(Debug, Arbitrary)]
pub enum LintValue {
    Duration(Num, u8),
    Percent(u16),
    Name(u8),
}

/// How the text is laid out: the separators the grammar skips between tokens.
#[derive(Debug, Arbitrary)]
pub enum Layout {
    Plain,
    /// Windows line ends.
    Crlf,
    /// Old Mac line ends, a lone CR.
    Cr,
    /// Tabs for indentation.
    Tabs,
    /// A comment at the end of every line.
    Comments,
}

impl Layout {
    fn apply(&self, text: String) -> String {
        match self {
            Layout::Plain => text,
            Layout::Crlf => text.replace('\n', "\r\n"),
            Layout::Cr => text.replace('\n', "\r"),
            Layout::Tabs => text.replace("  ", "\t"),
            Layout::Comments => text.replace('\n', " # note \"{\n"),
        }
    }
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
        Item::Raid {
            kind,
            id: i,
            titled,
            attrs,
        } => {
            let keyword = ["risk", "issue", "assumption", "decision"][usize::from(*kind) % 4];
            let title = if *titled { " \"Entry\"" } else { "" };
            out.push_str(&format!("{pad}{keyword} r{}{title} {{\n", id(*i)));
            for attr in attrs.iter().take(8) {
                out.push_str(&format!("{pad}  {}\n", attr.text()));
            }
            out.push_str(&format!("{pad}}}\n"));
        }
        Item::Scenario {
            id: i,
            baseline,
            remove_all,
            edits,
        } => {
            out.push_str(&format!("{pad}scenario s{} \"Option\" {{\n", id(*i)));
            if *baseline {
                out.push_str(&format!("{pad}  baseline-option\n"));
            }
            if *remove_all {
                out.push_str(&format!("{pad}  remove *\n"));
            }
            for edit in edits.iter().take(4) {
                out.push_str(&edit.text(&format!("{pad}  ")));
            }
            out.push_str(&format!("{pad}}}\n"));
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
        for (kind, amount, year) in self.targets.iter().take(4) {
            let y = 2015 + u32::from(*year % 25);
            let fy = format!("{y}/{:02}", (y + 1) % 100);
            let what = match kind % 3 {
                0 => "target savings",
                1 => "budget capital",
                _ => "budget revenue",
            };
            // A target sometimes accepts its shortfall (the grammar's `accept_shortfall`).
            let accept = if kind % 3 == 0 && *year >= 128 {
                " accept shortfall \"Agreed by the Board\""
            } else {
                ""
            };
            out.push_str(&format!("  {what} {} in {fy}{accept}\n", amount.text()));
        }
        if let Some((amber, red)) = self.rag {
            out.push_str(&format!("  rag amber {amber} days red {red} days\n"));
            // The benefits register's thresholds, as shares (sometimes out of order or past
            // 100%, for the validator).
            if amber % 2 == 0 {
                out.push_str(&format!(
                    "  rag benefits amber {}% red {}%\n",
                    100 - amber % 40,
                    100 - red % 60
                ));
            }
        }
        if let Some(c) = self.currency {
            let code = ["GBP", "gbp", "USD", "EUR", "X9"][usize::from(c) % 5];
            out.push_str(&format!("  currency {code}\n"));
        }
        if let Some(r) = self.risk {
            let name = ["pert", "triangular", "normal"][usize::from(r) % 3];
            out.push_str(&format!("  risk distribution {name}\n"));
        }
        for (name, value) in self.lints.iter().take(5) {
            let name = LINTS[usize::from(*name) % LINTS.len()];
            let value = match value {
                LintValue::Duration(n, unit) => duration(n, *unit),
                LintValue::Percent(p) => percent(*p),
                LintValue::Name(n) => {
                    ["portfolio", "dcma", "dmca"][usize::from(*n) % 3].to_string()
                }
            };
            out.push_str(&format!("  lint {name} {value}\n"));
        }
        if let Some(codes) = &self.allow {
            out.push_str(&format!("  {}\n", allow(codes)));
        }
        if let Some(p) = self.optimism_bias {
            out.push_str(&format!("  optimism-bias capital {}\n", percent(p)));
        }
        if let Some(m) = self.money {
            let name = ["thousands", "millions", "pounds", "billions"][usize::from(m) % 4];
            out.push_str(&format!("  report money {name}\n"));
        }
        if let Some((level, t)) = self.confidence {
            out.push_str(&format!("  {}\n", confidence(level, t)));
        }
        if let Some((n, unit)) = &self.appraisal {
            out.push_str(&format!("  appraisal {}\n", duration(n, *unit)));
        }
        if let Some(t) = self.description {
            out.push_str(&format!("  description {}\n", text(t)));
        }
        out.push_str("}\n");
        for (t, size, change) in self.teams.iter().take(3) {
            out.push_str(&format!(
                "team {} \"Team\" {{\n  size {}\n",
                TEAMS[usize::from(*t) % 3],
                people(*size)
            ));
            if let Some((from, size)) = change {
                out.push_str(&format!("  size {} from {}\n", people(*size), from.text()));
            }
            if t % 5 == 4 {
                out.push_str("  calendar weekdays\n");
            }
            out.push_str("}\n");
        }
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
        if let Some(criteria) = &self.criteria {
            out.push_str("criteria {\n");
            for (criterion, weight) in criteria.iter().take(4) {
                let name = CRITERIA[usize::from(*criterion) % CRITERIA.len()];
                out.push_str(&format!("  {name} {}%\n", weight % 101));
            }
            out.push_str("}\n");
        }
        for item in self.items.iter().take(24) {
            print_item(&mut out, item, 0);
        }
        let mut included = String::new();
        for item in self.included.iter().take(8) {
            print_item(&mut included, item, 0);
        }
        if let Some(flaw) = FLAWS.get(usize::from(self.flaw)) {
            let lines = out.lines().count();
            let at = usize::from(self.flaw_at) % (lines + 1);
            let mut flawed = String::with_capacity(out.len() + flaw.len() + 1);
            for (n, line) in out.lines().enumerate() {
                if n == at {
                    flawed.push_str(&format!("{flaw}\n"));
                }
                flawed.push_str(&format!("{line}\n"));
            }
            if at == lines {
                flawed.push_str(&format!("{flaw}\n"));
            }
            out = flawed;
        }
        (self.layout.apply(out), self.layout.apply(included))
    }
}
