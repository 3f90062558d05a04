//! Validator tests over hand-built ASTs, so they do not depend on the grammar. The fixture
//! files in tests/fixtures/check/ cover the same rules through the real parser.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

use super::*;
use crate::money::Money;
use crate::syntax::ast::{
    Block, DependencyKind, DependencyTarget, DurationLit, DurationUnit, Ident, Lag, Literal,
    MoneyLit, Reference, Str,
};
use crate::syntax::ast::{CurrencySymbol, UnitSpelling};

/// Each node gets a fresh span so that spans (the keys of `Plan::includes`, the places of
/// notes) are distinct, as the parser's are.
static NEXT: AtomicU32 = AtomicU32::new(1);

fn span() -> Span {
    let start = NEXT.fetch_add(10, Ordering::Relaxed) as usize;
    Span::new(FileId(0), start, start + 5)
}

fn ident(name: &str) -> Ident {
    Ident {
        name: compact_str::CompactString::from(name),
        span: span(),
    }
}

fn lit(text: &str) -> Literal {
    Literal {
        text: compact_str::CompactString::from(text),
        span: span(),
    }
}

fn string(text: &str) -> Str {
    Str {
        value: compact_str::CompactString::from(text),
        span: span(),
    }
}

fn money(amount: &str) -> MoneyLit {
    MoneyLit {
        currency: CurrencySymbol::Pound,
        amount: compact_str::CompactString::from(amount),
        span: span(),
    }
}

fn dur(number: &str, unit: DurationUnit) -> DurationLit {
    DurationLit {
        number: number.into(),
        unit,
        spelling: UnitSpelling::Plural,
        span: span(),
    }
}

fn block(id: Option<&str>, body: Vec<Attr>) -> Block {
    Block {
        id: id.map(ident),
        title: None,
        body,
        keyword_span: span(),
        span: span(),
    }
}

fn portfolio_block(body: Vec<Attr>) -> Attr {
    Attr::Portfolio(Box::new(block(None, body)))
}

fn window() -> Vec<Attr> {
    vec![
        Attr::Start(lit("2020-04-01"), span()),
        Attr::End(lit("2025-03-31"), span()),
        Attr::StatusDate(lit("2021-01-15"), span()),
    ]
}

fn project(id: &str, mut body: Vec<Attr>) -> Attr {
    body.insert(0, duration("3", DurationUnit::Months));
    Attr::Project(Box::new(block(Some(id), body)))
}

fn duration(number: &str, unit: DurationUnit) -> Attr {
    Attr::Duration {
        duration: dur(number, unit),
        range: None,
        span: span(),
    }
}

fn programme(id: &str, body: Vec<Attr>) -> Attr {
    Attr::Programme(Box::new(block(Some(id), body)))
}

fn milestone(id: &str, timing: Option<ast::MilestoneTiming>, body: Vec<Attr>) -> Attr {
    Attr::Milestone {
        block: Box::new(block(Some(id), body)),
        timing,
    }
}

fn reference(text: &str) -> Reference {
    let mut parts = text.split('.').map(ident);
    let first = parts.next().unwrap_or_else(|| ident(text));
    Reference::new(first, parts.next())
}

fn after(targets: &[&str]) -> Attr {
    depends(DependencyKind::FinishToStart, targets)
}

fn depends(kind: DependencyKind, targets: &[&str]) -> Attr {
    Attr::Dependency {
        kind,
        targets: targets
            .iter()
            .map(|t| DependencyTarget {
                target: reference(t),
                lag: None,
            })
            .collect(),
        span: span(),
    }
}

fn plan(items: Vec<Attr>) -> Plan {
    plan_with(items, BTreeMap::new(), BTreeMap::new())
}

fn plan_with(
    items: Vec<Attr>,
    mut files: BTreeMap<FileId, ast::File>,
    includes: BTreeMap<Span, FileId>,
) -> Plan {
    files.insert(
        FileId(0),
        ast::File {
            items,
            comments: Vec::new(),
            span: span(),
        },
    );
    Plan {
        root: FileId(0),
        files,
        includes,
        unparsed: BTreeSet::new(),
    }
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(|d| d.message.clone()).collect()
}

#[test]
fn a_clean_plan_gives_a_portfolio_with_units_converted() {
    let lagged = Attr::Dependency {
        kind: DependencyKind::FinishToStart,
        targets: vec![DependencyTarget {
            target: reference("case-system.go-live"),
            lag: Some(Box::new(Lag {
                negative: true,
                duration: dur("1", DurationUnit::Weeks),
                span: span(),
            })),
        }]
        .into(),
        span: span(),
    };
    let saving = Attr::Saving {
        amount: money("400k"),
        recurrence: Box::new(ast::Recurrence {
            from: ast::When::Finish(span()),
            ramp: Some(dur("6", DurationUnit::Months)),
            period: Some(dur("2", DurationUnit::Years)),
            span: span(),
        }),
        range: None,
        span: span(),
    };
    let mut settings = window();
    settings.push(Attr::DiscountRate(lit("3.5"), span()));
    let (portfolio, diagnostics) = validate(plan(vec![
        portfolio_block(settings),
        Attr::Theme {
            id: ident("access"),
            title: Box::new(string("Access")),
            span: span(),
        },
        programme(
            "front-door",
            vec![
                Attr::ThemeRef(ident("access"), span()),
                project("referral-form", vec![lagged]),
            ],
        ),
        project(
            "case-system",
            vec![
                saving,
                Attr::Cost {
                    kind: ast::CostKind::Capital,
                    amount: money("1.8m"),
                    timing: ast::CostTiming::Spread,
                    span: span(),
                },
                milestone(
                    "go-live",
                    Some(ast::MilestoneTiming::AtFinish(span())),
                    vec![],
                ),
            ],
        ),
    ]));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let portfolio = portfolio.expect("a clean plan validates");
    assert_eq!(
        portfolio.start,
        NaiveDate::from_ymd_opt(2020, 4, 1).expect("date")
    );
    assert_eq!(portfolio.discount_rate, Percent(350));
    assert_eq!(portfolio.calendars.len(), 2);
    assert_eq!(portfolio.calendars[0].id, "england-and-wales");
    let referral = &portfolio.projects[0];
    assert_eq!(referral.duration.likely_days, 60);
    assert_eq!(referral.programme, Some(ProgrammeId(0)));
    assert_eq!(
        referral.theme,
        Some(ThemeId(0)),
        "inherited from the programme"
    );
    assert_eq!(
        referral.dependencies[0].predecessor,
        ItemId::Milestone(MilestoneId(0))
    );
    assert_eq!(referral.dependencies[0].lag_days, -5);
    let case = &portfolio.projects[1];
    assert_eq!(case.savings[0].per_year, Money(40_000_000));
    assert_eq!(case.savings[0].recurrence.ramp_months, 6);
    assert_eq!(case.savings[0].recurrence.months, Some(24));
    assert_eq!(case.milestones, vec![MilestoneId(0)].into());
    assert_eq!(portfolio.milestones[0].project, Some(ProjectId(1)));
    assert_eq!(
        portfolio.roots,
        vec![
            ItemId::Programme(ProgrammeId(0)),
            ItemId::Project(ProjectId(1))
        ]
    );
    assert_eq!(
        portfolio.programmes[0].children,
        vec![ItemId::Project(ProjectId(0))]
    );
}

#[test]
fn unknown_references_suggest_the_nearest_id_of_the_right_kind() {
    let (portfolio, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project("case-system", vec![]),
        project("referral", vec![after(&["case-sytem"])]),
        project("other", vec![Attr::ThemeRef(ident("case-sytem"), span())]),
    ]));
    assert!(portfolio.is_none());
    assert_eq!(codes(&diagnostics), ["E020", "E023"]);
    assert_eq!(
        diagnostics[0].message,
        "unknown project, milestone or programme `case-sytem`; did you mean `case-system`?"
    );
    // No theme is near `case-sytem`: a project is not suggested where a theme is wanted.
    assert_eq!(diagnostics[1].message, "unknown theme `case-sytem`");
}

#[test]
fn one_namespace_across_kinds_with_both_places_shown() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        Attr::Theme {
            id: ident("digital"),
            title: Box::new(string("Digital")),
            span: span(),
        },
        project("digital", vec![]),
        Attr::Calendar(Box::new(block(Some("weekdays"), vec![]))),
    ]));
    assert_eq!(codes(&diagnostics), ["E021", "E021"]);
    assert_eq!(
        diagnostics[0].message,
        "`digital` is already declared, as a theme"
    );
    assert!(diagnostics[0].notes[0].span.is_some());
    assert_eq!(
        diagnostics[1].message,
        "`weekdays` is the name of a built-in calendar"
    );
}

#[test]
fn milestones_in_projects_are_referable_both_ways() {
    let (portfolio, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project(
            "a",
            vec![milestone(
                "live",
                Some(ast::MilestoneTiming::AtFinish(span())),
                vec![],
            )],
        ),
        project("b", vec![after(&["a.live"])]),
        project("c", vec![after(&["live"])]),
        project("d", vec![after(&["a.lve"])]),
        project("e", vec![after(&["b.live"])]),
    ]));
    assert!(portfolio.is_none());
    assert_eq!(codes(&diagnostics), ["E020", "E020"]);
    assert_eq!(
        messages(&diagnostics),
        [
            "project `a` has no milestone `lve`; did you mean `live`?",
            "project `b` has no milestone `live`",
        ]
    );
    assert_eq!(
        diagnostics[1].hint.as_deref(),
        Some("`live` is declared outside project `b`: refer to it as `live` alone")
    );
}

#[test]
fn wrong_kinds_of_reference_are_e024() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        Attr::Theme {
            id: ident("access"),
            title: Box::new(string("Access")),
            span: span(),
        },
        project("a", vec![after(&["access"])]),
        project(
            "b",
            vec![Attr::Cost {
                kind: ast::CostKind::OneOff,
                amount: money("20k"),
                timing: ast::CostTiming::At(Box::new(ast::When::Milestone(reference("a")))),
                span: span(),
            }],
        ),
    ]));
    assert_eq!(codes(&diagnostics), ["E024", "E024"]);
    assert_eq!(
        diagnostics[0].message,
        "`access` is a theme, but `after` needs a project, milestone or programme"
    );
    assert_eq!(
        diagnostics[1].message,
        "`a` is a project, but a money line's timing needs a milestone"
    );
    assert_eq!(
        diagnostics[1].hint.as_deref(),
        Some(
            "declare a milestone in `a` (`milestone a-live at finish`) and name it here, or write `finish` for this project's own go-live"
        )
    );
}

#[test]
fn a_range_that_misses_the_duration_is_quoted_as_written() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        Attr::Project(Box::new(block(
            Some("a"),
            vec![Attr::Duration {
                duration: dur("14", DurationUnit::Months),
                range: Some(Box::new((
                    dur("16", DurationUnit::Months),
                    dur("20", DurationUnit::Months),
                ))),
                span: span(),
            }],
        ))),
    ]));
    assert_eq!(codes(&diagnostics), ["E052"]);
    assert_eq!(
        diagnostics[0].message,
        "the range `16 months to 20 months` does not contain the duration `14 months` (320 to 400 working days against 280)"
    );
}

#[test]
fn self_dependencies_include_the_containing_programme() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        programme(
            "outer",
            vec![programme(
                "inner",
                vec![
                    project("a", vec![after(&["a"])]),
                    project("b", vec![after(&["outer"])]),
                ],
            )],
        ),
    ]));
    assert_eq!(codes(&diagnostics), ["E031", "E031"]);
    assert_eq!(
        messages(&diagnostics),
        [
            "project `a` depends on itself",
            "project `b` depends on programme `outer`, which contains it",
        ]
    );
}

#[test]
fn the_same_dependency_twice_is_e032_but_another_kind_is_fine() {
    let (portfolio, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project("a", vec![]),
        project(
            "b",
            vec![
                after(&["a"]),
                depends(DependencyKind::StartToStart, &["a"]),
                after(&["a"]),
            ],
        ),
    ]));
    assert!(portfolio.is_none());
    assert_eq!(codes(&diagnostics), ["E032"]);
    assert_eq!(diagnostics[0].notes.len(), 1);
}

#[test]
fn an_included_file_lands_where_its_include_stands() {
    let include_span = span();
    let included = ast::File {
        items: vec![project("from-file", vec![])],
        comments: Vec::new(),
        span: span(),
    };
    let (portfolio, diagnostics) = validate(plan_with(
        vec![
            portfolio_block(window()),
            programme(
                "front-door",
                vec![Attr::Include {
                    path: string("work.tranche"),
                    span: include_span,
                }],
            ),
        ],
        BTreeMap::from([(FileId(1), included)]),
        BTreeMap::from([(include_span, FileId(1))]),
    ));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let portfolio = portfolio.expect("valid");
    assert_eq!(portfolio.projects[0].programme, Some(ProgrammeId(0)));
    assert_eq!(portfolio.roots, vec![ItemId::Programme(ProgrammeId(0))]);
}

#[test]
fn portfolio_block_missing_or_twice() {
    let (_, none) = validate(plan(vec![project("a", vec![])]));
    assert_eq!(codes(&none), ["E010"]);
    let (_, two) = validate(plan(vec![
        portfolio_block(window()),
        portfolio_block(vec![]),
    ]));
    assert_eq!(codes(&two), ["E011"]);
    let (_, empty) = validate(plan(vec![portfolio_block(vec![])]));
    assert_eq!(codes(&empty), ["E013", "E013"]);
}

#[test]
fn plan_window_and_status_date_are_checked() {
    let (_, diagnostics) = validate(plan(vec![portfolio_block(vec![
        Attr::Start(lit("2020-04-01"), span()),
        Attr::End(lit("2019-03-31"), span()),
    ])]));
    assert_eq!(codes(&diagnostics), ["E014"]);
    let (_, diagnostics) = validate(plan(vec![portfolio_block(vec![
        Attr::Start(lit("2020-04-01"), span()),
        Attr::End(lit("2021-03-31"), span()),
        Attr::StatusDate(lit("2022-01-01"), span()),
        Attr::Start(lit("2020-04-02"), span()),
    ])]));
    assert_eq!(codes(&diagnostics), ["E014", "E012"]);
}

#[test]
fn progress_rules() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project(
            "backwards",
            vec![
                Attr::ActualStart(lit("2020-06-08"), span()),
                Attr::ActualFinish(lit("2020-06-01"), span()),
                Attr::Complete(lit("100"), span()),
            ],
        ),
        project("future", vec![Attr::ActualStart(lit("2021-02-01"), span())]),
        project(
            "over",
            vec![
                Attr::ActualStart(lit("2020-06-08"), span()),
                Attr::Complete(lit("120"), span()),
            ],
        ),
        project(
            "done-no-finish",
            vec![
                Attr::ActualStart(lit("2020-06-08"), span()),
                Attr::Complete(lit("100"), span()),
            ],
        ),
        project(
            "zero-but-finished",
            vec![
                Attr::ActualStart(lit("2020-06-08"), span()),
                Attr::ActualFinish(lit("2020-07-08"), span()),
                Attr::Complete(lit("0"), span()),
            ],
        ),
    ]));
    assert_eq!(
        codes(&diagnostics),
        ["E043", "E044", "E045", "W046", "E052"]
    );
}

#[test]
fn actuals_need_a_status_date() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(vec![
            Attr::Start(lit("2020-04-01"), span()),
            Attr::End(lit("2025-03-31"), span()),
        ]),
        project("a", vec![Attr::ActualStart(lit("2020-06-08"), span())]),
    ]));
    assert_eq!(codes(&diagnostics), ["E044"]);
    assert_eq!(
        diagnostics[0].message,
        "`actual-start` records progress, but the portfolio has no `status-date`"
    );
}

#[test]
fn misplaced_attributes_say_where_they_belong() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        programme("p", vec![duration("2", DurationUnit::Weeks)]),
        milestone("m", None, vec![duration("1", DurationUnit::Days)]),
        Attr::Owner(string("someone"), span()),
    ]));
    assert_eq!(codes(&diagnostics), ["E050", "E047", "E050"]);
    assert_eq!(
        diagnostics[0].message,
        "`duration` is not allowed in a programme"
    );
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("`duration` belongs in a project")
    );
    assert_eq!(
        diagnostics[2].message,
        "`owner` is not allowed at the top level of a file"
    );
}

#[test]
fn fixed_milestones_cannot_have_dependencies() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project("a", vec![]),
        milestone(
            "ofsted",
            Some(ast::MilestoneTiming::On(lit("2021-10-04"))),
            vec![after(&["a"])],
        ),
        milestone("loose", Some(ast::MilestoneTiming::AtStart(span())), vec![]),
    ]));
    assert_eq!(codes(&diagnostics), ["E052", "E013"]);
}

#[test]
fn dates_outside_the_plan_and_deadline_before_not_before() {
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project(
            "a",
            vec![
                Attr::NotBefore(lit("2021-06-01"), span()),
                Attr::Deadline(lit("2021-05-01"), span()),
            ],
        ),
        project("b", vec![Attr::Deadline(lit("2026-01-01"), span())]),
        project("c", vec![Attr::Deadline(lit("2021-02-30"), span())]),
    ]));
    assert_eq!(codes(&diagnostics), ["E042", "E041", "E040"]);
    assert_eq!(
        diagnostics[2].message,
        "`2021-02-30` is not a real date: february 2021 has 28 days"
    );
}

#[test]
fn financial_years_outside_the_plan_are_e048() {
    let mut settings = window();
    settings.push(Attr::TargetSavings {
        amount: Box::new(money("1.2m")),
        fy: lit("2030/31"),
        span: span(),
    });
    settings.push(Attr::Budget {
        kind: ast::BudgetKind::Capital,
        amount: Box::new(money("2.5m")),
        fy: lit("2021/23"),
        span: span(),
    });
    let (_, diagnostics) = validate(plan(vec![portfolio_block(settings)]));
    assert_eq!(codes(&diagnostics), ["E048", "E051"]);
}

#[test]
fn calendars_resolve_and_loops_are_caught() {
    let (portfolio, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        Attr::Calendar(Box::new(block(
            Some("council"),
            vec![
                Attr::BasedOn(ident("weekdays"), span()),
                Attr::Closed {
                    from: lit("2020-12-24"),
                    to: Some(Box::new(lit("2021-01-01"))),
                    reason: Some(Box::new(string("Christmas closure"))),
                    span: span(),
                },
            ],
        ))),
        project("a", vec![Attr::CalendarRef(ident("council"), span())]),
    ]));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let portfolio = portfolio.expect("valid");
    assert_eq!(portfolio.calendars[2].based_on, Some(CalendarId::WEEKDAYS));
    assert_eq!(portfolio.projects[0].calendar, CalendarId(2));

    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        Attr::Calendar(Box::new(block(
            Some("x"),
            vec![Attr::BasedOn(ident("y"), span())],
        ))),
        Attr::Calendar(Box::new(block(
            Some("y"),
            vec![Attr::BasedOn(ident("x"), span())],
        ))),
        project("a", vec![Attr::CalendarRef(ident("councl"), span())]),
    ]));
    assert_eq!(codes(&diagnostics), ["E031", "E022"]);
    assert_eq!(
        diagnostics[0].message,
        "calendar `x` is based on itself: `x` -> `y` -> `x`"
    );
}

/// Every kind of attribute in every kind of block: E050 (E047 for a milestone's duration)
/// exactly where it does not belong, and never a panic.
#[test]
fn every_attribute_is_accepted_at_home_and_refused_elsewhere() {
    #[derive(Clone, Copy, PartialEq, Debug)]
    enum Home {
        Top,
        Portfolio,
        Calendar,
        Programme,
        Project,
        Milestone,
    }
    use Home::*;
    let recurrence = || ast::Recurrence {
        from: ast::When::Finish(span()),
        ramp: None,
        period: None,
        span: span(),
    };
    let samples: Vec<(Attr, Vec<Home>)> = vec![
        (Attr::Start(lit("2020-04-01"), span()), vec![Portfolio]),
        (Attr::End(lit("2025-03-31"), span()), vec![Portfolio]),
        (Attr::StatusDate(lit("2021-01-15"), span()), vec![Portfolio]),
        (Attr::Currency(ident("gbp"), span()), vec![Portfolio]),
        (Attr::DiscountRate(lit("3.5"), span()), vec![Portfolio]),
        (
            Attr::FinancialYearStart(ast::MonthName::April, span()),
            vec![Portfolio],
        ),
        (
            Attr::TargetSavings {
                amount: Box::new(money("1m")),
                fy: lit("2021/22"),
                span: span(),
            },
            vec![Portfolio],
        ),
        (
            Attr::Budget {
                kind: ast::BudgetKind::Revenue,
                amount: Box::new(money("1m")),
                fy: lit("2021/22"),
                span: span(),
            },
            vec![Portfolio],
        ),
        (
            Attr::Rag {
                amber: Box::new(dur("5", DurationUnit::Days)),
                red: Box::new(dur("4", DurationUnit::Weeks)),
                span: span(),
            },
            vec![Portfolio],
        ),
        (Attr::BasedOn(ident("weekdays"), span()), vec![Calendar]),
        (
            Attr::Closed {
                from: lit("2020-12-24"),
                to: None,
                reason: None,
                span: span(),
            },
            vec![Calendar],
        ),
        (
            Attr::Weekend(vec![ast::Weekday::Sun], span()),
            vec![Calendar],
        ),
        (duration("1", DurationUnit::Weeks), vec![Project]),
        (after(&["target"]), vec![Project, Milestone]),
        (Attr::NotBefore(lit("2020-05-01"), span()), vec![Project]),
        (
            Attr::Deadline(lit("2024-05-01"), span()),
            vec![Project, Milestone],
        ),
        (
            Attr::Cost {
                kind: ast::CostKind::Capital,
                amount: money("10k"),
                timing: ast::CostTiming::Spread,
                span: span(),
            },
            vec![Project],
        ),
        (
            Attr::Saving {
                amount: money("10k"),
                recurrence: Box::new(recurrence()),
                range: None,
                span: span(),
            },
            vec![Project],
        ),
        (
            Attr::Benefit {
                label: Box::new(string("Time")),
                amount: money("10k"),
                recurrence: Box::new(recurrence()),
                span: span(),
            },
            vec![Project],
        ),
        (Attr::ActualStart(lit("2020-06-01"), span()), vec![Project]),
        (Attr::Complete(lit("0"), span()), vec![Project]),
        (
            Attr::ActualFinish(lit("2020-07-01"), span()),
            vec![Project, Milestone],
        ),
        (
            Attr::Baseline {
                start: lit("2020-06-01"),
                finish: None,
                span: span(),
            },
            // In a project a one-date baseline is E051 (it needs a finish), not misplaced.
            vec![Project, Milestone],
        ),
        (
            Attr::Owner(string("Someone"), span()),
            vec![Programme, Project, Milestone],
        ),
        (
            Attr::ThemeRef(ident("access"), span()),
            vec![Programme, Project, Milestone],
        ),
        (
            Attr::Tags(vec![ident("x")], span()),
            vec![Programme, Project, Milestone],
        ),
        (
            Attr::Description(string("Why"), span()),
            vec![Programme, Project, Milestone],
        ),
        (
            Attr::CalendarRef(ident("weekdays"), span()),
            vec![Portfolio, Project],
        ),
    ];
    for (attr, homes) in samples {
        for place in [Top, Portfolio, Calendar, Programme, Project, Milestone] {
            let one = vec![attr.clone()];
            let mut items = vec![
                Attr::Theme {
                    id: ident("access"),
                    title: Box::new(string("Access")),
                    span: span(),
                },
                project("target", vec![]),
            ];
            match place {
                Top => {
                    items.push(portfolio_block(window()));
                    items.extend(one);
                }
                Portfolio => items.push(portfolio_block([window(), one].concat())),
                Calendar => {
                    items.push(portfolio_block(window()));
                    items.push(Attr::Calendar(Box::new(block(Some("council"), one))));
                }
                Programme => {
                    items.push(portfolio_block(window()));
                    items.push(programme("group", one));
                }
                Project => {
                    items.push(portfolio_block(window()));
                    items.push(project("work", one));
                }
                Milestone => {
                    items.push(portfolio_block(window()));
                    items.push(milestone("event", None, one));
                }
            }
            let (_, diagnostics) = validate(plan(items));
            let found = codes(&diagnostics);
            let keyword = attr.keyword();
            if homes.contains(&place) {
                assert!(
                    !found.contains(&"E050"),
                    "`{keyword}` in {place:?}: {diagnostics:#?}"
                );
            } else if keyword == "duration" && place == Milestone {
                assert_eq!(found, ["E047"], "`{keyword}` in {place:?}");
            } else {
                assert!(
                    found.contains(&"E050"),
                    "`{keyword}` in {place:?}: {diagnostics:#?}"
                );
            }
        }
    }
}

/// After a syntax error parts of a file may be missing from its tree: the errors that would
/// follow from that are held back, the others still reported.
#[test]
fn errors_a_syntax_error_can_cause_are_held_back() {
    let items = vec![
        portfolio_block(vec![Attr::End(lit("2025-03-31"), span())]),
        Attr::Project(Box::new(block(Some("broken-header"), vec![]))),
        duration("2", DurationUnit::Months),
        project(
            "c",
            vec![after(&["lost"]), Attr::Complete(lit("120"), span())],
        ),
    ];
    let clean = plan(items.clone());
    let (_, all) = validate(clean);
    assert_eq!(codes(&all), ["E013", "E013", "E050", "E020", "E045"]);
    let mut broken = plan(items);
    broken.unparsed.insert(FileId(0));
    let (portfolio, held) = validate(broken);
    assert!(portfolio.is_none());
    assert_eq!(codes(&held), ["E045"]);
    let (_, none) = validate(plan_with(vec![], BTreeMap::new(), BTreeMap::new()));
    assert_eq!(codes(&none), ["E010"]);

    // Only a held-back error: still no portfolio from a partial tree.
    let mut partial = plan(vec![
        portfolio_block(window()),
        project("c", vec![after(&["lost"])]),
    ]);
    partial.unparsed.insert(FileId(0));
    let (portfolio, diagnostics) = validate(partial);
    assert!(diagnostics.is_empty());
    assert!(portfolio.is_none());
}

#[test]
fn same_named_milestones_in_two_projects_get_a_unique_id_suggested() {
    let at_finish = || Some(ast::MilestoneTiming::AtFinish(span()));
    let (_, diagnostics) = validate(plan(vec![
        portfolio_block(window()),
        project("a", vec![milestone("live", at_finish(), vec![])]),
        project("b", vec![milestone("live", at_finish(), vec![])]),
    ]));
    assert_eq!(codes(&diagnostics), ["E021"]);
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some(
            "milestone ids are shared by the whole plan, even inside projects: call this one `b-live`, say"
        )
    );
}
