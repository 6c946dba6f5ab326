//! "Cosa è cambiato": what changed in the commitments between two editions.
//!
//! Commitments are matched by their stable `id`; within a commitment, standards are matched by
//! their stable id too (written, or derived: the first `take_charge` is `take-charge` in both
//! editions, and so on). A standard whose target keeps its unit, comparator and period is
//! *tightened* when it promises more (a shorter deadline, a higher share of cases, a higher
//! minimum or a lower maximum), *relaxed* when it promises less, *mixed* when one number moved
//! each way; any other difference in its target (another unit, a number where there was none, a
//! standard defined at last) is *changed*. Notes, indicators and formulas are free text and are
//! not compared. The result refers to the two editions' data; it holds no text for readers.

use crate::model::{Commitment, Commitments, Standard, Target};

/// Everything that differs, in the newer edition's order (removed ones in the older's order).
#[derive(Debug, Default)]
pub(crate) struct Changes<'a> {
    pub added: Vec<&'a Commitment>,
    pub removed: Vec<&'a Commitment>,
    /// Commitments in both editions that differ in something.
    pub changed: Vec<CommitmentChange<'a>>,
}

impl Changes<'_> {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Every changed standard with its commitment, in order.
    pub(crate) fn standards(
        &self,
    ) -> impl Iterator<Item = (&CommitmentChange<'_>, &StandardChange<'_>)> {
        self.changed.iter().flat_map(|change| {
            change
                .standards
                .iter()
                .map(move |standard| (change, standard))
        })
    }

    /// How many standards changed in the given direction.
    pub(crate) fn count(&self, direction: Direction) -> usize {
        self.standards()
            .filter(|(_, standard)| standard.direction == direction)
            .count()
    }
}

/// A commitment present in both editions.
#[derive(Debug)]
pub(crate) struct CommitmentChange<'a> {
    pub new: &'a Commitment,
    pub standards: Vec<StandardChange<'a>>,
    pub service_changed: bool,
    pub users_changed: bool,
    pub responsible_changed: bool,
}

/// One standard that was added, removed or changed its target.
#[derive(Debug)]
pub(crate) struct StandardChange<'a> {
    /// The standard's id within its commitment.
    pub id: String,
    pub old: Option<&'a Standard>,
    pub new: Option<&'a Standard>,
    pub direction: Direction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Promises more: fewer days or a higher percentage.
    Tightened,
    /// Promises less.
    Relaxed,
    /// One number better, another worse.
    Mixed,
    /// A different target that numbers cannot rank: another unit or comparator, a number where
    /// there was none, a standard defined at last.
    Changed,
    /// A new kind of standard for this commitment.
    Added,
    /// A kind of standard the commitment no longer has.
    Removed,
}

impl Direction {
    /// The key used in templates and open data.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Direction::Tightened => "tightened",
            Direction::Relaxed => "relaxed",
            Direction::Mixed => "mixed",
            Direction::Changed => "changed",
            Direction::Added => "added",
            Direction::Removed => "removed",
        }
    }
}

/// Compares the commitments of an older and a newer edition.
pub(crate) fn compare<'a>(old: &'a Commitments, new: &'a Commitments) -> Changes<'a> {
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

/// Standards matched by their id within the commitment.
fn compare_standards<'a>(old: &'a [Standard], new: &'a [Standard]) -> Vec<StandardChange<'a>> {
    let find = |list: &'a [Standard], id: &str| list.iter().find(|s| s.id.value == id);
    let mut result = Vec::new();
    for standard in new {
        let id = standard.id.value.clone();
        match find(old, &id) {
            None => result.push(StandardChange {
                id,
                old: None,
                new: Some(standard),
                direction: Direction::Added,
            }),
            Some(before) => {
                if let Some(direction) = direction(before, standard) {
                    result.push(StandardChange {
                        id,
                        old: Some(before),
                        new: Some(standard),
                        direction,
                    });
                }
            }
        }
    }
    for standard in old {
        if find(new, &standard.id.value).is_none() {
            result.push(StandardChange {
                id: standard.id.value.clone(),
                old: Some(standard),
                new: None,
                direction: Direction::Removed,
            });
        }
    }
    result
}

/// How the target of one standard moved; `None` when it is the same.
pub(crate) fn direction(old: &Standard, new: &Standard) -> Option<Direction> {
    let share = |standard: &Standard| standard.share.as_ref().map(|share| share.value);
    // Each pair is (before, after, true when a larger number promises more).
    let moves: Vec<(f64, f64, bool)> = match (&old.target, &new.target) {
        (Target::Measure(a), Target::Measure(b))
            if a.unit.value == b.unit.value
                && a.comparator.value == b.comparator.value
                && a.per.as_ref().map(|p| p.value) == b.per.as_ref().map(|p| p.value)
                && share(old).is_some() == share(new).is_some() =>
        {
            let Some(larger_is_better) = a.comparator.value.larger_is_better() else {
                // An exact value that moved is neither more nor less of a promise.
                return (a.value.value != b.value.value || share(old) != share(new))
                    .then_some(Direction::Changed);
            };
            let mut moves = vec![(a.value.value, b.value.value, larger_is_better)];
            if let (Some(before), Some(after)) = (share(old), share(new)) {
                moves.push((before, after, true));
            }
            moves
        }
        (a, b) => {
            let same = match (a, b) {
                (Target::Promise(x), Target::Promise(y)) => x == y,
                (Target::Measure(_), _) | (_, Target::Measure(_)) => false,
                (a, b) => a.key() == b.key(),
            };
            return (!same || share(old) != share(new)).then_some(Direction::Changed);
        }
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
                    standard.id.as_str(),
                    standard.direction,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a", "take-charge", Direction::Tightened),
                ("b", "availability", Direction::Relaxed),
                ("b", "best-effort", Direction::Added),
                ("c", "take-charge", Direction::Mixed),
                ("c", "on-request", Direction::Removed),
            ]
        );
        assert_eq!(changes.count(Direction::Tightened), 1);
        assert!(compare(&new, &new).is_empty());
    }

    #[test]
    fn full_form_standards_are_matched_by_id_and_ranked_by_their_comparator() {
        let full = |id: &str, target: &str| {
            format!(
                "      - id: {id}\n        dimension: efficacia\n        indicator: X\n        target: {target}\n"
            )
        };
        let old = commitments(&format!(
            "commitments:\n{}",
            one(
                "a",
                &[
                    full("soglia", "{below: 10, unit: percent}"),
                    full("minimo", "{at_least: 30, unit: hours, per: week}"),
                    full("poi", "not_defined"),
                    full("unita", "{within: 20, unit: working_days}"),
                    full("uguale", "immediate"),
                ]
                .concat()
            ),
        ));
        let new = commitments(&format!(
            "commitments:\n{}",
            one(
                "a",
                &[
                    full("unita", "{within: 30, unit: calendar_days}"),
                    full("soglia", "{below: 5, unit: percent}"),
                    full("minimo", "{at_least: 25, unit: hours, per: week}"),
                    full("poi", "{within: 5, unit: days}"),
                    full("uguale", "immediate"),
                ]
                .concat()
            ),
        ));
        let changes = compare(&old, &new);
        let found: Vec<(&str, Direction)> = changes
            .standards()
            .map(|(_, standard)| (standard.id.as_str(), standard.direction))
            .collect();
        assert_eq!(
            found,
            [
                ("unita", Direction::Changed),
                ("soglia", Direction::Tightened),
                ("minimo", Direction::Relaxed),
                ("poi", Direction::Changed),
            ]
        );
    }
}
