//! The names of a portfolio: every project, programme, milestone, theme and calendar id, with
//! what kind of thing it names, and "did you mean" suggestions for names that miss.
//!
//! Three namespaces ([`Space`]): what a dependency can name (projects, programmes and
//! milestones share one, so `after x` is never ambiguous), themes, and calendars. A theme and a
//! programme may share an id: no reference could mean either.
//!
//! Input: declarations as the validator finds them. Output: lookups by id. Invariant: an id is
//! in each namespace at most once (the first declaration wins; later ones are E021), and
//! suggestions are deterministic: the nearest id, ties going to the first in id order.
//!
//! A hash table, not a `BTreeMap`: every reference in a plan is looked up here, and in a plan of
//! 100,000 projects the ordered map's string comparisons were a tenth of `tranche check`
//! (docs/benchmarks.md). Nothing observable iterates it in hash order (see `suggest`). Ids are
//! hashed with FxHash rather than SipHash (they come from the plan's author, not from an
//! attacker flooding a server). At that size each lookup is a few cache misses, so the table is
//! laid out for them: an id of up to [`INLINE`] bytes (nearly all) is held in the slot itself,
//! so comparing it does not chase a pointer, and a slot is 32 bytes, two to a
//! cache line. That is why this is hashbrown's `HashTable` (the map with a comparison of our
//! own) rather than `std`'s `HashMap`.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Project,
    Programme,
    Milestone,
    Theme,
    Calendar,
    Team,
}

/// A namespace: ids are unique within one, and may repeat across them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Space {
    /// Projects, programmes and milestones: everything `after` can name.
    Work,
    Theme,
    Calendar,
    Team,
}

impl Kind {
    pub(crate) fn space(self) -> Space {
        match self {
            Kind::Project | Kind::Programme | Kind::Milestone => Space::Work,
            Kind::Theme => Space::Theme,
            Kind::Calendar => Space::Calendar,
            Kind::Team => Space::Team,
        }
    }

    /// The word users know, for messages: "`x` is a theme".
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::Programme => "programme",
            Kind::Milestone => "milestone",
            Kind::Theme => "theme",
            Kind::Calendar => "calendar",
            Kind::Team => "team",
        }
    }
}

/// One declared id. Where it was declared is the declaration's own span, found from its kind
/// and index (it is not repeated here, to keep the table's slots small).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    /// Index into the validator's list of that kind.
    pub(crate) index: u32,
}

/// The longest id held in a slot itself; longer ids (rare) get a heap block of their own.
const INLINE: usize = 22;

/// An id as the table holds it. The table owns its ids, so that the validator can free the
/// tree they were read from while it still looks names up.
#[derive(Debug, Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Key {
    fn new(id: &str) -> Key {
        let mut bytes = [0u8; INLINE];
        match (bytes.get_mut(..id.len()), u8::try_from(id.len())) {
            (Some(prefix), Ok(len)) => {
                prefix.copy_from_slice(id.as_bytes());
                Key::Inline { len, bytes }
            }
            _ => Key::Heap(id.into()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(bytes),
            Key::Heap(id) => id.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Key::Inline { .. } => std::str::from_utf8(self.as_bytes())
                .unwrap_or_else(|_| panic!("an inline id is a whole &str's bytes, so UTF-8")),
            Key::Heap(id) => id,
        }
    }
}

#[derive(Debug)]
struct Slot {
    key: Key,
    entry: Entry,
}

impl Slot {
    fn is(&self, space: Space, id: &[u8]) -> bool {
        self.entry.kind.space() == space && self.key.as_bytes() == id
    }

    fn hash(&self) -> u64 {
        hash(self.entry.kind.space(), self.key.as_bytes())
    }
}

fn hash(space: Space, id: &[u8]) -> u64 {
    FxBuildHasher.hash_one((space as u8, id))
}

/// The ids of one plan.
#[derive(Debug, Default)]
pub(crate) struct Namespace {
    slots: HashTable<Slot>,
}

impl Namespace {
    /// Room for `additional` more ids, so that declaring them never rehashes.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional, Slot::hash);
    }

    /// Adds an id to its kind's namespace; returns the earlier entry if the id is taken there
    /// (and keeps the earlier one).
    pub(crate) fn declare(&mut self, id: &str, entry: Entry) -> Result<(), Entry> {
        let bytes = id.as_bytes();
        let space = entry.kind.space();
        match self
            .slots
            .entry(hash(space, bytes), |slot| slot.is(space, bytes), Slot::hash)
        {
            hashbrown::hash_table::Entry::Occupied(existing) => Err(existing.get().entry),
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                vacant.insert(Slot {
                    key: Key::new(id),
                    entry,
                });
                Ok(())
            }
        }
    }

    /// What `id` names in one namespace.
    pub(crate) fn get_in(&self, space: Space, id: &str) -> Option<Entry> {
        let bytes = id.as_bytes();
        self.slots
            .find(hash(space, bytes), |slot| slot.is(space, bytes))
            .map(|slot| slot.entry)
    }

    /// What `id` names, looking first where a dependency looks (work), then at themes and
    /// calendars: a reference that wants work finds it, and one that finds a theme instead can
    /// say so.
    pub(crate) fn get(&self, id: &str) -> Option<Entry> {
        [Space::Work, Space::Theme, Space::Calendar, Space::Team]
            .into_iter()
            .find_map(|space| self.get_in(space, id))
    }

    /// The closest id of one of `kinds` to `name`, if any is close enough to be a likely typo.
    /// The same answer as [`suggest`] over the ids in id order (the nearest; of equally near
    /// ones the first in id order), found in whatever order the table holds them.
    pub(crate) fn suggest(&self, name: &str, kinds: &[Kind]) -> Option<&str> {
        let mut best: Option<&str> = None;
        for slot in self.slots.iter().filter(|s| kinds.contains(&s.entry.kind)) {
            let id = slot.key.as_str();
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

    fn entry(kind: Kind, index: u32) -> Entry {
        Entry { kind, index }
    }

    /// A namespace with these declared, none of them clashing.
    fn namespace(declared: &[(&str, Kind, u32)]) -> Namespace {
        let mut names = Namespace::default();
        for &(id, kind, index) in declared {
            assert!(
                names.declare(id, entry(kind, index)).is_ok(),
                "`{id}` clashes"
            );
        }
        names
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
        let names = namespace(&[
            ("case-system", Kind::Project, 0),
            ("case-systems", Kind::Theme, 0),
            ("access", Kind::Theme, 1),
        ]);
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
        // Declared out of id order: the answer must not depend on it (nor on hashing).
        let names = namespace(&[
            ("team-d", Kind::Project, 0),
            ("team-b", Kind::Project, 1),
            ("team-c", Kind::Project, 2),
            ("teams-a", Kind::Project, 3),
        ]);
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
    fn work_shares_one_namespace_and_themes_and_calendars_have_their_own() {
        let mut names = namespace(&[("front-door", Kind::Programme, 0)]);
        // What `after` can name clashes...
        let clash = names.declare("front-door", entry(Kind::Project, 3));
        assert_eq!(clash, Err(entry(Kind::Programme, 0)));
        let clash = names.declare("front-door", entry(Kind::Milestone, 1));
        assert_eq!(clash, Err(entry(Kind::Programme, 0)));
        // ...a theme and a calendar of the same id do not, with the work or each other.
        assert_eq!(names.declare("front-door", entry(Kind::Theme, 3)), Ok(()));
        assert_eq!(
            names.declare("front-door", entry(Kind::Calendar, 7)),
            Ok(())
        );
        let clash = names.declare("front-door", entry(Kind::Theme, 4));
        assert_eq!(clash, Err(entry(Kind::Theme, 3)));
        assert_eq!(
            names.get_in(Space::Theme, "front-door"),
            Some(entry(Kind::Theme, 3))
        );
        assert_eq!(
            names.get_in(Space::Calendar, "front-door"),
            Some(entry(Kind::Calendar, 7))
        );
        // Work first: a dependency finds the programme.
        assert_eq!(names.get("front-door"), Some(entry(Kind::Programme, 0)));
        // Only a theme: found, so that `after` can say it names a theme.
        assert!(names.declare("skills", entry(Kind::Theme, 5)).is_ok());
        assert_eq!(names.get("skills"), Some(entry(Kind::Theme, 5)));
        assert_eq!(names.get_in(Space::Work, "skills"), None);
    }

    /// Ids up to the inline length are held in the slot, longer ones borrowed: both are found,
    /// told apart from their neighbours, and suggested whole.
    #[test]
    fn ids_of_every_length_are_found() {
        let ids: Vec<String> = (1..=40)
            .map(|n| "é".repeat(n / 2) + &"x".repeat(n % 2))
            .collect();
        let mut names = Namespace::default();
        for (i, id) in ids.iter().enumerate() {
            assert!(names.declare(id, entry(Kind::Project, i as u32)).is_ok());
        }
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(names.get(id), Some(entry(Kind::Project, i as u32)), "{id}");
        }
        assert_eq!(names.get(&"x".repeat(22)), None);
        let long = "a-project-id-far-longer-than-the-inline-limit";
        let mut names = Namespace::default();
        assert!(names.declare(long, entry(Kind::Project, 0)).is_ok());
        assert!(names.declare("inline-id", entry(Kind::Project, 1)).is_ok());
        assert_eq!(
            names.suggest(
                "a-project-id-far-longer-than-the-inline-limt",
                &[Kind::Project]
            ),
            Some(long)
        );
        assert_eq!(
            names.suggest("inlin-id", &[Kind::Project]),
            Some("inline-id")
        );
    }

    /// Two slots to a cache line: lookups in a big plan are bound by cache misses.
    #[test]
    fn a_slot_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }

    #[test]
    fn short_names_allow_one_edit() {
        assert_eq!(suggest("ab", ["ac", "xy"].into_iter()), Some("ac"));
        assert_eq!(suggest("ab", ["xy"].into_iter()), None);
    }
}
