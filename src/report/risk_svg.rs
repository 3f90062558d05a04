//! The risk section's charts as inline SVG: the finish-date S-curve and the tornado chart.
//!
//! Input: a [`RiskSection`]. Output: an `<svg>` element as a string, for the HTML page to
//! inline. Invariant: only layout is computed here (pixels from dates, shares and
//! correlations, and the axis ticks); every figure a reader sees is the view's text, and
//! coordinates are printed with one decimal so the same report gives the same bytes.
//!
//! Elements carry `data-risk` attributes (`curve`, `p50`, `p80`, `planned`, `plan-end`,
//! `driver`), so tests (and the browser check) can find what was drawn.

use std::fmt::Write;

use chrono::NaiveDate;

use super::svg::{clip, svg_open};
use super::view::{Driver, RiskSection, date_text, month_text};
use crate::finance::Month;
use crate::report::text::escape_html as esc;

const WIDTH: f64 = 1120.0;

/// Dates to x across `left..right`, a day running from its left edge to its right edge.
struct DateScale {
    start: NaiveDate,
    days: f64,
    left: f64,
    right: f64,
}

impl DateScale {
    fn x(&self, date: NaiveDate) -> f64 {
        let offset = date.signed_duration_since(self.start).num_days() as f64;
        self.left + offset / self.days * (self.right - self.left)
    }

    fn x_end(&self, date: NaiveDate) -> f64 {
        let offset = date.signed_duration_since(self.start).num_days() as f64 + 1.0;
        self.left + offset / self.days * (self.right - self.left)
    }
}

/// The S-curve: the share of iterations finishing on or before each date, as a step line; the
/// P50 and P80 dates marked where the curve crosses 50% and 80%; vertical lines at the planned
/// finish and the plan end.
pub(crate) fn s_curve(risk: &RiskSection) -> String {
    let plot = SCurvePlot::new(risk);
    let mut out = String::new();
    svg_open(
        &mut out,
        "s-curve",
        WIDTH,
        plot.height,
        "Chance of the portfolio finishing by each date",
        &format!(
            r#"The share of iterations finishing on or before each date, from a Monte Carlo simulation ({}). Half finish by {} (P50) and four in five by {} (P80). {} finish by the planned finish, {}, and {} by the plan end, {}. The cards above and the table below give the same figures."#,
            esc(&risk.method_text),
            date_text(risk.finish.p50),
            date_text(risk.finish.p80),
            esc(&risk.finish_by_planned.text),
            date_text(risk.finish.planned),
            esc(&risk.finish_by_end.text),
            date_text(risk.plan_end)
        ),
    );
    plot.axes(&mut out);
    plot.plan_lines(&mut out, risk);
    plot.curve(&mut out, risk);
    plot.percentiles(&mut out, risk);
    out.push_str("</svg>");
    out
}

/// The S-curve's layout: the plot area, the date axis chosen to show the curve, the planned
/// finish and (when it is not far off) the plan end, and shares to y.
struct SCurvePlot {
    height: f64,
    top: f64,
    bottom: f64,
    scale: DateScale,
    /// The axis's last day (its first is `scale.start`).
    end: NaiveDate,
    /// The first sampled finish, where the curve starts.
    first: NaiveDate,
    /// The plan end is so far beyond every sampled finish that the axis stops short of it.
    end_off_scale: bool,
}

impl SCurvePlot {
    fn new(risk: &RiskSection) -> SCurvePlot {
        let height = 380.0;
        let (left, right, top, bottom) = (64.0, WIDTH - 24.0, 56.0, height - 44.0);
        let first = risk.curve.first().map_or(risk.finish.p10, |p| p.date);
        let last = risk.curve.last().map_or(risk.finish.p90, |p| p.date);
        let lo = first.min(risk.finish.planned);
        // A plan end far beyond every sampled finish would squash the curve into a sliver:
        // then the axis stops after the curve and the plan end is labelled at the right edge
        // instead.
        let curve_days = last.signed_duration_since(lo).num_days().max(30);
        let end_off_scale = risk.plan_end.signed_duration_since(last).num_days() > 2 * curve_days;
        let hi = if end_off_scale {
            last.max(risk.finish.planned)
        } else {
            last.max(risk.plan_end).max(risk.finish.planned)
        };
        // A margin of a twentieth of the span each side, so the first step and the lines at
        // the ends do not sit on the axes.
        let span = hi.signed_duration_since(lo).num_days().max(1);
        let pad = chrono::Days::new(u64::try_from(span / 20).unwrap_or(0).max(7));
        let start = lo.checked_sub_days(pad).unwrap_or(lo);
        let end = hi.checked_add_days(pad).unwrap_or(hi);
        let scale = DateScale {
            start,
            days: (end.signed_duration_since(start).num_days() + 1).max(1) as f64,
            left,
            right,
        };
        SCurvePlot {
            height,
            top,
            bottom,
            scale,
            end,
            first,
            end_off_scale,
        }
    }

    fn y(&self, share: f64) -> f64 {
        self.bottom - share.clamp(0.0, 1.0) * (self.bottom - self.top)
    }

    /// A horizontal grid at every quarter, labelled as percentages; month ticks along the
    /// bottom, spaced so that at most ten are labelled; the axis title.
    fn axes(&self, out: &mut String) {
        let (left, right, bottom) = (self.scale.left, self.scale.right, self.bottom);
        out.push_str(r#"<g class="scale">"#);
        for (share, label) in [
            (0.0, "0%"),
            (0.25, "25%"),
            (0.5, "50%"),
            (0.75, "75%"),
            (1.0, "100%"),
        ] {
            let class = if share == 0.0 { "grid zero" } else { "grid" };
            let _ = write!(
                out,
                r#"<line class="{class}" x1="{left:.1}" y1="{:.1}" x2="{right:.1}" y2="{:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"#,
                self.y(share),
                self.y(share),
                left - 6.0,
                self.y(share) + 4.0
            );
        }
        for month in month_ticks(self.scale.start, self.end) {
            let Some(day) = month.first_day() else {
                continue;
            };
            let x = self.scale.x(day);
            let _ = write!(
                out,
                r#"<line class="axis" x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                bottom + 5.0,
                bottom + 19.0,
                esc(&month_text(month))
            );
        }
        let _ = write!(
            out,
            r#"<text class="axis-title" x="{:.1}" y="{:.1}" text-anchor="middle">Portfolio finish date</text>"#,
            (left + right) / 2.0,
            self.height - 6.0
        );
        out.push_str("</g>");
    }

    /// The planned finish and the plan end, labelled at the top; when the two are close their
    /// labels go on two lines rather than over each other.
    fn plan_lines(&self, out: &mut String, risk: &RiskSection) {
        let (left, right, top, bottom) = (self.scale.left, self.scale.right, self.top, self.bottom);
        let end_off_scale = self.end_off_scale;
        let planned_x = self.scale.x_end(risk.finish.planned);
        let end_x = if end_off_scale {
            right
        } else {
            self.scale.x_end(risk.plan_end)
        };
        let close = (planned_x - end_x).abs() < 260.0;
        for (key, class, x, label, row, off_scale) in [
            (
                "planned",
                "risk-planned",
                planned_x,
                format!(
                    "Planned finish {}: {}",
                    date_text(risk.finish.planned),
                    risk.finish_by_planned.text
                ),
                0.0,
                false,
            ),
            (
                "plan-end",
                "risk-plan-end",
                end_x,
                format!(
                    "Plan end {}: {}{}",
                    date_text(risk.plan_end),
                    risk.finish_by_end.text,
                    if end_off_scale { " ▶" } else { "" }
                ),
                if close { 16.0 } else { 0.0 },
                end_off_scale,
            ),
        ] {
            if off_scale {
                // No line: the date is beyond the axis; the label at the edge points to it.
                let _ = write!(
                    out,
                    r#"<g data-risk="{key}" class="off-scale"><text class="risk-line-label {class}-label" x="{x:.1}" y="{:.1}" text-anchor="end">{}</text></g>"#,
                    top - 30.0 + row + 12.0,
                    esc(&label)
                );
                continue;
            }
            // Anchored to the line's side with more room.
            let (anchor, dx) = if x > (left + right) / 2.0 {
                ("end", -4.0)
            } else {
                ("start", 4.0)
            };
            let _ = write!(
                out,
                r#"<g data-risk="{key}"><line class="{class}" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}"/><text class="risk-line-label {class}-label" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text></g>"#,
                top - 26.0 + row,
                x + dx,
                top - 30.0 + row + 12.0,
                esc(&label)
            );
        }
    }

    /// The curve: flat until the end of each sampled day, then up to that day's share.
    fn curve(&self, out: &mut String, risk: &RiskSection) {
        let mut d = format!("M{:.1},{:.1}", self.scale.x(self.first), self.y(0.0));
        for point in &risk.curve {
            let _ = write!(
                d,
                " H{:.1} V{:.1}",
                self.scale.x_end(point.date),
                self.y(point.probability)
            );
        }
        let _ = write!(d, " H{:.1}", self.scale.right);
        let _ = write!(
            out,
            r#"<path class="s-curve-line" data-risk="curve" data-points="{}" d="{d}"/>"#,
            risk.curve.len()
        );
    }

    /// P50 and P80: a dashed guide from the axis to the curve and down to the date.
    fn percentiles(&self, out: &mut String, risk: &RiskSection) {
        let (left, bottom) = (self.scale.left, self.bottom);
        for (key, share, date) in [("p50", 0.5, risk.finish.p50), ("p80", 0.8, risk.finish.p80)] {
            let x = self.scale.x_end(date);
            let label = format!("{} {}", key.to_uppercase(), date_text(date));
            let _ = write!(
                out,
                r#"<g class="percentile" data-risk="{key}" data-date="{date}"><title>{label}</title><path class="percentile-guide" d="M{left:.1},{:.1} H{x:.1} V{bottom:.1}"/><circle class="percentile-point" cx="{x:.1}" cy="{:.1}" r="4.5"/><text class="percentile-label" x="{:.1}" y="{:.1}">{}</text></g>"#,
                self.y(share),
                self.y(share),
                x + 8.0,
                self.y(share) + 14.0,
                esc(&label)
            );
        }
    }
}

/// The first of each month from `start` to `end`, every 1, 2, 3, 6, 12 or 24 months so that
/// at most ten are shown; steps of 3 or more start on a quarter (Jan, Apr, Jul, Oct).
fn month_ticks(start: NaiveDate, end: NaiveDate) -> Vec<Month> {
    let (first, last) = (Month::of(start).0 + 1, Month::of(end).0);
    let months = (last - first + 1).max(1);
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|s| months / s < 10)
        .unwrap_or(months);
    let mut m = first;
    if step >= 3 {
        // Up to the next month the step divides (for 12: January).
        while m.rem_euclid(step.min(12)) != 0 {
            m += 1;
        }
    }
    let mut ticks = Vec::new();
    while m <= last {
        ticks.push(Month(m));
        m += step;
    }
    ticks
}

/// The tornado chart: one bar per driver from zero, right for a positive cruciality (a longer
/// duration goes with a later finish), left for a negative one, largest at the top.
pub(crate) fn tornado(risk: &RiskSection) -> String {
    let plot = TornadoPlot::new(risk);
    let mut out = String::new();
    svg_open(
        &mut out,
        "tornado",
        WIDTH,
        plot.height,
        "What drives the finish date: cruciality by project",
        &format!(
            r#"{} bars, largest first. A bar right of zero means that when the project takes longer the portfolio tends to finish later; left of zero, the opposite. The table below gives the same figures."#,
            risk.drivers.len()
        ),
    );
    plot.scale(&mut out);
    for (i, driver) in risk.drivers.iter().enumerate() {
        plot.driver_row(&mut out, i, driver);
    }
    out.push_str("</svg>");
    out
}

/// The tornado chart's layout: a row per driver below the scale, and cruciality to x about a
/// zero in the middle of the bar area.
struct TornadoPlot {
    height: f64,
    top: f64,
    bottom: f64,
    row_height: f64,
    /// The cruciality at each end of the axis: a whole number of quarters.
    reach: f64,
    /// The x of zero.
    centre: f64,
    /// The bar length for a cruciality of `reach`.
    half: f64,
}

impl TornadoPlot {
    fn new(risk: &RiskSection) -> TornadoPlot {
        let row_height = 30.0;
        let label_width = 430.0;
        let (top, left, right) = (34.0, label_width, WIDTH - 24.0);
        let height = top + row_height * risk.drivers.len().max(1) as f64 + 36.0;
        // Symmetric about zero, to the next quarter above the largest bar (at least a quarter).
        let largest = risk
            .drivers
            .iter()
            .map(|d| d.cruciality.abs())
            .fold(0.0_f64, f64::max)
            .min(1.0);
        TornadoPlot {
            height,
            top,
            bottom: height - 36.0,
            row_height,
            reach: ((largest * 4.0).ceil() / 4.0).max(0.25),
            centre: (left + right) / 2.0,
            // Room at each end for the value beside the longest bar.
            half: (right - left) / 2.0 - 140.0,
        }
    }

    fn x(&self, c: f64) -> f64 {
        self.centre + c.clamp(-self.reach, self.reach) / self.reach * self.half
    }

    /// A gridline at every quarter of cruciality, and which way is which.
    fn scale(&self, out: &mut String) {
        let (top, bottom, centre) = (self.top, self.bottom, self.centre);
        out.push_str(r#"<g class="scale">"#);
        let quarters = (self.reach * 4.0).round() as i32;
        for q in -quarters..=quarters {
            let c = f64::from(q) / 4.0;
            let class = if q == 0 { "grid zero" } else { "grid" };
            let label = if q == 0 {
                "0".to_owned()
            } else {
                format!("{c:+.2}")
            };
            let _ = write!(
                out,
                r#"<line class="{class}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{bottom:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
                self.x(c),
                top - 6.0,
                self.x(c),
                self.x(c),
                bottom + 16.0
            );
        }
        let _ = write!(
            out,
            r#"<text class="axis-title" x="{:.1}" y="{:.1}" text-anchor="end">◀ longer means earlier</text><text class="axis-title" x="{:.1}" y="{:.1}" text-anchor="start">longer means later ▶</text>"#,
            centre - 8.0,
            top - 12.0,
            centre + 8.0,
            top - 12.0
        );
        out.push_str("</g>");
    }

    /// The `i`th driver's row: its label, its bar from zero and its figures beside the bar.
    fn driver_row(&self, out: &mut String, i: usize, driver: &Driver) {
        let row_height = self.row_height;
        let row_top = self.top + row_height * i as f64;
        let mid = row_top + row_height / 2.0;
        let (x1, x2) = (self.x(0.0), self.x(driver.cruciality));
        let (bar_x, width) = (x1.min(x2), (x2 - x1).abs().max(1.0));
        let up = driver.cruciality >= 0.0;
        let class = if up { "driver up" } else { "driver down" };
        let (note_x, anchor) = if up {
            (bar_x + width + 6.0, "start")
        } else {
            (bar_x - 6.0, "end")
        };
        let _ = write!(
            out,
            r#"<g class="driver-row" data-risk="driver" data-id="{}" data-cruciality="{}"><title>{} ({}): cruciality {}, critical in {} of iterations</title>"#,
            esc(&driver.id),
            esc(&driver.cruciality_text),
            esc(&driver.title),
            esc(&driver.id),
            esc(&driver.cruciality_text),
            esc(&driver.criticality.text)
        );
        if i % 2 == 1 {
            let _ = write!(
                out,
                r#"<rect class="stripe" x="0" y="{row_top:.1}" width="{WIDTH:.0}" height="{row_height:.0}"/>"#
            );
        }
        let _ = write!(
            out,
            r#"<text class="label" x="6" y="{:.1}">{}</text><rect class="{class}" x="{bar_x:.1}" y="{:.1}" width="{width:.1}" height="18" rx="2"/><text class="bar-value" x="{note_x:.1}" y="{:.1}" text-anchor="{anchor}">{}</text></g>"#,
            mid + 4.0,
            esc(&clip(&driver.title, 66)),
            mid - 9.0,
            mid + 4.0,
            esc(&format!(
                "{} · critical {}",
                driver.cruciality_text, driver.criticality.text
            ))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn month_ticks_are_few_and_on_quarters() {
        let ticks = month_ticks(d(2023, 9, 10), d(2025, 5, 2));
        let shown: Vec<String> = ticks.iter().map(|m| month_text(*m)).collect();
        assert_eq!(
            shown,
            [
                "Oct 2023", "Jan 2024", "Apr 2024", "Jul 2024", "Oct 2024", "Jan 2025", "Apr 2025"
            ]
        );
        // A short span is labelled every month.
        assert_eq!(month_ticks(d(2024, 1, 5), d(2024, 4, 20)).len(), 3);
    }

    #[test]
    fn long_titles_are_clipped() {
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
