//! Names to ids: dependency targets, money anchors, themes and calendars, with did-you-mean
//! suggestions (E020, E022-E024), duplicate and self dependencies (E031, E032).

use super::{Named, Validator, contains, did_you_mean, item_id, reference_text};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::names::{Entry, Kind};
use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use crate::model::{CalendarId, Dependency, ItemId, LinkKind, Programme, ThemeId, names};
use crate::syntax::ast::{self, Attr};

impl Validator {
    /// Resolves a dependency target or a money anchor. `wanted` are the kinds that fit;
    /// `expected` says them in words; `context` names what holds the reference, and is only
    /// formatted into a message when there is a problem.
    pub(super) fn reference(
        &mut self,
        reference: &ast::Reference,
        wanted: &[Kind],
        expected: &str,
        context: &dyn std::fmt::Display,
    ) -> Option<Entry> {
        match reference.parts() {
            [single] => self.single_reference(single, wanted, expected, context),
            [project, milestone] => {
                let owner = self.project_before_dot(project, milestone)?;
                let found = self.milestone_of(owner, project, milestone, wanted)?;
                if !wanted.contains(&Kind::Milestone) {
                    self.error(
                        Diagnostic::new(
                            Code::E024WrongKind,
                            reference.span(),
                            format!(
                                "`{}.{}` is a milestone, but {context} needs a {expected}",
                                project.name, milestone.name
                            ),
                        )
                        .with_hint(format!("name a {expected} here")),
                    );
                    return None;
                }
                Some(found)
            }
            _ => {
                self.error(
                    Diagnostic::new(
                        Code::E020UnknownReference,
                        reference.span(),
                        "a reference is an id, or `project.milestone`",
                    )
                    .with_hint("use at most one dot"),
                );
                None
            }
        }
    }

    /// A reference by one id: declared (E020 with a suggestion if not), and of a wanted kind
    /// (E024 if not).
    fn single_reference(
        &mut self,
        single: &ast::Ident,
        wanted: &[Kind],
        expected: &str,
        context: &dyn std::fmt::Display,
    ) -> Option<Entry> {
        let Some(entry) = self.names.get(&single.name) else {
            let suggestion = self.names.suggest(&single.name, wanted).map(str::to_string);
            self.unknown(Code::E020UnknownReference, single, expected, suggestion);
            return None;
        };
        if !wanted.contains(&entry.kind) {
            self.error(
                Diagnostic::new(
                    Code::E024WrongKind,
                    single.span,
                    format!(
                        "`{}` is a {}, but {context} needs a {expected}",
                        single.name,
                        entry.kind.noun()
                    ),
                )
                .with_hint(self.wrong_kind_hint(entry, &single.name, expected)),
            );
            return None;
        }
        Some(entry)
    }

    /// The project before the dot of `project.milestone`: declared (E020 if not), and a
    /// project (E024 if not).
    fn project_before_dot(
        &mut self,
        project: &ast::Ident,
        milestone: &ast::Ident,
    ) -> Option<Entry> {
        let Some(owner) = self.names.get(&project.name) else {
            let suggestion = self
                .names
                .suggest(&project.name, &[Kind::Project])
                .map(str::to_string);
            self.unknown(Code::E020UnknownReference, project, "project", suggestion);
            return None;
        };
        if owner.kind != Kind::Project {
            self.error(
                Diagnostic::new(
                    Code::E024WrongKind,
                    project.span,
                    format!(
                        "`{}` is a {}, but `{}.{}` needs a project before the dot",
                        project.name,
                        owner.kind.noun(),
                        project.name,
                        milestone.name
                    ),
                )
                .with_hint("write `project.milestone`, or the milestone's own id alone"),
            );
            return None;
        }
        Some(owner)
    }

    /// The milestone after the dot, which must be one declared in project `owner` (E020 with
    /// the likeliest fix if not).
    fn milestone_of(
        &mut self,
        owner: Entry,
        project: &ast::Ident,
        milestone: &ast::Ident,
        wanted: &[Kind],
    ) -> Option<Entry> {
        let found = self.names.get(&milestone.name).filter(|e| {
            e.kind == Kind::Milestone
                && self
                    .milestones
                    .get(e.index as usize)
                    .and_then(|m| m.project)
                    == Some(owner.index as usize)
        });
        if found.is_some() {
            return found;
        }
        let own: Vec<&str> = self
            .projects
            .get(owner.index as usize)
            .map(|p| {
                p.milestones
                    .iter()
                    .filter_map(|m| self.milestones.get(m.0 as usize))
                    .map(|m| m.id.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let suggestion = names::suggest(&milestone.name, own.into_iter()).map(str::to_string);
        let diagnostic = Diagnostic::new(
            Code::E020UnknownReference,
            milestone.span,
            format!(
                "project `{}` has no milestone `{}`{}",
                project.name,
                milestone.name,
                did_you_mean(suggestion.as_deref())
            ),
        )
        .with_hint(self.no_such_milestone_hint(project, milestone, suggestion, wanted));
        self.error(diagnostic);
        None
    }

    /// What to write for `project.milestone` when the project has no such milestone.
    fn no_such_milestone_hint(
        &self,
        project: &ast::Ident,
        milestone: &ast::Ident,
        suggestion: Option<String>,
        wanted: &[Kind],
    ) -> String {
        match suggestion {
            Some(s) => format!("change it to `{}.{s}`", project.name),
            None if self
                .names
                .get(&milestone.name)
                .is_some_and(|e| e.kind == Kind::Milestone) =>
            {
                format!(
                    "`{}` is declared outside project `{}`: refer to it as `{}` alone",
                    milestone.name, project.name, milestone.name
                )
            }
            // `discovery.finish` or `discovery.start`: the project's own ends, which are
            // written without a milestone.
            None if milestone.name == "finish" && wanted.contains(&Kind::Project) => format!(
                "to wait for the finish of `{p}`, write `after {p}`; for its start, `after start of {p}`",
                p = project.name
            ),
            None if milestone.name == "start" && wanted.contains(&Kind::Project) => format!(
                "to wait for the start of `{p}`, write `after start of {p}`; for its finish, `after {p}`",
                p = project.name
            ),
            None => format!(
                "declare `milestone {} at finish` inside project `{}`, or correct the name",
                milestone.name, project.name
            ),
        }
    }

    /// What to write instead of a name of the wrong kind. Money timed from a project most
    /// often means the project's go-live, so point at its milestones and at `finish`.
    fn wrong_kind_hint(&self, entry: Entry, name: &str, expected: &str) -> String {
        if entry.kind == Kind::Project && expected == "milestone" {
            let first = self
                .projects
                .get(entry.index as usize)
                .and_then(|p| p.milestones.first())
                .and_then(|m| self.milestones.get(m.0 as usize));
            return match first {
                Some(m) => format!(
                    "name one of its milestones, such as `{name}.{}`, or write `finish` for this project's own go-live",
                    m.id.name
                ),
                None => format!(
                    "declare a milestone in `{name}` (`milestone {name}-live at finish`) and name it here, or write `finish` for this project's own go-live"
                ),
            };
        }
        match entry.kind {
            // Themes and calendars have namespaces of their own: no work is called this.
            Kind::Theme | Kind::Calendar => format!(
                "{}, so nothing waits for it; name the {expected} that must come first (themes and calendars have ids of their own: no work is called `{name}`)",
                if entry.kind == Kind::Theme {
                    "a theme groups work for reporting"
                } else {
                    "a calendar says which days are worked"
                }
            ),
            _ => format!("name a {expected} here"),
        }
    }

    pub(super) fn unknown(
        &mut self,
        code: Code,
        name: &ast::Ident,
        expected: &str,
        suggestion: Option<String>,
    ) {
        let hint = match &suggestion {
            Some(s) => format!("change it to `{s}`"),
            None => format!(
                "declare a {expected} called `{}`, or correct the name",
                name.name
            ),
        };
        self.error(
            Diagnostic::new(
                code,
                name.span,
                format!(
                    "unknown {expected} `{}`{}",
                    name.name,
                    did_you_mean(suggestion.as_deref())
                ),
            )
            .with_hint(hint),
        );
    }

    /// A calendar named by `calendar id` or `based-on id`.
    pub(super) fn calendar_ref(&mut self, id: &ast::Ident) -> Option<CalendarId> {
        self.named(id, Kind::Calendar, Code::E022UnknownCalendar)
            .map(CalendarId)
    }

    pub(super) fn theme_ref(&mut self, id: &ast::Ident) -> Option<ThemeId> {
        self.named(id, Kind::Theme, Code::E023UnknownTheme)
            .map(ThemeId)
    }

    pub(super) fn named(&mut self, id: &ast::Ident, kind: Kind, unknown: Code) -> Option<u32> {
        // Its own namespace first; the others only to say what the name is instead.
        if let Some(entry) = self.names.get_in(kind.space(), &id.name) {
            return Some(entry.index);
        }
        match self.names.get(&id.name) {
            Some(entry) => {
                self.error(
                    Diagnostic::new(
                        Code::E024WrongKind,
                        id.span,
                        format!(
                            "`{}` is a {}, not a {}",
                            id.name,
                            entry.kind.noun(),
                            kind.noun()
                        ),
                    )
                    .with_hint(format!("name a {} here", kind.noun())),
                );
                None
            }
            None => {
                let suggestion = self.names.suggest(&id.name, &[kind]).map(str::to_string);
                self.unknown(unknown, id, kind.noun(), suggestion);
                None
            }
        }
    }

    /// E020 for `after data-warehouse-1month`: an unknown name that is a known one with a lead
    /// glued to it (a `-` is part of a name, so the lead was read as part of the name). The
    /// usual suggestion, "change it to `data-warehouse`", would drop the lead the author meant.
    /// True when that was reported. (`+ 1 month` glued on is a lag already: `+` ends a name.)
    fn glued_lead(&mut self, reference: &ast::Reference) -> bool {
        let [name] = reference.parts() else {
            return false;
        };
        if self.names.get(&name.name).is_some() {
            return false;
        }
        let Some((prefix, lead)) = name.name.rsplit_once('-') else {
            return false;
        };
        let digits = lead
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(lead.len());
        let (number, unit) = lead.split_at(digits);
        // The units of `duration_unit` in grammar/tranche.pest.
        let short = matches!(unit, "d" | "w" | "mo" | "y");
        let long = matches!(
            unit,
            "days" | "day" | "weeks" | "week" | "months" | "month" | "years" | "year"
        );
        let is_number = number.starts_with(|c: char| c.is_ascii_digit())
            && number.ends_with(|c: char| c.is_ascii_digit());
        let known = self.names.get(prefix).is_some_and(|entry| {
            matches!(
                entry.kind,
                Kind::Project | Kind::Milestone | Kind::Programme
            )
        });
        if !(is_number && (short || long) && known) {
            return false;
        }
        let duration = if long {
            format!("{number} {unit}")
        } else {
            format!("{number}{unit}")
        };
        let fixed = format!("{prefix} - {duration}");
        self.error(
            Diagnostic::new(
                Code::E020UnknownReference,
                name.span,
                format!(
                    "unknown project, milestone or programme `{}`; did you mean `{fixed}`?",
                    name.name
                ),
            )
            .with_hint(format!(
                "put spaces around the `-` of a lead, `{fixed}`: without them `{}` is read as \
                 one name",
                name.name
            )),
        );
        true
    }

    /// Adds the targets of one dependency line, with E032 for a repeat of an earlier one.
    pub(super) fn dependencies(&mut self, attr: &Attr, into: &mut DependencyList) {
        let Attr::Dependency { kind, targets, .. } = attr else {
            return;
        };
        let link = match kind {
            ast::DependencyKind::FinishToStart => LinkKind::FinishToStart,
            ast::DependencyKind::StartToStart => LinkKind::StartToStart,
            ast::DependencyKind::FinishToFinish => LinkKind::FinishToFinish,
            ast::DependencyKind::StartToFinish => LinkKind::StartToFinish,
        };
        for target in targets {
            if self.glued_lead(&target.target) {
                continue;
            }
            let entry = self.reference(
                &target.target,
                &[Kind::Project, Kind::Milestone, Kind::Programme],
                "project, milestone or programme",
                &Quoted(attr.keyword()),
            );
            let lag_days = match &target.lag {
                Some(lag) => match self.days(&lag.duration) {
                    Some(days) => {
                        let days = i32::try_from(days).unwrap_or(i32::MAX);
                        if lag.negative { -days } else { days }
                    }
                    None => continue,
                },
                None => 0,
            };
            let Some(entry) = entry else { continue };
            let predecessor = item_id(entry);
            if let Some(first) = into.first(predecessor, link) {
                let first_span = first.span;
                self.error(
                    Diagnostic::new(
                        Code::E032DuplicateDependency,
                        target.span(),
                        format!(
                            "this repeats a dependency on `{}` of the same kind",
                            reference_text(&target.target)
                        ),
                    )
                    .with_note(Some(first_span), "the same dependency is first given here")
                    .with_hint(
                        "keep one; to wait longer, give the first one a lag such as `+ 2 weeks`",
                    ),
                );
                continue;
            }
            into.push(Dependency {
                predecessor,
                kind: link,
                lag_days,
                span: target.span(),
            });
        }
    }

    /// E031: an item that waits for itself, for a programme that contains it, or (a project)
    /// for a milestone fixed at its own start or finish.
    pub(super) fn check_self_dependencies(
        &mut self,
        this: ItemId,
        what: Named<'_>,
        dependencies: &[Dependency],
        programme: Option<usize>,
        programmes: &[Programme],
    ) {
        for dependency in dependencies {
            let problem = match dependency.predecessor {
                p if p == this => Some(format!("{what} depends on itself")),
                ItemId::Programme(p) if contains(programmes, p, programme) => Some(format!(
                    "{what} depends on programme `{}`, which contains it",
                    programmes
                        .get(p.0 as usize)
                        .map(|x| x.id.as_str())
                        .unwrap_or("")
                )),
                ItemId::Milestone(m) => {
                    let decl = self.milestones.get(m.0 as usize);
                    let own = match (this, decl) {
                        (ItemId::Project(p), Some(d)) => {
                            d.project == Some(p.0 as usize)
                                && matches!(
                                    d.timing,
                                    Some(
                                        ast::MilestoneTiming::AtStart(_)
                                            | ast::MilestoneTiming::AtFinish(_)
                                    )
                                )
                        }
                        _ => false,
                    };
                    own.then(|| {
                        format!(
                            "{what} depends on its own milestone `{}`, which is fixed to its start or finish",
                            decl.map(|d| d.id.name.as_str()).unwrap_or("")
                        )
                    })
                }
                _ => None,
            };
            if let Some(message) = problem {
                self.error(
                    Diagnostic::new(Code::E031SelfDependency, dependency.span, message)
                        .with_hint("remove this dependency: nothing can wait for itself"),
                );
            }
        }
    }
}

/// A keyword in backticks, for messages: `` `after` ``.
struct Quoted(&'static str);

impl std::fmt::Display for Quoted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`", self.0)
    }
}

/// An item's dependencies as they are read, finding a repeat (E032) in constant time: a
/// milestone after 100,000 projects once took seconds scanning the list for each. Short lists
/// (nearly all) are scanned; a long one gets an index, built once it passes [`SCAN_UP_TO`].
#[derive(Debug, Default)]
pub(super) struct DependencyList {
    list: Vec<Dependency>,
    index: Option<HashMap<(ItemId, LinkKind), usize, FxBuildHasher>>,
}

/// How long a list is scanned before it is indexed: a scan of a few is cheaper than a hash,
/// and most items wait for one to three others.
const SCAN_UP_TO: usize = 16;

impl DependencyList {
    pub(super) fn with_capacity(n: usize) -> DependencyList {
        DependencyList {
            list: Vec::with_capacity(n),
            index: None,
        }
    }

    /// The dependency already read on `predecessor` of `kind`, if any.
    fn first(&self, predecessor: ItemId, kind: LinkKind) -> Option<&Dependency> {
        match &self.index {
            Some(index) => index
                .get(&(predecessor, kind))
                .and_then(|&i| self.list.get(i)),
            None => self
                .list
                .iter()
                .find(|d| d.predecessor == predecessor && d.kind == kind),
        }
    }

    fn push(&mut self, dependency: Dependency) {
        let key = (dependency.predecessor, dependency.kind);
        self.list.push(dependency);
        let at = self.list.len() - 1;
        match &mut self.index {
            Some(index) => {
                index.entry(key).or_insert(at);
            }
            None if self.list.len() > SCAN_UP_TO => {
                let mut index =
                    HashMap::with_capacity_and_hasher(self.list.capacity(), FxBuildHasher);
                for (i, d) in self.list.iter().enumerate() {
                    index.entry((d.predecessor, d.kind)).or_insert(i);
                }
                self.index = Some(index);
            }
            None => {}
        }
    }

    pub(super) fn as_slice(&self) -> &[Dependency] {
        &self.list
    }

    pub(super) fn into_vec(self) -> Vec<Dependency> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    /// E032 finds a repeat however long the list is: scanned while short, indexed once long
    /// (a line of 40 targets, then the third again and a new one).
    #[test]
    fn a_repeated_dependency_is_found_in_a_long_list_too() {
        let mut text = String::from("portfolio \"P\" {\n  start 2024-04-01\n  end 2026-03-31\n}\n");
        for i in 0..41 {
            text.push_str(&format!("project p{i} \"P\" {{\n  duration 1 week\n}}\n"));
        }
        let targets: Vec<String> = (0..40).map(|i| format!("p{i}")).collect();
        text.push_str(&format!(
            "milestone m \"M\" {{\n  after {}\n  after p2, p40\n  after start of p2\n}}\n",
            targets.join(", ")
        ));
        let checked = crate::source::check_text(&text);
        let repeats: Vec<&str> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == crate::diagnostic::Code::E032DuplicateDependency)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            repeats,
            ["this repeats a dependency on `p2` of the same kind"],
            "{:?}",
            checked.diagnostics
        );
        // The start-to-start on p2 is another kind, not a repeat, and p40 is new.
        assert_eq!(
            checked.diagnostics.iter().filter(|d| d.is_error()).count(),
            1,
            "{:?}",
            checked.diagnostics
        );
    }
}
