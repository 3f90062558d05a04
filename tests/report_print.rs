//! The HTML report printed (issue 18: "a Gantt chart that prints"): headless chromium prints
//! the page to PDF on A4 landscape, and poppler's `pdftotext -bbox` reads back every word's box,
//! for a 20-row plan, the 47-row example portfolio and a 120-row plan.
//!
//! What is measured, and how:
//!
//! - **Text size.** `pdftotext -bbox` gives each word's box in points. Poppler makes a word's
//!   box as tall as its font's ascent plus descent at its size, so the size is the height over
//!   that ratio: 1.117 for Liberation Sans (the page's Arial), 1.164 for DejaVu Sans and DejaVu
//!   Sans Mono (its fallback and its `code`). Dividing every height by the larger, 1.164, never
//!   overstates a size: the figure the test checks against 7 pt is a lower bound (a 7.5 pt label
//!   in Liberation Sans reads as 7.2).
//! - **Pages.** Each printed Gantt page opens with "Gantt chart of TITLE: page k of n"; the test
//!   finds the PDF pages that carry one, checks there are n of them, one after another, each with
//!   its legend (so no page of the chart spilled onto a second sheet), and compares n with what
//!   docs/report.md states.
//! - **Titles whole.** The words of the label column, read in order, contain every title of the
//!   plan in full, the longest ones included, and no "…".
//!
//! Skips, saying why, when chromium or pdftotext is not installed (CI installs both).

use crate::report_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use tranche::report::view::{Report, ReportFormat, RowKind, render};

use report_common::{chromium, chromium_ready};

/// The ratio of a word box's height to its font size for the tallest font the page uses
/// (DejaVu Sans: ascent 0.928 + descent 0.236 of the em).
const BOX_PER_POINT: f64 = 1.164;

/// The printed guarantee (docs/report.md): no text under 7 pt.
const SMALLEST_PT: f64 = 7.0;

#[test]
fn a_20_row_plan_prints_its_gantt_on_one_page() {
    let Some(dir) = tools_ready() else { return };
    let report = generated_report(&dir, "twenty", &[5, 5, 5], 3);
    assert_eq!(items(&report), 20);
    let printed = print(&report, "rows-20");
    printed.assert_guarantee(&report, 1);
}

#[test]
fn the_example_portfolio_prints_its_gantt_on_three_pages() {
    let Some(_dir) = tools_ready() else { return };
    let report = report_common::analysed_report(report_common::EXAMPLE);
    assert_eq!(items(&report), 47);
    let printed = print(&report, "example");
    printed.assert_guarantee(&report, 3);
}

#[test]
fn a_120_row_plan_prints_its_gantt_on_seven_pages() {
    let Some(dir) = tools_ready() else { return };
    let report = generated_report(
        &dir,
        "hundred-and-twenty",
        &[14, 12, 13, 16, 11, 12, 10, 8],
        4,
    );
    assert_eq!(items(&report), 120);
    let printed = print(&report, "rows-120");
    printed.assert_guarantee(&report, 7);
}

/// The plan's size as the issue counts it: projects and milestones, the rows with a bar or a
/// diamond (each programme adds a summary row above its work).
fn items(report: &Report) -> usize {
    report
        .gantt
        .rows
        .iter()
        .filter(|r| r.kind != RowKind::Programme)
        .count()
}

/// The bbox reader on poppler's own output shape, so a change there fails here by name.
#[test]
fn word_boxes_are_read_from_pdftotext_bbox() {
    let text = concat!(
        "<doc>\n  <page width=\"841.9\" height=\"594.9\">\n",
        "    <word xMin=\"33.7\" yMin=\"58.6\" xMax=\"57.2\" yMax=\"68.6\">Gantt</word>\n",
        "  </page>\n  <page width=\"841.9\" height=\"594.9\">\n",
        "    <word xMin=\"1\" yMin=\"2\" xMax=\"3\" yMax=\"10.38\">A&amp;B</word>\n",
        "  </page>\n</doc>\n",
    );
    let words = parse_bbox(text);
    assert_eq!(words.len(), 2);
    assert_eq!((words[0].page, words[0].text.as_str()), (1, "Gantt"));
    assert_eq!((words[1].page, words[1].text.as_str()), (2, "A&B"));
    assert!((words[1].points() - 7.2).abs() < 0.01);
}

/// A word of the printed PDF: its page (from 1), box in points and text.
struct Word {
    page: usize,
    x_min: f64,
    y_min: f64,
    y_max: f64,
    text: String,
}

impl Word {
    /// The least font size the box can hold, in points (see the module's note).
    fn points(&self) -> f64 {
        (self.y_max - self.y_min) / BOX_PER_POINT
    }
}

struct Printed {
    name: String,
    n_pages: usize,
    words: Vec<Word>,
}

impl Printed {
    /// Checks the guarantee docs/report.md gives and prints the figures measured.
    fn assert_guarantee(&self, report: &Report, gantt_pages: usize) {
        let smallest = self
            .words
            .iter()
            .min_by(|a, b| a.points().total_cmp(&b.points()))
            .unwrap_or_else(|| panic!("{}: the PDF has text", self.name));
        let pages = self.gantt_pages(report);
        let gantt_smallest = self
            .words
            .iter()
            .filter(|w| pages.contains(&w.page))
            .map(Word::points)
            .fold(f64::INFINITY, f64::min);
        println!(
            "{}: {} projects and milestones ({} rows), {} PDF pages, Gantt on pages {:?}; smallest text {:.2} pt (\"{}\", page {}), on the Gantt pages {:.2} pt",
            self.name,
            items(report),
            report.gantt.rows.len(),
            self.n_pages,
            pages,
            smallest.points(),
            smallest.text,
            smallest.page,
            gantt_smallest
        );
        assert!(
            smallest.points() >= SMALLEST_PT,
            "{}: \"{}\" on page {} prints at {:.2} pt, under {SMALLEST_PT} pt",
            self.name,
            smallest.text,
            smallest.page,
            smallest.points()
        );
        assert_eq!(
            pages.len(),
            gantt_pages,
            "{}: the Gantt chart's pages (docs/report.md)",
            self.name
        );
        self.assert_titles_whole(report, &pages);
    }

    /// The PDF pages holding the printed Gantt chart: one per "page k of n" title, in order,
    /// consecutive, each with its legend.
    fn gantt_pages(&self, report: &Report) -> Vec<usize> {
        let title_words = format!("Gantt chart of {}:", report.title);
        let title_words: Vec<&str> = title_words.split_whitespace().collect();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (i, window) in self.words.windows(title_words.len() + 4).enumerate() {
            let texts: Vec<&str> = window.iter().map(|w| w.text.as_str()).collect();
            if texts[..title_words.len()] == title_words[..] && texts[title_words.len()] == "page" {
                let k = texts[title_words.len() + 1].parse().unwrap_or(0);
                let n = texts[title_words.len() + 3].parse().unwrap_or(0);
                found.push((self.words[i].page, k, n));
            }
        }
        assert!(!found.is_empty(), "{}: no printed Gantt page", self.name);
        let n = found[0].2;
        let first = found[0].0;
        for (j, (page, k, of)) in found.iter().enumerate() {
            assert_eq!(
                (*page, *k, *of),
                (first + j, j + 1, n),
                "{}: the Gantt's pages follow one another, one chart page to a sheet",
                self.name
            );
            let on_page: Vec<&str> = self
                .words
                .iter()
                .filter(|w| w.page == *page)
                .map(|w| w.text.as_str())
                .collect();
            assert!(
                on_page.windows(2).any(|w| w == ["Missed", "deadline"]),
                "{}: page {page} has the legend under its rows",
                self.name
            );
        }
        assert_eq!(found.len(), n, "{}: every page of n printed", self.name);
        // The section's heading is on the chart's first page: the first page left room for it.
        let first_page: Vec<&str> = self
            .words
            .iter()
            .filter(|w| w.page == first)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(
            first_page[..3],
            ["Gantt", "chart", "Gantt"],
            "{}: the heading opens the chart's first page",
            self.name
        );
        found.iter().map(|(page, ..)| *page).collect()
    }

    /// Every title of the chart is in the label column of the Gantt pages, whole.
    fn assert_titles_whole(&self, report: &Report, pages: &[usize]) {
        // The label column is the chart's first 380 px (285 pt) after the 12 mm (34 pt) margin.
        let mut labels: Vec<&Word> = self
            .words
            .iter()
            .filter(|w| pages.contains(&w.page) && w.x_min < 34.0 + 285.0)
            .collect();
        labels.sort_by(|a, b| {
            (a.page, a.y_min, a.x_min)
                .partial_cmp(&(b.page, b.y_min, b.x_min))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let column = labels
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!column.contains('…'), "{}: a title cut short", self.name);
        for row in &report.gantt.rows {
            let title = row.title.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                column.contains(&title),
                "{}: the {:?} title \"{title}\" is printed whole",
                self.name,
                row.kind
            );
        }
        let longest = report
            .gantt
            .rows
            .iter()
            .filter(|r| r.kind != RowKind::Programme)
            .map(|r| r.title.chars().count())
            .max()
            .unwrap_or(0);
        println!(
            "{}: the longest title, {longest} characters, printed whole",
            self.name
        );
    }
}

/// The scratch folder for plans, pages and PDFs when chromium and pdftotext are both here;
/// otherwise says which is missing and returns `None`.
fn tools_ready() -> Option<PathBuf> {
    if !chromium_ready() {
        return None;
    }
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!("skipped: pdftotext is not installed (apt-get install poppler-utils)");
        return None;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-print");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    Some(dir)
}

/// Prints the report's HTML page to PDF with chromium (A4 landscape from the page's `@page`
/// rule, no header or footer added) and reads its words back; the page and the PDF are left in
/// target/report-print/ for people to look at.
fn print(report: &Report, name: &str) -> Printed {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-print");
    let page = dir.join(format!("{name}.html"));
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&page, render(report, ReportFormat::Html))
        .unwrap_or_else(|e| panic!("write the page: {e}"));
    let _ = std::fs::remove_file(&pdf);
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("a profile dir: {e}"));
    let run = chromium(
        profile.path(),
        &page,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert!(
        run.status.success() && pdf.exists(),
        "chromium printed no PDF: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bbox = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext runs: {e}"));
    assert!(bbox.status.success(), "pdftotext read {}", pdf.display());
    let text = String::from_utf8_lossy(&bbox.stdout);
    Printed {
        name: name.to_owned(),
        n_pages: text.matches("<page ").count(),
        words: parse_bbox(&text),
    }
}

/// The words of `pdftotext -bbox` output, each with its page.
fn parse_bbox(text: &str) -> Vec<Word> {
    let mut page = 0;
    let mut words = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f64 {
            rest.split_once(&format!("{name}=\""))
                .and_then(|(_, v)| v.split_once('"'))
                .and_then(|(v, _)| v.parse().ok())
                .unwrap_or_else(|| panic!("a {name} in {line}"))
        };
        let word = rest
            .split_once('>')
            .and_then(|(_, w)| w.strip_suffix("</word>"))
            .unwrap_or_else(|| panic!("a word in {line}"));
        words.push(Word {
            page,
            x_min: attr("xMin"),
            y_min: attr("yMin"),
            y_max: attr("yMax"),
            text: word
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        });
    }
    words
}

/// The report of a generated plan: programmes of the given numbers of projects, every
/// `milestone_every`-th project with a milestone at its finish. Titles are a council's, some of
/// them long enough to need three lines; work in progress shows its percent complete, some
/// deadlines are met and some missed, and links run inside programmes and from each programme
/// to the next, so the critical chain crosses pages.
fn generated_report(dir: &Path, name: &str, projects: &[usize], milestone_every: usize) -> Report {
    let path = dir.join(format!("{name}.tranche"));
    std::fs::write(&path, generated_plan(projects, milestone_every))
        .unwrap_or_else(|e| panic!("write the plan: {e}"));
    report_common::report_of_plan(&path)
        .unwrap_or_else(|| panic!("the generated plan {} analyses", path.display()))
}

const PROGRAMMES: [&str; 8] = [
    "Adult social care: prevention, reablement and independent living",
    "Customer access",
    "Children's services digital transformation",
    "Highways, waste and environment",
    "Corporate systems: finance, HR and payroll replacement",
    "Property rationalisation and hybrid working",
    "Public health and wellbeing",
    "Data, insight and performance",
];

const PROJECTS: [&str; 16] = [
    "Replace the adult social care case management system with one shared with the NHS integrated care board, including data migration and training for 900 practitioners",
    "Online financial assessment",
    "Care technology: sensors and telecare for people living at home",
    "Reablement scheduling and rostering",
    "Council website rebuild on the new content platform",
    "Contact centre telephony and webchat",
    "Single customer account with identity verification for residents, businesses and partner organisations across every council service",
    "Blue badge and concessionary travel online applications",
    "Waste collection round optimisation with in-cab devices",
    "Highways asset management and defect reporting",
    "Enterprise resource planning: general ledger, purchasing and accounts payable",
    "Payroll and pensions migration",
    "Office moves and the disposal of County Hall annexes",
    "Smoking cessation and weight management digital offer",
    "Data warehouse and the corporate performance dashboard",
    "Document scanning and records retention",
];

const MILESTONES: [&str; 5] = [
    "Go-live approved by the programme board",
    "Live for residents",
    "Old system switched off and its contract ended",
    "Benefits review",
    "Handover to business as usual",
];

/// The plan text for [`generated_report`].
fn generated_plan(projects: &[usize], milestone_every: usize) -> String {
    let mut plan = String::from(concat!(
        "portfolio \"Generated County Council Transformation Portfolio 2021-2027\" {\n",
        "  start 2021-04-01\n  end 2027-03-31\n  status-date 2022-01-14\n}\n\n",
    ));
    let mut n = 0usize;
    let mut first_of_previous: Option<String> = None;
    for (g, &n_projects) in projects.iter().enumerate() {
        let programme = PROGRAMMES[g % PROGRAMMES.len()];
        plan.push_str(&format!("programme prog-{g} \"{programme}\" {{\n"));
        let mut ids: Vec<String> = Vec::new();
        for j in 0..n_projects {
            let id = format!("p{g}-{j}");
            let title = PROJECTS[n % PROJECTS.len()];
            // Titles repeat across programmes; the number keeps each row's title its own.
            plan.push_str(&format!("  project {id} \"{title} ({})\" {{\n", n + 1));
            let months = 2 + (n * 7) % 5;
            plan.push_str(&format!("    duration {months} months\n"));
            // Two streams of work in each programme; the first waits for the programme before.
            let after = if j >= 2 {
                Some(ids[j - 2].clone())
            } else if j == 0 {
                first_of_previous.clone()
            } else {
                None
            };
            match (&after, g == 0 && j < 2) {
                (_, true) => {
                    plan.push_str("    actual-start 2021-04-06\n");
                    plan.push_str(&format!("    complete {}%\n", 30 + 20 * j));
                }
                (Some(after), false) => plan.push_str(&format!("    after {after}\n")),
                (None, false) => {}
            }
            plan.push_str(&format!(
                "    baseline 2021-04-06 to 2021-{:02}-28\n",
                4 + months + j % 3
            ));
            match n % 7 {
                // A deadline the work cannot meet, and one it meets.
                3 => plan.push_str("    deadline 2021-09-30\n"),
                5 => plan.push_str("    deadline 2024-03-29\n"),
                _ => {}
            }
            if n % milestone_every == milestone_every - 1 {
                plan.push_str(&format!(
                    "    milestone {id}-live \"{}\" at finish\n",
                    MILESTONES[n % MILESTONES.len()]
                ));
            }
            plan.push_str("  }\n");
            ids.push(id);
            n += 1;
        }
        plan.push_str("}\n\n");
        first_of_previous = ids.first().cloned();
    }
    plan
}
