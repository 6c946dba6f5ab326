//! "Cosa è cambiato": what changed in the commitments between two editions.
//!
//! Commitments are matched by their stable `id`; within a commitment, standards are matched by kind
//! (the first `response` with the first `response`, and so on). A standard is *tightened* when it
//! promises more (fewer days, or a higher percentage of cases or of availability), *relaxed* when
//! it promises less, *mixed* when one number moved each way. Notes are free text and are not compared.
//! The result refers to the two editions' data; it holds no text for readers.

use crate::model::{Commitment, Commitments, Standard};

/// Everything that differs, in the newer edition's order (removed ones in the older's order).
#[derive(Debug, Default)]
pub struct Changes<'a> {
    pub added: Vec<&'a Commitment>,
    pub removed: Vec<&'a Commitment>,
    /// Commitments in both editions that differ in something.
    pub changed: Vec<CommitmentChange<'a>>,
}

impl Changes<'_> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Every changed standard with its commitment, in order.
    pub fn standards(&self) -> impl Iterator<Item = (&CommitmentChange<'_>, &StandardChange<'_>)> {
        self.changed.iter().flat_map(|change| {
            change
                .standards
                .iter()
                .map(move |standard| (change, standard))
        })
    }

    /// How many standards changed in the given direction.
    pub fn count(&self, direction: Direction) -> usize {
        self.standards()
            .filter(|(_, standard)| standard.direction == direction)
            .count()
    }
}

/// A commitment present in both editions.
#[derive(Debug)]
pub struct CommitmentChange<'a> {
    pub old: &'a Commitment,
    pub new: &'a Commitment,
    pub standards: Vec<StandardChange<'a>>,
    pub service_changed: bool,
    pub users_changed: bool,
    pub responsible_changed: bool,
}

/// One standard that was added, removed or changed its numbers.
#[derive(Debug)]
pub struct StandardChange<'a> {
    pub kind: &'static str,
    pub old: Option<&'a Standard>,
    pub new: Option<&'a Standard>,
    pub direction: Direction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Promises more: fewer days or a higher percentage.
    Tightened,
    /// Promises less.
    Relaxed,
    /// One number better, another worse.
    Mixed,
    /// A new kind of standard for this commitment.
    Added,
    /// A kind of standard the commitment no longer has.
    Removed,
}

impl Direction {
    /// The key used in templates and open data.
    pub fn key(self) -> &'static str {
        match self {
            Direction::Tightened => "tightened",
            Direction::Relaxed => "relaxed",
            Direction::Mixed => "mixed",
            Direction::Added => "added",
            Direction::Removed => "removed",
        }
    }
}

/// Compares the commitments of an older and a newer edition.
pub fn compare<'a>(old: &'a Commitments, new: &'a Commitments) -> Changes<'a> {
    let mut changes = Changes::default();
    let find = |list: &'a Commitments, id: &str| {
        list.commitments
            .iter()
            .find(|commitment| commitment.id.value == id)
    };
    for commitment in &new.commitments {
        match find(old, &commitment.id) {
            None => changes.added.push(commitment),
            Some(before) => {
                let change = CommitmentChange {
                    old: before,
                    new: commitment,
                    standards: compare_standards(&before.standards, &commitment.standards),
                    service_changed: before.service != commitment.service,
                    users_changed: before.users != commitment.users,
                    responsible_changed: ids(before) != ids(commitment),
                };
                if !change.standards.is_empty()
                    || change.service_changed
                    || change.users_changed
                    || change.responsible_changed
                {
                    changes.changed.push(change);
                }
            }
        }
    }
    for commitment in &old.commitments {
        if find(new, &commitment.id).is_none() {
            changes.removed.push(commitment);
        }
    }
    changes
}

fn ids(commitment: &Commitment) -> Vec<&str> {
    commitment
        .responsible
        .iter()
        .map(|id| id.value.as_str())
        .collect()
}

/// Standards matched by kind and, for repeated kinds, by their order among that kind.
fn compare_standards<'a>(old: &'a [Standard], new: &'a [Standard]) -> Vec<StandardChange<'a>> {
    let nth = |list: &'a [Standard], kind: &str, n: usize| {
        list.iter()
            .filter(|standard| standard.kind() == kind)
            .nth(n)
    };
    let ordinal = |list: &'a [Standard], index: usize| {
        let kind = list[index].kind();
        list[..index]
            .iter()
            .filter(|standard| standard.kind() == kind)
            .count()
    };
    let mut result = Vec::new();
    for (index, standard) in new.iter().enumerate() {
        let kind = standard.kind();
        match nth(old, kind, ordinal(new, index)) {
            None => result.push(StandardChange {
                kind,
                old: None,
                new: Some(standard),
                direction: Direction::Added,
            }),
            Some(before) => {
                if let Some(direction) = direction(before, standard) {
                    result.push(StandardChange {
                        kind,
                        old: Some(before),
                        new: Some(standard),
                        direction,
                    });
                }
            }
        }
    }
    for (index, standard) in old.iter().enumerate() {
        if nth(new, standard.kind(), ordinal(old, index)).is_none() {
            result.push(StandardChange {
                kind: standard.kind(),
                old: Some(standard),
                new: None,
                direction: Direction::Removed,
            });
        }
    }
    result
}

/// How the numbers of one kind of standard moved; `None` when they are the same.
fn direction(old: &Standard, new: &Standard) -> Option<Direction> {
    // Each pair is (before, after, true when a larger number promises more).
    let moves: Vec<(f64, f64, bool)> = match (old, new) {
        (Standard::TakeCharge(a), Standard::TakeCharge(b))
        | (Standard::Response(a), Standard::Response(b)) => vec![
            (f64::from(a.days.value), f64::from(b.days.value), false),
            (a.percent.value, b.percent.value, true),
        ],
        (Standard::Availability(a), Standard::Availability(b)) => {
            vec![(a.percent.value, b.percent.value, true)]
        }
        _ => Vec::new(),
    };
    let mut better = false;
    let mut worse = false;
    for (before, after, larger_is_better) in moves {
        if after == before {
            continue;
        }
        if (after > before) == larger_is_better {
            better = true;
        } else {
            worse = true;
        }
    }
    match (better, worse) {
        (false, false) => None,
        (true, false) => Some(Direction::Tightened),
        (false, true) => Some(Direction::Relaxed),
        (true, true) => Some(Direction::Mixed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;
    use crate::source::SourceMap;

    fn commitments(text: &str) -> Commitments {
        let mut sources = SourceMap::new();
        let file = sources.add("c.yaml", text.to_string());
        yaml::parse(text, &sources, file, 0).unwrap()
    }

    fn one(id: &str, standards: &str) -> String {
        format!(
            "  - id: {id}\n    service: S {id}\n    users: [u]\n    responsible: [x]\n    standards:\n{standards}"
        )
    }

    #[test]
    fn classifies_every_kind_of_change() {
        let old = commitments(&format!(
            "commitments:\n{}{}{}{}",
            one(
                "a",
                "      - take_charge: {days: 5, percent: 85}\n      - response: {days: 4, percent: 90}\n"
            ),
            one("b", "      - availability: {percent: 99.8}\n"),
            one(
                "c",
                "      - take_charge: {days: 3, percent: 85}\n      - on_request\n"
            ),
            one("gone", "      - best_effort\n"),
        ));
        let new = commitments(&format!(
            "commitments:\n{}{}{}{}",
            one(
                "a",
                "      - take_charge: {days: 3, percent: 85}\n      - response: {days: 4, percent: 90}\n"
            ),
            one(
                "b",
                "      - availability: {percent: 99.6}\n      - best_effort\n"
            ),
            one("c", "      - take_charge: {days: 2, percent: 80}\n"),
            one("new", "      - on_request\n"),
        ));
        let changes = compare(&old, &new);
        let ids =
            |list: &[&Commitment]| list.iter().map(|c| c.id.value.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&changes.added), ["new"]);
        assert_eq!(ids(&changes.removed), ["gone"]);
        let found: Vec<(&str, &str, Direction)> = changes
            .standards()
            .map(|(commitment, standard)| {
                (
                    commitment.new.id.value.as_str(),
                    standard.kind,
                    standard.direction,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a", "take_charge", Direction::Tightened),
                ("b", "availability", Direction::Relaxed),
                ("b", "best_effort", Direction::Added),
                ("c", "take_charge", Direction::Mixed),
                ("c", "on_request", Direction::Removed),
            ]
        );
        assert_eq!(changes.count(Direction::Tightened), 1);
        assert!(compare(&new, &new).is_empty());
    }
}
