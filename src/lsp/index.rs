//! What an editor asks about names: every declaration and every reference of one file, from its
//! syntax tree, with the byte spans of the ids themselves.
//!
//! The validated model keeps resolved indices, not where each reference was written, and the
//! tree is gone once it is validated (`model::validate` takes it apart); so the server parses a
//! file again when a request needs its names, and keeps the result until the file changes.
//! Parsing is the fast path's (`syntax::parse`), so this costs a fraction of an analysis.

use crate::diagnostic::{FileId, Span};
use crate::syntax::{self, ast};

/// The namespace an id lives in (as `model::names` has it): what `after` names, themes,
/// calendars and teams. Ids are unique within one; a rename never crosses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Space {
    Work,
    Theme,
    Calendar,
    Team,
    /// The RAID log's entries: risks, issues, assumptions and decisions share one namespace.
    Raid,
}

/// What a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeclKind {
    Portfolio,
    Programme,
    Project,
    Milestone,
    Theme,
    Calendar,
    Team,
    Raid(ast::RaidKind),
}

impl DeclKind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            DeclKind::Portfolio => "portfolio",
            DeclKind::Programme => "programme",
            DeclKind::Project => "project",
            DeclKind::Milestone => "milestone",
            DeclKind::Theme => "theme",
            DeclKind::Calendar => "calendar",
            DeclKind::Team => "team",
            DeclKind::Raid(kind) => kind.keyword(),
        }
    }

    pub(crate) fn space(self) -> Option<Space> {
        match self {
            DeclKind::Portfolio => None,
            DeclKind::Programme | DeclKind::Project | DeclKind::Milestone => Some(Space::Work),
            DeclKind::Theme => Some(Space::Theme),
            DeclKind::Calendar => Some(Space::Calendar),
            DeclKind::Team => Some(Space::Team),
            DeclKind::Raid(_) => Some(Space::Raid),
        }
    }
}

/// One declaration: `project case-system "Case system" { ... }`.
#[derive(Debug, Clone)]
pub(crate) struct Decl {
    pub kind: DeclKind,
    /// Empty for the portfolio.
    pub id: String,
    pub title: Option<String>,
    /// The id as written (the keyword for the portfolio, which has none).
    pub id_span: Span,
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
    /// Whether it has a `{ ... }` body.
    pub has_body: bool,
    /// The project (or milestone) it is declared in, if any: a milestone's project.
    pub parent: Option<String>,
}

impl Decl {
    /// Whether this is the declaration of `id` in `space`.
    pub(crate) fn declares(&self, space: Space, id: &str) -> bool {
        self.kind.space() == Some(space) && self.id == id
    }
}

/// One use of an id: a part of `after case-system.go-live`, `theme access`, `calendar council`.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub space: Space,
    pub id: String,
    pub span: Span,
}

/// A duration as written, and the project or milestone whose line it is on.
#[derive(Debug, Clone)]
pub(crate) struct DurationAt {
    pub literal: ast::DurationLit,
    pub owner: Option<String>,
    /// Whether it is the item's own `duration` (its dates are the item's).
    pub is_duration: bool,
}

/// A money line (`cost`, `saving`, `benefit`) and the project it is in.
#[derive(Debug, Clone)]
pub(crate) struct MoneyLine {
    pub span: Span,
    pub owner: Option<String>,
}

/// The names, durations and money lines of one file.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileIndex {
    pub decls: Vec<Decl>,
    pub refs: Vec<Ref>,
    pub durations: Vec<DurationAt>,
    pub money: Vec<MoneyLine>,
    /// Comments, for folding runs of them.
    pub comments: Vec<Span>,
}

impl FileIndex {
    /// Parses `text` (file `file`) and collects its names.
    pub(crate) fn build(file: FileId, text: &str) -> FileIndex {
        let (tree, _) = syntax::parse(file, text);
        let mut index = FileIndex {
            comments: tree.comments.iter().map(|c| c.span).collect(),
            ..FileIndex::default()
        };
        // An explicit stack, as the loader walks includes: nesting is bounded by the parser,
        // but nothing here should rest on it. Each entry: the items, and the enclosing
        // project's (or milestone's) id.
        let mut stack: Vec<(std::slice::Iter<'_, ast::Attr>, Option<String>)> =
            vec![(tree.items.iter(), None)];
        while let Some((items, owner)) = stack.last_mut() {
            let Some(attr) = items.next() else {
                stack.pop();
                continue;
            };
            let owner = owner.clone();
            if let Some(body) = index.attr(attr, owner) {
                stack.push(body);
            }
        }
        index
    }

    /// Records one attribute; for a block, returns its body to walk.
    fn attr<'a>(
        &mut self,
        attr: &'a ast::Attr,
        owner: Option<String>,
    ) -> Option<(std::slice::Iter<'a, ast::Attr>, Option<String>)> {
        match attr {
            ast::Attr::Portfolio(b) => self.block(DeclKind::Portfolio, b, owner),
            ast::Attr::Calendar(b) => self.block(DeclKind::Calendar, b, owner),
            ast::Attr::Team(b) => self.block(DeclKind::Team, b, owner),
            ast::Attr::Raid { kind, block: b } => self.block(DeclKind::Raid(*kind), b, owner),
            // A scenario names work by id (issue 23): those names go to definition and are
            // renamed with the work; a change's body is read as the changed item's.
            ast::Attr::Scenario(b) => Some((b.body.iter(), owner)),
            ast::Attr::Change(b) => {
                if let Some(id) = &b.id {
                    self.reference(Space::Work, id);
                }
                Some((b.body.iter(), b.id.as_ref().map(|i| i.name.to_string())))
            }
            ast::Attr::Programme(b) => self.block(DeclKind::Programme, b, owner),
            ast::Attr::Project(b) => self.block(DeclKind::Project, b, owner),
            ast::Attr::Milestone { block: b, .. } => self.block(DeclKind::Milestone, b, owner),
            line => {
                self.line(line, owner);
                None
            }
        }
    }

    /// Records what an attribute without a body names, declares, lasts or costs, inside
    /// `owner` (a project's or milestone's id).
    fn line(&mut self, attr: &ast::Attr, owner: Option<String>) {
        match attr {
            ast::Attr::Affects(affects) => self.work_reference(&affects.target),
            ast::Attr::Needs { team, .. } => self.reference(Space::Team, team),
            // A scenario's `remove` and `keep` name work by id, as its `change` does (issue 23).
            ast::Attr::Remove(ids, _) | ast::Attr::Keep(ids, _) => {
                for id in ids {
                    self.reference(Space::Work, id);
                }
            }
            ast::Attr::Theme { id, title, span } => self.decls.push(Decl {
                kind: DeclKind::Theme,
                id: id.name.to_string(),
                title: Some(title.value.to_string()),
                id_span: id.span,
                span: *span,
                has_body: false,
                parent: owner,
            }),
            ast::Attr::ThemeRef(id, _) => self.reference(Space::Theme, id),
            ast::Attr::CalendarRef(id, _) | ast::Attr::BasedOn(id, _) => {
                self.reference(Space::Calendar, id);
            }
            ast::Attr::Dependency { targets, .. } => {
                for target in targets {
                    self.work_reference(&target.target);
                    if let Some(lag) = &target.lag {
                        self.duration(&lag.duration, &owner, false);
                    }
                }
            }
            ast::Attr::Duration {
                duration, range, ..
            } => {
                self.duration(duration, &owner, true);
                if let Some(range) = range {
                    self.duration(&range.0, &owner, false);
                    self.duration(&range.1, &owner, false);
                }
            }
            ast::Attr::Cost { timing, span, .. } => {
                self.cost_timing(timing, &owner);
                self.money.push(MoneyLine { span: *span, owner });
            }
            ast::Attr::Saving {
                recurrence, span, ..
            }
            | ast::Attr::Benefit {
                recurrence, span, ..
            } => {
                self.recurrence(recurrence, &owner);
                self.money.push(MoneyLine { span: *span, owner });
            }
            _ => {}
        }
    }

    /// The milestones and durations a cost's timing names.
    fn cost_timing(&mut self, timing: &ast::CostTiming, owner: &Option<String>) {
        match timing {
            ast::CostTiming::Spread(_) => {}
            ast::CostTiming::Recurring(recurrence) => self.recurrence(recurrence, owner),
            ast::CostTiming::At(when) => self.when(when),
            ast::CostTiming::Between(between) => {
                self.when(&between.0);
                self.when(&between.1);
            }
        }
    }

    /// Records a declaration made by a block inside `owner` (a project's or milestone's id)
    /// and returns its body to walk, with the owner of what the body declares: this block if
    /// it is a project or milestone, else `owner` still.
    fn block<'a>(
        &mut self,
        kind: DeclKind,
        block: &'a ast::Block,
        owner: Option<String>,
    ) -> Option<(std::slice::Iter<'a, ast::Attr>, Option<String>)> {
        let id = block.id.as_ref();
        let body_owner = match kind {
            DeclKind::Project | DeclKind::Milestone => id.map(|i| i.name.to_string()),
            _ => owner.clone(),
        };
        self.decls.push(Decl {
            kind,
            id: id.map(|i| i.name.to_string()).unwrap_or_default(),
            title: block.title.as_ref().map(|t| t.value.to_string()),
            id_span: id.map_or(block.keyword_span, |i| i.span),
            span: block.span,
            has_body: !block.body.is_empty() || block.span.end > block.keyword_span.end,
            parent: owner,
        });
        Some((block.body.iter(), body_owner))
    }

    fn reference(&mut self, space: Space, id: &ast::Ident) {
        self.refs.push(Ref {
            space,
            id: id.name.to_string(),
            span: id.span,
        });
    }

    /// `case-system` or `case-system.go-live`: each part names an item of its own (a
    /// milestone's own id is in the same namespace as the project's).
    fn work_reference(&mut self, reference: &ast::Reference) {
        for part in reference.parts() {
            self.reference(Space::Work, part);
        }
    }

    fn when(&mut self, when: &ast::When) {
        if let ast::When::Milestone(reference) = when {
            self.work_reference(reference);
        }
    }

    fn recurrence(&mut self, recurrence: &ast::Recurrence, owner: &Option<String>) {
        self.when(&recurrence.from);
        for lit in [&recurrence.ramp, &recurrence.period].into_iter().flatten() {
            self.duration(lit, owner, false);
        }
    }

    fn duration(&mut self, literal: &ast::DurationLit, owner: &Option<String>, is_duration: bool) {
        self.durations.push(DurationAt {
            literal: literal.clone(),
            owner: owner.clone(),
            is_duration,
        });
    }

    /// The id (declared or referred to) at byte `offset`: its namespace, id and span.
    pub(crate) fn name_at(&self, offset: usize) -> Option<(Space, &str, Span)> {
        let hit = |span: Span| (span.start as usize) <= offset && offset <= span.end as usize;
        self.refs
            .iter()
            .find(|r| hit(r.span))
            .map(|r| (r.space, r.id.as_str(), r.span))
            .or_else(|| {
                self.decls.iter().find_map(|d| {
                    let space = d.kind.space()?;
                    hit(d.id_span).then_some((space, d.id.as_str(), d.id_span))
                })
            })
    }
}
