//! Exact amounts of money and percentages. Money is held in integer pence ([`Money`]) with
//! checked arithmetic, never as binary floating point: a plan's figures must add up to the
//! penny in every report.

use serde::Serialize;

/// An amount in pence. Negative amounts exist only as results (net cashable figures); amounts a
/// user writes are never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct Money(pub i64);

/// The largest amount a plan may declare: £1 trillion. Far beyond any public budget, and small
/// enough that sums of a million such amounts cannot overflow an i64 of pence.
pub const MAX_AMOUNT: Money = Money(100_000_000_000_000);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn pence(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Parses the amount of a money literal as users write it, after its currency symbol:
    /// `1.8m`, `450k`, `12,500`, `99.50`, `2bn`. Returns `None` for a malformed amount, one
    /// with fractions of a penny, or one above [`MAX_AMOUNT`].
    pub fn parse_amount(text: &str) -> Option<Money> {
        let (number, multiplier): (&str, u64) = if let Some(n) = text.strip_suffix("bn") {
            (n, 1_000_000_000)
        } else if let Some(n) = text.strip_suffix('m') {
            (n, 1_000_000)
        } else if let Some(n) = text.strip_suffix('k') {
            (n, 1_000)
        } else {
            (text, 1)
        };
        // Byte loops, not `split_once`/`contains`: their searchers cost more than these few
        // bytes, and every amount of a plan comes here.
        let dot = number.bytes().position(|b| b == b'.');
        let (whole, fraction) = match dot {
            Some(dot) => (number.get(..dot)?, number.get(dot + 1..)?),
            None => (number, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        // Thousands separators: groups of three after the first group, only in the whole part.
        // Read group by group, with no copy of the digits: every amount of a plan comes here.
        let grouped = whole.bytes().any(|b| b == b',');
        let mut pounds: u64 = 0;
        let mut whole_digits = 0;
        for (i, group) in whole.as_bytes().split(|&b| b == b',').enumerate() {
            let fits = if i == 0 {
                !grouped || group.len() <= 3
            } else {
                group.len() == 3
            };
            whole_digits += group.len();
            if group.is_empty()
                || !group.iter().all(u8::is_ascii_digit)
                || !fits
                || whole_digits > 15
            {
                return None;
            }
            for &b in group {
                pounds = pounds * 10 + u64::from(b - b'0');
            }
        }
        if !digits(fraction) || (dot.is_some() && fraction.is_empty()) || fraction.len() > 9 {
            return None;
        }
        // The fraction in units of 10^-9 of a pound, so `1.8m` and `99.50` are both exact.
        let mut nano: u64 = 0;
        for position in 0..9 {
            let digit = fraction.as_bytes().get(position).map_or(0, |b| b - b'0');
            nano = nano * 10 + u64::from(digit);
        }
        // Below 10^18, so u64 (native division, unlike i128) holds it. One penny is 10^7
        // nano-pounds; anything finer than a penny is refused.
        let fraction_scaled = nano * multiplier;
        if fraction_scaled % 10_000_000 != 0 {
            return None;
        }
        // Overflow here is far above MAX_AMOUNT, so it is refused like any amount above it.
        let pence = pounds
            .checked_mul(multiplier)?
            .checked_mul(100)?
            .checked_add(fraction_scaled / 10_000_000)?;
        let pence = i64::try_from(pence).ok()?;
        (pence <= MAX_AMOUNT.0).then_some(Money(pence))
    }
}

impl std::fmt::Display for Money {
    /// `£1,234,567.89`, or `-£12.00`; always two decimal places so columns line up.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = abs / 100;
        let pence = abs % 100;
        write!(f, "{sign}£{}.{pence:02}", thousands(pounds))
    }
}

/// `10,000`: digits in threes, as money shows its pounds and reports show counts.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A percentage held exactly in hundredths of a percent (basis points): `3.5%` is 350.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct Percent(pub i64);

impl Percent {
    pub const HUNDRED: Percent = Percent(10_000);

    /// Parses `35`, `3.5`, `12.25` (the number before the `%` sign); at most two decimals.
    pub fn parse(text: &str) -> Option<Percent> {
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        if whole.is_empty()
            || whole.len() > 12
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 2
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || (text.contains('.') && fraction.is_empty())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            format!("{fraction:0<2}").parse().ok()?
        };
        whole.checked_mul(100)?.checked_add(fraction).map(Percent)
    }

    pub fn basis_points(self) -> i64 {
        self.0
    }

    /// As a fraction of one, for the few places that need floating point (discount factors).
    pub fn as_fraction(self) -> f64 {
        self.0 as f64 / 10_000.0
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 100;
        let fraction = self.0 % 100;
        if fraction == 0 {
            write!(f, "{whole}%")
        } else if fraction % 10 == 0 {
            write!(f, "{whole}.{}%", fraction / 10)
        } else {
            write!(f, "{whole}.{fraction:02}%")
        }
    }
}

/// How a report shows money (`report --money`): committee papers write £k or £m, not pence.
/// Only the showing is rounded: every figure keeps its exact pence, and a total is rounded
/// from its exact sum, never summed from rounded figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MoneyScale {
    /// To the penny: `£2,218,541.67`.
    Pounds,
    /// Whole thousands (the default for reports): `£2,219k`.
    #[default]
    Thousands,
    /// Millions to one decimal: `£2.2m`.
    Millions,
}

impl MoneyScale {
    /// The scale named as a plan writes it (`report money thousands`).
    pub fn from_name(name: &str) -> Option<MoneyScale> {
        match name {
            "pounds" => Some(MoneyScale::Pounds),
            "thousands" => Some(MoneyScale::Thousands),
            "millions" => Some(MoneyScale::Millions),
            _ => None,
        }
    }

    /// The name a plan writes: `thousands`.
    pub fn name(self) -> &'static str {
        match self {
            MoneyScale::Pounds => "pounds",
            MoneyScale::Thousands => "thousands",
            MoneyScale::Millions => "millions",
        }
    }

    /// `pence` as this scale shows it, rounded half away from zero.
    pub fn show(self, pence: i64) -> String {
        let abs = i128::from(pence).unsigned_abs();
        let rounded = |unit: u128| u64::try_from((abs + unit / 2) / unit).unwrap_or(u64::MAX);
        // A figure that rounds to nothing is shown without a sign.
        let sign = |shown: u64| if pence < 0 && shown > 0 { "-" } else { "" };
        match self {
            MoneyScale::Pounds => Money(pence).to_string(),
            MoneyScale::Thousands => {
                let k = rounded(100_000);
                format!("{}£{}k", sign(k), thousands(k))
            }
            MoneyScale::Millions => {
                let tenths = rounded(10_000_000);
                format!(
                    "{}£{}.{}m",
                    sign(tenths),
                    thousands(tenths / 10),
                    tenths % 10
                )
            }
        }
    }

    /// The unit a money column's header gives: `£k`, `£m`, none for pounds.
    pub fn unit(self) -> Option<&'static str> {
        match self {
            MoneyScale::Pounds => None,
            MoneyScale::Thousands => Some("£k"),
            MoneyScale::Millions => Some("£m"),
        }
    }

    /// What a reader is told under a table of rounded money: why a column may not add up.
    pub fn rounding_note(self) -> Option<&'static str> {
        match self {
            MoneyScale::Pounds => None,
            MoneyScale::Thousands => Some(
                "Money is shown to the nearest £1k. Each figure, totals included, is rounded from its exact amount, so a column may not add up to its total.",
            ),
            MoneyScale::Millions => Some(
                "Money is shown to the nearest £0.1m. Each figure, totals included, is rounded from its exact amount, so a column may not add up to its total.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_users_write() {
        assert_eq!(Money::parse_amount("1.8m"), Some(Money(180_000_000)));
        assert_eq!(Money::parse_amount("450k"), Some(Money(45_000_000)));
        assert_eq!(Money::parse_amount("12,500"), Some(Money(1_250_000)));
        assert_eq!(Money::parse_amount("99.50"), Some(Money(9_950)));
        assert_eq!(Money::parse_amount("2bn"), Some(Money(200_000_000_000)));
        assert_eq!(
            Money::parse_amount("1,234,567.89"),
            Some(Money(123_456_789))
        );
        assert_eq!(Money::parse_amount("0.001k"), Some(Money(100)));
    }

    #[test]
    fn refuses_malformed_or_sub_penny_amounts() {
        for bad in [
            "",
            "1.",
            ".5",
            "1,50",
            "12,5000",
            "1.001",
            "1.234567k",
            "abc",
            "1,,000",
            "5000bn",
        ] {
            assert_eq!(Money::parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn displays_with_separators_and_pence() {
        assert_eq!(Money(123_456_789).to_string(), "£1,234,567.89");
        assert_eq!(Money(-1200).to_string(), "-£12.00");
        assert_eq!(Money(5).to_string(), "£0.05");
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(Percent::parse("3.5"), Some(Percent(350)));
        assert_eq!(Percent::parse("35"), Some(Percent(3500)));
        assert_eq!(Percent::parse("12.25"), Some(Percent(1225)));
        assert_eq!(Percent::parse("1.234"), None);
        assert_eq!(Percent(350).to_string(), "3.5%");
        assert_eq!(Percent(1225).to_string(), "12.25%");
    }
}
