//! The committee report's capacity section (issue 20): for each team, the people it has against
//! the people the plan needs, month by month for the chart (demand stacked by project against
//! the capacity line) and year by year for the table.
//!
//! Input: the portfolio, its [`Load`] and the calendars. Output: [`TeamCapacity`] values the
//! view carries, a [`Table`] per team and an SVG chart per team. Invariant: every figure is
//! worked out here from `capacity::by_period`; the renderers only lay it out.

use std::fmt::Write;

use serde::Serialize;

use super::view::Report;
use crate::calendar::WorkCalendar;
use crate::capacity::{Load, Period, PeriodLoad, by_period};
use crate::diagnostic::count::count;
use crate::model::{Fte, Portfolio};
use crate::report::text::{Cell, Column, Table, escape_html as esc};

/// One team in the report.
#[derive(Debug, Clone, Serialize)]
pub struct TeamCapacity {
    pub id: String,
    pub title: String,
    /// The projects that need the team, in the order they first do: a project keeps its
    /// colour (its place here) in every month of the chart.
    pub projects: Vec<String>,
    /// Month by month, for the chart.
    pub months: Vec<CapacityPeriod>,
    /// Financial year by financial year, for the table.
    pub years: Vec<CapacityPeriod>,
}

/// One period of one team: averages over its working days, as exact hundredths of a person
/// (for drawing) and as text.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityPeriod {
    pub label: String,
    pub working_days: u32,
    pub capacity: Fte,
    pub capacity_text: String,
    pub demand: Fte,
    pub demand_text: String,
    pub peak_demand: Fte,
    pub capacity_at_peak: Fte,
    pub over_days: u32,
    /// Each project's average people over the period, in project order.
    pub projects: Vec<ProjectDemand>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectDemand {
    pub id: String,
    pub people: Fte,
}

fn period(portfolio: &Portfolio, row: &PeriodLoad) -> CapacityPeriod {
    let capacity = row.capacity();
    let demand = row.demand();
    CapacityPeriod {
        label: row.label.clone(),
        working_days: row.working_days,
        capacity,
        capacity_text: capacity.text(),
        demand,
        demand_text: demand.text(),
        peak_demand: row.peak_demand,
        capacity_at_peak: row.capacity_at_peak,
        over_days: row.over_days,
        projects: row
            .project_days
            .iter()
            .filter_map(|(p, days)| {
                Some(ProjectDemand {
                    id: portfolio.projects.get(p.0 as usize)?.id.to_string(),
                    people: crate::capacity::average(*days, row.working_days),
                })
            })
            .collect(),
    }
}

/// Every team's capacity section, or none when the plan has no teams.
pub fn teams(portfolio: &Portfolio, load: &Load, calendars: &[WorkCalendar]) -> Vec<TeamCapacity> {
    load.teams
        .iter()
        .zip(&portfolio.teams)
        .filter_map(|(team_load, team)| {
            let calendar = calendars.get(team.calendar.0 as usize)?;
            let fy = portfolio.financial_year_start;
            let rows = |p| {
                by_period(team_load, calendar, p, fy)
                    .iter()
                    .map(|row| period(portfolio, row))
                    .collect()
            };
            let months: Vec<CapacityPeriod> = rows(Period::Month);
            let mut projects: Vec<String> = Vec::new();
            for p in months.iter().flat_map(|m| &m.projects) {
                if !projects.contains(&p.id) {
                    projects.push(p.id.clone());
                }
            }
            Some(TeamCapacity {
                id: team_load.id.clone(),
                title: team_load.title.clone(),
                projects,
                months,
                years: rows(Period::Year),
            })
        })
        .collect()
}

impl Report {
    /// The report with its capacity section (`tranche report` on a plan with teams).
    pub fn with_capacity(
        self,
        portfolio: &Portfolio,
        load: &Load,
        calendars: &[WorkCalendar],
    ) -> Report {
        Report {
            capacity: teams(portfolio, load, calendars),
            ..self
        }
    }
}

impl TeamCapacity {
    /// The colour (one of eight, in turn) of a project in the chart and its legend.
    pub(crate) fn colour(&self, id: &str) -> usize {
        self.projects.iter().position(|p| p == id).unwrap_or(0) % 8
    }

    /// The team year by year.
    pub(crate) fn table(&self) -> Table {
        let mut table = Table::new(
            "People against need, by financial year",
            vec![
                Column::text("Financial year"),
                Column::number("People (average)"),
                Column::number("Needed (average)"),
                Column::number("Needed (peak)"),
                Column::number("People at peak"),
                Column::number("Working days over"),
                Column::text("Projects"),
            ],
        );
        for y in &self.years {
            table.push(vec![
                Cell::Text(y.label.clone()),
                Cell::Text(y.capacity_text.clone()),
                Cell::Text(y.demand_text.clone()),
                Cell::Text(y.peak_demand.text()),
                Cell::Text(y.capacity_at_peak.text()),
                Cell::Text(y.over_days.to_string()),
                Cell::User(
                    y.projects
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ]);
        }
        table
    }

    /// The chart: a column per month, the people each project needs stacked in it, and the
    /// team's people as a stepped line across; a month over is marked.
    pub(crate) fn chart(&self) -> String {
        let frame = Frame::of(self);
        let mut out = String::new();
        self.open_chart(&mut out);
        frame.gridlines(&mut out);
        let mut capacity_path = String::new();
        for (i, month) in self.months.iter().enumerate() {
            let x = frame.x(i);
            self.demand_stack(&mut out, &frame, month, x);
            frame.over_marker(&mut out, month, x);
            frame.capacity_step(&mut capacity_path, i, month, x);
            frame.month_label(&mut out, i, month, x);
        }
        let _ = write!(
            out,
            r#"<path class="capacity-line" data-capacity="size" d="{}"/></svg>"#,
            capacity_path.trim_end()
        );
        out
    }

    /// The chart's `<svg>` opening, with its title and description for a screen reader.
    fn open_chart(&self, out: &mut String) {
        let class = format!("capacity-{}", self.id);
        super::svg::svg_open(
            out,
            &class,
            Frame::WIDTH,
            Frame::HEIGHT,
            &format!(
                "People needed of {} against its size, by month",
                esc(&self.title)
            ),
            &format!(
                "For each of {} a column of the people the projects need, stacked by project, and a stepped line for the people the team has. The table below gives the figures by financial year.",
                count(self.months.len(), "month", "months")
            ),
        );
    }

    /// One month's column: each project's people stacked on the last, in the project's colour.
    fn demand_stack(&self, out: &mut String, frame: &Frame, month: &CapacityPeriod, x: f64) {
        let slot = frame.slot;
        let mut base = Fte(0);
        for project in &month.projects {
            let top = Fte(base.0 + project.people.0);
            let _ = write!(
                out,
                r#"<rect class="demand d{}" data-capacity="demand" data-id="{}" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}: {} {} needed by {}</title></rect>"#,
                self.colour(&project.id),
                esc(&project.id),
                x + slot * 0.1,
                frame.y(top),
                slot * 0.8,
                (frame.y(base) - frame.y(top)).max(0.0),
                esc(&month.label),
                project.people.text(),
                if project.people == Fte(100) {
                    "person"
                } else {
                    "people"
                },
                esc(&project.id)
            );
            base = top;
        }
    }
}

/// Where the capacity chart puts things: its fixed size and margins, the people at its top and
/// the width of a month's slot.
struct Frame {
    top_people: f64,
    plot_height: f64,
    slot: f64,
    /// How many months apart the axis labels are.
    every: usize,
}

impl Frame {
    const WIDTH: f64 = 1120.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 44.0;

    fn of(team: &TeamCapacity) -> Frame {
        let most = team
            .months
            .iter()
            .map(|m| m.capacity.0.max(m.demand.0))
            .max()
            .unwrap_or(0)
            .max(100);
        // A whole number of people at the top, with room.
        let top_people = f64::from(most.div_ceil(100) + 1);
        let n = team.months.len().max(1) as f64;
        // Every month's label when there are few, else a quarter's or a half-year's first,
        // so labels never run into each other.
        let every = match team.months.len() {
            0..=18 => 1,
            19..=36 => 3,
            _ => 6,
        };
        Frame {
            top_people,
            plot_height: Self::HEIGHT - Self::TOP - Self::BOTTOM,
            slot: (Self::WIDTH - Self::LEFT - Self::RIGHT) / n,
            every,
        }
    }

    /// The height of so many people.
    fn y(&self, fte: Fte) -> f64 {
        Self::TOP + self.plot_height * (1.0 - f64::from(fte.0) / 100.0 / self.top_people)
    }

    /// The left edge of month `i`'s slot.
    fn x(&self, i: usize) -> f64 {
        Self::LEFT + self.slot * i as f64
    }

    /// Gridlines and labels a person apart (every other one past ten).
    fn gridlines(&self, out: &mut String) {
        let step = if self.top_people > 10.0 { 2.0 } else { 1.0 };
        let mut people = 0.0;
        while people <= self.top_people {
            let gy = Self::TOP + self.plot_height * (1.0 - people / self.top_people);
            let _ = write!(
                out,
                r#"<line class="grid" x1="{:.1}" y1="{gy:.1}" x2="{:.1}" y2="{gy:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{people:.0}</text>"#,
                Self::LEFT,
                Self::WIDTH - Self::RIGHT,
                Self::LEFT - 6.0,
                gy + 4.0
            );
            people += step;
        }
    }

    /// A mark over a month in which the team needs more people than it has on some day.
    fn over_marker(&self, out: &mut String, month: &CapacityPeriod, x: f64) {
        if month.over_days > 0 {
            let _ = write!(
                out,
                r#"<text class="over" x="{:.1}" y="{:.1}" text-anchor="middle">▲<title>{}: more people needed than the team has on {}</title></text>"#,
                x + self.slot / 2.0,
                self.y(month.demand.max(month.capacity)) - 4.0,
                esc(&month.label),
                count(month.over_days, "working day", "working days")
            );
        }
    }

    /// Month `i`'s step of the line for the team's people.
    fn capacity_step(&self, path: &mut String, i: usize, month: &CapacityPeriod, x: f64) {
        let cy = self.y(month.capacity);
        let _ = write!(
            path,
            "{}{x:.1},{cy:.1} L{:.1},{cy:.1} ",
            if i == 0 { "M" } else { "L" },
            x + self.slot
        );
    }

    /// Month `i`'s label on the axis, when it is one of those labelled.
    fn month_label(&self, out: &mut String, i: usize, month: &CapacityPeriod, x: f64) {
        if i % self.every == 0 {
            let _ = write!(
                out,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + self.slot / 2.0,
                Self::HEIGHT - Self::BOTTOM + 16.0,
                esc(&month.label)
            );
        }
    }
}
