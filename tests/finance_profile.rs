//! Hand-computed finance cases (issue 4), each with its arithmetic written out.

use crate::finance_common;

use finance_common::*;
use tranche::diagnostic::{Code, Span};
use tranche::finance::{self, Month};
use tranche::model::{
    Anchor, Budget, BudgetKind, Cost, FinancialYear, Milestone, MilestoneId, MilestoneTiming,
    Programme, ProgrammeId, Target, Theme, ThemeId,
};
use tranche::money::{Money, Percent};
use tranche::report::finance_render as render;

/// Plan 2020-04-01 to 2023-03-31; project `p` works 2020-04-01 to 2021-03-31 with £100,000
/// capital and saves £60,000 a year from go-live (2021-04-01) to the end of the plan.
fn small_plan() -> (tranche::model::Portfolio, tranche::schedule::Schedule) {
    let mut plan = portfolio(d(2020, 4, 1), d(2023, 3, 31));
    let mut p = project("p");
    p.costs.push(capital(pounds(100_000)));
    p.savings
        .push(saving(pounds(60_000), Anchor::Finish, 0, None));
    plan.projects.push(p);
    let schedule = schedule(vec![timing(d(2020, 4, 1), d(2021, 3, 31))], Vec::new());
    (plan, schedule)
}

#[test]
fn capital_spread_across_a_financial_year_end_and_a_bank_holiday() {
    // £1,000 of capital over Mon 2021-03-29 to Fri 2021-04-09. Working days: 29, 30, 31 March
    // (3), 1 April, then Good Friday 2 April and Easter Monday 5 April are bank holidays, then
    // 6-9 April (4): n = 8. By 31 March k = 3 days are done: floor(100,000p * 3 / 8) = 37,500p
    // = £375 in 2020/21; the rest, £625, in 2021/22.
    let mut plan = portfolio(d(2021, 1, 1), d(2021, 12, 31));
    let mut p = project("p");
    p.costs.push(capital(pounds(1_000)));
    plan.projects.push(p);
    let schedule = schedule(vec![timing(d(2021, 3, 29), d(2021, 4, 9))], Vec::new());
    let f = finance::profile(&plan, &schedule, &calendars());
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2020)].capital,
        Money(37_500)
    );
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2021)].capital,
        Money(62_500)
    );
    assert_eq!(f.portfolio.total.capital, pounds(1_000));
}

#[test]
fn ramped_saving_starting_mid_month() {
    // Finish 2021-06-15, so go-live and the saving start on 16 June: June + 15/30 of a month.
    // £120,000 a year (£10,000 a month) with a 2-month ramp: accrued after x months is
    // £10,000 x² / 4 during the ramp and £10,000 (x - 1) after it.
    // June: x = 0.5 -> £625. July: x = 1.5 -> £5,625 - £625 = £5,000.
    // August: x = 2.5 -> £15,000 - £5,625 = £9,375. September onward: £10,000 a month.
    // 2021/22 (to March 2022): 625 + 5,000 + 9,375 + 7 * 10,000 = £85,000.
    let mut plan = portfolio(d(2021, 4, 1), d(2023, 3, 31));
    let mut p = project("p");
    p.savings
        .push(saving(pounds(120_000), Anchor::Finish, 2, None));
    plan.projects.push(p);
    let schedule = schedule(vec![timing(d(2021, 4, 1), d(2021, 6, 15))], Vec::new());
    let f = finance::profile(&plan, &schedule, &calendars());
    let month = |y, m| {
        let i = f
            .months
            .iter()
            .position(|x| *x == Month::of(d(y, m, 1)))
            .unwrap_or(usize::MAX);
        f.portfolio.monthly.get(i).map(|a| a.savings)
    };
    assert_eq!(month(2021, 5), Some(Money(0)));
    assert_eq!(month(2021, 6), Some(pounds(625)));
    assert_eq!(month(2021, 7), Some(pounds(5_000)));
    assert_eq!(month(2021, 8), Some(pounds(9_375)));
    assert_eq!(month(2021, 9), Some(pounds(10_000)));
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2021)].savings,
        pounds(85_000)
    );
    // 2022/23 is all at the full rate: £120,000.
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2022)].savings,
        pounds(120_000)
    );
}

#[test]
fn recurring_cost_with_an_end() {
    // £12,000 a year (10,000,000p... i.e. 100,000p a month) from 2021-01-11 for 3 months.
    // January: 21 of 31 days: floor(100,000 * 21 / 31) = 67,741p. February, March: 100,000p.
    // The line ends 3 months after it starts (April + 10/31), so April takes the rest of the
    // exact £3,000: 300,000 - 267,741 = 32,259p. Years: 2020/21 267,741p; 2021/22 32,259p.
    let mut plan = portfolio(d(2020, 4, 1), d(2022, 3, 31));
    let mut p = project("p");
    p.costs.push(revenue(
        pounds(12_000),
        Anchor::Date(d(2021, 1, 11)),
        Some(3),
    ));
    plan.projects.push(p);
    let schedule = schedule(vec![timing(d(2020, 4, 1), d(2020, 6, 30))], Vec::new());
    let f = finance::profile(&plan, &schedule, &calendars());
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2020)].revenue,
        Money(267_741)
    );
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2021)].revenue,
        Money(32_259)
    );
    assert_eq!(f.portfolio.total.revenue, pounds(3_000));
}

#[test]
fn npv_and_payback_of_a_small_plan() {
    // Years: 2020/21 (year 0) capital £100,000; 2021/22 and 2022/23 savings £60,000 each.
    // PV costs = 10,000,000p (year 0 is not discounted).
    // PV savings = 6,000,000 / 1.035 + 6,000,000 / 1.035² = 5,797,101.45 + 5,601,064.20
    //            = 11,398,165.65 -> 11,398,166p (rounded once).
    // NPV = 11,398,166 - 10,000,000 = 1,398,166p = £13,981.66; BCR = 1.1398...
    // Payback: cumulative net is -£100,000 at March 2021 and rises £5,000 a month from April
    // 2021, reaching 0 after 20 months, at the end of November 2022.
    let (plan, schedule) = small_plan();
    let f = finance::profile(&plan, &schedule, &calendars());
    let a = &f.portfolio.appraisal;
    assert_eq!(a.pv_costs, Money(10_000_000));
    assert_eq!(a.pv_savings, Money(11_398_166));
    assert_eq!(a.npv, Money(1_398_166));
    assert!(
        a.benefit_cost_ratio
            .is_some_and(|r| (r - 1.1398166).abs() < 1e-6)
    );
    assert_eq!(a.payback, Some(Month::of(d(2022, 11, 1))));
    assert_eq!(f.portfolio.total.net_cashable, pounds(20_000));
    assert_eq!(f.portfolio.yearly[2].cumulative_net, pounds(20_000));
    // Without optimism bias the with-bias figures are the same.
    assert_eq!(a.npv_with_bias, a.npv);
    assert!(f.diagnostics.is_empty());
}

#[test]
fn optimism_bias_uplifts_capital_and_shows_both() {
    // Portfolio `optimism-bias capital 24%`: £100,000 capital becomes £124,000 with bias.
    // PV costs with bias = 12,400,000p; NPV with bias = 11,398,166 - 12,400,000 = -1,001,834p.
    // Payback with bias: -£124,000 + £5,000 a month needs 24.8 months, beyond March 2023.
    let (mut plan, schedule) = small_plan();
    plan.optimism_bias = Some(Percent(2_400));
    let f = finance::profile(&plan, &schedule, &calendars());
    assert_eq!(f.portfolio.total.capital, pounds(100_000));
    assert_eq!(f.portfolio.total.optimism_bias, pounds(24_000));
    assert_eq!(f.portfolio.appraisal.pv_costs_with_bias, Money(12_400_000));
    assert_eq!(f.portfolio.appraisal.npv, Money(1_398_166));
    assert_eq!(f.portfolio.appraisal.npv_with_bias, Money(-1_001_834));
    assert_eq!(f.portfolio.appraisal.payback_with_bias, None);
    // A project's own setting replaces the portfolio's: 10% -> £10,000.
    plan.projects[0].details_mut().optimism_bias = Some(Percent(1_000));
    let f = finance::profile(&plan, &schedule, &calendars());
    assert_eq!(f.portfolio.total.optimism_bias, pounds(10_000));
}

#[test]
fn missed_target_and_exceeded_budget_are_diagnostics() {
    // Savings in 2021/22 are £60,000 against a £70,000 target: £10,000 short.
    // Capital in 2020/21 is £100,000 against a £90,000 budget: £10,000 over.
    let (mut plan, schedule) = small_plan();
    plan.optimism_bias = Some(Percent(2_400));
    let span = Span::default();
    plan.targets.push(Target {
        amount: pounds(70_000),
        year: FinancialYear(2021),
        span,
    });
    plan.targets.push(Target {
        amount: pounds(60_000),
        year: FinancialYear(2022),
        span,
    });
    plan.budgets.push(Budget {
        kind: BudgetKind::Capital,
        amount: pounds(90_000),
        year: FinancialYear(2020),
        span,
    });
    plan.budgets.push(Budget {
        kind: BudgetKind::Revenue,
        amount: pounds(0),
        year: FinancialYear(2020),
        span,
    });
    let f = finance::profile(&plan, &schedule, &calendars());
    assert_eq!(f.diagnostics.len(), 2, "{:#?}", f.diagnostics);
    let target = &f.diagnostics[0];
    assert_eq!(target.code, Code::E060SavingsTargetMissed);
    assert_eq!(
        target.message,
        "cashable savings in 2021/22 are £60,000.00, £10,000.00 short of the £70,000.00 target"
    );
    assert_eq!(
        target.notes[0].message,
        "largest savings in 2021/22: `p` (£60,000.00)"
    );
    assert!(target.hint.is_some());
    let budget = &f.diagnostics[1];
    assert_eq!(budget.code, Code::E061BudgetExceeded);
    assert_eq!(
        budget.message,
        "capital spending in 2020/21 is £100,000.00, £10,000.00 over the £90,000.00 budget"
    );
    assert_eq!(
        budget.notes[0].message,
        "with optimism bias it is £124,000.00"
    );
    assert_eq!(
        budget.notes[1].message,
        "largest capital spending in 2020/21: `p` (£100,000.00)"
    );
}

#[test]
fn money_from_a_milestone_starts_the_day_after_it() {
    // A milestone at the end of 2021-03-31; a one-off £5,000 at it falls on 2021-04-01, in
    // 2021/22, like money `at finish` of a project finishing that day.
    let mut plan = portfolio(d(2020, 4, 1), d(2022, 3, 31));
    let mut p = project("p");
    p.costs.push(Cost::OneOff {
        amount: pounds(5_000),
        at: Anchor::Milestone(MilestoneId(0)),
        span: Span::default(),
    });
    p.costs.push(Cost::OneOff {
        amount: pounds(1_000),
        at: Anchor::Start,
        span: Span::default(),
    });
    plan.projects.push(p);
    plan.milestones.push(Milestone {
        id: "go-live".to_owned().into(),
        title: "Live".to_owned().into(),
        project: None,
        programme: None,
        timing: MilestoneTiming::On(d(2021, 3, 31)),
        dependencies: Box::default(),
        deadline: None,
        theme: None,
        details: None,
        span: Span::default(),
    });
    let t = timing(d(2020, 5, 1), d(2020, 6, 30));
    let m = timing(d(2021, 3, 31), d(2021, 3, 31));
    let f = finance::profile(&plan, &schedule(vec![t], vec![m]), &calendars());
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2020)].revenue,
        pounds(1_000)
    );
    assert_eq!(
        f.portfolio.yearly[year_index(&f, 2021)].revenue,
        pounds(5_000)
    );
}

#[test]
fn programmes_and_themes_add_up_to_the_portfolio() {
    // Two projects: `a` (£10,000) in programme `inner` inside `outer`, theme `t`; `b` (£3,000)
    // in no programme and no theme. outer = inner = £10,000; t = £10,000; unthemed £3,000.
    let mut plan = portfolio(d(2020, 4, 1), d(2021, 3, 31));
    let programme = |id: &str, parent| Programme {
        id: id.to_owned().into(),
        title: id.to_owned().into(),
        parent,
        owner: None,
        theme: None,
        description: None,
        tags: Vec::new(),
        children: Vec::new(),
        span: Span::default(),
    };
    plan.programmes.push(programme("outer", None));
    plan.programmes
        .push(programme("inner", Some(ProgrammeId(0))));
    plan.themes.push(Theme {
        id: "t".to_owned(),
        title: "Theme".to_owned(),
        span: Span::default(),
    });
    let mut a = project("a");
    a.programme = Some(ProgrammeId(1));
    a.theme = Some(ThemeId(0));
    a.costs.push(capital(pounds(10_000)));
    let mut b = project("b");
    b.costs.push(capital(pounds(3_000)));
    plan.projects.extend([a, b]);
    let t = timing(d(2020, 6, 1), d(2020, 9, 30));
    let f = finance::profile(
        &plan,
        &schedule(vec![t.clone(), t], Vec::new()),
        &calendars(),
    );
    assert_eq!(f.programmes[0].total.capital, pounds(10_000));
    assert_eq!(f.programmes[1].total.capital, pounds(10_000));
    assert_eq!(f.themes[0].total.capital, pounds(10_000));
    assert_eq!(f.unthemed.total.capital, pounds(3_000));
    assert_eq!(f.portfolio.total.capital, pounds(13_000));
}

#[test]
fn table_csv_and_json_show_the_same_figures() {
    let (mut plan, schedule) = small_plan();
    plan.optimism_bias = Some(Percent(2_400));
    let f = finance::profile(&plan, &schedule, &calendars());
    let options = render::Options {
        format: render::Format::Table,
        by: Some(render::GroupBy::Project),
        monthly: false,
    };
    insta::assert_snapshot!("small_plan_table", render::render(&f, &options));
    let csv = render::render(
        &f,
        &render::Options {
            format: render::Format::Csv,
            ..options
        },
    );
    insta::assert_snapshot!("small_plan_csv", csv);
    let json = render::render(
        &f,
        &render::Options {
            format: render::Format::Json,
            ..options
        },
    );
    insta::assert_snapshot!("small_plan_json", json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(value["groups"][1]["kind"], "portfolio");
    assert_eq!(value["groups"][1]["appraisal"]["npv"], 1_398_166);
    assert_eq!(value["periods"][0], "2020/21");
    let monthly = render::render(
        &f,
        &render::Options {
            monthly: true,
            by: None,
            ..options
        },
    );
    assert!(monthly.contains("\n2022-11 "), "{monthly}");
}

#[test]
fn a_recurring_line_stops_at_the_end_of_the_calendars_range() {
    // `for` 1,000 years from 2021-01-01 stops at 2201-01-01: 180 years of £1,200 = £216,000,
    // and the profile ends in December 2200 instead of running for 12,000 months.
    let mut plan = portfolio(d(2020, 4, 1), d(2022, 3, 31));
    let mut p = project("p");
    p.savings.push(saving(
        pounds(1_200),
        Anchor::Date(d(2021, 1, 1)),
        0,
        Some(12_000),
    ));
    plan.projects.push(p);
    let schedule = schedule(vec![timing(d(2020, 4, 1), d(2020, 6, 30))], Vec::new());
    let f = finance::profile(&plan, &schedule, &calendars());
    assert_eq!(f.portfolio.total.savings, pounds(216_000));
    assert_eq!(f.months.last(), Some(&Month::of(d(2200, 12, 1))));
}

#[test]
fn project_years_only_keeps_everything_but_project_months() {
    let (plan, schedule) = small_plan();
    let full = finance::profile(&plan, &schedule, &calendars());
    let lean = finance::profile_with(
        &plan,
        &schedule,
        &calendars(),
        finance::Detail::ProjectYearsOnly,
    );
    assert!(lean.projects[0].monthly.is_empty());
    assert_eq!(lean.projects[0].yearly, full.projects[0].yearly);
    assert_eq!(lean.projects[0].appraisal, full.projects[0].appraisal);
    assert_eq!(lean.portfolio.monthly, full.portfolio.monthly);
}
