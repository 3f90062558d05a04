//! A profile's months or years, kept sparse: only the span from the first period a group's
//! money touches to the last is stored; every period before it is zero and every period
//! after it is zero but for the running total, which stays where the span left it.
//!
//! A project's money spans a few months of a frame that can be three centuries long, and a
//! project with no money spans none: stored densely, 100,000 one-day projects in a 300-year
//! plan took 20 GB of months (issue 25). Readers see every period through [`Periods::get`]
//! and [`Periods::iter`], and serialisation writes every period, so nothing outside this
//! module can tell the two forms apart.

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::Amounts;
use crate::money::Money;

/// The amounts of `len` periods, of which only `offset..offset + values.len()` are stored.
#[derive(Debug, Clone, Default)]
pub struct Periods {
    len: usize,
    offset: usize,
    values: Vec<Amounts>,
}

impl Periods {
    /// No periods at all (a profile whose months were not kept).
    pub fn empty() -> Periods {
        Periods::default()
    }

    /// `len` periods whose stored span starts at `offset`; the span must fit inside them
    /// (what does not is dropped, so `len` is always the number of periods).
    pub(super) fn sparse(len: usize, offset: usize, mut values: Vec<Amounts>) -> Periods {
        let room = len.saturating_sub(offset);
        values.truncate(room);
        if values.is_empty() {
            return Periods {
                len,
                offset: 0,
                values,
            };
        }
        values.shrink_to_fit();
        Periods {
            len,
            offset,
            values,
        }
    }

    /// The number of periods (stored or not).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The amounts of period `index`, or `None` past the last period.
    pub fn get(&self, index: usize) -> Option<Amounts> {
        if index >= self.len {
            return None;
        }
        if index < self.offset {
            return Some(Amounts::default());
        }
        Some(
            self.values
                .get(index - self.offset)
                .copied()
                .unwrap_or_else(|| self.after()),
        )
    }

    /// The last period's amounts.
    pub fn last(&self) -> Option<Amounts> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Every period in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            periods: self,
            next: 0,
        }
    }

    /// Every period in order, as a vector.
    pub fn to_vec(&self) -> Vec<Amounts> {
        self.iter().collect()
    }

    /// The index of the first stored period and the stored periods: every period outside
    /// them has no money.
    pub fn stored(&self) -> (usize, &[Amounts]) {
        (self.offset, &self.values)
    }

    /// A period after the stored span: nothing in it, the running total carried on.
    fn after(&self) -> Amounts {
        Amounts {
            cumulative_net: self.values.last().map_or(Money::ZERO, |a| a.cumulative_net),
            ..Amounts::default()
        }
    }
}

/// Two profiles are equal when every period is, however they are stored.
impl PartialEq for Periods {
    fn eq(&self, other: &Periods) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for Periods {}

/// Every period, as a sequence: the same JSON as a vector of all of them.
impl Serialize for Periods {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for amounts in self.iter() {
            seq.serialize_element(&amounts)?;
        }
        seq.end()
    }
}

/// [`Periods::iter`].
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    periods: &'a Periods,
    next: usize,
}

impl Iterator for Iter<'_> {
    type Item = Amounts;

    fn next(&mut self) -> Option<Amounts> {
        let amounts = self.periods.get(self.next)?;
        self.next += 1;
        Some(amounts)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.periods.len.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Periods {
    type Item = Amounts;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(savings: i64, cumulative: i64) -> Amounts {
        Amounts {
            savings: Money(savings),
            net_cashable: Money(savings),
            cumulative_net: Money(cumulative),
            ..Amounts::default()
        }
    }

    /// Zero before the span, the span as stored, zero after it with the running total kept.
    #[test]
    fn periods_outside_the_span_are_zero_with_the_running_total_carried() {
        let periods = Periods::sparse(6, 2, vec![amounts(5, 5), amounts(3, 8)]);
        let dense = vec![
            Amounts::default(),
            Amounts::default(),
            amounts(5, 5),
            amounts(3, 8),
            amounts(0, 8),
            amounts(0, 8),
        ];
        assert_eq!(periods.to_vec(), dense);
        assert_eq!(periods.len(), 6);
        assert_eq!(periods.get(6), None);
        assert_eq!(periods.last(), Some(amounts(0, 8)));
        assert_eq!(
            serde_json::to_string(&periods).ok(),
            serde_json::to_string(&dense).ok()
        );
        // Stored another way, the same periods are equal.
        let mut wider = dense.clone();
        wider.truncate(5);
        assert_eq!(Periods::sparse(6, 0, wider), periods);
        assert_ne!(Periods::sparse(7, 2, vec![amounts(5, 5)]), periods);
    }

    #[test]
    fn no_money_stores_nothing() {
        let periods = Periods::sparse(3_612, 0, Vec::new());
        assert_eq!(periods.stored().1.len(), 0);
        assert!(periods.iter().all(|a| a == Amounts::default()));
        assert_eq!(periods.iter().len(), 3_612);
        assert!(Periods::empty().is_empty());
    }
}
