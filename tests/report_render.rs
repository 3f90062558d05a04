//! The committee report (issue 5): what the view holds for the committee plan
//! (tests/report_common/committee.tranche, read through the whole pipeline), reviewed snapshots
//! of its Markdown, HTML and JSON, the same figures in all three, and a page that loads nothing.
//! The expected values are worked out from the plan text; its comments give the dates.

use crate::report_common;

use crate::common::date;
use report_common::{assert_same_money, report, report_altered, report_of_text};
use tranche::report::view::{self, ReportFormat, RowKind, render};
use tranche::schedule::Rag;

#[test]
fn the_view_holds_the_committee_headline() {
    let r = report();
    let h = &r.headline;
    // The last work is mash-live, after referral-form, which finishes on 6 Apr 2022: 1090
    // calendar days before the plan's end on 31 Mar 2025 (365 + 366 + 359).
    assert_eq!(h.forecast_finish, date("2022-04-06"));
    assert_eq!(h.finish_variance_days, -1090);
    assert_eq!(
        h.finish_variance_text,
        "1090 calendar days before the plan end"
    );
    // Against their baselines: family-portal on time (green), data-warehouse 15 working days
    // late (amber), case-system 63 and referral-form 58 (red); mobile-working has none.
    assert_eq!(
        (h.rag.green, h.rag.amber, h.rag.red, h.rag.no_baseline),
        (1, 1, 2, 1)
    );
    // The critical projects are the chain case-system -> referral-form.
    assert_eq!((h.n_projects, h.n_milestones, h.n_critical), (5, 5, 2));
    assert_eq!(h.targets.len(), 2);
    assert_eq!(h.targets[0].year, "2022/23");
    assert_eq!(h.targets[0].target.text, "£300,000.00");
    // 2023/24 is the first whole year of every saving but mobile-working's (two years from
    // 15 Jan 2021): case-system £400k, family-portal £90k and referral-form £60k.
    assert_eq!(h.targets[1].year, "2023/24");
    assert_eq!(h.targets[1].forecast.text, "£550,000.00");
    // The gap is forecast minus target, in pence, and `met` agrees with its sign.
    for t in &h.targets {
        assert_eq!(t.gap.pence, t.forecast.pence - t.target.pence);
        assert_eq!(t.met, t.gap.pence >= 0);
    }
    let path: Vec<&str> = r.critical_path.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        path,
        ["case-system", "go-live", "referral-form", "mash-live"]
    );
}

#[test]
fn rows_follow_the_authors_order_with_milestones_under_their_project() {
    let r = report();
    let rows: Vec<(&str, RowKind, usize)> = r
        .gantt
        .rows
        .iter()
        .map(|row| (row.id.as_str(), row.kind, row.depth))
        .collect();
    assert_eq!(
        rows,
        [
            ("front-door", RowKind::Programme, 0),
            ("referral-form", RowKind::Project, 1),
            ("family-portal", RowKind::Project, 1),
            ("pilot", RowKind::Milestone, 2),
            ("mash-live", RowKind::Milestone, 1),
            ("core-systems", RowKind::Programme, 0),
            ("case-system", RowKind::Project, 1),
            ("go-live", RowKind::Milestone, 2),
            ("data", RowKind::Programme, 1),
            ("data-warehouse", RowKind::Project, 2),
            ("data-spec", RowKind::Milestone, 3),
            ("mobile-working", RowKind::Project, 0),
            ("ofsted", RowKind::Milestone, 0),
        ]
    );
    let links: Vec<(&str, &str, &str, bool)> = r
        .gantt
        .links
        .iter()
        .map(|l| (l.from.as_str(), l.to.as_str(), l.kind.code(), l.critical))
        .collect();
    assert_eq!(
        links,
        [
            ("go-live", "referral-form", "FS", true),
            ("data-warehouse", "family-portal", "SS", false),
            ("referral-form", "mash-live", "FS", true),
            ("data-warehouse", "data-spec", "SS", false),
        ]
    );
}

#[test]
fn a_programme_without_its_own_status_takes_its_worst_project() {
    let r = report();
    let by_id = |id: &str| {
        r.programmes
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("programme {id} is in the report"))
    };
    // front-door: referral-form is Red (58 working days late), family-portal Green (on time);
    // a programme has no baseline of its own, so the schedule gives it no status.
    assert_eq!(by_id("front-door").rag, Some(Rag::Red));
    assert_eq!(by_id("front-door").n_projects, 2);
    // core-systems counts the project of the programme inside it, and takes the worse of
    // case-system (Red) and data-warehouse (Amber).
    assert_eq!(by_id("core-systems").n_projects, 2);
    assert_eq!(by_id("core-systems").rag, Some(Rag::Red));
    // data holds only data-warehouse, 15 working days late.
    assert_eq!(by_id("data").depth, 1);
    assert_eq!(by_id("data").n_projects, 1);
    assert_eq!(by_id("data").rag, Some(Rag::Amber));
}

#[test]
fn milestones_due_next_quarter_and_missed() {
    let r = report();
    let due: Vec<&str> = r.milestones_due.iter().map(|m| m.id.as_str()).collect();
    // After 15 Jan 2021 and up to 15 Apr 2021, by forecast date: data-spec on 21 Jan (100
    // working days from the warehouse's start) and pilot on 1 Feb (family-portal's
    // not-before). ofsted (4 Oct) and go-live (26 Nov) fall later.
    assert_eq!(due, ["data-spec", "pilot"]);
    let missed: Vec<&str> = r.milestones_missed.iter().map(|m| m.id.as_str()).collect();
    // data-spec was due by its deadline, 11 Dec 2020, and has not happened.
    assert_eq!(missed, ["data-spec"]);
    assert_eq!(r.milestones_missed[0].due, Some(date("2020-12-11")));
    // Forecast 21 Jan 2021: 41 calendar days after it was due (20 in December, 21 in January).
    assert_eq!(r.milestones_missed[0].forecast, date("2021-01-21"));
    assert_eq!(r.milestones_missed[0].days_late, Some(41));
}

#[test]
fn diagnostics_that_stand_include_finance_checks_once_each() {
    let r = report();
    let codes: Vec<&str> = r.diagnostics.iter().map(|f| f.code.as_str()).collect();
    // The finance stage's verdict (E061: case-system alone spreads about £1m of capital over
    // its working days to 31 Mar 2021, against a £900k budget), the schedule's (E070:
    // data-spec past its deadline) and the validator's warning (W046: mobile-working is 100%
    // complete without an actual-finish), each once, errors before warnings.
    assert_eq!(codes, ["E061", "E070", "W046"]);
    assert_eq!(r.headline.n_warnings, 1);
    let at = |code: &str| {
        r.diagnostics
            .iter()
            .find(|f| f.code == code)
            .and_then(|f| f.location.as_deref())
            .unwrap_or_else(|| panic!("{code} is in the report with a location"))
    };
    // The lines of the plan text that each is about.
    assert_eq!(at("E061"), "committee.tranche:15:3");
    assert_eq!(at("E070"), "committee.tranche:81:9");
    assert_eq!(at("W046"), "committee.tranche:96:3");
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("markdown", render(&report(), ReportFormat::Markdown));
}

#[test]
fn html_snapshot() {
    insta::assert_snapshot!("html", render(&report(), ReportFormat::Html));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", render(&report(), ReportFormat::Json));
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    for format in [
        ReportFormat::Markdown,
        ReportFormat::Html,
        ReportFormat::Json,
    ] {
        assert_eq!(render(&report(), format), render(&report(), format));
    }
}

/// Extracts the figures from each format and compares them: the Markdown, the HTML and the
/// JSON of one report show the same amounts of money, the same RAG counts and the same dates.
#[test]
fn markdown_html_and_json_show_the_same_numbers() {
    let r = report();
    let md = render(&r, ReportFormat::Markdown);
    let html = render(&r, ReportFormat::Html);
    let json = render(&r, ReportFormat::Json);
    let value: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("the JSON parses: {e}"));
    let figures = assert_same_money(&r);
    assert!(figures > 20, "{figures} figures compared");

    // Each figure is its pence, formatted: the JSON's text and number agree.
    let h = &value["headline"];
    let npv = h["npv"]["pence"].as_i64().unwrap_or(i64::MIN);
    assert_eq!(
        h["npv"]["text"].as_str(),
        Some(tranche::money::Money(npv).to_string().as_str())
    );

    // RAG counts and each project's slippage and finish.
    let rag = &h["rag"];
    let counts = format!(
        "Green {}, Amber {}, Red {}, No baseline {}",
        rag["green"], rag["amber"], rag["red"], rag["no_baseline"]
    );
    assert!(md.contains(&counts), "{counts}");
    for (name, count) in [
        ("Green", &rag["green"]),
        ("Amber", &rag["amber"]),
        ("Red", &rag["red"]),
    ] {
        assert!(
            html.contains(&format!("{name} {count}</span>")),
            "{name} {count}"
        );
    }
    for project in value["projects"].as_array().into_iter().flatten() {
        let finish = project["finish"].as_str().unwrap_or("");
        let finish = chrono::NaiveDate::parse_from_str(finish, "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("ISO finish date: {e}"));
        let shown = view::date_text(finish);
        let slip = project["slip_days"]
            .as_i64()
            .map_or("—".to_owned(), view::days_text);
        let id = project["id"].as_str().unwrap_or("");
        let md_row = md
            .lines()
            .find(|l| l.contains(&format!("(`{id}`)")))
            .unwrap_or_else(|| panic!("markdown has a row for {id}"));
        assert!(
            md_row.contains(&shown) && md_row.contains(&format!("| {slip} |")),
            "{md_row}"
        );
        let html_row = html
            .lines()
            .find(|l| {
                l.starts_with("<tr data-programme") && l.contains(&format!("<code>{id}</code>"))
            })
            .unwrap_or_else(|| panic!("html has a row for {id}"));
        assert!(
            html_row.contains(&shown) && html_row.contains(&format!(">{slip}<")),
            "{html_row}"
        );
    }
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let html = render(&report(), ReportFormat::Html);
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    ));
    let lower = html.to_lowercase();
    for attribute in ["src=", "href="] {
        for (at, _) in lower.match_indices(attribute) {
            let value = &lower[at + attribute.len()..];
            let value = value.trim_start_matches(['"', '\'']);
            assert!(
                value.starts_with('#') || value.starts_with("data:"),
                "external {attribute} at byte {at}: {}",
                &lower[at..(at + 60).min(lower.len())]
            );
        }
    }
    for (at, _) in lower.match_indices("url(") {
        let value = lower[at + 4..].trim_start_matches(['"', '\'']);
        assert!(value.starts_with('#'), "external url( at byte {at}");
    }
    assert!(!lower.contains("@import"));
    assert!(!lower.contains("<script"), "the page needs no script");
    assert!(!lower.contains("<link"));
    assert!(!lower.contains("<iframe"));
    // The only namespace URI is SVG's, which is an identifier, never fetched.
    for (at, _) in lower.match_indices("http") {
        assert!(
            lower[at..].starts_with("http://www.w3.org/2000/svg")
                || lower[at..].starts_with("http-equiv"),
            "a URL at byte {at}: {}",
            &lower[at..(at + 40).min(lower.len())]
        );
    }
}

/// Issue 18: the printed chart is cut at top-level programmes, so the view's sections must
/// cover every row once, in order, each starting at a top-level programme or at work outside
/// any programme.
#[test]
fn gantt_sections_cover_every_row_once() {
    let r = report();
    let mut next = 0;
    for section in &r.gantt.sections {
        assert_eq!(section.first_row, next, "sections follow one another");
        let first = &r.gantt.rows[section.first_row];
        assert_eq!(first.depth, 0, "{} starts at the top level", section.title);
        assert_eq!(
            section.programme.is_some(),
            first.kind == RowKind::Programme,
            "{} is a programme's exactly when it starts with one",
            section.title
        );
        next += section.n_rows;
    }
    assert_eq!(next, r.gantt.rows.len());
    let titles: Vec<&str> = r.gantt.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Front door and early help",
            "Core systems",
            "Outside programmes"
        ]
    );
}

#[test]
fn the_gantt_draws_one_bar_per_project_and_one_diamond_per_milestone() {
    let r = report();
    let html = render(&r, ReportFormat::Html);
    assert_eq!(
        html.matches("data-gantt=\"bar\"").count(),
        r.headline.n_projects
    );
    assert_eq!(
        html.matches("data-gantt=\"milestone\"").count(),
        r.headline.n_milestones
    );
    assert_eq!(
        html.matches("data-gantt=\"summary\"").count(),
        r.programmes.len()
    );
    assert_eq!(
        html.matches("data-gantt=\"link\"").count(),
        r.gantt.links.len()
    );
    // Baselines: four projects and one milestone have one.
    assert_eq!(html.matches("data-gantt=\"baseline\"").count(), 5);
    // Critical bars are hatched, not only coloured: on screen, one per critical project and
    // one in the legend.
    let (screen, print) = html
        .split_once("<div class=\"gantt-print-pages\">")
        .unwrap_or_else(|| panic!("the printed Gantt pages follow the screen's chart"));
    assert_eq!(
        screen.matches("class=\"hatch\"").count(),
        r.headline.n_critical + 1
    );
    assert!(html.contains("Status date 15 Jan 2021"));
    // The printed pages (issue 18) draw every item once more, their marks counted apart, and
    // only the critical chain's arrows.
    assert_eq!(
        print.matches("data-print=\"bar\"").count(),
        r.headline.n_projects
    );
    assert_eq!(
        print.matches("data-print=\"milestone\"").count(),
        r.headline.n_milestones
    );
    assert_eq!(
        print.matches("data-print=\"link\"").count(),
        print.matches("class=\"link critical\" data-print").count()
    );
    assert!(!print.contains('…'), "no title is cut in print");
}

#[test]
fn markdown_has_no_html_and_a_mermaid_gantt_from_the_schedule() {
    let md = render(&report(), ReportFormat::Markdown);
    // Titles with `<beta>` and `|` are escaped, so no tag and no broken table reaches the paper.
    assert!(md.contains(r"Family portal \| self-service \<beta\>"));
    assert!(!md.contains("<beta>"));
    // No tag anywhere: every `<` outside the Mermaid block is escaped.
    let mut in_block = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            assert!(!line.contains('<'), "{line}");
        }
        for (at, _) in line.match_indices('<') {
            assert!(line[..at].ends_with('\\'), "an unescaped < in: {line}");
        }
    }
    let mermaid = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("a mermaid block"));
    // A bar runs from its start to the day after its finish; case-system finishes on
    // 26 Nov 2021 and mobile-working, with no work left, the day before the status date.
    assert!(mermaid.contains(
        "Replace the children's case management system :crit, case-system, 2020-06-08, 2021-11-27"
    ));
    assert!(mermaid.contains("Case system live :crit, milestone, go-live, 2021-11-26, 0d"));
    assert!(
        mermaid
            .contains("Mobile working for social workers :mobile-working, 2020-10-05, 2021-01-15")
    );
    assert!(mermaid.contains("%% link go-live -> referral-form (FS, critical)"));
    assert!(mermaid.contains("section Data and reporting"));
}

/// The validator puts every top-level item in the portfolio's roots, so no plan text leaves
/// an item out of the programme tree; the view must still give such an item a row (a portfolio
/// built in code, not parsed), so the committee plan is read and then its roots cleared.
#[test]
fn items_left_out_of_roots_still_get_rows_in_index_order() {
    let r = report_altered("committee.tranche", report_common::COMMITTEE, |p| {
        p.roots.clear()
    });
    let ids: Vec<&str> = r.gantt.rows.iter().map(|row| row.id.as_str()).collect();
    // Programmes first (with their children), then the projects and milestones nobody holds:
    // mobile-working and ofsted, which the plan writes outside any programme.
    assert_eq!(
        ids,
        [
            "front-door",
            "referral-form",
            "family-portal",
            "pilot",
            "mash-live",
            "core-systems",
            "case-system",
            "go-live",
            "data",
            "data-warehouse",
            "data-spec",
            "mobile-working",
            "ofsted",
        ]
    );
}

#[test]
fn an_empty_plan_reports_without_panicking() {
    let r = report_of_text(
        "portfolio \"Nothing yet\" {\n  start 2020-04-01\n  end 2025-03-31\n  status-date 2021-01-15\n}\n",
    );
    let md = render(&r, ReportFormat::Markdown);
    assert!(md.contains("The plan has no projects."));
    assert!(md.contains("No critical path"));
    let html = render(&r, ReportFormat::Html);
    assert!(html.contains("The plan has no projects."));
    assert_eq!(html.matches("data-gantt=\"bar\"").count(), 0);
    assert_same_money(&r);
}

/// Ten thousand projects that no programme or root holds: the view finds them all in one pass
/// (a rescan per item would be quadratic), and every one gets a bar. Plan text makes every
/// top-level project a root, so the roots are cleared after reading it, as above.
#[test]
fn many_loose_projects_are_laid_out_in_one_pass() {
    let n = 10_000;
    let mut plan = String::from("portfolio \"Many\" {\n  start 2020-04-01\n  end 2025-03-31\n}\n");
    for i in 0..n {
        plan.push_str(&format!(
            "project p{i} \"Project {i}\" {{\n  duration 1 month\n}}\n"
        ));
    }
    let r = report_altered("plan.tranche", &plan, |p| p.roots.clear());
    assert_eq!(r.projects.len(), n);
    let html = render(&r, ReportFormat::Html);
    assert_eq!(html.matches("data-gantt=\"bar\"").count(), n);
}

/// Renderers only lay out: even figures no plan could reach draw a squashed chart, not a panic.
#[test]
fn extreme_figures_do_not_break_the_charts() {
    let mut r = report();
    r.years[0].capital.pence = i64::MAX;
    r.years[1].cumulative_net.pence = i64::MIN;
    if let Some(target) = r.years[2].target.as_mut() {
        target.pence = i64::MAX;
    }
    let html = render(&r, ReportFormat::Html);
    assert!(html.contains("data-chart=\"cumulative\""));
    // A handful of grid lines, however wide the range.
    let grid = html.matches("class=\"grid").count();
    assert!((2..=12).contains(&grid), "{grid} grid lines");
}

/// A plan whose one milestone, `data-spec`, is due by 11 Dec 2020 and happens at the finish of
/// a finished project, which finished on `finished` (before the status date, 15 Jan 2021).
fn spec_finished_on(finished: &str) -> String {
    format!(
        "portfolio \"Data\" {{
  start 2020-04-01
  end 2022-03-31
  status-date 2021-01-15
}}

project spec-work \"Write the data specification\" {{
  duration 2 months
  milestone data-spec \"Data specification signed off\" at finish {{
    deadline 2020-12-11
  }}
  actual-start 2020-10-01
  actual-finish {finished}
  complete 100%
}}
"
    )
}

/// A milestone the schedule puts before the status date has happened, even with no
/// `actual-finish` of its own (one at the finish of a finished project): on time it is not
/// missed; late, it is missed by the days it was late.
#[test]
fn milestones_before_the_status_date_have_happened() {
    // Finished on 10 Dec 2020, a day before the deadline: neither missed nor still due.
    let r = report_of_text(&spec_finished_on("2020-12-10"));
    assert!(r.milestones_missed.is_empty());
    assert!(r.milestones_due.iter().all(|m| m.id != "data-spec"));

    // Finished on Friday 18 Dec 2020: 7 calendar days after the deadline.
    let r = report_of_text(&spec_finished_on("2020-12-18"));
    let missed: Vec<(&str, Option<chrono::NaiveDate>, Option<i64>)> = r
        .milestones_missed
        .iter()
        .map(|m| (m.id.as_str(), m.actual, m.days_late))
        .collect();
    assert_eq!(missed, [("data-spec", Some(date("2020-12-18")), Some(7))]);
    assert!(r.milestones_due.iter().all(|m| m.id != "data-spec"));
}

#[test]
fn a_missed_target_whose_shortfall_is_accepted_says_so() {
    // One project saving £10k a year from its finish at the end of April 2021: 2021/22 holds
    // eleven months of it, short of both £20k targets; 2021/22's shortfall is accepted. The
    // plan lists the later year first; the report shows them in year order.
    let r = report_of_text(
        "portfolio \"Targets\" {\n  start 2021-04-01\n  end 2023-03-31\n  \
         target savings £20k in 2022/23\n  \
         target savings £20k in 2021/22 accept shortfall \"Agency costs fell late\"\n}\n\
         project a \"A\" {\n  duration 1 month\n  saving £10k per year from finish\n}\n",
    );
    let accepted: Vec<Option<&str>> = r
        .headline
        .targets
        .iter()
        .map(|t| t.accepted.as_deref())
        .collect();
    assert_eq!(accepted, [Some("Agency costs fell late"), None]);
    let years: Vec<&str> = r.headline.targets.iter().map(|t| t.year.as_str()).collect();
    assert_eq!(years, ["2021/22", "2022/23"]);
    assert!(r.headline.targets.iter().all(|t| !t.met));
    let md = render(&r, ReportFormat::Markdown);
    assert!(
        md.contains("| 2021/22 | £20k | £9k | -£11k | Missed, accepted |"),
        "{md}"
    );
    assert!(
        md.contains("| 2022/23 | £20k | £10k | -£10k | Missed |"),
        "{md}"
    );
    let json = render(&r, ReportFormat::Json);
    assert_eq!(
        json.matches("\"accepted\": \"Agency costs fell late\"")
            .count(),
        1
    );
}
