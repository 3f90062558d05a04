//! "Changes since the last report" (`tranche report --since REV` or `--previous OLD`): the
//! first question of a quarterly report, answered from `diff` and the two versions' schedules.
//! What moved (against the previous report and against the baseline), which RAG statuses
//! changed, what was added and removed, which milestones were achieved, and the savings
//! forecast by year then and now.
//!
//! Input: the two analysed versions and their [`Diff`]. Output: a [`Since`] the renderers lay
//! out; nothing here is computed twice (moves, additions and savings are the diff's).

use chrono::NaiveDate;
use serde::Serialize;

use crate::diff::{Change, Diff, Item, Version};
use crate::report::text::{Cell, Column, MoneyScale, Table};
use crate::report::view::{date_cell, days_text, figure, rag_text};
use crate::schedule::Rag;

/// The section.
#[derive(Debug, Clone, Serialize)]
pub struct Since {
    /// What the previous report was read from: a git revision or a file, as given.
    pub previous: String,
    /// The previous version's status date (or start).
    pub previous_as_of: NaiveDate,
    /// The plan's forecast finish then and now, when it changed.
    pub finish: Option<Change<NaiveDate>>,
    pub moved: Vec<Moved>,
    pub rag_changes: Vec<RagChange>,
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub achieved: Vec<Achieved>,
    pub savings: Vec<SavingsThenNow>,
}

/// A project whose forecast finish moved.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub id: String,
    pub title: String,
    pub finish: Change<NaiveDate>,
    /// Working days since the previous report (the diff's), later positive.
    pub moved_days: i64,
    /// Working days behind (positive) or ahead of its baseline now, when it has one.
    pub against_baseline_days: Option<i64>,
}

/// A project whose RAG status changed.
#[derive(Debug, Clone, Serialize)]
pub struct RagChange {
    pub id: String,
    pub title: String,
    pub before: Option<Rag>,
    pub after: Option<Rag>,
}

/// A milestone achieved since the previous report: it has its actual date now, not then.
#[derive(Debug, Clone, Serialize)]
pub struct Achieved {
    pub id: String,
    pub title: String,
    pub date: NaiveDate,
}

/// A financial year's forecast savings then and now.
#[derive(Debug, Clone, Serialize)]
pub struct SavingsThenNow {
    pub year: String,
    pub before: crate::report::view::Figure,
    pub after: crate::report::view::Figure,
}

/// The section for `new` against `old`, whose diff is `diff`; `previous` names `old`.
pub fn build(old: Version<'_>, new: Version<'_>, diff: &Diff, previous: &str) -> Since {
    let moved = diff
        .projects
        .iter()
        .filter(|p| p.finish.before != p.finish.after)
        .map(|p| Moved {
            id: p.id.clone(),
            title: p.title.clone(),
            finish: p.finish.clone(),
            moved_days: p.finish_moved_days,
            against_baseline_days: new
                .portfolio
                .projects
                .iter()
                .position(|x| x.id == p.id)
                .and_then(|i| new.analysis.schedule.projects.get(i))
                .and_then(|t| t.slip_days),
        })
        .collect();
    let rag_changes = new
        .portfolio
        .projects
        .iter()
        .zip(&new.analysis.schedule.projects)
        .filter_map(|(project, now)| {
            let i = old
                .portfolio
                .projects
                .iter()
                .position(|x| x.id == project.id)?;
            let then = old.analysis.schedule.projects.get(i)?;
            (then.rag != now.rag).then(|| RagChange {
                id: project.id.to_string(),
                title: project.title.to_string(),
                before: then.rag,
                after: now.rag,
            })
        })
        .collect();
    let achieved = new
        .portfolio
        .milestones
        .iter()
        .filter_map(|m| {
            let date = m.actual()?.date;
            let before = old
                .portfolio
                .milestones
                .iter()
                .find(|x| x.id == m.id)
                .and_then(|x| x.actual());
            before.is_none().then(|| Achieved {
                id: m.id.to_string(),
                title: m.title.to_string(),
                date,
            })
        })
        .collect();
    let savings = diff
        .years
        .iter()
        .filter(|y| y.savings.before != y.savings.after)
        .map(|y| SavingsThenNow {
            year: y.year.clone(),
            before: figure(y.savings.before),
            after: figure(y.savings.after),
        })
        .collect();
    Since {
        previous: previous.to_string(),
        previous_as_of: old.portfolio.status_date.unwrap_or(old.portfolio.start),
        finish: diff.finish.clone(),
        moved,
        rag_changes,
        added: diff.added.clone(),
        removed: diff.removed.clone(),
        achieved,
        savings,
    }
}

impl Since {
    /// Whether nothing a committee asks about changed.
    pub fn is_empty(&self) -> bool {
        self.finish.is_none()
            && self.moved.is_empty()
            && self.rag_changes.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.achieved.is_empty()
            && self.savings.is_empty()
    }

    /// The tables of the section that have rows, in the order a reader asks for them.
    pub(crate) fn tables(&self, money: MoneyScale) -> Vec<Table> {
        let mut moved = Table::new(
            "Forecast finishes that moved",
            vec![
                Column::text("Project"),
                Column::date("Then"),
                Column::date("Now"),
                Column::number("Moved (working days)"),
                Column::number("Against baseline (working days)"),
            ],
        );
        for m in &self.moved {
            moved.push(vec![
                Cell::named(&m.title, &m.id),
                date_cell(Some(m.finish.before)),
                date_cell(Some(m.finish.after)),
                Cell::Text(days_text(m.moved_days)),
                m.against_baseline_days
                    .map_or(Cell::Missing, |d| Cell::Text(days_text(d))),
            ]);
        }
        let mut rag = Table::new(
            "RAG status that changed",
            vec![
                Column::text("Project"),
                Column::text("Then"),
                Column::text("Now"),
            ],
        );
        for r in &self.rag_changes {
            rag.push(vec![
                Cell::named(&r.title, &r.id),
                Cell::Text(rag_text(r.before).to_string()),
                Cell::Text(rag_text(r.after).to_string()),
            ]);
        }
        let mut items = Table::new(
            "Added and removed",
            vec![
                Column::text("Item"),
                Column::text("Kind"),
                Column::text("Change"),
            ],
        );
        for (list, change) in [(&self.added, "added"), (&self.removed, "removed")] {
            for i in list {
                items.push(vec![
                    Cell::named(&i.title, &i.id),
                    Cell::Text(i.kind.to_string()),
                    Cell::Text(change.to_string()),
                ]);
            }
        }
        let mut achieved = Table::new(
            "Milestones achieved",
            vec![Column::text("Milestone"), Column::date("On")],
        );
        for a in &self.achieved {
            achieved.push(vec![Cell::named(&a.title, &a.id), date_cell(Some(a.date))]);
        }
        let mut savings = Table::new(
            "Savings forecast by financial year",
            vec![
                Column::text("Financial year"),
                Column::number("Then"),
                Column::number("Now"),
            ],
        )
        .in_money(money);
        for s in &self.savings {
            savings.push(vec![
                Cell::Text(s.year.clone()),
                s.before.cell(),
                s.after.cell(),
            ]);
        }
        [moved, rag, items, achieved, savings]
            .into_iter()
            .filter(|t| !t.rows.is_empty())
            .collect()
    }

    /// The sentence that opens the section.
    pub(crate) fn summary(&self) -> String {
        let against = format!(
            "Since the previous report (`{}`, as of {})",
            self.previous,
            crate::report::view::date_text(self.previous_as_of)
        );
        match &self.finish {
            _ if self.is_empty() => format!("{against}: nothing a committee asks about changed."),
            Some(f) => format!(
                "{against}: the plan's forecast finish moved from {} to {}.",
                crate::report::view::date_text(f.before),
                crate::report::view::date_text(f.after)
            ),
            None => format!("{against}: the plan's forecast finish is unchanged."),
        }
    }
}
