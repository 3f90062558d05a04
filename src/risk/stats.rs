//! The few statistics the risk summary needs, written out so their definitions are ours and
//! documented (docs/risk.md): nearest-rank percentiles, average ranks for ties, Pearson's
//! correlation (of ranks: Spearman's), means.
//!
//! Input: samples in iteration order. Output: plain numbers. Invariant: every function is a
//! pure single-threaded loop in slice order, so floating-point results never depend on threads.

/// The nearest-rank `k`-th percentile (0 < k <= 100) of `sorted` (ascending): the smallest
/// value with at least k% of the values at or below it. `None` for no values.
pub(crate) fn percentile<T: Copy>(sorted: &[T], k: usize) -> Option<T> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (k.clamp(1, 100) * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Each distinct value of `sorted` (ascending) with how many values are at or below it.
pub(crate) fn cumulative<T: Copy + PartialEq>(sorted: &[T]) -> Vec<(T, usize)> {
    let mut out: Vec<(T, usize)> = Vec::new();
    for (i, &v) in sorted.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.0 == v => last.1 = i + 1,
            _ => out.push((v, i + 1)),
        }
    }
    out
}

/// The mean of amounts in pence, rounded to the penny half away from zero (exact: i128 sums).
pub(crate) fn mean_rounded(values: &[i64]) -> Option<i64> {
    let n = i128::try_from(values.len()).ok().filter(|&n| n > 0)?;
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    let rounded = if sum >= 0 {
        (2 * sum + n) / (2 * n)
    } else {
        -((-2 * sum + n) / (2 * n))
    };
    i64::try_from(rounded).ok()
}

/// Mean and (population) standard deviation; zeros for no values.
pub(crate) fn mean_sd(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

/// The rank of each value (1 for the smallest), ties given the average of the ranks they span.
pub(crate) fn ranks<T: Copy + Ord>(values: &[T]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Stable, and ties broken by position, so the ranks are a function of the values alone.
    order.sort_by_key(|&i| (values.get(i).copied(), i));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let value = order.get(start).and_then(|&i| values.get(i));
        let mut end = start + 1;
        while end < order.len() && order.get(end).and_then(|&i| values.get(i)) == value {
            end += 1;
        }
        // Ranks start..end (zero-based) become the average of start+1 ..= end.
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in order.get(start..end).unwrap_or_default() {
            if let Some(r) = ranks.get_mut(i) {
                *r = average;
            }
        }
        start = end;
    }
    ranks
}

/// Pearson's correlation coefficient; `None` when either side does not vary or the lengths
/// differ. Of two rank vectors, it is Spearman's rank correlation.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.is_empty() {
        return None;
    }
    let (mx, _) = mean_sd(x);
    let (my, _) = mean_sd(y);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<i32> = (1..=10).collect();
        assert_eq!(percentile(&values, 10), Some(1));
        assert_eq!(percentile(&values, 50), Some(5));
        assert_eq!(percentile(&values, 80), Some(8));
        assert_eq!(percentile(&values, 90), Some(9));
        assert_eq!(percentile(&values, 100), Some(10));
        assert_eq!(percentile(&[7], 10), Some(7));
        assert_eq!(percentile::<i32>(&[], 50), None);
    }

    #[test]
    fn cumulative_counts_each_distinct_value() {
        assert_eq!(
            cumulative(&[1, 1, 2, 5, 5, 5]),
            vec![(1, 2), (2, 3), (5, 6)]
        );
    }

    #[test]
    fn means_round_half_away_from_zero() {
        assert_eq!(mean_rounded(&[1, 2]), Some(2));
        assert_eq!(mean_rounded(&[-1, -2]), Some(-2));
        assert_eq!(mean_rounded(&[1, 1, 2]), Some(1));
        assert_eq!(mean_rounded(&[]), None);
        let (mean, sd) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!((mean, sd), (5.0, 2.0));
    }

    #[test]
    fn ties_share_the_average_rank() {
        assert_eq!(ranks(&[10, 20, 20, 5]), vec![2.0, 3.5, 3.5, 1.0]);
    }

    #[test]
    fn spearman_of_monotone_data_is_one() {
        let x = ranks(&[1, 2, 3, 4]);
        let y = ranks(&[10, 40, 90, 160]);
        assert_eq!(pearson(&x, &y), Some(1.0));
        let z = ranks(&[4, 3, 2, 1]);
        assert_eq!(pearson(&x, &z), Some(-1.0));
        assert_eq!(pearson(&x, &[1.0, 1.0, 1.0, 1.0]), None);
    }
}
