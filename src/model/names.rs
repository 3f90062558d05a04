//! The one namespace of a portfolio: every project, programme, milestone, theme and calendar
//! id, with what kind of thing it names, and "did you mean" suggestions for names that miss.
//!
//! Input: declarations as the validator finds them. Output: lookups by id. Invariant: an id is
//! in the namespace at most once (the first declaration wins; later ones are E021), and
//! suggestions are deterministic: the nearest id, ties going to the first in id order.
//!
//! A `HashMap`, not a `BTreeMap`: every reference in a plan is looked up here, and in a plan of
//! 100,000 projects the ordered map's string comparisons were a tenth of `tranche check`
//! (docs/benchmarks.md). Nothing observable iterates it in hash order (see `suggest`). Keys are
//! borrowed from the AST (no copy of each id) and hashed with FxHash rather than SipHash: ids
//! come from the plan's author, not from an attacker flooding a server, and SipHash was 3% of
//! validation.

use rustc_hash::FxHashMap;

use crate::diagnostic::Span;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Project,
    Programme,
    Milestone,
    Theme,
    Calendar,
}

impl Kind {
    /// The word users know, for messages: "`x` is a theme".
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::Programme => "programme",
            Kind::Milestone => "milestone",
            Kind::Theme => "theme",
            Kind::Calendar => "calendar",
        }
    }
}

/// One declared id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    /// Index into the validator's list of that kind.
    pub(crate) index: u32,
    /// The id where it was declared; `None` for the built-in calendars.
    pub(crate) span: Option<Span>,
}

/// The ids of one plan, borrowed from its AST (`'a`).
#[derive(Debug, Default)]
pub(crate) struct Namespace<'a> {
    entries: FxHashMap<&'a str, Entry>,
}

impl<'a> Namespace<'a> {
    /// Room for `additional` more ids, so that declaring them never rehashes.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    /// Adds an id; returns the earlier entry if the id is taken (and keeps the earlier one).
    pub(crate) fn declare(&mut self, id: &'a str, entry: Entry) -> Result<(), Entry> {
        match self.entries.entry(id) {
            std::collections::hash_map::Entry::Occupied(existing) => Err(*existing.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(entry);
                Ok(())
            }
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<Entry> {
        self.entries.get(id).copied()
    }

    /// The closest id of one of `kinds` to `name`, if any is close enough to be a likely typo.
    /// The same answer as [`suggest`] over the ids in id order (the nearest; of equally near
    /// ones the first in id order), found in whatever order the map holds them.
    pub(crate) fn suggest(&self, name: &str, kinds: &[Kind]) -> Option<&'a str> {
        let mut best: Option<&'a str> = None;
        for (&id, _) in self.entries.iter().filter(|(_, e)| kinds.contains(&e.kind)) {
            // `suggest` over this one candidate and the best so far, in id order.
            let pair = match best {
                None => suggest(name, std::iter::once(id)),
                Some(b) if id < b => suggest(name, [id, b].into_iter()),
                Some(b) => suggest(name, [b, id].into_iter()),
            };
            if pair.is_some() {
                best = pair;
            }
        }
        best
    }
}

/// The candidate nearest to `name` by edit distance, when the distance is small for its length
/// (at most a third of the name, at least one edit allowed). Ties go to the first candidate, so
/// callers pass candidates in a stable order.
pub fn suggest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let length = name.chars().count();
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // The distance is at least the difference in length: skip the full computation for
        // candidates that cannot be close (most of them, in a plan of thousands of ids).
        if candidate == name || candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = edit_distance(name, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions counted as one edit (`case-sytsem`).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the optimal-string-alignment table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileId;

    fn entry(kind: Kind, index: u32) -> Entry {
        Entry {
            kind,
            index,
            span: Some(Span::new(FileId(0), 0, 1)),
        }
    }

    #[test]
    fn edit_distance_counts_typos() {
        assert_eq!(edit_distance("case-system", "case-system"), 0);
        assert_eq!(edit_distance("case-sytem", "case-system"), 1);
        assert_eq!(edit_distance("case-sytsem", "case-system"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions_are_of_the_kind_asked_for() {
        let mut names = Namespace::default();
        assert!(
            names
                .declare("case-system", entry(Kind::Project, 0))
                .is_ok()
        );
        assert!(names.declare("case-systems", entry(Kind::Theme, 0)).is_ok());
        assert!(names.declare("access", entry(Kind::Theme, 1)).is_ok());
        assert_eq!(
            names.suggest("case-sytem", &[Kind::Project]),
            Some("case-system")
        );
        assert_eq!(
            names.suggest("case-sytem", &[Kind::Theme]),
            Some("case-systems")
        );
        assert_eq!(names.suggest("acess", &[Kind::Theme]), Some("access"));
        assert_eq!(names.suggest("zebra", &[Kind::Theme, Kind::Project]), None);
    }

    #[test]
    fn equally_near_suggestions_go_to_the_first_in_id_order() {
        let mut names = Namespace::default();
        // Declared out of id order: the answer must not depend on it (nor on hashing).
        for (i, id) in ["team-d", "team-b", "team-c", "teams-a"].iter().enumerate() {
            assert!(names.declare(id, entry(Kind::Project, i as u32)).is_ok());
        }
        assert_eq!(names.suggest("team-a", &[Kind::Project]), Some("team-b"));
        assert_eq!(
            suggest(
                "team-a",
                ["team-b", "team-c", "team-d", "teams-a"].into_iter()
            ),
            Some("team-b")
        );
    }

    #[test]
    fn one_namespace_for_every_kind() {
        let mut names = Namespace::default();
        assert!(
            names
                .declare("front-door", entry(Kind::Programme, 0))
                .is_ok()
        );
        let clash = names.declare("front-door", entry(Kind::Theme, 3));
        assert_eq!(clash, Err(entry(Kind::Programme, 0)));
        assert_eq!(
            names.get("front-door").map(|e| e.kind),
            Some(Kind::Programme)
        );
    }

    #[test]
    fn short_names_allow_one_edit() {
        assert_eq!(suggest("ab", ["ac", "xy"].into_iter()), Some("ac"));
        assert_eq!(suggest("ab", ["xy"].into_iter()), None);
    }
}
