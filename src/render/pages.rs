//! The site's own pages as views: the home page, a page per chapter, a page per generated block
//! and the "page not found"; and [`render`], which renders a set of them in parallel through the
//! theme, reusing what the [`Cache`] holds.

use rayon::prelude::*;
use serde::Serialize;

use super::print::PdfView;
use super::view::{NavItem, PageView, TocView};
use super::{Cache, Context, Page, chapter_url, charter_line, key};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::model::Chapter;

/// A page to render: where it goes, with which template, and what the template sees.
pub struct Job<'a> {
    pub(crate) path: String,
    pub(crate) template: &'static str,
    pub(crate) page: PageView<'a>,
    /// The PDF of the print edition, for the home page of a build that made one.
    pub(crate) pdf: Option<PdfView>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    page: &'a PageView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pdf: Option<&'a PdfView>,
}

/// The home page, linking the PDF when the build made one.
pub fn home<'a>(cx: &'a Context<'_>, pdf: Option<PdfView>) -> Job<'a> {
    let project = cx.project;
    let mut page = PageView::new(
        "home",
        project.charter.data.title.clone(),
        "/".to_string(),
        cx.last_updated.clone(),
    );
    page.jsonld = Some(cx.jsonld.clone());
    page.results_summary = super::results::home_summary(&cx.results, cx.strings);
    // The charter's own summary, as plain text, describes the home page to search engines.
    page.description = Some(markdown::plain_summary(&project.charter.data.summary))
        .filter(|summary| !summary.is_empty())
        .or_else(|| Some(charter_line(project)));
    Job {
        path: "index.html".to_string(),
        template: "home.html",
        page,
        pdf,
    }
}

/// A page per chapter, with its table of contents and its neighbours.
pub fn chapters<'a>(cx: &'a Context<'_>) -> Vec<Job<'a>> {
    let chapters = &cx.project.chapters;
    let neighbour = |chapter: &Chapter| NavItem {
        title: chapter.front.title.value.clone(),
        url: chapter_url(chapter),
    };
    chapters
        .iter()
        .zip(&cx.bodies)
        .enumerate()
        .map(|(index, (chapter, body))| {
            let reviewed = chapter
                .front
                .last_reviewed
                .as_ref()
                .map(|date| super::view::DateView::new(date.value, cx.strings))
                .unwrap_or_else(|| cx.last_updated.clone());
            let mut page = PageView::new(
                "chapter",
                chapter.front.title.value.clone(),
                chapter_url(chapter),
                reviewed,
            );
            page.number = chapter.front.number.clone();
            // Without a description in the front matter, the chapter's first paragraph describes it.
            page.lead = chapter.front.description.clone();
            page.description = chapter.front.description.clone().or_else(|| {
                let text = &cx.sources().text(chapter.file)[chapter.body_offset..];
                Some(markdown::first_paragraph(text)).filter(|first| !first.is_empty())
            });
            page.content_html = &body.html;
            page.breadcrumb = vec![cx.home.clone()];
            page.toc = body
                .toc
                .iter()
                .filter(|entry| entry.level <= 3)
                .map(|entry| TocView {
                    level: entry.level,
                    id: entry.id.clone(),
                    text: entry.text.clone(),
                })
                .collect();
            page.prev = index
                .checked_sub(1)
                .and_then(|i| chapters.get(i))
                .map(neighbour);
            page.next = chapters.get(index + 1).map(neighbour);
            Job {
                path: format!("{}/index.html", chapter.slug),
                template: "chapter.html",
                page,
                pdf: None,
            }
        })
        .collect()
}

/// A page per generated block that has one (commitments, contacts, organigram).
pub fn generated<'a>(cx: &'a Context<'_>) -> Vec<Job<'a>> {
    cx.generated
        .iter()
        .filter_map(|generated| {
            let html = cx.blocks_on_pages.get(generated.block)?;
            let mut page = PageView::new(
                "generated",
                generated.title.clone(),
                generated.url.clone(),
                cx.last_updated.clone(),
            );
            page.description = Some(generated.description.clone());
            page.content_html = html;
            if generated.block == crate::blocks::COMMITMENTS.name {
                page.jsonld = Some(cx.jsonld.clone());
            }
            page.breadcrumb = vec![cx.home.clone()];
            Some(Job {
                path: format!("{}index.html", generated.url.trim_start_matches('/')),
                template: "generated.html",
                page,
                pdf: None,
            })
        })
        .collect()
}

/// The address of the legal notes page carta writes (`[site] legal_notes_page`).
pub(crate) fn legal_notes_url(strings: &crate::strings::Strings) -> String {
    format!("/{}/", strings.legal_notes.slug)
}

/// The legal notes page, when the site asks carta to write it: the licence of the contents in
/// the words of AGID's model (`data-element` names as AGID's validator reads them, C.SI.3.4).
pub(crate) fn legal_notes<'a>(cx: &'a Context<'_>) -> Option<Job<'a>> {
    if !cx.project.config.site.legal_notes_page {
        return None;
    }
    let url = legal_notes_url(cx.strings);
    let mut page = PageView::new(
        "legal_notes",
        cx.strings.legal_notes.title.clone(),
        url.clone(),
        cx.last_updated.clone(),
    );
    page.description = Some(cx.strings.legal_notes.description.clone());
    page.breadcrumb = vec![cx.home.clone()];
    Some(Job {
        path: format!("{}index.html", url.trim_start_matches('/')),
        template: "legal-notes.html",
        page,
        pdf: None,
    })
}

/// The page a server shows for an address the site does not have.
pub(crate) fn not_found<'a>(cx: &'a Context<'_>) -> Job<'a> {
    let mut page = PageView::new(
        "not_found",
        cx.strings.pages.not_found_title.clone(),
        "/404.html".to_string(),
        cx.last_updated.clone(),
    );
    page.breadcrumb = vec![cx.home.clone()];
    page.description = Some(charter_line(cx.project));
    Job {
        path: "404.html".to_string(),
        template: "404.html",
        page,
        pdf: None,
    }
}

/// One page of a run: rendered now (with the key of its context) or taken from the cache.
struct PageRun {
    page: Page,
    template: &'static str,
    /// `None` when taken from the cache; `Some(key)` when rendered now.
    rendered_from: Option<Option<String>>,
}

/// Renders `jobs` in parallel, in order, reusing from `cache` every page whose template and
/// context are the same as last time. A template fault that fails many pages is reported once.
pub fn render(
    cx: &Context<'_>,
    jobs: Vec<Job<'_>>,
    cache: &mut Cache,
) -> Result<Vec<Page>, Diagnostics> {
    let keep = cache.keep;
    let runs: Vec<Result<PageRun, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let context = PageContext {
                page: &job.page,
                pdf: job.pdf.as_ref(),
            };
            let context_key = key(keep, &context);
            let url = job.page.url.clone();
            if let Some(html) = cache.page(&job.path, job.template, context_key.as_ref()) {
                return Ok(PageRun {
                    page: Page::new(job.path, url, html),
                    template: job.template,
                    rendered_from: None,
                });
            }
            cx.render(job.template, &context).map(|html| PageRun {
                page: Page::new(job.path, url, html),
                template: job.template,
                rendered_from: Some(context_key),
            })
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut pages = Vec::with_capacity(runs.len());
    let mut seen_errors = std::collections::BTreeSet::new();
    for run in runs {
        match run {
            Ok(run) => {
                cache.saw_page(&run.page.path);
                if let Some(context_key) = run.rendered_from {
                    cache.keep_page(&run.page, run.template, context_key);
                }
                pages.push(run.page);
            }
            Err(diagnostic) => {
                if seen_errors.insert(diagnostic.message.clone()) {
                    diagnostics.push(diagnostic);
                }
            }
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(pages)
    }
}
