//! The editions' pages: the archive (`/edizioni/`), one page per edition at its stable URL
//! (`/edizioni/<edizione>/`, the edition in force included, so its address does not change when a
//! newer edition replaces it) and "Cosa è cambiato" between each edition and the one before
//! (`/edizioni/<edizione>/cosa-e-cambiato/`).
//!
//! Views come from [`crate::editions`]; pages go through the theme (`editions.html`, `edition.html`,
//! `changes.html`, and `blocks/impegni.html` for each edition's table). No I/O.

use std::collections::HashMap;

use serde::Serialize;

use super::view::{
    ApprovalView, BlockData, CommitmentView, DateView, NavItem, PageView, RefView, StandardView,
};
use super::{Context, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::editions::EditionRef;
use crate::editions::changes::{self, Direction};
use crate::model::{Commitment, Organization, Project};
use crate::render::pack::RetentionView;
use crate::render::results::{ResultRowView, row_view};
use crate::results::{self, Status};
use crate::standards;
use crate::strings::Strings;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionSummaryView {
    pub(crate) edition: String,
    /// URL segment and id: `2024`.
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    /// The edition of `content/charter.yaml`.
    pub(crate) current: bool,
    /// In force now (the current edition, or the one before a draft).
    pub(crate) in_force: bool,
    /// A draft, not approved yet.
    pub(crate) draft: bool,
    /// None for a draft, as the publication date and the retention.
    pub(crate) approval: Option<ApprovalView>,
    pub(crate) published: Option<DateView>,
    pub(crate) last_updated: DateView,
    pub(crate) retention: Option<RetentionView>,
    pub(crate) superseded_on: Option<DateView>,
    pub(crate) superseded_by: Option<String>,
    /// "Cosa è cambiato" compared with the edition before, when there is one.
    pub(crate) changes_url: Option<String>,
    pub(crate) previous_edition: Option<String>,
    /// This edition's commitments as open data.
    pub(crate) data: Vec<DataLinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataLinkView {
    pub(crate) url: String,
    pub(crate) format: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionView {
    #[serde(flatten)]
    pub(crate) summary: EditionSummaryView,
    pub(crate) office: String,
    pub(crate) summary_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangesView {
    pub(crate) old: String,
    pub(crate) new: String,
    pub(crate) old_url: String,
    pub(crate) new_url: String,
    pub(crate) empty: bool,
    pub(crate) added: Vec<CommitmentView>,
    pub(crate) removed: Vec<CommitmentView>,
    pub(crate) standards: Vec<StandardChangeView>,
    pub(crate) other: Vec<OtherChangeView>,
    pub(crate) tightened: usize,
    pub(crate) relaxed: usize,
    /// The newer edition is a draft, not approved yet.
    pub(crate) draft: bool,
    /// For each standard whose target changed, the results measured while the older target was
    /// in force; only standards that have some.
    pub(crate) results: Vec<ChangeResultsView>,
}

/// The results of one changed standard measured under the older edition's target.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeResultsView {
    pub(crate) commitment_id: String,
    pub(crate) commitment: String,
    pub(crate) id: String,
    pub(crate) indicator: String,
    /// The older target, as the standard said it then.
    pub(crate) before: String,
    /// `tightened`, `relaxed`, `mixed`, `changed`.
    pub(crate) direction: &'static str,
    /// Each period, oldest first, with its status against the older target.
    pub(crate) rows: Vec<ResultRowView>,
    /// For a target relaxed after it was missed: the last period it was missed in.
    pub(crate) relaxed_after_missed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StandardChangeView {
    pub(crate) commitment_id: String,
    pub(crate) commitment: String,
    /// The standard's id within the commitment.
    pub(crate) id: String,
    /// The short form's key, or `full`.
    pub(crate) kind: &'static str,
    pub(crate) indicator: String,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
    /// `tightened`, `relaxed`, `mixed`, `changed`, `added`, `removed`.
    pub(crate) direction: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct OtherChangeView {
    pub(crate) commitment_id: String,
    pub(crate) commitment: String,
    /// `service`, `users`, `responsible`.
    pub(crate) fields: Vec<&'static str>,
}

#[derive(Serialize)]
struct ArchiveContext<'a> {
    page: &'a PageView<'a>,
    editions: &'a [EditionSummaryView],
}

#[derive(Serialize)]
struct EditionContext<'a> {
    page: &'a PageView<'a>,
    edition: &'a EditionView,
    commitments_html: &'a str,
}

#[derive(Serialize)]
struct ChangesContext<'a> {
    page: &'a PageView<'a>,
    changes: &'a ChangesView,
}

#[derive(Serialize)]
struct BlockContext<'a> {
    block: &'a BlockData,
    block_heading_level: u8,
}

/// `/edizioni/2024/`.
pub(crate) fn edition_url(strings: &Strings, slug: &str) -> String {
    format!("/{}/{slug}/", strings.editions.slug)
}

/// `/edizioni/2025/cosa-e-cambiato/`.
pub(crate) fn changes_url(strings: &Strings, slug: &str) -> String {
    format!(
        "/{}/{slug}/{}/",
        strings.editions.slug, strings.editions.changes_slug
    )
}

/// The folder of an edition's open data, relative to the output: `edizioni/2024`.
pub(crate) fn data_folder(strings: &Strings, slug: &str) -> String {
    format!("{}/{slug}", strings.editions.slug)
}

/// Summaries of every edition, newest first.
/// `data` names the open-data files every edition's folder holds, with their media types.
pub(crate) fn summaries(
    timeline: &[EditionRef<'_>],
    strings: &Strings,
    data: &[(&str, &'static str)],
) -> Vec<EditionSummaryView> {
    let mut views: Vec<EditionSummaryView> = timeline
        .iter()
        .enumerate()
        .map(|(index, edition)| {
            let previous = index.checked_sub(1).map(|i| &timeline[i]);
            let folder = data_folder(strings, &edition.slug);
            EditionSummaryView {
                edition: edition.charter.edition.clone(),
                slug: edition.slug.clone(),
                title: strings
                    .editions
                    .edition_title
                    .replace("{edition}", &edition.charter.edition),
                url: edition_url(strings, &edition.slug),
                current: edition.current,
                in_force: edition.in_force,
                draft: edition.draft,
                approval: ApprovalView::of(edition.charter, strings),
                published: edition
                    .charter
                    .published_date()
                    .map(|date| DateView::new(date, strings)),
                last_updated: DateView::new(edition.charter.last_updated.value, strings),
                retention: edition
                    .retention
                    .map(|retention| RetentionView::new(retention, strings)),
                superseded_on: edition
                    .superseded_on
                    .map(|date| DateView::new(date, strings)),
                superseded_by: edition.superseded_on.and_then(|_| {
                    timeline[index + 1..]
                        .iter()
                        .find(|later| later.charter.published_date().is_some())
                        .map(|later| later.charter.edition.clone())
                }),
                changes_url: previous.map(|_| changes_url(strings, &edition.slug)),
                previous_edition: previous.map(|p| p.charter.edition.clone()),
                data: data
                    .iter()
                    .map(|(name, format)| DataLinkView {
                        url: format!("/{folder}/{name}"),
                        format,
                    })
                    .collect(),
            }
        })
        .collect();
    views.reverse();
    views
}

/// The archive, every edition's page and every "Cosa è cambiato"; `data` as for [`summaries`].
pub(crate) fn render(
    cx: &Context<'_>,
    data: &[(&str, &'static str)],
) -> Result<Vec<Page>, Diagnostics> {
    let project = cx.project;
    let strings = cx.strings;
    let mut diagnostics = Diagnostics::new();
    let timeline = &cx.timeline;
    let summaries = summaries(timeline, strings, data);
    let home = NavItem {
        title: strings.pages.home_title.clone(),
        url: "/".to_string(),
    };
    let archive_url = super::pack::editions_url(strings);
    let archive_crumb = NavItem {
        title: strings.editions.title.clone(),
        url: archive_url.clone(),
    };
    let current_updated = DateView::new(project.charter.data.last_updated.value, strings);
    let mut pages = Vec::new();

    let mut archive = PageView::new(
        "editions",
        strings.editions.title.clone(),
        archive_url.clone(),
        current_updated.clone(),
    );
    archive.description = Some(
        strings
            .editions
            .archive_description(project.charter.data.is_draft())
            .to_string(),
    );
    archive.breadcrumb = vec![home.clone()];
    let rendered = cx.render(
        "editions.html",
        &ArchiveContext {
            page: &archive,
            editions: &summaries,
        },
    );
    push(&mut pages, &mut diagnostics, rendered, archive.url.clone());

    let by_url: HashMap<&str, &EditionSummaryView> = summaries
        .iter()
        .map(|summary| (summary.url.as_str(), summary))
        .collect();
    for (index, edition) in timeline.iter().enumerate() {
        let summary = (*by_url
            .get(edition_url(strings, &edition.slug).as_str())
            .expect("every edition has a summary"))
        .clone();
        let crumbs = [home.clone(), archive_crumb.clone()];
        match edition_page(cx, edition, summary, &crumbs) {
            Ok((url, rendered)) => push(&mut pages, &mut diagnostics, rendered, url),
            // Without its commitments the edition has no page, and nothing to compare.
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        }
        if let Some(previous) = index.checked_sub(1).map(|i| &timeline[i]) {
            let (url, rendered) = changes_page(cx, previous, edition, &crumbs);
            push(&mut pages, &mut diagnostics, rendered, url);
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(pages)
    }
}

/// One edition's page (its address and the page as rendered): its facts and its commitments, as
/// the commitments page shows them. An error in the commitments block means no page.
fn edition_page(
    cx: &Context<'_>,
    edition: &EditionRef<'_>,
    summary: EditionSummaryView,
    crumbs: &[NavItem; 2],
) -> Result<(String, Result<String, Diagnostic>), Diagnostic> {
    let block = commitments_block(edition, cx.project, cx.strings);
    let commitments_html = cx.render(
        "blocks/impegni.html",
        &BlockContext {
            block: &block,
            block_heading_level: 2,
        },
    )?;
    let view = EditionView {
        summary,
        office: edition.charter.office.clone(),
        summary_html: crate::markdown::render_text(&edition.charter.summary),
    };
    let mut page = PageView::new(
        "edition",
        view.summary.title.clone(),
        view.summary.url.clone(),
        view.summary.last_updated.clone(),
    );
    page.description = Some(edition.charter.title.clone());
    page.breadcrumb = crumbs.to_vec();
    let rendered = cx.render(
        "edition.html",
        &EditionContext {
            page: &page,
            edition: &view,
            commitments_html: &commitments_html,
        },
    );
    Ok((page.url, rendered))
}

/// What changed from `previous` to `edition`, on a page of its own: its address and the page as
/// rendered.
fn changes_page(
    cx: &Context<'_>,
    previous: &EditionRef<'_>,
    edition: &EditionRef<'_>,
    crumbs: &[NavItem; 2],
) -> (String, Result<String, Diagnostic>) {
    let strings = cx.strings;
    let mut view = changes_view(previous, edition, strings);
    view.results = results_before(&cx.results, previous, &view.standards, strings);
    let mut page = PageView::new(
        "changes",
        strings
            .editions
            .changes_title
            .replace("{edition}", &edition.charter.edition),
        changes_url(strings, &edition.slug),
        DateView::new(edition.charter.last_updated.value, strings),
    );
    page.description = Some(
        strings
            .editions
            .changes_description
            .replace("{old}", &previous.charter.edition)
            .replace("{new}", &edition.charter.edition),
    );
    page.breadcrumb = crumbs.to_vec();
    let rendered = cx.render(
        "changes.html",
        &ChangesContext {
            page: &page,
            changes: &view,
        },
    );
    (page.url, rendered)
}

/// Adds the page at `url` (written as `<url>index.html`), or its error once.
fn push(
    pages: &mut Vec<Page>,
    diagnostics: &mut Diagnostics,
    rendered: Result<String, Diagnostic>,
    url: String,
) {
    match rendered {
        Ok(html) => {
            let path = format!("{}index.html", url.trim_start_matches('/'));
            pages.push(Page::new(path, url, html));
        }
        Err(diagnostic) => {
            if !diagnostics.iter().any(|d| d.message == diagnostic.message) {
                diagnostics.push(diagnostic);
            }
        }
    }
}

/// The commitments table of an edition. Responsible units link to today's organigram only when the
/// edition uses it; an edition with its own organigram shows the names alone.
fn commitments_block(edition: &EditionRef<'_>, project: &Project, strings: &Strings) -> BlockData {
    let organization_url = format!("/{}/", strings.pages.organization_slug);
    let commitments = edition
        .commitments
        .commitments
        .iter()
        .enumerate()
        .map(|(index, commitment)| {
            commitment_view(
                index + 1,
                commitment,
                edition.organization,
                (!edition.own_organization).then_some(&project.organization.data),
                &organization_url,
                strings,
            )
        })
        .collect();
    BlockData::Commitments { commitments }
}

fn commitment_view(
    number: usize,
    commitment: &Commitment,
    organization: &Organization,
    linked: Option<&Organization>,
    organization_url: &str,
    strings: &Strings,
) -> CommitmentView {
    CommitmentView {
        id: commitment.id.value.clone(),
        number,
        service: commitment.service.clone(),
        users: commitment.users().to_vec(),
        standards: commitment
            .standards
            .iter()
            .map(|standard| StandardView::new(standard, &strings.standards))
            .collect(),
        responsible: commitment
            .responsible
            .iter()
            .map(|id| RefView {
                id: id.value.clone(),
                name: organization
                    .unit(id)
                    .map(|unit| unit.name.clone())
                    .unwrap_or_else(|| id.value.clone()),
                url: match linked {
                    Some(current) if current.unit(id).is_some() => {
                        format!("{organization_url}#{}", id.value)
                    }
                    _ => String::new(),
                },
            })
            .collect(),
        note: commitment.note.clone(),
        // An earlier edition's commitment has no page of its own.
        url: None,
    }
}

fn changes_view(old: &EditionRef<'_>, new: &EditionRef<'_>, strings: &Strings) -> ChangesView {
    let found = changes::compare(old.commitments, new.commitments);
    let view = |commitment: &Commitment, organization: &Organization| {
        commitment_view(0, commitment, organization, None, "", strings)
    };
    let sentence = |standard: Option<&crate::model::Standard>| {
        standard.map(|standard| standards::sentence(standard, &strings.standards))
    };
    ChangesView {
        old: old.charter.edition.clone(),
        new: new.charter.edition.clone(),
        old_url: edition_url(strings, &old.slug),
        new_url: edition_url(strings, &new.slug),
        empty: found.is_empty(),
        added: found
            .added
            .iter()
            .map(|commitment| view(commitment, new.organization))
            .collect(),
        removed: found
            .removed
            .iter()
            .map(|commitment| view(commitment, old.organization))
            .collect(),
        standards: found
            .standards()
            .map(|(commitment, standard)| StandardChangeView {
                commitment_id: commitment.new.id.value.clone(),
                commitment: commitment.new.service.clone(),
                id: standard.id.clone(),
                kind: standard
                    .new
                    .or(standard.old)
                    .and_then(|standard| standard.preset)
                    .map(|preset| preset.key())
                    .unwrap_or("full"),
                indicator: standard
                    .new
                    .or(standard.old)
                    .map(|standard| standards::indicator(standard, &strings.pack))
                    .unwrap_or_default(),
                before: sentence(standard.old),
                after: sentence(standard.new),
                direction: standard.direction.key(),
            })
            .collect(),
        other: found
            .changed
            .iter()
            .filter_map(|change| {
                let mut fields = Vec::new();
                if change.service_changed {
                    fields.push("service");
                }
                if change.users_changed {
                    fields.push("users");
                }
                if change.responsible_changed {
                    fields.push("responsible");
                }
                (!fields.is_empty()).then(|| OtherChangeView {
                    commitment_id: change.new.id.value.clone(),
                    commitment: change.new.service.clone(),
                    fields,
                })
            })
            .collect(),
        tightened: found.count(Direction::Tightened),
        relaxed: found.count(Direction::Relaxed),
        draft: new.draft,
        results: Vec::new(),
    }
}

/// The results measured while `old` was in force, of each standard whose target changed after
/// it, read against `old`'s target.
fn results_before(
    all: &[Vec<results::Row<'_>>],
    old: &EditionRef<'_>,
    changed: &[StandardChangeView],
    strings: &Strings,
) -> Vec<ChangeResultsView> {
    changed
        .iter()
        .filter(|change| change.before.is_some() && change.after.is_some())
        .filter_map(|change| {
            let rows: Vec<_> = all
                .iter()
                .flatten()
                .filter(|row| {
                    row.commitment.id.value == change.commitment_id
                        && row.standard.id.value == change.id
                        && row.measurement.is_some()
                        && row
                            .applied
                            .edition
                            .is_some_and(|charter| std::ptr::eq(charter, old.charter))
                })
                .collect();
            if rows.is_empty() {
                return None;
            }
            let missed = rows
                .iter()
                .rev()
                .find(|row| {
                    matches!(
                        row.status,
                        Status::Missed | Status::Declared(crate::model::Outcome::Missed)
                    )
                })
                .map(|row| super::results::period_label(row.period, strings));
            Some(ChangeResultsView {
                commitment_id: change.commitment_id.clone(),
                commitment: change.commitment.clone(),
                id: change.id.clone(),
                indicator: change.indicator.clone(),
                before: change.before.clone().unwrap_or_default(),
                direction: change.direction,
                rows: rows.iter().map(|row| row_view(row, strings)).collect(),
                relaxed_after_missed: missed.filter(|_| change.direction == "relaxed"),
            })
        })
        .collect()
}
