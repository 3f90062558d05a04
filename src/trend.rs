//! `tranche trend`: the plan's history as the milestone trend chart of project controls. For
//! each reporting point (a version of the plan, as of its status date), the forecast finish of
//! each key milestone and programme, the plan's finish, each targeted year's forecast savings
//! and the NPV; then, per milestone, how far its forecast moved and for how many points in a
//! row it slipped, which a single `diff` never shows.
//!
//! Input: readings, one per version in history order (oldest first), each a [`Point`] taken
//! from an analysed version, or a version that could not be analysed. Output: a [`Trend`].
//! The command walks git; renderers (`report::trend_render`) format a `Trend` and compute
//! nothing.
//!
//! Invariants: points are in reading order, at most one per status date unless every commit is
//! kept (the last reading of a status date stands for it); every point's figures are exactly
//! what that version gives when scheduled on its own.

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::Analysis;
use crate::finance::{CheckKind, year_label};
use crate::model::Portfolio;
use crate::money::Money;

/// What one version of the plan forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The commit (as git names it) this version was read at.
    pub commit: String,
    /// The reporting date: the plan's `status-date`, or its start when it has none.
    pub status_date: NaiveDate,
    /// The forecast finish of the whole plan.
    pub finish: NaiveDate,
    /// The plan's cashable NPV.
    pub npv: Money,
    /// Every milestone and programme, in the plan's order.
    pub items: Vec<ItemForecast>,
    /// Every savings target, with the savings forecast for its year.
    pub savings: Vec<YearSavings>,
}

/// A milestone's or programme's forecast at one point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemForecast {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub finish: NaiveDate,
    pub baseline: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

/// A savings target's year at one point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSavings {
    /// `2022/23`.
    pub year: String,
    pub target: Money,
    pub forecast: Money,
}

/// A version that could not be analysed (syntax errors, a cycle, ...): listed, not dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub commit: String,
    /// The errors that stopped it.
    pub errors: usize,
}

/// One version read from history.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    Point(Point),
    Skipped(Skipped),
}

/// What [`build`] keeps.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A point for every version, not one per status date.
    pub every_commit: bool,
    /// The milestones and programmes to follow, by id; `None`: the key ones, those with a
    /// baseline or a deadline at any point.
    pub items: Option<Vec<String>>,
}

/// The plan's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub points: Vec<Point>,
    pub skipped: Vec<Skipped>,
    /// One per milestone or programme followed, in the order of the latest point that has it.
    pub lines: Vec<Line>,
    /// One per targeted financial year, in year order.
    pub savings: Vec<SavingsLine>,
}

/// One milestone's or programme's forecasts across the points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    /// Its baseline and deadline at the latest point that has it.
    pub baseline: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    /// Aligned with `Trend::points`: `None` where that version did not have it.
    pub forecasts: Vec<Option<NaiveDate>>,
    /// Calendar days its forecast moved from its first point to its last (later is positive).
    pub moved_since_first_days: i64,
    /// Calendar days it moved from the point before its last.
    pub moved_since_previous_days: i64,
    /// How many of its latest points in a row each forecast it later than the point before.
    pub slipped_in_a_row: usize,
}

/// One targeted year's forecast savings across the points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavingsLine {
    pub year: String,
    /// The target at the latest point that sets one.
    pub target: Money,
    /// Aligned with `Trend::points`: `None` where that version set no target for the year.
    pub forecasts: Vec<Option<Money>>,
}

/// What one analysed version forecast, read at `commit`.
pub fn point(commit: &str, portfolio: &Portfolio, analysis: &Analysis) -> Point {
    let schedule = &analysis.schedule;
    let milestones = portfolio
        .milestones
        .iter()
        .zip(&schedule.milestones)
        .map(|(m, t)| ItemForecast {
            id: m.id.to_string(),
            kind: "milestone",
            title: m.title.to_string(),
            finish: t.finish,
            baseline: m.baseline().map(|b| b.finish),
            deadline: m.deadline.map(|d| d.date),
        });
    let programmes = portfolio
        .programmes
        .iter()
        .zip(&schedule.programmes)
        .map(|(g, t)| ItemForecast {
            id: g.id.to_string(),
            kind: "programme",
            title: g.title.to_string(),
            finish: t.finish,
            baseline: None,
            deadline: None,
        });
    let finance = &analysis.finance;
    let savings = finance
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::SavingsTarget)
        .map(|c| YearSavings {
            year: year_label(c.year, finance.financial_year_start),
            target: c.limit,
            forecast: c.actual,
        })
        .collect();
    Point {
        commit: commit.to_string(),
        status_date: portfolio.status_date.unwrap_or(portfolio.start),
        finish: schedule.finish,
        npv: finance.portfolio.appraisal.npv,
        items: milestones.chain(programmes).collect(),
        savings,
    }
}

/// The trend of `readings`, given oldest first.
pub fn build(readings: Vec<Reading>, options: &Options) -> Trend {
    let mut points: Vec<Point> = Vec::new();
    let mut skipped = Vec::new();
    for reading in readings {
        match reading {
            Reading::Skipped(s) => skipped.push(s),
            Reading::Point(p) => {
                // A later commit with the same status date is a correction of the same report:
                // it stands for that point.
                let same_report = points
                    .last()
                    .is_some_and(|last| last.status_date == p.status_date);
                if same_report && !options.every_commit {
                    points.pop();
                }
                points.push(p);
            }
        }
    }
    let lines = lines(&points, options);
    let savings = savings(&points);
    Trend {
        points,
        skipped,
        lines,
        savings,
    }
}

fn lines(points: &[Point], options: &Options) -> Vec<Line> {
    // Ids in the order of the latest point that has them: the newest plan's order, then
    // anything only older versions had.
    let mut order: Vec<(&str, &ItemForecast)> = Vec::new();
    for point in points.iter().rev() {
        for item in &point.items {
            if !order.iter().any(|(id, _)| *id == item.id) {
                order.push((&item.id, item));
            }
        }
    }
    let key = |id: &str| match &options.items {
        Some(chosen) => chosen.iter().any(|c| c == id),
        None => points.iter().any(|p| {
            p.items
                .iter()
                .any(|i| i.id == id && (i.baseline.is_some() || i.deadline.is_some()))
        }),
    };
    order
        .into_iter()
        .filter(|(id, _)| key(id))
        .map(|(id, latest)| {
            let forecasts: Vec<Option<NaiveDate>> = points
                .iter()
                .map(|p| p.items.iter().find(|i| i.id == id).map(|i| i.finish))
                .collect();
            let known: Vec<NaiveDate> = forecasts.iter().flatten().copied().collect();
            let moved = |from: Option<&NaiveDate>| match (from, known.last()) {
                (Some(a), Some(b)) => (*b - *a).num_days(),
                _ => 0,
            };
            let slipped_in_a_row = known.windows(2).rev().take_while(|w| w[1] > w[0]).count();
            Line {
                id: id.to_string(),
                kind: latest.kind,
                title: latest.title.clone(),
                baseline: latest.baseline,
                deadline: latest.deadline,
                moved_since_first_days: moved(known.first()),
                moved_since_previous_days: moved(
                    known.len().checked_sub(2).and_then(|i| known.get(i)),
                ),
                slipped_in_a_row,
                forecasts,
            }
        })
        .collect()
}

fn savings(points: &[Point]) -> Vec<SavingsLine> {
    let mut years: Vec<&str> = points
        .iter()
        .flat_map(|p| p.savings.iter().map(|s| s.year.as_str()))
        .collect();
    // `2022/23` labels sort as their years do.
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let of = |p: &Point| p.savings.iter().find(|s| s.year == year).cloned();
            let target = points
                .iter()
                .rev()
                .find_map(of)
                .map_or(Money(0), |s| s.target);
            SavingsLine {
                year: year.to_string(),
                target,
                forecasts: points.iter().map(|p| of(p).map(|s| s.forecast)).collect(),
            }
        })
        .collect()
}

/// The gate `--fail-on slipped-every-point N`: a reason for each line whose forecast slipped at
/// each of its last `n` points (a steady drift). Empty when none did.
pub fn slipped_every_point(trend: &Trend, n: usize) -> Vec<String> {
    trend
        .lines
        .iter()
        .filter(|l| n > 0 && l.slipped_in_a_row >= n)
        .map(|l| {
            format!(
                "slipped-every-point: `{}` slipped at each of the last {} ({} since the first)",
                l.id,
                crate::diagnostic::count::count(l.slipped_in_a_row, "point", "points"),
                crate::diagnostic::count::count(l.moved_since_first_days, "day", "days")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn reading(commit: &str, status: NaiveDate, live: NaiveDate, saved: i64) -> Reading {
        Reading::Point(Point {
            commit: commit.to_string(),
            status_date: status,
            finish: live,
            npv: Money(0),
            items: vec![ItemForecast {
                id: "live".to_string(),
                kind: "milestone",
                title: "Live".to_string(),
                finish: live,
                baseline: Some(date(2024, 6, 28)),
                deadline: None,
            }],
            savings: vec![YearSavings {
                year: "2024/25".to_string(),
                target: Money(100),
                forecast: Money(saved),
            }],
        })
    }

    /// One point per status date (the last commit of it), skipped versions listed, and the
    /// drift counted from the points that stand.
    #[test]
    fn a_point_per_status_date_and_the_slips_in_a_row() {
        let readings = vec![
            reading("a", date(2024, 1, 1), date(2024, 6, 28), 100),
            reading("b", date(2024, 4, 1), date(2024, 7, 5), 90),
            Reading::Skipped(Skipped {
                commit: "c".to_string(),
                errors: 2,
            }),
            reading("d", date(2024, 4, 1), date(2024, 7, 12), 80),
            reading("e", date(2024, 7, 1), date(2024, 8, 2), 70),
        ];
        let trend = build(readings.clone(), &Options::default());
        let commits: Vec<&str> = trend.points.iter().map(|p| p.commit.as_str()).collect();
        assert_eq!(commits, ["a", "d", "e"]);
        assert_eq!(trend.skipped.len(), 1);
        let line = &trend.lines[0];
        assert_eq!(line.slipped_in_a_row, 2);
        assert_eq!(line.moved_since_first_days, 35);
        assert_eq!(line.moved_since_previous_days, 21);
        assert_eq!(
            trend.savings[0].forecasts,
            [Some(Money(100)), Some(Money(80)), Some(Money(70))]
        );
        assert_eq!(slipped_every_point(&trend, 2).len(), 1);
        assert!(slipped_every_point(&trend, 3).is_empty());
        let every = build(
            readings,
            &Options {
                every_commit: true,
                items: None,
            },
        );
        assert_eq!(every.points.len(), 4);
        assert_eq!(every.lines[0].slipped_in_a_row, 3);
    }
}
