//! Which target each period is read against: the standard as the edition in force on the
//! period's last day promised it, when the repository has that edition (`content/editions/`) and
//! the standard was in it; otherwise the current edition's. Reads the model and the editions'
//! timeline only.

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

/// The published editions, each with the day it took effect, oldest first.
pub(crate) struct Targets<'a> {
    published: Vec<(Date, &'a Charter, &'a Commitments)>,
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
        Targets { published }
    }

    /// The edition in force on `day`: the last one published on or before it (a draft never is).
    pub(crate) fn in_force(&self, day: Date) -> Option<(&'a Charter, &'a Commitments)> {
        self.published
            .iter()
            .rev()
            .find(|(date, _, _)| *date <= day)
            .map(|(_, charter, commitments)| (*charter, *commitments))
    }

    /// The target of `current` (a standard of the current edition) in force on `day`.
    pub(crate) fn applied(
        &self,
        commitment: &str,
        current: &'a Standard,
        day: Date,
    ) -> Applied<'a> {
        let then = self.in_force(day).and_then(|(charter, commitments)| {
            let standard = commitments
                .commitments
                .iter()
                .find(|candidate| candidate.id.value == commitment)?
                .standards
                .iter()
                .find(|standard| standard.id.value == current.id.value)?;
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
