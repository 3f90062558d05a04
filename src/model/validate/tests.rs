//! What the validator does that no command's output shows, over plan text. Everything a user
//! can see (diagnostics, durations, dates, money) is a fixture in tests/fixtures/validate/,
//! run through the binary by tests/check.rs; these tests are for the rest: which attribute is
//! at home in which block (a table over every kind of attribute), the shape of the portfolio
//! (roots, children, the calendar list), and the portfolio withheld after a syntax error.

use std::collections::BTreeSet;
use std::path::Path;

use super::validate;
use crate::diagnostic::{FileId, SourceMap};
use crate::finance::Detail;
use crate::model::{CalendarId, ItemId, MilestoneId, ProgrammeId, ProjectId};
use crate::source::{self, MemoryFs, check_files, check_text};
use crate::syntax::ast::Attr;

/// The blocks an attribute can stand in (the top level of a file is one).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Place {
    Top,
    Portfolio,
    Calendar,
    Team,
    Programme,
    Project,
    Milestone,
    Risk,
    Issue,
    Assumption,
    Decision,
    Mitigation,
}

use Place::*;

const EVERYWHERE: &[Place] = &[
    Top, Portfolio, Calendar, Team, Programme, Project, Milestone, Risk, Issue, Assumption,
    Decision, Mitigation,
];

/// The blocks that take attributes at all (an include is read where it stands in these, but
/// not in a RAID entry, which holds only its own few attributes).
const BLOCKS: &[Place] = &[
    Top, Portfolio, Calendar, Team, Programme, Project, Milestone,
];

/// Where each kind of attribute is at home. The match has no catch-all, so a new kind of
/// attribute does not compile until it is given its homes here (and the grammar check in
/// `every_attribute_is_accepted_at_home_and_refused_elsewhere` then asks for a sample of it).
fn homes(attr: &Attr) -> &'static [Place] {
    match attr {
        Attr::Portfolio(_) => &[Top],
        Attr::Calendar(_)
        | Attr::Team(_)
        | Attr::Theme { .. }
        | Attr::Programme(_)
        | Attr::Project(_) => &[Top, Programme],
        Attr::Size { .. } => &[Team],
        Attr::Needs { .. } | Attr::Priority(..) => &[Project],
        Attr::Milestone { .. } => &[Top, Programme, Project],
        // An include is allowed in any block: what it reads lands where it stands.
        Attr::Include { .. } => BLOCKS,
        Attr::Raid { .. } => &[Top, Programme],
        Attr::Probability(..) => &[Risk, Mitigation],
        Attr::Affects(_) => &[Risk, Issue],
        Attr::Mitigation(_) | Attr::Review(..) => &[Risk],
        Attr::RaidStatus(..) => &[Risk, Issue, Assumption],
        Attr::Raised(..) | Attr::Due(..) => &[Issue],
        Attr::Until(..) => &[Assumption],
        Attr::DecidedOn(..) | Attr::DecidedBy(..) => &[Decision],
        Attr::Start(..)
        | Attr::End(..)
        | Attr::StatusDate(..)
        | Attr::Currency(..)
        | Attr::DiscountRate(..)
        | Attr::FinancialYearStart(..)
        | Attr::TargetSavings { .. }
        | Attr::Budget { .. }
        | Attr::Rag { .. }
        | Attr::RagBenefits { .. }
        | Attr::RiskDistribution(..)
        | Attr::ReportMoney(..)
        | Attr::Lint { .. }
        | Attr::Appraisal(..) => &[Portfolio],
        Attr::Confidence { .. } => &[Portfolio, Programme, Project],
        Attr::Allow(..) | Attr::OptimismBias(..) => &[Portfolio, Project],
        Attr::CalendarRef(..) => &[Portfolio, Project, Team],
        Attr::BasedOn(..) | Attr::Closed { .. } | Attr::Weekend(..) => &[Calendar],
        Attr::Duration { .. }
        | Attr::NotBefore(..)
        | Attr::Saving { .. }
        | Attr::Benefit { .. }
        | Attr::ActualStart(..)
        | Attr::Complete(..)
        | Attr::Spent { .. }
        | Attr::Realised { .. } => &[Project],
        // In a project a one-date baseline is E051 (it needs a finish), not misplaced.
        Attr::Dependency { .. }
        | Attr::Deadline(..)
        | Attr::ActualFinish(..)
        | Attr::Baseline { .. } => &[Project, Milestone],
        // A mitigation's cost is its capital, paid whether or not the risk occurs.
        Attr::Cost { .. } => &[Project, Mitigation],
        Attr::Owner(..) | Attr::Description(..) => &[
            Programme, Project, Milestone, Risk, Issue, Assumption, Decision, Mitigation,
        ],
        Attr::ThemeRef(..) | Attr::Tags(..) => &[Programme, Project, Milestone],
        Attr::Scenario(_) | Attr::Criteria(..) => &[Top],
        Attr::Score(..) | Attr::Mandatory(_) => &[Project],
        // At home only in a scenario, which is no block of this table: it is no place for
        // attributes (model::validate::options checks what a scenario holds).
        Attr::BaselineOption(_)
        | Attr::Remove(..)
        | Attr::RemoveAll(_)
        | Attr::Keep(..)
        | Attr::Change(_) => &[],
    }
}

/// One line (or block) of every attribute the grammar has, by the name of its rule in
/// grammar/tranche.pest; `theme` and `calendar` have two each (a declaration and a use).
const SAMPLES: &[(&str, &str)] = &[
    ("portfolio", "portfolio \"Other\" {\n}"),
    ("calendar", "calendar other {\n}"),
    ("calendar", "calendar weekdays"),
    ("team", "team other {\n  size 2\n}"),
    ("size", "size 3 from 2021-04-01"),
    ("needs", "needs ict 1"),
    ("priority", "priority 2"),
    ("theme", "theme other \"Other\""),
    ("theme", "theme access"),
    ("programme", "programme other {\n}"),
    ("project", "project other {\n  duration 1 week\n}"),
    ("milestone", "milestone other at finish"),
    ("include", "include \"other.tranche\""),
    ("start_attr", "start 2020-04-01"),
    ("end_attr", "end 2025-03-31"),
    ("status_date", "status-date 2021-01-15"),
    ("currency", "currency GBP"),
    ("discount_rate", "discount-rate 3.5%"),
    ("financial_year_start", "financial-year-start april"),
    ("target", "target savings £1m in 2021/22"),
    ("budget", "budget revenue £1m in 2021/22"),
    ("rag", "rag amber 5 days red 4 weeks"),
    ("rag_benefits", "rag benefits amber 90% red 75%"),
    ("risk_distribution", "risk distribution triangular"),
    ("lint_setting", "lint high-float 44 days"),
    ("allow", "allow W107"),
    ("optimism_bias", "optimism-bias capital 24%"),
    ("report_setting", "report money millions"),
    (
        "confidence",
        "confidence amber-green \"On track; supplier watched\"",
    ),
    ("appraisal", "appraisal 10 years"),
    ("based_on", "based-on weekdays"),
    ("closed", "closed 2020-12-24"),
    ("weekend", "weekend sun"),
    ("duration", "duration 1 week"),
    ("dependency", "after target"),
    ("dependency", "finishes after start of target"),
    ("not_before", "not-before 2020-05-01"),
    ("deadline", "deadline 2024-05-01"),
    ("cost", "cost capital £10k"),
    ("saving", "saving £10k per year from finish"),
    ("benefit", "benefit \"Time\" £10k per year from finish"),
    ("actual_start", "actual-start 2020-06-01"),
    ("complete", "complete 0%"),
    ("spent", "spent capital £1k in 2019/20"),
    ("realised", "realised saving £1k in 2019/20"),
    ("actual_finish", "actual-finish 2020-07-01"),
    ("baseline", "baseline 2020-06-01"),
    ("owner", "owner \"Someone\""),
    ("tags", "tags [x]"),
    ("description", "description \"Why\""),
    ("raid_item", "risk other \"Other\" {\n  probability 10%\n}"),
    ("probability", "probability 10%"),
    ("affects", "affects target delay 1 week"),
    ("mitigation", "mitigation \"Other\" {\n  probability 5%\n}"),
    ("raid_status", "status open"),
    ("review", "review 2021-06-01"),
    ("raised", "raised 2020-06-01"),
    ("due", "due 2021-06-01"),
    ("until", "until 2021-06-01"),
    ("decided_on", "on 2020-06-01"),
    ("decided_by", "by \"Board\""),
    ("scenario", "scenario other \"Other\" {\n  remove target\n}"),
    ("baseline_option", "baseline-option"),
    ("remove", "remove target"),
    ("remove", "remove *"),
    ("keep", "keep target"),
    ("change", "change target {\n  duration 1 week\n}"),
    ("criteria", "criteria { strategic 100% }"),
    ("score", "score strategic 1"),
    ("mandatory", "mandatory"),
];

/// The alternatives of the grammar's `attr` rule: every attribute a plan can hold.
fn grammar_attributes() -> BTreeSet<&'static str> {
    let grammar = include_str!("../../../grammar/tranche.pest");
    let (_, rule) = grammar
        .split_once("\nattr = {")
        .expect("the grammar has an `attr` rule");
    let (alternatives, _) = rule.split_once('}').expect("the rule is closed");
    alternatives.split('|').map(str::trim).collect()
}

/// A plan with `sample` in `place`, around a clean plan that declares what samples name
/// (theme `access`, project `target`, team `ict`).
fn plan_with(sample: &str, place: Place) -> String {
    let window = "  start 2020-04-01\n  end 2025-03-31\n  status-date 2021-01-15\n";
    let rest = "theme access \"Access\"\nproject target {\n  duration 3 months\n}\nteam ict {\n  size 4\n}\n";
    let portfolio = |extra: &str| format!("portfolio \"P\" {{\n{window}{extra}}}\n{rest}");
    let block =
        |header: &str, first: &str| format!("{}{header} {{\n{first}{sample}\n}}\n", portfolio(""));
    match place {
        Top => format!("{}{sample}\n", portfolio("")),
        Portfolio => portfolio(&format!("{sample}\n")),
        Calendar => block("calendar council", ""),
        // A team needs its size, or E013 would join every sample.
        Team => block("team crew", "  size 2\n"),
        Programme => block("programme group", ""),
        // A project needs its duration, or E013 would join every sample.
        Project => block("project work", "  duration 3 months\n"),
        Milestone => block("milestone event", ""),
        // Each RAID entry with what it needs, so E093 does not join every sample.
        Risk => block("risk threat", "  probability 10%\n"),
        Issue => block("issue problem", ""),
        Assumption => block("assumption belief", ""),
        Decision => block("decision choice", "  on 2020-06-01\n"),
        Mitigation => format!(
            "{}risk threat {{\n  probability 10%\n  mitigation \"Answer\" {{\n{sample}\n  }}\n}}\n",
            portfolio("")
        ),
    }
}

/// Each line is its own attribute: any attribute followed on the next line by any other reads
/// as the two, each spanning exactly its own text, at the top level and in a block, on both
/// parse paths. A clause that runs on over line ends (as `score` pairs once did) would take the
/// next line's words whenever they fit its shape: `score strategic 1` then `priority 2` read as
/// one score of two criteria.
#[test]
fn an_attribute_ends_where_the_next_line_begins() {
    use crate::syntax::{ParseMode, parse_with};
    for (_, first) in SAMPLES {
        for (_, second) in SAMPLES {
            for (open, close) in [("", ""), ("project x {\n", "}\n")] {
                let text = format!("{open}{first}\n{second}\n{close}");
                for mode in [ParseMode::FastThenPest, ParseMode::PestOnly] {
                    let (file, diagnostics, _) = parse_with(FileId(0), &text, mode);
                    let context = format!("{mode:?}:\n{text}");
                    assert!(diagnostics.is_empty(), "{context}{diagnostics:?}");
                    let attrs = match (open, file.items.as_slice()) {
                        ("", items) => items,
                        (_, [Attr::Project(block)]) => block.body.as_slice(),
                        (_, items) => panic!("{context}one project, not {items:?}"),
                    };
                    let written: Vec<&str> = attrs
                        .iter()
                        .map(|attr| {
                            let span = attr.span();
                            text.get(span.start as usize..span.end as usize)
                                .unwrap_or_default()
                        })
                        .collect();
                    assert_eq!(written, [*first, *second], "{context}");
                }
            }
        }
    }
}

/// Every kind of attribute in every kind of block: E050 (E047 for a milestone's duration)
/// exactly where it does not belong, no syntax error, and never a panic.
#[test]
fn every_attribute_is_accepted_at_home_and_refused_elsewhere() {
    let sampled: BTreeSet<&str> = SAMPLES.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(
        sampled,
        grammar_attributes(),
        "SAMPLES has a line of every attribute in grammar/tranche.pest"
    );
    for (_, sample) in SAMPLES {
        let (file, diagnostics) = crate::syntax::parse(FileId(0), sample);
        assert!(diagnostics.is_empty(), "`{sample}`: {diagnostics:?}");
        let [attr] = file.items.as_slice() else {
            panic!("`{sample}` is one attribute");
        };
        let homes = homes(attr);
        for &place in EVERYWHERE {
            let text = plan_with(sample, place);
            let fs = MemoryFs::single(&text).with("other.tranche", "# included\n");
            let checked = check_files(&fs, Path::new("plan.tranche"), Detail::ChecksOnly);
            let found: Vec<&str> = checked
                .diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect();
            let context = format!("`{sample}` in {place:?}:\n{text}\n{found:?}");
            assert!(!found.contains(&"E001"), "{context}");
            if homes.contains(&place) {
                assert!(!found.contains(&"E050"), "{context}");
            } else if matches!(attr, Attr::Duration { .. }) && place == Milestone {
                assert_eq!(found, ["E047"], "{context}");
            } else {
                assert!(found.contains(&"E050"), "{context}");
            }
        }
    }
}

/// The plan of tests/fixtures/validate/clean_plan_*.tranche, whose fixtures show its dates,
/// durations, dependency and money; what they cannot show is the portfolio's shape.
#[test]
fn a_clean_plan_gives_a_portfolio_of_the_shape_written() {
    let text = include_str!("../../../tests/fixtures/validate/clean_plan_schedule.tranche");
    let checked = check_text(text);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let portfolio = checked.portfolio.expect("a clean plan validates");
    // The two built-in calendars, the default first.
    let calendars: Vec<&str> = portfolio.calendars.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(calendars, ["england-and-wales", "weekdays"]);
    assert_eq!(portfolio.calendar, CalendarId(0));
    // front-door holds referral-form; front-door and case-system are the roots, in the
    // order written; go-live is case-system's.
    assert_eq!(portfolio.projects[0].id, "referral-form");
    assert_eq!(portfolio.projects[0].programme, Some(ProgrammeId(0)));
    assert_eq!(
        portfolio.programmes[0].children,
        vec![ItemId::Project(ProjectId(0))]
    );
    assert_eq!(
        portfolio.roots,
        vec![
            ItemId::Programme(ProgrammeId(0)),
            ItemId::Project(ProjectId(1))
        ]
    );
    assert_eq!(
        portfolio.projects[1].milestones,
        vec![MilestoneId(0)].into()
    );
    assert_eq!(portfolio.milestones[0].project, Some(ProjectId(1)));
}

/// An included file's project is a child of the programme the include stands in, and not a
/// root (tests/fixtures/validate/include_lands_in_its_programme.tranche shows its money there).
#[test]
fn an_included_file_lands_where_its_include_stands() {
    let fs = MemoryFs::single(include_str!(
        "../../../tests/fixtures/validate/include_lands_in_its_programme.tranche"
    ))
    .with(
        "include_lands_in_its_programme/work.tranche",
        include_str!(
            "../../../tests/fixtures/validate/include_lands_in_its_programme/work.tranche"
        ),
    );
    let checked = check_files(&fs, Path::new("plan.tranche"), Detail::ChecksOnly);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let portfolio = checked.portfolio.expect("valid");
    assert_eq!(portfolio.projects[0].programme, Some(ProgrammeId(0)));
    assert_eq!(portfolio.roots, vec![ItemId::Programme(ProgrammeId(0))]);
}

/// An error held back after a syntax error is still an error: the validator gives no
/// portfolio from a partial tree even when it reports nothing itself. The pipeline hides this
/// (the syntax error alone stops every command), so it is read from `validate` directly.
/// tests/fixtures/validate/syntax_error_*.tranche show which errors are held back.
#[test]
fn a_held_back_error_still_withholds_the_portfolio() {
    let text = "portfolio \"P\" {\n  start 2020-04-01\n  end 2025-03-31\n}\n\
                project c {\n  duration 3 months\n  after lost\n}\n\
                project 1broken {\n}\n";
    let mut sources = SourceMap::new();
    let (plan, parsed) = source::load(
        Path::new("plan.tranche"),
        &MemoryFs::single(text),
        &mut sources,
    )
    .expect("the plan is read");
    let codes: Vec<&str> = parsed.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E001"]);
    let (portfolio, diagnostics) = validate(plan);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert!(portfolio.is_none());
}
