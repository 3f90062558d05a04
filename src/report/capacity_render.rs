//! Renderers of a [`Load`] (`tranche capacity`): each team's capacity and demand by month or
//! financial year, as an aligned table, CSV or JSON.
//!
//! Input: the load, the calendars and the user's choices. Output: text. Invariant: the figures
//! are `capacity::by_period`'s, formatted here and computed nowhere else, so the three formats
//! cannot disagree.

use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::capacity::{Load, Period, PeriodLoad, by_period};
use crate::model::{Fte, Portfolio};
use crate::report::text::{Cell, Column, Table};

/// The output format of `tranche capacity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Renders the load of every team by `period`.
pub fn render(
    portfolio: &Portfolio,
    load: &Load,
    calendars: &[WorkCalendar],
    period: Period,
    format: Format,
) -> String {
    let teams = periods(portfolio, load, calendars, period);
    match format {
        Format::Table => table(portfolio, &teams, period),
        Format::Csv => rows_table(portfolio, &teams, true).csv(),
        Format::Json => json(portfolio, &teams, period),
    }
}

/// Each team with its periods.
fn periods<'l>(
    portfolio: &Portfolio,
    load: &'l Load,
    calendars: &[WorkCalendar],
    period: Period,
) -> Vec<(&'l crate::capacity::TeamLoad, Vec<PeriodLoad>)> {
    load.teams
        .iter()
        .zip(&portfolio.teams)
        .filter_map(|(team_load, team)| {
            let calendar = calendars.get(team.calendar.0 as usize)?;
            Some((
                team_load,
                by_period(team_load, calendar, period, portfolio.financial_year_start),
            ))
        })
        .collect()
}

/// `12.5` person-days from hundredths.
fn person_days(hundredths: u64) -> String {
    let fte = Fte(u32::try_from(hundredths).unwrap_or(u32::MAX));
    if u64::from(fte.0) == hundredths {
        fte.text()
    } else {
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

fn project_ids(portfolio: &Portfolio, row: &PeriodLoad) -> String {
    row.projects
        .iter()
        .filter_map(|p| portfolio.projects.get(p.0 as usize))
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One row per team and period. CSV (`for_csv`) names the team on every row and adds the
/// exact person-days the averages come from.
fn rows_table(
    portfolio: &Portfolio,
    teams: &[(&crate::capacity::TeamLoad, Vec<PeriodLoad>)],
    for_csv: bool,
) -> Table {
    let name = |text: &'static str, csv: &'static str| if for_csv { csv } else { text };
    let mut columns = Vec::new();
    if for_csv {
        columns.push(Column::text("team"));
    }
    columns.extend([
        Column::text(name("Period", "period")),
        Column::number(name("Working days", "working_days")),
        Column::number(name("People (average)", "capacity")),
        Column::number(name("Needed (average)", "demand")),
        Column::number(name("Needed (peak)", "peak_demand")),
        Column::number(name("People at peak", "capacity_at_peak")),
        Column::number(name("Days over", "over_allocated_days")),
    ]);
    if for_csv {
        columns.push(Column::number("capacity_person_days"));
        columns.push(Column::number("demand_person_days"));
    }
    columns.push(Column::text(name("Projects", "projects")));
    let mut table = Table::new("Capacity by team", columns);
    for (team, rows) in teams {
        for row in rows {
            let mut cells = Vec::new();
            if for_csv {
                cells.push(Cell::Code(team.id.clone()));
            }
            cells.extend([
                Cell::Text(row.label.clone()),
                Cell::Text(row.working_days.to_string()),
                Cell::Text(row.capacity().text()),
                Cell::Text(row.demand().text()),
                Cell::Text(row.peak_demand.text()),
                Cell::Text(row.capacity_at_peak.text()),
                Cell::Text(row.over_days.to_string()),
            ]);
            if for_csv {
                cells.push(Cell::Text(person_days(row.capacity_days)));
                cells.push(Cell::Text(person_days(row.demand_days)));
            }
            cells.push(Cell::User(project_ids(portfolio, row)));
            table.push(cells);
        }
    }
    table
}

/// A block per team: its title, then a row per period.
fn table(
    portfolio: &Portfolio,
    teams: &[(&crate::capacity::TeamLoad, Vec<PeriodLoad>)],
    period: Period,
) -> String {
    let mut out = format!(
        "Capacity: {} (people are full-time equivalents; by {})\n",
        portfolio.title,
        match period {
            Period::Month => "month",
            Period::Year => "financial year",
        }
    );
    if teams.is_empty() {
        out.push_str("\nThe plan declares no teams (`team ID \"Title\" { size N }`).\n");
        return out;
    }
    for (team, rows) in teams {
        out.push_str(&format!("\nteam {} ({})\n", team.id, team.title));
        let one = [(*team, rows.clone())];
        out.push_str(&rows_table(portfolio, &one, false).plain());
    }
    out
}

#[derive(Serialize)]
struct JsonLoad<'a> {
    schema: &'static str,
    version: u32,
    title: &'a str,
    period: &'static str,
    teams: Vec<JsonTeam<'a>>,
}

#[derive(Serialize)]
struct JsonTeam<'a> {
    id: &'a str,
    title: &'a str,
    periods: Vec<JsonPeriod>,
}

/// People as exact decimal text (`"3.25"`), person-days likewise.
#[derive(Serialize)]
struct JsonPeriod {
    label: String,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    working_days: u32,
    capacity: String,
    demand: String,
    capacity_person_days: String,
    demand_person_days: String,
    peak_demand: String,
    capacity_at_peak: String,
    over_allocated_days: u32,
    projects: Vec<String>,
}

fn json(
    portfolio: &Portfolio,
    teams: &[(&crate::capacity::TeamLoad, Vec<PeriodLoad>)],
    period: Period,
) -> String {
    let doc = JsonLoad {
        schema: "tranche-capacity",
        version: 1,
        title: &portfolio.title,
        period: match period {
            Period::Month => "month",
            Period::Year => "year",
        },
        teams: teams
            .iter()
            .map(|(team, rows)| JsonTeam {
                id: &team.id,
                title: &team.title,
                periods: rows
                    .iter()
                    .map(|row| JsonPeriod {
                        label: row.label.clone(),
                        from: row.from,
                        to: row.to,
                        working_days: row.working_days,
                        capacity: row.capacity().text(),
                        demand: row.demand().text(),
                        capacity_person_days: person_days(row.capacity_days),
                        demand_person_days: person_days(row.demand_days),
                        peak_demand: row.peak_demand.text(),
                        capacity_at_peak: row.capacity_at_peak.text(),
                        over_allocated_days: row.over_days,
                        projects: row
                            .projects
                            .iter()
                            .filter_map(|p| portfolio.projects.get(p.0 as usize))
                            .map(|p| p.id.to_string())
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| panic!("the capacity view serialises: {e}"));
    text.push('\n');
    text
}
