//! The savings chart as inline SVG, and what every chart of the report shares (its accessible
//! opening, the patterns and markers, the short money labels). The Gantt chart is
//! [`gantt_svg`](super::gantt_svg).
//!
//! Input: the years of a [`Report`]. Output: an `<svg>` element as a string, for the HTML page
//! to inline. Invariant: only layout is computed here (pixels from pence); every label and
//! figure shown is the view's text, and coordinates are printed with one decimal so the same
//! report gives the same bytes.

use std::fmt::Write;

use super::view::{Report, YearFinance};
use crate::report::text::escape_html as esc;

/// Width of the savings chart in SVG units; the page scales it to fit.
const WIDTH: f64 = 1120.0;
const RIGHT_MARGIN: f64 = 16.0;

/// The savings chart: per financial year a bar each for capital, revenue and savings, the
/// cumulative net cashable line, and a marker at each savings target.
pub(crate) fn savings(report: &Report) -> String {
    let years = &report.years;
    let height = 340.0;
    let plot = SavingsPlot::new(years, height);
    let mut out = String::new();
    svg_open(
        &mut out,
        "savings",
        WIDTH,
        height,
        "Capital, revenue and savings by financial year",
        &format!(
            r#"Bars for capital, revenue and cashable savings in {}, a line for the cumulative net cashable position and markers for savings targets{}. The finance table below gives the same figures."#,
            match years.len() {
                1 => "its one financial year".to_string(),
                n => format!("each of {n} financial years"),
            },
            if years
                .iter()
                .any(|y| y.capital_budget.is_some() || y.revenue_budget.is_some())
            {
                ", and a heavy line across the top of the capital or revenue bar at each budget"
            } else {
                ""
            }
        ),
    );
    out.push_str(DEFS);
    plot.grid(&mut out);
    let n = years.len().max(1) as f64;
    let slot = (plot.right - plot.left) / n;
    let bar = (slot * 0.8 / 3.0).min(40.0);
    let mut line_points = Vec::new();
    for (i, year) in years.iter().enumerate() {
        let centre = plot.left + slot * (i as f64 + 0.5);
        plot.year(&mut out, year, centre, bar);
        line_points.push((centre, plot.y(year.cumulative_net.pence), year));
    }
    cumulative_line(&mut out, &line_points);
    out.push_str("</svg>");
    out
}

/// The savings chart's plot area and money axis: a round grid step, the axis widened to whole
/// steps around every figure (and zero), and pence to y.
struct SavingsPlot {
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
    step: i64,
    lo: i64,
    hi: i64,
    /// `hi - lo` in f64, at least 1.
    span: f64,
}

impl SavingsPlot {
    fn new(years: &[YearFinance], height: f64) -> SavingsPlot {
        let (top, bottom) = (24.0, height - 44.0);
        let values = years.iter().flat_map(|y| {
            [
                y.capital.pence,
                y.revenue.pence,
                y.savings.pence,
                y.cumulative_net.pence,
                y.target.as_ref().map_or(0, |t| t.pence),
                y.capital_budget.as_ref().map_or(0, |b| b.pence),
                y.revenue_budget.as_ref().map_or(0, |b| b.pence),
            ]
        });
        let (min, max) = values.fold((0i64, 0i64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let step = nice_step(i128::from(max) - i128::from(min));
        // Saturating and in f64 where it matters: even absurd totals only squash the chart.
        let lo = step.saturating_mul(min.div_euclid(step));
        let hi = step
            .saturating_mul(max.div_euclid(step).saturating_add(1))
            .max(lo.saturating_add(step));
        SavingsPlot {
            top,
            bottom,
            left: 96.0,
            right: WIDTH - RIGHT_MARGIN,
            step,
            lo,
            hi,
            span: (hi as f64 - lo as f64).max(1.0),
        }
    }

    fn y(&self, pence: i64) -> f64 {
        self.bottom - (pence as f64 - self.lo as f64) / self.span * (self.bottom - self.top)
    }

    /// A labelled grid line at every step, the zero line marked.
    fn grid(&self, out: &mut String) {
        let (left, right) = (self.left, self.right);
        out.push_str(r#"<g class="scale">"#);
        let mut tick = self.lo;
        while tick <= self.hi {
            let y = self.y(tick);
            let class = if tick == 0 { "grid zero" } else { "grid" };
            let _ = write!(
                out,
                r#"<line class="{class}" x1="{left:.1}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y + 4.0,
                esc(&short_money(tick))
            );
            let Some(next) = tick.checked_add(self.step) else {
                break;
            };
            tick = next;
        }
        out.push_str("</g>");
    }

    /// One year's group: its label, its three bars, and its savings target if it has one.
    fn year(&self, out: &mut String, year: &YearFinance, centre: f64, bar: f64) {
        let _ = write!(
            out,
            r#"<g class="year" data-year="{}"><text class="year-label" x="{centre:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            esc(&year.label),
            self.bottom + 18.0,
            esc(&year.label)
        );
        for (j, (class, name, figure)) in [
            ("capital", "Capital", &year.capital),
            ("revenue", "Revenue", &year.revenue),
            ("saving", "Savings", &year.savings),
        ]
        .into_iter()
        .enumerate()
        {
            let x = centre - 1.5 * bar + bar * j as f64;
            let (y1, y2) = (self.y(figure.pence.max(0)), self.y(figure.pence.min(0)));
            let _ = write!(
                out,
                r#"<rect class="money {class}" data-chart="{class}" x="{x:.1}" y="{y1:.1}" width="{:.1}" height="{:.1}"><title>{} {}: {}</title></rect>"#,
                (bar - 2.0).max(1.0),
                (y2 - y1).max(0.5),
                name,
                esc(&year.label),
                esc(&figure.text)
            );
        }
        // A budget is a heavy bar across the top of what it limits (capital, revenue), so
        // spending over it shows as the bar standing through the line.
        for (j, name, budget) in [
            (0.0, "Capital", &year.capital_budget),
            (1.0, "Revenue", &year.revenue_budget),
        ] {
            if let Some(budget) = budget {
                let x = centre - 1.5 * bar + bar * j;
                let y = self.y(budget.pence);
                let _ = write!(
                    out,
                    r##"<g class="budget" data-chart="budget"><title>{name} budget {}: {}</title><line class="budget-line" x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#1a1a1a" stroke-width="3"/></g>"##,
                    esc(&year.label),
                    esc(&budget.text),
                    x - 2.0,
                    x + bar
                );
            }
        }
        if let Some(target) = &year.target {
            let y = self.y(target.pence);
            let (x1, x2) = (centre - 1.5 * bar - 4.0, centre + 1.5 * bar + 2.0);
            // A dashed line across the year's bars, so the target reads against the savings
            // bar, and an arrowhead pointing at it.
            let _ = write!(
                out,
                r#"<g class="target" data-chart="target"><title>Savings target {}: {}</title><line class="target-line" x1="{x1:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}"/><path class="target-mark" d="M{x2:.1},{y:.1} l9,-6 v12 z"/></g>"#,
                esc(&year.label),
                esc(&target.text)
            );
        }
        out.push_str("</g>");
    }
}

/// The cumulative net cashable line through each year's point, with a dot per year.
fn cumulative_line(out: &mut String, points: &[(f64, f64, &YearFinance)]) {
    if points.is_empty() {
        return;
    }
    let d: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (x, y, _))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
        .collect();
    let _ = write!(
        out,
        r#"<path class="cumulative" data-chart="cumulative" d="{}"/>"#,
        d.join(" ")
    );
    for (x, y, year) in points {
        let _ = write!(
            out,
            r#"<circle class="cumulative-point" cx="{x:.1}" cy="{y:.1}" r="4"><title>Cumulative net {}: {}</title></circle>"#,
            esc(&year.label),
            esc(&year.cumulative_net.text)
        );
    }
}

/// Opens a chart's `<svg>` as an image named by its title and described by its description,
/// the one accessible opening for every chart of the report; `title` and `description` are
/// HTML already (escaped where they carry user text).
pub(super) fn svg_open(
    out: &mut String,
    class: &str,
    width: f64,
    height: f64,
    title: &str,
    description: &str,
) {
    let _ = write!(
        out,
        r#"<svg class="{class}" role="img" aria-labelledby="{class}-title {class}-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title id="{class}-title">{title}</title><desc id="{class}-desc">{description}</desc>"#
    );
}

/// Patterns and markers both charts use. Ids are fixed, so a page with both charts repeats the
/// same definitions harmlessly (the first wins).
const DEFS: &str = concat!(
    r#"<defs>"#,
    r##"<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2" stroke-opacity="0.7"/></pattern>"##,
    r##"<marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#444"/></marker>"##,
    r#"</defs>"#
);

/// `text` cut to `max_chars` characters (not bytes), ending in `…` where it was cut.
pub(super) fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut clipped: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        clipped.push('…');
        clipped
    }
}

/// A round step (1, 2 or 5 times a power of ten pounds) giving about five grid lines. Worked
/// in i128 so that no range of i64 pence can overflow it or leave the step too small.
fn nice_step(range_pence: i128) -> i64 {
    let target = (range_pence / 5).max(100);
    let mut power: i128 = 100;
    loop {
        for m in [1, 2, 5] {
            let step = power * m;
            if step >= target {
                return i64::try_from(step).unwrap_or(i64::MAX);
            }
        }
        power *= 10;
    }
}

/// Axis labels only (`£1.5m`, `£250k`, `-£40k`): the figures themselves are always given in
/// full, in the view's text, in the tables and tooltips.
fn short_money(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pounds = pence.unsigned_abs() / 100;
    let text = if pounds >= 1_000_000 {
        let tenths = pounds / 100_000;
        if tenths % 10 == 0 {
            format!("{}m", tenths / 10)
        } else {
            format!("{}.{}m", tenths / 10, tenths % 10)
        }
    } else if pounds >= 1_000 {
        format!("{}k", pounds / 1_000)
    } else {
        format!("{pounds}")
    };
    format!("{sign}£{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0), 100);
        assert_eq!(nice_step(100_000_000), 20_000_000);
        assert_eq!(nice_step(260_000_000), 100_000_000);
        // The widest range of i64 pence still gives a step of about a fifth of it.
        let widest = i128::from(i64::MAX) - i128::from(i64::MIN);
        assert!(i128::from(nice_step(widest)) >= widest / 5);
    }

    #[test]
    fn axis_labels_are_short() {
        assert_eq!(short_money(150_000_000), "£1.5m");
        assert_eq!(short_money(200_000_000), "£2m");
        assert_eq!(short_money(-4_000_000), "-£40k");
        assert_eq!(short_money(0), "£0");
    }

    #[test]
    fn long_labels_are_clipped_with_an_ellipsis() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }
}
