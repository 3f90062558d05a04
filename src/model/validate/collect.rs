//! Pass 1: walk the items (splicing includes where they stand), declare every id in the one
//! namespace, and file each attribute under the block it belongs to. E021 and E050 for items.

use std::collections::BTreeMap;

use super::{
    Attrs, CalendarDecl, FIRST_DECLARED_CALENDAR, Header, MilestoneDecl, Owner, PortfolioDecl,
    ProgrammeDecl, ProjectDecl, TeamDecl, ThemeDecl, Validator, belongs, calendar_id, index,
    keyword_span,
};
use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::model::names::{Entry, Kind};
use crate::model::{ItemId, MilestoneId, ProgrammeId, ProjectId};
use crate::syntax::ast::{self, Attr};

/// Items still to walk, and the block they are in.
type Body = (std::vec::IntoIter<Attr>, Owner);

impl Validator {
    /// Walks the files from the root, taking the tree apart (see the module doc of
    /// `validate`): every item is moved out of the tree as it is reached, its parts filed in its
    /// declaration and the rest of it dropped.
    pub(super) fn collect(&mut self, mut files: BTreeMap<FileId, ast::File>) {
        let counts = Counts::of(&files);
        self.names.reserve(counts.ids());
        self.programmes.reserve(counts.programmes);
        self.projects.reserve(counts.projects);
        self.milestones.reserve(counts.milestones);
        // Each file is taken out of the map when it is spliced, so it is spliced at most once
        // (the root first, so an include of the root is ignored like any repeat).
        let Some(root) = files.remove(&self.root) else {
            panic!("source::load puts the root file in Plan::files");
        };
        let mut stack: Vec<Body> = vec![(root.items.into_iter(), Owner::Top)];
        while let Some((items, owner)) = stack.last_mut() {
            let owner = *owner;
            let Some(attr) = items.next() else {
                stack.pop();
                continue;
            };
            if let Some(hint) = misplacement(&attr, owner) {
                self.misplaced_item(&attr, owner, hint);
            }
            let walk_next = match attr {
                Attr::Include { span, .. } => {
                    let file = self.includes.get(&span).copied();
                    file.and_then(|f| files.remove(&f))
                        .map(|parsed| (parsed.items.into_iter(), owner))
                }
                Attr::Portfolio(block) => self.collect_portfolio(*block),
                Attr::Calendar(block) => self.collect_calendar(*block),
                Attr::Team(block) => self.collect_team(*block),
                Attr::Theme { id, title, span } => {
                    self.declare(&id, Kind::Theme, index(self.themes.len()), None);
                    self.themes.push(ThemeDecl {
                        id,
                        title: *title,
                        span,
                    });
                    None
                }
                Attr::Programme(block) => self.collect_programme(*block, owner),
                Attr::Project(block) => self.collect_project(*block, owner),
                Attr::Milestone { block, timing } => self.collect_milestone(*block, timing, owner),
                Attr::Raid { kind, block } => {
                    self.collect_raid(kind, *block);
                    None
                }
                Attr::Scenario(block) if owner == Owner::Top => {
                    self.scenarios.push(*block);
                    None
                }
                Attr::Criteria(list, span) if owner == Owner::Top => {
                    self.criteria_blocks.push((list, span));
                    None
                }
                other => {
                    self.file_under(owner, other);
                    None
                }
            };
            if let Some(body) = walk_next {
                stack.push(body);
            }
        }
    }

    // Each `collect_…` declares a block and files it, and returns its body to walk next when
    // `Attrs::of` left items in it to walk. A block without an id (the grammar gives every one
    // but the portfolio an id) has nothing to declare and is dropped.

    fn collect_portfolio(&mut self, block: ast::Block) -> Option<Body> {
        let (block, _, body) = Header::split(block);
        let owner = Owner::Portfolio(self.portfolios.len());
        file_body(body, owner, |attrs| {
            self.portfolios.push(PortfolioDecl { block, attrs })
        })
    }

    fn collect_calendar(&mut self, block: ast::Block) -> Option<Body> {
        let (block, Some(id), body) = Header::split(block) else {
            return None;
        };
        let i = self.calendars.len();
        self.declare(&id, Kind::Calendar, calendar_id(i).0, None);
        file_body(body, Owner::Calendar(i), |attrs| {
            self.calendars.push(CalendarDecl { id, block, attrs })
        })
    }

    fn collect_team(&mut self, block: ast::Block) -> Option<Body> {
        let (block, Some(id), body) = Header::split(block) else {
            return None;
        };
        let i = self.teams.len();
        self.declare(&id, Kind::Team, index(i), None);
        file_body(body, Owner::Team(i), |attrs| {
            self.teams.push(TeamDecl { id, block, attrs })
        })
    }

    /// A programme, a child of the programme it is in.
    fn collect_programme(&mut self, block: ast::Block, owner: Owner) -> Option<Body> {
        let (block, Some(id), body) = Header::split(block) else {
            return None;
        };
        let i = self.programmes.len();
        let parent = self.programme_of(owner);
        self.declare(&id, Kind::Programme, index(i), None);
        self.add_child(parent, ItemId::Programme(ProgrammeId(index(i))));
        file_body(body, Owner::Programme(i), |attrs| {
            self.programmes.push(ProgrammeDecl {
                id,
                block,
                parent,
                attrs,
                children: Vec::new(),
            })
        })
    }

    /// A project, a child of the programme it is in.
    fn collect_project(&mut self, block: ast::Block, owner: Owner) -> Option<Body> {
        let (block, Some(id), body) = Header::split(block) else {
            return None;
        };
        let i = self.projects.len();
        let programme = self.programme_of(owner);
        self.declare(&id, Kind::Project, index(i), None);
        self.add_child(programme, ItemId::Project(ProjectId(index(i))));
        file_body(body, Owner::Project(i), |attrs| {
            self.projects.push(ProjectDecl {
                id,
                block,
                programme,
                attrs,
                milestones: Vec::new(),
            })
        })
    }

    /// A milestone: one of its project's when declared in a project, else a child of the
    /// programme it is in.
    fn collect_milestone(
        &mut self,
        block: ast::Block,
        timing: Option<ast::MilestoneTiming>,
        owner: Owner,
    ) -> Option<Body> {
        let (block, Some(id), body) = Header::split(block) else {
            return None;
        };
        let i = self.milestones.len();
        let milestone_id = MilestoneId(index(i));
        let project = self.project_of(owner);
        let programme = self.programme_of(owner);
        self.declare(&id, Kind::Milestone, index(i), project);
        match project {
            Some(p) => {
                if let Some(decl) = self.projects.get_mut(p) {
                    decl.milestones.push(milestone_id);
                }
            }
            None => self.add_child(programme, ItemId::Milestone(milestone_id)),
        }
        file_body(body, Owner::Milestone(i), |attrs| {
            self.milestones.push(MilestoneDecl {
                id,
                block,
                timing,
                project,
                programme,
                attrs,
            })
        })
    }

    /// Files an attribute that is not a block under the block it is in; at the top level it
    /// is misplaced.
    fn file_under(&mut self, owner: Owner, attr: Attr) {
        let attrs = match owner {
            Owner::Top => None,
            Owner::Portfolio(i) => self.portfolios.get_mut(i).map(|d| &mut d.attrs),
            Owner::Calendar(i) => self.calendars.get_mut(i).map(|d| &mut d.attrs),
            Owner::Team(i) => self.teams.get_mut(i).map(|d| &mut d.attrs),
            Owner::Programme(i) => self.programmes.get_mut(i).map(|d| &mut d.attrs),
            Owner::Project(i) => self.projects.get_mut(i).map(|d| &mut d.attrs),
            Owner::Milestone(i) => self.milestones.get_mut(i).map(|d| &mut d.attrs),
        };
        match attrs {
            Some(attrs) => attrs.push(attr),
            None => self.misplaced(&attr, owner),
        }
    }

    /// The programme new items land in: the owner itself, or the programme around the
    /// project or milestone (for items wrongly nested there, so they still resolve).
    pub(super) fn programme_of(&self, owner: Owner) -> Option<usize> {
        match owner {
            Owner::Programme(p) => Some(p),
            Owner::Project(p) => self.projects.get(p).and_then(|d| d.programme),
            Owner::Milestone(m) => self.milestones.get(m).and_then(|d| d.programme),
            Owner::Top | Owner::Portfolio(_) | Owner::Calendar(_) | Owner::Team(_) => None,
        }
    }

    pub(super) fn project_of(&self, owner: Owner) -> Option<usize> {
        match owner {
            Owner::Project(p) => Some(p),
            Owner::Milestone(m) => self.milestones.get(m).and_then(|d| d.project),
            _ => None,
        }
    }

    pub(super) fn add_child(&mut self, programme: Option<usize>, child: ItemId) {
        match programme.and_then(|p| self.programmes.get_mut(p)) {
            Some(parent) => parent.children.push(child),
            None => self.roots.push(child),
        }
    }

    /// Adds an id to the one namespace; E021 if it is taken. `project` is the project a
    /// milestone is declared in, for a hint that suggests a unique id.
    pub(super) fn declare(
        &mut self,
        id: &ast::Ident,
        kind: Kind,
        index: u32,
        project: Option<usize>,
    ) {
        let entry = Entry { kind, index };
        if let Err(first) = self.names.declare(&id.name, entry) {
            let name = &id.name;
            let diagnostic = match self.declared_span(first) {
                Some(span) => Diagnostic::new(
                    Code::E021DuplicateId,
                    id.span,
                    format!("`{name}` is already declared, as a {}", first.kind.noun()),
                )
                .with_note(Some(span), format!("`{name}` is first declared here")),
                None => Diagnostic::new(
                    Code::E021DuplicateId,
                    id.span,
                    format!("`{name}` is the name of a built-in calendar"),
                ),
            };
            let project = project
                .and_then(|p| self.projects.get(p))
                .map(|p| &p.id.name);
            let hint = match (kind, first.kind, project) {
                (Kind::Milestone, Kind::Milestone, Some(project)) => format!(
                    "milestone ids are shared by the whole plan, even inside projects: call this one `{project}-{name}`, say"
                ),
                (Kind::Theme, _, _) => "two themes cannot share an id: give this one another id".to_string(),
                (Kind::Team, _, _) => "two teams cannot share an id: give this one another id".to_string(),
                (Kind::Calendar, _, _) => "two calendars cannot share an id (the built-in ones included): give this one another id".to_string(),
                _ => "programmes, projects and milestones share one namespace, the names `after` can use: give this one another id".to_string(),
            };
            self.error(diagnostic.with_hint(hint));
        }
    }

    /// Where an id in the namespace was declared; `None` for the built-in calendars.
    fn declared_span(&self, entry: Entry) -> Option<Span> {
        let index = entry.index as usize;
        match entry.kind {
            Kind::Project => self.projects.get(index).map(|d| d.id.span),
            Kind::Programme => self.programmes.get(index).map(|d| d.id.span),
            Kind::Milestone => self.milestones.get(index).map(|d| d.id.span),
            Kind::Theme => self.themes.get(index).map(|d| d.id.span),
            Kind::Team => self.teams.get(index).map(|d| d.id.span),
            Kind::Calendar => index
                .checked_sub(FIRST_DECLARED_CALENDAR)
                .and_then(|i| self.calendars.get(i))
                .map(|d| d.id.span),
        }
    }

    pub(super) fn misplaced_item(&mut self, attr: &Attr, owner: Owner, hint: &str) {
        self.error(
            Diagnostic::new(
                Code::E050MisplacedAttribute,
                keyword_span(attr),
                format!("a {} cannot be declared {}", attr.keyword(), owner.place()),
            )
            .with_hint(hint),
        );
    }

    /// E050 for an attribute that does not belong where it stands, with a hint where it does.
    pub(super) fn misplaced(&mut self, attr: &Attr, owner: Owner) {
        // Attributes at the top level of a file the parser could not fully read are most often
        // the body of a block whose header was broken: the syntax error already says so.
        if owner == Owner::Top && self.unparsed.contains(&attr.span().file) {
            return;
        }
        let keyword = attr.keyword();
        let hint = match attr {
            Attr::Dependency { .. } if matches!(owner, Owner::Programme(_)) => {
                "a programme's dates come from its work: put the dependency on the projects inside it"
                    .to_string()
            }
            Attr::ActualStart(..) | Attr::Complete(..) if matches!(owner, Owner::Milestone(_)) => {
                "a milestone happens on one day: record it with `actual-finish DATE`".to_string()
            }
            Attr::NotBefore(..) if matches!(owner, Owner::Milestone(_)) => {
                "fix a milestone's date with `on DATE` on its declaration line, or give it dependencies"
                    .to_string()
            }
            // A project's `start` is most often meant as "not before": its dates come from its
            // dependencies, and `not-before` is how it is held back to a date.
            Attr::Start(date, _) if matches!(owner, Owner::Project(_)) => format!(
                "a project's start comes from its dependencies; to keep it from starting before a \
                 date, write `not-before {}` (`start` belongs {})",
                date.text,
                belongs(attr)
            ),
            _ => format!("`{keyword}` belongs {}", belongs(attr)),
        };
        self.error(
            Diagnostic::new(
                Code::E050MisplacedAttribute,
                attr.span(),
                format!("`{keyword}` is not allowed {}", owner.place()),
            )
            .with_hint(hint),
        );
    }
}

/// Takes a block's own attributes out of its `body` for `file` to keep with its declaration,
/// and returns the rest of the body to walk under `owner` when `Attrs::of` left items in it.
fn file_body(mut body: Vec<Attr>, owner: Owner, file: impl FnOnce(Attrs)) -> Option<Body> {
    let attrs = Attrs::of(&mut body);
    let walk = attrs.walk;
    file(attrs);
    walk.then(|| (body.into_iter(), owner))
}

/// For an item declared where it may not be, the hint E050 gives. Blocks without an id are
/// skipped by collecting (the parser has reported them), so they are not misplaced either.
fn misplacement(attr: &Attr, owner: Owner) -> Option<&'static str> {
    let top_or_programme = matches!(owner, Owner::Top | Owner::Programme(_));
    let (allowed, hint) = match attr {
        Attr::Portfolio(_) => (
            owner == Owner::Top,
            "declare the portfolio block at the top level of a file",
        ),
        Attr::Calendar(block) if block.id.is_some() => (
            top_or_programme,
            "declare calendars at the top level of a file",
        ),
        Attr::Theme { .. } => (
            top_or_programme,
            "declare themes at the top level of a file",
        ),
        Attr::Team(block) if block.id.is_some() => {
            (top_or_programme, "declare teams at the top level of a file")
        }
        Attr::Programme(block) if block.id.is_some() => (
            top_or_programme,
            "declare a programme at the top level or inside another programme",
        ),
        Attr::Project(block) if block.id.is_some() => (
            top_or_programme,
            "declare a project at the top level or inside a programme",
        ),
        Attr::Raid { block, .. } if block.id.is_some() => (
            top_or_programme,
            "declare risks, issues, assumptions and decisions at the top level or in a programme",
        ),
        Attr::Milestone { block, .. } if block.id.is_some() => (
            top_or_programme || matches!(owner, Owner::Project(_)),
            "declare a milestone at the top level, in a programme or in a project",
        ),
        _ => return None,
    };
    (!allowed).then_some(hint)
}

/// About how many programmes, projects and milestones (and ids of any kind) a plan's files
/// declare, so that collecting allocates its lists and the namespace once instead of growing
/// (and rehashing) them step by step. Only the top level and programme bodies are counted, not
/// the bodies of projects: reading every attribute of a big plan once more costs more than the
/// few milestones declared inside projects that this misses (their lists simply grow).
#[derive(Debug, Default)]
struct Counts {
    programmes: usize,
    projects: usize,
    milestones: usize,
    others: usize,
}

impl Counts {
    fn of(files: &BTreeMap<FileId, ast::File>) -> Counts {
        let mut counts = Counts::default();
        // An explicit stack of bodies, as in `collect`: no recursion on the author's nesting.
        let mut stack: Vec<&[Attr]> = files.values().map(|f| f.items.as_slice()).collect();
        while let Some(items) = stack.pop() {
            for attr in items {
                match attr {
                    Attr::Programme(block) => {
                        counts.programmes += 1;
                        stack.push(&block.body);
                    }
                    Attr::Project(_) => counts.projects += 1,
                    Attr::Milestone { .. } => counts.milestones += 1,
                    Attr::Calendar(_) | Attr::Team(_) | Attr::Theme { .. } => counts.others += 1,
                    _ => {}
                }
            }
        }
        counts
    }

    fn ids(&self) -> usize {
        self.programmes + self.projects + self.milestones + self.others
    }
}
