//! The milestones as an iCalendar (RFC 5545) for calendar programs.
//!
//! Input: a portfolio and its analysis. Output: a `VCALENDAR` with one all-day `VEVENT` per
//! milestone on tranche's date for it (the forecast, or the actual date once it happened),
//! with its project or programme, deadline, baseline and float in the description.
//!
//! Invariant: the output is deterministic, so calendars that subscribe to it see changes only
//! when the plan changes: each event's `UID` is its milestone id with the portfolio's title
//! (stable across runs and edits of other items), and `DTSTAMP` is the plan's status date (or
//! its start), never the clock. Lines end CRLF, are folded at 75 octets without splitting a
//! character, and text is escaped as the RFC requires.

use super::{title_of, work_in_order};
use crate::analysis::Analysis;
use crate::graph::name_of;
use crate::model::{ItemId, Portfolio};
use crate::report::text::escape_with;
use crate::schedule::Trace;

pub(crate) fn render(portfolio: &Portfolio, analysis: &Analysis, trace: &Trace) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//tranche//portfolio milestones//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", text(&portfolio.title)),
    ];
    let stamp = portfolio.status_date.unwrap_or(portfolio.start);
    let domain = slug(&portfolio.title);
    for (item, t) in work_in_order(portfolio, &analysis.schedule) {
        let ItemId::Milestone(m) = item else { continue };
        let Some(milestone) = portfolio.milestones.get(m.0 as usize) else {
            continue;
        };
        let mut about: Vec<String> = Vec::new();
        if let Some(p) = milestone.project {
            about.push(format!(
                "Project: {}",
                title_of(portfolio, ItemId::Project(p))
            ));
        } else if let Some(g) = milestone.programme {
            about.push(format!(
                "Programme: {}",
                title_of(portfolio, ItemId::Programme(g))
            ));
        }
        if trace.finished(item) {
            about.push("Achieved".to_string());
        } else {
            about.push(format!(
                "Forecast; total float {}{}",
                crate::diagnostic::count::count(t.total_float_days, "working day", "working days"),
                if t.critical { " (critical)" } else { "" }
            ));
        }
        if let Some(d) = milestone.deadline {
            about.push(format!("Deadline: {}", d.date));
        }
        if let Some(b) = milestone.baseline() {
            about.push(format!("Baseline: {}", b.finish));
        }
        if let Some(owner) = milestone.owner() {
            about.push(format!("Owner: {owner}"));
        }
        if let Some(description) = milestone.description() {
            about.push(description.to_string());
        }
        let day = t.finish;
        let next = day.succ_opt().unwrap_or(day);
        lines.push("BEGIN:VEVENT".to_string());
        lines.push(format!("UID:{}@{domain}.tranche", name_of(portfolio, item)));
        lines.push(format!("DTSTAMP:{}T000000Z", stamp.format("%Y%m%d")));
        lines.push(format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
        lines.push(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        lines.push(format!("SUMMARY:{}", text(title_of(portfolio, item))));
        lines.push(format!("DESCRIPTION:{}", text(&about.join("\n"))));
        if t.critical {
            lines.push("CATEGORIES:Milestone,Critical".to_string());
        } else {
            lines.push("CATEGORIES:Milestone".to_string());
        }
        lines.push("TRANSP:TRANSPARENT".to_string());
        lines.push("END:VEVENT".to_string());
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    out
}

/// Escapes a TEXT value (RFC 5545 3.3.11).
fn text(s: &str) -> String {
    escape_with(s, |c| match c {
        '\\' => Some("\\\\"),
        ';' => Some("\\;"),
        ',' => Some("\\,"),
        '\n' => Some("\\n"),
        c if c.is_control() => Some(""),
        _ => None,
    })
}

/// One content line, folded (RFC 5545 3.1): no line longer than 75 octets before its CRLF;
/// continuation lines start with a space, which counts towards their 75. Never splits a
/// UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0usize;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

/// A UID's domain part from the portfolio's title: lowercase letters, digits and `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "portfolio".to_string()
    } else {
        trimmed.chars().take(60).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "£".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(slug("Children & Families: 2020!"), "children-families-2020");
        assert_eq!(slug("££"), "portfolio");
    }
}
