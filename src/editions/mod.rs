//! Editions: the charter in force and its earlier editions, in time order, and how each stays online.
//!
//! The current edition is `content/charter.yaml` with `content/data/`; earlier ones live in
//! `content/editions/<folder>/` (see `docs/content.md`). This module puts them on one timeline
//! (oldest first, by approval date), gives each its stable URL segment, the day a later edition took
//! its place and its retention (art. 8 c.3, [`crate::retention`]); [`changes`] compares two of them.
//! It reads the model only.

pub(crate) mod changes;

use crate::diagnostics::Diagnostic;
use crate::model::{Charter, Commitments, Date, Organization, Project};
use crate::retention::{self, Retention};
use crate::slug;
use crate::source::{FileId, SourceMap};

/// One edition on the timeline.
#[derive(Debug, Clone)]
pub(crate) struct EditionRef<'a> {
    /// URL segment: `/edizioni/<slug>/`.
    pub slug: String,
    pub charter: &'a Charter,
    pub commitments: &'a Commitments,
    /// The organigram its commitments refer to: its own, or the current one.
    pub organization: &'a Organization,
    /// True when the edition brought its own organigram (units may no longer exist today).
    pub own_organization: bool,
    /// The edition of `content/charter.yaml`: in force, or a draft.
    pub current: bool,
    /// In force: the current edition when approved; when the current edition is a draft, the
    /// latest earlier edition, which it has not replaced yet.
    pub in_force: bool,
    /// A draft, not approved yet (only the current edition can be one).
    pub draft: bool,
    /// Publication day of the edition that replaced it.
    pub superseded_on: Option<Date>,
    /// How long it stays online; none for a draft, which is not published.
    pub retention: Option<Retention>,
}

/// The URL segment of an edition: its `edition` value as a slug ("2025" → `2025`).
pub(crate) fn edition_slug(charter: &Charter) -> String {
    slug::slugify(&charter.edition)
}

/// Every edition, oldest first; the current edition is last. A draft replaces nothing: while the
/// current edition is a draft, the latest earlier edition stays in force.
pub(crate) fn timeline(project: &Project) -> Vec<EditionRef<'_>> {
    let mut earlier: Vec<EditionRef<'_>> = project
        .editions
        .iter()
        .map(|edition| EditionRef {
            slug: edition.folder.clone(),
            charter: &edition.charter.data,
            commitments: &edition.commitments.data,
            organization: edition
                .organization
                .as_ref()
                .map(|organization| &organization.data)
                .unwrap_or(&project.organization.data),
            own_organization: edition.organization.is_some(),
            current: false,
            in_force: false,
            draft: false,
            superseded_on: None,
            retention: None,
        })
        .collect();
    // Earlier editions are approved (`check` says so otherwise); one without a date goes last.
    earlier.sort_by(|a, b| {
        let key = |edition: &EditionRef<'_>| {
            let date = edition.charter.approval_date();
            (date.is_none(), date)
        };
        (key(a), &a.slug).cmp(&(key(b), &b.slug))
    });
    let current = &project.charter.data;
    earlier.push(EditionRef {
        slug: edition_slug(current),
        charter: current,
        commitments: &project.commitments.data,
        organization: &project.organization.data,
        own_organization: false,
        current: true,
        in_force: !current.is_draft(),
        draft: current.is_draft(),
        superseded_on: None,
        retention: None,
    });
    // Each published edition is replaced by the next published one.
    let published: Vec<Option<Date>> = earlier
        .iter()
        .map(|edition| edition.charter.published_date())
        .collect();
    for (index, edition) in earlier.iter_mut().enumerate() {
        let Some(date) = published[index] else {
            continue;
        };
        let next = published[index + 1..].iter().flatten().next().copied();
        edition.superseded_on = next;
        edition.in_force = next.is_none();
        edition.retention = Some(retention::retention(date, next));
    }
    earlier
}

/// Checks that the editions fit together: folder names, unique editions, approval dates in order.
pub(crate) fn check(project: &Project) -> Vec<Diagnostic> {
    let sources = &project.sources;
    let mut problems = Vec::new();
    let current = &project.charter.data;
    let current_slug = edition_slug(current);
    let mut seen: Vec<(String, String)> =
        vec![(current_slug.clone(), "content/charter.yaml".into())];
    for edition in &project.editions {
        let file = edition.charter.file;
        let charter = &edition.charter.data;
        let expected = edition_slug(charter);
        if edition.folder != expected {
            let message = if slug::is_valid(&edition.folder) {
                format!(
                    "la cartella dell'edizione si chiama `{}` ma il file dice `edition: \"{}\"`",
                    edition.folder, charter.edition
                )
            } else {
                format!(
                    "nome di cartella non valido per un'edizione: `{}`",
                    edition.folder
                )
            };
            let hint = if expected.is_empty() {
                "scrivi in `edition` il nome dell'edizione, per esempio \"2024\"".to_string()
            } else {
                format!(
                    "chiama la cartella content/editions/{expected}/ oppure correggi `edition`: il nome della cartella diventa l'indirizzo /edizioni/<nome>/"
                )
            };
            problems.push(
                at_key(Diagnostic::error("E182", message), sources, file, "edition")
                    .with_hint(hint),
            );
        }
        if let Some((_, other)) = seen.iter().find(|(slug, _)| *slug == expected) {
            let diagnostic = Diagnostic::error(
                "E183",
                format!("l'edizione «{}» compare due volte (anche in {other})", charter.edition),
            )
            .with_hint(if other == "content/charter.yaml" {
                "questa è l'edizione in vigore: in content/editions/ vanno solo le edizioni precedenti"
            } else {
                "ogni edizione deve avere un nome diverso"
            });
            problems.push(at_key(diagnostic, sources, file, "edition"));
        } else {
            seen.push((expected, sources.path(file).display().to_string()));
        }
        let Some(approval) = charter.approval.as_ref().map(|approval| &approval.date) else {
            problems.push(
                at_key(
                    Diagnostic::error(
                        "E184",
                        format!(
                            "l'edizione precedente «{}» non ha l'atto di approvazione",
                            charter.edition
                        ),
                    ),
                    sources,
                    file,
                    "edition",
                )
                .with_hint("un'edizione precedente è stata approvata: scrivi in `approval` l'atto (`act`) e la sua data (`date`)"),
            );
            continue;
        };
        let current_approval = current
            .approval
            .as_ref()
            .map(|approval| approval.date.value);
        if current_approval.is_some_and(|current| approval.value >= current) {
            problems.push(
                Diagnostic::error(
                    "E184",
                    format!(
                        "l'edizione precedente «{}» è approvata il {}, non prima dell'edizione in vigore ({})",
                        charter.edition,
                        approval.value.iso(),
                        current_approval.map(|date| date.iso()).unwrap_or_default()
                    ),
                )
                .at(file, approval.line, approval.col, approval.len)
                .with_hint(
                    "in content/editions/ vanno le edizioni approvate prima di quella di content/charter.yaml; se questa è la più recente, scambia i file",
                ),
            );
        } else if let Some(other) = project.editions.iter().find(|other| {
            !std::ptr::eq(*other, edition)
                && other.folder < edition.folder
                && other.charter.data.approval_date() == Some(approval.value)
        }) {
            problems.push(
                Diagnostic::error(
                    "E184",
                    format!(
                        "due edizioni approvate lo stesso giorno ({}): «{}» e «{}»",
                        approval.value.iso(),
                        other.charter.data.edition,
                        charter.edition
                    ),
                )
                .at(file, approval.line, approval.col, approval.len)
                .with_hint("controlla la data di approvazione: ogni edizione ha il suo atto"),
            );
        }
    }
    problems
}

/// Points at the value of a top-level key of a YAML file (`edition: "2024"`), or at the file.
pub(crate) fn at_key(
    diagnostic: Diagnostic,
    sources: &SourceMap,
    file: FileId,
    key: &str,
) -> Diagnostic {
    let text = sources.text(file);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && let Some(value) = rest.strip_prefix(':')
        {
            let value_start = value.len() - value.trim_start().len();
            let len = value.trim().chars().count().max(1) as u32;
            return diagnostic.at_offset(sources, file, offset + key.len() + 1 + value_start, len);
        }
        offset += line.len();
    }
    diagnostic.at(file, 1, 1, 1)
}
