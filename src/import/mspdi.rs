//! Reading MSPDI: the XML to a [`Plan`], the shape of the tranche portfolio to write.
//!
//! Input: the XML text. Output: a [`Plan`] whose ids are valid and unique, whose references
//! all resolve, whose dates fit its window and 1900-2200, whose links make no circle and
//! whose outline nests no deeper than a plan may; W081 for what is left out, E080 (and no
//! plan) for a file that is not MSPDI or that no plan can hold. Invariant: the outline is read in one loop with a stack, never
//! by recursion, so a deeply nested file needs no stack of its own.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use roxmltree::{Document, Node};

use crate::calendar::{FIRST_DATE, LAST_DATE, WEEK_FROM_SUNDAY};
use crate::diagnostic::count::count;
use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::model::LinkKind;
use crate::money::Percent;

/// The plan to write, in the file's order.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status_date: Option<NaiveDate>,
    /// The portfolio's calendar, when not the default `england-and-wales`.
    pub calendar: Option<String>,
    pub currency: Option<&'static str>,
    pub financial_year_start: Option<u32>,
    pub calendars: Vec<Calendar>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub(crate) struct Calendar {
    pub id: String,
    pub based_on: &'static str,
    /// Written only when not Saturday and Sunday.
    pub weekend: Option<Vec<Weekday>>,
    pub closed: Vec<(NaiveDate, NaiveDate, Option<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Programme,
    Project,
    Milestone,
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    /// The programme it sits in (an index into `Plan::items`).
    pub parent: Option<usize>,
    /// A milestone at the start (`false`) or finish (`true`) of the project just before it.
    pub tied: Option<bool>,
    pub duration_days: u32,
    pub dependencies: Vec<Dependency>,
    pub not_before: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    /// A milestone fixed on this day.
    pub on: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_finish: Option<NaiveDate>,
    /// Percent complete of work in progress, exactly (hundredths of a percent).
    pub complete: Option<Percent>,
    pub baseline: Option<(NaiveDate, NaiveDate)>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub calendar: Option<String>,
    pub capital_pence: Option<i64>,
}

impl Item {
    /// The item of `task` with id `id`, before its duration, links, dates and money are read.
    fn of(task: &Task<'_, '_>, id: String) -> Item {
        let node = task.node;
        // A summary task with nothing under it is an empty programme still.
        let kind = if task.has_children || text(node, "Summary") == Some("1") {
            Kind::Programme
        } else if task.milestone {
            Kind::Milestone
        } else {
            Kind::Project
        };
        Item {
            id,
            title: name_of(node).to_string(),
            kind,
            parent: task.parent,
            tied: None,
            duration_days: 0,
            dependencies: Vec::new(),
            not_before: None,
            deadline: None,
            on: None,
            actual_start: None,
            actual_finish: None,
            complete: None,
            baseline: None,
            owner: text(node, "Contact")
                .map(one_line)
                .filter(|s| !s.is_empty()),
            description: text(node, "Notes").map(one_line).filter(|s| !s.is_empty()),
            calendar: None,
            capital_pence: None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Dependency {
    pub target: String,
    pub kind: LinkKind,
    pub lag_days: i64,
    /// The `PredecessorLink` it comes from (the first of a run collapsed into one).
    pub link: Option<Span>,
}

/// Words a name cannot be, since the grammar reads them as keywords.
const KEYWORDS: [&str; 53] = [
    "portfolio",
    "programme",
    "project",
    "milestone",
    "calendar",
    "theme",
    "include",
    "start",
    "end",
    "status-date",
    "currency",
    "discount-rate",
    "financial-year-start",
    "target",
    "savings",
    "in",
    "budget",
    "capital",
    "revenue",
    "one-off",
    "rag",
    "amber",
    "red",
    "based-on",
    "closed",
    "to",
    "weekend",
    "duration",
    "range",
    "finishes",
    "after",
    "of",
    "not-before",
    "deadline",
    "cost",
    "saving",
    "benefit",
    "per",
    "year",
    "from",
    "ramp",
    "for",
    "at",
    "on",
    "finish",
    "actual-start",
    "actual-finish",
    "complete",
    "baseline",
    "owner",
    "tags",
    "description",
    "weekdays",
];

/// The built-in calendar names, which imported calendars may not take.
const BUILT_IN: [&str; 2] = ["england-and-wales", "weekdays"];

/// A task as the file gives it, before ids and links are settled.
#[derive(Debug)]
struct Task<'a, 'input> {
    node: Node<'a, 'input>,
    uid: String,
    level: usize,
    parent: Option<usize>,
    has_children: bool,
    milestone: bool,
}

/// The outline as it is read: the tasks placed so far and the summaries still open.
#[derive(Debug, Default)]
struct Outline<'a, 'input> {
    tasks: Vec<Task<'a, 'input>>,
    /// The open summaries, outermost first (indices into `tasks`).
    stack: Vec<usize>,
    /// Whether E080 for an outline too deep was given (once a file).
    too_deep: bool,
}

pub(crate) fn read(file: FileId, xml: &str, out: &mut Vec<Diagnostic>) -> Option<Plan> {
    let document = parse(file, xml, out)?;
    let root = document.root_element();
    let mut reader = Reader {
        file,
        out,
        minutes_per_day: text(root, "MinutesPerDay")
            .and_then(|t| t.parse::<i64>().ok())
            .filter(|m| *m > 0)
            .unwrap_or(480),
        exact_complete: declared(
            root,
            crate::export::NUMBER1_FIELD_ID,
            crate::export::COMPLETE_ALIAS,
        ),
    };
    let title = text(root, "Title")
        .or_else(|| text(root, "Name"))
        .map(str::to_string)
        .unwrap_or_else(|| "Imported plan".to_string());

    // Names in use: one namespace for items and calendars, built-ins reserved.
    let mut taken = Taken::default();
    for name in BUILT_IN {
        taken.insert(name.to_string());
    }
    let errors_before = reader.out.iter().filter(|d| d.is_error()).count();
    let tasks = reader.outline(root);
    reader.dates(root, &tasks);
    let (calendar_ids, mut calendars) = reader.calendars(root, &mut taken);
    let portfolio_calendar = text(root, "CalendarUID")
        .and_then(|u| calendar_ids.get(u).cloned())
        .flatten();
    let (ids, ties) = ids_and_ties(root, &tasks, &mut taken);
    let by_uid: BTreeMap<String, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.uid.clone(), i))
        .collect();
    let context = Context {
        tasks: &tasks,
        ids: &ids,
        by_uid: &by_uid,
        calendar_ids: &calendar_ids,
        portfolio_calendar: portfolio_calendar.as_deref(),
    };
    let mut items: Vec<Item> = (0..tasks.len()).map(|i| reader.item(&context, i)).collect();
    tie_milestones(&mut items, &ties);
    collapse_programme_links(&mut items);
    reader.cycles(&items);
    let currency = reader.currency(root, &mut items);
    reader.resources(root);
    let (start, end, status_date) = reader.window(root, &tasks, &items)?;
    if reader.out.iter().filter(|d| d.is_error()).count() > errors_before {
        return None;
    }
    for calendar in &mut calendars {
        recognise_bank_holidays(calendar, start, end);
    }
    Some(Plan {
        title: one_line(&title),
        start,
        end,
        status_date,
        calendar: portfolio_calendar.filter(|c| c != "england-and-wales"),
        currency,
        financial_year_start: text(root, "FYStartDate")
            .and_then(|t| t.trim().parse::<u32>().ok())
            .filter(|m| (1..=12).contains(m)),
        calendars,
        items,
    })
}

/// The document, or E080 when it is not XML or not Microsoft Project's.
fn parse<'x>(file: FileId, xml: &'x str, out: &mut Vec<Diagnostic>) -> Option<Document<'x>> {
    let hint = "export the plan from Microsoft Project as XML (File > Save As > XML Format)";
    if let Some(crowded) = crowded_element(xml) {
        out.push(
            Diagnostic::new(
                Code::E080NotMspdi,
                Span::new(
                    file,
                    crowded.offset,
                    crowded.offset + 1 + crowded.name.len(),
                ),
                format!(
                    "element `{}` has {}; Microsoft Project's XML keeps its data in elements, \
                     and no element of it has more than {MAX_ATTRIBUTES}",
                    crowded.name,
                    count(crowded.attributes, "attribute", "attributes")
                ),
            )
            .with_hint(hint),
        );
        return None;
    }
    let document = match Document::parse(xml) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            let offset = offset_of(xml, pos.row, pos.col);
            out.push(
                Diagnostic::new(
                    Code::E080NotMspdi,
                    Span::new(file, offset, offset),
                    format!("the file is not well-formed XML: {e}"),
                )
                .with_hint(hint),
            );
            return None;
        }
    };
    let root = document.root_element();
    if root.tag_name().name() != "Project" {
        out.push(
            Diagnostic::new(
                Code::E080NotMspdi,
                span(file, root),
                format!(
                    "the file is XML, but its root is `{}`, not Microsoft Project's `Project`",
                    root.tag_name().name()
                ),
            )
            .with_hint(hint),
        );
        return None;
    }
    Some(document)
}

/// The most attributes one element may have. MSPDI has none but the namespace declarations on
/// `Project`. The XML parser checks each attribute against the element's earlier ones, so one
/// element with n attributes costs n²/2 comparisons (200,000 took 55 s); with at most this many
/// a file costs at most 32 comparisons an attribute.
const MAX_ATTRIBUTES: usize = 64;

/// An element with more than [`MAX_ATTRIBUTES`] attributes.
#[derive(Debug, PartialEq, Eq)]
struct Crowded<'x> {
    /// The byte offset of its `<`.
    offset: usize,
    name: &'x str,
    attributes: usize,
}

/// The first element with more than [`MAX_ATTRIBUTES`] attributes, found in one pass over the
/// text before the XML parser sees it, so the parser's per-element check of repeated attributes
/// stays linear in the file. Start tags are read as XML writes them: comments, CDATA sections,
/// processing instructions and end tags are skipped, an attribute is its `=` outside a quoted
/// value. A document type declaration ends the scan: the parser refuses one. Where the text is
/// not well-formed the scan may stop early or count loosely; the parser then refuses the text
/// at that place, before it would compare that element's attributes.
fn crowded_element(xml: &str) -> Option<Crowded<'_>> {
    let bytes = xml.as_bytes();
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let start = at + found;
        let rest = bytes.get(start..)?;
        let skip_past = |end: &[u8]| memchr::memmem::find(rest, end).map(|i| start + i + end.len());
        at = if rest.starts_with(b"<!--") {
            skip_past(b"-->")?
        } else if rest.starts_with(b"<![CDATA[") {
            skip_past(b"]]>")?
        } else if rest.starts_with(b"<?") {
            skip_past(b"?>")?
        } else if rest.starts_with(b"<!") {
            return None;
        } else if rest.starts_with(b"</") {
            skip_past(b">")?
        } else {
            let (end, attributes) = start_tag(rest);
            if attributes > MAX_ATTRIBUTES {
                let name_len = rest
                    .iter()
                    .skip(1)
                    .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'='))
                    .unwrap_or(0);
                return Some(Crowded {
                    offset: start,
                    name: xml.get(start + 1..start + 1 + name_len).unwrap_or(""),
                    attributes,
                });
            }
            start + end.max(1)
        };
    }
    None
}

/// The length of the start tag at the front of `tag` (to its `>`, or to where it stops being
/// one) and how many attributes it has.
fn start_tag(tag: &[u8]) -> (usize, usize) {
    let mut attributes = 0;
    let mut i = 1;
    while let Some(&b) = tag.get(i) {
        match b {
            b'>' => return (i + 1, attributes),
            b'<' => return (i, attributes),
            b'=' => attributes += 1,
            b'"' | b'\'' => match tag.get(i + 1..).and_then(|v| memchr::memchr(b, v)) {
                Some(close) => i += close + 1,
                None => return (tag.len(), attributes),
            },
            _ => {}
        }
        i += 1;
    }
    (tag.len(), attributes)
}

/// Each task's id (the tranche id kept in Text1 when the file says so, else one made from its
/// name) and whether `tranche export` marked it a milestone at the finish (`true`) or start
/// (`false`) of its project.
fn ids_and_ties(
    root: Node<'_, '_>,
    tasks: &[Task<'_, '_>],
    taken: &mut Taken,
) -> (Vec<String>, Vec<Option<bool>>) {
    let text1_is_id = declared(root, crate::export::TEXT1_FIELD_ID, crate::export::ID_ALIAS);
    let text2_is_tie = declared(
        root,
        crate::export::TEXT2_FIELD_ID,
        crate::export::TIE_ALIAS,
    );
    let ties = tasks
        .iter()
        .map(|task| {
            match text2_is_tie
                .then(|| extended(task.node, crate::export::TEXT2_FIELD_ID))
                .flatten()
            {
                Some("at finish") => Some(true),
                Some("at start") => Some(false),
                _ => None,
            }
        })
        .collect();
    let ids = tasks
        .iter()
        .map(|task| {
            let kept = text1_is_id
                .then(|| extended(task.node, crate::export::TEXT1_FIELD_ID))
                .flatten()
                .filter(|id| is_ident(id) && !taken.contains(id));
            match kept {
                Some(id) => {
                    taken.insert(id.to_string());
                    id.to_string()
                }
                None => unique(&slug(name_of(task.node), "task"), taken),
            }
        })
        .collect();
    (ids, ties)
}

/// Whether the file declares extended attribute `field` under `alias` (as `tranche export`
/// does for the fields it uses).
fn declared(root: Node<'_, '_>, field: &str, alias: &str) -> bool {
    child(root, "ExtendedAttributes").is_some_and(|attrs| {
        elements(attrs, "ExtendedAttribute")
            .iter()
            .any(|a| text(*a, "FieldID") == Some(field) && text(*a, "Alias") == Some(alias))
    })
}

/// What every task's item is read against.
struct Context<'c, 'a, 'input> {
    tasks: &'c [Task<'a, 'input>],
    ids: &'c [String],
    by_uid: &'c BTreeMap<String, usize>,
    /// Calendar ids by UID (`None` for calendars left out).
    calendar_ids: &'c BTreeMap<String, Option<String>>,
    portfolio_calendar: Option<&'c str>,
}

impl Context<'_, '_, '_> {
    /// The calendar a project's task names, when it is not the portfolio's.
    fn own_calendar(&self, node: Node<'_, '_>) -> Option<String> {
        text(node, "CalendarUID")
            .filter(|u| *u != "-1")
            .and_then(|u| self.calendar_ids.get(u).cloned())
            .flatten()
            .filter(|c| Some(c.as_str()) != self.portfolio_calendar)
    }
}

/// The deepest outline level imported: a task under 62 summary tasks is a project in 62
/// programmes, and a milestone in that project's block is the 64th level of braces, the most a
/// plan may have (E005, docs/limits.md).
const MAX_OUTLINE_LEVELS: usize = 63;

/// The longest duration or lag a plan may hold: 100 years of working days (as
/// `model::values::MAX_DAYS`, E051 in a plan; the message in `Reader::days` gives the figure).
const MAX_DAYS: i64 = 100 * 240;

/// The most circles of links reported: the file is refused at the first, and a tangle of
/// links can hold very many.
const MAX_CYCLES: usize = 20;

/// Text from the file for a message: on one line, and cut short when long.
fn shown(text: &str) -> String {
    let line = one_line(text);
    match line.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", line.get(..end).unwrap_or("")),
        None => line,
    }
}

/// Lag formats that count elapsed (calendar) time.
const ELAPSED: [&str; 10] = ["4", "6", "8", "10", "12", "36", "38", "40", "42", "44"];

struct Reader<'d> {
    file: FileId,
    out: &'d mut Vec<Diagnostic>,
    minutes_per_day: i64,
    /// Number1 holds `complete` exactly (declared under the alias `tranche export` gives it).
    exact_complete: bool,
}

impl Reader<'_> {
    /// Tasks in outline order; the project summary task (UID 0), null, external and inactive
    /// tasks left out. One loop with a stack of open summaries. E080 for a UID given twice and
    /// for an outline deeper than [`MAX_OUTLINE_LEVELS`].
    fn outline<'a, 'input>(&mut self, root: Node<'a, 'input>) -> Vec<Task<'a, 'input>> {
        let mut outline = Outline::default();
        let mut uids: BTreeMap<&'a str, Node<'a, 'input>> = BTreeMap::new();
        for node in child(root, "Tasks")
            .iter()
            .flat_map(|t| elements(*t, "Task"))
        {
            let uid = text(node, "UID").unwrap_or("").to_string();
            if self.repeated_uid(node, &mut uids) || text(node, "IsNull") == Some("1") {
                continue;
            }
            let level = self.outline_level(node, &uid);
            if uid == "0" {
                self.project_summary_task(node);
                continue;
            }
            if self.left_out(node) {
                continue;
            }
            self.place(&mut outline, node, uid, level);
        }
        outline.tasks
    }

    /// Whether the task's UID is one an earlier task has (E080), remembering it when not.
    fn repeated_uid<'a, 'input>(
        &mut self,
        node: Node<'a, 'input>,
        uids: &mut BTreeMap<&'a str, Node<'a, 'input>>,
    ) -> bool {
        let Some(first) = text(node, "UID").filter(|u| !u.is_empty()) else {
            return false;
        };
        let Some(earlier) = uids.get(first) else {
            uids.insert(first, node);
            return false;
        };
        self.out.push(
            Diagnostic::new(
                Code::E080NotMspdi,
                span(self.file, node),
                format!(
                    "task `{}` has UID {}, which task `{}` has already, so links to it are ambiguous",
                    one_line(name_of(node)),
                    shown(first),
                    one_line(name_of(*earlier))
                ),
            )
            .with_note(Some(span(self.file, *earlier)), "the UID is first given here")
            .with_hint("give every task its own UID; Microsoft Project does"),
        );
        true
    }

    /// The task's outline level; level 0 is the project summary task's, so any other task
    /// there is taken as level 1, with a warning.
    fn outline_level(&mut self, node: Node<'_, '_>, uid: &str) -> usize {
        let level = text(node, "OutlineLevel")
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(1);
        if level == 0 && uid != "0" {
            self.warn(
                node,
                &format!(
                    "`{}` is at outline level 0, which is the project summary task's, but its UID is {}, not 0; it is imported at the top of the outline",
                    one_line(name_of(node)),
                    shown(uid)
                ),
                "give it outline level 1 in Microsoft Project",
            );
            return 1;
        }
        level
    }

    /// The project summary task (UID 0) is the plan itself, not an item: its links are lost.
    fn project_summary_task(&mut self, node: Node<'_, '_>) {
        if !elements(node, "PredecessorLink").is_empty() {
            self.warn(
                node,
                "the project summary task's links are not carried over",
                "link the tasks themselves",
            );
        }
    }

    /// Whether the task is one tranche leaves out, with a warning: an external task or
    /// inserted project, or an inactive task.
    fn left_out(&mut self, node: Node<'_, '_>) -> bool {
        if text(node, "ExternalTask") == Some("1") || text(node, "IsSubproject") == Some("1") {
            self.warn(
                node,
                &format!(
                    "`{}` is an external task or inserted project and is left out",
                    name_of(node)
                ),
                "import the other project's file on its own",
            );
            return true;
        }
        if text(node, "Active") == Some("0") {
            self.warn(
                node,
                &format!(
                    "`{}` is inactive in Microsoft Project and is left out",
                    name_of(node)
                ),
                "make it active before exporting if it is part of the plan",
            );
            return true;
        }
        false
    }

    /// Puts the task in the outline under the innermost open summary above its level; E080
    /// (once) and the task left out when that is more than [`MAX_OUTLINE_LEVELS`] deep.
    fn place<'a, 'input>(
        &mut self,
        outline: &mut Outline<'a, 'input>,
        node: Node<'a, 'input>,
        uid: String,
        level: usize,
    ) {
        let Outline {
            tasks,
            stack,
            too_deep,
        } = outline;
        while stack
            .last()
            .is_some_and(|&t| tasks.get(t).is_some_and(|t| t.level >= level))
        {
            stack.pop();
        }
        if stack.len() >= MAX_OUTLINE_LEVELS {
            if !*too_deep {
                *too_deep = true;
                self.out.push(
                    Diagnostic::new(
                        Code::E080NotMspdi,
                        span(self.file, node),
                        format!(
                            "`{}` is under {} summary tasks; tranche nests programmes at most {} deep",
                            one_line(name_of(node)),
                            stack.len(),
                            MAX_OUTLINE_LEVELS - 1
                        ),
                    )
                    .with_hint("move some summary tasks up the outline in Microsoft Project"),
                );
            }
            return;
        }
        let parent = stack.last().copied();
        if let Some(task) = parent.and_then(|p| tasks.get_mut(p)) {
            task.has_children = true;
        }
        let milestone = text(node, "Milestone") == Some("1");
        tasks.push(Task {
            node,
            uid,
            level,
            parent,
            has_children: false,
            milestone,
        });
        stack.push(tasks.len() - 1);
    }

    /// The file's calendars: ids by UID (the built-ins by name) and the calendars to write.
    fn calendars(
        &mut self,
        root: Node<'_, '_>,
        taken: &mut Taken,
    ) -> (BTreeMap<String, Option<String>>, Vec<Calendar>) {
        let mut ids: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut calendars: Vec<Calendar> = Vec::new();
        for node in child(root, "Calendars")
            .iter()
            .flat_map(|c| elements(*c, "Calendar"))
        {
            let uid = text(node, "UID").unwrap_or("").to_string();
            let name = text(node, "Name").unwrap_or("").trim().to_string();
            if BUILT_IN.contains(&name.as_str()) {
                ids.insert(uid, Some(name));
                continue;
            }
            let derived = text(node, "BaseCalendarUID").is_some_and(|b| b != "-1");
            let calendar = self.calendar(node, derived);
            let id = unique(&slug(&name, "calendar"), taken);
            ids.insert(uid, Some(id.clone()));
            calendars.push(Calendar { id, ..calendar });
        }
        (ids, calendars)
    }

    /// The item of task `i`.
    fn item(&mut self, cx: &Context<'_, '_, '_>, i: usize) -> Item {
        let Some(task) = cx.tasks.get(i) else {
            panic!("import: task {i} is not in the outline it was read from");
        };
        let node = task.node;
        let mut item = Item::of(task, cx.ids.get(i).cloned().unwrap_or_default());
        if item.kind == Kind::Programme {
            self.programme_losses(node, &item.title);
            return item;
        }
        let days = self.duration(node, &mut item);
        if item.kind == Kind::Project {
            item.duration_days = u32::try_from(days).unwrap_or(u32::MAX);
            item.calendar = cx.own_calendar(node);
        }
        self.links(cx, i, &mut item);
        self.constraint(node, &mut item);
        self.progress(node, &mut item);
        item.baseline = baseline(node, item.kind);
        item.capital_pence = self.fixed_cost(node, &item.title);
        item
    }

    /// W081 for what a summary task has that a programme cannot: a fixed cost, links.
    fn programme_losses(&mut self, node: Node<'_, '_>, title: &str) {
        if self.fixed_cost(node, title).is_some() {
            self.warn(
                child(node, "FixedCost").unwrap_or(node),
                &format!(
                    "the fixed cost of summary task `{title}` is not carried over: a programme has no costs of its own"
                ),
                "give the cost to a project inside the programme",
            );
        }
        if !elements(node, "PredecessorLink").is_empty() {
            self.warn(
                node,
                &format!(
                    "the links of summary task `{title}` are not carried over: a programme has no dependencies of its own"
                ),
                "link the first tasks inside it instead",
            );
        }
    }

    /// The task's duration in whole working days (a negative one taken as 0). A project of
    /// none becomes a milestone; a milestone with one keeps none, with a warning.
    fn duration(&mut self, node: Node<'_, '_>, item: &mut Item) -> i64 {
        let mut minutes = text(node, "Duration")
            .and_then(duration_minutes)
            .unwrap_or(0);
        if minutes < 0 {
            self.warn(
                child(node, "Duration").unwrap_or(node),
                &format!(
                    "the duration of `{}` is negative, which no task's is; it is taken as 0",
                    item.title
                ),
                "correct it in Microsoft Project",
            );
            minutes = 0;
        }
        let days = self.days(node, "Duration", minutes, &item.title);
        if item.kind == Kind::Project && days == 0 {
            item.kind = Kind::Milestone;
        } else if item.kind == Kind::Milestone && days > 0 {
            self.warn(
                node,
                &format!(
                    "milestone `{}` has a duration, which a milestone cannot have; it is left out",
                    item.title
                ),
                "make it a task if it takes time",
            );
        }
        days
    }

    /// E080 at a link that closes a circle of links (at most [`MAX_CYCLES`] of them), as
    /// tranche reads the plan: a dependency on a programme is on all its work, and a milestone
    /// tied to a project moves with it. One pass, depth first, with a stack of its own.
    fn cycles(&mut self, items: &[Item]) {
        let index: BTreeMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.as_str(), i))
            .collect();
        // What must come after each item: its dependants (by the link), its programme (a
        // programme finishes with its work), its tied milestones.
        let mut after: Vec<Vec<(usize, Option<Span>)>> = vec![Vec::new(); items.len()];
        let mut last_project = None;
        for (j, item) in items.iter().enumerate() {
            if let Some(edges) = item.parent.and_then(|p| after.get_mut(j).map(|e| (e, p))) {
                edges.0.push((edges.1, None));
            }
            match item.kind {
                Kind::Project => last_project = Some(j),
                Kind::Programme => last_project = None,
                Kind::Milestone => {
                    if let Some(edges) = last_project
                        .filter(|_| item.tied.is_some())
                        .and_then(|p| after.get_mut(p))
                    {
                        edges.push((j, None));
                    }
                }
            }
            for dep in &item.dependencies {
                if let Some(edges) = index
                    .get(dep.target.as_str())
                    .and_then(|&t| after.get_mut(t))
                {
                    edges.push((j, dep.link));
                }
            }
        }
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; items.len()];
        let mut position = vec![0usize; items.len()];
        // (item, next edge to follow, the link it was reached by)
        let mut stack: Vec<(usize, usize, Option<Span>)> = Vec::new();
        let mut found = 0;
        for root in 0..items.len() {
            if state.get(root) != Some(&NEW) {
                continue;
            }
            stack.push((root, 0, None));
            if let Some(s) = state.get_mut(root) {
                *s = OPEN;
            }
            while let Some(top) = stack.last_mut() {
                let (u, k) = (top.0, top.1);
                let Some(&(v, link)) = after.get(u).and_then(|e| e.get(k)) else {
                    if let Some(s) = state.get_mut(u) {
                        *s = DONE;
                    }
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                match state.get(v).copied() {
                    Some(NEW) => {
                        if let (Some(s), Some(p)) = (state.get_mut(v), position.get_mut(v)) {
                            *s = OPEN;
                            *p = stack.len();
                        }
                        stack.push((v, 0, link));
                    }
                    Some(OPEN) => {
                        let from = position.get(v).copied().unwrap_or(0);
                        let circle = stack.get(from..).unwrap_or(&[]);
                        // The link that closes it: this one, or the last link on the way (a
                        // circle of programmes and tied milestones alone cannot be).
                        let blamed = link.or_else(|| circle.iter().skip(1).rev().find_map(|f| f.2));
                        self.cycle(items, circle, blamed);
                        found += 1;
                        if found == MAX_CYCLES {
                            return;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The E080 for one circle of links: the items on it, in order, closed by link `blamed`.
    fn cycle(
        &mut self,
        items: &[Item],
        circle: &[(usize, usize, Option<Span>)],
        blamed: Option<Span>,
    ) {
        let name = |i: usize| format!("`{}`", items.get(i).map_or("", |item| item.title.as_str()));
        let mut names: Vec<String> = if circle.len() <= 8 {
            circle.iter().map(|f| name(f.0)).collect()
        } else {
            let head = circle.iter().take(3).map(|f| name(f.0));
            let tail = circle.iter().skip(circle.len() - 2).map(|f| name(f.0));
            head.chain(["…".to_string()]).chain(tail).collect()
        };
        names.extend(circle.first().map(|f| name(f.0)));
        let mut message = format!("the links go round in a circle: {}", names.join(" → "));
        if circle.len() > 8 {
            message.push_str(&format!(" ({})", count(circle.len(), "task", "tasks")));
        }
        let diagnostic = match blamed {
            Some(span) => Diagnostic::new(Code::E080NotMspdi, span, message),
            None => Diagnostic::unlocated(Code::E080NotMspdi, message),
        };
        self.out.push(diagnostic.with_hint(
            "remove or reverse one of the links on the circle; Microsoft Project refuses such links too",
        ));
    }

    /// The task's fixed cost, in hundredths of the currency, as whole pence; `None` when there is
    /// none or it is zero, and W081 when it is not an amount tranche can hold (negative, not a
    /// decimal number, or above `money::MAX_AMOUNT`).
    fn fixed_cost(&mut self, node: Node<'_, '_>, title: &str) -> Option<i64> {
        let element = child(node, "FixedCost")?;
        let value = text(node, "FixedCost").filter(|t| !t.is_empty())?;
        match hundredths(value) {
            Some(cost) if cost <= crate::money::MAX_AMOUNT.0 => (cost > 0).then_some(cost),
            _ => {
                self.warn(
                    element,
                    &format!(
                        "the fixed cost of `{title}`, `{}`, is not carried over: a cost is hundredths of the currency from 0 to {} (1 trillion)",
                        shown(value),
                        crate::money::MAX_AMOUNT.0
                    ),
                    "add the cost to the plan by hand",
                );
                None
            }
        }
    }

    /// The task's links, as dependencies of `item`.
    fn links(&mut self, cx: &Context<'_, '_, '_>, i: usize, item: &mut Item) {
        let Some(task) = cx.tasks.get(i) else {
            return;
        };
        for link in elements(task.node, "PredecessorLink") {
            let pred = text(link, "PredecessorUID").unwrap_or("");
            if text(link, "CrossProject") == Some("1") {
                self.warn(
                    link,
                    "a link to another project is not carried over",
                    "import the plans together as one file",
                );
                continue;
            }
            let Some(&p) = cx.by_uid.get(pred) else {
                self.warn(
                    link,
                    &format!("a link from task UID {pred}, which is not in the file, is left out"),
                    "check the file is complete",
                );
                continue;
            };
            if is_ancestor(cx.tasks, p, i) {
                self.warn(
                    link,
                    "a link to a summary task holding this task is left out",
                    "link tasks outside the summary",
                );
                continue;
            }
            let kind = match text(link, "Type").unwrap_or("1") {
                "0" => LinkKind::FinishToFinish,
                "2" => LinkKind::StartToFinish,
                "3" => LinkKind::StartToStart,
                _ => LinkKind::FinishToStart,
            };
            let format = text(link, "LagFormat").unwrap_or("7");
            let tenths = text(link, "LinkLag")
                .and_then(|t| t.trim().parse::<f64>().ok())
                .unwrap_or(0.0);
            let lag_days = if matches!(format, "19" | "20" | "51" | "52") {
                if tenths != 0.0 {
                    self.warn(
                        link,
                        "a lag given as a percentage of the predecessor's duration is left out",
                        "give the lag in days",
                    );
                }
                0
            } else {
                if ELAPSED.contains(&format) && tenths != 0.0 {
                    self.warn(
                        link,
                        "an elapsed-time lag is taken as working time",
                        "check the lag in the plan",
                    );
                }
                // Tenths of a minute; whole working days (rounded away from zero, with a word).
                let minutes = (tenths / 10.0).round() as i64;
                minutes.signum() * self.days(link, "LinkLag", minutes.saturating_abs(), &item.title)
            };
            item.dependencies.push(Dependency {
                target: cx.ids.get(p).cloned().unwrap_or_default(),
                kind,
                lag_days,
                link: Some(span(self.file, link)),
            });
        }
    }

    /// The deadline and the constraint, as far as tranche can say them.
    fn constraint(&mut self, node: Node<'_, '_>, item: &mut Item) {
        item.deadline = finish_date(text(node, "Deadline"));
        let constraint = text(node, "ConstraintType").unwrap_or("0");
        let constraint_date = text(node, "ConstraintDate");
        let constraint_node = child(node, "ConstraintType").unwrap_or(node);
        match (constraint, item.kind) {
            ("0", _) => {}
            ("4", Kind::Project) => item.not_before = date(constraint_date),
            ("2", Kind::Project) => {
                item.not_before = date(constraint_date);
                self.warn(
                    constraint_node,
                    &format!(
                        "`{}` must start on a date; tranche keeps it as start no earlier than that date",
                        item.title
                    ),
                    "add a deadline as well if it must not start later",
                );
            }
            ("2" | "3", Kind::Milestone) => {
                item.on = if constraint == "2" {
                    start_instant_date(constraint_date)
                } else {
                    finish_date(constraint_date)
                };
            }
            ("7", _) | ("3", Kind::Project) => {
                if item.deadline.is_none() {
                    item.deadline = finish_date(constraint_date);
                }
                self.warn(
                    constraint_node,
                    &format!(
                        "`{}` must finish by a date; tranche keeps it as a deadline, which reports lateness rather than moving the work",
                        item.title
                    ),
                    "check the plan meets the deadline with `tranche schedule`",
                );
            }
            _ => {
                let what = match constraint {
                    "1" => "as late as possible",
                    "5" => "start no later than",
                    "6" => "finish no earlier than",
                    _ => "a constraint tranche does not have",
                };
                self.warn(
                    constraint_node,
                    &format!(
                        "`{}` has constraint {what}, which is not carried over",
                        item.title
                    ),
                    "use `not-before` or `deadline` in the plan if it matters",
                );
            }
        }
        if item.on.is_some() && !item.dependencies.is_empty() {
            self.warn(
                node,
                &format!(
                    "milestone `{}` is fixed on a date, so its links are left out",
                    item.title
                ),
                "remove the date or the links",
            );
            item.dependencies.clear();
        }
    }

    /// Actual dates and percent complete.
    fn progress(&mut self, node: Node<'_, '_>, item: &mut Item) {
        let percent = text(node, "PercentComplete")
            .and_then(|t| t.trim().parse::<f64>().ok())
            .map(|p| p.clamp(0.0, 100.0).round() as u32)
            .unwrap_or(0);
        let actual_start = date(text(node, "ActualStart"));
        let actual_finish = finish_date(text(node, "ActualFinish"));
        if item.kind == Kind::Milestone {
            item.actual_finish = actual_finish.or(if percent == 100 {
                actual_start.or_else(|| finish_date(text(node, "Finish")))
            } else {
                None
            });
            return;
        }
        item.actual_start = actual_start;
        item.actual_finish = actual_finish;
        if percent == 100 && actual_finish.is_none() {
            item.actual_finish = finish_date(text(node, "Finish"));
            if item.actual_start.is_none() {
                item.actual_start = date(text(node, "Start"));
            }
        }
        if let (Some(s), Some(f)) = (item.actual_start, item.actual_finish) {
            if f < s {
                item.actual_finish = Some(s);
            }
        }
        if item.actual_finish.is_some() {
            return;
        }
        let complete = self.complete(node, percent, i64::from(item.duration_days));
        if complete.0 > 0 {
            if item.actual_start.is_some() {
                item.complete = Some(complete);
            } else {
                self.warn(
                    node,
                    &format!(
                        "`{}` is {complete} complete with no actual start, so its progress is left out",
                        item.title
                    ),
                    "give it an actual start in Microsoft Project",
                );
            }
        }
    }

    /// How complete unfinished work is, so that tranche's work left, `D × (1 - complete)`
    /// rounded up to whole days, is the file's: `PercentComplete` is a whole number, so 12%
    /// of 40 days would leave 36 where the file (and the plan exported as 12.5%) leaves 35.
    /// The exact figure `tranche export` keeps in Number1 when it agrees with the file (it may
    /// be stale if the progress was changed in MS Project); else the percentage nearest
    /// `PercentComplete` that leaves the file's `RemainingDuration` (a part-day counts whole,
    /// as in tranche); else `PercentComplete`.
    fn complete(&mut self, node: Node<'_, '_>, percent: u32, days: i64) -> Percent {
        let whole = i64::from(percent.min(100)) * 100;
        let left = |bp: i64| (days * (10_000 - bp) + 9_999) / 10_000;
        let remaining = text(node, "RemainingDuration")
            .and_then(duration_minutes)
            .filter(|m| *m >= 0)
            .map(|m| m / self.minutes_per_day + i64::from(m % self.minutes_per_day != 0))
            .filter(|r| days > 0 && (1..=days).contains(r));
        let exact = self
            .exact_complete
            .then(|| extended(node, crate::export::NUMBER1_FIELD_ID))
            .flatten()
            .and_then(Percent::parse)
            .filter(|p| {
                p.0 < 10_000 && p.0 / 100 == whole / 100 && remaining.is_none_or(|r| left(p.0) == r)
            });
        if let Some(exact) = exact {
            return exact;
        }
        let Some(r) = remaining else {
            return Percent(whole);
        };
        // left(bp) == r exactly when 10000 (D - r) / D <= bp < 10000 (D - r + 1) / D.
        let low = (10_000 * (days - r) + days - 1) / days;
        let high = ((10_000 * (days - r + 1) + days - 1) / days - 1).min(9_999);
        if low > high {
            // Only 100% leaves so little: not work in progress, so the whole percent stands.
            return Percent(whole);
        }
        Percent(whole.clamp(low, high))
    }

    /// The plan's currency when it is pounds, the one tranche reports in; costs in any other
    /// are left out (tranche does no exchange rates).
    fn currency(&mut self, root: Node<'_, '_>, items: &mut [Item]) -> Option<&'static str> {
        let code = text(root, "CurrencyCode")
            .map(str::trim)
            .filter(|c| !c.is_empty())?;
        let known = ["GBP"].into_iter().find(|c| c.eq_ignore_ascii_case(code));
        if known.is_none() {
            if items.iter().any(|i| i.capital_pence.is_some()) {
                let node = child(root, "CurrencyCode").unwrap_or(root);
                self.warn(
                    node,
                    &format!("costs in `{code}` are left out: tranche plans are in pounds"),
                    "convert the costs to pounds and add them to the plan by hand",
                );
            }
            for item in items.iter_mut() {
                item.capital_pence = None;
            }
        }
        known
    }

    /// Resources are not part of a tranche plan.
    fn resources(&mut self, root: Node<'_, '_>) {
        let Some(node) = child(root, "Resources") else {
            return;
        };
        let n = elements(node, "Resource")
            .iter()
            .filter(|x| text(**x, "UID") != Some("0"))
            .count();
        if n > 0 {
            let what = if n == 1 {
                "1 resource and its assignments are".to_string()
            } else {
                format!("{n} resources and their assignments are")
            };
            self.warn(
                node,
                &format!("{what} not carried over"),
                "tranche plans work by duration; note the teams in each project's description",
            );
        }
    }

    /// The plan window, holding every date written, and the status date, on or after every
    /// actual one; E080 (and `None`) when the file has no date at all.
    fn window(
        &mut self,
        root: Node<'_, '_>,
        tasks: &[Task<'_, '_>],
        items: &[Item],
    ) -> Option<(NaiveDate, NaiveDate, Option<NaiveDate>)> {
        let mut dates: Vec<NaiveDate> = Vec::new();
        for item in items {
            dates.extend(
                [
                    item.not_before,
                    item.deadline,
                    item.on,
                    item.actual_start,
                    item.actual_finish,
                ]
                .into_iter()
                .flatten(),
            );
            if let Some((s, f)) = item.baseline {
                dates.push(s);
                dates.push(f);
            }
        }
        for task in tasks {
            dates.extend(date(text(task.node, "Start")));
            dates.extend(finish_date(text(task.node, "Finish")));
        }
        let latest_actual = items
            .iter()
            .flat_map(|i| [i.actual_start, i.actual_finish])
            .flatten()
            .max();
        let mut status_date = date(text(root, "StatusDate"));
        if let Some(actual) = latest_actual {
            if status_date.is_none_or(|s| s < actual) {
                let node = child(root, "StatusDate").unwrap_or(root);
                self.warn(
                    node,
                    &format!(
                        "the status date is missing or before progress reported on {actual}; tranche takes {actual} as the status date"
                    ),
                    "set the status date in Microsoft Project (Project > Status Date)",
                );
                status_date = Some(actual);
            }
        }
        dates.extend(status_date);
        let start = date(text(root, "StartDate"))
            .into_iter()
            .chain(dates.iter().copied())
            .min();
        let end = finish_date(text(root, "FinishDate"))
            .into_iter()
            .chain(dates.iter().copied())
            .max();
        let (Some(start), Some(end)) = (start, end) else {
            self.out.push(
                Diagnostic::new(
                    Code::E080NotMspdi,
                    span(self.file, root),
                    "the file has no start date and no dated tasks, so the plan has no window",
                )
                .with_hint("set the project's start date in Microsoft Project"),
            );
            return None;
        };
        Some((start, end, status_date))
    }

    /// W081 for each date the plan could not hold: outside 1900 to 2200, the years tranche
    /// plans in ([`date`] reads them as absent). In the project's own fields, the tasks
    /// imported and the calendars.
    fn dates(&mut self, root: Node<'_, '_>, tasks: &[Task<'_, '_>]) {
        const FIELDS: [&str; 11] = [
            "StartDate",
            "FinishDate",
            "StatusDate",
            "Start",
            "Finish",
            "ConstraintDate",
            "Deadline",
            "ActualStart",
            "ActualFinish",
            "FromDate",
            "ToDate",
        ];
        let own = root.children();
        let in_tasks = tasks.iter().flat_map(|t| t.node.descendants());
        let in_calendars = child(root, "Calendars")
            .into_iter()
            .flat_map(|c| c.descendants());
        for node in own.chain(in_tasks).chain(in_calendars) {
            let name = node.tag_name().name();
            if !node.is_element() || !FIELDS.contains(&name) {
                continue;
            }
            let Some(value) = node.text().map(str::trim) else {
                continue;
            };
            if any_date(value).is_some_and(|d| !(FIRST_DATE..=LAST_DATE).contains(&d)) {
                self.warn(
                    node,
                    &format!(
                        "the date `{}` in `{name}` is outside the years 1900 to 2200 that tranche plans in, so it is left out",
                        shown(value)
                    ),
                    "correct the date in Microsoft Project",
                );
            }
        }
    }

    fn warn(&mut self, node: Node<'_, '_>, message: &str, hint: &str) {
        self.out.push(
            Diagnostic::new(Code::W081NotCarriedOver, span(self.file, node), message)
                .with_hint(hint),
        );
    }

    /// Minutes as whole working days, rounded up with a warning when not whole.
    /// E080 (and the limit) when they come to more than [`MAX_DAYS`].
    fn days(&mut self, node: Node<'_, '_>, what: &str, minutes: i64, title: &str) -> i64 {
        let days = minutes / self.minutes_per_day;
        let element = child(node, what).unwrap_or(node);
        let whole = minutes % self.minutes_per_day == 0;
        let up = days.saturating_add(i64::from(!whole));
        if up > MAX_DAYS {
            self.out.push(
                Diagnostic::new(
                    Code::E080NotMspdi,
                    span(self.file, element),
                    format!(
                        "{} `{title}` is {}, longer than the 100 years (24000 working days) a plan may hold",
                        if what == "LinkLag" { "a lag of" } else { "the duration of" },
                        count(up, "working day", "working days")
                    ),
                )
                .with_hint("correct it in Microsoft Project"),
            );
            return MAX_DAYS;
        }
        if whole {
            return days;
        }
        self.warn(
            element,
            &format!(
                "{} `{title}` is {}, not a whole number of working days; tranche rounds it up to {}",
                if what == "LinkLag" { "a lag of" } else { "the duration of" },
                count(minutes, "minute", "minutes"),
                count(days + 1, "working day", "working days")
            ),
            "tranche plans in whole working days",
        );
        days + 1
    }

    /// A calendar's weekend and its non-working exceptions.
    fn calendar(&mut self, node: Node<'_, '_>, derived: bool) -> Calendar {
        let week = WeekDays::of(node);
        let mut closed: Vec<(NaiveDate, NaiveDate, Option<String>)> = child(node, "Exceptions")
            .iter()
            .flat_map(|e| elements(*e, "Exception"))
            .filter_map(|exception| self.exception(exception))
            .collect();
        // Files from Project 2007 on (and MPXJ's) give each exception twice: in `Exceptions`,
        // with its name, and as a dated week day for older readers. The week days count only
        // in files that have no `Exceptions`.
        if closed.is_empty() {
            closed = week.legacy;
        }
        let mut weekend = week.weekend;
        weekend.sort_by_key(|d| d.num_days_from_monday());
        closed.sort();
        if weekend.len() == 7 {
            self.warn(
                node,
                "a calendar with no working days is taken as Monday to Friday",
                "check the calendar",
            );
            weekend = vec![Weekday::Sat, Weekday::Sun];
        }
        let standard = weekend == [Weekday::Sat, Weekday::Sun];
        Calendar {
            id: String::new(),
            based_on: "weekdays",
            weekend: (week.stated && !(standard || (derived && weekend.is_empty())))
                .then_some(weekend),
            closed,
        }
    }

    /// The days a calendar exception closes, with its name; `None` (and W081) for one tranche
    /// cannot say: extra working days, or a recurring exception; `None` for one whose dates
    /// are outside the years tranche plans in.
    fn exception(
        &mut self,
        exception: Node<'_, '_>,
    ) -> Option<(NaiveDate, NaiveDate, Option<String>)> {
        if text(exception, "DayWorking") == Some("1") {
            self.warn(
                exception,
                "a working exception (extra working days) is not carried over",
                "tranche calendars only close days",
            );
            return None;
        }
        let kind = text(exception, "Type").unwrap_or("1");
        let occurrences = text(exception, "Occurrences").unwrap_or("1");
        let period = child(exception, "TimePeriod");
        let out_of_range = |field: &str| {
            period
                .and_then(|p| text(p, field))
                .and_then(any_date)
                .is_some_and(|d| !(FIRST_DATE..=LAST_DATE).contains(&d))
        };
        if out_of_range("FromDate") || out_of_range("ToDate") {
            // Warned of with the date (`Reader::dates`).
            return None;
        }
        let from = period.and_then(|p| date(text(p, "FromDate")));
        let to = period.and_then(|p| date(text(p, "ToDate")));
        match (from, to) {
            (Some(from), Some(to))
                if kind == "1"
                    && (occurrences == "1"
                        || text(exception, "EnteredByOccurrences") != Some("1")) =>
            {
                let name = text(exception, "Name")
                    .map(one_line)
                    .filter(|n| !n.is_empty());
                Some((from, to.max(from), name))
            }
            _ => {
                self.warn(
                    exception,
                    "a recurring calendar exception is not carried over",
                    "list the closed days in the plan's calendar",
                );
                None
            }
        }
    }
}

/// A calendar's week as its `WeekDays` give it.
#[derive(Debug, Default)]
struct WeekDays {
    /// The days of the week it does not work, in the file's order.
    weekend: Vec<Weekday>,
    /// Whether it gives any day of the week (a derived calendar that gives none keeps its
    /// base calendar's week).
    stated: bool,
    /// The closures given as dated week days.
    legacy: Vec<(NaiveDate, NaiveDate, Option<String>)>,
}

impl WeekDays {
    fn of(node: Node<'_, '_>) -> WeekDays {
        let mut week = WeekDays::default();
        for day in child(node, "WeekDays")
            .iter()
            .flat_map(|w| elements(*w, "WeekDay"))
        {
            let kind = text(day, "DayType")
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(0);
            let working = text(day, "DayWorking") == Some("1");
            if kind == 0 {
                // Project 2003's exceptions, as dated week days.
                if let Some(period) = child(day, "TimePeriod") {
                    if let (Some(from), Some(to), false) = (
                        date(text(period, "FromDate")),
                        date(text(period, "ToDate")),
                        working,
                    ) {
                        week.legacy.push((from, to.max(from), None));
                    }
                }
                continue;
            }
            if let Some(weekday) = kind.checked_sub(1).and_then(|k| WEEK_FROM_SUNDAY.get(k)) {
                week.stated = true;
                if !working {
                    week.weekend.push(*weekday);
                }
            }
        }
        week
    }
}

/// The task's baseline 0, as the dates a plan's `baseline` gives: a milestone's its finish, and
/// none when the finish is before the start.
fn baseline(node: Node<'_, '_>, kind: Kind) -> Option<(NaiveDate, NaiveDate)> {
    let b = elements(node, "Baseline")
        .into_iter()
        .find(|b| text(*b, "Number").unwrap_or("0") == "0")?;
    let start = date(text(b, "Start"));
    let finish = finish_date(text(b, "Finish"));
    match (kind, start, finish) {
        (Kind::Milestone, _, Some(f)) => Some((f, f)),
        (_, Some(s), Some(f)) if f >= s => Some((s, f)),
        _ => None,
    }
}

/// A calendar that closes every England and Wales bank holiday in the plan's years is based
/// on `england-and-wales`, and keeps only its other closures.
fn recognise_bank_holidays(calendar: &mut Calendar, start: NaiveDate, end: NaiveDate) {
    let covered = |day: NaiveDate| {
        calendar
            .closed
            .iter()
            .any(|(from, to, _)| *from <= day && day <= *to)
    };
    let holidays: Vec<NaiveDate> = (start.year()..=end.year())
        .flat_map(crate::calendar::england_and_wales_bank_holidays)
        .map(|(d, _)| d)
        .collect();
    if holidays.is_empty() || !holidays.iter().all(|d| covered(*d)) {
        return;
    }
    calendar.based_on = "england-and-wales";
    calendar
        .closed
        .retain(|(from, to, _)| !(from == to && holidays.contains(from)));
}

/// A milestone marked `at finish` (or `at start`) in `ties` whose only link is FS (or SS)
/// without lag from the project just before it, with no date of its own, is that project's
/// milestone `at finish` (or `at start`), as `tranche export` writes them. Unmarked milestones
/// keep their links: in other tools a linked milestone has dates of its own.
fn tie_milestones(items: &mut [Item], ties: &[Option<bool>]) {
    let mut last_project: Option<usize> = None;
    for i in 0..items.len() {
        let Some(item) = items.get(i) else { break };
        match item.kind {
            Kind::Project => last_project = Some(i),
            Kind::Programme => last_project = None,
            Kind::Milestone => {
                let Some(p) = last_project else { continue };
                let Some(project) = items.get(p) else {
                    continue;
                };
                let tie = match item.dependencies.as_slice() {
                    [d] if d.target == project.id
                        && d.lag_days == 0
                        && item.parent == project.parent
                        && item.on.is_none()
                        && item.actual_finish.is_none() =>
                    {
                        match d.kind {
                            LinkKind::FinishToStart => Some(true),
                            LinkKind::StartToStart => Some(false),
                            _ => None,
                        }
                    }
                    _ => None,
                }
                .filter(|at_finish| ties.get(i).copied().flatten() == Some(*at_finish));
                // A milestone placed by its links may sit among a project's tied ones (the
                // export writes all of a project's milestones after it), so it does not end
                // the run.
                if let (Some(at_finish), Some(item)) = (tie, items.get_mut(i)) {
                    item.tied = Some(at_finish);
                    item.dependencies.clear();
                }
            }
        }
    }
}

/// Links SS (or SF) with one lag from every piece of work of a summary task, in outline order
/// and in a row, are one dependency on that programme again: `tranche export` writes a start
/// dependency on a programme that way, since MS Project reads a link from a summary at its
/// earliest start and tranche means the latest (see `export::mspdi::links`). Equivalent either
/// way; read back as the programme, the plan is the one written. A summary with one piece of
/// work is left alone: a link to that piece says the same and is more likely what was meant.
/// Where nested summaries hold the same work, the outermost is taken.
fn collapse_programme_links(items: &mut [Item]) {
    // Each programme's work, in outline order; programmes keyed by their first piece.
    let mut work: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (j, item) in items.iter().enumerate() {
        // A milestone tied to its project is not work of its own (docs/scheduling.md,
        // "Links"), so the export writes no link from it.
        if item.kind == Kind::Programme || item.tied.is_some() {
            continue;
        }
        let mut next = item.parent;
        // Parents come before their children in the file's order, so this ends.
        while let Some(g) = next.filter(|g| *g < j) {
            work.entry(g).or_default().push(j);
            next = items.get(g).and_then(|p| p.parent);
            if next.is_some_and(|q| q >= g) {
                break;
            }
        }
    }
    let mut by_first: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (&g, pieces) in &work {
        if let (true, Some(&first)) = (pieces.len() >= 2, pieces.first()) {
            by_first.entry(first).or_default().push(g);
        }
    }
    if by_first.is_empty() {
        return;
    }
    let index: BTreeMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.clone(), i))
        .collect();
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    for item in items.iter_mut() {
        let mut k = 0;
        while k < item.dependencies.len() {
            let Some(dep) = item.dependencies.get(k) else {
                break;
            };
            let start_link = matches!(dep.kind, LinkKind::StartToStart | LinkKind::StartToFinish);
            let first = index.get(&dep.target).copied();
            let found = first
                .filter(|_| start_link)
                .and_then(|f| by_first.get(&f))
                .into_iter()
                .flatten()
                .find_map(|&g| {
                    let pieces = work.get(&g)?;
                    let run = item.dependencies.get(k..k + pieces.len())?;
                    let same = run.iter().zip(pieces).all(|(d, &w)| {
                        d.kind == dep.kind
                            && d.lag_days == dep.lag_days
                            && index.get(&d.target) == Some(&w)
                    });
                    same.then_some((g, pieces.len()))
                });
            if let Some((g, n)) = found {
                let collapsed = Dependency {
                    target: ids.get(g).cloned().unwrap_or_default(),
                    kind: dep.kind,
                    lag_days: dep.lag_days,
                    link: dep.link,
                };
                item.dependencies.splice(k..k + n, [collapsed]);
            }
            k += 1;
        }
    }
}

/// Whether task `ancestor` holds task `task` in the outline.
fn is_ancestor(tasks: &[Task<'_, '_>], ancestor: usize, task: usize) -> bool {
    let mut next = tasks.get(task).and_then(|t| t.parent);
    // The outline is a tree built front to back: parents come first, so this ends.
    while let Some(p) = next {
        if p == ancestor {
            return true;
        }
        next = tasks.get(p).and_then(|t| t.parent).filter(|q| *q < p);
    }
    false
}

fn span(file: FileId, node: Node<'_, '_>) -> Span {
    let range = node.range();
    // A diagnostic points at the element's first line: its start tag.
    let end = node
        .first_child()
        .map_or(range.end, |c| c.range().start)
        .min(range.end);
    Span::new(file, range.start, end)
}

/// The byte offset of a 1-based row and column (in characters).
fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == row as usize {
            let chars = line
                .char_indices()
                .nth(col.saturating_sub(1) as usize)
                .map_or(line.len(), |(i, _)| i);
            return offset + chars;
        }
        offset += line.len();
    }
    text.len()
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn elements<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Vec<Node<'a, 'input>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

fn text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).and_then(|c| c.text()).map(str::trim)
}

fn name_of<'a>(node: Node<'a, '_>) -> &'a str {
    text(node, "Name").unwrap_or("")
}

/// The value of a task's extended attribute `field`.
fn extended<'a>(node: Node<'a, '_>, field: &str) -> Option<&'a str> {
    elements(node, "ExtendedAttribute")
        .into_iter()
        .find(|a| text(*a, "FieldID") == Some(field))
        .and_then(|a| text(a, "Value"))
}

/// The day of an MSPDI date-time (`2021-04-01T08:00:00`).
/// `None` outside the years tranche plans in (1900 to 2200), which [`Reader::dates`] warns of.
fn date(text: Option<&str>) -> Option<NaiveDate> {
    any_date(text?).filter(|d| (FIRST_DATE..=LAST_DATE).contains(d))
}

/// The day of an MSPDI date-time, in any year.
fn any_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// The day a finish falls on: a finish at midnight ends the day before (the first day
/// tranche knows, when there is none before it).
fn finish_date(text: Option<&str>) -> Option<NaiveDate> {
    let day = date(text)?;
    if text.is_some_and(|t| t.get(10..).is_some_and(|time| time.starts_with("T00:00"))) {
        Some(day.pred_opt().filter(|d| *d >= FIRST_DATE).unwrap_or(day))
    } else {
        Some(day)
    }
}

/// The day of a milestone fixed to start at an instant: at the start of a day, tranche's
/// milestone is at the end of the working day before; kept on the day given, as a person
/// reading "must start on D" would.
fn start_instant_date(text: Option<&str>) -> Option<NaiveDate> {
    date(text)
}

/// An XML duration (`PT80H0M0S`, `PT8H30M`, `P2DT4H`) in minutes; days count 24 hours.
fn duration_minutes(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let mut seconds = 0.0f64;
    let mut in_time = false;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                seconds += value
                    * match (in_time, unit) {
                        (false, 'D') => 86_400.0,
                        (false, 'W') => 604_800.0,
                        (true, 'H') => 3_600.0,
                        (true, 'M') => 60.0,
                        (true, 'S') => 1.0,
                        _ => return None,
                    };
            }
        }
    }
    if !number.is_empty() {
        return None;
    }
    let minutes = (seconds / 60.0).round() as i64;
    Some(if negative { -minutes } else { minutes })
}

/// An amount in hundredths of the currency (`12000050`, `1200.5`) as whole pence, rounding
/// half up; `None` when it is not a number.
fn hundredths(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let round_up = fraction.bytes().next().is_some_and(|b| b >= b'5');
    whole.checked_add(i64::from(round_up))
}

/// One line of text for a tranche string.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_ident(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !KEYWORDS.contains(&id)
}

/// A name from a title: lower-case letters, digits and single dashes, at most 40 characters,
/// starting with a letter; `fallback` when nothing is left.
fn slug(title: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let mut out = out.trim_matches('-').to_string();
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out = if out.is_empty() {
            fallback.to_string()
        } else {
            format!("{fallback}-{out}")
        };
    }
    if KEYWORDS.contains(&out.as_str()) || BUILT_IN.contains(&out.as_str()) {
        out = format!("{out}-{fallback}");
    }
    out
}

/// The names in use, and for each base given to [`unique`] the first suffix not yet tried.
#[derive(Debug, Default)]
struct Taken {
    names: BTreeSet<String>,
    next: BTreeMap<String, u64>,
}

impl Taken {
    fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    fn insert(&mut self, name: String) {
        self.names.insert(name);
    }
}

/// `base`, or `base-2`, `base-3`, ... whichever is free; marked taken. The search for a base
/// goes on from where the last one for it stopped (the names before are taken still, since
/// names are never given back), so n tasks of one name cost n look-ups, not n²/2 (issue 25:
/// 20,000 tasks named `T` took 31 s).
fn unique(base: &str, taken: &mut Taken) -> String {
    let mut candidate = base.to_string();
    let mut n = taken.next.get(base).copied().unwrap_or(2);
    if taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        while taken.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        taken.next.insert(base.to_string(), n + 1);
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_durations_read_as_minutes() {
        assert_eq!(duration_minutes("PT80H0M0S"), Some(4_800));
        assert_eq!(duration_minutes("PT8H30M0S"), Some(510));
        assert_eq!(duration_minutes("PT0H0M0S"), Some(0));
        assert_eq!(duration_minutes("P1DT2H"), Some(1_560));
        assert_eq!(duration_minutes("-PT8H"), Some(-480));
        assert_eq!(duration_minutes("PT1.5H"), Some(90));
        assert_eq!(duration_minutes("80H"), None);
        assert_eq!(duration_minutes("PT8"), None);
    }

    #[test]
    fn names_become_valid_unique_ids() {
        let mut taken = Taken::default();
        assert_eq!(
            slug("Replace the Case System!", "task"),
            "replace-the-case-system"
        );
        assert_eq!(slug("2021 refresh", "task"), "task-2021-refresh");
        assert_eq!(slug("Start", "task"), "start-task");
        assert_eq!(slug("£££", "task"), "task");
        assert_eq!(unique("go-live", &mut taken), "go-live");
        assert_eq!(unique("go-live", &mut taken), "go-live-2");
        assert!(is_ident("case-system"));
        assert!(!is_ident("Case"));
        assert!(!is_ident("after"));
    }

    #[test]
    fn many_tasks_of_one_name_get_their_ids_in_linear_time() {
        // Issue 25: each id was found by trying `t`, `t-2`, `t-3`, ... from the start, so
        // 200,000 tasks named `T` made 2 × 10¹⁰ look-ups (hours); now each goes on from the
        // last.
        let mut taken = Taken::default();
        taken.insert("t-5".to_string());
        let ids: Vec<String> = (0..200_000).map(|_| unique("t", &mut taken)).collect();
        assert_eq!(
            ids.get(..5),
            Some(&["t", "t-2", "t-3", "t-4", "t-6"].map(String::from)[..])
        );
        assert_eq!(ids.last().map(String::as_str), Some("t-200001"));
        // A name taken since (`t-200002`, as a task's kept id) is still skipped.
        taken.insert("t-200002".to_string());
        assert_eq!(unique("t", &mut taken), "t-200003");
    }

    #[test]
    fn finishes_at_midnight_end_the_day_before() {
        assert_eq!(
            finish_date(Some("2021-04-02T00:00:00")),
            NaiveDate::from_ymd_opt(2021, 4, 1)
        );
        assert_eq!(
            finish_date(Some("2021-04-01T17:00:00")),
            NaiveDate::from_ymd_opt(2021, 4, 1)
        );
        assert_eq!(date(Some("not a date")), None);
    }

    #[test]
    fn costs_in_hundredths_are_whole_pence() {
        assert_eq!(hundredths("180000000"), Some(180_000_000));
        assert_eq!(hundredths("12000050.5"), Some(12_000_051));
        assert_eq!(hundredths("-5"), None);
        assert_eq!(hundredths("1e5"), None);
    }

    fn item(id: &str, kind: Kind, deps: &[(&str, LinkKind, i64)]) -> Item {
        Item {
            id: id.to_string(),
            title: id.to_string(),
            kind,
            parent: None,
            tied: None,
            duration_days: u32::from(kind == Kind::Project),
            dependencies: deps
                .iter()
                .map(|(target, kind, lag_days)| Dependency {
                    target: target.to_string(),
                    kind: *kind,
                    lag_days: *lag_days,
                    link: None,
                })
                .collect(),
            not_before: None,
            deadline: None,
            on: None,
            actual_start: None,
            actual_finish: None,
            complete: None,
            baseline: None,
            owner: None,
            description: None,
            calendar: None,
            capital_pence: None,
        }
    }

    #[test]
    fn milestones_linked_without_lag_to_the_project_before_them_are_tied_to_it() {
        use LinkKind::*;
        let mut items = vec![
            item("build", Kind::Project, &[]),
            item("live", Kind::Milestone, &[("build", FinishToStart, 0)]),
            item("begun", Kind::Milestone, &[("build", StartToStart, 0)]),
            // A lag, another kind, another target or a second link: placed by its links.
            item("later", Kind::Milestone, &[("build", FinishToStart, 2)]),
            item("test", Kind::Project, &[]),
            item(
                "both",
                Kind::Milestone,
                &[("test", FinishToStart, 0), ("build", FinishToStart, 0)],
            ),
            item("other", Kind::Milestone, &[("build", FinishToStart, 0)]),
            item("after-test", Kind::Milestone, &[("test", FinishToStart, 0)]),
            item("ff", Kind::Milestone, &[("test", FinishToFinish, 0)]),
            item("follows", Kind::Milestone, &[("test", FinishToStart, 0)]),
        ];
        let mut ties = vec![Some(true); items.len()];
        ties[2] = Some(false);
        // Linked like a tie, but not marked as one: a milestone that follows the project.
        ties[9] = None;
        tie_milestones(&mut items, &ties);
        let tied: Vec<(&str, Option<bool>, usize)> = items
            .iter()
            .map(|i| (i.id.as_str(), i.tied, i.dependencies.len()))
            .collect();
        assert_eq!(
            tied,
            [
                ("build", None, 0),
                ("live", Some(true), 0),
                ("begun", Some(false), 0),
                ("later", None, 1),
                ("test", None, 0),
                ("both", None, 2),
                ("other", None, 1),
                ("after-test", Some(true), 0),
                ("ff", None, 1),
                ("follows", None, 1),
            ]
        );
    }

    /// A `Project` with `attributes` attributes on each of `elements` tasks.
    fn crowded(elements: usize, attributes: usize) -> String {
        let mut xml = String::from("<?xml version=\"1.0\"?>\n<Project xmlns=\"x\"><Tasks>\n");
        for e in 0..elements {
            xml.push_str("<Task");
            for a in 0..attributes {
                xml.push_str(&format!(" a{a}=\"=\""));
            }
            xml.push_str(&format!("><UID>{e}</UID></Task>\n"));
        }
        xml.push_str("</Tasks></Project>\n");
        xml
    }

    #[test]
    fn an_element_with_very_many_attributes_is_refused_in_linear_time() {
        // Issue 25: the XML parser compares each attribute with the element's earlier ones, so
        // this file (one `Task` with 300,000 attributes, 3.6 MB) would take minutes in a
        // release build and hours in this one if it reached the parser; the scan before it
        // refuses it in one pass.
        let xml = crowded(1, 300_000);
        let mut out = Vec::new();
        assert!(read(FileId(0), &xml, &mut out).is_none());
        let messages: Vec<(Code, &str)> =
            out.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [(
                Code::E080NotMspdi,
                "element `Task` has 300000 attributes; Microsoft Project's XML keeps its data \
                 in elements, and no element of it has more than 64"
            )]
        );
        let start = xml.find("<Task ").unwrap_or_default();
        let span = out.first().and_then(|d| d.span);
        assert_eq!(
            span.map(|s| (s.start as usize, s.end as usize)),
            Some((start, start + 5))
        );
    }

    #[test]
    fn elements_with_attributes_up_to_the_limit_reach_the_parser() {
        // 64,000 attributes, 64 to an element: the parser's work is linear in them.
        let mut out = Vec::new();
        let xml = crowded(1_000, MAX_ATTRIBUTES);
        assert_eq!(crowded_element(&xml), None);
        assert!(parse(FileId(0), &xml, &mut out).is_some(), "{out:?}");
        assert!(out.is_empty());
    }

    #[test]
    fn the_attribute_scan_reads_start_tags_only() {
        let many = (0..=MAX_ATTRIBUTES)
            .map(|a| format!(" a{a}='>'"))
            .collect::<String>();
        // In a comment, CDATA, a processing instruction, text or an end tag, `=` is no attribute.
        let hidden = format!(
            "<!-- <x{many}> --><Project><![CDATA[<x{many}>]]><?pi <x{many}> ?>{}</Project {}>",
            "=".repeat(100),
            "=".repeat(100)
        );
        assert_eq!(crowded_element(&hidden), None);
        let shown = format!("<Project><Tasks/><Task\n{many}/></Project>");
        assert_eq!(
            crowded_element(&shown),
            Some(Crowded {
                offset: 17,
                name: "Task",
                attributes: MAX_ATTRIBUTES + 1
            })
        );
        // A declared document type stops the scan (the parser refuses it); so does an open quote.
        assert_eq!(crowded_element(&format!("<!DOCTYPE p><p{many}/>")), None);
        assert_eq!(crowded_element(&format!("<p b=\"{many}")), None);
    }

    #[test]
    fn error_positions_become_byte_offsets() {
        assert_eq!(offset_of("ab\n£cd", 2, 2), 5);
        assert_eq!(offset_of("ab", 9, 1), 2);
    }
}
