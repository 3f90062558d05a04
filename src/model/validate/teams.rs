//! Teams and what projects need of them: `team` blocks (`size`, `size … from`, `calendar`),
//! and a project's `needs` and `priority`. E013 for a team with no size, E025 for a team that
//! is not declared, E041 for a size change outside the plan, E051 for a size or a number of
//! people that is not a positive amount.

use super::{Named, Once, Settings, Validator, title};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::names::Kind;
use crate::model::{Fte, Need, Team, TeamId, TeamSize};
use crate::syntax::ast::{self, Attr};

impl Validator {
    /// Every declared team, checked. A team's calendar is the portfolio's unless it names one.
    pub(super) fn resolve_teams(&mut self, settings: &Option<Settings>) -> Vec<Team> {
        let mut teams = Vec::with_capacity(self.teams.len());
        for i in 0..self.teams.len() {
            let Some(decl) = self.teams.get_mut(i) else {
                continue;
            };
            let (id, block, attrs) = (
                decl.id.clone(),
                std::mem::take(&mut decl.block),
                std::mem::take(&mut decl.attrs),
            );
            let mut team = Team {
                id: id.name.clone(),
                title: title(&block, &id),
                sizes: Vec::new(),
                calendar: settings
                    .as_ref()
                    .map_or(crate::model::CalendarId::ENGLAND_AND_WALES, |s| s.calendar),
                span: block.span,
            };
            let plan_start = settings
                .as_ref()
                .and_then(|s| s.window)
                .map(|(start, _)| start);
            let mut once = Once::new(Named::item("team", &id));
            // A size line that is wrong has had its error: it is not missing as well.
            let mut wrote_a_size_from_the_start = false;
            for attr in attrs.iter() {
                match attr {
                    Attr::Size { size, from, span } => {
                        wrote_a_size_from_the_start |= from.is_none();
                        let Some(size) = self.people(size, "a team's size") else {
                            continue;
                        };
                        let from = match from {
                            Some(date) => {
                                let Some(d) = self.date(date) else { continue };
                                self.in_window(d, date.span, "size from", settings);
                                // A size from the plan's first day is the size from the
                                // plan's start, as if undated (so, with an undated one, two
                                // sizes from the start: E012). One dated before the start
                                // has had its E041: no E013 as well.
                                match plan_start {
                                    Some(start) if d == start => {
                                        wrote_a_size_from_the_start = true;
                                        None
                                    }
                                    Some(start) if d < start => {
                                        wrote_a_size_from_the_start = true;
                                        Some(d)
                                    }
                                    _ => Some(d),
                                }
                            }
                            None => None,
                        };
                        team.sizes.push(TeamSize {
                            from,
                            size,
                            span: *span,
                        });
                    }
                    Attr::CalendarRef(calendar, _) if once.first(attr, &mut self.diagnostics) => {
                        if let Some(calendar) = self.calendar_ref(calendar) {
                            team.calendar = calendar;
                        }
                    }
                    Attr::CalendarRef(..) => {}
                    other => self.misplaced(other, super::Owner::Team(i)),
                }
            }
            self.team_sizes(&id, &mut team, wrote_a_size_from_the_start);
            teams.push(team);
        }
        teams
    }

    /// The sizes in date order, with one from the plan's start (undated, or dated the plan's
    /// first day): E013 when there is none, E012 for two on one day.
    fn team_sizes(&mut self, id: &ast::Ident, team: &mut Team, wrote_one: bool) {
        // Stable: two sizes from one day keep their order for the message.
        team.sizes.sort_by_key(|s| s.from);
        if !wrote_one && team.sizes.first().is_none_or(|s| s.from.is_some()) {
            let hint = match team.sizes.first() {
                Some(first) => format!(
                    "add `size N` for the people it has from the plan's start (its first size is from {})",
                    first.from.map_or_else(String::new, |d| d.to_string())
                ),
                None => "add `size N`: the people (FTE) it has from the plan's start".to_string(),
            };
            self.error(
                Diagnostic::new(
                    Code::E013MissingSetting,
                    id.span,
                    format!("team `{}` has no size from the plan's start", id.name),
                )
                .with_hint(hint),
            );
        }
        for pair in team.sizes.windows(2) {
            if let [first, second] = pair {
                if first.from == second.from {
                    let (day, hint) = if first.from.is_none() {
                        (
                            "the plan's start",
                            "`size N` is the size from the plan's start, and so is `size N from` its start date: keep one",
                        )
                    } else {
                        ("the same day", "keep one `size` line for each date")
                    };
                    self.error(
                        Diagnostic::new(
                            Code::E012DuplicateSetting,
                            second.span,
                            format!("team `{}` is given two sizes from {day}", id.name),
                        )
                        .with_note(Some(first.span), "the first is given here")
                        .with_hint(hint),
                    );
                }
            }
        }
    }

    /// `needs TEAM N` in a project: E025 for a team not declared, E051 for a number that is
    /// not a positive amount, E012 for a team needed twice.
    pub(super) fn need(&mut self, attr: &Attr, needs: &mut Vec<Need>) {
        let Attr::Needs { team, fte, span } = attr else {
            return;
        };
        let team_id = self.named(team, Kind::Team, Code::E025UnknownTeam);
        let fte = self.people(fte, "the people a project needs");
        let (Some(team_id), Some(fte)) = (team_id, fte) else {
            return;
        };
        if let Some(first) = needs.iter().find(|n| n.team.0 == team_id) {
            self.error(
                Diagnostic::new(
                    Code::E012DuplicateSetting,
                    *span,
                    format!("team `{}` is needed twice", team.name),
                )
                .with_note(Some(first.span), "it is first needed here")
                .with_hint("keep one `needs` line for each team, with the people it needs in all"),
            );
            return;
        }
        needs.push(Need {
            team: TeamId(team_id),
            fte,
            span: *span,
        });
    }

    /// `priority N`: a whole number.
    pub(super) fn priority(&mut self, literal: &ast::Literal) -> Option<u32> {
        match literal.text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(
                    Diagnostic::new(
                        Code::E051BadValue,
                        literal.span,
                        format!("`{}` is not a priority", literal.text),
                    )
                    .with_hint("write a whole number: `priority 1` is placed first when levelling"),
                );
                None
            }
        }
    }

    /// A number of people: more than zero, two decimals at most, and at most [`Fte::MAX`].
    fn people(&mut self, literal: &ast::Literal, what: &str) -> Option<Fte> {
        match Fte::parse(&literal.text) {
            Some(fte) if fte.0 > 0 => Some(fte),
            parsed => {
                // Say which rule it breaks: a number too large to hold was told it must be
                // more than 0. Well formed (digits, two decimals at most) and still not read,
                // it is past the most.
                let (whole, fraction) = literal.text.split_once('.').unwrap_or((&literal.text, ""));
                let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
                let too_many = parsed.is_none()
                    && !whole.is_empty()
                    && digits(whole)
                    && digits(fraction)
                    && fraction.len() <= 2;
                let message = if too_many {
                    format!(
                        "{what} must be at most {} people, not `{}`",
                        Fte::MAX.text(),
                        literal.text
                    )
                } else {
                    format!(
                        "{what} must be more than 0 people, to two decimals at most, not `{}`",
                        literal.text
                    )
                };
                self.error(
                    Diagnostic::new(Code::E051BadValue, literal.span, message)
                        .with_hint("write people as full-time equivalents: `3`, `0.5`, `1.25`"),
                );
                None
            }
        }
    }
}
