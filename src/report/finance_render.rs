//! Renderers of a [`Finance`]: plain aligned text tables, CSV and JSON, each a pure function
//! of the finance written to a writer group by group (`--by project` over centuries is
//! gigabytes of text, never held whole), or returned as a `String` ([`render`]).
//!
//! Input: a computed `Finance` and the user's choices (format, grouping, monthly or yearly).
//! Output: text. Invariant: renderers format figures already in the `Finance` and compute
//! none, so the three formats can never disagree on a number.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::finance::{
    Amounts, Appraisal, Check, CheckKind, Finance, Periods, Profile, Register, YearOutturn,
    year_label,
};
use crate::money::Money;
use crate::report::text::{self, Cell, Column, Table};

/// The output format of `tranche finance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// What to show besides the portfolio (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    Project,
    Programme,
    Theme,
}

/// The user's choices for `tranche finance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    pub by: Option<GroupBy>,
    /// Months instead of financial years.
    pub monthly: bool,
}

/// Renders `finance` as the user asked.
pub fn render(finance: &Finance, options: &Options) -> String {
    super::to_string(|sink| write(sink, finance, options))
}

/// Writes `finance` to `out` as the user asked, one group at a time.
pub fn write(out: &mut dyn Write, finance: &Finance, options: &Options) -> io::Result<()> {
    match options.format {
        Format::Table => table(out, finance, options),
        Format::Json => json(out, finance, options),
        Format::Csv => csv(out, finance, options),
    }
}

/// Writes the benefits register of `finance` in `format`: the register's table (the one the
/// committee report shows) and each line's plan, actual, forecast and variance by financial
/// year; CSV a row per line and year (and a `total` row per line); JSON the register itself,
/// amounts in pence.
pub fn write_register(
    out: &mut dyn Write,
    finance: &Finance,
    register: &Register,
    format: Format,
) -> io::Result<()> {
    let section = crate::report::benefits_view::section(register);
    match format {
        Format::Table => {
            writeln!(out, "Benefits register: {}", finance.title)?;
            match register.status_date {
                Some(date) => writeln!(out, "status date {date}; {}", section.rule())?,
                None => writeln!(
                    out,
                    "no status date: every year takes the plan and nothing is due"
                )?,
            }
            writeln!(out)?;
            out.write_all(section.table().plain().as_bytes())?;
            writeln!(out)?;
            writeln!(out, "by financial year (* over at the status date)")?;
            out.write_all(register_years(register, false).plain().as_bytes())
        }
        Format::Csv => out.write_all(register_years(register, true).csv().as_bytes()),
        Format::Json => {
            #[derive(Serialize)]
            struct View<'a> {
                title: &'a str,
                currency: &'a str,
                amounts_in: &'static str,
                #[serde(flatten)]
                register: &'a Register,
            }
            let view = View {
                title: &finance.title,
                currency: &finance.currency,
                amounts_in: "pence",
                register,
            };
            serde_json::to_writer_pretty(&mut *out, &view).map_err(io::Error::from)?;
            out.write_all(b"\n")
        }
    }
}

/// Each register line's years, and its total: the text table marks years over at the status
/// date with `*`; CSV adds the line's kind, owner, measure and status to every row, amounts
/// in plain pounds.
fn register_years(register: &Register, for_csv: bool) -> Table {
    let money: fn(Money) -> String = if for_csv {
        text::decimal_pounds
    } else {
        |m| m.to_string()
    };
    let mut columns = vec![Column::text("project"), Column::text("line")];
    if for_csv {
        columns.extend(["kind", "owner", "measure", "status"].map(Column::text));
    }
    columns.push(Column::text("period"));
    if for_csv {
        columns.push(Column::text("over"));
    }
    columns.extend(["plan", "actual", "forecast", "variance"].map(Column::number));
    let mut table = Table::new("", columns);
    for line in &register.lines {
        let name = line.name.clone();
        let rows = line
            .years
            .iter()
            .map(|y| {
                let label = if y.over && !for_csv {
                    format!("{}*", y.year)
                } else {
                    y.year.clone()
                };
                (
                    label,
                    Some(y.over),
                    y.plan,
                    y.actual,
                    y.forecast,
                    y.variance,
                )
            })
            .chain(std::iter::once((
                "total".to_owned(),
                None,
                line.total.plan,
                line.total.actual,
                line.total.forecast,
                line.total.variance,
            )));
        for (period, over, plan, actual, forecast, variance) in rows {
            let mut cells = vec![Cell::User(line.project.clone()), Cell::User(name.clone())];
            if for_csv {
                let kind = match line.kind {
                    crate::finance::LineKind::Saving => "saving",
                    crate::finance::LineKind::Benefit => "benefit",
                };
                cells.push(Cell::Text(kind.to_owned()));
                let given = |text: &Option<String>| Cell::User(text.clone().unwrap_or_default());
                cells.push(given(&line.register.owner));
                cells.push(given(&line.register.measure));
                cells.push(Cell::Text(line.status.text().to_owned()));
            }
            cells.push(Cell::Text(period));
            if for_csv {
                cells.push(Cell::Text(
                    over.map_or("", |o| if o { "yes" } else { "no" }).to_owned(),
                ));
            }
            cells.push(Cell::Text(money(plan)));
            cells.push(actual.map_or(
                if for_csv {
                    Cell::Text(String::new())
                } else {
                    Cell::Missing
                },
                |a| Cell::Text(money(a)),
            ));
            cells.push(Cell::Text(money(forecast)));
            cells.push(Cell::Text(money(variance)));
            table.push(cells);
        }
    }
    table
}

/// Plain aligned text: one block per group (the chosen groups, then the portfolio), a row per
/// period and a total, and the group's appraisal under it.
fn table(out: &mut dyn Write, finance: &Finance, options: &Options) -> io::Result<()> {
    let show_bias = finance.portfolio.total.optimism_bias != Money::ZERO;
    writeln!(
        out,
        "Finance: {} ({}; discount rate {}; financial years start in {})",
        finance.title,
        finance.currency,
        finance.discount_rate,
        text::month_name(finance.financial_year_start).unwrap_or("April")
    )?;
    let marked = after_plan_end(finance, options.monthly).contains(&true);
    writeln!(
        out,
        "appraisal period {} to {}{}",
        finance.plan_start,
        finance.appraisal_end,
        if marked {
            format!("; * after the plan's end ({})", finance.plan_end)
        } else {
            String::new()
        }
    )?;
    for (kind, profile) in groups(finance, options.by) {
        writeln!(out)?;
        writeln!(out, "{kind} {}", heading(profile))?;
        let table = amounts_table(finance, options, show_bias, &[(kind, profile)], false);
        out.write_all(table.plain().as_bytes())?;
        out.write_all(appraisal_line(&profile.appraisal, show_bias).as_bytes())?;
        // Actuals are by financial year; with a status date some years may be over.
        if let (Some(status), false) = (finance.status_date, options.monthly) {
            writeln!(
                out,
                "plan, actual and forecast (years over at the status date, {status}, forecast their actuals)"
            )?;
            out.write_all(
                outturn_table(finance, &[(kind, profile)], false)
                    .plain()
                    .as_bytes(),
            )?;
        }
    }
    if !finance.checks.is_empty() {
        out.write_all(b"\ntargets and budgets\n")?;
        out.write_all(checks_table(&finance.checks).plain().as_bytes())?;
    }
    Ok(())
}

/// One row per group and period (and a `total` row per group); amounts in pounds with two
/// decimals, no currency sign or separators, so spreadsheets read them as numbers. Cells and
/// line ends follow the one CSV rule of every CSV tranche writes (`text::csv_field`, CRLF).
fn csv(out: &mut dyn Write, finance: &Finance, options: &Options) -> io::Result<()> {
    for (index, group) in groups(finance, options.by).into_iter().enumerate() {
        let text = amounts_table(finance, options, true, &[group], true).csv();
        // One table of every group, written a group at a time: the header once, first. The
        // header's cells are fixed names, so its line is the text up to the first CRLF.
        let rows = if index == 0 {
            text.as_str()
        } else {
            text.split_once("\r\n").map_or("", |(_, rows)| rows)
        };
        out.write_all(rows.as_bytes())?;
    }
    Ok(())
}

/// The amounts of `groups`, a row per period and a total row each. Text tables show money as
/// readers read it and a column for optimism bias only when `show_bias`; CSV (`for_csv`) has
/// plain pounds, every column, and the group's kind and id on each row.
fn amounts_table(
    finance: &Finance,
    options: &Options,
    show_bias: bool,
    groups: &[(&'static str, &Profile)],
    for_csv: bool,
) -> Table {
    let money: fn(Money) -> String = if for_csv {
        text::decimal_pounds
    } else {
        |m| m.to_string()
    };
    let mut columns = Vec::new();
    if for_csv {
        columns.extend([Column::text("group"), Column::text("id")]);
    }
    columns.extend([Column::text("period"), Column::number("capital")]);
    if show_bias {
        columns.push(Column::number(if for_csv {
            "optimism_bias"
        } else {
            "optimism bias"
        }));
    }
    columns.extend(if for_csv {
        [
            "revenue",
            "savings",
            "benefits",
            "net_cashable",
            "cumulative_net",
        ]
        .map(Column::number)
        .into_iter()
        .chain([Column::text("after_plan_end")])
        .chain(
            // Actuals are by financial year: by month there is only the plan.
            OUTTURN_CSV_COLUMNS
                .iter()
                .filter(|_| !options.monthly)
                .map(|c| Column::number(c)),
        )
        .collect::<Vec<_>>()
    } else {
        [
            "revenue",
            "savings",
            "benefits",
            "net cashable",
            "cumulative net",
        ]
        .map(Column::number)
        .to_vec()
    });
    let mut table = Table::new("", columns);
    let labels = period_labels(finance, options.monthly);
    let after = after_plan_end(finance, options.monthly);
    for (kind, profile) in groups {
        let periods = if options.monthly {
            &profile.monthly
        } else {
            &profile.yearly
        };
        let lines = labels
            .iter()
            .map(String::as_str)
            .zip(after.iter().map(|a| Some(*a)))
            .zip(periods)
            .chain(std::iter::once((("total", None), profile.total)));
        for (index, ((label, after), amounts)) in lines.enumerate() {
            let mut cells = Vec::new();
            if for_csv {
                cells.extend([
                    Cell::Text((*kind).to_owned()),
                    Cell::User(profile.id.clone()),
                ]);
            }
            // The text table marks a period after the plan's end with `*` (its header says
            // so); CSV says it in a column of its own, so the period stays a plain label.
            let label = match (for_csv, after) {
                (false, Some(true)) => format!("{label}*"),
                _ => label.to_owned(),
            };
            cells.extend(row(&label, &amounts, show_bias, money));
            if for_csv {
                let flag = after.map_or("", |a| if a { "true" } else { "false" });
                cells.push(Cell::Text(flag.to_owned()));
                if !options.monthly {
                    let outturn = match after {
                        Some(_) => profile.outturn(index),
                        None => profile.outturn_total(),
                    };
                    cells.extend(outturn_cells(&outturn, money, true));
                }
            }
            table.push(cells);
        }
    }
    table
}

/// The outturn columns: costs, then savings, each plan, actual, forecast and variance.
const OUTTURN_COLUMNS: [&str; 8] = [
    "costs plan",
    "costs actual",
    "costs forecast",
    "costs variance",
    "savings plan",
    "savings actual",
    "savings forecast",
    "savings variance",
];

/// [`OUTTURN_COLUMNS`] as CSV headers.
const OUTTURN_CSV_COLUMNS: [&str; 8] = [
    "costs_plan",
    "costs_actual",
    "costs_forecast",
    "costs_variance",
    "savings_plan",
    "savings_actual",
    "savings_forecast",
    "savings_variance",
];

/// The outturn cells of one period: amounts as the table or CSV writes them; an actual that
/// was not recorded is a dash in the table and an empty cell in CSV.
fn outturn_cells(o: &YearOutturn, money: fn(Money) -> String, for_csv: bool) -> Vec<Cell> {
    [o.costs, o.savings]
        .into_iter()
        .flat_map(|f| {
            [
                Cell::Text(money(f.plan)),
                f.actual.map_or(
                    if for_csv {
                        Cell::Text(String::new())
                    } else {
                        Cell::Missing
                    },
                    |a| Cell::Text(money(a)),
                ),
                Cell::Text(money(f.forecast)),
                Cell::Text(money(f.variance)),
            ]
        })
        .collect()
}

/// Plan, actual, forecast and variance of costs and savings by financial year, and in total.
fn outturn_table(finance: &Finance, groups: &[(&'static str, &Profile)], for_csv: bool) -> Table {
    let money: fn(Money) -> String = if for_csv {
        text::decimal_pounds
    } else {
        |m| m.to_string()
    };
    let mut columns = vec![Column::text("period")];
    columns.extend(OUTTURN_COLUMNS.map(Column::number));
    let mut table = Table::new("", columns);
    let labels = period_labels(finance, false);
    let after = after_plan_end(finance, false);
    for (_, profile) in groups {
        for (i, (label, after)) in labels.iter().zip(&after).enumerate() {
            // Marked as in the amounts table above it.
            let label = if *after && !for_csv {
                format!("{label}*")
            } else {
                label.clone()
            };
            let mut cells = vec![Cell::Text(label)];
            cells.extend(outturn_cells(&profile.outturn(i), money, for_csv));
            table.push(cells);
        }
        let mut cells = vec![Cell::Text("total".to_owned())];
        cells.extend(outturn_cells(&profile.outturn_total(), money, for_csv));
        table.push(cells);
    }
    table
}

/// Each target and budget against the plan's figure for its year.
fn checks_table(checks: &[Check]) -> Table {
    let mut table = Table::new(
        "",
        vec![
            Column::text("year"),
            Column::number("what"),
            Column::number("limit"),
            Column::number("forecast"),
            Column::number("status"),
        ],
    );
    for check in checks {
        let (what, status) = match (check.kind, check.met) {
            (CheckKind::SavingsTarget, true) => ("savings target", "met"),
            (CheckKind::SavingsTarget, false) if check.accepted.is_some() => {
                ("savings target", "MISSED, accepted")
            }
            (CheckKind::SavingsTarget, false) => ("savings target", "MISSED"),
            (CheckKind::CapitalBudget, true) => ("capital budget", "within"),
            (CheckKind::CapitalBudget, false) => ("capital budget", "OVER"),
            (CheckKind::RevenueBudget, true) => ("revenue budget", "within"),
            (CheckKind::RevenueBudget, false) => ("revenue budget", "OVER"),
        };
        table.push(
            [
                check.year_label.clone(),
                what.to_owned(),
                check.limit.to_string(),
                check.actual.to_string(),
                status.to_owned(),
            ]
            .map(Cell::Text)
            .to_vec(),
        );
    }
    table
}

/// JSON with amounts in integer pence and the discount rate in basis points, so no figure
/// passes through binary floating point on its way out.
fn json(out: &mut dyn Write, finance: &Finance, options: &Options) -> io::Result<()> {
    let labels = period_labels(finance, options.monthly);
    let after = after_plan_end(finance, options.monthly);
    let view = JsonView {
        title: &finance.title,
        currency: &finance.currency,
        plan_end: finance.plan_end,
        appraisal_end: finance.appraisal_end,
        amounts_in: "pence",
        discount_rate_basis_points: finance.discount_rate.basis_points(),
        period: if options.monthly {
            "month"
        } else {
            "financial-year"
        },
        periods: &labels,
        groups: JsonGroups {
            groups: groups(finance, options.by),
            labels: &labels,
            after: &after,
            monthly: options.monthly,
        },
        checks: &finance.checks,
    };
    // Every field is a string, a number or a struct of those: only writing can fail.
    serde_json::to_writer_pretty(&mut *out, &view).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct JsonView<'a> {
    title: &'a str,
    currency: &'a str,
    plan_end: chrono::NaiveDate,
    appraisal_end: chrono::NaiveDate,
    amounts_in: &'static str,
    discount_rate_basis_points: i64,
    period: &'static str,
    periods: &'a [String],
    groups: JsonGroups<'a>,
    checks: &'a [Check],
}

/// The groups, each made into a [`JsonGroup`] only as it is written.
struct JsonGroups<'a> {
    groups: Vec<(&'static str, &'a Profile)>,
    labels: &'a [String],
    after: &'a [bool],
    monthly: bool,
}

impl Serialize for JsonGroups<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.groups.len()))?;
        for (kind, profile) in &self.groups {
            seq.serialize_element(&JsonGroup {
                kind,
                id: &profile.id,
                title: &profile.title,
                periods: JsonPeriods {
                    labels: self.labels,
                    after: self.after,
                    profile,
                    monthly: self.monthly,
                    periods: if self.monthly {
                        &profile.monthly
                    } else {
                        &profile.yearly
                    },
                },
                total: &profile.total,
                outturn_total: (!self.monthly).then(|| profile.outturn_total()),
                appraisal: &profile.appraisal,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    periods: JsonPeriods<'a>,
    total: &'a Amounts,
    /// Plan, actual, forecast and variance of the total (by financial year only).
    #[serde(skip_serializing_if = "Option::is_none")]
    outturn_total: Option<YearOutturn>,
    appraisal: &'a Appraisal,
}

/// A group's periods beside their labels, each made into a [`JsonPeriod`] as it is written.
struct JsonPeriods<'a> {
    labels: &'a [String],
    after: &'a [bool],
    profile: &'a Profile,
    monthly: bool,
    periods: &'a Periods,
}

impl Serialize for JsonPeriods<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let count = self.labels.len().min(self.periods.len());
        let mut seq = serializer.serialize_seq(Some(count))?;
        let periods = self.labels.iter().zip(self.after).zip(self.periods);
        for (index, ((label, after), amounts)) in periods.enumerate() {
            seq.serialize_element(&JsonPeriod {
                period: label,
                after_plan_end: *after,
                amounts,
                outturn: (!self.monthly).then(|| self.profile.outturn(index)),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonPeriod<'a> {
    period: &'a str,
    after_plan_end: bool,
    #[serde(flatten)]
    amounts: Amounts,
    /// Plan, actual, forecast and variance of costs and savings (by financial year only).
    #[serde(skip_serializing_if = "Option::is_none")]
    outturn: Option<YearOutturn>,
}

/// The groups to show, in the model's order, then the portfolio.
fn groups(finance: &Finance, by: Option<GroupBy>) -> Vec<(&'static str, &Profile)> {
    let mut out: Vec<(&'static str, &Profile)> = match by {
        None => Vec::new(),
        Some(GroupBy::Project) => finance.projects.iter().map(|p| ("project", p)).collect(),
        Some(GroupBy::Programme) => finance
            .programmes
            .iter()
            .map(|p| ("programme", p))
            .collect(),
        Some(GroupBy::Theme) => {
            let mut themes: Vec<_> = finance.themes.iter().map(|p| ("theme", p)).collect();
            if finance.unthemed.total != Amounts::default() {
                themes.push(("theme", &finance.unthemed));
            }
            themes
        }
    };
    out.push(("portfolio", &finance.portfolio));
    out
}

/// For each period of [`period_labels`], whether it is wholly after the plan's end.
fn after_plan_end(finance: &Finance, monthly: bool) -> Vec<bool> {
    if monthly {
        finance
            .months
            .iter()
            .map(|m| finance.month_after_plan_end(*m))
            .collect()
    } else {
        finance
            .years
            .iter()
            .map(|y| finance.year_after_plan_end(*y))
            .collect()
    }
}

fn period_labels(finance: &Finance, monthly: bool) -> Vec<String> {
    if monthly {
        finance.months.iter().map(ToString::to_string).collect()
    } else {
        finance
            .years
            .iter()
            .map(|y| year_label(*y, finance.financial_year_start))
            .collect()
    }
}

fn heading(profile: &Profile) -> String {
    if profile.id.is_empty() || profile.id == "portfolio" {
        profile.title.clone()
    } else {
        format!("{}: {}", profile.id, profile.title)
    }
}

fn row(label: &str, a: &Amounts, show_bias: bool, money: fn(Money) -> String) -> Vec<Cell> {
    let mut cells = vec![label.to_owned(), money(a.capital)];
    if show_bias {
        cells.push(money(a.optimism_bias));
    }
    cells.extend([
        money(a.revenue),
        money(a.savings),
        money(a.benefits),
        money(a.net_cashable),
        money(a.cumulative_net),
    ]);
    cells.into_iter().map(Cell::Text).collect()
}

fn appraisal_line(a: &Appraisal, show_bias: bool) -> String {
    let ratio = |r: Option<f64>| r.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}"));
    let month = |m: Option<crate::finance::Month>| {
        m.map_or_else(|| "not within the profile".to_owned(), |m| m.to_string())
    };
    let mut out = format!(
        "NPV {}  PV costs {}  PV savings {}  PV benefits {}  benefit-cost ratio {}  payback {}\n",
        a.npv,
        a.pv_costs,
        a.pv_savings,
        a.pv_benefits,
        ratio(a.benefit_cost_ratio),
        month(a.payback)
    );
    if show_bias {
        out.push_str(&format!(
            "with optimism bias: NPV {}  PV costs {}  benefit-cost ratio {}  payback {}\n",
            a.npv_with_bias,
            a.pv_costs_with_bias,
            ratio(a.benefit_cost_ratio_with_bias),
            month(a.payback_with_bias)
        ));
    }
    out
}
