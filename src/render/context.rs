//! The per-charter context: everything every output of one charter shares, made once and then only
//! read — the views and the menu, the templates' globals, the generated blocks, the chapter bodies.
//!
//! A [`Context`] borrows the project and the loaded theme and changes neither, so one loaded theme
//! can serve several charters in one run, each with its own context.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use super::Cache;
use super::view::{
    ApprovalView, BlockBuilder, BlockData, ChapterSummary, CharterView, CreditView, DateView,
    EnteView, FooterView, GeneratedSummary, NavItem, ParentView, SiteView,
};
use super::{blocks_cache_key, chapter_url, key, pack, print};
use crate::blocks::{self, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Links, Source};
use crate::model::Project;
use crate::slug;
use crate::source::SourceMap;
use crate::strings::Strings;
use crate::theme::Theme;
use crate::theme::templates::Globals;

/// A page made of one generated block (commitments, contacts, organigram), in menu order.
pub(crate) struct GeneratedPage {
    /// The block it shows, as named in [`crate::blocks`].
    pub(crate) block: &'static str,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: String,
}

/// What every output of one charter reads.
pub struct Context<'a> {
    pub(crate) project: &'a Project,
    pub(crate) theme: &'a Theme,
    pub(crate) strings: &'a Strings,
    globals: Globals,
    /// The pages of generated blocks, in menu order.
    pub(crate) generated: Vec<GeneratedPage>,
    /// Generated blocks rendered for their own pages (under a second-level heading), and for the
    /// print edition's appendices. (Those rendered for a place in a chapter, under a third-level
    /// heading, are in the chapters' bodies.)
    pub(crate) blocks_on_pages: BTreeMap<String, String>,
    /// The chapter bodies, in chapter order.
    pub(crate) bodies: Vec<markdown::Rendered>,
    /// The charter's last update, as pages show it.
    pub(crate) last_updated: DateView,
    /// The first crumb of every breadcrumb.
    pub(crate) home: NavItem,
    /// The charter as schema.org JSON-LD, for the home and commitments pages.
    pub(crate) jsonld: String,
    /// Every edition, oldest first, the one in force last: made once for every output that
    /// lists editions (their pages, open data, manifest, pack, sitemap).
    pub(crate) timeline: Vec<crate::editions::EditionRef<'a>>,
    /// Every standard's row for each period of the results, read against its target once for
    /// every page and output that shows them (empty without results).
    pub(crate) results: Vec<Vec<crate::results::Row<'a>>>,
    /// Each standard's latest result, by commitment and standard id, for the commitments table
    /// and each commitment's page.
    pub(crate) latest: HashMap<(String, String), super::results::LatestView>,
}

impl<'a> Context<'a> {
    /// Makes the context of `project` with `theme`, reusing from `cache` the blocks and bodies
    /// whose inputs did not change; with the warnings found on the way (the content lint).
    pub fn new(
        project: &'a Project,
        theme: &'a Theme,
        cache: &mut Cache,
    ) -> Result<(Self, Diagnostics), Diagnostics> {
        cache.reset_stats();
        let strings = &theme.strings;
        let mut diagnostics = Diagnostics::new();
        let generated = generated_pages(project, strings);
        let print_edition = NavItem {
            title: strings.print.title.clone(),
            url: print::url(strings),
        };
        check_chapters_against(
            project,
            &carta_pages(
                &generated,
                &print_edition,
                strings,
                project.config.site.legal_notes_page,
            ),
            &mut diagnostics,
        );
        let globals = globals(project, theme, &generated, print_edition, cache);
        let results = crate::results::rows(project);
        let latest = super::results::latest(&results, strings);
        let data = block_data(project, strings, &generated, &results, &latest);
        let blocks_on_pages =
            render_blocks_on_pages(project, theme, &globals, &data, cache, &mut diagnostics);
        let bodies = {
            let chapter_urls = chapter_urls(project);
            let blocks_in_chapters =
                BlocksInChapters::new(project, theme, &globals, &data, &blocks_on_pages, cache);
            let links = Links {
                chapter_urls: &chapter_urls,
                blocks: &blocks_in_chapters,
                blocks_before_sections: &blocks_on_pages,
                table_label: &strings.chapter.table_label,
                table_label_no_section: &strings.chapter.table_label_no_section,
            };
            let bodies = render_bodies(project, &links, cache);
            blocks_in_chapters.finish(cache, &mut diagnostics);
            bodies
        };
        for body in &bodies {
            diagnostics.extend(body.diagnostics.iter().cloned());
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let commitments_url = generated
            .iter()
            .find(|page| page.block == blocks::COMMITMENTS.name)
            .map(|page| page.url.clone())
            .unwrap_or_default();
        let context = Context {
            timeline: crate::editions::timeline(project),
            results,
            latest,
            jsonld: super::jsonld::charter_graph(
                project,
                &strings.standards,
                &strings.hours,
                &commitments_url,
            ),
            project,
            theme,
            strings,
            globals,
            generated,
            blocks_on_pages,
            bodies,
            last_updated: DateView::new(project.charter.data.last_updated.value, strings),
            home: NavItem {
                title: strings.pages.home_title.clone(),
                url: "/".to_string(),
            },
        };
        Ok((context, diagnostics))
    }

    /// Renders template `name` with this charter's globals and the page's own `context`.
    pub(crate) fn render(
        &self,
        name: &str,
        context: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        self.theme
            .templates
            .render(name, &self.globals, context, self.sources())
    }

    pub(crate) fn sources(&self) -> &'a SourceMap {
        &self.project.sources
    }

    /// The page of generated block `block`, when it has one.
    pub(crate) fn generated_page(&self, block: &str) -> Option<&GeneratedPage> {
        self.generated.iter().find(|page| page.block == block)
    }
}

/// The pages of the blocks that have one, in the registry's order, with the theme's titles and
/// addresses.
fn generated_pages(project: &Project, strings: &Strings) -> Vec<GeneratedPage> {
    let words = &strings.pages;
    blocks::ALL
        .iter()
        .filter(|block| block.has_page && super::has_data(project, block.kind))
        .filter_map(|block| {
            let (title, slug, description) = match block.kind {
                Kind::Commitments => (
                    &words.commitments_title,
                    &words.commitments_slug,
                    &words.commitments_description,
                ),
                Kind::Contacts => (
                    &words.contacts_title,
                    &words.contacts_slug,
                    &words.contacts_description,
                ),
                Kind::Organigram => (
                    &words.organization_title,
                    &words.organization_slug,
                    &words.organization_description,
                ),
                Kind::Results => (
                    &words.results_title,
                    &words.results_slug,
                    &words.results_description,
                ),
                // The theme has no page for these blocks.
                Kind::Stakeholders | Kind::Channels => return None,
            };
            Some(GeneratedPage {
                block: block.name,
                title: title.clone(),
                url: format!("/{slug}/"),
                description: description.clone(),
            })
        })
        .collect()
}

/// The values every page sees; when they differ from the cached run's, every block and page is
/// rendered again.
fn globals(
    project: &Project,
    theme: &Theme,
    generated: &[GeneratedPage],
    print_edition: NavItem,
    cache: &mut Cache,
) -> Globals {
    let strings = &theme.strings;
    let site = site_view(project, theme);
    let charter = charter_view(project, strings);
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
    cache.share(key(
        cache.keeps(),
        &(
            &theme.strings_value,
            &site,
            &charter,
            &chapters,
            &generated_pages,
            &nav,
        ),
    ));
    let mut globals = Globals::default();
    globals.insert("strings", &theme.strings_value);
    globals.insert("site", &site);
    globals.insert("charter", &charter);
    globals.insert("chapters", &chapters);
    globals.insert("generated_pages", &generated_pages);
    globals.insert("nav", &nav);
    globals.insert("print_edition", &print_edition);
    globals.insert(
        "transparency",
        &pack::links(strings, project.charter.data.is_draft()),
    );
    // The page that lists the services (marked for AGID's validator in the menu).
    let services_url = generated
        .iter()
        .find(|page| page.block == blocks::COMMITMENTS.name)
        .map(|page| page.url.clone());
    globals.insert("services_url", &services_url);
    globals
}

#[derive(Serialize)]
pub(super) struct BlockContext<'a> {
    pub(crate) block: &'a BlockData,
    pub(crate) block_heading_level: u8,
}

/// The data of every generated block the project has data for, in the registry's order.
fn block_data<'a>(
    project: &'a Project,
    strings: &'a Strings,
    generated: &[GeneratedPage],
    results: &'a [Vec<crate::results::Row<'a>>],
    latest: &'a HashMap<(String, String), super::results::LatestView>,
) -> Vec<(&'static str, BlockData)> {
    let organization_url = generated
        .iter()
        .find(|page| page.block == blocks::ORGANIGRAM.name)
        .map(|page| page.url.clone())
        .unwrap_or_default();
    let builder = BlockBuilder {
        project,
        strings,
        organization_url: &organization_url,
        results,
        latest,
    };
    blocks::ALL
        .iter()
        .filter_map(|block| Some((block.name, builder.data(block.kind)?)))
        .collect()
}

/// Every generated block rendered for its own page and for the print edition's appendices (h2
/// headings), and for a place before a chapter's first section heading.
fn render_blocks_on_pages(
    project: &Project,
    theme: &Theme,
    globals: &Globals,
    data: &[(&'static str, BlockData)],
    cache: &mut Cache,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut on_pages = BTreeMap::new();
    for (name, data) in data {
        let context = BlockContext {
            block: data,
            block_heading_level: 2,
        };
        let context_key = key(cache.keeps(), &context);
        if let Some(html) = cache.block(name, 2, context_key.as_ref()) {
            on_pages.insert(name.to_string(), html);
            continue;
        }
        let template = format!("blocks/{name}.html");
        match theme
            .templates
            .render(&template, globals, &context, &project.sources)
        {
            Ok(html) => {
                cache.keep_block(name, 2, context_key, &html);
                on_pages.insert(name.to_string(), html);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    on_pages
}

/// The generated blocks for a place under a chapter's section heading (h3 headings), each
/// rendered when the first chapter that places it there asks for it, and only then: most
/// charters place few blocks in their chapters, and a large block (the results of every
/// standard) costs about as much to render as the page that shows it.
struct BlocksInChapters<'r> {
    project: &'r Project,
    theme: &'r Theme,
    globals: &'r Globals,
    blocks: BTreeMap<String, InChapter<'r>>,
}

struct InChapter<'r> {
    data: &'r BlockData,
    context_key: Option<String>,
    /// The HTML once a chapter asked for it, and whether it was rendered in this run (else it
    /// came from the cache).
    html: OnceLock<(Result<String, Diagnostic>, bool)>,
}

impl<'r> BlocksInChapters<'r> {
    /// The blocks that rendered for their pages (one that failed there is not tried again), with
    /// the HTML the cache kept for those whose data did not change.
    fn new(
        project: &'r Project,
        theme: &'r Theme,
        globals: &'r Globals,
        data: &'r [(&'static str, BlockData)],
        on_pages: &BTreeMap<String, String>,
        cache: &mut Cache,
    ) -> Self {
        let blocks = data
            .iter()
            .filter(|(name, _)| on_pages.contains_key(*name))
            .map(|(name, data)| {
                let context_key = key(cache.keeps(), &in_chapter(data));
                let html = match cache.cached_block(name, 3, context_key.as_ref()) {
                    Some(html) => OnceLock::from((Ok(html), false)),
                    None => OnceLock::new(),
                };
                let block = InChapter {
                    data,
                    context_key,
                    html,
                };
                (name.to_string(), block)
            })
            .collect();
        BlocksInChapters {
            project,
            theme,
            globals,
            blocks,
        }
    }

    /// Keeps in the cache what was rendered, and reports what failed.
    fn finish(self, cache: &mut Cache, diagnostics: &mut Diagnostics) {
        for (name, block) in self.blocks {
            match block.html.into_inner() {
                Some((Ok(html), true)) => {
                    cache.count_block();
                    cache.keep_block(&name, 3, block.context_key, &html);
                }
                Some((Err(diagnostic), _)) => {
                    cache.count_block();
                    diagnostics.push(diagnostic);
                }
                Some((Ok(_), false)) | None => {}
            }
        }
    }
}

impl crate::markdown::BlockHtml for BlocksInChapters<'_> {
    fn html(&self, name: &str) -> Option<&String> {
        let block = self.blocks.get(name)?;
        let (html, _) = block.html.get_or_init(|| {
            let template = format!("blocks/{name}.html");
            let html = self.theme.templates.render(
                &template,
                self.globals,
                &in_chapter(block.data),
                &self.project.sources,
            );
            (html, true)
        });
        html.as_ref().ok()
    }

    fn names(&self) -> Vec<&str> {
        self.blocks.keys().map(String::as_str).collect()
    }
}

/// What a block's template renders with for a place under a chapter's section heading.
fn in_chapter(data: &BlockData) -> BlockContext<'_> {
    BlockContext {
        block: data,
        block_heading_level: 3,
    }
}

/// Renders the chapter bodies in parallel, in chapter order, reusing from `cache` every body whose
/// file and placed blocks are unchanged.
fn render_bodies(
    project: &Project,
    links: &Links<'_>,
    cache: &mut Cache,
) -> Vec<markdown::Rendered> {
    cache.links_are(blocks_cache_key(cache.keeps(), links));
    let sources = &project.sources;
    let bodies: Vec<(markdown::Rendered, bool)> = project
        .chapters
        .par_iter()
        .map(|chapter| match cache.body(project, chapter, links) {
            Some(cached) => (cached, false),
            None => {
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
    cache.keep_chapters(project);
    project
        .chapters
        .iter()
        .zip(bodies)
        .map(|(chapter, (body, fresh))| {
            if fresh {
                cache.keep_body(project, chapter, links, &body);
            }
            body
        })
        .collect()
}

/// Chapter file name → page URL, for links between chapters.
pub(super) fn chapter_urls(project: &Project) -> BTreeMap<String, String> {
    project
        .chapters
        .iter()
        .map(|chapter| (chapter.file_name.clone(), chapter_url(chapter)))
        .collect()
}

/// The pages carta makes beside the chapters, as (title, address): the generated blocks' pages,
/// the print edition, the transparency pack, the editions' archive and, when the site asks for
/// it, the legal notes page.
fn carta_pages(
    generated: &[GeneratedPage],
    print_edition: &NavItem,
    strings: &Strings,
    legal_notes: bool,
) -> Vec<(String, String)> {
    // Titles and addresses only: the descriptions do not matter here.
    let pack = pack::links(strings, false);
    let legal_notes = legal_notes.then(|| {
        (
            strings.legal_notes.title.clone(),
            super::pages::legal_notes_url(strings),
        )
    });
    generated
        .iter()
        .map(|page| (page.title.clone(), page.url.clone()))
        .chain([
            (print_edition.title.clone(), print_edition.url.clone()),
            (pack.title, pack.url),
            (pack.editions_title, pack.editions_url),
        ])
        .chain(legal_notes)
        .collect()
}

/// A chapter may take neither the address of a page carta makes (`E137`: one would replace the
/// other) nor the title of such a page or of an earlier chapter (`W196`: the menu, a screen
/// reader's list of links and the browser's tabs would show two pages the same, though they say
/// different things). Titles are compared as their slugs: case, accents, spaces and punctuation
/// aside.
fn check_chapters_against(
    project: &Project,
    carta_pages: &[(String, String)],
    diagnostics: &mut Diagnostics,
) {
    // Slug of a title → (title, address) of the first page that has it.
    let mut titles: HashMap<String, (&str, String)> = HashMap::new();
    for (title, url) in carta_pages {
        titles
            .entry(slug::slugify(title))
            .or_insert((title, url.clone()));
    }
    for chapter in &project.chapters {
        let title = &chapter.front.title;
        let url = chapter_url(chapter);
        if let Some((other, _)) = carta_pages.iter().find(|(_, other)| *other == url) {
            diagnostics.push(
                Diagnostic::error(
                    "E137",
                    format!("il capitolo ha lo stesso indirizzo {url} della pagina «{other}»"),
                )
                .at(chapter.file, title.line, title.col, title.len)
                .with_hint(
                    "aggiungi `slug:` con un indirizzo diverso nell'intestazione del capitolo",
                ),
            );
        }
        let heard = slug::slugify(&title.value);
        if heard.is_empty() {
            continue;
        }
        match titles.get(&heard) {
            Some((other, other_url)) => diagnostics.push(
                Diagnostic::warning(
                    "W196",
                    format!(
                        "il capitolo ha lo stesso titolo della pagina {other_url} «{other}»: nel menu e nell'elenco dei link le due pagine non si distinguono"
                    ),
                )
                .at(chapter.file, title.line, title.col, title.len)
                .with_hint(
                    "dai al capitolo un titolo che dica che cosa contiene e lo distingua dall'altra pagina",
                ),
            ),
            None => {
                titles.insert(heard, (&title.value, url));
            }
        }
    }
}

fn site_view(project: &Project, theme: &Theme) -> SiteView {
    let config = &project.config;
    let policy = crate::gate::Policy::of(project, theme.bootstrap.is_some());
    SiteView {
        csp: policy.csp(crate::gate::csp::PageKind::Site).to_string(),
        csp_print: policy.csp(crate::gate::csp::PageKind::Print).to_string(),
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
        bootstrap: theme.bootstrap.is_some(),
        bootstrap_css: theme
            .bootstrap_stylesheet_url()
            .unwrap_or_default()
            .to_string(),
        footer: FooterView {
            accessibility: config.footer.get("accessibility").map(str::to_string),
            accessibility_pending: config
                .footer
                .get("accessibility")
                .is_some_and(|link| !crate::forms::is_published_statement(link)),
            privacy: config.footer.get("privacy").map(str::to_string),
            legal_notes: if config.site.legal_notes_page {
                Some(super::pages::legal_notes_url(&theme.strings))
            } else {
                config.footer.get("legal_notes").map(str::to_string)
            },
            faq: config.footer.get("faq").map(str::to_string),
            report_inefficiency: config.footer.get("report_inefficiency").map(str::to_string),
        },
        root: "/",
        stylesheets: config.site.stylesheets.clone(),
        favicon: crate::branding::favicon(project),
    }
}

fn charter_view(project: &Project, strings: &Strings) -> CharterView {
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
        remedies: charter
            .remedies
            .as_ref()
            .map(|remedies| super::view::RemediesView {
                complaint: remedies.complaint.clone(),
                complaint_url: remedies.complaint_url.as_ref().map(|url| url.value.clone()),
                compensation: remedies.compensation().map(str::to_string),
            }),
    }
}
