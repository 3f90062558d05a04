//! Literal values: the text the author wrote (dates, durations, amounts, percentages, financial
//! years) to exact model values, or a diagnostic that says what is wrong with it.
//!
//! Input: AST literals. Output: `NaiveDate`, working days, months, [`Money`], [`Percent`],
//! [`FinancialYear`]. Invariant: every conversion is exact; a value that cannot be held exactly
//! (1.5 weeks is 7.5 working days) is refused with E051 rather than rounded.

use chrono::{Datelike, NaiveDate};

use super::FinancialYear;
use crate::diagnostic::{Code, Diagnostic};
use crate::money::{Money, Percent};
use crate::syntax::ast::{DurationLit, DurationUnit, Literal, MoneyLit};

/// Working days in one unit (the conventions of Microsoft Project, LANGUAGE.md).
pub(crate) fn days_per_unit(unit: DurationUnit) -> i128 {
    match unit {
        DurationUnit::Days => 1,
        DurationUnit::Weeks => 5,
        DurationUnit::Months => 20,
        DurationUnit::Years => 240,
    }
}

/// The longest duration or lag accepted: 100 years of working days. Longer is a typo, and the
/// limit keeps every later sum of days far from overflow.
pub(crate) const MAX_DAYS: i64 = 100 * 240;

/// A duration or lag in working days (never negative; a lead's sign is applied by the caller).
pub(crate) fn working_days(duration: &DurationLit) -> Result<i64, Diagnostic> {
    let written = written(duration);
    let (scaled, scale) = duration_number(duration)?;
    let Some(days) = exact_quotient(scaled * days_per_unit(duration.unit), scale) else {
        return Err(Diagnostic::new(
            Code::E051BadValue,
            duration.span,
            format!(
                "`{written}` is not a whole number of working days (a week is 5, a month 20, a year 240)"
            ),
        )
        .with_hint("round it to whole days, or give it in a smaller unit such as `days`"));
    };
    if days > i128::from(MAX_DAYS) {
        return Err(Diagnostic::new(
            Code::E051BadValue,
            duration.span,
            format!("`{written}` is longer than 100 years"),
        )
        .with_hint("check the number and its unit"));
    }
    // Bounded by MAX_DAYS just above, so this always fits.
    Ok(i64::try_from(days).unwrap_or(MAX_DAYS))
}

/// A financial period (`ramp 6 months`, `for 3 years`) in calendar months. Only months and
/// years are accepted: these are calendar time, and a working-day unit here is a mistake.
pub(crate) fn months(duration: &DurationLit, keyword: &str) -> Result<u32, Diagnostic> {
    let written = written(duration);
    let per_unit: i128 = match duration.unit {
        DurationUnit::Months => 1,
        DurationUnit::Years => 12,
        DurationUnit::Days | DurationUnit::Weeks => {
            return Err(Diagnostic::new(
                Code::E051BadValue,
                duration.span,
                format!("`{keyword} {written}` must be given in months or years"),
            )
            .with_hint(format!(
                "`{keyword}` is calendar time, counted in whole months: write e.g. `{keyword} 6 months`"
            )));
        }
    };
    let (scaled, scale) = duration_number(duration)?;
    let Some(months) = exact_quotient(scaled * per_unit, scale) else {
        return Err(Diagnostic::new(
            Code::E051BadValue,
            duration.span,
            format!("`{keyword} {written}` is not a whole number of months"),
        )
        .with_hint("give it in whole months, such as `18 months`"));
    };
    if months > 1200 {
        return Err(Diagnostic::new(
            Code::E051BadValue,
            duration.span,
            format!("`{keyword} {written}` is longer than 100 years"),
        )
        .with_hint("check the number and its unit"));
    }
    Ok(u32::try_from(months).unwrap_or(1200))
}

/// The first and last years a date in a plan may have (docs/limits.md).
pub(crate) const MIN_YEAR: i32 = 1900;
pub(crate) const MAX_YEAR: i32 = 2200;

/// A date `YYYY-MM-DD`; E040 with the reason when no such day exists or it is outside
/// [`MIN_YEAR`]..=[`MAX_YEAR`].
pub(crate) fn date(literal: &Literal) -> Result<NaiveDate, Diagnostic> {
    let text = literal.text.as_str();
    let impossible = |reason: String| {
        Diagnostic::new(
            Code::E040ImpossibleDate,
            literal.span,
            format!("`{text}` is not a real date: {reason}"),
        )
        .with_hint("write a date that exists, as `YYYY-MM-DD`")
    };
    let mut parts = text.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(impossible("a date is written `YYYY-MM-DD`".to_string()));
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || ![y, m, d].iter().all(|s| all_digits(s)) {
        return Err(impossible("a date is written `YYYY-MM-DD`".to_string()));
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(impossible("a date is written `YYYY-MM-DD`".to_string()));
    };
    if !(1..=12).contains(&month) {
        return Err(impossible(format!("there is no month {month}")));
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        // Calendars, bank holidays and financial years are only meaningful in this range, and
        // it keeps every working-day index and month count far from overflow.
        return Err(Diagnostic::new(
            Code::E040ImpossibleDate,
            literal.span,
            format!("`{text}` is outside the years {MIN_YEAR} to {MAX_YEAR} that tranche plans in"),
        )
        .with_hint(format!(
            "write a date from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"
        )));
    }
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return Ok(date);
    }
    let length = month_length(year, month);
    Err(impossible(format!(
        "{} {year} has {length} days",
        MONTH_NAMES
            .get(month as usize - 1)
            .copied()
            .unwrap_or("that month")
    )))
}

const MONTH_NAMES: [&str; 12] = [
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

fn month_length(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt())
        .map(|d| d.day())
        .unwrap_or(31)
}

/// A financial year `2022/23` (or `2022/2023`): the second part must be the next year.
pub(crate) fn financial_year(literal: &Literal) -> Result<FinancialYear, Diagnostic> {
    let text = literal.text.as_str();
    let malformed = || {
        Diagnostic::new(
            Code::E051BadValue,
            literal.span,
            format!("`{text}` is not a financial year"),
        )
        .with_hint("write a financial year as its two calendar years, such as `2022/23`")
    };
    let (first, second) = text.split_once('/').ok_or_else(malformed)?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if first.len() != 4
        || !(second.len() == 2 || second.len() == 4)
        || !digits(first)
        || !digits(second)
    {
        return Err(malformed());
    }
    let year: i32 = first.parse().map_err(|_| malformed())?;
    let next: i32 = second.parse().map_err(|_| malformed())?;
    let expected = if second.len() == 2 {
        (year + 1) % 100
    } else {
        year + 1
    };
    if next != expected {
        let right = if second.len() == 2 {
            format!("{year}/{expected:02}")
        } else {
            format!("{year}/{expected}")
        };
        return Err(Diagnostic::new(
            Code::E051BadValue,
            literal.span,
            format!("`{text}` is not a financial year: the second year must follow the first"),
        )
        .with_hint(format!("did you mean `{right}`?")));
    }
    Ok(FinancialYear(year))
}

/// The first and last day of a financial year that starts in `start_month`.
pub(crate) fn financial_year_days(
    year: FinancialYear,
    start_month: u32,
) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year.0, start_month, 1)?;
    let next = NaiveDate::from_ymd_opt(year.0 + 1, start_month, 1)?;
    Some((first, next.pred_opt()?))
}

/// The currency symbols tranche knows, by ISO code. Amounts must use the portfolio's symbol
/// (GBP's `£` unless `currency` says otherwise): a `$` in a sterling plan is a mistake, and
/// tranche does no exchange rates.
pub(crate) const CURRENCIES: [(&str, &str); 3] = [("GBP", "£"), ("EUR", "€"), ("USD", "$")];

pub(crate) fn currency_symbol(code: &str) -> Option<&'static str> {
    CURRENCIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, s)| *s)
}

/// An amount of money in the portfolio's currency (`symbol`).
pub(crate) fn money(literal: &MoneyLit, currency: &str, symbol: &str) -> Result<Money, Diagnostic> {
    // The amount as written, for messages only.
    let written = || format!("{}{}", literal.currency, literal.amount);
    if literal.currency.as_str() != symbol {
        return Err(Diagnostic::new(
            Code::E051BadValue,
            literal.span,
            format!(
                "`{}` is not in the portfolio's currency, {currency} (`{symbol}`)",
                written()
            ),
        )
        .with_hint(format!(
            "write amounts in `{symbol}`, or set `currency` in the portfolio block"
        )));
    }
    Money::parse_amount(&literal.amount).ok_or_else(|| {
        Diagnostic::new(
            Code::E051BadValue,
            literal.span,
            format!("`{}` is not an amount tranche can hold", written()),
        )
        .with_hint(format!(
            "write amounts like `{symbol}1.8m`, `{symbol}450k`, `{symbol}12,500` or `{symbol}99.50`: whole pence, at most {symbol}1 trillion"
        ))
    })
}

/// A percentage (the number before `%`), at most two decimal places.
pub(crate) fn percent(literal: &Literal) -> Result<Percent, Diagnostic> {
    Percent::parse(&literal.text).ok_or_else(|| {
        Diagnostic::new(
            Code::E051BadValue,
            literal.span,
            format!("`{}%` is not a percentage tranche can read", literal.text),
        )
        .with_hint("write a percentage with at most two decimal places, such as `3.5%`")
    })
}

/// A duration's number as an integer and its scale ([`decimal`]); E051 at the number when it
/// is not one, for working days and months alike.
fn duration_number(duration: &DurationLit) -> Result<(i128, i128), Diagnostic> {
    decimal(&duration.number).ok_or_else(|| {
        Diagnostic::new(
            Code::E051BadValue,
            duration.number_span(),
            format!("`{}` is not a number tranche can read", duration.number),
        )
        .with_hint("write a whole or decimal number, such as `3` or `1.5`")
    })
}

/// A non-negative decimal as an integer and its scale: `1.25` is (125, 100).
fn decimal(text: &str) -> Option<(i128, i128)> {
    // A byte loop, not `split_once`: its searcher costs more than these few bytes.
    let (whole, fraction, dot) = match text.bytes().position(|b| b == b'.') {
        Some(dot) => (text.get(..dot)?, text.get(dot + 1..)?, true),
        None => (text, "", false),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 12
        || fraction.len() > 9
        || !digits(whole)
        || !digits(fraction)
        || (dot && fraction.is_empty())
    {
        return None;
    }
    // At most 21 digits, read in place (no `str::parse` of each part).
    let mut value: i128 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        value = value * 10 + i128::from(b - b'0');
    }
    let scale = 10i128.pow(u32::try_from(fraction.len()).ok()?);
    Some((value, scale))
}

/// `scaled / scale` when it divides exactly. Whole numbers (scale 1, nearly every number in a
/// plan) skip the 128-bit division, which is a slow library call.
fn exact_quotient(scaled: i128, scale: i128) -> Option<i128> {
    if scale == 1 {
        return Some(scaled);
    }
    (scaled % scale == 0).then(|| scaled / scale)
}

/// A duration as the author wrote it (`14 months`, `3d`), for messages. Formatted only when
/// a message is made: most durations are read without a problem.
pub(crate) fn written(duration: &DurationLit) -> Written<'_> {
    Written(duration)
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Written<'d>(&'d DurationLit);

impl std::fmt::Display for Written<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let duration = self.0;
        let space = if duration.unit_text().len() > 2 {
            " "
        } else {
            ""
        };
        write!(f, "{}{space}{}", duration.number, duration.unit_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{FileId, Span};
    use crate::syntax::ast::CurrencySymbol;

    fn span() -> Span {
        Span::new(FileId(0), 0, 1)
    }

    fn lit(text: &str) -> Literal {
        Literal {
            text: compact_str::CompactString::from(text),
            span: span(),
        }
    }

    /// `text` is read as the day `(year, month, day)`.
    fn reads_as_the_day(text: &str, (year, month, day): (i32, u32, u32)) {
        let want = NaiveDate::from_ymd_opt(year, month, day);
        assert_eq!(date(&lit(text)).ok(), want, "{text}");
    }

    fn dur(number: &str, unit: DurationUnit, unit_text: &str) -> DurationLit {
        let Some((written, spelling)) = crate::syntax::ast::duration_unit(unit_text) else {
            panic!("`{unit_text}` is not a unit");
        };
        assert_eq!(written, unit, "`{unit_text}` is not a spelling of {unit:?}");
        DurationLit {
            number: number.into(),
            unit,
            spelling,
            span: span(),
        }
    }

    #[test]
    fn durations_convert_to_working_days() {
        // A week is 5 working days, a month 20 and a year 240.
        for (number, unit, spelling, days) in [
            ("3", DurationUnit::Days, "d", 3),
            ("2", DurationUnit::Weeks, "weeks", 10),
            ("14", DurationUnit::Months, "months", 280),
            ("1", DurationUnit::Years, "year", 240),
            ("1.5", DurationUnit::Months, "months", 30),
            ("0.2", DurationUnit::Weeks, "weeks", 1),
        ] {
            let duration = dur(number, unit, spelling);
            assert_eq!(
                working_days(&duration).ok(),
                Some(days),
                "{number} {spelling}"
            );
        }
    }

    #[test]
    fn fractional_days_and_absurd_lengths_are_refused() {
        let half = working_days(&dur("1.5", DurationUnit::Weeks, "weeks")).unwrap_err();
        assert_eq!(half.code, Code::E051BadValue);
        assert_eq!(
            half.message,
            "`1.5 weeks` is not a whole number of working days (a week is 5, a month 20, a year 240)"
        );
        let long = working_days(&dur("101", DurationUnit::Years, "years")).unwrap_err();
        assert_eq!(long.message, "`101 years` is longer than 100 years");
        assert!(working_days(&dur("1.", DurationUnit::Days, "days")).is_err());
    }

    /// Issue 10 (limits): dates outside 1900-2200 are refused with E040, not planned in.
    #[test]
    fn dates_outside_1900_to_2200_are_refused() {
        let early = date(&lit("1899-12-31")).unwrap_err();
        assert_eq!(early.code, Code::E040ImpossibleDate);
        assert_eq!(
            early.message,
            "`1899-12-31` is outside the years 1900 to 2200 that tranche plans in"
        );
        assert!(date(&lit("2201-01-01")).is_err());
        reads_as_the_day("1900-01-01", (1900, 1, 1));
        reads_as_the_day("2200-12-31", (2200, 12, 31));
    }

    #[test]
    fn financial_periods_are_months_or_years_only() {
        assert_eq!(
            months(&dur("6", DurationUnit::Months, "months"), "ramp").ok(),
            Some(6)
        );
        assert_eq!(
            months(&dur("1.5", DurationUnit::Years, "years"), "for").ok(),
            Some(18)
        );
        let weeks = months(&dur("6", DurationUnit::Weeks, "weeks"), "ramp").unwrap_err();
        assert_eq!(
            weeks.message,
            "`ramp 6 weeks` must be given in months or years"
        );
        assert!(months(&dur("0.5", DurationUnit::Months, "mo"), "for").is_err());
        // At most 100 years (docs/limits.md).
        assert_eq!(
            months(&dur("100", DurationUnit::Years, "years"), "for").ok(),
            Some(1_200)
        );
        let long = months(&dur("101", DurationUnit::Years, "years"), "for").unwrap_err();
        assert_eq!(long.message, "`for 101 years` is longer than 100 years");
    }

    #[test]
    fn impossible_dates_say_why() {
        reads_as_the_day("2021-02-28", (2021, 2, 28));
        reads_as_the_day("2020-02-29", (2020, 2, 29));
        let feb = date(&lit("2021-02-30")).unwrap_err();
        assert_eq!(feb.code, Code::E040ImpossibleDate);
        assert_eq!(
            feb.message,
            "`2021-02-30` is not a real date: february 2021 has 28 days"
        );
        let month = date(&lit("2021-13-01")).unwrap_err();
        assert_eq!(
            month.message,
            "`2021-13-01` is not a real date: there is no month 13"
        );
        assert!(date(&lit("2021-04-00")).is_err());
    }

    #[test]
    fn financial_years_must_be_consecutive() {
        assert_eq!(
            financial_year(&lit("2022/23")).ok(),
            Some(FinancialYear(2022))
        );
        assert_eq!(
            financial_year(&lit("1999/00")).ok(),
            Some(FinancialYear(1999))
        );
        assert_eq!(
            financial_year(&lit("2022/2023")).ok(),
            Some(FinancialYear(2022))
        );
        let gap = financial_year(&lit("2022/24")).unwrap_err();
        assert_eq!(gap.code, Code::E051BadValue);
        assert_eq!(gap.hint.as_deref(), Some("did you mean `2022/23`?"));
        assert!(financial_year(&lit("22/23")).is_err());
        assert_eq!(
            financial_year_days(FinancialYear(2022), 4),
            NaiveDate::from_ymd_opt(2022, 4, 1).zip(NaiveDate::from_ymd_opt(2023, 3, 31))
        );
    }

    #[test]
    fn money_must_use_the_portfolio_currency() {
        let pounds = MoneyLit {
            currency: CurrencySymbol::Pound,
            amount: "1.8m".into(),
            span: span(),
        };
        assert_eq!(money(&pounds, "GBP", "£").ok(), Some(Money(180_000_000)));
        let dollars = MoneyLit {
            currency: CurrencySymbol::Dollar,
            ..pounds.clone()
        };
        assert_eq!(
            money(&dollars, "GBP", "£").unwrap_err().message,
            "`$1.8m` is not in the portfolio's currency, GBP (`£`)"
        );
        let huge = MoneyLit {
            amount: "5000bn".into(),
            ..pounds
        };
        assert_eq!(
            money(&huge, "GBP", "£").unwrap_err().code,
            Code::E051BadValue
        );
        assert_eq!(currency_symbol("usd"), Some("$"));
        assert_eq!(currency_symbol("JPY"), None);
    }

    #[test]
    fn percentages_parse_exactly() {
        assert_eq!(percent(&lit("3.5")).ok(), Some(Percent(350)));
        assert!(percent(&lit("3.555")).is_err());
    }
}
