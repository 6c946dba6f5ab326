//! Render: model + theme → the HTML of every page, before the rewrite pass.
//!
//! Builds the site-wide template context once, renders each generated block once per heading level,
//! renders chapter bodies in parallel, then every page through the theme's templates. It returns
//! pages in memory; it reads and writes no files.
//!
//! [`render_with`] keeps what it rendered in a [`Cache`] and, on the next run, renders again only
//! the blocks, chapter bodies and pages whose inputs changed (`carta serve`); [`render`] starts from
//! an empty cache, so both produce the same pages.

pub mod editions;
pub mod jsonld;
pub mod pack;
mod page;
pub mod print;
pub mod standards;
pub mod templates;
pub mod view;

pub use page::{Page, Parts, Piece};

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Links, Source};
use crate::model::{Chapter, Project};
use crate::theme::Theme;
use view::{
    ApprovalView, BlockBuilder, BlockData, ChapterSummary, CharterView, CreditView, DateView,
    EnteView, FooterView, GeneratedSummary, NavItem, PageView, ParentView, SiteView, TocView,
};

/// The generated pages, in menu order: (block name, title, slug, description).
struct GeneratedPage {
    block: &'static str,
    title: String,
    url: String,
    description: String,
}

/// Renders every page, with the warnings found on the way (the content lint). `theme` is mutable
/// only to receive the shared context once.
pub fn render(
    project: &Project,
    theme: &mut Theme,
) -> Result<(Vec<Page>, Diagnostics), Diagnostics> {
    render_with(project, theme, &mut Cache::default())
}

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
    stats: RenderStats,
}

/// How much the last [`render_with`] actually rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub blocks: usize,
    pub bodies: usize,
    pub pages: usize,
}

impl Cache {
    /// A cache that keeps what each run rendered (`carta serve`).
    pub fn kept() -> Self {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    pub fn stats(&self) -> RenderStats {
        self.stats
    }
}

/// A chapter body and what it was rendered from: the whole file (front matter included, since
/// diagnostic lines count from the top), and the HTML of the blocks it placed (with whether each
/// came before the first section heading).
struct CachedBody {
    file: crate::source::FileId,
    text: String,
    body_offset: usize,
    blocks: Vec<(String, bool, String)>,
    rendered: markdown::Rendered,
}

impl CachedBody {
    fn matches(&self, project: &Project, chapter: &Chapter, links: &Links<'_>) -> bool {
        self.file == chapter.file
            && self.body_offset == chapter.body_offset
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

/// One page of a run: rendered now (with the context it was rendered from) or taken from the cache.
struct PageRun {
    page: Page,
    template: &'static str,
    /// `None` when taken from the cache; `Some(key)` when rendered now.
    rendered_from: Option<Option<String>>,
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

/// Renders every page like [`render`], reusing from `cache` whatever has the same input as last
/// time, and leaves in `cache` what this run rendered.
pub fn render_with(
    project: &Project,
    theme: &mut Theme,
    cache: &mut Cache,
) -> Result<(Vec<Page>, Diagnostics), Diagnostics> {
    cache.stats = RenderStats::default();
    let keep = cache.keep;
    let mut diagnostics = Diagnostics::new();
    let strings = theme.strings.clone();
    let pages_words = &strings.pages;
    let generated = vec![
        GeneratedPage {
            block: "impegni",
            title: pages_words.commitments_title.clone(),
            url: format!("/{}/", pages_words.commitments_slug),
            description: pages_words.commitments_description.clone(),
        },
        GeneratedPage {
            block: "contatti",
            title: pages_words.contacts_title.clone(),
            url: format!("/{}/", pages_words.contacts_slug),
            description: pages_words.contacts_description.clone(),
        },
        GeneratedPage {
            block: "organigramma",
            title: pages_words.organization_title.clone(),
            url: format!("/{}/", pages_words.organization_slug),
            description: pages_words.organization_description.clone(),
        },
    ];
    let organization_url = generated[2].url.clone();

    check_url_collisions(project, &generated, &mut diagnostics);
    let print_edition = NavItem {
        title: strings.print.title.clone(),
        url: print::url(&strings),
    };
    check_url_collisions(
        project,
        &[GeneratedPage {
            block: "",
            title: print_edition.title.clone(),
            url: print_edition.url.clone(),
            description: String::new(),
        }],
        &mut diagnostics,
    );

    let chapter_urls = chapter_urls(project);

    // Shared context, set once: every page reads it, none copies it.
    let site = site_view(project, theme);
    let charter = charter_view(project, &strings);
    let chapters: Vec<ChapterSummary> = project
        .chapters
        .iter()
        .map(|chapter| ChapterSummary {
            number: chapter.front.number.clone(),
            title: chapter.front.title.value.clone(),
            url: chapter_url(chapter),
            description: chapter.front.description.clone(),
        })
        .collect();
    let generated_pages: Vec<GeneratedSummary> = generated
        .iter()
        .map(|page| GeneratedSummary {
            title: page.title.clone(),
            url: page.url.clone(),
            description: page.description.clone(),
        })
        .collect();
    let nav: Vec<NavItem> = chapters
        .iter()
        .map(|chapter| NavItem {
            title: chapter.title.clone(),
            url: chapter.url.clone(),
        })
        .chain(generated.iter().map(|page| NavItem {
            title: page.title.clone(),
            url: page.url.clone(),
        }))
        .collect();
    let shared = key(
        cache.keep,
        &(
            &theme.strings_value,
            &site,
            &charter,
            &chapters,
            &generated_pages,
            &nav,
        ),
    );
    if shared.is_none() || shared != cache.shared {
        cache.blocks.clear();
        cache.pages.clear();
        cache.shared = shared;
    }
    let templates = &mut theme.templates;
    templates.set_global("strings", &theme.strings_value);
    templates.set_global("site", &site);
    templates.set_global("charter", &charter);
    templates.set_global("chapters", &chapters);
    templates.set_global("generated_pages", &generated_pages);
    templates.set_global("nav", &nav);
    templates.set_global("print_edition", &print_edition);
    templates.set_global("transparency", &pack::links(&strings));
    let templates = &theme.templates;
    let sources = &project.sources;

    // Blocks: rendered once for chapters (h3 headings) and once for their own pages (h2).
    let builder = BlockBuilder {
        project,
        strings: &strings,
        organization_url: &organization_url,
    };
    let block_data: Vec<(&str, BlockData)> = [
        ("impegni", Some(builder.commitments())),
        ("contatti", Some(builder.contacts())),
        ("organigramma", Some(builder.organigram())),
        ("portatori-di-interesse", builder.stakeholders()),
        ("canali-di-accesso", builder.channels()),
    ]
    .into_iter()
    .filter_map(|(name, data)| data.map(|data| (name, data)))
    .collect();
    let mut blocks_in_chapters = BTreeMap::new();
    let mut blocks_on_pages = BTreeMap::new();
    for (name, data) in &block_data {
        let template = format!("blocks/{name}.html");
        for (level, target) in [(3u8, &mut blocks_in_chapters), (2u8, &mut blocks_on_pages)] {
            let context = BlockContext {
                block: data,
                block_heading_level: level,
            };
            let context_key = key(keep, &context);
            let cached = cache
                .blocks
                .get(&(name.to_string(), level))
                .filter(|(cached_key, _)| Some(cached_key) == context_key.as_ref());
            if let Some((_, html)) = cached {
                target.insert(name.to_string(), html.clone());
                continue;
            }
            cache.stats.blocks += 1;
            match templates.render(&template, &context, sources) {
                Ok(html) => {
                    if let Some(context_key) = context_key {
                        let entry = (context_key, html.clone());
                        cache.blocks.insert((name.to_string(), level), entry);
                    }
                    target.insert(name.to_string(), html);
                }
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    break;
                }
            }
        }
    }

    // Chapter bodies, in parallel; results keep chapter order.
    let links = Links {
        chapter_urls: &chapter_urls,
        blocks: &blocks_in_chapters,
        blocks_before_sections: &blocks_on_pages,
        table_label: &strings.chapter.table_label,
        table_label_no_section: &strings.chapter.table_label_no_section,
    };
    let bodies = render_bodies(project, &links, cache);
    for body in &bodies {
        diagnostics.extend(body.diagnostics.iter().cloned());
    }

    let home = NavItem {
        title: pages_words.home_title.clone(),
        url: "/".to_string(),
    };
    let last_updated = DateView::new(project.charter.data.last_updated.value, &strings);
    let mut jobs: Vec<(String, &'static str, PageView<'_>)> = Vec::new();
    let jsonld = jsonld::charter_graph(project, &strings.standards, &generated[0].url);
    let mut home_page = PageView::new(
        "home",
        project.charter.data.title.clone(),
        "/".to_string(),
        last_updated.clone(),
    );
    home_page.jsonld = Some(jsonld.clone());
    // The charter's own summary, as plain text, describes the home page to search engines.
    home_page.description = Some(markdown::plain_summary(&project.charter.data.summary))
        .filter(|summary| !summary.is_empty())
        .or_else(|| Some(charter_line(project)));
    jobs.push(("index.html".to_string(), "home.html", home_page));
    for (index, (chapter, body)) in project.chapters.iter().zip(&bodies).enumerate() {
        let neighbour = |chapter: &Chapter| NavItem {
            title: chapter.front.title.value.clone(),
            url: chapter_url(chapter),
        };
        let reviewed = chapter
            .front
            .last_reviewed
            .as_ref()
            .map(|date| DateView::new(date.value, &strings))
            .unwrap_or_else(|| last_updated.clone());
        let mut page = PageView::new(
            "chapter",
            chapter.front.title.value.clone(),
            chapter_url(chapter),
            reviewed,
        );
        page.number = chapter.front.number.clone();
        // Without a description in the front matter, the chapter's first paragraph describes it.
        page.description = chapter.front.description.clone().or_else(|| {
            let text = &project.sources.text(chapter.file)[chapter.body_offset..];
            Some(markdown::first_paragraph(text)).filter(|first| !first.is_empty())
        });
        page.content_html = &body.html;
        page.breadcrumb = vec![home.clone()];
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
            .and_then(|i| project.chapters.get(i))
            .map(neighbour);
        page.next = project.chapters.get(index + 1).map(neighbour);
        jobs.push((format!("{}/index.html", chapter.slug), "chapter.html", page));
    }
    for generated_page in &generated {
        let Some(html) = blocks_on_pages.get(generated_page.block) else {
            continue;
        };
        let mut page = PageView::new(
            "generated",
            generated_page.title.clone(),
            generated_page.url.clone(),
            last_updated.clone(),
        );
        page.description = Some(generated_page.description.clone());
        page.content_html = html;
        if generated_page.block == "impegni" {
            page.jsonld = Some(jsonld.clone());
        }
        page.breadcrumb = vec![home.clone()];
        let path = format!("{}index.html", generated_page.url.trim_start_matches('/'));
        jobs.push((path, "generated.html", page));
    }
    let mut not_found = PageView::new(
        "not_found",
        pages_words.not_found_title.clone(),
        "/404.html".to_string(),
        last_updated.clone(),
    );
    not_found.breadcrumb = vec![home.clone()];
    not_found.description = Some(charter_line(project));
    jobs.push(("404.html".to_string(), "404.html", not_found));

    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    cache
        .pages
        .retain(|path, _| jobs.iter().any(|job| job.0 == *path));
    let rendered: Vec<Result<PageRun, Diagnostic>> = jobs
        .into_par_iter()
        .map(|(path, template, page)| {
            let context = PageContext { page: &page };
            let context_key = key(keep, &context);
            let url = page.url.clone();
            let cached = cache
                .pages
                .get(&path)
                .filter(|(cached_template, cached_key, _)| {
                    *cached_template == template && Some(cached_key) == context_key.as_ref()
                });
            if let Some((_, _, html)) = cached {
                let html = html.clone();
                return Ok(PageRun {
                    page: Page::new(path, url, html),
                    template,
                    rendered_from: None,
                });
            }
            templates
                .render(template, &context, sources)
                .map(|html| PageRun {
                    page: Page::new(path, url, html),
                    template,
                    rendered_from: Some(context_key),
                })
        })
        .collect();
    // The chapter pages are rendered: the print edition takes the bodies, without copying them.
    let print_page = print::render(
        &print::Input {
            project,
            strings: &strings,
            generated: &generated,
            blocks: &blocks_in_chapters,
            last_updated: last_updated.clone(),
        },
        bodies,
        templates,
    );
    let mut pages = Vec::with_capacity(rendered.len() + 1);
    match print_page {
        Ok(page) => pages.push(page),
        Err(problems) => diagnostics.extend(problems),
    }
    let mut seen_errors = std::collections::BTreeSet::new();
    for result in rendered {
        match result {
            Ok(run) => {
                if run.rendered_from.is_some() {
                    cache.stats.pages += 1;
                }
                if let Some(Some(context_key)) = run.rendered_from {
                    cache.pages.insert(
                        run.page.path.clone(),
                        (run.template, context_key, run.page.html.clone()),
                    );
                }
                pages.push(run.page)
            }
            // The same template fault fails every page that uses it; report it once.
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
        Ok((pages, diagnostics))
    }
}

/// Renders the chapter bodies in parallel, in chapter order, reusing from `cache` every body whose
/// file and placed blocks are unchanged.
fn render_bodies(
    project: &Project,
    links: &Links<'_>,
    cache: &mut Cache,
) -> Vec<markdown::Rendered> {
    let links_key = key(
        cache.keep,
        &(links.chapter_urls, links.blocks.keys().collect::<Vec<_>>()),
    );
    if links_key.is_none() || links_key != cache.links {
        cache.bodies.clear();
        cache.links = links_key;
    }
    let sources = &project.sources;
    let bodies: Vec<(markdown::Rendered, bool)> = project
        .chapters
        .par_iter()
        .map(|chapter| match cache.bodies.get(&chapter.file_name) {
            Some(cached) if cached.matches(project, chapter, links) => (cached.rendered(), false),
            _ => {
                let source = Source {
                    sources,
                    file: chapter.file,
                    body_offset: chapter.body_offset,
                    front: Some(&chapter.front),
                };
                (
                    markdown::render(project.chapter_body(chapter), &source, links),
                    true,
                )
            }
        })
        .collect();
    cache
        .bodies
        .retain(|name, _| project.chapters.iter().any(|c| c.file_name == *name));
    project
        .chapters
        .iter()
        .zip(bodies)
        .map(|(chapter, (body, fresh))| {
            if fresh {
                cache.stats.bodies += 1;
            }
            if fresh && cache.keep {
                let blocks = body
                    .block_headings
                    .iter()
                    .filter_map(|(name, heading)| {
                        let before = heading.is_none();
                        let html = links.block(name, before)?;
                        Some((name.clone(), before, html.clone()))
                    })
                    .collect();
                cache.bodies.insert(
                    chapter.file_name.clone(),
                    CachedBody {
                        file: chapter.file,
                        text: sources.text(chapter.file).to_string(),
                        body_offset: chapter.body_offset,
                        blocks,
                        rendered: body.clone(),
                    },
                );
            }
            body
        })
        .collect()
}

/// Chapter file name → page URL, for links between chapters.
fn chapter_urls(project: &Project) -> BTreeMap<String, String> {
    project
        .chapters
        .iter()
        .map(|chapter| (chapter.file_name.clone(), chapter_url(chapter)))
        .collect()
}

/// The Markdown problems (and lint warnings) of every chapter, without rendering any page: used when other errors
/// already stop the build, so one run still reports everything.
pub fn check_chapters(project: &Project) -> Vec<Diagnostic> {
    bodies_without_blocks(project)
        .into_iter()
        .flat_map(|rendered| rendered.diagnostics)
        .collect()
}

/// The links and images of every chapter, in chapter order, for `carta check`.
pub fn chapter_links(project: &Project) -> Vec<Vec<markdown::LinkUse>> {
    bodies_without_blocks(project)
        .into_iter()
        .map(|rendered| rendered.links)
        .collect()
}

/// Every chapter body rendered with empty blocks, in chapter order.
fn bodies_without_blocks(project: &Project) -> Vec<markdown::Rendered> {
    let chapter_urls = chapter_urls(project);
    let available = [
        ("portatori-di-interesse", project.stakeholders.is_some()),
        ("canali-di-accesso", project.channels.is_some()),
    ];
    let blocks: BTreeMap<String, String> = markdown::BLOCK_NAMES
        .iter()
        .filter(|name| {
            available
                .iter()
                .all(|(optional, present)| *optional != **name || *present)
        })
        .map(|name| (name.to_string(), String::new()))
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

#[derive(Serialize)]
struct BlockContext<'a> {
    block: &'a BlockData,
    block_heading_level: u8,
}

#[derive(Serialize)]
struct PageContext<'a> {
    page: &'a PageView<'a>,
}

pub fn chapter_url(chapter: &Chapter) -> String {
    format!("/{}/", chapter.slug)
}

fn check_url_collisions(
    project: &Project,
    generated: &[GeneratedPage],
    diagnostics: &mut Diagnostics,
) {
    for chapter in &project.chapters {
        let url = chapter_url(chapter);
        if let Some(page) = generated.iter().find(|page| page.url == url) {
            let title = &chapter.front.title;
            diagnostics.push(
                Diagnostic::error(
                    "E137",
                    format!(
                        "il capitolo ha lo stesso indirizzo {url} della pagina «{}»",
                        page.title
                    ),
                )
                .at(chapter.file, title.line, title.col, title.len)
                .with_hint(
                    "aggiungi `slug:` con un indirizzo diverso nell'intestazione del capitolo",
                ),
            );
        }
    }
}

/// «Carta di qualità dei servizi — Direzione Sistemi Informativi, Comune di Firenze»: what the
/// site is, in the charter's own words.
fn charter_line(project: &Project) -> String {
    let charter = &project.charter.data;
    format!(
        "{} — {}, {}",
        charter.title, charter.office, project.config.ente.name
    )
}

fn site_view(project: &Project, theme: &Theme) -> SiteView {
    let config = &project.config;
    let bootstrap = theme.bootstrap_dist.is_some();
    let bootstrap_css = match (bootstrap, theme.bootstrap_full) {
        (false, _) => String::new(),
        (true, false) => crate::output::assets::BOOTSTRAP_SUBSET_URL.to_string(),
        (true, true) => crate::output::assets::BOOTSTRAP_FULL_URL.to_string(),
    };
    SiteView {
        ente: EnteView {
            name: config.ente.name.clone(),
            kind: config.ente.kind.clone(),
            city: config.ente.city.clone(),
            url: config.ente.url.clone(),
            colour: config.ente.colour.clone(),
            parent: ParentView {
                name: config.ente.parent.name.clone(),
                url: config.ente.parent.url.clone(),
            },
            logo: crate::branding::logo(project),
        },
        language: config.site.language.clone(),
        bootstrap,
        bootstrap_css,
        footer: FooterView {
            accessibility: config.footer.get("accessibility").map(str::to_string),
            privacy: config.footer.get("privacy").map(str::to_string),
            legal_notes: config.footer.get("legal_notes").map(str::to_string),
            faq: config.footer.get("faq").map(str::to_string),
            report_inefficiency: config.footer.get("report_inefficiency").map(str::to_string),
        },
        root: "/",
        stylesheets: config.site.stylesheets.clone(),
        favicon: crate::branding::favicon(project),
    }
}

fn charter_view(project: &Project, strings: &crate::theme::Strings) -> CharterView {
    let charter = &project.charter.data;
    CharterView {
        title: charter.title.clone(),
        office: charter.office.clone(),
        office_short: charter.office_short.clone(),
        edition: charter.edition.clone(),
        draft: charter.is_draft(),
        approval: ApprovalView::of(charter, strings),
        published: charter
            .published_date()
            .map(|date| DateView::new(date, strings)),
        last_updated: DateView::new(charter.last_updated.value, strings),
        next_review: charter
            .next_review
            .as_ref()
            .map(|date| DateView::new(date.value, strings)),
        summary_html: markdown::render_text(&charter.summary),
        credits: charter
            .credits
            .iter()
            .map(|credit| CreditView {
                role: credit.role.clone(),
                name: credit.name.clone(),
            })
            .collect(),
    }
}
