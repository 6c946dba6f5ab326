//! The rewrite pass over the pages an output made: links made relative to the deployment path,
//! external links marked, ids made unique in the print edition (see [`crate::rewrite`]) — in
//! parallel, each page written into the staging folder as soon as it is rewritten when the build
//! writes one. A page whose HTML is the same as in the last run is not rewritten again (`serve`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::css::Vocabulary;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::gate::Policy;
use crate::gate::csp::PageKind;
use crate::gate::page::{Inspection, Inspector, Shape};
use crate::output::{self, OutputFile};
use crate::render;
use crate::rewrite::{self, RewriteSettings};

/// A page after the rewrite pass, with the HTML it was rewritten from.
pub(super) struct Rewritten {
    from: RewriteInput,
    html: String,
    problems: Vec<Diagnostic>,
    vocabulary: Option<Vocabulary>,
    ids: BTreeSet<String>,
    gate: Inspection,
}

/// What the rewrite pass read of a page: its frame and its parts.
#[derive(Default, Clone)]
struct RewriteInput {
    html: String,
    parts: Vec<Arc<String>>,
}

/// The rewrite pass of one run: its settings, what the last run rewrote, and what this one did.
pub(super) struct Rewriter<'a> {
    pub(crate) settings: RewriteSettings,
    /// The gate's policy, whose page checks run in the same pass.
    pub(crate) policy: Policy,
    pub(crate) previous: BTreeMap<String, Rewritten>,
    pub(crate) done: BTreeMap<String, Rewritten>,
    /// Record what was rewritten for the next run.
    pub(crate) keep: bool,
    pub(crate) staging: Option<&'a output::write::Staging>,
    /// What the gate found in each page rewritten in this run (see [`RewriteOutcome`]).
    pub(crate) inspected: crate::gate::Inspected,
}

impl Rewriter<'_> {
    /// Rewrites `pages` (and writes them, with a staging folder); their problems go to
    /// `diagnostics`.
    pub(super) fn pages(
        &mut self,
        pages: Vec<render::Page>,
        diagnostics: &mut Diagnostics,
    ) -> Result<RewriteOutcome, output::write::WriteError> {
        let mut outcome = rewrite_pages(
            pages,
            &Settings {
                rewrite: &self.settings,
                policy: &self.policy,
            },
            &self.previous,
            self.keep,
            &mut self.done,
            diagnostics,
            self.staging,
        )?;
        self.inspected.append(&mut outcome.inspected);
        Ok(outcome)
    }
}

/// What one pass over a page runs with: the rewrite's settings and the gate's policy.
#[derive(Clone, Copy)]
struct Settings<'s> {
    rewrite: &'s RewriteSettings,
    policy: &'s Policy,
}

/// A page after the rewrite pass: where it went, its problems, and what to keep of it for the
/// next run (only when the cache keeps).
struct RewrittenPage {
    path: String,
    url: String,
    out: PageOut,
    problems: Vec<Diagnostic>,
    vocabulary: Option<Vocabulary>,
    ids: BTreeSet<String>,
    gate: Inspection,
    shape: Shape,
    record: Option<Rewritten>,
}

/// A rewritten page, in memory or already written into the build's staging folder.
enum PageOut {
    Kept(render::Page),
    Staged(OutputFile),
}

enum RewriteFailure {
    /// The page could not be rewritten: a content or theme problem, reported with the others.
    Page(Diagnostic),
    /// The page could not be written: the build stops.
    Write(output::write::WriteError),
}

/// What the rewrite pass made: the pages kept in memory, and the files it already wrote.
#[derive(Default)]
pub(super) struct RewriteOutcome {
    pub(crate) pages: Vec<render::Page>,
    pub(crate) staged: Vec<OutputFile>,
    /// What the pages hold that a selector can name (when the settings collect it).
    pub(crate) vocabulary: Vocabulary,
    /// Each page's address and its ids, for the link check.
    pub(crate) anchors: Vec<(String, BTreeSet<String>)>,
    /// What the gate found in each page, by its path in the output, and the shape it read it as.
    pub(crate) inspected: crate::gate::Inspected,
}

/// The rewrite pass over pages, in parallel (and over the parts of a page, in parallel too);
/// pages keep their order and their problems go to `diagnostics`. A page whose HTML is the same
/// as in `previous` is not rewritten again; when `keep` is set, what was rewritten is recorded in
/// `done` for the next run. With `staging`, each page is written there as soon as it is rewritten
/// and only its place is kept, so the site is never held in memory whole.
fn rewrite_pages(
    pages: Vec<render::Page>,
    settings: &Settings<'_>,
    previous: &BTreeMap<String, Rewritten>,
    keep: bool,
    done: &mut BTreeMap<String, Rewritten>,
    diagnostics: &mut Diagnostics,
    staging: Option<&output::write::Staging>,
) -> Result<RewriteOutcome, output::write::WriteError> {
    let rewritten: Vec<Result<RewrittenPage, RewriteFailure>> = pages
        .into_par_iter()
        .map(|page| {
            if let Some(staging) = staging.filter(|_| !keep && !page.parts.is_empty()) {
                return rewrite_and_write_in_pieces(page, settings, staging);
            }
            // The print edition (a page with a plan) is always rewritten: its plan is not compared.
            let shape = shape_of(&page);
            let cached = previous.get(&page.path).filter(|cached| {
                page.parts.plan.is_none()
                    && cached.from.html == page.html
                    && cached.from.parts == page.parts.bodies
            });
            let (page, done, from) = match cached {
                Some(cached) => {
                    let html = cached.html.clone();
                    let page = render::Page::new(page.path, page.url, html);
                    let done = Done {
                        problems: cached.problems.clone(),
                        vocabulary: cached.vocabulary.clone(),
                        ids: cached.ids.clone(),
                        gate: cached.gate.clone(),
                    };
                    (page, done, keep.then(|| cached.from.clone()))
                }
                None => {
                    let (page, done, from) =
                        rewrite_whole(page, settings).map_err(RewriteFailure::Page)?;
                    (page, done, keep.then_some(from))
                }
            };
            let record = from.map(|from| Rewritten {
                from,
                html: page.pieces().concat(),
                problems: done.problems.clone(),
                vocabulary: done.vocabulary.clone(),
                ids: done.ids.clone(),
                gate: done.gate.clone(),
            });
            let path = page.path.clone();
            let url = page.url.clone();
            let out = match staging {
                Some(staging) => {
                    let pieces: Vec<&[u8]> = page.pieces().into_iter().map(str::as_bytes).collect();
                    let file = staging
                        .write_now(std::path::Path::new(&page.path), &pieces)
                        .map_err(RewriteFailure::Write)?;
                    PageOut::Staged(file)
                }
                None => PageOut::Kept(page.joined()),
            };
            Ok(RewrittenPage {
                path,
                url,
                out,
                problems: done.problems,
                vocabulary: done.vocabulary,
                ids: done.ids,
                gate: done.gate,
                shape,
                record,
            })
        })
        .collect();
    let mut outcome = RewriteOutcome::default();
    for result in rewritten {
        match result {
            Ok(page) => {
                diagnostics.extend(page.problems);
                outcome
                    .inspected
                    .push((page.path.clone(), page.shape, page.gate.findings));
                outcome.anchors.push((page.url, page.ids));
                if let Some(vocabulary) = page.vocabulary {
                    outcome.vocabulary.absorb(vocabulary);
                }
                if let Some(record) = page.record {
                    done.insert(page.path, record);
                }
                match page.out {
                    PageOut::Kept(page) => outcome.pages.push(page),
                    PageOut::Staged(file) => outcome.staged.push(file),
                }
            }
            Err(RewriteFailure::Page(diagnostic)) => diagnostics.push(diagnostic),
            Err(RewriteFailure::Write(error)) => return Err(error),
        }
    }
    Ok(outcome)
}

/// What the pass found in a page (or in one of its parts), besides its HTML.
#[derive(Default)]
struct Done {
    problems: Vec<Diagnostic>,
    vocabulary: Option<Vocabulary>,
    ids: BTreeSet<String>,
    /// What the gate's handlers, run last in the same pass, found.
    gate: Inspection,
}

impl Done {
    /// Adds what a part of the page holds (its vocabulary is not the page's: parts never use
    /// Bootstrap Italia).
    fn add_part(&mut self, part: Done) {
        self.problems.extend(part.problems);
        self.ids.extend(part.ids);
        self.gate.add_part(part.gate);
    }
}

/// A page with what the pass found in it and what it was rewritten from.
type Whole = (render::Page, Done, RewriteInput);

/// Rewrites a page's frame and its parts (in parallel), keeping the page in memory.
fn rewrite_whole(mut page: render::Page, settings: &Settings<'_>) -> Result<Whole, Diagnostic> {
    let shape = shape_of(&page);
    let (frame, mut done) = rewrite_html(&page.html, &page.url, settings, None, shape)?;
    let plan = page.parts.plan.as_deref();
    let parts: Vec<(String, Done)> = page
        .parts
        .bodies
        .par_iter()
        .enumerate()
        .map(|(index, part)| {
            let print = plan.map(|plan| (plan, index));
            rewrite_html(part, &page.url, settings, print, Shape::Fragment)
        })
        .collect::<Result<_, _>>()?;
    let mut rewritten_parts = Vec::with_capacity(parts.len());
    for (part, part_done) in parts {
        rewritten_parts.push(Arc::new(part));
        done.add_part(part_done);
    }
    let from = RewriteInput {
        html: std::mem::replace(&mut page.html, frame),
        parts: std::mem::replace(&mut page.parts.bodies, rewritten_parts),
    };
    Ok((page, done, from))
}

/// How many parts of a page are rewritten at once before they are written out, in order.
const PARTS_AT_ONCE: usize = 32;

/// Rewrites a page that has parts (the print edition) and writes it at the same time, a few parts
/// at once: parts are rewritten in parallel, written in order and dropped, so the rewritten
/// document is never whole in memory.
fn rewrite_and_write_in_pieces(
    mut page: render::Page,
    settings: &Settings<'_>,
    staging: &output::write::Staging,
) -> Result<RewrittenPage, RewriteFailure> {
    let shape = shape_of(&page);
    let (frame, mut done) =
        rewrite_html(&page.html, &page.url, settings, None, shape).map_err(RewriteFailure::Page)?;
    page.html = frame;
    let mut bodies = std::mem::take(&mut page.parts.bodies);
    let plan = page.parts.plan.as_deref();
    // Where the parts go in the frame; the parts keep their numbers while their text is elsewhere.
    page.parts.bodies = vec![Arc::default(); bodies.len()];
    let layout = page.layout();
    // Taking its digest on the way spares the manifest reading the print edition back.
    let mut file = staging
        .create(std::path::Path::new(&page.path), true)
        .map_err(RewriteFailure::Write)?;
    let mut ready: Vec<Option<String>> = vec![None; bodies.len()];
    let mut next_piece = 0;
    for start in (0..bodies.len()).step_by(PARTS_AT_ONCE) {
        let end = (start + PARTS_AT_ONCE).min(bodies.len());
        let rewritten: Vec<(String, Done)> = bodies[start..end]
            .par_iter_mut()
            .enumerate()
            .map(|(offset, body)| {
                let body = std::mem::take(body);
                let print = plan.map(|plan| (plan, start + offset));
                rewrite_html(&body, &page.url, settings, print, Shape::Fragment)
            })
            .collect::<Result<_, _>>()
            .map_err(RewriteFailure::Page)?;
        for (offset, (html, part_done)) in rewritten.into_iter().enumerate() {
            ready[start + offset] = Some(html);
            done.add_part(part_done);
        }
        // Write what is complete: the frame up to the first part not rewritten yet.
        while let Some(piece) = layout.get(next_piece) {
            match piece {
                render::Piece::Frame(text) => file.write(text.as_bytes()),
                render::Piece::Part(index) if *index < end => match ready[*index].take() {
                    Some(html) => file.write(html.as_bytes()),
                    None => Ok(()),
                },
                render::Piece::Part(_) => break,
            }
            .map_err(RewriteFailure::Write)?;
            next_piece += 1;
        }
        // Parts the frame leaves out are not kept either.
        ready[start..end].iter_mut().for_each(|part| *part = None);
    }
    for piece in &layout[next_piece..] {
        if let render::Piece::Frame(text) = piece {
            file.write(text.as_bytes()).map_err(RewriteFailure::Write)?;
        }
    }
    let file = file.finish().map_err(RewriteFailure::Write)?;
    Ok(RewrittenPage {
        path: page.path.clone(),
        url: page.url.clone(),
        out: PageOut::Staged(file),
        problems: done.problems,
        vocabulary: done.vocabulary,
        ids: done.ids,
        gate: done.gate,
        shape,
        record: None,
    })
}

/// How the gate reads a page: a document with the print edition's policy when it has a plan,
/// the site's otherwise. The gate reads again, as it finds it, a file it expects to be otherwise.
fn shape_of(page: &render::Page) -> Shape {
    Shape::Document(match page.parts.plan {
        Some(_) => PageKind::Print,
        None => PageKind::Site,
    })
}

/// One rewrite pass over a page's HTML (or one of its parts: with `print`, part `index` of the
/// print edition, made part of the one document by its plan), with its problems located at the
/// page, its ids, its vocabulary when the settings collect it (the print edition's parts, which
/// never use Bootstrap Italia, have none), and what the gate, reading it as `shape` in the same
/// pass, found.
fn rewrite_html(
    html: &str,
    url: &str,
    settings: &Settings<'_>,
    print: Option<(&render::print::Plan, usize)>,
    shape: Shape,
) -> Result<(String, Done), Diagnostic> {
    let inspector = Inspector::new(shape, settings.policy).over(html);
    let rewritten = match print {
        Some((plan, index)) => {
            rewrite::print::rewrite_part(html, index, plan, settings.rewrite, Some(&inspector))
        }
        None => rewrite::rewrite_page(html, settings.rewrite, Some(&inspector)),
    };
    let pass = rewritten.map_err(|error| {
        Diagnostic::error(
            "E160",
            format!("riscrittura della pagina {url} non riuscita: {error}"),
        )
    })?;
    let problems = pass
        .problems
        .into_iter()
        .map(|problem| {
            Diagnostic::error(
                "E161",
                format!("link non valido `{}` nella pagina {url}", problem.href),
            )
            .with_hint("il link viene dal tema: controlla il modello che lo scrive")
        })
        .collect();
    let done = Done {
        problems,
        vocabulary: pass.vocabulary,
        ids: pass.ids,
        gate: inspector.finish(),
    };
    Ok((pass.html, done))
}
