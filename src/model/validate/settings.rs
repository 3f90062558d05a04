//! The portfolio block (E010-E014, E048) and calendar declarations (based-on loops, closures).

use std::collections::BTreeMap;

use compact_str::CompactString;

use super::{
    BUILT_IN_CALENDARS, FIRST_DECLARED_CALENDAR, Header, Named, Once, Owner, Settings, Validator,
    budget_word, fy_label, month_number, weekday,
};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::model::{
    BenefitRag, Budget, BudgetKind, CalendarDef, CalendarId, Closure, FinancialYear, LintSettings,
    RagThresholds, RiskDistribution, Target, values,
};
use crate::money::{MoneyScale, Percent};
use crate::syntax::ast::{self, Attr};

/// What reading the portfolio block's lines remembers from one line to the next: settings
/// given once, the years targets and budgets name (E012 for a second one, E048 for one outside
/// the plan), where the status date was given.
struct SettingsRead<'n> {
    once: Once<'n>,
    status_span: Option<Span>,
    /// The first savings target (`None`) and the first capital (`Some(true)`) and revenue
    /// budget of each year, where E012 points when another is given.
    firsts_in_year: BTreeMap<(Option<bool>, FinancialYear), Span>,
    fy_literals: Vec<(FinancialYear, Span)>,
    /// Each lint threshold given (`lint long-lag ...`), where E012 points when it is given
    /// again. (`lint profile` is one setting of `once`.)
    lint_thresholds: Vec<(CompactString, Span)>,
}

impl Settings {
    /// The settings of a portfolio block that says nothing: England and Wales, pounds, the
    /// Green Book's 3.5%, April financial years, RAG at 10 and 30 working days.
    fn defaults(block: &Header) -> Settings {
        Settings {
            title: block
                .title
                .as_ref()
                .map(|t| t.value.to_string())
                .unwrap_or_else(|| "Portfolio".to_string()),
            start: None,
            end: None,
            window: None,
            status_date: None,
            calendar: CalendarId::ENGLAND_AND_WALES,
            currency: "GBP".to_string(),
            symbol: "£",
            discount_rate: Percent(350),
            optimism_bias: None,
            financial_year_start: 4,
            targets: Vec::new(),
            budgets: Vec::new(),
            rag: RagThresholds {
                amber_days: 10,
                red_days: 30,
            },
            benefit_rag: BenefitRag::default(),
            risk_distribution: None,
            money_scale: None,
            confidence: None,
            appraisal_months: None,
            lint: LintSettings::default(),
            span: block.span,
        }
    }
}

impl Validator {
    /// The portfolio block's settings, with E010/E011 for a missing or second block and E013
    /// for missing `start`/`end`. `None` when there is no portfolio block at all.
    pub(super) fn portfolio_settings(&mut self) -> Option<Settings> {
        let Some(first) = self.portfolios.first_mut() else {
            let span = Span::new(self.root, 0, 0);
            self.error(
                Diagnostic::new(Code::E010MissingPortfolio, span, "this plan has no `portfolio` block")
                    .with_hint("add `portfolio \"Title\" { start 2020-04-01 end 2025-03-31 }` to the main file"),
            );
            return None;
        };
        let block = std::mem::take(&mut first.block);
        // Resolved once: the attributes move out of the declaration.
        let attrs = std::mem::take(&mut first.attrs);
        self.second_portfolios(block.keyword_span);

        let mut settings = Settings::defaults(&block);
        let mut read = SettingsRead {
            once: Once::new(Named::phrase("the portfolio block")),
            status_span: None,
            firsts_in_year: BTreeMap::new(),
            fy_literals: Vec::new(),
            lint_thresholds: Vec::new(),
        };
        // Currency first: every amount below is read in it, whatever order the lines are in.
        for attr in attrs.iter() {
            if let Attr::Currency(code, _) = attr {
                self.currency(attr, code, &mut settings, &mut read.once);
            }
        }
        // The lint profile next: a `lint` threshold replaces the profile's, in any order.
        for attr in attrs.iter() {
            if let Attr::Lint { name, value, .. } = attr {
                if name.name == "profile" && read.once.first(attr, &mut self.diagnostics) {
                    if let Some(profile) = self.lint_profile(value) {
                        settings.lint = LintSettings::for_profile(profile);
                    }
                }
            }
        }
        for attr in attrs.iter() {
            self.portfolio_setting(attr, &mut settings, &mut read);
        }
        self.plan_window(&block, &mut settings, &read);
        self.financial_years_in_plan(&settings, &read.fy_literals);
        Some(settings)
    }

    /// E011 at every portfolio block after the first.
    fn second_portfolios(&mut self, first: Span) {
        let extra: Vec<Span> = self
            .portfolios
            .iter()
            .skip(1)
            .map(|p| p.block.keyword_span)
            .collect();
        for span in extra {
            self.error(
                Diagnostic::new(
                    Code::E011SecondPortfolio,
                    span,
                    "a plan has one `portfolio` block, and this is a second",
                )
                .with_note(Some(first), "the first `portfolio` block is here")
                .with_hint(
                    "move these settings into the first portfolio block and delete this one",
                ),
            );
        }
    }

    /// `currency GBP`: the code and the symbol amounts are written with.
    fn currency(
        &mut self,
        attr: &Attr,
        code: &ast::Ident,
        settings: &mut Settings,
        once: &mut Once,
    ) {
        if !once.first(attr, &mut self.diagnostics) {
            return;
        }
        match values::currency_symbol(&code.name) {
            Some(symbol) => {
                settings.currency = code.name.to_ascii_uppercase().to_string();
                // Amounts are still read in the plan's own symbol, so that this line is the
                // one error, not every amount after it.
                settings.symbol = symbol;
                if symbol != "£" {
                    self.error(
                        Diagnostic::new(
                            Code::E051BadValue,
                            code.span,
                            format!(
                                "tranche shows every amount in pounds, so a plan in `{}` cannot \
                                 be reported yet",
                                settings.currency
                            ),
                        )
                        .with_hint(
                            "write the plan's amounts in pounds (`£`) and remove this line: \
                             tranche's checks, reports and exports would show these amounts \
                             with a `£`",
                        ),
                    );
                }
            }
            None => self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    code.span,
                    format!("unknown currency `{}`", code.name),
                )
                .with_hint("tranche plans are in pounds: `currency GBP`, the default"),
            ),
        }
    }

    /// One line of the portfolio block (the currency already read).
    fn portfolio_setting(&mut self, attr: &Attr, settings: &mut Settings, read: &mut SettingsRead) {
        match attr {
            Attr::Currency(..) => {}
            Attr::Start(date, _) if read.once.first(attr, &mut self.diagnostics) => {
                settings.start = self.date(date);
            }
            Attr::End(date, _) if read.once.first(attr, &mut self.diagnostics) => {
                settings.end = self.date(date);
            }
            Attr::StatusDate(date, span) if read.once.first(attr, &mut self.diagnostics) => {
                settings.status_date = self.date(date);
                read.status_span = Some(*span);
            }
            Attr::CalendarRef(id, _) if read.once.first(attr, &mut self.diagnostics) => {
                if let Some(calendar) = self.calendar_ref(id) {
                    settings.calendar = calendar;
                }
            }
            Attr::DiscountRate(rate, _) if read.once.first(attr, &mut self.diagnostics) => {
                if let Some(rate) = self.discount_rate(rate) {
                    settings.discount_rate = rate;
                }
            }
            Attr::OptimismBias(value, _) if read.once.first(attr, &mut self.diagnostics) => {
                settings.optimism_bias = self.optimism_bias(value);
            }
            Attr::FinancialYearStart(month, _) if read.once.first(attr, &mut self.diagnostics) => {
                settings.financial_year_start = month_number(*month);
            }
            Attr::Rag { amber, red, span } if read.once.first(attr, &mut self.diagnostics) => {
                if let Some(rag) = self.rag_thresholds(amber, red, *span) {
                    settings.rag = rag;
                }
            }
            Attr::RagBenefits { amber, red, span }
                if read.once.first(attr, &mut self.diagnostics) =>
            {
                if let Some(rag) = self.benefit_rag(amber, red, *span) {
                    settings.benefit_rag = rag;
                }
            }
            Attr::TargetSavings {
                amount,
                fy,
                accept,
                span,
            } => {
                let accept = accept.as_ref().map(|reason| reason.value.to_string());
                self.savings_target(amount, fy, accept, *span, settings, read);
            }
            Attr::Budget {
                kind,
                amount,
                fy,
                span,
            } => self.budget(*kind, amount, fy, *span, settings, read),
            Attr::Appraisal(length, _) if read.once.first(attr, &mut self.diagnostics) => {
                settings.appraisal_months = self.appraisal(length);
            }
            Attr::RiskDistribution(name, _) if read.once.first(attr, &mut self.diagnostics) => {
                if let Some(distribution) = self.risk_distribution(name) {
                    settings.risk_distribution = Some(distribution);
                }
            }
            Attr::ReportMoney(name, _) if read.once.first(attr, &mut self.diagnostics) => {
                settings.money_scale = self.money_scale(name);
            }
            Attr::Confidence { .. } if read.once.first(attr, &mut self.diagnostics) => {
                settings.confidence = self.confidence(attr);
            }
            // Given twice: `once` has said so.
            Attr::Start(..)
            | Attr::ReportMoney(..)
            | Attr::Confidence { .. }
            | Attr::End(..)
            | Attr::StatusDate(..)
            | Attr::CalendarRef(..)
            | Attr::DiscountRate(..)
            | Attr::FinancialYearStart(..)
            | Attr::Rag { .. }
            | Attr::RagBenefits { .. }
            | Attr::RiskDistribution(..)
            | Attr::OptimismBias(..)
            | Attr::Appraisal(..) => {}
            Attr::Lint { name, value, span } => {
                if name.name != "profile" && !self.lint_threshold_once(name, *span, read) {
                    return;
                }
                self.lint_setting(name, value, &mut settings.lint);
            }
            Attr::Allow(codes, _) => {
                let mut allows = self.allows(codes, None);
                settings.lint.allows.append(&mut allows);
            }
            other => self.misplaced(other, Owner::Portfolio(0)),
        }
    }

    /// `true` the first time a lint threshold is given; E012 (pointing at both) when the same
    /// lint's threshold is given again, as for every other setting.
    fn lint_threshold_once(
        &mut self,
        name: &ast::Ident,
        span: Span,
        read: &mut SettingsRead<'_>,
    ) -> bool {
        let first = read
            .lint_thresholds
            .iter()
            .find(|(lint, _)| *lint == name.name)
            .map(|(_, first)| *first);
        match first {
            Some(first) => {
                self.error(
                    Diagnostic::new(
                        Code::E012DuplicateSetting,
                        span,
                        format!("`lint {}` is given twice in the portfolio block", name.name),
                    )
                    .with_note(
                        Some(first),
                        format!("`lint {}` is first given here", name.name),
                    )
                    .with_hint(format!("keep one `lint {}` line", name.name)),
                );
                false
            }
            None => {
                read.lint_thresholds.push((name.name.clone(), span));
                true
            }
        }
    }

    /// `appraisal 10 years`: calendar months or years, at least a year (the Green Book
    /// appraises over years) and at most the calendars' range, which `appraisal_end` caps.
    fn appraisal(&mut self, length: &ast::DurationLit) -> Option<u32> {
        if matches!(
            length.unit,
            ast::DurationUnit::Days | ast::DurationUnit::Weeks
        ) {
            self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    length.span,
                    "an appraisal period is calendar time: give it in years or months",
                )
                .with_hint("write e.g. `appraisal 10 years`"),
            );
            return None;
        }
        match values::months(length, "appraisal") {
            Ok(months) if months < 12 => {
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        length.span,
                        "an appraisal period must be at least a year",
                    )
                    .with_hint(
                        "the Green Book appraises over years: write e.g. `appraisal 10 years`",
                    ),
                );
                None
            }
            Ok(months) => Some(months),
            Err(d) => {
                self.error(d);
                None
            }
        }
    }

    /// `discount-rate 3.5%`, at most 100%.
    fn discount_rate(&mut self, rate: &ast::Literal) -> Option<Percent> {
        match values::percent(rate) {
            Ok(p) if p > Percent::HUNDRED => {
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        rate.span,
                        format!("a discount rate of {p} is more than 100%"),
                    )
                    .with_hint("the HM Treasury Green Book rate is `3.5%`"),
                );
                None
            }
            Ok(p) => Some(p),
            Err(d) => {
                self.error(d);
                None
            }
        }
    }

    /// `rag amber 10 days red 30 days`: amber at most red.
    fn rag_thresholds(
        &mut self,
        amber: &ast::DurationLit,
        red: &ast::DurationLit,
        span: Span,
    ) -> Option<RagThresholds> {
        // Both read before either is judged, so each says what is wrong with it.
        let (a, r) = (self.days(amber), self.days(red));
        let (a, r) = (a?, r?);
        if a > r {
            self.error(
                Diagnostic::new(Code::E052Conflict, span, amber_above_red(a, r))
                    .with_hint("amber warns before red: make amber the smaller slippage"),
            );
            return None;
        }
        Some(RagThresholds {
            amber_days: u32::try_from(a).unwrap_or(u32::MAX),
            red_days: u32::try_from(r).unwrap_or(u32::MAX),
        })
    }

    /// `rag benefits amber 95% red 80%`: shares of the plan from 0% to 100%, amber at least red.
    fn benefit_rag(
        &mut self,
        amber: &ast::Literal,
        red: &ast::Literal,
        span: Span,
    ) -> Option<BenefitRag> {
        let mut share = |literal: &ast::Literal| {
            self.percent_at_most(
                literal,
                Percent::HUNDRED,
                |value| format!("{value} of the plan is more than all of it"),
                "give the share of the planned amount that must be realised, from 0% to 100%",
            )
        };
        let (a, r) = (share(amber), share(red));
        let (amber, red) = (a?, r?);
        if red > amber {
            self.error(
                Diagnostic::new(
                    Code::E052Conflict,
                    span,
                    format!("the red threshold {red} is above the amber threshold {amber}"),
                )
                .with_hint("a line turns amber first: amber is the larger share, e.g. `rag benefits amber 95% red 80%`"),
            );
            return None;
        }
        Some(BenefitRag { amber, red })
    }

    /// E012 for a second target or budget of a financial year: `what` is given twice for `fy`,
    /// and the hint keeps one `per` financial year.
    fn given_twice(&mut self, span: Span, first: Span, what: &str, fy: &ast::Literal, per: &str) {
        let noun = per.split(' ').next().unwrap_or(per);
        self.error(
            Diagnostic::new(
                Code::E012DuplicateSetting,
                span,
                format!("{what} for {} is given twice", fy.text),
            )
            .with_note(
                Some(first),
                format!("the first {noun} for that year is here"),
            )
            .with_hint(format!("keep one {per} per financial year")),
        );
    }

    /// The year a savings target (`budget` `None`) or a budget is for, its literal kept for
    /// E048; `None` when it does not read, or when the year already has one (E012, pointing
    /// at the first).
    fn once_a_year(
        &mut self,
        fy: &ast::Literal,
        budget: Option<BudgetKind>,
        span: Span,
        read: &mut SettingsRead,
    ) -> Option<FinancialYear> {
        let year = self.financial_year(fy)?;
        read.fy_literals.push((year, fy.span));
        let key = (budget.map(|kind| kind == BudgetKind::Capital), year);
        let first = *read.firsts_in_year.entry(key).or_insert(span);
        if first == span {
            return Some(year);
        }
        match budget {
            None => self.given_twice(span, first, "a savings target", fy, "target"),
            Some(kind) => {
                let what = format!("a {} budget", budget_word(kind));
                self.given_twice(span, first, &what, fy, "budget of each kind");
            }
        }
        None
    }

    /// `target savings £1.2m in 2022/23`: one target a year (E012).
    fn savings_target(
        &mut self,
        amount: &ast::MoneyLit,
        fy: &ast::Literal,
        accept: Option<String>,
        span: Span,
        settings: &mut Settings,
        read: &mut SettingsRead,
    ) {
        let amount = self.money(amount, settings);
        let Some(year) = self.once_a_year(fy, None, span, read) else {
            return;
        };
        if let Some(amount) = amount {
            settings.targets.push(Target {
                amount,
                year,
                accept,
                span,
            });
        }
    }

    /// `budget capital £2.5m in 2021/22`: one budget of each kind a year (E012).
    fn budget(
        &mut self,
        kind: ast::BudgetKind,
        amount: &ast::MoneyLit,
        fy: &ast::Literal,
        span: Span,
        settings: &mut Settings,
        read: &mut SettingsRead,
    ) {
        let amount = self.money(amount, settings);
        let kind = match kind {
            ast::BudgetKind::Capital => BudgetKind::Capital,
            ast::BudgetKind::Revenue => BudgetKind::Revenue,
        };
        let Some(year) = self.once_a_year(fy, Some(kind), span, read) else {
            return;
        };
        if let Some(amount) = amount {
            settings.budgets.push(Budget {
                kind,
                amount,
                year,
                span,
            });
        }
    }

    /// `report money pounds|thousands|millions`.
    fn money_scale(&mut self, name: &ast::Ident) -> Option<MoneyScale> {
        let scale = MoneyScale::from_name(&name.name);
        if scale.is_none() {
            self.error(
                Diagnostic::new(
                    Code::E051BadValue,
                    name.span,
                    format!("unknown money scale `{}`", name.name),
                )
                .with_hint(
                    "write `report money thousands` (£2,219k, the default), `report money millions` (£2.2m) or `report money pounds` (to the penny)",
                ),
            );
        }
        scale
    }

    /// `risk distribution pert|triangular`.
    fn risk_distribution(&mut self, name: &ast::Ident) -> Option<RiskDistribution> {
        match name.name.as_str() {
            "pert" => Some(RiskDistribution::Pert),
            "triangular" => Some(RiskDistribution::Triangular),
            other => {
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        name.span,
                        format!("unknown risk distribution `{other}`"),
                    )
                    .with_hint(
                        "write `risk distribution pert` (the default) or `risk distribution triangular`",
                    ),
                );
                None
            }
        }
    }

    /// E013 for a missing `start` or `end`, E014 for an end before the start or a status date
    /// outside the plan; the window is set only when both ends are valid and in order.
    fn plan_window(&mut self, block: &Header, settings: &mut Settings, read: &SettingsRead) {
        for (value, keyword, example) in [
            (settings.start, "start", "start 2020-04-01"),
            (settings.end, "end", "end 2025-03-31"),
        ] {
            if value.is_none() && !read.once.seen(keyword) {
                self.error(
                    Diagnostic::new(
                        Code::E013MissingSetting,
                        block.keyword_span,
                        format!("the portfolio block has no `{keyword}`"),
                    )
                    .with_hint(format!(
                        "add `{example}`: the plan window runs from `start` to `end`"
                    )),
                );
            }
        }
        if let (Some(start), Some(end)) = (settings.start, settings.end) {
            if end < start {
                let span = read.once.span("end").unwrap_or(block.keyword_span);
                self.error(
                    Diagnostic::new(
                        Code::E014BadPlanWindow,
                        span,
                        format!("the plan ends on {end}, before it starts on {start}"),
                    )
                    .with_hint("swap `start` and `end`, or correct one of them"),
                );
            } else {
                settings.window = Some((start, end));
            }
        }
        if let (Some(status), Some((start, end)), Some(span)) =
            (settings.status_date, settings.window, read.status_span)
        {
            if status < start || status > end {
                self.error(
                    Diagnostic::new(
                        Code::E014BadPlanWindow,
                        span,
                        format!("the status date {status} is outside the plan ({start} to {end})"),
                    )
                    .with_hint("the status date is the day progress is reported as of: it must lie in the plan"),
                );
            }
        }
    }

    /// E048 for a target or budget in a financial year the plan does not reach.
    fn financial_years_in_plan(&mut self, settings: &Settings, years: &[(FinancialYear, Span)]) {
        let Some((start, end)) = settings.window else {
            return;
        };
        for &(year, span) in years {
            let Some((first, last)) =
                values::financial_year_days(year, settings.financial_year_start)
            else {
                continue;
            };
            if last < start || first > end {
                self.error(
                    Diagnostic::new(
                        Code::E048FinancialYearOutsidePlan,
                        span,
                        format!(
                            "financial year {} ({first} to {last}) lies outside the plan ({start} to {end})",
                            fy_label(year)
                        ),
                    )
                    .with_hint("give targets and budgets for financial years the plan covers"),
                );
            }
        }
    }

    /// The built-in calendars, then each declared one in order (ids are indices into the
    /// list); E031 for a `based-on` chain that comes back to where it began.
    pub(super) fn resolve_calendars(&mut self) -> Vec<CalendarDef> {
        let mut calendars: Vec<CalendarDef> = BUILT_IN_CALENDARS
            .iter()
            .map(|(id, calendar)| CalendarDef {
                id: (*id).to_string(),
                based_on: None,
                weekend: None,
                closed: Vec::new(),
                bank_holidays: *calendar == CalendarId::ENGLAND_AND_WALES,
                span: Span::default(),
            })
            .collect();
        let mut based_on_spans: Vec<Option<Span>> = Vec::new();
        for i in 0..self.calendars.len() {
            let Some((definition, based_on_span)) = self.calendar(i) else {
                continue;
            };
            based_on_spans.push(based_on_span);
            calendars.push(definition);
        }
        self.based_on_loops(&calendars, &based_on_spans);
        calendars
    }

    /// Declared calendar `i` with the span of its `based-on` line, if it has one that reads.
    fn calendar(&mut self, i: usize) -> Option<(CalendarDef, Option<Span>)> {
        let decl = self.calendars.get_mut(i)?;
        let (id, block, attrs) = (
            decl.id.clone(),
            std::mem::take(&mut decl.block),
            std::mem::take(&mut decl.attrs),
        );
        let mut once = Once::new(Named::item("calendar", &id));
        // A calendar with no `based-on` extends England and Wales, the portfolio default:
        // a council's own calendar nearly always keeps the bank holidays.
        let mut definition = CalendarDef {
            id: id.name.to_string(),
            based_on: Some(CalendarId::ENGLAND_AND_WALES),
            weekend: None,
            closed: Vec::new(),
            bank_holidays: false,
            span: block.span,
        };
        let mut based_on_span = None;
        for attr in attrs.iter() {
            match attr {
                Attr::BasedOn(base, span) if once.first(attr, &mut self.diagnostics) => {
                    if let Some(base) = self.calendar_ref(base) {
                        definition.based_on = Some(base);
                        based_on_span = Some(*span);
                    }
                }
                Attr::Weekend(days, span) if once.first(attr, &mut self.diagnostics) => {
                    let mut weekend: Vec<chrono::Weekday> =
                        days.iter().map(|d| weekday(*d)).collect();
                    weekend.sort_by_key(|d| d.num_days_from_monday());
                    weekend.dedup();
                    if weekend.len() == 7 {
                        self.error(
                            Diagnostic::new(
                                Code::E051BadValue,
                                *span,
                                "a weekend of all seven days leaves no working days",
                            )
                            .with_hint(
                                "list only the days that are not worked, such as `weekend sat sun`",
                            ),
                        );
                    } else {
                        definition.weekend = Some(weekend);
                    }
                }
                Attr::Closed {
                    from,
                    to,
                    reason,
                    span,
                } => {
                    if let Some(closure) =
                        self.closure(from, to.as_deref(), reason.as_deref(), *span)
                    {
                        definition.closed.push(closure);
                    }
                }
                Attr::BasedOn(..) | Attr::Weekend(..) => {}
                other => self.misplaced(other, Owner::Calendar(i)),
            }
        }
        Some((definition, based_on_span))
    }

    /// `closed FROM [to TO] ["reason"]`: real dates, in order (E043 if not).
    fn closure(
        &mut self,
        from: &ast::Literal,
        to: Option<&ast::Literal>,
        reason: Option<&ast::Str>,
        span: Span,
    ) -> Option<Closure> {
        let from_date = self.date(from);
        let to_date = match to {
            Some(to) => self.date(to),
            None => from_date,
        };
        let (from_date, to_date) = (from_date?, to_date?);
        if to_date < from_date {
            self.error(
                Diagnostic::new(
                    Code::E043FinishBeforeStart,
                    span,
                    format!("the closure ends on {to_date}, before it starts on {from_date}"),
                )
                .with_hint("write the earlier date first: `closed FROM to TO`"),
            );
            return None;
        }
        Some(Closure {
            from: from_date,
            to: to_date,
            reason: reason.map(|r| r.value.to_string()),
            span,
        })
    }

    /// E031 for a `based-on` chain that loops instead of ending at a built-in calendar,
    /// reported once, at the calendar on the loop declared first. `based_on_spans` has one
    /// entry for each declared calendar, from [`FIRST_DECLARED_CALENDAR`] on.
    fn based_on_loops(&mut self, calendars: &[CalendarDef], based_on_spans: &[Option<Span>]) {
        for (i, span) in based_on_spans.iter().enumerate() {
            let me = i + FIRST_DECLARED_CALENDAR;
            let mut current = calendars.get(me).and_then(|c| c.based_on);
            let mut path = vec![me];
            let mut steps = 0;
            while let Some(next) = current {
                let next = next.0 as usize;
                if next == me || steps > calendars.len() {
                    break;
                }
                path.push(next);
                current = calendars.get(next).and_then(|c| c.based_on);
                steps += 1;
            }
            let on_loop = current.map(|c| c.0 as usize) == Some(me);
            if on_loop && path.iter().all(|&p| p >= me) {
                let names: Vec<String> = path
                    .iter()
                    .chain(std::iter::once(&me))
                    .filter_map(|&p| calendars.get(p).map(|c| format!("`{}`", c.id)))
                    .collect();
                let span =
                    span.unwrap_or_else(|| calendars.get(me).map(|c| c.span).unwrap_or_default());
                self.error(
                    Diagnostic::new(
                        Code::E031SelfDependency,
                        span,
                        format!(
                            "calendar `{}` is based on itself: {}",
                            calendars.get(me).map(|c| c.id.as_str()).unwrap_or(""),
                            names.join(" -> ")
                        ),
                    )
                    .with_hint("base one of these calendars on `england-and-wales` or `weekdays`"),
                );
            }
        }
    }
}

/// E052's message for an amber threshold above the red one.
fn amber_above_red(amber: impl std::fmt::Display, red: impl std::fmt::Display) -> String {
    format!(
        "the amber threshold ({}) is above the red one ({red})",
        crate::diagnostic::count::count(amber, "working day", "working days")
    )
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn amber_above_red_agrees_in_number() {
        assert_eq!(
            super::amber_above_red(1, 0),
            "the amber threshold (1 working day) is above the red one (0)"
        );
        assert_eq!(
            super::amber_above_red(2, 1),
            "the amber threshold (2 working days) is above the red one (1)"
        );
    }
}
