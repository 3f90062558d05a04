//! The answers to an editor's requests, each from an analysed [`Plan`]: hover, definition,
//! references, rename, completion, outline, formatting, folding, quick fixes and inlay hints.
//! Pure functions of the plan and the position asked about.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use lsp_types as lsp;

use super::Plan;
use super::index::{Decl, DeclKind, Space};
use crate::analysis::Analysis;
use crate::diagnostic::{FileId, Span};
use crate::finance::{self, Amounts, Detail, Profile};
use crate::model::{ItemId, MilestoneId, Portfolio, ProgrammeId, ProjectId};
use crate::schedule::Timing;

/// Every declaration of the plan's files with the file it is in.
fn decls(plan: &Plan) -> impl Iterator<Item = &Decl> {
    plan.files().flat_map(|file| plan.index(file).decls.iter())
}

/// The declaration of `id` in `space`, anywhere in the plan.
fn declaration<'p>(plan: &'p Plan, space: Space, id: &str) -> Option<&'p Decl> {
    decls(plan).find(|d| d.declares(space, id))
}

/// The name at `offset` in `file`, where it stands, and its declaration; `None` where there is
/// no name or it is declared nowhere.
fn declared_at(plan: &Plan, file: FileId, offset: usize) -> Option<(&Decl, Span)> {
    let (space, id, span) = plan.index(file).name_at(offset)?;
    Some((declaration(plan, space, id)?, span))
}

pub(crate) fn definition(
    plan: &Plan,
    file: FileId,
    offset: usize,
) -> Option<lsp::GotoDefinitionResponse> {
    let (decl, _) = declared_at(plan, file, offset)?;
    Some(lsp::GotoDefinitionResponse::Scalar(
        plan.location(decl.id_span)?,
    ))
}

/// Every place `id` of `space` is written in the plan (declaration first, if asked for).
fn occurrences(plan: &Plan, space: Space, id: &str, declaration: bool) -> Vec<Span> {
    let mut spans = Vec::new();
    for file in plan.files() {
        let index = plan.index(file);
        if declaration {
            spans.extend(
                index
                    .decls
                    .iter()
                    .filter(|d| d.declares(space, id))
                    .map(|d| d.id_span),
            );
        }
        spans.extend(
            index
                .refs
                .iter()
                .filter(|r| r.space == space && r.id == id)
                .map(|r| r.span),
        );
    }
    spans.sort();
    spans
}

pub(crate) fn references(
    plan: &Plan,
    file: FileId,
    offset: usize,
    declaration: bool,
) -> Option<Vec<lsp::Location>> {
    let (space, id, _) = plan.index(file).name_at(offset)?;
    Some(
        occurrences(plan, space, id, declaration)
            .into_iter()
            .filter_map(|span| plan.location(span))
            .collect(),
    )
}

pub(crate) fn prepare_rename(
    plan: &Plan,
    file: FileId,
    offset: usize,
) -> Option<lsp::PrepareRenameResponse> {
    let (_, span) = declared_at(plan, file, offset)?;
    Some(lsp::PrepareRenameResponse::Range(plan.range(span)))
}

/// Whether `name` is an id as the grammar's `ident` has it: a lower-case letter, then
/// lower-case letters, digits and `-`.
fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

// lsp-types keys a workspace edit's changes by `Uri`, whose parser caches a position in a
// `Cell`; the cache takes no part in hashing or equality, so the map is sound.
/// Renames the id at `offset` everywhere in the plan; refused (with the reason) when the new
/// name is not an id, is taken in the same namespace, or the old one is declared nowhere.
#[allow(clippy::mutable_key_type)]
pub(crate) fn rename(
    plan: &Plan,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<lsp::WorkspaceEdit, String> {
    let Some((space, id, _)) = plan.index(file).name_at(offset) else {
        return Err("there is no id here to rename".to_string());
    };
    if !is_ident(new_name) {
        return Err(format!(
            "`{new_name}` is not an id: use a lower-case letter, then lower-case letters, digits and `-`"
        ));
    }
    let Some(decl) = declaration(plan, space, id) else {
        return Err(format!(
            "`{id}` is declared nowhere in this plan (a built-in calendar cannot be renamed)"
        ));
    };
    if new_name == id {
        return Ok(lsp::WorkspaceEdit::default());
    }
    if let Some(taken) = declaration(plan, space, new_name) {
        return Err(format!(
            "`{new_name}` is already the id of a {}: renaming the {} `{id}` would make them collide",
            taken.kind.noun(),
            decl.kind.noun()
        ));
    }
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for span in occurrences(plan, space, id, true) {
        let Some(uri) = plan.uri(span.file) else {
            continue;
        };
        changes
            .entry(uri)
            .or_default()
            .push(lsp::TextEdit::new(plan.range(span), new_name.to_string()));
    }
    Ok(lsp::WorkspaceEdit::new(changes))
}

// ---------------------------------------------------------------------------------------------
// Hover

pub(crate) fn hover(plan: &Plan, file: FileId, offset: usize) -> Option<lsp::Hover> {
    // An id the analysed plan knows is found from the text around the cursor, without the
    // file's index: right after an edit that would mean parsing the file again, which in a
    // plan of 10,000 projects is most of a hover's budget (docs/benchmarks.md).
    if let Some((space, id, span)) = word_at(plan, file, offset) {
        return Some(markdown(plan, hover_name(plan, space, id), span));
    }
    let index = plan.index(file);
    let text = if let Some((space, id, span)) = index.name_at(offset) {
        Some((hover_name(plan, space, id), span))
    } else if let Some(at) = index
        .durations
        .iter()
        .find(|d| contains(d.literal.span, offset))
    {
        Some((hover_duration(plan, at), at.literal.span))
    } else {
        index
            .money
            .iter()
            .find(|m| contains(m.span, offset))
            .map(|m| (hover_money(plan, m.span, m.owner.as_deref()), m.span))
    };
    let (value, span) = text?;
    Some(markdown(plan, value, span))
}

fn markdown(plan: &Plan, value: String, span: Span) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: Some(plan.range(span)),
    }
}

/// The id under the cursor, read from the line's text, when the analysed plan declares it: its
/// namespace from the word before it (`theme`, `calendar`, `based-on`, `needs`, `team`; any
/// other is work), and
/// in `project.milestone` the part the cursor is on. `None` in a comment or a string, or for a
/// word the plan does not declare (the index then decides).
fn word_at(plan: &Plan, file: FileId, offset: usize) -> Option<(Space, &str, Span)> {
    let portfolio = plan.portfolio.as_ref()?;
    let text = plan.text(file);
    let offset = super::text::floor_char(text, offset);
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..offset)?;
    // In a comment or a string: an odd number of quotes, or a `#` outside quotes.
    let mut quoted = false;
    for c in before.chars() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return None,
            _ => {}
        }
    }
    if quoted {
        return None;
    }
    let is_id = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let start = offset - before.chars().rev().take_while(|c| is_id(*c)).count();
    let end = offset
        + text
            .get(offset..)?
            .chars()
            .take_while(|c| is_id(*c))
            .count();
    let id = text.get(start..end)?;
    if !is_ident(id) {
        return None;
    }
    let previous = text
        .get(line_start..start)?
        .trim_end_matches('.')
        .split_whitespace()
        .last()
        .unwrap_or_default();
    let space = match previous {
        "theme" => Space::Theme,
        "calendar" | "based-on" => Space::Calendar,
        "needs" | "team" => Space::Team,
        "risk" | "issue" | "assumption" | "decision" => Space::Raid,
        _ => Space::Work,
    };
    let known = match space {
        Space::Work => work_item(portfolio, id).is_some(),
        Space::Theme => portfolio.themes.iter().any(|t| t.id == id),
        Space::Calendar => portfolio.calendars.iter().any(|c| c.id == id),
        Space::Team => portfolio.teams.iter().any(|t| t.id == id),
        Space::Raid => declaration(plan, Space::Raid, id).is_some(),
    };
    known.then(|| (space, id, Span::new(file, start, end)))
}

fn contains(span: Span, offset: usize) -> bool {
    (span.start as usize) <= offset && offset <= span.end as usize
}

/// The item a work id names.
fn work_item(portfolio: &Portfolio, id: &str) -> Option<ItemId> {
    let index = |i: usize| u32::try_from(i).ok();
    if let Some(i) = portfolio.projects.iter().position(|p| p.id == id) {
        return index(i).map(|i| ItemId::Project(ProjectId(i)));
    }
    if let Some(i) = portfolio.milestones.iter().position(|m| m.id == id) {
        return index(i).map(|i| ItemId::Milestone(MilestoneId(i)));
    }
    let i = portfolio.programmes.iter().position(|g| g.id == id)?;
    index(i).map(|i| ItemId::Programme(ProgrammeId(i)))
}

fn hover_name(plan: &Plan, space: Space, id: &str) -> String {
    let mut out = String::new();
    let (Some(portfolio), Some(analysis)) = (&plan.portfolio, &plan.analysis) else {
        // No model: what the text declares is all there is to say.
        let decl = declaration(plan, space, id);
        let noun = decl.map_or("name", |d| d.kind.noun());
        header(&mut out, noun, id, decl.and_then(|d| d.title.as_deref()));
        out.push_str(match decl {
            None => "\nnot declared in this plan\n",
            Some(_) => "\n(the plan has errors: no schedule to show)\n",
        });
        return out;
    };
    let (noun, title) = noun_and_title(plan, portfolio, space, id);
    header(&mut out, noun, id, title.filter(|t| !t.is_empty()));
    let finance = &analysis.finance;
    match space {
        Space::Work => {
            if let Some(item) = work_item(portfolio, id) {
                work_text(&mut out, portfolio, analysis, item);
            }
        }
        Space::Theme => {
            if let Some(profile) = portfolio
                .themes
                .iter()
                .position(|t| t.id == id)
                .and_then(|t| finance.themes.get(t))
            {
                years_text(&mut out, finance, profile);
            }
        }
        Space::Team => team_text(&mut out, portfolio, analysis, id),
        // Its register row (probability, impacts, score) is `tranche raid`'s; the hover names it.
        Space::Raid => {}
        Space::Calendar => {
            if let Some(calendar) = portfolio.calendars.iter().find(|c| c.id == id) {
                let _ = writeln!(
                    out,
                    "\n{} closure{}{}",
                    calendar.closed.len(),
                    if calendar.closed.len() == 1 { "" } else { "s" },
                    if calendar.bank_holidays {
                        ", England and Wales bank holidays off"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    out
}

/// The hover's first line: `**project** `id`: Title`.
fn header(out: &mut String, noun: &str, id: &str, title: Option<&str>) {
    let _ = write!(out, "**{noun}** `{id}`");
    if let Some(title) = title {
        let _ = write!(out, ": {title}");
    }
    out.push('\n');
}

/// What `id` in `space` is, and its title, from the model: no need to read the files' names.
fn noun_and_title<'p>(
    plan: &'p Plan,
    portfolio: &'p Portfolio,
    space: Space,
    id: &str,
) -> (&'static str, Option<&'p str>) {
    match space {
        Space::Work => match work_item(portfolio, id) {
            Some(item) => (
                item.noun(),
                portfolio
                    .id_and_title(item)
                    .map(|(_, title)| title.as_str()),
            ),
            None => ("name", None),
        },
        Space::Theme => (
            "theme",
            portfolio
                .themes
                .iter()
                .find(|t| t.id == id)
                .map(|t| t.title.as_str()),
        ),
        Space::Calendar => ("calendar", None),
        Space::Raid => {
            let decl = declaration(plan, Space::Raid, id);
            (
                decl.map_or("RAID entry", |d| d.kind.noun()),
                decl.and_then(|d| d.title.as_deref()),
            )
        }
        Space::Team => (
            "team",
            portfolio
                .teams
                .iter()
                .find(|t| t.id == id)
                .map(|t| t.title.as_str()),
        ),
    }
}

/// A project's, milestone's or programme's owner, dates and (for a project or programme)
/// money by year.
fn work_text(out: &mut String, portfolio: &Portfolio, analysis: &Analysis, item: ItemId) {
    let finance = &analysis.finance;
    let schedule = &analysis.schedule;
    let owner_line = |out: &mut String, owner: &str| {
        let _ = writeln!(out, "\nowner: {owner}");
    };
    match item {
        ItemId::Project(p) => {
            let project = &portfolio.projects[p.0 as usize];
            let owner = project.owner().map(str::to_string).or_else(|| {
                let programme = portfolio.programmes.get(project.programme?.0 as usize)?;
                programme
                    .owner
                    .as_ref()
                    .map(|o| format!("{o} (the programme's)"))
            });
            if let Some(owner) = owner {
                owner_line(out, &owner);
            }
            if let Some(timing) = schedule.projects.get(p.0 as usize) {
                timing_text(out, timing);
            }
            if let Some(profile) = finance.projects.get(p.0 as usize) {
                years_text(out, finance, profile);
            }
        }
        ItemId::Milestone(m) => {
            if let Some(owner) = portfolio.milestones[m.0 as usize].owner() {
                owner_line(out, owner);
            }
            if let Some(timing) = schedule.milestones.get(m.0 as usize) {
                timing_text(out, timing);
            }
        }
        ItemId::Programme(g) => {
            if let Some(owner) = &portfolio.programmes[g.0 as usize].owner {
                owner_line(out, owner);
            }
            if let Some(timing) = schedule.programmes.get(g.0 as usize) {
                timing_text(out, timing);
            }
            if let Some(profile) = finance.programmes.get(g.0 as usize) {
                years_text(out, finance, profile);
            }
        }
    }
}

/// A team's sizes and, from the load the analysis worked out, where it is over-allocated.
fn team_text(out: &mut String, portfolio: &Portfolio, analysis: &Analysis, id: &str) {
    let Some((t, team)) = portfolio.teams.iter().enumerate().find(|(_, t)| t.id == id) else {
        return;
    };
    let _ = writeln!(out);
    for size in &team.sizes {
        let _ = match size.from {
            None => writeln!(out, "{} from the plan's start  ", size.size.people()),
            Some(from) => writeln!(out, "{} from {from}  ", size.size.people()),
        };
    }
    if let Some(load) = analysis.load.teams.get(t) {
        let over: u32 = load
            .runs
            .iter()
            .filter(|r| r.over())
            .map(|r| r.working_days)
            .sum();
        let peak = load.runs.iter().map(|r| r.demand).max().unwrap_or_default();
        let _ = writeln!(
            out,
            "\nmost needed on one day: {}; working days over: {over}",
            peak.people()
        );
    }
}

fn timing_text(out: &mut String, t: &Timing) {
    let _ = writeln!(out, "\n| | start | finish |\n|---|---|---|");
    let _ = writeln!(out, "| forecast | {} | {} |", t.start, t.finish);
    let _ = writeln!(out, "| early | {} | {} |", t.early_start, t.early_finish);
    let _ = writeln!(out, "| late | {} | {} |", t.late_start, t.late_finish);
    let _ = writeln!(
        out,
        "\ntotal float {}, free float {}; {}",
        days(t.total_float_days),
        days(t.free_float_days),
        if t.critical {
            "**critical**"
        } else {
            "not critical"
        }
    );
    match (t.rag, t.slip_days) {
        (Some(rag), Some(slip)) => {
            let rag = rag.as_str();
            let _ = writeln!(
                out,
                "\nRAG {rag}: {} {} its baseline",
                days(slip.unsigned_abs()),
                if slip >= 0 { "behind" } else { "ahead of" }
            );
        }
        _ => out.push_str("\nno baseline: no RAG\n"),
    }
}

/// `1 working day`, `3 working days`.
fn days(n: impl std::fmt::Display) -> String {
    crate::diagnostic::count::count(n, "working day", "working days")
}

/// A table of money by financial year: only the years and columns with money.
fn years_text(out: &mut String, finance: &finance::Finance, profile: &Profile) {
    let rows: Vec<(String, Amounts)> = finance
        .years
        .iter()
        .enumerate()
        .filter_map(|(i, year)| {
            let amounts = profile.yearly.get(i)?;
            let any = [
                amounts.capital,
                amounts.revenue,
                amounts.savings,
                amounts.benefits,
            ]
            .iter()
            .any(|m| m.0 != 0);
            any.then(|| {
                (
                    finance::year_label(*year, finance.financial_year_start),
                    amounts,
                )
            })
        })
        .collect();
    money_table(out, &rows);
}

/// A column of the money table: its heading, and its figure in a year.
type Column = (&'static str, fn(&Amounts) -> crate::money::Money);

fn money_table(out: &mut String, rows: &[(String, Amounts)]) {
    if rows.is_empty() {
        out.push_str("\nno money in any year\n");
        return;
    }
    let columns: [Column; 4] = [
        ("capital", |a| a.capital),
        ("revenue", |a| a.revenue),
        ("savings", |a| a.savings),
        ("benefits", |a| a.benefits),
    ];
    let shown: Vec<_> = columns
        .iter()
        .filter(|(_, get)| rows.iter().any(|(_, a)| get(a).0 != 0))
        .collect();
    out.push_str("\n| year |");
    for (name, _) in &shown {
        let _ = write!(out, " {name} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(shown.len()));
    out.push('\n');
    for (year, amounts) in rows {
        let _ = write!(out, "| {year} |");
        for (_, get) in &shown {
            let _ = write!(out, " {} |", get(amounts));
        }
        out.push('\n');
    }
}

fn hover_duration(plan: &Plan, at: &super::index::DurationAt) -> String {
    let mut out = String::new();
    match crate::model::working_days(&at.literal) {
        Ok(working) => {
            let _ = writeln!(
                out,
                "`{}{}{}`: **{}**",
                at.literal.number,
                if at.literal.unit_text().is_empty() {
                    ""
                } else {
                    " "
                },
                at.literal.unit_text(),
                days(working)
            );
        }
        Err(d) => {
            let _ = writeln!(out, "{}", d.message);
        }
    }
    if let (true, Some(owner), Some(portfolio), Some(analysis)) = (
        at.is_duration,
        at.owner.as_deref(),
        &plan.portfolio,
        &plan.analysis,
    ) {
        let timing = match work_item(portfolio, owner) {
            Some(ItemId::Project(p)) => analysis.schedule.projects.get(p.0 as usize),
            Some(ItemId::Milestone(m)) => analysis.schedule.milestones.get(m.0 as usize),
            _ => None,
        };
        if let Some(t) = timing {
            let _ = writeln!(
                out,
                "\n`{owner}` runs {} to {} ({} on its calendar)",
                t.start,
                t.finish,
                days(t.duration_days)
            );
        }
    }
    out
}

/// What one money line puts in which financial year: the plan's money profiled again with
/// only this line, on the schedule already computed.
fn hover_money(plan: &Plan, span: Span, owner: Option<&str>) -> String {
    let line = plan
        .text(span.file)
        .get(span.range())
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let mut out = format!("`{line}`\n");
    let (Some(portfolio), Some(analysis), Some(owner)) = (&plan.portfolio, &plan.analysis, owner)
    else {
        out.push_str("\n(the plan has errors: no schedule to time the money on)\n");
        return out;
    };
    let Some(ItemId::Project(p)) = work_item(portfolio, owner) else {
        return out;
    };
    let mut alone = portfolio.clone();
    for (i, project) in alone.projects.iter_mut().enumerate() {
        let this = i == p.0 as usize;
        let costs: Vec<_> = project
            .costs
            .iter()
            .filter(|c| this && cost_span(c) == span)
            .cloned()
            .collect();
        project.costs = costs.into();
        let savings: Vec<_> = project
            .savings
            .iter()
            .filter(|s| this && s.span == span)
            .cloned()
            .collect();
        project.savings = savings.into();
        if project.details.is_some() {
            project
                .details_mut()
                .benefits
                .retain(|b| this && b.span == span);
        }
    }
    let finance = finance::profile_with(
        &alone,
        &analysis.schedule,
        &analysis.calendars,
        Detail::ProjectYearsOnly,
    );
    if let Some(profile) = finance.projects.get(p.0 as usize) {
        years_text(&mut out, &finance, profile);
    }
    out
}

fn cost_span(cost: &crate::model::Cost) -> Span {
    match cost {
        crate::model::Cost::Capital { span, .. }
        | crate::model::Cost::Revenue { span, .. }
        | crate::model::Cost::OneOff { span, .. } => *span,
    }
}

// ---------------------------------------------------------------------------------------------
// Completion

pub(crate) fn completion(
    plan: &Plan,
    file: FileId,
    offset: usize,
) -> Option<lsp::CompletionResponse> {
    let text = plan.text(file);
    let offset = super::text::floor_char(text, offset);
    let before = text.get(..offset)?;
    let line = before.rsplit('\n').next().unwrap_or_default();
    // The word being typed, and the words before it on the line.
    let partial_len = line
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
        .map(char::len_utf8)
        .sum::<usize>();
    let partial = line.get(line.len() - partial_len..).unwrap_or_default();
    let head = line.get(..line.len() - partial_len).unwrap_or_default();
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let previous = words.last().copied().unwrap_or_default();
    let mut items: Vec<lsp::CompletionItem> = Vec::new();
    let in_dependency = words.first().is_some_and(|w| *w == "after")
        || words.get(..2).is_some_and(|w| w == ["finishes", "after"]);
    let after_comma = head.trim_end().ends_with(',');

    if let Some((project, _)) = partial.split_once('.') {
        // `case-system.` : the milestones of that project.
        ids(plan, Space::Work, &mut items, |d| {
            d.kind == DeclKind::Milestone && d.parent.as_deref() == Some(project)
        });
        return Some(lsp::CompletionResponse::Array(items));
    }
    if matches!(previous, "after" | "of" | "at" | "from" | "affects")
        || (in_dependency && after_comma)
    {
        ids(plan, Space::Work, &mut items, |_| true);
    } else if previous == "theme" {
        ids(plan, Space::Theme, &mut items, |_| true);
    } else if previous == "needs" {
        ids(plan, Space::Team, &mut items, |_| true);
    } else if matches!(previous, "calendar" | "based-on") {
        ids(plan, Space::Calendar, &mut items, |_| true);
        if !items.iter().any(|i| i.label == "england-and-wales") {
            items.push(item(
                "england-and-wales",
                lsp::CompletionItemKind::ENUM_MEMBER,
                "built-in calendar",
            ));
        }
    } else if !previous.is_empty()
        && previous
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && previous.chars().any(|c| c.is_ascii_digit())
    {
        for unit in ["days", "weeks", "months", "years"] {
            items.push(item(
                unit,
                lsp::CompletionItemKind::UNIT,
                "unit of working time",
            ));
        }
        return Some(lsp::CompletionResponse::Array(items));
    }
    for keyword in crate::syntax::keywords_at(text, offset - partial.len()) {
        items.push(item(&keyword, lsp::CompletionItemKind::KEYWORD, "keyword"));
    }
    Some(lsp::CompletionResponse::Array(items))
}

fn item(label: &str, kind: lsp::CompletionItemKind, detail: &str) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..Default::default()
    }
}

/// The declared ids of `space` that `keep` keeps, as completion items.
fn ids(
    plan: &Plan,
    space: Space,
    items: &mut Vec<lsp::CompletionItem>,
    keep: impl Fn(&Decl) -> bool,
) {
    let mut seen = std::collections::BTreeSet::new();
    for decl in decls(plan).filter(|d| d.kind.space() == Some(space) && keep(d)) {
        if !seen.insert(decl.id.clone()) {
            continue;
        }
        let kind = match decl.kind {
            DeclKind::Project => lsp::CompletionItemKind::CLASS,
            DeclKind::Programme => lsp::CompletionItemKind::MODULE,
            DeclKind::Milestone => lsp::CompletionItemKind::EVENT,
            DeclKind::Theme
            | DeclKind::Calendar
            | DeclKind::Team
            | DeclKind::Raid(_)
            | DeclKind::Portfolio => lsp::CompletionItemKind::ENUM_MEMBER,
        };
        let detail = match &decl.title {
            Some(title) => format!("{} — {title}", decl.kind.noun()),
            None => decl.kind.noun().to_string(),
        };
        items.push(item(&decl.id, kind, &detail));
    }
}

// ---------------------------------------------------------------------------------------------
// Outline, formatting, folding

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be given, though it is deprecated.
pub(crate) fn symbols(plan: &Plan, file: FileId) -> lsp::DocumentSymbolResponse {
    let index = plan.index(file);
    // Declarations come in document order, each before what it contains: a stack of open
    // ones nests them.
    let mut stack: Vec<(Span, lsp::DocumentSymbol)> = Vec::new();
    let mut top: Vec<lsp::DocumentSymbol> = Vec::new();
    let close = |stack: &mut Vec<(Span, lsp::DocumentSymbol)>,
                 top: &mut Vec<lsp::DocumentSymbol>| {
        if let Some((_, symbol)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(symbol),
                None => top.push(symbol),
            }
        }
    };
    for decl in &index.decls {
        while stack
            .last()
            .is_some_and(|(span, _)| span.end < decl.span.end || span.end <= decl.span.start)
        {
            close(&mut stack, &mut top);
        }
        let kind = match decl.kind {
            DeclKind::Portfolio => lsp::SymbolKind::PACKAGE,
            DeclKind::Programme => lsp::SymbolKind::NAMESPACE,
            DeclKind::Project => lsp::SymbolKind::CLASS,
            DeclKind::Milestone => lsp::SymbolKind::EVENT,
            DeclKind::Theme => lsp::SymbolKind::ENUM_MEMBER,
            DeclKind::Calendar => lsp::SymbolKind::OBJECT,
            DeclKind::Team => lsp::SymbolKind::STRUCT,
            DeclKind::Raid(_) => lsp::SymbolKind::EVENT,
        };
        let name = if decl.id.is_empty() {
            decl.title
                .clone()
                .unwrap_or_else(|| decl.kind.noun().to_string())
        } else {
            decl.id.clone()
        };
        let symbol = lsp::DocumentSymbol {
            name,
            detail: Some(match &decl.title {
                Some(title) if !decl.id.is_empty() => format!("{} — {title}", decl.kind.noun()),
                _ => decl.kind.noun().to_string(),
            }),
            kind,
            tags: None,
            deprecated: None,
            range: plan.range(decl.span),
            selection_range: plan.range(decl.id_span),
            children: None,
        };
        stack.push((decl.span, symbol));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top);
    }
    lsp::DocumentSymbolResponse::Nested(top)
}

/// The file in `fmt`'s layout, as one edit of the whole text; `None` when it has syntax errors
/// (there is no layout for text that does not parse) or is already formatted.
pub(crate) fn format(plan: &Plan, file: FileId) -> Option<Vec<lsp::TextEdit>> {
    let text = plan.text(file);
    let formatted = crate::fmt::format_source(file, text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let whole = plan.range(Span::new(file, 0, text.len()));
    Some(vec![lsp::TextEdit::new(whole, formatted)])
}

pub(crate) fn folding(plan: &Plan, file: FileId) -> Vec<lsp::FoldingRange> {
    let index = plan.index(file);
    let mut ranges = Vec::new();
    for decl in index.decls.iter().filter(|d| d.has_body) {
        let range = plan.range(decl.span);
        if range.end.line > range.start.line {
            ranges.push(lsp::FoldingRange {
                start_line: range.start.line,
                end_line: range.end.line,
                kind: Some(lsp::FoldingRangeKind::Region),
                ..Default::default()
            });
        }
    }
    // Runs of comment lines, one after another.
    let mut run: Option<(u32, u32)> = None;
    for comment in &index.comments {
        let line = plan.range(*comment).start.line;
        run = match run {
            Some((first, last)) if line == last + 1 => Some((first, line)),
            Some((first, last)) => {
                comment_fold(&mut ranges, first, last);
                Some((line, line))
            }
            None => Some((line, line)),
        };
    }
    if let Some((first, last)) = run {
        comment_fold(&mut ranges, first, last);
    }
    ranges
}

fn comment_fold(ranges: &mut Vec<lsp::FoldingRange>, first: u32, last: u32) {
    if last > first {
        ranges.push(lsp::FoldingRange {
            start_line: first,
            end_line: last,
            kind: Some(lsp::FoldingRangeKind::Comment),
            ..Default::default()
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Code actions and inlay hints

/// Quick fixes for the diagnostics the client sends back: a did-you-mean replaces the name
/// with the suggestion; a lint offers `allow Wnnn` in the project it is about (or the
/// portfolio), with a comment to say why.
pub(crate) fn code_actions(
    plan: &Plan,
    file: FileId,
    params: &lsp::CodeActionParams,
) -> Vec<lsp::CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        let code = match &diagnostic.code {
            Some(lsp::NumberOrString::String(code)) => code.as_str(),
            _ => continue,
        };
        if let Some(suggestion) = did_you_mean(&diagnostic.message) {
            let edit = lsp::TextEdit::new(diagnostic.range, suggestion.to_string());
            actions.push(quick_fix(
                format!("replace with `{suggestion}`"),
                diagnostic,
                uri,
                vec![edit],
                true,
            ));
        }
        if code.starts_with("W1")
            && let Some((target, edit)) = allow_edit(plan, file, diagnostic.range, code)
        {
            actions.push(quick_fix(
                format!("allow {code} in {target}"),
                diagnostic,
                &plan.uri(edit.0).unwrap_or_else(|| uri.clone()),
                vec![edit.1],
                false,
            ));
        }
    }
    actions
}

// As in `rename`: the `Uri` key's cell is no part of its hash.
#[allow(clippy::mutable_key_type)]
fn quick_fix(
    title: String,
    diagnostic: &lsp::Diagnostic,
    uri: &lsp::Uri,
    edits: Vec<lsp::TextEdit>,
    preferred: bool,
) -> lsp::CodeActionOrCommand {
    let changes = HashMap::from([(uri.clone(), edits)]);
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(lsp::WorkspaceEdit::new(changes)),
        is_preferred: Some(preferred),
        ..Default::default()
    })
}

/// The `x` of a message that ends "did you mean `x`?".
fn did_you_mean(message: &str) -> Option<&str> {
    let first = message.lines().next()?;
    let rest = first.split("did you mean `").nth(1)?;
    let suggestion = rest.split('`').next()?;
    is_ident(suggestion.split('.').next().unwrap_or_default()).then_some(suggestion)
}

/// Where `allow CODE` goes for a lint at `range`: the innermost project block around it in
/// this file, or else the portfolio block; the edit inserts the line after the block's `{`.
fn allow_edit(
    plan: &Plan,
    file: FileId,
    range: lsp::Range,
    code: &str,
) -> Option<(String, (FileId, lsp::TextEdit))> {
    let text = plan.text(file);
    let offset = plan.lines[file.0 as usize].offset(text, range.start);
    let project = plan
        .index(file)
        .decls
        .iter()
        .filter(|d| d.kind == DeclKind::Project && d.has_body && contains(d.span, offset))
        .min_by_key(|d| d.span.end - d.span.start);
    let (decl, target) = match project {
        Some(decl) => (decl, format!("project `{}`", decl.id)),
        None => (
            decls(plan).find(|d| d.kind == DeclKind::Portfolio && d.has_body)?,
            "the portfolio".to_string(),
        ),
    };
    let file = decl.span.file;
    let text = plan.text(file);
    let brace = decl.span.start as usize + text.get(decl.span.range())?.find('{')?;
    let lines = &plan.lines[file.0 as usize];
    let at = lines.position(text, brace);
    let line_start = text.get(..brace)?.rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text
        .get(line_start..)?
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let insert = lsp::Position::new(at.line + 1, 0);
    let new_text = format!("{indent}  allow {code} # why this is acceptable: \n");
    Some((
        target,
        (
            file,
            lsp::TextEdit::new(lsp::Range::new(insert, insert), new_text),
        ),
    ))
}

/// Each project's computed start and finish at the end of its declaration's first line.
pub(crate) fn inlay_hints(plan: &Plan, file: FileId, range: lsp::Range) -> Vec<lsp::InlayHint> {
    let (Some(portfolio), Some(analysis)) = (&plan.portfolio, &plan.analysis) else {
        return Vec::new();
    };
    let by_id: BTreeMap<&str, usize> = portfolio
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let text = plan.text(file);
    let lines = &plan.lines[file.0 as usize];
    let mut hints = Vec::new();
    for decl in plan
        .index(file)
        .decls
        .iter()
        .filter(|d| d.kind == DeclKind::Project)
    {
        let start = lines.position(text, decl.id_span.start as usize);
        if start.line < range.start.line || start.line > range.end.line {
            continue;
        }
        let Some(timing) = by_id
            .get(decl.id.as_str())
            .and_then(|&i| analysis.schedule.projects.get(i))
        else {
            continue;
        };
        let line_end = text
            .get(decl.id_span.start as usize..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| decl.id_span.start as usize + i);
        let label = format!(
            "{} → {}{}",
            timing.start,
            timing.finish,
            if timing.critical { " (critical)" } else { "" }
        );
        hints.push(lsp::InlayHint {
            position: lines.position(text, line_end),
            label: lsp::InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    hints
}
