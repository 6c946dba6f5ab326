//! Render: the charter's model and a loaded theme → the HTML of pages, before the rewrite pass.
//!
//! [`Context`] is made once per charter (views, menu, templates' globals, generated blocks, chapter
//! bodies); the page renderers ([`pages`], [`print`](mod@print), [`editions`], [`pack`]) read it and return
//! pages in memory. Nothing here reads or writes files, and nothing here decides which artifacts a
//! build makes: that is [`crate::output`]'s job.
//!
//! A [`Cache`] kept between runs (`carta serve`) makes a run render again only the blocks, chapter
//! bodies and pages whose inputs changed; the default cache keeps nothing, so both produce the
//! same pages.

pub(crate) mod context;
pub(crate) mod editions;
pub(crate) mod feedback;
pub(crate) mod jsonld;
pub(crate) mod pack;
mod page;
pub mod pages;
pub(crate) mod print;
pub(crate) mod results;
pub(crate) mod services;
pub(crate) mod view;

pub use context::Context;
pub(crate) use page::{Page, Parts, Piece};

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::blocks::{self, Kind};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Links, Source};
use crate::model::{Chapter, Project};

/// What the last render produced, by input. An entry is reused only when its input, serialized as
/// the templates see it, is the same as before; everything else is rendered again.
///
/// The cache knows nothing of the theme's templates: whoever keeps it across runs must drop it
/// ([`Cache::default`]) when the theme is reloaded.
#[derive(Default)]
pub struct Cache {
    /// Keep what was rendered for the next run; the default cache keeps nothing, so a plain
    /// build spends nothing on comparing inputs.
    keep: bool,
    /// The shared template context (strings, site, charter, chapter list, menu) of the last run.
    /// Blocks and pages read it, so when it changes they are all rendered again.
    shared: Option<String>,
    /// (block, heading level) → (block context, HTML).
    blocks: BTreeMap<(String, u8), (String, String)>,
    /// Chapter links and available block names the bodies were rendered with.
    links: Option<String>,
    /// Chapter file name → its last rendered body.
    bodies: BTreeMap<String, CachedBody>,
    /// Output path → (template, page context, HTML).
    pages: BTreeMap<String, (&'static str, String, String)>,
    /// The pages this run made, so that those of deleted chapters are forgotten.
    seen: std::collections::BTreeSet<String>,
    stats: RenderStats,
}

/// How much the last run actually rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Generated blocks rendered (at each heading level asked for).
    pub blocks: usize,
    /// Chapter bodies turned from Markdown into HTML.
    pub bodies: usize,
    /// Pages rendered from their templates.
    pub pages: usize,
}

impl Cache {
    /// A cache that keeps what each run rendered (`carta serve`).
    pub(crate) fn kept() -> Self {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    pub(crate) fn stats(&self) -> RenderStats {
        self.stats
    }

    /// Whether the cache keeps what runs make (`carta serve`).
    pub(crate) fn keeps(&self) -> bool {
        self.keep
    }

    fn reset_stats(&mut self) {
        self.stats = RenderStats::default();
        self.seen.clear();
    }

    /// The cached HTML of the page at `path`, when rendered with `template` from the same context.
    fn page(&self, path: &str, template: &str, context_key: Option<&String>) -> Option<String> {
        self.pages
            .get(path)
            .filter(|(cached_template, cached_key, _)| {
                *cached_template == template && Some(cached_key) == context_key
            })
            .map(|(_, _, html)| html.clone())
    }

    fn saw_page(&mut self, path: &str) {
        if self.keep {
            self.seen.insert(path.to_string());
        }
    }

    /// Counts a page rendered now and, when the cache keeps, records it.
    fn keep_page(&mut self, page: &Page, template: &'static str, context_key: Option<String>) {
        self.stats.pages += 1;
        if let Some(context_key) = context_key {
            let entry = (template, context_key, page.html.clone());
            self.pages.insert(page.path.clone(), entry);
        }
    }

    /// Forgets the pages this run did not make (a chapter removed, a block without data).
    pub(crate) fn end_run(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        if self.keep {
            self.pages.retain(|path, _| seen.contains(path));
        }
    }

    /// Sets the key of the globals this run renders with: when it differs from the last run's,
    /// every block and page is rendered again.
    fn share(&mut self, shared: Option<String>) {
        if shared.is_none() || shared != self.shared {
            self.blocks.clear();
            self.pages.clear();
            self.shared = shared;
        }
    }

    /// The cached HTML of `block` at heading `level`, when rendered from the same context; counts
    /// a miss as a block rendered now.
    fn block(&mut self, block: &str, level: u8, context_key: Option<&String>) -> Option<String> {
        let cached = self.cached_block(block, level, context_key);
        if cached.is_none() {
            self.stats.blocks += 1;
        }
        cached
    }

    /// The cached HTML of a block, without counting a miss as a block rendered: the caller
    /// renders it only if a chapter asks for it, and counts it then with [`Cache::count_block`].
    fn cached_block(&self, block: &str, level: u8, context_key: Option<&String>) -> Option<String> {
        self.blocks
            .get(&(block.to_string(), level))
            .filter(|(cached_key, _)| Some(cached_key) == context_key)
            .map(|(_, html)| html.clone())
    }

    /// Counts a block rendered after a [`Cache::cached_block`] miss.
    fn count_block(&mut self) {
        self.stats.blocks += 1;
    }

    fn keep_block(&mut self, block: &str, level: u8, context_key: Option<String>, html: &str) {
        if let Some(context_key) = context_key {
            let entry = (context_key, html.to_string());
            self.blocks.insert((block.to_string(), level), entry);
        }
    }

    /// Sets the key of the links and blocks the bodies render with: when it changes, every body is
    /// rendered again.
    fn links_are(&mut self, links_key: Option<String>) {
        if links_key.is_none() || links_key != self.links {
            self.bodies.clear();
            self.links = links_key;
        }
    }

    fn body(
        &self,
        project: &Project,
        chapter: &Chapter,
        links: &Links<'_>,
    ) -> Option<markdown::Rendered> {
        self.bodies
            .get(&chapter.file_name)
            .filter(|cached| cached.matches(project, chapter, links))
            .map(CachedBody::rendered)
    }

    /// Forgets the bodies of chapters the project no longer has.
    fn keep_chapters(&mut self, project: &Project) {
        self.bodies
            .retain(|name, _| project.chapters.iter().any(|c| c.file_name == *name));
    }

    /// Counts a body rendered now and, when the cache keeps, records it with what it placed.
    fn keep_body(
        &mut self,
        project: &Project,
        chapter: &Chapter,
        links: &Links<'_>,
        body: &markdown::Rendered,
    ) {
        self.stats.bodies += 1;
        if !self.keep {
            return;
        }
        let blocks = body
            .block_headings
            .iter()
            .filter_map(|(name, heading)| {
                let before = heading.is_none();
                let html = links.block(name, before)?;
                Some((name.clone(), before, html.clone()))
            })
            .collect();
        self.bodies.insert(
            chapter.file_name.clone(),
            CachedBody {
                file: chapter.file,
                text: project.sources.text(chapter.file).to_string(),
                body_offset: chapter.body_offset,
                number: numbering(chapter),
                blocks,
                rendered: body.clone(),
            },
        );
    }
}

/// A chapter body and what it was rendered from: the whole file (front matter included, since
/// diagnostic lines count from the top), and the HTML of the blocks it placed (with whether each
/// came before the first section heading).
struct CachedBody {
    file: crate::source::FileId,
    text: String,
    body_offset: usize,
    /// The number carta gave the chapter, which its headings' numbers start with.
    number: Option<String>,
    blocks: Vec<(String, bool, String)>,
    rendered: markdown::Rendered,
}

/// The number carta gives `chapter`, when it numbers it: a body rendered with another is stale.
fn numbering(chapter: &Chapter) -> Option<String> {
    chapter
        .front
        .number
        .clone()
        .filter(|_| chapter.front.numbered)
}

impl CachedBody {
    fn matches(&self, project: &Project, chapter: &Chapter, links: &Links<'_>) -> bool {
        self.file == chapter.file
            && self.body_offset == chapter.body_offset
            && self.number == numbering(chapter)
            && self.text == project.sources.text(chapter.file)
            && self
                .blocks
                .iter()
                .all(|(name, before, html)| links.block(name, *before) == Some(html))
    }

    fn rendered(&self) -> markdown::Rendered {
        self.rendered.clone()
    }
}

/// Serializes a template input for comparison with the cached one, when the cache keeps
/// anything. `None` never matches, so the input is rendered again (and nothing is stored).
fn key(keep: bool, value: &impl Serialize) -> Option<String> {
    if keep {
        serde_json::to_string(value).ok()
    } else {
        None
    }
}

/// What the bodies are rendered with, for the cache: the chapters' addresses and the blocks there
/// are.
fn blocks_cache_key(keep: bool, links: &Links<'_>) -> Option<String> {
    key(keep, &(links.chapter_urls, links.blocks.names()))
}

/// Whether the project has the data of a block of kind `kind` (the optional blocks may lack it).
pub(crate) fn has_data(project: &Project, kind: Kind) -> bool {
    match kind {
        Kind::Stakeholders => project.stakeholders.is_some(),
        Kind::Channels => project.channels.is_some(),
        Kind::Results => project.results.is_some() || project.feedback.is_some(),
        Kind::Commitments | Kind::Contacts | Kind::Organigram => true,
    }
}

/// The Markdown problems (and lint warnings) of every chapter, without rendering any page: used when other errors
/// already stop the build, so one run still reports everything.
pub(crate) fn check_chapters(project: &Project) -> Vec<Diagnostic> {
    bodies_without_blocks(project)
        .into_iter()
        .flat_map(|rendered| rendered.diagnostics)
        .collect()
}

/// The links and images of every chapter, in chapter order, for `carta check`.
pub(crate) fn chapter_links(project: &Project) -> Vec<Vec<markdown::LinkUse>> {
    bodies_without_blocks(project)
        .into_iter()
        .map(|rendered| rendered.links)
        .collect()
}

/// Every chapter body rendered with empty blocks, in chapter order.
fn bodies_without_blocks(project: &Project) -> Vec<markdown::Rendered> {
    let chapter_urls = context::chapter_urls(project);
    let blocks: BTreeMap<String, String> = blocks::ALL
        .iter()
        .filter(|block| has_data(project, block.kind))
        .map(|block| (block.name.to_string(), String::new()))
        .collect();
    // Only the problems are wanted here, not the HTML: labels do not matter.
    let links = Links {
        chapter_urls: &chapter_urls,
        blocks: &blocks,
        blocks_before_sections: &blocks,
        table_label: "",
        table_label_no_section: "",
    };
    project
        .chapters
        .par_iter()
        .map(|chapter| {
            markdown::render(
                project.chapter_body(chapter),
                &Source {
                    sources: &project.sources,
                    file: chapter.file,
                    body_offset: chapter.body_offset,
                    front: Some(&chapter.front),
                },
                &links,
            )
        })
        .collect()
}

pub(crate) fn chapter_url(chapter: &Chapter) -> String {
    format!("/{}/", chapter.slug)
}

/// «Carta di qualità dei servizi — Direzione Sistemi Informativi, Comune di Firenze»: what the
/// site is, in the charter's own words.
pub(crate) fn charter_line(project: &Project) -> String {
    let charter = &project.charter.data;
    format!(
        "{} — {}, {}",
        charter.title, charter.office, project.config.ente.name
    )
}
