use super::*;

fn year(y: i32, capital: i64, savings: i64) -> YearMoney {
    YearMoney {
        capital: Money(capital),
        savings: Money(savings),
        ..YearMoney::zero(FinancialYear(y))
    }
}

fn discounting(sunk_until: Option<i32>) -> Discounting {
    Discounting {
        rate: Percent(350),
        year0: FinancialYear(2020),
        sunk_until: sunk_until.map(FinancialYear),
    }
}

#[test]
fn each_year_is_discounted_from_year_0_and_rounded_once() {
    // £100 more capital in year 0, £103.50 more savings in year 1: PV savings exactly £100.
    let option = [year(2020, 10_000, 0), year(2021, 0, 10_350)];
    let baseline = [year(2020, 0, 0), year(2021, 0, 0)];
    let i = incremental(&option, &baseline, discounting(None));
    assert_eq!(i.pv_costs, Money(10_000));
    assert_eq!(i.pv_savings, Money(10_000));
    assert_eq!(i.npv, Money(0));
    assert_eq!(i.benefit_cost_ratio, Some(1.0));
}

#[test]
fn years_over_at_the_status_date_are_sunk() {
    // The option spent £1,000 in 2020/21, a year now over, that the baseline (which removes
    // the work) does not show: sunk, the same whichever is chosen now, so left out.
    let option = [year(2020, 100_000, 0), year(2021, 5_000, 10_350)];
    let baseline = [year(2020, 0, 0), year(2021, 0, 0)];
    let with_sunk = incremental(&option, &baseline, discounting(None));
    let without = incremental(&option, &baseline, discounting(Some(2021)));
    assert_eq!(with_sunk.pv_costs.0, 100_000 + 4_831);
    // 2021/22 is year 1 still: discounted by one year.
    assert_eq!(without.pv_costs, Money(4_831));
    assert_eq!(without.pv_savings, Money(10_000));
    assert_eq!(without.npv, Money(10_000 - 4_831));
}
