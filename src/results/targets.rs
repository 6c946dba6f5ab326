//! Which target each period is read against: the standard as the edition in force on the
//! period's last day promised it, when the repository has that edition (`content/editions/`) and
//! the standard was in it; otherwise the current edition's. Reads the model and the editions'
//! timeline only.

use std::collections::HashMap;

use crate::editions::{self, changes};
use crate::model::{Charter, Commitments, Date, Project, Standard};

/// The target a period is read against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Applied<'a> {
    pub(crate) standard: &'a Standard,
    /// The edition in force on the period's last day, when the repository has it and it had the
    /// standard; `None` when the period is read against the current edition for want of it.
    pub(crate) edition: Option<&'a Charter>,
}

/// The published editions, each with the day it took effect, oldest first, and every standard of
/// each by commitment id and standard id (so finding one is not a walk over the commitments).
pub(crate) struct Targets<'a> {
    published: Vec<(Date, &'a Charter, &'a Commitments)>,
    standards: Vec<HashMap<(&'a str, &'a str), &'a Standard>>,
}

impl<'a> Targets<'a> {
    pub(crate) fn new(project: &'a Project) -> Targets<'a> {
        let mut published: Vec<(Date, &'a Charter, &'a Commitments)> = editions::timeline(project)
            .into_iter()
            .filter_map(|edition| {
                let date = edition.charter.published_date()?;
                Some((date, edition.charter, edition.commitments))
            })
            .collect();
        published.sort_by_key(|(date, _, _)| *date);
        let standards = published
            .iter()
            .map(|(_, _, commitments)| {
                commitments
                    .commitments
                    .iter()
                    .flat_map(|commitment| {
                        commitment.standards.iter().map(move |standard| {
                            (
                                (commitment.id.value.as_str(), standard.id.value.as_str()),
                                standard,
                            )
                        })
                    })
                    .collect()
            })
            .collect();
        Targets {
            published,
            standards,
        }
    }

    /// The edition in force on `day`: the last one published on or before it (a draft never is).
    #[cfg(test)]
    pub(crate) fn in_force(&self, day: Date) -> Option<(&'a Charter, &'a Commitments)> {
        self.in_force_at(day).map(|index| {
            let (_, charter, commitments) = self.published[index];
            (charter, commitments)
        })
    }

    /// The index in `published` of the edition in force on `day`.
    fn in_force_at(&self, day: Date) -> Option<usize> {
        self.published.iter().rposition(|(date, _, _)| *date <= day)
    }

    /// The target of `current` (a standard of the current edition) in force on `day`.
    pub(crate) fn applied(
        &self,
        commitment: &str,
        current: &'a Standard,
        day: Date,
    ) -> Applied<'a> {
        let then = self.in_force_at(day).and_then(|index| {
            let charter = self.published[index].1;
            let standard = *self.standards[index].get(&(commitment, current.id.value.as_str()))?;
            // A standard that promised no level then cannot be read against.
            super::expects_result(standard).then_some(Applied {
                standard,
                edition: Some(charter),
            })
        });
        then.unwrap_or(Applied {
            standard: current,
            edition: None,
        })
    }
}

impl Applied<'_> {
    /// True when the target read against is not the one `current` promises today.
    pub(crate) fn differs_from(&self, current: &Standard) -> bool {
        changes::direction(self.standard, current).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn copy(from: &Path, to: &Path) {
        for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    /// The repository's charter (edition 2025, published 2025-06-03) with the tests' edition
    /// 2024 (published 2024-02-29), loaded.
    fn with_2024() -> (tempfile::TempDir, Project) {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
        copy(&repo.join("content"), &dir.path().join("content"));
        copy(
            &repo.join("tests/fixtures/editions/2024"),
            &dir.path().join("content/editions/2024"),
        );
        let (project, _) = crate::load::load(dir.path()).unwrap_or_else(|_| panic!("loads"));
        (dir, project)
    }

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_edition_in_force_is_the_last_published_on_or_before_the_day() {
        let (_dir, project) = with_2024();
        let targets = Targets::new(&project);
        let edition = |text: &str| {
            targets
                .in_force(day(text))
                .map(|(charter, _)| charter.edition.clone())
        };
        assert_eq!(edition("2024-02-28"), None);
        assert_eq!(edition("2024-02-29").as_deref(), Some("2024"));
        assert_eq!(edition("2025-06-02").as_deref(), Some("2024"));
        assert_eq!(edition("2025-06-03").as_deref(), Some("2025"));
    }

    #[test]
    fn a_period_is_read_against_its_edition_or_else_todays_target() {
        let (_dir, project) = with_2024();
        let targets = Targets::new(&project);
        let current = project
            .commitments
            .data
            .commitments
            .iter()
            .find(|commitment| commitment.id.value == "data-center-servizi-intranet")
            .unwrap();
        let availability = &current.standards[0];
        let at = |text: &str| targets.applied(&current.id.value, availability, day(text));
        let value = |applied: Applied<'_>| applied.standard.target.measure().unwrap().value.value;
        let then = at("2024-12-31");
        assert_eq!(value(then), 99.8);
        assert_eq!(
            then.edition.map(|charter| charter.edition.as_str()),
            Some("2024")
        );
        assert!(then.differs_from(availability));
        // Before any edition the repository has: today's target, and no edition named.
        let before = at("2023-12-31");
        assert_eq!(value(before), 99.6);
        assert!(before.edition.is_none() && !before.differs_from(availability));
        let now = at("2025-12-31");
        assert_eq!(value(now), 99.6);
        assert!(!now.differs_from(availability));
    }

    #[test]
    fn a_draft_is_never_in_force() {
        let (_dir, mut project) = with_2024();
        project.charter.data.approval = None;
        let targets = Targets::new(&project);
        let edition = targets
            .in_force(day("2026-12-31"))
            .map(|(charter, _)| charter.edition.clone());
        assert_eq!(edition.as_deref(), Some("2024"));
    }
}
